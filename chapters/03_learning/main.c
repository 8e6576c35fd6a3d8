/* 03_learning — learning from data: regression, regularisation, logistic and
 * softmax regression, naive Bayes, on generated data sets.
 *
 * What it shows:
 *   1. Least squares with polynomial features on a noisy sin curve (Bishop
 *      PRML §1.1): fits of degree 1, 3 and 9 by the normal equations, degree 9
 *      with ridge; gradient descent reaches the normal-equation solution at the
 *      linear rate its condition number predicts.
 *   2. Ridge and lasso coefficient paths over λ on a sparse problem with
 *      correlated features (Tibshirani 1996, §7.2 example 1): ridge shrinks
 *      every coefficient smoothly, the lasso sets them to exactly zero one by one.
 *   3. Logistic regression on two overlapping classes: gradient descent against
 *      Newton's method (linear vs quadratic convergence), and the decision boundary.
 *   4. Softmax regression on three classes: decision regions.
 *   5. Multinomial naive Bayes on a generated spam/ham corpus: how the
 *      smoothing strength α changes held-out accuracy and log-loss.
 * All data is generated from --seed; the same seed gives the same numbers.
 */
#include "cli.h"
#include "datasets.h"
#include "learn.h"
#include "linalg.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "util.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ helpers */

static double *dalloc(size_t n, const char *what) { return xcalloc(n ? n : 1, sizeof(double), what); }

static double target_sin(double x) { return sin(M_PI * x); }

/* Root mean square of y − Xw. */
static double rmse(const double *X, const double *y, int n, int d, const double *w)
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        double r = y[i] - vec_dotd(X + (size_t)i * d, w, d);
        s += r * r;
    }
    return sqrt(s / n);
}

/* (scale/n) XᵀX into A (d, d), full (both triangles). */
static void gram(const double *X, int n, int d, double scale, double *A)
{
    memset(A, 0, (size_t)d * d * sizeof *A);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++) A[j * d + k] += scale * X[(size_t)i * d + j] * X[(size_t)i * d + k] / n;
}

/* Smallest eigenvalue of a symmetric positive semi-definite A with known
 * largest L: the largest of L·I − A is L − λ_min. */
static double sym_min_eigenvalue(const double *A, int d, double L)
{
    double *B = dalloc((size_t)d * d, "L·I − A");
    for (int j = 0; j < d * d; j++) B[j] = -A[j];
    for (int j = 0; j < d; j++) B[j * d + j] += L;
    double m = L - sym_max_eigenvalue(B, d);
    free(B);
    return m;
}

/* X (n, 3) = [1, x1, x2] from points P (n, 2). */
static void with_bias(const double *P, int n, double *X)
{
    for (int i = 0; i < n; i++) {
        X[3 * i] = 1;
        X[3 * i + 1] = P[2 * i];
        X[3 * i + 2] = P[2 * i + 1];
    }
}

/* Correlated features with corr(x_j, x_k) = ρ^|j−k| (an AR(1) chain), and
 * y = X w_true + N(0, σ²) (Tibshirani 1996, §7.2, example 1: ρ = 0.5, σ = 3). */
static void sparse_problem(Rng *r, int n, int d, const double *w_true, double rho, double sigma, double *X,
                           double *y)
{
    for (int i = 0; i < n; i++) {
        double prev = rng_normal(r);
        y[i] = 0;
        for (int j = 0; j < d; j++) {
            double x = j == 0 ? prev : rho * prev + sqrt(1 - rho * rho) * rng_normal(r);
            X[(size_t)i * d + j] = x;
            prev = x;
            y[i] += w_true[j] * x;
        }
        y[i] += sigma * rng_normal(r);
    }
}

/* ------------------------------------------------------------ 2-D decision maps
 *
 * A map covers the data's bounding box, widened by ½ and out to whole numbers,
 * in square cells of side h (resolution cells across the longer side); drawn
 * with plot_map / plot_class_map in data coordinates, row 0 at the bottom. */
typedef struct {
    double lo[2], hi[2];   /* the rectangle the cells tile: x1 in [lo0, hi0], x2 in [lo1, hi1] */
    int nx, ny;            /* cells along x1 and x2 */
} MapGrid;

static MapGrid map_grid(const double *P, int n, int resolution)
{
    MapGrid g;
    for (int a = 0; a < 2; a++) {
        g.lo[a] = INFINITY; g.hi[a] = -INFINITY;
        for (int i = 0; i < n; i++) { g.lo[a] = fmin(g.lo[a], P[2 * i + a]); g.hi[a] = fmax(g.hi[a], P[2 * i + a]); }
        g.lo[a] = floor(g.lo[a] - 0.5);
        g.hi[a] = ceil(g.hi[a] + 0.5);
    }
    double h = fmax(g.hi[0] - g.lo[0], g.hi[1] - g.lo[1]) / resolution;
    g.nx = (int)ceil((g.hi[0] - g.lo[0]) / h - 1e-9);
    g.ny = (int)ceil((g.hi[1] - g.lo[1]) / h - 1e-9);
    g.hi[0] = g.lo[0] + g.nx * h;   /* the cells cover exactly [lo, hi] */
    g.hi[1] = g.lo[1] + g.ny * h;
    return g;
}

/* x (3) = [1, x1, x2] at the centre of cell (i, j): column i, row j from the bottom. */
static void map_centre(const MapGrid *g, int i, int j, double *x)
{
    x[0] = 1;
    x[1] = g->lo[0] + (i + 0.5) * (g->hi[0] - g->lo[0]) / g->nx;
    x[2] = g->lo[1] + (j + 0.5) * (g->hi[1] - g->lo[1]) / g->ny;
}

