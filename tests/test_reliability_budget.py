"""Memory and time budgets: refused before any work, or completed under the budget (peak RSS)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import main
from models.budget import (
    GB,
    BudgetError,
    check_network_budget,
    check_neuron_budget,
    check_neuron_run,
    memory_limit,
    network_budget,
)
from models.config import MAX_DEPTH, MAX_SAMPLES, MAX_WIDTH, ExperimentConfig

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 700  # a low limit for the property test, so that its runs stay small and quick


def one_line(capsys) -> str:
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


def test_the_limit_is_the_smaller_of_4_gb_and_a_quarter_of_memory(monkeypatch):
    monkeypatch.delenv("RELU_LAB_MEMORY_LIMIT_MB", raising=False)
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert memory_limit() == min(4 * GB, total // 4)
    monkeypatch.setenv("RELU_LAB_MEMORY_LIMIT_MB", "100")
    assert memory_limit() == 100 * 1024**2


def test_the_issue_grid_is_refused_before_work_naming_the_options(tmp_path, capsys):
    out = tmp_path / "g"
    code = main.main(["grid", "--activations", "relu", "--lrs", "0.1", "--samples", "200000",
                      "--batch-size", "200000", "--width", "1024", "--depth", "18",
                      "--out", str(out)])
    line = one_line(capsys)
    assert code == 2 and line.startswith("main.py: error: memory:")
    for option in ("--batch-size", "--samples", "--width", "--depth"):
        assert option in line
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_issue_neuron_response_is_refused_before_work(tmp_path, capsys):
    freqs = ",".join(str(f) for f in range(1, 1001))
    out = tmp_path / "n"
    code = main.main(["neuron", "response", "--freqs", freqs, "--n-neurons", "20000",
                      "--duration-s", "60", "--out", str(out)])
    line = one_line(capsys)
    assert code == 2 and "--n-neurons" in line and "--freqs" in line
    assert not out.exists()


def test_huge_fi_currents_and_tiny_dt_are_refused_as_plain_numbers():
    class Params:
        n_neurons, duration_s, dt_ms, noise_mv = 1000, 2.0, 0.1, 0.0

    with pytest.raises(BudgetError) as info:
        check_neuron_run("fi", Params, currents=range(100_000_000))
    assert "currents" in info.value.fields and "--" not in str(info.value)
    Params.dt_ms = 1e-9
    with pytest.raises(BudgetError, match="raise dt_ms"):
        check_neuron_run("drive", Params)
    Params.dt_ms = 0.1
    assert check_neuron_run("drive", Params).bytes < memory_limit()  # the default runs


def test_neuron_estimate_counts_population_steps_and_spikes():
    one = check_neuron_budget(100, 1.0, 0.1)
    assert one.work == 100 * 10_000
    ten = check_neuron_budget(100, 1.0, 0.1, runs=10)
    assert ten.work == 10 * one.work and ten.bytes > one.bytes


def test_network_estimate_grows_with_every_size_field():
    base = ExperimentConfig(activations=("relu",), lrs=(0.1,), steps=10)
    reference = network_budget(base).bytes
    for change in ({"width": 128}, {"depth": 6}, {"n_samples": 4096, "batch_size": 512},
                   {"activations": ("relu", "tanh")}, {"dtype": "float64"}):
        assert network_budget(base.replace(**change)).bytes > reference, change


def test_sweep_workers_multiply_the_estimate(monkeypatch):
    monkeypatch.setenv("RELU_LAB_MEMORY_LIMIT_MB", "600")
    config = ExperimentConfig(activations=("relu",), lrs=(0.1,), width=256, depth=4,
                              n_samples=4096, batch_size=1024, steps=10)
    check_network_budget(config, keep_snapshots=False, processes=1)
    with pytest.raises(BudgetError) as info:
        check_network_budget(config, keep_snapshots=False, processes=8)
    assert "workers" in info.value.fields


def _near(low: int, high: int):
    """Integers at or next to a field's limits (and one in between)."""
    return st.sampled_from(sorted({low, low + 1, (low + high) // 2, high - 1, high}))


@st.composite
def configs_near_limits(draw):
    samples = draw(_near(8, MAX_SAMPLES))
    return {"width": draw(_near(1, MAX_WIDTH)), "depth": draw(_near(1, MAX_DEPTH)),
            "samples": samples, "batch_size": draw(_near(1, samples)),
            "nets": draw(st.sampled_from([1, 2, 8])), "steps": draw(st.integers(1, 3))}


@st.composite
def configs_near_the_budget(draw):
    """Width, depth and grid near their limits, samples chosen to land next to the budget."""
    width = draw(st.sampled_from([1, 64, 512, MAX_WIDTH]))
    depth = draw(st.sampled_from([1, 2, 4, 8]))
    nets = draw(st.sampled_from([1, 2]))
    factor = draw(st.sampled_from([0.8, 0.95, 1.05, 1.3]))
    full = draw(st.booleans())  # batch = every sample, or a small batch

    def estimate(samples: int) -> int:
        config = ExperimentConfig(width=width, depth=depth, n_samples=samples,
                                  batch_size=samples if full else min(32, samples),
                                  activations=tuple(ACTIVATIONS[:nets]), lrs=(0.1,), steps=3,
                                  log_every=1)
        return network_budget(config).bytes

    low, high = 8, MAX_SAMPLES
    target = factor * LIMIT_MB * 1024**2
    while low < high:  # the fewest samples whose estimate reaches the target
        middle = (low + high) // 2
        if estimate(middle) < target:
            low = middle + 1
        else:
            high = middle
    return {"width": width, "depth": depth, "samples": low,
            "batch_size": low if full else min(32, low), "nets": nets, "steps": 3}


ACTIVATIONS = ["relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "softplus", "silu"]


@settings(max_examples=16, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(configs_near_limits() | configs_near_the_budget())
@pytest.mark.slow
def test_configs_near_the_limits_are_refused_before_work_or_run_under_budget(tmp_path, case):
    out = tmp_path / f"g{abs(hash(json.dumps(case, sort_keys=True)))}"
    argv = ["grid", "--no-figures", "--width", str(case["width"]), "--depth", str(case["depth"]),
            "--samples", str(case["samples"]), "--batch-size", str(case["batch_size"]),
            "--activations", ",".join(ACTIVATIONS[:case["nets"]]), "--lrs", "0.1",
            "--steps", str(case["steps"]), "--log-every", "1", "--out", str(out)]
    # VmHWM is this process's own peak: ru_maxrss would also count the parent's resident
    # size at fork (Linux keeps it across exec), i.e. the whole test session's
    probe = ("import json, re, sys, main\n"
             "code = main.main(sys.argv[1:])\n"
             "status = open('/proc/self/status').read()\n"
             "peak = int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)) * 1024\n"
             "print(json.dumps({'code': code, 'peak': peak}), file=sys.stderr)\n")
    env = {**os.environ, "RELU_LAB_MEMORY_LIMIT_MB": str(LIMIT_MB)}
    result = subprocess.run([sys.executable, "-c", probe, *argv], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    lines = result.stderr.strip().splitlines()
    report = json.loads(lines[-1])
    if report["code"] == 0:
        assert report["peak"] <= LIMIT_MB * 1024**2, (case, report)
        assert (out / "grid.csv").exists()
    else:
        assert report["code"] == 2, result.stderr
        assert len(lines) == 2 and lines[0].startswith("main.py: error:"), result.stderr
        assert not out.exists()  # refused before any work
