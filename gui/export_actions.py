"""Export from the window: each plot's context menu, and every figure of one or all tabs."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from gui.figure_view import export_window_figure, install_figure_menu


def install_export_menu(figure, parent: QtWidgets.QWidget) -> None:
    """Give every plot of `figure` the menu Export PNG / SVG / PDF / CSV, Copy image, Copy data.

    pyqtgraph's ViewBox menu, "Plot options" and "Export..." dialog are removed.
    """
    install_figure_menu(figure, parent)


def export_tab_figures(tabs: dict[str, QtWidgets.QWidget], folder: str | Path) -> list[Path]:
    """Write every figure of each tab into `folder` as ``TAB-NAME.png/.svg/.pdf/.csv``.

    Parameters
    ----------
    tabs : dict
        Tab key (``networks``, ``neuron`` ...) -> tab widget with a ``figures()`` method.
    folder : path-like
        An existing folder.

    Returns
    -------
    list of pathlib.Path
        The files written (matplotlib, the command line's house style).

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
            written.extend(export_window_figure(figure, folder, prefix=f"{key}-"))
    return written
