"""Continue (F6): the current network trains on, warm-started, and its history extends."""

import dataclasses

import numpy as np

from gui.training.settings import TrainSettings


def _train(win, qtbot, settings):
    win.side.model.set_settings(settings)
    with qtbot.waitSignal(win.training_finished, timeout=60_000):
        assert win.start_training()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)


def _continue(win, qtbot, epochs):
    form = win.side.model.settings_unchecked()
    win.side.model.set_settings(dataclasses.replace(form, epochs=epochs))
    with qtbot.waitSignal(win.training_finished, timeout=60_000) as blocker:
        assert win.continue_training()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)
    return blocker.args[0]


def _weights(net):
    return {n: np.array(getattr(net, n)) for n in ("w1h", "w1x", "b1", "w2", "b2")}


def test_continue_is_the_same_as_training_longer(loaded, qtbot):
    """1 epoch, then Continue for 1 more = 2 epochs in one go (same seed): same weights and
    losses to the bit, one history on one axis."""
    win = loaded
    assert not win.act_continue.isEnabled()  # no network yet
    s = TrainSettings(n_cells=8, batch_size=32, learning_rate=0.05, epochs=2, bptt_steps=10, seed=5)
    _train(win, qtbot, s)
    straight, straight_losses = _weights(win.network), list(win.network.losses)
    straight_batches = list(win.history.batch_loss)

    _train(win, qtbot, dataclasses.replace(s, epochs=1))
    first = win.network
    assert win.act_continue.isEnabled()
    result = _continue(win, qtbot, epochs=1)
    assert result["error"] is None and not result["stopped"]
    assert win.network is first  # the same network trained on
    assert list(first.losses) == straight_losses
    for name, w in _weights(first).items():
        np.testing.assert_array_equal(w, straight[name], err_msg=name)
    h = win.history
    n_batches = -(-4000 // 32)
    assert h.status == "finished" and h.n_batches_seen == 2 * n_batches
    assert h.batch_loss == straight_batches
    assert h.epoch_x == [1.0, 2.0]
    assert np.all(np.diff(h.batch_x) > 0) and h.batch_x[-1] == 2.0
    assert len(h.val_acc) == 2 and h.grad_matrix.shape == (2 * n_batches, 10)


def test_continue_after_a_stop_starts_a_new_epoch_after_the_stopped_one(loaded, qtbot):
    win = loaded
    s = TrainSettings(
        n_cells=8, batch_size=32, learning_rate=0.05, epochs=2_000, bptt_steps=10, seed=2
    )
    win.side.model.set_settings(s)
    assert win.start_training()
    qtbot.waitUntil(
        lambda: win.history is not None and win.history.n_batches_seen >= 3, timeout=10_000
    )
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        win.stop()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)
    h = win.history
    seen, last_x, epochs_done = h.n_batches_seen, h.batch_x[-1], len(win.network.losses)
    result = _continue(win, qtbot, epochs=1)
    assert result["error"] is None
    assert win.history is h and h.n_batches_seen == seen + 125
    new_x = np.array(h.batch_x[seen:])
    start = np.ceil(last_x)
    assert new_x[0] > last_x and np.all(new_x > start) and new_x[-1] == start + 1
    assert h.epoch_x[-1] == start + 1
    assert len(win.network.losses) == epochs_done + 1


def test_continue_needs_a_network_that_fits_the_data(loaded, qtbot):
    win = loaded
    assert not win.continue_training()
    _train(
        win, qtbot, TrainSettings(n_cells=4, batch_size=64, learning_rate=0.05, epochs=1, seed=1)
    )
    assert win.act_continue.isEnabled()
    win.network.w1x = np.zeros((7, 4))  # another vocabulary than the data's 100 features
    win._update_actions()
    assert not win.act_continue.isEnabled() and not win.continue_training()


def test_a_saved_and_loaded_model_continues_as_if_never_stopped(loaded, qtbot, tmp_path):
    """Save after 1 epoch, Reset, Load model, Continue 1 epoch = 2 epochs in one go."""
    win = loaded
    s = TrainSettings(
        n_cells=8,
        batch_size=32,
        learning_rate=0.01,
        epochs=2,
        bptt_steps=10,
        seed=9,
        optimizer="adam",
    )  # Adam: its moments must carry over too
    _train(win, qtbot, s)
    straight = _weights(win.network)
    _train(win, qtbot, dataclasses.replace(s, epochs=1))
    path = win.save_model(str(tmp_path / "one_epoch.npz"))
    assert path
    win.reset()
    assert win.network is None and not win.act_continue.isEnabled()
    win.load_model(path)
    assert win.history is not None and win.history.status == "loaded"
    assert win.act_continue.isEnabled()
    _continue(win, qtbot, epochs=1)
    assert len(win.network.losses) == 2 and win.history.epoch_x[-1] == 2.0
    for name, w in _weights(win.network).items():
        np.testing.assert_array_equal(w, straight[name], err_msg=name)


def test_continue_shows_the_networks_settings_in_the_form(loaded, qtbot):
    win = loaded
    _train(
        win, qtbot, TrainSettings(n_cells=6, batch_size=64, learning_rate=0.05, epochs=1, seed=1)
    )
    form = win.side.model.settings_unchecked()
    win.side.model.set_settings(dataclasses.replace(form, n_cells=40, batch_size=16))
    _continue(win, qtbot, epochs=1)
    after = win.side.model.settings_unchecked()
    assert (after.n_cells, after.batch_size, after.epochs) == (6, 64, 1)
    assert win.network.n_cells == 6 and len(win.network.losses) == 2


def test_a_loaded_model_without_history_clears_the_previous_runs_plots(loaded, qtbot, tmp_path):
    from rnnfast import RecurrentNetwork

    win = loaded
    _train(
        win, qtbot, TrainSettings(n_cells=4, batch_size=64, learning_rate=0.05, epochs=1, seed=1)
    )
    win.refresh_plots()
    assert win.plots_with_data()["loss"]
    fresh = RecurrentNetwork(n_cells=5, seed=3)
    fresh.init_weights(100)  # weights, no training: no history
    fresh.save(str(tmp_path / "fresh.npz"))
    assert win.load_model(str(tmp_path / "fresh.npz")) is not None
    assert win.history is None
    win.refresh_plots()
    assert not win.plots_with_data()["loss"] and not win.plots_with_data()["grad_heatmap"]
    # it can still be trained on from its weights: Continue starts its history
    _continue(win, qtbot, epochs=1)
    assert win.history.epoch_x == [1.0] and len(win.network.losses) == 1
