"""A named window figure: a pyqtgraph plot, the table behind it and its `figures.spec` data."""

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
        What the window draws: a ``PlotItem`` or a ``GraphicsLayout``.
    table : callable
        Returns ``(header, rows)``: column names carrying units, and a 2-D array or a
        list of rows, the data drawn in the figure.
    spec : callable, optional
        Returns the `figures.spec.Figure` built from the tab's current results by the
        ``figures`` builders (None, or returning None: read back from `item`). Exports
        render this with matplotlib, as the command line does.
    """

    name: str
    item: pg.GraphicsObject
    table: Callable[[], tuple[Sequence[str], np.ndarray | list]]
    spec: Callable[[], object] | None = None
