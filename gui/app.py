"""The QApplication of the lab: name, fonts, style sheet, pyqtgraph options, Qt messages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from gui import theme

APP_NAME = "ReLU Lab"
STYLE_SHEET = Path(__file__).resolve().parent.parent / "resources" / "style.qss"
# Harmless notices of the offscreen platform plugin that would otherwise reach stderr.
_QUIET = ("This plugin does not support propagateSizeHints",
          "This plugin does not support raise()",
          "This plugin does not support grabbing the keyboard",
          "QFont::setPointSizeF: Point size <= 0")
_previous_handler = None


def _message_handler(mode, context, message: str) -> None:
    if any(message.startswith(q) for q in _QUIET):
        return
    if mode == QtCore.QtMsgType.QtDebugMsg and not os.environ.get("RELU_LAB_QT_DEBUG"):
        return
    sys.stderr.write(f"Qt: {message}\n")


def create_app(argv: list[str] | None = None, font_size: float = 10.0) -> QtWidgets.QApplication:
    """Return the QApplication, set up for the lab (created if there is none yet).

    Parameters
    ----------
    argv : list of str, optional
        Arguments for Qt (the program name by default).
    font_size : float
        Base point size of the interface font.

    Returns
    -------
    PySide6.QtWidgets.QApplication
        The application.
    """
    global _previous_handler
    if _previous_handler is None:
        _previous_handler = QtCore.qInstallMessageHandler(_message_handler) or True
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(argv or ["relu-lab"])
    if app.property("relu_lab_configured"):
        # set up once: re-applying style, palette and sheet re-polishes every live widget
        return app
    app.setProperty("relu_lab_configured", True)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("ReLU Lab")
    app.setStyle("Fusion")
    font = QtGui.QFont(app.font())
    font.setPointSizeF(font_size)
    app.setFont(font)
    app.setPalette(dark_palette())
    if STYLE_SHEET.is_file():
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    theme.configure_pyqtgraph()
    return app


def dark_palette() -> QtGui.QPalette:
    """Return the lab's dark palette (plots and widgets share one background)."""
    palette = QtGui.QPalette()
    c = QtGui.QColor
    role = QtGui.QPalette.ColorRole
    palette.setColor(role.Window, c(theme.PANEL))
    palette.setColor(role.WindowText, c(theme.FOREGROUND))
    palette.setColor(role.Base, c(theme.BACKGROUND))
    palette.setColor(role.AlternateBase, c(theme.PANEL))
    palette.setColor(role.ToolTipBase, c("#2a2e37"))
    palette.setColor(role.ToolTipText, c(theme.FOREGROUND))
    palette.setColor(role.Text, c(theme.FOREGROUND))
    palette.setColor(role.Button, c("#2a2e37"))
    palette.setColor(role.ButtonText, c(theme.FOREGROUND))
    palette.setColor(role.Highlight, c("#3d6fb6"))
    palette.setColor(role.HighlightedText, c("#ffffff"))
    palette.setColor(role.PlaceholderText, c(theme.MUTED))
    disabled = QtGui.QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, r, c("#6b707a"))
    return palette
