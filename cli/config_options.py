"""Command-line options shared by commands that build an `ExperimentConfig`."""

from __future__ import annotations

import argparse

from cli.arguments import non_empty
from cli.errors import UsageError
from cli.field_options import add_field_options, build_from_fields, field_changes
from models.config import FIELDS, ExperimentConfig
from models.datasets import DatasetError, load_csv
from models.presets import PresetError, load_preset

# Every experiment setting has its option, in the table's order.
OPTION_FIELDS = tuple(FIELDS)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """Add the experiment options (one per field of `ExperimentConfig`, plus ``--preset``)."""
    group = parser.add_argument_group("experiment (unset options keep the preset's values)")
    group.add_argument("--preset", type=non_empty("--preset"),
                       help="start from resources/presets/NAME.json")
    add_field_options(group, FIELDS, OPTION_FIELDS)


def config_from_args(args: argparse.Namespace) -> ExperimentConfig:
    """Return the config the options describe: the preset (or defaults) with overrides.

    Raises
    ------
    UsageError
        For an unknown preset or a combination the config rejects (naming the option).
    """
    try:
        base = load_preset(args.preset).config if args.preset else ExperimentConfig()
    except PresetError as exc:
        raise UsageError(f"--preset: {exc}") from None
    changes = field_changes(args, OPTION_FIELDS)
    if "csv_path" in changes and not changes["csv_path"].strip():
        raise UsageError("--csv: give the path of a CSV file")
    if changes.get("csv_path"):
        try:  # read it now: a bad file is refused before any work starts
            load_csv(changes["csv_path"])
        except DatasetError as exc:
            raise UsageError(f"--csv: {exc}") from None
        changes.setdefault("dataset", "csv")
    return build_from_fields(base.replace, FIELDS, **changes)
