"""One declaration per setting: a field's type, limits, unit, label and help, and its checks.

A setting is declared once, as a dataclass field made by `setting`. From that declaration
come the config's validation (`check_fields`), the command line's options (``cli``), the
window's form widgets (``gui``) and the text parser both of them use (`Field.parse`), so a
limit is the same everywhere. A refusal is a `FieldError`, which carries the field's name as
data: no caller ever parses a message to find out which setting was wrong.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Field",
    "FieldError",
    "check_fields",
    "field_table",
    "setting",
]

KINDS = ("int", "float", "bool", "choice", "text", "int_list", "float_list", "choice_list",
         "float_span")

# A number as a person types it: no underscores ("1_0"), no "inf" or "nan", no hex.
_INT_TEXT = re.compile(r"[+-]?\d+")
_FLOAT_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_MAX_TEXT = 10_000  # characters of one value: a longer one is refused before parsing
_ITEM_KIND = {"int_list": "int", "float_list": "float", "choice_list": "choice",
              "float_span": "float"}


class FieldError(ValueError):
    """A value a setting does not allow.

    Parameters
    ----------
    field : str
        The setting's name (a config field name, never a command-line flag).
    problem : str
        What is wrong and what is allowed, as one line.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class Field:
    """The declaration of one setting.

    Attributes
    ----------
    name : str
        The config field's name (filled in from the dataclass).
    kind : str
        One of ``int``, ``float``, ``bool``, ``choice``, ``text``, ``int_list``,
        ``float_list``, ``choice_list`` or ``float_span``: a range ``(low, high)`` with
        ``low < high`` (``LOW:HIGH`` as text), or None (empty text) for no range.
    default : Any
        The default value.
    label : str
        Short label for a form.
    help : str
        One-line help, shown as a tooltip and in ``--help``.
    unit : str
        Unit of the value (``"nA"``, ``"ms"``); empty when dimensionless.
    low, high : float or None
        Allowed range (inclusive unless `low_open`); for lists and spans, of every item.
    low_open : bool
        Whether `low` itself is refused.
    choices : tuple of str
        Allowed values of a ``choice`` or ``choice_list``.
    max_items : int or None
        Most items of a list.
    option : str
        The command-line flag without ``--`` (default: the name with ``-`` for ``_``).
    """

    name: str
    kind: str
    default: Any
    label: str
    help: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple[str, ...] = ()
    max_items: int | None = None
    option: str = ""

    @property
    def flag(self) -> str:
        """The command-line flag, e.g. ``--g-leak-ns``."""
        return "--" + (self.option or self.name.replace("_", "-"))

    @property
    def is_list(self) -> bool:
        """Whether the value is a tuple of items."""
        return self.kind in ("int_list", "float_list", "choice_list")

    # -- checking -----------------------------------------------------------------------
    def check(self, value: Any) -> Any:
        """Return `value` in its canonical type, or raise `FieldError` naming this field.

        Parameters
        ----------
        value : Any
            A value from code, a JSON document, a widget or `parse`.

        Returns
        -------
        Any
            ``int``, ``float``, ``bool``, ``str`` or a tuple of items.

        Raises
        ------
        FieldError
            If the type is wrong or the value is outside what the field allows.
        """
        if self.is_list:
            return self._check_list(value)
        if self.kind == "float_span":
            return self._check_span(value)
        return self._check_item(value)

    def _check_item(self, value: Any) -> Any:
        kind = _ITEM_KIND.get(self.kind, self.kind)
        if kind == "bool":
            if not isinstance(value, bool):
                raise FieldError(self.name, f"expected true or false, got {value!r}")
            return value
        if kind in ("choice", "text"):
            if not isinstance(value, str):
                raise FieldError(self.name, f"expected text, got {value!r}")
            if kind == "choice" and value not in self.choices:
                raise FieldError(self.name, f"{value!r} is not allowed; choose from "
                                            f"{', '.join(self.choices)}")
            if len(value) > _MAX_TEXT:
                raise FieldError(self.name, f"text of {len(value):,} characters; at most "
                                            f"{_MAX_TEXT:,}")
            return value
        if kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise FieldError(self.name, f"expected an integer, got {value!r}")
        elif not isinstance(value, int | float) or isinstance(value, bool):
            raise FieldError(self.name, f"expected a number, got {value!r}")
        elif not math.isfinite(value):
            raise FieldError(self.name, f"expected a finite number, got {value!r}")
        else:
            value = float(value)
        self._check_range(value)
        return value

    def _check_range(self, value: float) -> None:
        low, high = self.low, self.high
        below = low is not None and (value < low or (self.low_open and value == low))
        above = high is not None and value > high
        if below or above:
            raise FieldError(self.name, f"{_fmt(value)} is out of range; allowed "
                                        f"{self.range_text()}")

    def _check_list(self, value: Any) -> tuple:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise FieldError(self.name, f"expected a list, got {value!r}")
        if not value:
            raise FieldError(self.name, "give at least one value")
        if self.max_items is not None and len(value) > self.max_items:
            raise FieldError(self.name, f"{len(value):,} values; at most {self.max_items:,}")
        items = tuple(self._check_item(item) for item in value)
        if len(set(items)) != len(items):
            raise FieldError(self.name, "each value may appear only once")
        return items

    def _check_span(self, value: Any) -> tuple[float, float] | None:
        if value is None:
            return None
        if isinstance(value, str) or not isinstance(value, list | tuple) or len(value) != 2:
            raise FieldError(self.name, f"expected LOW:HIGH (two numbers), got {value!r}")
        low, high = (self._check_item(item) for item in value)
        if not low < high:
            raise FieldError(self.name, f"{_fmt(low)}:{_fmt(high)} must have LOW below HIGH")
        return low, high

    def range_text(self) -> str:
        """Describe the allowed range in words (``"0 to 4294967295"``, ``"above 0"``)."""
        low, high = self.low, self.high
        if low is not None and high is not None:
            return (f"above {_fmt(low)} and at most {_fmt(high)}" if self.low_open
                    else f"{_fmt(low)} to {_fmt(high)}")
        if low is not None:
            return f"above {_fmt(low)}" if self.low_open else f"at least {_fmt(low)}"
        if high is not None:
            return f"at most {_fmt(high)}"
        return "any finite number"

    # -- text ---------------------------------------------------------------------------
    def parse(self, text: str) -> Any:
        """Parse `text` as typed in a form or on the command line, then `check` it.

        Lists are comma separated; a span is ``LOW:HIGH`` (empty: None); booleans are
        ``true``/``false`` (or ``1``/``0``, ``yes``/``no``, ``on``/``off``). Numbers are
        plain decimal literals: no ``_``, no ``inf`` or ``nan``.

        Raises
        ------
        FieldError
            If the text is not a value of this field.
        """
        if not isinstance(text, str):
            raise FieldError(self.name, f"expected text, got {text!r}")
        if len(text) > _MAX_TEXT:
            raise FieldError(self.name, f"text of {len(text):,} characters; at most "
                                        f"{_MAX_TEXT:,}")
        if self.is_list:
            parts = [part.strip() for part in text.split(",")]
            if parts == [""]:
                raise FieldError(self.name, "give at least one value")
            return self._check_list([self._parse_item(part) for part in parts])
        if self.kind == "float_span":
            if not text.strip():
                return None
            parts = [part.strip() for part in text.split(":")]
            if len(parts) != 2:
                raise FieldError(self.name, f"{text!r} is not LOW:HIGH (e.g. 0:0.8)")
            return self._check_span([self._parse_item(part) for part in parts])
        return self._check_item(self._parse_item(text.strip()))

    def _parse_item(self, text: str) -> Any:
        kind = _ITEM_KIND.get(self.kind, self.kind)
        if kind == "int":
            if not _INT_TEXT.fullmatch(text):
                raise FieldError(self.name, f"{text!r} is not an integer")
            return int(text)
        if kind == "float":
            if not _FLOAT_TEXT.fullmatch(text):
                raise FieldError(self.name, f"{text!r} is not a number")
            return float(text)
        if kind == "bool":
            word = text.lower()
            if word in ("true", "1", "yes", "on"):
                return True
            if word in ("false", "0", "no", "off"):
                return False
            raise FieldError(self.name, f"{text!r} is not true or false")
        return text

    def format(self, value: Any) -> str:
        """Write `value` as text that `parse` reads back to the same value."""
        if self.is_list:
            return ",".join(self._format_item(item) for item in value)
        if self.kind == "float_span":
            return "" if value is None else ":".join(self._format_item(v) for v in value)
        return self._format_item(value)

    def _format_item(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return repr(value) if not value.is_integer() or abs(value) >= 1e16 else f"{value:g}"
        return str(value)

    def help_text(self, default: bool = True) -> str:
        """Help for ``--help``: the help, the unit, the range or choices and the default."""
        parts = [self.help]
        numeric = self.kind in ("int", "float", "int_list", "float_list", "float_span")
        if numeric and (self.low is not None or self.high is not None):
            unit = f" {self.unit}" if self.unit else ""
            parts.append(f"{self.range_text()}{unit}")
        elif self.unit:
            parts.append(self.unit)
        if self.kind == "choice_list":
            parts.append(f"from {', '.join(self.choices)}")
        if default and self.default not in (None, ""):
            parts.append(f"default {self.format(self.default)}")
        return "; ".join(parts)


def setting(default: Any, kind: str, label: str, help: str, **limits: Any) -> Any:
    """Declare a dataclass field as a setting; the one place its limits are written.

    Parameters
    ----------
    default : Any
        Default value (a tuple for lists).
    kind : str
        One of `KINDS`.
    label, help : str
        Form label and one-line help.
    **limits
        Any of `Field`'s ``unit``, ``low``, ``high``, ``low_open``, ``choices``,
        ``max_items``, ``option``.

    Returns
    -------
    dataclasses.Field
        To assign in a (frozen) dataclass body.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown setting kind {kind!r}")
    spec = Field(name="", kind=kind, default=default, label=label, help=help, **limits)
    return dataclasses.field(default=default, metadata={"setting": spec})


def field_table(cls_or_obj: Any) -> dict[str, Field]:
    """Return the settings of a dataclass, by name, in declaration order.

    Parameters
    ----------
    cls_or_obj : type or dataclass instance
        A dataclass whose fields were declared with `setting` (others are skipped).

    Returns
    -------
    dict of str to Field
    """
    table = {}
    for f in dataclasses.fields(cls_or_obj):
        spec = f.metadata.get("setting")
        if spec is not None:
            table[f.name] = dataclasses.replace(spec, name=f.name)
    return table


def check_fields(obj: Any, names: Iterable[str] | None = None) -> None:
    """Check every setting of a frozen dataclass instance and store its canonical value.

    Raises
    ------
    FieldError
        For the first field (in declaration order) whose value is not allowed.
    """
    table = field_table(obj)
    for name in names if names is not None else table:
        value = table[name].check(getattr(obj, name))
        object.__setattr__(obj, name, value)


def _fmt(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)
