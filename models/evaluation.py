"""Test loss and accuracy of a network: one forward pass on the held-out points per probe."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.network import Network, ProbeResult

__all__ = ["CellProbe", "accuracy", "evaluate", "last_output"]

NAN = float("nan")


@dataclass
class CellProbe(ProbeResult):
    """A probe of one cell: the probe set's `ProbeResult` plus its held-out evaluation.

    Attributes
    ----------
    test_loss : float
        Mean loss on the held-out test points (NaN without test points or once diverged),
        in the training loss' units (nats for BCE).
    train_accuracy, test_accuracy : float
        Fraction of training / test points classified right (NaN for regression, without
        points, or once diverged).
    """

    test_loss: float = NAN
    train_accuracy: float = NAN
    test_accuracy: float = NAN


def accuracy(out: np.ndarray, y: np.ndarray, loss_name: str) -> float:
    """Return the fraction of points whose predicted class is their label.

    Parameters
    ----------
    out : numpy.ndarray
        (n, 1) network outputs: logits for BCE (class 1 when ``out > 0``, i.e. probability
        above 0.5), values for MSE (class 1 when ``out > 0.5``).
    y : numpy.ndarray
        (n, 1) 0/1 labels.
    loss_name : str
        ``"bce"`` or ``"mse"``.

    Returns
    -------
    float
        In [0, 1]; NaN for no points.
    """
    n = out.shape[0]
    if n == 0:
        return NAN
    threshold = 0.0 if loss_name == "bce" else 0.5
    return int(np.count_nonzero((out > threshold) == (y > 0.5))) / n


def evaluate(net: Network, x: np.ndarray, y: np.ndarray, bn_probe: str = "batch",
             classify: bool = True) -> tuple[float, float]:
    """Return a network's mean loss and accuracy on points it is not trained on.

    One forward pass in evaluation mode, on the network's own preallocated buffers for
    ``len(x)`` points; batch norm normalises like the probe does (`bn_probe`). Nothing the
    network trains with changes.

    Parameters
    ----------
    net : Network
        The network.
    x, y : numpy.ndarray
        The points, shapes (n, n_inputs) and (n, 1), in the network's dtype.
    bn_probe : str
        ``"batch"`` (the points' own statistics) or ``"running"``.
    classify : bool
        Whether the targets are classes (else the accuracy is NaN).

    Returns
    -------
    (float, float)
        Loss (NaN for no points or a diverged net) and accuracy.
    """
    if net.diverged or x.shape[0] == 0:
        return NAN, NAN
    out = net.forward(x, train=False, batch_stats=bn_probe == "batch")
    right = accuracy(out, y, net.loss_name) if classify else NAN
    return net.output_loss(out, y), right  # the very arithmetic of the training loss


def last_output(net: Network, n: int) -> np.ndarray:
    """Return the outputs of the network's last forward pass on `n` points (read-only).

    Right after ``net.probe(x, ...)`` with ``len(x) == n`` these are the probe's outputs
    (the pre-activation diagnostics read the same buffers), so the training accuracy costs
    no second forward pass.
    """
    return net.last_pass(n).out
