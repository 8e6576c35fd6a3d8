/* test_11_ddim.c — chapter 11: DDIM's σ_t(η), the update on a sub-sequence,
 * inversion, spherical interpolation.
 *
 * One test case per exercise, named after the function it grades, then the
 * given code (cases named ddim_sample*). The references never trust the code
 * under test:
 *   - schedules from chapter 10's reference code (never your chapter 10
 *     exercises), and closed forms written again here: Eq. 16's σ, DDPM's
 *     posterior mean (Ho et al. eq. 7), the update on a small schedule
 *     worked by hand;
 *   - THE EXACT-SCORE TEST: for data x_0 ~ N(μ, s²) the optimal noise
 *     predictor is ε*(x_t, t) = √(1 − ᾱ_t)·(x_t − √ᾱ_t μ)/(ᾱ_t s² + 1 − ᾱ_t),
 *     so every DDIM step driven by it is affine in x (plus σ·z), and the
 *     η = 0 sampler and the inversion are affine maps this file propagates
 *     exactly, step by step. Few-step DDIM under-disperses even so: the
 *     output variance for x_T ~ N(0, 1), s² = 0.25, linear T = 1000 is about
 *     0.137 at S = 10, 0.186 at S = 20, 0.222 at S = 50, 0.2485 at S = 1000
 *     (COURSE.md "Exact-score facts"). The round trip data → x_T → data is
 *     x_0′ = 0.5474·x_0 + 0.6788 at S = 10 for μ = 1.5 (a separate
 *     computation in Python for this suite), with ε of the inversion taken at
 *     the step it starts from; taken at the target step it would be
 *     0.7242·x_0 + 0.6540, which moves the mean 1.5 to 1.74.
 */
#include "ckx.h"
#include "ddim.h"
#include "ddpm.h"
#include "rng.h"
#include "zoo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_SCHED 1e-12   /* schedule arithmetic in double done two ways */
#define TOL_F32   2e-6    /* float arithmetic of O(1) values done two ways */
#define MC_SE     5.0     /* a Monte Carlo moment may stray this many standard errors */

/* ------------------------------------------------------------------ schedules */

/* The schedules come from chapter 10's reference code (its solutions, which
 * every later chapter links, never your exercises/10_ddpm). */
static Schedule *linear1000(void)
{
    SchedSpec sp = sched_linear_spec(1000, 1);
    return sched_create(&sp);
}

static Schedule *cosine1000(void)
{
    SchedSpec sp = sched_cosine_spec(1000);
    return sched_create(&sp);
}

/* A small schedule from its β_1..β_T (beta[0] unused). */
static Schedule *hand_schedule(const double *beta, int T)
{
    Schedule *s = ckx_alloc(sizeof *s);
    s->T = T;
    double *block = ckx_alloc(4 * sizeof(double) * (T + 1));
    s->beta = block;
    s->alpha = block + (T + 1);
    s->alpha_bar = block + 2 * (T + 1);
    s->beta_tilde = block + 3 * (T + 1);
    memcpy(s->beta, beta, sizeof(double) * (T + 1));
    ddpm_schedule_from_betas(s);
    return s;
}

static void hand_schedule_free(Schedule *s)
{
    free(s->beta);   /* the one block */
    free(s);
}

/* τ_i = ⌊i·T/S⌋ (chapter 10's sched_even_taus) */
static void even_taus(int *taus, int T, int S) { sched_even_taus(taus, T, S); }

/* ------------------------------------------------------------------ the exact score */

typedef struct {
    const Schedule *s;
    double mu, s2;
} ExactScore;

/* ε*(x, t) = e_t·x + c_t with e_t = √(1 − ᾱ_t)/(ᾱ_t s² + 1 − ᾱ_t), c_t = −e_t·√ᾱ_t·μ
 * (at t = 0: 0, since √(1 − ᾱ_0) = 0) */
static void exact_coef(const ExactScore *e, int t, double *et, double *ct)
{
    const double ab = e->s->alpha_bar[t];
    *et = sqrt(1 - ab) / (ab * e->s2 + 1 - ab);
    *ct = -*et * sqrt(ab) * e->mu;
}

static void exact_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    double et, ct;
    exact_coef(ctx, t, &et, &ct);
    for (int i = 0; i < n; i++) eps[i] = (float)(et * x[i] + ct);
}

/* The step t → t2 (either direction) with ε* evaluated at step `at` and
 * noise σ: x ↦ K·x + d + σ·z, from
 *     x2 = √ᾱ_{t2}·(x − √(1 − ᾱ_t)·ε)/√ᾱ_t + √(1 − ᾱ_{t2} − σ²)·ε + σ·z. */
static void exact_step(const ExactScore *e, int t, int t2, int at, double sigma, double *K, double *d)
{
    const double a = sqrt(e->s->alpha_bar[t]), b = sqrt(1 - e->s->alpha_bar[t]), a2 = sqrt(e->s->alpha_bar[t2]);
    const double dir = sqrt(fmax(0, 1 - e->s->alpha_bar[t2] - sigma * sigma)), w = dir - a2 * b / a;
    double et, ct;
    exact_coef(e, at, &et, &ct);
    *K = a2 / a + w * et;
    *d = w * ct;
}

