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
@pytest.mark.slow
def test_noiseless_fi_matches_formula_within_one_percent(params):
    currents = rheobase_na(params) * MULTIPLES
    curve = simulate_fi_curve(params, currents)
    assert curve.trials == 1
    assert np.all(curve.rate_theory_hz > 10)
    np.testing.assert_allclose(curve.rate_sim_hz, curve.rate_theory_hz, rtol=0.01)


@pytest.mark.slow
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


@pytest.mark.slow
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


# ----- the default current range, both fits, the f-I time step ------------------------------

@pytest.mark.parametrize("g_leak_ns", [2.0, 10.0, 40.0])
def test_default_range_is_centred_on_rheobase_and_keeps_the_offset_alpha_sane(g_leak_ns):
    from neuro.fi_curve import theory_fit

    params = LifParameters(g_leak_ns=g_leak_ns, noise_mv=4.0)
    currents = default_currents_na(params)
    threshold = rheobase_na(params)
    assert np.mean(currents < threshold) >= 1 / 3
    assert currents.min() >= 0.0 and currents.max() >= 2 * threshold
    fit = theory_fit(params, offset=True)
    assert 0.0 <= fit.alpha <= 0.6, fit
    assert currents.min() <= fit.threshold_na <= currents.max()


@pytest.mark.slow
def test_simulated_default_fi_at_small_leak_gives_a_sane_offset_alpha():
    # g_L = 2 nS: rheobase 0.04 nA, far below the drive; the old range (to 1.5x the drive's
    # peak) left 3 of 40 points below rheobase and an offset-fit alpha of 0.92.
    params = LifParameters(g_leak_ns=2.0, noise_mv=4.0, duration_s=0.5, n_neurons=400)
    curve = simulate_fi_curve(params)
    assert np.mean(curve.current_na < rheobase_na(params)) >= 1 / 3
    assert 0.0 <= curve.leaky_fit(offset=True).alpha <= 0.6
    assert curve.leaky_fit(offset=False).alpha == 0.0
    assert curve.fit == curve.three_parameter_fit  # fit_offset=False: the 3-parameter one


def test_explicit_currents_are_used_as_given():
    params = LifParameters(g_leak_ns=2.0, duration_s=0.05)
    currents = [0.3, 0.1, 0.5, 0.2]
    np.testing.assert_array_equal(simulate_fi_curve(params, currents).current_na, currents)


def test_a_near_zero_rheobase_gets_a_range_straddling_zero():
    params = LifParameters(g_leak_ns=0.01)  # perfect integrator preset
    currents = default_currents_na(params)
    assert currents.min() < 0 < currents.max()
    assert np.mean(currents < rheobase_na(params)) >= 1 / 3


def test_drive_fit_range_covers_the_drive_and_the_fi_range():
    from neuro.fi_curve import fit_currents_na

    params = LifParameters(g_leak_ns=2.0, i0_na=0.25, i1_na=0.1)
    fi, fit = default_currents_na(params), fit_currents_na(params)
    assert fit.min() <= min(fi.min(), params.i0_na - params.i1_na)
    assert fit.max() >= max(fi.max(), params.i0_na + params.i1_na)


def test_both_fits_are_stored_and_fit_offset_picks_one():
    params = LifParameters(noise_mv=8.0, duration_s=0.3, n_neurons=200)
    currents = default_currents_na(params, 12)
    curve = simulate_fi_curve(params, currents, fit_offset=True)
    assert curve.fit == curve.offset_fit == curve.leaky_fit(True)
    assert curve.three_parameter_fit == curve.leaky_fit(False)
    assert curve.three_parameter_fit.offset_hz == 0.0
    assert curve.offset_fit.alpha > curve.three_parameter_fit.alpha == 0.0


def test_fi_curve_records_its_time_step_and_takes_an_explicit_one():
    from neuro.fi_curve import ACCURATE_FI_DT_MS

    coarse = LifParameters(dt_ms=0.1, duration_s=0.05)
    assert simulate_fi_curve(coarse, [0.3, 0.4]).dt_ms == 0.1
    assert simulate_fi_curve(coarse, [0.3, 0.4], dt_ms=ACCURATE_FI_DT_MS).dt_ms == 0.02
    with pytest.raises(ValueError, match="dt_ms"):
        simulate_fi_curve(coarse, [0.3, 0.4], dt_ms=5.0)
