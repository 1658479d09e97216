"""Shared pieces of the "Why units die" plots: step axes that grow in jumps, styling, colours."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from gui import theme
from gui.networks.detail import fixed_scale, step_axis

__all__ = ["HEAT_MAP", "ZERO_HEX", "grown_limit", "prepare_plot", "step_rect"]

HEAT_MAP = "magma"  # counts of the drift heatmaps (the export uses the same map)
ZERO_HEX = "#00e5ff"  # the z = 0 line: cyan, apart from every magma colour


def grown_limit(last_step: float, current: float) -> float:
    """Return the step axis' right end: `current` while it holds `last_step`, else a jump.

    Jumps to the next 1, 1.5, 2, 3, 4, 5, 6, 8 x 10^k at or above 1.25 x `last_step`
    (at least 100), so the axes are not redrawn on every frame.
    """
    if 0 < last_step <= current:
        return current
    target = max(last_step * 1.25, 100.0)
    exponent = 10 ** math.floor(math.log10(target))
    return next(m * exponent for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if m * exponent >= target)


def step_rect(steps: np.ndarray) -> tuple[float, float]:
    """Return the left and right edges of image columns centred on `steps`."""
    steps = np.asarray(steps, float)
    half = (steps[1] - steps[0]) / 2 if len(steps) > 1 else 0.5
    return float(steps[0] - half), float(steps[-1] + half)


def prepare_plot(plot: pg.PlotItem, title: str, x_label: str, y_label: str,
                 steps_on_x: bool = True) -> None:
    """Style `plot` in the house style: title, unit-bearing labels, plain numbers, no menu."""
    theme.style_plot(plot, title, x_label, y_label)
    plot.setTitle(title, size=theme.title_size(), color=theme.FOREGROUND)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    fixed_scale(plot.getAxis("left"))
    if steps_on_x:
        step_axis(plot.getAxis("bottom"))
        plot.disableAutoRange(axis="x")
    else:
        fixed_scale(plot.getAxis("bottom"))
