"""The window driven headless: load, train, plots, controls, compare, files (the other inputs,
the errors and closing: test_gui_errors.py)."""

import json
import os
import time

import numpy as np
from gui_helpers import start_long_run, train, wait_for_state
from PyQt5.QtCore import QTimer
from PyQt5.QtGui import QImage

from gui.training.settings import TrainSettings

PLOTS = ("loss", "accuracy", "grad_norms", "grad_heatmap", "hidden_states")


# -- loading --------------------------------------------------------------------------------------
def test_load_sample(loaded):
    d = loaded.dataset
    assert (d.n_train, d.n_val, d.maxlen, d.n_features) == (4000, 1000, 100, 100)
    assert d.x_train.dtype.kind == "i" and d.x_train.shape == (4000, 100)
    info = loaded.side.data.info.text()
    assert "sample" in info and "4,000" in info and "positive" in info
    text = loaded.side.data.text.toPlainText()
    assert text.startswith("[") and len(text.split()) > 5  # a decoded review, words not ids
    assert loaded.side.model._maxlen == 100  # bptt_steps: 1..T or full
    assert loaded.act_train.isEnabled()


def test_window_has_no_tensorflow_and_fast_construction(qtbot, need_rnnfast):
    import sys

    from gui.app.window import MainWindow

    t0 = time.perf_counter()
    win = MainWindow(autoload=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    # the 2 s start-up target is measured end to end (and printed) by test_gui_cli; a shared
    # machine can stall any process for seconds, so no test asserts a duration
    print(f"window constructed and exposed in {time.perf_counter() - t0:.3f} s")
    if "tensorflow" not in sys.modules:  # other test modules of the session may have imported it
        win.load_data()
        qtbot.waitUntil(lambda: win.dataset is not None and not win.is_loading, timeout=20_000)
        assert "tensorflow" not in sys.modules
    win.close()


# -- training and the five plots -------------------------------------------------------------
def test_train_fills_every_plot(loaded, qtbot, small_settings):
    win = loaded
    assert not any(win.plots_with_data()[k] for k in PLOTS[:4])
    result = train(win, qtbot, small_settings)
    assert result["error"] is None and not result["stopped"]
    qtbot.waitUntil(lambda: all(win.plots_with_data().values()), timeout=5_000)
    h = win.history
    n_batches = -(-4000 // 32)
    assert h.status == "finished" and h.n_batches_seen == 2 * n_batches
    assert len(h.epoch_loss) == 2 and len(h.val_acc) == 2 and all(np.isfinite(h.val_loss))
    assert h.grad_matrix.shape == (2 * n_batches, 10)
    # the plots show what the history holds
    x, y = win.loss_plot.smooth.getData()
    assert len(x) == h.n_batches_seen
    gx, gy = win.grad_plot.recent.getOriginalDataset()  # getData() is log10 in log mode
    assert list(gx) == list(range(10)) and np.all(gy > 0)
    assert win.heatmap.image.image.shape[1] == 10
    assert win.hidden_plot.states.shape == (100, 8)
    assert 0.0 <= win.hidden_plot.proba <= 1.0
    assert win.network is not None and win.network.n_cells == 8
    assert win.progress.value() == 1000
    assert "epoch 2/2" in win.status_epoch.text()
    assert (
        win.status_speed.text() == "" and win.status_eta.text() == ""
    )  # no speed nor ETA once it ended
    assert win.status.state == "finished" and win.status.state_label.text().strip() == "FINISHED"
    assert "validation accuracy" in win.statusBar().currentMessage()


def test_plots_update_while_training(loaded, qtbot, small_settings):
    """Live: data reaches the plots during the run, refreshed >= 5 times a second."""
    win = loaded
    assert win.refresh_timer.isActive() and win.refresh_timer.interval() <= 200
    start_long_run(win, qtbot, small_settings)
    qtbot.waitUntil(lambda: all(win.plots_with_data().values()), timeout=10_000)
    n0, c0, t0 = win.history.n_batches_seen, win.refresh_count, time.perf_counter()
    qtbot.wait(1000)
    n1, c1, t1 = win.history.n_batches_seen, win.refresh_count, time.perf_counter()
    assert n1 > n0
    # the timer's interval (<= 200 ms) is the design; the rate reached is load-dependent:
    # printed, and asserted only to be non-zero (the plots refresh while the worker trains)
    print(f"plot refreshes while training: {(c1 - c0) / (t1 - t0):.1f} per second")
    assert c1 > c0
    assert (
        win.is_training
        and win.status_eta.text().endswith("left")
        and "reviews/s" in win.status_speed.text()
    )
    assert win.status.state_label.text().strip() == "RUNNING"
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        win.stop()


def test_worker_emits_at_a_bounded_rate(loaded, qtbot, small_settings):
    win = loaded
    start_long_run(win, qtbot, small_settings)
    counts = {"batches": 0, "records": 0}

    def count(payload):
        counts["batches"] += 1
        counts["records"] += len(payload["losses"])

    win.controller.worker.batches.connect(count)
    t0 = time.perf_counter()
    qtbot.wait(1500)
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        win.stop()
    elapsed = time.perf_counter() - t0
    epochs = len(win.history.epoch_x)
    # every 50 ms at most, plus one flush per epoch end, pause or stop
    assert counts["batches"] <= elapsed / 0.05 + epochs + 5
    assert (
        counts["records"] > counts["batches"]
    )  # many batches per signal: chunks, not one per batch


def test_event_loop_stays_responsive_while_training(loaded, qtbot):
    """A 10 ms QTimer in the GUI thread keeps firing while a run trains (the source's model
    size, 32 cells, batch 32).

    The acceptance figure (lateness at most 50 ms) is a speed target: it is measured and
    printed here (and by ``python -m gui --report-lateness``), not asserted, because a shared
    CI machine can take the CPU away at any moment.  What is asserted is the functional
    property: the loop is not blocked (training in the GUI thread would make the timer late
    by the whole 2 s window and leave a handful of ticks).
    """
    win = loaded
    start_long_run(win, qtbot, TrainSettings(n_cells=32, batch_size=32, learning_rate=0.01, seed=3))
    qtbot.waitUntil(lambda: all(win.plots_with_data().values()), timeout=10_000)
    results = []
    for attempt in range(2):
        ticks = []
        timer = QTimer()
        timer.setTimerType(0)  # Qt.PreciseTimer
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        qtbot.wait(2000)
        timer.stop()
        assert win.is_training
        lateness = np.diff(ticks) - 0.010
        results.append((lateness.max(), lateness.mean(), len(lateness)))
        print(
            f"timer lateness while training: max {1000 * lateness.max():.1f} ms, "
            f"mean {1000 * lateness.mean():.2f} ms over {len(lateness)} ticks"
        )
        if lateness.max() <= 0.050:
            break
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        win.stop()
    assert all(n > 50 for _, _, n in results)
    assert min(m for m, _, _ in results) < 1.0


# -- controls --------------------------------------------------------------------------------------
def test_pause_resume_stop(loaded, qtbot, small_settings):
    win = loaded
    start_long_run(win, qtbot, small_settings)
    win.toggle_pause()
    assert win.act_pause.text() == "Resume"
    wait_for_state(win, qtbot, "paused")
    qtbot.wait(150)
    n = win.history.n_batches_seen
    qtbot.wait(400)
    assert win.history.n_batches_seen == n  # nothing trains while paused
    qtbot.waitUntil(win.act_save_model.isEnabled, timeout=3_000)  # a paused network can be saved
    assert win.controller.network_for_gui() is win.controller.worker.network
    win.toggle_pause()
    assert win.act_pause.text() == "Pause"
    qtbot.waitUntil(lambda: win.history.n_batches_seen > n + 2, timeout=5_000)
    with qtbot.waitSignal(win.training_finished, timeout=10_000) as blocker:
        win.stop()
    assert blocker.args[0]["stopped"]
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)
    assert win.history.status == "stopped"
    assert win.state == "ready" and win.act_train.isEnabled() and not win.act_stop.isEnabled()
    assert win.network is not None and win.network.is_fitted


def test_step_trains_one_batch_at_a_time(loaded, qtbot, small_settings):
    win = loaded
    small_settings.epochs = 5
    win.side.model.set_settings(small_settings)
    assert win.step()  # from idle: a new run that pauses after its first batch
    qtbot.waitUntil(lambda: win.history.n_batches_seen == 1, timeout=10_000)
    wait_for_state(win, qtbot, "paused")
    qtbot.wait(300)
    assert win.history.n_batches_seen == 1
    qtbot.waitUntil(lambda: win.plots_with_data()["grad_norms"], timeout=3_000)
    for expected in (2, 3):
        assert win.step()
        qtbot.waitUntil(lambda: win.history.n_batches_seen == expected, timeout=5_000)
        qtbot.wait(200)
        assert win.history.n_batches_seen == expected
    win.resume()
    qtbot.waitUntil(lambda: win.history.n_batches_seen > 10, timeout=5_000)
    assert win.step()  # while running: pause after the next batch
    wait_for_state(win, qtbot, "paused")
    qtbot.wait(150)
    n = win.history.n_batches_seen
    qtbot.wait(300)
    assert win.history.n_batches_seen == n
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        win.stop()


def test_reset_clears_the_run(loaded, qtbot, small_settings):
    win = loaded
    start_long_run(win, qtbot, small_settings)
    win.reset()  # stops the worker too
    assert not win.is_training and win.history is None and win.network is None
    qtbot.waitUntil(lambda: not any(win.plots_with_data().values()), timeout=3_000)
    assert win.state == "ready"
    train(win, qtbot, TrainSettings(n_cells=4, epochs=1, seed=2))  # usable afterwards
    assert win.history.status == "finished"


def test_shortcuts(loaded, qtbot, small_settings):
    win = loaded
    keys = {
        a.text(): [s.toString() for s in a.shortcuts()]
        for a in (win.act_train, win.act_pause, win.act_stop, win.act_step, win.act_reset)
    }
    assert keys == {
        "Train": ["F5", "Ctrl+Return"],
        "Pause": ["Ctrl+P", "Pause"],
        "Stop": ["Shift+F5", "Esc"],
        "Step": ["F10", "Ctrl+N"],
        "Reset": ["Ctrl+R"],
    }
    small_settings.epochs = 2_000
    win.side.model.set_settings(small_settings)
    win.activateWindow()
    qtbot.waitExposed(win)
    from PyQt5.QtCore import Qt

    qtbot.keyClick(win, Qt.Key_F5)
    if not win.is_training:  # some platforms deliver no shortcuts to an inactive offscreen window
        win.act_train.trigger()
    qtbot.waitUntil(
        lambda: win.history is not None and win.history.n_batches_seen > 0, timeout=10_000
    )
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        qtbot.keyClick(win, Qt.Key_Escape)
        if win.state != "stopping":
            win.act_stop.trigger()


# -- compare ---------------------------------------------------------------------------------------
def test_compare_overlay(loaded, qtbot, small_settings):
    win = loaded
    small_settings.epochs = 1
    train(win, qtbot, small_settings)
    assert win.keep_run()
    small_settings.bptt_steps = None  # full BPTT against truncated
    train(win, qtbot, small_settings)
    # labelled by what differs
    assert win.runs.kept[0].label == "bptt 10" and win.runs.current_label == "full BPTT"
    qtbot.waitUntil(
        lambda: win.loss_plot.has_compare() and win.grad_plot.has_compare(), timeout=3_000
    )
    assert win.acc_plot.has_compare()
    kx, _ = win.grad_plot.kept_curves("recent")[0].getData()
    cx, _ = win.grad_plot.recent.getData()
    assert len(kx) == 10 and len(cx) == 100  # kept: 10 steps; this run: all T steps
    legend = [text for _, text in win.grid.runs_legend.items]  # the runs, once for all plots
    assert "bptt 10" in legend and "current run: full BPTT" in legend
    win.clear_compare()
    qtbot.waitUntil(lambda: not win.loss_plot.has_compare(), timeout=3_000)
    assert not win.grid.runs_legend.items and win.grid.runs_legend.isHidden()


# -- files -----------------------------------------------------------------------------------------
def test_exports_are_written_and_readable(loaded, qtbot, small_settings, tmp_path):
    win = loaded
    train(win, qtbot, small_settings)
    qtbot.waitUntil(lambda: all(win.plots_with_data().values()), timeout=5_000)
    n = win.history.n_batches_seen
    for name in PLOTS:
        png = win.export_plot(name, str(tmp_path / f"{name}.png"), "png")
        img = QImage(png)
        assert not img.isNull() and img.width() > 100 and img.height() > 100
        csv = win.export_plot(name, str(tmp_path / f"{name}.csv"), "csv")
        table = np.genfromtxt(csv, delimiter=",", names=True, comments="#")
        cols = table.dtype.names
        if name == "loss":
            assert np.isfinite(table["batch_loss"]).sum() == n
            assert np.isfinite(table["val_loss"]).sum() == 2
        elif name == "accuracy":
            assert np.isfinite(table["val_accuracy"]).sum() == 2
        elif name == "grad_norms":
            assert list(table["step_back"]) == list(range(10)) and np.all(table["recent_mean"] > 0)
        elif name == "grad_heatmap":
            assert len(table) == n and cols[0] == "epoch" and cols[-1] == "step_back_9"
        else:
            assert len(table) == 100 and "h_7" in cols and "token_id" in cols
            assert np.all(np.abs(table["h_0"]) <= 1.0)
    assert not win.errors

    files = win.export_all(str(tmp_path / "all"))
    plots = [f for f in files if not os.path.basename(f).startswith("lab_")]
    assert (
        len(plots) == 10
    )  # and the BPTT lab's views, recorded while training (tests/gui/test_gui_lab.py)
    assert {os.path.basename(f) for f in files} >= {"lab_erratum.png", "lab_truncation.csv"}

    run = win.save_run(str(tmp_path / "run.json"))
    kept = win.load_run(run)  # a saved run comes back as the compare overlay
    assert kept.epoch_loss == win.history.epoch_loss and win.kept[-1].history is kept
    qtbot.waitUntil(lambda: win.loss_plot.has_compare(), timeout=3_000)
    win.clear_compare()
    d = json.loads(open(run).read())
    assert d["train_settings"]["n_cells"] == 8 and d["data_settings"]["source"] == "sample"
    assert len(d["history"]["loss"]) == 2 and len(d["history"]["batch_loss"]) == n
    assert d["status"] == "finished"

    path = win.save_model(str(tmp_path / "model.npz"))
    from rnnfast import RecurrentNetwork

    net = RecurrentNetwork.load(path)
    np.testing.assert_array_equal(net.w1h, win.network.w1h)
    old = win.network
    assert win.load_model(path) is not None
    assert win.network is not old and win.side.model.n_cells.value() == 8
    np.testing.assert_array_equal(win.network.w1x, old.w1x)
    assert "validation accuracy" in win.statusBar().currentMessage()
    qtbot.waitUntil(lambda: win.plots_with_data()["loss"], timeout=3_000)

    shot = win.save_screenshot(str(tmp_path / "window.png"))
    assert QImage(shot).width() == win.width()


def test_hidden_states_follow_the_chosen_review(loaded, qtbot, small_settings):
    win = loaded
    small_settings.epochs = 1
    train(win, qtbot, small_settings)
    win.side.data.review.setValue(5)
    qtbot.waitUntil(lambda: win.hidden_plot.index == 5, timeout=3_000)
    ids = win.dataset.ids_val[5]
    expected = win.network.hidden_states(win.dataset.x_val[5:6])[0]
    np.testing.assert_allclose(win.hidden_plot.states, expected)
    assert win.hidden_plot.words == win.dataset.words(ids)
    # while training, the worker computes them
    start_long_run(win, qtbot, small_settings)
    win.side.data.review.setValue(7)
    qtbot.waitUntil(lambda: win.hidden_plot.index == 7, timeout=5_000)
    win.pause()
    wait_for_state(win, qtbot, "paused")
    win.side.data.review.setValue(9)  # and while paused
    qtbot.waitUntil(lambda: win.hidden_plot.index == 9, timeout=5_000)
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        win.stop()
