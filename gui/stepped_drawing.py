"""Draw results a few plot items per event-loop turn, so no single turn stalls the window."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Generator

from PySide6 import QtCore, QtWidgets

__all__ = ["Drawer", "SteadyPlots", "finish", "stepped"]

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


class SteadyPlots:
    """Keep a grid of plots cheap to repaint while it is filled a step at a time.

    `hold` (True) pins every plot's preferred size to its present size: a new title,
    legend or tick label then no longer re-lays out the grid's columns, which moved every
    plot and regenerated every axis at each step. `hold` (False) lets the grid take its
    natural sizes again, once, when the drawing is done. Axes are cached as pixmaps, so a
    plot whose curves change repaints its unchanged axes (and grid lines) by copying them.
    """

    def __init__(self, items) -> None:
        self.items = list(items)
        self.held = False
        for item in self.items:
            for plot in getattr(item, "panels", [item]):
                for side in ("left", "bottom", "top", "right"):
                    plot.getAxis(side).setCacheMode(
                        QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def hold(self, held: bool) -> None:
        """Pin (True) or release (False) the plots' preferred sizes."""
        if held == self.held:
            return
        self.held = held
        for item in self.items:
            size = item.size()
            if held and size.width() > 0 and size.height() > 0:
                item.setPreferredSize(size)
            elif not held:
                item.setPreferredSize(-1.0, -1.0)  # unset: the natural size again


class Drawer(QtCore.QObject):
    """Run queued drawing generators one step per event-loop turn, in order.

    Each step adds at most a couple of plot items (see the ``*_steps`` generators of
    `gui.neuron.plots`, `gui.sweep.plots` and `gui.theory.plots`), so the window keeps
    answering input and painting while a result is drawn. `put` under a key already
    queued replaces that drawing (a newer result of the same job); the replaced generator
    is closed where it stopped, and the new one starts by clearing (or updating in place)
    the plots it draws.

    Parameters
    ----------
    hold : callable, optional
        ``hold(True)`` when drawing starts, ``hold(False)`` when nothing is left to draw
        (`SteadyPlots.hold`).

    Attributes
    ----------
    turns : int
        Steps run so far (one per event-loop turn).
    """

    def __init__(self, parent: QtCore.QObject | None = None,
                 hold: Callable[[bool], None] | None = None) -> None:
        super().__init__(parent)
        self._hold = hold if hold is not None else (lambda held: None)
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
        if not self._queue:
            self._hold(True)
        self._queue[key] = (steps, done)
        if not self._timer.isActive():
            self._timer.start()

    def drop(self) -> None:
        """Forget every queued drawing (what is on the plots stays)."""
        for steps, _ in self._queue.values():
            steps.close()
        self._queue.clear()
        self._hold(False)

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
        finally:
            if not self._queue:
                self._hold(False)
        if self._queue and not self._timer.isActive():
            self._timer.start()
