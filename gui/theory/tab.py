"""The Theory tab: every formula of SCIENCE.md section 3 next to the lab's measurement of it."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.field_widgets import field_label, field_widget, widget_value
from gui.figures import Figure
from gui.lab_tab import LabTab
from gui.run_controls import RunControls
from gui.runner import Runner, wait_until
from gui.stepped_drawing import Drawer, SteadyPlots
from gui.theory import plots
from gui.theory.figures import section_of, theory_spec
from gui.theory.worker import SECTIONS, theory_job
from models.fields import FieldError
from models.theory import all_verdicts, check_settings
from models.theory.settings import FIELDS, theory_settings

FIGURE_NAMES = ("gradients", "propagation_forward", "propagation_backward", "born_dead",
                "pruning_units", "pruning_outputs", "sigmoid")
TABLE_HEADER = ["quantity", "formula", "predicted", "measured", "agrees", "tolerance",
                "reason"]


def validate_settings(settings: dict) -> dict:
    """Return every setting normalised; raise `FieldError` naming the first bad one.

    The settings are those of `models.theory.settings`; sizes that would not fit in memory
    or finish in minutes are refused here as on the command line.
    """
    out = theory_settings(settings)
    check_settings(out)
    return out


class TheoryTab(QtWidgets.QWidget, LabTab):
    """Controls, Compute / Cancel, seven plots and a predicted-vs-measured table.

    Public API: `figures`, `settings`, `apply_settings`, `run`, `cancel`, `wait_until_idle`,
    `shutdown`, `results`, `table_rows`.
    """

    computed = QtCore.Signal(str)  # "finished", "cancelled" or "failed"

    def __init__(self, parent: QtWidgets.QWidget | None = None, autorun: bool = True) -> None:
        super().__init__(parent)
        self._settings = validate_settings({})
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
        self.steady = SteadyPlots(self.plots.values())
        self.drawer = Drawer(self, self.steady.hold)  # a few plot items per event-loop turn
        self._fill()

    # ----- construction ---------------------------------------------------------------
    def _build(self) -> None:
        panel = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(panel)
        self.edits: dict[str, QtWidgets.QWidget] = {}
        for name, spec in FIELDS.items():
            widget = field_widget(spec)
            widget.edited.connect(self._on_edited)
            widget.setObjectName(name)
            self.edits[name] = widget
            form.addRow(field_label(spec), widget)
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
            plot = self.graphics.addPlot(enableMenu=False, row=k // 2, col=k % 2)
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
            widget.set_value(self._settings[name])
        self.error_label.setText("")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Compute once, the first time the tab is shown (when `autorun`)."""
        super().showEvent(event)
        if self._autorun and not self._shown_once:
            self._shown_once = True
            QtCore.QTimer.singleShot(0, self.run)

    # ----- settings -------------------------------------------------------------------
    def _read_widgets(self) -> dict:
        return {name: widget_value(widget) for name, widget in self.edits.items()}

    def _on_edited(self, *_) -> None:
        try:
            self._settings = validate_settings(self._read_widgets())
        except FieldError as exc:
            spec = FIELDS.get(exc.field)
            self.error_label.setText(f"{spec.label if spec else exc.field}: {exc.problem}")
            return
        self.error_label.setText("")

    def settings(self) -> dict:
        """Return the tab's settings (JSON-able)."""
        return {k: list(v) if isinstance(v, list) else v for k, v in self._settings.items()}

    def apply_settings(self, settings: dict) -> None:
        """Apply (part of) a settings dict; raise `FieldError` naming the field, keeping state."""
        if not isinstance(settings, dict):
            raise FieldError("settings", "expected a mapping")
        self._settings = validate_settings({**self._settings, **settings})
        self._fill()

    # ----- running --------------------------------------------------------------------
    def run(self) -> int:
        """Compute every section with the current settings; return the request id."""
        self._on_edited()
        self.results = {}
        self.drawer.drop()  # a drawing of the last run's results is not wanted any more
        self._show_empty("computing…")  # nothing of the last settings stays on screen
        self.table.setRowCount(0)  # columns keep their widths until the first section
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
        return wait_until(lambda: self._state != "running" and not self.drawer.busy(),
                          timeout_s)

    def _on_section(self, request: int, name: str, result) -> None:
        if request != self._request:
            return  # a stale result of a superseded request
        self.results[name] = result
        self.progress_bar.setValue(len(self.results))
        self.status.setText(f"computed {name.replace('_', ' ')} "
                            f"({len(self.results)}/{len(SECTIONS)})")
        self.drawer.put(name, self._draw_steps(name, result), lambda _: None)

    def _draw_steps(self, name: str, result):
        """Draw one section's plots, a few items per turn, then update the table."""
        p, t = self.plots, self._tables
        if name == "gradients":
            t["gradients"] = yield from plots.draw_gradient_moments_steps(p["gradients"], result)
        elif name == "propagation":
            t["propagation_forward"] = yield from plots.draw_propagation_steps(
                p["propagation_forward"], result)
            t["propagation_backward"] = yield from plots.draw_propagation_steps(
                p["propagation_backward"], result, backward=True)
        elif name == "born_dead":
            t["born_dead"] = yield from plots.draw_born_dead_steps(p["born_dead"], result)
        elif name == "pruning":
            t["pruning_units"] = yield from plots.draw_pruning_units_steps(
                p["pruning_units"], result["result"], result["diff"])
            t["pruning_outputs"] = yield from plots.draw_pruning_outputs_steps(
                p["pruning_outputs"], result["before"], result["after"])
        elif name == "sigmoid":
            t["sigmoid"] = yield from plots.draw_sigmoid_steps(p["sigmoid"], result)
        yield
        self._update_table()

    def _show_empty(self, note: str) -> None:
        """Empty every plot whose section has no result now, its title ending in `note`."""
        for name, plot in self.plots.items():
            if section_of(name) not in self.results:
                plots.clear_plot(plot, f"{name.replace('_', ' ')} ({note})")
                self._tables.pop(name, None)

    def _end(self, request: int, state: str) -> None:
        if request != self._request:
            return
        if state != "finished":
            self._show_empty(f"not computed: {state}")
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
        """Return ``[quantity, formula, predicted, measured, agrees, tolerance, reason]`` rows.

        The verdicts are `models.theory.all_verdicts` of the results so far.
        """
        return [[v.quantity, v.formula, v.predicted, v.measured, v.agrees, v.tolerance,
                 v.reason] for v in all_verdicts(self.results)]

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
        for name in FIGURE_NAMES:  # read when exported: the menu holds these figures
            out.append(Figure(f"theory_{name}", self.plots[name],
                              (lambda n=name: self._tables.get(n, (["empty"], []))),
                              (lambda n=name: theory_spec(n, self.results))))
        return out

    def shutdown(self) -> bool:
        """Cancel and join the worker thread within 2 s; return True if it ended."""
        ended = self.runner.shutdown(2.0)
        self.drawer.drop()
        self._state = "idle"
        return ended
