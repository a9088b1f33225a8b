# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled time loops of the simple RNN (floor 1): the Python-level entry points.

Every buffer is allocated, shaped and checked by the caller (``rnnfast.backends``,
``rnnfast.network``); these functions validate nothing, allocate nothing and touch no Python
object inside the loops, which run without the GIL.  Each one turns its arrays into the
kernels' structs (_net.pxd: ``Params``, ``Input``; _epoch.pxd: ``Epoch``) and runs a loop of

  _forward.pxd    the forward pass: one time loop for dense, token-id and mostly-zero input
  _backward.pxd   truncated BPTT: one backward loop for the three, either propagation rule
  _epoch.pxd      fit's SGD epoch of token ids (forward, loss, backward, checks, update)
  _net.pxd        the buffers, and what each input form contributes to a step and its gradient
  _loss.pxd       sigmoid, binary cross-entropy, sum of squares (shared with _train)
  _vmath.pxd      the element loops of _vmath.h (one copy per CPU level) and BLAS' gemm

Glossary, the source's names (chapter 6) -> the kernels': ``w1h``, ``w1x``, ``b1``, ``w2``,
``b2`` -> the same; ``self.h`` (the hidden states) -> ``hs`` (T + 1, m, nc) with ``hs[0]`` the
initial state and ``hs[t + 1] = h_t``; ``z1`` -> written into ``hs`` before tanh; ``z2`` ->
``z2`` (m,); ``err`` (a - y) -> ``err``; ``err_to_cell`` (dL/dz1 at a step) -> ``delta``, the k
of them ``deltas`` (k, m, nc); its 10 steps back ``[:10]`` -> ``k`` (``bptt_steps``);
``np.dot(err_to_cell, self.w1h)`` -> ``textbook=True`` (the exact rule ``... w1h.T`` is
``textbook=False``).  Sizes: m sequences of a batch, T steps, nf input features, nc cells
(docs/ARCHITECTURE.md has the whole glossary).

Matrix products go through ``scipy.linalg.cython_blas`` (the BLAS NumPy and SciPy already load),
except the recurrent product of a step where _vmath_panel.h's register tile is faster
(``own_product``).
"""
from libc.stdint cimport int32_t, int64_t
from scipy.linalg.cython_blas cimport dgemm
from cython cimport floating

from rnnfast._backward cimport backward_pass
from rnnfast._epoch cimport Epoch, sgd_epoch
from rnnfast._forward cimport forward_pass
from rnnfast._net cimport Input, Params, dense_input, ids_input, params, sparse_input, x_real
from rnnfast._vmath cimport (
    gemm, index_t, panel_width_at_level, rnnfast_blas_threads, rnnfast_blas_threads_init,
    rnnfast_cpu_max_level, rnnfast_level, rnnfast_one_hot_ids_d, rnnfast_one_hot_ids_f,
    rnnfast_set_level, rnnfast_tanh_kind, tanh_inplace)

from ._cpu import requested_level


# ----------------------------------------------------------------- CPU level, product choice

rnnfast_set_level(requested_level())
rnnfast_blas_threads_init(<void *> dgemm)


def cpu_level():
    """The CPU level in use (0 baseline, 1 x86-64-v3, 2 x86-64-v4; see rnnfast._cpu)."""
    return rnnfast_level


def cpu_max_level():
    """The best CPU level this machine supports."""
    return rnnfast_cpu_max_level()


def _set_level(int level):
    """Use CPU level ``level`` (or the best below it the CPU has); returns the level set.
    Use rnnfast._cpu.use_cpu_level, which sets _train's level too."""
    return rnnfast_set_level(level)


def blas_threads():
    """The thread count of the BLAS the kernels call (OpenBLAS), -1 if it cannot be read."""
    return rnnfast_blas_threads()


# Which recurrent product a step uses: _vmath_panel.h's register tile or BLAS.
cdef int PRODUCT_AUTO = 0, PRODUCT_BLAS = 1, PRODUCT_OWN = 2
cdef int _product = PRODUCT_AUTO
_PRODUCT_NAMES = {"auto": PRODUCT_AUTO, "blas": PRODUCT_BLAS, "own": PRODUCT_OWN}


def set_product(str choice):
    """The recurrent product of every step: ``"auto"`` (the measured choice per CPU level and
    width, see own_product), ``"blas"`` or ``"own"`` (the register tile wherever the width is
    a multiple of the level's panel width), for tests and benchmarks; returns the previous
    choice.  Results agree to rounding whichever is used."""
    global _product
    previous = [k for k, v in _PRODUCT_NAMES.items() if v == _product][0]
    _product = _PRODUCT_NAMES[choice]
    return previous


def panel_width(dtype_is_double=True):
    """The register tile's panel width at the level in use (the own product needs a layer
    width that is a multiple of it; 1 without vector code)."""
    return panel_width_at_level(dtype_is_double)


