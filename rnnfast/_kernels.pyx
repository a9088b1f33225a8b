# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled time loops of the simple RNN (floor 1).

Only the loops live here.  Every buffer is allocated, shaped and checked by the caller
(``rnnfast.network``); these functions validate nothing, allocate nothing and touch no Python
object inside the loops, which run without the GIL.

Notation (the source's): ``z1_t = x_t w1x + h_{t-1} w1h + b1``, ``h_t = tanh(z1_t)``,
``z2 = h_T w2 + b2``.  Hidden states are stored in ``hs`` with ``hs[0] = h_{-1}`` (the zero
initial state, filled by the caller) and ``hs[t + 1] = h_t``.  The source's ``err_to_cell``
(dL/dz1 at a step) is ``delta`` here, its 10 steps back ``k`` (``bptt_steps``), ``err = a - y``
(docs/ARCHITECTURE.md has the whole glossary).

Matrix products go through ``scipy.linalg.cython_blas`` (the BLAS NumPy and SciPy already load),
row-major arrays being passed to the column-major Fortran interface as their transposes.
"""
from libc.float cimport DBL_MAX, FLT_MAX
from libc.math cimport exp, expf, log, sqrt
from libc.string cimport memcpy
from libc.string cimport memset
from libc.stdint cimport int32_t, int64_t
from scipy.linalg.cython_blas cimport dgemm, sgemm

from ._cpu import requested_level

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
    int rnnfast_set_level(int wanted)
    int rnnfast_cpu_max_level()
    int rnnfast_level
    void rnnfast_tanh_d(double *x, ptrdiff_t n)
    void rnnfast_tanh_f(float *x, ptrdiff_t n)
    const char *rnnfast_tanh_kind()
    void rnnfast_gather_d_i32(const double *table, const int32_t *ids, ptrdiff_t stride,
                              const double *bias, double *out, int m, int nc)
    void rnnfast_gather_d_i64(const double *table, const int64_t *ids, ptrdiff_t stride,
                              const double *bias, double *out, int m, int nc)
    void rnnfast_gather_f_i32(const float *table, const int32_t *ids, ptrdiff_t stride,
                              const float *bias, float *out, int m, int nc)
    void rnnfast_gather_f_i64(const float *table, const int64_t *ids, ptrdiff_t stride,
                              const float *bias, float *out, int m, int nc)
    void rnnfast_scatter_d_i32(double *grad, const int32_t *ids, ptrdiff_t stride,
                               const double *delta, int m, int nc)
    void rnnfast_scatter_d_i64(double *grad, const int64_t *ids, ptrdiff_t stride,
                               const double *delta, int m, int nc)
    void rnnfast_scatter_f_i32(float *grad, const int32_t *ids, ptrdiff_t stride,
                               const float *delta, int m, int nc)
    void rnnfast_scatter_f_i64(float *grad, const int64_t *ids, ptrdiff_t stride,
                               const float *delta, int m, int nc)
    void rnnfast_colsum_add_d(double *bias_grad, const double *delta, int m, int nc)
    void rnnfast_colsum_add_f(float *bias_grad, const float *delta, int m, int nc)
    void rnnfast_tanh_deriv_d(double *delta, const double *h, ptrdiff_t n)
    void rnnfast_tanh_deriv_f(float *delta, const float *h, ptrdiff_t n)
    void rnnfast_scale_d(double *x, ptrdiff_t n, double factor)
    void rnnfast_scale_f(float *x, ptrdiff_t n, float factor)
    double rnnfast_sum_squares_d(const double *x, ptrdiff_t n)
    double rnnfast_sum_squares_f(const float *x, ptrdiff_t n)
    int rnnfast_one_hot_ids_d(const double *x, ptrdiff_t rows, ptrdiff_t nf, int32_t *ids)
    int rnnfast_one_hot_ids_f(const float *x, ptrdiff_t rows, ptrdiff_t nf, int32_t *ids)
    int rnnfast_panel_width_d()
    int rnnfast_panel_width_f()
    void rnnfast_gemm_acc_d(const double *A, const double *B, double *C, int m, int k, int n)
    void rnnfast_gemm_acc_f(const float *A, const float *B, float *C, int m, int k, int n)
    void rnnfast_ids_step_d_i32(const double *A, const double *B, const double *table,
                                const int32_t *ids, ptrdiff_t stride, const double *bias,
                                double *C, int m, int n)
    void rnnfast_ids_step_d_i64(const double *A, const double *B, const double *table,
                                const int64_t *ids, ptrdiff_t stride, const double *bias,
                                double *C, int m, int n)
    void rnnfast_ids_step_f_i32(const float *A, const float *B, const float *table,
                                const int32_t *ids, ptrdiff_t stride, const float *bias,
                                float *C, int m, int n)
    void rnnfast_ids_step_f_i64(const float *A, const float *B, const float *table,
                                const int64_t *ids, ptrdiff_t stride, const float *bias,
                                float *C, int m, int n)
    void rnnfast_blas_threads_init(void *function_in_blas_user)
    int rnnfast_blas_threads()


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
    if dtype_is_double:
        return rnnfast_panel_width_d()
    return rnnfast_panel_width_f()


# The widest layer whose product the tile does faster than BLAS, per CPU level (baseline,
# x86-64-v3, x86-64-v4), float64 and float32: measured with one BLAS thread, a 32-row step,
# OpenBLAS held at the same level (benchmarks/README.md, "CPU levels").  Up to these widths the
# tile won by 5-50% (float32 AVX2 up to 1.5x); beyond them BLAS won or neither did.
cdef int[3] OWN_MAX_DOUBLE = [512, 128, 768]
cdef int[3] OWN_MAX_FLOAT = [512, 768, 768]


cdef inline bint own_product(int nc, bint is_double) noexcept nogil:
    """Whether the recurrent product of a layer of nc cells runs in _vmath_panel.h's tile
    rather than BLAS: nc a multiple of the level's panel width, up to the level's measured
    limit (above), and from 256 cells on only while BLAS runs on one thread (below that
    OpenBLAS' small-matrix path does not use threads)."""
    cdef int width = rnnfast_panel_width_f()
    if is_double:
        width = rnnfast_panel_width_d()
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


cdef inline void recurrent_step(const floating *h_prev, const floating *w1h, floating *h,
                                int m, int nc) noexcept nogil:
    """``h = tanh(h + h_prev w1h)``; ``h`` already holds ``x_t w1x + b1``."""
    if own_product(nc, floating is double):
        if floating is double:
            rnnfast_gemm_acc_d(h_prev, w1h, h, m, nc, nc)
        else:
            rnnfast_gemm_acc_f(h_prev, w1h, h, m, nc, nc)
    else:
        gemm(False, False, m, nc, nc, <floating> 1.0, h_prev, nc, w1h, nc, <floating> 1.0, h,
             nc)
    tanh_inplace(h, <Py_ssize_t> m * nc)


cdef inline void first_step(const floating *h_prev, const floating *w1h, floating *h,
                            int m, int nc) noexcept nogil:
    """The step from the initial state: when it is zero (as fit and predict start), its
    product with w1h is zero and only tanh remains."""
    cdef Py_ssize_t i, n = <Py_ssize_t> m * nc
    for i in range(n):
        if h_prev[i] != 0:
            recurrent_step(h_prev, w1h, h, m, nc)
            return
    tanh_inplace(h, n)


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
            rnnfast_gather_d_i32(table, ids, stride, bias, out, m, nc)
        else:
            rnnfast_gather_d_i64(table, ids, stride, bias, out, m, nc)
    else:
        if index_t is int32_t:
            rnnfast_gather_f_i32(table, ids, stride, bias, out, m, nc)
        else:
            rnnfast_gather_f_i64(table, ids, stride, bias, out, m, nc)


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
            if t == 0:
                first_step(&hs[0, 0, 0], &w1h[0, 0], &hs[1 % S, 0, 0], m, nc)
            else:
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
    with nogil:
        ids_forward(ids, w1x, w1h, b1, w2, b2, hs, z2)


cdef void ids_forward(const index_t[:, ::1] ids, const floating[:, ::1] w1x,
                      const floating[:, ::1] w1h, const floating[::1] b1,
                      const floating[:, ::1] w2, const floating[::1] b2,
                      floating[:, :, ::1] hs, floating[::1] z2) noexcept nogil:
    cdef int m = ids.shape[0], T = ids.shape[1], nc = w1h.shape[0]
    cdef int S = hs.shape[0]
    cdef int t, cur, prev
    cdef bint fused = own_product(nc, floating is double)
    for t in range(T):
        prev = t % S
        cur = (t + 1) % S
        if t > 0 and fused:
            # the gather folded into the product: the accumulators start from w1x[id] + b1
            if floating is double:
                if index_t is int32_t:
                    rnnfast_ids_step_d_i32(&hs[prev, 0, 0], &w1h[0, 0], &w1x[0, 0], &ids[0, t],
                                           T, &b1[0], &hs[cur, 0, 0], m, nc)
                else:
                    rnnfast_ids_step_d_i64(&hs[prev, 0, 0], &w1h[0, 0], &w1x[0, 0], &ids[0, t],
                                           T, &b1[0], &hs[cur, 0, 0], m, nc)
            else:
                if index_t is int32_t:
                    rnnfast_ids_step_f_i32(&hs[prev, 0, 0], &w1h[0, 0], &w1x[0, 0], &ids[0, t],
                                           T, &b1[0], &hs[cur, 0, 0], m, nc)
                else:
                    rnnfast_ids_step_f_i64(&hs[prev, 0, 0], &w1h[0, 0], &w1x[0, 0], &ids[0, t],
                                           T, &b1[0], &hs[cur, 0, 0], m, nc)
            tanh_inplace(&hs[cur, 0, 0], <Py_ssize_t> m * nc)
            continue
        gather_rows(&w1x[0, 0], &ids[0, t], T, &b1[0], &hs[cur, 0, 0], m, nc)
        if t == 0:
            first_step(&hs[0, 0, 0], &w1h[0, 0], &hs[1 % S, 0, 0], m, nc)
        else:
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
            if t == 0:
                first_step(&hs[0, 0, 0], &w1h[0, 0], &hs[1 % S, 0, 0], m, nc)
            else:
                recurrent_step(&hs[prev, 0, 0], &w1h[0, 0], &hs[cur, 0, 0], m, nc)
        output_layer(&hs[T % S, 0, 0], w2, b2, z2, m, nc)


# --------------------------------------------------------------------------- backward

cdef inline void output_backward(const floating[:, :, ::1] hs, const floating[::1] err,
                                   const floating[:, ::1] w2, floating[:, ::1] w2_grad,
                                   floating[::1] b2_grad, floating *delta,
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
            delta[i * nc + j] = err[i] * w2[j, 0] * (1 - h * h)
    b2_grad[0] = s


cdef inline double sum_squares(const floating *a, Py_ssize_t n) noexcept nogil:
    """sum a^2 in double (see _vmath.h)."""
    if floating is double:
        return rnnfast_sum_squares_d(a, n)
    else:
        return rnnfast_sum_squares_f(a, n)


cdef inline floating frobenius(const floating *a, Py_ssize_t n) noexcept nogil:
    """sqrt(sum a^2), the sum in double."""
    return <floating> sqrt(sum_squares(a, n))


cdef inline void colsum_add(floating *bias_grad, const floating *delta, int m,
                            int nc) noexcept nogil:
    if floating is double:
        rnnfast_colsum_add_d(bias_grad, delta, m, nc)
    else:
        rnnfast_colsum_add_f(bias_grad, delta, m, nc)


cdef inline void tanh_deriv(floating *delta, const floating *h, Py_ssize_t n) noexcept nogil:
    if floating is double:
        rnnfast_tanh_deriv_d(delta, h, n)
    else:
        rnnfast_tanh_deriv_f(delta, h, n)


cdef inline void scale(floating *x, Py_ssize_t n, floating factor) noexcept nogil:
    if floating is double:
        rnnfast_scale_d(x, n, factor)
    else:
        rnnfast_scale_f(x, n, factor)


cdef inline void scatter_rows(floating *grad, const index_t *ids, Py_ssize_t stride,
                              const floating *delta, int m, int nc) noexcept nogil:
    """``grad[ids[i * stride]] += delta[i]`` for i < m, rows of nc values."""
    if floating is double:
        if index_t is int32_t:
            rnnfast_scatter_d_i32(grad, ids, stride, delta, m, nc)
        else:
            rnnfast_scatter_d_i64(grad, ids, stride, delta, m, nc)
    else:
        if index_t is int32_t:
            rnnfast_scatter_f_i32(grad, ids, stride, delta, m, nc)
        else:
            rnnfast_scatter_f_i64(grad, ids, stride, delta, m, nc)


cdef inline void propagate(const floating *h_prev, const floating[:, ::1] w1h, bint textbook,
                           const floating *delta, floating *delta_prev, int m,
                           int nc) noexcept nogil:
    """``delta_prev = dL/dz1_{t-1}`` from ``delta = dL/dz1_t``; h_prev = h_{t-1} (m, nc).

    exact:    dL/dz1_{t-1} = (delta w1h^T) * (1 - h_{t-1}^2)
    textbook: dL/dz1_{t-1} = (delta w1h)   * (1 - h_{t-1}^2)   (the source's missing transpose)
    """
    gemm(False, not textbook, m, nc, nc, <floating> 1.0, delta, nc, &w1h[0, 0], nc,
         <floating> 0.0, delta_prev, nc)
    tanh_deriv(delta_prev, h_prev, <Py_ssize_t> m * nc)


cdef inline void scale_grads(floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad,
                             floating[::1] b1_grad, floating[:, ::1] w2_grad,
                             floating[::1] b2_grad, int m) noexcept nogil:
    """Divide the summed gradients by the batch size m (the loss is a batch mean)."""
    cdef floating inv = (<floating> 1.0) / m
    scale(&w1h_grad[0, 0], w1h_grad.shape[0] * w1h_grad.shape[1], inv)
    scale(&w1x_grad[0, 0], w1x_grad.shape[0] * w1x_grad.shape[1], inv)
    scale(&b1_grad[0], b1_grad.shape[0], inv)
    scale(&w2_grad[0, 0], w2_grad.shape[0], inv)
    b2_grad[0] *= inv


cdef inline void begin_backward(const floating[:, :, ::1] hs, const floating[::1] err,
                                 const floating[:, ::1] w2, floating[:, ::1] w1x_grad,
                                 floating[:, ::1] w2_grad, floating[::1] b2_grad,
                                 floating[:, :, ::1] deltas, int T, int k, int m,
                                 int nc) noexcept nogil:
    """Zero the w1x gradient (accumulated step by step) and do the output layer, whose
    ``dL/dz1`` at the last step goes to deltas[k - 1]."""
    memset(&w1x_grad[0, 0], 0, w1x_grad.shape[0] * w1x_grad.shape[1] * sizeof(floating))
    output_backward(hs, err, w2, w2_grad, b2_grad, &deltas[k - 1, 0, 0], T, m, nc)


cdef inline floating *visit_step(const floating[:, :, ::1] hs, int T, int j, int k,
                                 const floating[:, ::1] w1h, bint textbook,
                                 floating[:, :, ::1] deltas, double[::1] grad_norms,
                                 int m, int nc) noexcept nogil:
    """Visited step t = T - 1 - j (j steps back), once its w1x gradient is added: record
    ||dL/dz1_t||_F / m and, unless it is the last visited step, propagate to t - 1.
    Returns dL/dz1_t, i.e. deltas[k - 1 - j] (the buffer holds the k deltas in time order)."""
    cdef floating *delta = &deltas[k - 1 - j, 0, 0]
    grad_norms[j] = frobenius(delta, <Py_ssize_t> m * nc) / m
    if j + 1 < k:
        propagate(&hs[T - 1 - j, 0, 0], w1h, textbook, delta, &deltas[k - 2 - j, 0, 0], m, nc)
    return delta


cdef inline void end_backward(const floating[:, :, ::1] hs, const floating[:, :, ::1] deltas,
                              int T, int k, int m, int nc, floating[:, ::1] w1h_grad,
                              floating[:, ::1] w1x_grad, floating[::1] b1_grad,
                              floating[:, ::1] w2_grad, floating[::1] b2_grad) noexcept nogil:
    """The w1h and b1 gradients of all k visited steps at once, then the batch mean.

    w1h_grad = sum_t h_{t-1}^T dL/dz1_t: the states hs[T - k : T] (h_{t-1} for the visited t)
    and the deltas are both (k m, nc) blocks in time order, so this is one product with
    inner dimension k m instead of k small ones; b1_grad = the column sums of the deltas.
    """
    gemm(True, False, nc, nc, k * m, <floating> 1.0, &hs[T - k, 0, 0], nc, &deltas[0, 0, 0],
         nc, <floating> 0.0, &w1h_grad[0, 0], nc)
    memset(&b1_grad[0], 0, b1_grad.shape[0] * sizeof(floating))
    colsum_add(&b1_grad[0], &deltas[0, 0, 0], k * m, nc)
    scale_grads(w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad, m)


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
    dL/dz1_t of the visited steps, in time order.
    """
    cdef int m = x.shape[0], T = x.shape[1], nf = x.shape[2], nc = w1h.shape[0]
    cdef int k = bptt_steps, j, t
    cdef floating *delta
    with nogil:
        begin_backward(hs, err, w2, w1x_grad, w2_grad, b2_grad, deltas, T, k, m, nc)
        for j in range(k):
            t = T - 1 - j
            delta = &deltas[k - 1 - j, 0, 0]
            # w1x_grad += x_t^T delta; x_t = x[:, t, :] has row stride T * nf.
            gemm(True, False, nf, nc, m, <floating> 1.0, &x[0, t, 0], T * nf, delta, nc,
                 <floating> 1.0, &w1x_grad[0, 0], nc)
            visit_step(hs, T, j, k, w1h, textbook, deltas, grad_norms, m, nc)
        end_backward(hs, deltas, T, k, m, nc, w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad)


def backward_ids(const index_t[:, ::1] ids, const floating[:, :, ::1] hs,
                 const floating[::1] err, const floating[:, ::1] w1h,
                 const floating[:, ::1] w2, int bptt_steps, bint textbook,
                 floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad, floating[::1] b1_grad,
                 floating[:, ::1] w2_grad, floating[::1] b2_grad,
                 floating[:, :, ::1] deltas, double[::1] grad_norms):
    """As :func:`backward_dense` for token ids (m, T): the w1x gradient is a scatter-add of
    delta's rows into the rows ``ids[:, t]`` of w1x_grad (nf, nc)."""
    with nogil:
        ids_backward(ids, hs, err, w1h, w2, bptt_steps, textbook, w1h_grad, w1x_grad,
                     b1_grad, w2_grad, b2_grad, deltas, grad_norms)


cdef void ids_backward(const index_t[:, ::1] ids, const floating[:, :, ::1] hs,
                       const floating[::1] err, const floating[:, ::1] w1h,
                       const floating[:, ::1] w2, int bptt_steps, bint textbook,
                       floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad,
                       floating[::1] b1_grad, floating[:, ::1] w2_grad, floating[::1] b2_grad,
                       floating[:, :, ::1] deltas, double[::1] grad_norms) noexcept nogil:
    cdef int m = ids.shape[0], T = ids.shape[1], nc = w1h.shape[0]
    cdef int k = bptt_steps, j, t
    begin_backward(hs, err, w2, w1x_grad, w2_grad, b2_grad, deltas, T, k, m, nc)
    for j in range(k):
        t = T - 1 - j
        scatter_rows(&w1x_grad[0, 0], &ids[0, t], T, &deltas[k - 1 - j, 0, 0], m, nc)
        visit_step(hs, T, j, k, w1h, textbook, deltas, grad_norms, m, nc)
    end_backward(hs, deltas, T, k, m, nc, w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad)


def backward_sparse(const xfloat[:, :, ::1] x, const int64_t[::1] rows,
                    const floating[:, :, ::1] hs, const floating[::1] err,
                    const floating[:, ::1] w1h, const floating[:, ::1] w2, int bptt_steps,
                    bint textbook, floating[:, ::1] w1h_grad, floating[:, ::1] w1x_grad,
                    floating[::1] b1_grad, floating[:, ::1] w2_grad, floating[::1] b2_grad,
                    floating[:, :, ::1] deltas, double[::1] grad_norms):
    """As :func:`backward_dense` for the batch ``x[rows]`` read in place: the w1x gradient
    adds ``x[r, t, f] * delta[i]`` to row f for the nonzero features only."""
    cdef int m = rows.shape[0], T = x.shape[1], nf = x.shape[2], nc = w1h.shape[0]
    cdef int k = bptt_steps, j, t, i, f, c
    cdef floating xv
    cdef const xfloat *xrow
    cdef floating *delta
    with nogil:
        begin_backward(hs, err, w2, w1x_grad, w2_grad, b2_grad, deltas, T, k, m, nc)
        for j in range(k):
            t = T - 1 - j
            delta = &deltas[k - 1 - j, 0, 0]
            for i in range(m):
                xrow = &x[rows[i], t, 0]
                for f in range(nf):
                    if xrow[f] != 0:
                        xv = <floating> xrow[f]
                        for c in range(nc):
                            w1x_grad[f, c] = w1x_grad[f, c] + xv * delta[i * nc + c]
            visit_step(hs, T, j, k, w1h, textbook, deltas, grad_norms, m, nc)
        end_backward(hs, deltas, T, k, m, nc, w1h_grad, w1x_grad, b1_grad, w2_grad, b2_grad)


# --------------------------------------------------------------------------- SGD epoch

cdef inline double batch_output(const floating[::1] z2, const double[::1] y,
                                floating[::1] err, Py_ssize_t *hits) noexcept nogil:
    """The output side of one batch, as fit computes it (network.py): a = sigmoid(z2)
    (z2 clipped below at -100), err = a - y, hits = #((a > 0.5) == (y > 0.5)) and the return
    value, the source's loss: mean BCE in float64 with a clipped to [1e-10, 1 - 1e-10]."""
    cdef Py_ssize_t i, m = z2.shape[0], h = 0
    cdef double ac, total = 0
    cdef floating z, a, one = 1
    for i in range(m):
        z = z2[i]
        if z < -100:            # NaN stays NaN (and reaches the gradient check)
            z = -100
        # in the weights' precision, as NumPy computes 1 / (1 + exp(-z)) on z2
        if floating is float:
            a = one / (one + expf(-z))
        else:
            a = one / (one + exp(-z))
        err[i] = <floating> (a - y[i])
        h += (a > 0.5) == (y[i] > 0.5)
        ac = a
        if ac < 1e-10:
            ac = 1e-10
        if ac > 1 - 1e-10:
            ac = 1 - 1e-10
        total += -(y[i] * log(ac) + (1 - y[i]) * log(1 - ac))
    hits[0] = h
    return total / m


cdef inline double updated_sum_squares(const floating *w, const floating *g, Py_ssize_t n,
                                       floating lr) noexcept nogil:
    """sum (w - lr g)^2 in double: the new weights' share of the divergence check."""
    cdef Py_ssize_t i
    cdef floating v
    cdef double s = 0
    for i in range(n):
        v = w[i] - lr * g[i]
        s += <double> v * v
    return s


cdef inline void sgd_update(floating *w, const floating *g, Py_ssize_t n,
                            floating lr) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        w[i] = w[i] - lr * g[i]


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
    cdef Py_ssize_t m = batch_ids.shape[0], T = ids.shape[1], i, j, r, q
    cdef int k = bptt_steps, status = 0
    cdef Py_ssize_t done = 0, h
    cdef floating lr = <floating> learning_rate
    cdef double gsq, wsq, limit = DBL_MAX
    cdef floating *ws[5]
    cdef floating *gs[5]
    cdef Py_ssize_t ns[5]
    if floating is float:
        limit = FLT_MAX
    ws[0], ws[1], ws[2], ws[3], ws[4] = &w1h[0, 0], &w1x[0, 0], &b1[0], &w2[0, 0], &b2[0]
    gs[0], gs[1], gs[2], gs[3], gs[4] = &g_w1h[0, 0], &g_w1x[0, 0], &g_b1[0], &g_w2[0, 0], &g_b2[0]
    ns[0], ns[1] = w1h.shape[0] * w1h.shape[1], w1x.shape[0] * w1x.shape[1]
    ns[2], ns[3], ns[4] = b1.shape[0], w2.shape[0], 1
    with nogil:
        for j in range(count):
            for i in range(m):
                r = order[(first + j) * m + i]
                memcpy(&batch_ids[i, 0], &ids[r, 0], T * sizeof(index_t))
                batch_y[i] = y[r]
            ids_forward(batch_ids, w1x, w1h, b1, w2, b2, hs, z2)
            losses[j] = batch_output(z2, batch_y, err, &h)
            hits[j] = h
            ids_backward(batch_ids, hs, err, w1h, w2, k, textbook, g_w1h, g_w1x, g_b1,
                         g_w2, g_b2, deltas, norms)
            gsq = 0
            for q in range(5):
                gsq += sum_squares(gs[q], ns[q])
            # float32: fit sums in float32 (np.vdot), which overflows beyond FLT_MAX
            if not gsq <= limit:
                status = 1
                break
            wsq = 0
            for q in range(5):
                wsq += updated_sum_squares(ws[q], gs[q], ns[q], lr)
            if not (wsq <= bound_sq and wsq <= limit):
                status = 2
                break
            for q in range(5):
                sgd_update(ws[q], gs[q], ns[q], lr)
            for q in range(k):
                norm_rows[j, q] = norms[q]
            done += 1
    return done, status


# --------------------------------------------------------------------------- input form

def one_hot_ids(const xfloat[:, :, ::1] x, int32_t[:, ::1] ids):
    """If x (m, T, nf) is exactly one-hot, write the token id of every step into ids (m, T)
    and return True; return False at the first step that is not one-hot (see _vmath.h).  One
    pass over x, stopping at the first bad step: this is also the finiteness check of one-hot
    input."""
    cdef Py_ssize_t rows = x.shape[0] * x.shape[1], nf = x.shape[2]
    cdef int ok
    with nogil:
        if xfloat is double:
            ok = rnnfast_one_hot_ids_d(&x[0, 0, 0], rows, nf, &ids[0, 0])
        else:
            ok = rnnfast_one_hot_ids_f(&x[0, 0, 0], rows, nf, &ids[0, 0])
    return ok != 0
