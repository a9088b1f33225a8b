"""Korean and English: the translation files are current, and every visible string of the
window (widgets, actions, tooltips, dialogs, plot titles, axis labels, legends, status) is
translated: under Korean no English word is left but the symbols and names that stay as they
are (W1h, z1, SGD, PNG, ...), under English no Korean but the Language menu's 한국어."""

import importlib.util
import os
import re
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt5.QtCore import QTranslator
from PyQt5.QtWidgets import (
    QAbstractButton,
    QAction,
    QComboBox,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from gui.text import i18n

TS = os.path.join(i18n.TRANSLATIONS_DIR, "rnnfast_ko.ts")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# what stays as it is in both languages: the source's symbols, names of products and formats,
# hyperparameter names as the code spells them, key names of shortcuts
NEUTRAL_WORDS = [
    "SGD",
    "Adam",
    "Cython",
    "NumPy",
    "float64",
    "float32",
    "BPTT",
    "TBPTT",
    "IMDB",
    "imdb.npz",
    "npz",
    "PNG",
    "CSV",
    "SVG",
    "JSON",
    "DPI",
    "rnnfast",
    "W1h",
    "W1x",
    "W2",
    "b1",
    "b2",
    "z1",
    "z2",
    "h_t",
    "h_prev",
    "tanh",
    "log10",
    "log",
    "ln",
    "cos",
    "err_to_cell",
    "pad_sequences",
    "bptt_steps",
    "n_cells",
    "batch_size",
    "learning_rate",
    "clip_norm",
    "clip_value",
    "num_words",
    "skip_top",
    "maxlen",
    "max_train",
    "dL",
    "dz1",
    "dh_prev",
    "Ctrl",
    "Shift",
    "Return",
    "Esc",
    "Pause",
    "P(positive)",
    "positive",
    "px",
    "MB",
    "S3",
    "URL",
    "ID",
    "pad",
    "start",
    "oov",
    "English",
    "OK",
    "sigma",
    "sigma_max",
    "max",
    "delta",
    "delta_t",
    "Pascanu",
    "forpass",
    "np.dot",
    "self.w1h",
    "dz2",
    "dx_t",
    "x_t",
    "n_c",
    "w1h",
    "min-char-rnn",
    "np.clip",
    "delta_prev",
    "Dask",
    "dask scheduler",
    "dask worker",
]
NEUTRAL = re.compile(
    r"(?<![A-Za-z])("
    + "|".join(re.escape(w) for w in sorted(NEUTRAL_WORDS, key=len, reverse=True))
    + r"|F\d+)(?![A-Za-z])"
)


def untranslated_words(text: str) -> list[str]:
    """English words left in a Korean text, once the neutral tokens, HTML and numbers are gone."""
    t = re.sub(r"<[^>]+>|&\w+;", " ", text)
    t = NEUTRAL.sub(" ", t)
    t = re.sub(r"\b[A-Za-z]\b", " ", t)  # one-letter symbols: T, h, x, y, a, t, m, d
    return re.findall(r"[A-Za-z]{2,}", t)


# -- the files -------------------------------------------------------------------------------------
def _messages(ts_path):
    tree = ET.parse(ts_path)
    out = {}
    for ctx in tree.getroot():
        name = ctx.find("name").text
        for m in ctx.findall("message"):
            tr = m.find("translation")
            out[(name, m.find("source").text)] = (tr.text or "", tr.get("type"))
    return out


def test_ts_holds_every_text_of_the_code_translated():
    """Every translate()/QT_TRANSLATE_NOOP text of gui/*.py and gui/lab/*.py (read from the
    syntax tree by scripts/translations.py) is in the committed .ts, translated, and the .ts
    holds no text the code no longer has (stale)."""
    spec = importlib.util.spec_from_file_location(
        "translations", os.path.join(ROOT, "scripts", "translations.py")
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    code = tool.extract(tool.sources(ROOT))
    assert len(code) > 300  # the extractor sees the app's texts (397 when written)
    committed = _messages(TS)
    current = {k: committed.get(k, ("", "unfinished")) for k in code}
    assert set(code) == set(committed), (
        f"new: {sorted(set(code) - set(committed))}; stale: {sorted(set(committed) - set(code))}"
    )
    unfinished = [k for k, (text, kind) in current.items() if kind == "unfinished" or not text]
    assert not unfinished, f"untranslated: {unfinished} (run python scripts/translations.py)"
    for (ctx, src), (text, _) in committed.items():  # a translation keeps the placeholders
        assert sorted(re.findall(r"\{[^}]*\}", src)) == sorted(re.findall(r"\{[^}]*\}", text)), (
            ctx,
            src,
        )


def test_qm_is_compiled_from_the_ts(qapp):
    """The committed .qm gives every translation of the committed .ts (lrelease was run)."""
    from PyQt5.QtCore import QCoreApplication

    t = QTranslator()
    assert t.load(i18n.qm_path("ko"))
    wrong = []
    assert i18n.language() == "en"
    qapp.installTranslator(t)  # QCoreApplication.translate: the app's path (UTF-8 texts)
    try:
        for (ctx, src), (text, _) in _messages(TS).items():
            got = QCoreApplication.translate(
                ctx, src
            )  # lrelease -removeidentical: text == source left out
            if got != text:
                wrong.append((ctx, src, got, text))
    finally:
        qapp.removeTranslator(t)
    assert not wrong, (
        f"{len(wrong)} stale in the .qm, e.g. {wrong[:3]} (run python scripts/translations.py)"
    )


def test_language_follows_the_system_locale(monkeypatch):
    from PyQt5.QtCore import QLocale

    monkeypatch.setattr(
        QLocale, "system", staticmethod(lambda: QLocale(QLocale.Korean, QLocale.SouthKorea))
    )
    assert i18n.system_language() == "ko"
    monkeypatch.setattr(
        QLocale, "system", staticmethod(lambda: QLocale(QLocale.German, QLocale.Germany))
    )
    assert i18n.system_language() == "en"


# -- the window ------------------------------------------------------------------------------------
def _texts(root: QWidget, extra=()):
    """(where, text) of every string a user can see: widgets, their tooltips, actions, menus,
    plot axes; the review's words (data) are left out."""
    out = []
    widgets = [root, *root.findChildren(QWidget), *extra]
    for w in widgets:
        if w.property("data_text"):
            continue
        name = f"{type(w).__name__}:{w.objectName()}"
        if w.isWindow() and w.windowTitle():
            out.append((name + " title", w.windowTitle()))
        if w.toolTip():
            out.append((name + " tooltip", w.toolTip()))
        if isinstance(w, QLabel) and w.text().strip():
            out.append((name, w.text()))
        elif isinstance(w, QAbstractButton) and w.text():
            out.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, (QLineEdit, QPlainTextEdit)) and w.placeholderText():
            out.append((name + " placeholder", w.placeholderText()))
        elif isinstance(w, QComboBox):
            out += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QListWidget):
            out += [(name, w.item(i).text()) for i in range(w.count())]
        elif isinstance(w, QTextBrowser):  # its HTML: h<sub>t</sub> is a symbol, "ht" would not be
            out.append((name, re.sub(r"<head>.*?</head>", " ", w.toHtml(), flags=re.S)))
        elif isinstance(w, QMessageBox):
            out += [(name, w.text()), (name, w.informativeText())]
        elif isinstance(w, QMenu):
            out.append((name, w.title()))
        for a in w.actions():
            if isinstance(a, QAction) and not a.isSeparator() and a.text():
                out += [
                    ("action", a.text()),
                    ("action tooltip", a.toolTip()),
                    ("action status", a.statusTip()),
                ]
    for view in [w for w in widgets if isinstance(w, QGraphicsView) and w.scene() is not None]:
        for item in view.scene().items():  # pyqtgraph's titles, axis labels, legends, text items
            if isinstance(item, pg.AxisItem) and item.labelText:
                out.append(("axis", item.labelText))
            elif isinstance(item, pg.LabelItem) and item.text:
                out.append(("plot label", item.text))
            elif isinstance(item, pg.TextItem):
                out.append(("plot text", item.toPlainText()))
    return [(where, t) for where, t in out if t and t.strip()]


