"""`python main.py export`: run every tab's work headless and write all its figures (no Qt)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from cli.arguments import add_output_folder, int_at_least, non_empty, writable_dir
from cli.errors import UsageError
from cli.progress import Progress
from models.config import MAX_STEPS

SIZES = ("column", "page", "slide")
FORMATS = ("png", "svg", "pdf", "csv")
NEURON_PRESET = "noisy"  # the Neuron tab opens on it
ALPHA_SCAN = "noise_mv"


def register(subparsers) -> None:
    """Add the ``export`` subcommand."""
    parser = subparsers.add_parser(
        "export", help="every figure of every tab, headless (PNG, SVG, PDF, CSV)",
        description="Train the Networks grid (recording every probe), run the default sweep, "
        "the Neuron simulations and the Theory computations, then write every figure as PNG, "
        "SVG (text as text), PDF and the CSV of its numbers (unit-bearing columns) into "
        "DIR/networks, DIR/sweep, DIR/neuron and DIR/theory; each Networks cell's detail "
        "figures go to DIR/networks/cell-ACTIVATION@LR. DIR also gets config.json, "
        "README.txt and reproduce.sh (regenerates DIR from config.json). No Qt needed.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--preset", metavar="NAME", type=non_empty("--preset"),
                        help="Networks preset (e.g. high-lr-kills)")
    source.add_argument("--session", metavar="FILE", type=non_empty("--session"),
                        help="a saved session: its Networks config")
    source.add_argument("--config", metavar="FILE", type=non_empty("--config"),
                        help="a config.json written by an earlier export")
    parser.add_argument("--steps", type=int_at_least("--steps", 1, MAX_STEPS),
                        help="training steps for the Networks grid (default: the config's)")
    parser.add_argument("--cell", metavar="ACT@LR",
                        help="detail figures of this cell only, e.g. relu@6 (default: every cell)")
    parser.add_argument("--size", choices=SIZES, default="page",
                        help="figure width: column 3.5 in, page 7 in, slide 13.3 in "
                             "(default page)")
    parser.add_argument("--style", metavar="FILE", help="matplotlib style file replacing "
                        "resources/figures.mplstyle")
    parser.add_argument("--dpi", type=int_at_least("--dpi", 50, 1200), default=300,
                        help="PNG resolution (default 300)")
    parser.add_argument("--tabs", default="networks,sweep,neuron,theory", metavar="LIST",
                        help="which tabs to export, comma list (default all four)")
    parser.add_argument("--timeout", type=int_at_least("--timeout", 10, 86_400), default=900,
                        help="accepted for compatibility; the work runs in this process")
    add_output_folder(parser)
    parser.set_defaults(func=run)


def _say(text: str) -> None:
    sys.stderr.write(f"export: {text}\n")
    sys.stderr.flush()


def _preset_document(args: argparse.Namespace) -> dict:
    """Return the Networks part as a preset document (title, explanation, config, schedule)."""
    from models.config import ExperimentConfig
    from models.presets import PRESET_DIR, PresetError, load_preset

    if args.preset:
        try:
            load_preset(args.preset)  # validates (and names a missing preset)
            return json.loads((PRESET_DIR / f"{args.preset}.json").read_text(encoding="utf-8"))
        except PresetError as exc:
            raise UsageError(f"--preset: {exc}") from None
    if args.config:
        try:
            document = json.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"--config: {args.config}: cannot read: {exc}") from None
        if not isinstance(document, dict):
            raise UsageError(f"--config: {args.config}: expected a JSON object")
        return document.get("networks", document)
    if args.session:
        from models.session_file import SessionError, read_session

        try:
            session = read_session(args.session)
        except SessionError as exc:
            raise UsageError(f"--session: {exc}") from None
        networks = session.get("tabs", {}).get("networks", {})
        return {"title": "session", "config": networks.get("config", {}), "schedule": []}
    return {"title": "default", "config": ExperimentConfig().to_dict(), "schedule": []}


def run(args: argparse.Namespace) -> int:
    """Run each tab's work and write every figure; return 0."""
    from figures.render import check_style
    from models.config import ConfigError
    from models.presets import PresetError, preset_from_dict

    tabs = [t.strip() for t in args.tabs.split(",") if t.strip()]
    for tab in tabs:
        if tab not in ("networks", "sweep", "neuron", "theory"):
            raise UsageError(f"--tabs: unknown tab {tab!r}; choose from networks, sweep, "
                             "neuron, theory")
    try:
        style = check_style(args.style) if args.style else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    document = _preset_document(args)
    if args.steps:
        document = {**document, "config": {**document.get("config", {}), "steps": args.steps}}
    try:
        preset = preset_from_dict(args.preset or "config", document)
    except (PresetError, ConfigError) as exc:
        option = "--config" if args.config else "--session" if args.session else "--preset"
        raise UsageError(f"{option}: {exc}") from None
    if args.cell and "networks" in tabs:
        _check_cell(args.cell, preset.config)
    from models.safe_io import check_output_folder, expand, output_folder

    check_output_folder(args.out, args.overwrite, "--out")
    options = {"size": args.size, "style": style, "dpi": args.dpi}
    from figures.files import HERE, write_provenance, write_text

    # the folder is written as a whole: an interrupted export leaves OUT.partial, never OUT
    with output_folder(args.out, args.overwrite, "--out") as out:
        write_text(out / "config.json", json.dumps({"networks": document}, indent=2) + "\n")
        written: list[Path] = []
        runners = {"networks": _networks, "sweep": _sweep, "neuron": _neuron,
                   "theory": _theory}
        for tab in tabs:
            folder = writable_dir(out / tab)
            start = time.perf_counter()
            written += runners[tab](args, preset, folder, options)
            _say(f"{tab}: done in {time.perf_counter() - start:.1f} s")
        argv = ["export", "--config", f"{HERE}/config.json", "--out", HERE, "--size",
                args.size, "--dpi", str(args.dpi), "--tabs", ",".join(tabs)]
        if args.cell:
            argv += ["--cell", args.cell]
        if args.style:
            argv += ["--style", str(Path(args.style).resolve())]
        argv.append("--overwrite")  # it regenerates this very folder
        written += write_provenance(out, argv, _readme(preset, tabs))
        figures = sorted({str(p.relative_to(out).with_suffix(""))
                          for p in written if p.suffix == ".png"})
    print(json.dumps({"out": str(expand(args.out)), "files": len(written), "figures": figures},
                     indent=2))
    return 0


