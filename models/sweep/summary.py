"""Summaries of sweep rows over seeds: mean, spread and count per (panel, activation, lr)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class SweepSummary:
    """Statistics over seeds of one panel (one init, depth and width) of a sweep.

    Attributes
    ----------
    init : str
        Initialiser of the panel.
    depth, width : int
        Network shape of the panel.
    activations : list of str
        Rows of the heatmaps, in first-seen order.
    lrs : numpy.ndarray
        Columns, ascending.
    mean, std, low, high : dict of str to numpy.ndarray
        Per metric (``dead_fraction``, ``final_loss``), (activations, lrs) arrays over the
        finished (``ok``) runs' seeds; NaN where no value (a diverged run's loss is NaN and
        left out of the loss statistics).
    count : numpy.ndarray
        (activations, lrs) number of ok runs.
    failed : numpy.ndarray
        (activations, lrs) number of failed runs.
    diverged : numpy.ndarray
        (activations, lrs) number of diverged runs.
    """

    init: str
    depth: int
    width: int
    activations: list
    lrs: np.ndarray
    mean: dict
    std: dict
    low: dict
    high: dict
    count: np.ndarray
    failed: np.ndarray
    diverged: np.ndarray

    @property
    def title(self) -> str:
        """Short label of the panel."""
        return f"init {self.init}, depth {self.depth}, width {self.width}"


METRICS = ("dead_fraction", "final_loss")


def _float(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def summarize(rows: list[dict[str, str]]) -> list[SweepSummary]:
    """Group result rows into panels (init, depth, width) and reduce them over seeds.

    Parameters
    ----------
    rows : list of dict
        Rows as written to the sweep file (strings) or as returned by the runs.

    Returns
    -------
    list of SweepSummary
        One per (init, depth, width), in first-seen order.
    """
    panels: dict[tuple, list] = {}
    for row in rows:
        key = (row["init"], int(row["depth"]), int(row["width"]))
        panels.setdefault(key, []).append(row)
    out = []
    for (init, depth, width), mine in panels.items():
        acts = list(dict.fromkeys(r["activation"] for r in mine))
        lrs = np.array(sorted({float(r["lr"]) for r in mine}))
        shape = (len(acts), lrs.size)
        values = {m: [[[] for _ in range(lrs.size)] for _ in acts] for m in METRICS}
        count = np.zeros(shape, int)
        failed = np.zeros(shape, int)
        diverged = np.zeros(shape, int)
        for r in mine:
            i = acts.index(r["activation"])
            j = int(np.searchsorted(lrs, float(r["lr"])))
            if r["status"] != "ok":
                failed[i, j] += 1
                continue
            count[i, j] += 1
            diverged[i, j] += r.get("diverged") in ("1", "true", "True")
            for m in METRICS:
                v = _float(r.get(m, ""))
                if np.isfinite(v):
                    values[m][i][j].append(v)
        stats = {name: {} for name in ("mean", "std", "low", "high")}
        for m in METRICS:
            for name, fn in (("mean", np.mean), ("std", np.std), ("low", np.min),
                             ("high", np.max)):
                stats[name][m] = np.array([[fn(v) if v else np.nan for v in row]
                                           for row in values[m]], float).reshape(shape)
        out.append(SweepSummary(init, depth, width, acts, lrs, stats["mean"], stats["std"],
                                stats["low"], stats["high"], count, failed, diverged))
    return out
