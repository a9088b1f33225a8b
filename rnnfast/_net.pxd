# cython: language_level=3
"""The buffers of a pass as the kernels see them (floor 1): the five weights (``Params``) and
the input in one of its three forms (``Input``), with what a pass asks of the input:
``input_rows`` (forward: ``x_t w1x + b1``; ``input_rows_with_product`` where the form can fold
it into the recurrent product) and ``add_input_grad`` (backward: the w1x gradient of a step).
The rest of a pass never looks at the input's form.

Pointers to C-contiguous arrays; ``void *`` where the element type is the weights' (float32 or
float64, the kernels' ``floating``), cast by the fused functions that read them.  Everything
here is ``inline`` or a declaration: there is no module rnnfast._net.
"""
from cython cimport floating
from libc.stdint cimport int32_t, int64_t

from rnnfast._vmath cimport gather_rows, gemm, ids_step, scatter_rows


cdef struct Params:
    # The five weights, or their five gradients, C order, in the weights' type:
    void *w1h           # (nc, nc)
    void *w1x           # (nf, nc)
    void *b1            # (nc,)
    void *w2            # (nc, 1)
    void *b2            # (1,)


cdef inline Params params(const void *w1h, const void *w1x, const void *b1, const void *w2,
                          const void *b2) noexcept nogil:
    cdef Params p
    p.w1h, p.w1x, p.b1, p.w2, p.b2 = <void *> w1h, <void *> w1x, <void *> b1, <void *> w2, \
        <void *> b2
    return p


cdef enum InputForm:
    INPUT_DENSE         # x (m, T, nf) in the weights' type; forward reads xw = x w1x (m, T, nc)
    INPUT_IDS_I32       # token ids (m, T) int32: x_t w1x is the rows w1x[ids[:, t]]
    INPUT_IDS_I64       # the same, int64
    INPUT_SPARSE_F32    # x (n, T, nf) float32, mostly zeros, the batch x[rows] read in place
    INPUT_SPARSE_F64    # the same, float64


cdef struct Input:
    InputForm form
    const void *x       # x, the ids or the sparse x (see InputForm)
    const void *xw      # INPUT_DENSE, forward: x w1x (m, T, nc), all steps in one product
    const int64_t *rows  # INPUT_SPARSE_*: the batch's rows of x (m,)
    int T, nf           # steps, input features (x's last axis; the ids' one-hot width)


cdef inline Input dense_input(const void *x, const void *xw, int T, int nf) noexcept nogil:
    cdef Input x_in
    x_in.form, x_in.x, x_in.xw, x_in.rows, x_in.T, x_in.nf = INPUT_DENSE, x, xw, NULL, T, nf
    return x_in


cdef inline Input ids_input(const void *ids, bint int64, int T, int nf) noexcept nogil:
    cdef Input x_in
    x_in.form = INPUT_IDS_I64 if int64 else INPUT_IDS_I32
    x_in.x, x_in.xw, x_in.rows, x_in.T, x_in.nf = ids, NULL, NULL, T, nf
    return x_in


cdef inline Input sparse_input(const void *x, bint float64, const int64_t *rows, int T,
                               int nf) noexcept nogil:
    cdef Input x_in
    x_in.form = INPUT_SPARSE_F64 if float64 else INPUT_SPARSE_F32
    x_in.x, x_in.xw, x_in.rows, x_in.T, x_in.nf = x, NULL, rows, T, nf
    return x_in


cdef inline size_t id_bytes(const Input *x) noexcept nogil:
    """The size of one token id of x (form INPUT_IDS_I32 or INPUT_IDS_I64)."""
    return 8 if x.form == INPUT_IDS_I64 else 4


ctypedef fused x_real:          # the element type of sparse input (read as it is)
    float
    double


cdef inline void input_rows(const Input *x, int t, const floating *w1x, const floating *b1,
                            floating *out, int m, int nc) noexcept nogil:
    """``out = x_t w1x + b1`` (m, nc): the input's share of step t."""
    if x.form == INPUT_IDS_I32:
        gather_rows(w1x, <const int32_t *> x.x + t, x.T, b1, out, m, nc)
    elif x.form == INPUT_IDS_I64:
        gather_rows(w1x, <const int64_t *> x.x + t, x.T, b1, out, m, nc)
    elif x.form == INPUT_DENSE:
        projected_rows(<const floating *> x.xw + <Py_ssize_t> t * nc, <Py_ssize_t> x.T * nc,
                       b1, out, m, nc)
    elif x.form == INPUT_SPARSE_F32:
        sparse_rows(<const float *> x.x, x.rows, t, x.T, x.nf, w1x, b1, out, m, nc)
    else:
        sparse_rows(<const double *> x.x, x.rows, t, x.T, x.nf, w1x, b1, out, m, nc)