/* The training points P (n, 2) on the map, coloured by class. */
static void map_points(Plot *p, const double *P, const int *y, int n)
{
    double *x1 = dalloc(2 * (size_t)n, "point coordinates"), *x2 = x1 + n;
    for (int i = 0; i < n; i++) { x1[i] = P[2 * i]; x2[i] = P[2 * i + 1]; }
    plot_classes(p, x1, x2, y, n, "class");
    free(x1);
}

/* ------------------------------------------------------------------ naive Bayes corpus */

#define NB_V 16
static const char *const NB_WORDS[NB_V] = {
    "meeting", "report", "project", "lunch", "schedule", "team", "agenda", "minutes",
    "free", "win", "money", "click", "offer", "prize", "lottery", "jackpot",
};
/* Relative word frequencies per class (0 = ham, 1 = spam). The last words of
 * each group are rare, so small training sets miss them: that is where
 * smoothing matters. */
static const double NB_WEIGHTS[2][NB_V] = {
    { 5, 4, 4, 3, 3, 4, 0.5, 0.5,   2, 1, 2, 1, 1.5, 0.3, 0.1, 0.05 },
    { 1.5, 1, 1, 1.5, 0.5, 1, 0.05, 0.1,   5, 3, 4, 3, 3, 1.5, 0.6, 0.5 },
};

/* n documents, classes alternating (i % 2), 3..12 words each: counts (n, V). */
static void nb_corpus(Rng *r, int n, int *counts, int *y)
{
    memset(counts, 0, (size_t)n * NB_V * sizeof *counts);
    for (int i = 0; i < n; i++) {
        y[i] = i % 2;
        int len = 3 + rng_int(r, 10);
        for (int w = 0; w < len; w++) counts[(size_t)i * NB_V + rng_categorical(r, NB_WEIGHTS[y[i]], NB_V)]++;
    }
}

/* Held-out accuracy, mean log-loss −log P(true class | x) (inf if any true
 * class gets probability 0), and the number of documents whose posterior is
 * undefined (NaN: every class impossible). */
static void nb_evaluate(const double *lp, const double *ll, const int *counts, const int *y, int n, double *acc,
                        double *logloss, int *undefined)
{
    int correct = 0, nan_docs = 0;
    double loss = 0;
    for (int i = 0; i < n; i++) {
        double post[2] = { 0, 0 };
        nb_posterior(lp, ll, 2, NB_V, counts + (size_t)i * NB_V, post);
        if (isnan(post[0]) || isnan(post[1])) { nan_docs++; continue; }
        correct += (post[1] > post[0]) == (y[i] == 1);
        loss += -log(post[y[i]]);
    }
    *acc = (double)correct / n;
    *logloss = nan_docs == n ? NAN : loss / (n - nan_docs);
    *undefined = nan_docs;
}

/* ------------------------------------------------------------------ the run */

/* The command line, shared by every section. */
typedef struct {
    PlotOpts po;           /* figure format and folder */
    int quiet;             /* no progress display */
    int n_cls;             /* training (and held-out) points of the sparse and classification sets */
    int n_reg;             /* training points of the 1-D regression set */
    double noise;          /* its noise std */
    int lambda_points;     /* λ values on the paths */
    int resolution;        /* cells across a decision map */
    int nb_docs, nb_reps;  /* naive Bayes: training documents per set, number of sets */
    int gd_iters;          /* most gradient-descent updates per fit */
} Setup;

/* A loss that became NaN or infinite means a wrong gradient (every step here
 * is 1/L, stable for a correct one): stop instead of drawing garbage. */
static void require_finite(const FitTrace *tr, const char *what)
{
    if (tr->len > 0 && !isfinite(tr->loss[tr->len - 1]))
        die(1, "%s: the loss became %g after %d updates. The step 1/L is stable for a correct gradient: check its "
               "sign and its 1/n factor (make check CH=03).", what, tr->loss[tr->len - 1], tr->len - 1);
}

/* ================================================================== 1. least squares
 * Polynomial fits of a noisy sin curve by the normal equations (and ridge),
 * then gradient descent on the degree-3 problem against its linear-rate bound. */
