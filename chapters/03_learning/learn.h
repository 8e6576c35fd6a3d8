/* learn — learning from data: least squares, ridge and lasso, logistic and
 * softmax regression, naive Bayes (chapter 03).
 *
 * Dimension key:  n = examples (rows), d = features (columns), K = classes,
 *                 V = vocabulary size (naive Bayes).
 * Layout: every matrix is row-major with no padding. X (n, d) holds feature j
 * of example i at X[i*d + j]; W (K, d) holds class k's weight vector in row k.
 * Everything is double precision.
 *
 * The bias (intercept). No function here adds one. Where a model needs an
 * intercept, the CALLER puts a column of ones into X (poly_features does: its
 * column 0 is 1), and its weight is then an ordinary coefficient:
 *   - least squares, logistic and softmax regression: add the column of ones;
 *   - ridge and lasso penalise EVERY coefficient they are given. The intercept
 *     must not be penalised (ESL §3.4.1: penalising it would make the fit
 *     depend on where the origin of y is), so do not give them a column of
 *     ones: centre the columns of X and y first (center_columns), fit without
 *     an intercept, and recover it as b = ȳ − x̄ᵀw.
 *
 * Scalings of the objectives (the code, tests and README use exactly these):
 *   least squares   J(w) = (1/n) ‖y − Xw‖²                       (seed 003 §3.1)
 *   ridge           (1/2n) ‖y − Xw‖² + (λ/2) ‖w‖²    ⇔  (XᵀX + nλI) w = Xᵀy
 *   lasso           (1/2n) ‖y − Xw‖² + λ ‖w‖₁         (glmnet's scaling)
 *   logistic        J(w) = −(1/n) Σ_i [y_i log σ(z_i) + (1 − y_i) log(1 − σ(z_i))], z_i = w·x_i
 *   softmax         J(W) = −(1/n) Σ_i log p̂_{y_i}(x_i),  p̂_k(x) = exp(w_k·x) / Σ_j exp(w_j·x)
 *
 * The exercises are the functions marked EXERCISE in solutions/03_learning/learn.c
 * (your copy: exercises/03_learning/learn.c). The rest (declared under "given")
 * is written for you.
 */
#ifndef LEARN_H
#define LEARN_H
#include <math.h>

/* How an iterative fit converged: the loops append J(w_t) and ‖∇J(w_t)‖₂ at
 * every iterate w_0 (the start), w_1, ..., so GD and Newton can be compared
 * iteration for iteration. Appending beyond cap is silently dropped. */
typedef struct {
    double *loss;       /* (cap) J(w_t) */
    double *grad_norm;  /* (cap) ‖∇J(w_t)‖₂ */
    int cap;            /* capacity of both arrays */
    int len;            /* entries written */
} FitTrace;

/* ---- exercises: regression ---------------------------------------------- */

/* Least squares by the normal equations XᵀX w = Xᵀy (seed 003 §3.2), solved
 * with Cholesky (la_cholesky), never by inverting XᵀX. X (n, d), y (n),
 * w (d) is written. Returns 0, or -1 if XᵀX is not positive definite (the
 * columns of X are linearly dependent); w is then left as it was. */
int linreg_normal_equations(const double *X, const double *y, int n, int d, double *w);

/* Gradient descent on J(w) = (1/n)‖y − Xw‖² from the w given (usually 0):
 * w <- w − lr ∇J(w), ∇J(w) = −(2/n) Xᵀ(y − Xw). At every iterate it appends
 * (J, ‖∇J‖) to trace (which may be NULL), stops as soon as ‖∇J‖₂ <= tol, and
 * makes at most max_iters updates. Returns the number of updates made. */
int linreg_gd(const double *X, const double *y, int n, int d, double lr, int max_iters, double tol,
              double *w, FitTrace *trace);

/* Ridge regression in closed form: the minimiser of (1/2n)‖y − Xw‖² + (λ/2)‖w‖²,
 * i.e. the solution of (XᵀX + nλI) w = Xᵀy, for λ >= 0. Every coefficient is
 * penalised (see "The bias" above). Returns 0, or -1 if the system is not
 * positive definite (only possible for λ = 0). */
int ridge_closed_form(const double *X, const double *y, int n, int d, double lambda, double *w);

/* The soft-thresholding operator S(z, γ) = sign(z)·max(|z| − γ, 0), γ >= 0. */
double soft_threshold(double z, double gamma);

/* The lasso by cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010):
 * minimises (1/2n)‖y − Xw‖² + λ‖w‖₁. w (d) holds a warm start on entry (zeros,
 * or the solution at a nearby λ) and the solution on return. Sweeps j = 0..d−1
 * in order until no coefficient changes by more than tol in a sweep, at most
 * max_sweeps sweeps. Every column must be non-zero. Returns the number of sweeps. */
int lasso_coordinate_descent(const double *X, const double *y, int n, int d, double lambda, double tol,
                             int max_sweeps, double *w);

/* ---- exercises: classification ----------------------------------------- */

/* The logistic loss (mean negative log-likelihood, seed 003 §4a) of labels
 * y (n) in {0, 1} under w (d), returned; its gradient
 * ∇J = (1/n) Σ_i (σ(w·x_i) − y_i) x_i is written to grad (d) (overwritten, not
 * added to) unless grad is NULL. Must stay finite for |w·x| in the thousands. */
