"""The local process pool of a sweep: workers that end with the sweep, and a bounded stop."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import select
import signal
import threading
import time

from models.sweep.run import pin_blas

__all__ = ["cancel_pending", "default_workers", "exit_with", "local_pool", "signals_deferred",
           "start_forkserver", "stop_pool", "worker_init"]


def default_workers() -> int:
    """Return the default number of local workers: every core this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


WORKER_NICENESS = 5  # local workers yield the cores to the window (or shell) that runs them


def worker_init(sweep_pid: int | None = None) -> None:
    """Prepare a local worker process: BLAS on one thread, Ctrl-C left to the parent.

    The worker also ends itself as soon as the sweep's process `sweep_pid` ends, however
    it ends (SIGKILL included): a forkserver and its workers keep each other alive through
    an inherited pipe, so nothing else would stop them. It runs at a lower priority
    (`WORKER_NICENESS`): one worker per core otherwise takes the CPU from the window's GUI
    thread, which then stalls for hundreds of ms as a sweep starts; on an idle machine the
    workers run as fast.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    if sweep_pid is not None:
        exit_with(sweep_pid)
    pin_blas()


def exit_with(pid: int) -> threading.Thread:
    """Start a daemon thread that ends this process (``os._exit``) when process `pid` ends.

    Uses a Linux pidfd (woken by the kernel when `pid` exits); elsewhere polls twice a second.
    """
    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            select.select([fd], [], [])
            os._exit(1)
        while True:  # pragma: no cover - no pidfd on this system
            time.sleep(0.5)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    thread = threading.Thread(target=watch, name="exit-with-sweep", daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def signals_deferred():
    """Hold SIGINT and SIGTERM (in the main thread) until the block ends, then deliver them.

    Submitting to a process pool starts its workers; an interrupt in the middle would leave
    a worker starting up after the pool was torn down.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def local_pool(workers: int) -> cf.ProcessPoolExecutor:
    """Return a process pool of `workers` forkserver workers that end with this process."""
    # forkserver: workers are forked from a clean server process, never from a process that
    # runs Qt or other threads (a plain fork of a threaded GUI process can deadlock).
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    if method == "forkserver":
        start_forkserver()
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(
        method), initializer=worker_init, initargs=(os.getpid(),))


def start_forkserver() -> None:
    """Start the forkserver (if it is not running) so its workers can be stopped cleanly.

    Started lazily by the first `submit`, inside `signals_deferred`, the server passed its
    held signals on to every worker: `stop_pool`'s SIGTERM then did nothing, and a worker
    still starting up read its pool's queue after the pool had gone and printed a traceback
    before the SIGKILL came. Started here (from the main thread) with SIGINT ignored, the
    server and every worker it forks ignore Ctrl-C from their first instruction (the parent
    handles it; `worker_init` ignores it again) and end at once on SIGTERM.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return  # local_pool spawns its workers instead
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()  # only the main thread may change a signal's handler
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # none lost meanwhile
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # kept across exec
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def cancel_pending(pool: cf.Executor, futures, owned: bool) -> None:
    """Cancel the runs of `futures` that have not started (a sweep that stops early).

    A local pool of our own (`owned`) is left alone: `stop_pool` follows, and has the
    pool's own manager thread cancel them. Cancelled from this thread, a future could
    still sit in the manager's table when the stopped workers broke the pool, and the
    manager, marking each one failed, raised ``InvalidStateError`` on it (CPython 3.11):
    a traceback under the command line's one-line "interrupted" message.
    """
    if owned and isinstance(pool, cf.ProcessPoolExecutor):
        return
    for future in futures:
        future.cancel()


def stop_pool(pool: cf.ProcessPoolExecutor, grace: float = 1.0) -> None:
    """Shut a pool down now: terminate its workers, then kill any left after `grace` s."""
    # Runs already started cannot be cancelled: end this pool's own worker processes so a
    # cancelled sweep (or a closing window, or Ctrl-C) does not wait for them; bounded in
    # time as a whole, and SIGKILL for any worker still there after the grace period.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # the pool's manager thread cancels the runs not started (see `cancel_pending`) before
    # the workers go: woken by this, it handles the shutdown before their deaths
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=max(deadline - time.monotonic(), 0.01))
            if process.is_alive():
                process.kill()
                process.join(timeout=0.5)
