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
 * Every loop here is compiled once per CPU level (baseline, x86-64-v3 = AVX2 + FMA, x86-64-v4
 * = AVX-512; see _dispatch.h) from the template _vmath_level.h, and rnnfast_level picks the
 * copy at each call, so the wheel needs no -march=native and every level can be tested on
 * one machine.  FMA contraction is left to the compiler (it only ever makes a rounding step
 * more exact).
 *
 * The kernels' other element loops (gather, scatter-add, column sums, one-hot recognition) are
 * here too (_vmath_level.h), with the recurrent product of one step (_vmath_panel.h); the sum
 * of squares, shared with _train, is in _sumsq.h.
 */
#ifndef RNNFAST_VMATH_H
#define RNNFAST_VMATH_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "_dispatch.h"
#include "_sumsq.h"

/* GCC's vector extensions (GCC and clang) for the vector tanh and the product's register
 * tile; without them (MSVC, or RNNFAST_PORTABLE defined) plain C loops. */
#if defined(__GNUC__) && !defined(RNNFAST_PORTABLE)
#define RNNFAST_VECTOR_EXT 1
#else
#define RNNFAST_VECTOR_EXT 0
#endif
#if RNNFAST_VECTOR_EXT
#define RNNFAST_TANH_KIND "cephes-expm1-simd"
#else
#define RNNFAST_TANH_KIND "cephes-expm1 (portable C)"
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

#if RNNFAST_VECTOR_EXT
/* The same formula on vectors, with GCC's vector extensions (GCC and clang), for the array
 * loops of _vmath_level.h (other compilers get rnnfast_tanh1 in a plain loop).  (A recurrent
 * step that applied it to the product while still in registers was tried and was no faster:
 * product and tanh are bound by the same multiply-add pipes.) */
#pragma GCC diagnostic ignored "-Wpsabi"   /* vectors only cross always-inline calls: no ABI */

/* rnnfast_tanh_vd<N>(x): the formula above on G vectors of N doubles each, x[0 .. G-1] in
 * place.  Each level uses the width of its registers (8 with AVX-512, 4 with AVX2, 2 with
 * SSE2/NEON): on a vector wider than the registers GCC splits the arithmetic but turns the
 * comparison into one scalar compare per element (measured: half the speed).  The G vectors
 * go through every statement together (`for g` loops, unrolled): one vector's chain of
 * dependent operations (~75 cycles) is too long for the out-of-order window to overlap
 * enough iterations, and GCC does not interleave independent chains itself. */
#if defined(__clang__)   /* clang unrolls a constant trip count only (see _vmath_panel.h) */
#define RNNFAST_G for (int g = 0; g < 8; g++) if (g < G)
#else
#define RNNFAST_G for (int g = 0; g < G; g++)
#endif
#define RNNFAST_DEFINE_TANH(NAME, VD, VU)                                                      \
    static inline __attribute__((always_inline)) void NAME(VD *x, const int G) {               \
        VU xbits[8], big[8];                                                                   \
        VD ax[8], kd[8], n[8], h[8], hh[8], u[8], q[8], v[8], s[8], a[8], t[8];                \
        const double shift = 6755399441055744.0;                                               \
        _Pragma("GCC unroll 8") RNNFAST_G xbits[g] = (VU) x[g];                                \
        _Pragma("GCC unroll 8") RNNFAST_G ax[g] = (VD) (xbits[g] & 0x7FFFFFFFFFFFFFFFULL);     \
        /* all ones where |x| > 20; NaN: no */                                                 \
        _Pragma("GCC unroll 8") RNNFAST_G big[g] = (VU) (ax[g] > 20.0);                        \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            ax[g] = (VD) ((big[g] & 0x4034000000000000ULL) | (~big[g] & (VU) ax[g]));          \
        /* y = 2|x| is never formed: h = y / 2 = |x| - n ln2 / 2 and the polynomials take h,   \
         * their coefficients scaled by powers of two (exact): the results are those of r = 2h */ \
        _Pragma("GCC unroll 8") RNNFAST_G kd[g] = ax[g] * (2 * 1.4426950408889634074) + shift; \
        _Pragma("GCC unroll 8") RNNFAST_G n[g] = kd[g] - shift;                                \
        _Pragma("GCC unroll 8") RNNFAST_G h[g] = ax[g] - n[g] * (6.93145751953125E-1 / 2);     \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            h[g] = h[g] - n[g] * (1.42860682030941723212E-6 / 2);                              \
        _Pragma("GCC unroll 8") RNNFAST_G hh[g] = h[g] * h[g];                                 \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            u[g] = h[g] * ((32 * 2.52354386149621781756E-4 * hh[g]                             \
                            + 8 * 6.05988815414883922600E-2) * hh[g]                           \
                           + 2 * 1.99999999999999999982E0);                                    \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            q[g] = ((64 * 3.00198505138664455042E-6 * hh[g]                                    \
                     + 16 * 2.52448340349684104192E-3) * hh[g]                                 \
                    + 4 * 2.27265548208155028766E-1) * hh[g] + 2.00000000000000000009E0;       \
        _Pragma("GCC unroll 8") RNNFAST_G v[g] = q[g] - 0.5 * u[g];                            \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            s[g] = (VD) (((VU) kd[g] + (1023ULL - 0x4338000000000000ULL)) << 52);              \
        /* a = 2^n u + (2^n - 1) v; s v - v is one FMA, exactly 0 for n = 0 */                 \
        _Pragma("GCC unroll 8") RNNFAST_G a[g] = s[g] * u[g] + (s[g] * v[g] - v[g]);           \
        _Pragma("GCC unroll 8") RNNFAST_G t[g] = a[g] / (a[g] + 2.0 * v[g]);                   \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            x[g] = (VD) ((VU) t[g] | (xbits[g] & 0x8000000000000000ULL));                      \
    }

