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

RNNFAST_CLONES
static void rnnfast_tanh_d(double *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = rnnfast_tanh1(x[i]);
}

RNNFAST_CLONES
static void rnnfast_tanh_f(float *x, ptrdiff_t n) {
    /* float32: computed in double, rounded once */
    for (ptrdiff_t i = 0; i < n; i++) x[i] = (float) rnnfast_tanh1((double) x[i]);
}

static const char *rnnfast_tanh_kind(void) { return RNNFAST_TANH_KIND; }

#endif /* RNNFAST_VMATH_H */
