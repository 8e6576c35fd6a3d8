/* test_10_ddpm.c — chapter 10: DDPM schedules, forward process, loss, sampler.
 *
 * One test case per exercise, named after the function it grades, then the
 * given code (cases named den_* and sched_*). The references never trust the
 * code under test:
 *   - closed forms written again here in double: both schedules, ᾱ, β̃, the
 *     forward process, the embedding, the sampling step; the facts of
 *     COURSE.md ("Schedules (computed)": ᾱ_T = 4.04e-5 linear at T = 1000,
 *     0.603 at T = 50, 2.43e-9 cosine; 32.7% vs 6.5% of steps with ᾱ < 0.01;
 *     √ᾱ_800 = 0.039 vs 0.31) and small cases worked by hand;
 *   - the loss: its random draws replayed from a copy of the generator, the
 *     noised input and the mean squared error recomputed here, and its
 *     parameter gradient against central differences of that recomputation;
 *   - THE EXACT-SCORE TEST: for data x_0 ~ N(μ, s²) the optimal noise
 *     predictor is known in closed form,
 *         ε*(x_t, t) = √(1 − ᾱ_t)·(x_t − √ᾱ_t μ) / (ᾱ_t s² + 1 − ᾱ_t),
 *     so the sampler driven by it is a linear-Gaussian chain whose output
 *     mean and variance this file propagates exactly, step by step. The
 *     Monte Carlo moments of your sampler must match them (not s² itself:
 *     at T = 1000 the chain gives 0.2508 with σ² = β_t and 0.2461 with β̃_t
 *     for s² = 0.25, COURSE.md "Exact-score facts"), for both schedules.
 *     This grades the sampler without any training.
 */
#include "ckx.h"
#include "ddpm.h"
#include "denoiser.h"
#include "mlp.h"
#include "rng.h"
#include "zoo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_SCHED   1e-12   /* schedule values computed in double two ways */
#define TOL_F32     2e-6    /* float arithmetic of O(1) values done two ways */
#define MC_SE       5.0     /* a Monte Carlo moment may stray this many standard errors */

/* ------------------------------------------------------------------ references, in double */

static void ref_linear(double *beta, int T, double b1, double bT, double scale)
{
    beta[0] = 0;
    for (int t = 1; t <= T; t++) beta[t] = scale * (T == 1 ? b1 : b1 + (bT - b1) * (t - 1) / (T - 1));
}

static double ref_f(double t, int T, double s)
{
    double c = cos((t / T + s) / (1 + s) * M_PI / 2);
    return c * c;
}

static void ref_cosine(double *beta, int T)
{
    beta[0] = 0;
    for (int t = 1; t <= T; t++) beta[t] = fmin(1 - ref_f(t, T, 0.008) / ref_f(t - 1, T, 0.008), 0.999);
}

/* A schedule built here from betas (T + 1), independent of the exercises. */
static Schedule *ref_schedule(const double *beta, int T)
{
    Schedule *s = ckx_alloc(sizeof *s);
    s->T = T;
    s->beta = ckx_alloc(sizeof(double) * (T + 1));
    s->alpha = ckx_alloc(sizeof(double) * (T + 1));
    s->alpha_bar = ckx_alloc(sizeof(double) * (T + 1));
    s->beta_tilde = ckx_alloc(sizeof(double) * (T + 1));
    s->alpha[0] = s->alpha_bar[0] = 1;
    for (int t = 1; t <= T; t++) {
        s->beta[t] = beta[t];
        s->alpha[t] = 1 - beta[t];
        s->alpha_bar[t] = s->alpha_bar[t - 1] * s->alpha[t];
        s->beta_tilde[t] = (1 - s->alpha_bar[t - 1]) / (1 - s->alpha_bar[t]) * beta[t];
    }
    return s;
}

static void ref_schedule_free(Schedule *s)
{
    free(s->beta); free(s->alpha); free(s->alpha_bar); free(s->beta_tilde);
    free(s);
}

/* The schedule arrays of a Schedule the student fills, NaN to start with. */
static Schedule *blank_schedule(int T)
{
    Schedule *s = ref_schedule((double[]){ 0 }, 0);
    free(s->beta); free(s->alpha); free(s->alpha_bar); free(s->beta_tilde);
    s->T = T;
    double **arrays[4] = { &s->beta, &s->alpha, &s->alpha_bar, &s->beta_tilde };
    for (int a = 0; a < 4; a++) {
        *arrays[a] = ckx_alloc(sizeof(double) * (T + 1));
        for (int t = 0; t <= T; t++) (*arrays[a])[t] = NAN;
    }
    return s;
}

/* ================================================================== ddpm_linear_betas */

START_TEST(linear_betas_closed_form)
{
    const int Ts[3] = { 1000, 50, 7 };
    for (int k = 0; k < 3; k++) {
        const int T = Ts[k];
        double *got = ckx_alloc(sizeof(double) * (T + 1)), *want = ckx_alloc(sizeof(double) * (T + 1));
        for (int t = 0; t <= T; t++) got[t] = NAN;
        ddpm_linear_betas(got, T, 1e-4, 0.02);
        ref_linear(want, T, 1e-4, 0.02, 1);
        char what[80];
        snprintf(what, sizeof what, "β_t, t = 0..%d, linear 1e-4..0.02", T);
        ckx_close_array(got, want, T + 1, TOL_SCHED, what,
                        "β_t = β_1 + (t − 1)/(T − 1)·(β_T − β_1) for t = 1..T: beta[1] = β_1 and beta[T] = β_T "
                        "exactly; beta[0] = 0 (arrays are indexed by t, not t − 1).");
        free(got); free(want);
    }
    double one[2] = { NAN, NAN };
    ddpm_linear_betas(one, 1, 0.3, 0.7);
    ckx_close(one[1], 0.3, TOL_SCHED, "β_1 with T = 1", "with T = 1 there is no T − 1 to divide by: β_1.");
    ckx_close(one[0], 0, 0, "beta[0] with T = 1", NULL);
}
END_TEST

/* ================================================================== ddpm_cosine_betas */

