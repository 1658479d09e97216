"""The Neuron mode's jobs (drive, fi, response, scan, and the CV theory) by name, plain payloads."""

from __future__ import annotations

from neuro.lif_simulation import ProgressFn, SimulationCancelled, StopFn

JOB_KINDS = ("drive", "fi", "response", "scan", "cv")


def run_job(kind: str, payload: dict, progress: ProgressFn | None = None,
            should_stop: StopFn | None = None):
    """Run one job and return its result (a frozen dataclass of plain arrays).

    Parameters
    ----------
    kind : {"drive", "fi", "response", "scan", "cv"}
        Which analysis to run (``cv``: the ISI CV theory against mean input).
    payload : dict
        ``params`` (`neuro.parameters.LifParameters`) and, by kind, ``currents`` (list of
        nA or None), ``freqs`` (list of Hz), ``scan`` (``noise_mv`` or ``g_leak_ns``) and
        optionally ``target``, ``crossing_correction`` (bool) and ``fit_range_na``
        (``(low, high)`` for fi and scan); those two default to the parameters' own.
    progress : callable, optional
        Called with the completed fraction (0 to 1).
    should_stop : callable, optional
        Polled during the work; when it returns True, `SimulationCancelled` is raised.

    Returns
    -------
    object
        `DriveResult`, `FiCurve`, `FrequencyResponse`, `AlphaScan` or `CvCurve` (None
        where the CV theory cannot be evaluated).

    Raises
    ------
    ValueError
        On an unknown kind or bad payload values.
    SimulationCancelled
        If `should_stop` asked for it.
    """
    if kind not in _JOBS:
        raise ValueError(f"job kind ({kind!r}) must be one of {', '.join(JOB_KINDS)}")
    report = progress if progress is not None else (lambda fraction: None)
    stop = should_stop if should_stop is not None else (lambda: False)
    return _JOBS[kind](payload, report, stop)


def _drive(payload, report, should_stop):
    from neuro.drive import run_drive

    return run_drive(payload["params"], progress=report, should_stop=should_stop,
                     target=payload.get("target", "numpy"),
                     crossing_correction=payload.get("crossing_correction"))


def _fi(payload, report, should_stop):
    from neuro.fi_curve import simulate_fi_curve

    return simulate_fi_curve(payload["params"], payload.get("currents"), progress=report,
                             should_stop=should_stop, target=payload.get("target", "numpy"),
                             crossing_correction=payload.get("crossing_correction"),
                             fit_range_na=payload.get("fit_range_na"))


def _response(payload, report, should_stop):
    from neuro.frequency_response import simulate_frequency_response

    return simulate_frequency_response(payload["params"], payload["freqs"], progress=report,
                                       should_stop=should_stop,
                                       target=payload.get("target", "numpy"),
                                       crossing_correction=payload.get("crossing_correction"))


def _scan(payload, report, should_stop):
    from neuro.alpha_scan import AlphaScan, default_scan_values, scan_alpha

    values = default_scan_values(payload["scan"])
    parts = []
    for k, value in enumerate(values):
        if should_stop():
            raise SimulationCancelled("scan cancelled")
        parts.append(scan_alpha(payload["params"], payload["scan"], [value],
                                fit_range_na=payload.get("fit_range_na")))
        report((k + 1) / len(values))
    return AlphaScan.concatenate(parts)


def _cv(payload, report, should_stop):
    from neuro.isi import cv_curve

    try:
        curve = cv_curve(payload["params"])
    except (ValueError, ArithmeticError):
        curve = None
    report(1.0)
    return curve


_JOBS = {"drive": _drive, "fi": _fi, "response": _response, "scan": _scan, "cv": _cv}
