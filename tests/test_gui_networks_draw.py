"""Drawing the Networks grid: unchanged cells are not re-uploaded, pixels are the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from gui.networks.detail import format_step, unit_ticks
from gui.networks.heatmap import drawn_states, heatmap_rgba
from gui.networks.tab import NetworksTab
from gui.theme import DEAD_COLOR
from models.config import ExperimentConfig
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]

SMALL = ExperimentConfig(width=16, depth=3, activations=("relu", "leaky_relu"),
                         lrs=(0.03, 3.0), log_every=10, n_samples=256, batch_size=64)


@pytest.fixture
def tab(qtbot, lab_app):
    tab = NetworksTab(SMALL)
    qtbot.addWidget(tab)
    tab.resize(1400, 900)
    tab.show()
    yield tab
    tab.shutdown()
    assert not tab.worker.is_running()


def _settled(tab, step):
    frame = tab.last_frame
    return (frame is not None and tab._pending is None and not frame.playing
            and frame.generation == tab.generation and tab.shown_step == step
            and not tab.worker._commands)


def test_unchanged_cells_are_not_uploaded_again(qtbot, tab):
    qtbot.waitUntil(lambda: _settled(tab, 0), timeout=HANG_MS)
    uploads = [cell.image.uploads for cell in tab.grid.cells]
    drawn = tab.frames_drawn
    tab.worker.request_frame()
    qtbot.waitUntil(lambda: tab.frames_drawn > drawn and _settled(tab, 0), timeout=HANG_MS)
    assert [cell.image.uploads for cell in tab.grid.cells] == uploads
    tab.step_once(20)
    qtbot.waitUntil(lambda: _settled(tab, 20), timeout=HANG_MS)
    assert all(cell.image.uploads > n for cell, n in zip(tab.grid.cells, uploads))


def test_cell_pixels_are_the_engine_activity(qtbot, tab):
    tab.step_once(40)
    qtbot.waitUntil(lambda: _settled(tab, 40), timeout=HANG_MS)
    with tab.worker.busy:
        snap = tab.worker.experiment.snapshot()
    lut = tab.grid._cmap.getLookupTable(0.0, 1.0, 256, alpha=True)
    assert snap.dead.any()
    for cell in tab.grid.cells:
        k = cell.index
        expected = heatmap_rgba(snap.activity[k], snap.dead[k], lut, snap.state[k])
        image = cell.pixmap.pixmap().toImage().convertToFormat(
            cell.pixmap.pixmap().toImage().Format.Format_RGBA8888)
        rows, cols = snap.activity[k].shape
        assert (image.height(), image.width()) == (rows, cols)
        pixels = np.frombuffer(image.constBits(), np.uint8).reshape(rows, image.bytesPerLine())
        pixels = pixels[:, :4 * cols].reshape(rows, cols, 4)
        np.testing.assert_array_equal(pixels, expected)
        assert (pixels[snap.dead[k]][:, :3] == DEAD_COLOR).all()
        np.testing.assert_array_equal(drawn_states(pixels), snap.state[k])


@pytest.mark.slow
def test_live_titles_refresh_in_turn_and_settle_exact(qtbot, lab_app):
    config = ExperimentConfig(log_every=5)
    tab = NetworksTab(config)
    qtbot.addWidget(tab)
    tab.show()
    try:
        tab.play()
        qtbot.waitUntil(lambda: tab.shown_step >= 30, timeout=HANG_MS)
        tab.pause()
        qtbot.waitUntil(lambda: tab.last_frame is not None and not tab.last_frame.playing
                        and tab._pending is None and not tab.worker.playing
                        and tab.shown_step == tab.worker.experiment.step, timeout=HANG_MS)
        assert not any(cell.title_pending() for cell in tab.grid.cells)
    finally:
        tab.shutdown()


def test_axis_labels():
    assert [format_step(v) for v in (0, 800, 25_000, 1_500_000)] == ["0", "800", "25k",
                                                                      "1.5M"]
    major, minor = unit_ticks(3, 64)
    assert [label for _, label in major] == ["L1", "L2", "L3"]
    assert major[1][0] == 96
    assert ("16" in {label for _, label in minor})
