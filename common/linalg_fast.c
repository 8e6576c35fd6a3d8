/* linalg_fast.c — the fast matrix products and vec_dot of linalg.h.
 *
 * This file is compiled once into the library, for the vector width the
 * build targets, and once more per kernel path by the test suite (see
 * `mat_kernel_path` in linalg.h and the Makefile's LINALG_PATHS), so that
 * every path the CPU can run is checked against the naive references.
 *
 * Why the naive loop is slow. C[i][j] = sum_k ... as a k-innermost loop is one
 * long chain of dependent additions: each waits ~4 cycles for the previous one,
 * while the CPU could start two vector fused multiply-adds (FMA) *every* cycle.
 * The i-k-j order (C row += a(i,k)·B row) vectorises, but then every FMA also
 * loads and stores a piece of C: memory traffic, not arithmetic, sets the pace.
 *
 * The fix is register blocking, the idea behind every fast BLAS (Goto & van de
 * Geijn 2008, "Anatomy of high-performance matrix multiplication"; BLIS). A
 * micro-kernel computes a small MR x NR tile of C entirely in registers: MR
 * rows x 2 vectors = 2·MR independent accumulators, enough to keep both FMA
 * units busy despite the 4-cycle latency. Each step k loads one row of the
 * tile's B (2 vectors) and MR numbers of A (each broadcast to all lanes) and
 * does 2·MR FMAs: MR + 2 loads for 2·MR FMAs instead of 3 memory operations
 * per FMA. C is read and written once per tile, not once per k.
 *
 *     for k:   b0, b1 = B[k][j .. j+VL-1], B[k][j+VL .. j+2VL-1]
 *              for r < MR:  acc[r][0] += A[i+r][k]·b0,  acc[r][1] += A[i+r][k]·b1
 *
 * All three products are this one kernel. It reads A through two strides,
 * a(r, k) = A[r·rs + k·cs], so A(M, K) (rs = K, cs = 1) and the transposed
 * A(K, M)ᵀ (rs = 1, cs = M) cost the same. B must offer each row of the tile as
 * NR consecutive floats. The driver *packs* a block of B, up to KC x NC, into a
 * contiguous scratch buffer laid out as the kernel reads it: panels of NR
 * columns, each panel k-major ((kc, NR)), zero-padded on the right edge. For
 * A·B and Aᵀ·B that is a copy of row pieces; for A·Bᵀ (B stored (N, K)) it is
 * a transposition, done VL x VL floats at a time in registers (transpose_block).
 * Packing also keeps the kernel's reads in few cache sets' worth of lines: rows
 * 4 KiB apart (N = 1024) all fall into the same L1 cache set, and a packed
 * panel streams linearly. Aᵀ·B reads A down its columns, MR floats per k at a
 * stride of M; for a large M those are copied into a (kc, MR) strip first for
 * the same reason. The buffers are local arrays (no malloc, reentrant). The
 * cost of packing is shared by all M rows, so a thin C takes other routes: few
 * rows (a small batch, one vector) read B in place, and thin A·Bᵀ is done as
 * dot products along K, the direction in which both A and B are contiguous.
 *
 * Blocking over k (KC) keeps the packed block in L2 and one panel of it
 * (KC x NR floats) in L1 while the kernel walks down the rows.
 *
 * Vectors. The kernel is portable C written with GCC/Clang vector extensions:
 * `vf` is VL floats and `+`, `*` act lane by lane; the compiler maps it to
 * whatever the target has. The width is chosen at compile time from what the
 * compiler targets: VL = 16 (one 64-byte AVX-512 register) with AVX-512F, 8
 * (AVX) with AVX, else 4 (one SSE or NEON register); a vector wider than the
 * machine's would be emulated, slower than scalar code. Any other compiler
 * gets a struct of VL floats and small loops (define LINALG_PORTABLE to try
 * it): slower, still correct. The kernel's inner loop is acc + a·b; GCC fuses
 * that into one FMA instruction only under -ffp-contract=fast, which -std=c11
 * switches off. We switch it on for this file only (the pragma below): the
 * naive references in linalg.c keep separate multiply and add, and no
 * -ffast-math is involved (Clang contracts a·b + c within one expression by
 * default).
 */
#include "linalg.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=fast")
#endif

