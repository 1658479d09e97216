"""The Networks tab's saved settings: check a settings object before the tab applies it."""

from __future__ import annotations

from typing import Any

from models.config import ExperimentConfig
from models.experiment import Experiment
from models.presets import Preset, PresetError, load_preset

__all__ = ["DETAIL_VIEWS", "SETTINGS_KEYS", "WHY_PAGES", "parse_settings",
           "parse_view_settings"]

SETTINGS_KEYS = ("config", "preset", "selected", "scope", "detail_view", "why_page", "unit")
DETAIL_VIEWS = ("history", "why")  # the detail area's views (gui.networks.why.area)
WHY_PAGES = ("drift", "updates", "plateau")  # the why view's pages (gui.networks.why.view)


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


def parse_view_settings(settings: dict[str, Any], config: ExperimentConfig
                        ) -> tuple[str, str, tuple[int, int] | None]:
    """Check which detail view, why page and unit a session shows; raise ValueError if bad.

    Sessions saved before these fields existed load with the defaults (the history view,
    the drift page, no unit).

    Parameters
    ----------
    settings : dict
        ``detail_view`` (``history`` or ``why``), ``why_page`` (``drift``, ``updates`` or
        ``plateau``) and ``unit`` (``[layer, unit]`` of the selected cell, 0-based, or
        null), each optional.
    config : ExperimentConfig
        The config the tab applies (the unit must be in its networks).

    Returns
    -------
    tuple
        ``(detail_view, why_page, unit)``.
    """
    view = settings.get("detail_view", "history")
    if view not in DETAIL_VIEWS:
        raise ValueError(f"detail_view: {view!r}; choose {' or '.join(DETAIL_VIEWS)}")
    page = settings.get("why_page", "drift")
    if page not in WHY_PAGES:
        raise ValueError(f"why_page: {page!r}; choose from {', '.join(WHY_PAGES)}")
    unit = settings.get("unit")
    if unit is not None:
        if not (isinstance(unit, list) and len(unit) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in unit)):
            raise ValueError(f"unit: {unit!r} is not [layer, unit] (two whole numbers)")
        if not (0 <= unit[0] < config.depth and 0 <= unit[1] < config.width):
            raise ValueError(f"unit: {unit!r} is not in the networks' {config.depth} layers "
                             f"of {config.width} units")
        unit = (unit[0], unit[1])
    return view, page, unit
