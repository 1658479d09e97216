"""A linear axis whose tick labels never overlap: ticks too close for their text are dropped."""

from __future__ import annotations

import pyqtgraph as pg

from gui.log_axis import label_gap, thin_ticks

__all__ = ["ThinAxis"]


class ThinAxis(pg.AxisItem):
    """A pyqtgraph axis that labels only ticks with room for their text.

    pyqtgraph spaces ticks by the axis length alone, so a small plot with a large font (a
    strip of plots in presentation mode) runs its labels together ("20406080").
    """

    def tickValues(self, minVal, maxVal, size):  # noqa: N802,N803 - pyqtgraph's names
        """Return pyqtgraph's ticks, thinned so that no two labels overlap."""
        levels = super().tickValues(minVal, maxVal, size)
        span = maxVal - minVal
        if span <= 0 or size <= 0:
            return levels
        widest = max(abs(minVal), abs(maxVal))  # about the widest label shown
        sample = f"-{widest:.3g}" if minVal < 0 else f"{widest:.3g}"
        return thin_ticks(levels, size / span, label_gap(self, sample))
