"""What the pointer is over on the grid: one unit's or one cell's numbers, from the engine."""

from __future__ import annotations

import numpy as np

from figures.names import format_lr, pretty_activation
from gui.networks.held_out_view import accuracy_text
from models.unit_states import DEAD, STATE_NAMES

__all__ = ["cell_text", "unit_text"]

_MEANING = {"alive": "alive", "dead": "dead: off on every probe point, no gradient",
            "dormant": "dormant: activity 0 but still learning (Leaky ReLU's slope)",
            "saturated": "saturated: on, but its derivative is near zero"}


def unit_text(experiment, cell: int, layer: int, unit: int, step: int | None = None) -> str:
    """Describe unit `unit` of `layer` (0 = nearest the input) of `cell` at `step`.

    Parameters
    ----------
    experiment : models.experiment.Experiment
        The running experiment (its history holds every probe).
    cell, layer, unit : int
        Which unit (0-based); the text numbers layers and units from 1, as ``L2:17`` does.
    step : int, optional
        The step shown (the latest record when None).

    Returns
    -------
    str
        Layer, index, activity, state with "dead since" / "revived at", bias and the norm of
        its incoming weights (these two are the network's current ones).
    """
    history = experiment.history
    i = history.index_at(step)
    activity = history.active[i, cell, layer, unit] / history.n_points
    code = int(history.state[i, cell, layer, unit])
    state = STATE_NAMES[code]
    lines = [f"layer {layer + 1}, unit {unit + 1} · activity {activity:.2f}",
             _MEANING.get(state, state)]
    at = int(history.steps[i])
    if code == DEAD:
        lines.append(f"dead since step {history.dead_since(cell, layer, unit, at):,}")
    revived = history.revived_at(cell, layer, unit, at)
    if revived is not None and code != DEAD:
        lines.append(f"revived at step {revived:,}")
    net = experiment.networks[cell]
    bias = float(np.asarray(net.b[layer]).reshape(-1)[unit])
    norm = float(np.linalg.norm(np.asarray(net.W[layer])[:, unit]))
    lines.append(f"bias {bias:.3g} · incoming weight norm {norm:.3g}")
    return "\n".join(lines)


def cell_text(experiment, cell: int, step: int | None = None) -> str:
    """Describe `cell` at `step`: activation, learning rate, dead %, losses, accuracy, divergence.

    The loss is the probe set's (the training set unless the user chose a held-out draw),
    the test loss the held-out test points', both in the loss' units (nats for BCE).
    """
    history = experiment.history
    i = history.index_at(step)
    act, lr = history.labels_at(i)[cell]
    lines = [f"{pretty_activation(act)}, learning rate {format_lr(lr)}",
             f"{100 * history.dead_fraction[i, cell]:.1f}% dead · loss "
             f"{history.losses[i, cell]:.4g}"]
    unit = "nats" if experiment.loss_name == "bce" else "squared units of y"
    where = "training" if experiment.config.probe == "train" else "probe draw"
    lines[-1] += f" {unit} ({where})"
    if len(experiment.test_x):  # NaN once diverged, as the loss is
        lines.append(f"test loss {history.test_losses[i, cell]:.4g} {unit}")
    accuracy = accuracy_text(float(history.train_accuracy[i, cell]),
                             float(history.test_accuracy[i, cell]))
    if accuracy:
        lines.append(accuracy)
    at = int(history.steps[i])
    diverged = [e.step for e in history.events
                if e.kind == "divergence" and cell in e.cells and e.step <= at]
    if diverged:
        lines.append(f"diverged at step {diverged[0]:,}")
    return "\n".join(lines)