/* Eq. 16, written again */
static double ref_sigma(const Schedule *s, int t, int tp, double eta)
{
    const double a = s->alpha_bar[t], ap = s->alpha_bar[tp];
    return eta * sqrt((1 - ap) / (1 - a) * (1 - a / ap));
}

/* The DDIM sampler with ε* on taus: the affine map x_T ↦ K·x_T + d and the
 * variance V added by its noise, for x_T with mean m0 and variance v0 also
 * the output's mean and variance. */
static void exact_sampler(const ExactScore *e, const int *taus, int S, double eta, double *K, double *d, double *V)
{
    double k = 1, c = 0, v = 0;
    for (int i = S; i >= 1; i--) {
        const int t = taus[i - 1], tp = i > 1 ? taus[i - 2] : 0;
        const double sig = ref_sigma(e->s, t, tp, eta);
        double Ks, ds;
        exact_step(e, t, tp, t, sig, &Ks, &ds);
        k *= Ks;
        c = Ks * c + ds;
        v = Ks * Ks * v + sig * sig;
    }
    *K = k;
    *d = c;
    *V = v;
}

/* The inversion on taus with ε* at the start (at_target = 0) or the target
 * (at_target = 1) of each step: x_0 ↦ K·x_0 + d. */
static void exact_inversion(const ExactScore *e, const int *taus, int S, int at_target, double *K, double *d)
{
    double k = 1, c = 0;
    for (int i = 1; i <= S; i++) {
        const int t = i > 1 ? taus[i - 2] : 0, tn = taus[i - 1];
        double Ks, ds;
        exact_step(e, t, tn, at_target ? tn : t, 0, &Ks, &ds);
        k *= Ks;
        c = Ks * c + ds;
    }
    *K = k;
    *d = c;
}

/* The slope and intercept of a map measured on the points x = −1 and 3. */
static void fit_affine(const float *in, const float *out, double *K, double *d)
{
    *K = ((double)out[1] - out[0]) / ((double)in[1] - in[0]);
    *d = out[0] - *K * in[0];
}

/* ================================================================== ddim_sigma */

/* η = 1 on the full sequence is DDPM's posterior: σ_t² = β̃_t. */
START_TEST(sigma_full_sequence_is_beta_tilde)
{
    for (int kind = 0; kind < 2; kind++) {
        Schedule *s = kind == 0 ? linear1000() : cosine1000();
        double got[1000], want[1000];
        for (int t = 1; t <= 1000; t++) {
            const double sg = ddim_sigma(s, t, t - 1, 1.0);
            got[t - 1] = sg * sg;
            want[t - 1] = s->beta_tilde[t];
        }
        /* relative: β̃ runs from 0 (t = 1) to 0.02 (linear) or 0.999 (cosine) */
        for (int t = 1; t <= 1000; t++) {
            char what[120];
            snprintf(what, sizeof what, "σ_%d(η = 1)² on the full sequence (%s, T = 1000), against β̃_%d", t,
                     kind ? "cosine" : "linear", t);
            ckx_rel_close(got[t - 1], want[t - 1], 1e-9, 1e-300, what,
                          "σ = η·√((1 − ᾱ_{t_prev})/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_{t_prev}) (Eq. 16): at η = 1 and "
                          "t_prev = t − 1 its square is β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t)·β_t. Not η²·(1 − ᾱ_t), which "
                          "is nearly 1 at large t.");
        }
        sched_free(s);
    }
}
END_TEST

START_TEST(sigma_by_hand)
{
    /* β = (0.1, 0.2, 0.5): ᾱ = (0.9, 0.72, 0.36). The stride 3 → 1:
     * σ = η·√(0.1/0.64)·√(1 − 0.36/0.9) = η·0.395285·0.774597 = η·0.306186 */
    double beta[4] = { 0, 0.1, 0.2, 0.5 };
    Schedule *s = hand_schedule(beta, 3);
    const double want = sqrt(0.1 / 0.64) * sqrt(0.6);
    const double got = ddim_sigma(s, 3, 1, 1.0);
    ckx_close(got, want, 1e-12, "σ for the stride t = 3 → t_prev = 1, η = 1 (ᾱ_3 = 0.36, ᾱ_1 = 0.9)",
              fabs(got - 0.8) < 1e-9 ? "you returned η·√(1 − ᾱ_t) = 0.8: σ² = η²(1 − ᾱ_t) is the common mistake. Eq. 16 "
              "is σ = η·√((1 − ᾱ_{t_prev})/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_{t_prev})."
              : "both roots use ᾱ of the two steps of the stride: √((1 − ᾱ_1)/(1 − ᾱ_3))·√(1 − ᾱ_3/ᾱ_1), not β_3 or α_3.");
    ckx_close(ddim_sigma(s, 3, 1, 0.5), 0.5 * want, 1e-12, "σ for t = 3 → 1, η = 0.5", "σ is proportional to η (not η²).");
    ckx_close(ddim_sigma(s, 3, 1, 0.0), 0.0, 0, "σ at η = 0", "η = 0: no noise, the deterministic DDIM.");
    ckx_close(ddim_sigma(s, 2, 0, 1.0), 0.0, 0, "σ for the last step t = 2 → t_prev = 0, η = 1",
              "ᾱ_0 = 1, so 1 − ᾱ_{t_prev} = 0: the last step adds no noise.");
    ckx_close(ddim_sigma(s, 2, 1, 0.2), 0.2 * sqrt(0.1 / 0.28 * 0.2), 1e-12, "σ for t = 2 → 1, η = 0.2 (√β̃_2 · 0.2)", NULL);
    hand_schedule_free(s);
}
END_TEST

