"""Output targets and reads: FIFOs, links and odd files refused; folders written as a whole."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from models.atomic_write import atomic_write_text
from models.datasets import DatasetError, load_csv
from models.safe_io import (
    LineWriter,
    UnsafePathError,
    atomic_write_bytes,
    current_umask,
    output_folder,
    read_regular_bytes,
)
from models.session_file import SessionError, read_session, write_session


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.fixture
def link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("keep me\n")
    path = tmp_path / "link.txt"
    path.symlink_to(real)
    return path


def test_atomic_write_refuses_a_fifo_and_leaves_it_a_fifo(fifo):
    with pytest.raises(UnsafePathError, match="FIFO"):
        atomic_write_bytes(fifo, b"x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["pipe"]


def test_atomic_write_refuses_a_symlink_and_keeps_its_target(link):
    with pytest.raises(UnsafePathError, match="symbolic link"):
        atomic_write_text(link, "new")
    assert link.is_symlink()
    assert (link.parent / "real.txt").read_text() == "keep me\n"


def test_atomic_write_refuses_a_folder(tmp_path):
    with pytest.raises(UnsafePathError, match="folder"):
        atomic_write_bytes(tmp_path, b"x")


def test_written_files_get_the_umask_not_0600(tmp_path):
    path = atomic_write_bytes(tmp_path / "a.csv", b"x\n")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~current_umask()
    old = os.umask(0o002)
    try:
        path = atomic_write_bytes(tmp_path / "b.csv", b"x\n")
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o664
    finally:
        os.umask(old)


def test_tilde_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = atomic_write_text("~/x.txt", "hi")
    assert path == tmp_path / "x.txt" and path.read_text() == "hi"
    assert not (tmp_path / "~").exists()


def test_reads_refuse_a_fifo_without_blocking(fifo):
    with pytest.raises(UnsafePathError, match="FIFO"):
        read_regular_bytes(fifo, 100)
    with pytest.raises(SessionError, match="FIFO"):
        read_session(fifo)
    with pytest.raises(DatasetError, match="FIFO"):
        load_csv(fifo)


def test_read_limit_is_checked_while_reading(tmp_path):
    path = tmp_path / "big"
    path.write_bytes(b"x" * 1000)
    with pytest.raises(UnsafePathError, match="larger than 999"):
        read_regular_bytes(path, 999)
    assert read_regular_bytes(path, 1000) == b"x" * 1000


def test_a_deeply_nested_session_is_one_line_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(SessionError, match="nested more than") as info:
        read_session(path)
    assert "\n" not in str(info.value)
    nested: list = []
    for _ in range(70):  # parses fine, but deeper than a session may be
        nested = [nested]
    path.write_text(json.dumps({"format": "relu-lab-session", "schema_version": 1,
                                "tabs": {"networks": {"x": nested}}}))
    with pytest.raises(SessionError, match="nested more than 64"):
        read_session(path)


def test_a_session_with_a_bom_opens(tmp_path):
    path = write_session(tmp_path / "s.json", {"neuron": {"g_leak_ns": 10.0}})
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_session(path)["tabs"] == {"neuron": {"g_leak_ns": 10.0}}


def _csv(tmp_path, body: str, bom: bool = False):
    path = tmp_path / "d.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode())
    return path


def test_csv_with_a_bom_loads(tmp_path):
    data = load_csv(_csv(tmp_path, "x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n", bom=True))
    assert data.x.shape == (4, 2)


@pytest.mark.parametrize("cell,needle", [("1e39", "beyond float32"), ("-4e38", "beyond float32"),
                                         ("1_0", "not a number")])
def test_csv_values_beyond_float32_or_with_underscores_name_line_and_column(tmp_path, cell,
                                                                            needle):
    path = _csv(tmp_path, f"x1,x2,label\n0,0,0\n1,1,1\n0,{cell},1\n1,0,0\n")
    with pytest.raises(DatasetError, match=f"line 4, column x2: .*{needle}"):
        load_csv(path)


def test_csv_row_limit_is_checked_while_streaming(tmp_path, monkeypatch):
    import models.datasets as datasets

    monkeypatch.setattr(datasets, "MAX_CSV_ROWS", 5)
    lines = "".join(f"{i},0\n" for i in range(50))
    with pytest.raises(DatasetError, match=r"more than 5 data rows \(line 7\)"):
        load_csv(_csv(tmp_path, "x,y\n" + lines))


def test_output_folder_appears_only_when_complete(tmp_path):
    target = tmp_path / "run"
    with output_folder(target) as work:
        (work / "a.csv").write_text("1\n")
        assert not target.exists()
    assert (target / "a.csv").read_text() == "1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_output_folder_refuses_a_non_empty_folder_unless_overwrite(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "old.csv").write_text("old\n")
    with pytest.raises(UnsafePathError, match=r"not empty.*\(overwrite\)"):
        with output_folder(target):
            pass
    with output_folder(target, overwrite=True) as work:
        (work / "new.csv").write_text("new\n")
    assert sorted(p.name for p in target.iterdir()) == ["new.csv"]


def test_an_interrupted_folder_is_kept_as_partial_and_the_old_run_untouched(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "old.csv").write_text("old\n")
    with pytest.raises(KeyboardInterrupt) as info:
        with output_folder(target, overwrite=True) as work:
            with LineWriter(work / "rows.csv") as rows:
                rows.write("a\n")
            raise KeyboardInterrupt
    assert (target / "old.csv").read_text() == "old\n"
    assert (tmp_path / "run.partial" / "rows.csv").read_text() == "a\n"
    assert "incomplete" in "".join(getattr(info.value, "__notes__", []))


@pytest.mark.parametrize("kind", ["fifo", "link", "file"])
def test_output_folder_refuses_odd_targets_and_writes_nothing(tmp_path, kind):
    target = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link":
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    else:
        target.write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(UnsafePathError, match="output folder"):
        with output_folder(target):
            pass
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# -- the same refusals through the command line (in process) ------------------------------
import main  # noqa: E402
from cli.progress import Progress  # noqa: E402

TINY_SWEEP = ["sweep", "--samples", "64", "--width", "4", "--depth", "1", "--batch-size", "16",
              "--activations", "relu", "--lrs", "0.1", "--steps", "5", "--seeds", "1",
              "--workers", "1"]


def _one_line(capsys) -> str:
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_sweep_out_a_fifo_or_symlink_is_refused_and_left_alone(tmp_path, capsys, kind):
    target = tmp_path / "out.csv"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "real.csv").write_text("precious\n")
        target.symlink_to(tmp_path / "real.csv")
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main.main([*TINY_SWEEP, "--overwrite", "--out", str(target)])
    line = _one_line(capsys)
    assert code == 2 and line.startswith("main.py: error: --out:")
    assert ("FIFO" if kind == "fifo" else "symbolic link") in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if kind == "link":
        assert target.is_symlink() and (tmp_path / "real.csv").read_text() == "precious\n"
    else:
        assert stat.S_ISFIFO(os.lstat(target).st_mode)


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_grid_out_a_fifo_or_symlink_is_refused(tmp_path, capsys, kind):
    target = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    code = main.main(["grid", "--steps", "2", "--no-figures", "--out", str(target)])
    assert code == 2 and "--out" in _one_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out"] + ([] if kind == "fifo" else ["elsewhere"]))


def test_grid_refuses_an_earlier_run_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "run"
    assert main.main(["grid", "--steps", "2", "--no-figures", "--out", str(out)]) == 0
    first = (out / "grid.csv").read_bytes()
    capsys.readouterr()
    code = main.main(["grid", "--steps", "3", "--no-figures", "--out", str(out)])
    assert code == 2 and "--overwrite" in _one_line(capsys)
    assert (out / "grid.csv").read_bytes() == first
    assert main.main(["grid", "--steps", "3", "--no-figures", "--overwrite", "--out",
                      str(out)]) == 0
    assert (out / "grid.csv").read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_fifo_as_csv_is_refused_without_blocking(tmp_path, capsys, fifo):
    code = main.main(["grid", "--csv", str(fifo), "--out", str(tmp_path / "o")])
    line = _one_line(capsys)
    assert code == 2 and "--csv" in line and "FIFO" in line


@pytest.mark.slow
def test_out_with_a_tilde_is_expanded(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main.main([*TINY_SWEEP, "--out", "~/s.csv"]) == 0
    assert (tmp_path / "s.csv").exists()
    assert main.main(["grid", "--steps", "2", "--no-figures", "--out", "~/g"]) == 0
    assert (tmp_path / "g" / "grid.csv").exists()
    assert not any(p.name == "~" for p in Path.cwd().iterdir())


@pytest.mark.parametrize("argv,option", [
    (["grid", "--seed", "99999999999999"], "--seed"), (["grid", "--steps", "1_0"], "--steps"),
    (["grid", "--lrs", "1_0"], "--lrs"),
    (["neuron", "fi", "--seed", "99999999999999"], "--seed"),
])
def test_silent_nonsense_is_refused_at_parse_time(tmp_path, capsys, argv, option):
    assert main.main([*argv, "--out", str(tmp_path / "o")]) == 2  # argparse's status
    line = _one_line(capsys)
    assert f"argument {option}" in line
    assert not (tmp_path / "o").exists()


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.text, self.tty = "", tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


def test_progress_without_a_terminal_writes_whole_lines_every_interval():
    stream = _Stream(tty=False)
    bar = Progress(10, "sweep", "runs", stream=stream, every=0)
    for done in range(1, 4):
        bar.update(done)
    assert stream.text.count("\n") == 3 and "\r" not in stream.text
    assert stream.text.splitlines()[-1].startswith("sweep [") and "3/10" in stream.text
    quiet = _Stream(tty=False)
    bar = Progress(10, "sweep", "runs", stream=quiet, every=3600)
    for done in range(1, 10):
        bar.update(done)
    assert quiet.text.count("\n") == 1  # the first update only, then one per hour
