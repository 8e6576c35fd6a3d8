/* 10_ddpm — denoising diffusion probabilistic models (Ho et al. 2020), on
 * 2-D points and small images.
 *
 * What it shows:
 *   1. Schedules: ᾱ_t of the linear and cosine schedules, at T = 1000 and
 *      T = 50 (unscaled and scaled by 1000/T).
 *   2. The forward process q(x_t | x_0) on 2-D data: the data dissolve into
 *      N(0, I).
 *   3. Training with L_simple (ε-prediction): the loss curve.
 *   4. The reverse process: x_t and the model's x̂_0 along the chain, coarse
 *      first, detail last.
 *   5. Samples against held-out data, with the metric, its noise floor (data
 *      against data) and its ceiling (x_T, no denoising).
 *   6. Reverse variance β_t vs β̃_t at full T and on respaced chains of few
 *      steps.
 *   7. ε- vs x_0-prediction at equal training budget.
 * Every model is trained once and kept in build/cache/ (zoo.h); --no-cache
 * trains afresh. All data come from --seed; the same seed gives the same
 * numbers and figures.
 */
#include "cli.h"
#include "ddpm.h"
#include "denoiser.h"
#include "exercise.h"
#include "image.h"
#include "imageset.h"
#include "metrics.h"
#include "parallel.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "util.h"
#include "zoo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARTS 2   /* the sampler's rows run as 2 parts on parallel threads (fixed: results do not depend on cores) */

typedef struct {
    PlotOpts po;
    int quiet, quick;
    uint64_t seed;
    const char *data2d;   /* the 2-D data set */
    const char *images;   /* the image set: digits or fashion */
    int samples;          /* samples per metric (2-D) */
    int img_samples;      /* image samples per metric */
    ZooOpts zoo;
} Setup;

/* ------------------------------------------------------------------ the 2-D metric */

/* The squared energy distance (metrics.h: unbiased, in the data's units, 0
 * in expectation between two samples of one distribution). */
static double metric2d(const float *a, int n, const float *b, int m) { return met_energy(a, n, b, m, 2); }
#define METRIC_NAME "energy distance"

/* ------------------------------------------------------------------ helpers */

/* A schedule, checked: with IMPL=exercises it comes from your code. */
static Schedule *make_sched(const SchedSpec *sp)
{
    Schedule *s = sched_create(sp);
    if (!s) die(1, "schedule: %s", sched_spec_error(sp));
    char why[160], desc[80];
    if (sched_check(s, why, sizeof why) != 0)
        ex_unfinished("10_ddpm", sp->kind == SCHED_LINEAR ? "ddpm_linear_betas / ddpm_schedule_from_betas"
                                                          : "ddpm_cosine_betas / ddpm_schedule_from_betas",
                      "the schedule (%s) is not valid: %s", sched_describe(sp, desc, sizeof desc), why);
    return s;
}

/* Split float (n, 2) points into x and y columns for plotting. */
static void columns(const float *p, int n, double *x, double *y)
{
    for (int i = 0; i < n; i++) { x[i] = p[2 * i]; y[i] = p[2 * i + 1]; }
}

/* A scatter panel of n points in a square window [−r, r]². */
static void scatter_panel(Plot *p, const char *title, const float *pts, int n, double r, const char *style)
{
    double *x = xmalloc(2 * (size_t)n * sizeof *x, "coordinates"), *y = x + n;
    columns(pts, n, x, y);
    plot_panel(p, title);
    plot_equal_axes(p);
    plot_xrange(p, -r, r);
    plot_yrange(p, -r, r);
    plot_raw(p, "set key off");
    plot_next_style(p, style ? style : "pt 7 ps 0.25");
    plot_points(p, x, y, n, NULL);
    free(x);
}

/* Sampling contexts, one per part, each with its own copy of the network. */
typedef struct {
    DenEps e[PARTS];
    Denoiser *clone[PARTS];
    void *ctx[PARTS];
} Sampler;

static void sampler_init(Sampler *s, Denoiser *net, const Schedule *train, DdpmPred pred, const int *taus, float clip)
{
    for (int p = 0; p < PARTS; p++) {
        s->clone[p] = p == 0 ? net : den_clone(net, net->max_batch);
        s->e[p] = (DenEps){ .net = s->clone[p], .train = train, .pred = pred, .taus = taus, .clip = clip };
        s->ctx[p] = &s->e[p];
    }
}
static void sampler_free(Sampler *s)
{
    for (int p = 1; p < PARTS; p++) den_free(s->clone[p]);
}

/* n samples of the network on schedule s (the training schedule, or a
 * respaced one with taus); x (n, D) out. Images (D > 2) clip x̂_0 to [−1, 1]. */
static void sample(float *x, int n, Denoiser *net, const Schedule *train, DdpmPred pred, const Schedule *s,
                   const int *taus, DdpmVar var, Rng *rng, DenObserve obs, void *obs_ctx, const char *label, int quiet)
{
    Sampler sm;
    sampler_init(&sm, net, train, pred, taus, net->spec.dim > 2 ? 1.0f : 0.0f);
    den_sample(x, n, net->spec.dim, den_eps, sm.ctx, PARTS, s, var, rng, obs, obs_ctx, label, quiet);
    sampler_free(&sm);
}

/* ------------------------------------------------------------------ the models */

/* Every model of the run, trained (or loaded from the cache) up front,
 * several at a time: the biggest first, so the threads finish together. */
#define CURVE 100   /* points of a loss curve */
enum { M_IMG_X0, M_IMG_EPS, M_MAIN, M_X0, M_STAR, M_STAR_FIX, N_MODELS };

typedef struct {
    ZooRecipe rec;
    int max_batch;
    Denoiser *net;        /* NULL if training failed */
    double curve[CURVE];  /* the training loss (NaN if the cache had none) */
    int cached;
    double seconds;
} Model;