START_TEST(cosine_betas_closed_form)
{
    enum { T = 1000 };
    double *got = ckx_alloc(sizeof(double) * (T + 1)), *want = ckx_alloc(sizeof(double) * (T + 1));
    for (int t = 0; t <= T; t++) got[t] = NAN;
    ddpm_cosine_betas(got, T, 0.008, 0.999);
    ref_cosine(want, T);
    ckx_close_array(got, want, T + 1, 1e-12, "cosine β_t, T = 1000",
                    "β_t = min(1 − ᾱ(t)/ᾱ(t − 1), 0.999) with ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T + s)/(1 + s))·π/2); "
                    "divide t by T in double, not in int.");
    ckx_close(got[1], 4.128e-5, 1e-8, "cosine β_1", "COURSE.md: β_1 = 4.1e-5 with s = 0.008.");
    ckx_close(got[T], 0.999, 0, "cosine β_T (capped)",
              "f(T) = cos²(π/2) = 0 makes 1 − ᾱ(T)/ᾱ(T − 1) = 1: the cap max_beta must apply.");
    /* the product of (1 − β) up to t is f(t)/f(0) wherever the cap does not act */
    double abar = 1;
    for (int t = 1; t < T; t++) abar *= 1 - got[t];
    ckx_close(abar, ref_f(T - 1, T, 0.008) / ref_f(0, T, 0.008), 1e-12, "Π_{t<T}(1 − β_t) = ᾱ(T − 1)",
              "β comes from the RATIO of consecutive ᾱ(t), so that the product telescopes back to f(t)/f(0).");
    /* a tighter cap */
    ddpm_cosine_betas(got, 20, 0.008, 0.5);
    double bmax = 0;
    for (int t = 1; t <= 20; t++) bmax = fmax(bmax, got[t]);
    ckx_close(bmax, 0.5, 0, "largest β with the cap 0.5 (T = 20)", "β_t = min(..., max_beta).");
    free(got); free(want);
}
END_TEST

/* ================================================================== ddpm_schedule_from_betas */

START_TEST(schedule_by_hand)
{
    /* β = (0.1, 0.2, 0.5): α = (0.9, 0.8, 0.5), ᾱ = (0.9, 0.72, 0.36),
     * β̃ = (0, 0.1/0.28·0.2, 0.28/0.64·0.5) = (0, 0.0714286, 0.21875) */
    Schedule *s = blank_schedule(3);
    s->beta[1] = 0.1; s->beta[2] = 0.2; s->beta[3] = 0.5;
    ddpm_schedule_from_betas(s);
    const double a[4] = { 1, 0.9, 0.8, 0.5 }, ab[4] = { 1, 0.9, 0.72, 0.36 }, bt[4] = { 0, 0, 0.1 / 0.28 * 0.2, 0.28 / 0.64 * 0.5 };
    ckx_close_array(s->alpha, a, 4, TOL_SCHED, "α_t for β = (0.1, 0.2, 0.5)", "α_t = 1 − β_t, and α_0 = 1.");
    ckx_close_array(s->alpha_bar, ab, 4, TOL_SCHED, "ᾱ_t for β = (0.1, 0.2, 0.5)",
                    "ᾱ_t is the CUMULATIVE product α_1·…·α_t (ᾱ_0 = 1), not α_t itself.");
    ckx_close_array(s->beta_tilde, bt, 4, TOL_SCHED, "β̃_t for β = (0.1, 0.2, 0.5)",
                    "β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t)·β_t; β̃_1 = 0 because ᾱ_0 = 1; β̃_0 = 0.");
    ckx_close(s->beta[0], 0, 0, "beta[0]", "set beta[0] = 0 (t = 0 adds no noise).");
    ref_schedule_free(s);
}
END_TEST

START_TEST(schedule_facts)
{
    /* COURSE.md "Schedules (computed)" */
    const struct { int T; double scale, abar_T, tol; const char *what; } lin[] = {
        { 1000, 1, 4.0358e-5, 1e-8, "ᾱ_T, linear, T = 1000" },
        { 200, 1, 0.132183, 1e-6, "ᾱ_T, linear, T = 200" },
        { 50, 1, 0.602952, 1e-6, "ᾱ_T, linear, T = 50 (x_T is not noise)" },
        { 50, 20, 7.7448e-6, 1e-9, "ᾱ_T, linear scaled by 1000/T, T = 50" },
    };
    for (int k = 0; k < 4; k++) {
        const int T = lin[k].T;
        Schedule *s = blank_schedule(T);
        ref_linear(s->beta, T, 1e-4, 0.02, lin[k].scale);
        ddpm_schedule_from_betas(s);
        ckx_close(s->alpha_bar[T], lin[k].abar_T, lin[k].tol, lin[k].what,
                  "ᾱ_t = Π_{s≤t}(1 − β_s): multiply every α up to and including t.");
        ref_schedule_free(s);
    }
    Schedule *l = blank_schedule(1000), *c = blank_schedule(1000);
    ref_linear(l->beta, 1000, 1e-4, 0.02, 1);
    ref_cosine(c->beta, 1000);
    ddpm_schedule_from_betas(l);
    ddpm_schedule_from_betas(c);
    ckx_close(c->alpha_bar[1000], 2.42877e-9, 1e-13, "ᾱ_T, cosine, T = 1000", "ᾱ_T = ᾱ_{T−1}·(1 − 0.999).");
    int low_l = 0, low_c = 0;
    for (int t = 1; t <= 1000; t++) { low_l += l->alpha_bar[t] < 0.01; low_c += c->alpha_bar[t] < 0.01; }
    ckx_close(low_l, 327, 0, "steps with ᾱ_t < 0.01, linear", NULL);
    ckx_close(low_c, 65, 0, "steps with ᾱ_t < 0.01, cosine", NULL);
    ckx_close(sqrt(l->alpha_bar[800]), 0.0391419, 1e-6, "√ᾱ_800, linear", NULL);
    ckx_close(sqrt(c->alpha_bar[800]), 0.306669, 1e-5, "√ᾱ_800, cosine", NULL);
    /* β̃_t <= β_t always (the posterior is narrower than the step) */
    for (int t = 1; t <= 1000; t++)
        ck_assert_msg(l->beta_tilde[t] <= l->beta[t] * (1 + 1e-12) && l->beta_tilde[t] >= 0,
                      "β̃_%d = %g is not in [0, β_t = %g]", t, l->beta_tilde[t], l->beta[t]);
    ref_schedule_free(l);
    ref_schedule_free(c);
}
END_TEST

