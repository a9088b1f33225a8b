# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled time loops of the simple RNN (floor 1).

Only the loops live here.  Every buffer is allocated, shaped and checked by the caller
(``rnnfast.network``); these functions validate nothing, allocate nothing and touch no Python
object inside the loops, which run without the GIL.

Notation (the source's): ``z1_t = x_t w1x + h_{t-1} w1h + b1``, ``h_t = tanh(z1_t)``,
``z2 = h_T w2 + b2``.  Hidden states are stored in ``hs`` with ``hs[0] = h_{-1}`` (the zero
initial state, filled by the caller) and ``hs[t + 1] = h_t``.

Matrix products go through ``scipy.linalg.cython_blas`` (the BLAS NumPy and SciPy already load),
row-major arrays being passed to the column-major Fortran interface as their transposes.
"""
from libc.math cimport sqrt
from libc.stdint cimport int32_t, int64_t
from scipy.linalg.cython_blas cimport dgemm, sgemm

ctypedef fused floating:
    float
    double

ctypedef fused index_t:
    int32_t
    int64_t

# Input element type of the zero-skipping dense kernels (float32 one-hot is read as is).
ctypedef fused xfloat:
    float
    double

cdef extern from "_vmath.h" nogil:
    void rnnfast_tanh_d(double *x, ptrdiff_t n)
    void rnnfast_tanh_f(float *x, ptrdiff_t n)
    const char *rnnfast_tanh_kind()
    void rnnfast_gather_d32(const double *table, const int32_t *ids, ptrdiff_t stride,
                            const double *bias, double *out, int m, int nc)
    void rnnfast_gather_d64(const double *table, const int64_t *ids, ptrdiff_t stride,
                            const double *bias, double *out, int m, int nc)
    void rnnfast_gather_f32(const float *table, const int32_t *ids, ptrdiff_t stride,
                            const float *bias, float *out, int m, int nc)
    void rnnfast_gather_f64(const float *table, const int64_t *ids, ptrdiff_t stride,
                            const float *bias, float *out, int m, int nc)


# --------------------------------------------------------------------------- helpers

cdef inline void gemm(bint trans_a, bint trans_b, int m, int n, int k, floating alpha,
                      const floating *a, int lda, const floating *b, int ldb,
                      floating beta, floating *c, int ldc) noexcept nogil:
    """Row-major ``C(m, n) = alpha op(A)(m, k) op(B)(k, n) + beta C``.

    A row-major matrix is its transpose in column-major order, so we ask Fortran BLAS for
    ``C^T = op(B)^T op(A)^T``: swap the operands and the sizes m and n.
    """
    cdef char ta = b'T' if trans_b else b'N'
    cdef char tb = b'T' if trans_a else b'N'
    if floating is double:
        dgemm(&ta, &tb, &n, &m, &k, &alpha, <double *> b, &ldb, <double *> a, &lda,
              &beta, c, &ldc)
    else:
        sgemm(&ta, &tb, &n, &m, &k, &alpha, <float *> b, &ldb, <float *> a, &lda,
              &beta, c, &ldc)


cdef inline void tanh_inplace(floating *x, Py_ssize_t n) noexcept nogil:
    if floating is double:
        rnnfast_tanh_d(x, n)
    else:
        rnnfast_tanh_f(x, n)


cdef inline void recurrent_step(const floating *h_prev, const floating *w1h, floating *h,
                                int m, int nc) noexcept nogil:
    """``h = tanh(h + h_prev w1h)``; ``h`` already holds ``x_t w1x + b1``."""
    gemm(False, False, m, nc, nc, <floating> 1.0, h_prev, nc, w1h, nc, <floating> 1.0, h, nc)
    tanh_inplace(h, <Py_ssize_t> m * nc)


cdef inline void output_layer(const floating *h, const floating[:, ::1] w2,
                              const floating[::1] b2, floating[::1] z2,
                              int m, int nc) noexcept nogil:
    """``z2 = h w2 + b2`` for one output unit; ``h`` is ``(m, nc)``."""
    cdef int i, j
    cdef floating s
    for i in range(m):
        s = b2[0]
        for j in range(nc):
            s = s + h[i * nc + j] * w2[j, 0]
        z2[i] = s


cdef inline void gather_rows(const floating *table, const index_t *ids, Py_ssize_t stride,
                             const floating *bias, floating *out, int m, int nc) noexcept nogil:
    """``out[i] = table[ids[i * stride]] + bias`` for i < m, rows of nc values: the token-id
    input ``x_t w1x + b1`` (in C, see _vmath.h: memoryview indexing would stay scalar)."""
    if floating is double:
        if index_t is int32_t:
            rnnfast_gather_d32(table, ids, stride, bias, out, m, nc)
        else:
            rnnfast_gather_d64(table, ids, stride, bias, out, m, nc)
    else:
        if index_t is int32_t:
            rnnfast_gather_f32(table, ids, stride, bias, out, m, nc)
        else:
            rnnfast_gather_f64(table, ids, stride, bias, out, m, nc)


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
    cdef int S = hs.shape[0]
    cdef int t, i, j, cur, prev
    with nogil:
        # The input projection is not recurrent: one large product for all m * T rows.
        gemm(False, False, m * T, nc, nf, <floating> 1.0, &x[0, 0, 0], nf, &w1x[0, 0], nc,
             <floating> 0.0, &xw[0, 0, 0], nc)
        for t in range(T):
            prev = t % S
            cur = (t + 1) % S
            for i in range(m):
                for j in range(nc):
                    hs[cur, i, j] = xw[i, t, j] + b1[j]
            recurrent_step(&hs[prev, 0, 0], &w1h[0, 0], &hs[cur, 0, 0], m, nc)
        output_layer(&hs[T % S, 0, 0], w2, b2, z2, m, nc)


def forward_ids(const index_t[:, ::1] ids, const floating[:, ::1] w1x,
                const floating[:, ::1] w1h, const floating[::1] b1,
                const floating[:, ::1] w2, const floating[::1] b2,
                floating[:, :, ::1] hs, floating[::1] z2):
    """Forward pass for token ids (m, T) that stand for one-hot rows over nf = w1x.shape[0].

    ``x_t w1x`` is the row ``w1x[ids[:, t]]``: a gather, no one-hot array.  hs and z2 as in
    :func:`forward_dense`.  Every id must lie in [0, nf) (checked by the caller).
    """
    cdef int m = ids.shape[0], T = ids.shape[1], nc = w1h.shape[0]
    cdef int S = hs.shape[0]
    cdef int t, cur, prev
    with nogil:
        for t in range(T):
            prev = t % S
            cur = (t + 1) % S
            gather_rows(&w1x[0, 0], &ids[0, t], T, &b1[0], &hs[cur, 0, 0], m, nc)
            recurrent_step(&hs[prev, 0, 0], &w1h[0, 0], &hs[cur, 0, 0], m, nc)
        output_layer(&hs[T % S, 0, 0], w2, b2, z2, m, nc)


def forward_sparse(const xfloat[:, :, ::1] x, const int64_t[::1] rows,
                   const floating[:, ::1] w1x, const floating[:, ::1] w1h,
                   const floating[::1] b1, const floating[:, ::1] w2,
                   const floating[::1] b2, floating[:, :, ::1] hs, floating[::1] z2):
    """Forward pass for dense input that is mostly zeros (e.g. one-hot), read in place.

    The batch is ``x[rows]`` (x (n, T, nf), any number n of rows; rows (m,)): no copy and no
    conversion of x.  ``x_t w1x`` adds ``x[r, t, f] * w1x[f]`` for the nonzero features f
    only; skipping exact zeros changes no sum, so the result equals the dense product.
    hs and z2 as in :func:`forward_dense`.
    """
    cdef int m = rows.shape[0], T = x.shape[1], nf = x.shape[2], nc = w1h.shape[0]
    cdef int S = hs.shape[0]
    cdef int t, i, j, f, cur, prev
    cdef floating xv
    cdef const xfloat *xrow
    with nogil:
        for t in range(T):
            prev = t % S
            cur = (t + 1) % S
            for i in range(m):
                for j in range(nc):
                    hs[cur, i, j] = b1[j]
                xrow = &x[rows[i], t, 0]
                for f in range(nf):
                    if xrow[f] != 0:
                        xv = <floating> xrow[f]
                        for j in range(nc):
                            hs[cur, i, j] = hs[cur, i, j] + xv * w1x[f, j]
            recurrent_step(&hs[prev, 0, 0], &w1h[0, 0], &hs[cur, 0, 0], m, nc)
        output_layer(&hs[T % S, 0, 0], w2, b2, z2, m, nc)


# --------------------------------------------------------------------------- backward

cdef inline void output_backward(const floating[:, :, ::1] hs, const floating[::1] err,
                                   const floating[:, ::1] w2, floating[:, ::1] w2_grad,
                                   floating[::1] b2_grad, floating[:, ::1] delta,
                                   int T, int m, int nc) noexcept nogil:
    """Output layer: w2/b2 gradients (summed, not yet / m) and ``delta = dL/dz1`` at the
    last step, ``(err w2^T) * (1 - h_T^2)``."""
    cdef int i, j
    cdef floating h, s = 0
    for j in range(nc):
        w2_grad[j, 0] = 0
    for i in range(m):
        s = s + err[i]
        for j in range(nc):
            h = hs[T, i, j]
            w2_grad[j, 0] = w2_grad[j, 0] + h * err[i]
            delta[i, j] = err[i] * w2[j, 0] * (1 - h * h)
    b2_grad[0] = s


cdef inline floating frobenius(const floating *a, Py_ssize_t n) noexcept nogil:
    """sqrt(sum a^2), in double.  Four independent partial sums: a single running sum is one
    long dependency chain (C may not reorder a floating-point sum), four run in parallel."""
    cdef Py_ssize_t i, n4 = n - n % 4
    cdef double s0 = 0, s1 = 0, s2 = 0, s3 = 0
    for i in range(0, n4, 4):
        s0 += <double> a[i] * a[i]
        s1 += <double> a[i + 1] * a[i + 1]
        s2 += <double> a[i + 2] * a[i + 2]
        s3 += <double> a[i + 3] * a[i + 3]
    for i in range(n4, n):
        s0 += <double> a[i] * a[i]
    return <floating> sqrt((s0 + s1) + (s2 + s3))


cdef inline void recurrent_backward(const floating[:, :, ::1] hs, int t,
                                    const floating[:, ::1] w1h, bint textbook,
                                    floating[:, ::1] w1h_grad, floating[::1] b1_grad,
                                    floating *delta, floating *delta_prev,
                                    bint propagate, int m, int nc) noexcept nogil:
    """One visited step t: accumulate w1h and b1 gradients from ``delta = dL/dz1_t`` and, if
    ``propagate``, write ``dL/dz1_{t-1}`` into ``delta_prev``.

    exact:    dL/dz1_{t-1} = (delta w1h^T) * (1 - h_{t-1}^2)
    textbook: dL/dz1_{t-1} = (delta w1h)   * (1 - h_{t-1}^2)   (the source's missing transpose)
    """
    cdef int i, j
    cdef const floating *h_prev = &hs[t, 0, 0]   # hs[t] = h_{t-1}
    cdef floating h
    gemm(True, False, nc, nc, m, <floating> 1.0, h_prev, nc, delta, nc,
         <floating> 1.0, &w1h_grad[0, 0], nc)
    for i in range(m):
        for j in range(nc):
            b1_grad[j] = b1_grad[j] + delta[i * nc + j]
    if propagate:
        gemm(False, not textbook, m, nc, nc, <floating> 1.0, delta, nc, &w1h[0, 0], nc,
             <floating> 0.0, delta_prev, nc)
        for i in range(m):
            for j in range(nc):
                h = h_prev[i * nc + j]
                delta_prev[i * nc + j] = delta_prev[i * nc + j] * (1 - h * h)


cdef inline void scale_grads(floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad,
                             floating[::1] b1_grad, floating[:, ::1] w2_grad,
                             floating[::1] b2_grad, int m) noexcept nogil:
    """Divide the summed gradients by the batch size m (the loss is a batch mean)."""
    cdef floating inv = (<floating> 1.0) / m
    cdef Py_ssize_t i, j
    for i in range(w1h_grad.shape[0]):
        for j in range(w1h_grad.shape[1]):
            w1h_grad[i, j] *= inv
    for i in range(w1x_grad.shape[0]):
        for j in range(w1x_grad.shape[1]):
            w1x_grad[i, j] *= inv
    for j in range(b1_grad.shape[0]):
        b1_grad[j] *= inv
    for j in range(w2_grad.shape[0]):
        w2_grad[j, 0] *= inv
    b2_grad[0] *= inv


cdef inline void zero_grads(floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad,
                            floating[::1] b1_grad) noexcept nogil:
    cdef Py_ssize_t i, j
    for i in range(w1h_grad.shape[0]):
        for j in range(w1h_grad.shape[1]):
            w1h_grad[i, j] = 0
    for i in range(w1x_grad.shape[0]):
        for j in range(w1x_grad.shape[1]):
            w1x_grad[i, j] = 0
    for j in range(b1_grad.shape[0]):
        b1_grad[j] = 0


cdef inline void finish_step(const floating[:, :, ::1] hs, int t, int j, int k,
                             const floating[:, ::1] w1h, bint textbook,
                             floating[:, ::1] w1h_grad, floating[::1] b1_grad,
                             floating **delta, floating **other, double[::1] grad_norms,
                             int m, int nc) noexcept nogil:
    """What every backward kernel does at visited step t (j steps back) once its own w1x
    gradient is added: record ||delta||_F / m, accumulate w1h and b1, propagate delta to t - 1
    (unless this was the last visited step) and swap the two delta buffers."""
    cdef floating *swap
    grad_norms[j] = frobenius(delta[0], <Py_ssize_t> m * nc) / m
    recurrent_backward(hs, t, w1h, textbook, w1h_grad, b1_grad, delta[0], other[0],
                       j + 1 < k, m, nc)
    swap = delta[0]
    delta[0] = other[0]
    other[0] = swap


def backward_dense(const floating[:, :, ::1] x, const floating[:, :, ::1] hs,
                   const floating[::1] err, const floating[:, ::1] w1h,
                   const floating[:, ::1] w2, int bptt_steps, bint textbook,
                   floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad, floating[::1] b1_grad,
                   floating[:, ::1] w2_grad, floating[::1] b2_grad,
                   floating[:, ::1] delta_a, floating[:, ::1] delta_b,
                   double[::1] grad_norms):
    """Truncated BPTT over the last k = bptt_steps steps (1 <= k <= T) for dense input.

    x (m, T, nf); hs (T + 1, m, nc) from :func:`forward_dense`; err (m,) = a - y.
    Writes the five gradients of the batch-mean loss (overwriting the buffers) and
    grad_norms[j] = ||dL/dz1_t||_F for t = T - 1 - j, j < k.  delta_a/delta_b (m, nc) scratch.
    """
    cdef int m = x.shape[0], T = x.shape[1], nf = x.shape[2], nc = w1h.shape[0]
    cdef int k = bptt_steps, j, t
    cdef floating *delta = &delta_a[0, 0]
    cdef floating *other = &delta_b[0, 0]
    with nogil:
        zero_grads(w1h_grad, w1x_grad, b1_grad)
        output_backward(hs, err, w2, w2_grad, b2_grad, delta_a, T, m, nc)
        for j in range(k):
            t = T - 1 - j
            # w1x_grad += x_t^T delta; x_t = x[:, t, :] has row stride T * nf.
            gemm(True, False, nf, nc, m, <floating> 1.0, &x[0, t, 0], T * nf, delta, nc,
                 <floating> 1.0, &w1x_grad[0, 0], nc)
            finish_step(hs, t, j, k, w1h, textbook, w1h_grad, b1_grad, &delta, &other,
                        grad_norms, m, nc)
        scale_grads(w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad, m)


def backward_ids(const index_t[:, ::1] ids, const floating[:, :, ::1] hs,
                 const floating[::1] err, const floating[:, ::1] w1h,
                 const floating[:, ::1] w2, int bptt_steps, bint textbook,
                 floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad, floating[::1] b1_grad,
                 floating[:, ::1] w2_grad, floating[::1] b2_grad,
                 floating[:, ::1] delta_a, floating[:, ::1] delta_b,
                 double[::1] grad_norms):
    """As :func:`backward_dense` for token ids (m, T): the w1x gradient is a scatter-add of
    delta's rows into the rows ``ids[:, t]`` of w1x_grad (nf, nc)."""
    cdef int m = ids.shape[0], T = ids.shape[1], nc = w1h.shape[0]
    cdef int k = bptt_steps, j, t, i, c
    cdef index_t w
    cdef floating *delta = &delta_a[0, 0]
    cdef floating *other = &delta_b[0, 0]
    with nogil:
        zero_grads(w1h_grad, w1x_grad, b1_grad)
        output_backward(hs, err, w2, w2_grad, b2_grad, delta_a, T, m, nc)
        for j in range(k):
            t = T - 1 - j
            for i in range(m):
                w = ids[i, t]
                for c in range(nc):
                    w1x_grad[w, c] = w1x_grad[w, c] + delta[i * nc + c]
            finish_step(hs, t, j, k, w1h, textbook, w1h_grad, b1_grad, &delta, &other,
                        grad_norms, m, nc)
        scale_grads(w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad, m)


def backward_sparse(const xfloat[:, :, ::1] x, const int64_t[::1] rows,
                    const floating[:, :, ::1] hs, const floating[::1] err,
                    const floating[:, ::1] w1h, const floating[:, ::1] w2, int bptt_steps,
                    bint textbook, floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad,
                    floating[::1] b1_grad, floating[:, ::1] w2_grad, floating[::1] b2_grad,
                    floating[:, ::1] delta_a, floating[:, ::1] delta_b,
                    double[::1] grad_norms):
    """As :func:`backward_dense` for the batch ``x[rows]`` read in place: the w1x gradient
    adds ``x[r, t, f] * delta[i]`` to row f for the nonzero features only."""
    cdef int m = rows.shape[0], T = x.shape[1], nf = x.shape[2], nc = w1h.shape[0]
    cdef int k = bptt_steps, j, t, i, f, c
    cdef floating xv
    cdef const xfloat *xrow
    cdef floating *delta = &delta_a[0, 0]
    cdef floating *other = &delta_b[0, 0]
    with nogil:
        zero_grads(w1h_grad, w1x_grad, b1_grad)
        output_backward(hs, err, w2, w2_grad, b2_grad, delta_a, T, m, nc)
        for j in range(k):
            t = T - 1 - j
            for i in range(m):
                xrow = &x[rows[i], t, 0]
                for f in range(nf):
                    if xrow[f] != 0:
                        xv = <floating> xrow[f]
                        for c in range(nc):
                            w1x_grad[f, c] = w1x_grad[f, c] + xv * delta[i * nc + c]
            finish_step(hs, t, j, k, w1h, textbook, w1h_grad, b1_grad, &delta, &other,
                        grad_norms, m, nc)
        scale_grads(w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad, m)


# --------------------------------------------------------------------------- input form

cdef inline Py_ssize_t one_hot_index(const xfloat *row, Py_ssize_t nf) noexcept nogil:
    """The index of the single 1 in row[:nf] if every other entry is 0, else -1 (NaN, a
    second nonzero or a value other than 1 all give -1)."""
    cdef Py_ssize_t f, hit = -1
    for f in range(nf):
        if row[f] != 0:
            if hit >= 0 or row[f] != 1:
                return -1
            hit = f
    return hit


def one_hot_ids(const xfloat[:, :, ::1] x, int32_t[:, ::1] ids):
    """If x (m, T, nf) is exactly one-hot, write the token id of every step into ids (m, T)
    and return True; return False at the first step that is not one-hot.  One pass over x,
    stopping early: this is also the finiteness check of one-hot input."""
    cdef Py_ssize_t m = x.shape[0], T = x.shape[1], nf = x.shape[2], i, t, hit
    cdef bint ok = True
    with nogil:
        for i in range(m):
            for t in range(T):
                hit = one_hot_index(&x[i, t, 0], nf)
                if hit < 0:
                    ok = False
                    break
                ids[i, t] = <int32_t> hit
            if not ok:
                break
    return ok
