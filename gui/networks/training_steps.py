"""How the training worker advances an experiment: chunks, the pace, schedule stops, auto-pause.

Steps and frames are decoupled: at full speed the worker trains in chunks of at most
``log_every`` steps, ending a chunk early when a frame is due, so frames come at a steady
rate however slow a step is. A paced run (a number of steps a second, or the time-lapse)
takes the steps its pace allows once a tick, ``1 / LIVE_RATE`` s, and sends a frame each
tick. A chunk also ends at the next scheduled intervention and at the end of the run.
"""

from __future__ import annotations

import time
import traceback

__all__ = ["LAPSE_DOUBLING", "LIVE_RATE", "PROGRESS_RATE", "TrainingSteps", "describe_error"]

LIVE_RATE = 12.0  # most frames a second while training (fluid, and leaves the GIL to steps)
PROGRESS_RATE = 250.0  # most progress signals a second
LAPSE_DOUBLING = 4.0  # time-lapse pace: 1 + step / LAPSE_DOUBLING steps per second


class TrainingSteps:
    """Training methods of `gui.networks.training_worker.TrainingWorker` (mixed into it).

    Run in the worker thread. Needs from the worker: ``experiment``, ``preset``,
    ``playing``, ``busy``, ``max_rate``, ``_cond``, ``_commands``, ``_stop``, ``_in_flight``,
    ``_last_probe``, ``_last_sent``, ``_run_generation``, ``_emit_frame`` and the ``error``,
    ``finished_steps``, ``progress`` and ``paused_at_event`` signals.
    """

    def _init_steps(self) -> None:
        """Set the pace (full speed), auto-pause (off) and the step counters."""
        self.steps_done = 0
        self._last_progress = 0.0
        self.pace: float | None = None  # steps per second; None: full speed
        self.lapse = False  # time-lapse: the pace grows with the step (slow start)
        self.auto_pause = False
        self._credit = 0.0
        self._next_tick = 0.0
        self._events_seen = 0

    def rate(self, step: int) -> float | None:
        """Return the steps per second at `step` (None: full speed)."""
        if self.lapse:
            return 1.0 + step / LAPSE_DOUBLING
        return self.pace

    def _finish_run(self) -> bool:
        """Stop playing at the end of the run and say so; return True (the chunk is done)."""
        self.playing = False
        self.finished_steps.emit(self._run_generation)
        return True

    def _check_events(self) -> bool:
        """Pause on a new scheduled event when auto-pause is on; return True if paused."""
        events = self.experiment.history.events
        new = events[self._events_seen:]
        self._events_seen = len(events)
        scheduled = [e for e in new if e.kind != "divergence"]
        if self.auto_pause and scheduled and self.playing:
            self.playing = False
            text = "; ".join(e.message for e in scheduled)
            self.paused_at_event.emit(self._run_generation, scheduled[0].step, text)
            return True
        return False

    def _paced_chunk(self) -> bool:
        """One tick of a paced run: the steps the pace allows, then a frame."""
        exp = self.experiment
        interval = 1.0 / LIVE_RATE
        with self._cond:
            # wait for the tick, and for the GUI to draw the last frame (at most a tick more)
            give_up = max(self._next_tick, time.perf_counter()) + interval
            while not self._stop and not self._commands:
                now = time.perf_counter()
                if now >= self._next_tick and (self._in_flight == 0 or now >= give_up):
                    break
                target = self._next_tick if now < self._next_tick else give_up
                self._cond.wait(max(0.001, min(target - now, 0.25)))
            if self._stop or self._commands:
                return False
        self._next_tick = max(self._next_tick + interval, time.perf_counter())
        self._credit += self.rate(exp.step) * interval
        wanted = int(self._credit)
        steps = self._next_stop(wanted) if wanted > 0 else 0
        if wanted > 0 and steps <= 0:
            return self._finish_run()
        if steps > 0:
            self._credit -= steps
            self._run(steps)
            self._last_sent = None
        if self._check_events():
            return True
        if exp.step >= exp.config.steps:
            return self._finish_run()
        self._emit_frame(force=True, reuse=True)
        return False

    def _apply_schedule(self) -> None:
        """Hand the preset's schedule to the experiment, which applies it as it trains."""
        if self.experiment is None:
            return
        try:
            with self.busy:
                if self.preset is not None and not self.experiment.schedule.actions:
                    self.experiment.set_schedule(self.preset.schedule)
                self.experiment.start()
        except (ValueError, IndexError) as exc:
            self.error.emit(self._run_generation, f"preset schedule: {exc}")

    def _next_stop(self, limit: int) -> int:
        """Return how many steps to take before something must happen (<= limit)."""
        exp = self.experiment
        steps = min(limit, max(exp.config.steps - exp.step, 0))
        later = exp.schedule.next_step(exp.step)
        if later is not None:
            steps = min(steps, later - exp.step)
        return steps

    def _run(self, steps: int, deadline: float | None = None) -> None:
        """Take `steps` steps (fewer when `deadline`, a perf_counter time, passes first)."""
        remaining = int(steps)
        while remaining > 0:
            chunk = max(1, min(remaining, self._next_stop(remaining) or remaining))
            done = 0
            try:
                for k in range(chunk):
                    with self.busy:
                        self.experiment.run(1, record_grad_norms_last=k == chunk - 1)
                    done += 1
                    self._progress()
                    if deadline is not None and k < chunk - 1 and \
                            time.perf_counter() >= deadline:
                        break
            except Exception as exc:  # noqa: BLE001 - report engine failures, keep the GUI alive
                self.playing = False
                self.error.emit(self._run_generation, describe_error(exc))
                return
            self.steps_done += done
            remaining -= done
            if done < chunk:
                return

    def _progress(self) -> None:
        now = time.perf_counter()
        if now - self._last_progress >= 1.0 / PROGRESS_RATE:
            self._last_progress = now
            self.signals_emitted += 1
            self.progress.emit(self._run_generation, self.experiment.step)

    def _train_chunk(self) -> bool:
        exp = self.experiment
        if self.rate(exp.step) is not None:
            return self._paced_chunk()
        chunk = self._next_stop(exp.config.log_every)
        if chunk <= 0:
            return self._finish_run()
        interval = 1.0 / min(self.max_rate, LIVE_RATE)
        self._run(chunk, deadline=self._last_probe + interval)
        if self._check_events():
            return True
        if exp.step >= exp.config.steps:
            return self._finish_run()
        if time.perf_counter() - self._last_probe >= interval:
            self._emit_frame(force=False)  # unless MAX_IN_FLIGHT frames are not yet drawn
        return False


def describe_error(exc: BaseException) -> str:
    """Return an engine error as the status bar shows it: type, message, file and line.

    Parameters
    ----------
    exc : BaseException
        The exception caught (with its traceback, when it has one).

    Returns
    -------
    str
        E.g. ``ValueError: bad width (network.py:42)``.
    """
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"
