"""One declaration per setting: window, command line and validator agree at every edge."""

from __future__ import annotations

import argparse
import functools
import re

import pytest

from cli.errors import UsageError
from models.config import FIELDS as EXPERIMENT_FIELDS
from models.config import MAX_SAMPLES, ExperimentConfig
from models.fields import Field, FieldError
from models.sweep.settings import FIELDS as SWEEP_FIELDS
from models.sweep.settings import SweepSettings
from models.theory.settings import FIELDS as THEORY_FIELDS
from models.theory.settings import TheorySettings
from neuro.parameters import FIELDS as NEURON_FIELDS
from neuro.parameters import LifParameters

# Settings under which each field can reach both ends of its own range (others would
# otherwise refuse the combination: a batch larger than the data, a reset above threshold).
EXPERIMENT_BASE = {"n_samples": MAX_SAMPLES, "batch_size": 1, "activations": ("relu",),
                   "lrs": (0.1,)}
EXPERIMENT_BASE_FOR = {"n_samples": {"batch_size": 1}}
NEURON_BASE = {"c_m_pf": 100_000.0, "dt_ms": 0.001}
NEURON_BASE_FOR = {"v_reset_mv": {"v_th_mv": 100.0}, "v_th_mv": {"v_reset_mv": -200.0},
                   "dt_ms": {"c_m_pf": 100_000.0, "dt_ms": 0.001}}
# A sweep of one grid point (so `seeds` can reach its maximum without passing the run limit)
# on a small data set, the same in the window, on the command line and for the validator.
SWEEP_CONFIG = {"activations": ("relu",), "lrs": (0.1,), "n_samples": 64, "batch_size": 8,
                "steps": 10}
SWEEP_BASE = {"inits": ("he",), "depths": (3,), "widths": (32,)}


CSV_PLACEHOLDER = "<a CSV file>"


def _number_text(spec: Field, value: float) -> str:
    return str(int(value)) if spec.kind in ("int", "int_list") else repr(float(value))


def edge_cases(spec: Field) -> list[tuple[str, bool | None]]:
    """(text, expected) at the edges of `spec`; expected None: no claim, only agreement."""
    if spec.kind == "bool":
        return [("true", True), ("false", True), ("maybe", False)]
    if spec.kind in ("choice", "choice_list"):
        cases = [(name, True) for name in spec.choices] + [("nope", False), ("", False)]
        if spec.kind == "choice_list":
            cases += [(f"{spec.choices[0]},{spec.choices[0]}", False),
                      (",".join(spec.choices[:2]), True)]
        return cases
    if spec.kind == "text":
        return [(CSV_PLACEHOLDER, True)]
    if spec.kind == "float_span":  # LOW:HIGH, or empty for no range
        return [("", True), ("0:0.8", True), ("-1.5:2", True), ("0.8:0", False),
                ("1:1", False), ("1", False), ("1:2:3", False), ("a:1", False),
                ("nan:1", False), ("0:inf", False), ("1_0:20", False)]
    cases = [("abc", False), ("1_0", False), ("", False), ("nan", False), ("inf", False)]
    if spec.kind in ("int", "int_list"):
        cases.append(("2.5", False))
    for bound, inside_sign in ((spec.low, 1), (spec.high, -1)):
        if bound is None:
            continue
        step = 1 if spec.kind in ("int", "int_list") else max(abs(bound), 1.0) * 1e-6
        is_low = inside_sign == 1
        cases.append((_number_text(spec, bound), not (is_low and spec.low_open)))
        cases.append((_number_text(spec, bound - inside_sign * step), False))
        cases.append((_number_text(spec, bound + inside_sign * step), True))
    if spec.is_list:
        inside = _number_text(spec, spec.high)
        cases.append((f"{inside},{inside}", False))
        if spec.max_items and spec.kind == "float_list":
            many = ",".join(_number_text(spec, spec.high * (1 - i * 1e-4))
                            for i in range(spec.max_items + 1))
            cases.append((many, False))
    return cases


