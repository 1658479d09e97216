"""Signal propagation through depth at initialisation, over an ensemble of networks, with a band.

Theory (SCIENCE.md section 3): with weight variance ``c/fan_in``, zero biases and symmetric
weights, each layer multiplies the expected mean squared pre-activation (forward) and
gradient (backward) by ``F = c (1+alpha^2)/2``. That is a statement about the *ensemble* of
networks, not about one draw, so it is measured here on ``seeds`` independent networks.

Estimator. For one network let ``q_l`` be the mean of ``a_l^2`` over the points and units of
hidden layer ``l`` (layers numbered from 1, nearest the input) and ``r_l = q_{l+1}/q_l``.
Flipping the sign of one row of ``W_l`` leaves ``q_l`` unchanged and swaps ``phi(a)^2`` with
``phi(-a)^2``, whose average is ``(1+alpha^2)/2 a^2``; so ``E[r_l | layers below l] = F``
*exactly*, at any width. The measured factor is the mean of ``r_l`` over the ``L-1`` layer
pairs and the ``S`` seeds; it is unbiased. (The geometric mean of one net's factors is not:
``E[log r_l] ~ log F - kappa/(2N)``, which at width 16 reads ReLU's factor 1 as 0.86.)
Backward the same estimator is used on ``b_l / b_{l+1}``, which equals ``F`` in expectation
under the usual gradient-independence approximation (the injected gradient is independent
of the weights; square layers make fan-in and fan-out equal). That approximation leaves an
O(1/N) bias: measured -1.3% at N = 16 (He, ReLU, depth 10, 1000 seeds, 256 points; forward
+0.1%), so the backward tolerance adds ``BACKWARD_ALLOWANCE / N`` = 0.5/N to the one below.

Tolerance from finite-width theory (Hanin 2018; Hanin & Rolnick 2018). For one input, one
layer's ratio is ``F/N sum_j X_j`` with ``X_j = G_j^2 xi_j^2 / E[G^2]``, ``xi ~ N(0, 1)``,
``G`` the derivative (1 or alpha with probability 1/2), so its relative variance is
``kappa/N`` with ``kappa = E[G^4] E[xi^4] / E[G^2]^2 - 1 = 6 (1+alpha^4)/(1+alpha^2)^2 - 1``
(5 for ReLU: summed over ``L`` layers this is Hanin's log-variance ``5 L/N`` of the squared
norm). Averaging over a batch of inputs can only lower it. The ``r_l - F`` are martingale
differences, hence uncorrelated across layers, and seeds are independent, so the relative
standard error of the measured factor is at most ``sqrt(kappa / (N S (L-1)))``. The verdict
accepts ``|measured/predicted - 1| <= z sqrt(kappa / (N S (L-1)))`` with ``z = 4``
(a correct theory is refused with probability below 1e-4 under a normal approximation).
Width 256, depth 50, 20 seeds: 1.8%; width 16: 7.1%.

Every quantity here is dimensionless (mean squares of dimensionless activations, ratios).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from models.activations import derivative
from models.blas import single_thread_blas
from models.network import Network
from models.theory.errors import SettingError
from models.theory.gradients import init_gain, propagation_factor

PROPAGATION_INITS: tuple[str, ...] = ("he", "he_leaky", "xavier", "small")
DEFAULT_SEEDS = 20
MAX_SEEDS = 1000
TOLERANCE_Z = 4.0
BAND_QUANTILES = (0.1, 0.9)
MAX_PROPAGATION_POINTS = 64
BACKWARD_ALLOWANCE = 0.5  # times 1/N: the gradient-independence bias (measured 0.21/N at N 16)


def finite_width_kappa(alpha: float) -> float:
    """Return ``kappa = 6 (1+alpha^4)/(1+alpha^2)^2 - 1``: N times one layer's relative variance.

    Parameters
    ----------
    alpha : float
        Negative-side slope (0 for ReLU: kappa = 5; 1 for a linear net: kappa = 2).

    Returns
    -------
    float
        The per-layer relative variance of the squared norm, times the width.
    """
    a2 = float(alpha) ** 2
    return 6.0 * (1.0 + a2 * a2) / (1.0 + a2) ** 2 - 1.0


def factor_tolerance(alpha: float, width: int, depth: int, seeds: int,
                     z: float = TOLERANCE_Z) -> float:
    """Return the relative tolerance ``z sqrt(kappa / (N S (L-1)))`` of the measured factor.

    Parameters
    ----------
    alpha : float
        Negative-side slope.
    width : int
        Width ``N`` of every hidden layer.
    depth : int
        Hidden layers ``L`` (at least 2: the factor needs a pair of layers).
    seeds : int
        Networks in the ensemble ``S``.
    z : float
        Standard errors allowed.

    Returns
    -------
    float
        Allowed ``|measured/predicted - 1|``.
    """
    pairs = max(int(depth) - 1, 1) * max(int(seeds), 1)
    return float(z) * math.sqrt(finite_width_kappa(alpha) / (int(width) * pairs))


def memory_budget_bytes() -> int:
    """Return the memory one computation may use: 4 GB or a quarter of the RAM, the smaller."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 16 * 2**30
    return int(min(4 * 2**30, total // 4))


def propagation_bytes(width: int, depth: int, n_points: int) -> int:
    """Estimate the peak bytes of one `propagation` network (one ensemble member at a time).

    A float64 `Network` holds its weights three times (parameters, gradients, a spare copy);
    the pass keeps every layer's pre-activations for the backward pass, plus a few
    (points, width) temporaries.

    Parameters
    ----------
    width, depth, n_points : int
        The settings.

    Returns
    -------
    int
        Estimated bytes.
    """
    w, d, p = int(width), int(depth), min(int(n_points), MAX_PROPAGATION_POINTS)
    return 8 * (3 * (d * w * w + w) + d * p * w + 6 * p * w)


def check_propagation_size(width: int, depth: int, n_points: int, seeds: int) -> None:
    """Refuse, before any work, a propagation study that would not fit the memory budget.

    Raises
    ------
    SettingError
        ``depth`` (lower it or ``width``) when the estimate exceeds `memory_budget_bytes`;
        ``seeds`` when it is not between 1 and `MAX_SEEDS`.
    """
    if isinstance(seeds, bool) or not isinstance(seeds, int | np.integer) \
            or not 1 <= seeds <= MAX_SEEDS:
        raise SettingError("seeds", f"{seeds!r} must be an integer between 1 and {MAX_SEEDS}")
    need, budget = propagation_bytes(width, depth, n_points), memory_budget_bytes()
    if need > budget:
        raise SettingError("depth", f"depth {int(depth)} x width {int(width)} needs about "
                           f"{need / 2**30:.1f} GB, over the {budget / 2**30:.1f} GB budget; "
                           "lower the depth or the width", related=("width",))


@dataclass
class Propagation:
    """Mean squared activation and gradient per layer over an ensemble of fresh networks.

    Attributes
    ----------
    init, activation : str
        Initialiser and hidden activation.
    alpha : float
        Leaky slope (0 for ReLU).
    width, depth, seeds : int
        Network shape (every hidden layer and the input have `width` units) and ensemble size.
    forward_runs, backward_runs : numpy.ndarray
        (seeds, depth) mean squared pre-activation ``E[a_l^2]`` and gradient ``E[(dL/da_l)^2]``
        of layer ``l = 1..depth`` (column 0 nearest the input), one row per network.
    factor : float
        Predicted per-layer factor ``c (1+alpha^2)/2``.
    measured_forward, measured_backward : float
        Ensemble mean of the per-layer ratios (see the module docstring).
    tolerance : float
        Relative tolerance of the measured forward factor (`factor_tolerance`).
    """

    init: str
    activation: str
    alpha: float
    width: int
    depth: int
    seeds: int
    forward_runs: np.ndarray
    backward_runs: np.ndarray
    factor: float
    measured_forward: float
    measured_backward: float
    tolerance: float

    @property
    def forward(self) -> np.ndarray:
        """(depth,) ensemble mean of the mean squared pre-activation per layer."""
        return self.forward_runs.mean(axis=0)

    @property
    def backward(self) -> np.ndarray:
        """(depth,) ensemble mean of the mean squared gradient per layer."""
        return self.backward_runs.mean(axis=0)

    @property
    def tolerance_backward(self) -> float:
        """Relative tolerance of the backward factor: `tolerance` plus the O(1/N) allowance."""
        return self.tolerance + BACKWARD_ALLOWANCE / self.width

    def band(self, backward: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Return the (low, high) quantiles `BAND_QUANTILES` over the seeds, per layer."""
        runs = self.backward_runs if backward else self.forward_runs
        low, high = np.quantile(runs, BAND_QUANTILES, axis=0)
        return low, high

    def predicted_forward(self) -> np.ndarray:
        """Return the prediction ``forward[0] * factor^(l-1)`` for every layer."""
        return self.forward[0] * self.factor ** np.arange(self.depth)

    def predicted_backward(self) -> np.ndarray:
        """Return the prediction ``backward[-1] * factor^(depth-l)`` for every layer."""
        return self.backward[-1] * self.factor ** np.arange(self.depth - 1, -1, -1)

    def geometric_factors(self, backward: bool = False) -> np.ndarray:
        """Return each network's geometric-mean per-layer factor (biased low at small width)."""
        runs = self.backward_runs[:, ::-1] if backward else self.forward_runs
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.exp(np.log(runs[:, -1] / runs[:, 0]) / (self.depth - 1))


def _mean_ratio(runs: np.ndarray) -> float:
    """Mean over networks and layer pairs of ``runs[:, l+1] / runs[:, l]`` (finite ones)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = runs[:, 1:] / runs[:, :-1]
    ratios = ratios[np.isfinite(ratios)]
    return float(ratios.mean()) if ratios.size else float("nan")


def propagation(init: str = "he", activation: str = "relu", alpha: float = 0.0,
                width: int = 256, depth: int = 50, n_points: int = 64, seed: int = 0,
                seeds: int = DEFAULT_SEEDS) -> Propagation:
    """Push symmetric inputs forward and a random gradient backward through `seeds` fresh nets.

    The weights are the lab's (`Network` with `init`, biases as the init sets them, zero for
    the standard schemes); the pass is done here in float64 so the per-layer squared norms
    can be read out. Forward: ``a_l = h_{l-1} W_l + b_l``, ``h_l = phi(a_l)``. Backward:
    ``delta_depth = phi'(a_depth) * g`` with ``g ~ N(0, 1)``, then
    ``delta_l = phi'(a_l) * (delta_{l+1} W_{l+1}^T)``.

    Parameters
    ----------
    init : str
        Initialiser (``he``, ``he_leaky``, ``xavier``, ``small`` ...).
    activation : str
        ``"relu"`` or ``"leaky_relu"``.
    alpha : float
        Leaky slope (forced to 0 for ReLU).
    width : int
        Width of the input and of every hidden layer.
    depth : int
        Number of hidden layers (at least 2).
    n_points : int
        Standard normal input points per network (at most `MAX_PROPAGATION_POINTS` used).
    seed : int
        Seed of the ensemble; network ``k`` draws from ``[seed, 11, k]`` and ``[seed, 12, k]``.
    seeds : int
        Networks in the ensemble.

    Returns
    -------
    Propagation
        Per-network, per-layer measurements, the predicted factor and the measured ones.
    """
    if int(depth) < 2:
        raise SettingError("depth", f"{depth!r}: propagation needs at least 2 hidden layers")
    check_propagation_size(width, depth, n_points, seeds)
    a = 0.0 if activation == "relu" else float(alpha)
    n_points = min(int(n_points), MAX_PROPAGATION_POINTS)
    forward = np.empty((seeds, depth))
    backward = np.empty((seeds, depth))
    with single_thread_blas(), np.errstate(under="ignore"):
        for k in range(seeds):
            forward[k], backward[k] = _one_network(init, activation, a, width, depth, n_points,
                                                   [seed, 11, k], [seed, 12, k])
    c = init_gain(init, a, width, width)
    return Propagation(init, activation, a, int(width), int(depth), int(seeds), forward,
                       backward, propagation_factor(c, a), _mean_ratio(forward),
                       _mean_ratio(backward[:, ::-1]), factor_tolerance(a, width, depth, seeds))


def _one_network(init, activation, a, width, depth, n_points, net_seed, data_seed):
    net = Network(width, [width] * depth, activation, alpha=a, init=init, seed=net_seed,
                  dtype=np.float64)
    rng = np.random.default_rng(data_seed)
    h = rng.standard_normal((n_points, width))
    pre = []
    forward = np.empty(depth)
    for layer in range(depth):
        z = h @ net.W[layer] + net.b[layer]
        pre.append(z)
        forward[layer] = np.mean(z * z)
        h = np.where(z > 0, z, a * z)
    backward = np.empty(depth)
    g = rng.standard_normal((n_points, width))
    for layer in range(depth - 1, -1, -1):
        delta = g * derivative(activation, pre[layer], a)
        backward[layer] = np.mean(delta * delta)
        pre[layer] = None
        if layer:
            g = delta @ net.W[layer].T
    return forward, backward


def propagation_study(alpha: float = 0.1, width: int = 256, depth: int = 50,
                      n_points: int = 64, seed: int = 0, inits=PROPAGATION_INITS,
                      seeds: int = DEFAULT_SEEDS) -> list[Propagation]:
    """Run `propagation` for each init: ReLU for he/xavier/small, Leaky ReLU for he_leaky.

    Parameters
    ----------
    alpha : float
        The Leaky ReLU slope used with ``he_leaky``.
    width, depth, n_points, seed, seeds
        See `propagation`.
    inits : sequence of str
        Initialisers to compare.

    Returns
    -------
    list of Propagation
        One per init.
    """
    out = []
    for init in inits:
        act = "leaky_relu" if init == "he_leaky" else "relu"
        out.append(propagation(init, act, alpha, width, depth, n_points, seed, seeds))
    return out
