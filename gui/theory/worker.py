"""The theory sections: compute one from the tab's settings, or all of them as a runner job."""

from __future__ import annotations

from collections.abc import Callable

from gui.runner import Task
from models.theory.sections import SECTIONS, compute_section

__all__ = ["SECTIONS", "compute_section", "theory_job"]


def theory_job(settings: dict, sections=SECTIONS) -> Callable[[Task], None]:
    """Return the callable that computes `sections` in a `gui.runner.Runner`.

    Parameters
    ----------
    settings : dict
        Validated settings of the Theory tab (copied).
    sections : sequence of str
        Names from `SECTIONS`, computed in order.

    Returns
    -------
    callable
        ``job(task)``: reports ``(name, result)`` as each section is ready and stops
        before the next section once cancelled.
    """
    settings, sections = dict(settings), tuple(sections)

    def job(task: Task) -> None:
        from models.blas import single_thread_blas

        with single_thread_blas():
            for name in sections:
                if task.cancelled():
                    return
                task.report((name, compute_section(name, settings)))

    return job
