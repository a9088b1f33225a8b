"""Input fields checked against :mod:`rnnfast.hyperparams`: a value out of range is an error
shown at the field (red frame, the reason under it), never replaced by the nearest valid value
as a spin box would do silently.

The accepted values are the table's (``constraint(name)``), described in the
language in use; the word for "none" of a hyperparameter (``full`` for bptt_steps, ``off`` for
clip_norm, ``random`` for the seed) can be typed in English or in the language shown. A
field can add a check that depends on another value (``bptt_steps`` <= T, ``skip_top`` <
``num_words``) with :meth:`HyperField.set_extra_check`.
"""

from __future__ import annotations

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QLabel, QLineEdit, QSizePolicy

from ..text.i18n import QT_TRANSLATE_NOOP, translate
from ..training.settings import constraint

ERROR_STYLE = "QLineEdit { border: 2px solid #d62728; background: #fff0f0; }"

# the word a user types for a hyperparameter's None, in the language shown
NONE_WORDS = {
    "full": QT_TRANSLATE_NOOP("Fields", "full"),
    "off": QT_TRANSLATE_NOOP("Fields", "off"),
    "random": QT_TRANSLATE_NOOP("Fields", "random"),
}


def number(x) -> str:
    """1000000 -> '1,000,000', 100.0 -> '100', 1e-05 -> '1e-05'."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        x = int(x)
    if isinstance(x, int):
        return f"{x:,}" if abs(x) >= 10_000 else str(x)
    return f"{x:g}"


def none_word(name: str) -> str | None:
    """The translated word for ``None`` of hyperparameter ``name`` (``None``: it has none)."""
    word = constraint(name).none
    return None if word is None else translate("Fields", NONE_WORDS.get(word, word))


def describe(name: str) -> str:
    """What a field for ``name`` accepts, in the language in use (from the constraint table)."""
    c = constraint(name)
    # a typed value has the bound of typed values (e.g. learning rate <= 100) when there is one
    high = (
        c.high
        if getattr(c, "typed_high", None) is None
        else min(c.typed_high, c.high or c.typed_high)
    )
    if c.kind == "choice":
        text = translate("Fields", "one of {0}").format(", ".join(c.choices))
    elif c.kind == "int" and high is not None:
        text = translate("Fields", "an integer from {0} to {1}").format(number(c.low), number(high))
    elif c.kind == "int":
        text = translate("Fields", "an integer >= {0}").format(number(c.low))
    elif c.open_low and high is not None:
        text = translate("Fields", "a number > {0} and <= {1}").format(number(c.low), number(high))
    elif c.open_low:
        text = translate("Fields", "a number > {0}").format(number(c.low))
    elif high is not None:
        text = translate("Fields", "a number from {0} to {1}").format(number(c.low), number(high))
    else:
        text = translate("Fields", "a number >= {0}").format(number(c.low))
    word = none_word(name)
    if word is not None:
        text = translate("Fields", "{0} or “{1}”").format(text, word)
    return text


def parse(name: str, text: str):
    """Typed text -> a checked value (``hyperparams.parse``; the translated none word too).
    Raises ValueError with a message in the language in use."""
    s = str(text).strip()
    word = none_word(name)
    if word is not None and s.lower() == word.lower():
        return None
    try:
        return constraint(name).parse(s)
    except (TypeError, ValueError):
        raise ValueError(
            translate("Fields", "allowed: {0}; typed: “{1}”").format(describe(name), s)
        ) from None


def format_value(name: str, value) -> str:
    if value is None:
        return none_word(name) or ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class HyperField(QLineEdit):
    """A line edit for one hyperparameter; its error goes in :attr:`error_label`, which the
    form places under the field's row (full width).

    :meth:`value` is the checked value (raises ValueError when the text is not valid);
    :meth:`error` the message shown (empty when valid); :attr:`edited` is sent on every edit.
    ``param``: the constraint's name in the table when it differs from ``name``.
    """

    edited = pyqtSignal()

    def __init__(self, name: str, value, param: str | None = None, parent=None):
        super().__init__(parent)
        self.name = name
        self.param = param or name
        self._extra = None
        self._tip = ""
        self.setObjectName(f"field-{name}")
        self.setMinimumWidth(60)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.error_label = QLabel()
        self.error_label.setObjectName(f"error-{name}")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d62728")
        self.error_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error_label.hide()
        self._error = ""
        self._shows_none = False
        self.textChanged.connect(self._changed)
        self.set_value(value)

    # -- value ---------------------------------------------------------------------------------
    def set_value(self, value):
        self.setText(format_value(self.param, value))
        self._check()

    def value(self):
        """The checked value; ValueError (its message translated) when the text is not valid."""
        v = parse(self.param, self.text())
        if self._extra is not None:
            problem = self._extra(v)
            if problem:
                raise ValueError(problem)
        return v

    def value_or(self, default):
        try:
            return self.value()
        except ValueError:
            return default

    def set_extra_check(self, check):
        """``check(value) -> message or None``: a limit that depends on other values."""
        self._extra = check
        self._check()

    # -- the error at the field ----------------------------------------------------------------
    def error(self) -> str:
        return self._error or ""

    def is_valid(self) -> bool:
        return not self._error

    def _changed(self, *_):
        self._check()
        self.edited.emit()

    def _check(self):
        try:
            self._shows_none = self.value() is None
            err = ""
        except ValueError as e:
            self._shows_none, err = False, str(e)
        if err == self._error:
            return
        self._error = err
        self.setStyleSheet(ERROR_STYLE if err else "")
        self.error_label.setText(err)
        self.error_label.setVisible(bool(err))
        self.setToolTip(err or self._tip)

    def set_tip(self, tip: str):
        """The field's tooltip: ``tip`` and what it accepts (the error, while there is one)."""
        allowed = translate("Fields", "Allowed: {0}").format(describe(self.param))
        self._tip = f"{tip}\n{allowed}"
        if not self._error:
            self.setToolTip(self._tip)

    def retranslate(self):
        """The error in the language now in use (the none word too, when it is shown)."""
        self._error = None  # force the message to be rebuilt
        if self._shows_none:
            self.setText(none_word(self.param))  # checks again
        self._check()
