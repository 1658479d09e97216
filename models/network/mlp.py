"""The network: an MLP in numpy with forward pass, training step and interventions."""

from __future__ import annotations

import numpy as np

from models.activations import default_param, get_activation
from models.initializers import init_layer
from models.network import batch_norm
from models.network.backward import backpropagate
from models.network.buffers import Buffers, LastPass, read_only
from models.network.losses import LOSS_NAMES, loss_and_dout
from models.network.probe import ProbeResult, probe_network
from models.optimizers import Optimizer

_add_reduce = np.add.reduce


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
        self._buffers: dict[int, Buffers] = {}
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
    def _buffers_for(self, n: int) -> Buffers:
        buffers = self._buffers.get(n)
        if buffers is None:
            buffers = self._buffers[n] = Buffers(n, self.widths, self.dtype)
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
        mean, var = batch_norm.statistics(a, self.running_mean[layer], self.running_var[layer],
                                          train, batch_stats, self._bn_started)
        inv_std = batch_norm.normalise(a, mean, var, self.gamma[layer], self.beta[layer], xhat,
                                       z)
        if train:
            self._inv_std[layer] = inv_std
        return z

    def _loss_and_dout(self, out: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        return loss_and_dout(out, y, self.loss_name, self.dtype)

    def loss(self, x: np.ndarray, y: np.ndarray, train: bool = False) -> float:
        """Return the mean loss on (`x`, `y`)."""
        return self._loss_and_dout(self.forward(x, train), y)[0]

    def output_loss(self, out: np.ndarray, y: np.ndarray) -> float:
        """Return the mean loss of outputs `out` against targets `y`.

        Parameters
        ----------
        out : numpy.ndarray
            (n, 1) outputs of this network (logits for BCE), e.g. ``last_pass(n).out``.
        y : numpy.ndarray
            (n, 1) targets.

        Returns
        -------
        float
            The training loss' very arithmetic (nats for BCE); `out` is not modified.
        """
        return self._loss_and_dout(out, y)[0]

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
        backpropagate(self, x, dout)
        return loss, self._grads

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

        See Also
        --------
        models.network.probe.probe_network : the parameters and the result.
        """
        return probe_network(self, x, y, eps, bn_probe)

    def last_pass(self, n: int) -> LastPass:
        """Return read-only views of what the last forward pass on `n` points computed.

        Parameters
        ----------
        n : int
            Batch size of that pass (each batch size has its own work arrays).

        Returns
        -------
        LastPass
            Each hidden layer's pre-activations and activations and the output. Valid right
            after ``forward``, ``probe`` or a training step on `n` points; the next pass on
            `n` points overwrites them (copy to keep).
        """
        buf = self._buffers_for(n)
        zs = buf.z if self.batch_norm else buf.a
        return LastPass(tuple(read_only(zs[k]) for k in range(self.depth)),
                        tuple(read_only(buf.h[k]) for k in range(self.depth)),
                        read_only(buf.out))

    def weights_before_step(self) -> list[np.ndarray]:
        """Return each layer's weight matrix as it was before the last applied step.

        Returns
        -------
        list of numpy.ndarray
            Read-only views, input layer first (the read-out last), of the arrays
            `train_step` swapped out. Meaningful right after a step that was applied (not on
            a diverged network, whose last step was refused); zeros before the first step
            and after `set_activation` rebuilt the optimizer.
        """
        n = len(self.W)
        return [read_only(w) for w in self._spare[0:2 * n:2]]

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
