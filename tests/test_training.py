"""The network asks its backend what it can fuse (rnnfast.backends, rnnfast.training) instead of
testing types: a NumPy-backend network never reaches compiled code, and a backend that answers
"cannot" gets the generic path with the same numbers."""

import numpy as np
import pytest
from helpers import one_hot, rel_err, token_problem

from rnnfast import LambdaCallback, RecurrentNetwork, _compiled, _kernels, _train
from rnnfast.backends import CythonBackend, NumpyBackend


@pytest.fixture
def data():
    return token_problem(50)


def _compiled_functions():
    return [
        (module, name)
        for module in (_kernels, _train)
        for name in dir(module)
        if not name.startswith("_") and callable(getattr(module, name))
    ]


@pytest.fixture
def no_compiled_code(monkeypatch):
    """Every function of the compiled modules, and importing them, fails the test."""

    def forbid(where):
        def fail(*args, **kwargs):
            raise AssertionError(f"compiled code called: {where}")

        return fail

    for module, name in _compiled_functions():
        monkeypatch.setattr(module, name, forbid(f"{module.__name__}.{name}"))
    monkeypatch.setattr(_compiled, "_load", forbid("rnnfast._compiled._load"))


def test_the_guard_catches_a_compiled_call(no_compiled_code, data):
    x, y, _, _ = data
    assert len(_compiled_functions()) > 10
    with pytest.raises(AssertionError, match="compiled code called"):
        RecurrentNetwork(4, 32, 0.1, seed=0).fit(x, y, 1)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_numpy_backend_never_calls_compiled_code(no_compiled_code, data, tmp_path, optimizer):
    x, y, xv, yv = data
    net = RecurrentNetwork(6, 32, 0.1, backend="numpy", optimizer=optimizer, seed=1)
    assert isinstance(net._engine, NumpyBackend)
    net.fit(x, y, 2, xv, yv)  # token ids: fused epoch?
    onehot = one_hot(x, net.n_features)
    net.fit(onehot, y, 1, one_hot(xv, net.n_features), yv)  # exactly one-hot: ids?
    net.fit(onehot * 0.5, y, 1)  # mostly zeros: in place?
    net.training(x[:8], y[:8])
    for predict in (net.predict, net.hidden_states, net.last_hidden_state):
        predict(xv)
    net.score(onehot, y)
    net.update_val_loss(xv, yv)
    RecurrentNetwork.load(net.save(tmp_path / "n"))


class Refusing(CythonBackend):
    """The compiled backend answering that it can fuse nothing."""

    def fused_sgd_step(self, batch_size):
        return None

    def fused_sgd_epoch(self, x, params, batch_size, k, textbook):
        return None


class Spy(CythonBackend):
    """The compiled backend recording the questions it is asked."""

    def __init__(self):
        super().__init__()
        self.asked = []

    def fused_sgd_step(self, batch_size):
        self.asked.append(("step", batch_size))
        return super().fused_sgd_step(batch_size)

    def fused_sgd_epoch(self, x, params, batch_size, k, textbook):
        self.asked.append(("epoch", x.dtype.kind, batch_size, k, textbook))
        return super().fused_sgd_epoch(x, params, batch_size, k, textbook)


def _fit(engine, x, y, xv, yv, callbacks=None, **kw):
    net = RecurrentNetwork(8, 32, 0.1, seed=3, callbacks=callbacks, **kw)
    if engine is not None:
        net._engine = engine
    return net.fit(x, y, 2, xv, yv)


def _history(net):
    return [
        net.losses,
        net.val_losses,
        net.accuracies,
        net.batch_losses,
        [g.tolist() for g in net.grad_norms],
    ]


def test_the_network_asks_the_backend(data):
    x, y, xv, yv = data
    spy = Spy()
    _fit(spy, x, y, xv, yv, backprop="textbook", bptt_steps=4)
    assert ("epoch", "i", 32, 4, True) in spy.asked  # token ids, no callbacks
    assert ("step", 32) in spy.asked  # the last, short batch
    spy.asked.clear()
    _fit(spy, x, y, xv, yv, optimizer="adam")  # not plain SGD: nothing to ask
    assert spy.asked == []


def test_a_backend_that_cannot_fuse_gets_the_generic_path_and_the_same_numbers(data, monkeypatch):
    x, y, xv, yv = data
    calls = []
    for module, name in ((_kernels, "sgd_epoch_ids"), (_train, "sgd_step"), (_train, "bce_mean")):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a)
        )
    refused = _fit(Refusing(), x, y, xv, yv)
    assert calls == []
    # The fused per-batch step (a batch callback keeps the epoch from being fused) is
    # bit-identical.
    batches = LambdaCallback(on_batch_end=lambda net, info: None)
    fused_step = _fit(None, x, y, xv, yv, callbacks=[batches])
    assert set(calls) == {"sgd_step", "bce_mean"}
    assert _history(refused) == _history(fused_step)
    for n, w in refused.get_weights().items():
        np.testing.assert_array_equal(w, fused_step.get_weights()[n])
    # The fused epoch agrees to rounding (tests/test_compiled_epoch.py).
    calls.clear()
    fused_epoch = _fit(None, x, y, xv, yv)
    assert "sgd_epoch_ids" in calls
    assert rel_err(fused_epoch.batch_losses, refused.batch_losses) < 1e-13
    for n, w in refused.get_weights().items():
        assert rel_err(w, fused_epoch.get_weights()[n]) < 1e-13


def test_epoch_only_callbacks_keep_the_compiled_epoch_loop(monkeypatch):
    """A callback that listens only to epochs (LivePlot, an early stop) leaves fit its fused
    epoch loop, with the same numbers; one that listens to batches takes the per-batch path."""
    from rnnfast import Callback, LambdaCallback, training

    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 20, (96, 12), dtype=np.int32), rng.integers(0, 2, 96)
    used = []
    real = training.fused_epoch
    monkeypatch.setattr(training, "fused_epoch", lambda *a: used.append(1) or real(*a))

    class EpochsOnly(Callback):
        def on_epoch_end(self, net, info):
            self.seen = info["epoch"]

    def run(cb):
        used.clear()
        net = RecurrentNetwork(6, 16, 0.1, seed=0, callbacks=[cb] if cb else None)
        return net.fit(x, y, epochs=2, n_features=20), len(used)

    plain, n_plain = run(None)
    epochs, n_epochs = run(EpochsOnly())
    lam, n_lam = run(LambdaCallback(on_epoch_end=lambda net, info: None))
    batches, n_batches = run(LambdaCallback(on_batch_end=lambda net, info: None))
    assert n_plain == n_epochs == n_lam == 2 and n_batches == 0
    for other in (epochs, lam):  # the same compiled loop: the same bits
        assert other.losses == plain.losses
        for k, w in plain.get_weights().items():
            np.testing.assert_array_equal(other.get_weights()[k], w)
    # the per-batch path agrees to rounding (its exp/log are NumPy's: test_compiled_epoch.py)
    assert rel_err(batches.losses, plain.losses) < 1e-13
    for k, w in plain.get_weights().items():
        assert rel_err(batches.get_weights()[k], w) < 1e-13
