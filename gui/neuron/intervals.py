"""The Drive run's interspike intervals: the histogram at once, the CV theory off the GUI thread."""

from __future__ import annotations

import json
import threading

from PySide6 import QtCore

from gui.neuron import isi_plots
from gui.neuron.drawing import Drawer, finish


def cv_key(params) -> str:
    """The parameters the CV theory depends on, as a cache key (not size, length or seed)."""
    values = params.to_dict()
    for name in ("n_neurons", "duration_s", "seed"):
        values.pop(name, None)
    return json.dumps(values, sort_keys=True)


class Intervals(QtCore.QObject):
    """Draws the ISI histogram and the CV against mean input into two plots.

    The CV theory takes about a second of numpy. The tab asks the simulation process for
    it beside the drive (`expect`, then `provide`): a thread of this process would hold
    the GIL from the GUI thread for that second. Without such a promise (a drive shown
    from the cache, a cancelled run) it runs on a helper thread. Curves are cached by the
    parameters they depend on; `drawn` carries ``{figure name: table}`` for the tab's tables.
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
        self._expected: dict[str, object] = {}  # key -> params, promised by `provide`
        self._thread: threading.Thread | None = None
        self._closed = False
        self._ready.connect(self._on_ready)

    def has(self, params) -> bool:
        """Whether the CV theory of `params` is cached."""
        return cv_key(params) in self._cache

    def expect(self, params) -> None:
        """Say the CV theory of `params` (None: of nothing) will come through `provide`.

        Curves promised before and not provided are computed here after all if their
        parameters are the ones shown.
        """
        key = cv_key(params) if params is not None else None
        for old in [k for k in self._expected if k != key]:
            old_params = self._expected.pop(old)
            self._pending.discard(old)
            if (not self._closed and self._params is not None
                    and cv_key(self._params) == old and old not in self._cache):
                self._start(old, old_params)
        if key is not None and key not in self._cache:
            self._expected[key] = params
            self._pending.add(key)

    def provide(self, params, curve) -> None:
        """Take the CV theory of `params` (a `neuro.isi.CvCurve` or None) computed elsewhere."""
        key = cv_key(params)
        self._expected.pop(key, None)
        self._on_ready(key, curve)

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
        key = cv_key(params)
        if params.noise_mv <= 0:
            self.cv = None
            tables["cv_curve"] = yield from isi_plots.draw_cv.steps(
                self.plots[1], None, params.i0_na, self.stats.cv, False)
        elif key in self._cache:
            self._on_ready(key, self._cache[key])
        else:
            self.plots[1].setTitle("CV against mean input: computing the theory…")
            if key not in self._pending:
                self._start(key, params)
        return tables

    def _start(self, key: str, params) -> None:
        self._pending.add(key)
        self._thread = threading.Thread(target=self._work, args=(key, params),
                                        name="relu-lab-cv-theory", daemon=True)
        self._thread.start()

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
        if self._params is None or key != cv_key(self._params):
            return  # the parameters changed since: a stale curve
        self.cv = curve
        steps = isi_plots.draw_cv.steps(self.plots[1], curve, self._params.i0_na,
                                        self.stats.cv)
        self.drawer.put("cv_curve", steps, lambda table: self.drawn.emit({"cv_curve": table}))

    def shutdown(self) -> None:
        """Drop pending work and wait (at most 2 s) for a running CV theory."""
        self._closed = True
        self._pending.clear()
        self._expected.clear()
        if self._thread is not None:
            self._thread.join(2.0)
