/* main_training.c — chapter 04, sections 3 and 5: SGD vs momentum vs Adam
 * over a learning-rate grid, and layer norm in a deep tanh network. See main.h. */
#include "datasets.h"
#include "exercise.h"
#include "linalg.h"
#include "main.h"
#include "mlp.h"
#include "nn.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================== 3. optimisers */

#define N_LR 9   /* learning rates 1e-4, 3e-4, ..., 1: half-decade steps */

int section_optimisers(const Setup *s, Rng *rng)
{
    require_written(NEED_LAYERS | NEED_XENT | NEED_SGD | NEED_MOMENTUM | NEED_ADAM);
    int failures = 0;
    Rng r_data = rng_split(rng);
    Data tr = spirals(&r_data, 600);
    MlpSpec spec = two_hidden(2, s->hidden, SPIRAL_ARMS, s->act);
    Mlp *m = mlp_create(&spec, 1024, rng);
    float *init = xmalloc((size_t)m->n_params * sizeof *init, "the initial parameters");
    memcpy(init, m->params, (size_t)m->n_params * sizeof *init);
    const Rng batches = rng_split(rng);   /* every run draws the same mini-batches */
    const int every = s->sweep_steps >= s->points ? s->sweep_steps / s->points : 1, npts = s->sweep_steps / every + 1;
    double lrs[N_LR];
    for (int i = 0; i < N_LR; i++) lrs[i] = i % 2 ? 3 * pow(10.0, -4 + i / 2) : pow(10.0, -4 + i / 2);
    const OptimKind kinds[3] = { OPTIM_SGD, OPTIM_MOMENTUM, OPTIM_ADAM };
    double final[3][N_LR];                       /* mean training loss over the last 10% of the curve */
    double *curves = xmalloc((size_t)3 * N_LR * npts * sizeof *curves, "loss curves");
    Progress pr;
    progress_start(&pr, "optimiser sweep", 3 * N_LR, s->quiet);
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < N_LR; i++) {
            memcpy(m->params, init, (size_t)m->n_params * sizeof *init);
            Optim *o = optim_create(kinds[k], m->n_params, (float)lrs[i]);
            Rng r = batches;
            TrainSpec t = { s->sweep_steps, s->batch, every, NULL, 1 };
            double *c = curves + ((size_t)k * N_LR + i) * npts;
            int rec = train(m, o, &tr, NULL, &t, &r, c, NULL);
            double tail = 0;
            int cnt = 0;
            for (int j = npts - 1 - npts / 10; rec == npts && j < npts; j++, cnt++) tail += c[j];
            final[k][i] = rec == npts && isfinite(tail) ? tail / cnt : NAN;   /* NaN: diverged */
            optim_free(o);
            progress_update(&pr, k * N_LR + i + 1, NULL);
        }
    progress_finish(&pr);
    int best[3];
    for (int k = 0; k < 3; k++) {
        best[k] = -1;
        for (int i = 0; i < N_LR; i++)
            if (isfinite(final[k][i]) && (best[k] < 0 || final[k][i] < final[k][best[k]])) best[k] = i;
    }
    char desc[96];
    printf("\n[3] Optimisers on the spirals (%s, 600 points): same initialisation, same %d mini-batches of %d,\n"
           "    learning rates 1e-4, 3e-4, ..., 1 for each; momentum μ = 0.9; Adam β = (0.9, 0.999), ε = 1e-8.\n"
           "    Mean training loss over the last 10%% of the run (\"diverged\": NaN or inf):\n",
           mlp_describe(&spec, desc, sizeof desc), s->sweep_steps, s->batch);
    printf("    %-9s", "lr");
    for (int i = 0; i < N_LR; i++) printf(" %9g", lrs[i]);
    printf("\n");
    for (int k = 0; k < 3; k++) {
        printf("    %-9s", optim_name(kinds[k]));
        for (int i = 0; i < N_LR; i++) {
            if (isfinite(final[k][i])) printf(" %8.4f%s", final[k][i], i == best[k] ? "*" : " ");
            else printf(" %9s", "diverged");
        }
        printf("\n");
    }
    printf("    (* = the best learning rate of each optimiser, drawn in the figure)\n");
    printf("    off the plateau (first recorded step with loss < 0.9) at the best learning rate:");
    for (int k = 0; k < 3; k++) {
        const double *c = curves + ((size_t)k * N_LR + (best[k] < 0 ? 0 : best[k])) * npts;
        int j = 0;
        while (j < npts && !(c[j] < 0.9)) j++;
        if (j < npts) printf(" %s %d%s", optim_name(kinds[k]), j * every, k < 2 ? "," : "\n");
        else printf(" %s never%s", optim_name(kinds[k]), k < 2 ? "," : "\n");
    }
    for (int k = 0; k < 3; k++)
        if (best[k] < 0) die(1, "optimisers: every learning rate diverged for %s; with IMPL=exercises, check your "
                                "layers and optimiser steps (make check CH=04)", optim_name(kinds[k]));

    Plot *p = plot_begin_multi(&s->po, "optimizers", "SGD vs momentum vs Adam on the spirals (same init, same batches)",
                               1, 2);
    if (p) {
        plot_size(p, 1300, 560);
        plot_panel(p, "training loss at each optimiser's best learning rate");
        plot_labels(p, "step", "cross-entropy on the whole training set");
        plot_log(p, "y");
        double *x = xmalloc((size_t)npts * sizeof *x, "steps");
        for (int j = 0; j < npts; j++) x[j] = (double)j * every;
        for (int k = 0; k < 3; k++) {
            char leg[64];
            snprintf(leg, sizeof leg, "%s, lr %g", optim_name(kinds[k]), lrs[best[k]]);
            plot_line(p, x, curves + ((size_t)k * N_LR + best[k]) * npts, npts, leg);
        }
        int diverged = 0;
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < N_LR; i++) diverged += !isfinite(final[k][i]);
        plot_panel(p, diverged ? "the sweep: end-of-run loss against the learning rate (gaps: diverged)"
                               : "the sweep: end-of-run loss against the learning rate");
        plot_labels(p, "learning rate", "mean training loss, last 10% of the run");
        plot_log(p, "xy");
        plot_raw(p, "set key inside bottom left Left reverse opaque box");
        for (int k = 0; k < 3; k++) {
            char style[32];
            snprintf(style, sizeof style, "lc %d", k + 1);
            plot_next_style(p, style);
            plot_line(p, lrs, final[k], N_LR, optim_name(kinds[k]));
            snprintf(style, sizeof style, "lc %d ps 1.2", k + 1);
            plot_next_style(p, style);
            plot_points(p, lrs, final[k], N_LR, NULL);
        }
        free(x);
    }
    failures += plot_end(p) != 0;
    free(curves); free(init);
    mlp_free(m);
    data_free(&tr);
    return failures;
}

