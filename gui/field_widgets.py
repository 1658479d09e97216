"""Form widgets made from the field table: each knows its field's limits, unit and help."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from models.fields import Field, FieldError

__all__ = ["FieldCheck", "FieldCombo", "FieldEdit", "field_label", "field_widget", "widget_value"]


class FieldEdit(QtWidgets.QLineEdit):
    """A line edit for any number, list or text field, checked as you type by `Field.parse`.

    Signals
    -------
    edited()
        The user finished an edit (valid or not: the form reads `value` and says why).
    """

    edited = QtCore.Signal()

    def __init__(self, spec: Field, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._help = spec.help_text()
        self.setToolTip(self._help)
        self.setProperty("invalid", False)
        if spec.kind == "float_span":
            self.setPlaceholderText("LOW:HIGH (empty: no range)")
        self.textEdited.connect(self._show_state)
        self.editingFinished.connect(self._finished)
        self.set_value(spec.default)

    def accepts(self, text: str) -> bool:
        """Whether `text` is a value of the field (what the command line also accepts)."""
        try:
            self.spec.parse(text)
        except FieldError:
            return False
        return True

    def value(self) -> Any:
        """Return the typed value; raise `FieldError` naming the field when it is not valid."""
        return self.spec.parse(self.text())

    def set_value(self, value: Any) -> None:
        """Show `value` exactly (``format`` and ``parse`` round-trip), without `edited`."""
        self.setText(self.spec.format(value))
        self.setCursorPosition(0)  # a list too long for the box shows its start, not its end
        self._show_state()

    def setValue(self, value: Any) -> None:  # noqa: N802 - the spin-box name, for scripts
        """Set `value` as if the user had typed it: show it, then emit `edited`."""
        self.set_value(value)
        self.edited.emit()

    def _show_state(self, *_: Any) -> None:
        try:
            self.spec.parse(self.text())
        except FieldError as exc:
            invalid, tip = True, f"{exc.problem}\n\n{self._help}"
        else:
            invalid, tip = False, self._help
        if self.property("invalid") != invalid:
            self.setProperty("invalid", invalid)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setToolTip(tip)

    def _finished(self) -> None:
        self.edited.emit()


class FieldCombo(QtWidgets.QComboBox):
    """A drop-down of a choice field's allowed values (nothing else can be chosen)."""

    edited = QtCore.Signal()

    def __init__(self, spec: Field, parent: QtWidgets.QWidget | None = None,
                 tips: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.addItems(list(spec.choices))
        for i, name in enumerate(spec.choices):
            if tips and name in tips:
                self.setItemData(i, tips[name], QtCore.Qt.ItemDataRole.ToolTipRole)
        self.setToolTip(spec.help_text())
        self.set_value(spec.default)
        self.currentIndexChanged.connect(lambda _index: self.edited.emit())

    def accepts(self, text: str) -> bool:
        """Whether `text` is one of the items."""
        return self.findText(text) >= 0

    def set_value(self, value: Any) -> None:
        """Select `value` without emitting `edited` (`FieldError` if it is not a choice)."""
        index = self.findText(self.spec.check(value))
        blocked = self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(blocked)


class FieldCheck(QtWidgets.QCheckBox):
    """A check box for a boolean field."""

    edited = QtCore.Signal()

    def __init__(self, spec: Field, text: str = "",
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.spec = spec
        self.setToolTip(spec.help_text())
        self.set_value(spec.default)
        self.toggled.connect(lambda _on: self.edited.emit())

    def accepts(self, text: str) -> bool:
        """Whether `text` names a state of the box."""
        return _parses(self.spec, text)

    def set_value(self, value: Any) -> None:
        """Check or uncheck without emitting `edited`."""
        blocked = self.blockSignals(True)
        self.setChecked(self.spec.check(value))
        self.blockSignals(blocked)


def _parses(spec: Field, text: str) -> bool:
    try:
        spec.parse(text)
    except FieldError:
        return False
    return True


def field_widget(spec: Field, tips: dict[str, str] | None = None) -> QtWidgets.QWidget:
    """Return the widget for `spec`: a drop-down, a check box or a checked line edit.

    Numbers are typed, not spun: a typed value outside the range is shown as refused, with
    the reason, instead of being silently clamped.

    Every widget has ``spec``, an ``edited`` signal, ``set_value(value)`` and
    ``accepts(text)``; read it with `widget_value`.
    """
    if spec.kind == "choice":
        return FieldCombo(spec, tips=tips)
    if spec.kind == "bool":
        return FieldCheck(spec)
    return FieldEdit(spec)


def widget_value(widget: QtWidgets.QWidget) -> Any:
    """Return the value a field widget holds; raise `FieldError` naming its field if invalid."""
    if isinstance(widget, FieldEdit):
        return widget.value()
    if isinstance(widget, FieldCombo):
        return widget.currentText()
    if isinstance(widget, FieldCheck):
        return widget.isChecked()
    raise TypeError(f"not a field widget: {widget!r}")


def field_label(spec: Field) -> str:
    """The form label: the field's label with its unit (``g_L (nS)``)."""
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label
