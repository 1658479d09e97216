"""The "Why units die" view: drift, update sizes and one unit's plateau, fed from the history."""

from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore, QtWidgets

from gui import theme
from gui.export_actions import install_export_menu
from gui.networks.why.drift import DriftView
from gui.networks.why.exports import WhyFigures
from gui.networks.why.keyed import colour_key, with_key
from gui.networks.why.plateau import KEY as PLATEAU_KEY
from gui.networks.why.plateau import PlateauView, unit_name
from gui.networks.why.plateau_job import PlateauJob, PlateauRequest
from gui.networks.why.strip import KEY as STRIP_KEY
from gui.networks.why.strip import UpdateStrip
from gui.networks.why.updates import UpdateView
from gui.runner import Runner
from models.diagnostics import GRID_SIZES, unit_trajectory

__all__ = ["PAGES", "WhyView"]

PAGES = ("drift", "updates", "plateau")
_PAGE_TITLES = ("Pre-activation drift", "Update sizes", "Plateau of a unit")
FOLLOW_RECORDS = 20  # live, the plateau is recomputed once training has gone this many probes
FOLLOW_SHARE = 0.25  # ...and this share of the surface's step beyond the surface
LOCK_WAIT_S = 0.5  # longest wait for the training step to end before reading the history
LIVE_INTERVAL_S = 0.5  # live, the why plots are redrawn at most twice a second
_HINT = "Click a unit in the selected cell's heatmap (above) to see its plateau."


