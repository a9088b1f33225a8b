"""The compiled kernels against the NumPy reference (the source's code), for both backprop
rules, every input path and many shapes; and the kernels' tanh against libm.

Tolerance: 1e-10 normwise relative error in float64.  The two sides add the same terms in a
different order (one hoisted product against per-step products, BLAS blocking, a gather
against a one-hot product), so they agree to a few ulp per operation, amplified at most by the
depth of the recursion; 1e-10 leaves room for that and nothing else.
"""

import math

import numpy as np
import pytest
from helpers import one_blas_thread, one_hot, random_ids, random_labels, random_params, rel_err

from rnnfast import _kernels
from rnnfast.backends import CythonBackend, NumpyBackend, RowBatch
from rnnfast.reference import NumpyRecurrentNetwork

TOL = 1e-10

# Every test here runs once per CPU level the machine supports (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cpu_level")

# (m, T, n_features, n_cells, bptt_steps): m=1, T=1, T<k, k=1, k=T, full BPTT, n_cells=1,
# n_features=1, odd sizes, the source's workload, and a wide layer (256 cells: the in-place
# product of _vmath.h instead of BLAS; 7 rows: a block of 4 and 3 single rows).
SHAPES = [
    (1, 1, 1, 1, 1),
    (1, 5, 3, 2, None),
    (3, 1, 4, 5, 10),
    (3, 4, 4, 5, 10),
    (4, 7, 5, 3, 1),
    (4, 7, 5, 3, 7),
    (5, 9, 6, 4, None),
    (2, 3, 1, 1, 2),
    (7, 11, 13, 5, 4),
    (6, 8, 2, 1, None),
    (32, 100, 100, 32, 10),
    (7, 5, 9, 256, 3),
]
RULES = ["exact", "textbook"]


def reference_pass(x, y, params, k, rule):
    """z2, hidden states and gradients from the source's class."""
    ref = NumpyRecurrentNetwork(n_cells=params["w1h"].shape[0], bptt_steps=k, backprop_rule=rule)
    ref.w1h, ref.w1x, ref.b1, ref.w2, ref.b2 = (
        params[n].copy() for n in ("w1h", "w1x", "b1", "w2", "b2")
    )
    z2 = ref.forpass(x)[:, 0]
    a = 1 / (1 + np.exp(-z2))
    grads = ref.backprop(x, (a - y).reshape(-1, 1))
    return z2, np.stack(ref.h), grads, ref.grad_norms, a


def compiled_pass(x, y, params, k, rule, backend=None):
    backend = backend or CythonBackend()
    z2, hs = backend.forward(x, params, keep_states=True)
    z2, hs = z2.copy(), hs.copy()
    a = 1 / (1 + np.exp(-z2))
    grads, norms = backend.backward(x, hs, a - y, params, k, rule == "textbook")
    return z2, hs, {n: g.copy() for n, g in grads.items()}, norms.copy(), a


def inputs(kind, m, T, nf, seed):
    """The same batch in each input form the kernels take."""
    ids = random_ids(m, T, nf, seed)
    if kind == "ids":
        return ids, one_hot(ids, nf)
    if kind == "dense":
        x = np.random.default_rng(seed + 5).normal(size=(m, T, nf))
        return x, x
    if kind == "sparse-onehot32":
        oh = one_hot(ids, nf, np.float32)
        return RowBatch(oh, np.arange(m, dtype=np.int64)), oh.astype(np.float64)
    if kind == "sparse-rows":
        # Rows picked out of a larger array, shuffled, with a few non-binary values.
        big = np.zeros((m + 3, T, nf))
        big[:m] = one_hot(ids, nf) * np.random.default_rng(seed).uniform(0.5, 2, (m, T, 1))
        rows = np.random.default_rng(seed).permutation(m + 3)[:m].astype(np.int64)
        return RowBatch(big, rows), big[rows]
    raise ValueError(kind)


