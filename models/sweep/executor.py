"""Run a sweep through a `concurrent.futures` executor: a local process pool or a Dask cluster.

Every run is independent and seeded, so the rows are identical whatever the executor and
the number of workers; only their order in the file differs. Rows are appended to the
result file as runs finish; `iter_sweep` is a generator the command line and the GUI both
drive (it yields after every finished run and can be cancelled).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from models.sweep.io import ResultWriter, read_rows
from models.sweep.run import RunTask, pin_blas, run_one
from models.sweep.spec import SweepError, SweepSpec, row_key

DEFAULT_CONNECT_TIMEOUT = 5.0  # seconds to reach a Dask scheduler before giving up


class SweepExecutionError(OSError):
    """The execution machinery failed (a worker died, the cluster went away).

    Finished rows are already in the file; ``--resume`` continues from them.
    """


@dataclass
class SweepProgress:
    """Where a sweep stands, yielded after every finished run.

    Attributes
    ----------
    done : int
        Runs finished, including those found in the file when resuming.
    total : int
        Runs in the sweep.
    resumed : int
        Runs that were already in the file and were not redone.
    failed : int
        Runs finished with ``status = failed`` (this session and resumed).
    row : dict or None
        The row just finished (None for the first, initial report).
    rows : list of dict
        Every finished row of this sweep so far (resumed ones first).
    elapsed : float
        Seconds since the sweep started.
    cancelled : bool
        True on the last report of a cancelled sweep.
    """

    done: int
    total: int
    resumed: int = 0
    failed: int = 0
    row: dict | None = None
    rows: list = field(default_factory=list)
    elapsed: float = 0.0
    cancelled: bool = False

    @property
    def rate(self) -> float:
        """Runs finished per second in this session."""
        return (self.done - self.resumed) / self.elapsed if self.elapsed > 0 else 0.0


def default_workers() -> int:
    """Return the default number of local workers: every core this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


def worker_init() -> None:
    """Prepare a local worker process: BLAS on one thread, Ctrl-C left to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pin_blas()


def _local_pool(workers: int) -> cf.ProcessPoolExecutor:
    # forkserver: workers are forked from a clean server process, never from a process that
    # runs Qt or other threads (a plain fork of a threaded GUI process can deadlock).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=worker_init)


def connect_dask(address: str, timeout: float = DEFAULT_CONNECT_TIMEOUT):
    """Connect to a Dask scheduler, failing fast with a clear message.

    Parameters
    ----------
    address : str
        Scheduler address, e.g. ``tcp://10.0.0.5:8786``.
    timeout : float
        Seconds to wait for the scheduler.

    Returns
    -------
    distributed.Client
        The connected client.

    Raises
    ------
    SweepError
        If ``dask[distributed]`` is not installed.
    SweepExecutionError
        If the scheduler cannot be reached within `timeout`.
    """
    try:
        from distributed import Client
    except ImportError:
        raise SweepError("--scheduler needs the optional Dask extra: pip install "
                         "'dask[distributed]' (or pip install 'relu-lab[cluster]')") from None
    check_scheduler_address(address)
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SweepExecutionError(f"--scheduler: cannot reach a Dask scheduler at {address} "
                                  f"within {timeout:g} s ({exc.__class__.__name__})") from None
    except ValueError as exc:
        raise SweepError(f"--scheduler: {address!r} is not a scheduler address ({exc})") from None


def check_scheduler_address(address: str) -> None:
    """Refuse a scheduler address without a host and a port, before any connection attempt.

    Raises
    ------
    SweepError
        Naming the address and what it lacks (a half-built Dask client would otherwise
        linger and print a traceback when collected).
    """
    text = str(address).strip()
    rest = text.split("://", 1)[1] if "://" in text else text
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SweepError(f"--scheduler: {address!r} is not a scheduler address; "
                         "give HOST:PORT, e.g. tcp://10.0.0.5:8786")


@contextlib.contextmanager
def open_executor(workers: int | None = None, scheduler: str | None = None,
                  connect_timeout: float = DEFAULT_CONNECT_TIMEOUT):
    """Yield a `concurrent.futures.Executor`: a local process pool, or a Dask cluster's.

    Parameters
    ----------
    workers : int, optional
        Local worker processes (default: all cores). Ignored with a scheduler.
    scheduler : str, optional
        Dask scheduler address; Dask is imported only then.
    connect_timeout : float
        Seconds to reach the scheduler.

    Yields
    ------
    concurrent.futures.Executor
        The executor; it is shut down (or the client closed) on exit.
    """
    if scheduler:
        client = connect_dask(scheduler, connect_timeout)
        try:
            client.run(pin_blas)
            yield client.get_executor(pure=False)
        finally:
            client.close()
    else:
        workers = default_workers() if workers is None else int(workers)
        if workers < 1:
            raise SweepError(f"workers: {workers}; give at least 1")
        pool = _local_pool(workers)
        try:
            yield pool
        finally:
            _stop_pool(pool)


def _stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    pool.shutdown(wait=False, cancel_futures=True)
    # Runs already started cannot be cancelled: end this pool's own worker processes so a
    # cancelled sweep (or a closing window) does not wait for them.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.join(timeout=2)


def prepare_output(spec: SweepSpec, out: str | os.PathLike, resume: bool = False,
                   overwrite: bool = False) -> tuple[ResultWriter, list[dict[str, str]]]:
    """Open the result file for a sweep; on resume, read (and repair) what it holds.

    Parameters
    ----------
    spec : SweepSpec
        The sweep.
    out : path-like
        Result CSV.
    resume : bool
        Keep the finished rows of an existing file and skip their runs.
    overwrite : bool
        Replace an existing file (otherwise an existing, non-empty file is an error unless
        resuming).

    Returns
    -------
    (ResultWriter, list of dict)
        The open writer and the rows already finished (of any sweep sharing the header).

    Raises
    ------
    FileExistsError
        If `out` exists, is not empty, and neither `resume` nor `overwrite` is set.
    ValueError
        If resuming a file of a different sweep.
    """
    out = Path(out)
    header = spec.header()
    if check_output(out, resume, overwrite) and resume:
        rows, repair = read_rows(out, header)
        return ResultWriter(out, header, keep=rows if repair else None, fresh=False), rows
    return ResultWriter(out, header, fresh=True), []


def check_output(out: str | os.PathLike, resume: bool = False, overwrite: bool = False) -> bool:
    """Check that the result file may be written; return whether it exists (non-empty).

    Raises
    ------
    FileNotFoundError
        If its folder does not exist.
    FileExistsError
        If it exists, is not empty, and neither `resume` nor `overwrite` is set.
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise FileNotFoundError(f"--out: folder {str(out.parent)!r} does not exist")
    if out.is_dir():
        raise IsADirectoryError(f"--out: {out} is a folder; give a CSV file name")
    exists = out.exists() and out.stat().st_size > 0
    if exists and not (resume or overwrite):
        raise FileExistsError(f"--out: {out} already exists; pass --resume to continue that "
                              "sweep or --overwrite to start again")
    return exists


