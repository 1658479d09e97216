"""Frequency response: the harmonic estimator, and LIF low-pass against flat Leaky ReLU."""

import numpy as np
import pytest

from neuro.frequency_response import first_harmonic, simulate_frequency_response
from neuro.parameters import LifParameters


def test_first_harmonic_of_a_known_modulated_poisson_population():
    rng = np.random.default_rng(3)
    r0, r1, phi, freq, n, stop_s = 40.0, 15.0, -0.6, 7.0, 2000, 3.0
    # thinning: candidate events at the peak rate, accepted with probability r(t)/peak
    peak = r0 + r1
    times = rng.uniform(0, stop_s, rng.poisson(peak * n * stop_s))
    keep = rng.uniform(0, peak, times.size) < r0 + r1 * np.sin(2 * np.pi * freq * times + phi)
    mean, amplitude, phase = first_harmonic(1000 * times[keep], n, freq, 0.0, 1000 * stop_s)
    standard_error = np.sqrt(2 * r0 / (n * stop_s))  # ~0.1 Hz
    assert mean == pytest.approx(r0, abs=5 * standard_error)
    assert amplitude == pytest.approx(r1, abs=5 * standard_error)
    assert phase == pytest.approx(phi, abs=5 * standard_error / r1)


@pytest.mark.slow
def test_lif_gain_falls_with_frequency_while_leaky_relu_is_flat():
    params = LifParameters(noise_mv=6.0, i0_na=0.2, i1_na=0.04, n_neurons=500, duration_s=2.0)
    response = simulate_frequency_response(params, [2.0, 20.0, 200.0])
    gain = response.lif_gain_hz_per_na
    assert gain[2] < 0.6 * gain[0], gain
    assert gain[2] < gain[1] < gain[0] * 1.1, gain
    assert response.lif_phase_deg[2] < -20  # lags approaching 45 degrees
    assert np.ptp(response.leaky_gain_hz_per_na) == 0
    assert np.all(response.leaky_phase_deg == 0)
    assert response.leaky_gain_hz_per_na[0] > 0


def test_too_short_for_a_cycle_and_zero_amplitude_are_rejected():
    with pytest.raises(ValueError, match="duration_s"):
        simulate_frequency_response(LifParameters(duration_s=0.5, n_neurons=5), [1.0])
    with pytest.raises(ValueError, match="i1_na"):
        simulate_frequency_response(LifParameters(i1_na=0.0, n_neurons=5), [10.0])


def test_static_slope_is_the_derivative_of_the_analytic_rate():
    from neuro.analytic import deterministic_rate_hz, siegert_rate_hz, static_slope_hz_per_na

    params = LifParameters()
    # noiseless: dr/dI = r^2 tau_m (theta - V_r) / (g_L (mu - V_r)(mu - theta)), mu = I/g_L
    current = 0.3
    rate = float(deterministic_rate_hz(current, params)) / 1000.0  # per ms
    mu = 1000.0 * current / params.g_leak_ns  # mV above E_L
    theta, v_r = 20.0, 10.0
    exact = rate**2 * params.tau_m_ms * (theta - v_r) / ((mu - v_r) * (mu - theta))
    exact *= 1000.0 * 1000.0 / params.g_leak_ns  # Hz per (mV / (1000 / g_L) nA)
    assert static_slope_hz_per_na(current, params) == pytest.approx(exact, rel=1e-5)
    assert np.isnan(static_slope_hz_per_na(params.rheobase_na, params))  # the kink
    noisy = params.replace(noise_mv=6.0)
    h = 1e-3
    secant = (siegert_rate_hz(0.2 + h, noisy) - siegert_rate_hz(0.2 - h, noisy)) / (2 * h)
    assert static_slope_hz_per_na(0.2, noisy) == pytest.approx(float(secant), rel=1e-3)


def test_response_carries_the_lif_static_slope_at_i0():
    from neuro.analytic import static_slope_hz_per_na

    params = LifParameters(noise_mv=6.0, i0_na=0.2, i1_na=0.05, n_neurons=20, duration_s=0.5)
    response = simulate_frequency_response(params, [5.0, 50.0])
    expected = static_slope_hz_per_na(0.2, params)
    np.testing.assert_allclose(response.lif_static_gain_hz_per_na, [expected, expected])
    # a global fit's gain is not the local slope at I0: the two differ before any dynamics
    assert abs(response.leaky_gain_hz_per_na[0] - expected) > 0.03 * expected
