"""Update sizes of the selected cell: log10 ||lr * step|| / ||W|| per layer, gradient norm."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.networks.why.common import grown_limit, prepare_plot

__all__ = ["RATIO_GUIDE", "UpdateView", "floor_of", "layer_names", "log10_or_nan"]

RATIO_GUIDE = -3.0  # log10 of the classic 1e-3 update-to-data ratio


def log10_or_nan(values: np.ndarray) -> np.ndarray:
    """Return log10 of `values` where positive, NaN elsewhere (no step, or exactly 0)."""
    values = np.asarray(values, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(values > 0, np.log10(values), np.nan)


def floor_of(logged: np.ndarray, fallback: float) -> float:
    """Return one decade below the smallest finite value (where exact zeros are drawn)."""
    finite = logged[np.isfinite(logged)]
    return float(np.floor(finite.min())) - 1.0 if finite.size else fallback - 1.0


def layer_names(n_layers: int) -> list[str]:
    """Return ``layer 1`` ... and ``read-out`` for the last weight matrix."""
    return [f"layer {k + 1}" if k < n_layers - 1 else "read-out" for k in range(n_layers)]


class UpdateView(pg.GraphicsLayoutWidget):
    """Two plots: log10 update-to-data ratio per layer (guide at 1e-3), log10 gradient norm.

    Attributes
    ----------
    steps, ratio, grad_norm : numpy.ndarray
        (T,), (T, depth + 1), (T, depth + 1): the engine's records shown (read-out last).
    ratio_plot, grad_plot : pyqtgraph.PlotItem
        The two plots.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.ratio_plot = self.addPlot(enableMenu=False, row=0, col=0)
        self.grad_plot = self.addPlot(enableMenu=False, row=0, col=1)
        prepare_plot(self.ratio_plot, "Update ratio ‖lr·step‖ / ‖W‖", "training step",
                     "log10 update-to-data ratio")
        prepare_plot(self.grad_plot, "Gradient norm (W and b)",
                     "training step", "log10 gradient L2 norm")
        self.guide = pg.InfiniteLine(pos=RATIO_GUIDE, angle=0, movable=False,
                                     pen=pg.mkPen(theme.MUTED, width=1.2,
                                                  style=QtCore.Qt.PenStyle.DotLine),
                                     label="1e-3 (rule of thumb)",
                                     labelOpts={"position": 0.98, "color": theme.MUTED,
                                                "anchors": [(1, 0), (1, 0)],
                                                "fill": (20, 22, 28, 200)})
        self.ratio_plot.addItem(self.guide)
        self.key_text = ""  # the colour key, shown under the plots by the why view
        self.zero_marks = []
        for plot in (self.ratio_plot, self.grad_plot):
            marks = pg.ScatterPlotItem(symbol="t", size=7, pen=None,
                                       brush=pg.mkBrush(theme.DEAD_HEX),
                                       name="exactly 0 (no gradient)")
            plot.addItem(marks)
            self.zero_marks.append(marks)
        self.ratio_curves: list[pg.PlotDataItem] = []
        self.grad_curves: list[pg.PlotDataItem] = []
        self.steps = np.zeros(0)
        self.ratio = np.zeros((0, 0))
        self.grad_norm = np.zeros((0, 0))
        self._x_max = 0.0

    def configure(self, n_layers: int) -> None:
        """Make one curve per weight matrix (`n_layers` = depth + 1, read-out last)."""
        for curve in self.ratio_curves:
            self.ratio_plot.removeItem(curve)
        for curve in self.grad_curves:
            self.grad_plot.removeItem(curve)
        self.ratio_curves, self.grad_curves = [], []
        keys = []
        for k, name in enumerate(layer_names(n_layers)):
            color = theme.series_color(k, n_layers)
            pen = pg.mkPen(color, width=2)
            self.ratio_curves.append(self.ratio_plot.plot(pen=pen, name=name, connect="finite"))
            self.grad_curves.append(self.grad_plot.plot(pen=pen, connect="finite"))
            keys.append(f"<span style='color:{color}'><b>—</b></span> {name}")
        keys.append(f"<span style='color:{theme.DEAD_HEX}'>▼</span> exactly 0 (no gradient, "
                    "drawn a decade below the rest)")
        self.key_text = " &nbsp; ".join(keys)
        self._x_max = 0.0
        self.steps = np.zeros(0)

    def set_data(self, steps: np.ndarray, ratio: np.ndarray, grad_norm: np.ndarray) -> None:
        """Show the recorded ratios and gradient norms (copied); zeros and NaN leave gaps."""
        self.steps = np.array(steps, float)
        self.ratio = np.array(ratio, float)
        self.grad_norm = np.array(grad_norm, float)
        if len(self.steps):
            limit = grown_limit(float(self.steps[-1]), self._x_max)
            if limit != self._x_max:
                self._x_max = limit
                for plot in (self.ratio_plot, self.grad_plot):
                    plot.setXRange(0, limit, padding=0.02)
        logged, log_norm = log10_or_nan(self.ratio), log10_or_nan(self.grad_norm)
        for k, curve in enumerate(self.ratio_curves):
            curve.setData(self.steps, logged[:, k] if len(self.steps) else [])
        for k, curve in enumerate(self.grad_curves):
            curve.setData(self.steps, log_norm[:, k] if len(self.steps) else [])
        for marks, values, logs, fallback in ((self.zero_marks[0], self.ratio, logged,
                                               RATIO_GUIDE), (self.zero_marks[1],
                                                              self.grad_norm, log_norm, 0.0)):
            t = np.nonzero(values == 0)[0] if len(self.steps) else np.zeros(0, int)
            marks.setData(self.steps[t], np.full(t.size, floor_of(logs, fallback)))
