"""rnnfast.experiments: the same numbers from every engine, the statistics, the pictures."""

import itertools
import os
import subprocess
import sys

import numpy as np
import pytest
from helpers import require
from sweep_helpers import local_cluster, same_numbers, small_problem

from rnnfast import RecurrentNetwork

pd = require("pandas")
from rnnfast.experiments import _stats, sweep  # noqa: E402
from rnnfast.experiments._worker import Data  # noqa: E402

GRID = {"backprop": ["exact", "textbook"], "bptt_steps": [3, None]}
SEEDS = [0, 1, 2]
EPOCHS = 3


@pytest.fixture(scope="module")
def problem():
    return small_problem()


def run(problem, **kwargs):
    x, y, xv, yv = problem
    kwargs = {"seeds": SEEDS, "epochs": EPOCHS, "progress": False, **kwargs}
    net = kwargs.pop("estimator", RecurrentNetwork(8, 32, 0.05))
    return sweep(net, kwargs.pop("grid", GRID), x, y, validation_data=(xv, yv), **kwargs)


@pytest.fixture(scope="module")
def sequential(problem):
    return run(problem, engine="sequential")


# ---------------------------------------------------------------------- the frame


def test_frame_is_one_row_per_run_and_epoch_equal_to_plain_fits(problem, sequential):
    x, y, xv, yv = problem
    f = sequential.frame
    assert list(f.columns) == [
        "backprop",
        "bptt_steps",
        "seed",
        "epoch",
        "loss",
        "val_loss",
        "accuracy",
        "val_accuracy",
        "seconds",
    ]
    assert len(f) == 2 * 2 * len(SEEDS) * EPOCHS
    assert f["bptt_steps"].tolist()[: EPOCHS * len(SEEDS)] == [3] * EPOCHS * len(SEEDS)
    assert f["bptt_steps"].iloc[-1] is None  # full BPTT stays None, not NaN
    assert (f["seconds"] > 0).all()
    # each run is a plain fit of the estimator with its settings and seed
    for backprop, k, seed in [("textbook", None, 2), ("exact", 3, 0)]:
        net = RecurrentNetwork(8, 32, 0.05, backprop=backprop, bptt_steps=k, seed=seed)
        net.fit(x, y, epochs=EPOCHS, validation_data=(xv, yv))
        rows = f[(f.backprop == backprop) & (f.seed == seed)]
        rows = rows[rows.bptt_steps.isna()] if k is None else rows[rows.bptt_steps == k]
        assert rows["loss"].tolist() == net.losses
        assert rows["val_accuracy"].tolist() == net.val_accuracies
        assert rows["accuracy"].tolist() == net.accuracies
        assert rows["val_loss"].tolist() == net.val_losses


def test_processes_engine_gives_the_same_frame(problem, sequential):
    parallel = run(problem, engine="processes", n_jobs=2)
    same_numbers(parallel, sequential)
    workers = set(parallel.runs["worker"])
    assert len(workers) == 2 and os.getpid() not in {int(w.split(":")[1]) for w in workers}


def test_dask_local_cluster_gives_the_same_frame(problem, sequential):
    require("dask.distributed")
    with local_cluster() as client:
        result = run(problem, engine="dask", client=client)
        same_numbers(result, sequential)
        assert len(set(result.runs["worker"])) == 2
        # the data went to each worker once (scattered), not with each of its 6 runs
        received = client.run(_received)
        assert sorted(received.values()) == [1, 1]
        # the scattered arrays are aligned on the workers (unaligned ones make NumPy slow)
        data = client.scatter(Data(*problem), broadcast=True, hash=False)
        assert all(client.run(_all_aligned).values())
        client.cancel(data)


def _received():
    from rnnfast.experiments import _worker

    return _worker.received


def _all_aligned(dask_worker):
    from rnnfast.experiments._worker import Data

    return all(v.aligned for v in dask_worker.data.values() if isinstance(v, Data))


