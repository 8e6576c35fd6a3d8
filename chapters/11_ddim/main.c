/* 11_ddim — denoising diffusion implicit models (Song, Meng & Ermon 2021):
 * the η family of samplers on chapter 10's models, trained once at T = 1000.
 *
 * What it shows:
 *   1. σ_t(η) on a strided sub-sequence, and why σ² = η²(1 − ᾱ_t) is wrong.
 *   2. The exact-score chain: with the perfect ε* for Gaussian data, the
 *      output variance of every sampler, by S and η: few-step DDIM
 *      under-disperses even with a perfect network.
 *   3. DDIM's Table 1 in miniature on 2-D data (main_table.c): the metric by
 *      S ∈ {5, …, 1000} and η ∈ {0, 0.2, 0.5, 1}, plus the σ̂ row (DDPM on
 *      the respaced schedule), beside its floor and ceiling; precision and
 *      recall (is η = 0 less diverse? no); sample consistency across S.
 *   4. The same on 16×16 digits, in the features of a classifier.
 *   5. Inversion round trips by S (Table 2 in miniature; main_inversion.c).
 *   6. Spherical interpolation of x_T.
 * The models come from chapter 10's cache (build/cache/, zoo.h), trained
 * there or here on first use; --no-cache trains afresh. All data come from
 * --seed; the same seed gives the same numbers and figures.
 */
#include "main.h"
#include "cli.h"
#include "exercise.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const double ETAS[N_ETA] = { 0, 0.2, 0.5, 1 };

/* ------------------------------------------------------------------ helpers */

int model_load(Model *m, const ZooRecipe *rec, const Setup *S)
{
    memset(m, 0, sizeof *m);
    m->rec = *rec;
    char desc[512];
    printf("    model: %s\n", zoo_describe(rec, desc, sizeof desc));
    m->net = zoo_train(rec, 1024, &S->zoo, NULL, 0, NULL);
    if (!m->net) return -1;
    m->s = zoo_sched(&rec->sched);
    m->dim = rec->net.dim;
    if (m->dim > 2) m->h = m->w = (int)lround(sqrt(m->dim));
    for (int p = 0; p < PARTS; p++) {
        m->clone[p] = p == 0 ? m->net : den_clone(m->net, m->net->max_batch);
        /* images: x̂_0 clipped to [−1, 1], as chapter 10 samples them */
        m->e[p] = (DenEps){ .net = m->clone[p], .train = m->s, .pred = rec->train.pred, .clip = m->dim > 2 ? 1.0f : 0.0f };
        m->ctx[p] = &m->e[p];
    }
    return 0;
}

void model_free(Model *m)
{
    for (int p = 1; p < PARTS; p++) den_free(m->clone[p]);
    den_free(m->net);
    sched_free(m->s);
    memset(m, 0, sizeof *m);
}

static int *even_taus(int T, int S)
{
    int *taus = xmalloc((size_t)S * sizeof *taus, "a sub-sequence");
    sched_even_taus(taus, T, S);
    return taus;
}

void model_ddim(Model *m, float *x, int n, int S, double eta, Rng *rng, Progress *pr)
{
    int *taus = even_taus(m->s->T, S);
    ddim_sample(x, n, m->dim, ddim_net_eps, m->ctx, PARTS, m->s, taus, S, eta, rng, pr);
    free(taus);
}

void model_sigma_hat(Model *m, float *x, int n, int S, Rng *rng, Progress *pr)
{
    int *taus = even_taus(m->s->T, S);
    Schedule *r = sched_respace(m->s, taus, S);
    for (int p = 0; p < PARTS; p++) m->e[p].taus = taus;   /* respaced step i runs the network at τ_i */
    den_sample(x, n, m->dim, den_eps, m->ctx, PARTS, r, DDPM_VAR_BETA, rng, NULL, NULL, NULL, 1);
    for (int p = 0; p < PARTS; p++) m->e[p].taus = NULL;
    if (pr) progress_update(pr, pr->done + S, NULL);
    sched_free(r);
    free(taus);
}

void model_invert(Model *m, float *x, int n, int S, Progress *pr)
{
    int *taus = even_taus(m->s->T, S);
    ddim_encode(x, n, m->dim, ddim_net_eps, m->ctx, PARTS, m->s, taus, S, pr);
    free(taus);
}

