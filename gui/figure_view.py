"""A window figure as `figures.spec.Figure` data: its right-click menu, exports and clipboard.

Every plot of the window is exported by the command line's matplotlib renderer (one house
style): PNG at 300 dpi, SVG with real text, PDF and the CSV of its data. A tab gives the
spec from its current results with the ``figures`` builders; a plot without one is read
back from its pyqtgraph items (`spec_from_plot`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from figures import spec
from figures.export import export_figure as export_spec
from figures.tables import csv_text

MENU_FORMATS = ("png", "svg", "pdf", "csv")
_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG vector image (*.svg)",
            "pdf": "PDF document (*.pdf)", "csv": "CSV data (*.csv)"}
MENU_ATTRIBUTE = "_relu_lab_figure_menu"


def plot_items(item) -> list[pg.PlotItem]:
    """Return every `pyqtgraph.PlotItem` at or under `item` (a plot, a layout, a stack)."""
    if isinstance(item, pg.PlotItem):
        return [item]
    found = []
    for child in item.childItems():
        found.extend(plot_items(child))
    return found


def _color(pen) -> str:
    try:
        return pg.mkPen(pen).color().name()
    except (TypeError, ValueError):
        return "#0072b2"


def _axis(plot: pg.PlotItem, name: str) -> spec.Axis:
    axis = plot.getAxis(name)
    label = (axis.labelText or "").strip()
    unit = (axis.labelUnits or "").strip()
    scale = "log" if plot.ctrl.logXCheck.isChecked() and name == "bottom" else "linear"
    if name == "left" and plot.ctrl.logYCheck.isChecked():
        scale = "log"
    return spec.Axis(label, unit, scale)


def _series(plot: pg.PlotItem) -> list:
    out = []
    for k, item in enumerate(plot.items):
        if not item.isVisibleTo(item.parentItem()):  # hidden itself, whether or not shown
            continue  # a kept item the last draw did not use: not on screen, not exported
        if isinstance(item, pg.PlotDataItem):
            x, y = item.getData()
            if x is None or y is None or not len(x):
                continue
            x, y = np.asarray(x, float), np.asarray(y, float)
            if plot.ctrl.logXCheck.isChecked():
                x = 10.0 ** x
            if plot.ctrl.logYCheck.isChecked():
                y = 10.0 ** y
            label = item.name() or None
            pen = item.opts.get("pen")
            if pen is None or (isinstance(pen, QtGui.QPen)
                               and pen.style() == pg.QtCore.Qt.PenStyle.NoPen):
                brush = item.opts.get("symbolBrush")
                color = pg.mkBrush(brush).color().name() if brush is not None else "#0072b2"
                out.append(spec.Points(f"s{k}", x, y, label, color))
            else:
                out.append(spec.Line(f"s{k}", x, y, label, _color(pen)))
        elif isinstance(item, pg.ImageItem) and item.image is not None:
            rect = item.mapRectToParent(item.boundingRect())
            values = np.asarray(item.image, float)
            if values.ndim != 2:
                continue
            if item.axisOrder == "col-major":
                values = values.T  # spec rows are y
            levels = item.levels if item.levels is not None else (np.nanmin(values),
                                                                   np.nanmax(values))
            out.append(spec.Image(f"s{k}", values, (rect.left(), rect.right(), rect.top(),
                                                      rect.bottom()),
                                  levels=(float(np.ravel(levels)[0]),
                                          float(np.ravel(levels)[-1]))))
        elif isinstance(item, pg.InfiniteLine):
            axis = "x" if item.angle == 90 else "y"
            out.append(spec.Events(f"s{k}", np.array([item.value()]), axis=axis))
    return out


def spec_from_plot(name: str, item, table: tuple | None = None) -> spec.Figure:
    """Read a pyqtgraph plot or layout of plots back as a `figures.spec.Figure`.

    Parameters
    ----------
    name : str
        File stem of the exports.
    item : pyqtgraph.GraphicsItem
        A ``PlotItem`` or a layout holding them (each plot becomes a panel).
    table : tuple, optional
        ``(header, rows)`` written as the CSV.
    """
    plots = plot_items(item)
    panels = [spec.Panel(plot.titleLabel.text or "", _axis(plot, "bottom"), _axis(plot, "left"),
                         _series(plot)) for plot in plots]
    if not panels:
        panels = [spec.Panel("", spec.Axis(""), spec.Axis(""))]
    title = panels[0].title if len(panels) == 1 else name.replace("_", " ")
    if len(panels) == 1:
        panels[0].title = ""
    header, rows = table if table is not None else (["empty"], [])
    cols = int(np.ceil(np.sqrt(len(panels))))
    rows_n = int(np.ceil(len(panels) / cols))
    return spec.Figure(name, title or name.replace("_", " "), panels,
                       spec.Table(list(header), rows), rows=rows_n, cols=cols,
                       aspect=0.62 * rows_n / cols if len(panels) > 1 else 0.62)


def _owner(item, attribute: str):
    """Return the first widget holding `item`'s view (or a parent of it) with `attribute`."""
    scene = item.scene()
    widget = scene.views()[0] if scene is not None and scene.views() else None
    while widget is not None and not hasattr(widget, attribute):
        widget = widget.parentWidget()
    return widget