static int imin(int a, int b) { return a < b ? a : b; }

/* ---------------------------------------------------------------- vectors and tiles */

#if defined(__AVX512F__) && !defined(LINALG_PORTABLE)
#define VL 16        /* floats per vector */
#define MR 8         /* rows of C per kernel call: 16 accumulators of 32 registers */
#define PATH "avx512"
#elif defined(__AVX__) && !defined(LINALG_PORTABLE)
#define VL 8
#define MR 6         /* 12 accumulators of 16 registers */
#define PATH "avx2"
#elif !defined(LINALG_PORTABLE)
#define VL 4
#define MR 6
#define PATH "sse"
#else
#define VL 4
#define MR 6
#define PATH "portable"
#endif
#define NR (2 * VL)  /* columns of C per kernel call: two vectors */
#define KC 256       /* depth of one packed block of B */
#define MC (8 * MR)  /* rows of one packed block of A read down its columns */
#define NC (VL == 16 ? 256 : 64)   /* columns of one packed block (a multiple of NR) */

/* The vector operations, as macros so that no function passes a vector by
 * value (without AVX enabled that has no fixed ABI and GCC warns about it). */
#if defined(__GNUC__) && !defined(LINALG_PORTABLE)
typedef float vf __attribute__((vector_size(VL * 4)));   /* VL floats; + and * act lane by lane */
/* The same type at float alignment, to load and store at any address (this
 * is how the compilers' own _mm256_loadu_ps is written). */
typedef float vf_unaligned __attribute__((vector_size(VL * 4), aligned(4), may_alias));
#define VF_LOAD(p)          (*(const vf_unaligned *)(p))
#define VF_STORE(p, x)      (*(vf_unaligned *)(p) = (x))
#define VF_ZERO             ((vf){0})
#define VF_ADD(x, y)        ((x) + (y))
#define VF_MADD(acc, a, y)  ((acc) + (a) * (y))     /* acc + a·y, a float: a goes to all lanes */
#define VF_VMADD(acc, x, y) ((acc) + (x) * (y))     /* acc + x·y lane by lane */
#define VF_LANE(x, l)       ((x)[l])
#define ALWAYS_INLINE __attribute__((always_inline)) inline
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define HAVE_SHUFFLE 1
#endif
#endif
#else
typedef struct { float v[VL]; } vf;
static inline vf vf_load(const float *p) { vf r; memcpy(r.v, p, sizeof r.v); return r; }
static inline vf vf_add(vf x, vf y) { for (int l = 0; l < VL; l++) x.v[l] += y.v[l]; return x; }
static inline vf vf_madd(vf acc, float a, vf y) { for (int l = 0; l < VL; l++) acc.v[l] += a * y.v[l]; return acc; }
static inline vf vf_vmadd(vf acc, vf x, vf y) { for (int l = 0; l < VL; l++) acc.v[l] += x.v[l] * y.v[l]; return acc; }
#define VF_LOAD(p)          vf_load(p)
#define VF_STORE(p, x)      memcpy((p), (x).v, sizeof (x).v)
#define VF_ZERO             ((vf){{0}})
#define VF_ADD(x, y)        vf_add((x), (y))
#define VF_MADD(acc, a, y)  vf_madd((acc), (a), (y))
#define VF_VMADD(acc, x, y) vf_vmadd((acc), (x), (y))
#define VF_LANE(x, l)       ((x).v[l])
#define ALWAYS_INLINE inline
#endif

const char *mat_kernel_path(void) { return PATH; }
int mat_vector_floats(void) { return VL; }

/* ---------------------------------------------------------------- the micro-kernel */

/* tile(mr, nv·VL) = sum_{k < kc} a(r, k)·b(k, 0..nv·VL-1), with
 *   a(r, k) = a[r·rsa + k·csa]   and   b(k, 0..) = b[k·ldb ..],
 * then C = tile (add = 0) or C += tile (add = 1) for the first nr <= nv·VL
 * columns (b's padding lanes are dropped), tile(r, j) going to c[r·rsc + j·csc].
 * mr and nv (1 or 2 vectors: a right edge of at most VL columns takes one)
 * are compile-time constants at each call site (kernel_tile), so the loops
 * unroll and the nv·mr accumulators live in registers. */
