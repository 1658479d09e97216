"""Update sizes of every cell at a glance: a colour strip (layers x step) per grid cell."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from figures.names import format_lr, pretty_activation
from gui import theme
from gui.networks.detail import fixed_scale
from gui.networks.why.common import grown_limit, prepare_plot, step_rect
from gui.networks.why.updates import log10_or_nan
from gui.thin_axis import ThinAxis

__all__ = ["KEY", "NO_STEP_RGBA", "UpdateStrip", "late_median", "strip_rgba"]

NO_STEP_RGBA = (60, 60, 60, 255)  # no ratio yet (step 0) or diverged
KEY = (f"<span style='color:{theme.DEAD_HEX}'>■</span> no update (exactly 0: no gradient) "
       "&nbsp; <span style='color:#3c3c3c'>■</span> no step yet, or diverged &nbsp; rows: "
       "layers, out = read-out &nbsp; titles: median ratio of the last tenth of the records")


def strip_rgba(ratio: np.ndarray, levels: tuple[float, float], lut: np.ndarray) -> np.ndarray:
    """Return (layers, T, 4) colours of one cell's (T, layers) ratios.

    log10 ratio through `lut` between `levels`; an exact 0 (no gradient reached the layer)
    in the dead colour; NaN (no step yet, or diverged) in `NO_STEP_RGBA`.
    """
    ratio = np.asarray(ratio, float).T
    logged = log10_or_nan(ratio)
    span = max(levels[1] - levels[0], 1e-12)
    index = np.clip((np.nan_to_num(logged, nan=levels[0]) - levels[0]) / span * (len(lut) - 1),
                    0, len(lut) - 1).astype(np.intp)
    rgba = lut[index].astype(np.uint8)
    rgba[ratio == 0] = (*theme.DEAD_COLOR, 255)
    rgba[np.isnan(ratio)] = NO_STEP_RGBA
    return np.ascontiguousarray(rgba)


def late_median(ratio: np.ndarray) -> float:
    """Return the median update-to-data ratio over the last tenth of the records (all layers)."""
    late = np.asarray(ratio, float)[-max(len(ratio) // 10, 1):]
    late = late[np.isfinite(late)]
    return float(np.median(late)) if late.size else float("nan")


class UpdateStrip(pg.GraphicsLayoutWidget):
    """Rows = activations, columns = learning rates: log10 update-to-data ratio, layers x step.

    Attributes
    ----------
    plots, images : list
        One small plot and image per cell, row-major (the grid's cell order).
    ratio : numpy.ndarray
        (T, cells, depth + 1) ratios shown.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.ci.layout.setSpacing(2)
        self.plots: list[pg.PlotItem] = []
        self.images: list[pg.ImageItem] = []
        self.labels: list[tuple[str, float]] = []
        self.activations: list[str] = []
        self.lrs: list[float] = []
        self.steps = np.zeros(0)
        self.ratio = np.zeros((0, 0, 0))
        self.levels = (-6.0, 0.0)
        self._cmap = theme.activity_colormap()
        self._lut = self._cmap.getLookupTable(0.0, 1.0, 256, alpha=True)
        self._x_max = 0.0
        self.colorbar: pg.ColorBarItem | None = None

    def configure(self, activations: list[str], lrs: list[float], n_layers: int) -> None:
        """Lay out one small plot per (activation, learning rate) cell."""
        self.clear()
        self.activations, self.lrs = list(activations), list(lrs)
        self.labels = [(a, lr) for a in activations for lr in lrs]
        self.plots, self.images = [], []
        self._titles: dict[int, str] = {}
        rows, cols = len(activations), len(lrs)
        ticks = [[(k + 0.5, "out" if k == n_layers - 1 else str(k + 1))
                  for k in range(n_layers)]]
        for k in range(len(self.labels)):
            r, c = divmod(k, cols)
            plot = self.addPlot(enableMenu=False, row=r, col=c,
                                axisItems={"bottom": ThinAxis("bottom")})
            prepare_plot(plot, "", "training step" if r == rows - 1 else "",
                         pretty_activation(activations[r]) if c == 0 else "")
            plot.getAxis("left").setTicks(ticks)
            plot.getAxis("left").setStyle(showValues=c == 0)
            plot.getAxis("left").setWidth(34 if c == 0 else 4)
            plot.getAxis("bottom").setStyle(showValues=r == rows - 1)
            plot.getAxis("bottom").setHeight(34 if r == rows - 1 else 4)
            plot.invertY(True)
            plot.setYRange(0, n_layers, padding=0)
            plot.disableAutoRange(axis="y")
            plot.showGrid(x=False, y=False)
            image = pg.ImageItem(axisOrder="row-major")
            plot.addItem(image)
            self.plots.append(plot)
            self.images.append(image)
            self._title(k, float("nan"))
        self.colorbar = pg.ColorBarItem(values=self.levels, colorMap=self._cmap,
                                        label="log10 ‖lr·step‖/‖W‖", interactive=False,
                                        colorMapMenu=False, width=12)
        self.colorbar.getAxis("right").setTextPen(pg.mkPen(theme.FOREGROUND))
        fixed_scale(self.colorbar.getAxis("right"))
        self.addItem(self.colorbar, row=0, col=cols, rowspan=rows)
        theme.fit_plot_text(self.ci)  # titles shrink to their room: the strip fits a laptop
        self._x_max = 0.0
        self.steps = np.zeros(0)

    def _title(self, k: int, median: float) -> None:
        _, lr = self.labels[k]
        name = f"lr {format_lr(lr)}"
        if np.isfinite(median) and median > 0:
            text = f"{name}: 10<sup>{np.log10(median):.1f}</sup>"
        else:
            text = f"{name}: " + ("no update" if median == 0 else "no steps yet")
        if self._titles.get(k) != text:  # typesetting is the costly part: only on change
            self._titles[k] = text
            self.plots[k].setTitle(text, size="8pt", color=theme.FOREGROUND)

    def set_data(self, steps: np.ndarray, ratio: np.ndarray) -> None:
        """Show every cell's recorded ratios: `steps` (T,), `ratio` (T, cells, depth + 1)."""
        self.steps = np.array(steps, float)
        self.ratio = np.array(ratio, float)
        if not len(self.steps):
            for image in self.images:
                image.clear()
            return
        logged = log10_or_nan(self.ratio)
        finite = logged[np.isfinite(logged)]
        if finite.size:
            low, high = float(np.floor(finite.min())), float(np.ceil(finite.max()))
            self.levels = (low, max(high, low + 1))
        limit = grown_limit(float(self.steps[-1]), self._x_max)
        if limit != self._x_max:
            self._x_max = limit
            for plot in self.plots:
                plot.setXRange(0, limit, padding=0.02)
        x0, x1 = step_rect(self.steps)
        n_layers = self.ratio.shape[2]
        for k, image in enumerate(self.images):
            image.setImage(strip_rgba(self.ratio[:, k], self.levels, self._lut),
                           autoLevels=False)
            image.setRect(QtCore.QRectF(x0, 0, x1 - x0, n_layers))
            self._title(k, late_median(self.ratio[:, k]))
        if self.colorbar is not None and tuple(self.colorbar.levels()) != self.levels:
            self.colorbar.setLevels(self.levels)

    def cell_image(self, k: int) -> np.ndarray:
        """Return cell `k`'s log10 ratios as drawn, (depth + 1, T); NaN where no ratio."""
        return log10_or_nan(self.ratio[:, k]).T
