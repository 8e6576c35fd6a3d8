/* test_03_learning.c — chapter 03: learning from data.
 *
 * One test case per exercise, named after the function it grades. The
 * references never trust the code under test:
 *   - hand-worked examples, with the arithmetic in the comments;
 *   - least squares by QR (modified Gram–Schmidt, ref_lstsq below), a method
 *     independent of the normal equations, also for ridge through the
 *     augmented system [X; √(nλ) I] w ≈ [y; 0];
 *   - optimality conditions (Xᵀ residual = 0; the lasso's KKT conditions);
 *   - Newton's method and the losses written again here (ref_*);
 *   - central differences of the reference losses for the gradients;
 *   - Manning, Raghavan & Schütze, Introduction to Information Retrieval
 *     (2008), Example 13.1 for naive Bayes.
 */
#include "ckx.h"
#include "datasets.h"
#include "learn.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Named tolerances. */
#define TOL_SOLVE   1e-9    /* a well-conditioned (cond <~ 1e3) solve in double, two methods */
#define TOL_ITER    1e-6    /* an iterative method stopped at gradient norm ~1e-9 vs the exact minimiser */
#define TOL_KKT     1e-8    /* the lasso's optimality conditions after sweeps to tol 1e-13 */
#define TOL_FD_REL  1e-6    /* central difference (h = 1e-5) vs analytic gradient, relative */

/* ------------------------------------------------------------------------ */
/* References, written independently of learn.c */

/* Least squares min ‖Ax − b‖ by modified Gram–Schmidt QR: A = QR, x = R⁻¹Qᵀb.
 * A (m, p) with full column rank; x (p). */
static void ref_lstsq(const double *A, const double *b, int m, int p, double *x)
{
    double *Q = ckx_alloc((size_t)m * p * sizeof *Q), *R = ckx_alloc((size_t)p * p * sizeof *R);
    double *qb = ckx_alloc((size_t)p * sizeof *qb), *r = ckx_alloc((size_t)m * sizeof *r);
    memcpy(Q, A, (size_t)m * p * sizeof *Q);                   /* Q starts as A, column j at Q[i*p + j] */
    memcpy(r, b, (size_t)m * sizeof *r);
    for (int j = 0; j < p; j++) {
        double nrm = 0;
        for (int i = 0; i < m; i++) nrm += Q[i * p + j] * Q[i * p + j];
        nrm = sqrt(nrm);
        ck_assert_msg(nrm > 1e-12, "ref_lstsq: rank-deficient test matrix (column %d)", j);
        R[j * p + j] = nrm;
        for (int i = 0; i < m; i++) Q[i * p + j] /= nrm;
        for (int k = j + 1; k < p; k++) {
            double s = 0;
            for (int i = 0; i < m; i++) s += Q[i * p + j] * Q[i * p + k];
            R[j * p + k] = s;
            for (int i = 0; i < m; i++) Q[i * p + k] -= s * Q[i * p + j];
        }
        /* Qᵀb, also column by column against the updated residual (stable MGS) */
        double s = 0;
        for (int i = 0; i < m; i++) s += Q[i * p + j] * r[i];
        qb[j] = s;
        for (int i = 0; i < m; i++) r[i] -= s * Q[i * p + j];
    }
    for (int j = p - 1; j >= 0; j--) {
        double s = qb[j];
        for (int k = j + 1; k < p; k++) s -= R[j * p + k] * x[k];
        x[j] = s / R[j * p + j];
    }
    free(r); free(qb); free(R); free(Q);
}

/* Solve A x = b (p, p) by Gaussian elimination with partial pivoting; A and b are copied. */
static void ref_solve(const double *A_in, const double *b_in, int p, double *x)
{
    double *A = ckx_alloc((size_t)p * p * sizeof *A), *b = ckx_alloc((size_t)p * sizeof *b);
    memcpy(A, A_in, (size_t)p * p * sizeof *A);
    memcpy(b, b_in, (size_t)p * sizeof *b);
    for (int k = 0; k < p; k++) {
        int piv = k;
        for (int i = k + 1; i < p; i++) if (fabs(A[i * p + k]) > fabs(A[piv * p + k])) piv = i;
        for (int j = 0; j < p; j++) { double t = A[k * p + j]; A[k * p + j] = A[piv * p + j]; A[piv * p + j] = t; }
        double t = b[k]; b[k] = b[piv]; b[piv] = t;
        ck_assert_msg(fabs(A[k * p + k]) > 1e-300, "ref_solve: singular test system");
        for (int i = k + 1; i < p; i++) {
            double f = A[i * p + k] / A[k * p + k];
            for (int j = k; j < p; j++) A[i * p + j] -= f * A[k * p + j];
            b[i] -= f * b[k];
        }
    }
    for (int k = p - 1; k >= 0; k--) {
        double s = b[k];
        for (int j = k + 1; j < p; j++) s -= A[k * p + j] * x[j];
        x[k] = s / A[k * p + k];
    }
    free(b); free(A);
}

static double ref_sigmoid(double z) { return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)); }

/* −log σ(z) for label 1 and −log(1 − σ(z)) for label 0, each without overflow. */
static double ref_logreg_loss(const double *X, const int *y, int n, int d, const double *w)
{
    double J = 0;
    for (int i = 0; i < n; i++) {
        double z = 0;
        for (int j = 0; j < d; j++) z += X[i * d + j] * w[j];
        double m = y[i] ? -z : z;                           /* the loss is log(1 + e^m) */
        J += m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
    }
    return J / n;
}

static void ref_logreg_grad(const double *X, const int *y, int n, int d, const double *w, double *g)
{
    for (int j = 0; j < d; j++) g[j] = 0;
    for (int i = 0; i < n; i++) {
        double z = 0;
        for (int j = 0; j < d; j++) z += X[i * d + j] * w[j];
        for (int j = 0; j < d; j++) g[j] += (ref_sigmoid(z) - y[i]) * X[i * d + j] / n;
    }
}

/* Newton's method on the logistic loss to machine precision; returns its number of steps. */
static int ref_logreg_newton(const double *X, const int *y, int n, int d, double *w)
{
    double *H = ckx_alloc((size_t)d * d * sizeof *H), *g = ckx_alloc((size_t)d * sizeof *g);
    double *step = ckx_alloc((size_t)d * sizeof *step);
    memset(w, 0, (size_t)d * sizeof *w);
    int it = 0;
    for (; it < 50; it++) {
        ref_logreg_grad(X, y, n, d, w, g);
        double gn = 0;
        for (int j = 0; j < d; j++) gn += g[j] * g[j];
        if (sqrt(gn) <= 1e-13) break;
        memset(H, 0, (size_t)d * d * sizeof *H);
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < d; j++) z += X[i * d + j] * w[j];
            double s = ref_sigmoid(z) * (1 - ref_sigmoid(z)) / n;
            for (int j = 0; j < d; j++)
                for (int k = 0; k < d; k++) H[j * d + k] += s * X[i * d + j] * X[i * d + k];
        }
        ref_solve(H, g, d, step);
        for (int j = 0; j < d; j++) w[j] -= step[j];
    }
    free(step); free(g); free(H);
    return it;
}

static double ref_softmax_loss(const double *X, const int *y, int n, int d, int K, const double *W)
{
    double J = 0;
    for (int i = 0; i < n; i++) {
        double z[16], m = -INFINITY, s = 0;
        ck_assert_int_le(K, 16);
        for (int k = 0; k < K; k++) {
            z[k] = 0;
            for (int j = 0; j < d; j++) z[k] += W[k * d + j] * X[i * d + j];
            if (z[k] > m) m = z[k];
        }
        for (int k = 0; k < K; k++) s += exp(z[k] - m);
        J += m + log(s) - z[y[i]];
    }
    return J / n;
}

/* ------------------------------------------------------------------------ */
/* Test data */

/* n examples, X (n, 3) = [1, x1, x2] with x ~ N(0, 1), y = 0.5 − x1 + 2 x2 + N(0, 0.1²). */
static void make_linear_data(Rng *r, int n, double *X, double *y)
{
    for (int i = 0; i < n; i++) {
        X[i * 3] = 1;
        X[i * 3 + 1] = rng_normal(r);
        X[i * 3 + 2] = rng_normal(r);
        y[i] = 0.5 - X[i * 3 + 1] + 2 * X[i * 3 + 2] + 0.1 * rng_normal(r);
    }
}

