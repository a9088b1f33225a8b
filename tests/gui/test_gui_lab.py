"""The BPTT lab inside the app (gui.lab.panel): its views fill from the recorder while the app
trains, the gradient check runs on the app's network, the clipping lab's settings apply to
the next run, the views follow the app's review and export from the Export menu, twin runs
start from the Lab menu."""

import csv
import os

import numpy as np
import pytest
from gui_helpers import start_long_run, train
from PyQt5.QtWidgets import QFileDialog

from gui.training.settings import TrainSettings

VIEWS = ("erratum", "vanishing", "truncation", "clipping", "inspector")


def _small(**kw):
    return TrainSettings(
        **{
            "n_cells": 8,
            "batch_size": 32,
            "learning_rate": 0.05,
            "epochs": 1,
            "bptt_steps": 10,
            "seed": 1,
            **kw,
        }
    )


def test_views_are_live_while_training(loaded, qtbot):
    win = loaded
    lab = win.lab
    assert not lab.views  # built when first shown
    win.act_lab_show.trigger()
    assert (
        win.lab.isVisible()
        and win.act_lab_show.isChecked()
        and set(lab.views) == set(VIEWS) | {"twins"}
    )
    start_long_run(win, qtbot, _small())
    for key in VIEWS:  # each view, shown while training, is drawn from the recorder's records
        lab.show_view(key)
        qtbot.waitUntil(
            lambda k=key: lab.views[k].has_data() and lab.latest is not None, timeout=10_000
        )
        assert win.is_training
    first = lab.views["erratum"].record["batch"]
    lab.show_view("erratum")
    qtbot.waitUntil(
        lambda: lab.views["erratum"].record["batch"] > first + 20, timeout=10_000
    )  # redrawn, newer
    series = lab.latest["series"]
    assert len(series["batch"]) >= 2 and np.all(np.diff(series["batch"]) > 0)
    assert (
        lab.link.recorder.snapshots >= 2
        and lab.latest["window"] == 10
        and lab.latest["n_cells"] == 8
    )
    win.stop(wait=True)
    qtbot.waitUntil(lambda: not win.is_training, timeout=10_000)
    lab.redraw(all_views=True)
    assert all(lab.views[k].has_data() for k in VIEWS)
    win.act_lab_show.trigger()  # back to the plots
    assert win.grid.isVisible() and not lab.isVisible() and not win.act_lab_show.isChecked()


def test_views_follow_the_apps_review_and_decode_its_words(loaded, qtbot):
    win, lab = loaded, loaded.lab
    train(win, qtbot, _small())
    lab.show_view("truncation")
    d = win.dataset
    win.side.data.review.setValue(5)  # the app's choice: a snapshot of the idle network now
    rec = lab.latest
    assert rec["saliency"]["review"] == 5 and rec["saliency"]["n_reviews"] == d.n_val
    np.testing.assert_array_equal(rec["saliency"]["ids"], d.ids_val[5])
    view = lab.views["truncation"]
    assert view.review_box.value() == 5 and lab.views["inspector"].review_box.value() == 5
    words = [w for w, t in zip(d.words(d.ids_val[5]), d.ids_val[5]) if t > 2]
    html = view.words.toPlainText()
    assert words and all(w in html for w in words[-3:])  # the dataset's word index
    dead = view.dead_mask()
    assert np.all(rec["saliency"]["values"][dead] == 0) and np.all(
        rec["saliency"]["values"][~dead] > 0
    )
    lab.views["inspector"].review_box.setValue(7)  # the lab's selector moves the app's review
    assert win.side.data.review.value() == 7 and lab.latest["saliency"]["review"] == 7


