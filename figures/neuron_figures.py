"""Neuron figures: the Brian2 LIF population against the best-fit Leaky ReLU."""

from __future__ import annotations

import numpy as np

from figures.spec import (
    Axis,
    Band,
    Bars,
    ErrorBars,
    Events,
    Figure,
    Line,
    Note,
    Panel,
    Points,
    Segments,
    Table,
)

COLORS = {"input": "#0072b2", "leak": "#d55e00", "lif": "#0072b2", "theory": "#e69f00",
          "leaky": "#009e73", "spike": "#d55e00", "v": "#cc79a7", "raster": "#0072b2",
          "reference": "#777777"}
RASTER_MAX_NEURONS = 100
TRACE_CYCLES = 2  # the single-neuron traces show this many drive cycles (at least 100 ms)
NOISELESS_NOTE = ("No noise: the identical neurons phase-lock to the drive, so this is not a "
                  "linear response. Add noise to compare with the theory.")


def _fmt(value: float, digits: int = 3) -> str:
    value = float(value)
    if not np.isfinite(value):
        return "n/a"
    return "0" if abs(value) < 1e-12 else f"{value:.{digits}g}"


def fit_summary(fit, offset: bool = False) -> str:
    """Return the fitted Leaky ReLU's parameters as one line of text."""
    parts = [f"α = {_fmt(fit.alpha, 2)}", f"gain = {_fmt(fit.gain_hz_per_na)} Hz/nA",
             f"I_th = {_fmt(fit.threshold_na)} nA"]
    if offset:
        parts.append(f"offset = {_fmt(fit.offset_hz, 2)} Hz")
    return ", ".join([*parts, f"rmse = {_fmt(fit.rmse_hz, 2)} Hz"])


def _trace_span(duration_ms: float, freq_hz: float | None) -> float:
    if not freq_hz:
        return duration_ms
    return min(duration_ms, max(100.0, TRACE_CYCLES * 1000.0 / freq_hz))


