"""Presentation mode for a lecture hall: larger type and thicker lines on every plot."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

FONT_SCALE = 1.4
LINE_SCALE = 2.0


def _walk(item, kind) -> list:
    found = [item] if isinstance(item, kind) else []
    for child in item.childItems():
        found.extend(_walk(child, kind))
    return found


def scale_lines(figures, factor: float) -> int:
    """Multiply the pen width of every curve in `figures` by `factor`; return how many."""
    count = 0
    for figure in figures:
        for curve in _walk(figure.item, pg.PlotCurveItem):
            pen = curve.opts.get("pen")
            if pen is None:
                continue
            pen = QtGui.QPen(pg.mkPen(pen))
            pen.setWidthF(max(pen.widthF(), 1.0) * factor)
            curve.setPen(pen)
            count += 1
    return count


def scale_plot_text(figures, factor: float) -> None:
    """Multiply the size of tick labels, axis labels and titles in `figures` by `factor`."""
    for figure in figures:
        for axis in _walk(figure.item, pg.AxisItem):
            font = QtGui.QFont(axis.style.get("tickFont") or QtWidgets.QApplication.font())
            font.setPointSizeF(font.pointSizeF() * factor)
            axis.setStyle(tickFont=font)
            label_font = axis.label.font()
            label_font.setPointSizeF(label_font.pointSizeF() * factor)
            axis.label.setFont(label_font)
            axis._updateLabel()
            if axis.fixedWidth is not None:
                axis.setWidth(axis.fixedWidth * factor)
            if axis.fixedHeight is not None:
                axis.setHeight(axis.fixedHeight * factor)
            if axis.orientation in ("left", "right"):
                axis._updateWidth()
            else:
                axis._updateHeight()
        for label in _walk(figure.item, pg.LabelItem):
            if not label.text:
                continue
            size = str(label.opts.get("size") or "11pt")
            points = float(size.removesuffix("pt")) if size.endswith("pt") else 11.0
            label.setText(label.text, size=f"{points * factor:.1f}pt")
            fixed = label.maximumWidth()
            if fixed == label.minimumWidth() and 0 < fixed < 10_000:  # a fixed-width header
                label.setFixedWidth(fixed * factor)


_BASE_SHEET = "relu_lab_base_style_sheet"


def scale_app_font(factor: float) -> None:
    """Multiply the application's font size by `factor` (widgets with fonts of their own too).

    Widgets styled by the application's style sheet do not follow ``QApplication.setFont``,
    so a rule for the new size is put in front of the sheet (and taken out at size 1).
    """
    app = QtWidgets.QApplication.instance()
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    app.setFont(font)
    base = app.property(_BASE_SHEET)
    if base is None:
        base = app.styleSheet()
        app.setProperty(_BASE_SHEET, base)
    scale = float(app.property("relu_lab_font_scale") or 1.0) * factor
    app.setProperty("relu_lab_font_scale", scale)
    if abs(scale - 1.0) < 1e-6:
        app.setStyleSheet(base)
    else:
        app.setStyleSheet(f"QWidget {{ font-size: {font.pointSizeF():.1f}pt; }}\n{base}")
    for widget in app.allWidgets():
        if widget.testAttribute(QtCore.Qt.WidgetAttribute.WA_SetFont):
            own = widget.font()
            if own.pointSizeF() > 0:
                own.setPointSizeF(own.pointSizeF() * factor)
                widget.setFont(own)
