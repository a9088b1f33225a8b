/* Vectorised tanh for the kernels, without -ffast-math.
 *
 * Scalar libm tanh costs about 10 ns per element: over a textbook epoch (64 million
 * activations) that alone is ~0.8 s, more than the whole NumPy reference spends.  glibc >= 2.35
 * ships SIMD versions of tanh in libmvec (documented accuracy: a few ulp), named by the x86-64
 * vector function ABI: _ZGV{b,d,e}N{2,4,8}v_tanh for SSE, AVX2 and AVX-512.  We call them
 * explicitly and pick the widest one the CPU supports at run time, so the extension is built
 * for the baseline ISA (no -march=native) and still uses AVX2/AVX-512 where present.
 *
 * Build switch: setup.py defines RNNFAST_HAVE_LIBMVEC when a test program links against
 * libmvec; otherwise (other libc, other architecture) this falls back to scalar libm tanh.
 * rnnfast_tanh_kind() reports which path is in use (tests and benchmarks print it).
 */
#ifndef RNNFAST_VMATH_H
#define RNNFAST_VMATH_H

#include <math.h>
#include <stddef.h>

#if defined(RNNFAST_HAVE_LIBMVEC) && defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

__m128d _ZGVbN2v_tanh(__m128d);
__m128 _ZGVbN4v_tanhf(__m128);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_tanh(__m256d);
__attribute__((target("avx2"))) __m256 _ZGVdN8v_tanhf(__m256);
__attribute__((target("avx512f"))) __m512d _ZGVeN8v_tanh(__m512d);
__attribute__((target("avx512f"))) __m512 _ZGVeN16v_tanhf(__m512);

static void rnnfast_tanh_d_sse(double *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 2 <= n; i += 2)
        _mm_storeu_pd(x + i, _ZGVbN2v_tanh(_mm_loadu_pd(x + i)));
    for (; i < n; i++) x[i] = tanh(x[i]);
}
static void rnnfast_tanh_f_sse(float *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(x + i, _ZGVbN4v_tanhf(_mm_loadu_ps(x + i)));
    for (; i < n; i++) x[i] = tanhf(x[i]);
}
__attribute__((target("avx2"))) static void rnnfast_tanh_d_avx2(double *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm256_storeu_pd(x + i, _ZGVdN4v_tanh(_mm256_loadu_pd(x + i)));
    for (; i < n; i++) x[i] = tanh(x[i]);
}
__attribute__((target("avx2"))) static void rnnfast_tanh_f_avx2(float *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(x + i, _ZGVdN8v_tanhf(_mm256_loadu_ps(x + i)));
    for (; i < n; i++) x[i] = tanhf(x[i]);
}
__attribute__((target("avx512f"))) static void rnnfast_tanh_d_avx512(double *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm512_storeu_pd(x + i, _ZGVeN8v_tanh(_mm512_loadu_pd(x + i)));
    for (; i < n; i++) x[i] = tanh(x[i]);
}
__attribute__((target("avx512f"))) static void rnnfast_tanh_f_avx512(float *x, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(x + i, _ZGVeN16v_tanhf(_mm512_loadu_ps(x + i)));
    for (; i < n; i++) x[i] = tanhf(x[i]);
}

/* 0 = not yet chosen, 1 = sse, 2 = avx2, 3 = avx512.  The choice is made once; a benign
 * race (two threads choosing at once) writes the same value. */
static int rnnfast_tanh_level = 0;
static int rnnfast_tanh_choose(void) {
    if (rnnfast_tanh_level == 0) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) rnnfast_tanh_level = 3;
        else if (__builtin_cpu_supports("avx2")) rnnfast_tanh_level = 2;
        else rnnfast_tanh_level = 1;
    }
    return rnnfast_tanh_level;
}
static void rnnfast_tanh_d(double *x, ptrdiff_t n) {
    switch (rnnfast_tanh_choose()) {
        case 3: rnnfast_tanh_d_avx512(x, n); break;
        case 2: rnnfast_tanh_d_avx2(x, n); break;
        default: rnnfast_tanh_d_sse(x, n);
    }
}
static void rnnfast_tanh_f(float *x, ptrdiff_t n) {
    switch (rnnfast_tanh_choose()) {
        case 3: rnnfast_tanh_f_avx512(x, n); break;
        case 2: rnnfast_tanh_f_avx2(x, n); break;
        default: rnnfast_tanh_f_sse(x, n);
    }
}
static const char *rnnfast_tanh_kind(void) {
    switch (rnnfast_tanh_choose()) {
        case 3: return "libmvec-avx512";
        case 2: return "libmvec-avx2";
        default: return "libmvec-sse";
    }
}

#else  /* scalar fallback */

static void rnnfast_tanh_d(double *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = tanh(x[i]);
}
static void rnnfast_tanh_f(float *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = tanhf(x[i]);
}
static const char *rnnfast_tanh_kind(void) { return "libm-scalar"; }

#endif
#endif /* RNNFAST_VMATH_H */
