"""The Sweep tab: its widget, plots, figures and background work."""

__all__ = [
    "exports",
    "plots",
    "save_location",
    "settings",
    "tab",
    "worker",
]
