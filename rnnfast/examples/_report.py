"""What the textbook example shows: its printout and its loss plot.

:class:`_Out` prints the example's lines: the source's code as typed in a notebook, after
a value the value the source printed (a ``# source:`` comment), and the longer printouts of
:func:`~rnnfast.examples.textbook.prepare` and :func:`~rnnfast.examples.textbook.run` (review
0's words, the one-hot array's size, the score).  :func:`plot_losses` draws the loss curves.
:mod:`rnnfast.examples.textbook` imports these names back (``textbook.plot_losses`` etc.).

The loss curves (``rn.losses`` and ``rn.val_losses``, the source's ``plt.plot`` of both) are
drawn with **matplotlib**, because the source itself plots with matplotlib, and because its
Agg renderer writes a PNG headless with no display, no Qt and no event loop, which suits a
command-line example and a test.  pyqtgraph's exporter (the GUI's plotting library) would
need a running ``QApplication`` and PyQt5 for a single static image.  matplotlib is
optional: it is in rnnfast's ``bench`` extra (``pip install "rnnfast[bench]"`` or ``pip
install matplotlib``); without it ``--plot`` says so and the run goes on without a picture.
The figure is drawn with matplotlib's object API (``Figure`` + ``FigureCanvasAgg``), never
``pyplot``, so no global backend is switched in the calling process.
"""

import importlib.util
import textwrap
from pathlib import Path

import numpy as np

from ..datasets import imdb

__all__ = ["plot_losses", "matplotlib_available", "SOURCE_SCORE", "MATPLOTLIB_HINT"]

#: What the source's ``rn.score(x_val_onehot, y_val)`` printed.
SOURCE_SCORE = 0.7002

MATPLOTLIB_HINT = (
    "the loss plot needs matplotlib, which is not installed: pip install "
    '"rnnfast[bench]" (or pip install matplotlib)'
)

# What the source printed at each step (its run on Keras' published file).
_SOURCE_PRINTED = {
    "shapes": "(25000,) (25000,)",
    "movie": "17",
    "lengths": "218 189 (its lengths before the drop, although printed after it)",
    "labels": "[1 0 0 1 0 0 1 0 1 0]",
    "split": "(20000, 100) (5000, 100)",
    "onehot_shape": "(20000, 100, 100)",
    "nbytes": "800000000",
}


class _Out:
    """print() to a stream, or nowhere."""

    def __init__(self, stream, sample=False):
        self.stream = stream
        self.sample = sample

    def __call__(self, *args, **kwargs):
        if self.stream is not None:
            print(*args, file=self.stream, **kwargs)
            self.stream.flush()

    def code(self, line):
        """A line of the source's code, as typed in a notebook."""
        self(f">>> {line}")

    def wrapped(self, text):
        self(textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False))

    def source(self, key):
        if key in _SOURCE_PRINTED:
            where = " (on the full data)" if self.sample else ""
            self(f"# source{where}: {_SOURCE_PRINTED[key]}")

    def review_words(self, review, path, word_index):
        """Step 3 of :func:`~rnnfast.examples.textbook.prepare`: ``review`` (review 0)
        decoded with the word index, as the source: ``index_to_word[w - 3]``.  Without a
        word index (see :func:`_load_word_index`) the decoding is skipped, with the reason."""
        word_to_index, origin = _load_word_index(path, self.sample, word_index)
        if word_to_index is None:
            self(f"(no word index, decoding skipped: {origin})")
        else:
            self.code("word_to_index = imdb.get_word_index()" + f"   # {origin}")
            self.code("word_to_index['movie']")
            self(word_to_index.get("movie"))
            self.source("movie")
            index_to_word = {word_to_index[k]: k for k in word_to_index}
            self.code("index_to_word = {word_to_index[k]: k for k in word_to_index}")
            self.code("for w in x_train_all[0]:")
            self.code("    print(index_to_word[w - 3], end=' ')")
            self.wrapped(" ".join(index_to_word.get(w - 3, "?") for w in review))

    def onehot(self, x_train_seq, x_train_onehot, num_words):
        """Step 6 of :func:`~rnnfast.examples.textbook.prepare`, after the encoding: the
        one-hot array's shape and size, or (``encoding="ids"``: ``x_train_onehot`` is None)
        what they would have been and what the network reads instead."""
        onehot_shape = x_train_seq.shape + (num_words,)
        if x_train_onehot is not None:
            self.code("print(x_train_onehot.shape)")
            self(x_train_onehot.shape)
            self.source("onehot_shape")
            self.code("print(x_train_onehot.nbytes)")
            self(x_train_onehot.nbytes)
            self.source("nbytes")
        else:
            nbytes = int(np.prod(onehot_shape)) * np.dtype(np.float32).itemsize
            self(
                f"# --encoding ids: the one-hot array is not built (it would be {onehot_shape}, "
                f"{nbytes} bytes of float32);"
            )
            self(
                f"# the network reads the token ids {x_train_seq.shape} "
                f"({x_train_seq.nbytes} bytes) instead, with the same results."
            )

    def score(self, result, xv_name):
        """After :func:`~rnnfast.examples.textbook.train` (``result``, its dict): the time
        it took, the source's ``rn.score(...)`` line with this run's score, and the source's."""
        self(
            f"# {result['epochs_run']} epochs in {result['fit_seconds']:.1f} s "
            f"({result['seconds_per_epoch']:.2f} s per epoch, validation included)"
        )
        self.code(f"rn.score({xv_name}, y_val)")
        self(f"{result['score']:.4f}")
        note = " (on the bundled SAMPLE, not comparable)" if self.sample else ""
        self(f"# source: {SOURCE_SCORE}{note}")


def _load_word_index(path, sample, word_index):
    """``(word -> rank dict, where it came from)``; ``(None, reason)`` if there is none."""
    try:
        if word_index is not None:
            return imdb.get_word_index(path=word_index), str(word_index)
        if sample:
            return imdb.get_word_index(source="sample"), "the bundled sample's word index"
        if path is not None:
            beside = Path(path).expanduser().parent / imdb.KERAS_WORD_INDEX_NAME
            if beside.is_file():
                return imdb.get_word_index(path=beside), str(beside)
        return imdb.get_word_index(), "the word index lookup"
    except (FileNotFoundError, ValueError, TypeError) as exc:
        return None, str(exc)


def matplotlib_available():
    """True when matplotlib can be imported (checked without importing it)."""
    return importlib.util.find_spec("matplotlib") is not None


# ----------------------------------------------------------------------------- plot


def plot_losses(losses, val_losses, path, title=None):
    """Write the loss curves to a PNG, as the source's ``plt.plot(rn.losses);
    plt.plot(rn.val_losses)``.  Returns the path.

    Uses matplotlib's Agg canvas directly (no pyplot, no global backend change).
    Raises ImportError with :data:`MATPLOTLIB_HINT` when matplotlib is missing.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as exc:
        raise ImportError(MATPLOTLIB_HINT) from exc
    path = Path(path)
    fig = Figure(figsize=(6.4, 4.8))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(range(1, len(losses) + 1), losses, marker=".", label="rn.losses (training)")
    ax.plot(
        range(1, len(val_losses) + 1), val_losses, marker=".", label="rn.val_losses (validation)"
    )
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("loss (binary cross-entropy)")
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=100)
    return path
