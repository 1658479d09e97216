"""A sweep: the grid of runs (activations x lrs x seeds x inits x depths x widths)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from models.budget import check_network_budget
from models.config import MAX_DEPTH, ExperimentConfig
from models.fields import FieldError

DEAD_THRESHOLDS: tuple[int, ...] = (10, 25, 50)  # percent, for the step_dead_* columns
RUN_KEY_COLUMNS: tuple[str, ...] = ("activation", "lr", "seed", "init", "depth", "width", "steps")
MAX_RUNS = 100_000  # a larger grid is refused before its run list eats the memory
MAX_SEED = 2**32 - 1
MAX_SWEEP_DEPTH = MAX_DEPTH  # the header has one dead_fraction_layer column per layer
MAX_SWEEP_WIDTH = 1_000_000  # wider than the engine allows is a failed row; this is absurd
MAX_STEPS = 10_000_000
# a run's config field -> the sweep axis that sets it (how a refusal names the setting)
AXIS_OF_RUN_FIELD = {"init": "inits", "depth": "depths", "width": "widths", "seed": "seeds"}


class SweepError(FieldError):
    """A sweep specification that cannot be run; ``field`` names the setting."""


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: a single network (one activation, one learning rate).

    Attributes
    ----------
    activation : str
        Hidden activation.
    lr : float
        Learning rate.
    seed : int
        Seed of the data, the initial weights and the minibatches.
    init : str
        Initialiser.
    depth, width : int
        Hidden layers and their width.
    steps : int
        Training steps.
    """

    activation: str
    lr: float
    seed: int
    init: str
    depth: int
    width: int
    steps: int

    @property
    def key(self) -> tuple:
        """Identity of the run, comparable with `row_key` of a CSV row."""
        return (self.activation, float(self.lr), int(self.seed), self.init, int(self.depth),
                int(self.width), int(self.steps))


def row_key(row: dict[str, str]) -> tuple:
    """Return the run key of a CSV row (strings as read back), see `RunSpec.key`.

    Raises
    ------
    ValueError
        If a key column is missing or not a number where one is expected.
    """
    return (row["activation"], float(row["lr"]), int(row["seed"]), row["init"],
            int(row["depth"]), int(row["width"]), int(row["steps"]))


def _tuple(name: str, values, kind) -> tuple:
    if isinstance(values, str | int | float):
        values = (values,)
    try:
        out = tuple(kind(v) for v in values)
    except (TypeError, ValueError):
        raise SweepError(name, f"{values!r} is not a list of {kind.__name__}") from None
    if not out:
        raise SweepError(name, "give at least one value")
    if len(set(out)) != len(out):
        raise SweepError(name, "each value may appear only once")
    return out


