"""fit's fast path (compiled backend + SGD: rnnfast._train) against the generic path.

The fast path repeats the generic NumPy arithmetic operation by operation (same precision,
same order, NumPy's own exp and log, NumPy's pairwise order for the mean loss), so the tests
ask for bit-identical losses, weights and history, not for a tolerance.  Only its sums of
squares (divergence checks) are summed in another order than BLAS': they decide the same
finiteness and bound, which is what is compared.
"""

import warnings

import numpy as np
import pytest
from helpers import one_hot, rel_err, token_problem

from rnnfast import DivergenceError, LambdaCallback, RecurrentNetwork, _train
from rnnfast.backends import CythonBackend
from rnnfast.optimizers import SGD
from rnnfast.persistence import history
from rnnfast.training import binary_crossentropy, output_and_loss, sigmoid

#: The compiled glue of the fused SGD step (rnnfast._train), as the backend hands it out.
GLUE = CythonBackend().fused_sgd_step(1)

# Every test here runs once per CPU level the machine supports (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cpu_level")


@pytest.fixture
def data():
    return token_problem(50)


def per_batch(monkeypatch):
    """Make fit return to Python after every batch (no compiled SGD loop over the epoch,
    see test_compiled_epoch.py): the per-batch fast path these tests check."""
    monkeypatch.setattr(CythonBackend, "fused_sgd_epoch", lambda self, *args: None)


def generic(monkeypatch):
    """Make fit take the generic path (NumPy glue) for the rest of the test."""
    per_batch(monkeypatch)
    monkeypatch.setattr(
        RecurrentNetwork, "_batch_step", lambda self, batch_size: self._train_batch_generic
    )


def assert_same_run(fast, slow):
    """Bit-identical weights and history (NaN equal to NaN); the epochs' wall seconds are
    timings, not results."""
    for key, values in history(fast).items():
        if key == "epoch_seconds":
            assert len(values) == len(history(slow)[key])
            continue
        assert np.array_equal(
            np.asarray(values, float), np.asarray(history(slow)[key], float), equal_nan=True
        ), key
    for n, w in fast.get_weights().items():
        np.testing.assert_array_equal(w, slow.get_weights()[n])


def fit_both(monkeypatch, make, x, y, epochs=2, x_val=None, y_val=None, **fit_kw):
    with monkeypatch.context() as m:
        per_batch(m)
        fast = make().fit(x, y, epochs, x_val, y_val, **fit_kw)
    with monkeypatch.context() as m:
        generic(m)
        slow = make().fit(x, y, epochs, x_val, y_val, **fit_kw)
    return fast, slow


# --------------------------------------------------------------------------- which path


def fused(net, batch_size=None):
    """Whether fit's per-batch update is the backend's fused SGD step."""
    return net._batch_step(batch_size or net.batch_size) != net._train_batch_generic


def test_fast_path_only_for_compiled_backend_and_plain_sgd():
    def step(**kw):
        net = RecurrentNetwork(4, 8, 0.1, seed=0, **kw)
        net.init_weights(5)
        return fused(net)

    assert step()
    assert step(dtype="float32", clip_norm=1.0, embedding_dim=3)
    assert not step(optimizer="adam")
    assert not step(backend="numpy")
    net = RecurrentNetwork(4, 8, 0.1, seed=0)
    net.init_weights(5)
    assert not fused(net, _train.PAIRWISE_MAX + 1)

    class MySGD(SGD):  # a subclass may change the rule: generic path
        pass

    net._opt = MySGD(0.1)
    assert not fused(net, 8)