static ALWAYS_INLINE void kernel(int mr, int nv, int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                                 const float *b, ptrdiff_t ldb,
                                 float *c, ptrdiff_t rsc, ptrdiff_t csc, int nr, int add)
{
    vf acc[MR][2];
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < nv; v++) acc[r][v] = VF_ZERO;
#if defined(__GNUC__)
    /* Ask for the tile of C now, so that it has arrived when the loop ends
     * (a large C is not in cache, and each row of the tile is another page). */
    if (csc == 1)
        for (int r = 0; r < mr; r++) {
            __builtin_prefetch(c + r * rsc, 1, 3);
            __builtin_prefetch(c + r * rsc + nr - 1, 1, 3);
        }
#endif

    for (int k = 0; k < kc; k++) {
        vf bk[2];
        for (int v = 0; v < nv; v++) bk[v] = VF_LOAD(b + k * ldb + v * VL);
        for (int r = 0; r < mr; r++) {
            float ark = a[r * rsa + k * csa];
            for (int v = 0; v < nv; v++) acc[r][v] = VF_MADD(acc[r][v], ark, bk[v]);
        }
    }

    for (int r = 0; r < mr; r++) {
        float *cr = c + r * rsc;
        if (nr == nv * VL && csc == 1) {            /* a whole row of the tile */
            for (int v = 0; v < nv; v++) {
                if (add) acc[r][v] = VF_ADD(acc[r][v], VF_LOAD(cr + v * VL));
                VF_STORE(cr + v * VL, acc[r][v]);
            }
        } else {                                    /* right edge, or C transposed */
            float t[NR] = { 0 };
            for (int v = 0; v < nv; v++) VF_STORE(t + v * VL, acc[r][v]);
            for (int j = 0; j < nr; j++) cr[j * csc] = add ? cr[j * csc] + t[j] : t[j];
        }
    }
}

/* One compiled copy of the kernel per row count 1..MR, per width (nr > VL:
 * two vectors, else one) and per layout of A: a (kc, MR) packed strip
 * (kmajor: rsa = 1, csa = MR, both known here) or any strides. */
#define KERNEL_CASE(m)                                                                        \
    case m:                                                                                   \
        if (kmajor && wide) kernel(m, 2, kc, a, 1, MR, b, ldb, c, rsc, csc, nr, add);         \
        else if (kmajor) kernel(m, 1, kc, a, 1, MR, b, ldb, c, rsc, csc, nr, add);            \
        else if (wide) kernel(m, 2, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add);           \
        else kernel(m, 1, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add);                     \
        break;
static void kernel_tile(int mr, int kc, const float *a, int kmajor, ptrdiff_t rsa, ptrdiff_t csa,
                        const float *b, ptrdiff_t ldb,
                        float *c, ptrdiff_t rsc, ptrdiff_t csc, int nr, int add)
{
    const int wide = nr > VL;
    switch (mr) {
#if MR >= 8
    KERNEL_CASE(8) KERNEL_CASE(7)
#endif
    KERNEL_CASE(6) KERNEL_CASE(5) KERNEL_CASE(4) KERNEL_CASE(3) KERNEL_CASE(2) KERNEL_CASE(1)
    default: assert(0 && "kernel_tile: mr out of 1..MR");
    }
}
#undef KERNEL_CASE

/* ---------------------------------------------------------------- packing */

#if defined(HAVE_SHUFFLE)
/* Interleave the low (high) halves of x and y: x0 y0 x1 y1 ... */
#if VL == 16
#define VF_LO(x, y) __builtin_shufflevector(x, y, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define VF_HI(x, y) __builtin_shufflevector(x, y, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
#elif VL == 8
#define VF_LO(x, y) __builtin_shufflevector(x, y, 0, 8, 1, 9, 2, 10, 3, 11)
#define VF_HI(x, y) __builtin_shufflevector(x, y, 4, 12, 5, 13, 6, 14, 7, 15)
#else
#define VF_LO(x, y) __builtin_shufflevector(x, y, 0, 4, 1, 5)
#define VF_HI(x, y) __builtin_shufflevector(x, y, 2, 6, 3, 7)
#endif

/* dst[u·ldd + t] = src[t·lds + u] for t, u < VL: a VL x VL block transposed
 * in registers. log2(VL) rounds of the perfect shuffle: each round
 * interleaves row t with row t + VL/2, and after log2(VL) rounds row u holds
 * what was column u (for VL = 2: (x0 x1), (y0 y1) -> (x0 y0), (x1 y1)). */
