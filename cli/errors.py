"""The errors a subcommand raises: bad arguments (exit 2) and interrupts (exit 128 + signal)."""

import os
import signal


class UsageError(ValueError):
    """A command-line value that is wrong; its message names the option and the problem."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; ``signum`` says which (exit status 128 + signum)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)


def quit_on_signals() -> None:
    """Until a command installs its own handling: end at once, one line, 130 or 143.

    Called by ``main.py`` before its imports, so a Ctrl-C while the lab is still loading
    prints one line instead of a traceback from inside an import.
    """
    def quit_now(signum, frame) -> None:
        os.write(2, f"main.py: interrupted ({signal.Signals(signum).name})\n".encode())
        os._exit(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, quit_now)
