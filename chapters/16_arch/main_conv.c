/* main_conv.c — sections 1 and 2 of chapter 16's program: convolution
 * arithmetic, and a small CNN against the course's MLP (main.h). */
#include "conv.h"
#include "imageset.h"
#include "exercise.h"
#include "main.h"
#include "mlp.h"
#include "models.h"
#include "nn.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================== 1. arithmetic */

/* Three stacks whose receptive field the figure follows, layer by layer. */
#define RF_LAYERS 8
typedef struct {
    const char *name;
    int L, k[RF_LAYERS], s[RF_LAYERS];
} Stack;

static const Stack STACKS[3] = {
    { "3×3 convolutions, stride 1", 8, { 3, 3, 3, 3, 3, 3, 3, 3 }, { 1, 1, 1, 1, 1, 1, 1, 1 } },
    { "3×3 convolution + 2×2 pooling, 4 blocks", 8, { 3, 2, 3, 2, 3, 2, 3, 2 }, { 1, 2, 1, 2, 1, 2, 1, 2 } },
    { "this chapter's CNN: conv 5, pool 2, conv 3, pool 2", 4, { 5, 2, 3, 2 }, { 1, 2, 1, 2 } },
};

int section_conv_arithmetic(const Setup *s)
{
    (void)s;
    /* in, k, s, p */
    const int cases[][4] = { { 16, 5, 1, 2 }, { 16, 3, 1, 0 }, { 16, 2, 2, 0 }, { 28, 5, 1, 2 }, { 227, 11, 4, 0 },
                             { 7, 3, 2, 1 }, { 6, 3, 2, 0 } };
    printf("\n[1] Convolution arithmetic: output size floor((W − F + 2P)/S) + 1\n");
    printf("    %6s %6s %6s %6s %8s\n", "W", "F", "S", "P", "output");
    for (int i = 0; i < ARRAY_LEN(cases); i++)
        printf("    %6d %6d %6d %6d %8d%s\n", cases[i][0], cases[i][1], cases[i][2], cases[i][3],
               conv_out_size(cases[i][0], cases[i][1], cases[i][2], cases[i][3]),
               i == 0 ? "   (\"same\": P = (F − 1)/2)" : i == 4 ? "   (AlexNet's first layer)"
                                                           : i == 6 ? "   (3/2 is not whole: the last column is dropped)" : "");
    if (conv_out_size(16, 5, 1, 2) != 16) ex_unfinished("16_arch", "conv_out_size", "a 5×5 kernel with padding 2 on 16×16 "
                                                                          "does not give 16");
    printf("    Receptive field rf and jump (input pixels between neighbouring units), layer by layer:\n");
    for (int k = 0; k < 3; k++) {
        const Stack *st = &STACKS[k];
        int rf[RF_LAYERS + 1], jump[RF_LAYERS + 1];
        conv_receptive_field(rf, jump, st->k, st->s, st->L);
        printf("    %-52s rf", st->name);
        for (int l = 1; l <= st->L; l++) printf(" %3d", rf[l]);
        printf("   (jump %d at the end)\n", jump[st->L]);
        if (rf[1] != st->k[0]) ex_unfinished("16_arch", "conv_receptive_field", "the first layer's field is not its kernel");
    }
    return 0;
}

/* ================================================================== 2. CNN vs MLP */

/* A classifier of either kind, trained by the same loop. */
typedef struct {
    Mlp *mlp;
    Cnn *cnn;
    char name[64];
} Net;

static int net_params(const Net *n) { return n->mlp ? n->mlp->n_params : n->cnn->n_params; }
static float *net_param_block(Net *n) { return n->mlp ? n->mlp->params : n->cnn->params; }
static float *net_grad_block(Net *n) { return n->mlp ? n->mlp->grads : n->cnn->grads; }
static const float *net_forward(Net *n, const float *x, int B, NnMode mode)
{
    return n->mlp ? mlp_forward(n->mlp, x, B, mode) : cnn_forward(n->cnn, x, B);
}
static void net_backward(Net *n, const float *dlogits)
{
    if (n->mlp) mlp_backward(n->mlp, dlogits, NULL);
    else cnn_backward(n->cnn, dlogits);
}
static void net_free(Net *n) { mlp_free(n->mlp); cnn_free(n->cnn); }