static ALWAYS_INLINE void transpose_block(float *dst, ptrdiff_t ldd, const float *src, ptrdiff_t lds)
{
    vf v[VL], w[VL];
    for (int t = 0; t < VL; t++) v[t] = VF_LOAD(src + t * lds);
    for (int round = 1; round < VL; round *= 2) {
        for (int t = 0; t < VL / 2; t++) {
            w[2 * t] = VF_LO(v[t], v[t + VL / 2]);
            w[2 * t + 1] = VF_HI(v[t], v[t + VL / 2]);
        }
        memcpy(v, w, sizeof v);
    }
    for (int u = 0; u < VL; u++) VF_STORE(dst + u * ldd, v[u]);
}
#endif

/* Pack b(k, j) = B[k·rsb + j·csb], k < kc, j < nc, into panels of NR columns:
 * panel p holds columns NR·p .. NR·p + NR-1 as a (kc, NR) block at bp + NR·p·kc,
 * zero-padded past column nc. Reads along whichever stride of B is 1. */
static void pack_b(float *restrict bp, const float *restrict B, ptrdiff_t rsb, ptrdiff_t csb,
                   int kc, int nc)
{
    for (int j0 = 0; j0 < nc; j0 += NR) {
        int nr = imin(NR, nc - j0);
        float *dst = bp + (ptrdiff_t)j0 * kc;                /* (kc, NR) */
        if (csb == 1 && nr == NR) {                          /* rows of B: copy them */
            for (int k = 0; k < kc; k++) memcpy(dst + k * NR, B + k * rsb + j0, NR * sizeof *dst);
            continue;
        }
        if (csb == 1) {
            for (int k = 0; k < kc; k++)
                for (int j = 0; j < NR; j++) dst[k * NR + j] = j < nr ? B[k * rsb + j0 + j] : 0.0f;
            continue;
        }
        int j = 0;
#if defined(HAVE_SHUFFLE)
        if (rsb == 1) {                    /* B stored (N, K): VL x VL blocks in registers */
            const int kfull = kc - kc % VL;
            for (; j + VL <= nr; j += VL)
                for (int k0 = 0; k0 < kfull; k0 += VL)
                    transpose_block(dst + k0 * NR + j, NR, B + (ptrdiff_t)(j0 + j) * csb + k0, csb);
            for (int jj = 0; jj < j; jj++)                     /* the last kc % VL rows */
                for (int k = kfull; k < kc; k++) dst[k * NR + jj] = B[(ptrdiff_t)(j0 + jj) * csb + k];
        }
#endif
        for (; j < nr; j++) {                                  /* columns left over */
            const float *src = B + (ptrdiff_t)(j0 + j) * csb;
            for (int k = 0; k < kc; k++) dst[k * NR + j] = src[k * rsb];
        }
        for (j = nr; j < NR; j++)
            for (int k = 0; k < kc; k++) dst[k * NR + j] = 0.0f;
    }
}

/* Pack rows i < mc of A read down its columns, a(i, k) = A[i + k·csa],
 * k < kc, as strips of MR rows in the (kc, MR) layout the kernel reads with
 * kmajor = 1: strip s at ap + s·kc·MR, zero-padded past row mc. Each k reads
 * mc consecutive floats, so every cache line of A is read once and whole. */
static void pack_a_kmajor(float *restrict ap, const float *restrict A, ptrdiff_t csa, int mc, int kc)
{
    int full = mc - mc % MR;
    for (int k = 0; k < kc; k++) {
        const float *src = A + k * csa;
        int i = 0;
        for (; i < full; i += MR) memcpy(ap + (ptrdiff_t)i * kc + k * MR, src + i, MR * sizeof *ap);
        for (int r = 0; i + r < mc; r++) ap[(ptrdiff_t)i * kc + k * MR + r] = src[i + r];
    }
}

/* ---------------------------------------------------------------- drivers */

