"""The sweep's own settings (its axes and pacing), declared once for window and command line.

The settings every run shares (dataset, optimizer, steps, seed ...) are `ExperimentConfig`'s
and come from its table; these are the ones a sweep adds on top. `SweepSettings.spec` turns
both into the grid of runs, the same way for the window and ``main.py sweep``.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.config import MAX_DEPTH, MAX_WIDTH, ExperimentConfig
from models.fields import check_fields, field_table, setting
from models.initializers import INIT_NAMES
from models.sweep.executor import MAX_WORKERS, default_workers
from models.sweep.spec import MAX_RUNS, SweepSpec, build_sweep_spec

__all__ = ["FIELDS", "START_BASE", "SweepSettings"]

START_BASE = ExperimentConfig(activations=("relu", "leaky_relu", "elu", "tanh"),
                              lrs=(0.01, 0.1, 1.0, 3.0), steps=300, n_samples=256,
                              batch_size=64)
"""The shared settings of the sweep the window opens on: a grid small enough to finish in
about a minute (with `SweepSettings`' defaults: 4 x 4 x 3 seeds of 300 steps)."""


@dataclass(frozen=True)
class SweepSettings:
    """Axes of a sweep beyond activations x learning rates, and how it runs."""

    seeds: int = setting(3, "int", "seeds", "seeds per grid point, from the base seed on",
                         low=1, high=MAX_RUNS)
    inits: tuple[str, ...] = setting(("he",), "choice_list", "initialisers",
                                     "initialisers to sweep", choices=INIT_NAMES,
                                     max_items=len(INIT_NAMES))
    depths: tuple[int, ...] = setting((3,), "int_list", "depths (hidden layers)",
                                      "hidden-layer counts to sweep", low=1, high=MAX_DEPTH,
                                      max_items=64)
    widths: tuple[int, ...] = setting((32,), "int_list", "widths (units)",
                                      "hidden widths to sweep", low=1, high=MAX_WIDTH,
                                      max_items=64)
    probe_every: int = setting(10, "int", "probe every (steps)",
                               "steps between dead-unit probes: the resolution of the "
                               "step_dead_* columns", low=1, high=100_000)
    workers: int = setting(default_workers(), "int", "worker processes",
                           "local worker processes (not with a Dask scheduler)",
                           low=1, high=MAX_WORKERS)

    def __post_init__(self) -> None:
        for name, spec in FIELDS.items():  # JSON lists
            value = getattr(self, name)
            if spec.is_list and isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        check_fields(self)

    def spec(self, base: ExperimentConfig) -> SweepSpec:
        """Return the grid these settings make over `base` (`build_sweep_spec`).

        The seeds run from ``base.seed`` on; activations, learning rates and steps are the
        base config's.

        Raises
        ------
        SweepError
            Naming the setting that makes the grid impossible (``seeds`` past the largest
            seed, ``widths`` the engine refuses, ``runs`` for too large a grid).
        """
        return build_sweep_spec(base, self.seeds, inits=self.inits, depths=self.depths,
                                widths=self.widths, probe_every=self.probe_every)


FIELDS = field_table(SweepSettings)
