# cython: language_level=3
"""Truncated BPTT (floor 1): one backward loop for every input form.

Over the last k steps t = T - 1, ..., T - k (1 <= k <= T): ``delta = dL/dz1_t`` (the source's
``err_to_cell``) from the output layer at t = T - 1, then back one step at a time by
``propagate``; the five gradients of the batch-mean loss and ``norms[j] = ||dL/dz1_t||_F / m``
for t = T - 1 - j.  The k deltas are kept in ``deltas`` (k, m, nc) in time order, so that the
w1h gradient of all visited steps is one product (``end_backward``).  Everything here is
``inline``: there is no module rnnfast._backward.
"""
from cython cimport floating
from libc.math cimport sqrt
from libc.string cimport memset

from rnnfast._loss cimport sum_squares
from rnnfast._net cimport Input, Params, add_input_grad
from rnnfast._vmath cimport colsum_add, gemm, scale, tanh_deriv


cdef inline void backward_pass(const Input *x, const floating *hs, const floating *err,
                               const Params *w, int k, bint textbook, const Params *g,
                               floating *deltas, double *norms, int m,
                               int nc) noexcept nogil:
    """hs (T + 1, m, nc) from the forward pass, err (m,) = a - y; writes the five gradients
    into g (overwriting them), deltas (k, m, nc) and norms (k,).  textbook: the source's rule
    for propagating (see propagate)."""
    cdef int T = x.T, j
    cdef Py_ssize_t size = <Py_ssize_t> m * nc
    cdef floating *delta
    memset(g.w1x, 0, <size_t> x.nf * nc * sizeof(floating))    # summed step by step
    output_backward(hs + T * size, err, <const floating *> w.w2, <floating *> g.w2,
                    <floating *> g.b2, deltas + (k - 1) * size, m, nc)
    for j in range(k):
        # step t = T - 1 - j: its delta is deltas[k - 1 - j]
        delta = deltas + (k - 1 - j) * size
        add_input_grad(x, T - 1 - j, delta, <floating *> g.w1x, m, nc)
        norms[j] = frobenius(delta, size) / m
        if j + 1 < k:
            propagate(hs + (T - 1 - j) * size, <const floating *> w.w1h, textbook, delta,
                      delta - size, m, nc)
    end_backward(hs + (T - k) * size, deltas, k, x.nf, g, m, nc)


cdef inline void output_backward(const floating *h, const floating *err, const floating *w2,
                                 floating *w2_grad, floating *b2_grad, floating *delta, int m,
                                 int nc) noexcept nogil:
    """The output layer, h = h_{T-1} (m, nc): w2/b2 gradients (summed, not yet / m) and
    ``delta = dL/dz1`` at the last step, ``(err w2^T) * (1 - h^2)``."""
    cdef int i, j
    cdef floating hv, s = 0
    for j in range(nc):
        w2_grad[j] = 0
    for i in range(m):
        s = s + err[i]
        for j in range(nc):
            hv = h[i * nc + j]
            w2_grad[j] = w2_grad[j] + hv * err[i]
            delta[i * nc + j] = err[i] * w2[j] * (1 - hv * hv)
    b2_grad[0] = s


cdef inline floating frobenius(const floating *a, Py_ssize_t n) noexcept nogil:
    """sqrt(sum a^2), the sum in float64."""
    return <floating> sqrt(sum_squares(a, n))


cdef inline void propagate(const floating *h_prev, const floating *w1h, bint textbook,
                           const floating *delta, floating *delta_prev, int m,
                           int nc) noexcept nogil:
    """``delta_prev = dL/dz1_{t-1}`` from ``delta = dL/dz1_t``; h_prev = h_{t-1} (m, nc).

    exact:    dL/dz1_{t-1} = (delta w1h^T) * (1 - h_{t-1}^2)
    textbook: dL/dz1_{t-1} = (delta w1h)   * (1 - h_{t-1}^2)   (the source's missing transpose)
    """
    gemm(False, not textbook, m, nc, nc, <floating> 1.0, delta, nc, w1h, nc,
         <floating> 0.0, delta_prev, nc)
    tanh_deriv(delta_prev, h_prev, <Py_ssize_t> m * nc)


cdef inline void end_backward(const floating *h_prevs, const floating *deltas, int k, int nf,
                              const Params *g, int m, int nc) noexcept nogil:
    """The w1h and b1 gradients of all k visited steps at once, then the batch mean.

    w1h_grad = sum_t h_{t-1}^T dL/dz1_t: the states h_prevs = hs[T - k : T] (h_{t-1} for the
    visited t) and the deltas are both (k m, nc) blocks in time order, so this is one product
    with inner dimension k m instead of k small ones; b1_grad = the column sums of the deltas.
    """
    cdef floating *b1_grad = <floating *> g.b1
    cdef floating inv = (<floating> 1.0) / m      # the loss is a batch mean
    gemm(True, False, nc, nc, k * m, <floating> 1.0, h_prevs, nc, deltas, nc,
         <floating> 0.0, <floating *> g.w1h, nc)
    memset(b1_grad, 0, nc * sizeof(floating))
    colsum_add(b1_grad, deltas, k * m, nc)
    scale(<floating *> g.w1h, <Py_ssize_t> nc * nc, inv)
    scale(<floating *> g.w1x, <Py_ssize_t> nf * nc, inv)
    scale(b1_grad, nc, inv)
    scale(<floating *> g.w2, nc, inv)
    (<floating *> g.b2)[0] *= inv
