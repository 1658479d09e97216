"""Theory plots: draw a formula next to the lab's measurement of it, and return the table.

Each ``draw_*`` takes results of `models.theory` (and its submodules), fills a PlotItem, and
returns its table (unit-bearing header, rows). Each has a ``draw_*_steps`` generator that
yields between plot items (see `gui.stepped_drawing`); curves of an earlier draw of a plot
are reused, their data set in place.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme
from gui.stepped_drawing import stepped

Table = tuple[list[str], list]

# Readable on the lab's dark background and on the white of exports (Okabe-Ito subset).
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
DASH = QtCore.Qt.PenStyle.DashLine


def color(i: int) -> str:
    """Return the colour of series `i`."""
    return PALETTE[i % len(PALETTE)]


def clear_plot(plot: pg.PlotItem, title: str) -> None:
    """Show `plot` empty under `title`: nothing drawn, no legend (its curves kept for reuse)."""
    curves = plot.__dict__.setdefault("_theory_curves", [])  # kept across draws
    for item in list(plot.items):
        if item not in curves:
            plot.removeItem(item)  # bands, bars: few and cheap to make again
    for curve in curves:
        curve.setVisible(False)
    if plot.legend is not None:
        plot.legend.clear()
    plot._theory_next = 0
    plot.setTitle(title)


def _prepare(plot: pg.PlotItem, title: str, x_label: str, y_label: str,
             log_y: bool = False, legend_at: tuple[int, int] = (10, 10)) -> None:
    clear_plot(plot, title)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    theme.fit_plot_text(plot)  # titles and axis titles shrink to their room, never clip
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLogMode(x=False, y=log_y)
    for side in ("bottom", "left"):
        plot.getAxis(side).enableAutoSIPrefix(False)
    plot.getAxis("left").setWidth(72 if log_y else 56)
    if plot.legend is None:
        plot.addLegend(offset=legend_at)
    else:
        plot.legend.setOffset(legend_at)


def _curve(plot, x, y, name, **style):
    """The plot's next curve (reused from an earlier draw, or new) showing `x`, `y`."""
    curves, k = plot._theory_curves, plot._theory_next
    plot._theory_next += 1
    if k == len(curves):
        curves.append(pg.PlotDataItem())
        plot.addItem(curves[k])
    curve = curves[k]
    style = {"pen": None, "symbol": None, **style}
    curve.setData(np.asarray(x, float), np.asarray(y, float), **style)
    curve.opts["name"] = name
    curve.setVisible(True)
    plot.legend.addItem(curve, name)
    return curve


def _line(plot, x, y, c, name, dashed=False, symbol=None):
    pen = pg.mkPen(c, width=2)
    if dashed:
        pen.setStyle(DASH)
    kwargs = {"symbol": symbol, "symbolBrush": c, "symbolPen": c, "symbolSize": 7} if symbol \
        else {}
    return _curve(plot, x, y, name, pen=pen, **kwargs)


def _points(plot, x, y, c, name, symbol="o"):
    return _curve(plot, x, y, name, pen=None, symbol=symbol, symbolBrush=c, symbolPen=c,
                  symbolSize=8)


def draw_gradient_moments_steps(plot: pg.PlotItem, stats: list):
    """Draw measured and predicted ``E[G]``, ``Var[G]`` and sparsity of the derivative vs alpha.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    stats : list of models.theory.GradientStats
        One per alpha (alpha 0 is ReLU: sparsity 1/2).

    Returns
    -------
    tuple
        Header and one row per alpha.
    """
    _prepare(plot, "Derivative G at init: measured (dots), formula (lines)",
             "Leaky ReLU slope alpha (1)", "statistic of G (1)")
    alpha = np.array([s.alpha for s in stats])
    fine = np.linspace(0, max(alpha.max(), 1e-3), 200)
    series = [("E[G] = (1+alpha)/2", (1 + fine) / 2, [s.mean for s in stats]),
              ("Var[G] = (1-alpha)^2/4", (1 - fine) ** 2 / 4, [s.var for s in stats]),
              ("P(G=0) = 1/2 at alpha=0", np.where(fine == 0, 0.5, 0.0),
               [s.sparsity for s in stats])]
    for i, (name, predicted, measured) in enumerate(series):
        yield
        if i < 2:
            _line(plot, fine, predicted, color(i), name)
            yield
        _points(plot, alpha, measured, color(i), f"measured {name.split(' =')[0]}")
    header = ["alpha", "samples", "sparsity_measured", "sparsity_predicted",
              "mean_g_measured", "mean_g_predicted", "second_g_measured",
              "second_g_predicted", "var_g_measured", "var_g_predicted"]
    rows = [[s.alpha, s.samples, s.sparsity, s.predicted["sparsity"], s.mean,
             s.predicted["mean"], s.second, s.predicted["second"], s.var, s.predicted["var"]]
            for s in stats]
    return header, rows