/* rnnfast_tanh_vf<N>(x): the same formula in float32 arithmetic on N floats, twice the lanes
 * of the double version per register (and float division is cheaper): a float32 step's tanh
 * costs half of a float64 one.  Every operation rounds to float: measured <= 3 ulp of float32
 * against the correctly rounded tanh, mean 0.36, 0.4% of arguments beyond 1 ulp (computing
 * in double and rounding once gave <= 1 ulp at the cost of a double tanh); the float32
 * kernels round every other operation to float32 too.  |x| is clamped at 10 (tanh(x) rounds
 * to 1.0f from 9.01). */
#define RNNFAST_DEFINE_TANHF(NAME, VF, VI)                                                     \
    static inline __attribute__((always_inline)) void NAME(VF *x, const int G) {               \
        VI xbits[8], big[8];                                                                   \
        VF ax[8], kd[8], n[8], h[8], hh[8], u[8], q[8], v[8], s[8], a[8], t[8];                \
        const float shift = 12582912.0f;  /* 0x1.8p23 */                                       \
        _Pragma("GCC unroll 8") RNNFAST_G xbits[g] = (VI) x[g];                                \
        _Pragma("GCC unroll 8") RNNFAST_G ax[g] = (VF) (xbits[g] & 0x7FFFFFFFU);               \
        /* all ones where |x| > 10; NaN: no */                                                 \
        _Pragma("GCC unroll 8") RNNFAST_G big[g] = (VI) (ax[g] > 10.0f);                       \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            ax[g] = (VF) ((big[g] & 0x41200000U) | (~big[g] & (VI) ax[g]));                    \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            kd[g] = ax[g] * (float) (2 * 1.4426950408889634074) + shift;                       \
        _Pragma("GCC unroll 8") RNNFAST_G n[g] = kd[g] - shift;                                \
        _Pragma("GCC unroll 8") RNNFAST_G h[g] = ax[g] - n[g] * 0.693145751953125f / 2;        \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            h[g] = h[g] - n[g] * (float) (1.42860682030941723212E-6 / 2);                      \
        _Pragma("GCC unroll 8") RNNFAST_G hh[g] = h[g] * h[g];                                 \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            u[g] = h[g] * ((float) (32 * 2.52354386149621781756E-4) * hh[g]                    \
                           + (float) (8 * 6.05988815414883922600E-2)) * hh[g] + h[g] * 4.0f;   \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            q[g] = ((float) (64 * 3.00198505138664455042E-6) * hh[g]                           \
                    + (float) (16 * 2.52448340349684104192E-3)) * hh[g] * hh[g]                \
                   + (float) (4 * 2.27265548208155028766E-1) * hh[g] + 2.0f;                   \
        _Pragma("GCC unroll 8") RNNFAST_G v[g] = q[g] - 0.5f * u[g];                           \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            s[g] = (VF) (((VI) kd[g] + (127U - 0x4B400000U)) << 23);                           \
        _Pragma("GCC unroll 8") RNNFAST_G a[g] = s[g] * u[g] + (s[g] * v[g] - v[g]);           \
        _Pragma("GCC unroll 8") RNNFAST_G t[g] = a[g] / (a[g] + 2.0f * v[g]);                  \
        _Pragma("GCC unroll 8") RNNFAST_G                                                      \
            x[g] = (VF) ((VI) t[g] | (xbits[g] & 0x80000000U));                                \
    }

/* The levels' registers: vd<N> N doubles, vu<N> N uint64 (a vd<N>'s bits), vf<N> N floats,
 * vi<N> N uint32 (a vf<N>'s bits). */