/* n examples of d correlated features (corr ρ^|j−k|, ρ = 0.5, as in Tibshirani
 * 1996 §7), standardised, y = X w_true + N(0, 1) centred, w_true sparse. */
static void make_sparse_data(Rng *r, int n, int d, double *X, double *y)
{
    static const double w_true[8] = { 3, 1.5, 0, 0, 2, 0, 0, 0 };
    for (int i = 0; i < n; i++) {
        double prev = rng_normal(r);
        y[i] = 0;
        for (int j = 0; j < d; j++) {
            double x = j == 0 ? prev : 0.5 * prev + sqrt(0.75) * rng_normal(r);
            X[i * d + j] = x;
            prev = x;
            y[i] += w_true[j % 8] * x;
        }
        y[i] += rng_normal(r);
    }
    center_columns(X, y, n, d, NULL, NULL, (double[16]){ 0 });
}

/* Two overlapping Gaussian classes (blobs at (−1, −0.5) and (1, 0.5), std 1.2),
 * X (n, 3) = [1, x1, x2]: not linearly separable for n >= 40. */
static void make_two_classes(Rng *r, int n, double *X, int *y)
{
    static const double centres[4] = { -1, -0.5, 1, 0.5 };
    double *P = ckx_alloc((size_t)n * 2 * sizeof *P);
    ds_blobs(r, P, y, n, 2, centres, 1.2);
    for (int i = 0; i < n; i++) {
        X[i * 3] = 1;
        X[i * 3 + 1] = P[2 * i];
        X[i * 3 + 2] = P[2 * i + 1];
    }
    free(P);
}

/* (1/n) X_jᵀ (y − Xw) for every j: the lasso's correlations with the residual. */
static void residual_correlations(const double *X, const double *y, int n, int d, const double *w, double *c)
{
    for (int j = 0; j < d; j++) c[j] = 0;
    for (int i = 0; i < n; i++) {
        double r = y[i];
        for (int j = 0; j < d; j++) r -= X[i * d + j] * w[j];
        for (int j = 0; j < d; j++) c[j] += X[i * d + j] * r / n;
    }
}

/* ======================================================================== */
/* linreg_normal_equations */

/* Three points on the line y = 1 + 2x: the fit must be exact. */
START_TEST(ne_exact_line)
{
    const double X[6] = { 1, 0, 1, 1, 1, 2 }, y[3] = { 1, 3, 5 };
    double w[2] = { 0, 0 };
    int rc = linreg_normal_equations(X, y, 3, 2, w);
    ck_assert_msg(rc == 0, "linreg_normal_equations returned %d on a full-rank X; expected 0", rc);
    ckx_close(w[0], 1.0, TOL_SOLVE, "intercept of y = 1 + 2x", "solve XᵀX w = Xᵀy; column 0 of X is the ones.");
    ckx_close(w[1], 2.0, TOL_SOLVE, "slope of y = 1 + 2x", NULL);
}
END_TEST

/* Noisy data: w must satisfy the normal equations Xᵀ(y − Xw) = 0 and agree with QR. */
START_TEST(ne_matches_qr_and_residual_is_orthogonal)
{
    Rng r;
    rng_seed(&r, 31);
    const int n = 50, d = 3;
    double X[150], y[50], w[3] = { 0 }, ref[3], c[3];
    make_linear_data(&r, n, X, y);
    ck_assert_int_eq(linreg_normal_equations(X, y, n, d, w), 0);
    ref_lstsq(X, y, n, d, ref);
    ckx_close_array(w, ref, d, TOL_SOLVE, "w by the normal equations vs least squares by QR",
                    "A = XᵀX is sum_i x_i x_iᵀ (a d×d matrix), b = Xᵀy = sum_i y_i x_i.");
    residual_correlations(X, y, n, d, w, c);
    for (int j = 0; j < d; j++)
        ckx_close(c[j], 0.0, 1e-12, "(1/n) X_jᵀ(y − Xw) at the least-squares solution",
                  "at the minimum the residual is orthogonal to every column of X.");
}
END_TEST

/* A feature that is always 0 makes XᵀX singular: the contract is -1, w untouched. */
START_TEST(ne_singular_returns_minus_one)
{
    const double X[6] = { 1, 0, 1, 0, 1, 0 }, y[3] = { 1, 2, 3 };
    double w[2] = { 42, 42 };
    int rc = linreg_normal_equations(X, y, 3, 2, w);
    ck_assert_msg(rc == -1, "a zero column makes XᵀX singular: expected -1, got %d "
                  "(return -1 when la_cholesky fails)", rc);
    ck_assert_msg(w[0] == 42 && w[1] == 42, "w was changed although the solve failed");
    /* and a well-posed call still works */
    const double X2[6] = { 1, 0, 1, 1, 1, 2 };
    ck_assert_int_eq(linreg_normal_equations(X2, y, 3, 2, w), 0);
    ckx_close(w[1], 1.0, TOL_SOLVE, "slope of (0,1),(1,2),(2,3)", NULL);
}
END_TEST

/* ======================================================================== */
/* linreg_gd */

/* One step by hand. X = [1 0; 1 1; 1 2], y = (1, 3, 5), w0 = 0, lr = 0.01:
 * J(w0) = (1 + 9 + 25)/3 = 35/3; ∇J(w0) = −(2/3) Xᵀy = −(2/3)(9, 13) = (−6, −26/3);
 * w1 = −lr ∇J = (0.06, 0.26/3). */
START_TEST(gd_one_step_by_hand)
{
    const double X[6] = { 1, 0, 1, 1, 1, 2 }, y[3] = { 1, 3, 5 };
    double w[2] = { 0, 0 }, loss[4] = { 0 }, gn[4] = { 0 };
    FitTrace tr = { loss, gn, 4, 0 };
    int t = linreg_gd(X, y, 3, 2, 0.01, 1, 0.0, w, &tr);
    ck_assert_msg(t == 1, "max_iters = 1 allows exactly one update; returned %d", t);
    ckx_close(w[0], 0.06, TOL_EXACT, "w_1[0] after one step",
              "∇J = −(2/n) Xᵀ(y − Xw): mind the factor 2/n and the sign (step AGAINST the gradient).");
    ckx_close(w[1], 0.26 / 3, TOL_EXACT, "w_1[1] after one step", NULL);
    ck_assert_msg(tr.len == 2, "trace holds %d entries; expected 2 (w_0 and w_1)", tr.len);
    ckx_close(loss[0], 35.0 / 3, TOL_EXACT, "trace loss at w_0", "J(w) = (1/n) ‖y − Xw‖² (the mean, no 1/2).");
    ckx_close(gn[0], sqrt(36 + (26.0 / 3) * (26.0 / 3)), TOL_EXACT, "trace gradient norm at w_0", NULL);
    double J1 = 0;
    for (int i = 0; i < 3; i++) {
        double ri = y[i] - X[2 * i] * w[0] - X[2 * i + 1] * w[1];
        J1 += ri * ri / 3;
    }
    ckx_close(loss[1], J1, TOL_EXACT, "trace loss at w_1", NULL);

    /* a tolerance that is met at once: no update at all */
    double w2[2] = { 0.5, 0.5 };
    tr.len = 0;
    t = linreg_gd(X, y, 3, 2, 0.01, 100, 1e9, w2, &tr);
    ck_assert_msg(t == 0 && w2[0] == 0.5 && tr.len == 1,
                  "with tol = 1e9 the first gradient already meets it: expected 0 updates, w unchanged and "
                  "one trace entry; got %d updates, %d entries", t, tr.len);
}
END_TEST

