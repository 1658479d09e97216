"""A grid experiment: networks trained in lockstep on shared minibatches, with interventions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from models.config import ExperimentConfig
from models.datasets import Dataset, load_split, make_dataset, make_held_out, outlier_batch
from models.diagnostics.recorder import DiagnosticsRecorder
from models.evaluation import NAN, CellProbe, accuracy, evaluate, last_output
from models.history import Event, ProbeHistory
from models.network import Network, ProbeResult
from models.schedule import Schedule
from models.snapshot import Snapshot

__all__ = ["Experiment", "Snapshot", "load_dataset", "load_split", "train"]


def load_dataset(config: ExperimentConfig) -> Dataset:
    """Return the training data a config names (a generated set, or a CSV's training rows)."""
    return load_split(config)[0]


class Experiment:
    """Train every (activation, learning rate) cell of a config's grid in lockstep.

    All networks start from the same initial weights (same seed, same init; ``he_leaky``
    rescales the same draws by each activation's alpha) and see the same minibatches.

    The experiment applies its schedule (a preset's kicks, switches and outliers) and
    records every probe, at step 0 and every ``config.log_every`` steps, in `history`, all
    inside `run`: whoever drives it (the window's worker, the command line, a test) gets the
    same numbers. Scheduled actions at step S are applied when step S is reached, before the
    probe of step S.

    Parameters
    ----------
    config : ExperimentConfig
        What to train.
    dataset : Dataset, optional
        Train on this data instead of the one the config names (for imported data).
    schedule : iterable of ScheduledAction, optional
        Interventions to apply at their steps (`models.presets.Preset.schedule`).
    test : Dataset, optional
        Held-out test points to use with `dataset` (without them, a toy dataset's test
        points are drawn as the config says and other data has none).

    Every probe also evaluates each network on the held-out test points (`test_x`,
    `test_y`): test loss and, for classification, training and test accuracy.
    """

    def __init__(self, config: ExperimentConfig, dataset: Dataset | None = None,
                 schedule: Iterable = (), test: Dataset | None = None) -> None:
        self.config = config
        self.dtype = np.dtype(config.dtype)
        if dataset is None:
            data, test = load_split(config)
        else:
            data = dataset
            if test is None and config.dataset != "csv":
                test = make_held_out(config.dataset, len(data), config.test_fraction,
                                     config.noise, config.seed)
        self.dataset = data
        self.x = data.x.astype(self.dtype)
        self.y = data.y.astype(self.dtype)
        self.test_dataset = test if test is not None else Dataset(
            np.zeros((0, data.n_inputs)), np.zeros((0, 1)), data.task, f"{data.name} (test)")
        self.test_x = self.test_dataset.x.astype(self.dtype)
        self.test_y = self.test_dataset.y.astype(self.dtype)
        self.classify = data.task == "classification"
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
        self.schedule = Schedule()
        self.set_schedule(schedule)
        self.diagnostics = DiagnosticsRecorder(len(self.networks), config.depth, config.width)
        self.history = ProbeHistory(len(self.networks), config.depth, config.width,
                                    len(self.probe_x), expected=config.steps
                                    // config.log_every + 2,
                                    extra_bytes=self.diagnostics.bytes_per_record())
        self.latest: list[ProbeResult] | None = None  # the last recorded probe, at latest_step
        self.latest_step = -1
        self._started = False
        self._in_schedule = False

    def set_schedule(self, actions: Iterable) -> None:
        """Set the interventions to apply at their steps (before the experiment has started).

        Raises
        ------
        ValueError
            When training has started, or an action names a cell outside the grid.
        """
        if getattr(self, "_started", False):
            raise ValueError("schedule: set it before the experiment starts")
        schedule = Schedule(actions)
        schedule.check(len(self.networks))
        self.schedule = schedule

    def start(self) -> None:
        """Apply step-0 actions and record the step-0 probe (done once, on first use)."""
        if self._started:
            return
        self._started = True
        self._apply_schedule()
        self._record()

    def _apply_schedule(self) -> None:
        self._in_schedule = True
        try:
            for action in self.schedule.due(self.step):
                action.apply(self)
        finally:
            self._in_schedule = False

    def _record(self) -> None:
        """Probe every network and record the probe in the history."""
        results = self.probe()
        self.latest, self.latest_step = results, self.step
        extras = self.diagnostics.fields(self.networks, len(self.probe_x))
        self.history.add(self._assemble(results, take_events=False), extras)

    def _event(self, kind: str, cells, message: str) -> None:
        self.events.append(message)
        self.history.add_event(Event(self.step, kind, tuple(int(c) for c in cells), message))
        if self._started and not self._in_schedule and self.latest_step == self.step:
            self._record()  # the record of this step shows the state after the intervention

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
        """Take `steps` training steps on every network that has not diverged.

        After each step: divergences become events, scheduled actions due at the new step
        are applied, and at every ``log_every``-th step every network is probed and recorded.
        """
        self.start()
        every = self.config.log_every
        with np.errstate(all="ignore"):
            for k in range(int(steps)):
                xb, yb = self._next_batch()
                outliers = self._outlier_for
                if outliers:
                    ox, oy = outlier_batch(self.dataset, self.config.outlier_factor,
                                           seed=self.config.seed + self._outlier_count,
                                           batch=(xb, yb))
                    self._outlier_for = set()
                    if self.loss_name == "bce":
                        row = int(np.argmax(np.abs(ox).max(axis=1)))
                probe_next = (self.step + 1) % every == 0
                record = (record_grad_norms_last and k == steps - 1) or probe_next
                was = [net.diverged for net in self.networks]
                for index, net in enumerate(self.networks):
                    if index in outliers:
                        if self.loss_name == "bce":
                            # labelled with the class this network gets wrong on it
                            wrong = float(net.forward(ox[row:row + 1])[0, 0] <= 0)
                            oy = oy.copy()
                            oy[row, 0] = wrong
                        net.train_step(ox, oy, record)
                    else:
                        net.train_step(xb, yb, record)
                if probe_next:
                    self.diagnostics.note_step(self.networks)
                self.step += 1
                new = [i for i, net in enumerate(self.networks) if net.diverged and not was[i]]
                if new:
                    names = ", ".join(f"{self.labels[i][0]} @ lr {self.labels[i][1]:g}"
                                      for i in new)
                    self._event("divergence", new, f"diverged: {names}")
                self._apply_schedule()
                if self.step % every == 0:
                    self._record()

    def iterate(self, steps: int | None = None,
                log_every: int | None = None) -> Iterator[Snapshot]:
        """Yield a snapshot now and after every `log_every` steps, `steps` steps in all.

        Interventions called between two yields take effect from the next step.
        """
        steps = self.config.steps if steps is None else int(steps)
        log_every = self.config.log_every if log_every is None else int(log_every)
        end = self.step + steps
        yield self.current_snapshot()
        while self.step < end:
            self.run(min(log_every, end - self.step))
            yield self.current_snapshot()

    # -- diagnostics ----------------------------------------------------------------------
    def probe_network(self, index: int) -> CellProbe:
        """Probe network `index` on the probe set (with the config's eps and bn_probe).

        Also evaluates it on the test points (one forward pass): test loss and, for
        classification, test and training accuracy (the training accuracy from the probe's
        own outputs when the probe set is the training set). The probe runs last, so its
        work arrays are what the diagnostics then read.
        """
        net = self.networks[index]
        bn_probe = self.config.bn_probe
        with np.errstate(all="ignore"):
            test_loss, test_accuracy = evaluate(net, self.test_x, self.test_y, bn_probe,
                                                self.classify)
            on_train = self.probe_x is self.x
            train_accuracy = NAN
            if self.classify and not on_train:
                train_accuracy = evaluate(net, self.x, self.y, bn_probe, True)[1]
            result = net.probe(self.probe_x, self.probe_y, self.config.eps, bn_probe)
            if self.classify and on_train and not net.diverged:
                train_accuracy = accuracy(last_output(net, len(self.x)), self.y,
                                          net.loss_name)
        return CellProbe(**vars(result), test_loss=test_loss, train_accuracy=train_accuracy,
                         test_accuracy=test_accuracy)

    def probe(self) -> list[ProbeResult]:
        """Probe every network on the probe set."""
        return [self.probe_network(k) for k in range(len(self.networks))]

    def snapshot(self) -> Snapshot:
        """Probe every network and return the grid's state as arrays."""
        self.start()
        return self.assemble_snapshot(self.probe())

    def current_snapshot(self) -> Snapshot:
        """Return the grid's state now: the recorded probe when this step has one."""
        self.start()
        if self.latest is not None and self.latest_step == self.step:
            return self.assemble_snapshot(self.latest)
        return self.snapshot()

    def assemble_snapshot(self, results: list[ProbeResult]) -> Snapshot:
        """Return the grid's state from one probe result per network (probed now or earlier).

        Events recorded since the last snapshot are handed over with it.
        """
        return self._assemble(results, take_events=True)

    def _assemble(self, results: list[ProbeResult], take_events: bool) -> Snapshot:
        depth = self.config.depth
        dead = np.stack([r.dead for r in results])
        layers = dead.mean(axis=2) if dead.size else np.zeros((len(results), depth))
        events = []
        if take_events:
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
            state=np.stack([r.state for r in results]),
            test_losses=np.array([getattr(r, "test_loss", NAN) for r in results]),
            train_accuracy=np.array([getattr(r, "train_accuracy", NAN) for r in results]),
            test_accuracy=np.array([getattr(r, "test_accuracy", NAN) for r in results]),
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
        self.start()
        kicked = 0
        results = self.probe()
        chosen = self._indices(indices)
        for i in chosen:
            net = self.networks[i]
            if net.diverged:
                continue
            for layer in range(net.depth):
                units = np.flatnonzero(results[i].dead[layer, :net.widths[layer]])
                net.kick_units(layer, units, std, self._kick_rng)
                kicked += units.size
        self._event("kick", chosen, f"thermal kick: {kicked} dead units kicked (std {std:g})")
        return kicked

    def reinit_dead(self, indices=None) -> int:
        """Redraw the incoming weights of every dead unit (He normal, zero bias); return count."""
        self.start()
        count = 0
        results = self.probe()
        chosen = self._indices(indices)
        for i in chosen:
            net = self.networks[i]
            for layer in range(net.depth):
                units = np.flatnonzero(results[i].dead[layer, :net.widths[layer]])
                net.reinit_units(layer, units, self._kick_rng)
                count += units.size
        self._event("reinit", chosen, f"re-initialised {count} dead units")
        return count

    def switch_activation(self, index: int, name: str) -> None:
        """Switch network `index` to activation `name`, keeping its weights."""
        self.start()
        i = self._indices(index)[0]
        self.networks[i].set_activation(name)
        old = self.labels[i]
        self.labels[i] = (name, old[1])
        self._event("switch", [i], f"cell {old[0]} @ lr {old[1]:g} switched to {name}")

    def inject_outlier(self, indices=None) -> None:
        """Make the next training step of the chosen networks use an outlier batch."""
        self.start()
        chosen = self._indices(indices)
        self._outlier_for = set(chosen)
        self._outlier_count += 1
        self._event("outlier", chosen, "outlier batch injected")


def train(config: ExperimentConfig, dataset: Dataset | None = None,
          schedule: Iterable = ()) -> Iterator[Snapshot]:
    """Train a config's grid, yielding a `Snapshot` at step 0 and every ``log_every`` steps.

    Parameters
    ----------
    config : ExperimentConfig
        What to train; the same config and seed give identical numbers.
    dataset : Dataset, optional
        Data to use instead of the one the config names.
    schedule : iterable of ScheduledAction, optional
        Interventions applied at their steps (a preset's schedule).

    Yields
    ------
    Snapshot
        The grid's state.
    """
    yield from Experiment(config, dataset, schedule).iterate()
