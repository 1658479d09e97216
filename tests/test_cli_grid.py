"""The `grid` subcommand, end to end in a subprocess without Qt, and its bad-input messages."""

import csv

import pytest

from tests.headless import run_without_qt


@pytest.mark.slow
def test_grid_writes_csv_and_figures_and_marks_divergence(tmp_path):
    out = tmp_path / "grid"
    result = run_without_qt("grid", "--dataset", "spiral", "--activations", "relu,leaky_relu",
                      "--lrs", "0.03,3,100", "--steps", "200", "--log-every", "50",
                      "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr
    with open(out / "grid.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:6] == ["activation", "lr", "seed", "step", "loss", "dead_fraction"]
    # layers numbered from 1, the layer nearest the input (as in every figure and the window)
    assert {"dead_fraction_layer1", "dead_fraction_layer3", "diverged"} <= set(rows[0])
    assert "dead_fraction_layer0" not in rows[0]
    assert {"dormant_fraction", "saturated_fraction"} <= set(rows[0])
    assert len(rows) == 6 * 5  # 6 networks x (step 0 + 4 logged steps)
    last = {(r["activation"], float(r["lr"])): r for r in rows if r["step"] == "200"}
    assert last[("relu", 100.0)]["diverged"] == "1"
    assert last[("relu", 0.03)]["diverged"] == "0"
    assert (out / "events.csv").read_text().splitlines()[0] == "step,kind,cells,message"
    for stem in ("activity_grid", "loss", "dead_fraction"):
        assert (out / f"{stem}.png").stat().st_size > 5000
        assert (out / f"{stem}.svg").read_text().lstrip().startswith("<?xml")
        assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


def test_grid_preset_applies_its_schedule_as_the_model_layer_does(tmp_path):
    from models.atomic_write import csv_text
    from models.config import ExperimentConfig
    from models.experiment import Experiment
    from models.history import event_rows, history_rows
    from models.presets import load_preset

    out = tmp_path / "rescue"
    result = run_without_qt("grid", "--preset", "leaky-rescues", "--steps", "320", "--no-figures",
                      "--out", str(out))
    assert result.returncode == 0, result.stderr
    with open(out / "grid.csv") as handle:
        rows = list(csv.DictReader(handle))
    by_step = {}
    for row in rows:
        by_step.setdefault(int(row["step"]), []).append(row["activation"])
    assert by_step[290] == ["relu"] * 3 and by_step[300] == ["leaky_relu"] * 3
    assert by_step[320] == ["leaky_relu"] * 3 and len(by_step) == 33  # 0, 10, ..., 320
    events = (out / "events.csv").read_text().splitlines()[1:]
    assert len(events) == 3 and all(e.startswith("300,switch,") for e in events)
    # the same numbers as the model layer gives (the window's worker runs the same code)
    config = ExperimentConfig.from_json((out / "config.json").read_text())
    exp = Experiment(config, schedule=load_preset("leaky-rescues").schedule)
    exp.run(320)
    assert (out / "grid.csv").read_text() == csv_text(*history_rows(exp.history, config.seed))
    assert (out / "events.csv").read_text() == csv_text(*event_rows(exp.history))


@pytest.mark.parametrize("args, needle", [
    (["--activations", "relu,nope"], "--activations: 'nope' is not allowed"),
    (["--lrs", "0"], "--lrs: 0 is out of range; allowed above 0"),
    (["--lrs", "-1"], "--lrs: -1 is out of range; allowed above 0"),
    (["--lrs", "abc"], "'abc' is not a number"),
    (["--width", "0"], "--width"),
    (["--preset", "nope"], "unknown preset"),
])
def test_bad_input_gives_one_clear_line(tmp_path, args, needle, run_main):
    result = run_main("grid", "--steps", "5", "--out", str(tmp_path / "o"), *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_out_and_malformed_csv(tmp_path, run_main):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_main("grid", "--steps", "5", "--out", str(blocker / "sub"))
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert "--out" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n1,abc,1\n0,0,1\n1,1,0\n")
    result = run_main("grid", "--steps", "5", "--csv", str(bad), "--out", str(tmp_path / "o"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "main.py: error: --csv: bad.csv: line 3, column x2: 'abc' is not a number"]
