"""Teaching on the Networks tab: pace, auto-pause at scheduled events, event markers, lock."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtWidgets

from gui.networks.layout import PACES
from gui.networks.tab import NetworksTab
from gui.presentation import _walk, side_panels
from models.experiment import Experiment
from models.presets import load_preset
from models.unit_states import DEAD
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(180)]


@pytest.fixture
def tab(qtbot, lab_app):
    made = NetworksTab()
    qtbot.addWidget(made)
    made.resize(1280, 760)
    made.show()
    yield made
    made.shutdown()
    assert not made.worker.is_running()


def first_step_over(preset: str, cell: int, fraction: float, limit: int = 400) -> int:
    """Step the engine one step at a time; return the first step `cell` is over `fraction` dead."""
    exp = Experiment(load_preset(preset).config)
    exp.start()
    for _ in range(limit):
        if exp.snapshot().dead_fraction[cell] > fraction:
            return exp.step
        exp.run(1)
    raise AssertionError(f"{preset}: cell {cell} never over {fraction:.0%} dead")


@pytest.mark.slow
def test_default_pace_shows_the_death_over_many_frames(qtbot, tab):
    preset = load_preset("high-lr-kills")
    labels = [(a, lr) for a in preset.config.activations for lr in preset.config.lrs]
    cell = labels.index(("relu", 6.0))
    death = first_step_over("high-lr-kills", cell, 0.5)
    drawn = []
    update = tab.grid.update_snapshot

    def record(snap, live=False):
        drawn.append((snap.step, float(snap.dead_fraction[cell])))
        return update(snap, live)

    tab.grid.update_snapshot = record
    assert tab.load_preset("high-lr-kills")
    assert tab.pace.value() == 0 and tab.pace_steps_per_s() == PACES[0]  # the default pace
    qtbot.waitUntil(lambda: bool(drawn), timeout=HANG_MS)
    assert drawn[0][0] == 0  # the class sees the untrained grid before play
    shown_before_play = len(drawn)
    tab.play()
    qtbot.waitUntil(lambda: any(step >= death for step, _ in drawn), timeout=120_000)
    tab.pause()
    # while playing, a frame the GUI could not draw in time is replaced by a newer one
    # (under load the first drawn may be step 1 or 2): count the frames drawn during play
    before = [d for d in drawn[shown_before_play:] if d[0] < death]
    assert len(before) >= 20, f"only {len(before)} frames before step {death}"
    at_death = [f for s, f in drawn if s == death]
    assert at_death and at_death[0] > 0.5  # the frames show the engine's numbers


def test_pace_keys_and_slider(qtbot, tab):
    tab.set_pace_index(3)
    assert tab.pace_value.text() == f"{PACES[3]:g} steps/s"
    tab.change_pace(+1)
    assert tab.pace.value() == 4
    tab.change_pace(-2)
    assert tab.pace.value() == 2
    tab.set_pace_index(len(PACES) + 5)
    assert tab.pace_steps_per_s() is None and tab.pace_value.text() == "full speed"
    qtbot.waitUntil(lambda: tab.worker.pace is None and not tab.worker.lapse, timeout=HANG_MS)


@pytest.mark.slow
def test_auto_pause_stops_at_each_scheduled_kick(qtbot, tab):
    assert tab.load_preset("thermal-kick")
    kicks = [a.step for a in tab.preset.schedule]  # the worker hands it to the engine later
    assert kicks == [250, 500]
    tab.set_pace_index(len(PACES) - 1)  # full speed: the pause must not depend on the pace
    tab.set_auto_pause(True)
    for n, step in enumerate(kicks, start=1):
        tab.play()
        qtbot.waitUntil(lambda n=n: len(tab.paused_steps) == n and not tab.playing
                        and not tab.worker.playing, timeout=HANG_MS)
        assert tab.paused_steps[-1] == step
        assert tab.worker.experiment.step == step
    # the events reach the window with the frame after the pause: wait for them to arrive
    qtbot.waitUntil(lambda: tab.shown_step == 500 and [
        e.step for e in tab.event_list() if e.kind == "kick"] == kicks, timeout=HANG_MS)
    events = tab.event_list()
    # every event is listed with its real step and marked on the loss and dead-fraction plots
    for e in events:
        assert f"step {e.step:,}" in tab.events.toolTip()
    marked = {(plot, round(line.value())) for plot, line in tab.detail.event_lines}
    for e in events:
        assert (tab.detail.loss_plot, e.step) in marked
        assert (tab.detail.layers_plot, e.step) in marked


def test_without_auto_pause_the_run_goes_through_the_kicks(qtbot, tab):
    assert tab.load_preset("thermal-kick")
    tab.set_pace_index(len(PACES) - 1)
    tab.play()
    qtbot.waitUntil(lambda: tab.worker.experiment.step > 510, timeout=HANG_MS)
    assert tab.paused_steps == [] and tab.playing
    tab.pause()


def _window_state(window):
    app = QtWidgets.QApplication.instance()
    fonts = {w: w.font().toString() for w in window.findChildren(QtWidgets.QWidget)}
    ticks = {}  # fonts and sizes only: a tab may finish a computation meanwhile
    for figure in window.all_figures():
        for axis in _walk(figure.item, pg.AxisItem):
            tick = axis.style.get("tickFont")
            ticks[axis] = (None if tick is None else tick.toString(),
                           axis.label.font().toString(), axis.fixedWidth, axis.fixedHeight)
        for label in _walk(figure.item, pg.LabelItem):
            ticks[label] = str(label.opts.get("size"))
        for curve in _walk(figure.item, pg.PlotCurveItem):
            pen = curve.opts.get("pen")
            ticks[curve] = None if pen is None else pg.mkPen(pen).widthF()
    # scroll bars come and go with the content's size (Qt's own containers): not compared
    shown = {w: w.isHidden() for w in window.findChildren(QtWidgets.QWidget)
             if not w.objectName().startswith("qt_scrollarea")}
    minimums = {w: (w.minimumWidth(), w.minimumHeight())
                for w in window.findChildren(QtWidgets.QWidget)}
    for table in window.findChildren(QtWidgets.QTableView):  # column widths too
        if table.model() is not None:
            minimums[table.horizontalHeader()] = tuple(
                table.columnWidth(c) for c in range(table.model().columnCount()))
    return {"app": app.font().toString(), "sheet": app.styleSheet(), "fonts": fonts,
            "plots": ticks, "shown": shown, "minimums": minimums,
            "size": (window.width(), window.height())}


@pytest.mark.slow
def test_presentation_round_trip_on_every_tab_restores_everything(qtbot, make_window):
    window = make_window()
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: window.networks.last_frame is not None, timeout=HANG_MS)
    for index in range(window.tabs.count()):  # every tab built its widgets
        window.tabs.setCurrentIndex(index)
        QtWidgets.QApplication.processEvents()
    # the first visits started the Theory sections and the Neuron runs: let the sections end
    # (their table's columns are compared) and stop the runs, so no result lands between a
    # 'before' and an 'after' below (new content rightly changes the window)
    theory, neuron = window.theory, window.neuron
    qtbot.waitUntil(lambda: neuron._shown_once and not neuron.is_idle(), timeout=HANG_MS)
    neuron.cancel()
    assert theory.wait_until_idle(HANG_MS / 1000) and neuron.wait_until_idle(HANG_MS / 1000)
    assert theory.table.rowCount() > 0
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QtWidgets.QApplication.processEvents()
        before = _window_state(window)
        body = QtWidgets.QApplication.font().pointSizeF()
        window.toggle_presentation()
        QtWidgets.QApplication.processEvents()
        # the text is scaled once (1.4x, not 1.4 x 1.4), and the preset title stays larger
        assert QtWidgets.QApplication.font().pointSizeF() == pytest.approx(1.4 * body)
        title = window.networks.explanation_title
        text = window.networks.explanation
        assert title.fontInfo().pointSizeF() > text.fontInfo().pointSizeF()
        for figure in window.all_figures():
            for axis in _walk(figure.item, pg.AxisItem):
                assert axis.style["tickFont"].pointSizeF() <= 1.4 * body + 1e-6
        # every tab's settings are tucked away, and the status bar: the room is the plots'
        panels = [p for widget in window.tab_widgets() for p in side_panels(widget)]
        assert len(panels) >= 3 and all(panel.isHidden() for panel in panels)
        assert not window.networks.controls_scroll.isVisible()
        assert window.statusBar().isHidden() and window.menuBar().isHidden()
        assert window.presentation_action.isEnabled()  # F11 still leaves
        window.toggle_presentation()
        QtWidgets.QApplication.processEvents()
        after = _window_state(window)
        for key in before:
            old, new = before[key], after[key]
            if isinstance(old, dict):  # widgets a tab made meanwhile are not compared
                assert len(set(old) - set(new)) == 0, f"tab {index}: widgets went"
                new = {w: v for w, v in new.items() if w in old}
            assert new == old, f"tab {index}: {key} changed"


def test_a_table_filled_while_presenting_fits_its_new_content_after(networks_window):
    window = networks_window
    table = QtWidgets.QTableWidget(0, 5, window.centralWidget())  # as the Theory tab's table
    table.setHorizontalHeaderLabels(["quantity", "formula", "predicted", "measured", "agrees"])
    window.toggle_presentation()
    QtWidgets.QApplication.processEvents()
    table.setRowCount(2)
    for row in range(2):
        for column in range(table.columnCount()):
            text = f"a result longer than its header {'and wider ' * (row + column % 3)}"
            table.setItem(row, column, QtWidgets.QTableWidgetItem(text))
    table.resizeColumnsToContents()  # as a section drawn while presenting does
    window.toggle_presentation()
    QtWidgets.QApplication.processEvents()
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    table.resizeColumnsToContents()  # what the new content needs at the normal size
    assert widths == [table.columnWidth(c) for c in range(table.columnCount())]


def _unit_center(tab, cell, layer, unit):
    area = tab.grid.cells[cell].area.sceneBoundingRect()
    rows, cols = tab.grid.cells[cell].image.image.shape
    return QtCore.QPointF(area.left() + (unit + 0.5) * area.width() / cols,
                          area.top() + (layer + 0.5) * area.height() / rows)


def _spells(states):
    """Return (dead since, revived at) of one unit's state column, scanning it directly."""
    dead = states == DEAD
    since = None
    if dead[-1]:
        k = len(dead) - 1
        while k > 0 and dead[k - 1]:
            k -= 1
        since = k
    revived = [k for k in range(1, len(dead)) if dead[k - 1] and not dead[k]]
    return since, (revived[-1] if revived else None)


