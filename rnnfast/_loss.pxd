# cython: language_level=3
"""The output unit's arithmetic, one implementation for both extensions: the fused SGD epoch of
_kernels (``sgd_epoch_ids``) and the step glue of _train (``sigmoid_prologue``,
``output_stats``, ``bce_mean``, ``sgd_step``).  Each function is an operation of NumPy's code
in rnnfast.network (``sigmoid``, ``binary_crossentropy``, the hit count), in the same precision,
so that both extensions compute it the same way; what differs between them is only where
``exp`` and ``log`` come from (_train leaves them to NumPy) and the order of the loss' sum.

``floating`` is the weights' type (float32 or float64).  Everything here is ``inline``: there is
no module rnnfast._loss.
"""
from cython cimport floating
from libc.math cimport exp, expf

cdef extern from "_sumsq.h" nogil:
    double rnnfast_sum_squares_d(const double *x, ptrdiff_t n)
    double rnnfast_sum_squares_f(const float *x, ptrdiff_t n)


cdef inline floating clip_logit(floating z) noexcept nogil:
    """``max(z, -100)``, network.sigmoid's clip of its argument (NaN stays NaN)."""
    if z < -100:
        return -100
    return z


cdef inline floating sigmoid_of_exp(floating e) noexcept nogil:
    """``a = 1 / (1 + e)`` from ``e = exp(-clip_logit(z))``, in the weights' precision."""
    cdef floating one = 1      # typed: a literal 1 would make Cython compute float32 in double
    return one / (one + e)


cdef inline floating sigmoid(floating z) noexcept nogil:
    """network.sigmoid(z) with the C library's exp (the fused epoch; _train uses NumPy's)."""
    if floating is float:
        return sigmoid_of_exp(expf(-clip_logit(z)))
    else:
        return sigmoid_of_exp(exp(-clip_logit(z)))


cdef inline floating output_err(floating a, double y) noexcept nogil:
    """``err = a - y`` (the source's ``err``), the difference in float64 as NumPy takes it
    (y is float64), rounded to the weights' type."""
    return <floating> (a - y)


cdef inline bint hit(double a, double y) noexcept nogil:
    """Whether the output a is right about the label y: ``(a > 0.5) == (y > 0.5)``."""
    return (a > 0.5) == (y > 0.5)


cdef inline floating clip_prob(floating a) noexcept nogil:
    """``np.clip(a, 1e-10, 1 - 1e-10)`` (min(max(a, lo), hi)) in a's precision: the output as
    network.binary_crossentropy clips it before the logs (float32: the upper bound rounds to 1)."""
    cdef floating lo = <floating> 1e-10, hi = <floating> (1 - 1e-10)
    if a < lo:
        a = lo
    if a > hi:
        a = hi
    return a


cdef inline double bce_term(double y, double log_a, double log_1_minus_a) noexcept nogil:
    """One term of the binary cross-entropy, ``-(y log(a) + (1 - y) log(1 - a))``, from the
    two logs (a clipped by clip_prob)."""
    return -(y * log_a + (1 - y) * log_1_minus_a)


cdef inline double sum_squares(const floating *x, Py_ssize_t n) noexcept nogil:
    """``sum x^2`` in float64 (_sumsq.h: a fixed order of 8 partial sums)."""
    if floating is double:
        return rnnfast_sum_squares_d(x, n)
    else:
        return rnnfast_sum_squares_f(x, n)
