"""The grid of activity heatmaps: one cell per (activation, learning rate) network."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import theme
from models.experiment import Snapshot

PRETTY = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "prelu": "PReLU", "elu": "ELU",
          "selu": "SELU", "gelu": "GELU", "silu": "SiLU", "softplus": "Softplus",
          "tanh": "tanh", "sigmoid": "sigmoid", "relu6": "ReLU6", "linear": "linear"}


def pretty_activation(name: str) -> str:
    """Return the display name of an activation (``leaky_relu`` -> ``Leaky ReLU``)."""
    return PRETTY.get(name, name)


def format_lr(lr: float) -> str:
    """Return a learning rate as typed by a person (``0.3``, ``3``, ``1e-05``)."""
    return f"{lr:g}"


def dead_text(fraction: float) -> str:
    """Return the dead percentage exactly as the grid shows it."""
    return f"{100.0 * fraction:.1f}% dead"


class Cell:
    """One network of the grid: its activity heatmap, dead overlay, title and diverged veil.

    Attributes
    ----------
    index : int
        Row-major index in the grid (row = activation, column = learning rate).
    image : pyqtgraph.ImageItem
        Activity heatmap; its ``image`` is the engine's (layers, units) activity map.
    overlay : pyqtgraph.ImageItem
        The reserved dead colour on dead units, transparent elsewhere.
    dead_fraction : float
        The fraction of dead units last shown (as the engine reported it).
    diverged : bool
        Whether the network has diverged.
    """

    def __init__(self, index: int, layout: pg.GraphicsLayout, cmap: pg.ColorMap) -> None:
        self.index = index
        self.title = layout.addLabel("", row=0, col=0, size="10pt", color=theme.FOREGROUND)
        self.title.setFixedHeight(20)
        self.view = layout.addViewBox(row=1, col=0, lockAspect=False, enableMouse=False,
                                      enableMenu=False, invertY=True)
        self.view.setMinimumHeight(36)
        self.view.setDefaultPadding(0.0)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(cmap)
        self.image.setLevels((0.0, 1.0))
        self.overlay = pg.ImageItem(axisOrder="row-major")
        self.view.addItem(self.image)
        self.view.addItem(self.overlay)
        self.veil = QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
        self.veil.setBrush(QtGui.QBrush(QtGui.QColor(*theme.DIVERGED_COLOR, 215),
                                        QtCore.Qt.BrushStyle.Dense3Pattern))
        self.veil.setPen(pg.mkPen(None))
        self.veil.setVisible(False)
        self.view.addItem(self.veil)
        self.veil_text = pg.TextItem("DIVERGED (loss is NaN)", color="#ffffff",
                                     fill=pg.mkBrush(60, 60, 60, 220), anchor=(0.5, 0.5))
        self.veil_text.setVisible(False)
        self.view.addItem(self.veil_text)
        self.dead_fraction = float("nan")
        self.loss = float("nan")
        self.diverged = False
        self.selected = False
        self._shape: tuple[int, int] | None = None
        self._dead: np.ndarray | None = None
        self._title = ""
        self.note = ""

    def set_note(self, note: str) -> None:
        """Prefix the title with `note` (e.g. ``now Leaky ReLU`` after a switch)."""
        self.note = note
        self._title = None
        self._set_title()

    def set_data(self, activity: np.ndarray, dead: np.ndarray, dead_fraction: float,
                 loss: float, diverged: bool) -> int:
        """Show one network's state; update only what changed. Return items redrawn."""
        changed = 0
        if self.image.image is None or not np.array_equal(self.image.image, activity):
            self.image.setImage(np.array(activity, copy=True), autoLevels=False,
                                levels=(0.0, 1.0))
            changed += 1
        if self._dead is None or not np.array_equal(self._dead, dead):
            self._dead = np.array(dead, copy=True)
            self.overlay.setImage(theme.dead_overlay(self._dead), autoLevels=False)
            changed += 1
        if self._shape != activity.shape:
            self._shape = activity.shape
            rows, cols = activity.shape
            self.veil.setRect(0, 0, cols, rows)
            self.veil_text.setPos(cols / 2, rows / 2)
            self.view.setRange(xRange=(0, cols), yRange=(0, rows), padding=0)
        self.dead_fraction = float(dead_fraction)
        self.loss = float(loss)
        if diverged != self.diverged:
            self.diverged = bool(diverged)
            self.veil.setVisible(self.diverged)
            self.veil_text.setVisible(self.diverged)
            changed += 1
        changed += self._set_title()
        return changed

    def title_text(self) -> str:
        """Return the plain text of the cell's title (dead percentage, loss or diverged)."""
        prefix = f"{self.note} · " if self.note else ""
        if self.diverged:
            return prefix + "DIVERGED"
        if np.isnan(self.dead_fraction):
            return prefix
        return f"{prefix}{dead_text(self.dead_fraction)} · loss {self.loss:.3g}"

    def _set_title(self) -> int:
        text = self.title_text()
        if text == self._title:
            return 0
        self._title = text
        prefix = f"<i>{self.note}</i> · " if self.note else ""
        if self.diverged:
            html = f"<b>DIVERGED</b> <span style='color:{theme.MUTED}'>loss is NaN</span>"
            color = theme.DIVERGED_HEX
        elif self.dead_fraction > 0:
            html = (f"<b>{dead_text(self.dead_fraction)}</b>"
                    f"<span style='color:{theme.MUTED}'> · loss {self.loss:.3g}</span>")
            color = theme.DEAD_HEX
        else:
            html = (f"{dead_text(self.dead_fraction)}"
                    f"<span style='color:{theme.MUTED}'> · loss {self.loss:.3g}</span>")
            color = theme.FOREGROUND
        set_label_fast(self.title, prefix + html, color)
        return 1

    def set_selected(self, selected: bool) -> None:
        """Draw (or remove) the selection frame."""
        self.selected = selected
        self.view.setBorder(pg.mkPen(theme.SELECTED_HEX, width=3) if selected
                            else pg.mkPen(theme.MUTED, width=1))


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
    """

    cell_clicked = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 300)
        self.cells: list[Cell] = []
        self.labels: list[tuple[str, float]] = []
        self._headers: list[pg.LabelItem] = []
        self._cmap = theme.activity_colormap()
        self.colorbar: pg.ColorBarItem | None = None
        self.scene().sigMouseClicked.connect(self._clicked)
        self.ci.setContentsMargins(6, 6, 6, 6)
        self.ci.layout.setHorizontalSpacing(10)
        self.ci.layout.setVerticalSpacing(8)
        self.paint_seconds = 0.0
        self.paint_cpu = 0.0

    def build(self, activations: list[str], lrs: list[float]) -> None:
        """Lay out an empty grid for `activations` x `lrs`."""
        self.clear()
        self.cells = []
        self.labels = [(a, lr) for a in activations for lr in lrs]
        n_rows, n_cols = len(activations), len(lrs)
        self.addLabel("<b>activation</b> \\ <b>learning rate</b>", row=0, col=0,
                      size="10pt", color=theme.MUTED)
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
                sub = self.addLayout(row=r + 1, col=c + 1)
                sub.setContentsMargins(0, 0, 0, 0)
                sub.layout.setVerticalSpacing(0)
                cell = Cell(r * n_cols + c, sub, self._cmap)
                cell.set_selected(False)
                self.cells.append(cell)
        self.colorbar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=self._cmap,
                                        label="activity (fraction of probe points with z > 0)",
                                        interactive=False, colorMapMenu=False, width=16)
        self.colorbar.getAxis("right").setTextPen(pg.mkPen(theme.FOREGROUND))
        self.addItem(self.colorbar, row=1, col=n_cols + 1, rowspan=n_rows)
        key = (f"<span style='color:{theme.DEAD_HEX}'>■</span> dead unit "
               f"(no gradient on any probe point) &nbsp;&nbsp; "
               f"<span style='color:{theme.DIVERGED_HEX}'>▒</span> diverged network "
               f"&nbsp;&nbsp; each cell: layers (rows, input side on top) × units (columns)"
               f" &nbsp;&nbsp; click a cell for its detail")
        self.addLabel(key, row=n_rows + 1, col=0, colspan=n_cols + 2, size="10pt",
                      color=theme.MUTED)
        for r in range(n_rows):
            self.ci.layout.setRowStretchFactor(r + 1, 1)
        theme.cache_text(*self._headers, self.colorbar.getAxis("right"),
                         *(cell.title for cell in self.cells))

    def set_labels(self, labels: list[tuple[str, float]]) -> None:
        """Update row headers after an activation switch (cells keep their position)."""
        self.labels = list(labels)

    def update_snapshot(self, snapshot: Snapshot) -> int:
        """Show a snapshot in every cell; return the number of items redrawn."""
        changed = 0
        for cell in self.cells:
            k = cell.index
            if k >= len(snapshot.losses):
                continue
            changed += cell.set_data(snapshot.activity[k], snapshot.dead[k],
                                     snapshot.dead_fraction[k], snapshot.losses[k],
                                     bool(snapshot.diverged[k]))
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

    def _clicked(self, event) -> None:
        pos = event.scenePos()
        for cell in self.cells:
            if cell.view.sceneBoundingRect().contains(pos) or \
                    cell.title.sceneBoundingRect().contains(pos):
                self.cell_clicked.emit(cell.index)
                return
