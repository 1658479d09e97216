"""The sweep's own settings (its axes and pacing), declared once for window and command line.

The settings every run shares (dataset, optimizer, steps, seed ...) are `ExperimentConfig`'s
and come from its table; these are the ones a sweep adds on top.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.config import MAX_DEPTH, MAX_WIDTH
from models.fields import check_fields, field_table, setting
from models.initializers import INIT_NAMES
from models.sweep.executor import MAX_WORKERS, default_workers
from models.sweep.spec import MAX_RUNS

__all__ = ["FIELDS", "SweepSettings"]


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


FIELDS = field_table(SweepSettings)
