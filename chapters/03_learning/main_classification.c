/* main_classification.c — chapter 03, sections 3 and 4: logistic regression
 * (gradient descent against Newton's method, the probability map) and softmax
 * regression (the predicted-class map). See main.h. */
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

/* X (n, 3) = [1, x1, x2] from points P (n, 2). */
static void with_bias(const double *P, int n, double *X)
{
    for (int i = 0; i < n; i++) {
        X[3 * i] = 1;
        X[3 * i + 1] = P[2 * i];
        X[3 * i + 2] = P[2 * i + 1];
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

/* ================================================================== 3. logistic regression
 * Newton and gradient descent from w = 0 on two overlapping classes; the
 * probability map with its boundary. */
int section_logistic(const Setup *s, Rng *rng)
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
    double g0[3] = { 0, 0, 0 }, J0 = logreg_loss_grad(X2, y2, nc, 3, w_nt, g0);   /* at w = 0: J = log 2 */
    if (J0 == 0 && ex_all_zero(g0, 3)) ex_unfinished(CHAPTER, "logreg_loss_grad", "J(0) = 0 (not log 2) and a zero gradient");
    double t0 = progress_now();
    int it_nt = logreg_newton(X2, y2, nc, 3, 50, 1e-10, w_nt, &tr_nt);
    if (tr_nt.len == 0) ex_unfinished(CHAPTER, "logreg_newton", "%d steps and an empty trace", it_nt);
    require_finite(&tr_nt, "Newton's method (logreg_newton)");
    double s_nt = progress_now() - t0;
    t0 = progress_now();
    int it_gd = logreg_gd(X2, y2, nc, 3, 1.0 / L3, gd_iters, 1e-10, w_gd, &tr_gd);
    if (tr_gd.len == 0) ex_unfinished(CHAPTER, "logreg_gd", "%d updates and an empty trace", it_gd);
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
        /* x counts iterations for both traces: as long as the longer one (with
         * few --gd-iters Newton may take more steps than gradient descent) */
        int len = tr_gd.len, nx = len > tr_nt.len ? len : tr_nt.len;
        double *x = dalloc(2 * (size_t)nx, "iterations"), *x1 = x + nx, *gap_gd = dalloc((size_t)len, "gap"), gap_nt[64];
        for (int k = 0; k < nx; k++) { x[k] = k; x1[k] = k + 1; }   /* x1: t + 1, for the log axis */
        for (int k = 0; k < len; k++) {
            gap_gd[k] = tr_gd.loss[k] - Jstar > 100 * DBL_EPSILON * Jstar ? tr_gd.loss[k] - Jstar : NAN;
        }
        for (int k = 0; k < tr_nt.len; k++)
            gap_nt[k] = tr_nt.loss[k] - Jstar > 100 * DBL_EPSILON * Jstar ? tr_nt.loss[k] - Jstar : NAN;
        int zoom = len < 30 ? len : 30;
        Plot *p = plot_begin_multi(&s->po, "logreg_gd_vs_newton",
                                   "Logistic regression: gradient descent vs Newton's method", 1, 2);
        if (p) {
            plot_size(p, 1200, 520);
            plot_panel(p, "loss gap, all iterations (log-log)");
            plot_labels(p, "iteration t + 1", "J(w_t) − J*");
            plot_log(p, "xy");
            plot_xrange(p, 1, nx);
            plot_line(p, x1, gap_gd, len, "gradient descent (step 1/L)");
            plot_line(p, x1, gap_nt, tr_nt.len, "Newton");
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
int section_softmax(const Setup *s, Rng *rng)
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
    double G0[K3 * 3] = { 0 }, J0 = softmax_loss_grad(X3, y3, nc, 3, K3, W3, G0);   /* at W = 0: J = log K */
    if (J0 == 0 && ex_all_zero(G0, K3 * 3))
        ex_unfinished(CHAPTER, "softmax_loss_grad", "J(0) = 0 (not log %d) and a zero gradient", K3);
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
