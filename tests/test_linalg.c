/* test_linalg.c — the fast products agree with the naive ones on every shape
 * class (edges, thin, transposed, accumulate), and the solvers solve.
 *
 * References: a hand-computed product; the naive triple loops (summing in
 * double); textbook systems with integer solutions; random systems checked by
 * their residual and against a known solution.
 */
#include "ckx.h"
#include "linalg.h"
#include "rng.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A float dot product of K terms of N(0,1)·N(0,1) has size ~sqrt(K); summing
 * it in float in another order changes it by ~1e-7·K at worst in practice
 * (observed: 8e-5 at K = 1024). 1e-4·sqrt(K) leaves a wide margin for
 * rounding and none for a wrong index, which is off by O(1). */
#define TOL_MATMUL_PER_SQRT_K 1e-4
/* Solvers in double on well-conditioned systems (cond <= ~1e3). */
#define TOL_RESIDUAL 1e-12     /* ||A x - b||_inf / (||A||_inf ||x||_inf + ||b||_inf) */
#define TOL_SOLUTION 1e-8      /* |x - x_true| elementwise */

static double tol_matmul(int K) { return TOL_MATMUL_PER_SQRT_K * sqrt(K > 1 ? K : 1); }

static void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    ck_assert_msg(p != NULL, "out of memory (%zu bytes)", bytes);
    return p;
}

static void fill_normal(float *x, size_t n, Rng *r)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)rng_normal(r);
}

/* ---------------------------------------------------------------- products */

typedef void (*MatMulFn)(float *restrict, const float *restrict, const float *restrict,
                         int, int, int, int);

static const struct {
    const char *name;
    MatMulFn fast, naive;
    const char *hint;
} variants[] = {
    { "mat_mul_ab", mat_mul_ab, mat_mul_ab_naive,
      "C(M,N) = A(M,K)·B(K,N): a(i,k) = A[i*K+k], b(k,j) = B[k*N+j]." },
    { "mat_mul_abt", mat_mul_abt, mat_mul_abt_naive,
      "C(M,N) = A(M,K)·B(N,K)^T: b(k,j) = B[j*K+k]; check the packing/transposition of B." },
    { "mat_mul_atb", mat_mul_atb, mat_mul_atb_naive,
      "C(M,N) = A(K,M)^T·B(K,N): a(i,k) = A[k*M+i]; check the strides of A and the swapped thin-N path." },
};

/* ---------------------------------------------------------------- kernel paths
 *
 * The library's products take one kernel path, chosen when it is compiled
 * (linalg.h, mat_kernel_path). The Makefile builds linalg_fast.c once more per
 * path with the path's instruction-set flags and suffixed names (LINALG_PATHS),
 * and every path this CPU can run is checked here against the naive
 * references; a path the CPU lacks is skipped with a note. */

typedef float (*DotFn)(const float *, const float *, int);

#define DECLARE_PATH(p)                                                                              \
    void mat_mul_ab_##p(float *restrict, const float *restrict, const float *restrict, int, int, int, int);  \
    void mat_mul_abt_##p(float *restrict, const float *restrict, const float *restrict, int, int, int, int); \
    void mat_mul_atb_##p(float *restrict, const float *restrict, const float *restrict, int, int, int, int); \
    float vec_dot_##p(const float *, const float *, int);                                             \
    const char *mat_kernel_path_##p(void);                                                           \
    int mat_vector_floats_##p(void);
DECLARE_PATH(portable)
#if defined(__x86_64__) && defined(__GNUC__)
DECLARE_PATH(sse)
DECLARE_PATH(avx2)
DECLARE_PATH(avx512)
static int cpu_has_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
static int cpu_has_avx512(void) { return __builtin_cpu_supports("avx512f") && cpu_has_avx2(); }
#endif