/* ================================================================== ddpm_q_sample */

START_TEST(q_sample_by_hand)
{
    /* ᾱ = (1, 0.64, 0.36, 0): rows at t = 1, 0, 3, 2 */
    double beta[4] = { 0, 0.36, 0.4375, 1 };   /* α = 0.64, 0.5625, 0 → ᾱ = 0.64, 0.36, 0 */
    Schedule *s = ref_schedule(beta, 3);
    const float x0[8] = { 1, -2, 3, 4, 0.5f, 0.5f, -1, 2 }, eps[8] = { 0.5f, 1, -1, 2, 3, -3, 1, 1 };
    const int t[4] = { 1, 0, 3, 2 };
    float xt[8];
    for (int i = 0; i < 8; i++) xt[i] = NAN;
    ddpm_q_sample(xt, x0, eps, t, s, 4, 2);
    const float want[8] = { 0.8f * 1 + 0.6f * 0.5f, 0.8f * -2 + 0.6f * 1, 3, 4, 3, -3, 0.6f * -1 + 0.8f * 1, 0.6f * 2 + 0.8f * 1 };
    ckx_close_arrayf(xt, want, 8, TOL_F32, "x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, rows at t = 1, 0, 3, 2 (ᾱ = 0.64, 1, 0, 0.36)",
                     "every ROW has its own t[i]; use √ᾱ and √(1 − ᾱ) (standard deviations, not variances), with "
                     "ᾱ_t the cumulative product alpha_bar[t].");
    /* in place, xt == x0 */
    float y[8];
    memcpy(y, x0, sizeof y);
    ddpm_q_sample(y, y, eps, t, s, 4, 2);
    ckx_close_arrayf(y, want, 8, TOL_F32, "x_t computed in place (xt == x0)", "read x0[k] before writing xt[k].");
    ref_schedule_free(s);
}
END_TEST

/* x_0 ~ N(μ, s²) gives x_t ~ N(√ᾱ μ, ᾱ s² + 1 − ᾱ): the moments of many noised points. */
START_TEST(q_sample_moments)
{
    enum { N = 40000, T = 1000 };
    double beta[T + 1];
    ref_linear(beta, T, 1e-4, 0.02, 1);
    Schedule *s = ref_schedule(beta, T);
    Rng r;
    rng_seed(&r, 101);
    float *x0 = ckx_alloc(sizeof(float) * N), *eps = ckx_alloc(sizeof(float) * N), *xt = ckx_alloc(sizeof(float) * N);
    int *t = ckx_alloc(sizeof(int) * N);
    const double mu = 1.5, sd = 0.5;
    const int steps[3] = { 10, 300, 900 };
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < N; i++) {
            x0[i] = (float)(mu + sd * rng_normal(&r));
            eps[i] = (float)rng_normal(&r);
            t[i] = steps[k];
        }
        ddpm_q_sample(xt, x0, eps, t, s, N, 1);
        double m = 0, v = 0;
        for (int i = 0; i < N; i++) m += xt[i];
        m /= N;
        for (int i = 0; i < N; i++) v += (xt[i] - m) * (xt[i] - m);
        v /= N - 1;
        const double ab = s->alpha_bar[steps[k]], wm = sqrt(ab) * mu, wv = ab * sd * sd + 1 - ab;
        char what[80];
        snprintf(what, sizeof what, "mean of x_%d for x_0 ~ N(1.5, 0.25)", steps[k]);
        ckx_close(m, wm, MC_SE * sqrt(wv / N), what, "E[x_t] = √ᾱ_t·E[x_0].");
        snprintf(what, sizeof what, "variance of x_%d for x_0 ~ N(1.5, 0.25)", steps[k]);
        ckx_close(v, wv, MC_SE * wv * sqrt(2.0 / N), what, "Var[x_t] = ᾱ_t·s² + (1 − ᾱ_t).");
    }
    free(x0); free(eps); free(xt); free(t);
    ref_schedule_free(s);
}
END_TEST

/* ================================================================== ddpm_sinusoidal_embedding */

START_TEST(embedding_by_hand)
{
    /* F = 2: ω = (1, 10⁻⁴); v = (1, −2), scale 3: arguments 3·v·ω */
    const float v[2] = { 1, -2 };
    float out[8];
    for (int i = 0; i < 8; i++) out[i] = NAN;
    ddpm_sinusoidal_embedding(out, v, 2, 2, 3.0f);
    const float want[8] = { (float)sin(3), (float)sin(3e-4), (float)cos(3), (float)cos(3e-4),
                            (float)sin(-6), (float)sin(-6e-4), (float)cos(-6), (float)cos(-6e-4) };
    ckx_close_arrayf(out, want, 8, TOL_F32, "embedding of v = (1, −2), F = 2, scale 3",
                     "ω_k = exp(−ln(10⁴)·k/(F − 1)): ω_0 = 1, ω_{F−1} = 10⁻⁴; each row is [sin(3·v·ω_0), "
                     "sin(3·v·ω_1), cos(3·v·ω_0), cos(3·v·ω_1)]: all the sines first, then the cosines.");
}
END_TEST

START_TEST(embedding_matches_reference)
{
    enum { B = 5, F = 64 };
    const float v[B] = { 0, 0.37f, -1.9f, 3.5f, 1000 };
    const float scales[2] = { 1, 25 };
    float *out = ckx_alloc(sizeof(float) * B * 2 * F), *want = ckx_alloc(sizeof(float) * B * 2 * F);
    for (int sc = 0; sc < 2; sc++) {
        ddpm_sinusoidal_embedding(out, v, B, F, scales[sc]);
        double worst = 0;
        int wi = 0;
        for (int i = 0; i < B; i++)
            for (int k = 0; k < F; k++) {
                const double w = exp(-log(1e4) * k / (F - 1)), a = (double)scales[sc] * v[i] * w;
                want[i * 2 * F + k] = (float)sin(a);
                want[i * 2 * F + F + k] = (float)cos(a);
                /* float rounding of the argument: ~6e-8·|a| */
                for (int h = 0; h < 2; h++) {
                    const int j = i * 2 * F + h * F + k;
                    double e = fabs(out[j] - want[j]) / (1e-6 + 2e-7 * fabs(a));
                    if (!(e <= worst)) { worst = isnan(e) ? INFINITY : e; wi = j; }
                }
            }
        char what[96];
        snprintf(what, sizeof what, "embedding (5 values incl. t = 1000, F = 64, scale %g), element %d", scales[sc], wi);
        ckx_close(out[wi], want[wi], (1e-6 + 2e-7 * fabs((double)scales[sc] * v[wi / (2 * F)])) * 4, what,
                  "64 frequencies from 1 down to 10⁻⁴, geometric: ω_k = exp(−ln(10⁴)·k/63).");
    }
    free(out); free(want);
}
END_TEST