KINDS = ["dense", "ids", "sparse-onehot32", "sparse-rows"]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", SHAPES, ids=[str(s) for s in SHAPES])
def test_kernels_match_reference(shape, kind, rule):
    m, T, nf, nc, bptt = shape
    k = T if bptt is None else min(bptt, T)
    params = random_params(nf, nc, seed=m + T + nf)
    x, x_dense = inputs(kind, m, T, nf, seed=nc)
    y = random_labels(m, seed=T)
    z_ref, h_ref, g_ref, n_ref, a_ref = reference_pass(x_dense, y, params, k, rule)
    with one_blas_thread():
        z, hs, g, norms, a = compiled_pass(x, y, params, k, rule)
    assert rel_err(z, z_ref) < TOL
    assert rel_err(hs, h_ref) < TOL
    for name, expected in zip(("w1h", "w1x", "b1", "w2", "b2"), g_ref):
        assert g[name].shape == params[name].shape
        assert rel_err(g[name], np.reshape(expected, params[name].shape)) < TOL, name
    assert norms.shape == (k,)
    assert rel_err(norms, n_ref) < TOL


@pytest.mark.parametrize("kind", ["dense", "ids"])
def test_numpy_backend_is_the_reference(kind):
    m, T, nf, nc = 5, 6, 7, 3
    params = random_params(nf, nc)
    x, x_dense = inputs(kind, m, T, nf, seed=1)
    y = random_labels(m)
    z_ref, _, g_ref, _, _ = reference_pass(x_dense, y, params, 4, "exact")
    z, _, g, _, _ = compiled_pass(x, y, params, 4, "exact", backend=NumpyBackend())
    assert rel_err(z, z_ref) < TOL
    assert rel_err(g["w1x"], g_ref[1]) < TOL


def test_ring_buffer_forward_gives_the_same_output():
    params = random_params(9, 4)
    x = random_ids(6, 12, 9)
    backend = CythonBackend()
    z_all, hs = backend.forward(x, params, keep_states=True)
    z_all, h_last = z_all.copy(), hs[-1].copy()
    z_ring, ring = backend.forward(x, params, keep_states=False)
    assert ring.shape[0] == 2
    np.testing.assert_array_equal(z_ring, z_all)
    np.testing.assert_array_equal(ring[12 % 2], h_last)


def test_float32_kernels_follow_float64():
    """float32 weights: same computation in single precision (tolerance: float32 rounding
    accumulated over T = 20 steps)."""
    m, T, nf, nc = 8, 20, 10, 6
    p64 = random_params(nf, nc)
    p32 = {n: a.astype(np.float32) for n, a in p64.items()}
    x = random_ids(m, T, nf)
    y = random_labels(m)
    z64, _, g64, _, _ = compiled_pass(x, y, p64, 10, "exact")
    z32, _, g32, _, _ = compiled_pass(x, y, p32, 10, "exact")
    assert g32["w1h"].dtype == np.float32
    assert rel_err(z32, z64) < 1e-5
    for name in g64:
        assert rel_err(g32[name], g64[name]) < 1e-4, name


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_int64_ids_give_the_int32_results(dtype):
    """Each (index type, float type) pair has its own compiled gather and scatter: all equal."""
    m, T, nf, nc = 5, 9, 11, 16
    params = {n: a.astype(dtype) for n, a in random_params(nf, nc).items()}
    x32 = random_ids(m, T, nf)
    y = random_labels(m)
    z32, hs32, g32, n32, _ = compiled_pass(x32, y, params, 4, "exact")
    z64, hs64, g64, n64, _ = compiled_pass(x32.astype(np.int64), y, params, 4, "exact")
    np.testing.assert_array_equal(z64, z32)
    np.testing.assert_array_equal(hs64, hs32)
    np.testing.assert_array_equal(n64, n32)
    for name in g32:
        np.testing.assert_array_equal(g64[name], g32[name])


