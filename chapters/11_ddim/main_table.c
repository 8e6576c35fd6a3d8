/* main_table.c — DDIM's Table 1 in miniature (chapter 11, sections 3–4):
 * sample quality by the number of steps S and η, plus the σ̂ row, on 2-D
 * data and on images; precision and recall (the "η = 0 limits diversity"
 * claim); the consistency of samples from one x_T across S.
 */
#include "main.h"
#include "exercise.h"
#include "metrics.h"
#include "mlp.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ROWS (N_ETA + 1)   /* the η rows and the σ̂ row */
#define HAT N_ETA            /* the σ̂ row's index */
#define PR_K 3               /* k of the k-NN manifolds (Kynkäänniemi et al.'s default) */
#define FLOOR_DRAWS 4        /* independent draws of data for the floor and its spread */

typedef struct {
    double metric, precision, recall;
} Score;

/* How samples are judged: in the data's own coordinates (2-D) or in the
 * features of a classifier (images), against held-out data. */
typedef struct {
    const char *data;          /* data set name (for messages) */
    const char *draw;          /* the zoo_data name of fresh draws (the floor) */
    const char *metric;        /* "energy distance" or "Fréchet distance" */
    Mlp *clf;                  /* images: the classifier whose features are used; NULL: the points */
    int d;                     /* feature dimension */
    const float *ref;          /* (n_ref, d) held-out features */
    int n_ref;
} Judge;

/* The features of n rows of x (newly allocated, (n, d)). */
static float *features(const Judge *j, const float *x, int n, int dim)
{
    float *f = xmalloc((size_t)n * j->d * sizeof *f, "features");
    if (j->clf) zoo_features(j->clf, x, n, f, NULL);
    else memcpy(f, x, (size_t)n * dim * sizeof *f);
    return f;
}

static void judge(const Judge *j, const float *x, int n, int dim, Score *sc)
{
    float *f = features(j, x, n, dim);
    sc->metric = j->clf ? met_frechet(f, n, j->ref, j->n_ref, j->d) : met_energy(f, n, j->ref, j->n_ref, j->d);
    if (met_precision_recall(j->ref, j->n_ref, f, n, j->d, PR_K, &sc->precision, &sc->recall) != 0)
        sc->precision = sc->recall = NAN;
    free(f);
}

/* Everything one table run measures. */
typedef struct {
    int n, dim;
    Score cell[N_ROWS][MAX_S];
    Score floor, floor_sd;      /* data against data: mean and standard deviation over FLOOR_DRAWS draws */
    Score ceil;                 /* x_T against data */
    float *xT;                  /* (n, D) the one x_T of every DDIM cell */
    float *keep[N_ROWS][MAX_S]; /* (n, D) the samples of every cell */
    double consist[N_ROWS][MAX_S];   /* RMS distance to the sample of the largest S, same x_T */
    double pair_rms;            /* RMS distance between two independent data points (the scale) */
} Table;

static const char *row_name(int e, char *buf, size_t len)
{
    if (e == HAT) snprintf(buf, len, "σ̂");
    else snprintf(buf, len, "η = %g", ETAS[e]);
    return buf;
}

static double rms_distance(const float *a, const float *b, size_t len)
{
    double s = 0;
    for (size_t k = 0; k < len; k++) s += ((double)a[k] - b[k]) * ((double)a[k] - b[k]);
    return sqrt(s / len);
}

/* Every cell of the table: the same x_T for every DDIM cell (common random
 * numbers: the cells differ by the sampler only); the σ̂ row draws its own. */