static int section_least_squares(const Setup *s, Rng *rng)
{
    const int n_reg = s->n_reg, gd_iters = s->gd_iters;
    const double noise = s->noise;
    int failures = 0;
    enum { MAXDEG = 9, NCURVE = 200, NTEST = 1000 };
    double *xr = dalloc((size_t)n_reg, "x"), *yr = dalloc((size_t)n_reg, "y");
    double *xt = dalloc(NTEST, "x test"), *yt = dalloc(NTEST, "y test");
    ds_regression_1d(rng, xr, yr, n_reg, -1, 1, target_sin, noise);
    ds_regression_1d(rng, xt, yt, NTEST, -1, 1, target_sin, noise);
    double *Xr = dalloc((size_t)n_reg * (MAXDEG + 1), "poly features"), *Xt = dalloc(NTEST * (MAXDEG + 1), "test");
    double xc[NCURVE], Xc[NCURVE * (MAXDEG + 1)], curves[5][NCURVE];
    for (int i = 0; i < NCURVE; i++) { xc[i] = -1 + 2.0 * i / (NCURVE - 1); curves[0][i] = target_sin(xc[i]); }
    printf("\n[1] Least squares, y = sin(pi x) + N(0, %.2f^2), %d training / %d test points in [-1, 1]\n", noise, n_reg,
           NTEST);
    printf("    degree  method                 train RMSE  test RMSE   ||w||\n");
    const int degrees[3] = { 1, 3, 9 };
    double w3_ne[4] = { 0 };
    for (int k = 0; k < 3; k++) {
        int deg = degrees[k], d = deg + 1;
        double w[MAXDEG + 1] = { 0 };
        poly_features(xr, n_reg, deg, Xr);
        poly_features(xt, NTEST, deg, Xt);
        poly_features(xc, NCURVE, deg, Xc);
        if (linreg_normal_equations(Xr, yr, n_reg, d, w) != 0) {
            printf("    %6d  normal equations: XᵀX not positive definite (too few distinct points?)\n", deg);
            for (int i = 0; i < NCURVE; i++) curves[1 + k][i] = NAN;
            continue;
        }
        if (deg == 3) memcpy(w3_ne, w, sizeof w3_ne);
        printf("    %6d  normal equations       %10.4f  %9.4f  %8.3g\n", deg, rmse(Xr, yr, n_reg, d, w),
               rmse(Xt, yt, NTEST, d, w), norm2(w, d));
        for (int i = 0; i < NCURVE; i++) curves[1 + k][i] = vec_dotd(Xc + (size_t)i * d, w, d);
    }
    /* degree 9 with ridge: centre the features (not the ones column) and y, so the intercept is not penalised */
    const double ridge_lambda = 1e-3;
    {
        const int d = MAXDEG;   /* x^1 .. x^9 */
        double *F = dalloc((size_t)n_reg * d, "features"), ym, xm[MAXDEG], w[MAXDEG], *yc = dalloc((size_t)n_reg, "yc");
        poly_features(xr, n_reg, MAXDEG, Xr);
        for (int i = 0; i < n_reg; i++) memcpy(F + (size_t)i * d, Xr + (size_t)i * (d + 1) + 1, d * sizeof *F);
        memcpy(yc, yr, (size_t)n_reg * sizeof *yc);
        center_columns(F, yc, n_reg, d, xm, &ym, NULL);
        if (ridge_closed_form(F, yc, n_reg, d, ridge_lambda, w) == 0) {
            double wf[MAXDEG + 1];   /* as a polynomial: w0 = ȳ − x̄ᵀw */
            wf[0] = ym - vec_dotd(xm, w, d);
            memcpy(wf + 1, w, sizeof w);
            poly_features(xt, NTEST, MAXDEG, Xt);
            poly_features(xc, NCURVE, MAXDEG, Xc);
            printf("    %6d  ridge, lambda = %-7g %10.4f  %9.4f  %8.3g  (intercept not penalised)\n", MAXDEG,
                   ridge_lambda, rmse(Xr, yr, n_reg, MAXDEG + 1, wf), rmse(Xt, yt, NTEST, MAXDEG + 1, wf),
                   norm2(wf, MAXDEG + 1));
            for (int i = 0; i < NCURVE; i++) curves[4][i] = vec_dotd(Xc + (size_t)i * (MAXDEG + 1), wf, MAXDEG + 1);
        } else {
            for (int i = 0; i < NCURVE; i++) curves[4][i] = NAN;
        }
        free(yc); free(F);
    }
    Plot *p = plot_begin(&s->po, "linreg_poly_fits", "Least squares with polynomial features (cf. Bishop PRML Fig. 1.4)");
    if (p) {
        plot_labels(p, "x", "y");
        plot_yrange(p, -2, 2);
        plot_points(p, xr, yr, n_reg, "training data");
        plot_next_style(p, "lc rgb '#000000'");
        plot_line(p, xc, curves[0], NCURVE, "true f(x) = sin(πx)");
        plot_line(p, xc, curves[1], NCURVE, "degree 1");
        plot_line(p, xc, curves[2], NCURVE, "degree 3");
        plot_line(p, xc, curves[3], NCURVE, "degree 9");
        char leg[64];
        snprintf(leg, sizeof leg, "degree 9, ridge λ = %g", ridge_lambda);
        plot_line(p, xc, curves[4], NCURVE, leg);
    }
    failures += plot_end(p) != 0;

    /* GD on the degree-3 problem, step 1/L */
    {
        const int d = 4;
        double A[16], w[4] = { 0 };
        poly_features(xr, n_reg, 3, Xr);
        gram(Xr, n_reg, d, 2.0, A);   /* the Hessian of J: (2/n) XᵀX */
        double L = sym_max_eigenvalue(A, d), mu = sym_min_eigenvalue(A, d, L);
        FitTrace tr = { dalloc((size_t)gd_iters + 1, "GD loss"), dalloc((size_t)gd_iters + 1, "GD grad"),
                        gd_iters + 1, 0 };
        double t0 = progress_now();
        int t = linreg_gd(Xr, yr, n_reg, d, 1.0 / L, gd_iters, 1e-10, w, &tr);
        require_finite(&tr, "least-squares gradient descent (linreg_gd)");
        double secs = progress_now() - t0, diff[4];
        for (int j = 0; j < d; j++) diff[j] = w[j] - w3_ne[j];
        double Jstar = rmse(Xr, yr, n_reg, d, w3_ne);
        Jstar *= Jstar;
        printf("    GD on degree 3 (step 1/L, L = %.4g, condition number L/mu = %.4g): %d updates to ||grad J|| <= 1e-10"
               " (%.2f ms)%s\n", L, L / mu, t, 1e3 * secs, t >= gd_iters ? " -- NOT converged, raise --gd-iters" : "");
        printf("    ||w_gd - w_normal_equations|| = %.3g\n", norm2(diff, d));
        double *it = dalloc((size_t)tr.len, "iterations"), *gap = dalloc((size_t)tr.len, "gap"),
               *bound = dalloc((size_t)tr.len, "bound");
        for (int k = 0; k < tr.len; k++) {
            it[k] = k;
            /* below ~100 ulp of J* the difference is rounding noise: not drawn */
            gap[k] = tr.loss[k] - Jstar > 100 * DBL_EPSILON * Jstar ? tr.loss[k] - Jstar : NAN;
            bound[k] = (tr.loss[0] - Jstar) * pow(1 - mu / L, 2.0 * k);
        }
        p = plot_begin(&s->po, "linreg_gd_convergence", "Gradient descent on least squares (degree 3): linear convergence");
        if (p) {
            plot_labels(p, "iteration t", "J(w_t) − J(w*)");
            plot_log(p, "y");
            plot_line(p, it, gap, tr.len, "gradient descent, step 1/L");
            plot_line(p, it, bound, tr.len, "bound (J_0 − J*)(1 − μ/L)^{2t}");
        }
        failures += plot_end(p) != 0;
        free(bound); free(gap); free(it); free(tr.loss); free(tr.grad_norm);
    }
    free(Xt); free(Xr); free(yt); free(xt); free(yr); free(xr);
    return failures;
}