def test_gradient_check_on_the_apps_network(loaded, qtbot):
    win, lab = loaded, loaded.lab
    assert not win.act_lab_check.isEnabled()  # no network yet
    train(win, qtbot, _small())
    assert win.act_lab_check.isEnabled()
    win.act_lab_check.trigger()  # idle: now, on the trained network
    check = lab.latest["gradient_check"]
    rows = {(r[0], r[1], r[2]): r for r in check["rows"]}
    rel = check["columns"].index("rel_error")
    full = win.dataset.maxlen  # full BPTT: k = T
    assert rows[("exact", full, "w1h")][rel] < 1e-6 and rows[("textbook", full, "w1h")][rel] > 1e-3
    assert rows[("exact", 10, "w1h")][rel] > 1e-3  # what truncation costs
    lab.show_view("erratum")
    assert lab.views["erratum"].check_table.rowCount() == len(check["rows"])
    # while training: at the next snapshot, and later records keep the table
    start_long_run(win, qtbot, _small(seed=2))
    before = lab.link.recorder.snapshots
    lab.views["erratum"].check_button.click()
    qtbot.waitUntil(
        lambda: (
            lab.latest is not None
            and lab.latest["batch"] > 0
            and lab.latest.get("gradient_check") is not check
            and lab.latest.get("gradient_check") is not None
        ),
        timeout=10_000,
    )
    assert lab.link.recorder.snapshots > before and win.is_training
    win.stop(wait=True)


def test_clipping_settings_apply_to_the_next_run(loaded, qtbot):
    win, lab = loaded, loaded.lab
    win.side.model.set_settings(_small(learning_rate=0.1))
    lab.show_view("clipping")
    view = lab.views["clipping"]
    view.mode_box.setCurrentIndex(view.mode_box.findData("norm"))
    view.threshold.setValue(0.05)
    view.explode.setChecked(True)
    view.sigma.setValue(2.5)
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        view.apply.click()  # the form's clip fields, then a new run
    m = win.side.model
    assert m.clip_norm.value() == pytest.approx(0.05) and m.clip_value.value() is None
    assert win.network.clip_norm == pytest.approx(0.05) and win.network.clip_value is None
    qtbot.waitUntil(
        lambda: lab.latest is not None and lab.latest["clip"]["recorded"], timeout=5_000
    )
    clip = lab.latest["clip"]
    assert clip["settings"]["clip_norm"] == pytest.approx(0.05) and clip["share"] > 0.5
    assert np.all(clip["norm_after"] <= 0.05 * (1 + 1e-9))
    # the "explode" preset: w1h's largest singular value 2.5 once the weights were initialised
    assert lab.latest["series"]["sigma"][0, 0] == pytest.approx(2.5, rel=0.05)
    lab.redraw()
    view = lab.views["clipping"]  # a new run's views, the settings applied in their controls
    assert (
        "%" in view.status.text()
        and view.mode_box.currentData() == "norm"
        and view.explode.isChecked()
    )
    # per entry: clip_value in the form and the network, clip_norm off; no explode
    lab.show_view("clipping")
    view.mode_box.setCurrentIndex(view.mode_box.findData("value"))
    view.threshold.setValue(0.001)
    view.explode.setChecked(False)
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        view.apply.click()
    assert m.clip_value.value() == pytest.approx(0.001) and m.clip_norm.value() is None
    assert win.network.clip_value == pytest.approx(0.001) and win.network.clip_norm is None
    qtbot.waitUntil(
        lambda: lab.latest is not None and lab.latest["clip"]["recorded"], timeout=5_000
    )
    assert lab.latest["clip"]["share"] > 0.5 and lab.latest["series"]["sigma"][0, 0] < 1.2
    assert "clip entries 0.001" in win.history.label


def test_continue_carries_the_lab_history_on(loaded, qtbot):
    win, lab = loaded, loaded.lab
    train(win, qtbot, _small())
    seen = lab.link.recorder.batches_seen
    with qtbot.waitSignal(win.training_finished, timeout=30_000):
        assert win.continue_training()
    assert lab.link.recorder.batches_seen == 2 * seen  # not reset: the series goes on
    assert lab.latest["series"]["batch"][-1] == 2 * seen


