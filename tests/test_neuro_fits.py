"""f-I fits: the fit range, softplus and ELU beside Leaky ReLU, the scans' verdicts, no NaN."""

import json

import numpy as np
import pytest

from neuro.alpha_scan import AlphaScan, scan_alpha
from neuro.analytic import theory_rate_hz
from neuro.fi_curve import default_currents_na, theory_fit
from neuro.leaky_fit import LeakyFit, fit_leaky_relu
from neuro.parameters import LifParameters
from neuro.shape_fits import elu_rate, fit_shape, rank_shapes, softplus_rate


def test_fit_range_is_used_and_returned():
    params = LifParameters(noise_mv=6.0)
    currents = default_currents_na(params)
    whole = theory_fit(params, currents, offset=True)
    part = theory_fit(params, currents, offset=True, fit_range_na=(0.0, 0.3))
    assert (whole.range_low_na, whole.range_high_na) == (currents.min(), currents.max())
    assert (part.range_low_na, part.range_high_na) == (0.0, 0.3)
    # alpha depends on the range (SCIENCE.md): the same curve, other numbers
    assert abs(part.alpha - whole.alpha) > 0.01
    inside = currents[currents <= 0.3]
    direct = fit_leaky_relu(inside, theory_rate_hz(inside, params), offset=True)
    assert part.alpha == pytest.approx(direct.alpha, abs=1e-9)
    with pytest.raises(ValueError, match="fit range"):
        fit_leaky_relu(currents, currents, fit_range_na=(0.3, 0.1))


@pytest.mark.parametrize("name, curve", [("softplus", softplus_rate), ("elu", elu_rate)])
def test_each_shape_recovers_its_own_parameters_and_ranks_first(name, curve):
    currents = np.linspace(0.0, 0.6, 41)
    rates = curve(currents, 300.0, 0.25, 0.04)
    fit = fit_shape(name, currents, rates)
    assert fit.rmse_hz < 1e-5
    assert fit.parameters["gain_hz_per_na"] == pytest.approx(300.0, rel=1e-5)
    assert fit.parameters["threshold_na"] == pytest.approx(0.25, abs=1e-6)
    assert fit.parameters["width_na"] == pytest.approx(0.04, rel=1e-5)
    np.testing.assert_allclose(fit.rate_hz(currents), rates, atol=1e-4)
    ranked = rank_shapes(currents, rates)
    assert ranked[0].name == name
    assert [f.rmse_hz for f in ranked] == sorted(f.rmse_hz for f in ranked)


def test_shapes_are_never_negative_and_softplus_elu_have_the_right_asymptotes():
    z = np.array([-10.0, 0.0, 10.0])
    np.testing.assert_allclose(softplus_rate(z, 2.0, 0.0, 1.0), [2 * np.log1p(np.exp(-10)),
                                                                 2 * np.log(2), 2 * np.log1p(
                                                                     np.exp(10))])
    np.testing.assert_allclose(elu_rate(z, 2.0, 0.0, 1.0), [2 * np.exp(-10), 2.0, 22.0])


def test_leak_scan_verdict_states_the_falling_alpha_in_numbers():
    scan = scan_alpha(LifParameters(noise_mv=6.0), "g_leak_ns")
    verdict = scan.verdict
    first, last = scan.alpha_with_offset[0], scan.alpha_with_offset[-1]
    assert last < first
    assert "at noise 6 mV" in verdict and "falls" in verdict
    assert f"{first:.3g}" in verdict and f"{last:.3g}" in verdict
    assert "from 2 to 40 nS" in verdict
    assert np.all(np.isfinite(scan.rmse_hz)) and scan.rmse_with_offset_hz[-1] > 1.0


@pytest.mark.slow
def test_noise_scan_verdict_and_a_noiseless_leak_scan():
    rising = scan_alpha(LifParameters(), "noise_mv")
    assert "rises" in rising.verdict and "stays 0" in rising.verdict
    flat = scan_alpha(LifParameters(noise_mv=0.0), "g_leak_ns", [2.0, 10.0, 40.0])
    assert np.all(flat.alpha_with_offset < 1e-3)
    assert "stays at 0" in flat.verdict
    joined = AlphaScan.concatenate([scan_alpha(LifParameters(), "noise_mv", [v])
                                    for v in (0.0, 6.0, 12.0)])
    whole = scan_alpha(LifParameters(), "noise_mv", [0.0, 6.0, 12.0])
    np.testing.assert_allclose(joined.alpha_with_offset, whole.alpha_with_offset)
    assert joined.verdict == whole.verdict


def test_a_missing_fit_writes_null_not_nan():
    nan = float("nan")
    text = json.dumps(LeakyFit(nan, nan, nan, nan, nan, 1.0, 1.0).to_dict(), allow_nan=False)
    assert json.loads(text)["rmse_hz"] is None
