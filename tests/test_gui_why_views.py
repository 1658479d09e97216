"""The "Why units die" view shows the engine's recorded diagnostics; the plateau runs aside."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from PySide6 import QtCore

from gui.networks.why.strip import NO_STEP_RGBA
from gui.networks.why.updates import RATIO_GUIDE
from gui.theme import DEAD_COLOR
from models.config import ExperimentConfig
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]

SMALL = ExperimentConfig(width=12, depth=2, activations=("relu", "leaky_relu"),
                         lrs=(0.03, 3.0), log_every=5, n_samples=256, batch_size=64, steps=200)


@pytest.fixture
def make_tab(make_networks_tab):
    return lambda config=SMALL: make_networks_tab(config)


def run_to(qtbot, tab, step):
    """Take steps up to `step` and wait until the newest frame is drawn."""
    tab.step_once(step - max(tab.shown_step, 0))
    qtbot.waitUntil(lambda: tab.shown_step == step and tab._pending is None
                    and not tab.worker._commands, timeout=HANG_MS)


def history_count(tab):
    with tab.worker.busy:
        return tab.experiment.history.count


WINDOW_FIGURES = ["networks_grid", "selected_loss", "selected_dead_fraction_per_layer",
                  "selected_kymograph", "selected_output"]


def test_drift_heatmap_is_the_engines_histograms_and_follows_replay(qtbot, make_tab):
    tab = make_tab()
    assert [f.name for f in tab.figures()] == WINDOW_FIGURES  # no why plot shows data yet
    tab.detail_area.set_view("why")
    assert tab.why.page == "drift" and tab.why.isVisible()
    tab.select(3)
    run_to(qtbot, tab, 30)
    qtbot.waitUntil(lambda: len(tab.why.drift.steps) == history_count(tab), timeout=HANG_MS)
    h, exp = tab.experiment.history, tab.experiment
    drift = tab.why.drift
    counts = h.extra("z_counts")[:, 3]
    np.testing.assert_array_equal(drift.counts, counts)
    np.testing.assert_array_equal(drift.steps, h.recorded_steps)
    np.testing.assert_array_equal(drift.edges, exp.diagnostics.edges[3])
    assert np.all(counts.sum(axis=2) == len(exp.probe_x) * SMALL.width)
    for layer, image in enumerate(drift.images):
        np.testing.assert_allclose(image.image, np.log10(1.0 + counts[:, layer].T), rtol=1e-12)
    # the z <= 0 trace is 1 - activity, from the engine's exact activity counts
    activity = h.active[:h.count, 3] / h.n_points
    for layer, curve in enumerate(drift.curves):
        x, y = curve.getData()
        np.testing.assert_array_equal(x, h.recorded_steps)
        np.testing.assert_allclose(y, 1 - activity[:, layer].mean(axis=1), atol=1e-6)
    # replay: the drift ends at the replayed record
    shown = tab.replay_step(10)
    assert shown == 10
    np.testing.assert_array_equal(drift.steps, [0, 5, 10])
    np.testing.assert_array_equal(drift.counts, counts[:3])
    tab.go_live()
    assert len(drift.steps) == h.count
    # File > Export figures writes the why plots that show data: only this page was drawn
    assert [f.name for f in tab.figures()] == WINDOW_FIGURES + ["why_preactivation_drift"]


def test_update_sizes_and_the_strip_of_every_cell(qtbot, make_tab):
    tab = make_tab()
    tab.detail_area.set_view("why")
    tab.why.set_page("updates")
    tab.select(1)
    run_to(qtbot, tab, 25)
    qtbot.waitUntil(lambda: len(tab.why.strip.steps) == history_count(tab), timeout=HANG_MS)
    h = tab.experiment.history
    ratio = h.extra("update_ratio").astype(float)
    strip = tab.why.strip
    assert len(strip.plots) == len(strip.images) == SMALL.n_networks == 4
    assert strip.labels == tab.experiment.labels
    with np.errstate(divide="ignore", invalid="ignore"):
        logged = np.where(ratio > 0, np.log10(ratio), np.nan)
    lut = strip._lut
    low, high = strip.levels
    for k, image in enumerate(strip.images):
        np.testing.assert_array_equal(strip.cell_image(k), logged[:, k].T)
        shown = np.asarray(image.image)  # (layers, records, RGBA)
        assert shown.shape == (SMALL.depth + 1, h.count, 4)
        cell = ratio[:, k].T
        assert np.all(shown[np.isnan(cell)] == NO_STEP_RGBA)  # step 0: no step yet
        assert np.all(shown[cell == 0] == (*DEAD_COLOR, 255))  # no gradient: no update
        moved = cell > 0
        index = np.clip((np.log10(cell[moved]) - low) / (high - low) * 255, 0, 255)
        np.testing.assert_array_equal(shown[moved], lut[index.astype(int)])
        assert "lr" in strip.plots[k].titleLabel.text
    # the big step's ratio is far above the small one's (lr 3 against lr 0.03), every layer
    late = slice(-3, None)
    assert np.all(ratio[late, 1] > 10 * ratio[late, 0])
    # the selected cell's plot: log10 ratio and gradient norm, guide at 1e-3
    view = tab.why.updates
    assert view.guide.value() == RATIO_GUIDE == -3.0
    for k, curve in enumerate(view.ratio_curves):
        x, y = curve.getData()
        np.testing.assert_allclose(y, logged[:, 1, k], rtol=1e-12)
    grad = h.grad_norms[:h.count, 1].astype(float)
    assert np.all(grad[0] == 0) and np.all(grad[1:] > 0)  # no step before step 0's record
    for k, curve in enumerate(view.grad_curves):
        y = curve.getData()[1]
        assert np.isnan(y[0])  # a gap, not a value
        np.testing.assert_allclose(y[1:], np.log10(grad[1:, k]), rtol=1e-12)


def click_unit(qtbot, tab, cell, layer, unit):
    """Click unit `unit` of `layer` in `cell`'s heatmap with the mouse."""
    grid = tab.grid
    area = grid.cells[cell].area.sceneBoundingRect()
    rows, cols = grid.cells[cell].image.image.shape
    point = QtCore.QPointF(area.left() + (unit + 0.5) / cols * area.width(),
                           area.top() + (layer + 0.5) / rows * area.height())
    assert grid.locate(point) == (cell, layer, unit)
    qtbot.mouseClick(grid.viewport(), QtCore.Qt.MouseButton.LeftButton,
                     pos=grid.mapFromScene(point))


