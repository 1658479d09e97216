"""Brian2 runs: isolation between runs, seeding, progress, cancellation, targets."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuro.drive import run_drive
from neuro.lif_simulation import SimulationCancelled, simulate
from neuro.parameters import LifParameters
from neuro.targets import TARGETS, choose_target

ROOT = Path(__file__).resolve().parents[1]
RUN_A = dict(noise_mv=4.0, n_neurons=60, duration_s=0.3, seed=11, i0_na=0.22)
RUN_B = dict(noise_mv=8.0, n_neurons=40, duration_s=0.2, seed=5, g_leak_ns=15.0, i1_na=0.2,
             freq_hz=20.0, c_m_pf=150.0)

_ALONE = """
import json, sys
from neuro.lif_simulation import simulate
from neuro.parameters import LifParameters
run = simulate(LifParameters(**json.loads(sys.argv[1])), record=2)
print(json.dumps({"i": run.spike_neuron.tolist(), "t": run.spike_t_ms.tolist(),
                  "v": run.v_mv[1].tolist()}))
"""


def run_alone(params: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", _ALONE, json.dumps(params)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def same(run, alone):
    return (np.array_equal(run.spike_neuron, alone["i"])
            and np.array_equal(run.spike_t_ms, np.array(alone["t"]))
            and np.array_equal(run.v_mv[1], np.array(alone["v"])))


@pytest.mark.slow
def test_two_runs_in_one_process_equal_each_run_alone():
    a_first = simulate(LifParameters(**RUN_A), record=2)
    b_second = simulate(LifParameters(**RUN_B), record=2)
    a_again = simulate(LifParameters(**RUN_A), record=2)
    assert a_first.spike_t_ms.size > 10 and b_second.spike_t_ms.size > 10
    assert same(a_first, run_alone(RUN_A))
    assert same(b_second, run_alone(RUN_B))
    assert np.array_equal(a_first.spike_t_ms, a_again.spike_t_ms)


def test_progress_reaches_one_and_cancel_stops_the_run():
    seen = []
    simulate(LifParameters(n_neurons=10, duration_s=0.2), progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == pytest.approx(1.0)
    with pytest.raises(SimulationCancelled):
        simulate(LifParameters(n_neurons=10, duration_s=30.0), should_stop=lambda: True)


def test_drive_result_has_traces_rates_and_leak_current():
    params = LifParameters(n_neurons=200, duration_s=0.5)
    result = run_drive(params)
    run = result.run
    assert run.v_mv.shape == run.i_in_na.shape == run.i_leak_na.shape
    np.testing.assert_allclose(run.i_leak_na, params.g_leak_ns * (run.v_mv - params.e_leak_mv)
                               * 1e-3)
    expected_input = params.i0_na + params.i1_na * np.sin(2 * np.pi * params.freq_hz
                                                          * run.t_ms * 1e-3)
    np.testing.assert_allclose(run.i_in_na[0], expected_input, atol=1e-12)
    assert np.all(run.v_mv <= params.v_th_mv + 1e-9)
    header, rows = result.trace_table()
    assert header == ["t_ms", "i_in_na", "i_leak_na", "v_mv", "rate_lif_smoothed_hz",
                      "rate_leaky_smoothed_hz"]
    assert rows.shape == (run.t_ms.size, 6)
    # both rates carry the same smoothing: the Leaky ReLU column is the smoothed Leaky ReLU
    # rate of the sample's bin, not its instantaneous rate
    index = np.clip((run.t_ms // result.bin_ms).astype(int), 0, result.rate_hz.size - 1)
    np.testing.assert_array_equal(rows[:, 4], result.rate_hz[index])
    np.testing.assert_array_equal(rows[:, 5], result.rate_leaky_hz[index])
    from neuro.drive import input_current_na, smooth_rate

    leaky = smooth_rate(result.fit.rate_hz(input_current_na(params, result.rate_t_ms)),
                        result.bin_ms, result.kernel_ms)
    np.testing.assert_allclose(result.rate_leaky_hz, leaky)
    total_rate = run.spike_t_ms.size / (params.n_neurons * params.duration_s)
    assert np.mean(result.rate_hz) == pytest.approx(total_rate, rel=1e-9)


@pytest.mark.slow
def test_target_choice():
    assert choose_target("numpy").target == "numpy"
    assert choose_target("auto").target == "numpy"
    cython = choose_target("cython")
    assert cython.target in TARGETS and cython.reason
    with pytest.raises(ValueError, match="target"):
        choose_target("gpu")