# --------------------------------------------------------------------------- the helpers


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("m", [1, 5, 8, 31, 32, 33, 129, 300, 2000])
def test_output_and_loss_equal_numpy_bit_for_bit(dtype, m):
    rng = np.random.default_rng(m)
    for spread in (0.1, 3.0, 15.0):
        z = rng.normal(0, spread, m).astype(dtype)
        y = rng.integers(0, 2, m).astype(np.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # float32 saturates at spread 15
            a = sigmoid(z)
            loss = binary_crossentropy(a, y)
            err, loss_fast, hits = output_and_loss(z, y, GLUE)  # (the same warnings)
        assert err.dtype == dtype
        # The backend receives a - y rounded to the weights' dtype.
        np.testing.assert_array_equal(err, (a - y).astype(dtype))
        assert np.array_equal(loss_fast, loss, equal_nan=True)
        assert hits == np.count_nonzero((a > 0.5) == (y > 0.5))


def test_output_of_saturated_float32_is_finite_and_equals_numpy():
    """float32: exp(100) overflows (NumPy warns; the sigmoid is still 0) and a rounds to 1.
    The loss is computed in float64, where 1 - 1e-10 is not 1, so it stays finite (in float32
    it used to be log(0): -inf/NaN)."""
    z = np.array([-200.0, 0.5, 30.0], np.float32)
    y = np.array([0.0, 1.0, 1.0])
    with pytest.warns(RuntimeWarning):
        a = sigmoid(z)
    expected = binary_crossentropy(a, y)
    with pytest.warns(RuntimeWarning):
        _, loss, hits = output_and_loss(z, y, GLUE)
    assert np.isfinite(expected) and loss == expected and hits == 3


def test_saturated_float32_training_reports_finite_losses():
    x = np.random.default_rng(0).integers(0, 10, (64, 5))
    y = np.ones(64)
    net = RecurrentNetwork(8, 32, 0.01, dtype="float32", seed=0, warm_start=True)
    net.fit(x, y, epochs=1)
    weights = net.get_weights()
    weights["b2"][:] = 30  # sigmoid(30 + ...) is 1.0 in float32
    net.set_weights(weights)
    net.fit(x, y, epochs=2, x_val=x, y_val=y)
    assert np.all(np.isfinite(net.losses)) and np.all(np.isfinite(net.val_losses))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", [1.0, 0.37])
def test_sgd_step_equals_sgd_and_vdot(dtype, scale):
    rng = np.random.default_rng(1)
    shapes = {
        "w1h": (7, 7),
        "w1x": (13, 7),
        "b1": (7,),
        "w2": (7, 1),
        "b2": (1,),
        "embedding": (11, 13),
    }
    params = {n: rng.normal(size=s).astype(dtype) for n, s in shapes.items()}
    grads = {n: rng.normal(size=s).astype(dtype) for n, s in shapes.items()}
    new, grad_sq, weight_sq = _train.sgd_step(params, grads, 0.3, scale)
    # What the generic path does: scale the gradients (NumPy rounds the Python float to the
    # arrays' dtype), then SGD.step.
    scaled = grads if scale == 1.0 else {n: g * scale for n, g in grads.items()}
    expected = SGD(0.3).step(params, scaled)
    assert list(new) == list(expected)
    for n in expected:
        assert new[n].dtype == dtype and new[n].flags.c_contiguous
        np.testing.assert_array_equal(new[n], expected[n])
        assert not np.shares_memory(new[n], params[n])
    # Sums of squares: another summation order than BLAS', so equal to rounding only.
    assert rel_err(grad_sq, sum(np.vdot(g, g) for g in grads.values())) < 1e-5
    assert rel_err(weight_sq, sum(float(np.vdot(w, w)) for w in new.values())) < 1e-5


def test_sgd_step_sums_overflow_where_the_generic_sums_do():
    """float32: np.vdot's float32 result overflows to inf; so must the fast sums."""
    big = {"a": np.full(4, 3e19, np.float32)}  # squares 9e38 > FLT_MAX
    zero = {"a": np.zeros(4, np.float32)}
    _, grad_sq, weight_sq = _train.sgd_step(zero, big, 1e-30)
    assert not np.isfinite(np.vdot(big["a"], big["a"])) and grad_sq == np.inf
    _, grad_sq, weight_sq = _train.sgd_step(big, zero, 0.1)
    assert grad_sq == 0 and weight_sq == np.inf
    nan = {"a": np.array([1.0, np.nan])}
    _, grad_sq, weight_sq = _train.sgd_step({"a": np.ones(2)}, nan, 0.1)
    assert np.isnan(grad_sq) and np.isnan(weight_sq)


def test_sgd_step_rejects_mismatched_arrays():
    with pytest.raises(ValueError, match="gradient 'a'"):
        _train.sgd_step({"a": np.ones(3)}, {"a": np.ones(4)}, 0.1)
    with pytest.raises(ValueError, match="float64"):
        _train.sgd_step({"a": np.ones(3)}, {"a": np.ones(3, np.float32)}, 0.1)
    with pytest.raises(ValueError, match="contiguous"):
        _train.sgd_step({"a": np.ones((3, 3))}, {"a": np.ones((3, 3)).T}, 0.1)


# --------------------------------------------------------------------------- whole fits


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"dtype": "float32"},
        {"backprop": "textbook", "bptt_steps": None},
        {"clip_norm": 0.05},  # clipping active on most batches
        {"clip_norm": 0.05, "dtype": "float32"},
        {"embedding_dim": 5},
        {"embedding_dim": 5, "clip_norm": 0.05},
    ],
)
def test_fit_fast_equals_generic_on_token_ids(monkeypatch, data, kw):
    x, y, xv, yv = data

    def make():
        return RecurrentNetwork(8, 32, 0.5, seed=3, **kw)

    fast, slow = fit_both(monkeypatch, make, x, y, 3, xv, yv)
    assert_same_run(fast, slow)


@pytest.mark.parametrize("dense_kernel", ["auto", "sparse", "blas"])
def test_fit_fast_equals_generic_on_dense_input(monkeypatch, data, dense_kernel):
    x, y, _, _ = data
    rng = np.random.default_rng(5)
    xd = one_hot(x, 12) if dense_kernel != "blas" else rng.normal(size=(200, 15, 12))

    def make():
        net = RecurrentNetwork(6, 25, 0.2, seed=1)  # 25: a short last batch
        net.dense_kernel = dense_kernel
        return net

    fast, slow = fit_both(monkeypatch, make, xd, y)
    assert_same_run(fast, slow)


