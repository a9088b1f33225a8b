# cython: language_level=3
"""The forward pass (floor 1): one time loop for every input form.

Notation (the source's): ``z1_t = x_t w1x + h_{t-1} w1h + b1``, ``h_t = tanh(z1_t)``,
``z2 = h_T w2 + b2``.  The states are kept in ``hs`` (S, m, nc): ``hs[0] = h_{-1}`` (the initial
state, zero as fit and predict start; filled by the caller) and ``hs[t + 1] = h_t``; S = T + 1
keeps every state (for BPTT), S = 2 is a ring that keeps only the last (inference).

The recurrent product ``h_{t-1} w1h`` runs in _vmath_panel.h's register tile or in BLAS, as
``own`` says: the caller decides once per pass (_kernels.own_product).  Everything here is
``inline``: there is no module rnnfast._forward.
"""
from cython cimport floating

from rnnfast._net cimport Input, Params, input_rows, input_rows_with_product
from rnnfast._vmath cimport gemm, gemm_acc, tanh_inplace


cdef inline void forward_pass(const Input *x, const Params *w, floating *hs, int S,
                              floating *z2, int m, int nc, bint own) noexcept nogil:
    """All T = x.T steps from the state in hs[0], then the output layer's logit z2 (m,)."""
    cdef const floating *w1x = <const floating *> w.w1x
    cdef const floating *w1h = <const floating *> w.w1h
    cdef const floating *b1 = <const floating *> w.b1
    cdef Py_ssize_t size = <Py_ssize_t> m * nc
    cdef int t
    for t in range(x.T):
        step(x, t, w1x, w1h, b1, hs + (t % S) * size, hs + ((t + 1) % S) * size, m, nc, own)
    output_layer(hs + (x.T % S) * size, <const floating *> w.w2, <const floating *> w.b2, z2,
                 m, nc)


cdef inline void step(const Input *x, int t, const floating *w1x, const floating *w1h,
                      const floating *b1, const floating *h_prev, floating *h, int m, int nc,
                      bint own) noexcept nogil:
    """``h = tanh(x_t w1x + b1 + h_prev w1h)``, h_prev = h_{t-1} and h = h_t (m, nc)."""
    if t > 0 and own and input_rows_with_product(x, t, w1x, b1, h_prev, w1h, h, m, nc):
        tanh_inplace(h, <Py_ssize_t> m * nc)
        return
    input_rows(x, t, w1x, b1, h, m, nc)
    if t == 0:
        first_step(h_prev, w1h, h, m, nc, own)
    else:
        recurrent_step(h_prev, w1h, h, m, nc, own)


cdef inline void recurrent_step(const floating *h_prev, const floating *w1h, floating *h,
                                int m, int nc, bint own) noexcept nogil:
    """``h = tanh(h + h_prev w1h)``; ``h`` already holds ``x_t w1x + b1``."""
    if own:
        gemm_acc(h_prev, w1h, h, m, nc, nc)
    else:
        gemm(False, False, m, nc, nc, <floating> 1.0, h_prev, nc, w1h, nc, <floating> 1.0, h,
             nc)
    tanh_inplace(h, <Py_ssize_t> m * nc)


cdef inline void first_step(const floating *h_prev, const floating *w1h, floating *h,
                            int m, int nc, bint own) noexcept nogil:
    """The step from the initial state: when it is zero (as fit and predict start), its
    product with w1h is zero and only tanh remains."""
    cdef Py_ssize_t i, n = <Py_ssize_t> m * nc
    for i in range(n):
        if h_prev[i] != 0:
            recurrent_step(h_prev, w1h, h, m, nc, own)
            return
    tanh_inplace(h, n)


cdef inline void output_layer(const floating *h, const floating *w2, const floating *b2,
                              floating *z2, int m, int nc) noexcept nogil:
    """``z2 = h w2 + b2`` for the one output unit; h (m, nc), w2 (nc, 1)."""
    cdef int i, j
    cdef floating s
    for i in range(m):
        s = b2[0]
        for j in range(nc):
            s = s + h[i * nc + j] * w2[j]
        z2[i] = s
