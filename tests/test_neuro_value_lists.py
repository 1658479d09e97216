"""Currents and frequencies typed as text: the Neuron form and the command line agree."""

import pytest

from models.fields import FieldError
from neuro.value_lists import MAX_VALUES, parse_currents, parse_freqs

CURRENTS = ["0.1,0.2,0.3", "0:1:5", f"0:1:{MAX_VALUES}", f"0:1:{MAX_VALUES + 1}", "0:1",
            "0:1:0", "a", "1_0", "inf", "0:1:1_0", ",".join(["1"] * (MAX_VALUES + 1)), "-0.5,2"]
FREQS = ["1,2,3", "0", "-2", "nan", "5,x", ",".join(["1"] * (MAX_VALUES + 1))]


def _cli_accepts(option, text):
    import argparse

    from cli.registry import build_parser

    parser = build_parser()
    kind = "fi" if option == "--currents" else "response"
    for action in parser._actions:  # make the subcommand parsers raise instead of exiting
        if isinstance(action, argparse._SubParsersAction):
            neuron = action.choices["neuron"]
            for inner in neuron._actions:
                if isinstance(inner, argparse._SubParsersAction):
                    def refuse(message):
                        raise ValueError(message)
                    inner.choices[kind].error = refuse
    try:
        parser.parse_args(["neuron", kind, "--out", "unused", f"{option}={text}"])
    except ValueError as exc:
        assert option in str(exc)
        return False
    return True


def _window_accepts(name, text):
    from gui.neuron.settings import validate_settings

    try:
        validate_settings({name: text}, "1,2")
    except FieldError as exc:
        assert exc.field == name
        return False
    return True


@pytest.mark.parametrize("text", CURRENTS)
def test_currents_accepted_and_refused_alike(text):
    assert _window_accepts("currents", text) == _cli_accepts("--currents", text)


@pytest.mark.parametrize("text", FREQS)
def test_freqs_accepted_and_refused_alike(text):
    assert _window_accepts("freqs", text) == _cli_accepts("--freqs", text)


def test_the_limits_hold():
    assert len(parse_currents(f"0:1:{MAX_VALUES}")) == MAX_VALUES
    with pytest.raises(FieldError, match="between 1 and"):
        parse_currents(f"0:1:{MAX_VALUES + 1}")
    with pytest.raises(FieldError, match="at most"):
        parse_freqs(",".join(["1"] * (MAX_VALUES + 1)))
    assert parse_currents("") is None and parse_freqs("  ") is None
    assert parse_currents("0:2:3") == [0.0, 1.0, 2.0]
