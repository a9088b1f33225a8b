"""The two engines behind :class:`rnnfast.RecurrentNetwork`: compiled kernels and the NumPy
reference.  Both take checked, contiguous inputs and the weights as a dict
(``w1h, w1x, b1, w2, b2``) and answer the same two questions:

* ``forward(x, params, keep_states)`` -> ``(z2 (m,), hs)``; ``hs`` is ``(T + 1, m, n_cells)``
  (``hs[0]`` the zero state, ``hs[t + 1] = h_t``) when ``keep_states``; otherwise it may be a
  ring of two states: read the last one with ``last_state(hs, T)``.
* ``backward(x, hs, err, params, k, textbook, squares=False)`` -> ``(grads, grad_norms)`` with
  grads a dict of the gradients of the batch-mean loss (one per weight of ``params``) and
  grad_norms ``(k,)``; with ``squares=True`` a third item, the sparse-gradient second moments
  Keras' Adam uses (``{"embedding": ...}``, empty without an embedding; see
  :func:`embedding_backward`).

``x`` is a prepared batch: token ids (m, T) int32/int64, dense (m, T, nf) in the weights'
dtype, or a :class:`RowBatch` (dense input that is mostly zeros, read in place).

With an embedding (``params`` also holds ``embedding`` (nf, d) and ``w1x`` is (d, n_cells);
token ids only), neither engine needs anything new: the projected table
``P = embedding @ w1x`` (nf, n_cells) is exactly the ``w1x`` of a one-hot network
(row t of ``embedding[ids] @ w1x`` is ``P[ids]``), so the forward pass is the token-id forward
with ``w1x := P``, its ``w1x`` gradient is ``dL/dP`` (the scatter-add), and the chain rule gives
``dL/dembedding = dL/dP @ w1x.T`` and ``dL/dw1x = embedding.T @ dL/dP``.
Returned arrays may be buffers the backend reuses on its next call: copy what you keep.

A backend says, when asked, what it can do faster than the generic path (None/False: it
cannot; the network then takes the generic path, with the same numbers):

* ``one_hot_ids(x)``: the token ids (m, T) int32 that an exactly one-hot dense x encodes;
* ``reads_rows_in_place``: True if ``forward``/``backward`` read a :class:`RowBatch` in place;
* ``fused_sgd_step(batch_size)``: the compiled glue of one plain-SGD update (output, loss and
  update, :func:`rnnfast.training.fused_sgd_batch`);
* ``fused_sgd_epoch(x, params, batch_size, k, textbook)``: the full batches of a plain-SGD
  epoch over token ids in one compiled loop (:func:`rnnfast.training.fused_batches`).
"""

import threading
from typing import NamedTuple

import numpy as np

from . import _compiled
from .reference import NumpyRecurrentNetwork

PARAM_NAMES = ("w1h", "w1x", "b1", "w2", "b2")

#: The extra weight of a network with an embedding layer (``embedding_dim``).
EMBEDDING = "embedding"


def param_names(params):
    """The weight names of ``params``: :data:`PARAM_NAMES`, plus ``embedding`` when present."""
    return PARAM_NAMES + (EMBEDDING,) if EMBEDDING in params else PARAM_NAMES


def kernel_params(params):
    """The five weights the kernels see.  With an embedding, ``w1x`` is the projected table
    ``embedding @ w1x`` (nf, n_cells); without one, ``params`` itself."""
    if EMBEDDING not in params:
        return params
    kp = {n: params[n] for n in PARAM_NAMES}
    kp["w1x"] = np.ascontiguousarray(params[EMBEDDING] @ params["w1x"])
    return kp


