"""`python main.py grid`: train an activation x learning-rate grid headless; write CSV + figures."""

from __future__ import annotations

import argparse
import json

import numpy as np

from cli.config_options import add_config_options, config_from_args
from cli.errors import UsageError
from cli.progress import Progress
from models.atomic_write import atomic_write_text, csv_lines
from models.blas import single_thread_blas
from models.budget import check_network_budget
from models.datasets import DatasetError
from models.experiment import Experiment, Snapshot
from models.safe_io import LineWriter, check_output_folder, expand, output_folder


def register(subparsers) -> None:
    """Add the `grid` subcommand."""
    parser = subparsers.add_parser(
        "grid", help="train an activation x learning-rate grid; write grid.csv and figures",
        description="Train every (activation, learning rate) cell on the same data, minibatches "
        "and initial weights; write grid.csv (one row per network per logged step), the "
        "config as JSON, and figures (final activity heatmaps, loss, dead fraction) as PNG/SVG.")
    add_config_options(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--no-figures", action="store_true", help="write only CSV and JSON")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing non-empty --out folder (once the run is done)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Train the grid and write its outputs; return the exit status."""
    config = config_from_args(args)
    check_output_folder(args.out, args.overwrite, "--out")
    check_network_budget(config)
    try:
        experiment = Experiment(config)
    except DatasetError as exc:
        raise UsageError(f"--csv: {exc}") from None
    depth = config.depth
    header = ["activation", "lr", "seed", "step", "loss", "dead_fraction",
              *[f"dead_fraction_layer{i}" for i in range(depth)], "diverged"]
    history = []
    progress = Progress(config.steps, "grid", "steps")
    with output_folder(args.out, args.overwrite, "--out") as work, \
            LineWriter(work / "grid.csv") as grid_csv, single_thread_blas():
        grid_csv.write(csv_lines([header]))  # rows flushed as produced: kept on Ctrl-C
        for snap in experiment.iterate():
            history.append(snap)
            grid_csv.write(csv_lines(_rows(snap, config.seed)))
            progress.update(snap.step)
        progress.close()
        atomic_write_text(work / "config.json", config.to_json())
        if not args.no_figures:
            _write_figures(work, config, history)
    out = expand(args.out)
    final = history[-1]
    diverged = [f"{a}@{lr:g}" for (a, lr), d in zip(final.labels, final.diverged) if d]
    summary = {"out": str(out), "networks": len(final.labels), "steps": final.step,
               "diverged": diverged,
               "dead_fraction": {f"{a}@{lr:g}": round(float(d), 4)
                                 for (a, lr), d in zip(final.labels, final.dead_fraction)}}
    print(json.dumps(summary, indent=2))
    return 0


def _rows(snap: Snapshot, seed: int) -> list[list]:
    return [[act, lr, seed, snap.step, float(snap.losses[k]), float(snap.dead_fraction[k]),
             *[float(v) for v in snap.dead_fraction_layers[k]], int(snap.diverged[k])]
            for k, (act, lr) in enumerate(snap.labels)]


def _write_figures(out, config, history: list[Snapshot]) -> None:
    from gui.figure_export import export_widgets
    from gui.grid_figures import activity_grid_figure, curves_figure
    from gui.headless import ensure_app

    ensure_app()
    final = history[-1]
    steps = np.array([s.step for s in history])
    widgets = [
        activity_grid_figure(final.labels, list(config.activations), list(config.lrs),
                             final.activity, final.dead, final.diverged, final.step),
        curves_figure("loss", "Probe-set loss during training", "loss", steps,
                      np.stack([s.losses for s in history]), final.labels, log_y=True,
                      column="loss"),
        curves_figure("dead_fraction", "Dead hidden units during training",
                      "dead fraction (of hidden units)", steps,
                      np.stack([s.dead_fraction for s in history]), final.labels,
                      column="dead_fraction"),
    ]
    export_widgets([w for w, _ in widgets], [f for _, f in widgets], out, ("png", "svg"))
