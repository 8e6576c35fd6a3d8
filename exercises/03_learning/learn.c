/* learn.c — learning from data (chapter 03).
 *
 * Each function marked EXERCISE is yours to write in exercises/03_learning/learn.c.
 * Check your work with `make check CH=03`; the chapter program runs on your
 * code with `make run CH=03 IMPL=exercises`. Notation, shapes and the scaling
 * of every objective: see learn.h and the chapter README.
 *
 * Shapes: X (n, d) row-major, example i's feature j at X[i*d + j]; W (K, d).
 * Helpers you may use: vec_dotd(x, y, n) = x·y and vec_axpyd(y, a, x, n):
 * y += a·x (linalg.h), la_cholesky / la_cholesky_solve (linalg.h), xmalloc /
 * xcalloc (util.h), norm2, sigmoid and log1pexp (learn.h), and the given
 * functions at the end of this file.
 */
#include "learn.h"
#include "linalg.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 1: least squares by the normal equations (seed 003 §3.2;
 * ESL eq. 3.6; Bishop PRML eq. 3.15)
 *
 *   minimise J(w) = (1/n) ‖y − Xw‖²   ⇒   XᵀX w = Xᵀy
 *
 * Build A = XᵀX (d, d) and b = Xᵀy (d), factor A = LLᵀ with la_cholesky
 * (it reads only the lower triangle, so you may fill just that), then
 * la_cholesky_solve(A, b, d) turns b into w. Never form (XᵀX)⁻¹: solving is
 * cheaper and more accurate. If la_cholesky fails, return -1 and leave w alone.
 */
int linreg_normal_equations(const double *X, const double *y, int n, int d, double *w)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)w;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 2: least squares by gradient descent (ESL §3.2; Murphy PML1 §8.2)
 *
 *   J(w)  = (1/n) ‖y − Xw‖²
 *   ∇J(w) = −(2/n) Xᵀ(y − Xw)
 *   w    <- w − lr ∇J(w)
 *
 * Loop: at the current w compute the residual r = y − Xw, J and ∇J; append
 * (J, ‖∇J‖₂) with fit_trace_push(trace, ...); stop if ‖∇J‖₂ <= tol or if
 * max_iters updates have been made; otherwise update w. Return the number of
 * updates made. (So a run that stops after t updates leaves t + 1 trace
 * entries: w_0 .. w_t.) norm2() is given.
 */
int linreg_gd(const double *X, const double *y, int n, int d, double lr, int max_iters, double tol,
              double *w, FitTrace *trace)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)lr; (void)max_iters; (void)tol; (void)w; (void)trace;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 3: ridge regression in closed form (ESL eq. 3.44; Bishop eq. 3.28)
 *
 *   minimise (1/2n) ‖y − Xw‖² + (λ/2) ‖w‖²
 *   set the gradient −(1/n) Xᵀ(y − Xw) + λw to zero:   (XᵀX + nλ I) w = Xᵀy
 *
 * The same as exercise 1 with nλ added to the diagonal of XᵀX. For λ > 0 the
 * matrix is positive definite even when the columns of X are dependent.
 * Every coefficient is penalised: the caller centres the data instead of
 * passing a column of ones (learn.h, "The bias").
 */
int ridge_closed_form(const double *X, const double *y, int n, int d, double lambda, double *w)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)lambda; (void)w;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 4: the soft-thresholding operator (ESL Table 3.4 and §3.8.6;
 * Friedman et al. 2010 eq. 6)
 *
 *   S(z, γ) = sign(z) · max(|z| − γ, 0)  =  z − γ  if z >  γ
 *                                          z + γ  if z < −γ
 *                                          0      otherwise
 *
 * It is the minimiser of ½(w − z)² + γ|w| over w: the proximal step of the
 * ℓ1 penalty. Values within γ of zero become EXACTLY zero: that is how the
 * lasso selects variables.
 */
double soft_threshold(double z, double gamma)
{
    /* TODO: your code here (see the comment above the function). */
    (void)z; (void)gamma;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 5: the lasso by cyclic coordinate descent (Friedman, Hastie &
 * Tibshirani 2010, eq. 5; ESL §3.8.6; Murphy PML1 §11.4)
 *
 *   minimise (1/2n) ‖y − Xw‖² + λ ‖w‖₁
 *
 * Minimising over one coordinate w_j with the others fixed has a closed form.
 * With c_j = (1/n) Σ_i X_ij² and the partial residual r^(j) = y − Σ_{k≠j} X_k w_k,
 *
 *   w_j <- S( (1/n) X_jᵀ r^(j), λ ) / c_j.
 *
 * Keep the full residual r = y − Xw up to date instead of recomputing it:
 * (1/n) X_jᵀ r^(j) = (1/n) X_jᵀ r + c_j w_j, and after changing w_j by δ,
 * r <- r − δ X_j. Cost per sweep: O(nd).
 *
 * Start from the w given (a warm start). One sweep updates j = 0, 1, ..., d−1
 * in order. Stop after the first sweep in which no |δ| exceeds tol, or after
 * max_sweeps sweeps. Return the number of sweeps.
 */
int lasso_coordinate_descent(const double *X, const double *y, int n, int d, double lambda, double tol,
                             int max_sweeps, double *w)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)lambda; (void)tol; (void)max_sweeps; (void)w;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 6: the logistic loss and its gradient (seed 003 §4a; ESL §4.4.1;
 * Bishop eq. 4.90–4.91)
 *
 *   z_i = w·x_i,   σ(z) = 1 / (1 + e^{−z})
 *   J(w) = −(1/n) Σ_i [ y_i log σ(z_i) + (1 − y_i) log(1 − σ(z_i)) ]
 *        =  (1/n) Σ_i [ log(1 + e^{z_i}) − y_i z_i ]          (the stable form)
 *   ∇J(w) = (1/n) Σ_i (σ(z_i) − y_i) x_i
 *
 * Use the second form with the given log1pexp(z) = log(1 + e^z): computed
 * naively, e^z overflows to inf for z > 709 and log σ(z) underflows to
 * log 0 = −inf for z < −745; the tests use margins of ±1000. Overwrite grad
 * (when it is not NULL); do not add to it.
 */
