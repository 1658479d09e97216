"""Pre-activation drift of the selected cell: per layer a heatmap of z bins x step, and z <= 0."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.networks.detail import fixed_scale
from gui.networks.why.common import HEAT_MAP, ZERO_HEX, grown_limit, prepare_plot, step_rect

__all__ = ["DriftView"]

MAX_COLUMNS = 4  # heatmaps per row (a deep net wraps onto more rows)


class DriftView(pg.GraphicsLayoutWidget):
    """One heatmap per hidden layer (value bins x step, log10(1 + count)), then the z <= 0 trace.

    Attributes
    ----------
    steps : numpy.ndarray
        (T,) the recorded steps shown.
    counts : numpy.ndarray
        (T, depth, bins + 2) the engine's histogram counts shown (underflow, bins, overflow).
    edges : numpy.ndarray
        (depth, bins + 1) the fixed inner bin edges of each layer.
    nonpositive : numpy.ndarray
        (T, depth) the fraction of z <= 0 shown by the trace.
    heat_plots, images : list
        Per layer: the plot and its `pyqtgraph.ImageItem`.
    trace_plot : pyqtgraph.PlotItem
        The z <= 0 fraction over training.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.depth = 0
        self.steps = np.zeros(0)
        self.counts = np.zeros((0, 0, 0), np.uint32)
        self.edges = np.zeros((0, 0))
        self.nonpositive = np.zeros((0, 0))
        self.heat_plots: list[pg.PlotItem] = []
        self.images: list[pg.ImageItem] = []
        self.curves: list[pg.PlotDataItem] = []
        self.trace_plot: pg.PlotItem | None = None
        self.colorbar: pg.ColorBarItem | None = None
        self._x_max = 0.0
        self._cmap = pg.colormap.get(HEAT_MAP)

    def configure(self, depth: int) -> None:
        """Lay out the plots for a network of `depth` hidden layers (clears the data)."""
        self.clear()
        self.depth = int(depth)
        self.heat_plots, self.images, self.curves = [], [], []
        panels = self.depth + 1
        cols = min(panels, MAX_COLUMNS)
        for layer in range(self.depth):
            plot = self.addPlot(enableMenu=False, row=layer // cols, col=layer % cols)
            prepare_plot(plot, f"Layer {layer + 1}", "training step",
                         "pre-activation z")
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(self._cmap)
            plot.addItem(image)
            zero = pg.InfiniteLine(pos=0.0, angle=0, movable=False,
                                   pen=pg.mkPen(ZERO_HEX, width=1.5,
                                                style=QtCore.Qt.PenStyle.DashLine),
                                   label="z = 0", labelOpts={"position": 0.97,
                                                             "color": ZERO_HEX,
                                                             "anchors": [(1, 1), (1, 1)],
                                                             "fill": (20, 22, 28, 200)})
            plot.addItem(zero, ignoreBounds=True)
            plot.disableAutoRange(axis="y")
            self.heat_plots.append(plot)
            self.images.append(image)
        last = self.depth
        self.trace_plot = self.addPlot(enableMenu=False, row=last // cols, col=last % cols)
        prepare_plot(self.trace_plot, "z ≤ 0 (= 1 − activity)", "training step",
                     "fraction with z ≤ 0")
        self.trace_plot.setYRange(0.0, 1.0, padding=0.02)
        self.trace_plot.disableAutoRange(axis="y")
        legend = self.trace_plot.addLegend(offset=(-6, -6), labelTextSize="8pt",
                                           brush=pg.mkBrush(20, 22, 28, 200))
        for layer in range(self.depth):
            pen = pg.mkPen(theme.series_color(layer, self.depth), width=2)
            self.curves.append(self.trace_plot.plot(pen=pen, name=f"layer {layer + 1}"))
        legend.setVisible(self.depth > 1)
        self.colorbar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=self._cmap,
                                        label="log10(1 + count)",
                                        interactive=False, colorMapMenu=False, width=12)
        self.colorbar.getAxis("right").setTextPen(pg.mkPen(theme.FOREGROUND))
        fixed_scale(self.colorbar.getAxis("right"))
        self.addItem(self.colorbar, row=0, col=cols, rowspan=max(1, -(-panels // cols)))
        theme.fit_plot_text(self.ci)  # titles shrink to their room: the view fits a laptop
        self._x_max = 0.0
        self.steps = np.zeros(0)
        self.counts = np.zeros((0, self.depth, 0), np.uint32)

    def set_data(self, steps: np.ndarray, counts: np.ndarray, edges: np.ndarray,
                 nonpositive: np.ndarray) -> None:
        """Show the recorded histograms (copied): `steps` (T,), `counts` (T, depth, bins + 2).

        `edges` (depth, bins + 1) are each layer's inner bin edges; the image's outer rows are
        the overflow bins, drawn one bin wide beyond the edges. `nonpositive` (T, depth).
        """
        self.steps = np.array(steps, float)
        self.counts = np.array(counts, copy=True)
        self.edges = np.array(edges, float)
        self.nonpositive = np.array(nonpositive, float)
        if not len(self.steps):
            for image in self.images:
                image.clear()
            for curve in self.curves:
                curve.setData([], [])
            return
        limit = grown_limit(float(self.steps[-1]), self._x_max)
        if limit != self._x_max:
            self._x_max = limit
            for plot in (*self.heat_plots, self.trace_plot):
                plot.setXRange(0, limit, padding=0.02)
        logged = self.log_counts()
        top = max(float(logged.max()), 1e-9)
        x0, x1 = step_rect(self.steps)
        for layer, (plot, image) in enumerate(zip(self.heat_plots, self.images)):
            e = self.edges[layer]
            width = e[1] - e[0]
            y0, y1 = e[0] - width, e[-1] + width
            image.setImage(logged[:, layer].T, autoLevels=False, levels=(0.0, top))
            image.setRect(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
            if getattr(image, "_y_span", None) != (y0, y1):
                image._y_span = (y0, y1)
                plot.setYRange(y0, y1, padding=0)
        if self.colorbar is not None and tuple(self.colorbar.levels()) != (0.0, top):
            self.colorbar.setLevels((0.0, top))
        for layer, curve in enumerate(self.curves):
            curve.setData(self.steps, self.nonpositive[:, layer])

    def log_counts(self) -> np.ndarray:
        """Return the colour values shown: log10(1 + count), (T, depth, bins + 2)."""
        return np.log10(1.0 + self.counts.astype(float))