def drive_figures(result, v_th_mv: float, noisy: bool = True,
                  freq_hz: float | None = None) -> list[Figure]:
    """Return currents, voltage, raster and population-rate figures of a sinusoidal drive.

    Parameters
    ----------
    result : neuro.drive.DriveResult
        The run.
    v_th_mv : float
        Threshold (drawn dashed; spikes rise 20 mV above it).
    noisy : bool
        False notes that noiseless neurons fire in lockstep.
    freq_hz : float, optional
        Drive frequency: the single-neuron traces then show the first cycles (the CSV
        keeps the whole run).
    """
    run = result.run
    if run.v_mv.shape[0]:
        t, i_in, i_leak, v = run.t_ms, run.i_in_na[0], run.i_leak_na[0], run.v_mv[0]
    else:
        t = i_in = i_leak = v = np.zeros(0)
    own = run.spike_t_ms[run.spike_neuron == 0]
    span = _trace_span(float(run.duration_ms), freq_hz)
    suffix = f" (first {span:g} ms)" if span < run.duration_ms else ""
    time = Axis("time", "ms", limits=(0.0, span))
    currents = Figure("currents", f"Input and leak current, one neuron{suffix}", [Panel(
        "", time, Axis("current", "nA"),
        [Line("leak", t, i_leak, "leak I_L = g_L (V − E_L)", COLORS["leak"], width=1.0),
         Line("input", t, i_in, "input I(t)", COLORS["input"], width=2.0)],
        legend_columns=2)],
        Table(["t_ms", "i_in_na", "i_leak_na"], np.column_stack([t, i_in, i_leak])))
    flag = np.zeros(t.size)
    if t.size and own.size:
        flag[np.clip(np.searchsorted(t, own), 0, t.size - 1)] = 1.0
    voltage = Figure("voltage", f"Membrane potential and spikes, one neuron{suffix}", [Panel(
        "", Axis("time", "ms", limits=(0.0, span)), Axis("V", "mV"),
        [Line("v", t, v, "V(t)", COLORS["v"], width=1.0),
         Segments("spikes", own, np.full(own.size, v_th_mv), np.full(own.size, v_th_mv + 20),
                  COLORS["spike"], 1.2, "spikes"),
         Events("threshold", np.array([v_th_mv]), color=COLORS["reference"], axis="y",
                legend="threshold V_th")], legend_columns=3)],
        Table(["t_ms", "v_mv", "spike"], np.column_stack([t, v, flag])))
    shown = min(run.n_neurons, RASTER_MAX_NEURONS)
    keep = run.spike_neuron < shown
    neuron, times = run.spike_neuron[keep], run.spike_t_ms[keep]
    raster = Figure("raster", f"Spike raster (first {shown} of {run.n_neurons} neurons)", [Panel(
        "", Axis("time", "ms", limits=(0.0, float(run.duration_ms))),
        Axis("neuron", limits=(-0.5, shown - 0.5), integer=True),
        [Segments("raster", times, neuron - 0.4, neuron + 0.4, COLORS["raster"], 0.6)],
        legend=False)], Table(["neuron", "t_ms"], np.column_stack([neuron, times])))
    if result.kernel_ms > 0:
        smoothing = f"Gaussian kernel σ = {_fmt(result.kernel_ms, 2)} ms"
    else:
        smoothing = f"{_fmt(result.bin_ms, 2)} ms bins"
    rate_panel = Panel("", Axis("time", "ms", limits=(0.0, float(run.duration_ms))),
                       Axis("population rate", "Hz"),
                       [Line("lif", result.rate_t_ms, result.rate_hz, "LIF population",
                             COLORS["lif"], width=1.5),
                        Line("leaky", result.rate_t_ms, result.rate_leaky_hz,
                             "Leaky ReLU, same input", COLORS["leaky"], "dashed", 2.0)],
                       legend_columns=2)
    rate_panel.notes.append(Note("smoothing", f"both rates smoothed alike: {smoothing}",
                                 color="#444444"))
    if not noisy:
        rate_panel.notes.append(Note("lockstep", "No noise: the neurons fire in lockstep "
                                     "(synchronous volleys)", color=COLORS["spike"]))
    rate = Figure("population_rate", "Population rate: LIF against the fitted Leaky ReLU",
                  [rate_panel], Table(["t_ms", "rate_hz", "rate_leaky_hz"],
                                      np.column_stack([result.rate_t_ms, result.rate_hz,
                                                       result.rate_leaky_hz])))
    return [currents, voltage, raster, rate]