def test_dask_engine_starts_and_closes_its_own_cluster(problem, sequential):
    require("dask.distributed")
    result = run(problem, engine="dask", n_jobs=2, seeds=[0])
    expected = sequential.frame[sequential.frame.seed == 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        result.frame.drop(columns="seconds"), expected.drop(columns="seconds")
    )


def test_auto_engine(problem, monkeypatch):
    from rnnfast.experiments import _sweep

    assert _sweep._choose_engine("auto", 2, None, 5)[0] == "processes"
    assert _sweep._choose_engine("auto", 1, None, 5)[0] == "sequential"
    assert _sweep._choose_engine("auto", 2, None, 1)[0] == "sequential"


def test_each_run_holds_blas_to_one_thread(problem):
    require("threadpoolctl")
    from sweep_helpers import OneThreadOrFail
    from threadpoolctl import threadpool_info

    before = [i["num_threads"] for i in threadpool_info()]
    for engine in ("sequential", "processes"):
        result = run(
            problem,
            engine=engine,
            estimator=OneThreadOrFail(8, 32, 0.05),
            grid={"backprop": ["exact"]},
            seeds=[0, 1],
            epochs=1,
        )
        assert result.failures == {}, result.failures
    # the sequential engine gives the caller's threads back
    assert [i["num_threads"] for i in threadpool_info()] == before


# ---------------------------------------------------------------------- statistics


def test_summary_is_the_mean_and_t_interval_over_seeds(sequential):
    from scipy import stats

    table = sequential.summary()
    f = sequential.frame
    final = f[f.epoch == EPOCHS]
    for _, row in table.iterrows():
        sel = final[final.backprop == row.backprop]
        sel = (
            sel[sel.bptt_steps.isna()]
            if row.bptt_steps is None
            else sel[sel.bptt_steps == row.bptt_steps]
        )
        vals = sel["val_accuracy"].to_numpy()
        assert row["n"] == len(SEEDS)
        assert row["mean"] == pytest.approx(vals.mean(), rel=1e-15)
        assert row["std"] == pytest.approx(vals.std(ddof=1), rel=1e-12)
        low, high = stats.t.interval(0.95, len(vals) - 1, vals.mean(), stats.sem(vals))
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), rel=1e-12)
    by_rule = sequential.summary(by="backprop")
    assert list(by_rule["n"]) == [2 * len(SEEDS)] * 2


def test_compare_pairs_the_runs_seed_by_seed(sequential):
    from scipy import stats

    table = sequential.compare("backprop", "exact", "textbook")
    f = sequential.frame
    final = f[(f.epoch == EPOCHS) & (f.bptt_steps == 3)].sort_values("seed")
    a = final[final.backprop == "exact"]["val_accuracy"].to_numpy()
    b = final[final.backprop == "textbook"]["val_accuracy"].to_numpy()
    row = table[table.bptt_steps == 3].iloc[0]
    assert row["n"] == len(SEEDS)
    assert row["difference"] == pytest.approx(np.mean(a - b), abs=1e-15)
    assert row["p_paired_t"] == pytest.approx(stats.ttest_rel(a, b).pvalue, rel=1e-12)
    assert table.attrs["setting"] == "backprop"
    # "full" typed as on the command line means None
    full = sequential.compare("bptt_steps", 3, "full")
    assert full.attrs["b"] is None and len(full) == 2
    with pytest.raises(ValueError, match="not a value of bptt_steps"):
        sequential.compare("bptt_steps", 3, 7)
    with pytest.raises(ValueError, match="not a setting"):
        sequential.compare("n_cells", 8, 16)


def test_sign_flip_pvalue_is_exact():
    # 4 positive differences: only all-plus and all-minus reach |mean|: 2 of 16 patterns
    assert _stats.sign_flip_pvalue([0.1, 0.2, 0.3, 0.4]) == 2 / 16
    assert _stats.sign_flip_pvalue([0.1, -0.1]) == 1.0
    d = np.array([0.3, -0.1, 0.2, 0.25, 0.05])
    brute = np.mean(
        [abs(np.dot(s, d)) >= abs(d.sum()) - 1e-15 for s in itertools.product((1, -1), repeat=5)]
    )
    assert _stats.sign_flip_pvalue(d) == brute


