"""The Networks tab's knobs: one widget per `ExperimentConfig` field, made from its table."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui import theme
from gui.field_widgets import FieldCheck, field_label, field_widget, widget_value
from models.config import FIELDS, ExperimentConfig
from models.fields import FieldError
from models.initializers import INIT_DESCRIPTIONS

# The form's groups, in order; every field of the table appears exactly once.
GROUPS = (
    ("Grid (rows × columns)", ("activations", "lrs")),
    ("Data", ("dataset", "csv_path", "n_samples", "noise", "test_fraction", "probe", "seed")),
    ("Network", ("width", "depth", "init", "bias_value", "alpha", "batch_norm",
                 "bn_probe")),
    ("Training", ("optimizer", "momentum", "batch_size", "loss", "steps", "log_every",
                  "dtype")),
    ("Diagnostics and interventions", ("eps", "outlier_factor", "kick_std")),
)


class ControlsPanel(QtWidgets.QWidget):
    """Every knob of the experiment, grouped; emits `edited` when the user changes one.

    Signals
    -------
    edited()
        A knob was changed by the user (not by `set_config`).
    """

    edited = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("errorLabel")
        self.message.setStyleSheet(f"color: {theme.ERROR_HEX}; font-weight: bold;")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.widgets: dict[str, QtWidgets.QWidget] = {}
        for title, names in GROUPS:
            box, form = self._group(title)
            for name in names:
                spec = FIELDS[name]
                widget = field_widget(spec, tips=INIT_DESCRIPTIONS if name == "init" else None)
                if isinstance(widget, FieldCheck):
                    widget.setText("before each activation")
                widget.edited.connect(self._user_edit)
                self.widgets[name] = widget
                setattr(self, name, widget)
                row = widget
                if name == "csv_path":
                    row = self._with_browse(widget)
                form.addRow(field_label(spec), row)
            layout.addWidget(box)
        layout.addStretch(1)
        missing = set(FIELDS) - set(self.widgets)
        assert not missing, f"fields without a widget: {sorted(missing)}"

    # -- construction helpers -------------------------------------------------------------
    def _group(self, title: str) -> tuple[QtWidgets.QGroupBox, QtWidgets.QFormLayout]:
        box = QtWidgets.QGroupBox(title)
        form = QtWidgets.QFormLayout(box)
        form.setContentsMargins(6, 4, 6, 4)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return box, form

    def _with_browse(self, edit: QtWidgets.QLineEdit) -> QtWidgets.QWidget:
        browse = QtWidgets.QToolButton(text="…")
        browse.setToolTip("Choose a CSV file")
        browse.clicked.connect(self._browse)
        edit.setPlaceholderText("path of a CSV file (dataset csv)")
        row = QtWidgets.QWidget()
        box = QtWidgets.QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit)
        box.addWidget(browse)
        return row

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open a CSV data set", "",
                                                        "CSV files (*.csv);;All files (*)")
        if path:
            self.csv_path.set_value(path)
            self.dataset.set_value("csv")
            self._user_edit()

    def _user_edit(self, *_args) -> None:
        if not self._loading:
            self.edited.emit()

    # -- config in and out ----------------------------------------------------------------
    def set_config(self, config: ExperimentConfig) -> None:
        """Show `config` in every field exactly (no clamping), without emitting `edited`."""
        self._loading = True
        try:
            for name, widget in self.widgets.items():
                widget.set_value(getattr(config, name))
            self.momentum.setEnabled(config.optimizer != "sgd")
            self.bias_value.setEnabled(config.init == "negative_bias")
            self.csv_path.setEnabled(config.dataset == "csv")
        finally:
            self._loading = False

    def read_config(self, base: ExperimentConfig) -> ExperimentConfig:
        """Return `base` with every field as shown.

        Raises
        ------
        FieldError
            Naming the field whose value is not valid (`describe` words it for a person).
        """
        values = {name: widget_value(widget) for name, widget in self.widgets.items()}
        values["csv_path"] = values["csv_path"].strip()
        return base.replace(**values)

    @staticmethod
    def describe(exc: FieldError) -> str:
        """Word a refusal with the field's label, as the form shows it."""
        spec = FIELDS.get(exc.field)
        return f"{spec.label if spec else exc.field}: {exc.problem}"

    def show_message(self, text: str) -> None:
        """Show an error message above the fields (empty text hides it)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