enum { BATCH = 64 };

/* Held-out accuracy (%) of n on the set d. */
static double net_accuracy(Net *n, const ImageSet *d)
{
    const int hw = d->h * d->w;
    long correct = 0;
    for (int i = 0; i < d->n; i += BATCH) {
        const int B = d->n - i < BATCH ? d->n - i : BATCH;
        const float *logits = net_forward(n, d->pix + (size_t)i * hw, B, NN_EVAL);
        correct += lround(nn_accuracy(logits, d->label + i, B, IMS_CLASSES) * B);
    }
    return 100.0 * (double)correct / d->n;
}

/* Adam on mini-batches of BATCH shuffled images for `epochs` passes. Returns
 * the CPU seconds it took (this thread), for the accuracy-vs-time panel. */
static double net_train(Net *n, const ImageSet *d, int epochs, double lr, Rng *rng, int quiet)
{
    const int hw = d->h * d->w, steps_per_epoch = d->n / BATCH > 0 ? d->n / BATCH : 1;
    int *order = xmalloc((size_t)d->n * sizeof *order, "image order");
    float *x = xmalloc((size_t)BATCH * hw * sizeof *x, "a batch"), dl[BATCH * IMS_CLASSES];
    int y[BATCH];
    for (int i = 0; i < d->n; i++) order[i] = i;
    Optim *opt = optim_create(OPTIM_ADAM, net_params(n), (float)lr);
    Progress pr;
    progress_start(&pr, n->name, (long)epochs * steps_per_epoch, quiet);
    const double c0 = progress_thread_cpu();
    double loss = 0;
    for (int e = 0; e < epochs; e++) {
        rng_shuffle(rng, order, d->n);
        for (int k = 0; k < steps_per_epoch; k++) {
            const int B = d->n < BATCH ? d->n : BATCH;
            for (int j = 0; j < B; j++) {
                const int i = order[k * BATCH + j];
                memcpy(x + (size_t)j * hw, d->pix + (size_t)i * hw, (size_t)hw * sizeof *x);
                y[j] = d->label[i];
            }
            loss = nn_softmax_xent(dl, net_forward(n, x, B, NN_TRAIN), y, B, IMS_CLASSES);
            if (!isfinite(loss)) die(1, "%s: the loss is %g at epoch %d; lower the learning rate, or with "
                                        "IMPL=exercises check the layers (make check CH=16)", n->name, loss, e + 1);
            model_zero_grad(net_grad_block(n), net_params(n));
            net_backward(n, dl);
            optim_step(opt, net_param_block(n), net_grad_block(n));
            progress_update(&pr, (long)e * steps_per_epoch + k + 1, "loss %.3f", loss);
        }
    }
    const double cpu = progress_thread_cpu() - c0;
    progress_finish(&pr);
    optim_free(opt);
    free(order); free(x);
    return cpu;
}

/* Before training: a forward and a backward pass on a few images must give
 * some non-zero logits and first-layer gradients; what a stub gives is 0. */
static void cnn_probe(Cnn *m, const ImageSet *d)
{
    const int B = d->n < 8 ? d->n : 8;
    float dl[8 * IMS_CLASSES];
    nn_softmax_xent(dl, cnn_forward(m, d->pix, B), d->label, B, IMS_CLASSES);
    if (ex_all_zerof(m->a1, (size_t)B * m->spec.c1 * m->spec.H * m->spec.W))
        ex_unfinished("16_arch", "conv_forward", "the first convolution's output is 0 everywhere");
    if (ex_all_zerof(m->p2, (size_t)B * m->flat)) ex_unfinished("16_arch", "pool_max_forward", "the pooled features are all 0");
    cnn_backward(m, dl);
    if (ex_all_zerof(m->dcw1, (size_t)m->spec.c1 * 25))
        ex_unfinished("16_arch", "conv_backward / pool_max_backward", "no gradient reaches the first convolution's filters");
    model_zero_grad(m->grads, m->n_params);
}

/* One row of the comparison. */
typedef struct {
    double params, acc, cpu;
} Result;