START_TEST(gd_converges_to_normal_equations)
{
    Rng r;
    rng_seed(&r, 32);
    const int n = 40, d = 3;
    double X[120], y[40], ref[3], w[3] = { 0 }, A[9] = { 0 };
    make_linear_data(&r, n, X, y);
    ref_lstsq(X, y, n, d, ref);
    for (int i = 0; i < n; i++)                       /* Hessian of J: (2/n) XᵀX */
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++) A[j * d + k] += 2 * X[i * d + j] * X[i * d + k] / n;
    double lr = 1.0 / sym_max_eigenvalue(A, d);
    double *loss = ckx_alloc(20001 * sizeof *loss), *gn = ckx_alloc(20001 * sizeof *gn);
    FitTrace tr = { loss, gn, 20001, 0 };
    int t = linreg_gd(X, y, n, d, lr, 20000, 1e-10, w, &tr);
    ck_assert_msg(t > 0 && t < 20000, "GD with step 1/L took %d updates (expected to reach tol 1e-10 well within "
                  "20000)", t);
    ckx_close_array(w, ref, d, TOL_ITER, "w by gradient descent vs the least-squares solution",
                    "w <- w − lr ∇J with ∇J = −(2/n) Xᵀ(y − Xw).");
    ck_assert_msg(tr.len == t + 1, "trace has %d entries after %d updates; expected %d", tr.len, t, t + 1);
    ck_assert_msg(gn[t] <= 1e-10 && (t == 0 || gn[t - 1] > 1e-10),
                  "the loop must stop at the FIRST iterate with ‖∇J‖ <= tol");
    for (int k = 1; k < tr.len; k++)
        ck_assert_msg(loss[k] <= loss[k - 1] + 1e-15,
                      "with step 1/L the loss never increases, but J rose at update %d (%g -> %g)", k,
                      loss[k - 1], loss[k]);
    free(gn); free(loss);
}
END_TEST

/* ======================================================================== */
/* ridge_closed_form */

/* By hand. X = [1 0; 0 1; 1 1], y = (1, 2, 3), n = 3:
 * XᵀX = [2 1; 1 2], Xᵀy = (4, 5).
 * λ = 0:   w = [2 1; 1 2]⁻¹ (4, 5) = (1/3)[2 −1; −1 2](4, 5) = (1, 2).
 * λ = 1/3 (nλ = 1): [3 1; 1 3] w = (4, 5), w = (1/8)[3 −1; −1 3](4, 5) = (7/8, 11/8). */
START_TEST(ridge_hand_worked_2d)
{
    const double X[6] = { 1, 0, 0, 1, 1, 1 }, y[3] = { 1, 2, 3 };
    double w[2] = { 0 };
    ck_assert_int_eq(ridge_closed_form(X, y, 3, 2, 1.0 / 3, w), 0);
    ckx_close(w[0], 7.0 / 8, TOL_SOLVE, "ridge w[0], n = 3, λ = 1/3",
              "solve (XᵀX + nλI) w = Xᵀy: the penalty adds n·λ (not λ) to the diagonal with this scaling.");
    ckx_close(w[1], 11.0 / 8, TOL_SOLVE, "ridge w[1], n = 3, λ = 1/3", NULL);
    ck_assert_int_eq(ridge_closed_form(X, y, 3, 2, 0.0, w), 0);
    ckx_close(w[0], 1.0, TOL_SOLVE, "ridge w[0] at λ = 0 (least squares)", NULL);
    ckx_close(w[1], 2.0, TOL_SOLVE, "ridge w[1] at λ = 0 (least squares)", NULL);
}
END_TEST

/* Ridge is least squares on the augmented data [X; √(nλ) I], [y; 0]:
 * ‖y − Xw‖² + nλ‖w‖² = ‖[y; 0] − [X; √(nλ) I] w‖². Solved here by QR. */
START_TEST(ridge_matches_augmented_least_squares)
{
    Rng r;
    rng_seed(&r, 33);
    const int n = 30, d = 5;
    double X[150], y[30], Xa[(30 + 5) * 5], ya[35], w[5] = { 0 }, ref[5];
    make_sparse_data(&r, n, d, X, y);
    const double lambdas[3] = { 1e-3, 0.3, 10.0 };
    for (int l = 0; l < 3; l++) {
        memset(Xa, 0, sizeof Xa);
        memset(ya, 0, sizeof ya);
        memcpy(Xa, X, sizeof X);
        memcpy(ya, y, sizeof y);
        for (int j = 0; j < d; j++) Xa[(n + j) * d + j] = sqrt(n * lambdas[l]);
        ref_lstsq(Xa, ya, n + d, d, ref);
        ck_assert_int_eq(ridge_closed_form(X, y, n, d, lambdas[l], w), 0);
        ckx_close_array(w, ref, d, TOL_SOLVE, "ridge w vs least squares on [X; sqrt(nλ) I]",
                        "(XᵀX + nλI) w = Xᵀy.");
    }
}
END_TEST

/* ‖w(λ)‖ decreases strictly in λ and tends to 0. */
START_TEST(ridge_shrinks_monotonically)
{
    Rng r;
    rng_seed(&r, 34);
    const int n = 40, d = 4;
    double X[160], y[40], w[4] = { 0 }, prev = INFINITY;
    make_sparse_data(&r, n, d, X, y);
    for (double lam = 1e-4; lam < 1e5; lam *= 10) {
        ck_assert_int_eq(ridge_closed_form(X, y, n, d, lam, w), 0);
        double nw = norm2(w, d);
        ck_assert_msg(nw < prev, "‖w‖ = %g at λ = %g is not below %g at λ/10: ridge must shrink", nw, lam, prev);
        prev = nw;
    }
    ck_assert_msg(prev < 1e-3, "‖w‖ = %g at λ = 1e4: should be nearly 0", prev);
}
END_TEST

/* The intercept is not penalised: centring X and y, fitting ridge without an
 * intercept, and setting b = ȳ − x̄ᵀw gives the same fit as minimising
 * (1/2n)‖y − b − Xw‖² + (λ/2)‖w‖² with b free, solved here by QR on
 * [1 X; 0 √(nλ)I] w ≈ [y; 0] (the ones column has no penalty row). */
START_TEST(ridge_unpenalised_intercept_by_centring)
{
    Rng r;
    rng_seed(&r, 35);
    const int n = 25, d = 2;
    const double lam = 0.5;
    double X[50], Xc[50], y[25], yc[25], xm[2], ym, w[2] = { 0 }, Xa[(25 + 2) * 3] = { 0 }, ya[27] = { 0 }, ref[3];
    for (int i = 0; i < n; i++) {
        X[i * 2] = 3 + rng_normal(&r);                 /* far from the origin on purpose */
        X[i * 2 + 1] = -2 + 2 * rng_normal(&r);
        y[i] = 10 + X[i * 2] - 0.5 * X[i * 2 + 1] + 0.3 * rng_normal(&r);
    }
    memcpy(Xc, X, sizeof X);
    memcpy(yc, y, sizeof y);
    center_columns(Xc, yc, n, d, xm, &ym, NULL);
    ck_assert_int_eq(ridge_closed_form(Xc, yc, n, d, lam, w), 0);
    double b = ym - xm[0] * w[0] - xm[1] * w[1];
    for (int i = 0; i < n; i++) {
        Xa[i * 3] = 1;
        Xa[i * 3 + 1] = X[i * 2];
        Xa[i * 3 + 2] = X[i * 2 + 1];
        ya[i] = y[i];
    }
    Xa[n * 3 + 1] = sqrt(n * lam);
    Xa[(n + 1) * 3 + 2] = sqrt(n * lam);
    ref_lstsq(Xa, ya, n + 2, 3, ref);
    ckx_close(b, ref[0], TOL_SOLVE, "intercept (centred ridge) vs unpenalised-intercept ridge", NULL);
    ckx_close_array(w, ref + 1, 2, TOL_SOLVE, "slopes (centred ridge) vs unpenalised-intercept ridge",
                    "ridge_closed_form penalises every coefficient it is given; the caller centres the data.");
}
END_TEST

/* ======================================================================== */
/* soft_threshold */

