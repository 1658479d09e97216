"""Why units die: pre-activation drift, update sizes and the loss plateau of one unit."""

from models.diagnostics.plateau import (
    GRID_SIZES,
    PlateauSurface,
    UnitPlane,
    plane_ranges,
    plateau_surfaces,
    unit_trajectory,
)
from models.diagnostics.preactivations import (
    histogram_counts,
    nonpositive_fraction,
    preactivation_arrays,
    symmetric_edges,
)
from models.diagnostics.recorder import FIELD_NAMES, DiagnosticsRecorder, cell_diagnostics
from models.diagnostics.updates import applied_update_ratios, update_ratios

__all__ = ["FIELD_NAMES", "GRID_SIZES", "DiagnosticsRecorder", "PlateauSurface", "UnitPlane",
           "applied_update_ratios", "cell_diagnostics", "histogram_counts", "nonpositive_fraction",
           "plane_ranges", "plateau_surfaces", "preactivation_arrays", "symmetric_edges",
           "unit_trajectory", "update_ratios"]
