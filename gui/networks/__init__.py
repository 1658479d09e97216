"""The Networks tab: its widget, plots, figures and background work."""

__all__ = [
    "cell",
    "controls",
    "detail",
    "figures",
    "frame",
    "grid",
    "heatmap",
    "held_out_view",
    "history",
    "hover",
    "layout",
    "live_view",
    "presentation",
    "replay",
    "session",
    "tab",
    "training_worker",
    "transport",
    "why",
]