@pytest.mark.parametrize("h0_scale", [0.0, 0.5])
def test_forward_starts_from_the_given_initial_state(h0_scale):
    """The kernels skip the first product when hs[0] is zero; any other initial state is
    used (checked against a plain NumPy loop)."""
    m, T, nf, nc = 4, 6, 7, 8
    p = random_params(nf, nc)
    ids = random_ids(m, T, nf)
    h0 = h0_scale * np.random.default_rng(9).normal(size=(m, nc))
    hs = np.empty((T + 1, m, nc))
    hs[0] = h0
    z2 = np.empty(m)
    _kernels.forward_ids(ids, p["w1x"], p["w1h"], p["b1"], p["w2"], p["b2"], hs, z2)
    h = h0
    for t in range(T):
        h = np.tanh(p["w1x"][ids[:, t]] + h @ p["w1h"] + p["b1"])
        assert rel_err(hs[t + 1], h) < 1e-13
    assert rel_err(z2, (h @ p["w2"] + p["b2"])[:, 0]) < 1e-13


def test_blas_thread_count_is_read():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1):
        assert _kernels.blas_threads() == 1
    with threadpoolctl.threadpool_limits(2):
        assert _kernels.blas_threads() in (1, 2)  # OpenBLAS caps it at its build's maximum


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-13), (np.float32, 2e-6)])
@pytest.mark.parametrize("id_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("m", [6, 13])
@pytest.mark.parametrize("panels", [1, 2, 3, 8])
def test_own_product_equals_blas(panels, m, id_dtype, dtype, tol, cpu_level):
    """The recurrent product in _vmath_panel.h's register tile (widths a multiple of the
    level's panel width; 13 rows: whole tiles and a shorter last tile; the token-id gather
    folded in) against BLAS: the same sums in another order, so equal to rounding (1e-13 in
    float64; float32: a few ulp of 6e-8 over 4 steps)."""
    is_double = dtype == np.float64
    nc = panels * _kernels.panel_width(is_double)
    if nc == 1:
        pytest.skip("no vector code in this build")
    T, nf = 4, 9
    p = {n: a.astype(dtype) for n, a in random_params(nf, nc).items()}  # orthogonal w1h
    ids = random_ids(m, T, nf).astype(id_dtype)
    h0 = np.random.default_rng(2).normal(size=(m, nc)).astype(dtype)  # every step multiplies
    out = {}
    for product in ("own", "blas"):
        previous = _kernels.set_product(product)
        try:
            for form in ("ids", "dense"):
                hs = np.zeros((T + 1, m, nc), dtype)
                z2 = np.empty(m, dtype)
                hs[0] = h0
                if form == "ids":
                    _kernels.forward_ids(ids, p["w1x"], p["w1h"], p["b1"], p["w2"], p["b2"], hs, z2)
                else:
                    x = one_hot(ids, nf, dtype)
                    xw = np.empty((m, T, nc), dtype)
                    _kernels.forward_dense(
                        x, p["w1x"], p["w1h"], p["b1"], p["w2"], p["b2"], xw, hs, z2
                    )
                out[product, form] = hs
        finally:
            _kernels.set_product(previous)
    for form in ("ids", "dense"):
        assert rel_err(out["own", form], out["blas", form]) < tol
    assert not np.array_equal(out["own", "ids"], out["blas", "ids"])  # both paths did run


def test_every_cpu_level_of_the_machine_runs_its_own_code():
    """Forcing a level changes the code that runs: the panel width is the level's."""
    from rnnfast._cpu import LEVELS, cpu_levels, use_cpu_level

    widths = {}
    for level in cpu_levels():
        with use_cpu_level(level):
            assert _kernels.cpu_level() == LEVELS.index(level)
            widths[level] = _kernels.panel_width(True)
    if len(widths) > 1 and 1 not in widths.values():
        assert len(set(widths.values())) == len(widths)
    with pytest.raises(ValueError, match="level"):
        with use_cpu_level("avx9000"):
            pass


def test_rules_differ_only_through_the_transpose():
    """With a symmetric w1h the source's rule is exact; otherwise it is not."""
    m, T, nf, nc = 4, 8, 5, 6
    params = random_params(nf, nc)
    x, y = random_ids(m, T, nf), random_labels(m)
    _, _, exact, _, _ = compiled_pass(x, y, params, T, "exact")
    _, _, book, _, _ = compiled_pass(x, y, params, T, "textbook")
    assert rel_err(book["w1h"], exact["w1h"]) > 1e-3
    np.testing.assert_array_equal(book["w2"], exact["w2"])  # the output layer is unaffected
    sym = dict(params, w1h=(params["w1h"] + params["w1h"].T) / 2)
    _, _, exact, _, _ = compiled_pass(x, y, sym, T, "exact")
    _, _, book, _, _ = compiled_pass(x, y, sym, T, "textbook")
    for name in exact:
        np.testing.assert_allclose(book[name], exact[name], rtol=0, atol=1e-15)


def loss_of(params, x, y):
    """Mean binary cross-entropy, unclipped, from a plain forward pass."""
    h = np.zeros((x.shape[0], params["w1h"].shape[0]))
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ params["w1x"] + h @ params["w1h"] + params["b1"])
    z = h @ params["w2"] + params["b2"]
    a = 1 / (1 + np.exp(-z[:, 0]))
    return -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))