typedef struct {
    const Setup *S;
    Model m[N_MODELS];
    Mlp *clf;             /* the image classifier (features for the metrics) */
    double clf_acc;       /* its held-out accuracy */
    double clf_seconds;
} Models;

static void models_recipes(Models *M, const Setup *S)
{
    memset(M, 0, sizeof *M);
    M->S = S;
    const int q = S->quick;
    M->m[M_MAIN].rec = zoo_recipe_2d(S->data2d, q);
    M->m[M_X0].rec = zoo_recipe_2d(S->data2d, q);
    M->m[M_X0].rec.train.pred = DDPM_PRED_X0;
    snprintf(M->m[M_X0].rec.name, sizeof M->m[M_X0].rec.name, "%s-x0-T1000%s", S->data2d, q ? "-quick" : "");
    /* the star at T = 50: the linear range as it is, and scaled by 1000/T */
    for (int k = M_STAR; k <= M_STAR_FIX; k++) {
        ZooRecipe *r = &M->m[k].rec;
        *r = zoo_recipe_2d("star", q);
        r->sched = sched_linear_spec(50, k == M_STAR ? 1 : 20);
        if (!q) r->train.steps = 2000;   /* enough for a 50-step chain */
        snprintf(r->name, sizeof r->name, "star-eps-T50%s%s", k == M_STAR ? "" : "-scaled", q ? "-quick" : "");
    }
    M->m[M_IMG_X0].rec = zoo_recipe_image(S->images, q);
    M->m[M_IMG_EPS].rec = zoo_recipe_image(S->images, q);
    M->m[M_IMG_EPS].rec.train.pred = DDPM_PRED_EPS;
    snprintf(M->m[M_IMG_EPS].rec.name, sizeof M->m[M_IMG_EPS].rec.name, "%s-eps-T1000%s", S->images, q ? "-quick" : "");
    for (int k = 0; k < N_MODELS; k++) M->m[k].max_batch = k <= M_IMG_EPS ? 256 : 1024;
}

/* Job i of the pool: model i, or the classifier (i = N_MODELS). */
static void train_job(void *ctx, int i)
{
    Models *M = ctx;
    ZooOpts o = M->S->zoo;
    o.quiet = 1;   /* several run at once: one progress bar for all, below */
    const double t0 = progress_now();
    if (i == N_MODELS) {
        M->clf = zoo_classifier(M->S->images, M->S->quick, &o, &M->clf_acc);
        M->clf_seconds = progress_now() - t0;
        return;
    }
    Model *m = &M->m[i];
    m->net = zoo_train(&m->rec, m->max_batch, &o, m->curve, CURVE, &m->cached);
    m->seconds = progress_now() - t0;
}

/* 0, or 1 if a model could not be made (the reason printed). */
static int models_train(Models *M)
{
    const Setup *S = M->S;
    Progress pr;
    progress_start(&pr, "models (trained or from the cache)", N_MODELS + 1, S->quiet);
    par_for(N_MODELS + 1, par_threads(), train_job, M, &pr);
    progress_finish(&pr);
    int bad = !M->clf;
    if (!S->quiet) printf("\nModels (build/cache/ keeps them; --no-cache trains afresh):\n");
    for (int k = 0; k < N_MODELS; k++) {
        bad += !M->m[k].net;
        if (!S->quiet)
            printf("    %-28s %s %.1f s\n", M->m[k].rec.name, M->m[k].cached ? "loaded from the cache in" : "trained in",
                   M->m[k].seconds);
    }
    if (!S->quiet) printf("    %-28s %.1f s\n", "image classifier", M->clf_seconds);
    return bad != 0;
}

static void models_free(Models *M)
{
    for (int k = 0; k < N_MODELS; k++) den_free(M->m[k].net);
    mlp_free(M->clf);
}

/* A loss-curve panel of model m. */
static void loss_panel(Plot *p, const Model *m, const char *legend)
{
    double x[CURVE];
    for (int i = 0; i < CURVE; i++) x[i] = (i + 0.5) * m->rec.train.steps / CURVE;
    plot_line(p, x, m->curve, CURVE, legend);
}

/* ================================================================== 1. schedules */

static int section_schedules(const Setup *S)
{
    const struct { const char *name; SchedSpec sp; } sch[4] = {
        { "linear, T = 1000", sched_linear_spec(1000, 1) },
        { "cosine, T = 1000", sched_cosine_spec(1000) },
        { "linear, T = 50", sched_linear_spec(50, 1) },
        { "linear ×1000/T, T = 50", sched_linear_spec(50, 20) },
    };
    printf("\n[1] Noise schedules: β_t, ᾱ_t = Π(1 − β_s) (Ho et al.: linear 1e-4..0.02; Nichol & Dhariwal: cosine, "
           "s = 0.008, β ≤ 0.999)\n");
    printf("    %-24s %10s %10s %12s %16s %14s\n", "schedule", "β_1", "β_T", "ᾱ_T", "steps ᾱ < 0.01", "√ᾱ at 0.8T");
    Plot *p = plot_begin_multi(&S->po, "schedules", "Noise schedules: how much signal is left at step t", 1, 2);
    if (p) plot_size(p, 1300, 540);
    double *x[4], *ab[4], *sq[4];
    for (int k = 0; k < 4; k++) {
        Schedule *s = make_sched(&sch[k].sp);
        const int T = s->T;
        int low = 0;
        x[k] = xmalloc(3 * ((size_t)T + 1) * sizeof(double), "schedule curves");
        ab[k] = x[k] + T + 1;
        sq[k] = ab[k] + T + 1;
        for (int t = 0; t <= T; t++) {
            x[k][t] = (double)t / T;
            ab[k][t] = s->alpha_bar[t];
            sq[k][t] = sqrt(s->alpha_bar[t]);
            low += t > 0 && s->alpha_bar[t] < 0.01;
        }
        printf("    %-24s %10.3g %10.3g %12.3g %15.1f%% %14.3f\n", sch[k].name, s->beta[1], s->beta[T], s->alpha_bar[T],
               100.0 * low / T, sqrt(s->alpha_bar[(int)lround(0.8 * T)]));
        sched_free(s);
    }
    printf("    With the linear range and T = 50, ᾱ_T = 0.60: x_T = 0.78·x_0 + 0.63·ε is not noise, yet the sampler\n"
           "    starts from N(0, I). Scaling β by 1000/T (or T = 1000) fixes it; cosine wastes fewer steps near ᾱ = 0.\n");
    if (p) {
        plot_panel(p, "ᾱ_t (the signal's variance share), log scale");
        plot_labels(p, "t / T", "ᾱ_t");
        plot_log(p, "y");
        plot_yrange(p, 1e-9, 1.5);
        plot_raw(p, "set key bottom left");
        for (int k = 0; k < 4; k++) plot_line(p, x[k], ab[k], sch[k].sp.T + 1, sch[k].name);
        plot_hline(p, 0.01, "ᾱ = 0.01");
        plot_panel(p, "√ᾱ_t: the data's coefficient in x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε");
        plot_labels(p, "t / T", "√ᾱ_t");
        plot_yrange(p, 0, 1.02);
        plot_raw(p, "set key bottom left");
        for (int k = 0; k < 4; k++) plot_line(p, x[k], sq[k], sch[k].sp.T + 1, sch[k].name);
    }
    for (int k = 0; k < 4; k++) free(x[k]);
    return plot_end(p) != 0;
}

