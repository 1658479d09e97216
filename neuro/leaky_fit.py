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
    range_low_na, range_high_na : float or None
        The current range the fit used (the points inside it), nA.
    """

    alpha: float
    gain_hz_per_na: float
    threshold_na: float
    rmse_hz: float
    offset_hz: float = 0.0
    range_low_na: float | None = None
    range_high_na: float | None = None

    def rate_hz(self, current_na) -> np.ndarray:
        """Return the model's rate ``offset + gain * leaky_relu(I - I_th, alpha)`` in Hz."""
        z = np.asarray(current_na, dtype=float) - self.threshold_na
        return self.offset_hz + self.gain_hz_per_na * leaky_relu(z, self.alpha)

    def to_dict(self) -> dict:
        """Return the fit as a JSON-able dict (a non-finite or missing value is None)."""
        return {k: _json_number(v) for k, v in asdict(self).items()}


def _json_number(value) -> float | None:
    """Return `value` as a float, or None when it is missing or not finite (no NaN in JSON)."""
    if value is None or not np.isfinite(value):
        return None
    return float(value)


def select_range(current_na, rate_hz, fit_range_na=None):
    """Return the currents and rates inside `fit_range_na` and the range itself.

    Parameters
    ----------
    current_na, rate_hz : array_like
        The f-I points.
    fit_range_na : tuple of float, optional
        ``(low, high)`` in nA, inclusive; None uses every point.

    Returns
    -------
    tuple
        ``(current, rate, (low, high))``; without a range, ``(low, high)`` is the span of
        the currents.

    Raises
    ------
    ValueError
        If the range is not two finite numbers with ``low < high``.
    """
    current = np.asarray(current_na, dtype=float).ravel()
    rate = np.asarray(rate_hz, dtype=float).ravel()
    if current.shape != rate.shape:
        raise ValueError("current_na and rate_hz must have the same length")
    if fit_range_na is None:
        span = (float(current.min()), float(current.max())) if current.size else (0.0, 0.0)
        return current, rate, span
    low, high = (float(v) for v in fit_range_na)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"fit range ({low:g}, {high:g}) nA must be two finite numbers, "
                         "low below high")
    inside = (current >= low) & (current <= high)
    return current[inside], rate[inside], (low, high)


def fit_leaky_relu(current_na, rate_hz, offset: bool = False,
                   fit_range_na: tuple[float, float] | None = None) -> LeakyFit:
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
    fit_range_na : tuple of float, optional
        Fit only the points with ``low <= I <= high``; the range is returned with the fit
        (``alpha`` depends on it: SCIENCE.md section 4).

    Returns
    -------
    LeakyFit
        The fitted parameters and the RMS error.

    Raises
    ------
    ValueError
        If the arrays differ in length, hold non-finite values or too few currents
        (inside the range).
    """
    current, rate, (range_low, range_high) = select_range(current_na, rate_hz, fit_range_na)
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
                    offset_hz=float(best.x[3]) if offset else 0.0,
                    range_low_na=range_low, range_high_na=range_high)
