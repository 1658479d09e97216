"""Sweep files and clusters: another experiment refused, a lock, Dask faults in one line."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import main
from models.config import ExperimentConfig
from models.sweep.executor import run_sweep
from models.sweep.output import SweepBusyError, SweepFileError, sweep_lock
from models.sweep.spec import build_sweep_spec
from tests.test_reliability_signals import HANG, Running, done_count

ROOT = Path(__file__).resolve().parents[1]
BASE = ExperimentConfig(dataset="spiral", optimizer="sgd", n_samples=64, width=4, depth=1,
                        batch_size=16, activations=("relu",), lrs=(0.1,), steps=5)
TINY = ["--samples", "64", "--width", "4", "--depth", "1", "--batch-size", "16",
        "--activations", "relu", "--lrs", "0.1", "--steps", "5", "--seeds", "2"]


def spec(**changes):
    return build_sweep_spec(BASE.replace(**changes), 2, probe_every=5)


def one_line(capsys) -> str:
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


def test_resume_refuses_another_experiment_naming_the_first_difference(tmp_path):
    out = tmp_path / "s.csv"
    run_sweep(spec(), out, workers=1)
    before = out.read_bytes()
    with pytest.raises(SweepFileError, match=r"dataset was 'spiral', now 'moons'") as info:
        run_sweep(spec(dataset="moons", optimizer="adam"), out, workers=1, resume=True)
    assert info.value.field == "resume" and "--" not in str(info.value)
    assert out.read_bytes() == before
    # without its settings record the hash still tells the files apart
    (tmp_path / "s.csv.settings.json").unlink()
    with pytest.raises(SweepFileError, match="config_hash"):
        run_sweep(spec(optimizer="adam"), out, workers=1, resume=True)
    assert out.read_bytes() == before
    assert len(run_sweep(spec(), out, workers=1, resume=True)) == 2  # the same one resumes


@pytest.mark.slow
def test_resume_on_the_command_line_names_resume_and_the_setting(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main.main(["sweep", *TINY, "--workers", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    code = main.main(["sweep", *TINY, "--workers", "1", "--dataset", "moons", "--resume",
                      "--out", str(out)])
    assert code == 2
    line = one_line(capsys)
    assert line.startswith("main.py: error: --resume:") and "dataset" in line


def test_rows_record_the_experiment(tmp_path):
    out = tmp_path / "s.csv"
    run_sweep(spec(), out, workers=1)
    rows = list(csv.DictReader(out.open()))
    record = json.loads((tmp_path / "s.csv.settings.json").read_text())
    assert {r["config_hash"] for r in rows} == {record["config_hash"]}
    assert record["settings"]["dataset"] == "spiral" and record["settings"]["probe_every"] == 5


def test_a_second_sweep_on_a_locked_file_refuses_to_start(tmp_path, capsys):
    out = tmp_path / "s.csv"
    with sweep_lock(out):
        with pytest.raises(SweepBusyError, match="another sweep"):
            run_sweep(spec(), out, workers=1)
        code = main.main(["sweep", *TINY, "--workers", "1", "--out", str(out)])
        assert code == 2 and "another sweep" in one_line(capsys)
    assert not out.exists()
    assert len(run_sweep(spec(), out, workers=1)) == 2  # released with the holder


@pytest.mark.slow
def test_two_concurrent_sweeps_on_one_file_the_second_refused(tmp_path):
    out = tmp_path / "s.csv"
    first = Running("sweep", *TINY[:-4], "--steps", "3000", "--seeds", "4", "--workers", "1",
                    "--out", str(out))
    first.wait_for(lambda line: line.startswith("sweep [") and done_count(line) >= 1)
    workers = first.descendants()  # paused: the first sweep still runs, however slow the second
    for process in workers:
        process.suspend()
    try:
        second = subprocess.run([sys.executable, "main.py", "sweep", *TINY, "--resume",
                                 "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                                timeout=HANG)
    finally:
        for process in workers:
            process.resume()
    assert second.returncode == 2 and "another sweep" in second.stderr
    code, _ = first.finish()
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 4 and len({(r["seed"], r["lr"]) for r in rows}) == 4


@pytest.mark.parametrize("address,needle", [
    ("tls://127.0.0.1:8786", "tls://"), ("ucx://127.0.0.1:8786", "ucx://"),
    ("foo://127.0.0.1:8786", "foo://"), ("127.0.0.1", "HOST:PORT"),
])
def test_bad_scheduler_addresses_are_one_line(address, needle, tmp_path, capsys):
    code = main.main(["sweep", *TINY, "--scheduler", address, "--out", str(tmp_path / "s.csv")])
    line = one_line(capsys)
    assert code == 2 and "--scheduler" in line and needle in line
    assert sorted(os.listdir(tmp_path)) in ([], [".s.csv.lock"])


def test_workers_with_a_scheduler_is_refused(tmp_path, capsys):
    code = main.main(["sweep", *TINY, "--workers", "2", "--scheduler", "tcp://127.0.0.1:1",
                      "--out", str(tmp_path / "s.csv")])
    assert code == 2 and "--workers, --scheduler" in one_line(capsys)


@pytest.mark.parametrize("greeting", [b"", b"HTTP/1.0 200 OK\r\n\r\nhello"])
def test_a_port_that_is_not_a_scheduler_does_not_hang(greeting, tmp_path, capsys):
    pytest.importorskip("distributed")
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    held = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if greeting:
                conn.sendall(greeting)

    threading.Thread(target=accept, daemon=True).start()
    try:
        code = main.main(["sweep", *TINY, "--scheduler", f"tcp://127.0.0.1:{port}",
                          "--connect-timeout", "1", "--out", str(tmp_path / "s.csv")])
    finally:
        server.close()
        for conn in held:
            conn.close()
    line = one_line(capsys)
    assert code == 1 and line.startswith("main.py: error: --scheduler:")
    assert not (tmp_path / "s.csv").exists()


# -- a real scheduler and worker on 127.0.0.1 --------------------------------------------
class Cluster:
    """A Dask scheduler (and workers) as subprocesses of the test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.procs: list[subprocess.Popen] = []
        line = self._start([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
                            "127.0.0.1", "--port", "0", "--no-dashboard"], cwd=ROOT,
                           waitfor="Scheduler at")
        self.address = line.split("Scheduler at:", 1)[1].strip()

    def _start(self, command, cwd, waitfor: str, env=None) -> str:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        self.procs.append(proc)
        for line in proc.stderr:
            if waitfor in line:
                break
        else:
            raise AssertionError(f"{command[2]} did not start")
        threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
        return line

    def worker(self, cwd: Path = ROOT) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        self._start([sys.executable, "-m", "distributed.cli.dask_worker",
                            self.address, "--nthreads", "1", "--no-nanny",
                            "--no-dashboard"], cwd=cwd, waitfor="Registered to", env=env)
        return self.procs[-1]

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=HANG)


