"""The run panel shared by tabs that compute on demand: message, Run / Cancel, progress, status."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtWidgets

from gui import theme


class RunControls:
    """Widgets of a run panel, added as rows of a form.

    Attributes
    ----------
    error_label : QLabel
        Inline message for a bad field (red).
    run_button, cancel_button : QPushButton
        Start and stop; Cancel is enabled only while running.
    progress_bar : QProgressBar
        Progress of the current run.
    status : QLabel
        One line about the current state.
    """

    def __init__(self, form: QtWidgets.QFormLayout, run_text: str, status_text: str,
                 on_run: Callable[[], object], on_cancel: Callable[[], object]) -> None:
        self.error_label = QtWidgets.QLabel("")
        self.error_label.setStyleSheet(f"color: {theme.ERROR_HEX};")
        self.error_label.setWordWrap(True)
        form.addRow(self.error_label)
        buttons = QtWidgets.QHBoxLayout()
        self.run_button = QtWidgets.QPushButton(run_text)
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(lambda: on_run())
        self.cancel_button.clicked.connect(lambda: on_cancel())
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        form.addRow(self.progress_bar)
        self.status = QtWidgets.QLabel(status_text)
        self.status.setWordWrap(True)
        form.addRow(self.status)
