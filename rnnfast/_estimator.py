"""The habits a data scientist brings to an estimator, for :class:`rnnfast.RecurrentNetwork`.

* scikit-learn's, without depending on it: constructor arguments are attributes of the same
  name, checked by :mod:`rnnfast.hyperparams` when set (:class:`Hyperparameter`);
  ``get_params``/``set_params`` over them, ``__sklearn_tags__`` (a binary classifier) when
  scikit-learn is installed, so ``clone``, ``Pipeline``, ``cross_val_score`` and
  ``GridSearchCV`` work.
* Python's: pickle and ``copy.deepcopy`` (everything but the backend object and the lock,
  which are rebuilt).
* Keras': ``history`` (Keras' ``History.history``) and ``summary()``.
* :class:`NetworkHyperparameters`: RecurrentNetwork's arguments and what setting each does.
* One trainer at a time: :meth:`EstimatorMixin._exclusive` makes a second ``fit`` (or another
  weight-changing call) from another thread raise instead of corrupting the history.
"""

from __future__ import annotations

import contextlib
import numbers
import threading
from collections.abc import Callable

import numpy as np

from . import hyperparams
from .backends import make_backend
from .callbacks import check_callbacks
from .optimizers import make_optimizer


class Hyperparameter:
    """A constructor argument as an attribute: ``net.<name> = value`` is checked by
    ``convert`` (default: the :mod:`rnnfast.hyperparams` table) and reported to the network's
    ``_hyperparameter_set(name, value)`` so that it takes effect.  ``get_params`` returns the
    value exactly as given (scikit-learn's ``clone`` checks identity); the attribute holds the
    checked one."""

    def __init__(self, convert=None):
        self.convert = convert

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, net, owner=None):
        if net is None:
            return self
        return net._hp[self.name][1]

    def __set__(self, net, value):
        checked = (self.convert or hyperparams.constraint(self.name).check)(value)
        net._hp[self.name] = (value, checked)
        net._hyperparameter_set(self.name, checked)


def check_flag(name, levels=1):
    """A converter for bool-like arguments: False/True or an int in [0, levels]."""

    def convert(value):
        if not isinstance(value, numbers.Integral) or not 0 <= value <= levels:
            choices = "True/False" + (f" or 0..{levels}" if levels > 1 else "")
            raise TypeError(f"{name} must be {choices}, got {value!r}")
        return int(value) if levels > 1 else bool(value)

    return convert


class EstimatorMixin:
    """Needs ``HYPERPARAMETERS`` (the constructor's argument names, in order), the
    :class:`Hyperparameter` attributes, ``_hp`` (a dict) and ``_lock`` (an RLock)."""

    HYPERPARAMETERS = ()
    _estimator_type = "classifier"  # scikit-learn < 1.6 reads this

    # ------------------------------------------------------------------ scikit-learn
    def get_params(self, deep: bool = True) -> dict:
        """The constructor's arguments as given (``deep`` is accepted for scikit-learn: no
        argument is an estimator)."""
        return {name: self._hp[name][0] for name in self.HYPERPARAMETERS}

    def set_params(self, **params) -> EstimatorMixin:
        """Set constructor arguments by name (checked as the constructor checks them);
        returns self.  They take effect at the next ``fit``/``training`` (see docs/API.md)."""
        unknown = sorted(set(params) - set(self.HYPERPARAMETERS))
        if unknown:
            raise ValueError(
                f"invalid parameter(s) {unknown} for {type(self).__name__}; "
                f"valid: {', '.join(self.HYPERPARAMETERS)}"
            )
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(multi_class=False),
            input_tags=InputTags(two_d_array=True, three_d_array=True),
        )

    def get_config(self) -> dict:
        """The constructor's hyperparameters, checked and JSON-ready (callbacks and verbose
        excluded)."""
        config = {
            name: self._hp[name][1]
            for name in self.HYPERPARAMETERS
            if name not in ("callbacks", "verbose")
        }
        config["dtype"] = str(config["dtype"])
        return config

    def __repr__(self):
        cfg = ", ".join(f"{k}={val!r}" for k, val in self.get_config().items())
        return f"{type(self).__name__}({cfg})"

    # ------------------------------------------------------------------ pickle, deepcopy
    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_lock", None)
        state.pop("_engine", None)  # holds per-thread buffers: rebuilt from `backend`
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.RLock()
        self._hyperparameter_set("backend", self.backend)

    # ------------------------------------------------------------------ one trainer at a time
    @contextlib.contextmanager
    def _exclusive(self, action):
        """Run ``action`` (e.g. "fit") as the only weight-changing call: another thread's
        call raises.  Re-entrant in the training thread (callbacks may set weights)."""
        if not self._lock.acquire(blocking=False):
            raise RuntimeError(
                f"cannot {action}: this network is being trained in another thread (fit or "
                "training is running); wait for it to finish, or train a copy "
                "(copy.deepcopy(network))"
            )
        try:
            yield
        finally:
            self._lock.release()

    # ------------------------------------------------------------------ Keras
    @property
    def history(self) -> dict[str, list[float]]:
        """Keras' ``History.history``: ``{"loss": [...], "accuracy": [...]}`` plus
        ``"val_loss"``/``"val_accuracy"`` with validation data; one value per epoch (the same
        lists as ``losses``, ``accuracies``, ...).  ``fit`` returns the network, so Keras'
        ``history = model.fit(...); history.history["loss"]`` works unchanged."""
        h = {"loss": self.losses, "accuracy": self.accuracies}
        if self.val_losses:
            h["val_loss"] = self.val_losses
        if self.val_accuracies:
            h["val_accuracy"] = self.val_accuracies
        return h

    def summary(self, print_fn: Callable[[str], object] | None = None) -> None:
        """Print the layers, their output shapes and parameter counts as Keras'
        ``model.summary()`` does (4,289 parameters for the source's S2: 100 features, 32
        cells).  ``print_fn``: a function taking one line (default ``print``)."""
        for line in summary_lines(self):
            (print_fn or print)(line)


