"""Why units die, as figures: pre-activation drift, update sizes, and one unit's plateau.

Every function takes plain arrays (from `models.diagnostics.cell_diagnostics` and the
plateau generator) and returns a `figures.spec.Figure` with a unit-bearing table. Layers are
numbered from 1, the layer nearest the input.
"""

from __future__ import annotations

import numpy as np

from figures.names import DEAD_COLOR, GREY, INK, cell_id, cell_label, color
from figures.spec import Axis, Events, Figure, Image, Line, Note, Panel, Points, Table

RATIO_GUIDE = -3.0  # log10 of the classic 1e-3 update-to-data ratio
Z_LABEL = "z"
Z_UNIT = ""
LOSS_AXIS = {"bce": ("training loss", "nats"), "mse": ("training loss", "squared units of y")}


def _step_edges(steps: np.ndarray) -> tuple[float, float]:
    steps = np.asarray(steps, float)
    half = (steps[1] - steps[0]) / 2 if len(steps) > 1 else 0.5
    return float(steps[0] - half), float(steps[-1] + half)


def _events(events, key: str = "events") -> list:
    if not events:
        return []
    return [Events(key, np.array([s for s, _ in events], float), [t for _, t in events],
                   legend="intervention")]


def drift_figure(steps: np.ndarray, counts: np.ndarray, edges: np.ndarray,
                 nonpositive: np.ndarray, label: tuple[str, float], events=()) -> Figure:
    """Return the pre-activation histograms of every layer over training, and the z <= 0 trace.

    Parameters
    ----------
    steps : numpy.ndarray
        (T,) recorded steps.
    counts : numpy.ndarray
        (T, depth, n_bins + 2) counts: underflow, the inner bins, overflow.
    edges : numpy.ndarray
        (depth, n_bins + 1) inner bin edges per layer (fixed at the first probe).
    nonpositive : numpy.ndarray
        (T, depth) fraction of (point, unit) pairs with ``z <= 0``.
    label : (str, float)
        The cell's activation and learning rate.
    events : sequence of (int, str)
        Interventions to mark.

    Returns
    -------
    Figure
        ``preactivation_drift``: one heatmap per layer (value bins x step, colour
        log10(1 + count), the outer rows are the overflow bins), then the trace.
    """
    steps = np.asarray(steps, float)
    depth = counts.shape[1]
    x0, x1 = _step_edges(steps)
    x_axis = Axis("training step", limits=(x0, x1), integer=True)
    logged = np.log10(1.0 + counts.astype(float))
    top = float(logged.max()) if logged.size else 1.0
    panels, rows = [], []
    for layer in range(depth):
        e = edges[layer]
        width = e[1] - e[0]
        y0, y1 = float(e[0] - width), float(e[-1] + width)  # one row each for the overflows
        image = Image(f"drift{layer + 1}", logged[:, layer].T, (x0, x1, y0, y1), cmap="magma",
                      levels=(0.0, max(top, 1e-9)),
                      colorbar="log10(1 + count of probe points x units)")
        zero = Line(f"zero{layer + 1}", np.array([x0, x1]), np.zeros(2), "z = 0",
                    color="#00e5ff", style="dashed", width=1.6)
        panels.append(Panel(f"layer {layer + 1}: pre-activations z over the probe set", x_axis,
                            Axis(Z_LABEL, Z_UNIT, limits=(y0, y1)),
                            [image, zero, *_events(events)], legend=False,
                            share_x=layer > 0))
        lows = np.concatenate([[-np.inf], e])
        highs = np.concatenate([e, [np.inf]])
        for t, step in enumerate(steps):
            for b in range(counts.shape[2]):
                rows.append([int(step), layer + 1, float(lows[b]), float(highs[b]),
                             int(counts[t, layer, b]), float(nonpositive[t, layer])])
    lines = [Line(f"nonpositive{layer + 1}", steps, nonpositive[:, layer].astype(float),
                  label=f"layer {layer + 1}", color=color(layer)) for layer in range(depth)]
    panels.append(Panel("fraction of z <= 0 (1 - activity)", x_axis,
                        Axis("z <= 0 fraction", limits=(-0.02, 1.02)),
                        [*lines, *_events(events)], share_x=True))
    header = ["step", "layer", "z_bin_low_input_units", "z_bin_high_input_units",
              "count_points_x_units", "z_nonpositive_fraction"]
    return Figure("preactivation_drift",
                  f"Pre-activation drift: {cell_label(*label)} (outer rows: beyond the edges)",
                  panels, Table(header, rows, ("step", "layer", "count_points_x_units")),
                  rows=depth + 1, cols=1, aspect=0.3 * (depth + 1) + 0.1,
                  colorbar_shared=True)