/* On strided steps the direction term √(1 − ᾱ_{t_prev} − σ²) stays real for
 * every η <= 1; the wrong σ² = η²(1 − ᾱ_t) makes it imaginary on every
 * strided step at η = 1 (COURSE.md: the first step by −2.3e-4). */
START_TEST(sigma_direction_stays_real)
{
    Schedule *s = linear1000();
    const int Ss[3] = { 10, 50, 1000 };
    int taus[1000];
    for (int k = 0; k < 3; k++) {
        even_taus(taus, 1000, Ss[k]);
        for (int i = Ss[k]; i >= 1; i--) {
            const int t = taus[i - 1], tp = i > 1 ? taus[i - 2] : 0;
            const double sg = ddim_sigma(s, t, tp, 1.0), room = 1 - s->alpha_bar[tp] - sg * sg;
            const double want = ref_sigma(s, t, tp, 1.0);
            char what[120];
            snprintf(what, sizeof what, "σ(η = 1) of the step τ = %d → %d (S = %d)", t, tp, Ss[k]);
            ckx_rel_close(sg, want, 1e-9, 1e-300, what,
                          "Eq. 16 on a stride: the ᾱ of the step you come from (t) and of the one you go to (t_prev).");
            ck_assert_msg(room >= -1e-15, "S = %d, step %d → %d: 1 − ᾱ_{t_prev} − σ² = %.3g < 0: the update's direction "
                          "coefficient would be the root of a negative number", Ss[k], t, tp, room);
        }
    }
    /* the common mistake, for the record: σ² = η²(1 − ᾱ_t) at S = 10 */
    even_taus(taus, 1000, 10);
    const double wrong_first = ddim_direction_sq(s, taus[8], sqrt(1 - s->alpha_bar[1000]));
    ckx_close(wrong_first, -2.3e-4, 0.05e-4, "1 − ᾱ_900 − (1 − ᾱ_1000) (the wrong σ at the first step of S = 10)", NULL);
    sched_free(s);
}
END_TEST

/* ================================================================== ddim_step */

START_TEST(step_by_hand)
{
    /* ᾱ = (0.9, 0.72, 0.36). The stride 3 → 1: x̂_0 = (x − 0.8ε)/0.6,
     * x_1 = √0.9·x̂_0 + √(0.1 − σ²)·ε + σz */
    double beta[4] = { 0, 0.1, 0.2, 0.5 };
    Schedule *s = hand_schedule(beta, 3);
    const float xt[3] = { 1.0f, -0.5f, 2.0f }, eps[3] = { 0.3f, -1.0f, 0.8f }, z[3] = { 1.0f, -2.0f, 0.5f };
    const float znan[3] = { NAN, NAN, NAN };
    float got[3], want[3];
    const double sigmas[3] = { 0.2, sqrt(0.1 / 0.64 * 0.6), 0 };
    for (int k = 0; k < 3; k++) {
        const double sg = sigmas[k];
        for (int i = 0; i < 3; i++) {
            const double x0 = (xt[i] - 0.8 * eps[i]) / 0.6;
            want[i] = (float)(sqrt(0.9) * x0 + sqrt(0.1 - sg * sg) * eps[i] + sg * z[i]);
            got[i] = NAN;
        }
        ddim_step(got, xt, eps, sg > 0 ? z : znan, s, 3, 1, sg, 3);
        char what[120];
        snprintf(what, sizeof what, "x_1 from x_3 (stride 2, ᾱ_3 = 0.36, ᾱ_1 = 0.9), σ = %.4f%s", sg,
                 sg > 0 ? "" : ", z = NaN");
        ckx_close_arrayf(got, want, 3, 1e-5, what,
                         sg > 0 ? "x_prev = √ᾱ_{t_prev}·x̂_0 + √(1 − ᾱ_{t_prev} − σ²)·ε + σ·z, x̂_0 = (x_t − √(1 − ᾱ_t)·ε)/√ᾱ_t: "
                                  "only ᾱ of the two steps (here ᾱ_3 and ᾱ_1), never β_t or α_t."
                                : "with σ = 0 the update is deterministic: do not read z (it is NaN here), and the "
                                  "direction coefficient is √(1 − ᾱ_{t_prev}).");
    }
    /* the last step, 1 → 0: x̂_0 itself (ᾱ_0 = 1), z not read */
    for (int i = 0; i < 3; i++) want[i] = (float)((xt[i] - sqrt(0.1) * eps[i]) / sqrt(0.9));
    ddim_step(got, xt, eps, znan, s, 1, 0, 0.0, 3);
    ckx_close_arrayf(got, want, 3, 1e-5, "x_0 from x_1 (t_prev = 0, σ = 0)",
                     "at t_prev = 0, ᾱ_0 = 1: the result is x̂_0 = (x_1 − √(1 − ᾱ_1)·ε)/√ᾱ_1 exactly (and no z).");
    /* in place, a stride of 1 */
    float x[3];
    memcpy(x, xt, sizeof x);
    for (int i = 0; i < 3; i++) {
        const double x0 = (xt[i] - sqrt(0.28) * eps[i]) / sqrt(0.72);
        want[i] = (float)(sqrt(0.9) * x0 + sqrt(0.1 - 0.01) * eps[i] + 0.1 * z[i]);
    }
    ddim_step(x, x, eps, z, s, 2, 1, 0.1, 3);
    ckx_close_arrayf(x, want, 3, 1e-5, "x_1 from x_2 in place (x_prev == xt), σ = 0.1", "read xt[i] before writing x_prev[i].");
    hand_schedule_free(s);
}
END_TEST

