"""Simulated f-I curve: one neuron per current (many trials under noise) in one Brian2 run."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuro.analytic import theory_rate_hz
from neuro.leaky_fit import LeakyFit, fit_leaky_relu, select_range
from neuro.lif_simulation import ProgressFn, StopFn, simulate
from neuro.parameters import LifParameters
from neuro.shape_fits import rank_shapes

# Without the threshold-crossing correction (neuro.lif_simulation), Euler-Maruyama misses
# crossings between steps and at dt = 0.1 ms the noisy rate sits 4-14 % below Siegert near and
# below threshold (~sqrt(dt)); 0.02 ms halves that at ~4x the run time. With the correction
# (the default) 0.1 ms is within 2 % from 0.75x rheobase up; this finer step remains on offer.
ACCURATE_FI_DT_MS = 0.02
# With (almost) no rheobase (a perfect integrator), the range's scale is the current that
# charges the membrane from reset to threshold this often: I = rate * C_m (V_th - V_reset).
_FLOOR_RATE_HZ = 20.0


@dataclass(frozen=True)
class FiCurve:
    """A simulated f-I curve with its analytic counterpart and Leaky ReLU fit.

    Attributes
    ----------
    current_na : numpy.ndarray
        The constant currents, nA.
    rate_sim_hz : numpy.ndarray
        Simulated stationary rate at each current, Hz.
    rate_theory_hz : numpy.ndarray
        Deterministic formula (no noise) or Siegert rate (noise), Hz.
    fit : LeakyFit
        Leaky ReLU fitted to the simulated rates (with an output bias if asked for).
    trials : int
        Neurons simulated per current.
    target : str
        Brian2 code-generation target used.
    three_parameter_fit, offset_fit : LeakyFit or None
        Both fits to the simulated rates: ``gain * max(alpha z, z)`` and
        ``offset + gain * max(alpha z, z)`` (``z = I - I_th``); see `leaky_fit`.
    dt_ms : float or None
        Integration time step of the simulation, ms.
    fit_range_na : tuple of float or None
        The current range every fit used, nA (the whole curve unless asked).
    shape_fits : tuple of ShapeFit
        Leaky ReLU (with offset), softplus and ELU fitted to the simulated rates over the
        fit range, best (lowest rmse) first; empty with fewer than 3 distinct currents.
    crossing_correction : bool
        Whether the simulation used the threshold-crossing correction.
    rate_sim_se_hz : numpy.ndarray or None
        Standard error of each simulated rate under noise: the spread of the per-neuron
        rates over the independent neurons of a current, over ``sqrt(trials)`` (NaN with
        one trial). 0 without noise: a deterministic neuron has no sampling error.
    """

    current_na: np.ndarray
    rate_sim_hz: np.ndarray
    rate_theory_hz: np.ndarray
    fit: LeakyFit
    trials: int
    target: str
    three_parameter_fit: LeakyFit | None = None
    offset_fit: LeakyFit | None = None
    dt_ms: float | None = None
    fit_range_na: tuple[float, float] | None = None
    shape_fits: tuple = ()
    crossing_correction: bool = True
    rate_sim_se_hz: np.ndarray | None = None

    def leaky_fit(self, offset: bool = False) -> LeakyFit:
        """Return the fit without (`offset` False) or with an output bias; `fit` if not stored."""
        chosen = self.offset_fit if offset else self.three_parameter_fit
        return self.fit if chosen is None else chosen

    @property
    def rate_leaky_fit_hz(self) -> np.ndarray:
        """The fitted Leaky ReLU's rate at each current, Hz."""
        return self.fit.rate_hz(self.current_na)


def default_currents_na(params: LifParameters, count: int = 40) -> np.ndarray:
    """Return `count` currents centred on the rheobase, 40 % of them below it.

    The range is ``I_th - s`` to ``I_th + 1.5 s`` with ``s = max(I_th, I_s)``: from 0 to
    2.5x rheobase for an ordinary neuron, so the noisy foot below threshold, which decides
    the fitted alpha, is sampled as densely as the rise above it. ``I_s = 20 Hz * C_m
    (V_th - V_reset)`` takes over when the rheobase is (almost) zero (a perfect integrator):
    the range then straddles 0 nA and reaches a few tens of Hz.

    Parameters
    ----------
    params : LifParameters
        The neuron (its drive is ignored; see `fit_currents_na`).
    count : int
        Number of currents.

    Returns
    -------
    numpy.ndarray
        Evenly spaced currents in nA.
    """
    threshold = params.rheobase_na
    floor = _FLOOR_RATE_HZ * params.c_m_pf * (params.v_th_mv - params.v_reset_mv) * 1e-6
    scale = max(threshold, floor)
    return np.linspace(threshold - scale, threshold + 1.5 * scale, count)