cdef inline bint input_rows_with_product(const Input *x, int t, const floating *w1x,
                                         const floating *b1, const floating *h_prev,
                                         const floating *w1h, floating *out, int m,
                                         int nc) noexcept nogil:
    """``out = x_t w1x + b1 + h_prev w1h`` (m, nc) in one pass of the register tile, whose
    accumulators start from the input's rows, for the forms that have it (token ids: the
    gather); False, out untouched, for the others."""
    if x.form == INPUT_IDS_I32:
        ids_step(h_prev, w1h, w1x, <const int32_t *> x.x + t, x.T, b1, out, m, nc)
    elif x.form == INPUT_IDS_I64:
        ids_step(h_prev, w1h, w1x, <const int64_t *> x.x + t, x.T, b1, out, m, nc)
    else:
        return False
    return True


cdef inline void add_input_grad(const Input *x, int t, const floating *delta,
                                floating *w1x_grad, int m, int nc) noexcept nogil:
    """``w1x_grad += x_t^T delta`` (nf, nc), delta = dL/dz1_t (m, nc)."""
    if x.form == INPUT_IDS_I32:         # a scatter-add of delta's rows
        scatter_rows(w1x_grad, <const int32_t *> x.x + t, x.T, delta, m, nc)
    elif x.form == INPUT_IDS_I64:
        scatter_rows(w1x_grad, <const int64_t *> x.x + t, x.T, delta, m, nc)
    elif x.form == INPUT_DENSE:         # x_t = x[:, t, :] has row stride T nf
        gemm(True, False, x.nf, nc, m, <floating> 1.0,
             <const floating *> x.x + <Py_ssize_t> t * x.nf, x.T * x.nf, delta, nc,
             <floating> 1.0, w1x_grad, nc)
    elif x.form == INPUT_SPARSE_F32:
        sparse_grad(<const float *> x.x, x.rows, t, x.T, x.nf, delta, w1x_grad, m, nc)
    else:
        sparse_grad(<const double *> x.x, x.rows, t, x.T, x.nf, delta, w1x_grad, m, nc)


cdef inline void projected_rows(const floating *xw_t, Py_ssize_t stride, const floating *b1,
                                floating *out, int m, int nc) noexcept nogil:
    """input_rows of dense input: ``out[i] = xw_t[i * stride] + b1``, xw_t = x_t w1x."""
    cdef int i, j
    cdef const floating *src
    cdef floating *dst
    for i in range(m):
        src = xw_t + i * stride
        dst = out + <Py_ssize_t> i * nc
        for j in range(nc):
            dst[j] = src[j] + b1[j]


cdef inline void sparse_rows(const x_real *x, const int64_t *rows, int t, int T, int nf,
                             const floating *w1x, const floating *b1, floating *out, int m,
                             int nc) noexcept nogil:
    """input_rows of x[rows]: ``b1 + sum_f x[r, t, f] w1x[f]`` over the nonzero features f
    only (skipping exact zeros changes no sum: the result equals the dense product)."""
    cdef int i, f
    cdef Py_ssize_t j
    cdef const x_real *xrow
    cdef floating *h
    for i in range(m):
        h = out + <Py_ssize_t> i * nc
        for j in range(nc):
            h[j] = b1[j]
        xrow = x + (rows[i] * T + t) * nf
        for f in range(nf):
            if xrow[f] != 0:
                add_scaled(h, <floating> xrow[f], w1x + <Py_ssize_t> f * nc, nc)


cdef inline void sparse_grad(const x_real *x, const int64_t *rows, int t, int T, int nf,
                             const floating *delta, floating *w1x_grad, int m,
                             int nc) noexcept nogil:
    """add_input_grad of x[rows]: ``x[r, t, f] delta[i]`` added to row f of w1x_grad for the
    nonzero features only."""
    cdef int i, f
    cdef const x_real *xrow
    for i in range(m):
        xrow = x + (rows[i] * T + t) * nf
        for f in range(nf):
            if xrow[f] != 0:
                add_scaled(w1x_grad + <Py_ssize_t> f * nc, <floating> xrow[f],
                           delta + <Py_ssize_t> i * nc, nc)


cdef inline void add_scaled(floating *dst, floating a, const floating *src,
                            Py_ssize_t n) noexcept nogil:
    """``dst += a src`` (n values)."""
    cdef Py_ssize_t j
    for j in range(n):
        dst[j] = dst[j] + a * src[j]
