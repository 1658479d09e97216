"""Sweep figures: final dead fraction and loss heatmaps (activation x lr), dead fraction vs lr."""

from __future__ import annotations

import numpy as np

from figures.names import (
    ACTIVITY_CMAP,
    DASHES,
    DIVERGED_COLOR,
    MARKERS,
    color,
    format_lr,
    pretty_activation,
    pretty_init,
)
from figures.spec import Axis, ErrorBars, Figure, Image, Line, Panel, Table


def panel_title(summary) -> str:
    """Return a sweep panel's name: ``He init, depth 3, width 32``."""
    return f"{pretty_init(summary.init)} init, depth {summary.depth}, width {summary.width}"


def heatmap_table(summaries: list, metric: str) -> Table:
    """Return one row per (panel, activation, lr) with the mean, spread and counts."""
    header = ["init", "depth", "width", "activation", "lr", f"{metric}_mean",
              f"{metric}_std_over_seeds", f"{metric}_min", f"{metric}_max", "seeds_ok",
              "seeds_failed", "seeds_diverged"]
    rows = []
    for s in summaries:
        for i, act in enumerate(s.activations):
            for j, lr in enumerate(s.lrs):
                rows.append([s.init, s.depth, s.width, act, float(lr), s.mean[metric][i, j],
                             s.std[metric][i, j], s.low[metric][i, j], s.high[metric][i, j],
                             int(s.count[i, j]), int(s.failed[i, j]), int(s.diverged[i, j])])
    return Table(header, rows)


def heatmap_figure(summaries: list, metric: str) -> Figure:
    """Return the mean `metric` over seeds as activation x learning-rate heatmaps.

    Parameters
    ----------
    summaries : list of models.sweep.summary.SweepSummary
        One panel each.
    metric : {"dead_fraction", "final_loss"}
        What to colour: dead fraction on 0..1, loss on a log10 scale.
    """
    dead = metric == "dead_fraction"
    panels = []
    finite = np.concatenate([s.mean[metric][np.isfinite(s.mean[metric])
                                            & (s.mean[metric] > 0)] for s in summaries]
                            or [np.zeros(0)])
    if dead:
        levels = (0.0, 1.0)
    elif finite.size:
        levels = (float(np.log10(finite.min())), float(np.log10(finite.max())) + 1e-9)
    else:
        levels = (-1.0, 0.0)
    for s in summaries:
        mean = s.mean[metric]
        shown = mean if dead else np.log10(np.where(mean > 0, mean, np.nan))
        texts = []
        for i in range(mean.shape[0]):
            for j in range(mean.shape[1]):
                if s.count[i, j] == 0:
                    text = "failed" if s.failed[i, j] else ""
                elif not np.isfinite(mean[i, j]):
                    text = "diverged"
                else:
                    text = f"{mean[i, j]:.2f}" if dead else f"{mean[i, j]:.3g}"
                if text:
                    texts.append((j + 0.5, i + 0.5, text))
        n_act, n_lr = mean.shape
        bar = "mean final dead fraction of hidden units" if dead else \
            "log10 of the mean final loss (nats)"
        image = Image(metric, shown, (0.0, float(n_lr), 0.0, float(n_act)), cmap=ACTIVITY_CMAP,
                      levels=levels, colorbar=bar, nan_color=DIVERGED_COLOR,
                      nan_label="diverged or failed in every seed", cell_text=texts)
        panels.append(Panel(
            panel_title(s) if len(summaries) > 1 else "",
            Axis("learning rate", ticks=[(j + 0.5, format_lr(lr)) for j, lr in enumerate(s.lrs)],
                 limits=(0.0, float(n_lr))),
            Axis("activation", ticks=[(i + 0.5, pretty_activation(a))
                                      for i, a in enumerate(s.activations)],
                 limits=(0.0, float(n_act)), inverted=True),
            [image], legend=False))
    seeds = int(max((s.count.max() + s.failed.max() for s in summaries), default=0))
    what = "dead fraction" if dead else "loss"
    title = f"Final {what}, mean over {seeds} seeds"
    if len(summaries) == 1:
        title += f" ({panel_title(summaries[0])})"
    name = "sweep_dead_fraction_heatmap" if dead else "sweep_final_loss_heatmap"
    return Figure(name, title, panels, heatmap_table(summaries, metric), rows=1,
                  cols=len(panels), aspect=0.55 if len(panels) == 1 else 0.45,
                  colorbar_shared=True)


def dead_vs_lr_figure(summaries: list) -> Figure:
    """Return the mean final dead fraction against learning rate per activation, ±1 std."""
    series = []
    activations = list(dict.fromkeys(a for s in summaries for a in s.activations))
    lrs = sorted({float(lr) for s in summaries for lr in s.lrs})
    for p, s in enumerate(summaries):
        for i, act in enumerate(s.activations):
            y = np.asarray(s.mean["dead_fraction"][i], float)
            err = np.nan_to_num(np.asarray(s.std["dead_fraction"][i], float))
            x = np.asarray(s.lrs, float)
            name = pretty_activation(act) if len(summaries) == 1 else \
                f"{pretty_activation(act)} ({panel_title(s)})"
            c = color(activations.index(act))
            key = f"{s.init}_{s.depth}_{s.width}_{act}"
            series.append(ErrorBars(f"{key}_std", x, y, err, err, c))
            series.append(Line(key, x, y, name, c, style=DASHES[p % len(DASHES)],
                               marker=MARKERS[p % len(MARKERS)]))
    panel = Panel("", Axis("learning rate", scale="log",
                           ticks=[(lr, format_lr(lr)) for lr in lrs]),
                  Axis("final dead fraction of hidden units", limits=(-0.03, 1.05)), series,
                  legend_columns=2 if len(series) > 8 else 1)
    return Figure("sweep_dead_fraction_vs_lr",
                  "Final dead fraction against learning rate (mean ± std over seeds)",
                  [panel], heatmap_table(summaries, "dead_fraction"))
