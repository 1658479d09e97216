"""Theory figures: each formula of SCIENCE.md section 3 beside the lab's measurement of it."""

from __future__ import annotations

import numpy as np

from figures.names import color, pretty_init
from figures.spec import Axis, Band, Bars, ErrorBars, Figure, Line, Note, Panel, Points, Table


def gradients_figure(stats: list) -> Figure:
    """Return measured and predicted E[G], Var[G] and P(G = 0) of the derivative vs alpha.

    Parameters
    ----------
    stats : list of models.theory.GradientStats
        One per alpha.
    """
    alpha = np.array([s.alpha for s in stats], float)
    fine = np.linspace(0.0, max(alpha.max(), 1e-3), 200)
    series = [
        Line("mean_formula", fine, (1 + fine) / 2, "E[G] = (1+α)/2", color(0)),
        Points("mean", alpha, np.array([s.mean for s in stats]), "E[G] measured", color(0)),
        Line("var_formula", fine, (1 - fine) ** 2 / 4, "Var[G] = (1−α)²/4", color(1)),
        Points("var", alpha, np.array([s.var for s in stats]), "Var[G] measured", color(1),
               marker="s"),
        Points("sparsity", alpha, np.array([s.sparsity for s in stats]),
               "P(G = 0) measured (1/2 at α = 0)", color(2), marker="^"),
    ]
    panel = Panel("", Axis("Leaky ReLU slope α"), Axis("statistic of the derivative G"),
                  series, legend_columns=1)
    header = ["alpha", "samples", "sparsity_measured", "sparsity_predicted",
              "mean_g_measured", "mean_g_predicted", "second_g_measured",
              "second_g_predicted", "var_g_measured", "var_g_predicted"]
    rows = [[s.alpha, s.samples, s.sparsity, s.predicted["sparsity"], s.mean,
             s.predicted["mean"], s.second, s.predicted["second"], s.var, s.predicted["var"]]
            for s in stats]
    return Figure("gradients", "Derivative G at initialisation: measured (markers) and "
                  "formula (lines)", [panel], Table(header, rows))


def propagation_figure(studies: list, backward: bool = False) -> Figure:
    """Return the mean squared pre-activation (or gradient) per layer for each init.

    Parameters
    ----------
    studies : list of models.theory.Propagation
        One per init.
    backward : bool
        The backward pass (gradients) instead of the forward one.
    """
    what = "gradient dL/da" if backward else "pre-activation a"
    series, rows = [], []
    for i, s in enumerate(studies):
        layers = np.arange(1, s.depth + 1, dtype=float)
        measured = np.asarray(s.backward if backward else s.forward, float)
        predicted = np.asarray(s.predicted_backward() if backward else s.predicted_forward(),
                               float)
        factor = s.measured_backward if backward else s.measured_forward
        name = pretty_init(s.init) + ("" if s.alpha == 0 else f" (α {s.alpha:g})")
        low = high = None
        if hasattr(s, "band") and getattr(s, "seeds", 1) > 1:  # the ensemble's 10-90% band
            low, high = (np.asarray(v, float) for v in s.band(backward=backward))
            series.append(Band(f"{s.init}_band", layers, np.where(low > 0, low, np.nan),
                               np.where(high > 0, high, np.nan), color(i), alpha=0.2))
        series.append(Line(f"{s.init}_measured", layers, np.where(measured > 0, measured,
                                                                  np.nan),
                           f"{name}: measured, ×{factor:.3f}/layer", color(i), marker="o",
                           width=1.2))
        series.append(Line(f"{s.init}_predicted", layers, np.where(predicted > 0, predicted,
                                                                   np.nan),
                           f"{name}: c(1+α²)/2 = {s.factor:.3f}", color(i), style="dashed"))
        for k, (layer, m, p) in enumerate(zip(layers, measured, predicted)):
            band = [float(low[k]), float(high[k])] if low is not None else [m, m]
            rows.append([s.init, s.activation, s.alpha, s.width, int(layer), float(m),
                         float(p), s.factor, factor, *band, getattr(s, "seeds", 1)])
    kind = "gradient" if backward else "activation"
    header = ["init", "activation", "alpha", "width", "layer", f"mean_sq_{kind}_measured",
              f"mean_sq_{kind}_predicted", "factor_predicted_per_layer",
              "factor_measured_per_layer", f"mean_sq_{kind}_p10", f"mean_sq_{kind}_p90",
              "seeds"]
    depth = max((s.depth for s in studies), default=1)
    panel = Panel("", Axis("hidden layer (1 = nearest the input)", limits=(0.5, depth + 0.5),
                           integer=True),
                  Axis(f"mean squared {what}", scale="log"), series, legend_columns=2)
    name = "propagation_backward" if backward else "propagation_forward"
    seeds = max((getattr(s, "seeds", 1) for s in studies), default=1)
    title = (f"{'Backward' if backward else 'Forward'} pass: mean squared {what} through "
             f"depth, measured (markers: mean of {seeds} networks, band 10-90%) and "
             "predicted (dashed)")
    return Figure(name, title, [panel], Table(header, rows), aspect=0.75)


