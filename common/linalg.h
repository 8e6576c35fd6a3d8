/* linalg — the matrix products an MLP needs, vector helpers, and small dense
 * solvers.
 *
 * Three parts, three prefixes:
 *
 *   mat_  float matrix products, C (+)= A·B in the three shapes backprop uses,
 *         each with a naive reference version beside the fast one;
 *   vec_  float vector helpers (dot, axpy, scale, fill, argmax), and a few in
 *         double with a `d` suffix;
 *   la_   double-precision dense solvers for the regression chapter: Cholesky
 *         for symmetric positive definite systems, LU with partial pivoting for
 *         general square ones; and the symmetric eigenproblem (the
 *         Fréchet distance of the diffusion chapters' sample metrics).
 *
 * Memory layout. Every matrix is a plain array, row-major, with no padding: an
 * (R, C) matrix X holds element (r, c) at X[r * C + c]. In the comments below,
 * a shape after a name is the shape of the array *as stored*: in
 * "A(K, M)ᵀ·B(K, N)", A is a (K, M) array used transposed. Dimension key for
 * the products: M = rows of C, N = columns of C, K = the summed-over dimension.
 *
 * Which product for which pass (MLP layer Y = X·Wᵀ, W stored (out, in)):
 *
 *     forward   Y(B, out)    = X(B, in)·W(out, in)ᵀ      mat_mul_abt
 *     backward  dX(B, in)   += dY(B, out)·W(out, in)      mat_mul_ab
 *               dW(out, in) += dY(B, out)ᵀ·X(B, in)       mat_mul_atb
 *
 * The accumulate flag: 0 overwrites C (C = A·B; C's old contents, even NaN,
 * are never read), 1 adds into it (C += A·B) — backward passes add into
 * gradient buffers and zeroing them is the caller's explicit step. K = 0 is an
 * empty sum: C = 0, or C unchanged when accumulating.
 *
 * Error contract. The products and vector helpers cannot fail: sizes must be
 * >= 0 (asserted), pointers valid for the sizes given, and the output must not
 * overlap an input (the arguments are `restrict`). The fast products allocate
 * nothing (their scratch is fixed stack buffers, at most ~330 KiB), are reentrant, and
 * are single-threaded. Their float sums run in a different order from the
 * naive ones (and use fused multiply-add where the CPU has it), so the two
 * agree to float rounding, not bit for bit (the tests allow 1e-4·sqrt(K) on
 * N(0,1) data). Same inputs, same bits on one machine and build; but the
 * route depends on the shape, so one sample's forward pass alone (M = 1) and
 * inside a batch may differ in the last bits, as may builds with another
 * vector width (mat_kernel_path). Compare such results with a tolerance. The solvers
 * return 0 on success and -1 when the matrix is not SPD (Cholesky) or is
 * singular to working precision (LU), leaving the matrix partly overwritten.
 */
#ifndef LINALG_H
#define LINALG_H

/* ---------------------------------------------------------------- matrix products */

/* C(M, N) (+)= A(M, K)·B(K, N). */
void mat_mul_ab(float *restrict C, const float *restrict A, const float *restrict B,
                int M, int K, int N, int accumulate);
/* C(M, N) (+)= A(M, K)·B(N, K)ᵀ, i.e. C[i][j] = sum_k A[i][k]·B[j][k] (forward pass). */
void mat_mul_abt(float *restrict C, const float *restrict A, const float *restrict B,
                 int M, int K, int N, int accumulate);
/* C(M, N) (+)= A(K, M)ᵀ·B(K, N), i.e. C[i][j] = sum_k A[k][i]·B[k][j] (weight gradient). */
void mat_mul_atb(float *restrict C, const float *restrict A, const float *restrict B,
                 int M, int K, int N, int accumulate);

/* The kernel path this build's fast products take, chosen at compile time
 * from the instruction set the compiler targets: "avx512" (16-float vectors),
 * "avx2" (8), "sse" (4; also NEON and other 128-bit targets), or "portable"
 * (plain C loops, -DLINALG_PORTABLE); and the floats per vector (16, 8, 4). */
const char *mat_kernel_path(void);
int mat_vector_floats(void);

