"""Every file the lab reads, malformed: presets and sweep result files refuse cleanly."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.presets import Preset, PresetError, load_preset, preset_from_dict
from models.sweep.io import read_rows, row_line
from models.sweep.spec import SweepSpec

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12)
KEYS = st.sampled_from(["title", "explanation", "config", "schedule", "other"])
SCHEDULE_ITEM = st.fixed_dictionaries(
    {"action": st.sampled_from(["inject_outlier", "thermal_kick", "reinit_dead",
                                "switch_activation", "dance"])},
    optional={"step": JSON, "cells": JSON, "activation": JSON, "extra": JSON})
PRESET_LIKE = st.fixed_dictionaries(
    {}, optional={"title": JSON, "explanation": JSON,
                  "config": st.dictionaries(st.sampled_from(["width", "lrs", "seed", "depth"]),
                                            JSON, max_size=3),
                  "schedule": st.lists(SCHEDULE_ITEM, max_size=3) | JSON})


def check_preset(data) -> None:
    try:
        preset = preset_from_dict("fuzz", data)
    except PresetError as exc:
        assert str(exc).startswith("preset 'fuzz'")
        return
    assert isinstance(preset, Preset)
    for action in preset.schedule:
        assert isinstance(action.step, int)
        assert action.cells is None or all(
            0 <= c < preset.config.n_networks for c in action.cells)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON | st.dictionaries(KEYS, JSON, max_size=4))
def test_preset_from_any_json_is_a_preset_or_a_preset_error(data):
    check_preset(data)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PRESET_LIKE)
def test_preset_like_json_is_a_preset_or_a_preset_error(data):
    check_preset(data)


@pytest.mark.parametrize("text,needle", [
    ("", "cannot read"),
    ('{"title": "x", "config": {', "cannot read"),
    ("\x00\x01binary", "cannot read"),
    ('{"config": {"width": "wide"}}', "width"),
    ('{"schedule": [{"action": "thermal_kick", "step": "soon"}]}', "step"),
    ('{"schedule": [{"action": "thermal_kick", "cells": [999]}]}', "cells"),
    ('{"schedule": [{"action": "switch_activation", "activation": 3}]}', "activation"),
    ('{"schedule": 5}', "schedule"),
    ('{"title": ["a"]}', "title"),
    ("[1, 2]", "JSON object"),
])
def test_malformed_preset_file_in_a_folder(tmp_path, text, needle):
    (tmp_path / "broken.json").write_bytes(text.encode("utf-8", errors="surrogatepass"))
    with pytest.raises(PresetError, match=needle):
        load_preset("broken", folder=tmp_path)


def test_preset_name_cannot_leave_the_folder(tmp_path):
    (tmp_path / "inner").mkdir()
    (tmp_path / "outside.json").write_text("{}")
    with pytest.raises(PresetError, match="unknown preset"):
        load_preset("../outside", folder=tmp_path / "inner")


# -- sweep result files read back on --resume ---------------------------------------------------
SPEC = SweepSpec(activations=("relu",), lrs=(0.1,), seeds=1, depths=(2,), widths=(4,), steps=5)
HEADER = SPEC.header()
GOOD_ROW = dict(zip(HEADER, ["relu", "0.1", "0", "he", "2", "4", "5", "0123456789abcdef",
                             "0.5", "0.1", "0.0", "0.2", "0", "", "", "", "ok", ""], strict=True))
GOOD = (row_line(HEADER, dict(zip(HEADER, HEADER))) + row_line(HEADER, GOOD_ROW)).encode()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.binary(max_size=400),
    st.integers(0, len(GOOD)).map(lambda n: GOOD[:n]),
    st.tuples(st.integers(0, len(GOOD) - 1), st.binary(min_size=1, max_size=8)).map(
        lambda t: GOOD[:t[0]] + t[1] + GOOD[t[0] + len(t[1]):]),
))
def test_resume_file_is_rows_or_a_value_error(tmp_path, data):
    path = tmp_path / "sweep.csv"
    path.write_bytes(data)
    try:
        rows, repair = read_rows(path, HEADER)
    except ValueError as exc:
        assert str(path) in str(exc)
        return
    assert isinstance(repair, bool)
    for row in rows:
        assert list(row) == HEADER and row["status"] in ("ok", "failed")
    if rows or not repair:
        # only a file that starts with this sweep's header is ever kept or rewritten
        assert data.startswith(row_line(HEADER, dict(zip(HEADER, HEADER))).encode()[:1])


@pytest.mark.parametrize("data", [b"\x00\x01\x02", b"my thesis notes", "ﬁ,x\n".encode(),
                                  b"a,b\n1,2\n"])
def test_resume_refuses_a_file_that_is_not_this_sweeps(tmp_path, data):
    path = tmp_path / "sweep.csv"
    path.write_bytes(data)
    with pytest.raises(ValueError, match="sweep"):
        read_rows(path, HEADER)
    assert path.read_bytes() == data


def test_resume_keeps_good_rows_and_drops_a_torn_last_line(tmp_path):
    path = tmp_path / "sweep.csv"
    path.write_bytes(GOOD + b"relu,0.1,1,he,2,4")
    rows, repair = read_rows(path, HEADER)
    assert repair and len(rows) == 1 and rows[0]["seed"] == "0"


def test_session_and_config_json_refuse_nan_text(tmp_path):
    from models.config import ConfigError, ExperimentConfig

    with pytest.raises(ConfigError, match="lrs"):
        ExperimentConfig.from_json(json.dumps({"lrs": [float("nan")]}))
