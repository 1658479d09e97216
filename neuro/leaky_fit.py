"""Best-fit Leaky ReLU ``r = gain * max(alpha (I - I_th), I - I_th)`` to an f-I curve."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import least_squares

from models.activations import leaky_relu


@dataclass(frozen=True)
class LeakyFit:
    """A fitted Leaky ReLU rate model.

    Attributes
    ----------
    alpha : float
        Negative-side slope (0 to 1).
    gain_hz_per_na : float
        Slope above threshold, Hz/nA.
    threshold_na : float
        Kink position ``I_th``, nA.
    rmse_hz : float
        Root-mean-square error of the fit, Hz.
    offset_hz : float
        Output bias (0 unless fitted with ``offset=True``), Hz.
    """

    alpha: float
    gain_hz_per_na: float
    threshold_na: float
    rmse_hz: float
    offset_hz: float = 0.0

    def rate_hz(self, current_na) -> np.ndarray:
        """Return the model's rate ``offset + gain * leaky_relu(I - I_th, alpha)`` in Hz."""
        z = np.asarray(current_na, dtype=float) - self.threshold_na
        return self.offset_hz + self.gain_hz_per_na * leaky_relu(z, self.alpha)

    def to_dict(self) -> dict:
        """Return the fit as a JSON-able dict."""
        return {k: float(v) for k, v in asdict(self).items()}


def fit_leaky_relu(current_na, rate_hz, offset: bool = False) -> LeakyFit:
    """Fit ``r = gain * max(alpha (I - I_th), I - I_th)`` (+ ``offset``) by least squares.

    Several starting thresholds across the current range are tried and the best
    fit kept; ``alpha`` is bounded to ``[0, 1]``, ``gain`` to be non-negative and
    ``I_th`` to the span of the currents widened by its own width.

    Parameters
    ----------
    current_na : array_like
        Currents in nA (at least 3 distinct values).
    rate_hz : array_like
        Rates in Hz, same length.
    offset : bool
        Also fit an output bias (a fourth parameter). Without it a Leaky ReLU predicts
        negative rates below threshold, so a rate curve's positive noisy foot cannot
        raise ``alpha`` above 0; with it, ``alpha`` measures the foot's slope.

    Returns
    -------
    LeakyFit
        The fitted parameters and the RMS error.

    Raises
    ------
    ValueError
        If the arrays differ in length, hold non-finite values or too few currents.
    """
    current = np.asarray(current_na, dtype=float).ravel()
    rate = np.asarray(rate_hz, dtype=float).ravel()
    if current.shape != rate.shape:
        raise ValueError("current_na and rate_hz must have the same length")
    if not (np.all(np.isfinite(current)) and np.all(np.isfinite(rate))):
        raise ValueError("currents and rates must be finite")
    if np.unique(current).size < 3:
        raise ValueError("a Leaky ReLU fit needs at least 3 distinct currents")
    low, high = float(current.min()), float(current.max())
    span = high - low
    rate_span = max(float(rate.max() - rate.min()), 1e-9)
    gain0 = rate_span / span

    def residual(x):
        alpha, gain, threshold = x[:3]
        bias = x[3] if offset else 0.0
        return bias + gain * leaky_relu(current - threshold, alpha) - rate

    lower = [0.0, 0.0, low - span]
    upper = [1.0, 100.0 * gain0, high + span]
    if offset:
        lower.append(-rate_span)
        upper.append(rate_span)
    best = None
    for start_threshold in np.linspace(low, high, 7)[:-1]:
        for alpha0 in (0.0, 0.1):
            x0 = [alpha0, gain0 * 1.5, start_threshold] + ([0.0] if offset else [])
            result = least_squares(residual, x0, bounds=(lower, upper), x_scale="jac")
            if best is None or result.cost < best.cost:
                best = result
    alpha, gain, threshold = (float(v) for v in best.x[:3])
    # the bounded solver leaves a parameter at its bound as a denormal (alpha = 5e-324)
    alpha = 0.0 if alpha < 1e-12 else 1.0 if alpha > 1.0 - 1e-12 else alpha
    gain = 0.0 if gain < 1e-12 * gain0 else gain
    rmse = float(np.sqrt(np.mean(residual(best.x) ** 2)))
    return LeakyFit(alpha=alpha, gain_hz_per_na=gain, threshold_na=threshold, rmse_hz=rmse,
                    offset_hz=float(best.x[3]) if offset else 0.0)
