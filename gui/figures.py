"""A named figure: a pyqtgraph plot plus the table of numbers behind it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg


@dataclass
class Figure:
    """One exportable figure of a tab.

    Attributes
    ----------
    name : str
        File stem for its exports (``fi_curve`` gives ``fi_curve.png`` ...).
    item : pyqtgraph.GraphicsItem
        What to render: a ``PlotItem`` or a ``GraphicsLayout``.
    table : callable
        Returns ``(header, rows)``: column names carrying units, and a 2-D array or a
        list of rows, the data drawn in the figure.
    """

    name: str
    item: pg.GraphicsObject
    table: Callable[[], tuple[Sequence[str], np.ndarray | list]]