/* C(M, N) (+)= a·b with a(i, k) = A[i·rsa + k·csa], b(k, j) = B[k·rsb + j·csb],
 * C(i, j) at C[i·rsc + j·csc]. The loops, outermost first: blocks of KC along
 * k (the first one overwrites C unless accumulating, the others add), blocks
 * of NC columns (packed), blocks of MC rows, strips of MR rows, panels of NR
 * columns. An A read down its columns (rsa = 1) is packed too, a block of MC
 * rows at a time: read in place it would touch a new cache line per k, at a
 * stride that maps many of them to the same cache set. */
static void gemm_packed(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                        const float *B, ptrdiff_t rsb, ptrdiff_t csb,
                        float *C, ptrdiff_t rsc, ptrdiff_t csc, int accumulate)
{
    _Alignas(64) float bp[KC * NC];                        /* packed block of B */
    _Alignas(64) float ap[KC * MC];                        /* packed block of A */
    const int kmajor = rsa == 1;
    for (int k0 = 0; k0 < K; k0 += KC) {
        int kc = imin(KC, K - k0);
        int add = accumulate || k0 > 0;
        for (int j0 = 0; j0 < N; j0 += NC) {
            int nc = imin(NC, N - j0);
            pack_b(bp, B + k0 * rsb + j0 * csb, rsb, csb, kc, nc);
            for (int i0 = 0; i0 < M; i0 += MC) {
                int mc = imin(MC, M - i0);
                if (kmajor) pack_a_kmajor(ap, A + i0 + k0 * csa, csa, mc, kc);
                for (int i = 0; i < mc; i += MR) {
                    const float *ai = kmajor ? ap + (ptrdiff_t)i * kc : A + (i0 + i) * rsa + k0 * csa;
                    for (int jp = 0; jp < nc; jp += NR)
                        kernel_tile(imin(MR, mc - i), kc, ai, kmajor, rsa, csa, bp + (ptrdiff_t)jp * kc, NR,
                                    C + (i0 + i) * rsc + (j0 + jp) * csc, rsc, csc, imin(NR, nc - jp), add);
                }
            }
        }
    }
}

/* The same product when B's rows are contiguous (b(k, j) = B[k·rsb + j]) and C
 * has few rows: the kernel reads B in place, since packing would cost as much
 * as the product. Whole panels and a last half panel (one vector) are read in
 * place; only the ragged right edge (fewer than VL columns) is packed, into a
 * zero-padded (kc, NR) buffer, so no row of B is read past its end. C(i, j) is
 * at C[i·rsc + j·csc]: (N, 1) for C itself, (1, M) to write Cᵀ (see mat_mul_atb). */
static void gemm_direct(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                        const float *B, ptrdiff_t rsb, float *C, ptrdiff_t rsc, ptrdiff_t csc,
                        int accumulate)
{
    _Alignas(64) float edge[KC * NR];
    int inplace = N - N % NR;
    if (N - inplace >= VL) inplace += VL;
    for (int k0 = 0; k0 < K; k0 += KC) {
        int kc = imin(KC, K - k0);
        int add = accumulate || k0 > 0;
        if (inplace < N) pack_b(edge, B + k0 * rsb + inplace, rsb, 1, kc, N - inplace);
        for (int i = 0; i < M; i += MR) {
            int mr = imin(MR, M - i);
            const float *ai = A + i * rsa + k0 * csa;
            float *ci = C + i * rsc;
            for (int jp = 0; jp < inplace; jp += NR)
                kernel_tile(mr, kc, ai, 0, rsa, csa, B + k0 * rsb + jp, rsb, ci + jp * csc, rsc, csc,
                            imin(NR, inplace - jp), add);
            if (inplace < N)
                kernel_tile(mr, kc, ai, 0, rsa, csa, edge, NR, ci + inplace * csc, rsc, csc,
                            N - inplace, add);
        }
    }
}

/* ---------------------------------------------------------------- dot products
 *
 * The thin products (a few rows of C, a layer with a few outputs) are dot
 * products along K. Whatever the kernel path's vector width, a dot product
 * keeps 8 partial sums, lane l summing the terms k ≡ l (mod 8) in order, adds
 * them in one fixed tree, ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)),
 * then the last K mod 8 terms one by one: the order of the course's first,
 * AVX2-only kernels. With the routes below (which shapes take dot products,
 * which take the kernel: each element of C one chain along k, from 0, C added
 * at the end), every product of the default build gives the same bits as
 * those kernels did, on which the chapters' READMEs were measured (checked on
 * this course's machine with GCC 12 for M in 1..256, K in 1..300, N in
 * 1..128, every variant and accumulate mode). Eight lanes are half an
 * AVX-512 register; these products are small. */
