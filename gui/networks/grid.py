"""The grid of activity heatmaps: one cell per (activation, learning rate) network."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import theme
from models.experiment import Snapshot
from models.unit_states import ALIVE, DEAD, DORMANT, SATURATED

# The reserved colour of each unit state drawn over the activity map (alive: the map).
STATE_COLORS = {DORMANT: theme.DORMANT_COLOR, SATURATED: theme.SATURATED_COLOR,
                DEAD: theme.DEAD_COLOR}

PRETTY = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "prelu": "PReLU", "elu": "ELU",
          "selu": "SELU", "gelu": "GELU", "silu": "SiLU", "softplus": "Softplus",
          "tanh": "tanh", "sigmoid": "sigmoid", "relu6": "ReLU6", "linear": "linear"}


TITLES_PER_FRAME = 4  # cell titles rewritten per frame while training (in turn)


def pretty_activation(name: str) -> str:
    """Return the display name of an activation (``leaky_relu`` -> ``Leaky ReLU``)."""
    return PRETTY.get(name, name)


def format_lr(lr: float) -> str:
    """Return a learning rate as typed by a person (``0.3``, ``3``, ``1e-05``)."""
    return f"{lr:g}"


def dead_text(fraction: float) -> str:
    """Return the dead percentage exactly as the grid shows it."""
    return f"{100.0 * fraction:.1f}% dead"


class Layer:
    """The numbers behind one layer of a cell's picture (what the tests compare with the engine).

    Attributes
    ----------
    image : numpy.ndarray or None
        The array last shown: the (layers, units) activity map, or the RGBA dead overlay.
    levels : tuple of float or None
        The values mapped to the ends of the colour map (activity only).
    uploads : int
        How many times new data was shown (an unchanged array is not uploaded again).
    """

    def __init__(self, levels: tuple[float, float] | None = None) -> None:
        self.image: np.ndarray | None = None
        self.levels = levels
        self.uploads = 0

    def set(self, image: np.ndarray) -> None:
        """Keep `image` (already a private copy) as the data shown."""
        self.image = image
        self.uploads += 1


def heatmap_rgba(activity: np.ndarray, dead: np.ndarray, lut: np.ndarray,
                 state: np.ndarray | None = None) -> np.ndarray:
    """Return a cell's picture: `activity` through `lut`, dead, dormant, saturated units marked.

    Parameters
    ----------
    activity : numpy.ndarray
        (layers, units) activity fractions (NaN shown as 0).
    dead : numpy.ndarray
        (layers, units) bool.
    lut : numpy.ndarray
        (256, 4) uint8 colour table.
    state : numpy.ndarray, optional
        (layers, units) unit-state codes (`models.unit_states`): dormant and saturated
        units get their reserved colours.

    Returns
    -------
    numpy.ndarray
        (layers, units, 4) uint8, C-contiguous.
    """
    index = np.nan_to_num(np.asarray(activity, np.float32), nan=0.0) * len(lut)
    np.clip(index, 0, len(lut) - 1, out=index)
    rgba = lut[index.astype(np.uint8)]
    if state is not None:
        state = np.asarray(state)
        for code in (DORMANT, SATURATED):
            rgba[state == code] = (*STATE_COLORS[code], 255)
    rgba[np.asarray(dead, bool)] = (*theme.DEAD_COLOR, 255)
    return rgba


def drawn_states(rgba: np.ndarray) -> np.ndarray:
    """Read the unit states back from a cell's picture: the code of each reserved colour.

    Parameters
    ----------
    rgba : numpy.ndarray
        (layers, units, 4) the picture `heatmap_rgba` made.

    Returns
    -------
    numpy.ndarray
        (layers, units) uint8: `DEAD`, `DORMANT` or `SATURATED` where the picture has
        that state's colour, `ALIVE` (an activity colour) elsewhere.
    """
    codes = np.full(rgba.shape[:2], ALIVE, np.uint8)
    for code, color in STATE_COLORS.items():
        codes[np.all(rgba[..., :3] == color, axis=-1)] = code
    return codes


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


class GridView(pg.GraphicsLayoutWidget):
    """The live grid: rows = activations, columns = learning rates, a colour bar and a key.

    Signals
    -------
    cell_clicked(int)
        Index of the cell the user clicked.
    unit_clicked(int, int, int)
        Cell, layer (0 = input side) and unit of a click on a cell's heatmap (emitted after
        `cell_clicked`).
    """

    cell_clicked = QtCore.Signal(int)
    unit_clicked = QtCore.Signal(int, int, int)
    hovered = QtCore.Signal(int, int, int)  # cell, layer (0 = input side), unit; -1: none

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(400, 186)
        self.cells: list[Cell] = []
        self.labels: list[tuple[str, float]] = []
        self._headers: list[pg.LabelItem] = []
        self._cmap = theme.activity_colormap()
        self._lut = self._cmap.getLookupTable(0.0, 1.0, 256, alpha=True)
        self._next_title = 0
        self.colorbar: pg.ColorBarItem | None = None
        self.key: pg.LabelItem | None = None
        self.click_hint = True
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._moved)
        self._hover = (-1, -1, -1)
        self.ci.setContentsMargins(6, 6, 6, 6)
        self.ci.layout.setHorizontalSpacing(10)
        self.ci.layout.setVerticalSpacing(4)
        self.paint_seconds = 0.0
        self.paint_cpu = 0.0

    def build(self, activations: list[str], lrs: list[float]) -> None:
        """Lay out an empty grid for `activations` x `lrs`."""
        self.clear()
        self.cells = []
        self.labels = [(a, lr) for a in activations for lr in lrs]
        n_rows, n_cols = len(activations), len(lrs)
        self.addLabel("<b>activation</b> ↓ <b>lr</b> →", row=0, col=0, size="9pt",
                      color=theme.MUTED)
        self._headers = []
        for c, lr in enumerate(lrs):
            self._headers.append(self.addLabel(f"<b>lr = {format_lr(lr)}</b>", row=0, col=c + 1,
                                               size="11pt", color=theme.FOREGROUND))
        for r, act in enumerate(activations):
            header = self.addLabel(f"<b>{pretty_activation(act)}</b>", row=r + 1, col=0,
                                   size="11pt", color=theme.FOREGROUND)
            header.setFixedWidth(96)
            self._headers.append(header)
            for c in range(n_cols):
                cell = Cell(r * n_cols + c, self._lut)
                self.addItem(cell.widget, row=r + 1, col=c + 1)
                cell.set_selected(False)
                self.cells.append(cell)
        self.colorbar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=self._cmap,
                                        label="activity (fraction with z > 0)",
                                        interactive=False, colorMapMenu=False, width=16)
        self.colorbar.getAxis("right").setTextPen(pg.mkPen(theme.FOREGROUND))
        self.addItem(self.colorbar, row=1, col=n_cols + 1, rowspan=n_rows)
        self.key = theme.fit_label(self.addLabel("", row=n_rows + 1, col=0,
                                                 colspan=n_cols + 2, size="10pt",
                                                 color=theme.MUTED))
        self.set_click_hint(self.click_hint)
        for r in range(n_rows):
            self.ci.layout.setRowStretchFactor(r + 1, 1)
        widest = max((h.preferredWidth() for h in self._headers[:n_cols]), default=0.0)
        for c in range(n_cols):  # equal columns, whatever the width of their headers
            self.ci.layout.setColumnStretchFactor(c + 1, 1)
            self.ci.layout.setColumnPreferredWidth(c + 1, widest)
        theme.cache_text(*self._headers, self.colorbar.getAxis("right"),
                         *(cell.title for cell in self.cells))

    def _key_variants(self) -> list[str]:
        """Return the key under the grid, longest wording first (the widest that fits shows)."""
        def swatch(color: str, mark: str = "■") -> str:
            return f"<span style='color:{color}'>{mark}</span>"

        hint = " &nbsp; click a cell for its detail" if self.click_hint else ""
        full = (f"{swatch(theme.DEAD_HEX)} dead (no gradient) &nbsp; "
                f"{swatch(theme.DORMANT_HEX)} dormant (off everywhere, still learning) &nbsp; "
                f"{swatch(theme.SATURATED_HEX)} saturated (on, no gradient) &nbsp; "
                f"{swatch(theme.DIVERGED_HEX, '▒')} diverged &nbsp; "
                f"rows: layers (input on top), columns: units{hint}")
        short = (f"{swatch(theme.DEAD_HEX)} dead &nbsp; {swatch(theme.DORMANT_HEX)} dormant "
                 f"&nbsp; {swatch(theme.SATURATED_HEX)} saturated &nbsp; "
                 f"{swatch(theme.DIVERGED_HEX, '▒')} diverged &nbsp; rows: layers, "
                 f"columns: units")
        return [full, short]

    def set_click_hint(self, shown: bool) -> None:
        """Say "click a cell for its detail" in the key only when `shown` (the detail is)."""
        self.click_hint = bool(shown)
        if self.key is not None:
            variants = self._key_variants()
            self.key.fit_variants = variants
            self.key.setText(variants[0])

    def set_labels(self, labels: list[tuple[str, float]]) -> None:
        """Update row headers after an activation switch (cells keep their position)."""
        self.labels = list(labels)

    def update_snapshot(self, snapshot: Snapshot, live: bool = False) -> int:
        """Show a snapshot in every cell; return the number of items redrawn.

        Pictures are uploaded only where they changed. While training (``live``) only
        `TITLES_PER_FRAME` titles are rewritten per frame, in turn (typeset text is the
        costliest part of a cell, and numbers changing 30 times a second cannot be read);
        otherwise every title shows the snapshot's numbers.
        """
        changed = 0
        n = min(len(self.cells), len(snapshot.losses))
        titles = set(range(n))
        if live and n > TITLES_PER_FRAME:
            order = [(self._next_title + i) % n for i in range(n)]
            pending = [k for k in order if self.cells[k].title_pending()
                       or self.cells[k].diverged != bool(snapshot.diverged[k])]
            titles = set(pending[:TITLES_PER_FRAME])
            if titles:
                self._next_title = (max(titles, key=order.index) + 1) % n
        for cell in self.cells[:n]:
            k = cell.index
            state = None if snapshot.state is None else snapshot.state[k]
            changed += cell.set_data(snapshot.activity[k], snapshot.dead[k],
                                     snapshot.dead_fraction[k], snapshot.losses[k],
                                     bool(snapshot.diverged[k]), title=k in titles,
                                     state=state)
        return changed

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Paint, adding the wall and CPU time taken to `paint_seconds` and `paint_cpu`."""
        start, cpu = time.perf_counter(), time.thread_time()
        super().paintEvent(event)
        self.paint_seconds += time.perf_counter() - start
        self.paint_cpu += time.thread_time() - cpu

    def select(self, index: int) -> None:
        """Highlight cell `index`."""
        for cell in self.cells:
            if cell.selected != (cell.index == index):
                cell.set_selected(cell.index == index)

    def locate(self, scene_pos) -> tuple[int, int, int]:
        """Return (cell, layer, unit) under `scene_pos`: layer 0 is the input side's row.

        Over a cell's title, layer and unit are -1; outside every cell all three are -1.
        """
        for cell in self.cells:
            if not cell.widget.sceneBoundingRect().contains(scene_pos):
                continue
            area = cell.area.sceneBoundingRect()
            shape = cell.image.image.shape if cell.image.image is not None else None
            if shape is None or not area.contains(scene_pos) or area.width() <= 0:
                return cell.index, -1, -1
            rows, cols = shape[0], shape[1]
            layer = int((scene_pos.y() - area.top()) / area.height() * rows)
            unit = int((scene_pos.x() - area.left()) / area.width() * cols)
            return cell.index, min(max(layer, 0), rows - 1), min(max(unit, 0), cols - 1)
        return -1, -1, -1

    def _moved(self, scene_pos) -> None:
        where = self.locate(scene_pos)
        if where != self._hover:
            self._hover = where
            self.hovered.emit(*where)

    def _clicked(self, event) -> None:
        pos = event.scenePos()
        for cell in self.cells:
            if cell.widget.sceneBoundingRect().contains(pos):
                self.cell_clicked.emit(cell.index)
                where = self.locate(pos)
                if where[1] >= 0:
                    self.unit_clicked.emit(*where)
                return
