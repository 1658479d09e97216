"""The training worker: a QObject in a QThread driving an `Experiment`, emitting arrays only.

The worker owns the experiment while it runs. The GUI never calls the engine directly during
training: it queues commands (play, pause, step, reset, interventions, selection) that the
worker applies between two training steps. Every emitted `Frame` carries the generation of
the experiment it came from, so frames produced before a reset are recognised and dropped.
How it trains (chunks, pace, schedule) is in `gui.networks.training_steps`; how it sends
frames (rolling probe, back-pressure) in `gui.networks.frame_sender`.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

import numpy as np
from PySide6 import QtCore

from gui.networks.frame_sender import FrameSender
from gui.networks.training_steps import TrainingSteps
from models.blas import single_thread_blas
from models.experiment import Experiment
from models.rolling_probe import RollingProbe

__all__ = ["TrainingWorker"]


class TrainingWorker(QtCore.QObject, TrainingSteps, FrameSender):
    """Drive an `Experiment` in a worker thread; thread-safe command methods for the GUI.

    Training (`TrainingSteps`) and sending frames (`FrameSender`) are mixed in from their
    modules.

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
        Generation and step count, after training steps (at most `PROGRESS_RATE` a second,
        `gui.networks.training_steps`); cheap, so the status bar can show the step and
        speed between frames.
    paused_at_event(int, int, str)
        Generation, step and the events' text when auto-pause paused the run at a
        scheduled intervention.
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
        self.experiment: Experiment | None = None
        self.preset = None
        self.generation = 0
        self._run_generation = 0
        self.playing = False
        self.selected = 0
        self._thread: QtCore.QThread | None = None
        self.signals_emitted = 0
        self.busy = threading.Lock()
        self._init_steps()
        self._init_frames()

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
    # state it changed should be shown in a frame. `acknowledge` (a drawn frame) is in
    # `FrameSender`.
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
        self._apply_schedule()
        self._events_seen = len(experiment.history.events)
        self._credit = 0.0
        self._last_sent = None
        return True

    def _do_play(self) -> bool:
        if self.experiment is not None and self.experiment.step >= self.experiment.config.steps:
            return self._finish_run()
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

