# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled glue of one training step (the fast path of ``RecurrentNetwork.fit`` on the
compiled backend with SGD), in place of a few dozen small NumPy calls per batch.

Each function repeats, operation by operation and in the same precision, the NumPy
expression it replaces (``network.sigmoid``, ``network.binary_crossentropy``, the hit count,
``SGD.step``), so the results are bit-identical; the output unit's operations and the sum of
squares are those of the fused epoch in _kernels (rnnfast/_loss.pxd).  Two things are left to
the caller:

* ``exp`` and ``log`` stay NumPy's (``np.exp(..., out=)``, ``np.log(..., out=)``): its SIMD
  versions and the C library's differ in the last bit for a few percent of the arguments;
* inputs on which NumPy would warn (float32 ``exp`` overflow, ``log(0)``) are reported, not
  handled: the caller then runs the NumPy code itself, warnings included.

The sums of squares of :func:`sgd_step` only decide finiteness and the divergence bound
(their summation order is not BLAS's, so they are not used for clipping).
"""
import numpy as np

from ._cpu import requested_level

from cpython.buffer cimport PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBuffer_Release, PyObject_GetBuffer
from cython cimport floating
from libc.float cimport FLT_MAX
from libc.math cimport INFINITY

from rnnfast._loss cimport (
    bce_term, clip_logit, clip_prob, hit, output_err, sigmoid_of_exp, sum_squares)

#: exp(x) overflows float32 for x > ln(FLT_MAX) = 88.72...; a margin is harmless (the
#: caller's fallback is the exact NumPy code).
cdef double EXP32_MAX = 88.0


rnnfast_set_level(requested_level())


def _set_level(int level):
    """Use CPU level ``level`` (or the best below it the CPU has); see rnnfast._cpu."""
    return rnnfast_set_level(level)


# --------------------------------------------------------------------------- output layer

def sigmoid_prologue(const floating[::1] z, floating[::1] out):
    """``out = -clip(z, -100, None)`` (m,), the argument of sigmoid's ``exp``.

    Returns False if ``np.exp(out)`` would overflow (float32 only) or z holds NaN: the caller
    then computes the output with NumPy.
    """
    cdef Py_ssize_t i, m = z.shape[0]
    # (an if statement, not `a if floating is float else b`: Cython drops the dead branch of
    # a statement, while the expression leaves C that clang's -Wunreachable-code flags)
    cdef double limit = INFINITY
    if floating is float:
        limit = EXP32_MAX
    cdef bint ok = True
    with nogil:
        for i in range(m):
            out[i] = -clip_logit(z[i])
            if not out[i] <= limit:
                ok = False
    return ok


def output_stats(const floating[::1] e, const double[::1] y, floating[::1] err,
                 floating[::1] logs):
    """From ``e = exp(-clip(z, -100, None))`` (m,) and labels y (m,) in {0, 1}:

    * ``a = 1 / (1 + e)`` (sigmoid), ``err = a - y`` (m,) rounded to the weights' dtype;
    * ``logs`` (2m,) = ``[clip(a), 1 - clip(a)]``, the arguments of the loss' two ``log``;
    * returns ``(hits, ok)``: hits = count of ``(a > 0.5) == (y > 0.5)``; ok is False if a
      ``log`` argument is 0 (float32 rounds ``1 - 1e-10`` to 1): NumPy's loss is then
      -inf or NaN with a warning, and the caller computes it with NumPy.
    """
    cdef Py_ssize_t i, m = e.shape[0]
    # Typed: a literal 1 would make Cython compute float32 in double.
    cdef floating one = 1, a
    cdef Py_ssize_t hits = 0
    cdef bint ok = True
    with nogil:
        for i in range(m):
            a = sigmoid_of_exp(e[i])
            err[i] = output_err(a, y[i])
            hits += hit(a, y[i])
            a = clip_prob(a)
            logs[i] = a
            logs[m + i] = one - a
            if not logs[m + i] > 0:
                ok = False
    return hits, ok


cdef inline double bce_term_at(const floating *logs, const double *y, Py_ssize_t m,
                               Py_ssize_t i) noexcept nogil:
    # term i, the logs widened to float64 as NumPy does
    return bce_term(y[i], logs[i], logs[m + i])


cdef double pairwise_bce(const floating *logs, const double *y, Py_ssize_t m,
                         Py_ssize_t start, Py_ssize_t n) noexcept nogil:
    """Sum of the terms start .. start + n - 1 in the order of NumPy's pairwise summation
    (numpy/_core/src/umath/loops_utils.h.src: 8 accumulators in blocks of <= 128)."""
    cdef Py_ssize_t i, j, n2
    cdef double r[8]
    cdef double res
    if n < 8:
        res = 0.0
        for i in range(start, start + n):
            res += bce_term_at(logs, y, m, i)
        return res
    if n <= 128:
        for j in range(8):
            r[j] = bce_term_at(logs, y, m, start + j)
        i = 8
        while i < n - n % 8:
            for j in range(8):
                r[j] += bce_term_at(logs, y, m, start + i + j)
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += bce_term_at(logs, y, m, start + i)
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return (pairwise_bce(logs, y, m, start, n2)
            + pairwise_bce(logs, y, m, start + n2, n - n2))


#: np.add.reduce may hand the inner loop at most this many elements at a time (the
#: iterator's buffer size; NumPy 2.4 does not), each chunk summed pairwise: beyond it the
#: order may not be pairwise_bce's.
PAIRWISE_MAX = 8192


def bce_mean(const floating[::1] logs, const double[::1] y):
    """``np.mean(-(y log(a) + (1 - y) log(1 - a)))`` from ``logs`` (2m,) = ``[log(clip(a)),
    log(1 - clip(a))]`` and y (m,), summed in NumPy's order (m <= PAIRWISE_MAX)."""
    cdef Py_ssize_t m = y.shape[0]
    if logs.shape[0] != 2 * m or m > PAIRWISE_MAX or m == 0:
        raise ValueError(f"bce_mean: logs must have 2 m entries and 0 < m <= {PAIRWISE_MAX}")
    cdef double total
    with nogil:
        # np.add.reduce starts from the identity 0.0.
        total = 0.0 + pairwise_bce(&logs[0], &y[0], m, 0, m)
    return total / m


# --------------------------------------------------------------------------- SGD

cdef const floating *flat(object a, Py_ssize_t *n, floating kind) except NULL:
    """Data pointer and size of a C-contiguous array of ``kind``'s type (any shape).

    The buffer protocol directly: a typed memoryview per array costs ~0.17 us, three times
    per weight and step.  The pointer outlives the released buffer: the caller holds the
    array, whose data never moves.
    """
    cdef Py_buffer view
    cdef char code = b'd'
    if floating is float:
        code = b'f'
    PyObject_GetBuffer(a, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT)
    cdef bint ok = (view.itemsize == sizeof(floating) and view.format[0] == code
                    and view.format[1] == 0)
    cdef const floating *data = <const floating *> view.buf
    n[0] = view.len // view.itemsize if ok else 0
    PyBuffer_Release(&view)
    if not ok:
        raise ValueError(f"expected a C-contiguous {'float32' if floating is float else 'float64'} "
                         f"array, got {a.dtype}")
    return data


cdef extern from *:
    """
    /* The SGD loops in C, one copy per CPU level (rnnfast/_dispatch.h, as rnnfast/_vmath.h).
       setup.py's -ffp-contract=off keeps w - lr * (g * scale) two roundings at every level,
       as NumPy computes it (an FMA would fuse them). */
    #include "_dispatch.h"

    /* out = w - lr * (g * scale); out is a fresh array (no aliasing). */
    #define RNNFAST_STEP(L, SUF, REAL)                                                  \
    static RNNFAST_TARGET_##L void rnnfast_step_##SUF##_##L(                             \
            const REAL *w, const REAL *g, REAL *RNNFAST_RESTRICT out, Py_ssize_t n,      \
            REAL lr, REAL scale) {                                                       \
        for (Py_ssize_t i = 0; i < n; i++) out[i] = w[i] - lr * (g[i] * scale);         \
    }
    #define RNNFAST_TRAIN_LEVEL(L) RNNFAST_STEP(L, f, float) RNNFAST_STEP(L, d, double)
    RNNFAST_TRAIN_LEVEL(base)
    #if RNNFAST_X86_LEVELS
    RNNFAST_TRAIN_LEVEL(v3)
    RNNFAST_TRAIN_LEVEL(v4)
    #endif
    static void rnnfast_step_f(const float *w, const float *g, float *out, Py_ssize_t n,
                               float lr, float scale) {
        RNNFAST_DISPATCH(rnnfast_step_f, (w, g, out, n, lr, scale));
    }
    static void rnnfast_step_d(const double *w, const double *g, double *out, Py_ssize_t n,
                               double lr, double scale) {
        RNNFAST_DISPATCH(rnnfast_step_d, (w, g, out, n, lr, scale));
    }
    """
    int rnnfast_set_level(int wanted) noexcept nogil
    void rnnfast_step_f(const float *w, const float *g, float *out, Py_ssize_t n,
                        float lr, float scale) noexcept nogil
    void rnnfast_step_d(const double *w, const double *g, double *out, Py_ssize_t n,
                        double lr, double scale) noexcept nogil


cdef inline void step_loop(const floating *w, const floating *g, floating *out, Py_ssize_t n,
                           floating lr, floating scale) noexcept nogil:
    """``out = w - lr * (g * scale)``."""
    if floating is float:
        rnnfast_step_f(w, g, out, n, lr, scale)
    else:
        rnnfast_step_d(w, g, out, n, lr, scale)


cdef inline double as_dtype(double x, floating kind) noexcept nogil:
    # A float64 sum of squares as np.vdot returns it in the arrays' dtype (float32: inf
    # beyond FLT_MAX, where the float32 accumulation overflows).
    if floating is float:
        return INFINITY if x > FLT_MAX else <double> <float> x
    else:
        return x


cdef tuple sgd_loop(dict params, dict grads, floating lr, floating scale):
    cdef dict new = {}
    cdef double g_sq, w_sq, grad_total = 0.0, weight_total = 0.0
    cdef float grad_total32 = 0.0
    cdef Py_ssize_t n, n_grad, n_out
    cdef const floating *pw
    cdef const floating *pg
    cdef floating *po
    for name, w in params.items():
        g = grads[name]
        out = np.empty_like(w)
        pw = flat(w, &n, lr)
        pg = flat(g, &n_grad, lr)
        po = <floating *> flat(out, &n_out, lr)     # fresh, C-contiguous, writable
        if n_grad != n:
            raise ValueError(f"sgd_step: gradient {name!r} has shape {g.shape}, "
                             f"weight {w.shape}")
        with nogil:
            step_loop(pw, pg, po, n, lr, scale)
            g_sq = sum_squares(pg, n)        # (any order: a finiteness check and a bound)
            w_sq = sum_squares(<const floating *> po, n)
        # The generic checks' sums: sum(np.vdot(g, g)) adds the dot products in their
        # dtype; sum(float(np.vdot(w, w))) in float64.
        if floating is float:
            grad_total32 += <float> as_dtype(g_sq, lr)
        else:
            grad_total += g_sq
        weight_total += as_dtype(w_sq, lr)
        new[name] = out
    if floating is float:
        grad_total = grad_total32       # inf if the float32 sum overflowed
    return new, grad_total, weight_total


def sgd_step(dict params, dict grads, double learning_rate, double scale=1.0):
    """SGD into NEW arrays: ``new[n] = params[n] - learning_rate * (grads[n] * scale)``.

    params, grads: dicts of C-contiguous 1-D/2-D float32 or float64 arrays of equal shapes
    (params' dtype; learning_rate and scale are rounded to it, as NumPy does with Python
    floats).  ``scale = 1`` is exact, so it equals ``SGD.step`` on unclipped gradients.
    Returns ``(new, grad_sq, weight_sq)``: new in params' order; grad_sq the sum of squares of
    the (unscaled) gradients, not finite exactly when ``sum(np.vdot(g, g))`` is not (up to
    rounding at the overflow threshold); weight_sq the same for the new weights as
    ``sum(float(np.vdot(w, w)))``.
    """
    if not params:
        return {}, 0.0, 0.0
    if next(iter(params.values())).dtype == np.float32:
        return sgd_loop[float](params, grads, <float> learning_rate, <float> scale)
    return sgd_loop[double](params, grads, learning_rate, scale)
