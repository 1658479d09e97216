"""The Neuron tab's first visit: a cheap drive while the simulator starts, then everything."""

from __future__ import annotations

import json

PREVIEW_NEURONS, PREVIEW_S = 200, 0.5  # the first visit's quick drive


def start_preview(tab) -> bool:
    """First visit of `tab` (a NeuronTab): while the simulator starts, a cheap drive first.

    A few hundred neurons for half a second come back within seconds of Brian2's
    import; `run` follows as soon as the preview is drawn. Returns False (and runs
    everything) if the drive is cached or the simulator is already up.
    """
    if tab.runner.child_pid is not None or tab._cache.get(tab._key("drive")):
        tab.run()
        return False
    tab.runner.cancel()
    preview = tab.params.replace(n_neurons=min(tab.params.n_neurons, PREVIEW_NEURONS),
                                  duration_s=min(tab.params.duration_s, PREVIEW_S))
    tab._preview_key = ("drive-preview", json.dumps(preview.to_dict(), sort_keys=True), "")
    tab._pending = {"drive": tab._preview_key}
    tab._job_count, tab._done_jobs = 1, 0
    tab._request = tab.runner.run({"drive": {**tab._payload("drive"), "params": preview}})
    tab._set_busy(True)
    tab.status.setText("starting the simulator (Brian2 loads once, a few seconds); "
                       f"then a quick preview of {preview.n_neurons} neurons")
    for name in ("currents", "voltage", "raster", "population_rate"):
        tab.plots[name].setTitle(f"{tab.plots[name].titleLabel.text}: starting the "
                                 "simulator…")
    return True
