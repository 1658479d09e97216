"""The sweep's result file on disk: its settings record, its lock, and the checks before writing."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from models.atomic_write import atomic_write_text
from models.config import ExperimentConfig
from models.safe_io import UnsafePathError, check_target, expand, read_regular_bytes

# the fields a sweep varies per run: not part of the experiment's identity
RUN_FIELDS = ("activations", "lrs", "seed", "init", "depth", "width", "steps", "log_every")
MAX_SETTINGS_BYTES = 1024 * 1024


class SweepFileError(ValueError):
    """The result file cannot be used as asked; ``field`` is ``out``, ``resume`` or ``overwrite``.

    The message names no command-line flag: the window and the command line word their own
    advice from ``field``.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SweepBusyError(SweepFileError):
    """Another sweep is writing the same result file."""


def experiment_settings(base: ExperimentConfig, probe_every: int) -> dict[str, Any]:
    """Return the settings shared by every run of a sweep (what ``config_hash`` covers)."""
    data = {k: v for k, v in base.to_dict().items() if k not in RUN_FIELDS}
    data["probe_every"] = int(probe_every)
    return data


def config_hash(base: ExperimentConfig, probe_every: int) -> str:
    """Return a short hash of `experiment_settings` (the ``config_hash`` column of each row)."""
    text = json.dumps(experiment_settings(base, probe_every), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def settings_path(out: str | os.PathLike) -> Path:
    """Return the path of the settings record written beside a result file."""
    out = expand(out)
    return out.with_name(out.name + ".settings.json")


def lock_path(out: str | os.PathLike) -> Path:
    """Return the path of the (hidden) lock file of a result file."""
    out = expand(out)
    return out.with_name(f".{out.name}.lock")


def write_settings(out: str | os.PathLike, base: ExperimentConfig, probe_every: int) -> Path:
    """Write the whole base config of the sweep beside its result file."""
    record = {"config_hash": config_hash(base, probe_every),
              "settings": experiment_settings(base, probe_every)}
    return atomic_write_text(settings_path(out), json.dumps(record, indent=2, sort_keys=True)
                             + "\n")


def first_difference(out: str | os.PathLike, base: ExperimentConfig,
                     probe_every: int) -> str | None:
    """Return ``"name: theirs -> ours"`` for the first setting that differs from the record.

    None when the record is missing or unreadable (the hash still tells the files apart).
    """
    try:
        record = json.loads(read_regular_bytes(settings_path(out), MAX_SETTINGS_BYTES))
        theirs = dict(record["settings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    ours = experiment_settings(base, probe_every)
    for name in sorted(set(theirs) | set(ours)):
        if theirs.get(name) != ours.get(name):
            return f"{name} was {theirs.get(name)!r}, now {ours.get(name)!r}"
    return None


@contextlib.contextmanager
def sweep_lock(out: str | os.PathLike) -> Iterator[Path]:
    """Hold an exclusive ``fcntl`` lock for the result file; refuse at once if it is taken.

    Raises
    ------
    SweepBusyError
        If another process (or another sweep in this one) holds the lock.
    """
    path = lock_path(out)
    check_target(path, what="lock file")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SweepBusyError("out", f"{expand(out)} is being written by another sweep "
                                 "right now; wait for it or choose another file") from None
        yield path
    finally:
        os.close(fd)  # closing releases the lock; the empty lock file stays (no unlink race)


def check_output(out: str | os.PathLike, resume: bool = False, overwrite: bool = False) -> bool:
    """Check that the result file may be written; return whether it exists (non-empty).

    Raises
    ------
    SweepFileError
        If its folder does not exist, it is a folder, link, FIFO or device, or it exists,
        is not empty, and neither `resume` nor `overwrite` is set.
    """
    out = expand(out)
    if not out.parent.is_dir():
        raise SweepFileError("out", f"folder {str(out.parent)!r} does not exist")
    if out.is_dir() and not out.is_symlink():
        raise SweepFileError("out", f"{out} is a folder; give a CSV file name")
    try:
        check_target(out, what=str(out.name))
        check_target(settings_path(out), what="settings record")
    except UnsafePathError as exc:
        raise SweepFileError("out", str(exc)) from None
    exists = out.exists() and out.stat().st_size > 0
    if exists and not (resume or overwrite):
        raise SweepFileError("overwrite", f"{out} already exists; continue that sweep "
                             "(resume) or start it again (overwrite)")
    return exists