def update_figure(steps: np.ndarray, ratio: np.ndarray, grad_norm: np.ndarray,
                  label: tuple[str, float], events=()) -> Figure:
    """Return the update-to-data ratio (log10, guide at 1e-3) and gradient norm per layer.

    Parameters
    ----------
    steps : numpy.ndarray
        (T,) recorded steps.
    ratio : numpy.ndarray
        (T, depth + 1) ``||W_after - W_before|| / ||W_before||`` of the step before each
        probe (read-out last; NaN at step 0 and once diverged).
    grad_norm : numpy.ndarray
        (T, depth + 1) L2 norm of each layer's gradient (weights and bias) on that step.
    label : (str, float)
        The cell.
    events : sequence of (int, str)
        Interventions to mark.
    """
    steps = np.asarray(steps, float)
    n_layers = ratio.shape[1]
    names = [f"layer {k + 1}" if k < n_layers - 1 else "read-out" for k in range(n_layers)]
    with np.errstate(divide="ignore", invalid="ignore"):
        logged = np.where(ratio > 0, np.log10(ratio), np.nan)
        log_norm = np.where(grad_norm > 0, np.log10(grad_norm), np.nan)
    x_axis = Axis("training step", limits=_step_edges(steps), integer=True)
    guide = Events("guide", np.array([RATIO_GUIDE]), ["1e-3"], color=GREY, style="dotted",
                   axis="y", legend="ratio 1e-3")
    floor = _floor(logged, RATIO_GUIDE)
    top_series = [Line(f"ratio{k}", steps, logged[:, k], names[k], color=color(k))
                  for k in range(n_layers)]
    top_series += _zero_marks("ratio", steps, ratio, floor)
    top = Panel("update-to-data ratio ||lr * step|| / ||W|| of the step applied", x_axis,
                Axis("log10 update-to-data ratio"), [*top_series, guide, *_events(events)])
    norm_floor = _floor(log_norm, 0.0)
    bottom_series = [Line(f"grad{k}", steps, log_norm[:, k], names[k], color=color(k))
                     for k in range(n_layers)]
    bottom_series += _zero_marks("grad", steps, grad_norm, norm_floor)
    bottom = Panel("gradient norm of each layer (weights and bias)", x_axis,
                   Axis("log10 gradient L2 norm"), bottom_series, share_x=True, legend=False)
    rows = [[int(s), k + 1, float(ratio[t, k]), float(logged[t, k]), float(grad_norm[t, k])]
            for t, s in enumerate(steps) for k in range(n_layers)]
    header = ["step", "layer", "update_to_data_ratio", "log10_update_to_data_ratio",
              "gradient_norm"]
    return Figure("update_sizes", f"Update sizes: {cell_label(*label)} "
                  f"(layer {n_layers} = read-out)", [top, bottom],
                  Table(header, rows, ("step", "layer")), rows=2, cols=1, aspect=0.8)


def _floor(logged: np.ndarray, fallback: float) -> float:
    """Return a value one decade below the smallest finite one (where exact zeros are drawn)."""
    finite = logged[np.isfinite(logged)]
    return float(np.floor(finite.min())) - 1.0 if finite.size else fallback - 1.0


def _zero_marks(key: str, steps: np.ndarray, values: np.ndarray, floor: float) -> list:
    """Return triangles at `floor` where `values` is exactly 0 (no update, no gradient)."""
    zero = values == 0
    if not zero.any():
        return []
    t, k = np.nonzero(zero)
    return [Points(f"{key}_zero", steps[t], np.full(t.size, floor), "exactly 0 (no gradient)",
                   color=INK, marker="v", size=3.5)]


