"""fit holds BLAS to one thread for networks of ordinary size (rnnfast/_threads.py), and the
busy-core benchmark reports what it measures."""

import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import require

from rnnfast import LambdaCallback, RecurrentNetwork, _threads


def blas_threads():
    from threadpoolctl import threadpool_info

    return sorted({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})


@pytest.mark.parametrize("cells, held", [(8, True), (_threads.MULTITHREAD_CELLS, False)])
def test_fit_holds_blas_to_one_thread_below_the_limit_and_restores_it(cells, held):
    require("threadpoolctl")
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 20, (8, 5), dtype=np.int32), rng.integers(0, 2, 8)
    seen = []
    with threadpool_limits(2, user_api="blas"):  # as on a 2-core machine by default
        before = blas_threads()
        cb = LambdaCallback(on_batch_end=lambda net, info: seen.append(blas_threads()))
        RecurrentNetwork(cells, 8, 0.01, seed=0, callbacks=[cb]).fit(x, y, 1, n_features=20)
        assert blas_threads() == before == [2]
    assert seen and all(s == ([1] if held else [2]) for s in seen)


def test_busy_core_benchmark_quick(tmp_path):
    require("threadpoolctl")
    out = tmp_path / "busy.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.busy_core", "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text())
    assert set(res["median"]) == {"idle, 1 thread", "busy", "busy, BLAS's threads"}
    ref = res["median"]["idle, 1 thread"]["wall"]
    assert res["ratio"]["busy"] == res["median"]["busy"]["wall"] / ref
    assert res["met"] == (res["ratio"]["busy"] <= 1.2)
    assert "wall / idle 1-thread" in proc.stdout
