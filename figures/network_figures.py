"""Networks-tab figures: the activity grid, curves over steps for every cell, one cell's detail."""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path as MarkerPath

from figures.names import (
    ACTIVITY_CMAP,
    DASHES,
    DEAD_COLOR,
    DIVERGED_COLOR,
    GREY,
    OUTPUT_CMAP,
    cell_id,
    cell_label,
    color,
    format_lr,
    pretty_activation,
)
from figures.spec import Axis, Events, Figure, Image, Line, Note, Panel, Points, Table

ACTIVITY_LABEL = "activity (fraction of probe points with z > 0)"
LOSS_UNITS = {"bce": ("binary cross-entropy loss", "nats"),
              "mse": ("mean squared error loss", "squared units of y")}
LOSS_COLUMN = {"bce": "loss_nats", "mse": "loss_mse_y_squared"}
CLASS_COLORS = ("#2166ac", "#b2182b")


def _ring_marker() -> MarkerPath:
    """Return a hollow ring (an annulus, inner radius 0.6) as a filled marker outline."""
    outer = MarkerPath.unit_circle()
    inner = MarkerPath(outer.vertices[::-1] * 0.6, outer.codes)
    return MarkerPath.make_compound_path(outer, inner)


RING = _ring_marker()  # the renderer fills markers: a filled annulus is a hollow ring


def _rings(key: str, x: np.ndarray, y: np.ndarray, label: str, ring_color: str) -> Points:
    """Return held-out test points as hollow rings with a white rim, larger than the dots."""
    return Points(key, x, y, label, color=ring_color, marker=RING, size=5.5, edge="#ffffff")


def _step_axis(steps: np.ndarray) -> Axis:
    last = float(steps[-1]) if len(steps) else 1.0
    return Axis("training step", limits=(0.0, max(last, 1.0)), integer=True)


def _layer_ticks(depth: int) -> list[tuple[float, str]]:
    return [(layer + 0.5, str(layer + 1)) for layer in range(depth)]


def _events(history, key: str = "events") -> list:
    if not history.events:
        return []
    steps = np.array([s for s, _ in history.events], float)
    return [Events(key, steps, [t for _, t in history.events], legend="intervention")]


def grid_figure(history, probe: int = -1) -> Figure:
    """Return the activity heatmap of every cell (layers x units) at one probe.

    Parameters
    ----------
    history : figures.probe_history.ProbeHistory
        The grid's history.
    probe : int
        Which probe (default the last).

    Returns
    -------
    Figure
        ``networks_grid``: rows = activations, columns = learning rates, dead units in
        the reserved magenta, diverged cells grey, one shared colour bar.
    """
    rows, cols = len(history.activations), len(history.lrs)
    depth, width = history.depth, history.width
    step = int(history.steps[probe])
    panels, table = [], []
    for k, (act, lr) in enumerate(history.labels):
        r, c = divmod(k, cols)
        activity = history.activity[probe, k].astype(float)
        dead = history.dead[probe, k]
        diverged = bool(history.diverged[probe, k])
        state = "diverged" if diverged else f"{100 * dead.mean():.0f}% dead"
        dormant = (activity == 0) & ~dead  # off on every point, yet still a gradient
        if not diverged and dormant.any():
            state += f", {100 * dormant.mean():.0f}% dormant"
        values = np.full_like(activity, np.nan) if diverged else activity
        image = Image("activity", values, (0.5, width + 0.5, 0.0, float(depth)),
                      cmap=ACTIVITY_CMAP, levels=(0.0, 1.0), colorbar=ACTIVITY_LABEL,
                      mask=None if diverged else dead, mask_color=DEAD_COLOR,
                      mask_label="dead unit", nan_color=DIVERGED_COLOR,
                      nan_label="diverged" if diverged else None)
        # column headers (learning rate) on the top row, row headers (activation) on the left
        title = f"lr {format_lr(lr)}\n{state}" if r == 0 else state
        panels.append(Panel(
            title,
            Axis("unit" if r == rows - 1 else "", limits=(0.5, width + 0.5), integer=True),
            Axis(f"{pretty_activation(act)}\nlayer" if c == 0 else "",
                 limits=(0.0, float(depth)),
                 ticks=_layer_ticks(depth), inverted=True),
            [image], legend=False))
        for layer in range(depth):
            for unit in range(width):
                table.append([act, lr, layer + 1, unit + 1, float(activity[layer, unit]),
                              int(dead[layer, unit]), int(diverged), step])
    header = ["activation", "lr", "layer", "unit", "activity_fraction", "dead", "diverged",
              "step"]
    return Figure("networks_grid",
                  f"Unit activity after {step} steps (layer 1 = nearest the input)",
                  panels, Table(header, table), rows=rows, cols=cols,
                  aspect=0.3 * rows + 0.12, colorbar_shared=True)


