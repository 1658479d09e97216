"""How the best-fit Leaky ReLU moves as g_L or noise changes (fits to analytic f-I curves)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro.fi_curve import theory_fit
from neuro.parameters import LifParameters

SCANNABLE = {"noise_mv": "noise sigma (mV)", "g_leak_ns": "leak conductance g_L (nS)"}
_UNITS = {"noise_mv": ("noise", "mV"), "g_leak_ns": ("g_L", "nS")}
_FLAT = 1e-3  # alphas closer than this count as unchanged


@dataclass(frozen=True)
class AlphaScan:
    """Fitted Leaky ReLU parameters along one scanned neuron parameter.

    Attributes
    ----------
    name : str
        The scanned field (``noise_mv`` or ``g_leak_ns``).
    values : numpy.ndarray
        Its values.
    alpha, gain_hz_per_na, threshold_na : numpy.ndarray
        The three-parameter fit ``gain * max(alpha z, z)``, ``z = I - I_th``.
    alpha_with_offset : numpy.ndarray
        Alpha of the fit with an output bias (``offset + gain * max(alpha z, z)``).
    rmse_hz, rmse_with_offset_hz : numpy.ndarray or None
        Root-mean-square error of each fit, Hz.
    held : dict or None
        The other scannable parameter's value (e.g. ``{"g_leak_ns": 10.0}``).
    fit_range_na : tuple of float or None
        The fit range, when one was given (else each curve's default range).
    """

    name: str
    values: np.ndarray
    alpha: np.ndarray
    gain_hz_per_na: np.ndarray
    threshold_na: np.ndarray
    alpha_with_offset: np.ndarray
    rmse_hz: np.ndarray | None = None
    rmse_with_offset_hz: np.ndarray | None = None
    held: dict | None = None
    fit_range_na: tuple[float, float] | None = None

    @property
    def verdict(self) -> str:
        """A sentence stating what the numbers show, generated from them."""
        return scan_verdict(self)

    @classmethod
    def concatenate(cls, parts: list[AlphaScan]) -> AlphaScan:
        """Join scans of the same parameter (e.g. one value each) into one."""
        def join(attr):
            arrays = [getattr(p, attr) for p in parts]
            return None if any(a is None for a in arrays) else np.concatenate(arrays)

        first = parts[0]
        return cls(name=first.name, values=join("values"), alpha=join("alpha"),
                   gain_hz_per_na=join("gain_hz_per_na"), threshold_na=join("threshold_na"),
                   alpha_with_offset=join("alpha_with_offset"), rmse_hz=join("rmse_hz"),
                   rmse_with_offset_hz=join("rmse_with_offset_hz"), held=first.held,
                   fit_range_na=first.fit_range_na)


def default_scan_values(name: str) -> np.ndarray:
    """Return the default grid for `name`: noise 0-12 mV or g_L 2-40 nS."""
    if name == "noise_mv":
        return np.linspace(0.0, 12.0, 9)
    if name == "g_leak_ns":
        return np.geomspace(2.0, 40.0, 9)
    raise ValueError(f"scan parameter ({name!r}) must be one of {', '.join(SCANNABLE)}")


def scan_alpha(params: LifParameters, name: str, values=None,
               fit_range_na: tuple[float, float] | None = None) -> AlphaScan:
    """Fit Leaky ReLUs to the analytic f-I curve at each value of `name`.

    Parameters
    ----------
    params : LifParameters
        The other parameters.
    name : {"noise_mv", "g_leak_ns"}
        The field to scan.
    values : array_like, optional
        Its values; defaults to `default_scan_values`.
    fit_range_na : tuple of float, optional
        Fit every curve on this current range (nA) instead of its own default range
        (centred on its rheobase); alpha depends on the range. Default
        ``params.fit_range_na`` (None there: each curve's own range).

    Returns
    -------
    AlphaScan
        Fitted parameters per value, with `AlphaScan.verdict`.

    Raises
    ------
    ValueError
        If `name` is not scannable or a value makes the parameters invalid.
    """
    if name not in SCANNABLE:
        raise ValueError(f"scan parameter ({name!r}) must be one of {', '.join(SCANNABLE)}")
    grid = default_scan_values(name) if values is None else np.asarray(values, dtype=float)
    if fit_range_na is None:
        fit_range_na = params.fit_range_na
    rows = []
    for value in grid:
        changed = params.replace(**{name: float(value)})
        currents = None
        if fit_range_na is not None:
            currents = np.linspace(fit_range_na[0], fit_range_na[1], 40)
        plain = theory_fit(changed, currents)
        biased = theory_fit(changed, currents, offset=True)
        rows.append((plain.alpha, plain.gain_hz_per_na, plain.threshold_na, biased.alpha,
                     plain.rmse_hz, biased.rmse_hz))
    table = np.array(rows, dtype=float).reshape(-1, 6)
    other = next(k for k in SCANNABLE if k != name)
    return AlphaScan(name=name, values=grid, alpha=table[:, 0], gain_hz_per_na=table[:, 1],
                     threshold_na=table[:, 2], alpha_with_offset=table[:, 3],
                     rmse_hz=table[:, 4], rmse_with_offset_hz=table[:, 5],
                     held={other: float(getattr(params, other))},
                     fit_range_na=None if fit_range_na is None else tuple(fit_range_na))


def _number(value: float) -> str:
    """Three significant figures; magnitudes below 5e-4 (fits at their bound) print as 0."""
    return "0" if abs(value) < 5e-4 else f"{value:.3g}"


def _change(y: np.ndarray, x: np.ndarray, x_word: str, x_unit: str) -> str:
    """Describe how `y` moves along `x` from its end points (and whether monotonically)."""
    span = f"as {x_word} goes from {x[0]:g} to {x[-1]:g} {x_unit}"
    if np.all(np.abs(y - y[0]) < _FLAT):
        return f"stays at {_number(y[0])} {span}"
    direction = "rises" if y[-1] > y[0] else "falls"
    text = f"{direction} from {_number(y[0])} to {_number(y[-1])} {span}"
    steps = np.diff(y)
    if np.any(steps > _FLAT) and np.any(steps < -_FLAT):
        text += (f" (not monotonically: between {_number(float(y.min()))} and "
                 f"{_number(float(y.max()))})")
    return text


def scan_verdict(scan: AlphaScan) -> str:
    """Return the scan's verdict in words, every number taken from the scan.

    E.g. ``"at noise 6 mV, alpha (fit with offset) falls from 0.107 to 0.025 as g_L rises
    from 2 to 40 nS, while its rmse grows from 0.2 to 13 Hz; the 3-parameter fit's alpha
    stays 0."``

    Parameters
    ----------
    scan : AlphaScan
        The scan.

    Returns
    -------
    str
        One or two sentences.
    """
    x_word, x_unit = _UNITS.get(scan.name, (scan.name, ""))
    values = np.asarray(scan.values, dtype=float)
    if values.size == 0:
        return "nothing scanned"
    held = ""
    if scan.held:
        (key, value), = scan.held.items()
        word, unit = _UNITS.get(key, (key, ""))
        held = f"at {word} {value:g} {unit}, "
    alpha = np.asarray(scan.alpha_with_offset, dtype=float)
    if values.size == 1:
        text = (f"{held}alpha (fit with offset) is {_number(alpha[0])} at {x_word} "
                f"{values[0]:g} {x_unit}")
    else:
        text = f"{held}alpha (fit with offset) " + _change(alpha, values, x_word, x_unit)
    if scan.rmse_with_offset_hz is not None and values.size > 1:
        rmse = np.asarray(scan.rmse_with_offset_hz, dtype=float)
        text += f", its fit rmse going from {rmse[0]:.2g} to {rmse[-1]:.2g} Hz"
    plain = np.asarray(scan.alpha, dtype=float)
    if np.all(plain < _FLAT):
        text += "; the 3-parameter fit's alpha stays 0 (its leaky side is negative)"
    else:
        text += (f"; the 3-parameter fit's alpha lies between {_number(float(plain.min()))} "
                 f"and {_number(float(plain.max()))}")
    if scan.fit_range_na is not None:
        text += f" (fit range {scan.fit_range_na[0]:g} to {scan.fit_range_na[1]:g} nA)"
    return text + "."
