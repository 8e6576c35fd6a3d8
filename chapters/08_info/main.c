/* 08_info — information theory for generative models: every quantity
 * computed exactly and by Monte Carlo, side by side.
 *
 * What it shows:
 *   1. Discrete: entropy, cross-entropy, KL both ways and JS of a fair and a
 *      loaded die, and the mutual information of a small joint table; each
 *      exact and as the Monte Carlo average of its defining expectation.
 *   2. Gaussian closed forms against Monte Carlo: KL(N(0,1) ‖ N(0,s²)) and
 *      the other direction over s, and the mutual information of a bivariate
 *      Gaussian over ρ (figure closed_vs_mc).
 *   3. The KL estimators k1, k2, k3 (x ~ q): bias and spread against the
 *      number of samples for KL 0.005, KL 0.5 and the unequal-variance pair
 *      q = N(0, 1), p = N(1, 0.5), with the 1/√n line, and what happens when
 *      the samples come from the wrong distribution (figure kl_estimators).
 *   4. KL asymmetry: one Gaussian fitted to a two-mode mixture by gradient
 *      descent on the forward and on the reverse KL (figure kl_asymmetry).
 *   5. Jensen's inequality for the concave log, and the ELBO as its gap
 *      (figure jensen).
 * Every random draw comes from --seed; the same seed gives the same numbers.
 */
#include "cli.h"
#include "exercise.h"
#include "info.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int samples;      /* Monte Carlo samples per point (sections 1, 2) */
    int trials;       /* repetitions per sample count (section 3) */
    int max_log2n;    /* largest sample count 2^max_log2n (section 3) */
    int steps;        /* gradient steps per fit (section 4) */
    int batch;        /* Monte Carlo samples per gradient step (section 4) */
    double lr;        /* step size of the fits */
    int quiet;
    PlotOpts po;
} Setup;

static double *dalloc(size_t n, const char *what) { return xcalloc(n ? n : 1, sizeof(double), what); }

/* printf("%-*s") counts bytes; this pads by characters, so "‖" and "−" line up. */
static void put_padded(const char *text, int width)
{
    int chars = 0;
    for (const char *c = text; *c; c++) chars += ((unsigned char)*c & 0xC0) != 0x80;
    fputs(text, stdout);
    for (; chars < width; chars++) putchar(' ');
}

/* Mean and standard error of n values. */
static void mean_se(const double *v, int n, double *mean, double *se)
{
    double m = 0.0, s2 = 0.0;
    for (int i = 0; i < n; i++) m += v[i];
    m /= n;
    for (int i = 0; i < n; i++) s2 += (v[i] - m) * (v[i] - m);
    *mean = m;
    *se = n > 1 ? sqrt(s2 / (n - 1) / n) : NAN;
}

/* ================================================================== 1. discrete */