def test_verdict_follows_the_interval():
    assert _stats.verdict(0.001, 0.01) == "higher"
    assert _stats.verdict(-0.01, -0.001) == "lower"
    assert _stats.verdict(-0.01, 0.01) == "no evidence"
    assert _stats.verdict(float("nan"), float("nan")) == "too few seeds"
    mean, std, n, low, high = _stats.interval([0.5, 0.5, 0.5])
    assert (mean, std, n, low, high) == (0.5, 0.0, 3, 0.5, 0.5)
    assert _stats.paired_t_pvalue([0.0, 0.0]) == 1.0


def test_describe_comparison_states_what_the_numbers_say(sequential):
    lines = sequential.describe_comparison("bptt_steps", 3, None)
    table = sequential.compare("bptt_steps", 3, None)
    assert len(lines) == 2
    for line, (_, row) in zip(lines, table.iterrows()):
        assert line.startswith(f"3 - full: {row['difference']:+.4f}")
        assert f"over {len(SEEDS)} seeds, at backprop={row['backprop']}" in line
        word = {"higher": "higher", "lower": "lower", "no evidence": "no evidence"}[row.verdict]
        assert word in line


# ---------------------------------------------------------------------- pictures


def test_plots_draw_the_summary_and_the_curves(sequential):
    require("matplotlib")
    ax = sequential.plot()  # two settings: a heatmap
    image = ax.images[0].get_array()
    table = sequential.summary()
    assert np.allclose(np.asarray(image).ravel(), table["mean"].to_numpy(), rtol=0, atol=0)
    assert ax.get_xlabel() == "bptt_steps" and ax.get_ylabel() == "backprop"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["3", "full"]

    ax = sequential.plot("curves", metric="loss")
    f = sequential.frame
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert len(lines) == 4
    want = f[(f.backprop == "textbook") & f.bptt_steps.isna()].groupby("epoch")["loss"].mean()
    assert np.allclose(lines["backprop=textbook, bptt_steps=full"].get_ydata(), want, rtol=1e-15)

    ax = sequential.plot("bars")
    heights = [p.get_height() for p in ax.patches]
    assert np.allclose(heights, table["mean"])
    ax = sequential.plot("lines", x="bptt_steps")  # accuracy against k, one line per rule
    assert [t.get_text() for t in ax.get_xticklabels()] == ["3", "full"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "backprop=exact",
        "backprop=textbook",
    ]
    textbook = table[table.backprop == "textbook"]["mean"].to_numpy()
    exact = table[table.backprop == "exact"]["mean"].to_numpy()
    assert np.allclose(ax.containers[0].lines[0].get_ydata(), exact, rtol=1e-15)
    assert np.allclose(ax.containers[1].lines[0].get_ydata(), textbook, rtol=1e-15)
    with pytest.raises(ValueError, match="kind must be"):
        sequential.plot("pie")


# ---------------------------------------------------------------------- failures, input


