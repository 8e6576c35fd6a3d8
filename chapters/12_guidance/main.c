/* 12_guidance — classifier-free guidance (Ho & Salimans 2022) and
 * classifier guidance (Dhariwal & Nichol 2021), on chapter 10's samplers.
 *
 * What it shows:
 *   1. Two Gaussian classes with exact scores (no training): guidance makes
 *      samples more surely their class and less spread, and it does not
 *      sample the "sharpened" law p(x | c)·p(c | x)^(g − 1) it is often
 *      said to.
 *   2. Two moons with labels: class-conditional samples in colour for the
 *      guidance weight g = 0, 1, 2, 4; classifier guidance of an
 *      unconditional model with a noise-conditional classifier.
 *   3. Digits (main_images.c): the guidance-weight sweep — Fréchet distance,
 *      the classifier's accuracy, precision and recall against w = g − 1 —
 *      and per-class sample grids.
 *   4. Label-drop probability 0.1 vs 0.2 vs 0.5.
 *   5. Classifier guidance: the noisy classifier's accuracy against t, and
 *      the scale sweep on a conditional and an unconditional model.
 * Models are trained once and kept in build/cache/ (chapter 10's zoo.h);
 * --no-cache trains afresh. All data come from --seed; the same seed gives
 * the same numbers and figures.
 */
#include "main.h"
#include "cli.h"
#include "exercise.h"
#include "image.h"
#include "metrics.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ helpers */

ZooData get_data(const char *name, int n, uint64_t seed)
{
    ZooData d;
    char err[256];
    if (zoo_data(&d, name, n, seed, err, sizeof err) != 0) die(2, "%s", err);
    return d;
}

Denoiser *get_model(const Setup *S, const ZooRecipe *r)
{
    char desc[512];
    if (!S->quiet) printf("    model: %s\n", zoo_describe(r, desc, sizeof desc));
    Denoiser *net = zoo_train(r, 1024, &S->zoo, NULL, 0, NULL);
    if (!net) exit(1);
    return net;
}

void respaced_init(Respaced *r, const Schedule *train, int S)
{
    r->S = S < train->T ? S : train->T;
    r->taus = xmalloc((size_t)r->S * sizeof *r->taus, "a sub-sequence");
    sched_even_taus(r->taus, train->T, r->S);
    r->s = sched_respace(train, r->taus, r->S);
    if (!r->s) die(1, "respacing %d steps of %d failed", r->S, train->T);
}

void respaced_free(Respaced *r)
{
    free(r->taus);
    sched_free(r->s);
}

void block_classes(int *cls, int n, int K)
{
    for (int i = 0; i < n; i++) cls[i] = i / (n / K);
}

int write_grid(const Setup *S, const char *name, const float *imgs, int n, int h, int w, int cols)
{
    if (S->po.format == PLOT_NONE || S->po.format == PLOT_DUMB) return 0;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.png", S->po.outdir, name);
    if (img_write_grid(path, imgs, n, 1, w, h, cols, 3, -1.0f, 1.0f) != 0) return 1;
    if (!S->quiet) printf("wrote %s\n", path);
    return 0;
}

void categorical_xtics(Plot *p, const char *const *labels, int n, const char *title)
{
    char buf[1024];
    int k = snprintf(buf, sizeof buf, "set xtics (");
    for (int i = 0; i < n && k < (int)sizeof buf; i++)
        k += snprintf(buf + k, sizeof buf - k, "%s\"%s\" %d", i ? ", " : "", labels[i], i);
    if (k < (int)sizeof buf) snprintf(buf + k, sizeof buf - k, ")");
    plot_raw(p, buf);
    plot_xrange(p, -0.5, n - 0.5);
    plot_labels(p, title, NULL);
}

/* ================================================================== 1. exact scores */

/* x_0 | c ~ N(±0.5, 0.5²), prior ½ each: every noised law is a mixture of two
 * Gaussians, so ε*_c, ε*_∅ = Σ_c p(c | x_t) ε*_c and p(c | x_t) are closed forms
 * (README; the tests use the same). The sampler's ε: the guided combination
 * (cfg_guided_eps) of the exact ε*_∅ and ε*_1 with weight g. */
