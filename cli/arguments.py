"""Typed argparse converters whose errors name the bad value (argparse adds the option)."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from cli.errors import UsageError
from models.fields import FieldError


def _number(text: str, option: str, kind: type = float) -> float:
    try:
        if "_" in text:  # Python reads 1_0 as 10; a user who typed it meant something else
            raise ValueError
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a{'n integer' if kind is int else ' number'}"
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def positive_float(option: str) -> Callable[[str], float]:
    """Return a converter accepting a finite number > 0 for `option`."""

    def convert(text: str) -> float:
        value = _number(text, option)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
        return value

    return convert


def non_negative_float(option: str) -> Callable[[str], float]:
    """Return a converter accepting a finite number >= 0 for `option`."""

    def convert(text: str) -> float:
        value = _number(text, option)
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text} must not be negative")
        return value

    return convert


def any_float(option: str) -> Callable[[str], float]:
    """Return a converter accepting any finite number for `option`."""
    return lambda text: _number(text, option)


def bounded_float(option: str, low: float, high: float,
                  open_low: bool = True) -> Callable[[str], float]:
    """Return a converter accepting a finite number in ``(low, high]`` (``[low, high]``)."""

    def convert(text: str) -> float:
        value = _number(text, option)
        if value < low or (open_low and value == low):
            raise argparse.ArgumentTypeError(
                f"{text} must be {'greater than' if open_low else 'at least'} {low:g}")
        if value > high:
            raise argparse.ArgumentTypeError(f"{text} must be at most {high:g}")
        return value

    return convert


def non_empty(option: str) -> Callable[[str], str]:
    """Return a converter refusing an empty (or all-blank) name or path for `option`."""

    def convert(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError("must not be empty")
        return text

    return convert


def int_at_least(option: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """Return a converter accepting an integer in ``[low, high]`` for `option`."""

    def convert(text: str) -> int:
        value = int(_number(text, option, int))
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"{text} must be {bound}")
        return value

    return convert


def int_list(option: str, low: int = 1, high: int | None = None) -> Callable[[str], list[int]]:
    """Return a converter for a comma-separated list of integers in ``[low, high]``."""

    def convert(text: str) -> list[int]:
        items = [t.strip() for t in text.split(",") if t.strip()]
        if not items:
            raise argparse.ArgumentTypeError("give at least one integer")
        return [int_at_least(option, low, high)(t) for t in items]

    return convert


def parsed_by(parse: Callable[[str], object]) -> Callable[[str], object]:
    """Return a converter that runs `parse` (the model layer's own parser of a typed text).

    A `FieldError` becomes argparse's one-line refusal of the option, worded by the parser,
    so the window and the command line accept and refuse the same texts.
    """

    def convert(text: str) -> object:
        try:
            return parse(text)
        except FieldError as exc:
            raise argparse.ArgumentTypeError(exc.problem) from None

    return convert


def name_list(option: str, allowed: Sequence[str]) -> Callable[[str], list[str]]:
    """Return a converter for a comma-separated list of names, each one of `allowed`."""

    def convert(text: str) -> list[str]:
        names = [t.strip() for t in text.split(",") if t.strip()]
        if not names:
            raise argparse.ArgumentTypeError("give at least one name")
        for name in names:
            if name not in allowed:
                raise argparse.ArgumentTypeError(
                    f"unknown {name!r}; choose from {', '.join(allowed)}"
                )
        return names

    return convert


def writable_dir(path: str | os.PathLike, option: str = "--out") -> Path:
    """Create `path` if needed and check that files can be written there.

    Raises
    ------
    UsageError
        If the folder cannot be created or written to.
    """
    if not str(path).strip():
        raise UsageError(f"{option}: give a folder name (it is empty)")
    folder = Path(os.path.expanduser(os.fspath(path)))
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option}: {str(folder)!r} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{option}: cannot create folder {str(folder)!r}: "
                         f"{exc.strerror or exc}") from None
    if not folder.is_dir():
        raise UsageError(f"{option}: {str(folder)!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{option}: folder {str(folder)!r} is not writable")
    return folder


def add_output_folder(parser: argparse.ArgumentParser) -> None:
    """Add ``--out DIR`` and ``--overwrite`` for a command that writes its folder as a whole."""
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="output folder (written as a whole; an existing non-empty one "
                             "is refused unless --overwrite)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing non-empty --out once the new one is complete")
