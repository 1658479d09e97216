"""A preset's schedule of interventions, applied once each as an experiment reaches its step."""

from __future__ import annotations

from collections.abc import Iterable


class Schedule:
    """Scheduled actions (`models.presets.ScheduledAction`) in step order, each applied once.

    The experiment owns its schedule and applies it inside `Experiment.run`, so the window's
    training worker and the command line take exactly the same steps and interventions.

    Parameters
    ----------
    actions : iterable of ScheduledAction
        What to do and when; sorted by step (stable, so same-step actions keep their order).
    """

    def __init__(self, actions: Iterable = ()) -> None:
        self.actions = tuple(sorted(actions, key=lambda a: a.step))
        self._next = 0

    def __len__(self) -> int:
        return len(self.actions)

    def check(self, n_cells: int) -> None:
        """Raise ValueError naming the entry when an action's cells are outside the grid."""
        for action in self.actions:
            cells = action.cells or ()
            bad = [c for c in cells if not 0 <= c < n_cells]
            if bad:
                raise ValueError(f"schedule cells: {bad[0]} is not a cell index 0..{n_cells - 1} "
                                 f"(step {action.step}, {action.action})")

    def due(self, step: int) -> list:
        """Return (and mark applied) the actions not yet applied whose step is <= `step`."""
        start = self._next
        while self._next < len(self.actions) and self.actions[self._next].step <= step:
            self._next += 1
        return list(self.actions[start:self._next])

    def next_step(self, after: int) -> int | None:
        """Return the step of the first pending action later than `after`, or None."""
        later = [a.step for a in self.actions[self._next:] if a.step > after]
        return min(later) if later else None

    @property
    def steps(self) -> tuple[int, ...]:
        """Steps of every action, applied or not."""
        return tuple(a.step for a in self.actions)
