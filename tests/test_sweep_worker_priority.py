"""Local sweep workers run below the window's priority, so a starting sweep does not stall it."""

import os

from models.sweep.pool import WORKER_NICENESS, local_pool, stop_pool


def test_local_workers_run_at_a_lower_priority_than_the_sweep():
    pool = local_pool(1)
    try:
        worker = pool.submit(os.nice, 0).result(timeout=120)
    finally:
        stop_pool(pool)
    assert worker == min(os.nice(0) + WORKER_NICENESS, 19)
