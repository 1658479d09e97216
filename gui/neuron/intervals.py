"""The Drive run's interspike intervals: the histogram at once, the CV theory off the GUI thread."""

from __future__ import annotations

import json
import threading

from PySide6 import QtCore

from gui.neuron import isi_plots
from gui.neuron.drawing import Drawer, finish


class Intervals(QtCore.QObject):
    """Draws the ISI histogram and the CV against mean input into two plots.

    The CV theory takes about a second of numpy, so it runs on a helper thread and is
    cached by parameters; `drawn` carries ``{figure name: table}`` for the tab's tables.
    Both plots are drawn by `drawer` (a `gui.neuron.drawing.Drawer`), an item per
    event-loop turn.

    Attributes
    ----------
    plots : tuple of PlotItem
        ``(isi plot, cv plot)``, set by the tab.
    cv : neuro.isi.CvCurve or None
        The CV theory drawn (None without noise or before it is computed).
    """

    drawn = QtCore.Signal(dict)
    _ready = QtCore.Signal(str, object)  # (parameters key, CvCurve) from the helper thread

    def __init__(self, parent: QtCore.QObject | None = None, drawer: Drawer | None = None
                 ) -> None:
        super().__init__(parent)
        self.drawer = drawer if drawer is not None else Drawer(self)
        self.plots = None
        self.cv = None
        self.stats = None
        self._params = None
        self._cache: dict[str, object] = {}
        self._pending: set[str] = set()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._ready.connect(self._on_ready)

    def busy(self) -> bool:
        """Whether a histogram is queued or a CV theory is being computed."""
        return bool(self._pending) or self.drawer.busy()

    def queue(self, result, params) -> None:
        """Draw the intervals of `result` through the drawer, after what it has queued."""
        self.drawer.put("intervals", self._steps(result, params), self.drawn.emit)

    def show(self, result, params) -> None:
        """Draw the ISI histogram of `result` (a DriveResult) now; start or reuse the CV theory."""
        self.drawn.emit(finish(self._steps(result, params)))

    def _steps(self, result, params):
        self.stats, self._params = result.isi_statistics(), params
        tables = {"isi": (yield from isi_plots.draw_isi.steps(self.plots[0], self.stats))}
        key = json.dumps(params.to_dict(), sort_keys=True)
        if params.noise_mv <= 0:
            self.cv = None
            tables["cv_curve"] = yield from isi_plots.draw_cv.steps(
                self.plots[1], None, params.i0_na, self.stats.cv, False)
        elif key in self._cache:
            self._on_ready(key, self._cache[key])
        elif key not in self._pending:
            self.plots[1].setTitle("CV against mean input: computing the theory…")
            self._pending.add(key)
            self._thread = threading.Thread(target=self._work, args=(key, params),
                                            name="relu-lab-cv-theory", daemon=True)
            self._thread.start()
        return tables

    def _work(self, key: str, params) -> None:
        from neuro.isi import cv_curve

        try:
            curve = cv_curve(params)
        except (ValueError, ArithmeticError):
            curve = None
        if not self._closed:
            self._ready.emit(key, curve)

    def _on_ready(self, key: str, curve) -> None:
        self._pending.discard(key)
        self._cache[key] = curve
        if self._params is None or key != json.dumps(self._params.to_dict(), sort_keys=True):
            return  # the parameters changed since: a stale curve
        self.cv = curve
        steps = isi_plots.draw_cv.steps(self.plots[1], curve, self._params.i0_na,
                                        self.stats.cv)
        self.drawer.put("cv_curve", steps, lambda table: self.drawn.emit({"cv_curve": table}))

    def shutdown(self) -> None:
        """Drop pending work and wait (at most 2 s) for a running CV theory."""
        self._closed = True
        self._pending.clear()
        if self._thread is not None:
            self._thread.join(2.0)