/* ================================================================== 2. ridge and lasso paths
 * Both estimators over the same λ grid on a sparse problem with correlated
 * features; the lasso path is warm-started from large λ down. */
static int section_paths(const Setup *s, Rng *rng)
{
    const int ns = s->n_cls, lambda_points = s->lambda_points;
    int failures = 0;
    enum { DS = 8 };
    static const double w_true[DS] = { 3, 1.5, 0, 0, 2, 0, 0, 0 };
    double *Xs = dalloc((size_t)ns * DS, "sparse X"), *ys = dalloc((size_t)ns, "sparse y"), scale[DS], xmean[DS], ymean;
    sparse_problem(rng, ns, DS, w_true, 0.5, 3.0, Xs, ys);
    center_columns(Xs, ys, ns, DS, xmean, &ymean, scale);
    const double lmax = lasso_lambda_max(Xs, ys, ns, DS);
    const int nl = lambda_points;
    double *lam = dalloc((size_t)nl, "lambdas"), *path_r = dalloc((size_t)nl * DS, "ridge path"),
           *path_l = dalloc((size_t)nl * DS, "lasso path");
    for (int k = 0; k < nl; k++) lam[k] = lmax * pow(10.0, 2.0 - 5.0 * k / (nl - 1));   /* 100 λ_max .. 1e-3 λ_max */
    printf("\n[2] Ridge and lasso paths: n = %d, %d standardised features with corr 0.5^|j-k|, noise std 3,\n"
           "    true w = (3, 1.5, 0, 0, 2, 0, 0, 0) (Tibshirani 1996, example 1); %d values of lambda from 100 to 1e-3 "
           "lambda_max\n", ns, DS, nl);
    printf("    lambda_max = max_j |X_j^T y|/n = %.4f\n", lmax);
    Progress pr;
    progress_start(&pr, "lambda path", nl, s->quiet);
    double w_l[DS] = { 0 }, worst_kkt = 0;
    long total_sweeps = 0;
    for (int k = 0; k < nl; k++) {   /* from large λ to small, each lasso warm-started from the last */
        if (ridge_closed_form(Xs, ys, ns, DS, lam[k], path_r + (size_t)k * DS) != 0)
            for (int j = 0; j < DS; j++) path_r[(size_t)k * DS + j] = NAN;
        total_sweeps += lasso_coordinate_descent(Xs, ys, ns, DS, lam[k], 1e-12, 100000, w_l);
        memcpy(path_l + (size_t)k * DS, w_l, sizeof w_l);
        for (int j = 0; j < DS; j++) {   /* KKT: c_j = λ sign(w_j) if w_j ≠ 0, |c_j| <= λ if w_j = 0 */
            double c = 0;
            for (int i = 0; i < ns; i++)
                c += Xs[(size_t)i * DS + j] * (ys[i] - vec_dotd(Xs + (size_t)i * DS, w_l, DS)) / ns;
            double v = w_l[j] != 0 ? fabs(c - lam[k] * (w_l[j] > 0 ? 1 : -1)) : fmax(0, fabs(c) - lam[k]);
            worst_kkt = fmax(worst_kkt, v / lam[k]);
        }
        progress_update(&pr, k + 1, "lambda %.3g", lam[k]);
    }
    progress_finish(&pr);
    printf("    lasso: %ld coordinate-descent sweeps along the path; worst KKT violation / lambda = %.2g\n",
           total_sweeps, worst_kkt);
    printf("    coefficient  true  OLS(lambda->0)  largest grid lambda with lasso w_j != 0\n");
    {
        double w_ols[DS];
        int ok = linreg_normal_equations(Xs, ys, ns, DS, w_ols) == 0;
        for (int j = 0; j < DS; j++) {
            int last = -1;
            for (int k = 0; k < nl && last < 0; k++) if (path_l[(size_t)k * DS + j] != 0) last = k;
            /* w_true is in the original units; the fit is in standardised units: w_std = w · scale */
            printf("    w_%d         %4.1f  %8.3f        ", j + 1, w_true[j], ok ? w_ols[j] / scale[j] : NAN);
            if (last < 0) printf("never non-zero on the grid\n");
            else printf("%.4g%s\n", lam[last], last == 0 ? " (the top of the grid)" : "");
        }
    }
    Plot *p = plot_begin_multi(&s->po, "ridge_lasso_paths", "Coefficient paths on standardised features", 1, 2);
    if (p) {
        plot_size(p, 1200, 520);
        char name[16];
        double col[2000];
        for (int panel = 0; panel < 2; panel++) {
            const double *path = panel == 0 ? path_r : path_l;
            plot_panel(p, panel == 0 ? "ridge: (1/2n)‖y − Xw‖² + (λ/2)‖w‖²" : "lasso: (1/2n)‖y − Xw‖² + λ‖w‖_1");
            plot_labels(p, "λ", "coefficient w_j (standardised features)");
            plot_log(p, "x");
            plot_vline(p, lmax, "λ_{max}");
            for (int j = 0; j < DS; j++) {
                for (int k = 0; k < nl; k++) col[k] = path[(size_t)k * DS + j];
                snprintf(name, sizeof name, "w_%d", j + 1);
                plot_line(p, lam, col, nl, name);
            }
        }
    }
    failures += plot_end(p) != 0;
    free(path_l); free(path_r); free(lam); free(ys); free(Xs);
    return failures;
}

