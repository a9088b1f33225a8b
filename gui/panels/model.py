"""The model and training form (RecurrentNetwork's settings and the number of epochs), and the
side panel that stacks the data panel, this form and the runs list."""

from __future__ import annotations

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from ..text.i18n import QT_TRANSLATE_NOOP, translate
from ..training.settings import SettingsError, TrainSettings
from .data import DataPanel, _combo, _Grid, _retranslate_combo, _select
from .fields import HyperField

NUMBERS = (
    "n_cells",
    "batch_size",
    "learning_rate",
    "epochs",
    "bptt_steps",
    "clip_norm",
    "clip_value",
    "seed",
    "embedding_dim",
    "explode",
)
CHOICES = ("backprop", "optimizer", "backend", "dtype")


# field -> (label, tooltip), translated by ModelPanel.retranslate
TEXTS = {
    "preset": (
        QT_TRANSLATE_NOOP("ModelPanel", "preset"),
        QT_TRANSLATE_NOOP("ModelPanel", "Fill the form with a preset"),
    ),
    "n_cells": (
        QT_TRANSLATE_NOOP("ModelPanel", "cells"),
        QT_TRANSLATE_NOOP("ModelPanel", "n_cells: cells of the recurrent layer (the source: 32)"),
    ),
    "batch_size": (
        QT_TRANSLATE_NOOP("ModelPanel", "batch"),
        QT_TRANSLATE_NOOP("ModelPanel", "batch_size: reviews per update"),
    ),
    "learning_rate": (
        QT_TRANSLATE_NOOP("ModelPanel", "learning rate"),
        QT_TRANSLATE_NOOP("ModelPanel", "learning_rate: the step size (the source: 0.01)"),
    ),
    "epochs": (
        QT_TRANSLATE_NOOP("ModelPanel", "epochs"),
        QT_TRANSLATE_NOOP("ModelPanel", "Passes over the training reviews"),
    ),
    "bptt_steps": (
        QT_TRANSLATE_NOOP("ModelPanel", "BPTT steps"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "bptt_steps: the time steps the error travels back, at most T "
            "(the source: 10, its [:10]); full = all T",
        ),
    ),
    "backprop": (
        QT_TRANSLATE_NOOP("ModelPanel", "backprop"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "exact: the true gradient (dL/dh_prev = dL/dz1 @ W1h.T).\n"
            "textbook: the source's rule, err_to_cell @ W1h (the transpose is "
            "missing).",
        ),
    ),
    "optimizer": (
        QT_TRANSLATE_NOOP("ModelPanel", "optimizer"),
        QT_TRANSLATE_NOOP("ModelPanel", "SGD (the source) or Adam (S3)"),
    ),
    "clip_norm": (
        QT_TRANSLATE_NOOP("ModelPanel", "clipping"),
        QT_TRANSLATE_NOOP(
            "ModelPanel", "clip_norm: the largest global norm of the gradients (off: no clipping)"
        ),
    ),
    "clip_value": (
        QT_TRANSLATE_NOOP("ModelPanel", "clipping per entry"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "clip_value: each entry of the gradients is clipped into [-c, c], "
            "as min-char-rnn's np.clip (off: no clipping)",
        ),
    ),
    "backend": (
        QT_TRANSLATE_NOOP("ModelPanel", "backend"),
        QT_TRANSLATE_NOOP(
            "ModelPanel", "Cython: the compiled time loops; NumPy: the source's code (slower)"
        ),
    ),
    "seed": (
        QT_TRANSLATE_NOOP("ModelPanel", "seed"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "The same seed gives the same weights, shuffles and losses; random: a new one",
        ),
    ),
    "dtype": (
        QT_TRANSLATE_NOOP("ModelPanel", "dtype"),
        QT_TRANSLATE_NOOP("ModelPanel", "float64 or float32 weights and arithmetic"),
    ),
    "explode": (
        QT_TRANSLATE_NOOP("ModelPanel", "explode σmax"),
        QT_TRANSLATE_NOOP(
            "ModelPanel",
            "The clipping lab's explode start: W1h rescaled so that its largest singular "
            "value is this once the weights are initialised (new runs only; the per-step "
            "factor can exceed 1). off: the usual start",
        ),
    ),
    "embedding_dim": (
        QT_TRANSLATE_NOOP("ModelPanel", "embedding"),
        QT_TRANSLATE_NOOP(
            "ModelPanel", "The embedding dimension d (with the data panel's embedding input)"
        ),
    ),
}


