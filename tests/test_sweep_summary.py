"""Sweep summaries over seeds: means, spreads, failed and diverged counts per panel."""

import numpy as np

from models.sweep.summary import summarize


def row(act, lr, seed, dead, loss, init="he", depth=2, status="ok", diverged="0"):
    return {"activation": act, "lr": repr(lr), "seed": str(seed), "init": init,
            "depth": str(depth), "width": "8", "steps": "10", "final_loss": loss,
            "dead_fraction": dead, "diverged": diverged, "status": status}


def test_summary_statistics():
    rows = [row("relu", 0.1, 0, "0.2", "1.0"), row("relu", 0.1, 1, "0.4", "3.0"),
            row("relu", 1.0, 0, "0.5", "nan", diverged="1"),
            row("tanh", 0.1, 0, "", "", status="failed"),
            row("relu", 0.1, 0, "0.9", "2.0", init="xavier")]
    he, xavier = summarize(rows)
    assert (he.init, xavier.init) == ("he", "xavier")
    assert he.activations == ["relu", "tanh"] and list(he.lrs) == [0.1, 1.0]
    assert np.isclose(he.mean["dead_fraction"][0, 0], 0.3)
    assert np.isclose(he.std["dead_fraction"][0, 0], 0.1)
    assert he.low["final_loss"][0, 0] == 1.0 and he.high["final_loss"][0, 0] == 3.0
    assert np.isnan(he.mean["final_loss"][0, 1]) and he.diverged[0, 1] == 1
    assert he.failed[1, 0] == 1 and he.count[1, 0] == 0
    assert np.isnan(he.mean["dead_fraction"][1, 0])
    assert xavier.mean["dead_fraction"][0, 0] == 0.9
