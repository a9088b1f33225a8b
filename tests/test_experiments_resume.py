"""rnnfast.experiments: nothing lost. Every finished run is kept in results_dir and read back;
Ctrl+C and killed worker processes lose no finished run and count none twice."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from helpers import require
from sweep_helpers import KillOnce, KillSwitch, local_cluster, marker, same_numbers, small_problem

from rnnfast import RecurrentNetwork

pd = require("pandas")
from rnnfast.experiments import _store, sweep  # noqa: E402

GRID = {"backprop": ["exact", "textbook"], "bptt_steps": [3, None]}
EPOCHS = 2


@pytest.fixture(scope="module")
def problem():
    return small_problem(n_train=400, n_val=100)


def run(problem, **kwargs):
    x, y, xv, yv = problem
    kwargs = {"seeds": [0, 1, 2], "epochs": EPOCHS, "progress": False, "grid": GRID, **kwargs}
    net = kwargs.pop("estimator", None) or RecurrentNetwork(6, 32, 0.05)
    return sweep(net, kwargs.pop("grid"), x, y, validation_data=(xv, yv), **kwargs)


@pytest.fixture(scope="module")
def uninterrupted(problem):
    return run(problem, engine="sequential")


def statuses(result):
    return result.runs["status"].value_counts().to_dict()


@pytest.fixture(params=["parquet", "csv"])
def store_format(request, monkeypatch):
    if request.param == "parquet":
        require("pyarrow")
    else:  # as on a machine without pyarrow
        monkeypatch.setattr(_store.importlib.util, "find_spec", lambda name: None)
    return request.param


def test_finished_runs_are_read_back_not_run_again(problem, uninterrupted, tmp_path, store_format):
    first = run(problem, engine="sequential", results_dir=tmp_path)
    files = sorted(os.listdir(tmp_path / "runs"))
    assert len(files) == 12 and all(f.endswith("." + store_format) for f in files)
    seen = []
    again = run(
        problem,
        engine="sequential",
        results_dir=tmp_path,
        on_run=lambda s, r, status: seen.append(status),
    )
    assert seen == ["resumed"] * 12
    same_numbers(again, uninterrupted)
    same_numbers(first, uninterrupted)
    runs = again.runs
    assert set(runs["version"]) == {__import__("rnnfast").__version__}
    assert (runs["fit_seconds"] > 0).all()


@pytest.mark.parametrize("engine", ["sequential", "processes"])
def test_stopped_sweep_finishes_with_only_the_missing_runs(
    problem, uninterrupted, tmp_path, engine
):
    done = []
    part = run(
        problem,
        engine=engine,
        results_dir=tmp_path,
        stop=lambda: len(done) >= 3,
        on_run=lambda s, r, status: done.append(r.index),
    )
    assert 3 <= part.n_done < 12 and not part.complete
    kept = len(os.listdir(tmp_path / "runs"))
    assert kept == part.n_done
    rest = run(problem, engine=engine, results_dir=tmp_path)
    assert statuses(rest) == {"resumed": kept, "done": 12 - kept}
    same_numbers(rest, uninterrupted)


def test_more_seeds_reuse_the_runs_already_there(problem, uninterrupted, tmp_path):
    run(problem, engine="sequential", results_dir=tmp_path, seeds=[0, 1])
    grown = run(problem, engine="sequential", results_dir=tmp_path)
    assert statuses(grown) == {"resumed": 8, "done": 4}
    same_numbers(grown, uninterrupted)


def test_results_dir_of_another_sweep_is_refused(problem, tmp_path):
    x, y, xv, yv = problem
    run(problem, engine="sequential", results_dir=tmp_path, seeds=[0], epochs=1)
    cases = [
        ({"grid": {"backprop": ["exact"]}}, "settings"),
        ({"epochs": 2}, "epochs"),
        ({"estimator": RecurrentNetwork(7, 32, 0.05)}, "shared_settings"),
    ]
    for kwargs, what in cases:
        with pytest.raises(ValueError, match=f"holds runs of another sweep \\({what}"):
            run(
                problem,
                engine="sequential",
                results_dir=tmp_path,
                seeds=[0],
                **{"epochs": 1, **kwargs},
            )
    y2 = y.copy()
    y2[0] = 1 - y2[0]
    with pytest.raises(ValueError, match="another sweep \\(data"):
        sweep(
            RecurrentNetwork(6, 32, 0.05),
            GRID,
            x,
            y2,
            validation_data=(xv, yv),
            seeds=[0],
            epochs=1,
            results_dir=tmp_path,
            progress=False,
        )
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty and holds no sweep.json"):
        run(problem, results_dir=tmp_path / "other")


# ---------------------------------------------------------------------- killed processes


def lr():
    """A learning rate of its own for each test: its marker files are its own."""
    return 0.05 + random.randrange(1, 10**6) * 1e-12


def kill_once_then_compare(problem, **engine):
    """A sweep whose seed-1 worker process is killed in its first run: every run finishes,
    with the numbers of plain runs."""
    rate = lr()
    try:
        result = run(
            problem, estimator=KillOnce(6, 32, rate), grid={"backprop": ["exact"]}, **engine
        )
        assert os.path.exists(marker(rate, 1))  # seed 1's first run did die
        plain = run(
            problem,
            engine="sequential",
            estimator=RecurrentNetwork(6, 32, rate),
            grid={"backprop": ["exact"]},
        )
        assert statuses(result) == {"done": 3}
        same_numbers(result, plain)
    finally:
        if os.path.exists(marker(rate, 1)):
            os.remove(marker(rate, 1))


def test_killed_worker_run_is_started_again(problem):
    kill_once_then_compare(problem, engine="processes", n_jobs=2)


def test_worker_that_dies_every_time_fails_its_run_alone_then_resumes(problem, tmp_path):
    rate = lr()
    switch = marker(rate, "switch")

    def sweep_with_switch():  # seed 1's worker dies while the switch file exists
        return run(
            problem,
            engine="processes",
            n_jobs=2,
            results_dir=tmp_path,
            estimator=KillSwitch(6, 32, rate),
            grid={"backprop": ["exact", "textbook"]},
        )

    open(switch, "w").close()
    try:
        with pytest.warns(RuntimeWarning, match="2 of 6 runs failed"):
            part = sweep_with_switch()
        failed = part.runs[part.runs.status == "failed"]
        assert list(failed["seed"]) == [1, 1]
        assert all("worker process died 2 times" in e and "SIGKILL" in e for e in failed.error)
        assert len(os.listdir(tmp_path / "runs")) == 4
    finally:
        os.remove(switch)
    rest = sweep_with_switch()
    assert statuses(rest) == {"resumed": 4, "done": 2}
    plain = run(
        problem,
        engine="sequential",
        estimator=RecurrentNetwork(6, 32, rate),
        grid={"backprop": ["exact", "textbook"]},
    )
    same_numbers(rest, plain)


def test_dask_starts_a_killed_workers_run_again(problem):
    require("dask.distributed")
    with local_cluster() as client:
        kill_once_then_compare(problem, engine="dask", client=client)


# ---------------------------------------------------------------------- Ctrl+C


def test_ctrl_c_keeps_the_finished_runs_and_the_next_call_runs_the_rest(tmp_path):
    """The command line, interrupted by SIGINT after some runs, exits with 130; the same
    sweep in the library with the same results_dir runs only what is missing, and its frame
    equals an uninterrupted sweep's."""
    from rnnfast.datasets import imdb
    from rnnfast.experiments.__main__ import SOURCE_NETWORK

    argv = [
        sys.executable,
        "-m",
        "rnnfast.experiments",
        "--sample",
        "--max-train",
        "800",
        "--grid",
        "backprop=exact,textbook",
        "--grid",
        "bptt_steps=3,full",
        "--seeds",
        "0-5",
        "--epochs",
        "3",
        "--set",
        "n_cells=8",
        "--engine",
        "processes",
        "--n-jobs",
        "2",
        "--results-dir",
        str(tmp_path),
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    runs_dir = tmp_path / "runs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if runs_dir.exists() and len([f for f in os.listdir(runs_dir) if "tmp" not in f]) >= 3:
            break
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    kept = [f for f in os.listdir(runs_dir) if "tmp" not in f]
    assert 3 <= len(kept) < 24, "the sweep ended before the interrupt: no test of Ctrl+C"
    assert not [f for f in os.listdir(runs_dir) if "tmp" in f]  # no half-written run

    x, y, xv, yv = imdb.load_textbook(source="sample")
    net = RecurrentNetwork(**{**SOURCE_NETWORK, "n_cells": 8})
    grid = {"backprop": ["exact", "textbook"], "bptt_steps": [3, None]}
    kwargs = dict(
        seeds=range(6), epochs=3, validation_data=(xv, yv), n_features=100, progress=False
    )
    rest = sweep(net, grid, x[:800], y[:800], results_dir=tmp_path, engine="sequential", **kwargs)
    assert statuses(rest) == {"resumed": len(kept), "done": 24 - len(kept)}
    whole = sweep(net, grid, x[:800], y[:800], engine="sequential", **kwargs)
    same_numbers(rest, whole)


def test_ctrl_c_while_a_run_is_written_keeps_that_run(problem, tmp_path, monkeypatch):
    """SIGINT during the write of a finished run: the file is completed, then the sweep
    stops (SweepInterrupted), and no temporary file is left."""
    from rnnfast.experiments import SweepInterrupted

    real = pd.DataFrame.to_parquet if _store.importlib.util.find_spec("pyarrow") else None
    write = "to_parquet" if real else "to_csv"
    original = getattr(pd.DataFrame, write)

    def interrupted_write(self, *args, **kwargs):
        signal.raise_signal(signal.SIGINT)  # Ctrl+C in the middle of the write
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, write, interrupted_write)
    with pytest.raises(SweepInterrupted) as info:
        run(problem, engine="sequential", results_dir=tmp_path)
    assert info.value.sweep.n_done == 1
    assert os.listdir(tmp_path / "runs") == [info.value.sweep.plan[0].key + "." + write[3:]]
