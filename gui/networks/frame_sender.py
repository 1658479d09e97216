"""The training worker's frames: the experiment probed, the selected output, back-pressure.

A frame while training re-probes only as many networks as a fixed share of the worker's time
allows (`RollingProbe`: the selected one always, the others in turn), and the worker holds
back while the GUI has not yet consumed the frames already sent (back-pressure, so no queue
builds up in the event loop). Frames that must be exact (paused, stepped, after an
intervention or a reset) probe every network.
"""

from __future__ import annotations

import time

import numpy as np

from gui.networks.frame import Frame, output_grid
from gui.networks.training_steps import describe_error
from models.rolling_probe import RollingProbe

__all__ = ["MAX_IN_FLIGHT", "OUTPUT_INTERVAL_S", "PROBE_SHARE", "FrameSender"]

PROBE_SHARE = 0.06  # about this share of the worker's time goes to probes while playing
MAX_IN_FLIGHT = 2  # frames sent but not yet acknowledged by the GUI
OUTPUT_INTERVAL_S = 0.25  # the selected cell's boundary / fit is recomputed at most this often


class FrameSender:
    """Frame methods of `gui.networks.training_worker.TrainingWorker` (mixed into it).

    Needs from the worker: ``experiment``, ``selected``, ``playing``, ``busy``, ``_cond``,
    ``_run_generation``, ``signals_emitted`` and the ``frame_ready`` and ``error`` signals.
    """

    def _init_frames(self) -> None:
        """Set the probe, the output cache and the count of frames in flight (none yet)."""
        self._in_flight = 0
        self._probe: RollingProbe | None = None
        self._last_probe = 0.0
        self._grid_cache: tuple | None = None
        self._output: tuple | None = None  # (index, time, grid_x, output) last computed
        self._last_sent: tuple | None = None

    def acknowledge(self) -> None:
        """Tell the worker the GUI has consumed one frame (back-pressure; any thread)."""
        with self._cond:
            self._in_flight = max(0, self._in_flight - 1)
            self._cond.notify_all()

    def _emit_frame(self, force: bool, reuse: bool = False) -> None:
        """Send a frame: every network probed when `force`, else a rolling probe.

        With `reuse`, the last frame's probe is sent again when nothing has changed since.
        """
        if not force and self._in_flight >= MAX_IN_FLIGHT:
            return
        exp = self.experiment
        last = self._last_sent
        if reuse and last is not None and last[0] is exp and last[1] == exp.step \
                and last[2] == self.selected:
            with self._cond:
                self._in_flight += 1
            self.signals_emitted += 1
            self.frame_ready.emit(Frame(self._run_generation, last[3], last[2], last[4],
                                        last[5], self.playing, []))
            return
        if self._probe is None or self._probe.experiment is not exp:
            self._probe = RollingProbe(exp)
        try:
            with self.busy:
                selected = min(self.selected, len(exp.networks) - 1)
                if force:
                    snapshot = self._probe.full()
                else:
                    # probes take at most PROBE_SHARE of the time since the last frame
                    elapsed = min(time.perf_counter() - self._last_probe, 1.0)
                    budget = PROBE_SHARE * elapsed
                    snapshot = self._probe.partial(budget, selected)[0]
                grid_x, output = self._selected_output(selected, force)
        except Exception as exc:  # noqa: BLE001 - report engine failures, keep the GUI alive
            self.playing = False
            self.error.emit(self._run_generation, describe_error(exc))
            return
        self._last_probe = time.perf_counter()
        events = snapshot.events
        self._last_sent = (exp, exp.step, selected, snapshot, grid_x, output)
        with self._cond:
            self._in_flight += 1
        self.signals_emitted += 1
        self.frame_ready.emit(Frame(self._run_generation, snapshot, selected, grid_x, output,
                                    self.playing, list(events)))

    def _selected_output(self, index: int, force: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Return the selected network's output; while training, at most every 0.25 s."""
        now = time.perf_counter()
        cached = self._output
        if not force and cached is not None and cached[0] == index and \
                now - cached[1] < OUTPUT_INTERVAL_S:
            return cached[2], cached[3]
        exp = self.experiment
        x = exp.dataset.x
        if self._grid_cache is None:
            self._grid_cache = output_grid(x)
        grid_x, points = self._grid_cache
        out = exp.predict(points, index)
        if x.shape[1] == 2:
            n = grid_x.shape[1]
            out = out.reshape(n, n)
        self._output = (index, now, grid_x, out)
        return grid_x, out
