"""Display names and colours shared by every figure (one mapping, used everywhere)."""

from __future__ import annotations

PRETTY = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "prelu": "PReLU", "elu": "ELU",
          "selu": "SELU", "gelu": "GELU", "silu": "SiLU", "softplus": "Softplus",
          "tanh": "tanh", "sigmoid": "sigmoid", "relu6": "ReLU6", "linear": "linear"}
INIT_PRETTY = {"he": "He", "he_leaky": "He (leaky)", "xavier": "Xavier", "lecun": "LeCun",
               "rai": "RAI", "zero": "zero", "small": "too small", "he-bias": "He + bias"}

# Okabe-Ito: colour-blind safe on white.
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
           "#f0e442"]
INK = "#202020"
GREY = "#777777"
# Dead units: magenta, which no viridis colour comes near even under colour-vision
# deficiency (the window's colour, gui/theme.py); diverged cells grey.
DEAD_COLOR = "#ff00ff"
DIVERGED_COLOR = "#9a9a9a"
ACTIVITY_CMAP = "viridis"
OUTPUT_CMAP = "RdBu_r"
DASHES = ("solid", "dashed", "dotted", "dashdot")
MARKERS = ("o", "s", "^", "d")


def pretty_activation(name: str) -> str:
    """Return an activation's display name (``leaky_relu`` -> ``Leaky ReLU``)."""
    return PRETTY.get(name, name)


def pretty_init(name: str) -> str:
    """Return an initialiser's display name (``he_leaky`` -> ``He (leaky)``)."""
    return INIT_PRETTY.get(name, name)


def format_lr(lr: float) -> str:
    """Return a learning rate as a person types it (``0.3``, ``3``, ``1e-05``)."""
    return f"{float(lr):g}"


def cell_label(activation: str, lr: float) -> str:
    """Return a grid cell's display name, ``ReLU, lr 6``."""
    return f"{pretty_activation(activation)}, lr {format_lr(lr)}"


def cell_id(activation: str, lr: float) -> str:
    """Return a grid cell's identifier as typed on the command line, ``relu@6``."""
    return f"{activation}@{format_lr(lr)}"


def color(i: int) -> str:
    """Return the colour of series `i` (cycling through `PALETTE`)."""
    return PALETTE[i % len(PALETTE)]
