"""Update sizes: the update-to-data ratio of each layer's weights, from the step applied."""

from __future__ import annotations

import numpy as np


def update_ratios(before: list[np.ndarray], after: list[np.ndarray]) -> np.ndarray:
    """Return ``||W_after - W_before|| / ||W_before||`` per layer (Frobenius norms).

    Parameters
    ----------
    before, after : list of numpy.ndarray
        Each layer's weight matrix before and after one optimizer step, input layer
        first (the read-out last).

    Returns
    -------
    numpy.ndarray
        (len(before),) float64 ratios; NaN where ``||W_before|| = 0`` and the step is not
        zero, 0 where both are zero.
    """
    ratios = np.empty(len(before))
    for k, (old, new) in enumerate(zip(before, after)):
        step = np.sqrt(_sq(new - old))
        size = np.sqrt(_sq(old))
        ratios[k] = step / size if size > 0 else (0.0 if step == 0 else np.nan)
    return ratios


def _sq(a: np.ndarray) -> float:
    flat = a.ravel().astype(np.float64, copy=False)
    return float(np.dot(flat, flat))


def applied_update_ratios(net) -> np.ndarray:
    """Return the update-to-data ratio of the optimizer step `net` has just applied.

    Uses the real parameter change (SGD, momentum and Adam alike): after a step the
    network still holds its previous weights (``Network.weights_before_step``). NaN for a
    diverged network (its last step was not applied).
    """
    if net.diverged:
        return np.full(len(net.W), np.nan)
    return update_ratios(net.weights_before_step(), net.W)
