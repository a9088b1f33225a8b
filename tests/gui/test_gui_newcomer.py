"""Issue 21, the app walked through by a newcomer: every setting that shapes a run is in the
form and in the run's label and lasts as long as the form says (explode), labels tell every
two runs apart, sentences follow their numbers, plots keep their room, errors say where."""

import numpy as np
import pytest
from gui_helpers import make_history, train

from gui.training.runs import differing_labels
from gui.training.settings import TrainSettings


def _small(**kw):
    return TrainSettings(
        **{"n_cells": 8, "learning_rate": 0.05, "epochs": 1, "bptt_steps": 10, "seed": 1, **kw}
    )


# -- item 1: "explode" is a field of the form, not a hidden state of the lab -------------------
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
    qtbot.waitUntil(lambda: not win.is_training, timeout=10_000)  # its thread settled too
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


# -- item 3: a label names every setting in which runs differ ----------------------------------
def test_labels_tell_epochs_explode_and_twins_apart():
    a, b = make_history(epochs=2), make_history(epochs=6)
    assert differing_labels([a, b]) == ["2 epochs", "6 epochs"]
    c, d = make_history(explode=2.5), make_history(explode=None)
    assert differing_labels([c, d]) == ["explode 2.5", "usual start"]
    e, f, g = make_history(), make_history(), make_history(bptt_steps=None)
    assert differing_labels([e, f, g]) == ["bptt 10 (run 1)", "bptt 10 (run 2)", "full BPTT"]


# -- item 4: the runs named once; the plots keep their room -------------------------------------
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


# -- item 2: the erratum's sentence follows its numbers -----------------------------------------
def _agreement(exact, textbook, cos):
    return {
        "asymmetry": 1.4,
        "cosine": {"w1h": cos},
        "exact_norm": {"w1h": exact},
        "textbook_norm": {"w1h": textbook},
    }


def test_the_erratum_finding_is_computed_from_its_numbers(qapp):
    from gui.lab.erratum import finding

    far = finding(_agreement(3.67, 2.44, 0.42))  # after a full-BPTT run: 34% apart
    assert "3.67" in far and "2.44" in far and "barely" not in far
    assert "differ by 34%" in far and "directions differ too" in far
    near = finding(_agreement(2.45, 2.44, 0.42))
    assert "barely differ (0% apart); the directions do." in near
    same = finding(_agreement(2.45, 2.44, 0.999))
    assert "nearly agree" in same and "the directions do" not in same
    assert "nearly agree" in finding(_agreement(3.67, 2.44, 0.995))


def test_the_erratum_view_says_the_finding_of_its_record(qapp):
    from gui_helpers import lab_record

    from gui.lab.erratum import ErratumView, finding

    view = ErratumView()
    record = lab_record()
    view.update_from(record)
    assert view.summary.text() == finding(record["agreement"])


# -- item 5: tables whole, log axes with a scale and no collisions, curves off the edges --------
def _labels(axis):
    from PyQt5.QtGui import QImage, QPainter

    img = QImage(8, 8, QImage.Format_ARGB32)
    p = QPainter(img)
    if axis.style["tickFont"] is not None:
        p.setFont(axis.style["tickFont"])
    specs = axis.generateDrawSpecs(p)
    p.end()
    return [] if specs is None else [(r, text) for r, _, text in specs[2]]


@pytest.mark.parametrize("lo, hi", [(1e-3, 1.2e-3), (1e-4, 0.1), (2e-5, 3e-3)])
def test_lab_log_axes_have_a_scale_and_no_collisions(qtbot, lo, hi):
    from gui.lab.common import lab_plot

    plot = lab_plot("t", "x", "y", log_y=True)
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    x = np.arange(50)
    plot.plot(x, np.geomspace(lo, hi, 50))
    qtbot.wait(50)
    labels = _labels(plot.getPlotItem().getAxis("left"))
    assert len(labels) >= 2, labels  # a scale: at least two values
    assert len({t for _, t in labels}) == len(labels)  # no two alike
    for i, (a, _) in enumerate(labels):
        assert not any(a.intersects(b) for b, _ in labels[i + 1 :]), labels


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_erratum_tables_whole_without_a_scrollbar(window, qtbot, lang, size):
    from gui_helpers import lab_record

    win = window
    win.set_language(lang)
    win.resize(*size)
    win.lab.show_view("erratum")
    view = win.lab.views["erratum"]
    record = lab_record()
    view.update_from(record)
    qtbot.wait(50)
    for table in (view.norm_table, view.check_table):
        table.fit_columns()
        assert table.isVisible() and table.horizontalScrollBar().maximum() == 0
        widths = [table.columnWidth(c) for c in range(table.columnCount())]
        assert table.fits(), (widths, table.needed_widths(), table.viewport().width())
    assert view.norm_table.verticalScrollBar().maximum() == 0  # every parameter's row in view
    top = view.asym_plot.getPlotItem().getViewBox().viewRange()[1][1]
    assert top >= 2.0  # ~1.41 (random W1h) far from the top edge; 2: the most there is
    win.set_language("en")


