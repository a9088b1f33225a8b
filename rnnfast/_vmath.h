/* A vectorisable tanh for the kernels, without -ffast-math.
 *
 * Scalar libm tanh costs about 10 ns per element: over a textbook epoch (64 million
 * activations) that alone is ~0.8 s, more than the whole NumPy reference spends.  glibc's
 * libmvec has SIMD tanh, but measured here it is slow (2.7 ns/element with AVX-512), so we
 * write our own, branch-free so that GCC vectorises the loop, from Cephes' exp (S. L. Moshier):
 *
 *   tanh |x| = (e^y - 1) / (e^y + 1),  y = 2|x|  (clamped at 40: tanh is 1 in double long before)
 *   y = n ln2 + r, |r| <= ln2 / 2 (Cody-Waite), and Cephes' Pade form of exp on that interval,
 *   e^r - 1 = u / v  with  u = 2 r P(r^2),  v = Q(r^2) - r P(r^2)
 *   e^y - 1 = (2^n u + (2^n - 1) v) / v = a / v,   so   tanh |x| = a / (a + 2 v)
 *
 * One division per element and no second branch: for small |x| (n = 0) a = u exactly, so the
 * result keeps its relative accuracy down to the subnormals without the separate rational
 * approximation a textbook tanh switches to (dropping that branch and its select made this
 * ~30% faster).  Measured: <= 3.3 ulp against long double tanhl (mean 0.4), <= 4 against libm;
 * the worst cases are near |x| = 0.17-0.25, where u, v and the last division each round;
 * tested in tests/test_kernels.py.  NaN propagates (the clamp keeps it), tanh(+-inf) = +-1, and
 * the sign is copied from x bit by bit, so tanh(-0) = -0.  2^n is built from the bits of the
 * rounding constant, with integer operations that SSE2 already vectorises.
 *
 * GCC's target_clones compiles the loop for x86-64-v4 (AVX-512), x86-64-v3 (AVX2 + FMA; one
 * clone, not "avx2,fma", which GCC splits into two) and the x86-64 baseline, and
 * picks one at load time from the CPU, so the wheel needs no -march=native.  FMA contraction
 * is left to the compiler (it only ever makes a rounding step more exact).
 *
 * The kernels' other element loops (gather, scatter-add, sums, one-hot recognition) are here
 * too, in C with restrict pointers and the same clones: written in Cython over memoryviews
 * they went through possibly-aliasing char pointers and stayed scalar SSE2.
 */
#ifndef RNNFAST_VMATH_H
#define RNNFAST_VMATH_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) \
    && !defined(RNNFAST_NO_CLONES)
#define RNNFAST_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define RNNFAST_TANH_KIND "cephes-expm1-simd (target_clones: x86-64-v4 (AVX-512), x86-64-v3 (AVX2+FMA), baseline)"
#else
#define RNNFAST_CLONES
#define RNNFAST_TANH_KIND "cephes-expm1-simd (baseline)"
#endif

/* mask all ones: a; mask zero: b */
static inline double rnnfast_select(uint64_t mask, double a, double b) {
    uint64_t ua, ub;
    memcpy(&ua, &a, sizeof ua);
    memcpy(&ub, &b, sizeof ub);
    ua = (ua & mask) | (ub & ~mask);
    memcpy(&a, &ua, sizeof a);
    return a;
}

