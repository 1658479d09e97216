"""A sweep stopped early cancels its pending runs without a traceback from the pool's thread."""

import os
import threading
import time
from concurrent.futures import process as cf_process

import pytest

from models.sweep.pool import cancel_pending, local_pool, stop_pool

HANG_S = 60.0


@pytest.fixture
def thread_errors():
    """Collect the exceptions that end any thread (printed as tracebacks otherwise)."""
    raised = []
    previous = threading.excepthook
    threading.excepthook = lambda args: raised.append(args.exc_value)
    yield raised
    threading.excepthook = previous


def started_pool(futures_count: int = 6):
    """Return a one-worker local pool, its futures (the first one running) and its worker."""
    pool = local_pool(1)
    futures = [pool.submit(time.sleep, 600) for _ in range(futures_count)]
    deadline = time.monotonic() + HANG_S
    while not futures[0].running() and time.monotonic() < deadline:
        time.sleep(0.01)  # polls for the condition, bounded by the hang guard
    assert futures[0].running()
    return pool, futures, (pool._executor_manager_thread, list(pool._processes.values()))


def test_stopping_our_pool_cancels_the_pending_runs_and_ends_the_running_one(thread_errors):
    """The sweep leaves its own pool's pending runs to `stop_pool`, which has the pool's
    thread cancel them and then ends the workers: no run starts, none is left running,
    and no thread ends in an exception."""
    pool, futures, (manager, processes) = started_pool()
    cancel_pending(pool, futures[1:], owned=True)
    stop_pool(pool)
    manager.join(HANG_S)
    assert not manager.is_alive() and not any(p.is_alive() for p in processes)
    assert thread_errors == []
    # the one worker runs the first; the pool hands on at most a full call queue more
    # (`max_workers + EXTRA_QUEUED_CALLS` runs, which the stopped worker never took up: they
    # end cancelled or failed, never with a result), and every later run was cancelled
    workers = 1
    queued = workers + workers + cf_process.EXTRA_QUEUED_CALLS
    assert all(f.cancelled() for f in futures[queued:])  # never started
    assert all(f.cancelled() or f.exception(HANG_S) is not None for f in futures[1:queued])
    assert all(f.done() for f in futures)


def test_an_executor_passed_in_is_not_shut_down_and_its_runs_are_cancelled():
    """Any other executor (Dask's, or one given by the caller) has its futures cancelled
    here, and stays open: the sweep does not own it."""
    import concurrent.futures as cf

    release = threading.Event()
    with cf.ThreadPoolExecutor(max_workers=1) as pool:
        futures = [pool.submit(release.wait, HANG_S) for _ in range(4)]
        cancel_pending(pool, futures[1:], owned=False)
        assert all(f.cancelled() for f in futures[1:]) and not futures[0].cancelled()
        later = pool.submit(os.getpid)  # still open: a shut-down pool refuses new work
        release.set()
        assert futures[0].result(HANG_S) is True and later.result(HANG_S) == os.getpid()
