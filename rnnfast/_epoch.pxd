# cython: language_level=3
"""fit's SGD epoch of token ids in one compiled loop (floor 1): per batch the forward pass, the
output's loss, truncated BPTT, the divergence checks and the update, without returning to
Python between batches.  ``Epoch`` holds every buffer (_kernels.sgd_epoch_ids fills it).
Everything here is ``inline`` or a declaration: there is no module rnnfast._epoch.
"""
from cython cimport floating
from libc.float cimport DBL_MAX, FLT_MAX
from libc.math cimport log
from libc.stdint cimport int64_t
from libc.string cimport memcpy

from rnnfast._backward cimport backward_pass
from rnnfast._forward cimport forward_pass
from rnnfast._loss cimport bce_term, clip_prob, hit, output_err, sigmoid, sum_squares
from rnnfast._net cimport Input, Params, id_bytes


cdef struct Epoch:
    # the data: token ids (n, T) (form INPUT_IDS_I32 or _I64), labels y (n,), and the epoch's
    # permutation order (n,): batch b holds the rows order[b m : (b + 1) m]
    Input data
    const double *y
    const int64_t *order
    # the batch (m sequences): its ids (m, T), copied from data, and labels (m,)
    Input batch
    void *batch_ids
    double *batch_y
    # the network, in the weights' type: the weights (updated in place), their gradients,
    # hs (T + 1, m, nc) with hs[0] = 0, z2 and err (m,), deltas (k, m, nc), norms (k,)
    Params w
    Params g
    void *hs
    void *z2
    void *err
    void *deltas
    double *norms
    int m, nc, k
    bint textbook       # the source's backprop rule
    bint own            # the recurrent product in the register tile (else BLAS)
    double bound_sq     # the bound on the new weights' sum of squares
    # per batch j of the call: its loss, hits and norms (k,)
    double *losses
    int64_t *hits
    double *norm_rows


cdef inline Py_ssize_t sgd_epoch(const Epoch *e, Py_ssize_t first, Py_ssize_t count,
                                 floating lr, int *status) noexcept nogil:
    """Batches first .. first + count - 1, learning rate lr; returns the batches done.
    status: 0, or 1 at a batch whose gradients' sum of squares is not finite, 2 where the
    update would take the weights' sum of squares beyond bound_sq or to inf/NaN: the loop
    stops there, before updating."""
    cdef Py_ssize_t j, done = 0, hits
    cdef Py_ssize_t sizes[5]
    cdef floating *ws[5]
    cdef floating *gs[5]
    cdef int T = e.data.T
    cdef double gsq, wsq, limit = DBL_MAX
    if floating is float:
        limit = FLT_MAX         # fit sums float32 in float32 (np.vdot), which overflows there
    params_arrays(&e.w, e.nc, e.data.nf, ws, sizes)
    params_arrays(&e.g, e.nc, e.data.nf, gs, sizes)
    status[0] = 0
    for j in range(count):
        load_batch(e, first + j)
        forward_pass(&e.batch, &e.w, <floating *> e.hs, T + 1, <floating *> e.z2, e.m, e.nc,
                     e.own)
        e.losses[j] = batch_output(<const floating *> e.z2, e.batch_y, <floating *> e.err,
                                   e.m, &hits)
        e.hits[j] = hits
        backward_pass(&e.batch, <const floating *> e.hs, <const floating *> e.err, &e.w, e.k,
                      e.textbook, &e.g, <floating *> e.deltas, e.norms, e.m, e.nc)
        gsq = params_sum_squares(gs, sizes)
        if not gsq <= limit:
            status[0] = 1
            break
        wsq = updated_sum_squares(ws, gs, sizes, lr)
        if not (wsq <= e.bound_sq and wsq <= limit):
            status[0] = 2
            break
        sgd_update(ws, gs, sizes, lr)
        memcpy(e.norm_rows + j * e.k, e.norms, e.k * sizeof(double))
        done += 1
    return done


cdef inline void params_arrays(const Params *p, int nc, int nf, floating **at,
                               Py_ssize_t *sizes) noexcept nogil:
    """The five arrays of p in the order w1h, w1x, b1, w2, b2, and their sizes."""
    at[0], at[1], at[2] = <floating *> p.w1h, <floating *> p.w1x, <floating *> p.b1
    at[3], at[4] = <floating *> p.w2, <floating *> p.b2
    sizes[0], sizes[1], sizes[2], sizes[3], sizes[4] = <Py_ssize_t> nc * nc, \
        <Py_ssize_t> nf * nc, nc, nc, 1


cdef inline void load_batch(const Epoch *e, Py_ssize_t b) noexcept nogil:
    """Copy batch b's ids and labels into the batch buffers."""
    cdef size_t row = e.data.T * id_bytes(&e.data)
    cdef Py_ssize_t i, r
    for i in range(e.m):
        r = e.order[b * e.m + i]
        memcpy(<char *> e.batch_ids + i * row, <const char *> e.data.x + r * row, row)
        e.batch_y[i] = e.y[r]


cdef inline double batch_output(const floating *z2, const double *y, floating *err,
                                Py_ssize_t m, Py_ssize_t *hits) noexcept nogil:
    """The output side of one batch as fit computes it (network.py): a = sigmoid(z2),
    err = a - y, hits = #((a > 0.5) == (y > 0.5)) and the return value, the source's loss: the
    mean binary cross-entropy in float64, a clipped in float64 and the terms summed in order."""
    cdef Py_ssize_t i, h = 0
    cdef double ac, total = 0
    cdef floating a
    for i in range(m):
        a = sigmoid(z2[i])          # NaN stays NaN (and reaches the gradient check)
        err[i] = output_err(a, y[i])
        h += hit(a, y[i])
        ac = clip_prob(<double> a)
        total += bce_term(y[i], log(ac), log(1 - ac))
    hits[0] = h
    return total / m


cdef inline double params_sum_squares(floating **arrays,
                                      const Py_ssize_t *sizes) noexcept nogil:
    """The sum of squares of the five arrays (the gradients), in float64."""
    cdef double s = 0
    cdef int q
    for q in range(5):
        s += sum_squares(arrays[q], sizes[q])
    return s


cdef inline double updated_sum_squares(floating **ws, floating **gs, const Py_ssize_t *sizes,
                                       floating lr) noexcept nogil:
    """sum (w - lr g)^2 over the five weights, in float64: the new weights' sum of squares."""
    cdef Py_ssize_t i
    cdef floating v
    cdef double s = 0, total = 0
    cdef int q
    for q in range(5):
        s = 0
        for i in range(sizes[q]):
            v = ws[q][i] - lr * gs[q][i]
            s += <double> v * v
        total += s
    return total


cdef inline void sgd_update(floating **ws, floating **gs, const Py_ssize_t *sizes,
                            floating lr) noexcept nogil:
    """w = w - lr g for the five weights."""
    cdef Py_ssize_t i
    cdef int q
    for q in range(5):
        for i in range(sizes[q]):
            ws[q][i] = ws[q][i] - lr * gs[q][i]