static inline double rnnfast_tanh1(double x) {
    uint64_t xbits;
    memcpy(&xbits, &x, sizeof xbits);
    const uint64_t abits = xbits & 0x7FFFFFFFFFFFFFFFULL;
    double ax;
    memcpy(&ax, &abits, sizeof ax);
    double y = 2.0 * ax;
    y = rnnfast_select(-(uint64_t) (y > 40.0), 40.0, y);  /* NaN stays NaN */
    const double shift = 6755399441055744.0;              /* 0x1.8p52: round to integer */
    const double kd = y * 1.4426950408889634074 + shift;
    const double n = kd - shift;
    double r = y - n * 6.93145751953125E-1;               /* ln2 in two parts */
    r = r - n * 1.42860682030941723212E-6;
    const double rr = r * r;
    /* u = 2 r P(r^2) (Cephes' P doubled, exactly), v = Q(r^2) - u / 2 */
    const double u = r * ((2.52354386149621781756E-4 * rr + 6.05988815414883922600E-2) * rr
                          + 1.99999999999999999982E0);
    const double q = ((3.00198505138664455042E-6 * rr + 2.52448340349684104192E-3) * rr
                      + 2.27265548208155028766E-1) * rr + 2.00000000000000000009E0;
    const double v = q - 0.5 * u;
    uint64_t kbits;
    memcpy(&kbits, &kd, sizeof kbits);
    const uint64_t ebits = (kbits + (1023ULL - 0x4338000000000000ULL)) << 52;
    double s;                                             /* 2^n */
    memcpy(&s, &ebits, sizeof s);
    /* a = v (e^y - 1) >= 0; 2^n - 1 is exact */
    const double a = s * u + (s - 1.0) * v;
    double t = a / (a + 2.0 * v);
    /* tanh is odd: t >= 0 takes the sign bit of x */
    uint64_t tbits;
    memcpy(&tbits, &t, sizeof tbits);
    tbits |= xbits & 0x8000000000000000ULL;
    memcpy(&t, &tbits, sizeof t);
    return t;
}

#if defined(__GNUC__)
/* The same formula on 8 doubles at a time with GCC's vector extensions (GCC and clang), for
 * the array loops below (other compilers get rnnfast_tanh1 in a plain loop).  Each clone
 * compiles it to its ISA (one zmm register with AVX-512, two ymm with AVX2, four xmm on the
 * baseline).  (A recurrent step that applied it to the product while still in registers was
 * tried and was no faster: product and tanh are bound by the same multiply-add pipes.) */
#pragma GCC diagnostic ignored "-Wpsabi"   /* rnnfast_tanh8 is always inlined: no ABI */
typedef double rnnfast_v8d __attribute__((vector_size(64), aligned(8), may_alias));
typedef uint64_t rnnfast_v8u __attribute__((vector_size(64), aligned(8), may_alias));
typedef float rnnfast_v8f __attribute__((vector_size(32), aligned(4), may_alias));

static inline __attribute__((always_inline)) rnnfast_v8d rnnfast_tanh8(rnnfast_v8d x) {
    const rnnfast_v8u xbits = (rnnfast_v8u) x;
    rnnfast_v8d ax = (rnnfast_v8d) (xbits & 0x7FFFFFFFFFFFFFFFULL);
    const rnnfast_v8u big = (rnnfast_v8u) (ax > 20.0);  /* all ones where |x| > 20; NaN: no */
    ax = (rnnfast_v8d) ((big & 0x4034000000000000ULL) | (~big & (rnnfast_v8u) ax));
    /* y = 2|x| is never formed: h = y / 2 = |x| - n ln2 / 2 and the polynomials take h, their
     * coefficients scaled by powers of two (exact), so the results are those of r = 2h. */
    const double shift = 6755399441055744.0;
    const rnnfast_v8d kd = ax * (2 * 1.4426950408889634074) + shift;
    const rnnfast_v8d n = kd - shift;
    rnnfast_v8d h = ax - n * (6.93145751953125E-1 / 2);
    h = h - n * (1.42860682030941723212E-6 / 2);
    const rnnfast_v8d hh = h * h;
    const rnnfast_v8d u = h * ((32 * 2.52354386149621781756E-4 * hh
                                + 8 * 6.05988815414883922600E-2) * hh
                               + 2 * 1.99999999999999999982E0);
    const rnnfast_v8d q = ((64 * 3.00198505138664455042E-6 * hh
                            + 16 * 2.52448340349684104192E-3) * hh
                           + 4 * 2.27265548208155028766E-1) * hh + 2.00000000000000000009E0;
    const rnnfast_v8d v = q - 0.5 * u;
    const rnnfast_v8d s = (rnnfast_v8d) (((rnnfast_v8u) kd + (1023ULL - 0x4338000000000000ULL))
                                         << 52);
    /* a = 2^n u + (2^n - 1) v; s v - v is one FMA, exactly 0 for n = 0 */
    const rnnfast_v8d a = s * u + (s * v - v);
    const rnnfast_v8d t = a / (a + 2.0 * v);
    return (rnnfast_v8d) ((rnnfast_v8u) t | (xbits & 0x8000000000000000ULL));
}

