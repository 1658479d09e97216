"""`main.py neuron`: theory columns, fit range, ISI files, no NaN, refusals before work."""

import csv
import json

import numpy as np
import pytest

from neuro.linear_response import linear_response
from neuro.parameters import LifParameters
from tests.headless import run_without_qt


def main_py(*args, timeout=300):
    return run_without_qt("neuron", *args, timeout=timeout)


def read_table(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {k: np.array([float(r[k]) if r[k] != "" else np.nan for r in rows]) for k in rows[0]}


@pytest.mark.parametrize("currents", ["1:1:5", "0.1,0.2"])
def test_too_few_distinct_currents_are_refused_in_one_line_before_work(tmp_path, currents,
                                                                      run_main):
    result = run_main("neuron", "fi", "--out", str(tmp_path / "o"), "--currents", currents)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--currents" in lines[0] and "3 distinct" in lines[0], lines
    assert not (tmp_path / "o").exists()


def test_bad_fit_range_is_refused(tmp_path, run_main):
    result = run_main("neuron", "fi", "--out", str(tmp_path / "o"), "--fit-range", "0.5:0.1")
    assert result.returncode == 2 and "--fit-range" in result.stderr


@pytest.mark.slow
def test_fi_records_its_fit_range_and_ranks_three_shapes_in_valid_json(tmp_path):
    result = main_py("fi", "--out", str(tmp_path), "--currents", "0:0.5:11",
                     "--fit-range", "0.05:0.45", "--noise-mv", "5", "--n-neurons", "220",
                     "--duration-s", "0.3")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "fit.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    fit = json.loads(text)
    assert fit["fit_range_na"] == [0.05, 0.45]
    assert fit["crossing_correction"] is True
    names = [shape["name"] for shape in fit["shape_ranking"]]
    assert sorted(names) == ["elu", "leaky_relu", "softplus"]
    rmse = [shape["rmse_hz"] for shape in fit["shape_ranking"]]
    assert rmse == sorted(rmse) and fit["shape_verdict"].startswith(f"closest: {names[0]}")


@pytest.mark.slow
def test_response_csv_carries_the_linear_theory_and_standard_errors(tmp_path):
    args = dict(noise_mv=5.0, i0_na=0.2, i1_na=0.03)
    result = main_py("response", "--out", str(tmp_path), "--freqs", "10,100",
                     "--noise-mv", "5", "--i0-na", "0.2", "--i1-na", "0.03",
                     "--n-neurons", "100", "--duration-s", "0.5")
    assert result.returncode == 0, result.stderr
    table = read_table(tmp_path / "response.csv")
    gain, phase = linear_response([10.0, 100.0], LifParameters(**args))
    np.testing.assert_allclose(table["theory_gain_hz_per_na"], gain, rtol=1e-9)
    np.testing.assert_allclose(table["theory_phase_deg"], phase, atol=1e-9)
    assert np.all(table["lif_gain_se_hz_per_na"] > 0) and np.all(table["lif_phase_se_deg"] > 0)
    summary = json.loads((tmp_path / "response.json").read_text())
    assert "small-signal" in summary["amplitude_note"]
    assert "sub-populations" in summary["standard_error"]


@pytest.mark.slow
def test_drive_writes_isi_histogram_and_summary(tmp_path):
    result = main_py("drive", "--out", str(tmp_path), "--n-neurons", "60", "--duration-s",
                     "0.5", "--noise-mv", "4", "--no-crossing-correction")
    assert result.returncode == 0, result.stderr
    isi = read_table(tmp_path / "isi.csv")
    summary = json.loads((tmp_path / "drive.json").read_text())
    assert isi["count"].sum() > 50
    assert summary["crossing_correction"] is False and 0 < summary["isi_cv"] < 2
    assert summary["rate_kernel_sigma_ms"] == 5.0


@pytest.mark.slow
def test_the_window_job_and_the_command_line_read_the_same_settings(tmp_path):
    """Fit range and crossing correction are parameters: a job given only the parameters
    (the Neuron tab's payload) computes what ``--fit-range`` and ``--no-crossing-correction``
    give on the command line."""
    import main
    from neuro.jobs import run_job

    flags = ["--currents", "0:0.5:11", "--noise-mv", "5", "--n-neurons", "110",
             "--duration-s", "0.3", "--fit-range", "0.05:0.45", "--no-crossing-correction"]
    assert main.main(["neuron", "fi", "--out", str(tmp_path), *flags]) == 0
    fit = json.loads((tmp_path / "fit.json").read_text())
    params = LifParameters(noise_mv=5.0, n_neurons=110, duration_s=0.3,
                           fit_range_na=(0.05, 0.45), crossing_correction=False)
    curve = run_job("fi", {"params": params, "currents": list(np.linspace(0, 0.5, 11))})
    assert curve.crossing_correction is False and fit["crossing_correction"] is False
    assert curve.fit_range_na == (0.05, 0.45) and fit["fit_range_na"] == [0.05, 0.45]
    table = read_table(tmp_path / "fi.csv")
    np.testing.assert_array_equal(table["rate_sim_hz"], curve.rate_sim_hz)  # same simulation
    assert fit["alpha"] == curve.fit.alpha and fit["gain_hz_per_na"] == curve.fit.gain_hz_per_na
    # the defaults are unchanged: the correction on, every current fitted
    plain = LifParameters()
    assert plain.crossing_correction is True and plain.fit_range_na is None


@pytest.mark.parametrize("flag, needle", [(["--fit-range", "0.5:0.1"], "LOW below HIGH"),
                                          (["--fit-range", "0.5"], "LOW:HIGH"),
                                          (["--fit-range", "nan:1"], "not a number")])
def test_fit_range_refusals_run_in_process(tmp_path, capsys, flag, needle):
    import main

    assert main.main(["neuron", "fi", "--out", str(tmp_path / "o"), *flag]) == 2
    err = capsys.readouterr().err
    assert "--fit-range" in err and needle in err
    assert not (tmp_path / "o").exists()
