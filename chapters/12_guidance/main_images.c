/* main_images.c — chapter 12 on 16×16 digits: the classifier-free guidance
 * sweep (section 3), the label-drop probability (4) and classifier guidance
 * (5), every setting measured in the features of chapter 10's digit
 * classifier: Fréchet distance, precision, recall (metrics.h) and the
 * classifier's accuracy on the class each sample was asked for.
 */
#include "main.h"
#include "image.h"
#include "imageset.h"
#include "metrics.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K_CLASSES 10
#define GRID_PER 8   /* samples per class and setting in the PNG grids */

/* Series colours (Okabe-Ito), so that a line and its markers match. */
static const char *const COLOURS[4] = { "#0072B2", "#D55E00", "#009E73", "#CC79A7" };

/* A line with a marker at each point, in colour k. */
static void line_points(Plot *p, const double *x, const double *y, int n, const char *legend, int k, int pt)
{
    char style[64];
    snprintf(style, sizeof style, "lc rgb '%s' lw 2", COLOURS[k % 4]);
    plot_next_style(p, style);
    plot_line(p, x, y, n, legend);
    snprintf(style, sizeof style, "lc rgb '%s' pt %d ps 1", COLOURS[k % 4], pt);
    plot_next_style(p, style);
    plot_points(p, x, y, n, NULL);
}

/* ------------------------------------------------------------------ measuring samples */

typedef struct {
    Mlp *clf;          /* chapter 10's feature classifier (zoo_classifier) */
    int n;             /* samples per setting */
    float *f_ref;      /* (n, ZOO_FEATURES) features of held-out digits */
    float *f;          /* (n, ZOO_FEATURES) scratch */
    int *pred;         /* (n) scratch */
} Eval;

typedef struct {
    double fd, precision, recall, accuracy;
} Score;

static Score evaluate(Eval *ev, const float *x, const int *cls)
{
    Score sc;
    const int n = ev->n;
    zoo_features(ev->clf, x, n, ev->f, ev->pred);
    sc.fd = met_frechet(ev->f, n, ev->f_ref, n, ZOO_FEATURES);
    met_precision_recall(ev->f_ref, n, ev->f, n, ZOO_FEATURES, 3, &sc.precision, &sc.recall);
    int right = 0;
    for (int i = 0; i < n; i++) right += ev->pred[i] == cls[i];
    sc.accuracy = (double)right / n;
    return sc;
}

static void print_score(const char *name, Score s)
{
    printf("    %-34s %9.2f %10.3f %8.3f %9.3f\n", name, s.fd, s.precision, s.recall, s.accuracy);
}

static void print_header(void)
{
    printf("    %-34s %9s %10s %8s %9s\n", "setting", "Fréchet", "precision", "recall", "accuracy");
}

/* One setting: n samples of classes cls with guide gd, from the same x_T and
 * noise as every other setting (base), then measured. */
typedef struct {
    const Setup *S;
    Eval *ev;
    const Respaced *rs;
    const int *cls;
    Rng base;
    float *x;   /* (n, D) the last setting's samples */
} Runner;

static Score run(Runner *ru, const Guide *gd)
{
    Rng r = ru->base;
    guide_sample(ru->x, ru->ev->n, ru->cls, gd, ru->rs->s, ru->rs->taus, &r, NULL, 1);
    return evaluate(ru->ev, ru->x, ru->cls);
}

/* Copy the first GRID_PER samples of each class (block layout, n/10 each)
 * into block b of a grid of nb blocks: 10 rows, blocks separated by a white
 * column. grid (10, nb·(GRID_PER + 1) − 1, D). */
static void grid_block(float *grid, int nb, int b, const float *x, int n, int D)
{
    const int cols = nb * (GRID_PER + 1) - 1, m = n / K_CLASSES;
    for (int c = 0; c < K_CLASSES; c++)
        for (int j = 0; j < GRID_PER + 1 && b * (GRID_PER + 1) + j < cols; j++) {
            float *dst = grid + ((size_t)c * cols + b * (GRID_PER + 1) + j) * D;
            if (j < GRID_PER && j < m) memcpy(dst, x + ((size_t)c * m + j) * D, (size_t)D * sizeof *dst);
            else for (int k = 0; k < D; k++) dst[k] = j < GRID_PER ? -1.0f : 1.0f;   /* a missing sample; the separator */
        }
}

