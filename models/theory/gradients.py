"""SCIENCE.md section 3 in numbers: gradient statistics, signal propagation, the sigmoid bound.

Every function here pairs a closed-form prediction with the lab's own measurement of it on a
real `models.network.Network` at initialisation (its initialisers and activations), so the
Theory tab, the ``theory`` command and the tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.activations import derivative
from models.blas import single_thread_blas
from models.network import Network

PROPAGATION_INITS: tuple[str, ...] = ("he", "he_leaky", "xavier", "small")
SIGMOID_DERIVATIVE_BOUND = 0.25


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
    ValueError
        Naming ``points`` and the limit.
    """
    if int(width) * int(n_points) > MAX_GRADIENT_VALUES:
        raise ValueError(f"points: {int(n_points):,} points x width {int(width)} is "
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


# -- signal propagation -----------------------------------------------------------------------
@dataclass
class Propagation:
    """Mean squared activation and gradient per layer of a deep network at initialisation.

    Attributes
    ----------
    init : str
        Initialiser.
    activation : str
        Hidden activation.
    alpha : float
        Leaky slope (0 for ReLU).
    width, depth : int
        Network shape (all hidden layers of `width`; the input has `width` features too).
    forward : numpy.ndarray
        (depth,) mean squared pre-activation ``E[a_l^2]`` of layer ``l = 1..depth``.
    backward : numpy.ndarray
        (depth,) mean squared gradient ``E[(dL/da_l)^2]``, for a unit-variance random
        gradient injected above the last hidden layer.
    factor : float
        Predicted per-layer factor ``c (1+alpha^2)/2``.
    measured_forward, measured_backward : float
        Geometric-mean measured per-layer factors (first to last layer).
    """

    init: str
    activation: str
    alpha: float
    width: int
    depth: int
    forward: np.ndarray
    backward: np.ndarray
    factor: float
    measured_forward: float
    measured_backward: float

    def predicted_forward(self) -> np.ndarray:
        """Return the prediction ``forward[0] * factor^(l-1)`` for every layer."""
        return self.forward[0] * self.factor ** np.arange(self.depth)

    def predicted_backward(self) -> np.ndarray:
        """Return the prediction ``backward[-1] * factor^(depth-l)`` for every layer."""
        return self.backward[-1] * self.factor ** np.arange(self.depth - 1, -1, -1)


def _geometric_factor(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    if values.size < 2 or values[0] <= 0 or values[-1] <= 0:
        return float("nan")
    return float(np.exp((np.log(values[-1]) - np.log(values[0])) / (values.size - 1)))


def propagation(init: str = "he", activation: str = "relu", alpha: float = 0.0,
                width: int = 256, depth: int = 50, n_points: int = 256,
                seed: int = 0) -> Propagation:
    """Push symmetric inputs forward and a random gradient backward through a fresh network.

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
        Number of hidden layers.
    n_points : int
        Number of standard normal input points.
    seed : int
        Seed of the weights, inputs and injected gradient.

    Returns
    -------
    Propagation
        Per-layer measurements, the predicted factor and the measured ones.
    """
    with single_thread_blas():
        return _propagation(init, activation, alpha, width, depth, n_points, seed)


def _propagation(init, activation, alpha, width, depth, n_points, seed) -> Propagation:
    a = 0.0 if activation == "relu" else float(alpha)
    net = Network(width, [width] * depth, activation, alpha=a, init=init, seed=[seed, 11],
                  dtype=np.float64)
    rng = np.random.default_rng([seed, 12])
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
        if layer:
            g = delta @ net.W[layer].T
    c = init_gain(init, a, width, width)
    return Propagation(init, activation, a, width, depth, forward, backward,
                       propagation_factor(c, a), _geometric_factor(forward),
                       _geometric_factor(backward[::-1]))


def propagation_study(alpha: float = 0.1, width: int = 256, depth: int = 50,
                      n_points: int = 256, seed: int = 0,
                      inits=PROPAGATION_INITS) -> list[Propagation]:
    """Run `propagation` for each init: ReLU for he/xavier/small, Leaky ReLU for he_leaky.

    Parameters
    ----------
    alpha : float
        The Leaky ReLU slope used with ``he_leaky``.
    width, depth, n_points, seed
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
        out.append(propagation(init, act, alpha, width, depth, n_points, seed))
    return out


# -- the sigmoid bound ------------------------------------------------------------------------
@dataclass
class SigmoidStudy:
    """The sigmoid's derivative bound and its consequence for gradients through depth.

    Attributes
    ----------
    max_derivative : float
        Largest sigmoid derivative found on a dense grid (the bound is 0.25, at z = 0).
    depth : int
        Hidden layers of the measured network.
    grad_rms : numpy.ndarray
        (depth,) root-mean-square gradient ``dL/da_l`` per layer, layer 1 first, for a
        unit-variance gradient injected above the last layer.
    bound : numpy.ndarray
        (depth,) rigorous upper bound: the top layer's value times, per layer below it,
        ``0.25 * ||W_{l+1}||_2`` (spectral norm), on the root-mean-square scale.
    orthogonal_ratio : float
        Largest per-layer ratio of gradient norms in a sigmoid net with orthogonal
        (norm-1) weights: at most 0.25, the "shrinks at least 4x per layer" statement.
    """

    max_derivative: float
    depth: int
    grad_rms: np.ndarray
    bound: np.ndarray
    orthogonal_ratio: float


def sigmoid_study(width: int = 64, depth: int = 10, n_points: int = 256, init: str = "xavier",
                  seed: int = 0) -> SigmoidStudy:
    """Measure the sigmoid derivative's maximum and gradient decay through a sigmoid network.

    Parameters
    ----------
    width : int
        Input and hidden width.
    depth : int
        Number of hidden layers.
    n_points : int
        Standard normal input points.
    init : str
        Initialiser of the measured network.
    seed : int
        Seed.

    Returns
    -------
    SigmoidStudy
        The measurements and bounds.
    """
    with single_thread_blas():
        return _sigmoid_study(width, depth, n_points, init, seed)


def _sigmoid_study(width, depth, n_points, init, seed) -> SigmoidStudy:
    grid = np.linspace(-20, 20, 400_001)
    max_der = float(derivative("sigmoid", grid).max())
    net = Network(width, [width] * depth, "sigmoid", init=init, seed=[seed, 21],
                  dtype=np.float64)
    rng = np.random.default_rng([seed, 22])
    x = rng.standard_normal((n_points, width))
    g_top = rng.standard_normal((n_points, width))
    rms = _sigmoid_backward(x, net.W[:depth], net.b[:depth], g_top)
    norms = np.array([np.linalg.norm(w, 2) for w in net.W[:depth]])
    bound = np.empty(depth)
    bound[-1] = rms[-1]
    for layer in range(depth - 2, -1, -1):
        bound[layer] = bound[layer + 1] * SIGMOID_DERIVATIVE_BOUND * norms[layer + 1]
    ortho = [np.linalg.qr(rng.standard_normal((width, width)))[0] for _ in range(depth)]
    rms_o = _sigmoid_backward(x, ortho, [np.zeros(width)] * depth, g_top)
    ratio = float(np.max(rms_o[:-1] / rms_o[1:]))
    return SigmoidStudy(max_der, depth, rms, bound, ratio)


def _sigmoid_backward(x, weights, biases, g_top) -> np.ndarray:
    pre = []
    h = x
    for w, b in zip(weights, biases):
        z = h @ w + b
        pre.append(z)
        h = 1.0 / (1.0 + np.exp(-z))
    rms = np.empty(len(weights))
    g = g_top
    for layer in range(len(weights) - 1, -1, -1):
        delta = g * derivative("sigmoid", pre[layer])
        rms[layer] = np.sqrt(np.mean(delta * delta))
        if layer:
            g = delta @ weights[layer].T
    return rms
