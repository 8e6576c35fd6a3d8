/* main_inversion.c — inversion round trips (DDIM's Table 2 in miniature)
 * and spherical interpolation of x_T (chapter 11, sections 5–6).
 */
#include "main.h"
#include "exercise.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Song et al. Table 2 (CIFAR-10, per-dimension MSE on a [0, 1] scale),
 * for comparison: S = 10, 20, 50, 100, and 0.0001 from S = 500 on. */
static const int PAPER_S[6] = { 10, 20, 50, 100, 500, 1000 };
static const double PAPER_MSE[6] = { 0.014, 0.0065, 0.0023, 0.0009, 0.0001, 0.0001 };

static double mse(const float *a, const float *b, size_t len)
{
    double s = 0;
    for (size_t k = 0; k < len; k++) s += ((double)a[k] - b[k]) * ((double)a[k] - b[k]);
    return s / len;
}

/* Round trips of n rows of x0 (n, D) for every S of the list: x_T =
 * encode(x_0), x_0′ = decode(x_T); the per-dimension MSE (times scale)
 * into err, and the x_T and x_0′ of the S at index `keep` into xT_keep and
 * back_keep (n, D each; may be NULL). */
static void round_trips(const Setup *S, Model *m, const float *x0, int n, double scale, double *err, int keep,
                        float *xT_keep, float *back_keep, Rng *rng, const char *what)
{
    const size_t len = (size_t)n * m->dim;
    float *x = xmalloc(len * sizeof *x, "round trips");
    long total = 0;
    for (int k = 0; k < S->n_inv_S; k++) total += 2L * S->inv_Ss[k];
    char label[64];
    snprintf(label, sizeof label, "inversion, %s", what);
    Progress pr;
    progress_start(&pr, label, total, S->quiet);
    for (int k = 0; k < S->n_inv_S; k++) {
        const int St = S->inv_Ss[k];
        memcpy(x, x0, len * sizeof *x);
        progress_update(&pr, pr.done, "S = %d", St);
        model_invert(m, x, n, St, &pr);
        if (memcmp(x, x0, len * sizeof *x) == 0)
            ex_unfinished("11_ddim", "ddim_invert", "the inversion left every x_0 unchanged (S = %d)", St);
        if (k == keep && xT_keep) memcpy(xT_keep, x, len * sizeof *x);
        model_ddim(m, x, n, St, 0.0, rng, &pr);
        if (k == keep && back_keep) memcpy(back_keep, x, len * sizeof *x);
        err[k] = scale * mse(x, x0, len);
    }
    progress_finish(&pr);
    free(x);
}

/* ================================================================== 5. inversion */

