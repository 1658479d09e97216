"""Figures of a trained grid for export: activity heatmaps, loss and dead fraction over steps."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.figures import Figure
from gui.theme import activity_colormap, activity_rgba


def activity_grid_figure(labels: list[tuple[str, float]], activations: list[str],
                         lrs: list[float], activity: np.ndarray, dead: np.ndarray,
                         diverged: np.ndarray, step: int) -> tuple[pg.GraphicsLayoutWidget,
                                                                    Figure]:
    """Build a widget with one layers x units heatmap per network of the grid.

    Parameters
    ----------
    labels : list of (str, float)
        (activation, lr) per network, row-major.
    activations, lrs : list
        Grid rows and columns.
    activity, dead : numpy.ndarray
        (K, depth, width) activity fraction and dead mask.
    diverged : numpy.ndarray
        (K,) bool.
    step : int
        Training step shown.

    Returns
    -------
    (pyqtgraph.GraphicsLayoutWidget, Figure)
        The widget (show it before exporting) and its figure.
    """
    widget = pg.GraphicsLayoutWidget()
    widget.setBackground("w")
    n_rows, n_cols = len(activations), len(lrs)
    widget.resize(260 * n_cols + 120, 170 * n_rows + 80)
    layout = widget.ci
    layout.addLabel(f"Unit activity after {step} steps (magenta = dead; rows: layers, "
                    "columns: units)", row=0, col=0, colspan=n_cols + 1, color="#202020")
    depth = activity.shape[1]
    for k, (act, lr) in enumerate(labels):
        r, c = divmod(k, n_cols)
        dead_pct = 100.0 * dead[k].mean()
        state = "DIVERGED" if diverged[k] else f"{dead_pct:.0f}% dead"
        plot = layout.addPlot(enableMenu=False, row=r + 1, col=c,
                              title=f"{act}, lr {lr:g}: {state}")
        image = pg.ImageItem(activity_rgba(activity[k], dead[k]).transpose(1, 0, 2))
        plot.addItem(image)
        plot.setLabel("bottom", "unit")
        plot.setLabel("left", "layer")
        plot.getAxis("left").setTicks([[(layer + 0.5, str(layer + 1)) for layer in range(depth)]])
        plot.invertY(True)
        plot.setYRange(0, depth, padding=0)
        plot.hideButtons()
        plot.setMouseEnabled(False, False)
    bar = pg.ColorBarItem(values=(0, 1), colorMap=activity_colormap(), interactive=False,
                          label="activity (fraction of probe points with z > 0)")
    layout.addItem(bar, row=1, col=n_cols, rowspan=n_rows)

    def table():
        header = ["activation", "lr", "layer", "unit", "activity_fraction", "dead"]
        rows = [(act, lr, layer, unit, float(activity[k, layer, unit]), int(dead[k, layer, unit]))
                for k, (act, lr) in enumerate(labels)
                for layer in range(depth) for unit in range(activity.shape[2])]
        return header, rows

    return widget, Figure("activity_grid", layout, table)


def curves_figure(name: str, title: str, y_label: str, steps: np.ndarray,
                  values: np.ndarray, labels: list[tuple[str, float]],
                  log_y: bool = False, column: str = "value") -> tuple[pg.PlotWidget, Figure]:
    """Build a plot of one curve per network over training steps.

    Parameters
    ----------
    name, title, y_label : str
        File stem, plot title and y-axis label (with units).
    steps : numpy.ndarray
        (T,) logged steps.
    values : numpy.ndarray
        (T, K) one column per network.
    labels : list of (str, float)
        (activation, lr) per network.
    log_y : bool
        Logarithmic y axis.
    column : str
        CSV column name of the values (carrying units).

    Returns
    -------
    (pyqtgraph.PlotWidget, Figure)
        The widget and its figure.
    """
    widget = pg.PlotWidget(title=title, enableMenu=False)
    widget.setBackground("w")
    widget.resize(900, 560)
    plot = widget.getPlotItem()
    plot.setLabel("bottom", "training step")
    plot.setLabel("left", y_label)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.addLegend(offset=(-10, 10), labelTextColor="#202020")
    if log_y:
        plot.setLogMode(y=True)
    activations = list(dict.fromkeys(a for a, _ in labels))
    lrs = sorted({lr for _, lr in labels})
    styles = [pg.QtCore.Qt.PenStyle.SolidLine, pg.QtCore.Qt.PenStyle.DashLine,
              pg.QtCore.Qt.PenStyle.DotLine, pg.QtCore.Qt.PenStyle.DashDotLine]
    for k, (act, lr) in enumerate(labels):
        color = pg.intColor(activations.index(act), hues=max(len(activations), 1))
        pen = pg.mkPen(color, width=2, style=styles[lrs.index(lr) % len(styles)])
        y = values[:, k]
        if log_y:
            y = np.where(y > 0, y, np.nan)
        plot.plot(steps, y, pen=pen, name=f"{act}, lr {lr:g}", connect="finite")

    def table():
        header = ["step"] + [f"{column}[{a}@lr={lr:g}]" for a, lr in labels]
        return header, np.column_stack([steps, values])

    return widget, Figure(name, plot, table)


def grid_table(snapshot) -> tuple[list[str], list[list]]:
    """Return the grid's numbers as a table: one row per unit of every cell.

    Parameters
    ----------
    snapshot : models.experiment.Snapshot or None
        The snapshot on show (None: no rows yet).

    Returns
    -------
    header, rows
        Columns ``activation, lr, layer, unit, activity_fraction, dead, cell_dead_fraction,
        cell_loss, diverged, step``.
    """
    header = ["activation", "lr", "layer", "unit", "activity_fraction", "dead",
              "cell_dead_fraction", "cell_loss", "diverged", "step"]
    if snapshot is None:
        return header, []
    s = snapshot
    rows = []
    for k, (act, lr) in enumerate(s.labels):
        depth, width = s.activity[k].shape
        for layer in range(depth):
            for unit in range(width):
                rows.append([act, lr, layer + 1, unit, float(s.activity[k, layer, unit]),
                             int(s.dead[k, layer, unit]), float(s.dead_fraction[k]),
                             float(s.losses[k]), int(s.diverged[k]), s.step])
    return header, rows
