"""`ExperimentConfig`: every knob of a grid experiment, validated, with a JSON round trip."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

from models.activations import ACTIVATION_NAMES
from models.datasets import DATASET_NAMES, REGRESSION
from models.initializers import INIT_NAMES
from models.network import BN_PROBE_MODES, LOSS_NAMES
from models.optimizers import OPTIMIZER_NAMES

SCHEMA_VERSION = 1
MAX_WIDTH = 1024
MAX_DEPTH = 64
MAX_NETWORKS = 64
MAX_PARAMETERS = 20_000_000  # summed over the grid: refuse what would eat the memory
MAX_SAMPLES = 200_000
MAX_STEPS = 10_000_000


class ConfigError(ValueError):
    """A configuration value that is not allowed; the message names the field."""


@dataclass(frozen=True)
class ExperimentConfig:
    """One grid experiment: activations x learning rates trained in lockstep on the same data.

    Every field is validated on construction; a bad value raises `ConfigError` naming the
    field and what is allowed. ``to_json`` / ``from_json`` round-trip it exactly.
    """

    seed: int = 0
    dataset: str = "spiral"
    csv_path: str = ""
    n_samples: int = 512
    noise: float = 0.1
    probe: str = "train"
    width: int = 64
    depth: int = 3
    init: str = "he"
    bias_value: float = -1.0
    alpha: float = 0.01
    optimizer: str = "sgd"
    momentum: float = 0.9
    batch_size: int = 128
    batch_norm: bool = False
    bn_probe: str = "batch"
    loss: str = "auto"
    activations: tuple[str, ...] = ("relu", "leaky_relu", "elu", "gelu", "tanh")
    lrs: tuple[float, ...] = (0.003, 0.03, 0.3, 3.0)
    steps: int = 2000
    log_every: int = 25
    eps: float = 1e-6
    dtype: str = "float32"
    outlier_factor: float = 300.0
    kick_std: float = 1.0
    schema_version: int = field(default=SCHEMA_VERSION)

    def __post_init__(self) -> None:
        object.__setattr__(self, "activations", tuple(self.activations))
        object.__setattr__(self, "lrs", tuple(float(v) if _is_number(v) else v
                                              for v in self.lrs))
        _validate(self)

    # -- derived --------------------------------------------------------------------------
    @property
    def task(self) -> str:
        """``"regression"`` for sine/abs (or a regression CSV), else ``"classification"``."""
        return "regression" if self.dataset in REGRESSION else "classification"

    @property
    def n_networks(self) -> int:
        """Number of cells in the grid."""
        return len(self.activations) * len(self.lrs)

    def resolved_loss(self, task: str | None = None) -> str:
        """Return the loss to use: the chosen one, or BCE for classification and MSE else."""
        if self.loss != "auto":
            return self.loss
        return "bce" if (task or self.task) == "classification" else "mse"

    # -- serialisation --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of every field (tuples as lists)."""
        data = dataclasses.asdict(self)
        data["activations"] = list(self.activations)
        data["lrs"] = list(self.lrs)
        return data

    def to_json(self) -> str:
        """Return the config as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExperimentConfig:
        """Build a config from a dict, rejecting unknown keys and newer schema versions.

        Raises
        ------
        ConfigError
            Naming the unknown key, the bad field, or the unsupported schema version.
        """
        if not isinstance(data, dict):
            raise ConfigError(f"config: expected a JSON object, got {type(data).__name__}")
        data = migrate(dict(data))
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(f"{unknown[0]}: unknown field; allowed fields are "
                              f"{', '.join(sorted(names))}")
        for key in ("activations", "lrs"):
            if key in data and not isinstance(data[key], list | tuple):
                raise ConfigError(f"{key}: expected a list, got {data[key]!r}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ConfigError(f"config: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> ExperimentConfig:
        """Parse JSON text produced by `to_json` (see `from_dict` for the checks)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"config: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        return cls.from_dict(data)

    def replace(self, **changes: Any) -> ExperimentConfig:
        """Return a validated copy with `changes` applied."""
        return dataclasses.replace(self, **changes)


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a config dict of an older schema version up to `SCHEMA_VERSION`.

    Raises
    ------
    ConfigError
        If the version is newer than this program knows, or not an integer.
    """
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConfigError(f"schema_version: {version!r} is not a positive integer")
    if version > SCHEMA_VERSION:
        raise ConfigError(f"schema_version: {version} is newer than this ReLU Lab understands "
                          f"({SCHEMA_VERSION}); update the program to open it")
    data["schema_version"] = SCHEMA_VERSION
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{name}: expected an integer, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{name}: {value} is out of range; allowed {low} to {high}")


def _check_float(name: str, value: Any, low: float, high: float, open_low: bool = False) -> None:
    if not _is_number(value) or not math.isfinite(value):
        raise ConfigError(f"{name}: expected a finite number, got {value!r}")
    if value < low or value > high or (open_low and value == low):
        bound = f"greater than {low}" if open_low else f"at least {low}"
        raise ConfigError(f"{name}: {value} is out of range; must be {bound} and at most {high}")


def _check_choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"{name}: {value!r} is not allowed; choose from {', '.join(allowed)}")


def _validate(c: ExperimentConfig) -> None:
    _check_int("schema_version", c.schema_version, 1, SCHEMA_VERSION)
    _check_int("seed", c.seed, 0, 2**32 - 1)
    _check_choice("dataset", c.dataset, DATASET_NAMES + ("csv",))
    if not isinstance(c.csv_path, str):
        raise ConfigError(f"csv_path: expected a file path, got {c.csv_path!r}")
    if c.dataset == "csv" and not c.csv_path:
        raise ConfigError("csv_path: dataset 'csv' needs the path of a CSV file")
    _check_int("n_samples", c.n_samples, 8, MAX_SAMPLES)
    _check_float("noise", c.noise, 0.0, 10.0)
    _check_choice("probe", c.probe, ("train", "held_out"))
    _check_int("width", c.width, 1, MAX_WIDTH)
    _check_int("depth", c.depth, 1, MAX_DEPTH)
    _check_choice("init", c.init, INIT_NAMES)
    _check_float("bias_value", c.bias_value, -100.0, 100.0)
    _check_float("alpha", c.alpha, 0.0, 1.0)
    _check_choice("optimizer", c.optimizer, OPTIMIZER_NAMES)
    _check_float("momentum", c.momentum, 0.0, 0.9999)
    _check_int("batch_size", c.batch_size, 1, c.n_samples)
    if not isinstance(c.batch_norm, bool):
        raise ConfigError(f"batch_norm: expected true or false, got {c.batch_norm!r}")
    _check_choice("bn_probe", c.bn_probe, BN_PROBE_MODES)
    _check_choice("loss", c.loss, ("auto",) + LOSS_NAMES)
    if not c.activations:
        raise ConfigError("activations: choose at least one activation")
    for name in c.activations:
        _check_choice("activations", name, ACTIVATION_NAMES)
    if len(set(c.activations)) != len(c.activations):
        raise ConfigError("activations: each activation may appear only once")
    if not c.lrs:
        raise ConfigError("lrs: give at least one learning rate")
    for lr in c.lrs:
        _check_float("lrs", lr, 0.0, 1e6, open_low=True)
    if len(set(c.lrs)) != len(c.lrs):
        raise ConfigError("lrs: each learning rate may appear only once")
    if c.n_networks > MAX_NETWORKS:
        raise ConfigError(f"activations x lrs: {c.n_networks} networks; at most {MAX_NETWORKS}")
    _check_int("steps", c.steps, 1, MAX_STEPS)
    _check_int("log_every", c.log_every, 1, MAX_STEPS)
    _check_float("eps", c.eps, 0.0, 1.0, open_low=True)
    _check_choice("dtype", c.dtype, ("float32", "float64"))
    _check_float("outlier_factor", c.outlier_factor, 1.0, 1e6)
    _check_float("kick_std", c.kick_std, 0.0, 100.0, open_low=True)
    per_net = 2 * c.width + (c.depth - 1) * c.width * (c.width + 1) + c.width + 1
    if per_net * c.n_networks > MAX_PARAMETERS:
        raise ConfigError(f"width x depth: {per_net * c.n_networks:,} parameters over the grid; "
                          f"at most {MAX_PARAMETERS:,} (make the net or the grid smaller)")