/* ================================================================== 2. the forward process */

#define N_SNAP 6

static int section_forward(const Setup *S, Rng *rng)
{
    const int n = 1000, ts[N_SNAP] = { 0, 50, 100, 200, 400, 1000 };
    ZooData d = zoo_held_out(S->data2d, n, rng_u64(rng));
    SchedSpec sp = sched_linear_spec(1000, 1);
    Schedule *s = make_sched(&sp);
    float *eps = xmalloc((size_t)n * 2 * sizeof *eps, "noise"), *xt = xmalloc((size_t)n * 2 * sizeof *xt, "x_t");
    int *t = xmalloc((size_t)n * sizeof *t, "timesteps");
    for (int i = 0; i < 2 * n; i++) eps[i] = (float)rng_normal(rng);
    printf("\n[2] The forward process q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) on %s (%d points, linear T = 1000):\n",
           S->data2d, n);
    printf("    %6s %10s %10s %16s\n", "t", "ᾱ_t", "√ᾱ_t", "std of x_t");
    Plot *p = plot_begin_multi(&S->po, "forward_2d", "The forward process: the data dissolve into N(0, I)", 1, N_SNAP);
    if (p) plot_size(p, 2100, 420);
    for (int k = 0; k < N_SNAP; k++) {
        for (int i = 0; i < n; i++) t[i] = ts[k];
        for (int i = 0; i < 2 * n; i++) xt[i] = NAN;
        ddpm_q_sample(xt, d.x, eps, t, s, n, 2);
        int bad = 0;
        for (int i = 0; i < 2 * n; i++) bad += !isfinite(xt[i]);
        if (bad) {
            fprintf(stderr, "warning: ddpm_q_sample left %d of %d values NaN or infinite at t = %d: is it written? "
                            "(make check CH=10)\n", bad, 2 * n, ts[k]);
            break;
        }
        double v = 0;
        for (int i = 0; i < 2 * n; i++) v += (double)xt[i] * xt[i];
        printf("    %6d %10.4f %10.4f %16.3f\n", ts[k], s->alpha_bar[ts[k]], sqrt(s->alpha_bar[ts[k]]), sqrt(v / (2 * n)));
        char title[80];
        snprintf(title, sizeof title, "t = %d, √ᾱ_t = %.2f", ts[k], sqrt(s->alpha_bar[ts[k]]));
        if (p) scatter_panel(p, title, xt, n, 3.5, NULL);
    }
    free(eps); free(xt); free(t);
    sched_free(s);
    zoo_data_free(&d);
    return plot_end(p) != 0;
}

/* ================================================================== 3–6. the main model */

/* Snapshots of the chain at a few steps: x_t and x̂_0 of every row. */
typedef struct {
    const Schedule *s;
    int ts[N_SNAP];
    float *xt[N_SNAP], *x0[N_SNAP];
    int dim;
} Snapshots;

static void snap_observe(void *ctx, int t, int row0, const float *x, const float *eps, int n)
{
    Snapshots *sn = ctx;
    for (int k = 0; k < N_SNAP; k++)
        if (sn->ts[k] == t) {
            const size_t off = (size_t)row0 * sn->dim, len = (size_t)n * sn->dim;
            memcpy(sn->xt[k] + off, x, len * sizeof *x);
            ddpm_x0_from_eps(sn->x0[k] + off, x, eps, t, sn->s, (int)len);
        }
}

/* Section 3–6's results that section 7 compares with. */
typedef struct {
    float *eps_samples;   /* (samples, 2) ε-prediction, σ² = β̃_t, T = 1000 */
    double eps_metric;
    ZooData ref;          /* the held-out data they were measured against */
} MainResult;