/* A line per series over a categorical x axis, one panel per metric. */
typedef struct {
    const char *legend;
    const Score *s;   /* (n) */
} Series;

static void metric_panels(Plot *p, const char *const *xl, int nx, const char *xtitle, const Series *se, int ns,
                          const Score *floor, const Score *ceil)
{
    const char *names[4] = { "Fréchet distance (lower is better)", "classifier accuracy on the asked class",
                             "precision (fidelity)", "recall (diversity)" };
    for (int m = 0; m < 4; m++) {
        plot_panel(p, names[m]);
        categorical_xtics(p, xl, nx, xtitle);
        if (m == 0) {
            /* the floor and the ceiling in view, with room for their labels */
            double lo = fmin(floor->fd, ceil->fd), hi = fmax(floor->fd, ceil->fd);
            for (int k = 0; k < ns; k++)
                for (int i = 0; i < nx; i++) {
                    lo = fmin(lo, se[k].s[i].fd);
                    hi = fmax(hi, se[k].s[i].fd);
                }
            plot_log(p, "y");
            plot_yrange(p, lo / 1.6, hi * 2.5);
        } else {
            plot_yrange(p, 0, 1.05);   /* shares: the floor's line stays in view */
        }
        for (int k = 0; k < ns; k++) {
            double y[16];
            for (int i = 0; i < nx; i++) {
                const Score *s = &se[k].s[i];
                y[i] = m == 0 ? s->fd : m == 1 ? s->accuracy : m == 2 ? s->precision : s->recall;
            }
            double x[16];
            for (int i = 0; i < nx; i++) x[i] = i;
            line_points(p, x, y, nx, m == 3 ? se[k].legend : NULL, k, 7);   /* one key, in the last panel */
        }
        const double f = m == 0 ? floor->fd : m == 1 ? floor->accuracy : m == 2 ? floor->precision : floor->recall;
        const double c = m == 0 ? ceil->fd : m == 1 ? ceil->accuracy : m == 2 ? ceil->precision : ceil->recall;
        plot_hline(p, f, "real data (floor)");
        if (m == 0) plot_hline(p, c, "noise x_T (ceiling)");
        else if (m == 1) plot_hline(p, c, "chance");
    }
}

/* ------------------------------------------------------------------ the section */

#define MAX_W 9
#define MAX_S 6
#define N_P 3

