"""Input panels: the data panel and the model/training form.

Every number is a QSpinBox/QDoubleSpinBox with a range and every choice a QComboBox, so an
invalid value cannot be typed in; combinations (e.g. ``bptt_steps`` > T) are checked again
by :meth:`gui.state.TrainSettings.validate` before training starts.
"""

from __future__ import annotations

import os

import numpy as np
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
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

from .dataset import Dataset
from .state import DataSettings, SettingsError, TrainSettings

MAX_WORDS = 88_587  # Keras' word index has 88,584 words; ids are ranks + 3


def _shrinkable(w, min_width=76):
    """Let the layout make a field narrower than its widest value (the panel is narrow)."""
    w.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
    w.setMinimumWidth(min_width)
    return w


def _spin(lo, hi, value, tip="", special=None, step=1):
    s = _shrinkable(QSpinBox())
    s.setRange(lo, hi)
    s.setValue(value)
    s.setSingleStep(step)
    s.setAccelerated(True)
    return _finish_spin(s, tip, special)


def _finish_spin(s, tip, special):
    """What every spin box of the form shares: values commit on Enter/focus-out, out-of-range
    input snaps to the nearest valid value (invalid values cannot be entered)."""
    s.setKeyboardTracking(False)
    s.setCorrectionMode(QAbstractSpinBox.CorrectToNearestValue)
    if special:
        s.setSpecialValueText(special)
    if tip:
        s.setToolTip(tip)
    return s


def _dspin(lo, hi, value, decimals, tip="", special=None):
    s = _shrinkable(QDoubleSpinBox())
    s.setDecimals(decimals)
    s.setRange(lo, hi)
    s.setValue(value)
    s.setStepType(QAbstractSpinBox.AdaptiveDecimalStepType)
    return _finish_spin(s, tip, special)


def _combo(items, tip=""):
    c = _shrinkable(QComboBox())
    c.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    c.setMinimumContentsLength(6)
    for text, data in items:
        c.addItem(text, data)
    if tip:
        c.setToolTip(tip)
    return c


def _select(combo: QComboBox, data):
    i = combo.findData(data)
    if i < 0:
        raise SettingsError(f"{data!r} is not one of the choices")
    combo.setCurrentIndex(i)


