"""``RecurrentNetwork``: the source's class (section 6.3) on compiled kernels (floor 2).

A thin estimator, as scikit-learn's: the constructor checks and holds hyperparameters (the
table of :mod:`rnnfast.hyperparams`), ``fit`` checks every array once and hands them to the
training loop (:mod:`rnnfast.training`), fitted state ends in attributes.  The arithmetic is a
backend's (:mod:`rnnfast.backends`), fed by :mod:`rnnfast.batching`; files are
:mod:`rnnfast.persistence`'s.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from . import _fit as fit_args
from . import _memory, batching, hyperparams
from . import _validation as v
from ._estimator import NetworkHyperparameters, check_flag
from ._exchange import Exchange
from ._fitted import FittedState
from ._predict import PredictionMixin
from .backends import EMBEDDING, PARAM_NAMES
from .initializers import init_params
from .optimizers import make_optimizer

# DivergenceError, DIVERGENCE_BOUND and the loss are also imported from here (re-exported).
from .training import DIVERGENCE_BOUND as DIVERGENCE_BOUND
from .training import DivergenceError as DivergenceError
from .training import (
    binary_crossentropy,
    count_hits,
    fused_sgd_batch,
    plain_sgd,
    run_epochs,
    train_batch,
)
from .training import sigmoid as sigmoid


def _weight(name):
    """The attribute ``net.<name>``: the weight (None before fit); assigning checks it."""

    def get(self):
        return None if self._params is None else self._params.get(name)

    def set_(self, value):
        self._require_fitted()
        weights = dict(self._params)
        weights[name] = value
        self.set_weights(weights)

    return property(get, set_, doc=f"The weight ``{name}`` (see the source).")


class RecurrentNetwork(PredictionMixin, FittedState, Exchange, NetworkHyperparameters):
    """A simple RNN (tanh cells, one sigmoid output) trained by truncated BPTT.

    Parameters (the first three are the source's):
        n_cells: cells of the recurrent layer.
        batch_size: samples per update.
        learning_rate: step size of the optimiser.
        backend: ``"cython"`` (compiled kernels) or ``"numpy"`` (the reference, the source's code).
        bptt_steps: steps the error is propagated back (the source's 10); None = all T.
        backprop: ``"exact"`` (true gradient) or ``"textbook"`` (the source's
            ``err_to_cell @ w1h`` without the transpose).
        optimizer: ``"sgd"`` (the source's) or ``"adam"`` (Keras' formula).
        clip_norm: if set, the five gradients are scaled so their global norm is at most this.
        seed: same seed, same weights, shuffles and losses; None draws one (kept in ``seed_``).
        verbose: progress on stderr: 1 a bar per epoch (one line per epoch when stderr is
            not a terminal), 2 one line per epoch.
        callbacks: list of :class:`rnnfast.Callback`.
        dtype: ``"float64"`` or ``"float32"`` for weights and arithmetic.
        warm_start: if True, ``fit`` continues from the current weights and history.
        embedding_dim: if set (int d), the network has an embedding layer (the source's S3
            model, Keras' ``Embedding(n_features, d)``): input must be token ids (m, T), the
            weights gain ``embedding`` (n_features, d) and ``w1x`` becomes (d, n_cells).

    Input ``x`` is dense ``(m, T, n_features)``, token ids ``(m, T)`` (integers) or
    univariate sequences ``(m, T)`` (floats, read as ``(m, T, 1)``); labels any two values
    (``classes_``); see docs/API.md.
    """

    def __init__(
        self,
        n_cells=10,
        batch_size=32,
        learning_rate=0.1,
        *,
        backend="cython",
        bptt_steps=10,
        backprop="exact",
        optimizer="sgd",
        clip_norm=None,
        clip_value=None,
        seed=None,
        verbose=False,
        callbacks=None,
        dtype="float64",
        warm_start=False,
        embedding_dim=None,
    ):
        self._hp = {}
        self._lock = threading.RLock()
        self._params = None
        self._opt = None
        self._rng = None
        args = locals()
        for name in self.HYPERPARAMETERS:  # ValueError/TypeError naming the argument
            setattr(self, name, args[name])
        # Nothing public but the parameters (scikit-learn's convention): the textbook's and
        # Keras' attributes are properties over private storage (rnnfast._fitted).
        self._dense_kernel = "auto"
        self._stop_training = False
        self._last_clip = None
        self._reset_history()

    # ------------------------------------------------------------------ weights as attributes

    @property
    def n_features(self) -> int | None:
        if self._params is None:
            return None
        return self._params[EMBEDDING if self.embedding_dim else "w1x"].shape[0]

    @property
    def param_names(self) -> tuple[str, ...]:
        """The weights' names: ``w1h, w1x, b1, w2, b2`` (the source's), plus ``embedding``
        with ``embedding_dim``."""
        return PARAM_NAMES + (EMBEDDING,) if self.embedding_dim else PARAM_NAMES

    def get_weights(self) -> dict[str, np.ndarray]:
        """Copies of the weights: dict ``w1h, w1x, b1, w2, b2`` (and ``embedding``)."""
        self._require_fitted()
        return {n: a.copy() for n, a in self._params.items()}

    def set_weights(self, weights: Mapping[str, ArrayLike]) -> None:
        """Replace the weights (dict with the five names, and ``embedding`` with
        ``embedding_dim``); shapes are checked."""
        with self._exclusive("set the weights"):
            new = v.check_weights(weights, self.param_names, self.embedding_dim, self.dtype)
            if new["w1h"].shape[0] != self.n_cells:
                self.n_cells = new["w1h"].shape[0]  # (a fitted network's state is dropped)
            self._params = new
            self._set_default_classes()
            if self._opt is None:  # weights set by hand (e.g. from_keras): ready to train
                self._opt = make_optimizer(self.optimizer, self.lr)

    w1h = _weight("w1h")
    w1x = _weight("w1x")
    b1 = _weight("b1")
    w2 = _weight("w2")
    b2 = _weight("b2")
    embedding = _weight(EMBEDDING)  # (n_features, embedding_dim); None without embedding_dim

    def init_weights(self, n_features: int, n_classes: int = 1) -> None:
        """The source's initialisation: orthogonal w1h, Glorot-uniform w1x and w2, zero biases;
        with ``embedding_dim``, ``embedding`` is uniform in [-0.05, 0.05] (Keras' Embedding)."""
        n_features = v.check_int(n_features, "n_features")
        if n_classes != 1:
            raise ValueError(f"n_classes must be 1 (one sigmoid output), got {n_classes}")
        _memory.check(self, n_features)  # before anything is allocated
        if self._rng is None:
            self._start_rng()
        d = self.embedding_dim
        with self._exclusive("initialise the weights"):
            params = init_params(self._rng, d or n_features, self.n_cells, 1, self.dtype)
            if d:
                params[EMBEDDING] = np.ascontiguousarray(
                    self._rng.uniform(-0.05, 0.05, (n_features, d)), dtype=self.dtype
                )
            self._params = params
            self._opt = make_optimizer(self.optimizer, self.lr)
            self._set_default_classes()

    def _set_default_classes(self):
        # weights set without fit (init_weights, set_weights, from_keras): the source's labels
        if "classes_" not in self.__dict__:
            self.classes_ = np.array([0, 1])

    def _start_rng(self):
        # A drawn seed is one the constructor accepts: seed=net.seed_ repeats the run.
        seeds = hyperparams.constraint("seed").high + 1
        self.seed_ = (
            self.seed if self.seed is not None else int(np.random.SeedSequence().entropy % seeds)
        )
        self._rng = np.random.default_rng(self.seed_)

    # ------------------------------------------------------------------ input handling

    def _check_x(self, x, name="x"):
        x, kind = v.check_network_input(x, name, self.n_features, self.embedding_dim)
        return self._kernel_form(x, name), kind

    def _kernel_form(self, x, name):
        return batching.kernel_form(x, name, self._engine, self.dense_kernel)

    def _reads_in_place(self, x):
        return batching.reads_in_place(x, self._engine, self.dense_kernel)

    def _batcher(self, x):
        return batching.batcher(x, self._engine, self.dense_kernel, self.dtype)

    def _window(self, n_steps):
        return n_steps if self.bptt_steps is None else min(self.bptt_steps, n_steps)

    # ------------------------------------------------------------------ one update

    def _batch_step(self, batch_size):
        """fit's update ``(x, y) -> (loss, hits)``: plain SGD through the backend's fused step
        where it has one for this batch size, else the generic step."""
        fusable = plain_sgd(self._opt) and self.clip_value is None
        glue = self._engine.fused_sgd_step(batch_size) if fusable else None
        if glue is None:
            return self._train_batch_generic
        return functools.partial(fused_sgd_batch, self, glue)

    def _train_batch_generic(self, x, y):
        # (the loss as rnnfast.network.binary_crossentropy: tests/gui patch it there)
        a = train_batch(self, x, y)
        return binary_crossentropy(a, y), count_hits(a, y)

    def _commit(self, new):
        # One attribute store: an interrupt never leaves a half-updated set of weights.
        self._params = new
        self._opt.commit()

    def training(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """One update on one batch (the source's ``training``); returns the sigmoid output
        (m, 1) computed before the update."""
        x, _ = self._check_x(x)
        y = v.check_labels(y, "y", len(x))
        with self._exclusive("train"):
            if self._params is None:
                self.init_weights(x.shape[2] if x.ndim == 3 else int(x.max()) + 1)
            return train_batch(self, batching.prepare(x, self.dtype), y).reshape(-1, 1)

    def gradients(
        self,
        x: ArrayLike,
        y: ArrayLike,
        *,
        backprop: str = "network",
        bptt_steps: int | str | None = "network",
    ) -> dict[str, np.ndarray]:
        """The batch-mean loss gradients of (x, y) as training computes them, weights
        unchanged: dict keyed by :attr:`param_names`, arrays shaped as the weights.
        ``backprop``/``bptt_steps`` default to the network's own (``"network"``); as in the
        constructor, ``bptt_steps=None`` (or ``"full"``) is full BPTT.  See
        :mod:`rnnfast.diagnostics`."""
        from .diagnostics import gradients

        return gradients(self, x, y, backprop=backprop, bptt_steps=bptt_steps)

    # ------------------------------------------------------------------ fit

    def fit(
        self,
        x: ArrayLike,
        y: ArrayLike,
        epochs: int = 100,
        x_val: ArrayLike | None = None,
        y_val: ArrayLike | None = None,
        *,
        n_features: int | None = None,
        validation_data: tuple[ArrayLike, ArrayLike] | None = None,
        verbose: int | bool | None = None,
        batch_size: int | None = None,
        validation_split: float = 0.0,
        shuffle: bool = True,
        initial_epoch: int = 0,
    ) -> RecurrentNetwork:
        """Train for ``epochs`` passes over (x, y) in shuffled mini-batches; returns self.

        x: dense (m, T, n_features), token ids (m, T) or univariate float sequences (m, T);
        y: (m,) any two labels (``classes_``).  x_val, y_val (the source's) or Keras'
        ``validation_data=(x_val, y_val)``: evaluated after every epoch.  n_features: for
        token ids, the one-hot width (default: largest id in x and x_val + 1).  verbose: 0
        silent, 1 a progress bar, 2 one line per epoch (default: the constructor's).
        ``epochs=0`` builds the weights and trains nothing.  Keras' ``batch_size`` (this fit
        only; default the constructor's), ``validation_split`` (the last fraction of x, y),
        ``shuffle`` and ``initial_epoch`` (``epochs - initial_epoch`` epochs run, numbered
        from ``initial_epoch``).  Starts from fresh weights and history (unless
        ``warm_start``) and appends to ``losses``/``val_losses`` (and the accuracies, see
        ``history``) once per epoch.
        """
        epochs, initial_epoch = fit_args.check_epochs(epochs, initial_epoch)
        batch_size = fit_args.check_batch_size(batch_size, self.batch_size)
        shuffle = fit_args.check_shuffle(shuffle)
        x_val, y_val = v.check_validation_data(validation_data, x_val, y_val)
        split = fit_args.check_validation_split(validation_split, x_val is not None)
        verbose = self.verbose if verbose is None else check_flag("verbose", 2)(verbose)
        if n_features is not None:
            n_features = v.check_int(n_features, "n_features")
        with self._exclusive("fit"):
            continuing = self.warm_start and self._params is not None
            x, y, x_val, y_val, width, classes = v.check_training_data(
                x,
                y,
                x_val,
                y_val,
                self.n_features if continuing else n_features,
                self.embedding_dim,
            )
            if continuing:
                fit_args.check_warm_start(self, n_features, classes)
            else:
                self._rng = None
                self._reset_history()
                if n_features is None and x.ndim == 2:  # the width came from the ids
                    largest = f"the largest token id in x and x_val ({width - 1:,}) + 1"
                    _memory.check(self, width, inferred_from=largest)
                self.init_weights(width)
            if self._rng is None:  # weights set by hand: start the shuffling stream
                self._start_rng()
            self.classes_ = classes
            self.n_features_in_ = x.shape[1]  # scikit-learn's X.shape[1]: the time steps T
            if split:
                x, y, x_val, y_val = fit_args.split_tail(x, y, split)
            x = self._kernel_form(x, "x")
            x_val = None if x_val is None else self._kernel_form(x_val, "x_val")
            run_epochs(
                self,
                x,
                y,
                epochs - initial_epoch,
                x_val,
                y_val,
                verbose,
                batch_size=batch_size,
                shuffle=shuffle,
                initial_epoch=initial_epoch,
            )
        return self