static const struct {
    const char *name;             /* what mat_kernel_path() says; "" for the build's own */
    int floats;                   /* floats per vector it must use; 0: any */
    int (*supported)(void);       /* NULL: every CPU */
    const char *lacks;            /* what the CPU lacks when it is not supported */
    MatMulFn fn[3];               /* ab, abt, atb */
    DotFn dot;
    const char *(*path)(void);
    int (*vector_floats)(void);
} paths[] = {
    { "", 0, NULL, NULL, { mat_mul_ab, mat_mul_abt, mat_mul_atb }, vec_dot, mat_kernel_path, mat_vector_floats },
#define PATH_ROW(p, vl, sup, lacks) \
    { #p, vl, sup, lacks, { mat_mul_ab_##p, mat_mul_abt_##p, mat_mul_atb_##p }, vec_dot_##p, mat_kernel_path_##p, \
      mat_vector_floats_##p }
    PATH_ROW(portable, 4, NULL, NULL),
#if defined(__x86_64__) && defined(__GNUC__)
    PATH_ROW(sse, 4, NULL, NULL),
    PATH_ROW(avx2, 8, cpu_has_avx2, "AVX2 or FMA"),
    PATH_ROW(avx512, 16, cpu_has_avx512, "AVX-512F"),
#endif
};
#define N_PATHS ((int)(sizeof paths / sizeof *paths))

/* 0 (and a printed note) if this CPU cannot run path p. */
static int path_runs(int p)
{
    if (!paths[p].supported || paths[p].supported()) return 1;
    printf("linalg: kernel path %s skipped: this CPU lacks %s\n", paths[p].name, paths[p].lacks);
    return 0;
}

/* 2x3 · 3x2 by hand: [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154].
 * Each variant gets the operands stored the way it reads them. */
START_TEST(matmul_hand_example)
{
    const float A[] = { 1, 2, 3, 4, 5, 6 };        /* (2, 3) */
    const float At[] = { 1, 4, 2, 5, 3, 6 };       /* (3, 2): A transposed */
    const float B[] = { 7, 8, 9, 10, 11, 12 };     /* (3, 2) */
    const float Bt[] = { 7, 9, 11, 8, 10, 12 };    /* (2, 3): B transposed */
    const float want[] = { 58, 64, 139, 154 };
    float C[4];
    const float *a[] = { A, A, At }, *b[] = { B, Bt, B };
    for (int v = 0; v < 3; v++) {
        char what[64];
        memset(C, 0xff, sizeof C);                 /* NaN: must be overwritten, not read */
        variants[v].fast(C, a[v], b[v], 2, 3, 2, 0);
        snprintf(what, sizeof what, "%s (2x3 by 3x2, by hand)", variants[v].name);
        ckx_close_arrayf(C, want, 4, TOL_EXACT, what, variants[v].hint);
        variants[v].fast(C, a[v], b[v], 2, 3, 2, 1);  /* accumulate: C = 2·A·B */
        const float twice[] = { 116, 128, 278, 308 };
        snprintf(what, sizeof what, "%s accumulate=1 (2x3 by 3x2)", variants[v].name);
        ckx_close_arrayf(C, twice, 4, TOL_EXACT, what, "accumulate=1 must add A·B to C's old contents.");
        memset(C, 0xff, sizeof C);
        variants[v].naive(C, a[v], b[v], 2, 3, 2, 0);
        snprintf(what, sizeof what, "%s_naive (2x3 by 3x2, by hand)", variants[v].name);
        ckx_close_arrayf(C, want, 4, TOL_EXACT, what, variants[v].hint);
    }
}
END_TEST

/* Fast vs naive on one shape, both accumulate modes. C is allocated exactly
 * (the sanitizer build catches any access past it) with sentinels around it. */
static void check_shape(int p, int v, int M, int K, int N, Rng *rng)
{
    enum { GUARD = 16 };
    const float SENTINEL = 12345.0f;
    size_t na = (size_t)M * K, nb = (size_t)K * N, nc = (size_t)M * N;
    float *A = xmalloc(na * sizeof *A), *B = xmalloc(nb * sizeof *B);
    float *Cbuf = xmalloc((nc + 2 * GUARD) * sizeof *Cbuf), *R = xmalloc(nc * sizeof *R);
    float *C = Cbuf + GUARD;
    fill_normal(A, na, rng);
    fill_normal(B, nb, rng);
    for (size_t i = 0; i < nc + 2 * GUARD; i++) Cbuf[i] = SENTINEL;

    char what[128];
    for (int accumulate = 0; accumulate <= 1; accumulate++) {
        if (accumulate) {
            fill_normal(C, nc, rng);
            memcpy(R, C, nc * sizeof *R);
        } else {
            for (size_t i = 0; i < nc; i++) C[i] = R[i] = NAN;   /* old C must not be read */
        }
        paths[p].fn[v](C, A, B, M, K, N, accumulate);
        variants[v].naive(R, A, B, M, K, N, accumulate);
        snprintf(what, sizeof what, "%s%s%s C (M=%d, K=%d, N=%d, accumulate=%d) vs naive",
                 variants[v].name, *paths[p].name ? ", kernel path " : "", paths[p].name, M, K, N, accumulate);
        ckx_close_arrayf(C, R, (int)nc, tol_matmul(K), what,
                         accumulate ? "accumulate=1 must add to C's old contents (C += A·B)."
                                    : variants[v].hint);
        for (int g = 0; g < GUARD; g++) {
            ck_assert_msg(Cbuf[g] == SENTINEL && Cbuf[GUARD + nc + g] == SENTINEL,
                          "%s %s (M=%d, K=%d, N=%d) wrote outside C(M, N): an edge tile stored "
                          "past the last row or column", variants[v].name, paths[p].name, M, K, N);
        }
    }
    free(A); free(B); free(Cbuf); free(R);
}

/* Every edge case of the blocking, for every tile size of the kernel paths
 * (MR = 6 or 8 rows, NR = 8, 16 or 32 columns): 1, below/at/above a tile, the
 * thin paths (M < 6, M <= 12, N <= 4 with K·N below and above the 4096 floats
 * A·B transposes, narrow N), K = 1, K not a multiple of the 4, 8 or 16 floats
 * transposed at a time, and blocks crossing KC = 256, NC = 64 or 128 and the
 * packed blocks of 48 or 64 rows of A. _i selects the variant and the path. */
START_TEST(matmul_matches_naive)
{
    static const int Ms[] = { 1, 2, 3, 5, 6, 7, 8, 9, 13, 17, 65 };
    static const int Ks[] = { 1, 2, 3, 17, 64, 129 };
    static const int Ns[] = { 1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 63, 65 };
    static const int extra[][3] = {       /* M, K, N */
        { 256, 128, 128 }, { 129, 300, 200 }, { 12, 257, 33 }, { 13, 513, 17 },
        { 64, 4, 64 }, { 64, 64, 64 }, { 64, 64, 2 }, { 64, 64, 4 }, { 1, 64, 64 },
        { 1, 1000, 3 }, { 300, 7, 1 }, { 3, 5, 300 }, { 63, 65, 129 }, { 13, 2000, 3 },
        { 128, 256, 34 }, { 34, 256, 128 }, { 200, 40, 300 }, { 70, 33, 140 },
    };
    const int p = _i / 3, v = _i % 3;
    if (!path_runs(p)) return;
    Rng rng;
    rng_seed(&rng, 100 + (uint64_t)v);
    for (size_t a = 0; a < sizeof Ms / sizeof *Ms; a++)
        for (size_t b = 0; b < sizeof Ks / sizeof *Ks; b++)
            for (size_t c = 0; c < sizeof Ns / sizeof *Ns; c++)
                check_shape(p, v, Ms[a], Ks[b], Ns[c], &rng);
    for (size_t e = 0; e < sizeof extra / sizeof *extra; e++)
        check_shape(p, v, extra[e][0], extra[e][1], extra[e][2], &rng);
}
END_TEST

/* Each path object was compiled for the width it is named after (the
 * Makefile's flags took effect), and its vec_dot sums every element. */
START_TEST(kernel_paths_are_what_they_say)
{
    printf("linalg: this build's kernel path is %s (%d floats per vector)\n", mat_kernel_path(),
           mat_vector_floats());
    for (int p = 1; p < N_PATHS; p++) {
        if (!path_runs(p)) continue;
        ck_assert_msg(strcmp(paths[p].path(), paths[p].name) == 0 && paths[p].vector_floats() == paths[p].floats,
                      "the object built for kernel path %s reports path %s with %d floats per vector (want %d): "
                      "check LINALG_PATH_FLAGS_%s in the Makefile", paths[p].name, paths[p].path(),
                      paths[p].vector_floats(), paths[p].floats, paths[p].name);
        float x[100], y[100];
        for (int n = 0; n <= 100; n += 7) {
            double want = 0;
            for (int i = 0; i < n; i++) { x[i] = (float)(i % 5) - 2.0f; y[i] = (float)(i % 3) + 0.5f; want += x[i] * y[i]; }
            ckx_close(paths[p].dot(x, y, n), want, TOL_EXACT, "vec_dot of small integers",
                      "every element, the tail past the last whole vector included, must be summed.");
        }
    }
}
END_TEST

/* K = 0 is the empty sum: C = 0, or C unchanged when accumulating. */
START_TEST(matmul_empty_sum)
{
    float dummy = 1.0f, C[6];
    const float zeros[6] = { 0 }, old[6] = { 1, 2, 3, 4, 5, 6 };
    for (int v = 0; v < 3; v++) {
        memset(C, 0xff, sizeof C);
        variants[v].fast(C, &dummy, &dummy, 2, 0, 3, 0);
        ckx_close_arrayf(C, zeros, 6, TOL_EXACT, variants[v].name, "K = 0, accumulate = 0 must give C = 0.");
        memcpy(C, old, sizeof C);
        variants[v].fast(C, &dummy, &dummy, 2, 0, 3, 1);
        ckx_close_arrayf(C, old, 6, TOL_EXACT, variants[v].name, "K = 0, accumulate = 1 must leave C unchanged.");
    }
}
END_TEST

/* ---------------------------------------------------------------- vectors */

START_TEST(vector_helpers)
{
    Rng rng;
    rng_seed(&rng, 7);
    static const int ns[] = { 0, 1, 7, 8, 9, 31, 100 };
    float x[100], y[100], y0[100];
    for (size_t t = 0; t < sizeof ns / sizeof *ns; t++) {
        int n = ns[t];
        fill_normal(x, (size_t)n, &rng);
        fill_normal(y, (size_t)n, &rng);
        double want = 0;
        for (int i = 0; i < n; i++) want += (double)x[i] * y[i];
        char what[64];
        snprintf(what, sizeof what, "vec_dot, n = %d", n);
        ckx_close(vec_dot(x, y, n), want, tol_matmul(n), what, "the tail (n % 8) must be summed too.");

        memcpy(y0, y, sizeof y);
        vec_axpy(y, 0.5f, x, n);
        for (int i = 0; i < n; i++) y0[i] += 0.5f * x[i];
        ckx_close_arrayf(y, y0, n, TOL_FLOAT, "vec_axpy: y += 0.5 x", NULL);
    }

    float v[5] = { 1, -2, 3, -4, 5 };
    vec_scale(v, -2.0f, 5);
    const float scaled[5] = { -2, 4, -6, 8, -10 };
    ckx_close_arrayf(v, scaled, 5, TOL_EXACT, "vec_scale by -2", NULL);
    vec_fill(v, 3.5f, 5);
    const float filled[5] = { 3.5f, 3.5f, 3.5f, 3.5f, 3.5f };
    ckx_close_arrayf(v, filled, 5, TOL_EXACT, "vec_fill 3.5", NULL);
    vec_zero(v, 5);
    const float zeros[5] = { 0 };
    ckx_close_arrayf(v, zeros, 5, TOL_EXACT, "vec_zero", NULL);

    const float a[6] = { 1, 7, -3, 7, 2, 0 };
    ck_assert_int_eq(vec_argmax(a, 6), 1);                      /* ties: the first */
    ck_assert_int_eq(vec_argmax(a, 0), -1);
    const float withnan[4] = { NAN, 2, NAN, 1 };
    ck_assert_msg(vec_argmax(withnan, 4) == 1, "vec_argmax picked %d: a NaN must never win",
                  vec_argmax(withnan, 4));

    const double xd[3] = { 1, 2, 3 }, ad[4] = { -1, 4, 4, 2 };
    double yd[3] = { 1, 1, 1 };
    ckx_close(vec_dotd(xd, xd, 3), 14.0, TOL_EXACT, "vec_dotd", NULL);
    vec_axpyd(yd, 2.0, xd, 3);
    const double yd_want[3] = { 3, 5, 7 };
    ckx_close_array(yd, yd_want, 3, TOL_EXACT, "vec_axpyd", NULL);
    ck_assert_int_eq(vec_argmaxd(ad, 4), 1);
}
END_TEST

/* ---------------------------------------------------------------- solvers */

/* ||A x - b||_inf / (||A||_inf ||x||_inf + ||b||_inf): ~1e-16 for a backward
 * stable solver, whatever the conditioning. */
static double relative_residual(const double *A, const double *x, const double *b, int n)
{
    double r = 0, anorm = 0, xnorm = 0, bnorm = 0;
    for (int i = 0; i < n; i++) {
        double s = -b[i], row = 0;
        for (int j = 0; j < n; j++) { s += A[i * n + j] * x[j]; row += fabs(A[i * n + j]); }
        r = fmax(r, fabs(s)); anorm = fmax(anorm, row);
        xnorm = fmax(xnorm, fabs(x[i])); bnorm = fmax(bnorm, fabs(b[i]));
    }
    return r / (anorm * xnorm + bnorm);
}

/* The classic example: [[4,12,-16],[12,37,-43],[-16,-43,98]] = L·Lᵀ with
 * L = [[2,0,0],[6,1,0],[-8,5,3]]; with b = A·(1,2,3), x = (1,2,3). */
START_TEST(cholesky_hand_example)
{
    double A[9] = { 4, 12, -16, 12, 37, -43, -16, -43, 98 };
    const double L[9] = { 2, 0, 0, 6, 1, 0, -8, 5, 3 };
    double b[3] = { -20, -43, 192 };
    const double x[3] = { 1, 2, 3 };
    ck_assert_msg(la_cholesky(A, 3) == 0, "la_cholesky rejected an SPD matrix");
    ckx_close_grid(A, L, 3, 3, 1e-12, "L of [[4,12,-16],[12,37,-43],[-16,-43,98]]",
                   "L[i][j] = (A[i][j] - sum_{k<j} L[i][k] L[j][k]) / L[j][j]; the upper triangle must be 0.");
    la_cholesky_solve(A, b, 3);
    ckx_close_array(b, x, 3, 1e-12, "x solving the Cholesky example", "forward L y = b, then backward L^T x = y.");
}
END_TEST

/* Random SPD systems A = BᵀB + n·I (eigenvalues in [n, ~5n]: cond <= ~5). */
START_TEST(cholesky_random_spd)
{
    Rng rng;
    rng_seed(&rng, 11);
    static const int ns[] = { 1, 2, 5, 17, 50 };
    for (size_t t = 0; t < sizeof ns / sizeof *ns; t++) {
        int n = ns[t];
        double *B = xmalloc(sizeof(double) * n * n), *A = xmalloc(sizeof(double) * n * n);
        double *F = xmalloc(sizeof(double) * n * n), *x = xmalloc(sizeof(double) * n);
        double *xt = xmalloc(sizeof(double) * n), *b = xmalloc(sizeof(double) * n);
        for (int i = 0; i < n * n; i++) B[i] = rng_normal(&rng);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0.0;
                for (int k = 0; k < n; k++) s += B[k * n + i] * B[k * n + j];
                A[i * n + j] = s;
            }
        for (int i = 0; i < n; i++) xt[i] = rng_normal(&rng);
        for (int i = 0; i < n; i++) b[i] = vec_dotd(A + i * n, xt, n);
        memcpy(F, A, sizeof(double) * n * n);
        memcpy(x, b, sizeof(double) * n);
        ck_assert_msg(la_cholesky(F, n) == 0, "la_cholesky rejected B^T B + n I (n = %d), which is SPD", n);
        la_cholesky_solve(F, x, n);
        char what[64];
        snprintf(what, sizeof what, "Cholesky relative residual, n = %d", n);
        ckx_close(relative_residual(A, x, b, n), 0.0, TOL_RESIDUAL, what, NULL);
        snprintf(what, sizeof what, "Cholesky solution x, n = %d", n);
        ckx_close_array(x, xt, n, TOL_SOLUTION, what, NULL);
        free(B); free(A); free(F); free(x); free(xt); free(b);
    }
}
END_TEST

