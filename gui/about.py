"""The About box's text: what the lab is, and the version of every library it runs on."""

from __future__ import annotations

import platform
from importlib import metadata

import numpy as np
import pyqtgraph as pg
import PySide6
from PySide6 import QtCore

__all__ = ["about_html", "versions"]


def versions() -> dict[str, str]:
    """Return the versions of Python, Qt, PySide6, pyqtgraph, numpy and Brian2.

    Brian2's is read from its package metadata, so it is not imported.
    """
    try:
        brian2 = metadata.version("brian2")
    except metadata.PackageNotFoundError:
        brian2 = "not installed"
    return {"Python": platform.python_version(), "Qt": QtCore.qVersion(),
            "PySide6": PySide6.__version__, "pyqtgraph": pg.__version__,
            "numpy": np.__version__, "Brian2": brian2}


def about_html(title: str) -> str:
    """Return the About box's rich text for the window titled `title`, with every version."""
    rows = "".join(f"<tr><td>{k}</td><td>&nbsp;{v}</td></tr>" for k, v in versions().items())
    return (f"<h3>{title}</h3><p>Watch ReLU neurons die, try the remedies, and compare "
            f"Leaky ReLU with a leaky integrate-and-fire neuron.</p><table>{rows}</table>")
