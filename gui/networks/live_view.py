"""The Networks tab's live view: worker frames drawn at a bounded rate, the events line, speeds."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from figures.names import format_lr, pretty_activation
from gui.networks.frame import Frame

__all__ = ["DETAIL_INTERVAL_S", "DRAW_SHARE", "FRAME_INTERVAL_S", "LiveView"]

FRAME_INTERVAL_S = 1.0 / 60.0  # never draw faster than the screen
DRAW_SHARE = 0.2  # drawing may take at most this share of the GUI thread's (and GIL's) time
DETAIL_INTERVAL_S = 0.25  # the detail plots change slowly: redraw them at most 4 times a second


class LiveView:
    """Frame, drawing and speed methods of `gui.networks.tab.NetworksTab` (mixed into it).

    A frame from the worker is kept as pending and drawn by a single-shot timer, at most
    every `FRAME_INTERVAL_S` and, while training at full speed, so that drawing takes at
    most `DRAW_SHARE` of the GUI thread; each draw acknowledges the frames it consumed
    (the worker's back-pressure).

    Needs from the tab: ``worker``, ``experiment``, ``history``, ``generation``,
    ``selected``, ``playing``, ``replaying``, ``last_frame``, ``shown_step``, ``_pending``,
    ``_history_drawn``, ``_closed``, ``_draw_timer``, the widgets ``grid``, ``detail``,
    ``why``, ``events`` and ``step_label``, ``pace_steps_per_s``, ``_sync_timeline`` and
    the ``message`` and ``status_changed`` signals.
    """

    def _init_live_view(self) -> None:
        """Set the counters of frames drawn and dropped and of the time drawing takes."""
        self.frames_drawn = 0
        self.frames_dropped = 0
        self.frame_times: deque[float] = deque(maxlen=240)
        self._draw_times: deque[float] = deque(maxlen=120)
        self._rate_marks: deque[tuple[float, int]] = deque(maxlen=60)
        self._last_draw = 0.0
        self._last_detail = 0.0
        self._frame_cost = 0.0
        self._previous_draw = 0.0
        self._paint_mark = (0.0, 0.0)
        self._previous_cpu = 0.0
        self.frame_cpu_times: deque[float] = deque(maxlen=240)
        self._unacknowledged = 0
        self._events_shown = -1
        self.progress_step = 0
        self.signals_received = 0

    # -- what the worker sends ------------------------------------------------------------
    def _on_progress(self, generation: int, step: int) -> None:
        self.signals_received += 1
        if generation == self.generation:
            self.progress_step = step
            now = time.perf_counter()
            if not self._rate_marks or now - self._rate_marks[-1][0] > 0.1:
                self._rate_marks.append((now, step))

    def _on_frame(self, frame: Frame) -> None:
        self.signals_received += 1
        if self._closed or frame.generation != self.generation:
            self.worker.acknowledge()
            self.frames_dropped += 1
            return
        self._unacknowledged += 1
        self.history.add(frame.snapshot)
        if frame.events:
            self.message.emit("; ".join(frame.events))
        self._show_events()
        self._pending = frame
        self._schedule_draw()

    # -- the events line ------------------------------------------------------------------
    def event_list(self) -> list:
        """Return every event of the run so far (`models.history.Event`: step, kind, message)."""
        if self.experiment is None:
            return []
        return list(self.experiment.history.events)

    def _show_events(self) -> None:
        events = self.event_list()
        if len(events) == self._events_shown:
            return
        self._events_shown = len(events)
        lines = [f"step {e.step:,}: {e.message}" for e in events]
        shown = lines[-3:]
        more = f"({len(lines) - 3} earlier, hover for all) " if len(lines) > 3 else ""
        self.events.setText(more + " · ".join(shown))
        self.events.setToolTip("<br>".join(lines))
        self.detail.set_events(events)

    # -- drawing --------------------------------------------------------------------------
    def _schedule_draw(self) -> None:
        if self._draw_timer.isActive() or self._closed:
            return
        paced = self.pace_steps_per_s() is not None  # a paced worker idles between frames
        interval = max(FRAME_INTERVAL_S, self._frame_cost / DRAW_SHARE) \
            if self.playing and not paced else FRAME_INTERVAL_S
        wait = self._last_draw + interval - time.perf_counter()
        self._draw_timer.start(max(0, int(wait * 1000)))

    def draw(self) -> None:
        """Show the newest frame: every changed heatmap, the detail plots and the labels."""
        frame = self._pending or self.last_frame
        self._pending = None
        for _ in range(self._unacknowledged):  # back-pressure: the worker waits for draws
            self.worker.acknowledge()
        self._unacknowledged = 0
        if frame is None or self._closed:
            return
        if self.replaying:  # the replayed step stays on screen; the newest frame waits
            self.last_frame = frame
            return
        start, start_cpu = time.perf_counter(), time.thread_time()
        painted = (self.grid.paint_seconds + self.detail.paint_seconds,
                   self.grid.paint_cpu + self.detail.paint_cpu)
        if self.frames_drawn:
            # a frame = the update plus the painting Qt did for it before the next update
            self.frame_times.append(self._previous_draw + painted[0] - self._paint_mark[0])
            cpu = self._previous_cpu + painted[1] - self._paint_mark[1]
            self.frame_cpu_times.append(cpu)
            self._frame_cost = 0.7 * self._frame_cost + 0.3 * cpu if self._frame_cost else cpu
        self._paint_mark = painted
        snap = frame.snapshot
        self.grid.update_snapshot(snap, live=self.playing and frame.playing)
        self._update_cell_notes(snap.labels)
        key = (self.history.version, self.selected, self.generation)
        due = not self.playing or start - self._last_detail >= DETAIL_INTERVAL_S \
            or key[1:] != self._history_drawn[1:]
        if key != self._history_drawn and due:
            self._history_drawn = key
            self._last_detail = start
            self.detail.set_history(self.history.cell(self.selected), self.cell_name(snap.labels))
            self.why.refresh()
            if frame.selected == self.selected:
                self.detail.set_output(frame.grid_x, frame.output)
        self.last_frame = frame
        self.shown_step = snap.step
        self.step_label.setText(f"step {snap.step:,}")
        self._sync_timeline()
        end = time.perf_counter()
        self._last_draw = end
        self._previous_draw = end - start
        self._previous_cpu = time.thread_time() - start_cpu
        self._draw_times.append(end)
        self.frames_drawn += 1
        self.status_changed.emit()

    def _update_cell_notes(self, labels: list[tuple[str, float]]) -> None:
        for cell, (row_act, _lr), (act, _) in zip(self.grid.cells, self.grid.labels, labels):
            note = "" if act == row_act else f"now {pretty_activation(act)}"
            if cell.note != note:
                cell.set_note(note)

    def cell_name(self, labels: list[tuple[str, float]] | None = None) -> str:
        """Return the selected cell's name, e.g. ``ReLU, lr 0.3``.

        Parameters
        ----------
        labels : list of (str, float), optional
            Every cell's (activation, learning rate); by default those of the last frame
            (or of the grid's layout before the first frame).
        """
        labels = labels or (self.last_frame.snapshot.labels if self.last_frame else
                            self.grid.labels)
        act, lr = labels[self.selected]
        return f"{pretty_activation(act)}, lr {format_lr(lr)}"

    # -- status ---------------------------------------------------------------------------
    def live_status(self) -> dict[str, Any]:
        """Return the step shown, training steps per second and frames per second."""
        steps_per_s = 0.0
        marks = [m for m in self._rate_marks if m[0] > time.perf_counter() - 3.0]
        if len(marks) >= 2 and marks[-1][0] > marks[0][0]:
            steps_per_s = (marks[-1][1] - marks[0][1]) / (marks[-1][0] - marks[0][0])
        now = time.perf_counter()
        frames = [t for t in self._draw_times if t > now - 2.0]
        fps = len(frames) / 2.0 if frames else 0.0
        return {"step": max(self.shown_step, self.progress_step, 0),
                "steps_per_s": steps_per_s if self.playing else 0.0,
                "frames_per_s": fps, "playing": self.playing}
