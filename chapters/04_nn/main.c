/* 04_nn — neural networks from scratch: a multilayer perceptron with
 * hand-written backpropagation, on generated 2-D data.
 *
 * What it shows:
 *   1. Gradient check: backpropagation against central differences, for
 *      every activation, with layer norm and with dropout.
 *   2. Classification: an MLP learns two moons and 3-arm spirals; accuracy on
 *      held-out points; the decision regions with the training points.
 *   3. Optimisers: SGD, momentum and Adam from the same initialisation, on the
 *      same mini-batches, for the same number of steps, each at its best
 *      learning rate from the same grid (the sweep is drawn too).
 *   4. Dropout: a wide network on 60 noisy points overfits; dropout narrows
 *      the gap between training and held-out loss (mean over several data sets).
 *   5. Layer norm: a deep tanh network under plain SGD, with and without it.
 * Every network is mlp.h's, built on your layers with IMPL=exercises. All
 * data come from --seed; the same seed gives the same numbers and figures.
 */
#include "cli.h"
#include "datasets.h"
#include "linalg.h"
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

/* ------------------------------------------------------------------ data */

/* A labelled 2-D data set in float, as the network reads it. */
typedef struct {
    int n;       /* points */
    int k;       /* classes */
    float *x;    /* (n, 2) */
    int *y;      /* (n) labels 0..k-1 */
} Data;

static Data data_alloc(int n, int k)
{
    Data d = { n, k, xmalloc(2 * (size_t)n * sizeof(float), "points"), xmalloc((size_t)n * sizeof(int), "labels") };
    return d;
}
static void data_free(Data *d) { free(d->x); free(d->y); }

/* From a generator's double arrays to float. */
static void data_from(Data *d, const double *X)
{
    for (int i = 0; i < 2 * d->n; i++) d->x[i] = (float)X[i];
}
static Data moons(Rng *r, int n, double noise)
{
    Data d = data_alloc(n, 2);
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "moons");
    ds_two_moons(r, X, d.y, n, noise);
    data_from(&d, X);
    free(X);
    return d;
}
/* The spirals of this chapter: 3 arms, 1.5 turns, noise 0.02. */
#define SPIRAL_ARMS 3
#define SPIRAL_TURNS 1.5
#define SPIRAL_NOISE 0.02
static Data spirals(Rng *r, int n)
{
    Data d = data_alloc(n, SPIRAL_ARMS);
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "spirals");
    ds_spirals(r, X, d.y, n, SPIRAL_ARMS, SPIRAL_TURNS, SPIRAL_NOISE);
    data_from(&d, X);
    free(X);
    return d;
}

/* ------------------------------------------------------------------ training */

/* Mean cross-entropy and accuracy of the network on a whole data set, in
 * evaluation mode, in chunks of the network's max batch. */
static void evaluate(Mlp *m, const Data *d, double *loss, double *acc)
{
    double l = 0, a = 0;
    for (int i = 0; i < d->n; i += m->max_batch) {
        int B = d->n - i < m->max_batch ? d->n - i : m->max_batch;
        const float *out = mlp_forward(m, d->x + 2 * (size_t)i, B, NN_EVAL);
        l += (double)nn_softmax_xent(NULL, out, d->y + i, B, d->k) * B;
        a += nn_accuracy(out, d->y + i, B, d->k) * B;
    }
    if (loss) *loss = l / d->n;
    if (acc) *acc = a / d->n;
}

/* One training run: mini-batches of `batch` points drawn with replacement
 * (the whole set, in order, if batch >= n), softmax cross-entropy, one
 * optimiser step each. Every eval_every steps the loss on the whole training
 * set (and on `test`, if given) is recorded in evaluation mode, at
 * curve[0], curve[1], ... (the starting point first). Returns the number of
 * points recorded, or −(step + 1) if the mini-batch loss stopped being finite
 * at that step (the caller decides whether that is an error). */
typedef struct {
    int steps, batch, eval_every;
    const char *label;   /* progress label; NULL: no progress display */
    int quiet;
} TrainSpec;