RNNFAST_CLONES
static void rnnfast_tanh_d(double *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        rnnfast_v8d *p = (rnnfast_v8d *) (x + i);
        *p = rnnfast_tanh8(*p);
    }
    if (i < n) {                       /* the tail, through a padded vector */
        rnnfast_v8d tail = {0};
        memcpy(&tail, x + i, (size_t) (n - i) * sizeof *x);
        tail = rnnfast_tanh8(tail);
        memcpy(x + i, &tail, (size_t) (n - i) * sizeof *x);
    }
}

RNNFAST_CLONES
static void rnnfast_tanh_f(float *x, ptrdiff_t n) {
    /* float32: computed in double, rounded once */
    for (ptrdiff_t i = 0; i < n; i += 8) {
        const ptrdiff_t len = n - i < 8 ? n - i : 8;
        rnnfast_v8f f = {0};
        memcpy(&f, x + i, (size_t) len * sizeof *x);
        f = __builtin_convertvector(rnnfast_tanh8(__builtin_convertvector(f, rnnfast_v8d)),
                                    rnnfast_v8f);
        memcpy(x + i, &f, (size_t) len * sizeof *x);
    }
}

#else  /* other compilers: the scalar formula, in a loop they may vectorise */

static void rnnfast_tanh_d(double *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = rnnfast_tanh1(x[i]);
}

static void rnnfast_tanh_f(float *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = (float) rnnfast_tanh1((double) x[i]);
}
#endif

/* out[i] = table[rows[i]] + bias for i < m (rows of nc values): the token-id input x_t w1x + b1.
 * restrict-qualified so the row copy vectorises (Cython's memoryview indexing goes through
 * char pointers that may alias, and stays scalar). */
#define RNNFAST_GATHER(NAME, REAL, INDEX)                                                      \
    RNNFAST_CLONES static void NAME(const REAL *restrict table, const INDEX *restrict ids, ptrdiff_t stride,  \
                     const REAL *restrict bias, REAL *restrict out, int m, int nc) {           \
        for (int i = 0; i < m; i++) {                                                          \
            const REAL *restrict src = table + (ptrdiff_t) ids[i * stride] * nc;               \
            REAL *restrict dst = out + (ptrdiff_t) i * nc;                                     \
            for (int j = 0; j < nc; j++) dst[j] = src[j] + bias[j];                            \
        }                                                                                      \
    }
RNNFAST_GATHER(rnnfast_gather_d32, double, int32_t)
RNNFAST_GATHER(rnnfast_gather_d64, double, int64_t)
RNNFAST_GATHER(rnnfast_gather_f32, float, int32_t)
RNNFAST_GATHER(rnnfast_gather_f64, float, int64_t)

/* The backward pass's element loops, for the same reason (restrict, vectorised per clone):
 *   scatter_add:  grad[ids[i * stride]] += delta[i]           (rows of nc; token-id w1x grad)
 *   colsum_add:   bias_grad += sum_i delta[i]                  (b1 gradient)
 *   tanh_deriv:   delta *= 1 - h^2                             (through tanh, n values)
 *   scale:        x *= factor                                  (the batch mean)
 *   sum_squares:  sum x^2 in double, 8 partial sums            (gradient norms) */
#define RNNFAST_SCATTER(NAME, REAL, INDEX)                                                    \
    RNNFAST_CLONES static void NAME(REAL *restrict grad, const INDEX *restrict ids,          \
                                    ptrdiff_t stride, const REAL *restrict delta, int m,     \
                                    int nc) {                                                \
        for (int i = 0; i < m; i++) {                                                        \
            REAL *restrict dst = grad + (ptrdiff_t) ids[i * stride] * nc;                    \
            const REAL *restrict src = delta + (ptrdiff_t) i * nc;                           \
            for (int j = 0; j < nc; j++) dst[j] += src[j];                                   \
        }                                                                                    \
    }
