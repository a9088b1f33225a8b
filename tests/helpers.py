"""Shared helpers for the tests: random problems and a normwise relative error."""

import numpy as np

from rnnfast.initializers import init_params


def rel_err(actual, expected):
    """Normwise relative error max|a - e| / max|e| (elementwise relative error is
    meaningless for entries near zero).  0 when both are zero."""
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    scale = np.max(np.abs(expected)) if expected.size else 0.0
    diff = np.max(np.abs(actual - expected)) if expected.size else 0.0
    return diff / scale if scale > 0 else diff


def random_params(n_features, n_cells, seed=0, scale=1.0):
    """The source's initialisation, with nonzero biases so that every term is exercised."""
    rng = np.random.default_rng(seed)
    p = init_params(rng, n_features, n_cells)
    p["w1h"] = p["w1h"] * scale
    p["b1"] = rng.normal(0, 0.1, n_cells)
    p["b2"] = rng.normal(0, 0.1, 1)
    return p


def random_ids(m, n_steps, n_features, seed=0):
    return np.random.default_rng(seed + 1).integers(0, n_features, (m, n_steps)).astype(np.int32)


def one_hot(ids, n_features, dtype=np.float64):
    return np.eye(n_features, dtype=dtype)[ids]


def random_labels(m, seed=0):
    return np.random.default_rng(seed + 2).integers(0, 2, m).astype(np.float64)


def run_python(args, timeout=300, env=None, **kwargs):
    """Run ``python *args`` as a user would: from a scratch directory, so that the source
    tree (where ``rnnfast`` has no compiled extension unless built in place) does not shadow
    the installed package.  A relative PYTHONPATH (an in-place development build) is made
    absolute so that it still works from there."""
    import os
    import subprocess
    import sys
    import tempfile

    env = dict(os.environ if env is None else env)
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(
            os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep)
        )
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run(
            [sys.executable, *args],
            cwd=kwargs.pop("cwd", scratch),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )


def token_problem(n_val):
    """A small learnable problem: 200 training + n_val validation sequences of 15 token ids
    (< 12); the label is whether token 1 occurs in the last 4 steps.  (x, y, x_val, y_val)"""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 12, (200 + n_val, 15)).astype(np.int32)
    y = (x[:, -4:] == 1).any(axis=1).astype(np.int64)
    return x[:200], y[:200], x[200:], y[200:]


def one_blas_thread():
    """BLAS on one thread (threadpoolctl, where installed): the condition under which the
    kernels use their own product for wide layers (rnnfast/_vmath.h)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1)


def _cpu_levels():
    try:
        from rnnfast._cpu import cpu_levels

        return cpu_levels()
    except ImportError:  # no compiled kernels: their tests fail on their own
        return ()


#: The CPU levels this machine supports (rnnfast._cpu): the kernel tests run at each.
CPU_LEVELS = _cpu_levels()


def require(module):
    """``pytest.importorskip(module)``, except in CI (RNNFAST_CI=1), which installs every
    test extra: there a missing module fails the test instead of skipping it."""
    import importlib
    import os

    import pytest

    if os.environ.get("RNNFAST_CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module)
