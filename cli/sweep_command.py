"""`python main.py sweep`: a grid of single-network runs over seeds, on local cores or Dask."""

from __future__ import annotations

import argparse
import sys

from cli.arguments import bounded_float, non_empty
from cli.config_options import add_config_options, config_from_args
from cli.errors import UsageError
from cli.field_options import add_field_options, build_from_fields, field_changes
from cli.progress import Progress
from models.config import FIELDS as CONFIG_FIELDS
from models.safe_io import expand
from models.sweep.dask import DEFAULT_NO_WORKER_TIMEOUT, SweepExecutionError
from models.sweep.executor import DEFAULT_CONNECT_TIMEOUT, iter_sweep
from models.sweep.output import SweepFileError
from models.sweep.settings import FIELDS as SWEEP_FIELDS
from models.sweep.settings import SweepSettings
from models.sweep.spec import SweepError, SweepSpec

MAX_CONNECT_TIMEOUT = 600.0


def register(subparsers) -> None:
    """Add the `sweep` subcommand."""
    parser = subparsers.add_parser(
        "sweep", help="sweep activations x lrs x seeds (x inits x depths x widths); write CSV",
        description="Train one network per grid point (activation x learning rate x seed, "
        "optionally x init x depth x width) and append one row per finished run to the CSV "
        "--out: final loss, dead fraction overall and per hidden layer "
        "(dead_fraction_layer0 is the first), diverged (0/1), the first probed step at which "
        "more than 10/25/50%% of the units were dead (empty: never), status (ok or failed) "
        "and the error message of a failed run. Runs go to local worker processes, or to a "
        "Dask cluster with --scheduler; the rows are the same either way. An interrupted "
        "sweep continues with --resume, redoing nothing that finished.")
    add_config_options(parser)
    sweep = parser.add_argument_group("sweep")
    # the axes default to the base config's single init, depth and width
    add_field_options(sweep, SWEEP_FIELDS, ("seeds", "probe_every"))
    add_field_options(sweep, SWEEP_FIELDS, ("inits", "depths", "widths"), defaults_shown=False)
    sweep.add_argument("--out", required=True, metavar="FILE", type=non_empty("--out"),
                       help="result CSV")
    sweep.add_argument("--no-figures", action="store_true",
                       help="write only the CSV (figures otherwise go to FILE_figures/)")
    sweep.add_argument("--resume", action="store_true",
                       help="continue the sweep in --out: skip the runs it already holds")
    sweep.add_argument("--overwrite", action="store_true",
                       help="replace an existing --out instead of refusing")
    run_on = parser.add_argument_group("where the runs go")
    add_field_options(run_on, SWEEP_FIELDS, ("workers",), defaults_shown=False)
    run_on.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (needs the "
                             "optional dask[distributed] extra; workers need ReLU Lab importable)")
    run_on.add_argument("--connect-timeout",
                        type=bounded_float("--connect-timeout", 0.0, MAX_CONNECT_TIMEOUT),
                        default=DEFAULT_CONNECT_TIMEOUT,
                        help="seconds to reach the scheduler "
                             f"(default {DEFAULT_CONNECT_TIMEOUT:g})")
    run_on.add_argument("--no-worker-timeout",
                        type=bounded_float("--no-worker-timeout", 0.0, 86_400.0),
                        default=DEFAULT_NO_WORKER_TIMEOUT,
                        help="with --scheduler: stop (keeping the finished rows) when no Dask "
                             "worker has been alive for this many seconds "
                             f"(default {DEFAULT_NO_WORKER_TIMEOUT:g})")
    run_on.add_argument("--upload", action="store_true",
                        help="with --scheduler: ship the project to the Dask workers "
                             "(Client.upload_file) instead of needing it installed there")
    parser.set_defaults(func=run)


def build_spec(args: argparse.Namespace) -> SweepSpec:
    """Return the sweep the options describe (the builder the Sweep tab uses too).

    Raises
    ------
    UsageError
        For values the sweep or the base config reject, naming the option.
    """
    base = config_from_args(args)
    changes = field_changes(args, SWEEP_FIELDS)
    # the axes default to the base config's single init, depth and width
    changes.setdefault("inits", (base.init,))
    changes.setdefault("depths", (base.depth,))
    changes.setdefault("widths", (base.width,))
    settings = build_from_fields(SweepSettings, SWEEP_FIELDS, **changes)
    try:
        spec = settings.spec(base)
    except SweepError as exc:
        raise UsageError(_option_message(exc)) from None
    spec.check_budget(1 if args.scheduler else settings.workers)
    return spec


