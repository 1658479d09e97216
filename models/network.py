"""A multilayer perceptron in numpy: forward, backward and update on preallocated buffers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.activations import default_param, get_activation
from models.initializers import init_layer
from models.optimizers import Optimizer
from models.unit_states import DEAD, flat_units, unit_states

LOSS_NAMES: tuple[str, ...] = ("mse", "bce")
_add_reduce = np.add.reduce
BN_EPS = 1e-5
BN_MOMENTUM = 0.1
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


class _Buffers:
    """Work arrays for one batch size, so a training step allocates (almost) nothing."""

    def __init__(self, n: int, widths: list[int], dtype) -> None:
        self.a = [np.empty((n, w), dtype) for w in widths]       # W h + b; reused as dL/da
        self.z = [np.empty((n, w), dtype) for w in widths]       # after batch norm
        self.h = [np.empty((n, w), dtype) for w in widths]       # phi(z)
        self.d = [np.empty((n, w), dtype) for w in widths]       # phi'(z), then dL/dz
        self.dh = [np.empty((n, w), dtype) for w in widths]      # dL/dh
        self.xhat = [np.empty((n, w), dtype) for w in widths]    # normalised a (batch norm)
        self.out = np.empty((n, 1), dtype)


class Network:
    """An MLP ``n_in -> widths... -> 1`` with one activation for all hidden layers.

    Parameters
    ----------
    n_inputs : int
        Input features.
    widths : list of int
        Hidden layer widths (``len(widths)`` is the depth; 0 is allowed).
    activation : str
        Registered activation name.
    alpha : float
        Negative-side slope for leaky_relu / prelu (initial value for prelu), and the alpha
        the ``he_leaky`` init corrects for.
    batch_norm : bool
        Batch normalisation before every hidden activation (Linear-BN-activation).
    loss : str
        ``"bce"`` (binary cross-entropy on logits) or ``"mse"``.
    optimizer : str
        ``"sgd"``, ``"momentum"`` or ``"adam"``.
    lr : float
        Learning rate.
    momentum : float
        Momentum / Adam beta1.
    init : str
        Initialiser name (see `models.initializers`).
    seed : int or sequence
        Seed of the initial weights: networks with the same seed and init share them.
    bias_value : float
        Bias under the ``negative_bias`` init.
    dtype : numpy dtype
        float32 (fast) or float64 (gradient checks).
    """

    def __init__(self, n_inputs: int, widths: list[int], activation: str = "relu",
                 alpha: float = 0.01, batch_norm: bool = False, loss: str = "bce",
                 optimizer: str = "sgd", lr: float = 0.01, momentum: float = 0.9,
                 init: str = "he", seed=0, bias_value: float = -1.0,
                 dtype=np.float32) -> None:
        if loss not in LOSS_NAMES:
            raise ValueError(f"unknown loss {loss!r}; choose from {', '.join(LOSS_NAMES)}")
        self.dtype = np.dtype(dtype)
        self.widths = [int(w) for w in widths]
        self.depth = len(self.widths)
        self.n_inputs = int(n_inputs)
        self.batch_norm = bool(batch_norm)
        self.loss_name = loss
        self.alpha = float(alpha)
        self.set_activation(activation)
        sizes = [self.n_inputs, *self.widths, 1]
        rng = np.random.default_rng(seed)
        # he_leaky corrects for the activation's own negative slope (0 for ReLU and the rest)
        slope = self.alpha if activation in ("leaky_relu", "prelu") else 0.0
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            scheme = init
            if layer == self.depth and init in ("negative_bias", "zeros", "rai"):
                scheme = init if init == "zeros" else "he"  # the linear read-out keeps a sane init
            w, b = init_layer(scheme, fan_in, fan_out, rng, alpha=slope,
                              bias_value=bias_value, dtype=self.dtype)
            self.W.append(w)
            self.b.append(b)
        self.gamma = [np.ones(w, self.dtype) for w in self.widths] if batch_norm else []
        self.beta = [np.zeros(w, self.dtype) for w in self.widths] if batch_norm else []
        self.running_mean = [np.zeros(w, self.dtype) for w in self.widths]
        self.running_var = [np.ones(w, self.dtype) for w in self.widths]
        self._bn_started = False
        self._inv_std: list[np.ndarray] = [np.ones(w, self.dtype) for w in self.widths]
        self._buffers: dict[int, _Buffers] = {}
        self._grads = [np.zeros_like(p) for p in self.parameters()]
        self._spare = [np.zeros_like(p) for p in self.parameters()]
        self.optimizer = Optimizer(optimizer, [p.shape for p in self.parameters()], lr,
                                   momentum, self.dtype)
        self.diverged = False
        self.last_grad_norms = np.zeros(self.depth + 1)

    # -- parameters -------------------------------------------------------------------------
    def parameters(self) -> list[np.ndarray]:
        """Return every trained array: W0, b0, W1, b1, ..., then gammas, betas, prelu alphas."""
        params = [p for pair in zip(self.W, self.b) for p in pair]
        params += self.gamma + self.beta
        if self.spec.learned_param:
            params.append(self.params_act)
        return params

    def _set_parameters(self, params: list[np.ndarray]) -> None:
        n = len(self.W)
        self.W = list(params[0:2 * n:2])
        self.b = list(params[1:2 * n:2])
        k = 2 * n
        if self.batch_norm:
            self.gamma = list(params[k:k + self.depth])
            self.beta = list(params[k + self.depth:k + 2 * self.depth])
            k += 2 * self.depth
        if self.spec.learned_param:
            self.params_act = params[k]

    def set_activation(self, name: str) -> None:
        """Switch every hidden layer to activation `name` (keeps the weights).

        A learned PReLU alpha starts from `alpha`; switching away from or to PReLU
        rebuilds the optimizer's state for the new parameter list.
        """
        spec = get_activation(name)
        rebuild = hasattr(self, "spec") and spec.learned_param != self.spec.learned_param
        self.spec = spec
        self.activation = name
        self.params_act = np.full(max(self.depth, 1), default_param(name, self.alpha),
                                  self.dtype)
        if rebuild:
            shapes = [p.shape for p in self.parameters()]
            old = self.optimizer
            self.optimizer = Optimizer(old.name, shapes, old.lr, old.momentum, self.dtype)
            self._grads = [np.zeros_like(p) for p in self.parameters()]
            self._spare = [np.zeros_like(p) for p in self.parameters()]

    @property
    def lr(self) -> float:
        """Learning rate of the optimizer."""
        return self.optimizer.lr

    # -- forward / backward -----------------------------------------------------------------
    def _buffers_for(self, n: int) -> _Buffers:
        buffers = self._buffers.get(n)
        if buffers is None:
            buffers = self._buffers[n] = _Buffers(n, self.widths, self.dtype)
        return buffers

    def forward(self, x: np.ndarray, train: bool = False,
                batch_stats: bool | None = None) -> np.ndarray:
        """Return the network's output (logits for BCE) for inputs `x`, shape (n, 1).

        Parameters
        ----------
        x : numpy.ndarray
            Inputs, shape (n, n_inputs), in the network's dtype.
        train : bool
            Batch norm uses the batch statistics and updates the running ones when True.
        batch_stats : bool, optional
            Batch norm normalises with the statistics of `x` itself (True) or with the
            running ones (False); `train` when None. Only training updates running ones.

        Returns
        -------
        numpy.ndarray
            A view of an internal buffer: copy it to keep it past the next call.
        """
        buf = self._buffers_for(x.shape[0])
        h = x
        spec, params = self.spec, self.params_act
        batch_stats = train if batch_stats is None else bool(batch_stats)
        for layer in range(self.depth):
            a = buf.a[layer]
            np.matmul(h, self.W[layer], out=a)
            a += self.b[layer]
            z = a
            if self.batch_norm:
                z = self._batch_norm(layer, a, buf.xhat[layer], buf.z[layer], train,
                                     batch_stats)
            spec.forward(z, params[layer], buf.h[layer])
            h = buf.h[layer]
        np.matmul(h, self.W[-1], out=buf.out)
        buf.out += self.b[-1]
        return buf.out

    def _batch_norm(self, layer: int, a: np.ndarray, xhat: np.ndarray, z: np.ndarray,
                    train: bool, batch_stats: bool = True) -> np.ndarray:
        if train or batch_stats:
            # statistics accumulated in float64: one outlier in a float32 batch otherwise
            # leaves the ordinary points' small spread to round-off
            mean = a.mean(axis=0, dtype=np.float64)
            var = a.var(axis=0, dtype=np.float64)
        else:
            mean, var = self.running_mean[layer], self.running_var[layer]
        if train and not self._bn_started:
            self.running_mean[layer][...] = mean
            self.running_var[layer][...] = var
        elif train:
            self.running_mean[layer] *= 1 - BN_MOMENTUM
            self.running_mean[layer] += BN_MOMENTUM * mean
            self.running_var[layer] *= 1 - BN_MOMENTUM
            self.running_var[layer] += BN_MOMENTUM * var
        inv_std = 1.0 / np.sqrt(var + BN_EPS)
        np.subtract(a, mean, out=xhat)
        xhat *= inv_std
        if train:
            self._inv_std[layer] = inv_std
        np.multiply(xhat, self.gamma[layer], out=z)
        z += self.beta[layer]
        return z

    def _loss_and_dout(self, out: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        n = out.shape[0]
        if self.loss_name == "bce":
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
        return loss, dout.astype(self.dtype, copy=False)

    def loss(self, x: np.ndarray, y: np.ndarray, train: bool = False) -> float:
        """Return the mean loss on (`x`, `y`)."""
        return self._loss_and_dout(self.forward(x, train), y)[0]

    def loss_and_gradients(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """Return the training-mode loss on a batch and its gradient for every parameter.

        Parameters
        ----------
        x, y : numpy.ndarray
            A batch, shapes (n, n_inputs) and (n, 1).

        Returns
        -------
        (float, list of numpy.ndarray)
            Loss and gradients in the order of `parameters` (internal buffers: copy to keep).
        """
        out = self.forward(x, train=True)
        loss, dout = self._loss_and_dout(out, y)
        self._backward(x, dout)
        return loss, self._grads

    def _backward(self, x: np.ndarray, dout: np.ndarray) -> None:
        buf = self._buffers_for(x.shape[0])
        n = x.shape[0]
        g = self._grads
        depth = self.depth
        last = buf.h[depth - 1] if depth else x
        np.matmul(last.T, dout, out=g[2 * depth])
        _add_reduce(dout, axis=0, out=g[2 * depth + 1])
        if depth == 0:
            return
        np.matmul(dout, self.W[-1].T, out=buf.dh[depth - 1])
        spec, params = self.spec, self.params_act
        bn_offset = 2 * (depth + 1)
        for layer in range(depth - 1, -1, -1):
            z = buf.z[layer] if self.batch_norm else buf.a[layer]
            dz = buf.d[layer]
            spec.derivative(z, buf.h[layer], params[layer], dz)
            dh = buf.dh[layer]
            if spec.learned_param:
                g[-1][layer] = np.sum(dh * np.minimum(z, 0))
            dz *= dh
            if self.batch_norm:
                gamma, xhat = self.gamma[layer], buf.xhat[layer]
                g[bn_offset + layer][...] = np.sum(dz * xhat, axis=0)
                g[bn_offset + depth + layer][...] = np.sum(dz, axis=0)
                dxhat = dz * gamma
                da = buf.a[layer]
                np.multiply(dxhat, n, out=da)
                da -= dxhat.sum(axis=0, dtype=np.float64)
                da -= xhat * np.sum(dxhat * xhat, axis=0, dtype=np.float64)
                da *= self._inv_std[layer] / n
            else:
                da = dz
            prev = buf.h[layer - 1] if layer else x
            np.matmul(prev.T, da, out=g[2 * layer])
            if self.batch_norm:
                # batch norm subtracts the batch mean: the bias before it has exactly zero
                # gradient (summing da would give float32 round-off, not 0)
                g[2 * layer + 1].fill(0)
            else:
                _add_reduce(da, axis=0, out=g[2 * layer + 1])
            if layer:
                np.matmul(da, self.W[layer].T, out=buf.dh[layer - 1])

    # -- training ---------------------------------------------------------------------------
    def train_step(self, x: np.ndarray, y: np.ndarray, record_grad_norms: bool = False) -> float:
        """Take one optimizer step on a batch; return the batch loss before the step.

        A non-finite loss, gradient or updated parameter marks the network diverged and
        leaves every parameter at its last finite value; a diverged network no longer moves.
        """
        if self.diverged:
            return float("nan")
        loss, grads = self.loss_and_gradients(x, y)
        if self.batch_norm:
            self._bn_started = True
        if not np.isfinite(loss):
            self.diverged = True
            return loss
        if record_grad_norms:
            self.last_grad_norms = self.gradient_norms(grads)
        steps = self.optimizer.steps(grads)
        params = self.parameters()
        total = 0.0
        for p, step, spare in zip(params, steps, self._spare):
            np.subtract(p, step, out=spare)
            # NaN or inf anywhere makes the sum non-finite; summing in float64 means large
            # but finite float32 values cannot overflow into a false alarm
            total += _add_reduce(spare, axis=None, dtype=np.float64)
        if not np.isfinite(total):
            self.diverged = True
            return loss
        self._spare, new = params, self._spare
        self._set_parameters(new)
        if self.spec.learned_param:
            np.clip(self.params_act, 0.0, 1.0, out=self.params_act)
        return loss

    def gradient_norms(self, grads: list[np.ndarray] | None = None) -> np.ndarray:
        """Return the L2 norm of each layer's gradient (weights and bias), input layer first."""
        grads = self._grads if grads is None else grads
        return np.array([np.sqrt(float(np.vdot(grads[2 * k], grads[2 * k]))
                                 + float(np.vdot(grads[2 * k + 1], grads[2 * k + 1])))
                         for k in range(self.depth + 1)])

    # -- diagnostics ------------------------------------------------------------------------
    def probe(self, x: np.ndarray, y: np.ndarray, eps: float = 1e-6,
              bn_probe: str = "batch") -> ProbeResult:
        """Measure activity, unit states, dead units and loss on a probe set.

        Parameters
        ----------
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
        out = self.forward(x, train=False, batch_stats=bn_probe == "batch")
        loss = self._loss_and_dout(out, y)[0] if not self.diverged else float("nan")
        buf = self._buffers_for(x.shape[0])
        width = max(self.widths, default=0)
        activity = np.zeros((self.depth, width))
        state = np.zeros((self.depth, width), np.uint8)
        zeros = 0
        total = 0
        n = x.shape[0]
        for layer in range(self.depth):
            z = buf.z[layer] if self.batch_norm else buf.a[layer]
            w = self.widths[layer]
            positive = np.count_nonzero(z > 0, axis=0)
            activity[layer, :w] = positive / n
            if self.activation == "relu":  # phi' is 1 for z > 0, exactly 0 otherwise
                flat = positive == 0
                zeros += n * w - int(positive.sum())
            else:
                d = self.spec.derivative(z, buf.h[layer], self.params_act[layer], buf.d[layer])
                flat = flat_units(d, eps)
                zeros += int(np.count_nonzero(d == 0))
            state[layer, :w] = unit_states(positive, flat)
            total += n * w
        return ProbeResult(loss, activity, state == DEAD, zeros / total if total else 0.0,
                           state)

    # -- interventions ----------------------------------------------------------------------
    def kick_units(self, layer: int, units: np.ndarray, std: float,
                   rng: np.random.Generator) -> None:
        """Add ``N(0, std^2)`` to the incoming weights and bias of `units` in `layer`."""
        units = np.asarray(units)
        if units.size == 0:
            return
        self.W[layer][:, units] += (std * rng.standard_normal((self.W[layer].shape[0],
                                                               units.size))).astype(self.dtype)
        self.b[layer][units] += (std * rng.standard_normal(units.size)).astype(self.dtype)

    def reinit_units(self, layer: int, units: np.ndarray, rng: np.random.Generator) -> None:
        """Redraw the incoming weights of `units` from He normal and zero their biases."""
        units = np.asarray(units)
        if units.size == 0:
            return
        fan_in = self.W[layer].shape[0]
        self.W[layer][:, units] = (np.sqrt(2.0 / fan_in) *
                                   rng.standard_normal((fan_in, units.size))).astype(self.dtype)
        self.b[layer][units] = 0

    def copy_state_from(self, other: Network) -> None:
        """Copy weights, batch-norm state and optimizer state from a network of equal shape."""
        for mine, theirs in zip(self.parameters(), other.parameters()):
            mine[...] = theirs
        for mine, theirs in zip(self.running_mean + self.running_var,
                                other.running_mean + other.running_var):
            mine[...] = theirs
