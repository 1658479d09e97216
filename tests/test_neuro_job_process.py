"""The neuron job process: same arrays as in-process, cancel, kill when stuck, clean shutdown."""

import time

import numpy as np
import psutil
import pytest

from neuro.job_process import JobProcess
from neuro.jobs import run_job
from neuro.parameters import LifParameters

SMALL = LifParameters(n_neurons=40, duration_s=0.3, noise_mv=3.0)
LONG = LifParameters(n_neurons=2000, duration_s=30.0)


def wait_for(jobs, predicate, timeout=60.0):
    """Poll `jobs` until a message satisfies `predicate`; return all messages seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = jobs.poll(0.05)
        seen.extend(messages)
        if any(predicate(m) for m in messages):
            return seen
    raise AssertionError(f"timed out; saw {[m[:2] for m in seen]}")


def settled(request_id):
    return lambda m: m[0] != "progress" and m[1] == request_id


def assert_gone(pid):
    if psutil.pid_exists(pid):
        assert psutil.Process(pid).status() != psutil.STATUS_ZOMBIE, "zombie child"
        pytest.fail(f"child {pid} still running")
    assert pid not in [p.pid for p in psutil.Process().children(recursive=True)]


@pytest.fixture
def jobs():
    process = JobProcess()
    yield process
    assert process.shutdown(2.0)


@pytest.mark.slow
def test_child_returns_the_same_arrays_as_an_in_process_run(jobs):
    assert jobs.pid is None  # started lazily
    drive = jobs.submit("drive", {"params": SMALL})
    fi = jobs.submit("fi", {"params": SMALL, "currents": [0.1, 0.2, 0.3, 0.4]})
    messages = wait_for(jobs, settled(fi))
    results = {m[1]: m for m in messages if m[0] == "finished"}
    assert set(results) == {drive, fi}
    assert any(m[0] == "progress" and m[1] == drive for m in messages)
    remote_drive, remote_fi = results[drive][3], results[fi][3]
    local_drive = run_job("drive", {"params": SMALL})
    local_fi = run_job("fi", {"params": SMALL, "currents": [0.1, 0.2, 0.3, 0.4]})
    for name in ("t_ms", "v_mv", "i_in_na", "spike_neuron", "spike_t_ms"):
        np.testing.assert_array_equal(getattr(remote_drive.run, name),
                                      getattr(local_drive.run, name))
    np.testing.assert_array_equal(remote_drive.rate_hz, local_drive.rate_hz)
    np.testing.assert_array_equal(remote_drive.rate_leaky_hz, local_drive.rate_leaky_hz)
    np.testing.assert_array_equal(remote_fi.rate_sim_hz, local_fi.rate_sim_hz)
    assert remote_fi.fit == local_fi.fit


@pytest.mark.slow
def test_bad_payload_fails_with_its_message_and_the_child_keeps_serving(jobs):
    bad = jobs.submit("response", {"params": SMALL.replace(i1_na=0.0), "freqs": [5.0]})
    messages = wait_for(jobs, settled(bad))
    assert ("failed", bad, "i1_na must be greater than 0 for a frequency response") in messages
    pid = jobs.pid
    good = jobs.submit("scan", {"params": SMALL, "scan": "noise_mv"})
    assert any(m[0] == "finished" for m in wait_for(jobs, settled(good)))
    assert jobs.pid == pid  # one persistent process


@pytest.mark.slow
def test_cancel_stops_a_running_job_and_later_jobs_still_run(jobs):
    long = jobs.submit("drive", {"params": LONG})
    queued = jobs.submit("fi", {"params": LONG})
    wait_for(jobs, lambda m: m[0] == "progress" and m[1] == long)
    pid = jobs.pid
    child = psutil.Process(pid)
    child.suspend()  # read all it sent before the cancel, however late this test runs
    while jobs.poll(0.2):
        pass
    jobs.cancel()
    child.resume()
    messages = wait_for(jobs, settled(queued), timeout=30)
    # the child stops at its next progress check: besides a report still on its way out
    # when it was paused, at most one more report of the long job (counted, not timed)
    before_end = messages[:[m[:2] for m in messages].index(("cancelled", long))]
    assert sum(m[0] == "progress" and m[1] == long for m in before_end) <= 2
    assert ("cancelled", long) in messages and ("cancelled", queued) in messages
    after = jobs.submit("drive", {"params": SMALL})
    assert ("finished", after) in [m[:2] for m in wait_for(jobs, settled(after))]
    assert jobs.pid == pid and jobs.restarts == 0


@pytest.mark.slow
def test_a_stuck_child_is_killed_after_the_grace_period_and_replaced(jobs):
    long = jobs.submit("drive", {"params": LONG})
    wait_for(jobs, lambda m: m[0] == "progress" and m[1] == long)
    pid = jobs.pid
    psutil.Process(pid).suspend()  # as if Brian2 were stuck in code generation
    jobs.cancel()
    after = jobs.submit("drive", {"params": SMALL})
    messages = wait_for(jobs, settled(long), timeout=30)
    assert ("cancelled", long) in messages
    assert jobs.restarts == 1  # killed after its grace period and replaced
    assert_gone(pid)
    finished = wait_for(jobs, settled(after))
    assert ("finished", after) in [m[:2] for m in finished]
    assert jobs.pid not in (None, pid)


@pytest.mark.slow
def test_shutdown_mid_run_leaves_no_child_within_two_seconds():
    jobs = JobProcess()
    long = jobs.submit("drive", {"params": LONG})
    wait_for(jobs, lambda m: m[0] == "progress" and m[1] == long)
    pid = jobs.pid
    assert jobs.shutdown(2.0)  # True: the child ended within the shutdown's own 2 s budget
    assert_gone(pid)
    assert jobs.shutdown(2.0)  # idempotent
    with pytest.raises(RuntimeError):
        jobs.submit("drive", {"params": SMALL})


def test_the_child_exits_when_its_parent_is_killed(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "from neuro.job_process import JobProcess\n"
        "jobs = JobProcess()\n"
        "jobs.start()\n"
        "print(jobs.pid, flush=True)\n"
        "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        assert psutil.pid_exists(pid)
        parent.kill()  # no clean-up runs in the parent
        parent.wait(5)
        deadline = time.monotonic() + 5
        while psutil.pid_exists(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not psutil.pid_exists(pid), "orphaned child still running"
    finally:
        if parent.poll() is None:
            parent.kill()


@pytest.mark.slow
def test_shutting_down_a_child_still_starting_up_prints_no_traceback(capfd):
    # the child unpickles its queues and its shared cancel counter as it starts: a shutdown
    # in the meantime must keep their semaphores until the child is gone
    for _ in range(3):
        jobs = JobProcess()
        jobs.submit("drive", {"params": SMALL})
        pid = jobs.pid
        assert jobs.shutdown()
        assert_gone(pid)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "SemLock" not in err, err
