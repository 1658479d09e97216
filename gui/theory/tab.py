"""The Theory tab: every formula of SCIENCE.md section 3 next to the lab's measurement of it."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.figures import Figure
from gui.lab_tab import LabTab
from gui.run_controls import RunControls
from gui.runner import Runner, wait_until
from gui.theory import plots
from gui.theory.worker import SECTIONS, theory_job
from models.config import ConfigError
from models.pruning import pruning_config
from models.theory import check_gradient_size
from models.theory_born_dead import BORN_DEAD_INITS, check_born_dead_size, single_point_bound

DEFAULTS = {
    "alphas": [0.0, 0.01, 0.1, 0.3, 0.5, 1.0], "points": 2048, "width": 256, "depth": 50,
    "alpha": 0.1, "bd_widths": [2, 3, 4, 5], "bd_depths": [1, 2, 4, 6, 9, 12, 16, 20],
    "trials": 1000, "bd_init": "he", "prune_width": 32, "prune_depth": 3, "prune_lr": 3.0,
    "prune_steps": 300, "seed": 0,
}
LABELS = {
    "alphas": "gradient alphas (list)", "points": "input points", "width": "width (units)",
    "depth": "propagation depth (layers)", "alpha": "He-leaky alpha",
    "bd_widths": "born-dead widths N (list)", "bd_depths": "born-dead depths (list)",
    "trials": "born-dead trials", "bd_init": "born-dead init", "prune_width": "pruned net width",
    "prune_depth": "pruned net depth", "prune_lr": "pruned net learning rate",
    "prune_steps": "pruned net steps", "seed": "seed",
}
INTS = {"points": (16, 100_000), "width": (2, 1024), "depth": (2, 200),
        "trials": (1, 1_000_000), "prune_width": (1, 1024), "prune_depth": (1, 64),
        "prune_steps": (1, 100_000), "seed": (0, 2**32 - 1)}
FLOATS = {"alpha": (0.0, 1.0), "prune_lr": (1e-6, 1e3)}
LISTS = {"alphas": (float, 0.0, 1.0), "bd_widths": (int, 1, 64), "bd_depths": (int, 1, 500)}
FIGURE_NAMES = ("gradients", "propagation_forward", "propagation_backward", "born_dead",
                "pruning_units", "pruning_outputs", "sigmoid")
TABLE_HEADER = ["quantity", "formula", "predicted", "measured", "agrees"]


def validate_settings(settings: dict) -> dict:
    """Return the settings normalised; raise ValueError naming the first bad field."""
    if not isinstance(settings, dict):
        raise ValueError("settings: expected a mapping")
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown setting")
    s = {**DEFAULTS, **settings}
    out = {}
    for name, (low, high) in INTS.items():
        v = s[name]
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or not low <= v <= high:
            raise ValueError(f"{name}: {v!r} must be an integer between {low} and {high}")
        out[name] = int(v)
    for name, (low, high) in FLOATS.items():
        v = s[name]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) \
                or not low <= v <= high:
            raise ValueError(f"{name}: {v!r} must be a number between {low:g} and {high:g}")
        out[name] = float(v)
    for name, (kind, low, high) in LISTS.items():
        v = s[name]
        if isinstance(v, str):
            v = [t.strip() for t in v.split(",") if t.strip()]
        try:
            values = [kind(x) for x in v]
        except (TypeError, ValueError):
            raise ValueError(f"{name}: {v!r} is not a list of {kind.__name__}") from None
        if not values or any(not low <= x <= high for x in values):
            raise ValueError(f"{name}: give values between {low} and {high}")
        out[name] = sorted(set(values))
    if s["bd_init"] not in BORN_DEAD_INITS:
        raise ValueError(f"bd_init: {s['bd_init']!r}; choose from {', '.join(BORN_DEAD_INITS)}")
    out["bd_init"] = s["bd_init"]
    # refuse, as the command line does, what would not fit in memory or finish in minutes
    check_gradient_size(out["width"], out["points"])
    check_born_dead_size(out["bd_widths"], out["bd_depths"], out["trials"])
    try:
        pruning_config(out["prune_width"], out["prune_depth"], out["prune_lr"],
                       out["prune_steps"], seed=out["seed"])
    except ConfigError as exc:
        field, _, problem = str(exc).partition(":")
        name = {"width": "prune_width", "depth": "prune_depth", "lrs": "prune_lr",
                "steps": "prune_steps", "width x depth": "prune_width x prune_depth"}.get(
                    field, field)
        raise ValueError(f"{name}: {problem.strip()}") from None
    return out


class TheoryTab(QtWidgets.QWidget, LabTab):
    """Controls, Compute / Cancel, seven plots and a predicted-vs-measured table.

    Public API: `figures`, `settings`, `apply_settings`, `run`, `cancel`, `wait_until_idle`,
    `shutdown`, `results`, `table_rows`.
    """

    computed = QtCore.Signal(str)  # "finished", "cancelled" or "failed"

    def __init__(self, parent: QtWidgets.QWidget | None = None, autorun: bool = True) -> None:
        super().__init__(parent)
        self._settings = validate_settings(dict(DEFAULTS))
        self.results: dict[str, object] = {}
        self._tables: dict[str, tuple] = {}
        self._request = 0
        self._state = "idle"
        self._autorun = autorun
        self._shown_once = False
        self.runner = Runner("theory", self)
        self.runner.progress.connect(lambda r, done: self._on_section(r, *done))
        self.runner.finished.connect(lambda r, _: self._end(r, "finished"))
        self.runner.cancelled.connect(lambda r, _: self._end(r, "cancelled"))
        self.runner.failed.connect(self._on_failed)
        self._build()
        self._fill()

    # ----- construction ---------------------------------------------------------------
    def _build(self) -> None:
        panel = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(panel)
        self.edits: dict[str, QtWidgets.QWidget] = {}
        for name in DEFAULTS:
            if name == "bd_init":
                widget = QtWidgets.QComboBox()
                widget.addItems(list(BORN_DEAD_INITS))
                widget.setToolTip("he: He-normal weights, zero biases (Lu et al.); he-bias: "
                                  "biases N(0, 1); rai: randomized asymmetric init")
                widget.activated.connect(self._on_edited)
            else:
                widget = QtWidgets.QLineEdit()
                widget.editingFinished.connect(self._on_edited)
            widget.setObjectName(name)
            self.edits[name] = widget
            form.addRow(LABELS[name], widget)
        controls = RunControls(form, "Compute", "press Compute", self.run, self.cancel)
        self.error_label, self.run_button = controls.error_label, controls.run_button
        self.cancel_button, self.progress_bar = controls.cancel_button, controls.progress_bar
        self.status = controls.status
        self.progress_bar.setRange(0, len(SECTIONS))
        note = QtWidgets.QLabel(
            "Born dead: a net whose output is constant on [-sqrt 3, sqrt 3]. Decided exactly: "
            "a 1-D ReLU net is piecewise linear, and every breakpoint is tracked.")
        note.setWordWrap(True)
        form.addRow(note)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)

        self.table = QtWidgets.QTableWidget(0, len(TABLE_HEADER))
        self.table.setHorizontalHeaderLabels(TABLE_HEADER)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(260)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumHeight(1900)
        self.plots: dict[str, pg.PlotItem] = {}
        for k, name in enumerate(FIGURE_NAMES):
            plot = self.graphics.addPlot(row=k // 2, col=k % 2)
            plot.setTitle(name.replace("_", " ") + " (not computed yet)")
            plot.setLabel("bottom", "")
            self.plots[name] = plot
        inner = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(inner)
        column.addWidget(self.table)
        column.addWidget(self.graphics)
        right = QtWidgets.QScrollArea()
        right.setWidget(inner)
        right.setWidgetResizable(True)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(splitter)

    def _fill(self) -> None:
        for name, widget in self.edits.items():
            value = self._settings[name]
            if isinstance(widget, QtWidgets.QComboBox):
                widget.setCurrentText(value)
            elif isinstance(value, list):
                widget.setText(", ".join(f"{v:g}" for v in value))
            else:
                widget.setText(f"{value:g}" if isinstance(value, float) else str(value))
        self.error_label.setText("")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Compute once, the first time the tab is shown (when `autorun`)."""
        super().showEvent(event)
        if self._autorun and not self._shown_once:
            self._shown_once = True
            QtCore.QTimer.singleShot(0, self.run)

    # ----- settings -------------------------------------------------------------------
    def _read_widgets(self) -> dict:
        values = {}
        for name, widget in self.edits.items():
            if isinstance(widget, QtWidgets.QComboBox):
                values[name] = widget.currentText()
                continue
            text = widget.text().strip()
            if name in LISTS:
                values[name] = text
                continue
            try:
                values[name] = int(text) if name in INTS else float(text)
            except ValueError:
                raise ValueError(f"{name}: {text!r} is not a number") from None
        return values

    def _on_edited(self, *_) -> None:
        try:
            self._settings = validate_settings(self._read_widgets())
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.setText("")

    def settings(self) -> dict:
        """Return the tab's settings (JSON-able)."""
        return {k: list(v) if isinstance(v, list) else v for k, v in self._settings.items()}

    def apply_settings(self, settings: dict) -> None:
        """Apply (part of) a settings dict; raise ValueError naming the field, keeping state."""
        if not isinstance(settings, dict):
            raise ValueError("settings: expected a mapping")
        self._settings = validate_settings({**self._settings, **settings})
        self._fill()

    # ----- running --------------------------------------------------------------------
    def run(self) -> int:
        """Compute every section with the current settings; return the request id."""
        self._on_edited()
        self.results = {}
        self._request = self.runner.start(theory_job(self._settings))
        self._state = "running"
        self._started = time.perf_counter()
        self.progress_bar.setValue(0)
        self.status.setText("computing…")
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        return self._request

    def run_default(self) -> None:
        """Compute with the current settings (headless export); see `wait_until_idle`."""
        self.run()

    def cancel(self) -> None:
        """Stop after the section being computed."""
        if self._state == "running":
            self.runner.cancel()

    def wait_until_idle(self, timeout_s: float = 60.0) -> bool:
        """Process events until nothing is being computed; return True if it ended in time."""
        return wait_until(lambda: self._state != "running", timeout_s)

    def _on_section(self, request: int, name: str, result) -> None:
        if request != self._request:
            return  # a stale result of a superseded request
        self.results[name] = result
        self.progress_bar.setValue(len(self.results))
        self.status.setText(f"computed {name.replace('_', ' ')} "
                            f"({len(self.results)}/{len(SECTIONS)})")
        self._draw(name, result)
        self._update_table()

    def _draw(self, name: str, result) -> None:
        p = self.plots
        if name == "gradients":
            self._tables["gradients"] = plots.draw_gradient_moments(p["gradients"], result)
        elif name == "propagation":
            self._tables["propagation_forward"] = plots.draw_propagation(
                p["propagation_forward"], result)
            self._tables["propagation_backward"] = plots.draw_propagation(
                p["propagation_backward"], result, backward=True)
        elif name == "born_dead":
            self._tables["born_dead"] = plots.draw_born_dead(p["born_dead"], result)
        elif name == "pruning":
            self._tables["pruning_units"] = plots.draw_pruning_units(
                p["pruning_units"], result["result"], result["diff"])
            self._tables["pruning_outputs"] = plots.draw_pruning_outputs(
                p["pruning_outputs"], result["before"], result["after"])
        elif name == "sigmoid":
            self._tables["sigmoid"] = plots.draw_sigmoid(p["sigmoid"], result)

    def _end(self, request: int, state: str) -> None:
        if request != self._request:
            return
        self._state = "idle"
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        elapsed = time.perf_counter() - self._started
        self.status.setText(f"{state}: {len(self.results)}/{len(SECTIONS)} sections "
                            f"in {elapsed:.1f} s")
        self.computed.emit(state)

    def _on_failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self._end(request, "failed")
        self.status.setText(f"error: {message}")

    # ----- the predicted-vs-measured table --------------------------------------------
    def table_rows(self) -> list[list]:
        """Return ``[quantity, formula, predicted, measured, agrees]`` for every result so far."""
        rows: list[list] = []
        r = self.results
        if "gradients" in r:
            for s in r["gradients"]:
                a = s.alpha
                if a == 0:
                    rows.append(["ReLU gradient sparsity", "P(G = 0) = 1/2", 0.5, s.sparsity,
                                 abs(s.sparsity - 0.5) <= 0.01])
                    continue
                for key, label, formula in (("mean", "E[G]", "(1+alpha)/2"),
                                            ("var", "Var[G]", "(1-alpha)^2/4")):
                    pred, meas = s.predicted[key], getattr(s, key)
                    ok = abs(meas - pred) <= 0.01 * pred if pred > 0 else abs(meas) < 1e-12
                    rows.append([f"Leaky ReLU {label}, alpha {a:g}", formula, pred, meas, ok])
        if "propagation" in r:
            for s in r["propagation"]:
                for direction, meas in (("forward", s.measured_forward),
                                        ("backward", s.measured_backward)):
                    rows.append([f"per-layer factor, {s.init} ({s.activation}), {direction}",
                                 "c (1+alpha^2)/2", s.factor, meas,
                                 abs(meas / s.factor - 1) <= 0.05])
        if "born_dead" in r:
            for row in r["born_dead"]:
                bound = single_point_bound(row.width, row.depth)
                rows.append([f"born dead, N {row.width}, depth {row.depth} ({row.init})",
                             "below 1-(1-2^-N)^depth", bound, row.p_born_dead,
                             row.p_born_dead <= bound])
        if "pruning" in r:
            res = r["pruning"]
            rows.append(["pruning: max |output change| on the data",
                         f"0 ({res['result'].params_before} -> {res['result'].params_after} "
                         "params)", 0.0, res["diff"], res["diff"] <= 1e-12])
        if "sigmoid" in r:
            s = r["sigmoid"]
            rows.append(["sigmoid max derivative", "sigma'(z) <= 1/4", 0.25, s.max_derivative,
                         s.max_derivative <= 0.25 + 1e-12])
            rows.append(["sigmoid gradient ratio per layer (norm-1 weights)", "<= 1/4", 0.25,
                         s.orthogonal_ratio, s.orthogonal_ratio <= 0.25])
        if "lipschitz" in r:
            for a, ratio in r["lipschitz"].items():
                rows.append([f"Leaky ReLU Lipschitz ratio, alpha {a:g}", "<= 1 for 0<=alpha<=1",
                             1.0, ratio, ratio <= 1 + 1e-12])
        return rows

    def _update_table(self) -> None:
        rows = self.table_rows()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if isinstance(value, bool | np.bool_):
                    text = "yes" if value else "NO"
                elif isinstance(value, float):
                    text = f"{value:.6g}"
                else:
                    text = str(value)
                self.table.setItem(i, j, QtWidgets.QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    # ----- export / shutdown ----------------------------------------------------------
    def figures(self) -> list[Figure]:
        """Return the tab's figures (each plot with the table of what it draws)."""
        out = []
        for name in FIGURE_NAMES:
            table = self._tables.get(name, (["empty"], []))
            out.append(Figure(f"theory_{name}", self.plots[name], (lambda t=table: t)))
        return out

    def shutdown(self) -> bool:
        """Cancel and join the worker thread within 2 s; return True if it ended."""
        ended = self.runner.shutdown(2.0)
        self._state = "idle"
        return ended