def fit_currents_na(params: LifParameters, count: int = 40) -> np.ndarray:
    """Return the f-I range of `default_currents_na`, widened to hold the drive's swing.

    The drive and the frequency response feed the fitted Leaky ReLU the input
    ``I0 +- I1``; fitting it on currents that cover that swing (up to 1.5x its peak)
    keeps it from extrapolating where it is compared.

    Parameters
    ----------
    params : LifParameters
        The neuron and its drive.
    count : int
        Number of currents.

    Returns
    -------
    numpy.ndarray
        Evenly spaced currents in nA.
    """
    base = default_currents_na(params, count)
    low = min(float(base[0]), params.i0_na - params.i1_na)
    high = max(float(base[-1]), 1.5 * (abs(params.i0_na) + params.i1_na))
    return np.linspace(low, high, count)


def theory_fit(params: LifParameters, currents_na=None, offset: bool = False,
               fit_range_na: tuple[float, float] | None = None) -> LeakyFit:
    """Fit a Leaky ReLU to the analytic f-I curve of `params` (fast, no simulation).

    Parameters
    ----------
    params : LifParameters
        The neuron (with its noise: Siegert rate; without: deterministic rate).
    currents_na : array_like, optional
        Currents to fit over; defaults to `default_currents_na` (the f-I range centred on
        the rheobase); pass `fit_currents_na` to cover a drive.
    offset : bool
        Fit an output bias too (see `fit_leaky_relu`).
    fit_range_na : tuple of float, optional
        Fit only the currents inside ``(low, high)``.

    Returns
    -------
    LeakyFit
        The fit (its range included).
    """
    currents = default_currents_na(params) if currents_na is None else np.asarray(currents_na)
    return fit_leaky_relu(currents, theory_rate_hz(currents, params), offset=offset,
                          fit_range_na=fit_range_na)


def stationary_rates_hz(spike_neuron: np.ndarray, spike_t_ms: np.ndarray, n_neurons: int,
                        duration_ms: float, groups: np.ndarray, n_groups: int,
                        warmup_ms: float, regular: bool) -> np.ndarray:
    """Estimate each group's stationary rate from its neurons' spikes.

    Parameters
    ----------
    spike_neuron, spike_t_ms : numpy.ndarray
        Spikes (neuron index, time in ms).
    n_neurons : int
        Population size.
    duration_ms : float
        Simulated time.
    groups : numpy.ndarray
        Group of each neuron, shape ``(n_neurons,)``.
    n_groups : int
        Number of groups.
    warmup_ms : float
        Spikes before this time are ignored (count estimator).
    regular : bool
        Noiseless neurons fire periodically: use ``(n - 1) / (t_last - t_first)`` per
        neuron, which has no edge error; otherwise count spikes after the warm-up.

    Returns
    -------
    numpy.ndarray
        Rate per group, Hz.
    """
    per_group = np.bincount(groups, minlength=n_groups).astype(float)
    if regular:
        rates = np.zeros(n_neurons)
        order = np.lexsort((spike_t_ms, spike_neuron))
        neuron, times = spike_neuron[order], spike_t_ms[order]
        counts = np.bincount(neuron, minlength=n_neurons)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        for index in np.flatnonzero(counts):
            first, last = times[starts[index]], times[starts[index] + counts[index] - 1]
            if counts[index] >= 2 and last > first:
                rates[index] = 1000.0 * (counts[index] - 1) / (last - first)
            else:
                rates[index] = 1000.0 * counts[index] / duration_ms
        return np.bincount(groups, weights=rates, minlength=n_groups) / per_group
    late = spike_t_ms >= warmup_ms
    counts = np.bincount(groups[spike_neuron[late]], minlength=n_groups)
    return 1000.0 * counts / (per_group * (duration_ms - warmup_ms))


def rate_standard_errors_hz(spike_neuron: np.ndarray, spike_t_ms: np.ndarray, n_neurons: int,
                            duration_ms: float, groups: np.ndarray, n_groups: int,
                            warmup_ms: float) -> np.ndarray:
    """Return the standard error of each group's count rate from its neurons' spread.

    Each neuron's rate after the warm-up is one independent sample; the error of the group
    mean is their standard deviation over ``sqrt(neurons)`` (NaN for a single neuron). No
    Poisson assumption: a regular LIF's counts vary less than a Poisson process's.

    Parameters
    ----------
    spike_neuron, spike_t_ms : numpy.ndarray
        Spikes (neuron index, time in ms).
    n_neurons : int
        Population size.
    duration_ms, warmup_ms : float
        Simulated time and the warm-up left out.
    groups : numpy.ndarray
        Group of each neuron.
    n_groups : int
        Number of groups.

    Returns
    -------
    numpy.ndarray
        Standard error per group, Hz.
    """
    late = spike_t_ms >= warmup_ms
    per_neuron = np.bincount(spike_neuron[late], minlength=n_neurons) * (
        1000.0 / (duration_ms - warmup_ms))
    errors = np.full(n_groups, np.nan)
    for g in range(n_groups):
        rates = per_neuron[groups == g]
        if rates.size >= 2:
            errors[g] = float(np.std(rates, ddof=1) / np.sqrt(rates.size))
    return errors


