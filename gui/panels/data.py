"""Input panels: the data panel and the model/training form.

Every number is a :class:`gui.panels.fields.HyperField`: a value outside rnnfast.hyperparams' range
is shown as an error under the field (never replaced by the nearest valid value), and
combinations (``bptt_steps`` <= T, ``skip_top`` < ``num_words``) are marked the same way;
:meth:`gui.training.settings.TrainSettings.validate` checks everything again before training starts.
"""

from __future__ import annotations

import os

import numpy as np
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..text.i18n import QT_TRANSLATE_NOOP, translate
from ..training.dataset import Dataset
from ..training.settings import DataSettings, SettingsError
from .fields import HyperField


def _combo(items):
    """A combo box of (text, data); ``text`` is translated by the panel's retranslate."""
    c = QComboBox()
    c.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
    c.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLength)
    c.setMinimumContentsLength(4)
    for text, data in items:
        c.addItem(text, data)
    c.sources = [text for text, _ in items]
    return c


def _retranslate_combo(combo, context):
    for i, text in enumerate(combo.sources):
        combo.setItemText(i, translate(context, text))


def _select(combo: QComboBox, data):
    i = combo.findData(data)
    if i < 0:
        raise SettingsError(f"{data!r} is not one of the choices")
    combo.setCurrentIndex(i)


