"""A randomized session (seeded): clicks on every button and menu entry, key shortcuts, edits of
every field with valid and absurd values, window resizes, language switches, loads of bad
files, Stop/Continue/Step/Pause at random moments of training. It must end with no crash, no
unhandled exception (pytest-qt fails the test on one raised in a slot) and a window that still
trains.

CI runs 150 actions; the long run is

    RNNFAST_MONKEY_ACTIONS=1500 RNNFAST_MONKEY_SEED=7 python -m pytest tests/gui/test_gui_monkey.py
"""

import os
import random

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QWidget,
)

from gui.panels.fields import HyperField
from gui.plots.export import FigureDialog
from gui.training.settings import DataSettings, TrainSettings

N_ACTIONS = int(os.environ.get("RNNFAST_MONKEY_ACTIONS", "150"))
SEEDS = [int(s) for s in os.environ.get("RNNFAST_MONKEY_SEED", "1").split(",")]
ABSURD = [
    "0",
    "-1",
    "1e6",
    "1e300",
    "-1e-300",
    "nan",
    "inf",
    "abc",
    "",
    " ",
    "full",
    "off",
    "random",
    "전체",
    "１２",
    "12.5",
    "0x10",
    "99999999999999999999",
    "3,000",
]
KEYS = [
    (Qt.Key_F5, Qt.NoModifier),
    (Qt.Key_F6, Qt.NoModifier),
    (Qt.Key_F10, Qt.NoModifier),
    (Qt.Key_Escape, Qt.NoModifier),
    (Qt.Key_P, Qt.ControlModifier),
    (Qt.Key_K, Qt.ControlModifier),
    (Qt.Key_R, Qt.ControlModifier),
    (Qt.Key_N, Qt.ControlModifier),
    (Qt.Key_F5, Qt.ShiftModifier),
    (Qt.Key_K, Qt.ControlModifier | Qt.ShiftModifier),
    (Qt.Key_L, Qt.ControlModifier),
]
SIZES = [(1024, 700), (1280, 800), (1600, 1000), (900, 600), (2560, 1440)]
# what a field may get that is valid but keeps the session quick (absurd values are refused anyway)
QUICK = {
    "n_cells": ["1", "4", "8", "16"],
    "batch_size": ["1", "16", "64", "500"],
    "epochs": ["1", "2", "3"],
    "learning_rate": ["0.001", "0.1", "10", "100"],
    "bptt_steps": ["1", "5", "full", "10"],
    "clip_norm": ["off", "1", "0.5"],
    "seed": ["0", "random", "42"],
    "embedding_dim": ["2", "8"],
    "num_words": ["100", "50", "2", "1000"],
    "skip_top": ["0", "20", "1"],
    "maxlen": ["20", "50", "100"],
    "max_train": ["200", "400"],
    "max_val": ["50", "100"],
    "explode": ["off", "2.5", "1.5"],
}