def embedding_backward(kernel_backward, ids, hs, err, params, k, textbook, squares):
    """``backward`` of a network with an embedding, on top of a backend's token-id backward
    ``kernel_backward(ids, hs, err, kernel_params, k, textbook) -> (grads, norms)``.

    Plain (``squares=False``): the kernels' ``w1x`` slot is ``dL/dP`` (nf, n_cells), then
    ``dL/dembedding = dL/dP @ w1x.T`` and ``dL/dw1x = embedding.T @ dL/dP``.

    ``squares=True`` also returns ``{"embedding": S}`` with S (nf, d) the sum over the batch's
    token occurrences of each occurrence's squared embedding gradient.  This is what Keras'
    Adam puts in its second moment: the embedding gradient reaches it as ``tf.IndexedSlices``
    (one row per occurrence, repeated ids not summed), ``ops.square`` squares those rows and
    only then are they summed into the dense moment.  The kernels give the occurrence rows
    without a change: every position (i, t) is made a token of its own (ids ``arange(m T)``,
    table ``P[ids]``; the forward states are the same), so the ``w1x`` slot holds
    ``dL/dP`` per occurrence, (m T, n_cells).
    """
    kp = kernel_params(params)
    if not squares:
        grads, norms = kernel_backward(ids, hs, err, kp, k, textbook)
        d_p = grads["w1x"]
        out = {n: grads[n] for n in PARAM_NAMES}
        out["w1x"] = params[EMBEDDING].T @ d_p
        out[EMBEDDING] = d_p @ params["w1x"].T
        return out, norms
    m, n_steps = ids.shape
    flat = ids.reshape(-1)
    positions = np.arange(m * n_steps, dtype=ids.dtype).reshape(m, n_steps)
    kp["w1x"] = np.ascontiguousarray(kp["w1x"][flat])
    grads, norms = kernel_backward(positions, hs, err, kp, k, textbook)
    d_occ = grads["w1x"]  # dL/dP per occurrence
    emb, w1x = params[EMBEDDING], params["w1x"]
    nc = d_occ.shape[1]
    # Columns per occurrence: dL/dP, then the square of dL/dembedding = dL/dP @ w1x.T.
    occ = np.empty((flat.size, nc + emb.shape[1]), dtype=d_occ.dtype)
    occ[:, :nc] = d_occ
    g_occ = d_occ @ w1x.T  # (not into the strided view: matmul would leave BLAS)
    np.multiply(g_occ, g_occ, out=occ[:, nc:])
    # Both scatter-adds by token id as one product with the one-hot (nf, m T) matrix in CSC
    # form (column j holds a single 1, in row ids[j]): built without sorting, and its product
    # with a dense matrix is a plain scatter-add loop.
    from scipy import sparse

    scatter = sparse.csc_matrix(
        (np.ones(flat.size, dtype=d_occ.dtype), flat, np.arange(flat.size + 1)),
        shape=(emb.shape[0], flat.size),
    )
    sums = scatter @ occ
    d_p = sums[:, :nc]
    out = {n: grads[n] for n in PARAM_NAMES}
    out["w1x"] = emb.T @ d_p
    out[EMBEDDING] = d_p @ w1x.T
    return out, norms, {EMBEDDING: np.ascontiguousarray(sums[:, nc:])}


class RowBatch(NamedTuple):
    """The batch ``source[rows]`` of a mostly-zero dense input (e.g. the source's one-hot),
    left in place: source (n, T, nf) C-contiguous float32/float64, rows (m,) int64."""

    source: np.ndarray
    rows: np.ndarray

    @property
    def shape(self):
        return (len(self.rows),) + self.source.shape[1:]

    @property
    def ndim(self):
        return 3

    def __len__(self):
        return len(self.rows)

    def materialize(self):
        return self.source[self.rows]


def last_state(hs, n_steps):
    """h_T from a state buffer of ``forward``: ``hs[T % S]`` for S = len(hs) (2 or T + 1)."""
    return hs[n_steps % hs.shape[0]]


class _Backend:
    """What both engines share: the embedding layer is the chain rule around ``_backward``,
    and the answers "cannot" to the questions of fusing (the module docstring)."""

    reads_rows_in_place = False

    def one_hot_ids(self, x):
        return None

    def fused_sgd_step(self, batch_size):
        return None

    def fused_sgd_epoch(self, x, params, batch_size, k, textbook):
        return None

    def backward(self, x, hs, err, params, k, textbook, squares=False):
        if EMBEDDING in params:
            return embedding_backward(self._backward, x, hs, err, params, k, textbook, squares)
        out = self._backward(x, hs, err, params, k, textbook)
        return out + ({},) if squares else out


