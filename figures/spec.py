"""Figures as plain data: axes, series, notes and the table behind them (no drawing code).

A `Figure` is built once from results and drawn by any renderer (matplotlib for export,
pyqtgraph in the window). Every series carries a stable ``key`` so a live view can find the
item it drew last time and update it in place instead of rebuilding the plot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Axis:
    """One axis of a panel.

    Attributes
    ----------
    label : str
        What is plotted, without the unit (``training step``).
    unit : str
        Unit shown in brackets after the label; ``""`` for none (counts, indices).
    scale : str
        ``linear`` or ``log``.
    limits : tuple of float or None
        Fixed range ``(low, high)``; None lets the renderer fit the data.
    ticks : list of (float, str) or None
        Fixed tick positions and labels (categories, layers); None for automatic ticks.
    inverted : bool
        Draw from high to low (image rows top-down).
    integer : bool
        Only integer tick values (steps, counts).
    """

    label: str
    unit: str = ""
    scale: str = "linear"
    limits: tuple[float, float] | None = None
    ticks: list[tuple[float, str]] | None = None
    inverted: bool = False
    integer: bool = False

    @property
    def text(self) -> str:
        """The axis title as shown: ``label (unit)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass
class Line:
    """A curve ``y(x)``; NaN breaks it. ``style`` is ``solid``, ``dashed`` or ``dotted``."""

    key: str
    x: np.ndarray
    y: np.ndarray
    label: str | None = None
    color: str = "#0072b2"
    style: str = "solid"
    width: float = 1.5
    marker: str | None = None  # "o", "s", "^", "d" drawn at every point


@dataclass
class Points:
    """Unconnected markers at ``(x, y)``."""

    key: str
    x: np.ndarray
    y: np.ndarray
    label: str | None = None
    color: str = "#0072b2"
    marker: str = "o"
    size: float = 4.0  # points
    edge: str | None = None


@dataclass
class ErrorBars:
    """Vertical error bars ``y - low .. y + high`` at ``x``."""

    key: str
    x: np.ndarray
    y: np.ndarray
    low: np.ndarray
    high: np.ndarray
    color: str = "#0072b2"
    label: str | None = None


@dataclass
class Band:
    """A shaded region between ``low(x)`` and ``high(x)``."""

    key: str
    x: np.ndarray
    low: np.ndarray
    high: np.ndarray
    color: str = "#0072b2"
    alpha: float = 0.25
    label: str | None = None


@dataclass
class Bars:
    """Vertical bars of ``height`` centred at ``x``."""

    key: str
    x: np.ndarray
    height: np.ndarray
    width: float = 0.8
    color: str = "#0072b2"
    label: str | None = None


@dataclass
class Segments:
    """Short vertical strokes from ``y0`` to ``y1`` at each ``x`` (spikes, raster ticks)."""

    key: str
    x: np.ndarray
    y0: np.ndarray
    y1: np.ndarray
    color: str = "#0072b2"
    width: float = 0.8
    label: str | None = None


@dataclass
class Image:
    """A 2-D array drawn as cells over ``extent`` with a colour map and an optional colour bar.

    Attributes
    ----------
    values : numpy.ndarray
        (rows, cols) numbers; row 0 is drawn at ``extent``'s ``y0``.
    extent : tuple of float
        ``(x0, x1, y0, y1)`` in data coordinates of the cell edges.
    cmap : str
        Colour map name (``viridis``).
    levels : tuple of float
        Values mapped to the ends of the colour map.
    colorbar : str or None
        Colour bar title with unit; None for no colour bar.
    mask : numpy.ndarray or None
        (rows, cols) bool; masked cells get ``mask_color`` (dead units).
    mask_color, mask_label : str
        Colour and legend text of masked cells.
    nan_color : str
        Colour of NaN cells (diverged, no data).
    cell_text : list of (x, y, str) or None
        Text centred in cells (values printed on a heatmap).
    """

    key: str
    values: np.ndarray
    extent: tuple[float, float, float, float]
    cmap: str = "viridis"
    levels: tuple[float, float] = (0.0, 1.0)
    colorbar: str | None = None
    mask: np.ndarray | None = None
    mask_color: str = "#ff00ff"
    mask_label: str | None = None
    nan_color: str = "#9a9a9a"
    nan_label: str | None = None
    cell_text: list[tuple[float, float, str]] | None = None


@dataclass
class Events:
    """Vertical (``axis="x"``) or horizontal (``axis="y"``) reference lines with labels."""

    key: str
    positions: np.ndarray
    labels: list[str] = field(default_factory=list)
    color: str = "#555555"
    style: str = "dashed"
    axis: str = "x"
    legend: str | None = None


Series = Line | Points | ErrorBars | Band | Bars | Segments | Image | Events


@dataclass
class Note:
    """Text placed inside the panel where it covers no data (or below it if nowhere fits)."""

    key: str
    text: str
    color: str = "#202020"


@dataclass
class Panel:
    """One set of axes with its series, notes and legend.

    Attributes
    ----------
    title : str
        Panel title ("" for none; a one-panel figure shows the figure's title instead).
    x, y : Axis
        The axes.
    series : list
        Drawn in order (later on top).
    notes : list of Note
        Annotations.
    legend : bool
        Show a legend of the labelled series.
    legend_columns : int
        Columns of the legend.
    share_x : bool
        Share the x axis with the panel above (stacked panels).
    """

    title: str
    x: Axis
    y: Axis
    series: list = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    legend: bool = True
    legend_columns: int = 1
    share_x: bool = False
    aspect: str = "auto"  # "equal" for maps in data units

    def find(self, key: str):
        """Return the series or note with `key` (None if absent)."""
        for item in [*self.series, *self.notes]:
            if item.key == key:
                return item
        return None


@dataclass
class Table:
    """The numbers behind a figure: unit-bearing column names and rows."""

    header: list[str]
    rows: list | np.ndarray
    integer_columns: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Figure:
    """A named figure: panels on a ``rows x cols`` grid, a title and its data table.

    Attributes
    ----------
    name : str
        File stem of its exports.
    title : str
        Figure title.
    panels : list of Panel
        Row-major over the grid.
    table : Table
        The data written to CSV.
    rows, cols : int
        Panel grid.
    aspect : float
        Height / width of the whole figure at a given width.
    colorbar_shared : bool
        One colour bar for all panels' images (the first image's) instead of one each.
    legend_below : bool
        Gather the legend below the panels (many entries).
    """

    name: str
    title: str
    panels: list[Panel]
    table: Table
    rows: int = 1
    cols: int = 1
    aspect: float = 0.62
    colorbar_shared: bool = False
    legend_below: bool = False

    def panel(self, index: int = 0) -> Panel:
        """Return panel `index`."""
        return self.panels[index]
