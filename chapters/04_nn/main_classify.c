/* main_classify.c — chapter 04, sections 2 and 4: an MLP's decision regions
 * on two moons and spirals, and dropout on 60 noisy points. See main.h. */
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

/* ================================================================== 2. two moons and spirals */

int section_classify(const Setup *s, Rng *rng)
{
    require_written(NEED_LAYERS | NEED_XENT | NEED_ADAM);
    int failures = 0;
    Rng r_moons = rng_split(rng), r_spir = rng_split(rng);
    Data tr[2] = { moons(&r_moons, 400, 0.15), spirals(&r_spir, 600) };
    Data te[2] = { moons(&r_moons, 2000, 0.15), spirals(&r_spir, 3000) };
    const char *names[2] = { "two moons", "spirals" };
    Mlp *nets[2];
    double acc_tr[2], acc_te[2], loss_tr[2], loss_te[2], secs[2];
    char desc[96];
    for (int d = 0; d < 2; d++) {
        MlpSpec spec = two_hidden(2, s->hidden, tr[d].k, s->act);
        nets[d] = mlp_create(&spec, 4096, rng);
        Optim *o = optim_create(OPTIM_ADAM, nets[d]->n_params, (float)s->lr);
        TrainSpec t = { s->steps, s->batch, 0, names[d], s->quiet };
        double t0 = progress_now();
        require_trained(train(nets[d], o, &tr[d], NULL, &t, rng, NULL, NULL), names[d], o->lr);
        secs[d] = progress_now() - t0;
        evaluate(nets[d], &tr[d], &loss_tr[d], &acc_tr[d]);
        evaluate(nets[d], &te[d], &loss_te[d], &acc_te[d]);
        optim_free(o);
    }
    mlp_describe(&nets[0]->spec, desc, sizeof desc);
    printf("\n[2] Classification with an MLP %s (2 hidden layers), Adam lr %g, %d steps of %d points\n",
           desc, s->lr, s->steps, s->batch);
    printf("    two moons: noise 0.15, %d training / %d held-out points; spirals: %d arms, %.1f turns, noise %.2f, "
           "%d / %d\n", tr[0].n, te[0].n, SPIRAL_ARMS, SPIRAL_TURNS, SPIRAL_NOISE, tr[1].n, te[1].n);
    printf("    %-10s %12s %12s %14s %14s %10s\n", "data", "train acc", "held-out acc", "train loss", "held-out loss",
           "time");
    for (int d = 0; d < 2; d++)
        printf("    %-10s %12.4f %12.4f %14.4f %14.4f %8.2f s\n", names[d], acc_tr[d], acc_te[d], loss_tr[d],
               loss_te[d], secs[d]);

    Plot *p = plot_begin_multi(&s->po, "decision_boundaries", "An MLP's decision regions (training points on top)", 1, 2);
    if (p) {
        plot_size(p, 1300, 620);
        char title[160];
        snprintf(title, sizeof title, "two moons: P(class 1 | x); held-out accuracy %.3f", acc_te[0]);
        plot_panel(p, title);
        draw_decision_panel(p, nets[0], &tr[0], s->grid);
        snprintf(title, sizeof title, "3-arm spirals: predicted class; held-out accuracy %.3f", acc_te[1]);
        plot_panel(p, title);
        draw_decision_panel(p, nets[1], &tr[1], s->grid);
    }
    failures += plot_end(p) != 0;
    for (int d = 0; d < 2; d++) {
        mlp_free(nets[d]);
        data_free(&tr[d]);
        data_free(&te[d]);
    }
    return failures;
}

/* ================================================================== 4. dropout */

