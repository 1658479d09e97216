"""The Neuron tab: its widget, plots, figures and background work."""

__all__ = [
    "figures",
    "layout",
    "plot_style",
    "plots",
    "response_plots",
    "settings",
    "tab",
    "worker",
]
