"""Issue 21, the app walked through by a newcomer: every setting that shapes a run is in the
form and in the run's label and lasts as long as the form says (explode), labels tell every
two runs apart, sentences follow their numbers, plots keep their room, errors say where."""

import numpy as np
import pytest
from gui_helpers import make_history, train

from gui.runs import differing_labels
from gui.state import TrainSettings


def _small(**kw):
    return TrainSettings(
        **{"n_cells": 8, "learning_rate": 0.05, "epochs": 1, "bptt_steps": 10, "seed": 1, **kw}
    )


# -- item 1: "explode" is a field of the form, not a hidden state of the lab -----------------------
def test_explode_lasts_as_long_as_the_form_says(loaded, qtbot):
    win, lab, model = loaded, loaded.lab, loaded.side.model
    train(win, qtbot, _small())
    fresh = win.history.final_val_accuracy
    assert win.network.w1h.shape == (8, 8)
    sigma_fresh = np.linalg.svd(win.network.w1h, compute_uv=False)[0]
    lab.show_view("clipping")
    view = lab.views["clipping"]
    view.explode.setChecked(True)
    view.sigma.setValue(2.5)
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        view.apply.click()
    assert model.explode.value() == pytest.approx(2.5)  # in the form ...
    assert "explode 2.5" in win.history.label  # ... and in the run's label
    qtbot.waitUntil(lambda: lab.latest is not None, timeout=5_000)
    assert lab.latest["series"]["sigma"][0, 0] == pytest.approx(2.5, rel=0.05)
    exploded = win.history.final_val_accuracy
    win.keep_run()
    # the form says "off" (the default settings): the next run starts as a fresh app's
    train(win, qtbot, _small())
    assert model.settings_unchecked().explode is None
    assert win.history.final_val_accuracy == fresh != exploded
    sigma = np.linalg.svd(win.network.w1h, compute_uv=False)[0]
    assert sigma == pytest.approx(sigma_fresh)
    assert win.runs.kept[0].label == "explode 2.5" and win.runs.current_label == "usual start"
    # a preset is a whole form: explode goes back to off
    model.explode.set_value(2.5)
    assert model.settings_unchecked().explode == 2.5
    model.preset.setCurrentIndex(model.preset.findData("the source (6.3)"))
    model._apply_preset()
    assert model.settings_unchecked().explode is None and model.explode.text() == "off"
    # the lab's controls show the form's
    model.explode.set_value(3.0)
    lab.show_view("clipping")
    view = lab.views["clipping"]  # built again for the new run
    assert view.explode.isChecked() and view.sigma.value() == pytest.approx(3.0)


def test_explode_is_checked_like_every_field(window):
    model = window.side.model
    model.explode.setText("0")
    assert "allowed: a number from 0.1 to 10" in model.explode.error()
    with pytest.raises(ValueError, match="explode"):
        TrainSettings(explode=50.0).validate()


# -- item 3: a label names every setting in which runs differ --------------------------------------
def test_labels_tell_epochs_explode_and_twins_apart():
    a, b = make_history(epochs=2), make_history(epochs=6)
    assert differing_labels([a, b]) == ["2 epochs", "6 epochs"]
    c, d = make_history(explode=2.5), make_history(explode=None)
    assert differing_labels([c, d]) == ["explode 2.5", "usual start"]
    e, f, g = make_history(), make_history(), make_history(bptt_steps=None)
    assert differing_labels([e, f, g]) == ["bptt 10 (run 1)", "bptt 10 (run 2)", "full BPTT"]


# -- item 4: the runs named once; the plots keep their room -----------------------------------------
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_plots_keep_half_their_panel_with_8_runs_at_1024x700(window, qtbot, lang):
    win = window
    win.set_language(lang)
    for i in range(7):
        win.runs.keep(
            make_history(
                seed=i,
                bptt_steps=[10, None][i % 2],
                backprop=["exact", "textbook"][i % 3 % 2],
                learning_rate=[0.05, 0.005][i // 4],
                optimizer=["sgd", "adam"][i // 4],
                n_cells=[8, 16][i % 3 // 2],
                epochs=3 + i,
            )
        )
    win.controller._set_history(make_history(epochs=3, bptt_steps=None, optimizer="adam"))
    win.resize(1024, 700)
    qtbot.waitUntil(lambda: (win.width(), win.height()) == (1024, 700), timeout=3_000)
    qtbot.wait(100)
    win.refresh_plots()
    qtbot.wait(50)
    for name in ("loss", "accuracy", "grad_norms"):
        p = win.plots[name]
        assert p.view.height() >= p.height() / 2, (name, p.view.height(), p.height())
        assert len(p.legend.entries) <= 5  # styles only: no run repeated under every plot
        ax = p.plot_item.getAxis("left")  # its title whole ("accura" was cut)
        assert ax.label.boundingRect().width() <= ax.size().height()
    legend = win.grid.runs_legend
    assert len(legend.entries) == 8 and legend.height() < 0.15 * win.grid.height()
    for e in legend.entries.values():  # whole, or cut with an ellipsis (the tooltip whole)
        assert legend.rect().contains(e.geometry())
        shown = e.label.text()
        assert shown == e.text or (shown.endswith("…") and e.label.toolTip() == e.text)
        assert e.label.fontMetrics().horizontalAdvance(shown) <= e.label.width() + 1
    runs = win.side.runs.list
    assert runs.horizontalScrollBar().maximum() == 0  # no scrolling sideways in the runs list
    win.set_language("en")
