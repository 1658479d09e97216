"""Neuron-tab plots: functions that take ndarrays, fill a pyqtgraph PlotItem, return its table."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.theme import plain_axis

Table = tuple[list[str], np.ndarray]

# Okabe-Ito colours: colour-blind safe and legible on the dark window and the white export.
COLORS = {"input": "#0072b2", "leak": "#d55e00", "lif": "#56b4e9", "theory": "#e69f00",
          "leaky": "#009e73", "spike": "#d55e00", "v": "#cc79a7", "raster": "#56b4e9",
          "reference": "#888888"}
RASTER_MAX_NEURONS = 100
HEADROOM = 1.35  # y-range above the data, so a legend on top never covers a curve
NOISELESS_RESPONSE_NOTE = ("No noise: the identical neurons phase-lock to the drive, so this "
                           "response is not meaningful.<br>Add noise (e.g. the noisy preset) "
                           "to see the low-pass fall-off and the lag.")
NOISELESS_RATE_NOTE = "No noise: the neurons fire in lockstep (synchronous volleys)"
ALPHA_PINNED_NOTE = ("alpha of the 3-parameter fit stays 0: its leaky side is negative;<br>"
                     "with an output offset, alpha grows with noise")
STATIC_SLOPE_NAME = "LIF static slope at I0"


def format_value(value: float, digits: int = 3, zero: float = 0.0) -> str:
    """Format `value` with `digits` significant figures, effectively-zero values as ``0``.

    Parameters
    ----------
    value : float
        The number.
    digits : int
        Significant figures.
    zero : float
        Magnitudes below this (and below 1e-12 in any case) print as ``0``.

    Returns
    -------
    str
        Fixed-point text for magnitudes from 1e-4 to 1e6 (no exponent, no trailing
        zeros), else ``%g``; ``n/a`` for NaN or infinity.
    """
    value = float(value)
    if not np.isfinite(value):
        return "n/a"
    if abs(value) < max(zero, 1e-12):
        return "0"
    if not 1e-4 <= abs(value) < 1e6:
        return f"{value:.{digits}g}"
    decimals = max(0, digits - 1 - int(np.floor(np.log10(abs(value)))))
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if float(text) == 0 else text


def fit_parts(alpha: float, gain_hz_per_na: float, threshold_na: float,
              rmse_hz: float, offset_hz: float | None = None) -> list[str]:
    """Return ``alpha = ...``, ``gain = ... Hz/nA``, ``I_th = ... nA``, ``rmse = ... Hz``.

    With `offset_hz` (a fit with an output bias) ``offset = ... Hz`` comes before the rmse.
    """
    parts = [f"alpha = {format_value(alpha, 2, zero=5e-4)}",
             f"gain = {format_value(gain_hz_per_na, 3, zero=0.05)} Hz/nA",
             f"I_th = {format_value(threshold_na, 3, zero=5e-5)} nA"]
    if offset_hz is not None:
        parts.append(f"offset = {format_value(offset_hz, 2, zero=0.005)} Hz")
    return [*parts, f"rmse = {format_value(rmse_hz, 2, zero=0.005)} Hz"]


def fit_text(alpha: float, gain_hz_per_na: float, threshold_na: float, rmse_hz: float,
             separator: str = "   ", offset_hz: float | None = None) -> str:
    """Return the one-line summary of a Leaky ReLU fit (effectively-zero values print as 0)."""
    return separator.join(fit_parts(alpha, gain_hz_per_na, threshold_na, rmse_hz, offset_hz))


def notes(plot: pg.PlotItem) -> list[pg.LabelItem]:
    """Return the text notes pinned inside `plot` (fit summary, warnings)."""
    return list(getattr(plot, "_neuron_notes", []))


def add_note(plot: pg.PlotItem, html: str, corner: str = "top", size: str = "9pt",
             color: str | None = None) -> pg.LabelItem:
    """Pin a text note inside the plot area, at a corner that does not move with the data.

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        The plot.
    html : str
        The text (simple HTML allowed).
    corner : str
        Where in the plot area: ``top``, ``top-left``, ``top-right``, ``bottom-left``,
        ``bottom-right``, ``center`` or ``below-legend`` (top left, under a one-row legend).
    size : str
        Font size.
    color : str, optional
        Text colour; default: the foreground (dark ink on export).

    Returns
    -------
    pyqtgraph.LabelItem
        The note (removed by the next redraw of the plot).
    """
    anchors = {"top": ((0.5, 0), (0.5, 0), (0, 6)), "top-left": ((0, 0), (0, 0), (8, 6)),
               "top-right": ((1, 0), (1, 0), (-8, 6)),
               "bottom-right": ((1, 1), (1, 1), (-8, -6)),
               "bottom-left": ((0, 1), (0, 1), (8, -6)),
               "center": ((0.5, 0.5), (0.5, 0.5), (0, 0)),
               "below-legend": ((0, 0), (0, 0), (8, 40))}
    item_pos, parent_pos, offset = anchors[corner]
    options = {"size": size, "justify": "left"}
    if color is not None:
        options["color"] = color
    label = pg.LabelItem(html, **options)
    label.setParentItem(plot.vb)
    label.anchor(itemPos=item_pos, parentPos=parent_pos, offset=offset)
    label.setZValue(1000)
    plot._neuron_notes = [*notes(plot), label]
    return label


def _clear_notes(plot: pg.PlotItem) -> None:
    for label in notes(plot):
        label.setParentItem(None)
        if label.scene() is not None:
            label.scene().removeItem(label)
    plot._neuron_notes = []


def _prepare(plot: pg.PlotItem, title: str, x_label: str, y_label: str,
             legend: bool = True, columns: int = 1,
             legend_offset: tuple[int, int] = (10, 10)) -> None:
    """Clear `plot` and set its title, axis labels (units in the text) and legend."""
    plot.clear()
    _clear_notes(plot)
    plot.setLogMode(x=False, y=False)
    plot.enableAutoRange()
    plot.setTitle(title)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    plot.showGrid(x=True, y=True, alpha=0.2)
    for side in ("bottom", "left"):
        plain_axis(plot.getAxis(side))  # also drops a stale SI scale (x0.001 -> 0..500 nA)
    if plot.legend is not None:
        plot.legend.clear()
        if plot.legend.scene() is not None:
            plot.legend.scene().removeItem(plot.legend)
        plot.legend = None
    if legend:
        plot.addLegend(offset=legend_offset, colCount=columns)


def _headroom(plot: pg.PlotItem, *series: np.ndarray, floor: float | None = None,
              factor: float = HEADROOM) -> None:
    """Fix the y range to the data plus room on top for the legend."""
    values = np.concatenate([np.ravel(s) for s in series if np.size(s)] or [np.zeros(1)])
    values = values[np.isfinite(values)]
    if not values.size:
        return
    low = float(values.min()) if floor is None else min(floor, float(values.min()))
    high = float(values.max())
    span = max(high - low, 1e-9)
    plot.setYRange(low - 0.03 * span, low + factor * span, padding=0)


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
    _prepare(plot, "Input and leak current, one neuron", "time (ms)", "current (nA)",
             columns=2)
    plot.plot(t_ms, i_leak_na, pen=_pen(COLORS["leak"], 1), name="leak I_L = g_L (V - E_L)")
    plot.plot(t_ms, i_in_na, pen=_pen(COLORS["input"], 2.5), name="input I(t)")
    _headroom(plot, i_in_na, i_leak_na, floor=0.0)
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
    _prepare(plot, "Membrane potential and spikes, one neuron", "time (ms)", "V (mV)",
             columns=3)
    plot.plot(t_ms, v_mv, pen=_pen(COLORS["v"], 1), name="V(t)")
    if spike_t_ms.size:
        x = np.repeat(spike_t_ms, 2)
        y = np.tile([v_th_mv, v_th_mv + 20.0], spike_t_ms.size)
        plot.plot(x, y, pen=_pen(COLORS["spike"], 1.5), connect="pairs", name="spikes")
    if t_ms.size:
        plot.plot([t_ms[0], t_ms[-1]], [v_th_mv, v_th_mv],
                  pen=_pen(COLORS["reference"], 1, pg.QtCore.Qt.PenStyle.DashLine),
                  name="threshold V_th")
    _headroom(plot, v_mv, np.array([v_th_mv + 20.0]), factor=1.3)
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
             "neuron index", legend=False)
    keep = spike_neuron < shown
    neuron, times = spike_neuron[keep], spike_t_ms[keep]
    if times.size:
        x = np.repeat(times, 2)
        y = np.column_stack([neuron - 0.4, neuron + 0.4]).ravel()
        plot.plot(x, y, pen=_pen(COLORS["raster"], 1), connect="pairs")
    plot.setYRange(-0.5, shown - 0.5, padding=0.02)
    return ["neuron", "t_ms"], np.column_stack([neuron, times])


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
    _prepare(plot, "Population rate: LIF against fitted Leaky ReLU", "time (ms)", y_label,
             columns=2)
    plot.plot(t_ms, rate_hz, pen=_pen(COLORS["lif"], 2), name="LIF population")
    plot.plot(t_ms, rate_leaky_hz, pen=_pen(COLORS["leaky"], 2.5, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU, same input")
    _headroom(plot, rate_hz, rate_leaky_hz, floor=0.0, factor=HEADROOM if noisy else 1.6)
    if not noisy:
        add_note(plot, NOISELESS_RATE_NOTE, corner="below-legend", color="#d55e00")
    return ["t_ms", "rate_hz", "rate_leaky_hz"], np.column_stack([t_ms, rate_hz, rate_leaky_hz])


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
        Fit parameters, pinned in the plot's lower right (see `fit_text`).
    theory_name : str
        Legend name of the analytic curve.

    Returns
    -------
    tuple
        Header ``current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz`` and rows.
    """
    _prepare(plot, "f-I curve: LIF against the best-fit Leaky ReLU", "input current I (nA)",
             "firing rate (Hz)")
    order = np.argsort(current_na)
    plot.plot(current_na[order], rate_theory_hz[order], pen=_pen(COLORS["theory"], 2.5),
              name=theory_name)
    plot.plot(current_na[order], rate_leaky_fit_hz[order],
              pen=_pen(COLORS["leaky"], 2, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU fit")
    plot.plot(current_na, rate_sim_hz, pen=None, symbol="o", symbolSize=7,
              symbolBrush=COLORS["lif"], symbolPen=None, name="simulated LIF")
    plot.addLine(y=0, pen=_pen(COLORS["reference"], 1))
    add_note(plot, summary.replace("   ", "&nbsp;&nbsp;&nbsp;"), corner="bottom-right")
    return (["current_na", "rate_sim_hz", "rate_theory_hz", "rate_leaky_fit_hz"],
            np.column_stack([current_na, rate_sim_hz, rate_theory_hz, rate_leaky_fit_hz]))


def _log_ticks(plot: pg.PlotItem, freq_hz: np.ndarray) -> None:
    """Label a log-frequency axis at 1, 2, 5, 10, 20, ... Hz."""
    if not freq_hz.size:
        return
    decades = range(int(np.floor(np.log10(freq_hz.min()))),
                    int(np.ceil(np.log10(freq_hz.max()))) + 1)
    values = [m * 10.0**d for d in decades for m in (1, 2, 5)]
    values = [v for v in values if freq_hz.min() / 1.5 <= v <= freq_hz.max() * 1.5]
    plot.getAxis("bottom").setTicks([[(np.log10(v), f"{v:g}") for v in values]])


def draw_response_gain(plot: pg.PlotItem, freq_hz: np.ndarray, lif_gain: np.ndarray,
                       leaky_gain: np.ndarray, noisy: bool = True,
                       static_gain: np.ndarray | None = None) -> Table:
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

    Returns
    -------
    tuple
        Header ``freq_hz, lif_gain_hz_per_na, leaky_gain_hz_per_na`` (and
        ``lif_static_gain_hz_per_na`` with `static_gain`) and rows.
    """
    _prepare(plot, "Frequency response: gain of the rate modulation", "drive frequency f (Hz)",
             "gain (Hz/nA)", columns=2)
    plot.setLogMode(x=True, y=False)
    plot.plot(freq_hz, leaky_gain, pen=_pen(COLORS["leaky"], 2.5, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU (instantaneous)")
    plot.plot(freq_hz, lif_gain, pen=_pen(COLORS["lif"], 2), symbol="o", symbolSize=7,
              symbolBrush=COLORS["lif"], symbolPen=None, name="LIF population")
    series = [lif_gain, leaky_gain]
    if static_gain is not None:
        static_gain = np.broadcast_to(np.asarray(static_gain, dtype=float), freq_hz.shape)
        plot.plot(freq_hz, static_gain, pen=_pen(COLORS["theory"], 2,
                                                 pg.QtCore.Qt.PenStyle.DashLine),
                  name=STATIC_SLOPE_NAME)
        series.append(static_gain)
    _log_ticks(plot, freq_hz)
    _headroom(plot, *series, floor=0.0, factor=1.3)
    if not noisy:
        add_note(plot, NOISELESS_RESPONSE_NOTE, corner="bottom-left", size="10pt",
                 color="#d55e00")
    header = ["freq_hz", "lif_gain_hz_per_na", "leaky_gain_hz_per_na"]
    if static_gain is not None:
        header.append("lif_static_gain_hz_per_na")
    return header, np.column_stack([freq_hz, *series])


def draw_response_phase(plot: pg.PlotItem, freq_hz: np.ndarray, lif_phase: np.ndarray,
                        leaky_phase: np.ndarray, noisy: bool = True) -> Table:
    """Draw the rate's first-harmonic phase against drive frequency (log axis).

    Parameters
    ----------
    plot : pyqtgraph.PlotItem
        Where to draw.
    freq_hz, lif_phase, leaky_phase : numpy.ndarray
        Frequencies (Hz) and phases (degrees; negative = lag).
    noisy : bool
        False pins the same warning as on the gain plot.

    Returns
    -------
    tuple
        Header ``freq_hz, lif_phase_deg, leaky_phase_deg`` and rows.
    """
    _prepare(plot, "Frequency response: phase of the rate modulation", "drive frequency f (Hz)",
             "phase (deg; negative = lag)", columns=3)
    plot.setLogMode(x=True, y=False)
    plot.plot(freq_hz, leaky_phase, pen=_pen(COLORS["leaky"], 2.5, pg.QtCore.Qt.PenStyle.DashLine),
              name="Leaky ReLU (no lag)")
    plot.plot(freq_hz, lif_phase, pen=_pen(COLORS["lif"], 2), symbol="o", symbolSize=7,
              symbolBrush=COLORS["lif"], symbolPen=None, name="LIF population")
    if freq_hz.size:
        plot.plot([freq_hz.min(), freq_hz.max()], [-45, -45],
                  pen=_pen(COLORS["reference"], 1.5, pg.QtCore.Qt.PenStyle.DotLine),
                  name="-45 deg (white-noise limit)")
    _log_ticks(plot, freq_hz)
    finite = lif_phase[np.isfinite(lif_phase)] if lif_phase.size else np.zeros(0)
    low = min(-60.0, float(finite.min()) - 10.0) if finite.size else -60.0
    plot.setYRange(low, 0.45 * abs(low), padding=0)
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
            panel = self.addPlot(row=row + 1, col=0)
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
    _prepare(top, "" if stacked else title, "" if stacked else x_label, "alpha", columns=2)
    if stacked:
        plot.setTitle(title)
        top.setTitle(None)
    top.plot(x, alpha, pen=_pen(COLORS["theory"], 2), symbol="s", symbolSize=7,
             symbolBrush=COLORS["theory"], symbolPen=None, name="3-parameter fit")
    top.plot(x, alpha_offset, pen=_pen(COLORS["leaky"], 2), symbol="o", symbolSize=7,
             symbolBrush=COLORS["leaky"], symbolPen=None, name="with output offset")
    _headroom(top, alpha, alpha_offset, floor=0.0, factor=1.9 if stacked else 1.6)
    add_note(top, ALPHA_PINNED_NOTE, corner="below-legend", size="8pt")
    panels = [top]
    if stacked:
        for panel, values, label, key in ((plot.panels[1], gain, "gain (Hz/nA)", "theory"),
                                          (plot.panels[2], threshold, "I_th (nA)", "lif")):
            _prepare(panel, "", "", label, legend=False)
            panel.setTitle(None)
            panel.plot(x, values, pen=_pen(COLORS[key], 2), symbol="s", symbolSize=6,
                       symbolBrush=COLORS[key], symbolPen=None)
            panels.append(panel)
        add_note(plot.panels[1], "3-parameter fit", corner="top-right", size="8pt")
        for panel in panels[:-1]:
            panel.getAxis("bottom").setStyle(showValues=False)
            panel.setLabel("bottom", "")
        panels[-1].getAxis("bottom").setStyle(showValues=True)
        panels[-1].setLabel("bottom", x_label)
    if current is not None and np.isfinite(current):
        for panel in panels:
            panel.addLine(x=current, pen=_pen(COLORS["reference"], 1.5,
                                               pg.QtCore.Qt.PenStyle.DashLine))
    return ([x_name, "alpha", "alpha_with_offset", "gain_hz_per_na", "threshold_na"],
            np.column_stack([x, alpha, alpha_offset, gain, threshold]))
