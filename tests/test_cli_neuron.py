"""`main.py neuron fi|drive|response`: bad input gives one clear line, good input writes files."""

import csv
import json

import pytest

from tests.headless import run_without_qt


def main_py(*args, timeout=180):
    return run_without_qt(*args, timeout=timeout)


@pytest.mark.parametrize("bad, words", [
    (["--v-reset-mv", "-40"], ["--v-reset-mv: -40", "below", "v_th_mv (-50)"]),
    (["--c-m-pf", "-1"], ["--c-m-pf", "-1", "out of range"]),
    (["--currents", "x"], ["--currents", "'x'", "not a number"]),
    (["--n-neurons", "0"], ["--n-neurons"]),
    (["--dt-ms", "5"], ["--dt-ms: 5", "tau_m"]),
])
def test_bad_values_exit_non_zero_with_one_line(tmp_path, bad, words, run_main):
    result = run_main("neuron", "fi", "--out", str(tmp_path / "out"), *bad)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    assert not (tmp_path / "out" / "fi.csv").exists()


def read_csv(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [[float(v) for v in row] for row in rows[1:]]


@pytest.mark.slow
def test_fi_writes_csv_fit_and_figures(tmp_path):
    result = main_py("neuron", "fi", "--out", str(tmp_path), "--currents", "0:0.6:7",
                     "--duration-s", "0.5")
    assert result.returncode == 0, result.stderr
    header, rows = read_csv(tmp_path / "fi.csv")
    assert header == ["current_na", "rate_sim_hz", "rate_theory_hz", "rate_leaky_fit_hz",
                      "rate_sim_se_hz"]
    assert [r[0] for r in rows] == pytest.approx([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    fit = json.loads((tmp_path / "fit.json").read_text())
    assert set(fit) == {"alpha", "gain_hz_per_na", "threshold_na", "rmse_hz", "fit_range_na",
                        "crossing_correction", "shape_ranking", "shape_verdict"}
    for ext in ("png", "svg", "pdf"):
        assert (tmp_path / f"fi_curve.{ext}").stat().st_size > 1000


@pytest.mark.slow
def test_drive_and_response_write_their_tables(tmp_path):
    drive = main_py("neuron", "drive", "--out", str(tmp_path), "--n-neurons", "50",
                    "--duration-s", "0.4", "--noise-mv", "3")
    assert drive.returncode == 0, drive.stderr
    header, rows = read_csv(tmp_path / "trace.csv")
    assert header == ["t_ms", "i_in_na", "i_leak_na", "v_mv", "rate_lif_smoothed_hz",
                      "rate_leaky_smoothed_hz"]
    assert len(rows) == 4000
    header, spikes = read_csv(tmp_path / "spikes.csv")
    assert header == ["neuron", "t_ms"] and spikes
    assert all(0 <= n < 50 and n == int(n) for n, _ in spikes)
    for name in ("currents", "voltage", "raster", "population_rate"):
        assert (tmp_path / f"{name}.png").exists() and (tmp_path / f"{name}.svg").exists()
    response = main_py("neuron", "response", "--out", str(tmp_path), "--n-neurons", "50",
                       "--duration-s", "1", "--freqs", "5,50", "--noise-mv", "4")
    assert response.returncode == 0, response.stderr
    header, rows = read_csv(tmp_path / "response.csv")
    assert header == ["freq_hz", "lif_gain_hz_per_na", "lif_gain_se_hz_per_na", "lif_phase_deg",
                      "lif_phase_se_deg", "theory_gain_hz_per_na", "theory_phase_deg",
                      "leaky_gain_hz_per_na", "leaky_phase_deg", "lif_mean_rate_hz"]
    assert [r[0] for r in rows] == [5.0, 50.0]
    for name in ("response_gain", "response_phase"):
        assert (tmp_path / f"{name}.png").exists() and (tmp_path / f"{name}.svg").exists()


@pytest.mark.slow
def test_fit_offset_adds_offset_hz_and_fi_help_names_its_time_step(tmp_path):
    result = main_py("neuron", "fi", "--out", str(tmp_path), "--currents", "0:0.6:7",
                     "--duration-s", "0.3", "--noise-mv", "6", "--n-neurons", "70",
                     "--fit-offset")
    assert result.returncode == 0, result.stderr
    fit = json.loads((tmp_path / "fit.json").read_text())
    assert set(fit) == {"alpha", "gain_hz_per_na", "threshold_na", "rmse_hz", "offset_hz",
                        "fit_range_na", "crossing_correction", "shape_ranking", "shape_verdict"}
    assert fit["offset_hz"] != 0.0
    text = main_py("neuron", "fi", "--help").stdout
    assert "within 2% of Siegert" in " ".join(text.split())
    assert "centred on the rheobase" in " ".join(text.split())


def test_a_drive_frequency_the_time_step_cannot_hold_is_refused_in_one_line(tmp_path, run_main):
    # 5 kHz is a frequency the field allows, but ten steps of dt 0.1 ms last 1 ms
    for args in (["drive", "--freq-hz", "5000"], ["response", "--freqs", "1,5000"]):
        result = run_main("neuron", *args, "--out", str(tmp_path / "o"))
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "5000" in lines[0] and "1000 Hz" in lines[0], lines
