"""Analytic LIF rates: rheobase, deterministic f-I curve, Siegert noisy rate, perfect integrator."""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import quad
from scipy.special import erfcx

from neuro.parameters import LifParameters

# Above this upper limit, exp(u^2) overflows a double and the rate is zero to machine precision.
_U_MAX = 26.0


def rheobase_na(params: LifParameters) -> float:
    """Return the rheobase ``I_th = g_L (V_th - E_L)`` in nA.

    Parameters
    ----------
    params : LifParameters
        The neuron.

    Returns
    -------
    float
        The smallest constant current that makes the noiseless neuron fire, in nA.
    """
    return params.rheobase_na


def _mu_mv(current_na: float, params: LifParameters) -> float:
    """Mean steady depolarisation ``I / g_L`` in mV (nA / nS = V)."""
    return 1000.0 * current_na / params.g_leak_ns


def deterministic_rate_hz(current_na, params: LifParameters) -> np.ndarray:
    """Return the noiseless firing rate for constant currents, in Hz.

    ``r = 1 / (t_ref + tau_m ln((I/g_L + E_L - V_reset) / (I/g_L + E_L - V_th)))`` above
    rheobase and 0 at or below it.

    Parameters
    ----------
    current_na : float or array_like
        Constant input currents in nA.
    params : LifParameters
        The neuron (its noise is ignored).

    Returns
    -------
    numpy.ndarray
        Rates in Hz, same shape as `current_na`.
    """
    current = np.asarray(current_na, dtype=float)
    mu = 1000.0 * current / params.g_leak_ns
    above = mu + params.e_leak_mv - params.v_th_mv
    safe_above = np.where(above > 0, above, 1.0)
    ratio = (mu + params.e_leak_mv - params.v_reset_mv) / safe_above
    period_ms = params.t_ref_ms + params.tau_m_ms * np.log(np.where(above > 0, ratio, 1.0))
    # below rheobase the period is unused (and 0 when t_ref = 0): never divide there
    return np.where(above > 0, 1000.0 / np.where(above > 0, period_ms, 1.0), 0.0)


def siegert_integral(lower: float, upper: float) -> float:
    """Return ``integral_lower^upper exp(u^2) (1 + erf(u)) du``, computed as ``erfcx(-u)``.

    Parameters
    ----------
    lower, upper : float
        Integration limits (``lower <= upper``); `upper` at most about 26.

    Returns
    -------
    float
        The integral.
    """
    value, _ = quad(lambda u: erfcx(-u), lower, upper, epsabs=0.0, epsrel=1e-12, limit=200)
    return value


def siegert_rate_hz(current_na, params: LifParameters, noise_mv: float | None = None) -> np.ndarray:
    """Return the stationary rate of the noisy LIF (Siegert / Ricciardi), in Hz.

    ``1/r = t_ref + tau sqrt(pi) integral_{(V_r - mu)/sigma}^{(theta - mu)/sigma}
    erfcx(-u) du`` in Brunel's (2000) convention, potentials measured from ``E_L``.

    Parameters
    ----------
    current_na : float or array_like
        Mean input currents ``I_0`` in nA.
    params : LifParameters
        The neuron.
    noise_mv : float, optional
        Noise amplitude ``sigma`` in mV; defaults to ``params.noise_mv``. Zero gives the
        deterministic rate.

    Returns
    -------
    numpy.ndarray
        Rates in Hz, same shape as `current_na`.
    """
    sigma = params.noise_mv if noise_mv is None else float(noise_mv)
    if sigma <= 0:
        return deterministic_rate_hz(current_na, params)
    current = np.asarray(current_na, dtype=float)
    theta = params.v_th_mv - params.e_leak_mv
    v_r = params.v_reset_mv - params.e_leak_mv
    rates = np.empty(current.shape)
    for index, i_na in np.ndenumerate(current):
        mu = _mu_mv(float(i_na), params)
        upper = (theta - mu) / sigma
        lower = (v_r - mu) / sigma
        if upper > _U_MAX:
            rates[index] = 0.0
            continue
        period_ms = params.t_ref_ms + params.tau_m_ms * math.sqrt(math.pi) * siegert_integral(
            lower, upper)
        rates[index] = 1000.0 / period_ms
    return rates


def theory_rate_hz(current_na, params: LifParameters) -> np.ndarray:
    """Return the analytic rate for `params`: Siegert with noise, the deterministic formula without.

    Parameters
    ----------
    current_na : float or array_like
        Constant (mean) currents in nA.
    params : LifParameters
        The neuron.

    Returns
    -------
    numpy.ndarray
        Rates in Hz.
    """
    return siegert_rate_hz(current_na, params)


def perfect_integrator_rate_hz(current_na, params: LifParameters) -> np.ndarray:
    """Return the rate of the leak-free neuron (``g_L -> 0``), in Hz.

    ``r = 1 / (t_ref + C_m (V_th - V_reset) / I)`` for ``I > 0``, else 0: with
    ``t_ref = 0`` an exact ReLU with slope ``1 / (C_m (V_th - V_reset))``.

    Parameters
    ----------
    current_na : float or array_like
        Constant currents in nA.
    params : LifParameters
        The neuron (its ``g_leak_ns`` and ``e_leak_mv`` are ignored).

    Returns
    -------
    numpy.ndarray
        Rates in Hz.
    """
    current = np.asarray(current_na, dtype=float)
    positive = current > 0
    charge_ms = 1e-3 * params.c_m_pf * (params.v_th_mv - params.v_reset_mv) / np.where(
        positive, current, 1.0)
    return np.where(positive, 1000.0 / (params.t_ref_ms + charge_ms), 0.0)


def static_slope_hz_per_na(current_na: float, params: LifParameters) -> float:
    """Return the local slope ``dr/dI`` of the analytic rate at `current_na`, in Hz/nA.

    The slope of `theory_rate_hz` (Siegert with noise, the deterministic formula without)
    by a central difference: the zero-frequency limit of a small-signal gain. Without noise
    the f-I curve has an infinitely steep kink at rheobase; there the slope is NaN.

    Parameters
    ----------
    current_na : float
        Operating point ``I_0`` in nA.
    params : LifParameters
        The neuron.

    Returns
    -------
    float
        ``dr/dI`` in Hz/nA (NaN at the noiseless kink).
    """
    current = float(current_na)
    step = 1e-4 * max(abs(params.rheobase_na), abs(current), 1e-3)
    if params.noise_mv <= 0 and abs(current - params.rheobase_na) <= step:
        return float("nan")
    low, high = theory_rate_hz(np.array([current - step, current + step]), params)
    return float((high - low) / (2.0 * step))
