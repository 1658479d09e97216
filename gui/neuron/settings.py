"""Neuron-tab settings: which fields its form groups (from the field table), presets, validation."""

from __future__ import annotations

import json
from pathlib import Path

from models.fields import FieldError
from neuro.parameters import FIELDS, LifParameters
from neuro.value_lists import parse_currents, parse_freqs

__all__ = ["CUSTOM_PRESET", "EXTRA_LABELS", "FIELD_GROUPS", "FIELD_TIPS",
           "JOBS", "SCAN_CHOICES", "SCHEMA_VERSION", "START_PRESET", "load_presets",
           "validate_settings"]

PRESET_DIR = Path(__file__).resolve().parents[2] / "resources" / "presets" / "neuron"
SCHEMA_VERSION = 1
JOBS = ("drive", "fi", "scan", "response")  # slowest last: the first tabs fill first

# Labels, units and tips of the parameters are the table's (`neuro.parameters.FIELDS`);
# these are the two analysis inputs that are not parameters (lists the tab parses itself).
EXTRA_LABELS = {"currents": ("f-I currents", "nA"), "freqs": ("response frequencies", "Hz")}
# The parameters the alpha scan can vary, named by their labels.
SCAN_CHOICES = {name: FIELDS[name].label for name in ("noise_mv", "g_leak_ns")}
FIELD_GROUPS = (
    ("Membrane", ("g_leak_ns", "c_m_pf", "e_leak_mv", "v_th_mv", "v_reset_mv", "t_ref_ms")),
    ("Input", ("i0_na", "i1_na", "freq_hz", "noise_mv")),
    ("Simulation", ("n_neurons", "duration_s", "seed", "dt_ms", "crossing_correction")),
    ("Analyses", ("currents", "fit_range_na", "freqs")),
)
FIELD_TIPS = {  # the parameters' tips are their help in the table
    "currents": "a,b,c or START:STOP:N in nA; empty: 40 currents centred on the rheobase "
                "(0 to 2.5x rheobase, 40% of them below it)",
    "freqs": "comma-separated drive frequencies in Hz for the frequency response",
}
START_PRESET = "noisy"  # the tab opens on this preset (the command line keeps noise 0)
CUSTOM_PRESET = "(custom)"


def load_presets() -> dict[str, dict]:
    """Return the neuron presets ``{name: {"description", "parameters"}}`` from JSON files."""
    presets = {}
    for path in sorted(PRESET_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        presets[data["name"]] = data
    return presets


def validate_settings(settings: dict, freqs_default: str) -> tuple:
    """Check a Neuron-tab settings dict; raise ValueError naming the bad field.

    Parameters
    ----------
    settings : dict
        ``schema_version``, ``parameters``, ``currents``, ``freqs``, ``scan``, ``fit_offset``.
    freqs_default : str
        The frequency text to use when ``freqs`` is missing.

    Returns
    -------
    tuple
        ``(params, currents_text, freqs_text, scan, fit_offset)``.
    """
    if not isinstance(settings, dict):
        raise FieldError("settings", "expected a mapping")
    unknown = set(settings) - {"schema_version", "parameters", "currents", "freqs", "scan",
                               "fit_offset"}
    if unknown:
        raise FieldError(sorted(unknown)[0], "unknown setting")
    version = settings.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise FieldError("schema_version", f"{version!r} is not {SCHEMA_VERSION}")
    params = LifParameters.from_dict(settings.get("parameters", {}))
    currents_text = str(settings.get("currents", ""))
    freqs_text = str(settings.get("freqs", freqs_default))
    parse_currents(currents_text)
    parse_freqs(freqs_text)
    scan = settings.get("scan", "noise_mv")
    if scan not in SCAN_CHOICES:
        raise FieldError("scan", f"{scan!r} is not one of {', '.join(SCAN_CHOICES)}")
    fit_offset = settings.get("fit_offset", False)
    if not isinstance(fit_offset, bool):
        raise FieldError("fit_offset", f"{fit_offset!r} is not true or false")
    return params, currents_text, freqs_text, scan, fit_offset