#if defined(__GNUC__) && !defined(LINALG_PORTABLE)
typedef float d8 __attribute__((vector_size(32)));
typedef float d8_unaligned __attribute__((vector_size(32), aligned(4), may_alias));
#define D8_LOAD(p)          (*(const d8_unaligned *)(p))
#define D8_ZERO             ((d8){0})
#define D8_VMADD(acc, x, y) ((acc) + (x) * (y))
#define D8_LANE(x, l)       ((x)[l])
#else
typedef struct { float v[8]; } d8;
static inline d8 d8_load(const float *p) { d8 r; memcpy(r.v, p, sizeof r.v); return r; }
static inline d8 d8_vmadd(d8 acc, d8 x, d8 y) { for (int l = 0; l < 8; l++) acc.v[l] += x.v[l] * y.v[l]; return acc; }
#define D8_LOAD(p)          d8_load(p)
#define D8_ZERO             ((d8){{0}})
#define D8_VMADD(acc, x, y) d8_vmadd((acc), (x), (y))
#define D8_LANE(x, l)       ((x).v[l])
#endif

/* out[q] = the tree sum of the 8 lanes of x[q], q < 4 (pointers: no vector
 * is passed by value). With shuffles: two rounds of interleave-and-add leave
 * lane 4g + q holding (s0 + s4) + (s2 + s6) of x[q] for g = 0 and
 * (s1 + s5) + (s3 + s7) for g = 1; adding the halves finishes the tree. */
static ALWAYS_INLINE void d8_sum4(float out[4], const d8 x[4])
{
#if defined(HAVE_SHUFFLE)
    d8 p = __builtin_shufflevector(x[0], x[1], 0, 8, 1, 9, 2, 10, 3, 11)
         + __builtin_shufflevector(x[0], x[1], 4, 12, 5, 13, 6, 14, 7, 15);   /* x0 x1 x0 x1 ... */
    d8 q = __builtin_shufflevector(x[2], x[3], 0, 8, 1, 9, 2, 10, 3, 11)
         + __builtin_shufflevector(x[2], x[3], 4, 12, 5, 13, 6, 14, 7, 15);
    d8 r = __builtin_shufflevector(p, q, 0, 1, 8, 9, 2, 3, 10, 11)
         + __builtin_shufflevector(p, q, 4, 5, 12, 13, 6, 7, 14, 15);         /* x0 x1 x2 x3 x0 x1 x2 x3 */
    r += __builtin_shufflevector(r, r, 4, 5, 6, 7, 0, 1, 2, 3);
    for (int t = 0; t < 4; t++) out[t] = r[t];
#else
    for (int t = 0; t < 4; t++) {
        float s[8];
        for (int l = 0; l < 8; l++) s[l] = D8_LANE(x[t], l);
        out[t] = ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
    }
#endif
}

/* d[q] = dot(x, y + q·ystride) for q < nq <= 4, over n elements. */
static ALWAYS_INLINE void dots(float d[4], int nq, const float *x, const float *y, ptrdiff_t ystride, int n)
{
    d8 s[4] = { D8_ZERO, D8_ZERO, D8_ZERO, D8_ZERO };
    int k = 0;
    for (; k + 8 <= n; k += 8) {
        d8 xk = D8_LOAD(x + k);
        for (int q = 0; q < nq; q++) s[q] = D8_VMADD(s[q], xk, D8_LOAD(y + q * ystride + k));
    }
    d8_sum4(d, s);
    for (; k < n; k++)
        for (int q = 0; q < nq; q++) d[q] += x[k] * y[q * ystride + k];
}

float vec_dot(const float *x, const float *y, int n)
{
    float d[4];
    dots(d, 1, x, y, 0, n);
    return d[0];
}

/* d[q] = dot(x, y + q·ystride) for q < 4: four sums in flight. */
static void dot4(float d[4], const float *x, const float *y, ptrdiff_t ystride, int n)
{
    dots(d, 4, x, y, ystride, n);
}

