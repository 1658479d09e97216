"""The plateau: one unit's training loss over its bias and incoming weight scale.

Everything else is held at the network's current parameters. The weight axis is the norm
``s`` of the unit's incoming weight vector with its direction fixed at the current one
(``w = (s / s0) w0``), so the surface passes exactly through the current point. A grid point
is *flat* when the unit's activation derivative is exactly 0 on every training point: there
the loss does not depend on the unit's bias or weights at all (the dead unit's plateau).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from models.activations import derivative as activation_derivative
from models.diagnostics.preactivations import preactivation_arrays

GRID_SIZES: tuple[int, ...] = (9, 33)  # coarse, then refined (33 = 4 * 8 + 1 reuses the coarse)


@dataclass
class PlateauSurface:
    """The loss of one unit's (bias, weight scale) plane.

    Attributes
    ----------
    bias : numpy.ndarray
        (nb,) bias values (columns).
    scale : numpy.ndarray
        (ns,) incoming weight norms ``||w||`` (rows), direction fixed at the current one.
    loss : numpy.ndarray
        (ns, nb) training loss.
    flat : numpy.ndarray
        (ns, nb) bool: ``phi'(z) = 0`` on every training point.
    current : tuple of float
        The unit's (bias, weight norm) now.
    level : int
        0 for the coarse grid, then 1, ... for refinements.
    """

    bias: np.ndarray
    scale: np.ndarray
    loss: np.ndarray
    flat: np.ndarray
    current: tuple[float, float]
    level: int = 0

    def bias_gradient(self) -> np.ndarray:
        """Return d loss / d bias on the grid (finite differences, one-sided at the edges)."""
        return np.gradient(self.loss, self.bias, axis=1)


class UnitPlane:
    """Evaluate the loss with one unit's bias and weight norm set, on a private copy of a net.

    Parameters
    ----------
    net : models.network.Network
        The network (not modified: a copy is evaluated).
    x, y : numpy.ndarray
        Training data (in the network's dtype).
    layer : int
        Hidden layer, 0 = nearest the input.
    unit : int
        Unit within the layer.
    batch_stats : bool
        Batch norm normalises with the data's own statistics (as the probe does by default).
    """

    def __init__(self, net, x: np.ndarray, y: np.ndarray, layer: int, unit: int,
                 batch_stats: bool = True) -> None:
        if not 0 <= layer < net.depth:
            raise IndexError(f"layer {layer + 1} is not a hidden layer (1..{net.depth})")
        if not 0 <= unit < net.widths[layer]:
            raise IndexError(f"unit {unit} is not in layer {layer + 1} "
                             f"(0..{net.widths[layer] - 1})")
        self.net = copy.deepcopy(net)
        self.x, self.y = x, y
        self.layer, self.unit = int(layer), int(unit)
        self.batch_stats = bool(batch_stats)
        self.w0 = self.net.W[layer][:, unit].copy()
        self.b0 = float(self.net.b[layer][unit])
        self.s0 = float(np.sqrt(np.dot(self.w0.astype(np.float64), self.w0)))
        if self.s0 == 0:  # no direction to scale: use the uniform one
            self.w0 = np.full_like(self.w0, 1.0 / np.sqrt(self.w0.size))
        self.current = (self.b0, self.s0)

    def evaluate(self, bias: float, scale: float) -> tuple[float, bool]:
        """Return (training loss, flat) with the unit's bias and incoming weight norm set."""
        net, layer, unit = self.net, self.layer, self.unit
        factor = scale / self.s0 if self.s0 > 0 else scale
        net.W[layer][:, unit] = self.w0 if factor == 1.0 else self.w0 * factor
        net.b[layer][unit] = bias
        with np.errstate(all="ignore"):
            out = net.forward(self.x, train=False, batch_stats=self.batch_stats)
            loss = net.output_loss(out, self.y)  # the loss the probe reports
            z = preactivation_arrays(net, self.x.shape[0])[layer][:, unit]
            d = activation_derivative(net.activation, z, float(net.params_act[layer]))
        return float(loss), bool(np.all(d == 0))

    def bias_slope(self, delta: float = 1e-3) -> float:
        """Return the central difference ``(L(b0 + delta) - L(b0 - delta)) / (2 delta)``."""
        up = self.evaluate(self.b0 + delta, self.s0)[0]
        down = self.evaluate(self.b0 - delta, self.s0)[0]
        return (up - down) / (2 * delta)


def plane_ranges(current: tuple[float, float], trajectory: np.ndarray | None = None,
                 pad: float = 0.5) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return (bias range, weight-norm range) covering the current point and the trajectory.

    The bias range is padded by `pad` times its span (at least 1 either side); the norm
    range runs from 0 to 1.5 times the largest norm (1 when all are 0).
    """
    b = [current[0]]
    s = [current[1]]
    if trajectory is not None and len(trajectory):
        finite = np.all(np.isfinite(trajectory), axis=1)
        b += list(trajectory[finite, 0])
        s += list(trajectory[finite, 1])
    low, high = min(b), max(b)
    margin = max(pad * (high - low), 1.0)
    top = 1.5 * max(s) if max(s) > 0 else 1.0
    return (low - margin, high + margin), (0.0, top)


def plateau_surfaces(plane: UnitPlane, bias_range: tuple[float, float],
                     scale_range: tuple[float, float], sizes: tuple[int, ...] = GRID_SIZES,
                     should_stop: Callable[[], bool] | None = None
                     ) -> Iterator[PlateauSurface]:
    """Yield the plane's loss surface on ever finer grids (coarse first).

    Parameters
    ----------
    plane : UnitPlane
        The unit and network.
    bias_range, scale_range : tuple of float
        The plane's extent.
    sizes : tuple of int
        Points per axis of each grid; a grid whose points include the previous one's
        (``n_fine - 1`` a multiple of ``n_coarse - 1``) reuses those values.
    should_stop : callable, optional
        Polled between rows: when it returns True the generator stops (cancelled). Closing
        the generator cancels too.

    Yields
    ------
    PlateauSurface
        One per size, ``level`` 0, 1, ...
    """
    previous = None
    for level, n in enumerate(sizes):
        bias = np.linspace(*bias_range, n)
        scale = np.linspace(*scale_range, n)
        loss = np.full((n, n), np.nan)
        flat = np.zeros((n, n), bool)
        known = np.zeros((n, n), bool)
        if previous is not None and (n - 1) % (len(previous.bias) - 1) == 0:
            k = (n - 1) // (len(previous.bias) - 1)
            loss[::k, ::k], flat[::k, ::k], known[::k, ::k] = previous.loss, previous.flat, True
        for i, s in enumerate(scale):
            if should_stop is not None and should_stop():
                return
            for j, b in enumerate(bias):
                if not known[i, j]:
                    loss[i, j], flat[i, j] = plane.evaluate(float(b), float(s))
        previous = PlateauSurface(bias, scale, loss, flat, plane.current, level)
        yield previous


def unit_trajectory(history, cell: int, layer: int, unit: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (steps, (n, 2) bias and incoming weight norm) of a unit from the history."""
    bias = history.extra("unit_bias")[:, cell, layer, unit].astype(float)
    norm = history.extra("unit_weight_norm")[:, cell, layer, unit].astype(float)
    return history.recorded_steps.copy(), np.column_stack([bias, norm])