def _check_cell(cell: str, config) -> None:
    """Refuse, before any training, a ``--cell`` that is not ``ACTIVATION@LR`` of the grid."""
    from figures.names import cell_id

    names = [cell_id(a, lr) for a in config.activations for lr in config.lrs]
    act, _, lr = cell.partition("@")
    try:
        if any(a == act and float(lr) == rate for a in config.activations
               for rate in config.lrs):
            return
    except ValueError:
        pass
    raise UsageError(f"--cell: {cell!r} is not a cell of the grid; choose from "
                     f"{', '.join(names)}")


def _readme(preset, tabs: list[str]) -> str:
    config = preset.config
    return (f"Figures of the tabs {', '.join(tabs)}. Networks: {preset.title!r}, "
            f"{len(config.activations)} activations x {len(config.lrs)} learning rates, "
            f"{config.steps} steps, probed every {config.log_every} steps (one CSV row per "
            f"probe), seed {config.seed}. Each cell's detail figures are in "
            "networks/cell-ACTIVATION@LR/.")


def _networks(args, preset, folder: Path, options: dict) -> list[Path]:
    from figures import network_figures as nf
    from figures.export import export_figures
    from figures.names import cell_id
    from figures.probe_history import record_probe_history
    from models.blas import single_thread_blas
    from models.datasets import DatasetError
    from models.experiment import Experiment

    config = preset.config
    try:
        experiment = Experiment(config)
    except DatasetError as exc:
        raise UsageError(f"--config: {exc}") from None
    progress = Progress(config.steps, "export: networks", "steps")
    with single_thread_blas():
        history = record_probe_history(experiment, preset, progress=progress.update)
    progress.close()
    cells = range(len(history.labels))
    if args.cell:
        try:
            cells = [history.index(args.cell)]
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    written = export_figures([nf.grid_figure(history), nf.all_cells_loss_figure(history),
                              nf.all_cells_dead_figure(history)], folder, **options)
    for k in cells:
        cell_folder = writable_dir(folder / f"cell-{cell_id(*history.labels[k])}")
        written += export_figures(nf.cell_figures(history, k, experiment), cell_folder,
                                  **options)
    return written