# The presets: the source's network (section 6.3) and what changes from it.
_SOURCE = dict(
    n_cells=32, batch_size=32, learning_rate=0.01, epochs=20, bptt_steps=10,
    backprop="textbook", optimizer="sgd", clip_norm=None, clip_value=None, explode=None,
)  # fmt: skip
_EXACT_FULL = {**_SOURCE, "backprop": "exact", "bptt_steps": None}
_ADAM_FULL = {**_EXACT_FULL, "learning_rate": 0.001, "epochs": 10, "optimizer": "adam"}


class ModelPanel(QGroupBox):
    """RecurrentNetwork's settings and the number of epochs."""

    PRESETS = {
        QT_TRANSLATE_NOOP("ModelPanel", "the source (6.3)"): dict(_SOURCE),
        QT_TRANSLATE_NOOP("ModelPanel", "exact, bptt 10"): {**_SOURCE, "backprop": "exact"},
        QT_TRANSLATE_NOOP("ModelPanel", "exact, full BPTT"): dict(_EXACT_FULL),
        QT_TRANSLATE_NOOP("ModelPanel", "Adam, full BPTT"): dict(_ADAM_FULL),
        QT_TRANSLATE_NOOP("ModelPanel", "S3 (embedding 32, 8 cells, Adam)"): {
            **_ADAM_FULL,
            "n_cells": 8,
            "embedding_dim": 32,
        },
    }

    changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        d = TrainSettings()
        self.preset = _combo(
            [(QT_TRANSLATE_NOOP("ModelPanel", "custom"), None)] + [(k, k) for k in self.PRESETS]
        )
        for name in NUMBERS:
            setattr(
                self, name, HyperField(name, getattr(d, name) if name != "embedding_dim" else 32)
            )
        self.backprop = _combo(
            [
                (QT_TRANSLATE_NOOP("ModelPanel", "exact"), "exact"),
                (QT_TRANSLATE_NOOP("ModelPanel", "textbook"), "textbook"),
            ]
        )
        self.optimizer = _combo([("SGD", "sgd"), ("Adam", "adam")])
        self.backend = _combo([("Cython", "cython"), ("NumPy", "numpy")])
        self.dtype = _combo([("float64", "float64"), ("float32", "float32")])
        self.embedding_dim.setEnabled(False)
        self._embedding = False
        self._maxlen = None
        self.bptt_steps.set_extra_check(self._check_bptt)
        self.form = form = _Grid(self)
        form.add_wide(self.preset)
        form.add_pair(self.n_cells, self.batch_size)
        form.add_pair(self.learning_rate, self.epochs)
        form.add_pair(self.bptt_steps, self.backprop)
        form.add_pair(self.clip_norm, self.clip_value)
        form.add_pair(self.optimizer, self.backend)
        form.add_pair(self.seed, self.dtype)
        form.add_pair(self.explode, self.embedding_dim)
        self._inputs = [self.preset] + [getattr(self, n) for n in NUMBERS + CHOICES]
        self.preset.activated.connect(self._apply_preset)
        for name in NUMBERS:
            getattr(self, name).edited.connect(self._edited)
        for name in CHOICES:
            getattr(self, name).currentIndexChanged.connect(self._edited)
        self._applying = False
        self.retranslate()

    def retranslate(self):
        self.setTitle(translate("ModelPanel", "Model and training"))
        for combo in (self.preset, self.backprop, self.optimizer, self.backend, self.dtype):
            _retranslate_combo(combo, "ModelPanel")
        texts = {
            getattr(self, name): (translate("ModelPanel", label), translate("ModelPanel", tip))
            for name, (label, tip) in TEXTS.items()
        }
        for w, (label, tip) in texts.items():
            self.form.labels[w].setText(label)
            self.form.labels[w].setToolTip(tip)
            if isinstance(w, HyperField):
                w.set_tip(tip)
                w.retranslate()
            else:
                w.setToolTip(tip)

    def _check_bptt(self, value):
        if value is not None and self._maxlen is not None and value > self._maxlen:
            return translate("ModelPanel", "at most T = {0} (the review length), or full").format(
                self._maxlen
            )
        return None

    def set_maxlen(self, T: int | None):
        """bptt_steps can be 1..T or full."""
        self._maxlen = None if T is None else int(T)
        self.bptt_steps.set_extra_check(self._check_bptt)

    def errors(self) -> dict:
        """{field name: message} of the fields whose text is not valid (embedding_dim only when
        used)."""
        return {
            n: getattr(self, n).error()
            for n in NUMBERS
            if getattr(self, n).error() and (n != "embedding_dim" or self._embedding)
        }

    def settings(self, maxlen: int | None = None, n_train: int | None = None) -> TrainSettings:
        return self.settings_unchecked().validate(maxlen=maxlen, n_train=n_train)

    def settings_unchecked(self) -> TrainSettings:
        """The form's settings; SettingsError (translated, per field) when a field is not valid."""
        errors = self.errors()
        if errors:
            raise SettingsError(
                "\n".join(
                    f"{self.form.labels[getattr(self, n)].text()}: {m}" for n, m in errors.items()
                ),
                errors,
            )
        used = [n for n in NUMBERS if n != "embedding_dim" or self._embedding]
        values = {"embedding_dim": None, **{n: getattr(self, n).value() for n in used}}
        return TrainSettings(**values, **{n: getattr(self, n).currentData() for n in CHOICES})

    def set_embedding(self, on: bool):
        """The data's input is 'embedding': the network gets an embedding layer of this size."""
        self._embedding = bool(on)
        self.embedding_dim.setEnabled(self._embedding and self.n_cells.isEnabled())

    def set_settings(self, s: TrainSettings | dict):
        if isinstance(s, dict):
            s = TrainSettings(**{**TrainSettings().to_dict(), **s})
        self._applying = True
        try:
            for n in NUMBERS:
                if n != "embedding_dim" or s.embedding_dim:
                    getattr(self, n).set_value(getattr(s, n))
            for n in CHOICES:
                _select(getattr(self, n), getattr(s, n))
        finally:
            self._applying = False
        self.changed.emit()

    def _apply_preset(self, *_):
        name = self.preset.currentData()
        if name:
            cur = TrainSettings().to_dict()
            for n in NUMBERS:
                cur[n] = getattr(self, n).value_or(cur[n])
            cur.update({n: getattr(self, n).currentData() for n in CHOICES})
            cur.update(self.PRESETS[name])
            self.set_settings(cur)
            self.preset.setCurrentIndex(self.preset.findData(name))

    def _edited(self, *_):
        if not self._applying:
            self.preset.setCurrentIndex(0)
        self.changed.emit()

    def set_busy(self, busy: bool):
        for w in self._inputs:
            w.setEnabled(not busy)
        self.embedding_dim.setEnabled(not busy and self._embedding)


class SidePanel(QWidget):
    """The data panel, the model form and the runs list, stacked (the left side of the window)."""

    def __init__(self, runs_panel, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.data = DataPanel()
        self.model = ModelPanel()
        self.runs = runs_panel
        lay.addWidget(self.data)
        lay.addWidget(self.model)
        lay.addWidget(self.runs)
        lay.addStretch(1)

    def retranslate(self):
        self.data.retranslate()
        self.model.retranslate()
        self.runs.retranslate()
