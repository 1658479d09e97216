"""Pruning dead ReLU units: remove them and their outgoing weights; the output does not change.

A ReLU unit that is inactive (``z <= 0``) on every data point outputs exactly 0 there, so its
outgoing weights multiply zeros: deleting the unit, its incoming weights and bias, and its
outgoing weights leaves the network's output on that data exactly as it was (up to the
order of floating-point summation). The expected gradient on every weight into a dead unit
is 0 as well, which `dead_unit_gradient` measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.network import Network
from models.theory.errors import SettingError


@dataclass
class PruneResult:
    """A pruned copy of a ReLU network and what pruning saved.

    Attributes
    ----------
    weights, biases : list of numpy.ndarray
        The pruned layers (hidden layers, then the linear read-out).
    kept : list of numpy.ndarray
        Indices of the units kept in each hidden layer.
    widths_before, widths_after : list of int
        Hidden widths before and after.
    params_before, params_after : int
        Weights plus biases before and after (batch-norm-free ReLU nets only).
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    kept: list[np.ndarray]
    widths_before: list[int]
    widths_after: list[int]
    params_before: int
    params_after: int

    @property
    def removed_units(self) -> int:
        """Hidden units removed."""
        return sum(self.widths_before) - sum(self.widths_after)

    @property
    def saved_fraction(self) -> float:
        """Fraction of the parameters removed."""
        return 1.0 - self.params_after / self.params_before if self.params_before else 0.0

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return the pruned network's output on `x`, shape (n, 1)."""
        return mlp_forward(self.weights, self.biases, x)