@pytest.fixture
def cluster(tmp_path):
    pytest.importorskip("distributed")
    cluster = Cluster(tmp_path)
    yield cluster
    cluster.close()


SLOW = ["--samples", "128", "--width", "8", "--depth", "1", "--batch-size", "32",
        "--activations", "relu,tanh", "--lrs", "0.1", "--seeds", "5", "--steps", "1500",
        "--probe-every", "50"]


@pytest.mark.slow
def test_worker_killed_mid_sweep_is_reported_and_resume_gives_every_row_once(cluster, tmp_path):
    out = tmp_path / "s.csv"
    worker = cluster.worker()
    sweep = Running("sweep", *SLOW, "--scheduler", cluster.address, "--no-worker-timeout", "3",
                    "--out", str(out))
    sweep.wait_for(lambda line: line.startswith("sweep [") and done_count(line) >= 1)
    worker.kill()
    code, lines = sweep.finish()
    final = [line for line in lines if not line.startswith("sweep [")]
    assert code == 1 and len(final) == 1, lines
    assert "no Dask worker has been alive for 3 s" in final[0] and "--resume" in final[0]
    kept = list(csv.DictReader(out.open()))
    assert 1 <= len(kept) < 10
    cluster.worker()
    resumed = Running("sweep", *SLOW, "--scheduler", cluster.address, "--resume",
                      "--out", str(out))
    code, lines = resumed.finish()
    assert code == 0, lines
    rows = list(csv.DictReader(out.open()))
    keys = [(r["activation"], r["seed"]) for r in rows]
    assert len(rows) == 10 and len(set(keys)) == 10
    assert all(r["status"] == "ok" for r in rows)
    assert rows[:len(kept)] == kept  # the finished rows were kept as they were


@pytest.mark.slow
def test_workers_that_cannot_import_the_lab_say_how_to_fix_it(cluster, tmp_path):
    cluster.worker(cwd=tmp_path)  # the project is not importable there
    out = tmp_path / "s.csv"
    command = [sys.executable, "main.py", "sweep", *TINY, "--scheduler", cluster.address,
               "--out", str(out)]
    failed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=HANG)
    lines = [line for line in failed.stderr.splitlines() if line.strip()]
    assert failed.returncode == 1 and len(lines) == 1, failed.stderr
    assert "install the lab on the workers" in lines[0] and "--upload" in lines[0]
    shipped = subprocess.run([*command, "--upload"], cwd=ROOT, capture_output=True,
                             text=True, timeout=HANG)
    assert shipped.returncode == 0, shipped.stderr
    assert len(list(csv.DictReader(out.open()))) == 2


@pytest.mark.slow
def test_scheduler_killed_mid_sweep_is_one_line_and_keeps_rows(cluster, tmp_path):
    out = tmp_path / "s.csv"
    cluster.worker()
    sweep = Running("sweep", *SLOW, "--scheduler", cluster.address, "--no-worker-timeout", "3",
                    "--out", str(out))
    sweep.wait_for(lambda line: line.startswith("sweep [") and done_count(line) >= 1)
    cluster.procs[0].kill()  # the scheduler
    code, lines = sweep.finish()
    final = [line for line in lines if not line.startswith("sweep [")]
    assert code == 1 and len(final) == 1, lines
    assert "scheduler" in final[0] and "--resume" in final[0] and "Traceback" not in final[0]
    assert len(list(csv.DictReader(out.open()))) >= 1
