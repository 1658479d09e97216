"""The training worker: a QObject in a QThread driving an `Experiment`, emitting arrays only.

The worker owns the experiment while it runs. The GUI never calls the engine directly during
training: it queues commands (play, pause, step, reset, interventions, selection) that the
worker applies between two training steps. Every emitted `Frame` carries the generation of
the experiment it came from, so frames produced before a reset are recognised and dropped.

Steps and frames are decoupled: the worker trains in chunks of at most ``log_every`` steps,
ending a chunk early when a frame is due (`max_rate` frames a second), so frames come at a
steady rate however slow a step is. A frame while training re-probes only as many networks
as a fixed share of the worker's time allows (`RollingProbe`: the selected one always, the
others in turn), and the worker holds back while the GUI has not yet consumed the frames
already sent (back-pressure, so no queue builds up in the event loop). Frames that must be
exact (paused, stepped, after an intervention or a reset) probe every network.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from collections.abc import Callable

import numpy as np
from PySide6 import QtCore

from gui.networks.frame import Frame, output_grid
from models.blas import single_thread_blas
from models.experiment import Experiment
from models.rolling_probe import RollingProbe

PROBE_SHARE = 0.06  # about this share of the worker's time goes to probes while playing
LIVE_RATE = 12.0  # most frames a second while training (fluid, and leaves the GIL to steps)
MAX_IN_FLIGHT = 2  # frames sent but not yet acknowledged by the GUI
PROGRESS_RATE = 250.0  # most progress signals a second
OUTPUT_INTERVAL_S = 0.25  # the selected cell's boundary / fit is recomputed at most this often
LAPSE_DOUBLING = 4.0  # time-lapse pace: 1 + step / LAPSE_DOUBLING steps per second


class TrainingWorker(QtCore.QObject):
    """Drive an `Experiment` in a worker thread; thread-safe command methods for the GUI.

    Parameters
    ----------
    max_rate : float
        Most frames emitted per second while playing.

    Signals
    -------
    frame_ready(Frame)
        A new frame (emitted from the worker thread; delivered queued to GUI slots).
    error(int, str)
        Generation and message of an error raised by the engine or an intervention.
    finished_steps(int)
        Generation whose run reached the config's ``steps`` and paused.
    progress(int, int)
        Generation and step count, after training steps (at most `PROGRESS_RATE` a second);
        cheap, so the status bar can show the step and speed between frames.
    """

    frame_ready = QtCore.Signal(object)
    error = QtCore.Signal(int, str)
    finished_steps = QtCore.Signal(int)
    progress = QtCore.Signal(int, int)
    paused_at_event = QtCore.Signal(int, int, str)

    def __init__(self, max_rate: float = 30.0) -> None:
        super().__init__()
        self.max_rate = float(max_rate)
        self._cond = threading.Condition()
        self._commands: deque = deque()
        self._stop = False
        self._in_flight = 0
        self.experiment: Experiment | None = None
        self.preset = None
        self.generation = 0
        self._run_generation = 0
        self.playing = False
        self.selected = 0
        self.steps_done = 0
        self._pending_events: list[str] = []
        self._thread: QtCore.QThread | None = None
        self._probe: RollingProbe | None = None
        self._last_probe = 0.0
        self._grid_cache: tuple | None = None
        self._output: tuple | None = None  # (index, time, grid_x, output) last computed
        self._last_progress = 0.0
        self.signals_emitted = 0
        self.busy = threading.Lock()
        self.pace: float | None = None  # steps per second; None: full speed
        self.lapse = False  # time-lapse: the pace grows with the step (slow start)
        self.auto_pause = False
        self._credit = 0.0
        self._next_tick = 0.0
        self._events_seen = 0
        self._last_sent: tuple | None = None

    # -- lifetime (GUI thread) ------------------------------------------------------------
    def start(self) -> None:
        """Move the worker to a new QThread and start its loop."""
        thread = QtCore.QThread()
        thread.setObjectName("relu-lab-training")
        self.moveToThread(thread)
        thread.started.connect(self._loop)
        self._thread = thread
        thread.start()

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """Stop the loop and wait for the thread to end; return True when it has."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        thread = self._thread
        if thread is None:
            return True
        thread.quit()
        done = thread.wait(timeout_ms)
        if done:
            self._thread = None
        return bool(done)

    def is_running(self) -> bool:
        """Return True while the worker thread is alive."""
        return self._thread is not None and self._thread.isRunning()

    # -- commands (any thread) ------------------------------------------------------------
    # Each command is a callable run in the worker thread; it returns True when the
    # state it changed should be shown in a frame.
    def _post(self, command: Callable[[], bool]) -> None:
        with self._cond:
            self._commands.append(command)
            self._cond.notify_all()

    def reset(self, experiment: Experiment, preset=None) -> int:
        """Replace the experiment (already built and validated); return its generation."""
        with self._cond:
            self.generation += 1
            generation = self.generation
            self._commands.append(lambda: self._do_reset(experiment, preset, generation))
            self._cond.notify_all()
        return generation

    def play(self) -> None:
        """Start (or continue) training."""
        self._post(self._do_play)

    def pause(self) -> None:
        """Pause after the current chunk; a final frame shows the paused state."""
        self._post(self._do_pause)

    def step(self, steps: int = 1) -> None:
        """Pause and take `steps` training steps, then emit a frame."""
        steps = int(steps)
        self._post(lambda: self._do_step(steps))

    def select(self, index: int) -> None:
        """Make `index` the cell whose output (boundary or fit) frames carry."""
        index = int(index)
        self._post(lambda: self._do_select(index))

    def intervene(self, action: Callable[..., object], *args) -> None:
        """Queue an intervention: ``action(experiment, *args)``, e.g. `Experiment.thermal_kick`."""
        self._post(lambda: self._do_intervene(action, args))

    def set_pace(self, steps_per_s: float | None, lapse: bool = False) -> None:
        """Train at `steps_per_s` (None: full speed); `lapse`: start slow, speed up with the step.

        A paced run emits a frame every ``1 / LIVE_RATE`` s and waits until the GUI has drawn
        the previous one, so the number of frames per step does not depend on the machine.
        """
        pace = None if steps_per_s is None else max(float(steps_per_s), 0.01)
        self._post(lambda: self._do_pace(pace, bool(lapse)))

    def set_auto_pause(self, on: bool) -> None:
        """Pause (and emit `paused_at_event`) when a scheduled intervention happens."""
        on = bool(on)
        self._post(lambda: self._do_auto_pause(on))

    def request_frame(self) -> None:
        """Ask for a frame of the current state even when paused."""
        self._post(lambda: True)

    def acknowledge(self) -> None:
        """Tell the worker the GUI has consumed one frame (back-pressure)."""
        with self._cond:
            self._in_flight = max(0, self._in_flight - 1)
            self._cond.notify_all()

    # -- the loop (worker thread) ---------------------------------------------------------
    @QtCore.Slot()
    def _loop(self) -> None:
        # overflow in a diverging network is expected and shown in the grid, not printed
        with single_thread_blas(), np.errstate(all="ignore"):
            while True:
                with self._cond:
                    while not self._stop and not self._commands and not self._can_train():
                        self._cond.wait(0.25)
                    if self._stop:
                        return
                    commands = list(self._commands)
                    self._commands.clear()
                want_frame = False
                for command in commands:
                    want_frame |= self._apply(command)
                if self._can_train():
                    want_frame |= self._train_chunk()
                if want_frame and self.experiment is not None:
                    self._emit_frame(force=True)

    def _can_train(self) -> bool:
        return self.playing and self.experiment is not None

    def _apply(self, command: Callable[[], bool]) -> bool:
        return bool(command())

    def _do_reset(self, experiment: Experiment, preset, generation: int) -> bool:
        self.experiment, self.preset = experiment, preset
        self._run_generation = generation
        self._grid_cache = None
        self._output = None
        self._probe = RollingProbe(experiment)
        self._pending_events = []
        self._apply_schedule()
        self._events_seen = len(experiment.history.events)
        self._credit = 0.0
        self._last_sent = None
        return True

    def _do_play(self) -> bool:
        if self.experiment is not None and self.experiment.step >= self.experiment.config.steps:
            self.playing = False
            self.finished_steps.emit(self._run_generation)
            return True
        self.playing = True
        return False

    def _do_pause(self) -> bool:
        was = self.playing
        self.playing = False
        return was and self.experiment is not None

    def _do_step(self, steps: int) -> bool:
        if self.experiment is None:
            return False
        self.playing = False
        self._run(steps)
        return True

    def _do_pace(self, pace: float | None, lapse: bool) -> bool:
        self.pace, self.lapse = pace, lapse
        self._credit = 0.0
        return False

    def _do_auto_pause(self, on: bool) -> bool:
        self.auto_pause = on
        if self.experiment is not None:
            self._events_seen = len(self.experiment.history.events)
        return False

    def rate(self, step: int) -> float | None:
        """Return the steps per second at `step` (None: full speed)."""
        if self.lapse:
            return 1.0 + step / LAPSE_DOUBLING
        return self.pace

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
            self.playing = False
            self.finished_steps.emit(self._run_generation)
            return True
        if steps > 0:
            self._credit -= steps
            self._run(steps)
            self._last_sent = None
        if self._check_events():
            return True
        if exp.step >= exp.config.steps:
            self.playing = False
            self.finished_steps.emit(self._run_generation)
            return True
        self._emit_frame(force=True, reuse=True)
        return False

    def _do_select(self, index: int) -> bool:
        if self.experiment is None:
            return False
        self.selected = min(max(index, 0), len(self.experiment.networks) - 1)
        return True

    def _do_intervene(self, action: Callable[..., object], args: tuple) -> bool:
        if self.experiment is None:
            return False
        try:
            with self.busy:
                action(self.experiment, *args)
        except (ValueError, IndexError) as exc:
            self.error.emit(self._run_generation, f"{action.__name__}: {exc}")
        return True

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
                self.error.emit(self._run_generation, _describe(exc))
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
            self.playing = False
            self.finished_steps.emit(self._run_generation)
            return True
        interval = 1.0 / min(self.max_rate, LIVE_RATE)
        self._run(chunk, deadline=self._last_probe + interval)
        if self._check_events():
            return True
        if exp.step >= exp.config.steps:
            self.playing = False
            self.finished_steps.emit(self._run_generation)
            return True
        if time.perf_counter() - self._last_probe >= interval and \
                self._in_flight < MAX_IN_FLIGHT:
            self._emit_frame(force=False)
        return False

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
            self.error.emit(self._run_generation, _describe(exc))
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


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"
