"""Currents and frequencies typed as text (``a,b,c`` or ``START:STOP:N``): one parser for all.

The window's Neuron form and ``main.py neuron fi|response`` accept and refuse exactly the same
texts, with the same limit on how many values one run may ask for. Errors are `FieldError`
naming ``currents`` or ``freqs``.
"""

from __future__ import annotations

import math

import numpy as np

from models.fields import FieldError

__all__ = ["MAX_VALUES", "parse_currents", "parse_freqs"]

MAX_VALUES = 10_000  # values in one list: more would eat the memory or the time of a run


def parse_currents(text: str) -> list[float] | None:
    """Parse currents in nA: ``a,b,c`` or ``START:STOP:N`` (N evenly spaced).

    Parameters
    ----------
    text : str
        The typed text; empty or blank means the default range (None).

    Returns
    -------
    list of float or None
        The currents in nA, in the order given, or None for the default.

    Raises
    ------
    FieldError
        ``currents``: not a number, not finite, a malformed range, or more than `MAX_VALUES`.
    """
    text = text.strip()
    if not text:
        return None
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise FieldError("currents", f"{text!r} is not START:STOP:N")
        start, stop = (_number(p, "currents") for p in parts[:2])
        try:
            if "_" in parts[2]:  # Python reads 1_0 as 10; whoever typed it meant something else
                raise ValueError
            count = int(parts[2].strip())
        except ValueError:
            raise FieldError("currents", f"N ({parts[2].strip()!r}) is not a whole number") \
                from None
        if not 1 <= count <= MAX_VALUES:
            raise FieldError("currents", f"N in {text!r} must be between 1 and {MAX_VALUES}")
        return [float(v) for v in np.linspace(start, stop, count)]
    return _list(text, "currents")


def parse_freqs(text: str) -> list[float] | None:
    """Parse drive frequencies in Hz: ``a,b,c``, each greater than 0.

    Parameters
    ----------
    text : str
        The typed text; empty or blank means the default frequencies (None).

    Returns
    -------
    list of float or None
        The frequencies in Hz, or None for the default.

    Raises
    ------
    FieldError
        ``freqs``: not a number, not finite, not above 0, or more than `MAX_VALUES`.
    """
    if not text.strip():
        return None
    values = _list(text, "freqs")
    for value in values:
        if value <= 0:
            raise FieldError("freqs", f"{value:g} must be greater than 0")
    return values


def _list(text: str, name: str) -> list[float]:
    items = [t for t in text.split(",") if t.strip()]
    if not items:
        raise FieldError(name, "give at least one number")
    if len(items) > MAX_VALUES:
        raise FieldError(name, f"{len(items)} values; at most {MAX_VALUES}")
    return [_number(t, name) for t in items]


def _number(text: str, name: str) -> float:
    text = text.strip()
    try:
        if "_" in text:  # Python reads 1_0 as 10
            raise ValueError
        value = float(text)
    except ValueError:
        raise FieldError(name, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise FieldError(name, f"{text!r} is not a finite number")
    return value
