"""Run a sweep through a `concurrent.futures` executor: a local process pool or a Dask cluster.

Every run is independent and seeded, so the rows are identical whatever the executor and
the number of workers; only their order in the file differs. Rows are appended to the
result file as runs finish; `iter_sweep` is a generator the command line and the GUI both
drive (it yields after every finished run and can be cancelled).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from models.safe_io import expand
from models.sweep.dask import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_NO_WORKER_TIMEOUT,
    SweepExecutionError,
    WorkerWatch,
    connect_dask,
    prepare_workers,
    silence_client,
)
from models.sweep.io import ResultWriter, read_rows
from models.sweep.output import (
    SweepFileError,
    check_output,
    config_hash,
    first_difference,
    sweep_lock,
    write_settings,
)
from models.sweep.pool import (
    cancel_pending,
    default_workers,
    local_pool,
    signals_deferred,
    stop_pool,
    worker_init,
)
from models.sweep.run import RunTask, pin_blas, run_one
from models.sweep.spec import SweepError, SweepSpec, row_key

MAX_WORKERS = 64  # local processes, the same limit in the window and on the command line

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "DEFAULT_NO_WORKER_TIMEOUT", "MAX_WORKERS",
           "SweepExecutionError", "SweepFileError", "SweepProgress", "check_output",
           "default_workers", "iter_sweep", "open_executor", "prepare_output", "run_sweep",
           "worker_init"]

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


def _worker_setup() -> None:
    pin_blas()


@contextlib.contextmanager
def open_executor(workers: int | None = None, scheduler: str | None = None,
                  connect_timeout: float = DEFAULT_CONNECT_TIMEOUT, upload: bool = False):
    """Yield a `concurrent.futures.Executor`: a local process pool, or a Dask cluster's.

    Parameters
    ----------
    workers : int, optional
        Local worker processes (default: all cores). Ignored with a scheduler.
    scheduler : str, optional
        Dask scheduler address; Dask is imported only then.
    connect_timeout : float
        Seconds to reach the scheduler.
    upload : bool
        Ship the lab's model code to the Dask workers (``Client.upload_file``) first.

    Yields
    ------
    concurrent.futures.Executor
        The executor (with a Dask cluster, its ``client`` attribute is the client); it is
        shut down (or the client closed) on exit.
    """
    if scheduler:
        client = connect_dask(scheduler, connect_timeout)
        try:
            prepare_workers(client, upload, _worker_setup)
            executor = client.get_executor(pure=False)
            executor.client = client
            yield executor
        finally:
            silence_client(client)
    else:
        workers = default_workers() if workers is None else int(workers)
        if not 1 <= workers <= MAX_WORKERS:
            raise SweepError("workers", f"{workers}; give between 1 and {MAX_WORKERS} "
                             "(more only fight over the cores and the memory)")
        pool = local_pool(workers)
        try:
            yield pool
        finally:
            stop_pool(pool)


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
        The open writer and the rows already finished (of this experiment).

    Raises
    ------
    SweepFileError
        If `out` may not be written, or holds another experiment's runs (naming the first
        setting that differs when the settings record beside the file says).
    ValueError
        If resuming a file of a different sweep (other columns, not a result file).
    """
    out = expand(out)
    header = spec.header()
    wanted = config_hash(spec.base, spec.probe_every)
    if check_output(out, resume, overwrite) and resume:
        rows, repair = read_rows(out, header)
        other = next((r for r in rows if r.get("config_hash") != wanted), None)
        if other is not None:
            what = first_difference(out, spec.base, spec.probe_every) or (
                f"its runs have config_hash {other.get('config_hash')!r}, these settings "
                f"{wanted!r}")
            raise SweepFileError("resume", f"{out} holds another experiment's runs ({what}); "
                                 "resume it with the same settings or choose another file")
        write_settings(out, spec.base, spec.probe_every)
        return ResultWriter(out, header, keep=rows if repair else None, fresh=False), rows
    write_settings(out, spec.base, spec.probe_every)
    return ResultWriter(out, header, fresh=True), []


def iter_sweep(spec: SweepSpec, out: str | os.PathLike, *, workers: int | None = None,
               scheduler: str | None = None, resume: bool = False, overwrite: bool = False,
               cancel: threading.Event | None = None, executor: cf.Executor | None = None,
               connect_timeout: float = DEFAULT_CONNECT_TIMEOUT, upload: bool = False,
               no_worker_timeout: float = DEFAULT_NO_WORKER_TIMEOUT,
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
    upload : bool
        Ship the lab's model code to the Dask workers first.
    no_worker_timeout : float
        With a scheduler: seconds with no live worker (or no scheduler) before the sweep
        stops with `SweepExecutionError`, keeping the finished rows.
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
    out = expand(out)
    check_output(out, resume, overwrite)
    context = (contextlib.nullcontext(executor) if executor is not None
               else open_executor(workers, scheduler, connect_timeout, upload))
    with sweep_lock(out), context as pool:  # an unreachable cluster leaves no result file
        writer, existing = prepare_output(spec, out, resume, overwrite)
        client = getattr(pool, "client", None)
        watch = (WorkerWatch(client, scheduler or "the cluster", no_worker_timeout)
                 if client is not None else None)
        with writer:
            rows = [row for row in existing if row_key(row) in wanted]
            finished = {row_key(row) for row in rows}
            todo = [run for run in runs if run.key not in finished]
            failed = sum(row["status"] == "failed" for row in rows)
            progress = SweepProgress(len(rows), len(runs), len(rows), failed, None, list(rows),
                                     time.perf_counter() - start)
            yield progress
            tasks = [RunTask(spec.base, run, spec.probe_every, spec.max_depth) for run in todo]
            with signals_deferred():  # a worker half-started by Ctrl-C would traceback
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
                    if watch is not None and not done:
                        watch.check(out)
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
                cancel_pending(pool, pending, owned=executor is None)


def _result(future: cf.Future, out) -> dict[str, str]:
    try:
        return future.result()
    except cf.CancelledError:
        raise SweepExecutionError(f"a run was cancelled by the executor; the finished rows "
                                  f"are kept in {out}") from None
    except Exception as exc:  # a dead worker, a lost cluster: not the run's own failure
        text = " ".join(f"{exc.__class__.__name__}: {exc}".split())[:200]
        raise SweepExecutionError(f"the sweep stopped: {text}; the finished rows are kept "
                                  f"in {out}") from None


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
        Passed to `iter_sweep` (workers, scheduler, resume, overwrite, cancel, executor,
        connect_timeout, upload, no_worker_timeout).

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
