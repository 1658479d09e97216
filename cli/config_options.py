"""Command-line options shared by commands that build an `ExperimentConfig`."""

from __future__ import annotations

import argparse

from cli.arguments import (
    any_float,
    float_list,
    int_at_least,
    name_list,
    non_empty,
    non_negative_float,
)
from cli.errors import UsageError
from models.activations import ACTIVATION_NAMES
from models.config import ConfigError, ExperimentConfig
from models.datasets import DATASET_NAMES, DatasetError, load_csv
from models.initializers import INIT_NAMES
from models.optimizers import OPTIMIZER_NAMES
from models.presets import PresetError, load_preset

# option name -> config field; options left unset keep the preset's (or the default) value
_FIELDS = {
    "dataset": "dataset", "noise": "noise", "samples": "n_samples", "width": "width",
    "depth": "depth", "init": "init", "bias_value": "bias_value", "alpha": "alpha",
    "optimizer": "optimizer", "batch_size": "batch_size", "batch_norm": "batch_norm",
    "activations": "activations", "lrs": "lrs", "steps": "steps", "log_every": "log_every",
    "seed": "seed",
}


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """Add the experiment options (dataset, net, optimizer, grid, steps, seed, preset)."""
    defaults = ExperimentConfig()
    group = parser.add_argument_group("experiment (unset options keep the preset's values)")
    group.add_argument("--preset", type=non_empty("--preset"),
                       help="start from resources/presets/NAME.json")
    group.add_argument("--dataset", choices=DATASET_NAMES,
                       help=f"toy dataset (default {defaults.dataset})")
    group.add_argument("--csv", metavar="FILE", type=non_empty("--csv"),
                       help="train on your own CSV (x1,x2,label or x,y) instead of --dataset")
    group.add_argument("--noise", type=non_negative_float("--noise"),
                       help=f"input/target noise std (default {defaults.noise})")
    group.add_argument("--samples", type=int_at_least("--samples", 8),
                       help=f"number of data points (default {defaults.n_samples})")
    group.add_argument("--width", type=int_at_least("--width", 1),
                       help=f"hidden units per layer (default {defaults.width})")
    group.add_argument("--depth", type=int_at_least("--depth", 1),
                       help=f"hidden layers (default {defaults.depth})")
    group.add_argument("--init", choices=INIT_NAMES, help=f"initialiser (default {defaults.init})")
    group.add_argument("--bias-value", type=any_float("--bias-value"),
                       help=f"bias for --init negative_bias (default {defaults.bias_value})")
    group.add_argument("--alpha", type=non_negative_float("--alpha"),
                       help=f"Leaky ReLU slope (default {defaults.alpha})")
    group.add_argument("--optimizer", choices=OPTIMIZER_NAMES,
                       help=f"optimizer (default {defaults.optimizer})")
    group.add_argument("--batch-size", type=int_at_least("--batch-size", 1),
                       help=f"minibatch size (default {defaults.batch_size})")
    group.add_argument("--batch-norm", action=argparse.BooleanOptionalAction, default=None,
                       help="batch norm before every activation (default off)")
    group.add_argument("--activations", type=name_list("--activations", ACTIVATION_NAMES),
                       help=f"grid rows, comma list (default {','.join(defaults.activations)})")
    group.add_argument("--lrs", type=float_list("--lrs"),
                       help="grid columns: learning rates, comma list "
                            f"(default {','.join(f'{v:g}' for v in defaults.lrs)})")
    group.add_argument("--steps", type=int_at_least("--steps", 1),
                       help=f"training steps (default {defaults.steps})")
    group.add_argument("--log-every", type=int_at_least("--log-every", 1),
                       help=f"steps between logged rows (default {defaults.log_every})")
    group.add_argument("--seed", type=int_at_least("--seed", 0, 2**32 - 1),
                       help=f"seed of data, batches and initial weights (default {defaults.seed})")


def config_from_args(args: argparse.Namespace) -> ExperimentConfig:
    """Return the config the options describe: the preset (or defaults) with overrides.

    Raises
    ------
    UsageError
        For an unknown preset or a combination the config rejects (naming the field).
    """
    try:
        base = load_preset(args.preset).config if args.preset else ExperimentConfig()
    except PresetError as exc:
        raise UsageError(f"--preset: {exc}") from None
    changes = {field: getattr(args, option) for option, field in _FIELDS.items()
               if getattr(args, option, None) is not None}
    if getattr(args, "csv", None):
        try:  # read it now: a bad file is refused before any work starts
            load_csv(args.csv)
        except DatasetError as exc:
            raise UsageError(f"--csv: {exc}") from None
        changes["dataset"] = "csv"
        changes["csv_path"] = args.csv
    for key in ("activations", "lrs"):
        if key in changes:
            changes[key] = tuple(changes[key])
    try:
        return base.replace(**changes)
    except ConfigError as exc:
        field, _, problem = str(exc).partition(":")
        reverse = {f: o for o, f in _FIELDS.items()} | {"csv_path": "csv"}
        option = "--" + reverse.get(field, field).replace("_", "-")
        raise UsageError(f"{option}: {problem.strip()}") from None