@pytest.mark.parametrize("kind", ["dense", "ids"])
def test_exact_rule_full_bptt_matches_central_differences(kind):
    """Central differences, h = 1e-6: truncation error O(h^2) ~ 1e-12 and rounding
    O(eps / h) ~ 1e-10 in the loss, so about 1e-7 relative on these gradients."""
    m, T, nf, nc = 3, 6, 4, 3
    params = random_params(nf, nc, seed=3, scale=1.5)
    x, x_dense = inputs(kind, m, T, nf, seed=2)
    y = random_labels(m, seed=4)
    _, _, grads, _, _ = compiled_pass(x, y, params, T, "exact")
    h = 1e-6
    for name, w in params.items():
        numeric = np.zeros_like(w)
        for i in np.ndindex(w.shape):
            plus = {n: a.copy() for n, a in params.items()}
            minus = {n: a.copy() for n, a in params.items()}
            plus[name][i] += h
            minus[name][i] -= h
            numeric[i] = (loss_of(plus, x_dense, y) - loss_of(minus, x_dense, y)) / (2 * h)
        assert rel_err(grads[name], numeric) < 1e-7, name


def test_textbook_rule_is_not_the_gradient():
    """The source's rule fails the same check: what the erratum is about."""
    m, T, nf, nc = 3, 6, 4, 3
    params = random_params(nf, nc, seed=3, scale=1.5)
    x = random_ids(m, T, nf, 2)
    y = random_labels(m, seed=4)
    _, _, grads, _, _ = compiled_pass(x, y, params, T, "textbook")
    h, name = 1e-6, "w1h"
    numeric = np.zeros((nc, nc))
    for i in np.ndindex(numeric.shape):
        plus = {n: a.copy() for n, a in params.items()}
        minus = {n: a.copy() for n, a in params.items()}
        plus[name][i] += h
        minus[name][i] -= h
        numeric[i] = (loss_of(plus, one_hot(x, nf), y) - loss_of(minus, one_hot(x, nf), y)) / (
            2 * h
        )
    assert rel_err(grads[name], numeric) > 1e-3


# --------------------------------------------------------------------------- tanh


def ulp_error(actual, expected):
    expected = np.asarray(expected, dtype=np.float64)
    return np.abs(actual - expected) / np.spacing(
        np.maximum(np.abs(expected), np.finfo(float).tiny)
    )