def _populate(win, qtbot):
    """Everything a session shows: a current run and two kept runs in every plot, hidden
    states, a field with an error, the warning banner, progress, the dialogs."""
    from gui_helpers import make_history

    win.runs.keep(make_history(bptt_steps=10, backprop="exact"))
    win.runs.keep(make_history(bptt_steps=None, backprop="textbook"))
    h = make_history(bptt_steps=10, backprop="textbook", saturate=True)
    win.controller._set_history(h)
    win.runs.set_current(h)
    states = np.tanh(8 * np.random.default_rng(0).standard_normal((20, 4)))
    win.hidden_plot.set_review(3, states, [f"w{i}" for i in range(20)], proba=0.8, label=0)
    win.refresh_plots()
    win.banner.update_from(h, states)
    win.side.model.n_cells.setText("0")
    win.status.show_progress(
        {
            "total": 10,
            "done": 4,
            "epoch": 1,
            "epochs": 3,
            "batch": 2,
            "n_batches": 5,
            "samples_per_second": 1000.0,
            "eta": 75.0,
            "epoch_offset": 2,
        }
    )
    dialogs = [win.show_plots_help(), win.show_plot_help("grad_norms")]
    _populate_lab(win)
    from gui.plots.export import FigureDialog

    dialogs.append(FigureDialog(win))
    return dialogs