double logreg_loss_grad(const double *X, const int *y, int n, int d, const double *w, double *grad)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)w; (void)grad;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 7: logistic regression by gradient descent (seed 003 §4a)
 *
 *   w <- w − lr ∇J(w)
 *
 * The same loop as exercise 2, with logreg_loss_grad for J and ∇J: append
 * (J, ‖∇J‖₂) at every iterate, stop when ‖∇J‖₂ <= tol or after max_iters
 * updates, return the number of updates.
 */
int logreg_gd(const double *X, const int *y, int n, int d, double lr, int max_iters, double tol, double *w,
              FitTrace *trace)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)lr; (void)max_iters; (void)tol; (void)w; (void)trace;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 8: logistic regression by Newton's method (seed 003 §4b; ESL
 * §4.4.1, where it is called iteratively reweighted least squares; Bishop §4.3.3)
 *
 *   H(w) = ∇²J(w) = (1/n) Σ_i σ_i (1 − σ_i) x_i x_iᵀ,   σ_i = σ(w·x_i)
 *   w   <- w − H⁻¹ ∇J(w)
 *
 * The loop and its contract are those of exercise 7. Per update: build the
 * lower triangle of H (d, d), factor it with la_cholesky (return -1 if that
 * fails), and la_cholesky_solve(H, g, d) turns the gradient g into the Newton
 * step H⁻¹g. Near the minimum the number of correct digits doubles with every
 * step (quadratic convergence), so a handful of steps reach 1e-10.
 */
int logreg_newton(const double *X, const int *y, int n, int d, int max_iters, double tol, double *w,
                  FitTrace *trace)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)max_iters; (void)tol; (void)w; (void)trace;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 9: softmax regression: cross-entropy and its gradient (seed 003
 * §4c; Bishop eq. 4.104–4.109; Murphy PML1 §10.3)
 *
 *   z_ik = w_k·x_i,   p̂_ik = exp(z_ik) / Σ_j exp(z_ij)
 *   J(W) = −(1/n) Σ_i log p̂_{i,y_i} = (1/n) Σ_i [ logsumexp_k(z_ik) − z_{i,y_i} ]
 *   ∇_{w_k} J = (1/n) Σ_i (p̂_ik − [y_i = k]) x_i
 *
 * log-sum-exp without overflow: with m = max_k z_ik,
 * logsumexp_k(z_ik) = m + log Σ_k exp(z_ik − m) (every exponent is <= 0), and
 * p̂_ik = exp(z_ik − logsumexp). W and grad are (K, d), class k in row k.
 * Overwrite grad (when not NULL).
 */
double softmax_loss_grad(const double *X, const int *y, int n, int d, int K, const double *W, double *grad)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)y; (void)n; (void)d; (void)K; (void)W; (void)grad;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 10: fit multinomial naive Bayes with Laplace smoothing (seed 003
 * §5; Manning, Raghavan & Schütze, Introduction to Information Retrieval,
 * §13.2, eq. 13.7; Murphy PML1 §9.3)
 *
 *   log_prior[k]     = log(n_k / n)                     n_k = documents of class k
 *   log_lik[k*V + v] = log( (N_kv + α) / (N_k + α V) )  N_kv = Σ_{i: y_i = k} counts[i*V + v]
 *                                                       N_k  = Σ_v N_kv
 *
 * V, the number of distinct words (the vocabulary), is the seed's "D": α is
 * added once per word, so the smoothed probabilities of a class still sum to 1.
 * The prior is the plain maximum-likelihood estimate, not smoothed.
 */
void nb_fit(const int *counts, const int *y, int n, int K, int V, double alpha, double *log_prior, double *log_lik)
{
    /* TODO: your code here (see the comment above the function). */
    (void)counts; (void)y; (void)n; (void)K; (void)V; (void)alpha; (void)log_prior; (void)log_lik;
}

