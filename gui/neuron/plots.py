"""Neuron-tab plots: functions that take ndarrays, fill a pyqtgraph PlotItem, return its table.

The drive and f-I plots live here; the frequency response and alpha scan in
`gui.neuron.response_plots`, the shared style in `gui.neuron.plot_style` (both re-exported).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.neuron.drawing import stepped
from gui.neuron.plot_style import (  # noqa: F401 - re-exported for the tab and the figures
    ALPHA_PINNED_NOTE,
    COLORS,
    HEADROOM,
    NOISELESS_RATE_NOTE,
    NOISELESS_RESPONSE_NOTE,
    RASTER_MAX_NEURONS,
    STATIC_SLOPE_NAME,
    Table,
    add_note,
    clear_notes,
    fit_parts,
    fit_text,
    format_value,
    headroom,
    log_ticks,
    notes,
    pen,
    prepare,
)
from gui.neuron.response_plots import (  # noqa: F401 - re-exported
    PlotStack,
    draw_alpha_scan,
    draw_response_gain,
    draw_response_phase,
)


@stepped
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
    prepare(plot, "Input and leak current, one neuron", "time (ms)", "current (nA)",
             columns=2)
    headroom(plot, i_in_na, i_leak_na, floor=0.0)  # first: the curves then leave the axes be
    yield
    plot.plot(t_ms, i_leak_na, pen=pen(COLORS["leak"], 1), name="leak I_L = g_L (V - E_L)")
    yield
    plot.plot(t_ms, i_in_na, pen=pen(COLORS["input"], 2.5), name="input I(t)")
    yield
    return ["t_ms", "i_in_na", "i_leak_na"], np.column_stack([t_ms, i_in_na, i_leak_na])


@stepped
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
    prepare(plot, "Membrane potential and spikes, one neuron", "time (ms)", "V (mV)",
             columns=3)
    headroom(plot, v_mv, np.array([v_th_mv + 20.0]), factor=1.3)
    yield
    plot.plot(t_ms, v_mv, pen=pen(COLORS["v"], 1), name="V(t)")
    yield
    if spike_t_ms.size:
        x = np.repeat(spike_t_ms, 2)
        y = np.tile([v_th_mv, v_th_mv + 20.0], spike_t_ms.size)
        plot.plot(x, y, pen=pen(COLORS["spike"], 1.5), connect="pairs", name="spikes")
        yield
    if t_ms.size:
        plot.plot([t_ms[0], t_ms[-1]], [v_th_mv, v_th_mv],
                  pen=pen(COLORS["reference"], 1, pg.QtCore.Qt.PenStyle.DashLine),
                  name="threshold V_th")
        yield
    spike_flag = np.zeros(t_ms.size)
    if t_ms.size and spike_t_ms.size:
        index = np.clip(np.searchsorted(t_ms, spike_t_ms), 0, t_ms.size - 1)
        spike_flag[index] = 1.0
    return ["t_ms", "v_mv", "spike"], np.column_stack([t_ms, v_mv, spike_flag])


@stepped
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
    prepare(plot, f"Spike raster (first {shown} of {n_neurons} neurons)", "time (ms)",
             "neuron index", legend=False)
    plot.setYRange(-0.5, shown - 0.5, padding=0.02)
    yield
    keep = spike_neuron < shown
    neuron, times = spike_neuron[keep], spike_t_ms[keep]
    if times.size:
        x = np.repeat(times, 2)
        y = np.column_stack([neuron - 0.4, neuron + 0.4]).ravel()
        # thin vertical ticks need no antialiasing, and thousands of them paint 3x faster
        plot.plot(x, y, pen=pen(COLORS["raster"], 1), connect="pairs", antialias=False)
        yield
    return ["neuron", "t_ms"], np.column_stack([neuron, times])


@stepped
def draw_population_rate(plot: pg.PlotItem, t_ms: np.ndarray, rate_hz: np.ndarray,
                         rate_leaky_hz: np.ndarray, kernel_ms: float = 0.0,
                         bin_ms: float | None = None, noisy: bool = True) -> Table:
    """Draw the population rate beside the fitted Leaky ReLU's rate, smoothed alike.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    t_ms, rate_hz, rate_leaky_hz : numpy.ndarray
        Bin centres (ms), LIF population rate and Leaky ReLU rate (Hz).
    kernel_ms : float
        Standard deviation of the Gaussian kernel both rates were smoothed with (0: none).
    bin_ms : float, optional
        Histogram bin (named in the axis label when there is no kernel).
    noisy : bool
        False adds a note that noiseless neurons fire in lockstep.

    Returns
    -------
    tuple
        Header ``t_ms, rate_hz, rate_leaky_hz`` and rows.
    """
    if kernel_ms > 0:
        smoothing = f"Gaussian kernel sigma = {format_value(kernel_ms, 2)} ms"
    elif bin_ms is not None:
        smoothing = f"{format_value(bin_ms, 2)} ms bins"
    else:
        smoothing = ""
    y_label = f"rate (Hz; {smoothing})" if smoothing else "rate (Hz)"
    prepare(plot, "Population rate: LIF against fitted Leaky ReLU", "time (ms)", y_label,
             columns=2)
    headroom(plot, rate_hz, rate_leaky_hz, floor=0.0, factor=HEADROOM if noisy else 1.6)
    yield
    plot.plot(t_ms, rate_hz, pen=pen(COLORS["lif"], 2), name="LIF population")
    yield
    plot.plot(t_ms, rate_leaky_hz, pen=pen(COLORS["leaky"], 2.5, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU, same input")
    yield
    if not noisy:
        add_note(plot, NOISELESS_RATE_NOTE, corner="below-legend", color="#d55e00")
    return ["t_ms", "rate_hz", "rate_leaky_hz"], np.column_stack([t_ms, rate_hz, rate_leaky_hz])


@stepped
def draw_fi_curve(plot: pg.PlotItem, current_na: np.ndarray, rate_sim_hz: np.ndarray,
                  rate_theory_hz: np.ndarray, rate_leaky_fit_hz: np.ndarray, summary: str,
                  theory_name: str = "analytic", fit_range_na=None, rate_se_hz=None) -> Table:
    """Draw the simulated f-I points, the analytic curve and the fitted Leaky ReLU.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz : numpy.ndarray
        Currents (nA) and the three rates (Hz) at them.
    summary : str
        Fit parameters, pinned in the plot's lower right (see `fit_text`).
    theory_name : str
        Legend name of the analytic curve.
    fit_range_na : tuple of float, optional
        The currents the fits used, shaded.
    rate_se_hz : numpy.ndarray, optional
        Standard error of each simulated rate (error bars).

    Returns
    -------
    tuple
        Header ``current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz`` and rows.
    """
    prepare(plot, "f-I curve: LIF against the best-fit Leaky ReLU", "input current I (nA)",
             "firing rate (Hz)")
    yield
    order = np.argsort(current_na)
    if fit_range_na is not None:
        region = pg.LinearRegionItem(values=tuple(float(v) for v in fit_range_na),
                                     movable=False, brush=pg.mkBrush(120, 120, 120, 40),
                                     pen=pen(COLORS["reference"], 1))
        region.setZValue(-10)
        plot.addItem(region)
        yield
    if rate_se_hz is not None and current_na.size:
        plot.addItem(pg.ErrorBarItem(x=current_na, y=rate_sim_hz,
                                     height=2 * np.nan_to_num(np.asarray(rate_se_hz, float)),
                                     beam=0.01, pen=pen(COLORS["lif"], 1.2)))
        yield
    plot.plot(current_na[order], rate_theory_hz[order], pen=pen(COLORS["theory"], 2.5),
              name=theory_name)
    yield
    plot.plot(current_na[order], rate_leaky_fit_hz[order],
              pen=pen(COLORS["leaky"], 2, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU fit")
    yield
    plot.plot(current_na, rate_sim_hz, pen=None, symbol="o", symbolSize=7,
              symbolBrush=COLORS["lif"], symbolPen=None, name="simulated LIF (± s.e.)")
    yield
    plot.addLine(y=0, pen=pen(COLORS["reference"], 1))
    add_note(plot, summary.replace("   ", "&nbsp;&nbsp;&nbsp;"), corner="bottom-right")
    return (["current_na", "rate_sim_hz", "rate_theory_hz", "rate_leaky_fit_hz"],
            np.column_stack([current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz]))
