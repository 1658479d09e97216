"""The one matplotlib renderer: a `figures.spec.Figure` to PNG, SVG (real text) or PDF bytes."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib import style as mstyle  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.cm import ScalarMappable  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from figures import spec  # noqa: E402

STYLE_FILE = Path(__file__).resolve().parent.parent / "resources" / "figures.mplstyle"
# width (inches), base font size (points), line-width scale
# (slide: 13 1/3 in, the width of a 16:9 slide, a whole number of points like the others)
SIZES = {"column": (3.5, 7.0, 0.8), "page": (7.0, 9.0, 1.0), "slide": (40 / 3, 17.0, 1.7)}
FORMATS = ("png", "svg", "pdf")
LINESTYLES = {"solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-."}
NOTE_SPOTS = [("upper left", 0.02, 0.98, "left", "top"),
              ("upper right", 0.98, 0.98, "right", "top"),
              ("lower right", 0.98, 0.02, "right", "bottom"),
              ("lower left", 0.02, 0.02, "left", "bottom"),
              ("upper center", 0.5, 0.98, "center", "top"),
              ("lower center", 0.5, 0.02, "center", "bottom"),
              ("center left", 0.02, 0.5, "left", "center"),
              ("center right", 0.98, 0.5, "right", "center")]


def check_style(path: str | Path | None) -> Path:
    """Return the style file to use (the house style when `path` is None).

    Raises
    ------
    ValueError
        ``--style: ...`` if the file cannot be read as a matplotlib style.
    """
    if path is None:
        return STYLE_FILE
    target = Path(path)
    if not target.is_file():
        raise ValueError(f"--style: {path}: no such file")
    try:
        matplotlib.rc_params_from_file(str(target), use_default_template=False)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"--style: {path}: {exc}") from None
    return target


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


def _draw_series(ax, item, scale: float) -> list:
    """Draw one series; return extra legend handles (image masks)."""
    if isinstance(item, spec.Line):
        ax.plot(item.x, item.y, color=item.color, linestyle=LINESTYLES[item.style],
                linewidth=item.width * scale, marker=item.marker,
                markersize=4 * scale if item.marker else None, label=item.label, zorder=2)
    elif isinstance(item, spec.Points):
        ax.plot(item.x, item.y, linestyle="none", marker=item.marker, color=item.color,
                markersize=item.size * scale, markeredgecolor=item.edge or item.color,
                markeredgewidth=0.3 * scale if item.edge else 0.0, label=item.label, zorder=3)
    elif isinstance(item, spec.ErrorBars):
        ax.errorbar(item.x, item.y, yerr=[item.low, item.high], fmt="none", ecolor=item.color,
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


def _configure_axis(ax, axis: spec.Axis, which: str) -> None:
    set_label = ax.set_xlabel if which == "x" else ax.set_ylabel
    set_label(axis.text)
    (ax.set_xscale if which == "x" else ax.set_yscale)(axis.scale)
    if axis.limits is not None:
        (ax.set_xlim if which == "x" else ax.set_ylim)(*axis.limits)
    target = ax.xaxis if which == "x" else ax.yaxis
    if axis.ticks is not None:
        target.set_ticks([t for t, _ in axis.ticks], [s for _, s in axis.ticks])
        target.set_minor_locator(matplotlib.ticker.NullLocator())
    elif axis.integer and axis.scale == "linear":
        target.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5,
                                                                                  10]))
    if axis.scale == "log" and axis.ticks is None:
        target.set_major_formatter(FuncFormatter(_plain_number))
        target.set_minor_formatter(FuncFormatter(lambda v, _, t=target: _minor_label(v, t)))
    if axis.inverted:
        (ax.invert_xaxis if which == "x" else ax.invert_yaxis)()


def _plain_number(value: float, _pos=None) -> str:
    """Tick text without mathtext: ``0.3``, ``1``, ``1e-05``."""
    return f"{value:g}"


def _mantissa(value: float) -> int:
    return int(round(value / 10 ** np.floor(np.log10(value)))) if value > 0 else 0


def _minor_label(value: float, axis) -> str:
    """Label minor log ticks when the axis spans too few decades to show majors."""
    low, high = sorted(axis.get_view_interval())
    if low <= 0:
        return ""
    decades = np.log10(high / low)
    shown = (2, 3, 4, 5, 6, 7, 8, 9) if decades <= 0.6 else (2, 3, 5) if decades <= 1.2 \
        else (2, 5) if decades <= 2.2 else ()
    return _plain_number(value) if _mantissa(value) in shown else ""


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


def _place_notes(fig, canvas, ax, panel: spec.Panel, font_size: float) -> None:
    """Put the panel's notes in a corner free of data and legend, else above the panel."""
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


LEGEND_SPOTS = ("upper right", "upper left", "lower right", "lower left", "upper center",
                "lower center", "center right", "center left")


def _hits(points: np.ndarray, extent) -> int:
    if np.isinf(points).any():
        return 1
    if not points.size:
        return 0
    return int(np.count_nonzero((points[:, 0] >= extent.x0) & (points[:, 0] <= extent.x1)
                                & (points[:, 1] >= extent.y0) & (points[:, 1] <= extent.y1)))


def _legend(ax, panel: spec.Panel, handles: list, renderer) -> bool:
    """Put the panel's legend in a corner that covers no data; False if none is free."""
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