START_TEST(cholesky_rejects_non_spd)
{
    double indefinite[4] = { 1, 2, 2, 1 };                 /* eigenvalues 3 and -1 */
    double negative[1] = { -1 };
    double zero[4] = { 0, 0, 0, 0 };
    double semidef[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };     /* rank 1: a pivot is exactly 0 */
    double with_nan[4] = { 1, NAN, NAN, 1 };
    ck_assert_int_eq(la_cholesky(indefinite, 2), -1);
    ck_assert_int_eq(la_cholesky(negative, 1), -1);
    ck_assert_int_eq(la_cholesky(zero, 2), -1);
    ck_assert_int_eq(la_cholesky(semidef, 3), -1);
    ck_assert_int_eq(la_cholesky(with_nan, 2), -1);
}
END_TEST

/* Strang's example: [[2,1,1],[4,-6,0],[-2,7,2]]·x = (5,-2,9) has x = (1,1,2);
 * and a zero first pivot that only a row swap gets past. */
START_TEST(lu_hand_examples)
{
    double A[9] = { 2, 1, 1, 4, -6, 0, -2, 7, 2 };
    double b[3] = { 5, -2, 9 };
    const double x[3] = { 1, 1, 2 };
    int piv[3];
    ck_assert_msg(la_lu(A, piv, 3) == 0, "la_lu called a nonsingular matrix singular");
    la_lu_solve(A, piv, b, 3);
    ckx_close_array(b, x, 3, 1e-12, "x solving [[2,1,1],[4,-6,0],[-2,7,2]] x = (5,-2,9)",
                    "apply the row swaps to b first, then L y = P b, then U x = y.");

    double S[4] = { 0, 1, 1, 0 };
    double c[2] = { 2, 3 };
    const double y[2] = { 3, 2 };
    int piv2[2];
    ck_assert_msg(la_lu(S, piv2, 2) == 0, "la_lu failed on [[0,1],[1,0]]: is the pivot row searched?");
    la_lu_solve(S, piv2, c, 2);
    ckx_close_array(c, y, 2, TOL_EXACT, "x solving [[0,1],[1,0]] x = (2,3)", "partial pivoting: swap a larger row up.");
}
END_TEST