class _Grid(QGridLayout):
    """A two-column form: ``label field label field`` rows, or one wide field."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHorizontalSpacing(6)
        self.setVerticalSpacing(4)
        self.setColumnStretch(1, 1)
        self.setColumnStretch(3, 1)
        self._row = 0

    def _label(self, text, buddy):
        lab = QLabel(text)
        if isinstance(buddy, QWidget):
            lab.setBuddy(buddy)
            lab.setToolTip(buddy.toolTip())
        return lab

    def add_wide(self, text, field):
        self.addWidget(self._label(text, field), self._row, 0)
        if isinstance(field, QWidget):
            self.addWidget(field, self._row, 1, 1, 3)
        else:
            self.addLayout(field, self._row, 1, 1, 3)
        self._row += 1

    def add_pair(self, t1, f1, t2=None, f2=None):
        self.addWidget(self._label(t1, f1), self._row, 0)
        self.addWidget(f1, self._row, 1)
        if f2 is not None:
            self.addWidget(self._label(t2, f2), self._row, 2)
            self.addWidget(f2, self._row, 3)
        self._row += 1


class DataPanel(QGroupBox):
    """Where the reviews come from and how they are encoded; shows what was loaded."""

    load_requested = pyqtSignal(object)  # DataSettings
    review_changed = pyqtSignal(int)

    def __init__(self, parent=None):
        super().__init__("Data: IMDB reviews", parent)
        self.source = _combo(
            [("sample (bundled, offline)", "sample"), ("IMDB file (imdb.npz)", "file"),
             ("download (Keras URL)", "download")],
            "The small IMDB sample shipped with rnnfast, a full imdb.npz on disk, or Keras' download",
        )
        frow = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("imdb.npz")
        self.path.setReadOnly(True)
        self.browse = QToolButton()
        self.browse.setText("...")
        self.browse.setToolTip("Choose an imdb.npz file (Keras' format)")
        frow.addWidget(self.path)
        frow.addWidget(self.browse)
        self.num_words = _spin(2, MAX_WORDS, 100, "Keep the num_words - 1 most frequent ids (n_features = num_words)")
        self.skip_top = _spin(0, 99, 20, "Ids below skip_top (the most frequent words) become out-of-vocabulary")
        self.maxlen = _spin(1, 2500, 100, "Sequence length T: pad and truncate at the front, as Keras")
        self.encoding = _combo(
            [("token ids (fast)", "ids"), ("one-hot (as the source)", "onehot"),
             ("embedding (the source's S3)", "embedding")],
            "Token ids (fast, same result): the one-hot product becomes a row gather, no one-hot array is built.\n"
            "One-hot: the dense (m, T, num_words) float32 array the source builds.\n"
            "Embedding: token ids into an embedding layer (S3: num_words 1000, 8 cells, Adam).",
        )
        self.max_train = _spin(0, 25_000, 0, "Use only the first N training reviews", special="all")
        self.max_val = _spin(0, 25_000, 0, "Use only the first N validation reviews", special="all")
        form = _Grid()
        form.add_wide("source", self.source)
        form.add_wide("file", frow)
        form.add_pair("num_words", self.num_words, "skip_top", self.skip_top)
        form.add_pair("maxlen T", self.maxlen)
        form.add_wide("input", self.encoding)
        form.add_pair("train", self.max_train, "val", self.max_val)
        self.load_button = QPushButton("Load data")
        self.load_button.setToolTip("Load and pad the reviews in the background (Ctrl+L)")
        self.info = QLabel("no data loaded")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        rrow = QHBoxLayout()
        self.review = _spin(0, 0, 0, "Validation review shown in the hidden-states plot")
        self.random_review = QToolButton()
        self.random_review.setText("random")
        rrow.addWidget(QLabel("review #"))
        rrow.addWidget(self.review, 1)
        rrow.addWidget(self.random_review)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText("a decoded validation review appears here")
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
        self.num_words.valueChanged.connect(lambda v: self.skip_top.setMaximum(max(0, v - 1)))
        self.load_button.clicked.connect(self._emit_load)
        self.review.valueChanged.connect(self._review_changed)
        self.random_review.clicked.connect(self._random)
        self._source_changed()

    # -- settings --------------------------------------------------------------------
    def settings(self) -> DataSettings:
        s = DataSettings(
            source=self.source.currentData(),
            path=self.path.text() or None,
            num_words=self.num_words.value(),
            skip_top=self.skip_top.value(),
            maxlen=self.maxlen.value(),
            encoding=self.encoding.currentData(),
            max_train=self.max_train.value(),
            max_val=self.max_val.value(),
        )
        if s.encoding == "embedding" and not self.encoding.model().item(2).isEnabled():
            raise SettingsError("the embedding input is not available")
        return s.validate()

    def set_embedding_available(self, ok: bool):
        """Offer the embedding input or not (a disabled choice is refused even when set)."""
        self.encoding.model().item(2).setEnabled(bool(ok))

    def set_settings(self, s: DataSettings):
        _select(self.source, s.source)
        self.path.setText(s.path or "")
        self.num_words.setValue(int(s.num_words))
        self.skip_top.setValue(int(s.skip_top))
        self.maxlen.setValue(int(s.maxlen))
        _select(self.encoding, s.encoding)
        self.max_train.setValue(int(s.max_train))
        self.max_val.setValue(int(s.max_val))

    def choose_file(self):
        path, _ = QFileDialog.getOpenFileName(self, "IMDB in Keras' format", self.path.text(),
                                              "imdb.npz (*.npz);;all files (*)")
        if path:
            self.path.setText(path)
            _select(self.source, "file")

    def _source_changed(self, *_):
        is_file = self.source.currentData() == "file"
        self.browse.setEnabled(is_file)
        self.path.setEnabled(is_file)

    def _emit_load(self):
        self.load_requested.emit(self.settings())

    def set_loading(self, loading: bool):
        for w in (self.source, self.browse, self.num_words, self.skip_top, self.maxlen, self.encoding,
                  self.max_train, self.max_val, self.load_button):
            w.setEnabled(not loading)
        if not loading:
            self._source_changed()

    def set_busy(self, busy: bool):
        """While training the data cannot change (the review shown still can)."""
        self.set_loading(busy)

    # -- what was loaded -------------------------------------------------------------
    def set_dataset(self, d: Dataset | None):
        self.dataset = d
        if d is None:
            self.info.setText("no data loaded")
            self.text.clear()
            self.review.setRange(0, 0)
            return
        s = d.summary()
        mb = s["input_bytes"] / 1e6
        self.info.setText(
            f"<b>{s['source']}</b>: {s['n_train']:,} train / {s['n_val']:,} validation reviews, "
            f"T = {s['maxlen']}, {s['n_features']} features ({'one-hot' if d.encoding == 'onehot' else 'token ids'}, "
            f"{mb:,.1f} MB)<br>positive: {100 * s['train_positive']:.1f}% train, {100 * s['val_positive']:.1f}% val"
            f" &middot; loaded in {d.load_seconds:.2f} s"
        )
        self.review.blockSignals(True)
        self.review.setRange(0, max(0, d.n_val - 1))
        if not self._review_chosen:
            # the first of the longest reviews: words at (nearly) every step, little padding
            if d.ids_val.ndim == 2 and len(d.ids_val):
                self.review.setValue(int(np.argmax((d.ids_val != 0).sum(axis=1))))
        self.review.blockSignals(False)
        self._show_review(self.review.value())

    def _show_review(self, i):
        d = self.dataset
        if d is None or not 0 <= i < d.n_val:
            return
        ids = d.ids_val[i]
        words = [w for w, t in zip(d.words(ids), ids.tolist()) if t != 0]
        lab = "positive" if int(d.y_val[i]) else "negative"
        self.text.setPlainText(f"[{lab}] " + " ".join(words))

    def _review_changed(self, i):
        self._review_chosen = True
        self._show_review(i)
        self.review_changed.emit(int(i))

    def _random(self):
        if self.dataset is not None and self.dataset.n_val:
            self.review.setValue(int(self._rng.integers(self.dataset.n_val)))


class ModelPanel(QGroupBox):
    """RecurrentNetwork's settings and the number of epochs."""

    PRESETS = {
        "source (6.3)": dict(n_cells=32, batch_size=32, learning_rate=0.01, epochs=20, bptt_steps=10,
                             backprop="textbook", optimizer="sgd", clip_norm=None),
        "exact, bptt 10": dict(n_cells=32, batch_size=32, learning_rate=0.01, epochs=20, bptt_steps=10,
                               backprop="exact", optimizer="sgd", clip_norm=None),
        "exact, full BPTT": dict(n_cells=32, batch_size=32, learning_rate=0.01, epochs=20, bptt_steps=None,
                                 backprop="exact", optimizer="sgd", clip_norm=None),
        "adam, full BPTT": dict(n_cells=32, batch_size=32, learning_rate=0.001, epochs=10, bptt_steps=None,
                                backprop="exact", optimizer="adam", clip_norm=None),
        "S3 (embedding 32, 8 cells, adam)": dict(n_cells=8, batch_size=32, learning_rate=0.001, epochs=10,
                                                 bptt_steps=None, backprop="exact", optimizer="adam",
                                                 clip_norm=None, embedding_dim=32),
    }

    changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__("Model and training", parent)
        self.preset = _combo([("custom", None)] + [(k, k) for k in self.PRESETS], "Fill the form with a preset")
        self.n_cells = _spin(1, 1024, 32, "Number of recurrent cells (hidden units)")
        self.batch_size = _spin(1, 8192, 32, "Mini-batch size")
        self.learning_rate = _dspin(1e-5, 10.0, 0.01, 5, "Learning rate (> 0)")
        self.learning_rate.setMinimumWidth(96)
        self.epochs = _spin(1, 10_000, 20, "Number of passes over the training reviews")
        self.bptt_steps = _spin(0, 100, 10, "Truncated BPTT: the last k time steps, 1..T (full = all T steps)",
                                special="full")
        self.backprop = _combo(
            [("exact", "exact"), ("textbook", "textbook")],
            "exact: the true gradient (dL/dh_prev = dL/dz1 @ W1h.T).\n"
            "textbook: the source's rule, err_to_cell @ W1h (a missing transpose).",
        )
        self.optimizer = _combo([("SGD", "sgd"), ("Adam", "adam")], "Optimizer")
        self.clip_norm = _dspin(0.0, 1000.0, 0.0, 3, "Clip the global norm of the gradients (off = no clipping)",
                                special="off")
        self.backend = _combo(
            [("Cython", "cython"), ("NumPy", "numpy")],
            "compiled: the Cython time loops; NumPy: the pure-NumPy reference (slower: feel the difference)",
        )
        self.seed = _spin(-1, 2**31 - 1, 42, "Same seed -> same weights, shuffles and losses", special="random")
        self.dtype = _combo([("float64", "float64"), ("float32", "float32")], "Weights and arithmetic")
        self.embedding_dim = _spin(1, 1024, 32, "Embedding dimension d (with the data's 'embedding' input)")
        self.embedding_dim.setEnabled(False)
        self._embedding = False
        form = _Grid(self)
        form.add_wide("preset", self.preset)
        form.add_pair("n_cells", self.n_cells, "batch", self.batch_size)
        form.add_pair("learn. rate", self.learning_rate, "epochs", self.epochs)
        form.add_pair("bptt_steps", self.bptt_steps, "backprop", self.backprop)
        form.add_pair("optimizer", self.optimizer, "clip norm", self.clip_norm)
        form.add_pair("backend", self.backend, "seed", self.seed)
        form.add_pair("dtype", self.dtype, "embed. d", self.embedding_dim)
        self._inputs = [self.preset, self.n_cells, self.batch_size, self.learning_rate, self.epochs, self.bptt_steps,
                        self.backprop, self.optimizer, self.clip_norm, self.backend, self.seed, self.dtype,
                        self.embedding_dim]
        self.preset.activated.connect(self._apply_preset)
        for w in self._inputs[1:]:
            sig = w.valueChanged if isinstance(w, (QSpinBox, QDoubleSpinBox)) else w.currentIndexChanged
            sig.connect(self._edited)
        self._applying = False

    def set_maxlen(self, T: int):
        """bptt_steps can be 1..T or full."""
        self.bptt_steps.setMaximum(max(1, int(T)))

    def settings(self, maxlen: int | None = None, n_train: int | None = None) -> TrainSettings:
        s = TrainSettings(
            n_cells=self.n_cells.value(),
            batch_size=self.batch_size.value(),
            learning_rate=self.learning_rate.value(),
            epochs=self.epochs.value(),
            bptt_steps=self.bptt_steps.value() or None,
            backprop=self.backprop.currentData(),
            optimizer=self.optimizer.currentData(),
            clip_norm=self.clip_norm.value() or None,
            backend=self.backend.currentData(),
            seed=None if self.seed.value() < 0 else self.seed.value(),
            dtype=self.dtype.currentData(),
            embedding_dim=self.embedding_dim.value() if self._embedding else None,
        )
        return s.validate(maxlen=maxlen, n_train=n_train)

    def set_embedding(self, on: bool):
        """The data's input is 'embedding': the network gets an embedding layer of this size."""
        self._embedding = bool(on)
        self.embedding_dim.setEnabled(self._embedding and self.n_cells.isEnabled())

    def set_settings(self, s: TrainSettings | dict):
        if isinstance(s, dict):
            s = TrainSettings(**{**TrainSettings().to_dict(), **s})
        self._applying = True
        try:
            self.n_cells.setValue(int(s.n_cells))
            self.batch_size.setValue(int(s.batch_size))
            self.learning_rate.setValue(float(s.learning_rate))
            self.epochs.setValue(int(s.epochs))
            if s.bptt_steps is not None and int(s.bptt_steps) > self.bptt_steps.maximum():
                self.bptt_steps.setMaximum(int(s.bptt_steps))
            self.bptt_steps.setValue(0 if s.bptt_steps is None else int(s.bptt_steps))
            _select(self.backprop, s.backprop)
            _select(self.optimizer, s.optimizer)
            self.clip_norm.setValue(0.0 if not s.clip_norm else float(s.clip_norm))
            _select(self.backend, s.backend)
            self.seed.setValue(-1 if s.seed is None else int(s.seed))
            _select(self.dtype, s.dtype)
            if s.embedding_dim:
                self.embedding_dim.setValue(int(s.embedding_dim))
        finally:
            self._applying = False
        self.changed.emit()

    def _apply_preset(self, *_):
        name = self.preset.currentData()
        if name:
            cur = self.settings_unchecked().to_dict()
            cur.update(self.PRESETS[name])
            self.set_settings(cur)
            self.preset.setCurrentIndex(self.preset.findData(name))

    def settings_unchecked(self) -> TrainSettings:
        return TrainSettings(
            n_cells=self.n_cells.value(), batch_size=self.batch_size.value(), learning_rate=self.learning_rate.value(),
            epochs=self.epochs.value(), bptt_steps=self.bptt_steps.value() or None,
            backprop=self.backprop.currentData(), optimizer=self.optimizer.currentData(),
            clip_norm=self.clip_norm.value() or None, backend=self.backend.currentData(),
            seed=None if self.seed.value() < 0 else self.seed.value(), dtype=self.dtype.currentData(),
            embedding_dim=self.embedding_dim.value() if self._embedding else None,
        )

    def _edited(self, *_):
        if not self._applying:
            self.preset.setCurrentIndex(0)
        self.changed.emit()

    def set_busy(self, busy: bool):
        for w in self._inputs:
            w.setEnabled(not busy)
        self.embedding_dim.setEnabled(not busy and self._embedding)


class SidePanel(QWidget):
    """The two panels stacked (the left side of the window)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.data = DataPanel()
        self.model = ModelPanel()
        lay.addWidget(self.data)
        lay.addWidget(self.model)
        lay.addStretch(1)


def default_data_dir() -> str:
    return os.path.expanduser("~")
