"""Local sweep workers started while the sweep holds its signals still end on SIGTERM.

`stop_pool` ends a cancelled or interrupted sweep's workers with SIGTERM. A worker that
inherited a held SIGTERM (the forkserver started inside `signals_deferred`) ignored it,
and one still starting up printed a traceback before the SIGKILL after the grace period.
The check runs in a fresh interpreter: the forkserver is one per process, and another
test in this process may have started it already.
"""

import json
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANG_S = 60.0

SCRIPT = r"""
import json, time
from models.sweep.pool import local_pool, signals_deferred, stop_pool

def signal_set(pid, key):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1], 16) for line in status if line.startswith(key))

if __name__ == "__main__":
    pool = local_pool(1)
    try:
        with signals_deferred():  # as the sweep submits its runs (the CLI: the main thread)
            running = pool.submit(time.sleep, 60)
        while not running.running():
            time.sleep(0.05)
        (worker,) = pool._processes.values()
        masks = {"blocked": signal_set(worker.pid, "SigBlk"),
                 "ignored": signal_set(worker.pid, "SigIgn")}
        worker.terminate()
        worker.join(60)
        print(json.dumps({**masks, "exitcode": worker.exitcode}))
    finally:
        stop_pool(pool)
"""


def test_a_worker_started_with_signals_held_ends_on_sigterm_and_ignores_ctrl_c():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=3 * HANG_S)
    assert done.returncode == 0, done.stderr
    worker = json.loads(done.stdout.strip().splitlines()[-1])
    assert not worker["blocked"] & (1 << (signal.SIGTERM - 1))
    # Ctrl-C in a terminal reaches the whole process group: the parent handles it
    assert worker["ignored"] & (1 << (signal.SIGINT - 1))
    assert worker["exitcode"] == -signal.SIGTERM  # SIGTERM itself, not a later SIGKILL
    assert "Traceback" not in done.stderr, done.stderr
