"""The Networks tab's knobs: one typed, validated field for every `ExperimentConfig` field."""

from __future__ import annotations

import re

from PySide6 import QtCore, QtWidgets

from gui import theme
from models.activations import ACTIVATION_NAMES
from models.config import MAX_DEPTH, MAX_SAMPLES, MAX_STEPS, MAX_WIDTH, ExperimentConfig
from models.datasets import DATASET_NAMES
from models.initializers import INIT_DESCRIPTIONS, INIT_NAMES
from models.network import LOSS_NAMES
from models.optimizers import OPTIMIZER_NAMES

_SPLIT = re.compile(r"[,;\s]+")


def parse_lrs(text: str) -> tuple[float, ...]:
    """Parse the learning-rate field (``0.003, 0.03, 0.3``).

    Raises
    ------
    ValueError
        Naming the field and the first entry that is not a positive, finite number.
    """
    items = [t for t in _SPLIT.split(text.strip()) if t]
    if not items:
        raise ValueError("learning rates: type at least one number, e.g. 0.01, 0.1, 1")
    values = []
    for item in items:
        try:
            value = float(item)
        except ValueError:
            raise ValueError(f"learning rates: {item!r} is not a number "
                             f"(type numbers separated by commas, e.g. 0.01, 0.1, 1)") from None
        if not value > 0 or value == float("inf"):
            raise ValueError(f"learning rates: {item} must be a finite number greater than 0")
        values.append(value)
    return tuple(values)


def parse_activations(text: str) -> tuple[str, ...]:
    """Parse the activations field (``relu, leaky_relu, elu``).

    Raises
    ------
    ValueError
        Naming the field and the first unknown activation.
    """
    items = [t for t in _SPLIT.split(text.strip()) if t]
    if not items:
        raise ValueError("activations: type at least one activation, e.g. relu, leaky_relu")
    for item in items:
        if item not in ACTIVATION_NAMES:
            raise ValueError(f"activations: {item!r} is not an activation; choose from "
                             f"{', '.join(ACTIVATION_NAMES)}")
    return tuple(items)


