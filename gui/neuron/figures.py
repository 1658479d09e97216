"""Neuron-tab figures: fill named plots from neuro results, and render them offscreen."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.figures import Figure
from gui.neuron import plots
from gui.neuron.drawing import stepped

DRIVE_FIGURES = ("currents", "voltage", "raster", "population_rate")
FI_FIGURES = ("fi_curve",)
RESPONSE_FIGURES = ("response_gain", "response_phase")
SCAN_FIGURES = ("alpha_scan",)
INTERVAL_FIGURES = ("isi", "cv_curve")
ALL_FIGURES = DRIVE_FIGURES + FI_FIGURES + RESPONSE_FIGURES + SCAN_FIGURES + INTERVAL_FIGURES

Tables = dict[str, plots.Table]
STACKED_FIGURES = {"alpha_scan": 3}  # figures drawn as a PlotStack of this many panels


def add_figure_item(layout: pg.GraphicsLayout, name: str, row: int | None = None,
                    col: int | None = None, **span):
    """Add the item figure `name` is drawn into: a `PlotStack` or a plain PlotItem."""
    if name in STACKED_FIGURES:
        item = plots.PlotStack(STACKED_FIGURES[name])
        layout.addItem(item, row=row, col=col, **span)
        return item
    return layout.addPlot(enableMenu=False, row=row, col=col, **span)


@stepped
def fill_drive(items: dict[str, pg.PlotItem], result, v_th_mv: float,
               noisy: bool = True, freq_hz: float | None = None) -> Tables:
    """Draw a `neuro.drive.DriveResult` into the four drive plots; return their tables.

    `noisy` False notes on the rate plot that noiseless neurons fire in lockstep; with
    `freq_hz` the single-neuron traces open on the first drive cycles (`zoom_traces`).
    ``fill_drive.steps(...)`` draws the same a plot item at a time (`gui.neuron.drawing`);
    so do the other ``fill_*``.
    """
    run = result.run
    if run.v_mv.shape[0]:
        t, i_in, i_leak, v = run.t_ms, run.i_in_na[0], run.i_leak_na[0], run.v_mv[0]
    else:
        t = i_in = i_leak = v = np.zeros(0)
    own = run.spike_t_ms[run.spike_neuron == 0]
    tables = {
        "currents": (yield from plots.draw_currents.steps(items["currents"], t, i_in, i_leak)),
        "voltage": (yield from plots.draw_voltage.steps(items["voltage"], t, v, own, v_th_mv)),
        "raster": (yield from plots.draw_raster.steps(items["raster"], run.spike_neuron,
                                                      run.spike_t_ms, run.n_neurons)),
        "population_rate": (yield from plots.draw_population_rate.steps(
            items["population_rate"], result.rate_t_ms, result.rate_hz, result.rate_leaky_hz,
            kernel_ms=result.kernel_ms, bin_ms=result.bin_ms, noisy=noisy)),
    }
    if freq_hz is not None:
        zoom_traces(items, freq_hz, run.duration_ms)
    return tables


TRACE_CYCLES = 2  # the single-neuron traces open on this many drive cycles


def zoom_traces(items: dict[str, pg.PlotItem], freq_hz: float, duration_ms: float) -> None:
    """Show the first few drive cycles (at least 100 ms) of the single-neuron traces.

    Individual spikes and the leak current's saw-tooth are unreadable over seconds; the
    raster and population rate keep the whole run. The data (and the CSV) stay complete.
    """
    span = min(duration_ms, max(100.0, TRACE_CYCLES * 1000.0 / freq_hz))
    items["currents"].setXRange(0.0, span, padding=0.01)
    for name in ("currents", "voltage"):
        title = items[name].titleLabel.text.split(" (first")[0]
        if span < duration_ms:
            title += f" (first {span:g} ms)"
        items[name].setTitle(title)


@stepped
def fill_fi(items: dict[str, pg.PlotItem], curve, noisy: bool, offset: bool = False) -> Tables:
    """Draw a `neuro.fi_curve.FiCurve` into the f-I plot; return its table.

    `offset` draws and prints the fit with an output bias (``offset + gain * max(alpha z,
    z)``) instead of the three-parameter one; the table's ``rate_leaky_fit_hz`` follows it.
    """
    fit = curve.leaky_fit(offset) if hasattr(curve, "leaky_fit") else curve.fit
    heading = fit_heading(curve, offset)
    parts = plots.fit_parts(fit.alpha, fit.gain_hz_per_na, fit.threshold_na, fit.rmse_hz,
                            fit.offset_hz if offset else None)
    lines = [heading, "   ".join(parts[:2]), "   ".join(parts[2:])]
    ranking = shape_ranking(curve)
    if ranking:
        lines.append(ranking)
    name = "Siegert (noisy)" if noisy else "analytic (noiseless)"
    table = yield from plots.draw_fi_curve.steps(
        items["fi_curve"], curve.current_na, curve.rate_sim_hz, curve.rate_theory_hz,
        fit.rate_hz(curve.current_na), "<br>".join(lines), name,
        getattr(curve, "fit_range_na", None), getattr(curve, "rate_sim_se_hz", None))
    return {"fi_curve": table}


def fit_heading(curve, offset: bool) -> str:
    """Say which Leaky ReLU is drawn, over which currents and at which time step."""
    heading = "fit with output offset" if offset else "3-parameter fit"
    where = []
    span = getattr(curve, "fit_range_na", None)
    if span is not None:
        where.append(f"over {plots.format_value(span[0], 3)} to "
                     f"{plots.format_value(span[1], 3)} nA (shaded)")
    dt_ms = getattr(curve, "dt_ms", None)
    if dt_ms is not None:
        where.append(f"dt = {plots.format_value(dt_ms, 2)} ms")
    return "<br>".join([f"Leaky ReLU, {heading}", ", ".join(where)] if where else
                       [f"Leaky ReLU, {heading}"])


def shape_ranking(curve) -> str:
    """Return which activation shape fits the simulated f-I best ("" without shape fits)."""
    shapes = getattr(curve, "shape_fits", ())
    if not shapes:
        return ""
    from neuro.shape_fits import ranking_sentence

    return ranking_sentence(sorted(shapes, key=lambda f: f.rmse_hz))


@stepped
def fill_response(items: dict[str, pg.PlotItem], response, noisy: bool = True) -> Tables:
    """Draw a `neuro.frequency_response.FrequencyResponse` into gain and phase plots.

    `noisy` False pins a note: a noiseless population phase-locks to the drive, so its
    response is not meaningful.
    """
    return {
        "response_gain": (yield from plots.draw_response_gain.steps(
            items["response_gain"], response.freq_hz, response.lif_gain_hz_per_na,
            response.leaky_gain_hz_per_na, noisy,
            getattr(response, "lif_static_gain_hz_per_na", None),
            getattr(response, "theory_gain_hz_per_na", None),
            getattr(response, "lif_gain_se_hz_per_na", None))),
        "response_phase": (yield from plots.draw_response_phase.steps(
            items["response_phase"], response.freq_hz, response.lif_phase_deg,
            response.leaky_phase_deg, noisy, getattr(response, "theory_phase_deg", None),
            getattr(response, "lif_phase_se_deg", None), correction_text(response))),
    }


def correction_text(result) -> str:
    """Name the threshold-crossing correction a simulation used (or its absence)."""
    if getattr(result, "crossing_correction", True):
        return "simulated with the threshold-crossing correction"
    return "simulated without the threshold-crossing correction: rates biased low"


@stepped
def fill_scan(items: dict[str, pg.PlotItem], scan, current: float | None = None) -> Tables:
    """Draw a `neuro.alpha_scan.AlphaScan` (alpha, gain, threshold; `current` marked)."""
    from neuro.alpha_scan import SCANNABLE

    table = yield from plots.draw_alpha_scan.steps(items["alpha_scan"], scan.values, scan.name,
                                                   SCANNABLE[scan.name], scan.alpha,
                                                   scan.alpha_with_offset, current,
                                                   scan.gain_hz_per_na, scan.threshold_na)
    return {"alpha_scan": table}


def make_figures(items: dict[str, pg.PlotItem], tables: Tables) -> list[Figure]:
    """Wrap filled plots and their tables as exportable figures (in `ALL_FIGURES` order)."""
    return [Figure(name, items[name], (lambda table=tables[name]: table))
            for name in ALL_FIGURES if name in tables]


def empty_headers(scan: str) -> dict[str, list[str]]:
    """Return every figure's CSV header (unit-bearing), in `ALL_FIGURES` order."""
    return {
        "currents": ["t_ms", "i_in_na", "i_leak_na"], "voltage": ["t_ms", "v_mv", "spike"],
        "raster": ["neuron", "t_ms"], "population_rate": ["t_ms", "rate_hz", "rate_leaky_hz"],
        "fi_curve": ["current_na", "rate_sim_hz", "rate_theory_hz", "rate_leaky_fit_hz"],
        "response_gain": ["freq_hz", "lif_gain_hz_per_na", "leaky_gain_hz_per_na",
                          "lif_static_gain_hz_per_na"],
        "response_phase": ["freq_hz", "lif_phase_deg", "leaky_phase_deg"],
        "alpha_scan": [scan, "alpha", "alpha_with_offset", "gain_hz_per_na", "threshold_na"],
        "isi": ["isi_low_ms", "isi_high_ms", "count"], "cv_curve": ["current_na", "cv_theory"],
    }