/* With σ² = β̃ of the step, the DDIM update is DDPM's posterior step:
 * mean μ̃ = √ᾱ_{t'}·β′/(1 − ᾱ_t)·x̂_0 + √(ᾱ_t/ᾱ_{t'})·(1 − ᾱ_{t'})/(1 − ᾱ_t)·x_t
 * (Ho et al. eq. 7, with β′ = 1 − ᾱ_t/ᾱ_{t'} on a stride t → t'). */
START_TEST(step_eta1_is_ddpm_posterior)
{
    Schedule *s = linear1000();
    const int pairs[5][2] = { { 1000, 999 }, { 500, 499 }, { 2, 1 }, { 1000, 900 }, { 300, 200 } };
    const float xt[4] = { 1.3f, -0.7f, 0.05f, 2.4f }, eps[4] = { 0.4f, -1.1f, 0.9f, 0.2f }, z[4] = { -0.6f, 1.5f, 0.3f, -1.2f };
    for (int k = 0; k < 5; k++) {
        const int t = pairs[k][0], tp = pairs[k][1];
        const double a = s->alpha_bar[t], ap = s->alpha_bar[tp], bp = 1 - a / ap;
        const double var = (1 - ap) / (1 - a) * bp, sg = sqrt(var);
        float got[4] = { NAN, NAN, NAN, NAN }, want[4];
        for (int i = 0; i < 4; i++) {
            const double x0 = (xt[i] - sqrt(1 - a) * eps[i]) / sqrt(a);
            const double mean = sqrt(ap) * bp / (1 - a) * x0 + sqrt(a / ap) * (1 - ap) / (1 - a) * xt[i];
            want[i] = (float)(mean + sg * z[i]);
        }
        ddim_step(got, xt, eps, z, s, t, tp, sg, 4);
        char what[120];
        snprintf(what, sizeof what, "the step %d → %d with σ² = β̃′ = %.4g, against DDPM's posterior mean + σz", t, tp, var);
        ckx_close_arrayf(got, want, 4, 2e-5, what,
                         "with this σ the DDIM update must equal DDPM's posterior step: check √ᾱ_{t_prev} on x̂_0 and "
                         "√(1 − ᾱ_{t_prev} − σ²) on ε.");
    }
    sched_free(s);
}
END_TEST

/* η = 0 with the exact score: the sampler (given code: ddim_sample, on your
 * ddim_step) is the affine map x_T ↦ K·x_T + d, propagated here; its K² is
 * the output variance for x_T ~ N(0, 1). */
START_TEST(step_exact_score_eta0)
{
    Schedule *s = linear1000();
    ExactScore e = { s, 1.5, 0.25 };
    const int Ss[4] = { 10, 20, 50, 1000 };
    const double course_var[4] = { 0.137, 0.186, 0.222, 0.2485 };   /* COURSE.md, 3 digits */
    int taus[1000];
    for (int k = 0; k < 4; k++) {
        const int S = Ss[k];
        even_taus(taus, 1000, S);
        double K, d, V;
        exact_sampler(&e, taus, S, 0.0, &K, &d, &V);
        char what[160];
        snprintf(what, sizeof what, "the exact η = 0 output variance K² at S = %d (the test's own propagation)", S);
        ckx_close(K * K, course_var[k], S == 1000 ? 0.0006 : 0.0006, what, "the test's reference is wrong: report it.");
        /* x_T on a grid, pushed through your sampler */
        enum { N = 9 };
        float x[N], xT[N], want[N];
        for (int i = 0; i < N; i++) {
            xT[i] = x[i] = (float)(-3.0 + 0.75 * i);
            want[i] = (float)(K * xT[i] + d);
        }
        Rng r;
        rng_seed(&r, 300 + k);
        void *ctx[1] = { &e };
        ddim_sample(x, N, 1, exact_eps, ctx, 1, s, taus, S, 0.0, &r, NULL);
        double worst = 0;
        int wi = 0;
        for (int i = 0; i < N; i++) {
            const double err = fabs(x[i] - want[i]);
            if (!(err <= worst)) { worst = isnan(err) ? INFINITY : err; wi = i; }
        }
        snprintf(what, sizeof what, "η = 0, S = %d (τ_i = ⌊i·1000/S⌋), exact ε* for N(1.5, 0.25): x_0 from x_T = %g "
                 "(exact map %.5f·x_T + %.5f)", S, xT[wi], K, d);
        ckx_close(x[wi], want[wi], 2e-4 * (1 + fabs(want[wi])), what,
                  "the deterministic update x_prev = √ᾱ_{t_prev}·x̂_0 + √(1 − ᾱ_{t_prev})·ε with the ᾱ of the two "
                  "steps of each stride (τ_i and τ_{i−1}), σ = 0 and z not read.");
    }
    sched_free(s);
}
END_TEST

