"""The probe: a network's loss, hidden-unit activity and unit states on a probe set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from models.unit_states import DEAD, flat_units, unit_states

if TYPE_CHECKING:
    from models.network.mlp import Network

BN_PROBE_MODES: tuple[str, ...] = ("batch", "running")


@dataclass
class ProbeResult:
    """What the probe set says about a network's hidden units.

    Attributes
    ----------
    loss : float
        Loss on the probe set (batch norm with the statistics the probe used).
    activity : numpy.ndarray
        (depth, width) fraction of probe points with pre-activation ``z > 0``.
    dead : numpy.ndarray
        (depth, width) bool: ``|phi'(z)| < eps`` on every point and ``z <= 0`` on every
        point (state `DEAD`).
    zero_gradient_fraction : float
        Fraction of (point, unit) pairs whose activation derivative is exactly 0.
    state : numpy.ndarray
        (depth, width) uint8 unit states (`models.unit_states`: alive, dormant, saturated,
        dead); padding beyond a layer's width is alive.
    """

    loss: float
    activity: np.ndarray
    dead: np.ndarray
    zero_gradient_fraction: float
    state: np.ndarray | None = None


def probe_network(net: Network, x: np.ndarray, y: np.ndarray, eps: float = 1e-6,
                  bn_probe: str = "batch") -> ProbeResult:
    """Measure activity, unit states, dead units and loss of `net` on a probe set.

    Parameters
    ----------
    net : Network
        The network (its parameters do not change; its work arrays for ``len(x)`` points
        then hold this pass, see ``Network.last_pass``).
    x, y : numpy.ndarray
        The probe set.
    eps : float
        A unit has no gradient when ``|phi'(z)| < eps`` on every point; it is dead when
        it is also off (``z <= 0``) on every point, saturated when it is on somewhere.
    bn_probe : str
        Batch norm normalises the probe set with its own statistics (``"batch"``, the
        default: the running ones start at 0 and 1 and say nothing early on) or with
        the running statistics (``"running"``, evaluation mode).

    Returns
    -------
    ProbeResult
        Loss, activity rates, dead mask, unit states and the zero-gradient fraction.
    """
    if bn_probe not in BN_PROBE_MODES:
        raise ValueError(f"bn_probe: {bn_probe!r} is not allowed; choose from "
                         f"{', '.join(BN_PROBE_MODES)}")
    out = net.forward(x, train=False, batch_stats=bn_probe == "batch")
    loss = net.output_loss(out, y) if not net.diverged else float("nan")
    buf = net._buffers_for(x.shape[0])
    width = max(net.widths, default=0)
    activity = np.zeros((net.depth, width))
    state = np.zeros((net.depth, width), np.uint8)
    zeros = 0
    total = 0
    n = x.shape[0]
    for layer in range(net.depth):
        z = buf.z[layer] if net.batch_norm else buf.a[layer]
        w = net.widths[layer]
        positive = np.count_nonzero(z > 0, axis=0)
        activity[layer, :w] = positive / n
        if net.activation == "relu":  # phi' is 1 for z > 0, exactly 0 otherwise
            flat = positive == 0
            zeros += n * w - int(positive.sum())
        else:
            d = net.spec.derivative(z, buf.h[layer], net.params_act[layer], buf.d[layer])
            flat = flat_units(d, eps)
            zeros += int(np.count_nonzero(d == 0))
        state[layer, :w] = unit_states(positive, flat)
        total += n * w
    return ProbeResult(loss, activity, state == DEAD, zeros / total if total else 0.0,
                       state)