@pytest.mark.slow
def test_hover_names_dead_since_and_revived_at_from_the_engine_history(qtbot, tab):
    assert tab.load_preset("high-lr-kills")
    tab.step_size.setCurrentIndex(tab.step_size.findData(100))
    for _ in range(6):
        target = tab.worker.experiment.step + 100
        tab.step_once()
        qtbot.waitUntil(lambda t=target: tab.shown_step == t and not tab.worker._commands,
                        timeout=HANG_MS)
    history = tab.experiment.history
    steps = history.recorded_steps
    n = history.count
    assert steps[-1] == tab.shown_step
    found = {"dead": None, "revived": None}
    for cell in range(tab.config.n_networks):
        for layer in range(tab.config.depth):
            for unit in range(tab.config.width):
                since, revived = _spells(history.state[:n, cell, layer, unit])
                if since is not None and found["dead"] is None:
                    found["dead"] = (cell, layer, unit, int(steps[since]))
                if revived is not None and since is None and found["revived"] is None:
                    found["revived"] = (cell, layer, unit, int(steps[revived]))
    assert found["dead"] and found["revived"], found
    cell, layer, unit, since = found["dead"]
    tab.grid._moved(_unit_center(tab, cell, layer, unit))
    assert f"layer {layer + 1}, unit {unit + 1}" in tab.hovered_text
    assert f"dead since step {since:,}" in tab.hovered_text
    assert "bias" in tab.hovered_text and "incoming weight norm" in tab.hovered_text
    cell, layer, unit, revived = found["revived"]
    assert layer > 0  # only units fed by other layers can come back (the first sees fixed data)
    tab.grid._moved(_unit_center(tab, cell, layer, unit))
    assert f"revived at step {revived:,}" in tab.hovered_text
    assert "dead since" not in tab.hovered_text
    assert "learning rate" in tab.hovered_text and "% dead" in tab.hovered_text


