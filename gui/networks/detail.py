"""The selected cell in detail: loss, dead fraction per layer, kymograph, boundary or fit."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import theme
from gui.log_axis import LogAxis
from gui.networks.held_out_view import HeldOutView

LOSS_LABELS = {"bce": "loss (BCE, nats)", "mse": "loss (MSE, y units²)"}
KYMO_UNIT_LABEL = "unit (by layer)"


# Marker colours of the events on the time plots (kind -> colour).
EVENT_COLORS = {"kick": "#ffb000", "reinit": "#ffb000", "switch": "#56b4e9",
                "outlier": "#cc79a7", "divergence": "#9a9a9a"}


def format_step(value: float) -> str:
    """Return a training step as a tick label: ``800``, ``25k``, ``1.5M`` (never ``1e+06``)."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def fixed_scale(axis: pg.AxisItem) -> None:
    """Never rescale an axis' numbers (pyqtgraph 0.14 applies SI prefixes even when disabled)."""
    theme.plain_axis(axis)
    axis.setSIPrefixEnableRanges(())
    axis.autoSIPrefixScale = 1.0


def step_axis(axis: pg.AxisItem) -> None:
    """Make `axis` a training-step axis: plain numbers, compact labels for large steps."""
    fixed_scale(axis)

    def tick_strings(values, scale, spacing):
        return [format_step(v) for v in values]

    axis.tickStrings = tick_strings


