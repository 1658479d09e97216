"""ReLU Lab entry point: `python main.py` opens the lab; subcommands run experiments headless."""

from __future__ import annotations

import os
import sys

# One BLAS thread unless the user asks otherwise: the lab's matrices are small, and two BLAS
# threads collapse as soon as the window or another worker wants a core (DESIGN.md). Set
# before numpy is first imported, so every thread and child process inherits it.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from cli.errors import quit_on_signals  # noqa: E402

if __name__ == "__main__":
    quit_on_signals()  # a Ctrl-C while loading: one line, no traceback

from cli.registry import build_parser, run_command  # noqa: E402


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
    try:  # argparse exits on --help and on a refused option: return its status instead
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    return run_command(parser, args)


if __name__ == "__main__":
    sys.exit(main())
