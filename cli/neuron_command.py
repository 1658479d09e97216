"""`main.py neuron fi|drive|response`: the Brian2 LIF neuron against Leaky ReLU, headless."""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from cli.arguments import parsed_by, writable_dir
from cli.errors import UsageError
from cli.field_options import add_field_options, build_from_fields, field_changes
from cli.progress import Progress
from models.atomic_write import atomic_write_text, write_csv
from models.budget import check_neuron_run
from models.fields import FieldError
from neuro.value_lists import parse_currents, parse_freqs

FIGURE_FORMATS = ("png", "svg", "pdf")  # the CSVs above hold every figure's data


# The f-I fit's range is a setting of ``neuron fi`` only (drive and response fit no curve).
FI_ONLY = ("fit_range_na",)


def _add_common(parser: argparse.ArgumentParser, dt_help: str | None = None,
                fi: bool = False) -> None:
    from neuro.parameters import FIELDS

    parser.add_argument("--out", required=True, metavar="DIR",
                        help="folder for the CSV, JSON and figures (created if needed)")
    add_field_options(parser, FIELDS, [name for name in FIELDS if fi or name not in FI_ONLY])
    if dt_help is not None:
        for action in parser._actions:
            if action.dest == "dt_ms":
                action.help += "; " + dt_help
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
    _add_common(fi, dt_help="with the threshold-crossing correction the noisy rate at 0.1 "
                            "is within 2%% of Siegert from 0.75x rheobase up (4%% at 0.5x); "
                            "without it, 4-14%% below", fi=True)
    fi.add_argument("--currents", type=parsed_by(parse_currents), default=None,
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
    response.add_argument("--freqs", type=parsed_by(parse_freqs), default=None, metavar="LIST",
                          help="drive frequencies in Hz, comma-separated "
                               "(default 1,2,3,5,10,20,30,50,100,200)")
    for parser in (fi, drive, response):
        parser.set_defaults(func=run)


class _Interrupted(Exception):
    """SIGINT or SIGTERM arrived during a neuron command."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def _interruptible():
    """Turn SIGINT and SIGTERM into `_Interrupted` for the command's duration (main thread).

    Brian2's import installs a SIGINT handler that only ends the run early (and logs a
    warning); it is imported first so this handler replaces it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    from neuro.brian_import import import_brian2

    def handler(signum, frame):
        raise _Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        import_brian2()  # its SIGINT handler wraps ours; put ours back on top
        signal.signal(signal.SIGINT, handler)
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _parameters(args: argparse.Namespace):
    from neuro.parameters import FIELDS, LifParameters

    return build_from_fields(LifParameters, FIELDS, **field_changes(args, FIELDS))


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
        except FieldError as exc:
            raise UsageError(f"--freqs: {freq:g} Hz: {exc.problem}") from None
    if kind == "fi":
        _check_fit_currents(args, params)
    check_neuron_run(kind, params, getattr(args, "currents", None), getattr(args, "freqs", None))
    folder = writable_dir(args.out)
    progress = Progress(100, f"neuron {kind}", unit="%")
    report = lambda fraction: progress.update(int(round(100 * fraction)))  # noqa: E731
    before = {p.name for p in folder.iterdir()}
    written: list[Path] = []
    try:
        with _interruptible():
            {"fi": _run_fi, "drive": _run_drive, "response": _run_response}[kind](
                args, params, folder, report, written)
    except Exception as exc:  # Brian2 wraps a signal raised inside its generated code
        cause = _interruption(exc)
        if cause is None:
            progress.close()
            raise
        return _discard(cause, kind, written, folder, before, progress)
    except (_Interrupted, KeyboardInterrupt) as exc:
        return _discard(exc, kind, written, folder, before, progress)
    except BaseException:
        progress.close()
        raise
    progress.close()
    for path in written:
        print(path)
    return 0


def _interruption(exc: BaseException) -> BaseException | None:
    """Return the interruption behind `exc` (itself, or its cause chain), or None."""
    from neuro.lif_simulation import SimulationInterrupted

    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, _Interrupted | SimulationInterrupted | KeyboardInterrupt):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def _discard(exc, kind, written, folder, before, progress) -> int:
    """Delete what an interrupted run wrote, say so in one line; return 128 + signal."""
    signum = getattr(exc, "signum", signal.SIGINT)
    for path in [*written, *(p for p in folder.iterdir() if p.name not in before)]:
        if path.is_file():  # an interrupted run leaves nothing that looks complete
            path.unlink(missing_ok=True)
    newline = "\n" if progress.done and progress.stream.isatty() else ""
    sys.stderr.write(f"{newline}main.py: neuron {kind} interrupted by "
                     f"{signal.Signals(signum).name}; nothing written\n")
    return 128 + int(signum)


def _check_fit_currents(args, params) -> None:
    """Refuse, before any work, currents that leave fewer than 3 distinct points to fit."""
    import numpy as np

    from neuro.fi_curve import default_currents_na

    currents = default_currents_na(params) if args.currents is None else np.asarray(
        args.currents, dtype=float)
    inside = currents
    if params.fit_range_na is not None:
        low, high = params.fit_range_na
        inside = currents[(currents >= low) & (currents <= high)]
    distinct = np.unique(inside).size
    if distinct < 3:
        where = " inside --fit-range" if params.fit_range_na is not None else ""
        raise UsageError(f"--currents: a fit needs at least 3 distinct currents{where} "
                         f"(got {distinct})")


def _json(data) -> str:
    """JSON text with no NaN or infinity (they become null)."""
    def clean(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(data), indent=2, allow_nan=False) + "\n"