/* ================================================================== 3. logistic regression
 * Newton and gradient descent from w = 0 on two overlapping classes; the
 * probability map with its boundary. */
static int section_logistic(const Setup *s, Rng *rng)
{
    const int nc = s->n_cls, gd_iters = s->gd_iters, resolution = s->resolution;
    int failures = 0;
    static const double c2[4] = { -1, -0.5, 1, 0.5 };
    double *P2 = dalloc((size_t)nc * 2, "points"), *P2t = dalloc((size_t)nc * 2, "test points");
    double *X2 = dalloc((size_t)nc * 3, "X"), *X2t = dalloc((size_t)nc * 3, "X test");
    int *y2 = xcalloc((size_t)nc, sizeof(int), "labels"), *y2t = xcalloc((size_t)nc, sizeof(int), "test labels");
    ds_blobs(rng, P2, y2, nc, 2, c2, 1.0);
    ds_blobs(rng, P2t, y2t, nc, 2, c2, 1.0);
    with_bias(P2, nc, X2);
    with_bias(P2t, nc, X2t);
    double w_nt[3] = { 0 }, w_gd[3] = { 0 }, A3[9];
    FitTrace tr_nt = { dalloc(64, "loss"), dalloc(64, "grad"), 64, 0 };
    FitTrace tr_gd = { dalloc((size_t)gd_iters + 1, "loss"), dalloc((size_t)gd_iters + 1, "grad"), gd_iters + 1, 0 };
    gram(X2, nc, 3, 0.25, A3);   /* the Hessian is at most (1/4n) XᵀX */
    double L3 = sym_max_eigenvalue(A3, 3);
    double t0 = progress_now();
    int it_nt = logreg_newton(X2, y2, nc, 3, 50, 1e-10, w_nt, &tr_nt);
    require_finite(&tr_nt, "Newton's method (logreg_newton)");
    double s_nt = progress_now() - t0;
    t0 = progress_now();
    int it_gd = logreg_gd(X2, y2, nc, 3, 1.0 / L3, gd_iters, 1e-10, w_gd, &tr_gd);
    require_finite(&tr_gd, "logistic gradient descent (logreg_gd)");
    double s_gd = progress_now() - t0;
    double dw[3], acc_tr = 0, acc_te = 0;
    for (int j = 0; j < 3; j++) dw[j] = w_gd[j] - w_nt[j];
    for (int i = 0; i < nc; i++) {
        acc_tr += (logreg_predict_proba(w_nt, X2 + 3 * i, 3) > 0.5) == (y2[i] == 1);
        acc_te += (logreg_predict_proba(w_nt, X2t + 3 * i, 3) > 0.5) == (y2t[i] == 1);
    }
    acc_tr /= nc; acc_te /= nc;
    printf("\n[3] Logistic regression: two Gaussian classes at (-1,-0.5) and (1,0.5), std 1, %d train + %d test points\n",
           nc, nc);
    printf("    Newton: %d steps to ||grad J|| <= 1e-10 (%.2f ms); gradient descent (step 1/L, L = %.4g): %d updates "
           "(%.2f ms)%s\n", it_nt, 1e3 * s_nt, L3, it_gd, 1e3 * s_gd, it_gd >= gd_iters ? " -- NOT converged" : "");
    if (it_nt < 0 || it_nt >= 50)
        printf("    Newton did not converge (%s): are the classes linearly separable? Then no minimiser exists.\n",
               it_nt < 0 ? "a Hessian was not positive definite" : "50 steps");
    printf("    ||grad J|| per Newton step:");
    for (int k = 0; k < tr_nt.len; k++) printf(" %.1e", tr_nt.grad_norm[k]);
    const double Jstar = tr_nt.len ? tr_nt.loss[tr_nt.len - 1] : NAN;   /* an empty trace: unfinished exercise */
    printf("\n    w = (%.4f, %.4f, %.4f), J* = %.6f, ||w_gd - w_newton|| = %.2g\n", w_nt[0], w_nt[1], w_nt[2], Jstar,
           norm2(dw, 3));
    printf("    accuracy: train %.3f, held-out %.3f\n", acc_tr, acc_te);
    if (acc_tr == 1.0)
        printf("    note: this training set is linearly separable, so the loss has no minimiser: ||w|| grows without\n"
               "    bound, ||grad J|| decays only linearly, and Newton loses its quadratic convergence. More --samples.\n");
    {
        int len = tr_gd.len;
        double *x = dalloc((size_t)len, "iterations"), *gap_gd = dalloc((size_t)len, "gap"), gap_nt[64];
        for (int k = 0; k < len; k++) {
            x[k] = k;
            gap_gd[k] = tr_gd.loss[k] - Jstar > 100 * DBL_EPSILON * Jstar ? tr_gd.loss[k] - Jstar : NAN;
        }
        for (int k = 0; k < tr_nt.len; k++)
            gap_nt[k] = tr_nt.loss[k] - Jstar > 100 * DBL_EPSILON * Jstar ? tr_nt.loss[k] - Jstar : NAN;
        int zoom = len < 30 ? len : 30;
        Plot *p = plot_begin_multi(&s->po, "logreg_gd_vs_newton",
                                   "Logistic regression: gradient descent vs Newton's method", 1, 2);
        if (p) {
            plot_size(p, 1200, 520);
            plot_panel(p, "loss gap, all iterations");
            plot_labels(p, "iteration t", "J(w_t) − J*");
            plot_log(p, "y");
            plot_line(p, x, gap_gd, len, "gradient descent (step 1/L)");
            plot_line(p, x, gap_nt, tr_nt.len, "Newton");
            plot_panel(p, "gradient norm, first 30 iterations");
            plot_labels(p, "iteration t", "‖∇J(w_t)‖");
            plot_log(p, "y");
            plot_xrange(p, 0, zoom - 1);
            plot_line(p, x, tr_gd.grad_norm, zoom, "gradient descent (step 1/L)");
            plot_line(p, x, tr_nt.grad_norm, tr_nt.len, "Newton");
        }
        failures += plot_end(p) != 0;
        free(gap_gd); free(x);
    }
    {
        MapGrid g = map_grid(P2, nc, resolution);
        double *z = dalloc((size_t)g.nx * g.ny, "probability map"), xv[3];
        for (int j = 0; j < g.ny; j++)
            for (int i = 0; i < g.nx; i++) {
                map_centre(&g, i, j, xv);
                z[(size_t)j * g.nx + i] = logreg_predict_proba(w_nt, xv, 3);
            }
        Plot *p = plot_begin(&s->po, "logreg_decision_boundary",
                       "Logistic regression (Newton): P(y = 1 | x) and the boundary P = 1/2");
        if (p) {
            plot_size(p, 760, 760);
            plot_labels(p, "x_1", "x_2");
            plot_equal_axes(p);
            plot_palette(p, PLOT_PALETTE_DIVERGING);
            plot_cbrange(p, 0, 1);
            plot_map(p, z, g.nx, g.ny, g.lo[0], g.hi[0], g.lo[1], g.hi[1], "P(y = 1 | x)");
            map_points(p, P2, y2, nc);
            /* the boundary w0 + w1 x1 + w2 x2 = 0 where it crosses the map */
            double bx[2] = { 0, 0 }, by[2] = { 0, 0 };
            int found = 0;
            for (int k = 0; k <= 4000; k++) {
                double x1 = g.lo[0] + (g.hi[0] - g.lo[0]) * k / 4000.0, x2 = -(w_nt[0] + w_nt[1] * x1) / w_nt[2];
                if (!(x2 >= g.lo[1] && x2 <= g.hi[1])) continue;   /* also skips NaN (w2 = 0) */
                if (!found) { bx[0] = x1; by[0] = x2; found = 1; }
                bx[1] = x1; by[1] = x2;
            }
            if (found) {
                plot_next_style(p, "lc rgb '#000000' lw 2.5");
                plot_line(p, bx, by, 2, NULL);
            }
        }
        failures += plot_end(p) != 0;
        free(z);
    }
    free(tr_gd.loss); free(tr_gd.grad_norm); free(tr_nt.loss); free(tr_nt.grad_norm);
    free(y2t); free(y2); free(X2t); free(X2); free(P2t); free(P2);
    return failures;
}

