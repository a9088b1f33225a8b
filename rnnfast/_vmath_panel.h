/* The recurrent product h_prev w1h of one step, for one CPU level and one precision.
 *
 * Included by _vmath_level.h (no include guard) with RNNFAST_P_REAL (double/float),
 * RNNFAST_P_SUF (d/f), RNNFAST_P_VEC (the level's vector register as a GCC vector type),
 * RNNFAST_P_ROWS and RNNFAST_P_VECS (the register tile: rows x vectors per row); it undefines
 * them at the end.
 *
 *   gemm_acc:  C (m x n) += A (m x k) B (k x n)       row-major, contiguous
 *   ids_step:  C (m x n)  = table[ids[i * stride]] + bias + A B      (k = n: one token-id step,
 *              the gather folded in: the accumulators start from the token's row)
 *
 * n must be a multiple of the panel width P = RNNFAST_P_VECS lanes-per-vector: for each panel
 * of P columns and each tile of rows, the tile's accumulators stay in registers over all k,
 * B's row of the panel is read in place (BLAS would pack B on every call: with 32 rows that
 * packing is a large share of the work) and A's value is broadcast.  The tile is sized to
 * the register file: rows x vectors accumulators + vectors B values + 1 broadcast must fit
 * (AVX-512: 4 x 4 + 4 + 1 = 21 of 32 zmm; AVX2 and SSE2: 6 x 2 + 2 + 1 = 15 of 16; NEON:
 * 6 x 4 + 4 + 1 = 29 of 32).  A tile too big for the register file spills its accumulators
 * on every multiply-add (measured on AVX2 with the 4 x 4 tile of AVX-512: up to 8x slower
 * than BLAS).  The last m % rows rows get a tile as tall as what is left.
 */
#define RNNFAST_PN(name) RNNFAST_CAT(RNNFAST_CAT(name, RNNFAST_P_SUF), RNNFAST_L)
#define RNNFAST_PN2(name, index) \
    RNNFAST_CAT(RNNFAST_CAT(RNNFAST_CAT(name, RNNFAST_P_SUF), index), RNNFAST_L)
#define REAL RNNFAST_P_REAL

#if RNNFAST_VECTOR_EXT
#define VEC RNNFAST_P_VEC
#define LANES ((int) (sizeof(VEC) / sizeof(REAL)))
#define WIDTH (RNNFAST_P_VECS * LANES)
/* the level's vector at its natural alignment: the stack copy of broadcast rows */
typedef REAL RNNFAST_PN(rnnfast_vec_a) __attribute__((vector_size(sizeof(VEC))));

/* The tile's loops over its rows.  clang optimises the tile before inlining it, where `rows` is
 * not yet a constant: `r < rows` became a run-time loop with acc[][] in memory; a constant trip
 * count with a test inside unrolls.  GCC inlines first; with that form its SSE2 tile got slower
 * (5.8 -> 8.4 us per 32-cell step), so it keeps the plain loop. */
#ifndef RNNFAST_ROWS_LOOP
#if defined(__clang__)
#define RNNFAST_ROWS_LOOP(r) for (int r = 0; r < 8; r++) if (r < rows)
#else
#define RNNFAST_ROWS_LOOP(r) for (int r = 0; r < rows; r++)
#endif
#endif

/* Rows i0 .. i0 + rows - 1 of the panel at column j0; `rows` (<= 8) and which of ids32 / ids64
 * / neither is given are constants at every call site, so each call compiles to its own
 * straight-line tile. */
