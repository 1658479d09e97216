"""Memory and time budgets estimated from a config, checked before any work starts.

The limit is ``min(4 GB, a quarter of the machine's memory)`` (``RELU_LAB_MEMORY_LIMIT_MB``
lowers it, e.g. for tests). Estimates are deliberately on the high side: they count every
work array the engine keeps (per batch size), parameters with gradients and optimizer state,
the probe's temporaries, the snapshots a grid keeps for its figures, and the interpreter
itself. Errors name the fields to lower (``fields``), never a command-line flag.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from models.datasets import held_out_count

GB = 1024**3
MAX_MEMORY_BYTES = 4 * GB
BASELINE_BYTES = 200 * 1024**2  # Python, numpy, the lab's modules (Brian2 for the neuron)
MAX_TRAIN_FLOPS = 5e15  # multiply-adds of a whole run: about a day on one core
MAX_NEURON_STEPS = 2e10  # neuron x time-step updates of one simulation (~minutes to an hour)
NEURON_STATE_BYTES = 320  # per simulated neuron: state, constants, numpy temporaries
SPIKE_BYTES = 16  # one recorded spike: index and time, plus growth slack
ASSUMED_RATE_HZ = 100.0  # firing rate assumed for the spike monitor (high for this model)


class BudgetError(ValueError):
    """A config whose estimated memory or time is beyond the limit; ``fields`` says what to lower.

    Attributes
    ----------
    fields : tuple of str
        Names of the settings (config fields) that lower the estimate most.
    """

    def __init__(self, message: str, fields: tuple[str, ...]) -> None:
        super().__init__(message)
        self.fields = tuple(fields)


@dataclass(frozen=True)
class Budget:
    """An estimate: bytes held at the peak and the amount of work.

    Attributes
    ----------
    bytes : int
        Estimated peak memory of the process, interpreter included.
    work : float
        Multiply-adds (networks) or neuron time-step updates (neuron).
    work_limit : float
        Largest `work` accepted.
    """

    bytes: int
    work: float
    work_limit: float


def memory_limit() -> int:
    """Return the memory limit in bytes: min(4 GB, a quarter of total memory), or the override."""
    override = os.environ.get("RELU_LAB_MEMORY_LIMIT_MB")
    if override:
        try:
            return max(int(float(override) * 1024**2), 1)
        except ValueError:
            pass
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return MAX_MEMORY_BYTES
    return int(min(MAX_MEMORY_BYTES, total // 4))


def _size(n: float) -> str:
    return f"{n / GB:.1f} GB" if n >= GB else f"{n / 1024**2:.0f} MB"


def network_budget(config, keep_snapshots: bool = True) -> Budget:
    """Estimate the peak memory and the work of training an `ExperimentConfig`'s grid.

    Parameters
    ----------
    config : models.config.ExperimentConfig
        The experiment (every network of the grid trains in this process).
    keep_snapshots : bool
        Count the probed snapshots a grid keeps for its figures.

    Returns
    -------
    Budget
        The estimate.
    """
    item = 8 if config.dtype == "float64" else 4
    nets = len(config.activations) * len(config.lrs)
    n_in = 2
    widths = [config.width] * config.depth
    sizes = [n_in, *widths, 1]
    params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])) + 3 * sum(widths)
    hidden = config.depth * config.width
    batch = min(config.batch_size, config.n_samples)
    probe = config.n_samples
    held_out = held_out_count(config.n_samples, config.test_fraction)
    # six work arrays per hidden layer, kept per batch size (training batch, probe set,
    # the outlier batch, the held-out test points)
    buffers = 6 * item * hidden * (batch + probe + batch + held_out)
    temporaries = 3 * 8 * probe * config.width  # the probe's masks and derivative copies
    weights = 5 * item * params  # value, gradient, spare, two optimizer moments
    per_net = buffers + weights
    probes = math.ceil(config.steps / max(config.log_every, 1)) + 1
    snapshots = nets * probes * (9 * hidden + 64 * (config.depth + 1)) if keep_snapshots else 0
    data = 3 * 8 * 3 * (config.n_samples + held_out) * 2
    total = BASELINE_BYTES + nets * per_net + temporaries + snapshots + data
    flops = (nets * config.steps * 6.0 * batch * params
             + nets * probes * 2.0 * (probe + held_out) * params)
    return Budget(int(total), flops, MAX_TRAIN_FLOPS)


def check_network_budget(config, keep_snapshots: bool = True, processes: int = 1) -> Budget:
    """Refuse a grid whose estimate is beyond the limits; return the estimate otherwise.

    Parameters
    ----------
    config : models.config.ExperimentConfig
        The experiment.
    keep_snapshots : bool
        See `network_budget`.
    processes : int
        Processes training such a config at the same time (a sweep's workers): the memory
        estimate is multiplied by it, and ``workers`` joins the fields to lower.

    Raises
    ------
    BudgetError
        Naming the estimate, the limit and the fields to lower.
    """
    budget = network_budget(config, keep_snapshots)
    limit = memory_limit()
    processes = max(int(processes), 1)
    if budget.bytes * processes > limit:
        many = f" in each of {processes} workers" if processes > 1 else ""
        fields = ("batch_size", "n_samples", "width", "depth", "activations", "lrs")
        raise BudgetError(
            f"memory: this grid needs about {_size(budget.bytes)}{many}, above the limit of "
            f"{_size(limit)} (min of 4 GB and a quarter of this machine's memory); lower "
            "batch_size, n_samples, width, depth" + (", workers" if processes > 1 else "")
            + " or the number of activations x lrs",
            (*fields, "workers") if processes > 1 else fields)
    if budget.work > budget.work_limit:
        raise BudgetError(
            f"time: this grid needs about {budget.work:.2g} multiply-adds, above the limit of "
            f"{budget.work_limit:.0e} (about a day on one core); lower steps, batch_size, "
            "width, depth or the number of activations x lrs",
            ("steps", "batch_size", "width", "depth", "activations", "lrs"))
    return budget


def neuron_budget(n_neurons: int, duration_s: float, dt_ms: float, runs: int = 1,
                  recorded: int = 0, record_dt_ms: float | None = None,
                  rate_hz: float = ASSUMED_RATE_HZ) -> Budget:
    """Estimate the peak memory and the work of one Brian2 population simulation.

    Parameters
    ----------
    n_neurons : int
        Neurons per run (per current of an f-I curve, per frequency of a response).
    duration_s : float
        Simulated time in s.
    dt_ms : float
        Integration time step in ms.
    runs : int
        Currents or frequencies simulated side by side (the population is ``runs x n``).
    recorded : int
        Neurons whose voltage and current traces are recorded.
    record_dt_ms : float, optional
        Time step of the recorded traces (default `dt_ms`).
    rate_hz : float
        Firing rate assumed for the spike monitor.

    Returns
    -------
    Budget
        The estimate.
    """
    population = float(n_neurons) * max(int(runs), 1)
    steps = duration_s * 1000.0 / dt_ms
    record_steps = duration_s * 1000.0 / (record_dt_ms or dt_ms)
    spikes = population * duration_s * rate_hz
    total = (BASELINE_BYTES + population * NEURON_STATE_BYTES + spikes * SPIKE_BYTES
             + recorded * record_steps * 2 * 8 + steps * 8)
    return Budget(int(min(total, 2**62)), population * steps, MAX_NEURON_STEPS)


def check_neuron_budget(n_neurons: int, duration_s: float, dt_ms: float, runs: int = 1,
                        recorded: int = 0, record_dt_ms: float | None = None,
                        runs_field: str = "runs") -> Budget:
    """Refuse a neuron simulation beyond the limits; see `neuron_budget` for the parameters.

    Parameters
    ----------
    runs_field : str
        Name of the setting that sets `runs` (``currents`` or ``freqs``), for the message.

    Raises
    ------
    BudgetError
        Naming the estimate, the limit and the fields to lower.
    """
    budget = neuron_budget(n_neurons, duration_s, dt_ms, runs, recorded, record_dt_ms)
    limit = memory_limit()
    lower = ("n_neurons", "duration_s", runs_field) if runs > 1 else ("n_neurons", "duration_s")
    if budget.work > budget.work_limit:
        raise BudgetError(
            f"time: this simulation needs {budget.work:.2g} neuron time-steps, above the "
            f"limit of {budget.work_limit:.0e}; lower {', '.join(lower)} or raise dt_ms",
            (*lower, "dt_ms"))
    if budget.bytes > limit:
        raise BudgetError(
            f"memory: this simulation needs about {_size(budget.bytes)}, above the limit of "
            f"{_size(limit)} (min of 4 GB and a quarter of this machine's memory); lower "
            f"{', '.join(lower)}", lower)
    return budget


def check_neuron_run(kind: str, params, currents=None, freqs=None,
                     recorded: int = 10) -> Budget:
    """Check the budget of a ``fi``, ``drive`` or ``response`` run before it starts.

    Parameters
    ----------
    kind : {"fi", "drive", "response"}
        The run.
    params : object
        Neuron parameters with ``n_neurons``, ``duration_s``, ``dt_ms`` and ``noise_mv``
        (plain numbers; `neuro.parameters.LifParameters` has them).
    currents : sequence of float, optional
        f-I currents (default 40 of them).
    freqs : sequence of float, optional
        Response frequencies (default 10 of them).
    recorded : int
        Traces recorded by a drive run.

    Raises
    ------
    BudgetError
        See `check_neuron_budget`.
    """
    n, duration, dt = int(params.n_neurons), float(params.duration_s), float(params.dt_ms)
    if kind == "fi":
        count = max(len(currents) if currents is not None else 40, 1)
        per_current = math.ceil(n / count) if float(params.noise_mv) > 0 else 1
        return check_neuron_budget(per_current, duration, dt, runs=count,
                                   runs_field="currents")
    if kind == "response":
        count = len(freqs) if freqs is not None else 10
        return check_neuron_budget(n, duration, dt, runs=count, runs_field="freqs")
    return check_neuron_budget(n, duration, dt, recorded=recorded,
                               record_dt_ms=max(dt, 0.1))