def fi_figure(curve, noisy: bool, offset: bool = False) -> Figure:
    """Return the f-I curve: simulated points, analytic or Siegert curve, Leaky ReLU fit.

    Parameters
    ----------
    curve : neuro.fi_curve.FiCurve
        The simulation.
    noisy : bool
        Names the analytic curve (Siegert with noise).
    offset : bool
        Show the fit with an output bias instead of the three-parameter one.
    """
    fit = curve.leaky_fit(offset) if hasattr(curve, "leaky_fit") else curve.fit
    order = np.argsort(curve.current_na)
    i = np.asarray(curve.current_na, float)
    fitted = fit.rate_hz(i)
    panel = Panel("", Axis("input current I", "nA"), Axis("firing rate", "Hz"), [
        Line("theory", i[order], np.asarray(curve.rate_theory_hz)[order],
             "Siegert (noisy)" if noisy else "analytic (noiseless)", COLORS["theory"],
             width=2.0),
        Line("fit", i[order], fitted[order], "Leaky ReLU fit", COLORS["leaky"], "dashed", 1.8),
        Points("sim", i, curve.rate_sim_hz, "simulated LIF", COLORS["lif"], size=3.5),
        Events("zero", np.array([0.0]), color="#bbbbbb", style="solid", axis="y")])
    span = getattr(curve, "fit_range_na", None)
    if span is not None:
        top = float(np.nanmax(np.append(np.asarray(curve.rate_theory_hz, float),
                                         np.asarray(curve.rate_sim_hz, float)))) * 1.05
        panel.series.insert(0, Band("fit_range", np.array([span[0], span[1]]), np.zeros(2),
                                    np.full(2, top if np.isfinite(top) else 1.0),
                                    COLORS["reference"], 0.12, "fit range"))
    se = getattr(curve, "rate_sim_se_hz", None)
    if se is not None:
        panel.series.append(ErrorBars("sim_se", i, np.asarray(curve.rate_sim_hz, float),
                                      np.asarray(se, float), np.asarray(se, float),
                                      COLORS["lif"]))
    heading = "fit with output offset" if offset else "3-parameter fit"
    panel.notes.append(Note("fit", f"{heading}: {fit_summary(fit, offset)}"))
    shapes = getattr(curve, "shape_fits", ())
    if shapes:
        from neuro.shape_fits import ranking_sentence

        panel.notes.append(Note("shapes", "shapes by rmse: " + ranking_sentence(
            sorted(shapes, key=lambda f: f.rmse_hz))))
    return Figure("fi_curve", "f-I curve: LIF against the best-fit Leaky ReLU", [panel],
                  Table(["current_na", "rate_sim_hz", "rate_theory_hz", "rate_leaky_fit_hz"],
                        np.column_stack([i, curve.rate_sim_hz, curve.rate_theory_hz, fitted])))


