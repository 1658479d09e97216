"""The engine's record of every probe: per-cell losses, accuracy, dead fractions, unit states.

Memory is bounded: activity is stored as exact counts of active probe points (uint16, or
uint32 for probe sets over 65,535 points) and states as uint8 codes, about 3 bytes per unit
per probe. Up to `max_records` probes are kept (from a `MAX_BYTES` budget, at least 1024);
beyond that every other record is dropped and from then on every second probe is kept
(`stride` doubles), so the record spans the whole run at an even spacing. With the presets
(8 cells of 3 x 48 units, 4000 steps probed every 10) the 401 records take 1.4 MB and nothing
is dropped. Records may carry `extras` (the engine's diagnostics: pre-activation histograms,
update ratios, unit biases and weight norms, about 13 kB per probe for the presets' grid,
5.4 MB over their 401 records),
counted in the budget and decimated with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.activations import ACTIVATION_NAMES
from models.snapshot import Snapshot
from models.unit_states import DEAD

MAX_BYTES = 256 * 2**20
MIN_RECORDS = 1024
EVENT_KINDS: tuple[str, ...] = ("kick", "reinit", "switch", "outlier", "divergence")
# grid.csv's last columns (after every older one, which stay as they were)
HELD_OUT_COLUMNS = ("test_loss", "train_accuracy_fraction", "test_accuracy_fraction")


@dataclass(frozen=True)
class Event:
    """Something that happened to the grid at a real step.

    Attributes
    ----------
    step : int
        The step at which it happened (an outlier injected at step S is in the batch of
        the step from S to S + 1; a divergence at S was found by the step that reached S).
    kind : str
        One of `EVENT_KINDS`.
    cells : tuple of int
        The cells it concerned.
    message : str
        One line for people.
    """

    step: int
    kind: str
    cells: tuple[int, ...]
    message: str


class ProbeHistory:
    """Every probe of an experiment, at the config's probe interval, plus its events.

    Parameters
    ----------
    n_cells, depth, width : int
        Grid size and network shape.
    n_points : int
        Probe-set size (activity is stored as counts of these points).
    expected : int
        Records to allocate up front (grows by doubling up to `max_records`).
    max_records : int, optional
        Most records kept before decimating (from `MAX_BYTES` when None).
    extra_bytes : int
        Bytes per record of the `extras` the records will carry (counted in the budget).
    """

    def __init__(self, n_cells: int, depth: int, width: int, n_points: int,
                 expected: int = 64, max_records: int | None = None,
                 extra_bytes: int = 0) -> None:
        self.n_cells, self.depth, self.width = int(n_cells), int(depth), int(width)
        self.n_points = int(n_points)
        per_record = 3 * max(self.n_cells * self.depth * self.width, 1) + int(extra_bytes)
        cap = max_records if max_records is not None else max(MIN_RECORDS,
                                                              MAX_BYTES // per_record)
        self.max_records = max(2, int(cap) - int(cap) % 2)
        self.count_dtype = np.uint16 if self.n_points <= np.iinfo(np.uint16).max else np.uint32
        self.count = 0
        self.stride = 1
        self.probes_seen = 0
        self.events: list[Event] = []
        self.version = 0
        self.extras: dict[str, np.ndarray] = {}  # optional per-record fields (diagnostics)
        self._allocate(min(max(int(expected), 2), self.max_records))

    def _allocate(self, capacity: int) -> None:
        k, d, w = self.n_cells, self.depth, self.width
        new = {
            "steps": np.zeros(capacity, np.int64),
            "losses": np.zeros((capacity, k)),
            "dead_fraction": np.zeros((capacity, k)),
            "dead_layers": np.zeros((capacity, k, d)),
            "active": np.zeros((capacity, k, d, w), self.count_dtype),
            "state": np.zeros((capacity, k, d, w), np.uint8),
            "diverged": np.zeros((capacity, k), bool),
            "activation": np.zeros((capacity, k), np.uint8),
            "lrs": np.zeros((capacity, k)),
            "grad_norms": np.zeros((capacity, k, d + 1), np.float32),
            "zero_gradient": np.zeros((capacity, k)),
            "test_losses": np.full((capacity, k), np.nan),
            "train_accuracy": np.full((capacity, k), np.nan),
            "test_accuracy": np.full((capacity, k), np.nan),
        }
        for name, array in new.items():
            old = getattr(self, name, None)
            if old is not None:
                array[:self.count] = old[:self.count]
            setattr(self, name, array)
        for name, old in self.extras.items():
            array = np.zeros((capacity, *old.shape[1:]), old.dtype)
            array[:self.count] = old[:self.count]
            self.extras[name] = array
        self.capacity = capacity

    _FIELDS = ("steps", "losses", "dead_fraction", "dead_layers", "active", "state",
               "diverged", "activation", "lrs", "grad_norms", "zero_gradient", "test_losses",
               "train_accuracy", "test_accuracy")

    # -- recording ----------------------------------------------------------------------
    def add(self, snapshot: Snapshot, extras: dict[str, np.ndarray] | None = None) -> bool:
        """Record a full snapshot; a snapshot of the last recorded step replaces that record.

        `extras` are further per-record arrays (the diagnostics), stored under their names
        in `extras` and kept, grown and decimated with the rest of each record.

        Returns
        -------
        bool
            True when recorded (False when the stride skips it).
        """
        if self.count and snapshot.step == self.steps[self.count - 1]:
            i = self.count - 1
        elif self.count and snapshot.step < self.steps[self.count - 1]:
            raise ValueError(f"history: step {snapshot.step} is before the last record "
                             f"({self.steps[self.count - 1]})")
        else:
            self.probes_seen += 1
            if self.count and (self.probes_seen - 1) % self.stride:
                return False
            if self.count == self.capacity:
                if self.capacity < self.max_records:
                    self._allocate(min(2 * self.capacity, self.max_records))
                else:
                    self._decimate()
                    if (self.probes_seen - 1) % self.stride:
                        return False
            i = self.count
            self.count += 1
        self._write(i, snapshot)
        for name, value in (extras or {}).items():
            if name not in self.extras:
                value = np.asarray(value)
                self.extras[name] = np.zeros((self.capacity, *value.shape), value.dtype)
            self.extras[name][i] = value
        self.version += 1
        return True

    def _decimate(self) -> None:
        half = self.count // 2
        for name in self._FIELDS:
            array = getattr(self, name)
            array[:half] = array[0:2 * half:2].copy()
        for array in self.extras.values():
            array[:half] = array[0:2 * half:2].copy()
        self.count = half
        self.stride *= 2

    def _write(self, i: int, snap: Snapshot) -> None:
        self.steps[i] = snap.step
        self.losses[i] = snap.losses
        self.dead_fraction[i] = snap.dead_fraction
        self.dead_layers[i] = snap.dead_fraction_layers
        self.active[i] = np.rint(snap.activity * self.n_points).astype(self.count_dtype)
        self.state[i] = snap.state if snap.state is not None else np.where(snap.dead, DEAD, 0)
        self.diverged[i] = snap.diverged
        self.activation[i] = [ACTIVATION_NAMES.index(a) for a, _ in snap.labels]
        self.lrs[i] = [lr for _, lr in snap.labels]
        self.grad_norms[i] = snap.grad_norms
        self.zero_gradient[i] = snap.zero_gradient_fraction
        for name in ("test_losses", "train_accuracy", "test_accuracy"):
            getattr(self, name)[i] = snap.held_out(name)

    def add_event(self, event: Event) -> None:
        """Append an event (kept whatever the decimation)."""
        self.events.append(event)
        self.version += 1

    # -- queries ------------------------------------------------------------------------
    @property
    def recorded_steps(self) -> np.ndarray:
        """(n,) the recorded steps (a view)."""
        return self.steps[:self.count]

    def index_at(self, step: int | None = None) -> int:
        """Return the index of the latest record at or before `step` (the last when None).

        Raises
        ------
        IndexError
            When nothing is recorded at or before `step`.
        """
        if step is None:
            i = self.count - 1
        else:
            i = int(np.searchsorted(self.steps[:self.count], step, side="right")) - 1
        if i < 0:
            raise IndexError(f"history: nothing recorded at or before step {step}")
        return i

    def extra(self, name: str) -> np.ndarray:
        """Return the recorded values of extra field `name`, one row per record (a view).

        Raises
        ------
        KeyError
            When no record carried that field.
        """
        return self.extras[name][:self.count]

    def labels_at(self, index: int) -> list[tuple[str, float]]:
        """Return the (activation, lr) of every cell at record `index`."""
        return [(ACTIVATION_NAMES[a], float(lr))
                for a, lr in zip(self.activation[index], self.lrs[index])]

    def snapshot(self, index: int) -> Snapshot:
        """Return record `index` as a `Snapshot` (for replay; events are not included)."""
        state = self.state[index].copy()
        return Snapshot(
            step=int(self.steps[index]), labels=self.labels_at(index),
            losses=self.losses[index].copy(),
            activity=self.active[index] / self.n_points, dead=state == DEAD,
            dead_fraction=self.dead_fraction[index].copy(),
            dead_fraction_layers=self.dead_layers[index].copy(),
            zero_gradient_fraction=self.zero_gradient[index].copy(),
            grad_norms=self.grad_norms[index].astype(float),
            diverged=self.diverged[index].copy(), state=state,
            test_losses=self.test_losses[index].copy(),
            train_accuracy=self.train_accuracy[index].copy(),
            test_accuracy=self.test_accuracy[index].copy())

    def cell(self, index: int) -> dict[str, np.ndarray]:
        """Return cell `index`'s history as arrays.

        Returns
        -------
        dict
            ``steps`` (n,), ``loss`` (n,), ``dead_fraction`` (n,), ``dead_layers``
            (n, depth), ``activity`` (n, depth, width) float32, ``state`` (n, depth, width)
            uint8, ``dead`` (n, depth, width) bool, ``diverged`` (n,) bool, ``test_loss``,
            ``train_accuracy``, ``test_accuracy`` (n,) (NaN where there is none).
        """
        n = self.count
        return {"steps": self.steps[:n].copy(), "loss": self.losses[:n, index].copy(),
                "dead_fraction": self.dead_fraction[:n, index].copy(),
                "dead_layers": self.dead_layers[:n, index].copy(),
                "activity": (self.active[:n, index] / self.n_points).astype(np.float32),
                "state": self.state[:n, index].copy(),
                "dead": self.state[:n, index] == DEAD,
                "diverged": self.diverged[:n, index].copy(),
                "test_loss": self.test_losses[:n, index].copy(),
                "train_accuracy": self.train_accuracy[:n, index].copy(),
                "test_accuracy": self.test_accuracy[:n, index].copy()}

    def events_for(self, cell: int | None = None) -> list[Event]:
        """Return the events concerning `cell` (every event when None), in step order."""
        return [e for e in self.events if cell is None or cell in e.cells]

    def _dead_column(self, cell: int, layer: int, unit: int, step: int | None):
        i = self.index_at(step)
        return self.state[:i + 1, cell, layer, unit] == DEAD, i

    def dead_since(self, cell: int, layer: int, unit: int, step: int | None = None) -> int | None:
        """Return the first recorded step of the unit's current dead spell, or None if alive.

        Parameters
        ----------
        cell : int
            Cell index (row-major over activations x learning rates).
        layer : int
            Layer index, 0 = the layer nearest the input (shown as layer 1).
        unit : int
            Unit index within the layer.
        step : int, optional
            Ask about the state at this step (replay); the latest record when None.

        Returns
        -------
        int or None
            A recorded step (exact to the probe interval times `stride`).
        """
        dead, i = self._dead_column(cell, layer, unit, step)
        if not dead[i]:
            return None
        alive = np.flatnonzero(~dead)
        return int(self.steps[alive[-1] + 1 if alive.size else 0])

    def revived_at(self, cell: int, layer: int, unit: int, step: int | None = None) -> int | None:
        """Return the latest recorded step at which the unit stopped being dead, or None.

        Arguments as for `dead_since`; a unit that was never dead (or is dead since its only
        spell began) returns None.
        """
        dead, _ = self._dead_column(cell, layer, unit, step)
        revivals = np.flatnonzero(dead[:-1] & ~dead[1:])
        return int(self.steps[revivals[-1] + 1]) if revivals.size else None


def grid_header(depth: int) -> list[str]:
    """Return grid.csv's columns: layers numbered from 1 (the layer nearest the input).

    ``loss`` is on the probe set, ``test_loss`` on the held-out test points (both in nats
    for BCE); the accuracies are fractions of points classified right (NaN for regression).
    """
    return ["activation", "lr", "seed", "step", "loss", "dead_fraction",
            *[f"dead_fraction_layer{i + 1}" for i in range(depth)], "diverged",
            "dormant_fraction", "saturated_fraction", *HELD_OUT_COLUMNS]


def snapshot_rows(snap: Snapshot, seed: int) -> list[list]:
    """Return one grid.csv row per cell of `snap` (columns of `grid_header`)."""
    dormant, saturated = snap.dormant_fraction, snap.saturated_fraction
    held_out = [snap.held_out(name) for name in ("test_losses", "train_accuracy",
                                                 "test_accuracy")]
    return [[act, float(lr), int(seed), int(snap.step), float(snap.losses[k]),
             float(snap.dead_fraction[k]), *[float(v) for v in snap.dead_fraction_layers[k]],
             int(snap.diverged[k]), float(dormant[k]), float(saturated[k]),
             *[float(values[k]) for values in held_out]]
            for k, (act, lr) in enumerate(snap.labels)]


def history_rows(history: ProbeHistory, seed: int) -> tuple[list[str], list[list]]:
    """Return grid.csv's header and rows: one row per cell per recorded probe."""
    rows = []
    for i in range(history.count):
        rows.extend(snapshot_rows(history.snapshot(i), seed))
    return grid_header(history.depth), rows


def event_rows(history: ProbeHistory) -> tuple[list[str], list[list]]:
    """Return events.csv's header and rows: step, kind, cells (space-separated), message."""
    return (["step", "kind", "cells", "message"],
            [[e.step, e.kind, " ".join(str(c) for c in e.cells), e.message]
             for e in history.events])

