"""rnnfast.examples: the source's section 6.3 example (textbook) and the S1 table, on the
bundled sample (fast, offline).  The full-file acceptance is `python -m
rnnfast.examples.s1_table` (README, "Reproducing the source's results (S1)")."""

import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import rnnfast
from rnnfast.datasets import imdb
from rnnfast.examples import s1_table, textbook

HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _run_module(args, cwd, module="rnnfast.examples.textbook", code=None):
    """``python -m module args`` with the rnnfast this test process imported."""
    root = str(Path(rnnfast.__file__).resolve().parents[1])
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        ),
    )
    for name in ("RNNFAST_IMDB", "RNNFAST_IMDB_WORD_INDEX"):
        env.pop(name, None)
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "-m", module, *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def sample_onehot():
    return textbook.prepare(sample=True, encoding="onehot")


@pytest.fixture(scope="module")
def small(sample_onehot):
    """The first 640 training and 160 validation reviews of the sample: fast trainings."""
    out = dict(sample_onehot)
    for name, n in (
        ("x_train_seq", 640),
        ("y_train", 640),
        ("x_train_onehot", 640),
        ("x_val_seq", 160),
        ("y_val", 160),
        ("x_val_onehot", 160),
    ):
        out[name] = np.ascontiguousarray(sample_onehot[name][:n])
    return out


# ----------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize(
    "args, words",
    [
        (["--epochs", "0"], "argument --epochs: epochs must be an integer in [1, 100,000], got 0"),
        (["--epochs", "two"], "epochs must be an integer in [1, 100,000], got 'two'"),
        (["--seed", "-1"], 'seed must be an integer in [0, 4,294,967,295] or "random", got -1'),
        (["--backprop", "transposed"], "backprop must be one of 'exact', 'textbook', got "),
        (["--backend", "torch"], "backend must be one of 'cython', 'numpy', got 'torch'"),
    ],
)
def test_cli_rejects_values_outside_the_table(args, words, capsys):
    """The command line rejects what rnnfast.hyperparams rejects, in the table's words."""
    with pytest.raises(SystemExit) as info:
        textbook.main(["--sample", *args])
    assert info.value.code == 2
    assert words in capsys.readouterr().err


