"""How the best-fit Leaky ReLU moves as g_L or noise changes (fits to analytic f-I curves)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro.fi_curve import theory_fit
from neuro.parameters import LifParameters

SCANNABLE = {"noise_mv": "noise sigma (mV)", "g_leak_ns": "leak conductance g_L (nS)"}


@dataclass(frozen=True)
class AlphaScan:
    """Fitted Leaky ReLU parameters along one scanned neuron parameter.

    Attributes
    ----------
    name : str
        The scanned field (``noise_mv`` or ``g_leak_ns``).
    values : numpy.ndarray
        Its values.
    alpha, gain_hz_per_na, threshold_na : numpy.ndarray
        The three-parameter fit ``gain * max(alpha z, z)``, ``z = I - I_th``.
    alpha_with_offset : numpy.ndarray
        Alpha of the fit with an output bias (``offset + gain * max(alpha z, z)``).
    """

    name: str
    values: np.ndarray
    alpha: np.ndarray
    gain_hz_per_na: np.ndarray
    threshold_na: np.ndarray
    alpha_with_offset: np.ndarray


def default_scan_values(name: str) -> np.ndarray:
    """Return the default grid for `name`: noise 0-12 mV or g_L 2-40 nS."""
    if name == "noise_mv":
        return np.linspace(0.0, 12.0, 9)
    if name == "g_leak_ns":
        return np.geomspace(2.0, 40.0, 9)
    raise ValueError(f"scan parameter ({name!r}) must be one of {', '.join(SCANNABLE)}")


def scan_alpha(params: LifParameters, name: str, values=None) -> AlphaScan:
    """Fit Leaky ReLUs to the analytic f-I curve at each value of `name`.

    Parameters
    ----------
    params : LifParameters
        The other parameters.
    name : {"noise_mv", "g_leak_ns"}
        The field to scan.
    values : array_like, optional
        Its values; defaults to `default_scan_values`.

    Returns
    -------
    AlphaScan
        Fitted parameters per value.

    Raises
    ------
    ValueError
        If `name` is not scannable or a value makes the parameters invalid.
    """
    grid = default_scan_values(name) if values is None else np.asarray(values, dtype=float)
    if name not in SCANNABLE:
        raise ValueError(f"scan parameter ({name!r}) must be one of {', '.join(SCANNABLE)}")
    rows = []
    for value in grid:
        changed = params.replace(**{name: float(value)})
        plain, biased = theory_fit(changed), theory_fit(changed, offset=True)
        rows.append((plain.alpha, plain.gain_hz_per_na, plain.threshold_na, biased.alpha))
    table = np.array(rows, dtype=float).reshape(-1, 4)
    return AlphaScan(name=name, values=grid, alpha=table[:, 0], gain_hz_per_na=table[:, 1],
                     threshold_na=table[:, 2], alpha_with_offset=table[:, 3])
