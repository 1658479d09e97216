"""`python main.py theory`: SCIENCE.md section 3 computed and measured; CSV and figures."""

from __future__ import annotations

import argparse
import json

import numpy as np

from cli.arguments import float_list, int_at_least, int_list, positive_float, writable_dir
from cli.errors import UsageError
from models.atomic_write import write_csv
from models.config import ConfigError
from models.pruning import pruning_config
from models.theory import MAX_GRADIENT_VALUES, check_gradient_size
from models.theory_born_dead import (
    BORN_DEAD_HEADER,
    BORN_DEAD_INITS,
    MAX_BORN_DEAD_DEPTH,
    MAX_BORN_DEAD_TRIALS,
    MAX_BORN_DEAD_WIDTH,
    check_born_dead_size,
)

SECTIONS = ("gradients", "propagation", "born-dead", "pruning", "sigmoid")


def register(subparsers) -> None:
    """Add the `theory` subcommand."""
    parser = subparsers.add_parser(
        "theory", help="theory numbers next to the lab's measurements; CSV and figures",
        description="Compute each formula of SCIENCE.md section 3 and measure it on the lab's "
        "own networks at initialisation: gradient statistics (ReLU sparsity, Leaky ReLU "
        "E[G], Var[G] vs alpha), signal propagation through depth for He, He-leaky, Xavier "
        "and a too-small init, the born-dead probability of deep narrow ReLU nets (exact "
        "Monte Carlo: each 1-D net is piecewise linear, and its breakpoints are tracked "
        "exactly, no grid), pruning of dead units, and the sigmoid's 0.25 derivative bound. "
        "Each section writes a CSV (unit-bearing columns) and its figures as PNG and SVG.")
    parser.add_argument("section", nargs="?", default="all", choices=SECTIONS + ("all",),
                        help="what to compute (default all)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--seed", type=int_at_least("--seed", 0, 2**32 - 1), default=0,
                        help="seed of every random draw (default 0)")
    parser.add_argument("--no-figures", action="store_true", help="write only the CSV files")
    g = parser.add_argument_group("gradients")
    g.add_argument("--alphas", type=float_list("--alphas", positive=False),
                   default=[0.0, 0.01, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0],
                   help="Leaky ReLU slopes, comma list in [0, 1] (default 0,0.01,...,1)")
    g.add_argument("--points", type=int_at_least("--points", 16, MAX_GRADIENT_VALUES // 2),
                   default=4096,
                   help="input points for gradients and propagation (default 4096; "
                        "propagation uses at most 256)")
    p = parser.add_argument_group("propagation")
    p.add_argument("--alpha", type=positive_float("--alpha"), default=0.1,
                   help="Leaky ReLU slope used with he_leaky (default 0.1)")
    p.add_argument("--width", type=int_at_least("--width", 2, 1024), default=256,
                   help="network width for gradients and propagation (default 256)")
    p.add_argument("--depth", type=int_at_least("--depth", 2, 200), default=50,
                   help="hidden layers for propagation (default 50)")
    b = parser.add_argument_group("born-dead")
    b.add_argument("--widths", type=int_list("--widths", 1, MAX_BORN_DEAD_WIDTH),
                   default=[2, 3, 4, 5],
                   help="hidden widths N, comma list (default 2,3,4,5)")
    b.add_argument("--depths", type=int_list("--depths", 1, MAX_BORN_DEAD_DEPTH),
                   default=[1, 2, 4, 6, 9, 12, 16, 20],
                   help="hidden-layer counts, comma list (default 1,2,4,6,9,12,16,20)")
    b.add_argument("--trials", type=int_at_least("--trials", 1, MAX_BORN_DEAD_TRIALS),
                   default=2000,
                   help="networks drawn per (width, depth) (default 2000)")
    b.add_argument("--init", choices=BORN_DEAD_INITS, default="he",
                   help="he: He-normal weights, zero biases (Lu et al.); he-bias: biases "
                        "N(0, 1); rai: randomized asymmetric init (default he)")
    r = parser.add_argument_group("pruning")
    r.add_argument("--prune-width", type=int_at_least("--prune-width", 1, 1024), default=32,
                   help="hidden width of the trained ReLU net (default 32)")
    r.add_argument("--prune-depth", type=int_at_least("--prune-depth", 1, 64), default=3,
                   help="hidden layers of the trained ReLU net (default 3)")
    r.add_argument("--prune-lr", type=positive_float("--prune-lr"), default=3.0,
                   help="learning rate (large rates kill units; default 3)")
    r.add_argument("--prune-steps", type=int_at_least("--prune-steps", 1, 1_000_000),
                   default=300, help="training steps (default 300)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute the chosen sections, write their CSV and figures; return the exit status."""
    for a in args.alphas:
        if not 0.0 <= a <= 1.0:
            raise UsageError(f"--alphas: {a:g} must be between 0 and 1")
    if args.alpha > 1.0:
        raise UsageError(f"--alpha: {args.alpha:g} must be at most 1")
    sections = SECTIONS if args.section == "all" else (args.section,)
    _check_sizes(args, sections)
    out = writable_dir(args.out)
    summary, fills = {}, {}
    for section in sections:
        summary[section] = SECTION_RUNNERS[section](args, out, fills)
    if fills and not args.no_figures:
        from figures.export import export_figures

        export_figures(fills.values(), out, formats=("png", "svg", "pdf"))
    print(json.dumps(summary, indent=2))
    return 0


def _check_sizes(args: argparse.Namespace, sections) -> None:
    """Refuse, before any work, what the chosen sections would not finish or fit."""
    if "gradients" in sections:
        try:
            check_gradient_size(args.width, args.points)
        except ValueError as exc:
            raise UsageError(f"--points: {str(exc).partition(':')[2].strip()}") from None
    if "born-dead" in sections:
        try:
            check_born_dead_size(args.widths, args.depths, args.trials)
        except ValueError as exc:
            field, _, problem = str(exc).partition(":")
            raise UsageError(f"--{field}: {problem.strip()}") from None
    if "pruning" in sections:
        try:
            pruning_config(args.prune_width, args.prune_depth, args.prune_lr,
                           args.prune_steps, seed=args.seed)
        except ConfigError as exc:
            field, _, problem = str(exc).partition(":")
            option = {"width": "--prune-width", "depth": "--prune-depth", "lrs": "--prune-lr",
                      "steps": "--prune-steps", "seed": "--seed",
                      "width x depth": "--prune-width x --prune-depth"}.get(field, field)
            raise UsageError(f"{option}: {problem.strip()}") from None


def _gradients(args, out, fills) -> dict:
    from figures import theory_figures as figs
    from models.theory import leaky_moments_sweep

    stats = leaky_moments_sweep(args.alphas, args.width, args.points, args.seed)
    header = ["alpha", "samples", "sparsity_measured", "sparsity_predicted", "mean_g_measured",
              "mean_g_predicted", "second_g_measured", "second_g_predicted", "var_g_measured",
              "var_g_predicted"]
    rows = [[s.alpha, s.samples, s.sparsity, s.predicted["sparsity"], s.mean,
             s.predicted["mean"], s.second, s.predicted["second"], s.var, s.predicted["var"]]
            for s in stats]
    write_csv(out / "gradients.csv", header, rows)
    fills["gradients"] = figs.gradients_figure(stats)
    worst = max(max(abs(s.mean / s.predicted["mean"] - 1), abs(s.var / s.predicted["var"] - 1)
                    if s.predicted["var"] > 0 else 0.0) for s in stats)
    return {"csv": "gradients.csv", "alphas": len(stats),
            "largest_relative_error_mean_or_var": worst}


def _propagation(args, out, fills) -> dict:
    from figures import theory_figures as figs
    from models.theory import propagation_study

    studies = propagation_study(args.alpha, args.width, args.depth, min(args.points, 256),
                                args.seed)
    header = ["init", "activation", "alpha", "width", "layer", "mean_sq_activation_measured",
              "mean_sq_activation_predicted", "mean_sq_gradient_measured",
              "mean_sq_gradient_predicted", "factor_predicted_per_layer",
              "factor_measured_forward", "factor_measured_backward"]
    rows = []
    for s in studies:
        pf, pb = s.predicted_forward(), s.predicted_backward()
        for layer in range(s.depth):
            rows.append([s.init, s.activation, s.alpha, s.width, layer + 1, s.forward[layer],
                         pf[layer], s.backward[layer], pb[layer], s.factor,
                         s.measured_forward, s.measured_backward])
    write_csv(out / "propagation.csv", header, rows)
    fills["propagation_forward"] = figs.propagation_figure(studies)
    fills["propagation_backward"] = figs.propagation_figure(studies, backward=True)
    return {"csv": "propagation.csv",
            "factors": {s.init: {"predicted": s.factor, "forward": s.measured_forward,
                                 "backward": s.measured_backward} for s in studies}}


def _born_dead(args, out, fills) -> dict:
    from figures import theory_figures as figs
    from models.theory_born_dead import born_dead_study

    rows = born_dead_study(args.widths, args.depths, args.trials, args.init, args.seed)
    write_csv(out / "born_dead.csv", list(BORN_DEAD_HEADER),
              [[r.width, r.depth, r.init, r.trials, r.p_born_dead, r.p_single_point_bound]
               for r in rows])
    fills["born_dead"] = figs.born_dead_figure(rows)
    return {"csv": "born_dead.csv", "cells": len(rows), "init": args.init,
            "below_bound": all(r.p_born_dead <= r.p_single_point_bound for r in rows)}


def _pruning(args, out, fills) -> dict:
    from figures import theory_figures as figs
    from models.pruning import pruning_demo

    net, x, result, diff = pruning_demo(args.prune_width, args.prune_depth, args.prune_lr,
                                        args.prune_steps, seed=args.seed)
    before = net.forward(x).copy()[:, 0]
    after = result.forward(x)[:, 0]
    header = ["layer", "units_before", "units_after", "dead_units_removed", "params_before",
              "params_after", "max_abs_output_difference"]
    rows = [[i, b, a, b - a, result.params_before, result.params_after, diff]
            for i, (b, a) in enumerate(zip(result.widths_before, result.widths_after), 1)]
    write_csv(out / "pruning.csv", header, rows)
    fills["pruning_units"] = figs.pruning_units_figure(result, diff)
    fills["pruning_outputs"] = figs.pruning_outputs_figure(before, after)
    return {"csv": "pruning.csv", "units_removed": result.removed_units,
            "params_before": result.params_before, "params_after": result.params_after,
            "max_abs_output_difference": diff}


def _sigmoid(args, out, fills) -> dict:
    from figures import theory_figures as figs
    from models.theory import sigmoid_study

    study = sigmoid_study(seed=args.seed)
    layers = np.arange(1, study.depth + 1)
    write_csv(out / "sigmoid.csv", ["layer", "grad_rms_measured", "grad_rms_bound_spectral"],
              np.column_stack([layers, study.grad_rms, study.bound]))
    fills["sigmoid"] = figs.sigmoid_figure(study)
    return {"csv": "sigmoid.csv", "max_sigmoid_derivative": study.max_derivative,
            "orthogonal_per_layer_ratio": study.orthogonal_ratio}


SECTION_RUNNERS = {"gradients": _gradients, "propagation": _propagation,
                   "born-dead": _born_dead, "pruning": _pruning, "sigmoid": _sigmoid}
