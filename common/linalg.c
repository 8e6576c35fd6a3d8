/* linalg.c — see linalg.h.
 *
 * Parts: vector helpers, the naive matrix products, the dense solvers. The
 * fast matrix products (and vec_dot) are in linalg_fast.c, which explains how
 * they work.
 */
#include "linalg.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ vectors (float) */

/* vec_dot is in linalg_fast.c: it needs split partial sums to vectorise. */

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
    /* e[m] is negligible when it is below rounding of its neighbours on the
     * diagonal, or of T as a whole: a matrix of rank k < n (a covariance of
     * fewer samples than features) has n − k eigenvalues that are 0 up to
     * rounding of ‖T‖, and next to them the local test alone asks e[m] to
     * fall below ~1e-16 of ~1e-16, which the shifts never reach. Setting such
     * an e[m] to 0 perturbs T by at most DBL_EPSILON·‖T‖: still backward stable. */
    double tnorm = 0.0;
    for (int i = 0; i < n; i++) tnorm = fmax(tnorm, fabs(d[i]) + fabs(e[i]) + (i > 0 ? fabs(e[i - 1]) : 0.0));
    const double small = DBL_EPSILON * tnorm + DBL_MIN;
    for (int l = 0; l < n; l++) {
        for (int iter = 0;; iter++) {
            /* the first negligible e[m], m >= l, splits T; e[n−1] = 0 always is */
            int m = l;
            while (m < n - 1 && !(fabs(e[m]) <= DBL_EPSILON * (fabs(d[m]) + fabs(d[m + 1])) || fabs(e[m]) <= small)) m++;
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