class WhyView(QtWidgets.QWidget, WhyFigures):
    """Why units die, for the selected cell: three pages over the engine's recorded diagnostics.

    The data come from the experiment's history (read under the training worker's lock), up to
    the step shown: live, or the replayed one. The plateau is computed by a `Runner`, coarse
    then refined, and cancelled when the unit or the cell changes.

    Attributes
    ----------
    drift, updates, strip, plateau : pyqtgraph.GraphicsLayoutWidget
        The views.
    unit : tuple of int or None
        (cell, layer, unit) selected for the plateau.
    jobs : list of PlateauJob
        The latest plateau jobs started (newest last).
    """

    page_changed = QtCore.Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.experiment = None
        self.lock = None
        self.generation = 0
        self.cell = 0
        self.unit: tuple[int, int, int] | None = None
        self.upto: int | None = None
        self.jobs: list[PlateauJob] = []
        self._request = 0
        self._dirty = True
        self._layout: tuple[int, list[str], list[float]] | None = None  # not laid out yet
        self._pending_job = False
        self._last_live = 0.0
        self._later = QtCore.QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(lambda: self.refresh(self.upto, force=True))
        self.runner = Runner("plateau", self)
        self.runner.progress.connect(self._on_surface)
        self.runner.finished.connect(self._on_surface)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)

        self.buttons = QtWidgets.QButtonGroup(self)
        bar = QtWidgets.QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        for k, title in enumerate(_PAGE_TITLES):
            button = QtWidgets.QPushButton(title)  # the style sheet marks the checked one
            button.setCheckable(True)
            button.setObjectName(f"why_{PAGES[k]}")
            self.buttons.addButton(button, k)
            bar.addWidget(button)
        self.buttons.button(0).setChecked(True)
        self.buttons.idClicked.connect(self.set_page_index)
        self.recompute = QtWidgets.QPushButton("Recompute")
        self.recompute.setToolTip("Compute the plateau again at the newest step")
        self.recompute.clicked.connect(self.start_plateau)
        self.recompute.setVisible(False)
        self.status = QtWidgets.QLabel()
        self.status.setStyleSheet(f"color: {theme.MUTED};")
        self.status.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,  # never widens the tab
                                  QtWidgets.QSizePolicy.Policy.Preferred)
        bar.addSpacing(8)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.recompute)

        self.drift = DriftView()
        self.updates = UpdateView()
        self.strip = UpdateStrip()
        self.plateau = PlateauView()
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.drift)
        self.updates_key = colour_key()
        self.strip_key = colour_key(STRIP_KEY)
        self.plateau_key = colour_key(PLATEAU_KEY)
        pair = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        pair.addWidget(with_key(self.updates, self.updates_key))
        pair.addWidget(with_key(self.strip, self.strip_key))
        pair.setStretchFactor(0, 1)
        pair.setStretchFactor(1, 1)
        pair.setChildrenCollapsible(False)
        self.stack.addWidget(pair)
        self.stack.addWidget(with_key(self.plateau, self.plateau_key))
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        for figure in self.figures():
            install_export_menu(figure, self)
        self._show_hint()

    # -- pages ----------------------------------------------------------------------------
    @property
    def page(self) -> str:
        """The page shown: ``drift``, ``updates`` or ``plateau``."""
        return PAGES[self.stack.currentIndex()]

    def set_page(self, name: str) -> None:
        """Show page `name` (one of `PAGES`)."""
        self.set_page_index(PAGES.index(name))

    def set_page_index(self, index: int) -> None:
        """Show page `index` of `PAGES`."""
        self.buttons.button(index).setChecked(True)
        if self.stack.currentIndex() != index:
            self.stack.setCurrentIndex(index)
            self._show_hint()
            self.refresh(self.upto, force=True)
            self.page_changed.emit(self.page)
        self._start_if_pending()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Draw what changed while hidden, and start a plateau that waited to be seen."""
        super().showEvent(event)
        self._lay_out()
        if self._dirty:
            self.refresh(self.upto, force=True)
        self._start_if_pending()

    def _show_hint(self) -> None:
        self.recompute.setVisible(self.page == "plateau" and self.unit is not None)
        if self.page == "plateau" and self.unit is None:
            self._set_status(_HINT)
        elif self.page == "drift":
            self._set_status("Pre-activations z of every unit on every probe point, binned "
                             "at each probe; colour: log10(1 + count); outer rows: beyond "
                             "the bin edges.")
        elif self.page == "updates":
            self._set_status("Step size relative to the weights it changed; around 1e-3 "
                             "is the rule of thumb.")

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)

    # -- the experiment -------------------------------------------------------------------
    def configure(self, experiment, lock, generation: int, activations: list[str],
                  lrs: list[float]) -> None:
        """Follow a new experiment (the lock is held by the training worker around each step).

        The unit selection is kept when the new networks have it; its plateau is recomputed.
        """
        self.runner.cancel()
        self.experiment, self.lock, self.generation = experiment, lock, int(generation)
        config = experiment.config
        # the plots are laid out when the view is first seen: a window (or a preset) that
        # never opens it does not pay for a plot per layer and per cell
        self._layout = (config.depth, list(activations), list(lrs))
        if self.isVisible():
            self._lay_out()
        self.plateau.set_loss_name(experiment.loss_name)
        self.upto = None
        if self.unit is not None:
            cell, layer, unit = self.unit
            if cell < config.n_networks and layer < config.depth and unit < config.width:
                self.select_unit(cell, layer, unit)
            else:
                self.clear_unit()
        self._dirty = True

    def _lay_out(self) -> None:
        """Lay out the drift, update and strip plots for the configured networks (once)."""
        if self._layout is None:
            return
        depth, activations, lrs = self._layout
        self._layout = None
        self.drift.configure(depth)
        self.updates.configure(depth + 1)
        self.updates_key.setText(self.updates.key_text)
        self.strip.configure(activations, lrs, depth + 1)

    def set_cell(self, cell: int) -> None:
        """Follow the selected cell; a unit of another cell is let go (its job cancelled)."""
        self.cell = int(cell)
        if self.unit is not None and self.unit[0] != self.cell:
            self.clear_unit()
        self.refresh(self.upto, force=True)

    def clear_unit(self) -> None:
        """Forget the unit and cancel its plateau."""
        self.unit = None
        self._pending_job = False
        self.runner.cancel()
        self._request = -1
        self.plateau.clear_surface("Plateau: click a unit in the selected cell's heatmap")
        self.buttons.button(2).setText(_PAGE_TITLES[2])
        self._show_hint()

    def select_unit(self, cell: int, layer: int, unit: int) -> None:
        """Select a unit of the selected cell; compute its plateau (when the page is seen)."""
        if self.experiment is None:
            return
        self.cell = int(cell)
        self.unit = (int(cell), int(layer), int(unit))
        self.buttons.button(2).setText(f"Plateau of {unit_name(layer, unit)}")
        self.plateau.clear_surface(f"Plateau of {unit_name(layer, unit)}: waiting")
        self.plateau.set_unit(layer, unit)
        self.runner.cancel()
        self._request = -1
        self._pending_job = True
        self._show_hint()
        self.refresh(self.upto, force=True)
        self._start_if_pending()

    def _start_if_pending(self) -> None:
        if self._pending_job and self.page == "plateau" and self.isVisible():
            self.start_plateau()

    def start_plateau(self) -> int:
        """Compute the selected unit's plateau at the newest step; return the request id."""
        if self.unit is None or self.experiment is None:
            return 0
        self._pending_job = False
        cell, layer, unit = self.unit
        empty = (np.zeros(0), np.zeros((0, 2)))
        steps, trajectory = self._read(lambda h: unit_trajectory(h, cell, layer, unit)
                                       if h.count else empty, empty)
        request = PlateauRequest(self.generation, cell, layer, unit,
                                 tuple(self.experiment.labels[cell]), steps, trajectory)
        job = PlateauJob(request, self.experiment, self.lock)
        self.jobs = [*self.jobs[-3:], job]
        self._request = self.runner.start(job)
        self._set_status(f"Computing the plateau of {unit_name(layer, unit)}: coarse 9 × 9 "
                         "grid first…")
        return self._request

    def _on_surface(self, request: int, payload) -> None:
        if request != self._request or payload is None:
            return
        r, step, surface = payload
        if surface is None or (r.generation, r.cell, r.layer, r.unit) != \
                (self.generation, *(self.unit or (-1, -1, -1))):
            return  # stale: another unit or experiment since
        name = unit_name(r.layer, r.unit)
        n = len(surface.bias)
        where = "on the flat plateau" if self._flat_now(surface) else "on a slope (has gradient)"
        self.plateau.set_surface(surface, step, f"Loss over {name}'s bias × incoming weight "
                                 f"norm, the rest held at step {step:,}")
        final = n == max(GRID_SIZES)
        self._set_status(f"{name} (layer {r.layer + 1}, unit {r.unit + 1}) at step "
                         f"{step:,}: {where} · grid {n} × {n}" + ("" if final else ", refining…"))

    @staticmethod
    def _flat_now(surface) -> bool:
        i = int(np.argmin(np.abs(surface.scale - surface.current[1])))
        j = int(np.argmin(np.abs(surface.bias - surface.current[0])))
        return bool(surface.flat[i, j])

    def _on_cancelled(self, request: int, _partial) -> None:
        if request == self._request:  # not replaced by another unit's job (that says so)
            self._set_status("Plateau cancelled: the experiment was reset; Recompute starts "
                             "it again.")

    def _on_failed(self, request: int, text: str) -> None:
        if request == self._request:
            self._set_status(f"Plateau failed: {text}")

    # -- data -----------------------------------------------------------------------------
    def _read(self, read, default=None):
        """Return ``read(history)`` while the training worker is between steps.

        Waits at most `LOCK_WAIT_S` for the worker's step to end; returns `default` (and
        leaves the view marked out of date) if it does not.
        """
        history = self.experiment.history
        if self.lock is None:
            return read(history)
        if not self.lock.acquire(timeout=LOCK_WAIT_S):
            self._dirty = True
            return default
        try:
            return read(history)
        finally:
            self.lock.release()

    def refresh(self, upto: int | None = None, force: bool = False) -> None:
        """Redraw the page shown from the history, records up to index `upto` (all when None).

        A hidden view only notes that it is out of date (it redraws when shown). Live
        (`upto` None), redraws come at most every `LIVE_INTERVAL_S` unless `force` (a user's
        action); one skipped is done when the interval ends.
        """
        self.upto = upto
        if self.experiment is None:
            return
        if not self.isVisible():
            self._dirty = True
            return
        self._lay_out()
        now = time.perf_counter()
        wait = self._last_live + LIVE_INTERVAL_S - now
        if upto is None and wait > 0 and not force:  # live: twice a second, the last one kept
            if not self._later.isActive():
                self._later.start(int(wait * 1000) + 1)
            return
        self._later.stop()
        self._last_live = now if upto is None else 0.0
        self._dirty = False
        cell, page = self.cell, self.page

        def read(h):
            n = h.count if upto is None else min(upto + 1, h.count)
            if n == 0:
                return None
            out = {"steps": h.recorded_steps[:n].copy()}
            if page == "drift":
                out["counts"] = h.extra("z_counts")[:n, cell].copy()
                out["nonpositive"] = h.extra("z_nonpositive")[:n, cell].astype(float)
                out["edges"] = self.experiment.diagnostics.edges[cell].copy()
            elif page == "updates":
                out["ratio"] = h.extra("update_ratio")[:n].astype(float)
                out["grad"] = h.grad_norms[:n, cell].astype(float)
            elif self.unit is not None:
                _, layer, unit = self.unit
                out["trajectory"] = unit_trajectory(h, cell, layer, unit)[1][:n]
            return out

        data = self._read(read)
        if data is None:
            return
        if page == "drift":
            self.drift.set_data(data["steps"], data["counts"], data["edges"],
                                data["nonpositive"])
        elif page == "updates":
            self.updates.set_data(data["steps"], data["ratio"][:, cell], data["grad"])
            self.strip.set_data(data["steps"], data["ratio"])
        elif "trajectory" in data:
            self.plateau.set_trajectory(data["steps"], data["trajectory"])
            self._follow()

    def _follow(self) -> None:
        """Live, recompute a finished plateau once training has moved well past its step."""
        held = self.plateau.surface_step
        if self.upto is not None or held < 0 or self.runner.busy or self.unit is None:
            return
        ahead = int(self.experiment.step) - held
        if ahead >= max(FOLLOW_RECORDS * self.experiment.config.log_every, FOLLOW_SHARE * held) \
                or (ahead > 0 and self._left_surface()):
            self.start_plateau()

    def _left_surface(self) -> bool:
        """Return True when the unit's newest recorded point lies outside the surface."""
        surface, traj = self.plateau.surface, self.plateau.trajectory
        if not len(traj) or not np.all(np.isfinite(traj[-1])):
            return False
        b, s = traj[-1]
        return not (surface.bias[0] <= b <= surface.bias[-1]
                    and surface.scale[0] <= s <= surface.scale[-1])

    def shutdown(self) -> bool:
        """Cancel the plateau and wait briefly for its thread; True when it ended."""
        return self.runner.shutdown(2.0)
