"""The Networks tab: a live grid of activation x learning-rate networks and their dead units."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from gui.figures import Figure
from gui.lab_tab import LabTab
from gui.networks.figures import grid_table
from gui.networks.grid import format_lr, pretty_activation
from gui.networks.history import History
from gui.networks.hover import cell_text, unit_text
from gui.networks.layout import INTRO, LAPSE, PACES, build_ui
from gui.networks.session import parse_settings, parse_view_settings
from gui.networks.training_worker import Frame, TrainingWorker
from models.config import ExperimentConfig
from models.experiment import Experiment
from models.fields import FieldError
from models.presets import Preset, PresetError, load_preset

FRAME_INTERVAL_S = 1.0 / 60.0  # never draw faster than the screen
DRAW_SHARE = 0.2  # drawing may take at most this share of the GUI thread's (and GIL's) time
DETAIL_INTERVAL_S = 0.25  # the detail plots change slowly: redraw them at most 4 times a second



class NetworksTab(QtWidgets.QWidget, LabTab):
    """The live grid, its knobs, play controls, interventions and the selected cell's detail.

    Parameters
    ----------
    config : ExperimentConfig, optional
        The experiment to start with (the default grid when None).
    max_rate : float
        Most frames per second the worker sends.

    Signals
    -------
    status_changed()
        Step, speed or running state changed (for the window's status bar).
    message(str)
        A short message for the status bar.
    """

    status_changed = QtCore.Signal()
    message = QtCore.Signal(str)

    def __init__(self, config: ExperimentConfig | None = None, max_rate: float = 30.0,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config or ExperimentConfig()
        self.preset: Preset | None = None
        self.preset_name: str | None = None
        self.experiment: Experiment | None = None
        self.generation = 0
        self.selected = 0
        self.history: History | None = None
        self.last_frame: Frame | None = None
        self.shown_step = -1
        self.frames_drawn = 0
        self.frames_dropped = 0
        self.frame_times: deque[float] = deque(maxlen=240)
        self._draw_times: deque[float] = deque(maxlen=120)
        self._rate_marks: deque[tuple[float, int]] = deque(maxlen=60)
        self._pending: Frame | None = None
        self._last_draw = 0.0
        self._last_detail = 0.0
        self._frame_cost = 0.0
        self._previous_draw = 0.0
        self._paint_mark = (0.0, 0.0)
        self._previous_cpu = 0.0
        self.frame_cpu_times: deque[float] = deque(maxlen=240)
        self._history_drawn = (-1, -1, -1)
        self.playing = False
        self.finished = False
        self.paused_steps: list[int] = []
        self.locked = False
        self._closed = False

        self.worker = TrainingWorker(max_rate=max_rate)
        self.worker.frame_ready.connect(self._on_frame)
        self.worker.error.connect(self._on_worker_error)
        self.worker.finished_steps.connect(self._on_finished)
        self.worker.progress.connect(self._on_progress)
        self.worker.paused_at_event.connect(self._on_paused_at_event)
        self._unacknowledged = 0
        self._events_shown = -1
        self.hovered_text = ""
        self.replaying = False
        self.progress_step = 0
        self.signals_received = 0

        self._build_ui()
        self._install_keys()
        self.set_pace_index(0)
        self._draw_timer = QtCore.QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.timeout.connect(self.draw)
        self.worker.start()
        if not self.apply_config(self.config):
            self.apply_config(ExperimentConfig())
        self._show_story()

    # -- layout ---------------------------------------------------------------------------
    def _build_ui(self) -> None:
        build_ui(self)

    # -- experiment lifecycle -------------------------------------------------------------
    def apply_config(self, config: ExperimentConfig, preset: Preset | None = None) -> bool:
        """Start a new experiment from `config` (keeps playing if it was).

        On failure (the data cannot be loaded, say) a message is shown and the previous
        experiment keeps running. Returns True on success.
        """
        try:
            experiment = Experiment(config)
        except (ValueError, OSError) as exc:
            self.show_error(f"Could not start the experiment: {exc}")
            self.controls.set_config(self.config)
            return False
        was_playing = self.playing
        if was_playing:
            self.worker.pause()
        self.config = config
        self.preset = preset
        self.experiment = experiment
        self.generation = self.worker.reset(experiment, preset)
        self._pending = None
        self.last_frame = None
        self.shown_step = -1
        self.progress_step = 0
        self._rate_marks.clear()
        self.history = History(config.n_networks, config.depth, config.width)
        self._history_drawn = (-1, -1, -1)
        self.grid.build(list(config.activations), list(config.lrs))
        self.detail.configure(experiment.dataset.x, experiment.dataset.y, experiment.dataset.task,
                              experiment.loss_name, config.depth, config.width,
                              test=(experiment.test_dataset.x, experiment.test_dataset.y),
                              probe=config.probe)
        self.why.configure(experiment, self.worker.busy, self.generation,
                           list(config.activations), list(config.lrs))
        self.controls.set_config(config)
        self.controls.show_message("")
        self.selected = min(self.selected, config.n_networks - 1)
        self.grid.select(self.selected)
        self.worker.select(self.selected)
        self.why.set_cell(self.selected)
        self.events.setText("")
        self.events.setToolTip("")
        self._events_shown = -1
        self.finished = False
        self.paused_steps = []
        if was_playing:
            self.worker.play()
        self.status_changed.emit()
        return True

    def reset(self) -> None:
        """Rebuild every network from its initial weights (same config, same preset).

        Does nothing while the controls are locked (Reset is hidden then).
        """
        if self.locked:
            return
        self.apply_config(self.config, self.preset)

    def load_preset(self, name: str) -> bool:
        """Load preset `name`; on a bad name show a message and keep the current settings.

        Returns
        -------
        bool
            True when the preset was loaded.
        """
        try:
            preset = load_preset(name)
        except PresetError as exc:
            self.show_error(str(exc))
            return False
        if not self.apply_config(preset.config, preset):
            return False
        self.preset_name = name
        self._show_story()
        self.message.emit(f"Loaded preset {preset.title}")
        return True

    def _show_story(self) -> None:
        if self.preset is not None:
            self.explanation_title.setText(f"<b>Preset: {self.preset.title}</b>")
            self.explanation.setText(self.preset.explanation)
        else:
            self.explanation_title.setText("<b>The Networks grid</b>")
            self.explanation.setText(INTRO)

    def show_error(self, text: str) -> None:
        """Show an error message in the tab and the status bar (non-modal)."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        if text:
            self.message.emit(text)

    def _on_controls_edited(self) -> None:
        try:
            config = self.controls.read_config(self.config)
        except FieldError as exc:
            text = self.controls.describe(exc)
            self.controls.show_message(text)
            self.message.emit(text)
            return
        self.controls.show_message("")
        if config == self.config:
            return
        keep = self.preset if (self.preset is not None
                               and config.n_networks == self.config.n_networks) else None
        if self.apply_config(config, keep):
            self.show_error("")
            if self.preset is None:
                self.preset_name = None
                self._show_story()

    # -- transport ------------------------------------------------------------------------
    def play(self) -> None:
        """Start training; at the end of the run, start it again from step 0."""
        if self.finished:
            self.apply_config(self.config, self.preset)
        self.playing = True
        self.worker.play()
        self._sync_buttons()

    def pause(self) -> None:
        """Pause training."""
        self.playing = False
        self.worker.pause()
        self._sync_buttons()

    def play_pause(self) -> None:
        """Toggle play / pause."""
        self.pause() if self.playing else self.play()

    def step_once(self, steps: int | None = None) -> None:
        """Pause and take `steps` training steps (the Step size shown by default).

        Does nothing while the controls are locked (Step is hidden then).
        """
        if self.locked:
            return
        self.playing = False
        self._sync_buttons()
        self.worker.step(int(self.step_size.currentData()) if steps is None else int(steps))

    # -- pace -----------------------------------------------------------------------------
    def _install_keys(self) -> None:
        """+ and - change the pace (tab-wide; they do nothing while the controls are locked)."""
        self._pace_keys = []
        for keys, delta in ((("+", "="), 1), (("-",), -1)):
            for key in keys:
                shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), self)
                shortcut.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(lambda d=delta: self.change_pace(d))
                self._pace_keys.append(shortcut)

    def pace_steps_per_s(self) -> float | str | None:
        """Return the pace shown: steps per second, ``"time-lapse"`` or None (full speed)."""
        return PACES[self.pace.value()]

    def set_pace_index(self, index: int) -> None:
        """Set the pace slider to stop `index` of `PACES` (clamped)."""
        index = min(max(int(index), 0), len(PACES) - 1)
        if self.pace.value() != index:
            self.pace.setValue(index)
        else:
            self._on_pace_slider(index)

    def change_pace(self, delta: int) -> None:
        """Move the pace `delta` stops faster (positive) or slower (negative)."""
        if not self.locked or self.pace.isVisible():
            self.set_pace_index(self.pace.value() + int(delta))

    def _on_pace_slider(self, index: int) -> None:
        pace = PACES[index]
        if pace == LAPSE:
            self.pace_value.setText("time-lapse")
            self.pace.setToolTip("Time-lapse: 1 step/s at first, faster as the run goes on "
                                 "(+ / - change the pace)")
            self.worker.set_pace(None, lapse=True)
        elif pace is None:
            self.pace_value.setText("full speed")
            self.worker.set_pace(None)
        else:
            self.pace_value.setText(f"{pace:g} steps/s")
            self.worker.set_pace(float(pace))

    def set_auto_pause(self, on: bool) -> None:
        """Pause at every scheduled intervention (a kick, a switch, an outlier) when `on`."""
        if self.auto_pause.isChecked() != bool(on):
            self.auto_pause.setChecked(bool(on))
        self.worker.set_auto_pause(bool(on))

    def _on_paused_at_event(self, generation: int, step: int, text: str) -> None:
        if generation != self.generation:
            return
        self.playing = False
        self.paused_steps.append(step)
        self._sync_buttons()
        self.message.emit(f"Paused at step {step:,}: {text}. Play goes on.")

    def set_settings_open(self, visible: bool) -> None:
        """Open or close the settings side panel."""
        if self.settings_button.isChecked() != bool(visible):
            self.settings_button.setChecked(bool(visible))
        self.controls_scroll.setVisible(bool(visible) and not self.locked)

    def _sync_buttons(self) -> None:
        self.play_button.setChecked(self.playing)
        self.play_button.setText("Pause" if self.playing else "Play")
        self.play_button.setIcon(self._icons["pause" if self.playing else "play"])
        self.status_changed.emit()

    def _on_finished(self, generation: int) -> None:
        if generation == self.generation:
            self.playing = False
            self.finished = True
            self._sync_buttons()
            self.message.emit(f"Reached {self.config.steps} steps; Play starts the run again")

    # -- interventions --------------------------------------------------------------------
    def _scope_cells(self, scope: str | None) -> list[int] | None:
        scope = scope or ("selected" if self.scope.currentIndex() == 1 else "all")
        return [self.selected] if scope == "selected" else None

    def thermal_kick(self, scope: str | None = None) -> None:
        """Kick the dead units of every cell (``scope="all"``) or the selected one."""
        self.worker.intervene(Experiment.thermal_kick, self._scope_cells(scope))

    def switch_selected(self, name: str = "leaky_relu") -> None:
        """Switch the selected cell to activation `name` (Leaky ReLU by default)."""
        self.worker.intervene(Experiment.switch_activation, self.selected, name)

    def inject_outlier(self, scope: str | None = None) -> None:
        """Make the next step of every cell (or the selected one) use an outlier batch."""
        self.worker.intervene(Experiment.inject_outlier, self._scope_cells(scope))

    def select(self, index: int) -> None:
        """Select cell `index` for the detail plots."""
        if self.locked:
            return
        index = int(index)
        if not 0 <= index < self.config.n_networks:
            return
        self.selected = index
        self.grid.select(index)
        self.worker.select(index)
        self.why.set_cell(index)
        self._history_drawn = (-1, -1, -1)
        self._schedule_draw()

    # -- replay ---------------------------------------------------------------------------
    def replay_step(self, step: int) -> int:
        """Show the recorded step at or before `step` in the grid, the detail and the hover.

        Returns the step shown. Training goes on meanwhile; `go_live` shows it again.
        """
        history = self.experiment.history
        index = history.index_at(int(step))
        self.replaying = True
        snap = history.snapshot(index)
        self.grid.update_snapshot(snap, live=False)
        self.shown_step = snap.step
        cell = history.cell(self.selected)  # every probe up to the replayed step
        n = index + 1
        self.detail.set_history(
            {"steps": cell["steps"][:n], "loss": cell["loss"][:n],
             "dead_layers": cell["dead_layers"][:n],
             "activity": cell["activity"][:n].reshape(n, -1),
             "dead": cell["dead"][:n].reshape(n, -1),
             **{k: cell[k][:n] for k in ("test_loss", "train_accuracy", "test_accuracy")}},
            self.cell_name())
        self.why.refresh(index)
        self._history_drawn = (-1, -1, -1)
        self.timeline_label.setText(f"replay: step {snap.step:,}")
        self.step_label.setText(f"step {snap.step:,} (replay)")
        return snap.step

    def go_live(self) -> None:
        """Leave the replay and show the newest frame again."""
        self.replaying = False
        self.timeline_label.setText("live")
        self._history_drawn = (-1, -1, -1)
        self.draw()

    def _on_timeline_pressed(self) -> None:
        self._on_timeline_moved(self.timeline.value())

    def _on_timeline_moved(self, index: int) -> None:
        if not self.timeline.isSliderDown() or self.experiment is None:
            return
        steps = self.experiment.history.recorded_steps
        if len(steps):
            self.replay_step(int(steps[min(int(index), len(steps) - 1)]))

    def _on_timeline_released(self) -> None:
        self.go_live()

    def _sync_timeline(self) -> None:
        count = self.experiment.history.count if self.experiment is not None else 0
        if self.timeline.isSliderDown():
            return
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, max(count - 1, 0))
        self.timeline.setValue(max(count - 1, 0))
        self.timeline.blockSignals(False)

    # -- hover ----------------------------------------------------------------------------
    def hover_text(self, cell: int, layer: int = -1, unit: int = -1) -> str:
        """Return what hovering shows over `cell` (its unit at `layer`, `unit` when given).

        Numbers are those of the step shown, read from the engine's history.
        """
        if self.experiment is None or not 0 <= cell < self.config.n_networks:
            return ""
        step = self.shown_step if self.shown_step >= 0 else None
        try:
            text = cell_text(self.experiment, cell, step)
            if layer >= 0 and unit >= 0:
                text = unit_text(self.experiment, cell, layer, unit, step) + "\n\n" + text
        except IndexError:  # nothing recorded yet
            return ""
        return text

    def _on_hover(self, cell: int, layer: int, unit: int) -> None:
        text = self.hover_text(cell, layer, unit) if cell >= 0 else ""
        self.hovered_text = text
        if text:
            QtWidgets.QToolTip.showText(QtGui.QCursor.pos(), text, self.grid)
        else:
            QtWidgets.QToolTip.hideText()

    # -- frames ---------------------------------------------------------------------------
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
        """Return the selected cell's name, e.g. ``ReLU, lr 0.3``."""
        labels = labels or (self.last_frame.snapshot.labels if self.last_frame else
                            self.grid.labels)
        act, lr = labels[self.selected]
        return f"{pretty_activation(act)}, lr {format_lr(lr)}"

    def _on_worker_error(self, generation: int, text: str) -> None:
        if generation == self.generation:
            self.show_error(text)
            self.playing = False
            self._sync_buttons()

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

    # -- the tab protocol -----------------------------------------------------------------
    def figures(self) -> list[Figure]:
        """Return every plot of the tab with the table of numbers behind it."""
        d = self.detail
        return [Figure("networks_grid", self.grid.ci, self._grid_table),
                Figure("selected_loss", d.loss_plot, d.loss_table),
                Figure("selected_dead_fraction_per_layer", d.layers_plot, d.layers_table),
                Figure("selected_kymograph", d.kymo_plot, d.kymograph_table),
                Figure("selected_output", d.output_plot, d.output_table)]

    def _grid_table(self):
        return grid_table(self.last_frame.snapshot if self.last_frame is not None else None)

    def settings(self) -> dict[str, Any]:
        """Return the tab's state as a JSON-able dict."""
        return {"config": self.config.to_dict(), "preset": self.preset_name,
                "selected": self.selected,
                "scope": "selected" if self.scope.currentIndex() == 1 else "all",
                "detail_view": self.detail_area.view, "why_page": self.why.page,
                "unit": list(self.why.unit[1:]) if self.why.unit is not None else None}

    def apply_settings(self, settings: dict[str, Any]) -> None:
        """Restore a state from `settings`; on bad input raise ValueError and keep the state.

        Raises
        ------
        ValueError
            Naming the bad field (``config.lrs``, ``preset``, ``selected`` ...).
        """
        config, preset, name, selected, scope = parse_settings(settings, self.config)
        view, page, unit = parse_view_settings(settings, config)
        self.why.clear_unit()
        self.selected = selected
        self.scope.setCurrentIndex(1 if scope == "selected" else 0)
        self.apply_config(config, preset)
        self.preset_name = name if preset is not None else None
        self._show_story()
        self.detail_area.set_view(view)
        self.why.set_page(page)
        if unit is not None:
            self.why.select_unit(selected, *unit)

    # -- presentation -------------------------------------------------------------------
    def set_controls_visible(self, visible: bool) -> None:
        """Show or tuck away the settings panel (presentation mode tucks it away).

        The panel's own toggle keeps its state, so showing the controls again restores
        whatever the user had chosen.
        """
        self._controls_shown = bool(visible)
        self.controls_scroll.setVisible(visible and self.settings_button.isChecked()
                                        and not self.locked)

    def lockable_widgets(self) -> list[QtWidgets.QWidget]:
        """Return every control that locking hides."""
        return [self.settings_button, self.step_button, self.step_size, self.reset_button,
                self.pace_label, self.pace, self.pace_value, self.auto_pause,
                self.scope_label, self.scope, self.kick_button, self.outlier_button,
                self.switch_button]

    def set_locked(self, locked: bool) -> None:
        """Lock the tab for a class: only the grid, the story and the Play button remain.

        Every hidden control is also disabled, so its keyboard shortcut does nothing.
        """
        self.locked = bool(locked)
        for widget in self.lockable_widgets():
            widget.setVisible(not locked)
            widget.setEnabled(not locked)
        self.controls.setEnabled(not locked)
        self.controls_scroll.setVisible(not locked and self.settings_button.isChecked()
                                        and getattr(self, "_controls_shown", True))
        for shortcut in self._pace_keys:
            shortcut.setEnabled(not locked)
        self.detail_area.setVisible(not locked)
        self.grid.set_click_hint(not locked)

    def shutdown(self) -> None:
        """Stop the worker thread and wait for it (safe to call twice)."""
        self._closed = True
        self._draw_timer.stop()
        self.why.shutdown()
        self.worker.stop()