/* The naive references: the same contracts, a plain triple loop each, summing
 * in double. Slow on purpose: they are what the fast versions are tested against. */
void mat_mul_ab_naive(float *restrict C, const float *restrict A, const float *restrict B,
                      int M, int K, int N, int accumulate);
void mat_mul_abt_naive(float *restrict C, const float *restrict A, const float *restrict B,
                       int M, int K, int N, int accumulate);
void mat_mul_atb_naive(float *restrict C, const float *restrict A, const float *restrict B,
                       int M, int K, int N, int accumulate);

/* ---------------------------------------------------------------- vectors (float) */

float vec_dot(const float *x, const float *y, int n);           /* sum_i x[i]·y[i] */
void  vec_axpy(float *restrict y, float a, const float *restrict x, int n); /* y += a·x */
void  vec_scale(float *x, float a, int n);                      /* x *= a */
void  vec_fill(float *x, float v, int n);                       /* x[i] = v */
void  vec_zero(float *x, int n);                                /* x[i] = 0 */
/* First index of the largest element, NaNs skipped (all NaN: n-1); -1 if n <= 0. */
int   vec_argmax(const float *x, int n);

/* ---------------------------------------------------------------- vectors (double) */

double vec_dotd(const double *x, const double *y, int n);       /* sum_i x[i]·y[i], left to right */
void   vec_axpyd(double *restrict y, double a, const double *restrict x, int n); /* y += a·x */
int    vec_argmaxd(const double *x, int n);                     /* as vec_argmax */

/* ---------------------------------------------------------------- dense solvers (double) */

/* Cholesky factorisation A = L·Lᵀ of a symmetric positive definite A(n, n), in
 * place. Reads only the lower triangle (diagonal included); on success the
 * lower triangle holds L and the strict upper triangle is set to 0, so A then
 * *is* L. Returns -1 if A is not positive definite (a pivot <= 0 or NaN). */
int  la_cholesky(double *A, int n);
/* Solve L·Lᵀ·x = b given L(n, n) from la_cholesky; b(n) is overwritten by x. */
void la_cholesky_solve(const double *L, double *b, int n);

/* LU factorisation with partial pivoting, P·A = L·U, of a square A(n, n), in
 * place: U on and above the diagonal, L's multipliers below it (L's unit
 * diagonal is not stored). piv(n): at step k rows k and piv[k] were swapped.
 * Returns -1 if A is singular to working precision: a pivot |u_kk| <=
 * n·DBL_EPSILON·max|A| (so the exactly singular [[1,2,3],[4,5,6],[7,8,9]] is
 * caught although rounding leaves a pivot of ~1e-16 instead of 0). */
int  la_lu(double *A, int *piv, int n);
/* Solve A·x = b given (LU, piv) from la_lu; b(n) is overwritten by x. */
void la_lu_solve(const double *LU, const int *piv, double *b, int n);

/* ---------------------------------------------------------------- symmetric eigenproblem (double) */

/* Eigenvalues and eigenvectors of a symmetric A(n, n), A = Σ_i λ_i·v_i·v_iᵀ.
 * Reads only the lower triangle (diagonal included). On success w(n) holds
 * the eigenvalues in ascending order and, when vectors is not 0, row i of A
 * holds a unit eigenvector for w[i] (A[i*n + k] = (v_i)_k; the rows are
 * orthonormal, each sign arbitrary); with vectors 0, A is used as scratch.
 * Householder reduction to tridiagonal form, then the implicit QL method with
 * Wilkinson shifts (Golub & Van Loan, Matrix Computations, 4th ed., §8.3;
 * Wilkinson & Reinsch 1971): about 2n³ flops for the eigenvalues, 5n³ more
 * for the vectors (n = 784: 0.2 s, 0.4 s with vectors, on the course
 * machine). Backward stable: the eigenvalues are
 * exact for a matrix within ~n·DBL_EPSILON·‖A‖ of A. Returns -1 (A and w
 * then hold garbage) if A holds a NaN or Inf or an eigenvalue needs more than
 * 60 QL iterations, or if its n doubles of scratch cannot be allocated. */
int  la_sym_eigen(double *A, double *w, int n, int vectors);

#endif
