"""The sigmoid's 0.25 derivative bound and Leaky ReLU's Lipschitz constant, measured."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.activations import derivative
from models.blas import single_thread_blas
from models.network import Network

SIGMOID_DERIVATIVE_BOUND = 0.25


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



def lipschitz_ratio(alphas, seed: int = 0, pairs: int = 200_000) -> dict[float, float]:
    """Return, per alpha, the largest ``|phi(x)-phi(y)| / |x-y|`` of Leaky ReLU over random pairs.

    Parameters
    ----------
    alphas : sequence of float
        Slopes in [0, 1] (the claim: Leaky ReLU is 1-Lipschitz there).
    seed : int
        Seed of the pairs.
    pairs : int
        Number of random pairs, drawn from ``N(0, 3^2)``.

    Returns
    -------
    dict of float to float
        Largest ratio per alpha (at most 1 when the claim holds).
    """
    from models.activations import leaky_relu

    rng = np.random.default_rng([seed, 31])
    x, y = rng.normal(0, 3, (2, pairs))
    keep = np.abs(x - y) > 1e-9
    x, y = x[keep], y[keep]
    return {float(a): float(np.max(np.abs(leaky_relu(x, a) - leaky_relu(y, a)) / np.abs(x - y)))
            for a in alphas}