/* η = 1 and η = 0.5 with the exact score: Monte Carlo moments of the sampler
 * against the propagated ones (this also runs your ddim_sigma). */
START_TEST(step_exact_score_stochastic)
{
    enum { N = 20000 };
    Schedule *s = linear1000();
    ExactScore e = { s, 1.5, 0.25 };
    const int Ss[2] = { 10, 50 };
    const double etas[2] = { 1.0, 0.5 };
    int taus[50];
    float *x = ckx_alloc(sizeof(float) * N);
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < 2; j++) {
            const int S = Ss[k];
            even_taus(taus, 1000, S);
            double K, d, V;
            exact_sampler(&e, taus, S, etas[j], &K, &d, &V);
            const double em = d, ev = K * K + V;   /* x_T ~ N(0, 1) */
            Rng r;
            rng_seed(&r, 400 + 2 * k + j);
            for (int i = 0; i < N; i++) x[i] = (float)rng_normal(&r);
            void *ctx[1] = { &e };
            ddim_sample(x, N, 1, exact_eps, ctx, 1, s, taus, S, etas[j], &r, NULL);
            double m = 0, v = 0;
            for (int i = 0; i < N; i++) m += x[i];
            m /= N;
            for (int i = 0; i < N; i++) v += (x[i] - m) * (x[i] - m);
            v /= N - 1;
            char what[160];
            snprintf(what, sizeof what, "mean of %d samples, η = %g, S = %d, exact ε* for N(1.5, 0.25) (exact %.5f)", N,
                     etas[j], S, em);
            ckx_close(m, em, MC_SE * sqrt(ev / N), what, "check ddim_step's coefficients (the by-hand cases first).");
            snprintf(what, sizeof what, "variance of %d samples, η = %g, S = %d, exact ε* for N(1.5, 0.25) (exact %.5f)",
                     N, etas[j], S, ev);
            ckx_close(v, ev, MC_SE * ev * sqrt(2.0 / N), what,
                      "the spread is wrong: σ·z with σ a standard deviation (ddim_sigma), and the direction "
                      "coefficient √(1 − ᾱ_{t_prev} − σ²) shrinks as σ grows.");
        }
    free(x);
    sched_free(s);
}
END_TEST

/* ================================================================== ddim_invert */

/* Which steps ddim_invert asks ε at, and in what order. */
typedef struct {
    int calls, t[64], n;
    int rows;   /* the rows the buffers hold: never write past them */
} CallLog;

static void logging_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    CallLog *c = ctx;
    if (c->calls < 64) c->t[c->calls] = t;
    c->calls++;
    c->n = n;
    for (int i = 0; i < (n < c->rows ? n : c->rows) * 2; i++) eps[i] = 0.1f * x[i];
}

START_TEST(invert_evaluates_eps_at_the_start_step)
{
    Schedule *s = linear1000();
    const int taus[5] = { 200, 400, 600, 800, 1000 };
    CallLog c = { .rows = 3 };
    float x[6] = { 0.5f, -1, 2, 0.25f, -0.75f, 1.5f };
    ddim_invert(x, 3, 2, logging_eps, &c, s, taus, 5);
    ck_assert_msg(c.calls == 5, "ddim_invert called ε %d times for S = 5 steps (want one call per step, 5)", c.calls);
    ck_assert_msg(c.n == 3, "ddim_invert passed n = %d to ε; want the number of ROWS, 3 (ε sees rows of D = 2)", c.n);
    const int want[5] = { 0, 200, 400, 600, 800 };
    for (int i = 0; i < 5; i++)
        ck_assert_msg(c.t[i] == want[i], "call %d of ε was at t = %d; want t = %d. The step τ_{i−1} → τ_i evaluates ε at "
                      "τ_{i−1}, where x is known (0, 200, 400, 600, 800 for τ = 200..1000)%s", i + 1, c.t[i], want[i],
                      c.t[i] == taus[i] ? ": you used the target step τ_i." : ".");
    sched_free(s);
}
END_TEST

