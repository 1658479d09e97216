"""The one colour map for unit activity across the app, with a reserved colour for dead units."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

# Activity 0..1 on viridis; dead units get a colour viridis never uses.
DEAD_RGBA = (230, 40, 90, 255)        # crimson: "dead", unmistakable on every theme
EMPTY_RGBA = (0, 0, 0, 0)             # padding where a layer is narrower than the widest
ACTIVITY_MAP = pg.colormap.get("viridis")
_LUT = ACTIVITY_MAP.getLookupTable(0.0, 1.0, 256, alpha=True)


def activity_rgba(activity: np.ndarray, dead: np.ndarray,
                  valid: np.ndarray | None = None) -> np.ndarray:
    """Map an activity array (values in [0, 1]) to RGBA, dead units in `DEAD_RGBA`.

    Parameters
    ----------
    activity : numpy.ndarray
        (layers, units) fraction of probe points on which each unit is active.
    dead : numpy.ndarray
        (layers, units) bool mask of dead units.
    valid : numpy.ndarray, optional
        (layers, units) bool mask of units that exist (False pads narrower layers).

    Returns
    -------
    numpy.ndarray
        (layers, units, 4) uint8.
    """
    index = np.clip(np.nan_to_num(activity) * 255, 0, 255).astype(np.intp)
    rgba = _LUT[index].astype(np.uint8)
    rgba[dead] = DEAD_RGBA
    if valid is not None:
        rgba[~valid] = EMPTY_RGBA
    return rgba