/* Random general systems, and P·A = L·U rebuilt from the documented layout. */
START_TEST(lu_random)
{
    Rng rng;
    rng_seed(&rng, 12);
    static const int ns[] = { 1, 2, 5, 17, 50 };
    for (size_t t = 0; t < sizeof ns / sizeof *ns; t++) {
        int n = ns[t];
        double *A = xmalloc(sizeof(double) * n * n), *F = xmalloc(sizeof(double) * n * n);
        double *PA = xmalloc(sizeof(double) * n * n), *LU = xmalloc(sizeof(double) * n * n);
        double *x = xmalloc(sizeof(double) * n), *xt = xmalloc(sizeof(double) * n);
        double *b = xmalloc(sizeof(double) * n);
        int *piv = xmalloc(sizeof(int) * n);
        for (int i = 0; i < n * n; i++) A[i] = rng_normal(&rng);
        for (int i = 0; i < n; i++) xt[i] = rng_normal(&rng);
        for (int i = 0; i < n; i++) b[i] = vec_dotd(A + i * n, xt, n);
        memcpy(F, A, sizeof(double) * n * n);
        memcpy(x, b, sizeof(double) * n);
        ck_assert_msg(la_lu(F, piv, n) == 0, "la_lu called a random Gaussian %dx%d matrix singular", n, n);
        la_lu_solve(F, piv, x, n);
        char what[64];
        snprintf(what, sizeof what, "LU relative residual, n = %d", n);
        ckx_close(relative_residual(A, x, b, n), 0.0, TOL_RESIDUAL, what, NULL);
        snprintf(what, sizeof what, "LU solution x, n = %d", n);
        ckx_close_array(x, xt, n, TOL_SOLUTION, what, NULL);

        /* P·A: the swaps applied in order; L·U: unit lower times upper. */
        memcpy(PA, A, sizeof(double) * n * n);
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++) {
                double tmp = PA[k * n + j]; PA[k * n + j] = PA[piv[k] * n + j]; PA[piv[k] * n + j] = tmp;
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k <= (i < j ? i : j); k++)
                    s += (k == i ? 1.0 : F[i * n + k]) * F[k * n + j];
                LU[i * n + j] = s;
            }
        snprintf(what, sizeof what, "L·U vs P·A, n = %d", n);
        ckx_close_grid(LU, PA, n, n, 1e-12 * n, what,
                       "U on and above the diagonal, L's multipliers below it, piv[k] = row swapped with k.");
        free(A); free(F); free(PA); free(LU); free(x); free(xt); free(b); free(piv);
    }
}
END_TEST

