"""The theory sections: compute one from the tab's settings, or all of them as a runner job."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gui.runner import Task

__all__ = ["SECTIONS", "compute_section", "lipschitz_ratio", "theory_job"]

SECTIONS = ("gradients", "propagation", "born_dead", "pruning", "sigmoid", "lipschitz")


def compute_section(name: str, s: dict):
    """Compute one theory section from the tab's settings (pure numpy; no widgets).

    Parameters
    ----------
    name : str
        One of `SECTIONS`.
    s : dict
        Validated settings of the Theory tab.

    Returns
    -------
    object
        The section's result (see `models.theory`, `models.theory_born_dead`,
        `models.pruning`).
    """
    from models import theory
    from models.pruning import pruning_demo
    from models.theory_born_dead import born_dead_study

    if name == "gradients":
        return theory.leaky_moments_sweep(s["alphas"], s["width"], s["points"], s["seed"])
    if name == "propagation":
        return theory.propagation_study(s["alpha"], s["width"], s["depth"],
                                        min(s["points"], 256), s["seed"])
    if name == "born_dead":
        return born_dead_study(s["bd_widths"], s["bd_depths"], s["trials"], s["bd_init"],
                               s["seed"])
    if name == "pruning":
        net, x, result, diff = pruning_demo(s["prune_width"], s["prune_depth"], s["prune_lr"],
                                            s["prune_steps"], seed=s["seed"])
        return {"result": result, "diff": diff, "before": net.forward(x).copy()[:, 0],
                "after": result.forward(x)[:, 0]}
    if name == "sigmoid":
        return theory.sigmoid_study(seed=s["seed"])
    if name == "lipschitz":
        return lipschitz_ratio(s["alphas"], s["seed"])
    raise ValueError(f"section: unknown {name!r}")


def lipschitz_ratio(alphas, seed: int = 0, pairs: int = 200_000) -> dict[float, float]:
    """Return, per alpha, the largest ``|phi(x)-phi(y)| / |x-y|`` of Leaky ReLU over random pairs.

    Parameters
    ----------
    alphas : sequence of float
        Slopes in [0, 1] (the claim: Leaky ReLU is 1-Lipschitz there).
    seed : int
        Seed of the pairs.
    pairs : int
        Number of random pairs.

    Returns
    -------
    dict of float to float
        Largest ratio per alpha (at most 1).
    """
    from models.activations import leaky_relu

    rng = np.random.default_rng([seed, 31])
    x, y = rng.normal(0, 3, (2, pairs))
    keep = np.abs(x - y) > 1e-9
    x, y = x[keep], y[keep]
    return {float(a): float(np.max(np.abs(leaky_relu(x, a) - leaky_relu(y, a)) / np.abs(x - y)))
            for a in alphas}


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