/* ======================================================================== */
/* EXERCISE 11: the naive Bayes posterior (seed 003 §5; IIR eq. 13.3–13.4)
 *
 *   s_k = log P(C_k) + Σ_v x_v log P(v | C_k)          (log of prior × likelihood)
 *   P(C_k | x) = exp(s_k) / Σ_j exp(s_j) = exp(s_k − m) / Σ_j exp(s_j − m),  m = max_j s_j
 *
 * The product of hundreds of probabilities underflows to 0 (then 0/0 = NaN),
 * its logarithm does not: work in log space and subtract the maximum before
 * exponentiating. Skip words with x_v = 0: with α = 0, log P(v|C_k) may be
 * −∞ and 0·(−∞) is NaN, not 0. (If every s_k is −∞, the posterior is
 * undefined and comes out NaN; the chapter program counts such documents.)
 */
void nb_posterior(const double *log_prior, const double *log_lik, int K, int V, const int *x, double *post)
{
    /* TODO: your code here (see the comment above the function). */
    (void)log_prior; (void)log_lik; (void)K; (void)V; (void)x; (void)post;
}

/* ======================================================================== */
/* Given: helpers, data preparation, and the softmax training loop. */

void fit_trace_push(FitTrace *t, double loss, double grad_norm)
{
    if (!t || t->len >= t->cap) return;
    t->loss[t->len] = loss;
    t->grad_norm[t->len] = grad_norm;
    t->len++;
}

void poly_features(const double *x, int n, int degree, double *X)
{
    const int d = degree + 1;
    for (int i = 0; i < n; i++) {
        double p = 1.0;
        for (int k = 0; k < d; k++, p *= x[i]) X[(size_t)i * d + k] = p;
    }
}

void center_columns(double *X, double *y, int n, int d, double *x_mean, double *y_mean, double *scale)
{
    for (int j = 0; j < d; j++) {
        double m = 0.0;
        for (int i = 0; i < n; i++) m += X[(size_t)i * d + j];
        m /= n;
        double ss = 0.0;
        for (int i = 0; i < n; i++) {
            X[(size_t)i * d + j] -= m;
            ss += X[(size_t)i * d + j] * X[(size_t)i * d + j];
        }
        if (x_mean) x_mean[j] = m;
        if (scale) {
            double s = sqrt(ss / n);
            if (s == 0.0) s = 1.0;   /* a constant column stays 0 */
            for (int i = 0; i < n; i++) X[(size_t)i * d + j] /= s;
            scale[j] = s;
        }
    }
    if (y) {
        double m = 0.0;
        for (int i = 0; i < n; i++) m += y[i];
        m /= n;
        for (int i = 0; i < n; i++) y[i] -= m;
        if (y_mean) *y_mean = m;
    }
}

double lasso_lambda_max(const double *X, const double *y, int n, int d)
{
    double best = 0.0;
    for (int j = 0; j < d; j++) {
        double s = 0.0;
        for (int i = 0; i < n; i++) s += X[(size_t)i * d + j] * y[i];
        best = fmax(best, fabs(s) / n);
    }
    return best;
}

/* Power iteration v <- Av/‖Av‖ from a start that is not orthogonal to any
 * eigenvector in practice; the Rayleigh quotient converges to λ_max. */
double sym_max_eigenvalue(const double *A, int d)
{
    double *v = xmalloc(2 * (size_t)d * sizeof *v, "power iteration");
    double *Av = v + d, lam = 0.0;
    for (int j = 0; j < d; j++) v[j] = 1.0 + 0.1 * j;
    double nv = norm2(v, d);
    for (int j = 0; j < d; j++) v[j] /= nv;
    for (int it = 0; it < 10000; it++) {
        for (int j = 0; j < d; j++) Av[j] = vec_dotd(A + (size_t)j * d, v, d);
        double next = vec_dotd(v, Av, d), na = norm2(Av, d);
        if (na == 0.0) { lam = 0.0; break; }
        for (int j = 0; j < d; j++) v[j] = Av[j] / na;
        int done = it > 0 && fabs(next - lam) <= 1e-13 * fabs(next);
        lam = next;
        if (done) break;
    }
    free(v);
    return lam;
}

int softmax_train(const double *X, const int *y, int n, int d, int K, double lr, int max_iters, double tol,
                  double *W, FitTrace *trace)
{
    double *g = xcalloc((size_t)K * (size_t)d, sizeof *g, "softmax gradient");   /* zeroed: a stub may not write it */
    int t = 0;
    for (;;) {
        double J = softmax_loss_grad(X, y, n, d, K, W, g);
        double gn = norm2(g, K * d);
        fit_trace_push(trace, J, gn);
        if (gn <= tol || t >= max_iters) break;
        vec_axpyd(W, -lr, g, K * d);
        t++;
    }
    free(g);
    return t;
}

double logreg_predict_proba(const double *w, const double *x, int d)
{
    return sigmoid(vec_dotd(w, x, d));
}

int softmax_predict(const double *W, const double *x, int d, int K)
{
    int best = 0;
    double zbest = -INFINITY;
    for (int k = 0; k < K; k++) {
        double z = vec_dotd(W + (size_t)k * d, x, d);
        if (z > zbest) { zbest = z; best = k; }
    }
    return best;
}