typedef struct {
    const Schedule *s;
    double mu[2], s2;
    float g;
    float *en, *ec;   /* (n) scratch */
} ExactGuide;

static void exact_guided_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    ExactGuide *e = ctx;
    const double ab = e->s->alpha_bar[t], v = ab * e->s2 + 1 - ab, a = sqrt(ab), b = sqrt(1 - ab);
    for (int i = 0; i < n; i++) {
        const double d0 = x[i] - a * e->mu[0], d1 = x[i] - a * e->mu[1];
        const double p1 = 1 / (1 + exp((d1 * d1 - d0 * d0) / (2 * v)));   /* p(1 | x_t) */
        e->ec[i] = (float)(b * d1 / v);
        e->en[i] = (float)(b * ((1 - p1) * d0 + p1 * d1) / v);
    }
    cfg_guided_eps(eps, e->en, e->ec, e->g, n);
}

/* p(1 | x_0) under the two classes. */
static double post1(const ExactGuide *e, double x)
{
    const double d0 = x - e->mu[0], d1 = x - e->mu[1];
    return 1 / (1 + exp((d1 * d1 - d0 * d0) / (2 * e->s2)));
}

#define N_G1 5

int section_exact(const Setup *S, Rng *rng)
{
    const int n = S->quick ? 4000 : 10000, T = S->quick ? 200 : 1000;
    const float gs[N_G1] = { 0, 1, 2, 4, 8 };
    SchedSpec sp = sched_linear_spec(T, 1000.0 / T);
    Schedule *s = zoo_sched(&sp);
    /* two sampler parts on parallel threads, each with its own scratch */
    ExactGuide e = { .s = s, .mu = { -0.5, 0.5 }, .s2 = 0.25 }, ep[2] = { e, e };
    for (int p = 0; p < 2; p++) {
        ep[p].en = xmalloc((size_t)n * sizeof(float), "ε*_∅");
        ep[p].ec = xmalloc((size_t)n * sizeof(float), "ε*_c");
    }
    float *x = xmalloc((size_t)n * sizeof *x, "samples");
    /* histograms on [−2.5, 2.5] */
    enum { BINS = 80 };
    const double lo = -2.5, hi = 2.5, bw = (hi - lo) / BINS;
    double hx[BINS], hist[N_G1][BINS], tilted[N_G1][BINS];
    for (int b = 0; b < BINS; b++) hx[b] = lo + (b + 0.5) * bw;
    printf("\n[1] Two Gaussian classes N(∓0.5, 0.5²), exact scores, class 1 sampled with ε̃ = ε*_∅ + g·(ε*_1 − ε*_∅)\n"
           "    (%d samples, DDPM linear T = %d, σ² = β̃_t). Guided samples against the law they are often said to\n"
           "    follow, p(x | 1)·p(1 | x)^(g − 1) (by quadrature):\n", n, T);
    printf("    %5s %5s   %8s %8s %12s   %8s %8s %12s\n", "g", "w", "mean", "sd", "E p(1|x_0)", "mean", "sd", "E p(1|x)");
    printf("    %11s   %-30s   %s\n", "", "samples", "p(x | 1)·p(1 | x)^(g − 1)");
    Progress pr;
    progress_start(&pr, "exact-score chains", N_G1, S->quiet);
    for (int k = 0; k < N_G1; k++) {
        ep[0].g = ep[1].g = gs[k];
        Rng r = *rng;   /* the same noise for every g */
        void *ctx[2] = { &ep[0], &ep[1] };
        den_sample(x, n, 1, exact_guided_eps, ctx, 2, s, DDPM_VAR_BETA_TILDE, &r, NULL, NULL, NULL, 1);
        if (k == 0 && !(x[0] == x[0]))
            ex_unfinished("12_guidance", "cfg_guided_eps", "the guided ε made the samples NaN");
        double m = 0, v = 0, pc = 0;
        for (int i = 0; i < n; i++) { m += x[i]; pc += post1(&e, x[i]); }
        m /= n;
        for (int i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
        for (int b = 0; b < BINS; b++) hist[k][b] = 0;
        for (int i = 0; i < n; i++) {
            const int b = (int)floor((x[i] - lo) / bw);
            if (b >= 0 && b < BINS) hist[k][b] += 1.0 / (n * bw);
        }
        /* the tilted law q(x) ∝ N(x; 0.5, s²)·p(1 | x)^(g − 1), by quadrature on [−4, 4] */
        enum { Q = 20000 };
        const double hq = 8.0 / Q;
        double z = 0, qm = 0, qv = 0, qp = 0;
        for (int b = 0; b < BINS; b++) tilted[k][b] = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i <= Q; i++) {
                const double xq = -4 + hq * i, p1 = post1(&e, xq);
                const double q = exp(-(xq - e.mu[1]) * (xq - e.mu[1]) / (2 * e.s2)) * pow(p1, gs[k] - 1);
                if (pass == 0) {
                    z += q;
                    qm += q * xq;
                    qp += q * p1;
                } else {
                    qv += q * (xq - qm / z) * (xq - qm / z);
                    const int b = (int)floor((xq - lo) / bw);
                    if (b >= 0 && b < BINS) tilted[k][b] += q / (z * bw);
                }
            }
        qm /= z;
        qp /= z;
        qv /= z;
        printf("    %5.1f %5.1f   %8.4f %8.4f %12.4f   %8.4f %8.4f %12.4f\n", gs[k], gs[k] - 1, m, sqrt(v / (n - 1)),
               pc / n, qm, sqrt(qv), qp);
        progress_update(&pr, k + 1, "g = %g", gs[k]);
    }
    progress_finish(&pr);
    printf("    g = 0 samples the mixture, g = 1 the class itself; above 1 the samples move away from the other class\n"
           "    and narrow (more certain, less diverse) — but not onto p(x | 1)·p(1 | x)^(g − 1): the guided ε at t > 0\n"
           "    is not the score of that law's noised version.\n");
    Plot *p = plot_begin(&S->po, "exact_guidance", "Two Gaussian classes, exact scores: samples of class 1 by guidance weight g");
    if (p) {
        plot_labels(p, "x_0", "density");
        double c0[BINS], c1[BINS];
        for (int b = 0; b < BINS; b++) {
            c0[b] = exp(-(hx[b] - e.mu[0]) * (hx[b] - e.mu[0]) / (2 * e.s2)) / sqrt(2 * M_PI * e.s2);
            c1[b] = exp(-(hx[b] - e.mu[1]) * (hx[b] - e.mu[1]) / (2 * e.s2)) / sqrt(2 * M_PI * e.s2);
        }
        plot_next_style(p, "lc rgb '#999999' lw 2 dt 2");
        plot_line(p, hx, c0, BINS, "class 0: N(−0.5, 0.25)");
        plot_next_style(p, "lc rgb '#000000' lw 2 dt 2");
        plot_line(p, hx, c1, BINS, "class 1: N(0.5, 0.25)");
        for (int k = 0; k < N_G1; k++) {
            char leg[64];
            snprintf(leg, sizeof leg, "guided samples, g = %g (w = %g)", gs[k], gs[k] - 1);
            plot_line(p, hx, hist[k], BINS, leg);
        }
        plot_next_style(p, "lc rgb '#000000' lw 1 dt 3");
        plot_line(p, hx, tilted[4], BINS, "p(x | 1)·p(1 | x)^7 (g = 8)");
    }
    free(x);
    for (int k = 0; k < 2; k++) { free(ep[k].en); free(ep[k].ec); }
    sched_free(s);
    return plot_end(p) != 0;
}

