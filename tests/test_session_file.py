"""Session files: round trip, refusal of broken, binary, unknown and newer files."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.config import ExperimentConfig
from models.session_file import (
    SESSION_SCHEMA_VERSION,
    SessionError,
    parse_session,
    read_session,
    write_session,
)

TABS = {"networks": {"config": ExperimentConfig().to_dict()}, "neuron": {"g_leak_ns": 12.0}}


def test_round_trip(tmp_path):
    path = write_session(tmp_path / "s.json", TABS, results={"networks": {"step": 3}})
    document = read_session(path)
    assert document["tabs"] == TABS
    assert document["results"] == {"networks": {"step": 3}}
    assert document["schema_version"] == SESSION_SCHEMA_VERSION


def good_text():
    return json.dumps({"format": "relu-lab-session", "schema_version": 1, "tabs": TABS})


@pytest.mark.parametrize("raw, needle", [
    (good_text()[:40].encode(), "truncated"),
    (good_text().replace('"tabs"', '"colour": 1, "tabs"').encode(), "unknown field 'colour'"),
    (good_text().replace('"schema_version": 1', '"schema_version": 99').encode(), "newer"),
    (bytes(range(256)), "binary"),
    (b"\xff\xfe\xfa", "not UTF-8"),
    (b"[1, 2]", "not a ReLU Lab session"),
    (good_text().replace('"neuron"', '"opera"').encode(), "unknown tab 'opera'"),
])
def test_bad_files_are_refused_with_a_reason(raw, needle):
    with pytest.raises(SessionError, match=needle):
        parse_session(raw, "s.json")


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = write_session(tmp_path / "s.json", TABS)
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full_disk)
    with pytest.raises(OSError):
        write_session(path, {"networks": {}})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # no temporary left behind


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_parse_or_raise_session_error(raw):
    try:
        document = parse_session(raw)
    except SessionError:
        return
    assert isinstance(document["tabs"], dict)