static void run_table(const Setup *S, Model *m, const Judge *j, const float *ref_x, Table *tb, Rng *rng)
{
    const int n = tb->n, D = m->dim;
    const size_t len = (size_t)n * D;
    tb->xT = xmalloc(len * sizeof *tb->xT, "x_T");
    for (size_t k = 0; k < len; k++) tb->xT[k] = (float)rng_normal(rng);
    /* the floor: fresh draws of the data against the held-out set */
    double v[3][FLOOR_DRAWS];   /* metric, precision, recall of each draw */
    for (int r = 0; r < FLOOR_DRAWS; r++) {
        ZooData d = zoo_held_out(j->draw, n, rng_u64(rng));
        Score f;
        judge(j, d.x, n, D, &f);
        v[0][r] = f.metric;
        v[1][r] = f.precision;
        v[2][r] = f.recall;
        if (r == 0) tb->pair_rms = rms_distance(d.x, ref_x, len);
        zoo_data_free(&d);
    }
    double mean[3], sd[3];
    for (int c = 0; c < 3; c++) met_mean_sd(v[c], FLOOR_DRAWS, &mean[c], &sd[c]);
    tb->floor = (Score){ mean[0], mean[1], mean[2] };
    tb->floor_sd = (Score){ sd[0], sd[1], sd[2] };
    judge(j, tb->xT, n, D, &tb->ceil);
    long total = 0;
    for (int k = 0; k < S->nS; k++) total += (long)N_ROWS * S->Ss[k];
    char label[64];
    snprintf(label, sizeof label, "Table 1, %s", j->data);
    Progress pr;
    progress_start(&pr, label, total, S->quiet);
    for (int k = 0; k < S->nS; k++)
        for (int e = 0; e < N_ROWS; e++) {
            float *x = tb->keep[e][k] = xmalloc(len * sizeof *x, "samples");
            char rn[40];
            progress_update(&pr, pr.done, "S = %d, %s", S->Ss[k], row_name(e, rn, sizeof rn));
            if (e < HAT) {
                memcpy(x, tb->xT, len * sizeof *x);
                model_ddim(m, x, n, S->Ss[k], ETAS[e], rng, &pr);
                if (memcmp(x, tb->xT, len * sizeof *x) == 0)
                    ex_unfinished("11_ddim", "ddim_step", "DDIM sampling left every x_T unchanged (S = %d, η = %g)",
                                  S->Ss[k], ETAS[e]);
            } else {
                model_sigma_hat(m, x, n, S->Ss[k], rng, &pr);
            }
            judge(j, x, n, D, &tb->cell[e][k]);
        }
    progress_finish(&pr);
    for (int e = 0; e < N_ROWS; e++)
        for (int k = 0; k < S->nS; k++) tb->consist[e][k] = rms_distance(tb->keep[e][k], tb->keep[e][S->nS - 1], len);
}

static void table_free(const Setup *S, Table *tb)
{
    for (int e = 0; e < N_ROWS; e++)
        for (int k = 0; k < S->nS; k++) free(tb->keep[e][k]);
    free(tb->xT);
}

/* One line of a table: a label, then one value per S. */
static void print_row(const char *label, const double *v, int nS, const char *fmt)
{
    printf("    %-26s", label);
    for (int k = 0; k < nS; k++) printf(fmt, v[k]);
    printf("\n");
}

static void print_table(const Setup *S, const Judge *j, const Table *tb)
{
    double v[MAX_S];
    char rn[40];
    printf("    %s to %d held-out %s (lower is better), %d samples per cell, one x_T for every DDIM cell:\n",
           j->metric, j->n_ref, j->data, tb->n);
    printf("    %-26s", "S =");
    for (int k = 0; k < S->nS; k++) printf(" %9d", S->Ss[k]);
    printf("\n");
    for (int e = 0; e < N_ROWS; e++) {
        for (int k = 0; k < S->nS; k++) v[k] = tb->cell[e][k].metric;
        row_name(e, rn, sizeof rn);
        if (e == HAT) strcat(rn, " (DDPM, σ² = β′)");
        print_row(rn, v, S->nS, " %9.4g");
    }
    printf("    %-26s %9.4g   (fresh data against the held-out data: mean ± sd over %d draws: ± %.2g)\n", "floor",
           tb->floor.metric, FLOOR_DRAWS, tb->floor_sd.metric);
    printf("    %-26s %9.4g   (x_T ~ N(0, I), no denoising)\n", "ceiling", tb->ceil.metric);
    printf("    Recall (coverage, k = %d; higher is better; floor %.3f, x_T %.3f) and precision (floor %.3f, x_T %.3f):\n",
           PR_K, tb->floor.recall, tb->ceil.recall, tb->floor.precision, tb->ceil.precision);
    const int show[3] = { 0, N_ETA - 1, HAT };
    for (int q = 0; q < 6; q++) {   /* recall, then precision, of η = 0, η = 1, σ̂ */
        const int e = show[q % 3];
        for (int k = 0; k < S->nS; k++) v[k] = q < 3 ? tb->cell[e][k].recall : tb->cell[e][k].precision;
        char lab[48];
        snprintf(lab, sizeof lab, "%s, %s", q < 3 ? "recall" : "precision", row_name(e, rn, sizeof rn));
        print_row(lab, v, S->nS, " %9.3f");
    }
    /* the seed's claim: η = 0 "may limit diversity" */
    const double se = sqrt(0.25 / tb->n);   /* the largest binomial standard error of a share (at 1/2) */
    char where[160] = "";
    double behind = 0;
    int holds = 0;
    for (int k = 0; k < S->nS; k++) {
        const double d = tb->cell[0][k].recall - tb->cell[N_ETA - 1][k].recall;
        if (d >= 0) {
            snprintf(where + strlen(where), sizeof where - strlen(where), "%s%d", holds ? ", " : "", S->Ss[k]);
            holds++;
        } else if (-d > behind) {
            behind = -d;
        }
    }
    printf("    Recall of η = 0 ≥ recall of η = 1 at %d of %d S (S = %s)", holds, S->nS, holds ? where : "none");
    if (holds < S->nS) printf("; elsewhere η = 1 is ahead by at most %.3f (2 standard errors: %.3f)", behind, 2 * se);
    printf("\n");
    /* consistency */
    printf("    Same x_T, different S: RMS distance of each sample to the one at S = %d (data points are %.3f apart):\n",
           S->Ss[S->nS - 1], tb->pair_rms);
    for (int a = 0; a < 2; a++) {
        const int e = show[a];
        print_row(row_name(e, rn, sizeof rn), tb->consist[e], S->nS, " %9.4f");
    }
}