/* ================================================================== 2. two moons */

/* The class of the nearest labelled point (1-NN): the accuracy of a sample
 * set is the share of samples whose nearest held-out point has the class they
 * were asked for. */
static double nn_accuracy2d(const float *x, const int *cls, int n, const ZooData *ref)
{
    int right = 0;
    for (int i = 0; i < n; i++) {
        double best = INFINITY;
        int c = -1;
        for (int j = 0; j < ref->n; j++) {
            const double dx = x[2 * i] - ref->x[2 * j], dy = x[2 * i + 1] - ref->x[2 * j + 1], d = dx * dx + dy * dy;
            if (d < best) { best = d; c = ref->y[j]; }
        }
        right += c == cls[i];
    }
    return (double)right / n;
}

/* The energy distance between the samples asked for class c and the
 * held-out points of class c, averaged over the two classes. */
static double class_energy(const float *x, const int *cls, int n, const ZooData *ref)
{
    double sum = 0;
    float *a = xmalloc((size_t)n * 2 * sizeof *a, "a class"), *b = xmalloc((size_t)ref->n * 2 * sizeof *b, "a class");
    for (int c = 0; c < 2; c++) {
        int na = 0, nb = 0;
        for (int i = 0; i < n; i++)
            if (cls[i] == c) { a[2 * na] = x[2 * i]; a[2 * na + 1] = x[2 * i + 1]; na++; }
        for (int j = 0; j < ref->n; j++)
            if (ref->y[j] == c) { b[2 * nb] = ref->x[2 * j]; b[2 * nb + 1] = ref->x[2 * j + 1]; nb++; }
        sum += met_energy(a, na, b, nb, 2) / 2;
    }
    free(a); free(b);
    return sum;
}

