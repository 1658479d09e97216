"""The neuron builders draw the new results: theory, standard errors, fit range, ISI and CV."""

from types import SimpleNamespace

import numpy as np

from figures import neuron_figures as nf
from figures.spec import Band, ErrorBars, Line


def response(phase, se=2.0, correction=True):
    f = np.array([1.0, 10.0, 100.0])
    phase = np.asarray(phase, float)
    return SimpleNamespace(freq_hz=f, lif_gain_hz_per_na=np.array([400.0, 380.0, 200.0]),
                           leaky_gain_hz_per_na=np.full(3, 390.0), lif_phase_deg=phase,
                           leaky_phase_deg=np.zeros(3), lif_static_gain_hz_per_na=410.0,
                           lif_gain_se_hz_per_na=np.full(3, 5.0),
                           lif_phase_se_deg=np.full(3, se),
                           theory_gain_hz_per_na=np.array([405.0, 385.0, 210.0]),
                           theory_phase_deg=phase + 3.0, crossing_correction=correction)


def test_response_draws_theory_and_error_bars_and_names_the_correction():
    gain, phase = nf.response_figures(response([-5.0, -30.0, -44.0]))
    panel = gain.panel()
    assert isinstance(panel.find("theory"), Line) and isinstance(panel.find("lif_se"), ErrorBars)
    assert "theory_gain_hz_per_na" in gain.table.header
    assert "lif_gain_se_hz_per_na" in gain.table.header
    assert "crossing correction" in panel.find("correction").text
    assert "without" in nf.response_figures(response([0, 0, 0], correction=False))[0].panel(
    ).find("correction").text
    assert isinstance(phase.panel().find("theory"), Line)
    assert "lif_phase_se_deg" in phase.table.header


def test_phase_axis_holds_every_point_with_its_error_bar_and_a_lead():
    for values in ([-5.0, -30.0, -44.0], [40.0, 25.0, -80.0], [-120.0, -150.0, -170.0]):
        se = 6.0
        low, high = nf.response_figures(response(values, se))[1].panel().y.limits
        every = np.concatenate([np.array(values) - se, np.array(values) + se,
                                np.array(values) + 3.0, [-45.0, 0.0]])
        assert low < every.min() and high > every.max(), (values, low, high)


def test_fi_shades_the_fit_range_and_ranks_the_shapes():
    fit = SimpleNamespace(alpha=0.0, gain_hz_per_na=200.0, threshold_na=0.2, rmse_hz=1.5,
                          offset_hz=0.0, rate_hz=lambda i: 200.0 * np.maximum(i - 0.2, 0))
    i = np.linspace(0.0, 0.6, 7)
    shapes = (SimpleNamespace(name="elu", rmse_hz=0.9), SimpleNamespace(name="softplus",
                                                                        rmse_hz=0.3))
    curve = SimpleNamespace(current_na=i, rate_sim_hz=200 * np.maximum(i - 0.2, 0),
                            rate_theory_hz=200 * np.maximum(i - 0.2, 0), fit=fit,
                            fit_range_na=(0.1, 0.5), shape_fits=shapes,
                            rate_sim_se_hz=np.full(7, 0.5))
    panel = nf.fi_figure(curve, noisy=True).panel()
    band = panel.find("fit_range")
    assert isinstance(band, Band) and tuple(band.x) == (0.1, 0.5)
    assert isinstance(panel.find("sim_se"), ErrorBars)
    assert "rmse = 1.5 Hz" in next(n.text for n in panel.notes if n.key == "fit")
    ranking = panel.find("shapes").text
    assert ranking.index("softplus") < ranking.index("elu")


def test_isi_and_cv_figures():
    stats = SimpleNamespace(edges_ms=np.array([0.0, 10.0, 20.0]), counts=np.array([3, 5]),
                            cv=0.8, mean_isi_ms=12.0, neurons_with_isi=4)
    isi = nf.isi_figure(stats)
    assert isi.table.header == ["isi_low_ms", "isi_high_ms", "count"]
    np.testing.assert_array_equal(np.asarray(isi.table.rows)[:, 2], [3, 5])
    assert "CV = 0.80" in isi.panel().find("cv").text
    curve = SimpleNamespace(current_na=np.array([0.1, 0.2]), cv_theory=np.array([1.0, 0.5]),
                            noise_mv=3.0)
    cv = nf.cv_figure(curve, 0.15, 0.7)
    assert cv.panel().find("run").y[0] == 0.7 and len(cv.table) == 2
    assert "needs noise" in nf.cv_figure(None, 0.15, float("nan")).panel().notes[0].text


def test_new_series_render(tmp_path):
    from figures.export import export_figures

    stats = SimpleNamespace(edges_ms=np.array([0.0, 10.0, 20.0]), counts=np.array([3, 5]),
                            cv=0.8, mean_isi_ms=12.0, neurons_with_isi=4)
    written = export_figures([*nf.response_figures(response([30.0, -20.0, -44.0])),
                              nf.isi_figure(stats)], tmp_path, formats=("svg",))
    assert all("<text" in p.read_text() for p in written) and len(written) == 3
