"""The perfect-integrator presets: exact ReLU only with t_ref = 0, and their texts say so."""

import json
from pathlib import Path

import numpy as np
import pytest

from neuro.fi_curve import simulate_fi_curve, theory_fit
from neuro.parameters import LifParameters

PRESETS = Path(__file__).resolve().parents[1] / "resources" / "presets" / "neuron"


def load(name):
    data = json.loads((PRESETS / f"{name}.json").read_text())
    return data, LifParameters.from_dict(data["parameters"])


def relu_slope(params):
    return 1.0 / (params.c_m_pf * 1e-3 * (params.v_th_mv - params.v_reset_mv)) * 1000.0


@pytest.mark.slow
def test_the_t_ref_zero_preset_is_an_exact_relu_with_slope_one_over_c_dv():
    data, params = load("perfect_integrator_exact")
    assert params.t_ref_ms == 0.0 and "exact ReLU" in data["description"]
    slope = relu_slope(params)  # Hz per nA: 500 for C = 200 pF, dV = 10 mV
    assert slope == pytest.approx(500.0)
    fit = theory_fit(params, np.linspace(-0.04, 0.1, 29))
    assert fit.gain_hz_per_na == pytest.approx(slope, rel=1e-3)
    assert abs(fit.threshold_na) < 1e-3 and fit.alpha == 0.0
    # the simulation agrees: dt 10 us, rates 10-50 Hz, one neuron per current
    currents = np.array([0.02, 0.05, 0.1])
    curve = simulate_fi_curve(params.replace(duration_s=0.5, dt_ms=0.01), currents)
    np.testing.assert_allclose(curve.rate_sim_hz, slope * currents, rtol=0.01)


def test_the_t_ref_two_preset_is_not_called_exact_and_its_gain_falls_short():
    data, params = load("perfect_integrator")
    assert params.t_ref_ms == 2.0
    assert "Not an exact ReLU" in data["description"]
    fit = theory_fit(params)
    assert fit.gain_hz_per_na < 0.97 * relu_slope(params)
    assert f"{round(fit.gain_hz_per_na, -1):.0f}" in data["description"]
