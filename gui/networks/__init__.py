"""The Networks tab: its widget, plots, figures and background work."""

__all__ = [
    "controls",
    "detail",
    "figures",
    "frame",
    "grid",
    "history",
    "layout",
    "session",
    "tab",
    "training_worker",
]
