"""Sweeps: the grid, identical rows whatever the executor, failed runs, resume from the file."""

import concurrent.futures as cf
import csv
import threading

import pytest

from models.config import ExperimentConfig
from models.sweep.executor import SweepExecutionError, iter_sweep, run_sweep
from models.sweep.io import read_rows
from models.sweep.output import SweepFileError
from models.sweep.run import RunTask, run_one
from models.sweep.spec import RunSpec, SweepError, SweepSpec, row_key, sweep_header

BASE = ExperimentConfig(dataset="spiral", n_samples=128, width=8, depth=2, batch_size=32)


def spec48(**changes):
    kwargs = dict(activations=("relu", "leaky_relu", "tanh"), lrs=(0.01, 0.3, 3.0, 100.0),
                  seeds=4, steps=40, probe_every=10, base=BASE)
    kwargs.update(changes)
    return SweepSpec(**kwargs)


def lines(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read().splitlines()
    return text[0], sorted(text[1:])


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The 48-run sweep run in one worker process: the rows every other way must match."""
    out = tmp_path_factory.mktemp("ref") / "one.csv"
    rows = run_sweep(spec48(), out, workers=1)
    assert len(rows) == 48
    return lines(out)


def test_spec_grid_and_validation():
    spec = spec48(inits=("he", "xavier"), depths=(1, 3), widths=(4,))
    runs = spec.runs()
    assert len(runs) == len(spec) == 3 * 4 * 4 * 2 * 2
    assert len({r.key for r in runs}) == len(runs)
    assert spec.header() == sweep_header(3)
    assert "dead_fraction_layer2" in spec.header()
    assert SweepSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(SweepError, match="lrs"):
        spec48(lrs=(0.0,))
    with pytest.raises(SweepError, match="seeds"):
        spec48(seeds=0)
    with pytest.raises(SweepError, match="activations"):
        spec48(activations=())


def test_row_contents_and_thresholds(reference):
    header, body = reference
    rows = [dict(zip(header.split(","), r)) for r in csv.reader(body)]
    assert {r["status"] for r in rows} == {"ok"}
    for r in rows:
        lr = float(r["lr"])
        if lr == 100.0 and r["activation"] == "leaky_relu":
            assert r["diverged"] == "1"
        if lr == 100.0 and r["activation"] == "relu":  # it dies (or diverges)
            assert r["diverged"] == "1" or float(r["dead_fraction"]) > 0.5
        if lr < 100.0:
            assert r["diverged"] == "0"
            assert 0.0 <= float(r["dead_fraction"]) <= 1.0
        steps = [r[f"step_dead_{p}"] for p in (10, 25, 50)]
        known = [int(s) for s in steps if s]
        assert known == sorted(known)  # 10% is crossed no later than 25%, 25% than 50%
        if float(r["dead_fraction"]) > 0.5 and r["diverged"] == "0":
            assert r["step_dead_50"] != ""
    # direct run of one point matches its row (same numbers, no executor involved)
    row = run_one(RunTask(BASE, RunSpec("relu", 3.0, 1, "he", 2, 8, 40), 10, 2))
    line = ",".join(row[h] for h in header.split(","))
    assert line in body


def test_two_workers_give_identical_rows(reference, tmp_path):
    run_sweep(spec48(), tmp_path / "two.csv", workers=2)
    assert lines(tmp_path / "two.csv") == reference


def test_thread_executor_gives_identical_rows(reference, tmp_path):
    with cf.ThreadPoolExecutor(2) as pool:
        run_sweep(spec48(), tmp_path / "threads.csv", executor=pool)
    assert lines(tmp_path / "threads.csv") == reference


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_rows(reference, tmp_path):
    distributed = pytest.importorskip("distributed", reason="dask[distributed] not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        run_sweep(spec48(), tmp_path / "dask.csv", scheduler=cluster.scheduler_address)
    assert lines(tmp_path / "dask.csv") == reference


def test_unreachable_scheduler_fails_fast_and_writes_nothing(tmp_path):
    pytest.importorskip("distributed", reason="dask[distributed] not installed")
    out = tmp_path / "x.csv"
    with pytest.raises(SweepExecutionError, match="cannot reach a Dask scheduler"):
        run_sweep(spec48(), out, scheduler="tcp://127.0.0.1:1", connect_timeout=1)
    assert not out.exists()


def test_failing_runs_become_failed_rows(tmp_path):
    spec = spec48(activations=("relu",), lrs=(0.1,), seeds=2, widths=(8, 2000))
    rows = run_sweep(spec, tmp_path / "f.csv", workers=2)
    assert len(rows) == 4
    failed = [r for r in rows if r["status"] == "failed"]
    ok = [r for r in rows if r["status"] == "ok"]
    assert {r["width"] for r in failed} == {"2000"}
    assert all("width" in r["message"] and "1024" in r["message"] for r in failed)
    assert len(ok) == 2 and all(r["final_loss"] for r in ok)
    # resume keeps the failed rows: finished means finished
    again = list(iter_sweep(spec, tmp_path / "f.csv", workers=1, resume=True))
    assert len(again) == 1 and again[0].resumed == 4 and again[0].failed == 2


def test_refuses_to_overwrite_without_a_flag(tmp_path):
    out = tmp_path / "o.csv"
    spec = spec48(activations=("relu",), lrs=(0.1,), seeds=1)
    run_sweep(spec, out, workers=1)
    # the model layer names no command-line flag (a window user has none to pass)
    with pytest.raises(SweepFileError, match=r"\(resume\) or .*\(overwrite\)") as info:
        run_sweep(spec, out, workers=1)
    assert "--" not in str(info.value)
    assert len(run_sweep(spec, out, workers=1, overwrite=True)) == 1


def test_resume_after_a_torn_last_line(reference, tmp_path):
    header, body = reference
    out = tmp_path / "torn.csv"
    kept = body[:17]
    torn = body[17][: len(body[17]) // 2]
    out.write_text(header + "\n" + "\n".join(kept) + "\n" + torn, encoding="utf-8")
    rows, repair = read_rows(out, header.split(","))
    assert len(rows) == 17 and repair
    reports = list(iter_sweep(spec48(), out, workers=2, resume=True))
    assert reports[0].resumed == 17
    assert reports[-1].done == 48 and len(reports) == 1 + 48 - 17
    assert lines(out) == reference


def test_resume_drops_duplicates_and_rejects_another_sweep(reference, tmp_path):
    header, body = reference
    out = tmp_path / "dup.csv"
    out.write_text(header + "\n" + "\n".join(body[:5] + body[:3]) + "\n", encoding="utf-8")
    run_sweep(spec48(), out, workers=1, resume=True)
    assert lines(out) == reference
    with pytest.raises(ValueError, match="columns"):
        run_sweep(spec48(depths=(5,)), out, workers=1, resume=True)
    keys = [row_key(dict(zip(header.split(","), r))) for r in csv.reader(body)]
    assert len(set(keys)) == 48


@pytest.mark.slow
def test_cancel_stops_and_keeps_finished_rows(tmp_path):
    out = tmp_path / "c.csv"
    spec = spec48(activations=("relu", "tanh"), lrs=(0.1, 1.0), seeds=3, steps=600)
    cancel = threading.Event()
    for progress in iter_sweep(spec, out, workers=1, cancel=cancel):
        if progress.done >= 1:
            cancel.set()
    assert progress.cancelled and 1 <= progress.done < 12
    header = spec.header()
    rows, _ = read_rows(out, header)
    assert len(rows) == progress.done
    run_sweep(spec, out, workers=2, resume=True)
    rows, repair = read_rows(out, header)
    assert not repair
    assert sorted(row_key(r) for r in rows) == sorted(r.key for r in spec.runs())


def test_missing_dask_gives_a_clear_message(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(SweepError, match=r"dask\[distributed\]"):
        run_sweep(spec48(), tmp_path / "x.csv", scheduler="tcp://127.0.0.1:8786")
    assert not (tmp_path / "x.csv").exists()


def test_more_local_workers_than_the_limit_are_refused_naming_workers(tmp_path):
    from models.sweep.executor import MAX_WORKERS

    with pytest.raises(SweepError, match=f"workers: 256; give between 1 and {MAX_WORKERS}"):
        run_sweep(spec48(), tmp_path / "x.csv", workers=256)
    assert not (tmp_path / "x.csv").exists()