/* An SPD system solved both ways gives the same x: two independent methods. */
START_TEST(lu_agrees_with_cholesky)
{
    double A[9] = { 6, 2, 1, 2, 5, 2, 1, 2, 4 }, F[9], G[9];
    double b1[3] = { 1, -2, 3 }, b2[3] = { 1, -2, 3 };
    int piv[3];
    memcpy(F, A, sizeof A);
    memcpy(G, A, sizeof A);
    ck_assert_int_eq(la_cholesky(F, 3), 0);
    ck_assert_int_eq(la_lu(G, piv, 3), 0);
    la_cholesky_solve(F, b1, 3);
    la_lu_solve(G, piv, b2, 3);
    ckx_close_array(b1, b2, 3, 1e-13, "Cholesky x vs LU x", NULL);
}
END_TEST

START_TEST(lu_rejects_singular)
{
    double rank2[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };   /* rounding leaves a ~1e-16 pivot */
    double rank1[4] = { 1, 2, 2, 4 };
    double zero[4] = { 0, 0, 0, 0 };
    double nearly[4] = { 1, 0, 0, 1e-10 };            /* ill-conditioned, not singular */
    int piv[3];
    ck_assert_msg(la_lu(rank2, piv, 3) == -1,
                  "[[1,2,3],[4,5,6],[7,8,9]] is singular: the pivot test must be relative, not == 0");
    ck_assert_int_eq(la_lu(rank1, piv, 2), -1);
    ck_assert_int_eq(la_lu(zero, piv, 2), -1);
    ck_assert_msg(la_lu(nearly, piv, 2) == 0,
                  "diag(1, 1e-10) is invertible: the singularity threshold is too coarse");
}
END_TEST

