"""Draw results a few plot items per event-loop turn, so no single turn stalls the window."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Generator

from PySide6 import QtCore, QtWidgets

__all__ = ["Drawer", "finish", "steady_plots", "stepped"]

Steps = Generator[None, None, object]


def finish(steps: Steps):
    """Run every step of `steps` now and return its value (the synchronous way to draw)."""
    try:
        while True:
            next(steps)
    except StopIteration as stop:
        return stop.value


def stepped(steps_fn: Callable[..., Steps]) -> Callable:
    """Turn a generator function that yields between plot items into a plain draw function.

    ``draw = stepped(draw_steps)``: ``draw(...)`` draws everything at once and returns the
    generator's value; ``draw.steps(...)`` is the generator, for a `Drawer`.
    """

    @functools.wraps(steps_fn)
    def draw(*args, **kwargs):
        return finish(steps_fn(*args, **kwargs))

    draw.steps = steps_fn
    return draw


def steady_plots(items) -> None:
    """Make a grid of plots cheap to repaint while it is being filled a step at a time.

    Equal preferred sizes: a new title, legend or tick label no longer resizes the grid's
    columns (which moved every plot and regenerated every axis at each step). Axes are
    cached as pixmaps: a plot whose curves change repaints its unchanged axes (and their
    grid lines) by copying them.
    """
    for item in items:
        item.setPreferredSize(100, 100)
        for plot in getattr(item, "panels", [item]):
            for side in ("left", "bottom", "top", "right"):
                plot.getAxis(side).setCacheMode(
                    QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)


class Drawer(QtCore.QObject):
    """Run queued drawing generators one step per event-loop turn, in order.

    Each step adds at most a couple of plot items (see the ``*_steps`` generators of
    `gui.neuron.plots`), so the window keeps answering input and painting while a result
    is drawn. `put` under a key already queued replaces that drawing (a newer result of
    the same job); the replaced generator is closed where it stopped, and the new one
    starts by clearing the plots it draws.

    Attributes
    ----------
    turns : int
        Steps run so far (one per event-loop turn).
    """

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: OrderedDict[str, tuple[Steps, Callable[[object], None]]] = OrderedDict()
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self.turns = 0

    def busy(self) -> bool:
        """Whether any drawing is still queued."""
        return bool(self._queue)

    def put(self, key: str, steps: Steps, done: Callable[[object], None]) -> None:
        """Queue `steps` under `key` (replacing one queued there); call ``done(value)`` after.

        Parameters
        ----------
        key : str
            What the drawing is of (a job name): a newer drawing of it replaces this one.
        steps : generator
            Yields between plot items; its return value goes to `done`.
        done : callable
            Called on the GUI thread with the generator's value when it has finished.
        """
        old = self._queue.pop(key, None)
        if old is not None:
            old[0].close()
        self._queue[key] = (steps, done)
        if not self._timer.isActive():
            self._timer.start()

    def drop(self) -> None:
        """Forget every queued drawing (what is on the plots stays)."""
        for steps, _ in self._queue.values():
            steps.close()
        self._queue.clear()

    def flush(self) -> None:
        """Finish every queued drawing now (for headless export and closing)."""
        while self._queue:
            self._step()

    def _step(self) -> None:
        if not self._queue:
            return
        key, (steps, done) = next(iter(self._queue.items()))
        self.turns += 1
        try:
            next(steps)
        except StopIteration as stop:
            if self._queue.get(key, (None,))[0] is steps:
                del self._queue[key]
            done(stop.value)
        except Exception:
            if self._queue.get(key, (None,))[0] is steps:
                del self._queue[key]  # a broken drawing must not be retried every turn
            raise
        if self._queue and not self._timer.isActive():
            self._timer.start()
