"""Compute the theory sections off the UI thread; results come back as signals with a request id."""

from __future__ import annotations

import threading

import numpy as np
from PySide6 import QtCore

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
        The section's result (see `models.theory`, `models.theory.born_dead`,
        `models.theory.pruning`).
    """
    from models import theory
    from models.theory.born_dead import born_dead_study
    from models.theory.pruning import pruning_demo

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


class TheoryRunner(QtCore.QObject):
    """Compute sections in a Python thread; emit each result as it is ready.

    Signals carry the request id so results of a superseded request are dropped.
    """

    section_done = QtCore.Signal(int, str, object)  # request id, section, result
    finished = QtCore.Signal(int)
    failed = QtCore.Signal(int, str)
    cancelled = QtCore.Signal(int)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._request = 0

    def start(self, settings: dict, sections=SECTIONS) -> int:
        """Start computing `sections` (cancelling a running request); return the request id."""
        self.cancel()
        self.join(2.0)
        self._request += 1
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"theory-{self._request}",
                                        args=(self._request, dict(settings), tuple(sections),
                                              self._cancel))
        self._thread.start()
        return self._request

    def _run(self, request, settings, sections, cancel) -> None:
        from models.blas import single_thread_blas

        try:
            with single_thread_blas():
                for name in sections:
                    if cancel.is_set():
                        self.cancelled.emit(request)
                        return
                    self.section_done.emit(request, name, compute_section(name, settings))
        except Exception as exc:  # noqa: BLE001 - reported as one line
            self.failed.emit(request, " ".join(f"{exc.__class__.__name__}: {exc}".split()))
            return
        self.finished.emit(request)

    def cancel(self) -> None:
        """Stop after the section being computed."""
        self._cancel.set()

    def join(self, timeout: float = 2.0) -> bool:
        """Wait for the thread; return True when it has ended."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()