/* ---------------------------------------------------------------- symmetric eigenproblem
 *
 * References: spectra known in closed form (2×2 and 3×3 by hand, the
 * second-difference matrix tridiag(−1, 2, −1) with λ_k = 2 − 2cos(kπ/(n+1))
 * and v_k(j) ∝ sin(jkπ/(n+1))), matrices built as Uᵀ·diag(λ)·U from a chosen
 * spectrum and a random orthogonal U made by Gram–Schmidt (not by the
 * Householder code under test), and, for random matrices, the defining
 * properties A·v = λ·v and VᵀV = I. */

/* Eigenvalues of symmetric double matrices of norm ~1..n: residuals and
 * errors relative to ‖A‖ of a few hundred ulps at these sizes. */
#define TOL_EIGEN_REL 1e-12

/* max_i ‖A·v_i − w_i·v_i‖_inf for the rows v_i of V, and max |V·Vᵀ − I|. */
static void eigen_errors(const double *A, const double *V, const double *w, int n, double *resid, double *orth)
{
    *resid = 0; *orth = 0;
    for (int i = 0; i < n; i++) {
        const double *v = V + (size_t)i * n;
        for (int r = 0; r < n; r++) *resid = fmax(*resid, fabs(vec_dotd(A + (size_t)r * n, v, n) - w[i] * v[r]));
        for (int j = 0; j < n; j++) *orth = fmax(*orth, fabs(vec_dotd(v, V + (size_t)j * n, n) - (i == j)));
    }
}

/* A random orthogonal U(n, n): Gram–Schmidt, done twice, on N(0, 1) rows. */
static void random_orthogonal(double *U, int n, Rng *r)
{
    for (int i = 0; i < n; i++) {
        double *u = U + (size_t)i * n;
        for (int k = 0; k < n; k++) u[k] = rng_normal(r);
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < i; j++) vec_axpyd(u, -vec_dotd(u, U + (size_t)j * n, n), U + (size_t)j * n, n);
        double norm = sqrt(vec_dotd(u, u, n));
        for (int k = 0; k < n; k++) u[k] /= norm;
    }
}

/* A = Uᵀ·diag(lam)·U: its eigenvectors are the rows of U. */
static void from_spectrum(double *A, const double *U, const double *lam, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += U[(size_t)k * n + i] * lam[k] * U[(size_t)k * n + j];
            A[(size_t)i * n + j] = s;
        }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

