/* main_naive_bayes.c — chapter 03, section 5: multinomial naive Bayes on a
 * generated spam/ham corpus, swept over the smoothing strength α. See main.h. */
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

/* ================================================================== 5. naive Bayes
 * Many small training sets, one large held-out set, a sweep over α. */
int section_naive_bayes(const Setup *s, Rng *rng)
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
    double lp[2] = { 0, 0 }, llik[2 * NB_V] = { 0 };
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
    /* the last fit (the largest α) and a posterior from it */
    if (ex_all_zero(lp, 2) && ex_all_zero(llik, 2 * NB_V))
        ex_unfinished(CHAPTER, "nb_fit", "every log prior and log likelihood is 0");
    double post[2] = { 0, 0 };
    nb_posterior(lp, llik, 2, NB_V, cnt_te, post);
    if (ex_all_zero(post, 2)) ex_unfinished(CHAPTER, "nb_posterior", "P(ham | x) = P(spam | x) = 0");
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
            plot_panel(p, "held-out log-loss for α > 0 (α = 0: infinite); dashed: α = 1, Laplace");
            plot_labels(p, "smoothing α", "mean −log P(true class | x)");
            plot_log(p, "x");
            plot_vline(p, 1, NULL);
            plot_line(p, alphas + 1, mll, NB_ALPHAS, NULL);
            plot_panel(p, "held-out accuracy (dashed: α = 1, Laplace)");
            plot_labels(p, "smoothing α", "accuracy");
            plot_log(p, "x");
            plot_raw(p, "set key at graph 0.02, graph 0.1 left bottom Left reverse nobox");
            plot_vline(p, 1, NULL);
            double ends[2] = { alphas[1], alphas[NB_ALPHAS] }, acc0[2] = { acc_sum[0] / nb_reps, acc_sum[0] / nb_reps };
            plot_line(p, alphas + 1, macc, NB_ALPHAS, "smoothing α > 0");
            plot_line(p, ends, acc0, 2, "α = 0 (undefined counts as wrong)");
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
