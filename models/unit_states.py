"""Per-unit states on a probe set: dead, dormant, saturated or alive (SCIENCE.md section 5)."""

from __future__ import annotations

import numpy as np

ALIVE, DORMANT, SATURATED, DEAD = 0, 1, 2, 3
STATE_NAMES: tuple[str, ...] = ("alive", "dormant", "saturated", "dead")


def flat_units(derivative: np.ndarray, eps: float) -> np.ndarray:
    """Return which units have ``|phi'(z)| < eps`` on every probe point.

    Parameters
    ----------
    derivative : numpy.ndarray
        (n, width) activation derivative at every probe point.
    eps : float
        Threshold on the derivative's absolute value (signed derivatives count: a GELU or
        SiLU unit with ``phi' = -0.08`` has a gradient).

    Returns
    -------
    numpy.ndarray
        (width,) bool.
    """
    if derivative.shape[0] == 0:
        return np.ones(derivative.shape[1], bool)
    # two reductions instead of np.abs: no (n, width) temporary
    return (derivative.max(axis=0) < eps) & (derivative.min(axis=0) > -eps)


def unit_states(positive: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """Return each unit's state from its activity count and whether it has any gradient.

    Parameters
    ----------
    positive : numpy.ndarray
        (width,) number of probe points with pre-activation ``z > 0``.
    flat : numpy.ndarray
        (width,) bool: ``|phi'(z)| < eps`` on every probe point (`flat_units`).

    Returns
    -------
    numpy.ndarray
        (width,) uint8 codes: `DEAD` (no gradient on any point and off on every point),
        `SATURATED` (no gradient on any point but on for some: tanh or sigmoid saturated
        high, ReLU6 above 6), `DORMANT` (off on every point but with a gradient, e.g. Leaky
        ReLU or a negative-side GELU), else `ALIVE`.
    """
    off = np.asarray(positive) == 0
    flat = np.asarray(flat, bool)
    state = np.full(off.shape, ALIVE, np.uint8)
    state[off & ~flat] = DORMANT
    state[flat & ~off] = SATURATED
    state[flat & off] = DEAD
    return state


def state_fractions(state: np.ndarray, units: int | None = None) -> np.ndarray:
    """Return the fraction of units in each state along the last axis.

    Parameters
    ----------
    state : numpy.ndarray
        (..., width) uint8 state codes.
    units : int, optional
        Denominator (real units, when `state` is padded); the last axis' length when None.

    Returns
    -------
    numpy.ndarray
        (..., 4) fractions in the order of `STATE_NAMES`.
    """
    units = state.shape[-1] if units is None else units
    counts = np.stack([np.count_nonzero(state == code, axis=-1) for code in range(4)], -1)
    return counts / max(units, 1)
