"""`ExperimentConfig`: every knob of a grid experiment, declared once, with a JSON round trip."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from models.activations import ACTIVATION_NAMES
from models.datasets import DATASET_NAMES, REGRESSION
from models.fields import FieldError, check_fields, field_table, setting
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
MAX_SEED = 2**32 - 1

# A refusal of a config value: a `FieldError` carrying the field's name.
ConfigError = FieldError


@dataclass(frozen=True)
class ExperimentConfig:
    """One grid experiment: activations x learning rates trained in lockstep on the same data.

    Every field is declared once, with its limits, unit, label and help (`models.fields`);
    the command line's options and the window's widgets are made from the same declarations.
    A bad value raises `ConfigError` (a `FieldError`) naming the field. ``to_json`` /
    ``from_json`` round-trip it exactly.
    """

    seed: int = setting(0, "int", "seed", "seed of the data, minibatches and initial weights",
                        low=0, high=MAX_SEED)
    dataset: str = setting("spiral", "choice", "dataset", "toy dataset, or csv for your own file",
                           choices=DATASET_NAMES + ("csv",))
    csv_path: str = setting("", "text", "CSV file",
                            "your own CSV (x1,x2,label or x,y) for dataset csv", option="csv")
    n_samples: int = setting(512, "int", "samples", "number of data points",
                             low=8, high=MAX_SAMPLES, option="samples")
    noise: float = setting(0.1, "float", "noise", "input or target noise (standard deviation)",
                           low=0.0, high=10.0)
    test_fraction: float = setting(
        0.2, "float", "test fraction (of all points)",
        "share f of all points held out for testing, never trained on (test loss and "
        "accuracy): a toy dataset keeps its samples for training and draws "
        "samples x f / (1 - f) more from an independent seeded stream of the same "
        "distribution and noise; a CSV holds out a seeded random f of its rows; 0 for none",
        low=0.0, high=0.5)
    probe: str = setting("train", "choice", "probe set",
                         "points on which units are judged dead: the training set or a "
                         "held-out draw", choices=("train", "held_out"))
    width: int = setting(64, "int", "width (units)", "hidden units per layer",
                         low=1, high=MAX_WIDTH)
    depth: int = setting(3, "int", "depth (layers)", "hidden layers", low=1, high=MAX_DEPTH)
    init: str = setting("he", "choice", "init", "weight initialiser", choices=INIT_NAMES)
    bias_value: float = setting(-1.0, "float", "bias value",
                                "bias of every hidden unit under the negative_bias init",
                                low=-100.0, high=100.0)
    alpha: float = setting(0.01, "float", "leaky alpha",
                           "negative-side slope of Leaky ReLU (and PReLU's start)",
                           low=0.0, high=1.0)
    optimizer: str = setting("sgd", "choice", "optimizer", "optimizer",
                             choices=OPTIMIZER_NAMES)
    momentum: float = setting(0.9, "float", "momentum",
                              "mu of the momentum optimizer and Adam's beta1",
                              low=0.0, high=0.9999)
    batch_size: int = setting(128, "int", "batch size", "minibatch size (at most the samples)",
                              low=1, high=MAX_SAMPLES)
    batch_norm: bool = setting(False, "bool", "batch norm", "batch norm before every activation")
    bn_probe: str = setting("batch", "choice", "batch-norm probe",
                            "statistics a batch-norm net is probed with: the probe set's own "
                            "(batch) or the running averages (running)", choices=BN_PROBE_MODES)
    loss: str = setting("auto", "choice", "loss",
                        "training loss; auto: BCE for classification, MSE for regression",
                        choices=("auto",) + LOSS_NAMES)
    activations: tuple[str, ...] = setting(
        ("relu", "leaky_relu", "elu", "gelu", "tanh"), "choice_list", "activations",
        "grid rows: activations, comma separated", choices=ACTIVATION_NAMES,
        max_items=MAX_NETWORKS)
    lrs: tuple[float, ...] = setting(
        (0.003, 0.03, 0.3, 3.0), "float_list", "learning rates",
        "grid columns: learning rates, comma separated", low=0.0, high=1e6, low_open=True,
        max_items=MAX_NETWORKS)
    steps: int = setting(2000, "int", "stop after (steps)", "training steps",
                         low=1, high=MAX_STEPS)
    log_every: int = setting(25, "int", "probe every (steps)",
                             "steps between two probes of the grid", low=1, high=MAX_STEPS)
    eps: float = setting(1e-6, "float", "dead if |derivative| <",
                         "a unit is dead when |phi'(z)| is below eps on every probe point",
                         low=0.0, high=1.0, low_open=True)
    dtype: str = setting("float32", "choice", "precision", "floating-point precision",
                         choices=("float32", "float64"))
    outlier_factor: float = setting(10_000.0, "float", "outlier size",
                                    "size of the one abnormal point of an outlier batch, in "
                                    "units of the data's scale", low=1.0, high=1e6)
    kick_std: float = setting(1.0, "float", "kick std",
                              "standard deviation of the thermal kick", low=0.0, high=100.0,
                              low_open=True)
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        if isinstance(self.lrs, list | tuple):  # JSON gives 1 for 1.0: store floats
            object.__setattr__(self, "lrs", tuple(float(v) if _is_number(v) else v
                                                  for v in self.lrs))
        version = self.schema_version
        if (not isinstance(version, int) or isinstance(version, bool)
                or not 1 <= version <= SCHEMA_VERSION):
            raise ConfigError("schema_version", f"{version!r} is out of range; allowed 1 to "
                                                f"{SCHEMA_VERSION}")
        check_fields(self)
        _check_together(self)

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
            raise ConfigError("config", f"expected a JSON object, got {type(data).__name__}")
        data = migrate(dict(data))
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(unknown[0], "unknown field; allowed fields are "
                                          f"{', '.join(sorted(names))}")
        for key in ("activations", "lrs"):
            if key in data and not isinstance(data[key], list | tuple):
                raise ConfigError(key, f"expected a list, got {data[key]!r}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ConfigError("config", str(exc)) from None

    @classmethod
    def from_json(cls, text: str) -> ExperimentConfig:
        """Parse JSON text produced by `to_json` (see `from_dict` for the checks)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON ({exc.msg} at line {exc.lineno})"
            raise ConfigError("config", problem) from None
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
        raise ConfigError("schema_version", f"{version!r} is not a positive integer")
    if version > SCHEMA_VERSION:
        raise ConfigError("schema_version", f"{version} is newer than this ReLU Lab "
                                            f"understands ({SCHEMA_VERSION}); update the "
                                            "program to open it")
    data["schema_version"] = SCHEMA_VERSION
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_together(c: ExperimentConfig) -> None:
    """Check the rules that join fields; the error names the field to change."""
    if c.dataset == "csv" and not c.csv_path:
        raise ConfigError("csv_path", "dataset 'csv' needs the path of a CSV file")
    if c.batch_size > c.n_samples:
        raise ConfigError("batch_size", f"{c.batch_size} is more than the {c.n_samples} "
                                        "samples")
    if c.n_networks > MAX_NETWORKS:
        raise ConfigError("activations", f"{c.n_networks} networks (activations x learning "
                                         f"rates); at most {MAX_NETWORKS}")
    per_net = 2 * c.width + (c.depth - 1) * c.width * (c.width + 1) + c.width + 1
    if per_net * c.n_networks > MAX_PARAMETERS:
        raise ConfigError("width", f"{per_net * c.n_networks:,} parameters over the grid "
                                   f"(width x depth x networks); at most {MAX_PARAMETERS:,}")


FIELDS = field_table(ExperimentConfig)
