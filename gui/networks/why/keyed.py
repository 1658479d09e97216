"""A why plot with its colour key under it: a small, muted label that never widens the view."""

from __future__ import annotations

from PySide6 import QtWidgets

from gui import theme

__all__ = ["colour_key", "with_key"]


def colour_key(text: str = "") -> QtWidgets.QLabel:
    """Return a colour key for under a plot: small, muted, wrapping (never widens the view).

    Parameters
    ----------
    text : str
        The key's text (it can be set later with ``setText``).
    """
    label = QtWidgets.QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.MUTED}; font-size: 8pt;")
    label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                        QtWidgets.QSizePolicy.Policy.Preferred)
    return label


def with_key(view: QtWidgets.QWidget, key: QtWidgets.QLabel) -> QtWidgets.QWidget:
    """Return a widget holding `view` (stretching) with `key` under it."""
    box = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(view, 1)
    layout.addWidget(key)
    return box
