/* test_08_info.c — chapter 08: information theory for generative models.
 *
 * One test case per exercise, named after the function it grades. The
 * references never trust the code under test:
 *   - values worked by hand (the arithmetic is in the comments);
 *   - identities between the quantities (H(p, q) = H(p) + KL(p ‖ q),
 *     I(X; X) = H(X), JS symmetric and at most log 2), with the other side
 *     computed by reference functions written again here (ref_*);
 *   - Monte Carlo averages of the defining expectations, E_p[log p − log q],
 *     E[log p(x, y) − log p(x) − log p(y)], within SE_MC standard errors
 *     (the standard error measured from the same samples);
 *   - central differences of the Monte Carlo objectives with the samples
 *     held fixed, for the two gradient estimators.
 */
#include "ckx.h"
#include "info.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define TOL_HAND  1e-9    /* a closed form against a value worked by hand */
#define TOL_FD    1e-6    /* central difference (h = 1e-5) of a smooth double function, relative */
#define N_MC      200000  /* Monte Carlo samples per check */
#define SE_MC     4.0     /* a Monte Carlo mean may stray this many of its standard errors */

/* ------------------------------------------------------------------------ */
/* References */

static double ref_entropy(const double *p, int n)
{
    double h = 0.0;
    for (int i = 0; i < n; i++) h += p[i] > 0 ? -p[i] * log(p[i]) : 0.0;
    return h;
}

static double ref_log_normal(double x, double mu, double sigma)
{
    return -0.5 * pow((x - mu) / sigma, 2) - log(sigma * sqrt(2.0 * M_PI));
}

/* The plain sum, no log-sum-exp: the test mixtures are well inside range. */
static double ref_mix_logpdf(const InfoMix *m, double x)
{
    double s = 0.0;
    for (int c = 0; c < m->k; c++) s += m->w[c] * exp(ref_log_normal(x, m->mu[c], m->sigma[c]));
    return log(s);
}

/* A random distribution on n outcomes (Dirichlet(1) by normalised exponentials). */
static void random_dist(Rng *r, double *p, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += (p[i] = -log(1.0 - rng_uniform(r)));
    for (int i = 0; i < n; i++) p[i] /= s;
}

/* Mean and standard error of n values. */
static void mean_se(const double *v, int n, double *mean, double *se)
{
    double m = 0.0, s2 = 0.0;
    for (int i = 0; i < n; i++) m += v[i];
    m /= n;
    for (int i = 0; i < n; i++) s2 += (v[i] - m) * (v[i] - m);
    *mean = m;
    *se = sqrt(s2 / (n - 1) / n);
}

static double *tmalloc(size_t n)
{
    double *p = malloc(n * sizeof *p);
    ck_assert_msg(p != NULL, "out of memory");
    return p;
}

/* ------------------------------------------------------------------------ */
/* info_entropy */

START_TEST(entropy_by_hand)
{
    const double fair[6] = { 1. / 6, 1. / 6, 1. / 6, 1. / 6, 1. / 6, 1. / 6 };
    ckx_close(info_entropy(fair, 6), log(6.0), TOL_HAND, "H(fair die)", "the uniform distribution on n outcomes has H = log n.");
    /* (1/2, 1/4, 1/4): ½ log 2 + 2·¼ log 4 = 1.5 log 2 = 1.0397207708 */
    const double p3[3] = { 0.5, 0.25, 0.25 };
    ckx_close(info_entropy(p3, 3), 1.5 * log(2.0), TOL_HAND, "H(1/2, 1/4, 1/4)",
              "H = −Σ p log p with the natural log (nats); a sign error gives a negative entropy.");
    /* binary 0.25: −¼ log ¼ − ¾ log ¾ = 0.5623351446 */
    const double b[2] = { 0.25, 0.75 };
    ckx_close(info_entropy(b, 2), 0.5623351446188083, TOL_HAND, "H(1/4, 3/4)", NULL);
    const double sure[3] = { 0.0, 1.0, 0.0 };
    ckx_close(info_entropy(sure, 3), 0.0, TOL_HAND, "H(0, 1, 0), a certain outcome",
              "0·log 0 is NaN in C (0 · −inf): skip the terms with p_i = 0 (0 log 0 = 0 by continuity).");
}
END_TEST

