"""Runs side by side (any number, each its colour, labelled by what differs, shown/hidden and
removed from a list) and the banner that says when training has gone bad."""

import math

import numpy as np
import pytest
from gui_helpers import make_history
from PyQt5.QtCore import Qt

from gui.training.health import assess
from gui.training.runs import differing_labels


def test_labels_name_the_settings_that_differ():
    a, b = (
        make_history(bptt_steps=10, backprop="exact"),
        make_history(bptt_steps=None, backprop="textbook"),
    )
    assert differing_labels([a, b]) == ["bptt 10, exact", "full BPTT, textbook"]
    c = make_history(bptt_steps=10, backprop="exact", learning_rate=0.1)
    assert differing_labels([a, b, c]) == [
        "bptt 10, exact, lr 0.01",
        "full BPTT, textbook, lr 0.01",
        "bptt 10, exact, lr 0.1",
    ]
    assert differing_labels([a, make_history(bptt_steps=10, backprop="exact")]) == [
        "run 1",
        "run 2",
    ]


def test_any_number_of_kept_runs_each_in_its_colour(window, qtbot):
    win = window
    for i in range(12):
        win.runs.keep(make_history(seed=i, n_cells=4 + i))
    colors = [r.color for r in win.runs.kept]
    assert (
        len(set(colors)) == 12 and (31, 119, 180) not in colors
    )  # none takes the current run's blue
    assert [r.label for r in win.runs.kept] == [f"{4 + i} cells" for i in range(12)]
    win.refresh_plots()
    curves = win.loss_plot.kept_curves("val")
    assert len(curves) == 12
    pens = {c.opts["pen"].color().getRgb()[:3] for c in curves}
    assert pens == set(colors)
    assert win.side.runs.list.count() == 12  # no current run yet: the kept ones
    # a removed run's colour is handed out again
    freed = win.runs.kept[3].color
    win.runs.remove(win.runs.kept[3])
    assert win.runs.keep(make_history(seed=99, n_cells=99)).color == freed


def test_the_runs_list_shows_hides_and_removes(window, qtbot):
    win = window
    cur = make_history(bptt_steps=None, backprop="exact")
    win.controller._set_history(cur)
    win.runs.keep(make_history(bptt_steps=10, backprop="exact"))
    win.runs.keep(make_history(bptt_steps=10, backprop="textbook"))
    panel = win.side.runs
    rows = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert rows == ["current run: full BPTT, exact", "bptt 10, exact", "bptt 10, textbook"]
    win.refresh_plots()
    assert len(win.grad_plot.kept_curves("recent")) == 2
    panel.list.item(1).setCheckState(Qt.Unchecked)  # hide the first kept run
    assert not win.runs.kept[0].visible
    win.refresh_plots()
    assert len(win.grad_plot.kept_curves("recent")) == 1
    assert "bptt 10, exact" not in [t for _, t in win.grad_plot.legend.items]
    panel.list.item(1).setCheckState(Qt.Checked)
    win.refresh_plots()
    assert len(win.grad_plot.kept_curves("recent")) == 2
    panel.list.item(2).setSelected(True)
    assert panel.remove_button.isEnabled()
    panel.remove_button.click()
    assert [r.label for r in win.runs.kept] == ["bptt 10"]  # relabelled: what differs now
    win.act_clear_compare.trigger()
    win.refresh_plots()
    assert not win.runs.kept and not win.loss_plot.has_compare() and panel.list.count() == 1


def test_keep_from_the_panel_and_the_toolbar(loaded, qtbot, small_settings):
    win = loaded
    small_settings.epochs = 1
    win.side.model.set_settings(small_settings)
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        assert win.start_training()
    qtbot.waitUntil(lambda: not win.is_training, timeout=5_000)
    assert win.side.runs.keep_button.isEnabled()
    win.side.runs.keep_button.click()
    win.act_keep.trigger()
    assert len(win.runs.kept) == 2 and win.runs.kept[0].history is not win.history


# -- training gone bad ---------------------------------------------------------------------------
def test_assess_healthy_and_bad_runs():
    assert assess(make_history(), np.tanh(np.linspace(-1, 1, 100)).reshape(10, 10)) == []
    bad = make_history(saturate=True)
    codes = [c for c, _ in assess(bad, np.full((10, 4), 0.9999))]
    assert codes == ["diverging", "saturated", "vanished"]
    stuck = make_history(epochs=6)
    stuck.epoch_loss = [math.log(2)] * 6
    assert [c for c, _ in assess(stuck)] == ["chance"]
    # a vanishing gradient far back is the lesson, not a fault
    far = make_history(k=100)
    far._grads.array[:, 50:] = 1e-40
    assert assess(far) == []


def test_a_learning_rate_of_10_is_flagged(loaded, qtbot):
    from gui.training.settings import TrainSettings

    win = loaded
    assert not win.banner.isVisibleTo(win)
    win.side.model.set_settings(TrainSettings(n_cells=8, learning_rate=10.0, epochs=1, seed=1))
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        assert win.start_training()
    qtbot.waitUntil(lambda: "saturated" in [c for c, _ in win.banner.problems], timeout=5_000)
    assert win.banner.isVisibleTo(win)
    codes = [c for c, _ in win.banner.problems]
    assert "saturated" in codes and "diverging" in codes
    assert (
        "Hidden states saturated" in win.banner.text()
        and "Lower the learning rate" in win.banner.text()
    )
    win.set_language("ko")
    assert "은닉 상태 포화" in win.banner.text()
    win.set_language("en")
    # a healthy run clears it (once the first run's thread has ended: training_finished comes
    # before the thread settles, so an immediate start could find it still running)
    qtbot.waitUntil(lambda: not win.controller.is_training, timeout=5_000)
    win.side.model.set_settings(TrainSettings(n_cells=8, learning_rate=0.01, epochs=1, seed=1))
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        assert win.start_training()
    qtbot.waitUntil(lambda: not win.banner.isVisibleTo(win), timeout=5_000)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_banner_explains_each_problem(window, lang):
    win = window
    win.set_language(lang)
    win.banner.update_from(make_history(saturate=True), np.full((5, 5), 1.0))
    assert win.banner.isVisibleTo(win) and len(win.banner.problems) == 3
    assert (
        "훈련이 잘못되었습니다" if lang == "ko" else "Training has gone bad"
    ) in win.banner.text()
    win.set_language("en")