def _networks_grid_spec(figure) -> spec.Figure | None:
    """The Networks grid from its last snapshot, by the command line's `grid_figure`."""
    tab = _owner(figure.item, "last_frame")
    if tab is None or tab.last_frame is None:
        return None
    from figures.network_figures import grid_figure
    from figures.probe_history import history_from_snapshots

    snapshot = tab.last_frame.snapshot
    return grid_figure(history_from_snapshots([snapshot], tab.config))


# figures whose tab gives no spec, built here from the tab's results (not read back)
BUILT_HERE = {"networks_grid": _networks_grid_spec}


def figure_spec(figure) -> spec.Figure:
    """Return the `figures.spec.Figure` of a window figure (`gui.figures.Figure`).

    The tab's ``spec`` (its results through the ``figures`` builders) when it has one,
    else `BUILT_HERE`'s builder, else the plot read back (`spec_from_plot`).
    """
    build = figure.spec or (lambda: BUILT_HERE.get(figure.name, lambda _f: None)(figure))
    try:
        built = build()
    except (AttributeError, IndexError, ValueError):
        built = None  # a result not there yet: read the plot back instead
    if built is not None:
        built.name = figure.name
        return built
    return spec_from_plot(figure.name, figure.item, figure.table())


def figure_bytes(figure, fmt: str) -> bytes:
    """Render a window figure as `fmt` (png, svg, pdf or csv) with the house style."""
    data = figure_spec(figure)
    if fmt == "csv":
        return csv_text(data.table).encode("utf-8")
    from figures.render import render

    return render(data, fmt)


def export_window_figure(figure, folder: str | Path, formats=MENU_FORMATS,
                         prefix: str = "") -> list[Path]:
    """Write a window figure into `folder` as ``PREFIX + NAME.{png,svg,pdf,csv}``.

    Returns
    -------
    list of pathlib.Path
        The files written (each atomically).
    """
    return export_spec(figure_spec(figure), folder, formats, prefix=prefix)


def copy_image(figure) -> QtGui.QImage:
    """Put the figure's PNG (house style) on the clipboard; return the image."""
    image = QtGui.QImage.fromData(figure_bytes(figure, "png"), "PNG")
    QtWidgets.QApplication.clipboard().setImage(image)
    return image


def copy_data(figure) -> str:
    """Put the figure's data as CSV text on the clipboard; return the text."""
    text = csv_text(figure_spec(figure).table)
    QtWidgets.QApplication.clipboard().setText(text)
    return text


def save_dialog(figure, fmt: str, parent: QtWidgets.QWidget | None) -> Path | None:
    """Ask for a file name and write the figure as `fmt` there; return the path written."""
    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, f"Export {figure.name}",
                                                    f"{figure.name}.{fmt}", _FILTERS[fmt])
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != f".{fmt}":
        target = target.with_name(f"{target.name}.{fmt}")
    try:
        from figures.files import write_bytes

        return write_bytes(target, figure_bytes(figure, fmt))
    except (OSError, ValueError) as exc:
        QtWidgets.QMessageBox.warning(parent, "Export failed",
                                      f"Could not write {target.name}: {exc}")
        return None


