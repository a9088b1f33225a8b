"""One table of hyperparameter constraints, shared by the library, the app and the command lines.

``RecurrentNetwork`` checks its constructor arguments here, the app's input fields show the
same ranges (and the same message when a typed value is outside them), and the command lines
(``python -m gui``, ``python -m rnnfast.examples.textbook``) reject the same values with the same
words.  A value outside its range is an error everywhere: nothing is clamped silently.

>>> from rnnfast import hyperparams
>>> hyperparams.check("n_cells", 32)
32
>>> hyperparams.parse("bptt_steps", "full") is None
True
>>> hyperparams.describe("n_cells")
'an integer in [1, 4096]'
"""

from __future__ import annotations

import argparse
import math
import numbers
from dataclasses import dataclass


@dataclass(frozen=True)
class Constraint:
    """What one hyperparameter accepts.

    kind: ``"int"``, ``"float"`` or ``"choice"``.  low/high: inclusive bounds (``open_low``:
    the value must be strictly greater than low).  none: the word that stands for ``None``
    (``"full"`` for bptt_steps, ``"off"`` for clip_norm); ``None`` if the value is required.
    """

    name: str
    kind: str
    default: object
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    choices: tuple = ()
    none: str | None = None
    doc: str = ""
    #: An upper bound for typed values only (the app's fields and the command lines): the
    #: library accepts more (a huge learning rate is a legitimate experiment with clip_norm),
    #: but a typed 1e6 is far likelier a slip than an experiment.
    typed_high: float | None = None

    # ------------------------------------------------------------------ describing
    def describe(self) -> str:
        """The accepted values in words, e.g. ``'an integer in [1, 4096] or "full"'``."""
        if self.kind == "choice":
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        else:
            noun = "an integer" if self.kind == "int" else "a number"
            if self.open_low and self.high is not None:
                text = f"{noun} > {_fmt(self.low)} and <= {_fmt(self.high)}"
            elif self.open_low:
                text = f"{noun} > {_fmt(self.low)}"
            elif self.high is not None:
                text = f"{noun} in [{_fmt(self.low)}, {_fmt(self.high)}]"
            else:
                text = f"{noun} >= {_fmt(self.low)}"
        if self.none is not None:
            text += f' or "{self.none}"'
        return text

    # ------------------------------------------------------------------ checking
    def check(self, value):
        """Return the value normalised (int, float or str; None where allowed).

        Raises TypeError (wrong type) or ValueError (out of range), naming the parameter.
        """
        if value is None or (self.none is not None and value == self.none):
            if self.none is not None:
                return None
            raise TypeError(f"{self.name} must be {self.describe()}, got None")
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise ValueError(f"{self.name} must be {self.describe()}, got {value!r}")
            return value
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise TypeError(
                    f"{self.name} must be {self.describe()}, got {value!r} ({type(value).__name__})"
                )
            value = int(value)
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(
                    f"{self.name} must be {self.describe()}, got {value!r} ({type(value).__name__})"
                )
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"{self.name} must be {self.describe()}, got {value}")
        if not self.in_range(value):
            raise ValueError(f"{self.name} must be {self.describe()}, got {_fmt(value)}")
        return value

    def in_range(self, value) -> bool:
        if self.low is not None and (value <= self.low if self.open_low else value < self.low):
            return False
        return self.high is None or value <= self.high

    def parse(self, text: str):
        """Parse typed text (a command line or an input field), then :meth:`check` it and
        the typed bound ``typed_high``."""
        s = str(text).strip()
        if self.none is not None and s.lower() == self.none:
            return None
        if self.kind == "choice":
            return self.check(s)
        try:
            number = int(s) if self.kind == "int" else float(s)
        except ValueError:
            raise ValueError(f"{self.name} must be {self.describe()}, got {s!r}") from None
        value = self.check(number)
        if self.typed_high is not None and value > self.typed_high:
            raise ValueError(
                f"{self.name} must be <= {_fmt(self.typed_high)} here, got "
                f"{_fmt(value)} (RecurrentNetwork itself accepts "
                f"{self.describe()})"
            )
        return value

    def argparse_type(self):
        """A ``type=`` for argparse: the same message, as argparse reports it."""

        def convert(text):
            try:
                return self.parse(text)
            except (TypeError, ValueError) as e:
                raise argparse.ArgumentTypeError(str(e)) from None

        convert.__name__ = self.name
        return convert


def _fmt(x) -> str:
    """1000000 -> '1,000,000', 100.0 -> '100', 0.01 -> '0.01'."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        x = int(x)
    if isinstance(x, int):
        return f"{x:,}" if abs(x) >= 10_000 else str(x)
    return f"{x:g}"


_C = Constraint
# A table, one row per hyperparameter: kept as written by the formatter.
# fmt: off
CONSTRAINTS: dict[str, Constraint] = {c.name: c for c in (
    # The network (RecurrentNetwork's constructor).
    _C("n_cells", "int", 10, 1, 4096, doc="cells of the recurrent layer"),
    _C("batch_size", "int", 32, 1, 1_000_000, doc="samples per update"),
    # No upper bound: too large a rate is a DivergenceError at the step that diverges (and
    # with clip_norm a large rate is a legitimate choice, tests/test_robustness.py).
    _C("learning_rate", "float", 0.1, 0.0, None, open_low=True, typed_high=100.0,
       doc="step size of the optimiser (the source's 0.01)"),
    _C("bptt_steps", "int", 10, 1, 100_000, none="full",
       doc='time steps the error travels back ("full" = all T)'),
    _C("backprop", "choice", "exact", choices=("exact", "textbook"),
       doc="exact gradient or the source's rule without the transpose"),
    _C("optimizer", "choice", "sgd", choices=("sgd", "adam")),
    _C("backend", "choice", "cython", choices=("cython", "numpy")),
    _C("dtype", "choice", "float64", choices=("float64", "float32")),
    _C("clip_norm", "float", None, 0.0, 1e6, open_low=True, none="off",
       doc="global gradient norm limit (Pascanu et al. 2013)"),
    _C("clip_value", "float", None, 0.0, 1e6, open_low=True, none="off",
       doc="per-entry gradient limit, as min-char-rnn's np.clip"),
    _C("seed", "int", None, 0, 2**32 - 1, none="random", doc="weights and shuffling"),
    _C("embedding_dim", "int", None, 1, 4096, none="off",
       doc="an embedding layer of this width (the source's S3 model)"),
    # Training length and the data (the app and the command lines).
    _C("epochs", "int", 100, 1, 100_000),
    _C("num_words", "int", 100, 2, 1_000_000, doc="vocabulary size (the source's 100)"),
    _C("skip_top", "int", 20, 0, 999_999, doc="most frequent words dropped (the source's 20)"),
    _C("maxlen", "int", 100, 1, 10_000, doc="time steps T per review (the source's 100)"),
    _C("max_train", "int", 0, 0, None, doc="use only the first N training reviews (0 = all)"),
)}
# fmt: on


def constraint(name: str) -> Constraint:
    try:
        return CONSTRAINTS[name]
    except KeyError:
        raise KeyError(
            f"no hyperparameter named {name!r}; known: {', '.join(CONSTRAINTS)}"
        ) from None


def check(name: str, value):
    """``CONSTRAINTS[name].check(value)``: the value normalised, or a clear error."""
    return constraint(name).check(value)


def parse(name: str, text: str):
    """``CONSTRAINTS[name].parse(text)``: typed text to a checked value."""
    return constraint(name).parse(text)


def describe(name: str) -> str:
    return constraint(name).describe()


def argparse_type(name: str):
    return constraint(name).argparse_type()
