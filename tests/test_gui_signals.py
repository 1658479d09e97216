"""The window under SIGTERM and Ctrl-C: it closes as File > Quit does, autosave included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def wait_for(condition, process, limit_s: float = 120.0) -> None:
    """Poll `condition` while the process runs (bounded; a hang fails, nothing sleeps blind)."""
    import time

    deadline = time.monotonic() + limit_s
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


@pytest.mark.gui
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.slow
def test_a_signal_closes_the_window_and_saves_the_session(tmp_path, sig):
    ready = tmp_path / "ready"
    config = tmp_path / "config"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RELU_LAB_CONFIG_DIR": str(config),
           "RELU_LAB_READY_FILE": str(ready)}
    process = subprocess.Popen([sys.executable, "main.py", "gui", "--preset", "high-lr-kills"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        wait_for(ready.exists, process)
        process.send_signal(sig)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 128 + sig, err
    assert "Traceback" not in err
    saved = list(config.rglob("*.json"))
    assert saved, "no autosave written"
    assert any("high-lr-kills" in p.read_text(encoding="utf-8") for p in saved)
