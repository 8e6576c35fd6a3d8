/* test_06_pg.c — chapter 06: policy gradients (REINFORCE).
 *
 * One test case per exercise, named after the function it grades. The
 * references never trust the code under test:
 *   - hand-worked values (reward-to-go over a buffer of several episodes,
 *     the leave-one-out average baseline, normalisation), the arithmetic in
 *     the comments;
 *   - log-softmax and the Gaussian log-density written again here in double
 *     (ref_*), and central differences for every gradient, dividing by the
 *     step that the float inputs really took;
 *   - the inverse-CDF draw replayed from a copy of the generator;
 *   - a two-armed bandit whose policy gradient is known in closed form,
 *     ∇J_k = π_k (μ_k − J), and whose estimator variance is too: the average
 *     of many REINFORCE estimates must match the gradient within a few
 *     standard errors, with and without a constant baseline, and the
 *     baseline must lower the measured variance to its exact value.
 */
#include "ckx.h"
#include "dist.h"
#include "pg.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_FD      2e-4    /* central difference (h ~ 1e-3 in float inputs) vs analytic, absolute, O(1) values */
#define TOL_FD_NET  2e-2    /* central difference through a float network (h = 1e-2), relative */
#define N_DRAWS     100000  /* draws per frequency check */
#define SIGMAS      5.0     /* a frequency may stray this many binomial std devs */
#define N_BANDIT    40000   /* REINFORCE estimates averaged on the bandit */
#define SE_BANDIT   4.0     /* ... and the mean may stray this many standard errors */
#define TOL_VAR_REL 0.08    /* measured vs exact total variance, relative (40000 samples) */

/* ------------------------------------------------------------------------ */
/* References, written independently of dist.c and pg.c */

/* softmax(z) in double, the plain way (the test logits are small). */
static void ref_softmax(const float *z, int K, double *p)
{
    double s = 0.0;
    for (int k = 0; k < K; k++) s += exp((double)z[k]);
    for (int k = 0; k < K; k++) p[k] = exp((double)z[k]) / s;
}

/* log N(x; μ, σ²) of one coordinate. */
static double ref_log_normal(double x, double mu, double sigma)
{
    double u = (x - mu) / sigma;
    return -0.5 * u * u - log(sigma) - 0.5 * log(2.0 * M_PI);
}

/* The central difference of f along one float input v[i], divided by the step
 * the float really took (v ± h rounds). */
typedef double (*ScalarFn)(void *ctx);
static double central_diff(float *v, int i, float h, ScalarFn f, void *ctx)
{
    float keep = v[i];
    v[i] = keep + h;
    float hi_x = v[i];
    double hi = f(ctx);
    v[i] = keep - h;
    float lo_x = v[i];
    double lo = f(ctx);
    v[i] = keep;
    return (hi - lo) / ((double)hi_x - lo_x);
}

/* ------------------------------------------------------------------------ */
/* pg_categorical_sample */

START_TEST(categorical_sample_is_the_inverse_cdf)
{
    const float z[5] = { 0.3f, -1.2f, 2.0f, 0.0f, 0.9f };
    double p[5];
    ref_softmax(z, 5, p);
    Rng rng, replay;
    rng_seed(&rng, 11);
    for (int n = 0; n < 500; n++) {
        replay = rng;
        int a = pg_categorical_sample(z, 5, &rng);
        double u = rng_uniform(&replay), cum = 0.0;
        int want = 4;
        for (int k = 0; k < 5; k++) {
            cum += p[k];
            if (u < cum) { want = k; break; }
        }
        ck_assert_msg(a == want,
                      "draw %d: got action %d, expected %d for u = %.6f (π = %.3f %.3f %.3f %.3f %.3f). Hint: one "
                      "u = rng_uniform(rng), then the first a with u < π(0) + ... + π(a).", n, a, want, u, p[0], p[1],
                      p[2], p[3], p[4]);
        ck_assert_msg(memcmp(rng.s, replay.s, sizeof rng.s) == 0,
                      "draw %d: the generator did not advance by exactly one rng_uniform draw. Hint: draw once per "
                      "sample (inverse CDF), so runs are reproducible and comparable.", n);
    }
}
END_TEST

START_TEST(categorical_sample_frequencies)
{
    const float z[3] = { 0.5f, -1.0f, 2.0f };
    double p[3];
    ref_softmax(z, 3, p);
    long count[3] = { 0 };
    Rng rng;
    rng_seed(&rng, 3);
    for (int n = 0; n < N_DRAWS; n++) {
        int a = pg_categorical_sample(z, 3, &rng);
        ck_assert_msg(a >= 0 && a < 3, "pg_categorical_sample returned %d, outside 0..2", a);
        count[a]++;
    }
    for (int k = 0; k < 3; k++) {
        char what[120];
        snprintf(what, sizeof what, "frequency of action %d for logits (0.5, -1, 2) over %d draws", k, N_DRAWS);
        ckx_close((double)count[k] / N_DRAWS, p[k], SIGMAS * sqrt(p[k] * (1 - p[k]) / N_DRAWS), what,
                  "π(a) = e^{z_a} / Σ_b e^{z_b} (softmax of the logits, not the logits themselves).");
    }
}
END_TEST

