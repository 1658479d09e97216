"""Leaky ReLU driven by ``b + A sin(wt)``: closed forms of its mean and first harmonic."""

from __future__ import annotations

import numpy as np


def _regimes(b, amplitude, alpha):
    b = np.asarray(b, dtype=float)
    amplitude = np.asarray(amplitude, dtype=float)
    if np.any(amplitude < 0):
        raise ValueError("amplitude A must not be negative")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha ({alpha}) must be between 0 and 1")
    b, amplitude = np.broadcast_arrays(b, amplitude)
    safe_a = np.where(amplitude > 0, amplitude, 1.0)
    ratio = np.clip(b / safe_a, -1.0, 1.0)
    beta = np.arcsin(ratio)
    root = np.sqrt(np.maximum(amplitude**2 - b**2, 0.0))
    above = b >= amplitude
    below = b <= -amplitude
    return b, amplitude, ratio, beta, root, above, below


def leaky_relu_mean(b, amplitude, alpha: float) -> np.ndarray:
    """Return the time average of ``leaky_relu(b + A sin(wt), alpha)``.

    ``(1+alpha) b/2 + ((1-alpha)/pi)(sqrt(A^2-b^2) + b arcsin(b/A))`` for ``|b| < A``,
    ``b`` for ``b >= A`` and ``alpha b`` for ``b <= -A``.

    Parameters
    ----------
    b : float or array_like
        Offset of the input.
    amplitude : float or array_like
        Amplitude ``A >= 0``.
    alpha : float
        Negative-side slope, ``0 <= alpha <= 1``.

    Returns
    -------
    numpy.ndarray
        The mean output.
    """
    b, amplitude, _, beta, root, above, below = _regimes(b, amplitude, alpha)
    middle = (1 + alpha) * b / 2 + (1 - alpha) / np.pi * (root + b * beta)
    return np.where(above, b, np.where(below, alpha * b, middle))


def leaky_relu_first_harmonic(b, amplitude, alpha: float) -> np.ndarray:
    """Return the in-phase first-harmonic amplitude of ``leaky_relu(b + A sin(wt), alpha)``.

    The output's component at ``w`` is ``H sin(wt)`` (no cosine part) with
    ``H = (1+alpha) A/2 + ((1-alpha)/pi)(A arcsin(b/A) + (b/A) sqrt(A^2-b^2))`` for
    ``|b| < A``, ``A`` for ``b >= A`` and ``alpha A`` for ``b <= -A``.

    Parameters
    ----------
    b : float or array_like
        Offset of the input.
    amplitude : float or array_like
        Amplitude ``A >= 0``.
    alpha : float
        Negative-side slope, ``0 <= alpha <= 1``.

    Returns
    -------
    numpy.ndarray
        The harmonic amplitude ``H`` (``2/T`` times the integral of output times ``sin``).
    """
    b, amplitude, ratio, beta, root, above, below = _regimes(b, amplitude, alpha)
    middle = (1 + alpha) * amplitude / 2 + (1 - alpha) / np.pi * (amplitude * beta + ratio * root)
    return np.where(above, amplitude, np.where(below, alpha * amplitude, middle))