#define N_MOON 4

int section_moons(const Setup *S, Rng *rng)
{
    const int n = S->samples & ~1;
    const double p_drop = 0.1, p_all = 1.0;
    printf("\n[2] Two moons with labels (%d samples per setting, half per class; DDPM on %d respaced steps, σ² = β̃_t)\n",
           n, S->steps_2d);
    ZooRecipe rc = guide_recipe("moons", &p_drop, S->quick), ru = guide_recipe("moons", &p_all, S->quick);
    Denoiser *cond = get_model(S, &rc), *uncond = get_model(S, &ru);
    Denoiser *clf = guide_classifier("moons", &rc.sched, S->quick, 1024, &S->zoo);
    if (!clf) exit(1);
    Schedule *train = zoo_sched(&rc.sched);
    Respaced rs;
    respaced_init(&rs, train, S->steps_2d);
    ZooData ref = get_data("moons", n, rng_u64(rng)), ref2 = get_data("moons", n, rng_u64(rng));
    int *cls = xmalloc((size_t)n * sizeof *cls, "classes");
    block_classes(cls, n, 2);
    const double floor_e = class_energy(ref2.x, ref2.y, n, &ref), floor_a = nn_accuracy2d(ref2.x, ref2.y, n, &ref);
    /* the settings: classifier-free g on the p = 0.1 model; classifier guidance s on the unconditional one */
    const float gs[N_MOON] = { 0, 1, 2, 4 }, ss[N_MOON] = { 0, 1, 3, 10 };
    float *xs[2 * N_MOON];
    double acc[2 * N_MOON], en[2 * N_MOON];
    const Rng base = rng_split(rng);
    Progress pr;
    progress_start(&pr, "sampling moons", 2 * N_MOON, S->quiet);
    for (int k = 0; k < 2 * N_MOON; k++) {
        const int cg = k >= N_MOON;
        Guide gd = { .net = cg ? uncond : cond, .pred = rc.train.pred, .train = train, .g = cg ? 1 : gs[k],
                     .clf = cg ? clf : NULL, .scale = cg ? ss[k - N_MOON] : 0 };
        xs[k] = xmalloc((size_t)n * 2 * sizeof(float), "samples");
        Rng r = base;   /* the same x_T and noise for every setting */
        guide_sample(xs[k], n, cls, &gd, rs.s, rs.taus, &r, NULL, 1);
        acc[k] = nn_accuracy2d(xs[k], cls, n, &ref);
        en[k] = class_energy(xs[k], cls, n, &ref);
        progress_update(&pr, k + 1, NULL);
    }
    progress_finish(&pr);
    printf("    %-44s %10s %22s\n", "setting", "accuracy", "energy distance/class");
    printf("    %-44s %10.3f %22.5f\n", "floor: a second draw of the data", floor_a, floor_e);
    for (int k = 0; k < 2 * N_MOON; k++) {
        char name[80];
        if (k < N_MOON) snprintf(name, sizeof name, "classifier-free, g = %g (w = %g)", gs[k], gs[k] - 1);
        else snprintf(name, sizeof name, "unconditional + classifier, s = %g", ss[k - N_MOON]);
        printf("    %-44s %10.3f %22.5f\n", name, acc[k], en[k]);
    }
    printf("    (accuracy: the share of samples whose nearest held-out point has the class asked for; energy\n"
           "    distance between each class's samples and its held-out points, mean of the two classes)\n");
    Plot *p = plot_begin_multi(&S->po, "moons_guidance", "Two moons: samples coloured by the class asked for (held-out data in grey)", 2, N_MOON);
    if (p) {
        plot_size(p, 1800, 900);
        double *px = xmalloc((size_t)n * 4 * sizeof *px, "coordinates"), *py = px + n, *dx = py + n, *dy = dx + n;
        for (int i = 0; i < n; i++) { dx[i] = ref.x[2 * i]; dy[i] = ref.x[2 * i + 1]; }
        for (int k = 0; k < 2 * N_MOON; k++) {
            char title[96];
            if (k < N_MOON) snprintf(title, sizeof title, "classifier-free, g = %g (w = %g): acc %.3f", gs[k], gs[k] - 1, acc[k]);
            else snprintf(title, sizeof title, "unconditional + classifier, s = %g: acc %.3f", ss[k - N_MOON], acc[k]);
            for (int i = 0; i < n; i++) { px[i] = xs[k][2 * i]; py[i] = xs[k][2 * i + 1]; }
            plot_panel(p, title);
            plot_equal_axes(p);
            plot_xrange(p, -2.5, 2.5);
            plot_yrange(p, -2.5, 2.5);
            plot_raw(p, "set key off");
            plot_next_style(p, "lc rgb '#cccccc' pt 7 ps 0.4");
            plot_points(p, dx, dy, n, NULL);   /* the held-out data, grey, behind */
            plot_classes(p, px, py, cls, n, NULL);
        }
        free(px);
    }
    for (int k = 0; k < 2 * N_MOON; k++) free(xs[k]);
    free(cls);
    zoo_data_free(&ref); zoo_data_free(&ref2);
    respaced_free(&rs);
    sched_free(train);
    den_free(cond); den_free(uncond); den_free(clf);
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ the exercises, before anything uses them */

/* Stop with a message naming the exercise if one is an untouched stub. */
static void check_exercises(void)
{
    Rng r;
    rng_seed(&r, 12);
    int cls[64];
    for (int i = 0; i < 64; i++) cls[i] = i % 2;
    cfg_drop_labels(cls, 64, 0.5, &r);
    int dropped = 0;
    for (int i = 0; i < 64; i++) dropped += cls[i] == DEN_NO_CLASS;
    if (dropped == 0) ex_unfinished("12_guidance", "cfg_drop_labels", "no label of 64 was dropped with p = 0.5");
    const float en[2] = { 1, -1 }, ec[2] = { 2, 1 };
    float out[2] = { NAN, NAN };
    cfg_guided_eps(out, en, ec, 2, 2);
    if (!isfinite(out[0]) || !isfinite(out[1]))
        ex_unfinished("12_guidance", "cfg_guided_eps", "the guided ε was not written (NaN)");
    out[0] = out[1] = NAN;
    cg_guided_eps(out, en, ec, 1, 0.5, 2);
    if (!isfinite(out[0]) || !isfinite(out[1]))
        ex_unfinished("12_guidance", "cg_guided_eps", "the classifier-guided ε was not written (NaN)");
    /* the classifier: a loss and an input gradient on a tiny one */
    const DenSpec cs = { .dim = 2, .hidden = 8, .depth = 2, .act = NN_GELU, .freqs = 4, .t_scale = 1, .n_out = 2 };
    Denoiser *clf = den_create(&cs, 8, &r);
    SchedSpec sp = sched_linear_spec(10, 20);
    Schedule *s = zoo_sched(&sp);
    ClfWork *w = clf_work_create(8, 2, 2);
    float x[16], grad[16] = { 0 }, dl[16];
    int y[8], t[8];
    for (int i = 0; i < 16; i++) x[i] = (float)rng_normal(&r);
    for (int i = 0; i < 8; i++) { y[i] = i % 2; t[i] = 1 + i; }
    mlp_zero_grad(clf->net);
    const float L = clf_loss(clf, x, y, 8, s, w, &r);
    if (L == 0.0f && mlp_grad_norm(clf->net) == 0.0f)
        ex_unfinished("12_guidance", "clf_loss", "the classifier's loss is 0 and has no gradient");
    clf_grad_log_prob(clf, grad, dl, x, t, y, 8);
    if (ex_all_zerof(grad, 16)) ex_unfinished("12_guidance", "clf_grad_log_prob", "∇ₓ log p(c | x_t) is 0 everywhere");
    clf_work_free(w);
    sched_free(s);
    den_free(clf);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    Setup S = { .samples = 2000, .img_samples = 500, .steps = 50, .steps_2d = 100 };
    int no_cache = 0;
    CliOption opts[] = {
        { "--samples", CLI_INT, &S.samples, 100, 20000, "2-D samples per setting" },
        { "--img-samples", CLI_INT, &S.img_samples, 20, 5000, "digit samples per setting (rounded down to a multiple of 10)" },
        { "--steps", CLI_INT, &S.steps, 10, 1000, "digits: sampler steps S (DDPM on the respaced schedule; 1000: all)" },
        { "--steps-2d", CLI_INT, &S.steps_2d, 10, 1000, "moons: sampler steps S" },
        { "--no-cache", CLI_FLAG, &no_cache, 0, 1, "train every model afresh (and do not save it)" },
    };
    CliCommon cl = cli_defaults("12_guidance", 12);
    cli_parse(argc, argv, "Guidance: classifier-free and classifier guidance of DDPM samplers", opts, ARRAY_LEN(opts), &cl);
    S.po = cli_plot_opts(&cl);
    S.quiet = cl.quiet;
    S.quick = cl.quick;
    S.seed = cl.seed;
    S.zoo = (ZooOpts){ .use_cache = !no_cache, .quiet = cl.quiet };
    if (cl.quick) {
        if (S.samples > 400) S.samples = 400;
        if (S.img_samples > 100) S.img_samples = 100;
        if (S.steps > 20) S.steps = 20;
        if (S.steps_2d > 20) S.steps_2d = 20;
    }
    S.img_samples -= S.img_samples % 10;
    printf("Chapter 12: guidance (seed %llu%s)\n", (unsigned long long)cl.seed, cl.quick ? ", quick" : "");
    check_exercises();
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r1 = rng_split(&root), r2 = rng_split(&root), r3 = rng_split(&root);
    int failures = 0;
    /* wall and CPU time (clock(): every thread of the process) at each section's end */
    double t[4], c[4];
    t[0] = progress_now();
    c[0] = (double)clock() / CLOCKS_PER_SEC;
    failures += section_exact(&S, &r1);
    t[1] = progress_now();
    c[1] = (double)clock() / CLOCKS_PER_SEC;
    failures += section_moons(&S, &r2);
    t[2] = progress_now();
    c[2] = (double)clock() / CLOCKS_PER_SEC;
    failures += section_images(&S, &r3);
    t[3] = progress_now();
    c[3] = (double)clock() / CLOCKS_PER_SEC;
    printf("\nTotal time %.1f s, CPU %.1f s (exact scores %.1f s / %.1f s CPU, moons %.1f / %.1f, digits %.1f / %.1f)\n",
           t[3] - t[0], c[3] - c[0], t[1] - t[0], c[1] - c[0], t[2] - t[1], c[2] - c[1], t[3] - t[2], c[3] - c[2]);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) failed (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
