/* main_regression.c — chapter 03, sections 1 and 2: least squares with
 * polynomial features (normal equations, ridge, gradient descent) and the
 * ridge and lasso coefficient paths. See main.h. */
#include "datasets.h"
#include "learn.h"
#include "linalg.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "main.h"
#include "util.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ================================================================== 1. least squares
 * Polynomial fits of a noisy sin curve by the normal equations (and ridge),
 * then gradient descent on the degree-3 problem against its linear-rate bound. */
int section_least_squares(const Setup *s, Rng *rng)
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
        if (ex_all_zero(w, (size_t)d)) ex_unfinished(CHAPTER, "linreg_normal_equations", "w = 0 for degree %d", deg);
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
            if (ex_all_zero(w, (size_t)d)) ex_unfinished(CHAPTER, "ridge_closed_form", "w = 0 for lambda = %g", ridge_lambda);
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
        if (tr.len == 0 || ex_all_zero(w, (size_t)d))
            ex_unfinished(CHAPTER, "linreg_gd", "%d updates, w left at 0", t);
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
int section_paths(const Setup *s, Rng *rng)
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
    if (soft_threshold(3, 1) != 2) ex_unfinished(CHAPTER, "soft_threshold", "S(3, 1) = %g, not 2", soft_threshold(3, 1));
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
    if (total_sweeps == 0 || ex_all_zero(path_l + (size_t)(nl - 1) * DS, DS))
        ex_unfinished(CHAPTER, "lasso_coordinate_descent", "w = 0 at lambda = %.3g, 1e-3 lambda_max", lam[nl - 1]);
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