int section_inversion(const Setup *S, Model *m2d, Model *img, Rng *rng)
{
    const int nS = S->n_inv_S;
    int failures = 0;
    double err[4][MAX_S], sx[MAX_S], slope[MAX_S], icpt[MAX_S];
    for (int k = 0; k < nS; k++) sx[k] = S->inv_Ss[k];
    printf("\n[5] Inversion round trips x_0 → x_T → x_0′, both ways with DDIM η = 0 and the same S (Song et al. §5.4,\n"
           "    Table 2); the inversion evaluates ε at the step it starts from (τ_{i−1}, t = 0 first):\n");

    /* the data first, so that they do not depend on the S list */
    const int n2 = S->inv_points;
    ZooData d2 = zoo_held_out(S->data2d, n2, rng_u64(rng)), di = { 0 };
    if (img) di = zoo_held_out(img->rec.data, S->inv_images, rng_u64(rng));
    /* the exact score: the round trip is affine, x_0′ = K·x_0 + d */
    {
        const int n = 2000;
        ExactScore ex = { m2d->s, NULL, 1.5, 0.25 };
        void *ctx[1] = { &ex };
        float *x0 = xmalloc((size_t)n * sizeof *x0, "x_0"), *x = xmalloc((size_t)n * sizeof *x, "x");
        for (int i = 0; i < n; i++) x0[i] = (float)(ex.mu + sqrt(ex.s2) * rng_normal(rng));
        for (int k = 0; k < nS; k++) {
            int *taus = xmalloc((size_t)S->inv_Ss[k] * sizeof *taus, "taus");
            sched_even_taus(taus, 1000, S->inv_Ss[k]);
            memcpy(x, x0, (size_t)n * sizeof *x);
            ddim_encode(x, n, 1, exact_eps, ctx, 1, m2d->s, taus, S->inv_Ss[k], NULL);
            ddim_sample(x, n, 1, exact_eps, ctx, 1, m2d->s, taus, S->inv_Ss[k], 0.0, rng, NULL);
            err[0][k] = mse(x, x0, (size_t)n);
            /* the map's slope and intercept from two of the points */
            slope[k] = ((double)x[1] - x[0]) / ((double)x0[1] - x0[0]);
            icpt[k] = x[0] - slope[k] * x0[0];
            free(taus);
        }
        free(x0); free(x);
    }
    /* 2-D points */
    const int keep = nS > 1 ? 1 : 0;   /* the figure shows S = inv_Ss[keep] */
    float *xT2 = xmalloc((size_t)n2 * 2 * sizeof *xT2, "x_T"), *back2 = xmalloc((size_t)n2 * 2 * sizeof *back2, "x_0′");
    round_trips(S, m2d, d2.x, n2, 1.0, err[1], keep, xT2, back2, rng, S->data2d);
    /* images, MSE on the [0, 1] scale as the paper's (pixels here are in [−1, 1]: a quarter) */
    /* images, with chapter 10's two image models: x_0-prediction (its standard) and ε-prediction */
    Model eps_model = { 0 };
    int have_eps = 0;
    if (img) {
        round_trips(S, img, di.x, S->inv_images, 0.25, err[2], keep, NULL, NULL, rng, img->rec.name);
        ZooRecipe re = img->rec;
        re.train.pred = DDPM_PRED_EPS;
        snprintf(re.name, sizeof re.name, "%s-eps-T1000%s", re.data, S->quick ? "-quick" : "");
        if (model_load(&eps_model, &re, S) == 0) {
            have_eps = 1;
            round_trips(S, &eps_model, di.x, S->inv_images, 0.25, err[3], keep, NULL, NULL, rng, re.name);
            model_free(&eps_model);
        } else {
            failures++;
        }
    }
    printf("    %-34s", "S =");
    for (int k = 0; k < nS; k++) printf(" %9d", S->inv_Ss[k]);
    printf("\n    %-34s", "N(1.5, 0.25), exact ε*: slope K");
    for (int k = 0; k < nS; k++) printf(" %9.4f", slope[k]);
    printf("\n    %-34s", "   intercept d (x_0′ = K·x_0 + d)");
    for (int k = 0; k < nS; k++) printf(" %9.4f", icpt[k]);
    printf("\n    %-34s", "   MSE, 2000 points");
    for (int k = 0; k < nS; k++) printf(" %9.2e", err[0][k]);
    char lab[112];
    snprintf(lab, sizeof lab, "%s, MSE, %d points", S->data2d, n2);
    printf("\n    %-34s", lab);
    for (int k = 0; k < nS; k++) printf(" %9.2e", err[1][k]);
    for (int r = 2; r < 2 + (img != NULL) + have_eps; r++) {
        snprintf(lab, sizeof lab, "%s, %s model, MSE on [0, 1]", img->rec.data, r == 2 ? "x_0" : "ε");
        printf("\n    %-34s", lab);
        for (int k = 0; k < nS; k++) printf(" %9.2e", err[r][k]);
    }
    printf("\n    %-34s", "Song et al. Table 2 (CIFAR-10)");
    for (int k = 0; k < nS; k++) {
        int found = -1;
        for (int q = 0; q < 6; q++)
            if (PAPER_S[q] == S->inv_Ss[k]) found = q;
        if (found >= 0) printf(" %9.2e", PAPER_MSE[found]);
        else printf(" %9s", "—");
    }
    double m = 0, v = 0;
    for (int i = 0; i < 2 * n2; i++) m += xT2[i];
    m /= 2 * n2;
    for (int i = 0; i < 2 * n2; i++) v += (xT2[i] - m) * (xT2[i] - m);
    printf("\n    The %s points' x_T at S = %d: mean %.3f, standard deviation %.3f per coordinate (N(0, I): 0 and 1).\n",
           S->data2d, S->inv_Ss[keep], m, sqrt(v / (2 * n2 - 1)));

    if (img) printf("    (%d images; pixels on [0, 1] as in the paper. The x_0 model's round trip stops falling: at the last\n"
                    "    step it returns its own x̂_0 of an almost clean image, the network's reconstruction, not the image.)\n",
                    S->inv_images);
    Plot *p = plot_begin(&S->po, "inversion", "Inversion round trip x_0 → x_T → x_0′ with DDIM η = 0: error against S");
    if (p) {
        plot_size(p, 900, 600);
        plot_labels(p, "steps S (each way)", "per-dimension mean squared error");
        plot_log(p, "xy");
        plot_raw(p, "set key bottom left");
        plot_line(p, sx, err[0], nS, "N(1.5, 0.25) with the exact ε*");
        snprintf(lab, sizeof lab, "%s (2-D)", S->data2d);
        plot_line(p, sx, err[1], nS, lab);
        for (int r = 2; r < 2 + (img != NULL) + have_eps; r++) {
            snprintf(lab, sizeof lab, "%s, %s-prediction model (on [0, 1])", img->rec.data, r == 2 ? "x_0" : "ε");
            plot_line(p, sx, err[r], nS, lab);
        }
        double ps[6];
        for (int q = 0; q < 6; q++) ps[q] = PAPER_S[q];
        plot_next_style(p, "dt 2 lc rgb '#555555'");
        plot_line(p, ps, (double *)PAPER_MSE, 6, "Song et al. Table 2, CIFAR-10 (on [0, 1])");
    }
    failures += plot_end(p) != 0;
    char name[64], title[160];
    snprintf(name, sizeof name, "inversion_%s", S->data2d);
    snprintf(title, sizeof title, "Inverting %s with DDIM (η = 0, S = %d each way)", S->data2d, S->inv_Ss[keep]);
    p = plot_begin_multi(&S->po, name, title, 1, 3);
    if (p) {
        plot_size(p, 1400, 500);
        scatter_panel(p, "held-out data x_0", d2.x, n2, 3.5, "pt 7 ps 0.3 lc rgb '#555555'");
        snprintf(title, sizeof title, "their x_T (inversion, S = %d)", S->inv_Ss[keep]);
        scatter_panel(p, title, xT2, n2, 3.5, "pt 7 ps 0.3 lc 2");
        snprintf(title, sizeof title, "x_0′ decoded from x_T: MSE %.2g", err[1][keep]);
        scatter_panel(p, title, back2, n2, 3.5, "pt 7 ps 0.3 lc 1");
    }
    failures += plot_end(p) != 0;
    free(xT2); free(back2);
    zoo_data_free(&d2);
    zoo_data_free(&di);
    return failures;
}

