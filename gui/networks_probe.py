"""Rolling probes for the live grid (the model layer's `RollingProbe`, re-exported)."""

from models.rolling_probe import RollingProbe

__all__ = ["RollingProbe"]