class _Grid(QGridLayout):
    """Fields in two columns, each under its label (narrow: the plots get the width); a field's
    error (HyperField) on a full-width row under it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHorizontalSpacing(8)
        self.setVerticalSpacing(1)
        self.setColumnStretch(0, 1)
        self.setColumnStretch(1, 1)
        self._row = 0
        self.labels = {}  # field -> its QLabel

    def _label(self, field):
        lab = QLabel()
        if isinstance(field, QWidget):
            lab.setBuddy(field)
        self.labels[field] = lab
        return lab

    def add_wide(self, field, widget=None):
        """A field (or a layout holding it: ``widget``) across both columns."""
        self.addWidget(self._label(field), self._row, 0, 1, 2)
        w = widget if widget is not None else field
        if isinstance(w, QWidget):
            self.addWidget(w, self._row + 1, 0, 1, 2)
        else:
            self.addLayout(w, self._row + 1, 0, 1, 2)
        self._row += 2
        self._errors(field)

    def add_pair(self, f1, f2=None):
        for col, f in enumerate((f1, f2)):
            if f is not None:
                self.addWidget(self._label(f), self._row, col)
                self.addWidget(f, self._row + 1, col)
        self._row += 2
        self._errors(f1, f2)

    def _errors(self, *fields):
        for f in fields:
            if isinstance(f, HyperField):
                self.addWidget(f.error_label, self._row, 0, 1, 2)
                self._row += 1


# field -> (label, tooltip), translated by DataPanel.retranslate
DATA_TEXTS = {
    "source": (
        QT_TRANSLATE_NOOP("DataPanel", "source"),
        QT_TRANSLATE_NOOP(
            "DataPanel",
            "The small IMDB sample shipped with rnnfast, a full imdb.npz on disk, "
            "or Keras' download",
        ),
    ),
    "path": (QT_TRANSLATE_NOOP("DataPanel", "file"), ""),
    "num_words": (
        QT_TRANSLATE_NOOP("DataPanel", "words"),
        QT_TRANSLATE_NOOP(
            "DataPanel",
            "num_words: keep the num_words - 1 most frequent words (the input "
            "has num_words features; the source: 100)",
        ),
    ),
    "skip_top": (
        QT_TRANSLATE_NOOP("DataPanel", "skip top"),
        QT_TRANSLATE_NOOP(
            "DataPanel", "skip_top: the most frequent words, dropped (the source: 20)"
        ),
    ),
    "maxlen": (
        QT_TRANSLATE_NOOP("DataPanel", "length T"),
        QT_TRANSLATE_NOOP(
            "DataPanel",
            "maxlen: time steps T per review, padded and cut at the front as Keras "
            "does (the source: 100)",
        ),
    ),
    "encoding": (
        QT_TRANSLATE_NOOP("DataPanel", "input"),
        QT_TRANSLATE_NOOP(
            "DataPanel",
            "Token ids: fast, the same numbers (the one-hot product becomes a row "
            "lookup).\nOne-hot: the source's dense (m, T, num_words) float32 "
            "array.\nEmbedding: token ids into an embedding layer (the source's "
            "S3).",
        ),
    ),
    "max_train": (
        QT_TRANSLATE_NOOP("DataPanel", "training"),
        QT_TRANSLATE_NOOP("DataPanel", "Use only the first N training reviews (0 = all)"),
    ),
    "max_val": (
        QT_TRANSLATE_NOOP("DataPanel", "validation"),
        QT_TRANSLATE_NOOP("DataPanel", "Use only the first N validation reviews (0 = all)"),
    ),
}


class DataPanel(QGroupBox):
    """Where the reviews come from and how they are encoded; shows what was loaded."""

    load_requested = pyqtSignal()
    review_changed = pyqtSignal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.source = _combo(
            [
                (QT_TRANSLATE_NOOP("DataPanel", "sample (bundled, offline)"), "sample"),
                (QT_TRANSLATE_NOOP("DataPanel", "IMDB file (imdb.npz)"), "file"),
                (QT_TRANSLATE_NOOP("DataPanel", "download (Keras' URL)"), "download"),
            ]
        )
        frow = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("imdb.npz")  # typed, pasted, or chosen with "..."
        self.browse = QToolButton()
        self.browse.setText("...")
        frow.addWidget(self.path)
        frow.addWidget(self.browse)
        self.num_words = HyperField("num_words", 100)
        self.skip_top = HyperField("skip_top", 20)
        self.maxlen = HyperField("maxlen", 100)
        self.encoding = _combo(
            [
                (QT_TRANSLATE_NOOP("DataPanel", "token ids (fast)"), "ids"),
                (QT_TRANSLATE_NOOP("DataPanel", "one-hot (as the source)"), "onehot"),
                (QT_TRANSLATE_NOOP("DataPanel", "embedding (the source's S3)"), "embedding"),
            ]
        )
        self.max_train = HyperField("max_train", 0)
        self.max_val = HyperField("max_val", 0, param="max_train")
        self.skip_top.set_extra_check(self._check_skip_top)
        self.form = form = _Grid()
        form.add_wide(self.source)
        form.add_wide(self.path, frow)
        form.add_pair(self.num_words, self.skip_top)
        form.add_pair(self.maxlen)
        form.add_wide(self.encoding)
        form.add_pair(self.max_train, self.max_val)
        self.load_button = QPushButton()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        rrow = QHBoxLayout()
        self.review = QSpinBox()
        self.review.setRange(0, 0)
        self.review.setKeyboardTracking(False)
        self.random_review = QToolButton()
        self.review_label = QLabel()
        rrow.addWidget(self.review_label)
        rrow.addWidget(self.review, 1)
        rrow.addWidget(self.random_review)
        self.text = QPlainTextEdit()
        self.text.setProperty("data_text", True)  # a review's words: data, not the app's text
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(70)
        lay = QVBoxLayout(self)
        lay.setSpacing(4)
        lay.addLayout(form)
        lay.addWidget(self.load_button)
        lay.addWidget(self.info)
        lay.addLayout(rrow)
        lay.addWidget(self.text)

        self.dataset: Dataset | None = None
        self._review_chosen = False  # becomes True once the user picks a review
        self._rng = np.random.default_rng()
        self.source.currentIndexChanged.connect(self._source_changed)
        self.browse.clicked.connect(self.choose_file)
        self.num_words.edited.connect(lambda: self.skip_top.set_extra_check(self._check_skip_top))
        self.load_button.clicked.connect(self.load_requested)
        self.review.valueChanged.connect(self._review_changed)
        self.random_review.clicked.connect(self._random)
        self._source_changed()
        self.retranslate()

    def retranslate(self):
        self.setTitle(translate("DataPanel", "Data: IMDB reviews"))
        _retranslate_combo(self.source, "DataPanel")
        _retranslate_combo(self.encoding, "DataPanel")
        tips = {}
        for name, (label, tip) in DATA_TEXTS.items():
            w = getattr(self, name)
            self.form.labels[w].setText(translate("DataPanel", label))
            if tip:
                tips[w] = translate("DataPanel", tip)
        for w, tip in tips.items():
            (w.set_tip if isinstance(w, HyperField) else w.setToolTip)(tip)
            self.form.labels[w].setToolTip(tip)
        for f in (self.num_words, self.skip_top, self.maxlen, self.max_train, self.max_val):
            f.retranslate()
        self.browse.setToolTip(translate("DataPanel", "Choose an imdb.npz file (Keras' format)"))
        self.load_button.setText(translate("DataPanel", "Load data"))
        self.load_button.setToolTip(
            translate("DataPanel", "Load and pad the reviews in the background (Ctrl+L)")
        )
        self.review_label.setText(translate("DataPanel", "review #"))
        self.review.setToolTip(
            translate("DataPanel", "The validation review shown in the hidden-states plot")
        )
        self.random_review.setText(translate("DataPanel", "random"))
        self.random_review.setToolTip(
            translate("DataPanel", "Show a validation review picked at random")
        )
        self.text.setPlaceholderText(
            translate("DataPanel", "a decoded validation review appears here")
        )
        self.set_dataset(self.dataset)

    def _check_skip_top(self, value):
        words = self.num_words.value_or(None)
        if words is not None and value is not None and value >= words:
            return translate("DataPanel", "must be smaller than the number of words ({0})").format(
                words
            )
        return None

    # -- settings --------------------------------------------------------------------
    def errors(self) -> dict:
        """{field name: message} of the fields whose text is not valid."""
        return {
            f.name: f.error()
            for f in (self.num_words, self.skip_top, self.maxlen, self.max_train, self.max_val)
            if f.error()
        }

    def settings(self) -> DataSettings:
        """The data settings; SettingsError (translated, per field, each line naming its field)
        when one is not valid."""
        errors = self.errors()
        source = self.source.currentData()
        path = self.path.text().strip()
        if source == "file" and not path:
            errors["path"] = translate(
                "DataPanel",
                "choose an imdb.npz with the “...” button beside the file field (or type its "
                "path there), or use the bundled sample.",
            )
        enc = self.encoding.currentData()
        if enc == "embedding" and not self.encoding.model().item(2).isEnabled():
            errors["encoding"] = translate("DataPanel", "the embedding input is not available")
        if errors:
            raise SettingsError(
                "\n".join(f"{self.field_name(n)}: {m}" for n, m in errors.items()), errors
            )
        return DataSettings(
            source=source,
            path=os.path.abspath(os.path.expanduser(path)) if path else None,
            num_words=self.num_words.value(),
            skip_top=self.skip_top.value(),
            maxlen=self.maxlen.value(),
            encoding=enc,
            max_train=self.max_train.value(),
            max_val=self.max_val.value(),
        ).validate()

    def field_name(self, name: str) -> str:
        """The label of field ``name`` (``path``, ``num_words``, ...) in the language shown."""
        w = getattr(self, name, None)
        label = self.form.labels.get(w)
        return label.text() if label is not None else name

    def differs_from_loaded(self) -> bool:
        """The form's (valid) settings are not those of the data loaded (Train would not use
        what the form says)."""
        d = self.dataset
        try:
            form = self.settings()
        except SettingsError:
            return True
        if d is None:
            return False
        loaded, form = d.settings.to_dict(), form.to_dict()
        if loaded.get("path"):
            loaded["path"] = os.path.abspath(os.path.expanduser(loaded["path"]))
        return any(form[k] != loaded.get(k) for k in form)

    def set_embedding_available(self, ok: bool):
        """Offer the embedding input or not (a disabled choice is refused even when set)."""
        self.encoding.model().item(2).setEnabled(bool(ok))

    def set_settings(self, s: DataSettings):
        _select(self.source, s.source)
        self.path.setText(s.path or "")
        for name in ("num_words", "skip_top", "maxlen", "max_train", "max_val"):
            getattr(self, name).set_value(getattr(s, name))
        _select(self.encoding, s.encoding)

    def choose_file(self):
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("DataPanel", "IMDB in Keras' format"),
            self.path.text(),
            "imdb.npz (*.npz);;* (*)",
        )
        if path:
            self.path.setText(path)
            _select(self.source, "file")

    def _source_changed(self, *_):
        is_file = self.source.currentData() == "file"
        self.browse.setEnabled(is_file)
        self.path.setEnabled(is_file)

    def set_busy(self, busy: bool):
        """While loading or training the data cannot change (the review shown still can)."""
        for w in (
            self.source,
            self.browse,
            self.num_words,
            self.skip_top,
            self.maxlen,
            self.encoding,
            self.max_train,
            self.max_val,
            self.load_button,
        ):
            w.setEnabled(not busy)
        if not busy:
            self._source_changed()

    # -- what was loaded -------------------------------------------------------------
    def set_dataset(self, d: Dataset | None):
        self.dataset = d
        if d is None:
            self.info.setText(translate("DataPanel", "no data loaded"))
            self.text.clear()
            self.review.setRange(0, 0)
            return
        s = d.summary()
        kind = (
            translate("DataPanel", "one-hot")
            if d.encoding == "onehot"
            else translate("DataPanel", "token ids")
        )
        source = (
            translate("DataPanel", "bundled sample")
            if d.settings.source == "sample"
            else s["source"]
        )
        self.info.setText(
            translate(
                "DataPanel",
                "<b>{0}</b>: {1} training / {2} validation reviews, T = {3}, {4} features ({5}, {6} MB)"  # noqa: E501 (a translated text: the .ts key)
                "<br>positive: {7}% training, {8}% validation &middot; loaded in {9} s",
            ).format(
                source,
                f"{s['n_train']:,}",
                f"{s['n_val']:,}",
                s["maxlen"],
                s["n_features"],
                kind,
                f"{s['input_bytes'] / 1e6:,.1f}",
                f"{100 * s['train_positive']:.1f}",
                f"{100 * s['val_positive']:.1f}",
                f"{d.load_seconds:.2f}",
            )
        )
        self.review.blockSignals(True)
        self.review.setRange(0, max(0, d.n_val - 1))
        if not self._review_chosen and d.ids_val.ndim == 2 and len(d.ids_val):
            # the first of the longest reviews: words at (nearly) every step, little padding
            self.review.setValue(int(np.argmax((d.ids_val != 0).sum(axis=1))))
        self.review.blockSignals(False)
        self._show_review(self.review.value())

    def _show_review(self, i):
        d = self.dataset
        if d is None or not 0 <= i < d.n_val:
            return
        ids = d.ids_val[i]
        words = [w for w, t in zip(d.words(ids), ids.tolist()) if t != 0]
        lab = (
            translate("DataPanel", "positive")
            if int(d.y_val[i])
            else translate("DataPanel", "negative")
        )
        self.text.setPlainText(f"[{lab}] " + " ".join(words))

    def _review_changed(self, i):
        self._review_chosen = True
        self._show_review(i)
        self.review_changed.emit(int(i))

    def _random(self):
        if self.dataset is not None and self.dataset.n_val:
            self.review.setValue(int(self._rng.integers(self.dataset.n_val)))


def default_data_dir() -> str:
    return os.path.expanduser("~")