/* A·Bᵀ as dot products, for a thin C: C[i][j] = dot(A row i, B row j), both
 * rows contiguous. One row of one operand is dotted with four rows of the
 * other; the four go along whichever of M, N is longer, so a matrix-vector
 * product (M = 1) and a layer with two outputs (N = 2) both get four sums. */
static void gemm_abt_dots(int M, int N, int K, const float *A, const float *B, float *C,
                          int accumulate)
{
    float d[4];
    int fourN = N >= M;                     /* four rows of B per row of A, or the reverse */
    int outer = fourN ? M : N, inner = fourN ? N : M;
    const float *X = fourN ? A : B, *Y = fourN ? B : A;
    ptrdiff_t rsc = fourN ? N : 1, csc = fourN ? 1 : N;      /* C(o, q) as C[o·rsc + q·csc] */
    for (int o = 0; o < outer; o++) {
        const float *x = X + (ptrdiff_t)o * K;
        float *c = C + o * rsc;
        int q = 0;
        for (; q + 4 <= inner; q += 4) {
            dot4(d, x, Y + (ptrdiff_t)q * K, K, K);
            for (int t = 0; t < 4; t++) {
                float *cq = c + (q + t) * csc;
                *cq = accumulate ? *cq + d[t] : d[t];
            }
        }
        for (; q < inner; q++) {
            float dq = vec_dot(x, Y + (ptrdiff_t)q * K, K);
            float *cq = c + q * csc;
            *cq = accumulate ? *cq + dq : dq;
        }
    }
}

/* Shapes with at most this many rows of C skip packing (its cost is O(K·N),
 * shared by only M/MR strips). */
#define DIRECT_MAX_M 12

/* K = 0: the empty sum. */
static void empty_product(float *C, int M, int N, int accumulate)
{
    if (!accumulate) vec_zero(C, M * N);
}

/* Largest Bᵀ (in floats, 16 KiB) that mat_mul_ab and mat_mul_abt transpose
 * on the stack. */
#define THIN_B_MAX 4096

/* Sums of K <= TINY_K outer products, C(M, N) (+)= Σ_k a(:, k)·b(k, :), with
 * a(i, k) = A[i·rsa + k·csa] and b(k, j) = Bk[k·N + j] (rows contiguous):
 * each row of C is K rows of b, scaled and summed, VL columns at a time. C
 * is written once and nothing is packed: for so short a sum, the kernel would
 * spend its time packing and loading and storing its tile, not on FMAs (a
 * layer with a few inputs or outputs, an update from one or two samples). As
 * in the kernel, the sum starts from 0 and C is added last, so the result
 * has the same bits as the kernel's would. kk is a compile-time constant at
 * each call site (gemm_tiny_k). */
#define TINY_K 4
static ALWAYS_INLINE void tiny_k_rows(int kk, int M, int N, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                                      const float *Bk, float *C, int accumulate)
{
    for (int i = 0; i < M; i++) {
        float a[TINY_K];
        for (int k = 0; k < kk; k++) a[k] = A[i * rsa + k * csa];
        float *c = C + (ptrdiff_t)i * N;
        int j = 0;
        for (; j + VL <= N; j += VL) {
            vf acc = VF_ZERO;
            for (int k = 0; k < kk; k++) acc = VF_MADD(acc, a[k], VF_LOAD(Bk + k * N + j));
            if (accumulate) acc = VF_ADD(acc, VF_LOAD(c + j));
            VF_STORE(c + j, acc);
        }
        for (; j < N; j++) {
            float sum = 0.0f;
            for (int k = 0; k < kk; k++) sum += a[k] * Bk[k * N + j];
            c[j] = accumulate ? c[j] + sum : sum;
        }
    }
}

static void gemm_tiny_k(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa, const float *Bk,
                        float *C, int accumulate)
{
    switch (K) {
    case 1: tiny_k_rows(1, M, N, A, rsa, csa, Bk, C, accumulate); break;
    case 2: tiny_k_rows(2, M, N, A, rsa, csa, Bk, C, accumulate); break;
    case 3: tiny_k_rows(3, M, N, A, rsa, csa, Bk, C, accumulate); break;
    case 4: tiny_k_rows(4, M, N, A, rsa, csa, Bk, C, accumulate); break;
    default: assert(0 && "gemm_tiny_k: K out of 1..TINY_K");
    }
}

