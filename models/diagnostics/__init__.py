"""Why units die: pre-activation drift, update sizes and the loss plateau of one unit."""

from models.diagnostics.preactivations import (
    histogram_counts,
    nonpositive_fraction,
    preactivation_arrays,
    symmetric_edges,
)
from models.diagnostics.recorder import FIELD_NAMES, DiagnosticsRecorder
from models.diagnostics.updates import applied_update_ratios, update_ratios

__all__ = ["FIELD_NAMES", "DiagnosticsRecorder", "applied_update_ratios", "histogram_counts",
           "nonpositive_fraction", "preactivation_arrays", "symmetric_edges", "update_ratios"]
