/* main_train.c — chapter 04: what the sections share: the data sets in
 * float, the training loop, the decision-map panels. See main.h. */
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

/* ------------------------------------------------------------------ data */

Data data_alloc(int n, int k)
{
    Data d = { n, k, xmalloc(2 * (size_t)n * sizeof(float), "points"), xmalloc((size_t)n * sizeof(int), "labels") };
    return d;
}

void data_free(Data *d) { free(d->x); free(d->y); }

/* From a generator's double arrays to float. */
static void data_from(Data *d, const double *X)
{
    for (int i = 0; i < 2 * d->n; i++) d->x[i] = (float)X[i];
}
Data moons(Rng *r, int n, double noise)
{
    Data d = data_alloc(n, 2);
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "moons");
    ds_two_moons(r, X, d.y, n, noise);
    data_from(&d, X);
    free(X);
    return d;
}

Data spirals(Rng *r, int n)
{
    Data d = data_alloc(n, SPIRAL_ARMS);
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "spirals");
    ds_spirals(r, X, d.y, n, SPIRAL_ARMS, SPIRAL_TURNS, SPIRAL_NOISE);
    data_from(&d, X);
    free(X);
    return d;
}

/* ------------------------------------------------------------------ training */

void evaluate(Mlp *m, const Data *d, double *loss, double *acc)
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

/* See main.h; the loop: draw a mini-batch, forward, loss, backward, step. */
int train(Mlp *m, Optim *o, const Data *tr, const Data *test, const TrainSpec *t, Rng *r, double *curve,
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

/* ------------------------------------------------------------------ unfinished exercises */

static void need(int ok, const char *exercise, const char *seen)
{
    if (!ok) ex_unfinished("04_nn", exercise, "%s", seen);
}

void require_written(unsigned needs)
{
    if (needs & NEED_LAYERS) {
        /* out = W in + b with W = I (2 x 2), b = 0.5; then the gradients of sum(out) */
        const float in[2] = { 1, 2 }, W[4] = { 1, 0, 0, 1 }, b[2] = { 0.5f, 0.5f }, dout[2] = { 1, 1 };
        float out[2] = { 0 }, din[2] = { 0 }, dW[4] = { 0 }, db[2] = { 0 };
        nn_linear_forward(out, in, W, b, 1, 2, 2);
        need(!ex_all_zerof(out, 2), "nn_linear_forward", "W x + b = 0 for W = I, x = (1, 2), b = 0.5");
        nn_linear_backward(din, dW, db, dout, in, W, 1, 2, 2);
        need(!ex_all_zerof(dW, 4) || !ex_all_zerof(db, 2) || !ex_all_zerof(din, 2), "nn_linear_backward",
             "every gradient is 0 for dL/dout = (1, 1)");
        static const NnAct acts[4] = { NN_RELU, NN_TANH, NN_SIGMOID, NN_GELU };
        for (int k = 0; k < 4; k++) {
            float one = 1, y = 0, dy = 1, dx = 0;
            nn_act_forward(&y, &one, 1, acts[k]);
            char seen[64];
            snprintf(seen, sizeof seen, "%s(1) = 0", nn_act_name(acts[k]));
            need(y != 0, "nn_act_forward", seen);
            nn_act_backward(&dx, &dy, &one, &y, 1, acts[k]);
            snprintf(seen, sizeof seen, "the derivative of %s at 1 is 0", nn_act_name(acts[k]));
            need(dx != 0, "nn_act_backward", seen);
        }
    }
    if (needs & NEED_XENT) {
        const float logits[2] = { 0, 0 };
        const int label = 0;
        float dl[2] = { 0, 0 };
        need(nn_softmax_xent(dl, logits, &label, 1, 2) != 0 || !ex_all_zerof(dl, 2), "nn_softmax_xent",
             "the loss of logits (0, 0) is 0 (not log 2) and its gradient 0");
    }
    if (needs & NEED_DROPOUT) {
        float in[16], out[16] = { 0 }, mask[16] = { 0 }, din[16] = { 0 };
        for (int i = 0; i < 16; i++) in[i] = 1;
        Rng r;
        rng_seed(&r, 1);
        nn_dropout_forward(out, mask, in, 16, 0.5f, 1, &r);
        need(!ex_all_zerof(out, 16), "nn_dropout_forward", "every output is 0 for p = 0.5 on 16 ones");
        nn_dropout_backward(din, in, mask, 16);
        need(!ex_all_zerof(din, 16), "nn_dropout_backward", "every input gradient is 0");
    }
    if (needs & NEED_LAYERNORM) {
        const float in[2] = { 1, 3 }, gamma[2] = { 1, 1 }, beta[2] = { 0, 0 }, dout[2] = { 1, 0 };
        float out[2] = { 0 }, mean = 0, rstd = 0, din[2] = { 0 }, dg[2] = { 0 }, dbt[2] = { 0 };
        nn_layernorm_forward(out, &mean, &rstd, in, gamma, beta, 1, 2);
        need(!ex_all_zerof(out, 2), "nn_layernorm_forward", "the normalised (1, 3) is (0, 0), not about (-1, 1)");
        nn_layernorm_backward(din, dg, dbt, dout, in, &mean, &rstd, gamma, 1, 2);
        need(!ex_all_zerof(dg, 2) || !ex_all_zerof(dbt, 2) || !ex_all_zerof(din, 2), "nn_layernorm_backward",
             "every gradient is 0");
    }
    /* one step from p = 1 along g = 1: every optimiser must move p */
    const float g = 1;
    if (needs & NEED_SGD) {
        float p = 1;
        nn_sgd_step(&p, &g, 1, 0.1f);
        need(p != 1, "nn_sgd_step", "the parameter did not move");
    }
    if (needs & NEED_MOMENTUM) {
        float p = 1, v = 0;
        nn_momentum_step(&p, &v, &g, 1, 0.1f, 0.9f);
        need(p != 1, "nn_momentum_step", "the parameter did not move");
    }
    if (needs & NEED_ADAM) {
        float p = 1, m1 = 0, v = 0;
        nn_adam_step(&p, &m1, &v, &g, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 1);
        need(p != 1, "nn_adam_step", "the parameter did not move");
    }
}

/* A run the user configured must not silently produce garbage. */
void require_trained(int rec, const char *what, float lr)
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
void draw_decision_panel(Plot *p, Mlp *m, const Data *d, int cells)
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

MlpSpec two_hidden(int in, int hidden, int out, NnAct act)
{
    MlpSpec s = { .n_layers = 3, .sizes = { in, hidden, hidden, out }, .act = act };
    return s;
}