/* ================================================================== 5. layer norm */

int section_layernorm(const Setup *s, Rng *rng)
{
    require_written(NEED_LAYERS | NEED_XENT | NEED_LAYERNORM | NEED_SGD);
    int failures = 0;
    enum { DEPTH = 7, WIDTH = 32 };   /* 6 hidden layers */
    const float lr = 0.02f;
    Rng r_data = rng_split(rng), r_init = rng_split(rng);
    const Rng batches = rng_split(rng);
    Data tr = spirals(&r_data, 600);
    const int steps = s->sweep_steps, every = steps >= s->points ? steps / s->points : 1, npts = steps / every + 1;
    double *curve[2], final[2], acc[2], z_std[DEPTH] = { 0 };
    for (int ln = 0; ln < 2; ln++) {
        MlpSpec spec = { .n_layers = DEPTH, .act = NN_TANH, .layernorm = ln };
        spec.sizes[0] = 2;
        for (int l = 1; l < DEPTH; l++) spec.sizes[l] = WIDTH;
        spec.sizes[DEPTH] = SPIRAL_ARMS;
        Rng ri = r_init, rb = batches;
        Mlp *m = mlp_create(&spec, 1024, &ri);
        if (!ln) {   /* the scale tanh sees at initialisation: std of each hidden layer's pre-activations */
            mlp_forward(m, tr.x, tr.n, NN_EVAL);
            for (int l = 0; l < DEPTH - 1; l++) {
                double sum = 0, sq = 0;
                const int n = tr.n * WIDTH;
                for (int i = 0; i < n; i++) { sum += m->z[l][i]; sq += (double)m->z[l][i] * m->z[l][i]; }
                z_std[l] = sqrt(fmax(0, sq / n - (sum / n) * (sum / n)));
            }
        }
        Optim *o = optim_create(OPTIM_SGD, m->n_params, lr);
        curve[ln] = xmalloc((size_t)npts * sizeof *curve[ln], "curve");
        TrainSpec t = { steps, s->batch, every, ln ? "deep tanh net + layer norm" : "deep tanh net", s->quiet };
        require_trained(train(m, o, &tr, NULL, &t, &rb, curve[ln], NULL), "layer-norm experiment", lr);
        evaluate(m, &tr, &final[ln], &acc[ln]);
        optim_free(o);
        mlp_free(m);
    }
    /* steps until the training loss first falls below half of log K (off the plateau) */
    int off[2];
    for (int ln = 0; ln < 2; ln++) {
        off[ln] = -1;
        for (int j = 0; j < npts && off[ln] < 0; j++)
            if (curve[ln][j] < 0.5 * log((double)SPIRAL_ARMS)) off[ln] = j * every;
    }
    printf("\n[5] Layer norm: 2-%d-...-%d-3 tanh (%d hidden layers), plain SGD lr %g, the same init and batches, %d steps\n",
           WIDTH, WIDTH, DEPTH - 1, lr, steps);
    printf("    without layer norm, at initialisation: std of the pre-activations of hidden layers 1-%d over the "
           "training set:\n   ", DEPTH - 1);
    for (int l = 0; l < DEPTH - 1; l++) printf(" %.2f", z_std[l]);
    printf("\n");
    printf("    %-22s %12s %12s %28s\n", "", "train loss", "train acc", "first step with loss < ½ log 3");
    for (int ln = 0; ln < 2; ln++) {
        char when[32] = "never";
        if (off[ln] >= 0) snprintf(when, sizeof when, "%d", off[ln]);
        printf("    %-22s %12.4f %12.4f %28s\n", ln ? "with layer norm" : "without", final[ln], acc[ln], when);
    }
    Plot *p = plot_begin(&s->po, "layernorm",
                         "A deep tanh network (6 hidden layers of 32) under plain SGD; dashed: log 3, a uniform guess");
    if (p) {
        plot_labels(p, "step", "cross-entropy on the whole training set");
        plot_log(p, "y");
        double *x = xmalloc((size_t)npts * sizeof *x, "steps");
        for (int j = 0; j < npts; j++) x[j] = (double)j * every;
        plot_hline(p, log((double)SPIRAL_ARMS), NULL);
        plot_line(p, x, curve[0], npts, "without layer norm");
        plot_line(p, x, curve[1], npts, "with layer norm");
        free(x);
    }
    failures += plot_end(p) != 0;
    free(curve[0]); free(curve[1]);
    data_free(&tr);
    return failures;
}

