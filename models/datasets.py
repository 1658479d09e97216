"""Seeded toy datasets (2-D classification, 1-D regression), outlier batches and CSV import."""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.safe_io import UnsafePathError, open_regular

CLASSIFICATION = ("circle", "xor", "gaussian", "spiral", "moons")
REGRESSION = ("sine", "abs")
DATASET_NAMES: tuple[str, ...] = CLASSIFICATION + REGRESSION
MAX_CSV_ROWS = 200_000
MAX_CSV_BYTES = 64 * 1024 * 1024  # 200,000 rows of three long numbers fit with room
FLOAT32_MAX = float(np.finfo(np.float32).max)
TEST_STREAM = 3  # seed stream of held-out test points: [seed, 3] (batches 1, kicks 2)


class DatasetError(ValueError):
    """A dataset that cannot be used; the message names the file, line and column."""


@dataclass(frozen=True)
class Dataset:
    """Inputs and targets of one task.

    Attributes
    ----------
    x : numpy.ndarray
        Inputs, shape (n, d), float64.
    y : numpy.ndarray
        Targets, shape (n, 1): 0/1 labels for classification, values for regression.
    task : str
        ``"classification"`` or ``"regression"``.
    name : str
        Where it came from (a generator name or a file name).
    """

    x: np.ndarray
    y: np.ndarray
    task: str
    name: str

    @property
    def n_inputs(self) -> int:
        """Number of input features."""
        return int(self.x.shape[1])

    def __len__(self) -> int:
        return int(self.x.shape[0])


def make_dataset(name: str, n_samples: int = 512, noise: float = 0.1,
                 seed: int = 0) -> Dataset:
    """Generate a seeded toy dataset.

    Parameters
    ----------
    name : str
        One of `DATASET_NAMES`: circle, xor, gaussian, spiral, moons (2-D binary
        classification, inputs roughly in [-1, 1]^2) or sine, abs (1-D regression on [-1, 1]).
    n_samples : int
        Number of points.
    noise : float
        Standard deviation of Gaussian noise added to the inputs (classification) or the
        targets (regression), in data units.
    seed : int
        Seed of the generator; the same seed gives the same points.

    Returns
    -------
    Dataset
        The points.
    """
    return _draw(name, int(n_samples), noise, np.random.default_rng(seed))


def _draw(name: str, n: int, noise: float, rng: np.random.Generator) -> Dataset:
    """Draw `n` points of dataset `name` from `rng` (the one recipe of every toy set)."""
    if name not in DATASET_NAMES:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(DATASET_NAMES)}")
    if name in REGRESSION:
        x = rng.uniform(-1, 1, size=(n, 1))
        y = np.sin(np.pi * x) if name == "sine" else np.abs(x)
        y = y + noise * rng.standard_normal(y.shape)
        return Dataset(x, y, "regression", name)
    x, labels = _CLASSIFIERS[name](rng, n)
    x = x + noise * rng.standard_normal(x.shape)
    return Dataset(x, labels.astype(np.float64).reshape(-1, 1), "classification", name)