def _cell_lines(history, values: np.ndarray, positive: bool = False) -> list[Line]:
    lines = []
    lrs = list(history.lrs)
    acts = list(dict.fromkeys(a for a, _ in history.labels))
    for k, (act, lr) in enumerate(history.labels):
        y = values[:, k].astype(float)
        if positive:
            y = np.where(y > 0, y, np.nan)
        lines.append(Line(cell_id(act, lr), history.steps.astype(float), y,
                          label=cell_label(act, lr), color=color(acts.index(act)),
                          style=DASHES[lrs.index(lr) % len(DASHES)] if lr in lrs else "solid",
                          width=1.4))
    return lines


def all_cells_loss_figure(history) -> Figure:
    """Return every cell's probe-set loss over training (log scale), one row per probe."""
    label, unit = LOSS_UNITS.get(history.loss_name, ("loss", ""))
    column = LOSS_COLUMN.get(history.loss_name, "loss")
    panel = Panel("", _step_axis(history.steps), Axis(label, unit, scale="log"),
                  [*_cell_lines(history, history.loss, positive=True), *_events(history)],
                  legend_columns=2)
    header = ["step"] + [f"{column}[{cell_id(a, lr)}]" for a, lr in history.labels]
    return Figure("loss_all_cells", "Probe-set loss of every cell", [panel],
                  Table(header, np.column_stack([history.steps, history.loss])),
                  legend_below=True, aspect=0.75)


def all_cells_dead_figure(history) -> Figure:
    """Return every cell's dead fraction over training, one row per probe."""
    panel = Panel("", _step_axis(history.steps),
                  Axis("dead fraction of hidden units", limits=(-0.02, 1.02)),
                  [*_cell_lines(history, history.dead_fraction), *_events(history)],
                  legend_columns=2)
    header = ["step"] + [f"dead_fraction[{cell_id(a, lr)}]" for a, lr in history.labels]
    return Figure("dead_fraction_all_cells", "Dead hidden units of every cell", [panel],
                  Table(header, np.column_stack([history.steps, history.dead_fraction])),
                  legend_below=True, aspect=0.75)


def loss_figure(history, k: int) -> Figure:
    """Return cell `k`'s loss over training (log scale), with its interventions marked.

    The training (probe-set) loss is solid, the held-out test loss dashed; for
    classification a second panel below shows the training and test accuracy. The CSV
    has one row per probe: ``step``, the loss, the test loss and both accuracies.
    """
    label, unit = LOSS_UNITS.get(history.loss_name, ("loss", ""))
    steps = history.steps.astype(float)
    loss = history.loss[:, k]
    test = history.held_out("test_loss")[:, k]
    train_acc = history.held_out("train_accuracy")[:, k]
    test_acc = history.held_out("test_accuracy")[:, k]
    has_test = bool(np.isfinite(test).any())
    lines = [Line("loss", steps, np.where(loss > 0, loss, np.nan), color=color(0),
                  label="training set" if history.probe == "train" else "probe draw")]
    if has_test:
        lines.append(Line("test_loss", steps, np.where(test > 0, test, np.nan),
                          label="test set (held out)", color=color(1), style="dashed"))
    panel = Panel("", _step_axis(history.steps), Axis(label, unit, scale="log"),
                  [*lines, *_events(history)], legend=has_test or bool(history.events))
    panels = [panel]
    if np.isfinite(train_acc).any() or np.isfinite(test_acc).any():
        accuracy = [Line("train_accuracy", steps, 100 * train_acc, label="training set",
                         color=color(0))]
        if has_test:
            accuracy.append(Line("test_accuracy", steps, 100 * test_acc,
                                 label="test set (held out)", color=color(1), style="dashed"))
        panels.append(Panel("", _step_axis(history.steps),
                            Axis("accuracy", "% of points classified right",
                                 limits=(-2.0, 102.0)),
                            [*accuracy, *_events(history)], legend=False, share_x=True))
    if history.diverged[-1, k]:
        first = int(history.steps[np.argmax(history.diverged[:, k])])
        panel.notes.append(Note("diverged", f"diverged at step {first}", color=DEAD_COLOR))
    column = LOSS_COLUMN.get(history.loss_name, "loss")
    header = ["step", column, f"test_{column}", "train_accuracy_fraction",
              "test_accuracy_fraction"]
    return Figure("loss", f"Loss: {cell_label(*history.labels[k])}", panels,
                  Table(header, np.column_stack([history.steps, loss, test, train_acc,
                                                 test_acc])),
                  rows=len(panels), aspect=0.62 if len(panels) == 1 else 0.85)


