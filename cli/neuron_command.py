"""`main.py neuron fi|drive|response`: the Brian2 LIF neuron against Leaky ReLU, headless."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import fields

from cli.arguments import (
    any_float,
    float_list,
    int_at_least,
    non_negative_float,
    positive_float,
    range_or_list,
    writable_dir,
)
from cli.errors import UsageError
from cli.progress import Progress
from models.atomic_write import atomic_write_text, write_csv
from models.budget import check_neuron_run

# (option, converter, help) for every LifParameters field, in DESIGN.md's units.
_OPTIONS = {
    "g_leak_ns": (positive_float, "leak conductance g_L in nS"),
    "c_m_pf": (positive_float, "membrane capacitance C_m in pF"),
    "e_leak_mv": (any_float, "leak reversal potential E_L in mV"),
    "v_th_mv": (any_float, "spike threshold V_th in mV"),
    "v_reset_mv": (any_float, "reset potential V_reset in mV (below V_th)"),
    "t_ref_ms": (non_negative_float, "refractory period in ms"),
    "noise_mv": (non_negative_float, "white-noise amplitude sigma in mV"),
    "i0_na": (any_float, "mean input current I_0 in nA"),
    "i1_na": (non_negative_float, "sinusoid amplitude I_1 in nA"),
    "freq_hz": (positive_float, "drive frequency f in Hz"),
    "n_neurons": (None, "number of independent neurons"),
    "duration_s": (positive_float, "simulated time in s"),
    "seed": (None, "random seed"),
    "dt_ms": (positive_float, "integration time step in ms"),
}


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _add_common(parser: argparse.ArgumentParser, dt_help: str | None = None) -> None:
    from neuro.parameters import MAX_NEURONS, LifParameters

    defaults = LifParameters()
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="folder for the CSV, JSON and figures (created if needed)")
    for name, (convert, text) in _OPTIONS.items():
        option = _option(name)
        if name == "n_neurons":
            convert_fn = int_at_least(option, 1, MAX_NEURONS)
        elif name == "seed":
            convert_fn = int_at_least(option, 0, 2**32 - 1)
        else:
            convert_fn = convert(option)
        default = getattr(defaults, name)
        help_text = f"{text} (default {default:g})"
        if name == "dt_ms" and dt_help is not None:
            help_text = f"{text} (default {default:g}; {dt_help})"
        parser.add_argument(option, dest=name, type=convert_fn, default=default,
                            metavar=name.rsplit("_", 1)[-1].upper(), help=help_text)
    parser.add_argument("--target", choices=("numpy", "cython"), default="numpy",
                        help="Brian2 code-generation target (cython falls back to numpy "
                             "without a compiler; default numpy)")


def register(subparsers) -> None:
    """Add the ``neuron`` subcommand with its ``fi``, ``drive`` and ``response`` kinds."""
    neuron = subparsers.add_parser(
        "neuron", help="Brian2 LIF neuron against Leaky ReLU (fi, drive, response)",
        description="Simulate a leaky integrate-and-fire population with Brian2 and compare "
                    "it with the best-fit Leaky ReLU.")
    kinds = neuron.add_subparsers(title="kinds", metavar="KIND", dest="neuron_kind",
                                  parser_class=type(neuron))
    kinds.required = True
    fi = kinds.add_parser("fi", help="f-I curve: simulated, analytic and Leaky ReLU fit",
                          description="f-I curve: one neuron per current (many under noise); "
                                      "writes fi.csv, fit.json, fi_curve.png/.svg.")
    _add_common(fi, dt_help="at 0.1 the simulated noisy rate sits 3-6%% below Siegert near "
                            "threshold (discrete-time threshold-crossing bias); 0.02 cuts that "
                            "to 1-3%% but a 40-point noisy f-I curve then takes ~4x as long, "
                            "about 11 s on a loaded 2-core machine")
    fi.add_argument("--currents", type=range_or_list("--currents"), default=None,
                    metavar="LIST", help="currents in nA: a,b,c or START:STOP:N (default 40 "
                                         "centred on the rheobase: 0 to 2.5x rheobase)")
    fi.add_argument("--fit-offset", action="store_true",
                    help="fit an output bias too: offset + gain*max(alpha z, z); fit.json "
                         "then adds offset_hz (without it, the 3-parameter fit's alpha stays "
                         "0: its leaky side is negative)")
    drive = kinds.add_parser("drive", help="sinusoidal drive: traces, spikes and rates",
                             description="Sinusoidal drive I0 + I1 sin(2 pi f t); writes "
                                         "trace.csv, spikes.csv and four figures.")
    _add_common(drive)
    response = kinds.add_parser("response", help="frequency response: LIF vs Leaky ReLU",
                                description="Gain and phase of the population rate's first "
                                            "harmonic per drive frequency; writes "
                                            "response.csv and two figures.")
    _add_common(response)
    response.add_argument("--freqs", type=float_list("--freqs"), default=None, metavar="LIST",
                          help="drive frequencies in Hz, comma-separated "
                               "(default 1,2,3,5,10,20,30,50,100,200)")
    for parser in (fi, drive, response):
        parser.set_defaults(func=run)


def _parameters(args: argparse.Namespace):
    from neuro.parameters import LifParameters

    values = {f.name: getattr(args, f.name) for f in fields(LifParameters)}
    try:
        return LifParameters(**values)
    except ValueError as exc:
        message = re.sub(r"\b(" + "|".join(_OPTIONS) + r")\b",
                         lambda m: _option(m.group(1)), str(exc))
        raise UsageError(message) from None


def run(args: argparse.Namespace) -> int:
    """Run ``neuron fi``, ``drive`` or ``response`` and write its files.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments.

    Returns
    -------
    int
        0 on success.
    """
    params = _parameters(args)
    kind = args.neuron_kind
    for freq in (getattr(args, "freqs", None) or []) if kind == "response" else []:
        try:  # every drive frequency must suit the time step, checked before any work
            params.replace(freq_hz=freq)
        except ValueError as exc:
            reason = str(exc).split(" must be ", 1)[-1]
            raise UsageError(f"--freqs: {freq:g} Hz must be {reason}") from None
    check_neuron_run(kind, params, getattr(args, "currents", None), getattr(args, "freqs", None))
    folder = writable_dir(args.out)
    progress = Progress(100, f"neuron {kind}", unit="%")
    report = lambda fraction: progress.update(int(round(100 * fraction)))  # noqa: E731
    try:
        written = {"fi": _run_fi, "drive": _run_drive, "response": _run_response}[kind](
            args, params, folder, report)
    finally:
        progress.close()
    for path in written:
        print(path)
    return 0


def _run_fi(args, params, folder, report):
    from gui.neuron_figures import FI_FIGURES, export_offscreen, fill_fi
    from neuro.fi_curve import simulate_fi_curve

    curve = simulate_fi_curve(params, args.currents, fit_offset=args.fit_offset,
                              target=args.target, progress=report)
    rows = zip(curve.current_na, curve.rate_sim_hz, curve.rate_theory_hz,
               curve.rate_leaky_fit_hz)
    written = [write_csv(folder / "fi.csv", ["current_na", "rate_sim_hz", "rate_theory_hz",
                                             "rate_leaky_fit_hz"], rows)]
    fit = curve.fit.to_dict()
    if not args.fit_offset:
        fit.pop("offset_hz")
    written.append(atomic_write_text(folder / "fit.json", json.dumps(fit, indent=2) + "\n"))
    written += export_offscreen(FI_FIGURES, lambda items: fill_fi(
        items, curve, params.noise_mv > 0, offset=args.fit_offset), folder)
    return written


def _run_drive(args, params, folder, report):
    from gui.neuron_figures import DRIVE_FIGURES, export_offscreen, fill_drive
    from neuro.drive import run_drive

    result = run_drive(params, target=args.target, progress=report)
    header, rows = result.trace_table()
    written = [write_csv(folder / "trace.csv", header, rows)]
    spikes = zip(result.run.spike_neuron.tolist(), result.run.spike_t_ms.tolist())
    written.append(write_csv(folder / "spikes.csv", ["neuron", "t_ms"], spikes))
    written += export_offscreen(DRIVE_FIGURES,
                                lambda items: fill_drive(items, result, params.v_th_mv,
                                                         params.noise_mv > 0, params.freq_hz),
                                folder)
    return written


def _run_response(args, params, folder, report):
    from gui.neuron_figures import RESPONSE_FIGURES, export_offscreen, fill_response
    from neuro.frequency_response import DEFAULT_FREQS_HZ, simulate_frequency_response

    freqs = DEFAULT_FREQS_HZ if args.freqs is None else args.freqs
    response = simulate_frequency_response(params, freqs, target=args.target, progress=report)
    rows = zip(response.freq_hz, response.lif_gain_hz_per_na, response.lif_phase_deg,
               response.leaky_gain_hz_per_na, response.leaky_phase_deg)
    written = [write_csv(folder / "response.csv",
                         ["freq_hz", "lif_gain_hz_per_na", "lif_phase_deg",
                          "leaky_gain_hz_per_na", "leaky_phase_deg"], rows)]
    written += export_offscreen(RESPONSE_FIGURES,
                                lambda items: fill_response(items, response, params.noise_mv > 0),
                                folder)
    return written
