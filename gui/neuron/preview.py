"""The Neuron tab's first visit: a "starting the simulator" panel, a cheap drive, then all."""

from __future__ import annotations

import json

from PySide6 import QtCore, QtWidgets

from gui.theme import FOREGROUND, PANEL

PREVIEW_NEURONS, PREVIEW_S = 200, 0.5  # the first visit's quick drive


class StartingPanel(QtWidgets.QLabel):
    """A panel over the tab's plots saying the simulator is starting (instead of empty axes).

    It covers its parent (the plots' tab widget) and follows its size; the tab hides it
    when the first result is drawn, or when the run fails or is cancelled.
    """

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("neuron_starting")
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"QLabel#neuron_starting {{ background: {PANEL}; "
                           f"color: {FOREGROUND}; font-size: 15pt; padding: 40px; }}")
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Keep covering the parent when it is resized."""
        if watched is self.parentWidget() and event.type() == QtCore.QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def show_starting(self, neurons: int, seconds: float) -> None:
        """Say what is happening and what comes first, over the whole plot area."""
        self.setText("Starting the simulator…\n\nBrian2 loads once, in its own process "
                     f"(a few seconds).\nA quick preview of {neurons} neurons for "
                     f"{seconds:g} s comes first; the full runs follow.")
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()


def start_preview(tab) -> bool:
    """First visit of `tab` (a NeuronTab): while the simulator starts, a cheap drive first.

    A few hundred neurons for half a second come back within seconds of Brian2's
    import; `run` follows as soon as the preview is drawn. Returns False (and runs
    everything) if the drive is cached or the simulator is already up.
    """
    if tab.runner.child_pid is not None or tab._cache.get(tab._key("drive")):
        tab.run()
        return False
    tab.runner.cancel()
    preview = tab.params.replace(n_neurons=min(tab.params.n_neurons, PREVIEW_NEURONS),
                                  duration_s=min(tab.params.duration_s, PREVIEW_S))
    tab._preview_key = ("drive-preview", json.dumps(preview.to_dict(), sort_keys=True), "")
    tab._pending = {"drive": tab._preview_key}
    specs = tab._with_cv({"drive": {**tab._payload("drive"), "params": preview}}, tab.params)
    tab.intervals.expect(tab._pending.get("cv") and tab.params)  # the preview's too
    tab._job_count, tab._done_jobs = len(tab._pending), 0
    tab._request = tab.runner.run(specs)
    tab._set_busy(True)
    tab.status.setText("starting the simulator (Brian2 loads once, a few seconds); "
                       f"then a quick preview of {preview.n_neurons} neurons")
    for name in ("currents", "voltage", "raster", "population_rate"):
        tab.plots[name].setTitle(f"{tab.plots[name].titleLabel.text}: starting the "
                                 "simulator…")
    tab.starting.show_starting(preview.n_neurons, preview.duration_s)
    return True
