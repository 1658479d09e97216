"""SIGINT, SIGTERM and SIGKILL at several points of `grid` and `sweep`: one line, no orphan.

Each test waits for a progress line (or a finished row) before signalling, never a fixed
sleep; the timeouts below only stop a hung process and are not the measured quantity.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

from models.sweep.io import read_rows
from models.sweep.spec import sweep_header

ROOT = Path(__file__).resolve().parents[1]
HANG = 60  # seconds after which a process that has not ended counts as hung
SWEEP = ["sweep", "--dataset", "spiral", "--samples", "256", "--width", "16", "--depth", "2",
         "--batch-size", "64", "--activations", "relu,tanh", "--lrs", "0.01,0.1",
         "--seeds", "6", "--steps", "3000", "--probe-every", "50", "--workers", "2"]
GRID = ["grid", "--samples", "256", "--width", "16", "--depth", "2", "--activations",
        "relu,tanh", "--lrs", "0.1", "--steps", "200000", "--log-every", "50", "--no-figures"]


class Running:
    """A `main.py` subprocess whose stderr lines are collected as they come."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "RELU_LAB_PROGRESS_EVERY_S": "0", "QT_QPA_PLATFORM": "offscreen"}
        self.proc = subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, predicate) -> str:
        """Return the first stderr line for which `predicate` holds (fail if the run ends)."""
        while True:
            line = self._queue.get(timeout=HANG)
            assert line is not None, "ended before the awaited line:\n" + "\n".join(self.lines)
            self.lines.append(line)
            if predicate(line):
                return line

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)

    def finish(self) -> tuple[int, list[str]]:
        code = self.proc.wait(timeout=HANG)
        while (line := self._queue.get(timeout=HANG)) is not None:
            self.lines.append(line)
        return code, [line for line in self.lines if line.strip()]


def assert_gone(processes: list[psutil.Process]) -> None:
    _, alive = psutil.wait_procs(processes, timeout=HANG)
    for process in alive:
        process.kill()
    assert not alive, f"orphans left running: {[p.pid for p in alive]}"


def done_count(line: str) -> int:
    """The ``done`` of a progress line ``label [###  ] done/total ...``, or -1."""
    if "] " not in line:
        return -1
    return int(line.split("] ", 1)[1].split("/", 1)[0])


def assert_one_line_interrupt(lines: list[str], name: str) -> None:
    text = "\n".join(lines)
    assert "Traceback" not in text, text
    final = [line for line in lines if not line.startswith(("sweep [", "grid ["))]
    assert len(final) == 1 and final[0].startswith(f"main.py: interrupted ({name})"), text


@pytest.mark.parametrize("point", ["started", "one_run_done"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.slow
def test_sweep_interrupted_keeps_finished_rows_and_leaves_no_process(tmp_path, sig, point):
    out = tmp_path / "s.csv"
    run = Running(*SWEEP, "--out", str(out))
    run.wait_for(lambda line: line.startswith("sweep [") and
                 (point == "started" or done_count(line) >= 1))
    family = run.descendants()
    assert family, "the sweep started no worker process"
    run.proc.send_signal(sig)
    code, lines = run.finish()
    assert code == 128 + sig
    assert_one_line_interrupt(lines, signal.Signals(sig).name)
    assert_gone(family)
    rows, repair = read_rows(out, sweep_header(2))
    assert not repair and all(r["status"] == "ok" for r in rows)
    assert len(rows) < 24  # it was really interrupted, and nothing unfinished was written
    assert f"finished runs are kept in {out}" in lines[-1] and "--resume" in lines[-1]


def test_double_ctrl_c_on_a_sweep_neither_hangs_nor_tracebacks(tmp_path):
    run = Running(*SWEEP, "--out", str(tmp_path / "s.csv"))
    run.wait_for(lambda line: line.startswith("sweep ["))
    family = run.descendants()
    run.proc.send_signal(signal.SIGINT)
    run.proc.send_signal(signal.SIGINT)
    code, lines = run.finish()
    assert code == 130
    assert_one_line_interrupt(lines, "SIGINT")
    assert_gone(family)


@pytest.mark.slow
def test_sigkill_of_a_sweep_leaves_no_forkserver_worker_or_tracker(tmp_path):
    run = Running(*SWEEP, "--out", str(tmp_path / "s.csv"))
    run.wait_for(lambda line: line.startswith("sweep [") and done_count(line) >= 1)
    family = run.descendants()
    names = " ".join(" ".join(p.cmdline()) for p in family)
    assert "forkserver" in names or "multiprocessing" in names, names
    run.proc.kill()
    run.proc.wait(timeout=HANG)
    assert_gone(family)


@pytest.mark.parametrize("point", [1, 200])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_grid_interrupted_writes_nothing_complete_looking(tmp_path, sig, point):
    out = tmp_path / "grid"
    run = Running(*GRID, "--out", str(out))
    run.wait_for(lambda line: line.startswith("grid [") and done_count(line) >= point)
    run.proc.send_signal(sig)
    code, lines = run.finish()
    assert code == 128 + sig
    assert_one_line_interrupt(lines, signal.Signals(sig).name)
    assert not out.exists()  # the complete folder only appears at the very end
    partial = tmp_path / "grid.partial"
    assert str(partial) in lines[-1] and "incomplete" in lines[-1]
    rows = (partial / "grid.csv").read_text().splitlines()
    assert rows[0].startswith("activation,lr,seed,step") and len(rows) >= 1
    assert not (partial / "config.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.partial"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_lab_is_loading_is_one_line(tmp_path, sig):
    # `-X importtime` writes a line per import to stderr: signal on the first one
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "main.py", *GRID, "--out",
                             str(tmp_path / "g")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if "cli.registry" in line or "numpy" in line:
            break
    proc.send_signal(sig)
    rest = proc.stderr.read()
    assert proc.wait(timeout=HANG) == 128 + sig
    lines = [line for line in rest.splitlines() if not line.startswith("import time:")]
    assert "Traceback" not in rest and len(lines) == 1, rest
    assert lines[0].startswith(f"main.py: interrupted ({signal.Signals(sig).name})")




@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_export_interrupted_leaves_no_complete_looking_folder(tmp_path, sig):
    out = tmp_path / "figs"
    run = Running("export", "--tabs", "networks,theory", "--out", str(out),
                  "--config", str(_long_config(tmp_path)))
    run.wait_for(lambda line: line.startswith("export: networks [") and done_count(line) >= 1)
    family = run.descendants()
    run.proc.send_signal(sig)
    code, lines = run.finish()
    assert code == 128 + sig
    text = "\n".join(lines)
    assert "Traceback" not in text, text
    final = [line for line in lines if not line.startswith("export: networks [")]
    assert len(final) == 1 and final[0].startswith(
        f"main.py: interrupted ({signal.Signals(sig).name})"), text
    assert_gone(family)
    assert not out.exists()  # only a finished export is renamed into place
    assert not (tmp_path / "figs.partial" / "README.txt").exists()


def _long_config(tmp_path: Path) -> Path:
    """A small grid that trains long enough to be interrupted mid-way."""
    import json

    from models.config import ExperimentConfig

    config = ExperimentConfig(activations=("relu",), lrs=(0.1,), width=8, depth=2,
                              n_samples=64, batch_size=16, steps=5_000_000, log_every=1000)
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"title": "long", "config": config.to_dict(), "schedule": []}))
    return path
