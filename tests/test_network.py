"""RecurrentNetwork: the source's API, both backends, seeding, optimisers, callbacks,
save/load."""

import numpy as np
import pytest
from helpers import one_hot, rel_err, run_python, token_problem

import rnnfast
from rnnfast import Callback, LambdaCallback, NumpyRecurrentNetwork, RecurrentNetwork


@pytest.fixture
def data():
    return token_problem(40)


def test_import_does_not_load_tensorflow():
    code = "import sys, rnnfast; rnnfast.RecurrentNetwork(); print('tensorflow' in sys.modules)"
    out = run_python(["-c", code])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_source_lines_run_unchanged(data):
    """The source's S1 lines, on one-hot input as the source builds it."""
    x_train, y_train, x_val, y_val = data
    x_train_onehot = one_hot(x_train, 12, np.float32)
    x_val_onehot = one_hot(x_val, 12, np.float32)
    rn = RecurrentNetwork(n_cells=32, batch_size=32, learning_rate=0.01)
    rn.fit(x_train_onehot, y_train, epochs=3, x_val=x_val_onehot, y_val=y_val)
    assert len(rn.losses) == 3 and len(rn.val_losses) == 3
    # score is the accuracy of predict's labels (the source's definition)
    labels = rn.predict(x_val_onehot).reshape(-1)
    assert rn.score(x_val_onehot, y_val) == np.mean(labels == y_val.reshape(-1))
    assert rn.w1h.shape == (32, 32) and rn.w1x.shape == (12, 32)
    assert rn.b1.shape == (32,) and rn.w2.shape == (32, 1) and rn.b2.shape == (1,)


