"""CPU levels (rnnfast/_cpu.py): RNNFAST_CPU read at import forces the dispatch to a level or
lower, rnnfast.cpu_level() reports the level in use, a bad value is an error naming the
variable.  The kernels' results at every level are tested in test_kernels.py and test_fuzz.py
(tests/conftest.py's cpu_level fixture)."""

import os
import subprocess
import sys

import pytest
from helpers import CPU_LEVELS

import rnnfast
from rnnfast._cpu import LEVELS, requested_level

pytestmark = pytest.mark.skipif(not CPU_LEVELS, reason="the compiled kernels are not built")


def _level_in_child(value):
    env = dict(os.environ)
    env.pop("RNNFAST_CPU", None)
    if value is not None:
        env["RNNFAST_CPU"] = value
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import rnnfast; print(rnnfast.cpu_level(), ','.join(rnnfast.cpu_levels()))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unset_means_the_best_level_of_the_cpu():
    proc = _level_in_child(None)
    assert proc.returncode == 0, proc.stderr
    level, supported = proc.stdout.split()
    assert level == supported.split(",")[-1] == CPU_LEVELS[-1]


@pytest.mark.parametrize("wanted", LEVELS)
def test_rnnfast_cpu_forces_that_level_or_the_best_below(wanted):
    proc = _level_in_child(wanted)
    assert proc.returncode == 0, proc.stderr
    level = proc.stdout.split()[0]
    expected = wanted if wanted in CPU_LEVELS else CPU_LEVELS[-1]
    assert level == expected


def test_a_bad_value_names_the_variable_and_the_choices():
    proc = _level_in_child("avx2")
    assert proc.returncode != 0
    assert "RNNFAST_CPU='avx2'" in proc.stderr and "x86-64-v3" in proc.stderr
    with pytest.raises(ValueError, match="RNNFAST_CPU"):
        requested_level({"RNNFAST_CPU": "sse9"})
    assert requested_level({}) == len(LEVELS) - 1
    assert requested_level({"RNNFAST_CPU": " baseline "}) == 0


def test_cpu_levels_are_ordered_and_start_at_the_baseline():
    assert rnnfast.cpu_levels()[0] == "baseline"
    assert list(rnnfast.cpu_levels()) == list(LEVELS[: len(rnnfast.cpu_levels())])
    assert rnnfast.cpu_level() in rnnfast.cpu_levels()