int section_dropout(const Setup *s, Rng *rng)
{
    require_written(NEED_LAYERS | NEED_XENT | NEED_DROPOUT | NEED_ADAM);
    int failures = 0;
    enum { N_TRAIN = 60, N_TEST = 1000, WIDTH = 128 };
    const int pts = s->points / 2;   /* the curves are smooth: half the points (each is 1060 forwards) */
    const int every = s->drop_steps >= pts ? s->drop_steps / pts : 1, npts = s->drop_steps / every + 1;
    const float ps[2] = { 0.0f, (float)s->dropout };
    double *curves = xcalloc((size_t)4 * npts, sizeof *curves, "dropout curves");   /* [p][train, test] */
    double sum_tr[2] = { 0 }, sum_te[2] = { 0 }, sum_acc_tr[2] = { 0 }, sum_acc[2] = { 0 };
    Mlp *first[2] = { NULL, NULL };
    Data first_data = { 0 };
    double *c_tr = xmalloc((size_t)npts * sizeof *c_tr, "curve"), *c_te = xmalloc((size_t)npts * sizeof *c_te, "curve");
    Progress pr;
    progress_start(&pr, "dropout runs", 2L * s->drop_sets, s->quiet);
    for (int set = 0; set < s->drop_sets; set++) {
        Rng r_data = rng_split(rng), r_init = rng_split(rng);
        Data tr = moons(&r_data, N_TRAIN, 0.3), te = moons(&r_data, N_TEST, 0.3);
        for (int d = 0; d < 2; d++) {
            MlpSpec spec = two_hidden(2, WIDTH, 2, NN_RELU);
            spec.dropout = ps[d];
            Rng ri = r_init;                       /* the same initial weights with and without dropout */
            Mlp *m = mlp_create(&spec, N_TEST, &ri);
            Optim *o = optim_create(OPTIM_ADAM, m->n_params, 1e-3f);
            TrainSpec t = { s->drop_steps, N_TRAIN, every, NULL, 1 };
            require_trained(train(m, o, &tr, &te, &t, &ri, c_tr, c_te), "dropout experiment", o->lr);
            for (int j = 0; j < npts; j++) {
                curves[(2 * d) * npts + j] += c_tr[j] / s->drop_sets;
                curves[(2 * d + 1) * npts + j] += c_te[j] / s->drop_sets;
            }
            double ltr, lte, atr, ate;
            evaluate(m, &tr, &ltr, &atr);
            evaluate(m, &te, &lte, &ate);
            sum_tr[d] += ltr; sum_te[d] += lte; sum_acc_tr[d] += atr; sum_acc[d] += ate;
            optim_free(o);
            if (set == 0) first[d] = m;
            else mlp_free(m);
            progress_update(&pr, 2L * set + d + 1, NULL);
        }
        data_free(&te);
        if (set == 0) first_data = tr;
        else data_free(&tr);
    }
    progress_finish(&pr);
    const int S = s->drop_sets;
    printf("\n[4] Dropout: 2-%d-%d-2 relu, %d two-moons points with noise 0.3 (held out: %d), full-batch Adam lr 1e-3,\n"
           "    %d steps, the same initialisation with and without; mean over %d data set(s):\n",
           WIDTH, WIDTH, N_TRAIN, N_TEST, s->drop_steps, S);
    printf("    %-14s %11s %13s %9s %11s %13s\n", "dropout p", "train loss", "held-out loss", "gap", "train acc",
           "held-out acc");
    for (int d = 0; d < 2; d++)
        printf("    %-14g %11.4f %13.4f %9.4f %11.4f %13.4f\n", ps[d], sum_tr[d] / S, sum_te[d] / S,
               (sum_te[d] - sum_tr[d]) / S, sum_acc_tr[d] / S, sum_acc[d] / S);
    for (int d = 0; d < 2; d++) {   /* where the mean held-out curve (drawn) is lowest */
        const double *c = curves + (2 * d + 1) * npts;
        int best = 0;
        for (int j = 1; j < npts; j++)
            if (c[j] < c[best]) best = j;
        printf("    p = %g: mean held-out loss lowest at step %d (%.2f), %.2f at step %d\n", ps[d], best * every,
               c[best], c[npts - 1], (npts - 1) * every);
    }

    Plot *p = plot_begin_multi(&s->po, "dropout", "Dropout on 60 noisy points: a wide network, with and without it", 1, 3);
    if (p) {
        plot_size(p, 1700, 480);   /* the maps are wider than tall: no empty band above and below them */
        char title[128];
        snprintf(title, sizeof title, "loss (evaluation mode), mean of %d data set%s; p: dropout", S, S > 1 ? "s" : "");
        plot_panel(p, title);
        plot_labels(p, "step", "cross-entropy");
        plot_log(p, "y");
        plot_raw(p, "set key inside bottom left Left reverse opaque box lc rgb '#bbbbbb' samplen 2.5");
        plot_raw(p, "set yrange [1e-4:*]   # a decade below the curves for the key");
        double *x = xmalloc((size_t)npts * sizeof *x, "steps");
        for (int j = 0; j < npts; j++) x[j] = (double)j * every;
        const char *colour[2] = { "lc 2", "lc 1" };   /* orange without, blue with dropout */
        for (int d = 0; d < 2; d++) {
            char leg[64], style[64];
            snprintf(style, sizeof style, "%s dt 2", colour[d]);
            plot_next_style(p, style);
            snprintf(leg, sizeof leg, "train, p = %g", ps[d]);
            plot_line(p, x, curves + (2 * d) * npts, npts, leg);
            plot_next_style(p, colour[d]);
            snprintf(leg, sizeof leg, "held-out, p = %g", ps[d]);
            plot_line(p, x, curves + (2 * d + 1) * npts, npts, leg);
        }
        free(x);
        for (int d = 0; d < 2; d++) {
            snprintf(title, sizeof title, d ? "data set 1, dropout %g: P(class 1 | x)" : "data set 1, no dropout: "
                     "P(class 1 | x)", ps[d]);
            plot_panel(p, title);
            draw_decision_panel(p, first[d], &first_data, s->grid);
        }
    }
    failures += plot_end(p) != 0;
    mlp_free(first[0]); mlp_free(first[1]);
    data_free(&first_data);
    free(curves); free(c_tr); free(c_te);
    return failures;
}

