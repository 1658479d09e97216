"""Dead means no gradient on any probe point, for every activation; dormant and saturated apart."""

import numpy as np
import pytest

from models.config import ExperimentConfig
from models.experiment import Experiment
from models.network import Network
from models.unit_states import ALIVE, DEAD, DORMANT, SATURATED, flat_units, unit_states

X = np.random.default_rng(0).uniform(-1, 1, (256, 2)).astype(np.float32)
Y = (X[:, :1] > 0).astype(np.float32)


@pytest.mark.parametrize("activation", ["gelu", "silu", "elu"])
@pytest.mark.parametrize("bias", [-1.0, -2.0])
def test_negative_bias_smooth_nets_are_not_dead_at_step_0(activation, bias):
    config = ExperimentConfig(init="negative_bias", bias_value=bias,
                              activations=(activation,), lrs=(0.1,))
    exp = Experiment(config)
    snap = exp.snapshot()
    assert snap.dead_fraction[0] < 0.02, snap.dead_fraction
    # the units called alive or dormant really get a weight gradient: dead is about gradients
    net = exp.networks[0]
    _, grads = net.loss_and_gradients(exp.x, exp.y)
    for layer in range(net.depth):
        live = snap.state[0, layer] != DEAD
        column = np.linalg.norm(grads[2 * layer], axis=0)
        assert np.all(column[live] > 0)


def test_signed_check_would_call_negative_derivative_units_dead():
    # the old, signed test (max phi' < eps) flags most negative-bias GELU units as dead;
    # this guards that the data above really exercises the negative-derivative case
    net = Network(2, [64, 64], "gelu", init="negative_bias", bias_value=-2.0, seed=0)
    net.forward(X)
    last = net.last_pass(len(X))
    z = last.z[1]
    d = net.spec.derivative(z, last.h[1], 0.0, np.empty_like(z))
    assert np.mean(d.max(axis=0) < 1e-6) > 0.5
    assert np.mean(net.probe(X, Y).dead[1]) < 0.05


def test_a_negative_derivative_everywhere_is_not_dead():
    d = np.full((100, 3), -0.08)
    flat = flat_units(d, 1e-6)
    assert not flat.any()
    states = unit_states(np.array([0, 40, 100]), flat)
    np.testing.assert_array_equal(states, [DORMANT, ALIVE, ALIVE])
    assert unit_states(np.array([0]), flat_units(np.full((5, 1), -5e-7), 1e-6))[0] == DEAD


@pytest.mark.parametrize("activation, on_bias", [("tanh", 50.0), ("sigmoid", 50.0),
                                                 ("relu6", 50.0)])
def test_saturated_units_are_saturated_not_dead(activation, on_bias):
    net = Network(2, [8], activation, seed=0)
    net.b[0][0] = on_bias    # on for every point with no slope: saturated
    net.b[0][1] = -50.0      # off for every point with no slope: dead
    result = net.probe(X, Y)
    assert result.state[0, 0] == SATURATED and not result.dead[0, 0]
    assert result.activity[0, 0] == 1.0
    assert result.state[0, 1] == DEAD and result.dead[0, 1]


def test_dormant_leaky_unit_has_activity_zero_and_is_not_dead():
    net = Network(2, [8], "leaky_relu", alpha=0.1, seed=0)
    net.b[0][2] = -50.0
    result = net.probe(X, Y)
    assert result.activity[0, 2] == 0 and result.state[0, 2] == DORMANT
    assert not result.dead.any()


def test_kick_and_reinit_touch_only_truly_dead_units():
    config = ExperimentConfig(activations=("tanh",), lrs=(0.1,), width=8, depth=1)
    exp = Experiment(config)
    net = exp.networks[0]
    net.b[0][0], net.b[0][1] = 50.0, -50.0   # saturated, dead
    before = net.W[0].copy()
    assert exp.thermal_kick() == 1
    moved = np.any(net.W[0] != before, axis=0)
    np.testing.assert_array_equal(np.flatnonzero(moved), [1])
    before = net.W[0].copy()
    net.b[0][1] = -50.0
    assert exp.reinit_dead() == 1
    np.testing.assert_array_equal(np.flatnonzero(np.any(net.W[0] != before, axis=0)), [1])


def test_batch_norm_net_with_negative_bias_is_not_dead_at_step_0():
    config = ExperimentConfig(batch_norm=True, init="negative_bias", bias_value=-2.0,
                              activations=("relu",), lrs=(0.1,))
    assert config.bn_probe == "batch"
    assert Experiment(config).snapshot().dead_fraction[0] < 0.02
    # the running statistics (mean 0, var 1 before any step) see the raw -2 bias
    running = Experiment(config.replace(bn_probe="running")).snapshot().dead_fraction[0]
    assert running > 0.5


def test_batch_statistics_probe_leaves_running_statistics_alone():
    net = Network(2, [16, 16], "relu", batch_norm=True, seed=1)
    mean = [m.copy() for m in net.running_mean]
    net.probe(X, Y, bn_probe="batch")
    for a, b in zip(mean, net.running_mean):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="bn_probe"):
        net.probe(X, Y, bn_probe="nope")