static int train(Mlp *m, Optim *o, const Data *tr, const Data *test, const TrainSpec *t, Rng *r, double *curve,
                 double *test_curve)
{
    const int B = t->batch < tr->n ? t->batch : tr->n, K = tr->k;
    float *xb = xmalloc(2 * (size_t)B * sizeof *xb, "a mini-batch"), *dl = xmalloc((size_t)B * K * sizeof *dl, "dL/dlogits");
    int *yb = xmalloc((size_t)B * sizeof *yb, "mini-batch labels"), rec = 0;
    Progress pr;
    if (t->label) progress_start(&pr, t->label, t->steps, t->quiet);
    for (int step = 0; step <= t->steps; step++) {
        if (t->eval_every > 0 && step % t->eval_every == 0) {
            if (curve) evaluate(m, tr, &curve[rec], NULL);
            if (test_curve) evaluate(m, test, &test_curve[rec], NULL);
            rec++;
        }
        if (step == t->steps) break;
        const float *xs = tr->x;
        const int *ys = tr->y;
        if (B < tr->n) {
            for (int i = 0; i < B; i++) {
                int j = rng_int(r, tr->n);
                xb[2 * i] = tr->x[2 * j];
                xb[2 * i + 1] = tr->x[2 * j + 1];
                yb[i] = tr->y[j];
            }
            xs = xb;
            ys = yb;
        }
        float loss = nn_softmax_xent(dl, mlp_forward(m, xs, B, NN_TRAIN), ys, B, K);
        static int warned;
        if (step == 0 && loss == 0.0f && !warned) {
            warned = 1;
            fflush(stdout);
            fprintf(stderr, "warning: the cross-entropy of an untrained network is exactly 0: is nn_softmax_xent "
                            "written? (make check CH=04) The results below mean nothing until it is.\n");
        }
        if (!isfinite(loss)) {
            if (t->label) progress_finish(&pr);
            rec = -(step + 1);
            break;
        }
        mlp_zero_grad(m);
        mlp_backward(m, dl, NULL);
        optim_step(o, m->params, m->grads);
        if (t->label) progress_update(&pr, step + 1, "loss %.4f", loss);
    }
    if (t->label && rec >= 0) progress_finish(&pr);
    free(xb); free(dl); free(yb);
    return rec;
}

/* A run the user configured must not silently produce garbage. */
static void require_trained(int rec, const char *what, float lr)
{
    if (rec < 0)
        die(1, "%s: the loss became NaN or infinite at step %d with learning rate %g. Lower the learning rate "
               "(--lr), or, with IMPL=exercises, check your layers: make check CH=04.", what, -rec, lr);
}

/* ------------------------------------------------------------------ decision maps */

/* A square-celled grid over the data's bounding box plus a margin, for
 * plot_map / plot_class_map (row j = 0 at the bottom, data coordinates). */
typedef struct {
    double x0, x1, y0, y1;
    int nx, ny;
} Grid;

static Grid grid_for(const Data *d, int cells)
{
    Grid g = { INFINITY, -INFINITY, INFINITY, -INFINITY, 0, 0 };
    for (int i = 0; i < d->n; i++) {
        g.x0 = fmin(g.x0, d->x[2 * i]); g.x1 = fmax(g.x1, d->x[2 * i]);
        g.y0 = fmin(g.y0, d->x[2 * i + 1]); g.y1 = fmax(g.y1, d->x[2 * i + 1]);
    }
    double pad = 0.1 * fmax(g.x1 - g.x0, g.y1 - g.y0);
    g.x0 -= pad; g.x1 += pad; g.y0 -= pad; g.y1 += pad;
    double h = fmax(g.x1 - g.x0, g.y1 - g.y0) / cells;
    g.nx = (int)ceil((g.x1 - g.x0) / h);
    g.ny = (int)ceil((g.y1 - g.y0) / h);
    g.x1 = g.x0 + g.nx * h;
    g.y1 = g.y0 + g.ny * h;
    return g;
}

