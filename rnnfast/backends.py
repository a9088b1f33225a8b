"""The two engines behind :class:`rnnfast.RecurrentNetwork`: compiled kernels and the NumPy
reference.  Both take checked, contiguous inputs and the weights as a dict
(``w1h, w1x, b1, w2, b2``) and answer the same two questions:

* ``forward(x, params, keep_states)`` -> ``(z2 (m,), hs)``; ``hs`` is ``(T + 1, m, n_cells)``
  (``hs[0]`` the zero state, ``hs[t + 1] = h_t``) when ``keep_states``; otherwise it may be a
  ring of two states: read the last one with ``last_state(hs, T)``.
* ``backward(x, hs, err, params, k, textbook)`` -> ``(grads, grad_norms)`` with grads a dict
  of the five gradients of the batch-mean loss and grad_norms ``(k,)``.

``x`` is a prepared batch: token ids (m, T) int32/int64, dense (m, T, nf) in the weights'
dtype, or a :class:`RowBatch` (dense input that is mostly zeros, read in place).
Returned arrays may be buffers the backend reuses on its next call: copy what you keep.
"""
from typing import NamedTuple

import numpy as np

from .reference import NumpyRecurrentNetwork

PARAM_NAMES = ("w1h", "w1x", "b1", "w2", "b2")


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


class CythonBackend:
    """Compiled kernels (:mod:`rnnfast._kernels`); buffers cached per batch shape."""

    name = "cython"

    def __init__(self):
        from . import _kernels
        self._k = _kernels
        self._buffers = {}

    def _buffer(self, key, shape, dtype):
        buf = self._buffers.get(key)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = np.empty(shape, dtype=dtype)
            self._buffers[key] = buf
        return buf

    def forward(self, x, params, keep_states=True):
        m, T = x.shape[0], x.shape[1]
        nc = params["w1h"].shape[0]
        dtype = params["w1h"].dtype
        hs = self._buffer("hs" if keep_states else "hs_ring",
                          (T + 1 if keep_states else 2, m, nc), dtype)
        hs[0] = 0
        z2 = self._buffer("z2", (m,), dtype)
        w = [params[n] for n in PARAM_NAMES]
        if isinstance(x, RowBatch):
            self._k.forward_sparse(x.source, x.rows, w[1], w[0], w[2], w[3], w[4], hs, z2)
        elif x.ndim == 3:
            xw = self._buffer("xw", (m, T, nc), dtype)
            self._k.forward_dense(x, w[1], w[0], w[2], w[3], w[4], xw, hs, z2)
        else:
            self._k.forward_ids(x, w[1], w[0], w[2], w[3], w[4], hs, z2)
        return z2, hs

    def backward(self, x, hs, err, params, k, textbook):
        m = x.shape[0]
        dtype = params["w1h"].dtype
        grads = {n: self._buffer("g_" + n, params[n].shape, dtype) for n in PARAM_NAMES}
        nc = params["w1h"].shape[0]
        delta_a = self._buffer("delta_a", (m, nc), dtype)
        delta_b = self._buffer("delta_b", (m, nc), dtype)
        norms = self._buffer("norms", (k,), np.float64)
        err = np.ascontiguousarray(err, dtype=dtype)
        args = (hs, err, params["w1h"], params["w2"], k, bool(textbook),
                grads["w1h"], grads["w1x"], grads["b1"], grads["w2"], grads["b2"],
                delta_a, delta_b, norms)
        if isinstance(x, RowBatch):
            self._k.backward_sparse(x.source, x.rows, *args)
        elif x.ndim == 3:
            self._k.backward_dense(x, *args)
        else:
            self._k.backward_ids(x, *args)
        return grads, norms


class NumpyBackend:
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
        ref = self._load(params)
        z2 = ref.forpass(x)
        return z2[:, 0], np.stack(ref.h)

    def backward(self, x, hs, err, params, k, textbook):
        if isinstance(x, RowBatch):
            x = x.materialize()
        ref = self._load(params, k, textbook)
        ref.h = list(hs)
        grads = ref.backprop(x, err.reshape(-1, 1))
        grads = dict(zip(PARAM_NAMES, grads))
        grads["b2"] = np.reshape(grads["b2"], (1,))
        return grads, ref.grad_norms


def make_backend(name):
    if name == "cython":
        return CythonBackend()
    return NumpyBackend()