/* The inversion alone with ε*: an affine map x_0 ↦ K·x_0 + d, propagated here. */
START_TEST(invert_exact_score)
{
    Schedule *s = linear1000();
    ExactScore e = { s, 1.5, 0.25 };
    const int Ss[3] = { 10, 50, 1000 };
    int taus[1000];
    for (int k = 0; k < 3; k++) {
        const int S = Ss[k];
        even_taus(taus, 1000, S);
        double K, d, Kt, dt;
        exact_inversion(&e, taus, S, 0, &K, &d);
        exact_inversion(&e, taus, S, 1, &Kt, &dt);
        if (S == 10) {   /* the Python computation */
            ckx_close(K, 1.479774, 1e-5, "the exact inversion's slope at S = 10 (test's propagation)", "report it.");
            ckx_close(d, -2.210132, 1e-5, "the exact inversion's intercept at S = 10 (test's propagation)", "report it.");
        }
        float x0[2] = { -1, 3 }, x[2] = { -1, 3 };
        ddim_invert(x, 2, 1, exact_eps, &e, s, taus, S);
        double gK, gd;
        fit_affine(x0, x, &gK, &gd);
        char what[200], hint[300];
        snprintf(hint, sizeof hint, "%s x ← √ᾱ_{τ_i}·x̂_0 + √(1 − ᾱ_{τ_i})·ε with x̂_0 = (x − √(1 − ᾱ_{τ_{i−1}})·ε)/√ᾱ_{τ_{i−1}} "
                 "and ε at τ_{i−1}, for i = 1..S from τ_0 = 0.",
                 fabs(gK - Kt) < 1e-3 * fabs(Kt) ? "This is the map with ε at the TARGET step τ_i: evaluate it at the step "
                 "you start from." : "");
        snprintf(what, sizeof what, "slope of the inversion x_0 → x_T with ε*, S = %d (exact %.6f; with ε at the target "
                 "step it would be %.6f)", S, K, Kt);
        ckx_close(gK, K, 1e-4 * fabs(K), what, hint);
        snprintf(what, sizeof what, "intercept of the inversion x_0 → x_T with ε*, S = %d (exact %.6f)", S, d);
        ckx_close(gd, d, 2e-4 * (1 + fabs(d)), what, hint);
    }
    sched_free(s);
}
END_TEST

/* The round trip data → x_T → data with ε*: x_0′ = K·x_0 + d, near the
 * identity only as S grows; with ε at the start step the mean μ is kept. */
START_TEST(invert_round_trip_exact_score)
{
    Schedule *s = linear1000();
    ExactScore e = { s, 1.5, 0.25 };
    const int Ss[5] = { 10, 20, 50, 100, 1000 };
    int taus[1000];
    double prev_err = INFINITY;
    for (int k = 0; k < 5; k++) {
        const int S = Ss[k];
        even_taus(taus, 1000, S);
        double Ke, de, Ks, ds, V;
        exact_inversion(&e, taus, S, 0, &Ke, &de);
        exact_sampler(&e, taus, S, 0.0, &Ks, &ds, &V);
        const double K = Ks * Ke, d = Ks * de + ds;
        if (S == 10) {   /* the Python computation */
            ckx_close(K, 0.5474, 1e-4, "the exact round trip's slope at S = 10 (test's propagation)", "report it.");
            ckx_close(d, 0.6788, 1e-4, "the exact round trip's intercept at S = 10 (test's propagation)", "report it.");
        }
        ckx_close(K * 1.5 + d, 1.5, 2e-4, "the exact round trip keeps the mean μ = 1.5 (test's propagation)", "report it.");
        float x0[2] = { -1, 3 }, x[2] = { -1, 3 };
        ddim_invert(x, 2, 1, exact_eps, &e, s, taus, S);
        Rng r;
        rng_seed(&r, 500 + k);
        void *ctx[1] = { &e };
        ddim_sample(x, 2, 1, exact_eps, ctx, 1, s, taus, S, 0.0, &r, NULL);
        double gK, gd;
        fit_affine(x0, x, &gK, &gd);
        char what[160];
        snprintf(what, sizeof what, "round trip x_0 → x_T → x_0′ with ε*, S = %d: slope (exact %.5f)", S, K);
        ckx_close(gK, K, 2e-4, what, "run the ddim_step cases first; then the inversion's own cases.");
        snprintf(what, sizeof what, "round trip x_0 → x_T → x_0′ with ε*, S = %d: intercept (exact %.5f)", S, d);
        ckx_close(gd, d, 5e-4, what, "run the ddim_step cases first; then the inversion's own cases.");
        /* the error of the round trip at x_0 = μ ± 2s falls with S */
        const double err = fmax(fabs(gK * 0.5 + gd - 0.5), fabs(gK * 2.5 + gd - 2.5));
        ck_assert_msg(err < prev_err, "the round-trip error at x_0 = μ ± 2s did not fall from %.4g to S = %d (%.4g)",
                      prev_err, S, err);
        prev_err = err;
    }
    ck_assert_msg(prev_err < 0.02, "at S = 1000 the round trip is still %.4g off at x_0 = μ ± 2s", prev_err);
    sched_free(s);
}
END_TEST

/* ================================================================== ddim_slerp */