START_TEST(soft_threshold_values)
{
    const struct { double z, g, want; } cases[] = {
        { 3.0, 1.0, 2.0 }, { -3.0, 1.0, -2.0 }, { 0.5, 1.0, 0.0 }, { -0.5, 1.0, 0.0 },
        { 1.0, 1.0, 0.0 }, { -1.0, 1.0, 0.0 }, { 2.5, 0.0, 2.5 }, { 0.0, 0.0, 0.0 }, { 1e-3, 2e-3, 0.0 },
    };
    for (int i = 0; i < ARRAY_LEN(cases); i++) {
        double got = soft_threshold(cases[i].z, cases[i].g);
        ck_assert_msg(fabs(got - cases[i].want) <= TOL_EXACT,
                      "soft_threshold(%g, %g) = %g, expected %g. Hint: sign(z)·max(|z| − γ, 0): shrink towards 0 by "
                      "γ, and return exactly 0 inside [−γ, γ].", cases[i].z, cases[i].g, got, cases[i].want);
    }
}
END_TEST

/* ======================================================================== */
/* lasso_coordinate_descent */

/* Orthonormal design, (1/n) XᵀX = I: the lasso solution is soft_threshold of
 * the least-squares one (ESL Table 3.4). X_1 = (1, 1, −1, −1), X_2 = (1, −1, 1, −1),
 * y = (2, 0.5, −1, 3): (1/n) Xᵀy = ((2 + 0.5 + 1 − 3)/4, (2 − 0.5 − 1 − 3)/4) = (0.125, −0.625).
 * λ = 0.3: w = (0, −0.325); λ = 0.1: w = (0.025, −0.525). */
START_TEST(lasso_orthogonal_design_is_soft_thresholding)
{
    const double X[8] = { 1, 1, 1, -1, -1, 1, -1, -1 }, y[4] = { 2, 0.5, -1, 3 };
    double w[2] = { 0, 0 };
    int sweeps = lasso_coordinate_descent(X, y, 4, 2, 0.3, 1e-12, 100, w);
    ck_assert_msg(sweeps >= 1 && sweeps <= 100, "returned %d sweeps", sweeps);
    ckx_close(w[0], 0.0, TOL_EXACT, "lasso w[0], λ = 0.3 (orthonormal design)",
              "|(1/n) X_0ᵀy| = 0.125 < λ: soft-thresholding sets it to exactly 0.");
    ckx_close(w[1], -0.325, TOL_EXACT, "lasso w[1], λ = 0.3 (orthonormal design)",
              "w_j = S((1/n) X_jᵀ r_j, λ) / ((1/n) ‖X_j‖²), with r_j the residual without feature j; keep "
              "r = y − Xw up to date (r −= δ·X_j) after every change δ of w_j.");
    double w2[2] = { 5, -5 };                          /* from a poor warm start */
    lasso_coordinate_descent(X, y, 4, 2, 0.1, 1e-12, 100, w2);
    ckx_close(w2[0], 0.025, TOL_EXACT, "lasso w[0], λ = 0.1, warm start (5, −5)",
              "start from the w given: compute the residual y − Xw of the warm start first.");
    ckx_close(w2[1], -0.525, TOL_EXACT, "lasso w[1], λ = 0.1, warm start (5, −5)", NULL);
}
END_TEST

/* Unscaled orthogonal columns: X_1 = 3·(1, 1, −1, −1), X_2 = 0.5·(1, −1, 1, −1),
 * y = (2, 0.5, −1, 3), n = 4. c_1 = (1/n)‖X_1‖² = 9, c_2 = 0.25, and
 * (1/n) X_1ᵀy = 3·0.125 = 0.375, (1/n) X_2ᵀy = 0.5·(−0.625) = −0.3125. The columns
 * are orthogonal, so each coordinate's minimiser is S((1/n) X_jᵀy, λ)/c_j:
 * λ = 0.1: w = (0.275/9, −0.2125/0.25) = (0.0305556, −0.85); λ = 0.35: w = (0.025/9, 0).
 * One sweep from w = 0 reaches it; the second changes nothing and stops: 2 sweeps. */
START_TEST(lasso_unscaled_columns_and_sweep_cap)
{
    const double X[8] = { 3, 0.5, 3, -0.5, -3, 0.5, -3, -0.5 }, y[4] = { 2, 0.5, -1, 3 };
    double w[2] = { 0, 0 };
    int sweeps = lasso_coordinate_descent(X, y, 4, 2, 0.1, 1e-12, 100, w);
    const double want[2] = { 0.275 / 9, -0.2125 / 0.25 };
    ckx_close_array(w, want, 2, 1e-12, "lasso w, λ = 0.1, columns of scale 3 and 0.5 (c_j = 9 and 0.25)",
                    "the columns are not standardised here: w_j = S((1/n) X_jᵀ r_j, λ) / c_j with "
                    "c_j = (1/n) Σ_i X_ij², and (1/n) X_jᵀ r_j = (1/n) X_jᵀ r + c_j w_j.");
    ck_assert_msg(sweeps == 2, "orthogonal columns: the first sweep reaches the minimum, the second changes "
                  "nothing and stops: expected 2 sweeps, got %d. Hint: return the number of sweeps done, the one "
                  "with no change > tol included.", sweeps);
    double w1[2] = { 0, 0 };
    sweeps = lasso_coordinate_descent(X, y, 4, 2, 0.35, 1e-12, 1, w1);
    const double want1[2] = { 0.025 / 9, 0 };
    ck_assert_msg(sweeps == 1, "max_sweeps = 1: expected exactly 1 sweep, got %d. Hint: stop after max_sweeps "
                  "sweeps (sweeps < max_sweeps).", sweeps);
    ckx_close_array(w1, want1, 2, 1e-12, "lasso w after one sweep, λ = 0.35 (w_2 = 0: |−0.3125| < λ)", NULL);
}
END_TEST

/* The KKT conditions of (1/2n)‖y − Xw‖² + λ‖w‖₁ at the solution, with
 * c_j = (1/n) X_jᵀ(y − Xw):  c_j = λ·sign(w_j) where w_j ≠ 0,  |c_j| <= λ where w_j = 0. */
START_TEST(lasso_satisfies_kkt)
{
    Rng r;
    rng_seed(&r, 36);
    const int n = 60, d = 8;
    double X[480], y[60], w[8] = { 0 }, c[8];
    make_sparse_data(&r, n, d, X, y);
    double lmax = lasso_lambda_max(X, y, n, d);
    const double fractions[4] = { 0.5, 0.2, 0.05, 0.005 };
    int saw_zero = 0, saw_nonzero = 0;
    for (int l = 0; l < 4; l++) {                        /* a path, warm-started, as the chapter runs it */
        double lam = fractions[l] * lmax;
        int sweeps = lasso_coordinate_descent(X, y, n, d, lam, 1e-13, 100000, w);
        ck_assert_msg(sweeps > 0 && sweeps < 100000, "λ = %g: %d sweeps (did not converge?)", lam, sweeps);
        residual_correlations(X, y, n, d, w, c);
        for (int j = 0; j < d; j++) {
            char what[96];
            if (w[j] != 0) {
                saw_nonzero = 1;
                snprintf(what, sizeof what, "KKT at λ = %.3g: (1/n) X_%dᵀr for non-zero w_%d", lam, j, j);
                ckx_close(c[j], lam * (w[j] > 0 ? 1 : -1), TOL_KKT, what,
                          "at a non-zero coefficient the correlation with the residual equals λ·sign(w_j).");
            } else {
                saw_zero = 1;
                snprintf(what, sizeof what, "KKT at λ = %.3g: |(1/n) X_%dᵀr| for w_%d = 0 (must be <= λ)", lam, j, j);
                ck_assert_msg(fabs(c[j]) <= lam + TOL_KKT, "%s: got %g > λ = %g. Hint: w_j = 0 is optimal only "
                              "while |(1/n) X_jᵀ r_j| <= λ; otherwise soft-thresholding makes it non-zero.",
                              what, fabs(c[j]), lam);
            }
        }
    }
    ck_assert_msg(saw_zero && saw_nonzero, "test data should give both zero and non-zero coefficients");
}
END_TEST

/* λ_max = max_j |X_jᵀy|/n: at and above it w = 0 exactly, from any warm start;
 * just below it, the feature with the largest |X_jᵀy| enters first. ("At" is
 * λ_max(1 + 1e-9): exactly at λ_max, |X_jᵀr|/n = λ is decided by rounding.) */
