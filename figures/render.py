"""The one matplotlib renderer: a `figures.spec.Figure` to PNG, SVG (real text) or PDF bytes."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib import style as mstyle  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402

from figures import spec  # noqa: E402
from figures.axes import configure_axis  # noqa: E402
from figures.draw import colorbar, draw_series  # noqa: E402
from figures.placement import figure_legend, place_legend, place_notes  # noqa: E402

STYLE_FILE = Path(__file__).resolve().parent.parent / "resources" / "figures.mplstyle"
# width (inches), base font size (points), line-width scale
# (slide: 13 1/3 in, the width of a 16:9 slide, a whole number of points like the others)
SIZES = {"column": (3.5, 7.0, 0.8), "page": (7.0, 9.0, 1.0), "slide": (40 / 3, 17.0, 1.7)}
FORMATS = ("png", "svg", "pdf")


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
                handles += draw_series(ax, item, scale)
                if isinstance(item, spec.Image) and item.colorbar and first_image is None:
                    first_image = item
                if isinstance(item, spec.Image) and item.colorbar and \
                        not figure.colorbar_shared:
                    colorbar(fig, item, ax, 0.8 if panel.aspect == "equal" else 1.0)
            configure_axis(ax, panel.x, "x")
            configure_axis(ax, panel.y, "y")
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
            colorbar(fig, first_image, axes)
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
                    not place_legend(ax, panel, handles, renderer):
                outside.append(ax)
                below += handles
        if outside or below:
            figure_legend(fig, outside, below, size)
            canvas.draw()
        for ax, panel in zip(axes, figure.panels):
            place_notes(fig, canvas, ax, panel, font)
        # lay out once (with Agg's text metrics) and freeze it: PNG, SVG and PDF then share
        # every position, instead of each format's renderer laying the figure out anew
        canvas.draw()
        fig.set_layout_engine("none")
    return fig


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