def response_figures(response, noisy: bool = True) -> list[Figure]:
    """Return the gain and phase of the rate's first harmonic against drive frequency."""
    f = np.asarray(response.freq_hz, float)
    static = getattr(response, "lif_static_gain_hz_per_na", None)
    ticks = _log_ticks(f)
    gain_series = [Line("leaky", f, response.leaky_gain_hz_per_na, "Leaky ReLU (instantaneous)",
                        COLORS["leaky"], "dashed", 2.0),
                   Line("lif", f, response.lif_gain_hz_per_na, "LIF population", COLORS["lif"],
                        marker="o")]
    columns = [f, response.lif_gain_hz_per_na, response.leaky_gain_hz_per_na]
    header = ["freq_hz", "lif_gain_hz_per_na", "leaky_gain_hz_per_na"]
    theory_gain = getattr(response, "theory_gain_hz_per_na", None)
    gain_se = getattr(response, "lif_gain_se_hz_per_na", None)
    if theory_gain is not None:
        gain_series.insert(1, Line("theory", f, np.asarray(theory_gain, float),
                                   "linear-response theory", COLORS["theory"], width=2.0))
        columns.append(np.asarray(theory_gain, float))
        header.append("theory_gain_hz_per_na")
    if gain_se is not None:
        gain_series.append(ErrorBars("lif_se", f, np.asarray(response.lif_gain_hz_per_na, float),
                                     np.asarray(gain_se, float), np.asarray(gain_se, float),
                                     COLORS["lif"]))
        columns.append(np.asarray(gain_se, float))
        header.append("lif_gain_se_hz_per_na")
    if static is not None:
        static = np.broadcast_to(np.asarray(static, float), f.shape)
        gain_series.append(Line("static", f, static, "LIF static slope at I0", COLORS["theory"],
                                "dotted", 1.5))
        columns.append(static)
        header.append("lif_static_gain_hz_per_na")
    top = np.nanmax(np.concatenate([np.ravel(c) for c in columns[1:]] or [np.ones(1)])
                    + np.nanmax(np.append(np.nan_to_num(np.asarray(
                        gain_se if gain_se is not None else 0.0, float)), 0.0)))
    gain = Panel("", Axis("drive frequency f", "Hz", scale="log", ticks=ticks),
                 Axis("gain", "Hz/nA", limits=(0.0, 1.15 * top if np.isfinite(top) else 1.0)),
                 gain_series)
    phase_values = np.asarray(response.lif_phase_deg, float)
    theory_phase = getattr(response, "theory_phase_deg", None)
    phase_se = getattr(response, "lif_phase_se_deg", None)
    spread = np.nan_to_num(np.asarray(phase_se, float)) if phase_se is not None else 0.0
    every = np.concatenate([phase_values - spread, phase_values + spread, [-45.0, 0.0],
                            np.ravel(np.asarray(theory_phase if theory_phase is not None
                                                else [], float))])
    finite = every[np.isfinite(every)]
    low, high = min(-60.0, float(finite.min()) - 10.0), max(20.0, float(finite.max()) + 10.0)
    phase = Panel("", Axis("drive frequency f", "Hz", scale="log", ticks=ticks),
                  Axis("phase (negative = lag)", "deg", limits=(low, high)),
                  [Line("leaky", f, response.leaky_phase_deg, "Leaky ReLU (no lag)",
                        COLORS["leaky"], "dashed", 2.0),
                   Line("lif", f, phase_values, "LIF population", COLORS["lif"], marker="o"),
                   Events("limit", np.array([-45.0]), color=COLORS["reference"], style="dotted",
                          axis="y", legend="−45° (white-noise limit)")])
    phase_header = ["freq_hz", "lif_phase_deg", "leaky_phase_deg"]
    phase_columns = [f, phase_values, response.leaky_phase_deg]
    if theory_phase is not None:
        phase.series.insert(1, Line("theory", f, np.asarray(theory_phase, float),
                                    "linear-response theory", COLORS["theory"], width=2.0))
        phase_header.append("theory_phase_deg")
        phase_columns.append(np.asarray(theory_phase, float))
    if phase_se is not None:
        phase.series.append(ErrorBars("lif_se", f, phase_values, np.asarray(phase_se, float),
                                      np.asarray(phase_se, float), COLORS["lif"]))
        phase_header.append("lif_phase_se_deg")
        phase_columns.append(np.asarray(phase_se, float))
    corrected = getattr(response, "crossing_correction", True)
    gain.notes.append(Note("correction", "simulated with the threshold-crossing correction"
                           if corrected else "simulated without the threshold-crossing "
                           "correction: rates biased low", color=COLORS["reference"]))
    if not noisy:
        for panel in (gain, phase):
            panel.notes.append(Note("noiseless", NOISELESS_NOTE, color=COLORS["spike"]))
    return [Figure("response_gain", "Frequency response: gain of the rate modulation", [gain],
                   Table(header, np.column_stack(columns))),
            Figure("response_phase", "Frequency response: phase of the rate modulation",
                   [phase], Table(phase_header, np.column_stack(phase_columns)))]


def _log_ticks(freq_hz: np.ndarray) -> list[tuple[float, str]] | None:
    if not freq_hz.size:
        return None
    decades = range(int(np.floor(np.log10(freq_hz.min()))),
                    int(np.ceil(np.log10(freq_hz.max()))) + 1)
    values = [m * 10.0 ** d for d in decades for m in (1, 2, 5)]
    return [(v, f"{v:g}") for v in values if freq_hz.min() / 1.01 <= v <= freq_hz.max() * 1.01]


