"""The dying-ReLU phenomena of SCIENCE.md section 1 and the remedies of section 2, on demand."""

import warnings

import numpy as np
import pytest

from models.config import ExperimentConfig
from models.experiment import Experiment

SEEDS = (0, 1, 2)


def final_dead(config: ExperimentConfig, steps: int) -> np.ndarray:
    experiment = Experiment(config)
    experiment.run(steps)
    return experiment.snapshot().dead_fraction


@pytest.mark.parametrize("seed", SEEDS)
def test_high_learning_rate_kills_relu_but_not_leaky_relu(seed):
    config = ExperimentConfig(seed=seed, activations=("relu", "leaky_relu"), lrs=(0.01, 3.0))
    relu_low, relu_high, leaky_low, leaky_high = final_dead(config, 600)
    assert relu_high > relu_low + 0.1, (relu_low, relu_high)
    assert relu_high > leaky_high + 0.1, (relu_high, leaky_high)
    assert leaky_high == 0.0


@pytest.mark.parametrize("init, bias", [("zeros", 0.0), ("negative_bias", -3.0)])
def test_bad_initialisation_is_born_dead(init, bias):
    for seed in SEEDS:
        config = ExperimentConfig(seed=seed, init=init, bias_value=bias, activations=("relu",),
                                  lrs=(0.1,))
        experiment = Experiment(config)
        born = experiment.snapshot().dead_fraction[0]
        output = experiment.predict(experiment.x, 0)
        assert born > 0.95
        assert np.ptp(output) == 0.0  # the whole network is born dead: constant output
        experiment.run(100)  # and no gradient ever brings a unit back
        assert experiment.snapshot().dead_fraction[0] >= born


def test_he_init_is_mostly_alive():
    for seed in SEEDS:
        config = ExperimentConfig(seed=seed, activations=("relu",), lrs=(0.1,))
        assert Experiment(config).snapshot().dead_fraction[0] < 0.15


@pytest.mark.parametrize("seed", SEEDS)
def test_outlier_batch_kills_units_a_clean_run_keeps(seed):
    # one abnormal point among 128 ordinary ones weighs 1/128 of the batch: it needs a
    # feature ~10^4 times the data's scale to do what the old two-row batch did at 300
    config = ExperimentConfig(seed=seed, activations=("relu",), lrs=(0.1,),
                              outlier_factor=10_000.0)
    clean, hit = Experiment(config), Experiment(config)
    clean.run(200)
    hit.run(200)
    hit.inject_outlier()
    clean.run(50)
    hit.run(50)
    clean_dead = clean.snapshot().dead_fraction[0]
    hit_dead = hit.snapshot().dead_fraction[0]
    assert hit_dead > clean_dead + 0.3, (clean_dead, hit_dead)


@pytest.mark.parametrize("seed", SEEDS)
def test_thermal_kick_revives_dead_units(seed):
    config = ExperimentConfig(seed=seed, activations=("relu",), lrs=(0.1,), kick_std=1.0,
                              outlier_factor=10_000.0)
    experiment = Experiment(config)
    experiment.run(200)
    experiment.inject_outlier()
    experiment.run(1)
    before = experiment.snapshot().dead[0]
    kicked = experiment.thermal_kick()
    after = experiment.snapshot().dead[0]
    assert kicked == before.sum() > 0
    revived = before & ~after
    assert revived.sum() >= 0.2 * before.sum()
    # units alive before the kick were not touched: in the first layer, whose input is the
    # fixed data, none can die of it; a deeper unit's input moves with the kicked layer
    # below it, so there a few may die (and others revive) without being touched
    assert not np.any(after[0] & ~before[0])
    assert np.sum(after & ~before) <= 0.1 * revived.sum()


def test_thermal_kick_only_moves_dead_units_incoming_weights():
    config = ExperimentConfig(activations=("relu",), lrs=(3.0,))
    experiment = Experiment(config)
    experiment.run(300)
    dead = experiment.snapshot().dead[0]
    net = experiment.networks[0]
    weights = [w.copy() for w in net.W]
    experiment.thermal_kick()
    for layer in range(net.depth):
        changed = np.any(net.W[layer] != weights[layer], axis=0)
        np.testing.assert_array_equal(changed, dead[layer])


@pytest.mark.parametrize("seed", SEEDS)
def test_batch_norm_lowers_the_dead_fraction(seed):
    plain = ExperimentConfig(seed=seed, activations=("relu",), lrs=(3.0,))
    normed = plain.replace(batch_norm=True)
    assert final_dead(normed, 600)[0] < final_dead(plain, 600)[0] - 0.1


def test_batch_norm_protects_against_the_outlier():
    for seed in SEEDS:
        config = ExperimentConfig(seed=seed, activations=("relu",), lrs=(0.1,), batch_norm=True,
                                  outlier_factor=10_000.0)
        experiment = Experiment(config)
        experiment.run(200)
        experiment.inject_outlier()
        experiment.run(50)
        assert experiment.snapshot().dead_fraction[0] < 0.1


def test_divergence_is_marked_frozen_and_silent():
    config = ExperimentConfig(activations=("relu", "leaky_relu"), lrs=(0.1, 100.0))
    experiment = Experiment(config)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        experiment.run(300)
        snap = experiment.snapshot()
    np.testing.assert_array_equal(snap.diverged, [False, True, False, True])
    assert np.all(np.isfinite(snap.losses[~snap.diverged]))
    for net in experiment.networks:
        assert all(np.all(np.isfinite(p)) for p in net.parameters())
    frozen = [p.copy() for p in experiment.networks[1].parameters()]
    experiment.run(10)
    for before, after in zip(frozen, experiment.networks[1].parameters()):
        np.testing.assert_array_equal(before, after)


def test_switching_a_cell_to_leaky_relu_keeps_weights_and_gives_gradient():
    config = ExperimentConfig(activations=("relu",), lrs=(3.0,))
    experiment = Experiment(config)
    experiment.run(300)
    net = experiment.networks[0]
    weights = [w.copy() for w in net.W]
    experiment.switch_activation(0, "leaky_relu")
    assert net.activation == "leaky_relu" and experiment.labels[0][0] == "leaky_relu"
    for before, after in zip(weights, net.W):
        np.testing.assert_array_equal(before, after)
    assert experiment.snapshot().dead_fraction[0] == 0.0  # dormant, not dead


def test_reinit_dead_units_revives_them():
    config = ExperimentConfig(init="negative_bias", bias_value=-3.0, activations=("relu",),
                              lrs=(0.1,))
    experiment = Experiment(config)
    assert experiment.reinit_dead() == 3 * 64
    assert experiment.snapshot().dead_fraction[0] < 0.5
