"""Pre-activation drift: fixed-edge histograms of every layer's z over the probe set."""

from __future__ import annotations

import numpy as np

N_BINS = 40  # inner bins; one underflow and one overflow bin are added
WIDEN = 2.0  # the first probe's largest |z| times this is the inner range's half-width


def preactivation_arrays(net, n_points: int) -> list[np.ndarray]:
    """Return each hidden layer's pre-activations ``z`` from the network's last forward pass.

    Parameters
    ----------
    net : models.network.Network
        A network that has just run ``forward`` (or ``probe``) on `n_points` inputs.
    n_points : int
        Size of that batch (selects the work arrays of that size).

    Returns
    -------
    list of numpy.ndarray
        (n_points, width) read-only views per layer: after batch norm when the net has it
        (the input of the activation, as the probe judges it). Copy them to keep them.
    """
    return list(net.last_pass(n_points).z)


def symmetric_edges(z: np.ndarray, n_bins: int = N_BINS, widen: float = WIDEN) -> np.ndarray:
    """Return ``n_bins + 1`` inner bin edges, symmetric about 0, covering `z` widened.

    Parameters
    ----------
    z : numpy.ndarray
        Values of the first probe (non-finite ones ignored).
    n_bins : int
        Inner bins (even, so that 0 is an edge).
    widen : float
        The half-width is ``widen * max |z|`` (1 when `z` is all zero or empty).

    Returns
    -------
    numpy.ndarray
        Increasing float64 edges from ``-R`` to ``R``; values beyond go to overflow bins.
    """
    finite = np.abs(z[np.isfinite(z)])
    top = float(finite.max()) if finite.size else 0.0
    half = widen * top if top > 0 else 1.0
    n_bins = int(n_bins) + int(n_bins) % 2
    return np.linspace(-half, half, n_bins + 1)


def histogram_counts(z: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Return counts of `z` in ``[-inf, e0), [e0, e1), ..., [e_last, inf]`` (len(edges) + 1).

    Uniform `edges` (as `symmetric_edges` gives) are binned by arithmetic; non-finite
    values go to the overflow bin on their side (NaN to the upper one), so the counts
    always sum to ``z.size``.
    """
    n_inner = len(edges) - 1
    z = np.asarray(z)
    dtype = z.dtype if z.dtype in (np.float32, np.float64) else np.float64
    low = float(edges[0])
    inv = n_inner / (float(edges[-1]) - low)
    # position + 1 in bins, so that truncation is the floor; clipped into the overflow bins
    t = np.subtract(z.ravel(), dtype.type(low), dtype=dtype)
    t *= dtype.type(inv)
    t += 1
    np.clip(t, 0, n_inner + 1, out=t)
    if not np.isfinite(t.sum()):  # NaN only (clipping removed the infinities)
        t[np.isnan(t)] = n_inner + 1
    return np.bincount(t.astype(np.intp), minlength=n_inner + 2)


def nonpositive_fraction(z: np.ndarray) -> float:
    """Return the fraction of entries with ``z <= 0`` (1 - activity, over the layer)."""
    return float(np.count_nonzero(~(z > 0))) / z.size if z.size else float("nan")
