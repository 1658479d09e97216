"""The Networks tab: heatmaps show the engine's numbers, interventions act, bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest

from gui.networks.cell import dead_text
from gui.theme import DEAD_COLOR
from models.config import ExperimentConfig
from models.experiment import Experiment
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]

SMALL = ExperimentConfig(width=16, depth=3, activations=("relu", "leaky_relu", "tanh"),
                         lrs=(0.03, 3.0), log_every=10, n_samples=256, batch_size=64)


@pytest.fixture
def make_tab(make_networks_tab):
    return lambda config=SMALL: make_networks_tab(config)


def settled(tab):
    """True when the newest frame of the current experiment is drawn and the worker is idle."""
    frame = tab.last_frame
    return (frame is not None and tab._pending is None and not frame.playing
            and frame.generation == tab.generation and not tab.worker.playing
            and frame.snapshot.step == tab.worker.experiment.step
            and not tab.worker._commands)


def wait_step(qtbot, tab, step, timeout=30_000):
    qtbot.waitUntil(lambda: settled(tab) and tab.shown_step == step, timeout=timeout)


def assert_grid_matches_engine(tab):
    with tab.worker.busy:
        snap = tab.worker.experiment.snapshot()
    assert tab.shown_step == snap.step
    assert len(tab.grid.cells) == tab.config.n_networks
    for cell in tab.grid.cells:
        k = cell.index
        np.testing.assert_array_equal(cell.image.image, snap.activity[k])
        assert cell.image.levels is not None and tuple(cell.image.levels) == (0.0, 1.0)
        overlay = cell.overlay.image
        np.testing.assert_array_equal(overlay[..., 3] > 0, snap.dead[k])
        assert (overlay[snap.dead[k]][:, :3] == DEAD_COLOR).all()
        assert cell.dead_fraction == snap.dead_fraction[k]
        assert cell.diverged == bool(snap.diverged[k])
        if not cell.diverged:
            assert dead_text(snap.dead_fraction[k]) in cell.title_text()
            assert f"{100 * snap.dead_fraction[k]:.1f}%" in cell.title.text
        else:
            assert "DIVERGED" in cell.title_text()
            assert cell.veil.isVisible()


def test_steps_through_worker_match_engine(qtbot, make_tab):
    tab = make_tab()
    wait_step(qtbot, tab, 0)
    assert_grid_matches_engine(tab)
    tab.step_once(60)
    wait_step(qtbot, tab, 60)
    assert_grid_matches_engine(tab)
    snap = tab.last_frame.snapshot
    # the high learning rate kills ReLU units (row relu, column lr 3)
    assert snap.dead_fraction[1] > 0.05
    assert snap.dead_fraction[2] == 0.0  # leaky_relu, lr 0.03


@pytest.mark.slow
def test_play_pause_default_grid_matches_engine(qtbot, make_tab):
    tab = make_tab(ExperimentConfig(log_every=5))
    assert len(tab.grid.cells) == 20
    tab.play()
    qtbot.waitUntil(lambda: tab.shown_step >= 20, timeout=HANG_MS)
    tab.pause()
    qtbot.waitUntil(lambda: settled(tab), timeout=HANG_MS)
    assert_grid_matches_engine(tab)
    history = tab.history.cell(tab.selected)
    assert history["steps"][0] == 0 and np.all(np.diff(history["steps"]) > 0)


def test_same_init_for_every_cell(qtbot, make_tab):
    tab = make_tab()
    wait_step(qtbot, tab, 0)
    nets = tab.worker.experiment.networks
    for net in nets[1:]:
        np.testing.assert_array_equal(net.W[0], nets[0].W[0])


@pytest.mark.slow
def test_reset_drops_stale_frames(qtbot, make_tab):
    tab = make_tab()
    tab.play()
    qtbot.waitUntil(lambda: tab.shown_step >= 20, timeout=HANG_MS)
    old = tab.generation
    tab.reset()
    assert tab.generation != old and tab.last_frame is None
    qtbot.waitUntil(lambda: tab.last_frame is not None, timeout=HANG_MS)
    assert tab.last_frame.generation == tab.generation
    tab.pause()
    qtbot.waitUntil(lambda: settled(tab), timeout=HANG_MS)
    assert_grid_matches_engine(tab)


def test_thermal_kick_changes_dead_units_weights(qtbot, make_tab):
    config = SMALL.replace(init="negative_bias", bias_value=-3.0, activations=("relu",),
                           lrs=(0.03,))
    tab = make_tab(config)
    wait_step(qtbot, tab, 0)
    exp = tab.worker.experiment
    with tab.worker.busy:
        dead = exp.snapshot().dead[0]
    assert dead[0].any()
    before = [w.copy() for w in exp.networks[0].W]
    tab.thermal_kick("all")
    qtbot.waitUntil(lambda: "thermal kick" in tab.events.text(), timeout=HANG_MS)
    wait_step(qtbot, tab, 0)
    net = exp.networks[0]
    for layer in range(config.depth):
        cols = dead[layer, :config.width]
        changed = np.any(net.W[layer] != before[layer], axis=0)
        np.testing.assert_array_equal(changed, cols)
    assert_grid_matches_engine(tab)


def test_switch_selected_to_leaky(qtbot, make_tab):
    tab = make_tab()
    wait_step(qtbot, tab, 0)
    tab.select(1)
    tab.switch_selected()
    qtbot.waitUntil(lambda: tab.last_frame is not None
                    and tab.last_frame.snapshot.labels[1][0] == "leaky_relu", timeout=HANG_MS)
    qtbot.waitUntil(lambda: settled(tab), timeout=HANG_MS)
    assert tab.worker.experiment.networks[1].activation == "leaky_relu"
    assert "now Leaky ReLU" in tab.grid.cells[1].title_text()
    assert tab.worker.experiment.networks[0].activation == "relu"


def test_inject_outlier_changes_the_next_step(qtbot, make_tab):
    tab = make_tab()
    wait_step(qtbot, tab, 0)
    tab.inject_outlier("all")
    qtbot.waitUntil(lambda: "outlier" in tab.events.text(), timeout=HANG_MS)
    tab.step_once(1)
    wait_step(qtbot, tab, 1)
    twin = Experiment(SMALL)
    twin.run(1)
    exp = tab.worker.experiment
    for net, ref in zip(exp.networks, twin.networks):
        assert not np.array_equal(net.b[0], ref.b[0])


def test_kick_scope_selected_only(qtbot, make_tab):
    config = SMALL.replace(init="negative_bias", bias_value=-3.0)
    tab = make_tab(config)
    wait_step(qtbot, tab, 0)
    exp = tab.worker.experiment
    before = [net.W[0].copy() for net in exp.networks]
    tab.select(1)  # relu at lr 3 (leaky and tanh units are never dead: they keep a slope)
    tab.thermal_kick("selected")
    qtbot.waitUntil(lambda: "thermal kick" in tab.events.text(), timeout=HANG_MS)
    changed = [not np.array_equal(net.W[0], b) for net, b in zip(exp.networks, before)]
    assert changed == [i == 1 for i in range(len(before))]


def test_bad_learning_rate_keeps_previous_settings(qtbot, make_tab):
    tab = make_tab()
    wait_step(qtbot, tab, 0)
    generation, config = tab.generation, tab.config
    tab.play()
    tab.controls.lrs.setText("0.1, fast")
    tab.controls.lrs.editingFinished.emit()
    assert tab.config == config and tab.generation == generation
    assert tab.controls.message.isVisibleTo(tab)
    assert "'fast' is not a number" in tab.controls.message.text()
    assert "learning rates" in tab.controls.message.text()
    qtbot.waitUntil(lambda: tab.shown_step > 0, timeout=HANG_MS)  # still training
    assert tab.worker.is_running()
    tab.controls.lrs.setText("0.1, 1")
    tab.controls.lrs.editingFinished.emit()
    assert tab.config.lrs == (0.1, 1.0) and not tab.controls.message.isVisibleTo(tab)


def test_knob_change_rebuilds_grid(qtbot, make_tab):
    tab = make_tab()
    tab.controls.width.setValue(8)
    assert tab.config.width == 8
    wait_step(qtbot, tab, 0)
    assert tab.grid.cells[0].image.image.shape == (3, 8)
    tab.controls.activations.setText("relu, bogus")
    tab.controls.activations.editingFinished.emit()
    assert "activations: 'bogus' is not allowed" in tab.controls.message.text()
    assert tab.config.width == 8 and tab.config.activations == SMALL.activations


def test_bad_preset_keeps_previous_settings(qtbot, make_tab):
    tab = make_tab()
    config, generation = tab.config, tab.generation
    assert tab.load_preset("nope") is False
    assert tab.config == config and tab.generation == generation
    assert "unknown preset 'nope'" in tab.notice.text() and tab.notice.isVisibleTo(tab)
    assert tab.load_preset("high-lr-kills")
    assert tab.preset.name == "high-lr-kills"
    assert tab.preset.explanation in tab.explanation.text()


def test_settings_round_trip_and_bad_input(qtbot, make_tab):
    tab = make_tab()
    tab.select(3)
    saved = tab.settings()
    import json

    assert json.loads(json.dumps(saved)) == saved
    bad = dict(saved, config=dict(saved["config"], lrs=[0.1, "x"]))
    with pytest.raises(ValueError, match="lrs"):
        tab.apply_settings(bad)
    with pytest.raises(ValueError, match="selected"):
        tab.apply_settings(dict(saved, selected=99))
    with pytest.raises(ValueError, match="preset"):
        tab.apply_settings(dict(saved, preset="nope"))
    with pytest.raises(ValueError, match="colour"):
        tab.apply_settings(dict(saved, colour=1))
    assert tab.settings() == saved
    other = dict(saved, config=dict(saved["config"], width=4), selected=1)
    tab.apply_settings(other)
    assert tab.settings() == other
    tab.apply_settings({"preset": "leaky-rescues"})
    assert tab.preset_name == "leaky-rescues"


@pytest.mark.slow
def test_figures_titled_labelled_and_exported(qtbot, make_tab, tmp_path):
    from gui.figure_export import export_figure

    tab = make_tab()
    tab.step_once(20)
    wait_step(qtbot, tab, 20)
    figures = tab.figures()
    names = [f.name for f in figures]
    assert len(set(names)) == len(names) == 5
    for figure in figures[1:]:
        plot = figure.item
        assert plot.titleLabel.text
        for axis in ("left", "bottom"):
            assert plot.getAxis(axis).labelText
    for figure in figures:
        header, rows = figure.table()
        assert len(rows) > 0 and len(header) >= 2
        written = export_figure(figure, tmp_path)
        assert all(p.stat().st_size > 0 for p in written)
    assert "loss_bce" in figures[1].table()[0]
    assert "activity_fraction" in figures[0].table()[0]


def test_one_d_dataset_shows_fitted_curve(qtbot, make_tab):
    tab = make_tab(SMALL.replace(dataset="sine", activations=("relu",), lrs=(0.03,)))
    tab.step_once(10)
    wait_step(qtbot, tab, 10)
    assert not tab.detail.two_d
    qtbot.waitUntil(lambda: tab.detail.output.size > 0, timeout=HANG_MS)
    x, y = tab.detail.fit_curve.getData()
    assert len(x) > 10
    assert "Fitted curve" in tab.detail.output_plot.titleLabel.text


def test_diverged_state_is_shown(qtbot, make_tab):
    tab = make_tab(SMALL.replace(activations=("linear",), lrs=(1000.0,)))
    tab.step_once(30)
    wait_step(qtbot, tab, 30)
    assert_grid_matches_engine(tab)
    cell = tab.grid.cells[0]
    assert cell.diverged and cell.veil.isVisible() and "DIVERGED" in cell.title_text()