static void section_discrete(const Setup *s, Rng *rng)
{
    const double fair[6] = { 1. / 6, 1. / 6, 1. / 6, 1. / 6, 1. / 6, 1. / 6 };
    const double loaded[6] = { 0.05, 0.05, 0.1, 0.1, 0.2, 0.5 };
    const int n = s->samples;
    double *a = dalloc((size_t)n, "samples"), *b = dalloc((size_t)n, "samples");
    double m, se;

    printf("\n[1] Discrete distributions: a fair die p and a loaded die q = (0.05, 0.05, 0.1, 0.1, 0.2, 0.5).\n"
           "    Exact value, and the Monte Carlo mean of the defining expectation over %d draws (± 1 s.e.), in nats:\n",
           n);
    printf("    %-26s %10s %22s\n", "quantity", "exact", "Monte Carlo");
#define ROW(label) (fputs("    ", stdout), put_padded((label), 26))
    /* H(p) = E_p[−log p], H(q) = E_q[−log q] */
    for (int i = 0; i < n; i++) a[i] = -log(fair[rng_categorical(rng, fair, 6)]);
    mean_se(a, n, &m, &se);
    ROW("H(p)");
    printf(" %10.5f %12.5f ± %.5f   (log 6 = %.5f)\n", info_entropy(fair, 6), m, se, log(6.0));
    for (int i = 0; i < n; i++) a[i] = -log(loaded[rng_categorical(rng, loaded, 6)]);
    mean_se(a, n, &m, &se);
    ROW("H(q)");
    printf(" %10.5f %12.5f ± %.5f\n", info_entropy(loaded, 6), m, se);
    /* H(p, q) = E_p[−log q]; KL(p ‖ q) = E_p[log p − log q]; KL(q ‖ p) = E_q[log q − log p] */
    for (int i = 0; i < n; i++) {
        int x = rng_categorical(rng, fair, 6);
        a[i] = -log(loaded[x]);
        b[i] = log(fair[x] / loaded[x]);
    }
    mean_se(a, n, &m, &se);
    ROW("H(p, q)");
    printf(" %10.5f %12.5f ± %.5f\n", info_cross_entropy(fair, loaded, 6), m, se);
    mean_se(b, n, &m, &se);
    ROW("KL(p ‖ q) = H(p, q) − H(p)");
    printf(" %10.5f %12.5f ± %.5f\n", info_kl(fair, loaded, 6), m, se);
    for (int i = 0; i < n; i++) {
        int x = rng_categorical(rng, loaded, 6);
        a[i] = log(loaded[x] / fair[x]);
    }
    mean_se(a, n, &m, &se);
    ROW("KL(q ‖ p)");
    printf(" %10.5f %12.5f ± %.5f\n", info_kl(loaded, fair, 6), m, se);
    /* JS = ½ E_p[log p/m] + ½ E_q[log q/m] */
    double mix[6];
    for (int i = 0; i < 6; i++) mix[i] = 0.5 * (fair[i] + loaded[i]);
    for (int i = 0; i < n; i++) {
        int x = rng_categorical(rng, fair, 6), y = rng_categorical(rng, loaded, 6);
        a[i] = 0.5 * log(fair[x] / mix[x]) + 0.5 * log(loaded[y] / mix[y]);
    }
    mean_se(a, n, &m, &se);
    ROW("JS(p, q)");
    printf(" %10.5f %12.5f ± %.5f   (at most log 2 = %.5f)\n", info_js(fair, loaded, 6), m, se,
           log(2.0));

    /* Mutual information of a 3×3 table, and its plug-in estimate from counts. */
    const double P[9] = { 0.20, 0.05, 0.05, 0.05, 0.20, 0.05, 0.02, 0.08, 0.30 };
    double cnt[9] = { 0 };
    for (int i = 0; i < n; i++) cnt[rng_categorical(rng, P, 9)] += 1.0 / n;
    double px[3] = { 0 }, py[3] = { 0 };
    for (int x = 0; x < 3; x++)
        for (int y = 0; y < 3; y++) { px[x] += P[x * 3 + y]; py[y] += P[x * 3 + y]; }
    printf("    Joint table P(x, y) = [[.20 .05 .05] [.05 .20 .05] [.02 .08 .30]]:\n");
    ROW("I(X; Y)");
    printf(" %10.5f %12.5f   (plug-in: the formula on the frequencies of %d draws)\n",
           info_mutual_information(P, 3, 3), info_mutual_information(cnt, 3, 3), n);
    ROW("");
    printf(" %10.5f   (H(X) + H(Y) − H(X, Y))\n", info_entropy(px, 3) + info_entropy(py, 3) - info_entropy(P, 9));
#undef ROW
    free(a); free(b);
}

/* ================================================================== 2. closed forms vs Monte Carlo */

/* One direction of section 2: KL(N(0, a²) ‖ N(0, b²)) by k1 and k3 over n draws
 * x ~ N(0, a²), r = N(x; 0, b²)/N(x; 0, a²). Means and standard errors. */
static void kl_mc_zero_mean(double a, double b, int n, Rng *rng, double *v1, double *v3, double m[2], double se[2])
{
    for (int i = 0; i < n; i++) {
        double x = a * rng_normal(rng), k[3];
        info_kl_estimators(info_log_normal(x, 0, b) - info_log_normal(x, 0, a), k);
        v1[i] = k[0];
        v3[i] = k[2];
    }
    mean_se(v1, n, &m[0], &se[0]);
    mean_se(v3, n, &m[1], &se[1]);
}