class Monkey:
    def __init__(self, win, qtbot, rng, tmp):
        self.win, self.qtbot, self.rng, self.tmp = win, qtbot, rng, tmp
        self.bad_files = self._bad_files()
        self.counts = {}

    def _bad_files(self):
        files = {
            "json": "not json {",
            "list.json": "[1, 2]",
            "npz": "not a zip",
            "run.json": '{"format": "rnnfast-gui-run/1", "history": {"epoch": [1], "loss": []}}',
        }
        out = []
        for name, text in files.items():
            p = os.path.join(self.tmp, "bad-" + name)
            with open(p, "w") as f:
                f.write(text)
            out.append(p)
        return out + [
            os.path.join(self.tmp, "missing.npz"),
            os.path.join(self.tmp, "no-dir", "x.png"),
        ]

    def path(self, *_args, **_kw):
        """What a patched file dialog answers: cancel, a fresh file, a bad file or a bad place."""
        r = self.rng.random()
        if r < 0.3:
            return ""
        if r < 0.7:
            return os.path.join(
                self.tmp, f"out-{self.rng.randrange(5)}.{self.rng.choice(['json', 'npz', 'png'])}"
            )
        return self.rng.choice(self.bad_files)

    # -- the actions ---------------------------------------------------------------------------
    def act(self):
        kinds = (
            [self.menu_action] * 6
            + [self.key] * 3
            + [self.button] * 3
            + [self.field] * 6
            + [self.combo] * 2
            + [self.lab] * 2
            + [self.resize, self.language, self.bad_file, self.review, self.wait]
            + [self.explode, self.preset, self.load_data]
        )
        kind = self.rng.choice(kinds)
        self.counts[kind.__name__] = self.counts.get(kind.__name__, 0) + 1
        kind()
        self.qtbot.wait(self.rng.choice([0, 0, 1, 5, 20]))

    def menu_action(self):
        """An entry of the menu bar (submenus included) or of the toolbar, Quit excepted."""
        acts, todo = [], list(self.win.menuBar().actions()) + list(self.win.ui.toolbar.actions())
        while todo:
            a = todo.pop()
            if a.menu() is not None:
                todo += a.menu().actions()
            elif a.isEnabled() and a.text() and a is not self.win.act_quit:
                acts.append(a)
        self.rng.choice(acts).trigger()

    def key(self):
        key, mod = self.rng.choice(KEYS)
        self.qtbot.keyClick(self.win, key, mod)

    def button(self):
        buttons = [
            b
            for b in self.win.findChildren(QAbstractButton)
            if b.isVisibleTo(self.win) and b.isEnabled()
        ]
        if buttons:
            self.rng.choice(buttons).click()

    def field(self):
        fields = [f for f in self.win.findChildren(HyperField) if f.isEnabled()]
        if not fields:  # all disabled while training
            return
        f = self.rng.choice(fields)
        choices = QUICK.get(f.name, ["1"])
        f.setText(self.rng.choice(ABSURD) if self.rng.random() < 0.4 else self.rng.choice(choices))
        if self.rng.random() < 0.5:  # put it right again, most of the time
            f.setText(self.rng.choice(choices))

    def combo(self):
        combos = [c for c in self.win.findChildren(QComboBox) if c.isEnabled() and c.count()]
        if not combos:  # all disabled while training
            return
        c = self.rng.choice(combos)
        c.setCurrentIndex(self.rng.randrange(c.count()))
        if c is self.win.side.model.preset:
            self.win.side.model._apply_preset()
        if c is self.win.side.data.encoding and c.currentData() == "onehot":
            self.win.side.data.num_words.setText("100")  # valid, and small enough for one-hot

    def resize(self):
        self.win.resize(*self.rng.choice(SIZES))

    def language(self):
        self.win.set_language(self.rng.choice(["ko", "en"]))

    def bad_file(self):
        w, p = self.win, self.rng.choice(self.bad_files)
        self.rng.choice([w.load_run, w.load_model])(p)
        if self.rng.random() < 0.3:
            w.load_data(DataSettings(source="file", path=p, max_train=200, max_val=50))

    def explode(self):
        """The clipping lab's "explode" start: ticked (or not) and "Train with these settings",
        or the form's field typed."""
        lab, model = self.win.lab, self.win.side.model
        if self.rng.random() < 0.5 and model.explode.isEnabled():
            model.explode.setText(self.rng.choice(QUICK["explode"]))
            return
        lab.show_view("clipping")
        view = lab.views["clipping"]
        view.explode.setChecked(self.rng.random() < 0.6)
        view.sigma.setValue(self.rng.choice([1.5, 2.5, 3.0]))
        if view.apply.isEnabled():
            view.apply.click()

    def preset(self):
        """A preset of the model form, as a user picks it."""
        model = self.win.side.model
        if model.preset.isEnabled():
            model.preset.setCurrentIndex(self.rng.randrange(1, model.preset.count()))
            model._apply_preset()

    def load_data(self):
        """A load that works: the sample as it ships, or the same file chosen as an imdb.npz,
        each with its own sizes."""
        from rnnfast.datasets.imdb import SAMPLE_PATH

        source = self.rng.choice(
            [dict(source="sample"), dict(source="file", path=str(SAMPLE_PATH))]
        )
        sizes = self.rng.choice([dict(max_train=300, max_val=60), dict(max_train=200, max_val=50)])
        self.win.load_data(DataSettings(**source, **sizes, maxlen=self.rng.choice([50, 100])))

    def review(self):
        r = self.win.side.data.review
        r.setValue(self.rng.randrange(r.minimum(), r.maximum() + 1))

    def lab(self):
        """The BPTT lab at one of its views: a button of it clicked or a spin box set (a review,
        a step, a cell, a threshold, sigma_max); now and then the plots again."""
        lab = self.win.lab
        lab.show_view(self.rng.choice(list(lab.views) or ["erratum"]))
        view = lab.tabs.currentWidget()
        buttons = [
            b for b in view.findChildren(QAbstractButton) if b.isVisibleTo(view) and b.isEnabled()
        ]
        boxes = [b for b in view.findChildren(QAbstractSpinBox) if b.isEnabled()]
        if buttons and (self.rng.random() < 0.5 or not boxes):
            self.rng.choice(buttons).click()
        elif boxes:
            box = self.rng.choice(boxes)
            value = box.minimum() + self.rng.random() * (
                box.maximum() - box.minimum()
            ) * self.rng.choice([0, 0.001, 0.01, 0.5, 1])
            box.setValue(type(box.value())(value))  # an int for a QSpinBox
        if self.rng.random() < 0.3:
            self.win.act_lab_show.trigger()

    def wait(self):
        self.qtbot.wait(self.rng.choice([50, 200]))