static int section_main_model(const Setup *S, Models *M, Rng *rng, MainResult *out)
{
    int failures = 0;
    const int n = S->samples;
    const Model *mm = &M->m[M_MAIN];
    const ZooRecipe rec = mm->rec;
    Denoiser *net = mm->net;
    char desc[512];
    printf("\n[3] The denoiser, trained with L_simple (ε-prediction): %s\n", zoo_describe(&rec, desc, sizeof desc));
    Schedule *s = make_sched(&rec.sched);
    printf("    loss: first %.4f, last %.4f (mean over each 1%% of training)\n", mm->curve[0], mm->curve[CURVE - 1]);

    /* held-out data, and a second independent draw for the floor */
    ZooData ref = zoo_held_out(S->data2d, n, rng_u64(rng)), ref2 = zoo_held_out(S->data2d, n, rng_u64(rng));
    float *xs[2], *noise = xmalloc((size_t)n * 2 * sizeof *noise, "x_T");
    for (int i = 0; i < 2 * n; i++) noise[i] = (float)rng_normal(rng);
    Snapshots sn = { .s = s, .ts = { 1000, 600, 300, 150, 50, 1 }, .dim = 2 };
    for (int k = 0; k < N_SNAP; k++) {
        sn.xt[k] = xmalloc((size_t)n * 2 * sizeof(float), "snapshots");
        sn.x0[k] = xmalloc((size_t)n * 2 * sizeof(float), "snapshots");
    }
    const char *vname[2] = { "σ² = β_t", "σ² = β̃_t" };
    for (int v = 0; v < 2; v++) {
        xs[v] = xmalloc((size_t)n * 2 * sizeof(float), "samples");
        char label[48];
        snprintf(label, sizeof label, "sampling, %s", vname[v]);
        sample(xs[v], n, net, s, rec.train.pred, s, NULL, (DdpmVar)v, rng, v == 0 ? snap_observe : NULL, &sn, label,
               S->quiet);
    }
    const double floor = metric2d(ref2.x, n, ref.x, n), ceil = metric2d(noise, n, ref.x, n);
    const double m_beta = metric2d(xs[0], n, ref.x, n), m_tilde = metric2d(xs[1], n, ref.x, n);
    /* how much the metric moves between draws of the data: the floor of 10 more draws */
    double more_floors[10], fsd;
    for (int k = 0; k < 10; k++) {
        ZooData more = zoo_held_out(S->data2d, n, rng_u64(rng));
        more_floors[k] = metric2d(more.x, n, ref.x, n);
        zoo_data_free(&more);
    }
    met_mean_sd(more_floors, 10, NULL, &fsd);
    if (!(m_beta < 0.5 * ceil) || !(m_tilde < 0.5 * ceil))
        fprintf(stderr, "warning: the samples are about as far from the data as pure noise (or NaN). With "
                        "IMPL=exercises, check ddpm_step and ddpm_loss: make check CH=10.\n");
    printf("\n[5] Samples against %d held-out points, %s (lower is better; floor: a second draw of the data,\n"
           "    ceiling: x_T ~ N(0, I) with no denoising; between draws of the data it varies by ±%.5f, 1 sd):\n", n,
           METRIC_NAME, fsd);
    printf("    ");
    met_print_calibrated(stdout, "T = 1000, σ² = β_t", m_beta, floor, ceil);
    printf("    ");
    met_print_calibrated(stdout, "T = 1000, σ² = β̃_t", m_tilde, floor, ceil);

    /* loss curves: the 2-D models */
    Plot *p = plot_begin(&S->po, "loss_curve", "Training loss (mean squared error of the prediction, per coordinate)");
    if (p) {
        plot_labels(p, "training step", "mean loss over 1% of training");
        plot_log(p, "y");
        loss_panel(p, mm, "moons, ε-prediction: ‖ε − ε_θ‖²/D (L_{simple})");
        loss_panel(p, &M->m[M_X0], "moons, x_0-prediction: ‖x_0 − x̂_θ‖²/D");
    }
    failures += plot_end(p) != 0;
    /* the reverse process */
    p = plot_begin_multi(&S->po, "reverse_2d", "The reverse process: x_t (top) and the model's x̂_0 (bottom) along "
                               "the chain", 2, N_SNAP);
    if (p) {
        plot_size(p, 2100, 800);
        for (int row = 0; row < 2; row++)
            for (int k = 0; k < N_SNAP; k++) {
                char title[64];
                snprintf(title, sizeof title, row ? "x̂_0 at t = %d" : "x_t, t = %d", sn.ts[k]);
                scatter_panel(p, title, row ? sn.x0[k] : sn.xt[k], n, 3.5, row ? "pt 7 ps 0.25 lc 2" : NULL);
            }
    }
    failures += plot_end(p) != 0;
    /* samples against data */
    p = plot_begin_multi(&S->po, "samples_2d", "DDPM samples against held-out data", 1, 3);
    if (p) {
        plot_size(p, 1500, 540);
        char title[96];
        snprintf(title, sizeof title, "held-out data (floor %.4f)", floor);
        scatter_panel(p, title, ref.x, n, 2.5, "pt 7 ps 0.25 lc rgb '#555555'");
        snprintf(title, sizeof title, "samples, σ² = β_t: %.4f", m_beta);
        scatter_panel(p, title, xs[0], n, 2.5, NULL);
        snprintf(title, sizeof title, "samples, σ² = β̃_t: %.4f", m_tilde);
        scatter_panel(p, title, xs[1], n, 2.5, "pt 7 ps 0.25 lc 2");
    }
    failures += plot_end(p) != 0;

    /* [6] β vs β̃ on respaced chains of few steps */
    const int Ss[] = { 10, 20, 50, 100, 1000 }, nS = ARRAY_LEN(Ss);
    double met[2][ARRAY_LEN(Ss)], sx[ARRAY_LEN(Ss)];
    float *xr = xmalloc((size_t)n * 2 * sizeof *xr, "samples"), *few[2];   /* S = 10: [β, β̃] */
    printf("\n[6] Reverse variance on respaced chains (τ_i = ⌊i·1000/S⌋, β′_i = 1 − ᾱ_{τ_i}/ᾱ_{τ_{i−1}}), %s:\n", METRIC_NAME);
    printf("    %8s %14s %14s   %s\n", "steps S", "σ² = β_t", "σ² = β̃_t", "lower");
    for (int k = 0; k < nS; k++) {
        sx[k] = Ss[k];
        if (Ss[k] == 1000) {
            met[0][k] = m_beta;
            met[1][k] = m_tilde;
        } else {
            int *taus = xmalloc((size_t)Ss[k] * sizeof *taus, "taus");
            sched_even_taus(taus, 1000, Ss[k]);
            Schedule *r = sched_respace(s, taus, Ss[k]);
            for (int v = 0; v < 2; v++) {
                sample(xr, n, net, s, rec.train.pred, r, taus, (DdpmVar)v, rng, NULL, NULL, NULL, 1);
                met[v][k] = metric2d(xr, n, ref.x, n);
                if (k == 0) {
                    few[v] = xmalloc((size_t)n * 2 * sizeof(float), "samples");
                    memcpy(few[v], xr, (size_t)n * 2 * sizeof *xr);
                }
            }
            sched_free(r);
            free(taus);
        }
        /* a difference of two estimates, each with the spread fsd, is noise below ~2·√2·fsd */
        const double d = met[0][k] - met[1][k];
        printf("    %8d %14.5f %14.5f   %s\n", Ss[k], met[0][k], met[1][k],
               fabs(d) < 2 * sqrt(2.0) * fsd ? "neither (within the noise)" : d < 0 ? "β_t" : "β̃_t");
    }
    printf("    (\"lower\" names a variance only when the difference exceeds 2·√2 × the metric's spread, %.5f)\n",
           2 * sqrt(2.0) * fsd);
    p = plot_begin_multi(&S->po, "variance_vs_steps", "Reverse variance β_t vs β̃_t on respaced chains", 1, 3);
    if (p) {
        plot_size(p, 1700, 540);
        plot_panel(p, "the metric against the number of steps");
        plot_labels(p, "sampling steps S", METRIC_NAME " to held-out data");
        plot_log(p, "x");
        plot_band(p, (const double[]){ sx[0], sx[nS - 1] }, (const double[]){ floor - 2 * fsd, floor - 2 * fsd },
                  (const double[]){ floor + 2 * fsd, floor + 2 * fsd }, 2, "floor ± 2 sd (data vs data)");
        plot_line(p, sx, met[0], nS, "σ² = β_t");
        plot_line(p, sx, met[1], nS, "σ² = β̃_t");
        char title[96];
        for (int v = 0; v < 2; v++) {
            snprintf(title, sizeof title, "S = 10 steps, %s: %.4f", v ? "σ² = β̃_t" : "σ² = β_t", met[v][0]);
            scatter_panel(p, title, few[v], n, 2.5, v ? "pt 7 ps 0.25 lc 2" : NULL);
        }
    }
    failures += plot_end(p) != 0;
    free(few[0]); free(few[1]);
    free(xr);

    for (int k = 0; k < N_SNAP; k++) { free(sn.xt[k]); free(sn.x0[k]); }
    out->eps_samples = xs[1];
    out->eps_metric = m_tilde;
    free(xs[0]); free(noise);
    out->ref = ref;
    zoo_data_free(&ref2);
    sched_free(s);
    return failures;
}

