"""Batch normalisation of a hidden layer: its statistics, normalisation and backward pass."""

from __future__ import annotations

import numpy as np

BN_EPS = 1e-5
BN_MOMENTUM = 0.1


def statistics(a: np.ndarray, running_mean: np.ndarray, running_var: np.ndarray, train: bool,
               batch_stats: bool, started: bool) -> tuple[np.ndarray, np.ndarray]:
    """Return the (mean, variance) a layer normalises with; training updates the running ones.

    Parameters
    ----------
    a : numpy.ndarray
        (n, width) pre-normalisation values ``W h + b``.
    running_mean, running_var : numpy.ndarray
        (width,) running statistics, updated in place when `train`.
    train : bool
        Training: normalise with the batch's statistics and fold them into the running ones
        (momentum `BN_MOMENTUM`; the first training batch replaces them).
    batch_stats : bool
        Outside training, normalise with the batch's own statistics (True) or with the
        running ones (False).
    started : bool
        Whether a training step has already folded statistics into the running ones.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Mean and variance per unit: float64 batch statistics (accumulated in float64: one
        outlier in a float32 batch otherwise leaves the ordinary points' small spread to
        round-off), or the running arrays themselves.
    """
    if train or batch_stats:
        mean = a.mean(axis=0, dtype=np.float64)
        var = a.var(axis=0, dtype=np.float64)
    else:
        mean, var = running_mean, running_var
    if train and not started:
        running_mean[...] = mean
        running_var[...] = var
    elif train:
        running_mean *= 1 - BN_MOMENTUM
        running_mean += BN_MOMENTUM * mean
        running_var *= 1 - BN_MOMENTUM
        running_var += BN_MOMENTUM * var
    return mean, var


def normalise(a: np.ndarray, mean: np.ndarray, var: np.ndarray, gamma: np.ndarray,
              beta: np.ndarray, xhat: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Write ``xhat = (a - mean) / sqrt(var + eps)`` and ``z = gamma xhat + beta``.

    Parameters
    ----------
    a : numpy.ndarray
        (n, width) pre-normalisation values.
    mean, var : numpy.ndarray
        (width,) statistics to normalise with (see `statistics`).
    gamma, beta : numpy.ndarray
        (width,) learned scale and shift.
    xhat, z : numpy.ndarray
        (n, width) output buffers, filled in place.

    Returns
    -------
    numpy.ndarray
        ``1 / sqrt(var + BN_EPS)`` per unit (the backward pass needs it).
    """
    inv_std = 1.0 / np.sqrt(var + BN_EPS)
    np.subtract(a, mean, out=xhat)
    xhat *= inv_std
    np.multiply(xhat, gamma, out=z)
    z += beta
    return inv_std


def backward(dz: np.ndarray, xhat: np.ndarray, gamma: np.ndarray, inv_std: np.ndarray,
             da: np.ndarray, dgamma: np.ndarray, dbeta: np.ndarray) -> np.ndarray:
    """Back-propagate ``dL/dz`` through a training-mode batch normalisation.

    Parameters
    ----------
    dz : numpy.ndarray
        (n, width) ``dL/dz``.
    xhat : numpy.ndarray
        (n, width) the normalised values of the forward pass.
    gamma : numpy.ndarray
        (width,) scale of the forward pass.
    inv_std : numpy.ndarray
        (width,) ``1 / sqrt(var + eps)`` of the forward pass (the batch's statistics).
    da : numpy.ndarray
        (n, width) output buffer for ``dL/da``.
    dgamma, dbeta : numpy.ndarray
        (width,) output buffers for the gradients of `gamma` and ``beta``.

    Returns
    -------
    numpy.ndarray
        `da`, filled.
    """
    n = dz.shape[0]
    dgamma[...] = np.sum(dz * xhat, axis=0)
    dbeta[...] = np.sum(dz, axis=0)
    dxhat = dz * gamma
    np.multiply(dxhat, n, out=da)
    da -= dxhat.sum(axis=0, dtype=np.float64)
    da -= xhat * np.sum(dxhat * xhat, axis=0, dtype=np.float64)
    da *= inv_std / n
    return da
