"""A panel's axis on matplotlib: label, scale, limits, ticks, and plain log-scale tick labels."""

from __future__ import annotations

import matplotlib.ticker
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from figures import spec


def configure_axis(ax, axis: spec.Axis, which: str) -> None:
    """Apply an axis description to the x or y axis of `ax`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel's axes.
    axis : figures.spec.Axis
        Label, scale, limits, ticks, integer ticks and direction.
    which : {"x", "y"}
        Which axis of `ax`.
    """
    set_label = ax.set_xlabel if which == "x" else ax.set_ylabel
    set_label(axis.text)
    (ax.set_xscale if which == "x" else ax.set_yscale)(axis.scale)
    if axis.limits is not None:
        (ax.set_xlim if which == "x" else ax.set_ylim)(*axis.limits)
    target = ax.xaxis if which == "x" else ax.yaxis
    if axis.ticks is not None:
        target.set_ticks([t for t, _ in axis.ticks], [s for _, s in axis.ticks])
        target.set_minor_locator(matplotlib.ticker.NullLocator())
    elif axis.integer and axis.scale == "linear":
        target.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5,
                                                                                  10]))
    if axis.scale == "log" and axis.ticks is None:
        target.set_major_formatter(FuncFormatter(plain_number))
        target.set_minor_formatter(FuncFormatter(lambda v, _, t=target: minor_label(v, t)))
    if axis.inverted:
        (ax.invert_xaxis if which == "x" else ax.invert_yaxis)()


def plain_number(value: float, _pos=None) -> str:
    """Return tick text without mathtext: ``0.3``, ``1``, ``1e-05``.

    Parameters
    ----------
    value : float
        The tick's value.
    _pos : int, optional
        Tick position (matplotlib's formatter signature; unused).

    Returns
    -------
    str
        ``f"{value:g}"``.
    """
    return f"{value:g}"


def _mantissa(value: float) -> int:
    return int(round(value / 10 ** np.floor(np.log10(value)))) if value > 0 else 0


def minor_label(value: float, axis) -> str:
    """Label minor log ticks when the axis spans too few decades to show majors.

    Parameters
    ----------
    value : float
        The minor tick's value.
    axis : matplotlib.axis.Axis
        The axis (its view interval gives the decades shown).

    Returns
    -------
    str
        The plain number for mantissas shown at this span (2..9 within 0.6 decades,
        2, 3, 5 within 1.2, 2, 5 within 2.2), else an empty string.
    """
    low, high = sorted(axis.get_view_interval())
    if low <= 0:
        return ""
    decades = np.log10(high / low)
    shown = (2, 3, 4, 5, 6, 7, 8, 9) if decades <= 0.6 else (2, 3, 5) if decades <= 1.2 \
        else (2, 5) if decades <= 2.2 else ()
    return plain_number(value) if _mantissa(value) in shown else ""
