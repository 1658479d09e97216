"""Drawing a panel's series on matplotlib axes: lines, points, bars, bands, images, events."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.patches import Patch

from figures import spec

LINESTYLES = {"solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-."}


def _rgba_image(image: spec.Image) -> np.ndarray:
    values = np.asarray(image.values, float)
    low, high = image.levels
    norm = mcolors.Normalize(low, high if high > low else low + 1.0, clip=True)
    rgba = colormaps[image.cmap](norm(np.nan_to_num(values, nan=low)))
    rgba[~np.isfinite(values)] = mcolors.to_rgba(image.nan_color)
    if image.mask is not None:
        rgba[np.asarray(image.mask, bool)] = mcolors.to_rgba(image.mask_color)
    return rgba


def _draw_image(ax, image: spec.Image, scale: float) -> list:
    x0, x1, y0, y1 = image.extent
    ax.imshow(_rgba_image(image), extent=(x0, x1, y0, y1), origin="lower", aspect="auto",
              interpolation="nearest", zorder=1)
    ax.grid(False)
    handles = []
    if image.mask is not None and image.mask_label and np.any(image.mask):
        handles.append(Patch(color=image.mask_color, label=image.mask_label))
    if image.nan_label and not np.all(np.isfinite(image.values)):
        handles.append(Patch(color=image.nan_color, label=image.nan_label))
    for x, y, text in image.cell_text or []:
        row = int(np.clip(np.floor((y - y0) / (y1 - y0) * image.values.shape[0]), 0,
                          image.values.shape[0] - 1))
        col = int(np.clip(np.floor((x - x0) / (x1 - x0) * image.values.shape[1]), 0,
                          image.values.shape[1] - 1))
        r, g, b, _ = _rgba_image(image)[row, col]
        ink = "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"
        ax.text(x, y, text, ha="center", va="center", color=ink, fontsize="small", zorder=3)
    return handles


def draw_series(ax, item, scale: float) -> list:
    """Draw one series of a panel on `ax`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel's axes.
    item : figures.spec.Line, Points, ErrorBars, Band, Bars, Segments, Image or Events
        The series.
    scale : float
        Line-width and marker-size factor of the figure size.

    Returns
    -------
    list
        Extra legend handles (an image's mask and missing-value patches), else empty.
    """
    if isinstance(item, spec.Line):
        ax.plot(item.x, item.y, color=item.color, linestyle=LINESTYLES[item.style],
                linewidth=item.width * scale, marker=item.marker,
                markersize=4 * scale if item.marker else None, label=item.label, zorder=2)
    elif isinstance(item, spec.Points):
        ax.plot(item.x, item.y, linestyle="none", marker=item.marker, color=item.color,
                markersize=item.size * scale, markeredgecolor=item.edge or item.color,
                markeredgewidth=0.3 * scale if item.edge else 0.0, label=item.label, zorder=3)
    elif isinstance(item, spec.ErrorBars):
        # a (2, N) array, the shape matplotlib documents: a list of two arrays makes it
        # test an array's truth as a scalar (a NumPy deprecation, an error to come)
        spread = np.vstack([np.asarray(item.low, float), np.asarray(item.high, float)])
        ax.errorbar(item.x, item.y, yerr=spread, fmt="none", ecolor=item.color,
                    elinewidth=0.9 * scale, capsize=2.0 * scale, label=item.label, zorder=2)
    elif isinstance(item, spec.Band):
        ax.fill_between(item.x, item.low, item.high, color=item.color, alpha=item.alpha,
                        linewidth=0, label=item.label, zorder=1)
    elif isinstance(item, spec.Bars):
        ax.bar(item.x, item.height, width=item.width, color=item.color, label=item.label,
               zorder=2)
    elif isinstance(item, spec.Segments):
        ax.vlines(item.x, item.y0, item.y1, colors=item.color, linewidth=item.width * scale,
                  label=item.label, zorder=2)
    elif isinstance(item, spec.Image):
        return _draw_image(ax, item, scale)
    elif isinstance(item, spec.Events):
        draw = ax.axvline if item.axis == "x" else ax.axhline
        for i, position in enumerate(np.atleast_1d(item.positions)):
            draw(position, color=item.color, linestyle=LINESTYLES[item.style],
                 linewidth=0.9 * scale, label=item.legend if i == 0 else None, zorder=2.5)
    return []


def colorbar(fig, image: spec.Image, ax, shrink: float = 1.0) -> None:
    """Add the colour bar of `image` beside `ax` (one panel) or a list of axes (shared).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    image : figures.spec.Image
        The image whose levels, colour map and ``colorbar`` label the bar shows.
    ax : matplotlib.axes.Axes or list of them
        Where the bar takes its room from.
    shrink : float
        Fraction of the axes' height the bar spans.
    """
    low, high = image.levels
    mappable = ScalarMappable(mcolors.Normalize(low, high), colormaps[image.cmap])
    bar = fig.colorbar(mappable, ax=ax, fraction=0.05 if isinstance(ax, list) else 0.08,
                       pad=0.02, aspect=25 if isinstance(ax, list) else 20, shrink=shrink)
    bar.set_label(image.colorbar, fontsize="small")
    bar.ax.tick_params(labelsize="small")
    bar.outline.set_linewidth(0.5)
