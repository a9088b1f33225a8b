/* CPU levels and the dispatch between them, for both extensions (_kernels and _train).
 *
 * Every function that is worth compiling for a wider instruction set is compiled once per
 * level, in the same translation unit, with a target attribute (GCC and clang):
 *
 *   level 0  "baseline"   x86-64 (SSE2), or the baseline of any other CPU (aarch64: NEON)
 *   level 1  "x86-64-v3"  AVX2 + FMA: 16 registers of 256 bits
 *   level 2  "x86-64-v4"  AVX-512 (F, CD, BW, DQ, VL): 32 registers of 512 bits
 *
 * and a small wrapper calls the copy of the level in use (rnnfast_level): one predictable
 * branch per call, no function pointers.  The level in use is the CPU's best unless lowered
 * by rnnfast_set_level (the Python side reads RNNFAST_CPU at import), so any level the CPU
 * supports can be measured and tested on one machine.  Without GCC/clang on x86-64 (MSVC,
 * aarch64, or RNNFAST_PORTABLE defined) only level 0 exists.
 *
 * The targets name exactly the features that rnnfast_cpu_max_level checks (not "arch=x86-64-v3",
 * which would also let the compiler use BMI2/MOVBE that we do not check for).
 */
#ifndef RNNFAST_DISPATCH_H
#define RNNFAST_DISPATCH_H

#define RNNFAST_BASELINE 0
#define RNNFAST_X86_64_V3 1
#define RNNFAST_X86_64_V4 2

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && !defined(RNNFAST_PORTABLE)
#define RNNFAST_X86_LEVELS 1
#define RNNFAST_TARGET_v3 __attribute__((target("avx2,fma")))
#define RNNFAST_TARGET_v4 \
    __attribute__((target("avx2,fma,avx512f,avx512cd,avx512bw,avx512dq,avx512vl")))
#else
#define RNNFAST_X86_LEVELS 0
#endif
#if defined(__aarch64__) && defined(__GNUC__) && !defined(__clang__) && !defined(RNNFAST_PORTABLE)
/* GCC's first scheduling pass hoists the 6 broadcasts of the NEON tile's k loop above its
 * multiply-adds: 34 live registers of 32, 3 spills per step of k (scripts/cross_check_aarch64.sh) */
#define RNNFAST_TARGET_base __attribute__((optimize("no-schedule-insns")))
#else
#define RNNFAST_TARGET_base
#endif

#if defined(_MSC_VER) && !defined(__clang__)
#define RNNFAST_RESTRICT __restrict
#else
#define RNNFAST_RESTRICT restrict
#endif

#define RNNFAST_CAT_(a, b) a##_##b
#define RNNFAST_CAT(a, b) RNNFAST_CAT_(a, b)

/* The best level this CPU (and its OS: the builtins check that AVX/AVX-512 state is saved)
 * supports. */
static int rnnfast_cpu_max_level(void) {
#if RNNFAST_X86_LEVELS
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        return RNNFAST_BASELINE;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl"))
        return RNNFAST_X86_64_V4;
    return RNNFAST_X86_64_V3;
#else
    return RNNFAST_BASELINE;
#endif
}

static int rnnfast_level = RNNFAST_BASELINE;

/* Use `wanted` or, if the CPU cannot run it, the best level below; returns the level set. */
static int rnnfast_set_level(int wanted) {
    const int best = rnnfast_cpu_max_level();
    rnnfast_level = wanted < RNNFAST_BASELINE ? RNNFAST_BASELINE : wanted > best ? best : wanted;
    return rnnfast_level;
}

/* RNNFAST_DISPATCH(f, (args)) calls f_v4, f_v3 or f_base for the level in use. */
#if RNNFAST_X86_LEVELS
#define RNNFAST_DISPATCH(F, ARGS)                                                             \
    (rnnfast_level >= RNNFAST_X86_64_V4 ? F##_v4 ARGS                                         \
     : rnnfast_level == RNNFAST_X86_64_V3 ? F##_v3 ARGS : F##_base ARGS)
#else
#define RNNFAST_DISPATCH(F, ARGS) (F##_base ARGS)
#endif

#endif /* RNNFAST_DISPATCH_H */
