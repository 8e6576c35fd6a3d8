/* 09_vae_gan — before diffusion: a VAE and a GAN on the 2-D mode-coverage
 * benchmarks, and a VAE on 16×16 digits.
 *
 * What it shows:
 *   1. The VAE on the ring of 8 and the 5×5 grid of Gaussians (common/
 *      datasets.h): samples of the prior pushed through the decoder over the
 *      data, the 2-D latent space (encoder means coloured by mode), and the
 *      training curves of −ELBO, reconstruction and KL (figure vae).
 *   2. A β-VAE sweep on the ring: samples at each β, and the high-quality
 *      share of samples and of reconstructions, and the modes covered, against
 *      β (figure beta_vae).
 *   3. The GAN (non-saturating) on both sets: samples over training, over the
 *      discriminator's D(x) map (figures gan_ring_training, gan_grid_training).
 *   4. Mode collapse measured: modes covered and % high-quality samples for the
 *      VAE and the non-saturating GAN on both sets and the minimax GAN on the
 *      ring, --seeds seeds each, against the published figures (figure
 *      mode_coverage and the table).
 *   5. Why the non-saturating loss: the generator's logit gradient against
 *      D(G(z)) for both losses, and D(G(z)) during training (figure gan_saturation).
 *   6. The VAE on the course's generated 16×16 digits: samples, reconstructions
 *      and the 2-D latent space by class (figure vae_digits_latent and the
 *      image grids vae_digits_samples.png, vae_digits_recon.png).
 * Run r of a method uses seed --seed + r for its data, initialisation and
 * batches; runs are spread over --threads threads with the same results on
 * any number.
 */
#include "cli.h"
#include "datasets.h"
#include "exercise.h"
#include "gen_train.h"
#include "image.h"
#include "imageset.h"
#include "parallel.h"
#include "plot.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ setup */

typedef struct {
    int steps;          /* training steps per 2-D run */
    int seeds;          /* runs per method and data set */
    int hidden;         /* hidden width, every network */
    int batch;          /* minibatch */
    double lr_vae, lr_gan;
    double sigma_x;     /* the VAE decoder's std on the 2-D sets */
    int n_eval;         /* model samples for the mode counts */
    int cells;          /* cells across a D(x) map */
    int digit_steps;    /* VAE steps on the digits */
    int digit_hidden;   /* their networks' hidden width */
    double digit_sigma_x;   /* their decoder's std */
    int threads;
    uint64_t seed;
    int quiet;
    PlotOpts po;
} Setup;

enum { N_TRAIN = 20000, N_TEST = 2000, N_CKPT = 20, N_SNAP = 6, N_SHOW = 500, N_LATENT = 1000 };
static const double SNAP_AT[N_SNAP] = { 0.0, 0.04, 0.1, 0.2, 0.5, 1.0 };   /* snapshot steps, share of the run */
static const double BETAS[] = { 0.1, 0.3, 1, 3, 10, 30, 100 };
#define N_BETA ((int)(sizeof BETAS / sizeof BETAS[0]))

/* The two benchmarks. */
typedef struct {
    const char *name, *tag;
    int k;              /* modes */
    double std;         /* of each mode */
    double lim;         /* figures show [−lim, lim]² */
    double centres[2 * 25];
    double log_lik;     /* E[log p(x)] of the data = −(differential entropy) */
} Bench;

static Bench BENCH[2];

static void benches_init(void)
{
    Bench *r = &BENCH[0], *g = &BENCH[1];
    *r = (Bench){ "ring of 8 Gaussians (radius 2, std 0.02)", "ring", 8, 0.02, 2.8, { 0 }, 0 };
    *g = (Bench){ "5x5 grid of Gaussians (spacing 2, std 0.05)", "grid", 25, 0.05, 5.5, { 0 }, 0 };
    ds_ring_centres(r->centres, 8, 2.0);
    ds_grid_centres(g->centres, 5, 2.0);
    /* equal-weight, non-overlapping modes: h = log k + log(2πe σ²) */
    for (int b = 0; b < 2; b++)
        BENCH[b].log_lik = -(log((double)BENCH[b].k) + log(2 * M_PI * M_E * BENCH[b].std * BENCH[b].std));
}

static void bench_data(int b, Rng *r, double *X, int *y, int n)
{
    if (b == 0) ds_ring(r, X, y, n, 8, 2.0, BENCH[0].std);
    else ds_grid(r, X, y, n, 5, 2.0, BENCH[1].std);
}

typedef enum { M_VAE, M_GAN, M_MINIMAX, N_METHODS } Method;
static const char *METHOD_NAME[N_METHODS] = { "VAE", "GAN (non-saturating)", "GAN (minimax)" };

/* The minimax GAN runs on the ring only: its failure to learn is the same on
 * the grid, and the default run stays within its time budget. */
static int method_runs_on(Method m, int bench) { return !(m == M_MINIMAX && bench == 1); }

/* ------------------------------------------------------------------ one run */