RNNFAST_SCATTER(rnnfast_scatter_d32, double, int32_t)
RNNFAST_SCATTER(rnnfast_scatter_d64, double, int64_t)
RNNFAST_SCATTER(rnnfast_scatter_f32, float, int32_t)
RNNFAST_SCATTER(rnnfast_scatter_f64, float, int64_t)

#define RNNFAST_ELEMENTWISE(SUFFIX, REAL)                                                     \
    RNNFAST_CLONES static void rnnfast_colsum_add_##SUFFIX(REAL *restrict bias_grad,          \
                                                          const REAL *restrict delta, int m,  \
                                                          int nc) {                           \
        for (int i = 0; i < m; i++)                                                           \
            for (int j = 0; j < nc; j++) bias_grad[j] += delta[(ptrdiff_t) i * nc + j];       \
    }                                                                                         \
    RNNFAST_CLONES static void rnnfast_tanh_deriv_##SUFFIX(REAL *restrict delta,              \
                                                          const REAL *restrict h,             \
                                                          ptrdiff_t n) {                      \
        for (ptrdiff_t i = 0; i < n; i++) delta[i] = delta[i] * (1 - h[i] * h[i]);            \
    }                                                                                         \
    RNNFAST_CLONES static void rnnfast_scale_##SUFFIX(REAL *restrict x, ptrdiff_t n,           \
                                                     REAL factor) {                           \
        for (ptrdiff_t i = 0; i < n; i++) x[i] *= factor;                                     \
    }                                                                                         \
    RNNFAST_CLONES static double rnnfast_sum_squares_##SUFFIX(const REAL *restrict x,         \
                                                             ptrdiff_t n) {                   \
        /* explicit partial sums: C may not reorder one running floating-point sum */        \
        double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                            \
        ptrdiff_t i = 0;                                                                      \
        for (; i + 8 <= n; i += 8)                                                            \
            for (int k = 0; k < 8; k++) part[k] += (double) x[i + k] * x[i + k];              \
        for (; i < n; i++) part[0] += (double) x[i] * x[i];                                   \
        return ((part[0] + part[1]) + (part[2] + part[3]))                                    \
               + ((part[4] + part[5]) + (part[6] + part[7]));                                 \
    }
RNNFAST_ELEMENTWISE(d, double)
RNNFAST_ELEMENTWISE(f, float)

/* Exactly one-hot input, recognised in one pass: ids[r] = the position of the single nonzero
 * of row r (rows of nf values) when that value is exactly 1; returns 0 at the first row that
 * is not one-hot (a second nonzero, a value other than 1, NaN or inf: NaN != 0 counts as a
 * nonzero and NaN != 1), 1 if all are.  Every element of a row is read (the zeros are part of
 * the check), with no branch inside the row, so the loop vectorises and runs at memory speed.
 * Counters as wide as the elements (32-bit for float) keep the vector lanes aligned. */
#define RNNFAST_ONE_HOT(NAME, REAL, COUNT)                                                    \
    RNNFAST_CLONES static int NAME(const REAL *restrict x, ptrdiff_t rows, ptrdiff_t nf,      \
                                   int32_t *restrict ids) {                                   \
        for (ptrdiff_t r = 0; r < rows; r++) {                                                \
            const REAL *restrict row = x + r * nf;                                            \
            COUNT count = 0, where = 0;   /* unsigned: wraps, no overflow, when rejected */   \
            for (ptrdiff_t f = 0; f < nf; f++) {                                              \
                const COUNT nonzero = row[f] != 0;                                            \
                count += nonzero;                                                             \
                where += nonzero * (COUNT) f;                                                 \
            }                                                                                 \
            if (count != 1 || row[where] != 1) return 0;                                      \
            ids[r] = (int32_t) where;                                                         \
        }                                                                                     \
        return 1;                                                                             \
    }