/* ================================================================== ddpm_loss */

/* A small class-conditional denoiser: 2-D, raw x, F = 3, 2 hidden layers of 8. */
static Denoiser *small_den(int n_classes, float x_scale, uint64_t seed)
{
    DenSpec s = { .dim = 2, .hidden = 8, .depth = 2, .act = NN_TANH, .freqs = 3, .t_scale = 0.01f,
                  .x_scale = x_scale, .n_classes = n_classes };
    Rng r;
    rng_seed(&r, seed);
    Denoiser *d = den_create(&s, 8, &r);
    ck_assert_ptr_nonnull(d);
    for (int l = 0; l < d->net->spec.n_layers; l++)
        for (int o = 0; o < d->net->spec.sizes[l + 1]; o++) d->net->b[l][o] = (float)(0.3 * rng_normal(&r));
    return d;
}

/* The loss recomputed here from a replay of the draws: t_i = 1 + rng_int(T)
 * for every row, then the B·D normals; x_t in double; the network's output
 * (den_forward, given code) on the float x_t; the mean squared error in double. */
typedef struct {
    Denoiser *d;
    const float *x0;
    const int *cls;
    int B;
    const Schedule *s;
    DdpmPred pred;
    Rng rng;   /* the generator as ddpm_loss received it */
} LossCase;

static double ref_loss(const LossCase *c, int *t_out)
{
    Rng r = c->rng;
    const int B = c->B, D = 2;
    int t[8] = { 0 };
    float eps[16] = { 0 }, xt[16] = { 0 };
    for (int i = 0; i < B; i++) t[i] = 1 + rng_int(&r, c->s->T);
    for (int k = 0; k < B * D; k++) eps[k] = (float)rng_normal(&r);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < D; j++) {
            const double ab = c->s->alpha_bar[t[i]];
            xt[i * D + j] = (float)(sqrt(ab) * c->x0[i * D + j] + sqrt(1 - ab) * eps[i * D + j]);
        }
    const float *out = den_forward(c->d, xt, t, c->cls, B, NN_EVAL);
    double L = 0;
    for (int k = 0; k < B * D; k++) {
        const double target = c->pred == DDPM_PRED_EPS ? eps[k] : c->x0[k], r2 = out[k] - target;
        L += r2 * r2;
    }
    if (t_out) memcpy(t_out, t, sizeof(int) * B);
    return L / (B * D);
}

static void check_loss(DdpmPred pred)
{
    enum { B = 6, T = 50 };
    double beta[T + 1];
    ref_linear(beta, T, 1e-4, 0.02, 20);
    Schedule *s = ref_schedule(beta, T);
    Denoiser *d = small_den(3, 0, 90 + pred);
    const float x0[2 * B] = { 1, -1, 0.5f, 2, -1.5f, 0.2f, 0, 0, 1.2f, -0.7f, -0.3f, 0.9f };
    const int cls[B] = { 0, 2, DEN_NO_CLASS, 1, 1, 0 };
    Rng r;
    rng_seed(&r, 91);
    LossCase c = { d, x0, cls, B, s, pred, r };
    DdpmWork *w = ddpm_work_create(8, 2);
    mlp_zero_grad(d->net);
    float L = ddpm_loss(d, x0, cls, B, s, pred, w, &r);
    int t[B];
    double want = ref_loss(&c, t);
    const char *target = pred == DDPM_PRED_EPS ? "ε" : "x_0";
    char what[120];
    snprintf(what, sizeof what, "L = mean (%s − net(x_t, t, c))² over 6 rows × 2 (t = %d, %d, %d, %d, %d, %d)", target,
             t[0], t[1], t[2], t[3], t[4], t[5]);
    ckx_close(L, want, 1e-5 * fmax(1, want), what,
              "draw the B timesteps first (1 + rng_int(rng, T)), then the B·D normals; noise x_0 with "
              "ddpm_q_sample; pass cls to den_forward; the MEAN over all B·D squared errors (nn_mse).");
    /* the generator advanced by exactly those draws */
    Rng after = c.rng;
    for (int i = 0; i < B; i++) rng_int(&after, T);
    for (int k = 0; k < 2 * B; k++) rng_normal(&after);
    ck_assert_msg(memcmp(after.s, r.s, sizeof r.s) == 0 && after.has_spare == r.has_spare,
                  "ddpm_loss drew a different number of random numbers than B timesteps and B·D normals");
    /* the parameter gradient against central differences of ref_loss */
    const int N = d->net->n_params;
    float *g = ckx_alloc(sizeof(float) * N);
    memcpy(g, d->net->grads, sizeof(float) * N);
    double worst = 0, gmax = 0, nmax = 0;
    int wi = 0;
    double wnum = 0;
    for (int i = 0; i < N; i++) {
        float *p = &d->net->params[i], keep = *p, h = 1e-3f * fmaxf(1, fabsf(keep));
        *p = keep + h;
        double up = *p, lp = ref_loss(&c, NULL);
        *p = keep - h;
        double dn = *p, lm = ref_loss(&c, NULL);
        *p = keep;
        double num = (lp - lm) / (up - dn), e = fabs(g[i] - num) / fmax(fmax(fabs(g[i]), fabs(num)), 1e-2);
        gmax = fmax(gmax, fabs(g[i]));
        nmax = fmax(nmax, fabs(num));
        if (!(e <= worst)) { worst = isnan(e) ? INFINITY : e; wi = i; wnum = num; }
    }
    ck_assert_msg(nmax > 0, "the central differences of the loss are all zero");
    ck_assert_msg(gmax > 0, "ddpm_loss left every parameter gradient at 0 (largest |central difference| %.3g). Hint: "
                  "call den_backward(net, w->dpred) with ∂L/∂output = 2(output − target)/(B·D).", nmax);
    ck_assert_msg(worst < 2e-2, "∂L/∂θ[%d] (worst of %d): central difference %.6g, yours %.6g (relative error %.2g). "
                  "Hint: ∂L/∂output = 2(output − target)/(B·D) (the 1/(B·D) of the mean), then den_backward; the "
                  "gradients are ADDED (zeroing is the caller's).", wi, N, wnum, g[wi], worst);
    free(g);
    ddpm_work_free(w);
    den_free(d);
    ref_schedule_free(s);
}