typedef double rnnfast_vd2 __attribute__((vector_size(16), aligned(8), may_alias));
typedef double rnnfast_vd4 __attribute__((vector_size(32), aligned(8), may_alias));
typedef double rnnfast_vd8 __attribute__((vector_size(64), aligned(8), may_alias));
typedef uint64_t rnnfast_vu2 __attribute__((vector_size(16), aligned(8), may_alias));
typedef uint64_t rnnfast_vu4 __attribute__((vector_size(32), aligned(8), may_alias));
typedef uint64_t rnnfast_vu8 __attribute__((vector_size(64), aligned(8), may_alias));
typedef float rnnfast_vf4 __attribute__((vector_size(16), aligned(4), may_alias));
typedef float rnnfast_vf8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef float rnnfast_vf16 __attribute__((vector_size(64), aligned(4), may_alias));
typedef uint32_t rnnfast_vi4 __attribute__((vector_size(16), aligned(4), may_alias));
typedef uint32_t rnnfast_vi8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef uint32_t rnnfast_vi16 __attribute__((vector_size(64), aligned(4), may_alias));
/* rnnfast_tanh_vd<N> on rnnfast_vd<N>, rnnfast_tanh_vf<N> on rnnfast_vf<N> */
#define RNNFAST_TANH_VD(N) RNNFAST_DEFINE_TANH(rnnfast_tanh_vd##N, rnnfast_vd##N, rnnfast_vu##N)
#define RNNFAST_TANH_VF(N) RNNFAST_DEFINE_TANHF(rnnfast_tanh_vf##N, rnnfast_vf##N, rnnfast_vi##N)
RNNFAST_TANH_VD(2) RNNFAST_TANH_VD(4) RNNFAST_TANH_VD(8)
RNNFAST_TANH_VF(4) RNNFAST_TANH_VF(8) RNNFAST_TANH_VF(16)
#undef RNNFAST_TANH_VD
#undef RNNFAST_TANH_VF
#endif  /* RNNFAST_VECTOR_EXT */

/* ---------------------------------------------------------------- one copy per CPU level
 * Each level defines the parameters of _vmath_level.h (which undefines them): its suffix and
 * target, its vector registers, tanh's group (vectors per pass), and the product's tile (rows x
 * vector registers per row, see _vmath_panel.h), chosen for each register file and checked by
 * measurement (benchmarks/README.md, "CPU levels"). */
#define RNNFAST_L base
#define RNNFAST_TARGET RNNFAST_TARGET_base
#define RNNFAST_VD rnnfast_vd2
#define RNNFAST_VF rnnfast_vf4
#define RNNFAST_TANH_V rnnfast_tanh_vd2
#define RNNFAST_TANH_GROUP 8
#define RNNFAST_TANHF_V rnnfast_tanh_vf4
#if defined(__aarch64__)       /* NEON: 32 registers of 128 bits */
#define RNNFAST_ROWS_D 6
#define RNNFAST_VECS_D 4
#define RNNFAST_ROWS_F 6
#define RNNFAST_VECS_F 4
#define RNNFAST_PACK_A 0       /* ld1r loads and broadcasts in one instruction */
#else                          /* SSE2: 16 registers of 128 bits, no FMA */
#define RNNFAST_PACK_A 1
#define RNNFAST_ROWS_D 6
#define RNNFAST_VECS_D 2
#define RNNFAST_ROWS_F 6
#define RNNFAST_VECS_F 2
#endif
#include "_vmath_level.h"

#if RNNFAST_X86_LEVELS
/* AVX2 + FMA: 16 registers of 256 bits */
#define RNNFAST_L v3
#define RNNFAST_TARGET RNNFAST_TARGET_v3
#define RNNFAST_VD rnnfast_vd4
#define RNNFAST_VF rnnfast_vf8
#define RNNFAST_TANH_V rnnfast_tanh_vd4
#define RNNFAST_TANH_GROUP 4
#define RNNFAST_PACK_A 0
#define RNNFAST_TANHF_V rnnfast_tanh_vf8
#define RNNFAST_ROWS_D 6
#define RNNFAST_VECS_D 2
#define RNNFAST_ROWS_F 6
#define RNNFAST_VECS_F 2
#include "_vmath_level.h"

/* AVX-512: 32 registers of 512 bits */
#define RNNFAST_L v4
#define RNNFAST_TARGET RNNFAST_TARGET_v4
#define RNNFAST_VD rnnfast_vd8
#define RNNFAST_VF rnnfast_vf16
#define RNNFAST_TANH_V rnnfast_tanh_vd8
#define RNNFAST_TANH_GROUP 4
#define RNNFAST_PACK_A 0
#define RNNFAST_TANHF_V rnnfast_tanh_vf16
#define RNNFAST_ROWS_D 4
#define RNNFAST_VECS_D 4
#define RNNFAST_ROWS_F 4
#define RNNFAST_VECS_F 2
#include "_vmath_level.h"
#endif