START_TEST(eigen_hand_examples)
{
    const char *hint = "la_sym_eigen: eigenvalues ascending, eigenvectors in the rows of A";
    double w[3];
    double a1[1] = { -2.5 };
    ck_assert_int_eq(la_sym_eigen(a1, w, 1, 1), 0);
    ckx_close(w[0], -2.5, 0, "1x1 eigenvalue", hint);
    ckx_close(a1[0], 1.0, 0, "1x1 eigenvector", hint);

    /* [[2, 1], [1, 2]]: λ = 1 with v = (1, −1)/√2, λ = 3 with v = (1, 1)/√2 */
    double a2[4] = { 2, 1, 1, 2 };
    ck_assert_int_eq(la_sym_eigen(a2, w, 2, 1), 0);
    ckx_close(w[0], 1.0, TOL_EXACT, "[[2,1],[1,2]] smaller eigenvalue", hint);
    ckx_close(w[1], 3.0, TOL_EXACT, "[[2,1],[1,2]] larger eigenvalue", hint);
    ckx_close(fabs(a2[0]), M_SQRT1_2, TOL_EXACT, "|v_1(0)|", hint);
    ckx_close(a2[0] + a2[1], 0.0, TOL_EXACT, "v_1 = ±(1, −1)/√2", hint);
    ckx_close(a2[2] - a2[3], 0.0, TOL_EXACT, "v_2 = ±(1, 1)/√2", hint);

    /* tridiag(−1, 2, −1) of order 3: 2 − √2, 2, 2 + √2 */
    double a3[9] = { 2, -1, 0, -1, 2, -1, 0, -1, 2 };
    ck_assert_int_eq(la_sym_eigen(a3, w, 3, 0), 0);
    double want3[3] = { 2 - M_SQRT2, 2, 2 + M_SQRT2 };
    ckx_close_array(w, want3, 3, TOL_EXACT, "eigenvalues of tridiag(-1, 2, -1), n = 3", hint);

    /* a diagonal matrix: its entries, sorted; eigenvectors the unit vectors */
    double d[9] = { 5, 0, 0, 0, -1, 0, 0, 0, 2 };
    ck_assert_int_eq(la_sym_eigen(d, w, 3, 1), 0);
    double wantd[3] = { -1, 2, 5 }, vd[9] = { 0, 1, 0, 0, 0, 1, 1, 0, 0 };
    ckx_close_array(w, wantd, 3, 0, "eigenvalues of diag(5, -1, 2)", hint);
    for (int k = 0; k < 9; k++) d[k] = fabs(d[k]);
    ckx_close_array(d, vd, 9, 0, "eigenvectors of diag(5, -1, 2) (rows, up to sign)", hint);

    double z[4] = { 0 };
    ck_assert_int_eq(la_sym_eigen(z, w, 2, 1), 0);
    ck_assert(w[0] == 0 && w[1] == 0);
    ck_assert_int_eq(la_sym_eigen(NULL, NULL, 0, 1), 0);
}
END_TEST

/* The second-difference matrix T = tridiag(−1, 2, −1) of order n has
 * λ_k = 2 − 2cos(kπ/(n+1)) and v_k(j) = √(2/(n+1))·sin(jkπ/(n+1)), k, j = 1..n. */
START_TEST(eigen_second_difference_closed_form)
{
    enum { N = 60 };
    static double A[N * N], w[N], want[N];
    memset(A, 0, sizeof A);
    for (int i = 0; i < N; i++) {
        A[i * N + i] = 2;
        if (i > 0) A[i * N + i - 1] = -1;
    }
    ck_assert_int_eq(la_sym_eigen(A, w, N, 1), 0);
    for (int k = 1; k <= N; k++) want[k - 1] = 2 - 2 * cos(k * M_PI / (N + 1));
    ckx_close_array(w, want, N, TOL_EIGEN_REL * 4 * N, "eigenvalues of tridiag(-1, 2, -1), n = 60", NULL);
    for (int k = 1; k <= N; k++) {
        const double *v = A + (k - 1) * N;
        double sign = v[0] >= 0 ? 1 : -1;
        for (int j = 1; j <= N; j++)
            ckx_close(sign * v[j - 1], sqrt(2.0 / (N + 1)) * sin(j * k * M_PI / (N + 1)), 1e-10,
                      "eigenvector of tridiag(-1, 2, -1): sqrt(2/(n+1)) sin(jk pi/(n+1))", "row k-1 of A holds v_k");
    }
}
END_TEST

/* A chosen spectrum, with a repeated eigenvalue, zeros and negatives, in a
 * random basis: the eigenvalues come back, and the vectors solve A·v = λ·v. */
