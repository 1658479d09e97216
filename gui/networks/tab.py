"""The Networks tab: a live grid of activation x learning-rate networks and their dead units."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from gui.figures import Figure
from gui.lab_tab import LabTab
from gui.networks.figures import grid_table
from gui.networks.frame import Frame
from gui.networks.history import History
from gui.networks.hover import cell_text, unit_text
from gui.networks.layout import INTRO, build_ui
from gui.networks.live_view import LiveView
from gui.networks.presentation import Presentation
from gui.networks.replay import Replay
from gui.networks.session import parse_settings, parse_view_settings
from gui.networks.training_worker import TrainingWorker
from gui.networks.transport import Transport
from models.config import ExperimentConfig
from models.experiment import Experiment
from models.fields import FieldError
from models.presets import Preset, PresetError, load_preset

__all__ = ["NetworksTab"]


class NetworksTab(QtWidgets.QWidget, Transport, LiveView, Replay, Presentation, LabTab):
    """The live grid, its knobs, play controls, interventions and the selected cell's detail.

    Playing and pacing (`Transport`), drawing the frames (`LiveView`), the timeline
    (`Replay`) and the classroom lock (`Presentation`) are mixed in from their modules.

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
        self._pending: Frame | None = None
        self._history_drawn = (-1, -1, -1)
        self._init_live_view()
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
        self.hovered_text = ""
        self.replaying = False

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

    # -- the tab protocol -----------------------------------------------------------------
    def figures(self) -> list[Figure]:
        """Return every plot of the tab with the table of numbers behind it.

        The "Why units die" plots are among them once they show data (the view is drawn
        only after it has been opened).
        """
        d = self.detail
        return [Figure("networks_grid", self.grid.ci, self._grid_table),
                Figure("selected_loss", d.loss_plot, d.loss_table),
                Figure("selected_dead_fraction_per_layer", d.layers_plot, d.layers_table),
                Figure("selected_kymograph", d.kymo_plot, d.kymograph_table),
                Figure("selected_output", d.output_plot, d.output_table),
                *self.why.figures_with_data()]

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

    def shutdown(self) -> None:
        """Stop the worker thread and wait for it (safe to call twice)."""
        self._closed = True
        self._draw_timer.stop()
        self.why.shutdown()
        self.worker.stop()
