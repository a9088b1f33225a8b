"""The benchmark suite (``python -m benchmarks``) as CI runs it: ``--quick`` in a subprocess.

Only structure and correctness are checked -- never a timing: the machines are shared and the
numbers move.
"""

import importlib.util
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

W1_CONFIGS = (
    "numpy-onehot",
    "cython-onehot",
    "cython-onehot-sparse",
    "cython-onehot-blas",
    "cython-ids",
    "numpy-ids",
)


def _package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return None
    return str(Path(spec.origin).resolve().parent.parent)


def _child_env():
    """PYTHONPATH for a child that imports the same rnnfast as these tests (installed or in
    place), and ``benchmarks`` from wherever it is (installed, or this checkout last)."""
    paths = [p for p in (_package_dir("rnnfast"), _package_dir("benchmarks")) if p]
    paths.append(str(ROOT))
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def _import_benchmarks():
    if importlib.util.find_spec("benchmarks") is None:
        sys.path.append(str(ROOT))  # last: an installed rnnfast keeps precedence
    import benchmarks.flops
    import benchmarks.workloads

    return benchmarks


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    out_json, plots = tmp / "quick.json", tmp / "plots"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--json",
            str(out_json),
            "--plots",
            str(plots),
        ],
        cwd=tmp,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (
        f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-5000:]}"
    )
    with open(out_json) as f:
        doc = json.load(f)
    return doc, proc, plots


def test_help_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"],
        cwd=ROOT.parent,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for flag in ("--quick", "--json", "--plots", "--threads", "--workloads"):
        assert flag in proc.stdout


def test_quick_json_has_the_expected_sections(quick_run):
    doc, _, _ = quick_run
    assert doc["schema"] == "rnnfast-benchmarks-1"
    assert doc["quick"] is True
    for key in (
        "settings",
        "environment",
        "checks",
        "rates",
        "w1",
        "memory",
        "w2",
        "sweeps",
        "breakdown",
        "flop_model",
        "elapsed_s",
    ):
        assert key in doc, key
    env = doc["environment"]
    for key in ("cpu_model", "numpy", "scipy", "tanh_kind", "blas", "threads", "OPENBLAS_CORETYPE"):
        assert key in env, key
    assert env["threads"] == doc["settings"]["threads"] == 1
    assert doc["rates"]["dgemm"]["numpy_gflops_best"] > 0


def test_quick_correctness_checks_passed(quick_run):
    doc, _, _ = quick_run
    checks = doc["checks"]
    assert checks["passed"] is True
    assert checks["items"], "no correctness check ran"
    assert all(item["passed"] for item in checks["items"])
    assert {item["config"] for item in checks["items"] if item["workload"] == "W1"} == set(
        W1_CONFIGS
    ) - {"numpy-onehot"}
    for item in checks["items"]:
        assert max(item["max_rel_diff"].values()) <= item["tolerance"]


def test_quick_w1_configurations_and_ratios(quick_run):
    doc, proc, _ = quick_run
    w1 = doc["w1"]
    assert set(w1["configs"]) == set(W1_CONFIGS)
    for name, row in w1["configs"].items():
        assert len(row["times_s"]) == doc["settings"]["runs"], name
        assert row["median_s"] > 0 and row["flops"] > 0 and row["bound_s"] > 0
        assert row["speedup_vs_numpy_onehot"] > 0
    assert w1["configs"]["numpy-onehot"]["speedup_vs_numpy_onehot"] == pytest.approx(1.0)
    assert (
        "zero-skipping" in w1["configs"]["cython-onehot"]["path"]
        or "sparse" in w1["configs"]["cython-onehot"]["path"]
    )
    for key in ("onehot", "onehot_blas", "ids", "ids_vs_numpy_ids"):
        assert w1["speedups"][key] > 0
    # every configuration trained the same epoch (same seed, same data)
    assert w1["loss_agreement"] <= 1e-9
    assert "| configuration |" in proc.stdout


def test_quick_memory_is_measured_per_process(quick_run):
    doc, _, _ = quick_run
    mem = doc["memory"]
    assert set(mem["baselines"]) == {"onehot", "ids"}
    for name in ("cython-onehot", "cython-ids"):
        row = mem["configs"][name]
        assert row["peak_bytes"] > 0 and row["baseline_bytes"] > 0
        assert row["delta_bytes"] == row["peak_bytes"] - row["baseline_bytes"]
    assert "limit_bytes" in mem["ids_limit"]


def test_quick_w2_is_run_or_reported_missing(quick_run):
    doc, proc, _ = quick_run
    w2 = doc["w2"]
    if w2["available"]:
        assert set(w2["configs"]) == {"numpy-ids", "cython-ids"}
        assert any(item["workload"] == "W2" for item in doc["checks"]["items"])
    else:
        assert w2["reason"]
        assert "W2: not available yet" in proc.stdout


