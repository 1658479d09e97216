"""Atomic file writes: write to a temporary file beside the target, then rename into place.

The checks (no rename over a device, FIFO or link; the user's umask) live in `models.safe_io`.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from models.safe_io import atomic_write_bytes

__all__ = ["atomic_write_bytes", "atomic_write_text", "csv_lines", "csv_text", "write_csv"]


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
    return csv_lines([header]) + csv_lines(rows)


def csv_lines(rows: Iterable[Sequence[object]]) -> str:
    """Format `rows` as CSV lines without a header, exactly as `csv_text` does (streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([repr(float(v)) if _is_float(v) else v for v in row])
    return buffer.getvalue()


def write_csv(path: str | os.PathLike, header: Sequence[str],
              rows: Iterable[Sequence[object]]) -> Path:
    """Write a CSV file atomically; see `csv_text` for the format."""
    return atomic_write_text(path, csv_text(header, rows))


def _is_float(value: object) -> bool:
    return isinstance(value, float) or (hasattr(value, "dtype") and
                                        value.dtype.kind == "f")
