"""`python main.py theory`: SCIENCE.md section 3 computed and measured; CSV and figures."""

from __future__ import annotations

import argparse
import json

from cli.arguments import add_output_folder
from cli.errors import UsageError
from cli.field_options import add_field_options, field_changes
from models.atomic_write import write_csv
from models.fields import FieldError
from models.theory import (
    VERDICT_HEADER,
    SettingError,
    check_settings,
    compute_section,
    section_verdicts,
)
from models.theory.born_dead import BORN_DEAD_HEADER
from models.theory.settings import FIELDS, theory_settings

SECTIONS = ("gradients", "propagation", "born-dead", "pruning", "sigmoid", "lipschitz")
# command-line section -> model section
MODEL_SECTION = {name: name.replace("-", "_") for name in SECTIONS}


def register(subparsers) -> None:
    """Add the `theory` subcommand."""
    parser = subparsers.add_parser(
        "theory", help="theory numbers next to the lab's measurements; CSV and figures",
        description="Compute each formula of SCIENCE.md section 3 and measure it on the lab's "
        "own networks at initialisation: gradient statistics (ReLU sparsity, Leaky ReLU "
        "E[G], Var[G] vs alpha), signal propagation through depth for He, He-leaky, Xavier "
        "and a too-small init, the born-dead probability of deep narrow ReLU nets (exact "
        "Monte Carlo: each 1-D net is piecewise linear, and its breakpoints are tracked "
        "exactly, no grid), pruning of dead units, the sigmoid's 0.25 derivative bound and "
        "Leaky ReLU's Lipschitz constant. Each section writes a CSV (unit-bearing columns; "
        "every theory quantity is dimensionless) and its figures as PNG and SVG; "
        "verdicts.csv holds every predicted-vs-measured verdict with its tolerance.")
    parser.add_argument("section", nargs="?", default="all", choices=SECTIONS + ("all",),
                        help="what to compute (default all)")
    add_output_folder(parser)
    parser.add_argument("--no-figures", action="store_true", help="write only the CSV files")
    groups = {"gradients": ("seed", "alphas", "points"),
              "propagation": ("alpha", "width", "depth", "seeds"),
              "born-dead": ("bd_widths", "bd_depths", "trials", "bd_init"),
              "pruning": ("prune_width", "prune_depth", "prune_lr", "prune_steps")}
    for title, names in groups.items():
        add_field_options(parser.add_argument_group(title), FIELDS, names)
    parser.set_defaults(func=run)


def settings_from_args(args: argparse.Namespace) -> dict:
    """Return the model-layer theory settings (`models.theory.settings` names), validated.

    Raises
    ------
    UsageError
        Naming the option of a setting that is not allowed.
    """
    try:
        return theory_settings(field_changes(args, FIELDS))
    except FieldError as exc:
        raise usage_error(exc) from None


def usage_error(exc: FieldError) -> UsageError:
    """Return the one-line usage error naming the option(s) behind a refusal."""
    names = exc.fields if isinstance(exc, SettingError) else (exc.field,)
    options = ", ".join(FIELDS[f].flag if f in FIELDS else f for f in names)
    return UsageError(f"{options}: {exc.problem}")


def write_sections(args: argparse.Namespace, settings: dict, sections, out) -> tuple[dict, dict]:
    """Compute `sections`, write each one's CSV and ``verdicts.csv`` into `out`.

    Returns
    -------
    (dict, dict)
        The JSON summary per section, and the figures (`figures.Figure`) by name.

    Raises
    ------
    UsageError
        A setting that turns out not to work (``--prune-lr`` when training diverges).
    """
    summary, fills, verdicts = {}, {}, []
    for section in sections:
        name = MODEL_SECTION[section]
        try:
            result = compute_section(name, settings)
        except SettingError as exc:
            raise usage_error(exc) from None
        found = section_verdicts(name, result)
        verdicts.extend(found)
        summary[section] = SECTION_WRITERS[section](args, result, out, fills)
        summary[section]["verdicts_agree"] = all(v.agrees for v in found)
    write_csv(out / "verdicts.csv", list(VERDICT_HEADER),
              [[*v.row()[:7], "true" if v.agrees else "false", v.reason] for v in verdicts])
    return summary, fills


def run(args: argparse.Namespace) -> int:
    """Compute the chosen sections, write their CSV and figures; return the exit status."""
    sections = SECTIONS if args.section == "all" else (args.section,)
    settings = settings_from_args(args)
    try:  # refuse, before any work, what the chosen sections would not finish or fit
        check_settings(settings, [MODEL_SECTION[s] for s in sections])
    except SettingError as exc:
        raise usage_error(exc) from None
    from models.safe_io import check_output_folder, output_folder

    check_output_folder(args.out, args.overwrite, "--out")
    with output_folder(args.out, args.overwrite, "--out") as out:  # written as a whole
        summary, fills = write_sections(args, settings, sections, out)
        if fills and not args.no_figures:
            from figures.export import export_figures

            export_figures(fills.values(), out, formats=("png", "svg", "pdf"))
    print(json.dumps(summary, indent=2))
    return 0