# The widest layer whose product the tile does faster than BLAS, per CPU level (baseline,
# x86-64-v3, x86-64-v4), float64 and float32: measured with one BLAS thread, a 32-row step,
# OpenBLAS held at the same level (benchmarks/README.md, "CPU levels").  Up to these widths the
# tile won by 5-50% (float32 AVX2 up to 1.5x); beyond them BLAS won or neither did.
cdef int[3] OWN_MAX_DOUBLE = [512, 128, 768]
cdef int[3] OWN_MAX_FLOAT = [512, 768, 768]


cdef bint own_product(int nc, bint is_double) noexcept nogil:
    """Whether the recurrent product of a layer of nc cells runs in _vmath_panel.h's tile
    rather than BLAS: nc a multiple of the level's panel width, up to the level's measured
    limit (above), and from 256 cells on only while BLAS runs on one thread (below that
    OpenBLAS' small-matrix path does not use threads).  Every pass asks once, before its
    loop; the loops take the answer (``own``)."""
    cdef int width = panel_width_at_level(is_double)
    if nc % width != 0 or _product == PRODUCT_BLAS:
        return False
    if _product == PRODUCT_OWN:      # also the plain C loop of a build without vector code
        return True
    if width == 1:                   # that loop is never chosen for speed
        return False
    cdef int limit = OWN_MAX_FLOAT[rnnfast_level]
    if is_double:
        limit = OWN_MAX_DOUBLE[rnnfast_level]
    return nc <= limit and (nc < 256 or rnnfast_blas_threads() == 1)


def uses_own_product(int nc, bint is_double=True):
    """Whether a layer of nc cells takes the register tile (True) or BLAS for its recurrent
    product at the level in use, under the current set_product choice (benchmarks)."""
    return own_product(nc, is_double)


def tanh_kind():
    """Which tanh the kernels use (a description string; see _vmath.h)."""
    return rnnfast_tanh_kind().decode()


def vtanh(floating[::1] x):
    """Apply the kernels' tanh in place to a contiguous 1-D array (exposed for tests)."""
    with nogil:
        tanh_inplace(&x[0], x.shape[0])


# --------------------------------------------------------------------------- forward

def forward_dense(const floating[:, :, ::1] x, const floating[:, ::1] w1x,
                  const floating[:, ::1] w1h, const floating[::1] b1,
                  const floating[:, ::1] w2, const floating[::1] b2,
                  floating[:, :, ::1] xw, floating[:, :, ::1] hs, floating[::1] z2):
    """Forward pass over all T steps for dense input.

    x (m, T, nf); xw (m, T, nc) scratch; hs (S, m, nc) with hs[0] the initial state and
    S = T + 1 (every state kept, for BPTT) or S = 2 (a ring: only the last state kept,
    for inference); z2 (m,) receives the output layer's logit.
    """
    cdef int m = x.shape[0], T = x.shape[1], nf = x.shape[2], nc = w1h.shape[0]
    cdef Params w = params(&w1h[0, 0], &w1x[0, 0], &b1[0], &w2[0, 0], &b2[0])
    cdef Input x_in = dense_input(&x[0, 0, 0], &xw[0, 0, 0], T, nf)
    with nogil:
        # The input projection is not recurrent: one large product for all m * T rows.
        gemm(False, False, m * T, nc, nf, <floating> 1.0, &x[0, 0, 0], nf, &w1x[0, 0], nc,
             <floating> 0.0, &xw[0, 0, 0], nc)
        forward_pass(&x_in, &w, &hs[0, 0, 0], hs.shape[0], &z2[0], m, nc,
                     own_product(nc, floating is double))


def forward_ids(const index_t[:, ::1] ids, const floating[:, ::1] w1x,
                const floating[:, ::1] w1h, const floating[::1] b1,
                const floating[:, ::1] w2, const floating[::1] b2,
                floating[:, :, ::1] hs, floating[::1] z2):
    """Forward pass for token ids (m, T) that stand for one-hot rows over nf = w1x.shape[0].

    ``x_t w1x`` is the row ``w1x[ids[:, t]]``: a gather, no one-hot array.  hs and z2 as in
    :func:`forward_dense`.  Every id must lie in [0, nf) (checked by the caller).
    """
    cdef int m = ids.shape[0], nc = w1h.shape[0]
    cdef Params w = params(&w1h[0, 0], &w1x[0, 0], &b1[0], &w2[0, 0], &b2[0])
    cdef Input x_in = ids_input(&ids[0, 0], index_t is int64_t, ids.shape[1], w1x.shape[0])
    with nogil:
        forward_pass(&x_in, &w, &hs[0, 0, 0], hs.shape[0], &z2[0], m, nc,
                     own_product(nc, floating is double))


