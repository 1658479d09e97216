"""The Theory settings, declared once: the tab's form and the command line come from here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from models.fields import FieldError, check_fields, field_table, setting
from models.theory.born_dead import (
    BORN_DEAD_INITS,
    MAX_BORN_DEAD_DEPTH,
    MAX_BORN_DEAD_TRIALS,
    MAX_BORN_DEAD_WIDTH,
)
from models.theory.gradients import MAX_GRADIENT_VALUES
from models.theory.propagation import DEFAULT_SEEDS, MAX_SEEDS

__all__ = ["FIELDS", "TheorySettings", "theory_settings"]


@dataclass(frozen=True)
class TheorySettings:
    """Every knob of the Theory sections (SCIENCE.md section 3), validated when built."""

    seed: int = setting(0, "int", "seed", "seed of every random draw", low=0, high=2**32 - 1)
    alphas: tuple[float, ...] = setting(
        (0.0, 0.01, 0.1, 0.3, 0.5, 1.0), "float_list", "gradient alphas",
        "Leaky ReLU slopes whose gradient statistics are measured", low=0.0, high=1.0,
        max_items=64)
    points: int = setting(2048, "int", "input points",
                          "input points for gradients and propagation (propagation uses at "
                          "most 256 per network)", low=16, high=MAX_GRADIENT_VALUES // 2)
    width: int = setting(256, "int", "width (units)", "network width for gradients and "
                         "propagation", low=2, high=1024)
    depth: int = setting(50, "int", "propagation depth (layers)", "hidden layers for "
                         "propagation", low=2, high=200)
    alpha: float = setting(0.1, "float", "He-leaky alpha", "Leaky ReLU slope used with "
                           "he_leaky in propagation", low=0.0, high=1.0, low_open=True)
    seeds: int = setting(DEFAULT_SEEDS, "int", "networks in the ensemble",
                         "networks drawn for the propagation ensemble", low=1, high=MAX_SEEDS)
    bd_widths: tuple[int, ...] = setting(
        (2, 3, 4, 5), "int_list", "born-dead widths N", "hidden widths N of the born-dead "
        "nets", low=1, high=MAX_BORN_DEAD_WIDTH, max_items=64, option="widths")
    bd_depths: tuple[int, ...] = setting(
        (1, 2, 4, 6, 9, 12, 16, 20), "int_list", "born-dead depths",
        "hidden-layer counts of the born-dead nets", low=1, high=MAX_BORN_DEAD_DEPTH,
        max_items=64, option="depths")
    trials: int = setting(1000, "int", "born-dead trials", "networks drawn per (width, depth)",
                          low=1, high=MAX_BORN_DEAD_TRIALS)
    bd_init: str = setting("he", "choice", "born-dead init",
                           "he: He-normal weights, zero biases (Lu et al.); he-bias: biases "
                           "N(0, 1); rai: randomized asymmetric init", choices=BORN_DEAD_INITS,
                           option="init")
    prune_width: int = setting(32, "int", "pruned net width", "hidden width of the trained "
                               "ReLU net", low=1, high=1024)
    prune_depth: int = setting(3, "int", "pruned net depth", "hidden layers of the trained "
                               "ReLU net", low=1, high=64)
    prune_lr: float = setting(3.0, "float", "pruned net learning rate",
                              "learning rate of the trained ReLU net (large rates kill units)",
                              low=0.0, high=1000.0, low_open=True)
    prune_steps: int = setting(300, "int", "pruned net steps", "training steps of the pruned "
                               "ReLU net", low=1, high=100_000)

    def __post_init__(self) -> None:
        for name, spec in FIELDS.items():  # JSON lists and 1 for 1.0
            value = getattr(self, name)
            if spec.is_list and isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
            if spec.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, name, float(value))
            if spec.kind == "float_list" and isinstance(value, list | tuple):
                object.__setattr__(self, name, tuple(
                    float(v) if isinstance(v, int) and not isinstance(v, bool) else v
                    for v in value))
        check_fields(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON-able dict (lists for tuples)."""
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(self).items()}


FIELDS = field_table(TheorySettings)


def theory_settings(settings: Any) -> dict[str, Any]:
    """Validate a (partial) settings mapping; return every setting, normalised.

    Raises
    ------
    FieldError
        Naming the first unknown or bad setting.
    """
    if not isinstance(settings, dict):
        raise FieldError("settings", f"expected a mapping, got {type(settings).__name__}")
    unknown = sorted(set(settings) - set(FIELDS))
    if unknown:
        raise FieldError(unknown[0], "unknown setting")
    return TheorySettings(**settings).to_dict()
