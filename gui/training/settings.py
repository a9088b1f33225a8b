"""The app's settings (Qt-free): the data to load, the network and its training, each value
checked by :mod:`rnnfast.hyperparams` (and the app's own settings, :data:`APP_CONSTRAINTS`).

Plain Python, so they can be tested and serialised (JSON) without a display. The history of
a run is :mod:`gui.training.history`, which imports this module (and not the other way).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rnnfast import hyperparams

SOURCES = ("sample", "file", "download")

#: the app's settings that are not the library's hyperparameters, checked the same way (the
#: fields describe them and refuse a value out of range with the same words)
APP_CONSTRAINTS = {
    "explode": hyperparams.Constraint(
        "explode", "float", None, 0.1, 10.0, none="off",
        doc="W1h rescaled at the start to this largest singular value (the clipping lab)",
    ),
}  # fmt: skip


def constraint(name: str) -> hyperparams.Constraint:
    """The constraint of a setting: the app's own (:data:`APP_CONSTRAINTS`) or the library's."""
    return APP_CONSTRAINTS.get(name) or hyperparams.constraint(name)


ENCODINGS = ("ids", "onehot", "embedding")


class SettingsError(ValueError):
    """A setting (or a combination of settings) that cannot be used. ``fields``: the name of
    each setting at fault (a form marks them) with its message."""

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.fields = dict(fields or {})


def _check_all(obj, names, aliases=None) -> dict:
    """``hyperparams.check`` every field of ``obj`` in ``names``; the checked values are written
    back (normalised: int, float, None). Returns {field: message} of those refused."""
    errors = {}
    for name in names:
        try:
            setattr(
                obj, name, constraint((aliases or {}).get(name, name)).check(getattr(obj, name))
            )
        except (TypeError, ValueError) as e:
            errors[name] = (
                str(e) if name not in (aliases or {}) else str(e).replace(aliases[name], name, 1)
            )
    return errors


def _raise(errors: dict):
    if errors:
        raise SettingsError("; ".join(errors.values()), errors)


@dataclass
class DataSettings:
    """How to load IMDB (the arguments of ``rnnfast.datasets.imdb.load_textbook``)."""

    source: str = "sample"  # "sample" (bundled) | "file" (an imdb.npz) | "download"
    path: str | None = None  # the imdb.npz for source="file"
    num_words: int = 100
    skip_top: int = 20
    maxlen: int = 100
    encoding: str = (
        "ids"  # "ids" (token ids, fast) | "onehot" (dense, as the source) | "embedding" (ids, S3)
    )
    max_train: int = 0  # 0 = all training reviews
    max_val: int = 0  # 0 = all validation reviews

    def validate(self) -> "DataSettings":
        """The ranges are rnnfast.hyperparams' (max_val: as max_train)."""
        errors = _check_all(
            self,
            ("num_words", "skip_top", "maxlen", "max_train", "max_val"),
            aliases={"max_val": "max_train"},
        )
        if self.source not in SOURCES:
            errors["source"] = f"unknown data source {self.source!r}"
        if self.source == "file" and not self.path:
            errors["path"] = "choose an imdb.npz file first"
        if self.encoding not in ENCODINGS:
            errors["encoding"] = f"unknown encoding {self.encoding!r}"
        if (
            "skip_top" not in errors
            and "num_words" not in errors
            and self.skip_top >= self.num_words
        ):
            errors["skip_top"] = (
                f"skip_top ({self.skip_top}) must be smaller than num_words ({self.num_words})"
            )
        _raise(errors)
        return self

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class TrainSettings:
    """Constructor arguments of ``RecurrentNetwork`` plus the number of epochs."""

    n_cells: int = 32
    batch_size: int = 32
    learning_rate: float = 0.01
    epochs: int = 20
    bptt_steps: int | None = 10  # None = full BPTT
    backprop: str = "exact"
    optimizer: str = "sgd"
    clip_norm: float | None = None
    backend: str = "cython"
    seed: int | None = 42
    dtype: str = "float64"
    embedding_dim: int | None = None  # an embedding layer (the source's S3); token-id input only
    clip_value: float | None = None  # each gradient entry into [-c, c] (min-char-rnn's np.clip)
    # the clipping lab's "explode" start: W1h rescaled to this sigma_max once fit has initialised
    # the weights (a new run only; not a constructor argument); None: the usual start
    explode: float | None = None

    def validate(self, maxlen: int | None = None, n_train: int | None = None) -> "TrainSettings":
        """Each value against rnnfast.hyperparams' table; bptt_steps also <= T (``maxlen``)."""
        errors = _check_all(
            self,
            (
                "n_cells",
                "batch_size",
                "learning_rate",
                "epochs",
                "bptt_steps",
                "backprop",
                "optimizer",
                "backend",
                "dtype",
                "clip_norm",
                "clip_value",
                "seed",
                "embedding_dim",
                "explode",
            ),
        )
        if (
            "bptt_steps" not in errors
            and self.bptt_steps is not None
            and maxlen is not None
            and self.bptt_steps > int(maxlen)
        ):
            errors["bptt_steps"] = (
                f"bptt_steps ({self.bptt_steps}) cannot exceed the sequence length T = {maxlen}"
            )
        if n_train is not None and n_train < 1:
            errors["data"] = "there are no training reviews"
        _raise(errors)
        return self

    def network_kwargs(self) -> dict:
        """Keyword arguments for ``rnnfast.RecurrentNetwork``."""
        extra = {} if self.embedding_dim is None else {"embedding_dim": int(self.embedding_dim)}
        return dict(
            **extra,
            n_cells=int(self.n_cells),
            batch_size=int(self.batch_size),
            learning_rate=float(self.learning_rate),
            backend=self.backend,
            bptt_steps=None if self.bptt_steps is None else int(self.bptt_steps),
            backprop=self.backprop,
            optimizer=self.optimizer,
            clip_norm=None if self.clip_norm is None else float(self.clip_norm),
            clip_value=None if self.clip_value is None else float(self.clip_value),
            seed=None if self.seed is None else int(self.seed),
            dtype=self.dtype,
        )

    def label(self) -> str:
        bptt = "full" if self.bptt_steps is None else str(self.bptt_steps)
        s = (
            f"{self.n_cells} cells, bptt {bptt}, {self.backprop}, "
            f"{self.optimizer} lr {self.learning_rate:g}"
        )
        if self.clip_norm:
            s += f", clip {self.clip_norm:g}"
        if self.clip_value:
            s += f", clip entries {self.clip_value:g}"
        if self.embedding_dim:
            s += f", embedding {self.embedding_dim}"
        if self.explode:
            s += f", explode {self.explode:g}"
        return s

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def network_settings(net) -> dict:
    """A ``RecurrentNetwork``'s hyperparameters as :class:`TrainSettings` fields (no epochs)."""
    cfg = net.get_config()
    names = [f.name for f in dataclasses.fields(TrainSettings) if f.name != "epochs"]
    out = {name: cfg[name] for name in names if name in cfg}
    if out.get("dtype") is not None:
        out["dtype"] = str(out["dtype"])
    return out
