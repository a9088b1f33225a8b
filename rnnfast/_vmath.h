/* A vectorisable tanh for the kernels, without -ffast-math.
 *
 * Scalar libm tanh costs about 10 ns per element: over a textbook epoch (64 million
 * activations) that alone is ~0.8 s, more than the whole NumPy reference spends.  glibc's
 * libmvec has SIMD tanh, but measured here it is slow (2.7 ns/element with AVX-512), so we
 * use Cephes' tanh (S. L. Moshier), written branch-free so that GCC vectorises the loop:
 *
 *   |x| <= 0.625:  tanh x = x + x^3 P(x^2) / Q(x^2)          (Cephes' minimax rational)
 *   |x| >  0.625:  tanh x = sign(x) (1 - 2 / (exp(2|x|) + 1))
 *   (both written as a + b * num / den, so the vector loop divides once per element)
 *   exp(y) = 2^n exp(r), r = y - n ln2 (Cody-Waite), exp(r) = 1 + 2rP(r^2)/(Q(r^2) - rP(r^2))
 *
 * Both branches are computed for every element and one is selected, so the loop has no
 * branches; 2|x| is clamped at 40 (tanh is 1 in double far below that) so exp never
 * overflows; NaN propagates through the rational branch; tanh(+-inf) = +-1, tanh(-0) = -0.
 * 2^n is built from the bits of the rounding constant, with integer operations that SSE2
 * already vectorises.  Accuracy is tested against libm in tests/test_kernels.py (a few ulp).
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
#define RNNFAST_TANH_KIND "cephes-simd (target_clones: x86-64-v4 (AVX-512), x86-64-v3 (AVX2+FMA), baseline)"
#else
#define RNNFAST_CLONES
#define RNNFAST_TANH_KIND "cephes-simd (baseline)"
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
    const double ax = fabs(x);
    /* small |x|: odd rational approximation */
    const double s = x * x;
    const double p = (-9.64399179425052238628E-1 * s - 9.92877231001918586564E1) * s
                     - 1.61468768441708447952E3;
    const double q = ((s + 1.12811678491632931402E2) * s + 2.23548839060100448583E3) * s
                     + 4.84406305325125486048E3;
    /* large |x|: exp(2|x|) with Cody-Waite reduction */
    double y = 2.0 * ax;
    y = rnnfast_select(-(uint64_t) (y < 40.0), y, 40.0);   /* NaN goes to 40 */
    const double shift = 6755399441055744.0;              /* 0x1.8p52: round to integer */
    const double kd = y * 1.4426950408889634074 + shift;
    const double n = kd - shift;
    double r = y - n * 6.93145751953125E-1;
    r = r - n * 1.42860682030941723212E-6;
    const double rr = r * r;
    const double px = r * ((1.26177193074810590878E-4 * rr + 3.02994407707441961300E-2) * rr
                           + 9.99999999999999999910E-1);
    const double qx = ((3.00198505138664455042E-6 * rr + 2.52448340349684104192E-3) * rr
                       + 2.27265548208155028766E-1) * rr + 2.00000000000000000009E0;
    uint64_t kbits;
    memcpy(&kbits, &kd, sizeof kbits);
    const uint64_t ebits = (kbits - 0x4338000000000000ULL + 1023ULL) << 52;  /* 2^n */
    double scale;
    memcpy(&scale, &ebits, sizeof scale);
    /* exp(y) = scale (qx + px) / (qx - px), so 2 / (exp(y) + 1) = 2 (qx - px) / d: */
    const double d = scale * (qx + px) + (qx - px);
    uint64_t xbits;
    memcpy(&xbits, &x, sizeof xbits);
    const uint64_t sbits = (xbits & 0x8000000000000000ULL) | 0x3FF0000000000000ULL;
    double sgn;                                           /* copysign(1, x), as bits */
    memcpy(&sgn, &sbits, sizeof sgn);
    /* Both branches have the form a + b * (num / den): select first, divide once.  The
     * selection is a bit mask (not ?:) so that GCC vectorises the loop for every target. */
    const uint64_t big = -(uint64_t) (ax > 0.625);
    const double a = rnnfast_select(big, sgn, x);
    const double b = rnnfast_select(big, -2.0 * sgn, x * s);
    const double num = rnnfast_select(big, qx - px, p);
    const double den = rnnfast_select(big, d, q);
    /* tanh is odd: give the result the sign of x (this also makes tanh(-0) = -0) */
    double t = a + b * (num / den);
    uint64_t tbits;
    memcpy(&tbits, &t, sizeof tbits);
    tbits = (tbits & 0x7FFFFFFFFFFFFFFFULL) | (xbits & 0x8000000000000000ULL);
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
