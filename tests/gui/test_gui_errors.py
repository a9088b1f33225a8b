"""The window driven headless, off the main path: other inputs, invalid settings and errors
(dialogs, the app stays usable), closing while busy."""

import time

import numpy as np
import pytest
from gui_helpers import start_long_run, train, wait_for_state
from PyQt5 import sip
from PyQt5.QtCore import QThread

from gui.training.settings import DataSettings, TrainSettings


# -- other inputs ----------------------------------------------------------------------------------
def test_onehot_input_and_numpy_backend(window, qtbot):
    win = window
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        win.load_data(DataSettings(encoding="onehot", max_train=256, max_val=64, maxlen=30))
    d = win.dataset
    assert d.x_train.shape == (256, 30, 100) and d.x_train.dtype == np.float32
    assert win.side.model._maxlen == 30
    train(win, qtbot, TrainSettings(n_cells=6, epochs=1, seed=4, backend="numpy", bptt_steps=None))
    assert win.history.status == "finished" and win.history.grad_matrix.shape[1] == 30
    qtbot.waitUntil(lambda: all(win.plots_with_data().values()), timeout=5_000)


def test_embedding_input(window, qtbot):
    win = window
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        win.load_data(DataSettings(encoding="embedding", max_train=512, max_val=64))
    assert win.side.model.embedding_dim.isEnabled()
    win.side.model.embedding_dim.set_value(6)
    train(
        win,
        qtbot,
        TrainSettings(
            n_cells=4,
            epochs=1,
            seed=5,
            optimizer="adam",
            learning_rate=0.01,
            bptt_steps=None,
            embedding_dim=6,
        ),
    )
    assert win.history.status == "finished", win.errors
    assert win.network.embedding_dim == 6 and win.network.embedding.shape == (100, 6)
    qtbot.waitUntil(lambda: all(win.plots_with_data().values()), timeout=5_000)
    assert "embedding 6" in win.history.label


# -- invalid settings and errors -------------------------------------------------------------------
def test_inconsistent_settings_rejected_with_a_dialog(window, qtbot):
    win = window
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        win.load_data(DataSettings(maxlen=20))
    assert win.side.model._maxlen == 20
    win.side.model.set_settings(TrainSettings(bptt_steps=50))  # e.g. from a loaded model
    assert win.side.model.bptt_steps.error_label.isVisibleTo(win)  # marked where it was typed
    assert win.start_training() is False
    title, msg = win.errors[-1]
    assert title == "Invalid settings" and "at most T = 20" in msg
    assert win._open_boxes and win._open_boxes[-1].isVisible()
    assert not win.is_training and win.act_train.isEnabled()


def test_training_error_shows_dialog_and_app_stays_usable(loaded, qtbot, small_settings):
    win = loaded
    good = win.dataset.y_train
    win.dataset.y_train = good * 2  # labels outside {0, 1}: fit raises
    small_settings.epochs = 1
    result = train(win, qtbot, small_settings)
    assert result["error"] and win.errors[-1][0] == "Training failed"
    assert win._open_boxes and win._open_boxes[-1].isVisible()
    assert win.history.status == "failed" and not win.is_training
    win._open_boxes[-1].accept()
    win.dataset.y_train = good
    train(win, qtbot, small_settings)
    assert win.history.status == "finished"


def test_divergence_shows_dialog_and_keeps_history(loaded, qtbot, small_settings, monkeypatch):
    import rnnfast.network as network

    real = network.binary_crossentropy
    calls = {"n": 0}

    def nan_after_ten(a, y):
        calls["n"] += 1
        return float("nan") if calls["n"] > 10 else real(a, y)

    monkeypatch.setattr(network, "binary_crossentropy", nan_after_ten)
    # fit's compiled fast path computes the batch loss without binary_crossentropy.
    monkeypatch.setattr(
        network.RecurrentNetwork, "_batch_step", lambda self, batch_size: self._train_batch_generic
    )
    result = train(win := loaded, qtbot, small_settings)
    assert result["diverged"] is not None
    title, msg = win.errors[-1]
    assert title == "Training diverged" and "learning rate" in msg
    h = win.history
    assert h.status == "failed" and h.n_batches_seen in (10, 11)  # with or without the NaN batch
    assert np.all(np.isfinite(h.batch_loss[:10]))
    qtbot.waitUntil(lambda: win.plots_with_data()["loss"], timeout=3_000)
    monkeypatch.setattr(network, "binary_crossentropy", real)
    train(win, qtbot, small_settings)
    assert win.history.status == "finished"


def test_load_failure_shows_dialog(window, qtbot, tmp_path):
    bad = tmp_path / "imdb.npz"
    bad.write_bytes(b"not a zip file")
    with qtbot.waitSignal(window.error_shown, timeout=20_000) as blocker:
        window.load_data(DataSettings(source="file", path=str(bad)))
    assert blocker.args[0] == "Could not load the data"
    qtbot.waitUntil(lambda: not window.is_loading, timeout=5_000)
    assert window.dataset is None and window.act_load_data.isEnabled()


# -- closing ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("paused", [False, True])
def test_close_during_training_stops_the_thread(loaded, qtbot, small_settings, paused):
    win = loaded
    start_long_run(win, qtbot, small_settings)
    if paused:
        win.pause()
        wait_for_state(win, qtbot, "paused")
    thread = win.controller.train_thread
    assert thread.isRunning()
    t0 = time.perf_counter()
    win.close()
    assert time.perf_counter() - t0 < 5.0
    assert sip.isdeleted(thread) or thread.isFinished()
    assert not win.is_training
    qtbot.wait(50)
    assert all(t.isFinished() for t in win.findChildren(QThread))


def test_close_during_loading(window, qtbot):
    window.load_data()
    assert window.is_loading
    thread = window.controller.load_thread
    window.close()
    assert sip.isdeleted(thread) or thread.isFinished()
    assert not window.is_loading


def test_one_hot_loading_reports_its_memory(need_rnnfast):
    """The one-hot encoding (as the source) says what it costs before it builds the arrays."""
    from gui.training.dataset import load_dataset
    from gui.training.settings import DataSettings

    messages = []
    d = load_dataset(
        DataSettings(source="sample", encoding="onehot", maxlen=100),
        lambda text, *args: messages.append(text.format(*args)),
    )
    expected = (d.x_train.nbytes + d.x_val.nbytes) / 1e6
    assert d.x_train.dtype == np.float32 and d.x_train.shape[2] == 100
    assert any(f"{expected:,.0f} MB" in m and "1/100" in m for m in messages), messages
