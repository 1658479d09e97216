"""A QApplication for drawing figures with no window shown (command line, tests)."""

from __future__ import annotations

import os


def ensure_app():
    """Return the running QApplication, creating an offscreen one if there is none.

    Returns
    -------
    PySide6.QtWidgets.QApplication
        The application instance.
    """
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QtWidgets.QApplication(["relu-lab"])
    return app