def dead_layers_figure(history, k: int) -> Figure:
    """Return cell `k`'s dead fraction per layer (layer 1 nearest the input) over training."""
    depth = history.depth
    lines = [Line(f"layer{i + 1}", history.steps.astype(float),
                  history.dead_layers[:, k, i], label=f"layer {i + 1}",
                  color=color(i), width=1.5, style=DASHES[i // 8 % len(DASHES)])
             for i in range(depth)]
    lines.append(Line("all", history.steps.astype(float), history.dead_fraction[:, k],
                      label="all layers", color="#000000", width=1.0, style="dotted"))
    panel = Panel("", _step_axis(history.steps),
                  Axis("dead fraction of the layer's units", limits=(-0.02, 1.02)),
                  [*lines, *_events(history)], legend_columns=1 if depth <= 3 else 2)
    header = ["step", *[f"dead_fraction_layer{i + 1}" for i in range(depth)], "dead_fraction"]
    rows = np.column_stack([history.steps, history.dead_layers[:, k], history.dead_fraction[:, k]])
    return Figure("dead_fraction_per_layer",
                  f"Dead fraction per layer: {cell_label(*history.labels[k])}", [panel],
                  Table(header, rows))


def kymograph_figure(history, k: int) -> Figure:
    """Return cell `k`'s units x probes activity image: when each unit died (magenta).

    The CSV has one row per probe: the step, the dead fraction, each unit's activity
    fraction and each unit's dead flag (columns ``layerL_unitU_...``, both from 1).
    """
    depth, width = history.depth, history.width
    steps = history.steps.astype(float)
    activity = history.activity[:, k].reshape(len(steps), -1).astype(float)
    dead = history.dead[:, k].reshape(len(steps), -1)
    half = (steps[1] - steps[0]) / 2 if len(steps) > 1 else 0.5
    image = Image("kymograph", activity.T, (steps[0] - half, steps[-1] + half, 0.0,
                                            float(depth * width)),
                  cmap=ACTIVITY_CMAP, levels=(0.0, 1.0), colorbar=ACTIVITY_LABEL,
                  mask=dead.T, mask_color=DEAD_COLOR, mask_label="dead unit")
    bounds = Events("layers", np.arange(1, depth) * float(width), color="#ffffff",
                    style="dashed", axis="y")
    ticks = [((layer + 0.5) * width, f"L{layer + 1}") for layer in range(depth)]
    panel = Panel("", Axis("training step", limits=(steps[0] - half, steps[-1] + half),
                           integer=True),
                  Axis(f"unit, by layer ({width} per layer; input side on top)",
                       limits=(0.0, float(depth * width)), ticks=ticks, inverted=True),
                  [image, bounds, *_events(history)], legend=True)
    names = [f"layer{u // width + 1}_unit{u % width + 1}" for u in range(depth * width)]
    header = ["step", "dead_fraction", *[f"{n}_activity_fraction" for n in names],
              *[f"{n}_dead" for n in names]]
    rows = np.column_stack([history.steps, history.dead_fraction[:, k], activity,
                            dead.astype(int)])
    return Figure("kymograph", f"Kymograph of activity: {cell_label(*history.labels[k])}",
                  [panel], Table(header, rows, tuple(f"{n}_dead" for n in names)),
                  aspect=0.66)


def output_figure(history, k: int, data_x: np.ndarray, data_y: np.ndarray,
                  axes: np.ndarray, output: np.ndarray, task: str,
                  test_x: np.ndarray | None = None,
                  test_y: np.ndarray | None = None) -> Figure:
    """Return cell `k`'s decision boundary (2-D inputs) or fitted curve (1-D inputs).

    Training points are filled dots, held-out test points hollow rings (legend
    ``class 0 (test)``).

    Parameters
    ----------
    history : figures.probe_history.ProbeHistory
        For the cell's name.
    k : int
        The cell.
    data_x, data_y : numpy.ndarray
        The training data.
    axes, output : numpy.ndarray
        From `figures.probe_history.output_map`.
    task : str
        ``classification`` or ``regression``.
    test_x, test_y : numpy.ndarray, optional
        The held-out test points.
    """
    name = cell_label(*history.labels[k])
    data_x, data_y = np.asarray(data_x, float), np.asarray(data_y, float).reshape(-1)
    n_in = data_x.shape[1]
    test_x = np.zeros((0, n_in)) if test_x is None else np.asarray(test_x, float)
    test_y = np.zeros(0) if test_y is None else np.asarray(test_y, float).reshape(-1)
    if data_x.shape[1] == 2:
        gx, gy = axes
        dx, dy = (gx[1] - gx[0]) / 2, (gy[1] - gy[0]) / 2
        classify = task == "classification"
        finite = output[np.isfinite(output)]
        levels = (0.0, 1.0) if classify or not finite.size else \
            (float(finite.min()), float(finite.max()) + 1e-12)
        series = [Image("output", np.asarray(output, float),
                        (gx[0] - dx, gx[-1] + dx, gy[0] - dy, gy[-1] + dy),
                        cmap=OUTPUT_CMAP, levels=levels,
                        colorbar="P(class 1)" if classify else "network output (data units)")]
        if classify:
            mask = data_y > 0.5
            series += [Points("class0", data_x[~mask, 0], data_x[~mask, 1], "class 0 (train)",
                              color=CLASS_COLORS[0], size=2.5, edge="#ffffff"),
                       Points("class1", data_x[mask, 0], data_x[mask, 1], "class 1 (train)",
                              color=CLASS_COLORS[1], size=2.5, edge="#ffffff")]
            test = test_y > 0.5
            series += [_rings(f"test_class{c}", test_x[m, 0], test_x[m, 1],
                              f"class {c} (test)", CLASS_COLORS[c])
                       for c, m in ((0, ~test), (1, test)) if m.any()]
        else:
            series.append(Points("data", data_x[:, 0], data_x[:, 1], "training points",
                                 color=GREY, size=2.0))
            if len(test_x):
                series.append(_rings("test", test_x[:, 0], test_x[:, 1], "test points",
                                     "#202020"))
        panel = Panel("", Axis("x1", "data units", limits=(gx[0] - dx, gx[-1] + dx)),
                      Axis("x2", "data units", limits=(gy[0] - dy, gy[-1] + dy)), series,
                      aspect="equal")
        xx, yy = np.meshgrid(gx, gy)
        column = "output_probability" if classify else "output_value"
        table = Table(["x1", "x2", column],
                      np.column_stack([xx.ravel(), yy.ravel(), np.ravel(output)]))
        return Figure("output", f"Decision boundary: {name}", [panel], table, aspect=0.85)
    series = [Points("data", data_x[:, 0], data_y, "training points", color=GREY, size=2.0),
              Line("fit", np.asarray(axes, float), np.asarray(output, float),
                   "network output", color=color(1), width=2.0)]
    if len(test_x):
        series.append(_rings("test", test_x[:, 0], test_y, "test points", "#202020"))
    panel = Panel("", Axis("x", "data units"), Axis("y", "data units"), series)
    return Figure("output", f"Fitted curve: {name}", [panel],
                  Table(["x", "output_value"], np.column_stack([axes, output])))


def cell_figures(history, k: int, experiment=None) -> list[Figure]:
    """Return the four detail figures of cell `k` (the output one needs `experiment`)."""
    figures = [loss_figure(history, k), dead_layers_figure(history, k),
               kymograph_figure(history, k)]
    if experiment is not None:
        from figures.probe_history import output_map

        axes, output = output_map(experiment, k)
        test = experiment.test_dataset
        figures.append(output_figure(history, k, experiment.x, experiment.y, axes, output,
                                     experiment.dataset.task, test.x, test.y))
    return figures
