"""Pruning dead ReLU units leaves the output unchanged; no gradient reaches dead units."""

import numpy as np
import pytest

from models.network import Network
from models.theory.pruning import (
    dead_unit_gradient,
    dead_units,
    mlp_forward,
    prune_dead,
    pruning_demo,
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pruned_output_identical_in_float64(seed):
    net, x, result, diff = pruning_demo(width=32, depth=3, lr=3.0, steps=300, seed=seed)
    assert net.dtype == np.float64
    assert result.removed_units > 0
    assert result.params_after < result.params_before
    assert diff <= 1e-12
    before = net.forward(x).copy()
    np.testing.assert_allclose(result.forward(x), before, rtol=0, atol=1e-12)
    # parameter count: every removed unit took its in-weights, bias and out-weights along
    sizes = [x.shape[1], *result.widths_after, 1]
    expected = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    assert result.params_after == expected
    y = np.random.default_rng(seed).integers(0, 2, (len(x), 1)).astype(float)
    assert dead_unit_gradient(net, x, y) == 0.0


def test_pruning_a_live_unit_would_change_the_output():
    net = Network(2, [16, 16], "relu", seed=0, dtype=np.float64)
    x = np.random.default_rng(0).standard_normal((200, 2))
    result = prune_dead(net, x)
    assert result.removed_units == sum(m.sum() for m in dead_units(net, x))
    np.testing.assert_allclose(result.forward(x), net.forward(x), atol=1e-12)
    # sanity: dropping a live unit is not free (the test above can fail)
    w = [a.copy() for a in result.weights]
    w[-1][0] = 0.0
    assert np.max(np.abs(mlp_forward(w, result.biases, x) - net.forward(x))) > 1e-6


def test_prune_rejects_non_relu():
    net = Network(2, [4], "leaky_relu", dtype=np.float64)
    with pytest.raises(ValueError, match="activation"):
        prune_dead(net, np.zeros((3, 2)))


def test_diverging_training_is_refused_naming_the_rate_without_warnings():
    import warnings

    from models.theory import SettingError

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # any overflow warning fails the test
        with pytest.raises(SettingError) as caught:
            pruning_demo(width=32, depth=3, lr=1e5, steps=300, seed=0)
    assert caught.value.field == "prune_lr"
    assert "nan" not in str(caught.value).lower()


def test_bad_pruning_settings_name_the_theory_field():
    from models.theory import SettingError
    from models.theory.pruning import pruning_config

    with pytest.raises(SettingError) as caught:
        pruning_config(width=0)
    assert caught.value.field == "prune_width"
    with pytest.raises(SettingError) as caught:
        pruning_config(lr=-1.0)
    assert caught.value.field == "prune_lr"