def test_locked_controls_disable_every_hidden_shortcut_and_action(qtbot, make_window):
    from PySide6 import QtGui
    from PySide6.QtTest import QTest

    window = make_window()
    tab = window.networks
    qtbot.waitUntil(lambda: tab.last_frame is not None and not tab.worker._commands,
                    timeout=HANG_MS)
    window.toggle_lock()
    assert tab.locked and "click a cell" not in tab.grid.key.text
    state = (tab.generation, tab.worker.experiment.step, tab.pace.value(), tab.selected,
             tab.config)
    window.activateWindow()
    for key in ("R", "S", "+", "-", "Ctrl+I", "Ctrl+E", "Ctrl+S", "Ctrl+O", "Ctrl+Right"):
        QTest.keySequence(window, QtGui.QKeySequence(key))
    for action in window.locked_actions():
        assert not action.isEnabled(), action.text()
        action.trigger()
    for action in (window.step_action, window.reset_action):
        assert action in window.locked_actions()
    for shortcut in tab.findChildren(QtGui.QShortcut):
        assert not shortcut.isEnabled()
    tab.reset()
    tab.step_once()
    tab.change_pace(+1)
    tab.select(tab.config.n_networks - 1)
    QtWidgets.QApplication.processEvents()
    assert (tab.generation, tab.worker.experiment.step, tab.pace.value(), tab.selected,
            tab.config) == state
    for widget in tab.lockable_widgets():
        assert not widget.isVisibleTo(window) and not widget.isEnabled()
    assert window.play_action.isEnabled() and window.lock_action.isEnabled()
    window.toggle_lock()
    assert "click a cell" in tab.grid.key.text and window.step_action.isEnabled()