def draw_propagation_steps(plot: pg.PlotItem, studies: list, backward: bool = False):
    """Draw mean squared activation (or gradient) against layer, measured and predicted.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw (log y).
    studies : list of models.theory.Propagation
        One per init, each an ensemble: its mean per layer and a 10-90% band over seeds.
    backward : bool
        Gradients (backward pass) instead of pre-activations (forward pass).

    Returns
    -------
    tuple
        Header and one row per (init, layer).
    """
    what = "gradient dL/da" if backward else "pre-activation a"
    _prepare(plot, f"{'Backward' if backward else 'Forward'}: mean squared {what} "
             "(10-90% band)",
             "hidden layer l", f"mean squared {what} (1)", log_y=True,
             legend_at=(-10, -10) if backward else (10, -10))
    rows = []
    for i, s in enumerate(studies):
        yield
        layers = np.arange(1, s.depth + 1)
        measured = s.backward if backward else s.forward
        predicted = s.predicted_backward() if backward else s.predicted_forward()
        label = s.init if s.alpha == 0 else f"{s.init} (alpha {s.alpha:g})"
        safe = np.where(measured > 0, measured, np.nan)
        factor = s.measured_backward if backward else s.measured_forward
        low, high = s.band(backward)
        band = [pg.PlotDataItem(layers, np.log10(np.where(v > 0, v, np.nan))) for v in (low, high)]
        plot.addItem(pg.FillBetweenItem(*band, brush=pg.mkBrush(color(i) + "40")))
        yield
        _line(plot, layers, safe, color(i), f"{label}: {s.seeds}-net mean x{factor:.3f}",
              symbol="o")
        yield
        _line(plot, layers, np.where(predicted > 0, predicted, np.nan), color(i),
              f"{label}: c(1+alpha^2)/2 = {s.factor:.3f}", dashed=True)
        for layer, m, p, lo, hi in zip(layers, measured, predicted, low, high):
            rows.append([s.init, s.activation, s.alpha, s.width, int(layer), float(m),
                         float(p), s.factor, factor, s.seeds, float(lo), float(hi)])
    kind = "gradient" if backward else "activation"
    header = ["init", "activation", "alpha", "width", "layer", f"mean_sq_{kind}_measured",
              f"mean_sq_{kind}_predicted", "factor_predicted_per_layer",
              "factor_measured_per_layer", "seeds", f"mean_sq_{kind}_p10",
              f"mean_sq_{kind}_p90"]
    return header, rows


def draw_born_dead_steps(plot: pg.PlotItem, rows: list):
    """Draw the born-dead probability against depth per width, with the single-point bound.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    rows : list of models.theory.born_dead.BornDeadRow
        Monte Carlo results.

    Returns
    -------
    tuple
        The ``born_dead.csv`` columns plus the binomial standard error.
    """
    inits = sorted({r.init for r in rows})
    _prepare(plot, f"Born dead ({', '.join(inits)}): Monte Carlo ±2 s.e. vs 1-(1-2^-N)^depth",
             "hidden layers (depth)",
             "probability born dead (1)")
    plot.setYRange(0, 1.02)  # before the curves: no autorange after each one
    plot.legend.setOffset((-10, -10))
    plot.legend.setColumnCount(2)
    widths = sorted({r.width for r in rows})
    for i, w in enumerate(widths):
        yield
        mine = sorted((r for r in rows if r.width == w), key=lambda r: r.depth)
        d = np.array([r.depth for r in mine], float)
        p = np.array([r.p_born_dead for r in mine])
        err = np.array([2 * r.stderr for r in mine])
        _line(plot, d, p, color(i), f"N = {w}: Monte Carlo", symbol="o")
        yield
        plot.addItem(pg.ErrorBarItem(x=d, y=p, height=2 * err, beam=0.2,
                                     pen=pg.mkPen(color(i))))
        fine = np.arange(1, max(d.max(), 1) + 1)
        from models.theory.born_dead import single_point_bound

        yield
        _line(plot, fine, single_point_bound(w, fine), color(i), f"N = {w}: bound",
              dashed=True)
    header = ["width", "depth", "init", "trials", "p_born_dead", "p_single_point_bound",
              "p_born_dead_stderr"]
    return header, [[r.width, r.depth, r.init, r.trials, r.p_born_dead,
                     r.p_single_point_bound, r.stderr] for r in rows]


