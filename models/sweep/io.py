"""The sweep's result file: rows appended as runs finish, read back (and repaired) to resume."""

from __future__ import annotations

import csv
import io
import os

from models.atomic_write import atomic_write_bytes
from models.safe_io import check_target, expand, read_regular_bytes
from models.sweep.spec import row_key

FINISHED = ("ok", "failed")
MAX_RESULT_BYTES = 512 * 1024 * 1024  # 100,000 runs of a deep net stay far below


def row_line(header: list[str], row: dict[str, str]) -> str:
    """Return one CSV line (with its newline) for `row` in the order of `header`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([row.get(name, "") for name in header])
    return buffer.getvalue()


def read_rows(path: str | os.PathLike, header: list[str]) -> tuple[list[dict[str, str]], bool]:
    """Read the finished rows of a result file, ignoring a half-written last line.

    Parameters
    ----------
    path : path-like
        The CSV file.
    header : list of str
        The header the file must have.

    Returns
    -------
    (list of dict, bool)
        The complete, finished rows (first occurrence of each run) and whether the file
        needs repairing (a torn last line, an unfinished or repeated row).

    Raises
    ------
    ValueError
        If the file's header differs from `header` (a different sweep) or a complete row
        in the middle of the file is malformed.
    """
    path = expand(path)
    data = read_regular_bytes(path, MAX_RESULT_BYTES, path.name)
    if not data.strip():
        return [], True
    if b"\x00" in data:
        raise ValueError(f"{path}: a binary file, not a sweep result CSV; "
                         "choose another result file")
    if b"\n" not in data.rstrip(b"\r\n") and not row_line(header, dict(zip(
            header, header))).encode("utf-8").startswith(data.strip()):
        # no complete line: only a torn header may be rewritten, never someone else's file
        raise ValueError(f"{path}: not this sweep's result file (its first line is not the "
                         "header); choose another result file")
    torn = not data.endswith(b"\n")
    if torn:
        cut = data.rfind(b"\n")
        data = data[:cut + 1] if cut >= 0 else b""
    lines = data.decode("utf-8", errors="replace").splitlines()
    if not lines:
        return [], True
    found = next(csv.reader([lines[0]]))
    if found != header:
        raise ValueError(f"{path}: its columns are not this sweep's ({len(found)} columns, "
                         f"expected {len(header)}: the deepest net or the file differ); "
                         "choose another result file, or the same sweep settings to resume")
    rows: list[dict[str, str]] = []
    seen: set[tuple] = set()
    repair = torn
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            repair = True
            continue
        values = next(csv.reader([line]))
        if len(values) != len(header):
            if number == len(lines):  # a torn last line that happened to end at a newline
                repair = True
                continue
            raise ValueError(f"{path}: line {number} has {len(values)} values, "
                             f"expected {len(header)}")
        row = dict(zip(header, values))
        try:
            key = row_key(row)
        except (KeyError, ValueError):
            raise ValueError(f"{path}: line {number} is not a sweep result row") from None
        if row.get("status") not in FINISHED or key in seen:
            repair = True
            continue
        seen.add(key)
        rows.append(row)
    return rows, repair


class ResultWriter:
    """Append result rows to the sweep file, one complete line per write, flushed at once.

    Parameters
    ----------
    path : path-like
        The CSV file.
    header : list of str
        Its columns.
    keep : list of dict, optional
        Rows already finished (resume): the file is rewritten atomically with exactly
        these rows first, which drops a torn last line or repeated rows.
    fresh : bool
        Start a new file with only the header (written atomically).
    """

    def __init__(self, path: str | os.PathLike, header: list[str],
                 keep: list[dict[str, str]] | None = None, fresh: bool = True) -> None:
        self.path = expand(path)
        self.header = list(header)
        if fresh or keep is not None:
            text = row_line(self.header, dict(zip(self.header, self.header)))
            text += "".join(row_line(self.header, row) for row in keep or [])
            atomic_write_bytes(self.path, text.encode("utf-8"))
        check_target(self.path)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC)
        self._handle = os.fdopen(fd, "a", encoding="utf-8", newline="")

    def append(self, row: dict[str, str]) -> None:
        """Write one row as a single line and push it to the disk."""
        self._handle.write(row_line(self.header, row))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file."""
        if not self._handle.closed:
            self._handle.close()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
