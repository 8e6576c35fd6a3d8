/* linalg.c — see linalg.h.
 *
 * Parts: vector helpers, the naive matrix products, the fast matrix products
 * (how they work is explained in prose at the top of that part), the dense
 * solvers.
 */
#include "linalg.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int imin(int a, int b) { return a < b ? a : b; }

/* ================================================================ vectors (float) */

/* vec_dot is in the fast part below: it needs split partial sums to vectorise. */

void vec_axpy(float *restrict y, float a, const float *restrict x, int n)
{
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}

void vec_scale(float *x, float a, int n)
{
    for (int i = 0; i < n; i++) x[i] *= a;
}

void vec_fill(float *x, float v, int n)
{
    for (int i = 0; i < n; i++) x[i] = v;
}

void vec_zero(float *x, int n)
{
    if (n > 0) memset(x, 0, (size_t)n * sizeof *x);
}

/* `x[i] > x[best]` is false whenever either side is NaN, so a NaN is never
 * picked later; to keep one from being picked first, start from the first
 * non-NaN element (all NaN: the last index). */
int vec_argmax(const float *x, int n)
{
    if (n <= 0) return -1;
    int best = 0;
    while (best < n - 1 && isnan(x[best])) best++;
    for (int i = best + 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

/* ================================================================ vectors (double) */

double vec_dotd(const double *x, const double *y, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

void vec_axpyd(double *restrict y, double a, const double *restrict x, int n)
{
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}

int vec_argmaxd(const double *x, int n)
{
    if (n <= 0) return -1;
    int best = 0;
    while (best < n - 1 && isnan(x[best])) best++;
    for (int i = best + 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

/* ================================================================ naive products
 *
 * One loop nest per product, written exactly as the definition
 * C[i][j] = sum_k a(i,k)·b(k,j), with the element of each stored array spelled
 * out. The sum is kept in double so the reference's own rounding error is far
 * below the fast version's.
 */

void mat_mul_ab_naive(float *restrict C, const float *restrict A, const float *restrict B,
                      int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = accumulate ? C[(size_t)i * N + j] : 0.0;
            for (int k = 0; k < K; k++) s += (double)A[(size_t)i * K + k] * B[(size_t)k * N + j];
            C[(size_t)i * N + j] = (float)s;
        }
}

void mat_mul_abt_naive(float *restrict C, const float *restrict A, const float *restrict B,
                       int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = accumulate ? C[(size_t)i * N + j] : 0.0;
            for (int k = 0; k < K; k++) s += (double)A[(size_t)i * K + k] * B[(size_t)j * K + k];
            C[(size_t)i * N + j] = (float)s;
        }
}

void mat_mul_atb_naive(float *restrict C, const float *restrict A, const float *restrict B,
                       int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = accumulate ? C[(size_t)i * N + j] : 0.0;
            for (int k = 0; k < K; k++) s += (double)A[(size_t)k * M + i] * B[(size_t)k * N + j];
            C[(size_t)i * N + j] = (float)s;
        }
}

/* ================================================================ fast products
 *
 * Why the naive loop is slow. C[i][j] = sum_k ... as a k-innermost loop is one
 * long chain of dependent additions: each waits ~4 cycles for the previous one,
 * while the CPU could start two 8-wide fused multiply-adds (FMA) *every* cycle.
 * The i-k-j order (C row += a(i,k)·B row) vectorises, but then every FMA also
 * loads and stores a piece of C: memory traffic, not arithmetic, sets the pace.
 *
 * The fix is register blocking, the idea behind every fast BLAS (Goto & van de
 * Geijn 2008, "Anatomy of high-performance matrix multiplication"; BLIS). A
 * micro-kernel computes a small MR x NR tile of C entirely in registers: with
 * AVX, 6 rows x 2 vectors of 8 floats = 12 independent accumulators, enough to
 * keep both FMA units busy despite the 4-cycle latency. Each step k loads one
 * row of the tile's B (2 vectors) and six numbers of A (each broadcast to all
 * lanes) and does 12 FMAs: 8 loads for 12 FMAs instead of 3 memory operations
 * per FMA. C is read and written once per tile, not once per k.
 *
 *     for k:   b0, b1 = B[k][j .. j+7], B[k][j+8 .. j+15]
 *              for r < 6:  acc[r][0] += A[i+r][k]·b0,  acc[r][1] += A[i+r][k]·b1
 *
 * All three products are this one kernel. It reads A through two strides,
 * a(r, k) = A[r·rs + k·cs], so A(M, K) (rs = K, cs = 1) and the transposed
 * A(K, M)ᵀ (rs = 1, cs = M) cost the same. B must offer each row of the tile as
 * NR consecutive floats. For A·B and Aᵀ·B, B's rows already do; for A·Bᵀ they
 * do not (B is stored (N, K)), so the driver first *packs* a block of B, up to
 * KC x NC, into a contiguous scratch buffer laid out as the kernel reads it:
 * panels of NR columns, each panel k-major ((kc, NR)), zero-padded on the
 * right edge. Packing also helps the big A·B: rows 4 KiB apart (N = 1024) all
 * fall into the same L1 cache set, and a packed panel streams linearly. The
 * buffer is a 64 KiB local array (no malloc, reentrant). The cost of packing is
 * shared by all M rows, so a thin C takes other routes: few rows (a small batch,
 * one vector) read B in place, and thin A·Bᵀ is done as dot products along K,
 * the direction in which both A and B are contiguous.
 *
 * Blocking over k (KC) keeps the packed block in L2 and one panel of it
 * (KC x NR floats = 16 KiB with AVX) in L1 while the kernel walks down all the rows.
 *
 * Vectors. The kernel is portable C written with GCC/Clang vector extensions:
 * `vf` is VL floats and `+`, `*` act lane by lane; the compiler maps it to
 * whatever the target has. VL is 8 (one 32-byte AVX register) when AVX is
 * enabled, else 4 (one SSE or NEON register): a vector wider than the machine's
 * would be emulated, slower than scalar code. The tile is MR x NR = 6 x 2·VL.
 * Any other compiler gets a struct of VL floats and small loops (define
 * LINALG_PORTABLE to try it): slower, still correct. The kernel's inner loop
 * is acc + a·b; GCC fuses that into one FMA instruction only under
 * -ffp-contract=fast, which -std=c11 switches off. We switch it on for this
 * part of the file only (push_options below): the naive references keep
 * separate multiply and add, and no -ffast-math is involved (Clang contracts
 * a·b + c within one expression by default).
 */

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=fast")
#endif

#if defined(__AVX__)
#define VL 8    /* floats per vector */
#else
#define VL 4
#endif
#define MR 6         /* rows of C per kernel call */
#define NR (2 * VL)  /* columns of C per kernel call: two vectors */
#define KC 256       /* depth of one packed block of B */
#define NC 64        /* columns of one packed block (a multiple of NR): KC*NC floats = 64 KiB */

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

/* Sum of the VL lanes, as a tree: lane l + lane l + w for w = VL/2, ..., 1. */
static ALWAYS_INLINE float vf_sum(const vf *x)
{
    float s[VL];
    for (int l = 0; l < VL; l++) s[l] = VF_LANE(*x, l);
    for (int w = VL / 2; w > 0; w /= 2)
        for (int l = 0; l < w; l++) s[l] += s[l + w];
    return s[0];
}

/* The micro-kernel: tile(mr, NR) = sum_{k < kc} a(r, k)·b(k, 0..NR-1), with
 *   a(r, k) = a[r·rsa + k·csa]   and   b(k, 0..NR-1) = b[k·ldb .. k·ldb + NR-1],
 * then C = tile (add = 0) or C += tile (add = 1) for the first nr <= NR
 * columns (b's padding lanes are dropped), tile(r, j) going to c[r·rsc + j·csc].
 * mr is a compile-time constant at each call site (kernel_rows), so the row
 * loops unroll and the 2·mr accumulators live in registers. */
static ALWAYS_INLINE void kernel(int mr, int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                                 const float *b, ptrdiff_t ldb,
                                 float *c, ptrdiff_t rsc, ptrdiff_t csc, int nr, int add)
{
    vf acc[MR][2];
    for (int r = 0; r < mr; r++) acc[r][0] = acc[r][1] = VF_ZERO;

    for (int k = 0; k < kc; k++) {
        vf b0 = VF_LOAD(b + k * ldb), b1 = VF_LOAD(b + k * ldb + VL);
        for (int r = 0; r < mr; r++) {
            float ark = a[r * rsa + k * csa];
            acc[r][0] = VF_MADD(acc[r][0], ark, b0);
            acc[r][1] = VF_MADD(acc[r][1], ark, b1);
        }
    }

    for (int r = 0; r < mr; r++) {
        float *cr = c + r * rsc;
        if (nr == NR && csc == 1) {                 /* a whole row of the tile */
            if (add) {
                acc[r][0] = VF_ADD(acc[r][0], VF_LOAD(cr));
                acc[r][1] = VF_ADD(acc[r][1], VF_LOAD(cr + VL));
            }
            VF_STORE(cr, acc[r][0]);
            VF_STORE(cr + VL, acc[r][1]);
        } else {                                    /* right edge, or C transposed */
            float t[NR];
            VF_STORE(t, acc[r][0]);
            VF_STORE(t + VL, acc[r][1]);
            for (int j = 0; j < nr; j++) cr[j * csc] = add ? cr[j * csc] + t[j] : t[j];
        }
    }
}

/* One compiled copy of the kernel per row count 1..6. */
static void kernel_rows(int mr, int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                        const float *b, ptrdiff_t ldb,
                        float *c, ptrdiff_t rsc, ptrdiff_t csc, int nr, int add)
{
    switch (mr) {
    case 6: kernel(6, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add); break;
    case 5: kernel(5, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add); break;
    case 4: kernel(4, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add); break;
    case 3: kernel(3, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add); break;
    case 2: kernel(2, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add); break;
    case 1: kernel(1, kc, a, rsa, csa, b, ldb, c, rsc, csc, nr, add); break;
    default: assert(0 && "kernel_rows: mr out of 1..6");
    }
}

/* Pack b(k, j) = B[k·rsb + j·csb], k < kc, j < nc, into panels of NR columns:
 * panel p holds columns NR·p .. NR·p + NR-1 as a (kc, NR) block at bp + NR·p·kc,
 * zero-padded past column nc. Reads along whichever stride of B is 1. */
static void pack_b(float *restrict bp, const float *restrict B, ptrdiff_t rsb, ptrdiff_t csb,
                   int kc, int nc)
{
    for (int j0 = 0; j0 < nc; j0 += NR) {
        int nr = imin(NR, nc - j0);
        float *dst = bp + (ptrdiff_t)j0 * kc;                /* (kc, NR) */
        if (csb == 1) {
            for (int k = 0; k < kc; k++) {
                memcpy(dst + k * NR, B + k * rsb + j0, (size_t)nr * sizeof *dst);
                for (int j = nr; j < NR; j++) dst[k * NR + j] = 0.0f;
            }
        } else {
            for (int j = 0; j < nr; j++) {
                const float *src = B + (ptrdiff_t)(j0 + j) * csb;
                for (int k = 0; k < kc; k++) dst[k * NR + j] = src[k * rsb];
            }
            for (int j = nr; j < NR; j++)
                for (int k = 0; k < kc; k++) dst[k * NR + j] = 0.0f;
        }
    }
}

/* C(M, N) (+)= a·b with a(i, k) = A[i·rsa + k·csa], b(k, j) = B[k·rsb + j·csb],
 * C row-major with rows N apart. The loops, outermost first: blocks of KC
 * along k (the first one overwrites C unless accumulating, the others add),
 * blocks of NC columns (packed), strips of MR rows, panels of NR columns. */
static void gemm_packed(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                        const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, int accumulate)
{
    _Alignas(64) float bp[KC * NC];                        /* packed block of B */
    for (int k0 = 0; k0 < K; k0 += KC) {
        int kc = imin(KC, K - k0);
        int add = accumulate || k0 > 0;
        for (int j0 = 0; j0 < N; j0 += NC) {
            int nc = imin(NC, N - j0);
            pack_b(bp, B + k0 * rsb + j0 * csb, rsb, csb, kc, nc);
            for (int i = 0; i < M; i += MR)
                for (int jp = 0; jp < nc; jp += NR)
                    kernel_rows(imin(MR, M - i), kc, A + i * rsa + k0 * csa, rsa, csa,
                                bp + (ptrdiff_t)jp * kc, NR, C + (ptrdiff_t)i * N + j0 + jp, N, 1,
                                imin(NR, nc - jp), add);
        }
    }
}

/* The same product when B's rows are contiguous (b(k, j) = B[k·rsb + j]) and C
 * has few rows: the kernel reads B in place, since packing would cost as much
 * as the product. Only a ragged right edge (N % NR columns) is packed, into a
 * zero-padded (kc, NR) buffer, so no row of B is read past its end. C(i, j) is
 * at C[i·rsc + j·csc]: (N, 1) for C itself, (1, M) to write Cᵀ (see mat_mul_atb). */
static void gemm_direct(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                        const float *B, ptrdiff_t rsb, float *C, ptrdiff_t rsc, ptrdiff_t csc,
                        int accumulate)
{
    _Alignas(64) float edge[KC * NR];
    int nfull = N - N % NR;
    for (int k0 = 0; k0 < K; k0 += KC) {
        int kc = imin(KC, K - k0);
        int add = accumulate || k0 > 0;
        if (nfull < N) pack_b(edge, B + k0 * rsb + nfull, rsb, 1, kc, N - nfull);
        for (int i = 0; i < M; i += MR) {
            int mr = imin(MR, M - i);
            const float *ai = A + i * rsa + k0 * csa;
            float *ci = C + i * rsc;
            for (int jp = 0; jp < nfull; jp += NR)
                kernel_rows(mr, kc, ai, rsa, csa, B + k0 * rsb + jp, rsb, ci + jp * csc, rsc, csc,
                            NR, add);
            if (nfull < N)
                kernel_rows(mr, kc, ai, rsa, csa, edge, NR, ci + nfull * csc, rsc, csc,
                            N - nfull, add);
        }
    }
}

float vec_dot(const float *x, const float *y, int n)
{
    vf acc = VF_ZERO;
    int i = 0;
    for (; i + VL <= n; i += VL) acc = VF_VMADD(acc, VF_LOAD(x + i), VF_LOAD(y + i));
    float s = vf_sum(&acc);
    for (; i < n; i++) s += x[i] * y[i];
    return s;
}

/* d[q] = dot(x, y + q·ystride) for q < 4, over n elements: four independent
 * vector sums in flight. */
static void dot4(float d[4], const float *x, const float *y, ptrdiff_t ystride, int n)
{
    const float *y0 = y, *y1 = y0 + ystride, *y2 = y1 + ystride, *y3 = y2 + ystride;
    vf s0 = VF_ZERO, s1 = VF_ZERO, s2 = VF_ZERO, s3 = VF_ZERO;
    int k = 0;
    for (; k + VL <= n; k += VL) {
        vf xk = VF_LOAD(x + k);
        s0 = VF_VMADD(s0, xk, VF_LOAD(y0 + k));
        s1 = VF_VMADD(s1, xk, VF_LOAD(y1 + k));
        s2 = VF_VMADD(s2, xk, VF_LOAD(y2 + k));
        s3 = VF_VMADD(s3, xk, VF_LOAD(y3 + k));
    }
    d[0] = vf_sum(&s0); d[1] = vf_sum(&s1); d[2] = vf_sum(&s2); d[3] = vf_sum(&s3);
    for (; k < n; k++) {
        d[0] += x[k] * y0[k]; d[1] += x[k] * y1[k];
        d[2] += x[k] * y2[k]; d[3] += x[k] * y3[k];
    }
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
 * shared by only M/6 strips). */
#define DIRECT_MAX_M 12

/* K = 0: the empty sum. */
static void empty_product(float *C, int M, int N, int accumulate)
{
    if (!accumulate) vec_zero(C, M * N);
}

/* Largest Bᵀ (in floats, 16 KiB) that mat_mul_ab transposes on the stack. */
#define THIN_B_MAX 4096

/* Three routes. A thin B (N <= 4 columns, e.g. a layer with two outputs)
 * would fill a few lanes of each tile: transpose it (K·N floats, cheap) and
 * take A·Bᵀ dot products along K, where A's rows are contiguous. Few rows of C:
 * the kernel on B in place. Otherwise: packed. */
void mat_mul_ab(float *restrict C, const float *restrict A, const float *restrict B,
                int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    if (M == 0 || N == 0) return;
    if (K == 0) { empty_product(C, M, N, accumulate); return; }
    if (N <= 4 && K <= THIN_B_MAX / N) {
        float bt[THIN_B_MAX];                               /* Bᵀ (N, K) */
        for (int k = 0; k < K; k++)
            for (int j = 0; j < N; j++) bt[j * K + k] = B[k * N + j];
        gemm_abt_dots(M, N, K, A, bt, C, accumulate);
    } else if (M <= DIRECT_MAX_M) gemm_direct(M, N, K, A, K, 1, B, N, C, N, 1, accumulate);
    else gemm_packed(M, N, K, A, K, 1, B, N, 1, C, accumulate);
}

/* The tile needs rows of Bᵀ, i.e. columns of the stored B(N, K), which are
 * not contiguous: pack them; or, for a thin C (fewer than 6 rows, or N <= 4),
 * take dot products along K, where rows of A and B are both contiguous. */
void mat_mul_abt(float *restrict C, const float *restrict A, const float *restrict B,
                 int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    if (M == 0 || N == 0) return;
    if (K == 0) { empty_product(C, M, N, accumulate); return; }
    if (M < MR || N <= 4) gemm_abt_dots(M, N, K, A, B, C, accumulate);
    else gemm_packed(M, N, K, A, K, 1, B, 1, K, C, accumulate);
}

/* A(K, M) is read down its columns, a(i, k) = A[k·M + i]. A narrow C (N < NR,
 * e.g. the first layer's dW(64, 4)) would waste most of each NR-wide tile, so
 * compute Cᵀ(N, M) = B(K, N)ᵀ·A(K, M) instead, the same shape of product with
 * the operands swapped, and write it transposed. Otherwise as mat_mul_ab:
 * few rows of C read B in place, the rest is packed. */
void mat_mul_atb(float *restrict C, const float *restrict A, const float *restrict B,
                 int M, int K, int N, int accumulate)
{
    assert(M >= 0 && K >= 0 && N >= 0);
    if (M == 0 || N == 0) return;
    if (K == 0) { empty_product(C, M, N, accumulate); return; }
    if (N < NR && M >= NR) gemm_direct(N, M, K, B, 1, N, A, M, C, 1, N, accumulate);
    else if (M <= DIRECT_MAX_M) gemm_direct(M, N, K, A, 1, M, B, N, C, N, 1, accumulate);
    else gemm_packed(M, N, K, A, 1, M, B, N, 1, C, accumulate);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

/* ================================================================ dense solvers */

/* Cholesky–Banachiewicz, row by row (Golub & Van Loan, Matrix Computations,
 * 4th ed., Alg. 4.2.1 in its row-oriented form):
 *   L[i][j] = (A[i][j] - sum_{k<j} L[i][k]·L[j][k]) / L[j][j]     (j < i)
 *   L[i][i] = sqrt(A[i][i] - sum_{k<i} L[i][k]²)
 * A is positive definite exactly when every radicand is > 0. */
int la_cholesky(double *A, int n)
{
    assert(n >= 0);
    for (int i = 0; i < n; i++) {
        double *Li = A + (size_t)i * n;
        for (int j = 0; j < i; j++) {
            const double *Lj = A + (size_t)j * n;
            Li[j] = (Li[j] - vec_dotd(Li, Lj, j)) / Lj[j];
        }
        double d = Li[i] - vec_dotd(Li, Li, i);
        if (!(d > 0.0)) return -1;                 /* also catches NaN */
        Li[i] = sqrt(d);
        for (int j = i + 1; j < n; j++) Li[j] = 0.0;
    }
    return 0;
}

/* L·Lᵀ·x = b: forward substitution L·y = b, then back substitution Lᵀ·x = y. */
void la_cholesky_solve(const double *L, double *b, int n)
{
    for (int i = 0; i < n; i++)
        b[i] = (b[i] - vec_dotd(L + (size_t)i * n, b, i)) / L[(size_t)i * n + i];
    for (int i = n - 1; i >= 0; i--) {
        double s = b[i];
        for (int k = i + 1; k < n; k++) s -= L[(size_t)k * n + i] * b[k];
        b[i] = s / L[(size_t)i * n + i];
    }
}

/* Gaussian elimination with partial pivoting (Golub & Van Loan, Alg. 3.4.1):
 * at step k bring the row with the largest |A[r][k]|, r >= k, to row k, then
 * subtract multiples l_rk = A[r][k] / A[k][k] of it from the rows below. */
int la_lu(double *A, int *piv, int n)
{
    assert(n >= 0);
    double amax = 0.0;
    for (size_t i = 0; i < (size_t)n * n; i++) amax = fmax(amax, fabs(A[i]));
    double tiny = n * DBL_EPSILON * amax;
    for (int k = 0; k < n; k++) {
        int p = k;
        for (int r = k + 1; r < n; r++)
            if (fabs(A[(size_t)r * n + k]) > fabs(A[(size_t)p * n + k])) p = r;
        piv[k] = p;
        double *Ak = A + (size_t)k * n;
        if (!(fabs(A[(size_t)p * n + k]) > tiny)) return -1;   /* also NaN */
        if (p != k) {
            double *Ap = A + (size_t)p * n;
            for (int j = 0; j < n; j++) { double t = Ak[j]; Ak[j] = Ap[j]; Ap[j] = t; }
        }
        for (int r = k + 1; r < n; r++) {
            double *Ar = A + (size_t)r * n;
            double l = Ar[k] / Ak[k];
            Ar[k] = l;
            for (int j = k + 1; j < n; j++) Ar[j] -= l * Ak[j];
        }
    }
    return 0;
}

/* A·x = b with P·A = L·U: apply the row swaps to b, then L·y = P·b (unit
 * diagonal), then U·x = y. */
void la_lu_solve(const double *LU, const int *piv, double *b, int n)
{
    for (int k = 0; k < n; k++)
        if (piv[k] != k) { double t = b[k]; b[k] = b[piv[k]]; b[piv[k]] = t; }
    for (int i = 0; i < n; i++)
        b[i] -= vec_dotd(LU + (size_t)i * n, b, i);
    for (int i = n - 1; i >= 0; i--) {
        const double *Ui = LU + (size_t)i * n;
        b[i] = (b[i] - vec_dotd(Ui + i + 1, b + i + 1, n - i - 1)) / Ui[i];
    }
}

/* ================================================================ symmetric eigenproblem
 *
 * Two stages (Golub & Van Loan §8.3). First, n − 2 Householder reflections
 * H_k = I − 2·v_k·v_kᵀ (‖v_k‖ = 1, acting on coordinates k+1..n−1) make
 * T = Qᵀ·A·Q tridiagonal, Q = H_0·H_1·…·H_{n−3}: H_k maps column k below the
 * diagonal, x, onto α·e_1 with α = −sign(x_1)·‖x‖ (the sign that avoids
 * cancellation in v ∝ x − α·e_1). Second, the implicit QL method chases
 * Givens rotations through T, with the eigenvalue of the trailing 2×2 block
 * nearest its corner as shift (Wilkinson's), until every off-diagonal element
 * is negligible; the rotations, applied to Q, give the eigenvectors. */

/* One reflection applied to both sides of the trailing block B (m, m) at
 * B0 (row stride n), for unit v (m):
 *     H·B·H = B − 2·(v·qᵀ + q·vᵀ),  p = B·v,  q = p − (vᵀp)·v.
 * p is scratch (m). */
static void reflect_both_sides(double *B0, int n, int m, const double *v, double *p)
{
    for (int i = 0; i < m; i++) p[i] = vec_dotd(B0 + (size_t)i * n, v, m);
    double K = vec_dotd(v, p, m);
    for (int i = 0; i < m; i++) p[i] -= K * v[i];
    for (int i = 0; i < m; i++) {
        double *Bi = B0 + (size_t)i * n;
        for (int j = 0; j < m; j++) Bi[j] -= 2.0 * (v[i] * p[j] + p[i] * v[j]);
    }
}

/* Householder tridiagonalisation of the symmetric A (both triangles filled):
 * d (n) the diagonal of T, e (n) its off-diagonal (e[k] couples k and k+1;
 * e[n−1] = 0). v_k is left in row k, columns k+1..n−1, of A. p is scratch (n). */
static void tridiagonalise(double *A, int n, double *d, double *e, double *p)
{
    for (int k = 0; k < n; k++) {
        double *x = A + (size_t)k * n + k + 1;   /* row k right of the diagonal = column k below it */
        int m = n - k - 1;
        d[k] = A[(size_t)k * n + k];
        e[k] = m > 0 ? x[0] : 0.0;
        if (m < 2) { if (m == 1) x[0] = 0.0; continue; }   /* nothing to annihilate: v_k = 0 */
        double norm = sqrt(vec_dotd(x, x, m));
        if (norm == 0.0) continue;                         /* already zero: v_k = 0 */
        double alpha = x[0] > 0 ? -norm : norm;
        x[0] -= alpha;                                     /* v ∝ x − α·e_1 */
        double vnorm = sqrt(vec_dotd(x, x, m));
        for (int i = 0; i < m; i++) x[i] /= vnorm;
        e[k] = alpha;
        reflect_both_sides(A + (size_t)(k + 1) * n + k + 1, n, m, x, p);
    }
}

/* Q = H_0·…·H_{n−3} from the v_k in A's rows, in place, stored transposed
 * (row i of A = column i of Q): built as Q = H_0·(H_1·(…·(H_{n−3}·I))), so
 * when H_k is applied only rows and columns > k differ from the identity,
 * and row k (holding v_k) is consumed last. p is scratch (n). */
static void accumulate_reflections(double *A, int n, double *p)
{
    for (int k = n - 1; k >= 0; k--) {
        int m = n - k - 1;
        double *v = A + (size_t)k * n + k + 1;
        double *B0 = A + (size_t)(k + 1) * n + k + 1;      /* the block of Q built so far */
        if (m >= 2) {
            /* B ← H_k·B = B − 2·v·(vᵀB): w = vᵀB row by row, then the rank-1 update */
            for (int j = 0; j < m; j++) p[j] = 0.0;
            for (int i = 0; i < m; i++) vec_axpyd(p, v[i], B0 + (size_t)i * n, m);
            for (int i = 0; i < m; i++) vec_axpyd(B0 + (size_t)i * n, -2.0 * v[i], p, m);
        }
        /* row and column k of Q are those of the identity */
        for (int j = k; j < n; j++) A[(size_t)k * n + j] = j == k ? 1.0 : 0.0;
        for (int i = k + 1; i < n; i++) A[(size_t)i * n + k] = 0.0;
    }
    /* Q is symmetric only by accident: store it transposed, so that the QL
     * rotations, which combine columns of Q, combine contiguous rows. */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double t = A[(size_t)i * n + j]; A[(size_t)i * n + j] = A[(size_t)j * n + i]; A[(size_t)j * n + i] = t;
        }
}

/* Implicit QL on the tridiagonal (d, e); if Zt is not NULL the rotations are
 * applied to its rows (Zt = Qᵀ in, eigenvectors as rows out). -1 if an
 * eigenvalue takes more than 60 iterations. */
static int tridiagonal_ql(double *d, double *e, int n, double *Zt)
{
    for (int l = 0; l < n; l++) {
        for (int iter = 0;; iter++) {
            /* the first negligible e[m], m >= l, splits T; e[n−1] = 0 always is */
            int m = l;
            while (m < n - 1 && !(fabs(e[m]) <= DBL_EPSILON * (fabs(d[m]) + fabs(d[m + 1])) + DBL_MIN)) m++;
            if (m == l) break;                      /* d[l] is an eigenvalue */
            if (iter == 60) return -1;
            /* Wilkinson shift: the eigenvalue of [[d_l, e_l], [e_l, d_{l+1}]] nearest d_l,
             * μ = d_l − e_l / (g + sign(g)·√(g² + 1)), g = (d_{l+1} − d_l) / (2 e_l) */
            double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            double r = hypot(g, 1.0);
            g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));   /* d_m − μ */
            double s = 1.0, c = 1.0, p = 0.0;
            int i;
            /* chase the bulge from the bottom (m) up to l with plane rotations */
            for (i = m - 1; i >= l; i--) {
                double f = s * e[i], b = c * e[i];
                r = hypot(f, g);
                e[i + 1] = r;
                if (r == 0.0) {                     /* underflow: T splits here, restart */
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                if (Zt) {                           /* eigenvectors: rotate rows i and i+1 */
                    double *zi = Zt + (size_t)i * n, *zj = zi + n;
                    for (int k = 0; k < n; k++) {
                        double t = zj[k];
                        zj[k] = s * zi[k] + c * t;
                        zi[k] = c * zi[k] - s * t;
                    }
                }
            }
            if (r == 0.0 && i >= l) continue;
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
    return 0;
}

int la_sym_eigen(double *A, double *w, int n, int vectors)
{
    assert(n >= 0);
    if (n == 0) return 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double a = A[(size_t)i * n + j];
            if (!isfinite(a)) return -1;
            A[(size_t)j * n + i] = a;               /* fill the upper triangle from the lower */
        }
    double *scratch = malloc(2 * (size_t)n * sizeof *scratch);
    if (!scratch) return -1;
    double *e = scratch, *p = scratch + n;
    tridiagonalise(A, n, w, e, p);
    if (vectors) accumulate_reflections(A, n, p);
    int status = tridiagonal_ql(w, e, n, vectors ? A : NULL);
    free(scratch);
    if (status) return -1;
    /* ascending order, rows of eigenvectors following (selection sort: n swaps at most) */
    for (int i = 0; i < n; i++) {
        int k = i;
        for (int j = i + 1; j < n; j++) if (w[j] < w[k]) k = j;
        if (k == i) continue;
        double t = w[i]; w[i] = w[k]; w[k] = t;
        if (vectors)
            for (int j = 0; j < n; j++) {
                t = A[(size_t)i * n + j]; A[(size_t)i * n + j] = A[(size_t)k * n + j]; A[(size_t)k * n + j] = t;
            }
    }
    return 0;
}
