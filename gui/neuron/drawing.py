"""The Neuron tab's stepped drawing: the shared helpers of `gui.stepped_drawing`."""

from __future__ import annotations

from gui.stepped_drawing import Drawer, SteadyPlots, finish, stepped

__all__ = ["Drawer", "SteadyPlots", "finish", "stepped"]
