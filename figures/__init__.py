"""Figures as data: built from model results, drawn by matplotlib for export (no Qt here)."""

from figures.export import ALL_FORMATS, export_figure, export_figures
from figures.spec import (
    Axis,
    Band,
    Bars,
    ErrorBars,
    Events,
    Figure,
    Image,
    Line,
    Note,
    Panel,
    Points,
    Segments,
    Table,
)

__all__ = ["ALL_FORMATS", "Axis", "Band", "Bars", "ErrorBars", "Events", "Figure", "Image",
           "Line", "Note", "Panel", "Points", "Segments", "Table", "export_figure",
           "export_figures"]
