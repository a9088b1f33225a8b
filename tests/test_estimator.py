"""The habits an experienced user brings (issue 13): pickling, scikit-learn's conventions,
Keras' fit/history/summary, one trainer at a time, dtype kept, messages that name the cause,
and per-entry clipping (issue 14's clipping lab)."""

import copy
import pickle
import threading

import numpy as np
import pytest
from helpers import require, token_problem

from rnnfast import Callback, LambdaCallback, NotFittedError, RecurrentNetwork
from rnnfast.backends import CythonBackend, NumpyBackend


@pytest.fixture(scope="module")
def data():
    return token_problem(60)


def same_weights(a, b):
    wa, wb = a.get_weights(), b.get_weights()
    return wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)


# ----------------------------------------------------------------------- pickle, deepcopy


@pytest.mark.parametrize(
    "kw",
    [{}, {"optimizer": "adam"}, {"embedding_dim": 3}, {"backend": "numpy", "dtype": "float32"}],
)
@pytest.mark.parametrize("copier", ["pickle", "deepcopy"])
def test_round_trip_predicts_the_same_and_continues_bit_identically(data, kw, copier):
    x, y, xv, yv = data
    net = RecurrentNetwork(6, 16, 0.05, seed=3, warm_start=True, **kw)
    net.fit(x, y, 2, x_val=xv, y_val=yv)
    twin = pickle.loads(pickle.dumps(net)) if copier == "pickle" else copy.deepcopy(net)
    assert np.array_equal(twin.predict_proba(xv), net.predict_proba(xv))
    assert twin.history == net.history and twin.batch_losses == net.batch_losses
    # weights, optimiser state (Adam's moments) and the shuffling stream travel: the
    # continued runs are the same bit for bit
    net.fit(x, y, 2, x_val=xv, y_val=yv)
    twin.fit(x, y, 2, x_val=xv, y_val=yv)
    assert same_weights(twin, net)
    assert twin.losses == net.losses


def test_unfitted_round_trip_and_a_fresh_lock(data):
    x, y, _, _ = data
    net = RecurrentNetwork(5, 16, 0.1, seed=1)
    twin = pickle.loads(pickle.dumps(net))
    assert twin.get_params() == net.get_params() and not twin.is_fitted
    assert same_weights(twin.fit(x, y, 1), net.fit(x, y, 1))
    assert twin._lock is not net._lock


# ----------------------------------------------------------------------- scikit-learn


def test_get_params_returns_the_arguments_and_set_params_checks_them():
    net = RecurrentNetwork(7, 8, 0.5, dtype="float32", bptt_steps=None)
    params = net.get_params()
    assert params["n_cells"] == 7 and params["learning_rate"] == 0.5
    assert params["dtype"] == "float32" and params["bptt_steps"] is None
    assert set(params) == set(RecurrentNetwork.HYPERPARAMETERS)
    assert net.set_params(n_cells=9, learning_rate=0.2) is net
    assert (net.n_cells, net.learning_rate, net.lr) == (9, 0.2, 0.2)
    with pytest.raises(ValueError, match="invalid parameter.*'n_cell'"):
        net.set_params(n_cell=3)
    with pytest.raises(ValueError, match="batch_size must be an integer in"):
        net.set_params(batch_size=0)
    with pytest.raises(ValueError, match="n_cells must be an integer in"):
        net.n_cells = -3


def test_clone_cross_val_score_grid_search_and_pipeline(data):
    require("sklearn")
    from sklearn.base import clone, is_classifier
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    x, y, _, _ = data
    net = RecurrentNetwork(6, 16, np.float64(0.1), seed=0, dtype=np.float32)
    twin = clone(net)
    assert twin.get_params() == net.get_params() and not twin.is_fitted
    assert is_classifier(net)
    scores = cross_val_score(RecurrentNetwork(6, 16, 0.1, seed=0), x, y, cv=3)
    assert scores.shape == (3,) and ((0 <= scores) & (scores <= 1)).all()
    # the score of each fold is the accuracy of a network fitted on the other two
    from sklearn.model_selection import StratifiedKFold

    train, test = next(StratifiedKFold(3).split(x, y))
    fold = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x[train], y[train])
    assert scores[0] == fold.score(x[test], y[test])
    grid = GridSearchCV(
        RecurrentNetwork(4, 16, 0.1, seed=0, bptt_steps=None),
        {"n_cells": [2, 8], "learning_rate": [0.05, 0.3]},
        cv=2,
    ).fit(x, y)
    assert (
        grid.best_params_["n_cells"] in (2, 8)
        and grid.best_estimator_.n_cells == grid.best_params_["n_cells"]
    )
    pipe = make_pipeline(
        FunctionTransformer(lambda ids: ids[:, -8:]), RecurrentNetwork(6, 16, 0.1, seed=0)
    ).fit(x, y)
    assert pipe.score(x, y) == pipe[-1].score(x[:, -8:], y)