def _close_boxes(win):
    for w in win.findChildren(QWidget):
        if w.isWindow() and w is not win and w.isVisible():
            w.close()


@pytest.mark.parametrize("seed", SEEDS)
def test_random_session_leaves_a_window_that_trains(window, qtbot, monkeypatch, tmp_path, seed):
    win = window
    rng = random.Random(seed)
    monkey = Monkey(win, qtbot, rng, str(tmp_path))
    for name in ("getSaveFileName", "getOpenFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: (monkey.path(), "")))
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: monkey.path())
    )
    monkeypatch.setattr(
        FigureDialog, "exec_", lambda self: rng.choice([QDialog.Accepted, QDialog.Rejected])
    )
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        assert win.load_data(DataSettings(max_train=300, max_val=60))
    win.side.data.max_train.setText("300")
    win.side.data.max_val.setText("60")
    win.side.model.set_settings(TrainSettings(n_cells=4, epochs=2, batch_size=32))
    for _ in range(N_ACTIONS):
        monkey.act()
        if rng.random() < 0.02:
            _close_boxes(win)
    print(f"seed {seed}: {N_ACTIONS} actions: {monkey.counts}; {len(win.errors)} error dialogs")
    # the window still trains
    win.stop(wait=True)
    qtbot.waitUntil(lambda: not win.is_training and not win.is_loading, timeout=30_000)
    _close_boxes(win)
    win.set_language("en")
    with qtbot.waitSignal(win.data_loaded, timeout=20_000):
        assert win.load_data(DataSettings(max_train=300, max_val=60))
    win.side.model.set_settings(
        TrainSettings(n_cells=4, epochs=1, batch_size=32, learning_rate=0.01)
    )
    with qtbot.waitSignal(win.training_finished, timeout=60_000) as blocker:
        assert win.start_training(), win.errors[-3:]
    assert blocker.args[0]["error"] is None
    # the form says no "explode": the run started from the usual weights, whatever came before
    assert win.history.train_settings.explode is None
    lab = win.lab
    if lab.link.recording and lab.latest is not None and len(lab.latest["series"]["batch"]):
        assert lab.latest["series"]["sigma"][0, 0] < 2.0
    qtbot.waitUntil(lambda: not win.is_training, timeout=10_000)
    assert (
        win.history.status == "finished"
        and all(win.plots_with_data().values())
        or win.refresh_plots()
    )
    assert not [e for e in win.errors if e[0].startswith("Unexpected")]