def forward_sparse(const x_real[:, :, ::1] x, const int64_t[::1] rows,
                   const floating[:, ::1] w1x, const floating[:, ::1] w1h,
                   const floating[::1] b1, const floating[:, ::1] w2,
                   const floating[::1] b2, floating[:, :, ::1] hs, floating[::1] z2):
    """Forward pass for dense input that is mostly zeros (e.g. one-hot), read in place.

    The batch is ``x[rows]`` (x (n, T, nf), any number n of rows; rows (m,)): no copy and no
    conversion of x.  ``x_t w1x`` adds ``x[r, t, f] * w1x[f]`` for the nonzero features f
    only; skipping exact zeros changes no sum, so the result equals the dense product.
    hs and z2 as in :func:`forward_dense`.
    """
    cdef int m = rows.shape[0], nc = w1h.shape[0]
    cdef Params w = params(&w1h[0, 0], &w1x[0, 0], &b1[0], &w2[0, 0], &b2[0])
    cdef Input x_in = sparse_input(&x[0, 0, 0], x_real is double, &rows[0], x.shape[1],
                                   x.shape[2])
    with nogil:
        forward_pass(&x_in, &w, &hs[0, 0, 0], hs.shape[0], &z2[0], m, nc,
                     own_product(nc, floating is double))


# --------------------------------------------------------------------------- backward

def backward_dense(const floating[:, :, ::1] x, const floating[:, :, ::1] hs,
                   const floating[::1] err, const floating[:, ::1] w1h,
                   const floating[:, ::1] w2, int bptt_steps, bint textbook,
                   floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad, floating[::1] b1_grad,
                   floating[:, ::1] w2_grad, floating[::1] b2_grad,
                   floating[:, :, ::1] deltas, double[::1] grad_norms):
    """Truncated BPTT over the last k = bptt_steps steps (1 <= k <= T) for dense input.

    x (m, T, nf); hs (T + 1, m, nc) from :func:`forward_dense`; err (m,) = a - y.
    Writes the five gradients of the batch-mean loss (overwriting the buffers) and
    grad_norms[j] = ||dL/dz1_t||_F / m for t = T - 1 - j, j < k.  deltas (k, m, nc) scratch:
    dL/dz1_t (the source's err_to_cell) of the visited steps, in time order.
    """
    cdef Input x_in = dense_input(&x[0, 0, 0], NULL, x.shape[1], x.shape[2])
    backward(&x_in, hs, err, w1h, w2, bptt_steps, textbook, w1h_grad, w1x_grad, b1_grad,
             w2_grad, b2_grad, deltas, grad_norms, x.shape[0])


def backward_ids(const index_t[:, ::1] ids, const floating[:, :, ::1] hs,
                 const floating[::1] err, const floating[:, ::1] w1h,
                 const floating[:, ::1] w2, int bptt_steps, bint textbook,
                 floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad, floating[::1] b1_grad,
                 floating[:, ::1] w2_grad, floating[::1] b2_grad,
                 floating[:, :, ::1] deltas, double[::1] grad_norms):
    """As :func:`backward_dense` for token ids (m, T): the w1x gradient is a scatter-add of
    delta's rows into the rows ``ids[:, t]`` of w1x_grad (nf, nc)."""
    cdef Input x_in = ids_input(&ids[0, 0], index_t is int64_t, ids.shape[1],
                                w1x_grad.shape[0])
    backward(&x_in, hs, err, w1h, w2, bptt_steps, textbook, w1h_grad, w1x_grad, b1_grad,
             w2_grad, b2_grad, deltas, grad_norms, ids.shape[0])


def backward_sparse(const x_real[:, :, ::1] x, const int64_t[::1] rows,
                    const floating[:, :, ::1] hs, const floating[::1] err,
                    const floating[:, ::1] w1h, const floating[:, ::1] w2, int bptt_steps,
                    bint textbook, floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad,
                    floating[::1] b1_grad, floating[:, ::1] w2_grad, floating[::1] b2_grad,
                    floating[:, :, ::1] deltas, double[::1] grad_norms):
    """As :func:`backward_dense` for the batch ``x[rows]`` read in place: the w1x gradient
    adds ``x[r, t, f] * delta[i]`` to row f for the nonzero features only."""
    cdef Input x_in = sparse_input(&x[0, 0, 0], x_real is double, &rows[0], x.shape[1],
                                   x.shape[2])
    backward(&x_in, hs, err, w1h, w2, bptt_steps, textbook, w1h_grad, w1x_grad, b1_grad,
             w2_grad, b2_grad, deltas, grad_norms, rows.shape[0])