def _cell(value):
    """A CSV cell: a missing or non-finite number is left empty."""
    if value is None:
        return ""
    value = float(value)
    return value if math.isfinite(value) else ""


def _run_fi(args, params, folder, report, written):
    from figures.export import export_figures
    from figures.neuron_figures import fi_figure
    from neuro.fi_curve import simulate_fi_curve
    from neuro.shape_fits import ranking_sentence

    # the crossing correction and the fit range are the parameters' own
    curve = simulate_fi_curve(params, args.currents, fit_offset=args.fit_offset,
                              target=args.target, progress=report)
    se = curve.rate_sim_se_hz
    rows = zip(curve.current_na, curve.rate_sim_hz, curve.rate_theory_hz,
               curve.rate_leaky_fit_hz, [None] * curve.current_na.size if se is None else se)
    written.append(write_csv(folder / "fi.csv", ["current_na", "rate_sim_hz", "rate_theory_hz",
                                                 "rate_leaky_fit_hz", "rate_sim_se_hz"],
                             ([_cell(v) for v in row] for row in rows)))
    fit = curve.fit.to_dict()
    if not args.fit_offset:
        fit.pop("offset_hz")
    fit["fit_range_na"] = [fit.pop("range_low_na"), fit.pop("range_high_na")]
    fit["crossing_correction"] = curve.crossing_correction
    fit["shape_ranking"] = [shape.to_dict() for shape in curve.shape_fits]
    fit["shape_verdict"] = ranking_sentence(list(curve.shape_fits))
    written.append(atomic_write_text(folder / "fit.json", _json(fit)))
    written += export_figures([fi_figure(curve, params.noise_mv > 0, offset=args.fit_offset)],
                              folder, formats=FIGURE_FORMATS)


def _run_drive(args, params, folder, report, written):
    from figures.export import export_figures
    from figures.neuron_figures import drive_figures
    from neuro.drive import run_drive

    result = run_drive(params, target=args.target, progress=report)
    header, rows = result.trace_table()
    written.append(write_csv(folder / "trace.csv", header, rows))
    spikes = zip(result.run.spike_neuron.tolist(), result.run.spike_t_ms.tolist())
    written.append(write_csv(folder / "spikes.csv", ["neuron", "t_ms"], spikes))
    isi = result.isi_statistics()
    written.append(write_csv(folder / "isi.csv", ["isi_low_ms", "isi_high_ms", "count"],
                             zip(isi.edges_ms[:-1], isi.edges_ms[1:], isi.counts.tolist())))
    summary = {"rate_kernel_sigma_ms": result.kernel_ms, "rate_bin_ms": result.bin_ms,
               "rate_smoothing": "both rates binned at rate_bin_ms, then Gaussian-smoothed "
                                 "with sigma rate_kernel_sigma_ms",
               "isi_cv": isi.cv, "isi_mean_ms": isi.mean_isi_ms, "isi_count": int(isi.isi_ms.size),
               "isi_from_ms": result.warmup_ms,
               "crossing_correction": params.crossing_correction,
               "leaky_fit": result.fit.to_dict()}
    written.append(atomic_write_text(folder / "drive.json", _json(summary)))
    written += export_figures(drive_figures(result, params.v_th_mv, params.noise_mv > 0,
                                            params.freq_hz), folder, formats=FIGURE_FORMATS)


def _run_response(args, params, folder, report, written):
    import numpy as np

    from figures.export import export_figures
    from figures.neuron_figures import response_figures
    from neuro.frequency_response import BLOCKS, DEFAULT_FREQS_HZ, simulate_frequency_response

    freqs = DEFAULT_FREQS_HZ if args.freqs is None else args.freqs
    response = simulate_frequency_response(params, freqs, target=args.target, progress=report)
    missing = np.full(response.freq_hz.size, np.nan)
    theory_gain = missing if response.theory_gain_hz_per_na is None else (
        response.theory_gain_hz_per_na)
    theory_phase = missing if response.theory_phase_deg is None else response.theory_phase_deg
    columns = [response.freq_hz, response.lif_gain_hz_per_na, response.lif_gain_se_hz_per_na,
               response.lif_phase_deg, response.lif_phase_se_deg, theory_gain, theory_phase,
               response.leaky_gain_hz_per_na, response.leaky_phase_deg,
               response.lif_mean_rate_hz]
    rows = ([_cell(v) for v in row] for row in zip(*columns))
    written.append(write_csv(folder / "response.csv",
                             ["freq_hz", "lif_gain_hz_per_na", "lif_gain_se_hz_per_na",
                              "lif_phase_deg", "lif_phase_se_deg", "theory_gain_hz_per_na",
                              "theory_phase_deg", "leaky_gain_hz_per_na", "leaky_phase_deg",
                              "lif_mean_rate_hz"], rows))
    summary = {"i0_na": params.i0_na, "i1_na": params.i1_na,
               "amplitude_note": response.amplitude_note,
               "standard_error": f"spread of the harmonic over {BLOCKS} independent "
                                 "sub-populations per frequency, divided by sqrt(blocks)",
               "theory": ("white-noise LIF linear response (Lindner & Schimansky-Geier 2001; "
                          "Brunel et al. 2001), small I1 only" if params.noise_mv > 0 else
                          "none: the linear response theory needs noise"),
               "phase": "degrees against the input sine, negative = lag, unwrapped along f",
               "crossing_correction": response.crossing_correction}
    written.append(atomic_write_text(folder / "response.json", _json(summary)))
    written += export_figures(response_figures(response, params.noise_mv > 0), folder,
                              formats=FIGURE_FORMATS)
