"""A one-line progress report on stderr: redrawn on a terminal, a line every few s otherwise."""

from __future__ import annotations

import os
import sys
import time

DEFAULT_EVERY_S = 5.0  # seconds between lines when stderr is not a terminal (nohup, a pipe)


def _every() -> float:
    """Seconds between progress lines off a terminal (RELU_LAB_PROGRESS_EVERY_S overrides)."""
    try:
        value = float(os.environ.get("RELU_LAB_PROGRESS_EVERY_S", DEFAULT_EVERY_S))
    except ValueError:
        return DEFAULT_EVERY_S
    return value if value >= 0 else DEFAULT_EVERY_S


class Progress:
    """Print ``label [#####     ] done/total  rate/s  ETA`` on stderr.

    Parameters
    ----------
    total : int
        Number of units of work.
    label : str
        What is being counted.
    unit : str
        Name of one unit, used in the rate.
    stream : file-like, optional
        Where to draw; defaults to stderr. On a terminal the line is redrawn in place (at
        most 10 times a second); otherwise one full line is written on the first update and
        then every `every` seconds, so a run under ``nohup`` or a pipe shows it is alive.
    every : float, optional
        Seconds between lines off a terminal (default 5, or ``RELU_LAB_PROGRESS_EVERY_S``).
    """

    def __init__(self, total: int, label: str, unit: str = "it", stream=None,
                 every: float | None = None) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.done = 0
        self.every = _every() if every is None else float(every)
        self._last_draw: float | None = None
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._open_line = False

    def update(self, done: int) -> None:
        """Record that `done` units are finished and report if it is time to."""
        self.done = done
        now = time.perf_counter()
        if self._tty:
            if self._last_draw is None or now - self._last_draw > 0.1 or done >= self.total:
                self._last_draw = now
                self.stream.write("\r" + self._line(now))
                self.stream.flush()
                self._open_line = True
        elif self._last_draw is None or now - self._last_draw >= self.every:
            self._last_draw = now
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()

    def end_line(self) -> None:
        """End a line redrawn in place, so that a message can follow on its own line."""
        if self._open_line:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False

    def close(self) -> None:
        """Write the final line."""
        line = self._line(time.perf_counter())
        self.stream.write(("\r" if self._tty else "") + line + "\n")
        self.stream.flush()
        self._open_line = False

    def _line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        filled = int(30 * min(self.done, self.total) / self.total)
        eta = f"{left:5.1f}s left" if left == left else "   ?  left"
        return (f"{self.label} [{'#' * filled}{' ' * (30 - filled)}] {self.done}/{self.total}"
                f"  {rate:7.1f} {self.unit}/s  {eta}")