START_TEST(lasso_zero_above_lambda_max)
{
    Rng r;
    rng_seed(&r, 37);
    const int n = 50, d = 6;
    double X[300], y[50], w[6];
    make_sparse_data(&r, n, d, X, y);
    double lmax = lasso_lambda_max(X, y, n, d);
    const double ones[6] = { 1, 1, 1, 1, 1, 1 }, zeros[6] = { 0 };
    for (int j = 0; j < d; j++) w[j] = 0;
    lasso_coordinate_descent(X, y, n, d, lmax * (1 + 1e-9), 1e-12, 10000, w);
    ckx_close_array(w, zeros, d, 0.0, "lasso w at λ = λ_max from w = 0 (must be exactly 0)", NULL);
    memcpy(w, ones, sizeof w);
    lasso_coordinate_descent(X, y, n, d, 1.5 * lmax, 1e-12, 10000, w);
    ckx_close_array(w, zeros, d, 0.0, "lasso w at λ = 1.5 λ_max from w = 1 (must be exactly 0)",
                    "soft_threshold returns exactly 0 when |rho| <= λ; keep the residual y − Xw in step with w.");
    int jmax = 0;
    for (int j = 0; j < d; j++) {
        double s = 0, sm = 0;
        for (int i = 0; i < n; i++) { s += X[i * d + j] * y[i]; sm += X[i * d + jmax] * y[i]; }
        if (fabs(s) > fabs(sm)) jmax = j;
    }
    memset(w, 0, sizeof w);
    lasso_coordinate_descent(X, y, n, d, 0.99 * lmax, 1e-12, 10000, w);
    ck_assert_msg(w[jmax] != 0, "at λ = 0.99 λ_max feature %d (largest |X_jᵀy|) should have entered, but w = 0",
                  jmax);
}
END_TEST

/* λ → 0: the lasso becomes least squares. */
START_TEST(lasso_tiny_lambda_is_least_squares)
{
    Rng r;
    rng_seed(&r, 38);
    const int n = 60, d = 5;
    double X[300], y[60], w[5] = { 0 }, ref[5];
    make_sparse_data(&r, n, d, X, y);
    ref_lstsq(X, y, n, d, ref);
    lasso_coordinate_descent(X, y, n, d, 1e-10, 1e-14, 1000000, w);
    ckx_close_array(w, ref, d, TOL_ITER, "lasso w at λ = 1e-10 vs least squares", NULL);
}
END_TEST

/* ======================================================================== */
/* logreg_loss_grad */

/* w = 0: σ = 1/2 everywhere, so J = log 2 and ∇J = (1/n) Σ (1/2 − y_i) x_i.
 * X = [1 0; 1 1; 1 2; 1 3], y = (0, 0, 1, 1):
 * ∇J = (1/4)[(0.5)(1,0) + (0.5)(1,1) − (0.5)(1,2) − (0.5)(1,3)] = (1/4)(0, −2) = (0, −0.5). */
START_TEST(logreg_loss_at_zero_by_hand)
{
    const double X[8] = { 1, 0, 1, 1, 1, 2, 1, 3 }, w[2] = { 0, 0 };
    const int y[4] = { 0, 0, 1, 1 };
    double g[2] = { 99, 99 };
    double J = logreg_loss_grad(X, y, 4, 2, w, g);
    ckx_close(J, log(2.0), TOL_EXACT, "logistic loss at w = 0", "J = −(1/n) Σ [y log σ + (1−y) log(1−σ)]; σ(0) = 1/2.");
    ckx_close(g[0], 0.0, TOL_EXACT, "∂J/∂w_0 at w = 0", "overwrite grad: do not add to what was there.");
    ckx_close(g[1], -0.5, TOL_EXACT, "∂J/∂w_1 at w = 0", "∇J = (1/n) Σ (σ(z_i) − y_i) x_i.");
    ckx_close(logreg_loss_grad(X, y, 4, 2, w, NULL), log(2.0), TOL_EXACT, "loss with grad = NULL", NULL);
}
END_TEST

START_TEST(logreg_gradient_matches_central_differences)
{
    Rng r;
    rng_seed(&r, 39);
    const int n = 30, d = 3;
    double X[90], w[3], g[3] = { 0 }, gfd[3];
    int y[30];
    make_two_classes(&r, n, X, y);
    for (int j = 0; j < d; j++) w[j] = rng_normal(&r);
    double J = logreg_loss_grad(X, y, n, d, w, g);
    ckx_close(J, ref_logreg_loss(X, y, n, d, w), 1e-12, "logistic loss at a random w", NULL);
    const double h = 1e-5;
    double gnorm = 0;
    for (int j = 0; j < d; j++) {
        double wp[3], wm[3];
        memcpy(wp, w, sizeof wp); memcpy(wm, w, sizeof wm);
        wp[j] += h; wm[j] -= h;
        gfd[j] = (ref_logreg_loss(X, y, n, d, wp) - ref_logreg_loss(X, y, n, d, wm)) / (2 * h);
        gnorm += gfd[j] * gfd[j];
    }
    /* guard: the check means something only if the true gradient is not ~0 */
    ck_assert_msg(sqrt(gnorm) > 1e-2, "test setup: the gradient at this w is too small to check (%g)", sqrt(gnorm));
    for (int j = 0; j < d; j++) {
        char what[64];
        snprintf(what, sizeof what, "∂J/∂w_%d vs central difference", j);
        ckx_rel_close(g[j], gfd[j], TOL_FD_REL, 1e-3, what, "∇J = (1/n) Σ_i (σ(w·x_i) − y_i) x_i.");
    }
}
END_TEST

/* Margins of ±1000. X = (1000, −1000, 1000, −1000) (one feature), w = 1,
 * y = (1, 1, 0, 0): the losses are ~0, 1000, 1000, ~0, so J = 500;
 * ∇J = (1/4)[0·1000 + (0 − 1)(−1000) + (1 − 0)·1000 + 0] = 500. */
START_TEST(logreg_loss_is_stable_for_large_margins)
{
    const double X[4] = { 1000, -1000, 1000, -1000 }, w[1] = { 1 };
    const int y[4] = { 1, 1, 0, 0 };
    double g[1] = { 0 };
    double J = logreg_loss_grad(X, y, 4, 1, w, g);
    ckx_close(J, 500.0, 1e-9, "logistic loss with margins ±1000",
              "exp(1000) overflows: use log(1 + e^z) − y z with the given log1pexp(z).");
    ckx_close(g[0], 500.0, 1e-9, "gradient with margins ±1000", "use the given sigmoid(z), which never overflows.");
}
END_TEST

/* ======================================================================== */
/* logreg_gd */

/* One step from w = 0 with lr = 0.5 on the set above: w_1 = −0.5·(0, −0.5) = (0, 0.25). */
START_TEST(logreg_gd_one_step_by_hand)
{
    const double X[8] = { 1, 0, 1, 1, 1, 2, 1, 3 };
    const int y[4] = { 0, 0, 1, 1 };
    double w[2] = { 0, 0 }, loss[3], gn[3];
    FitTrace tr = { loss, gn, 3, 0 };
    int t = logreg_gd(X, y, 4, 2, 0.5, 1, 0.0, w, &tr);
    ck_assert_msg(t == 1, "max_iters = 1: expected 1 update, got %d", t);
    ckx_close(w[0], 0.0, TOL_EXACT, "w_1[0] after one GD step", NULL);
    ckx_close(w[1], 0.25, TOL_EXACT, "w_1[1] after one GD step", "w <- w − lr ∇J (minus: descend).");
    ck_assert_msg(tr.len == 2, "trace holds %d entries after one update; expected 2", tr.len);
    ckx_close(loss[0], log(2.0), TOL_EXACT, "trace loss at w_0 = 0", NULL);
    ckx_close(gn[0], 0.5, TOL_EXACT, "trace gradient norm at w_0 = 0", NULL);
}
END_TEST

