"""Born-dead Monte Carlo: exact decision, below the single-point bound and following its trend."""

import numpy as np
import pytest

from models.theory.born_dead import (
    BORN_DEAD_INITS,
    DOMAIN,
    born_dead_mask,
    born_dead_probability,
    born_dead_study,
    draw_layers,
    single_point_bound,
)


def test_single_point_bound_formula():
    assert single_point_bound(2, 1) == pytest.approx(0.25)
    assert single_point_bound(3, 4) == pytest.approx(1 - (7 / 8) ** 4)
    b = single_point_bound(np.array([2, 3, 5]), 9)
    assert np.all(np.diff(b) < 0)


@pytest.mark.parametrize("init", BORN_DEAD_INITS)
def test_exact_decision_matches_a_dense_grid(init):
    rng = np.random.default_rng(7)
    layers = draw_layers(init, 400, 3, 6, rng)
    exact = born_dead_mask(layers)
    x = np.linspace(-DOMAIN, DOMAIN, 4001)
    h = np.broadcast_to(x[None, :, None], (400, x.size, 1))
    for w, b in layers:
        h = np.maximum(np.einsum("tgi,tij->tgj", h, w) + b[:, None, :], 0)
    on_grid = np.all(h == h[:, :1, :], axis=(1, 2))
    # a net constant on the domain is constant on the grid; the grid can only over-report
    assert np.all(on_grid[exact])
    assert np.mean(exact != on_grid) < 0.01
    assert 0 < exact.sum() < 400 or init == "rai"


def test_hand_built_networks():
    # a layer with all weights negative on x>0 and positive on x<0 still lives: not dead
    w1 = np.array([[[1.0, -1.0]]])
    b1 = np.zeros((1, 2))
    w2 = np.array([[[1.0], [1.0]]])
    b2 = np.zeros((1, 1))
    assert not born_dead_mask([(w1, b1), (w2, b2)])[0]
    # every second-layer weight negative: output 0 everywhere, born dead
    assert born_dead_mask([(w1, b1), (-w2, b2)])[0]
    # a kink strictly inside the domain caught exactly: relu(x - 1.7) is not constant
    assert not born_dead_mask([(np.array([[[1.0]]]), np.array([[-1.7]]))])[0]
    assert born_dead_mask([(np.array([[[1.0]]]), np.array([[-1.75]]))])[0]


@pytest.mark.parametrize("init", ["he", "he-bias"])
def test_monte_carlo_below_bound_and_follows_trend(init):
    widths, depths = (2, 3, 5), (4, 9, 16)
    rows = born_dead_study(widths, depths, trials=3000, init=init, seed=1)
    table = {(r.width, r.depth): r for r in rows}
    for r in rows:
        assert r.trials == 3000
        assert r.p_born_dead < r.p_single_point_bound
    for w in widths:  # deeper: more often born dead, as the bound says
        p = [table[w, d].p_born_dead for d in depths]
        assert p[0] < p[1] < p[2]
    for d in depths:  # wider: less often born dead
        p = [table[w, d].p_born_dead for w in widths]
        assert p[0] > p[1] > p[2]
    # and the Monte Carlo moves with the bound: correlated across the grid
    mc = np.array([r.p_born_dead for r in rows])
    bound = np.array([r.p_single_point_bound for r in rows])
    assert np.corrcoef(mc, bound)[0, 1] > 0.9


def test_rai_lowers_the_born_dead_probability():
    he = born_dead_probability(3, 9, trials=3000, init="he", seed=2)
    rai = born_dead_probability(3, 9, trials=3000, init="rai", seed=2)
    assert rai.p_born_dead < he.p_born_dead / 2


def test_reproducible_and_validated():
    a = born_dead_probability(2, 4, trials=500, seed=3)
    b = born_dead_probability(2, 4, trials=500, seed=3)
    assert a == b
    with pytest.raises(ValueError, match="init"):
        draw_layers("xavier", 2, 2, 2, np.random.default_rng(0))