START_TEST(loss_eps_prediction) { check_loss(DDPM_PRED_EPS); }
END_TEST
START_TEST(loss_x0_prediction) { check_loss(DDPM_PRED_X0); }
END_TEST

/* ================================================================== ddpm_step */

START_TEST(step_by_hand)
{
    /* T = 3, β = (0.1, 0.2, 0.5): α = (0.9, 0.8, 0.5), ᾱ = (0.9, 0.72, 0.36), β̃_3 = 0.21875, β̃_2 = 0.0714286 */
    double beta[4] = { 0, 0.1, 0.2, 0.5 };
    Schedule *s = ref_schedule(beta, 3);
    const float xt[3] = { 1.0f, -0.5f, 2.0f }, eps[3] = { 0.3f, -1.0f, 0.8f }, z[3] = { 1.0f, -2.0f, 0.5f };
    float got[3], want[3];
    for (int var = 0; var < 2; var++) {
        /* t = 3: μ = (x − 0.5/√0.64·ε)/√0.5 = (x − 0.625ε)·√2 */
        const double sigma = sqrt(var == DDPM_VAR_BETA ? 0.5 : 0.21875);
        for (int i = 0; i < 3; i++) want[i] = (float)((xt[i] - 0.625 * eps[i]) * sqrt(2.0) + sigma * z[i]);
        for (int i = 0; i < 3; i++) got[i] = NAN;
        ddpm_step(got, xt, eps, z, 3, s, (DdpmVar)var, 3);
        ckx_close_arrayf(got, want, 3, 1e-5, var == DDPM_VAR_BETA ? "x_2 from x_3, σ² = β_3 = 0.5"
                                                                  : "x_2 from x_3, σ² = β̃_3 = 0.21875",
                         "μ = (x_t − β_t/√(1 − ᾱ_t)·ε)/√α_t with the CUMULATIVE ᾱ_t = 0.36 under the root "
                         "(√(1 − 0.36) = 0.8) and the step's α_t = 0.5 outside; then + σ_t·z, σ_t = √β_t or √β̃_t.");
    }
    /* t = 2 with β̃: μ = (x − 0.2/√0.28·ε)/√0.8, σ = √(0.1/0.28·0.2) */
    for (int i = 0; i < 3; i++)
        want[i] = (float)((xt[i] - 0.2 / sqrt(0.28) * eps[i]) / sqrt(0.8) + sqrt(0.1 / 0.28 * 0.2) * z[i]);
    ddpm_step(got, xt, eps, z, 2, s, DDPM_VAR_BETA_TILDE, 3);
    ckx_close_arrayf(got, want, 3, 1e-5, "x_1 from x_2, σ² = β̃_2", "index the schedule with t itself: beta[t], alpha_bar[t].");
    /* t = 1: no noise; z is not read (NaN here) */
    const float znan[3] = { NAN, NAN, NAN };
    for (int i = 0; i < 3; i++) want[i] = (float)((xt[i] - 0.1 / sqrt(0.1) * eps[i]) / sqrt(0.9));
    for (int var = 0; var < 2; var++) {
        ddpm_step(got, xt, eps, znan, 1, s, (DdpmVar)var, 3);
        ckx_close_arrayf(got, want, 3, 1e-5, "x_0 from x_1 (z = NaN)",
                         "at t = 1 return the mean μ alone: no noise at the last step (and do not read z).");
    }
    /* in place */
    float x[3];
    memcpy(x, xt, sizeof x);
    ddpm_step(x, x, eps, znan, 1, s, DDPM_VAR_BETA, 3);
    ckx_close_arrayf(x, want, 3, 1e-5, "the last step in place (x_prev == xt)", "read xt[i] before writing x_prev[i].");
    ref_schedule_free(s);
}
END_TEST

/* The exact-score test. ε*(x, t) = a_t·x + c_t with
 *     a_t = √(1 − ᾱ_t)/(ᾱ_t s² + 1 − ᾱ_t),  c_t = −a_t √ᾱ_t μ,
 * so a step x ← (x − k₁ε*)/√α_t + σz maps N(m, v) to N(K m + d, K² v + σ²)
 * with K = (1 − k₁ a_t)/√α_t, d = −k₁ c_t/√α_t, k₁ = β_t/√(1 − ᾱ_t). */
typedef struct {
    const Schedule *s;
    double mu, s2;
} ExactScore;

static void exact_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    const ExactScore *e = ctx;
    const double ab = e->s->alpha_bar[t], a = sqrt(1 - ab) / (ab * e->s2 + 1 - ab), c = -a * sqrt(ab) * e->mu;
    for (int i = 0; i < n; i++) eps[i] = (float)(a * x[i] + c);
}

static void exact_moments(const Schedule *s, DdpmVar var, double mu, double s2, double *mean, double *variance)
{
    double m = 0, v = 1;   /* x_T ~ N(0, 1) */
    for (int t = s->T; t >= 1; t--) {
        const double ab = s->alpha_bar[t], a = sqrt(1 - ab) / (ab * s2 + 1 - ab), c = -a * sqrt(ab) * mu;
        const double k1 = s->beta[t] / sqrt(1 - ab), K = (1 - k1 * a) / sqrt(s->alpha[t]), d = -k1 * c / sqrt(s->alpha[t]);
        const double sig2 = t == 1 ? 0 : var == DDPM_VAR_BETA ? s->beta[t] : s->beta_tilde[t];
        m = K * m + d;
        v = K * K * v + sig2;
    }
    *mean = m;
    *variance = v;
}

