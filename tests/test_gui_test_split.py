"""The test split in the window: hollow test points, the test loss curve, accuracy, hover."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore

from models.config import ExperimentConfig
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]
NO_FILL = QtCore.Qt.BrushStyle.NoBrush

SMALL = ExperimentConfig(width=8, depth=2, activations=("relu", "tanh"), lrs=(0.05, 1.0),
                         log_every=10, n_samples=120, batch_size=40, test_fraction=0.25)


@pytest.fixture
def make_tab(make_networks_tab):
    return lambda config=SMALL: make_networks_tab(config)


def settled(tab, step):
    frame = tab.last_frame
    return (frame is not None and tab._pending is None and not frame.playing
            and frame.generation == tab.generation and not tab.worker.playing
            and frame.snapshot.step == tab.worker.experiment.step == step
            and tab.shown_step == step and not tab.worker._commands)


def test_the_boundary_plot_holds_exactly_the_test_points_as_hollow_rings(qtbot, make_tab):
    tab = make_tab()
    qtbot.waitUntil(lambda: settled(tab, 0), timeout=HANG_MS)
    exp = tab.experiment
    view = tab.detail.held_out
    test_x, test_y = exp.test_dataset.x, exp.test_dataset.y[:, 0]
    assert len(test_x) == 40  # 0.25 of all points beside 120 training points
    for label in (0, 1):
        x, y = view.points(label)
        np.testing.assert_array_equal(x, test_x[test_y == label, 0])
        np.testing.assert_array_equal(y, test_x[test_y == label, 1])
        ring = view.rings[label]
        assert ring.scene() is not None and ring.opts["brush"].style() == NO_FILL
        assert ring.name() == f"class {label} (test)"
    # the training points stay exactly the training set, filled
    train_x, train_y = exp.dataset.x, exp.dataset.y[:, 0]
    x0, y0 = tab.detail.scatter0.getData()
    np.testing.assert_array_equal(x0, train_x[train_y == 0, 0])
    np.testing.assert_array_equal(y0, train_x[train_y == 0, 1])
    names = [label.text for _, label in tab.detail.output_legend.items]
    assert names == ["class 0 (train)", "class 1 (train)", "class 0 (test)", "class 1 (test)"]


def test_loss_plot_legend_and_hover_show_the_engines_test_numbers(qtbot, make_tab):
    tab = make_tab()
    qtbot.waitUntil(lambda: settled(tab, 0), timeout=HANG_MS)
    tab.select(1)
    tab.step_once(30)
    qtbot.waitUntil(lambda: settled(tab, 30), timeout=HANG_MS)
    tab.draw()
    h = tab.experiment.history
    i = h.index_at(30)
    assert h.recorded_steps[i] == 30
    curve = tab.detail.held_out.test_curve  # xData, yData: the values before the log axis
    assert curve.xData[-1] == 30 and curve.yData[-1] == h.test_losses[i, 1]
    train, test = h.train_accuracy[i, 1], h.test_accuracy[i, 1]
    assert tab.detail.held_out.legend_texts() == [f"train · {100 * train:.1f}% correct",
                                                  f"test · {100 * test:.1f}% correct"]
    text = tab.hover_text(1)
    assert f"test loss {h.test_losses[i, 1]:.4g} nats" in text
    assert f"accuracy: train {100 * train:.1f}% · test {100 * test:.1f}%" in text
    header, rows = tab.detail.loss_table()
    assert header[2:] == ["test_loss_bce", "train_accuracy_fraction", "test_accuracy_fraction"]
    assert rows[-1][0] == 30 and rows[-1][2] == h.test_losses[i, 1] and rows[-1][4] == test
    # replay shows the recorded step's numbers
    tab.replay_step(10)
    j = h.index_at(10)
    assert curve.xData[-1] == 10 and curve.yData[-1] == h.test_losses[j, 1]
    assert f"{100 * h.test_accuracy[j, 1]:.1f}% correct" in tab.detail.held_out.legend_texts()[1]
    tab.go_live()


def test_no_test_points_means_no_rings_and_no_test_entry(qtbot, make_tab):
    tab = make_tab(SMALL.replace(test_fraction=0.0))
    qtbot.waitUntil(lambda: settled(tab, 0), timeout=HANG_MS)
    view = tab.detail.held_out
    assert all(ring.scene() is None for ring in view.rings)
    assert [t.split(" · ")[0] for t in view.legend_texts()] == ["train"]
    assert "test loss" not in tab.hover_text(0)


def test_regression_test_points_sit_on_the_fitted_curve_plot(qtbot, make_tab):
    tab = make_tab(SMALL.replace(dataset="sine", activations=("relu",), lrs=(0.05,)))
    qtbot.waitUntil(lambda: settled(tab, 0), timeout=HANG_MS)
    exp = tab.experiment
    x, y = tab.detail.held_out.points(2)
    np.testing.assert_array_equal(x, exp.test_dataset.x[:, 0])
    np.testing.assert_array_equal(y, exp.test_dataset.y[:, 0])
    assert tab.detail.held_out.legend_texts() == ["train", "test"]  # no accuracy to show
    assert "accuracy" not in tab.hover_text(0)
