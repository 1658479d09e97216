"""A one-line progress bar on stderr for long headless work."""

from __future__ import annotations

import sys
import time


class Progress:
    """Print ``label [#####     ] done/total  rate/s  ETA`` on stderr, redrawn in place.

    Parameters
    ----------
    total : int
        Number of units of work.
    label : str
        What is being counted.
    unit : str
        Name of one unit, used in the rate.
    stream : file-like, optional
        Where to draw; defaults to stderr. Nothing is drawn when it is not a terminal,
        except one line at the end.
    """

    def __init__(self, total: int, label: str, unit: str = "it", stream=None) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.done = 0
        self._last_draw = 0.0
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, done: int) -> None:
        """Record that `done` units are finished and redraw at most 10 times a second."""
        self.done = done
        now = time.perf_counter()
        if self._tty and (now - self._last_draw > 0.1 or done >= self.total):
            self._last_draw = now
            self.stream.write("\r" + self._line(now))
            self.stream.flush()

    def close(self) -> None:
        """Finish the line."""
        line = self._line(time.perf_counter())
        self.stream.write(("\r" if self._tty else "") + line + "\n")
        self.stream.flush()

    def _line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        filled = int(30 * self.done / self.total)
        eta = f"{left:5.1f}s left" if left == left else "   ?  left"
        return (f"{self.label} [{'#' * filled}{' ' * (30 - filled)}] {self.done}/{self.total}"
                f"  {rate:7.1f} {self.unit}/s  {eta}")
