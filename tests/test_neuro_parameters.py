"""LifParameters: defaults, validation messages that name the field, JSON round trip."""

import json

import pytest

from models.fields import FieldError
from neuro.parameters import MAX_NEURONS, LifParameters


def test_defaults_match_design():
    p = LifParameters()
    assert (p.g_leak_ns, p.c_m_pf, p.e_leak_mv, p.v_th_mv, p.v_reset_mv) == (10, 200, -70, -50, -60)
    assert (p.t_ref_ms, p.noise_mv, p.i0_na, p.i1_na, p.freq_hz) == (2, 0, 0.25, 0.1, 5)
    assert (p.n_neurons, p.duration_s, p.seed) == (1000, 2, 0)
    assert p.tau_m_ms == pytest.approx(20.0)
    assert p.rheobase_na == pytest.approx(0.2)


@pytest.mark.parametrize("change, words", [
    ({"v_reset_mv": -40}, ["-40", "below", "v_th_mv (-50)"]),
    ({"c_m_pf": -1}, ["-1", "out of range", "1 to"]),
    ({"g_leak_ns": 0}, ["above 0"]),
    ({"t_ref_ms": -1}, ["out of range", "0 to"]),
    ({"noise_mv": -0.5}, ["out of range", "0 to"]),
    ({"noise_mv": 1e300}, ["out of range"]),
    ({"n_neurons": 0}, ["out of range"]),
    ({"n_neurons": MAX_NEURONS + 1}, ["out of range"]),
    ({"duration_s": 0}, ["out of range"]),
    ({"duration_s": 1e6}, ["out of range"]),
    ({"dt_ms": 5.0}, ["tau_m"]),
    ({"dt_ms": 1e-9}, ["out of range"]),
    ({"n_neurons": 2.5}, ["integer"]),
    ({"i0_na": float("nan")}, ["finite"]),
    ({"i0_na": "x"}, ["number"]),
])
def test_bad_values_name_the_field(change, words):
    with pytest.raises(FieldError) as info:
        LifParameters(**change)
    (name,) = change
    assert info.value.field == name  # the field's name is data, not text to parse
    for word in words:
        assert word in info.value.problem


def test_round_trip_and_unknown_keys():
    p = LifParameters(noise_mv=3.0, n_neurons=50, seed=7)
    again = LifParameters.from_dict(json.loads(json.dumps(p.to_dict())))
    assert again == p
    with pytest.raises(FieldError, match="g_leak: unknown neuron parameter"):
        LifParameters.from_dict({"g_leak": 3})
    assert p.replace(noise_mv=0.0).noise_mv == 0.0
    with pytest.raises(ValueError, match="v_reset_mv"):
        p.replace(v_reset_mv=0.0)


def test_drive_frequency_must_fit_the_time_step():
    from neuro.frequency_response import simulate_frequency_response

    with pytest.raises(ValueError, match="freq_hz"):
        LifParameters(freq_hz=1e9)
    LifParameters(freq_hz=1000.0, dt_ms=0.1)  # ten steps per cycle: allowed
    with pytest.raises(ValueError, match="freq_hz"):
        simulate_frequency_response(LifParameters(noise_mv=2.0), [1.0, 1e9])
