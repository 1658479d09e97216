"""The error a subcommand raises for bad arguments: printed as one line, exit status 2."""


class UsageError(ValueError):
    """A command-line value that is wrong; its message names the option and the problem."""
