/* main.h — chapter 03's program, section by section.
 *
 * main.c reads the command line into a Setup and runs the five sections in
 * order; each section generates its data, fits, prints and draws on its own:
 *   main_regression.c      1. least squares (normal equations, ridge, GD)
 *                          2. ridge and lasso paths
 *   main_classification.c  3. logistic regression (GD vs Newton)
 *                          4. softmax regression
 *   main_naive_bayes.c     5. naive Bayes smoothing
 * A section returns the number of figures it could not draw (0 on success).
 * It exits with a message when an exercise is unfinished (exercise.h) or its
 * fit diverges. Only this chapter's program links these files (not the tests).
 */
#ifndef LEARN_MAIN_H
#define LEARN_MAIN_H
#include "exercise.h"
#include "learn.h"
#include "plot.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <string.h>

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

int section_least_squares(const Setup *s, Rng *rng);
int section_paths(const Setup *s, Rng *rng);
int section_logistic(const Setup *s, Rng *rng);
int section_softmax(const Setup *s, Rng *rng);
int section_naive_bayes(const Setup *s, Rng *rng);

/* ---- helpers the sections share */

/* The chapter's name for ex_unfinished (exercise.h): a section stops there
 * when an exercise's result is what its stub returns. */
#define CHAPTER "03_learning"

/* n zeroed doubles (at least one), or exit naming `what`. */
static inline double *dalloc(size_t n, const char *what) { return xcalloc(n ? n : 1, sizeof(double), what); }

/* (scale/n) XᵀX into A (d, d), full (both triangles). */
static inline void gram(const double *X, int n, int d, double scale, double *A)
{
    memset(A, 0, (size_t)d * d * sizeof *A);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++) A[j * d + k] += scale * X[(size_t)i * d + j] * X[(size_t)i * d + k] / n;
}

/* A loss that became NaN or infinite means a wrong gradient (every step here
 * is 1/L, stable for a correct one): stop instead of drawing garbage. */
static inline void require_finite(const FitTrace *tr, const char *what)
{
    if (tr->len > 0 && !isfinite(tr->loss[tr->len - 1]))
        die(1, "%s: the loss became %g after %d updates. The step 1/L is stable for a correct gradient: check its "
               "sign and its 1/n factor (make check CH=03).", what, tr->loss[tr->len - 1], tr->len - 1);
}

#endif
