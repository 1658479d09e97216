"""The plateau of one unit: training loss over its bias x incoming weight norm, flat part shaded."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.networks.detail import LOSS_LABELS, fixed_scale
from gui.networks.why.common import prepare_plot

__all__ = ["FLAT_ALPHA", "KEY", "PlateauView", "flat_overlay", "unit_name"]

FLAT_ALPHA = 150  # the flat shading lets the loss colours show through a little
KEY = (f"<span style='color:{theme.DEAD_HEX}'>■</span> flat: φ′(z) = 0 on every training "
       "point (no gradient) &nbsp; <b>—</b> the unit's recorded path &nbsp; "
       "<span style='color:#56b4e9'>■</span> step 0 &nbsp; "
       f"<span style='color:{theme.SELECTED_HEX}'>●</span> step shown &nbsp; "
       "<b>+</b> where the surface is held")


def unit_name(layer: int, unit: int) -> str:
    """Return a unit's name as the command line types it, layer and unit from 1: ``L2:18``."""
    return f"L{layer + 1}:{unit + 1}"


def flat_overlay(flat: np.ndarray) -> np.ndarray:
    """Return RGBA (rows, cols, 4): the dead colour, half opaque, where `flat`; clear elsewhere."""
    rgba = np.zeros(np.shape(flat) + (4,), np.uint8)
    rgba[np.asarray(flat, bool)] = (*theme.DEAD_COLOR, FLAT_ALPHA)
    return rgba


class PlateauView(pg.GraphicsLayoutWidget):
    """One plot: the loss surface, where it is flat, the unit's trajectory and its point now.

    Attributes
    ----------
    surface : models.diagnostics.PlateauSurface or None
        The surface shown (the finest computed so far).
    surface_step : int
        The step whose parameters the surface holds.
    steps, trajectory : numpy.ndarray
        The unit's recorded (bias, incoming weight norm) up to the step shown.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.plot = self.addPlot(enableMenu=False, row=0, col=0)
        prepare_plot(self.plot, "Plateau: click a unit in the selected cell's heatmap",
                     "bias b of the unit (units of z)",
                     "incoming weight norm ‖w‖", steps_on_x=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("cividis"))
        self.flat_image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.plot.addItem(self.flat_image)
        self.path = self.plot.plot(pen=pg.mkPen("#ffffff", width=1.2), symbol="o", symbolSize=3,
                                   symbolPen=None, symbolBrush="#ffffff")
        self.start = pg.ScatterPlotItem(symbol="s", size=9, pen=pg.mkPen("#101010"),
                                        brush=pg.mkBrush("#56b4e9"))
        self.shown = pg.ScatterPlotItem(symbol="o", size=11, pen=pg.mkPen("#101010"),
                                        brush=pg.mkBrush(theme.SELECTED_HEX))
        self.held = pg.ScatterPlotItem(symbol="+", size=14, pen=pg.mkPen("#ffffff", width=2),
                                       brush=None)
        for item in (self.start, self.held, self.shown):
            self.plot.addItem(item)
        self.colorbar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=pg.colormap.get("cividis"),
                                        label=LOSS_LABELS["bce"], interactive=False,
                                        colorMapMenu=False, width=12)
        self.colorbar.getAxis("right").setTextPen(pg.mkPen(theme.FOREGROUND))
        fixed_scale(self.colorbar.getAxis("right"))
        self.colorbar.getAxis("right").setWidth(62)  # room for values like 0.70155
        self.colorbar.setMinimumWidth(120)  # label, bar and values, never squeezed off
        self.addItem(self.colorbar, row=0, col=1)
        self.surface = None
        self.surface_step = -1
        self.steps = np.zeros(0)
        self.trajectory = np.zeros((0, 2))
        self.loss_name = "bce"

    def set_loss_name(self, name: str) -> None:
        """Label the colour bar with the experiment's loss (``bce`` or ``mse``)."""
        self.loss_name = name
        self.colorbar.getAxis("left").setLabel(LOSS_LABELS.get(name, "training loss"))

    def clear_surface(self, title: str) -> None:
        """Remove the surface, the trajectory and the markers; show `title`."""
        self.surface, self.surface_step = None, -1
        self.image.clear()
        self.flat_image.clear()
        self.set_trajectory(np.zeros(0), np.zeros((0, 2)))
        self.held.setData([], [])
        self.plot.setTitle(title, size=theme.title_size(), color=theme.FOREGROUND)

    def set_unit(self, layer: int, unit: int) -> None:
        """Name the unit on the axes (which two of its parameters the plane spans)."""
        name = unit_name(layer, unit)
        self.plot.setLabel("bottom", f"bias b of {name} (units of z)")
        self.plot.setLabel("left", f"‖w‖ of {name} (direction held)")

    def set_surface(self, surface, step: int, title: str) -> None:
        """Show `surface` (a `models.diagnostics.PlateauSurface`) holding step `step`."""
        self.surface, self.surface_step = surface, int(step)
        bias, scale = np.asarray(surface.bias, float), np.asarray(surface.scale, float)
        db = (bias[1] - bias[0]) / 2 if len(bias) > 1 else 0.5
        ds = (scale[1] - scale[0]) / 2 if len(scale) > 1 else 0.5
        rect = QtCore.QRectF(bias[0] - db, scale[0] - ds, bias[-1] - bias[0] + 2 * db,
                             scale[-1] - scale[0] + 2 * ds)
        loss = np.asarray(surface.loss, float)
        finite = loss[np.isfinite(loss)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        high = max(high, low + 1e-9)
        self.image.setImage(np.nan_to_num(loss, nan=high), autoLevels=False,
                            levels=(low, high))
        self.image.setRect(rect)
        self.flat_image.setImage(flat_overlay(surface.flat), autoLevels=False)
        self.flat_image.setRect(rect)
        self.colorbar.setLevels((low, high))
        self.held.setData([surface.current[0]], [surface.current[1]])
        self.plot.setRange(rect=rect, padding=0)
        self.plot.setTitle(title, size=theme.title_size(), color=theme.FOREGROUND)

    def set_trajectory(self, steps: np.ndarray, trajectory: np.ndarray) -> None:
        """Draw the unit's recorded path (n, 2) up to the step shown, its start and its end."""
        self.steps = np.array(steps, float)
        self.trajectory = np.array(trajectory, float).reshape(-1, 2)
        traj = self.trajectory
        good = np.all(np.isfinite(traj), axis=1)
        self.path.setData(traj[good, 0], traj[good, 1])
        if good.any():
            first, last = traj[good][0], traj[good][-1]
            self.start.setData([first[0]], [first[1]])
            self.shown.setData([last[0]], [last[1]])
        else:
            self.start.setData([], [])
            self.shown.setData([], [])

    def value_at_current(self) -> float:
        """Return the surface's loss at the grid node of the unit's held parameters."""
        s = self.surface
        i = int(np.argmin(np.abs(np.asarray(s.scale) - s.current[1])))
        j = int(np.argmin(np.abs(np.asarray(s.bias) - s.current[0])))
        return float(s.loss[i, j])