def parse_positive(text: str, field: str) -> float:
    """Parse a positive number typed into field `field` (e.g. ``1e-6``)."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{field}: {text!r} is not a number") from None
    if not value > 0:
        raise ValueError(f"{field}: {text} must be greater than 0")
    return value


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

        grid_box, grid_form = self._group("Grid (rows × columns)")
        self.activations = QtWidgets.QLineEdit()
        self.activations.setToolTip("Rows of the grid, comma separated: "
                                    + ", ".join(ACTIVATION_NAMES))
        self.lrs = QtWidgets.QLineEdit()
        self.lrs.setToolTip("Columns of the grid: learning rates, comma separated numbers")
        grid_form.addRow("activations", self.activations)
        grid_form.addRow("learning rates", self.lrs)

        data_box, data_form = self._group("Data")
        self.dataset = self._combo(DATASET_NAMES + ("csv",))
        self.csv_path = QtWidgets.QLineEdit()
        self.csv_path.setPlaceholderText("path of a CSV file (dataset csv)")
        browse = QtWidgets.QToolButton(text="…")
        browse.setToolTip("Choose a CSV file")
        browse.clicked.connect(self._browse)
        csv_row = QtWidgets.QHBoxLayout()
        csv_row.setContentsMargins(0, 0, 0, 0)
        csv_row.addWidget(self.csv_path)
        csv_row.addWidget(browse)
        self.n_samples = self._spin(8, MAX_SAMPLES)
        self.noise = self._dspin(0.0, 10.0, 3, 0.05)
        self.probe = self._combo(("train", "held_out"))
        self.seed = self._spin(0, 2**31 - 1)
        data_form.addRow("dataset", self.dataset)
        data_form.addRow("CSV file", csv_row)
        data_form.addRow("samples", self.n_samples)
        data_form.addRow("noise", self.noise)
        data_form.addRow("probe set", self.probe)
        data_form.addRow("seed", self.seed)

        net_box, net_form = self._group("Network")
        self.width = self._spin(1, MAX_WIDTH)
        self.depth = self._spin(1, MAX_DEPTH)
        self.init = self._combo(INIT_NAMES)
        for i, name in enumerate(INIT_NAMES):
            self.init.setItemData(i, INIT_DESCRIPTIONS.get(name, name),
                                  QtCore.Qt.ItemDataRole.ToolTipRole)
        self.bias_value = self._dspin(-100.0, 100.0, 2, 0.25)
        self.bias_value.setToolTip("Bias of every hidden unit under the negative_bias init")
        self.alpha = self._dspin(0.0, 1.0, 4, 0.01)
        self.alpha.setToolTip("Negative-side slope of Leaky ReLU (and PReLU's start)")
        self.batch_norm = QtWidgets.QCheckBox("before each activation")
        self.batch_norm.toggled.connect(self._user_edit)
        net_form.addRow("width (units)", self.width)
        net_form.addRow("depth (layers)", self.depth)
        net_form.addRow("init", self.init)
        net_form.addRow("bias value", self.bias_value)
        net_form.addRow("leaky alpha", self.alpha)
        net_form.addRow("batch norm", self.batch_norm)

        train_box, train_form = self._group("Training")
        self.optimizer = self._combo(OPTIMIZER_NAMES)
        self.momentum = self._dspin(0.0, 0.9999, 4, 0.05)
        self.batch_size = self._spin(1, MAX_SAMPLES)
        self.loss = self._combo(("auto",) + LOSS_NAMES)
        self.steps = self._spin(1, MAX_STEPS)
        self.steps.setToolTip("Training pauses after this many steps")
        self.log_every = self._spin(1, 100_000)
        self.log_every.setToolTip("Steps between two probes of the grid (at most)")
        self.dtype = self._combo(("float32", "float64"))
        train_form.addRow("optimizer", self.optimizer)
        train_form.addRow("momentum", self.momentum)
        train_form.addRow("batch size", self.batch_size)
        train_form.addRow("loss", self.loss)
        train_form.addRow("stop after (steps)", self.steps)
        train_form.addRow("probe every (steps)", self.log_every)
        train_form.addRow("precision", self.dtype)

        diag_box, diag_form = self._group("Diagnostics and interventions")
        self.eps = QtWidgets.QLineEdit()
        self.eps.setToolTip("A unit is dead when its activation derivative is below eps on "
                            "every probe point")
        self.eps.editingFinished.connect(self._text_edit)
        self.outlier_factor = self._dspin(1.0, 1e6, 1, 10.0)
        self.outlier_factor.setToolTip("Size of the injected outlier, in data standard "
                                       "deviations")
        self.kick_std = self._dspin(0.001, 100.0, 3, 0.1)
        self.kick_std.setToolTip("Standard deviation of the thermal kick")
        diag_form.addRow("dead if derivative <", self.eps)
        diag_form.addRow("outlier size (×)", self.outlier_factor)
        diag_form.addRow("kick std", self.kick_std)

        for edit in (self.activations, self.lrs, self.csv_path):
            edit.editingFinished.connect(self._text_edit)

        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("errorLabel")
        self.message.setStyleSheet(f"color: {theme.ERROR_HEX}; font-weight: bold;")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        for box in (grid_box, data_box, net_box, train_box, diag_box):
            layout.addWidget(box)
        layout.addStretch(1)
        self._texts: dict[QtWidgets.QLineEdit, str] = {}

    # -- construction helpers -------------------------------------------------------------
    def _group(self, title: str) -> tuple[QtWidgets.QGroupBox, QtWidgets.QFormLayout]:
        box = QtWidgets.QGroupBox(title)
        form = QtWidgets.QFormLayout(box)
        form.setContentsMargins(6, 4, 6, 4)
        form.setVerticalSpacing(3)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return box, form

    def _combo(self, items) -> QtWidgets.QComboBox:
        combo = QtWidgets.QComboBox()
        combo.addItems(list(items))
        combo.currentIndexChanged.connect(self._user_edit)
        return combo

    def _spin(self, low: int, high: int) -> QtWidgets.QSpinBox:
        spin = QtWidgets.QSpinBox()
        spin.setRange(low, high)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._user_edit)
        return spin

    def _dspin(self, low: float, high: float, decimals: int, step: float):
        spin = QtWidgets.QDoubleSpinBox()
        spin.setDecimals(decimals)
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._user_edit)
        return spin

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open a CSV data set", "",
                                                        "CSV files (*.csv);;All files (*)")
        if path:
            self.csv_path.setText(path)
            self.dataset.setCurrentText("csv")
            self._user_edit()

    def _user_edit(self, *_args) -> None:
        if not self._loading:
            self.edited.emit()

    def _text_edit(self) -> None:
        edit = self.sender()
        if isinstance(edit, QtWidgets.QLineEdit) and self._texts.get(edit) == edit.text():
            return  # focus left the field without a change
        if isinstance(edit, QtWidgets.QLineEdit):
            self._texts[edit] = edit.text()
        self._user_edit()

    # -- config in and out ----------------------------------------------------------------
    def set_config(self, config: ExperimentConfig) -> None:
        """Show `config` in every field, without emitting `edited`."""
        self._loading = True
        try:
            self.activations.setText(", ".join(config.activations))
            self.lrs.setText(", ".join(f"{lr:g}" for lr in config.lrs))
            self.dataset.setCurrentText(config.dataset)
            self.csv_path.setText(config.csv_path)
            self.n_samples.setValue(config.n_samples)
            self.noise.setValue(config.noise)
            self.probe.setCurrentText(config.probe)
            self.seed.setValue(min(config.seed, 2**31 - 1))
            self.width.setValue(config.width)
            self.depth.setValue(config.depth)
            self.init.setCurrentText(config.init)
            self.bias_value.setValue(config.bias_value)
            self.alpha.setValue(config.alpha)
            self.batch_norm.setChecked(config.batch_norm)
            self.optimizer.setCurrentText(config.optimizer)
            self.momentum.setValue(config.momentum)
            self.batch_size.setValue(config.batch_size)
            self.loss.setCurrentText(config.loss)
            self.steps.setValue(config.steps)
            self.log_every.setValue(config.log_every)
            self.dtype.setCurrentText(config.dtype)
            self.eps.setText(f"{config.eps:g}")
            self.outlier_factor.setValue(config.outlier_factor)
            self.kick_std.setValue(config.kick_std)
            for edit in (self.activations, self.lrs, self.csv_path, self.eps):
                self._texts[edit] = edit.text()
            self.momentum.setEnabled(config.optimizer != "sgd")
            self.bias_value.setEnabled(config.init == "negative_bias")
            self.csv_path.setEnabled(config.dataset == "csv")
        finally:
            self._loading = False

    def read_config(self, base: ExperimentConfig) -> ExperimentConfig:
        """Return `base` with every field as typed.

        Raises
        ------
        ValueError
            (or `models.config.ConfigError`) naming the field whose text is not valid.
        """
        return base.replace(
            activations=parse_activations(self.activations.text()),
            lrs=parse_lrs(self.lrs.text()),
            dataset=self.dataset.currentText(),
            csv_path=self.csv_path.text().strip(),
            n_samples=self.n_samples.value(),
            noise=self.noise.value(),
            probe=self.probe.currentText(),
            seed=self.seed.value(),
            width=self.width.value(),
            depth=self.depth.value(),
            init=self.init.currentText(),
            bias_value=self.bias_value.value(),
            alpha=self.alpha.value(),
            batch_norm=self.batch_norm.isChecked(),
            optimizer=self.optimizer.currentText(),
            momentum=self.momentum.value(),
            batch_size=min(self.batch_size.value(), self.n_samples.value()),
            loss=self.loss.currentText(),
            steps=self.steps.value(),
            log_every=self.log_every.value(),
            dtype=self.dtype.currentText(),
            eps=parse_positive(self.eps.text(), "dead if derivative < (eps)"),
            outlier_factor=self.outlier_factor.value(),
            kick_std=self.kick_std.value(),
        )

    def show_message(self, text: str) -> None:
        """Show an error message above the fields (empty text hides it)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
