"""The errors a subcommand raises: bad arguments (exit 2) and interrupts (exit 128 + signal)."""

import signal


class UsageError(ValueError):
    """A command-line value that is wrong; its message names the option and the problem."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; ``signum`` says which (exit status 128 + signum)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)
