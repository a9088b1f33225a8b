"""``RecurrentNetwork``: the source's class (section 6.3) on compiled kernels (floor 2).

The constructor holds hyperparameters, ``fit`` learns, fitted state ends in attributes.  This
module owns validation, initialisation, batching, optimisers, callbacks and persistence; the
arithmetic is done by a backend (:mod:`rnnfast.backends`).
"""
import json
import math
import os
import tempfile
import time

import numpy as np

from . import _compiled
from . import _validation as v
from .backends import (EMBEDDING, PARAM_NAMES, CythonBackend, RowBatch, last_state,
                       make_backend)
from .callbacks import Callback, ProgressBar
from .initializers import init_params
from .optimizers import SGD, make_optimizer

try:
    _train = _compiled.train()
except ImportError:     # an older in-place build: fit takes the generic path
    _train = None

#: Rows per chunk in predict/score/hidden_states: bounds memory on large inputs and keeps
#: the recurrent product small enough that BLAS does not wake its threads for every step.
PREDICT_CHUNK = 256

#: Dense input whose fraction of nonzeros is at most this (one-hot: 1 / n_features) is read
#: in place by the zero-skipping kernels instead of being copied for a BLAS product.
SPARSE_DENSITY = 0.1

#: Weights whose global norm exceeds this make squared quantities overflow (the gradient norm,
#: Adam's second moment): such an update counts as divergence and is not applied.
DIVERGENCE_BOUND = 1e150

#: Batches per call of the compiled SGD loop in fit (token ids, no callbacks): the weights and
#: history are published between calls, ~10 ms apart on the source's workload.
COMPILED_CHUNK = 32

_SAVE_FORMAT = "rnnfast-recurrent-network-1"


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss, gradient or weight; the weights of the last good
    step are kept."""


def sigmoid(z):
    z = np.clip(z, -100, None)   # as the reference: keeps np.exp from overflowing
    return 1 / (1 + np.exp(-z))


def binary_crossentropy(a, y):
    """The source's loss: mean BCE with the output clipped to [1e-10, 1 - 1e-10].

    Computed in float64 whatever a's dtype (the source's arithmetic): in float32,
    ``1 - 1e-10`` rounds to 1, so a saturated output would make the loss log(0) = -inf / NaN.
    """
    a = np.clip(np.asarray(a, dtype=np.float64), 1e-10, 1 - 1e-10)
    return float(np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a))))


def _global_norm(grads):
    """The gradients' global norm (a float; not finite exactly when a gradient is not)."""
    return float(np.sqrt(sum(np.vdot(g, g) for g in grads.values())))


def _output_and_loss(z2, y):
    """``a = sigmoid(z2)``, then ``(a - y, binary_crossentropy(a, y), hits)`` with
    :mod:`rnnfast._train`, bit-identical to the NumPy functions: z2 (m,) float32/float64,
    y (m,) float64; ``a - y`` (m,) in z2's dtype.  ``exp`` and ``log`` are NumPy's.  float32
    output (whose loss is computed in float64) and float64 input on which NumPy would warn
    take the NumPy functions, warnings included."""
    m = len(z2)
    if z2.dtype != np.float64:      # float32: the loss is float64 (binary_crossentropy)
        a = sigmoid(z2)
        return ((a - y).astype(z2.dtype), binary_crossentropy(a, y),
                int(np.count_nonzero((a > 0.5) == (y > 0.5))))
    e = np.empty(m, dtype=z2.dtype)
    err = np.empty(m, dtype=z2.dtype)
    logs = np.empty(2 * m, dtype=z2.dtype)
    if _train.sigmoid_prologue(z2, e):
        np.exp(e, out=e)
        hits, ok = _train.output_stats(e, y, err, logs)
        if ok:
            np.log(logs, out=logs)
            return err, _train.bce_mean(logs, y), hits
    a = sigmoid(z2)
    return ((a - y).astype(z2.dtype), binary_crossentropy(a, y),
            int(np.count_nonzero((a > 0.5) == (y > 0.5))))