typedef struct {
    /* the task */
    Method method;
    int bench;
    double beta;            /* VAE */
    uint64_t seed;
    int keep;               /* 1: keep samples, latents, curves and snapshots for the figures */
    const Setup *s;
    /* results */
    int modes;              /* modes covered by n_eval samples at the end */
    double hq;              /* their high-quality share */
    double hq_recon;        /* VAE: high-quality share of reconstructions of test points */
    VaeStats test;          /* VAE: loss terms on held-out data */
    double ck_step[N_CKPT + 1], ck_modes[N_CKPT + 1], ck_hq[N_CKPT + 1];   /* over training */
    double ck_a[N_CKPT + 1], ck_b[N_CKPT + 1], ck_c[N_CKPT + 1];   /* VAE: loss, rec, kl; GAN: D(real), D(fake), -- */
    float *samples;         /* (N_SHOW, 2) final samples (keep) */
    float *latent;          /* (N_LATENT, 2) encoder means of labelled points (keep, VAE) */
    int *latent_mode;       /* (N_LATENT) their modes */
    float *snap;            /* (N_SNAP, N_SHOW, 2) GAN samples at the snapshot steps (keep) */
    float *snap_map;        /* (N_SNAP, cells²) D(x) maps (keep) */
    double seconds;         /* thread CPU time of the run */
} Run;

static void to_double(const float *f, double *d, int n)
{
    for (int i = 0; i < n; i++) d[i] = f[i];
}

/* D(x) on the cells of the figure's map: row j = 0 at the bottom. */
static void discriminator_map(Gan *g, double lim, int cells, float *out)
{
    float *pts = xmalloc((size_t)cells * cells * 2 * sizeof *pts, "map points");
    for (int j = 0; j < cells; j++)
        for (int i = 0; i < cells; i++) {
            pts[2 * (j * cells + i)] = (float)(-lim + 2 * lim * (i + 0.5) / cells);
            pts[2 * (j * cells + i) + 1] = (float)(-lim + 2 * lim * (j + 0.5) / cells);
        }
    gan_discriminate(g, pts, cells * cells, out);
    free(pts);
}

static void run_one(Run *run)
{
    const Setup *s = run->s;
    const Bench *bench = &BENCH[run->bench];
    const double t0 = progress_thread_cpu();
    Rng rng;
    rng_seed(&rng, run->seed);
    Rng r_data = rng_split(&rng), r_init = rng_split(&rng), r_train = rng_split(&rng), r_eval = rng_split(&rng);

    /* data: a fixed training set, minibatches drawn from it with replacement */
    double *X = xmalloc((size_t)(N_TRAIN + N_TEST) * 2 * sizeof *X, "data");
    int *y = xmalloc((size_t)(N_TRAIN + N_TEST) * sizeof *y, "labels");
    bench_data(run->bench, &r_data, X, y, N_TRAIN + N_TEST);
    float *Xf = xmalloc((size_t)(N_TRAIN + N_TEST) * 2 * sizeof *Xf, "data");
    for (int i = 0; i < 2 * (N_TRAIN + N_TEST); i++) Xf[i] = (float)X[i];
    const float *Xtest = Xf + 2 * N_TRAIN;
    const int B = s->batch, T = s->steps, ne = s->n_eval;
    float *xb = xmalloc((size_t)B * 2 * sizeof *xb, "batch"), *S = xmalloc((size_t)ne * 2 * sizeof *S, "samples");
    double *Sd = xmalloc((size_t)ne * 2 * sizeof *Sd, "samples");

    Vae *vae = NULL;
    Gan *gan = NULL;
    if (run->method == M_VAE) {
        VaeConfig c = vae_default_config(2, 2);
        c.hidden = s->hidden; c.batch = B; c.lr = (float)s->lr_vae; c.sigma_x = s->sigma_x; c.beta = run->beta;
        vae = vae_create(&c, &r_init);
    } else {
        GanConfig c = gan_default_config(2);
        c.hidden = s->hidden; c.batch = B; c.lr_g = c.lr_d = (float)s->lr_gan;
        c.loss = run->method == M_GAN ? GAN_NONSATURATING : GAN_MINIMAX;
        gan = gan_create(&c, &r_init);
    }
    if (!vae && !gan) die(2, "09_vae_gan: invalid model settings (--hidden %d, --batch %d)", s->hidden, B);
    if (run->keep && gan) {
        run->snap = xmalloc((size_t)N_SNAP * N_SHOW * 2 * sizeof *run->snap, "snapshots");
        run->snap_map = xmalloc((size_t)N_SNAP * s->cells * s->cells * sizeof *run->snap_map, "maps");
    }

    double acc[3] = { 0 };
    int acc_n = 0, ck = 0, snap = 0;
    for (int t = 0; t <= T; t++) {
        /* checkpoints: modes and quality of fresh samples, and the averaged losses since the last one */
        if (t == (long)T * ck / N_CKPT) {
            if (vae) vae_sample(vae, ne, &r_eval, S); else gan_sample(gan, ne, &r_eval, S);
            to_double(S, Sd, 2 * ne);
            run->ck_step[ck] = t;
            run->ck_modes[ck] = gen_mode_coverage(Sd, ne, bench->centres, bench->k, bench->std, &run->ck_hq[ck], NULL);
            run->ck_a[ck] = acc_n ? acc[0] / acc_n : NAN;
            run->ck_b[ck] = acc_n ? acc[1] / acc_n : NAN;
            run->ck_c[ck] = acc_n ? acc[2] / acc_n : NAN;
            acc[0] = acc[1] = acc[2] = 0;
            acc_n = 0;
            ck++;
        }
        while (run->snap && snap < N_SNAP && t == (long)(SNAP_AT[snap] * T + 0.5)) {
            gan_sample(gan, N_SHOW, &r_eval, run->snap + (size_t)snap * N_SHOW * 2);
            discriminator_map(gan, bench->lim, s->cells, run->snap_map + (size_t)snap * s->cells * s->cells);
            snap++;
        }
        if (t == T) break;
        for (int b = 0; b < B; b++) {
            int i = rng_int(&r_train, N_TRAIN);
            xb[2 * b] = Xf[2 * i];
            xb[2 * b + 1] = Xf[2 * i + 1];
        }
        if (vae) {
            VaeStats st = vae_step(vae, xb, B, &r_train);
            acc[0] += st.loss; acc[1] += st.rec; acc[2] += st.kl;
            if (!isfinite(st.loss))
                die(1, "VAE on the %s, seed %llu: the loss is %g at step %d; lower --lr-vae, or with IMPL=exercises "
                       "check vae_loss and the reparameterisation (make check CH=09)", bench->tag,
                    (unsigned long long)run->seed, st.loss, t);
        } else {
            GanStats st = gan_step(gan, xb, B, &r_train);
            acc[0] += st.d_real; acc[1] += st.d_fake; acc[2] += st.d_loss;
            if (!isfinite(st.d_loss + st.g_loss))
                die(1, "GAN on the %s, seed %llu: a loss is not finite at step %d; lower --lr-gan, or with "
                       "IMPL=exercises check gan_d_loss and gan_g_loss (make check CH=09)", bench->tag,
                    (unsigned long long)run->seed, t);
        }
        acc_n++;
    }
    /* final evaluation */
    run->modes = (int)run->ck_modes[N_CKPT];
    run->hq = run->ck_hq[N_CKPT];
    if (vae) {
        run->test = vae_evaluate(vae, Xtest, N_TEST, &r_eval);
        float *R = xmalloc((size_t)N_TEST * 2 * sizeof *R, "reconstructions");
        double *Rd = xmalloc((size_t)N_TEST * 2 * sizeof *Rd, "reconstructions");
        vae_reconstruct(vae, Xtest, N_TEST, R);
        to_double(R, Rd, 2 * N_TEST);
        gen_mode_coverage(Rd, N_TEST, bench->centres, bench->k, bench->std, &run->hq_recon, NULL);
        free(R); free(Rd);
    }
    if (run->keep) {
        run->samples = xmalloc((size_t)N_SHOW * 2 * sizeof *run->samples, "samples");
        if (vae) vae_sample(vae, N_SHOW, &r_eval, run->samples); else gan_sample(gan, N_SHOW, &r_eval, run->samples);
        if (vae) {
            run->latent = xmalloc((size_t)N_LATENT * 2 * sizeof *run->latent, "latent means");
            run->latent_mode = xmalloc((size_t)N_LATENT * sizeof *run->latent_mode, "latent modes");
            vae_encode_mean(vae, Xtest, N_LATENT, run->latent);
            memcpy(run->latent_mode, y + N_TRAIN, (size_t)N_LATENT * sizeof *y);
        }
    }
    vae_free(vae);
    gan_free(gan);
    free(X); free(y); free(Xf); free(xb); free(S); free(Sd);
    run->seconds = progress_thread_cpu() - t0;
}

