"""Gain and phase of the population rate's first harmonic, LIF against the fitted Leaky ReLU."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuro.analytic import static_slope_hz_per_na
from neuro.fi_curve import fit_currents_na, theory_fit
from neuro.leaky_fit import LeakyFit
from neuro.lif_simulation import ProgressFn, StopFn, simulate
from neuro.parameters import LifParameters
from neuro.sinusoid_response import leaky_relu_first_harmonic

DEFAULT_FREQS_HZ = (1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0, 100.0, 200.0)


@dataclass(frozen=True)
class FrequencyResponse:
    """Frequency response of a LIF population and of the fitted Leaky ReLU.

    Attributes
    ----------
    freq_hz : numpy.ndarray
        Drive frequencies.
    lif_gain_hz_per_na, lif_phase_deg : numpy.ndarray
        Amplitude of the rate's first harmonic divided by ``I_1`` and its phase relative
        to the input (negative = lag).
    leaky_gain_hz_per_na, leaky_phase_deg : numpy.ndarray
        The same for the instantaneous Leaky ReLU (closed form; phase 0).
    lif_mean_rate_hz : numpy.ndarray
        Mean population rate over the analysed cycles.
    cycles : numpy.ndarray
        Whole cycles analysed per frequency.
    fit : LeakyFit
        The Leaky ReLU compared.
    target : str
        Code-generation target used.
    lif_static_gain_hz_per_na : numpy.ndarray or None
        The local slope ``dr/dI`` of the LIF's analytic rate at ``I_0`` (Siegert under
        noise), the same at every frequency: the gain a LIF population would have at
        ``f -> 0`` for a small ``I_1``. The Leaky ReLU's gain comes from a global fit
        instead, so the two differ before any dynamics.
    """

    freq_hz: np.ndarray
    lif_gain_hz_per_na: np.ndarray
    lif_phase_deg: np.ndarray
    leaky_gain_hz_per_na: np.ndarray
    leaky_phase_deg: np.ndarray
    lif_mean_rate_hz: np.ndarray
    cycles: np.ndarray
    fit: LeakyFit
    target: str
    lif_static_gain_hz_per_na: np.ndarray | None = None


def first_harmonic(spike_t_ms: np.ndarray, n_neurons: int, freq_hz: float, start_ms: float,
                   stop_ms: float) -> tuple[float, float, float]:
    """Return the population rate's mean and first harmonic over ``[start, stop)``.

    The rate is treated as the sum of spike deltas, so no binning attenuates it; the
    window should hold a whole number of cycles. With ``r(t) = r0 + r1 sin(wt + phi)``
    this returns ``(r0, r1, phi)``.

    Parameters
    ----------
    spike_t_ms : numpy.ndarray
        Spike times of the population, ms.
    n_neurons : int
        Population size.
    freq_hz : float
        Drive frequency.
    start_ms, stop_ms : float
        Analysis window.

    Returns
    -------
    tuple of float
        Mean rate (Hz), harmonic amplitude (Hz) and phase (rad).
    """
    t = spike_t_ms[(spike_t_ms >= start_ms) & (spike_t_ms < stop_ms)] * 1e-3
    window_s = (stop_ms - start_ms) * 1e-3
    coefficient = 2.0 * np.sum(np.exp(-2j * np.pi * freq_hz * t)) / (n_neurons * window_s)
    modulation = 1j * coefficient
    return t.size / (n_neurons * window_s), float(abs(modulation)), float(np.angle(modulation))


def simulate_frequency_response(params: LifParameters, freqs_hz=DEFAULT_FREQS_HZ, *,
                                fit: LeakyFit | None = None, n_per_freq: int | None = None,
                                target: str = "numpy", progress: ProgressFn | None = None,
                                should_stop: StopFn | None = None) -> FrequencyResponse:
    """Drive one population per frequency (all in one run) and measure the rate's harmonic.

    Parameters
    ----------
    params : LifParameters
        Neuron, ``i0_na``, ``i1_na`` (> 0), noise, duration, seed, dt.
    freqs_hz : array_like
        Drive frequencies in Hz.
    fit : LeakyFit, optional
        The Leaky ReLU to compare; defaults to the fit of the analytic f-I curve
        over `neuro.fi_curve.fit_currents_na` (the drive's swing included).
    n_per_freq : int, optional
        Neurons per frequency; defaults to ``params.n_neurons``.
    target : str
        Code-generation target.
    progress, should_stop : callable, optional
        See `neuro.lif_simulation.simulate`.

    Returns
    -------
    FrequencyResponse
        Gains and phases per frequency.

    Raises
    ------
    ValueError
        If ``i1_na`` is 0, a frequency is not positive, or the run is too short to hold
        one whole cycle of a frequency after the warm-up.
    """
    freqs = np.asarray(freqs_hz, dtype=float).ravel()
    if freqs.size < 1 or np.any(~np.isfinite(freqs)) or np.any(freqs <= 0):
        raise ValueError("frequencies must be positive numbers")
    if params.i1_na <= 0:
        raise ValueError("i1_na must be greater than 0 for a frequency response")
    for freq in freqs:  # each drive frequency must be one the time step can represent
        params.replace(freq_hz=float(freq))
    duration_ms = params.duration_s * 1000.0
    warmup_ms = min(200.0, duration_ms / 5)
    cycles = np.floor((duration_ms - warmup_ms) * freqs / 1000.0 + 1e-9).astype(int)
    if np.any(cycles < 1):
        bad = freqs[cycles < 1].min()
        raise ValueError(f"duration_s ({params.duration_s:g}) is too short for one whole cycle "
                         f"at {bad:g} Hz after the {warmup_ms:g} ms warm-up")
    per = params.n_neurons if n_per_freq is None else int(n_per_freq)
    groups = np.repeat(np.arange(freqs.size), per)
    run = simulate(params, n_neurons=groups.size, freq_hz=freqs[groups], record=0,
                   target=target, progress=progress, should_stop=should_stop)
    gain, phase, mean = (np.zeros(freqs.size) for _ in range(3))
    for k, freq in enumerate(freqs):
        spikes = run.spike_t_ms[groups[run.spike_neuron] == k]
        start = duration_ms - 1000.0 * cycles[k] / freq
        r0, r1, phi = first_harmonic(spikes, per, freq, start, duration_ms)
        mean[k], gain[k], phase[k] = r0, r1 / params.i1_na, math.degrees(phi)
    if fit is None:
        fit = theory_fit(params, fit_currents_na(params))
    harmonic = fit.gain_hz_per_na * leaky_relu_first_harmonic(
        params.i0_na - fit.threshold_na, params.i1_na, fit.alpha)
    leaky_gain = np.full(freqs.size, float(harmonic) / params.i1_na)
    return FrequencyResponse(freq_hz=freqs, lif_gain_hz_per_na=gain, lif_phase_deg=phase,
                             leaky_gain_hz_per_na=leaky_gain,
                             leaky_phase_deg=np.zeros(freqs.size), lif_mean_rate_hz=mean,
                             cycles=cycles, fit=fit, target=run.target,
                             lif_static_gain_hz_per_na=np.full(
                                 freqs.size, static_slope_hz_per_na(params.i0_na, params)))
