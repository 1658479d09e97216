"""What the training worker sends the view: a `Frame`, and the grid of the selected output."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models.experiment import Snapshot

__all__ = ["BOUNDARY_RESOLUTION", "CURVE_RESOLUTION", "Frame", "output_grid"]

BOUNDARY_RESOLUTION = 72  # decision-boundary grid points per axis (2-D datasets)
CURVE_RESOLUTION = 256  # points of the fitted curve (1-D datasets)


@dataclass
class Frame:
    """What the worker sends to the view: a snapshot plus the selected cell's output.

    Attributes
    ----------
    generation : int
        Id of the experiment this frame belongs to (increments on every reset).
    snapshot : Snapshot
        The grid's state (arrays only).
    selected : int
        Index of the cell whose output is in `grid_x` / `output`.
    grid_x : numpy.ndarray
        For 2-D data: (2, n) the x and y coordinates of the output grid (each axis `n`
        points); for 1-D data: (n,) the input values of the fitted curve.
    output : numpy.ndarray
        For 2-D data: (n, n) the selected network's output on the grid, row = y index;
        for 1-D data: (n,) its output on `grid_x`.
    playing : bool
        Whether the worker is training.
    events : list of str
        Messages of interventions applied since the previous frame.
    """

    generation: int
    snapshot: Snapshot
    selected: int
    grid_x: np.ndarray
    output: np.ndarray
    playing: bool
    events: list[str] = field(default_factory=list)


def output_grid(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the grid on which to show a network's output for data `x`.

    Parameters
    ----------
    x : numpy.ndarray
        (n, d) training inputs, d = 1 or 2 (other d: the first input only).

    Returns
    -------
    grid_x : numpy.ndarray
        (2, n) axis coordinates (2-D) or (n,) input values (1-D).
    points : numpy.ndarray
        The points to evaluate, (n*n, 2) row-major over (y, x) or (n, d).
    """
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9)
    lo, hi = lo - pad, hi + pad
    if x.shape[1] == 2:
        n = BOUNDARY_RESOLUTION
        gx = np.linspace(lo[0], hi[0], n)
        gy = np.linspace(lo[1], hi[1], n)
        xx, yy = np.meshgrid(gx, gy)
        return np.stack([gx, gy]), np.column_stack([xx.ravel(), yy.ravel()])
    n = CURVE_RESOLUTION
    gx = np.linspace(lo[0], hi[0], n)
    points = np.zeros((n, x.shape[1]))
    points[:, 0] = gx
    return gx, points
