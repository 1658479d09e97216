"""Command-line options made from the field table: one flag per setting, same limits, same help."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from typing import Any

from cli.errors import UsageError
from models.fields import Field, FieldError

__all__ = ["add_field_options", "build_from_fields", "field_changes", "usage_error"]


def _converter(spec: Field):
    def convert(text: str) -> Any:
        try:
            return spec.parse(text)
        except FieldError as exc:
            raise argparse.ArgumentTypeError(exc.problem) from None

    convert.__name__ = spec.name  # argparse names the converter in some messages
    return convert


def add_field_options(group: Any, table: Mapping[str, Field], names: Iterable[str],
                      defaults_shown: bool = True) -> None:
    """Add one option per named field to an argparse parser or argument group.

    Options are left unset (``None``) unless given, so a preset's or session's value is
    kept; the help shows the field's range, unit and default.

    Parameters
    ----------
    group : argparse.ArgumentParser or argument group
        Where to add the options.
    table : mapping of str to Field
        The field table (``models.config.FIELDS``, ``neuro.parameters.FIELDS``).
    names : iterable of str
        The fields to expose, in the order of ``--help``.
    defaults_shown : bool
        Whether the help names the default.
    """
    for name in names:
        spec = table[name]
        help_text = spec.help_text(default=defaults_shown)
        if spec.kind == "bool":
            group.add_argument(spec.flag, dest=name, action=argparse.BooleanOptionalAction,
                               default=None, help=help_text)
            continue
        metavar = "LIST" if spec.is_list else (spec.unit.upper() or spec.kind.upper())
        if spec.kind == "float_span":
            metavar = "LOW:HIGH"
        if spec.kind == "text" and spec.name.endswith("path"):
            metavar = "FILE"
        kwargs: dict[str, Any] = {}
        if spec.kind == "choice":
            kwargs["choices"] = spec.choices
            metavar = None
        group.add_argument(spec.flag, dest=name, type=_converter(spec), default=None,
                           metavar=metavar, help=help_text.replace("%", "%%"), **kwargs)


def field_changes(args: argparse.Namespace, names: Iterable[str]) -> dict[str, Any]:
    """Return ``{field: value}`` for every named option the user gave."""
    return {name: getattr(args, name) for name in names
            if getattr(args, name, None) is not None}


def usage_error(exc: FieldError, table: Mapping[str, Field]) -> UsageError:
    """Turn a `FieldError` into a `UsageError` naming the option (``--seed: ...``)."""
    spec = table.get(exc.field)
    where = spec.flag if spec is not None else exc.field
    return UsageError(f"{where}: {exc.problem}")


def build_from_fields(build, table: Mapping[str, Field], **changes: Any):
    """Call ``build(**changes)``; a `FieldError` becomes a `UsageError` naming the option.

    Parameters
    ----------
    build : callable
        E.g. ``base.replace`` or a dataclass.
    table : mapping of str to Field
        The table whose flags name the fields.

    Returns
    -------
    Any
        What `build` returns.
    """
    try:
        return build(**changes)
    except FieldError as exc:
        raise usage_error(exc, table) from None