def test_cli_sample_ids_prints_the_flow_and_writes_the_plot(tmp_path):
    png = tmp_path / "losses.png"
    proc = _run_module(
        ["--sample", "--epochs", "1", "--encoding", "ids", "--plot", str(png)], cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "IMDB SAMPLE" in out  # labelled as a sample
    assert "(5000,) (5000,)" in out  # x_train_all.shape, y_train_all.shape
    assert "# source (on the full data): (25000,) (25000,)" in out
    assert "(4000, 100) (1000, 100)" in out  # x_train_seq.shape, x_val_seq.shape
    assert ">>> word_to_index['movie']\n17\n" in out
    assert "index_to_word[w - 3]" in out
    assert "one-hot array is not built (it would be (4000, 100, 100), 160000000 bytes" in out
    assert "rn.fit(x_train_seq, y_train, epochs=1" in out
    lines = out.splitlines()
    score = float(lines[lines.index(">>> rn.score(x_val_seq, y_val)") + 1])
    assert 0.0 <= score <= 1.0
    assert "epoch 1/1" in proc.stderr  # verbose=True: the progress line
    if HAS_MATPLOTLIB:
        assert png.read_bytes()[:8] == PNG_MAGIC
        assert f"written to {png}" in out
    else:
        assert not png.exists()
        assert "matplotlib" in out


def test_cli_sample_onehot_builds_the_sources_array(tmp_path):
    proc = _run_module(
        [
            "--sample",
            "--epochs",
            "1",
            "--encoding",
            "onehot",
            "--backprop",
            "textbook",
            "--quiet-progress",
        ],
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "(4000, 100) (1000, 100)" in out
    assert ">>> print(x_train_onehot.shape)\n(4000, 100, 100)\n" in out
    assert ">>> print(x_train_onehot.nbytes)\n160000000\n" in out  # 4000*100*100*4
    assert "backprop='textbook'" in out
    assert ">>> rn.score(x_val_onehot, y_val)" in out
    assert "epoch 1/1" not in proc.stderr


def test_cli_errors_are_clear(tmp_path):
    proc = _run_module(["--data", str(tmp_path / "missing.npz"), "--epochs", "1"], cwd=tmp_path)
    assert proc.returncode == 2
    assert "error: IMDB file not found" in proc.stderr and "Traceback" not in proc.stderr
    proc = _run_module(["--sample", "--plot", str(tmp_path / "losses.jpg")], cwd=tmp_path)
    assert proc.returncode == 2 and ".png" in proc.stderr
    proc = _run_module(["--sample", "--plot", str(tmp_path / "no" / "l.png")], cwd=tmp_path)
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_import_has_no_side_effects(tmp_path):
    code = (
        "import sys, rnnfast.examples.textbook, rnnfast.examples.s1_table\n"
        "assert 'matplotlib' not in sys.modules\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    proc = _run_module([], cwd=tmp_path, code=code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""


# ----------------------------------------------------------------------------- the functions


def test_prepare_equals_load_textbook(sample_onehot):
    x_train, y_train, x_val, y_val = imdb.load_textbook(source="sample")
    np.testing.assert_array_equal(sample_onehot["x_train_seq"], x_train)
    np.testing.assert_array_equal(sample_onehot["y_train"], y_train)
    np.testing.assert_array_equal(sample_onehot["x_val_seq"], x_val)
    np.testing.assert_array_equal(sample_onehot["y_val"], y_val)
    onehot = sample_onehot["x_train_onehot"]
    assert onehot.shape == (4000, 100, 100) and onehot.dtype == np.float32
    np.testing.assert_array_equal(onehot.argmax(axis=2), x_train)
    assert textbook.prepare(sample=True, encoding="ids")["x_train_onehot"] is None


def test_onehot_and_ids_train_the_same_network(small):
    a = textbook.train(small, encoding="onehot", seed=3, epochs=2)
    b = textbook.train(small, encoding="ids", seed=3, epochs=2)
    assert a["score"] == b["score"]
    np.testing.assert_allclose(a["losses"], b["losses"], rtol=1e-12)
    np.testing.assert_allclose(a["val_losses"], b["val_losses"], rtol=1e-12)
    assert a["network"].w1x.shape == b["network"].w1x.shape == (100, 32)


def test_run_returns_a_dict_and_plots(tmp_path, monkeypatch, sample_onehot):
    out = io.StringIO()
    png = tmp_path / "curves.png"
    result = textbook.run(
        encoding="ids",
        backprop="textbook",
        seed=1,
        epochs=2,
        sample=True,
        plot=png,
        verbose=False,
        out=out,
    )
    assert result["epochs_run"] == 2 and len(result["val_losses"]) == 2
    assert result["backprop"] == "textbook" and result["source_score"] == 0.7002
    assert result["score"] == result["network"].score(
        sample_onehot["x_val_seq"], sample_onehot["y_val"]
    )
    if HAS_MATPLOTLIB:
        assert result["plot"] == png and png.read_bytes()[:8] == PNG_MAGIC
    # Without matplotlib: no plot, a message saying how to get it, and the run still ends.
    monkeypatch.setattr(textbook, "matplotlib_available", lambda: False)
    out = io.StringIO()
    result = textbook.run(
        encoding="ids", epochs=1, sample=True, plot=tmp_path / "x.png", verbose=False, out=out
    )
    assert result["plot"] is None and not (tmp_path / "x.png").exists()
    assert 'pip install "rnnfast[bench]"' in out.getvalue()


def test_run_quiet_prints_nothing(capsys):
    textbook.run(encoding="ids", epochs=1, sample=True, verbose=False, quiet=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_bad_arguments():
    with pytest.raises(ValueError, match="encoding"):
        textbook.prepare(sample=True, encoding="dense")
    with pytest.raises(ValueError, match="backprop"):
        textbook.run(backprop="transposed", sample=True, quiet=True)
    with pytest.raises(ValueError, match="not both"):
        textbook.prepare("imdb.npz", sample=True)


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib not installed")
def test_plot_losses_writes_a_png(tmp_path):
    path = textbook.plot_losses([0.7, 0.6, 0.5], [0.71, 0.65, 0.6], tmp_path / "p.png", "t")
    assert path.read_bytes()[:8] == PNG_MAGIC


# ----------------------------------------------------------------------------- the S1 table


def test_s1_table_runs_agree(small):
    log = io.StringIO()
    records = s1_table.collect(
        small, seeds=[0, 1], numpy_seeds=[1], epochs=1, log=log, engine="sequential"
    )
    assert len(records) == 2 * (2 + 2 + 1)  # rules x (2 seeds x 2 inputs + NumPy)
    assert "[10/10] textbook seed 1 numpy  onehot" in log.getvalue()
    text, agree = s1_table.format_tables(records, command="cmd", data="the sample")
    assert agree, text  # compiled == NumPy == ids
    assert re.search(r"^\| exact \| 0\.\d{4} \| 0\.\d{4} \| \*\*0\.\d{4}\*\* \|", text, re.M)
    assert "| textbook | 1 |" in text and "**NO**" not in text
    assert "| compiled | token ids int32 (m, 100) |" in text
    assert "| NumPy (the source's code) | one-hot" in text


def test_s1_table_cli(capsys):
    status = s1_table.main(
        [
            "--sample",
            "--seeds",
            "0",
            "--numpy-seeds",
            "--rules",
            "exact",
            "--epochs",
            "1",
            "--no-ids",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "Command: `python -m rnnfast.examples.s1_table --sample --seeds 0" in out
    assert "4,000 training / 1,000 validation" in out and "| exact | 0." in out


def _s1_key(record):
    return record["backprop"], record["seed"], record["backend"], record["encoding"]


def test_s1_table_records_are_the_sweeps_on_every_engine(small):
    """s1_table's records come from rnnfast.experiments.sweep: the same numbers from the
    sequential and the processes engine, from a direct sweep, and from the old path (one
    textbook.train per run, whose score is rn.score of the fitted network)."""
    from rnnfast.experiments import sweep
    from rnnfast.experiments._plan import usable_cores

    args = dict(seeds=[0, 2], numpy_seeds=[2], epochs=2)
    seq = s1_table.collect(small, engine="sequential", **args)
    par = s1_table.collect(small, engine="processes", n_jobs=min(2, usable_cores()), **args)
    assert sorted(map(_s1_key, seq)) == sorted(map(_s1_key, par)) and len(seq) == 10
    here = {r["worker"] for r in seq}
    assert len(here) == 1 and here.isdisjoint(r["worker"] for r in par)  # other processes
    by_key = {_s1_key(r): r for r in par}
    for r in seq:
        p = by_key[_s1_key(r)]
        for k in ("score", "losses", "val_losses", "val_accuracies", "epochs_run"):
            assert p[k] == r[k], (_s1_key(r), k)  # bit for bit
        assert r["score"] == r["val_accuracies"][-1] and r["epochs_run"] == 2
        assert r["seconds_per_epoch"] == r["fit_seconds"] / 2 > 0

    s = sweep(
        textbook.s1_network("exact", 0),
        {"backprop": ["exact", "textbook"]},
        small["x_train_seq"],
        small["y_train"],
        seeds=[0, 2],
        epochs=2,
        validation_data=(small["x_val_seq"], small["y_val"]),
        n_features=small["n_features"],
        engine="sequential",
        progress=False,
    )
    for (rule, seed), rows in s.frame.groupby(["backprop", "seed"]):
        r = by_key[(rule, seed, "cython", "ids")]
        assert r["losses"] == rows["loss"].tolist()
        assert r["val_losses"] == rows["val_loss"].tolist()
        assert r["score"] == rows["val_accuracy"].iloc[-1]

    for backend in ("cython", "numpy"):
        old = textbook.train(small, backprop="textbook", backend=backend, seed=2, epochs=2)
        r = by_key[("textbook", 2, backend, "onehot")]
        assert (
            r["score"]
            == old["score"]
            == old["network"].score(small["x_val_onehot"], small["y_val"])
        )
        assert r["losses"] == old["losses"] and r["val_losses"] == old["val_losses"]


def test_s1_table_cli_keeps_runs_in_results_dir(tmp_path, capsys):
    argv = ["--sample", "--seeds", "0", "1", "--numpy-seeds", "--rules", "exact", "--epochs", "1"]
    argv += ["--engine", "sequential", "--results-dir", str(tmp_path / "runs")]
    json_path = tmp_path / "s1.json"
    assert s1_table.main([*argv, "--json", str(json_path)]) == 0
    first = capsys.readouterr()
    assert "read from results_dir" not in first.err
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["ids", "onehot"]
    assert s1_table.main(argv) == 0
    second = capsys.readouterr()
    assert second.err.count("(read from results_dir)") == 4  # no run trained again
    assert "4 runs read from" in second.out

    def tables(out):
        return out[out.index("Validation score") : out.index("Seconds per epoch")]

    assert tables(second.out) == tables(first.out)
    import json

    records = json.loads(json_path.read_text())["records"]
    assert {(r["seed"], r["encoding"]) for r in records} == {
        (0, "onehot"),
        (1, "onehot"),
        (0, "ids"),
        (1, "ids"),
    }


@pytest.mark.parametrize(
    "args, words",
    [
        (["--n-jobs", "0"], "--n-jobs: must be an integer >= 1, or -1"),
        (["--engine", "processes", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler is for"),
        (["--scheduler", "tcp://127.0.0.1:1", "--n-jobs", "1"], "--n-jobs is for the local"),
        (["--engine", "sequential", "--n-jobs", "2"], "--n-jobs is for --engine processes"),
        (["--engine", "threads"], "argument --engine: invalid choice: 'threads'"),
        (["--seeds", "0", "0"], "--seeds lists a seed twice"),
    ],
)
def test_s1_table_cli_rejects_bad_run_options(args, words, capsys):
    with pytest.raises(SystemExit) as info:
        s1_table.main(["--sample", "--epochs", "1", *args])
    assert info.value.code == 2
    assert words in capsys.readouterr().err


def test_s1_table_cli_reports_the_sweeps_refusal(capsys):
    """What sweep refuses before any run (here more workers than cores) ends with status 2."""
    status = s1_table.main(
        ["--sample", "--epochs", "1", "--engine", "processes", "--n-jobs", "4096"]
    )
    captured = capsys.readouterr()
    assert status == 2 and "error: n_jobs=4096 is more than the" in captured.err
    assert "Traceback" not in captured.err and "[1/" not in captured.err


def test_s1_table_cli_reports_failed_runs(monkeypatch, capsys):
    """A run that fails (here: diverges) is reported with its error, the others finish, and
    the exit status is 1; no traceback."""
    s1_network = textbook.s1_network

    def diverging(backprop, seed, **kwargs):
        return s1_network(backprop, seed, **kwargs).set_params(learning_rate=1e300)

    monkeypatch.setattr(textbook, "s1_network", diverging)
    argv = ["--sample", "--seeds", "0", "--numpy-seeds", "--rules", "exact", "--epochs", "1"]
    status = s1_table.main([*argv, "--engine", "sequential", "--no-ids"])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    assert "[1/1] exact    seed 0 cython onehot: FAILED: rnnfast.training.DivergenceError" in err
    assert "error: 1 run(s) failed: exact seed 0 cython onehot: rnnfast.training.Divergence" in err


def s1_record(backend, encoding, score, backprop, seed):
    """One run's record as rnnfast.examples.s1_table writes it (one epoch, 10 + 10 reviews)."""
    return {
        "score": score, "losses": [0.6], "val_losses": [0.6], "val_accuracies": [score],
        "epochs_run": 1, "fit_seconds": 1.0, "seconds_per_epoch": 1.0, "encoding": encoding,
        "backprop": backprop, "backend": backend, "seed": seed, "epochs": 1, "n_train": 10,
        "n_val": 10,
    }  # fmt: skip


def test_s1_table_flags_a_disagreement():
    def rec(backend, encoding, score):
        return s1_record(backend, encoding, score, "exact", 0)

    text, agree = s1_table.format_tables(
        [rec("cython", "onehot", 0.70), rec("cython", "ids", 0.70), rec("numpy", "onehot", 0.69)]
    )
    assert not agree and "**NO**" in text
    text, agree = s1_table.format_tables(
        [rec("cython", "onehot", 0.70), rec("numpy", "onehot", 0.7005)]
    )
    assert agree


def test_s1_table_explains_a_chaotic_disagreement(small):
    spread = s1_table.sensitivity(small, "exact", 0, epochs=1)
    assert len(spread) == 2 and all(0.0 <= x <= 1.0 for x in spread)

    def rec(backend, encoding, score):
        return s1_record(backend, encoding, score, "textbook", 3)

    records = [rec("cython", "onehot", 0.62), rec("numpy", "onehot", 0.60)]
    assert s1_table.disagreements(records) == [("textbook", 3)]
    text, agree = s1_table.format_tables(records, sensitivities={("textbook", 3): [0.63, 0.68]})
    assert not agree and "chaotic run" in text and "0.6300 and 0.6800" in text
    text, _ = s1_table.format_tables(records, sensitivities={("textbook", 3): [0.62, 0.6205]})
    assert "chaotic" not in text and "**NO**" in text


def test_source_shuffles_are_the_sources_sequence_without_global_state():
    from rnnfast.examples.s1_shuffles import SourceShuffles

    np.random.seed(42)
    expected = [np.random.permutation(np.arange(50)) for _ in range(3)]
    state = np.random.get_state()
    shuffles = SourceShuffles(42)
    for want in expected:
        np.testing.assert_array_equal(shuffles.permutation(50), want)
    assert np.array_equal(np.random.get_state()[1], state[1])


def test_s1_shuffles_cli(capsys):
    from rnnfast.examples import s1_shuffles

    status = s1_shuffles.main(
        [
            "--sample",
            "--init-seeds",
            "0",
            "--shuffle-seeds",
            "42",
            "--rules",
            "exact",
            "--epochs",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "| init seed | S = 42 |" in out and re.search(r"^\| 0 \| 0\.\d{4} \|$", out, re.M)