void scatter_panel(Plot *p, const char *title, const float *pts, int n, double r, const char *style)
{
    double *x = xmalloc(2 * (size_t)n * sizeof *x, "coordinates"), *y = x + n;
    for (int i = 0; i < n; i++) { x[i] = pts[2 * i]; y[i] = pts[2 * i + 1]; }
    plot_panel(p, title);
    plot_equal_axes(p);
    plot_xrange(p, -r, r);
    plot_yrange(p, -r, r);
    plot_raw(p, "set key off");
    plot_next_style(p, style ? style : "pt 7 ps 0.25");
    plot_points(p, x, y, n, NULL);
    free(x);
}

void mosaic_panel(Plot *p, const char *title, const float *imgs, int rows, int cols, int h, int w,
                  const char *const *row_labels)
{
    const int nx = cols * (w + 1) - 1, ny = rows * (h + 1) - 1;
    double *z = xmalloc((size_t)nx * ny * sizeof *z, "a mosaic");
    for (size_t k = 0; k < (size_t)nx * ny; k++) z[k] = NAN;   /* the gaps stay white */
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++) {
                    /* row 0 of the mosaic at the top: plot_map's row 0 is at the bottom */
                    const int X = c * (w + 1) + j, Y = ny - 1 - (r * (h + 1) + i);
                    const float v = imgs[((size_t)r * cols + c) * h * w + (size_t)i * w + j];
                    z[(size_t)Y * nx + X] = v < -1 ? -1 : v > 1 ? 1 : v;
                }
    plot_panel(p, title);
    plot_equal_axes(p);
    plot_cbrange(p, -1, 1);
    plot_map(p, z, nx, ny, 0, nx, 0, ny, NULL);
    plot_raw(p, "set palette gray");
    plot_raw(p, "unset colorbox");
    plot_raw(p, "unset xtics");
    plot_raw(p, "unset border");
    /* the row labels as y tics, in the left margin */
    char tics[1024] = "unset ytics";
    if (row_labels) {
        size_t k = (size_t)snprintf(tics, sizeof tics, "set ytics scale 0 (");
        for (int r = 0; r < rows && k < sizeof tics; r++)
            k += (size_t)snprintf(tics + k, sizeof tics - k, "%s\"%s\" %g", r ? ", " : "", row_labels[r],
                                  ny - (r + 0.5) * (h + 1) + 0.5);
        if (k < sizeof tics) snprintf(tics + k, sizeof tics - k, ")");
    }
    plot_raw(p, tics);
    free(z);
}

/* ================================================================== 1. σ_t(η) */

