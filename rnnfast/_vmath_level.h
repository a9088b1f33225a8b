/* The kernels' element loops and recurrent product, for ONE CPU level.
 *
 * Included by _vmath.h once per level (no include guard), with
 *   RNNFAST_L          the level's suffix (base, v3, v4): rnnfast_tanh_d_v3 ...
 *   RNNFAST_TARGET     its target attribute (empty for base)
 *   RNNFAST_VD, _VF    its vector register as GCC vector types of double / float
 *   RNNFAST_ROWS_D/_F  rows of the product's register tile (see _vmath_panel.h)
 *   RNNFAST_VECS_D/_F  vector registers per row of that tile
 * The plain loops are vectorised by the compiler for the level's ISA (restrict pointers:
 * Cython's memoryview indexing goes through char pointers that may alias, and stays scalar).
 */
#define RNNFAST_FN static RNNFAST_TARGET
#define RNNFAST_LV(name) RNNFAST_CAT(name, RNNFAST_L)
#define R_ RNNFAST_RESTRICT

#if RNNFAST_VECTOR_EXT
#define TANH_LANES ((ptrdiff_t) (sizeof(RNNFAST_VD) / sizeof(double)))
RNNFAST_FN void RNNFAST_LV(rnnfast_tanh_d)(double *x, ptrdiff_t n) {
    const ptrdiff_t step = RNNFAST_TANH_GROUP * TANH_LANES;
    ptrdiff_t i = 0;
    for (; i + step <= n; i += step)
        RNNFAST_TANH_V((RNNFAST_VD *) (x + i), RNNFAST_TANH_GROUP);
    for (; i < n; i += TANH_LANES) {   /* the tail, through a padded vector */
        const ptrdiff_t len = n - i < TANH_LANES ? n - i : TANH_LANES;
        RNNFAST_VD tail = {0};
        memcpy(&tail, x + i, (size_t) len * sizeof *x);
        RNNFAST_TANH_V(&tail, 1);
        memcpy(x + i, &tail, (size_t) len * sizeof *x);
    }
}

RNNFAST_FN void RNNFAST_LV(rnnfast_tanh_f)(float *x, ptrdiff_t n) {
    /* float32 arithmetic throughout (see rnnfast_tanh_vf* in _vmath.h) */
    const ptrdiff_t lanes = (ptrdiff_t) (sizeof(RNNFAST_VF) / sizeof(float));
    const ptrdiff_t step = RNNFAST_TANH_GROUP * lanes;
    ptrdiff_t i = 0;
    for (; i + step <= n; i += step)
        RNNFAST_TANHF_V((RNNFAST_VF *) (x + i), RNNFAST_TANH_GROUP);
    for (; i < n; i += lanes) {
        const ptrdiff_t len = n - i < lanes ? n - i : lanes;
        RNNFAST_VF tail = {0};
        memcpy(&tail, x + i, (size_t) len * sizeof *x);
        RNNFAST_TANHF_V(&tail, 1);
        memcpy(x + i, &tail, (size_t) len * sizeof *x);
    }
}
#undef TANH_LANES
#else  /* no vector extensions: the scalar formula, in a loop the compiler may vectorise */
RNNFAST_FN void RNNFAST_LV(rnnfast_tanh_d)(double *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = rnnfast_tanh1(x[i]);
}

RNNFAST_FN void RNNFAST_LV(rnnfast_tanh_f)(float *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = (float) rnnfast_tanh1((double) x[i]);
}
#endif

/* out[i] = table[ids[i * stride]] + bias for i < m (rows of nc values): the token-id input
 * x_t w1x + b1. */
#define RNNFAST_GATHER(SUF, REAL, INDEX)                                                      \
    RNNFAST_FN void RNNFAST_LV(rnnfast_gather_##SUF)(                                        \
        const REAL *R_ table, const INDEX *R_ ids, ptrdiff_t stride, const REAL *R_ bias,    \
        REAL *R_ out, int m, int nc) {                                                       \
        for (int i = 0; i < m; i++) {                                                        \
            const REAL *R_ src = table + (ptrdiff_t) ids[i * stride] * nc;                   \
            REAL *R_ dst = out + (ptrdiff_t) i * nc;                                         \
            for (int j = 0; j < nc; j++) dst[j] = src[j] + bias[j];                          \
        }                                                                                    \
    }
/*   scatter_add:  grad[ids[i * stride]] += delta[i]     (rows of nc; the token-id w1x grad) */
#define RNNFAST_SCATTER(SUF, REAL, INDEX)                                                     \
    RNNFAST_FN void RNNFAST_LV(rnnfast_scatter_##SUF)(                                       \
        REAL *R_ grad, const INDEX *R_ ids, ptrdiff_t stride, const REAL *R_ delta, int m,   \
        int nc) {                                                                            \
        for (int i = 0; i < m; i++) {                                                        \
            REAL *R_ dst = grad + (ptrdiff_t) ids[i * stride] * nc;                          \
            const REAL *R_ src = delta + (ptrdiff_t) i * nc;                                 \
            for (int j = 0; j < nc; j++) dst[j] += src[j];                                   \
        }                                                                                    \
    }