def test_attributes_set_after_construction_are_honoured(data):
    x, y, _, _ = data
    a = RecurrentNetwork(6, 16, 0.1, seed=2)
    a.learning_rate = 0.4
    assert same_weights(a.fit(x, y, 1), RecurrentNetwork(6, 16, 0.4, seed=2).fit(x, y, 1))
    a.lr = 0.05  # the source's name, on a fitted network: the optimiser follows
    assert a._opt.learning_rate == 0.05
    b = RecurrentNetwork(6, 16, 0.1, seed=2)
    b.backend = "numpy"
    assert isinstance(b._engine, NumpyBackend)
    b.backend = "cython"
    assert isinstance(b._engine, CythonBackend)
    # a changed shape makes the network unfitted (tests/test_shape_parameters.py); the next
    # fit, warm_start or not, starts from fresh weights of the new shape
    c = RecurrentNetwork(6, 16, 0.1, seed=2, warm_start=True).fit(x, y, 1)
    c.n_cells = 9
    assert not c.is_fitted
    assert c.fit(x, y, 1).w1h.shape == (9, 9) and len(c.losses) == 1
    c.dtype = "float32"
    assert {w.dtype for w in c.get_weights().values()} == {np.dtype(np.float32)}


def test_classes_after_fit(data):
    x, y, _, _ = data
    net = RecurrentNetwork(4, 16, 0.1, seed=0)
    assert not hasattr(net, "classes_")
    assert net.fit(x, y, 1).classes_.tolist() == [0, 1]


# ----------------------------------------------------------------------- Keras


def test_validation_data_verbose_and_history(data, capsys):
    x, y, xv, yv = data
    a = RecurrentNetwork(6, 16, 0.1, seed=4).fit(x, y, 2, validation_data=(xv, yv))
    b = RecurrentNetwork(6, 16, 0.1, seed=4).fit(x, y, 2, x_val=xv, y_val=yv)
    assert a.val_losses == b.val_losses and same_weights(a, b)
    history = a  # Keras: history = model.fit(...); history.history["loss"]
    assert history.history == {
        "loss": a.losses,
        "accuracy": a.accuracies,
        "val_loss": a.val_losses,
        "val_accuracy": a.val_accuracies,
    }
    assert capsys.readouterr().err == ""
    RecurrentNetwork(6, 16, 0.1, seed=4).fit(x, y, 2, validation_data=(xv, yv), verbose=2)
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "val_loss" in err and "[" not in err  # verbose=2: lines
    RecurrentNetwork(6, 16, 0.1, seed=4).fit(x, y, 2, verbose=1)
    err = capsys.readouterr().err  # stderr is no terminal here: one line per epoch, no bar
    assert err.count("\n") == 2 and "\r" not in err and "[" not in err
    RecurrentNetwork(6, 16, 0.1, seed=4, verbose=True).fit(x, y, 1, verbose=0)
    assert capsys.readouterr().err == ""
    with pytest.raises(ValueError, match="validation data once"):
        a.fit(x, y, 1, x_val=xv, y_val=yv, validation_data=(xv, yv))
    with pytest.raises(ValueError, match="validation_data must be a tuple"):
        a.fit(x, y, 1, validation_data=(xv, yv, yv))
    with pytest.raises(TypeError, match="verbose must be"):
        a.fit(x, y, 1, verbose=3)


def test_epochs_zero_builds_and_trains_nothing(data):
    x, y, _, _ = data
    net = RecurrentNetwork(6, 16, 0.1, seed=4).fit(x, y, epochs=0)
    fresh = RecurrentNetwork(6, 16, 0.1, seed=4)
    fresh.init_weights(12)
    assert same_weights(net, fresh) and net.losses == [] and net.batch_losses == []


def test_summary_counts_as_keras():
    lines = []
    s2 = RecurrentNetwork(32, 32, 0.01)
    with pytest.raises(NotFittedError, match="no weights yet"):
        s2.summary()
    s2.init_weights(100)
    s2.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "simple_rnn (SimpleRNN)      (None, 32)" in text and "4,256" in text
    assert "Total params: 4,289" in text
    lines.clear()
    s3 = RecurrentNetwork(8, 32, 0.001, optimizer="adam", embedding_dim=32)
    s3.init_weights(1000)
    s3.summary(print_fn=lines.append)
    assert "embedding (Embedding)" in lines[4] and "32,000" in lines[4]
    assert "Total params: 32,337" in "\n".join(lines)


# ----------------------------------------------------------------------- one trainer


def test_a_second_fit_from_another_thread_raises_and_predict_stays_safe(data):
    x, y, xv, _ = data
    net = RecurrentNetwork(6, 16, 0.1, seed=0)
    inside, release = threading.Event(), threading.Event()

    def hold(network, info):
        inside.set()
        release.wait(10)

    worker = threading.Thread(
        target=net.fit, args=(x, y, 2), kwargs={"x_val": xv, "y_val": y[: len(xv)]}
    )
    net.callbacks = [
        LambdaCallback(
            on_batch_end=lambda n, i: hold(n, i) if i["batch"] == 0 and i["epoch"] == 0 else None
        )
    ]
    worker.start()
    try:
        assert inside.wait(10)
        for call in (
            lambda: net.fit(x, y, 1),
            lambda: net.training(x[:16], y[:16]),
            lambda: net.set_weights(net.get_weights()),
            lambda: net.init_weights(12),
        ):
            with pytest.raises(RuntimeError, match="being trained in another thread"):
                call()
        assert net.predict(xv).shape == (len(xv),)
    finally:
        release.set()
        worker.join(30)
    assert len(net.losses) == 2 and len(net.val_losses) == 2
    net.fit(x, y, 1)  # free again
    assert len(net.losses) == 1


