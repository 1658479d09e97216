"""Named experiment presets (`resources/presets/NAME.json`): a config, a story, a schedule."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.config import ConfigError, ExperimentConfig

PRESET_DIR = Path(__file__).resolve().parent.parent / "resources" / "presets"
ACTIONS = ("inject_outlier", "thermal_kick", "reinit_dead", "switch_activation")
# The presets in teaching order: how units die, what cannot be born alive, the remedies.
LESSONS = ("high-lr-kills", "outlier-kills", "negative-bias", "zero-init-born-dead",
           "deep-narrow-born-dead", "leaky-rescues", "thermal-kick", "batchnorm-protects")


class PresetError(ValueError):
    """A preset that does not exist or cannot be read; the message says which and why."""


@dataclass(frozen=True)
class ScheduledAction:
    """An intervention a preset applies at a given step.

    Attributes
    ----------
    step : int
        Applied once training reaches this step.
    action : str
        One of `ACTIONS`.
    cells : tuple of int or None
        Network indices (row-major over activations x lrs); None means every cell.
    activation : str
        Target activation, for ``switch_activation``.
    """

    step: int
    action: str
    cells: tuple[int, ...] | None = None
    activation: str = "leaky_relu"

    def apply(self, experiment) -> None:
        """Apply this action to an `Experiment`."""
        if self.action == "inject_outlier":
            experiment.inject_outlier(self.cells)
        elif self.action == "thermal_kick":
            experiment.thermal_kick(self.cells)
        elif self.action == "reinit_dead":
            experiment.reinit_dead(self.cells)
        else:
            for cell in self.cells or range(len(experiment.networks)):
                experiment.switch_activation(cell, self.activation)


@dataclass(frozen=True)
class Preset:
    """A named, explained experiment.

    Attributes
    ----------
    name : str
        File stem.
    title : str
        Short title for menus.
    explanation : str
        One paragraph for students: what to look at and why it happens.
    config : ExperimentConfig
        The experiment.
    schedule : tuple of ScheduledAction
        Interventions applied during training, in step order.
    """

    name: str
    title: str
    explanation: str
    config: ExperimentConfig
    schedule: tuple[ScheduledAction, ...] = field(default_factory=tuple)

    def due(self, last_step: int, step: int) -> list[ScheduledAction]:
        """Return the actions scheduled in ``(last_step, step]`` (step 0 actions at 0)."""
        return [a for a in self.schedule
                if last_step < a.step <= step or (a.step == 0 and last_step < 0)]


def preset_names(folder: Path = PRESET_DIR) -> list[str]:
    """Return the names of the available network presets, sorted."""
    return sorted(p.stem for p in folder.glob("*.json"))


def lesson_order(names) -> list[str]:
    """Return preset `names` in teaching order (`LESSONS` first, any others after, sorted)."""
    names = list(names)
    return [n for n in LESSONS if n in names] + sorted(n for n in names if n not in LESSONS)


def load_preset(name: str, folder: Path = PRESET_DIR) -> Preset:
    """Load preset `name` from `folder`.

    Raises
    ------
    PresetError
        If there is no such preset or its file is malformed; the message lists the
        available names or names the bad field.
    """
    bad_name = not isinstance(name, str) or not name.strip() or any(
        c in name for c in "/\\\0") or name.startswith(".")
    path = folder / f"{name}.json"
    if bad_name or not path.is_file():
        raise PresetError(f"unknown preset {name!r}; available: "
                          f"{', '.join(preset_names(folder)) or 'none'}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PresetError(f"preset {name!r}: cannot read {path.name}: {exc}") from None
    return preset_from_dict(name, data)


def preset_from_dict(name: str, data: dict[str, Any]) -> Preset:
    """Build a `Preset` from its JSON dict (keys: title, explanation, config, schedule)."""
    if not isinstance(data, dict):
        raise PresetError(f"preset {name!r}: expected a JSON object")
    unknown = set(data) - {"title", "explanation", "config", "schedule"}
    if unknown:
        raise PresetError(f"preset {name!r}: unknown key {sorted(unknown)[0]!r}")
    try:
        config = ExperimentConfig.from_dict(data.get("config", {}))
    except ConfigError as exc:
        raise PresetError(f"preset {name!r}: {exc}") from None
    items = data.get("schedule", [])
    if not isinstance(items, list):
        raise PresetError(f"preset {name!r}: schedule: expected a list of actions")
    schedule = [_scheduled_action(name, item, config.n_networks) for item in items]
    for key in ("title", "explanation"):
        if key in data and not isinstance(data[key], str):
            raise PresetError(f"preset {name!r}: {key}: expected text, got {data[key]!r}")
    return Preset(name, str(data.get("title", name)), str(data.get("explanation", "")),
                  config, tuple(sorted(schedule, key=lambda a: a.step)))


def _scheduled_action(name: str, item: Any, n_networks: int) -> ScheduledAction:
    """Check one schedule entry of preset `name`; raise `PresetError` naming what is wrong."""
    from models.activations import ACTIVATION_NAMES

    if not isinstance(item, dict) or item.get("action") not in ACTIONS:
        raise PresetError(f"preset {name!r}: schedule entry {item!r} needs an action "
                          f"from {', '.join(ACTIONS)}")
    unknown = sorted(set(item) - {"step", "action", "cells", "activation"})
    if unknown:
        raise PresetError(f"preset {name!r}: schedule: unknown key {unknown[0]!r}")
    step = item.get("step", 0)
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= 10_000_000:
        raise PresetError(f"preset {name!r}: schedule step: {step!r} is not a step number")
    cells = item.get("cells")
    if cells is not None:
        if not isinstance(cells, list) or any(
                isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < n_networks
                for c in cells):
            raise PresetError(f"preset {name!r}: schedule cells: {cells!r} are not cell "
                              f"indices 0..{n_networks - 1}")
        cells = tuple(cells)
    activation = item.get("activation", "leaky_relu")
    if activation not in ACTIVATION_NAMES:
        raise PresetError(f"preset {name!r}: schedule activation: {activation!r} is not an "
                          "activation")
    return ScheduledAction(step, item["action"], cells, activation)
