"""One isolated Brian2 run of independent LIF neurons, returned as plain arrays."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from neuro.brian_import import import_brian2
from neuro.parameters import LifParameters
from neuro.targets import choose_target

ProgressFn = Callable[[float], None]
StopFn = Callable[[], bool]

# Only one Brian2 run at a time per process: Brian2's preferences and RNG are global.
_RUN_LOCK = threading.Lock()


class SimulationCancelled(Exception):
    """Raised when a run is cancelled through its `should_stop` callable."""


class SimulationInterrupted(Exception):
    """Raised when a run ended before its requested duration (e.g. Brian2 caught Ctrl-C).

    Attributes
    ----------
    simulated_ms, requested_ms : float
        The simulated and the requested time.
    """

    def __init__(self, simulated_ms: float, requested_ms: float):
        super().__init__(f"simulation interrupted after {simulated_ms:g} of {requested_ms:g} ms; "
                         "its results are incomplete and were discarded")
        self.simulated_ms = simulated_ms
        self.requested_ms = requested_ms


@dataclass(frozen=True)
class SpikeRun:
    """Raw output of one simulation.

    Attributes
    ----------
    t_ms : numpy.ndarray
        Sample times of the recorded traces, shape ``(T,)``.
    i_in_na, i_leak_na, v_mv : numpy.ndarray
        Input current, leak current ``g_L (V - E_L)`` and membrane potential of the
        recorded neurons, shape ``(k, T)``.
    recorded : numpy.ndarray
        Indices of the recorded neurons, shape ``(k,)``.
    spike_neuron : numpy.ndarray
        Neuron index of every spike (int).
    spike_t_ms : numpy.ndarray
        Time of every spike in ms.
    n_neurons : int
        Population size.
    duration_ms : float
        Simulated time.
    target : str
        Code-generation target used.
    """

    t_ms: np.ndarray
    i_in_na: np.ndarray
    i_leak_na: np.ndarray
    v_mv: np.ndarray
    recorded: np.ndarray
    spike_neuron: np.ndarray
    spike_t_ms: np.ndarray
    n_neurons: int
    duration_ms: float
    target: str


def simulate(params: LifParameters, *, n_neurons: int | None = None, i0_na=None, i1_na=None,
             freq_hz=None, record: int = 0, record_dt_ms: float | None = None,
             init: str = "uniform", target: str = "numpy",
             progress: ProgressFn | None = None, should_stop: StopFn | None = None,
             crossing_correction: bool | None = None) -> SpikeRun:
    """Simulate independent LIF neurons under ``I0 + I1 sin(2 pi f t)`` (+ white noise).

    Each call builds its own ``brian2.Network`` with an explicit namespace and seeds the
    random generator from ``params.seed``, so a run never depends on an earlier one.

    **Threshold-crossing correction.** Euler-Maruyama only looks at ``V`` on the time grid,
    so a path that crosses ``theta`` and comes back within one step is missed and the noisy
    rate sits below Siegert (by ~sqrt(dt)). Between two grid points the model
    ``tau dV = (-V + mu) dt + sigma sqrt(tau) dW`` is, to first order in ``dt``, a Brownian
    motion ``dV = (drift) dt + (sigma / sqrt(tau)) dW`` with diffusion coefficient per unit
    time ``D = sigma^2 / tau`` (``Var[V(t+h) - V(t)] = D h``). For a Brownian motion with
    variance rate ``D`` pinned at ``V_n = a`` and ``V_{n+1} = b`` (a Brownian bridge; the drift
    drops out once both ends are fixed), the probability that its maximum over the step
    exceeds ``theta > max(a, b)`` is the reflection-principle result
    ``P = exp(-2 (theta - a)(theta - b) / (D dt))``. In the model's own units this is
    ``exp(-2 (theta - V_n)(theta - V_{n+1}) tau / (sigma^2 dt))``, i.e. the issue's
    ``sigma^2 dt_eff`` with ``dt_eff = dt / tau`` (sigma in volts, dt and tau in seconds:
    the exponent is dimensionless). Inside Brian2 the previous ``V`` is stored in ``v_prev``
    at the start of every step and the threshold condition is
    ``v > V_th or rand() < P(v_prev, v)``, so a neuron whose bridge crossed spikes (and is
    reset) at the end of that step. It is applied only with noise and while not refractory
    (Brian2 ands the threshold with ``not_refractory``).

    Parameters
    ----------
    params : LifParameters
        Neuron, drive, population size, duration, seed and time step.
    n_neurons : int, optional
        Population size; defaults to ``params.n_neurons``.
    i0_na, i1_na, freq_hz : float or array_like, optional
        Per-neuron drive (scalars or arrays of length `n_neurons`); default to the
        values in `params`.
    record : int
        Number of neurons (the first ones) whose I, I_L and V are recorded.
    record_dt_ms : float, optional
        Sampling interval of the recorded traces; defaults to ``params.dt_ms``.
    init : {"uniform", "rest"}
        Initial V: uniform between reset and threshold, or all at ``E_L``.
    target : str
        Requested code-generation target (see `neuro.targets.choose_target`).
    progress : callable, optional
        Called with the completed fraction (0 to 1) about every 50 ms of wall time.
    should_stop : callable, optional
        Polled as often as `progress`; when it returns True the run stops and
        `SimulationCancelled` is raised.
    crossing_correction : bool, optional
        Apply the Brownian-bridge threshold-crossing correction above (noise only);
        default ``params.crossing_correction``. False gives the plain discrete-time
        threshold.

    Returns
    -------
    SpikeRun
        Plain arrays; no Brian2 object survives the call.

    Raises
    ------
    SimulationCancelled
        If `should_stop` asked for it.
    SimulationInterrupted
        If the run ended early for any other reason (Brian2 stops a run on Ctrl-C):
        a truncated run is never returned.
    ValueError
        If the per-neuron arrays have the wrong length or `init` is unknown.
    """
    b2 = import_brian2()
    Hz, mV, ms, nA, nS, second = b2.Hz, b2.mV, b2.ms, b2.nA, b2.nS, b2.second

    n = params.n_neurons if n_neurons is None else int(n_neurons)
    if n < 1:
        raise ValueError(f"n_neurons ({n}) must be at least 1")
    drive = {}
    for name, value, default in (("i0_na", i0_na, params.i0_na), ("i1_na", i1_na, params.i1_na),
                                 ("freq_hz", freq_hz, params.freq_hz)):
        array = np.broadcast_to(np.asarray(default if value is None else value, dtype=float), (n,))
        if array.shape != (n,):
            raise ValueError(f"{name} must be a scalar or have one value per neuron ({n})")
        drive[name] = np.array(array)
    if init not in ("uniform", "rest"):
        raise ValueError(f"init ({init!r}) must be 'uniform' or 'rest'")
    record = max(0, min(int(record), n))
    choice = choose_target(target)

    time_dependent = bool(np.any(drive["i1_na"] != 0))
    noisy = params.noise_mv > 0
    equations = "dv/dt = (E_L - v + I/g_L)/tau_m"
    if noisy:
        equations += " + sigma*xi*tau_m**-0.5"
    equations += " : volt (unless refractory)\n"
    if time_dependent:
        equations += ("I = I0 + I1*sin(2*pi*freq*t) : amp\n"
                      "I1 : amp (constant)\nfreq : Hz (constant)\n")
    else:
        equations += "I = I0 : amp\n"
    equations += "I0 : amp (constant)\n"
    if crossing_correction is None:
        crossing_correction = params.crossing_correction
    bridge = noisy and crossing_correction
    threshold = "v > V_th"
    if bridge:
        equations += "v_prev : volt\n"
        threshold = ("v > V_th or rand() < exp(-2*clip(V_th - v_prev, 0*mV, inf*mV)"
                     "*clip(V_th - v, 0*mV, inf*mV)*tau_m/(sigma**2*dt))")
    if noisy:
        method = "euler"
    elif time_dependent:
        method = "exponential_euler"
    else:
        method = "exact"
    namespace = {
        "g_L": params.g_leak_ns * nS, "tau_m": params.tau_m_ms * ms,
        "E_L": params.e_leak_mv * mV, "V_th": params.v_th_mv * mV,
        "V_reset": params.v_reset_mv * mV, "sigma": params.noise_mv * mV,
    }
    dt = params.dt_ms * ms
    duration = params.duration_s * second

    with _RUN_LOCK:
        previous_target = b2.prefs.codegen.target
        b2.prefs.codegen.target = choice.target
        try:
            b2.seed(int(params.seed))
            group = b2.NeuronGroup(n, equations, threshold=threshold, reset="v = V_reset",
                                   refractory=params.t_ref_ms * ms, method=method, dt=dt,
                                   namespace=namespace)
            if bridge:  # before the state update: v_prev is V_n, v becomes V_{n+1}
                group.run_regularly("v_prev = v", when="start")
            group.I0 = drive["i0_na"] * nA
            if time_dependent:
                group.I1 = drive["i1_na"] * nA
                group.freq = drive["freq_hz"] * Hz
            if init == "uniform":
                group.v = "V_reset + rand()*(V_th - V_reset)"
            else:
                group.v = params.e_leak_mv * mV
            spikes = b2.SpikeMonitor(group)
            objects = [group, spikes]
            states = None
            if record:
                rec_dt = params.dt_ms if record_dt_ms is None else max(record_dt_ms, params.dt_ms)
                states = b2.StateMonitor(group, ["v", "I"], record=list(range(record)),
                                         dt=rec_dt * ms)
                objects.append(states)
            net = b2.Network(*objects)

            def report(elapsed, completed, start, total):
                if progress is not None:
                    progress(float(completed))
                if should_stop is not None and should_stop():
                    net.stop()

            net.run(duration, report=report, report_period=0.05 * second, namespace={})
            if should_stop is not None and should_stop():
                raise SimulationCancelled("simulation cancelled")
            simulated_ms = float(net.t / ms)
            if simulated_ms < params.duration_s * 1000.0 - 0.5 * params.dt_ms:
                raise SimulationInterrupted(simulated_ms, params.duration_s * 1000.0)
            spike_neuron = np.asarray(spikes.i[:], dtype=np.int64)
            spike_t_ms = np.asarray(spikes.t[:] / ms, dtype=float)
            if states is not None:
                t_ms = np.asarray(states.t[:] / ms, dtype=float)
                v_mv = np.asarray(states.v[:] / mV, dtype=float)
                i_in_na = np.asarray(states.I[:] / nA, dtype=float)
            else:
                t_ms = np.zeros(0)
                v_mv = i_in_na = np.zeros((0, 0))
        finally:
            b2.prefs.codegen.target = previous_target
    i_leak_na = params.g_leak_ns * (v_mv - params.e_leak_mv) * 1e-3
    return SpikeRun(t_ms=t_ms, i_in_na=i_in_na, i_leak_na=i_leak_na, v_mv=v_mv,
                    recorded=np.arange(record), spike_neuron=spike_neuron, spike_t_ms=spike_t_ms,
                    n_neurons=n, duration_ms=params.duration_s * 1000.0, target=choice.target)


def population_rate_hz(spike_t_ms: np.ndarray, n_neurons: int, duration_ms: float,
                       bin_ms: float) -> tuple[np.ndarray, np.ndarray]:
    """Bin spike times into the population rate.

    Parameters
    ----------
    spike_t_ms : numpy.ndarray
        Spike times of the whole population, ms.
    n_neurons : int
        Population size.
    duration_ms : float
        Length of the run; the last partial bin is dropped.
    bin_ms : float
        Bin width.

    Returns
    -------
    tuple of numpy.ndarray
        Bin centres (ms) and rate per neuron in each bin (Hz).
    """
    n_bins = max(int(np.floor(duration_ms / bin_ms + 1e-9)), 1)
    edges = np.arange(n_bins + 1) * bin_ms
    counts, _ = np.histogram(spike_t_ms, bins=edges)
    return 0.5 * (edges[:-1] + edges[1:]), counts / (n_neurons * bin_ms * 1e-3)


def default_bin_ms(params: LifParameters) -> float:
    """Return a rate bin: 5 ms, or 1/20 of the drive period if shorter, a multiple of dt."""
    width = min(5.0, 1000.0 / (20.0 * params.freq_hz))
    return max(params.dt_ms, params.dt_ms * round(width / params.dt_ms))
