"""One cell of the Networks grid: a network's heatmap, its title and the diverged veil."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import theme
from gui.networks.heatmap import Layer, heatmap_rgba
from models.unit_states import DORMANT, SATURATED

__all__ = ["Cell", "dead_text", "set_label_fast"]


def dead_text(fraction: float) -> str:
    """Return the dead percentage exactly as the grid shows it."""
    return f"{100.0 * fraction:.1f}% dead"


class Cell:
    """One network of the grid: its activity heatmap, dead units, title and diverged veil.

    The picture is one pixmap per cell (activity through the colour map, dead units in the
    reserved colour), scaled to the cell with nearest-neighbour sampling, drawn by plain Qt
    items: painting a cell runs no Python, so the training thread's hold on the GIL does not
    slow the frame. Only what changed is uploaded again.

    Attributes
    ----------
    index : int
        Row-major index in the grid (row = activation, column = learning rate).
    image : Layer
        Activity heatmap data: ``image.image`` is the engine's (layers, units) activity map,
        ``image.levels`` the values at the ends of the colour map.
    overlay : Layer
        ``overlay.image``: (layers, units, 4) RGBA, the reserved dead colour on dead units,
        transparent elsewhere (composited into the picture).
    dead_fraction : float
        The fraction of dead units last shown (as the engine reported it).
    diverged : bool
        Whether the network has diverged.
    """

    def __init__(self, index: int, lut: np.ndarray) -> None:
        self.index = index
        self._lut = lut
        self.widget = QtWidgets.QGraphicsWidget()
        column = QtWidgets.QGraphicsLinearLayout(QtCore.Qt.Orientation.Vertical)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.title = theme.fit_label(pg.LabelItem("", size="10pt", color=theme.FOREGROUND))
        # as tall as its text (presentation mode scales it), as wide as the cell allows
        self.title.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred,
                                 QtWidgets.QSizePolicy.Policy.Fixed)
        self.title.item.document().setDocumentMargin(1)
        self.area = QtWidgets.QGraphicsWidget()
        self.area.setMinimumHeight(16)
        self.area.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                                QtWidgets.QSizePolicy.Policy.Expanding)
        column.addItem(self.title)
        column.addItem(self.area)
        self.widget.setLayout(column)
        self.widget.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                                  QtWidgets.QSizePolicy.Policy.Expanding)
        self.pixmap = QtWidgets.QGraphicsPixmapItem(self.area)
        self.pixmap.setTransformationMode(QtCore.Qt.TransformationMode.FastTransformation)
        self.pixmap.setShapeMode(QtWidgets.QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        self.veil = QtWidgets.QGraphicsRectItem(self.area)
        # opaque: nothing of the diverged network's last picture shows through
        self.veil.setBrush(QtGui.QBrush(QtGui.QColor(60, 60, 60, 255)))
        self.veil.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self.hatch = QtWidgets.QGraphicsRectItem(self.veil)
        self.hatch.setBrush(QtGui.QBrush(QtGui.QColor(*theme.DIVERGED_COLOR, 255),
                                         QtCore.Qt.BrushStyle.Dense5Pattern))
        self.hatch.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self.veil.setVisible(False)
        self.veil_text = QtWidgets.QGraphicsSimpleTextItem("DIVERGED (loss is NaN)")
        self.veil_text.setBrush(QtGui.QColor("#ffffff"))
        self.veil_box = QtWidgets.QGraphicsRectItem(self.area)
        self.veil_box.setBrush(QtGui.QColor(60, 60, 60, 220))
        self.veil_box.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self.veil_text.setParentItem(self.veil_box)
        self.veil_box.setVisible(False)
        self.border = QtWidgets.QGraphicsRectItem(self.area)
        self.border.setBrush(QtGui.QBrush(QtCore.Qt.BrushStyle.NoBrush))
        self.area.geometryChanged.connect(self._place)
        self.image = Layer(levels=(0.0, 1.0))
        self.overlay = Layer()
        self.rgba: np.ndarray | None = None
        self._dead = np.zeros((0, 0), bool)
        self._state: np.ndarray | None = None
        self.dead_fraction = float("nan")
        self.dormant_fraction = 0.0  # off on every probe point, yet still a gradient
        self.saturated_fraction = 0.0  # on, yet no gradient on any probe point
        self.loss = float("nan")
        self.diverged = False
        self.selected = False
        self._title: str | None = ""
        self.note = ""

    def set_note(self, note: str) -> None:
        """Prefix the title with `note` (e.g. ``now Leaky ReLU`` after a switch)."""
        self.note = note
        self._title = None
        self._set_title()

    def set_data(self, activity: np.ndarray, dead: np.ndarray, dead_fraction: float,
                 loss: float, diverged: bool, title: bool = True,
                 state: np.ndarray | None = None) -> int:
        """Show one network's state; update only what changed. Return items redrawn.

        `state` holds the engine's unit-state codes (dormant and saturated units are drawn
        in their own colours); without it, a unit off everywhere but not dead counts as
        dormant. With ``title=False`` the numbers are kept but the title text is left as
        it is (the grid refreshes titles in turn while training: see
        `GridView.update_snapshot`).
        """
        changed = 0
        new_activity = self.image.image is None or not np.array_equal(self.image.image,
                                                                      activity)
        new_dead = self.overlay.image is None or self._dead.shape != dead.shape or \
            not np.array_equal(self._dead, dead)
        new_state = (state is None) != (self._state is None) or (
            state is not None and not np.array_equal(self._state, state))
        if new_activity:
            self.image.set(np.array(activity, copy=True))
        if new_dead:
            self._dead = np.array(dead, bool)
            self.overlay.set(theme.dead_overlay(self._dead))
        if new_state:
            self._state = None if state is None else np.array(state, np.uint8)
        if new_activity or new_dead or new_state:
            self._upload()
            changed += 1
            if self._state is not None:
                self.dormant_fraction = float(np.mean(self._state == DORMANT))
                self.saturated_fraction = float(np.mean(self._state == SATURATED))
            else:
                dormant = (np.asarray(activity) == 0) & ~self._dead
                self.dormant_fraction = float(dormant.mean()) if dormant.size else 0.0
                self.saturated_fraction = 0.0
        self.dead_fraction = float(dead_fraction)
        self.loss = float(loss)
        if diverged != self.diverged:
            self.diverged = bool(diverged)
            self.veil.setVisible(self.diverged)
            self.veil_box.setVisible(self.diverged)
            changed += 1
        if title:
            changed += self._set_title()
        return changed

    def title_pending(self) -> bool:
        """Return True when the title does not yet show the latest numbers."""
        return self.title_text() != self._title

    def _upload(self) -> None:
        self.rgba = heatmap_rgba(self.image.image, self._dead, self._lut, self._state)
        rows, cols = self.rgba.shape[:2]
        qimage = QtGui.QImage(self.rgba.data, cols, rows, 4 * cols,
                              QtGui.QImage.Format.Format_RGBA8888)
        shape_changed = self.pixmap.pixmap().size() != QtCore.QSize(cols, rows)
        self.pixmap.setPixmap(QtGui.QPixmap.fromImage(qimage))
        if shape_changed:
            self._place()

    def _place(self) -> None:
        """Fit the picture, veil and frame to the cell's area."""
        size = self.area.size()
        w, h = size.width(), size.height()
        self.veil.setRect(0, 0, w, h)
        self.hatch.setRect(0, 0, w, h)
        pen = self.border.pen().widthF()
        self.border.setRect(pen / 2, pen / 2, max(w - pen, 0), max(h - pen, 0))
        text = self.veil_text.boundingRect()
        self.veil_box.setRect(0, 0, text.width() + 8, text.height() + 4)
        self.veil_text.setPos(4, 2)
        self.veil_box.setPos((w - text.width() - 8) / 2, (h - text.height() - 4) / 2)
        pixmap = self.pixmap.pixmap()
        if not pixmap.isNull():
            self.pixmap.setTransform(QtGui.QTransform.fromScale(w / pixmap.width(),
                                                                h / pixmap.height()))

    def title_text(self) -> str:
        """Return the plain text of the cell's title (dead percentage, loss or diverged)."""
        prefix = f"{self.note} · " if self.note else ""
        if self.diverged:
            return prefix + "DIVERGED"
        if np.isnan(self.dead_fraction):
            return prefix
        return f"{prefix}{dead_text(self.dead_fraction)}{self._states()} · loss {self.loss:.3g}"

    def _states(self) -> str:
        """Return `` · 6% dormant · 3% saturated`` (only the states some unit is in)."""
        parts = [f" · {100 * fraction:.0f}% {name}" for fraction, name in
                 ((self.dormant_fraction, "dormant"), (self.saturated_fraction, "saturated"))
                 if fraction]
        return "".join(parts)

    def _set_title(self) -> int:
        text = self.title_text()
        if text == self._title:
            return 0
        self._title = text
        prefix = f"<i>{self.note}</i> · " if self.note else ""
        loss = f"<span style='color:{theme.MUTED}'> · loss {self.loss:.3g}</span>"
        if self.diverged:
            variants = [f"<b>DIVERGED</b> <span style='color:{theme.MUTED}'>loss is NaN</span>",
                        "<b>DIVERGED</b>"]
            color = theme.DIVERGED_HEX
        else:
            dead = dead_text(self.dead_fraction)
            if self.dead_fraction > 0:
                dead, color = f"<b>{dead}</b>", theme.DEAD_HEX
            else:
                color = theme.FOREGROUND
            variants = [dead + self._states() + loss, dead + self._states(), dead]
        # the longest wording that fits the cell's width is shown (theme.fit_label)
        self.title.fit_variants = [prefix + v for v in variants]
        set_label_fast(self.title, prefix + variants[0], color)
        return 1

    def set_selected(self, selected: bool) -> None:
        """Draw (or remove) the selection frame."""
        self.selected = selected
        self.border.setPen(pg.mkPen(theme.SELECTED_HEX, width=3) if selected
                           else pg.mkPen(theme.MUTED, width=1))
        self.border.setZValue(2 if selected else 1)
        self._place()


def set_label_fast(label: pg.LabelItem, html: str, color: str) -> None:
    """Change a fixed-size LabelItem's text without re-running the layout (cheap per frame)."""
    label.text = html
    label.opts["color"] = color
    size = label.opts.get("size", "10pt")
    label.item.setHtml(f"<span style='color: {color}; font-size: {size}'>{html}</span>")
    label.resizeEvent(None)
