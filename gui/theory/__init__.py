"""The Theory tab: its widget, plots, figures and background work."""

__all__ = [
    "figures",
    "plots",
    "tab",
    "worker",
]
