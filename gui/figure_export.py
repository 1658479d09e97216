"""Export window figures with the command line's matplotlib renderer (PNG, SVG, PDF, CSV)."""

from __future__ import annotations

from pathlib import Path

from gui.figure_view import MENU_FORMATS, export_window_figure, figure_bytes, figure_spec

FORMATS = MENU_FORMATS

__all__ = ["FORMATS", "export_figure", "figure_bytes", "figure_spec"]


def export_figure(figure, folder: str | Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write a window figure (`gui.figures.Figure`) into `folder` as ``NAME.<fmt>``.

    Parameters
    ----------
    figure : gui.figures.Figure
        The figure; its ``spec`` (or, lacking one, its plot read back) is rendered.
    folder : path-like
        Existing, writable folder.
    formats : tuple of str
        Any of ``png`` (300 dpi), ``svg`` (real text), ``pdf``, ``csv``.

    Returns
    -------
    list of pathlib.Path
        The files written, each atomically.

    Raises
    ------
    ValueError
        On an unknown format, naming it.
    """
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    return export_window_figure(figure, folder, tuple(formats))