@pytest.mark.parametrize("rule", ["exact", "textbook"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_backends_give_the_same_losses(data, rule, optimizer):
    x, y, xv, yv = data
    runs = [
        RecurrentNetwork(8, 16, 0.05, backend=b, seed=7, backprop=rule, optimizer=optimizer).fit(
            x, y, epochs=3, x_val=xv, y_val=yv
        )
        for b in ("cython", "numpy")
    ]
    for attr in ("losses", "val_losses", "batch_losses", "accuracies"):
        assert rel_err(getattr(runs[0], attr), getattr(runs[1], attr)) < 1e-9, attr
    assert rel_err(runs[0].w1h, runs[1].w1h) < 1e-9


def test_the_reference_class_fit_gives_the_same_losses(data):
    """The source's own fit loop (reference.py) and RecurrentNetwork agree step by step."""
    x, y, xv, yv = data
    ref = NumpyRecurrentNetwork(8, 16, 0.05, seed=3)
    ref.fit(one_hot(x, 12), y, epochs=2, x_val=one_hot(xv, 12), y_val=yv)
    rn = RecurrentNetwork(8, 16, 0.05, seed=3).fit(
        x, y, epochs=2, x_val=xv, y_val=yv, n_features=12
    )
    assert rel_err(rn.losses, ref.losses) < 1e-9
    assert rel_err(rn.val_losses, ref.val_losses) < 1e-9


def test_token_ids_and_one_hot_give_the_same_results(data):
    x, y, xv, yv = data
    a = RecurrentNetwork(8, 16, 0.05, seed=1).fit(x, y, 2, xv, yv, n_features=12)
    b = RecurrentNetwork(8, 16, 0.05, seed=1).fit(
        one_hot(x, 12, np.float32), y, 2, one_hot(xv, 12, np.float32), yv
    )
    c = RecurrentNetwork(8, 16, 0.05, seed=1)
    c.dense_kernel = "blas"  # the one-hot array through BLAS instead of zero-skipping
    c.fit(one_hot(x, 12), y, 2, one_hot(xv, 12), yv)
    for other in (b, c):
        assert rel_err(other.losses, a.losses) < 1e-9
        assert rel_err(other.w1x, a.w1x) < 1e-9
        np.testing.assert_array_equal(other.predict(one_hot(xv, 12)), a.predict(xv))


def test_same_seed_same_everything_other_seed_differs(data):
    x, y, xv, yv = data
    a = RecurrentNetwork(6, 20, 0.1, seed=5).fit(x, y, 2)
    b = RecurrentNetwork(6, 20, 0.1, seed=5).fit(x, y, 2)
    c = RecurrentNetwork(6, 20, 0.1, seed=6).fit(x, y, 2)
    assert a.losses == b.losses
    np.testing.assert_array_equal(a.w1h, b.w1h)
    assert a.losses != c.losses
    d = RecurrentNetwork(6, 20, 0.1).fit(x, y, 1)
    assert isinstance(d.seed_, int)
    e = RecurrentNetwork(6, 20, 0.1, seed=d.seed_).fit(x, y, 1)
    assert e.losses == d.losses


def test_learns_a_learnable_problem(data):
    x, y, xv, yv = data
    rn = RecurrentNetwork(16, 16, 0.01, optimizer="adam", seed=0).fit(x, y, 30, xv, yv)
    assert rn.losses[-1] < rn.losses[0]
    assert rn.score(xv, yv) > 0.8


def test_textbook_rule_and_full_bptt_run(data):
    x, y, xv, yv = data
    rn = RecurrentNetwork(8, 16, 0.05, backprop="textbook", bptt_steps=None, seed=0)
    rn.fit(x, y, 2, xv, yv)
    assert rn.grad_norms[-1].shape == (15,)
    assert rn.last_grad_norms.shape == (15,)


def test_training_is_one_update(data):
    x, y, _, _ = data
    rn = RecurrentNetwork(8, 32, 0.1, seed=0)
    a = rn.training(x[:32], y[:32])
    assert a.shape == (32, 1) and np.all((a > 0) & (a < 1))
    w = rn.w1h.copy()
    rn.training(x[:32], y[:32])
    assert not np.array_equal(w, rn.w1h)


def test_predictions_and_hidden_states(data):
    x, y, xv, yv = data
    rn = RecurrentNetwork(8, 16, 0.05, seed=0).fit(x, y, 1)
    p = rn.predict_proba(xv)
    assert p.shape == (40, 2) and np.all((p > 0) & (p < 1))
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=0, atol=1e-15)
    assert rn.predict(xv).shape == (40,)  # labels from classes_
    np.testing.assert_array_equal(rn.predict(xv), rn.classes_[(p[:, 1] > 0.5).astype(int)])
    assert rn.score(xv, yv) == pytest.approx(np.mean((p[:, 1] > 0.5) == yv))
    np.testing.assert_array_equal(rn.decision_function(xv), rn.forpass(xv)[:, 0])
    hs = rn.hidden_states(xv)
    assert hs.shape == (40, 15, 8)
    np.testing.assert_allclose(hs[:, -1], rn.last_hidden_state(xv), rtol=0, atol=0)
    z = hs[:, -1] @ rn.w2 + rn.b2
    np.testing.assert_allclose(rn.forpass(xv), z, rtol=1e-12)


def test_callbacks_receive_progress_and_can_stop(data):
    x, y, xv, yv = data
    batches, epochs = [], []

    class Stopper(Callback):
        def on_batch_end(self, network, info):
            batches.append(info)
            return info["epoch"] == 1 and info["batch"] == 2

        def on_epoch_end(self, network, info):
            epochs.append(info)

    rn = RecurrentNetwork(8, 16, 0.05, seed=0, callbacks=[Stopper()])
    rn.fit(x, y, 5, xv, yv)
    assert len(epochs) == 1 and len(batches) == 13 + 3
    info = batches[0]
    assert info["n_batches"] == 13 and info["grad_norms"].shape == (10,)
    assert set(info) >= {
        "epoch",
        "batch",
        "loss",
        "accuracy",
        "samples_seen",
        "elapsed",
        "samples_per_second",
    }
    assert epochs[0]["val_loss"] == rn.val_losses[0]
    assert len(rn.losses) == 2  # the stopped epoch is recorded up to its last batch
    assert len(rn.batch_losses) == 16


def test_lambda_callback_and_stop_flag(data):
    x, y, _, _ = data
    seen = []

    def on_batch_end(net, info):
        seen.append(info["batch"])
        net.stop_training = info["batch"] == 4

    rn = RecurrentNetwork(4, 16, 0.05, seed=0, callbacks=LambdaCallback(on_batch_end=on_batch_end))
    rn.fit(x, y, 3)
    assert seen == [0, 1, 2, 3, 4]


def test_verbose_prints_progress(data, capsys, monkeypatch):
    import io
    import sys

    x, y, xv, yv = data
    RecurrentNetwork(4, 16, 0.05, seed=0, verbose=True).fit(x, y, 2, xv, yv)
    err = capsys.readouterr().err  # a log file: one line per epoch, no bar, no \r
    assert err.count("\n") == 2 and "epoch 2/2" in err and "val_loss" in err
    assert "\r" not in err and "samples/s" not in err

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    RecurrentNetwork(4, 16, 0.05, seed=0, verbose=True).fit(x, y, 2, xv, yv)
    out = terminal.getvalue()  # a terminal: the bar, redrawn with \r
    assert "epoch 2/2" in out and "samples/s" in out and "\r" in out


def test_gradient_clipping_bounds_the_step(data):
    x, y, _, _ = data
    free = RecurrentNetwork(8, 200, 1.0, seed=0)
    clipped = RecurrentNetwork(8, 200, 1.0, seed=0, clip_norm=1e-3)
    free.init_weights(12)
    clipped.init_weights(12)
    w0 = clipped.get_weights()
    free.training(x, y)
    clipped.training(x, y)
    step = np.sqrt(sum(np.sum((clipped.get_weights()[n] - w0[n]) ** 2) for n in w0))
    assert step == pytest.approx(1e-3, rel=1e-9)  # lr 1 x clip 1e-3
    assert not np.allclose(free.w1h, clipped.w1h)


def test_adam_matches_its_formula():
    from rnnfast.optimizers import Adam

    opt = Adam(0.01)
    w = {"a": np.array([1.0, -2.0])}
    g = {"a": np.array([0.5, 0.25])}
    new = opt.step(w, g)
    opt.commit()
    m = 0.1 * g["a"]
    v = 0.001 * g["a"] ** 2
    # Keras 3 rounds the betas of the bias correction to float32 (see rnnfast.optimizers.Adam).
    alpha = 0.01 * np.sqrt(1 - float(np.float32(0.999))) / (1 - float(np.float32(0.9)))
    np.testing.assert_allclose(new["a"], w["a"] - alpha * m / (np.sqrt(v) + 1e-7), rtol=1e-14)


def test_float32_network_trains(data):
    x, y, xv, yv = data
    a = RecurrentNetwork(8, 16, 0.05, seed=1, dtype="float32").fit(x, y, 2, xv, yv)
    b = RecurrentNetwork(8, 16, 0.05, seed=1).fit(x, y, 2, xv, yv)
    assert a.w1h.dtype == np.float32
    assert rel_err(a.losses, b.losses) < 1e-4


def test_save_load_round_trip(tmp_path, data):
    x, y, xv, yv = data
    rn = RecurrentNetwork(8, 16, 0.05, seed=2, optimizer="adam", bptt_steps=None)
    rn.fit(x, y, 2, xv, yv)
    path = rn.save(tmp_path / "model")
    assert path.endswith("model.npz")
    back = RecurrentNetwork.load(path)
    assert back.get_config() == rn.get_config()
    for n in ("w1h", "w1x", "b1", "w2", "b2"):
        np.testing.assert_array_equal(getattr(back, n), getattr(rn, n))
    assert back.losses == rn.losses and back.val_losses == rn.val_losses
    assert back.batch_losses == rn.batch_losses
    np.testing.assert_array_equal(back.grad_norms[-1], rn.grad_norms[-1])
    np.testing.assert_array_equal(back.predict_proba(xv), rn.predict_proba(xv))
    assert not list(tmp_path.glob("*.tmp"))


def test_saved_warm_start_continues_exactly(tmp_path, data):
    """3 epochs in one go == 2 epochs, save, load, 1 more (weights, Adam state, shuffles)."""
    x, y, xv, yv = data
    straight = RecurrentNetwork(8, 16, 0.05, seed=4, optimizer="adam").fit(x, y, 3)
    first = RecurrentNetwork(8, 16, 0.05, seed=4, optimizer="adam").fit(x, y, 2)
    again = RecurrentNetwork.load(first.save(tmp_path / "m.npz"), warm_start=True)
    again.fit(x, y, 1)
    assert again.losses == straight.losses
    np.testing.assert_array_equal(again.w1h, straight.w1h)


def test_get_set_weights(data):
    x, y, xv, _ = data
    a = RecurrentNetwork(8, 16, 0.05, seed=0).fit(x, y, 1)
    b = RecurrentNetwork(8)
    b.set_weights(a.get_weights())
    np.testing.assert_array_equal(a.predict_proba(xv), b.predict_proba(xv))
    b.w1h = np.eye(8)
    np.testing.assert_array_equal(b.w1h, np.eye(8))


def test_version_has_one_source():
    """pyproject.toml reads the version from rnnfast/__init__.py: the installed metadata agrees."""
    import importlib.metadata

    assert rnnfast.__version__.count(".") == 2
    assert importlib.metadata.version("rnnfast") == rnnfast.__version__


def test_on_train_begin_can_stop_before_the_first_batch(data):
    x, y, _, _ = data
    rn = RecurrentNetwork(
        4, 16, 0.05, seed=0, callbacks=LambdaCallback(on_train_begin=lambda n, i: True)
    )
    rn.fit(x, y, 3)
    assert rn.batch_losses == [] and rn.losses == []


def test_batch_info_has_the_batch_size(data):
    x, y, _, _ = data
    sizes = []
    RecurrentNetwork(
        4,
        64,
        0.05,
        seed=0,
        callbacks=LambdaCallback(on_batch_end=lambda n, i: sizes.append(i["batch_size"])),
    ).fit(x, y, 1)
    assert sizes == [64, 64, 64, 8]


def test_predicting_from_another_thread_during_training_is_safe(data):
    """The app reads hidden states from its window while the worker trains: per-thread
    buffers keep the two apart, so training gives the same result as undisturbed."""
    import threading

    x, y, xv, _ = data
    quiet = RecurrentNetwork(8, 16, 0.05, seed=9).fit(x, y, 3)
    busy = RecurrentNetwork(8, 16, 0.05, seed=9)
    done = threading.Event()

    def reader():
        while not done.is_set():
            if busy.is_fitted:
                busy.hidden_states(xv[:16])  # the training batch's shape
                busy.predict_proba(xv[:16])

    t = threading.Thread(target=reader)
    t.start()
    try:
        busy.fit(x, y, 3)
    finally:
        done.set()
        t.join()
    assert busy.losses == quiet.losses


def test_one_hot_input_paths_are_bit_identical(data):
    """Exactly one-hot input is read as token ids ("auto"): bit for bit the token-id run.
    The zero-skipping kernels ("sparse") read the array itself, batch by batch, with NumPy's
    exp and log around them, where the token-id run's compiled SGD loop uses the C library's
    (they differ in the last bit for a few percent of arguments): equal to rounding."""
    x, y, xv, yv = data
    ids_run = RecurrentNetwork(8, 16, 0.05, seed=1).fit(x, y, 2, xv, yv, n_features=12)
    for mode in ("auto", "sparse"):
        rn = RecurrentNetwork(8, 16, 0.05, seed=1)
        rn.dense_kernel = mode
        rn.fit(one_hot(x, 12, np.float32), y, 2, one_hot(xv, 12, np.float32), yv)
        if mode == "auto":
            assert rn.losses == ids_run.losses
            assert rn.val_losses == ids_run.val_losses
            np.testing.assert_array_equal(rn.w1x, ids_run.w1x)
            np.testing.assert_array_equal(
                rn.hidden_states(one_hot(xv, 12)), ids_run.hidden_states(xv)
            )
        else:
            assert rel_err(rn.losses, ids_run.losses) < 1e-13
            assert rel_err(rn.val_losses, ids_run.val_losses) < 1e-13
            assert rel_err(rn.w1x, ids_run.w1x) < 1e-13


def test_not_quite_one_hot_input_is_not_taken_for_ids(data):
    """A row with a 2 (or two ones) must go through the dense kernels, not the id path."""
    x, y, _, _ = data
    oh = one_hot(x, 12)
    oh[5, 3] *= 2.0
    rn = RecurrentNetwork(8, 16, 0.05, seed=1).fit(oh, y, 1)
    blas = RecurrentNetwork(8, 16, 0.05, seed=1)
    blas.dense_kernel = "blas"
    blas.fit(oh, y, 1)
    assert rel_err(rn.losses, blas.losses) < 1e-12
    ids_run = RecurrentNetwork(8, 16, 0.05, seed=1).fit(x, y, 1, n_features=12)
    assert rn.batch_losses != ids_run.batch_losses