START_TEST(step_exact_score_gaussian)
{
    enum { T = 1000, N = 20000 };
    const double mu = 1.5, s2 = 0.25;
    double beta[T + 1];
    float *x = ckx_alloc(sizeof(float) * N);
    for (int kind = 0; kind < 2; kind++) {
        if (kind == 0) ref_linear(beta, T, 1e-4, 0.02, 1);
        else ref_cosine(beta, T);
        Schedule *s = ref_schedule(beta, T);
        ExactScore e = { s, mu, s2 };
        for (int var = 0; var < 2; var++) {
            double em, ev;
            exact_moments(s, (DdpmVar)var, mu, s2, &em, &ev);
            /* the propagation itself against COURSE.md's independent numbers */
            if (kind == 0)
                ckx_close(ev, var == DDPM_VAR_BETA ? 0.250752 : 0.246125, 1e-6, "exact output variance (the test's own "
                          "propagation, linear T = 1000)", "the test's reference is wrong: report it.");
            Rng r;
            rng_seed(&r, 200 + 2 * kind + var);
            void *ctx[1] = { &e };
            den_sample(x, N, 1, exact_eps, ctx, 1, s, (DdpmVar)var, &r, NULL, NULL, NULL, 1);
            double m = 0, v = 0;
            for (int i = 0; i < N; i++) m += x[i];
            m /= N;
            for (int i = 0; i < N; i++) v += (x[i] - m) * (x[i] - m);
            v /= N - 1;
            char what[160];
            const char *sched = kind ? "cosine" : "linear", *vn = var == DDPM_VAR_BETA ? "β_t" : "β̃_t";
            snprintf(what, sizeof what, "mean of %d samples, exact ε* for N(1.5, 0.25), %s T = 1000, σ² = %s "
                     "(exact propagation %.5f)", N, sched, vn, em);
            ckx_close(m, em, MC_SE * sqrt(ev / N), what,
                      "the chain drifts: check μ = (x_t − β_t/√(1 − ᾱ_t)·ε)/√α_t, with ᾱ (cumulative) under the root.");
            snprintf(what, sizeof what, "variance of %d samples, exact ε* for N(1.5, 0.25), %s T = 1000, σ² = %s "
                     "(exact propagation %.5f)", N, sched, vn, ev);
            ckx_close(v, ev, MC_SE * ev * sqrt(2.0 / N), what,
                      "the spread is wrong: σ_t = √β_t or √β̃_t (a standard deviation, not the variance), no noise "
                      "at t = 1, and μ's coefficients as in the hint above.");
        }
        ref_schedule_free(s);
    }
    free(x);
}
END_TEST

/* ================================================================== ddpm_x0_from_eps */

START_TEST(x0_from_eps_by_hand_and_round_trip)
{
    double beta[4] = { 0, 0.1, 0.2, 0.5 };   /* ᾱ = 0.9, 0.72, 0.36 */
    Schedule *s = ref_schedule(beta, 3);
    const float xt[2] = { 1.0f, -0.4f }, eps[2] = { 0.5f, 2.0f };
    float got[2] = { NAN, NAN };
    ddpm_x0_from_eps(got, xt, eps, 3, s, 2);
    const float want[2] = { (float)((1.0 - 0.8 * 0.5) / 0.6), (float)((-0.4 - 0.8 * 2.0) / 0.6) };
    ckx_close_arrayf(got, want, 2, 1e-5, "x̂_0 at t = 3 (ᾱ_3 = 0.36)", "x̂_0 = (x_t − √(1 − ᾱ_t)·ε)/√ᾱ_t.");
    /* q_sample's inverse: x_0 → x_t with ε → x̂_0 = x_0, at every t */
    const float x0[2] = { 0.7f, -1.3f };
    for (int t = 1; t <= 3; t++) {
        const double ab = s->alpha_bar[t];
        float x[2];
        for (int i = 0; i < 2; i++) x[i] = (float)(sqrt(ab) * x0[i] + sqrt(1 - ab) * eps[i]);
        ddpm_x0_from_eps(x, x, eps, t, s, 2);
        ckx_close_arrayf(x, x0, 2, 1e-5, "x̂_0 of a point noised with the same ε (in place)",
                         "it inverts x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε exactly when ε is the true noise.");
    }
    ref_schedule_free(s);
}
END_TEST

/* ================================================================== given code */

/* The features: [x | emb(t) | one-hot(c)] and [emb(x_1) | emb(x_2) | emb(t)]. */
START_TEST(den_features_layout)
{
    Denoiser *d = small_den(3, 0, 120);
    ck_assert_int_eq(d->n_feat, 2 + 6 + 4);
    const float x[4] = { 0.5f, -2, 1.5f, 3 };
    const int t[2] = { 7, 40 }, cls[2] = { 2, DEN_NO_CLASS };
    den_forward(d, x, t, cls, 2, NN_EVAL);
    for (int i = 0; i < 2; i++) {
        const float *f = d->feat + i * d->n_feat;
        ck_assert_msg(f[0] == x[2 * i] && f[1] == x[2 * i + 1], "row %d: the raw x must come first", i);
        for (int k = 0; k < 3; k++) {
            const double a = 0.01 * t[i] * exp(-log(1e4) * k / 2);
            ckx_close(f[2 + k], sin(a), 1e-6, "emb(t) sines after x", "runs on your ddpm_sinusoidal_embedding");
            ckx_close(f[5 + k], cos(a), 1e-6, "emb(t) cosines", "runs on your ddpm_sinusoidal_embedding");
        }
        for (int c = 0; c < 4; c++)
            ck_assert_msg(f[8 + c] == ((i == 0 ? c == 2 : c == 3) ? 1.0f : 0.0f),
                          "row %d: one-hot column %d is %g (class %d; 'no class' is column K = 3)", i, c, f[8 + c], cls[i]);
    }
    den_free(d);
    /* [x | emb(x_1) | emb(x_2) | emb(t)], and without the raw x (tiny-diffusion) */
    d = small_den(0, 25, 121);
    ck_assert_int_eq(d->n_feat, 2 + 6 + 6 + 6);
    den_forward(d, x, t, NULL, 2, NN_EVAL);
    ck_assert_msg(d->feat[d->n_feat] == x[2], "row 1 starts with the raw x");
    ckx_close(d->feat[d->n_feat + 2 + 6 + 1], sin(25.0 * 3 * exp(-log(1e4) / 2)), 1e-5, "sin(25·x_2·ω_1) of row 1", NULL);
    DenSpec only = d->spec;
    only.x_embed_only = 1;
    den_free(d);
    d = den_create(&only, 2, NULL);
    ck_assert_int_eq(d->n_feat, 6 + 6 + 6);
    den_forward(d, x, t, NULL, 2, NN_EVAL);
    ckx_close(d->feat[d->n_feat + 6 + 1], sin(25.0 * 3 * exp(-log(1e4) / 2)), 1e-5, "sin(25·x_2·ω_1) of row 1, "
              "embedding only", NULL);
    den_free(d);
}
END_TEST

