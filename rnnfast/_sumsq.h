/* The sum of squares in float64 of a float64 or float32 array, for both extensions: the
 * kernels' gradient norms and the fused epoch's divergence checks (_kernels), the SGD step's
 * checks (_train); rnnfast/_loss.pxd declares it for Cython.
 *
 * One copy per CPU level (_dispatch.h).  Explicit partial sums: C may not reorder one running
 * floating-point sum, and one chain would be latency-bound.  The order of the sum is fixed by
 * this code, the rounding of each `part += x * x` by the extension's flags: _train is compiled
 * with -ffp-contract=off (it repeats NumPy's arithmetic), so at x86-64-v3/v4 its sums skip the
 * fused multiply-add the kernels' use and may differ from them in the last bits; the step's
 * sums decide finiteness and a bound only.
 */
#ifndef RNNFAST_SUMSQ_H
#define RNNFAST_SUMSQ_H

#include <stddef.h>

#include "_dispatch.h"

#define RNNFAST_SUM_SQUARES(L, SUF, REAL)                                                     \
    static RNNFAST_TARGET_##L double rnnfast_sum_squares_##SUF##_##L(                        \
            const REAL *RNNFAST_RESTRICT x, ptrdiff_t n) {                                   \
        double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                           \
        ptrdiff_t i = 0;                                                                     \
        for (; i + 8 <= n; i += 8)                                                           \
            for (int k = 0; k < 8; k++) part[k] += (double) x[i + k] * x[i + k];             \
        for (; i < n; i++) part[0] += (double) x[i] * x[i];                                  \
        return ((part[0] + part[1]) + (part[2] + part[3]))                                   \
               + ((part[4] + part[5]) + (part[6] + part[7]));                                \
    }
#define RNNFAST_SUM_SQUARES_AT(L) RNNFAST_SUM_SQUARES(L, d, double) RNNFAST_SUM_SQUARES(L, f, float)
RNNFAST_SUM_SQUARES_AT(base)
#if RNNFAST_X86_LEVELS
RNNFAST_SUM_SQUARES_AT(v3)
RNNFAST_SUM_SQUARES_AT(v4)
#endif
#undef RNNFAST_SUM_SQUARES_AT
#undef RNNFAST_SUM_SQUARES

static inline double rnnfast_sum_squares_d(const double *x, ptrdiff_t n) {
    return RNNFAST_DISPATCH(rnnfast_sum_squares_d, (x, n));
}

static inline double rnnfast_sum_squares_f(const float *x, ptrdiff_t n) {
    return RNNFAST_DISPATCH(rnnfast_sum_squares_f, (x, n));
}

#endif /* RNNFAST_SUMSQ_H */
