"""One run of a sweep: train a single network and reduce it to one result row."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from models.config import ExperimentConfig
from models.sweep.output import config_hash
from models.sweep.spec import DEAD_THRESHOLDS, RunSpec, sweep_header

_PINNED_PID: int | None = None


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run (small and picklable).

    Attributes
    ----------
    base : ExperimentConfig
        The sweep's shared settings.
    run : RunSpec
        This run's grid point.
    probe_every : int
        Steps between dead-unit probes.
    max_depth : int
        Number of per-layer columns of the sweep's file.
    """

    base: ExperimentConfig
    run: RunSpec
    probe_every: int
    max_depth: int


def pin_blas() -> None:
    """Limit BLAS to one thread in this process (once per process; workers share cores)."""
    global _PINNED_PID
    if _PINNED_PID != os.getpid():
        from models.blas import single_thread_blas

        single_thread_blas()
        _PINNED_PID = os.getpid()


def _number(value: float) -> str:
    return repr(float(value))


def key_values(run: RunSpec) -> dict[str, str]:
    """Return the key columns of a run's row as text."""
    return {"activation": run.activation, "lr": _number(run.lr), "seed": str(int(run.seed)),
            "init": run.init, "depth": str(int(run.depth)), "width": str(int(run.width)),
            "steps": str(int(run.steps))}


def run_one(task: RunTask) -> dict[str, str]:
    """Train one network for its steps and return its result row (never raises).

    The dead fraction is probed at step 0 and every ``probe_every`` steps; ``step_dead_P``
    is the first probed step at which more than P% of the hidden units were dead (empty
    when that never happened). Any exception, including a config the engine rejects,
    becomes a row with ``status = failed`` and the exception's message.

    Parameters
    ----------
    task : RunTask
        The run.

    Returns
    -------
    dict of str to str
        One value (as CSV text) per column of `models.sweep.spec.sweep_header`.
    """
    pin_blas()
    row = dict.fromkeys(sweep_header(task.max_depth), "")
    row.update(key_values(task.run))
    try:
        _train(task, row)
        row["status"] = "ok"
    except Exception as exc:  # noqa: BLE001 - every failure becomes a failed row
        for name in row:
            if name not in key_values(task.run):
                row[name] = ""
        row["status"] = "failed"
        row["message"] = " ".join(f"{type(exc).__name__}: {exc}".split())
    row["config_hash"] = config_hash(task.base, task.probe_every)
    return row


def _train(task: RunTask, row: dict[str, str]) -> None:
    from models.experiment import Experiment

    run = task.run
    config = task.base.replace(activations=(run.activation,), lrs=(run.lr,), seed=run.seed,
                               init=run.init, depth=run.depth, width=run.width,
                               steps=run.steps, log_every=task.probe_every)
    experiment = Experiment(config)
    first: dict[int, int | None] = dict.fromkeys(DEAD_THRESHOLDS)
    snapshot = None
    for snapshot in experiment.iterate(run.steps, task.probe_every):
        fraction = float(snapshot.dead_fraction[0])
        for percent in DEAD_THRESHOLDS:
            if first[percent] is None and fraction > percent / 100:
                first[percent] = int(snapshot.step)
    row["final_loss"] = _number(snapshot.losses[0])
    row["dead_fraction"] = _number(snapshot.dead_fraction[0])
    for i, value in enumerate(np.asarray(snapshot.dead_fraction_layers[0])):
        row[f"dead_fraction_layer{i}"] = _number(value)
    row["diverged"] = str(int(bool(snapshot.diverged[0])))
    for percent in DEAD_THRESHOLDS:
        row[f"step_dead_{percent}"] = "" if first[percent] is None else str(first[percent])
