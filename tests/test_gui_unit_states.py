"""Dead, dormant and saturated units drawn apart on the grid, in colour-vision-safe colours."""

from __future__ import annotations

import numpy as np
import pytest

from models.config import ExperimentConfig
from models.experiment import Experiment
from models.unit_states import DEAD, DORMANT, SATURATED

pytestmark = pytest.mark.gui

CVD_THRESHOLD = 30.0  # CIE76 units, as for the dead colour (test_gui_classroom.py)
KINDS = (None, "protanopia", "deuteranopia", "tritanopia")


def _staged_experiment() -> Experiment:
    """A tanh cell with saturated and dead units, a Leaky ReLU cell with dormant units."""
    config = ExperimentConfig(activations=("tanh", "leaky_relu"), lrs=(0.1,), width=8,
                              depth=2, n_samples=64, batch_size=32, seed=3)
    exp = Experiment(config)
    exp.start()
    tanh, leaky = exp.networks
    tanh.b[0][:3] = 50.0    # on for every point, no slope: saturated
    tanh.b[0][3] = -50.0    # off for every point, no slope: dead
    tanh.b[1][5] = 60.0     # saturated in the second layer
    leaky.b[0][[1, 4]] = -50.0  # off for every point, slope alpha: dormant
    leaky.b[1][0] = -80.0
    return exp


def test_drawn_state_mask_is_the_engines_unit_states(qtbot, lab_app):
    from gui.networks.grid import GridView
    from gui.networks.heatmap import drawn_states

    exp = _staged_experiment()
    snap = exp.snapshot()
    tanh_state, leaky_state = snap.state
    assert (tanh_state == SATURATED).sum() >= 4 and (tanh_state == DEAD).sum() >= 1
    assert (leaky_state == DORMANT).sum() >= 3 and not (leaky_state == DEAD).any()

    view = GridView()
    qtbot.addWidget(view)
    view.build(["tanh", "leaky_relu"], [0.1])
    view.update_snapshot(snap)
    for cell in view.cells:
        np.testing.assert_array_equal(drawn_states(cell.rgba), snap.state[cell.index])
        # the picture on screen is that array
        image = cell.pixmap.pixmap().toImage().convertToFormat(
            cell.pixmap.pixmap().toImage().Format.Format_RGBA8888)
        rows, cols = snap.state[cell.index].shape
        pixels = np.frombuffer(image.constBits(), np.uint8).reshape(rows, image.bytesPerLine())
        pixels = pixels[:, :4 * cols].reshape(rows, cols, 4)
        np.testing.assert_array_equal(drawn_states(pixels), snap.state[cell.index])
    tanh_cell, leaky_cell = view.cells
    assert tanh_cell.saturated_fraction == pytest.approx(np.mean(tanh_state == SATURATED))
    assert leaky_cell.dormant_fraction == pytest.approx(np.mean(leaky_state == DORMANT))
    assert "saturated" in tanh_cell.title_text() and "dormant" in leaky_cell.title_text()
    for word in ("dead", "dormant", "saturated", "diverged"):  # the key names each state
        assert word in view.key.text


def test_state_colours_stay_distinct_under_colour_blindness(lab_app):
    from gui import theme
    from tests.cvd import smallest_distance

    lut = theme.activity_colormap().getLookupTable(0.0, 1.0, 256, alpha=False)
    reserved = {"dead": theme.DEAD_COLOR, "dormant": theme.DORMANT_COLOR,
                "saturated": theme.SATURATED_COLOR}
    distances = {}
    for name, color in reserved.items():
        others = np.array([c for n, c in reserved.items() if n != name])
        palette = np.vstack([lut, others])
        distances[name] = min(smallest_distance(color, palette, kind) for kind in KINDS)
    # measured: dead 34.0, dormant 43.5, saturated 30.7 (deuteranopia, against viridis)
    assert min(distances.values()) > CVD_THRESHOLD, distances
    # the old way of showing a dormant unit, viridis' own dark end, is not distinct at all
    assert smallest_distance(tuple(lut[0]), lut, None) < 1.0