/* Metric, and precision and recall, against S. */
static int table_figure(const Setup *S, const char *name, const Judge *j, const Table *tb)
{
    char title[160];
    snprintf(title, sizeof title, "DDIM Table 1 in miniature, %s: %d samples per cell, models trained with T = 1000",
             j->data, tb->n);
    Plot *p = plot_begin_multi(&S->po, name, title, 1, 2);
    if (!p) return 1;
    plot_size(p, 1400, 560);
    double x[MAX_S], y[MAX_S];
    for (int k = 0; k < S->nS; k++) x[k] = S->Ss[k];
    char pt[96];
    snprintf(pt, sizeof pt, "%s (ceiling, x_T: %.3g)", j->metric, tb->ceil.metric);
    plot_panel(p, pt);
    plot_labels(p, "sampling steps S", j->metric);
    plot_log(p, "x");
    plot_xrange(p, 0.8 * x[0], 1.25 * x[S->nS - 1]);
    /* the floor's noise: mean ± 2 sd of data against data */
    double lo[MAX_S], hi[MAX_S];
    for (int k = 0; k < S->nS; k++) {
        lo[k] = tb->floor.metric - 2 * tb->floor_sd.metric;
        hi[k] = tb->floor.metric + 2 * tb->floor_sd.metric;
    }
    plot_band(p, x, lo, hi, S->nS, "data vs data, ± 2 sd");
    char rn[40];
    for (int e = 0; e < N_ROWS; e++) {
        for (int k = 0; k < S->nS; k++) y[k] = tb->cell[e][k].metric;
        row_name(e, rn, sizeof rn);
        if (e == HAT) {
            strcat(rn, ": DDPM on β′");
            plot_next_style(p, "dt 2");
        }
        plot_line(p, x, y, S->nS, rn);
    }
    char fl[64], cl[64];
    snprintf(cl, sizeof cl, "ceiling (x_T) %.3g", tb->ceil.metric);
    plot_hline(p, tb->ceil.metric, cl);
    plot_panel(p, "recall (solid) and precision (dashed), k = 3");
    plot_labels(p, "sampling steps S", "share");
    plot_log(p, "x");
    plot_xrange(p, 0.8 * x[0], 1.25 * x[S->nS - 1]);
    plot_yrange(p, 0, 1.05);
    const int show[3] = { 0, N_ETA - 1, HAT };
    const char *style[6] = { "lc 1 lw 2", "lc 4 lw 2", "lc 5 lw 2", "lc 1 dt 2", "lc 4 dt 2", "lc 5 dt 2" };
    for (int q = 0; q < 6; q++) {   /* recall, then precision, of η = 0, η = 1, σ̂ */
        const int e = show[q % 3];
        for (int k = 0; k < S->nS; k++) y[k] = q < 3 ? tb->cell[e][k].recall : tb->cell[e][k].precision;
        char lab[48];
        snprintf(lab, sizeof lab, "%s, %s", q < 3 ? "recall" : "precision", row_name(e, rn, sizeof rn));
        plot_next_style(p, style[q]);
        plot_line(p, x, y, S->nS, lab);
    }
    snprintf(fl, sizeof fl, "recall of data vs data %.3f", tb->floor.recall);
    plot_hline(p, tb->floor.recall, fl);
    return plot_end(p) != 0;
}

/* ================================================================== 3. 2-D data */