START_TEST(slerp_by_hand)
{
    /* orthogonal, norm 2: the quarter circle of radius 2 */
    const float a[2] = { 2, 0 }, b[2] = { 0, 2 };
    const double alphas[5] = { 0, 1.0 / 3, 0.5, 0.8, 1 };
    for (int k = 0; k < 5; k++) {
        float got[2] = { NAN, NAN };
        ddim_slerp(got, a, b, alphas[k], 2);
        const float want[2] = { (float)(2 * cos(alphas[k] * M_PI / 2)), (float)(2 * sin(alphas[k] * M_PI / 2)) };
        char what[96];
        snprintf(what, sizeof what, "slerp of (2, 0) and (0, 2) at α = %.3f (θ = π/2)", alphas[k]);
        ckx_close_arrayf(got, want, 2, TOL_F32, what,
                         "out = sin((1 − α)θ)/sin θ·x0 + sin(αθ)/sin θ·x1 with θ = arccos(x0·x1/(‖x0‖‖x1‖)): the "
                         "point moves along the circle, at constant norm 2 (a straight line would dip to √2).");
    }
    /* 60° apart, norms 1 and 3: weights sin(30°)/sin(60°) each at α = 1/2 */
    const float c[3] = { 1, 0, 0 }, d[3] = { 1.5f, 1.5f * (float)sqrt(3.0), 0 };
    float got[3];
    ddim_slerp(got, c, d, 0.5, 3);
    const double w = sin(M_PI / 6) / sin(M_PI / 3);
    const float want[3] = { (float)(w * 1 + w * 1.5), (float)(w * 1.5 * sqrt(3.0)), 0 };
    ckx_close_arrayf(got, want, 3, TOL_F32, "slerp of (1, 0, 0) and (1.5, 1.5√3, 0) at α = 1/2 (θ = 60°, norms 1 and 3)",
                     "θ is the angle between the DIRECTIONS: divide x0·x1 by both norms; the weights multiply the "
                     "vectors as they are (not normalised).");
}
END_TEST

START_TEST(slerp_parallel_and_gaussian)
{
    /* parallel inputs: θ = 0, the straight line, no NaN */
    const float a[3] = { 1, -2, 0.5f }, b[3] = { 2, -4, 1 };
    float got[3], want[3];
    for (int i = 0; i < 3; i++) want[i] = 0.75f * a[i] + 0.25f * b[i];
    ddim_slerp(got, a, b, 0.25, 3);
    ckx_close_arrayf(got, want, 3, 1e-5, "slerp of parallel vectors (b = 2a) at α = 1/4",
                     "for sin θ < 1e-6 use (1 − α)·x0 + α·x1; clamp the cosine to [−1, 1] first (rounding can "
                     "make it 1.0000001, and arccos of that is NaN).");
    ddim_slerp(got, a, a, 0.5, 3);
    ckx_close_arrayf(got, a, 3, 1e-6, "slerp of a vector with itself", "θ = 0: the straight line, which stays at a.");
    /* x1 = 3·x0 rounded to float: in double, x0·x1/(‖x0‖‖x1‖) = 1 + 2.2e-16 */
    const float p0[3] = { -1.062676191329956f, 1.9825793504714966f, -0.11894597113132477f };
    const float p1[3] = { 3 * p0[0], 3 * p0[1], 3 * p0[2] };
    for (int i = 0; i < 3; i++) want[i] = 0.5f * p0[i] + 0.5f * p1[i];
    ddim_slerp(got, p0, p1, 0.5, 3);
    ckx_close_arrayf(got, want, 3, 1e-5, "slerp of x0 and 3·x0 (float), whose cosine rounds to 1.0000000000000002",
                     "clamp the cosine to [−1, 1] before arccos: arccos(1 + 2e-16) is NaN.");
    /* two draws of N(0, I) in 256 dimensions: slerp keeps the norm, lerp would not */
    enum { D = 256 };
    Rng r;
    rng_seed(&r, 600);
    float *x0 = ckx_alloc(3 * D * sizeof *x0), *x1 = x0 + D, *mid = x1 + D;
    double n0 = 0, n1 = 0, nm = 0;
    for (int i = 0; i < D; i++) {
        x0[i] = (float)rng_normal(&r);
        x1[i] = (float)rng_normal(&r);
        n0 += (double)x0[i] * x0[i];
        n1 += (double)x1[i] * x1[i];
    }
    ddim_slerp(mid, x0, x1, 0.5, D);
    for (int i = 0; i < D; i++) nm += (double)mid[i] * mid[i];
    double dot = 0;
    for (int i = 0; i < D; i++) dot += (double)x0[i] * x1[i];
    const double th = acos(dot / sqrt(n0 * n1)), wm = sin(th / 2) / sin(th);
    double want_n = 0;
    for (int i = 0; i < D; i++) {
        const double v = wm * (x0[i] + x1[i]);
        want_n += v * v;
    }
    ckx_close(sqrt(nm), sqrt(want_n), 1e-3 * sqrt(want_n), "‖slerp(x0, x1, 1/2)‖ for two N(0, I) draws in 256-D",
              "the middle of the great circle: weights sin(θ/2)/sin θ on both; its norm stays near √256 = 16, "
              "where the straight line's is about 16/√2.");
    free(x0);
}
END_TEST

/* ================================================================== given code */

