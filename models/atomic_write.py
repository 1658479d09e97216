"""Atomic file writes: write to a temporary file beside the target, then rename into place."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    Parameters
    ----------
    path : path-like
        Destination file; its folder must exist.
    data : bytes
        The complete new content.

    Returns
    -------
    pathlib.Path
        The destination path.

    Raises
    ------
    OSError
        If the temporary file cannot be written or renamed; no partial file is left behind.
    """
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())  # as open() would, not mkstemp's 0600
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    return target


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write `text` (UTF-8) atomically to `path`; see `atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Format `rows` under `header` as CSV text (floats with full precision).

    Parameters
    ----------
    header : sequence of str
        Column names; by convention they carry units (``rate_hz``, ``current_na``).
    rows : iterable of sequences
        One sequence per row, same length as `header`.

    Returns
    -------
    str
        The CSV document.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([repr(float(v)) if _is_float(v) else v for v in row])
    return buffer.getvalue()


def write_csv(path: str | os.PathLike, header: Sequence[str],
              rows: Iterable[Sequence[object]]) -> Path:
    """Write a CSV file atomically; see `csv_text` for the format."""
    return atomic_write_text(path, csv_text(header, rows))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _is_float(value: object) -> bool:
    return isinstance(value, float) or (hasattr(value, "dtype") and
                                        value.dtype.kind == "f")