def finished(tab, unit):
    surface = tab.why.plateau.surface
    return (tab.why.unit == unit and surface is not None and len(surface.bias) == 33
            and not tab.why.runner.busy)


def test_clicking_a_unit_computes_its_plateau_through_the_engine_loss(qtbot, make_tab):
    tab = make_tab()
    tab.detail_area.set_view("why")
    tab.why.set_page("plateau")
    run_to(qtbot, tab, 20)  # a recorded step: the history has the engine's loss there
    assert tab.why.unit is None and "Click a unit" in tab.why.status.text()
    click_unit(qtbot, tab, 2, 1, 5)
    assert tab.selected == 2 and tab.why.unit == (2, 1, 5)
    assert tab.why.jobs, "the click started a plateau job"
    qtbot.waitUntil(lambda: finished(tab, (2, 1, 5)), timeout=HANG_MS)
    view = tab.why.plateau
    surface = view.surface
    assert view.surface_step == 20 == tab.experiment.history.recorded_steps[-1]
    net = tab.experiment.networks[2]
    b0 = float(net.b[1][5])
    s0 = float(np.linalg.norm(net.W[1][:, 5].astype(float)))
    assert surface.current == pytest.approx((b0, s0), rel=1e-6)
    # the current parameters are a node of the grid (up to rounding of the linspace)...
    assert np.min(np.abs(surface.bias - b0)) <= 1e-9 * max(1.0, abs(b0))
    assert np.min(np.abs(surface.scale - s0)) <= 1e-9 * max(1.0, s0)
    # ...where the surface is the engine's recorded loss at that step: the same forward pass
    # in float32, so equal to float32 rounding (relative 1e-5)
    h = tab.experiment.history
    recorded = h.losses[h.count - 1, 2]
    assert recorded > 0
    assert view.value_at_current() == pytest.approx(recorded, rel=1e-5)
    assert tab.why.jobs[-1].levels_done == 2 and not tab.why.jobs[-1].stopped
    assert "L2:6" in view.plot.getAxis("bottom").labelText
    assert "bias" in view.plot.getAxis("bottom").labelText
    assert "‖w‖" in view.plot.getAxis("left").labelText
    # the trajectory is the unit's recorded bias and weight norm, ending at the point now
    np.testing.assert_allclose(view.trajectory[-1], (b0, s0), rtol=1e-5)
    assert len(view.trajectory) == tab.experiment.history.count
    # the export renders the figures builder's plateau, trajectory ending at the held point
    spec = tab.why.plateau_spec()
    assert spec.name == "plateau" and spec.table.header[:2] == ["bias_z_units", "weight_norm"]


@pytest.mark.slow
def test_a_new_selection_cancels_the_running_plateau_and_drops_its_result(qtbot, make_tab):
    tab = make_tab()
    tab.detail_area.set_view("why")
    tab.why.set_page("plateau")
    run_to(qtbot, tab, 10)
    why = tab.why
    held, release = threading.Event(), threading.Event()

    def hold():  # the training worker's lock, as a long training step holds it
        with tab.worker.busy:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        why.select_unit(0, 0, 1)
        first = why.jobs[-1]
        first_request = why._request
        qtbot.waitUntil(why.runner.is_running, timeout=HANG_MS)  # waiting for the lock
        why.select_unit(0, 1, 7)  # another unit while the first runs
        assert why._request != first_request and why.jobs[-1] is not first
    finally:
        release.set()
        holder.join(10)
    qtbot.waitUntil(lambda: finished(tab, (0, 1, 7)), timeout=HANG_MS)
    assert first.ended.is_set() and first.stopped and first.levels_done == 0
    second = why.jobs[-1]
    assert second is not first and second.levels_done == 2
    net = tab.experiment.networks[0]
    assert why.plateau.surface.current[0] == pytest.approx(float(net.b[1][7]), rel=1e-6)
    # a stale result (the first unit's, under its old request id) is dropped
    shown = why.plateau.surface
    why._on_surface(first_request, (first.request, 10, shown))
    assert why.plateau.surface is shown
    stale = why._request  # even under the current request id, another unit's surface is dropped
    why._on_surface(stale, (first.request, 10, object()))
    assert why.plateau.surface is shown
    # selecting another cell lets the unit go and cancels its job
    why.select_unit(0, 0, 2)
    tab.select(1)
    assert why.unit is None and why.plateau.surface is None
    qtbot.waitUntil(lambda: not why.runner.busy, timeout=HANG_MS)


