"""How checked input reaches a backend (floor 2): the form the kernels read, and its batches.

Dense input that is exactly one-hot becomes the token ids it encodes when the backend can
tell (``one_hot_ids``); other mostly-zero dense input is read in place by a backend that can
(``reads_rows_in_place``: a :class:`~rnnfast.backends.RowBatch`), the rest is copied batch by
batch in the network's dtype (a BLAS product).  ``dense_kernel`` (a
:class:`~rnnfast.RecurrentNetwork` attribute) forces one way: ``"auto"`` (the above),
``"blas"`` or ``"sparse"``; results are equal (bit-identical for one-hot ids vs sparse), the
benchmarks set it to compare speeds.
"""

import numpy as np

from . import _validation as v
from .backends import RowBatch

#: Rows per chunk in predict/score/hidden_states: bounds memory on large inputs and keeps
#: the recurrent product small enough that BLAS does not wake its threads for every step.
PREDICT_CHUNK = 256

#: Dense input whose fraction of nonzeros is at most this (one-hot: 1 / n_features) is read
#: in place by the zero-skipping kernels instead of being copied for a BLAS product.
SPARSE_DENSITY = 0.1


def prepare(x, dtype):
    """A contiguous batch in ``dtype`` (dense) or int32/int64 (ids)."""
    if x.ndim == 3:
        return np.ascontiguousarray(x, dtype=dtype)
    return np.ascontiguousarray(x)


def kernel_form(x, name, engine, dense_kernel):
    """The array the backend reads, after the last check of dense input: the token ids of
    exactly one-hot input (found in one pass that also proves it finite), else x scanned for
    NaN/inf."""
    if x.ndim == 3 and dense_kernel == "auto":
        ids = engine.one_hot_ids(x)
        if ids is not None:
            return ids
    v.check_finite(x, name)
    return x


def reads_in_place(x, engine, dense_kernel):
    """Whether the batches of dense x are read in place (mostly zeros, see the module)."""
    if not engine.reads_rows_in_place or x.ndim != 3 or dense_kernel == "blas":
        return False
    if not x.flags.c_contiguous or x.dtype not in (np.float32, np.float64):
        return False
    if dense_kernel == "sparse":
        return True
    sample = x[:64]
    return np.count_nonzero(sample) <= SPARSE_DENSITY * sample.size


def batcher(x, engine, dense_kernel, dtype):
    """``rows -> batch`` for the backend.  Mostly-zero dense input (the source's one-hot) is
    not copied: the compiled kernels read ``x[rows]`` in place and skip the zeros."""
    if reads_in_place(x, engine, dense_kernel):
        return lambda rows: RowBatch(x, rows.astype(np.int64, copy=False))
    # take: the same rows as x[rows], ~2x faster for a batch of a large array
    return lambda rows: prepare(x.take(rows, axis=0), dtype)


def chunks(x, batch, size=None):
    """``(start, batch(rows))`` over x in chunks of ``size`` (default PREDICT_CHUNK) rows."""
    size = size or PREDICT_CHUNK
    for s in range(0, len(x), size):
        yield s, batch(np.arange(s, min(s + size, len(x))))