/* ∂L/∂x through the coordinate embeddings against central differences. */
START_TEST(den_input_grad_central_differences)
{
    const float scales[3] = { 0, 2, 2 };
    for (int sc = 0; sc < 3; sc++) {
        Denoiser *d = small_den(2, scales[sc], 122 + sc);
        if (sc == 2) {   /* the embedding alone */
            DenSpec only = d->spec;
            only.x_embed_only = 1;
            den_free(d);
            Rng ri;
            rng_seed(&ri, 124);
            d = den_create(&only, 8, &ri);
        }
        Rng r;
        rng_seed(&r, 123);
        float x[8], c[8], dx[8];
        const int t[4] = { 3, 17, 60, 99 }, cls[4] = { 0, 1, DEN_NO_CLASS, 1 };
        for (int i = 0; i < 8; i++) { x[i] = (float)rng_normal(&r); c[i] = (float)rng_normal(&r); }
        den_forward(d, x, t, cls, 4, NN_EVAL);
        den_input_grad(d, c, dx);
        double num[8];
        for (int i = 0; i < 8; i++) {
            float keep = x[i], h = 1e-3f;
            double L[2], step[2];
            for (int sgn = 0; sgn < 2; sgn++) {
                x[i] = keep + (sgn ? -h : h);
                step[sgn] = x[i];
                const float *y = den_forward(d, x, t, cls, 4, NN_EVAL);
                L[sgn] = 0;
                for (int k = 0; k < 8; k++) L[sgn] += (double)c[k] * y[k];
            }
            x[i] = keep;
            num[i] = (L[0] - L[1]) / (step[0] - step[1]);
        }
        for (int i = 0; i < 8; i++) {
            char what[96];
            snprintf(what, sizeof what, "∂L/∂x[%d], %s", i, sc == 0 ? "x raw" : sc == 1 ? "x raw + embedded (scale 2)"
                     : "x embedded only (scale 2)");
            ckx_rel_close(dx[i], num[i], 2e-2, 5e-2, what, NULL);
        }
        den_free(d);
    }
}
END_TEST

/* Respacing keeps ᾱ at the kept steps; S = T gives the schedule back. */
START_TEST(sched_respace_keeps_alpha_bar)
{
    SchedSpec sp = sched_linear_spec(1000, 1);
    Schedule *s = sched_create(&sp);
    int taus[10];
    sched_even_taus(taus, 1000, 10);
    ck_assert_int_eq(taus[0], 100);
    ck_assert_int_eq(taus[9], 1000);
    Schedule *r = sched_respace(s, taus, 10);
    ck_assert_ptr_nonnull(r);
    for (int i = 1; i <= 10; i++) ckx_rel_close(r->alpha_bar[i], s->alpha_bar[taus[i - 1]], 1e-12, 1e-300, "ᾱ′_i = ᾱ_{τ_i}", NULL);
    ckx_close(r->beta[1], 1 - s->alpha_bar[100], 1e-15, "β′_1 = 1 − ᾱ_{τ_1}", NULL);
    int all[1000];
    sched_even_taus(all, 1000, 1000);
    Schedule *same = sched_respace(s, all, 1000);
    ckx_close_array(same->beta + 1, s->beta + 1, 1000, 1e-12, "β′ of the full sequence", NULL);
    const int bad[2] = { 5, 5 };
    ck_assert_ptr_null(sched_respace(s, bad, 2));
    sched_free(r); sched_free(same); sched_free(s);
    SchedSpec worse = sched_linear_spec(10, 100);   /* β_T = 2 */
    ck_assert_ptr_nonnull(sched_spec_error(&worse));
    ck_assert_ptr_null(sched_create(&worse));
}
END_TEST

/* A small network trained on 1-D Gaussian data, then sampled: its moments
 * come near the data's (the exact-score chain gives 0.2508 for s² = 0.25;
 * a trained network gets within a few hundredths). */
START_TEST(den_train_learns_a_gaussian)
{
    enum { N = 4096, NS = 4000 };
    SchedSpec sp = sched_linear_spec(100, 10);
    Schedule *s = sched_create(&sp);
    DenSpec ds = { .dim = 1, .hidden = 32, .depth = 2, .act = NN_GELU, .freqs = 8, .t_scale = 1, .x_scale = 0 };
    Rng r;
    rng_seed(&r, 130);
    Denoiser *d = den_create(&ds, 256, &r);
    float *data = ckx_alloc(sizeof(float) * N), *x = ckx_alloc(sizeof(float) * NS);
    for (int i = 0; i < N; i++) data[i] = (float)(1.5 + 0.5 * rng_normal(&r));
    DenTrain tr = { .steps = 1500, .batch = 128, .lr = 3e-3f, .optim = OPTIM_ADAM, .pred = DDPM_PRED_EPS, .quiet = 1 };
    ck_assert_int_eq(den_train(d, data, NULL, N, s, &tr, &r), 0);
    Denoiser *d2 = den_clone(d, 256);
    DenEps e[2] = { { .net = d, .train = s, .pred = DDPM_PRED_EPS }, { .net = d2, .train = s, .pred = DDPM_PRED_EPS } };
    void *ctx[2] = { &e[0], &e[1] };
    den_sample(x, NS, 1, den_eps, ctx, 2, s, DDPM_VAR_BETA_TILDE, &r, NULL, NULL, NULL, 1);
    den_free(d2);
    double m = 0, v = 0;
    for (int i = 0; i < NS; i++) m += x[i];
    m /= NS;
    for (int i = 0; i < NS; i++) v += (x[i] - m) * (x[i] - m);
    v /= NS - 1;
    ckx_close(m, 1.5, 0.08, "mean of samples from a network trained on N(1.5, 0.25)", "run the exercises' cases first.");
    ckx_close(v, 0.25, 0.06, "variance of samples from a network trained on N(1.5, 0.25)", "run the exercises' cases first.");
    free(data); free(x);
    den_free(d);
    sched_free(s);
}
END_TEST