static inline __attribute__((always_inline)) RNNFAST_TARGET void
RNNFAST_PN(rnnfast_tile)(const REAL *R_ A, const REAL *R_ B, REAL *R_ C, int k, int n, int i0,
                         int j0, const int rows, const REAL *R_ table,
                         const int32_t *R_ ids32, const int64_t *R_ ids64, ptrdiff_t stride,
                         const REAL *R_ bias, const RNNFAST_PN(rnnfast_vec_a) *R_ packed) {
    VEC acc[8][RNNFAST_P_VECS];
#pragma GCC unroll 8
    RNNFAST_ROWS_LOOP(r) {
        if (ids32 || ids64) {    /* start from x_t w1x + b1: the token's row of the table */
            const ptrdiff_t row = ids32 ? ids32[(i0 + r) * stride] : ids64[(i0 + r) * stride];
#pragma GCC unroll 4
            for (int v = 0; v < RNNFAST_P_VECS; v++)
                acc[r][v] = *(const VEC *) (table + row * n + j0 + LANES * v)
                            + *(const VEC *) (bias + j0 + LANES * v);
        } else {
#pragma GCC unroll 4
            for (int v = 0; v < RNNFAST_P_VECS; v++)
                acc[r][v] = *(const VEC *) (C + (ptrdiff_t) (i0 + r) * n + j0 + LANES * v);
        }
    }
    for (int kk = 0; kk < k; kk++) {
        const VEC *b = (const VEC *) (B + (ptrdiff_t) kk * n + j0);
        VEC bv[RNNFAST_P_VECS];
#pragma GCC unroll 4
        for (int v = 0; v < RNNFAST_P_VECS; v++) bv[v] = b[v];
#pragma GCC unroll 8
        RNNFAST_ROWS_LOOP(r) {
            /* broadcast: x - 0 is x for every x (0 + x is not, for x = -0: an add) */
            VEC a;
            if (packed)
                a = (VEC) packed[(ptrdiff_t) r * k + kk];
            else
                a = A[(ptrdiff_t) (i0 + r) * k + kk] - (VEC) {0};
#pragma GCC unroll 4
            for (int v = 0; v < RNNFAST_P_VECS; v++) acc[r][v] += a * bv[v];
        }
    }
#pragma GCC unroll 8
    RNNFAST_ROWS_LOOP(r)
#pragma GCC unroll 4
        for (int v = 0; v < RNNFAST_P_VECS; v++)
            *(VEC *) (C + (ptrdiff_t) (i0 + r) * n + j0 + LANES * v) = acc[r][v];
}

#define RNNFAST_TILE(ROWS, PACKED) \
    RNNFAST_PN(rnnfast_tile)(A, B, C, k, n, i0, j0, ROWS, table, ids32, ids64, stride, bias, \
                             PACKED)
#define RNNFAST_LAST_ROWS(ROWS, PACKED) \
    case ROWS: if (RNNFAST_P_ROWS >= ROWS) RNNFAST_TILE(ROWS, PACKED); break;
#define RNNFAST_ROW_TILES(PACKED)                                                             \
    switch (rows) {        /* rows <= RNNFAST_P_ROWS <= 8: a tile as tall as the rows */   \
        RNNFAST_LAST_ROWS(8, PACKED) RNNFAST_LAST_ROWS(7, PACKED) RNNFAST_LAST_ROWS(6, PACKED) \
        RNNFAST_LAST_ROWS(5, PACKED) RNNFAST_LAST_ROWS(4, PACKED) RNNFAST_LAST_ROWS(3, PACKED) \
        RNNFAST_LAST_ROWS(2, PACKED) RNNFAST_LAST_ROWS(1, PACKED) default: break;             \
    }
/* Without FMA (SSE2) a broadcast costs a load and a shuffle per row and step of k, as much as
 * the multiply-add it feeds: there the rows of a tile are first copied as broadcast vectors
 * to the stack (k <= RNNFAST_PACK_MAX_K; amortised over the n / WIDTH panels), and the tile
 * reads them with plain aligned loads (measured on SSE2: ... ). */