RNNFAST_ONE_HOT(rnnfast_one_hot_ids_d, double, uint64_t)
RNNFAST_ONE_HOT(rnnfast_one_hot_ids_f, float, uint32_t)

#if defined(__GNUC__)
/* C (m x n) += A (m x k) B (k x n), all row-major and contiguous, n a multiple of 32: the
 * recurrent product h_prev w1h of a wide layer (A = h_prev: m = batch rows, k = n = cells).
 * OpenBLAS packs B into its own layout on every call; with 32 rows and a 512 x 512 B that
 * packing is a large share of the work (measured here: 370 us, 45 GFLOP/s, against ~52-57
 * GFLOP/s for this loop, which reads B in place: for each panel of 32 columns, 4 rows at a
 * time, 16 accumulators of 8 doubles).  Under 256 cells OpenBLAS' small-matrix kernel is as
 * fast, but this loop can also start its accumulators from the token ids' rows of the input
 * projection (rnnfast_ids_step_d*), which saves the separate gather pass (2.2 -> 2.0 us per
 * step at 32 cells).  Used for up to 768 cells (beyond, both are memory-bound), from 256 cells
 * only while BLAS runs on one thread (below). */
static inline __attribute__((always_inline)) void
rnnfast_panel_rows(const double *restrict A, const double *restrict B, double *restrict C,
                   int k, int n, int i0, int j0, const int R, const double *restrict table,
                   const int32_t *restrict ids32, const int64_t *restrict ids64,
                   ptrdiff_t stride, const double *restrict bias) {
    rnnfast_v8d acc[4][4];
#pragma GCC unroll 4
    for (int r = 0; r < R; r++) {
        if (ids32 || ids64) {    /* start from x_t w1x + b1: the token's row of the table */
            const ptrdiff_t row = ids32 ? ids32[(i0 + r) * stride] : ids64[(i0 + r) * stride];
#pragma GCC unroll 4
            for (int v = 0; v < 4; v++)
                acc[r][v] = *(const rnnfast_v8d *) (table + row * n + j0 + 8 * v)
                            + *(const rnnfast_v8d *) (bias + j0 + 8 * v);
        } else {
#pragma GCC unroll 4
            for (int v = 0; v < 4; v++)
                acc[r][v] = *(const rnnfast_v8d *) (C + (ptrdiff_t) (i0 + r) * n + j0 + 8 * v);
        }
    }
    for (int kk = 0; kk < k; kk++) {
        const rnnfast_v8d *b = (const rnnfast_v8d *) (B + (ptrdiff_t) kk * n + j0);
        const rnnfast_v8d b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
#pragma GCC unroll 4
        for (int r = 0; r < R; r++) {
            const rnnfast_v8d a = (rnnfast_v8d) {0} + A[(ptrdiff_t) (i0 + r) * k + kk];
            acc[r][0] += a * b0;
            acc[r][1] += a * b1;
            acc[r][2] += a * b2;
            acc[r][3] += a * b3;
        }
    }
#pragma GCC unroll 4
    for (int r = 0; r < R; r++)
#pragma GCC unroll 4
        for (int v = 0; v < 4; v++)
            *(rnnfast_v8d *) (C + (ptrdiff_t) (i0 + r) * n + j0 + 8 * v) = acc[r][v];
}

#define RNNFAST_PANELS(TABLE, IDS32, IDS64)                                                   \
    for (int j0 = 0; j0 < n; j0 += 32) {                                                    \
        int i0 = 0;                                                                          \
        for (; i0 + 4 <= m; i0 += 4)                                                         \
            rnnfast_panel_rows(A, B, C, k, n, i0, j0, 4, TABLE, IDS32, IDS64, stride, bias); \
        for (; i0 < m; i0++)                                                                 \
            rnnfast_panel_rows(A, B, C, k, n, i0, j0, 1, TABLE, IDS32, IDS64, stride, bias); \
    }

