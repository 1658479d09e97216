"""Presentation mode for a lecture hall: larger type and thicker lines, undone exactly.

`Presentation.enter` records everything it changes (the application's font and style sheet,
fonts set on widgets, every plot's tick, axis and label fonts, curve pens, table column
widths, the window's geometry and which widgets are shown) and scales each from its recorded
value, once; it tucks away every tab's side panel of settings, the menu bar and the status
bar (every action keeps its shortcut: F11 leaves).
`Presentation.leave` puts every recorded value back, so a round trip changes nothing.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from gui import theme

FONT_SCALE = 1.4
LINE_SCALE = 2.0
_SIZE = re.compile(r"font-size:\s*([0-9.]+)pt")


def side_panels(tab: QtWidgets.QWidget) -> list[QtWidgets.QWidget]:
    """Return the settings panels of `tab`: the first pane of each side-by-side splitter.

    The Sweep, Neuron and Theory tabs put their settings left of their plots in a
    horizontal `QSplitter`; the Networks tab tucks its own panel away
    (``set_controls_visible``) and has no such splitter.
    """
    panels = []
    for splitter in tab.findChildren(QtWidgets.QSplitter, "",
                                     QtCore.Qt.FindChildOption.FindDirectChildrenOnly):
        if splitter.orientation() == QtCore.Qt.Orientation.Horizontal and \
                splitter.count() > 1:
            panels.append(splitter.widget(0))
    return panels


def _walk(item, kind) -> list:
    found = [item] if isinstance(item, kind) else []
    for child in item.childItems():
        found.extend(_walk(child, kind))
    return found


def plot_roots(window: QtWidgets.QWidget, figures) -> list:
    """Return the root item of every plot in `window`: the figures' and every other plot view's.

    Views that are no exportable figure (the "Why units die" plots, a placeholder) are
    scaled too, so every text on screen grows once.
    """
    roots = [figure.item for figure in figures]
    for view in window.findChildren(pg.GraphicsView):
        central = view.centralWidget
        if central is not None and not any(central is root for root in roots):
            roots.append(central)
    return roots


def _unique(items) -> list:
    seen, kept = set(), []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            kept.append(item)
    return kept


def scaled_sheet(sheet: str, factor: float, base_points: float) -> str:
    """Return `sheet` with every ``font-size: N pt`` times `factor`, and a base size rule.

    Rules of their own (a preset title at 11 pt) stay larger than the body text.
    """
    body = f"QWidget {{ font-size: {base_points * factor:.1f}pt; }}\n"
    return body + _SIZE.sub(lambda m: f"font-size: {float(m.group(1)) * factor:.1f}pt", sheet)


class Presentation:
    """Enter and leave presentation mode on a window, restoring its exact state on leaving.

    Parameters
    ----------
    window : QtWidgets.QMainWindow
        The window whose widgets and plots are scaled.
    """

    def __init__(self, window: QtWidgets.QMainWindow) -> None:
        self.window = window
        self.active = False
        self._saved: dict = {}

    def enter(self, figures, font_scale: float = FONT_SCALE,
              line_scale: float = LINE_SCALE) -> None:
        """Scale every font by `font_scale` and every curve by `line_scale` (once)."""
        if self.active:
            return
        self.active = True
        app = QtWidgets.QApplication.instance()
        window = self.window
        base_font = QtGui.QFont(app.font())
        saved = self._saved = {
            "app_font": base_font, "sheet": app.styleSheet(),
            "geometry": window.saveGeometry(), "state": window.windowState(),
            "rect": QtCore.QRect(window.geometry()),
            "hidden": [(w, w.isHidden()) for w in window.findChildren(QtWidgets.QWidget)],
            "widget_fonts": [], "axes": [], "labels": [], "pens": [],
            "columns": [(t, [t.columnWidth(c) for c in range(t.model().columnCount())],
                         _table_text(t))
                        for t in window.findChildren(QtWidgets.QTableView)
                        if t.model() is not None]}
        for widget in app.allWidgets():
            if widget.testAttribute(QtCore.Qt.WidgetAttribute.WA_SetFont) and \
                    widget.font().pointSizeF() > 0:
                saved["widget_fonts"].append((widget, QtGui.QFont(widget.font())))
        roots = plot_roots(window, figures)
        for root in roots:
            theme.fit_plot_text(root)  # no title clips at the larger size
        for axis in _unique(a for root in roots for a in _walk(root, pg.AxisItem)):
            saved["axes"].append((axis, axis.style.get("tickFont"),
                                  QtGui.QFont(axis.label.font()), axis.fixedWidth,
                                  axis.fixedHeight))
        for label in _unique(lab for root in roots for lab in _walk(root, pg.LabelItem)):
            saved["labels"].append((label, label.text, dict(label.opts),
                                    label.minimumWidth(), label.maximumWidth()))
        for curve in _unique(c for root in roots for c in _walk(root, pg.PlotCurveItem)):
            if curve.opts.get("pen") is not None:
                saved["pens"].append((curve, curve.opts["pen"]))
        theme.TEXT_SCALE = font_scale
        points = base_font.pointSizeF()
        font = QtGui.QFont(base_font)
        font.setPointSizeF(points * font_scale)
        app.setFont(font)
        app.setStyleSheet(scaled_sheet(saved["sheet"], font_scale, points))
        for widget, own in saved["widget_fonts"]:
            bigger = QtGui.QFont(own)
            bigger.setPointSizeF(own.pointSizeF() * font_scale)
            widget.setFont(bigger)
        for axis, tick, label_font, fixed_w, fixed_h in saved["axes"]:
            tick_font = QtGui.QFont(tick if tick is not None else base_font)
            tick_font.setPointSizeF(tick_font.pointSizeF() * font_scale)
            axis.setStyle(tickFont=tick_font)
            big = QtGui.QFont(label_font)
            big.setPointSizeF(label_font.pointSizeF() * font_scale)
            axis.label.setFont(big)
            _refit_axis(axis, None if fixed_w is None else fixed_w * font_scale,
                        None if fixed_h is None else fixed_h * font_scale)
        for label, text, opts, low, high in saved["labels"]:
            size = str(opts.get("size") or "11pt")
            points_l = float(size.removesuffix("pt")) if size.endswith("pt") else 11.0
            if text:
                label.setText(text, size=f"{points_l * font_scale:.1f}pt")
            else:  # typeset later (a cell title) at the scaled size
                label.opts["size"] = f"{points_l * font_scale:.1f}pt"
            if low == high and 0 < high < 10_000:  # a fixed-width header
                label.setFixedWidth(high * font_scale)
        for curve, pen in saved["pens"]:
            wide = QtGui.QPen(pg.mkPen(pen))
            wide.setWidthF(max(wide.widthF(), 1.0) * line_scale)
            curve.setPen(wide)
        for tab in getattr(window, "tab_widgets", lambda: [])():
            for panel in side_panels(tab):
                panel.setVisible(False)
        # the room is the plots': the step is on the tab, every menu action keeps its key
        window.statusBar().setVisible(False)
        window.menuBar().setVisible(False)
        for table, _widths, _text in saved["columns"]:  # larger type: as wide as their text
            table.resizeColumnsToContents()

    def leave(self) -> None:
        """Put back everything `enter` changed, exactly as it was."""
        if not self.active:
            return
        self.active = False
        saved = self._saved
        app = QtWidgets.QApplication.instance()
        theme.TEXT_SCALE = 1.0
        app.setFont(saved["app_font"])
        app.setStyleSheet(saved["sheet"])
        for widget, own in saved["widget_fonts"]:
            widget.setFont(own)
        for axis, tick, label_font, fixed_w, fixed_h in saved["axes"]:
            if not shiboken6.isValid(axis):
                continue
            axis.setStyle(tickFont=tick)
            axis.label.setFont(label_font)
            _refit_axis(axis, fixed_w, fixed_h)
        for label, _text, opts, low, high in saved["labels"]:
            if not shiboken6.isValid(label):
                continue
            label.opts.update(opts)
            if label.text:  # the text may have changed while presenting: keep the new one
                label.setText(label.text, **{k: v for k, v in opts.items()
                                             if k in ("size", "color", "bold", "italic")})
            label.setMinimumWidth(low)
            label.setMaximumWidth(high)
        for curve, pen in saved["pens"]:
            if shiboken6.isValid(curve):  # a plot redrawn while presenting drops its curves
                curve.setPen(pen)
        for table, widths, text in saved["columns"]:
            if not shiboken6.isValid(table) or table.model() is None:
                continue
            if _table_text(table) != text:  # filled while presenting: fit the new content
                table.resizeColumnsToContents()
                continue
            for column, width in enumerate(widths[:table.model().columnCount()]):
                table.setColumnWidth(column, width)
        window = self.window
        window.setWindowState(saved["state"])
        if not saved["state"] & QtCore.Qt.WindowState.WindowFullScreen:
            window.showNormal() if not saved["state"] & QtCore.Qt.WindowState.WindowMaximized \
                else window.showMaximized()
        window.restoreGeometry(saved["geometry"])
        if not saved["state"] & (QtCore.Qt.WindowState.WindowFullScreen
                                 | QtCore.Qt.WindowState.WindowMaximized):
            window.setGeometry(saved["rect"])  # restoreGeometry may clamp to the screen
        self._hidden = saved["hidden"]
        self.restore_visibility()
        self._saved = {}

    def restore_visibility(self) -> None:
        """Show and hide every widget as it was when presentation mode was entered."""
        for widget, hidden in getattr(self, "_hidden", []):  # parents before their children
            try:
                if widget.isHidden() != hidden:
                    widget.setVisible(not hidden)
            except RuntimeError:  # a widget deleted while presenting
                continue


def _refit_axis(axis: pg.AxisItem, width: float | None, height: float | None) -> None:
    axis._updateLabel()
    if axis.orientation in ("left", "right"):
        axis.setWidth(width)
        axis._updateWidth()
    else:
        axis.setHeight(height)
        axis._updateHeight()


def _table_text(table: QtWidgets.QTableView) -> tuple:
    """Return every cell's displayed text of `table` (to tell whether its content changed)."""
    model = table.model()
    return tuple(tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
                 for r in range(model.rowCount()))
