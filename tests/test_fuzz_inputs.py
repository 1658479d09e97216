"""Property-based tests: configs and CSV files either load or are refused with a clear error."""

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.activations import ACTIVATION_NAMES
from models.config import ConfigError, ExperimentConfig
from models.datasets import DatasetError, load_csv

FIELDS = [f.name for f in dataclasses.fields(ExperimentConfig)]
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                           max_leaves=8)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS + ["bogus", "extra"]), json_values, max_size=6))
def test_arbitrary_config_dicts_load_or_raise_config_error(data):
    try:
        config = ExperimentConfig.from_dict(data)
    except ConfigError as exc:
        message = str(exc)
        assert ":" in message and message.split(":")[0].strip()  # names a field
    else:
        assert ExperimentConfig.from_json(config.to_json()) == config


valid_configs = st.builds(
    ExperimentConfig,
    seed=st.integers(0, 2**32 - 1),
    width=st.integers(1, 128),
    depth=st.integers(1, 8),
    alpha=st.floats(0, 1),
    noise=st.floats(0, 2),
    activations=st.lists(st.sampled_from(ACTIVATION_NAMES), min_size=1, max_size=4,
                         unique=True).map(tuple),
    lrs=st.lists(st.floats(1e-6, 100), min_size=1, max_size=4, unique=True).map(tuple),
    batch_norm=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(valid_configs)
def test_valid_configs_round_trip_through_json(config):
    assert ExperimentConfig.from_json(config.to_json()) == config
    assert json.loads(config.to_json())["schema_version"] == config.schema_version


cells = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(-5, 5).map(str), st.text(max_size=5))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from(["x1,x2,label", "x,y", "a,b", ""]),
       rows=st.lists(st.lists(cells, min_size=1, max_size=4), max_size=12),
       raw=st.binary(max_size=40))
@pytest.mark.slow
def test_arbitrary_csv_loads_or_raises_dataset_error(tmp_path, header, rows, raw):
    path = tmp_path / "fuzz.csv"
    text = header + "\n" + "\n".join(",".join(r) for r in rows)
    path.write_bytes(text.encode("utf-8", "surrogatepass") + raw)
    try:
        data = load_csv(path)
    except DatasetError as exc:
        assert str(exc).startswith("fuzz.csv")
    else:
        assert np.all(np.isfinite(data.x)) and np.all(np.isfinite(data.y))
        assert len(data) >= 4
        assert np.all(np.abs(data.x) <= np.finfo(np.float32).max)  # float32-safe
        assert np.all(np.abs(data.y) <= np.finfo(np.float32).max)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bom=st.booleans(), depth=st.integers(0, 3000), body=json_values,
       tail=st.binary(max_size=8))
def test_arbitrary_sessions_open_or_raise_session_error(tmp_path, bom, depth, body, tail):
    from models.session_file import SessionError, read_session

    document = {"format": "relu-lab-session", "schema_version": 1,
                "tabs": {"networks": {"x": body}}}
    text = json.dumps(document)
    if depth:  # bury it (deeper than any session may be, past Python's recursion limit)
        text = "[" * depth + text + "]" * depth
    path = tmp_path / "s.json"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode() + tail)
    try:
        opened = read_session(path)
    except SessionError as exc:
        assert str(exc).startswith("s.json") and "\n" not in str(exc)
    else:
        assert opened["tabs"]["networks"]["x"] == body
