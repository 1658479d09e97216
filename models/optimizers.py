"""SGD, momentum and Adam as in-place updates that turn a gradient buffer into a step."""

from __future__ import annotations

import numpy as np

OPTIMIZER_NAMES: tuple[str, ...] = ("sgd", "momentum", "adam")


class Optimizer:
    """Turn gradients into parameter steps, in place, for a fixed list of parameter shapes.

    Parameters
    ----------
    name : str
        ``"sgd"``, ``"momentum"`` (heavy ball, ``v = mu v + g``) or ``"adam"``.
    shapes : list of tuple
        Shapes of the parameters, in the order their gradients will be passed.
    lr : float
        Learning rate.
    momentum : float
        ``mu`` for momentum; ``beta1`` for Adam.
    dtype : numpy dtype
        Dtype of the state buffers.
    """

    def __init__(self, name: str, shapes: list[tuple[int, ...]], lr: float,
                 momentum: float = 0.9, dtype=np.float32) -> None:
        if name not in OPTIMIZER_NAMES:
            choices = ", ".join(OPTIMIZER_NAMES)
            raise ValueError(f"unknown optimizer {name!r}; choose from {choices}")
        self.name = name
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.beta2 = 0.999
        self.eps = 1e-8
        self.t = 0
        self.state = [np.zeros(s, dtype) for s in shapes] if name != "sgd" else []
        self.state2 = [np.zeros(s, dtype) for s in shapes] if name == "adam" else []

    def reset_state(self, index: int | None = None) -> None:
        """Zero the momentum / moment buffers (all, or of parameter `index`)."""
        for buffers in (self.state, self.state2):
            for k, buf in enumerate(buffers):
                if index is None or k == index:
                    buf.fill(0)

    def steps(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        """Overwrite each gradient in `grads` with the step to subtract from its parameter.

        Parameters
        ----------
        grads : list of numpy.ndarray
            Gradients, modified in place.

        Returns
        -------
        list of numpy.ndarray
            The same arrays, now holding ``lr * direction``.
        """
        lr = self.lr
        if self.name == "sgd":
            for g in grads:
                g *= lr
        elif self.name == "momentum":
            for g, v in zip(grads, self.state):
                v *= self.momentum
                v += g
                np.multiply(v, lr, out=g)
        else:
            self.t += 1
            b1, b2 = self.momentum, self.beta2
            step = lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
            for g, m, v in zip(grads, self.state, self.state2):
                m *= b1
                m += (1 - b1) * g
                v *= b2
                np.square(g, out=g)
                g *= 1 - b2
                v += g
                np.sqrt(v, out=g)
                g += self.eps
                np.divide(m, g, out=g)
                g *= step
        return grads