def test_quick_sweeps_and_plots(quick_run):
    doc, _, plots = quick_run
    assert set(doc["sweeps"]) == {"T", "n_cells", "batch", "bptt"}
    for name, points in doc["sweeps"].items():
        assert points, name
        for p in points:
            assert p["n_samples"] >= 1
            for cname in ("cython-onehot", "cython-ids"):
                row = p["configs"][cname]
                assert row["s_per_sample"] > 0 and row["bound_s_per_sample"] > 0
    if importlib.util.find_spec("matplotlib") is not None:
        for name in doc["sweeps"]:
            assert (plots / f"sweep_{name}.png").stat().st_size > 0
    else:
        assert "matplotlib" in doc.get("plots_message", "")


def test_flop_model_counts_w1():
    fl = _import_benchmarks().flops
    # one batch of 32, T=100, 32 cells, 100 features, 10 steps back, token ids, no validation
    f = fl.epoch_flops(32, 32, 100, 32, 100, 10, gather=True)
    m, T, nc, nf, k = 32, 100, 32, 100, 10
    forward = m * T * nc + 2 * m * nc * nc * (T - 1) + 2 * m * nc  # h_-1 = 0: no product
    backward = (
        6 * m * nc
        + m
        + k * (2 * m * nc * nc + 4 * m * nc)
        + (k - 1) * (2 * m * nc * nc + 3 * m * nc)
    )
    update = 2 * (nc * nc + nf * nc + 2 * nc + 1)
    assert f["flops"] == forward + backward + update
    assert f["tanh_evals"] == m * T * nc
    dense = fl.epoch_flops(32, 32, 100, 32, 100, 10, gather=False)
    assert dense["flops"] - f["flops"] == (2 * m * T * nf * nc + m * T * nc - m * T * nc) + k * (
        2 * m * nf * nc - m * nc
    )
    # a partial last batch and full BPTT
    assert (
        fl.epoch_flops(40, 32, 5, 4, 3, None, True)["flops"]
        == fl.epoch_flops(32, 32, 5, 4, 3, None, True)["flops"]
        + fl.epoch_flops(8, 8, 5, 4, 3, None, True)["flops"]
    )


def test_check_aborts_when_results_differ():
    wl = _import_benchmarks().workloads
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 10, (16, 6)).astype(np.int32)
    y = rng.integers(0, 2, 16)
    inputs = {"ids": (ids, y, ids[:4], y[:4])}
    good = wl.config("ref", "numpy", "ids", n_features=10, n_cells=4, batch_size=8)
    same = wl.config("same", "cython", "ids", n_features=10, n_cells=4, batch_size=8)
    records, _ = wl.check_slice("test", [good, same], inputs, "ref", n=16)
    assert records[0]["passed"]
    wrong = wl.config(
        "wrong", "cython", "ids", n_features=10, n_cells=4, batch_size=8, learning_rate=0.02
    )
    with pytest.raises(wl.CheckFailed, match="wrong differs from ref"):
        wl.check_slice("test", [good, wrong], inputs, "ref", n=16)


def test_cpu_levels_quick_run_covers_every_level(tmp_path):
    """``--cpu-levels --quick``: one child per level the CPU supports, each held at its level
    (the kernels report it), W1's correctness checks passed, a sweep row per width."""
    from rnnfast import cpu_levels

    out_json = tmp_path / "levels.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--cpu-levels",
            "--quick",
            "--runs",
            "1",
            "--json",
            str(out_json),
        ],
        cwd=tmp_path,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-5000:]
    doc = json.loads(out_json.read_text())
    assert [r["level"] for r in doc["levels"]] == list(cpu_levels())
    for result in doc["levels"]:
        assert result["env"]["RNNFAST_CPU"] == result["level"]
        assert all(c["passed"] for c in result["w1"]["checks"])
        assert [p["n_cells"] for p in result["sweep"]] == [8, 32, 33]
        for name in ("numpy-onehot", "cython-onehot", "cython-ids", "cython-ids-float32"):
            assert result["w1"][name]["median_s"] > 0
        # the tile-or-BLAS measurement: both timed, and the kernels' choice reported
        for row in result["products"]:
            assert row["own"] > 0 and row["blas"] > 0 and row["auto"] in ("tile", "BLAS")
    assert "register tile or BLAS" in proc.stdout
    assert "## Goals (issue 11)" in proc.stdout
    for level in cpu_levels():
        assert f"**{level}**" in proc.stdout


def test_level_env_holds_blas_and_numpy_at_the_level():
    levels = _import_benchmarks() and __import__("benchmarks.levels").levels
    if platform.machine() != "x86_64":
        pytest.skip("x86-64 levels")
    assert levels.level_env("x86-64-v3")["OPENBLAS_CORETYPE"] == "Haswell"
    v3_off = levels.level_env("x86-64-v3").get("NPY_DISABLE_CPU_FEATURES", "").split()
    base_off = levels.level_env("baseline").get("NPY_DISABLE_CPU_FEATURES", "").split()
    assert not any(f.startswith("AVX2") for f in v3_off)
    assert set(v3_off) <= set(base_off)
    assert "OPENBLAS_CORETYPE" not in levels.level_env("x86-64-v4")
