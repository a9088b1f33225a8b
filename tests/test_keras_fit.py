"""Keras' habits in fit, evaluate and predict (issue 20): ``fit(batch_size=,
validation_split=, shuffle=, initial_epoch=)``, ``evaluate(x, y) -> (loss, accuracy)``,
``predict(batch_size=)``, and ``verbose=1`` one line per epoch in a log file."""

import numpy as np
import pytest
from helpers import token_problem

from rnnfast import LambdaCallback, RecurrentNetwork
from rnnfast.training import binary_crossentropy


@pytest.fixture(scope="module")
def data():
    return token_problem(60)


def same(a, b):
    wa, wb = a.get_weights(), b.get_weights()
    return all(np.array_equal(wa[k], wb[k]) for k in wa)


def test_fit_batch_size_is_for_this_fit_only(data):
    x, y, _, _ = data
    a = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 2, batch_size=50)
    b = RecurrentNetwork(6, 50, 0.1, seed=0).fit(x, y, 2)
    assert same(a, b) and a.losses == b.losses
    assert a.batch_size == 16 and len(a.batch_losses) == 2 * 4  # 200 samples / 50
    with pytest.raises(ValueError, match="batch_size must be an integer in"):
        a.fit(x, y, 1, batch_size=0)


def test_validation_split_takes_the_last_samples_as_keras(data):
    x, y, _, _ = data
    a = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 2, validation_split=0.25)
    b = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x[:150], y[:150], 2, x_val=x[150:], y_val=y[150:])
    assert same(a, b) and a.val_losses == b.val_losses and len(a.val_losses) == 2
    with pytest.raises(ValueError, match="validation data once"):
        a.fit(x, y, 1, validation_split=0.2, validation_data=(x, y))
    with pytest.raises(ValueError, match=r"validation_split must be in \[0, 1\)"):
        a.fit(x, y, 1, validation_split=1.5)
    with pytest.raises(ValueError, match="leaves"):
        a.fit(x[:2], y[:2], 1, validation_split=0.9)


def test_shuffle_false_keeps_the_order(data):
    x, y, _, _ = data
    # one batch of all 200 in order: without shuffling, the seed's stream is not used, so
    # two seeds' networks started from the same weights train the same
    a, b = RecurrentNetwork(6, 200, 0.1, seed=0), RecurrentNetwork(6, 200, 0.1, seed=5)
    a.init_weights(12)
    b.init_weights(12)
    b.set_weights(a.get_weights())
    a.warm_start = b.warm_start = True
    a.fit(x[::-1], y[::-1], 2, shuffle=False)
    b.fit(x[::-1], y[::-1], 2, shuffle=False)
    assert same(a, b) and a.losses == b.losses
    shuffled = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 1)
    ordered = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 1, shuffle=False)
    assert not same(shuffled, ordered)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        ordered.fit(x, y, 1, shuffle="yes")


def test_initial_epoch_numbers_the_epochs_as_keras(data):
    x, y, _, _ = data
    epochs = []
    cb = LambdaCallback(on_epoch_end=lambda net, info: epochs.append(info["epoch"]))
    rn = RecurrentNetwork(6, 16, 0.1, seed=0, callbacks=[cb]).fit(x, y, 5, initial_epoch=3)
    assert epochs == [3, 4] and len(rn.losses) == 2
    with pytest.raises(ValueError, match="initial_epoch must be <= epochs"):
        rn.fit(x, y, 2, initial_epoch=3)


def test_evaluate_and_predict_batch_size(data):
    x, y, xv, yv = data
    rn = RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 3, x_val=xv, y_val=yv)
    loss, accuracy = rn.evaluate(xv, yv)
    assert loss == pytest.approx(rn.val_losses[-1], rel=1e-12)
    assert accuracy == pytest.approx(rn.val_accuracies[-1]) == pytest.approx(rn.score(xv, yv))
    assert loss == binary_crossentropy(rn.predict_proba(xv)[:, 1], yv)
    np.testing.assert_array_equal(rn.predict(xv, batch_size=7), rn.predict(xv))
    np.testing.assert_allclose(rn.predict_proba(xv, batch_size=1), rn.predict_proba(xv))
    assert rn.evaluate(xv, yv, batch_size=5) == pytest.approx((loss, accuracy))
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        rn.predict(xv, batch_size=0)


def test_verbose_1_in_a_log_file_is_one_line_per_epoch(data, tmp_path):
    import sys

    x, y, _, _ = data
    log = tmp_path / "train.log"
    stderr = sys.stderr
    with open(log, "w") as f:
        sys.stderr = f
        try:
            RecurrentNetwork(6, 16, 0.1, seed=0).fit(x, y, 3, verbose=1)
        finally:
            sys.stderr = stderr
    text = log.read_text()
    assert "\r" not in text and text.count("\n") == 3 and text.startswith("epoch 1/3 loss")