def _populate_lab(win):
    """The BPTT lab's tab: every view drawn from a record (with a gradient check), the twin runs'
    view from two."""
    from gui_helpers import lab_record

    win.lab.receive(lab_record())
    from gui.training.settings import TrainSettings

    win.lab.link.twins_started.emit(
        (TrainSettings(backprop="exact"), TrainSettings(backprop="textbook"))
    )
    for run in ("A", "B"):
        win.lab.link.twin_record.emit(run, lab_record(check=False))
    drawn = win.lab.redraw(all_views=True)
    assert set(drawn) == set(win.lab.views) and all(v.has_data() for v in win.lab.views.values())


def _check(win, dialogs, lang):
    bad = []
    for where, text in _texts(win, [w for d in dialogs for w in (d, *d.findChildren(QWidget))]):
        if lang == "ko" and untranslated_words(text):
            bad.append((where, text, untranslated_words(text)))
        if lang == "en" and HANGUL.search(text) and text != i18n.LANGUAGES["ko"]:
            bad.append((where, text))
    assert not bad, f"{len(bad)} strings not in {lang}:\n" + "\n".join(map(str, bad[:40]))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_visible_string_is_in_the_language(window, qtbot, lang):
    win = window
    win.set_language(lang)
    dialogs = _populate(win, qtbot)
    assert win.banner.isVisibleTo(win) and win.side.model.n_cells.error_label.isVisibleTo(win)
    assert len(win.loss_plot.legend.entries) >= 3  # the styles
    assert len(win.grid.runs_legend.entries) >= 3  # the runs, named once above the plots
    texts = [t for _, t in _texts(win)]
    assert len(texts) > 250
    _check(win, dialogs, lang)
    win.set_language("en")


def test_the_language_menu_switches_live(window, qtbot):
    win = window
    dialogs = _populate(win, qtbot)
    win.ui.language_actions["ko"].trigger()
    assert i18n.language() == "ko" and win.ui.language_actions["ko"].isChecked()
    assert win.loss_plot.title == "손실 (이진 크로스 엔트로피)"
    m = win.side.model
    assert win.act_train.text() == "훈련" and m.form.labels[m.learning_rate].text() == "학습률"
    assert "허용 값" in win.side.model.n_cells.error()  # the field's error follows
    assert win.status.state_label.text().strip() == "데이터 없음"
    qtbot.wait(50)  # Qt's own buttons (OK, Cancel) follow at the LanguageChange event
    _check(win, dialogs, "ko")  # the dialogs that were open follow too
    win.ui.language_actions["en"].trigger()
    qtbot.wait(50)
    assert win.loss_plot.title == "Loss (binary cross-entropy)" and win.act_train.text() == "Train"
    _check(win, dialogs, "en")
    # the none words follow the language: "full" <-> "전체"
    win.side.model.bptt_steps.setText("full")
    win.set_language("ko")
    assert win.side.model.bptt_steps.text() == "전체" and win.side.model.bptt_steps.value() is None
    win.set_language("en")
    assert win.side.model.bptt_steps.text() == "full"


def test_lang_option_forces_the_language(need_rnnfast):
    from test_gui_cli import _run

    p = _run("--startup-check", "--lang", "ko", timeout=60)
    assert p.returncode == 0 and "language: ko" in p.stdout, p.stdout + p.stderr
    env_ko = {"LANG": "ko_KR.UTF-8", "LC_ALL": "ko_KR.UTF-8", "LANGUAGE": "ko"}
    p = _run("--startup-check", timeout=60, env=env_ko)
    assert p.returncode == 0 and "language: ko" in p.stdout, p.stdout + p.stderr
    p = _run("--startup-check", "--lang", "en", timeout=60, env=env_ko)
    assert "language: en" in p.stdout


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_bptt_lab_is_in_the_language(qtbot, need_rnnfast, lang):
    """python -m gui.lab: its window, views, plot titles and axes in the language chosen."""
    from gui.lab.runner import LabSettings
    from gui.lab.window import LabWindow, lab_data, word_decoder
    from gui.training.settings import TrainSettings

    i18n.set_language(lang)
    try:
        w = LabWindow(
            lab_data(None), LabSettings(TrainSettings(epochs=1, seed=1)), decode=word_decoder(None)
        )
        qtbot.addWidget(w)
        w.show()
        texts = _texts(w)
        assert len(texts) > 40
        _check(w, [], lang)
    finally:
        i18n.set_language("en")
