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