def unit_ticks(depth: int, width: int) -> list[list[tuple[float, str]]]:
    """Return the kymograph's unit-axis ticks: ``L1``, ``L2`` ... mid-layer, unit indices between.

    Rows of the kymograph are units, layer by layer (row ``layer * width + i`` is unit `i`
    of layer ``layer + 1``); a tick sits at the middle of its row.
    """
    major = [(layer * width + width / 2, f"L{layer + 1}") for layer in range(depth)]
    minor = []
    if width >= 8 and depth <= 4:
        minor = [(layer * width + i + 0.5, f"{i}") for layer in range(depth)
                 for i in (width // 4, (3 * width) // 4)]
    return [major, minor]


class DetailView(pg.GraphicsLayoutWidget):
    """Four plots of one network: everything arrives as arrays.

    Attributes
    ----------
    loss_plot, layers_plot, kymo_plot, output_plot : pyqtgraph.PlotItem
        The plots, for export.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(178)  # room for the axis titles (presentation mode scales it)
        self.ci.setContentsMargins(4, 4, 4, 4)
        self.loss_plot = self.addPlot(enableMenu=False, row=0, col=0,
                                      axisItems={"left": LogAxis("left")})
        self.layers_plot = self.addPlot(enableMenu=False, row=0, col=1)
        self.kymo_plot = self.addPlot(enableMenu=False, row=0, col=2)
        self.output_plot = self.addPlot(enableMenu=False, row=0, col=3)
        self.loss_name = "bce"
        theme.style_plot(self.loss_plot, "Loss of the selected cell", "training step",
                         LOSS_LABELS["bce"])
        self.loss_plot.setLogMode(y=True)
        self.loss_plot.disableAutoRange(axis="y")
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen(theme.SERIES[0], width=2))
        theme.style_plot(self.layers_plot, "Dead fraction per layer", "training step",
                         "dead fraction")
        self.layers_plot.setYRange(0, 1.0, padding=0.02)
        self.layers_legend = self.layers_plot.addLegend(offset=(-6, 6), labelTextSize="9pt",
                                                        brush=pg.mkBrush(20, 22, 28, 200))
        self.layer_curves: list[pg.PlotDataItem] = []
        theme.style_plot(self.kymo_plot, "Kymograph: activity of every unit", "training step",
                         KYMO_UNIT_LABEL)
        self.kymo_plot.invertY(True)
        self.kymo = pg.ImageItem(axisOrder="row-major")
        self.kymo.setColorMap(theme.activity_colormap())
        self.kymo_dead = pg.ImageItem(axisOrder="row-major")
        self.kymo_plot.addItem(self.kymo)
        self.kymo_plot.addItem(self.kymo_dead)
        self.layer_lines: list[pg.InfiniteLine] = []
        self.output_image = pg.ImageItem(axisOrder="row-major")
        self.output_image.setColorMap(theme.output_colormap())
        self.output_plot.addItem(self.output_image)
        self.output_legend = self.output_plot.addLegend(offset=(6, 6), labelTextSize="8pt",
                                                        verSpacing=-6,
                                                        brush=pg.mkBrush(20, 22, 28, 200))
        self.scatter0 = pg.ScatterPlotItem(size=4, pen=pg.mkPen("#101010", width=0.5),
                                           brush=pg.mkBrush(theme.CLASS_COLORS[0]),
                                           name="class 0 (train)")
        self.scatter1 = pg.ScatterPlotItem(size=4, pen=pg.mkPen("#101010", width=0.5),
                                           brush=pg.mkBrush(theme.CLASS_COLORS[1]),
                                           name="class 1 (train)")
        self.data_scatter = pg.ScatterPlotItem(size=4, pen=None,
                                               brush=pg.mkBrush(200, 200, 200, 140),
                                               name="training points")
        self.fit_curve = pg.PlotDataItem(pen=pg.mkPen(theme.SERIES[1], width=2.5),
                                         name="network output")
        self.held_out = HeldOutView(self.loss_plot, self.output_plot, self.loss_curve,
                                    self.output_legend)
        self.history: dict[str, np.ndarray] = {}
        self.depth = 0
        self.width_units = 0
        self.two_d = True
        self.task = "classification"
        self.grid_x = np.zeros(0)
        self.output = np.zeros(0)
        self.data_x = np.zeros((0, 2))
        self.data_y = np.zeros(0)
        self.selected_label = ""
        self.paint_seconds = 0.0
        self.paint_cpu = 0.0
        self._x_max = 0.0
        self._loss_range: tuple[float, float] | None = None
        for plot in (self.loss_plot, self.layers_plot, self.kymo_plot):
            plot.disableAutoRange(axis="x")
        self.layers_plot.disableAutoRange(axis="y")
        self.kymo_plot.disableAutoRange(axis="y")
        for plot in (self.loss_plot, self.layers_plot, self.kymo_plot, self.output_plot):
            theme.cache_text(plot)
            plot.setMenuEnabled(False)
            fixed_scale(plot.getAxis("left"))
        for plot in (self.loss_plot, self.layers_plot, self.kymo_plot):
            step_axis(plot.getAxis("bottom"))
        fixed_scale(self.output_plot.getAxis("bottom"))
        theme.fit_plot_text(self.ci)  # titles and axis titles never wider than their room

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Paint, adding the wall and CPU time taken to `paint_seconds` and `paint_cpu`."""
        start, cpu = time.perf_counter(), time.thread_time()
        super().paintEvent(event)
        self.paint_seconds += time.perf_counter() - start
        self.paint_cpu += time.thread_time() - cpu

    def _grow_x(self, last_step: float) -> None:
        """Widen the step axes in coarse jumps, so axes are not redrawn on every frame."""
        if last_step <= self._x_max and self._x_max > 0:
            return
        target = max(last_step * 1.25, 100.0)
        exponent = 10 ** math.floor(math.log10(target))
        self._x_max = next(m * exponent for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10)
                           if m * exponent >= target)
        for plot in (self.loss_plot, self.layers_plot, self.kymo_plot):
            plot.setXRange(0, self._x_max, padding=0.02)

    def _fit_loss_range(self, low: float, high: float) -> None:
        """Set the log loss axis in quarter-decade steps spanning at least half a decade.

        A range narrower than a decade's labelled ticks would leave the axis unlabelled, and
        a range that follows every new value would redraw the axis on every frame.
        """
        lo = math.floor(math.log10(low) * 4) / 4
        hi = math.ceil(math.log10(high) * 4) / 4
        if hi - lo < 0.5:
            middle = (hi + lo) / 2
            lo, hi = middle - 0.25, middle + 0.25
        if (lo, hi) != self._loss_range:
            self._loss_range = (lo, hi)
            self.loss_plot.setYRange(lo, hi, padding=0)

    # -- set-up per experiment ------------------------------------------------------------
    def configure(self, x: np.ndarray, y: np.ndarray, task: str, loss_name: str, depth: int,
                  width: int, test: tuple[np.ndarray, np.ndarray] | None = None,
                  probe: str = "train") -> None:
        """Prepare the plots for a new experiment's data and network shape.

        `x`, `y` are the training points; `test` the held-out test points (x, y), drawn as
        hollow rings; `probe` names the set the loss curve is measured on.
        """
        self.depth, self.width_units, self.task = depth, width, task
        self.loss_name = loss_name
        self.loss_plot.setLabel("left", LOSS_LABELS.get(loss_name, "loss"))
        for plot, line in getattr(self, "event_lines", []):
            plot.removeItem(line)
        self.layers_plot.clear()
        self.layers_legend.clear()
        self.layer_curves = []
        for layer in range(depth):
            pen = pg.mkPen(theme.series_color(layer, depth), width=2)
            name = f"layer {layer + 1}" if depth <= 8 or layer in (0, depth - 1) else None
            self.layer_curves.append(self.layers_plot.plot(pen=pen, name=name))
        for line in self.layer_lines:
            self.kymo_plot.removeItem(line)
        self.layer_lines = []
        for layer in range(1, depth):
            line = pg.InfiniteLine(pos=layer * width, angle=0,
                                   pen=pg.mkPen("#ffffff", width=1, style=QtCore.Qt.DashLine))
            self.kymo_plot.addItem(line)
            self.layer_lines.append(line)
        self.kymo_plot.setYRange(0, depth * width, padding=0)
        self.kymo_plot.getAxis("left").setTicks(unit_ticks(depth, width))
        self.data_x, self.data_y = np.asarray(x, float), np.asarray(y, float).reshape(-1)
        self.two_d = x.shape[1] == 2
        plot = self.output_plot
        for item in (self.scatter0, self.scatter1, self.data_scatter, self.fit_curve):
            if item.scene() is not None:
                plot.removeItem(item)
        self.output_legend.clear()
        if self.two_d:
            self.output_image.setVisible(True)
            theme.style_plot(plot, "Decision boundary of the selected cell",
                             "x₁ (data units)", "x₂ (data units)")
            if task == "classification":
                mask = self.data_y > 0.5
                self.scatter0.setData(self.data_x[~mask, 0], self.data_x[~mask, 1])
                self.scatter1.setData(self.data_x[mask, 0], self.data_x[mask, 1])
                plot.addItem(self.scatter0)
                plot.addItem(self.scatter1)
            else:
                self.data_scatter.setData(self.data_x[:, 0], self.data_x[:, 1])
                plot.addItem(self.data_scatter)
        else:
            self.output_image.setVisible(False)
            theme.style_plot(plot, "Fitted curve of the selected cell", "x (data units)",
                             "y (data units)")
            self.data_scatter.setData(self.data_x[:, 0], self.data_y)
            plot.addItem(self.data_scatter)
            plot.addItem(self.fit_curve)
        self.held_out.configure(*(test if test is not None else (None, None)), task,
                                self.two_d, probe)
        self.history = {}
        self.selected_label = ""
        self.grid_x = np.zeros(0)
        self.output = np.zeros(0)
        self._x_max = 0.0
        self._grow_x(0)
        self.event_lines = []
        self._event_key = None

    # -- events ---------------------------------------------------------------------------
    def set_events(self, events) -> int:
        """Mark every event (``.step``, ``.kind``) by a vertical line on the time plots.

        Returns the number of events marked. Lines already drawn for the same events stay.
        """
        key = tuple((int(e.step), str(e.kind)) for e in events)
        if key == getattr(self, "_event_key", None):
            return len(key)
        for plot, line in getattr(self, "event_lines", []):
            plot.removeItem(line)
        self.event_lines = []
        for step, kind in key:
            color = EVENT_COLORS.get(kind, theme.SELECTED_HEX)
            for plot in (self.loss_plot, self.layers_plot):
                line = pg.InfiniteLine(
                    pos=step, angle=90, movable=False,
                    pen=pg.mkPen(color, width=1, style=QtCore.Qt.PenStyle.DashLine),
                    label=kind if plot is self.loss_plot else None,
                    labelOpts={"position": 0.92, "color": color, "rotateAxis": (1, 0)})
                plot.addItem(line, ignoreBounds=True)
                self.event_lines.append((plot, line))
        self._event_key = key
        return len(key)

    # -- per frame ------------------------------------------------------------------------
    def set_history(self, history: dict[str, np.ndarray], label: str) -> None:
        """Show the selected cell's history: steps, loss, per-layer dead fraction, activity.

        Parameters
        ----------
        history : dict
            ``steps`` (n,), ``loss`` (n,), ``dead_layers`` (n, depth), ``activity``
            (n, depth * width), ``dead`` (n, depth * width) bool (the kymograph's dead
            overlay); copied.
        label : str
            The cell's name, for the titles.
        """
        self.history = {k: np.array(v, copy=True) for k, v in history.items()}
        steps = self.history["steps"].astype(float)
        if label != self.selected_label:
            self.selected_label = label
            self.loss_plot.setTitle(f"Loss: {label}", size=theme.title_size())
            # the cell's name once, in the first title: four long titles overflow the row
            self.layers_plot.setTitle("Dead fraction per layer", size=theme.title_size())
            self.kymo_plot.setTitle("Kymograph of activity", size=theme.title_size())
            kind = "Decision boundary" if self.two_d else "Fitted curve"
            self.output_plot.setTitle(kind, size=theme.title_size())
        if len(steps):
            self._grow_x(float(steps[-1]))
        loss = self.history["loss"]
        good = np.isfinite(loss) & (loss > 0)
        self.loss_curve.setData(steps[good], loss[good])
        shown = np.concatenate([loss[good], self.held_out.set_history(self.history, steps)])
        if shown.size:
            self._fit_loss_range(float(shown.min()), float(shown.max()))
        for layer, curve in enumerate(self.layer_curves):
            curve.setData(steps, self.history["dead_layers"][:, layer])
        activity = self.history["activity"]
        if len(steps) >= 1:
            image = activity.T
            self.kymo.setImage(image, autoLevels=False, levels=(0.0, 1.0))
            x0 = steps[0]
            span = max(steps[-1] - steps[0], 1.0)
            rect = QtCore.QRectF(x0, 0, span, image.shape[0])
            self.kymo.setRect(rect)
            self.kymo_dead.setImage(theme.dead_overlay(self.history["dead"].T),
                                    autoLevels=False)
            self.kymo_dead.setRect(rect)

    def set_output(self, grid_x: np.ndarray, output: np.ndarray) -> None:
        """Show the selected network's output: an image over a 2-D grid or a 1-D curve."""
        self.grid_x, self.output = np.asarray(grid_x), np.asarray(output)
        if self.two_d and self.grid_x.ndim == 2:
            gx, gy = self.grid_x
            finite = np.nan_to_num(self.output, nan=0.5)
            levels = (0.0, 1.0) if self.task == "classification" else \
                (float(np.min(finite)), float(np.max(finite)) + 1e-12)
            self.output_image.setImage(finite, autoLevels=False, levels=levels)
            self.output_image.setRect(QtCore.QRectF(gx[0], gy[0], gx[-1] - gx[0],
                                                    gy[-1] - gy[0]))
        elif not self.two_d:
            finite = np.isfinite(self.output)
            self.fit_curve.setData(self.grid_x[finite], self.output[finite])

    # -- tables for export ----------------------------------------------------------------
    def loss_table(self):
        """Return the loss curves' (header, rows): probe-set and test loss, accuracies."""
        header = ["step", f"loss_{self.loss_name}", f"test_loss_{self.loss_name}",
                  "train_accuracy_fraction", "test_accuracy_fraction"]
        h = self.history
        if not h:
            return header, []
        nan = np.full(len(h["steps"]), np.nan)
        return header, np.column_stack([h["steps"], h["loss"], h.get("test_loss", nan),
                                        h.get("train_accuracy", nan),
                                        h.get("test_accuracy", nan)])

    def layers_table(self):
        """Return the dead fraction per layer's (header, rows)."""
        header = ["step"] + [f"layer_{i + 1}_dead_fraction" for i in range(self.depth)]
        h = self.history
        if not h:
            return header, []
        return header, np.column_stack([h["steps"], h["dead_layers"]])

    def kymograph_table(self):
        """Return the kymograph's (header, rows): one row per (step, unit)."""
        header = ["step", "layer", "unit", "activity_fraction"]
        h = self.history
        if not h or not len(h["steps"]):
            return header, []
        n, units = h["activity"].shape
        steps = np.repeat(h["steps"], units)
        flat = np.tile(np.arange(units), n)
        width = max(self.width_units, 1)
        return header, np.column_stack([steps, flat // width + 1, flat % width,
                                        h["activity"].reshape(-1)])

    def output_table(self):
        """Return the boundary's or fit's (header, rows)."""
        if self.two_d:
            header = ["x1", "x2", "output_probability" if self.task == "classification"
                      else "output_value"]
            if self.grid_x.ndim != 2 or not self.output.size:
                return header, []
            gx, gy = self.grid_x
            xx, yy = np.meshgrid(gx, gy)
            return header, np.column_stack([xx.ravel(), yy.ravel(), self.output.ravel()])
        header = ["x", "output_value"]
        if not self.output.size:
            return header, []
        return header, np.column_stack([self.grid_x, self.output])
