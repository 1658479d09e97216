"""The Neuron tab: a Brian2 LIF population against the best-fit Leaky ReLU."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.figures import Figure
from gui.lab_tab import LabTab
from gui.neuron import figures as neuron_figures
from gui.neuron import plots as neuron_plots
from gui.neuron.worker import NeuronRunner
from gui.runner import wait_until
from neuro.frequency_response import DEFAULT_FREQS_HZ
from neuro.parameters import LifParameters

PRESET_DIR = Path(__file__).resolve().parents[2] / "resources" / "presets" / "neuron"
SCHEMA_VERSION = 1
JOBS = ("drive", "fi", "scan", "response")  # slowest last: the first tabs fill first

FIELD_LABELS = {
    "g_leak_ns": ("leak conductance g_L", "nS"), "c_m_pf": ("capacitance C_m", "pF"),
    "e_leak_mv": ("leak reversal E_L", "mV"), "v_th_mv": ("threshold V_th", "mV"),
    "v_reset_mv": ("reset V_reset", "mV"), "t_ref_ms": ("refractory t_ref", "ms"),
    "noise_mv": ("noise sigma", "mV"), "i0_na": ("mean current I_0", "nA"),
    "i1_na": ("amplitude I_1", "nA"), "freq_hz": ("drive frequency f", "Hz"),
    "n_neurons": ("neurons N", ""), "duration_s": ("duration", "s"), "seed": ("seed", ""),
    "dt_ms": ("time step dt", "ms"),
}
EXTRA_LABELS = {"currents": ("f-I currents", "nA"), "freqs": ("response frequencies", "Hz")}
SCAN_CHOICES = {"noise_mv": "noise sigma", "g_leak_ns": "leak g_L"}
FIELD_GROUPS = (
    ("Membrane", ("g_leak_ns", "c_m_pf", "e_leak_mv", "v_th_mv", "v_reset_mv", "t_ref_ms")),
    ("Input", ("i0_na", "i1_na", "freq_hz", "noise_mv")),
    ("Simulation", ("n_neurons", "duration_s", "seed", "dt_ms")),
    ("Analyses", ("currents", "freqs")),
)
FIELD_TIPS = {
    "noise_mv": "white-noise amplitude sigma (tau dV/dt = ... + sigma sqrt(tau) xi); "
                "0 makes every neuron identical and phase-locked",
    "currents": "a,b,c or START:STOP:N in nA; empty: 40 currents centred on the rheobase "
                "(0 to 2.5x rheobase, 40% of them below it)",
    "freqs": "comma-separated drive frequencies in Hz for the frequency response",
}
START_PRESET = "noisy"  # the tab opens on this preset (the command line keeps noise 0)
CUSTOM_PRESET = "(custom)"
# Sub-tabs: (title, one-line caption, rows of plot names).
VIEW_LAYOUT = (
    ("Drive", "Sinusoidal drive I0 + I1 sin(2 pi f t). The leak current follows V; for slow "
              "drive the noisy population's rate follows the Leaky ReLU's rate for the same "
              "input.",
     (("currents", "voltage"), ("raster", "population_rate"))),
    ("f-I curve", "Noise lets the neuron fire below rheobase: a smooth foot on the f-I curve. "
                  "alpha of the 3-parameter fit stays 0: its leaky side is negative; with an "
                  "output offset, alpha grows with noise. The line and numbers show the "
                  "3-parameter fit of the spec (as in the command line's fit.json) so you see "
                  "the analogy fail first; tick \"fit with output offset\" to see the foot "
                  "fitted. Right: the fit's alpha, gain and threshold against noise or g_L. "
                  "At dt = 0.1 ms the simulated noisy rate sits 3-6% below Siegert near "
                  "threshold (a discrete-time bias); dt = 0.02 ms cuts that to 1-3% but the "
                  "f-I curve then takes ~4x as long (about 11 s).",
     (("fi_curve", "alpha_scan"),)),
    ("Frequency response", "A Leaky ReLU is instantaneous: flat gain, no lag. A noisy LIF "
                           "population is low-pass: its gain falls and its phase lags "
                           "toward -45 deg as the drive gets faster. Here the analogy breaks. "
                           "Dashed orange: the LIF's static slope dr/dI at I0 (Siegert), where "
                           "its gain starts at low f; the Leaky ReLU's gain comes from a "
                           "global fit and differs from it before any dynamics.",
     (("response_gain",), ("response_phase",))),
)
PLACEHOLDER_TITLES = {
    "currents": "Input and leak current", "voltage": "Membrane potential and spikes",
    "raster": "Spike raster", "population_rate": "Population rate",
    "fi_curve": "f-I curve", "alpha_scan": "Fitted Leaky ReLU: alpha, gain, threshold",
    "response_gain": "Frequency response: gain", "response_phase": "Frequency response: phase",
}


def parse_currents(text: str) -> list[float] | None:
    """Parse ``a,b,c`` or ``START:STOP:N`` (empty: the default range). Raises ValueError."""
    text = text.strip()
    if not text:
        return None
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ValueError(f"currents: {text!r} is not START:STOP:N")
        start, stop = (_number(p, "currents") for p in parts[:2])
        try:
            count = int(parts[2])
        except ValueError:
            raise ValueError(f"currents: {parts[2]!r} is not an integer") from None
        if count < 1:
            raise ValueError(f"currents: N in {text!r} must be at least 1")
        return [float(v) for v in np.linspace(start, stop, count)]
    return [_number(t, "currents") for t in text.split(",") if t.strip()]


def parse_freqs(text: str) -> list[float]:
    """Parse a comma list of positive frequencies (empty: the defaults). Raises ValueError."""
    if not text.strip():
        return list(DEFAULT_FREQS_HZ)
    values = [_number(t, "freqs") for t in text.split(",") if t.strip()]
    for value in values:
        if value <= 0:
            raise ValueError(f"freqs: {value:g} must be greater than 0")
    return values


def _number(text: str, name: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{name}: {text.strip()!r} is not a number") from None
    if not np.isfinite(value):
        raise ValueError(f"{name}: {text.strip()!r} is not a finite number")
    return value


def load_presets() -> dict[str, dict]:
    """Return the neuron presets ``{name: {"description", "parameters"}}`` from JSON files."""
    presets = {}
    for path in sorted(PRESET_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        presets[data["name"]] = data
    return presets


class NeuronTab(QtWidgets.QWidget, LabTab):
    """Parameter panel, presets, Run / Cancel, progress and eight plots in three sub-tabs.

    The tab opens on the ``noisy`` preset. Simulations run in a persistent child process
    (see `gui.neuron.worker.NeuronRunner`); results are cached by parameters.

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
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # ----- construction -------------------------------------------------------------
    def _build(self) -> None:
        self.presets = load_presets()
        self.preset_box = QtWidgets.QComboBox()
        self.preset_box.addItem(CUSTOM_PRESET)
        for name, data in self.presets.items():
            self.preset_box.addItem(name)
            self.preset_box.setItemData(self.preset_box.count() - 1, data["description"],
                                        QtCore.Qt.ItemDataRole.ToolTipRole)
        self.preset_box.activated.connect(self._on_preset)
        self.preset_text = QtWidgets.QLabel("")
        self.preset_text.setWordWrap(True)
        self.run_button = QtWidgets.QPushButton("Run")
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.status = QtWidgets.QLabel("ready")
        self.status.setWordWrap(True)
        self.fit_label = QtWidgets.QLabel("")
        self.fit_label.setWordWrap(True)
        self.fit_label.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QtWidgets.QWidget()
        top_form = QtWidgets.QFormLayout(top)
        top_form.setContentsMargins(0, 0, 0, 0)
        top_form.addRow("preset", self.preset_box)
        top_form.addRow(self.preset_text)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        top_form.addRow(buttons)
        top_form.addRow(self.progress_bar)
        top_form.addRow(self.status)
        self.offset_box = QtWidgets.QCheckBox("fit with output offset")
        self.offset_box.setObjectName("fit_offset")
        self.offset_box.setToolTip(
            "off: the 3-parameter fit gain*max(alpha z, z), whose alpha stays 0 because its "
            "leaky side is negative; on: offset + gain*max(alpha z, z), whose alpha grows "
            "with noise")
        self.offset_box.toggled.connect(self._on_offset_toggled)
        fit_box = QtWidgets.QGroupBox("Best-fit Leaky ReLU (f-I curve)")
        fit_layout = QtWidgets.QVBoxLayout(fit_box)
        fit_layout.addWidget(self.offset_box)
        fit_layout.addWidget(self.fit_label)
        top_form.addRow(fit_box)

        fields_panel = QtWidgets.QWidget()
        fields_layout = QtWidgets.QVBoxLayout(fields_panel)
        fields_layout.setContentsMargins(0, 0, 4, 0)
        self.edits: dict[str, QtWidgets.QLineEdit] = {}
        self.errors: dict[str, QtWidgets.QLabel] = {}
        labels = {**FIELD_LABELS, **EXTRA_LABELS}
        for group_name, names in FIELD_GROUPS:
            group = QtWidgets.QGroupBox(group_name)
            form = QtWidgets.QFormLayout(group)
            form.setFieldGrowthPolicy(
                QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                label, unit = labels[name]
                edit = QtWidgets.QLineEdit()
                edit.setObjectName(name)
                edit.setToolTip(FIELD_TIPS.get(name, ""))
                edit.editingFinished.connect(self._on_edited)
                error = QtWidgets.QLabel()
                error.setObjectName(f"{name}_error")
                error.setStyleSheet("color: #e5484d;")
                error.setWordWrap(True)
                error.hide()
                box = QtWidgets.QVBoxLayout()
                box.setContentsMargins(0, 0, 0, 0)
                box.addWidget(edit)
                box.addWidget(error)
                form.addRow(f"{label} ({unit})" if unit else label, box)
                self.edits[name], self.errors[name] = edit, error
            if group_name == "Analyses":
                self.scan_box = QtWidgets.QComboBox()
                for key, text in SCAN_CHOICES.items():
                    self.scan_box.addItem(text, key)
                self.scan_box.activated.connect(self._on_scan_choice)
                form.addRow("alpha scan against", self.scan_box)
            fields_layout.addWidget(group)
        fields_layout.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(fields_panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        panel = QtWidgets.QWidget()
        panel_layout = QtWidgets.QVBoxLayout(panel)
        panel_layout.setContentsMargins(4, 4, 4, 4)
        panel_layout.addWidget(top)
        panel_layout.addWidget(scroll, 1)
        panel.setMinimumWidth(300)
        panel.setMaximumWidth(420)

        self.plots: dict[str, pg.PlotItem] = {}
        self.views = QtWidgets.QTabWidget()
        self.views.setObjectName("neuron_views")
        self.graphics: dict[str, pg.GraphicsLayoutWidget] = {}
        for title, caption, grid in VIEW_LAYOUT:
            page = QtWidgets.QWidget()
            page_layout = QtWidgets.QVBoxLayout(page)
            page_layout.setContentsMargins(4, 4, 4, 4)
            note = QtWidgets.QLabel(caption)
            note.setWordWrap(True)
            page_layout.addWidget(note)
            graphics = pg.GraphicsLayoutWidget()
            for row, names in enumerate(grid):
                for col, name in enumerate(names):
                    item = neuron_figures.add_figure_item(graphics.ci, name, row, col)
                    item.setTitle(PLACEHOLDER_TITLES[name])
                    self.plots[name] = item
            page_layout.addWidget(graphics, 1)
            self.graphics[title] = graphics
            self.views.addTab(page, title)
        self.plots["voltage"].setXLink(self.plots["currents"])
        self.plots["population_rate"].setXLink(self.plots["raster"])
        self.plots["response_phase"].setXLink(self.plots["response_gain"])

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
        for name in FIELD_LABELS:
            value = getattr(self.params, name)
            self.edits[name].setText(f"{value:g}" if isinstance(value, float) else str(value))
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
        values = {}
        for f in fields(LifParameters):
            text = self.edits[f.name].text().strip()
            try:
                values[f.name] = int(text) if f.type in ("int", int) else float(text)
            except ValueError:
                kind = "an integer" if f.type in ("int", int) else "a number"
                raise ValueError(f"{f.name} ({text!r}) must be {kind}") from None
        return {"schema_version": SCHEMA_VERSION, "parameters": values,
                "currents": self.edits["currents"].text().strip(),
                "freqs": self.edits["freqs"].text().strip(), "scan": self._scan,
                "fit_offset": self._fit_offset}

    def _show_error(self, message: str) -> None:
        for error in self.errors.values():
            error.hide()
        field = message.split(" ", 1)[0].rstrip(":")
        target = self.errors.get(field)
        if target is None:
            target = next((self.errors[n] for n in self.errors if n in message),
                          self.errors["g_leak_ns"])
        target.setText(message)
        target.show()
        self.status.setText(message)

    def _on_edited(self) -> None:
        try:
            settings = self._read_fields()
            self._validate(settings)
        except ValueError as exc:
            self._show_error(str(exc))
            return
        self._apply_valid(settings)

    def _validate(self, settings: dict) -> tuple:
        if not isinstance(settings, dict):
            raise ValueError("settings must be a mapping")
        unknown = set(settings) - {"schema_version", "parameters", "currents", "freqs", "scan",
                                   "fit_offset"}
        if unknown:
            raise ValueError(f"unknown setting {sorted(unknown)[0]!r}")
        version = settings.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ValueError(f"schema_version ({version!r}) must be {SCHEMA_VERSION}")
        params = LifParameters.from_dict(settings.get("parameters", {}))
        currents_text = str(settings.get("currents", ""))
        freqs_text = str(settings.get("freqs", self._freqs_text))
        parse_currents(currents_text)
        parse_freqs(freqs_text)
        scan = settings.get("scan", "noise_mv")
        if scan not in SCAN_CHOICES:
            raise ValueError(f"scan ({scan!r}) must be one of {', '.join(SCAN_CHOICES)}")
        fit_offset = settings.get("fit_offset", False)
        if not isinstance(fit_offset, bool):
            raise ValueError(f"fit_offset ({fit_offset!r}) must be true or false")
        return params, currents_text, freqs_text, scan, fit_offset

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
        empty = {
            "currents": ["t_ms", "i_in_na", "i_leak_na"], "voltage": ["t_ms", "v_mv", "spike"],
            "raster": ["neuron", "t_ms"], "population_rate": ["t_ms", "rate_hz", "rate_leaky_hz"],
            "fi_curve": ["current_na", "rate_sim_hz", "rate_theory_hz", "rate_leaky_fit_hz"],
            "response_gain": ["freq_hz", "lif_gain_hz_per_na", "leaky_gain_hz_per_na",
                              "lif_static_gain_hz_per_na"],
            "response_phase": ["freq_hz", "lif_phase_deg", "leaky_phase_deg"],
            "alpha_scan": [self._scan, "alpha", "alpha_with_offset", "gain_hz_per_na",
                           "threshold_na"],
        }
        tables = {name: self._tables.get(name, (header, np.zeros((0, len(header)))))
                  for name, header in empty.items()}
        return neuron_figures.make_figures(self.plots, tables)

    def run(self) -> None:
        """Run (or show from cache) the drive, f-I, frequency response and alpha scan."""
        self.runner.cancel()
        self._pending.clear()
        starting = self.runner.child_pid is None
        missing = [job for job in JOBS if not self._show_cached(only=job)]
        self._job_count = len(missing)
        self._done_jobs = 0
        self._pending = {job: self._key(job) for job in missing}
        if missing:
            self._request = self.runner.run({job: self._payload(job) for job in missing})
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

    def wait_until_idle(self, timeout_s: float = 300.0) -> bool:
        """Process events until no job is pending; return False on timeout."""
        return wait_until(lambda: not self._pending, timeout_s)

    def cancel(self) -> None:
        """Cancel the running and queued simulations; the plots keep their last results."""
        self.runner.cancel()
        self._pending.clear()
        self._set_busy(False)
        self.status.setText("cancelled")

    def shutdown(self) -> bool:
        """Cancel, stop the simulation process and the listener thread (within 2 s).

        Called when the tab is closed as a window and when the application quits; safe
        to call more than once.
        """
        self._pending.clear()
        self._set_busy(False)
        return self.runner.shutdown(2000)

    # ----- jobs and results ---------------------------------------------------------
    def _key(self, job: str) -> tuple:
        extra = {"fi": self._currents_text, "response": self._freqs_text, "scan": self._scan}
        return job, json.dumps(self.params.to_dict(), sort_keys=True), extra.get(job, "")

    def _payload(self, job: str) -> dict:
        payload = {"params": self.params}
        if job == "fi":
            payload["currents"] = parse_currents(self._currents_text)
        elif job == "response":
            payload["freqs"] = parse_freqs(self._freqs_text)
        elif job == "scan":
            payload["scan"] = self._scan
        return payload

    def _show_cached(self, only: str | None = None) -> bool:
        shown = False
        for job in (only,) if only else JOBS:
            result = self._cache.get(self._key(job))
            if result is not None:
                self._show(job, result)
                shown = True
        return shown

    def _show(self, job: str, result) -> None:
        noisy = self.params.noise_mv > 0
        if job == "drive":
            self._tables.update(neuron_figures.fill_drive(self.plots, result,
                                                          self.params.v_th_mv, noisy,
                                                          self.params.freq_hz))
        elif job == "fi":
            offset = self._fit_offset
            self._tables.update(neuron_figures.fill_fi(self.plots, result, noisy, offset))
            fit = result.leaky_fit(offset)
            self.fit_label.setText("\n".join(neuron_plots.fit_parts(
                fit.alpha, fit.gain_hz_per_na, fit.threshold_na, fit.rmse_hz,
                fit.offset_hz if offset else None)))
        elif job == "response":
            self._tables.update(neuron_figures.fill_response(self.plots, result, noisy))
        elif job == "scan":
            self._tables.update(neuron_figures.fill_scan(self.plots, result,
                                                         getattr(self.params, result.name)))
        self.result_shown.emit(job)

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
        self._cache[key] = result
        self._done_jobs += 1
        if key == self._key(job):
            self._show(job, result)
        self._after_job()

    def _on_failed(self, job: str, message: str) -> None:
        if self._pending.pop(job, None) is not None:
            self._done_jobs += 1
            self.status.setText(f"error: {message}")
            self._after_job(keep_status=True)

    def _on_run_ended(self, request: int, _results) -> None:
        """The run is over: jobs still pending were cancelled."""
        if request == self._request and self._pending:
            self._pending.clear()
            self._after_job()

    def _on_run_failed(self, request: int, message: str) -> None:
        if request == self._request and self._pending:
            self._pending.clear()
            self.status.setText(f"error: {message}")
            self._after_job(keep_status=True)

    def _after_job(self, keep_status: bool = False) -> None:
        if not self._pending:
            self._set_busy(False)
            self.progress_bar.setValue(1000)
            if not keep_status:
                self.status.setText("done")

    def _set_busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress_bar.setValue(0)

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
            QtCore.QTimer.singleShot(0, self.run)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Stop the worker when the tab is closed as a window."""
        self.shutdown()
        super().closeEvent(event)
