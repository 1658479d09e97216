"""Sweep-tab settings: the fields, their limits, defaults and labels, and their validation."""

from __future__ import annotations

import math

import numpy as np

from models.activations import ACTIVATION_NAMES
from models.config import ConfigError, ExperimentConfig
from models.datasets import DATASET_NAMES
from models.initializers import INIT_NAMES
from models.optimizers import OPTIMIZER_NAMES
from models.sweep.executor import MAX_WORKERS, default_workers
from models.sweep.spec import SweepError, SweepSpec, build_sweep_spec

__all__ = ["CHOICE_FIELDS", "DEFAULTS", "FLOAT_FIELDS", "INT_FIELDS", "LABELS", "LIST_FIELDS",
           "OTHER_FIELDS", "validate_settings"]

LIST_FIELDS = {"activations": str, "lrs": float, "inits": str, "depths": int, "widths": int}
INT_FIELDS = {"seeds": (1, 1000), "steps": (1, 1_000_000), "probe_every": (1, 100_000),
              "n_samples": (8, 200_000), "batch_size": (1, 200_000), "workers": (1, MAX_WORKERS)}
FLOAT_FIELDS = {"noise": (0.0, 10.0), "alpha": (0.0, 1.0)}
CHOICE_FIELDS = {"dataset": DATASET_NAMES + ("csv",), "optimizer": OPTIMIZER_NAMES}
OTHER_FIELDS = ("out", "resume")
DEFAULTS = {
    "activations": ["relu", "leaky_relu", "elu", "tanh"], "lrs": [0.01, 0.1, 1.0, 3.0],
    "inits": ["he"], "depths": [3], "widths": [32], "seeds": 3, "steps": 300,
    "probe_every": 10, "dataset": "spiral", "n_samples": 256, "noise": 0.1,
    "optimizer": "sgd", "batch_size": 64, "alpha": 0.01, "workers": default_workers(),
    "out": "", "resume": False, "csv_path": "",
}
LABELS = {
    "activations": "activations", "lrs": "learning rates", "inits": "initialisers",
    "depths": "depths (hidden layers)", "widths": "widths (units)", "seeds": "seeds",
    "steps": "steps per run", "probe_every": "probe every (steps)", "dataset": "dataset",
    "n_samples": "samples", "noise": "noise (std)", "optimizer": "optimizer",
    "batch_size": "batch size", "alpha": "Leaky ReLU alpha", "workers": "worker processes",
    "out": "result CSV", "resume": "resume from the CSV",
    "csv_path": "dataset CSV (dataset 'csv')",
}


def validate_settings(settings: dict) -> tuple[dict, SweepSpec]:
    """Check a settings dict; return it normalised and the sweep it describes.

    Raises
    ------
    ValueError
        Naming the first bad field.
    """
    if not isinstance(settings, dict):
        raise ValueError("settings: expected a mapping")
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown setting")
    s = {**DEFAULTS, **settings}
    out = {}
    for name, kind in LIST_FIELDS.items():
        value = s[name]
        if isinstance(value, str):
            value = [t.strip() for t in value.split(",") if t.strip()]
        try:
            out[name] = [kind(v) for v in value]
        except (TypeError, ValueError):
            raise ValueError(f"{name}: {value!r} is not a list of {kind.__name__}") from None
    for name in out["activations"]:
        if name not in ACTIVATION_NAMES:
            raise ValueError(f"activations: unknown {name!r}")
    for name in out["inits"]:
        if name not in INIT_NAMES:
            raise ValueError(f"inits: unknown {name!r}")
    for name, (low, high) in INT_FIELDS.items():
        value = s[name]
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name}: {value!r} is not an integer")
        if not low <= value <= high:
            raise ValueError(f"{name}: {value} must be between {low} and {high}")
        out[name] = int(value)
    for name, (low, high) in FLOAT_FIELDS.items():
        value = s[name]
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"{name}: {value!r} must be a number between {low} and {high}")
        out[name] = float(value)
    for name, allowed in CHOICE_FIELDS.items():
        if s[name] not in allowed:
            raise ValueError(f"{name}: {s[name]!r}; choose from {', '.join(allowed)}")
        out[name] = s[name]
    if not isinstance(s["out"], str):
        raise ValueError(f"out: {s['out']!r} is not a file path")
    out["out"] = s["out"]
    if not isinstance(s["csv_path"], str):
        raise ValueError(f"csv_path: {s['csv_path']!r} is not a file path")
    out["csv_path"] = s["csv_path"]
    if not isinstance(s["resume"], bool):
        raise ValueError(f"resume: {s['resume']!r} is not true or false")
    out["resume"] = s["resume"]
    try:
        base = ExperimentConfig(dataset=out["dataset"], csv_path=out["csv_path"],
                                n_samples=out["n_samples"],
                                noise=out["noise"], optimizer=out["optimizer"],
                                batch_size=min(out["batch_size"], out["n_samples"]),
                                alpha=out["alpha"], init=out["inits"][0] if out["inits"]
                                else "he")
        spec = build_sweep_spec(base, out["seeds"], activations=out["activations"],
                                lrs=out["lrs"], inits=out["inits"], depths=out["depths"],
                                widths=out["widths"], steps=out["steps"],
                                probe_every=out["probe_every"])
    except (SweepError, ConfigError) as exc:
        raise ValueError(str(exc)) from None
    return out, spec
