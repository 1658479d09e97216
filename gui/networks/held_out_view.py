"""The selected cell's held-out test split on screen: test loss, accuracy, hollow test points."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui import theme

__all__ = ["HeldOutView", "accuracy_text"]

TEST_COLOR = theme.SERIES[1]  # orange, beside the training loss' sky blue
RING_SIZE = 7  # px: larger than the training points (4 px), so a ring shows around one
LEGEND_BRUSH = (20, 22, 28, 200)


def accuracy_text(train: float, test: float) -> str:
    """Return the accuracy line: ``accuracy: train 97.1% · test 95.3%`` ("" when unknown)."""
    parts = [f"{name} {100 * value:.1f}%" for name, value in (("train", train), ("test", test))
             if math.isfinite(value)]
    return "accuracy: " + " · ".join(parts) if parts else ""


def _entry(name: str, accuracy: float) -> str:
    """Return a loss legend entry: the set's name and, for classification, its accuracy."""
    return f"{name} · {100 * accuracy:.1f}% correct" if math.isfinite(accuracy) else name


def _ring(color: str, width: float, name: str | None = None) -> pg.ScatterPlotItem:
    return pg.ScatterPlotItem(size=RING_SIZE, pen=pg.mkPen(color, width=width),
                              brush=pg.mkBrush(None), name=name)


class HeldOutView:
    """Draw the test split into a `DetailView`'s loss and output plots.

    The loss plot gets the test loss as a dashed orange curve beside the training loss and
    a legend naming both, each with its set's accuracy at the step shown (``test · 95.3%
    correct``; when the loss is measured on a held-out probe draw, the training
    accuracy has an entry of its own). The output plot gets the test points as hollow rings
    in their class' colour (a dark outline keeps a ring visible on its own class' colour),
    legend ``class 0 (test)``.

    Parameters
    ----------
    loss_plot, output_plot : pyqtgraph.PlotItem
        The detail view's plots.
    loss_curve : pyqtgraph.PlotDataItem
        The training loss curve (named in the legend).
    output_legend : pyqtgraph.LegendItem
        The output plot's legend.
    """

    def __init__(self, loss_plot: pg.PlotItem, output_plot: pg.PlotItem,
                 loss_curve: pg.PlotDataItem, output_legend: pg.LegendItem) -> None:
        self.loss_plot, self.output_plot = loss_plot, output_plot
        self.loss_curve, self.output_legend = loss_curve, output_legend
        self.test_curve = loss_plot.plot(pen=pg.mkPen(TEST_COLOR, width=2,
                                                      style=QtCore.Qt.PenStyle.DashLine))
        # upper right: a falling loss curve ends low, and a flat one sits mid-axis (the
        # axis spans at least half a decade in quarter decades)
        self.loss_legend = loss_plot.addLegend(offset=(-6, 4), labelTextSize="9pt",
                                               verSpacing=-6, brush=pg.mkBrush(*LEGEND_BRUSH))
        self.train_only = pg.PlotDataItem(pen=None)  # a legend row without a curve
        self.names: dict = {}  # legend item -> the set's name
        # per class: a dark outline under a ring in the class colour; grey for regression
        colors = [*theme.CLASS_COLORS, "#d0d0d0"]
        self.outlines = [_ring("#101010", 3.2) for _ in colors]
        self.rings = [_ring(c, 1.6, name) for c, name in
                      zip(colors, ("class 0 (test)", "class 1 (test)", "test points"))]
        self.test_x = np.zeros((0, 2))
        self.test_y = np.zeros(0)
        self.shown: list[int] = []  # which rings are on the output plot

    # -- set-up per experiment ------------------------------------------------------------
    def configure(self, x: np.ndarray | None, y: np.ndarray | None, task: str, two_d: bool,
                  probe: str = "train") -> None:
        """Show the test points `x`, `y` (none when None) and name the loss curves.

        Call after the output plot was cleared for a new experiment.
        """
        n_in = 2 if two_d else 1
        self.test_x = np.zeros((0, n_in)) if x is None else np.asarray(x, float)
        self.test_y = np.zeros(0) if y is None else np.asarray(y, float).reshape(-1)
        has_test = len(self.test_y) > 0
        self.names = {self.loss_curve: "train" if probe == "train"
                      else "probe draw (held out)"}
        if has_test:
            self.names[self.test_curve] = "test"
        if probe != "train" and task == "classification":
            self.names[self.train_only] = "train"
        self.loss_legend.clear()
        for item, name in self.names.items():
            self.loss_legend.addItem(item, name)
        self.test_curve.setData([], [])
        for index in self.shown:
            self.output_plot.removeItem(self.outlines[index])
            self.output_plot.removeItem(self.rings[index])
        self.shown = []
        if not has_test:
            return
        if two_d and task == "classification":
            mask = self.test_y > 0.5
            groups = [(0, ~mask), (1, mask)]
            points = [(self.test_x[m, 0], self.test_x[m, 1]) for _, m in groups]
            indices = [0, 1]
        elif two_d:
            indices, points = [2], [(self.test_x[:, 0], self.test_x[:, 1])]
        else:
            indices, points = [2], [(self.test_x[:, 0], self.test_y)]
        for index, (px, py) in zip(indices, points):
            for item in (self.outlines[index], self.rings[index]):
                item.setData(px, py)
                self.output_plot.addItem(item)  # the named ring joins the legend itself
        self.shown = indices

    def points(self, label: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the (x, y) drawn for test class `label` (2 for regression points)."""
        x, y = self.rings[label].getData()
        return np.asarray(x), np.asarray(y)

    # -- per frame ------------------------------------------------------------------------
    def set_history(self, history: dict[str, np.ndarray], steps: np.ndarray) -> np.ndarray:
        """Draw the test loss, and put each set's accuracy at the last step in the legend.

        Returns the test loss values drawn (finite and positive), for the loss axis' range.
        """
        n = len(steps)
        test = history.get("test_loss", np.full(n, np.nan))
        good = np.isfinite(test) & (test > 0)
        self.test_curve.setData(steps[good], test[good])
        last = {name: float(history[name][-1]) if name in history and n else math.nan
                for name in ("train_accuracy", "test_accuracy")}
        train_item = self.train_only if self.train_only in self.names else self.loss_curve
        for item, accuracy in ((train_item, last["train_accuracy"]),
                               (self.test_curve, last["test_accuracy"])):
            label = self.loss_legend.getLabel(item) if item in self.names else None
            text = _entry(self.names.get(item, ""), accuracy)
            if label is not None and label.text != text:
                label.setText(text)
        return test[good]

    def legend_texts(self) -> list[str]:
        """Return the loss legend's entries as shown."""
        return [label.text for _, label in self.loss_legend.items]