def test_vector_tanh_is_within_a_few_ulp_of_libm():
    rng = np.random.default_rng(0)
    x = np.concatenate(
        [rng.normal(0, s, 200_000) for s in (0.01, 0.3, 1, 5)]
        + [
            np.linspace(-25, 25, 100_001),
            [0.625, -0.625, 0.62500001, 1e-300, 5e-324, 19.06, 40.0, 710.0, 1e300],
        ]
    )
    y = x.copy()
    _kernels.vtanh(y)
    expected = np.array([math.tanh(v) for v in x])
    assert ulp_error(y, expected).max() <= 4


@pytest.mark.skipif(
    np.finfo(np.longdouble).nmant < 63,
    reason="needs an extended-precision long double (x86) as the reference",
)
def test_vector_tanh_is_within_a_few_ulp_of_long_double_tanh():
    # tanhl is ~11 bits more precise than double: the ulp count is the kernels' own error,
    # not the sum of two errors.  Dense where it is largest (|x| in 0.1-0.3, see _vmath.h).
    rng = np.random.default_rng(3)
    x = np.concatenate(
        [
            rng.uniform(0.1, 0.3, 300_000),
            rng.uniform(-3, 3, 300_000),
            np.exp(rng.uniform(-700, 3, 100_000)),
        ]
    )
    y = x.copy()
    _kernels.vtanh(y)
    exact = np.tanh(x.astype(np.longdouble))
    err = np.abs((y - exact) / np.spacing(np.abs(exact).astype(np.float64)))
    assert err.max() <= 3.5
    assert err.mean() <= 0.5


def test_vector_tanh_special_values():
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e308, -1e308])
    _kernels.vtanh(x)
    assert np.isnan(x[0])
    assert x[1] == 1.0 and x[2] == -1.0
    assert x[3] == 0.0 and not np.signbit(x[3])
    assert x[4] == 0.0 and np.signbit(x[4])
    assert x[5] == 1.0 and x[6] == -1.0


def test_vector_tanh_float32_is_within_3_ulp():
    """float32 tanh in float32 arithmetic (_vmath.h): every step rounds to float, so a few
    ulp, not the 1 ulp of a double computation rounded once; measured max 3, mean 0.36."""
    rng = np.random.default_rng(1)
    x = np.concatenate(
        [rng.normal(0, s, 200_000) for s in (0.01, 0.3, 2, 5)] + [np.linspace(-12, 12, 100_001)]
    ).astype(np.float32)
    y = x.copy()
    _kernels.vtanh(y)
    expected = np.tanh(x.astype(np.float64)).astype(np.float32)
    ulps = np.abs(y.astype(np.float64) - expected) / np.spacing(
        np.abs(expected) + np.float32(1e-30)
    )
    assert ulps.max() <= 3
    assert ulps.mean() <= 0.4
    special = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e30, 3e-40], np.float32)
    _kernels.vtanh(special)
    assert np.isnan(special[0]) and special[1] == 1 and special[2] == -1
    assert special[3] == 0 and not np.signbit(special[3]) and np.signbit(special[4])
    assert special[5] == 1 and special[6] == np.float32(3e-40)


def test_tanh_kind_is_reported():
    assert "cephes" in _kernels.tanh_kind()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_hot_ids_recognises_exactly_one_hot_input(dtype):
    ids = random_ids(5, 7, 9)
    oh = one_hot(ids, 9, dtype)
    out = np.full((5, 7), -1, np.int32)
    assert _kernels.one_hot_ids(oh, out)
    np.testing.assert_array_equal(out, ids)
    for bad_value in (2.0, 0.5, np.nan, np.inf, -1.0):
        bad = oh.copy()
        bad[3, 4, ids[3, 4]] = bad_value
        assert not _kernels.one_hot_ids(bad, out)
    two = oh.copy()
    two[4, 6, (ids[4, 6] + 1) % 9] = 1
    assert not _kernels.one_hot_ids(two, out)
    empty_step = oh.copy()
    empty_step[0, 0] = 0
    assert not _kernels.one_hot_ids(empty_step, out)