/* ================================================================== 7. ε vs x_0 */

/* The x_0-predicting twin of the main model, against section 5's samples
 * (the same held-out data, the same sampler with σ² = β̃_t). */
static int section_prediction(const Setup *S, Models *M, Rng *rng, const MainResult *main_res)
{
    const int n = S->samples;
    const ZooRecipe rec[2] = { M->m[M_MAIN].rec, M->m[M_X0].rec };
    const ZooData *ref = &main_res->ref;
    float *xs[2] = { main_res->eps_samples, NULL };
    double met[2] = { main_res->eps_metric, 0 };
    printf("\n[7] ε- vs x_0-prediction, same network, data, schedule and %d training steps:\n", rec[0].train.steps);
    printf("    %-16s %s %.5f (section 5)\n", "ε-prediction", METRIC_NAME, met[0]);
    for (int k = 1; k < 2; k++) {
        Denoiser *net = M->m[M_X0].net;
        Schedule *s = make_sched(&rec[k].sched);
        xs[k] = xmalloc((size_t)n * 2 * sizeof(float), "samples");
        sample(xs[k], n, net, s, rec[k].train.pred, s, NULL, DDPM_VAR_BETA_TILDE, rng, NULL, NULL,
               k ? "sampling, x_0-prediction" : "sampling, ε-prediction", S->quiet);
        met[k] = metric2d(xs[k], n, ref->x, n);
        printf("    %-16s %s %.5f\n", "x_0-prediction", METRIC_NAME, met[k]);
        sched_free(s);
    }
    Plot *p = plot_begin_multi(&S->po, "eps_vs_x0", "ε- vs x_0-prediction at equal training budget (σ² = β̃_t)", 1, 2);
    if (p) {
        plot_size(p, 1100, 540);
        char title[96];
        snprintf(title, sizeof title, "ε-prediction: %.4f", met[0]);
        scatter_panel(p, title, xs[0], n, 2.5, NULL);
        snprintf(title, sizeof title, "x_0-prediction: %.4f", met[1]);
        scatter_panel(p, title, xs[1], n, 2.5, "pt 7 ps 0.25 lc 2");
    }
    int failures = plot_end(p) != 0;
    free(xs[1]);
    return failures;
}

/* ================================================================== 8. T = 50 on a large shape */

/* The star of radius 4 with T = 50: under the linear range ᾱ_T = 0.60, so
 * the training never sees x_T ~ N(0, I), yet the sampler starts there; with
 * β scaled by 1000/T, ᾱ_T = 7.7e-6 and it works. */
