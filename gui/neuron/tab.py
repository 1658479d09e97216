"""The Neuron tab: a Brian2 LIF population against the best-fit Leaky ReLU."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from gui.field_widgets import widget_value
from gui.figures import Figure
from gui.lab_tab import LabTab
from gui.neuron import figures as neuron_figures
from gui.neuron.drawing import Drawer, SteadyPlots
from gui.neuron.intervals import Intervals
from gui.neuron.layout import build_panel, build_views
from gui.neuron.preview import StartingPanel, start_preview
from gui.neuron.results import ResultViews
from gui.neuron.settings import (
    CUSTOM_PRESET,
    JOBS,
    SCAN_CHOICES,
    SCHEMA_VERSION,
    START_PRESET,
    load_presets,
    validate_settings,
)
from gui.neuron.worker import NeuronRunner
from gui.runner import wait_until
from neuro.frequency_response import DEFAULT_FREQS_HZ
from neuro.parameters import FIELDS as PARAMETER_FIELDS
from neuro.parameters import LifParameters


class NeuronTab(QtWidgets.QWidget, ResultViews, LabTab):
    """Parameter panel, presets, Run / Cancel, progress and eight plots in three sub-tabs.

    The tab opens on the ``noisy`` preset. Simulations run in a persistent child process
    (see `gui.neuron.worker.NeuronRunner`); results are cached by parameters and drawn a
    plot item per event-loop turn (`gui.neuron.drawing`, `gui.neuron.results`).

    Public API: `figures`, `settings`, `apply_settings`, `run`, `run_default`,
    `wait_until_idle`, `cancel`, `shutdown`, `params`.
    """

    result_shown = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None, autorun: bool = True) -> None:
        super().__init__(parent)
        presets = load_presets()
        self.params = LifParameters.from_dict(presets[START_PRESET]["parameters"]
                                              if START_PRESET in presets else {})
        self._currents_text = ""
        self._freqs_text = ", ".join(f"{f:g}" for f in DEFAULT_FREQS_HZ)
        self._scan = "noise_mv"
        self._fit_offset = False
        self._cache: dict[tuple, object] = {}
        self._results: dict[str, tuple] = {}  # job -> (result, parameters, fit offset) shown
        self.intervals = Intervals(self)
        self._preview_key: tuple | None = None
        self._cv_params = None  # whose CV theory the simulation process computes
        self._pending: dict[str, tuple] = {}  # job -> cache key, for the current run
        self._request = 0
        self._job_count = 0
        self._done_jobs = 0
        self._autorun = autorun
        self._shown_once = False
        self._tables: dict[str, tuple] = {}
        self.runner = NeuronRunner(self)
        self.runner.runner.progress.connect(self._on_report)
        self.runner.runner.finished.connect(self._on_run_ended)
        self.runner.runner.cancelled.connect(self._on_run_ended)
        self.runner.runner.failed.connect(self._on_run_failed)
        self._build()
        # results are drawn a plot item per event-loop turn, the grid's layout held meanwhile
        self.drawer = Drawer(self, self.steady.hold)
        self.intervals.drawer = self.drawer
        self.intervals.plots = (self.plots["isi"], self.plots["cv_curve"])
        self.intervals.drawn.connect(self._tables.update)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # ----- construction -------------------------------------------------------------
    def _build(self) -> None:
        panel = build_panel(self)
        build_views(self)
        self.steady = SteadyPlots(self.plots.values())
        self.starting = StartingPanel(self.views)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(panel)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([320, 1200])
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._fill_fields()

    def _fill_fields(self) -> None:
        for name in PARAMETER_FIELDS:
            self.edits[name].set_value(getattr(self.params, name))
        self.edits["currents"].setText(self._currents_text)
        self.edits["freqs"].setText(self._freqs_text)
        self.scan_box.setCurrentIndex(list(SCAN_CHOICES).index(self._scan))
        blocked = self.offset_box.blockSignals(True)
        self.offset_box.setChecked(self._fit_offset)
        self.offset_box.blockSignals(blocked)
        for error in self.errors.values():
            error.hide()
            error.setText("")
        self._sync_preset_box()
        self._update_captions()

    def _sync_preset_box(self) -> None:
        """Show the preset the parameters match, or "(custom)"."""
        current = self.params.to_dict()
        match = CUSTOM_PRESET
        for name, data in self.presets.items():
            if LifParameters.from_dict(data["parameters"]).to_dict() == current:
                match = name
                break
        self.preset_box.setCurrentIndex(max(self.preset_box.findText(match), 0))
        description = self.presets.get(match, {}).get("description", "")
        self.preset_text.setText(description)
        self.preset_text.setVisible(bool(description))

    # ----- validation ---------------------------------------------------------------
    def _read_fields(self) -> dict:
        """Return the settings typed in the panel; raise ValueError naming the bad field."""
        values = {name: widget_value(self.edits[name]) for name in PARAMETER_FIELDS}
        return {"schema_version": SCHEMA_VERSION, "parameters": values,
                "currents": self.edits["currents"].text().strip(),
                "freqs": self.edits["freqs"].text().strip(), "scan": self._scan,
                "fit_offset": self._fit_offset}

    def _show_error(self, exc: ValueError) -> None:
        """Show `exc` under the field it names (`FieldError.field`), else under the first."""
        for error in self.errors.values():
            error.hide()
        message = str(exc)
        target = self.errors.get(getattr(exc, "field", None), self.errors["g_leak_ns"])
        target.setText(message)
        target.show()
        self.status.setText(message)

    def _on_edited(self) -> None:
        try:
            settings = self._read_fields()
            self._validate(settings)
        except ValueError as exc:
            self._show_error(exc)
            return
        self._apply_valid(settings)

    def _validate(self, settings: dict) -> tuple:
        return validate_settings(settings, self._freqs_text)

    def _apply_valid(self, settings: dict) -> None:
        (self.params, self._currents_text, self._freqs_text, self._scan,
         self._fit_offset) = self._validate(settings)
        self._fill_fields()
        self.status.setText("parameters changed: press Run" if not self._show_cached()
                            else "shown from cache")

    # ----- public API ---------------------------------------------------------------
    def settings(self) -> dict:
        """Return the tab's state as a JSON-able dict (``schema_version`` included)."""
        return {"schema_version": SCHEMA_VERSION, "parameters": self.params.to_dict(),
                "currents": self._currents_text, "freqs": self._freqs_text, "scan": self._scan,
                "fit_offset": self._fit_offset}

    def apply_settings(self, settings: dict) -> None:
        """Apply `settings` (as from `settings`); on a bad value raise ValueError, change nothing.

        Parameters
        ----------
        settings : dict
            ``parameters`` (any LifParameters fields; missing ones take defaults),
            ``currents``, ``freqs``, ``scan``, ``fit_offset`` (bool: draw and print the
            f-I fit with an output bias; default False, the 3-parameter fit),
            ``schema_version``.
        """
        self._validate(settings)
        self._apply_valid(settings)

    def figures(self) -> list[Figure]:
        """Return every plot as a Figure whose CSV table has unit-bearing headers."""
        empty = neuron_figures.empty_headers(self._scan)
        # read when exported: the plot menus hold these figures
        return [Figure(name, self.plots[name],
                       (lambda n=name, h=header: self._tables.get(n, (h, np.zeros((0, len(h)))))),
                       (lambda n=name: neuron_figures.spec_of(n, self._results,
                                                             self.intervals.cv)))
                for name, header in empty.items()]

    def run_preview(self) -> bool:
        """First visit: a cheap drive while the simulator starts, then everything (`preview`)."""
        return start_preview(self)

    def run(self) -> None:
        """Run (or show from cache) the drive, f-I, frequency response and alpha scan."""
        self.runner.cancel()
        self._pending.clear()
        starting = self.runner.child_pid is None
        missing = [job for job in JOBS if not self._show_cached(only=job)]
        specs = {job: self._payload(job) for job in missing}
        self._pending = {job: self._key(job) for job in missing}
        if "drive" in missing:
            specs = self._with_cv(specs, self.params)
        self.intervals.expect(self._pending.get("cv") and self.params)
        self._job_count = len(self._pending)
        self._done_jobs = 0
        if missing:
            self._request = self.runner.run(specs)
        self._set_busy(bool(missing))
        if not missing:
            self.status.setText("shown from cache")
        elif starting:
            self.status.setText("starting the simulation process (imports Brian2 once)...")
        else:
            self.status.setText(f"running {', '.join(missing)}")

    def run_default(self) -> None:
        """Run everything the figures need (for headless export); see `wait_until_idle`."""
        self.run()

    def is_idle(self) -> bool:
        """True when no job, CV theory or drawing is pending."""
        return not self._pending and not self.intervals.busy() and not self.drawer.busy()

    def wait_until_idle(self, timeout_s: float = 300.0) -> bool:
        """Process events until `is_idle`; return False on timeout."""
        return wait_until(self.is_idle, timeout_s)

    def cancel(self) -> None:
        """Cancel the running and queued simulations; the plots keep their last results."""
        self.runner.cancel()
        self._pending.clear()
        self.intervals.expect(None)
        self._set_busy(False)
        self.starting.hide()
        self.status.setText("cancelled")

    def shutdown(self) -> bool:
        """Cancel, stop the simulation process and the listener thread (within 2 s).

        Called when the tab is closed as a window and when the application quits; safe
        to call more than once.
        """
        self._pending.clear()
        self._set_busy(False)
        self.drawer.drop()
        self.intervals.shutdown()
        return self.runner.shutdown(2000)

    # ----- replies ----------------------------------------------------------------------
    def _on_report(self, request: int, report: tuple) -> None:
        """One reply of the current run: ``(kind, job, value)``; the runner drops stale ones."""
        if request != self._request:
            return
        kind, job, value = report
        if kind == "progress":
            self._on_progress(value)
        elif kind == "finished":
            self._on_finished(job, value)
        elif kind == "failed":
            self._on_failed(job, value)

    def _on_progress(self, fraction: float) -> None:
        if self._pending and self._job_count:
            if self.status.text().startswith("starting"):
                self.status.setText("running " + ", ".join(k[0] for k in self._pending.values()))
            overall = (self._done_jobs + fraction) / self._job_count
            self.progress_bar.setValue(int(1000 * min(overall, 1.0)))

    def _on_finished(self, job: str, result) -> None:
        key = self._pending.pop(job, None)
        if key is None:
            return  # cancelled meanwhile
        if job == "cv":
            self._done_jobs += 1
            self.intervals.provide(self._cv_params, result)
            self._after_job()
            return
        if key == self._preview_key:
            self._preview_key = None
            self._show(job, result, preview=True)
            self.run()
            return
        self._cache[key] = result
        self._done_jobs += 1
        if key == self._key(job):
            self._show(job, result)
        self._after_job()

    def _on_failed(self, job: str, message: str) -> None:
        if self._pending.pop(job, None) is not None:
            if job == "cv":
                self.intervals.provide(self._cv_params, None)
            self.starting.hide()  # the error is what there is to see
            self._done_jobs += 1
            self.status.setText(f"error: {message}")
            self._after_job(keep_status=True)

    def _on_run_ended(self, request: int, _results) -> None:
        """The run is over: jobs still pending were cancelled."""
        if request == self._request and self._pending:
            self._pending.clear()
            self.intervals.expect(None)
            self._after_job()

    def _on_run_failed(self, request: int, message: str) -> None:
        if request == self._request and self._pending:
            self._pending.clear()
            self.intervals.expect(None)
            self.status.setText(f"error: {message}")
            self._after_job(keep_status=True)

    def _after_job(self, keep_status: bool = False) -> None:
        if not self._pending:
            if not self._results and not self.drawer.busy():
                self.starting.hide()  # failed or cancelled before anything was drawn
            self._set_busy(False)
            self.progress_bar.setValue(1000)
            if not keep_status:
                self.status.setText("done")

    def _set_busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress_bar.setValue(0)
        self._update_captions()  # a run in progress says so where its plots are still empty

    def _on_preset(self, index: int) -> None:
        name = self.preset_box.itemText(index)
        if name in self.presets:
            self.apply_settings({**self.settings(),
                                 "parameters": self.presets[name]["parameters"]})
            if self._autorun and self._shown_once:
                self.run()  # a preset is a demonstration: show it (instant when cached)
        else:
            self._sync_preset_box()

    def _on_offset_toggled(self, checked: bool) -> None:
        """Redraw the f-I fit with or without an output bias (both are fitted already)."""
        self._fit_offset = bool(checked)
        self._show_cached(only="fi")

    def _on_scan_choice(self, index: int) -> None:
        self.apply_settings({**self.settings(), "scan": self.scan_box.itemData(index)})

    # ----- Qt events ----------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """On first show, start the default runs (off the UI thread)."""
        super().showEvent(event)
        if self._autorun and not self._shown_once:
            self._shown_once = True
            QtCore.QTimer.singleShot(0, self.run_preview)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Stop the worker when the tab is closed as a window."""
        self.shutdown()
        super().closeEvent(event)
