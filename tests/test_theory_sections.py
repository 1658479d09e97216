"""Theory sections and verdicts in the model layer: computed once, judged with stated tolerances."""

import math

import pytest

from models.theory import (
    DEFAULT_SETTINGS,
    SECTIONS,
    SettingError,
    all_verdicts,
    check_distinct,
    check_settings,
    compute_section,
    section_verdicts,
)
from models.theory.verdicts import VERDICT_HEADER, compare, gradient_verdicts

SMALL = {"alphas": [0.0, 0.1, 1.0], "points": 512, "width": 64, "depth": 6, "seeds": 4,
         "bd_widths": [2, 3], "bd_depths": [2, 6], "trials": 300, "prune_steps": 150}


def test_every_section_computed_and_its_verdicts_agree():
    results = {name: compute_section(name, SMALL) for name in SECTIONS}
    verdicts = all_verdicts(results)
    assert {v.section for v in verdicts} == set(SECTIONS)
    assert all(v.agrees for v in verdicts), [v for v in verdicts if not v.agrees]
    for v in verdicts:
        assert len(v.row()) == len(VERDICT_HEADER)
        assert v.relation in ("=", "<=") and v.tolerance >= 0 and v.reason
    # one verdict per alpha for Lipschitz, two per init for propagation
    assert len(section_verdicts("lipschitz", results["lipschitz"])) == 3
    assert len(section_verdicts("propagation", results["propagation"])) == 8


def test_compare_decides_and_never_accepts_nan():
    assert compare("s", "q", "f", 1.0, 1.04, 0.05, "r").agrees
    assert not compare("s", "q", "f", 1.0, 1.06, 0.05, "r").agrees
    assert compare("s", "q", "f", 0.25, 0.1, 0.0, "r", "<=").agrees
    assert not compare("s", "q", "f", 0.25, 0.26, 0.001, "r", "<=").agrees
    assert not compare("s", "q", "f", 0.0, math.nan, 1e9, "r").agrees


def test_gradient_verdict_rejects_a_wrong_moment():
    stats = compute_section("gradients", {"alphas": [0.0, 0.3], "points": 1024, "width": 128})
    assert all(v.agrees for v in gradient_verdicts(stats))
    # a 1% error in E[G] is 5 binomial s.e. away at 131,072 samples: refused
    stats[1].predicted["mean"] *= 1.01
    judged = {v.quantity: v.agrees for v in gradient_verdicts(stats)}
    assert judged == {"ReLU gradient sparsity": True, "Leaky ReLU E[G], alpha 0.3": False,
                      "Leaky ReLU Var[G], alpha 0.3": True}


@pytest.mark.parametrize("field,values", [("alphas", [0.0, 0.5, 0.5]),
                                          ("bd_widths", [2, 3, 2]), ("bd_depths", [4, 4])])
def test_duplicates_refused_naming_the_field(field, values):
    with pytest.raises(SettingError) as caught:
        check_settings({field: values})
    assert caught.value.field == field
    check_distinct(field, sorted(set(values)))


def test_settings_checked_before_work():
    check_settings(DEFAULT_SETTINGS)
    with pytest.raises(SettingError) as caught:
        check_settings({"width": 1024, "depth": 200}, ["propagation"])
    assert caught.value.fields == ("depth", "width")
    check_settings({"width": 1024, "depth": 200}, ["gradients"])  # not run: not checked
    with pytest.raises(SettingError, match="trials"):
        check_settings({"trials": 10_000_000, "bd_widths": [64], "bd_depths": [500]})
    with pytest.raises(SettingError) as caught:
        check_settings({"prune_lr": -1.0})
    assert caught.value.field == "prune_lr"
    with pytest.raises(ValueError, match="section"):
        compute_section("nonsense", {})