class CythonBackend(_Backend):
    """Compiled kernels (:mod:`rnnfast._kernels`).

    Work buffers are cached per thread and per shape: training batches, the last short batch
    and inference chunks each keep their own, and a ``predict`` from another thread (the app's
    window while its worker trains) never writes into the buffers a training step is using.
    """

    name = "cython"
    reads_rows_in_place = True
    #: Buffers kept per thread before the cache is emptied (bounds memory for odd shapes).
    MAX_BUFFERS = 64

    def __init__(self):
        self._k = _compiled.kernels()  # a missing build: one line saying what to run
        try:
            self._train = _compiled.train()
        except ImportError:  # an older in-place build: fit takes the generic path
            self._train = None
        self._local = threading.local()

    def one_hot_ids(self, x):
        """The token ids of an exactly one-hot x (every step a single 1, the rest 0:
        ``to_categorical``'s output), or None.  ``1 * w = w`` exactly, so results on the ids
        are bit-identical; the one pass over x that finds out also proves it finite."""
        if x.ndim != 3 or not x.flags.c_contiguous or x.dtype not in (np.float32, np.float64):
            return None
        ids = np.empty(x.shape[:2], dtype=np.int32)
        return ids if self._k.one_hot_ids(x, ids) else None

    def fused_sgd_step(self, batch_size):
        """:mod:`rnnfast._train` (``sigmoid_prologue``, ``output_stats``, ``bce_mean``,
        ``sgd_step``) for batches NumPy sums pairwise in one go; else None."""
        train = self._train
        return train if train is not None and batch_size <= train.PAIRWISE_MAX else None

    def fused_sgd_epoch(self, x, params, batch_size, k, textbook):
        """A :class:`SGDEpochIds` for C-contiguous int32/int64 token ids of at least one full
        batch and no embedding layer; else None."""
        if (
            EMBEDDING in params
            or x.ndim != 2
            or x.dtype not in (np.int32, np.int64)
            or not x.flags.c_contiguous
            or len(x) < batch_size
        ):
            return None
        return SGDEpochIds(self._k, x, params, batch_size, k, textbook)

    def _buffers(self, key, make):
        """This thread's buffers for ``key`` (a tuple of shapes and dtype), ``make()`` on first
        use.  One dictionary look-up per call: the buffers of a call come as one tuple."""
        cache = getattr(self._local, "buffers", None)
        if cache is None:
            cache = self._local.buffers = {}
        bufs = cache.get(key)
        if bufs is None:
            if len(cache) >= self.MAX_BUFFERS:
                cache.clear()
            bufs = cache[key] = make()
        return bufs

    def forward(self, x, params, keep_states=True):
        params = kernel_params(params)
        w1h = params["w1h"]
        m, T = x.shape[0], x.shape[1]
        nc, dtype = w1h.shape[0], w1h.dtype
        kind = "sparse" if isinstance(x, RowBatch) else "dense" if x.ndim == 3 else "ids"

        def make():
            # hs (S, m, nc) starts at zero: hs[0] is the initial state (the kernels read it)
            hs = np.zeros((T + 1 if keep_states else 2, m, nc), dtype=dtype)
            xw = np.empty((m, T, nc), dtype=dtype) if kind == "dense" else None
            return hs, np.empty(m, dtype=dtype), xw

        hs, z2, xw = self._buffers(("forward", kind, m, T, nc, dtype, keep_states), make)
        if not keep_states:
            # The ring's slot 0 holds a state of the last call; with every state kept the
            # kernels write hs[1:] only, so hs[0] stays zero.
            hs[0] = 0
        w1x, b1, w2, b2 = params["w1x"], params["b1"], params["w2"], params["b2"]
        if kind == "sparse":
            self._k.forward_sparse(x.source, x.rows, w1x, w1h, b1, w2, b2, hs, z2)
        elif kind == "dense":
            self._k.forward_dense(x, w1x, w1h, b1, w2, b2, xw, hs, z2)
        else:
            self._k.forward_ids(x, w1x, w1h, b1, w2, b2, hs, z2)
        return z2, hs

    def _backward(self, x, hs, err, params, k, textbook):
        w1h, w1x = params["w1h"], params["w1x"]
        m, nc, dtype = x.shape[0], w1h.shape[0], w1h.dtype

        def make():
            grads = {n: np.empty(params[n].shape, dtype=dtype) for n in PARAM_NAMES}
            return grads, np.empty((k, m, nc), dtype=dtype), np.empty(k, dtype=np.float64)

        grads, deltas, norms = self._buffers(("backward", m, w1x.shape[0], nc, k, dtype), make)
        err = np.ascontiguousarray(err, dtype=dtype)
        args = (
            hs,
            err,
            w1h,
            params["w2"],
            k,
            bool(textbook),
            grads["w1h"],
            grads["w1x"],
            grads["b1"],
            grads["w2"],
            grads["b2"],
            deltas,
            norms,
        )
        if isinstance(x, RowBatch):
            self._k.backward_sparse(x.source, x.rows, *args)
        elif x.ndim == 3:
            self._k.backward_dense(x, *args)
        else:
            self._k.backward_ids(x, *args)
        return dict(grads), norms  # a new dict: the caller may rebind its entries


