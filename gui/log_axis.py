"""A log-scale axis whose tick labels never overlap: minor labels are thinned to fit."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtGui

__all__ = ["LogAxis", "label_gap", "thin_ticks"]

LABEL_GAP = 1.4  # labels at least this many text heights (or widths) apart


def thin_ticks(levels: list, pixels_per_unit: float, gap_px: float) -> list:
    """Drop tick values closer than `gap_px` to one already kept, major levels first.

    Parameters
    ----------
    levels : list of (spacing, values)
        Tick levels as pyqtgraph's `AxisItem.tickValues` returns them, most major first.
    pixels_per_unit : float
        Screen pixels per unit of the (log10) axis.
    gap_px : float
        Smallest distance in pixels between two kept ticks.

    Returns
    -------
    list of (spacing, values)
        The same levels with the crowding values removed.
    """
    kept_all: list[float] = []
    thinned = []
    for spacing, values in levels:
        kept = []
        for value in sorted(values):
            if all(abs(value - other) * pixels_per_unit >= gap_px for other in kept_all):
                kept.append(value)
                kept_all.append(value)
        thinned.append((spacing, kept))
    return thinned


def label_gap(axis: pg.AxisItem, sample: str) -> float:
    """Return the pixels two tick labels of `axis` need between them.

    A text height on a vertical axis; on a horizontal one, the width of `sample`, a label
    about as wide as the widest shown.
    """
    metrics = QtGui.QFontMetricsF(axis.style.get("tickFont") or axis.font())
    vertical = axis.orientation in ("left", "right")
    return LABEL_GAP * (metrics.height() if vertical else metrics.horizontalAdvance(sample))


class LogAxis(pg.AxisItem):
    """A pyqtgraph axis that, in log mode, labels only ticks with room for their text."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802,N803 - pyqtgraph's
        """Return pyqtgraph's log ticks, thinned so that no two labels overlap."""
        levels = super().logTickValues(minVal, maxVal, size, stdTicks)
        span = maxVal - minVal
        if span <= 0 or size <= 0:
            return levels
        return thin_ticks(levels, size / span, label_gap(self, "0.005"))
