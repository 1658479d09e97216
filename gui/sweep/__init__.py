"""The Sweep tab: its widget, plots, figures and background work."""

__all__ = [
    "plots",
    "settings",
    "tab",
    "worker",
]
