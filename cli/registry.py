"""The list of subcommands and the one place that turns their errors into clean exits."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import re
import signal
import sys
import threading

from cli.errors import Interrupted, UsageError
from models.budget import BudgetError
from models.safe_io import UnsafePathError

# Each module defines `register(subparsers)` (adds its parser, sets `func=run`) and `run(args)`.
COMMAND_MODULES = (
    "cli.gui_command",
    "cli.grid_command",
    "cli.sweep_command",
    "cli.neuron_command",
    "cli.theory_command",
    "cli.export_command",
    "cli.diagnose_command",
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one clear line and exit status 2."""

    def error(self, message: str) -> None:  # noqa: D102
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every available subcommand.

    Returns
    -------
    argparse.ArgumentParser
        The parser; ``args.func`` is the chosen subcommand's ``run`` (absent for none).
    """
    parser = _Parser(
        prog="main.py",
        description="ReLU Lab: watch ReLU neurons die, try the remedies, "
        "and compare Leaky ReLU with a leaky integrate-and-fire neuron.",
    )
    subparsers = parser.add_subparsers(title="subcommands", metavar="COMMAND",
                                       parser_class=_Parser)
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(subparsers)
    return parser


def run_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run the parsed subcommand, turning expected errors into one line on stderr.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The parser that produced `args` (used for the help when no command is given).
    args : argparse.Namespace
        Parsed arguments.

    Returns
    -------
    int
        0 on success, 1 on a runtime error, 2 on a usage error, 130 on Ctrl-C (SIGINT),
        143 on SIGTERM.
    """
    func = getattr(args, "func", None)
    if func is None:
        default = _default_command()
        if default is None:
            parser.print_help()
            return 0
        args = parser.parse_args([default])
        func = args.func
    handle = getattr(func, "__module__", "") != "cli.gui_command"  # the window has its own
    try:
        with interrupts(handle):
            try:
                return int(func(args) or 0)
            except UsageError as exc:
                sys.stderr.write(f"main.py: error: {exc}\n")
                return 2
            except BudgetError as exc:
                sys.stderr.write(f"main.py: error: {budget_message(exc)}\n")
                return 2
            except UnsafePathError as exc:
                advice = ("; pass --overwrite to replace it" if exc.field == "overwrite"
                          else "")
                sys.stderr.write(f"main.py: error: {exc}{advice}\n")
                return 2
            except KeyboardInterrupt as exc:
                signum = getattr(exc, "signum", signal.SIGINT)
                notes = "; ".join(getattr(exc, "__notes__", []))
                sys.stderr.write(f"main.py: interrupted ({signal.Signals(signum).name})"
                                 f"{'; ' + notes if notes else ''}\n")
                return 128 + signum
            except (ValueError, OSError) as exc:
                sys.stderr.write(f"main.py: error: {' '.join(str(exc).split())}\n")
                return 1
    except KeyboardInterrupt:  # a second signal while the first was being reported
        return 130


@contextlib.contextmanager
def interrupts(enabled: bool = True):
    """Turn SIGINT and SIGTERM into `Interrupted` once; repeats are ignored while cleaning up.

    The first signal raises `Interrupted` in the main thread (so ``finally`` blocks end
    worker processes and nothing incomplete is renamed into place); a second Ctrl-C during
    that clean-up is ignored instead of interrupting it (which would hang or traceback).
    """
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum, frame) -> None:
        if received:
            return
        received.append(signum)
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        if received:  # keep ignoring repeats until the process ends
            for sig in previous:
                signal.signal(sig, signal.SIG_IGN)
        else:
            for sig, old in previous.items():
                signal.signal(sig, old)


# config and neuron field -> command-line option, where the two names differ
_OPTION_NAMES = {"n_samples": "--samples"}


def budget_message(exc: BudgetError) -> str:
    """Word a budget refusal with the command-line options that lower the estimate."""
    message = str(exc)
    for name in sorted(exc.fields, key=len, reverse=True):
        option = _OPTION_NAMES.get(name, "--" + name.replace("_", "-"))
        message = re.sub(rf"(?<![\w-]){name}\b", option, message)
    return message


def _default_command() -> str | None:
    """Return the command run by a bare `python main.py`: the window once it exists."""
    return "gui" if importlib.util.find_spec("cli.gui_command") is not None else None
