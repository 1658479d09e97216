"""Render figures to PNG, SVG and CSV bytes or files, on a light theme, with atomic writes."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtSvg

from gui.figures import Figure
from models.atomic_write import atomic_write_bytes, csv_text

FORMATS = ("png", "svg", "csv")
_INK = "#202020"


@contextlib.contextmanager
def light_theme(item: pg.GraphicsObject):
    """Temporarily give every axis and title under `item` dark ink, for a white background."""
    saved = []
    for axis in _axes(item):
        saved.append((axis, axis.pen(), axis.textPen(), axis.labelStyle.copy()))
        axis.setPen(pg.mkPen(_INK))
        axis.setTextPen(pg.mkPen(_INK))
        if axis.label is not None:
            axis.labelStyle["color"] = _INK
            axis._updateLabel()
    labels = []
    for label in _labels(item):
        labels.append((label, label.opts.get("color")))
        label.setText(label.text, color=_INK)
    try:
        yield
    finally:
        for axis, pen, text_pen, style in saved:
            axis.setPen(pen)
            axis.setTextPen(text_pen)
            axis.labelStyle = style
            axis._updateLabel()
        for label, color in labels:
            label.setText(label.text, color=color)


def _axes(item: pg.GraphicsObject) -> list[pg.AxisItem]:
    found = [item] if isinstance(item, pg.AxisItem) else []
    for child in item.childItems():
        found.extend(_axes(child))
    return found


def _labels(item: pg.GraphicsObject) -> list[pg.LabelItem]:
    found = [item] if isinstance(item, pg.LabelItem) and item.text else []
    for child in item.childItems():
        found.extend(_labels(child))
    return found


def png_bytes(item: pg.GraphicsObject, scale: float = 2.0) -> bytes:
    """Render `item` to PNG bytes at `scale` times its on-screen size, on white.

    The scene is painted with a uniform scale, so text and lines keep the proportions
    they have on screen (pyqtgraph's ImageExporter re-lays out and lets labels collide).
    """
    rect = item.sceneBoundingRect()
    width = max(int(round(rect.width() * scale)), 16)
    height = max(int(round(rect.height() * scale)), 16)
    image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QtGui.QColor("white"))
    with light_theme(item):
        painter = QtGui.QPainter(image)
        try:
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
            item.scene().render(painter, QtCore.QRectF(0, 0, width, height), rect)
        finally:
            painter.end()
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def svg_bytes(item: pg.GraphicsObject) -> bytes:
    """Render `item` to SVG bytes (vector), on white.

    pyqtgraph 0.14's SVGExporter cannot parse the path syntax Qt 6.11 writes, so the
    scene region is painted straight into a ``QSvgGenerator``.
    """
    rect = item.sceneBoundingRect()
    size = rect.size().toSize()
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    generator = QtSvg.QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QtCore.QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(_title(item))
    target = QtCore.QRectF(0, 0, size.width(), size.height())
    with light_theme(item):
        painter = QtGui.QPainter(generator)
        try:
            painter.fillRect(target, QtGui.QColor("white"))
            item.scene().render(painter, target, rect)
        finally:
            painter.end()
    return bytes(buffer.data())


def _title(item: pg.GraphicsObject) -> str:
    labels = _labels(item)
    return labels[0].text if labels else "ReLU Lab figure"


def csv_bytes(figure: Figure) -> bytes:
    """Return the figure's data table as CSV bytes with its unit-bearing header."""
    header, rows = figure.table()
    return csv_text(header, rows).encode("utf-8")


def export_figure(figure: Figure, folder: str | Path,
                  formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write `figure` into `folder` as ``NAME.png``, ``NAME.svg`` and ``NAME.csv``.

    Parameters
    ----------
    figure : Figure
        The figure to export.
    folder : path-like
        Existing, writable folder.
    formats : tuple of str
        Any of ``"png"``, ``"svg"``, ``"csv"``.

    Returns
    -------
    list of pathlib.Path
        The files written. Each is written atomically; on error none is half-written.
    """
    folder = Path(folder)
    render = {"png": lambda: png_bytes(figure.item), "svg": lambda: svg_bytes(figure.item),
              "csv": lambda: csv_bytes(figure)}
    written = []
    for fmt in formats:
        if fmt not in render:
            raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
        written.append(atomic_write_bytes(folder / f"{figure.name}.{fmt}", render[fmt]()))
    return written


def export_widgets(widgets, figures, folder: str | Path,
                   formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Show `widgets` offscreen (so their layouts are computed), export `figures`, close them.

    Parameters
    ----------
    widgets : list of QWidget
        The windows holding the figures' plots; closed and deleted afterwards.
    figures : list of Figure
        What to write.
    folder : path-like
        Existing, writable folder.
    formats : tuple of str
        Any of ``"png"``, ``"svg"``, ``"csv"``.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance()
    for widget in widgets:
        widget.show()
    app.processEvents()
    written = []
    try:
        for figure in figures:
            written.extend(export_figure(figure, folder, formats))
    finally:
        for widget in widgets:
            widget.close()
            widget.deleteLater()
        app.processEvents()
    return written
