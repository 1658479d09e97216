"""Running a sweep on a Dask cluster: a bounded connect, a watch on workers, the project upload."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import socket
import struct
import tempfile
import time
import zipfile
from pathlib import Path

from models.sweep.spec import SweepError

DEFAULT_CONNECT_TIMEOUT = 5.0  # seconds to reach a Dask scheduler before giving up
DEFAULT_NO_WORKER_TIMEOUT = 30.0  # seconds without a live worker before a sweep stops
SCHEMES = ("tcp",)
PROJECT_PACKAGES = ("models",)  # what a worker needs to run `models.sweep.run.run_one`


class SweepExecutionError(OSError):
    """The execution machinery failed (a worker died, the cluster went away).

    ``field`` names the setting to change (``scheduler``, ``upload``, ``no_worker_timeout``)
    or is empty; finished rows are already in the file and a resumed sweep continues.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def check_scheduler_address(address: str) -> tuple[str, int]:
    """Refuse a scheduler address that is not ``[tcp://]HOST:PORT``, before any connection.

    Returns
    -------
    (str, int)
        Host and port.

    Raises
    ------
    SweepError
        Naming the address and what is wrong (a half-built Dask client would otherwise
        linger and print a traceback when collected).
    """
    text = str(address).strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme not in SCHEMES:
        raise SweepError("scheduler", f"{scheme}:// is not supported (only tcp://HOST:PORT, "
                         "e.g. tcp://10.0.0.5:8786)")
    host, _, port = rest.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SweepError("scheduler", f"{address!r} is not a scheduler address; "
                         "give HOST:PORT, e.g. tcp://10.0.0.5:8786")
    return host, int(port)


def probe_scheduler(address: str, timeout: float) -> None:
    """Check within `timeout` seconds that a Dask scheduler answers at `address`.

    A Dask scheduler greets every new connection with a small handshake frame; a port
    where something else listens (or nothing answers) is refused here instead of hanging
    the client.

    Raises
    ------
    SweepExecutionError
        If nothing listens, nothing answers in time, or the answer is not Dask's.
    """
    host, port = check_scheduler_address(address)
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            head = _recv(sock, 8, deadline)
            (length,) = struct.unpack("<Q", head)
            if not 0 < length <= 65536:
                raise ValueError("not a Dask handshake")
            body = _recv(sock, length, deadline)
            if b"pickle-protocol" not in body:
                raise ValueError("not a Dask handshake")
    except TimeoutError:
        raise SweepExecutionError(f"scheduler: no Dask scheduler answered at {address} "
                                  f"within {timeout:g} s", "scheduler") from None
    except (OSError, ValueError, struct.error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SweepExecutionError(f"scheduler: cannot reach a Dask scheduler at {address} "
                                  f"({why})", "scheduler") from None


def _recv(sock: socket.socket, count: int, deadline: float) -> bytes:
    data = b""
    while len(data) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ValueError("the connection closed before a Dask handshake")
        data += chunk
    return data


def connect_dask(address: str, timeout: float = DEFAULT_CONNECT_TIMEOUT):
    """Connect to a Dask scheduler, failing within about `timeout` seconds with one line.

    Parameters
    ----------
    address : str
        Scheduler address, e.g. ``tcp://10.0.0.5:8786``.
    timeout : float
        Seconds to reach the scheduler (holds for any address: see `probe_scheduler`).

    Returns
    -------
    distributed.Client
        The connected client.

    Raises
    ------
    SweepError
        If ``dask[distributed]`` is not installed or the address is malformed.
    SweepExecutionError
        If the scheduler cannot be reached within `timeout`.
    """
    try:
        from distributed import Client
    except ImportError:
        raise SweepError("scheduler", "needs the optional Dask extra: pip install "
                         "'dask[distributed]' (or pip install 'relu-lab[cluster]')") from None
    check_scheduler_address(address)
    probe_scheduler(address, timeout)
    quiet_dask_logs()
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
        quiet_dask_logs()
        return client
    except (OSError, TimeoutError) as exc:
        raise SweepExecutionError(f"scheduler: cannot reach a Dask scheduler at {address} "
                                  f"within {timeout:g} s ({exc.__class__.__name__})",
                                  "scheduler") from None
    except ValueError as exc:
        raise SweepError("scheduler", f"{address!r} is not a scheduler address ({exc})") from None


def quiet_dask_logs() -> None:
    """Silence Dask's own loggers: a lost cluster is reported in one line, not 30."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in
             ("distributed", "tornado")]
    for name in ("distributed", *names):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def project_zip(folder: str | os.PathLike) -> Path:
    """Zip the lab's model packages into `folder` for ``Client.upload_file``; return the zip."""
    root = Path(__file__).resolve().parents[2]
    target = Path(folder) / "relu_lab_models.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in PROJECT_PACKAGES:
            for path in sorted((root / package).rglob("*.py")):
                archive.write(path, path.relative_to(root).as_posix())
    return target


def prepare_workers(client, upload: bool, setup) -> None:
    """Ship the project if asked, then run `setup` on every worker; one line if they fail.

    Raises
    ------
    SweepExecutionError
        If the workers cannot import the lab (field ``upload``) or fail otherwise.
    """
    if upload:
        with tempfile.TemporaryDirectory() as folder:
            client.upload_file(str(project_zip(folder)))  # load: on sys.path
    try:
        client.run(setup)
    except Exception as exc:  # noqa: BLE001 - a worker's failure, reported in one line
        text = " ".join(f"{exc.__class__.__name__}: {exc}".split())
        if isinstance(exc, ImportError) or "No module named" in text:
            raise SweepExecutionError(
                f"the Dask workers cannot import ReLU Lab ({text[:120]}); install the lab on "
                "the workers, or upload the project to them", "upload") from None
        raise SweepExecutionError(f"the Dask workers failed to start the sweep ({text[:160]})",
                                  "scheduler") from None


class WorkerWatch:
    """Notice when a Dask cluster has had no live worker, or no scheduler, for too long.

    Parameters
    ----------
    client : distributed.Client
        The sweep's client.
    address : str
        Scheduler address (for messages).
    no_worker_timeout : float
        Seconds without a live worker (or a connected scheduler) before `check` raises.
    """

    def __init__(self, client, address: str, no_worker_timeout: float) -> None:
        self.client = client
        self.address = address
        self.timeout = float(no_worker_timeout)
        self._last_ok = time.monotonic()

    def check(self, out) -> None:
        """Raise `SweepExecutionError` once the cluster has been unusable for the timeout."""
        status = getattr(self.client, "status", "running")
        workers = 0
        if status == "running":
            with contextlib.suppress(Exception):
                workers = len(self.client.scheduler_info().get("workers", {}))
        now = time.monotonic()
        if status == "running" and workers > 0:
            self._last_ok = now
            return
        if now - self._last_ok < self.timeout:
            return
        what = (f"no Dask worker has been alive for {self.timeout:g} s"
                if status == "running" else
                f"the Dask scheduler at {self.address} went away ({status})")
        raise SweepExecutionError(f"{what}; the finished rows are kept in {out}",
                                  "no_worker_timeout" if status == "running" else "scheduler")


def silence_client(client) -> None:
    """Close a client without the late tracebacks Dask prints when its cluster is gone."""
    stream = io.StringIO()
    with contextlib.suppress(Exception), contextlib.redirect_stderr(stream):
        client.close(timeout=2)