START_TEST(eigen_known_spectrum)
{
    enum { N = 40 };
    static double U[N * N], A[N * N], A0[N * N], lam[N], w[N];
    Rng r; rng_seed(&r, 21);
    for (int k = 0; k < N; k++) lam[k] = k < 5 ? 1.0 : k < 8 ? 0.0 : rng_uniform_range(&r, -3, 10);
    random_orthogonal(U, N, &r);
    from_spectrum(A, U, lam, N);
    memcpy(A0, A, sizeof A);
    ck_assert_int_eq(la_sym_eigen(A, w, N, 1), 0);
    qsort(lam, N, sizeof lam[0], cmp_double);
    ckx_close_array(w, lam, N, TOL_EIGEN_REL * 10 * N, "eigenvalues of U^T diag(lambda) U", NULL);
    double resid, orth;
    eigen_errors(A0, A, w, N, &resid, &orth);
    ckx_close(resid, 0, TOL_EIGEN_REL * 10 * N, "max |A v - lambda v| (repeated eigenvalue 1 five times)", NULL);
    ckx_close(orth, 0, TOL_EIGEN_REL * N, "max |V V^T - I|", "eigenvectors of a repeated eigenvalue must still be orthonormal");
}
END_TEST

/* Random symmetric matrices of several sizes: A·v = λ·v, orthonormal V,
 * Σλ = trace, and the eigenvalues do not depend on asking for vectors. Only
 * the lower triangle is read: NaN in the upper one changes nothing. */
START_TEST(eigen_random_symmetric)
{
    static const int sizes[] = { 2, 3, 7, 33, 150 };
    Rng r; rng_seed(&r, 22);
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        int n = sizes[t];
        double *A = malloc(sizeof(double) * n * n), *A0 = malloc(sizeof(double) * n * n);
        double *B = malloc(sizeof(double) * n * n), *w = malloc(sizeof(double) * n), *w2 = malloc(sizeof(double) * n);
        ck_assert(A && A0 && B && w && w2);
        double trace = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng_normal(&r);
        for (int i = 0; i < n; i++) trace += A[i * n + i];
        memcpy(A0, A, sizeof(double) * n * n);
        memcpy(B, A, sizeof(double) * n * n);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) B[i * n + j] = NAN;
        ck_assert_int_eq(la_sym_eigen(A, w, n, 1), 0);
        ck_assert_int_eq(la_sym_eigen(B, w2, n, 0), 0);
        double resid, orth, sum = 0;
        eigen_errors(A0, A, w, n, &resid, &orth);
        for (int i = 0; i < n; i++) sum += w[i];
        ckx_close(resid, 0, TOL_EIGEN_REL * 10 * n, "max |A v - lambda v| on a random symmetric matrix", NULL);
        ckx_close(orth, 0, TOL_EIGEN_REL * n, "max |V V^T - I| on a random symmetric matrix", NULL);
        ckx_close(sum, trace, TOL_EIGEN_REL * 10 * n, "sum of eigenvalues = trace", NULL);
        ckx_close_array(w2, w, n, TOL_EIGEN_REL * 10 * n, "eigenvalues without vectors (NaN in the upper triangle)", "only the lower triangle may be read");
        for (int i = 0; i + 1 < n; i++) ck_assert_msg(w[i] <= w[i + 1], "eigenvalues not ascending at %d", i);
        free(A); free(A0); free(B); free(w); free(w2);
    }
}
END_TEST

START_TEST(eigen_rejects_nonfinite)
{
    double w[2];
    double a[4] = { 1, 0, NAN, 1 }, b[4] = { INFINITY, 0, 0, 1 };
    ck_assert_int_eq(la_sym_eigen(a, w, 2, 1), -1);
    ck_assert_int_eq(la_sym_eigen(b, w, 2, 0), -1);
}
END_TEST

Suite *make_linalg_suite(void)
{
    Suite *s = suite_create("linalg");
    TCase *tc = ckx_tcase(s, "linalg", 20);
    tcase_add_test(tc, matmul_hand_example);
    tcase_add_loop_test(tc, matmul_matches_naive, 0, 3 * N_PATHS);
    tcase_add_test(tc, kernel_paths_are_what_they_say);
    tcase_add_test(tc, matmul_empty_sum);
    tcase_add_test(tc, vector_helpers);
    tcase_add_test(tc, cholesky_hand_example);
    tcase_add_test(tc, cholesky_random_spd);
    tcase_add_test(tc, cholesky_rejects_non_spd);
    tcase_add_test(tc, lu_hand_examples);
    tcase_add_test(tc, lu_random);
    tcase_add_test(tc, lu_agrees_with_cholesky);
    tcase_add_test(tc, lu_rejects_singular);
    tc = ckx_tcase(s, "eigen", 20);
    tcase_add_test(tc, eigen_hand_examples);
    tcase_add_test(tc, eigen_second_difference_closed_form);
    tcase_add_test(tc, eigen_known_spectrum);
    tcase_add_test(tc, eigen_random_symmetric);
    tcase_add_test(tc, eigen_rejects_nonfinite);
    return s;
}
