"""Where legends and notes go: a corner of the panel that covers no data, else outside it."""

from __future__ import annotations

import textwrap

import numpy as np

from figures import spec

NOTE_SPOTS = [("upper left", 0.02, 0.98, "left", "top"),
              ("upper right", 0.98, 0.98, "right", "top"),
              ("lower right", 0.98, 0.02, "right", "bottom"),
              ("lower left", 0.02, 0.02, "left", "bottom"),
              ("upper center", 0.5, 0.98, "center", "top"),
              ("lower center", 0.5, 0.02, "center", "bottom"),
              ("center left", 0.02, 0.5, "left", "center"),
              ("center right", 0.98, 0.5, "right", "center")]
LEGEND_SPOTS = ("upper right", "upper left", "lower right", "lower left", "upper center",
                "lower center", "center right", "center left")


def _display(ax, x, y) -> np.ndarray:
    x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
    keep = np.isfinite(x) & np.isfinite(y)
    if ax.get_yscale() == "log":
        keep &= y > 0
    if ax.get_xscale() == "log":
        keep &= x > 0
    out = np.full(x.shape + (2,), np.nan)
    if keep.any():
        out[keep] = ax.transData.transform(np.column_stack([x[keep], y[keep]]))
    return out


def _densify(a: np.ndarray, b: np.ndarray, step: float = 2.0) -> np.ndarray:
    """Return points every `step` display pixels along the segments ``a[i] -> b[i]``."""
    good = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    a, b = a[good], b[good]
    if not a.size:
        return np.zeros((0, 2))
    n = int(np.clip(np.ceil(np.max(np.hypot(*(b - a).T)) / step), 1, 2000))
    t = np.linspace(0.0, 1.0, n + 1)[:, None, None]
    return (a + t * (b - a)).reshape(-1, 2)


def _data_points(ax, panel: spec.Panel) -> np.ndarray:
    """Return display points covering everything drawn in `panel` (no gap over 2 pixels)."""
    chunks = []
    for item in panel.series:
        if isinstance(item, spec.Line):
            pts = _display(ax, item.x, item.y)
            chunks.append(_densify(pts[:-1], pts[1:]) if len(pts) > 1 else pts)
        elif isinstance(item, spec.Points):
            chunks.append(_display(ax, item.x, item.y))
        elif isinstance(item, spec.ErrorBars):
            y = np.asarray(item.y, float)
            chunks.append(_densify(_display(ax, item.x, y - item.low),
                                   _display(ax, item.x, y + item.high)))
        elif isinstance(item, spec.Bars):
            for f in np.linspace(-0.5, 0.5, 9):
                x = np.asarray(item.x, float) + f * item.width
                chunks.append(_densify(_display(ax, x, np.zeros_like(x)),
                                       _display(ax, x, item.height)))
            left, right = (_display(ax, np.asarray(item.x) + f * item.width, item.height)
                           for f in (-0.5, 0.5))
            chunks.append(_densify(left, right))
        elif isinstance(item, spec.Segments):
            chunks.append(_densify(_display(ax, item.x, item.y0), _display(ax, item.x, item.y1)))
        elif isinstance(item, spec.Image):
            return np.full((1, 2), np.inf)  # an image covers the whole panel
        elif isinstance(item, spec.Events):
            positions = np.atleast_1d(np.asarray(item.positions, float))
            if item.axis == "x":
                low, high = ax.get_ylim()
                a, b = _display(ax, positions, low), _display(ax, positions, high)
            else:
                low, high = ax.get_xlim()
                a, b = _display(ax, low, positions), _display(ax, high, positions)
            chunks.append(_densify(a, b))
    chunks = [c[np.isfinite(c).all(axis=1)] for c in chunks if len(c)]
    return np.concatenate(chunks) if chunks else np.zeros((0, 2))


def _hits(points: np.ndarray, extent) -> int:
    if np.isinf(points).any():
        return 1
    if not points.size:
        return 0
    return int(np.count_nonzero((points[:, 0] >= extent.x0) & (points[:, 0] <= extent.x1)
                                & (points[:, 1] >= extent.y0) & (points[:, 1] <= extent.y1)))