int section_sigma(const Setup *S)
{
    SchedSpec sp = sched_linear_spec(1000, 1);
    Schedule *s = zoo_sched(&sp);
    enum { ST = 10 };
    int taus[ST];
    sched_even_taus(taus, 1000, ST);
    /* the stub returns 0 for every σ: catch it before anything is drawn from it */
    double probe = ddim_sigma(s, 1000, 999, 1.0);
    if (!(fabs(probe * probe - s->beta_tilde[1000]) <= 1e-6 * s->beta_tilde[1000]))
        ex_unfinished("11_ddim", "ddim_sigma", "σ_1000(η = 1)² = %g, but the full-sequence DDPM posterior variance "
                      "β̃_1000 is %g", probe * probe, s->beta_tilde[1000]);
    printf("\n[1] σ_t(η) on the sub-sequence τ_i = ⌊i·1000/%d⌋ (linear β, T = 1000), Eq. 16:\n", ST);
    printf("    %-12s %9s %9s %9s %12s %13s %15s\n", "step t → t′", "σ(0.2)", "σ(0.5)", "σ(1)", "σ̂ = √β′",
           "1−ᾱ_t′−σ(1)²", "1−ᾱ_t′−(1−ᾱ_t)");
    double x[ST], sig[3][ST], wrong[ST], room[ST], hat[ST];
    for (int i = ST; i >= 1; i--) {
        const int t = taus[i - 1], tp = i > 1 ? taus[i - 2] : 0, k = ST - i;
        x[k] = t;
        for (int e = 0; e < 3; e++) sig[e][k] = ddim_sigma(s, t, tp, ETAS[e + 1]);
        hat[k] = sqrt(1 - s->alpha_bar[t] / s->alpha_bar[tp]);
        room[k] = ddim_direction_sq(s, tp, sig[2][k]);
        wrong[k] = ddim_direction_sq(s, tp, sqrt(1 - s->alpha_bar[t]));
        char step[24];
        snprintf(step, sizeof step, "%d → %d", t, tp);
        printf("    %-12s %9.4f %9.4f %9.4f %12.4f %13.3e %15.3e\n", step, sig[0][k], sig[1][k], sig[2][k], hat[k],
               room[k], wrong[k]);
    }
    printf("    σ(η = 1) is DDPM's posterior on the strided chain; the wrong σ² = η²(1 − ᾱ_t) leaves the direction\n"
           "    √(1 − ᾱ_t′ − σ²) imaginary on every step (the last column < 0: it is ᾱ_t − ᾱ_t′), and so would σ̂ = √β′.\n");
    Plot *p = plot_begin_multi(&S->po, "sigma", "σ_t(η) on 10 strided steps of T = 1000", 1, 2);
    if (p) {
        plot_size(p, 1300, 520);
        plot_panel(p, "the step's noise σ (Eq. 16) and σ̂ = √β′");
        plot_labels(p, "step from t = τ_i", "σ");
        for (int e = 0; e < 3; e++) {
            char name[24];
            snprintf(name, sizeof name, "σ(η = %g)", ETAS[e + 1]);
            plot_line(p, x, sig[e], ST, name);
        }
        plot_next_style(p, "dt 2");
        plot_line(p, x, hat, ST, "σ̂ = √(1 − ᾱ_{τ_i}/ᾱ_{τ_{i−1}})");
        plot_panel(p, "the direction's coefficient squared, 1 − ᾱ_{t′} − σ² (step t → t′)");
        plot_labels(p, "step from t = τ_i", "1 − ᾱ_{t′} − σ²");
        plot_line(p, x, room, ST, "σ = σ_t(η = 1)");
        plot_next_style(p, "dt 2");
        plot_line(p, x, wrong, ST, "wrong: σ² = η²(1 − ᾱ_t), η = 1");
        plot_hline(p, 0, NULL);
    }
    sched_free(s);
    return plot_end(p) != 0;
}

/* ================================================================== 2. the exact-score chain */

void exact_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    const ExactScore *e = ctx;
    const int tn = e->taus ? e->taus[t - 1] : t;
    const double ab = e->s->alpha_bar[tn], a = sqrt(1 - ab) / (ab * e->s2 + 1 - ab), c = -a * sqrt(ab) * e->mu;
    for (int i = 0; i < n; i++) eps[i] = (float)(a * x[i] + c);
}

