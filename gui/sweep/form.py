"""The Sweep view's form: up to two settings to vary with their values, the number of seeds,
the worker processes and a Dask scheduler's address; the other settings are the model
panel's, listed under the form (every setting that shapes the sweep is on screen).

Values are typed as the model panel's fields take them, separated by commas (``5, 10,
full``), each checked by ``rnnfast.hyperparams`` (:func:`gui.panels.fields.parse`): a value that is
refused leaves the field red with the reason under it, naming the setting.
"""

from __future__ import annotations

import re

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit

from rnnfast.experiments._plan import usable_cores

from ..panels.fields import ERROR_STYLE, HyperField, describe, number, parse
from ..panels.model import TEXTS
from ..text.i18n import translate
from ..training.runs import phrase
from ..training.settings import SettingsError

#: the settings a sweep may vary, in the order the boxes list them
VARIABLE = (
    "backprop",
    "bptt_steps",
    "learning_rate",
    "n_cells",
    "batch_size",
    "optimizer",
    "clip_norm",
    "clip_value",
    "dtype",
)
DEFAULTS = {"backprop": "exact, textbook", "bptt_steps": "10, full"}
EXAMPLES = {
    "learning_rate": "0.01, 0.05",
    "n_cells": "8, 32",
    "batch_size": "32, 64",
    "optimizer": "sgd, adam",
    "clip_norm": "off, 1",
    "clip_value": "off, 1",
    "dtype": "float64, float32",
}
MAX_SEEDS = 1000
ADDRESS = re.compile(r"^([a-z]+://)?[A-Za-z0-9_.\-\[\]:]+:\d+$")


class ValuesField(HyperField):
    """Comma-separated values of one setting, each checked by rnnfast.hyperparams."""

    def __init__(self, name: str, param: str, parent=None):
        self._maxlen = None
        super().__init__(name, None, param=param, parent=parent)
        self.setText(DEFAULTS.get(param, ""))

    def set_param(self, param: str, text: str | None = None):
        self.param = param
        self.setText(DEFAULTS.get(param, EXAMPLES.get(param, "")) if text is None else text)
        self._check()

    def set_maxlen(self, T):
        self._maxlen = T
        self._check()

    def value(self):
        """The checked values (a list); ValueError naming the setting when one is refused."""
        items = [t.strip() for t in self.text().split(",")]
        if not any(items):
            raise ValueError(
                translate("Sweep", "{0}: type its values, separated by commas").format(self.param)
            )
        out = []
        words = choice_words(self.param)
        for t in items:
            try:
                v = words.get(t.lower(), t)
                v = parse(self.param, v)
            except ValueError as e:
                raise ValueError(f"{self.param}: {e}") from None
            if self.param == "bptt_steps" and v is not None and self._maxlen and v > self._maxlen:
                raise ValueError(
                    translate("Sweep", "{0}: {1} is more than T = {2} (the review length)").format(
                        self.param, v, self._maxlen
                    )
                )
            if v in out:
                raise ValueError(
                    translate("Sweep", "{0}: “{1}” is typed twice").format(self.param, t)
                )
            out.append(v)
        return out

    def set_tip(self, tip: str):
        """The tooltip: ``tip`` and what the field accepts (the choices in the language shown)."""
        words = choice_words(self.param)
        if words:
            names = ", ".join(dict.fromkeys(k for k in words if not k.isascii()) or words)
            allowed = translate("Fields", "one of {0}").format(names)
        else:
            allowed = describe(self.param)
        self._tip = f"{tip}\n{translate('Fields', 'Allowed: {0}').format(allowed)}"
        if not self._error:
            self.setToolTip(self._tip)

    def retranslate(self):
        self._error = None
        self._check()


def choice_words(name: str) -> dict:
    """{word typed (lower case): value} of a setting whose values have names in the language
    shown (the backprop rules: exact, textbook, and their translations)."""
    if name != "backprop":
        return {}
    out = {}
    for value in ("exact", "textbook"):
        out[value] = value
        out[phrase(name, value).lower()] = value
    return out


class CountField(HyperField):
    """A whole number from ``low`` to ``high`` (the seeds, the worker processes)."""

    def __init__(self, name: str, value: int, low: int, high: int, parent=None):
        self.low, self.high = low, high
        super().__init__(name, None, param="n_cells", parent=parent)
        self.setText(str(value))

    def value(self):
        t = self.text().strip()
        allowed = translate("Fields", "an integer from {0} to {1}").format(
            number(self.low), number(self.high)
        )
        try:
            v = int(t)
        except ValueError:
            v = None
        if v is None or not self.low <= v <= self.high:
            raise ValueError(translate("Fields", "allowed: {0}; typed: “{1}”").format(allowed, t))
        return v

    def set_tip(self, tip):
        self._tip = tip
        if not self._error:
            self.setToolTip(tip)

    def retranslate(self):
        self._error = None
        self._check()


