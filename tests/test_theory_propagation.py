"""Propagation as an ensemble: unbiased factor, finite-width tolerance, band, memory budget."""

import numpy as np
import pytest

from models.theory import SettingError
from models.theory.propagation import (
    check_propagation_size,
    factor_tolerance,
    finite_width_kappa,
    memory_budget_bytes,
    propagation,
    propagation_bytes,
)
from models.theory.verdicts import propagation_verdicts

CASES = [("he", "relu", 0.0), ("he_leaky", "leaky_relu", 0.1), ("xavier", "relu", 0.0)]


@pytest.mark.parametrize("alpha", [0.0, 0.1, 0.5, 1.0])
def test_kappa_is_the_relative_variance_of_one_units_squared_output(alpha):
    # X = G^2 xi^2, G = 1 or alpha with probability 1/2: Var[X]/E[X]^2 = kappa
    rng = np.random.default_rng(0)
    n = 4_000_000
    g = np.where(rng.random(n) < 0.5, 1.0, alpha)
    x = (g * rng.standard_normal(n)) ** 2
    assert x.var() / x.mean() ** 2 == pytest.approx(finite_width_kappa(alpha), rel=0.02)
    assert finite_width_kappa(0.0) == pytest.approx(5.0)  # Hanin's 5/N per layer
    assert finite_width_kappa(1.0) == pytest.approx(2.0)  # a linear net: chi-square


def test_tolerance_formula():
    assert factor_tolerance(0.0, 256, 50, 20) == pytest.approx(4 * np.sqrt(5 / (256 * 49 * 20)))
    assert factor_tolerance(0.0, 16, 50, 20) == pytest.approx(0.0714, abs=1e-4)
    assert factor_tolerance(0.0, 64, 10, 20) < factor_tolerance(0.0, 16, 10, 20)


@pytest.mark.parametrize("width", [16, 256])
@pytest.mark.parametrize("init,activation,alpha", CASES)
def test_ensemble_accepts_correct_theory_and_rejects_a_wrong_factor(width, init, activation,
                                                                    alpha):
    study = propagation(init, activation, alpha, width=width, depth=20, seed=1, seeds=20)
    assert study.forward_runs.shape == (20, 20)
    verdicts = propagation_verdicts([study])
    assert [v.quantity.split(", ")[-1] for v in verdicts] == ["forward", "backward"]
    assert all(v.agrees for v in verdicts), verdicts
    assert all(v.tolerance == pytest.approx(study.factor * t) for v, t in
               zip(verdicts, (study.tolerance, study.tolerance_backward)))
    # a deliberately wrong prediction is refused: 10% off at width 256, 25% at width 16
    wrong = study.factor * (1.10 if width == 256 else 1.25)
    assert not any(v.agrees for v in propagation_verdicts([study], predicted=wrong))
    assert not any(v.agrees for v in propagation_verdicts([study], predicted=1 / wrong
                                                          * study.factor ** 2))


def test_one_nets_geometric_factor_is_biased_low_at_small_width():
    # the old verdict (one net's geometric mean) rejected correct theory at width 16:
    # E[log r] ~ log F - kappa/(2N) = -5/32 per layer for ReLU
    study = propagation("he", "relu", 0.0, width=16, depth=20, seed=2, seeds=20)
    geometric = study.geometric_factors()
    assert np.median(geometric) < 0.92
    assert abs(study.measured_forward - 1) <= study.tolerance


def test_the_tolerance_bounds_the_spread_of_the_measured_factor():
    # 40 independent ensembles at width 16: the spread of the measured factor stays below
    # the finite-width standard error sqrt(kappa / (N S (L-1))) (the tolerance is 4 of them)
    measured = [propagation("he", "relu", 0.0, width=16, depth=8, n_points=16, seed=s,
                            seeds=4).measured_forward for s in range(40)]
    se = factor_tolerance(0.0, 16, 8, 4) / 4
    assert np.std(measured) <= 1.2 * se
    assert abs(np.mean(measured) - 1) <= 4 * se / np.sqrt(40)


def test_band_and_predictions():
    study = propagation("he", "relu", 0.0, width=32, depth=10, seed=3, seeds=10)
    low, high = study.band()
    assert np.all(low <= study.forward_runs.max(axis=0))
    assert np.all(low <= high)
    np.testing.assert_allclose(study.forward, study.forward_runs.mean(axis=0))
    np.testing.assert_allclose(study.predicted_forward(),
                               study.forward[0] * study.factor ** np.arange(10))
    again = propagation("he", "relu", 0.0, width=32, depth=10, seed=3, seeds=10)
    np.testing.assert_array_equal(again.forward_runs, study.forward_runs)


def test_memory_budget_refuses_before_work():
    assert memory_budget_bytes() <= 4 * 2**30
    assert propagation_bytes(256, 50, 64) < 2**27
    # 200 layers of 1024: three float64 copies of 200 M weights, about 4.7 GB
    assert propagation_bytes(1024, 200, 256) > 4 * 2**30
    with pytest.raises(SettingError) as caught:
        check_propagation_size(1024, 200, 256, 20)
    assert caught.value.fields == ("depth", "width")
    with pytest.raises(SettingError) as caught:
        propagation(width=1024, depth=200)
    assert caught.value.field == "depth"
    with pytest.raises(SettingError, match="seeds"):
        check_propagation_size(16, 4, 16, 0)


def test_rai_help_states_what_is_measured():
    # models.initializers' RAI help: "0.92-0.95 per layer forward ... about 0.65 backward"
    # (ReLU, width 256, 50 layers): the median geometric factor and the mean ratio span the
    # forward range; 10 nets here, so allow the finite-width tolerance
    from models.initializers import INIT_DESCRIPTIONS

    assert "0.92-0.95" in INIT_DESCRIPTIONS["rai"] and "0.65" in INIT_DESCRIPTIONS["rai"]
    study = propagation("rai", "relu", 0.0, width=256, depth=50, seed=0, seeds=10)
    geometric = float(np.median(study.geometric_factors()))
    tol = study.tolerance
    assert 0.92 - tol <= geometric <= study.measured_forward <= 0.95 + tol
    assert abs(study.measured_backward - 0.65) <= 0.01 + study.tolerance_backward
    assert study.factor < 0.2  # c (1+alpha^2)/2 with c = 0.6007^2 says nothing of the Beta entry