def _circle(rng, n):
    radius = np.sqrt(rng.uniform(0, 1, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    return x, radius < 0.5


def _xor(rng, n):
    x = rng.uniform(-1, 1, size=(n, 2))
    return x, x[:, 0] * x[:, 1] > 0


def _gaussian(rng, n):
    labels = rng.integers(0, 2, n).astype(bool)
    centre = np.where(labels[:, None], 0.5, -0.5)
    return centre + 0.3 * rng.standard_normal((n, 2)), labels


def _spiral(rng, n):
    labels = rng.integers(0, 2, n).astype(bool)
    t = rng.uniform(0, 1, n)
    radius = t
    angle = 1.75 * 2 * np.pi * t + np.pi * labels
    return np.c_[radius * np.sin(angle), radius * np.cos(angle)], labels


def _moons(rng, n):
    labels = rng.integers(0, 2, n).astype(bool)
    angle = rng.uniform(0, np.pi, n)
    upper = np.c_[np.cos(angle), np.sin(angle)]
    lower = np.c_[1 - np.cos(angle), 0.5 - np.sin(angle)]
    x = np.where(labels[:, None], lower, upper)
    return (x - [0.5, 0.25]) * [0.75, 1.0], labels


_CLASSIFIERS = {"circle": _circle, "xor": _xor, "gaussian": _gaussian, "spiral": _spiral,
                "moons": _moons}


def held_out_count(n_train: int, fraction: float) -> int:
    """Return how many test points sit beside `n_train` training points at a test `fraction`.

    The fraction is the test points' share of all points (training + test), so
    ``n_test = round(n_train * fraction / (1 - fraction))``: 128 beside 512 at 0.2.
    """
    if fraction <= 0:
        return 0
    return int(math.floor(n_train * fraction / (1.0 - fraction) + 0.5))


def make_held_out(name: str, n_train: int, fraction: float, noise: float = 0.1,
                  seed: int = 0) -> Dataset:
    """Draw a synthetic dataset's held-out test points: same distribution, same noise.

    The points come from their own seeded stream (``[seed, TEST_STREAM]``), independent of
    the training points (stream ``seed``), so the training set is the same whatever the
    fraction, and a fraction of 0 gives an empty set.

    Parameters
    ----------
    name : str
        One of `DATASET_NAMES`.
    n_train : int
        Training points (the config's samples).
    fraction : float
        Test points' share of all points, in [0, 1).
    noise, seed : float, int
        As for `make_dataset`.

    Returns
    -------
    Dataset
        ``held_out_count(n_train, fraction)`` points.
    """
    rng = np.random.default_rng([int(seed), TEST_STREAM])
    data = _draw(name, held_out_count(n_train, fraction), noise, rng)
    return Dataset(data.x, data.y, data.task, f"{name} (test)")


def split_held_out(data: Dataset, fraction: float, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Hold out a seeded random `fraction` of a dataset's rows (an imported CSV) for testing.

    Parameters
    ----------
    data : Dataset
        All the rows.
    fraction : float
        Share of the rows held out: ``round(fraction * len(data))`` of them, at most all
        but one.
    seed : int
        Seed of the choice (stream ``[seed, TEST_STREAM]``).

    Returns
    -------
    (Dataset, Dataset)
        Training rows and test rows, each in file order; together every row exactly once.
    """
    n = len(data)
    n_test = min(int(math.floor(n * fraction + 0.5)), n - 1) if fraction > 0 else 0
    test = np.zeros(n, bool)
    if n_test > 0:
        rng = np.random.default_rng([int(seed), TEST_STREAM])
        test[rng.choice(n, size=n_test, replace=False)] = True
    return (Dataset(data.x[~test], data.y[~test], data.task, data.name),
            Dataset(data.x[test], data.y[test], data.task, f"{data.name} (test)"))


def load_split(config) -> tuple[Dataset, Dataset]:
    """Return the training and held-out test data an `ExperimentConfig` names.

    A toy dataset's training points do not depend on ``test_fraction``: its test points
    are drawn from an independent seeded stream of the same distribution and noise
    (`make_held_out`). A CSV's rows are split: a seeded random
    ``test_fraction`` of them is held out (`split_held_out`).
    """
    if config.dataset == "csv":
        return split_held_out(load_csv(config.csv_path), config.test_fraction, config.seed)
    train = make_dataset(config.dataset, config.n_samples, config.noise, config.seed)
    test = make_held_out(config.dataset, config.n_samples, config.test_fraction,
                         config.noise, config.seed)
    return train, test


def outlier_batch(dataset: Dataset, factor: float = 300.0, seed: int = 0,
                  batch: tuple[np.ndarray, np.ndarray] | None = None,
                  size: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """Return an ordinary batch in which one point is abnormal: one feature is huge.

    The abnormal point keeps its target (a sensor glitch, not a relabelling); every other
    point of the batch is untouched, so the batch has its ordinary spread (under batch norm
    a batch of identical points would have zero variance and zero gradient).

    Parameters
    ----------
    dataset : Dataset
        The data whose scale (largest absolute input) sets the outlier's size.
    factor : float
        How many times the data's scale the outlier's feature is (10^2 to 10^3 is typical).
    seed : int
        Seed for choosing the point, the feature and its sign (and the rows when `batch`
        is None).
    batch : (numpy.ndarray, numpy.ndarray), optional
        The ordinary batch (inputs, targets) to put the outlier in; copied, not modified.
        When None, `size` rows of `dataset` drawn without replacement.
    size : int
        Rows of the batch drawn when `batch` is None (at most the data's length).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Inputs and targets of the batch, in the dtype of `batch` (float64 when drawn).
    """
    rng = np.random.default_rng(seed)
    if batch is None:
        rows = rng.choice(len(dataset), size=min(int(size), len(dataset)), replace=False)
        x, y = dataset.x[rows].copy(), dataset.y[rows].copy()
    else:
        x, y = np.array(batch[0], copy=True), np.array(batch[1], copy=True)
    row = int(rng.integers(0, len(x)))
    scale = float(np.max(np.abs(dataset.x))) or 1.0
    feature = int(rng.integers(0, x.shape[1]))
    x[row, feature] = factor * scale * rng.choice([-1.0, 1.0])
    return x, y


def load_csv(path: str | os.PathLike) -> Dataset:
    """Load a user's dataset: columns ``x1,x2,label`` (classification) or ``x,y`` (regression).

    Parameters
    ----------
    path : path-like
        A UTF-8 CSV file with a header row.

    Returns
    -------
    Dataset
        The points.

    Raises
    ------
    DatasetError
        On anything unusable, naming the file, the line and the column: a missing or wrong
        header, a non-numeric or non-finite value, a label other than 0 or 1, a short row,
        too few or too many rows, or an unreadable file.
    """
    file = Path(os.path.expanduser(os.fspath(path)))
    where = file.name
    try:
        fd = open_regular(file, where)
    except UnsafePathError as exc:
        raise DatasetError(str(exc)) from None
    except OSError as exc:
        raise DatasetError(f"{where}: cannot read: {exc.strerror or exc}") from None
    try:
        with open(fd, newline="", encoding="utf-8-sig") as handle:  # a BOM is accepted
            header, task, values = _read_csv_rows(_bounded_lines(handle, where), where)
    except UnicodeDecodeError:
        raise DatasetError(f"{where}: not a UTF-8 text CSV file") from None
    except OSError as exc:
        raise DatasetError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except csv.Error as exc:
        raise DatasetError(f"{where}: not valid CSV: {exc}") from None
    n_in = len(header) - 1
    return Dataset(values[:, :n_in].copy(), values[:, n_in:].copy(), task, file.stem)


def _bounded_lines(handle, where: str):
    """Yield the file's lines, refusing it as soon as it passes `MAX_CSV_BYTES`."""
    size = 0
    for line in handle:
        size += len(line)
        if size > MAX_CSV_BYTES:
            raise DatasetError(f"{where}: larger than {MAX_CSV_BYTES:,} bytes; "
                               f"a dataset has at most {MAX_CSV_ROWS:,} rows")
        yield line


def _csv_number(cell: str, where: str, line: int, column: str) -> float:
    """Parse one CSV cell: a finite number within float32 (``1_0`` is not 10)."""
    text = cell.strip()
    try:
        if "_" in text:
            raise ValueError
        value = float(text)
    except ValueError:
        raise DatasetError(f"{where}: line {line}, column {column}: "
                           f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise DatasetError(f"{where}: line {line}, column {column}: {text!r} is not finite")
    if abs(value) > FLOAT32_MAX:
        raise DatasetError(f"{where}: line {line}, column {column}: {text!r} is beyond "
                           f"float32 (at most {FLOAT32_MAX:.4g} in size)")
    return value


def _read_csv_rows(lines, where: str) -> tuple[list[str], str, np.ndarray]:
    """Parse the header and rows while streaming; the row limit is checked as rows arrive."""
    reader = csv.reader(lines)
    first = next(reader, None)
    if first is None:
        raise DatasetError(f"{where}: the file is empty; expected a header x1,x2,label or x,y")
    header = [h.strip().lower() for h in first]
    if header == ["x1", "x2", "label"]:
        task = "classification"
    elif header == ["x", "y"]:
        task = "regression"
    else:
        raise DatasetError(f"{where}: line 1: header is {','.join(first)!r}; "
                           "expected 'x1,x2,label' or 'x,y'")
    values: list[list[float]] = []
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(values) >= MAX_CSV_ROWS:
            raise DatasetError(f"{where}: more than {MAX_CSV_ROWS} data rows (line {line}); "
                               f"at most {MAX_CSV_ROWS} allowed")
        if len(row) != len(header):
            raise DatasetError(f"{where}: line {line}: {len(row)} values; "
                               f"expected {len(header)} ({','.join(header)})")
        numbers = [_csv_number(cell, where, line, header[j]) for j, cell in enumerate(row)]
        if task == "classification" and numbers[2] not in (0.0, 1.0):
            raise DatasetError(f"{where}: line {line}, column label: "
                               f"{row[2].strip()!r} is not 0 or 1")
        values.append(numbers)
    if len(values) < 4:
        raise DatasetError(f"{where}: only {len(values)} data rows; need at least 4")
    return header, task, np.array(values, dtype=float)