def place_notes(fig, canvas, ax, panel: spec.Panel, font_size: float) -> None:
    """Put the panel's notes in a corner free of data and legend, else above the panel.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (its dpi sizes the text).
    canvas : matplotlib.backends.backend_agg.FigureCanvasAgg
        The figure's canvas, already drawn (its renderer measures the notes).
    ax : matplotlib.axes.Axes
        The panel's axes, legend placed.
    panel : figures.spec.Panel
        The panel (its notes and series).
    font_size : float
        The figure's base font size in points (to wrap the text to the panel's width).
    """
    if not panel.notes:
        return
    text = "\n".join(n.text for n in panel.notes)
    color = panel.notes[0].color
    box = ax.get_window_extent()
    chars = max(int(box.width / (0.6 * font_size * 0.83 * fig.dpi / 72)), 20)
    text = "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))
    points = _data_points(ax, panel)
    legend = ax.get_legend()
    legend_box = legend.get_window_extent() if legend is not None else None
    for _, x, y, ha, va in NOTE_SPOTS:
        note = ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, color=color,
                       fontsize="small", zorder=5,
                       bbox={"boxstyle": "square,pad=0.25", "facecolor": "white",
                             "edgecolor": "none", "alpha": 0.85})
        extent = note.get_window_extent(renderer=canvas.get_renderer()).padded(2)
        inside = (extent.x0 >= box.x0 and extent.x1 <= box.x1 and extent.y0 >= box.y0
                  and extent.y1 <= box.y1)
        hits = _hits(points, extent)
        if inside and not hits and (legend_box is None or not extent.overlaps(legend_box)):
            return
        note.remove()
    ax.set_title(text, loc="left", fontsize="small", color=color)


def place_legend(ax, panel: spec.Panel, handles: list, renderer) -> bool:
    """Put the panel's legend in a corner that covers no data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel's axes, drawn once (its transforms are final).
    panel : figures.spec.Panel
        The panel (its series are the data to keep clear, its ``legend_columns``).
    handles : list
        Extra legend handles beyond the labelled artists.
    renderer : matplotlib renderer
        Measures the legend.

    Returns
    -------
    bool
        True when placed (or nothing to show); False if no corner is free (no legend left).
    """
    drawn, labels = ax.get_legend_handles_labels()
    if not drawn and not handles:
        return True
    points = _data_points(ax, panel)
    for loc in LEGEND_SPOTS:
        legend = ax.legend(handles=[*drawn, *handles],
                           labels=[*labels, *[h.get_label() for h in handles]], loc=loc,
                           ncols=panel.legend_columns)
        if not _hits(points, legend.get_window_extent(renderer).padded(2)):
            return True
        legend.remove()
    return False


def figure_legend(fig, axes, extra, size: str) -> None:
    """Put one legend for `axes` and the `extra` handles below the figure, as wide as fits.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (constrained layout makes room below).
    axes : list of matplotlib.axes.Axes
        Panels whose labelled artists join the legend (each label once).
    extra : list
        Further handles (image masks and missing values).
    size : {"column", "page", "slide"}
        Figure size: at most 2, 4 or 4 columns, fewer when the legend would be wider
        than the figure.
    """
    handles, labels, seen = [], [], set()
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels()):
            if label not in seen:
                seen.add(label)
                handles.append(h)
                labels.append(label)
    for h in extra:
        if h.get_label() not in seen:
            seen.add(h.get_label())
            handles.append(h)
            labels.append(h.get_label())
    if not handles:
        return
    columns = min({"column": 2, "page": 4, "slide": 4}[size], len(handles))
    renderer = fig.canvas.get_renderer()
    limit = fig.bbox.width * 0.98
    for ncols in range(columns, 0, -1):  # as many columns as fit in the figure's width
        legend = fig.legend(handles, labels, loc="outside lower center", ncols=ncols,
                            frameon=False)
        if ncols == 1 or legend.get_window_extent(renderer).width <= limit:
            return
        legend.remove()