double logreg_loss_grad(const double *X, const int *y, int n, int d, const double *w, double *grad);

/* Gradient descent on the logistic loss from the w given: w <- w − lr ∇J(w).
 * Appends (J, ‖∇J‖) at every iterate to trace (may be NULL), stops when
 * ‖∇J‖₂ <= tol, at most max_iters updates. Returns the number of updates. */
int logreg_gd(const double *X, const int *y, int n, int d, double lr, int max_iters, double tol, double *w,
              FitTrace *trace);

/* Newton's method on the logistic loss (seed 003 §4b; ESL §4.4.1 "IRLS"):
 * w <- w − H⁻¹∇J(w), H = (1/n) Σ_i σ_i(1 − σ_i) x_i x_iᵀ, solved with Cholesky.
 * Same trace, tolerance and return contract as logreg_gd; returns -1 if a
 * Hessian is not positive definite. */
int logreg_newton(const double *X, const int *y, int n, int d, int max_iters, double tol, double *w,
                  FitTrace *trace);

/* The softmax cross-entropy J(W) of labels y (n) in 0..K−1 under W (K, d),
 * returned; its gradient ∇_{w_k} J = (1/n) Σ_i (p̂_k(x_i) − [y_i = k]) x_i is
 * written to grad (K, d) (overwritten) unless grad is NULL. Must stay finite
 * for logits in the thousands (log-sum-exp). */
double softmax_loss_grad(const double *X, const int *y, int n, int d, int K, const double *W, double *grad);

/* ---- exercises: naive Bayes --------------------------------------------- */

/* Fit multinomial naive Bayes to word counts: counts (n, V) holds how often
 * word v occurs in document i, y (n) the class in 0..K−1. Writes
 *   log_prior (K)   log P(C_k) = log(n_k / n)         (maximum likelihood, unsmoothed)
 *   log_lik (K, V)  log P(v | C_k) = log((N_kv + α) / (N_k + αV))   (Laplace/Lidstone)
 * with N_kv the count of word v over class k's documents and N_k = Σ_v N_kv.
 * α >= 0; α = 0 is the unsmoothed maximum likelihood (log 0 = −∞ allowed). */
void nb_fit(const int *counts, const int *y, int n, int K, int V, double alpha, double *log_prior, double *log_lik);

/* The posterior P(C_k | x) (K) of one document x (V) of word counts, computed
 * in log space: log P(C_k) + Σ_v x_v log P(v | C_k), normalised by log-sum-exp
 * (the multinomial coefficient is the same for every class and cancels).
 * A class with log-probability −∞ gets posterior 0. */
void nb_posterior(const double *log_prior, const double *log_lik, int K, int V, const int *x, double *post);

/* ---- given ---------------------------------------------------------------- */

void fit_trace_push(FitTrace *t, double loss, double grad_norm);   /* NULL-safe */

/* Three one-liners, static inline so that no other chapter's sigmoid can clash
 * with them at link time. */

/* ‖x‖₂ */
static inline double norm2(const double *x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += x[i] * x[i];
    return sqrt(s);
}

/* σ(z) = 1/(1 + e^{−z}). Both branches take exp of a number <= 0, so neither
 * overflows, for any z. */
static inline double sigmoid(double z)
{
    if (z >= 0) return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

/* log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}): no overflow for large z, no
 * loss of precision for very negative z (where it is ≈ e^z). */
static inline double log1pexp(double z)
{
    return (z > 0 ? z : 0.0) + log1p(exp(-fabs(z)));
}

/* Polynomial features of x (n): X (n, degree+1), X[i][p] = x_i^p (column 0 = 1). */
void poly_features(const double *x, int n, int degree, double *X);

/* Centre the columns of X (n, d) and y (n) in place; writes their means to
 * x_mean (d) and *y_mean (either may be NULL; y may be NULL). With
 * scale != NULL, also divides column j by its root mean square after centring
 * ((1/n) Σ_i x_ij² = 1, "standardised") and writes that divisor to scale (d). */
void center_columns(double *X, double *y, int n, int d, double *x_mean, double *y_mean, double *scale);

/* The smallest λ at which the lasso solution is w = 0: max_j |X_jᵀy| / n. */
double lasso_lambda_max(const double *X, const double *y, int n, int d);

/* The largest eigenvalue of the symmetric A (d, d), by power iteration (for
 * step sizes: GD on a quadratic with Hessian A is stable for lr < 2/λ_max). */
double sym_max_eigenvalue(const double *A, int d);

/* Gradient descent on the softmax loss from the W given, using
 * softmax_loss_grad. Same trace, tolerance and return contract as logreg_gd. */
int softmax_train(const double *X, const int *y, int n, int d, int K, double lr, int max_iters, double tol,
                  double *W, FitTrace *trace);

/* P(y = 1 | x) = σ(w·x) for one example x (d). */
double logreg_predict_proba(const double *w, const double *x, int d);
/* argmax_k w_k·x for one example x (d) under W (K, d). */
int softmax_predict(const double *W, const double *x, int d, int K);

#endif