# -- item 7: the data panel says which field, never trains on other data, takes a typed path ----
def test_data_errors_name_their_field_and_train_uses_what_the_panel_says(loaded, qtbot):
    win, data = loaded, loaded.side.data
    data.num_words.setText("0")
    assert not win.load_data()
    title, msg = win.errors[-1]
    assert title == "Invalid data settings" and msg.startswith("words: allowed: an integer")
    # Train refuses: the data loaded is not what the panel says
    assert not win.start_training() and win.errors[-1][0] == "Invalid data settings"
    assert "words: allowed" in win.errors[-1][1] and not win.is_training
    data.num_words.setText("50")  # valid, but not loaded
    assert not win.start_training() and win.errors[-1][0] == "Data not loaded"
    data.num_words.setText("100")  # what is loaded again
    win.side.model.set_settings(_small())
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        assert win.start_training()


def test_the_file_field_takes_a_typed_path_and_says_no_file_once(loaded, qtbot, tmp_path):
    win, data = loaded, loaded.side.data
    data.source.setCurrentIndex(data.source.findData("file"))
    assert not data.path.isReadOnly() and data.path.isEnabled()
    assert not win.load_data()
    title, msg = win.errors[-1]
    assert title == "No file chosen" and "No file chosen" not in msg and "..." in msg
    assert win.status.currentMessage().count("No file chosen") == 1
    data.path.setText(str(tmp_path / "missing.npz"))  # typed: loaded (and refused: no file)
    with qtbot.waitSignal(win.error_shown, timeout=20_000):
        assert win.load_data()
    assert "missing.npz" in win.errors[-1][1]


# -- item 8: the time trained, empty plots, reset, a failed load, norms of 0 ---------------------
def test_the_time_said_leaves_the_pauses_out(loaded, qtbot):
    win = loaded
    win.side.model.set_settings(_small(epochs=2))
    assert win.start_training(steps=1)
    qtbot.waitUntil(lambda: win.state == "paused", timeout=10_000)
    qtbot.wait(1500)
    with qtbot.waitSignal(win.training_finished, timeout=30_000) as blocker:
        win.resume()
    result = blocker.args[0]
    assert result["elapsed"] - result["active"] > 1.0
    text = win.status.currentMessage()
    assert f"after {result['active']:.1f} s of training" in text
    assert f"({result['elapsed']:.1f} s with the pauses)" in text


def _ticks(axis):
    return [t for _, t in _labels(axis)]


def test_empty_plots_show_no_negative_epochs_or_cells_and_reset_empties_all(window, qtbot):
    win = window
    win.resize(1280, 800)
    qtbot.wait(50)
    win.refresh_plots()
    for name in ("loss", "accuracy", "grad_norms"):
        (x0, x1), _ = win.plots[name].plot_item.getViewBox().viewRange()
        assert x0 >= -0.03 * (x1 - x0), name  # a margin, no negative epochs or steps
    for plot in (win.heatmap, win.hidden_plot):  # nothing to measure: no values on the axes
        assert not _ticks(plot.plot_item.getAxis("bottom"))
    win.controller._set_history(make_history(epochs=3))
    win.refresh_plots()
    assert win.heatmap.has_data() and _ticks(win.heatmap.plot_item.getAxis("bottom"))
    win.reset()
    win.refresh_plots()
    assert not win.heatmap.has_data()
    assert tuple(win.heatmap.cbar.levels()) == (-6.0, 0.0)
    assert not _ticks(win.heatmap.plot_item.getAxis("bottom"))


def test_a_failed_load_keeps_the_runs_progress(loaded, qtbot, tmp_path):
    win = loaded
    train(win, qtbot, _small())
    assert win.progress.value() == 1000 and win.status.state == "finished"
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    from gui.training.settings import DataSettings

    with qtbot.waitSignal(win.error_shown, timeout=20_000):
        win.load_data(DataSettings(source="file", path=str(bad)))
    qtbot.waitUntil(lambda: not win.is_loading, timeout=10_000)
    assert win.progress.value() == 1000 and win.status.state == "finished"