static int section_closed_vs_mc(const Setup *s, Rng *rng)
{
    enum { NS = 13, NR = 11, NLINE = 200 };
    const int n = s->samples;
    double *v = dalloc((size_t)n, "samples"), *w = dalloc((size_t)n, "samples");
    /* (a) KL between N(0, 1) and N(0, s²), both directions; Monte Carlo with k1 and k3, x ~ the first argument */
    double sx[NS], mc[2][2][NS], sline[NLINE], exact[2][NLINE];   /* [direction][k1, k3] */
    for (int i = 0; i < NLINE; i++) {
        sline[i] = 0.25 * pow(16.0, (double)i / (NLINE - 1));
        exact[0][i] = info_kl_gauss(0, 1, 0, sline[i]);
        exact[1][i] = info_kl_gauss(0, sline[i], 0, 1);
    }
    printf("\n[2] Gaussian KL, closed form against Monte Carlo (%d samples from the first argument, ± 1 s.e.):\n", n);
    printf("    %6s  %-44s  %s\n", "s", "KL(N(0,1) ‖ N(0,s²)): exact, k1, k3", "KL(N(0,s²) ‖ N(0,1)): exact, k1, k3");
    for (int j = 0; j < NS; j++) {
        double sd = 0.25 * pow(16.0, (double)j / (NS - 1)), m[2][2], se[2][2];
        sx[j] = sd;
        kl_mc_zero_mean(1.0, sd, n, rng, v, w, m[0], se[0]);
        kl_mc_zero_mean(sd, 1.0, n, rng, v, w, m[1], se[1]);
        for (int d = 0; d < 2; d++)
            for (int e = 0; e < 2; e++) mc[d][e][j] = m[d][e];
        if (j % 2 == 0)
            printf("    %6.3f  %7.4f %7.4f±%.4f %7.4f±%.4f   %7.4f %7.4f±%.4f %7.4f±%.4f\n", sd,
                   info_kl_gauss(0, 1, 0, sd), m[0][0], se[0][0], m[0][1], se[0][1], info_kl_gauss(0, sd, 0, 1), m[1][0],
                   se[1][0], m[1][1], se[1][1]);
    }
    printf("    k3 = r − 1 − log r has finite variance only if E_q[r²] = ∫ p²/q < ∞, for these Gaussians only if the\n"
           "    variance of p is below twice that of q: s < √2 on the left, s > 1/√2 on the right. Beyond, its\n"
           "    average converges slowly and from below (rare huge r); k1 = −log r always has finite variance.\n");
    /* (b) I(X; Y) of a bivariate Gaussian over ρ; Monte Carlo mean of log p(x,y) − log p(x) − log p(y) */
    double rho[NR], mi_mc[NR], rline[NLINE], mi[NLINE];
    for (int i = 0; i < NLINE; i++) {
        rline[i] = -0.99 + 1.98 * i / (NLINE - 1);
        const double c[4] = { 1, rline[i], rline[i], 1 };
        mi[i] = info_mi_gauss2(c);
    }
    printf("    Mutual information of a bivariate Gaussian with unit variances:\n");
    printf("    %6s %10s %22s\n", "ρ", "I exact", "I Monte Carlo");
    for (int j = 0; j < NR; j++) {
        double r = -0.95 + 1.9 * j / (NR - 1), m, se;
        rho[j] = r;
        for (int i = 0; i < n; i++) {
            double u = rng_normal(rng), z = rng_normal(rng), x = u, y = r * u + sqrt(1 - r * r) * z;
            double lj = -log(2 * M_PI * sqrt(1 - r * r)) - (x * x - 2 * r * x * y + y * y) / (2 * (1 - r * r));
            v[i] = lj - info_log_normal(x, 0, 1) - info_log_normal(y, 0, 1);
        }
        mean_se(v, n, &m, &se);
        mi_mc[j] = m;
        const double c[4] = { 1, r, r, 1 };
        if (j % 2 == 0) printf("    %6.2f %10.4f %12.4f ± %.4f\n", r, info_mi_gauss2(c), m, se);
    }
    free(v); free(w);

    Plot *p = plot_begin_multi(&s->po, "closed_vs_mc", "Closed forms (lines) against Monte Carlo (points)", 1, 2);
    if (p) {
        plot_size(p, 1300, 540);
        plot_panel(p, "KL between N(0,1) and N(0,s^2); k3 has infinite variance beyond the dashed lines");
        plot_labels(p, "s (standard deviation of the second Gaussian)", "KL (nats)");
        plot_log(p, "x");
        plot_xrange(p, 0.24, 4.2);
        plot_raw(p, "set xtics ('1/4' 0.25, '1/2' 0.5, '1/√2' 0.7071, '1' 1, '√2' 1.4142, '2' 2, '4' 4)");
        plot_line(p, sline, exact[0], NLINE, "KL(N(0,1) ‖ N(0,s^2)), exact");
        plot_line(p, sline, exact[1], NLINE, "KL(N(0,s^2) ‖ N(0,1)), exact");
        plot_next_style(p, "lc 1 pt 7 ps 1.1");
        plot_points(p, sx, mc[0][0], NS, "k1, x ~ N(0,1)");
        plot_next_style(p, "lc 1 pt 4 ps 1.6 lw 1.5");
        plot_points(p, sx, mc[0][1], NS, "k3, x ~ N(0,1)");
        plot_next_style(p, "lc 2 pt 7 ps 1.1");
        plot_points(p, sx, mc[1][0], NS, "k1, x ~ N(0,s^2)");
        plot_next_style(p, "lc 2 pt 4 ps 1.6 lw 1.5");
        plot_points(p, sx, mc[1][1], NS, "k3, x ~ N(0,s^2)");
        plot_vline(p, sqrt(0.5), NULL);   /* orange k3 below 1/√2, blue k3 above √2 */
        plot_vline(p, sqrt(2.0), NULL);
        plot_panel(p, "mutual information of a bivariate Gaussian");
        plot_labels(p, "correlation ρ", "I(X; Y) (nats)");
        plot_line(p, rline, mi, NLINE, "-½ log(1 - ρ^2)");
        plot_next_style(p, "lc 1 pt 7 ps 1.1");
        plot_points(p, rho, mi_mc, NR, "Monte Carlo mean of log p(x,y) - log p(x) - log p(y)");
    }
    return plot_end(p) != 0;
}

/* ================================================================== 3. the estimators */

/* One pair of Gaussians: samples x ~ N(mu_s, sd_s²), log r = log p(x) − log q(x)
 * with p = N(mu_p, sd_p²), q = N(mu_q, sd_q²). "Right" pairs sample from q. */
typedef struct {
    const char *name;
    double mu_q, sd_q, mu_p, sd_p;
} Pair;

static double pair_log_r(const Pair *c, double x)
{
    return info_log_normal(x, c->mu_p, c->sd_p) - info_log_normal(x, c->mu_q, c->sd_q);
}

