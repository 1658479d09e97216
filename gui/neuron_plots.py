"""Neuron-tab plots: functions that take ndarrays, fill a pyqtgraph PlotItem, return its table."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

Table = tuple[list[str], np.ndarray]

COLORS = {"input": "#1f77b4", "leak": "#d62728", "lif": "#1f77b4", "theory": "#ff7f0e",
          "leaky": "#2ca02c", "spike": "#d62728", "v": "#9467bd", "raster": "#404040"}
RASTER_MAX_NEURONS = 100


def _prepare(plot: pg.PlotItem, title: str, x_label: str, y_label: str,
             legend: bool = True) -> None:
    """Clear `plot` and set its title, axis labels (units in the text) and legend."""
    plot.clear()
    plot.setTitle(title)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    plot.showGrid(x=True, y=True, alpha=0.2)
    for side in ("bottom", "left"):
        plot.getAxis(side).enableAutoSIPrefix(False)
    if legend:
        if plot.legend is None:
            plot.addLegend(offset=(10, 10))
        else:
            plot.legend.clear()
    elif plot.legend is not None:
        plot.legend.clear()


def _pen(color: str, width: float = 1.5, style=None) -> pg.QtGui.QPen:
    pen = pg.mkPen(color, width=width)
    if style is not None:
        pen.setStyle(style)
    return pen


def draw_currents(plot: pg.PlotItem, t_ms: np.ndarray, i_in_na: np.ndarray,
                  i_leak_na: np.ndarray) -> Table:
    """Draw the input current and the leak current ``g_L (V - E_L)`` of one neuron.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    t_ms, i_in_na, i_leak_na : numpy.ndarray
        Time (ms) and the two currents (nA), same length.

    Returns
    -------
    tuple
        Header ``t_ms, i_in_na, i_leak_na`` and rows.
    """
    _prepare(plot, "Input and leak current", "time (ms)", "current (nA)")
    plot.plot(t_ms, i_in_na, pen=_pen(COLORS["input"]), name="input I(t)")
    plot.plot(t_ms, i_leak_na, pen=_pen(COLORS["leak"]), name="leak I_L = g_L (V - E_L)")
    return ["t_ms", "i_in_na", "i_leak_na"], np.column_stack([t_ms, i_in_na, i_leak_na])


def draw_voltage(plot: pg.PlotItem, t_ms: np.ndarray, v_mv: np.ndarray,
                 spike_t_ms: np.ndarray, v_th_mv: float) -> Table:
    """Draw a neuron's membrane potential with its spikes as upward strokes.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    t_ms, v_mv : numpy.ndarray
        Time (ms) and membrane potential (mV).
    spike_t_ms : numpy.ndarray
        This neuron's spike times (ms).
    v_th_mv : float
        Threshold, drawn dashed; strokes rise 20 mV above it.

    Returns
    -------
    tuple
        Header ``t_ms, v_mv, spike`` (spike = 1 in the sample where the neuron fired).
    """
    _prepare(plot, "Membrane potential of a sample neuron", "time (ms)", "V (mV)")
    plot.plot(t_ms, v_mv, pen=_pen(COLORS["v"]), name="V(t)")
    if spike_t_ms.size:
        x = np.repeat(spike_t_ms, 2)
        y = np.tile([v_th_mv, v_th_mv + 20.0], spike_t_ms.size)
        plot.plot(x, y, pen=_pen(COLORS["spike"]), connect="pairs", name="spikes")
    if t_ms.size:
        plot.plot([t_ms[0], t_ms[-1]], [v_th_mv, v_th_mv],
                  pen=_pen("#888888", 1, pg.QtCore.Qt.PenStyle.DashLine), name="threshold")
    spike_flag = np.zeros(t_ms.size)
    if t_ms.size and spike_t_ms.size:
        index = np.clip(np.searchsorted(t_ms, spike_t_ms), 0, t_ms.size - 1)
        spike_flag[index] = 1.0
    return ["t_ms", "v_mv", "spike"], np.column_stack([t_ms, v_mv, spike_flag])


def draw_raster(plot: pg.PlotItem, spike_neuron: np.ndarray, spike_t_ms: np.ndarray,
                n_neurons: int, max_neurons: int = RASTER_MAX_NEURONS) -> Table:
    """Draw a spike raster of the first `max_neurons` neurons as short ticks.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    spike_neuron, spike_t_ms : numpy.ndarray
        Spikes: neuron index and time (ms).
    n_neurons : int
        Population size.
    max_neurons : int
        How many neurons to show.

    Returns
    -------
    tuple
        Header ``neuron, t_ms`` and the spikes shown.
    """
    shown = min(n_neurons, max_neurons)
    _prepare(plot, f"Spike raster (first {shown} of {n_neurons} neurons)", "time (ms)",
             "neuron", legend=False)
    keep = spike_neuron < shown
    neuron, times = spike_neuron[keep], spike_t_ms[keep]
    if times.size:
        x = np.repeat(times, 2)
        y = np.column_stack([neuron - 0.4, neuron + 0.4]).ravel()
        plot.plot(x, y, pen=_pen(COLORS["raster"], 1), connect="pairs")
    plot.setYRange(-0.5, shown - 0.5, padding=0.02)
    return ["neuron", "t_ms"], np.column_stack([neuron, times])


def draw_population_rate(plot: pg.PlotItem, t_ms: np.ndarray, rate_hz: np.ndarray,
                         rate_leaky_hz: np.ndarray) -> Table:
    """Draw the binned population rate beside the fitted Leaky ReLU's rate.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    t_ms, rate_hz, rate_leaky_hz : numpy.ndarray
        Bin centres (ms), LIF population rate and Leaky ReLU rate (Hz).

    Returns
    -------
    tuple
        Header ``t_ms, rate_hz, rate_leaky_hz`` and rows.
    """
    _prepare(plot, "Population rate: LIF against fitted Leaky ReLU", "time (ms)", "rate (Hz)")
    plot.plot(t_ms, rate_hz, pen=_pen(COLORS["lif"]), name="LIF population")
    plot.plot(t_ms, rate_leaky_hz, pen=_pen(COLORS["leaky"], 2), name="Leaky ReLU (fitted)")
    return ["t_ms", "rate_hz", "rate_leaky_hz"], np.column_stack([t_ms, rate_hz, rate_leaky_hz])


def fit_text(alpha: float, gain_hz_per_na: float, threshold_na: float, rmse_hz: float) -> str:
    """Return the one-line summary of a Leaky ReLU fit shown on the f-I plot."""
    return (f"alpha = {alpha:.3g}   gain = {gain_hz_per_na:.4g} Hz/nA   "
            f"I_th = {threshold_na:.4g} nA   rmse = {rmse_hz:.3g} Hz")


def draw_fi_curve(plot: pg.PlotItem, current_na: np.ndarray, rate_sim_hz: np.ndarray,
                  rate_theory_hz: np.ndarray, rate_leaky_fit_hz: np.ndarray, summary: str,
                  theory_name: str = "analytic") -> Table:
    """Draw the simulated f-I points, the analytic curve and the fitted Leaky ReLU.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz : numpy.ndarray
        Currents (nA) and the three rates (Hz) at them.
    summary : str
        Fit parameters, printed in the plot (see `fit_text`).
    theory_name : str
        Legend name of the analytic curve.

    Returns
    -------
    tuple
        Header ``current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz`` and rows.
    """
    _prepare(plot, "f-I curve", "input current I (nA)", "firing rate (Hz)")
    plot.plot(current_na, rate_theory_hz, pen=_pen(COLORS["theory"], 2), name=theory_name)
    plot.plot(current_na, rate_leaky_fit_hz,
              pen=_pen(COLORS["leaky"], 2, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU fit")
    plot.plot(current_na, rate_sim_hz, pen=None, symbol="o", symbolSize=6,
              symbolBrush=COLORS["lif"], symbolPen=None, name="simulated LIF")
    label = pg.TextItem(summary, color="#606060", anchor=(1, 1))
    plot.addItem(label)
    if current_na.size:
        label.setPos(float(current_na.max()), 0.0)
    return (["current_na", "rate_sim_hz", "rate_theory_hz", "rate_leaky_fit_hz"],
            np.column_stack([current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz]))


def draw_response_gain(plot: pg.PlotItem, freq_hz: np.ndarray, lif_gain: np.ndarray,
                       leaky_gain: np.ndarray) -> Table:
    """Draw the rate's first-harmonic gain against drive frequency (log axis).

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    freq_hz, lif_gain, leaky_gain : numpy.ndarray
        Frequencies (Hz) and gains (Hz/nA) of the LIF population and the Leaky ReLU.

    Returns
    -------
    tuple
        Header ``freq_hz, lif_gain_hz_per_na, leaky_gain_hz_per_na`` and rows.
    """
    _prepare(plot, "Frequency response: gain", "drive frequency f (Hz)", "gain (Hz/nA)")
    plot.setLogMode(x=True, y=False)
    plot.plot(freq_hz, lif_gain, pen=_pen(COLORS["lif"], 2), symbol="o", symbolSize=6,
              symbolBrush=COLORS["lif"], name="LIF population")
    plot.plot(freq_hz, leaky_gain, pen=_pen(COLORS["leaky"], 2, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU")
    return (["freq_hz", "lif_gain_hz_per_na", "leaky_gain_hz_per_na"],
            np.column_stack([freq_hz, lif_gain, leaky_gain]))


def draw_response_phase(plot: pg.PlotItem, freq_hz: np.ndarray, lif_phase: np.ndarray,
                        leaky_phase: np.ndarray) -> Table:
    """Draw the rate's first-harmonic phase against drive frequency (log axis).

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    freq_hz, lif_phase, leaky_phase : numpy.ndarray
        Frequencies (Hz) and phases (degrees; negative = lag).

    Returns
    -------
    tuple
        Header ``freq_hz, lif_phase_deg, leaky_phase_deg`` and rows.
    """
    _prepare(plot, "Frequency response: phase", "drive frequency f (Hz)", "phase (deg)")
    plot.setLogMode(x=True, y=False)
    plot.plot(freq_hz, lif_phase, pen=_pen(COLORS["lif"], 2), symbol="o", symbolSize=6,
              symbolBrush=COLORS["lif"], name="LIF population")
    plot.plot(freq_hz, leaky_phase, pen=_pen(COLORS["leaky"], 2, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU")
    if freq_hz.size:
        plot.plot([freq_hz.min(), freq_hz.max()], [-45, -45],
                  pen=_pen("#888888", 1, pg.QtCore.Qt.PenStyle.DotLine), name="-45 deg")
    return (["freq_hz", "lif_phase_deg", "leaky_phase_deg"],
            np.column_stack([freq_hz, lif_phase, leaky_phase]))


def draw_alpha_scan(plot: pg.PlotItem, x: np.ndarray, x_name: str, x_label: str,
                    alpha: np.ndarray, alpha_offset: np.ndarray) -> Table:
    """Draw the fitted Leaky ReLU alpha against a scanned parameter (g_L or noise).

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    x : numpy.ndarray
        Scanned values.
    x_name, x_label : str
        Column name with units (``noise_mv``) and axis label (``noise sigma (mV)``).
    alpha, alpha_offset : numpy.ndarray
        Fitted alpha of the three-parameter Leaky ReLU and of the one with an output bias.

    Returns
    -------
    tuple
        Header ``x_name, alpha, alpha_with_offset`` and rows.
    """
    _prepare(plot, f"Fitted Leaky ReLU alpha against {x_label}", x_label, "fitted alpha")
    plot.plot(x, alpha, pen=_pen(COLORS["theory"], 2), symbol="s", symbolSize=6,
              symbolBrush=COLORS["theory"], name="gain*max(alpha z, z)")
    plot.plot(x, alpha_offset, pen=_pen(COLORS["leaky"], 2), symbol="o", symbolSize=6,
              symbolBrush=COLORS["leaky"], name="with output bias")
    return [x_name, "alpha", "alpha_with_offset"], np.column_stack([x, alpha, alpha_offset])
