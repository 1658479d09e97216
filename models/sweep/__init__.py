"""Sweeps: the grid of runs, one run, the executors, the result file and the summaries."""

from models.sweep.executor import (
    MAX_WORKERS,
    SweepExecutionError,
    SweepProgress,
    default_workers,
    iter_sweep,
    run_sweep,
)
from models.sweep.io import ResultWriter, read_rows
from models.sweep.spec import RunSpec, SweepError, SweepSpec, build_sweep_spec, sweep_header
from models.sweep.summary import SweepSummary, summarize

__all__ = [
    "MAX_WORKERS",
    "ResultWriter",
    "RunSpec",
    "SweepError",
    "SweepExecutionError",
    "SweepProgress",
    "SweepSpec",
    "SweepSummary",
    "build_sweep_spec",
    "default_workers",
    "iter_sweep",
    "read_rows",
    "run_sweep",
    "summarize",
    "sweep_header",
]