class RecurrentNetwork:
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
        verbose: print a progress line per epoch to stderr.
        callbacks: list of :class:`rnnfast.Callback`.
        dtype: ``"float64"`` or ``"float32"`` for weights and arithmetic.
        warm_start: if True, ``fit`` continues from the current weights and history.
        embedding_dim: if set (int d), the network has an embedding layer (the source's S3
            model, Keras' ``Embedding(n_features, d)``): input must be token ids (m, T), the
            weights gain ``embedding`` (n_features, d) and ``w1x`` becomes (d, n_cells).

    Input ``x`` is dense ``(m, T, n_features)`` or token ids ``(m, T)``; see docs/API.md.
    """

    def __init__(self, n_cells=10, batch_size=32, learning_rate=0.1, *, backend="cython",
                 bptt_steps=10, backprop="exact", optimizer="sgd", clip_norm=None, seed=None,
                 verbose=False, callbacks=None, dtype="float64", warm_start=False,
                 embedding_dim=None):
        self.n_cells = v.check_int(n_cells, "n_cells")
        self.batch_size = v.check_int(batch_size, "batch_size")
        self.lr = v.check_positive_float(learning_rate, "learning_rate")
        self.backend = v.check_choice(backend, "backend", {"cython", "numpy"})
        self.bptt_steps = v.check_int(bptt_steps, "bptt_steps", allow_none=True)
        self.backprop = v.check_choice(backprop, "backprop", {"exact", "textbook"})
        self.optimizer = v.check_choice(optimizer, "optimizer", {"sgd", "adam"})
        self.clip_norm = v.check_positive_float(clip_norm, "clip_norm", allow_none=True)
        self.seed = None if seed is None else v.check_int(seed, "seed", minimum=0)
        self.verbose = bool(verbose)
        self.callbacks = self._check_callbacks(callbacks)
        self.dtype = np.dtype(v.check_choice(_dtype_name(dtype), "dtype",
                                             {"float64", "float32"}))
        self.warm_start = bool(warm_start)
        self.embedding_dim = v.check_int(embedding_dim, "embedding_dim", allow_none=True)
        self._engine = make_backend(self.backend)
        # "auto" | "blas" | "sparse": how dense input reaches the kernels.  "auto": exactly
        # one-hot input as token ids (_kernel_form), other mostly-zero input read in place with
        # the zero-skipping kernels, the rest through BLAS (_batcher).  Results are equal
        # (bit-identical for one-hot ids vs sparse); benchmarks set it to compare speeds.
        self.dense_kernel = "auto"
        self._params = None
        self._opt = None
        self._rng = None
        self.seed_ = None
        self.stop_training = False
        self._reset_history()

    # ------------------------------------------------------------------ weights as attributes

    @staticmethod
    def _check_callbacks(callbacks):
        if callbacks is None:
            return []
        if isinstance(callbacks, Callback):
            callbacks = [callbacks]
        callbacks = list(callbacks)
        for cb in callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be rnnfast.Callback instances, got "
                                f"{type(cb).__name__}")
        return callbacks

    def _reset_history(self):
        self.losses, self.val_losses = [], []
        self.accuracies, self.val_accuracies = [], []
        self.batch_losses = []
        self.grad_norms = []
        self.last_grad_norms = None

    @property
    def is_fitted(self):
        return self._params is not None

    @property
    def n_features(self):
        if self._params is None:
            return None
        return self._params[EMBEDDING if self.embedding_dim else "w1x"].shape[0]

    @property
    def param_names(self):
        """The weights' names: ``w1h, w1x, b1, w2, b2`` (the source's), plus ``embedding``
        with ``embedding_dim``."""
        return PARAM_NAMES + (EMBEDDING,) if self.embedding_dim else PARAM_NAMES

    def get_weights(self):
        """Copies of the weights: dict ``w1h, w1x, b1, w2, b2`` (and ``embedding``)."""
        self._require_fitted()
        return {n: a.copy() for n, a in self._params.items()}

    def set_weights(self, weights):
        """Replace the weights (dict with the five names, and ``embedding`` with
        ``embedding_dim``); shapes are checked."""
        names = self.param_names
        if not isinstance(weights, dict):
            raise TypeError(f"weights must be a dict of {names}, got "
                            f"{type(weights).__name__}")
        missing = [n for n in names if n not in weights]
        if missing:
            raise ValueError(f"weights is missing {missing}")
        if not self.embedding_dim and EMBEDDING in weights:
            raise ValueError("weights has an 'embedding' but this network has none: create "
                             "it with embedding_dim=d (d = embedding.shape[1])")
        new = {n: np.array(weights[n], dtype=self.dtype, order="C") for n in names}
        nc = new["w1h"].shape[0] if new["w1h"].ndim == 2 else -1
        nf = new["w1x"].shape[0] if new["w1x"].ndim == 2 else -1
        expected = {"w1h": (nc, nc), "w1x": (nf, nc), "b1": (nc,), "w2": (nc, 1), "b2": (1,)}
        if self.embedding_dim:
            emb = new[EMBEDDING]
            n_tokens = emb.shape[0] if emb.ndim == 2 and emb.shape[0] >= 1 else -1
            expected["w1x"] = (self.embedding_dim, nc)
            expected[EMBEDDING] = (n_tokens, self.embedding_dim)
            nf = min(nf, n_tokens)
        for n in names:
            if new[n].shape != expected[n] or nf < 1:
                raise ValueError(f"weights[{n!r}] must have shape {expected[n]}, got "
                                 f"{new[n].shape}")
            if not np.isfinite(new[n]).all():
                raise ValueError(f"weights[{n!r}] must be finite")
        self.n_cells = nc
        self._params = new
        if self._opt is None:       # weights set by hand (e.g. from_keras): ready to train
            self._opt = make_optimizer(self.optimizer, self.lr)

    def _param(name):
        def get(self):
            return None if self._params is None else self._params.get(name)

        def set_(self, value):
            self._require_fitted()
            weights = dict(self._params)
            weights[name] = value
            self.set_weights(weights)
        return property(get, set_, doc=f"The weight ``{name}`` (see the source).")

    w1h = _param("w1h")
    w1x = _param("w1x")
    b1 = _param("b1")
    w2 = _param("w2")
    b2 = _param("b2")
    embedding = _param(EMBEDDING)   # (n_features, embedding_dim); None without embedding_dim
    del _param

    def init_weights(self, n_features, n_classes=1):
        """The source's initialisation: orthogonal w1h, Glorot-uniform w1x and w2, zero biases;
        with ``embedding_dim``, ``embedding`` is uniform in [-0.05, 0.05] (Keras' Embedding)."""
        n_features = v.check_int(n_features, "n_features")
        if n_classes != 1:
            raise ValueError(f"n_classes must be 1 (one sigmoid output), got {n_classes}")
        if self._rng is None:
            self._start_rng()
        d = self.embedding_dim
        params = init_params(self._rng, d or n_features, self.n_cells, 1, self.dtype)
        if d:
            params[EMBEDDING] = np.ascontiguousarray(
                self._rng.uniform(-0.05, 0.05, (n_features, d)), dtype=self.dtype)
        self._params = params
        self._opt = make_optimizer(self.optimizer, self.lr)

    def _start_rng(self):
        self.seed_ = self.seed if self.seed is not None else int(
            np.random.SeedSequence().entropy % (2**63))
        self._rng = np.random.default_rng(self.seed_)

    def _require_fitted(self):
        if self._params is None:
            raise RuntimeError("this RecurrentNetwork has no weights yet: call fit() (or "
                               "init_weights()) first")

    # ------------------------------------------------------------------ input handling

    def _check_x(self, x, name="x"):
        x, kind = self._check_kind(v.check_sequences(x, name, n_features=self.n_features,
                                                     finite=False), name)
        return self._kernel_form(x, name), kind

    def _check_kind(self, checked, name):
        """With an embedding layer only token ids make sense (the layer looks rows up)."""
        if self.embedding_dim and checked[1] != "ids":
            x = checked[0]
            raise ValueError(f"{name} must be integer token ids (m, T) for a network with an "
                             f"embedding layer (embedding_dim={self.embedding_dim}), got "
                             f"dense input of shape {x.shape} and dtype {x.dtype}")
        return checked

    def _prepare(self, x):
        """A contiguous batch in the network's dtype (dense) or int32/int64 (ids)."""
        if x.ndim == 3:
            return np.ascontiguousarray(x, dtype=self.dtype)
        return np.ascontiguousarray(x)

    def _kernel_form(self, x, name):
        """The array the backend reads, after the last check of dense input.

        The compiled backend reads exactly one-hot input (every step a single 1, the rest 0:
        ``to_categorical``'s output) as the token ids it encodes: ``1 * w = w`` exactly, so the
        results are bit-identical and the one-hot array is not read again.  Finding that out
        is one pass over x that also proves it finite; other dense input is scanned for
        NaN/inf here.
        """
        if (x.ndim == 3 and self.backend == "cython" and self.dense_kernel == "auto"
                and x.flags.c_contiguous and x.dtype in (np.float32, np.float64)):
            _kernels = _compiled.kernels()
            ids = np.empty(x.shape[:2], dtype=np.int32)
            if _kernels.one_hot_ids(x, ids):
                return ids
        v.check_finite(x, name)
        return x

    def _batcher(self, x):
        """``rows -> batch`` for the backend.  Mostly-zero dense input (the source's one-hot)
        is not copied: the compiled kernels read ``x[rows]`` in place and skip the zeros."""
        if self._reads_in_place(x):
            return lambda rows: RowBatch(x, rows.astype(np.int64, copy=False))
        # take: the same rows as x[rows], ~2x faster for a batch of a large array
        return lambda rows: self._prepare(x.take(rows, axis=0))

    def _reads_in_place(self, x):
        if self.backend != "cython" or x.ndim != 3 or self.dense_kernel == "blas":
            return False
        if not x.flags.c_contiguous or x.dtype not in (np.float32, np.float64):
            return False
        if self.dense_kernel == "sparse":
            return True
        sample = x[:64]
        return np.count_nonzero(sample) <= SPARSE_DENSITY * sample.size

    def _window(self, n_steps):
        return n_steps if self.bptt_steps is None else min(self.bptt_steps, n_steps)

    # ------------------------------------------------------------------ one update

    def _train_batch(self, x, y):
        """Forward, backward and one optimiser step on a prepared batch; returns a (m,)."""
        params = self._params
        z2, hs = self._engine.forward(x, params, keep_states=True)
        a = sigmoid(z2)
        k = self._window(x.shape[1])
        # Adam on an embedding needs the per-occurrence squared gradients Keras uses.
        squares = bool(self.embedding_dim) and self.optimizer == "adam"
        grads, norms, *sq = self._engine.backward(x, hs, a - y, params, k,
                                                  self.backprop == "textbook", squares=squares)
        sq = sq[0] if sq else None
        # One sum of squares serves the clipping and the divergence check: it is finite
        # exactly when every gradient is.
        total = _global_norm(grads)
        self._check_gradients(total)
        if self.clip_norm is not None and total > self.clip_norm:
            scale = self.clip_norm / total
            grads = {n: g * scale for n, g in grads.items()}
            sq = sq and {n: s * scale ** 2 for n, s in sq.items()}
        new = self._opt.step(params, grads, sq)
        self._check_weights(sum(float(np.vdot(w, w)) for w in new.values()))
        self._commit(new)
        self.last_grad_norms = np.array(norms, dtype=np.float64)
        return a

    def _train_batch_sgd(self, x, y):
        """``_train_batch`` plus the batch's loss and hits, for the compiled backend and SGD:
        the same arithmetic (bit for bit) with the NumPy glue replaced by :mod:`rnnfast._train`
        (whose divergence sums differ from BLAS' only by rounding, at the bounds).
        x: prepared batch (m, ...); y (m,) float64.  Returns ``(loss, hits)``."""
        params = self._params
        z2, hs = self._engine.forward(x, params, keep_states=True)
        err, loss, hits = _output_and_loss(z2, y)
        grads, norms = self._engine.backward(x, hs, err, params, self._window(x.shape[1]),
                                             self.backprop == "textbook")
        scale = 1.0      # exact: w - lr * (g * 1) is w - lr * g
        if self.clip_norm is not None:
            # The clipping factor from the generic path's norm (BLAS' summation order), so
            # that clipped steps are bit-identical too.
            total = _global_norm(grads)
            self._check_gradients(total)
            if total > self.clip_norm:
                scale = self.clip_norm / total
        new, grad_sq, weight_sq = _train.sgd_step(params, grads, self._opt.learning_rate,
                                                  scale)
        # Checked in the generic order; the new arrays of a failed step are dropped.
        if self.clip_norm is None:
            self._check_gradients(grad_sq)
        self._check_weights(weight_sq)
        self._commit(new)
        self.last_grad_norms = np.array(norms, dtype=np.float64)
        return loss, hits

    def _train_batch_generic(self, x, y):
        """``_train_batch`` plus the batch's loss and hits (see _train_batch_sgd)."""
        a = self._train_batch(x, y)
        return binary_crossentropy(a, y), int(np.count_nonzero((a > 0.5) == (y > 0.5)))

    def _batch_step(self, batch_size):
        """The update ``(x, y) -> (loss, hits)`` of fit: the compiled glue where it applies
        (compiled backend, plain SGD, batches NumPy sums pairwise in one go)."""
        if (_train is not None and isinstance(self._engine, CythonBackend)
                and type(self._opt) is SGD and batch_size <= _train.PAIRWISE_MAX):
            return self._train_batch_sgd
        return self._train_batch_generic

    def _compiled_epoch_applies(self, x):
        """Whether fit's full batches can run in one compiled loop (``sgd_epoch_ids``): the
        compiled backend, plain SGD without clipping, token ids, no embedding layer (and,
        in _run_epoch, no callback to call between batches)."""
        return (isinstance(self._engine, CythonBackend) and type(self._opt) is SGD
                and self.clip_norm is None and not self.embedding_dim and x.ndim == 2
                and x.dtype in (np.int32, np.int64) and x.flags.c_contiguous
                and len(x) >= self.batch_size)

    def _compiled_batches(self, x, y, order, losses):
        """Run the epoch's full batches in chunks of COMPILED_CHUNK through
        ``_kernels.sgd_epoch_ids`` on private copies of the weights, publishing a new set of
        weights and the batches' history after every chunk (so a ``predict`` from another
        thread and an interrupt both see a consistent state).  Appends the batch losses to
        ``losses``; returns (batches done, hits, summed per-step norms)."""
        _kernels = _compiled.kernels()
        bs, (n, n_steps) = self.batch_size, x.shape
        k = self._window(n_steps)
        work = {name: w.copy() for name, w in self._params.items()}
        nc, dtype = work["w1h"].shape[0], self.dtype
        y = np.ascontiguousarray(y, dtype=np.float64)
        order = np.ascontiguousarray(order, dtype=np.int64)
        buffers = (np.empty((bs, n_steps), dtype=x.dtype), np.empty(bs),
                   np.zeros((n_steps + 1, bs, nc), dtype=dtype),     # hs[0]: the zero state
                   np.empty(bs, dtype=dtype), np.empty(bs, dtype=dtype),
                   *(np.empty_like(work[name]) for name in PARAM_NAMES),
                   np.empty((k, bs, nc), dtype=dtype), np.empty(k))
        n_full = n // bs
        chunk_losses = np.empty(COMPILED_CHUNK)
        chunk_hits = np.empty(COMPILED_CHUNK, dtype=np.int64)
        norm_rows = np.empty((n_full, k))
        done = hits = 0
        while done < n_full:
            count = min(COMPILED_CHUNK, n_full - done)
            ran, status = _kernels.sgd_epoch_ids(
                x, y, order, done, count, *(work[name] for name in PARAM_NAMES), self.lr, k,
                self.backprop == "textbook", DIVERGENCE_BOUND ** 2, *buffers,
                chunk_losses, chunk_hits, norm_rows[done:])
            if ran:
                self._commit({name: w.copy() for name, w in work.items()})
                batch_losses = chunk_losses[:ran].tolist()
                losses.extend(batch_losses)
                self.batch_losses.extend(batch_losses)
                hits += int(chunk_hits[:ran].sum())
                done += ran
                self.last_grad_norms = norm_rows[done - 1].copy()
            if status == 1:
                self._check_gradients(float("inf"))
            if status == 2:
                self._check_weights(float("inf"))
        # the sequential sum of _run_epoch's `norms += ...`
        return done, hits, np.cumsum(norm_rows, axis=0)[-1]

    def _check_gradients(self, total):
        """total: the gradients' global norm or its square (finite exactly when the
        gradients are)."""
        if not math.isfinite(total):
            raise DivergenceError(
                "training diverged: the gradients are not finite (learning_rate "
                f"{self.lr} may be too large; set clip_norm to bound the step). The weights "
                "of the last good step are kept.")

    def _check_weights(self, sum_sq):
        """sum_sq: the new weights' sum of squares.  ``not s <= bound**2`` is also true for
        NaN and inf, so one comparison checks everything."""
        if not sum_sq <= DIVERGENCE_BOUND ** 2:
            raise DivergenceError(
                f"training diverged: the update drove the weights' norm beyond "
                f"{DIVERGENCE_BOUND:g} or to inf/NaN (learning_rate {self.lr} is too large; "
                "set clip_norm to bound the step). The weights of the last good step are kept.")

    def _commit(self, new):
        # One attribute store: an interrupt never leaves a half-updated set of weights.
        self._params = new
        self._opt.commit()

    def training(self, x, y):
        """One update on one batch (the source's ``training``); returns the sigmoid output
        (m, 1) computed before the update."""
        x, _ = self._check_x(x)
        y = v.check_labels(y, "y", len(x))
        if self._params is None:
            self.init_weights(x.shape[2] if x.ndim == 3 else int(x.max()) + 1)
        return self._train_batch(self._prepare(x), y).reshape(-1, 1)

    # ------------------------------------------------------------------ fit

    def fit(self, x, y, epochs=100, x_val=None, y_val=None, *, n_features=None):
        """Train for ``epochs`` passes over (x, y) in shuffled mini-batches.

        x: dense (m, T, n_features) or token ids (m, T); y: (m,) or (m, 1) in {0, 1}.
        n_features: for token ids, the one-hot width (default: largest id in x and x_val + 1).
        Starts from fresh weights and history (unless ``warm_start``) and appends to
        ``losses``/``val_losses`` (and the accuracies) once per epoch.  Returns self.
        """
        epochs = v.check_int(epochs, "epochs")
        continuing = self.warm_start and self._params is not None
        if n_features is not None:
            n_features = v.check_int(n_features, "n_features")
        x, kind = self._check_kind(v.check_sequences(
            x, "x", n_features=self.n_features if continuing else n_features, finite=False),
            "x")
        y = v.check_labels(y, "y", len(x))
        if (x_val is None) != (y_val is None):
            raise ValueError("x_val and y_val must be given together, got "
                             f"x_val={'None' if x_val is None else 'array'} and "
                             f"y_val={'None' if y_val is None else 'array'}")
        # The one-hot width: fixed by the weights, by dense x, by the keyword, or else by
        # the largest token id in x and x_val.  Each array is scanned once.
        width = self.n_features if continuing else (
            x.shape[2] if kind == "dense" else n_features)
        if x_val is not None:
            x_val, kind_val = v.check_sequences(x_val, "x_val", n_features=width,
                                                 finite=False)
            if kind_val != kind:
                raise ValueError(f"x_val must be the same kind of input as x ({kind}), "
                                 f"got {kind_val}")
            y_val = v.check_labels(y_val, "y_val", len(x_val))
        if not continuing:
            if width is None:
                width = int(max(x.max(), -1 if x_val is None else x_val.max())) + 1
            self._rng = None
            self._reset_history()
            self.init_weights(width)
        elif self._rng is None:     # weights set by hand: start the shuffling stream
            self._start_rng()
        x = self._kernel_form(x, "x")
        x_val = None if x_val is None else self._kernel_form(x_val, "x_val")
        self._run_epochs(x, y, epochs, x_val, y_val)
        return self

    def _run_epochs(self, x, y, epochs, x_val, y_val):
        callbacks = list(self.callbacks)
        if self.verbose:
            callbacks.append(ProgressBar())
        n = len(x)
        n_batches = -(-n // self.batch_size)
        start = time.perf_counter()
        self.stop_training = False
        epochs_run = 0
        if _notify(callbacks, "on_train_begin", self,
                   {"epochs": epochs, "n_batches": n_batches, "n_samples": n}):
            self.stop_training = True
        try:
            for epoch in range(epochs):
                if self.stop_training:      # asked to stop before training began
                    break
                self._run_epoch(x, y, epoch, n_batches, start, callbacks)
                epochs_run += 1
                if self.stop_training:
                    break
                info = self._end_epoch(x_val, y_val, epoch, start)
                if _notify(callbacks, "on_epoch_end", self, info):
                    self.stop_training = True
                if self.stop_training:
                    break
        finally:
            _notify(callbacks, "on_train_end", self,
                    {"epochs_run": epochs_run, "elapsed": time.perf_counter() - start,
                     "stopped": self.stop_training})

    def _run_epoch(self, x, y, epoch, n_batches, start, callbacks):
        order = self._rng.permutation(len(x))
        batch = self._batcher(x)
        bs = self.batch_size
        step = self._batch_step(bs)
        losses, hits, norms, seen = [], 0, None, 0
        first = 0
        if not callbacks and self._compiled_epoch_applies(x):
            first, hits, norms = self._compiled_batches(x, y, order, losses)
            seen = first * bs
        for b in range(first, n_batches):
            idx = order[b * bs:(b + 1) * bs]
            yb = y.take(idx)
            loss, hit = step(batch(idx), yb)
            losses.append(loss)
            self.batch_losses.append(loss)
            hits += hit
            seen += len(idx)
            if norms is None:
                norms = self.last_grad_norms.copy()
            else:
                norms += self.last_grad_norms
            if callbacks:     # the payload is built only when somebody listens
                elapsed = time.perf_counter() - start
                info = {"epoch": epoch, "batch": b, "n_batches": n_batches, "loss": loss,
                        "accuracy": hit / len(idx), "batch_size": len(idx),
                        "grad_norms": self.last_grad_norms.copy(),
                        "samples_seen": seen, "elapsed": elapsed,
                        "samples_per_second": (epoch * len(x) + seen) / max(elapsed, 1e-9)}
                if _notify(callbacks, "on_batch_end", self, info):
                    self.stop_training = True
            if self.stop_training:
                break
        self.losses.append(float(np.mean(losses)))
        self.accuracies.append(hits / seen)
        self.grad_norms.append(norms / len(losses))

    def _end_epoch(self, x_val, y_val, epoch, start):
        val_loss = val_acc = None
        if x_val is not None:
            a = self._proba(x_val)
            val_loss = binary_crossentropy(a, y_val)
            val_acc = float(np.mean((a > 0.5) == (y_val > 0.5)))
            self.val_losses.append(val_loss)
            self.val_accuracies.append(val_acc)
        return {"epoch": epoch, "loss": self.losses[-1], "accuracy": self.accuracies[-1],
                "val_loss": val_loss, "val_accuracy": val_acc,
                "grad_norms": self.grad_norms[-1].copy(),
                "elapsed": time.perf_counter() - start}

    # ------------------------------------------------------------------ inference

    def _chunks(self, x):
        """``(start, batch)`` over x in chunks of PREDICT_CHUNK rows."""
        batch = self._batcher(x)
        for s in range(0, len(x), PREDICT_CHUNK):
            yield s, batch(np.arange(s, min(s + PREDICT_CHUNK, len(x))))

    def _logits(self, x):
        """z2 (m,) for a checked x."""
        out = np.empty(len(x), dtype=np.float64)
        for s, chunk in self._chunks(x):
            z2, _ = self._engine.forward(chunk, self._params, keep_states=False)
            out[s:s + len(chunk)] = z2
        return out

    def _proba(self, x):
        return sigmoid(self._logits(x))

    def forpass(self, x):
        """The source's ``forpass``: the output layer's logit z2 (m, 1)."""
        self._require_fitted()
        x, _ = self._check_x(x)
        return self._logits(x).reshape(-1, 1)

    def predict(self, x):
        """(m, 1) bool: z2 > 0, as the source."""
        return self.forpass(x) > 0

    def predict_proba(self, x):
        """(m, 1) float: sigmoid(z2), the probability of class 1."""
        return sigmoid(self.forpass(x))

    def score(self, x, y):
        """Accuracy: the fraction of predictions equal to y."""
        pred = self.predict(x)
        y = v.check_labels(y, "y", len(pred))
        return float(np.mean(pred[:, 0] == (y > 0.5)))

    def hidden_states(self, x):
        """Hidden state of every step: (m, T, n_cells), ``[:, t]`` = h_t."""
        self._require_fitted()
        x, _ = self._check_x(x)
        out = np.empty((x.shape[0], x.shape[1], self.n_cells), dtype=self.dtype)
        for s, chunk in self._chunks(x):
            _, hs = self._engine.forward(chunk, self._params, keep_states=True)
            out[s:s + len(chunk)] = np.swapaxes(hs[1:], 0, 1)
        return out

    def update_val_loss(self, x_val, y_val):
        """The source's method: append the validation loss of the current weights."""
        self._require_fitted()
        x_val, _ = self._check_x(x_val, "x_val")
        y_val = v.check_labels(y_val, "y_val", len(x_val))
        self.val_losses.append(binary_crossentropy(self._proba(x_val), y_val))

    def last_hidden_state(self, x):
        """h_T (m, n_cells) without storing the other steps."""
        self._require_fitted()
        x, _ = self._check_x(x)
        out = np.empty((len(x), self.n_cells), dtype=self.dtype)
        for s, chunk in self._chunks(x):
            _, hs = self._engine.forward(chunk, self._params, keep_states=False)
            out[s:s + len(chunk)] = last_state(hs, x.shape[1])
        return out

    # ------------------------------------------------------------------ persistence

    def get_config(self):
        """The constructor's hyperparameters (callbacks excluded)."""
        return {"n_cells": self.n_cells, "batch_size": self.batch_size,
                "learning_rate": self.lr, "backend": self.backend,
                "bptt_steps": self.bptt_steps, "backprop": self.backprop,
                "optimizer": self.optimizer, "clip_norm": self.clip_norm, "seed": self.seed,
                "dtype": str(self.dtype), "warm_start": self.warm_start,
                "embedding_dim": self.embedding_dim}

    def _history(self):
        return {"losses": self.losses, "val_losses": self.val_losses,
                "accuracies": self.accuracies, "val_accuracies": self.val_accuracies,
                "batch_losses": self.batch_losses,
                "grad_norms": [g.tolist() for g in self.grad_norms]}

    def save(self, path):
        """Write hyperparameters, weights, optimiser state and history to an ``.npz`` file.

        Atomic: the file is written under a temporary name and renamed, so an interrupted save
        never leaves a broken file.  Returns the path written (``.npz`` appended if missing).
        """
        self._require_fitted()
        path = os.fspath(path)
        if not path.endswith(".npz"):
            path += ".npz"
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise FileNotFoundError(f"path: folder {folder!r} does not exist")
        arrays = {n: self._params[n] for n in self.param_names}
        arrays.update({"opt_" + k: a for k, a in self._opt.state_dict().items()})
        meta = {"format": _SAVE_FORMAT, "config": self.get_config(), "seed_": self.seed_,
                "rng_state": None if self._rng is None else self._rng.bit_generator.state,
                "history": self._history()}
        arrays["meta"] = np.array(json.dumps(meta))
        try:
            fd, tmp = tempfile.mkstemp(prefix=".rnnfast-", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise OSError(f"path: cannot write to {folder!r}: {exc}") from exc
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return path

    @classmethod
    def load(cls, path, **overrides):
        """Read a network written by :meth:`save`; keyword overrides replace saved settings
        (e.g. ``backend="numpy"``, ``callbacks=[...]``)."""
        path = os.fspath(path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"path: no such file {path!r}")
        try:
            with np.load(path, allow_pickle=False) as f:
                data = {k: f[k] for k in f.files}
            meta = json.loads(str(data.pop("meta")))
        except Exception as exc:   # corrupt zip, truncated file, wrong content
            raise ValueError(f"path: {path!r} is not a readable rnnfast model file "
                             f"({type(exc).__name__}: {exc})") from None
        if not isinstance(meta, dict) or meta.get("format") != _SAVE_FORMAT:
            raise ValueError(f"path: {path!r} is not an rnnfast model file (format "
                             f"{meta.get('format') if isinstance(meta, dict) else None!r})")
        config = dict(meta["config"])
        config.update(overrides)
        net = cls(**config)
        missing = [n for n in net.param_names if n not in data]
        if missing:
            raise ValueError(f"path: {path!r} lacks the weights {missing}")
        net.set_weights({n: data[n] for n in net.param_names})
        net._opt = make_optimizer(net.optimizer, net.lr)
        net._opt.load_state_dict({k[4:]: a for k, a in data.items() if k.startswith("opt_")})
        net.seed_ = meta.get("seed_")
        if net.seed_ is not None:
            # The shuffling stream continues where it stopped: a saved and reloaded
            # warm_start network trains on exactly as the original would have.
            net._rng = np.random.default_rng(net.seed_)
            if meta.get("rng_state") is not None:
                net._rng.bit_generator.state = meta["rng_state"]
        hist = meta["history"]
        net.losses, net.val_losses = list(hist["losses"]), list(hist["val_losses"])
        net.accuracies = list(hist["accuracies"])
        net.val_accuracies = list(hist["val_accuracies"])
        net.batch_losses = list(hist["batch_losses"])
        net.grad_norms = [np.array(g) for g in hist["grad_norms"]]
        return net

    # ------------------------------------------------------------------ Keras

    def to_keras(self, **kwargs):
        """An equivalent Keras model holding copies of the weights (TensorFlow is imported
        now); see :func:`rnnfast.keras.to_keras` for ``n_steps``, ``dtype``, ``compile``."""
        from .keras import to_keras
        return to_keras(self, **kwargs)

    @classmethod
    def from_keras(cls, model, **kwargs):
        """A network holding copies of a Keras ``[Embedding,] SimpleRNN, Dense(1)`` model's
        weights; keywords are the constructor's (see :func:`rnnfast.keras.from_keras`)."""
        from .keras import from_keras
        return from_keras(model, network_class=cls, **kwargs)

    def __repr__(self):
        cfg = ", ".join(f"{k}={val!r}" for k, val in self.get_config().items())
        return f"RecurrentNetwork({cfg})"


def _dtype_name(dtype):
    try:
        return np.dtype(dtype).name
    except TypeError:
        return repr(dtype)


def _notify(callbacks, event, network, info):
    """Call ``event`` on every callback; True if any asked to stop."""
    stop = False
    for cb in callbacks:
        if getattr(cb, event)(network, info):
            stop = True
    return stop