def simulate_fi_curve(params: LifParameters, currents_na=None, *, trials: int | None = None,
                      fit_offset: bool = False, dt_ms: float | None = None,
                      target: str = "numpy",
                      progress: ProgressFn | None = None,
                      should_stop: StopFn | None = None,
                      crossing_correction: bool | None = None,
                      fit_range_na: tuple[float, float] | None = None) -> FiCurve:
    """Simulate the f-I curve: constant currents, no sinusoid, one run for every current.

    Parameters
    ----------
    params : LifParameters
        Neuron, noise, duration and seed (its drive ``i0``/``i1``/``f`` is ignored).
    currents_na : array_like, optional
        Currents in nA; defaults to `default_currents_na` (centred on the rheobase).
    trials : int, optional
        Neurons per current. Default: 1 without noise, else ``ceil(n_neurons / len(currents))``.
    fit_offset : bool
        Make `FiCurve.fit` the fit with an output bias (both fits are stored anyway).
    dt_ms : float, optional
        Integration time step; defaults to ``params.dt_ms``. With the crossing correction
        0.1 ms is within 2 % of Siegert from 0.75x rheobase up (4 % at 0.5x); without it
        the rate sits 4-14 % below, and `ACCURATE_FI_DT_MS` (0.02 ms) halves that at about
        4x the run time. Must be valid for `params`.
    target : str
        Code-generation target.
    progress, should_stop : callable, optional
        See `neuro.lif_simulation.simulate`.
    crossing_correction : bool, optional
        Threshold-crossing correction in the simulation; default
        ``params.crossing_correction``.
    fit_range_na : tuple of float, optional
        Fit only the currents inside ``(low, high)`` nA; default ``params.fit_range_na``
        (None there: all of them).

    Returns
    -------
    FiCurve
        Simulated and analytic rates and the Leaky ReLU fit.
    """
    currents = default_currents_na(params) if currents_na is None else np.asarray(
        currents_na, dtype=float).ravel()
    if currents.size < 1 or not np.all(np.isfinite(currents)):
        raise ValueError("currents must be one or more finite numbers")
    if dt_ms is not None:
        params = params.replace(dt_ms=float(dt_ms))
    if crossing_correction is None:
        crossing_correction = params.crossing_correction
    if fit_range_na is None:
        fit_range_na = params.fit_range_na
    noisy = params.noise_mv > 0
    if trials is None:
        trials = max(1, math.ceil(params.n_neurons / currents.size)) if noisy else 1
    n = currents.size * trials
    groups = np.repeat(np.arange(currents.size), trials)
    run = simulate(params, n_neurons=n, i0_na=currents[groups], i1_na=0.0, record=0,
                   target=target, progress=progress, should_stop=should_stop,
                   crossing_correction=crossing_correction)
    warmup_ms = min(100.0, run.duration_ms / 5)
    rate_sim = stationary_rates_hz(run.spike_neuron, run.spike_t_ms, n, run.duration_ms, groups,
                                   currents.size, warmup_ms, regular=not noisy)
    if noisy:
        rate_se = rate_standard_errors_hz(run.spike_neuron, run.spike_t_ms, n, run.duration_ms,
                                          groups, currents.size, warmup_ms)
    else:  # deterministic: no sampling error (only the time step's, well below 1 %)
        rate_se = np.zeros(currents.size)
    rate_theory = theory_rate_hz(currents, params)
    inside, _, span = select_range(currents, rate_sim, fit_range_na)
    shapes: tuple = ()
    if np.unique(inside).size >= 3:
        plain = fit_leaky_relu(currents, rate_sim, fit_range_na=fit_range_na)
        biased = fit_leaky_relu(currents, rate_sim, offset=True, fit_range_na=fit_range_na)
        shapes = tuple(rank_shapes(currents, rate_sim, fit_range_na))
    else:  # too few currents to fit: every fitted number is missing (None in JSON)
        nan = float("nan")
        plain = biased = LeakyFit(nan, nan, nan, nan, nan, *span)
    return FiCurve(current_na=currents, rate_sim_hz=rate_sim, rate_theory_hz=rate_theory,
                   fit=biased if fit_offset else plain, trials=trials, target=run.target,
                   three_parameter_fit=plain, offset_fit=biased, dt_ms=params.dt_ms,
                   fit_range_na=span, shape_fits=shapes,
                   crossing_correction=crossing_correction, rate_sim_se_hz=rate_se)
