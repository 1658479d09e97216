"""Form widgets made from the field table: each knows its field's limits, unit and help."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from models.fields import Field, FieldError

__all__ = ["FieldCheck", "FieldCombo", "FieldEdit", "FieldSpin", "field_label", "field_widget",
           "widget_value"]

_INT32 = 2**31 - 1


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
        """Show `value` exactly (``format`` and ``parse`` round-trip)."""
        self.setText(self.spec.format(value))
        self._show_state()

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


class FieldSpin(QtWidgets.QSpinBox):
    """A spin box for an integer field whose whole range fits a 32-bit spin box."""

    edited = QtCore.Signal()

    def __init__(self, spec: Field, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setRange(int(spec.low), int(spec.high))
        self.setKeyboardTracking(False)
        self.setToolTip(spec.help_text())
        self.set_value(spec.default)
        self.valueChanged.connect(lambda _value: self.edited.emit())

    def accepts(self, text: str) -> bool:
        """Whether `text` typed into the box would be taken as a value."""
        if not _parses(self.spec, text):
            return False
        state = self.validate(text, 0)
        state = state[0] if isinstance(state, tuple) else state
        return state == QtGui.QValidator.State.Acceptable

    def set_value(self, value: Any) -> None:
        """Show `value` without emitting `edited`."""
        self.spec.check(value)
        blocked = self.blockSignals(True)
        self.setValue(int(value))
        self.blockSignals(blocked)


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
    """Return the widget for `spec`: a spin box, drop-down, check box or checked line edit.

    Every widget has ``spec``, an ``edited`` signal, ``set_value(value)`` and
    ``accepts(text)``; read it with `widget_value`.
    """
    if spec.kind == "choice":
        return FieldCombo(spec, tips=tips)
    if spec.kind == "bool":
        return FieldCheck(spec)
    if (spec.kind == "int" and spec.low is not None and spec.high is not None
            and -_INT32 <= spec.low and spec.high <= _INT32):
        return FieldSpin(spec)
    return FieldEdit(spec)


def widget_value(widget: QtWidgets.QWidget) -> Any:
    """Return the value a field widget holds; raise `FieldError` naming its field if invalid."""
    if isinstance(widget, FieldEdit):
        return widget.value()
    if isinstance(widget, FieldSpin):
        return widget.value()
    if isinstance(widget, FieldCombo):
        return widget.currentText()
    if isinstance(widget, FieldCheck):
        return widget.isChecked()
    raise TypeError(f"not a field widget: {widget!r}")


def field_label(spec: Field) -> str:
    """The form label: the field's label with its unit (``g_L (nS)``)."""
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label
