"""Neuron-tab plot style: colours, notes, axes, headroom and pens shared by every plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.theme import fit_plot_text, fit_scale, plain_axis

__all__ = ["ALPHA_PINNED_NOTE", "COLORS", "HEADROOM", "NOISELESS_RATE_NOTE",
           "NOISELESS_RESPONSE_NOTE", "RASTER_MAX_NEURONS", "STATIC_SLOPE_NAME", "Table",
           "add_note", "clear_notes", "fit_parts", "fit_text", "format_value", "headroom",
           "log_ticks", "notes", "pen", "prepare"]

Table = tuple[list[str], np.ndarray]

# Okabe-Ito colours: colour-blind safe and legible on the dark window and the white export.
COLORS = {"input": "#0072b2", "leak": "#d55e00", "lif": "#56b4e9", "theory": "#e69f00",
          "leaky": "#009e73", "spike": "#d55e00", "v": "#cc79a7", "raster": "#56b4e9",
          "reference": "#888888"}
RASTER_MAX_NEURONS = 100
HEADROOM = 1.35  # y-range above the data, so a legend on top never covers a curve
NOISELESS_RESPONSE_NOTE = ("No noise: the identical neurons phase-lock to the drive, so this "
                           "response is not meaningful.<br>Add noise (e.g. the noisy preset) "
                           "to compare the population with the theory.")
NOISELESS_RATE_NOTE = "No noise: the neurons fire in lockstep (synchronous volleys)"
ALPHA_PINNED_NOTE = ("alpha of the 3-parameter fit stays 0: its leaky side is negative;<br>"
                     "with an output offset, alpha grows with noise")
STATIC_SLOPE_NAME = "LIF static slope at I0"


def format_value(value: float, digits: int = 3, zero: float = 0.0) -> str:
    """Format `value` with `digits` significant figures, effectively-zero values as ``0``.

    Parameters
    ----------
    value : float
        The number.
    digits : int
        Significant figures.
    zero : float
        Magnitudes below this (and below 1e-12 in any case) print as ``0``.

    Returns
    -------
    str
        Fixed-point text for magnitudes from 1e-4 to 1e6 (no exponent, no trailing
        zeros), else ``%g``; ``n/a`` for NaN or infinity.
    """
    value = float(value)
    if not np.isfinite(value):
        return "n/a"
    if abs(value) < max(zero, 1e-12):
        return "0"
    if not 1e-4 <= abs(value) < 1e6:
        return f"{value:.{digits}g}"
    decimals = max(0, digits - 1 - int(np.floor(np.log10(abs(value)))))
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if float(text) == 0 else text


def fit_parts(alpha: float, gain_hz_per_na: float, threshold_na: float,
              rmse_hz: float, offset_hz: float | None = None) -> list[str]:
    """Return ``alpha = ...``, ``gain = ... Hz/nA``, ``I_th = ... nA``, ``rmse = ... Hz``.

    With `offset_hz` (a fit with an output bias) ``offset = ... Hz`` comes before the rmse.
    """
    parts = [f"alpha = {format_value(alpha, 2, zero=5e-4)}",
             f"gain = {format_value(gain_hz_per_na, 3, zero=0.05)} Hz/nA",
             f"I_th = {format_value(threshold_na, 3, zero=5e-5)} nA"]
    if offset_hz is not None:
        parts.append(f"offset = {format_value(offset_hz, 2, zero=0.005)} Hz")
    return [*parts, f"rmse = {format_value(rmse_hz, 2, zero=0.005)} Hz"]


def fit_text(alpha: float, gain_hz_per_na: float, threshold_na: float, rmse_hz: float,
             separator: str = "   ", offset_hz: float | None = None) -> str:
    """Return the one-line summary of a Leaky ReLU fit (effectively-zero values print as 0)."""
    return separator.join(fit_parts(alpha, gain_hz_per_na, threshold_na, rmse_hz, offset_hz))


def notes(plot: pg.PlotItem) -> list[pg.LabelItem]:
    """Return the text notes pinned inside `plot` (fit summary, warnings)."""
    return list(getattr(plot, "_neuron_notes", []))


def add_note(plot: pg.PlotItem, html: str, corner: str = "top", size: str = "9pt",
             color: str | None = None) -> pg.LabelItem:
    """Pin a text note inside the plot area, at a corner that does not move with the data.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        The plot.
    html : str
        The text (simple HTML allowed).
    corner : str
        Where in the plot area: ``top``, ``top-left``, ``top-right``, ``bottom-left``,
        ``bottom-right``, ``center`` or ``below-legend`` (top left, under a one-row legend).
    size : str
        Font size.
    color : str, optional
        Text colour; default: the foreground (dark ink on export).

    Returns
    -------
    pyqtgraph.LabelItem
        The note (removed by the next redraw of the plot).
    """
    anchors = {"top": ((0.5, 0), (0.5, 0), (0, 6)), "top-left": ((0, 0), (0, 0), (8, 6)),
               "top-right": ((1, 0), (1, 0), (-8, 6)),
               "bottom-right": ((1, 1), (1, 1), (-8, -6)),
               "bottom-left": ((0, 1), (0, 1), (8, -6)),
               "center": ((0.5, 0.5), (0.5, 0.5), (0, 0)),
               "below-legend": ((0, 0), (0, 0), (8, 40))}
    item_pos, parent_pos, offset = anchors[corner]
    options = {"size": size, "justify": "left"}
    if color is not None:
        options["color"] = color
    label = pg.LabelItem(html, **options)
    label.setParentItem(plot.vb)
    label.anchor(itemPos=item_pos, parentPos=parent_pos, offset=offset)
    label.setZValue(1000)

    def refit(*_args) -> None:  # never wider than the plot: scale the note down to fit
        item = label.item
        item.setScale(1.0)
        room = max(plot.vb.width() - abs(offset[0]) - 8, 1.0)
        item.setScale(fit_scale(item.boundingRect().width(), room))
        size = item.mapRectToParent(item.boundingRect()).size()
        label.setMinimumSize(size)
        label.resize(size)

    label._refit = refit
    plot.vb.sigResized.connect(refit)
    refit()
    plot._neuron_notes = [*notes(plot), label]
    return label


def clear_notes(plot: pg.PlotItem) -> None:
    """Remove every note added to `plot` with `add_note`."""
    for label in notes(plot):
        try:
            plot.vb.sigResized.disconnect(label._refit)
        except (RuntimeError, TypeError, AttributeError):
            pass
        label.setParentItem(None)
        if label.scene() is not None:
            label.scene().removeItem(label)
    plot._neuron_notes = []


def prepare(plot: pg.PlotItem, title: str, x_label: str, y_label: str,
             legend: bool = True, columns: int = 1,
             legend_offset: tuple[int, int] = (10, 10)) -> None:
    """Clear `plot` and set its title, axis labels (units in the text) and legend."""
    plot.clear()
    clear_notes(plot)
    plot.setLogMode(x=False, y=False)
    plot.enableAutoRange()
    plot.setTitle(title)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    fit_plot_text(plot)  # titles and axis titles shrink to their room, never clip
    plot.showGrid(x=True, y=True, alpha=0.2)
    for side in ("bottom", "left"):
        plain_axis(plot.getAxis(side))  # also drops a stale SI scale (x0.001 -> 0..500 nA)
    if plot.legend is not None:
        plot.legend.clear()
        if plot.legend.scene() is not None:
            plot.legend.scene().removeItem(plot.legend)
        plot.legend = None
    if legend:
        plot.addLegend(offset=legend_offset, colCount=columns)


def headroom(plot: pg.PlotItem, *series: np.ndarray, floor: float | None = None,
              factor: float = HEADROOM) -> None:
    """Fix the y range to the data plus room on top for the legend."""
    values = np.concatenate([np.ravel(s) for s in series if np.size(s)] or [np.zeros(1)])
    values = values[np.isfinite(values)]
    if not values.size:
        return
    low = float(values.min()) if floor is None else min(floor, float(values.min()))
    high = float(values.max())
    span = max(high - low, 1e-9)
    plot.setYRange(low - 0.03 * span, low + factor * span, padding=0)


def pen(color: str, width: float = 1.5, style=None) -> pg.QtGui.QPen:
    """Return a cosmetic pen of `color`, `width` pixels and optional Qt pen `style`."""
    result = pg.mkPen(color, width=width)
    if style is not None:
        result.setStyle(style)
    return result


def log_ticks(plot: pg.PlotItem, freq_hz: np.ndarray) -> None:
    """Label a log-frequency axis at 1, 2, 5, 10, 20, ... Hz."""
    if not freq_hz.size:
        return
    decades = range(int(np.floor(np.log10(freq_hz.min()))),
                    int(np.ceil(np.log10(freq_hz.max()))) + 1)
    values = [m * 10.0**d for d in decades for m in (1, 2, 5)]
    values = [v for v in values if freq_hz.min() / 1.5 <= v <= freq_hz.max() * 1.5]
    plot.getAxis("bottom").setTicks([[(np.log10(v), f"{v:g}") for v in values]])