/* Four routes. A thin B (N <= 4 columns, e.g. a layer with two outputs)
 * would fill a few lanes of each tile: transpose it (K·N floats, cheap) and
 * take A·Bᵀ dot products along K, where A's rows are contiguous. Otherwise a
 * tiny K: outer products. Few rows of C: the kernel on B in place.
 * Otherwise: packed. */
void mat_mul_ab(float *restrict C, const float *restrict A, const float *restrict B,
                int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    if (M == 0 || N == 0) return;
    if (K == 0) { empty_product(C, M, N, accumulate); return; }
    if (K <= TINY_K && N > 4) gemm_tiny_k(M, N, K, A, K, 1, B, C, accumulate);
    else if (N <= 4 && K <= THIN_B_MAX / N) {
        float bt[THIN_B_MAX];                               /* Bᵀ (N, K) */
        for (int k = 0; k < K; k++)
            for (int j = 0; j < N; j++) bt[j * K + k] = B[k * N + j];
        gemm_abt_dots(M, N, K, A, bt, C, accumulate);
    } else if (M <= DIRECT_MAX_M) gemm_direct(M, N, K, A, K, 1, B, N, C, N, 1, accumulate);
    else gemm_packed(M, N, K, A, K, 1, B, N, 1, C, N, 1, accumulate);
}

/* The tile needs rows of Bᵀ, i.e. columns of the stored B(N, K), which are
 * not contiguous: pack them; or, for a tiny K, transpose B (at most TINY_K·N
 * floats) for outer products; or, for a thin C (fewer than 6 rows, or
 * N <= 4), take dot products along K, where rows of A and B are both
 * contiguous (whatever K: see "dot products" above). */
void mat_mul_abt(float *restrict C, const float *restrict A, const float *restrict B,
                 int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    if (M == 0 || N == 0) return;
    if (K == 0) { empty_product(C, M, N, accumulate); return; }
    if (K <= TINY_K && M >= 6 && N > 4 && N <= THIN_B_MAX / K) {
        float bt[THIN_B_MAX];                               /* Bᵀ (K, N) */
        for (int j = 0; j < N; j++)
            for (int k = 0; k < K; k++) bt[k * N + j] = B[j * K + k];
        gemm_tiny_k(M, N, K, A, K, 1, bt, C, accumulate);
    } else if (M < 6 || N <= 4) gemm_abt_dots(M, N, K, A, B, C, accumulate);
    else gemm_packed(M, N, K, A, K, 1, B, 1, K, C, N, 1, accumulate);
}

/* Rows of C, rounded up to whole strips, times columns rounded up to whole
 * panels (an edge of up to VL columns takes one vector): the work the
 * kernel does, padding lanes included. */
static long padded_work(int M, int N)
{
    int edge = N % NR, cols = N - edge + (edge == 0 ? 0 : edge <= VL ? VL : NR);
    return (long)((M + MR - 1) / MR * MR) * cols;
}

/* A(K, M) is read down its columns, a(i, k) = A[k·M + i]. A narrow C (e.g.
 * the first layer's dW(64, 4)) would waste most of each NR-wide tile, so when
 * it saves padding, compute Cᵀ(N, M) = B(K, N)ᵀ·A(K, M) instead, the same
 * shape of product with the operands swapped, and write it transposed.
 * Otherwise as mat_mul_ab: a tiny K (a batch of one or two) is outer
 * products, few rows of C read B in place, the rest is packed. */
void mat_mul_atb(float *restrict C, const float *restrict A, const float *restrict B,
                 int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    if (M == 0 || N == 0) return;
    if (K == 0) { empty_product(C, M, N, accumulate); return; }
    if (K <= TINY_K) gemm_tiny_k(M, N, K, A, 1, M, B, C, accumulate);
    else if (padded_work(N, M) < padded_work(M, N)) {
        if (N <= DIRECT_MAX_M) gemm_direct(N, M, K, B, 1, N, A, M, C, 1, N, accumulate);
        else gemm_packed(N, M, K, B, 1, N, A, M, 1, C, 1, N, accumulate);
    } else if (M <= DIRECT_MAX_M) gemm_direct(M, N, K, A, 1, M, B, N, C, N, 1, accumulate);
    else gemm_packed(M, N, K, A, 1, M, B, N, 1, C, N, 1, accumulate);
}