START_TEST(entropy_is_expected_surprise)
{
    /* H(p) = E_p[−log p(X)]: the Monte Carlo average of −log p over draws. */
    const double p[4] = { 0.1, 0.2, 0.3, 0.4 };
    Rng r; rng_seed(&r, 81);
    double *v = tmalloc(N_MC), m, se;
    for (int i = 0; i < N_MC; i++) v[i] = -log(p[rng_categorical(&r, p, 4)]);
    mean_se(v, N_MC, &m, &se);
    free(v);
    ckx_close(info_entropy(p, 4), m, SE_MC * se, "H(0.1, 0.2, 0.3, 0.4) against the mean surprise of 200000 draws",
              "H(p) = −Σ_i p_i log p_i: weight each log by its probability.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_cross_entropy */

START_TEST(cross_entropy_by_hand)
{
    /* p = (½, ½), q = (¼, ¾): −½ log ¼ − ½ log ¾ = 0.6931471806 + 0.1438410362 = 0.8369882168 */
    const double p[2] = { 0.5, 0.5 }, q[2] = { 0.25, 0.75 };
    ckx_close(info_cross_entropy(p, q, 2), 0.8369882167858358, TOL_HAND, "H((1/2, 1/2), (1/4, 3/4))",
              "H(p, q) = −Σ p_i log q_i: the probabilities weight, q is inside the log.");
    /* the other order: −¼ log ½ − ¾ log ½ = log 2 */
    ckx_close(info_cross_entropy(q, p, 2), log(2.0), TOL_HAND, "H((1/4, 3/4), (1/2, 1/2))",
              "which argument is inside the log? H(p, q) = −Σ p_i log q_i.");
    const double a[3] = { 0.5, 0.5, 0.0 }, c[3] = { 0.5, 0.25, 0.25 }, d[3] = { 1.0, 0.0, 0.0 };
    double h = info_cross_entropy(a, d, 3);
    ck_assert_msg(isinf(h) && h > 0, "H((1/2, 1/2, 0), (1, 0, 0)) = %g, expected +inf: q gives probability 0 to "
                  "an outcome p produces. Hint: −p_i log 0 = +inf; do not clamp it away.", h);
    ckx_close(info_cross_entropy(d, c, 3), log(2.0), TOL_HAND, "H((1, 0, 0), (1/2, 1/4, 1/4))",
              "terms with p_i = 0 contribute 0, whatever q_i is.");
    ckx_close(info_cross_entropy(a, c, 3), -0.5 * log(0.5) - 0.5 * log(0.25), TOL_HAND, "H((1/2, 1/2, 0), (1/2, 1/4, 1/4))",
              "terms with p_i = 0 contribute 0 (skip them rather than computing 0·log q).");
}
END_TEST

START_TEST(cross_entropy_is_entropy_plus_kl)
{
    /* H(p, q) = H(p) + KL(p ‖ q) >= H(p), with the right side computed here. */
    Rng r; rng_seed(&r, 82);
    for (int t = 0; t < 50; t++) {
        double p[7], q[7], kl = 0.0;
        random_dist(&r, p, 7);
        random_dist(&r, q, 7);
        for (int i = 0; i < 7; i++) kl += p[i] * log(p[i] / q[i]);
        ckx_close(info_cross_entropy(p, q, 7), ref_entropy(p, 7) + kl, 1e-12, "H(p, q) against H(p) + KL(p ‖ q), random p, q",
                  "H(p, q) = −Σ p_i log q_i.");
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_kl */

START_TEST(kl_by_hand_and_asymmetric)
{
    /* KL((½,½) ‖ (¼,¾)) = ½ log 2 + ½ log(2/3) = 0.1438410362
     * KL((¼,¾) ‖ (½,½)) = ¼ log ½ + ¾ log (3/2) = 0.1308121112 */
    const double p[2] = { 0.5, 0.5 }, q[2] = { 0.25, 0.75 };
    ckx_close(info_kl(p, q, 2), 0.14384103622589042, TOL_HAND, "KL((1/2, 1/2) ‖ (1/4, 3/4))",
              "KL(p ‖ q) = Σ p_i log(p_i / q_i): p weights, and p is on top.");
    ckx_close(info_kl(q, p, 2), 0.13081203594113697, TOL_HAND, "KL((1/4, 3/4) ‖ (1/2, 1/2))",
              "KL is not symmetric: the first argument weights the sum.");
    ckx_close(info_kl(p, p, 2), 0.0, TOL_HAND, "KL(p ‖ p)", NULL);
    const double a[3] = { 0.5, 0.5, 0.0 }, c[3] = { 0.5, 0.25, 0.25 }, d[3] = { 1.0, 0.0, 0.0 };
    double k = info_kl(a, d, 3);
    ck_assert_msg(isinf(k) && k > 0, "KL((1/2, 1/2, 0) ‖ (1, 0, 0)) = %g, expected +inf (q misses an outcome of p)", k);
    ckx_close(info_kl(d, c, 3), log(2.0), TOL_HAND, "KL((1, 0, 0) ‖ (1/2, 1/4, 1/4))",
              "terms with p_i = 0 contribute 0: 0·log(0/q) is NaN in C, skip them.");
}
END_TEST

START_TEST(kl_gibbs_inequality)
{
    Rng r; rng_seed(&r, 83);
    for (int t = 0; t < 200; t++) {
        double p[5], q[5];
        random_dist(&r, p, 5);
        random_dist(&r, q, 5);
        double kl = info_kl(p, q, 5);
        double ref = 0.0;
        for (int i = 0; i < 5; i++) ref += p[i] * log(p[i] / q[i]);
        ck_assert_msg(kl >= 0.0, "KL(p ‖ q) = %g < 0 for random p, q. Hint: Σ p log(p/q), not Σ p log(q/p).", kl);
        ckx_close(kl, ref, 1e-12, "KL(p ‖ q), random p and q on 5 outcomes", NULL);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_js */

START_TEST(js_by_hand_and_bounds)
{
    /* p = (1, 0), q = (½, ½), m = (¾, ¼): KL(p‖m) = log(4/3) = 0.2876820725,
     * KL(q‖m) = ½ log(2/3) + ½ log 2 = 0.1438410362; JS = ½(0.2876820725 + 0.1438410362) = 0.2157615543 */
    const double p[2] = { 1.0, 0.0 }, q[2] = { 0.5, 0.5 };
    ckx_close(info_js(p, q, 2), 0.21576155433883568, TOL_HAND, "JS((1, 0), (1/2, 1/2))",
              "JS = ½KL(p ‖ m) + ½KL(q ‖ m) with m = ½(p + q), the mixture, not p or q.");
    ckx_close(info_js(q, p, 2), 0.21576155433883568, TOL_HAND, "JS((1/2, 1/2), (1, 0))", "JS is symmetric.");
    const double a[4] = { 0.5, 0.5, 0, 0 }, b[4] = { 0, 0, 0.25, 0.75 };
    ckx_close(info_js(a, b, 4), log(2.0), TOL_HAND, "JS of two distributions with disjoint supports",
              "disjoint supports give exactly log 2 (each KL(p ‖ m) = log 2). Skip the p_i = 0 terms; do not "
              "compute KL(p ‖ q) (infinite here).");
    ckx_close(info_js(a, a, 4), 0.0, TOL_HAND, "JS(p, p)", NULL);
    Rng r; rng_seed(&r, 84);
    for (int t = 0; t < 200; t++) {
        double x[6], y[6];
        random_dist(&r, x, 6);
        random_dist(&r, y, 6);
        double js = info_js(x, y, 6), sj = info_js(y, x, 6);
        ck_assert_msg(js >= 0.0 && js <= log(2.0) + 1e-12, "JS = %g outside [0, log 2] for random p, q", js);
        ckx_close(js, sj, 1e-12, "JS(p, q) - JS(q, p)", "JS is symmetric by construction.");
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_mutual_information */

START_TEST(mi_by_hand)
{
    /* [[.4, .1], [.1, .4]]: marginals ½; I = 2·.4 log(.4/.25) + 2·.1 log(.1/.25) = 0.1927448708 */
    const double P[4] = { 0.4, 0.1, 0.1, 0.4 };
    ckx_close(info_mutual_information(P, 2, 2), 0.8 * log(1.6) + 0.2 * log(0.4), TOL_HAND, "I(X; Y) of [[.4, .1], [.1, .4]]",
              "I = Σ P(x, y) log(P(x, y) / (P(x) P(y))) with the marginals P(x) = Σ_y P(x, y), P(y) = Σ_x P(x, y).");
    /* 2 × 3, not square: P(x) = (.5, .5), P(y) = (.3, .3, .4); rows (.3, 0, .2), (0, .3, .2) */
    const double Q[6] = { 0.3, 0.0, 0.2, 0.0, 0.3, 0.2 };
    double want = 2 * 0.3 * log(0.3 / (0.5 * 0.3)) + 2 * 0.2 * log(0.2 / (0.5 * 0.4));
    ckx_close(info_mutual_information(Q, 2, 3), want, TOL_HAND, "I(X; Y) of a 2×3 table with zeros",
              "P is (nx, ny) row-major: P(x, y) = P[x·ny + y]; skip cells with P = 0.");
}
END_TEST

START_TEST(mi_independent_and_deterministic)
{
    Rng r; rng_seed(&r, 85);
    double px[3], py[4], P[12];
    random_dist(&r, px, 3);
    random_dist(&r, py, 4);
    for (int x = 0; x < 3; x++)
        for (int y = 0; y < 4; y++) P[x * 4 + y] = px[x] * py[y];
    ckx_close(info_mutual_information(P, 3, 4), 0.0, 1e-12, "I(X; Y) of an independent table P(x)P(y)",
              "independent variables share no information.");
    /* Y = X: I = H(X) */
    double D[9] = { 0 };
    for (int x = 0; x < 3; x++) D[x * 3 + x] = px[x];
    ckx_close(info_mutual_information(D, 3, 3), ref_entropy(px, 3), 1e-12, "I(X; X) against H(X)",
              "for Y = X, I(X; Y) = H(X) − H(X | X) = H(X).");
    /* Y = X mod 2 for X on 4 outcomes: I = H(Y) */
    double p4[4], F[8] = { 0 }, pyf[2] = { 0, 0 };
    random_dist(&r, p4, 4);
    for (int x = 0; x < 4; x++) { F[x * 2 + x % 2] = p4[x]; pyf[x % 2] += p4[x]; }
    ckx_close(info_mutual_information(F, 4, 2), ref_entropy(pyf, 2), 1e-12, "I(X; X mod 2) against H(X mod 2)",
              "when Y is a function of X, H(Y | X) = 0 and I = H(Y). Check the column marginal P(y) = Σ_x P(x, y).");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_kl_gauss (and the given chapter-14 form info_kl_gauss_iso) */

START_TEST(kl_gauss_by_hand)
{
    ckx_close(info_kl_gauss(0, 1, 1, 1), 0.5, TOL_HAND, "KL(N(0, 1) ‖ N(1, 1))", "equal σ: (μ_p − μ_q)²/(2σ²).");
    /* the course's unequal pair, q = N(0, 1), p = N(1, 0.5) (variance 0.5, σ = √0.5):
     *   KL(q ‖ p) = log(√0.5/1) + (1 + 1)/(2·0.5) − ½ = −0.3465735903 + 2 − 0.5 = 1.1534264097
     *   KL(p ‖ q) = log(1/√0.5) + (0.5 + 1)/2 − ½ = 0.3465735903 + 0.75 − 0.5 = 0.5965735903 */
    const double s = sqrt(0.5);
    ckx_close(info_kl_gauss(0, 1, 1, s), 1.1534264097200273, TOL_HAND, "KL(N(0, 1) ‖ N(1, 0.5))",
              "KL(p ‖ q) = log(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) − ½: the SECOND argument's variance divides.");
    ckx_close(info_kl_gauss(1, s, 0, 1), 0.5965735902799727, TOL_HAND, "KL(N(1, 0.5) ‖ N(0, 1))",
              "log(σ_q/σ_p), not log(σ_p/σ_q): with σ_p < σ_q that term is positive.");
    ckx_close(info_kl_gauss(0.3, 0.7, 0.3, 0.7), 0.0, TOL_HAND, "KL(p ‖ p)", "did you forget the −½?");
    /* chapter 14's step KL: equal σ gives ‖μ_p − μ_q‖²/(2σ²) = (0.25 + 1 + 0.04)/(2·0.09) */
    const float a[3] = { 0.5f, -1.0f, 0.2f }, b[3] = { 0.0f, 0.0f, 0.0f };
    float g[3];
    double want = ((double)a[0] * a[0] + (double)a[1] * a[1] + (double)a[2] * a[2]) / (2 * 0.09);
    ckx_close(info_kl_gauss_iso(a, 0.3, b, 0.3, 3, g), want, 1e-9, "info_kl_gauss_iso, equal σ = 0.3",
              "it sums info_kl_gauss over the D coordinates.");
    for (int j = 0; j < 3; j++) ckx_close(g[j], a[j] / 0.09, 1e-5, "∂KL/∂μ_p of info_kl_gauss_iso", NULL);
}
END_TEST

START_TEST(kl_gauss_against_monte_carlo)
{
    /* KL(p ‖ q) = E_p[log p(X) − log q(X)] for several pairs. */
    const double pairs[4][4] = { { 0, 1, 1, 1 }, { 1, 0.5, 0, 1 }, { -0.5, 2, 0.5, 0.8 }, { 0.2, 0.3, 0, 1.5 } };
    Rng r; rng_seed(&r, 86);
    double *v = tmalloc(N_MC);
    for (int t = 0; t < 4; t++) {
        const double *c = pairs[t];
        for (int i = 0; i < N_MC; i++) {
            double x = c[0] + c[1] * rng_normal(&r);
            v[i] = ref_log_normal(x, c[0], c[1]) - ref_log_normal(x, c[2], c[3]);
        }
        double m, se;
        mean_se(v, N_MC, &m, &se);
        char what[128];
        snprintf(what, sizeof what, "KL(N(%g, %g²) ‖ N(%g, %g²)) against E_p[log p − log q] (200000 samples)", c[0], c[1],
                 c[2], c[3]);
        ckx_close(info_kl_gauss(c[0], c[1], c[2], c[3]), m, SE_MC * se, what,
                  "arguments are (μ_p, σ_p, μ_q, σ_q) with σ the standard deviation; the expectation is under p.");
    }
    free(v);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_kl_diag_gauss */

START_TEST(kl_diag_gauss_by_hand)
{
    /* to N(0, I): μ = (1, −0.5), v = (0, log ¼):
     *   ½[(1 + 1 − 1 − 0) + (¼ + ¼ − 1 − log ¼)] = ½(1 + 0.8862943611) = 0.9431471806 */
    const double mu[2] = { 1.0, -0.5 }, lv[2] = { 0.0, log(0.25) };
    ckx_close(info_kl_diag_gauss(mu, lv, NULL, NULL, 2), 0.5 * (1.0 + 0.25 + 0.25 - 1.0 + log(4.0)), TOL_HAND,
              "KL(N((1, -0.5), diag(1, 1/4)) ‖ N(0, I))",
              "to N(0, I): ½ Σ (e^v + μ² − 1 − v), v = log σ²; a NULL mu_q/logvar_q means 0.");
    /* against the sum of univariate KLs written with σ = e^{v/2} */
    const double mp[3] = { 0.3, -1.0, 2.0 }, vp[3] = { -1.0, 0.5, 0.0 };
    const double mq[3] = { 0.0, 1.0, 1.5 }, vq[3] = { 0.2, -0.3, 1.0 };
    double want = 0.0, want0 = 0.0;
    for (int j = 0; j < 3; j++) {
        double sp = exp(0.5 * vp[j]), sq = exp(0.5 * vq[j]);
        want += log(sq / sp) + (sp * sp + pow(mp[j] - mq[j], 2)) / (2 * sq * sq) - 0.5;
        want0 += log(1.0 / sp) + (sp * sp + pow(mp[j] - mq[j], 2)) / 2.0 - 0.5;
    }
    ckx_close(info_kl_diag_gauss(mp, vp, mq, vq, 3), want, TOL_HAND, "diagonal KL in 3-D against the sum of 1-D KLs",
              "v is a LOG-variance: σ² = e^v, log(σ_q/σ_p) = ½(v_q − v_p).");
    ckx_close(info_kl_diag_gauss(mp, vp, mq, NULL, 3), want0, TOL_HAND, "diagonal KL with logvar_q = NULL (unit variances)",
              "logvar_q == NULL means v_q = 0 (σ_q = 1) while mu_q is still used.");
    ckx_close(info_kl_diag_gauss(mp, vp, mp, vp, 3), 0.0, TOL_HAND, "KL(p ‖ p) in 3-D", NULL);
}
END_TEST

START_TEST(kl_diag_gauss_against_monte_carlo)
{
    const double mp[3] = { 0.3, -1.0, 2.0 }, vp[3] = { -1.0, 0.5, 0.0 };
    const double mq[3] = { 0.0, 1.0, 1.5 }, vq[3] = { 0.2, -0.3, 1.0 };
    Rng r; rng_seed(&r, 87);
    double *v = tmalloc(N_MC), m, se;
    for (int i = 0; i < N_MC; i++) {
        double s = 0.0;
        for (int j = 0; j < 3; j++) {
            double x = mp[j] + exp(0.5 * vp[j]) * rng_normal(&r);
            s += ref_log_normal(x, mp[j], exp(0.5 * vp[j])) - ref_log_normal(x, mq[j], exp(0.5 * vq[j]));
        }
        v[i] = s;
    }
    mean_se(v, N_MC, &m, &se);
    free(v);
    ckx_close(info_kl_diag_gauss(mp, vp, mq, vq, 3), m, SE_MC * se, "diagonal KL in 3-D against Monte Carlo",
              "the KL of independent coordinates is the SUM of their KLs.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_mi_gauss2 */

START_TEST(mi_gauss2_closed_form)
{
    /* ρ = 0.8 with σ_x = 2, σ_y = 0.5: Σ = [[4, 0.8], [0.8, 0.25]]; I = −½ log(0.36) = 0.5108256238 */
    const double c[4] = { 4.0, 0.8, 0.8, 0.25 };
    ckx_close(info_mi_gauss2(c), -0.5 * log(0.36), TOL_HAND, "I(X; Y), ρ = 0.8, σ_x = 2, σ_y = 0.5",
              "I = ½ log(Σ_xx Σ_yy / det Σ) = −½ log(1 − ρ²): it depends on the correlation, not on the scales.");
    /* ρ = 0.6 with σ_x = 2, σ_y = 1: Σ_xy = 1.2; I = −½ log(0.64) = 0.2231435513 */
    const double c6[4] = { 4.0, 1.2, 1.2, 1.0 };
    ckx_close(info_mi_gauss2(c6), -0.5 * log(0.64), TOL_HAND, "I(X; Y), ρ = 0.6, σ_x = 2, σ_y = 1 (Σ_xy = 1.2)",
              "ρ = Σ_xy/√(Σ_xx Σ_yy) is the correlation; Σ_xy alone is the covariance (1.2 here).");
    const double c0[4] = { 3.0, 0.0, 0.0, 0.5 };
    ckx_close(info_mi_gauss2(c0), 0.0, TOL_HAND, "I(X; Y) of uncorrelated Gaussians", NULL);
    const double cn[4] = { 1.0, -0.6, -0.6, 1.0 };
    ckx_close(info_mi_gauss2(cn), -0.5 * log(1 - 0.36), TOL_HAND, "I(X; Y), ρ = −0.6",
              "a negative correlation carries as much information as a positive one (ρ²).");
}
END_TEST

START_TEST(mi_gauss2_against_monte_carlo)
{
    /* E[log p(x, y) − log p(x) − log p(y)] over draws of (X, Y), ρ = 0.6, σ = (1.5, 0.7). */
    const double sx = 1.5, sy = 0.7, rho = 0.6;
    const double c[4] = { sx * sx, rho * sx * sy, rho * sx * sy, sy * sy };
    Rng r; rng_seed(&r, 88);
    double *v = tmalloc(N_MC), m, se;
    for (int i = 0; i < N_MC; i++) {
        double u = rng_normal(&r), w = rng_normal(&r);
        double x = sx * u, y = sy * (rho * u + sqrt(1 - rho * rho) * w);
        /* log p(x, y) = −log(2π σx σy √(1−ρ²)) − (a² − 2ρab + b²)/(2(1−ρ²)), a = x/σx, b = y/σy */
        double a = x / sx, b = y / sy;
        double lj = -log(2 * M_PI * sx * sy * sqrt(1 - rho * rho)) - (a * a - 2 * rho * a * b + b * b) / (2 * (1 - rho * rho));
        v[i] = lj - ref_log_normal(x, 0, sx) - ref_log_normal(y, 0, sy);
    }
    mean_se(v, N_MC, &m, &se);
    free(v);
    ckx_close(info_mi_gauss2(c), m, SE_MC * se, "I(X; Y) of a bivariate Gaussian against Monte Carlo (σ = 1.5, 0.7, ρ = 0.6)",
              "I = ½ log(Σ_xx Σ_yy / det Σ): use the whole covariance matrix, not Σ_xy alone.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_kl_estimators */

START_TEST(kl_estimators_by_hand)
{
    /* log r = −0.3: k1 = 0.3, k2 = 0.045, k3 = e^{−0.3} − 1 + 0.3 = 0.0408182207 */
    double k[3] = { NAN, NAN, NAN };
    info_kl_estimators(-0.3, k);
    ckx_close(k[0], 0.3, TOL_HAND, "k1 at log r = -0.3", "k1 = −log r.");
    ckx_close(k[1], 0.045, TOL_HAND, "k2 at log r = -0.3", "k2 = ½(log r)².");
    ckx_close(k[2], exp(-0.3) - 0.7, TOL_HAND, "k3 at log r = -0.3", "k3 = (r − 1) − log r with r = e^{log r}.");
    info_kl_estimators(2.0, k);
    ckx_close(k[2], exp(2.0) - 3.0, TOL_HAND, "k3 at log r = 2", NULL);
    /* tiny log r: k3 = (log r)²/2 + (log r)³/6 + ..., 5e-17 at 1e-8 */
    const double tiny[4] = { 1e-8, -1e-8, 3e-7, -2e-9 };
    for (int t = 0; t < 4; t++) {
        double lr = tiny[t], want = lr * lr / 2 + lr * lr * lr / 6;
        info_kl_estimators(lr, k);
        char what[64];
        snprintf(what, sizeof what, "k3 at log r = %g", lr);
        ck_assert_msg(k[2] >= 0.0, "%s = %g < 0: k3 is never negative (log r <= r − 1). Hint: exp(log r) − 1 "
                      "loses every digit here; use expm1(log r) − log r.", what, k[2]);
        ckx_rel_close(k[2], want, 1e-6, 0.0, what,
                      "exp(log r) − 1 cancels catastrophically for tiny log r; expm1(log r) computes it exactly.");
    }
}
END_TEST

/* Mean and standard error of each estimator over N_MC draws x ~ q = N(0, 1),
 * p = N(mu_p, sd_p²); also the sample std of each. */
static void estimator_stats(double mu_p, double sd_p, uint64_t seed, double mean[3], double se[3], double sd[3])
{
    Rng r; rng_seed(&r, seed);
    double *v[3] = { tmalloc(N_MC), tmalloc(N_MC), tmalloc(N_MC) };
    for (int i = 0; i < N_MC; i++) {
        double x = rng_normal(&r), k[3];
        info_kl_estimators(ref_log_normal(x, mu_p, sd_p) - ref_log_normal(x, 0, 1), k);
        for (int e = 0; e < 3; e++) v[e][i] = k[e];
    }
    for (int e = 0; e < 3; e++) {
        mean_se(v[e], N_MC, &mean[e], &se[e]);
        sd[e] = se[e] * sqrt((double)N_MC);
        free(v[e]);
    }
}

START_TEST(kl_estimators_bias_and_spread)
{
    double mean[3], se[3], sd[3];
    /* q = N(0, 1), p = N(1, 1): KL(q ‖ p) = 0.5. log r = x − ½, so k2 = ½(x − ½)² has mean
     * ½(1 + ¼) = 0.625 exactly: a 25% bias. */
    /* The tolerances use the estimators' exact standard deviations (x ~ N(0, 1), log r = x − ½):
     * std k1 = 1, std k2 = ½·std((x − ½)²) = ½√3, std k3 = √(Var e^{x−½} + 1 − 2 Cov(e^{x−½}, x)) = √(e − 2). */
    const double se1 = 1.0 / sqrt(N_MC), se2 = 0.5 * sqrt(3.0) / sqrt(N_MC), se3 = sqrt(exp(1.0) - 2.0) / sqrt(N_MC);
    estimator_stats(1.0, 1.0, 89, mean, se, sd);
    ckx_close(mean[0], 0.5, SE_MC * se1, "mean of k1 over 200000 samples, KL 0.5", "k1 = −log r is unbiased for KL(q ‖ p), x ~ q.");
    ckx_close(mean[2], 0.5, SE_MC * se3, "mean of k3 over 200000 samples, KL 0.5", "k3 = (r − 1) − log r is unbiased.");
    ckx_close(mean[1], 0.625, SE_MC * se2, "mean of k2 over 200000 samples, KL 0.5 (biased: exactly 0.625)",
              "k2 = ½(log r)².");
    /* p = N(0.1, 1): KL 0.005; log r = 0.1x − 0.005, so std(k1) = 0.1 = 20·KL exactly,
     * and k2, k3 have std ≈ 1.42·KL (Schulman 2020). */
    estimator_stats(0.1, 1.0, 90, mean, se, sd);
    ckx_close(sd[0] / 0.005, 20.0, 0.3, "std(k1)/KL at KL 0.005", "k1 = −log r.");
    ckx_close(sd[2] / 0.005, 1.42, 0.05, "std(k3)/KL at KL 0.005", "k3 = (r − 1) − log r: about 14 times less noisy than k1 here.");
    ckx_close(mean[2], 0.005, SE_MC * 1.42 * 0.005 / sqrt(N_MC), "mean of k3, KL 0.005", NULL);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_forward_kl_grad */

typedef struct { const double *x; int n; } Samples;

/* The θ-dependent part of the forward KL on the samples: −(1/n) Σ log q_θ(x_i). */
static double forward_objective(const Samples *s, double mu, double ls)
{
    double v = 0.0;
    for (int i = 0; i < s->n; i++) v -= ref_log_normal(s->x[i], mu, exp(ls));
    return v / s->n;
}

START_TEST(forward_kl_grad_central_differences)
{
    enum { N = 500 };
    static double x[N];
    Rng r; rng_seed(&r, 91);
    for (int i = 0; i < N; i++) x[i] = rng_uniform(&r) < 0.5 ? -2 + 0.5 * rng_normal(&r) : 2 + 0.5 * rng_normal(&r);
    Samples s = { x, N };
    const double pts[3][2] = { { 0.3, 0.0 }, { -1.5, log(0.4) }, { 2.0, log(3.0) } };
    const double h = 1e-5;
    for (int t = 0; t < 3; t++) {
        double mu = pts[t][0], ls = pts[t][1], g[2] = { NAN, NAN };
        info_forward_kl_grad(x, N, mu, ls, g);
        double gm = (forward_objective(&s, mu + h, ls) - forward_objective(&s, mu - h, ls)) / (2 * h);
        double gl = (forward_objective(&s, mu, ls + h) - forward_objective(&s, mu, ls - h)) / (2 * h);
        ckx_rel_close(g[0], gm, TOL_FD, 1e-3, "∂KL(p ‖ q)/∂μ against a central difference",
                      "−(1/n) Σ (x_i − μ)/σ²: minus the mean score; σ = exp(log_sigma).");
        ckx_rel_close(g[1], gl, TOL_FD, 1e-3, "∂KL(p ‖ q)/∂log σ against a central difference",
                      "−(1/n) Σ [((x_i − μ)/σ)² − 1]: the derivative by log σ, not by σ.");
    }
}
END_TEST

START_TEST(forward_kl_grad_zero_at_moments)
{
    enum { N = 300 };
    double x[N], m = 0.0, v = 0.0, g[2] = { NAN, NAN };
    Rng r; rng_seed(&r, 92);
    for (int i = 0; i < N; i++) m += (x[i] = 1.0 + 2.0 * rng_normal(&r) * rng_uniform(&r)) / N;
    for (int i = 0; i < N; i++) v += (x[i] - m) * (x[i] - m) / N;
    info_forward_kl_grad(x, N, m, 0.5 * log(v), g);
    ckx_close(g[0], 0.0, 1e-10, "∂/∂μ at the sample mean and variance", "the forward KL is minimised by moment matching.");
    ckx_close(g[1], 0.0, 1e-10, "∂/∂log σ at the sample mean and variance",
              "at σ² = (1/n) Σ (x − μ)², the mean of ((x − μ)/σ)² − 1 is exactly 0.");
    info_forward_kl_grad(x, N, m - 1.0, 0.5 * log(v), g);
    ck_assert_msg(g[0] < 0, "with μ below the data, ∂KL/∂μ = %g should be < 0 (descent moves μ up). Hint: the gradient "
                  "of the KL is MINUS the mean score.", g[0]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* info_reverse_kl_grad */

typedef struct { const double *eps; int n; const InfoMix *p; } Eps;

static double reverse_objective(const Eps *e, double mu, double ls)
{
    double v = 0.0, s = exp(ls);
    for (int i = 0; i < e->n; i++) {
        double x = mu + s * e->eps[i];
        v += ref_log_normal(x, mu, s) - ref_mix_logpdf(e->p, x);
    }
    return v / e->n;
}

START_TEST(reverse_kl_grad_central_differences)
{
    enum { N = 400 };
    static double eps[N];
    Rng r; rng_seed(&r, 93);
    for (int i = 0; i < N; i++) eps[i] = rng_normal(&r);
    const InfoMix p = { 2, { 0.3, 0.7 }, { -2.0, 1.5 }, { 0.5, 0.8 } };
    Eps e = { eps, N, &p };
    const double pts[3][2] = { { 0.2, 0.0 }, { -1.0, log(0.3) }, { 1.2, log(2.0) } };
    const double h = 1e-5;
    for (int t = 0; t < 3; t++) {
        double mu = pts[t][0], ls = pts[t][1], g[2] = { NAN, NAN };
        double kl = info_reverse_kl_grad(eps, N, mu, ls, &p, g);
        ckx_rel_close(kl, reverse_objective(&e, mu, ls), 1e-9, 1e-6, "the returned estimate (1/n) Σ [log q − log p]",
                      "log q_θ(μ + σε) = −log σ − ½ε² − ½ log 2π; log p from info_mix_logpdf.");
        double gm = (reverse_objective(&e, mu + h, ls) - reverse_objective(&e, mu - h, ls)) / (2 * h);
        double gl = (reverse_objective(&e, mu, ls + h) - reverse_objective(&e, mu, ls - h)) / (2 * h);
        ckx_rel_close(g[0], gm, TOL_FD, 1e-3, "∂KL(q ‖ p)/∂μ against a central difference (same ε)",
                      "∂/∂μ = −mean of s(x_i), the score of p at x_i = μ + σε_i.");
        ckx_rel_close(g[1], gl, TOL_FD, 1e-3, "∂KL(q ‖ p)/∂log σ against a central difference (same ε)",
                      "∂/∂log σ = −1 − mean of s(x_i)·σε_i: the −1 comes from log q's −log σ, and ∂x/∂log σ = σε.");
    }
}
END_TEST

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("08_info");
    TCase *tc;
    tc = ckx_tcase(s, "info_entropy", 10);
    tcase_add_test(tc, entropy_by_hand);
    tcase_add_test(tc, entropy_is_expected_surprise);
    tc = ckx_tcase(s, "info_cross_entropy", 5);
    tcase_add_test(tc, cross_entropy_by_hand);
    tcase_add_test(tc, cross_entropy_is_entropy_plus_kl);
    tc = ckx_tcase(s, "info_kl", 5);
    tcase_add_test(tc, kl_by_hand_and_asymmetric);
    tcase_add_test(tc, kl_gibbs_inequality);
    tc = ckx_tcase(s, "info_js", 5);
    tcase_add_test(tc, js_by_hand_and_bounds);
    tc = ckx_tcase(s, "info_mutual_information", 5);
    tcase_add_test(tc, mi_by_hand);
    tcase_add_test(tc, mi_independent_and_deterministic);
    tc = ckx_tcase(s, "info_kl_gauss", 10);
    tcase_add_test(tc, kl_gauss_by_hand);
    tcase_add_test(tc, kl_gauss_against_monte_carlo);
    tc = ckx_tcase(s, "info_kl_diag_gauss", 10);
    tcase_add_test(tc, kl_diag_gauss_by_hand);
    tcase_add_test(tc, kl_diag_gauss_against_monte_carlo);
    tc = ckx_tcase(s, "info_mi_gauss2", 10);
    tcase_add_test(tc, mi_gauss2_closed_form);
    tcase_add_test(tc, mi_gauss2_against_monte_carlo);
    tc = ckx_tcase(s, "info_kl_estimators", 10);
    tcase_add_test(tc, kl_estimators_by_hand);
    tcase_add_test(tc, kl_estimators_bias_and_spread);
    tc = ckx_tcase(s, "info_forward_kl_grad", 5);
    tcase_add_test(tc, forward_kl_grad_central_differences);
    tcase_add_test(tc, forward_kl_grad_zero_at_moments);
    tc = ckx_tcase(s, "info_reverse_kl_grad", 5);
    tcase_add_test(tc, reverse_kl_grad_central_differences);
    return s;
}