/* Class probabilities at every cell centre: probs (ny·nx, K), row-major from the bottom row. */
static float *grid_probs(Mlp *m, const Grid *g, int K)
{
    const int n = g->nx * g->ny;
    float *pts = xmalloc(2 * (size_t)n * sizeof *pts, "grid points");
    float *probs = xmalloc((size_t)n * K * sizeof *probs, "grid probabilities");
    for (int j = 0; j < g->ny; j++)
        for (int i = 0; i < g->nx; i++) {
            pts[2 * (j * g->nx + i)] = (float)(g->x0 + (i + 0.5) * (g->x1 - g->x0) / g->nx);
            pts[2 * (j * g->nx + i) + 1] = (float)(g->y0 + (j + 0.5) * (g->y1 - g->y0) / g->ny);
        }
    for (int i = 0; i < n; i += m->max_batch) {
        int B = n - i < m->max_batch ? n - i : m->max_batch;
        nn_softmax(probs + (size_t)i * K, mlp_forward(m, pts + 2 * (size_t)i, B, NN_EVAL), B, K);
    }
    free(pts);
    return probs;
}

/* The training points over the map, coloured by class. */
static void draw_points(Plot *p, const Data *d)
{
    double *x = xmalloc(2 * (size_t)d->n * sizeof *x, "point coordinates"), *y = x + d->n;
    for (int i = 0; i < d->n; i++) { x[i] = d->x[2 * i]; y[i] = d->x[2 * i + 1]; }
    plot_classes(p, x, y, d->y, d->n, "class");
    free(x);
}

/* One panel: P(class 1 | x) for two classes (blue, white at 1/2, orange), or
 * the predicted class for more; the points on top. */
static void draw_decision_panel(Plot *p, Mlp *m, const Data *d, int cells)
{
    Grid g = grid_for(d, cells);
    float *probs = grid_probs(m, &g, d->k);
    const int n = g.nx * g.ny;
    plot_labels(p, "x_1", "x_2");
    plot_equal_axes(p);
    if (d->k == 2) {
        double *z = xmalloc((size_t)n * sizeof *z, "P(class 1)");
        for (int c = 0; c < n; c++) z[c] = probs[2 * c + 1];
        plot_palette(p, PLOT_PALETTE_DIVERGING);
        plot_cbrange(p, 0, 1);
        plot_map(p, z, g.nx, g.ny, g.x0, g.x1, g.y0, g.y1, "P(class 1 | x)");
        free(z);
    } else {
        int *cls = xmalloc((size_t)n * sizeof *cls, "predicted classes");
        for (int c = 0; c < n; c++) cls[c] = vec_argmax(probs + (size_t)c * d->k, d->k);
        plot_class_map(p, cls, g.nx, g.ny, g.x0, g.x1, g.y0, g.y1);
        free(cls);
    }
    draw_points(p, d);
    free(probs);
}

/* ------------------------------------------------------------------ the run */

typedef struct {
    PlotOpts po;
    int quiet;
    int hidden, batch, steps, sweep_steps, drop_steps, drop_sets, grid;
    int points;            /* evaluations along a loss curve */
    NnAct act;
    double lr, dropout;
} Setup;

static MlpSpec two_hidden(int in, int hidden, int out, NnAct act)
{
    MlpSpec s = { .n_layers = 3, .sizes = { in, hidden, hidden, out }, .act = act };
    return s;
}

/* ================================================================== 1. gradient check */

/* Central difference of L = Σ c ⊙ mlp(x) in one float, with the same dropout
 * masks in every evaluation; the step is the exact difference of the floats. */
static double gc_loss(Mlp *m, const float *x, int B, const float *c, const Rng *masks)
{
    m->rng = *masks;
    const float *y = mlp_forward(m, x, B, NN_TRAIN);
    double s = 0;
    for (int i = 0; i < B * m->spec.sizes[m->spec.n_layers]; i++) s += (double)c[i] * y[i];
    return s;
}
static double gc_numeric(Mlp *m, float *p, const float *x, int B, const float *c, const Rng *masks)
{
    const float keep = *p, h = 1e-3f * fmaxf(1.0f, fabsf(keep));
    *p = keep + h;
    double up = *p, lp = gc_loss(m, x, B, c, masks);
    *p = keep - h;
    double down = *p, lm = gc_loss(m, x, B, c, masks);
    *p = keep;
    return (lp - lm) / (up - down);
}
static double rel_err(double a, double n) { return fabs(a - n) / fmax(fmax(fabs(a), fabs(n)), 5e-2); }

