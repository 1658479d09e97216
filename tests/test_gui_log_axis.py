"""Tick labels keep their distance (log-scale and linear axes): none overlap on a short axis."""

import numpy as np
import pytest

pytestmark = pytest.mark.gui


def test_thin_ticks_keeps_majors_and_spaces_the_rest():
    from gui.log_axis import thin_ticks

    minor = list(np.log10(np.arange(2, 10)) - 1)  # 0.2 .. 0.9 on a log10 axis
    levels = [(1.0, [-1.0, 0.0]), (None, minor)]
    thinned = thin_ticks(levels, pixels_per_unit=90.0, gap_px=16.0)
    assert thinned[0][1] == [-1.0, 0.0]  # decades always stay
    kept = sorted(thinned[0][1] + thinned[1][1])
    assert min(np.diff(kept)) * 90.0 >= 16.0
    assert 0 < len(thinned[1][1]) < len(minor)  # some minor labels stay, the crowded go
    assert thin_ticks(levels, 1e4, 16.0) == [(1.0, [-1.0, 0.0]), (None, sorted(minor))]


def test_the_loss_axis_labels_do_not_overlap_on_a_short_plot(qtbot, lab_app):
    from PySide6 import QtGui

    from gui.networks.detail import DetailView

    plots = DetailView()
    qtbot.addWidget(plots)
    plots.resize(900, 180)
    plots.show()
    qtbot.waitExposed(plots)
    plots.loss_plot.setYRange(np.log10(0.45), np.log10(1.05), padding=0)
    axis = plots.loss_plot.getAxis("left")
    height = axis.geometry().height()
    low, high = axis.range
    levels = axis.tickValues(low, high, height)
    values = sorted(v for _spacing, level in levels for v in level)
    text = QtGui.QFontMetricsF(axis.style.get("tickFont") or axis.font()).height()
    gaps = np.diff(values) * height / (high - low)
    assert len(values) >= 2 and gaps.min() >= text


@pytest.mark.parametrize("points, width, expect_all", [(22, 110, False), (9, 600, True)])
def test_a_thin_axis_drops_the_labels_its_length_has_no_room_for(qtbot, lab_app, points,
                                                                  width, expect_all):
    """The why strip's step axis: a small plot with a presentation-size font keeps only
    labels with room (pyqtgraph alone prints "20406080"); a roomy one keeps them all."""
    import pyqtgraph as pg
    from PySide6 import QtGui

    from gui.thin_axis import ThinAxis

    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    axis = ThinAxis("bottom")
    view.addPlot(axisItems={"bottom": axis})
    font = QtGui.QFont(axis.font())
    font.setPointSizeF(points)
    axis.setStyle(tickFont=font)
    low, high = 0.0, 100.0
    plain = pg.AxisItem("bottom").tickValues(low, high, width)
    levels = axis.tickValues(low, high, width)
    kept = sorted(v for _spacing, level in levels for v in level)
    text = QtGui.QFontMetricsF(font).horizontalAdvance("100")
    assert len(kept) >= 2 and min(np.diff(kept)) * width / (high - low) >= text
    majors = len(plain[0][1])
    assert (len(levels[0][1]) == majors) == expect_all