def test_recording_can_be_switched_off(loaded, qtbot):
    win, lab = loaded, loaded.lab
    win.act_lab_record.trigger()
    assert not win.act_lab_record.isChecked() and not lab.link.recording
    train(win, qtbot, _small())
    assert lab.link.recorder.batches_seen == 0  # not in the worker's callbacks
    assert (
        lab.latest is not None and lab.link.recorder.snapshots == 1
    )  # the trained network, at the end
    win.act_lab_record.trigger()
    assert lab.link.recording


def _rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_every_view_exports_from_the_export_menu(loaded, qtbot, tmp_path, monkeypatch):
    win = loaded
    train(win, qtbot, _small())
    win.act_lab_check.trigger()
    for key in VIEWS:
        png = win.files.export_lab(key, str(tmp_path / f"{key}.png"), "png")
        assert png and os.path.getsize(png[0]) > 5_000
        written = win.files.export_lab(key, str(tmp_path / f"{key}.csv"), "csv")
        assert written[0].endswith(f"{key}.csv") and len(_rows(written[0])) > 1
    assert any(p.endswith("erratum_gradient_check.csv") for p in os.listdir(tmp_path))
    from PyQt5.QtGui import QImage

    shown = QImage(str(tmp_path / "vanishing.png"))  # laid out as on screen, though not shown
    assert shown.width() > 700 and shown.height() > 300
    # the menu entries: Export > BPTT lab > a view > PNG / CSV (the path asked for)
    target = str(tmp_path / "menu.csv")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (target, "")))
    png_action, csv_action = win.export_actions["lab_truncation"]
    csv_action.trigger()
    header = _rows(target)[0]
    assert header == ["t", "id", "word", "saliency", "dead"]
    files = win.export_all(str(tmp_path / "all"))
    assert sum(f.endswith(f"lab_{k}.png") for f in files for k in VIEWS) == len(VIEWS)


def test_twin_runs_from_the_lab_menu(loaded, qtbot):
    win, lab = loaded, loaded.lab
    win.side.model.set_settings(_small(epochs=1, seed=None))
    lab.show_view("twins")
    assert win.act_lab_twins_rules.isEnabled() and not win.act_lab_twins_stop.isEnabled()
    win.act_lab_twins_rules.trigger()
    runs = lab.link.twin_runs
    assert (
        runs.running
        and win.act_lab_twins_stop.isEnabled()
        and not win.act_lab_twins_rules.isEnabled()
    )
    qtbot.waitUntil(lambda: not runs.running, timeout=60_000)
    qtbot.waitUntil(lambda: lab.views["twins"].has_data(), timeout=5_000)
    view = lab.views["twins"]
    assert [view.labels[r] for r in ("A", "B")] == ["exact", "textbook"]
    first = {r: rec["series"]["sigma"][0] for r, rec in view.records.items()}
    np.testing.assert_allclose(first["A"], first["B"], rtol=0.05)  # the same initial weights
    win.act_lab_twins_window.trigger()
    assert runs.running and [view.labels[r] for r in ("A", "B")] == ["bptt 10", "full BPTT"]
    assert view.pair_box.currentData() == "window"
    win.act_lab_twins_stop.trigger()
    assert not runs.running and win.act_lab_twins_rules.isEnabled()


def test_command_line_shows_the_lab_and_takes_clip_value(tmp_path, need_rnnfast):
    from test_gui_cli import _run

    out = tmp_path / "lab.png"
    p = _run(
        "--screenshot",
        str(out),
        "--train-seconds",
        "2",
        "--epochs",
        "2",
        "--n-cells",
        "8",
        "--lab",
        "vanishing",
        "--clip-value",
        "0.5",
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert (
        "BPTT lab views with data: erratum, vanishing, truncation, clipping, inspector" in p.stdout
    )
    assert _run("--clip-value", "0").returncode == 2 and _run("--lab", "nowhere").returncode == 2