def test_callbacks_may_set_weights_inside_fit(data):
    x, y, _, _ = data

    class Shrink(Callback):
        def on_epoch_end(self, network, info):
            network.set_weights({k: w * 0.5 for k, w in network.get_weights().items()})

    net = RecurrentNetwork(6, 16, 0.1, seed=0, callbacks=[Shrink()]).fit(x, y, 2)
    assert len(net.losses) == 2


# ----------------------------------------------------------------------- dtype, messages


@pytest.mark.parametrize(
    "kw",
    [
        {"backend": "numpy"},
        {"optimizer": "adam"},
        {"backend": "numpy", "optimizer": "adam", "embedding_dim": 3},
        {"backend": "numpy", "clip_value": 0.01},
    ],
)
def test_float32_stays_float32(data, kw):
    x, y, _, _ = data
    net = RecurrentNetwork(6, 16, 0.1, seed=0, dtype="float32", **kw).fit(x, y, 1)
    assert {str(w.dtype) for w in net.get_weights().values()} == {"float32"}


def test_pandas_nullable_and_categorical_name_the_dtype(data):
    pd = require("pandas")
    x, y, _, _ = data
    net = RecurrentNetwork(4, 16, 0.1, seed=0)
    with pytest.raises(TypeError, match="x has pandas nullable dtype 'Int64'.*to_numpy"):
        net.fit(pd.DataFrame(x).astype("Int64"), y, 1)
    labels = pd.Series(np.where(y == 1, "pos", "neg"), dtype="category")
    with pytest.raises(TypeError, match="y has pandas dtype 'category'.*cat.codes"):
        net.fit(x, labels, 1)
    # plain NumPy-backed pandas input works as before
    assert net.fit(pd.DataFrame(x), pd.Series(y), 1).is_fitted


def test_a_larger_id_at_predict_says_how_to_fix_it(data):
    x, y, _, _ = data
    net = RecurrentNetwork(4, 16, 0.1, seed=0).fit(x, y, 1)  # ids < 12: n_features 12
    bigger = x.copy()
    bigger[0, 0] = 20
    with pytest.raises(ValueError, match=r"n_features = 12.*fit\(\.\.\., n_features=21\)"):
        net.predict(bigger)


# ----------------------------------------------------------------------- clipping, gradients


def test_clip_value_clips_every_entry_and_is_recorded(data):
    x, y, _, _ = data
    xb, yb = x[:16], y[:16]
    net = RecurrentNetwork(6, 16, 0.5, seed=0, clip_value=0.01)
    net.init_weights(12)
    before = net.get_weights()
    g = net.gradients(xb, yb)
    net.training(xb, yb)
    for name, w in net.get_weights().items():
        expected = before[name] - 0.5 * np.clip(g[name], -0.01, 0.01)
        assert np.allclose(w, expected, rtol=0, atol=1e-15)
    clip = net.last_clip
    full = float(np.sqrt(sum(np.vdot(a, a) for a in g.values())))
    assert clip["clipped"] and clip["norm_before"] == pytest.approx(full, rel=1e-12)
    assert clip["norm_after"] < clip["norm_before"]
    seen = []
    RecurrentNetwork(
        6,
        16,
        0.5,
        seed=0,
        clip_norm=1e-3,
        callbacks=[LambdaCallback(on_batch_end=lambda n, i: seen.append(i["clip"]))],
    ).fit(x, y, 1)
    assert all(c["clipped"] and c["norm_after"] == pytest.approx(1e-3) for c in seen)
    seen.clear()
    RecurrentNetwork(
        6,
        16,
        0.5,
        seed=0,
        callbacks=[LambdaCallback(on_batch_end=lambda n, i: seen.append(i["clip"]))],
    ).fit(x, y, 1)
    assert all(not c["clipped"] and c["norm_after"] == c["norm_before"] for c in seen)


def test_gradients_method_is_one_sgd_step(data):
    x, y, _, _ = data
    net = RecurrentNetwork(6, 16, 0.25, seed=1)
    net.init_weights(12)
    before = net.get_weights()
    g = net.gradients(x[:16], y[:16], bptt_steps="full")
    assert same_weights(net, net) and all(
        np.array_equal(before[k], w) for k, w in net.get_weights().items()
    )
    net.bptt_steps = None
    net.training(x[:16], y[:16])
    for name, w in net.get_weights().items():
        step = (before[name] - w) / 0.25
        assert np.allclose(step, g[name], rtol=1e-10, atol=1e-14)
