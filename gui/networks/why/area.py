"""The detail area under the grid: a tab bar switching "History" and "Why units die"."""

from __future__ import annotations

from PySide6 import QtWidgets

from gui.networks.why.view import WhyView

__all__ = ["DETAIL_VIEWS", "DetailArea"]

DETAIL_VIEWS = ("history", "why")
WHY_SHARE = 0.5  # the why view takes at least this share of the grid + detail splitter
WHY_MIN_HEIGHT = 300  # pixels: below this its plots lose their axis labels


class DetailArea(QtWidgets.QWidget):
    """The existing detail plots and the why view, one at a time under a tab bar.

    Parameters
    ----------
    history : QtWidgets.QWidget
        The selected cell's detail plots (shown as they are).
    why : WhyView
        The "Why units die" view.
    """

    def __init__(self, history: QtWidgets.QWidget, why: WhyView, parent=None) -> None:
        super().__init__(parent)
        self.history, self.why = history, why
        self.bar = QtWidgets.QTabBar()
        self.bar.setObjectName("detailViews")
        self.bar.addTab("History")
        self.bar.addTab("Why units die")
        self.bar.setTabToolTip(0, "Loss, dead fraction, kymograph and output of the selected cell")
        self.bar.setTabToolTip(1, "Pre-activation drift, update sizes and the plateau of a unit")
        self.bar.setDrawBase(False)
        self.bar.setExpanding(False)
        # compact: the bar must not raise the window's minimum height (1024 x 640 screens)
        self.bar.setStyleSheet("QTabBar::tab { padding: 1px 12px; }")
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(history)
        self.stack.addWidget(why)
        self._history_sizes: list[int] | None = None
        self._sized = False  # the why view had its share once (later the user's sizes stay)
        self.bar.currentChanged.connect(self._on_view)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)

    def _on_view(self, index: int) -> None:
        """Show view `index`; the why view takes half the splitter, History gets its size back."""
        self.stack.setCurrentIndex(index)
        why = DETAIL_VIEWS[index] == "why"
        self.setMinimumHeight(WHY_MIN_HEIGHT if why else 0)
        splitter = self.parentWidget()
        if not isinstance(splitter, QtWidgets.QSplitter):
            return
        sizes, at = splitter.sizes(), splitter.indexOf(self)
        total = sum(sizes)
        if why:
            self._history_sizes = sizes
            self._sized = self._sized or total > 0
            want = int(WHY_SHARE * total)
            if total > 0 and sizes[at] < want:
                rest = total - sizes[at]
                splitter.setSizes([want if k == at else int(size * (total - want) / rest)
                                   for k, size in enumerate(sizes)])
        elif self._history_sizes and sum(self._history_sizes) == total:
            splitter.setSizes(self._history_sizes)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Give the why view its share once the splitter has its real size (opened on it)."""
        super().showEvent(event)
        if self.view == "why" and not self._sized:
            self._on_view(self.bar.currentIndex())

    @property
    def view(self) -> str:
        """The view shown: ``history`` or ``why``."""
        return DETAIL_VIEWS[self.bar.currentIndex()]

    def set_view(self, name: str) -> None:
        """Show ``history`` or ``why``."""
        self.bar.setCurrentIndex(DETAIL_VIEWS.index(name))


def build_detail_area(tab) -> DetailArea:
    """Give `tab` its why view and detail area (``tab.why``, ``tab.detail_area``); return it.

    A click on a unit of the selected cell (after the click selected the cell) selects that
    unit for the plateau; nothing happens while the tab is locked.
    """
    tab.why = WhyView()
    tab.detail_area = DetailArea(tab.detail, tab.why)

    def on_unit(cell: int, layer: int, unit: int) -> None:
        if not tab.locked and cell == tab.selected:
            tab.why.select_unit(cell, layer, unit)

    tab.grid.unit_clicked.connect(on_unit)
    return tab.detail_area