static int section_gradient_check(Rng *rng)
{
    printf("\n[1] Gradient check: backprop vs central differences of the float forward pass (step 1e-3),\n"
           "    worst relative error |a - n| / max(|a|, |n|, 0.05) over each group; 4 rows, network 3-6-5-4\n");
    printf("    %-36s %10s %10s %10s %10s\n", "hidden layers", "weights", "biases", "LN γ, β", "input x");
    int bad = 0;
    const struct { NnAct act; int ln; float p; } cases[] = {
        { NN_RELU, 0, 0 }, { NN_TANH, 0, 0 }, { NN_SIGMOID, 0, 0 }, { NN_GELU, 0, 0 }, { NN_GELU_ERF, 0, 0 },
        { NN_TANH, 1, 0 }, { NN_RELU, 0, 0.5f }, { NN_GELU, 1, 0.3f },
    };
    for (int k = 0; k < (int)(sizeof cases / sizeof cases[0]); k++) {
        MlpSpec s = { .n_layers = 3, .sizes = { 3, 6, 5, 4 }, .act = cases[k].act, .layernorm = cases[k].ln,
                      .dropout = cases[k].p };
        Mlp *m = mlp_create(&s, 4, rng);
        for (int l = 0; l < 3; l++)
            for (int o = 0; o < s.sizes[l + 1]; o++) m->b[l][o] = (float)(0.3 * rng_normal(rng));
        float x[12], c[16], dx[12];
        for (int i = 0; i < 12; i++) x[i] = (float)rng_normal(rng);
        for (int i = 0; i < 16; i++) c[i] = (float)rng_normal(rng);
        const Rng masks = m->rng;
        gc_loss(m, x, 4, c, &masks);
        mlp_zero_grad(m);
        mlp_backward(m, c, dx);
        double worst[4] = { 0, 0, 0, 0 };   /* W, b, γβ, x */
        double amax = 0, nmax = 0;          /* the guard: all-zero gradients prove nothing */
        for (int l = 0; l < 3; l++) {
            float *groups[4] = { m->W[l], m->b[l], m->ln_gamma[l], m->ln_beta[l] };
            float *grads[4] = { m->dW[l], m->db[l], m->dln_gamma[l], m->dln_beta[l] };
            int len[4] = { s.sizes[l + 1] * s.sizes[l], s.sizes[l + 1], s.sizes[l + 1], s.sizes[l + 1] };
            for (int g = 0; g < 4; g++) {
                if (!groups[g]) continue;
                for (int i = 0; i < len[g]; i++) {
                    double num = gc_numeric(m, &groups[g][i], x, 4, c, &masks), e = rel_err(grads[g][i], num);
                    int slot = g < 2 ? g : 2;
                    worst[slot] = isnan(e) ? INFINITY : fmax(worst[slot], e);
                    amax = fmax(amax, fabs(grads[g][i]));
                    nmax = fmax(nmax, fabs(num));
                }
            }
        }
        for (int i = 0; i < 12; i++) {
            double e = rel_err(dx[i], gc_numeric(m, &x[i], x, 4, c, &masks));
            worst[3] = isnan(e) ? INFINITY : fmax(worst[3], e);
        }
        char desc[96];
        mlp_describe(&s, desc, sizeof desc);
        char ln[16] = "-";
        if (s.layernorm) snprintf(ln, sizeof ln, "%.1e", worst[2]);
        int ok = worst[0] < 2e-2 && worst[1] < 2e-2 && worst[3] < 2e-2 && (!s.layernorm || worst[2] < 2e-2);
        const char *verdict = "   <- WRONG (make check CH=04)";
        if (!(nmax > 0)) { ok = 0; verdict = "   <- the output does not depend on the weights (forward passes?)"; }
        else if (!(amax > 0)) { ok = 0; verdict = "   <- backprop gives all zeros (backward passes?)"; }
        bad += !ok;
        printf("    %-36s %10.1e %10.1e %10s %10.1e%s\n", desc, worst[0], worst[1], ln, worst[3], ok ? "" : verdict);
        mlp_free(m);
    }
    if (bad) printf("    %d network(s) fail the check: a forward or backward pass is wrong.\n", bad);
    else printf("    all within 2e-2 (float rounding of the loss / step ≈ 1e-3 relative; a wrong backward gives ~1)\n");
    return 0;
}

