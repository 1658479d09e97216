"""The lab window: title, tabs, menus, About, shortcuts, clean close, and the gui command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtWidgets

from gui.about import versions
from gui.main_window import MainWindow
from gui.networks.tab import NetworksTab
from models.config import ExperimentConfig
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]
ROOT = Path(__file__).resolve().parent.parent
SMALL = ExperimentConfig(width=16, activations=("relu", "leaky_relu"), lrs=(0.03, 3.0),
                         log_every=5)


@pytest.fixture
def window(make_window):
    return make_window(SMALL)


def test_title_tabs_and_menus(window):
    assert window.windowTitle() == "ReLU Lab"
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles[0] == "Networks"
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    for name in ("File", "View", "Help", "Presets"):
        assert name in menus
    preset_actions = window.presets_menu.actions()
    assert len(preset_actions) >= 8
    # the window fits the screen it is on (it used to open at a fixed 1600 x 1000)
    area = window.screen().availableGeometry()
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= 1024 and minimum.height() <= 640
    assert window.width() == max(min(1600, area.width()), window.minimumWidth())
    assert window.height() == max(min(1000, area.height()), window.minimumHeight())


def test_about_names_every_version(networks_window):
    window = networks_window
    text = window.about_text()
    for name, version in versions().items():
        assert name in text and version in text
    assert set(versions()) == {"Python", "Qt", "PySide6", "pyqtgraph", "numpy", "Brian2"}


@pytest.mark.slow
def test_shortcuts_act_on_current_tab(qtbot, window):
    shortcuts = {a.shortcut().toString(): a for a in window.actions()}
    assert {"Space", "S", "R"} <= set(shortcuts)
    tab = window.networks
    shortcuts["Space"].trigger()
    assert tab.playing
    qtbot.waitUntil(lambda: tab.shown_step > 0, timeout=HANG_MS)
    shortcuts["Space"].trigger()
    assert not tab.playing
    generation = tab.generation
    shortcuts["R"].trigger()
    assert tab.generation == generation + 1
    shortcuts["S"].trigger()  # Step takes the step size shown (1, 10 or 100), not a probe interval
    qtbot.waitUntil(lambda: tab.shown_step == tab.step_size.currentData(), timeout=HANG_MS)
    tab.step_size.setCurrentIndex(tab.step_size.findData(10))
    shortcuts["S"].trigger()
    qtbot.waitUntil(lambda: tab.shown_step == 1 + 10, timeout=HANG_MS)


@pytest.mark.slow
def test_status_bar_shows_step_speed_frames(qtbot, make_window):
    # far more steps than the test can take: training is still running when the status
    # bar is read (a short run could finish first, and a stopped run's speed is 0)
    window = make_window(SMALL.replace(steps=10_000_000))
    tab = window.networks
    tab.play()

    def showing_speed():
        return (tab.playing and tab.live_status()["steps_per_s"] > 0
                and window.step_status.text() not in ("", "step 0")
                and window.rate_status.text() != "0 steps/s"
                and window.fps_status.text() != "0 frames/s")

    qtbot.waitUntil(showing_speed, timeout=HANG_MS)
    assert window.step_status.text().startswith("step ")
    assert window.rate_status.text().endswith("steps/s")
    assert window.fps_status.text().endswith("frames/s")
    assert tab.playing
    tab.pause()


def test_menu_preset_and_bad_preset(qtbot, networks_window):
    window = networks_window
    assert window.load_preset("thermal-kick")
    config = window.networks.config
    assert not window.load_preset("nope")
    assert window.networks.config == config
    assert "unknown preset" in window.networks.notice.text()


@pytest.mark.slow
def test_added_tab_is_shut_down_on_close(qtbot, lab_app):
    from gui.lab_tab import LabTab

    class Other(QtWidgets.QWidget, LabTab):
        stopped = 0

        def shutdown(self):
            Other.stopped += 1

        def settings(self):
            return {"x": 1}

    win = MainWindow(NetworksTab(SMALL))
    qtbot.addWidget(win)
    with pytest.raises(TypeError, match="not a LabTab"):
        win.add_tab(QtWidgets.QWidget(), "Plain")
    other = Other()
    index = win.add_tab(other, "Sweep")
    assert win.tabs.tabText(index) == "Sweep"
    assert win.session()["tabs"]["sweep"] == {"x": 1}
    win.networks.play()
    qtbot.waitUntil(lambda: win.networks.shown_step > 0, timeout=HANG_MS)
    win.close()
    assert Other.stopped == 1
    assert not win.networks.worker.is_running()


@pytest.mark.slow
def test_close_mid_run_leaves_no_thread(qtbot, lab_app):
    win = MainWindow(NetworksTab(ExperimentConfig()))
    qtbot.addWidget(win)
    win.show()
    win.networks.play()
    qtbot.waitUntil(lambda: win.networks.shown_step > 0, timeout=HANG_MS)
    thread = win.networks.worker._thread
    win.close()
    assert thread is not None and thread.isFinished()
    assert not win.networks.worker.is_running()
    names = [t.name for t in __import__("threading").enumerate()]
    assert not any("relu-lab" in n for n in names)


@pytest.mark.slow
def test_export_figures(qtbot, window, tmp_path):
    tab = window.networks
    tab.step_once(10)
    qtbot.waitUntil(lambda: tab.shown_step == 10, timeout=HANG_MS)
    written = window.export_figures(tmp_path)
    assert len(written) == 20  # 5 figures x PNG, SVG, PDF, CSV
    assert (tmp_path / "networks-selected_loss.csv").read_text().startswith("step,loss_bce")
    # the grid through the command line's builder (matplotlib), not the screen read back
    assert "Unit activity after 10 steps" in (tmp_path / "networks-networks_grid.svg").read_text()


def _run_main(*args, timeout=120):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_gui_command_plays_and_quits_cleanly():
    result = _run_main("gui", "--preset", "high-lr-kills", "--play", "--quit-after", "6")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_gui_command_bad_preset_is_one_line(run_main):
    status, _, stderr = run_main("gui", "--preset", "nope")
    assert status == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown preset 'nope'" in lines[0]
    assert "high-lr-kills" in lines[0]


def test_gui_command_bad_quit_after(run_main):
    status, _, stderr = run_main("gui", "--quit-after", "soon")
    assert status == 2 and "--quit-after" in stderr


@pytest.mark.slow
def test_start_up_does_not_import_brian2():
    code = ("import sys, os; os.environ['QT_QPA_PLATFORM']='offscreen';"
            "from gui.app import create_app; from gui.main_window import MainWindow;"
            "app = create_app(); w = MainWindow(); w.about_text(); w.close();"
            "print('brian2' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr




def test_gui_command_without_a_display_says_so_in_one_line():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                            "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0]
