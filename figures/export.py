"""Write figures to a folder: PNG, SVG, PDF and the CSV of their data, atomically."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from figures.files import write_bytes, write_text
from figures.spec import Figure
from figures.tables import csv_text

ALL_FORMATS = ("png", "svg", "pdf", "csv")


def export_figure(figure: Figure, folder: str | os.PathLike,
                  formats: Iterable[str] = ALL_FORMATS, size: str = "page", style=None,
                  dpi: int = 300, prefix: str = "") -> list[Path]:
    """Write `figure` as ``PREFIX + NAME.{png,svg,pdf,csv}`` into `folder`.

    Parameters
    ----------
    figure : Figure
        What to write.
    folder : path-like
        An existing, writable folder.
    formats : iterable of str
        Any of ``png``, ``svg``, ``pdf``, ``csv``.
    size : {"column", "page", "slide"}
        Width preset of the images.
    style : path-like, optional
        A matplotlib style file replacing the house style.
    dpi : int
        PNG resolution.
    prefix : str
        Prepended to the file stem (``networks-``).

    Returns
    -------
    list of pathlib.Path
        The files written (each atomically, with the user's umask).
    """
    folder = Path(folder)
    formats = list(formats)
    images = [f for f in formats if f != "csv"]
    data = {}
    if images:
        from figures.render import render_formats  # matplotlib only when an image is asked for

        data = render_formats(figure, images, size, style, dpi)
    written = []
    for fmt in formats:
        path = folder / f"{prefix}{figure.name}.{fmt}"
        if fmt == "csv":
            written.append(write_text(path, csv_text(figure.table)))
        else:
            written.append(write_bytes(path, data[fmt]))
    return written


def export_figures(figures: Iterable[Figure], folder: str | os.PathLike, **options) -> list[Path]:
    """Write every figure of `figures` into `folder`; see `export_figure` for `options`."""
    written = []
    for figure in figures:
        written.extend(export_figure(figure, folder, **options))
    return written
