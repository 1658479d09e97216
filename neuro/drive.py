"""Sinusoidal drive of a LIF population: traces, spikes, population rate and Leaky ReLU rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter1d

from neuro.fi_curve import fit_currents_na, theory_fit
from neuro.isi import CvCurve, IsiStatistics, cv_curve, isi_statistics
from neuro.leaky_fit import LeakyFit
from neuro.lif_simulation import (
    ProgressFn,
    SpikeRun,
    StopFn,
    population_rate_hz,
    simulate,
)
from neuro.parameters import LifParameters

RECORDED_NEURONS = 3
MAX_KERNEL_MS = 5.0  # Gaussian smoothing of the population rate, at most this sigma


@dataclass(frozen=True)
class DriveResult:
    """A sinusoidally driven population, ready to plot.

    Attributes
    ----------
    run : SpikeRun
        Traces of the recorded neurons and all spikes.
    rate_t_ms, rate_hz : numpy.ndarray
        Bin centres and population rate, binned at `bin_ms` then smoothed with a
        Gaussian kernel of standard deviation `kernel_ms`.
    rate_leaky_hz : numpy.ndarray
        The fitted Leaky ReLU's rate for the same input, sampled at the bin centres and
        smoothed with the same kernel, so the two curves are directly comparable.
    bin_ms : float
        Rate bin width (fine: the kernel sets the effective resolution).
    fit : LeakyFit
        The Leaky ReLU (fitted to the analytic f-I curve of the same neuron).
    kernel_ms : float
        Standard deviation of the Gaussian kernel both rates are smoothed with.
    params : LifParameters or None
        The parameters of the run.
    warmup_ms : float
        Spikes before this time are left out of the ISI statistics.
    """

    run: SpikeRun
    rate_t_ms: np.ndarray
    rate_hz: np.ndarray
    rate_leaky_hz: np.ndarray
    bin_ms: float
    fit: LeakyFit
    kernel_ms: float = 0.0
    params: LifParameters | None = None
    warmup_ms: float = 0.0

    TRACE_HEADER = ("t_ms", "i_in_na", "i_leak_na", "v_mv", "rate_lif_smoothed_hz",
                    "rate_leaky_smoothed_hz")

    def trace_table(self) -> tuple[list[str], np.ndarray]:
        """Return ``trace.csv``'s header and rows for the first recorded neuron.

        Columns: ``t_ms, i_in_na, i_leak_na, v_mv, rate_lif_smoothed_hz,
        rate_leaky_smoothed_hz``: both rates are the population rate binned at `bin_ms`
        and smoothed with the same Gaussian kernel (`kernel_ms`), taken at the bin that
        holds each sample, so the two columns are directly comparable.
        """
        run = self.run
        header = list(self.TRACE_HEADER)
        if run.v_mv.shape[0] == 0:
            return header, np.zeros((0, 6))
        index = np.clip((run.t_ms // self.bin_ms).astype(int), 0, self.rate_hz.size - 1)
        rows = np.column_stack([run.t_ms, run.i_in_na[0], run.i_leak_na[0], run.v_mv[0],
                                self.rate_hz[index], self.rate_leaky_hz[index]])
        return header, rows

    def isi_statistics(self, bins: int = 50) -> IsiStatistics:
        """Return the population's ISI histogram and CV after the warm-up (see `neuro.isi`)."""
        return isi_statistics(self.run.spike_neuron, self.run.spike_t_ms,
                              start_ms=self.warmup_ms, bins=bins)

    def cv_against_input(self, currents_na=None, **kwargs) -> CvCurve:
        """Return the CV against mean input at this run's noise (`neuro.isi.cv_curve`).

        Raises
        ------
        ValueError
            Without noise, or if the run's parameters are unknown.
        """
        if self.params is None:
            raise ValueError("the drive result does not carry its parameters")
        return cv_curve(self.params, currents_na, **kwargs)