static int section_estimators(const Setup *s, Rng *rng)
{
    const Pair pairs[3] = {
        { "KL 0.005: q = N(0,1), p = N(0.1,1)", 0, 1, 0.1, 1 },
        { "KL 0.5: q = N(0,1), p = N(1,1)", 0, 1, 1, 1 },
        { "unequal variances: q = N(0,1), p = N(1,0.5)", 0, 1, 1, sqrt(0.5) },
    };
    const char *kname[3] = { "k1 = -log r", "k2 = ½(log r)^2", "k3 = (r-1) - log r" };
    enum { BIG = 1000000 };
    const int G = s->max_log2n + 1, R = s->trials;
    double ns[32];
    for (int g = 0; g < G; g++) ns[g] = ldexp(1.0, g);
    /* rmse[pair][estimator or 3 = k3 with wrong samples][g], relative to the true KL */
    double rmse[3][4][32] = { { { 0 } } }, sd_big[3][3];

    printf("\n[3] KL estimators with x ~ q, r = p(x)/q(x); their averages estimate KL(q ‖ p). Over %d samples:\n",
           BIG);
    fputs("    ", stdout);
    put_padded("pair", 46);
    fputs(" ", stdout);
    put_padded("KL(q ‖ p)", 10);
    fputs(" ", stdout);
    put_padded("estimator", 20);
    printf(" %22s %9s %8s\n", "mean ± s.e.", "bias", "std/KL");
    for (int c = 0; c < 3; c++) {
        const Pair *pc = &pairs[c];
        const double kl = info_kl_gauss(pc->mu_q, pc->sd_q, pc->mu_p, pc->sd_p);
        double sum[3] = { 0 }, sq[3] = { 0 }, k[3];
        for (int i = 0; i < BIG; i++) {
            info_kl_estimators(pair_log_r(pc, pc->mu_q + pc->sd_q * rng_normal(rng)), k);
            for (int e = 0; e < 3; e++) { sum[e] += k[e]; sq[e] += k[e] * k[e]; }
        }
        for (int e = 0; e < 3; e++) {
            double mean = sum[e] / BIG;
            sd_big[c][e] = sqrt(fmax(sq[e] / BIG - mean * mean, 0.0));
            fputs("    ", stdout);
            put_padded(e ? "" : pc->name, 46);
            printf(" %10.4f ", kl);
            put_padded(kname[e], 20);
            printf(" %12.5f ± %7.5f %+8.1f%% %8.2f\n", mean, sd_big[c][e] / sqrt((double)BIG), 100 * (mean / kl - 1),
                   sd_big[c][e] / kl);
        }
        if (c == 2) {
            /* the mistake: samples from p, but the formulas of x ~ q (r = p/q) */
            double w[3] = { 0 };
            for (int i = 0; i < BIG; i++) {
                info_kl_estimators(pair_log_r(pc, pc->mu_p + pc->sd_p * rng_normal(rng)), k);
                for (int e = 0; e < 3; e++) w[e] += k[e] / BIG;
            }
            printf("    Wrong samples for this pair: x ~ p but still r = p/q. k1 averages %.5f = −KL(p ‖ q) (a negative\n"
                   "    \"KL\"); k3 averages %.5f, a plausible number that is neither KL(q ‖ p) = %.4f nor KL(p ‖ q) = %.4f.\n",
                   w[0], w[2], kl, info_kl_gauss(pc->mu_p, pc->sd_p, pc->mu_q, pc->sd_q));
        }
    }

    /* Relative root-mean-square error over R repetitions at each sample count. */
    Progress pr;
    progress_start(&pr, "estimator repetitions", 3L * G, s->quiet);
    for (int c = 0; c < 3; c++) {
        const Pair *pc = &pairs[c];
        const double kl = info_kl_gauss(pc->mu_q, pc->sd_q, pc->mu_p, pc->sd_p);
        for (int g = 0; g < G; g++) {
            const int n = 1 << g;
            for (int t = 0; t < R; t++) {
                double est[4] = { 0 }, k[3];
                for (int i = 0; i < n; i++) {
                    info_kl_estimators(pair_log_r(pc, pc->mu_q + pc->sd_q * rng_normal(rng)), k);
                    for (int e = 0; e < 3; e++) est[e] += k[e] / n;
                    if (c == 2) {
                        info_kl_estimators(pair_log_r(pc, pc->mu_p + pc->sd_p * rng_normal(rng)), k);
                        est[3] += k[2] / n;
                    }
                }
                for (int e = 0; e < 4; e++) rmse[c][e][g] += (est[e] - kl) * (est[e] - kl) / R;
            }
            for (int e = 0; e < 4; e++) rmse[c][e][g] = sqrt(rmse[c][e][g]) / kl;
            progress_update(&pr, (long)c * G + g + 1, NULL);
        }
    }
    progress_finish(&pr);
    printf("    Relative RMS error over %d repetitions, n = 1 and n = %d samples:\n", R, 1 << (G - 1));
    for (int c = 0; c < 3; c++)
        printf("    %-46s k1 %7.3f → %.4f   k2 %7.3f → %.4f   k3 %7.3f → %.4f\n", pairs[c].name, rmse[c][0][0],
               rmse[c][0][G - 1], rmse[c][1][0], rmse[c][1][G - 1], rmse[c][2][0], rmse[c][2][G - 1]);
    printf("    %-46s k3 %7.3f → %.4f\n", "  unequal, wrong samples x ~ p", rmse[2][3][0], rmse[2][3][G - 1]);

    Plot *p = plot_begin_multi(&s->po, "kl_estimators",
                               "KL estimators: relative RMS error against the number of samples (x ~ q)", 1, 3);
    if (p) {
        plot_size(p, 1650, 560);
        for (int c = 0; c < 3; c++) {
            const Pair *pc = &pairs[c];
            char title[128];
            snprintf(title, sizeof title, "%s (KL %.3g)", pc->name,
                     info_kl_gauss(pc->mu_q, pc->sd_q, pc->mu_p, pc->sd_p));
            plot_panel(p, title);
            plot_labels(p, "samples n", "RMS error / KL");
            plot_log(p, "xy");
            plot_xrange(p, 1, ns[G - 1]);
            plot_raw(p, "set key inside bottom left");   /* the errors fall to the right: this corner stays empty */
            for (int e = 0; e < 3; e++) plot_line(p, ns, rmse[c][e], G, kname[e]);
            if (c == 2) {
                plot_next_style(p, "lc 4 dt 3 lw 2");
                plot_line(p, ns, rmse[c][3], G, "k3 with x ~ p by mistake");
            }
            /* the 1/√n lines of the unbiased estimators: (std/KL)/√n */
            double l1[32], l3[32];
            for (int g = 0; g < G; g++) {
                const double kl = info_kl_gauss(pc->mu_q, pc->sd_q, pc->mu_p, pc->sd_p);
                l1[g] = sd_big[c][0] / kl / sqrt(ns[g]);
                l3[g] = sd_big[c][2] / kl / sqrt(ns[g]);
            }
            plot_next_style(p, "lc rgb '#555555' dt 2 lw 1");
            plot_line(p, ns, l1, G, "(std/KL)/√n of k1 and k3");
            plot_next_style(p, "lc rgb '#555555' dt 2 lw 1");
            plot_line(p, ns, l3, G, NULL);
        }
    }
    return plot_end(p) != 0;
}