START_TEST(categorical_sample_large_logits)
{
    /* softmax(1000, 1001) = (1/(1+e), e/(1+e)) = (0.268941, 0.731059); e^1000 overflows. */
    const float z[2] = { 1000.0f, 1001.0f };
    const double p1 = exp(1.0) / (1.0 + exp(1.0));
    long ones = 0;
    Rng rng;
    rng_seed(&rng, 5);
    for (int n = 0; n < N_DRAWS; n++) {
        int a = pg_categorical_sample(z, 2, &rng);
        ck_assert_msg(a == 0 || a == 1, "logits (1000, 1001): got action %d. Hint: subtract the largest logit "
                                        "before exp(); e^1000 is inf and inf/inf is NaN.", a);
        ones += a;
    }
    ckx_close((double)ones / N_DRAWS, p1, SIGMAS * sqrt(p1 * (1 - p1) / N_DRAWS),
              "frequency of action 1 for logits (1000, 1001)",
              "subtract the largest logit before exp(): softmax is unchanged, exp no longer overflows.");
    /* every logit very negative: softmax(−1000, −1001) = (0.731059, 0.268941) as well */
    const float zn[2] = { -1000.0f, -1001.0f };
    long zeros = 0;
    for (int n = 0; n < N_DRAWS; n++) zeros += pg_categorical_sample(zn, 2, &rng) == 0;
    ckx_close((double)zeros / N_DRAWS, p1, SIGMAS * sqrt(p1 * (1 - p1) / N_DRAWS),
              "frequency of action 0 for logits (−1000, −1001)",
              "the largest logit is −1000 here: start the maximum at logits[0] (or −INFINITY), not at 0, or "
              "every e^{z − m} underflows to 0.");
    const float z2[3] = { 0.0f, -10000.0f, -5.0f };   /* action 1 has probability e^-10000 = 0 */
    for (int n = 0; n < 10000; n++)
        ck_assert_msg(pg_categorical_sample(z2, 3, &rng) != 1,
                      "logits (0, -10000, -5): drew action 1, whose probability is 0. Hint: return the first a "
                      "with u < cumulative probability (strictly less).");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* pg_categorical_logprob */

typedef struct { float *z; int K, a; } CatCtx;
static double cat_logprob_fn(void *ctx)
{
    CatCtx *c = ctx;
    return pg_categorical_logprob(c->z, c->K, c->a, NULL);
}

START_TEST(categorical_logprob_by_hand)
{
    /* log softmax(1, 2, 3)_0 = 1 − log(e + e² + e³) = −log(1 + e + e²) = −2.4076059644 */
    const float z[3] = { 1.0f, 2.0f, 3.0f };
    ckx_close(pg_categorical_logprob(z, 3, 0, NULL), -log(1.0 + exp(1.0) + exp(2.0)), 1e-6,
              "log π(0) for logits (1, 2, 3)", "log π(a) = z_a − log Σ_b e^{z_b}; a log-probability is <= 0.");
    ckx_close(pg_categorical_logprob(z, 3, 2, NULL), -log(1.0 + exp(-1.0) + exp(-2.0)), 1e-6,
              "log π(2) for logits (1, 2, 3)", NULL);
    /* logits (1000, 1001): log π(0) = −log(1 + e) = −1.3132616875 */
    const float big[2] = { 1000.0f, 1001.0f };
    ckx_close(pg_categorical_logprob(big, 2, 0, NULL), -log(1.0 + exp(1.0)), 1e-6, "log π(0) for logits (1000, 1001)",
              "subtract the largest logit first (log-sum-exp): e^1000 overflows to inf.");
    /* logits (−1000, −1001): log π(0) = −log(1 + e^−1) = −0.3132616875 */
    const float neg[2] = { -1000.0f, -1001.0f };
    ckx_close(pg_categorical_logprob(neg, 2, 0, NULL), -log(1.0 + exp(-1.0)), 1e-6,
              "log π(0) for logits (−1000, −1001)",
              "m is the LARGEST logit (−1000 here): start it at logits[0], not at 0, or every e^{z − m} "
              "underflows and log 0 = −inf.");
    /* the generic interface must agree */
    PgDist d = pg_categorical(3);
    float a = 2.0f;
    ckx_close(pg_dist_logprob(&d, z, &a, NULL), -log(1.0 + exp(-1.0) + exp(-2.0)), 1e-6,
              "pg_dist_logprob (categorical, action 2)", "pg_dist_logprob calls pg_categorical_logprob.");
}
END_TEST

START_TEST(categorical_logprob_gradient)
{
    float z[4] = { 0.2f, -0.7f, 1.1f, 0.4f };
    double p[4];
    ref_softmax(z, 4, p);
    for (int a = 0; a < 4; a++) {
        float g[4] = { 0 };
        double lp = pg_categorical_logprob(z, 4, a, g);
        ckx_close(lp, log(p[a]), 1e-6, "log π(a) with the gradient requested", NULL);
        double gsum = 0.0, gnorm = 0.0;
        for (int k = 0; k < 4; k++) {
            char what[120];
            snprintf(what, sizeof what, "∂log π(%d)/∂z_%d", a, k);
            ckx_close(g[k], (k == a) - p[k], TOL_FLOAT, what,
                      "the score of a softmax is onehot(a) − π: +1 − π(a) on the chosen logit, −π(k) on the others.");
            CatCtx c = { z, 4, a };
            snprintf(what, sizeof what, "∂log π(%d)/∂z_%d against a central difference", a, k);
            ckx_close(g[k], central_diff(z, k, 1e-3f, cat_logprob_fn, &c), TOL_FD, what, NULL);
            gsum += g[k];
            gnorm += g[k] * g[k];
        }
        ck_assert_msg(gnorm > 1e-2, "the gradient is (nearly) all zeros: did you write dlogits?");
        ckx_close(gsum, 0.0, 1e-6, "Σ_k ∂log π(a)/∂z_k",
                  "adding a constant to every logit changes no probability, so the gradient sums to 0.");
    }
}
END_TEST

START_TEST(categorical_entropy_and_generic_interface)
{
    /* H = −Σ_k π_k log π_k with log π from the exercise; ∂H/∂z against central differences. */
    float z[3] = { 0.5f, -0.3f, 1.2f };
    double p[3], H = 0.0, H_ref = 0.0;
    ref_softmax(z, 3, p);
    for (int k = 0; k < 3; k++) {
        H -= p[k] * pg_categorical_logprob(z, 3, k, NULL);
        H_ref -= p[k] * log(p[k]);
    }
    ckx_close(H, H_ref, 1e-6, "−Σ_k π_k log π_k with log π_k from pg_categorical_logprob (softmax(0.5, -0.3, 1.2))",
              "log π(k) = z_k − log Σ_b e^{z_b}.");
    PgDist d = pg_categorical(3);
    float dent[3];
    ckx_close(pg_dist_entropy(&d, z, dent), H_ref, 1e-6, "pg_dist_entropy of softmax(0.5, -0.3, 1.2)", NULL);
    float dlogp[3] = { 0 }, action = 1.0f;
    pg_dist_logprob(&d, z, &action, dlogp);
    float g[3] = { 0 };
    pg_categorical_logprob(z, 3, 1, g);
    ckx_close_arrayf(dlogp, g, 3, TOL_EXACT, "pg_dist_logprob gradient (categorical)", NULL);
    Rng r1, r2;
    rng_seed(&r1, 9);
    r2 = r1;
    for (int n = 0; n < 100; n++) {
        float act;
        pg_dist_sample(&d, z, &r1, &act);
        ck_assert_msg((int)act == pg_categorical_sample(z, 3, &r2), "pg_dist_sample must draw like "
                                                                    "pg_categorical_sample");
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* pg_gaussian_logprob */

typedef struct { float *mean; double std; int D; float *x; } GaussCtx;
static double gauss_logprob_fn(void *ctx)
{
    GaussCtx *c = ctx;
    return pg_gaussian_logprob(c->mean, c->std, c->D, c->x, NULL, NULL);
}

typedef struct { const PgDist *d; float *params; const float *x; } DistCtx;
static double dist_logprob_fn(void *ctx)
{
    DistCtx *c = ctx;
    return pg_dist_logprob(c->d, c->params, c->x, NULL);
}

START_TEST(gaussian_logprob_closed_form)
{
    /* N(0; 0, 1): −½ log 2π = −0.9189385332 */
    const float zero = 0.0f;
    ckx_close(pg_gaussian_logprob(&zero, 1.0, 1, &zero, NULL, NULL), -0.9189385332046727, 1e-9,
              "log N(0; 0, 1)", "log N(x; μ, σ²) = −½((x−μ)/σ)² − log σ − ½ log 2π.");
    /* D = 3: the sum of three one-dimensional log-densities */
    const float mean[3] = { 0.5f, -1.0f, 2.0f }, x[3] = { 0.1f, -0.4f, 2.9f };
    const double sigma = 0.7;
    double want = 0.0;
    for (int j = 0; j < 3; j++) want += ref_log_normal(x[j], mean[j], sigma);
    ckx_close(pg_gaussian_logprob(mean, sigma, 3, x, NULL, NULL), want, 1e-6, "log N(x; μ, 0.7² I) in D = 3",
              "sum the D one-dimensional terms: −D log σ and −(D/2) log 2π, not once.");
    PgDist d = pg_gaussian(3, sigma);
    ckx_close(pg_dist_logprob(&d, mean, x, NULL), want, 1e-6, "pg_dist_logprob (Gaussian, fixed std)", NULL);
}
END_TEST

START_TEST(gaussian_logprob_gradients)
{
    float mean[3] = { 0.5f, -1.0f, 2.0f }, x[3] = { 0.1f, -0.4f, 2.9f };
    const double sigma = 0.7;
    float dmean[3] = { 0 };
    double dls = 0.0;
    pg_gaussian_logprob(mean, sigma, 3, x, dmean, &dls);
    GaussCtx c = { mean, sigma, 3, x };
    double norm = 0.0;
    for (int j = 0; j < 3; j++) {
        char what[80];
        snprintf(what, sizeof what, "∂logp/∂μ_%d", j);
        ckx_close(dmean[j], ((double)x[j] - mean[j]) / (sigma * sigma), 1e-5, what,
                  "∂/∂μ_j = (x_j − μ_j)/σ²: towards x, divided by σ squared.");
        snprintf(what, sizeof what, "∂logp/∂μ_%d against a central difference", j);
        ckx_close(dmean[j], central_diff(mean, j, 1e-3f, gauss_logprob_fn, &c), TOL_FD, what, NULL);
        norm += dmean[j] * dmean[j];
    }
    ck_assert_msg(norm > 1e-2, "∂logp/∂μ is (nearly) all zeros: did you write dmean?");
    /* d/d(log σ): vary σ multiplicatively, σ e^{±h} */
    const double h = 1e-4;
    double fd = (pg_gaussian_logprob(mean, sigma * exp(h), 3, x, NULL, NULL) -
                 pg_gaussian_logprob(mean, sigma * exp(-h), 3, x, NULL, NULL)) / (2 * h);
    ckx_close(dls, fd, 1e-5, "∂logp/∂(log σ) against a central difference",
              "Σ_j ((x_j − μ_j)/σ)² − D: the derivative with respect to log σ (that is σ·∂/∂σ).");
}
END_TEST

START_TEST(gaussian_learned_log_std_interface)
{
    /* params = (μ_0, μ_1, ℓ_0, ℓ_1), σ_j = e^{ℓ_j}: every gradient by central differences. */
    float params[4] = { 0.3f, -0.5f, -0.2f, 0.4f };
    const float x[2] = { 1.0f, -0.1f };
    PgDist d = pg_gaussian(2, 0.0);
    ck_assert_int_eq(pg_dist_n_params(&d), 4);
    double want = ref_log_normal(x[0], params[0], exp(params[2])) + ref_log_normal(x[1], params[1], exp(params[3]));
    float g[4] = { 0 };
    ckx_close(pg_dist_logprob(&d, params, x, g), want, 1e-6, "pg_dist_logprob (learned log-std)",
              "pg_dist_logprob calls pg_gaussian_logprob once per dimension with σ_j = e^{ℓ_j}.");
    DistCtx c = { &d, params, x };
    for (int k = 0; k < 4; k++) {
        char what[80];
        snprintf(what, sizeof what, "∂logp/∂params[%d] (%s) against a central difference", k,
                 k < 2 ? "a mean" : "a log-std");
        ckx_close(g[k], central_diff(params, k, 1e-3f, dist_logprob_fn, &c), TOL_FD, what, NULL);
    }
}
END_TEST

START_TEST(gaussian_score_has_mean_zero)
{
    /* E_x[∇_μ log N(x; μ, σ²)] = 0 and E[(∂/∂μ)²] = 1/σ² (the Fisher information):
     * the identity that makes every baseline unbiased, checked on samples. */
    const float mean[2] = { 0.4f, -1.3f };
    const double sigma = 0.5;
    const int M = 20000;
    Rng rng;
    rng_seed(&rng, 21);
    double s[2] = { 0 }, ss[2] = { 0 };
    for (int m = 0; m < M; m++) {
        float x[2], g[2] = { 0 };
        pg_gaussian_sample(mean, sigma, 2, &rng, x);
        pg_gaussian_logprob(mean, sigma, 2, x, g, NULL);
        for (int j = 0; j < 2; j++) { s[j] += g[j]; ss[j] += (double)g[j] * g[j]; }
    }
    const double fisher = 1.0 / (sigma * sigma), se = sqrt(fisher / M);
    for (int j = 0; j < 2; j++) {
        ckx_close(s[j] / M, 0.0, SE_BANDIT * se, "mean over samples of ∂logp/∂μ_j",
                  "the score of a density has mean zero; (x−μ)/σ², not (μ−x)/σ² or (x−μ)/σ.");
        ckx_close(ss[j] / M, fisher, 0.05 * fisher, "mean over samples of (∂logp/∂μ_j)²", "E[((x−μ)/σ²)²] = 1/σ².");
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* pg_reward_to_go */

START_TEST(reward_to_go_one_episode)
{
    /* γ = 1: G_t counts the rewards left: (1,1,1,1) -> (4,3,2,1) */
    const float r[4] = { 1, 1, 1, 1 };
    const int e[4] = { 0, 0, 0, PG_TERMINATED };
    float g[4] = { 0 };
    const float want[4] = { 4, 3, 2, 1 };
    pg_reward_to_go(r, e, NULL, 4, 1.0, g);
    ckx_close_arrayf(g, want, 4, TOL_FLOAT, "reward-to-go, γ = 1, rewards (1,1,1,1)",
                     "G_t = r_t + γ G_{t+1}, computed backwards from the last step; G_{T−1} = r_{T−1}.");
    /* γ = 0.5, rewards (1, 2, 4): G_2 = 4, G_1 = 2 + 0.5·4 = 4, G_0 = 1 + 0.5·4 = 3 */
    const float r2[3] = { 1, 2, 4 };
    const int e2[3] = { 0, 0, PG_TERMINATED };
    const float want2[3] = { 3, 4, 4 };
    pg_reward_to_go(r2, e2, NULL, 3, 0.5, g);
    ckx_close_arrayf(g, want2, 3, TOL_FLOAT, "reward-to-go, γ = 0.5, rewards (1, 2, 4)",
                     "discount the FUTURE: G_t = r_t + γ G_{t+1}, not γ^t r_t.");
}
END_TEST

START_TEST(reward_to_go_episode_boundaries)
{
    /* γ = 0.9, three episodes in one buffer:
     *   A: r = 1, 1, 1 terminated   -> G = 1 + 0.9·1.9 = 2.71, 1 + 0.9 = 1.9, 1
     *   B: r = 2, 0.5 terminated    -> G = 2 + 0.9·0.5 = 2.45, 0.5
     *   C: r = 1, 1 truncated, boot = V(s_7) = 10
     *      with boot:    G = 1 + 0.9·10 = 10, 1 + 0.9·10 = 10
     *      boot NULL:    G = 1 + 0.9 = 1.9, 1 (the return is cut) */
    const float r[7] = { 1, 1, 1, 2, 0.5f, 1, 1 };
    const int e[7] = { 0, 0, PG_TERMINATED, 0, PG_TERMINATED, 0, PG_TRUNCATED };
    const float boot[7] = { 99, 99, 99, 99, 99, 99, 10 };   /* only boot[6] may be read */
    float g[7] = { 0 };
    const float want[7] = { 2.71f, 1.9f, 1, 2.45f, 0.5f, 10, 10 };
    pg_reward_to_go(r, e, boot, 7, 0.9, g);
    ckx_close_arrayf(g, want, 7, 1e-5, "reward-to-go over three episodes (γ = 0.9, the last truncated, boot 10)",
                     "at an end the carried G_{t+1} must not leak into the episode before: a terminated end has "
                     "G_t = r_t, a truncated one r_t + γ boot[t]; boot is read only at truncated ends.");
    const float want_cut[7] = { 2.71f, 1.9f, 1, 2.45f, 0.5f, 1.9f, 1 };
    pg_reward_to_go(r, e, NULL, 7, 0.9, g);
    ckx_close_arrayf(g, want_cut, 7, 1e-5, "the same buffer with boot = NULL",
                     "without boot a truncated episode's return is cut: G_t = r_t at its last step.");
}
END_TEST

/* A truncated episode in the MIDDLE of the buffer, γ = 0.5:
 *   A: r = 1, 1, truncated at t = 1 with boot[1] = 4:  G_1 = 1 + 0.5·4 = 3, G_0 = 1 + 0.5·3 = 2.5
 *   B: r = 2, terminated:                               G_2 = 2
 * without boot: G_1 = 1, G_0 = 1.5. */
START_TEST(reward_to_go_truncated_mid_buffer)
{
    const float r[3] = { 1, 1, 2 }, boot[3] = { 99, 4, 99 };
    const int e[3] = { PG_CONTINUES, PG_TRUNCATED, PG_TERMINATED };
    float g[3] = { 0 };
    const float want[3] = { 2.5f, 3, 2 }, want_cut[3] = { 1.5f, 1, 2 };
    pg_reward_to_go(r, e, boot, 3, 0.5, g);
    ckx_close_arrayf(g, want, 3, 1e-6, "reward-to-go, an episode truncated mid-buffer (boot 4), then one terminated",
                     "a truncated end bootstraps, G_t = r_t + γ boot[t], wherever it sits in the buffer (not only "
                     "at its last row); and the next episode's G must not leak into it.");
    pg_reward_to_go(r, e, NULL, 3, 0.5, g);
    ckx_close_arrayf(g, want_cut, 3, 1e-6, "the same buffer with boot = NULL", NULL);
}
END_TEST

START_TEST(reward_to_go_buffer_cut_mid_episode)
{
    /* γ = 0.5, rewards (1, 2), the buffer ends while the episode continues:
     * treated as truncated: with boot[1] = 5, G_1 = 2 + 0.5·5 = 4.5, G_0 = 1 + 0.5·4.5 = 3.25;
     * without boot, G = (2, 2). */
    const float r[2] = { 1, 2 };
    const int e[2] = { 0, 0 };
    const float boot[2] = { 77, 5 };
    float g[2] = { 0 };
    const float want[2] = { 3.25f, 4.5f }, want_cut[2] = { 2, 2 };
    pg_reward_to_go(r, e, boot, 2, 0.5, g);
    ckx_close_arrayf(g, want, 2, 1e-6, "reward-to-go of a buffer cut mid-episode (boot 5)",
                     "the last row has no next row: if ends[T−1] is PG_CONTINUES, treat it as PG_TRUNCATED.");
    pg_reward_to_go(r, e, NULL, 2, 0.5, g);
    ckx_close_arrayf(g, want_cut, 2, 1e-6, "the same without boot", NULL);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* pg_advantages */

START_TEST(advantages_none_and_value)
{
    const float rtg[4] = { 3, 2, 1, 5 };
    const int e[4] = { 0, 0, PG_TERMINATED, PG_TERMINATED };
    const float v[4] = { 2.5f, 2.5f, 0.5f, 4 };
    float adv[4] = { 0 };
    pg_advantages(PG_BASELINE_NONE, rtg, e, NULL, 4, adv);
    ckx_close_arrayf(adv, rtg, 4, TOL_EXACT, "advantages with no baseline", "PG_BASELINE_NONE: A_t = G_t.");
    const float want[4] = { 0.5f, -0.5f, 0.5f, 1 };
    pg_advantages(PG_BASELINE_VALUE, rtg, e, v, 4, adv);
    ckx_close_arrayf(adv, want, 4, 1e-6, "advantages with a value baseline", "PG_BASELINE_VALUE: A_t = G_t − V(s_t).");
}
END_TEST

START_TEST(advantages_average_leave_one_out)
{
    /* Three episodes, rtg by time index k:
     *   ep 1: 3, 2, 1   ep 2: 5, 4   ep 3 (truncated): 7
     *   k = 0: {3, 5, 7}  -> baselines (5+7)/2 = 6, (3+7)/2 = 5, (3+5)/2 = 4 -> A = −3, 0, 3
     *   k = 1: {2, 4}     -> baselines 4, 2                                 -> A = −2, 2
     *   k = 2: {1} alone  -> baseline 0                                     -> A = 1
     * buffer order: 3 2 1 | 5 4 | 7 */
    float rtg[6] = { 3, 2, 1, 5, 4, 7 };
    const int e[6] = { 0, 0, PG_TERMINATED, 0, PG_TERMINATED, PG_TRUNCATED };
    const float want[6] = { -3, -2, 1, 0, 2, 3 };
    float adv[6] = { 0 };
    pg_advantages(PG_BASELINE_AVERAGE, rtg, e, NULL, 6, adv);
    ckx_close_arrayf(adv, want, 6, 1e-5, "average-baseline advantages (3 episodes)",
                     "b_t = the mean G at the same time index over the OTHER episodes: (S_k − G_t)/(n_k − 1), 0 "
                     "when no other episode reached k. The own return is left out; a truncated end (2) ends an "
                     "episode too.");
    pg_advantages(PG_BASELINE_AVERAGE, rtg, e, NULL, 6, rtg);   /* in place */
    ckx_close_arrayf(rtg, want, 6, 1e-5, "average-baseline advantages computed in place (adv = rtg)",
                     "compute every sum before writing adv: adv may be the rtg array.");
    /* the same returns with the TRUNCATED episode first: 3 2 (truncated) | 5 4 1 | 7
     *   k = 0: {3, 5, 7} -> A = −3, 0, 3;  k = 1: {2, 4} -> A = −2, 2;  k = 2: {1} -> A = 1 */
    const float rtg2[6] = { 3, 2, 5, 4, 1, 7 };
    const int e2[6] = { 0, PG_TRUNCATED, 0, 0, PG_TERMINATED, PG_TERMINATED };
    const float want2[6] = { -3, -2, 0, 2, 1, 3 };
    pg_advantages(PG_BASELINE_AVERAGE, rtg2, e2, NULL, 6, adv);
    ckx_close_arrayf(adv, want2, 6, 1e-5, "average-baseline advantages, an episode truncated mid-buffer",
                     "a truncated end (PG_TRUNCATED) ends an episode too: the next row starts at time index 0 "
                     "(test ends[t] != PG_CONTINUES, not == PG_TERMINATED).");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* pg_normalize_advantages */

START_TEST(normalize_by_hand)
{
    /* (1,2,3,4): mean 2.5, population std √1.25 = 1.1180340: ±0.4472136, ±1.3416408 */
    float a[4] = { 1, 2, 3, 4 };
    const float want[4] = { -1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f };
    pg_normalize_advantages(a, 4, 1e-8);
    ckx_close_arrayf(a, want, 4, 1e-5, "normalised (1, 2, 3, 4)",
                     "subtract the mean, divide by the POPULATION std (1/n, not 1/(n−1)) plus eps.");
    float c[5] = { 7, 7, 7, 7, 7 };
    const float zeros[5] = { 0 };
    pg_normalize_advantages(c, 5, 1e-8);
    ckx_close_arrayf(c, zeros, 5, TOL_EXACT, "normalised constant advantages (7 ×5)",
                     "all equal: (a − mean) = 0 and std = 0, so 0/(0 + eps) = 0; without eps it is NaN.");
}
END_TEST

START_TEST(normalize_moments)
{
    enum { N = 1001 };
    float *a = ckx_alloc(N * sizeof *a);
    Rng rng;
    rng_seed(&rng, 4);
    for (int i = 0; i < N; i++) a[i] = (float)(50.0 + 20.0 * rng_normal(&rng));
    pg_normalize_advantages(a, N, 1e-8);
    double m = 0, v = 0;
    for (int i = 0; i < N; i++) m += a[i];
    m /= N;
    for (int i = 0; i < N; i++) v += (a[i] - m) * (a[i] - m);
    ckx_close(m, 0.0, 1e-5, "mean after normalisation", NULL);
    ckx_close(sqrt(v / N), 1.0, 1e-5, "population std after normalisation", NULL);
    free(a);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* pg_surrogate_grad */

START_TEST(surrogate_grad_by_hand)
{
    /* Categorical, scale 0.5:
     *   row 0: logits (0, 0), action 1, A = 2:   log π = log ½, ∇ = (−½, ½), dparams = −0.5·2·∇ = (0.5, −0.5)
     *   row 1: logits (log 3, 0) -> π = (¾, ¼), action 0, A = −1: ∇ = (¼, −¼), dparams = −0.5·(−1)·∇ = (0.125, −0.125)
     *   L = −0.5·(2 log ½ − log ¾) = 0.5493061 */
    const float params[4] = { 0.0f, 0.0f, (float)log(3.0), 0.0f }, actions[2] = { 1, 0 }, adv[2] = { 2, -1 };
    float dp[4] = { 0 };
    PgDist d = pg_categorical(2);
    double L = pg_surrogate_grad(&d, params, actions, adv, 2, 0.5, dp);
    const float want[4] = { 0.5f, -0.5f, 0.125f, -0.125f };
    ckx_close_arrayf(dp, want, 4, 1e-6, "∂L/∂logits (2 rows)",
                     "∂L/∂params_i = −scale·A_i·∇log π(a_i): the minus makes a descent step on L an ascent on J.");
    ckx_close(L, -0.5 * (2 * log(0.5) - log(0.75)), 1e-6, "surrogate loss L", "L = −scale·Σ_i A_i log π(a_i).");
    /* Gaussian, fixed σ = 0.5, D = 2, μ = 0, x = (0.5, −1), A = 1, scale 1:
     *   ∇_μ log p = (x − μ)/σ² = (2, −4) -> dparams = (−2, 4);
     *   L = −log p = ½(1 + 4) + 2 log 0.5 + log 2π = 2.9515827 */
    PgDist g = pg_gaussian(2, 0.5);
    const float mu[2] = { 0, 0 }, x[2] = { 0.5f, -1.0f }, one = 1.0f;
    float dg[2] = { 0 };
    L = pg_surrogate_grad(&g, mu, x, &one, 1, 1.0, dg);
    const float wantg[2] = { -2.0f, 4.0f };
    ckx_close_arrayf(dg, wantg, 2, 1e-5, "∂L/∂μ (Gaussian action)", "the same code for any PgDist: use pg_dist_logprob.");
    ckx_close(L, 2.5 + 2 * log(0.5) + log(2 * M_PI), 1e-5, "surrogate loss L (Gaussian)", NULL);
}
END_TEST

/* The two-armed bandit: π = softmax(z), arm k pays μ_k + N(0, s²). */
#define BANDIT_S 0.5
static const double bandit_mu[2] = { 1.0, 2.0 };

/* Exact gradient ∇J_k = π_k (μ_k − J) and exact total variance of one
 * estimate ĝ = (r − b)(e_a − π): E‖ĝ‖² − ‖∇J‖² with
 * E‖ĝ‖² = Σ_a π_a ((μ_a − b)² + s²) ‖e_a − π‖². */
static void bandit_exact(const double *p, double b, double grad[2], double *total_var)
{
    double J = p[0] * bandit_mu[0] + p[1] * bandit_mu[1], e2 = 0.0;
    for (int k = 0; k < 2; k++) grad[k] = p[k] * (bandit_mu[k] - J);
    for (int a = 0; a < 2; a++) {
        double n2 = 0.0;
        for (int k = 0; k < 2; k++) n2 += ((k == a) - p[k]) * ((k == a) - p[k]);
        e2 += p[a] * ((bandit_mu[a] - b) * (bandit_mu[a] - b) + BANDIT_S * BANDIT_S) * n2;
    }
    *total_var = e2 - grad[0] * grad[0] - grad[1] * grad[1];
}

/* N_BANDIT one-sample REINFORCE estimates with baseline b (the same arms and
 * rewards for every b: common random numbers). Returns the mean estimate, its
 * standard errors and the measured total variance. */
static void bandit_measure(const float z[2], double b, double mean[2], double se[2], double *total_var)
{
    float *params = ckx_alloc(N_BANDIT * 2 * sizeof *params), *actions = ckx_alloc(N_BANDIT * sizeof *actions);
    float *adv = ckx_alloc(N_BANDIT * sizeof *adv), *dp = ckx_alloc(N_BANDIT * 2 * sizeof *dp);
    Rng rng;
    rng_seed(&rng, 2024);
    for (int i = 0; i < N_BANDIT; i++) {
        params[2 * i] = z[0];
        params[2 * i + 1] = z[1];
        int a = pg_categorical_sample(z, 2, &rng);
        actions[i] = (float)a;
        adv[i] = (float)(bandit_mu[a] + BANDIT_S * rng_normal(&rng) - b);
    }
    PgDist d = pg_categorical(2);
    pg_surrogate_grad(&d, params, actions, adv, N_BANDIT, 1.0, dp);
    for (int i = 0; i < 2 * N_BANDIT; i++) dp[i] = -dp[i];   /* ĝ_i = −∂L_i/∂z */
    *total_var = pg_total_variance(dp, N_BANDIT, 2, NULL);
    for (int k = 0; k < 2; k++) {
        double s = 0.0, ss = 0.0;
        for (int i = 0; i < N_BANDIT; i++) s += dp[2 * i + k];
        s /= N_BANDIT;
        for (int i = 0; i < N_BANDIT; i++) ss += (dp[2 * i + k] - s) * (dp[2 * i + k] - s);
        mean[k] = s;
        se[k] = sqrt(ss / (N_BANDIT - 1) / N_BANDIT);
    }
    free(params); free(actions); free(adv); free(dp);
}

START_TEST(surrogate_grad_bandit_unbiased_and_baseline_lowers_variance)
{
    /* z = (0.3, −0.2): π = (0.6225, 0.3775), J = 1.3775, ∇J = (−0.2350, 0.2350).
     * Exact total variance of one estimate: 1.3548 with b = 0, 0.1246 with b = 1.5. */
    const float z[2] = { 0.3f, -0.2f };
    double p[2];
    ref_softmax(z, 2, p);
    const double baselines[2] = { 0.0, 1.5 };
    double var[2];
    for (int i = 0; i < 2; i++) {
        double exact[2], exact_var, mean[2], se[2];
        bandit_exact(p, baselines[i], exact, &exact_var);
        bandit_measure(z, baselines[i], mean, se, &var[i]);
        for (int k = 0; k < 2; k++) {
            char what[160];
            snprintf(what, sizeof what, "bandit, baseline %g: mean of %d REINFORCE estimates of ∂J/∂z_%d (exact "
                     "π_k(μ_k − J)); tolerance %g standard errors", baselines[i], N_BANDIT, k, SE_BANDIT);
            ckx_close(mean[k], exact[k], SE_BANDIT * se[k] + 1e-9, what,
                      "−∂L/∂z = A·(onehot(a) − π) must average to the true gradient; check the sign and that the "
                      "advantage multiplies the whole score.");
        }
        char what[120];
        snprintf(what, sizeof what, "bandit, baseline %g: total variance of one estimate (trace of covariance)",
                 baselines[i]);
        ckx_rel_close(var[i], exact_var, TOL_VAR_REL, 1e-9, what, NULL);
    }
    ck_assert_msg(var[1] < 0.2 * var[0],
                  "bandit: a constant baseline b = 1.5 (near J) should cut the variance from %.4f to about %.4f "
                  "(exact), got %.4f", var[0], 0.1246, var[1]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* pg_policy_gradient */

/* L(θ) = −scale Σ_i A_i log softmax(policy(s_i))_{a_i}, row by row in double. */
typedef struct { Mlp *net; const float *obs, *actions, *adv; int n; double scale; } NetCtx;
static double net_loss_fn(void *ctx)
{
    NetCtx *c = ctx;
    const int I = c->net->spec.sizes[0], K = c->net->spec.sizes[c->net->spec.n_layers];
    double L = 0.0;
    for (int i = 0; i < c->n; i++) {
        const float *z = mlp_forward(c->net, c->obs + (size_t)i * I, 1, NN_EVAL);
        double p[8];
        ref_softmax(z, K, p);
        L -= c->scale * c->adv[i] * log(p[(int)c->actions[i]]);
    }
    return L;
}

START_TEST(policy_gradient_matches_central_differences)
{
    enum { N = 7, I = 4, K = 3 };
    MlpSpec spec = { .n_layers = 2, .sizes = { I, 6, K }, .act = NN_TANH };
    Rng rng;
    rng_seed(&rng, 77);
    Mlp *net = mlp_create(&spec, 3, &rng);   /* max batch 3 < n = 7: three chunks (3, 3, 1) */
    ck_assert_ptr_nonnull(net);
    float obs[N * I], actions[N], adv[N];
    for (int i = 0; i < N * I; i++) obs[i] = (float)rng_normal(&rng);
    for (int i = 0; i < N; i++) {
        actions[i] = (float)rng_int(&rng, K);
        adv[i] = (float)rng_normal(&rng);
    }
    const double scale = 1.0 / N;
    PgDist d = pg_categorical(K);
    NetCtx c = { net, obs, actions, adv, N, scale };
    double L_ref = net_loss_fn(&c);
    mlp_zero_grad(net);
    double L = pg_policy_gradient(net, &d, obs, actions, adv, N, scale);
    ckx_close(L, L_ref, 1e-5, "surrogate loss over 7 samples (max_batch 3)",
              "sum the chunks' losses; scale is that of the whole batch.");
    float *g = ckx_alloc((size_t)net->n_params * sizeof *g);
    memcpy(g, net->grads, (size_t)net->n_params * sizeof *g);
    double gnorm = 0.0;
    for (int j = 0; j < net->n_params; j++) gnorm += (double)g[j] * g[j];
    ck_assert_msg(sqrt(gnorm) > 1e-3, "the policy gradient is (nearly) all zeros (‖g‖ = %g): backward each chunk "
                                      "with the output gradient from pg_surrogate_grad.", sqrt(gnorm));
    for (int j = 0; j < net->n_params; j++) {
        double fd = central_diff(net->params, j, 1e-2f, net_loss_fn, &c);
        char what[96];
        snprintf(what, sizeof what, "∂L/∂θ_%d (of %d) against a central difference", j, net->n_params);
        ckx_rel_close(g[j], fd, TOL_FD_NET, 1e-3, what,
                      "every chunk of at most max_batch rows: forward, pg_surrogate_grad, backward (grads add up); "
                      "a missing chunk or a per-chunk scale shows here.");
    }
    /* accumulation: a second call without zeroing adds the same gradient again */
    pg_policy_gradient(net, &d, obs, actions, adv, N, scale);
    for (int j = 0; j < net->n_params; j++) g[j] *= 2.0f;
    ckx_close_arrayf(net->grads, g, net->n_params, 1e-5, "grads after two calls without zeroing",
                     "the gradient is ADDED into policy->grads (mlp_backward accumulates); never zero it inside.");
    free(g);
    mlp_free(net);
}
END_TEST

START_TEST(reinforce_learns_cartpole_smoke)
{
    /* End to end: 40 000 steps of the chapter's main method (seed 1) must at
     * least triple the mean return of the first 20 episodes (about 20). */
    PgConfig cfg = pg_default_config(1);
    cfg.max_steps = 40000;
    EpisodeLog log;
    eplog_init(&log);
    pg_train_cartpole(&cfg, 1, &log, NULL, NULL);
    ck_assert_msg(log.n >= 40, "only %d episodes logged", log.n);
    double first = 0, last = 0;
    for (int i = 0; i < 20; i++) { first += log.ret[i] / 20; last += log.ret[log.n - 20 + i] / 20; }
    ck_assert_msg(last > 3 * first,
                  "REINFORCE on CartPole, 40000 steps: mean return %.1f over the first 20 episodes, %.1f over the last "
                  "20; expected at least 3x. Hint: the unit tests above pass? Then check the sign of the surrogate "
                  "gradient (ascent on J) and that the advantages pair with the right rows.", first, last);
    eplog_free(&log);
}
END_TEST

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("06_pg");
    TCase *tc;
    tc = ckx_tcase(s, "pg_categorical_sample", 10);
    tcase_add_test(tc, categorical_sample_is_the_inverse_cdf);
    tcase_add_test(tc, categorical_sample_frequencies);
    tcase_add_test(tc, categorical_sample_large_logits);
    tc = ckx_tcase(s, "pg_categorical_logprob", 5);
    tcase_add_test(tc, categorical_logprob_by_hand);
    tcase_add_test(tc, categorical_logprob_gradient);
    tcase_add_test(tc, categorical_entropy_and_generic_interface);
    tc = ckx_tcase(s, "pg_gaussian_logprob", 5);
    tcase_add_test(tc, gaussian_logprob_closed_form);
    tcase_add_test(tc, gaussian_logprob_gradients);
    tcase_add_test(tc, gaussian_learned_log_std_interface);
    tcase_add_test(tc, gaussian_score_has_mean_zero);
    tc = ckx_tcase(s, "pg_reward_to_go", 5);
    tcase_add_test(tc, reward_to_go_one_episode);
    tcase_add_test(tc, reward_to_go_episode_boundaries);
    tcase_add_test(tc, reward_to_go_truncated_mid_buffer);
    tcase_add_test(tc, reward_to_go_buffer_cut_mid_episode);
    tc = ckx_tcase(s, "pg_advantages", 5);
    tcase_add_test(tc, advantages_none_and_value);
    tcase_add_test(tc, advantages_average_leave_one_out);
    tc = ckx_tcase(s, "pg_normalize_advantages", 5);
    tcase_add_test(tc, normalize_by_hand);
    tcase_add_test(tc, normalize_moments);
    tc = ckx_tcase(s, "pg_surrogate_grad", 10);
    tcase_add_test(tc, surrogate_grad_by_hand);
    tcase_add_test(tc, surrogate_grad_bandit_unbiased_and_baseline_lowers_variance);
    tc = ckx_tcase(s, "pg_policy_gradient", 30);
    tcase_add_test(tc, policy_gradient_matches_central_differences);
    tcase_add_test(tc, reinforce_learns_cartpole_smoke);
    return s;
}
