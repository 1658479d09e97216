"""`python main.py diagnose`: why units die, for one cell and one unit; figures and CSVs."""

from __future__ import annotations

import argparse
import json
import re

from cli.arguments import add_output_folder
from cli.config_options import add_config_options, config_from_args
from cli.errors import UsageError
from cli.progress import Progress
from models.atomic_write import atomic_write_text
from models.blas import single_thread_blas
from models.budget import check_network_budget
from models.datasets import DatasetError
from models.diagnostics import (
    UnitPlane,
    cell_diagnostics,
    plane_ranges,
    plateau_surfaces,
    unit_trajectory,
)
from models.experiment import Experiment
from models.presets import load_preset
from models.safe_io import check_output_folder, expand, output_folder

_UNIT = re.compile(r"^[Ll](\d+):(\d+)$")


def register(subparsers) -> None:
    """Add the `diagnose` subcommand."""
    parser = subparsers.add_parser(
        "diagnose", help="see why units die: pre-activation drift, update sizes, a plateau",
        description="Train the grid as `grid` does and write, for one cell, the histograms "
        "of every layer's pre-activations over training with the fraction of z <= 0, the "
        "update-to-data ratio and gradient norm per layer, the ratio strip of every cell, "
        "and for one unit the training loss over its bias and incoming weight norm (the "
        "rest held at the last step) with its trajectory: PNG, SVG, PDF and CSV.")
    add_config_options(parser)
    parser.add_argument("--cell", required=True, metavar="ACT@LR",
                        help="the cell, as ACTIVATION@LR (relu@6)")
    parser.add_argument("--unit", default="L1:1", metavar="LLAYER:UNIT",
                        help="the unit for the plateau, layer and unit numbered from 1 "
                        "(layer 1 = nearest the input), e.g. L2:17 (default L1:1)")
    add_output_folder(parser)
    parser.set_defaults(func=run)


def parse_cell(text: str, labels: list[tuple[str, float]]) -> int:
    """Return the index of the cell ``ACT@LR`` names among `labels` (UsageError if none)."""
    act, sep, lr_text = text.strip().partition("@")
    try:
        lr = float(lr_text)
    except ValueError:
        lr = None
    if not sep or lr is None:
        raise UsageError(f"--cell: {text!r} is not ACTIVATION@LR (e.g. relu@6)")
    for k, (a, rate) in enumerate(labels):
        if a == act and abs(rate - lr) <= 1e-12 * max(abs(lr), 1.0):
            return k
    cells = ", ".join(f"{a}@{rate:g}" for a, rate in labels)
    raise UsageError(f"--cell: {text!r} is not in the grid; choose from {cells}")


def parse_unit(text: str, depth: int, width: int) -> tuple[int, int]:
    """Return the 0-based (layer, unit) ``L2:17`` names (numbered from 1); UsageError if bad."""
    match = _UNIT.match(text.strip())
    if not match:
        raise UsageError(f"--unit: {text!r} is not LLAYER:UNIT (e.g. L2:17)")
    layer, unit = int(match.group(1)), int(match.group(2))
    if not 1 <= layer <= depth:
        raise UsageError(f"--unit: layer {layer} is not in 1..{depth}")
    if not 1 <= unit <= width:
        raise UsageError(f"--unit: unit {unit} is not in 1..{width}")
    return layer - 1, unit - 1


def run(args: argparse.Namespace) -> int:
    """Train, compute the diagnostics and write them; return the exit status."""
    config = config_from_args(args)
    check_output_folder(args.out, args.overwrite, "--out")
    labels = [(a, lr) for a in config.activations for lr in config.lrs]
    cell = parse_cell(args.cell, labels)
    layer, unit = parse_unit(args.unit, config.depth, config.width)
    check_network_budget(config)
    schedule = load_preset(args.preset).schedule if args.preset else ()
    try:
        experiment = Experiment(config, schedule=schedule)
    except DatasetError as exc:
        raise UsageError(f"--csv: {exc}") from None
    except ValueError as exc:
        raise UsageError(f"--preset: {exc}") from None
    progress = Progress(config.steps, "diagnose", "steps")
    with single_thread_blas():
        for snap in experiment.iterate():
            progress.update(snap.step)
        progress.close()
        figures = diagnostic_figures(experiment, cell, layer, unit)
    with output_folder(args.out, args.overwrite, "--out") as work:
        from figures.export import export_figures

        export_figures(figures, work, formats=("png", "svg", "pdf", "csv"))
        atomic_write_text(work / "config.json", config.to_json())
    data = cell_diagnostics(experiment, cell)
    print(json.dumps({"out": str(expand(args.out)), "cell": args.cell,
                      "unit": f"L{layer + 1}:{unit + 1}", "steps": experiment.step,
                      "z_nonpositive_last": [round(float(v), 4)
                                             for v in data["z_nonpositive"][-1]],
                      "figures": [f.name for f in figures]}, indent=2))
    return 0


def diagnostic_figures(experiment, cell: int, layer: int, unit: int) -> list:
    """Return the four diagnostic figures of `cell` and its unit (`layer`, `unit`, 0-based)."""
    from figures import diagnostics_figures as df

    data = cell_diagnostics(experiment, cell)
    h = experiment.history
    activations = list(dict.fromkeys(a for a, _ in experiment.labels))
    figures = [df.drift_figure(data["steps"], data["z_counts"], data["edges"],
                               data["z_nonpositive"], data["label"], data["events"]),
               df.update_figure(data["steps"], data["update_ratio"], data["grad_norm"],
                                data["label"], data["events"]),
               df.update_strip_figure(data["steps"], h.extra("update_ratio"),
                                      list(experiment.labels), activations,
                                      list(experiment.config.lrs))]
    steps, trajectory = unit_trajectory(h, cell, layer, unit)
    plane = UnitPlane(experiment.networks[cell], experiment.x, experiment.y, layer, unit,
                      batch_stats=experiment.config.bn_probe == "batch")
    bias_range, scale_range = plane_ranges(plane.current, trajectory)
    *_, surface = plateau_surfaces(plane, bias_range, scale_range)  # the finest grid
    figures.append(df.plateau_figure(surface, steps, trajectory, data["label"], layer, unit,
                                     experiment.loss_name))
    return figures
