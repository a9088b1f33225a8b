"""The data set the app trains on, and how it is loaded: plain Python + NumPy, no Qt.

:func:`load_dataset` is what the loader thread runs (``gui.training.worker.DataLoader``); it reports
its steps through a plain callback, so it can be called and tested without a display.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .settings import DataSettings, SettingsError


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (marks a text for the .ts; Qt-free)
    return text


@dataclass
class Dataset:
    """A loaded, padded data set, ready for ``fit``.

    ``x_train``/``x_val`` are what the network sees: token ids ``(m, T)`` or dense one-hot
    ``(m, T, n_features)``; ``ids_val`` are always the token ids (to show the words).
    """

    x_train: Any
    y_train: np.ndarray
    x_val: Any
    y_val: np.ndarray
    ids_val: np.ndarray
    n_features: int
    encoding: str
    settings: DataSettings
    vocab: dict = field(default_factory=dict)  # token id -> word (0 = padding, 1 = start, 2 = OOV)
    source_label: str = "sample"
    load_seconds: float = 0.0

    @property
    def maxlen(self) -> int:
        return int(self.ids_val.shape[1]) if self.ids_val.ndim == 2 else int(self.settings.maxlen)

    @property
    def n_train(self) -> int:
        return int(len(self.y_train))

    @property
    def n_val(self) -> int:
        return int(len(self.y_val))

    def words(self, ids) -> list[str]:
        """One word per time step (``<pad>``, ``<start>``, ``<oov>`` for the special ids)."""
        return [self.vocab.get(int(t), f"#{int(t)}") for t in np.asarray(ids).ravel().tolist()]

    def review_input(self, index: int):
        """The network input for one validation review, batch of 1."""
        index = int(index)
        return self.x_val[index : index + 1]

    def fits(self, net) -> bool:
        """Whether ``net`` (a ``RecurrentNetwork``) reads this data: same vocabulary, and
        token ids when it has an embedding layer."""
        nf = net.n_features  # None before the network has weights
        if nf is None or int(nf) != int(self.n_features):
            return False
        if net.embedding_dim:
            return self.encoding in ("ids", "embedding")
        return True

    def summary(self) -> dict:
        pos_tr = float(np.mean(self.y_train)) if self.n_train else float("nan")
        pos_va = float(np.mean(self.y_val)) if self.n_val else float("nan")
        return {
            "source": self.source_label,
            "n_train": self.n_train,
            "n_val": self.n_val,
            "maxlen": self.maxlen,
            "n_features": int(self.n_features),
            "encoding": self.encoding,
            "train_positive": pos_tr,
            "val_positive": pos_va,
            "input_bytes": int(
                getattr(self.x_train, "nbytes", 0) + getattr(self.x_val, "nbytes", 0)
            ),
        }


def special_vocab() -> dict:
    return {0: "<pad>", 1: "<start>", 2: "<oov>"}


def build_vocab(word_index: dict | None, index_from: int = 3, limit: int | None = None) -> dict:
    """token id -> word, as Keras' ``{rank + index_from: word}``, plus the special ids."""
    vocab = special_vocab()
    if word_index:
        for word, rank in word_index.items():
            tid = int(rank) + index_from
            if limit is None or tid < limit:
                vocab[tid] = word
    return vocab


def load_dataset(
    s: DataSettings, report: Callable[..., None] = lambda text, *args: None
) -> Dataset:
    """IMDB as the textbook prepares it (``rnnfast.datasets.imdb.load_textbook``), encoded as
    ``s.encoding`` says; ``report(text, *args)`` is told each step (a status line:
    ``text.format(*args)``, or its translation, see gui.training.worker.DataLoader)."""
    s.validate()
    t0 = time.perf_counter()
    report(QT_TRANSLATE_NOOP("Dataset", "importing rnnfast ..."))
    from rnnfast.datasets import imdb

    kw = dict(num_words=int(s.num_words), skip_top=int(s.skip_top), maxlen=int(s.maxlen))
    if s.source == "sample":
        report(QT_TRANSLATE_NOOP("Dataset", "reading the bundled IMDB sample ..."))
        x_tr, y_tr, x_va, y_va = imdb.load_textbook(**kw, source="sample")
        label = "sample"
    elif s.source == "file":
        report(QT_TRANSLATE_NOOP("Dataset", "reading {0} ..."), os.path.basename(s.path))
        x_tr, y_tr, x_va, y_va = imdb.load_textbook(**kw, path=s.path)
        label = os.path.basename(s.path)
    else:
        report(QT_TRANSLATE_NOOP("Dataset", "downloading / reading IMDB ..."))
        x_tr, y_tr, x_va, y_va = imdb.load_textbook(**kw)
        label = "imdb.npz (download)"
    x_tr, x_va = np.asarray(x_tr), np.asarray(x_va)
    y_tr = np.asarray(y_tr).reshape(-1)
    y_va = np.asarray(y_va).reshape(-1)
    if s.max_train:
        x_tr, y_tr = x_tr[: s.max_train], y_tr[: s.max_train]
    if s.max_val:
        x_va, y_va = x_va[: s.max_val], y_va[: s.max_val]
    if len(y_tr) == 0:
        raise SettingsError("the data set has no training reviews with these settings")
    if len(y_va) == 0:
        raise SettingsError("the data set has no validation reviews with these settings")

    report(QT_TRANSLATE_NOOP("Dataset", "reading the word index ..."))
    vocab = _read_vocab(imdb, s)
    n_features = int(s.num_words)
    ids_va = x_va.astype(np.int32, copy=False)
    if s.encoding == "onehot":
        from rnnfast.preprocessing import to_categorical  # float32, as Keras'

        size = (x_tr.size + x_va.size) * n_features * 4
        report(
            QT_TRANSLATE_NOOP(
                "Dataset",
                "building the one-hot arrays (as the source): {0} MB; token ids hold "
                "the same in 1/{1} of that ...",
            ),
            f"{size / 1e6:,.0f}",
            n_features,
        )
        x_tr = to_categorical(x_tr, num_classes=n_features)
        x_va = to_categorical(x_va, num_classes=n_features)
    else:
        x_tr = x_tr.astype(np.int32, copy=False)
        x_va = ids_va
    return Dataset(
        x_train=x_tr,
        y_train=y_tr,
        x_val=x_va,
        y_val=y_va,
        ids_val=ids_va,
        n_features=n_features,
        encoding=s.encoding,
        settings=s,
        vocab=vocab,
        source_label=label,
        load_seconds=time.perf_counter() - t0,
    )


def _read_vocab(imdb, s: DataSettings) -> dict:
    """The words of the ids; only the special ones when no word index can be read (a file
    without its imdb_word_index.json beside it uses the sample's)."""
    try:
        if s.source == "sample":
            wi = imdb.get_word_index(source="sample")
        elif s.source == "file":
            beside = os.path.join(os.path.dirname(os.path.abspath(s.path)), "imdb_word_index.json")
            wi = (
                imdb.get_word_index(beside)
                if os.path.exists(beside)
                else imdb.get_word_index(source="sample")
            )
        else:
            wi = imdb.get_word_index()
    except (
        OSError,
        ValueError,
    ):  # missing or unreadable (bad JSON, no network): words are a nicety, ids still show
        return special_vocab()
    return build_vocab(wi, index_from=3, limit=int(s.num_words))
