"""The detail area under the grid: a tab bar switching "History" and "Why units die"."""

from __future__ import annotations

from PySide6 import QtWidgets

from gui.networks.why.view import WhyView

__all__ = ["DETAIL_VIEWS", "DetailArea"]

DETAIL_VIEWS = ("history", "why")


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
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(history)
        self.stack.addWidget(why)
        self.bar.currentChanged.connect(self.stack.setCurrentIndex)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)

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