def born_dead_figure(rows: list) -> Figure:
    """Return the born-dead probability vs depth per width, ±2 s.e., with the bound.

    Parameters
    ----------
    rows : list of models.theory.born_dead.BornDeadRow
        The Monte Carlo results.
    """
    from models.theory.born_dead import single_point_bound

    series = []
    widths = sorted({r.width for r in rows})
    for i, w in enumerate(widths):
        mine = sorted((r for r in rows if r.width == w), key=lambda r: r.depth)
        d = np.array([r.depth for r in mine], float)
        p = np.array([r.p_born_dead for r in mine], float)
        err = np.array([2 * r.stderr for r in mine], float)
        fine = np.arange(1, max(d.max(), 1) + 1, dtype=float)
        series += [Line(f"bound{w}", fine, single_point_bound(w, fine), f"N = {w}: bound",
                        color(i), style="dashed", width=1.0),
                   ErrorBars(f"err{w}", d, p, err, err, color(i)),
                   Line(f"mc{w}", d, p, f"N = {w}: Monte Carlo", color(i), marker="o")]
    inits = ", ".join(sorted({pretty_init(r.init) for r in rows}))
    panel = Panel("", Axis("hidden layers (depth)", integer=True),
                  Axis("probability born dead", limits=(-0.02, 1.04)), series,
                  legend_columns=2)
    header = ["width", "depth", "init", "trials", "p_born_dead", "p_single_point_bound",
              "p_born_dead_stderr"]
    table = [[r.width, r.depth, r.init, r.trials, r.p_born_dead, r.p_single_point_bound,
              r.stderr] for r in rows]
    return Figure("born_dead", f"Born dead ({inits} init): Monte Carlo ±2 s.e. against the "
                  "bound 1 − (1 − 2^−N)^depth", [panel], Table(header, table), aspect=0.7)


def pruning_units_figure(result, max_diff: float) -> Figure:
    """Return hidden units per layer before and after removing the dead ones."""
    layers = np.arange(1, len(result.widths_before) + 1, dtype=float)
    before = np.array(result.widths_before, float)
    after = np.array(result.widths_after, float)
    panel = Panel("", Axis("hidden layer (1 = nearest the input)",
                           ticks=[(v, str(int(v))) for v in layers]),
                  Axis("units", limits=(0.0, 1.3 * max(before.max(initial=1.0), 1.0))),
                  [Bars("before", layers - 0.18, before, 0.34, color(0), "before"),
                   Bars("after", layers + 0.18, after, 0.34, color(2),
                        "after (dead units removed)")])
    panel.notes.append(Note("summary", f"{result.params_before} → {result.params_after} "
                            f"parameters (−{100 * result.saved_fraction:.0f}%); largest "
                            f"output change {max_diff:.1e}"))
    header = ["layer", "units_before", "units_after", "dead_units_removed"]
    rows = [[int(i), int(b), int(a), int(b - a)] for i, b, a in zip(layers, before, after)]
    return Figure("pruning_units", "Pruning dead units: the network shrinks",
                  [panel], Table(header, rows))


def pruning_outputs_figure(before: np.ndarray, after: np.ndarray) -> Figure:
    """Return the pruned network's output against the original's on every data point."""
    before, after = np.ravel(before).astype(float), np.ravel(after).astype(float)
    diff = float(np.max(np.abs(before - after))) if before.size else 0.0
    lo, hi = (float(before.min()), float(before.max())) if before.size else (0.0, 1.0)
    panel = Panel("", Axis("original network output", "logit"),
                  Axis("pruned network output", "logit"),
                  [Line("identity", np.array([lo, hi]), np.array([lo, hi]), "y = x",
                        color(1), style="dashed"),
                   Points("points", before, after, "data points", color(0), size=3.0)])
    return Figure("pruning_outputs", f"Pruned against original output on the data "
                  f"(largest |difference| {diff:.1e})", [panel],
                  Table(["output_original_logit", "output_pruned_logit", "difference"],
                        np.column_stack([before, after, after - before])), aspect=0.8)


def sigmoid_figure(study) -> Figure:
    """Return a sigmoid net's rms gradient per layer with the 0.25-derivative bounds."""
    layers = np.arange(1, study.depth + 1, dtype=float)
    quarter = study.grad_rms[-1] * 0.25 ** (study.depth - layers)
    panel = Panel("", Axis("hidden layer (1 = nearest the input)", integer=True),
                  Axis("rms gradient dL/da", scale="log"),
                  [Line("measured", layers, study.grad_rms, "measured (Xavier weights)",
                        color(0), marker="o"),
                   Line("bound", layers, study.bound, "bound: 0.25 × ‖W‖₂ per layer",
                        color(1), style="dashed"),
                   Line("quarter", layers, quarter, "0.25 per layer (norm-1 weights)",
                        color(2), style="dotted")])
    header = ["layer", "grad_rms_measured", "grad_rms_bound_spectral",
              "grad_rms_quarter_per_layer"]
    return Figure("sigmoid", f"Sigmoid: max σ′ = {study.max_derivative:.4f} ≤ 1/4, so "
                  "gradients shrink toward the input", [panel],
                  Table(header, np.column_stack([layers, study.grad_rms, study.bound,
                                                 quarter])))
