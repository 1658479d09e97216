"""A cell's picture: activity through the colour map, unit states in their reserved colours."""

from __future__ import annotations

import numpy as np

from gui import theme
from models.unit_states import ALIVE, DEAD, DORMANT, SATURATED

__all__ = ["STATE_COLORS", "Layer", "drawn_states", "heatmap_rgba"]

# The reserved colour of each unit state drawn over the activity map (alive: the map).
STATE_COLORS = {DORMANT: theme.DORMANT_COLOR, SATURATED: theme.SATURATED_COLOR,
                DEAD: theme.DEAD_COLOR}


class Layer:
    """The numbers behind one layer of a cell's picture (what the tests compare with the engine).

    Attributes
    ----------
    image : numpy.ndarray or None
        The array last shown: the (layers, units) activity map, or the RGBA dead overlay.
    levels : tuple of float or None
        The values mapped to the ends of the colour map (activity only).
    uploads : int
        How many times new data was shown (an unchanged array is not uploaded again).
    """

    def __init__(self, levels: tuple[float, float] | None = None) -> None:
        self.image: np.ndarray | None = None
        self.levels = levels
        self.uploads = 0

    def set(self, image: np.ndarray) -> None:
        """Keep `image` (already a private copy) as the data shown."""
        self.image = image
        self.uploads += 1


def heatmap_rgba(activity: np.ndarray, dead: np.ndarray, lut: np.ndarray,
                 state: np.ndarray | None = None) -> np.ndarray:
    """Return a cell's picture: `activity` through `lut`, dead, dormant, saturated units marked.

    Parameters
    ----------
    activity : numpy.ndarray
        (layers, units) activity fractions (NaN shown as 0).
    dead : numpy.ndarray
        (layers, units) bool.
    lut : numpy.ndarray
        (256, 4) uint8 colour table.
    state : numpy.ndarray, optional
        (layers, units) unit-state codes (`models.unit_states`): dormant and saturated
        units get their reserved colours.

    Returns
    -------
    numpy.ndarray
        (layers, units, 4) uint8, C-contiguous.
    """
    index = np.nan_to_num(np.asarray(activity, np.float32), nan=0.0) * len(lut)
    np.clip(index, 0, len(lut) - 1, out=index)
    rgba = lut[index.astype(np.uint8)]
    if state is not None:
        state = np.asarray(state)
        for code in (DORMANT, SATURATED):
            rgba[state == code] = (*STATE_COLORS[code], 255)
    rgba[np.asarray(dead, bool)] = (*theme.DEAD_COLOR, 255)
    return rgba


def drawn_states(rgba: np.ndarray) -> np.ndarray:
    """Read the unit states back from a cell's picture: the code of each reserved colour.

    Parameters
    ----------
    rgba : numpy.ndarray
        (layers, units, 4) the picture `heatmap_rgba` made.

    Returns
    -------
    numpy.ndarray
        (layers, units) uint8: `DEAD`, `DORMANT` or `SATURATED` where the picture has
        that state's colour, `ALIVE` (an activity colour) elsewhere.
    """
    codes = np.full(rgba.shape[:2], ALIVE, np.uint8)
    for code, color in STATE_COLORS.items():
        codes[np.all(rgba[..., :3] == color, axis=-1)] = code
    return codes
