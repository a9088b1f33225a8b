"""The status line (RUNNING / PAUSED / STOPPED, epochs over the whole history after Continue,
no speed nor ETA when not running, long errors elided with the whole text in a tooltip) and
the help that explains each plot, in both languages."""

import dataclasses
import re

import pytest
from PyQt5.QtWidgets import QMessageBox, QTextBrowser

from gui.text.help import PlotHelpBox, PlotsHelp
from gui.training.settings import TrainSettings


def _state(win):
    return win.status.state_label.text().strip()


def test_running_paused_stopped_and_no_eta_when_idle(loaded, qtbot, small_settings):
    win = loaded
    assert _state(win) == "READY"
    small_settings.epochs = 2_000
    win.side.model.set_settings(small_settings)
    assert win.start_training()
    qtbot.waitUntil(lambda: win.status_eta.text() != "", timeout=10_000)
    assert _state(win) == "RUNNING" and win.status_speed.text()
    win.pause()
    qtbot.waitUntil(lambda: _state(win) == "PAUSED", timeout=10_000)
    win.refresh_plots()
    assert (
        win.status_speed.text() == "" and win.status_eta.text() == ""
    )  # nothing runs: no speed, no ETA
    win.resume()
    qtbot.waitUntil(lambda: win.status_eta.text() != "", timeout=10_000)
    with qtbot.waitSignal(win.training_finished, timeout=10_000):
        win.stop()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)
    win.refresh_plots()
    assert (
        _state(win) == "STOPPED" and win.status_speed.text() == "" and win.status_eta.text() == ""
    )
    assert re.match(r"epoch \d+/2000, batch \d+/125", win.status_epoch.text())


def test_epochs_are_counted_over_the_whole_history_after_continue(loaded, qtbot):
    win = loaded
    s = TrainSettings(n_cells=8, batch_size=32, learning_rate=0.05, epochs=1, bptt_steps=10, seed=5)
    win.side.model.set_settings(s)
    with qtbot.waitSignal(win.training_finished, timeout=60_000):
        assert win.start_training()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)
    assert win.status_epoch.text().startswith("epoch 1/1")
    win.side.model.set_settings(dataclasses.replace(s, epochs=2))
    with qtbot.waitSignal(win.training_finished, timeout=60_000):
        assert win.continue_training()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)
    win.refresh_plots()
    assert win.status_epoch.text().startswith("epoch 3/3"), win.status_epoch.text()
    assert win.history.epoch_x == [1.0, 2.0, 3.0]
    assert _state(win) == "FINISHED"


def test_a_long_error_is_elided_with_the_whole_text_in_a_tooltip(window):
    win = window
    long = "Training failed: " + "a very long reason " * 40
    win.show_error("Training failed", long + "\n\ntraceback ...")
    label = win.status.message
    assert label.text().endswith("…") and len(label.text()) < len(long)
    assert label.toolTip().startswith("Training failed: Training failed: a very long reason")
    assert win.statusBar().currentMessage().endswith("traceback ...")
    # the epoch label is not overrun: the message takes only the room left
    assert label.geometry().right() <= win.status_epoch.geometry().left()


@pytest.mark.parametrize(
    "lang, words", [("en", "binary cross-entropy"), ("ko", "이진 크로스 엔트로피")]
)
def test_each_plot_has_a_question_mark_that_explains_it(window, qtbot, lang, words):
    win = window
    win.set_language(lang)
    win.loss_plot.help_button.click()
    box = win.findChild(PlotHelpBox, "help-loss")
    assert box is not None and box.isVisible() and words in box.text()
    for key, plot in win.plots.items():
        plot.help_button.click()
        assert win.findChild(PlotHelpBox, f"help-{key}") is not None
    assert (
        win.findChild(PlotHelpBox, "help-grad_norms").text().count("W1h") >= 2
    )  # tied to the equations
    win.set_language("en")


def test_help_explains_every_plot_and_the_warnings(window):
    win = window
    win.act_plots_help.trigger()
    dlg = win.findChild(PlotsHelp)
    text = dlg.findChild(QTextBrowser).toPlainText()
    for title in (
        "Loss",
        "Accuracy",
        "Gradient norm per time step",
        "Gradient norm over training",
        "Hidden states",
        "Warnings",
        "Exact and textbook backprop",
    ):
        assert title in text
    assert (
        "chance" in text and "P(positive)" in text and "0.5" in text
    )  # the chance line, the colours
    win.set_language("ko")
    assert (
        "은닉 상태" in dlg.findChild(QTextBrowser).toPlainText()
    )  # an open Help follows the language
    win.set_language("en")
    win.act_shortcuts.trigger()
    assert any(
        isinstance(b, QMessageBox) and "F5" in b.text() for b in win.findChildren(QMessageBox)
    )