static int section_small_T(const Setup *S, Models *M, Rng *rng)
{
    const int n = S->samples;
    const ZooRecipe rec[2] = { M->m[M_STAR].rec, M->m[M_STAR_FIX].rec };
    ZooData ref = zoo_held_out("star", n, rng_u64(rng)), ref2 = zoo_held_out("star", n, rng_u64(rng));
    float *noise = xmalloc((size_t)n * 2 * sizeof *noise, "x_T"), *xT[2], *xs[2];
    for (int i = 0; i < 2 * n; i++) noise[i] = (float)rng_normal(rng);
    const double floor = metric2d(ref2.x, n, ref.x, n), ceil = metric2d(noise, n, ref.x, n);
    double met[2];
    printf("\n[8] T = 50 on the star of radius 4 (%d held-out points, %s):\n", n, METRIC_NAME);
    for (int k = 0; k < 2; k++) {
        Schedule *s = make_sched(&rec[k].sched);
        /* the true law of x_T: the data pushed through q(x_T | x_0) */
        xT[k] = xmalloc((size_t)n * 2 * sizeof(float), "x_T");
        int *t = xmalloc((size_t)n * sizeof *t, "timesteps");
        for (int i = 0; i < n; i++) t[i] = 50;
        ddpm_q_sample(xT[k], ref2.x, noise, t, s, n, 2);
        free(t);
        Denoiser *net = M->m[M_STAR + k].net;
        xs[k] = xmalloc((size_t)n * 2 * sizeof(float), "samples");
        sample(xs[k], n, net, s, rec[k].train.pred, s, NULL, DDPM_VAR_BETA_TILDE, rng, NULL, NULL, NULL, 1);
        met[k] = metric2d(xs[k], n, ref.x, n);
        char name[64];
        snprintf(name, sizeof name, k ? "β ×20: ᾱ_T = %.1e" : "linear: ᾱ_T = %.2f", s->alpha_bar[50]);
        printf("    ");
        met_print_calibrated(stdout, name, met[k], floor, ceil);
        sched_free(s);
    }
    printf("    (the ceiling is N(0, I) itself; a run at T = 50 with the unscaled range samples from a chain that\n"
           "    never saw its own starting point)\n");
    Plot *p = plot_begin_multi(&S->po, "small_T_star", "T = 50 on a star of radius 4: x_T is not noise unless β is "
                               "scaled by 1000/T", 1, 4);
    if (p) {
        plot_size(p, 2000, 540);
        const double R = 5.5;
        scatter_panel(p, "x_T = √ᾱ_T x_0 + √(1 − ᾱ_T) ε, linear, T = 50", xT[0], n, R, "pt 7 ps 0.25 lc rgb '#555555'");
        char title[96];
        snprintf(title, sizeof title, "samples from N(0, I), linear, T = 50: %.3f", met[0]);
        scatter_panel(p, title, xs[0], n, R, NULL);
        scatter_panel(p, "x_T, β scaled by 1000/T = 20", xT[1], n, R, "pt 7 ps 0.25 lc rgb '#555555'");
        snprintf(title, sizeof title, "samples, β scaled by 20: %.3f", met[1]);
        scatter_panel(p, title, xs[1], n, R, "pt 7 ps 0.25 lc 2");
    }
    int failures = plot_end(p) != 0;
    for (int k = 0; k < 2; k++) { free(xT[k]); free(xs[k]); }
    free(noise);
    zoo_data_free(&ref); zoo_data_free(&ref2);
    return failures;
}

/* ================================================================== 9. images */

/* A PNG grid of images in [−1, 1] into the output folder (not with --plot
 * none or dumb: there the figures are not files). 1 on failure. */
static int write_grid(const Setup *S, const char *name, const float *imgs, int n, int h, int w, int cols, int scale)
{
    if (S->po.format == PLOT_NONE || S->po.format == PLOT_DUMB) return 0;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.png", S->po.outdir, name);
    if (img_write_grid(path, imgs, n, 1, w, h, cols, scale, -1.0f, 1.0f) != 0) return 1;
    if (!S->quiet) printf("wrote %s\n", path);
    return 0;
}

#define N_CHAIN 9   /* columns of the reverse-chain grid */

/* The first rows of the chain: x_t and x̂_0 at a few t, for the grid. */
typedef struct {
    const Schedule *s;
    int ts[N_CHAIN - 1], rows, dim;
    float *xt, *x0;   /* (rows, N_CHAIN, dim): the last column is the sample */
} Chain;

static void chain_observe(void *ctx, int t, int row0, const float *x, const float *eps, int n)
{
    Chain *c = ctx;
    for (int k = 0; k < N_CHAIN - 1; k++)
        if (c->ts[k] == t)
            for (int i = 0; i < n && row0 + i < c->rows; i++) {
                const size_t at = ((size_t)(row0 + i) * N_CHAIN + k) * c->dim, off = (size_t)i * c->dim;
                memcpy(c->xt + at, x + off, (size_t)c->dim * sizeof *x);
                ddpm_x0_from_eps(c->x0 + at, x + off, eps + off, t, c->s, c->dim);
            }
}

/* Fréchet distance, precision and recall of sample sets against held-out
 * images, in the classifier's features, each beside its floor and ceiling. */
typedef struct {
    float *ref, *ref2, *noise;   /* features (n, ZOO_FEATURES): held-out, a second draw, x_T */
    int n;
    double fd_floor, fd_ceil, pr_floor, pr_ceil, rc_floor, rc_ceil;
} ImgMetrics;

static void img_metrics_init(ImgMetrics *im, Mlp *clf, const ZooData *ref, const ZooData *ref2, Rng *rng)
{
    const int n = ref->n, D = ref->dim;
    float *noise = xmalloc((size_t)n * D * sizeof *noise, "x_T");
    for (size_t k = 0; k < (size_t)n * D; k++) noise[k] = (float)rng_normal(rng);
    im->n = n;
    float **F[3] = { &im->ref, &im->ref2, &im->noise };
    const float *sets[3] = { ref->x, ref2->x, noise };
    for (int k = 0; k < 3; k++) {
        *F[k] = xmalloc((size_t)n * ZOO_FEATURES * sizeof(float), "features");
        zoo_features(clf, sets[k], n, *F[k], NULL);
    }
    free(noise);
    im->fd_floor = met_frechet(im->ref2, n, im->ref, n, ZOO_FEATURES);
    im->fd_ceil = met_frechet(im->noise, n, im->ref, n, ZOO_FEATURES);
    met_precision_recall(im->ref, n, im->ref2, n, ZOO_FEATURES, 3, &im->pr_floor, &im->rc_floor);
    met_precision_recall(im->ref, n, im->noise, n, ZOO_FEATURES, 3, &im->pr_ceil, &im->rc_ceil);
}

