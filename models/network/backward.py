"""Backpropagation through a `Network`: every parameter's gradient into preallocated arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from models.network import batch_norm

if TYPE_CHECKING:
    from models.network.mlp import Network

_add_reduce = np.add.reduce


def backpropagate(net: Network, x: np.ndarray, dout: np.ndarray) -> list[np.ndarray]:
    """Fill the network's gradient arrays from ``dL/d out`` after a training forward pass.

    Parameters
    ----------
    net : Network
        A network whose last forward pass, in training mode, ran on `x`.
    x : numpy.ndarray
        (n, n_inputs) inputs of that pass.
    dout : numpy.ndarray
        (n, 1) ``dL/d out``.

    Returns
    -------
    list of numpy.ndarray
        The network's gradient arrays in the order of ``net.parameters()`` (internal
        buffers, overwritten by the next call: copy to keep).
    """
    buf = net._buffers_for(x.shape[0])
    g = net._grads
    depth = net.depth
    last = buf.h[depth - 1] if depth else x
    np.matmul(last.T, dout, out=g[2 * depth])
    _add_reduce(dout, axis=0, out=g[2 * depth + 1])
    if depth == 0:
        return g
    np.matmul(dout, net.W[-1].T, out=buf.dh[depth - 1])
    spec, params = net.spec, net.params_act
    bn_offset = 2 * (depth + 1)
    for layer in range(depth - 1, -1, -1):
        z = buf.z[layer] if net.batch_norm else buf.a[layer]
        dz = buf.d[layer]
        spec.derivative(z, buf.h[layer], params[layer], dz)
        dh = buf.dh[layer]
        if spec.learned_param:
            g[-1][layer] = np.sum(dh * np.minimum(z, 0))
        dz *= dh
        if net.batch_norm:
            da = batch_norm.backward(dz, buf.xhat[layer], net.gamma[layer],
                                     net._inv_std[layer], buf.a[layer], g[bn_offset + layer],
                                     g[bn_offset + depth + layer])
        else:
            da = dz
        prev = buf.h[layer - 1] if layer else x
        np.matmul(prev.T, da, out=g[2 * layer])
        if net.batch_norm:
            # batch norm subtracts the batch mean: the bias before it has exactly zero
            # gradient (summing da would give float32 round-off, not 0)
            g[2 * layer + 1].fill(0)
        else:
            _add_reduce(da, axis=0, out=g[2 * layer + 1])
        if layer:
            np.matmul(da, net.W[layer].T, out=buf.dh[layer - 1])
    return g