/* ================================================================== 4. asymmetry */

/* KL(a ‖ b) by the trapezoid rule on [−12, 12], given log-densities on the grid. */
#define QN 4801
static double quad_kl(const double *la, const double *lb)
{
    const double h = 24.0 / (QN - 1);
    double s = 0.0;
    for (int i = 0; i < QN; i++) {
        double w = (i == 0 || i == QN - 1) ? 0.5 : 1.0, pa = exp(la[i]);
        if (pa > 0) s += w * pa * (la[i] - lb[i]);
    }
    return s * h;
}

/* Exact forward and reverse KL between the mixture (log-density lp on the grid) and N(mu, e^{2ls}). */
static void exact_kls(const double *lp, double mu, double ls, double *fwd, double *rev)
{
    double lq[QN];
    for (int i = 0; i < QN; i++) lq[i] = info_log_normal(-12.0 + 24.0 * i / (QN - 1), mu, exp(ls));
    *fwd = quad_kl(lp, lq);
    *rev = quad_kl(lq, lp);
}

static int section_asymmetry(const Setup *s, Rng *rng)
{
    const InfoMix mix = { 2, { 0.5, 0.5 }, { -2.0, 2.0 }, { 0.5, 0.5 } };
    /* Three fits from the same mean: the forward KL from N(0.5, 1), the reverse
     * KL from N(0.5, 0.5²) and from N(0.5, 1). */
    enum { NF = 3 };
    const int reverse[NF] = { 0, 1, 1 };
    const double mu0 = 0.5, sd0[NF] = { 1.0, 0.5, 1.0 };
    const char *label[NF] = { "forward KL(p ‖ q), from N(0.5, 1)", "reverse KL(q ‖ p), from N(0.5, 0.5²)",
                              "reverse KL(q ‖ p), from N(0.5, 1)" };
    const char *legend[NF] = { "q minimising KL(p ‖ q): covers both modes",
                               "q minimising KL(q ‖ p) from N(0.5, 0.5^2): one mode",
                               "q minimising KL(q ‖ p) from N(0.5, 1): a broad local minimum" };
    const int T = s->steps, B = s->batch, every = T >= 100 ? T / 100 : 1, npts = T / every + 1;
    static double lp[QN];
    for (int i = 0; i < QN; i++) lp[i] = info_mix_logpdf(&mix, -12.0 + 24.0 * i / (QN - 1), NULL);
    double *buf = dalloc((size_t)B, "samples");
    double *steps = dalloc((size_t)npts, "steps"), *curve[NF][2];   /* [fit][KL(p‖q), KL(q‖p)] */
    double mu[NF], ls[NF];
    for (int f = 0; f < NF; f++) {
        mu[f] = mu0;
        ls[f] = log(sd0[f]);
        for (int d = 0; d < 2; d++) curve[f][d] = dalloc((size_t)npts, "KL curve");
    }
    for (int t = 0, k = 0; t <= T; t++) {
        if (t % every == 0 && k < npts) {
            steps[k] = t;
            for (int f = 0; f < NF; f++) exact_kls(lp, mu[f], ls[f], &curve[f][0][k], &curve[f][1][k]);
            k++;
        }
        if (t == T) break;
        for (int f = 0; f < NF; f++) {
            double g[2];
            if (!reverse[f]) {   /* samples of p, score-function gradient (moment matching) */
                for (int i = 0; i < B; i++) buf[i] = info_mix_sample(&mix, rng);
                info_forward_kl_grad(buf, B, mu[f], ls[f], g);
            } else {             /* q's own samples by reparameterisation */
                for (int i = 0; i < B; i++) buf[i] = rng_normal(rng);
                info_reverse_kl_grad(buf, B, mu[f], ls[f], &mix, g);
            }
            mu[f] -= s->lr * g[0];
            ls[f] -= s->lr * g[1];
            if (!isfinite(mu[f] + ls[f]))
                die(1, "section 4: the fit diverged at step %d (lr %g); lower --lr, or with IMPL=exercises check "
                       "info_forward_kl_grad and info_reverse_kl_grad (make check CH=08)", t, s->lr);
        }
    }
    printf("\n[4] KL asymmetry: one Gaussian q fitted to p = ½N(-2, 0.5²) + ½N(2, 0.5²) by %d steps of gradient\n"
           "    descent (lr %g) on (μ, log σ), %d Monte Carlo samples per step; exact KLs by quadrature:\n", T, s->lr, B);
    fputs("    ", stdout);
    put_padded("fit", 40);
    printf(" %8s %8s %12s %12s\n", "μ", "σ", "KL(p ‖ q)", "KL(q ‖ p)");
    for (int f = 0; f < NF; f++) {
        fputs("    ", stdout);
        put_padded(label[f], 40);
        printf(" %8.3f %8.3f %12.4f %12.4f\n", mu[f], exp(ls[f]), curve[f][0][npts - 1], curve[f][1][npts - 1]);
    }
    printf("    (moment matching: μ = 0, σ = √(0.25 + 4) = %.3f. One mode, N(2, 0.5²), has KL(q ‖ p) = log 2 = %.4f;\n"
           "    the reverse KL also has a broad stationary point between the modes, where a wide start ends.)\n",
           sqrt(4.25), log(2.0));

    Plot *p = plot_begin_multi(&s->po, "kl_asymmetry", "Fitting one Gaussian to two modes: forward vs reverse KL", 1, 2);
    if (p) {
        plot_size(p, 1400, 560);
        enum { NX = 400 };
        double x[NX], dp[NX], dq[NF][NX];
        for (int i = 0; i < NX; i++) {
            x[i] = -6.0 + 12.0 * i / (NX - 1);
            dp[i] = exp(info_mix_logpdf(&mix, x[i], NULL));
            for (int f = 0; f < NF; f++) dq[f][i] = exp(info_log_normal(x[i], mu[f], exp(ls[f])));
        }
        plot_panel(p, "densities after fitting");
        plot_labels(p, "x", "density");
        plot_yrange(p, 0, 1.15);
        plot_raw(p, "set key inside top left");
        plot_next_style(p, "lc rgb '#000000' lw 3");
        plot_line(p, x, dp, NX, "p: the two-mode mixture");
        for (int f = 0; f < NF; f++) {
            if (f == 2) plot_next_style(p, "lc 3 dt 2");
            plot_line(p, x, dq[f], NX, legend[f]);
        }
        plot_panel(p, "exact KLs of each fit during optimisation (dashed: the other direction)");
        plot_labels(p, "gradient step", "KL (nats)");
        plot_log(p, "y");
        plot_yrange(p, 0.3, 100);
        for (int f = 0; f < NF; f++) {
            char style[32], leg[96];
            snprintf(style, sizeof style, "lc %d", f + 1);
            plot_next_style(p, style);
            snprintf(leg, sizeof leg, "%s: its objective", label[f]);
            plot_line(p, steps, curve[f][reverse[f]], npts, leg);
            snprintf(style, sizeof style, "lc %d dt 2", f + 1);
            plot_next_style(p, style);
            plot_line(p, steps, curve[f][!reverse[f]], npts, NULL);
        }
    }
    int failures = plot_end(p) != 0;
    free(buf); free(steps);
    for (int f = 0; f < NF; f++)
        for (int d = 0; d < 2; d++) free(curve[f][d]);
    return failures;
}

