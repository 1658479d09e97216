"""Drive sub-tab: the interspike-interval histogram with its CV, and the CV against mean input."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.neuron.drawing import stepped
from gui.neuron.plot_style import COLORS, add_note, pen, prepare

Table = tuple[list[str], np.ndarray]


@stepped
def draw_isi(plot: pg.PlotItem, stats) -> Table:
    """Draw the pooled ISI histogram (`neuro.isi.IsiStatistics`) and print its CV.

    Returns
    -------
    tuple
        Header ``isi_low_ms, isi_high_ms, count`` and rows (one per bin).
    """
    prepare(plot, "Interspike intervals (all neurons, after the warm-up)",
            "interspike interval (ms)", "count", legend=False)
    yield
    edges, counts = np.asarray(stats.edges_ms, float), np.asarray(stats.counts, float)
    if counts.size:
        plot.plot(edges, counts, stepMode="center", fillLevel=0,
                  brush=pg.mkBrush(COLORS["lif"] + "80"), pen=pen(COLORS["lif"], 1.5))
        yield
    cv = "n/a" if not np.isfinite(stats.cv) else f"{stats.cv:.2f}"
    mean = "n/a" if not np.isfinite(stats.mean_isi_ms) else f"{stats.mean_isi_ms:.3g} ms"
    add_note(plot, f"CV = {cv}&nbsp;&nbsp; mean ISI = {mean}&nbsp;&nbsp; "
             f"{stats.neurons_with_isi} neurons<br>(includes the drive's modulation)",
             corner="top-right")
    rows = np.column_stack([edges[:-1], edges[1:], counts]) if counts.size \
        else np.zeros((0, 3))
    return ["isi_low_ms", "isi_high_ms", "count"], rows


@stepped
def draw_cv(plot: pg.PlotItem, curve, i0_na: float, cv_sim: float,
            noisy: bool = True) -> Table:
    """Draw the CV theory against mean input (`neuro.isi.CvCurve`) and this run's CV at I0.

    Without noise (`curve` None) the plot says the theory needs noise.

    Returns
    -------
    tuple
        Header ``current_na, cv_theory`` and rows.
    """
    prepare(plot, "CV of the intervals against mean input", "mean input I0 (nA)", "CV")
    yield
    if not noisy or curve is None:
        add_note(plot, "No noise: every neuron fires regularly (CV 0 for a constant input);"
                 "<br>the CV theory needs noise", corner="top", color="#d55e00")
        return ["current_na", "cv_theory"], np.zeros((0, 2))
    current = np.asarray(curve.current_na, float)
    theory = np.asarray(curve.cv_theory, float)
    plot.plot(current, theory, pen=pen(COLORS["theory"], 2.5),
              name=f"theory (constant input, {curve.noise_mv:g} mV noise)")
    yield
    if np.isfinite(cv_sim):
        plot.plot([i0_na], [cv_sim], pen=None, symbol="o", symbolSize=9,
                  symbolBrush=COLORS["lif"], symbolPen=None,
                  name="this run (sinusoidal drive)")
    plot.setYRange(0.0, max(1.2, float(np.nanmax(np.append(theory, cv_sim))) * 1.15),
                   padding=0)
    return ["current_na", "cv_theory"], np.column_stack([current, theory])