def test_play_restarts_a_finished_locked_run(qtbot, make_window):
    from models.config import ExperimentConfig

    window = make_window(ExperimentConfig(width=8, activations=("relu",), lrs=(0.1,),
                                          steps=30, log_every=5), all_tabs=False)
    tab = window.networks
    tab.set_pace_index(len(PACES) - 1)
    window.toggle_lock()
    tab.play()
    qtbot.waitUntil(lambda: tab.finished and not tab.playing, timeout=HANG_MS)
    generation = tab.generation
    window.play_action.trigger()
    assert tab.playing and tab.generation == generation + 1
    qtbot.waitUntil(lambda: tab.finished and tab.shown_step == 30, timeout=HANG_MS)


@pytest.mark.slow
def test_presets_menu_in_teaching_order_with_next_lesson(qtbot, make_window):
    from models.presets import LESSONS, preset_names

    window = make_window()
    assert set(LESSONS) == set(preset_names())  # every preset has its place in the course
    titles = [a.text() for a in window.presets_menu.actions() if not a.isSeparator()]
    assert titles[0] == "Next lesson"
    expected = [f"{n}. {load_preset(name).title}" for n, name in enumerate(LESSONS, start=1)]
    assert titles[1:] == expected
    assert window.next_lesson_action.shortcut().toString() == "Ctrl+Right"
    for name in LESSONS + LESSONS[:1]:  # and round again to the first
        window.next_lesson_action.trigger()
        assert window.networks.preset_name == name


@pytest.mark.slow
def test_timeline_replays_a_recorded_step_then_goes_live(qtbot, tab):
    assert tab.load_preset("high-lr-kills")
    tab.step_size.setCurrentIndex(tab.step_size.findData(100))
    for target in (100, 200):
        tab.step_once()
        qtbot.waitUntil(lambda t=target: tab.shown_step == t and not tab.worker._commands,
                        timeout=HANG_MS)
    history = tab.experiment.history
    assert tab.timeline.maximum() == history.count - 1
    index = int(history.index_at(50))
    tab.timeline.setSliderDown(True)
    tab.timeline.setValue(index)
    snap = history.snapshot(index)
    assert tab.replaying and tab.shown_step == snap.step == 50
    for cell in tab.grid.cells:
        np.testing.assert_array_equal(cell.image.image, snap.activity[cell.index])
        assert cell.dead_fraction == snap.dead_fraction[cell.index]
    assert tab.detail.history["steps"][-1] == 50
    assert f"{100 * snap.dead_fraction[0]:.1f}% dead" in tab.hover_text(0)
    tab.timeline.setSliderDown(False)
    tab.go_live()
    assert not tab.replaying and tab.shown_step == 200


CVD_THRESHOLD = 30.0  # CIE76 units; about 2.3 is a just-noticeable difference


def test_dead_marker_stays_distinct_from_viridis_under_colour_blindness(lab_app):
    from gui import theme
    from tests.cvd import smallest_distance

    lut = theme.activity_colormap().getLookupTable(0.0, 1.0, 256, alpha=False)
    distances = {kind: smallest_distance(theme.DEAD_COLOR, lut, kind)
                 for kind in (None, "protanopia", "deuteranopia", "tritanopia")}
    # measured: about 34.0 (deuteranopia) for magenta; the old red (235, 30, 60) gave 16.7
    assert min(distances.values()) > CVD_THRESHOLD, distances
    assert smallest_distance((235, 30, 60), lut, "deuteranopia") < CVD_THRESHOLD  # can fail


def test_diverged_veil_hides_what_is_under_it(lab_app):
    from gui.networks.cell import Cell

    cell = Cell(0, np.zeros((256, 4)))
    assert cell.veil.brush().color().alpha() == 255
    assert cell.veil.brush().style() == QtCore.Qt.BrushStyle.SolidPattern
