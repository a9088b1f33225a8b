"""Honest inputs: a value out of range is an error where it was typed (never clamped), the
command line refuses it (exit 2, argparse's way, rnnfast.hyperparams' words), "full" can be
typed; clear messages for Load with no file, a malformed run file, a bad --data; Quit asks
before losing an unsaved run."""

import json
import subprocess
import sys

import pytest
from PyQt5.QtWidgets import QMessageBox

from gui.training.history import RunFileError, RunHistory
from gui.training.settings import DataSettings, SettingsError, TrainSettings


# -- the form ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "field, typed, shown",
    [
        ("n_cells", "0", "an integer from 1 to 4096"),
        ("learning_rate", "1000000", "a number > 0 and <= 100"),
        ("learning_rate", "-1", "a number > 0 and <= 100"),
        ("batch_size", "0", "an integer from 1 to 1,000,000"),
        ("epochs", "0", "an integer from 1 to 100,000"),
        ("bptt_steps", "abc", "or “full”"),
        ("clip_norm", "-2", "or “off”"),
        ("seed", "-1", "or “random”"),
    ],
)
def test_out_of_range_is_an_error_at_the_field_not_clamped(window, field, typed, shown):
    w = getattr(window.side.model, field)
    w.setText(typed)
    assert w.text() == typed  # kept as typed: not replaced by the nearest valid value
    assert not w.is_valid() and shown in w.error() and f"“{typed}”" in w.error()
    assert w.error_label.isVisibleTo(window) and w.error_label.text() == w.error()
    assert "d62728" in w.styleSheet()  # the red frame
    with pytest.raises(SettingsError) as e:
        window.side.model.settings_unchecked()
    assert field in e.value.fields
    from gui.panels.fields import format_value

    w.setText(format_value(field, getattr(TrainSettings(), field)))
    assert w.is_valid() and not w.error_label.isVisibleTo(window)


def test_full_and_off_can_be_typed(window):
    m = window.side.model
    m.bptt_steps.setText("full")
    m.clip_norm.setText("OFF")
    m.seed.setText("random")
    s = m.settings_unchecked()
    assert s.bptt_steps is None and s.clip_norm is None and s.seed is None
    m.bptt_steps.setText("7")
    assert m.settings_unchecked().bptt_steps == 7


def test_train_refuses_an_invalid_field_with_a_dialog(loaded, qtbot):
    win = loaded
    win.side.model.learning_rate.setText("1e6")
    assert win.start_training() is False and not win.is_training
    title, msg = win.errors[-1]
    assert title == "Invalid settings" and "learning rate" in msg and "<= 100" in msg
    win.side.model.bptt_steps.setText("101")  # T = 100 in the sample
    assert "at most T = 100" in win.side.model.bptt_steps.error()


def test_data_fields_and_their_cross_check(window):
    d = window.side.data
    d.num_words.set_value(50)
    d.skip_top.setText("80")
    assert "smaller than the number of words (50)" in d.skip_top.error()
    d.num_words.setText("100")
    assert d.skip_top.is_valid()
    d.maxlen.setText("0")
    assert not window.load_data() and window.errors[-1][0] == "Invalid data settings"
    d.maxlen.setText("100")
    d.set_embedding_available(False)  # a disabled choice set programmatically is still refused
    d.encoding.setCurrentIndex(2)
    assert window.load_data() is False


def test_settings_validate_with_the_hyperparams_table():
    with pytest.raises(SettingsError, match="n_cells must be an integer in"):
        TrainSettings(n_cells=0).validate()
    with pytest.raises(SettingsError, match="skip_top .* smaller than num_words"):
        DataSettings(num_words=50, skip_top=60).validate()
    s = TrainSettings(learning_rate=1, bptt_steps=None).validate(maxlen=100)
    assert isinstance(s.learning_rate, float)