RNNFAST_CLONES
static void rnnfast_wide_gemm_d(const double *A, const double *B, double *C, int m, int k,
                                int n) {
    const ptrdiff_t stride = 0;
    const double *bias = NULL;
    RNNFAST_PANELS(NULL, NULL, NULL)
}

/* One token-id step without the separate gather: C (m x n) = table[ids[i * stride]] + bias
 * + A B, the rows of the input projection added as the accumulators start (k = n = cells). */
#define RNNFAST_IDS_STEP(NAME, INDEX, IDS32, IDS64)                                           \
    RNNFAST_CLONES static void NAME(const double *A, const double *B, const double *table,   \
                                    const INDEX *ids, ptrdiff_t stride, const double *bias,  \
                                    double *C, int m, int n) {                               \
        const int k = n;                                                                     \
        RNNFAST_PANELS(table, IDS32, IDS64)                                                  \
    }
RNNFAST_IDS_STEP(rnnfast_ids_step_d32, int32_t, ids, NULL)
RNNFAST_IDS_STEP(rnnfast_ids_step_d64, int64_t, NULL, ids)

/* The loop above is single-threaded: it pays where BLAS would run on one thread too.  BLAS'
 * thread count, read at every forward pass from OpenBLAS (SciPy's bundled build or another)
 * found through the library that holds the function pointer given at init: dlsym on a
 * dlopen handle searches that library's dependencies, where the BLAS is.  Unknown BLAS: -1. */
#if (defined(__linux__) && defined(_GNU_SOURCE)) || defined(__APPLE__)
/* (dladdr needs _GNU_SOURCE on glibc: Python.h, included first by Cython, defines it) */
#include <dlfcn.h>
static int (*rnnfast_blas_threads_fn)(void) = NULL;

static void rnnfast_blas_threads_init(void *function_in_blas_user) {
    static const char *names[] = {"scipy_openblas_get_num_threads",
                                  "scipy_openblas_get_num_threads64_",
                                  "openblas_get_num_threads", "openblas_get_num_threads64_"};
    Dl_info info;
    void *handle;
    if (!dladdr(function_in_blas_user, &info) || !info.dli_fname) return;
    handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!handle) return;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !rnnfast_blas_threads_fn; i++)
        *(void **) (&rnnfast_blas_threads_fn) = dlsym(handle, names[i]);
}

static int rnnfast_blas_threads(void) {
    return rnnfast_blas_threads_fn ? rnnfast_blas_threads_fn() : -1;
}
#else
static void rnnfast_blas_threads_init(void *function_in_blas_user) { (void) function_in_blas_user; }
static int rnnfast_blas_threads(void) { return -1; }
#endif

/* The loop above pays on CPUs with FMA and 256-bit vectors (x86-64-v3 and up). */
static int rnnfast_wide_gemm_supported(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
#else
static void rnnfast_wide_gemm_d(const double *A, const double *B, double *C, int m, int k,
                                int n) {
    (void) A; (void) B; (void) C; (void) m; (void) k; (void) n;
}
/* never called (rnnfast_wide_gemm_supported() is 0): stubs for the declarations */
#define RNNFAST_IDS_STEP_STUB(NAME, INDEX)                                                    \
    static void NAME(const double *A, const double *B, const double *table, const INDEX *ids, \
                     ptrdiff_t stride, const double *bias, double *C, int m, int n) {         \
        (void) A; (void) B; (void) table; (void) ids; (void) stride; (void) bias; (void) C;  \
        (void) m; (void) n;                                                                   \
    }
RNNFAST_IDS_STEP_STUB(rnnfast_ids_step_d32, int32_t)
RNNFAST_IDS_STEP_STUB(rnnfast_ids_step_d64, int64_t)
static int rnnfast_wide_gemm_supported(void) { return 0; }
static void rnnfast_blas_threads_init(void *function_in_blas_user) { (void) function_in_blas_user; }
static int rnnfast_blas_threads(void) { return -1; }
#endif

static const char *rnnfast_tanh_kind(void) { return RNNFAST_TANH_KIND; }

#endif /* RNNFAST_VMATH_H */