/* ================================================================== 5. Jensen */

static int section_jensen(const Setup *s, Rng *rng)
{
    /* (a) X takes 0.5 or 5 with probabilities 0.6 and 0.4. */
    const double xs[2] = { 0.5, 5.0 }, ps[2] = { 0.6, 0.4 };
    const double ex = ps[0] * xs[0] + ps[1] * xs[1], elog = ps[0] * log(xs[0]) + ps[1] * log(xs[1]);
    printf("\n[5] Jensen for the concave log: X = 0.5 or 5 with probabilities 0.6, 0.4:\n"
           "    E[log X] = %.4f <= log E[X] = log %.2f = %.4f (gap %.4f)\n", elog, ex, log(ex), log(ex) - elog);

    /* (b) the ELBO of z ~ N(0, 1), x | z ~ N(z, 1) at x0 = 1.5 for q(z) = N(m, s²):
     *   log p(x0) = log E_q[p(x0, z)/q(z)] >= E_q[log p(x0, z) − log q(z)] = ELBO,
     *   gap = KL(q ‖ p(z | x0)), p(z | x0) = N(x0/2, ½). */
    const double x0 = 1.5, logpx = info_log_normal(x0, 0, sqrt(2.0));
    enum { NM = 200, NMC = 13 };
    const double sds[2] = { sqrt(0.5), 1.0 };
    double m[NM], elbo[2][NM], mm[NMC], elbo_mc[2][NMC];
    for (int i = 0; i < NM; i++) {
        m[i] = -1.5 + 4.0 * i / (NM - 1);
        for (int v = 0; v < 2; v++) elbo[v][i] = logpx - info_kl_gauss(m[i], sds[v], x0 / 2, sqrt(0.5));
    }
    const int n = s->samples / 100 > 50 ? s->samples / 100 : 50;
    for (int j = 0; j < NMC; j++) {
        mm[j] = -1.5 + 4.0 * j / (NMC - 1);
        for (int v = 0; v < 2; v++) {
            double acc = 0.0;
            for (int i = 0; i < n; i++) {
                double z = mm[j] + sds[v] * rng_normal(rng);
                acc += info_log_normal(x0, z, 1) + info_log_normal(z, 0, 1) - info_log_normal(z, mm[j], sds[v]);
            }
            elbo_mc[v][j] = acc / n;
        }
    }
    printf("    ELBO of z ~ N(0,1), x|z ~ N(z,1) at x = %.1f: log p(x) = %.4f; with q = N(m, ½) the ELBO reaches it at\n"
           "    m = x/2 = %.2f (gap = KL(q ‖ posterior) = %.2g); with q = N(m, 1) it stays %.4f below.\n",
           x0, logpx, x0 / 2, info_kl_gauss(x0 / 2, sds[0], x0 / 2, sqrt(0.5)),
           info_kl_gauss(x0 / 2, 1.0, x0 / 2, sqrt(0.5)));

    Plot *p = plot_begin_multi(&s->po, "jensen", "Jensen's inequality for the concave log: E[log X] <= log E[X]", 1, 2);
    if (p) {
        plot_size(p, 1300, 520);
        enum { NX = 300 };
        double x[NX], lx[NX];
        for (int i = 0; i < NX; i++) {
            x[i] = 0.2 + 5.8 * i / (NX - 1);
            lx[i] = log(x[i]);
        }
        plot_panel(p, "X = 0.5 w.p. 0.6, X = 5 w.p. 0.4");
        plot_labels(p, "x", "log x");
        plot_next_style(p, "lc rgb '#000000' lw 2");
        plot_line(p, x, lx, NX, "log x (concave)");
        const double cx[2] = { xs[0], xs[1] }, cy[2] = { log(xs[0]), log(xs[1]) };
        plot_next_style(p, "lc 1 dt 2");
        plot_line(p, cx, cy, 2, "chord: the mixtures of (x_i, log x_i)");
        plot_next_style(p, "lc 1 pt 7 ps 1.3");
        plot_points(p, cx, cy, 2, "outcomes (x_i, log x_i)");
        const double gx[2] = { ex, ex }, gy[2] = { elog, log(ex) };
        plot_next_style(p, "lc 2 lw 3");
        plot_line(p, gx, gy, 2, "Jensen gap log E[X] - E[log X]");
        plot_next_style(p, "lc 2 pt 5 ps 1.3");
        plot_points(p, gx, gy, 2, "(E[X], E[log X]) below (E[X], log E[X])");
        plot_label(p, ex + 0.15, elog - 0.25, "E[log X]");
        plot_label(p, ex - 0.1, log(ex) + 0.3, "log E[X]");
        plot_panel(p, "ELBO <= log p(x) by Jensen: z ~ N(0,1), x|z ~ N(z,1), x = 1.5");
        plot_labels(p, "mean m of q(z) = N(m, s^2)", "nats");
        plot_hline(p, logpx, "log p(x)");
        plot_line(p, m, elbo[0], NM, "ELBO, s^2 = ½ (the posterior's variance)");
        plot_line(p, m, elbo[1], NM, "ELBO, s^2 = 1");
        plot_next_style(p, "lc 1 pt 7 ps 1.0");
        plot_points(p, mm, elbo_mc[0], NMC, "Monte Carlo ELBO");
        plot_next_style(p, "lc 2 pt 7 ps 1.0");
        plot_points(p, mm, elbo_mc[1], NMC, NULL);
    }
    return plot_end(p) != 0;
}