def summary_lines(net):
    """The lines of :meth:`EstimatorMixin.summary`."""
    if net.n_features is None:
        raise ValueError(
            "this network is not built yet (its input width is unknown): call "
            "fit() or init_weights(n_features) first"
        )
    nf, nc, d = net.n_features, net.n_cells, net.embedding_dim
    rows = []
    if d:
        rows.append(("embedding (Embedding)", f"(None, None, {d})", nf * d))
    rows.append(("simple_rnn (SimpleRNN)", f"(None, {nc})", (d or nf) * nc + nc * nc + nc))
    rows.append(("dense (Dense)", "(None, 1)", nc + 1))
    total = sum(n for _, _, n in rows)
    size = _bytes(total * np.dtype(net.dtype).itemsize)
    rule = "_" * 65
    lines = [
        f'Model: "{type(net).__name__}"',
        rule,
        f" {'Layer (type)':<28}{'Output Shape':<26}{'Param #':>9}",
        "=" * 65,
    ]
    for i, (layer, shape, n) in enumerate(rows):
        lines.append(f" {layer:<28}{shape:<26}{n:>9,}")
        lines.append("=" * 65 if i == len(rows) - 1 else "")
    lines += [
        f"Total params: {total:,} ({size})",
        f"Trainable params: {total:,} ({size})",
        "Non-trainable params: 0 (0.00 B)",
        rule,
    ]
    return lines


def _bytes(n):
    return f"{n / 1024:.2f} KB" if n >= 1024 else f"{n:.2f} B"


class NetworkHyperparameters(EstimatorMixin):
    """:class:`rnnfast.RecurrentNetwork`'s constructor arguments as checked attributes
    (:mod:`rnnfast.hyperparams`), and what setting each one does."""

    HYPERPARAMETERS = (
        "n_cells",
        "batch_size",
        "learning_rate",
        "backend",
        "bptt_steps",
        "backprop",
        "optimizer",
        "clip_norm",
        "clip_value",
        "seed",
        "verbose",
        "callbacks",
        "dtype",
        "warm_start",
        "embedding_dim",
    )

    # Constructor arguments as attributes, checked when set (rnnfast.hyperparams; see
    # _hyperparameter_set for when each takes effect).
    n_cells = Hyperparameter()
    batch_size = Hyperparameter()
    learning_rate = Hyperparameter()
    backend = Hyperparameter()
    bptt_steps = Hyperparameter()
    backprop = Hyperparameter()
    optimizer = Hyperparameter()
    clip_norm = Hyperparameter()
    clip_value = Hyperparameter()
    seed = Hyperparameter()
    verbose = Hyperparameter(check_flag("verbose", levels=2))
    callbacks = Hyperparameter(check_callbacks)
    dtype = Hyperparameter(lambda d: np.dtype(hyperparams.check("dtype", _dtype_name(d))))
    warm_start = Hyperparameter(check_flag("warm_start"))
    embedding_dim = Hyperparameter()

    def _hyperparameter_set(self, name, value):
        """Make a changed hyperparameter take effect: the backend and the learning rate at
        once, the optimizer (fresh state) and dtype (weights converted) on a fitted network;
        the rest is read by every fit/training, n_cells and embedding_dim at the next cold fit
        (``fit`` with ``warm_start`` refuses weights of another shape)."""
        if name == "backend":
            self._engine = make_backend(value)
        elif name == "learning_rate" and self._opt is not None:
            self._opt.learning_rate = value
        elif name == "optimizer" and self._opt is not None and self._opt.name != value:
            self._opt = make_optimizer(value, self.learning_rate)
        elif name == "dtype" and self._params is not None:
            self._params = {n: a.astype(value) for n, a in self._params.items()}
            if self._opt is not None:
                self._opt = make_optimizer(self.optimizer, self.learning_rate)

    @property
    def lr(self) -> float:
        """The learning rate (the source's name; ``learning_rate`` is the argument's)."""
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        self.learning_rate = value


def _dtype_name(dtype):
    try:
        return np.dtype(dtype).name
    except TypeError:
        return repr(dtype)
