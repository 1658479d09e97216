"""Weight initialisers: He, Xavier, LeCun, zeros, negative bias, and RAI (Lu et al.)."""

from __future__ import annotations

import numpy as np

RAI_SIGMA = 0.6007  # Lu, Shin, Su, Karniadakis: row [w | b] ~ N(0, 0.6007^2 / fan_in)

INIT_NAMES: tuple[str, ...] = (
    "he", "he_uniform", "he_leaky", "xavier", "xavier_uniform", "lecun", "zeros",
    "negative_bias", "rai", "small",
)

INIT_DESCRIPTIONS = {
    "he": "He/Kaiming normal, variance 2/fan_in (for ReLU)",
    "he_uniform": "He/Kaiming uniform, variance 2/fan_in",
    "he_leaky": "He normal corrected for Leaky ReLU, variance 2/((1+alpha^2) fan_in)",
    "xavier": "Xavier/Glorot normal, variance 2/(fan_in+fan_out)",
    "xavier_uniform": "Xavier/Glorot uniform, variance 2/(fan_in+fan_out)",
    "lecun": "LeCun normal, variance 1/fan_in",
    "zeros": "all weights and biases exactly 0 (born dead)",
    "negative_bias": "He normal weights, every bias set to a chosen negative value",
    "rai": "randomized asymmetric init (Lu et al.) against born-dead nets; it is not "
           "variance-preserving: measured (ReLU, width 256, 50 layers, 20 nets) the mean-square "
           "signal shrinks by about 0.92-0.95 per layer forward (faster at first, then it "
           "settles at a level its positive weights hold up) and the gradient by about 0.65 "
           "per layer backward",
    "small": "normal with variance 0.1/fan_in: too small, the signal vanishes with depth",
}


def weight_variance(scheme: str, fan_in: int, fan_out: int, alpha: float = 0.0) -> float:
    """Return the weight variance that `scheme` targets for a layer.

    Parameters
    ----------
    scheme : str
        One of `INIT_NAMES`.
    fan_in, fan_out : int
        Layer input and output sizes.
    alpha : float
        Negative-side slope of the layer's activation (used by ``he_leaky``).

    Returns
    -------
    float
        The variance of each weight.
    """
    if scheme in ("he", "he_uniform", "negative_bias"):
        return 2.0 / fan_in
    if scheme == "he_leaky":
        return 2.0 / ((1.0 + alpha * alpha) * fan_in)
    if scheme in ("xavier", "xavier_uniform"):
        return 2.0 / (fan_in + fan_out)
    if scheme == "lecun":
        return 1.0 / fan_in
    if scheme == "small":
        return 0.1 / fan_in
    if scheme == "zeros":
        return 0.0
    if scheme == "rai":
        return RAI_SIGMA**2 / fan_in
    raise ValueError(f"unknown init {scheme!r}; choose from {', '.join(INIT_NAMES)}")


def init_layer(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator,
               alpha: float = 0.0, bias_value: float = -1.0,
               dtype: np.dtype | type = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """Draw one layer's weights ``W`` (fan_in x fan_out) and bias ``b`` (fan_out,).

    Parameters
    ----------
    scheme : str
        One of `INIT_NAMES`.
    fan_in, fan_out : int
        Layer sizes.
    rng : numpy.random.Generator
        Source of randomness; the same generator state gives the same draws for every scheme
        of the same family, so networks of a grid share their initial weights.
    alpha : float
        Negative-side slope of the activation, for ``he_leaky``.
    bias_value : float
        The bias of every unit under ``negative_bias``.
    dtype : numpy dtype
        Output dtype.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Weights and bias.
    """
    std = np.sqrt(weight_variance(scheme, fan_in, fan_out, alpha))
    if scheme == "rai":
        w, b = _rai(fan_in, fan_out, rng)
    elif scheme in ("he_uniform", "xavier_uniform"):
        limit = np.sqrt(3.0) * std  # U(-l, l) has variance l^2 / 3
        w = rng.uniform(-limit, limit, size=(fan_in, fan_out))
        b = np.zeros(fan_out)
    else:
        w = std * rng.standard_normal((fan_in, fan_out))
        b = np.zeros(fan_out)
        if scheme == "negative_bias":
            b = np.full(fan_out, float(bias_value))
    return w.astype(dtype), b.astype(dtype)


def _rai(fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """RAI: each unit's row [w | b] ~ N(0, 0.6007^2/fan_in), one entry replaced by Beta(2, 1)."""
    rows = rng.normal(0.0, RAI_SIGMA / np.sqrt(fan_in), size=(fan_out, fan_in + 1))
    chosen = rng.integers(0, fan_in + 1, size=fan_out)
    rows[np.arange(fan_out), chosen] = rng.beta(2.0, 1.0, size=fan_out)
    return rows[:, :fan_in].T.copy(), rows[:, fan_in].copy()
