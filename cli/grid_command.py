"""`python main.py grid`: train an activation x learning-rate grid headless; write CSV + figures."""

from __future__ import annotations

import argparse
import json

from cli.arguments import add_output_folder
from cli.config_options import add_config_options, config_from_args
from cli.errors import UsageError
from cli.progress import Progress
from models.atomic_write import atomic_write_text, csv_lines, write_csv
from models.blas import single_thread_blas
from models.budget import check_network_budget
from models.datasets import DatasetError
from models.experiment import Experiment, Snapshot
from models.history import event_rows, grid_header, snapshot_rows
from models.presets import load_preset
from models.safe_io import LineWriter, check_output_folder, expand, output_folder


def register(subparsers) -> None:
    """Add the `grid` subcommand."""
    parser = subparsers.add_parser(
        "grid", help="train an activation x learning-rate grid; write grid.csv and figures",
        description="Train every (activation, learning rate) cell on the same data, minibatches "
        "and initial weights, applying a preset's schedule (kicks, switches, outliers) at its "
        "steps exactly as the window does; write grid.csv (one row per network per probe: "
        "step 0 and every --log-every steps; layers numbered from 1, the layer nearest the "
        "input; its last columns are the loss on the held-out test points, see "
        "--test-fraction, and the training and test accuracy), events.csv (step, kind, "
        "cells, message), the config as JSON, and figures (final activity heatmaps, loss, "
        "dead fraction) as PNG/SVG.")
    add_config_options(parser)
    add_output_folder(parser)
    parser.add_argument("--no-figures", action="store_true", help="write only CSV and JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Train the grid and write its outputs; return the exit status."""
    config = config_from_args(args)
    check_output_folder(args.out, args.overwrite, "--out")
    check_network_budget(config)
    schedule = load_preset(args.preset).schedule if args.preset else ()
    try:
        experiment = Experiment(config, schedule=schedule)
    except DatasetError as exc:
        raise UsageError(f"--csv: {exc}") from None
    except ValueError as exc:  # a preset schedule naming cells the changed grid lacks
        raise UsageError(f"--preset: {exc}") from None
    header = grid_header(config.depth)
    history = []
    progress = Progress(config.steps, "grid", "steps")
    with output_folder(args.out, args.overwrite, "--out") as work, \
            LineWriter(work / "grid.csv") as grid_csv, single_thread_blas():
        grid_csv.write(csv_lines([header]))  # rows flushed as produced: kept on Ctrl-C
        for snap in experiment.iterate():
            history.append(snap)
            grid_csv.write(csv_lines(snapshot_rows(snap, config.seed)))
            progress.update(snap.step)
        progress.close()
        write_csv(work / "events.csv", *event_rows(experiment.history))
        atomic_write_text(work / "config.json", config.to_json())
        if not args.no_figures:
            _write_figures(work, experiment, history)
    out = expand(args.out)
    final = history[-1]
    diverged = [f"{a}@{lr:g}" for (a, lr), d in zip(final.labels, final.diverged) if d]
    summary = {"out": str(out), "networks": len(final.labels), "steps": final.step,
               "diverged": diverged,
               "dead_fraction": {f"{a}@{lr:g}": round(float(d), 4)
                                 for (a, lr), d in zip(final.labels, final.dead_fraction)}}
    print(json.dumps(summary, indent=2))
    return 0


def _write_figures(out, experiment, history: list[Snapshot]) -> None:
    from figures import network_figures as nf
    from figures.export import export_figures
    from figures.probe_history import history_from_snapshots

    probes = history_from_snapshots(history, experiment.config, experiment.loss_name)
    figures = [nf.grid_figure(probes), nf.all_cells_loss_figure(probes),
               nf.all_cells_dead_figure(probes)]
    names = {"networks_grid": "activity_grid", "loss_all_cells": "loss",
             "dead_fraction_all_cells": "dead_fraction"}
    for figure in figures:
        figure.name = names[figure.name]
    export_figures(figures, out, formats=("png", "svg", "pdf"))
