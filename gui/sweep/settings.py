"""Sweep-tab settings: which fields its form shows (from the field tables) and their check."""

from __future__ import annotations

from typing import Any

from models.config import FIELDS as CONFIG_FIELDS
from models.fields import Field, FieldError
from models.sweep.settings import FIELDS as SWEEP_FIELDS
from models.sweep.settings import START_BASE, SweepSettings
from models.sweep.spec import SweepSpec

__all__ = ["CONFIG_NAMES", "FIELDS", "RUN_OPTIONS", "SWEEP_NAMES", "default_settings",
           "validate_settings"]

# The experiment settings a sweep shares, from `ExperimentConfig`'s table.
CONFIG_NAMES = ("activations", "lrs", "seed", "steps", "dataset", "n_samples", "noise",
                "optimizer", "batch_size", "alpha", "csv_path")
# The sweep's own settings (axes, pacing, workers), from `SweepSettings`' table.
SWEEP_NAMES = tuple(SWEEP_FIELDS)
# Where a run's rows go: options of one run, not settings with limits.
RUN_OPTIONS = ("out", "resume")
_FORM_ORDER = ("activations", "lrs", "inits", "depths", "widths", "seeds", "seed", "steps",
               "probe_every", "dataset", "csv_path", "n_samples", "noise", "optimizer",
               "batch_size", "alpha", "workers")
FIELDS: dict[str, Field] = {name: CONFIG_FIELDS[name] if name in CONFIG_NAMES
                            else SWEEP_FIELDS[name] for name in _FORM_ORDER}
"""Every field of the form, in its order: the tables' own declarations (no copies)."""


def default_settings() -> dict[str, Any]:
    """Return the settings the tab opens with: `START_BASE` and `SweepSettings` defaults."""
    start = SweepSettings()
    values = {name: getattr(START_BASE if name in CONFIG_NAMES else start, name)
              for name in FIELDS}
    return _plain({**values, "out": "", "resume": False})


def validate_settings(settings: dict) -> tuple[dict, SweepSpec]:
    """Check a settings dict; return it normalised (JSON-able) and the sweep it describes.

    Missing keys take `default_settings`. The experiment settings are checked by
    `ExperimentConfig`, the sweep's by `SweepSettings`, and the grid by the builder the
    command line uses (`SweepSettings.spec`): the limits are the command line's.

    Raises
    ------
    FieldError
        Naming the first bad field (a `ValueError`).
    """
    if not isinstance(settings, dict):
        raise FieldError("settings", "expected a mapping")
    unknown = sorted(set(settings) - set(FIELDS) - set(RUN_OPTIONS))
    if unknown:
        raise FieldError(unknown[0], "unknown setting")
    values = {**default_settings(), **settings}
    if not isinstance(values["out"], str):
        raise FieldError("out", f"{values['out']!r} is not a file path")
    if not isinstance(values["resume"], bool):
        raise FieldError("resume", f"{values['resume']!r} is not true or false")
    base = START_BASE.replace(**{name: values[name] for name in CONFIG_NAMES})
    sweep = SweepSettings(**{name: values[name] for name in SWEEP_NAMES})
    spec = sweep.spec(base)
    checked = {name: getattr(base if name in CONFIG_NAMES else sweep, name) for name in FIELDS}
    return _plain({**checked, "out": values["out"], "resume": values["resume"]}), spec


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
