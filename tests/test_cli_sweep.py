"""`main.py sweep` on the command line (without Qt): bad inputs, figures, a killed sweep
resumed exactly."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.headless import ROOT, main_without_qt, run_without_qt

GRID = ["--dataset", "spiral", "--samples", "128", "--width", "8", "--depth", "2",
        "--batch-size", "32", "--activations", "relu,leaky_relu,tanh",
        "--lrs", "0.01,0.3,3,100", "--seeds", "4", "--probe-every", "10"]


def main_py(*args, timeout=60):
    return run_without_qt("sweep", *args, timeout=timeout)


def one_clean_line(result):
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def body(path):
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return lines[0], sorted(lines[1:])


@pytest.mark.parametrize("args,needle", [
    (["--lrs", "0"], "--lrs"),
    (["--lrs", "-1"], "--lrs"),
    (["--seeds", "0"], "--seeds"),
    (["--workers", "0"], "--workers"),
    (["--activations", "relu,nope"], "nope"),
    (["--depths", "0"], "--depths"),
])
def test_bad_inputs_one_line(tmp_path, args, needle, run_main):
    line = one_clean_line(run_main("sweep", "--steps", "5", *args, "--out",
                                   str(tmp_path / "s.csv")))
    assert needle in line
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.slow
def test_unreachable_scheduler_one_line(tmp_path):
    pytest.importorskip("distributed", reason="dask[distributed] not installed")
    # bounded: the command ends by itself (subprocess.run raises TimeoutExpired otherwise)
    line = one_clean_line(main_py("--steps", "5", "--scheduler", "tcp://127.0.0.1:1",
                                  "--connect-timeout", "2", "--out", str(tmp_path / "s.csv"),
                                  timeout=120))
    assert "tcp://127.0.0.1:1" in line and "scheduler" in line
    assert not (tmp_path / "s.csv").exists()


def test_existing_file_needs_resume_or_overwrite(tmp_path, run_main):
    out = tmp_path / "s.csv"
    out.write_text("something\n")
    line = one_clean_line(run_main("sweep", "--steps", "5", "--out", str(out)))
    assert "--resume" in line


@pytest.mark.slow
def test_killed_sweep_resumes_to_exactly_the_uninterrupted_rows(tmp_path):
    steps = ["--steps", "400"]
    full = tmp_path / "full.csv"
    done = main_py(*GRID, *steps, "--workers", "2", "--out", str(full), timeout=120)
    assert done.returncode == 0, done.stderr
    header, reference = body(full)
    assert len(reference) == 48
    for name in ("sweep_dead_fraction_heatmap", "sweep_final_loss_heatmap",
                 "sweep_dead_fraction_vs_lr"):
        for ext in ("png", "svg", "pdf"):
            path = tmp_path / "full_figures" / f"{name}.{ext}"
            assert path.stat().st_size > 1000, path

    out = tmp_path / "killed.csv"
    proc = subprocess.Popen(main_without_qt(["sweep", *GRID, *steps, "--workers", "1",
                                             "--out", str(out)]), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if out.exists() and len(out.read_bytes().splitlines()) >= 1 + 6:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the sweep finished before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its own worker processes
        proc.wait(timeout=10)
    partial = out.read_text(encoding="utf-8").splitlines()
    assert 1 + 6 <= len(partial) < 1 + 48

    resumed = main_py(*GRID, *steps, "--workers", "2", "--resume", "--out", str(out),
                      timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stderr
    assert body(out) == (header, reference)  # none missing, none twice, same numbers
