"""benchmarks.sweep_cost runs and reports what it claims to measure (no timing asserted)."""

import json
import subprocess
import sys

from helpers import require


def test_sweep_cost_quick_reports_every_ratio(tmp_path):
    require("pandas")
    require("threadpoolctl")
    out = tmp_path / "sweep.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.sweep_cost", "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    (result,) = json.loads(out.read_text())
    assert result["n_runs"] == 8 and result["n_train"] == 2000
    for name in ("plain", "sequential", "processes"):
        assert len(result["seconds"][name]) == result["rounds"] == 1
        assert result["median_seconds"][name] > 0
    r, m = result["ratios"], result["median_seconds"]
    assert r["processes/sequential"] == m["processes"] / m["sequential"]
    assert r["sequential/plain"] == m["sequential"] / m["plain"]
    assert 0 < r["max cpu/wall"] < 10
    assert set(result["met"]) == set(r)
    assert "| " + result["cpu_level"] + " |" in proc.stdout