static void img_metrics_free(ImgMetrics *im) { free(im->ref); free(im->ref2); free(im->noise); }

/* Print the three metrics of samples xs (n, D) and the classes the classifier sees in them. */
static void img_metrics_report(const ImgMetrics *im, Mlp *clf, const float *xs, const char *what)
{
    const int n = im->n;
    float *F = xmalloc((size_t)n * ZOO_FEATURES * sizeof *F, "features");
    int *pred = xmalloc((size_t)n * sizeof *pred, "classes"), hist[IMS_CLASSES] = { 0 };
    zoo_features(clf, xs, n, F, pred);
    for (int i = 0; i < n; i++) hist[pred[i]]++;
    double pr, rc;
    met_precision_recall(im->ref, n, F, n, ZOO_FEATURES, 3, &pr, &rc);
    printf("    %s:\n      ", what);
    met_print_calibrated(stdout, "Fréchet distance", met_frechet(F, n, im->ref, n, ZOO_FEATURES), im->fd_floor, im->fd_ceil);
    printf("      ");
    met_print_calibrated(stdout, "precision (k = 3)", pr, im->pr_floor, im->pr_ceil);
    printf("      ");
    met_print_calibrated(stdout, "recall (k = 3)", rc, im->rc_floor, im->rc_ceil);
    printf("      classes the classifier sees:");
    for (int c = 0; c < IMS_CLASSES; c++) printf(" %d", hist[c]);
    printf("\n");
    free(F); free(pred);
}