/* ---------------------------------------------------------------- the dispatched entry points */
#define RNNFAST_ENTRY(RET, NAME, PARAMS, ARGS) \
    static inline RET NAME PARAMS { return RNNFAST_DISPATCH(NAME, ARGS); }
#define RNNFAST_ENTRY_VOID(NAME, PARAMS, ARGS) \
    static inline void NAME PARAMS { RNNFAST_DISPATCH(NAME, ARGS); }

RNNFAST_ENTRY_VOID(rnnfast_tanh_d, (double *x, ptrdiff_t n), (x, n))
RNNFAST_ENTRY_VOID(rnnfast_tanh_f, (float *x, ptrdiff_t n), (x, n))
#define RNNFAST_ROWS_ENTRIES(SUF, REAL, INDEX)                                                \
    RNNFAST_ENTRY_VOID(rnnfast_gather_##SUF,                                                 \
                       (const REAL *table, const INDEX *ids, ptrdiff_t stride,               \
                        const REAL *bias, REAL *out, int m, int nc),                         \
                       (table, ids, stride, bias, out, m, nc))                               \
    RNNFAST_ENTRY_VOID(rnnfast_scatter_##SUF,                                                \
                       (REAL *grad, const INDEX *ids, ptrdiff_t stride, const REAL *delta,   \
                        int m, int nc),                                                      \
                       (grad, ids, stride, delta, m, nc))
RNNFAST_ROWS_ENTRIES(d_i32, double, int32_t)
RNNFAST_ROWS_ENTRIES(d_i64, double, int64_t)
RNNFAST_ROWS_ENTRIES(f_i32, float, int32_t)
RNNFAST_ROWS_ENTRIES(f_i64, float, int64_t)
#define RNNFAST_REAL_ENTRIES(SUF, REAL)                                                       \
    RNNFAST_ENTRY_VOID(rnnfast_colsum_add_##SUF,                                             \
                       (REAL *bias_grad, const REAL *delta, int m, int nc),                  \
                       (bias_grad, delta, m, nc))                                            \
    RNNFAST_ENTRY_VOID(rnnfast_tanh_deriv_##SUF, (REAL *delta, const REAL *h, ptrdiff_t n),  \
                       (delta, h, n))                                                        \
    RNNFAST_ENTRY_VOID(rnnfast_scale_##SUF, (REAL *x, ptrdiff_t n, REAL factor),             \
                       (x, n, factor))                                                       \
    RNNFAST_ENTRY(int, rnnfast_one_hot_ids_##SUF,                                            \
                  (const REAL *x, ptrdiff_t rows, ptrdiff_t nf, int32_t *ids),               \
                  (x, rows, nf, ids))                                                        \
    RNNFAST_ENTRY(int, rnnfast_panel_width_##SUF, (void), ())                                \
    RNNFAST_ENTRY_VOID(rnnfast_gemm_acc_##SUF,                                               \
                       (const REAL *A, const REAL *B, REAL *C, int m, int k, int n),         \
                       (A, B, C, m, k, n))                                                   \
    RNNFAST_ENTRY_VOID(rnnfast_ids_step_##SUF##_i32,                                         \
                       (const REAL *A, const REAL *B, const REAL *table, const int32_t *ids, \
                        ptrdiff_t stride, const REAL *bias, REAL *C, int m, int n),          \
                       (A, B, table, ids, stride, bias, C, m, n))                            \
    RNNFAST_ENTRY_VOID(rnnfast_ids_step_##SUF##_i64,                                         \
                       (const REAL *A, const REAL *B, const REAL *table, const int64_t *ids, \
                        ptrdiff_t stride, const REAL *bias, REAL *C, int m, int n),          \
                       (A, B, table, ids, stride, bias, C, m, n))
RNNFAST_REAL_ENTRIES(d, double)
RNNFAST_REAL_ENTRIES(f, float)
#undef RNNFAST_ROWS_ENTRIES
#undef RNNFAST_REAL_ENTRIES
#undef RNNFAST_ENTRY
#undef RNNFAST_ENTRY_VOID

/* ---------------------------------------------------------------- BLAS' thread count
 * The product loop is single-threaded: it pays where BLAS would run on one thread too.  BLAS'
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

static const char *rnnfast_tanh_kind(void) { return RNNFAST_TANH_KIND; }

#endif /* RNNFAST_VMATH_H */