#define RNNFAST_PACK_MAX_K 256
#define RNNFAST_PANELS(TABLE, IDS32, IDS64)                                                   \
    const REAL *R_ table = TABLE;                                                             \
    const int32_t *R_ ids32 = IDS32;                                                          \
    const int64_t *R_ ids64 = IDS64;                                                          \
    if (RNNFAST_P_PACK && k <= RNNFAST_PACK_MAX_K) {                                          \
        RNNFAST_PN(rnnfast_vec_a) packed[RNNFAST_P_ROWS * RNNFAST_PACK_MAX_K];                \
        for (int i0 = 0; i0 < m; i0 += RNNFAST_P_ROWS) {                                      \
            const int rows = m - i0 < RNNFAST_P_ROWS ? m - i0 : RNNFAST_P_ROWS;               \
            for (int r = 0; r < rows; r++)                                                    \
                for (int kk = 0; kk < k; kk++)                                                \
                    packed[r * k + kk] = A[(ptrdiff_t) (i0 + r) * k + kk]                     \
                                         - (RNNFAST_PN(rnnfast_vec_a)) {0};                   \
            for (int j0 = 0; j0 < n; j0 += WIDTH) RNNFAST_ROW_TILES(packed)                   \
        }                                                                                     \
    } else {                                                                                  \
        for (int j0 = 0; j0 < n; j0 += WIDTH) {                                               \
            for (int i0 = 0; i0 < m; i0 += RNNFAST_P_ROWS) {                                  \
                const int rows = m - i0 < RNNFAST_P_ROWS ? m - i0 : RNNFAST_P_ROWS;           \
                RNNFAST_ROW_TILES((const RNNFAST_PN(rnnfast_vec_a) *) NULL)                   \
            }                                                                                 \
        }                                                                                     \
    }

#else  /* no vector extensions: a plain loop, correct for any n (never chosen for speed) */
#define WIDTH 1
#define RNNFAST_PANELS(TABLE, IDS32, IDS64)                                                   \
    const REAL *R_ table = TABLE;                                                             \
    const int32_t *R_ ids32 = IDS32;                                                          \
    const int64_t *R_ ids64 = IDS64;                                                          \
    for (int i = 0; i < m; i++) {                                                             \
        REAL *R_ c = C + (ptrdiff_t) i * n;                                                   \
        if (ids32 || ids64) {                                                                 \
            const ptrdiff_t row = ids32 ? ids32[i * stride] : ids64[i * stride];              \
            for (int j = 0; j < n; j++) c[j] = table[row * n + j] + bias[j];                  \
        }                                                                                     \
        for (int kk = 0; kk < k; kk++)                                                        \
            for (int j = 0; j < n; j++)                                                       \
                c[j] += A[(ptrdiff_t) i * k + kk] * B[(ptrdiff_t) kk * n + j];                \
    }
#endif

/* The panel width of this level and precision: n must be a multiple of it. */
RNNFAST_FN int RNNFAST_PN(rnnfast_panel_width)(void) { return WIDTH; }

RNNFAST_FN void RNNFAST_PN(rnnfast_gemm_acc)(const REAL *A, const REAL *B, REAL *C, int m,
                                             int k, int n) {
    const ptrdiff_t stride = 0;
    const REAL *bias = NULL;
    RNNFAST_PANELS((const REAL *) NULL, (const int32_t *) NULL, (const int64_t *) NULL)
}

#define RNNFAST_IDS_STEP(SUFFIX, INDEX, IDS32, IDS64)                                         \
    RNNFAST_FN void RNNFAST_PN2(rnnfast_ids_step, SUFFIX)(                                    \
        const REAL *A, const REAL *B, const REAL *table_, const INDEX *ids, ptrdiff_t stride, \
        const REAL *bias, REAL *C, int m, int n) {                                            \
        const int k = n;                                                                      \
        RNNFAST_PANELS(table_, IDS32, IDS64)                                                  \
    }
RNNFAST_IDS_STEP(i32, int32_t, ids, (const int64_t *) NULL)
RNNFAST_IDS_STEP(i64, int64_t, (const int32_t *) NULL, ids)

#undef RNNFAST_IDS_STEP
#undef RNNFAST_PANELS
#undef RNNFAST_ROW_TILES
#undef RNNFAST_PACK_MAX_K
#undef RNNFAST_LAST_ROWS
#undef RNNFAST_TILE
#undef WIDTH
#undef LANES
#undef VEC
#undef REAL
#undef RNNFAST_PN
#undef RNNFAST_PN2
#undef RNNFAST_P_REAL
#undef RNNFAST_P_SUF
#undef RNNFAST_P_VEC
#undef RNNFAST_P_ROWS
#undef RNNFAST_P_VECS
#undef RNNFAST_P_PACK