@pytest.mark.slow
def test_session_keeps_the_unit_and_the_view(qtbot, make_tab):
    tab = make_tab()
    assert tab.settings()["detail_view"] == "history" and tab.settings()["unit"] is None
    tab.select(1)
    tab.detail_area.set_view("why")
    tab.why.set_page("plateau")
    tab.why.select_unit(1, 1, 4)
    saved = json.loads(json.dumps(tab.settings()))
    assert saved["unit"] == [1, 4] and saved["detail_view"] == "why"
    assert saved["why_page"] == "plateau" and saved["selected"] == 1
    other = make_tab()
    other.apply_settings(saved)
    assert other.selected == 1 and other.why.unit == (1, 1, 4)
    assert other.detail_area.view == "why" and other.why.page == "plateau"
    assert other.settings() == saved
    qtbot.waitUntil(lambda: finished(other, (1, 1, 4)), timeout=HANG_MS)
    # a session saved before these fields existed still loads, on the history view
    old = {k: v for k, v in saved.items() if k not in ("unit", "detail_view", "why_page")}
    other.apply_settings(old)
    assert other.why.unit is None and other.detail_area.view == "history"
    for bad, field in (({"unit": [5, 0]}, "unit"), ({"unit": "L1:2"}, "unit"),
                       ({"detail_view": "why?"}, "detail_view"), ({"why_page": "x"}, "why_page")):
        with pytest.raises(ValueError, match=field):
            other.apply_settings(dict(saved, **bad))
    assert other.settings() == {**old, "unit": None, "detail_view": "history",
                                "why_page": "drift"}


@pytest.mark.slow
def test_every_why_plot_has_the_export_menu_and_exports_the_builders_figure(qtbot, make_tab,
                                                                             tmp_path):
    from gui.figure_export import export_figure
    from gui.figure_view import MENU_ATTRIBUTE, figure_menu, plot_items

    tab = make_tab()
    tab.detail_area.set_view("why")
    tab.select(1)
    run_to(qtbot, tab, 15)
    why = tab.why
    for page in ("updates", "drift"):
        why.set_page(page)
    why.select_unit(1, 0, 3)
    assert not why.runner.busy  # the plateau waits until its page is seen
    why.set_page("plateau")
    qtbot.waitUntil(lambda: finished(tab, (1, 0, 3)), timeout=HANG_MS)
    why.set_page("updates")  # every page drawn once
    figures = why.figures()
    names = [f.name for f in figures]
    assert names == ["why_preactivation_drift", "why_update_sizes", "why_update_ratio_grid",
                     "why_plateau"]
    assert [f.name for f in tab.figures()] == WINDOW_FIGURES + names  # File > Export too
    built = {"why_preactivation_drift": why.drift_spec, "why_update_sizes": why.updates_spec,
             "why_update_ratio_grid": why.strip_spec, "why_plateau": why.plateau_spec}
    for figure in figures:
        texts = [a.text() for a in figure_menu(figure).actions() if a.text()]
        assert texts[:4] == ["Export PNG…", "Export SVG…", "Export PDF…", "Export CSV…"]
        for view in figure.item.scene().views():
            assert figure.name in [f.name for f in view.__dict__[MENU_ATTRIBUTE]]
        for plot in plot_items(figure.item):
            assert not plot.vb.menuEnabled() and not plot.menuEnabled()
        spec = built[figure.name]()
        assert spec is not None and spec.table.rows is not None and len(spec.table.rows)
        header, rows = figure.table()
        assert list(header) == list(spec.table.header) and len(rows) == len(spec.table.rows)
        # matplotlib takes seconds a figure here: every CSV, the pictures of two of them
        formats = {"why_plateau": ("csv", "png", "svg", "pdf"),
                   "why_update_sizes": ("csv", "png")}.get(figure.name, ("csv",))
        written = export_figure(figure, tmp_path, formats)
        assert sorted(p.suffix for p in written) == sorted(f".{f}" for f in formats)
        assert all(p.stat().st_size > 0 for p in written)
    # the drift CSV carries the engine's counts: the recorded total per step and layer
    h = tab.experiment.history
    rows = np.asarray(why.drift_spec().table.rows, float)
    per_record = rows[:, 4].reshape(h.count, SMALL.depth, -1).sum(axis=2)
    assert np.all(per_record == len(tab.experiment.probe_x) * SMALL.width)