#define N_MLP 3
#define N_CNN 3
static const int MLP_WIDTHS[N_MLP] = { 16, 64, 256 };
static const int CNN_CHANNELS[N_CNN][2] = { { 4, 8 }, { 8, 16 }, { 16, 32 } };

/* Train every MLP and CNN of the comparison on train, test on test. The
 * largest CNN is kept in *keep (for the filter and receptive-field figures)
 * if keep is not NULL. */
static void compare(const Setup *s, const char *data, const ImageSet *train, const ImageSet *test, int epochs,
                    Result mlp_res[N_MLP], Result cnn_res[N_CNN], Cnn **keep, Rng *rng)
{
    const int hw = train->h * train->w;
    printf("    %-30s %10s %12s %12s\n", "model", "parameters", "held-out %", "train CPU s");
    for (int k = 0; k < N_MLP + N_CNN; k++) {
        Net n = { 0 };
        Rng init = rng_split(rng);
        if (k < N_MLP) {
            MlpSpec sp = { .n_layers = 2, .sizes = { hw, MLP_WIDTHS[k], IMS_CLASSES }, .act = NN_RELU };
            n.mlp = mlp_create(&sp, BATCH, &init);
            snprintf(n.name, sizeof n.name, "%s MLP %d-%d-%d", data, hw, MLP_WIDTHS[k], IMS_CLASSES);
        } else {
            const CnnSpec sp = { train->h, train->w, CNN_CHANNELS[k - N_MLP][0], CNN_CHANNELS[k - N_MLP][1],
                                 IMS_CLASSES };
            n.cnn = cnn_create(&sp, BATCH, &init);
            if (!n.cnn) ex_unfinished("16_arch", "conv_out_size", "the CNN's \"same\" convolutions do not keep the size");
            cnn_probe(n.cnn, train);
            snprintf(n.name, sizeof n.name, "%s CNN %d-%d channels", data, sp.c1, sp.c2);
        }
        const double cpu = net_train(&n, train, epochs, 2e-3, rng, s->quiet);
        Result r = { net_params(&n), net_accuracy(&n, test), cpu };
        printf("    %-30s %10.0f %12.2f %12.2f\n", n.name + strlen(data) + 1, r.params, r.acc, r.cpu);
        if (k < N_MLP) mlp_res[k] = r;
        else cnn_res[k - N_MLP] = r;
        if (k == N_MLP + N_CNN - 1 && keep) {
            *keep = n.cnn;
            n.cnn = NULL;
        }
        net_free(&n);
    }
}

/* ∂(pre-activation of one conv-2 unit)/∂x for image x: the chain of the
 * backward passes from that unit down to the pixels, through the ReLU and
 * pooling pattern of this image. g (H, W) is written. */
static void unit_input_gradient(Cnn *m, const float *x, int f, int cy, int cx, float *g)
{
    const CnnSpec *sp = &m->spec;
    cnn_forward(m, x, 1);
    float *dz2 = xcalloc((size_t)sp->c2 * m->h1 * m->w1, sizeof *dz2, "a unit's gradient");
    float *dp1 = xcalloc((size_t)sp->c1 * m->h1 * m->w1, sizeof *dp1, "a unit's gradient");
    float *da1 = xcalloc((size_t)sp->c1 * sp->H * sp->W, sizeof *da1, "a unit's gradient");
    dz2[((size_t)f * m->h1 + cy) * m->w1 + cx] = 1;
    conv_backward(dp1, m->dcw2, m->dcb2, m->dcols, dz2, m->cols2, m->cw2, &m->l2, 1);
    pool_max_backward(da1, dp1, m->am1, 1, sp->c1, sp->H, sp->W, 2, 2);
    nn_act_backward(da1, da1, m->a1, m->a1, sp->c1 * sp->H * sp->W, NN_RELU);
    conv_backward(g, m->dcw1, m->dcb1, m->dcols, da1, m->cols1, m->cw1, &m->l1, 1);
    model_zero_grad(m->grads, m->n_params);   /* the parameter gradients above are not wanted */
    free(dz2); free(dp1); free(da1);
}

/* Tiles of size h×w in a grid of `cols` columns with one NaN (blank) cell
 * between them, into a (rows·(h+1) − 1, cols·(w+1) − 1) map for plot_map,
 * row 0 of the map at the BOTTOM (so tile rows are flipped). Returns the map
 * (free it); *nx, *ny its size. Each tile scaled by scale[t] (or 1). */