/* ------------------------------------------------------------------ main */

/* Before anything else: stop, naming the exercise, if one is still its stub
 * (one call each on a hand-made case; exercise.h). */
static void require_written(void)
{
    const char *ch = "08_info";
    const double p[2] = { 0.5, 0.5 }, q[2] = { 0.9, 0.1 }, P[4] = { 0.5, 0, 0, 0.5 };
    if (info_entropy(p, 2) == 0) ex_unfinished(ch, "info_entropy", "H(1/2, 1/2) = 0, not log 2");
    if (info_cross_entropy(p, q, 2) == 0) ex_unfinished(ch, "info_cross_entropy", "H(p, q) = 0 for p != q");
    if (info_kl(p, q, 2) == 0) ex_unfinished(ch, "info_kl", "KL(p || q) = 0 for p != q");
    if (info_js(p, q, 2) == 0) ex_unfinished(ch, "info_js", "JS(p, q) = 0 for p != q");
    if (info_mutual_information(P, 2, 2) == 0)
        ex_unfinished(ch, "info_mutual_information", "I(X; Y) = 0 for X = Y, a fair coin");
    if (info_kl_gauss(0, 1, 1, 1) == 0) ex_unfinished(ch, "info_kl_gauss", "KL(N(0,1) || N(1,1)) = 0, not 1/2");
    const double mu[1] = { 1 }, lv[1] = { 0 };
    if (info_kl_diag_gauss(mu, lv, NULL, NULL, 1) == 0)
        ex_unfinished(ch, "info_kl_diag_gauss", "KL(N(1,1) || N(0,1)) = 0, not 1/2");
    const double cov[4] = { 1, 0.5, 0.5, 1 };
    if (info_mi_gauss2(cov) == 0) ex_unfinished(ch, "info_mi_gauss2", "I(X; Y) = 0 at correlation 0.5");
    double k[3] = { 0, 0, 0 }, g[2] = { 0, 0 };
    info_kl_estimators(0.5, k);
    if (ex_all_zero(k, 3)) ex_unfinished(ch, "info_kl_estimators", "k1 = k2 = k3 = 0 at log r = 0.5");
    const double x[2] = { 1, 3 };
    info_forward_kl_grad(x, 2, 0, 0, g);
    if (ex_all_zero(g, 2)) ex_unfinished(ch, "info_forward_kl_grad", "a zero gradient far from the samples' moments");
    const InfoMix mix = { .k = 1, .w = { 1 }, .mu = { 2 }, .sigma = { 1 } };
    const double eps[2] = { -0.5, 0.5 };
    if (info_reverse_kl_grad(eps, 2, 0, 0, &mix, g) == 0 && ex_all_zero(g, 2))
        ex_unfinished(ch, "info_reverse_kl_grad", "KL estimate 0 and a zero gradient for q = N(0,1), p = N(2,1)");
}

