"""ReLU Lab entry point: `python main.py` opens the lab; subcommands run experiments headless."""

from __future__ import annotations

import sys

from cli.registry import build_parser, run_command


def main(argv: list[str] | None = None) -> int:
    """Parse `argv` and run the chosen subcommand (the window when none is given).

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        The process exit status.
    """
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return run_command(parser, args)


if __name__ == "__main__":
    sys.exit(main())
