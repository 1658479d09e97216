"""Finite-difference gradient checks of the numpy engine (float64)."""

import numpy as np
import pytest

from models.activations import ACTIVATION_NAMES, apply, derivative
from models.network import Network

TOLERANCE = 1e-6


def finite_difference_error(net: Network, x, y, h=1e-6) -> float:
    """Global relative error ||g_fd - g|| / (||g_fd|| + ||g||) over every parameter."""
    _, grads = net.loss_and_gradients(x, y)
    grads = [g.copy() for g in grads]
    diff2, norm = 0.0, 0.0
    for param, grad in zip(net.parameters(), grads):
        fd = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            old = param[index]
            param[index] = old + h
            plus = net.loss(x, y, train=True)
            param[index] = old - h
            minus = net.loss(x, y, train=True)
            param[index] = old
            fd[index] = (plus - minus) / (2 * h)
        diff2 += float(np.sum((fd - grad) ** 2))
        norm += float(np.linalg.norm(fd) + np.linalg.norm(grad))
    return np.sqrt(diff2) / norm


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_backprop_matches_finite_differences(activation, batch_norm, loss):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((12, 2))
    y = (rng.random((12, 1)) > 0.5).astype(float) if loss == "bce" else rng.standard_normal((12, 1))
    net = Network(2, [5, 4], activation, alpha=0.1, batch_norm=batch_norm, loss=loss,
                  dtype=np.float64, seed=3, init="he")
    assert finite_difference_error(net, x, y) < TOLERANCE


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_activation_derivative_matches_finite_differences(activation):
    z = np.linspace(-7.9, 7.9, 2001)
    z = z[(np.abs(z) > 1e-3) & (np.abs(z - 6) > 1e-3)]  # away from kinks
    h = 1e-6
    fd = (apply(activation, z + h, 0.2) - apply(activation, z - h, 0.2)) / (2 * h)
    np.testing.assert_allclose(derivative(activation, z, 0.2), fd, atol=1e-7)


def test_leaky_relu_is_one_lipschitz_and_has_alpha_slope():
    rng = np.random.default_rng(0)
    for alpha in (0.0, 0.01, 0.3, 1.0):
        a, b = rng.standard_normal((2, 10_000)) * 5
        fa, fb = apply("leaky_relu", a, alpha), apply("leaky_relu", b, alpha)
        assert np.all(np.abs(fa - fb) <= np.abs(a - b) + 1e-12)
        np.testing.assert_allclose(derivative("leaky_relu", np.array([-2.0, 3.0]), alpha),
                                   [alpha, 1.0])


def test_sigmoid_derivative_never_exceeds_a_quarter():
    z = np.linspace(-20, 20, 100_001)
    d = derivative("sigmoid", z)
    assert d.max() <= 0.25 and d.max() > 0.25 - 1e-9


def test_prelu_alpha_is_learned():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((64, 2)).astype(np.float32)
    y = (x[:, :1] * x[:, 1:] > 0).astype(np.float32)
    net = Network(2, [8, 8], "prelu", alpha=0.25, lr=0.5, seed=0)
    before = net.params_act.copy()
    for _ in range(50):
        net.train_step(x, y)
    assert not np.allclose(net.params_act, before)
    assert np.all((net.params_act >= 0) & (net.params_act <= 1))