@pytest.mark.parametrize("engine", ["sequential", "processes"])
def test_a_run_that_fails_fails_alone(problem, engine):
    from sweep_helpers import FailsOnSeed1

    with pytest.warns(RuntimeWarning, match="1 of 3 runs failed"):
        result = run(
            problem,
            estimator=FailsOnSeed1(8, 32, 0.05),
            grid={"backprop": ["exact"]},
            engine=engine,
        )
    runs = result.runs
    assert list(runs["status"]) == ["done", "failed", "done"]
    assert "FloatingPointError: seed 1 diverged" in runs["error"].iloc[1]
    assert sorted(set(result.frame["seed"])) == [0, 2]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"grid": {"n_cell": [8]}}, ValueError, "unknown setting 'n_cell'"),
        ({"grid": {"bptt_steps": [5, 0]}}, ValueError, r"grid\['bptt_steps'\] value 0: bptt_steps"),
        ({"grid": {"backprop": ["exact", "exact"]}}, ValueError, "a value twice"),
        ({"grid": {}}, ValueError, "grid is empty"),
        ({"grid": {"backprop": []}}, ValueError, "empty list"),
        ({"grid": {"seed": [1, 2]}}, ValueError, "seeds are sweep"),
        ({"grid": {"backprop": "exact"}}, TypeError, "must be a list"),
        ({"grid": [("backprop", ["exact"])]}, TypeError, "grid must be a dict"),
        ({"seeds": []}, ValueError, "seeds is empty"),
        ({"seeds": [1, 1]}, ValueError, "a seed twice"),
        ({"seeds": [-1]}, ValueError, "seeds: seed must be"),
        ({"epochs": 0}, ValueError, "epochs must be"),
        ({"engine": "threads"}, ValueError, "engine must be one of"),
        ({"engine": "sequential", "client": "tcp://x:1"}, ValueError, "client is for"),
        ({"n_jobs": 10_000}, ValueError, "more than the"),
        ({"estimator": object()}, TypeError, "estimator must be a rnnfast.RecurrentNetwork"),
    ],
)
def test_bad_input_is_named_before_any_run(problem, kwargs, error, match):
    started = []
    kwargs = {"grid": {"backprop": ["exact"]}, **kwargs}
    with pytest.raises(error, match=match):
        run(problem, on_run=lambda *a: started.append(a), **kwargs)
    assert started == []


def test_bad_data_is_named_before_any_run(problem):
    x, y, xv, yv = problem
    bad = y.copy()
    bad[3] = 2
    with pytest.raises(ValueError, match="y"):
        sweep(RecurrentNetwork(4), {"backprop": ["exact"]}, x, bad, progress=False)
    with pytest.raises(ValueError, match="x_val must be the same kind of input as x"):
        sweep(
            RecurrentNetwork(4),
            {"backprop": ["exact"]},
            x,
            y,
            validation_data=(xv.astype(float), yv),
            progress=False,
        )


def test_unreachable_scheduler_fails_within_seconds(problem):
    require("dask.distributed")
    import time

    start = time.perf_counter()
    with pytest.raises(ConnectionError, match="no Dask scheduler answered at 'tcp://127.0.0.1:9'"):
        run(problem, engine="dask", client="tcp://127.0.0.1:9", grid={"backprop": ["exact"]})
    assert time.perf_counter() - start < 15


def test_import_rnnfast_stays_light():
    code = (
        "import sys, rnnfast; "
        "print(sorted(m for m in ('pandas', 'dask', 'distributed', 'rnnfast.experiments', "
        "'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    code = (
        "import sys, rnnfast.experiments; print('dask' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_grid_search_under_joblibs_dask_backend_equals_one_job(problem):
    """scikit-learn's route to a cluster (SPEC: grid search carries sweeps through joblib's
    Dask backend): the same cv_results_ as n_jobs=1."""
    require("sklearn")
    require("dask.distributed")
    import joblib
    from sklearn.model_selection import GridSearchCV

    x, y, _, _ = problem
    grid = {"backprop": ["exact", "textbook"]}
    search = GridSearchCV(RecurrentNetwork(6, 32, 0.05, seed=0), grid, cv=2)
    one = search.fit(x, y, epochs=2, n_features=100).cv_results_
    with local_cluster():
        with joblib.parallel_backend("dask"):
            spread = GridSearchCV(RecurrentNetwork(6, 32, 0.05, seed=0), grid, cv=2, n_jobs=-1)
            many = spread.fit(x, y, epochs=2, n_features=100).cv_results_
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        assert many[key].tolist() == one[key].tolist()


def test_record_is_one_runs_history_as_a_copy(sequential):
    run = sequential.plan[5]
    rec = sequential.record(run)
    f = sequential.frame
    rows = f.iloc[5 * EPOCHS : 6 * EPOCHS]
    assert rec["loss"] == rows["loss"].tolist() and rec["seconds"] == rows["seconds"].tolist()
    assert sequential.record(5) == rec and rec["version"]
    rec["loss"].append(0.0)  # a copy: the sweep's own history is untouched
    assert len(sequential.record(run)["loss"]) == EPOCHS
    assert sequential.record(len(sequential.plan) + 1) is None
