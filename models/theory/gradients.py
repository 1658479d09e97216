"""Gradient statistics of ReLU and Leaky ReLU at initialisation: the formulas and their measurement.

Every function here pairs a closed-form prediction (SCIENCE.md section 3) with the lab's own
measurement of it on a real `models.network.Network` at initialisation, so the Theory tab,
the ``theory`` command and the tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.activations import derivative
from models.blas import single_thread_blas
from models.network import Network
from models.theory.errors import SettingError


# -- formulas ---------------------------------------------------------------------------------
def relu_sparsity() -> float:
    """Return the predicted ReLU gradient sparsity ``P(phi'(z) = 0)`` for symmetric `z`: 0.5."""
    return 0.5


def leaky_moments(alpha: float | np.ndarray) -> dict[str, float | np.ndarray]:
    """Return the moments of the Leaky ReLU derivative ``G`` (1 or alpha, each with prob. 1/2).

    Parameters
    ----------
    alpha : float or numpy.ndarray
        Negative-side slope(s).

    Returns
    -------
    dict
        ``mean = (1+alpha)/2``, ``second = (1+alpha^2)/2``, ``var = (1-alpha)^2/4``.
    """
    a = np.asarray(alpha, dtype=float)
    out = {"mean": (1 + a) / 2, "second": (1 + a * a) / 2, "var": (1 - a) ** 2 / 4}
    if a.ndim == 0:
        return {k: float(v) for k, v in out.items()}
    return out


def propagation_factor(c: float, alpha: float) -> float:
    """Return the predicted per-layer factor of the mean squared norm, ``c (1+alpha^2)/2``.

    Parameters
    ----------
    c : float
        Weight variance times fan-in (2 for He, ``2/(1+alpha^2)`` for He-leaky).
    alpha : float
        Negative-side slope of the activation (0 for ReLU).

    Returns
    -------
    float
        The factor applied by each layer, forward (activations) and backward (gradients).
    """
    return float(c) * (1.0 + float(alpha) ** 2) / 2.0


def init_gain(init: str, alpha: float, fan_in: int, fan_out: int) -> float:
    """Return ``c``, the weight variance times fan-in, that an init targets for a layer.

    Parameters
    ----------
    init : str
        Initialiser name (see `models.initializers.weight_variance`).
    alpha : float
        Activation slope used by ``he_leaky``.
    fan_in, fan_out : int
        Layer sizes.

    Returns
    -------
    float
        ``weight_variance * fan_in``.
    """
    from models.initializers import weight_variance

    return weight_variance(init, fan_in, fan_out, alpha) * fan_in


# -- gradient statistics ----------------------------------------------------------------------
@dataclass
class GradientStats:
    """Measured and predicted statistics of the activation derivative ``G`` at init.

    Attributes
    ----------
    activation : str
        ``"relu"`` or ``"leaky_relu"``.
    alpha : float
        Negative-side slope (0 for ReLU).
    samples : int
        Number of (point, unit) derivative values measured.
    sparsity : float
        Measured fraction with ``G == 0``.
    mean, second, var : float
        Measured ``E[G]``, ``E[G^2]``, ``Var[G]``.
    predicted : dict
        The formulas' values (``sparsity``, ``mean``, ``second``, ``var``).
    """

    activation: str
    alpha: float
    samples: int
    sparsity: float
    mean: float
    second: float
    var: float
    predicted: dict


def first_layer_preactivations(activation: str = "relu", alpha: float = 0.01, width: int = 256,
                               n_points: int = 4096, init: str = "he",
                               seed: int = 0) -> np.ndarray:
    """Return the first hidden layer's pre-activations of a fresh network on symmetric inputs.

    The network has as many inputs as hidden units and is fed standard normal points, so
    every pre-activation ``z = w.x`` is exactly symmetric around 0: the setting of SCIENCE.md
    section 3. Deeper layers see ReLU outputs (non-negative), where symmetry holds only on
    average over the weights, so measuring them needs many networks.

    Parameters
    ----------
    activation : str
        Hidden activation of the network.
    alpha : float
        Leaky slope (also the alpha ``he_leaky`` corrects for).
    width : int
        Inputs and hidden units.
    n_points : int
        Number of input points.
    init : str
        Initialiser.
    seed : int
        Seed of the weights and of the inputs.

    Returns
    -------
    numpy.ndarray
        (n_points, width) float64 pre-activations.
    """
    net = Network(width, [width], activation, alpha=alpha, init=init, seed=[seed, 7],
                  dtype=np.float64)
    x = np.random.default_rng([seed, 8]).standard_normal((n_points, width))
    return x @ net.W[0] + net.b[0]


def gradient_stats(activation: str = "relu", alpha: float = 0.01, width: int = 256,
                   n_points: int = 4096, seed: int = 0) -> GradientStats:
    """Measure the activation derivative's statistics on a real network at initialisation.

    Parameters
    ----------
    activation : str
        ``"relu"`` or ``"leaky_relu"``.
    alpha : float
        Leaky slope (ignored for ReLU, reported as 0).
    width : int
        Inputs and hidden units of the measured layer (see `first_layer_preactivations`).
    n_points : int
        Input points.
    seed : int
        Seed.

    Returns
    -------
    GradientStats
        Measured values beside the formulas.
    """
    if activation not in ("relu", "leaky_relu"):
        raise ValueError(f"activation: {activation!r}; gradient statistics are for "
                         "relu and leaky_relu")
    a = 0.0 if activation == "relu" else float(alpha)
    with single_thread_blas():
        z = first_layer_preactivations(activation, a, width, n_points, "he", seed)
    g = derivative(activation, z, a)
    moments = leaky_moments(a)
    # G is 0 exactly where z <= 0 only when alpha is 0 (ReLU); else it is never 0.
    predicted = {"sparsity": relu_sparsity() if a == 0.0 else 0.0, **moments}
    return GradientStats(activation, a, int(g.size), float(np.mean(g == 0)), float(g.mean()),
                         float(np.mean(g * g)), float(g.var()), predicted)


MAX_GRADIENT_VALUES = 2**25  # points x width of one measurement (~270 MB per float64 array)


def check_gradient_size(width: int, n_points: int) -> None:
    """Refuse a gradient measurement whose (points, width) arrays would not fit in memory.

    Raises
    ------
    SettingError
        With field ``points`` and the limit.
    """
    if int(width) * int(n_points) > MAX_GRADIENT_VALUES:
        raise SettingError("points", f"{int(n_points):,} points x width {int(width)} is "
                           f"{int(width) * int(n_points):,} values; at most "
                           f"{MAX_GRADIENT_VALUES:,} (fewer points or a narrower net)")


def leaky_moments_sweep(alphas, width: int = 256, n_points: int = 2048,
                        seed: int = 0) -> list[GradientStats]:
    """Measure `gradient_stats` for Leaky ReLU at each alpha (alpha 0 is ReLU).

    Parameters
    ----------
    alphas : sequence of float
        Slopes in [0, 1].
    width, n_points, seed
        See `gradient_stats`.

    Returns
    -------
    list of GradientStats
        One per alpha.
    """
    check_gradient_size(width, n_points)
    return [gradient_stats("leaky_relu", float(a), width, n_points, seed) for a in alphas]