class SweepForm(QGroupBox):
    """See the module's docstring. :meth:`request_parts` gives the checked grid, seeds and
    engine (SettingsError, per field, when a field is not valid)."""

    changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sweep-form")
        self.vary = [QComboBox(), QComboBox()]
        for k, box in enumerate(self.vary):
            box.setObjectName(f"sweep-vary-{k + 1}")
            if k == 1:
                box.addItem("", None)
            for name in VARIABLE:
                box.addItem("", name)
        self.vary[0].setCurrentIndex(self.vary[0].findData("backprop"))
        self.vary[1].setCurrentIndex(self.vary[1].findData("bptt_steps"))
        self.values = [
            ValuesField("sweep-values-1", "backprop"),
            ValuesField("sweep-values-2", "bptt_steps"),
        ]
        self.seeds = CountField("sweep-seeds", 5, 1, MAX_SEEDS)
        cores = usable_cores()
        self.workers = CountField("sweep-workers", cores, 1, cores)
        self.address = QLineEdit()
        self.address.setObjectName("sweep-address")
        self.address_error_label = QLabel()
        self.address_error_label.setObjectName("error-sweep-address")
        self.address_error_label.setWordWrap(True)
        self.address_error_label.setStyleSheet("color: #d62728")
        self.address_error_label.hide()
        self._address_problem = None  # the address typed whose scheduler did not answer
        self.shared = QLabel()
        self.shared.setObjectName("sweep-shared")
        self.shared.setWordWrap(True)
        self.labels = {}
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        rows = (("vary1", self.vary[0], self.values[0]), ("vary2", self.vary[1], self.values[1]))
        for r, (key, box, field) in enumerate(rows):
            self.labels[key] = QLabel()
            grid.addWidget(self.labels[key], 2 * r, 0)
            grid.addWidget(box, 2 * r, 1)
            grid.addWidget(field, 2 * r, 2, 1, 3)
            grid.addWidget(field.error_label, 2 * r + 1, 1, 1, 4)
        for col, (key, field) in enumerate(
            (("seeds", self.seeds), ("workers", self.workers), ("address", self.address))
        ):
            self.labels[key] = QLabel()
            grid.addWidget(self.labels[key], 4, 2 * col if col else 0)
            grid.addWidget(field, 4, 2 * col + 1)
        grid.addWidget(self.seeds.error_label, 5, 0, 1, 2)
        grid.addWidget(self.workers.error_label, 5, 2, 1, 2)
        grid.addWidget(self.address_error_label, 5, 4, 1, 2)
        grid.addWidget(self.shared, 6, 0, 1, 6)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(5, 2)
        for k, box in enumerate(self.vary):
            box.currentIndexChanged.connect(lambda _i, k=k: self._vary_changed(k))
        for f in (*self.values, self.seeds, self.workers):
            f.edited.connect(self.changed)
        self.address.textChanged.connect(self._address_edited)
        self._vary_changed(1)
        self.retranslate()

    # -- the fields ----------------------------------------------------------------------------
    def _vary_changed(self, k):
        name = self.vary[k].currentData()
        self.values[k].setEnabled(name is not None)
        if name is not None:
            self.values[k].set_param(name)
        self._set_tips()
        self.changed.emit()

    def set_maxlen(self, T):
        for f in self.values:
            f.set_maxlen(T)

    def set_vary(self, k: int, name: str | None, text: str | None = None):
        """Setting ``k`` (0 or 1; None: only one setting varies) and its values' text."""
        self.vary[k].setCurrentIndex(self.vary[k].findData(name))
        if name is not None and text is not None:
            self.values[k].setText(text)

    def _address_edited(self, *_):
        self._address_problem = None
        self._show_address_error()
        self.changed.emit()

    def address_error(self) -> str:
        text = self.address.text().strip()
        if self._address_problem is not None and self._address_problem == text:
            return translate(
                "Sweep",
                "no Dask scheduler answered at {0} within a few seconds; start one with "
                "“dask scheduler” and its workers with “dask worker ADDRESS”",
            ).format(text)
        if text and not ADDRESS.match(text):
            return translate("Sweep", "a scheduler's address, e.g. tcp://10.0.0.5:8786, or empty")
        return ""

    def set_address_problem(self):
        """The scheduler at the address typed did not answer: said under the field (until the
        address is edited)."""
        self._address_problem = self.address.text().strip()
        self._show_address_error()

    def _show_address_error(self):
        err = self.address_error()
        self.address.setStyleSheet(ERROR_STYLE if err else "")
        self.address_error_label.setText(err)
        self.address_error_label.setVisible(bool(err))

    def errors(self) -> dict:
        """{field name: message} of the fields that are not valid."""
        out = {}
        names = [box.currentData() for box in self.vary]
        for k, f in enumerate(self.values):
            if names[k] is not None and f.error():
                out[f.name] = f.error()
        if names[1] is not None and names[0] == names[1]:
            out["sweep-vary-2"] = translate("Sweep", "choose two different settings")
        for f in (self.seeds, self.workers):
            if f.error():
                out[f.name] = f.error()
        if self.address_error():
            out["sweep-address"] = self.address_error()
        return out

    def request_parts(self) -> dict:
        """``grid``, ``seeds``, ``engine``, ``n_jobs``, ``address`` from the form."""
        errors = self.errors()
        if errors:
            raise SettingsError("\n".join(errors.values()), errors)
        grid = {}
        for box, f in zip(self.vary, self.values):
            if box.currentData() is not None:
                grid[box.currentData()] = f.value()
        address = self.address.text().strip() or None
        workers = self.workers.value()
        engine = "dask" if address else ("processes" if workers > 1 else "sequential")
        return {
            "grid": grid,
            "seeds": list(range(self.seeds.value())),
            "engine": engine,
            "n_jobs": workers if engine == "processes" else None,
            "address": address,
        }

    def set_busy(self, busy: bool):
        for w in (*self.vary, *self.values, self.seeds, self.workers, self.address):
            w.setEnabled(not busy)
        if not busy:
            self.values[1].setEnabled(self.vary[1].currentData() is not None)

    def show_shared(self, settings):
        """The model panel's settings the runs share (``settings``: TrainSettings or None)."""
        varied = [b.currentData() for b in self.vary]
        if settings is None:
            self.shared.setText(
                translate("Sweep", "The other settings: correct the model panel's fields first.")
            )
            return
        d = settings.to_dict()
        names = [
            n
            for n in ("n_cells", "batch_size", "learning_rate", "bptt_steps", "backprop")
            + ("optimizer", "clip_norm", "clip_value", "embedding_dim", "dtype", "backend")
            if n not in varied
        ]
        parts = [
            f"{translate('ModelPanel', TEXTS[n][0])} {d[n]}" if n == "dtype" else phrase(n, d[n])
            for n in names
        ]
        self.shared.setText(
            translate("Sweep", "The other settings, from the model panel: {0}; {1} epochs.").format(
                ", ".join(parts), d["epochs"]
            )
        )

    # -- language ------------------------------------------------------------------------------
    def retranslate(self):
        self.setTitle(translate("Sweep", "Sweep: settings x seeds"))
        for box in self.vary:
            for i in range(box.count()):
                name = box.itemData(i)
                box.setItemText(
                    i,
                    translate("Sweep", "(none)")
                    if name is None
                    else translate("ModelPanel", TEXTS[name][0]),
                )
        texts = {
            "vary1": translate("Sweep", "vary"),
            "vary2": translate("Sweep", "and"),
            "seeds": translate("Sweep", "seeds"),
            "workers": translate("Sweep", "processes"),
            "address": translate("Sweep", "Dask scheduler"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.address.setPlaceholderText(translate("Sweep", "empty: this computer's cores"))
        for f in (*self.values, self.seeds, self.workers):
            f.retranslate()
        self._set_tips()
        self._show_address_error()

    def _set_tips(self):
        for box, f in zip(self.vary, self.values):
            name = box.currentData()
            tip = translate("Sweep", "The values to try, separated by commas")
            if name is not None:
                f.set_tip(f"{tip}. {translate('ModelPanel', TEXTS[name][1])}")
            box.setToolTip(translate("Sweep", "A setting to vary (the others: the model panel's)"))
        self.seeds.set_tip(
            translate(
                "Sweep",
                "Each combination is trained with seeds 0, 1, ..., n - 1: the same "
                "seeds for every combination, so the comparison is paired",
            )
        )
        self.workers.set_tip(
            translate(
                "Sweep",
                "Worker processes on this computer (1: the runs one after another "
                "in the app's process)",
            )
        )
        self.address.setToolTip(
            translate(
                "Sweep",
                "The address of a Dask scheduler (dask scheduler; dask worker "
                "ADDRESS on the other machines); empty: this computer's cores",
            )
        )


__all__ = ["SweepForm", "ValuesField", "CountField", "VARIABLE", "describe"]
