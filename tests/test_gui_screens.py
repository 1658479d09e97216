"""Small screens: the default grid, colour bar and detail plots fit 1280 x 800 and 1366 x 768."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6 import QtWidgets

from gui.presentation import _walk
from tests.waiting import HANG_MS

pytestmark = [pytest.mark.gui, pytest.mark.timeout(180)]

SMALLEST_TEXT = 0.75  # an axis title may be drawn at 3/4 of its size, never smaller here


def _fits(view: pg.GraphicsLayoutWidget) -> bool:
    """Return True when everything laid out in `view` is inside what it shows."""
    shown = view.viewport().rect()
    laid = view.ci.geometry()
    return laid.width() <= shown.width() + 1 and laid.height() <= shown.height() + 1


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_default_grid_and_detail_fit_a_small_screen(qtbot, make_window, size):
    from models.config import ExperimentConfig

    window = make_window(ExperimentConfig(), all_tabs=False)  # the default 5 x 4 grid
    window.resize(*size)
    tab = window.networks
    qtbot.waitUntil(lambda: tab.last_frame is not None, timeout=HANG_MS)
    QtWidgets.QApplication.processEvents()
    assert window.width() <= size[0] and window.height() <= size[1]
    grid = tab.grid
    assert len(grid.cells) == 20 and _fits(grid)
    right = grid.colorbar.mapRectToScene(grid.colorbar.boundingRect()).right()
    assert right <= grid.viewport().width() + 1  # the colour bar is on screen
    for cell in grid.cells:  # every cell has room for its picture
        assert cell.area.size().width() > 50 and cell.area.size().height() >= 10
    detail = tab.detail
    assert _fits(detail)
    for plot in (detail.loss_plot, detail.layers_plot, detail.kymo_plot, detail.output_plot):
        # a title may shrink to fit, but stays larger than the body text
        title_points = float(str(plot.titleLabel.opts["size"]).removesuffix("pt"))
        body = QtWidgets.QApplication.font().pointSizeF()
        assert title_points * plot.titleLabel.item.scale() > body, plot.titleLabel.text
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            length = axis.size().height() if name == "left" else axis.size().width()
            scale = axis.label.scale()
            assert scale >= SMALLEST_TEXT, (plot.titleLabel.text, name, scale)
            assert axis.label.boundingRect().width() * scale <= length + 1  # not clipped


@pytest.mark.slow
def test_fitted_text_never_overflows_while_presenting(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.networks.last_frame is not None, timeout=HANG_MS)
    window.toggle_presentation()
    QtWidgets.QApplication.processEvents()
    try:
        for figure in window.all_figures():
            for axis in _walk(figure.item, pg.AxisItem):
                if not axis.isVisible() or not axis.label.isVisible():
                    continue
                vertical = axis.orientation in ("left", "right")
                length = axis.size().height() if vertical else axis.size().width()
                width = axis.label.boundingRect().width() * axis.label.scale()
                if length > 60:  # a plot laid out (hidden tabs may not be)
                    assert width <= length + 1, (figure.name, axis.orientation)
    finally:
        window.toggle_presentation()


@pytest.mark.slow
def test_gui_tab_option_opens_a_tab_and_a_neuron_view(qtbot, make_window, run_main):
    from cli.gui_command import TABS, _open_tab

    window = make_window()
    _open_tab(window, "neuron-fi")
    assert window.current_tab() is window.neuron
    assert window.neuron.views.tabText(window.neuron.views.currentIndex()) == "f-I curve"
    _open_tab(window, "theory")
    assert window.current_tab() is window.theory
    assert set(TABS) >= {"networks", "sweep", "neuron", "theory"}
    status, _, stderr = run_main("gui", "--tab", "nope")
    assert status != 0 and "--tab" in stderr