int section_table_2d(const Setup *S, Model *m2d, Rng *rng)
{
    const int n = S->samples;
    printf("\n[3] DDIM's Table 1 in miniature on %s (τ_i = ⌊i·1000/S⌋, the trailing sub-sequence):\n", S->data2d);
    ZooData ref = zoo_held_out(S->data2d, n, rng_u64(rng));
    Judge j = { .data = S->data2d, .draw = S->data2d, .metric = "energy distance", .d = 2, .ref = ref.x, .n_ref = n };
    Table tb = { .n = n, .dim = 2 };
    run_table(S, m2d, &j, ref.x, &tb, rng);
    print_table(S, &j, &tb);
    char name[64];
    snprintf(name, sizeof name, "table1_%s", S->data2d);
    int failures = table_figure(S, name, &j, &tb);
    /* samples: rows η = 0, η = 1, σ̂; one column per S */
    snprintf(name, sizeof name, "samples_%s", S->data2d);
    Plot *p = plot_begin_multi(&S->po, name, "Samples by S (columns): DDIM η = 0 (top), η = 1 (middle), σ̂ = DDPM on "
                               "β′ (bottom)", 3, S->nS);
    if (p) {
        plot_size(p, 300 * S->nS + 60, 960);
        const int show[3] = { 0, N_ETA - 1, HAT };
        const char *style[3] = { "pt 7 ps 0.2 lc 1", "pt 7 ps 0.2 lc 4", "pt 7 ps 0.2 lc 5" };
        char rn[40];
        for (int a = 0; a < 3; a++)
            for (int k = 0; k < S->nS; k++) {
                char title[64];
                snprintf(title, sizeof title, "%s, S = %d: %.3g", row_name(show[a], rn, sizeof rn), S->Ss[k],
                         tb.cell[show[a]][k].metric);
                scatter_panel(p, title, tb.keep[show[a]][k], n, 2.5, style[a]);
            }
    }
    failures += plot_end(p) != 0;
    table_free(S, &tb);
    zoo_data_free(&ref);
    return failures;
}

/* ================================================================== 4. images */

int section_table_images(const Setup *S, Model *img, Rng *rng)
{
    if (!img) return 0;
    const int n = S->img_samples, D = img->dim;
    const char *data = img->rec.data, *test = strcmp(data, "fashion") == 0 ? "fashion-test" : data;
    printf("\n[4] DDIM's Table 1 in miniature on %s (%d×%d), in the features of a classifier (FID's recipe, with the\n"
           "    course's own network instead of Inception):\n", data, img->h, img->w);
    double acc;
    Mlp *clf = zoo_classifier(data, S->quick, &S->zoo, &acc);
    if (!clf) return 1;
    printf("    classifier: %d → 256 → %d → 10 (relu), held-out accuracy %.3f; features: its %d last hidden units\n", D,
           ZOO_FEATURES, acc, ZOO_FEATURES);
    ZooData ref = zoo_held_out(test, n, rng_u64(rng));
    float *ref_f = xmalloc((size_t)n * ZOO_FEATURES * sizeof *ref_f, "features");
    zoo_features(clf, ref.x, n, ref_f, NULL);
    char metric[64];
    snprintf(metric, sizeof metric, "Fréchet distance (%d features)", ZOO_FEATURES);
    Judge j = { .data = data, .draw = data, .metric = metric, .clf = clf, .d = ZOO_FEATURES, .ref = ref_f, .n_ref = n };
    Table tb = { .n = n, .dim = D };
    run_table(S, img, &j, ref.x, &tb, rng);
    print_table(S, &j, &tb);
    char name[64];
    snprintf(name, sizeof name, "table1_%s", data);
    int failures = table_figure(S, name, &j, &tb);
    /* samples: for η = 0, η = 1 and σ̂, the first 10 samples at every S (one row per S; the DDIM rows share x_T) */
    enum { COLS = 10 };
    snprintf(name, sizeof name, "samples_%s", data);
    Plot *p = plot_begin_multi(&S->po, name, "Samples by S (rows, top to bottom) from the same x_T in each column", 1, 3);
    if (p) {
        plot_size(p, 1800, 130 + 48 * S->nS);
        const int show[3] = { 0, N_ETA - 1, HAT };
        float *grid = xmalloc((size_t)S->nS * COLS * D * sizeof *grid, "a grid");
        for (int a = 0; a < 3; a++) {
            for (int k = 0; k < S->nS; k++)
                memcpy(grid + (size_t)k * COLS * D, tb.keep[show[a]][k], (size_t)COLS * D * sizeof *grid);
            char title[96], rn[40];
            snprintf(title, sizeof title, "DDIM %s, S = %d … %d", row_name(show[a], rn, sizeof rn), S->Ss[0],
                     S->Ss[S->nS - 1]);
            if (show[a] == HAT) snprintf(title, sizeof title, "σ̂: DDPM on β′ (its own x_T), S = %d … %d", S->Ss[0],
                                         S->Ss[S->nS - 1]);
            char lab[MAX_S][16];
            const char *labs[MAX_S];
            for (int k = 0; k < S->nS; k++) {
                snprintf(lab[k], sizeof lab[k], "S = %d", S->Ss[k]);
                labs[k] = lab[k];
            }
            mosaic_panel(p, title, grid, S->nS, COLS, img->h, img->w, labs);
        }
        free(grid);
    }
    failures += plot_end(p) != 0;
    table_free(S, &tb);
    free(ref_f);
    zoo_data_free(&ref);
    mlp_free(clf);
    return failures;
}