def test_fit_fast_matches_numpy_backend(monkeypatch, data):
    x, y, xv, yv = data
    per_batch(monkeypatch)
    fast = RecurrentNetwork(8, 32, 0.5, seed=3).fit(x, y, 3, xv, yv)
    ref = RecurrentNetwork(8, 32, 0.5, seed=3, backend="numpy").fit(x, y, 3, xv, yv)
    assert rel_err(fast.batch_losses, ref.batch_losses) < 1e-10
    for n, w in fast.get_weights().items():
        assert rel_err(w, ref.get_weights()[n]) < 1e-9


def test_warm_start_and_callback_payloads_equal(monkeypatch, data):
    x, y, xv, yv = data

    def run():
        seen = []
        cb = LambdaCallback(
            on_batch_end=lambda n, i: seen.append(
                {
                    k: (v.tolist() if isinstance(v, np.ndarray) else v)
                    for k, v in i.items()
                    if k not in ("elapsed", "samples_per_second")
                }
            )
        )
        net = RecurrentNetwork(8, 32, 0.5, seed=4, warm_start=True, callbacks=[cb])
        net.fit(x, y, 1, xv, yv)
        net.fit(x, y, 2, xv, yv)
        return net, seen

    fast, seen_fast = run()
    with monkeypatch.context() as m:
        generic(m)
        slow, seen_slow = run()
    assert seen_fast == seen_slow and len(seen_fast) == 21
    assert_same_run(fast, slow)
    np.testing.assert_array_equal(fast.last_grad_norms, slow.last_grad_norms)


# --------------------------------------------------------------------------- divergence


def diverging_run(lr, weights=None, dtype="float64", clip_norm=None, epochs=20):
    """Train until DivergenceError; returns (message, weights kept, batch losses, weights
    after every finished batch)."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 12, (128, 20)).astype(np.int32)
    y = (x[:, -3:] == 1).any(axis=1).astype(np.int64)
    good = []
    net = RecurrentNetwork(
        4,
        32,
        lr,
        seed=0,
        dtype=dtype,
        clip_norm=clip_norm,
        warm_start=True,
        callbacks=LambdaCallback(on_batch_end=lambda n, i: good.append(n.get_weights())),
    )
    net.init_weights(12)
    if weights is not None:
        net.set_weights(weights(net.get_weights()))
    start = net.get_weights()
    with pytest.raises(DivergenceError) as info:
        net.fit(x, y, epochs)
    kept = good[-1] if good else start
    for n, w in net.get_weights().items():
        np.testing.assert_array_equal(w, kept[n])  # the last good weights
    return str(info.value), net.get_weights(), net.batch_losses, len(good)


def _huge_output_weights(scale):
    def change(w):
        w["w2"] = np.full_like(w["w2"], scale)
        return w

    return change


@pytest.mark.parametrize(
    "case, cause",
    [
        ({"lr": 1e200}, "weights"),  # an update beyond the bound
        ({"lr": 1e30, "dtype": "float32"}, "weights"),  # float32 sums overflow
        ({"lr": 0.1, "weights": _huge_output_weights(1e153)}, "weights"),
        # Gradients of norm ~0.8 * w2's entries: beyond 1.3e154 their sum of squares overflows
        # float64, beyond 1.8e19 float32.
        ({"lr": 0.1, "weights": _huge_output_weights(1e155)}, "gradients"),
        ({"lr": 0.1, "weights": _huge_output_weights(3e19), "dtype": "float32"}, "gradients"),
    ],
)
@pytest.mark.parametrize("clip_norm", [None, 1e-3])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's, on both paths
def test_divergence_same_error_batch_and_kept_weights(monkeypatch, case, cause, clip_norm):
    if clip_norm is not None and case["lr"] == 1e200:
        case = dict(case, lr=1e300)  # a clipped step of 1e-3 * 1e200 stays in bounds
    fast = diverging_run(**case, clip_norm=clip_norm)
    with monkeypatch.context() as m:
        generic(m)
        slow = diverging_run(**case, clip_norm=clip_norm)
    assert fast[0] == slow[0]
    assert ("gradients are not finite" if cause == "gradients" else "weights' norm") in fast[0]
    for n, w in fast[1].items():
        np.testing.assert_array_equal(w, slow[1][n])
    assert np.array_equal(fast[2], slow[2], equal_nan=True) and fast[3] == slow[3]


def test_forward_keeps_the_zero_initial_state(data):
    """The compiled backend zeroes its state buffer once: the kernels must never write
    hs[0] when every state is kept (they write hs[1:])."""
    x, y, _, _ = data
    net = RecurrentNetwork(8, 32, 0.5, seed=3).fit(x, y, 1)
    _, hs = net._engine.forward(np.ascontiguousarray(x[:32]), net._params)
    assert not hs[0].any()
    np.testing.assert_array_equal(net.hidden_states(x[:32]), np.swapaxes(hs[1:], 0, 1))