def _option_message(exc: SweepError) -> str:
    """Word a `SweepError` with the command-line option of its field."""
    if exc.field == "runs":
        option = "--activations x --lrs x --seeds x --inits x --depths x --widths"
    else:
        spec = SWEEP_FIELDS.get(exc.field) or CONFIG_FIELDS.get(exc.field)
        option = spec.flag if spec is not None else "--" + exc.field.replace("_", "-")
    return f"{option}: {exc.problem}"


_FLAGS = {"resume": "--resume", "overwrite": "--overwrite", "upload": "--upload",
          "scheduler": "--scheduler", "no_worker_timeout": "--no-worker-timeout", "out": "--out"}


def _file_message(exc: SweepFileError) -> str:
    """Word a result-file refusal for the command line (the model layer names no flags)."""
    message = str(exc)
    if exc.field == "overwrite":
        return (f"--out: {message.split(';')[0]}; pass --resume to continue that sweep or "
                "--overwrite to start again")
    if exc.field == "resume":
        return f"--resume: {message}"
    return f"--out: {message}"


def _execution_message(exc: SweepExecutionError) -> str:
    """Word an execution failure for the command line, with the flag that fixes it."""
    message = str(exc)
    if message.startswith("scheduler: "):
        message = message[len("scheduler: "):]
    if exc.field == "upload":
        message = message.replace("or upload the project to them",
                                  "or pass --upload to ship the project to them")
    option = _FLAGS.get(exc.field, "sweep")
    hint = "; rerun with --resume to continue" if "finished rows are kept" in message else ""
    return f"{option}: {message}{hint}"


def run(args: argparse.Namespace) -> int:
    """Run the sweep, printing progress; return the exit status."""
    if args.resume and args.overwrite:
        raise UsageError("--resume, --overwrite: choose one (continue the file, or replace it)")
    if args.scheduler is not None and args.workers is not None:
        raise UsageError("--workers, --scheduler: choose one (--workers sets local processes; "
                         "a Dask cluster's workers are started on the cluster)")
    if args.upload and args.scheduler is None:
        raise UsageError("--upload: only with --scheduler (it ships the project to Dask workers)")
    spec = build_spec(args)
    if args.scheduler is not None and not args.scheduler.strip():
        raise UsageError("--scheduler: give a scheduler address such as tcp://HOST:8786")
    out = str(expand(args.out))
    progress = None
    bar = None
    first = 0
    try:
        for progress in iter_sweep(spec, out, workers=args.workers,
                                   scheduler=args.scheduler, resume=args.resume,
                                   overwrite=args.overwrite,
                                   connect_timeout=args.connect_timeout, upload=args.upload,
                                   no_worker_timeout=args.no_worker_timeout):
            if bar is None:
                bar = Progress(progress.total - progress.done, "sweep", "runs")
                first = progress.done
            bar.update(progress.done - first)
    except SweepError as exc:
        _end_line(bar)
        raise UsageError(_option_message(exc)) from None
    except SweepFileError as exc:
        _end_line(bar)
        raise UsageError(_file_message(exc)) from None
    except SweepExecutionError as exc:
        _end_line(bar)
        sys.stderr.write(f"main.py: error: {_execution_message(exc)}\n")
        return 1
    except ValueError as exc:  # the result file's path (the model layer names no flags)
        _end_line(bar)
        raise UsageError(f"--out: {exc}") from None
    except KeyboardInterrupt as exc:
        _end_line(bar)
        if progress is not None:
            exc.add_note(f"the finished runs are kept in {out}; rerun with --resume to "
                         "continue")
        raise
    except BaseException:
        _end_line(bar)  # leave the bar's line; the error goes on the next one
        raise
    if bar is not None:
        bar.close()
    if progress is not None:
        sys.stderr.write(f"sweep: {progress.done}/{progress.total} runs in {out} "
                         f"({progress.resumed} resumed, {progress.failed} failed)\n")
        if not args.no_figures and progress.rows:
            write_figures(str(out), list(progress.rows))
    return 0


def write_figures(out: str, rows: list) -> list:
    """Write the sweep's heatmaps and dead-vs-lr figure into ``OUT_figures/`` beside the CSV."""
    from pathlib import Path

    from cli.arguments import writable_dir
    from figures import sweep_figures as sf
    from figures.export import export_figures
    from models.sweep.summary import summarize

    summaries = summarize(rows)
    if not summaries:
        return []
    path = Path(out)
    folder = writable_dir(path.with_name(f"{path.stem}_figures"), "--out")
    return export_figures([sf.heatmap_figure(summaries, "dead_fraction"),
                           sf.heatmap_figure(summaries, "final_loss"),
                           sf.dead_vs_lr_figure(summaries)], folder)


def _end_line(bar) -> None:
    if bar is not None:
        bar.end_line()
