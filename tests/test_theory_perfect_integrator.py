"""The perfect-integrator presets say what their f-I curves are: exact ReLU only with t_ref 0."""

import json
from pathlib import Path

import pytest

from neuro.fi_curve import theory_fit
from neuro.parameters import LifParameters

PRESETS = Path(__file__).resolve().parents[1] / "resources" / "presets" / "neuron"


def preset(stem):
    data = json.loads((PRESETS / f"{stem}.json").read_text(encoding="utf-8"))
    return data["description"], LifParameters(**data["parameters"])


def test_without_refractory_period_it_is_an_exact_relu():
    text, params = preset("perfect_integrator_exact")
    assert params.t_ref_ms == 0.0 and "exact ReLU" in text
    fit = theory_fit(params)
    assert fit.gain_hz_per_na == pytest.approx(500.0, rel=1e-4)
    assert abs(fit.threshold_na) < 1e-3
    assert fit.rmse_hz < 1e-3