def build(figure: spec.Figure, size: str = "page", style: str | Path | None = None):
    """Return the matplotlib figure drawing `figure` (the caller renders and closes it).

    Parameters
    ----------
    figure : figures.spec.Figure
        What to draw.
    size : {"column", "page", "slide"}
        3.5, 7 or 13.3 inches wide, with fonts sized for each.
    style : path-like, optional
        A matplotlib style file replacing the house style.
    """
    if size not in SIZES:
        raise ValueError(f"--size: {size!r}; choose from {', '.join(SIZES)}")
    width, font, scale = SIZES[size]
    style_file = check_style(style)
    with mstyle.context([str(style_file), {"font.size": font}]):
        rows, cols = figure.rows, figure.cols
        aspect = figure.aspect * (1.25 if size == "column" else 1.0)
        if size == "column" and cols > 2:  # a wide grid: give its rows room
            aspect *= 1.3
        # a height of whole 1/12 in: whole points (SVG) and whole pixels at 300 and 600 dpi,
        # so the PNG and the SVG drawn at the same dpi come out the same size in pixels
        height = max(round(width * aspect * 12) / 12, 1.0)
        if size == "slide":  # fit a 16:9 slide (7.5 in tall) with room for a heading
            height = min(height, 6.5)
        fig = MplFigure(figsize=(width, height), layout="constrained")
        canvas = FigureCanvasAgg(fig)
        axes, extra, first_image = [], [], None
        for i, panel in enumerate(figure.panels):
            share = axes[i - cols] if panel.share_x and i >= cols else None
            ax = fig.add_subplot(rows, cols, i + 1, sharex=share)
            handles = []
            for item in panel.series:
                handles += _draw_series(ax, item, scale)
                if isinstance(item, spec.Image) and item.colorbar and first_image is None:
                    first_image = item
                if isinstance(item, spec.Image) and item.colorbar and \
                        not figure.colorbar_shared:
                    _colorbar(fig, item, ax, 0.8 if panel.aspect == "equal" else 1.0)
            _configure_axis(ax, panel.x, "x")
            _configure_axis(ax, panel.y, "y")
            if panel.aspect == "equal":
                ax.set_aspect("equal", adjustable="box")
            if panel.share_x and share is not None:
                share.tick_params(labelbottom=False)
                share.set_xlabel("")
            title = panel.title if (len(figure.panels) > 1 or not figure.title) else ""
            if title:
                ax.set_title(title, fontsize="small" if len(figure.panels) > 2 else "medium")
            extra.append(handles)
            axes.append(ax)
        if figure.colorbar_shared and first_image is not None:
            _colorbar(fig, first_image, axes)
        if figure.title:
            chars = int(width * 72 / (0.55 * font * (1.0 if size == "column" else 1.2)))
            fig.suptitle(textwrap.fill(figure.title, max(chars, 30)),
                         fontsize="medium" if size == "column" else "large")
        canvas.draw()
        renderer = canvas.get_renderer()
        outside, below = [], []
        for ax, panel, handles in zip(axes, figure.panels, extra):
            if not panel.legend:
                below += handles if figure.colorbar_shared else []
                continue
            if figure.legend_below or figure.colorbar_shared or \
                    not _legend(ax, panel, handles, renderer):
                outside.append(ax)
                below += handles
        if outside or below:
            _figure_legend(fig, outside, below, size, figure)
            canvas.draw()
        for ax, panel in zip(axes, figure.panels):
            _place_notes(fig, canvas, ax, panel, font)
        # lay out once (with Agg's text metrics) and freeze it: PNG, SVG and PDF then share
        # every position, instead of each format's renderer laying the figure out anew
        canvas.draw()
        fig.set_layout_engine("none")
    return fig


def _colorbar(fig, image: spec.Image, ax, shrink: float = 1.0) -> None:
    low, high = image.levels
    mappable = ScalarMappable(mcolors.Normalize(low, high), colormaps[image.cmap])
    bar = fig.colorbar(mappable, ax=ax, fraction=0.05 if isinstance(ax, list) else 0.08,
                       pad=0.02, aspect=25 if isinstance(ax, list) else 20, shrink=shrink)
    bar.set_label(image.colorbar, fontsize="small")
    bar.ax.tick_params(labelsize="small")
    bar.outline.set_linewidth(0.5)


def _figure_legend(fig, axes, extra, size: str, figure: spec.Figure) -> None:
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


def render(figure: spec.Figure, fmt: str, size: str = "page", style=None,
           dpi: int = 300) -> bytes:
    """Render `figure` to the bytes of a PNG, SVG or PDF file.

    Parameters
    ----------
    figure : figures.spec.Figure
        What to draw.
    fmt : {"png", "svg", "pdf"}
        Output format. SVG keeps text as ``<text>`` (``svg.fonttype: none``).
    size : {"column", "page", "slide"}
        Width preset.
    style : path-like, optional
        Style file replacing the house style.
    dpi : int
        Raster resolution (PNG; also the images embedded in SVG and PDF).

    Returns
    -------
    bytes
        The file's content.
    """
    return render_formats(figure, (fmt,), size, style, dpi)[fmt]


def render_formats(figure: spec.Figure, formats, size: str = "page", style=None,
                   dpi: int = 300) -> dict[str, bytes]:
    """Render `figure` once and return ``{format: bytes}`` for each of `formats`.

    All formats come from the same laid-out figure, so they match point for point.
    """
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"format: {fmt!r}; choose from {', '.join(FORMATS)}")
    fig = build(figure, size, style)
    out = {}
    with mstyle.context([str(check_style(style))]):
        for fmt in formats:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(fmt, figure))
            out[fmt] = buffer.getvalue()
    return out


def _metadata(fmt: str, figure: spec.Figure) -> dict:
    if fmt == "png":
        return {"Title": figure.title, "Software": "ReLU Lab (matplotlib)"}
    if fmt == "svg":
        return {"Title": figure.title, "Date": None}
    return {"Title": figure.title, "Creator": "ReLU Lab (matplotlib)", "CreationDate": None}


