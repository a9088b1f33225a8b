"""The habits a data scientist brings to an estimator, for :class:`rnnfast.RecurrentNetwork`.

* scikit-learn's, without depending on it: constructor arguments are attributes of the same
  name, checked by :mod:`rnnfast.hyperparams` when set (:class:`Hyperparameter`);
  ``get_params``/``set_params`` over them, ``__sklearn_tags__`` (a binary classifier) when
  scikit-learn is installed, so ``clone``, ``Pipeline``, ``cross_val_score`` and
  ``GridSearchCV`` work.
* Python's: pickle and ``copy.deepcopy`` (everything but the backend object and the lock,
  which are rebuilt).
* :class:`NetworkHyperparameters`: RecurrentNetwork's arguments and what setting each does.
* One trainer at a time: :meth:`EstimatorMixin._exclusive` makes a second ``fit`` (or another
  weight-changing call) from another thread raise instead of corrupting the history.
"""

from __future__ import annotations

import contextlib
import numbers
import threading

import numpy as np

from . import hyperparams
from .backends import make_backend
from .callbacks import check_callbacks
from .optimizers import make_optimizer


class Hyperparameter:
    """A constructor argument as an attribute: ``net.<name> = value`` is checked by
    ``convert`` (default: the :mod:`rnnfast.hyperparams` table) and reported to the network's
    ``_hyperparameter_set(name, value)`` so that it takes effect.  ``get_params`` (and
    ``vars(net)``) hold the value exactly as given (scikit-learn's ``clone`` checks identity);
    the attribute returns the checked one."""

    def __init__(self, convert=None):
        self.convert = convert

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, net, owner=None):
        if net is None:
            return self
        return net._hp[self.name]

    def check(self, value):
        return (self.convert or hyperparams.constraint(self.name).check)(value)

    def __set__(self, net, value):
        self.store(net, value, self.check(value))

    def store(self, net, value, checked):
        # made to take effect first (it may refuse: a network training in another thread),
        # then the value as given in the instance's __dict__ (scikit-learn's clone and its
        # checks read vars(net)), the checked one in _hp (what the attribute returns)
        net._hyperparameter_set(self.name, checked)
        net.__dict__[self.name] = value
        net._hp[self.name] = checked


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
        return {name: self.__dict__[name] for name in self.HYPERPARAMETERS}

    def set_params(self, **params) -> EstimatorMixin:
        """Set constructor arguments by name, checked as the constructor checks them: all
        or none (a bad value raises before any is set).  Returns self.  See
        ``_hyperparameter_set`` for when each takes effect."""
        unknown = sorted(set(params) - set(self.HYPERPARAMETERS))
        if unknown:
            raise ValueError(
                f"invalid parameter(s) {unknown} for {type(self).__name__}; "
                f"valid: {', '.join(self.HYPERPARAMETERS)}"
            )
        cls = type(self)
        checked = {name: getattr(cls, name).check(value) for name, value in params.items()}
        for name, value in params.items():
            getattr(cls, name).store(self, value, checked[name])
        return self

    def __sklearn_tags__(self):
        """A binary classifier of sequences: 2-D X (token ids, or univariate float
        sequences) and 3-D X (dense features); an embedding network reads token ids
        (scikit-learn's ``categorical``, ``positive_only``); with ``seed=None`` each fit draws
        its own seed."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(multi_class=False),
            input_tags=InputTags(
                two_d_array=True,
                three_d_array=True,
                categorical=bool(self.embedding_dim),
                positive_only=bool(self.embedding_dim),
            ),
            non_deterministic=self.seed is None,
        )

    def get_config(self) -> dict:
        """The constructor's hyperparameters, checked and JSON-ready (callbacks and verbose
        excluded)."""
        config = {
            name: self._hp[name]
            for name in self.HYPERPARAMETERS
            if name not in ("callbacks", "verbose")
        }
        config["dtype"] = str(config["dtype"])
        return config

    def __repr__(self):
        cfg = ", ".join(f"{k}={val!r}" for k, val in self.get_config().items())
        return f"{type(self).__name__}({cfg})"

    def __str__(self):
        """A few readable lines: the settings and, when fitted, shapes and last scores."""
        from .plots._html import network_text

        return network_text(self)

    def _repr_html_(self):
        """Jupyter's view: the settings, and when fitted the weights and the last scores."""
        from .plots._html import network_html

        return network_html(self)

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
        n_cells and embedding_dim of another value than the weights' make a fitted network
        unfitted (:meth:`rnnfast._fitted.FittedState._check_shape_change`); the rest is read
        by every fit/training."""
        if name in ("n_cells", "embedding_dim"):
            self._check_shape_change(name, value)
        elif name == "backend":
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
