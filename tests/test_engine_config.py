"""ExperimentConfig validation, JSON round trip and bit-for-bit reproducibility."""

import json

import numpy as np
import pytest

from models.config import SCHEMA_VERSION, ConfigError, ExperimentConfig
from models.experiment import Experiment, train


@pytest.mark.parametrize("field, value, needle", [
    ("activations", ("relu", "swishy"), "activations"),
    ("lrs", (0.0,), "lrs"),
    ("lrs", (-1.0,), "lrs"),
    ("lrs", ("abc",), "lrs"),
    ("lrs", (float("nan"),), "lrs"),
    ("width", 0, "width"),
    ("depth", 0, "depth"),
    ("batch_size", 10_000, "batch_size"),
    ("init", "glorious", "init"),
    ("optimizer", "rmsprop", "optimizer"),
    ("alpha", 1.5, "alpha"),
    ("dataset", "mnist", "dataset"),
    ("width", 1024, "parameters"),
])
def test_bad_values_are_rejected_naming_the_field(field, value, needle):
    kwargs = {field: value}
    if field == "width" and value == 1024:
        kwargs.update(depth=64)  # an absurd size, refused before it eats the memory
    with pytest.raises(ConfigError, match=needle):
        ExperimentConfig(**kwargs)


def test_json_round_trip_is_exact():
    config = ExperimentConfig(seed=5, activations=("elu", "selu"), lrs=(0.1, 0.7),
                              batch_norm=True, init="rai", optimizer="adam")
    text = config.to_json()
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    assert json.loads(text)["seed"] == 5
    assert ExperimentConfig.from_json(text) == config


def test_unknown_key_and_newer_schema_are_refused():
    data = ExperimentConfig().to_dict()
    with pytest.raises(ConfigError, match="colour"):
        ExperimentConfig.from_dict({**data, "colour": "red"})
    with pytest.raises(ConfigError, match="schema_version"):
        ExperimentConfig.from_dict({**data, "schema_version": SCHEMA_VERSION + 1})
    with pytest.raises(ConfigError, match="JSON"):
        ExperimentConfig.from_json("{not json")


def test_same_config_and_seed_give_identical_numbers():
    config = ExperimentConfig(activations=("relu", "gelu"), lrs=(0.03, 1.0), steps=100,
                              log_every=20, batch_norm=True, optimizer="momentum")
    again = ExperimentConfig.from_json(config.to_json())
    for a, b in zip(train(config), train(again), strict=True):
        np.testing.assert_array_equal(a.losses, b.losses)
        np.testing.assert_array_equal(a.activity, b.activity)
        np.testing.assert_array_equal(a.dead, b.dead)


def test_different_seed_gives_different_numbers():
    a = Experiment(ExperimentConfig(seed=1, activations=("relu",), lrs=(0.1,)))
    b = Experiment(ExperimentConfig(seed=2, activations=("relu",), lrs=(0.1,)))
    assert not np.array_equal(a.networks[0].W[0], b.networks[0].W[0])


def test_grid_cells_share_initial_weights_and_batches():
    config = ExperimentConfig(activations=("relu", "tanh"), lrs=(0.01, 0.1))
    experiment = Experiment(config)
    first = experiment.networks[0]
    for net in experiment.networks[1:]:
        for a, b in zip(first.parameters(), net.parameters()):
            np.testing.assert_array_equal(a, b)


def test_he_leaky_init_rescales_the_same_draws():
    config = ExperimentConfig(init="he_leaky", alpha=0.5, activations=("relu", "leaky_relu"),
                              lrs=(0.1,))
    relu, leaky = Experiment(config).networks
    ratio = leaky.W[1] / relu.W[1]
    np.testing.assert_allclose(ratio, np.sqrt(1 / (1 + 0.5**2)), rtol=1e-6)