def mlp_forward(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    """Return the output of a ReLU MLP given as weight and bias lists (last layer linear).

    Parameters
    ----------
    weights, biases : list of numpy.ndarray
        ``W[l]`` of shape (fan_in, fan_out) and ``b[l]`` of shape (fan_out,).
    x : numpy.ndarray
        Inputs (n, fan_in of the first layer).

    Returns
    -------
    numpy.ndarray
        (n, 1) outputs (logits for a classifier).
    """
    h = np.asarray(x)
    for w, b in zip(weights[:-1], biases[:-1]):
        h = np.maximum(h @ w + b, 0)
    return h @ weights[-1] + biases[-1]


def _check(network: Network) -> None:
    if network.activation != "relu":
        raise ValueError(f"activation: pruning removes dead ReLU units; this network uses "
                         f"{network.activation!r}")
    if network.batch_norm:
        raise ValueError("batch_norm: pruning supports networks without batch norm")


def dead_units(network: Network, x: np.ndarray) -> list[np.ndarray]:
    """Return, per hidden layer, the bool mask of units with ``z <= 0`` on every row of `x`.

    Parameters
    ----------
    network : Network
        A ReLU network without batch norm.
    x : numpy.ndarray
        The data (n, n_inputs).

    Returns
    -------
    list of numpy.ndarray
        One (width,) bool mask per hidden layer.
    """
    _check(network)
    h = np.asarray(x, dtype=network.dtype)
    masks = []
    for w, b in zip(network.W[:-1], network.b[:-1]):
        z = h @ w + b
        masks.append(~np.any(z > 0, axis=0))
        h = np.maximum(z, 0)
    return masks


def _count(weights: list[np.ndarray], biases: list[np.ndarray]) -> int:
    return int(sum(w.size + b.size for w, b in zip(weights, biases)))


def prune_dead(network: Network, x: np.ndarray) -> PruneResult:
    """Remove the units of `network` that are dead on `x`, with their in- and outgoing weights.

    Parameters
    ----------
    network : Network
        A trained ReLU network without batch norm (unchanged by this call).
    x : numpy.ndarray
        The data on which the units are dead and on which the output is preserved.

    Returns
    -------
    PruneResult
        The pruned layers and the parameter counts.
    """
    masks = dead_units(network, x)
    weights = [w.copy() for w in network.W]
    biases = [b.copy() for b in network.b]
    kept = []
    for layer, mask in enumerate(masks):
        keep = np.flatnonzero(~mask)
        kept.append(keep)
        weights[layer] = weights[layer][:, keep]
        biases[layer] = biases[layer][keep]
        weights[layer + 1] = weights[layer + 1][keep, :]
    return PruneResult(weights, biases, kept, list(network.widths), [k.size for k in kept],
                       _count(network.W, network.b), _count(weights, biases))


def dead_unit_gradient(network: Network, x: np.ndarray, y: np.ndarray) -> float:
    """Return the largest absolute loss gradient on any weight or bias into a dead unit.

    Parameters
    ----------
    network : Network
        A ReLU network without batch norm.
    x, y : numpy.ndarray
        Data (the units are judged dead on `x`) and targets.

    Returns
    -------
    float
        0.0 exactly when the theory holds (no gradient reaches a dead unit's weights).
    """
    masks = dead_units(network, x)
    _, grads = network.loss_and_gradients(np.asarray(x, network.dtype),
                                          np.asarray(y, network.dtype))
    largest = 0.0
    for layer, mask in enumerate(masks):
        if mask.any():
            largest = max(largest, float(np.abs(grads[2 * layer][:, mask]).max()),
                          float(np.abs(grads[2 * layer + 1][mask]).max()))
    return largest


_CONFIG_FIELDS = {"width": "prune_width", "depth": "prune_depth", "lrs": "prune_lr",
                  "steps": "prune_steps", "seed": "seed", "width x depth": "prune_width"}


def pruning_config(width: int = 32, depth: int = 3, lr: float = 3.0, steps: int = 300,
                   dataset: str = "spiral", seed: int = 0):
    """Return the validated config `pruning_demo` trains (see there for the parameters).

    Raises
    ------
    SettingError
        With the theory setting's name (``prune_width``, ``prune_depth``, ``prune_lr``,
        ``prune_steps``, ``seed``).
    """
    from models.config import ConfigError, ExperimentConfig

    try:
        return ExperimentConfig(seed=seed, dataset=dataset, width=width, depth=depth,
                                activations=("relu",), lrs=(lr,), steps=steps,
                                dtype="float64")
    except ConfigError as exc:
        field, problem = exc.field, exc.problem
        related = ("prune_depth",) if field == "width" and "parameters" in problem else ()
        raise SettingError(_CONFIG_FIELDS.get(field, field), problem, related) from None


def pruning_demo(width: int = 32, depth: int = 3, lr: float = 3.0, steps: int = 300,
                 dataset: str = "spiral", seed: int = 0):
    """Train a float64 ReLU network hard enough to kill units, prune it and compare outputs.

    Parameters
    ----------
    width, depth : int
        Hidden layer shape.
    lr : float
        Learning rate (large rates kill units).
    steps : int
        Training steps.
    dataset : str
        Generated dataset name.
    seed : int
        Seed.

    Raises
    ------
    SettingError
        ``prune_lr`` when training diverges (no NaN result is ever returned), or a setting
        the config refuses.

    Returns
    -------
    (Network, numpy.ndarray, PruneResult, float)
        The trained network, the data it was judged on, the pruned result and the largest
        absolute difference between the two outputs on that data.
    """
    from models.experiment import Experiment

    config = pruning_config(width, depth, lr, steps, dataset, seed)
    experiment = Experiment(config)
    with np.errstate(all="ignore"):  # a diverging run is reported below, as one line
        experiment.run(steps)
        network = experiment.networks[0]
        x = experiment.x
        before = network.forward(x, train=False).copy()
        result = prune_dead(network, x)
        after = result.forward(x)
    if network.diverged or not (np.all(np.isfinite(before)) and np.all(np.isfinite(after))):
        raise SettingError("prune_lr", f"training at learning rate {lr:g} diverged (the loss or "
                           "the output overflowed); use a smaller learning rate")
    return network, x, result, float(np.max(np.abs(before - after)))