def test_norms_of_zero_are_said_on_the_plot(window, qtbot):
    win = window
    h = make_history(saturate=True)
    h._grads._buf[: h._grads.n] = 0.0  # a learning rate of 100: the norms are exactly 0
    win.controller._set_history(h)
    win.refresh_plots()
    note = win.grad_plot.note
    assert note.isVisibleTo(win) and "= 0" in note.text()
    win.controller._set_history(make_history())
    win.refresh_plots()
    assert not note.isVisibleTo(win)


# -- item 9: twin runs said in the status bar, in the language shown ------------------------------
def test_the_status_bar_says_twin_runs_train(loaded, qtbot):
    win = loaded
    win.set_language("ko")
    win.side.model.set_settings(_small(epochs=3))
    labels = win.lab.link.start_twins("rules")
    assert labels == ("정확", "교재식")  # the app's words, not "backprop=exact"
    assert win.status.state == "twins" and "쌍둥이" in win.status.state_label.text()
    qtbot.waitUntil(lambda: not win.lab.link.twin_runs.running, timeout=60_000)
    assert win.status.state != "twins"
    win.set_language("en")


def test_lab_command_line_errors_are_one_line(tmp_path, need_rnnfast):
    import os
    import subprocess
    import sys

    import gui

    root = os.path.dirname(os.path.dirname(os.path.abspath(gui.__file__)))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=root)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", *args], cwd=tmp_path, env=env, capture_output=True,
            text=True, timeout=120, check=False,
        )  # fmt: skip

    p = run("gui.lab", "--data", "/nonexistent.npz")
    assert p.returncode == 2 and "no such file" in p.stderr and "Traceback" not in p.stderr
    p = run("gui.lab", "--data", str(bad), "--screenshot", str(tmp_path / "s.png"))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "bad.npz" in p.stderr
    p = run("gui", "--train-seconds", "-1", "--screenshot", str(tmp_path / "a.png"))
    assert p.returncode == 2 and "--train-seconds" in p.stderr
    p = run("gui", "--review", "999999", "--screenshot", str(tmp_path / "b.png"))
    assert p.returncode == 1 and "no validation review 999,999" in p.stderr
    assert not (tmp_path / "b.png").exists()


# -- the Sweep view's plots read right: whole epochs, colours as far apart as the runs ---------
def _sweep_results(finals, epochs=12):
    from gui.sweep.results import SweepResults

    r = SweepResults({"backprop": ["exact", "textbook"], "bptt_steps": [5, None]}, [0, 1], epochs)
    for cell, values in finals.items():
        for seed, v in enumerate(values):
            curve = np.linspace(0.5, v, epochs)
            r.add(
                {
                    "cell": cell,
                    "seed": seed,
                    "status": "done",
                    "curves": {m: curve for m in ("loss", "val_loss", "accuracy", "val_accuracy")},
                }
            )
    return r


def test_sweep_heatmap_colours_span_the_spread_and_say_it(qtbot):
    from gui.sweep.plots import MIN_SPAN, CellPlot, colour_range

    close = {
        (0, 0): [0.533, 0.534],
        (0, 1): [0.537, 0.536],
        (1, 0): [0.535] * 2,
        (1, 1): [0.5355] * 2,
    }
    plot = CellPlot()
    qtbot.addWidget(plot)
    plot.draw(_sweep_results(close), None)
    lo, hi = plot.levels
    assert hi - lo >= MIN_SPAN - 1e-12  # 0.533 and 0.537: nearly one colour, not two extremes
    image = plot.image.image
    scaled = (image[np.isfinite(image)] - lo) / (hi - lo)
    assert scaled.max() - scaled.min() < 0.2
    assert plot.cbar is not None and plot.cbar.isVisible()
    assert tuple(plot.cbar.levels()) == pytest.approx((lo, hi))
    said = [t for _, t in plot.legend.items][0]
    assert f"{lo:.3f}" in said and f"{hi:.3f}" in said  # the range, in words under the plot
    # far apart: the whole spread, padded by the standard deviations
    mean = np.array([[0.55, 0.60], [0.70, 0.80]])
    std = np.full((2, 2), 0.02)
    assert colour_range(mean, std) == pytest.approx((0.53, 0.82))


def test_sweep_curves_have_whole_epochs(qtbot):
    from gui.sweep.plots import CurvesPlot

    plot = CurvesPlot()
    qtbot.addWidget(plot)
    plot.resize(500, 350)
    plot.show()
    for epochs in (3, 12):
        plot.draw(_sweep_results({(0, 0): [0.6, 0.62]}, epochs), (0, 0))
        qtbot.wait(20)
        ticks = [float(t) for t in _ticks(plot.plot_item.getAxis("bottom"))]
        assert len(ticks) >= 2 and all(t == int(t) for t in ticks), ticks