/* ================================================================== 4. softmax regression
 * Gradient descent on three classes; the predicted-class map. */
static int section_softmax(const Setup *s, Rng *rng)
{
    const int nc = s->n_cls, gd_iters = s->gd_iters, resolution = s->resolution;
    int failures = 0;
    enum { K3 = 3 };
    static const double c3[2 * K3] = { -1.5, -1, 1.5, -1, 0, 1.5 };
    double *P3 = dalloc((size_t)nc * 2, "points"), *P3t = dalloc((size_t)nc * 2, "test points");
    double *X3 = dalloc((size_t)nc * 3, "X"), *X3t = dalloc((size_t)nc * 3, "X test");
    int *y3 = xcalloc((size_t)nc, sizeof(int), "labels"), *y3t = xcalloc((size_t)nc, sizeof(int), "test labels");
    ds_blobs(rng, P3, y3, nc, K3, c3, 1.2);
    ds_blobs(rng, P3t, y3t, nc, K3, c3, 1.2);
    with_bias(P3, nc, X3);
    with_bias(P3t, nc, X3t);
    double W3[K3 * 3] = { 0 };
    double A3[9];
    gram(X3, nc, 3, 0.5, A3);   /* the softmax Hessian is at most (1/2n) XᵀX ⊗ I */
    double L_soft = sym_max_eigenvalue(A3, 3);
    FitTrace tr_s = { dalloc((size_t)gd_iters + 1, "loss"), dalloc((size_t)gd_iters + 1, "grad"), gd_iters + 1, 0 };
    double t0 = progress_now();
    int it_s = softmax_train(X3, y3, nc, 3, K3, 1.0 / L_soft, gd_iters, 1e-8, W3, &tr_s);
    require_finite(&tr_s, "softmax gradient descent (softmax_loss_grad)");
    double s_s = progress_now() - t0;
    int ok_tr = 0, ok_te = 0;
    for (int i = 0; i < nc; i++) {
        ok_tr += softmax_predict(W3, X3 + 3 * i, 3, K3) == y3[i];
        ok_te += softmax_predict(W3, X3t + 3 * i, 3, K3) == y3t[i];
    }
    printf("\n[4] Softmax regression: %d classes at (-1.5,-1), (1.5,-1), (0,1.5), std 1.2, %d train + %d test points\n",
           K3, nc, nc);
    printf("    gradient descent (step 1/L, L = %.4g): %d updates to ||grad J|| <= 1e-8 (%.2f ms)%s, J = %.5f\n", L_soft,
           it_s, 1e3 * s_s, it_s >= gd_iters ? " -- NOT converged" : "", tr_s.loss[tr_s.len - 1]);
    printf("    accuracy: train %.3f, held-out %.3f\n", (double)ok_tr / nc, (double)ok_te / nc);
    {
        MapGrid g = map_grid(P3, nc, resolution);
        int *cls = xcalloc((size_t)g.nx * g.ny, sizeof(int), "class map");
        double xv[3];
        for (int j = 0; j < g.ny; j++)
            for (int i = 0; i < g.nx; i++) {
                map_centre(&g, i, j, xv);
                cls[(size_t)j * g.nx + i] = softmax_predict(W3, xv, 3, K3);
            }
        Plot *p = plot_begin(&s->po, "softmax_decision_regions", "Softmax regression: predicted class regions");
        if (p) {
            plot_size(p, 760, 760);
            plot_labels(p, "x_1", "x_2");
            plot_equal_axes(p);
            plot_class_map(p, cls, g.nx, g.ny, g.lo[0], g.hi[0], g.lo[1], g.hi[1]);
            map_points(p, P3, y3, nc);
        }
        failures += plot_end(p) != 0;
        free(cls);
    }
    free(tr_s.loss); free(tr_s.grad_norm); free(y3t); free(y3); free(X3t); free(X3); free(P3t); free(P3);
    return failures;
}