static int section_images(const Setup *S, Models *M, Rng *rng)
{
    int failures = 0;
    const int n = S->img_samples;
    const Model *mx = &M->m[M_IMG_X0], *me = &M->m[M_IMG_EPS];
    char desc[512], name[64], label[80];
    printf("\n[9] Images: %s. Feature network for the metrics: an MLP %d → 256 → %d features → 10, held-out "
           "accuracy %.4f\n", S->images, mx->rec.net.dim, ZOO_FEATURES, M->clf_acc);
    printf("    denoiser: %s\n", zoo_describe(&mx->rec, desc, sizeof desc));
    printf("    twin predicting ε, otherwise identical; loss: x_0-prediction %.4f → %.4f, ε-prediction %.4f → %.4f\n",
           mx->curve[0], mx->curve[CURVE - 1], me->curve[0], me->curve[CURVE - 1]);
    const char *ref_name = strcmp(S->images, "fashion") == 0 ? "fashion-test" : S->images;
    ZooData ref = zoo_held_out(ref_name, n, rng_u64(rng)), ref2 = zoo_held_out(ref_name, n, rng_u64(rng));
    const int D = ref.dim, H = ref.h, W = ref.w;
    Schedule *s = make_sched(&mx->rec.sched);

    /* the forward process on 8 images */
    enum { ROWS = 8, NF = 6 };
    const int tf[NF] = { 0, 50, 100, 200, 400, 1000 };
    float *fw = xmalloc((size_t)ROWS * NF * D * sizeof *fw, "forward grid"), *e = xmalloc((size_t)D * sizeof *e, "ε");
    for (int i = 0; i < ROWS; i++) {
        for (int k = 0; k < D; k++) e[k] = (float)rng_normal(rng);
        for (int j = 0; j < NF; j++) ddpm_q_sample(fw + ((size_t)i * NF + j) * D, ref.x + (size_t)i * D, e, &tf[j], s, 1, D);
    }
    snprintf(name, sizeof name, "forward_%s", S->images);
    failures += write_grid(S, name, fw, ROWS * NF, H, W, NF, 4);
    free(fw); free(e);

    Plot *p = plot_begin(&S->po, "loss_curve_images", "Training loss on images: x_0- and ε-prediction");
    if (p) {
        plot_labels(p, "training step", "mean loss over 1% of training");
        plot_log(p, "y");
        loss_panel(p, mx, "x_0-prediction: ‖x_0 − x̂_θ‖²/D");
        loss_panel(p, me, "ε-prediction: ‖ε − ε_θ‖²/D");
    }
    failures += plot_end(p) != 0;

    ImgMetrics im;
    img_metrics_init(&im, M->clf, &ref, &ref2, rng);
    printf("    %d samples of each (T = 1000, σ² = β̃_t, x̂_0 clipped to [−1, 1]) against %d held-out images, in the\n"
           "    classifier's %d features (floor: a second draw of the data; ceiling: x_T ~ N(0, I)):\n", n, n,
           ZOO_FEATURES);
    float *xs = xmalloc((size_t)n * D * sizeof *xs, "samples");
    for (int k = 0; k < 2; k++) {
        const Model *m = k ? me : mx;
        const char *pname = k ? "eps" : "x0";
        Chain ch = { .s = s, .ts = { 1000, 800, 600, 400, 200, 100, 50, 10 }, .rows = n < ROWS ? n : ROWS, .dim = D };
        ch.xt = xcalloc((size_t)ROWS * N_CHAIN * D, sizeof(float), "chain");
        ch.x0 = xcalloc((size_t)ROWS * N_CHAIN * D, sizeof(float), "chain");
        snprintf(label, sizeof label, "sampling %d %s, %s-prediction", n, S->images, k ? "ε" : "x_0");
        sample(xs, n, m->net, s, m->rec.train.pred, s, NULL, DDPM_VAR_BETA_TILDE, rng, chain_observe, &ch, label,
               S->quiet);
        for (int i = 0; i < ch.rows; i++) {
            memcpy(ch.xt + ((size_t)i * N_CHAIN + N_CHAIN - 1) * D, xs + (size_t)i * D, (size_t)D * sizeof *xs);
            memcpy(ch.x0 + ((size_t)i * N_CHAIN + N_CHAIN - 1) * D, xs + (size_t)i * D, (size_t)D * sizeof *xs);
        }
        /* one grid: for each sample a row of x_t, then a row of x̂_0 */
        float *rev = xmalloc((size_t)2 * ROWS * N_CHAIN * D * sizeof *rev, "reverse grid");
        for (int i = 0; i < ch.rows; i++) {
            memcpy(rev + (size_t)(2 * i) * N_CHAIN * D, ch.xt + (size_t)i * N_CHAIN * D, (size_t)N_CHAIN * D * sizeof *rev);
            memcpy(rev + (size_t)(2 * i + 1) * N_CHAIN * D, ch.x0 + (size_t)i * N_CHAIN * D,
                   (size_t)N_CHAIN * D * sizeof *rev);
        }
        snprintf(name, sizeof name, "reverse_%s_%s", S->images, pname);
        failures += write_grid(S, name, rev, 2 * ch.rows * N_CHAIN, H, W, N_CHAIN, 4);
        snprintf(name, sizeof name, "samples_%s_%s", S->images, pname);
        failures += write_grid(S, name, xs, n < 100 ? n : 100, H, W, 10, 4);
        free(rev); free(ch.xt); free(ch.x0);
        img_metrics_report(&im, M->clf, xs, k ? "ε-prediction" : "x_0-prediction");
    }
    snprintf(name, sizeof name, "data_%s", S->images);
    failures += write_grid(S, name, ref.x, n < 100 ? n : 100, H, W, 10, 4);
    img_metrics_free(&im);
    free(xs);
    zoo_data_free(&ref); zoo_data_free(&ref2);
    sched_free(s);
    return failures;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    Setup S = { .data2d = "moons", .images = "digits", .samples = 1000, .img_samples = 200 };
    int no_cache = 0;
    CliOption opts[] = {
        { "--data2d", CLI_STRING, &S.data2d, 0, 0, "2-D data set: moons" },
        { "--samples", CLI_INT, &S.samples, 100, 20000, "samples per metric (2-D)" },
        { "--data", CLI_STRING, &S.images, 0, 0, "images: digits (generated) or fashion (Fashion-MNIST)" },
        { "--img-samples", CLI_INT, &S.img_samples, 20, 5000, "image samples per metric" },
        { "--no-cache", CLI_FLAG, &no_cache, 0, 1, "train every model afresh (and do not save it)" },
    };
    CliCommon cl = cli_defaults("10_ddpm", 10);
    cli_parse(argc, argv, "DDPM: the forward process, ε-prediction, ancestral sampling", opts, ARRAY_LEN(opts), &cl);
    S.po = cli_plot_opts(&cl);
    S.quiet = cl.quiet;
    S.quick = cl.quick;
    S.seed = cl.seed;
    S.zoo = (ZooOpts){ .use_cache = !no_cache, .quiet = cl.quiet };
    if (cl.quick && S.samples > 400) S.samples = 400;
    if (cl.quick && S.img_samples > 50) S.img_samples = 50;
    if (strcmp(S.images, "digits") != 0 && strcmp(S.images, "fashion") != 0) {
        fprintf(stderr, "error: --data %s: must be digits or fashion\n", S.images);
        return 2;
    }
    {
        ZooData probe;
        char err[512];
        if (zoo_data(&probe, S.data2d, 1, 1, err, sizeof err) != 0 || probe.dim != 2) {
            if (probe.x) snprintf(err, sizeof err, "not a 2-D set");
            fprintf(stderr, "error: --data2d %s: %s (2-D sets: moons swissroll star ring grid)\n", S.data2d, err);
            zoo_data_free(&probe);
            return 2;
        }
        zoo_data_free(&probe);
        /* Fashion-MNIST is a Debian package: say which, before any work */
        if (strcmp(S.images, "fashion") == 0 && zoo_data(&probe, "fashion-test", 1, 1, err, sizeof err) != 0) {
            fprintf(stderr, "error: --data fashion: %s\n", err);
            return 2;
        }
        zoo_data_free(&probe);
    }
    const double t0 = progress_now();
    printf("Chapter 10: denoising diffusion probabilistic models (seed %llu%s)\n", (unsigned long long)cl.seed,
           cl.quick ? ", quick" : "");
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r2 = rng_split(&root), r3 = rng_split(&root), r7 = rng_split(&root), r8 = rng_split(&root),
        r9 = rng_split(&root);
    int failures = 0;
    double t[6];
    t[0] = progress_now();
    failures += section_schedules(&S);
    failures += section_forward(&S, &r2);
    t[1] = progress_now();
    Models M;
    models_recipes(&M, &S);
    if (models_train(&M) != 0) {
        models_free(&M);
        fprintf(stderr, "error: a model could not be made (see above)\n");
        return 1;
    }
    t[2] = progress_now();
    MainResult main_res = { 0 };
    failures += section_main_model(&S, &M, &r3, &main_res);
    if (main_res.eps_samples) failures += section_prediction(&S, &M, &r7, &main_res);
    free(main_res.eps_samples);
    zoo_data_free(&main_res.ref);
    t[3] = progress_now();
    failures += section_small_T(&S, &M, &r8);
    t[4] = progress_now();
    failures += section_images(&S, &M, &r9);
    t[5] = progress_now();
    models_free(&M);
    printf("\nTotal time %.1f s (schedules and forward %.1f s, models %.1f s, 2-D sampling %.1f s, T = 50 %.1f s, "
           "images %.1f s)\n", t[5] - t0, t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4]);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) or model(s) failed (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