/* ================================================================== 6. interpolation */

#define N_ALPHA 9   /* α = 0, 1/8, …, 1 */

/* Pairs of x_T (D each) along the great circle (slerp) or the straight line:
 * out (pairs·N_ALPHA, D), pair by pair. */
static void interpolate(float *out, const float *a, const float *b, int pairs, int D, int spherical)
{
    for (int q = 0; q < pairs; q++)
        for (int k = 0; k < N_ALPHA; k++) {
            const double al = (double)k / (N_ALPHA - 1);
            float *o = out + ((size_t)q * N_ALPHA + k) * D;
            const float *x0 = a + (size_t)q * D, *x1 = b + (size_t)q * D;
            if (spherical) ddim_slerp(o, x0, x1, al, D);
            else
                for (int i = 0; i < D; i++) o[i] = (float)((1 - al) * x0[i] + al * x1[i]);
        }
}

static double rms_norm(const float *x, int D)
{
    double s = 0;
    for (int i = 0; i < D; i++) s += (double)x[i] * x[i];
    return sqrt(s / D);
}

int section_slerp(const Setup *S, Model *m2d, Model *img, Rng *rng)
{
    const int S_int = 50;
    printf("\n[6] Interpolation: x_T on the great circle between two draws (slerp) or on the straight line,\n"
           "    decoded by DDIM η = 0 with S = %d (Song et al. §5.3, Appendix D.5):\n", S_int);
    int failures = 0;
    /* images: pairs of x_T along both paths; the figure shows SHOW pairs, the
     * statistics use all of them */
    if (img) {
        enum { PAIRS = 32, SHOW = 3 };
        const int D = img->dim, per = PAIRS * N_ALPHA;
        float *a = xmalloc((size_t)PAIRS * D * sizeof *a, "x_T"), *b = xmalloc((size_t)PAIRS * D * sizeof *b, "x_T");
        for (size_t k = 0; k < (size_t)PAIRS * D; k++) { a[k] = (float)rng_normal(rng); b[k] = (float)rng_normal(rng); }
        float *x = xcalloc(2 * (size_t)per * D, sizeof *x, "interpolants");   /* slerp pairs, then lerp pairs */
        interpolate(x, a, b, PAIRS, D, 1);
        if (ex_all_zerof(x + D, (size_t)D))
            ex_unfinished("11_ddim", "ddim_slerp", "slerp returned 0 everywhere between two draws of N(0, I)");
        interpolate(x + (size_t)per * D, a, b, PAIRS, D, 0);
        double norm[2] = { 0 };
        for (int k = 0; k < 2; k++)
            for (int q = 0; q < PAIRS; q++) norm[k] += rms_norm(x + ((size_t)k * per + q * N_ALPHA + N_ALPHA / 2) * D, D) / PAIRS;
        Progress pr;
        progress_start(&pr, "interpolation", S_int, S->quiet);
        model_ddim(img, x, 2 * per, S_int, 0.0, rng, &pr);
        progress_finish(&pr);
        /* the decoded midpoints: their pixel spread (contrast), against the data's */
        double spread[2] = { 0 };
        for (int k = 0; k < 2; k++)
            for (int q = 0; q < PAIRS; q++) {
                const float *m = x + ((size_t)k * per + q * N_ALPHA + N_ALPHA / 2) * D;
                double mu = 0, v = 0;
                for (int i = 0; i < D; i++) mu += m[i];
                mu /= D;
                for (int i = 0; i < D; i++) v += (m[i] - mu) * (m[i] - mu);
                spread[k] += sqrt(v / D) / PAIRS;
            }
        ZooData d = zoo_held_out(img->rec.data, PAIRS, rng_u64(rng));
        double dspread = 0;
        for (int q = 0; q < PAIRS; q++) {
            double mu = 0, v = 0;
            for (int i = 0; i < D; i++) mu += d.x[(size_t)q * D + i];
            mu /= D;
            for (int i = 0; i < D; i++) v += (d.x[(size_t)q * D + i] - mu) * (d.x[(size_t)q * D + i] - mu);
            dspread += sqrt(v / D) / PAIRS;
        }
        zoo_data_free(&d);
        printf("    %s, %d pairs, at α = 1/2: x_T's RMS value %.3f on the great circle, %.3f on the straight line\n"
               "    (N(0, I): 1); the decoded images' pixel standard deviation %.3f and %.3f (data: %.3f)\n",
               img->rec.data, PAIRS, norm[0], norm[1], spread[0], spread[1], dspread);
        /* the figure: SHOW pairs by slerp, the same pairs by lerp */
        float *show = xmalloc(2 * (size_t)SHOW * N_ALPHA * D * sizeof *show, "a grid");
        for (int k = 0; k < 2; k++)
            memcpy(show + (size_t)k * SHOW * N_ALPHA * D, x + (size_t)k * per * D, (size_t)SHOW * N_ALPHA * D * sizeof *show);
        char title[160], name[64];
        snprintf(title, sizeof title, "x_T interpolated, decoded by DDIM (η = 0, S = %d): %d pairs, slerp and lerp", S_int,
                 SHOW);
        snprintf(name, sizeof name, "slerp_%s", img->rec.data);
        Plot *p = plot_begin_multi(&S->po, name, title, 1, 1);
        if (p) {
            plot_size(p, 900, 600);
            const char *labs[2 * SHOW] = { "slerp 1", "slerp 2", "slerp 3", "lerp 1", "lerp 2", "lerp 3" };
            mosaic_panel(p, "α = 0, 1/8, …, 1 from left to right", show, 2 * SHOW, N_ALPHA, img->h, img->w, labs);
        }
        failures += plot_end(p) != 0;
        free(show);
        free(a); free(b); free(x);
    }
    /* 2-D: the decoded paths of a few pairs */
    const int pairs = 8, fine = 64, n = pairs * fine;
    float *a = xmalloc((size_t)pairs * 2 * sizeof *a, "x_T"), *b = xmalloc((size_t)pairs * 2 * sizeof *b, "x_T");
    for (int k = 0; k < pairs * 2; k++) { a[k] = (float)rng_normal(rng); b[k] = (float)rng_normal(rng); }
    float *x = xcalloc((size_t)n * 2, sizeof *x, "paths");
    for (int q = 0; q < pairs; q++)
        for (int k = 0; k < fine; k++) ddim_slerp(x + ((size_t)q * fine + k) * 2, a + 2 * q, b + 2 * q, (double)k / (fine - 1), 2);
    if (ex_all_zerof(x, (size_t)n * 2))
        ex_unfinished("11_ddim", "ddim_slerp", "slerp returned 0 everywhere between pairs of 2-D draws");
    model_ddim(m2d, x, n, S_int, 0.0, rng, NULL);
    ZooData d = zoo_held_out(S->data2d, 2000, rng_u64(rng));
    char name[64], title[160];
    snprintf(name, sizeof name, "slerp_%s", S->data2d);
    snprintf(title, sizeof title, "%d slerp paths between pairs of x_T (64 points each), decoded (DDIM η = 0, S = %d) over the data", pairs,
             S_int);
    Plot *p = plot_begin(&S->po, name, title);
    if (p) {
        plot_size(p, 700, 640);
        plot_equal_axes(p);
        plot_xrange(p, -2.5, 2.5);
        plot_yrange(p, -2.5, 2.5);
        plot_raw(p, "set key off");
        double *px = xmalloc(2000 * 2 * sizeof *px, "coordinates"), *py = px + 2000;
        for (int i = 0; i < 2000; i++) { px[i] = d.x[2 * i]; py[i] = d.x[2 * i + 1]; }
        plot_next_style(p, "pt 7 ps 0.2 lc rgb '#bbbbbb'");
        plot_points(p, px, py, 2000, NULL);
        for (int q = 0; q < pairs; q++) {
            for (int k = 0; k < fine; k++) { px[k] = x[2 * (q * fine + k)]; py[k] = x[2 * (q * fine + k) + 1]; }
            plot_next_style(p, "pt 7 ps 0.6");
            plot_points(p, px, py, fine, NULL);
        }
        free(px);
    }
    failures += plot_end(p) != 0;
    printf("    %s: %d pairs, %d points each: see %s.png\n", S->data2d, pairs, fine, name);
    zoo_data_free(&d);
    free(a); free(b); free(x);
    return failures;
}
