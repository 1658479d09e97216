"""How the Neuron tab turns results into plots: cache keys, payloads, stepped drawing, captions."""

from __future__ import annotations

import json

from gui.neuron import captions
from gui.neuron import figures as neuron_figures
from gui.neuron import plots as neuron_plots
from gui.neuron.settings import JOBS
from neuro.frequency_response import DEFAULT_FREQS_HZ
from neuro.value_lists import parse_currents, parse_freqs


class ResultViews:
    """The `gui.neuron.tab.NeuronTab` methods that key, request and draw results.

    Drawing goes through the tab's ``drawer`` (`gui.neuron.drawing.Drawer`): a plot item
    per event-loop turn; `_drawn` follows when a result is on its plots.
    """

    def _with_cv(self, specs: dict, params) -> dict:
        """Add the CV theory of `params` right after the drive (in the simulation process)."""
        if params.noise_mv <= 0 or self.intervals.has(params):
            return specs
        self._cv_params = params
        self._pending["cv"] = ("CV theory", json.dumps(params.to_dict(), sort_keys=True), "")
        out = {}
        for job, payload in specs.items():
            out[job] = payload
            if job == "drive":
                out["cv"] = {"params": params}
        return out

    def _key(self, job: str) -> tuple:
        extra = {"fi": self._currents_text, "response": self._freqs_text, "scan": self._scan}
        return job, json.dumps(self.params.to_dict(), sort_keys=True), extra.get(job, "")

    def _payload(self, job: str) -> dict:
        payload = {"params": self.params}
        if job == "fi":
            payload["currents"] = parse_currents(self._currents_text)
        elif job == "response":
            payload["freqs"] = parse_freqs(self._freqs_text) or list(DEFAULT_FREQS_HZ)
        elif job == "scan":
            payload["scan"] = self._scan
        return payload

    def _show_cached(self, only: str | None = None) -> bool:
        shown = False
        for job in (only,) if only else JOBS:
            result = self._cache.get(self._key(job))
            if result is not None:
                self._show(job, result)
                shown = True
        return shown

    def _show(self, job: str, result, preview: bool = False) -> None:
        """Queue `result`'s drawing (a plot item per event-loop turn); `_drawn` follows."""
        params, offset = self.params, self._fit_offset
        noisy = params.noise_mv > 0
        if job == "drive":
            steps = neuron_figures.fill_drive.steps(self.plots, result, params.v_th_mv, noisy,
                                                    params.freq_hz)
        elif job == "fi":
            steps = neuron_figures.fill_fi.steps(self.plots, result, noisy, offset)
        elif job == "response":
            steps = neuron_figures.fill_response.steps(self.plots, result, noisy)
        else:
            steps = neuron_figures.fill_scan.steps(self.plots, result,
                                                   getattr(params, result.name))
        self.drawer.put(job, steps, lambda tables: self._drawn(job, result, params, offset,
                                                              tables, preview))

    def _drawn(self, job: str, result, params, offset: bool, tables: dict,
               preview: bool) -> None:
        """`result` is on its plots: keep its tables, update the labels, say so."""
        self._results[job] = (result, params, offset)
        self._tables.update(tables)
        self.starting.hide()
        if job == "drive":
            self.intervals.queue(result, params)  # drawn after, by the same drawer
            if preview:
                for name in ("raster", "population_rate"):
                    self.plots[name].setTitle(f"{self.plots[name].titleLabel.text} (quick "
                                              "preview; the full run follows)")
        elif job == "fi":
            fit = result.leaky_fit(offset)
            self.fit_label.setText("\n".join(neuron_plots.fit_parts(
                fit.alpha, fit.gain_hz_per_na, fit.threshold_na, fit.rmse_hz,
                fit.offset_hz if offset else None)))
        self._update_captions()
        self.result_shown.emit(job)

    def _update_captions(self) -> None:
        """Rewrite the sub-tab captions from the parameters and the response shown."""
        shown = self._results.get("response")
        response = shown[0] if shown is not None and shown[1] == self.params else None
        self.captions["Drive"].setText(captions.drive_caption(self.params))
        self.captions["Drive: intervals"].setText(captions.isi_caption(self.params))
        self.captions["f-I curve"].setText(captions.fi_caption(self.params, self._fit_offset))
        self.captions["Frequency response"].setText(captions.response_caption(
            self.params, response, running=response is None and "response" in self._pending))