START_TEST(logreg_gd_reaches_the_minimiser)
{
    Rng r;
    rng_seed(&r, 40);
    const int n = 200, d = 3;
    double *X = ckx_alloc((size_t)n * d * sizeof *X), w[3] = { 0 }, ref[3], A[9] = { 0 };
    int *y = ckx_alloc((size_t)n * sizeof *y);
    make_two_classes(&r, n, X, y);
    int newton_steps = ref_logreg_newton(X, y, n, d, ref);
    for (int i = 0; i < n; i++)                         /* H <= (1/4n) XᵀX, so L = λ_max/4 */
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++) A[j * d + k] += X[i * d + j] * X[i * d + k] / (4.0 * n);
    double lr = 1.0 / sym_max_eigenvalue(A, d);
    int t = logreg_gd(X, y, n, d, lr, 100000, 1e-9, w, NULL);
    ck_assert_msg(t > 0 && t < 100000, "GD took %d updates to reach ‖∇J‖ <= 1e-9 (limit 100000)", t);
    ckx_close_array(w, ref, d, TOL_ITER, "w by logistic GD vs the minimiser (reference Newton)", NULL);
    ck_assert_msg(t > 5 * newton_steps, "GD needed only %d updates, Newton %d: GD should need far more", t,
                  newton_steps);
    free(y); free(X);
}
END_TEST

/* ======================================================================== */
/* logreg_newton */

/* The first Newton step from w = 0: σ = 1/2, so H = (1/4n) XᵀX and
 * ∇J = (1/n) Xᵀ(1/2 − y): w_1 = 4 (XᵀX)⁻¹ Xᵀ(y − 1/2). For the set above,
 * XᵀX = [4 6; 6 14], Xᵀ(y − 1/2) = (0, 2), (XᵀX)⁻¹ = (1/20)[14 −6; −6 4],
 * w_1 = 4·(1/20)(−12, 8) = (−2.4, 1.6). */
START_TEST(newton_first_step_by_hand)
{
    const double X[8] = { 1, 0, 1, 1, 1, 2, 1, 3 };
    const int y[4] = { 0, 0, 1, 1 };
    double w[2] = { 0, 0 };
    int t = logreg_newton(X, y, 4, 2, 1, 0.0, w, NULL);
    ck_assert_msg(t == 1, "max_iters = 1: expected 1 update, got %d", t);
    ckx_close(w[0], -2.4, TOL_SOLVE, "w_1[0] after one Newton step",
              "H = (1/n) Σ σ(1−σ) x xᵀ; w <- w − H⁻¹∇J (solve H s = ∇J, then subtract s).");
    ckx_close(w[1], 1.6, TOL_SOLVE, "w_1[1] after one Newton step", NULL);
}
END_TEST

START_TEST(newton_converges_in_a_handful_of_iterations)
{
    Rng r;
    rng_seed(&r, 41);
    const int n = 200, d = 3;
    double *X = ckx_alloc((size_t)n * d * sizeof *X), w[3] = { 0 }, ref[3], loss[64], gn[64];
    int *y = ckx_alloc((size_t)n * sizeof *y);
    make_two_classes(&r, n, X, y);
    ref_logreg_newton(X, y, n, d, ref);
    FitTrace tr = { loss, gn, 64, 0 };
    int t = logreg_newton(X, y, n, d, 50, 1e-10, w, &tr);
    ck_assert_msg(t >= 1 && t <= 10, "Newton took %d steps to ‖∇J‖ <= 1e-10 on a non-separable set; expected "
                  "1..10 (-1 means a Cholesky failure)", t);
    ckx_close_array(w, ref, d, 1e-8, "w by Newton vs the reference minimiser", NULL);
    ck_assert_msg(tr.len == t + 1, "trace has %d entries after %d steps; expected %d", tr.len, t, t + 1);
    ck_assert_msg(gn[t] <= 1e-10, "final gradient norm %g > tol", gn[t]);
    /* quadratic convergence: once ‖∇J‖ is small, the next is at most C·‖∇J‖². The
     * constant is ~12 on data like this (observed); an inexact Hessian converges
     * only linearly, and then gn[k+1]/gn[k]² grows without bound. */
    int checked = 0;
    for (int k = 0; k + 1 <= t; k++)
        if (gn[k] < 1e-3 && gn[k + 1] > 1e-15) {
            checked++;
            ck_assert_msg(gn[k + 1] <= 100 * gn[k] * gn[k],
                          "Newton step %d: ‖∇J‖ went %g -> %g, not quadratic (expected <= 100·%g²). "
                          "Check the Hessian: (1/n) Σ σ(1−σ) x_i x_iᵀ.", k, gn[k], gn[k + 1], gn[k]);
        }
    ck_assert_msg(checked >= 1, "test setup: no Newton step in the quadratic regime was observed");
    free(y); free(X);
}
END_TEST

/* A feature that is always 0 gives a singular Hessian: the contract is -1. */
START_TEST(newton_singular_hessian_returns_minus_one)
{
    const double X[8] = { 1, 0, 1, 0, 1, 0, 1, 0 };
    const int y[4] = { 0, 1, 0, 1 };
    double w[2] = { 1, 0 };    /* at w = 0 the gradient is already 0 here: start away from it */
    int t = logreg_newton(X, y, 4, 2, 10, 1e-12, w, NULL);
    ck_assert_msg(t == -1, "a zero column makes the Hessian singular: expected -1, got %d", t);
}
END_TEST

/* ======================================================================== */
/* softmax_loss_grad */

/* W = 0: p̂ = 1/K everywhere, so J = log K and ∇_{w_k} J = (1/n) Σ_i (1/K − [y_i = k]) x_i.
 * X = [1 2; 1 −1; 1 0], y = (0, 2, 2), K = 3:
 *   k = 0: (1/3)[(1/3 − 1)(1,2) + (1/3)(1,−1) + (1/3)(1,0)] = (1/3)(0, −5/3) = (0, −5/9)
 *   k = 1: (1/3)(1/3)[(1,2) + (1,−1) + (1,0)] = (1/9)(3, 1) = (1/3, 1/9)
 *   k = 2: (1/3)[(1/3)(1,2) − (2/3)(1,−1) − (2/3)(1,0)] = (1/3)(−1, 4/3) = (−1/3, 4/9)
 * (each column sums to 0 over k, since Σ_k (p̂_k − [y = k]) = 0). */
START_TEST(softmax_loss_at_zero_by_hand)
{
    const double X[6] = { 1, 2, 1, -1, 1, 0 }, W[6] = { 0 };
    const int y[3] = { 0, 2, 2 };
    double g[6];
    for (int j = 0; j < 6; j++) g[j] = 99;
    double J = softmax_loss_grad(X, y, 3, 2, 3, W, g);
    ckx_close(J, log(3.0), TOL_EXACT, "softmax loss at W = 0", "with all logits equal p̂_k = 1/K, J = log K.");
    const double want[6] = { 0.0, -5.0 / 9, 1.0 / 3, 1.0 / 9, -1.0 / 3, 4.0 / 9 };
    ckx_close_array(g, want, 6, TOL_EXACT, "softmax gradient at W = 0 (row k = class k)",
                    "∇_{w_k} J = (1/n) Σ (p̂_k − [y_i = k]) x_i; overwrite grad, row k at grad[k*d].");
}
END_TEST

