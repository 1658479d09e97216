"""A grid experiment: networks trained in lockstep on shared minibatches, with interventions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from models.config import ExperimentConfig
from models.datasets import Dataset, load_csv, make_dataset, outlier_batch
from models.network import Network, ProbeResult


@dataclass
class Snapshot:
    """The state of every network of a grid at one step: arrays only, safe to hand to a view.

    Attributes
    ----------
    step : int
        Training steps taken.
    labels : list of (str, float)
        (activation, learning rate) of each network, row-major over the grid.
    losses : numpy.ndarray
        (K,) loss on the probe set (NaN once diverged).
    activity : numpy.ndarray
        (K, depth, width) fraction of probe points on which each unit has ``z > 0``.
    dead : numpy.ndarray
        (K, depth, width) bool dead mask.
    dead_fraction : numpy.ndarray
        (K,) fraction of hidden units dead.
    dead_fraction_layers : numpy.ndarray
        (K, depth) fraction dead per layer.
    zero_gradient_fraction : numpy.ndarray
        (K,) fraction of (probe point, unit) pairs with activation derivative exactly 0.
    grad_norms : numpy.ndarray
        (K, depth + 1) gradient norm per layer at the last step.
    diverged : numpy.ndarray
        (K,) bool.
    """

    step: int
    labels: list[tuple[str, float]]
    losses: np.ndarray
    activity: np.ndarray
    dead: np.ndarray
    dead_fraction: np.ndarray
    dead_fraction_layers: np.ndarray
    zero_gradient_fraction: np.ndarray
    grad_norms: np.ndarray
    diverged: np.ndarray
    events: list[str] = field(default_factory=list)


def load_dataset(config: ExperimentConfig) -> Dataset:
    """Return the training data a config names (a generated dataset or the user's CSV)."""
    if config.dataset == "csv":
        return load_csv(config.csv_path)
    return make_dataset(config.dataset, config.n_samples, config.noise, config.seed)


class Experiment:
    """Train every (activation, learning rate) cell of a config's grid in lockstep.

    All networks start from the same initial weights (same seed, same init; ``he_leaky``
    rescales the same draws by each activation's alpha) and see the same minibatches.

    Parameters
    ----------
    config : ExperimentConfig
        What to train.
    dataset : Dataset, optional
        Use this data instead of the one the config names (for imported data).
    """

    def __init__(self, config: ExperimentConfig, dataset: Dataset | None = None) -> None:
        self.config = config
        self.dtype = np.dtype(config.dtype)
        data = dataset if dataset is not None else load_dataset(config)
        self.dataset = data
        self.x = data.x.astype(self.dtype)
        self.y = data.y.astype(self.dtype)
        if config.probe == "held_out" and config.dataset != "csv":
            probe = make_dataset(config.dataset, config.n_samples, config.noise,
                                 config.seed + 1_000_003)
            self.probe_x, self.probe_y = probe.x.astype(self.dtype), probe.y.astype(self.dtype)
        else:
            self.probe_x, self.probe_y = self.x, self.y
        self.loss_name = config.resolved_loss(data.task)
        self.labels = [(act, lr) for act in config.activations for lr in config.lrs]
        self.networks = [self._new_network(act, lr) for act, lr in self.labels]
        self.step = 0
        self.batch_size = min(config.batch_size, len(data))
        self._batch_rng = np.random.default_rng([config.seed, 1])
        self._kick_rng = np.random.default_rng([config.seed, 2])
        self._order = self._batch_rng.permutation(len(data))
        self._cursor = 0
        self._outlier_for: set[int] = set()
        self._outlier_count = 0
        self.events: list[str] = []

    def _new_network(self, activation: str, lr: float) -> Network:
        c = self.config
        return Network(self.dataset.n_inputs, [c.width] * c.depth, activation, alpha=c.alpha,
                       batch_norm=c.batch_norm, loss=self.loss_name, optimizer=c.optimizer,
                       lr=lr, momentum=c.momentum, init=c.init, seed=[c.seed, 0],
                       bias_value=c.bias_value, dtype=self.dtype)

    # -- training -------------------------------------------------------------------------
    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        n, size = len(self._order), self.batch_size
        if self._cursor + size > n:
            self._order = self._batch_rng.permutation(n)
            self._cursor = 0
        rows = self._order[self._cursor:self._cursor + size]
        self._cursor += size
        return self.x[rows], self.y[rows]

    def run(self, steps: int, record_grad_norms_last: bool = True) -> None:
        """Take `steps` training steps on every network that has not diverged."""
        with np.errstate(all="ignore"):
            for k in range(int(steps)):
                xb, yb = self._next_batch()
                outliers = self._outlier_for
                if outliers:
                    ox, oy = outlier_batch(self.dataset, self.config.outlier_factor,
                                           seed=self.config.seed + self._outlier_count)
                    ox, oy = ox.astype(self.dtype), oy.astype(self.dtype)
                    self._outlier_for = set()
                record = record_grad_norms_last and k == steps - 1
                for index, net in enumerate(self.networks):
                    if index in outliers:
                        net.train_step(ox, oy, record)
                    else:
                        net.train_step(xb, yb, record)
                self.step += 1

    def iterate(self, steps: int | None = None,
                log_every: int | None = None) -> Iterator[Snapshot]:
        """Yield a snapshot now and after every `log_every` steps, `steps` steps in all.

        Interventions called between two yields take effect from the next step.
        """
        steps = self.config.steps if steps is None else int(steps)
        log_every = self.config.log_every if log_every is None else int(log_every)
        end = self.step + steps
        yield self.snapshot()
        while self.step < end:
            self.run(min(log_every, end - self.step))
            yield self.snapshot()

    # -- diagnostics ----------------------------------------------------------------------
    def probe(self) -> list[ProbeResult]:
        """Probe every network on the probe set."""
        with np.errstate(all="ignore"):
            return [net.probe(self.probe_x, self.probe_y, self.config.eps)
                    for net in self.networks]

    def snapshot(self) -> Snapshot:
        """Probe every network and return the grid's state as arrays."""
        return self.assemble_snapshot(self.probe())

    def assemble_snapshot(self, results: list[ProbeResult]) -> Snapshot:
        """Return the grid's state from one probe result per network (probed now or earlier).

        Events recorded since the last snapshot are handed over with it.
        """
        depth = self.config.depth
        dead = np.stack([r.dead for r in results])
        layers = dead.mean(axis=2) if dead.size else np.zeros((len(results), depth))
        events, self.events = self.events, []
        return Snapshot(
            step=self.step,
            labels=list(self.labels),
            losses=np.array([r.loss for r in results]),
            activity=np.stack([r.activity for r in results]),
            dead=dead,
            dead_fraction=dead.reshape(len(results), -1).mean(axis=1),
            dead_fraction_layers=layers,
            zero_gradient_fraction=np.array([r.zero_gradient_fraction for r in results]),
            grad_norms=np.stack([net.last_grad_norms for net in self.networks]),
            diverged=np.array([net.diverged for net in self.networks]),
            events=events,
        )

    def predict(self, x: np.ndarray, index: int) -> np.ndarray:
        """Return network `index`'s output on `x`: probability (classification) or value."""
        net = self.networks[index]
        with np.errstate(all="ignore"):
            out = net.forward(np.asarray(x, self.dtype), train=False).copy()
        if self.loss_name == "bce":
            out = 1.0 / (1.0 + np.exp(-out))
        return out[:, 0]

    # -- interventions --------------------------------------------------------------------
    def _indices(self, indices) -> list[int]:
        if indices is None:
            return list(range(len(self.networks)))
        chosen = [int(i) for i in np.atleast_1d(indices)]
        for i in chosen:
            if not 0 <= i < len(self.networks):
                raise IndexError(f"network index {i} out of range 0..{len(self.networks) - 1}")
        return chosen

    def thermal_kick(self, indices=None, std: float | None = None) -> int:
        """Add ``N(0, std^2)`` to the incoming weights and bias of every dead unit.

        Parameters
        ----------
        indices : int or sequence of int, optional
            Networks to kick; all when None.
        std : float, optional
            Kick size; the config's ``kick_std`` when None.

        Returns
        -------
        int
            How many units were kicked.
        """
        std = self.config.kick_std if std is None else float(std)
        kicked = 0
        results = self.probe()
        for i in self._indices(indices):
            net = self.networks[i]
            if net.diverged:
                continue
            for layer in range(net.depth):
                units = np.flatnonzero(results[i].dead[layer, :net.widths[layer]])
                net.kick_units(layer, units, std, self._kick_rng)
                kicked += units.size
        self.events.append(f"thermal kick: {kicked} dead units kicked (std {std:g})")
        return kicked

    def reinit_dead(self, indices=None) -> int:
        """Redraw the incoming weights of every dead unit (He normal, zero bias); return count."""
        count = 0
        results = self.probe()
        for i in self._indices(indices):
            net = self.networks[i]
            for layer in range(net.depth):
                units = np.flatnonzero(results[i].dead[layer, :net.widths[layer]])
                net.reinit_units(layer, units, self._kick_rng)
                count += units.size
        self.events.append(f"re-initialised {count} dead units")
        return count

    def switch_activation(self, index: int, name: str) -> None:
        """Switch network `index` to activation `name`, keeping its weights."""
        i = self._indices(index)[0]
        self.networks[i].set_activation(name)
        old = self.labels[i]
        self.labels[i] = (name, old[1])
        self.events.append(f"cell {old[0]} @ lr {old[1]:g} switched to {name}")

    def inject_outlier(self, indices=None) -> None:
        """Make the next training step of the chosen networks use an outlier batch."""
        self._outlier_for = set(self._indices(indices))
        self._outlier_count += 1
        self.events.append("outlier batch injected")


def train(config: ExperimentConfig, dataset: Dataset | None = None) -> Iterator[Snapshot]:
    """Train a config's grid, yielding a `Snapshot` at step 0 and every ``log_every`` steps.

    Parameters
    ----------
    config : ExperimentConfig
        What to train; the same config and seed give identical numbers.
    dataset : Dataset, optional
        Data to use instead of the one the config names.

    Yields
    ------
    Snapshot
        The grid's state.
    """
    yield from Experiment(config, dataset).iterate()
