"""Qt front end of ReLU Lab: the main window, one subpackage per tab, workers and exporters."""

__all__ = [
    "app",
    "export_actions",
    "figure_export",
    "figures",
    "headless",
    "main_window",
    "networks",
    "neuron",
    "presentation",
    "run_controls",
    "session_store",
    "sweep",
    "theme",
    "theory",
]