static void moments(const float *x, int n, double *mean, double *var)
{
    /* sample mean and unbiased variance */
    double m = 0, v = 0;
    for (int i = 0; i < n; i++) m += x[i];
    m /= n;
    for (int i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *var = v / (n - 1);
}

int section_exact(const Setup *S, Rng *rng)
{
    const int n = S->quick ? 4000 : 20000;
    const double mu = 1.5, s2 = 0.25;
    SchedSpec sp = sched_linear_spec(1000, 1);
    Schedule *s = zoo_sched(&sp);
    float *xT = xmalloc((size_t)n * sizeof *xT, "x_T"), *x = xmalloc((size_t)n * sizeof *x, "samples");
    /* x_T ~ N(0, 1), standardised to mean 0 and variance 1 exactly: the η = 0 rows are then exact */
    double m0, v0;
    for (int i = 0; i < n; i++) xT[i] = (float)rng_normal(rng);
    moments(xT, n, &m0, &v0);
    for (int i = 0; i < n; i++) xT[i] = (float)((xT[i] - m0) / sqrt(v0));
    double var[N_ETA + 1][MAX_S], mean[N_ETA + 1][MAX_S], sx[MAX_S];
    printf("\n[2] The exact-score chain: data N(%.1f, %.2f), the perfect ε*, linear T = 1000; output variance of %d\n"
           "    samples from x_T ~ N(0, 1), standardised, so the η = 0 row is exact (the data's is %.2f; DDPM with\n"
           "    T = 1000 steps gives 0.2508 (σ² = β_t) or 0.2461 (β̃_t)):\n", mu, s2, n, s2);
    printf("    %-8s", "η \\ S");
    for (int k = 0; k < S->nS; k++) printf(" %8d", S->Ss[k]);
    printf("\n");
    for (int e = 0; e <= N_ETA; e++) {
        if (e < N_ETA) printf("    %-8g", ETAS[e]);
        else printf("    %-8s", "σ̂ (β′)");
        for (int k = 0; k < S->nS; k++) {
            const int St = S->Ss[k];
            int *taus = even_taus(1000, St);
            memcpy(x, xT, (size_t)n * sizeof *x);
            ExactScore ex = { s, NULL, mu, s2 };
            void *ctx[1] = { &ex };
            if (e < N_ETA) {
                ddim_sample(x, n, 1, exact_eps, ctx, 1, s, taus, St, ETAS[e], rng, NULL);
                if (e == 0 && k == 0 && memcmp(x, xT, (size_t)n * sizeof *x) == 0)
                    ex_unfinished("11_ddim", "ddim_step", "DDIM sampling left every x_T unchanged (S = %d, η = 0)", St);
            } else {
                Schedule *r = sched_respace(s, taus, St);
                ex.taus = taus;
                den_sample(x, n, 1, exact_eps, ctx, 1, r, DDPM_VAR_BETA, rng, NULL, NULL, NULL, 1);
                sched_free(r);
            }
            moments(x, n, &mean[e][k], &var[e][k]);
            sx[k] = St;
            printf(" %8.4f", var[e][k]);
            free(taus);
        }
        printf("\n");
    }
    printf("    mean at η = 0: %.4f (S = %d) … %.4f (S = %d): x_T ~ N(0, 1) rather than its true law shifts it "
           "from %.1f.\n", mean[0][0], S->Ss[0], mean[0][S->nS - 1], S->Ss[S->nS - 1], mu);
    printf("    Few steps under-disperse even with the perfect network: a discretisation error of the ODE, not a\n"
           "    learning error. η = 1 and σ̂ add noise that partly makes up for it.\n");
    Plot *p = plot_begin(&S->po, "exact_variance", "The exact-score chain: output variance for data N(1.5, 0.25)");
    if (p) {
        plot_size(p, 900, 560);
        plot_labels(p, "sampling steps S", "variance of the samples");
        plot_log(p, "x");
        plot_xrange(p, 0.8 * sx[0], 1.25 * sx[S->nS - 1]);
        plot_raw(p, "set key bottom right");
        for (int e = 0; e <= N_ETA; e++) {
            char name[32];
            if (e < N_ETA) snprintf(name, sizeof name, "DDIM η = %g", ETAS[e]);
            else snprintf(name, sizeof name, "σ̂: DDPM on β′");
            if (e == N_ETA) plot_next_style(p, "dt 2");
            plot_line(p, sx, var[e], S->nS, name);
        }
        plot_hline(p, s2, "the data: s² = 0.25");
    }
    free(xT); free(x);
    sched_free(s);
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ main */

/* "5,10,20" into list (at most MAX_S increasing values in 1..1000); -1 if bad. */
static int parse_steps(const char *text, int *list)
{
    int n = 0;
    const char *c = text;
    while (*c) {
        char *end;
        long v = strtol(c, &end, 10);
        if (end == c || v < 1 || v > 1000 || n == MAX_S || (n > 0 && v <= list[n - 1])) return -1;
        list[n++] = (int)v;
        c = end;
        if (*c == ',') c++;
        else if (*c) return -1;
    }
    return n > 0 ? n : -1;
}

int main(int argc, char **argv)
{
    Setup S = { .data2d = "moons", .images = "digits", .samples = 1500, .img_samples = 400, .inv_points = 1000,
                .inv_images = 64 };
    const char *steps = NULL, *inv_steps = NULL;
    int no_cache = 0;
    CliOption opts[] = {
        { "--data2d", CLI_STRING, &S.data2d, 0, 0, "2-D data set (chapter 10's zoo): moons, swissroll, ring, grid, star" },
        { "--data", CLI_STRING, &S.images, 0, 0, "image set: digits, fashion, or none" },
        { "--samples", CLI_INT, &S.samples, 100, 20000, "2-D samples per cell of Table 1" },
        { "--img-samples", CLI_INT, &S.img_samples, 100, 10000, "image samples per cell of Table 1" },
        { "--inv-points", CLI_INT, &S.inv_points, 10, 20000, "2-D points inverted per S" },
        { "--inv-images", CLI_INT, &S.inv_images, 10, 10000, "images inverted per S" },
        { "--steps", CLI_STRING, &steps, 0, 0, "Table 1's S, comma-separated (default 5,10,20,50,100,1000)" },
        { "--inv-steps", CLI_STRING, &inv_steps, 0, 0, "Table 2's S (default 10,20,50,100,200,500,1000)" },
        { "--no-cache", CLI_FLAG, &no_cache, 0, 1, "train every model afresh (and do not save it)" },
    };
    CliCommon cl = cli_defaults("11_ddim", 11);
    cli_parse(argc, argv, "DDIM: the η family, few-step sampling, inversion, interpolation", opts, ARRAY_LEN(opts), &cl);
    S.po = cli_plot_opts(&cl);
    S.quiet = cl.quiet;
    S.quick = cl.quick;
    S.seed = cl.seed;
    S.zoo = (ZooOpts){ .use_cache = !no_cache, .quiet = cl.quiet };
    if (cl.quick) {
        if (S.samples > 300) S.samples = 300;
        if (S.img_samples > 150) S.img_samples = 150;
        if (S.inv_points > 200) S.inv_points = 200;
        if (S.inv_images > 20) S.inv_images = 20;
    }
    const char *def_steps = cl.quick ? "5,10,20,50" : "5,10,20,50,100,1000";
    const char *def_inv = cl.quick ? "10,20,50" : "10,20,50,100,200,500,1000";
    if ((S.nS = parse_steps(steps ? steps : def_steps, S.Ss)) < 0) {
        fprintf(stderr, "error: --steps '%s': give up to %d increasing step counts in 1..1000, e.g. 5,10,50\n", steps, MAX_S);
        return 2;
    }
    if ((S.n_inv_S = parse_steps(inv_steps ? inv_steps : def_inv, S.inv_Ss)) < 0) {
        fprintf(stderr, "error: --inv-steps '%s': give up to %d increasing step counts in 1..1000, e.g. 10,100\n",
                inv_steps, MAX_S);
        return 2;
    }
    char err[512];
    if (zoo_check_sets(S.data2d, S.images, err, sizeof err) != 0) {
        fprintf(stderr, "error: %s\n", err);
        return 2;
    }
    const double t0 = progress_now();
    printf("Chapter 11: denoising diffusion implicit models (seed %llu%s)\n", (unsigned long long)cl.seed,
           cl.quick ? ", quick" : "");
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r2 = rng_split(&root), r3 = rng_split(&root), r4 = rng_split(&root), r5 = rng_split(&root),
        r6 = rng_split(&root);
    int failures = 0;
    double t[7];
    t[0] = progress_now();
    failures += section_sigma(&S);
    failures += section_exact(&S, &r2);
    /* the models: chapter 10's recipes, from its cache when it is there */
    printf("\nThe models (chapter 10's recipes, T = 1000):\n");
    Model m2d, img_model, *img = NULL;
    ZooRecipe rec = zoo_recipe_2d(S.data2d, S.quick);
    if (model_load(&m2d, &rec, &S) != 0) return 1;
    if (strcmp(S.images, "none") != 0) {
        ZooRecipe ri = zoo_recipe_image(S.images, S.quick);
        if (model_load(&img_model, &ri, &S) != 0) return 1;
        img = &img_model;
    }
    t[1] = progress_now();
    failures += section_table_2d(&S, &m2d, &r3);
    t[2] = progress_now();
    failures += section_table_images(&S, img, &r4);
    t[3] = progress_now();
    failures += section_inversion(&S, &m2d, img, &r5);
    t[4] = progress_now();
    failures += section_slerp(&S, &m2d, img, &r6);
    t[5] = progress_now();
    model_free(&m2d);
    if (img) model_free(img);
    printf("\nTotal time %.1f s, CPU time %.1f s on %d threads (σ, the exact chain and the models %.1f s, Table 1: 2-D "
           "%.1f s, images %.1f s; inversion %.1f s, interpolation %.1f s)\n", t[5] - t0,
           (double)clock() / CLOCKS_PER_SEC, PARTS, t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4]);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) or model(s) failed (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
