"""The sweep as a `gui.runner` job: drive `iter_sweep` and report copies of its progress."""

from __future__ import annotations

from collections.abc import Callable

from gui.runner import Task
from models.sweep.executor import iter_sweep

__all__ = ["sweep_job"]


def sweep_job(spec, out, **options) -> Callable[[Task], list]:
    """Return the callable that runs one sweep in a `gui.runner.Runner`.

    Parameters
    ----------
    spec : models.sweep.spec.SweepSpec
        The grid.
    out : path-like
        Result CSV.
    **options
        Passed to `iter_sweep` (workers, resume, overwrite, executor ...).

    Returns
    -------
    callable
        ``job(task) -> rows``: reports each `SweepProgress` (with its own copy of the rows)
        and returns the rows written; a cancelled sweep returns the rows it kept.
    """

    def job(task: Task) -> list:
        progress = None
        for progress in iter_sweep(spec, out, cancel=task.cancel_event, **options):
            task.report(type(progress)(**{**progress.__dict__, "rows": list(progress.rows)}))
        return list(progress.rows) if progress is not None else []

    return job
