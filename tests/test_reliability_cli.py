"""Every command-line option with a bad value: one line naming it, no traceback, no work.

Each case runs `main.main` in the test's process (the `run_main` fixture): a refusal happens
before any work, so a fresh interpreter per case would only add its start-up.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--steps", "1", "--samples", "16", "--batch-size", "8", "--width", "2", "--depth", "1",
        "--activations", "relu", "--lrs", "0.1"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Bad input files: binary, truncated, empty, a plain file to put a folder under."""
    folder = tmp_path_factory.mktemp("bad-inputs")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "truncated.csv").write_text("x1,x2,label\n0.1,0.2,1\n0.3,")
    (folder / "truncated.json").write_text('{"format": "relu-lab-session", "schema')
    (folder / "a_file").write_text("not a folder\n")
    (folder / "one_line.csv").write_text("someone else's notes, no newline")
    (folder / "other_header.csv").write_text("a,b\n1,2\n")
    return folder


# (arguments with {d} for the bad-input folder, text the single error line must contain)
CASES = [
    # grid: numbers
    (["grid", *TINY, "--width", ""], "--width"),
    (["grid", *TINY, "--width", "wide"], "--width"),
    (["grid", *TINY, "--width", "nan"], "--width"),
    (["grid", *TINY, "--width", "-3"], "--width"),
    (["grid", *TINY, "--width", "0"], "--width"),
    (["grid", *TINY, "--width", "100000", "--depth", "64"], "--width"),
    (["grid", *TINY, "--width", "1024", "--depth", "64"], "--width: "),
    (["grid", *TINY, "--depth", "99999999999999999999"], "--depth"),
    (["grid", *TINY, "--noise", "inf"], "--noise"),
    (["grid", *TINY, "--noise", "1e300"], "--noise"),
    (["grid", *TINY, "--samples", "1000000000"], "--samples"),
    (["grid", *TINY, "--bias-value", "abc"], "--bias-value"),
    (["grid", *TINY, "--bias-value", "nan"], "--bias-value"),
    (["grid", *TINY, "--alpha", "5"], "--alpha"),
    (["grid", *TINY, "--batch-size", "100000"], "--batch-size"),
    (["grid", *TINY, "--lrs", "fast"], "--lrs"),
    (["grid", *TINY, "--lrs", "0.1,nan"], "--lrs"),
    (["grid", *TINY, "--lrs", "1e300"], "--lrs"),
    (["grid", *TINY, "--lrs", ""], "--lrs"),
    (["grid", *TINY, "--activations", "relu,relu"], "--activations"),
    (["grid", *TINY, "--activations", "nope"], "--activations"),
    (["grid", *TINY, "--steps", "100000000"], "--steps"),
    (["grid", *TINY, "--log-every", "0"], "--log-every"),
    (["grid", *TINY, "--seed", "99999999999"], "--seed"),
    # grid: names and files
    (["grid", *TINY, "--preset", ""], "--preset"),
    (["grid", *TINY, "--preset", "no-such-preset"], "--preset"),
    (["grid", *TINY, "--dataset", "nope"], "--dataset"),
    (["grid", *TINY, "--csv", ""], "--csv"),
    (["grid", *TINY, "--csv", "{d}/missing.csv"], "--csv"),
    (["grid", *TINY, "--csv", "{d}/binary.bin"], "--csv"),
    (["grid", *TINY, "--csv", "{d}/empty.txt"], "--csv"),
    (["grid", *TINY, "--csv", "{d}/truncated.csv"], "--csv"),
    (["grid", *TINY, "--csv", "{d}"], "--csv"),
    # sweep
    (["sweep", *TINY, "--seeds", "1000000"], "--seeds"),
    (["sweep", *TINY, "--seeds", "100000", "--lrs", "0.1,0.2,0.3"], "--seeds"),
    (["sweep", *TINY, "--seeds", "4", "--seed", "4294967295"], "--seed"),
    (["sweep", *TINY, "--depths", "99999999999"], "--depths"),
    (["sweep", *TINY, "--widths", "100000"], "--widths"),
    (["sweep", *TINY, "--widths", "1024", "--depths", "64"], "--widths"),
    (["sweep", *TINY, "--widths", ""], "--widths"),
    (["sweep", *TINY, "--inits", "he,he"], "--inits"),
    (["sweep", *TINY, "--probe-every", "1e9"], "--probe-every"),
    (["sweep", *TINY, "--workers", "100000"], "--workers"),
    (["sweep", *TINY, "--connect-timeout", "1e300"], "--connect-timeout"),
    (["sweep", *TINY, "--connect-timeout", "nan"], "--connect-timeout"),
    (["sweep", *TINY, "--scheduler", ""], "--scheduler"),
    (["sweep", *TINY, "--scheduler", "not-an-address"], "--scheduler"),
    (["sweep", *TINY, "--csv", "{d}/binary.bin"], "--csv"),
    (["sweep", *TINY, "--csv", "{d}/missing.csv"], "--csv"),
    (["sweep", *TINY, "--preset", ""], "--preset"),
    (["sweep", *TINY, "--resume", "--overwrite"], "--resume"),
    # theory
    (["theory", "born-dead", "--trials", "1e9"], "--trials"),
    (["theory", "born-dead", "--trials", "10000000"], "--trials"),
    (["theory", "born-dead", "--trials", "10", "--widths", "100000"], "--widths"),
    (["theory", "born-dead", "--trials", "10", "--depths", "100000"], "--depths"),
    (["theory", "born-dead", "--trials", "1000000", "--widths", "64", "--depths", "500"],
     "--trials"),
    (["theory", "gradients", "--points", "1000000000"], "--points"),
    (["theory", "gradients", "--points", "1000000", "--width", "1024"], "--points"),
    (["theory", "gradients", "--alphas", "2"], "--alphas"),
    (["theory", "gradients", "--alphas", "fast"], "--alphas"),
    (["theory", "propagation", "--alpha", "nan"], "--alpha"),
    (["theory", "propagation", "--depth", "100000"], "--depth"),
    (["theory", "pruning", "--prune-lr", "1e300"], "--prune-lr"),
    (["theory", "pruning", "--prune-width", "1024", "--prune-depth", "64"], "--prune-width"),
    (["theory", "sigmoid", "--seed", "-1"], "--seed"),
    (["theory", "nope"], "section"),
    # export and gui (refused before any window is built)
    (["export", "--session", "{d}/binary.bin"], "--session"),
    (["export", "--session", "{d}/truncated.json"], "--session"),
    (["export", "--session", "{d}/empty.txt"], "--session"),
    (["export", "--session", "{d}/missing.json"], "--session"),
    (["export", "--session", ""], "--session"),
    (["export", "--preset", ""], "--preset"),
    (["export", "--preset", "no-such-preset"], "--preset"),
    (["export", "--steps", "100000000000"], "--steps"),
    (["export", "--timeout", "nan"], "--timeout"),
    (["gui", "--session", "{d}/binary.bin"], "--session"),
    (["gui", "--session", "{d}/truncated.json"], "--session"),
    (["gui", "--session", "{d}/empty.txt"], "--session"),
    (["gui", "--session", ""], "--session"),
    (["gui", "--preset", ""], "--preset"),
    (["gui", "--preset", "no-such-preset"], "--preset"),
    (["gui", "--quit-after", "1e300"], "--quit-after"),
    (["gui", "--quit-after", "nan"], "--quit-after"),
    # neuron: absurd sizes are refused by the parser
    (["neuron", "fi", "--n-neurons", "10000000"], "--n-neurons"),
    (["neuron", "fi", "--currents", "0:1:100000000"], "--currents"),
    (["neuron", "fi", "--duration-s", "1e9"], "--duration-s"),
    (["neuron", "fi", "--currents", "fast"], "--currents"),
]
OUT_KIND = {"grid": "dir", "theory": "dir", "export": "dir", "neuron": "dir", "sweep": "file",
            "gui": None}


