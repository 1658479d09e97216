"""The network's public read-only accessors: what the diagnostics read of a pass and a step."""

import numpy as np
import pytest

from models.diagnostics import applied_update_ratios, preactivation_arrays
from models.evaluation import last_output
from models.network import Network

RNG = np.random.default_rng(3)
X = RNG.standard_normal((50, 3)).astype(np.float32)
Y = (X[:, :1] > 0).astype(np.float32)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_last_pass_holds_the_probe_pass(batch_norm):
    net = Network(3, [8, 6], "tanh", batch_norm=batch_norm, seed=1)
    net.train_step(X, Y)  # batch norm: running statistics differ from the batch's
    result = net.probe(X, Y)
    last = net.last_pass(len(X))
    assert len(last.z) == len(last.h) == net.depth
    for layer, z in enumerate(last.z):
        # the probe's activity is the fraction of these pre-activations above 0 (exactly)
        np.testing.assert_array_equal(result.activity[layer, :net.widths[layer]],
                                      np.count_nonzero(z > 0, axis=0) / len(X))
        np.testing.assert_array_equal(last.h[layer], np.tanh(z))
    # the first layer by hand (float64, within float32 round-off)
    a = X.astype(np.float64) @ net.W[0] + net.b[0]
    if batch_norm:
        a = (a - a.mean(axis=0)) / np.sqrt(a.var(axis=0) + 1e-5) * net.gamma[0] + net.beta[0]
    np.testing.assert_allclose(last.z[0], a, rtol=1e-5, atol=1e-5)
    out = last.h[-1].astype(np.float64) @ net.W[-1] + net.b[-1]
    np.testing.assert_allclose(last.out, out, rtol=1e-5, atol=1e-5)
    assert net.output_loss(last.out, Y) == result.loss  # the probe's very arithmetic
    np.testing.assert_array_equal(last_output(net, len(X)), last.out)
    for got, want in zip(preactivation_arrays(net, len(X)), last.z):
        np.testing.assert_array_equal(got, want)


def test_last_pass_views_cannot_be_written():
    net = Network(3, [4], seed=0)
    net.forward(X)
    last = net.last_pass(len(X))
    for array in (last.z[0], last.h[0], last.out):
        with pytest.raises(ValueError):
            array[0, 0] = 1.0
    net.forward(X)  # the network itself still writes its buffers
    assert np.isfinite(net.last_pass(len(X)).out).all()


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_output_loss_is_the_training_loss(loss):
    net = Network(3, [5], loss=loss, seed=2)
    out = net.forward(X).copy()
    assert net.output_loss(out, Y) == net.loss(X, Y)
    if loss == "mse":
        assert net.output_loss(out, Y) == pytest.approx(np.mean((out.astype(float) - Y) ** 2),
                                                        rel=1e-6)
    else:
        p = 1 / (1 + np.exp(-out.astype(float)))
        bce = -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))
        assert net.output_loss(out, Y) == pytest.approx(bce, rel=1e-5)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_weights_before_step_are_the_previous_weights(optimizer):
    net = Network(3, [6, 6], optimizer=optimizer, lr=0.05, seed=4)
    net.train_step(X, Y)
    before = [w.copy() for w in net.W]
    net.train_step(X, Y)
    old = net.weights_before_step()
    assert len(old) == net.depth + 1
    for got, want, now in zip(old, before, net.W):
        np.testing.assert_array_equal(got, want)
        assert not np.array_equal(got, now)  # the step moved every layer
        with pytest.raises(ValueError):
            got[0, 0] = 0.0
    ratios = [np.linalg.norm(now.astype(float) - b) / np.linalg.norm(b.astype(float))
              for b, now in zip(before, net.W)]
    np.testing.assert_allclose(applied_update_ratios(net), ratios, rtol=1e-6)