/* ================================================================== 2. two moons and spirals */

static int section_classify(const Setup *s, Rng *rng)
{
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

/* ================================================================== 3. optimisers */

#define N_LR 9   /* learning rates 1e-4, 3e-4, ..., 1: half-decade steps */

static int section_optimisers(const Setup *s, Rng *rng)
{
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
        plot_panel(p, "the sweep: end-of-run loss against the learning rate (gaps: diverged)");
        plot_labels(p, "learning rate", "mean training loss, last 10% of the run");
        plot_log(p, "xy");
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

/* ================================================================== 4. dropout */

static int section_dropout(const Setup *s, Rng *rng)
{
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

    Plot *p = plot_begin_multi(&s->po, "dropout", "Dropout on 60 noisy points: a wide network, with and without it", 1, 3);
    if (p) {
        plot_size(p, 1700, 600);
        char title[128];
        snprintf(title, sizeof title, "loss (evaluation mode), mean of %d data set%s", S, S > 1 ? "s" : "");
        plot_panel(p, title);
        plot_labels(p, "step", "cross-entropy");
        plot_log(p, "y");
        plot_raw(p, "set key inside top left opaque box lc rgb '#bbbbbb' samplen 2.5");
        double *x = xmalloc((size_t)npts * sizeof *x, "steps");
        for (int j = 0; j < npts; j++) x[j] = (double)j * every;
        const char *colour[2] = { "lc 2", "lc 1" };   /* orange without, blue with dropout */
        for (int d = 0; d < 2; d++) {
            char leg[64], style[64];
            snprintf(style, sizeof style, "%s dt 2", colour[d]);
            plot_next_style(p, style);
            snprintf(leg, sizeof leg, d ? "train, dropout %g" : "train, no dropout", ps[d]);
            plot_line(p, x, curves + (2 * d) * npts, npts, leg);
            plot_next_style(p, colour[d]);
            snprintf(leg, sizeof leg, d ? "held-out, dropout %g" : "held-out, no dropout", ps[d]);
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

/* ================================================================== 5. layer norm */

static int section_layernorm(const Setup *s, Rng *rng)
{
    int failures = 0;
    enum { DEPTH = 7, WIDTH = 32 };   /* 6 hidden layers */
    const float lr = 0.02f;
    Rng r_data = rng_split(rng), r_init = rng_split(rng);
    const Rng batches = rng_split(rng);
    Data tr = spirals(&r_data, 600);
    const int steps = s->sweep_steps, every = steps >= s->points ? steps / s->points : 1, npts = steps / every + 1;
    double *curve[2], final[2], acc[2];
    for (int ln = 0; ln < 2; ln++) {
        MlpSpec spec = { .n_layers = DEPTH, .act = NN_TANH, .layernorm = ln };
        spec.sizes[0] = 2;
        for (int l = 1; l < DEPTH; l++) spec.sizes[l] = WIDTH;
        spec.sizes[DEPTH] = SPIRAL_ARMS;
        Rng ri = r_init, rb = batches;
        Mlp *m = mlp_create(&spec, 1024, &ri);
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
    printf("    %-22s %12s %12s %28s\n", "", "train loss", "train acc", "first step with loss < ½ log 3");
    for (int ln = 0; ln < 2; ln++) {
        char when[32] = "never";
        if (off[ln] >= 0) snprintf(when, sizeof when, "%d", off[ln]);
        printf("    %-22s %12.4f %12.4f %28s\n", ln ? "with layer norm" : "without", final[ln], acc[ln], when);
    }
    Plot *p = plot_begin(&s->po, "layernorm", "A deep tanh network (6 hidden layers of 32) under plain SGD");
    if (p) {
        plot_labels(p, "step", "cross-entropy on the whole training set");
        plot_log(p, "y");
        double *x = xmalloc((size_t)npts * sizeof *x, "steps");
        for (int j = 0; j < npts; j++) x[j] = (double)j * every;
        plot_hline(p, log((double)SPIRAL_ARMS), "log 3: uniform guess");
        plot_line(p, x, curve[0], npts, "without layer norm");
        plot_line(p, x, curve[1], npts, "with layer norm");
        free(x);
    }
    failures += plot_end(p) != 0;
    free(curve[0]); free(curve[1]);
    data_free(&tr);
    return failures;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    Setup s = { .hidden = 64, .batch = 64, .steps = 3000, .sweep_steps = 2000, .drop_steps = 1500, .drop_sets = 5,
                .grid = 200, .points = 100, .lr = 0.01, .dropout = 0.5 };
    const char *act = "relu";
    CliOption opts[] = {
        { "--hidden", CLI_INT, &s.hidden, 2, 1024, "width of the two hidden layers (sections 2, 3)" },
        { "--act", CLI_STRING, &act, 0, 0, "hidden activation of sections 2, 3: relu, tanh, sigmoid, gelu or gelu-erf" },
        { "--lr", CLI_DOUBLE, &s.lr, 1e-6, 10, "Adam's learning rate in section 2" },
        { "--batch", CLI_INT, &s.batch, 1, 4096, "mini-batch size (sections 2, 3, 5)" },
        { "--steps", CLI_INT, &s.steps, 1, 1000000, "training steps in section 2" },
        { "--sweep-steps", CLI_INT, &s.sweep_steps, 10, 1000000, "steps per run in sections 3 and 5" },
        { "--dropout", CLI_DOUBLE, &s.dropout, 0.0, 0.95, "drop probability in section 4" },
        { "--drop-steps", CLI_INT, &s.drop_steps, 10, 1000000, "training steps per run in section 4" },
        { "--drop-sets", CLI_INT, &s.drop_sets, 1, 100, "data sets averaged in section 4" },
        { "--grid", CLI_INT, &s.grid, 10, 1000, "cells across a decision map" },
    };
    CliCommon cl = cli_defaults("04_nn", 4);
    cli_parse(argc, argv, "neural networks from scratch: an MLP with hand-written backprop", opts, ARRAY_LEN(opts),
              &cl);
    if (nn_act_parse(act, &s.act) != 0) {
        fprintf(stderr, "error: --act %s: must be one of relu, tanh, sigmoid, gelu, gelu-erf\n", act);
        return 2;
    }
    if (cl.quick) {   /* a small run: cap the sizes (explicit smaller values still win) */
        if (s.steps > 800) s.steps = 800;
        if (s.sweep_steps > 300) s.sweep_steps = 300;
        if (s.drop_steps > 300) s.drop_steps = 300;
        s.points = 50;
        if (s.drop_sets > 1) s.drop_sets = 1;
        if (s.grid > 80) s.grid = 80;
    }
    s.po = cli_plot_opts(&cl);
    s.quiet = cl.quiet;
    const double t_start = progress_now();
    printf("Chapter 04: neural networks from scratch (seed %llu%s)\n", (unsigned long long)cl.seed,
           cl.quick ? ", quick" : "");
    /* one independent stream per section, so changing one section's sizes leaves the others alone */
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r1 = rng_split(&root), r2 = rng_split(&root), r3 = rng_split(&root), r4 = rng_split(&root),
        r5 = rng_split(&root);

    int failures = 0;
    double t[6];
    t[0] = progress_now();
    failures += section_gradient_check(&r1);
    t[1] = progress_now();
    failures += section_classify(&s, &r2);
    t[2] = progress_now();
    failures += section_optimisers(&s, &r3);
    t[3] = progress_now();
    failures += section_dropout(&s, &r4);
    t[4] = progress_now();
    failures += section_layernorm(&s, &r5);
    t[5] = progress_now();

    printf("\nTotal time %.2f s (sections 1-5: %.2f, %.2f, %.2f, %.2f, %.2f s, figures included)\n",
           t[5] - t_start, t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4]);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
