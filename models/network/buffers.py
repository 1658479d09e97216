"""A network's work arrays for one batch size, and read-only views of what a pass left in them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class Buffers:
    """Work arrays for one batch size, so a training step allocates (almost) nothing.

    Parameters
    ----------
    n : int
        Batch size.
    widths : list of int
        Hidden layer widths.
    dtype : numpy dtype
        The network's dtype.
    """

    def __init__(self, n: int, widths: list[int], dtype) -> None:
        self.a = [np.empty((n, w), dtype) for w in widths]       # W h + b; reused as dL/da
        self.z = [np.empty((n, w), dtype) for w in widths]       # after batch norm
        self.h = [np.empty((n, w), dtype) for w in widths]       # phi(z)
        self.d = [np.empty((n, w), dtype) for w in widths]       # phi'(z), then dL/dz
        self.dh = [np.empty((n, w), dtype) for w in widths]      # dL/dh
        self.xhat = [np.empty((n, w), dtype) for w in widths]    # normalised a (batch norm)
        self.out = np.empty((n, 1), dtype)


@dataclass(frozen=True)
class LastPass:
    """Read-only views of the arrays one forward pass filled (see `Network.last_pass`).

    Attributes
    ----------
    z : tuple of numpy.ndarray
        Each hidden layer's pre-activations, (n, width): the activation's input, after
        batch norm when the network has it.
    h : tuple of numpy.ndarray
        Each hidden layer's activations ``phi(z)``, (n, width).
    out : numpy.ndarray
        The output, (n, 1) (logits for BCE).
    """

    z: tuple[np.ndarray, ...]
    h: tuple[np.ndarray, ...]
    out: np.ndarray


def read_only(a: np.ndarray) -> np.ndarray:
    """Return a view of `a` that cannot be written through.

    Parameters
    ----------
    a : numpy.ndarray
        Any array (stays writeable itself).

    Returns
    -------
    numpy.ndarray
        A view sharing `a`'s memory with ``flags.writeable`` False.
    """
    view = a.view()
    view.flags.writeable = False
    return view
