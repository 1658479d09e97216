"""The Sweep tab: set up a grid of runs over seeds, run it off the UI thread, see the heatmaps."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui.field_widgets import field_label, field_widget, widget_value
from gui.figure_view import quiet_pyqtgraph_menus
from gui.lab_tab import LabTab
from gui.run_controls import RunControls
from gui.runner import Runner, wait_until
from gui.stepped_drawing import Drawer
from gui.sweep import plots as sweep_plots
from gui.sweep import save_location
from gui.sweep.exports import SweepFigures
from gui.sweep.settings import FIELDS, default_settings, validate_settings
from gui.sweep.worker import sweep_job
from models.fields import FieldError
from models.sweep.io import read_rows
from models.sweep.pool import start_forkserver
from models.sweep.summary import summarize

REDRAW_INTERVAL_S = 0.25


HOVER_HINT = "hover a heatmap cell for the spread over seeds"
EMPTY_HINT = "no results yet: Run sweep fills the heatmaps; then " + HOVER_HINT


class SweepTab(QtWidgets.QWidget, SweepFigures, LabTab, save_location.SaveLocation):
    """Grid set-up, Run / Cancel with a progress bar, heatmaps and dead-fraction curves.

    Public API: `figures`, `settings`, `apply_settings`, `run`, `cancel`, `load_results`,
    `wait_until_idle`, `shutdown`, `rows`, `summaries`.
    """

    sweep_done = QtCore.Signal(str)  # "finished", "cancelled" or "failed"

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings, _ = validate_settings(default_settings())
        self._tmpdir: Path | None = None  # made on the first temporary run only
        self.rows: list[dict] = []
        self.summaries: list = []
        self.out_path: Path | None = None
        self.temporary = False
        self._request = 0
        self._last_draw = 0.0
        self._draw_cost = 0.0
        self._state = "idle"
        self.runner = Runner("sweep", self)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.drawer = Drawer(self)  # results are drawn a few plot items per event-loop turn
        self._build()
        self._fill()

    # ----- construction ---------------------------------------------------------------
    def _build(self) -> None:
        panel = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(panel)
        self.edits: dict[str, QtWidgets.QWidget] = {}
        for name, spec in FIELDS.items():  # every setting's widget, from its declaration
            self._add_row(form, name, field_label(spec), field_widget(spec))
        out = QtWidgets.QLineEdit()  # where the rows go: not a setting with limits
        out.setPlaceholderText("(asks where to save when you run)")
        out.setToolTip("the CSV file the rows are written to (one row per finished run)")
        out.editingFinished.connect(self._on_edited)
        self._add_row(form, "out", "result CSV", out)
        resume = QtWidgets.QCheckBox()
        resume.setToolTip("continue the sweep in the result CSV: skip the runs it holds")
        resume.toggled.connect(self._on_edited)
        self._add_row(form, "resume", "resume from the CSV", resume)
        self.choose_button = QtWidgets.QPushButton("Save results to…")
        self.choose_button.setToolTip("Choose the CSV file this sweep's results are written to")
        self.choose_button.clicked.connect(self.choose_out)
        # short enough for the panel at 1280 x 800 (a check box's text does not wrap)
        self.folder_check = QtWidgets.QCheckBox("don't ask again: use this folder")
        self.folder_check.setToolTip("save every later sweep in the folder of the chosen "
                                     "file, without asking where")
        self.folder_check.setChecked(save_location.preferred_folder() is not None)
        self.folder_check.toggled.connect(self._on_folder_pref)
        form.addRow(self.choose_button)  # spanning both columns: no sideways scroll
        form.addRow(self.folder_check)
        controls = RunControls(form, "Run sweep", "ready: set up the grid and press Run sweep",
                               self.run, self.cancel)
        self.error_label, self.run_button = controls.error_label, controls.run_button
        self.cancel_button, self.progress_bar = controls.cancel_button, controls.progress_bar
        self.status = controls.status
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)

        self.dead_view = pg.GraphicsLayoutWidget()
        self.loss_view = pg.GraphicsLayoutWidget()
        self.curve_view = pg.GraphicsLayoutWidget()
        self.curve_plot = self.curve_view.addPlot(enableMenu=False)
        self.curve_plot.setLabel("bottom", "learning rate (1, log scale)")
        self.curve_plot.setLabel("left", "dead fraction")
        self.dead_plots: list[pg.PlotItem] = []
        self.loss_plots: list[pg.PlotItem] = []
        for view, plots in ((self.dead_view, self.dead_plots),
                            (self.loss_view, self.loss_plots)):
            # reused by every run (see _panels)
            plots.append(view.addPlot(enableMenu=False, row=0, col=0))
            quiet_pyqtgraph_menus(view.ci)
            view.scene().sigMouseMoved.connect(
                lambda pos, view=view: self._on_hover(view, pos))
        self.hover_label = QtWidgets.QLabel()
        self.hover_label.setWordWrap(True)
        right = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(right)
        grid.addWidget(self.dead_view, 0, 0)
        grid.addWidget(self.loss_view, 1, 0)
        grid.addWidget(self.curve_view, 2, 0)
        grid.addWidget(self.hover_label, 3, 0)
        for row in range(3):
            grid.setRowStretch(row, 1)
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(splitter)
        self._draw_empty()

    def _add_row(self, form: QtWidgets.QFormLayout, name: str, label: str,
                 widget: QtWidgets.QWidget) -> None:
        widget.setObjectName(name)
        if name in FIELDS:
            widget.edited.connect(self._on_edited)
        self.edits[name] = widget
        form.addRow(label, widget)

    def _draw_empty(self) -> None:
        """Show every plot empty (a new run, or no rows); items are kept for the next rows."""
        self.drawer.drop()
        for plots, title in ((self.dead_plots, "Mean final dead fraction"),
                             (self.loss_plots, "Mean final loss")):
            for plot in plots:
                sweep_plots.clear_heatmap(plot, f"{title} (no results yet)")
                plot.setLabel("bottom", "learning rate (1)")
                plot.setLabel("left", "activation")
        sweep_plots.clear_dead_vs_lr(self.curve_plot)
        self.hover_label.setText(EMPTY_HINT)  # never a cell of the last run's results

    def _fill(self) -> None:
        s = self._settings
        for name in FIELDS:
            self.edits[name].set_value(s[name])
        self.edits["out"].setText(s["out"])
        blocked = self.edits["resume"].blockSignals(True)
        self.edits["resume"].setChecked(s["resume"])
        self.edits["resume"].blockSignals(blocked)
        self.error_label.setText("")

    # ----- settings -------------------------------------------------------------------
    def _read_widgets(self) -> dict:
        """Return the form's values; raise `FieldError` naming a field whose text is not valid."""
        values = {name: widget_value(self.edits[name]) for name in FIELDS}
        return {**values, "out": self.edits["out"].text().strip(),
                "resume": self.edits["resume"].isChecked()}

    def _on_edited(self, *_) -> None:
        try:
            self._settings, _ = validate_settings(self._read_widgets())
        except FieldError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.setText("")

    def settings(self) -> dict:
        """Return the tab's settings (JSON-able): the grid, the run options and the CSV path."""
        return {k: list(v) if isinstance(v, list) else v for k, v in self._settings.items()}

    def apply_settings(self, settings: dict) -> None:
        """Apply (part of) a settings dict; raise `FieldError` naming the field, keeping state.

        Parameters
        ----------
        settings : dict
            Keys of `settings()`; missing keys keep their current values.
        """
        if not isinstance(settings, dict):
            raise FieldError("settings", "expected a mapping")
        merged, _ = validate_settings({**self._settings, **settings})
        self._settings = merged
        self._fill()

    def use_dataset(self, path: str) -> None:
        """Sweep on the user's CSV file (``x1,x2,label`` or ``x,y``) from now on."""
        self.apply_settings({"dataset": "csv", "csv_path": str(path)})

    # ----- running --------------------------------------------------------------------
    def run(self, executor=None, temporary_ok: bool = False) -> int:
        """Start the sweep of the current settings; return its request id (0 if refused).

        Parameters
        ----------
        executor : concurrent.futures.Executor, optional
            Run on this executor instead of local worker processes (tests, embedding).
        temporary_ok : bool
            With no file chosen, write a temporary file (deleted on quit) instead of
            asking where to save (headless export).
        """
        self._on_edited()
        try:
            settings, spec = validate_settings(self._settings)
            spec.check_budget(1 if executor is not None else settings["workers"])
        except ValueError as exc:  # a FieldError or the memory / time budget
            self.status.setText(str(exc))
            return 0
        out, temporary = self._out_path(temporary_ok)
        if out is None:
            self.status.setText("not run: choose where to save the results "
                                "(Save results to…)")
            return 0
        self.temporary = temporary
        options = {"resume": settings["resume"], "overwrite": temporary}
        if executor is not None:
            options["executor"] = executor
        else:
            options["workers"] = settings["workers"]
            start_forkserver()  # here, on the main thread: its workers ignore Ctrl-C at once
        self.rows = []
        self.summaries = []
        self._draw_empty()
        self._request = self.runner.start(sweep_job(spec, out, **options))
        self._state = "running"
        self._started = time.perf_counter()
        self.progress_bar.setRange(0, len(spec))
        self.progress_bar.setValue(0)
        self.status.setText(f"running {len(spec)} runs -> {self._where()}")
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.out_path = out
        return self._request

    def run_default(self) -> None:
        """Compute with the current settings (headless export); see `wait_until_idle`."""
        self.run(temporary_ok=True)

    def cancel(self) -> None:
        """Stop the running sweep; the finished rows stay in the CSV (resume continues)."""
        if self._state == "running":
            self.runner.cancel()
            self.status.setText("cancelling…")

    def wait_until_idle(self, timeout_s: float = 60.0) -> bool:
        """Process events until no sweep runs and its rows are drawn; True if in time."""
        return wait_until(lambda: self._state != "running" and not self.drawer.busy(),
                          timeout_s)

    def _on_progress(self, request: int, progress) -> None:
        if request != self._request:
            return  # a stale report of a sweep since replaced
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(progress.done)
        rate = progress.rate
        left = (progress.total - progress.done) / rate if rate > 0 else float("nan")
        self.status.setText(
            f"{progress.done}/{progress.total} runs ({progress.resumed} resumed, "
            f"{progress.failed} failed), {rate:.1f} runs/s, "
            + (f"{left:.0f} s left" if np.isfinite(left) else "time left: ?"))
        self.rows = progress.rows
        now = time.perf_counter()
        # redraw at most every REDRAW_INTERVAL_S, and never more than ~20% of the time, so a
        # slow redraw cannot keep the event loop busy while reports queue up
        interval = max(REDRAW_INTERVAL_S, 4.0 * self._draw_cost)
        if now - self._last_draw > interval or progress.done == progress.total:
            self.show_rows(progress.rows)
            self._last_draw = time.perf_counter()
            self._draw_cost = self._last_draw - now

    def _end(self, state: str, text: str) -> None:
        self._state = "idle"
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.status.setText(text)
        self.sweep_done.emit(state)

    def _on_finished(self, request: int, rows) -> None:
        if request != self._request:
            return
        self.show_rows(rows)
        failed = sum(r["status"] == "failed" for r in rows)
        self._end("finished", f"done: {len(rows)} runs ({failed} failed); {self._saved()}")

    def _on_cancelled(self, request: int, rows) -> None:
        if request != self._request:
            return
        self.show_rows(rows)
        self._end("cancelled", f"cancelled: {len(rows)} runs; {self._saved()}"
                  + ("" if self.temporary else "; tick 'resume' to continue"))

    def _on_failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self._end("failed", f"error: {message}")

    # ----- results --------------------------------------------------------------------
    def load_results(self, path: str | Path) -> int:
        """Show the rows of an existing sweep CSV; return how many were read.

        Raises
        ------
        ValueError
            If the file is not a sweep result file.
        """
        path = Path(path)
        with open(path, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
        rows, _ = read_rows(path, header)
        self.show_rows(rows)
        self.status.setText(f"loaded {len(rows)} runs from {path}")
        return len(rows)

    def show_rows(self, rows: list) -> None:
        """Draw heatmaps and curves from result rows (strings as in the CSV).

        The summaries are made now; the plots are drawn a few items per event-loop turn
        (`drawer`), a newer call replacing a drawing not yet finished.
        """
        self.rows = list(rows)
        self.summaries = summarize(self.rows)
        if not self.summaries:
            self._draw_empty()
            return
        if self.hover_label.text() == EMPTY_HINT:
            self.hover_label.setText(HOVER_HINT)
        self.drawer.put("rows", self._draw_steps(list(self.summaries)), lambda _: None)

    def _draw_steps(self, summaries: list):
        """Draw `summaries` into the kept panels, yielding between plot items."""
        finite = np.concatenate([s.mean["final_loss"][np.isfinite(s.mean["final_loss"])
                                                       & (s.mean["final_loss"] > 0)]
                                 for s in summaries])
        levels = (float(np.log10(finite.min())), float(np.log10(finite.max()))) \
            if finite.size else (0.0, 1.0)
        for view, plots, metric, title, log, span in (
                (self.dead_view, self.dead_plots, "dead_fraction", "Mean final dead fraction",
                 False, (0.0, 1.0)),
                (self.loss_view, self.loss_plots, "final_loss",
                 "Mean final loss (colour: log10)", True, levels)):
            yield from self._panels(view, plots, len(summaries))
            many = len(summaries) > 1
            for plot, summary in zip(plots, summaries):
                full = f"{title}: {summary.title}" if many else f"{title} ({summary.title})"
                yield from sweep_plots.draw_heatmap_steps(plot, summary, metric, full, log, span)
        yield from sweep_plots.draw_dead_vs_lr_steps(self.curve_plot, summaries)

    def _panels(self, view, plots: list, count: int):
        """Make `plots` hold `count` panels (one per init/depth/width), one new one per step.

        Panels are kept across reports and runs: creating a PlotItem costs tens of ms.
        """
        while len(plots) > count:
            view.removeItem(plots.pop())
        while len(plots) < count:
            plots.append(view.addPlot(enableMenu=False, row=0, col=len(plots)))
            quiet_pyqtgraph_menus(view.ci)  # the right-click menu stays ours
            yield

    def _on_hover(self, view, pos) -> None:
        plots = self.dead_plots if view is self.dead_view else self.loss_plots
        metric = "dead_fraction" if view is self.dead_view else "final_loss"
        for plot, summary in zip(plots, self.summaries):
            if not plot.sceneBoundingRect().contains(pos):
                continue
            point = plot.vb.mapSceneToView(pos)
            row, col = int(np.floor(point.y())), int(np.floor(point.x()))
            if 0 <= row < len(summary.activations) and 0 <= col < summary.lrs.size:
                text = sweep_plots.hover_text(summary, metric, row, col)
                self.hover_label.setText(text)
                view.setToolTip(text)
            return

    def shutdown(self) -> bool:
        """Cancel a running sweep and join its thread within 2 s; return True if it ended."""
        ended = self.runner.shutdown(2.0)
        self.drawer.drop()
        self._state = "idle"
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
        return ended
