"""Adapter: record a grid's history at every probe (the config's interval) for the figures.

The engine does not yet keep a per-probe history of its own; `record_probe_history` walks
`models.experiment.Experiment.iterate` at the config's ``log_every`` and keeps what the
figures need. When the engine records that history itself, swap this function for it: the
figures only read a `ProbeHistory`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class ProbeHistory:
    """A grid's state at every probe.

    Attributes
    ----------
    steps : numpy.ndarray
        (T,) int steps probed (0, interval, 2 interval, ..., last).
    labels : list of (str, float)
        (activation, lr) per cell, row-major over the grid (after any switch).
    activations, lrs : list
        The grid's rows and columns.
    loss : numpy.ndarray
        (T, K) probe-set loss (NaN once diverged).
    dead_fraction : numpy.ndarray
        (T, K) fraction of hidden units dead.
    dead_layers : numpy.ndarray
        (T, K, depth) fraction dead per layer (layer index 0 = the layer nearest the input).
    activity : numpy.ndarray
        (T, K, depth, width) fraction of probe points with ``z > 0``.
    dead : numpy.ndarray
        (T, K, depth, width) bool dead mask.
    diverged : numpy.ndarray
        (T, K) bool.
    events : list of (int, str)
        Interventions: the step they took effect from and what they were.
    loss_name : str
        ``bce`` or ``mse``.
    test_loss, train_accuracy, test_accuracy : numpy.ndarray or None
        (T, K) loss on the held-out test points (units of `loss`) and fractions of training
        and test points classified right; NaN where there is none.
    probe : str
        The set `loss` is measured on: ``train`` or ``held_out`` (a held-out draw).
    """

    steps: np.ndarray
    labels: list
    activations: list
    lrs: list
    loss: np.ndarray
    dead_fraction: np.ndarray
    dead_layers: np.ndarray
    activity: np.ndarray
    dead: np.ndarray
    diverged: np.ndarray
    events: list = field(default_factory=list)
    loss_name: str = "bce"
    test_loss: np.ndarray | None = None
    train_accuracy: np.ndarray | None = None
    test_accuracy: np.ndarray | None = None
    probe: str = "train"

    def held_out(self, name: str) -> np.ndarray:
        """Return ``test_loss``, ``train_accuracy`` or ``test_accuracy`` ((T, K), NaN if absent)."""
        value = getattr(self, name)
        return np.full(self.loss.shape, np.nan) if value is None else value

    @property
    def depth(self) -> int:
        """Hidden layers."""
        return int(self.activity.shape[2])

    @property
    def width(self) -> int:
        """Units per hidden layer."""
        return int(self.activity.shape[3])

    def index(self, cell: str) -> int:
        """Return the index of cell ``activation@lr`` (``relu@6``).

        Raises
        ------
        ValueError
            Naming the cells there are, if `cell` is not one of them.
        """
        from figures.names import cell_id

        act, _, lr = cell.partition("@")
        for k, (a, rate) in enumerate(self.labels):
            try:
                if a == act and float(lr) == float(rate):
                    return k
            except ValueError:
                break
        names = ", ".join(cell_id(a, r) for a, r in self.labels)
        raise ValueError(f"--cell: {cell!r} is not a cell of the grid; choose from {names}")


def record_probe_history(experiment, schedule=None, steps: int | None = None,
                         progress: Callable[[int], None] | None = None) -> ProbeHistory:
    """Train `experiment` and record every probe at its config's ``log_every`` interval.

    Parameters
    ----------
    experiment : models.experiment.Experiment
        A fresh experiment (step 0).
    schedule : models.presets.Preset, optional
        Its scheduled interventions are applied when training reaches their step.
    steps : int, optional
        Steps to train (default: the config's).
    progress : callable, optional
        Called with the step after every probe.

    Returns
    -------
    ProbeHistory
        One entry per probe: ``steps // log_every + 1`` of them (401 for 4000 steps
        probed every 10), the last step included.
    """
    config = experiment.config
    snaps, events, last = [], [], -1
    with np.errstate(all="ignore"):
        for snap in experiment.iterate(steps, config.log_every):
            snaps.append(snap)
            if schedule is not None:
                for action in schedule.due(last, snap.step):
                    action.apply(experiment)
                    events.append((snap.step, experiment.events[-1] if experiment.events
                                   else action.action))
            last = snap.step
            if progress is not None:
                progress(snap.step)
    return history_from_snapshots(snaps, config, experiment.loss_name, events)


def history_from_snapshots(snaps: list, config, loss_name: str = "bce",
                           events: list | None = None) -> ProbeHistory:
    """Return the `ProbeHistory` of snapshots already taken (``Experiment.iterate``'s).

    Parameters
    ----------
    snaps : list of models.experiment.Snapshot
        In step order.
    config : models.config.ExperimentConfig
        The grid's config.
    loss_name : str
        ``bce`` or ``mse``.
    events : list of (int, str), optional
        Interventions.
    """
    final = snaps[-1]

    def stacked(name: str) -> np.ndarray:
        return np.stack([s.held_out(name) for s in snaps]).astype(float)

    return ProbeHistory(
        steps=np.array([s.step for s in snaps], dtype=int),
        labels=list(final.labels), activations=list(config.activations),
        lrs=list(config.lrs),
        loss=np.stack([s.losses for s in snaps]).astype(float),
        dead_fraction=np.stack([s.dead_fraction for s in snaps]).astype(float),
        dead_layers=np.stack([s.dead_fraction_layers for s in snaps]).astype(float),
        activity=np.stack([s.activity for s in snaps]).astype(np.float32),
        dead=np.stack([s.dead for s in snaps]),
        diverged=np.stack([s.diverged for s in snaps]),
        events=list(events or []), loss_name=loss_name,
        test_loss=stacked("test_losses"), train_accuracy=stacked("train_accuracy"),
        test_accuracy=stacked("test_accuracy"), probe=getattr(config, "probe", "train"))


def output_map(experiment, index: int, points: int = 120) -> tuple[np.ndarray, np.ndarray]:
    """Return a cell's output over the data's domain, for the decision-boundary figure.

    Parameters
    ----------
    experiment : models.experiment.Experiment
        The trained grid.
    index : int
        The cell.
    points : int
        Grid points per axis (2-D inputs) or along x (1-D inputs).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        2-D inputs: ``(axes, output)`` with ``axes`` (2, points) and output (points, points),
        row i at ``axes[1][i]``; 1-D: ``(x, output)`` both (points,).
    """
    x = experiment.x
    low, high = x.min(axis=0), x.max(axis=0)
    pad = 0.1 * np.maximum(high - low, 1e-9)
    low, high = low - pad, high + pad
    if x.shape[1] == 2:
        gx = np.linspace(low[0], high[0], points)
        gy = np.linspace(low[1], high[1], points)
        xx, yy = np.meshgrid(gx, gy)
        out = experiment.predict(np.column_stack([xx.ravel(), yy.ravel()]), index)
        return np.stack([gx, gy]), out.reshape(points, points)
    gx = np.linspace(low[0], high[0], points)
    return gx, experiment.predict(gx[:, None], index)
