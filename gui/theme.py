"""The lab's look in one place: colour maps, the reserved dead colour, pens and fonts."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

# Activity (fraction of probe points with z > 0) uses one perceptual map everywhere.
ACTIVITY_MAP_NAME = "viridis"
# Dead units get a colour the activity map never uses (and never "dark").
# Magenta: under Machado (2009) protanopia, deuteranopia and tritanopia simulations it stays
# at least 34 CIE76 units from every viridis colour (tests/test_gui_classroom.py measures it);
# the red used before fell to 17 under deuteranopia, inside viridis' green-yellow band.
DEAD_COLOR = (255, 0, 255)
DEAD_HEX = "#ff00ff"
# Diverged networks (NaN loss): the whole cell is veiled in grey and labelled.
DIVERGED_COLOR = (128, 128, 128)
DIVERGED_HEX = "#9a9a9a"
SELECTED_HEX = "#ffb000"

BACKGROUND = "#15171c"
PANEL = "#1d2027"
FOREGROUND = "#e4e6eb"
MUTED = "#9aa0aa"
ERROR_HEX = "#ff6b6b"

# Series colours (Okabe-Ito, colour-blind safe) for curves with a legend.
SERIES = ["#56b4e9", "#e69f00", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
          "#ffffff"]

# Output of a network over the data: class 0 blue, class 1 orange, 0.5 pale.
OUTPUT_COLORS = [(33, 102, 172), (240, 240, 240), (230, 120, 20)]
CLASS_COLORS = ["#2166ac", "#e67814"]

BASE_POINT_SIZE = 10
TITLE_SIZE = "11pt"
TEXT_SCALE = 1.0  # presentation mode sets this; text typeset later follows it


def title_size() -> str:
    """Return the plot title size, scaled while presentation mode is on."""
    return f"{float(TITLE_SIZE.removesuffix('pt')) * TEXT_SCALE:.1f}pt"


def activity_colormap() -> pg.ColorMap:
    """Return the app-wide colour map for activity in [0, 1]."""
    return pg.colormap.get(ACTIVITY_MAP_NAME)


def output_colormap() -> pg.ColorMap:
    """Return the diverging map for a classifier's output probability in [0, 1]."""
    return pg.ColorMap([0.0, 0.5, 1.0], [(*c, 255) for c in OUTPUT_COLORS])


def dead_overlay(dead: np.ndarray) -> np.ndarray:
    """Return an RGBA overlay: the reserved dead colour where `dead`, transparent elsewhere.

    Parameters
    ----------
    dead : numpy.ndarray
        (layers, units) bool mask.

    Returns
    -------
    numpy.ndarray
        (layers, units, 4) uint8.
    """
    rgba = np.zeros(dead.shape + (4,), np.uint8)
    rgba[dead] = (*DEAD_COLOR, 255)
    return rgba


def series_color(i: int, n: int) -> str:
    """Return the colour of series `i` of `n` (a gradient when there are many)."""
    if n <= len(SERIES):
        return SERIES[i % len(SERIES)]
    color = activity_colormap().map(np.array([0.15 + 0.85 * i / max(n - 1, 1)]), mode="qcolor")
    return color[0].name()


def cache_text(*items) -> None:
    """Cache axes and labels as pixmaps: their text is costly to paint and rarely changes."""
    from PySide6 import QtWidgets

    mode = QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache
    for item in items:
        if isinstance(item, pg.PlotItem):
            cache_text(item.titleLabel, *(item.getAxis(n) for n in ("left", "bottom", "top",
                                                                     "right")))
        else:
            item.setCacheMode(mode)


def plain_axis(axis: pg.AxisItem) -> None:
    """Show an axis' values as they are: no SI-prefix rescaling (no "x0.001" in the label)."""
    axis.enableAutoSIPrefix(False)
    axis.autoSIPrefixScale = 1.0  # pyqtgraph 0.14 leaves the last computed scale in place
    axis.labelUnitPrefix = ""
    axis._updateLabel()


def configure_pyqtgraph() -> None:
    """Set pyqtgraph's global options: row-major images, antialiasing, dark background."""
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background=BACKGROUND,
                        foreground=FOREGROUND)


def style_plot(plot: pg.PlotItem, title: str, x_label: str, y_label: str) -> None:
    """Give a plot its title and unit-bearing axis labels in the house style."""
    plot.setTitle(title, size=TITLE_SIZE, color=FOREGROUND)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    plot.showGrid(x=True, y=True, alpha=0.15)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTextPen(pg.mkPen(FOREGROUND))
        axis.setPen(pg.mkPen(MUTED))


def activity_rgba(activity: np.ndarray, dead: np.ndarray) -> np.ndarray:
    """Map activity in [0, 1] to RGBA on the activity map, dead units in the reserved colour.

    Parameters
    ----------
    activity : numpy.ndarray
        (layers, units) fraction of probe points on which each unit is active.
    dead : numpy.ndarray
        (layers, units) bool mask of dead units.

    Returns
    -------
    numpy.ndarray
        (layers, units, 4) uint8.
    """
    lut = activity_colormap().getLookupTable(0.0, 1.0, 256, alpha=True)
    index = np.clip(np.nan_to_num(activity) * 255, 0, 255).astype(np.intp)
    rgba = lut[index].astype(np.uint8)
    rgba[dead] = (*DEAD_COLOR, 255)
    return rgba