def _gradients(args, stats, out, fills) -> dict:
    from figures import theory_figures as figs

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


PROPAGATION_HEADER = [
    "init", "activation", "alpha", "width", "layer", "mean_sq_activation_measured",
    "mean_sq_activation_predicted", "mean_sq_gradient_measured", "mean_sq_gradient_predicted",
    "factor_predicted_per_layer", "factor_measured_forward", "factor_measured_backward",
    "seeds", "mean_sq_activation_p10", "mean_sq_activation_p90", "mean_sq_gradient_p10",
    "mean_sq_gradient_p90", "factor_tolerance_forward", "factor_tolerance_backward"]


def _propagation(args, studies, out, fills) -> dict:
    """propagation.csv: every column dimensionless; measured = mean over the seeds' networks."""
    from figures import theory_figures as figs

    rows = []
    for s in studies:
        pf, pb = s.predicted_forward(), s.predicted_backward()
        (f_lo, f_hi), (b_lo, b_hi) = s.band(), s.band(backward=True)
        forward, backward = s.forward, s.backward
        for layer in range(s.depth):
            rows.append([s.init, s.activation, s.alpha, s.width, layer + 1, forward[layer],
                         pf[layer], backward[layer], pb[layer], s.factor,
                         s.measured_forward, s.measured_backward, s.seeds, f_lo[layer],
                         f_hi[layer], b_lo[layer], b_hi[layer], s.tolerance * s.factor,
                         s.tolerance_backward * s.factor])
    write_csv(out / "propagation.csv", PROPAGATION_HEADER, rows)
    fills["propagation_forward"] = figs.propagation_figure(studies)
    fills["propagation_backward"] = figs.propagation_figure(studies, backward=True)
    return {"csv": "propagation.csv", "seeds": studies[0].seeds if studies else 0,
            "factors": {s.init: {"predicted": s.factor, "forward": s.measured_forward,
                                 "backward": s.measured_backward,
                                 "tolerance_forward": s.tolerance * s.factor,
                                 "tolerance_backward": s.tolerance_backward * s.factor}
                        for s in studies}}


def _born_dead(args, rows, out, fills) -> dict:
    from figures import theory_figures as figs

    write_csv(out / "born_dead.csv", list(BORN_DEAD_HEADER),
              [[r.width, r.depth, r.init, r.trials, r.p_born_dead, r.p_single_point_bound]
               for r in rows])
    fills["born_dead"] = figs.born_dead_figure(rows)
    return {"csv": "born_dead.csv", "cells": len(rows),
            "init": rows[0].init if rows else None,
            "below_bound": all(r.p_born_dead <= r.p_single_point_bound for r in rows)}


def _pruning(args, outcome, out, fills) -> dict:
    """pruning.csv: one row per hidden layer, numbered from 1 (nearest the input)."""
    from figures import theory_figures as figs

    result, diff = outcome["result"], outcome["diff"]
    header = ["layer", "units_before", "units_after", "dead_units_removed", "params_before",
              "params_after", "max_abs_output_difference"]
    rows = [[i, b, a, b - a, result.params_before, result.params_after, diff]
            for i, (b, a) in enumerate(zip(result.widths_before, result.widths_after), 1)]
    write_csv(out / "pruning.csv", header, rows)
    fills["pruning_units"] = figs.pruning_units_figure(result, diff)
    fills["pruning_outputs"] = figs.pruning_outputs_figure(outcome["before"], outcome["after"])
    return {"csv": "pruning.csv", "units_removed": result.removed_units,
            "params_before": result.params_before, "params_after": result.params_after,
            "max_abs_output_difference": diff}


def _sigmoid(args, study, out, fills) -> dict:
    from figures import theory_figures as figs

    write_csv(out / "sigmoid.csv", ["layer", "grad_rms_measured", "grad_rms_bound_spectral"],
              [[layer, rms, bound] for layer, rms, bound
               in zip(range(1, study.depth + 1), study.grad_rms, study.bound)])
    fills["sigmoid"] = figs.sigmoid_figure(study)
    return {"csv": "sigmoid.csv", "max_sigmoid_derivative": study.max_derivative,
            "orthogonal_per_layer_ratio": study.orthogonal_ratio}


def _lipschitz(args, ratios, out, fills) -> dict:
    write_csv(out / "lipschitz.csv", ["alpha", "lipschitz_ratio_max_measured",
                                      "lipschitz_bound"],
              [[a, ratio, 1.0] for a, ratio in ratios.items()])
    return {"csv": "lipschitz.csv", "largest_ratio": max(ratios.values())}


SECTION_WRITERS = {"gradients": _gradients, "propagation": _propagation,
                   "born-dead": _born_dead, "pruning": _pruning, "sigmoid": _sigmoid,
                   "lipschitz": _lipschitz}