def iter_sweep(spec: SweepSpec, out: str | os.PathLike, *, workers: int | None = None,
               scheduler: str | None = None, resume: bool = False, overwrite: bool = False,
               cancel: threading.Event | None = None, executor: cf.Executor | None = None,
               connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
               poll: float = 0.1) -> Iterator[SweepProgress]:
    """Run a sweep, appending one row per finished run to `out`; yield progress after each.

    Closing the generator, or setting `cancel`, stops the sweep: queued runs are dropped,
    local workers are ended, and the rows already written stay (resume with ``resume``).

    Parameters
    ----------
    spec : SweepSpec
        The grid.
    out : path-like
        Result CSV (see `models.sweep.spec.sweep_header` for its columns).
    workers : int, optional
        Local worker processes (default: all cores).
    scheduler : str, optional
        Dask scheduler address; runs go to that cluster instead of local processes.
    resume : bool
        Skip the runs already finished in `out`.
    overwrite : bool
        Replace an existing `out`.
    cancel : threading.Event, optional
        Set it (from any thread) to stop the sweep.
    executor : concurrent.futures.Executor, optional
        Use this executor (not shut down here) instead of creating one.
    connect_timeout : float
        Seconds to reach the scheduler.
    poll : float
        Seconds between checks of `cancel` while waiting.

    Yields
    ------
    SweepProgress
        First the initial state (resumed runs counted as done), then one per finished run.

    Raises
    ------
    SweepExecutionError
        If a worker dies or the cluster fails; finished rows are kept.
    """
    start = time.perf_counter()
    runs = spec.runs()
    wanted = {run.key for run in runs}
    check_output(out, resume, overwrite)
    context = (contextlib.nullcontext(executor) if executor is not None
               else open_executor(workers, scheduler, connect_timeout))
    with context as pool:  # connect first: an unreachable cluster leaves no file behind
        writer, existing = prepare_output(spec, out, resume, overwrite)
        with writer:
            rows = [row for row in existing if row_key(row) in wanted]
            finished = {row_key(row) for row in rows}
            todo = [run for run in runs if run.key not in finished]
            failed = sum(row["status"] == "failed" for row in rows)
            progress = SweepProgress(len(rows), len(runs), len(rows), failed, None, list(rows),
                                     time.perf_counter() - start)
            yield progress
            tasks = [RunTask(spec.base, run, spec.probe_every, spec.max_depth) for run in todo]
            pending = {pool.submit(run_one, task) for task in tasks}
            try:
                while pending:
                    if cancel is not None and cancel.is_set():
                        progress.cancelled = True
                        progress.row = None
                        progress.elapsed = time.perf_counter() - start
                        yield progress
                        return
                    done, pending = cf.wait(pending, timeout=poll,
                                            return_when=cf.FIRST_COMPLETED)
                    for future in done:
                        row = _result(future, out)
                        writer.append(row)
                        progress.rows.append(row)
                        progress.done += 1
                        progress.failed += row["status"] == "failed"
                        progress.row = row
                        progress.elapsed = time.perf_counter() - start
                        yield progress
            finally:
                for future in pending:
                    future.cancel()


def _result(future: cf.Future, out) -> dict[str, str]:
    try:
        return future.result()
    except cf.CancelledError:
        raise SweepExecutionError(f"a run was cancelled by the executor; the finished rows "
                                  f"are in {out}: rerun with --resume") from None
    except Exception as exc:  # a dead worker, a lost cluster: not the run's own failure
        raise SweepExecutionError(f"the sweep stopped: {exc.__class__.__name__}: {exc}; the "
                                  f"finished rows are in {out}: rerun with --resume") from None


def run_sweep(spec: SweepSpec, out: str | os.PathLike, callback=None,
              **options) -> list[dict[str, str]]:
    """Run a whole sweep and return its rows (resumed ones included), in finishing order.

    Parameters
    ----------
    spec : SweepSpec
        The grid.
    out : path-like
        Result CSV.
    callback : callable, optional
        Called with each `SweepProgress`.
    **options
        Passed to `iter_sweep` (workers, scheduler, resume, overwrite, cancel, executor).

    Returns
    -------
    list of dict
        The finished rows.
    """
    progress = None
    for progress in iter_sweep(spec, out, **options):
        if callback is not None:
            callback(progress)
    return list(progress.rows) if progress is not None else []
