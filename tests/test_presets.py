"""Every preset loads, validates, explains itself and shows its phenomenon in a few hundred steps.

The step budgets are what the window trains in well under 10 seconds on a 2-core machine
(the preset grids run at several hundred grid steps per second headless).
"""

from __future__ import annotations

import numpy as np
import pytest

from models.config import ExperimentConfig
from models.experiment import Experiment
from models.presets import load_preset, preset_names

REQUIRED = ("high-lr-kills", "leaky-rescues", "zero-init-born-dead", "negative-bias",
            "outlier-kills", "batchnorm-protects", "thermal-kick", "deep-narrow-born-dead")


def run_preset(name, steps, marks=()):
    """Train preset `name` as the window and the command line do (the experiment applies the
    schedule itself); return snapshots by step."""
    preset = load_preset(name)
    exp = Experiment(preset.config, schedule=preset.schedule)
    snaps = {}
    for target in sorted({0, steps, *marks}):
        if target > exp.step:
            exp.run(target - exp.step)
        snaps[target] = exp.snapshot()
    return exp, snaps


def cell(exp, activation, lr):
    return exp.labels.index((activation, lr))


@pytest.mark.parametrize("name", preset_names())
def test_preset_loads_and_validates(name):
    preset = load_preset(name)
    assert ExperimentConfig.from_dict(preset.config.to_dict()) == preset.config
    assert preset.title and len(preset.explanation) > 200
    assert preset.config.n_networks <= 8  # small grids: fast enough to show within 10 s
    for action in preset.schedule:
        assert action.cells is None or all(0 <= c < preset.config.n_networks
                                           for c in action.cells)


def test_required_presets_exist():
    assert set(REQUIRED) <= set(preset_names())


def test_high_lr_kills():
    exp, s = run_preset("high-lr-kills", 150)
    dead = s[150].dead_fraction
    assert dead[cell(exp, "relu", 6.0)] > 0.5
    assert dead[cell(exp, "relu", 3.0)] > 0.15
    assert dead[cell(exp, "relu", 0.01)] < 0.1
    assert all(dead[cell(exp, "leaky_relu", lr)] == 0 for lr in exp.config.lrs)


def test_leaky_rescues():
    exp, s = run_preset("leaky-rescues", 320, marks=(290,))
    assert s[290].dead_fraction.max() > 0.15
    assert s[320].dead_fraction.max() == 0
    assert all(net.activation == "leaky_relu" for net in exp.networks)


def test_zero_init_born_dead():
    exp, s = run_preset("zero-init-born-dead", 200)
    for lr in exp.config.lrs:
        assert s[0].dead_fraction[cell(exp, "relu", lr)] == 1.0
        assert s[200].dead_fraction[cell(exp, "relu", lr)] == 1.0
        assert s[200].dead_fraction[cell(exp, "tanh", lr)] == 0.0
    assert np.ptp(s[200].losses) < 0.02  # every row stuck on the same plateau


@pytest.mark.slow
def test_negative_bias():
    exp, s = run_preset("negative-bias", 400)
    for lr in exp.config.lrs:
        assert s[0].dead_fraction[cell(exp, "relu", lr)] > 0.8
        assert s[400].dead_fraction[cell(exp, "relu", lr)] > 0.8
        assert s[400].dead_fraction[cell(exp, "elu", lr)] == 0
    elu = cell(exp, "elu", 0.3)
    assert s[400].activity[elu].mean() > 2 * s[0].activity[elu].mean()


def test_outlier_kills():
    exp, s = run_preset("outlier-kills", 260, marks=(199,))
    relu = [cell(exp, "relu", lr) for lr in exp.config.lrs]
    leaky = [cell(exp, "leaky_relu", lr) for lr in exp.config.lrs]
    before, after = s[199].dead_fraction[relu], s[260].dead_fraction[relu]
    assert np.all(after > before)
    assert np.all(after[1:] > before[1:] + 0.1) and after[-1] > 0.5
    assert np.all(s[260].dead_fraction[leaky] == 0)
    assert exp.networks[leaky[-1]].diverged and not exp.networks[relu[-1]].diverged
    assert [e.step for e in exp.history.events if e.kind == "outlier"] == [200]


@pytest.mark.slow
def test_batchnorm_protects():
    exp, s = run_preset("batchnorm-protects", 260, marks=(199,))
    assert exp.config.batch_norm
    assert s[260].dead_fraction.max() < 0.05


def test_thermal_kick():
    exp, s = run_preset("thermal-kick", 260, marks=(249,))
    k = cell(exp, "relu", 3.0)
    assert s[249].dead_fraction[k] > 0.15
    assert s[260].dead_fraction[k] < 0.6 * s[249].dead_fraction[k]


def test_deep_narrow_born_dead():
    exp, s = run_preset("deep-narrow-born-dead", 0)
    relu = cell(exp, "relu", 0.01)
    assert s[0].dead_fraction[relu] > 0.2
    out = exp.predict(exp.dataset.x, relu)
    assert np.std(out) < 1e-4  # the output ignores the input: born dead
    assert np.std(exp.predict(exp.dataset.x, cell(exp, "tanh", 0.01))) > 0.01