START_TEST(softmax_gradient_matches_central_differences)
{
    Rng r;
    rng_seed(&r, 42);
    const int n = 40, d = 3, K = 4;
    static const double centres[8] = { 0, 0, 2, 0, 0, 2, 2, 2 };
    double P[80], X[120], W[12], g[12], gfd[12];
    int y[40];
    ds_blobs(&r, P, y, n, K, centres, 1.0);
    for (int i = 0; i < n; i++) { X[i * 3] = 1; X[i * 3 + 1] = P[2 * i]; X[i * 3 + 2] = P[2 * i + 1]; }
    for (int j = 0; j < K * d; j++) W[j] = 0.5 * rng_normal(&r);
    for (int j = 0; j < K * d; j++) g[j] = 0;
    double J = softmax_loss_grad(X, y, n, d, K, W, g);
    ckx_close(J, ref_softmax_loss(X, y, n, d, K, W), 1e-12, "softmax loss at a random W",
              "J = (1/n) Σ [logsumexp_k z_ik − z_{i,y_i}].");
    const double h = 1e-5;
    double fdnorm = 0, gnorm = 0;
    for (int j = 0; j < K * d; j++) {
        double Wp[12], Wm[12];
        memcpy(Wp, W, sizeof Wp); memcpy(Wm, W, sizeof Wm);
        Wp[j] += h; Wm[j] -= h;
        gfd[j] = (ref_softmax_loss(X, y, n, d, K, Wp) - ref_softmax_loss(X, y, n, d, K, Wm)) / (2 * h);
        fdnorm += gfd[j] * gfd[j];
        gnorm += g[j] * g[j];
    }
    /* guard against a vacuous pass: the true gradient is far from 0, and so must yours be */
    ck_assert_msg(sqrt(fdnorm) > 1e-2, "test setup: gradient too small to check (%g)", sqrt(fdnorm));
    ck_assert_msg(sqrt(gnorm) > 1e-2, "your gradient is (nearly) all zeros (‖g‖ = %g); the central difference "
                  "says ‖∇J‖ = %g", sqrt(gnorm), sqrt(fdnorm));
    for (int j = 0; j < K * d; j++) {
        char what[80];
        snprintf(what, sizeof what, "∂J/∂W[%d][%d] vs central difference", j / d, j % d);
        ckx_rel_close(g[j], gfd[j], TOL_FD_REL, 1e-3, what, "∇_{w_k} J = (1/n) Σ_i (p̂_ik − [y_i = k]) x_i.");
    }
}
END_TEST

/* With K = 2 and w_0 = 0, softmax regression is logistic regression with w = w_1:
 * p̂_1 = e^z / (1 + e^z) = σ(z). So J equals the logistic loss and ∇_{w_1} J the logistic gradient. */
START_TEST(softmax_two_classes_is_logistic)
{
    Rng r;
    rng_seed(&r, 43);
    const int n = 30, d = 3;
    double X[90], W[6] = { 0 }, g[6] = { 0 }, gl[3];
    int y[30];
    make_two_classes(&r, n, X, y);
    for (int j = 0; j < d; j++) W[d + j] = rng_normal(&r);
    double J = softmax_loss_grad(X, y, n, d, 2, W, g);
    ckx_close(J, ref_logreg_loss(X, y, n, d, W + d), 1e-12, "softmax loss (K = 2, w_0 = 0) vs logistic loss", NULL);
    ref_logreg_grad(X, y, n, d, W + d, gl);
    ckx_close_array(g + d, gl, d, 1e-12, "softmax ∇_{w_1} (K = 2) vs the logistic gradient", NULL);
    for (int j = 0; j < d; j++)
        ckx_close(g[j], -gl[j], 1e-12, "softmax ∇_{w_0} (K = 2) = −∇_{w_1}", "Σ_k (p̂_k − [y = k]) = 0 for every example.");
}
END_TEST

/* Logits (1000, 0, −1000), true class 2: J = logsumexp − z_2 = 1000 − (−1000) = 2000;
 * p̂ = (1, 0, 0), so ∇ = ((1 − 0)·1000, 0, (0 − 1)·1000) = (1000, 0, −1000). */
START_TEST(softmax_is_stable_for_large_logits)
{
    const double X[1] = { 1000 }, W[3] = { 1, 0, -1 };
    const int y[1] = { 2 };
    double g[3] = { 0 };
    double J = softmax_loss_grad(X, y, 1, 1, 3, W, g);
    ckx_close(J, 2000.0, 1e-9, "softmax loss with logits (1000, 0, −1000)",
              "exp(1000) = inf: subtract the largest logit before exponentiating (log-sum-exp).");
    const double want[3] = { 1000, 0, -1000 };
    ckx_close_array(g, want, 3, 1e-9, "softmax gradient with logits (1000, 0, −1000)", NULL);
    /* every logit very negative: (−1000, −1001, −1002), true class 0:
     * J = log(1 + e^−1 + e^−2) = 0.4076059644, ∇ = p − e_0, p = (1, e^−1, e^−2)/(1 + e^−1 + e^−2) */
    const double Wn[3] = { -1000, -1001, -1002 }, one[1] = { 1 };
    const int y0[1] = { 0 };
    double s = 1 + exp(-1.0) + exp(-2.0);
    J = softmax_loss_grad(one, y0, 1, 1, 3, Wn, g);
    ckx_close(J, log(s), 1e-9, "softmax loss with logits (−1000, −1001, −1002), class 0",
              "m is the LARGEST logit (−1000 here): start it at −INFINITY or z[0], not at 0, or every "
              "exp(z − m) underflows to 0 and log 0 = −inf.");
    const double wantn[3] = { 1 / s - 1, exp(-1.0) / s, exp(-2.0) / s };
    ckx_close_array(g, wantn, 3, 1e-9, "softmax gradient with logits (−1000, −1001, −1002)", NULL);
}
END_TEST

/* ======================================================================== */
/* nb_fit */

/* Manning, Raghavan & Schütze, IIR Example 13.1 (Table 13.1). Vocabulary
 * (V = 6): 0 Chinese, 1 Beijing, 2 Shanghai, 3 Macao, 4 Tokyo, 5 Japan.
 *   d1 "Chinese Beijing Chinese"   class 0 (c = China)
 *   d2 "Chinese Chinese Shanghai"  class 0
 *   d3 "Chinese Macao"             class 0
 *   d4 "Tokyo Japan Chinese"       class 1 (not China)
 *   d5 "Chinese Chinese Chinese Tokyo Japan"  (the test document)
 * Priors: 3/4, 1/4. Class 0 has N_0 = 8 words, counts (5, 1, 1, 1, 0, 0);
 * class 1 has N_1 = 3, counts (1, 0, 0, 0, 1, 1). With α = 1 (B = V = 6):
 *   P(Chinese|c) = (5+1)/(8+6) = 3/7, P(Tokyo|c) = P(Japan|c) = (0+1)/(8+6) = 1/14,
 *   P(Beijing|c) = 2/14;  P(Chinese|c̄) = (1+1)/(3+6) = 2/9, P(Tokyo|c̄) = 2/9, P(Beijing|c̄) = 1/9.
 * P(c|d5) ∝ 3/4·(3/7)³·(1/14)² ≈ 0.0003,  P(c̄|d5) ∝ 1/4·(2/9)³·(2/9)² ≈ 0.0001 (the book's numbers). */
static const int IIR_COUNTS[4 * 6] = {
    2, 1, 0, 0, 0, 0,
    2, 0, 1, 0, 0, 0,
    1, 0, 0, 1, 0, 0,
    1, 0, 0, 0, 1, 1,
};
static const int IIR_Y[4] = { 0, 0, 0, 1 };
static const int IIR_D5[6] = { 3, 0, 0, 0, 1, 1 };

START_TEST(nb_fit_iir_example_13_1)
{
    double lp[2] = { 0 }, ll[12] = { 0 };
    nb_fit(IIR_COUNTS, IIR_Y, 4, 2, 6, 1.0, lp, ll);
    ckx_close(lp[0], log(3.0 / 4), TOL_EXACT, "log P(China)", "the prior is n_k / n, the fraction of documents.");
    ckx_close(lp[1], log(1.0 / 4), TOL_EXACT, "log P(not China)", NULL);
    const double want[12] = {
        log(6.0 / 14), log(2.0 / 14), log(2.0 / 14), log(2.0 / 14), log(1.0 / 14), log(1.0 / 14),
        log(2.0 / 9), log(1.0 / 9), log(1.0 / 9), log(1.0 / 9), log(2.0 / 9), log(2.0 / 9),
    };
    ckx_close_array(ll, want, 12, TOL_EXACT, "log P(word | class), α = 1 (IIR Example 13.1)",
                    "(N_kv + α) / (N_k + α·V): N_k counts WORDS of class k (8 for China), V = vocabulary size (6).");
}
END_TEST