class SGDEpochIds:
    """fit's plain-SGD epoch over token ids x (n, T) in one compiled loop
    (``_kernels.sgd_epoch_ids``): its work buffers, and private copies of the weights
    (``work``, updated in place) so that the published weights change only between calls.
    ``k``: the steps of truncated BPTT (the width of the per-step norms)."""

    def __init__(self, kernels, x, params, batch_size, k, textbook):
        self._k, self.x, self.k, self.textbook = kernels, x, k, bool(textbook)
        self.work = {name: params[name].copy() for name in PARAM_NAMES}
        bs, n_steps = batch_size, x.shape[1]
        nc, dtype = params["w1h"].shape[0], params["w1h"].dtype
        self._buffers = (
            np.empty((bs, n_steps), dtype=x.dtype),
            np.empty(bs),
            np.zeros((n_steps + 1, bs, nc), dtype=dtype),  # hs[0]: the zero state
            np.empty(bs, dtype=dtype),
            np.empty(bs, dtype=dtype),
            *(np.empty_like(self.work[name]) for name in PARAM_NAMES),
            np.empty((k, bs, nc), dtype=dtype),
            np.empty(k),
        )

    def run(self, y, order, start, count, learning_rate, bound_sq, losses, hits, norm_rows):
        """Train batches ``start .. start + count`` of ``order`` (int64) on labels y
        (float64); batch b's loss, hits and per-step norms go to ``losses[b - start]``,
        ``hits[b - start]`` and ``norm_rows[b - start]``.  Returns ``(ran, status)``: the
        batches done, then 0, or 1 (gradients not finite) or 2 (weights' squared norm beyond
        bound_sq) for the batch that stopped the loop (its update is not applied)."""
        return self._k.sgd_epoch_ids(
            self.x,
            y,
            order,
            start,
            count,
            *(self.work[name] for name in PARAM_NAMES),
            learning_rate,
            self.k,
            self.textbook,
            bound_sq,
            *self._buffers,
            losses,
            hits,
            norm_rows,
        )


class NumpyBackend(_Backend):
    """The source's NumPy code (:class:`rnnfast.reference.NumpyRecurrentNetwork`)."""

    name = "numpy"

    def __init__(self):
        self._ref = NumpyRecurrentNetwork()

    def _load(self, params, k=None, textbook=False):
        ref = self._ref
        ref.w1h, ref.w1x, ref.b1, ref.w2, ref.b2 = (params[n] for n in PARAM_NAMES)
        ref.n_cells = params["w1h"].shape[0]
        ref.bptt_steps = k
        ref.backprop_rule = "textbook" if textbook else "exact"
        return ref

    def forward(self, x, params, keep_states=True):
        if isinstance(x, RowBatch):
            x = x.materialize()
        ref = self._load(kernel_params(params))
        z2 = ref.forpass(x)
        return z2[:, 0], np.stack(ref.h)

    def _backward(self, x, hs, err, params, k, textbook):
        if isinstance(x, RowBatch):
            x = x.materialize()
        ref = self._load(params, k, textbook)
        ref.h = list(hs)
        grads = ref.backprop(x, err.reshape(-1, 1))
        # The source's zero initial state is float64: its gradients come back float64 even
        # for float32 weights; the network keeps the weights' dtype.
        grads = {n: np.asarray(g, dtype=params[n].dtype) for n, g in zip(PARAM_NAMES, grads)}
        grads["b2"] = np.reshape(grads["b2"], (1,))
        return grads, ref.grad_norms


def make_backend(name):
    if name == "cython":
        return CythonBackend()
    return NumpyBackend()