int main(int argc, char **argv)
{
    Setup s = { .samples = 100000, .trials = 200, .max_log2n = 14, .steps = 500, .batch = 256, .lr = 0.02 };
    CliOption opts[] = {
        { "--samples", CLI_INT, &s.samples, 100, 10000000, "Monte Carlo samples per value (sections 1, 2, 5)" },
        { "--trials", CLI_INT, &s.trials, 2, 100000, "repetitions per sample count (section 3)" },
        { "--max-log2n", CLI_INT, &s.max_log2n, 1, 20, "largest sample count is 2^this (section 3)" },
        { "--steps", CLI_INT, &s.steps, 1, 1000000, "gradient steps of each fit (section 4)" },
        { "--batch", CLI_INT, &s.batch, 1, 100000, "Monte Carlo samples per gradient step (section 4)" },
        { "--lr", CLI_DOUBLE, &s.lr, 1e-6, 1.0, "step size of the fits (section 4)" },
    };
    CliCommon cl = cli_defaults("08_info", 8);
    cli_parse(argc, argv, "information theory for generative models: exact and Monte Carlo", opts, ARRAY_LEN(opts), &cl);
    if (cl.quick) {   /* a small run: cap the sizes (explicit smaller values still win) */
        if (s.samples > 20000) s.samples = 20000;
        if (s.trials > 40) s.trials = 40;
        if (s.max_log2n > 10) s.max_log2n = 10;
        if (s.steps > 300) s.steps = 300;
    }
    s.po = cli_plot_opts(&cl);
    s.quiet = cl.quiet;
    require_written();
    const double t0 = progress_now();
    printf("Chapter 08: information theory for generative models (seed %llu%s)\n", (unsigned long long)cl.seed,
           cl.quick ? ", quick" : "");
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r1 = rng_split(&root), r2 = rng_split(&root), r3 = rng_split(&root), r4 = rng_split(&root),
        r5 = rng_split(&root);
    int failures = 0;
    section_discrete(&s, &r1);
    failures += section_closed_vs_mc(&s, &r2);
    failures += section_estimators(&s, &r3);
    failures += section_asymmetry(&s, &r4);
    failures += section_jensen(&s, &r5);
    printf("\nTotal time %.2f s\n", progress_now() - t0);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
