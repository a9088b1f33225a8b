# cython: language_level=3
"""The element loops of the kernels (rnnfast/_vmath.h: one copy per CPU level) and BLAS' gemm,
typed for Cython: each wrapper takes the weights' type ``floating`` (float32 or float64) and,
for the token-id loops, the ids' type ``index_t`` (int32 or int64), and calls the C function
whose suffix says them (``_d`` / ``_f`` the element, ``_i32`` / ``_i64`` the index).

Everything here is ``inline``: it is compiled into the module that cimports it (_kernels);
there is no module rnnfast._vmath.
"""
from cython cimport floating
from libc.stdint cimport int32_t, int64_t
from scipy.linalg.cython_blas cimport dgemm, sgemm

ctypedef fused index_t:
    int32_t
    int64_t

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
    int rnnfast_one_hot_ids_d(const double *x, ptrdiff_t rows, ptrdiff_t nf, int32_t *ids)
    int rnnfast_one_hot_ids_f(const float *x, ptrdiff_t rows, ptrdiff_t nf, int32_t *ids)
    int rnnfast_panel_width_d()
    int rnnfast_panel_width_f()
    void rnnfast_gemm_acc_d(const double *A, const double *B, double *C, int m, int k, int n)
    void rnnfast_gemm_acc_f(const float *A, const float *B, float *C, int m, int k, int n)
    # C = table[ids[i * stride]] + bias + A B (see ids_step below)
    void rnnfast_ids_step_d_i32(const double *A, const double *B, const double *table,
            const int32_t *ids, ptrdiff_t stride, const double *bias, double *C, int m, int n)
    void rnnfast_ids_step_d_i64(const double *A, const double *B, const double *table,
            const int64_t *ids, ptrdiff_t stride, const double *bias, double *C, int m, int n)
    void rnnfast_ids_step_f_i32(const float *A, const float *B, const float *table,
            const int32_t *ids, ptrdiff_t stride, const float *bias, float *C, int m, int n)
    void rnnfast_ids_step_f_i64(const float *A, const float *B, const float *table,
            const int64_t *ids, ptrdiff_t stride, const float *bias, float *C, int m, int n)
    void rnnfast_blas_threads_init(void *function_in_blas_user)
    int rnnfast_blas_threads()


cdef inline void gemm(bint trans_a, bint trans_b, int m, int n, int k, floating alpha,
                      const floating *a, int lda, const floating *b, int ldb,
                      floating beta, floating *c, int ldc) noexcept nogil:
    """Row-major ``C(m, n) = alpha op(A)(m, k) op(B)(k, n) + beta C`` (BLAS: the library NumPy
    and SciPy already load, through scipy.linalg.cython_blas).

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


cdef inline int panel_width_at_level(bint is_double) noexcept nogil:
    """The register tile's panel width at the level in use (1 without vector code)."""
    if is_double:
        return rnnfast_panel_width_d()
    return rnnfast_panel_width_f()


cdef inline void tanh_inplace(floating *x, Py_ssize_t n) noexcept nogil:
    if floating is double:
        rnnfast_tanh_d(x, n)
    else:
        rnnfast_tanh_f(x, n)


cdef inline void gemm_acc(const floating *a, const floating *b, floating *c, int m, int k,
                          int n) noexcept nogil:
    """``C(m, n) += A(m, k) B(k, n)`` in _vmath_panel.h's register tile (n a multiple of the
    panel width)."""
    if floating is double:
        rnnfast_gemm_acc_d(a, b, c, m, k, n)
    else:
        rnnfast_gemm_acc_f(a, b, c, m, k, n)


cdef inline void gather_rows(const floating *table, const index_t *ids, Py_ssize_t stride,
                             const floating *bias, floating *out, int m, int nc) noexcept nogil:
    """``out[i] = table[ids[i * stride]] + bias`` for i < m, rows of nc values: the token-id
    input ``x_t w1x + b1`` (in C: memoryview indexing would stay scalar)."""
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


cdef inline void ids_step(const floating *h_prev, const floating *w1h, const floating *table,
                          const index_t *ids, Py_ssize_t stride, const floating *bias,
                          floating *h, int m, int nc) noexcept nogil:
    """``h = table[ids[i * stride]] + bias + h_prev w1h`` (m, nc): gather_rows folded into
    gemm_acc (the tile's accumulators start from the gathered rows)."""
    if floating is double:
        if index_t is int32_t:
            rnnfast_ids_step_d_i32(h_prev, w1h, table, ids, stride, bias, h, m, nc)
        else:
            rnnfast_ids_step_d_i64(h_prev, w1h, table, ids, stride, bias, h, m, nc)
    else:
        if index_t is int32_t:
            rnnfast_ids_step_f_i32(h_prev, w1h, table, ids, stride, bias, h, m, nc)
        else:
            rnnfast_ids_step_f_i64(h_prev, w1h, table, ids, stride, bias, h, m, nc)


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


cdef inline void colsum_add(floating *bias_grad, const floating *delta, int m,
                            int nc) noexcept nogil:
    """``bias_grad += sum_i delta[i]`` over the m rows of nc values."""
    if floating is double:
        rnnfast_colsum_add_d(bias_grad, delta, m, nc)
    else:
        rnnfast_colsum_add_f(bias_grad, delta, m, nc)


cdef inline void tanh_deriv(floating *delta, const floating *h, Py_ssize_t n) noexcept nogil:
    """``delta *= 1 - h^2`` (through tanh, h the states it produced)."""
    if floating is double:
        rnnfast_tanh_deriv_d(delta, h, n)
    else:
        rnnfast_tanh_deriv_f(delta, h, n)


cdef inline void scale(floating *x, Py_ssize_t n, floating factor) noexcept nogil:
    if floating is double:
        rnnfast_scale_d(x, n, factor)
    else:
        rnnfast_scale_f(x, n, factor)
