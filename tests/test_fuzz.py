"""Property test: the compiled kernels equal the NumPy reference over random shapes, window
sizes, both rules and every input kind (bounded number of examples for CI)."""

import os

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from helpers import CPU_LEVELS, one_hot, random_params, rel_err  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st
from test_kernels import compiled_pass, reference_pass  # noqa: E402

from rnnfast._cpu import use_cpu_level  # noqa: E402
from rnnfast.backends import RowBatch  # noqa: E402


@st.composite
def problems(draw):
    m = draw(st.integers(1, 9))
    T = draw(st.integers(1, 14))
    nf = draw(st.integers(1, 11))
    # small layers, and widths around the multiples of the levels' panel widths (4, 8, 32)
    # where the kernels take their own product (_vmath_panel.h) instead of BLAS
    nc = draw(st.one_of(st.integers(1, 9), st.sampled_from([12, 16, 24, 31, 32, 33, 64, 96])))
    k = draw(st.integers(1, T))
    kind = draw(st.sampled_from(["dense", "ids", "onehot32", "rows"]))
    rule = draw(st.sampled_from(["exact", "textbook"]))
    seed = draw(st.integers(0, 2**16))
    scale = draw(st.sampled_from([0.1, 1.0, 3.0]))
    return m, T, nf, nc, k, kind, rule, seed, scale


@settings(max_examples=int(os.environ.get("RNNFAST_FUZZ_EXAMPLES", "150")), deadline=None)
@given(problems())
def test_kernels_equal_reference_on_random_problems(problem):
    m, T, nf, nc, k, kind, rule, seed, scale = problem
    rng = np.random.default_rng(seed)
    params = random_params(nf, nc, seed=seed, scale=scale)
    ids = rng.integers(0, nf, (m, T)).astype(rng.choice([np.int32, np.int64]))
    y = rng.integers(0, 2, m).astype(float)
    if kind == "dense":
        x = x_dense = rng.normal(0, scale, (m, T, nf))
    elif kind == "ids":
        x, x_dense = ids, one_hot(ids, nf)
    elif kind == "onehot32":
        oh = one_hot(ids, nf, np.float32)
        x, x_dense = RowBatch(oh, np.arange(m, dtype=np.int64)), oh.astype(float)
    else:
        big = rng.normal(0, 1, (m + 2, T, nf)) * (rng.random((m + 2, T, nf)) < 0.2)
        rows = rng.permutation(m + 2)[:m].astype(np.int64)
        x, x_dense = RowBatch(big, rows), big[rows]
    z_ref, h_ref, g_ref, n_ref, _ = reference_pass(x_dense, y, params, k, rule)
    for level in CPU_LEVELS:  # every level the machine supports
        with use_cpu_level(level):
            check(compiled_pass(x, y, params, k, rule), z_ref, h_ref, g_ref, n_ref, params)


def check(compiled, z_ref, h_ref, g_ref, n_ref, params):
    z, hs, g, norms, _ = compiled
    # The same 1e-10 normwise tolerance as test_kernels.py for the forward pass.  The two sides
    # use different tanh implementations (NumPy's, the kernels'), a few ulp apart; the
    # backward pass multiplies by (1 - h^2), which turns an ulp of h into a relative error of
    # 1 / (1 - h^2) ulp when a cell saturates (weights scaled by 3 drive h to within 1e-9 of
    # 1).  The gradients' tolerance is scaled by that condition number.
    assert rel_err(z, z_ref) < 1e-10
    assert rel_err(hs, h_ref) < 1e-10
    kappa = max(1.0, 1.0 / np.min(1.0 - h_ref[1:] ** 2))
    for name, expected in zip(("w1h", "w1x", "b1", "w2", "b2"), g_ref):
        assert rel_err(g[name], np.reshape(expected, params[name].shape)) < 1e-10 * kappa, name
    assert rel_err(norms, n_ref) < 1e-10 * kappa
