"""Qt front end of ReLU Lab: the main window, one module per tab, workers and exporters."""
