"""A GUI-thread stall meter for the benchmarks: a 5 ms heartbeat timing gaps and CPU between beats.

A 5 ms ``PreciseTimer`` beats on the GUI thread while a scenario plays in a real
``QEventLoop``. For each pair of beats it records

* the wall-clock gap beyond 5 ms: how long the window could not react (what a user sees;
  the machine's load and other threads holding the GIL count too), and
* the GUI thread's own CPU time between them (``time.thread_time``): the work the GUI
  thread did in that gap. It does not grow when the machine is loaded, so it separates
  "the GUI thread did too much at once" from "the OS or another thread ran instead".

Usage::

    with StallMeter() as meter:
        start_work()
        run_until(lambda: done(), 60)
    meter.summary()  # {"gap_ms_max", "gui_cpu_ms_max", "beats", ...}
"""

from __future__ import annotations

import statistics
import time

from PySide6 import QtCore

BEAT_MS = 5


class StallMeter:
    """Record the heartbeat gaps of the GUI thread (and its CPU time in each) while entered."""

    def __init__(self) -> None:
        self.gaps: list[tuple[float, float]] = []  # (wall ms beyond the beat, GUI CPU ms)
        self._timer = QtCore.QTimer()
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.setInterval(BEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._last = (0.0, 0.0)

    def __enter__(self) -> StallMeter:
        self._last = (time.perf_counter(), time.thread_time())
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.stop()
        self._beat()

    def _beat(self) -> None:
        now = (time.perf_counter(), time.thread_time())
        self.gaps.append((max(0.0, 1000 * (now[0] - self._last[0]) - BEAT_MS),
                          1000 * (now[1] - self._last[1])))
        self._last = now

    def summary(self) -> dict:
        """Return the largest gap, the most GUI-thread CPU between two beats, the beats."""
        return {"gap_ms_max": round(max((g for g, _ in self.gaps), default=0.0), 1),
                "gui_cpu_ms_max": round(max((c for _, c in self.gaps), default=0.0), 1),
                "gaps_over_50_ms": sum(g > 50 for g, _ in self.gaps),
                "beats": len(self.gaps)}


def run_until(condition, timeout_s: float, settle_s: float = 0.0) -> float:
    """Run a real event loop until `condition()` (then `settle_s` more); return seconds taken.

    Returns nan on timeout. A real loop (not ``processEvents``), as in the application.
    """
    loop = QtCore.QEventLoop()
    start = time.perf_counter()
    state = {"met": None}

    def check() -> None:
        if state["met"] is None and condition():
            state["met"] = time.perf_counter() - start
            QtCore.QTimer.singleShot(int(1000 * settle_s), loop.quit)
        elif state["met"] is None and time.perf_counter() - start > timeout_s:
            loop.quit()

    poll = QtCore.QTimer()
    poll.setInterval(5)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    return state["met"] if state["met"] is not None else float("nan")


def aggregate(runs: list[dict]) -> dict:
    """Median and max over runs of every number in the runs' summaries."""
    out: dict = {"runs": len(runs)}
    for key in runs[0] if runs else ():
        values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
        if values:
            out[f"{key}_median"] = round(statistics.median(values), 3)
            out[f"{key}_max"] = round(max(values), 3)
    return out