static double *tile_map(const float *tiles, int n, int h, int w, int cols, const double *scale, int *nx, int *ny)
{
    const int rows = (n + cols - 1) / cols;
    *nx = cols * (w + 1) - 1;
    *ny = rows * (h + 1) - 1;
    double *z = xmalloc((size_t)*nx * *ny * sizeof *z, "a tile map");
    for (int i = 0; i < *nx * *ny; i++) z[i] = NAN;
    for (int t = 0; t < n; t++) {
        const int tr = t / cols, tc = t % cols;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                const int my = *ny - 1 - (tr * (h + 1) + y), mx = tc * (w + 1) + x;
                z[(size_t)my * *nx + mx] = tiles[((size_t)t * h + y) * w + x] * (scale ? scale[t] : 1.0);
            }
    }
    return z;
}

static int draw_comparison(const Setup *s, const Result dm[N_MLP], const Result dc[N_CNN], const Result *fm,
                           const Result *fc)
{
    Plot *p = plot_begin_multi(&s->po, "cnn_vs_mlp", "A small CNN against the course's MLP: held-out accuracy", 1, 2);
    if (!p) return 1;
    plot_size(p, 1300, 520);
    for (int panel = 0; panel < 2; panel++) {
        plot_panel(p, panel ? "against training time" : "against the number of parameters");
        plot_labels(p, panel ? "training CPU seconds (one thread)" : "parameters", "held-out accuracy (%)");
        plot_log(p, "x");
        const Result *sets[4] = { dm, dc, fm, fc };
        const int counts[4] = { N_MLP, N_CNN, N_MLP, N_CNN };
        const char *names[4] = { "MLP, digits 16×16", "CNN, digits 16×16", "MLP, Fashion-MNIST 28×28",
                                 "CNN, Fashion-MNIST 28×28" };
        const char *lines[4] = { "lc 1", "lc 2", "lc 1 dt 2", "lc 2 dt 2" };
        const char *points[4] = { "lc 1 pt 7 ps 1.3", "lc 2 pt 5 ps 1.3", "lc 1 pt 6 ps 1.3", "lc 2 pt 4 ps 1.3" };
        for (int k = 0; k < 4; k++) {
            if (!sets[k]) continue;
            double x[N_MLP > N_CNN ? N_MLP : N_CNN], y[N_MLP > N_CNN ? N_MLP : N_CNN];
            for (int i = 0; i < counts[k]; i++) {
                x[i] = panel ? sets[k][i].cpu : sets[k][i].params;
                y[i] = sets[k][i].acc;
            }
            plot_next_style(p, lines[k]);
            plot_line(p, x, y, counts[k], names[k]);
            plot_next_style(p, points[k]);
            plot_points(p, x, y, counts[k], NULL);
        }
    }
    return plot_end(p) != 0;
}

