"""The Networks tab: its widget, plots, figures and background work."""

__all__ = [
    "controls",
    "detail",
    "figures",
    "grid",
    "history",
    "probe",
    "tab",
    "training_worker",
]