def input_current_na(params: LifParameters, t_ms) -> np.ndarray:
    """Return ``I0 + I1 sin(2 pi f t)`` in nA at times `t_ms`."""
    t = np.asarray(t_ms, dtype=float) * 1e-3
    return params.i0_na + params.i1_na * np.sin(2 * np.pi * params.freq_hz * t)


def run_drive(params: LifParameters, *, fit: LeakyFit | None = None, target: str = "numpy",
              progress: ProgressFn | None = None, should_stop: StopFn | None = None,
              record: int = RECORDED_NEURONS,
              crossing_correction: bool | None = None) -> DriveResult:
    """Simulate the population under ``I0 + I1 sin(2 pi f t)`` and compare it with Leaky ReLU.

    Parameters
    ----------
    params : LifParameters
        The neuron, drive, population, duration, seed and dt.
    fit : LeakyFit, optional
        The Leaky ReLU to compare; defaults to the fit of the analytic f-I curve
        over `neuro.fi_curve.fit_currents_na` (the drive's swing included).
    target : str
        Code-generation target.
    progress, should_stop : callable, optional
        See `neuro.lif_simulation.simulate`.
    record : int
        Neurons whose traces are kept.
    crossing_correction : bool, optional
        Threshold-crossing correction in the simulation; default
        ``params.crossing_correction``.

    Returns
    -------
    DriveResult
        Traces, spikes and rates (both rates smoothed with the same Gaussian kernel).
    """
    run = simulate(params, record=record, record_dt_ms=max(params.dt_ms, 0.1),
                   target=target, progress=progress, should_stop=should_stop,
                   crossing_correction=crossing_correction)
    kernel_ms = rate_kernel_ms(params)
    bin_ms = rate_bin_ms(params, kernel_ms)
    centres, rate = population_rate_hz(run.spike_t_ms, run.n_neurons, run.duration_ms, bin_ms)
    if fit is None:
        fit = theory_fit(params, fit_currents_na(params))
    leaky = fit.rate_hz(input_current_na(params, centres))
    return DriveResult(run=run, rate_t_ms=centres, rate_hz=smooth_rate(rate, bin_ms, kernel_ms),
                       rate_leaky_hz=smooth_rate(leaky, bin_ms, kernel_ms), bin_ms=bin_ms,
                       fit=fit, kernel_ms=kernel_ms, params=params,
                       warmup_ms=min(100.0, run.duration_ms / 5))


def rate_kernel_ms(params: LifParameters) -> float:
    """Return the rate kernel's sigma: 5 ms, or a tenth of the drive period if shorter.

    A Gaussian of standard deviation ``s`` scales a sinusoid of frequency ``f`` by
    ``exp(-(2 pi f s)^2 / 2)``: 0.82 at a tenth of the period, so the modulation survives.
    """
    return min(MAX_KERNEL_MS, 100.0 / params.freq_hz)


def rate_bin_ms(params: LifParameters, kernel_ms: float) -> float:
    """Return the histogram bin: about ``kernel / 4``, at most 1 ms, a multiple of dt."""
    width = min(1.0, kernel_ms / 4.0)
    return max(params.dt_ms, params.dt_ms * round(width / params.dt_ms))


def smooth_rate(rate_hz: np.ndarray, bin_ms: float, kernel_ms: float) -> np.ndarray:
    """Smooth a binned rate with a Gaussian of standard deviation `kernel_ms` (mirrored ends).

    Parameters
    ----------
    rate_hz : numpy.ndarray
        Rate per bin, Hz.
    bin_ms : float
        Bin width.
    kernel_ms : float
        Kernel standard deviation; 0 returns the rate unchanged.

    Returns
    -------
    numpy.ndarray
        The smoothed rate (same length; the kernel preserves the mean).
    """
    rate = np.asarray(rate_hz, dtype=float)
    if kernel_ms <= 0 or rate.size < 2:
        return rate.copy()
    return gaussian_filter1d(rate, kernel_ms / bin_ms, mode="reflect")