# -- the command line ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, name",
    [
        (["--lr", "1e6"], "learning_rate"),
        (["--lr", "-1"], "learning_rate"),
        (["--n-cells", "0"], "n_cells"),
        (["--batch-size", "0"], "batch_size"),
        (["--epochs", "0"], "epochs"),
        (["--maxlen", "0"], "maxlen"),
        (["--bptt-steps", "0"], "bptt_steps"),
        (["--maxlen", "20", "--bptt-steps", "50"], "bptt_steps"),
    ],
)
def test_command_line_refuses_values_out_of_range(args, name, capsys):
    from gui.__main__ import build_parser, main

    with pytest.raises(SystemExit) as e:
        main(args + ["--startup-check"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert (
        "usage: python -m gui" in err
        and name in err
        and ("must be" in err or "cannot exceed" in err)
    ), err
    assert build_parser().parse_args(["--bptt-steps", "full", "--lr", "100"]).bptt_steps is None


def test_command_line_refusal_exit_code_in_a_process():
    p = subprocess.run(
        [sys.executable, "-m", "gui", "--lr", "1e6"], capture_output=True, text=True, timeout=60
    )
    assert p.returncode == 2 and "learning_rate must be <= 100" in p.stderr


def test_screenshot_with_bad_data_exits_with_the_error(tmp_path, need_rnnfast):
    from test_gui_cli import _run

    p = _run(
        "--data", str(tmp_path / "missing.npz"), "--screenshot", str(tmp_path / "a.png"), timeout=60
    )
    assert p.returncode == 2 and "no such file" in p.stderr
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not an npz")
    p = _run("--data", str(bad), "--screenshot", str(tmp_path / "b.png"), timeout=60)
    assert p.returncode == 1 and "Could not load the data" in p.stderr, p.stdout + p.stderr
    assert not (tmp_path / "b.png").exists()


# -- files -----------------------------------------------------------------------------------------
def test_load_data_without_a_file_says_so(window):
    d = window.side.data
    d.source.setCurrentIndex(d.source.findData("file"))
    d.load_button.click()
    title, msg = window.errors[-1]
    assert title == "No file chosen" and "imdb.npz" in msg and "Unexpected" not in msg
    assert not window.is_loading


@pytest.mark.parametrize(
    "content, kind, words",
    [
        ('{"format": "rnnfast-gui-run/1", "history": ', "json", "not valid JSON (line 1"),
        ("[1, 2, 3]", "format", "not a run saved by rnnfast"),
        ('{"hello": 1}', "format", "not a run saved by rnnfast"),
        (
            '{"format": "rnnfast-gui-run/1", "history": {"epoch": [1, 2], "loss": [0.7]}}',
            "damaged",
            "damaged",
        ),
        ('{"format": "rnnfast-gui-run/1", "train_settings": {"n_cells": 0}}', "damaged", "n_cells"),
    ],
)
def test_a_malformed_run_file_gets_a_clear_message(window, tmp_path, content, kind, words):
    path = tmp_path / "run.json"
    path.write_text(content)
    with pytest.raises(RunFileError) as e:
        RunHistory.load_json(str(path))
    assert e.value.kind == kind
    assert window.load_run(str(path)) is None
    title, msg = window.errors[-1]
    assert title == "Could not load the run" and "run.json" in msg and words in msg
    assert "JSONDecodeError" not in msg and "Traceback" not in msg


def test_a_missing_run_file(window, tmp_path):
    assert window.load_run(str(tmp_path / "nope.json")) is None
    assert "cannot be read" in window.errors[-1][1]


# -- quitting --------------------------------------------------------------------------------------
def _run_with_data(win):
    from gui_helpers import make_history

    h = make_history()
    h.status = "finished"
    win.controller._set_history(h)
    return h


def _answer(qtbot, win, button):
    box = win.findChild(QMessageBox, "unsaved-run")
    assert box is not None and box.isVisible()
    qtbot.wait(10)
    box.button(button).click()
    qtbot.wait(50)


def test_quit_asks_before_losing_an_unsaved_run(window, qtbot, tmp_path):
    win = window
    win.confirm_quit = True
    _run_with_data(win)
    win.close()
    _answer(qtbot, win, QMessageBox.Cancel)
    assert win.isVisible()  # cancelled: still there
    win.save_run(str(tmp_path / "run.json"))
    win.close()  # saved: no question
    assert not win.isVisible()


def test_quit_discard_closes(window, qtbot):
    win = window
    win.confirm_quit = True
    _run_with_data(win)
    win.act_quit.trigger()
    _answer(qtbot, win, QMessageBox.Discard)
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=3_000)


def test_quit_without_a_run_asks_nothing(window):
    window.confirm_quit = True
    window.close()
    assert not window.isVisible() and window.findChild(QMessageBox, "unsaved-run") is None


def test_run_file_round_trip_keeps_the_kept_runs(window, tmp_path):
    from gui_helpers import make_history

    win = window
    _run_with_data(win)
    win.runs.keep(make_history(bptt_steps=None))
    path = win.save_run(str(tmp_path / "run.json"))
    d = json.loads(open(path).read())
    assert len(d["kept_runs"]) == 1 and d["kept_runs"][0]["label"]
