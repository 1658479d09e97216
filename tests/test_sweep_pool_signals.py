"""Local sweep workers started while the sweep holds its signals still end on SIGTERM.

`stop_pool` ends a cancelled or interrupted sweep's workers with SIGTERM. A worker that
inherited a held SIGTERM (the forkserver started inside `signals_deferred`) ignored it,
and one still starting up printed a traceback before the SIGKILL after the grace period.
"""

import signal
import time

from models.sweep.pool import local_pool, signals_deferred, stop_pool

HANG_S = 60.0


def _signal_set(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1], 16)
    raise AssertionError(f"{key} not in /proc/{pid}/status")


def test_a_worker_started_with_signals_held_ends_on_sigterm_and_ignores_ctrl_c():
    pool = local_pool(1)
    try:
        with signals_deferred():  # as the sweep submits its runs
            running = pool.submit(time.sleep, HANG_S)
        deadline = time.monotonic() + HANG_S
        while not running.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        (worker,) = pool._processes.values()
        assert not _signal_set(worker.pid, "SigBlk") & (1 << (signal.SIGTERM - 1))
        # Ctrl-C in a terminal reaches the whole process group: the parent handles it
        assert _signal_set(worker.pid, "SigIgn") & (1 << (signal.SIGINT - 1))
        worker.terminate()
        worker.join(HANG_S)
        assert worker.exitcode == -signal.SIGTERM  # SIGTERM itself, not a later SIGKILL
    finally:
        stop_pool(pool)