/* First-layer filters, one digit and its feature maps. */
static int draw_filters(const Setup *s, Cnn *m, const ImageSet *test)
{
    const CnnSpec *sp = &m->spec;
    const int c1 = sp->c1, HW = sp->H * sp->W;
    double *scale = xmalloc((size_t)(c1 + 1) * sizeof *scale, "tile scales");
    for (int f = 0; f < c1; f++) {   /* each filter on its own scale: its largest |w| is 1 */
        double mx = 0;
        for (int i = 0; i < 25; i++) mx = fmax(mx, fabs(m->cw1[f * 25 + i]));
        scale[f] = mx > 0 ? 1 / mx : 1;
    }
    int nx, ny, nx2, ny2;
    const int fcols = (int)ceil(sqrt((double)c1));   /* a square-ish grid */
    double *zf = tile_map(m->cw1, c1, 5, 5, fcols, scale, &nx, &ny);
    /* a test digit, then its feature maps, each scaled to its largest value */
    int idx = 0;
    while (idx < test->n - 1 && test->label[idx] != 3) idx++;
    cnn_forward(m, test->pix + (size_t)idx * HW, 1);
    float *tiles = xmalloc((size_t)(c1 + 1) * HW * sizeof *tiles, "feature maps");
    memcpy(tiles, test->pix + (size_t)idx * HW, (size_t)HW * sizeof *tiles);
    memcpy(tiles + HW, m->a1, (size_t)c1 * HW * sizeof *tiles);
    scale[0] = 1;
    for (int f = 0; f < c1; f++) {
        double mx = 0;
        for (int i = 0; i < HW; i++) mx = fmax(mx, m->a1[(size_t)f * HW + i]);
        scale[f + 1] = mx > 0 ? 1 / mx : 1;
    }
    double *za = tile_map(tiles, c1 + 1, sp->H, sp->W, 6, scale, &nx2, &ny2);
    Plot *p = plot_begin_multi(&s->po, "filters", "What the first convolution learned (the largest digits CNN)", 1, 2);
    if (p) {
        plot_size(p, 1400, 520);
        plot_panel(p, "its 5×5 filters, each scaled to its largest |w|");
        plot_raw(p, "unset xtics; unset ytics");
        plot_raw(p, "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')");
        plot_cbrange(p, -1, 1);
        plot_equal_axes(p);
        plot_map(p, zf, nx, ny, 0, nx, 0, ny, "w / max|w|");
        plot_panel(p, "a test digit (top left) and its feature maps after ReLU, each scaled to its largest value");
        plot_raw(p, "unset xtics; unset ytics");
        plot_equal_axes(p);
        plot_palette(p, PLOT_PALETTE_VIRIDIS);
        plot_cbrange(p, 0, 1);
        plot_map(p, za, nx2, ny2, 0, nx2, 0, ny2, "value / max");
    }
    free(scale); free(zf); free(za); free(tiles);
    return plot_end(p) != 0;
}

/* The receptive field: growth with depth, and measured on a unit of the CNN. */
static int draw_receptive_field(const Setup *s, Cnn *m, const ImageSet *test)
{
    const CnnSpec *sp = &m->spec;
    const int H = sp->H, W = sp->W, HW = H * W, cy = m->h1 / 2, cx = m->w1 / 2;
    const int n = test->n < 200 ? test->n : 200;
    float *g = xmalloc((size_t)HW * sizeof *g, "a gradient");
    double *mean = xcalloc((size_t)HW, sizeof *mean, "a gradient map");
    for (int i = 0; i < n; i++) {
        unit_input_gradient(m, test->pix + (size_t)i * HW, 0, cy, cx, g);
        for (int j = 0; j < HW; j++) mean[j] += fabs(g[j]) / n;
    }
    /* theory: conv 5 → pool 2 → conv 3 is 10 pixels; unit (cy, cx) of the pooled grid sees rows 2cy − 4 .. 2cy + 5 */
    const int k[3] = { 5, 2, 3 }, stride[3] = { 1, 2, 1 };
    int rf[4], jump[4];
    conv_receptive_field(rf, jump, k, stride, 3);
    const double y0 = 2 * cy - 4, x0 = 2 * cx - 4;
    int inside = 0, outside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const int in = y >= y0 && y < y0 + rf[3] && x >= x0 && x < x0 + rf[3];
            if (mean[y * W + x] > 0) inside += in, outside += !in;
        }
    printf("    Measured receptive field of one unit of the second convolution (mean |∂z/∂x| over %d test\n"
           "    digits): %d pixels with a non-zero gradient inside the predicted %d×%d square, %d outside.\n",
           n, inside, rf[3], rf[3], outside);
    /* the map, row 0 at the bottom: flip */
    double *z = xmalloc((size_t)HW * sizeof *z, "a gradient map");
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) z[(size_t)(H - 1 - y) * W + x] = mean[y * W + x];
    Plot *p = plot_begin_multi(&s->po, "receptive_field", "Receptive fields", 1, 2);
    if (p) {
        plot_size(p, 1300, 540);
        plot_panel(p, "growth with depth: rf_{l+1} = rf_l + (k_l - 1)·jump_l");
        plot_labels(p, "layers", "receptive field (input pixels per side)");
        for (int q = 0; q < 3; q++) {
            int r[RF_LAYERS + 1], j[RF_LAYERS + 1];
            conv_receptive_field(r, j, STACKS[q].k, STACKS[q].s, STACKS[q].L);
            double xl[RF_LAYERS + 1], yl[RF_LAYERS + 1];
            for (int l = 0; l <= STACKS[q].L; l++) { xl[l] = l; yl[l] = r[l]; }
            char st[32];
            snprintf(st, sizeof st, "lc %d", q + 1);
            plot_next_style(p, st);
            plot_line(p, xl, yl, STACKS[q].L + 1, STACKS[q].name);
            snprintf(st, sizeof st, "lc %d pt 7 ps 1.2", q + 1);
            plot_next_style(p, st);
            plot_points(p, xl, yl, STACKS[q].L + 1, NULL);
        }
        plot_hline(p, 16, "16×16 digits");
        plot_hline(p, 28, "28×28 Fashion-MNIST");
        plot_panel(p, "one unit of the second convolution: mean |∂z/∂x| over test digits");
        plot_labels(p, "x (pixel)", "y (pixel, from the top)");
        plot_equal_axes(p);
        plot_raw(p, "set ytics ('0' 16, '4' 12, '8' 8, '12' 4, '16' 0)");
        plot_map(p, z, W, H, 0, W, 0, H, "mean |gradient|");
        const double bx[5] = { x0, x0 + rf[3], x0 + rf[3], x0, x0 };
        const double by[5] = { H - y0, H - y0, H - y0 - rf[3], H - y0 - rf[3], H - y0 };
        plot_next_style(p, "lc rgb '#ffffff' lw 2 dt 2");
        plot_line(p, bx, by, 5, "predicted 10×10 field");
    }
    free(g); free(mean); free(z);
    return plot_end(p) != 0;
}

