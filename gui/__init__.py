"""Qt front end of ReLU Lab: the main window, one subpackage per tab, workers and exporters."""

__all__ = [
    "app",
    "export_actions",
    "figure_export",
    "figures",
    "headless",
    "lab_tab",
    "main_window",
    "networks",
    "neuron",
    "presentation",
    "run_controls",
    "runner",
    "session_banner",
    "session_store",
    "sweep",
    "theme",
    "theory",
    "window_sessions",
]
