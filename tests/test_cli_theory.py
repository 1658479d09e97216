"""`main.py theory`: each section writes its CSV with unit-bearing columns and its figures."""

import csv
import json

import pytest

from tests.headless import run_without_qt


def theory(*args, timeout=120):
    return run_without_qt("theory", *args, timeout=timeout)


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


@pytest.mark.slow
def test_born_dead_csv_and_figures(tmp_path):
    result = theory("born-dead", "--widths", "2,3,5", "--depths", "4,9", "--trials", "400",
                    "--init", "he", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    header, rows = read(tmp_path / "born_dead.csv")
    assert header == ["width", "depth", "init", "trials", "p_born_dead", "p_single_point_bound"]
    assert len(rows) == 6
    for width, depth, init, trials, p, bound in rows:
        assert init == "he" and trials == "400"
        assert float(bound) == pytest.approx(1 - (1 - 2.0 ** -int(width)) ** int(depth))
        assert 0 <= float(p) < float(bound)
    for ext in ("png", "svg"):
        assert (tmp_path / f"born_dead.{ext}").stat().st_size > 1000
    assert json.loads(result.stdout)["born-dead"]["below_bound"] is True


@pytest.mark.slow
def test_all_sections(tmp_path):
    result = theory("all", "--trials", "200", "--depths", "2,6", "--widths", "2,4",
                    "--depth", "20", "--points", "1024", "--alphas", "0,0.1,0.5",
                    "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["pruning"]["max_abs_output_difference"] <= 1e-12
    assert summary["sigmoid"]["max_sigmoid_derivative"] == pytest.approx(0.25)
    assert summary["propagation"]["factors"]["he_leaky"]["predicted"] == pytest.approx(1.0)
    for name in ("gradients", "propagation", "born_dead", "pruning", "sigmoid"):
        header, rows = read(tmp_path / f"{name}.csv")
        assert rows
    header, rows = read(tmp_path / "gradients.csv")
    assert "mean_g_measured" in header and "var_g_predicted" in header
    for stem in ("gradients", "propagation_forward", "propagation_backward", "born_dead",
                 "pruning_units", "pruning_outputs", "sigmoid"):
        for ext in ("png", "svg", "pdf"):
            assert (tmp_path / f"{stem}.{ext}").stat().st_size > 1000, f"{stem}.{ext}"


@pytest.mark.parametrize("args,needle", [
    (["born-dead", "--init", "xavier"], "--init"),
    (["born-dead", "--trials", "0"], "--trials"),
    (["born-dead", "--widths", "0"], "--widths"),
    (["gradients", "--alphas", "2"], "--alphas"),
    (["nonsense"], "section"),
])
def test_bad_inputs_one_line(tmp_path, args, needle, run_main):
    result = run_main("theory", *args, "--out", str(tmp_path))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], result.stderr


def run_in_process(argv, capsys):
    """Run `main.main(argv)`; return (status, stdout, stderr lines, warnings raised)."""
    import warnings

    import main

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status = main.main(argv)
    out, err = capsys.readouterr()
    return status, out, [line for line in err.splitlines() if line.strip()], caught


@pytest.mark.parametrize("args,needle", [
    (["gradients", "--alphas", "0,0.1,0.1"], "--alphas"),
    (["born-dead", "--widths", "2,3,2"], "--widths"),
    (["born-dead", "--depths", "4,9,4"], "--depths"),
    (["propagation", "--depth", "200", "--width", "1024"], "--depth, --width"),
])
def test_refused_before_any_work(tmp_path, capsys, args, needle):
    out = tmp_path / "never"
    status, stdout, lines, _ = run_in_process(["theory", *args, "--out", str(out)], capsys)
    assert status == 2 and stdout == ""
    assert len(lines) == 1 and needle in lines[0], lines
    assert not out.exists()  # refused before the output folder was even made


def test_diverging_pruning_is_one_line_without_warnings(tmp_path, capsys):
    status, stdout, lines, caught = run_in_process(
        ["theory", "pruning", "--prune-lr", "1e5", "--no-figures", "--out", str(tmp_path)],
        capsys)
    assert status == 2
    # refused before training: the declared range of the learning rate ends at 1000
    assert len(lines) == 1 and "--prune-lr: 100000 is out of range" in lines[0], lines
    assert "nan" not in (stdout + lines[0]).lower()
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not (tmp_path / "pruning.csv").exists()


def test_verdicts_csv_and_integer_layers_from_one(tmp_path, capsys):
    status, stdout, lines, caught = run_in_process(
        ["theory", "all", "--no-figures", "--trials", "200", "--depths", "2,6", "--widths",
         "2,4", "--depth", "8", "--width", "32", "--seeds", "6", "--points", "512",
         "--alphas", "0,0.1,0.5", "--prune-steps", "200", "--out", str(tmp_path)], capsys)
    assert status == 0, lines
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    summary = json.loads(stdout)
    assert all(section["verdicts_agree"] for section in summary.values())
    header, rows = read(tmp_path / "verdicts.csv")
    assert header == ["section", "quantity", "formula", "relation", "predicted", "measured",
                      "tolerance", "agrees", "reason"]
    assert {r[0] for r in rows} == {"gradients", "propagation", "born_dead", "pruning",
                                    "sigmoid", "lipschitz"}
    assert all(r[7] == "true" for r in rows), [r for r in rows if r[7] != "true"]
    for name in ("propagation", "pruning", "sigmoid"):
        header, rows = read(tmp_path / f"{name}.csv")
        layers = [row[header.index("layer")] for row in rows]
        assert all(text.isdigit() for text in layers), layers[:3]
        assert min(int(t) for t in layers) == 1
    header, rows = read(tmp_path / "propagation.csv")
    assert header[:12] == ["init", "activation", "alpha", "width", "layer",
                           "mean_sq_activation_measured", "mean_sq_activation_predicted",
                           "mean_sq_gradient_measured", "mean_sq_gradient_predicted",
                           "factor_predicted_per_layer", "factor_measured_forward",
                           "factor_measured_backward"]
    col = {name: header.index(name) for name in header}
    for row in rows:
        assert row[col["seeds"]] == "6" and row[col["width"]] == "32"
        low, mean, high = (float(row[col[k]]) for k in (
            "mean_sq_activation_p10", "mean_sq_activation_measured", "mean_sq_activation_p90"))
        assert low <= high and low > 0 and mean > 0


def test_window_and_command_line_share_one_computation():
    from gui.theory import worker as theory_worker
    from models.theory import sections

    assert theory_worker.compute_section is sections.compute_section
    assert theory_worker.SECTIONS == sections.SECTIONS