static void run_body(void *ctx, int i)
{
    Run *r = &((Run *)ctx)[i];
    if (method_runs_on(r->method, r->bench)) run_one(r);
}

static void run_free(Run *r)
{
    free(r->samples); free(r->latent); free(r->latent_mode); free(r->snap); free(r->snap_map);
}

/* ------------------------------------------------------------------ figure helpers */

/* Data (black) and model samples (green) in one panel over [−lim, lim]²; the
 * data picture is the same 400 points in every panel of a set. */
static void draw_samples(Plot *p, int bench, const float *S, int n, const char *legend)
{
    enum { ND = 400 };
    const Bench *b = &BENCH[bench];
    double *X = xmalloc((size_t)2 * ND * sizeof *X, "data");
    int *y = xmalloc((size_t)ND * sizeof *y, "labels");
    Rng r;
    rng_seed(&r, 12345);
    bench_data(bench, &r, X, y, ND);
    double *sx = xmalloc((size_t)2 * n * sizeof *sx, "samples"), *sy = sx + n;
    for (int i = 0; i < n; i++) { sx[i] = S[2 * i]; sy[i] = S[2 * i + 1]; }
    double *px = xmalloc((size_t)2 * ND * sizeof *px, "data"), *py = px + ND;
    for (int i = 0; i < ND; i++) { px[i] = X[2 * i]; py[i] = X[2 * i + 1]; }
    plot_equal_axes(p);
    plot_xrange(p, -b->lim, b->lim);
    plot_yrange(p, -b->lim, b->lim);
    plot_next_style(p, "lc rgb '#000000' pt 7 ps 0.6");
    plot_points(p, px, py, ND, "data");
    plot_next_style(p, "lc rgb '#009E73' pt 7 ps 0.45");
    plot_points(p, sx, sy, n, legend);
    free(X); free(y); free(sx); free(px);
}

/* Five x tics over a run of `steps` steps, so that small copies stay legible. */
static void step_tics(Plot *p, int steps)
{
    char tics[48];
    snprintf(tics, sizeof tics, "set xtics %d", steps >= 5 ? steps / 5 : 1);
    plot_raw(p, tics);
}

/* ------------------------------------------------------------------ 1. the VAE */

