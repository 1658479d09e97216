"""The Networks tab's saved settings: check a settings object before the tab applies it."""

from __future__ import annotations

from typing import Any

from models.config import ExperimentConfig
from models.experiment import Experiment
from models.presets import Preset, PresetError, load_preset

__all__ = ["SETTINGS_KEYS", "parse_settings"]

SETTINGS_KEYS = ("config", "preset", "selected", "scope")


def parse_settings(settings: dict[str, Any], current: ExperimentConfig
                   ) -> tuple[ExperimentConfig, Preset | None, str | None, int, str]:
    """Check the Networks tab's settings; raise ValueError naming the bad field.

    Parameters
    ----------
    settings : dict
        ``config``, ``preset``, ``selected`` and ``scope`` (each optional).
    current : ExperimentConfig
        The config to keep when neither ``config`` nor ``preset`` is given.

    Returns
    -------
    tuple
        ``(config, preset, preset_name, selected, scope)``; the experiment has been built
        once, so the tab can apply it without failing.
    """
    if not isinstance(settings, dict):
        raise ValueError("networks settings: expected a JSON object")
    unknown = sorted(set(settings) - set(SETTINGS_KEYS))
    if unknown:
        raise ValueError(f"networks settings: unknown field {unknown[0]!r}; "
                         f"allowed: {', '.join(SETTINGS_KEYS)}")
    preset = None
    name = settings.get("preset")
    if name is not None:
        if not isinstance(name, str):
            raise ValueError(f"preset: expected a preset name, got {name!r}")
        try:
            preset = load_preset(name)
        except PresetError as exc:
            raise ValueError(f"preset: {exc}") from None
    try:
        config = ExperimentConfig.from_dict(settings["config"]) if "config" in settings \
            else (preset.config if preset else current)
    except ValueError as exc:
        raise ValueError(f"config.{exc}") from None
    selected = settings.get("selected", 0)
    if not isinstance(selected, int) or isinstance(selected, bool) or \
            not 0 <= selected < config.n_networks:
        raise ValueError(f"selected: {selected!r} is not a cell index "
                         f"0..{config.n_networks - 1}")
    scope = settings.get("scope", "all")
    if scope not in ("all", "selected"):
        raise ValueError(f"scope: {scope!r}; choose all or selected")
    try:
        Experiment(config)
    except (ValueError, OSError) as exc:
        raise ValueError(f"config: {exc}") from None
    return config, preset, name, selected, scope
