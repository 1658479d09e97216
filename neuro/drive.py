"""Sinusoidal drive of a LIF population: traces, spikes, population rate and Leaky ReLU rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro.fi_curve import theory_fit
from neuro.leaky_fit import LeakyFit
from neuro.lif_simulation import (
    ProgressFn,
    SpikeRun,
    StopFn,
    default_bin_ms,
    population_rate_hz,
    simulate,
)
from neuro.parameters import LifParameters

RECORDED_NEURONS = 3


@dataclass(frozen=True)
class DriveResult:
    """A sinusoidally driven population, ready to plot.

    Attributes
    ----------
    run : SpikeRun
        Traces of the recorded neurons and all spikes.
    rate_t_ms, rate_hz : numpy.ndarray
        Bin centres and binned population rate.
    rate_leaky_hz : numpy.ndarray
        The fitted Leaky ReLU's rate for the same input at the bin centres.
    bin_ms : float
        Rate bin width.
    fit : LeakyFit
        The Leaky ReLU (fitted to the analytic f-I curve of the same neuron).
    """

    run: SpikeRun
    rate_t_ms: np.ndarray
    rate_hz: np.ndarray
    rate_leaky_hz: np.ndarray
    bin_ms: float
    fit: LeakyFit

    def trace_table(self) -> tuple[list[str], np.ndarray]:
        """Return ``trace.csv``'s header and rows for the first recorded neuron.

        Columns: ``t_ms, i_in_na, i_leak_na, v_mv, rate_hz, rate_leaky_hz``; the rates
        are those of the bin containing each sample (the Leaky ReLU's at the sample).
        """
        run = self.run
        header = ["t_ms", "i_in_na", "i_leak_na", "v_mv", "rate_hz", "rate_leaky_hz"]
        if run.v_mv.shape[0] == 0:
            return header, np.zeros((0, 6))
        index = np.clip((run.t_ms // self.bin_ms).astype(int), 0, self.rate_hz.size - 1)
        rows = np.column_stack([run.t_ms, run.i_in_na[0], run.i_leak_na[0], run.v_mv[0],
                                self.rate_hz[index], self.fit.rate_hz(run.i_in_na[0])])
        return header, rows


def input_current_na(params: LifParameters, t_ms) -> np.ndarray:
    """Return ``I0 + I1 sin(2 pi f t)`` in nA at times `t_ms`."""
    t = np.asarray(t_ms, dtype=float) * 1e-3
    return params.i0_na + params.i1_na * np.sin(2 * np.pi * params.freq_hz * t)


def run_drive(params: LifParameters, *, fit: LeakyFit | None = None, target: str = "numpy",
              progress: ProgressFn | None = None, should_stop: StopFn | None = None,
              record: int = RECORDED_NEURONS) -> DriveResult:
    """Simulate the population under ``I0 + I1 sin(2 pi f t)`` and compare it with Leaky ReLU.

    Parameters
    ----------
    params : LifParameters
        The neuron, drive, population, duration, seed and dt.
    fit : LeakyFit, optional
        The Leaky ReLU to compare; defaults to the fit of the analytic f-I curve.
    target : str
        Code-generation target.
    progress, should_stop : callable, optional
        See `neuro.lif_simulation.simulate`.
    record : int
        Neurons whose traces are kept.

    Returns
    -------
    DriveResult
        Traces, spikes and rates.
    """
    run = simulate(params, record=record, record_dt_ms=max(params.dt_ms, 0.1),
                   target=target, progress=progress, should_stop=should_stop)
    bin_ms = default_bin_ms(params)
    centres, rate = population_rate_hz(run.spike_t_ms, run.n_neurons, run.duration_ms, bin_ms)
    if fit is None:
        fit = theory_fit(params)
    leaky = fit.rate_hz(input_current_na(params, centres))
    return DriveResult(run=run, rate_t_ms=centres, rate_hz=rate, rate_leaky_hz=leaky,
                       bin_ms=bin_ms, fit=fit)
