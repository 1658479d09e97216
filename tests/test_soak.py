"""Soak: the window trains the default grid for minutes without crashing or leaking memory.

The window runs in a subprocess, so a hard abort (such as PySide6 6.12's ``bool_dealloc``
after a few thousand signal emissions) fails this test instead of killing pytest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MIN_SECONDS = float(os.environ.get("RELU_LAB_SOAK_SECONDS", "180"))
MIN_SIGNALS = int(os.environ.get("RELU_LAB_SOAK_SIGNALS", "20000"))
MAX_SECONDS = 420.0
MAX_GROWTH_MB = 50.0

SCRIPT = r"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import psutil
from PySide6 import QtCore
from gui.app import create_app
from gui.main_window import MainWindow
from gui.networks.tab import NetworksTab
from models.config import ExperimentConfig

min_s, min_signals, max_s = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
app = create_app()
tab = NetworksTab(ExperimentConfig(steps=10_000_000))
window = MainWindow(tab)
window.show()
tab.play()
process = psutil.Process()
start = time.perf_counter()
state = {"rss_1min": None, "rss_max": 0}

def check():
    elapsed = time.perf_counter() - start
    rss = process.memory_info().rss
    state["rss_max"] = max(state["rss_max"], rss)
    if state["rss_1min"] is None and elapsed >= 60:
        state["rss_1min"] = rss
        state["rss_max"] = rss
    signals = tab.signals_received
    if (elapsed >= min_s and signals >= min_signals) or elapsed >= max_s:
        state.update(elapsed=elapsed, signals=signals, emitted=tab.worker.signals_emitted,
                     step=tab.progress_step, frames=tab.frames_drawn, rss_end=rss)
        window.close()
        app.quit()

timer = QtCore.QTimer()
timer.timeout.connect(check)
timer.start(1000)
app.exec()
state["thread_running"] = tab.worker.is_running()
print(json.dumps(state))
"""


def start_soak() -> subprocess.Popen:
    """Start the soak window in its own process (conftest starts it when the session begins,
    so its minutes overlap the rest of the suite instead of adding to it)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(MIN_SECONDS), str(MIN_SIGNALS), str(MAX_SECONDS)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.gui
@pytest.mark.timeout(MAX_SECONDS + 120)
def test_window_soak(request):
    process = getattr(request.config, "relu_lab_soak", None) or start_soak()
    try:
        stdout, stderr = process.communicate(timeout=MAX_SECONDS + 90)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, f"window process died ({process.returncode}): {stderr}"
    state = json.loads(stdout.strip().splitlines()[-1])
    assert not state["thread_running"]
    assert state["elapsed"] >= MIN_SECONDS
    assert state["signals"] >= min(MIN_SIGNALS, 1) and state["frames"] > 100
    if state["elapsed"] < MAX_SECONDS:
        assert state["signals"] >= MIN_SIGNALS
    growth_mb = (state["rss_max"] - state["rss_1min"]) / 2**20
    assert growth_mb < MAX_GROWTH_MB, state
    assert stderr == "", stderr