def build_menu(figure, parent: QtWidgets.QWidget | None) -> QtWidgets.QMenu:
    """Return the plot menu: Export PNG / SVG / PDF / CSV, Copy image, Copy data."""
    menu = QtWidgets.QMenu(parent)
    for fmt in MENU_FORMATS:
        action = menu.addAction(f"Export {fmt.upper()}…")
        action.setObjectName(f"export_{fmt}")
        action.triggered.connect(lambda _c=False, f=fmt: save_dialog(figure, f, parent))
    menu.addSeparator()
    menu.addAction("Copy image").triggered.connect(lambda _c=False: copy_image(figure))
    menu.addAction("Copy data").triggered.connect(lambda _c=False: copy_data(figure))
    return menu


def quiet_pyqtgraph_menus(item) -> None:
    """Switch off the ViewBox menu and "Plot options" of every plot under `item`."""
    scene = item.scene()
    if scene is not None and hasattr(scene, "contextMenu"):
        scene.contextMenu = []  # the scene's "Export..." dialog
    for plot in plot_items(item):
        if plot.menuEnabled() or plot.vb.menuEnabled():
            plot.setMenuEnabled(False)


def _views(item) -> list:
    scene = item.scene()
    return list(scene.views()) if scene is not None else []


def figure_at(view, pos) -> object | None:
    """Return the figure installed on `view` under widget position `pos` (smallest first)."""
    point = view.mapToScene(pos)
    hits = [f for f in getattr(view, MENU_ATTRIBUTE, []) if f.item.scene() is view.scene()
            and f.item.sceneBoundingRect().contains(point)]
    if not hits:
        return None
    return min(hits, key=lambda f: f.item.sceneBoundingRect().width()
               * f.item.sceneBoundingRect().height())


def menu_at(view, pos) -> QtWidgets.QMenu | None:
    """Return the menu the right-click at `pos` on `view` opens (None off every figure)."""
    figure = figure_at(view, pos)
    if figure is None:
        return None
    quiet_pyqtgraph_menus(figure.item)  # plots added since (a rebuilt panel) stay quiet
    return figure_menu(figure)


def figure_menu(figure) -> QtWidgets.QMenu:
    """Return the figure's menu (made by `install_figure_menu`)."""
    return figure.item.__dict__.get(MENU_ATTRIBUTE) or _make_menu(figure)


def _make_menu(figure) -> QtWidgets.QMenu:
    views = _views(figure.item)
    menu = build_menu(figure, views[0] if views else None)
    figure.item.__dict__[MENU_ATTRIBUTE] = menu
    return menu


def _on_request(view, pos) -> None:
    menu = menu_at(view, pos)
    if menu is not None:
        menu.popup(view.mapToGlobal(pos))


def install_figure_menu(figure, parent: QtWidgets.QWidget | None = None) -> QtWidgets.QMenu:
    """Give `figure`'s plots our right-click menu and remove pyqtgraph's developer items.

    The ViewBox menu, "Plot options" and the scene's "Export..." dialog are gone; a
    right-click anywhere over the figure (plot, axes, title; a grid of pictures too)
    opens `build_menu`. Safe to call again (after plots were added to the figure).

    Returns
    -------
    QMenu
        The figure's menu.
    """
    quiet_pyqtgraph_menus(figure.item)
    menu = figure.item.__dict__.get(MENU_ATTRIBUTE)
    if menu is None:
        menu = _make_menu(figure)
    for view in _views(figure.item):
        installed = view.__dict__.setdefault(MENU_ATTRIBUTE, [])
        if not installed:
            view.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: _on_request(v, pos))
        installed[:] = [f for f in installed if f.name != figure.name or f.item is not
                        figure.item] + [figure]
    return menu