def alpha_scan_figure(scan, label: str, current: float | None = None) -> Figure:
    """Return the fitted Leaky ReLU's alpha, gain and threshold against a scanned parameter.

    Parameters
    ----------
    scan : neuro.alpha_scan.AlphaScan
        The fits.
    label : str
        Axis label of the scanned parameter with its unit (``noise sigma (mV)``).
    current : float, optional
        The present value, marked on every panel.
    """
    x = np.asarray(scan.values, float)
    name, _, unit = label.rstrip(")").partition(" (")
    mark = [Events("current", np.array([current]), color=COLORS["reference"],
                   legend="present value")] if current is not None else []
    top = Panel("", Axis(""), Axis("α"), [
        Line("alpha", x, scan.alpha, "3-parameter fit", COLORS["theory"], marker="s"),
        Line("alpha_offset", x, scan.alpha_with_offset, "with output offset", COLORS["leaky"],
             marker="o"), *mark], legend_columns=1)
    top.notes.append(Note("pinned", "3-parameter α stays 0: its leaky side is negative; "
                          "with an output offset α grows with noise"))
    gain = Panel("", Axis(""), Axis("gain", "Hz/nA"),
                 [Line("gain", x, scan.gain_hz_per_na, "gain (3-parameter fit)",
                       COLORS["theory"], marker="s"), *mark], legend=False, share_x=True)
    threshold = Panel("", Axis(name, unit), Axis("I_th", "nA"),
                      [Line("threshold", x, scan.threshold_na, "threshold (3-parameter fit)",
                            COLORS["lif"], marker="s"), *mark], legend=False, share_x=True)
    header = [scan.name, "alpha", "alpha_with_offset", "gain_hz_per_na", "threshold_na"]
    return Figure("alpha_scan", f"Fitted Leaky ReLU against {name}", [top, gain, threshold],
                  Table(header, np.column_stack([x, scan.alpha, scan.alpha_with_offset,
                                                 scan.gain_hz_per_na, scan.threshold_na])),
                  rows=3, cols=1, aspect=1.1)


def isi_figure(stats) -> Figure:
    """Return the pooled interspike-interval histogram (`neuro.isi.IsiStatistics`) with its CV."""
    edges, counts = np.asarray(stats.edges_ms, float), np.asarray(stats.counts, float)
    centres = 0.5 * (edges[:-1] + edges[1:]) if counts.size else np.zeros(0)
    width = float(np.diff(edges).mean()) if counts.size else 1.0
    cv = "n/a" if not np.isfinite(stats.cv) else f"{stats.cv:.2f}"
    panel = Panel("", Axis("interspike interval", "ms"), Axis("count"), [
        Bars("isi", centres, counts, width, COLORS["lif"], "intervals")], legend=False)
    panel.notes.append(Note("cv", f"CV = {cv}, {stats.neurons_with_isi} neurons "
                            "(includes the drive's modulation)"))
    rows = np.column_stack([edges[:-1], edges[1:], counts]) if counts.size \
        else np.zeros((0, 3))
    return Figure("isi", "Interspike intervals (all neurons, after the warm-up)", [panel],
                  Table(["isi_low_ms", "isi_high_ms", "count"], rows, ("count",)))


def cv_figure(curve, i0_na: float, cv_sim: float) -> Figure:
    """Return the CV theory against mean input (`neuro.isi.CvCurve`) and this run's CV at I0.

    `curve` None (no noise) gives an empty panel that says the theory needs noise.
    """
    panel = Panel("", Axis("mean input I0", "nA"), Axis("CV"))
    if curve is None:
        panel.notes.append(Note("noiseless", "No noise: the CV theory needs noise",
                                color=COLORS["spike"]))
        return Figure("cv_curve", "CV of the intervals against mean input", [panel],
                      Table(["current_na", "cv_theory"], np.zeros((0, 2))))
    current, theory = np.asarray(curve.current_na, float), np.asarray(curve.cv_theory, float)
    panel.series.append(Line("theory", current, theory,
                             f"theory (constant input, {curve.noise_mv:g} mV noise)",
                             COLORS["theory"], width=2.0))
    if np.isfinite(cv_sim):
        panel.series.append(Points("run", np.array([i0_na]), np.array([cv_sim]),
                                   "this run (sinusoidal drive)", COLORS["lif"], size=6))
    return Figure("cv_curve", "CV of the intervals against mean input", [panel],
                  Table(["current_na", "cv_theory"], np.column_stack([current, theory])))