def _sweep(args, preset, folder: Path, options: dict) -> list[Path]:
    from figures import sweep_figures as sf
    from figures.export import export_figures
    from models.sweep.executor import iter_sweep
    from models.sweep.settings import START_BASE, SweepSettings
    from models.sweep.summary import summarize

    spec = SweepSettings().spec(START_BASE)  # the sweep the Sweep tab opens on
    out = folder / "sweep_runs.csv"
    progress, last = None, None
    for last in iter_sweep(spec, out, overwrite=True):
        if progress is None:
            progress = Progress(last.total, "export: sweep", "runs")
        progress.update(last.done)
    if progress is not None:
        progress.close()
    summaries = summarize(list(last.rows) if last is not None else [])
    figures = [sf.heatmap_figure(summaries, "dead_fraction"),
               sf.heatmap_figure(summaries, "final_loss"), sf.dead_vs_lr_figure(summaries)]
    return [out, *export_figures(figures, folder, **options)]


def _neuron(args, preset, folder: Path, options: dict) -> list[Path]:
    from figures import neuron_figures as nf
    from figures.export import export_figures
    from neuro.alpha_scan import SCANNABLE, scan_alpha
    from neuro.drive import run_drive
    from neuro.fi_curve import simulate_fi_curve
    from neuro.frequency_response import DEFAULT_FREQS_HZ, simulate_frequency_response
    from neuro.parameters import LifParameters

    path = Path(__file__).resolve().parent.parent / "resources" / "presets" / "neuron"
    data = json.loads((path / f"{NEURON_PRESET}.json").read_text(encoding="utf-8"))
    params = LifParameters.from_dict(data["parameters"])
    noisy = params.noise_mv > 0
    progress = Progress(4, "export: neuron", "runs")
    drive = run_drive(params)
    progress.update(1)
    curve = simulate_fi_curve(params)
    progress.update(2)
    response = simulate_frequency_response(params, DEFAULT_FREQS_HZ)
    progress.update(3)
    scan = scan_alpha(params, ALPHA_SCAN)
    progress.update(4)
    progress.close()
    figures = [*nf.drive_figures(drive, params.v_th_mv, noisy, params.freq_hz),
               nf.fi_figure(curve, noisy), nf.alpha_scan_figure(
                   scan, SCANNABLE[ALPHA_SCAN], getattr(params, ALPHA_SCAN)),
               *nf.response_figures(response, noisy)]
    return export_figures(figures, folder, **options)


def _theory(args, preset, folder: Path, options: dict) -> list[Path]:
    from cli import theory_command
    from cli.registry import build_parser
    from figures.export import export_figures

    theory_args = build_parser().parse_args(["theory", "all", "--out", str(folder),
                                             "--seed", str(preset.config.seed)])
    settings = theory_command.settings_from_args(theory_args)
    _, figures = theory_command.write_sections(theory_args, settings, theory_command.SECTIONS,
                                               folder)
    return export_figures(figures.values(), folder, **options)
