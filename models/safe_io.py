"""Safe file access: refuse odd targets, read only regular files, write whole output folders."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

READ_CHUNK = 1 << 16
_UMASK_LOCK = threading.Lock()


class UnsafePathError(ValueError):
    """A path the lab refuses to read or write; the message names the path and why.

    ``field`` is ``"overwrite"`` when replacing the target is allowed if asked for (the
    command line then says which flag; the message itself names none).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def expand(path: str | os.PathLike) -> Path:
    """Return `path` with a leading ``~`` expanded (``~/x`` is never a folder named ``~``)."""
    return Path(os.path.expanduser(os.fspath(path)))


def current_umask() -> int:
    """Return this process's umask (read without changing it for other threads)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    return "not a regular file"


def check_target(path: str | os.PathLike, *, folder: bool = False,
                 what: str = "output") -> Path:
    """Refuse an output target that exists and is not a regular file (or a folder).

    Parameters
    ----------
    path : path-like
        The target (``~`` is expanded).
    folder : bool
        The target is a folder (an existing regular file is then refused); otherwise a file
        (an existing folder is refused).
    what : str
        Name used in the message (a setting such as ``out``; the command line passes its
        option, ``--out``).

    Returns
    -------
    pathlib.Path
        The expanded path.

    Raises
    ------
    UnsafePathError
        For a symbolic link, FIFO, device or socket, or a file/folder of the wrong kind.
    """
    target = expand(path)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise UnsafePathError(f"{what}: cannot check {str(target)!r}: "
                              f"{exc.strerror or exc}") from None
    wanted = stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)
    if not wanted:
        need = "a folder" if folder else "a regular file"
        raise UnsafePathError(f"{what}: {str(target)!r} is {_kind(mode)}, not {need}; "
                              "nothing was written")
    return target


def _safe_replace(source: str | os.PathLike, target: Path, folder: bool = False) -> None:
    """Rename `source` over `target` only if `target` is absent or of the right kind."""
    check_target(target, folder=folder)  # lstat right before the rename
    os.replace(source, target)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    The file gets the permissions a plain ``open`` would (0666 less the umask). A target
    that exists and is not a regular file (a device, FIFO, symbolic link, folder) is
    refused and nothing is written.

    Parameters
    ----------
    path : path-like
        Destination file; its folder must exist. ``~`` is expanded.
    data : bytes
        The complete new content.

    Returns
    -------
    pathlib.Path
        The destination path.

    Raises
    ------
    UnsafePathError
        If the target is not a regular file.
    OSError
        If the temporary file cannot be written or renamed; no partial file is left behind.
    """
    target = check_target(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _safe_replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return target


def open_regular(path: str | os.PathLike, what: str = "file") -> int:
    """Open a regular file for reading and return its descriptor; refuse anything else.

    The path is checked with ``os.stat`` before opening, opened with ``O_NONBLOCK`` (a FIFO
    can never block the caller) and checked again with ``fstat``.

    Raises
    ------
    UnsafePathError
        If it is a FIFO, device, socket or folder.
    OSError
        If it cannot be opened.
    """
    file = expand(path)
    mode = os.stat(file).st_mode
    if not stat.S_ISREG(mode):
        raise UnsafePathError(f"{what}: {file.name!r} is {_kind(mode)}, not a regular file")
    fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnsafePathError(f"{what}: {file.name!r} is {_kind(mode)}, "
                                  "not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular_bytes(path: str | os.PathLike, max_bytes: int, what: str = "file") -> bytes:
    """Read a regular file whole, refusing it as soon as it passes `max_bytes` while reading.

    Parameters
    ----------
    path : path-like
        The file (``~`` expanded).
    max_bytes : int
        Largest size accepted (checked on the bytes read, not on ``st_size``).
    what : str
        Name used in messages.

    Returns
    -------
    bytes
        The content.

    Raises
    ------
    UnsafePathError
        For a non-regular file or one larger than `max_bytes`.
    OSError
        If it cannot be read.
    """
    fd = open_regular(path, what)
    chunks, size = [], 0
    with os.fdopen(fd, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise UnsafePathError(f"{what}: {expand(path).name!r} is larger than "
                                      f"{max_bytes:,} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


def _is_empty_dir(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def check_output_folder(path: str | os.PathLike, overwrite: bool = False,
                        what: str = "output folder") -> Path:
    """Refuse an output folder that is not a folder, or that holds files without `overwrite`.

    Missing parent folders are created.

    Raises
    ------
    UnsafePathError
        Naming `what` and the problem (nothing is written).
    """
    if not str(path).strip():
        raise UnsafePathError(f"{what}: give a folder name (it is empty)")
    target = check_target(path, folder=True, what=what)
    if target.exists() and not overwrite and not _is_empty_dir(target):
        raise UnsafePathError(f"{what}: folder {str(target)!r} is not empty; choose a new "
                              "folder, or replace it (overwrite)", "overwrite")
    parent = target.parent
    for above in (parent, *parent.parents):  # the first folder that exists must be one
        if os.path.lexists(above):
            if not above.is_dir():
                raise UnsafePathError(f"{what}: {str(above)!r} is a file, not a folder")
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnsafePathError(f"{what}: cannot create folder {str(parent)!r}: "
                              f"{exc.strerror or exc}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UnsafePathError(f"{what}: folder {str(parent)!r} is not writable")
    return target


@contextlib.contextmanager
def output_folder(path: str | os.PathLike, overwrite: bool = False,
                  what: str = "output folder") -> Iterator[Path]:
    """Write a run's output folder as a whole: into a temporary sibling, renamed at the end.

    Parameters
    ----------
    path : path-like
        The final folder (``~`` expanded). It must not exist, be empty, or `overwrite`
        must be true; a symbolic link, FIFO, device or regular file there is refused.
    overwrite : bool
        Replace an existing non-empty folder (only once the new one is complete).
    what : str
        Option named in messages.

    Yields
    ------
    pathlib.Path
        The temporary folder to write into (files there get the user's umask).

    Raises
    ------
    UnsafePathError
        Before anything is written, for a target that may not be replaced.

    Notes
    -----
    If the body raises (an error, Ctrl-C, SIGTERM), nothing is renamed into place: a
    temporary folder holding files is renamed to ``<name>.partial`` (or a numbered variant)
    and a note naming it is added to the exception; an empty one is removed. An earlier
    run's folder is left as it was.
    """
    target = check_output_folder(path, overwrite, what)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    os.chmod(work, 0o777 & ~current_umask())
    try:
        yield work
    except BaseException as exc:
        kept = _keep_partial(work, target)
        if kept is not None and hasattr(exc, "add_note"):
            exc.add_note(f"the unfinished run's files are in {kept} (incomplete)")
        raise
    _install(work, target, what)


def _keep_partial(work: Path, target: Path) -> Path | None:
    try:
        if _is_empty_dir(work):
            work.rmdir()
            return None
        for number in range(1000):
            kept = target.with_name(f"{target.name}.partial" + (f"{number}" if number else ""))
            if not os.path.lexists(kept):
                os.rename(work, kept)
                return kept
    except OSError:
        pass
    return work


def _install(work: Path, target: Path, what: str) -> None:
    """Rename the finished folder into place, replacing an earlier one only now."""
    old = None
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None:
        if not stat.S_ISDIR(mode):
            shutil.rmtree(work, ignore_errors=True)
            raise UnsafePathError(f"{what}: {str(target)!r} became {_kind(mode)} during the "
                                  "run; nothing was written there")
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    try:
        _safe_replace(work, target, folder=True)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class LineWriter:
    """A text file written line by line, each line flushed as produced (kept on interrupt).

    Parameters
    ----------
    path : path-like
        The file (a new file; opened exclusively, so nothing is followed or replaced).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        target = check_target(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                     0o666)
        self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        """Write `text` and flush it to the operating system."""
        self._handle.write(text)
        self._handle.flush()

    def close(self) -> None:
        """Close the file."""
        if not self._handle.closed:
            self._handle.close()

    def __enter__(self) -> LineWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
