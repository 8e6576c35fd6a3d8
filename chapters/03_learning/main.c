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
#include "progress.h"
#include "rng.h"
#include "main.h"
#include "util.h"

#include <stdio.h>

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