/* Parts on threads: the same result as one part with the same generators. */
START_TEST(ddim_sample_parts)
{
    Schedule *s = linear1000();
    ExactScore e = { s, 1.5, 0.25 };
    int taus[20];
    even_taus(taus, 1000, 20);
    enum { N = 200 };
    float (*x)[N] = ckx_alloc(2 * sizeof *x);   /* on the heap: see the note at the end of this test */
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < N; i++) x[k][i] = (float)(-2 + 4.0 * i / N);
        Rng r;
        rng_seed(&r, 700);
        void *ctx[3] = { &e, &e, &e };
        ddim_sample(x[k], N, 1, exact_eps, ctx, 3, s, taus, 20, 0.5, &r, NULL);
    }
    ck_assert_msg(memcmp(x[0], x[1], sizeof x[0]) == 0, "two runs with the same seed and parts differ");
    /* η = 0 is deterministic: the parts do not matter */
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < N; i++) x[k][i] = (float)(-2 + 4.0 * i / N);
        Rng r;
        rng_seed(&r, 701 + k);
        void *ctx[3] = { &e, &e, &e };
        ddim_sample(x[k], N, 1, exact_eps, ctx, k ? 3 : 1, s, taus, 20, 0.0, &r, NULL);
    }
    ck_assert_msg(memcmp(x[0], x[1], sizeof x[0]) == 0, "η = 0 gave different samples with 1 and 3 parts");
    /* encode: parts do not matter either */
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < N; i++) x[k][i] = (float)(-2 + 4.0 * i / N);
        void *ctx[3] = { &e, &e, &e };
        ddim_encode(x[k], N, 1, exact_eps, ctx, k ? 3 : 1, s, taus, 20, NULL);
    }
    ck_assert_msg(memcmp(x[0], x[1], sizeof x[0]) == 0, "ddim_encode gave different results with 1 and 3 parts");
    free(x);
    sched_free(s);
    /* Note: with float x[2][200] on the stack, gcc 12 -O3 -march=native (AVX-512) stored the tail of the
     * vectorised initialisation with an aligned 32-byte move (vmovaps) into a frame it had not aligned
     * to 32: a SIGSEGV in about half the runs, depending on where the environment put the stack. */
}
END_TEST

/* Held-out draws: n distinct rows of the data, the same for the same seed,
 * with class counts that vary as independent draws' do (zoo_data's are
 * exactly balanced). */
START_TEST(zoo_data_independent_draws)
{
    char err[256];
    ZooData a, b, all;
    ck_assert_msg(zoo_data_independent(&a, "moons", 100, 5, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(zoo_data_independent(&b, "moons", 100, 5, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(a.n, 100);
    ck_assert_int_eq(a.dim, 2);
    ck_assert_msg(memcmp(a.x, b.x, sizeof(float) * 200) == 0, "the same seed gave other rows");
    ck_assert_int_eq(zoo_data(&all, "moons", 800, 5, err, sizeof err), 0);
    for (int i = 0; i < 100; i++) {
        int found = 0;
        for (int j = 0; j < 800 && !found; j++)
            found = all.x[2 * j] == a.x[2 * i] && all.x[2 * j + 1] == a.x[2 * i + 1] && all.y[j] == a.y[i];
        ck_assert_msg(found, "row %d is not a row of the 800 drawn with the same seed", i);
        for (int k = 0; k < i; k++)
            ck_assert_msg(a.x[2 * k] != a.x[2 * i] || a.x[2 * k + 1] != a.x[2 * i + 1], "rows %d and %d repeat", k, i);
    }
    int unbalanced = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        ZooData c;
        ck_assert_int_eq(zoo_data_independent(&c, "moons", 100, seed, err, sizeof err), 0);
        int ones = 0;
        for (int i = 0; i < 100; i++) ones += c.y[i];
        unbalanced += ones != 50;
        zoo_data_free(&c);
    }
    ck_assert_msg(unbalanced >= 5, "only %d of 10 draws of 100 moons points have other than 50 of class 1", unbalanced);
    ZooData none;
    ck_assert_int_eq(zoo_data_independent(&none, "no-such-set", 10, 1, err, sizeof err), -1);
    zoo_data_free(&a);
    zoo_data_free(&b);
    zoo_data_free(&all);
}
END_TEST

/* ================================================================== the suite */

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("11_ddim");
    TCase *tc;
    tc = ckx_tcase(s, "ddim_sigma", 5);
    tcase_add_test(tc, sigma_by_hand);
    tcase_add_test(tc, sigma_full_sequence_is_beta_tilde);
    tcase_add_test(tc, sigma_direction_stays_real);
    tc = ckx_tcase(s, "ddim_step", 20);
    tcase_add_test(tc, step_by_hand);
    tcase_add_test(tc, step_eta1_is_ddpm_posterior);
    tcase_add_test(tc, step_exact_score_eta0);
    tcase_add_test(tc, step_exact_score_stochastic);
    tc = ckx_tcase(s, "ddim_invert", 10);
    tcase_add_test(tc, invert_evaluates_eps_at_the_start_step);
    tcase_add_test(tc, invert_exact_score);
    tcase_add_test(tc, invert_round_trip_exact_score);
    tc = ckx_tcase(s, "ddim_slerp", 5);
    tcase_add_test(tc, slerp_by_hand);
    tcase_add_test(tc, slerp_parallel_and_gaussian);
    tc = ckx_tcase(s, "ddim_sample", 10);
    tcase_add_test(tc, ddim_sample_parts);
    tc = ckx_tcase(s, "zoo_data_independent", 10);
    tcase_add_test(tc, zoo_data_independent_draws);
    return s;
}