static int figure_vae(const Setup *s, Run *runs[2])
{
    Plot *p = plot_begin_multi(&s->po, "vae", "VAE (2-D latent, Gaussian decoder): samples x̂(z) at z ~ N(0, I), latent space, training", 2, 3);
    if (!p) return 1;
    plot_size(p, 1500, 1000);
    for (int b = 0; b < 2; b++) {
        const Run *r = runs[b];
        const Bench *bench = &BENCH[b];
        char t[160];
        snprintf(t, sizeof t, "%s: samples, %d/%d modes, %.0f%% HQ", bench->tag, r->modes, bench->k, 100 * r->hq);
        plot_panel(p, t);
        plot_labels(p, "x_1", "x_2");
        draw_samples(p, b, r->samples, N_SHOW, "VAE samples");
        plot_panel(p, "latent: encoder means μ(x) by mode");
        plot_labels(p, "μ_1", "μ_2");
        plot_equal_axes(p);
        double *lx = xmalloc(N_LATENT * sizeof *lx, "x"), *ly = xmalloc(N_LATENT * sizeof *ly, "y");
        for (int i = 0; i < N_LATENT; i++) { lx[i] = r->latent[2 * i]; ly[i] = r->latent[2 * i + 1]; }
        plot_raw(p, "unset key");
        plot_classes(p, lx, ly, r->latent_mode, N_LATENT, "mode");
        free(lx); free(ly);
        plot_panel(p, "training curves");
        plot_labels(p, "step", "nats");
        /* the first checkpoints are far above the rest: show the last 80% of the run in full */
        double lo = -bench->log_lik, hi = -bench->log_lik;
        for (int k = 1; k <= N_CKPT; k++) {
            lo = fmin(lo, fmin(r->ck_a[k], fmin(r->ck_b[k], r->ck_c[k])));
            if (k > N_CKPT / 5) hi = fmax(hi, fmax(r->ck_a[k], fmax(r->ck_b[k], r->ck_c[k])));
        }
        plot_yrange(p, lo - 0.5, hi + 0.5 + 0.3 * (hi - lo));
        plot_raw(p, "set key inside top right");
        step_tics(p, s->steps);
        plot_hline(p, -bench->log_lik, "-E[log p(x)]: the best possible -ELBO");
        plot_line(p, r->ck_step + 1, r->ck_a + 1, N_CKPT, "-ELBO");
        plot_line(p, r->ck_step + 1, r->ck_b + 1, N_CKPT, "reconstruction -log p(x|z)");
        plot_line(p, r->ck_step + 1, r->ck_c + 1, N_CKPT, "KL(q(z|x) ‖ N(0,I))");
    }
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ 2. β sweep */

static int figure_beta(const Setup *s, Run *runs)
{
    Plot *p = plot_begin_multi(&s->po, "beta_vae", "β-VAE on the ring: the weight of the KL term", 2, 4);
    if (!p) return 1;
    plot_size(p, 1800, 920);
    double beta[N_BETA], hq[N_BETA], hqr[N_BETA], modes[N_BETA];
    for (int i = 0; i < N_BETA; i++) {
        const Run *r = &runs[i];
        char t[128];
        snprintf(t, sizeof t, "β = %g: %d/8, %.0f%% HQ, recon %.0f%%", BETAS[i], r->modes, 100 * r->hq,
                 100 * r->hq_recon);
        plot_panel(p, t);
        plot_raw(p, "unset key");
        draw_samples(p, 0, r->samples, N_SHOW, NULL);
        beta[i] = BETAS[i];
        hq[i] = 100 * r->hq;
        hqr[i] = 100 * r->hq_recon;
        modes[i] = 100.0 * r->modes / 8;
    }
    plot_panel(p, "against β (one seed)");
    plot_labels(p, "β", "%");
    plot_log(p, "x");
    plot_yrange(p, 0, 105);
    plot_raw(p, "set key inside center left");
    plot_line(p, beta, hq, N_BETA, "HQ samples");
    plot_line(p, beta, hqr, N_BETA, "HQ reconstructions");
    plot_line(p, beta, modes, N_BETA, "modes (% of 8)");
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ 3. GAN snapshots */

static int figure_gan_training(const Setup *s, const Run *r)
{
    const Bench *bench = &BENCH[r->bench];
    char name[64], title[160];
    snprintf(name, sizeof name, "gan_%s_training", bench->tag);
    snprintf(title, sizeof title, "Non-saturating GAN on the %s: samples (green) over D(x), seed %llu", bench->tag,
             (unsigned long long)r->seed);
    Plot *p = plot_begin_multi(&s->po, name, title, 2, 3);
    if (!p) return 1;
    plot_size(p, 1500, 1000);
    const int c = s->cells, n = c * c;
    double *z = xmalloc((size_t)n * sizeof *z, "map"), *sd = xmalloc((size_t)N_SHOW * 2 * sizeof *sd, "samples");
    for (int k = 0; k < N_SNAP; k++) {
        const float *S = r->snap + (size_t)k * N_SHOW * 2;
        to_double(S, sd, 2 * N_SHOW);
        double hq;
        int m = gen_mode_coverage(sd, N_SHOW, bench->centres, bench->k, bench->std, &hq, NULL);
        snprintf(title, sizeof title, "step %d: %d/%d modes, %.1f%% HQ", (int)(SNAP_AT[k] * s->steps + 0.5), m,
                 bench->k, 100 * hq);
        plot_panel(p, title);
        plot_labels(p, "x_1", "x_2");
        for (int i = 0; i < n; i++) z[i] = r->snap_map[(size_t)k * n + i];
        plot_palette(p, PLOT_PALETTE_DIVERGING);
        plot_cbrange(p, 0, 1);
        plot_map(p, z, c, c, -bench->lim, bench->lim, -bench->lim, bench->lim, "D(x)");
        plot_raw(p, "unset key");
        draw_samples(p, r->bench, S, N_SHOW, "GAN samples");
    }
    free(z); free(sd);
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ 4. mode coverage */

static void mean_min_max(const double *v, int n, double *mean, double *lo, double *hi)
{
    *mean = 0; *lo = INFINITY; *hi = -INFINITY;
    for (int i = 0; i < n; i++) { *mean += v[i] / n; *lo = fmin(*lo, v[i]); *hi = fmax(*hi, v[i]); }
}

static int figure_coverage(const Setup *s, Run *runs, int S)
{
    /* runs[(m * 2 + b) * S + seed] */
    Plot *p = plot_begin_multi(&s->po, "mode_coverage", "Mode coverage over training: mean of the seeds (band: min to max)",
                               2, 2);
    if (!p) return 1;
    plot_size(p, 1300, 1000);
    static const double published_gan[2] = { 1.0, 3.3 }, published_veegan[2] = { 8.0, 24.6 };
    for (int b = 0; b < 2; b++) {
        for (int what = 0; what < 2; what++) {
            char t[160];
            snprintf(t, sizeof t, "%s: %s", BENCH[b].tag, what ? "high-quality samples (%)" : "modes covered");
            plot_panel(p, t);
            plot_labels(p, "step", what ? "% of samples within 3σ of a mode" : "modes with >= 1 high-quality sample");
            step_tics(p, s->steps);
            plot_raw(p, "set key inside top left");   /* the y ranges leave the top free */
            if (what) plot_yrange(p, 0, 120);
            else {
                plot_yrange(p, 0, 1.5 * BENCH[b].k);
                char lab[64];
                snprintf(lab, sizeof lab, "GAN, published (%g)", published_gan[b]);
                plot_hline(p, published_gan[b], lab);
                snprintf(lab, sizeof lab, "VEEGAN, published (%g)", published_veegan[b]);
                plot_hline(p, published_veegan[b], lab);
            }
            for (int m = 0; m < N_METHODS; m++) {
                if (!method_runs_on((Method)m, b)) continue;
                double mean[N_CKPT + 1], lo[N_CKPT + 1], hi[N_CKPT + 1], v[64];
                const Run *rs = &runs[(m * 2 + b) * S];
                for (int k = 0; k <= N_CKPT; k++) {
                    for (int i = 0; i < S; i++) v[i] = what ? 100 * rs[i].ck_hq[k] : rs[i].ck_modes[k];
                    mean_min_max(v, S, &mean[k], &lo[k], &hi[k]);
                }
                plot_band(p, rs[0].ck_step, lo, hi, N_CKPT + 1, NULL);
                plot_line(p, rs[0].ck_step, mean, N_CKPT + 1, METHOD_NAME[m]);
            }
        }
    }
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ 5. saturation */

static int figure_saturation(const Setup *s, Run *runs, int S)
{
    Plot *p = plot_begin_multi(&s->po, "gan_saturation", "Why the generator uses the non-saturating loss", 1, 2);
    if (!p) return 1;
    plot_size(p, 1300, 520);
    enum { ND = 200 };
    double d[ND], g_mm[ND], g_ns[ND];
    for (int i = 0; i < ND; i++) {
        /* one sample's logit gradient at D = σ(ℓ), from the exercise functions */
        double Dv = pow(10.0, -4.0 + 4.0 * i / (ND - 1) * 0.9999);
        float l = (float)log(Dv / (1 - Dv)), gm, gn;
        gan_g_loss(&gm, &l, 1, GAN_MINIMAX);
        gan_g_loss(&gn, &l, 1, GAN_NONSATURATING);
        d[i] = Dv;
        g_mm[i] = fabs(gm);
        g_ns[i] = fabs(gn);
    }
    plot_panel(p, "|∂L_G/∂ℓ| of one sample against D(G(z)) = σ(ℓ)");
    plot_labels(p, "D(G(z))", "|∂L_G/∂ℓ|");
    plot_log(p, "xy");
    plot_next_style(p, "lc 3");
    plot_line(p, d, g_mm, ND, "minimax: log(1 - D), gradient -D");
    plot_next_style(p, "lc 2");
    plot_line(p, d, g_ns, ND, "non-saturating: -log D, gradient -(1 - D)");
    plot_panel(p, "the generator's signal during training, ring (each seed)");
    plot_labels(p, "step", "mean |∂L_G/∂ℓ| per sample: D or 1 - D");
    step_tics(p, s->steps);
    plot_log(p, "y");
    plot_yrange(p, 1e-3, 2);
    for (int m = M_GAN; m <= M_MINIMAX; m++)
        for (int i = 0; i < S; i++) {
            const Run *r = &runs[(m * 2 + 0) * S + i];
            double g[N_CKPT];
            /* mean D(G(z)) of the discriminator's steps: the minimax gradient is D, the non-saturating 1 − D */
            for (int k = 0; k < N_CKPT; k++) g[k] = m == M_MINIMAX ? r->ck_b[k + 1] : 1.0 - r->ck_b[k + 1];
            plot_next_style(p, m == M_MINIMAX ? "lc 3" : "lc 2");
            plot_line(p, r->ck_step + 1, g, N_CKPT, i ? NULL : METHOD_NAME[m]);
        }
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ 6. digits */

/* Two PNG grids of 16×16 digits: 100 samples of the prior; 50 held-out digits
 * (odd rows) above their reconstructions. Not with --plot none or dumb, where
 * the figures are not files either. The number of files that failed. */
static int write_digit_grids(const Setup *s, Vae *v, const float *test, Rng *rng)
{
    enum { SIDE = IMS_DIGIT_SIDE, DD = SIDE * SIDE, SHOW = 100 };
    if (s->po.format == PLOT_NONE || s->po.format == PLOT_DUMB) return 0;
    float *img = xmalloc((size_t)SHOW * DD * sizeof *img, "images");
    vae_sample(v, SHOW, rng, img);
    char path[512];
    snprintf(path, sizeof path, "%s/vae_digits_samples.png", s->po.outdir);
    int bad = img_write_grid(path, img, SHOW, 1, SIDE, SIDE, 10, 3, 0.0f, 1.0f) != 0;
    for (int row = 0; row < 5; row++) {
        memcpy(img + (size_t)(2 * row) * 10 * DD, test + (size_t)row * 10 * DD, 10 * DD * sizeof *img);
        vae_reconstruct(v, test + (size_t)row * 10 * DD, 10, img + (size_t)(2 * row + 1) * 10 * DD);
    }
    snprintf(path, sizeof path, "%s/vae_digits_recon.png", s->po.outdir);
    bad += img_write_grid(path, img, SHOW, 1, SIDE, SIDE, 10, 3, 0.0f, 1.0f) != 0;
    if (!s->quiet && !bad) printf("wrote %s/vae_digits_samples.png and vae_digits_recon.png\n", s->po.outdir);
    free(img);
    return bad;
}

static int section_digits(const Setup *s)
{
    if (s->digit_steps <= 0) return 0;
    enum { N_DIG = 6000, N_DTEST = 1000, DD = IMS_DIGIT_SIDE * IMS_DIGIT_SIDE };
    const double t0 = progress_now();
    Rng rng;
    rng_seed(&rng, s->seed + 1000);
    Rng r_data = rng_split(&rng), r_init = rng_split(&rng), r_train = rng_split(&rng), r_eval = rng_split(&rng);
    ImageSet d;
    ims_digits(&d, &r_data, N_DIG + N_DTEST);
    VaeConfig c = vae_default_config(DD, 2);
    c.hidden = s->digit_hidden; c.layers = 2; c.batch = 64; c.lr = 1e-3f; c.sigma_x = s->digit_sigma_x;
    Vae *v = vae_create(&c, &r_init);
    float *xb = xmalloc((size_t)c.batch * DD * sizeof *xb, "batch");
    Progress pr;
    progress_start(&pr, "VAE on 16x16 digits", s->digit_steps, s->quiet);
    VaeStats st = { 0, 0, 0 };
    for (int t = 0; t < s->digit_steps; t++) {
        for (int b = 0; b < c.batch; b++)
            memcpy(xb + (size_t)b * DD, d.pix + (size_t)rng_int(&r_train, N_DIG) * DD, DD * sizeof *xb);
        st = vae_step(v, xb, c.batch, &r_train);
        if (!isfinite(st.loss)) die(1, "VAE on digits: the loss is %g at step %d", st.loss, t);
        if ((t + 1) % 100 == 0) progress_update(&pr, t + 1, "-ELBO %.1f", st.loss);
    }
    progress_finish(&pr);
    const float *test = d.pix + (size_t)N_DIG * DD;
    VaeStats te = vae_evaluate(v, test, N_DTEST, &r_eval);
    printf("\n[6] VAE on %d generated 16x16 digits (%d held out): 256-%d-%d-4 encoder, 2-%d-%d-256 decoder, σ_x = %g,\n"
           "    %d steps of %d, Adam lr %g: held-out −ELBO %.1f nats (reconstruction %.1f, KL %.2f)  [%.1f s]\n",
           N_DIG, N_DTEST, c.hidden, c.hidden, c.hidden, c.hidden, c.sigma_x, s->digit_steps, c.batch, (double)c.lr,
           te.loss, te.rec, te.kl, progress_now() - t0);

    /* the latent space by class */
    float *mu = xmalloc((size_t)N_DTEST * 2 * sizeof *mu, "latent");
    vae_encode_mean(v, test, N_DTEST, mu);
    int failures = 0;
    Plot *p = plot_begin(&s->po, "vae_digits_latent", "VAE on 16x16 digits: encoder means μ(x) of held-out digits, by class");
    if (p) {
        plot_size(p, 800, 760);
        plot_labels(p, "μ_1", "μ_2");
        plot_equal_axes(p);
        double *lx = xmalloc(N_DTEST * sizeof *lx, "x"), *ly = xmalloc(N_DTEST * sizeof *ly, "y");
        for (int i = 0; i < N_DTEST; i++) { lx[i] = mu[2 * i]; ly[i] = mu[2 * i + 1]; }
        plot_classes(p, lx, ly, d.label + N_DIG, N_DTEST, "digit");
        /* the palette has 8 colours: name each class at its centroid as well */
        for (int k = 0; k < IMS_CLASSES; k++) {
            double cx = 0, cy = 0;
            int cnt = 0;
            for (int i = 0; i < N_DTEST; i++)
                if (d.label[N_DIG + i] == k) { cx += lx[i]; cy += ly[i]; cnt++; }
            char lab[32];
            snprintf(lab, sizeof lab, "{/:Bold %d}", k);
            if (cnt) plot_label(p, cx / cnt, cy / cnt, lab);
        }
        free(lx); free(ly);
    }
    failures += plot_end(p) != 0;
    failures += write_digit_grids(s, v, test, &r_eval);
    free(mu); free(xb);
    vae_free(v);
    ims_free(&d);
    return failures;
}

/* ------------------------------------------------------------------ unfinished exercises */

/* Before training: stop, naming the exercise, if one is still its stub (one
 * call each on a hand-made case; exercise.h). */
static void require_written(void)
{
    const char *ch = "09_vae_gan";
    const float mu[1] = { 1.0f }, lv[1] = { 0.0f }, eps[1] = { 0.5f }, one[1] = { 1.0f };
    float z[1] = { 0 }, dmu[1] = { 0 }, dlv[1] = { 0 }, dx[2] = { 0, 0 };
    vae_reparam(z, mu, lv, eps, 1);
    if (z[0] == 0) ex_unfinished(ch, "vae_reparam", "z = 0 for mu = 1, logvar = 0, eps = 0.5");
    vae_reparam_backward(dmu, dlv, one, lv, eps, 1);
    if (dmu[0] == 0 && dlv[0] == 0) ex_unfinished(ch, "vae_reparam_backward", "no gradient reaches mu or logvar for dz = 1");
    const float x[2] = { 1.0f, -1.0f }, xhat[2] = { 0.5f, -0.5f };
    if (vae_loss(dx, dmu, dlv, x, xhat, mu, lv, 1, 2, 1, 0.5, 1.0, NULL, NULL) == 0 && ex_all_zerof(dx, 2))
        ex_unfinished(ch, "vae_loss", "loss 0 and a zero gradient for x = (1, -1), x̂ = (0.5, -0.5)");
    const float l0[1] = { 0.0f };
    float g1[1] = { 0 }, g2[1] = { 0 };
    if (gan_d_loss(g1, g2, l0, l0, 1) == 0) ex_unfinished(ch, "gan_d_loss", "L_D = 0 at D = 1/2, not 2 log 2");
    if (gan_g_loss(g1, l0, 1, GAN_NONSATURATING) == 0) ex_unfinished(ch, "gan_g_loss", "L_G = 0 at D = 1/2, not log 2");
    const double c[2] = { 0.0, 0.0 }, pt[2] = { 0.0, 0.0 };
    if (gen_mode_coverage(pt, 1, c, 1, 0.1, NULL, NULL) == 0)
        ex_unfinished(ch, "gen_mode_coverage", "0 modes covered by a sample exactly at the only mode");
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    Setup s = { .steps = 5000, .seeds = 3, .hidden = 64, .batch = 128, .lr_vae = 1e-3, .lr_gan = 1e-3,
                .sigma_x = 0.1, .n_eval = 2500, .cells = 40, .digit_steps = 2000, .digit_hidden = 128, .digit_sigma_x = 0.2, .threads = par_threads() };
    CliOption opts[] = {
        { "--steps", CLI_INT, &s.steps, 20, 1000000, "training steps of each 2-D run" },
        { "--seeds", CLI_INT, &s.seeds, 1, 64, "runs per method and data set (seeds --seed, --seed + 1, ...)" },
        { "--hidden", CLI_INT, &s.hidden, 2, 1024, "width of the two hidden layers of every 2-D network" },
        { "--batch", CLI_INT, &s.batch, 1, 4096, "minibatch size of the 2-D runs" },
        { "--lr-vae", CLI_DOUBLE, &s.lr_vae, 1e-6, 1.0, "Adam's step size for the VAEs" },
        { "--lr-gan", CLI_DOUBLE, &s.lr_gan, 1e-6, 1.0, "Adam's step size for both GAN networks" },
        { "--sigma-x", CLI_DOUBLE, &s.sigma_x, 1e-3, 10.0, "the 2-D VAE decoder's std σ_x" },
        { "--eval", CLI_INT, &s.n_eval, 100, 1000000, "model samples counted per mode-coverage measurement" },
        { "--cells", CLI_INT, &s.cells, 10, 400, "cells across a D(x) map" },
        { "--digit-steps", CLI_INT, &s.digit_steps, 0, 1000000, "VAE steps on the 16x16 digits (0: skip)" },
        { "--digit-hidden", CLI_INT, &s.digit_hidden, 2, 4096, "hidden width of the digit VAE's networks" },
        { "--digit-sigma-x", CLI_DOUBLE, &s.digit_sigma_x, 1e-3, 10.0, "the digit VAE decoder's std σ_x (pixels in [0, 1])" },
        { "--threads", CLI_INT, &s.threads, 1, 64, "threads for the independent runs" },
    };
    CliCommon cl = cli_defaults("09_vae_gan", 9);
    cli_parse(argc, argv, "before diffusion: VAE and GAN on 2-D mode-coverage benchmarks", opts, ARRAY_LEN(opts), &cl);
    if (cl.quick) {   /* a small run: cap the sizes (explicit smaller values still win) */
        if (s.steps > 150) s.steps = 150;
        if (s.seeds > 1) s.seeds = 1;
        if (s.n_eval > 500) s.n_eval = 500;
        if (s.cells > 30) s.cells = 30;
        if (s.digit_steps > 50) s.digit_steps = 50;
    }
    s.seed = cl.seed;
    s.po = cli_plot_opts(&cl);
    s.quiet = cl.quiet;
    require_written();
    benches_init();
    const double t_start = progress_now();
    printf("Chapter 09: VAE and GAN on 2-D data (seed %llu%s; %d steps per run, batch %d, hidden 2 x %d, %d seed%s)\n",
           (unsigned long long)cl.seed, cl.quick ? ", quick" : "", s.steps, s.batch, s.hidden, s.seeds,
           s.seeds > 1 ? "s" : "");

    /* Every 2-D run: methods × data sets × seeds, then the β sweep on the ring. */
    const int S = s.seeds, n_main = N_METHODS * 2 * S, n_runs = n_main + N_BETA;
    Run *runs = xcalloc((size_t)n_runs, sizeof *runs, "runs");
    for (int m = 0; m < N_METHODS; m++)
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < S; i++) {
                Run *r = &runs[(m * 2 + b) * S + i];
                *r = (Run){ .method = (Method)m, .bench = b, .beta = 1.0, .seed = cl.seed + i, .keep = i == 0, .s = &s };
            }
    for (int i = 0; i < N_BETA; i++)
        runs[n_main + i] = (Run){ .method = M_VAE, .bench = 0, .beta = BETAS[i], .seed = cl.seed, .keep = 1, .s = &s };
    Progress pr;
    progress_start(&pr, "2-D runs", n_runs, s.quiet);
    par_for(n_runs, s.threads, run_body, runs, &pr);
    progress_finish(&pr);

    /* the table */
    printf("\n[1-4] Mode coverage of %d samples per run (a mode is covered by >= 1 sample within 3σ of it; high\n"
           "      quality = within 3σ of some mode); VAE: held-out ELBO (data: E[log p(x)] = %.2f ring, %.2f grid):\n",
           s.n_eval, BENCH[0].log_lik, BENCH[1].log_lik);
    printf("    %-22s %-5s %6s %7s %10s %10s %8s\n", "method", "set", "seed", "modes", "HQ", "ELBO", "CPU s");
    double sum_modes[N_METHODS][2] = { { 0 } }, sum_hq[N_METHODS][2] = { { 0 } };
    for (int m = 0; m < N_METHODS; m++)
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < S && method_runs_on((Method)m, b); i++) {
                const Run *r = &runs[(m * 2 + b) * S + i];
                char elbo[32] = "";
                if (m == M_VAE) snprintf(elbo, sizeof elbo, "%.3f", -r->test.loss);
                printf("    %-22s %-5s %6llu %4d/%-2d %9.1f%% %10s %8.2f\n", METHOD_NAME[m], BENCH[b].tag,
                       (unsigned long long)r->seed, r->modes, BENCH[b].k, 100 * r->hq, elbo, r->seconds);
                sum_modes[m][b] += (double)r->modes / S;
                sum_hq[m][b] += 100 * r->hq / S;
            }
    printf("    Means over %d seed%s (published, VEEGAN Table 1: GAN ring 1 mode / 99.3%% HQ, grid 3.3 modes;\n"
           "    VEEGAN ring 8 / 52.9%%, grid 24.6):\n", S, S > 1 ? "s" : "");
    for (int m = 0; m < N_METHODS; m++) {
        printf("    %-22s ring %4.1f modes %5.1f%% HQ", METHOD_NAME[m], sum_modes[m][0], sum_hq[m][0]);
        if (method_runs_on((Method)m, 1)) printf("    grid %4.1f modes %5.1f%% HQ", sum_modes[m][1], sum_hq[m][1]);
        printf("\n");
    }
    printf("\n[2] β-VAE on the ring (seed %llu): samples of the prior, and reconstructions of held-out points:\n",
           (unsigned long long)cl.seed);
    printf("    %8s %7s %10s %12s %10s %10s\n", "β", "modes", "HQ", "HQ recon", "rec", "KL");
    for (int i = 0; i < N_BETA; i++) {
        const Run *r = &runs[n_main + i];
        printf("    %8g %4d/8 %9.1f%% %11.1f%% %10.3f %10.3f\n", BETAS[i], r->modes, 100 * r->hq, 100 * r->hq_recon,
               r->test.rec, r->test.kl);
    }

    int failures = 0;
    Run *vae_first[2] = { &runs[(M_VAE * 2 + 0) * S], &runs[(M_VAE * 2 + 1) * S] };
    failures += figure_vae(&s, vae_first);
    failures += figure_beta(&s, runs + n_main);
    failures += figure_gan_training(&s, &runs[(M_GAN * 2 + 0) * S]);
    failures += figure_gan_training(&s, &runs[(M_GAN * 2 + 1) * S]);
    failures += figure_coverage(&s, runs, S);
    failures += figure_saturation(&s, runs, S);
    failures += section_digits(&s);

    for (int i = 0; i < n_runs; i++) run_free(&runs[i]);
    free(runs);
    printf("\nTotal time %.2f s\n", progress_now() - t_start);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