int section_cnn_vs_mlp(const Setup *s, Rng *rng)
{
    const int n_train = s->train_images, n_test = n_train / 4 > 100 ? n_train / 4 : 100;
    Rng rdata = rng_split(rng), rtrain = rng_split(rng);
    ImageSet train, test;
    ims_digits(&train, &rdata, n_train);
    ims_digits(&test, &rdata, n_test);
    printf("\n[2] CNN against MLP on generated 16×16 digits: %d training and %d held-out images, %d epoch%s of\n"
           "    Adam (lr 0.002, batch %d). Training time is this thread's CPU time.\n", n_train, n_test, s->epochs,
           s->epochs > 1 ? "s" : "", BATCH);
    Result dm[N_MLP], dc[N_CNN], fm[N_MLP], fc[N_CNN];
    Cnn *big = NULL;
    compare(s, "digits", &train, &test, s->epochs, dm, dc, &big, &rtrain);
    int fashion_done = 0;
    if (s->fashion) {
        ImageSet ftrain = { 0 }, ftest = { 0 };
        char err[512];
        if (ims_load_fashion(&ftrain, NULL, IMS_TRAIN, err, sizeof err) != 0 ||
            ims_load_fashion(&ftest, NULL, IMS_TEST, err, sizeof err) != 0) {
            if (ftrain.pix) ims_free(&ftrain);
            printf("    Fashion-MNIST skipped: %s\n    (install the Debian package %s to include it)\n", err,
                   IMS_FASHION_PACKAGE);
        } else {
            ftrain.n = ftrain.n < s->fashion_images ? ftrain.n : s->fashion_images;   /* the first images */
            ftest.n = ftest.n < 2000 ? ftest.n : 2000;
            printf("    Fashion-MNIST (Xiao et al. 2017), 28×28: the first %d training and %d test images, %d epoch%s:\n",
                   ftrain.n, ftest.n, s->epochs > 1 ? s->epochs - 1 : 1, s->epochs > 2 ? "s" : "");
            compare(s, "fashion", &ftrain, &ftest, s->epochs > 1 ? s->epochs - 1 : 1, fm, fc, NULL, &rtrain);
            fashion_done = 1;
            ims_free(&ftrain);
            ims_free(&ftest);
        }
    }
    int failures = draw_comparison(s, dm, dc, fashion_done ? fm : NULL, fashion_done ? fc : NULL);
    failures += draw_filters(s, big, &test);
    failures += draw_receptive_field(s, big, &test);
    cnn_free(big);
    ims_free(&train);
    ims_free(&test);
    return failures;
}
