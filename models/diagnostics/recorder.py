"""What the engine records for the diagnostics at every probe: drift, update sizes, unit params.

One `DiagnosticsRecorder` per experiment. At each probe it turns every network's probe-set
pre-activations into fixed-edge histograms (edges per cell and layer, fixed at the first
probe) and the ``z <= 0`` fraction, and hands those, the update-to-data ratios of the step
that led to the probe, and every unit's bias and incoming weight norm to the history as
extra fields (kept, decimated and bounded with the rest of each record).
"""

from __future__ import annotations

import numpy as np

from models.diagnostics.preactivations import (
    N_BINS,
    histogram_counts,
    preactivation_arrays,
    symmetric_edges,
)
from models.diagnostics.updates import applied_update_ratios

# history extra fields: name -> (shape after (n_cells,), dtype)
FIELD_NAMES: tuple[str, ...] = ("z_counts", "z_nonpositive", "update_ratio", "unit_bias",
                                "unit_weight_norm")


class DiagnosticsRecorder:
    """Per-probe diagnostics of a grid of networks.

    Parameters
    ----------
    n_cells, depth, width : int
        Grid size and network shape.
    n_bins : int
        Inner histogram bins per layer (plus an underflow and an overflow bin).
    """

    def __init__(self, n_cells: int, depth: int, width: int, n_bins: int = N_BINS) -> None:
        self.n_cells, self.depth, self.width = int(n_cells), int(depth), int(width)
        self.n_bins = int(n_bins) + int(n_bins) % 2
        self.edges = np.zeros((self.n_cells, self.depth, self.n_bins + 1))
        self._edges_set = np.zeros(self.n_cells, bool)
        self.update_ratio = np.full((self.n_cells, self.depth + 1), np.nan)

    def bytes_per_record(self) -> int:
        """Return the bytes one probe's diagnostics take in the history."""
        k, d, w = self.n_cells, self.depth, self.width
        return 4 * (k * d * (self.n_bins + 2) + k * d + k * (d + 1) + 2 * k * d * w)

    def note_step(self, networks) -> None:
        """Record the update-to-data ratio of the step every network has just taken."""
        for i, net in enumerate(networks):
            self.update_ratio[i] = applied_update_ratios(net)

    def fields(self, networks, n_points: int) -> dict[str, np.ndarray]:
        """Return this probe's extra history fields (call right after probing `networks`).

        Parameters
        ----------
        networks : list of models.network.Network
            The grid, each just probed on the same `n_points` probe points.
        n_points : int
            Probe-set size.

        Returns
        -------
        dict
            ``z_counts`` (cells, depth, n_bins + 2) uint32, ``z_nonpositive`` (cells,
            depth), ``update_ratio`` (cells, depth + 1), ``unit_bias`` and
            ``unit_weight_norm`` (cells, depth, width), all float32 but the counts.
        """
        k, d, w = self.n_cells, self.depth, self.width
        counts = np.zeros((k, d, self.n_bins + 2), np.uint32)
        nonpositive = np.full((k, d), np.nan, np.float32)
        bias = np.full((k, d, w), np.nan, np.float32)
        norm = np.full((k, d, w), np.nan, np.float32)
        for i, net in enumerate(networks):
            zs = preactivation_arrays(net, n_points)
            if not self._edges_set[i] and all(np.isfinite(z).all() for z in zs):
                for layer, z in enumerate(zs):
                    self.edges[i, layer] = symmetric_edges(z, self.n_bins)
                self._edges_set[i] = True
            for layer, z in enumerate(zs):
                if self._edges_set[i]:
                    counts[i, layer] = histogram_counts(z, self.edges[i, layer])
                nonpositive[i, layer] = np.count_nonzero(~(z > 0)) / z.size
                units = net.widths[layer]
                bias[i, layer, :units] = net.b[layer]
                norm[i, layer, :units] = np.sqrt(np.einsum("ij,ij->j", net.W[layer],
                                                           net.W[layer], dtype=np.float64))
        return {"z_counts": counts, "z_nonpositive": nonpositive,
                "update_ratio": self.update_ratio.astype(np.float32), "unit_bias": bias,
                "unit_weight_norm": norm}


def cell_diagnostics(experiment, cell: int) -> dict:
    """Return one cell's recorded diagnostics as plain arrays (for the figures).

    Parameters
    ----------
    experiment : models.experiment.Experiment
        A started experiment.
    cell : int
        Cell index (row-major over activations x learning rates).

    Returns
    -------
    dict
        ``steps`` (T,), ``z_counts`` (T, depth, bins + 2), ``edges`` (depth, bins + 1),
        ``z_nonpositive`` (T, depth), ``update_ratio`` and ``grad_norm`` (T, depth + 1),
        ``label`` (activation, lr), ``events`` [(step, message)] concerning the cell.
    """
    h = experiment.history
    return {"steps": h.recorded_steps.copy(),
            "z_counts": h.extra("z_counts")[:, cell].copy(),
            "edges": experiment.diagnostics.edges[cell].copy(),
            "z_nonpositive": h.extra("z_nonpositive")[:, cell].astype(float),
            "update_ratio": h.extra("update_ratio")[:, cell].astype(float),
            "grad_norm": h.grad_norms[:h.count, cell].astype(float),
            "label": experiment.labels[cell],
            "events": [(e.step, e.message) for e in h.events_for(cell)]}