/* Other α: (N_kv + α)/(N_k + 6α); α = 0 is the unsmoothed estimate, log 0 = −∞ for unseen words. */
START_TEST(nb_fit_smoothing_strength)
{
    double lp[2] = { 0 }, ll[12] = { 0 };
    nb_fit(IIR_COUNTS, IIR_Y, 4, 2, 6, 0.5, lp, ll);
    ckx_close(ll[0], log(5.5 / 11), TOL_EXACT, "log P(Chinese|China), α = 0.5", "(5 + 0.5) / (8 + 6·0.5).");
    ckx_close(ll[4], log(0.5 / 11), TOL_EXACT, "log P(Tokyo|China), α = 0.5", NULL);
    ckx_close(ll[6 + 0], log(1.5 / 6), TOL_EXACT, "log P(Chinese|not China), α = 0.5", NULL);
    nb_fit(IIR_COUNTS, IIR_Y, 4, 2, 6, 0.0, lp, ll);
    ckx_close(ll[0], log(5.0 / 8), TOL_EXACT, "log P(Chinese|China), α = 0", NULL);
    ck_assert_msg(isinf(ll[4]) && ll[4] < 0, "α = 0: Tokyo never occurs in class China, so log P(Tokyo|China) "
                  "must be −∞; got %g", ll[4]);
    double sum = 0;
    nb_fit(IIR_COUNTS, IIR_Y, 4, 2, 6, 3.0, lp, ll);
    for (int v = 0; v < 6; v++) sum += exp(ll[6 + v]);
    ckx_close(sum, 1.0, TOL_EXACT, "Σ_v P(v | not China), α = 3",
              "smoothed word probabilities of a class must still sum to 1: add α·V to the denominator.");
}
END_TEST

/* ======================================================================== */
/* nb_posterior */

/* The parameters of IIR Example 13.1 written out by hand (not by nb_fit). */
static void iir_parameters(double *lp, double *ll)
{
    lp[0] = log(0.75); lp[1] = log(0.25);
    const double p[12] = { 6.0 / 14, 2.0 / 14, 2.0 / 14, 2.0 / 14, 1.0 / 14, 1.0 / 14,
                           2.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 2.0 / 9, 2.0 / 9 };
    for (int j = 0; j < 12; j++) ll[j] = log(p[j]);
}

START_TEST(nb_posterior_iir_example_13_1)
{
    double lp[2], ll[12], post[2] = { 0, 0 };
    iir_parameters(lp, ll);
    nb_posterior(lp, ll, 2, 6, IIR_D5, post);
    const double a = 0.75 * pow(3.0 / 7, 3) * pow(1.0 / 14, 2);    /* ≈ 0.000301 */
    const double b = 0.25 * pow(2.0 / 9, 5);                       /* ≈ 0.000135 */
    ckx_close(post[0], a / (a + b), 1e-12, "P(China | d5), IIR Example 13.1 (≈ 0.690)",
              "posterior ∝ prior × Π_v P(v|c)^{x_v}; normalise over the classes so they sum to 1.");
    ckx_close(post[1], b / (a + b), 1e-12, "P(not China | d5)", NULL);
}
END_TEST

/* α = 0 parameters: d5 contains Tokyo, never seen in China, so P(China | d5) = 0 exactly,
 * and words absent from d5 with log-probability −∞ must not turn the sum into NaN. */
START_TEST(nb_posterior_zero_probability_words)
{
    double lp[2] = { log(0.75), log(0.25) }, post[2] = { 0, 0 };
    const double p[12] = { 5.0 / 8, 1.0 / 8, 1.0 / 8, 1.0 / 8, 0, 0, 1.0 / 3, 0, 0, 0, 1.0 / 3, 1.0 / 3 };
    double ll[12];
    for (int j = 0; j < 12; j++) ll[j] = log(p[j]);
    nb_posterior(lp, ll, 2, 6, IIR_D5, post);
    ckx_close(post[0], 0.0, TOL_EXACT, "P(China | d5) without smoothing",
              "skip words with x_v = 0: 0·log 0 = 0·(−∞) is NaN in floating point.");
    ckx_close(post[1], 1.0, TOL_EXACT, "P(not China | d5) without smoothing", NULL);
}
END_TEST

/* A long document: 0.45^2000 ≈ 1e-694 underflows to 0, so the naive product
 * gives 0/0. Word 0 is equally likely in both classes and cancels; word 2 has
 * P = 0.1 vs 0.3, so P(class 0 | x) = 0.5·0.1 / (0.5·0.1 + 0.5·0.3) = 1/4. */
START_TEST(nb_posterior_long_document_does_not_underflow)
{
    const double lp[2] = { log(0.5), log(0.5) };
    const double ll[6] = { log(0.45), log(0.45), log(0.1), log(0.45), log(0.25), log(0.3) };
    const int x[3] = { 2000, 0, 1 };
    double post[2] = { 0, 0 };
    nb_posterior(lp, ll, 2, 3, x, post);
    ckx_close(post[0], 0.25, 1e-12, "P(class 0 | 2000-word document)",
              "work with log-probabilities and subtract the largest before exp (log-sum-exp).");
    ckx_close(post[1], 0.75, 1e-12, "P(class 1 | 2000-word document)", NULL);
}
END_TEST

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("03_learning");
    TCase *tc;
    tc = ckx_tcase(s, "linreg_normal_equations", 5);
    tcase_add_test(tc, ne_exact_line);
    tcase_add_test(tc, ne_matches_qr_and_residual_is_orthogonal);
    tcase_add_test(tc, ne_singular_returns_minus_one);
    tc = ckx_tcase(s, "linreg_gd", 10);
    tcase_add_test(tc, gd_one_step_by_hand);
    tcase_add_test(tc, gd_converges_to_normal_equations);
    tc = ckx_tcase(s, "ridge_closed_form", 5);
    tcase_add_test(tc, ridge_hand_worked_2d);
    tcase_add_test(tc, ridge_matches_augmented_least_squares);
    tcase_add_test(tc, ridge_shrinks_monotonically);
    tcase_add_test(tc, ridge_unpenalised_intercept_by_centring);
    tc = ckx_tcase(s, "soft_threshold", 5);
    tcase_add_test(tc, soft_threshold_values);
    tc = ckx_tcase(s, "lasso_coordinate_descent", 10);
    tcase_add_test(tc, lasso_orthogonal_design_is_soft_thresholding);
    tcase_add_test(tc, lasso_unscaled_columns_and_sweep_cap);
    tcase_add_test(tc, lasso_satisfies_kkt);
    tcase_add_test(tc, lasso_zero_above_lambda_max);
    tcase_add_test(tc, lasso_tiny_lambda_is_least_squares);
    tc = ckx_tcase(s, "logreg_loss_grad", 5);
    tcase_add_test(tc, logreg_loss_at_zero_by_hand);
    tcase_add_test(tc, logreg_gradient_matches_central_differences);
    tcase_add_test(tc, logreg_loss_is_stable_for_large_margins);
    tc = ckx_tcase(s, "logreg_gd", 10);
    tcase_add_test(tc, logreg_gd_one_step_by_hand);
    tcase_add_test(tc, logreg_gd_reaches_the_minimiser);
    tc = ckx_tcase(s, "logreg_newton", 5);
    tcase_add_test(tc, newton_first_step_by_hand);
    tcase_add_test(tc, newton_converges_in_a_handful_of_iterations);
    tcase_add_test(tc, newton_singular_hessian_returns_minus_one);
    tc = ckx_tcase(s, "softmax_loss_grad", 5);
    tcase_add_test(tc, softmax_loss_at_zero_by_hand);
    tcase_add_test(tc, softmax_gradient_matches_central_differences);
    tcase_add_test(tc, softmax_two_classes_is_logistic);
    tcase_add_test(tc, softmax_is_stable_for_large_logits);
    tc = ckx_tcase(s, "nb_fit", 5);
    tcase_add_test(tc, nb_fit_iir_example_13_1);
    tcase_add_test(tc, nb_fit_smoothing_strength);
    tc = ckx_tcase(s, "nb_posterior", 5);
    tcase_add_test(tc, nb_posterior_iir_example_13_1);
    tcase_add_test(tc, nb_posterior_zero_probability_words);
    tcase_add_test(tc, nb_posterior_long_document_does_not_underflow);
    return s;
}
