"""The training losses on the network's output: mean BCE on logits or MSE, and d loss / d out."""

from __future__ import annotations

import numpy as np

LOSS_NAMES: tuple[str, ...] = ("mse", "bce")
_add_reduce = np.add.reduce


def loss_and_dout(out: np.ndarray, y: np.ndarray, loss_name: str,
                  dtype) -> tuple[float, np.ndarray]:
    """Return the mean loss of outputs `out` against targets `y` and its gradient in `out`.

    Parameters
    ----------
    out : numpy.ndarray
        (n, 1) network outputs: logits for ``"bce"``, values for ``"mse"`` (not modified).
    y : numpy.ndarray
        (n, 1) targets (0/1 labels for ``"bce"``).
    loss_name : str
        ``"bce"`` (binary cross-entropy on logits, in nats) or ``"mse"``.
    dtype : numpy dtype
        The gradient's dtype (the network's).

    Returns
    -------
    (float, numpy.ndarray)
        The mean loss and ``d loss / d out``, shape (n, 1), a new array.
    """
    n = out.shape[0]
    if loss_name == "bce":
        # softplus(out) - y out, with softplus(o) = max(o, 0) + log1p(exp(-|o|))
        soft = np.abs(out)
        np.negative(soft, out=soft)
        np.exp(soft, out=soft)
        np.log1p(soft, out=soft)
        soft += np.maximum(out, 0)
        soft -= y * out
        loss = float(_add_reduce(soft, axis=None)) / n
        dout = np.multiply(out, 0.5)  # sigmoid(o) = 0.5 (1 + tanh(o / 2)), overflow-free
        np.tanh(dout, out=dout)
        dout += 1
        dout *= 0.5
        dout -= y
    else:
        dout = out - y
        loss = float(np.vdot(dout, dout)) / n
        dout *= 2
    dout /= n
    return loss, dout.astype(dtype, copy=False)
