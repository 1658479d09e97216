"""Write export files atomically with the user's umask; never replace what is not a file."""

from __future__ import annotations

import os
import shlex
import stat
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` atomically: a temporary file in the same folder, then a rename.

    The file gets the permissions a plain ``open()`` would give it (``0o666`` less the
    umask), not the ``0o600`` of a temporary file.

    Parameters
    ----------
    path : path-like
        Destination; its folder must exist.
    data : bytes
        The complete content.

    Returns
    -------
    pathlib.Path
        The destination.

    Raises
    ------
    OSError
        If `path` exists and is not a regular file (a folder, a link, a device, a FIFO):
        it is left alone; or if writing fails (no partial file is left behind).
    """
    target = Path(path)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OSError(f"{target}: exists and is not a regular file; refusing to replace it")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 `text` to `path`; see `write_bytes`."""
    return write_bytes(path, text.encode("utf-8"))


def lab_version() -> str:
    """Return the lab's version from ``pyproject.toml`` (``unknown`` if it cannot be read)."""
    root = Path(__file__).resolve().parent.parent
    try:
        for line in (root / "pyproject.toml").read_text(encoding="utf-8").splitlines():
            if line.startswith("version"):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "unknown"


HERE = "$here"  # stands for the export folder in `write_provenance`'s argv


def _quote(word: str) -> str:
    if word.startswith(HERE):
        rest = word[len(HERE):]
        return f'"$here"{shlex.quote(rest) if rest else ""}'
    return shlex.quote(word)


def write_provenance(folder: str | os.PathLike, argv: list[str], what: str) -> list[Path]:
    """Write ``README.txt`` (version, contents) and ``reproduce.sh`` (the command) in `folder`.

    Parameters
    ----------
    folder : path-like
        The export folder; it should hold the ``config.json`` the command reads.
    argv : list of str
        The command line that regenerates the folder, without ``python main.py``; a word
        starting with `HERE` names a file of the folder itself (``$here/config.json``).
    what : str
        One paragraph on what the folder holds.

    Returns
    -------
    list of pathlib.Path
        The two files.
    """
    folder = Path(folder)
    words = " ".join(_quote(a) for a in argv)
    command = f"python main.py {words}"
    readme = (f"ReLU Lab {lab_version()}\n\n{what}\n\n"
              "Every figure is written as PNG (300 dpi unless --dpi says otherwise), SVG (text\n"
              "kept as text) and PDF, with a CSV of the numbers behind it; CSV column names\n"
              "carry units (loss in nats, rate_hz, current_na; steps and layers are integers,\n"
              "layer 1 is the layer nearest the input).\n\n"
              f"Regenerate this folder with ./reproduce.sh, which runs:\n  {command}\n")
    script = ("#!/bin/sh\n# Regenerate this folder from its config.json (run from anywhere).\n"
              "set -e\nhere=$(cd \"$(dirname \"$0\")\" && pwd)\n"
              f"cd \"${{RELU_LAB:-{Path(__file__).resolve().parent.parent}}}\"\n"
              f"exec \"${{PYTHON:-$(test -x .venv/bin/python && echo .venv/bin/python "
              f"|| echo python3)}}\" main.py {words}\n")
    written = [write_text(folder / "README.txt", readme),
               write_text(folder / "reproduce.sh", script)]
    os.chmod(written[1], 0o777 & ~_umask())
    return written
