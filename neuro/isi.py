"""Interspike intervals: histogram and CV of a run, and CV against mean input (theory and run)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import quad
from scipy.special import erfcx

from neuro.analytic import siegert_rate_hz
from neuro.parameters import LifParameters

# Beyond this (theta - mu) / sigma the neuron fires so rarely (escape over a barrier) that
# its intervals are exponential: CV = 1 to double precision.
_U_POISSON = 10.0


@dataclass(frozen=True)
class IsiStatistics:
    """Interspike intervals pooled over a population.

    Attributes
    ----------
    isi_ms : numpy.ndarray
        Every interval between consecutive spikes of the same neuron, ms.
    edges_ms, counts : numpy.ndarray
        The histogram of `isi_ms` (``len(edges) = len(counts) + 1``).
    cv : float
        Pooled coefficient of variation ``std / mean`` of all intervals (NaN with fewer
        than 2 intervals). Under a sinusoidal drive it includes the drive's modulation.
    mean_isi_ms : float
        Mean interval, ms (NaN without intervals).
    neurons_with_isi : int
        Neurons contributing at least one interval.
    """

    isi_ms: np.ndarray
    edges_ms: np.ndarray
    counts: np.ndarray
    cv: float
    mean_isi_ms: float
    neurons_with_isi: int


def isi_statistics(spike_neuron, spike_t_ms, start_ms: float = 0.0, bins: int = 50,
                   max_ms: float | None = None) -> IsiStatistics:
    """Return the pooled interspike intervals, their histogram and CV.

    Parameters
    ----------
    spike_neuron, spike_t_ms : array_like
        Neuron index and time (ms) of every spike.
    start_ms : float
        Ignore spikes before this time (a warm-up).
    bins : int
        Histogram bins (at least 1).
    max_ms : float, optional
        Upper edge of the histogram; defaults to the 99th percentile of the intervals.

    Returns
    -------
    IsiStatistics
        Intervals, histogram and CV.
    """
    neuron = np.asarray(spike_neuron, dtype=np.int64)
    times = np.asarray(spike_t_ms, dtype=float)
    keep = times >= start_ms
    neuron, times = neuron[keep], times[keep]
    order = np.lexsort((times, neuron))
    neuron, times = neuron[order], times[order]
    same = neuron[1:] == neuron[:-1]
    isi = np.diff(times)[same]
    contributing = int(np.unique(neuron[1:][same]).size)
    if isi.size == 0:
        return IsiStatistics(isi, np.linspace(0.0, 1.0, max(bins, 1) + 1),
                             np.zeros(max(bins, 1), dtype=np.int64), float("nan"),
                             float("nan"), 0)
    top = float(np.percentile(isi, 99)) if max_ms is None else float(max_ms)
    top = max(top, float(isi.min()) + 1e-9)
    counts, edges = np.histogram(isi, bins=max(int(bins), 1), range=(0.0, top))
    mean = float(isi.mean())
    cv = float(isi.std(ddof=1) / mean) if isi.size >= 2 and mean > 0 else float("nan")
    return IsiStatistics(isi, edges, counts, cv, mean, contributing)


def _inner(x: float) -> float:
    """``integral_{-inf}^{x} exp(y^2) (1 + erf y)^2 dy`` as ``erfcx(-y)^2 exp(-y^2)``."""
    value, _ = quad(lambda y: erfcx(-y) ** 2 * math.exp(-y * y), -np.inf, x,
                    epsabs=0.0, epsrel=1e-10, limit=200)
    return value


def cv_theory(current_na, params: LifParameters, noise_mv: float | None = None) -> np.ndarray:
    """Return the CV of the white-noise LIF's interspike intervals (Brunel 2000, appendix).

    ``CV^2 = 2 pi (r tau)^2 integral_{y_r}^{y_th} exp(x^2) dx integral_{-inf}^{x}
    exp(y^2) (1 + erf y)^2 dy`` with ``y = (V - mu) / sigma`` (SCIENCE.md's convention) and
    ``r`` the Siegert rate (the refractory period shifts the mean interval, not its variance).

    Parameters
    ----------
    current_na : float or array_like
        Mean input currents in nA.
    params : LifParameters
        The neuron (noise above 0).
    noise_mv : float, optional
        Noise; defaults to ``params.noise_mv``.

    Returns
    -------
    numpy.ndarray
        CV per current (1 where firing is so rare that intervals are exponential).

    Raises
    ------
    ValueError
        Without noise (a noiseless LIF fires regularly: CV 0 above rheobase, undefined below).
    """
    sigma = params.noise_mv if noise_mv is None else float(noise_mv)
    if not sigma > 0:
        raise ValueError("noise_mv must be above 0 for the CV theory")
    current = np.asarray(current_na, dtype=float)
    theta = params.v_th_mv - params.e_leak_mv
    v_r = params.v_reset_mv - params.e_leak_mv
    out = np.empty(current.shape)
    for index, i_na in np.ndenumerate(current):
        mu = 1000.0 * float(i_na) / params.g_leak_ns
        upper, lower = (theta - mu) / sigma, (v_r - mu) / sigma
        if upper > _U_POISSON:
            out[index] = 1.0
            continue
        variance, _ = quad(lambda x: math.exp(x * x) * _inner(x), lower, upper,
                           epsabs=0.0, epsrel=1e-8, limit=200)
        rate_per_ms = float(siegert_rate_hz(float(i_na), params, noise_mv=sigma)) / 1000.0
        out[index] = math.sqrt(2.0 * math.pi * variance) * rate_per_ms * params.tau_m_ms
    return out


def simulated_cv(spike_neuron, spike_t_ms, groups, n_groups: int,
                 start_ms: float = 0.0) -> np.ndarray:
    """Return the pooled ISI CV of each group of neurons (e.g. one group per current).

    Parameters
    ----------
    spike_neuron, spike_t_ms : array_like
        Spikes (neuron index, time in ms).
    groups : array_like
        Group of each neuron.
    n_groups : int
        Number of groups.
    start_ms : float
        Ignore spikes before this time.

    Returns
    -------
    numpy.ndarray
        CV per group (NaN for a group with fewer than 2 intervals).
    """
    neuron = np.asarray(spike_neuron, dtype=np.int64)
    times = np.asarray(spike_t_ms, dtype=float)
    group_of = np.asarray(groups)
    cvs = np.full(n_groups, np.nan)
    for g in range(n_groups):
        mine = group_of[neuron] == g
        cvs[g] = isi_statistics(neuron[mine], times[mine], start_ms=start_ms).cv
    return cvs


@dataclass(frozen=True)
class CvCurve:
    """CV of the interspike intervals against the mean input, at one noise.

    Attributes
    ----------
    current_na : numpy.ndarray
        Mean input currents, nA.
    cv_theory : numpy.ndarray
        `cv_theory` at each current.
    cv_sim : numpy.ndarray or None
        Simulated pooled CV at each current (None when not simulated).
    noise_mv : float
        The noise.
    """

    current_na: np.ndarray
    cv_theory: np.ndarray
    cv_sim: np.ndarray | None
    noise_mv: float


def cv_curve(params: LifParameters, currents_na=None, *, simulate_run: bool = False,
             trials: int = 200, **simulate_kwargs) -> CvCurve:
    """Return the CV against mean input for the neuron's noise (theory, optionally a run).

    Parameters
    ----------
    params : LifParameters
        The neuron and its noise (above 0); duration and seed for a run.
    currents_na : array_like, optional
        Currents; defaults to `neuro.fi_curve.default_currents_na` (20 points).
    simulate_run : bool
        Also simulate `trials` neurons per current and measure their CV.
    trials : int
        Neurons per current in the run.
    **simulate_kwargs
        Passed to `neuro.lif_simulation.simulate` (target, progress, should_stop,
        crossing_correction).

    Returns
    -------
    CvCurve
        Theory (and simulated) CV per current.
    """
    from neuro.fi_curve import default_currents_na
    from neuro.lif_simulation import simulate

    currents = (default_currents_na(params, 20) if currents_na is None
                else np.asarray(currents_na, dtype=float).ravel())
    theory = cv_theory(currents, params)
    simulated = None
    if simulate_run:
        groups = np.repeat(np.arange(currents.size), int(trials))
        run = simulate(params, n_neurons=groups.size, i0_na=currents[groups], i1_na=0.0,
                       record=0, **simulate_kwargs)
        warmup = min(100.0, run.duration_ms / 5)
        simulated = simulated_cv(run.spike_neuron, run.spike_t_ms, groups, currents.size,
                                 start_ms=warmup)
    return CvCurve(current_na=currents, cv_theory=theory, cv_sim=simulated,
                   noise_mv=params.noise_mv)