RNNFAST_GATHER(d_i32, double, int32_t)
RNNFAST_GATHER(d_i64, double, int64_t)
RNNFAST_GATHER(f_i32, float, int32_t)
RNNFAST_GATHER(f_i64, float, int64_t)
RNNFAST_SCATTER(d_i32, double, int32_t)
RNNFAST_SCATTER(d_i64, double, int64_t)
RNNFAST_SCATTER(f_i32, float, int32_t)
RNNFAST_SCATTER(f_i64, float, int64_t)
#undef RNNFAST_GATHER
#undef RNNFAST_SCATTER

/*   colsum_add:   bias_grad += sum_i delta[i]                  (b1 gradient)
 *   tanh_deriv:   delta *= 1 - h^2                             (through tanh, n values)
 *   scale:        x *= factor                                  (the batch mean)
 * (the sum of squares of the gradient norms is in _sumsq.h, shared with _train) */
#define RNNFAST_ELEMENTWISE(SUF, REAL)                                                        \
    RNNFAST_FN void RNNFAST_LV(rnnfast_colsum_add_##SUF)(REAL *R_ bias_grad,                 \
                                                         const REAL *R_ delta, int m,        \
                                                         int nc) {                           \
        for (int i = 0; i < m; i++)                                                          \
            for (int j = 0; j < nc; j++) bias_grad[j] += delta[(ptrdiff_t) i * nc + j];      \
    }                                                                                        \
    RNNFAST_FN void RNNFAST_LV(rnnfast_tanh_deriv_##SUF)(REAL *R_ delta, const REAL *R_ h,   \
                                                         ptrdiff_t n) {                      \
        for (ptrdiff_t i = 0; i < n; i++) delta[i] = delta[i] * (1 - h[i] * h[i]);           \
    }                                                                                        \
    RNNFAST_FN void RNNFAST_LV(rnnfast_scale_##SUF)(REAL *R_ x, ptrdiff_t n, REAL factor) {  \
        for (ptrdiff_t i = 0; i < n; i++) x[i] *= factor;                                    \
    }
RNNFAST_ELEMENTWISE(d, double)
RNNFAST_ELEMENTWISE(f, float)
#undef RNNFAST_ELEMENTWISE

/* Exactly one-hot input, recognised in one pass: ids[r] = the position of the single nonzero
 * of row r (rows of nf values) when that value is exactly 1; returns 0 at the first row that
 * is not one-hot (a second nonzero, a value other than 1, NaN or inf: NaN != 0 counts as a
 * nonzero and NaN != 1), 1 if all are.  Every element of a row is read (the zeros are part of
 * the check), with no branch inside the row, so the loop vectorises and runs at memory speed.
 * Counters as wide as the elements (32-bit for float) keep the vector lanes aligned. */
#define RNNFAST_ONE_HOT(SUF, REAL, COUNT)                                                     \
    RNNFAST_FN int RNNFAST_LV(rnnfast_one_hot_ids_##SUF)(const REAL *R_ x, ptrdiff_t rows,   \
                                                         ptrdiff_t nf, int32_t *R_ ids) {    \
        for (ptrdiff_t r = 0; r < rows; r++) {                                               \
            const REAL *R_ row = x + r * nf;                                                 \
            COUNT count = 0, where = 0;   /* unsigned: wraps, no overflow, when rejected */  \
            for (ptrdiff_t f = 0; f < nf; f++) {                                             \
                const COUNT nonzero = row[f] != 0;                                           \
                count += nonzero;                                                            \
                where += nonzero * (COUNT) f;                                                \
            }                                                                                \
            if (count != 1 || row[where] != 1) return 0;                                     \
            ids[r] = (int32_t) where;                                                        \
        }                                                                                    \
        return 1;                                                                            \
    }
RNNFAST_ONE_HOT(d, double, uint64_t)
RNNFAST_ONE_HOT(f, float, uint32_t)
#undef RNNFAST_ONE_HOT

/* The recurrent product, in float64 and float32, with the level's register tile. */
#define RNNFAST_P_REAL double
#define RNNFAST_P_SUF d
#define RNNFAST_P_VEC RNNFAST_VD
#define RNNFAST_P_ROWS RNNFAST_ROWS_D
#define RNNFAST_P_VECS RNNFAST_VECS_D
#define RNNFAST_P_PACK RNNFAST_PACK_A
#include "_vmath_panel.h"
#define RNNFAST_P_REAL float
#define RNNFAST_P_SUF f
#define RNNFAST_P_VEC RNNFAST_VF
#define RNNFAST_P_ROWS RNNFAST_ROWS_F
#define RNNFAST_P_VECS RNNFAST_VECS_F
#define RNNFAST_P_PACK RNNFAST_PACK_A
#include "_vmath_panel.h"

#undef R_
#undef RNNFAST_LV
#undef RNNFAST_FN
#undef RNNFAST_L
#undef RNNFAST_TARGET
#undef RNNFAST_VD
#undef RNNFAST_VF
#undef RNNFAST_TANH_V
#undef RNNFAST_TANH_GROUP
#undef RNNFAST_TANHF_V
#undef RNNFAST_PACK_A
#undef RNNFAST_ROWS_D
#undef RNNFAST_VECS_D
#undef RNNFAST_ROWS_F
#undef RNNFAST_VECS_F