def _python_value(spec: Field, text: str):
    """What a session file would hold for `text`: a JSON value of the natural type."""
    try:
        return spec.parse(text)
    except FieldError:
        pass
    if spec.kind in ("int", "float") and re.fullmatch(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?", text):
        return float(text)  # a number of the wrong kind (2.5 for an integer), as JSON has it
    return text  # the wrong type: text where a number belongs


def _validator(cls, base, spec, text):
    value = _python_value(spec, text)
    if spec.is_list and isinstance(value, str):
        value = [value]
    try:
        cls(**{**base, spec.name: value})
    except FieldError as exc:
        assert exc.field == spec.name, exc
        return False
    return True


@functools.cache
def _refusing_parser() -> argparse.ArgumentParser:
    """The command line's parser, built once, whose subcommands raise instead of exiting."""
    from cli.registry import build_parser

    parser = build_parser()

    def refuse(message):
        raise UsageError(message)

    for action in parser._actions:  # subparsers print and exit: make them raise instead
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.error = refuse
                for inner in sub._actions:
                    if isinstance(inner, argparse._SubParsersAction):
                        for leaf in inner.choices.values():
                            leaf.error = refuse
    return parser


def _cli(command, build, table, base, spec, text):
    argv = [*command]
    for name, value in base.items():
        other = table[name]
        argv += [other.flag, other.format(value)]
    if spec.kind == "bool":
        argv += {"true": [spec.flag], "false": ["--no-" + spec.flag[2:]]}.get(
            text, [f"{spec.flag}={text}"])
    else:
        argv.append(f"{spec.flag}={text}")
    try:
        build(_refusing_parser().parse_args(argv))
    except UsageError as exc:
        assert spec.flag in str(exc), exc
        return False
    return True


def _window(cls, base, spec, text, qapp):
    from gui.field_widgets import field_widget, widget_value

    widget = field_widget(spec)
    try:
        if not widget.accepts(text):
            return False
        if spec.kind == "bool":
            widget.set_value(text == "true")
        elif spec.kind == "choice":
            widget.setCurrentText(text)
        elif hasattr(widget, "setText"):
            widget.setText(text)
        else:
            widget.setValue(int(text))
        try:
            cls(**{**base, spec.name: widget_value(widget)})
        except FieldError as exc:
            assert exc.field == spec.name, exc
            return False
        return True
    finally:
        widget.deleteLater()


def _sweep_validator(**values):
    """The sweep's validator: its settings, then the grid the window and CLI both build."""
    return SweepSettings(**values).spec(ExperimentConfig(**SWEEP_CONFIG))


def _sweep_build(args):
    from cli.sweep_command import build_spec

    return build_spec(args)


def _sweep_window(cls, base, spec, text, tab):
    """The real Sweep tab: type `text` into its widget for `spec` and see what it keeps."""
    defaults = {name: field.default for name, field in SWEEP_FIELDS.items()}
    start = {**defaults, **SWEEP_CONFIG, **SWEEP_BASE, **base}
    tab.apply_settings({name: list(v) if isinstance(v, tuple) else v
                        for name, v in start.items()})
    before = tab.settings()
    widget = tab.edits[spec.name]
    assert widget.spec == spec  # the widget is made from the table's declaration
    if not widget.accepts(text):
        return False
    widget.setText(text)
    widget.editingFinished.emit()
    if tab.error_label.text():
        assert tab.error_label.text().startswith(f"{spec.name}:"), tab.error_label.text()
        assert tab.settings() == before
        return False
    kept = tab.settings()[spec.name]
    assert kept == (list(spec.parse(text)) if spec.is_list else spec.parse(text))
    return True


def _grid_build(args):
    from cli.config_options import config_from_args

    return config_from_args(args)


def _theory_build(args):
    from cli.theory_command import settings_from_args

    return settings_from_args(args)


def _neuron_build(args):
    from cli.neuron_command import _parameters

    return _parameters(args)


TABLES = [
    ("experiment", ExperimentConfig, EXPERIMENT_FIELDS, EXPERIMENT_BASE, EXPERIMENT_BASE_FOR,
     ["grid", "--out", "unused"], _grid_build),
    ("neuron", LifParameters, NEURON_FIELDS, NEURON_BASE, NEURON_BASE_FOR,
     ["neuron", "drive", "--out", "unused"], _neuron_build),
    ("theory", TheorySettings, THEORY_FIELDS, {}, {}, ["theory", "--out", "unused"],
     _theory_build),
    ("sweep", _sweep_validator, SWEEP_FIELDS, SWEEP_BASE, {},
     ["sweep", "--out", "unused", "--activations", "relu", "--lrs", "0.1", "--samples", "64",
      "--batch-size", "8", "--steps", "10"], _sweep_build),
]
CASES = [(table[0], name) for table in TABLES for name in table[2]]
# The f-I fit range is an option of ``neuron fi`` only.
COMMAND_FOR = {("neuron", "fit_range_na"): ["neuron", "fi", "--out", "unused"]}


@pytest.fixture(scope="module")
def sweep_tab(qapp):
    from gui.sweep.tab import SweepTab

    tab = SweepTab()
    yield tab
    assert tab.shutdown()
    tab.deleteLater()


@pytest.mark.gui
@pytest.mark.parametrize("table_name, name", CASES)
def test_window_command_line_and_validator_agree_at_every_edge(table_name, name, qapp,
                                                               tmp_path, request):
    _, cls, table, base, base_for, command, build = next(t for t in TABLES
                                                          if t[0] == table_name)
    window = _window
    if table_name == "sweep":  # the Sweep tab's own form and validation
        tab = request.getfixturevalue("sweep_tab")

        def window(cls, base, spec, text, qapp):
            return _sweep_window(cls, base, spec, text, tab)
    command = COMMAND_FOR.get((table_name, name), command)
    spec = table[name]
    base = {k: v for k, v in {**base, **base_for.get(name, {})}.items() if k != name}
    if name == "dataset":  # the csv dataset needs a real file (the command line reads it)
        base["csv_path"] = str(tmp_path / "data.csv")
    data = tmp_path / "data.csv"
    data.write_text("x1,x2,label\n" + "".join(f"{i},{-i},{i % 2}\n" for i in range(16)))
    for text, expected in edge_cases(spec):
        text = str(data) if text == CSV_PLACEHOLDER else text
        verdicts = {
            "validator": _validator(cls, base, spec, text),
            "command line": _cli(command, build, table, base, spec, text),
            "window": window(cls, base, spec, text, qapp),
        }
        assert len(set(verdicts.values())) == 1, (name, text, verdicts)
        if expected is not None:
            assert verdicts["validator"] is expected, (name, text, verdicts)


def test_every_config_field_is_declared_in_the_table():
    import dataclasses

    for cls, table in ((ExperimentConfig, EXPERIMENT_FIELDS), (LifParameters, NEURON_FIELDS),
                       (TheorySettings, THEORY_FIELDS), (SweepSettings, SWEEP_FIELDS)):
        names = {f.name for f in dataclasses.fields(cls)} - {"schema_version"}
        assert names == set(table)
        for f in dataclasses.fields(cls):
            if f.name in table:
                assert table[f.name].default == f.default
                assert table[f.name].help and table[f.name].label


def test_a_refusal_names_its_field_as_data():
    with pytest.raises(FieldError) as info:
        ExperimentConfig(seed=2**32)
    assert info.value.field == "seed" and "out of range" in info.value.problem
    with pytest.raises(FieldError) as info:
        ExperimentConfig(batch_size=600, n_samples=512)
    assert info.value.field == "batch_size"


def test_format_and_parse_round_trip_every_default():
    for table in (EXPERIMENT_FIELDS, NEURON_FIELDS, THEORY_FIELDS, SWEEP_FIELDS):
        for spec in table.values():
            assert spec.parse(spec.format(spec.default)) == spec.default
    seed = EXPERIMENT_FIELDS["seed"]
    assert seed.parse(seed.format(4_000_000_000)) == 4_000_000_000


@pytest.mark.gui
def test_a_large_seed_survives_the_window_untouched(qapp):
    from gui.networks.controls import ControlsPanel

    panel = ControlsPanel()
    config = ExperimentConfig(seed=4_000_000_000, log_every=9_000_000, kick_std=99.5,
                              eps=3.3e-7)
    panel.set_config(config)
    edits = []
    panel.edited.connect(lambda: edits.append(1))
    panel.width.setValue(8)  # the user edits another field
    assert edits
    again = panel.read_config(config)
    assert again == config.replace(width=8)
    assert again.seed == 4_000_000_000
    panel.deleteLater()
