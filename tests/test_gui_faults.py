"""Faults a class must not see: failed exports, closing mid-run, absurd sizes; presentation."""

from __future__ import annotations

import os

import psutil
import pytest
from PySide6 import QtCore, QtWidgets

from gui.main_window import MainWindow
from models.config import ConfigError, ExperimentConfig
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(240)]
SMALL = ExperimentConfig(width=16, activations=("relu", "leaky_relu"), lrs=(0.03, 3.0),
                         log_every=5)


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("RELU_LAB_CONFIG_DIR", str(tmp_path / "config"))
    return make_window(SMALL)


def test_export_into_a_folder_that_cannot_be_written(window, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        window.export_figures(blocker / "figs")
    assert blocker.read_text() == "not a folder"


@pytest.mark.slow
def test_full_disk_during_export_leaves_no_half_written_file(window, tmp_path, monkeypatch):
    folder = tmp_path / "figs"
    folder.mkdir()
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] >= 3:  # the third file finds the disk full
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        window.export_figures(folder)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and not any(n.endswith(".tmp") or n.startswith(".") for n in names)


def _threads_alive(win: MainWindow) -> list[str]:
    alive = []
    if win.networks.worker.is_running():
        alive.append("networks")
    for key in ("neuron", "sweep", "theory"):
        tab = getattr(win, key)
        for name in ("runner", "worker"):
            obj = getattr(tab, name, None)
            running = getattr(obj, "is_running", None)
            if callable(running) and running():
                alive.append(key)
    return alive


@pytest.mark.slow
def test_closing_during_training_and_a_brian2_simulation_is_quick_and_clean(qtbot, window):
    # processes of others (the soak window, started with the session) are not this window's
    others = {p.pid for p in psutil.Process().children(recursive=True)}
    window.networks.play()
    qtbot.waitUntil(lambda: window.networks.shown_step > 0, timeout=HANG_MS)
    window.tabs.setCurrentWidget(window.neuron)
    window.neuron.run()
    # the simulation is under way: its process has imported Brian2 and reports progress
    qtbot.waitUntil(lambda: bool(window.neuron._pending)
                    and window.neuron.progress_bar.value() > 0, timeout=HANG_MS)
    # the simulation's process, not multiprocessing's resource tracker (which lives as long
    # as this interpreter and does no work)
    children_before = [p for p in psutil.Process().children(recursive=True)
                       if p.pid not in others and "resource_tracker" not in " ".join(p.cmdline())]
    assert children_before, "the Brian2 simulation should run in a child process"
    window.close()  # how long this takes is measured by benchmarks/gui.py, not asserted
    assert _threads_alive(window) == []
    gone, alive = psutil.wait_procs(children_before, timeout=2.0)
    assert alive == [], [p.cmdline() for p in alive]
    assert all(not t.isRunning() for t in window.findChildren(QtCore.QThread))


def test_absurd_network_size_is_refused_before_it_eats_memory(networks_window):
    window = networks_window
    before = window.networks.config
    with pytest.raises(ConfigError, match="parameters"):
        ExperimentConfig(width=1024, depth=64, activations=("relu", "tanh"), lrs=(0.1, 1.0))
    with pytest.raises(ValueError):
        window.networks.apply_settings({"config": {**before.to_dict(), "width": 1024,
                                                   "depth": 64}})
    assert window.networks.config == before


@pytest.mark.slow
def test_presentation_mode_enlarges_type_thickens_lines_and_tucks_controls(qtbot, window):
    tab = window.networks
    tab.step_once(10)
    qtbot.waitUntil(lambda: tab.shown_step == 10, timeout=HANG_MS)
    app = QtWidgets.QApplication.instance()
    size = app.font().pointSizeF()
    window.toggle_presentation()
    try:
        assert app.font().pointSizeF() > 1.3 * size
        assert not tab.controls_scroll.isVisibleTo(window)
        assert window.presentation_action.isChecked()
    finally:
        window.toggle_presentation()
    assert app.font().pointSizeF() == pytest.approx(size)
    assert tab.controls_scroll.isVisibleTo(window)


def test_locked_controls_leave_the_grid_and_play(window):
    tab = window.networks
    window.toggle_lock()
    assert tab.play_button.isVisibleTo(window) and tab.grid.isVisibleTo(window)
    for widget in (tab.controls_scroll, tab.kick_button, tab.reset_button, tab.outlier_button):
        assert not widget.isVisibleTo(window)
    assert not window.file_menu.isEnabled() and not window.tabs.tabBar().isEnabled()
    window.toggle_lock()
    assert tab.kick_button.isVisibleTo(window) and window.file_menu.isEnabled()