def draw_pruning_units_steps(plot: pg.PlotItem, result, max_diff: float):
    """Draw hidden units per layer before and after removing the dead ones.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    result : models.theory.pruning.PruneResult
        The pruning.
    max_diff : float
        Largest absolute output change on the data.

    Returns
    -------
    tuple
        Header and one row per hidden layer.
    """
    _prepare(plot, f"Pruning: {result.params_before} -> {result.params_after} params "
             f"(-{100 * result.saved_fraction:.0f}%), max |Δ output| {max_diff:.0e}",
             "hidden layer l", "units (count)",
             legend_at=(-10, 10))
    layers = np.arange(1, len(result.widths_before) + 1, dtype=float)  # 1 = nearest the input
    before = np.array(result.widths_before, float)
    after = np.array(result.widths_after, float)
    plot.setYRange(0, 1.25 * max(before.max(initial=1.0), 1.0))  # before the bars
    yield
    plot.addItem(pg.BarGraphItem(x=layers - 0.18, height=before, width=0.34,
                                 brush=color(0), name="before"))
    yield
    plot.addItem(pg.BarGraphItem(x=layers + 0.18, height=after, width=0.34,
                                 brush=color(2), name="after (dead units removed)"))
    plot.getAxis("bottom").setTicks([[(float(i), str(i)) for i in layers.astype(int)]])
    header = ["layer", "units_before", "units_after", "dead_units_removed"]
    return header, [[int(i), int(b), int(a), int(b - a)]
                    for i, b, a in zip(layers, before, after)]


def draw_pruning_outputs_steps(plot: pg.PlotItem, before: np.ndarray,
                               after: np.ndarray):
    """Draw the pruned network's output against the original's on every data point.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    before, after : numpy.ndarray
        (n,) outputs (logits) of the original and the pruned network.

    Returns
    -------
    tuple
        Header and one row per data point.
    """
    before = np.ravel(before)
    after = np.ravel(after)
    diff = float(np.max(np.abs(before - after))) if before.size else 0.0
    _prepare(plot, f"Pruned vs original output on the data (max |Δ| {diff:.0e})",
             "original network output (logit)", "pruned network output (logit)")
    lo, hi = (float(before.min()), float(before.max())) if before.size else (0.0, 1.0)
    plot.legend.setOffset((10, 10))
    yield
    _line(plot, [lo, hi], [lo, hi], color(1), "identity y = x", dashed=True)
    yield
    _points(plot, before, after, color(0), "data points")
    return (["output_original_logit", "output_pruned_logit", "difference"],
            np.column_stack([before, after, after - before]))


def draw_sigmoid_steps(plot: pg.PlotItem, study):
    """Draw a sigmoid net's gradient size per layer with the 0.25-derivative bounds.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw (log y).
    study : models.theory.SigmoidStudy
        The measurements.

    Returns
    -------
    tuple
        Header and one row per layer.
    """
    _prepare(plot, f"Sigmoid: max σ' = {study.max_derivative:.4f} ≤ 1/4, gradients shrink",
             "hidden layer l", "rms gradient dL/da (1)", log_y=True,
             legend_at=(10, 10))
    layers = np.arange(1, study.depth + 1)
    quarter = study.grad_rms[-1] * 0.25 ** (study.depth - layers)
    yield
    _line(plot, layers, study.grad_rms, color(0), "measured (Xavier weights)", symbol="o")
    yield
    _line(plot, layers, study.bound, color(1), "bound: 0.25 x ||W||_2 per layer", dashed=True)
    yield
    _line(plot, layers, quarter, color(2), "0.25 per layer (norm-1 weights)", dashed=True)
    header = ["layer", "grad_rms_measured", "grad_rms_bound_spectral",
              "grad_rms_quarter_per_layer"]
    return header, [[int(layer), rms, bound, q] for layer, rms, bound, q
                    in zip(layers, study.grad_rms, study.bound, quarter)]


draw_gradient_moments = stepped(draw_gradient_moments_steps)

draw_propagation = stepped(draw_propagation_steps)

draw_born_dead = stepped(draw_born_dead_steps)

draw_pruning_units = stepped(draw_pruning_units_steps)

draw_pruning_outputs = stepped(draw_pruning_outputs_steps)

draw_sigmoid = stepped(draw_sigmoid_steps)
