"""A bounded history of grid snapshots: fixed memory however long training runs."""

from __future__ import annotations

import numpy as np

from models.experiment import Snapshot

HELD_OUT = ("test_losses", "train_accuracy", "test_accuracy")  # Snapshot's names
CAPACITY = 512  # records kept; when full, every other one is dropped and the stride doubles


class History:
    """Steps, losses, accuracy, per-layer dead fractions and activity maps of every cell.

    Memory is allocated once per experiment: when the buffers fill up, every second record
    is discarded and from then on only every second snapshot is kept (stride doubling), so
    the record covers the whole run at a roughly even spacing in steps.

    Parameters
    ----------
    n_cells, depth, width : int
        Grid size and network shape.
    capacity : int
        Records kept (even).
    """

    def __init__(self, n_cells: int, depth: int, width: int, capacity: int = CAPACITY) -> None:
        self.capacity = capacity - capacity % 2
        self.steps = np.zeros(self.capacity, np.int64)
        self.losses = np.zeros((self.capacity, n_cells))
        self.test_losses = np.full((self.capacity, n_cells), np.nan)
        self.train_accuracy = np.full((self.capacity, n_cells), np.nan)
        self.test_accuracy = np.full((self.capacity, n_cells), np.nan)
        self.dead_layers = np.zeros((self.capacity, n_cells, depth))
        self.activity = np.zeros((self.capacity, n_cells, depth * width), np.float32)
        self.dead = np.zeros((self.capacity, n_cells, depth * width), bool)
        self.count = 0
        self.stride = 1
        self._seen = 0
        self.version = 0

    def add(self, snapshot: Snapshot) -> bool:
        """Record `snapshot` (unless the stride skips it or its step is already recorded).

        Returns
        -------
        bool
            True when the snapshot was recorded.
        """
        if self.count and snapshot.step <= self.steps[self.count - 1]:
            return False
        self._seen += 1
        if self.count and self._seen % self.stride:
            return False
        if self.count == self.capacity:
            half = self.capacity // 2
            for array in (self.steps, self.losses, self.dead_layers, self.activity,
                          self.dead, *self._held_out()):
                array[:half] = array[1::2]
            self.count = half
            self.stride *= 2
        i = self.count
        self.steps[i] = snapshot.step
        self.losses[i] = snapshot.losses
        self.dead_layers[i] = snapshot.dead_fraction_layers
        self.activity[i] = snapshot.activity.reshape(len(snapshot.losses), -1)
        self.dead[i] = snapshot.dead.reshape(len(snapshot.losses), -1)
        for array, name in zip(self._held_out(), HELD_OUT):
            array[i] = snapshot.held_out(name)
        self.count += 1
        self.version += 1
        return True

    def cell(self, index: int) -> dict[str, np.ndarray]:
        """Return the history of cell `index` as arrays (views into the buffers, copy to keep).

        Returns
        -------
        dict
            ``steps`` (n,), ``loss`` (n,), ``dead_layers`` (n, depth), ``activity``
            (n, depth * width), ``dead`` (n, depth * width) bool, ``test_loss``,
            ``train_accuracy``, ``test_accuracy`` (n,) (NaN where there is none).
        """
        n = self.count
        return {"steps": self.steps[:n], "loss": self.losses[:n, index],
                "dead_layers": self.dead_layers[:n, index],
                "activity": self.activity[:n, index], "dead": self.dead[:n, index],
                "test_loss": self.test_losses[:n, index],
                "train_accuracy": self.train_accuracy[:n, index],
                "test_accuracy": self.test_accuracy[:n, index]}

    def _held_out(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.test_losses, self.train_accuracy, self.test_accuracy
