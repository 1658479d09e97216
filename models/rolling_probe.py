"""Rolling probes: a grid snapshot that re-probes only some networks, the rest from before."""

from __future__ import annotations

import time

from models.experiment import Experiment, Snapshot


class RollingProbe:
    """Build snapshots of an experiment, probing a few networks per frame in turn.

    Probing the whole grid costs far more than a frame may (20 networks at ~1 ms each), so
    while training a live view probes only as many networks as its time budget allows,
    always including the selected one, and takes the others from their latest probe. A full
    snapshot (`Experiment.snapshot`) is still taken when exact numbers are needed (paused,
    stepped, after an intervention).

    Parameters
    ----------
    experiment : Experiment
        The grid to probe (the caller holds its lock).
    """

    def __init__(self, experiment: Experiment) -> None:
        self.experiment = experiment
        self.results: list | None = None
        self.cost_per_net = 0.0  # seconds, running mean
        self._next = 0
        self._taken = -1  # step of the experiment's recorded probe last taken over

    def full(self) -> Snapshot:
        """Probe every network (the engine's own snapshot) and remember the results."""
        start = time.perf_counter()
        exp = self.experiment
        exp.start()
        self.results = exp.probe()
        self._measure(start, len(self.results))
        return self._assemble()

    def partial(self, budget_s: float, always: int) -> tuple[Snapshot, int]:
        """Probe networks in turn for about `budget_s` seconds (and network `always`).

        When the experiment has recorded a probe of every network (its history, every
        ``log_every`` steps) since the last call, those results are taken over and only
        network `always` is probed again (none when the record is of the current step).

        Returns
        -------
        snapshot : Snapshot
            Every network's latest probe; the step is the current one.
        probed : int
            How many networks were probed now.
        """
        exp = self.experiment
        n = len(exp.networks)
        if self.results is None or len(self.results) != n:
            return self.full(), n
        if exp.latest is not None and exp.latest_step > self._taken:
            self._taken = exp.latest_step
            self.results = list(exp.latest)
            chosen = [always] if 0 <= always < n and exp.latest_step != exp.step else []
            start = time.perf_counter()
            for k in chosen:
                self.results[k] = exp.probe_network(k)
            if chosen:
                self._measure(start, len(chosen))
            return self._assemble(), len(chosen)
        count = n if self.cost_per_net <= 0 else int(budget_s / self.cost_per_net)
        count = min(max(count, 1), n)
        chosen = [(self._next + i) % n for i in range(count)]
        self._next = (self._next + count) % n
        if 0 <= always < n and always not in chosen:
            chosen.append(always)
        start = time.perf_counter()
        for k in chosen:
            self.results[k] = exp.probe_network(k)
        self._measure(start, len(chosen))
        return self._assemble(), len(chosen)

    def _measure(self, start: float, count: int) -> None:
        per = (time.perf_counter() - start) / max(count, 1)
        self.cost_per_net = 0.7 * self.cost_per_net + 0.3 * per if self.cost_per_net else per

    def _assemble(self) -> Snapshot:
        """Return a `Snapshot` from the remembered probe results."""
        return self.experiment.assemble_snapshot(self.results)