@dataclass(frozen=True)
class SweepSpec:
    """A grid of runs sharing one base configuration.

    Only the shape of the grid is checked here; a run whose config the engine rejects (a
    width above the engine's limit, say) is not refused up front but recorded as a
    ``failed`` row when it runs, so the rest of the sweep still completes.

    Parameters
    ----------
    activations : sequence of str
        Hidden activations.
    lrs : sequence of float
        Learning rates (each finite and > 0).
    seeds : int or sequence of int
        A count ``N`` (seeds ``base.seed`` .. ``base.seed + N - 1``, the one meaning of a
        seed count everywhere: window, command line, sessions) or the explicit seeds.
    inits, depths, widths : sequence
        Optional extra axes; default: the base config's single value.
    steps : int
        Training steps per run.
    probe_every : int
        Steps between dead-unit probes (the resolution of the ``step_dead_*`` columns).
    base : ExperimentConfig
        Every other knob (dataset, optimizer, batch size, alpha ...).
    """

    activations: tuple[str, ...]
    lrs: tuple[float, ...]
    seeds: tuple[int, ...]
    inits: tuple[str, ...] = ()
    depths: tuple[int, ...] = ()
    widths: tuple[int, ...] = ()
    steps: int = 200
    probe_every: int = 10
    base: ExperimentConfig = field(default_factory=ExperimentConfig)

    def __post_init__(self) -> None:
        base = self.base
        if isinstance(base, dict):
            base = ExperimentConfig.from_dict(base)
            object.__setattr__(self, "base", base)
        seeds = self.seeds
        if isinstance(seeds, int) and not isinstance(seeds, bool):
            if seeds < 1:
                raise SweepError("seeds", f"{seeds} seeds; give at least 1")
            if seeds > MAX_RUNS:
                raise SweepError("seeds", f"{seeds} seeds; at most {MAX_RUNS:,}")
            if base.seed + seeds - 1 > MAX_SEED:
                raise SweepError("seeds", f"{seeds} seeds from seed {base.seed} pass the "
                                 f"largest seed {MAX_SEED}")
            seeds = range(base.seed, base.seed + seeds)
        for name in ("activations", "lrs", "inits", "depths", "widths"):
            values = getattr(self, name)
            if not isinstance(values, str | int | float) and hasattr(values, "__len__") \
                    and len(values) > MAX_RUNS:
                raise SweepError(name, f"{len(values):,} values; at most {MAX_RUNS:,} runs")
        if hasattr(seeds, "__len__") and not isinstance(seeds, str) and len(seeds) > MAX_RUNS:
            raise SweepError("seeds", f"{len(seeds):,} seeds; at most {MAX_RUNS:,} runs")
        object.__setattr__(self, "activations", _tuple("activations", self.activations, str))
        object.__setattr__(self, "lrs", _tuple("lrs", self.lrs, float))
        object.__setattr__(self, "seeds", _tuple("seeds", seeds, int))
        object.__setattr__(self, "inits", _tuple("inits", self.inits or (base.init,), str))
        object.__setattr__(self, "depths", _tuple("depths", self.depths or (base.depth,), int))
        object.__setattr__(self, "widths", _tuple("widths", self.widths or (base.width,), int))
        for lr in self.lrs:
            if not math.isfinite(lr) or lr <= 0:
                raise SweepError("lrs", f"{lr:g} must be a finite number greater than 0")
        for s in self.seeds:
            if not 0 <= s <= MAX_SEED:
                raise SweepError("seeds", f"{s} must be between 0 and {MAX_SEED}")
        for name, high in (("depths", MAX_SWEEP_DEPTH), ("widths", MAX_SWEEP_WIDTH)):
            for v in getattr(self, name):
                if not 1 <= v <= high:
                    raise SweepError(name, f"{v} must be between 1 and {high}")
        for name in ("steps", "probe_every"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= MAX_STEPS:
                raise SweepError(name, f"{v!r} must be an integer between 1 and {MAX_STEPS:,}")
        if len(self) > MAX_RUNS:
            raise SweepError("runs", f"{len(self):,} runs in the grid; at most {MAX_RUNS:,} "
                             "(fewer seeds or shorter lists)")

    # -- the grid -------------------------------------------------------------------------
    def runs(self) -> list[RunSpec]:
        """Return every run, in a fixed order (init, depth, width, activation, lr, seed)."""
        return [RunSpec(act, lr, seed, init, depth, width, self.steps)
                for init, depth, width, act, lr, seed in itertools.product(
                    self.inits, self.depths, self.widths, self.activations, self.lrs,
                    self.seeds)]

    def __len__(self) -> int:
        return (len(self.activations) * len(self.lrs) * len(self.seeds) * len(self.inits)
                * len(self.depths) * len(self.widths))

    @property
    def max_depth(self) -> int:
        """Deepest net of the sweep (the number of ``dead_fraction_layer{i}`` columns)."""
        return max(self.depths)

    def header(self) -> list[str]:
        """Return the CSV header of this sweep's result file."""
        return sweep_header(self.max_depth)

    def run_config(self, run: RunSpec) -> ExperimentConfig:
        """Return the engine config of one run (raises `ConfigError` if the engine refuses it)."""
        return self.base.replace(activations=(run.activation,), lrs=(run.lr,), seed=run.seed,
                                 init=run.init, depth=run.depth, width=run.width,
                                 steps=run.steps, log_every=self.probe_every)

    def check_budget(self, workers: int = 1) -> None:
        """Refuse the sweep if its largest run, in `workers` processes at once, is too large.

        Parameters
        ----------
        workers : int
            Runs training at the same time (local worker processes; 1 on a cluster).

        Raises
        ------
        models.budget.BudgetError
            Naming the estimate, the limit and the settings to lower.
        """
        biggest = RunSpec(self.activations[0], self.lrs[0], self.seeds[0], self.inits[0],
                          max(self.depths), max(self.widths), self.steps)
        check_network_budget(self.run_config(biggest), keep_snapshots=False,
                             processes=min(max(int(workers), 1), len(self)))

    # -- serialisation --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (the base config nested)."""
        return {"activations": list(self.activations), "lrs": list(self.lrs),
                "seeds": list(self.seeds), "inits": list(self.inits),
                "depths": list(self.depths), "widths": list(self.widths), "steps": self.steps,
                "probe_every": self.probe_every, "base": self.base.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SweepSpec:
        """Build a spec from `to_dict` output.

        Raises
        ------
        SweepError
            On unknown keys or bad values.
        """
        known = {"activations", "lrs", "seeds", "inits", "depths", "widths", "steps",
                 "probe_every", "base"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SweepError(unknown[0], "unknown sweep field")
        data = dict(data)
        if "base" in data:
            data["base"] = ExperimentConfig.from_dict(data["base"])
        try:
            return cls(**data)
        except TypeError as exc:
            raise SweepError("sweep", f"{exc}") from None


def build_sweep_spec(base: ExperimentConfig, seeds: int, *, activations=None, lrs=None,
                     inits=(), depths=(), widths=(), steps: int | None = None,
                     probe_every: int = 10) -> SweepSpec:
    """Build a sweep from a base config: the one builder the window and the command line use.

    Parameters
    ----------
    base : ExperimentConfig
        Shared settings; its ``seed`` is the first seed of the sweep.
    seeds : int
        Seeds per grid point: ``base.seed`` .. ``base.seed + seeds - 1``.
    activations, lrs : sequence, optional
        Default: the base config's.
    inits, depths, widths : sequence, optional
        Extra axes; default the base config's single value.
    steps : int, optional
        Training steps per run; default ``base.steps``.
    probe_every : int
        Steps between dead-unit probes.

    Returns
    -------
    SweepSpec
        The sweep.

    Raises
    ------
    SweepError
        Naming the field that is wrong; an axis value (init, depth, width) whose net the
        engine refuses names its axis (``widths``) rather than giving failed rows later.
    """
    if isinstance(seeds, bool) or not isinstance(seeds, int):
        raise SweepError("seeds", f"{seeds!r} is not a whole number of seeds")
    spec = SweepSpec(activations=tuple(base.activations if activations is None else activations),
                     lrs=tuple(base.lrs if lrs is None else lrs), seeds=seeds,
                     inits=tuple(inits or ()), depths=tuple(depths or ()),
                     widths=tuple(widths or ()), steps=base.steps if steps is None else steps,
                     probe_every=probe_every, base=base)
    # a net the engine refuses would only give failed rows: refuse the axis value now
    for init in spec.inits:
        for depth in spec.depths:
            for width in spec.widths:
                run = RunSpec(spec.activations[0], spec.lrs[0], spec.seeds[0], init, depth,
                              width, spec.steps)
                try:
                    spec.run_config(run)
                except FieldError as exc:
                    axis = AXIS_OF_RUN_FIELD.get(exc.field, exc.field)
                    raise SweepError(axis, exc.problem) from None
    return spec


def sweep_header(max_depth: int) -> list[str]:
    """Return the result columns for a sweep whose deepest net has `max_depth` hidden layers.

    Parameters
    ----------
    max_depth : int
        Number of per-layer dead-fraction columns (``dead_fraction_layer0`` is the first
        hidden layer, as in ``grid.csv``; shallower nets leave the deeper columns empty).

    Returns
    -------
    list of str
        Column names. ``config_hash`` identifies the settings shared by every run (see
        `models.sweep.output.config_hash`): a file from another experiment is refused on resume.
    """
    return [*RUN_KEY_COLUMNS, "config_hash", "final_loss", "dead_fraction",
            *(f"dead_fraction_layer{i}" for i in range(max_depth)),
            "diverged", *(f"step_dead_{p}" for p in DEAD_THRESHOLDS), "status", "message"]
