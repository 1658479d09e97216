"""Linear response (susceptibility) of the white-noise LIF: parabolic cylinder functions."""

from __future__ import annotations

import math

import mpmath
import numpy as np

from neuro.analytic import siegert_rate_hz
from neuro.parameters import LifParameters

_DIGITS = 30  # the numerator and denominator are differences of large, close terms


def susceptibility_hz_per_na(freq_hz, params: LifParameters, i0_na: float | None = None,
                             noise_mv: float | None = None) -> np.ndarray:
    """Return the LIF population's complex rate response to a small sinusoidal current.

    For ``I(t) = I_0 + I_1 sin(2 pi f t)`` with small ``I_1`` the rate is
    ``r(t) = r_0 + I_1 |chi(f)| sin(2 pi f t + arg chi(f))`` (negative phase = lag). In the
    dimensionless form of SCIENCE.md's model (time in units of ``tau``, potentials from
    ``E_L``) ``dv/ds = -v + mu + sqrt(2 D) xi(s)`` with ``D = sigma^2 / 2``, the
    susceptibility to a modulation of ``mu`` is (Lindner & Schimansky-Geier 2001, PRL 86:2934;
    Brunel, Chance, Fourcaud & Abbott 2001, PRL 86:2186)::

        chi(w) = r_0 (i w / sqrt(D)) / (i w - 1)
                 * [D_{iw-1}(y_T) - e^Delta D_{iw-1}(y_R)]
                 / [D_{iw}(y_T) - e^Delta e^{i w t_ref} D_{iw}(y_R)]

    with ``w = 2 pi f tau``, ``y_T = (mu - theta) / sqrt(D)``, ``y_R = (mu - V_r) / sqrt(D)``,
    ``Delta = (V_r^2 - theta^2 + 2 mu (theta - V_r)) / (4 D)``, ``r_0`` the Siegert rate (in
    units of ``1/tau``), ``t_ref`` in units of ``tau`` and ``D_nu`` the parabolic cylinder
    function (``mpmath.pcfd``, complex order). That formula is written for a time dependence
    ``e^{-i w t}``; the complex conjugate is returned so the phase is the one seen against
    ``sin(2 pi f t)`` (a lag tends to -45 degrees as ``f -> infinity``). A current ``I_1``
    modulates ``mu`` by ``I_1 / g_L``, which converts ``chi`` to Hz/nA. As ``f -> 0`` it tends
    to ``d r_0 / d I_0`` (the slope of the Siegert curve); as ``f -> infinity``
    ``|chi| ~ f^-1/2`` and the phase tends to -45 degrees.

    Parameters
    ----------
    freq_hz : float or array_like
        Drive frequencies in Hz (> 0).
    params : LifParameters
        The neuron; its noise must be above 0.
    i0_na : float, optional
        Operating point ``I_0`` in nA; defaults to ``params.i0_na``.
    noise_mv : float, optional
        Noise ``sigma`` in mV; defaults to ``params.noise_mv``.

    Returns
    -------
    numpy.ndarray
        Complex susceptibility in Hz/nA, same shape as `freq_hz`.

    Raises
    ------
    ValueError
        If the noise is 0 (the white-noise theory needs diffusion) or a frequency is not
        positive and finite.
    """
    sigma = params.noise_mv if noise_mv is None else float(noise_mv)
    if not sigma > 0:
        raise ValueError("noise_mv must be above 0 for the white-noise linear response")
    freqs = np.asarray(freq_hz, dtype=float)
    if np.any(~np.isfinite(freqs)) or np.any(freqs <= 0):
        raise ValueError("frequencies must be positive numbers")
    i0 = params.i0_na if i0_na is None else float(i0_na)
    tau_s = params.tau_m_ms * 1e-3
    mu = 1000.0 * i0 / params.g_leak_ns
    theta = params.v_th_mv - params.e_leak_mv
    v_r = params.v_reset_mv - params.e_leak_mv
    r0 = float(siegert_rate_hz(i0, params, noise_mv=sigma)) * tau_s
    out = np.zeros(freqs.shape, dtype=complex)
    if r0 <= 0:
        return out
    mv_per_na = 1000.0 / params.g_leak_ns
    with mpmath.workdps(_DIGITS):
        diffusion = mpmath.mpf(sigma) ** 2 / 2
        root = mpmath.sqrt(diffusion)
        y_t, y_r = (mu - theta) / root, (mu - v_r) / root
        e_delta = mpmath.exp((v_r ** 2 - theta ** 2 + 2 * mu * (theta - v_r)) / (4 * diffusion))
        t_ref = mpmath.mpf(params.t_ref_ms * 1e-3 / tau_s)
        for index, f in np.ndenumerate(freqs):
            iw = mpmath.mpc(0, 2 * math.pi * float(f) * tau_s)
            numerator = mpmath.pcfd(iw - 1, y_t) - e_delta * mpmath.pcfd(iw - 1, y_r)
            denominator = (mpmath.pcfd(iw, y_t)
                           - e_delta * mpmath.exp(iw * t_ref) * mpmath.pcfd(iw, y_r))
            chi = r0 * iw / root / (iw - 1) * numerator / denominator  # 1/tau per mV
            out[index] = complex(chi).conjugate() / tau_s * mv_per_na
    return out


def linear_response(freq_hz, params: LifParameters, i0_na: float | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Return the theory's gain (Hz/nA) and phase (degrees, lag negative) per frequency.

    Parameters
    ----------
    freq_hz : array_like
        Frequencies in Hz.
    params : LifParameters
        The neuron (noise above 0).
    i0_na : float, optional
        Operating point; defaults to ``params.i0_na``.

    Returns
    -------
    tuple of numpy.ndarray
        Gain ``|chi|`` and phase ``arg chi`` in degrees (never wrapped beyond +-180).

    Raises
    ------
    ValueError
        See `susceptibility_hz_per_na`.
    """
    chi = susceptibility_hz_per_na(freq_hz, params, i0_na)
    return np.abs(chi), np.degrees(np.angle(chi))


def linear_response_curve(params: LifParameters, f_min_hz: float = 0.5,
                          f_max_hz: float = 1000.0, count: int = 60,
                          i0_na: float | None = None
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return a dense theory curve for the frequency-response plot.

    Parameters
    ----------
    params : LifParameters
        The neuron (noise above 0).
    f_min_hz, f_max_hz : float
        Frequency span (log-spaced), Hz.
    count : int
        Number of frequencies (at least 2).
    i0_na : float, optional
        Operating point; defaults to ``params.i0_na``.

    Returns
    -------
    tuple of numpy.ndarray
        Frequencies (Hz), gain (Hz/nA) and phase (degrees, lag negative, unwrapped).

    Raises
    ------
    ValueError
        Without noise, or on a bad span.
    """
    if not (0 < f_min_hz < f_max_hz and np.isfinite(f_max_hz)) or count < 2:
        raise ValueError("the theory curve needs 0 < f_min_hz < f_max_hz and count >= 2")
    freqs = np.geomspace(f_min_hz, f_max_hz, int(count))
    gain, phase = linear_response(freqs, params, i0_na)
    return freqs, gain, np.degrees(np.unwrap(np.radians(phase)))
