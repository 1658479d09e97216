"""The lab's look in one place: colour maps, the reserved dead colour, pens and fonts."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

# Activity (fraction of probe points with z > 0) uses one perceptual map everywhere.
ACTIVITY_MAP_NAME = "viridis"
# Dead units get a colour the activity map never uses (and never "dark").
# Magenta: under Machado (2009) protanopia, deuteranopia and tritanopia simulations it stays
# at least 34 CIE76 units from every viridis colour (tests/test_gui_classroom.py measures it);
# the red used before fell to 17 under deuteranopia, inside viridis' green-yellow band.
DEAD_COLOR = (255, 0, 255)
DEAD_HEX = "#ff00ff"
# Dormant (off on every point, still a gradient: Leaky ReLU) and saturated (on, but no
# gradient: tanh or sigmoid saturated high, ReLU6 above 6) units get colours of their own,
# found by a search for the largest smallest distance to viridis, magenta and each other
# under the same three simulations: dark red stays at least 43 CIE76 units away, light pink
# at least 30 (tests/test_gui_unit_states.py measures both).
DORMANT_COLOR = (105, 0, 0)
DORMANT_HEX = "#690000"
SATURATED_COLOR = (255, 155, 245)
SATURATED_HEX = "#ff9bf5"
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


# -- text that fits its room ---------------------------------------------------------------
FIT_FLOOR = 0.6  # text is never drawn smaller than this fraction of its size (it would clip)


def fit_scale(natural: float, room: float) -> float:
    """Return the scale that fits `natural` pixels of text into `room` (1 when it fits)."""
    if natural <= 0 or room <= 0 or natural <= room:
        return 1.0
    return max(room / natural, FIT_FLOOR)


def fit_label(label: pg.LabelItem, variants: list[str] | None = None) -> pg.LabelItem:
    """Make `label` fit the width it is given instead of demanding its text's width.

    The label asks its layout for little width; when laid out narrower than its text it
    shows the first of `variants` (shorter wordings of the same text, as HTML, longest
    first; ``label.fit_variants`` can be changed later) that fits at full size, and
    otherwise draws the shortest one scaled down (never below `FIT_FLOOR`). Idempotent.

    Returns
    -------
    pyqtgraph.LabelItem
        `label`, for chaining.
    """
    if variants is not None or not hasattr(label, "fit_variants"):
        label.fit_variants = list(variants or [])
    if getattr(label, "_fitted", False):
        return label
    label._fitted = True

    def update_min() -> None:
        item = label.item
        height = item.mapRectToParent(item.boundingRect()).height()
        narrow = min(item.boundingRect().width(), 24.0)
        # preferred = minimum: a layout gives the label its room; the label never asks for
        # its text's width (that would change with the wording shown, and feed back)
        hints = {QtCore.Qt.SizeHint.MinimumSize: (narrow, height),
                 QtCore.Qt.SizeHint.PreferredSize: (narrow, height),
                 QtCore.Qt.SizeHint.MaximumSize: (-1, -1),
                 QtCore.Qt.SizeHint.MinimumDescent: (0, 0)}
        if hints != label._sizeHint:
            label._sizeHint = hints
            label.setMinimumWidth(narrow)
            label.setMinimumHeight(height)
            label.updateGeometry()

    def resize(ev=None) -> None:
        item = label.item
        room = label.rect().width()
        item.setScale(1.0)
        if label.fit_variants and room > 0:
            for html in label.fit_variants:
                item.setHtml(_restyle(label, html))
                if item.boundingRect().width() <= room:
                    break
        item.setScale(fit_scale(item.boundingRect().width(), room))
        pg.LabelItem.resizeEvent(label, ev)

    label.updateMin = update_min
    label.resizeEvent = resize
    label.geometryChanged.connect(resize)
    update_min()
    return label


def _restyle(label: pg.LabelItem, html: str) -> str:
    """Wrap `html` in the label's colour and size, as `pyqtgraph.LabelItem.setText` does."""
    color = label.opts.get("color") or FOREGROUND
    size = label.opts.get("size", "10pt")
    name = pg.mkColor(color).name(QtGui.QColor.NameFormat.HexArgb)
    return f"<span style='color: {name}; font-size: {size}'>{html}</span>"


# Shorter wordings of axis titles, tried in order when the title would not fit even at
# `FIT_FLOOR` (a short plot in presentation mode); the plot's title names the rest.
SHORTER_AXIS_TITLES = {"loss (BCE, nats)": ("BCE (nats)",),
                       "loss (MSE, y units²)": ("MSE (y units²)",)}


def fit_axis_label(axis: pg.AxisItem) -> pg.AxisItem:
    """Scale `axis`' title down to the axis' length when it is longer (never below `FIT_FLOOR`).

    When even `FIT_FLOOR` is too large, a shorter wording from `SHORTER_AXIS_TITLES` is
    shown. Idempotent; the title stays centred on the axis as pyqtgraph places it.
    """
    if getattr(axis, "_fitted", False):
        return axis
    axis._fitted = True
    update_label = axis._updateLabel

    def resize(ev=None) -> None:
        text = axis.label
        if text is None:
            return
        vertical = axis.orientation in ("left", "right")
        size = axis.size()
        room = size.height() if vertical else size.width()
        text.setScale(1.0)
        full = axis.labelString()
        text.setHtml(full)
        bounds = text.boundingRect()
        for shorter in SHORTER_AXIS_TITLES.get(axis.labelText, ()):
            if bounds.width() * FIT_FLOOR <= room:
                break
            text.setHtml(full.replace(axis.labelText, shorter))
            bounds = text.boundingRect()
        scale = fit_scale(bounds.width(), room)
        text.setScale(scale)
        long_side, short_side = bounds.width() * scale, bounds.height() * scale
        nudge = 5
        if axis.orientation == "left":
            # pyqtgraph sizes the axis for 0.8 of the title's height: move it left, clear of
            # the tick labels, when the ticks take the rest
            ticks = 0.0
            if axis.style["showValues"]:
                ticks = axis.textWidth + axis.style["tickTextOffset"][0] + \
                    max(0, axis.style["tickLength"])
            x = min(-nudge, size.width() - ticks - short_side)
            text.setPos(int(x), int(size.height() / 2 + long_side / 2))
        elif axis.orientation == "right":
            text.setPos(int(size.width() - short_side + nudge),
                        int(size.height() / 2 + long_side / 2))
        elif axis.orientation == "top":
            text.setPos(int(size.width() / 2 - long_side / 2), -nudge)
        else:
            text.setPos(int(size.width() / 2 - long_side / 2),
                        int(size.height() - short_side + nudge))
        axis.picture = None

    def relabel() -> None:
        update_label()
        resize()

    axis.resizeEvent = resize
    axis._updateLabel = relabel
    axis.geometryChanged.connect(resize)
    resize()
    return axis


def fit_plot_text(item) -> None:
    """Make every plot title and axis title under `item` fit its room (see `fit_label`)."""
    plots = [item] if isinstance(item, pg.PlotItem) else []
    stack = [item]
    while stack:
        current = stack.pop()
        for child in current.childItems():
            if isinstance(child, pg.PlotItem):
                plots.append(child)
            elif isinstance(child, pg.AxisItem):
                fit_axis_label(child)
            stack.append(child)
    for plot in plots:
        fit_label(plot.titleLabel)
        for name in ("left", "bottom", "right", "top"):
            fit_axis_label(plot.getAxis(name))
