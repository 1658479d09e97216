"""Sweep plots: heatmaps (activation x learning rate) per panel and dead fraction vs lr curves."""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.stepped_drawing import stepped
from gui.theory.plots import color

DIVERGED_RGBA = (128, 128, 128, 255)


@functools.cache
def _cmap() -> pg.ColorMap:
    return pg.colormap.get("viridis")  # read from a file: once, not on every draw


def heatmap_rgba(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Map `values` to RGBA with viridis over ``[low, high]``; NaN cells grey.

    Parameters
    ----------
    values : numpy.ndarray
        (rows, cols) numbers.
    low, high : float
        Colour range.

    Returns
    -------
    numpy.ndarray
        (rows, cols, 4) uint8.
    """
    values = np.asarray(values, float)
    span = high - low if high > low else 1.0
    scaled = np.clip((np.nan_to_num(values, nan=low) - low) / span, 0, 1)
    rgba = _cmap().map(scaled.ravel(), mode="byte").reshape(values.shape + (4,))
    rgba[~np.isfinite(values)] = DIVERGED_RGBA
    return rgba


LABELS_PER_STEP = 8  # heatmap value labels set per event-loop turn


def clear_heatmap(plot: pg.PlotItem, title: str) -> None:
    """Show `plot` empty under `title`, keeping its image and labels for the next draw.

    Its axes lose their ticks too: activations and learning rates are categories, and
    numbers on an empty axis would name neither.
    """
    plot.setTitle(title)
    for side in ("left", "bottom"):
        plot.getAxis(side).setTicks([[]])
    cache = getattr(plot, "_heatmap_items", None)
    if cache is not None:
        cache["image"].setVisible(False)
        for label in cache["labels"]:
            label.setVisible(False)


def clear_dead_vs_lr(plot: pg.PlotItem) -> None:
    """Show the dead-vs-lr plot empty: no curve, legend or rate tick (items kept for reuse)."""
    plot.setTitle("Final dead fraction vs learning rate (no results yet)")
    plot.getAxis("bottom").setTicks([[]])
    for curve, bars in getattr(plot, "_dead_vs_lr", []):
        curve.setData(np.zeros(0), np.zeros(0))
        bars.setData(x=np.zeros(0), y=np.zeros(0), height=np.zeros(0))
    if plot.legend is not None:
        plot.legend.clear()


def _heatmap_items(plot: pg.PlotItem) -> dict:
    """The ImageItem and value labels `plot` keeps across draws (made on the first)."""
    cache = getattr(plot, "_heatmap_items", None)
    if cache is None:
        image = pg.ImageItem(axisOrder="row-major")
        plot.addItem(image)
        plot.invertY(True)
        plot.setMouseEnabled(False, False)
        cache = plot._heatmap_items = {"image": image, "labels": []}
    return cache


def _cell_text(summary, metric: str, value: float, i: int, j: int) -> str:
    if summary.count[i, j] == 0:
        return "failed" if summary.failed[i, j] else ""
    if not np.isfinite(value):
        return "diverged"
    return f"{value:.2f}" if metric == "dead_fraction" else f"{value:.3g}"


def draw_heatmap_steps(plot: pg.PlotItem, summary, metric: str, title: str, log: bool = False,
                       levels: tuple[float, float] | None = None):
    """Draw one panel's mean `metric` as an activation x learning-rate heatmap with values.

    A generator yielding between groups of `LABELS_PER_STEP` labels (see
    `gui.stepped_drawing`); the plot's image and labels are reused, updated in place.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    summary : models.sweep.summary.SweepSummary
        The panel.
    metric : str
        ``dead_fraction`` or ``final_loss``.
    title : str
        Plot title.
    log : bool
        Colour by log10 of the value.
    levels : tuple of float, optional
        Colour range (of the log10 when `log`); default the data's range.
    """
    cache = _heatmap_items(plot)
    plot.setTitle(title)
    plot.setLabel("bottom", "learning rate (1)")
    plot.setLabel("left", "activation")
    theme.fit_plot_text(plot)
    mean = summary.mean[metric]
    shown = np.log10(np.where(mean > 0, mean, np.nan)) if log else mean
    finite = shown[np.isfinite(shown)]
    if levels is None:
        levels = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    image = cache["image"]
    image.setImage(heatmap_rgba(shown, *levels))
    image.setVisible(True)
    plot.getAxis("bottom").setTicks([[(j + 0.5, f"{lr:g}") for j, lr in enumerate(summary.lrs)]])
    plot.getAxis("left").setTicks([[(i + 0.5, a) for i, a in enumerate(summary.activations)]])
    plot.setXRange(0, mean.shape[1], padding=0)
    plot.setYRange(0, mean.shape[0], padding=0)
    labels = cache["labels"]
    k = 0
    for i in range(mean.shape[0]):
        for j in range(mean.shape[1]):
            text = _cell_text(summary, metric, mean[i, j], i, j)
            if not text:
                continue
            if k % LABELS_PER_STEP == 0:
                yield
            bright = np.isfinite(shown[i, j]) and \
                (shown[i, j] - levels[0]) / max(levels[1] - levels[0], 1e-12) > 0.6
            if k == len(labels):
                labels.append(pg.TextItem(anchor=(0.5, 0.5)))
                plot.addItem(labels[k])
            label = labels[k]
            label.setText(text, color="k" if bright else "w")
            label.setPos(j + 0.5, i + 0.5)
            label.setVisible(True)
            k += 1
    for label in labels[k:]:
        label.setVisible(False)


draw_heatmap = stepped(draw_heatmap_steps)


def hover_text(summary, metric: str, row: int, col: int) -> str:
    """Return the spread over seeds of one heatmap cell, for the hover readout."""
    act, lr = summary.activations[row], summary.lrs[col]
    name = "dead fraction" if metric == "dead_fraction" else "final loss"
    n, mean = summary.count[row, col], summary.mean[metric][row, col]
    head = f"{act} @ lr {lr:g} ({summary.title}): "
    if n == 0:
        return head + f"no finished run ({summary.failed[row, col]} failed)"
    if not np.isfinite(mean):
        return head + f"{name}: diverged in all {n} seeds"
    return (head + f"{name} {mean:.3g} ± {summary.std[metric][row, col]:.2g} (std over "
            f"{n} seeds; min {summary.low[metric][row, col]:.3g}, max "
            f"{summary.high[metric][row, col]:.3g}; {summary.diverged[row, col]} diverged)")


def heatmap_table(summaries: list, metric: str) -> tuple[list[str], list]:
    """Return the table behind a heatmap figure: one row per (panel, activation, lr)."""
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
    return header, rows


def draw_dead_vs_lr_steps(plot: pg.PlotItem, summaries: list):
    """Draw mean final dead fraction against learning rate per activation, +-1 std error bars.

    A generator yielding after each curve (see `gui.stepped_drawing`); curves and error bars
    of an earlier draw are reused, their data set in place.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw (x is log10 of the learning rate, ticks labelled with the rates).
    summaries : list of models.sweep.summary.SweepSummary
        Panels; each activation of each panel is one curve.

    Returns
    -------
    tuple
        Header and rows (the heatmap table of ``dead_fraction``).
    """
    plot.setTitle("Final dead fraction vs learning rate (mean ± std over seeds)")
    plot.setLabel("bottom", "learning rate (1, log scale)")
    plot.setLabel("left", "dead fraction")
    theme.fit_plot_text(plot)
    plot.setLogMode(x=False, y=False)
    plot.showGrid(x=True, y=True, alpha=0.2)
    if plot.legend is None:
        plot.addLegend(offset=(10, 10))
    curves = getattr(plot, "_dead_vs_lr", None)
    if curves is None:
        curves = plot._dead_vs_lr = []  # (curve, error bars) kept across draws
    styles = [QtCore.Qt.PenStyle.SolidLine, QtCore.Qt.PenStyle.DashLine,
              QtCore.Qt.PenStyle.DotLine, QtCore.Qt.PenStyle.DashDotLine]
    activations = list(dict.fromkeys(a for s in summaries for a in s.activations))
    all_lrs = sorted({float(lr) for s in summaries for lr in s.lrs})
    # x is log10(lr), drawn by hand so the ticks sit exactly on the swept rates
    plot.getAxis("bottom").setTicks([[(float(np.log10(lr)), f"{lr:g}") for lr in all_lrs]])
    names = []
    k = 0
    for p, s in enumerate(summaries):
        for i, act in enumerate(s.activations):
            y = s.mean["dead_fraction"][i]
            err = np.nan_to_num(s.std["dead_fraction"][i])
            x = np.log10(s.lrs)
            names.append(act if len(summaries) == 1 else f"{act} ({s.title})")
            c = color(activations.index(act))
            pen = pg.mkPen(c, width=2)
            pen.setStyle(styles[p % len(styles)])
            if k == len(curves):
                curves.append((pg.PlotDataItem(), pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0),
                                                                  height=np.zeros(0), beam=0.04)))
                plot.addItem(curves[k][0])
                plot.addItem(curves[k][1])
            curve, bars = curves[k]
            curve.setData(x, y, pen=pen, symbol="os^d"[p % 4], symbolBrush=c, symbolPen=c,
                          connect="finite")
            ok = np.isfinite(y)
            bars.setData(x=x[ok], y=y[ok], height=2 * err[ok], pen=pg.mkPen(c))
            k += 1
            yield
    for curve, bars in curves[k:]:
        plot.removeItem(curve)
        plot.removeItem(bars)
    del curves[k:]
    legend = plot.legend
    if [label.text for _, label in legend.items] != names:
        legend.clear()
        for (curve, _), name in zip(curves, names):
            legend.addItem(curve, name)
        legend.setColumnCount(2 if k > 4 else 1)
    plot.setYRange(0, 1.0)
    return heatmap_table(summaries, "dead_fraction")


draw_dead_vs_lr = stepped(draw_dead_vs_lr_steps)
