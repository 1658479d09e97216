"""Which ANN activation is a LIF f-I curve most like: Leaky ReLU, softplus, ELU, ranked by rmse."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from neuro.leaky_fit import fit_leaky_relu, select_range

SHAPES = ("leaky_relu", "softplus", "elu")


def softplus_rate(current_na, gain: float, threshold: float, width: float) -> np.ndarray:
    """Return ``gain * width * log(1 + exp((I - threshold) / width))`` in Hz."""
    z = (np.asarray(current_na, dtype=float) - threshold) / width
    return gain * width * np.logaddexp(0.0, z)


def elu_rate(current_na, gain: float, threshold: float, width: float) -> np.ndarray:
    """Return ``gain * (elu(I - threshold, width) + width)``: an ELU lifted to a zero floor.

    ``elu(z, w) = z`` for ``z > 0`` and ``w (exp(z / w) - 1)`` below, so the rate tends to 0
    far below threshold (a rate is never negative), rises exponentially into the kink and
    linearly above it, with slope ``gain`` and a value ``gain * width`` at the kink.
    """
    z = np.asarray(current_na, dtype=float) - threshold
    below = width * np.expm1(np.minimum(z, 0.0) / width)
    return gain * (np.where(z > 0, z, below) + width)


_CURVES = {"softplus": softplus_rate, "elu": elu_rate}


@dataclass(frozen=True)
class ShapeFit:
    """One fitted activation shape.

    Attributes
    ----------
    name : str
        ``leaky_relu`` (with an output offset), ``softplus`` or ``elu``.
    parameters : dict
        Its fitted parameters (unit-bearing names).
    rmse_hz : float
        Root-mean-square error over the fitted points, Hz.
    n_parameters : int
        Number of fitted parameters.
    """

    name: str
    parameters: dict = field(default_factory=dict)
    rmse_hz: float = float("nan")
    n_parameters: int = 0

    def rate_hz(self, current_na) -> np.ndarray:
        """Return the fitted curve's rate at `current_na`, Hz."""
        p = self.parameters
        if self.name == "leaky_relu":
            z = np.asarray(current_na, dtype=float) - p["threshold_na"]
            return p["offset_hz"] + p["gain_hz_per_na"] * np.where(z > 0, z, p["alpha"] * z)
        return _CURVES[self.name](current_na, p["gain_hz_per_na"], p["threshold_na"],
                                  p["width_na"])

    def to_dict(self) -> dict:
        """Return a JSON-able dict (no NaN)."""
        finite = np.isfinite(self.rmse_hz)
        return {"name": self.name, "n_parameters": self.n_parameters,
                "rmse_hz": float(self.rmse_hz) if finite else None,
                **{k: float(v) for k, v in self.parameters.items()}}


def fit_shape(name: str, current_na, rate_hz, fit_range_na=None) -> ShapeFit:
    """Fit one of `SHAPES` to an f-I curve by least squares.

    Parameters
    ----------
    name : {"leaky_relu", "softplus", "elu"}
        The shape; ``leaky_relu`` is the form with an output offset (4 parameters),
        softplus and the zero-floor ELU (`elu_rate`) have 3 (gain, threshold, width).
    current_na, rate_hz : array_like
        The f-I points (at least 3 distinct currents inside the range).
    fit_range_na : tuple of float, optional
        Fit only points with ``low <= I <= high``.

    Returns
    -------
    ShapeFit
        The fitted shape.

    Raises
    ------
    ValueError
        On an unknown shape, non-finite data or too few currents.
    """
    if name not in SHAPES:
        raise ValueError(f"shape ({name!r}) must be one of {', '.join(SHAPES)}")
    current, rate, _ = select_range(current_na, rate_hz, fit_range_na)
    if name == "leaky_relu":
        fit = fit_leaky_relu(current, rate, offset=True)
        return ShapeFit(name, {"alpha": fit.alpha, "gain_hz_per_na": fit.gain_hz_per_na,
                               "threshold_na": fit.threshold_na, "offset_hz": fit.offset_hz},
                        fit.rmse_hz, 4)
    if not (np.all(np.isfinite(current)) and np.all(np.isfinite(rate))):
        raise ValueError("currents and rates must be finite")
    if np.unique(current).size < 3:
        raise ValueError(f"a {name} fit needs at least 3 distinct currents")
    curve = _CURVES[name]
    low, high = float(current.min()), float(current.max())
    span = high - low
    gain0 = max(float(rate.max() - rate.min()), 1e-9) / span

    def residual(x):
        return curve(current, x[0], x[1], x[2]) - rate

    lower, upper = [0.0, low - span, 1e-4 * span], [100.0 * gain0, high + span, 2.0 * span]
    best = None
    for start in np.linspace(low, high, 6):
        for width in (0.02 * span, 0.1 * span, 0.4 * span):
            result = least_squares(residual, [1.5 * gain0, start, width],
                                   bounds=(lower, upper), x_scale="jac")
            if best is None or result.cost < best.cost:
                best = result
    gain, threshold, width = (float(v) for v in best.x)
    rmse = float(np.sqrt(np.mean(residual(best.x) ** 2)))
    return ShapeFit(name, {"gain_hz_per_na": gain, "threshold_na": threshold,
                           "width_na": width}, rmse, 3)


def rank_shapes(current_na, rate_hz, fit_range_na=None) -> list[ShapeFit]:
    """Fit every shape of `SHAPES` and return them best (lowest rmse) first.

    Parameters
    ----------
    current_na, rate_hz : array_like
        The f-I points.
    fit_range_na : tuple of float, optional
        Range of currents fitted.

    Returns
    -------
    list of ShapeFit
        Sorted by rmse.
    """
    fits = [fit_shape(name, current_na, rate_hz, fit_range_na) for name in SHAPES]
    return sorted(fits, key=lambda f: f.rmse_hz)


def ranking_sentence(ranked: list[ShapeFit]) -> str:
    """Return e.g. ``"closest: softplus (rmse 0.31 Hz), then elu (0.52), leaky_relu (1.9)"``."""
    if not ranked:
        return "no shape fitted"
    first, rest = ranked[0], ranked[1:]
    tail = ", ".join(f"{f.name} ({f.rmse_hz:.3g})" for f in rest)
    return (f"closest: {first.name} (rmse {first.rmse_hz:.3g} Hz)"
            + (f", then {tail}" if tail else ""))