int section_images(const Setup *S, Rng *rng)
{
    int failures = 0;
    const int n = S->img_samples, q = S->quick;
    printf("\n[3] Digits: classifier-free guidance (%d samples per setting, %d per class; DDPM on %d respaced steps,\n"
           "    σ² = β̃_t, the guided x̂_0 clipped to [−1, 1]), measured in the features of chapter 10's classifier\n",
           n, n / K_CLASSES, S->steps);
    double clf_acc = 0;
    Mlp *fclf = zoo_classifier("digits", q, &S->zoo, &clf_acc);
    if (!fclf) return 1;
    printf("    feature classifier: MLP → 256 → 128 features → 10, held-out accuracy %.4f\n", clf_acc);
    /* the models: label drop 0.1, 0.2, 0.5 and 1 (unconditional) */
    static const double P_DROP[N_P + 1] = { 0.1, 0.2, 0.5, 1.0 };
    ZooRecipe rec[N_P + 1];
    Denoiser *net[N_P + 1];
    for (int k = 0; k <= N_P; k++) {
        rec[k] = guide_recipe("digits", &P_DROP[k], q);
        net[k] = get_model(S, &rec[k]);
    }
    Schedule *train = zoo_sched(&rec[0].sched);
    Respaced rs;
    respaced_init(&rs, train, S->steps);
    const int D = rec[0].net.dim, side = 16;

    /* held-out digits, a second draw (the floor), and noise (the ceiling) */
    ZooData ref = get_data("digits", n, rng_u64(rng)), ref2 = get_data("digits", n, rng_u64(rng));
    Eval ev = { .clf = fclf, .n = n };
    ev.f_ref = xmalloc((size_t)n * ZOO_FEATURES * sizeof(float), "features");
    ev.f = xmalloc((size_t)n * ZOO_FEATURES * sizeof(float), "features");
    ev.pred = xmalloc((size_t)n * sizeof(int), "predictions");
    zoo_features(fclf, ref.x, n, ev.f_ref, NULL);
    float *noise = xmalloc((size_t)n * D * sizeof *noise, "x_T");
    for (size_t k = 0; k < (size_t)n * D; k++) noise[k] = (float)rng_normal(rng);
    const Score floor = evaluate(&ev, ref2.x, ref2.y), ceil = evaluate(&ev, noise, ref2.y);
    free(noise);

    int *cls = xmalloc((size_t)n * sizeof *cls, "classes");
    block_classes(cls, n, K_CLASSES);
    Runner ru = { S, &ev, &rs, cls, rng_split(rng), xmalloc((size_t)n * D * sizeof(float), "samples") };
    Guide cfg = { .net = net[0], .pred = rec[0].train.pred, .train = train, .clip = 1 };

    /* ---------------------------------------------------------------- 3. the w sweep */
    static const double W_FULL[MAX_W] = { -1, 0, 0.1, 0.2, 0.3, 0.5, 1, 2, 4 }, W_QUICK[5] = { -1, 0, 0.3, 1, 4 };
    const double *W = q ? W_QUICK : W_FULL;
    const int nw = q ? 5 : MAX_W;
    Score sw[MAX_W];
    const char *wl[MAX_W];
    char wbuf[MAX_W][16];
    /* the grid of section 3: w = −1, 0, 1, 4 */
    const double W_GRID[4] = { -1, 0, 1, 4 };
    const int cols = 4 * (GRID_PER + 1) - 1;
    float *grid = xcalloc((size_t)K_CLASSES * cols * D, sizeof *grid, "a grid");
    Progress pr;
    progress_start(&pr, "guidance sweep (classifier-free, p = 0.1)", nw, S->quiet);
    for (int k = 0; k < nw; k++) {
        cfg.g = (float)(1 + W[k]);
        sw[k] = run(&ru, &cfg);
        snprintf(wbuf[k], sizeof wbuf[k], "%g", W[k]);
        wl[k] = wbuf[k];
        for (int b = 0; b < 4; b++)
            if (W[k] == W_GRID[b]) grid_block(grid, 4, b, ru.x, n, D);
        progress_update(&pr, k + 1, "w = %g", W[k]);
    }
    progress_finish(&pr);
    print_header();
    print_score("floor: a second draw of the data", floor);
    for (int k = 0; k < nw; k++) {
        char name[64];
        snprintf(name, sizeof name, "w = %g (g = %g)%s", W[k], 1 + W[k], W[k] == -1 ? ", unconditional" : W[k] == 0 ? ", conditional" : "");
        print_score(name, sw[k]);
    }
    print_score("ceiling: x_T ~ N(0, I)", ceil);
    int best = 0;
    for (int k = 1; k < nw; k++)
        if (sw[k].fd < sw[best].fd) best = k;
    printf("    lowest Fréchet distance at w = %g (Ho & Salimans, ImageNet 64: best FID at w = 0.1, 1.55 against 1.8 at\n"
           "    w = 0; 12.6 at w = 1, 26.2 at w = 4, the Inception score rising throughout)\n", W[best]);
    failures += write_grid(S, "cfg_classes", grid, K_CLASSES * cols, side, side, cols);
    Plot *p = plot_begin_multi(&S->po, "cfg_sweep", "Classifier-free guidance on digits (label drop 0.1): fidelity rises, "
                               "diversity falls", 1, 4);
    if (p) {
        plot_size(p, 2000, 520);
        const Series se = { "classifier-free, p = 0.1", sw };
        metric_panels(p, wl, nw, "guidance weight w = g − 1", &se, 1, &floor, &ceil);
    }
    failures += plot_end(p) != 0;

    /* ---------------------------------------------------------------- 4. the label-drop probability */
    static const double W4[5] = { -1, 0, 0.3, 1, 4 };
    Score sp[N_P][5];
    const char *w4l[5] = { "-1", "0", "0.3", "1", "4" };
    for (int j = 0; j < 5; j++)   /* p = 0.1: from the sweep */
        for (int k = 0; k < nw; k++)
            if (W[k] == W4[j]) sp[0][j] = sw[k];
    progress_start(&pr, "label-drop probability 0.2 and 0.5", 2 * 5, S->quiet);
    for (int m = 1; m < N_P; m++)
        for (int j = 0; j < 5; j++) {
            Guide gd = cfg;
            gd.net = net[m];
            gd.g = (float)(1 + W4[j]);
            sp[m][j] = run(&ru, &gd);
            progress_update(&pr, (m - 1) * 5 + j + 1, NULL);
        }
    progress_finish(&pr);
    printf("\n[4] Label-drop probability during training (Ho & Salimans: 0.1 and 0.2 about equal, 0.5 worse),\n"
           "    Fréchet distance / accuracy by w:\n    %-8s", "p_drop");
    for (int j = 0; j < 5; j++) printf(" %16s", j ? w4l[j] : "-1 (uncond.)");
    printf("\n");
    for (int m = 0; m < N_P; m++) {
        printf("    %-8g", P_DROP[m]);
        for (int j = 0; j < 5; j++) printf("   %7.2f / %.3f", sp[m][j].fd, sp[m][j].accuracy);
        printf("\n");
    }
    p = plot_begin_multi(&S->po, "drop_prob", "Label-drop probability in classifier-free training", 1, 4);
    if (p) {
        plot_size(p, 2000, 520);
        Series se[N_P];
        char leg[N_P][32];
        for (int m = 0; m < N_P; m++) {
            snprintf(leg[m], sizeof leg[m], "p_{drop} = %g", P_DROP[m]);
            se[m] = (Series){ leg[m], sp[m] };
        }
        metric_panels(p, w4l, 5, "guidance weight w = g − 1", se, N_P, &floor, &ceil);
    }
    failures += plot_end(p) != 0;

    /* ---------------------------------------------------------------- 5. classifier guidance */
    printf("\n[5] Classifier guidance: ε̃ = ε − s·√(1 − ᾱ_t)·∇ₓ log p_φ(c | x_t), p_φ a classifier of noisy digits\n");
    Denoiser *nclf = guide_classifier("digits", &rec[0].sched, q, 512, &S->zoo);
    if (!nclf) return failures + 1;
    {
        const int ts[7] = { 0, 100, 200, 400, 600, 800, 1000 };
        printf("    its accuracy on held-out digits noised to step t (chance 0.1):\n    %8s", "t");
        for (int k = 0; k < 7; k++) printf(" %7d", ts[k]);
        printf("\n    %8s", "accuracy");
        for (int k = 0; k < 7; k++) printf(" %7.3f", clf_accuracy_at(nclf, ref.x, ref.y, n, train, ts[k], rng));
        printf("\n");
    }
    static const double SC_FULL[MAX_S] = { 0, 0.5, 1, 2, 5, 10 }, SC_QUICK[4] = { 0, 1, 3, 10 };
    const double *SC = q ? SC_QUICK : SC_FULL;
    const int nsc = q ? 4 : MAX_S;
    Score sc[2][MAX_S];
    const char *sl[MAX_S];
    char sbuf[MAX_S][16];
    const double S_GRID[4] = { 0, 1, 2, 10 };
    memset(grid, 0, (size_t)K_CLASSES * cols * D * sizeof *grid);
    progress_start(&pr, "classifier guidance sweep", 2 * nsc, S->quiet);
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < nsc; k++) {
            /* m = 0: the conditional ε of the p = 0.1 model; m = 1: the unconditional model (p = 1) */
            Guide gd = { .net = m ? net[N_P] : net[0], .pred = rec[0].train.pred, .train = train, .clip = 1, .g = 1,
                         .clf = nclf, .scale = (float)SC[k], .cond = !m };
            if (m == 0 && SC[k] == 0 && W[1] == 0) sc[m][k] = sw[1];   /* the conditional model unguided: w = 0 above */
            else sc[m][k] = run(&ru, &gd);
            snprintf(sbuf[k], sizeof sbuf[k], "%g", SC[k]);
            sl[k] = sbuf[k];
            for (int b = 0; b < 4 && m == 1; b++)
                if (SC[k] == S_GRID[b]) grid_block(grid, 4, b, ru.x, n, D);
            progress_update(&pr, m * nsc + k + 1, NULL);
        }
    progress_finish(&pr);
    print_header();
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < nsc; k++) {
            char name[64];
            snprintf(name, sizeof name, "%s, s = %g", m ? "unconditional" : "conditional", SC[k]);
            print_score(name, sc[m][k]);
        }
    printf("    (Dhariwal & Nichol, ImageNet 256, Table 3: conditional FID 10.94 → 4.59 at s = 1 → 9.11 at s = 10,\n"
           "    precision 0.69 → 0.82 → 0.88, recall 0.63 → 0.52 → 0.32; unconditional FID 33.0 at s = 1 and 12.0\n"
           "    at s = 10: it needs a large scale before its samples are class-consistent)\n");
    failures += write_grid(S, "cg_classes", grid, K_CLASSES * cols, side, side, cols);
    p = plot_begin_multi(&S->po, "cg_sweep", "Classifier guidance on digits: scale s", 1, 4);
    if (p) {
        plot_size(p, 2000, 520);
        const Series se[2] = { { "conditional model + classifier", sc[0] }, { "unconditional model + classifier", sc[1] } };
        metric_panels(p, sl, nsc, "classifier scale s", se, 2, &floor, &ceil);
    }
    failures += plot_end(p) != 0;

    /* the trade-off, all three families */
    p = plot_begin(&S->po, "tradeoff", "Fidelity against diversity on digits: precision and recall along each sweep");
    if (p) {
        plot_labels(p, "recall (diversity)", "precision (fidelity)");
        double x[16], y[16];
        int k0 = 0;   /* from w = 0: the unconditional branch (w = −1) is another model */
        while (k0 < nw - 1 && W[k0] < 0) k0++;
        for (int k = k0; k < nw; k++) { x[k - k0] = sw[k].recall; y[k - k0] = sw[k].precision; }
        line_points(p, x, y, nw - k0, "classifier-free, w = 0 … 4", 0, 7);
        for (int m = 0; m < 2; m++) {
            for (int k = 0; k < nsc; k++) { x[k] = sc[m][k].recall; y[k] = sc[m][k].precision; }
            line_points(p, x, y, nsc, m ? "unconditional + classifier, s = 0 … 10" : "conditional + classifier, s = 0 … 10",
                        1 + m, 5);
        }
        x[0] = floor.recall;
        y[0] = floor.precision;
        plot_next_style(p, "pt 3 ps 2 lc rgb '#000000'");
        plot_points(p, x, y, 1, "real data");
        plot_xrange(p, 0, 1);
        plot_yrange(p, 0, 1);
    }
    failures += plot_end(p) != 0;

    free(grid); free(cls); free(ru.x);
    free(ev.f_ref); free(ev.f); free(ev.pred);
    zoo_data_free(&ref); zoo_data_free(&ref2);
    respaced_free(&rs);
    sched_free(train);
    for (int k = 0; k <= N_P; k++) den_free(net[k]);
    den_free(nclf);
    mlp_free(fclf);
    return failures;
}