/* The cache: a model saved under a key loads back only under that key; a
 * damaged or stale file is refused (and reported), never used. */
START_TEST(zoo_cache_round_trip_stale_corrupt)
{
    char dir[] = "/tmp/test_10_cache_XXXXXX", log[600];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(log, sizeof log, "%s/stderr.txt", dir);
    ck_assert_ptr_nonnull(freopen(log, "w", stderr));   /* the reports, read back below */
    ZooOpts o = { .use_cache = 1, .dir = dir, .quiet = 1 };
    Denoiser *a = small_den(0, 0, 140), *b = small_den(0, 0, 141);
    const double curve[3] = { 0.5, 0.25, 0.125 };
    double back[4];
    ck_assert_int_eq(zoo_cache_load(b->net, "m", "key one", &o, back, 4), 0);   /* nothing there yet */
    zoo_cache_save(a->net, "m", "key one", &o, curve, 3);
    ck_assert_int_eq(zoo_cache_load(b->net, "m", "key one", &o, back, 4), 1);
    ck_assert_msg(memcmp(a->net->params, b->net->params, (size_t)a->net->n_params * sizeof(float)) == 0,
                  "the cached parameters differ");
    ck_assert_msg(back[0] == 0.5 && back[2] == 0.125 && isnan(back[3]), "the stored loss curve did not come back");
    /* another key: another file name, so nothing to load */
    ck_assert_int_eq(zoo_cache_load(b->net, "m", "key two", &o, NULL, 0), 0);
    /* a file whose stored key differs (here: copied by hand) is stale */
    char p1[512], p2[512];
    zoo_cache_path(p1, sizeof p1, "m", "key one", &o);
    zoo_cache_path(p2, sizeof p2, "m", "key two", &o);
    ck_assert_str_ne(p1, p2);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", p1, p2);
    ck_assert_int_eq(system(cmd), 0);
    Denoiser *c = small_den(0, 0, 142);
    float keep = c->net->params[0];
    ck_assert_int_eq(zoo_cache_load(c->net, "m", "key two", &o, NULL, 0), 0);
    ck_assert_msg(c->net->params[0] == keep, "a stale file changed the network");
    /* a damaged file is refused */
    FILE *f = fopen(p1, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, 200, SEEK_SET);
    fputc(0x5a, f);
    fclose(f);
    ck_assert_int_eq(zoo_cache_load(c->net, "m", "key one", &o, NULL, 0), 0);
    ck_assert_msg(c->net->params[0] == keep, "a damaged file changed the network");
    fflush(stderr);
    FILE *lf = fopen(log, "r");
    char text[2048] = "";
    ck_assert_ptr_nonnull(lf);
    text[fread(text, 1, sizeof text - 1, lf)] = '\0';
    fclose(lf);
    ck_assert_msg(strstr(text, "stale") && strstr(text, "'key one' where this run wants 'key two'"),
                  "a stale file must be reported with the difference: '%s'", text);
    ck_assert_msg(strstr(text, "checksum") && strstr(text, p1), "a damaged file must be reported by name: '%s'", text);
    /* use_cache = 0: never */
    zoo_cache_save(a->net, "m", "key one", &o, NULL, 0);
    o.use_cache = 0;
    ck_assert_int_eq(zoo_cache_load(c->net, "m", "key one", &o, NULL, 0), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    den_free(a); den_free(b); den_free(c);
    /* the fingerprint is stable within a run and looks like one */
    const char *fp = zoo_fingerprint();
    ck_assert_int_eq((int)strlen(fp), 16);
    ck_assert_str_eq(fp, zoo_fingerprint());
}
END_TEST

/* ================================================================== the suite */

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("10_ddpm");
    TCase *tc;
    tc = ckx_tcase(s, "ddpm_linear_betas", 5);
    tcase_add_test(tc, linear_betas_closed_form);
    tc = ckx_tcase(s, "ddpm_cosine_betas", 5);
    tcase_add_test(tc, cosine_betas_closed_form);
    tc = ckx_tcase(s, "ddpm_schedule_from_betas", 5);
    tcase_add_test(tc, schedule_by_hand);
    tcase_add_test(tc, schedule_facts);
    tc = ckx_tcase(s, "ddpm_q_sample", 5);
    tcase_add_test(tc, q_sample_by_hand);
    tcase_add_test(tc, q_sample_moments);
    tc = ckx_tcase(s, "ddpm_sinusoidal_embedding", 5);
    tcase_add_test(tc, embedding_by_hand);
    tcase_add_test(tc, embedding_matches_reference);
    tc = ckx_tcase(s, "ddpm_loss", 10);
    tcase_add_test(tc, loss_eps_prediction);
    tcase_add_test(tc, loss_x0_prediction);
    tc = ckx_tcase(s, "ddpm_step", 20);
    tcase_add_test(tc, step_by_hand);
    tcase_add_test(tc, step_exact_score_gaussian);
    tc = ckx_tcase(s, "ddpm_x0_from_eps", 5);
    tcase_add_test(tc, x0_from_eps_by_hand_and_round_trip);
    /* the given code, on top of the exercises */
    tc = ckx_tcase(s, "den_network", 10);
    tcase_add_test(tc, den_features_layout);
    tcase_add_test(tc, den_input_grad_central_differences);
    tc = ckx_tcase(s, "sched_respace", 5);
    tcase_add_test(tc, sched_respace_keeps_alpha_bar);
    tc = ckx_tcase(s, "zoo_cache", 10);
    tcase_add_test(tc, zoo_cache_round_trip_stale_corrupt);
    tc = ckx_tcase(s, "den_train", 30);
    tcase_add_test(tc, den_train_learns_a_gaussian);
    return s;
}
