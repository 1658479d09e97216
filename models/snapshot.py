"""`Snapshot`: the state of every network of a grid at one step, as arrays only."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models.unit_states import DORMANT, SATURATED


@dataclass
class Snapshot:
    """The state of every network of a grid at one step: arrays only, safe to hand to a view.

    Attributes
    ----------
    step : int
        Training steps taken.
    labels : list of (str, float)
        (activation, learning rate) of each network, row-major over the grid.
    losses : numpy.ndarray
        (K,) loss on the probe set (NaN once diverged).
    activity : numpy.ndarray
        (K, depth, width) fraction of probe points on which each unit has ``z > 0``.
    dead : numpy.ndarray
        (K, depth, width) bool dead mask (no gradient and off on every probe point).
    dead_fraction : numpy.ndarray
        (K,) fraction of hidden units dead.
    dead_fraction_layers : numpy.ndarray
        (K, depth) fraction dead per layer (index 0 = the layer nearest the input).
    zero_gradient_fraction : numpy.ndarray
        (K,) fraction of (probe point, unit) pairs with activation derivative exactly 0.
    grad_norms : numpy.ndarray
        (K, depth + 1) gradient norm per layer at the last step.
    diverged : numpy.ndarray
        (K,) bool.
    events : list of str
        Messages of interventions since the previous snapshot.
    state : numpy.ndarray or None
        (K, depth, width) uint8 unit states (`models.unit_states`).
    test_losses : numpy.ndarray or None
        (K,) loss on the held-out test points, in the units of `losses` (NaN once diverged
        or without test points).
    train_accuracy, test_accuracy : numpy.ndarray or None
        (K,) fraction of training / test points classified right (NaN for regression).
    """

    step: int
    labels: list[tuple[str, float]]
    losses: np.ndarray
    activity: np.ndarray
    dead: np.ndarray
    dead_fraction: np.ndarray
    dead_fraction_layers: np.ndarray
    zero_gradient_fraction: np.ndarray
    grad_norms: np.ndarray
    diverged: np.ndarray
    events: list[str] = field(default_factory=list)
    state: np.ndarray | None = None
    test_losses: np.ndarray | None = None
    train_accuracy: np.ndarray | None = None
    test_accuracy: np.ndarray | None = None

    def held_out(self, name: str) -> np.ndarray:
        """Return ``test_losses``, ``train_accuracy`` or ``test_accuracy`` (NaN when absent)."""
        value = getattr(self, name)
        return np.full(len(self.losses), np.nan) if value is None else value

    def state_fraction(self, code: int) -> np.ndarray:
        """Return the (K,) fraction of hidden units in state `code` (zeros without states)."""
        k = len(self.losses)
        if self.state is None or self.state.size == 0:
            return np.zeros(k)
        return (self.state.reshape(k, -1) == code).mean(axis=1)

    @property
    def dormant_fraction(self) -> np.ndarray:
        """(K,) fraction of hidden units off on every point but with a gradient."""
        return self.state_fraction(DORMANT)

    @property
    def saturated_fraction(self) -> np.ndarray:
        """(K,) fraction of hidden units with no gradient while on (saturated)."""
        return self.state_fraction(SATURATED)
