"""Datasets, the outlier batch, CSV import errors, and the initialisers' statistics."""

import numpy as np
import pytest

from models.datasets import DATASET_NAMES, DatasetError, load_csv, make_dataset, outlier_batch
from models.initializers import INIT_NAMES, init_layer, weight_variance


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_datasets_are_seeded_and_shaped(name):
    a = make_dataset(name, 300, 0.1, seed=4)
    b = make_dataset(name, 300, 0.1, seed=4)
    c = make_dataset(name, 300, 0.1, seed=5)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    assert a.x.shape[0] == a.y.shape[0] == 300 and a.y.shape[1] == 1
    if a.task == "classification":
        assert set(np.unique(a.y)) == {0.0, 1.0}
        assert a.x.shape[1] == 2


def test_outlier_batch_has_a_huge_feature():
    data = make_dataset("spiral", 200, 0.1, seed=0)
    x, y = outlier_batch(data, factor=500.0, seed=3, size=32)
    scale = np.abs(data.x).max()
    assert np.isclose(np.abs(x).max(), 500.0 * scale)
    # one abnormal point among ordinary ones (not two identical rows labelled 0 and 1)
    assert np.sum(np.abs(x).max(axis=1) > scale) == 1 and len(np.unique(x, axis=0)) == 32
    assert set(np.unique(y[:, 0])) <= {0.0, 1.0}


@pytest.mark.parametrize("text, needle", [
    ("x1,x2,label\n1,2,0\n1,abc,1\n0,0,1\n1,1,0\n", "line 3, column x2: 'abc'"),
    ("x1,x2,label\n1,2,0\n1,2,1\n0,0,3\n1,1,0\n", "line 4, column label"),
    ("x1,x2,label\n1,2,0\n1,2\n0,0,1\n1,1,0\n", "line 3: 2 values"),
    ("a,b\n1,2\n", "line 1: header"),
    ("x,y\n1,2\n1,inf\n0,0\n1,1\n", "line 3, column y"),
    ("", "empty"),
])
def test_malformed_csv_names_line_and_column(tmp_path, text, needle):
    path = tmp_path / "data.csv"
    path.write_text(text)
    with pytest.raises(DatasetError, match=needle):
        load_csv(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DatasetError):
        load_csv(path)


def test_csv_round_trip(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("x,y\n0,0\n1,1\n2,4\n3,9\n")
    data = load_csv(path)
    assert data.task == "regression"
    np.testing.assert_array_equal(data.y[:, 0], [0, 1, 4, 9])


@pytest.mark.parametrize("scheme", [s for s in INIT_NAMES if s not in ("zeros", "rai")])
def test_initialiser_variance(scheme):
    rng = np.random.default_rng(0)
    w, _ = init_layer(scheme, 400, 300, rng, alpha=0.3)
    expected = weight_variance(scheme, 400, 300, alpha=0.3)
    assert abs(w.var() / expected - 1) < 0.02


def test_he_leaky_variance_formula():
    assert weight_variance("he_leaky", 100, 7, alpha=0.5) == pytest.approx(2 / (1.25 * 100))


def test_rai_rows_have_one_beta_entry():
    rng = np.random.default_rng(0)
    w, b = init_layer("rai", 50, 4000, rng)
    rows = np.column_stack([w.T, b])
    # each row's replaced entry comes from Beta(2, 1): mean 2/3, in [0, 1]
    others_std = 0.6007 / np.sqrt(50)
    large = np.abs(rows) > 6 * others_std
    assert np.all(large.sum(axis=1) <= 1)
    assert abs(rows.var() * 51 / 50 - others_std**2) < 0.1 * others_std**2 + 0.02
    sample = rows[large]
    assert np.all((sample > 0) & (sample <= 1))
