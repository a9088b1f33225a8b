"""fit's compiled SGD loop (``_kernels.sgd_epoch_ids``): token ids, plain SGD, no callbacks.

It runs the epoch's full batches without returning to Python, so it computes the sigmoid and
the loss' logarithms with the C library where the per-batch path uses NumPy's SIMD exp and log:
the two differ in the last bit for a few percent of arguments.  Everything else is the same
arithmetic, so the runs agree to rounding: measured 2-5e-16 relative in float64 and 4-7e-8 in
float32 after 3 epochs at learning rate 0.1, compared at 1e-13 and 1e-6.  (Training amplifies
such differences: with a step of 0.5 on this data, by ~1e6 over 84 updates, so the tests use
0.1.)
"""

import numpy as np
import pytest
from helpers import rel_err, token_problem

import rnnfast.training as training
from rnnfast import DivergenceError, LambdaCallback, RecurrentNetwork, _kernels
from rnnfast.backends import CythonBackend

# Every test here runs once per CPU level the machine supports (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("cpu_level")


@pytest.fixture
def data():
    return token_problem(50)


@pytest.fixture
def calls(monkeypatch):
    """Counts the calls of the compiled loop."""
    count = {"n": 0}
    real = _kernels.sgd_epoch_ids

    def counting(*args):
        count["n"] += 1
        return real(*args)

    monkeypatch.setattr(_kernels, "sgd_epoch_ids", counting)
    return count


def no_fused_epoch(monkeypatch):
    """The compiled backend answers that it cannot fuse an epoch: fit goes batch by batch."""
    monkeypatch.setattr(CythonBackend, "fused_sgd_epoch", lambda self, *args: None)


def per_batch_fit(monkeypatch, make, *args, **kw):
    with monkeypatch.context() as m:
        no_fused_epoch(m)
        return make().fit(*args, **kw)


def assert_close(a, b, tol):
    for key in ("losses", "val_losses", "batch_losses"):
        assert len(getattr(a, key)) == len(getattr(b, key)), key
        if getattr(a, key):
            assert rel_err(getattr(a, key), getattr(b, key)) < tol, key
    assert a.accuracies == b.accuracies and a.val_accuracies == b.val_accuracies
    assert rel_err(np.array(a.grad_norms), np.array(b.grad_norms)) < tol
    assert rel_err(a.last_grad_norms, b.last_grad_norms) < tol
    for n, w in a.get_weights().items():
        assert w.dtype == b.get_weights()[n].dtype
        assert rel_err(w, b.get_weights()[n]) < tol, n


@pytest.mark.parametrize(
    "kw, tol",
    [
        ({}, 1e-13),
        ({"dtype": "float32"}, 1e-6),
        ({"backprop": "textbook", "bptt_steps": None}, 1e-13),
        ({"bptt_steps": 1}, 1e-13),
        ({"batch_size": 7}, 1e-13),  # 200 = 28 x 7 + 4: a short last batch, per batch
        ({"batch_size": 200}, 1e-13),  # one full batch
    ],
)
def test_compiled_epoch_equals_the_per_batch_path(monkeypatch, data, calls, kw, tol):
    x, y, xv, yv = data
    kw = dict({"batch_size": 32}, **kw)

    def make():
        return RecurrentNetwork(8, learning_rate=0.1, seed=3, **kw)

    fast = make().fit(x, y, 3, xv, yv)
    assert calls["n"] >= 3
    slow = per_batch_fit(monkeypatch, make, x, y, 3, xv, yv)
    assert_close(fast, slow, tol)


def test_int64_ids_and_chunks(monkeypatch, data, calls):
    """int64 ids; an epoch split into chunks of 2 batches (weights published between them)."""
    x, y, xv, yv = data
    monkeypatch.setattr(training, "COMPILED_CHUNK", 2)

    def make():
        return RecurrentNetwork(8, 16, 0.1, seed=5)

    fast = make().fit(x.astype(np.int64), y, 2, xv, yv)
    assert calls["n"] == 2 * 6  # 12 full batches of 16 per epoch, in chunks of 2
    slow = per_batch_fit(monkeypatch, make, x, y, 2, xv, yv)
    assert_close(fast, slow, 1e-13)


def test_warm_start_continues_the_same_run(monkeypatch, data):
    x, y, xv, yv = data

    def run():
        net = RecurrentNetwork(8, 32, 0.1, seed=4, warm_start=True)
        net.fit(x, y, 1, xv, yv)
        return net.fit(x, y, 2, xv, yv)

    fast = run()
    with monkeypatch.context() as m:
        no_fused_epoch(m)
        slow = run()
    assert_close(fast, slow, 1e-13)


@pytest.mark.parametrize(
    "kw, dense",
    [
        # a callback that listens to batches (one that listens only to epochs keeps the
        # compiled epoch: tests/test_training.py)
        ({"callbacks": [LambdaCallback(on_batch_end=lambda net, info: None)]}, False),
        ({"verbose": True}, False),
        ({"clip_norm": 0.1}, False),
        ({"optimizer": "adam"}, False),
        ({"embedding_dim": 4}, False),
        ({"backend": "numpy"}, False),
        ({}, True),  # dense input that is not one-hot
    ],
)
def test_compiled_epoch_only_where_it_applies(data, calls, kw, dense, capsys):
    x, y, _, _ = data
    if dense:
        x = np.random.default_rng(1).normal(size=(200, 15, 12))
    RecurrentNetwork(8, 32, 0.5, seed=3, **kw).fit(x, y, 1)
    assert calls["n"] == 0


def diverging(lr, w2=None):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 12, (128, 20)).astype(np.int32)
    y = (x[:, -3:] == 1).any(axis=1).astype(np.int64)
    net = RecurrentNetwork(4, 32, lr, seed=0, warm_start=True)
    net.init_weights(12)
    if w2 is not None:
        net.w2 = np.full_like(net.w2, w2)
    return net, x, y


@pytest.mark.parametrize(
    "lr, w2, cause",
    [
        (1e200, None, "weights' norm"),  # an update beyond the bound
        (0.1, 1e153, "weights' norm"),
        (0.1, 1e155, "gradients are not finite"),  # their sum of squares overflows
    ],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_stops_at_the_same_batch_and_keeps_the_weights(
    monkeypatch, calls, lr, w2, cause
):
    fast, x, y = diverging(lr, w2)
    with pytest.raises(DivergenceError, match=cause):
        fast.fit(x, y, 20)
    assert calls["n"] >= 1
    slow, _, _ = diverging(lr, w2)
    with monkeypatch.context() as m:
        no_fused_epoch(m)
        with pytest.raises(DivergenceError, match=cause):
            slow.fit(x, y, 20)
    assert len(fast.batch_losses) == len(slow.batch_losses)
    for n, w in fast.get_weights().items():
        assert np.all(np.isfinite(w))
        assert rel_err(w, slow.get_weights()[n]) < 1e-12, n