/* ================================================================== 5. naive Bayes
 * Many small training sets, one large held-out set, a sweep over α. */
static int section_naive_bayes(const Setup *s, Rng *rng)
{
    const int nb_docs = s->nb_docs, nb_reps = s->nb_reps;
    int failures = 0;
    enum { NB_TEST = 2000, NB_ALPHAS = 49 };
    int *cnt_te = xcalloc((size_t)NB_TEST * NB_V, sizeof(int), "test counts"), y_te[NB_TEST];
    int *cnt_tr = xcalloc((size_t)nb_docs * NB_V, sizeof(int), "train counts");
    int *y_tr = xcalloc((size_t)nb_docs, sizeof(int), "train labels");
    nb_corpus(rng, NB_TEST, cnt_te, y_te);
    double alphas[NB_ALPHAS + 1], acc_sum[NB_ALPHAS + 1] = { 0 }, ll_sum[NB_ALPHAS + 1] = { 0 };
    int undefined_sum[NB_ALPHAS + 1] = { 0 }, infinite_runs[NB_ALPHAS + 1] = { 0 };
    alphas[0] = 0;
    for (int a = 1; a <= NB_ALPHAS; a++) alphas[a] = pow(10.0, -4 + 0.125 * (a - 1));   /* 1e-4 .. 1e2, 8 per decade */
    double lp[2], llik[2 * NB_V];
    Progress pr;
    progress_start(&pr, "naive Bayes training sets", nb_reps, s->quiet);
    for (int rep = 0; rep < nb_reps; rep++) {
        nb_corpus(rng, nb_docs, cnt_tr, y_tr);
        for (int a = 0; a <= NB_ALPHAS; a++) {
            double acc, logloss;
            int undef;
            nb_fit(cnt_tr, y_tr, nb_docs, 2, NB_V, alphas[a], lp, llik);
            nb_evaluate(lp, llik, cnt_te, y_te, NB_TEST, &acc, &logloss, &undef);
            acc_sum[a] += acc;
            undefined_sum[a] += undef;
            if (isfinite(logloss)) ll_sum[a] += logloss; else infinite_runs[a]++;
        }
        progress_update(&pr, rep + 1, NULL);
    }
    progress_finish(&pr);
    printf("\n[5] Multinomial naive Bayes, ham vs spam, %d-word vocabulary: %d training documents (mean over %d\n"
           "    training sets), %d held-out documents\n", NB_V, nb_docs, nb_reps, NB_TEST);
    printf("    alpha     held-out accuracy  mean log-loss  sets with infinite log-loss  undefined posteriors per set\n");
    int best = 1;
    for (int a = 1; a <= NB_ALPHAS; a++)
        if (infinite_runs[a] == 0 && (infinite_runs[best] > 0 || ll_sum[a] < ll_sum[best])) best = a;
    if (infinite_runs[best] > 0) best = -1;   /* no α gave a finite log-loss */
    for (int a = 0; a <= NB_ALPHAS; a++) {
        int show = a == 0 || a == best || fabs(log10(alphas[a]) - round(log10(alphas[a]))) < 1e-9;
        if (!show) continue;
        int finite = nb_reps - infinite_runs[a];
        char llbuf[32] = "inf";
        if (finite == nb_reps) snprintf(llbuf, sizeof llbuf, "%.4f", ll_sum[a] / finite);
        printf("    %-8g  %17.4f  %13s  %27d  %29.1f%s\n", alphas[a], acc_sum[a] / nb_reps, llbuf, infinite_runs[a],
               (double)undefined_sum[a] / nb_reps, a == best ? "   <- lowest log-loss" : "");
    }
    {
        double *mll = dalloc(NB_ALPHAS, "log-loss"), *macc = dalloc(NB_ALPHAS, "accuracy");
        for (int a = 1; a <= NB_ALPHAS; a++) {
            int finite = nb_reps - infinite_runs[a];
            mll[a - 1] = finite == nb_reps ? ll_sum[a] / finite : NAN;
            macc[a - 1] = acc_sum[a] / nb_reps;
        }
        char title[160];
        snprintf(title, sizeof title, "Naive Bayes: Laplace/Lidstone smoothing, %d training documents (mean of %d sets)",
                 nb_docs, nb_reps);
        Plot *p = plot_begin_multi(&s->po, "naive_bayes_smoothing", title, 1, 2);
        if (p) {
            plot_size(p, 1200, 480);
            plot_panel(p, "held-out log-loss (dashed: α = 1, Laplace)");
            plot_labels(p, "smoothing α", "mean −log P(true class | x)");
            plot_log(p, "x");
            plot_vline(p, 1, NULL);
            plot_line(p, alphas + 1, mll, NB_ALPHAS, "smoothing α > 0 (α = 0: infinite)");
            plot_panel(p, "held-out accuracy");
            plot_labels(p, "smoothing α", "accuracy");
            plot_log(p, "x");
            plot_vline(p, 1, NULL);
            double ends[2] = { alphas[1], alphas[NB_ALPHAS] }, acc0[2] = { acc_sum[0] / nb_reps, acc_sum[0] / nb_reps };
            plot_line(p, alphas + 1, macc, NB_ALPHAS, "smoothing α > 0");
            plot_line(p, ends, acc0, 2, "α = 0 (undefined posteriors count as errors)");
        }
        failures += plot_end(p) != 0;
        free(macc); free(mll);
    }
    /* the most telling words of a large training set */
    {
        const int nbig = 2000;
        int *cb = xcalloc((size_t)nbig * NB_V, sizeof(int), "counts"), *yb = xcalloc((size_t)nbig, sizeof(int), "y");
        nb_corpus(rng, nbig, cb, yb);
        nb_fit(cb, yb, nbig, 2, NB_V, 1.0, lp, llik);
        printf("    log P(word|spam) - log P(word|ham), alpha = 1, %d documents:", nbig);
        for (int v = 0; v < NB_V; v++) printf("%s %s %+.2f", v % 4 ? "," : "\n     ", NB_WORDS[v], llik[NB_V + v] - llik[v]);
        printf("\n");
        free(yb); free(cb);
    }
    free(y_tr); free(cnt_tr); free(cnt_te);
    return failures;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    Setup s = { .n_cls = 200, .n_reg = 25, .lambda_points = 60, .resolution = 200, .nb_docs = 20, .nb_reps = 50,
                .gd_iters = 200000, .noise = 0.25 };
    CliOption opts[] = {
        { "--samples", CLI_INT, &s.n_cls, 20, 100000, "training points of the lasso/ridge and classification sets" },
        { "--reg-samples", CLI_INT, &s.n_reg, 12, 100000, "training points of the 1-D regression set" },
        { "--noise", CLI_DOUBLE, &s.noise, 0.0, 10.0, "noise std of the 1-D regression set" },
        { "--lambda-points", CLI_INT, &s.lambda_points, 5, 2000, "λ values on the ridge and lasso paths" },
        { "--grid", CLI_INT, &s.resolution, 10, 1000, "cells across a decision map" },
        { "--nb-docs", CLI_INT, &s.nb_docs, 4, 100000, "training documents for naive Bayes" },
        { "--nb-reps", CLI_INT, &s.nb_reps, 1, 10000, "training sets averaged in the smoothing sweep" },
        { "--gd-iters", CLI_INT, &s.gd_iters, 10, 10000000, "most gradient-descent updates per fit" },
    };
    CliCommon cl = cli_defaults("03_learning", 3);
    cli_parse(argc, argv, "learning from data: regression, regularisation, classification", opts, ARRAY_LEN(opts),
              &cl);
    if (cl.quick) {   /* a small run: cap the sizes (explicit smaller values still win) */
        if (s.n_cls > 80) s.n_cls = 80;
        if (s.lambda_points > 20) s.lambda_points = 20;
        if (s.resolution > 60) s.resolution = 60;
        if (s.nb_reps > 5) s.nb_reps = 5;
    }
    s.po = cli_plot_opts(&cl);
    s.quiet = cl.quiet;
    const double t_start = progress_now();
    printf("Chapter 03: learning from data (seed %llu%s; %d classification/lasso samples, %d regression samples)\n",
           (unsigned long long)cl.seed, cl.quick ? ", quick" : "", s.n_cls, s.n_reg);
    /* one independent stream per section, so changing one section's sizes leaves the others' data alone */
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r_reg = rng_split(&root), r_sparse = rng_split(&root), r_log = rng_split(&root), r_soft = rng_split(&root),
        r_nb = rng_split(&root);

    int failures = 0;
    failures += section_least_squares(&s, &r_reg);
    failures += section_paths(&s, &r_sparse);
    failures += section_logistic(&s, &r_log);
    failures += section_softmax(&s, &r_soft);
    failures += section_naive_bayes(&s, &r_nb);

    printf("\nTotal time %.2f s\n", progress_now() - t_start);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}

