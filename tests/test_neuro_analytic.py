"""Analytic rates: Siegert against an independent high-precision integral, limits."""

import math

import mpmath
import numpy as np
import pytest

from neuro.analytic import (
    deterministic_rate_hz,
    perfect_integrator_rate_hz,
    rheobase_na,
    siegert_integral,
    siegert_rate_hz,
)
from neuro.parameters import LifParameters


@pytest.mark.parametrize("lower, upper", [(-3.0, -1.0), (-2.0, 1.5), (-0.5, 3.0), (1.0, 4.5),
                                          (-12.0, -8.0)])
def test_siegert_integral_matches_direct_integration(lower, upper):
    mpmath.mp.dps = 40
    direct = mpmath.quad(lambda u: mpmath.exp(u * u) * mpmath.erfc(-u), [lower, 0, upper]
                         if lower < 0 < upper else [lower, upper])
    assert siegert_integral(lower, upper) == pytest.approx(float(direct), rel=1e-8, abs=0)


def test_siegert_rate_matches_direct_formula():
    p = LifParameters(noise_mv=5.0)
    mpmath.mp.dps = 40
    for current in (0.1, 0.2, 0.35):
        mu = 1000 * current / p.g_leak_ns
        lo = (p.v_reset_mv - p.e_leak_mv - mu) / p.noise_mv
        hi = (p.v_th_mv - p.e_leak_mv - mu) / p.noise_mv
        integral = mpmath.quad(lambda u: mpmath.exp(u * u) * mpmath.erfc(-u), [lo, hi])
        direct = 1000 / (p.t_ref_ms + p.tau_m_ms * math.sqrt(math.pi) * float(integral))
        assert float(siegert_rate_hz(current, p)) == pytest.approx(direct, rel=1e-8)


def test_siegert_tends_to_deterministic_rate_at_small_noise():
    p = LifParameters()
    currents = np.array([0.25, 0.4, 0.8])
    small = siegert_rate_hz(currents, p, noise_mv=0.05)
    np.testing.assert_allclose(small, deterministic_rate_hz(currents, p), rtol=0.01)
    far_below = siegert_rate_hz(0.0, p, noise_mv=1.0)
    assert np.isfinite(far_below) and 0 < far_below < 1e-100
    assert siegert_rate_hz(0.0, p, noise_mv=0.5) == 0.0  # exp(u^2) would overflow: rate is 0


def test_deterministic_rate_is_zero_up_to_rheobase():
    p = LifParameters()
    assert rheobase_na(p) == pytest.approx(0.2)
    rates = deterministic_rate_hz([0.0, 0.1, 0.2, 0.2001], p)
    assert list(rates[:3]) == [0.0, 0.0, 0.0] and rates[3] > 0


def test_perfect_integrator_limit():
    p = LifParameters(g_leak_ns=1e-4, c_m_pf=200.0, dt_ms=0.1)
    currents = np.array([-0.1, 0.0, 0.05, 0.2, 0.5])
    pi = perfect_integrator_rate_hz(currents, p)
    assert pi[0] == 0 and pi[1] == 0
    np.testing.assert_allclose(deterministic_rate_hz(currents[2:], p), pi[2:], rtol=1e-3)
    no_ref = LifParameters(t_ref_ms=0.0)
    slope = 1 / (no_ref.c_m_pf * 1e-12 * (no_ref.v_th_mv - no_ref.v_reset_mv) * 1e-3) * 1e-9
    np.testing.assert_allclose(perfect_integrator_rate_hz(currents, no_ref),
                               slope * np.maximum(currents, 0), rtol=1e-12)
