"""Theory figures offscreen: build one plot per name, fill it, export PNG/SVG(/CSV)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg

from gui.figure_export import export_widgets
from gui.figures import Figure


def export_offscreen(fills: dict[str, Callable[[pg.PlotItem], tuple]], folder: str | Path,
                     formats: tuple[str, ...] = ("png", "svg"),
                     size: tuple[int, int] = (960, 560)) -> list[Path]:
    """Draw each named plot in a hidden window and export it.

    Parameters
    ----------
    fills : dict
        Figure name -> function that draws into a PlotItem and returns its table
        (one of `gui.theory.plots`' ``draw_*`` bound to its data).
    folder : path-like
        Existing, writable folder.
    formats : tuple of str
        Export formats.
    size : tuple of int
        Widget size in pixels (PNG is written at twice this).

    Returns
    -------
    list of pathlib.Path
        Files written.
    """
    from gui.headless import ensure_app

    ensure_app()
    widgets, figures = [], []
    for name, fill in fills.items():
        widget = pg.GraphicsLayoutWidget()
        widget.setBackground("w")
        widget.resize(*size)
        plot = widget.addPlot()
        table = fill(plot)
        figures.append(Figure(name, plot, (lambda table=table: table)))
        widgets.append(widget)
    return export_widgets(widgets, figures, folder, formats)
