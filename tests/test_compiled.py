"""Without the compiled extension (a missing or broken build): ``import rnnfast`` and the NumPy
backend work, and what needs the extension (the compiled backend, ``python -m benchmarks``,
the textbook example) says in one line why and what to run.  And the README's example runs
from the clone's root, where Python imports the source tree itself (it must hold the build).

The missing extension is simulated in a subprocess: ``sys.modules[name] = None`` makes every
import of ``name`` fail as a missing module does.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import rnnfast

ROOT = Path(__file__).resolve().parents[1]
#: The folder holding the rnnfast these tests import (the clone's root, or site-packages).
RNNFAST_PARENT = str(Path(rnnfast.__file__).resolve().parents[1])

HIDE = "import sys; sys.modules['rnnfast._kernels'] = None; sys.modules['rnnfast._train'] = None\n"
CAUSE = "import of rnnfast._kernels halted; None in sys.modules"


def _python(code, cwd, env_extra=None, timeout=300):
    """``python -c code`` importing the same rnnfast (and benchmarks) as these tests."""
    paths = [RNNFAST_PARENT, str(ROOT)] + [
        p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p
    ]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(dict.fromkeys(paths)), **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _assert_one_line_hint(message):
    assert "\n" not in message.strip(), message
    assert "rnnfast._kernels" in message and CAUSE in message, message
    assert "pip install -e ." in message and "build_ext --inplace" in message, message


def test_import_and_numpy_backend_work_and_compiled_backend_says_what_to_run(tmp_path):
    code = HIDE + textwrap.dedent("""
        import numpy as np
        import rnnfast
        from rnnfast import RecurrentNetwork
        from rnnfast._compiled import CompiledExtensionError, problem

        rng = np.random.default_rng(0)
        x, y = rng.integers(0, 10, (64, 5)), rng.integers(0, 2, 64)
        rn = RecurrentNetwork(4, 16, 0.1, backend="numpy", seed=0)
        rn.fit(x, y, epochs=1, n_features=10)
        print("numpy score", rn.score(x, y))
        try:
            RecurrentNetwork(4, 16, 0.1)
        except CompiledExtensionError as exc:
            assert isinstance(exc, ImportError)
            print("compiled:", exc)
        else:
            raise SystemExit("no error without the extension")
        print("problem:", problem())
    """)
    proc = _python(code, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("numpy score ")
    compiled = [line for line in lines if line.startswith("compiled: ")]
    assert len(compiled) == 1
    _assert_one_line_hint(compiled[0])
    # From another folder than the clone's root the hint names the folder to run it in.
    if (Path(RNNFAST_PARENT) / "setup.py").is_file():
        assert f"in {RNNFAST_PARENT}" in compiled[0]
    assert [line[len("problem: ") :] for line in lines if line.startswith("problem: ")] == [
        compiled[0][len("compiled: ") :]
    ]


def test_problem_is_none_with_the_extension():
    from rnnfast import _compiled

    assert _compiled.problem() is None
    assert _compiled.kernels().__name__ == "rnnfast._kernels"
    assert _compiled.train().__name__ == "rnnfast._train"


def test_benchmarks_say_what_to_run_in_one_line(tmp_path):
    code = HIDE + (
        "import runpy; sys.argv = ['benchmarks', '--quick']; "
        "runpy.run_module('benchmarks', run_name='__main__', alter_sys=True)"
    )
    proc = _python(code, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""  # nothing ran
    err = proc.stderr.strip()
    assert err.startswith("python -m benchmarks: rnnfast's compiled extension"), err
    _assert_one_line_hint(err)


def test_textbook_example_says_what_to_run_in_one_line(tmp_path):
    code = HIDE + (
        "from rnnfast.examples.textbook import main; "
        "raise SystemExit(main(['--sample', '--epochs', '1', '--quiet-progress']))"
    )
    proc = _python(code, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    err = proc.stderr.strip()
    assert err.startswith("error: rnnfast's compiled extension"), err
    _assert_one_line_hint(err)


def test_textbook_example_runs_from_the_clone_root():
    """The README's command as written, from the clone's root: Python imports the source tree
    ``rnnfast/`` there (before any installed copy), so it must hold the compiled extension, as
    ``pip install -e .`` leaves it."""
    if not (ROOT / "setup.py").is_file():
        pytest.skip("not run from a clone")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "RNNFAST_IMDB", "RNNFAST_IMDB_WORD_INDEX")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "rnnfast.examples.textbook", "--sample", "--epochs", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ">>> rn.score(x_val_onehot, y_val)" in proc.stdout
