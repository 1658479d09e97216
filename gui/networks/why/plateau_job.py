"""The plateau computation run by the tab's background runner: copy the net, yield surfaces."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np

from models.diagnostics import GRID_SIZES, UnitPlane, plane_ranges, plateau_surfaces

__all__ = ["PlateauJob", "PlateauRequest", "snapped_ranges"]


def snapped_ranges(current: tuple[float, float], trajectory: np.ndarray | None,
                   n: int = GRID_SIZES[0]
                   ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return `plane_ranges` shifted so that `current` is a node of an `n`-point grid.

    The finer grids of `GRID_SIZES` contain the coarse grid's nodes, so the current
    (bias, weight norm) is a node of every level: the surface passes exactly through it.
    The weight-norm range starts at or above 0 (within one spacing of it).
    """
    (b_lo, b_hi), (s_lo, s_hi) = plane_ranges(current, trajectory)
    out = []
    for value, lo, hi in ((current[0], b_lo, b_hi), (current[1], s_lo, s_hi)):
        spacing = (hi - lo) / (n - 1)
        start = value - math.floor((value - lo) / spacing) * spacing
        out.append((float(start), float(start + (n - 1) * spacing)))
    return out[0], out[1]


@dataclass
class PlateauRequest:
    """What one plateau computation is about (made on the GUI thread).

    Attributes
    ----------
    generation, cell, layer, unit : int
        The experiment's generation and the unit (layer 0 = nearest the input).
    label : (str, float)
        The cell's activation and learning rate.
    steps, trajectory : numpy.ndarray
        The unit's recorded (bias, incoming weight norm) history, copied.
    """

    generation: int
    cell: int
    layer: int
    unit: int
    label: tuple[str, float]
    steps: np.ndarray
    trajectory: np.ndarray


@dataclass
class PlateauJob:
    """The work of one request: ``job(task)`` for `gui.runner.Runner.start`.

    The network is copied under `lock` (the training worker's lock, held around every
    step), so the surface holds everything at one real step, `step`. Each surface is
    reported as ``(request, surface)``; the return value is the last surface (or None).

    Attributes
    ----------
    levels_done : int
        Surfaces computed (set on the runner's thread).
    stopped : bool
        True when the run ended because it was cancelled.
    step : int
        The step whose parameters are held (-1 until copied).
    """

    request: PlateauRequest
    experiment: object
    lock: object
    sizes: tuple[int, ...] = GRID_SIZES
    levels_done: int = 0
    stopped: bool = False
    step: int = -1
    ended: threading.Event = field(default_factory=threading.Event)

    def __call__(self, task):
        """Copy the unit's network, then report every surface, coarse first."""
        try:
            return self._run(task)
        finally:
            self.ended.set()

    def _run(self, task):
        r, exp = self.request, self.experiment
        while not self.lock.acquire(timeout=0.05):  # wait for the step to end, or a cancel
            if task.cancelled():
                self.stopped = True
                return None
        try:
            self.step = int(exp.step)
            plane = UnitPlane(exp.networks[r.cell], exp.x, exp.y, r.layer, r.unit,
                              batch_stats=exp.config.bn_probe == "batch")
        finally:
            self.lock.release()
        bias_range, scale_range = snapped_ranges(plane.current, r.trajectory, self.sizes[0])
        last = None
        for surface in plateau_surfaces(plane, bias_range, scale_range, self.sizes,
                                        should_stop=task.cancelled):
            last = surface
            self.levels_done += 1
            task.report((r, self.step, surface))
        self.stopped = task.cancelled() and self.levels_done < len(self.sizes)
        return (r, self.step, last)