cdef void backward(const Input *x, const floating[:, :, ::1] hs, const floating[::1] err,
                   const floating[:, ::1] w1h, const floating[:, ::1] w2, int k, bint textbook,
                   floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad, floating[::1] b1_grad,
                   floating[:, ::1] w2_grad, floating[::1] b2_grad, floating[:, :, ::1] deltas,
                   double[::1] grad_norms, int m) noexcept:
    """The three backward entry points' common part: the arrays into Params, then the loop."""
    cdef Params w = params(&w1h[0, 0], NULL, NULL, &w2[0, 0], NULL)   # (it reads these two)
    cdef Params g = params(&w1h_grad[0, 0], &w1x_grad[0, 0], &b1_grad[0], &w2_grad[0, 0],
                           &b2_grad[0])
    with nogil:
        backward_pass(x, &hs[0, 0, 0], &err[0], &w, k, textbook, &g, &deltas[0, 0, 0],
                      &grad_norms[0], m, w1h.shape[0])


# --------------------------------------------------------------------------- SGD epoch

def sgd_epoch_ids(const index_t[:, ::1] ids, const double[::1] y, const int64_t[::1] order,
                  Py_ssize_t first, Py_ssize_t count,
                  floating[:, ::1] w1h, floating[:, ::1] w1x, floating[::1] b1,
                  floating[:, ::1] w2, floating[::1] b2, double learning_rate,
                  int bptt_steps, bint textbook, double bound_sq,
                  index_t[:, ::1] batch_ids, double[::1] batch_y, floating[:, :, ::1] hs,
                  floating[::1] z2, floating[::1] err,
                  floating[:, ::1] g_w1h, floating[:, ::1] g_w1x, floating[::1] g_b1,
                  floating[:, ::1] g_w2, floating[::1] g_b2,
                  floating[:, :, ::1] deltas, double[::1] norms,
                  double[::1] losses, int64_t[::1] hits, double[:, ::1] norm_rows):
    """Plain SGD over the full batches first .. first + count - 1 of an epoch of token ids,
    the weights updated in place: fit's per-batch step (forward, loss, backward, divergence
    checks, update) without returning to Python between batches.

    ids (n, T), y (n,), order (n,) the epoch's permutation: batch b holds the rows
    order[b m : (b + 1) m], m = batch_ids.shape[0].  Buffers: batch_ids (m, T), batch_y (m,),
    hs (T + 1, m, nc) with hs[0] = 0, z2 and err (m,), the five gradients, deltas (k, m, nc),
    norms (k,).  Batch j (counted from first) writes losses[j], hits[j], norm_rows[j] (k,).
    Stops before updating at a batch whose gradients' sum of squares is not finite (status 1)
    or whose update would take the weights' sum of squares beyond bound_sq or to inf/NaN
    (status 2); those weights are left as they were.  Returns (batches done, status).
    """
    cdef Epoch e
    cdef int T = ids.shape[1], nf = w1x.shape[0], status
    cdef Py_ssize_t done
    e.data = ids_input(&ids[0, 0], index_t is int64_t, T, nf)
    e.y, e.order = &y[0], &order[0]
    e.batch = ids_input(&batch_ids[0, 0], index_t is int64_t, T, nf)
    e.batch_ids, e.batch_y = &batch_ids[0, 0], &batch_y[0]
    e.w = params(&w1h[0, 0], &w1x[0, 0], &b1[0], &w2[0, 0], &b2[0])
    e.g = params(&g_w1h[0, 0], &g_w1x[0, 0], &g_b1[0], &g_w2[0, 0], &g_b2[0])
    e.hs, e.z2, e.err, e.deltas, e.norms = &hs[0, 0, 0], &z2[0], &err[0], &deltas[0, 0, 0], \
        &norms[0]
    e.m, e.nc, e.k = batch_ids.shape[0], w1h.shape[0], bptt_steps
    e.textbook, e.bound_sq = textbook, bound_sq
    e.losses, e.hits, e.norm_rows = &losses[0], &hits[0], &norm_rows[0, 0]
    with nogil:
        e.own = own_product(e.nc, floating is double)
        done = sgd_epoch(&e, first, count, <floating> learning_rate, &status)
    return done, status


# --------------------------------------------------------------------------- input form

def one_hot_ids(const x_real[:, :, ::1] x, int32_t[:, ::1] ids):
    """If x (m, T, nf) is exactly one-hot, write the token id of every step into ids (m, T)
    and return True; return False at the first step that is not one-hot (see _vmath.h).  One
    pass over x, stopping at the first bad step: this is also the finiteness check of one-hot
    input."""
    cdef Py_ssize_t rows = x.shape[0] * x.shape[1], nf = x.shape[2]
    cdef int ok
    with nogil:
        if x_real is double:
            ok = rnnfast_one_hot_ids_d(&x[0, 0, 0], rows, nf, &ids[0, 0])
        else:
            ok = rnnfast_one_hot_ids_f(&x[0, 0, 0], rows, nf, &ids[0, 0])
    return ok != 0
