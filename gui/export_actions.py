"""Export from the window: each plot's context menu, and every figure of one or all tabs."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from gui.figure_export import csv_bytes, export_figure, png_bytes, svg_bytes
from gui.figures import Figure
from models.atomic_write import atomic_write_bytes

_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG vector image (*.svg)",
            "csv": "CSV data (*.csv)"}


def _plot_items(item) -> list[pg.PlotItem]:
    if isinstance(item, pg.PlotItem):
        return [item]
    found = []
    for child in item.childItems():
        found.extend(_plot_items(child))
    return found


def install_export_menu(figure: Figure, parent: QtWidgets.QWidget) -> None:
    """Add "Export figure as PNG / SVG / CSV…" to the context menu of every plot in `figure`.

    pyqtgraph's own scene-level "Export..." entry is removed: its SVG exporter cannot parse
    what Qt 6.11 writes, and ours renders on the light export theme.
    """
    scene = figure.item.scene()
    if scene is not None and hasattr(scene, "contextMenu"):
        scene.contextMenu = []
    for plot in _plot_items(figure.item):
        menu = plot.vb.menu if plot.vb is not None else None
        if menu is None or getattr(menu, "_relu_lab_export", False):
            continue
        menu._relu_lab_export = True
        menu.addSeparator()
        for fmt in ("png", "svg", "csv"):
            action = QtGui.QAction(f"Export figure as {fmt.upper()}…", menu)
            action.triggered.connect(lambda _c=False, f=fmt: export_one_dialog(figure, f, parent))
            menu.addAction(action)


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """Render `figure` in format `fmt` (png, svg or csv)."""
    if fmt == "png":
        return png_bytes(figure.item)
    if fmt == "svg":
        return svg_bytes(figure.item)
    return csv_bytes(figure)


def export_one_dialog(figure: Figure, fmt: str, parent: QtWidgets.QWidget) -> None:
    """Ask for a file name and write `figure` as `fmt` there (atomically)."""
    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, f"Export {figure.name}",
                                                    f"{figure.name}.{fmt}", _FILTERS[fmt])
    if not path:
        return
    try:
        atomic_write_bytes(path, figure_bytes(figure, fmt))
    except OSError as exc:
        QtWidgets.QMessageBox.warning(parent, "Export failed",
                                      f"Could not write {Path(path).name}: {exc.strerror or exc}")


def export_tab_figures(tabs: dict[str, QtWidgets.QWidget], folder: str | Path) -> list[Path]:
    """Write every figure of each tab into `folder` as ``TAB-NAME.png/.svg/.csv``.

    Parameters
    ----------
    tabs : dict
        Tab key (``networks``, ``neuron`` ...) -> tab widget with a ``figures()`` method.
    folder : path-like
        An existing folder.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    OSError
        If the folder cannot be written; files written before the error stay whole.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise OSError(f"{folder} is not a folder")
    written = []
    for key, tab in tabs.items():
        for figure in tab.figures():
            named = Figure(f"{key}-{figure.name}", figure.item, figure.table)
            written.extend(export_figure(named, folder))
    return written
