"""Neuron-tab plots of the frequency response and of the fitted Leaky ReLU against noise or g_L."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.neuron.drawing import stepped
from gui.neuron.plot_style import (
    ALPHA_PINNED_NOTE,
    COLORS,
    NOISELESS_RESPONSE_NOTE,
    STATIC_SLOPE_NAME,
    Table,
    add_note,
    headroom,
    log_ticks,
    pen,
    prepare,
)

__all__ = ["PlotStack", "draw_alpha_scan", "draw_response_gain", "draw_response_phase"]


def _error_bars(plot: pg.PlotItem, x: np.ndarray, y: np.ndarray, se, color: str) -> None:
    """Draw +-1 standard error bars at (x, y) on a plot whose x axis is logarithmic."""
    if se is None or not np.size(x):
        return
    se = np.nan_to_num(np.asarray(se, dtype=float), nan=0.0)
    plot.addItem(pg.ErrorBarItem(x=np.log10(x), y=np.asarray(y, float), height=2 * se,
                                 beam=0.03, pen=pen(color, 1.5)))


def _theory(plot: pg.PlotItem, x: np.ndarray, y) -> None:
    if y is not None and np.size(x):
        plot.plot(x, np.asarray(y, float), pen=pen(COLORS["theory"], 2.5), name=THEORY_NAME)


THEORY_NAME = "linear-response theory (white noise, small I1)"


@stepped
def draw_response_gain(plot: pg.PlotItem, freq_hz: np.ndarray, lif_gain: np.ndarray,
                       leaky_gain: np.ndarray, noisy: bool = True,
                       static_gain: np.ndarray | None = None, theory_gain=None,
                       gain_se=None) -> Table:
    """Draw the rate's first-harmonic gain against drive frequency (log axis).

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    freq_hz, lif_gain, leaky_gain : numpy.ndarray
        Frequencies (Hz) and gains (Hz/nA) of the LIF population and the Leaky ReLU.
    noisy : bool
        False pins a note: a noiseless population phase-locks, the response is not meaningful.
    static_gain : numpy.ndarray, optional
        The local slope ``dr/dI`` of the LIF's analytic rate at ``I_0`` (Hz/nA), drawn as a
        dashed reference: what the LIF gain tends to at low frequency. The Leaky ReLU's
        gain comes from a global fit and differs from it before any dynamics.
    theory_gain, gain_se : numpy.ndarray, optional
        Linear-response theory at each frequency (a solid line) and the standard error of
        each simulated gain (error bars).

    Returns
    -------
    tuple
        Header ``freq_hz, lif_gain_hz_per_na, leaky_gain_hz_per_na`` (and
        ``lif_static_gain_hz_per_na`` with `static_gain`) and rows.
    """
    prepare(plot, "Frequency response: gain of the rate modulation", "drive frequency f (Hz)",
             "gain (Hz/nA)", columns=2)
    plot.setLogMode(x=True, y=False)
    series = [lif_gain, leaky_gain]
    extent = [np.asarray(lif_gain, float) + np.nan_to_num(np.asarray(
        gain_se if gain_se is not None else 0.0, float))]
    if theory_gain is not None:
        extent.append(np.asarray(theory_gain, float))
    if static_gain is not None:
        static_gain = np.broadcast_to(np.asarray(static_gain, dtype=float), freq_hz.shape)
        series.append(static_gain)
    log_ticks(plot, freq_hz)  # ticks and range first: the curves then leave the axes be
    headroom(plot, *series, *extent, floor=0.0, factor=1.3)
    yield
    plot.plot(freq_hz, leaky_gain, pen=pen(COLORS["leaky"], 2.5, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU (instantaneous)")
    yield
    _theory(plot, freq_hz, theory_gain)
    yield
    _error_bars(plot, freq_hz, lif_gain, gain_se, COLORS["lif"])
    yield
    plot.plot(freq_hz, lif_gain, pen=pen(COLORS["lif"], 2), symbol="o", symbolSize=7,
              symbolBrush=COLORS["lif"], symbolPen=None, name="LIF population (± s.e.)")
    yield
    if static_gain is not None:
        plot.plot(freq_hz, static_gain, pen=pen(COLORS["theory"], 2,
                                                 pg.QtCore.Qt.PenStyle.DashLine),
                  name=STATIC_SLOPE_NAME)
        yield
    if not noisy:
        add_note(plot, NOISELESS_RESPONSE_NOTE, corner="bottom-left", size="10pt",
                 color="#d55e00")
    header = ["freq_hz", "lif_gain_hz_per_na", "leaky_gain_hz_per_na"]
    if static_gain is not None:
        header.append("lif_static_gain_hz_per_na")
    return header, np.column_stack([freq_hz, *series])


def phase_limits(*series) -> tuple[float, float]:
    """Return a phase range (deg) holding every finite value, -45 and 0, with a margin."""
    values = np.concatenate([np.ravel(np.asarray(s, float)) for s in series if s is not None]
                            + [np.array([-45.0, 0.0])])
    values = values[np.isfinite(values)]
    return float(min(-60.0, values.min() - 10.0)), float(max(20.0, values.max() + 10.0))


@stepped
def draw_response_phase(plot: pg.PlotItem, freq_hz: np.ndarray, lif_phase: np.ndarray,
                        leaky_phase: np.ndarray, noisy: bool = True, theory_phase=None,
                        phase_se=None, correction_note: str = "") -> Table:
    """Draw the rate's first-harmonic phase against drive frequency (log axis).

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    freq_hz, lif_phase, leaky_phase : numpy.ndarray
        Frequencies (Hz) and phases (degrees; negative = lag).
    noisy : bool
        False pins the same warning as on the gain plot.
    theory_phase, phase_se : numpy.ndarray, optional
        Linear-response theory and the standard error of each simulated phase.
    correction_note : str
        Names the threshold-crossing correction used (shown on the plot).

    Returns
    -------
    tuple
        Header ``freq_hz, lif_phase_deg, leaky_phase_deg`` and rows.
    """
    prepare(plot, "Frequency response: phase of the rate modulation", "drive frequency f (Hz)",
             "phase (deg; negative = lag)", columns=3)
    plot.setLogMode(x=True, y=False)
    log_ticks(plot, freq_hz)  # ticks and range first: the curves then leave the axes be
    se = np.nan_to_num(np.asarray(phase_se, float)) if phase_se is not None else 0.0
    low, high = phase_limits(np.asarray(lif_phase, float) - se, np.asarray(lif_phase, float) + se,
                             theory_phase, leaky_phase)
    plot.setYRange(low, high, padding=0)
    yield
    plot.plot(freq_hz, leaky_phase, pen=pen(COLORS["leaky"], 2.5, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU (no lag)")
    yield
    _theory(plot, freq_hz, theory_phase)
    yield
    _error_bars(plot, freq_hz, lif_phase, phase_se, COLORS["lif"])
    yield
    plot.plot(freq_hz, lif_phase, pen=pen(COLORS["lif"], 2), symbol="o", symbolSize=7,
              symbolBrush=COLORS["lif"], symbolPen=None, name="LIF population (± s.e.)")
    yield
    if freq_hz.size:
        plot.plot([freq_hz.min(), freq_hz.max()], [-45, -45],
                  pen=pen(COLORS["reference"], 1.5, pg.QtCore.Qt.PenStyle.DotLine),
                  name="-45 deg (white-noise limit)")
        yield
    if correction_note:
        plot.setTitle(f"{plot.titleLabel.text} ({correction_note})")
    if not noisy:
        add_note(plot, "No noise: phase-locked population, phase not meaningful",
                 corner="bottom-left", size="10pt", color="#d55e00")
    return (["freq_hz", "lif_phase_deg", "leaky_phase_deg"],
            np.column_stack([freq_hz, lif_phase, leaky_phase]))


class PlotStack(pg.GraphicsLayout):
    """A titled column of plots sharing their x axis: one exportable figure of several panels.

    Quacks like a `pyqtgraph.PlotItem` where the tab and the export need it: `titleLabel`,
    `setTitle` and `getAxis` (the bottom panel's axes carry the shared x axis).

    Parameters
    ----------
    rows : int
        Number of stacked panels.
    axis_width : int
        Fixed width of every left axis, so the panels' x axes line up.
    """

    def __init__(self, rows: int = 3, axis_width: int = 62) -> None:
        super().__init__()
        self.setContentsMargins(0, 0, 0, 0)
        self.layout.setVerticalSpacing(0)
        self.titleLabel = pg.LabelItem("", size="11pt")
        self.addItem(self.titleLabel, row=0, col=0)
        self.panels: list[pg.PlotItem] = []
        for row in range(rows):
            panel = self.addPlot(enableMenu=False, row=row + 1, col=0)
            panel.getAxis("left").setWidth(axis_width)
            if self.panels:
                panel.setXLink(self.panels[0])
            self.panels.append(panel)
        self.layout.setRowStretchFactor(0, 0)
        for row in range(rows):
            self.layout.setRowStretchFactor(row + 1, 1)

    def setTitle(self, title: str) -> None:  # noqa: N802 - the PlotItem spelling
        """Set the title above the panels."""
        self.titleLabel.setText(title)

    def getAxis(self, name: str) -> pg.AxisItem:  # noqa: N802 - the PlotItem spelling
        """Return the bottom panel's axis `name` (the shared x axis for ``bottom``)."""
        return self.panels[-1].getAxis(name)


@stepped
def draw_alpha_scan(plot, x: np.ndarray, x_name: str, x_label: str,
                    alpha: np.ndarray, alpha_offset: np.ndarray,
                    current: float | None = None, gain: np.ndarray | None = None,
                    threshold: np.ndarray | None = None) -> Table:
    """Draw the fitted Leaky ReLU's alpha, gain and threshold against a scanned parameter.

    Parameters
    ----------
    plot : PlotStack or pyqtgraph.PlotItem
        Where to draw: a three-panel `PlotStack` (alpha, gain, threshold sharing the x
        axis) or a single plot (alpha only).
    x : numpy.ndarray
        Scanned values.
    x_name, x_label : str
        Column name with units (``noise_mv``) and axis label (``noise sigma (mV)``).
    alpha, alpha_offset : numpy.ndarray
        Fitted alpha of the three-parameter Leaky ReLU and of the one with an output bias.
    current : float, optional
        The tab's present value of the scanned parameter, marked with a vertical line.
    gain, threshold : numpy.ndarray, optional
        Gain (Hz/nA) and threshold (nA) of the three-parameter fit; default NaN.

    Returns
    -------
    tuple
        Header ``x_name, alpha, alpha_with_offset, gain_hz_per_na, threshold_na`` and rows.
    """
    x = np.asarray(x, dtype=float)
    gain = np.full(x.shape, np.nan) if gain is None else np.asarray(gain, dtype=float)
    threshold = (np.full(x.shape, np.nan) if threshold is None
                 else np.asarray(threshold, dtype=float))
    stacked = isinstance(plot, PlotStack)
    top = plot.panels[0] if stacked else plot
    title = (f"Fitted Leaky ReLU against {x_label}" if stacked
             else f"Fitted Leaky ReLU alpha against {x_label}")
    prepare(top, "" if stacked else title, "" if stacked else x_label, "alpha", columns=2)
    if stacked:
        plot.setTitle(title)
        top.setTitle(None)
    yield
    top.plot(x, alpha, pen=pen(COLORS["theory"], 2), symbol="s", symbolSize=7,
             symbolBrush=COLORS["theory"], symbolPen=None, name="3-parameter fit")
    yield
    top.plot(x, alpha_offset, pen=pen(COLORS["leaky"], 2), symbol="o", symbolSize=7,
             symbolBrush=COLORS["leaky"], symbolPen=None, name="with output offset")
    yield
    headroom(top, alpha, alpha_offset, floor=0.0, factor=1.9 if stacked else 1.6)
    add_note(top, ALPHA_PINNED_NOTE, corner="below-legend", size="8pt")
    yield
    panels = [top]
    if stacked:
        for panel, values, label, key in ((plot.panels[1], gain, "gain (Hz/nA)", "theory"),
                                          (plot.panels[2], threshold, "I_th (nA)", "lif")):
            prepare(panel, "", "", label, legend=False)
            panel.setTitle(None)
            yield
            panel.plot(x, values, pen=pen(COLORS[key], 2), symbol="s", symbolSize=6,
                       symbolBrush=COLORS[key], symbolPen=None)
            panels.append(panel)
            yield
        add_note(plot.panels[1], "3-parameter fit", corner="top-right", size="8pt")
        yield
        for panel in panels[:-1]:
            panel.getAxis("bottom").setStyle(showValues=False)
            panel.setLabel("bottom", "")
        panels[-1].getAxis("bottom").setStyle(showValues=True)
        panels[-1].setLabel("bottom", x_label)
    if current is not None and np.isfinite(current):
        for panel in panels:
            panel.addLine(x=current, pen=pen(COLORS["reference"], 1.5,
                                               pg.QtCore.Qt.PenStyle.DashLine))
            yield
    return ([x_name, "alpha", "alpha_with_offset", "gain_hz_per_na", "threshold_na"],
            np.column_stack([x, alpha, alpha_offset, gain, threshold]))
