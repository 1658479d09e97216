"""The grid of activity heatmaps: one cell per (activation, learning rate) network."""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from figures.names import format_lr, pretty_activation
from gui import theme
from gui.networks.cell import Cell
from models.experiment import Snapshot

__all__ = ["TITLES_PER_FRAME", "GridView"]

TITLES_PER_FRAME = 4  # cell titles rewritten per frame while training (in turn)


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
