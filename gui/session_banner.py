"""A slim, non-modal bar at the top of the window: one message and an optional Restore button."""

from __future__ import annotations

from PySide6 import QtWidgets

__all__ = ["SessionBanner"]


class SessionBanner(QtWidgets.QFrame):
    """A slim, non-modal bar at the top of the window: a message and optional Restore button."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: #2b3a55; } QLabel { color: #ffffff; }")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        self.label = QtWidgets.QLabel()
        self.label.setWordWrap(True)
        self.restore_button = QtWidgets.QPushButton("Restore")
        self.dismiss_button = QtWidgets.QPushButton("Dismiss")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.dismiss_button)
        self.dismiss_button.clicked.connect(self.hide)
        self._on_restore = None
        self.restore_button.clicked.connect(self._restore)
        self.hide()

    def offer(self, text: str, on_restore) -> None:
        """Show `text` with a Restore button that calls `on_restore`."""
        self._on_restore = on_restore
        self.label.setText(text)
        self.restore_button.show()
        self.show()

    def show_message(self, text: str) -> None:
        """Show `text` with only a Dismiss button."""
        self._on_restore = None
        self.label.setText(text)
        self.restore_button.hide()
        self.show()

    def _restore(self) -> None:
        self.hide()
        if self._on_restore is not None:
            self._on_restore()
