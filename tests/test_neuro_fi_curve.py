"""Simulated f-I curves against the analytic rates, and the Leaky ReLU fit."""

import numpy as np
import pytest

from neuro.analytic import rheobase_na
from neuro.fi_curve import default_currents_na, simulate_fi_curve
from neuro.leaky_fit import fit_leaky_relu
from neuro.parameters import LifParameters

MULTIPLES = np.array([1.05, 1.5, 2.0, 3.0, 5.0])

# dt = 10 us: a noiseless interspike interval is a whole number of steps, so the rate
# error is at most dt / ISI (0.23% at the fastest rate here, ~230 Hz).
PARAMETER_SETS = [
    LifParameters(dt_ms=0.01, duration_s=0.3),
    LifParameters(g_leak_ns=25.0, c_m_pf=250.0, e_leak_mv=-65.0, v_th_mv=-48.0,
                  v_reset_mv=-58.0, t_ref_ms=3.0, dt_ms=0.01, duration_s=0.3),
]


@pytest.mark.parametrize("params", PARAMETER_SETS, ids=["default", "fast-membrane"])
def test_noiseless_fi_matches_formula_within_one_percent(params):
    currents = rheobase_na(params) * MULTIPLES
    curve = simulate_fi_curve(params, currents)
    assert curve.trials == 1
    assert np.all(curve.rate_theory_hz > 10)
    np.testing.assert_allclose(curve.rate_sim_hz, curve.rate_theory_hz, rtol=0.01)


def test_noisy_rate_matches_siegert_within_five_percent():
    # dt = 20 us keeps the Euler-Maruyama threshold-overshoot bias near 1-2 %; 400 trials
    # of 0.9 s give >5000 spikes per point (statistical error < 1.5 %).
    params = LifParameters(noise_mv=6.0, dt_ms=0.02, duration_s=1.0, seed=1)
    currents = rheobase_na(params) * np.array([0.8, 1.2, 1.5])
    curve = simulate_fi_curve(params, currents, trials=400)
    assert currents[0] < rheobase_na(params)
    assert curve.rate_theory_hz[0] > 5
    np.testing.assert_allclose(curve.rate_sim_hz, curve.rate_theory_hz, rtol=0.05)


def test_fit_recovers_a_known_leaky_relu():
    currents = np.linspace(-1.0, 2.0, 31)
    z = currents - 0.4
    rates = 50.0 * np.where(z > 0, z, 0.1 * z)
    fit = fit_leaky_relu(currents, rates)
    assert fit.alpha == pytest.approx(0.1, abs=1e-6)
    assert fit.gain_hz_per_na == pytest.approx(50.0, rel=1e-6)
    assert fit.threshold_na == pytest.approx(0.4, abs=1e-6)
    assert fit.rmse_hz < 1e-6


def test_fitted_alpha_is_zero_without_noise_and_grows_with_noise():
    # The foot that noise adds below rheobase is positive; a Leaky ReLU with an output
    # bias (offset) captures it with alpha > 0. Without noise there is no foot.
    alphas, three_parameter_alphas = [], []
    for noise in (0.0, 6.0, 9.0, 12.0):
        params = LifParameters(noise_mv=noise, duration_s=1.0, n_neurons=1000)
        currents = default_currents_na(params, 20)
        curve = simulate_fi_curve(params, currents, fit_offset=True)
        alphas.append(curve.fit.alpha)
        three_parameter_alphas.append(fit_leaky_relu(currents, curve.rate_sim_hz).alpha)
    assert alphas[0] < 1e-3
    assert all(b > a for a, b in zip(alphas, alphas[1:])), alphas
    assert alphas[-1] > 0.1
    # The literal three-parameter form predicts negative rates below I_th, so a rate curve
    # (never negative) cannot pull its alpha above 0: the analogy breaks there.
    assert max(three_parameter_alphas) < 1e-3, three_parameter_alphas


def test_fit_rejects_bad_input():
    with pytest.raises(ValueError, match="3 distinct"):
        fit_leaky_relu([0.0, 0.0, 1.0], [0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="same length"):
        fit_leaky_relu([0.0, 1.0, 2.0], [0.0, 1.0])


def test_an_alpha_at_its_bound_is_exactly_zero_not_a_denormal():
    import json

    current = np.linspace(0.0, 0.6, 25)
    fit = fit_leaky_relu(current, 300.0 * np.maximum(current - 0.2, 0.0))
    assert fit.alpha == 0.0
    assert json.loads(json.dumps(fit.to_dict()))["alpha"] == 0.0