JOB_OF = {**{name: "drive" for name in DRIVE_FIGURES}, "fi_curve": "fi",
          "response_gain": "response", "response_phase": "response", "alpha_scan": "scan",
          "isi": "drive", "cv_curve": "drive"}


def spec_of(name: str, results: dict, cv=None):
    """Return the `figures.spec.Figure` `name` of the shown `results`, or None before one.

    Parameters
    ----------
    name : str
        One of `ALL_FIGURES`.
    results : dict
        Job -> ``(result, LifParameters, fit_offset)`` as shown by the tab.
    cv : neuro.isi.CvCurve, optional
        The CV theory shown (``cv_curve``).
    """
    from figures import neuron_figures as nf
    from neuro.alpha_scan import SCANNABLE

    shown = results.get(JOB_OF.get(name, ""))
    if shown is None:
        return None
    result, params, offset = shown
    noisy = params.noise_mv > 0
    if name == "isi":
        return nf.isi_figure(result.isi_statistics())
    if name == "cv_curve":
        return nf.cv_figure(cv, params.i0_na, result.isi_statistics().cv)
    if name in DRIVE_FIGURES:
        drawn = nf.drive_figures(result, params.v_th_mv, noisy, params.freq_hz)
    elif name == "fi_curve":
        drawn = [nf.fi_figure(result, noisy, offset)]
    elif name in RESPONSE_FIGURES:
        drawn = nf.response_figures(result, noisy)
    else:
        drawn = [nf.alpha_scan_figure(result, SCANNABLE[result.name],
                                      getattr(params, result.name))]
    return next((figure for figure in drawn if figure.name == name), None)