def update_strip_figure(steps: np.ndarray, ratio: np.ndarray, labels: list,
                        activations: list, lrs: list) -> Figure:
    """Return a strip of log10 update-to-data ratio (layers x steps) for every cell.

    Parameters
    ----------
    steps : numpy.ndarray
        (T,) recorded steps.
    ratio : numpy.ndarray
        (T, cells, depth + 1) ratios.
    labels : list of (str, float)
        Each cell's activation and learning rate, row-major over activations x lrs.
    activations, lrs : list
        The grid's rows and columns.
    """
    steps = np.asarray(steps, float)
    n_layers = ratio.shape[2]
    with np.errstate(divide="ignore", invalid="ignore"):
        logged = np.where(ratio > 0, np.log10(ratio), np.nan)
    finite = logged[np.isfinite(logged)]
    levels = (float(np.floor(finite.min())), float(np.ceil(finite.max()))) if finite.size \
        else (-6.0, 0.0)
    if levels[1] <= levels[0]:
        levels = (levels[0], levels[0] + 1)
    x0, x1 = _step_edges(steps)
    cols = len(lrs)
    ticks = [(k + 0.5, "out" if k == n_layers - 1 else str(k + 1)) for k in range(n_layers)]
    panels, rows = [], []
    for k, (act, lr) in enumerate(labels):
        r, c = divmod(k, cols)
        cell = logged[:, k]
        late = ratio[-max(len(cell) // 10, 1):, k]
        late = late[np.isfinite(late)]
        median = float(np.median(late)) if late.size else np.nan
        title = f"{cell_label(act, lr)}\nlate median {median:.1e}" if median > 0 \
            else f"{cell_label(act, lr)}\n" + ("no update" if median == 0 else "no steps")
        panels.append(Panel(title, Axis("training step" if r == len(activations) - 1 else "",
                                        limits=(x0, x1), integer=True),
                            Axis("layer" if c == 0 else "", limits=(0.0, float(n_layers)),
                                 ticks=ticks, inverted=True),
                            [Image("ratio", cell.T, (x0, x1, 0.0, float(n_layers)),
                                   cmap="viridis", levels=levels,
                                   colorbar="log10 update-to-data ratio",
                                   mask=(ratio[:, k] == 0).T, mask_color=DEAD_COLOR,
                                   mask_label="no update (exactly 0: no gradient)",
                                   nan_label="no step (start or diverged)")], legend=False))
        for t, s in enumerate(steps):
            for layer in range(n_layers):
                rows.append([cell_id(act, lr), act, float(lr), int(s), layer + 1,
                             float(ratio[t, k, layer])])
    header = ["cell", "activation", "lr", "step", "layer", "update_to_data_ratio"]
    return Figure("update_ratio_grid", "Update-to-data ratio of every cell "
                  f"(layer {n_layers} = read-out)", panels,
                  Table(header, rows, ("step", "layer")), rows=len(activations), cols=cols,
                  aspect=0.28 * len(activations) + 0.12, colorbar_shared=True)


def plateau_figure(surface, trajectory_steps: np.ndarray, trajectory: np.ndarray,
                   label: tuple[str, float], layer: int, unit: int,
                   loss_name: str = "bce") -> Figure:
    """Return one unit's loss over (bias, incoming weight norm) with its trajectory.

    Parameters
    ----------
    surface : models.diagnostics.PlateauSurface
        The computed surface (rows = weight norms, columns = biases).
    trajectory_steps : numpy.ndarray
        (n,) recorded steps.
    trajectory : numpy.ndarray
        (n, 2) the unit's (bias, incoming weight norm) at those steps.
    label : (str, float)
        The cell.
    layer, unit : int
        The unit, 0-based (both shown from 1, as typed on the command line).
    loss_name : str
        ``bce`` or ``mse`` (for the colour bar's unit).
    """
    bias, scale = np.asarray(surface.bias, float), np.asarray(surface.scale, float)
    db = (bias[1] - bias[0]) / 2 if len(bias) > 1 else 0.5
    ds = (scale[1] - scale[0]) / 2 if len(scale) > 1 else 0.5
    extent = (bias[0] - db, bias[-1] + db, scale[0] - ds, scale[-1] + ds)
    name, unit_name = LOSS_AXIS.get(loss_name, ("training loss", ""))
    loss = np.asarray(surface.loss, float)
    finite = loss[np.isfinite(loss)]
    levels = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if levels[1] <= levels[0]:
        levels = (levels[0], levels[0] + 1e-9)
    series = [Image("surface", loss, extent, cmap="cividis", levels=levels,
                    colorbar=f"{name} ({unit_name})" if unit_name else name,
                    mask=np.asarray(surface.flat, bool), mask_color=DEAD_COLOR,
                    mask_label="flat: phi'(z) = 0 on every point")]
    traj = np.asarray(trajectory, float)
    if len(traj):
        series.append(Line("trajectory", traj[:, 0], traj[:, 1], "trajectory (recorded)",
                           color="#ffffff", width=1.2, marker="o"))
        series.append(Points("start", traj[:1, 0], traj[:1, 1], "step 0", color="#56b4e9",
                             marker="s", size=6, edge=INK))
    series.append(Points("now", [surface.current[0]], [surface.current[1]], "now",
                         color="#e69f00", marker="o", size=7, edge=INK))
    panel = Panel("", Axis("bias b", "units of z", limits=extent[:2]),
                  Axis("incoming weight norm ||w||", limits=extent[2:]),
                  series, legend=True)
    flat_now = bool(surface.flat[np.argmin(np.abs(scale - surface.current[1])),
                                 np.argmin(np.abs(bias - surface.current[0]))])
    panel.notes.append(Note("state", "sits on the flat plateau" if flat_now
                            else "on a slope (has gradient)",
                            color=DEAD_COLOR if flat_now else INK))
    bb, ss = np.meshgrid(bias, scale)
    rows = np.column_stack([bb.ravel(), ss.ravel(), loss.ravel(),
                            np.asarray(surface.flat, int).ravel()])
    column = "training_loss_nats" if loss_name == "bce" else "training_loss_y_squared"
    table = Table(["bias_z_units", "weight_norm", column, "flat"], rows, ("flat",))
    held = f" at step {int(trajectory_steps[-1])}" if len(trajectory_steps) else ""
    title = (f"Loss plateau of unit L{layer + 1}:{unit + 1}, {cell_label(*label)}\n"
             f"over its bias and incoming weight norm (direction and all else held{held})")
    return Figure("plateau", title, [panel], table, aspect=0.75)
