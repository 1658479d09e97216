"""An interrupted neuron run is never returned or written as complete."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from neuro.lif_simulation import SimulationInterrupted, simulate
from neuro.parameters import LifParameters

ROOT = Path(__file__).resolve().parents[1]


def test_a_run_brian2_stops_on_ctrl_c_raises_instead_of_returning_truncated_results():
    import brian2

    # Brian2's own SIGINT handler (what `import brian2` installs: stop the run early),
    # installed for this test alone: in a shared test process an earlier test may have
    # imported Brian2 before another handler took SIGINT over
    previous = signal.signal(signal.SIGINT,
                             brian2._InterruptHandler(signal.default_int_handler))
    brian2.Network._globally_stopped = False
    calls = []

    def progress(fraction):
        calls.append(fraction)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # Brian2 ends the run at the next step

    params = LifParameters(n_neurons=200, duration_s=30.0, noise_mv=4.0)
    try:
        with pytest.raises(SimulationInterrupted, match="interrupted") as caught:
            simulate(params, progress=progress)
    finally:
        signal.signal(signal.SIGINT, previous)
        brian2.Network._globally_stopped = False
    assert caught.value.simulated_ms < caught.value.requested_ms == 30000.0


def wait_for_cpu(process: subprocess.Popen, seconds: float) -> None:
    """Wait (by polling the child's CPU time, not the clock) until it has done some work."""
    child = psutil.Process(process.pid)
    while process.poll() is None:
        times = child.cpu_times()
        if times.user + times.system >= seconds:
            return
        try:
            child.wait(timeout=0.05)
        except psutil.TimeoutExpired:
            pass
    raise AssertionError(f"the command ended early: {process.communicate()}")


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_neuron_drive_stopped_by_a_signal_writes_nothing_and_exits_128_plus_signal(
        tmp_path, signum, code):
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "neuron", "drive", "--out", str(out),
         "--n-neurons", "3000", "--duration-s", "60", "--noise-mv", "3"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        wait_for_cpu(process, 4.0)  # Brian2 imported and the run under way
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == code, stderr
    # progress lines (printed every few seconds off a terminal) aside, one line says why
    lines = [line for line in stderr.strip().splitlines()
             if not line.startswith("neuron drive [")]
    assert len(lines) == 1 and "interrupted" in lines[0] and "Traceback" not in stderr, stderr
    assert signal.Signals(signum).name in lines[0]
    assert stdout == ""
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())
