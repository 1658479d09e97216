"""The Neuron tab's captions, written from the parameters and results shown (true in any regime)."""

from __future__ import annotations

import numpy as np

__all__ = ["drive_caption", "fi_caption", "isi_caption", "response_caption",
           "response_regime"]

LEAKY_IS_INSTANT = "A Leaky ReLU is instantaneous: flat gain, no lag."


def drive_caption(params) -> str:
    """Caption of the Drive sub-tab for `params` (a `neuro.parameters.LifParameters`)."""
    head = "Sinusoidal drive I0 + I1 sin(2 pi f t); the leak current follows V."
    if params.noise_mv <= 0:
        return (f"{head} Without noise the identical neurons fire in lockstep, so the "
                "population rate is a train of pulses, not a smooth rate. The intervals "
                "between spikes are on \"Drive: intervals\".")
    return (f"{head} With noise the population's rate is smooth; for slow drive it follows "
            "the Leaky ReLU's rate for the same input. The intervals between spikes are on "
            "\"Drive: intervals\".")


def isi_caption(params) -> str:
    """Caption of the intervals sub-tab: the ISI histogram of the drive run and the CV."""
    if params.noise_mv <= 0:
        return ("Intervals between the spikes of the drive run, pooled over the neurons. "
                "Without noise each neuron fires regularly; any spread comes from the "
                "sinusoidal drive itself. The CV theory needs noise.")
    return ("Intervals between the spikes of the drive run, pooled over the neurons, and "
            "their CV (it includes the drive's modulation). Right: the CV theory for a "
            f"constant input at {params.noise_mv:g} mV noise against the mean input, with "
            "this run's CV at I0: close to 1 (Poisson-like) well below rheobase, lower above it.")


def fi_caption(params, offset: bool) -> str:
    """Caption of the f-I sub-tab: what the curve and the drawn fit show at these parameters."""
    shown = ("the fit with an output offset" if offset else
             "the Leaky ReLU fit with alpha, gain and threshold; alpha of the 3-parameter "
             "fit stays 0: its leaky side is negative. Tick \"fit with output offset\" to "
             "fit the foot")
    if params.noise_mv <= 0:
        drawn = ("the fit with an output offset" if offset
                 else "the Leaky ReLU fit with alpha, gain and threshold")
        text = (f"Without noise the f-I curve is the deterministic LIF's, with a sharp "
                f"onset at rheobase I_th = {params.rheobase_na:.3g} nA. Drawn: {drawn}.")
    else:
        text = (f"Noise ({params.noise_mv:g} mV) lets the neuron fire below rheobase "
                f"(I_th = {params.rheobase_na:.3g} nA): a smooth foot on the f-I curve. "
                f"Drawn: {shown}. With the threshold-crossing correction (on by default) "
                "the simulated rate is within about 2% of Siegert from 0.75x rheobase up.")
    return (text + " Shaded: the currents the fits use; the note ranks the fitted shapes by "
            "rmse. Right: the fit's alpha, gain and threshold against the scanned parameter.")


def response_regime(response) -> str:
    """Return ``noiseless``, ``resonant`` (a gain peak with a phase lead) or ``low-pass``."""
    if response is None:
        return "unknown"
    phase = [np.asarray(a, float) for a in (getattr(response, "theory_phase_deg", None),
                                            response.lif_phase_deg) if a is not None]
    gain = [np.asarray(a, float) for a in (getattr(response, "theory_gain_hz_per_na", None),
                                           response.lif_gain_hz_per_na) if a is not None]
    leads = any(np.nanmax(p) > 5.0 for p in phase if np.isfinite(p).any())
    peaks = any(np.nanmax(g) > 1.15 * g[np.isfinite(g)][0] for g in gain if np.isfinite(g).any())
    return "resonant" if leads or peaks else "low-pass"


def response_caption(params, response=None, running: bool = False) -> str:
    """Caption of the frequency-response sub-tab, from the parameters and the response shown.

    `running`: the response is being simulated now (nothing of it shown yet).
    """
    if params.noise_mv <= 0:
        return (f"{LEAKY_IS_INSTANT} Without noise the identical neurons phase-lock to the "
                "drive, so gain and phase here are not a linear response; add noise to "
                "compare the population with the theory.")
    regime = response_regime(response)
    common = ("Solid orange: linear-response theory (white noise, small I1); points with "
              "standard-error bars: the simulated population; dashed orange: the LIF's "
              "static slope dr/dI at I0.")
    if regime == "resonant":
        return (f"{LEAKY_IS_INSTANT} At this low noise the LIF population resonates near "
                "its firing rate: the gain rises to a peak and the phase leads before it "
                f"lags. Not low-pass: here the analogy breaks. {common}")
    if regime == "low-pass":
        return (f"{LEAKY_IS_INSTANT} This noisy LIF population is low-pass: its gain falls "
                "and its phase lags toward -45 degrees as the drive gets faster. Here the "
                f"analogy breaks. {common}")
    if running:
        return (f"{LEAKY_IS_INSTANT} Simulating the noisy LIF population now, one run per "
                "drive frequency (the longest of the tab's runs: see the progress bar); the "
                "gain and phase appear here when it ends.")
    return f"{LEAKY_IS_INSTANT} Run to see how the noisy LIF population follows a fast drive."