def _args(case, files, out):
    args = [a.replace("{d}", str(files)) for a in case]
    kind = OUT_KIND[args[0]]
    if kind == "dir":
        args += ["--out", str(out / "out")]
    elif kind == "file":
        args += ["--out", str(out / "s.csv")]
    return args


def one_clean_line(result) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[" ".join(c[:1] + c[-2:]) for c, _ in CASES])
def test_bad_option_is_one_line_naming_it(index, files, tmp_path, run_main):
    out = tmp_path
    result = run_main(*_args(CASES[index][0], files, out))
    line = one_clean_line(result)
    assert CASES[index][1] in line, line
    # refused before any work: nothing written
    assert not (out / "s.csv").exists()
    assert not (out / "out").exists() or not any((out / "out").iterdir())


@pytest.mark.parametrize("command", ["grid", "theory", "neuron"])
@pytest.mark.parametrize("where,needle", [("", "empty"), ("{d}/a_file", "is a file"),
                                          ("{d}/a_file/below", "--out")])
def test_bad_output_folder(command, where, needle, files, run_main):
    head = {"grid": ["grid", *TINY], "theory": ["theory", "sigmoid", "--no-figures"],
            "neuron": ["neuron", "fi"]}[command]
    result = run_main(*head, "--out", where.replace("{d}", str(files)))
    line = one_clean_line(result)
    assert "--out" in line and needle in line
    assert not (ROOT / "grid.csv").exists() and not (ROOT / "sigmoid.csv").exists()


@pytest.mark.parametrize("where,needle", [("", "--out"), ("{d}", "folder"),
                                          ("{d}/a_file/s.csv", "does not exist"),
                                          ("{d}/missing/s.csv", "does not exist")])
def test_bad_sweep_out(where, needle, files, run_main):
    line = one_clean_line(run_main("sweep", *TINY, "--out", where.replace("{d}", str(files))))
    assert "--out" in line and needle in line


@pytest.mark.parametrize("name", ["binary.bin", "one_line.csv", "other_header.csv"])
def test_resume_never_overwrites_a_file_that_is_not_this_sweeps(name, files, run_main):
    path = files / name
    before = path.read_bytes()
    line = one_clean_line(run_main("sweep", *TINY, "--resume", "--out", str(path)))
    assert "--out" in line
    assert path.read_bytes() == before
