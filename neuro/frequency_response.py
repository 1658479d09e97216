"""Gain and phase of the population rate's first harmonic, LIF against the fitted Leaky ReLU."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuro.analytic import static_slope_hz_per_na, theory_rate_hz
from neuro.fi_curve import fit_currents_na, theory_fit
from neuro.leaky_fit import LeakyFit
from neuro.lif_simulation import ProgressFn, StopFn, simulate
from neuro.linear_response import linear_response
from neuro.parameters import LifParameters
from neuro.sinusoid_response import leaky_relu_first_harmonic

DEFAULT_FREQS_HZ = (1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0, 100.0, 200.0)
BLOCKS = 10  # independent sub-populations per frequency for the standard errors


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
    lif_gain_se_hz_per_na, lif_phase_se_deg : numpy.ndarray or None
        Standard errors of the simulated gain and phase, from the spread of the harmonic
        over `BLOCKS` independent sub-populations of each frequency's neurons (the same as
        repeated seeds: the neurons are independent), divided by ``sqrt(BLOCKS)``.
    theory_gain_hz_per_na, theory_phase_deg : numpy.ndarray or None
        The white-noise linear response (`neuro.linear_response`) at ``I_0``; None without
        noise (the theory needs diffusion). It holds for small ``I_1`` only.
    crossing_correction : bool
        Whether the simulation used the threshold-crossing correction.
    amplitude_note : str
        How far ``I_1`` is from small-signal: the relative change of the first harmonic
        of the *static* analytic curve at this ``I_1`` against its slope (quasi-static
        nonlinearity, the error a linear theory makes at ``f -> 0``).
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
    lif_gain_se_hz_per_na: np.ndarray | None = None
    lif_phase_se_deg: np.ndarray | None = None
    theory_gain_hz_per_na: np.ndarray | None = None
    theory_phase_deg: np.ndarray | None = None
    crossing_correction: bool = True
    amplitude_note: str = ""


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
                                should_stop: StopFn | None = None,
                                crossing_correction: bool | None = None) -> FrequencyResponse:
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
    crossing_correction : bool, optional
        Threshold-crossing correction in the simulation; default
        ``params.crossing_correction``.

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
    if crossing_correction is None:
        crossing_correction = params.crossing_correction
    groups = np.repeat(np.arange(freqs.size), per)
    run = simulate(params, n_neurons=groups.size, freq_hz=freqs[groups], record=0,
                   target=target, progress=progress, should_stop=should_stop,
                   crossing_correction=crossing_correction)
    gain, phase, mean, gain_se, phase_se = (np.zeros(freqs.size) for _ in range(5))
    blocks = min(BLOCKS, per)
    block_of = np.arange(per) * blocks // per  # block of each neuron within its frequency
    for k, freq in enumerate(freqs):
        mine = groups[run.spike_neuron] == k
        spikes = run.spike_t_ms[mine]
        start = duration_ms - 1000.0 * cycles[k] / freq
        r0, r1, phi = first_harmonic(spikes, per, freq, start, duration_ms)
        mean[k], gain[k], phase[k] = r0, r1 / params.i1_na, math.degrees(phi)
        gain_se[k], phase_se[k] = _block_errors(spikes, block_of[run.spike_neuron[mine] % per],
                                                blocks, per, freq, start, duration_ms,
                                                r1 * np.exp(1j * phi))
        gain_se[k] /= params.i1_na
    order = np.argsort(freqs)  # phases continuous along frequency, never wrapped or clipped
    phase[order] = np.degrees(np.unwrap(np.radians(phase[order])))
    theory_gain = theory_phase = None
    if params.noise_mv > 0:
        theory_gain, theory_phase = linear_response(freqs, params)
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
                                 freqs.size, static_slope_hz_per_na(params.i0_na, params)),
                             lif_gain_se_hz_per_na=gain_se, lif_phase_se_deg=phase_se,
                             theory_gain_hz_per_na=theory_gain, theory_phase_deg=theory_phase,
                             crossing_correction=crossing_correction,
                             amplitude_note=amplitude_note(params))


def _block_errors(spike_t_ms, block, blocks, per, freq_hz, start_ms, stop_ms, total):
    """Return the standard errors of ``|c|`` and ``arg c`` (degrees) from per-block harmonics.

    ``c = r1 e^{i phi}`` of each block (``~per / blocks`` neurons) is projected on the
    direction of the whole population's `total` (amplitude error) and across it (phase
    error); the spread over blocks, divided by ``sqrt(blocks)``, is the standard error.
    """
    if blocks < 2:
        return float("nan"), float("nan")
    sizes = np.bincount(np.arange(per) * blocks // per, minlength=blocks)
    values = np.empty(blocks, dtype=complex)
    for b in range(blocks):
        _, r1, phi = first_harmonic(spike_t_ms[block == b], int(sizes[b]), freq_hz, start_ms,
                                    stop_ms)
        values[b] = r1 * np.exp(1j * phi)
    direction = total / abs(total) if abs(total) > 0 else 1.0
    rotated = values / direction
    amplitude_se = float(np.std(rotated.real, ddof=1) / math.sqrt(blocks))
    across_se = float(np.std(rotated.imag, ddof=1) / math.sqrt(blocks))
    phase_se = math.degrees(across_se / abs(total)) if abs(total) > 0 else float("nan")
    return amplitude_se, phase_se


def quasi_static_nonlinearity(params: LifParameters) -> float:
    """Return the relative error of linear theory at ``f -> 0`` for this ``I_1``.

    The first harmonic of ``r(I_0 + I_1 sin)`` on the static analytic curve, divided by
    ``I_1 dr/dI(I_0)``, minus 1: about ``(I_1^2 / 8) r_3 / r_1`` for small ``I_1`` (``r_k``
    the k-th derivative of the rate in the current).

    Parameters
    ----------
    params : LifParameters
        Neuron, ``i0_na``, ``i1_na``.

    Returns
    -------
    float
        Relative deviation (NaN where the slope is 0 or undefined).
    """
    slope = static_slope_hz_per_na(params.i0_na, params)
    if not np.isfinite(slope) or slope == 0 or params.i1_na <= 0:
        return float("nan")
    angle = np.linspace(0.0, 2 * np.pi, 256, endpoint=False)
    rate = theory_rate_hz(params.i0_na + params.i1_na * np.sin(angle), params)
    return float(2.0 * np.mean(rate * np.sin(angle)) / (params.i1_na * slope) - 1.0)


def amplitude_note(params: LifParameters) -> str:
    """Return a sentence on how linear the drive amplitude ``I_1`` is at ``I_0``."""
    deviation = quasi_static_nonlinearity(params)
    if not np.isfinite(deviation):
        return (f"I1 = {params.i1_na:g} nA: the static slope at I0 is not defined, so the "
                "small-signal (linear) theory does not apply here")
    verdict = "small-signal" if abs(deviation) < 0.02 else "beyond small-signal"
    return (f"I1 = {params.i1_na:g} nA is {verdict}: on the static f-I curve its first "
            f"harmonic differs from the linear prediction by {100 * deviation:+.1f}% "
            "(the error grows like I1^2; linear response theory holds for small I1 only)")
