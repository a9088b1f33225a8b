"""The Qt-free parts of the app: settings validation, run history, smoothing, CSV."""

import json
import math

import numpy as np
import pytest

from gui.training.dataset import build_vocab
from gui.training.history import RunHistory, smooth_fast
from gui.training.settings import DataSettings, SettingsError, TrainSettings


def test_train_settings_defaults_are_the_source():
    s = TrainSettings()
    assert (s.n_cells, s.batch_size, s.learning_rate, s.epochs, s.bptt_steps) == (
        32,
        32,
        0.01,
        20,
        10,
    )
    kw = s.validate(maxlen=100, n_train=10).network_kwargs()
    assert kw["learning_rate"] == 0.01 and kw["bptt_steps"] == 10 and kw["backend"] == "cython"


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(n_cells=0), "n_cells"),
        (dict(batch_size=0), "batch_size"),
        (dict(learning_rate=0.0), "learning_rate"),
        (dict(learning_rate=float("nan")), "learning_rate"),
        (dict(epochs=0), "epochs"),
        (dict(bptt_steps=0), "bptt_steps"),
        (dict(bptt_steps=101), "cannot exceed"),
        (dict(clip_norm=-1.0), "clip_norm"),
        (dict(backprop="transpose"), "backprop"),
        (dict(optimizer="rmsprop"), "optimizer"),
        (dict(backend="gpu"), "backend"),
        (dict(dtype="float16"), "dtype"),
        (dict(seed=-3), "seed"),
    ],
)
def test_invalid_train_settings_are_rejected(change, message):
    s = TrainSettings(**change)
    with pytest.raises(SettingsError, match=message):
        s.validate(maxlen=100, n_train=100)


def test_no_training_reviews_rejected():
    with pytest.raises(SettingsError, match="no training reviews"):
        TrainSettings().validate(maxlen=100, n_train=0)


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(source="ftp"), "source"),
        (dict(source="file", path=None), "imdb.npz"),
        (dict(num_words=1), "num_words"),
        (dict(skip_top=100), "skip_top"),
        (dict(maxlen=0), "maxlen"),
        (dict(encoding="bytes"), "encoding"),
        (dict(max_train=-1), "max_train"),
        (dict(max_val=-1), "max_val"),
    ],
)
def test_invalid_data_settings_are_rejected(change, message):
    with pytest.raises(SettingsError, match=message):
        DataSettings(**change).validate()


def _history(n_batches=30, k=10, epochs=3):
    h = RunHistory(TrainSettings(), {"source": "test"})
    per = n_batches // epochs
    for e in range(epochs):
        x = e + (np.arange(per) + 1) / per
        g = np.exp(-np.arange(k))[None, :] * np.ones((per, 1))
        h.add_batches(
            {
                "x": x,
                "losses": np.full(per, 0.7 - 0.01 * e),
                "accuracies": np.full(per, 0.5),
                "grad_norms": g,
                "elapsed": 1.0 + e,
                "samples_per_second": 1000.0,
            }
        )
        h.add_epoch(
            {
                "epoch": e,
                "loss": 0.7 - 0.01 * e,
                "accuracy": 0.5,
                "val_loss": 0.71,
                "val_accuracy": 0.55,
                "grad_norms": g[0],
                "elapsed": 1.0 + e,
            }
        )
    return h


def test_history_accumulates_and_copies():
    h = _history()
    assert h.n_batches_seen == 30 and h.grad_matrix.shape == (30, 10)
    assert h.epoch_x == [1.0, 2.0, 3.0]
    c = h.copy()
    h.batch_loss[0] = 99.0
    h.grad_matrix[0, 0] = 99.0
    assert c.batch_loss[0] != 99.0 and c.grad_matrix[0, 0] != 99.0


def test_history_json_round_trip(tmp_path):
    h = _history()
    h.val_loss[1] = float("nan")  # JSON has no NaN: written as null
    p = tmp_path / "run.json"
    h.save_json(str(p), extra={"note": 1})
    d = json.loads(p.read_text())
    assert d["format"] == "rnnfast-gui-run/1" and d["note"] == 1
    assert d["train_settings"]["n_cells"] == 32
    assert d["history"]["val_loss"][1] is None
    back = RunHistory.from_json_dict(d)
    assert back.epoch_loss == h.epoch_loss
    assert math.isnan(back.val_loss[1])
    assert len(back.batch_loss) == 30


def test_grad_matrix_grows_past_its_first_buffer():
    h = RunHistory()
    for i in range(40):
        h.add_batches(
            {
                "x": [i],
                "losses": [0.5],
                "accuracies": [0.5],
                "grad_norms": np.full((1, 7), float(i)),
            }
        )
    big = np.ones((600, 7))
    h.add_batches(
        {"x": np.arange(600), "losses": np.ones(600), "accuracies": np.ones(600), "grad_norms": big}
    )
    g = h.grad_matrix
    assert g.shape == (640, 7) and g[39, 0] == 39.0 and g[-1, 0] == 1.0


def test_smooth_fast_ignores_nan():
    v = np.array([1.0, np.nan, 3.0, 5.0])
    s = smooth_fast(v, 2)
    assert s[0] == 1.0 and s[1] == 1.0 and s[2] == 3.0 and s[3] == 4.0
    assert np.isnan(smooth_fast([np.nan, np.nan], 2)).all()


def test_vocab_matches_keras_offsets():
    vocab = build_vocab({"the": 1, "and": 2}, index_from=3)
    assert vocab[0] == "<pad>" and vocab[1] == "<start>" and vocab[2] == "<oov>"
    assert vocab[4] == "the" and vocab[5] == "and"


def test_grad_matrix_takes_rows_of_another_width():
    """A run continued with another truncation (or T): steps back keep their columns, NaN pads."""
    h = RunHistory()
    h.add_batches({"x": [0.5], "losses": [0.6], "accuracies": [0.5], "grad_norms": np.ones((1, 3))})
    h.add_batches(
        {"x": [1.0], "losses": [0.6], "accuracies": [0.5], "grad_norms": np.full((1, 5), 2.0)}
    )
    h.add_batches(
        {"x": [1.5], "losses": [0.6], "accuracies": [0.5], "grad_norms": np.full((1, 2), 3.0)}
    )
    g = h.grad_matrix
    assert g.shape == (3, 5) and list(g[0, :3]) == [1, 1, 1] and np.isnan(g[0, 3:]).all()
    assert list(g[1]) == [2.0] * 5 and list(g[2, :2]) == [3.0, 3.0] and np.isnan(g[2, 2:]).all()
