/* test_12_guidance.c — chapter 12: classifier-free and classifier guidance.
 *
 * One test case per exercise, named after the function it grades. The
 * references never trust the code under test:
 *   - hand values for the two combinations of ε (g = 0 gives ε(∅), g = 1
 *     gives ε(c); classifier guidance worked out by hand);
 *   - label dropout and the classifier's loss replayed from a copy of the
 *     generator, the loss recomputed here in double, its parameter gradient
 *     against central differences of that recomputation;
 *   - the classifier's ∇ₓ log p(c | x_t) against central differences of
 *     log softmax computed here;
 *   - TWO GAUSSIAN CLASSES WITH EXACT SCORES: x_0 | c ~ N(μ_c, s²), c = 0, 1
 *     with prior ½ each. Every noised law is Gaussian or a mixture of two,
 *     so the optimal ε of each class, of the mixture (the null class) and the
 *     exact classifier p(c | x_t) are closed forms:
 *         v_t = ᾱ_t s² + 1 − ᾱ_t,   ε*_c(x) = √(1 − ᾱ_t)·(x − √ᾱ_t μ_c)/v_t,
 *         p(c | x_t) ∝ N(x_t; √ᾱ_t μ_c, v_t),   ε*_∅ = Σ_c p(c | x_t)·ε*_c,
 *         ∂/∂x log p(c | x_t) = (ε*_∅ − ε*_c)/√(1 − ᾱ_t).
 *     With them: at g = 1 your guided ε drives chapter 10's sampler to the
 *     class's own exactly propagated moments (a linear-Gaussian chain, as in
 *     chapter 10's exact-score test); at g > 1 it equals (1 − g)·ε*_∅ + g·ε*_c
 *     at test points, and the samples' exact p(c | x_0) rises with g;
 *     classifier guidance of ε*_∅ with the exact classifier and s = 1 is
 *     ε*_c, so it too reproduces the class's moments.
 */
#include "ckx.h"
#include "ddpm.h"
#include "denoiser.h"
#include "guidance.h"
#include "mlp.h"
#include "nn.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_F32  2e-6   /* float arithmetic of O(1) values done two ways */
#define MC_SE    5.0    /* a Monte Carlo moment may stray this many standard errors */

static Schedule *linear_schedule(int T, double scale)
{
    SchedSpec sp = sched_linear_spec(T, scale);
    Schedule *s = sched_create(&sp);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* ================================================================== cfg_drop_labels */

START_TEST(drop_labels_replayed)
{
    enum { B = 2000 };
    int *cls = ckx_alloc(sizeof(int) * B), *want = ckx_alloc(sizeof(int) * B);
    const double ps[3] = { 0.1, 0.5, 0.3 };
    for (int k = 0; k < 3; k++) {
        Rng r, replay;
        rng_seed(&r, 300 + k);
        replay = r;
        for (int i = 0; i < B; i++) cls[i] = want[i] = i % 10;
        for (int i = 0; i < B; i++)
            if (rng_uniform(&replay) < ps[k]) want[i] = DEN_NO_CLASS;
        cfg_drop_labels(cls, B, ps[k], &r);
        int dropped = 0, wrong = -1;
        for (int i = 0; i < B; i++) {
            dropped += cls[i] == DEN_NO_CLASS;
            if (cls[i] != want[i] && wrong < 0) wrong = i;
        }
        ck_assert_msg(dropped > 0, "p = %g: no label was dropped to DEN_NO_CLASS (%d) out of %d. Hint: cls[i] = "
                      "DEN_NO_CLASS when rng_uniform(rng) < p_drop.", ps[k], DEN_NO_CLASS, B);
        ck_assert_msg(wrong < 0, "p = %g: label %d is %d, expected %d (%d of %d dropped; expected %.0f ± %.0f). Hint: "
                      "one rng_uniform per row, in order, dropped or not; drop when u < p_drop (not u > p_drop); a kept "
                      "label stays as it was, a dropped one becomes DEN_NO_CLASS (%d), not 0.", ps[k], wrong,
                      cls[wrong], want[wrong], dropped, B, ps[k] * B, 3 * sqrt(B * ps[k] * (1 - ps[k])), DEN_NO_CLASS);
        ck_assert_msg(memcmp(replay.s, r.s, sizeof r.s) == 0, "p = %g: cfg_drop_labels drew a different number of random "
                      "numbers than one rng_uniform per row", ps[k]);
    }
    /* p = 0 keeps every label; p = 1 drops every one (u < 1 always) */
    Rng r;
    rng_seed(&r, 310);
    for (int i = 0; i < B; i++) cls[i] = i % 10;
    cfg_drop_labels(cls, B, 0.0, &r);
    for (int i = 0; i < B; i++) ck_assert_msg(cls[i] == i % 10, "p = 0 changed label %d to %d", i, cls[i]);
    cfg_drop_labels(cls, B, 1.0, &r);
    for (int i = 0; i < B; i++) ck_assert_msg(cls[i] == DEN_NO_CLASS, "p = 1 kept label %d (%d)", i, cls[i]);
    free(cls); free(want);
}
END_TEST

/* ================================================================== two Gaussian classes, exact */

/* x_0 | c ~ N(mu[c], s2), c = 0, 1, prior ½ each (see the header). */
typedef struct {
    const Schedule *s;
    double mu[2], s2;
} TwoClass;

/* At step t and point x: ε*_0, ε*_1, ε*_∅ and p(1 | x_t). */
static void exact_at(const TwoClass *e, int t, double x, double *eps_c, double *eps_null, double *p1)
{
    const double ab = e->s->alpha_bar[t], v = ab * e->s2 + 1 - ab, a = sqrt(ab), b = sqrt(1 - ab);
    double logn[2];
    for (int c = 0; c < 2; c++) {
        eps_c[c] = b * (x - a * e->mu[c]) / v;
        logn[c] = -(x - a * e->mu[c]) * (x - a * e->mu[c]) / (2 * v);
    }
    *p1 = 1 / (1 + exp(logn[0] - logn[1]));
    *eps_null = (1 - *p1) * eps_c[0] + *p1 * eps_c[1];
}

/* The sampler's ε: your guided combination of the exact ε*_∅ and ε*_c
 * (cfg_guided_eps with g), or your classifier guidance of ε*_∅ with the exact
 * ∇ log p(c | x_t) (cg_guided_eps with scale; when use_cg). */
typedef struct {
    TwoClass e;
    int cls, use_cg;
    float g, scale;
    float *en, *ec;   /* scratch (n) */
} GuidedExact;

static void guided_exact_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    GuidedExact *ge = ctx;
    const double b = sqrt(1 - ge->e.s->alpha_bar[t]);
    for (int i = 0; i < n; i++) {
        double ec[2], en, p1;
        exact_at(&ge->e, t, x[i], ec, &en, &p1);
        ge->en[i] = (float)en;
        /* with use_cg, ec holds ∂/∂x log p(c | x_t) = (ε*_∅ − ε*_c)/√(1 − ᾱ_t) */
        ge->ec[i] = (float)(ge->use_cg ? (en - ec[ge->cls]) / b : ec[ge->cls]);
    }
    if (ge->use_cg) cg_guided_eps(eps, ge->en, ge->ec, ge->scale, ge->e.s->alpha_bar[t], n);
    else cfg_guided_eps(eps, ge->en, ge->ec, ge->g, n);
}

/* Chapter 10's exact propagation: with ε* of N(mu, s2) the step
 * x ← (x − k₁ε*)/√α_t + σ_t z maps N(m, v) to N(K m + d, K² v + σ_t²). */
static void class_moments(const Schedule *s, double mu, double s2, double *mean, double *variance)
{
    double m = 0, v = 1;
    for (int t = s->T; t >= 1; t--) {
        const double ab = s->alpha_bar[t], a = sqrt(1 - ab) / (ab * s2 + 1 - ab), k1 = s->beta[t] / sqrt(1 - ab);
        const double K = (1 - k1 * a) / sqrt(s->alpha[t]), d = k1 * a * sqrt(ab) * mu / sqrt(s->alpha[t]);
        m = K * m + d;
        v = K * K * v + (t == 1 ? 0 : s->beta_tilde[t]);
    }
    *mean = m;
    *variance = v;
}

/* Sample n points with ge's ε (σ² = β̃_t); their mean, variance and mean
 * exact p(cls | x_0). */
static void sample_exact(GuidedExact *ge, int n, uint64_t seed, double *mean, double *var, double *pc)
{
    float *x = ckx_alloc(sizeof(float) * n);
    ge->en = ckx_alloc(sizeof(float) * n);
    ge->ec = ckx_alloc(sizeof(float) * n);
    Rng r;
    rng_seed(&r, seed);
    void *ctx[1] = { ge };
    den_sample(x, n, 1, guided_exact_eps, ctx, 1, ge->e.s, DDPM_VAR_BETA_TILDE, &r, NULL, NULL, NULL, 1);
    double m = 0, v = 0, p = 0;
    for (int i = 0; i < n; i++) m += x[i];
    m /= n;
    for (int i = 0; i < n; i++) {
        v += (x[i] - m) * (x[i] - m);
        /* p(1 | x_0): the posterior at t = 0, ᾱ_0 = 1 */
        const double l0 = -(x[i] - ge->e.mu[0]) * (x[i] - ge->e.mu[0]), l1 = -(x[i] - ge->e.mu[1]) * (x[i] - ge->e.mu[1]);
        const double p1 = 1 / (1 + exp((l0 - l1) / (2 * ge->e.s2)));
        p += ge->cls ? p1 : 1 - p1;
    }
    *mean = m;
    *var = v / (n - 1);
    *pc = p / n;
    free(x); free(ge->en); free(ge->ec);
}

/* ================================================================== cfg_guided_eps */

START_TEST(guided_eps_by_hand)
{
    const float en[4] = { 1, -2, 0.5f, 0 }, ec[4] = { 3, 1, 0.5f, -4 };
    float out[4];
    const float gs[4] = { 0, 1, 2.5f, 0.5f };
    const char *what[4] = { "g = 0 (unconditional)", "g = 1 (conditional)", "g = 2.5 (w = 1.5)", "g = 0.5" };
    for (int k = 0; k < 4; k++) {
        float want[4];
        for (int i = 0; i < 4; i++) want[i] = (float)(en[i] + (double)gs[k] * (ec[i] - en[i]));
        for (int i = 0; i < 4; i++) out[i] = NAN;
        cfg_guided_eps(out, en, ec, gs[k], 4);
        ckx_close_arrayf(out, want, 4, TOL_F32, what[k],
                         "ε̃ = ε(∅) + g·(ε(c) − ε(∅)): g = 0 must give ε(∅) (eps_null) and g = 1 ε(c) (eps_cls). "
                         "Ho & Salimans' (1 + w)ε(c) − wε(∅) is the same line with w = g − 1, not with w = g.");
    }
    /* in place, on either input */
    float a[4], b[4], want[4];
    for (int i = 0; i < 4; i++) want[i] = (float)(en[i] + 3.0 * (ec[i] - en[i]));
    memcpy(a, en, sizeof a);
    cfg_guided_eps(a, a, ec, 3, 4);
    ckx_close_arrayf(a, want, 4, TOL_F32, "g = 3, out == eps_null", "read both inputs of element i before writing out[i].");
    memcpy(b, ec, sizeof b);
    cfg_guided_eps(b, en, b, 3, 4);
    ckx_close_arrayf(b, want, 4, TOL_F32, "g = 3, out == eps_cls", "read both inputs of element i before writing out[i].");
}
END_TEST

/* At g = 1 the guided ε is ε*_c: the chain is chapter 10's linear-Gaussian
 * one for the class, whose moments are propagated exactly. */
START_TEST(guided_eps_g1_exact_class_moments)
{
    enum { N = 20000 };
    Schedule *s = linear_schedule(1000, 1);
    for (int c = 0; c < 2; c++) {
        GuidedExact ge = { .e = { s, { -0.5, 1.5 }, 0.25 }, .cls = c, .g = 1 };
        double em, ev, m, v, pc;
        class_moments(s, ge.e.mu[c], 0.25, &em, &ev);
        sample_exact(&ge, N, 320 + c, &m, &v, &pc);
        char what[160];
        snprintf(what, sizeof what, "class %d (N(%g, 0.25) of two), g = 1: mean of %d samples (exact propagation %.5f)",
                 c, ge.e.mu[c], N, em);
        ckx_close(m, em, MC_SE * sqrt(ev / N), what,
                  "at g = 1 the guided ε must be ε(x, c) exactly: ε(∅) + 1·(ε(c) − ε(∅)).");
        snprintf(what, sizeof what, "class %d, g = 1: variance of %d samples (exact propagation %.5f)", c, N, ev);
        ckx_close(v, ev, MC_SE * ev * sqrt(2.0 / N), what, "at g = 1 the guided ε must be ε(x, c) exactly.");
    }
    sched_free(s);
}
END_TEST

/* At g > 1 the guided ε is (1 − g)·ε*_∅ + g·ε*_c, and samples of class 1
 * become more surely class 1 as g grows: the mean exact p(1 | x_0) rises. */
START_TEST(guided_eps_exact_scores_sharpen)
{
    Schedule *s = linear_schedule(200, 5);
    TwoClass e = { s, { -0.5, 0.5 }, 0.25 };
    const float g = 3;
    const int ts[4] = { 1, 20, 100, 200 };
    const double xs[3] = { -1.2, 0.1, 0.9 };
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 3; b++) {
            double ec[2], en, p1;
            exact_at(&e, ts[a], xs[b], ec, &en, &p1);
            const float fn = (float)en, fc = (float)ec[1];
            float out = NAN;
            cfg_guided_eps(&out, &fn, &fc, g, 1);
            char what[120];
            snprintf(what, sizeof what, "guided ε at g = 3, t = %d, x = %g (ε*_∅ = %.4f, ε*_1 = %.4f)", ts[a], xs[b], en,
                     ec[1]);
            ckx_close(out, (1 - g) * en + g * ec[1], 1e-5, what, "ε̃ = (1 − g)·ε(∅) + g·ε(c) = ε(∅) + g·(ε(c) − ε(∅)).");
        }
    /* the samples' exact p(1 | x_0) against g; at g = 1 it is E p(1 | x_0) under N(0.5, 0.25) */
    enum { N = 6000 };
    const float gs[3] = { 1, 2, 4 };
    double pc[3];
    for (int k = 0; k < 3; k++) {
        GuidedExact ge = { .e = e, .cls = 1, .g = gs[k] };
        double m, v;
        sample_exact(&ge, N, 330 + k, &m, &v, &pc[k]);
    }
    /* E[σ(4x)], x ~ N(0.5, 0.25), by quadrature: the log-odds of class 1 is 4x here */
    double want = 0, wsum = 0;
    for (int i = -4000; i <= 4000; i++) {
        const double z = i / 500.0, w = exp(-z * z / 2), x = 0.5 + 0.5 * z;
        want += w / (1 + exp(-4 * x));
        wsum += w;
    }
    want /= wsum;
    ckx_close(pc[0], want, 0.02, "mean exact p(1 | x_0) of class-1 samples at g = 1 (E σ(4x) under the class)",
              "at g = 1 the samples must be the class's own distribution.");
    for (int k = 1; k < 3; k++)
        ck_assert_msg(pc[k] > pc[k - 1] + 0.03, "mean exact p(1 | x_0) of class-1 samples: %.4f at g = %g, %.4f at g = "
                      "%g: guidance must make samples more surely their class as g grows. Hint: ε(∅) + g·(ε(c) − ε(∅)).",
                      pc[k - 1], gs[k - 1], pc[k], gs[k]);
    sched_free(s);
}
END_TEST

/* ================================================================== the classifier */

/* A small noise-conditional classifier: 2-D, K = 3 logits, F = 3, 2 hidden layers of 8. */
static Denoiser *small_clf(float x_scale, uint64_t seed)
{
    DenSpec s = { .dim = 2, .hidden = 8, .depth = 2, .act = NN_TANH, .freqs = 3, .t_scale = 0.01f,
                  .x_scale = x_scale, .n_out = 3 };
    Rng r;
    rng_seed(&r, seed);
    Denoiser *d = den_create(&s, 8, &r);
    ck_assert_ptr_nonnull(d);
    for (int l = 0; l < d->net->spec.n_layers; l++)
        for (int o = 0; o < d->net->spec.sizes[l + 1]; o++) d->net->b[l][o] = (float)(0.3 * rng_normal(&r));
    return d;
}

/* log softmax(logits)[c] in double. */
static double log_softmax_at(const float *logits, int K, int c)
{
    double mx = logits[0], z = 0;
    for (int k = 1; k < K; k++) mx = fmax(mx, logits[k]);
    for (int k = 0; k < K; k++) z += exp(logits[k] - mx);
    return logits[c] - mx - log(z);
}

/* ================================================================== clf_loss */

/* The loss recomputed from a replay of the draws: t_i = 1 + rng_int(T) for
 * every row, then the B·D normals; x_t in double; the classifier's logits
 * (den_forward, given code) on the float x_t; the cross-entropy in double. */
typedef struct {
    Denoiser *clf;
    const float *x0;
    const int *cls;
    int B;
    const Schedule *s;
    Rng rng;   /* the generator as clf_loss received it */
} ClfCase;

static double ref_clf_loss(const ClfCase *c, int *t_out)
{
    Rng r = c->rng;
    const int B = c->B, D = 2, K = 3;
    int t[8] = { 0 };
    float eps[16] = { 0 }, xt[16] = { 0 };
    for (int i = 0; i < B; i++) t[i] = 1 + rng_int(&r, c->s->T);
    for (int k = 0; k < B * D; k++) eps[k] = (float)rng_normal(&r);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < D; j++) {
            const double ab = c->s->alpha_bar[t[i]];
            xt[i * D + j] = (float)(sqrt(ab) * c->x0[i * D + j] + sqrt(1 - ab) * eps[i * D + j]);
        }
    const float *logits = den_forward(c->clf, xt, t, NULL, B, NN_EVAL);
    double L = 0;
    for (int i = 0; i < B; i++) L -= log_softmax_at(logits + i * K, K, c->cls[i]);
    if (t_out) memcpy(t_out, t, sizeof(int) * B);
    return L / B;
}

START_TEST(clf_loss_replayed_and_gradient)
{
    enum { B = 6, T = 50 };
    Schedule *s = linear_schedule(T, 20);
    Denoiser *clf = small_clf(0, 340);
    const float x0[2 * B] = { 1, -1, 0.5f, 2, -1.5f, 0.2f, 0, 0, 1.2f, -0.7f, -0.3f, 0.9f };
    const int cls[B] = { 0, 2, 1, 1, 2, 0 };
    Rng r;
    rng_seed(&r, 341);
    ClfCase c = { clf, x0, cls, B, s, r };
    ClfWork *w = clf_work_create(8, 2, 3);
    mlp_zero_grad(clf->net);
    const float L = clf_loss(clf, x0, cls, B, s, w, &r);
    int t[B];
    const double want = ref_clf_loss(&c, t);
    char what[160];
    snprintf(what, sizeof what, "L = −mean log p(c | x_t, t) over 6 rows (t = %d, %d, %d, %d, %d, %d)", t[0], t[1], t[2],
             t[3], t[4], t[5]);
    ckx_close(L, want, 1e-5 * fmax(1, want), what,
              "draw the B timesteps first (1 + rng_int(rng, T)), then the B·D normals; noise x_0 with ddpm_q_sample "
              "(√ᾱ_t, not ᾱ_t) and classify x_t, not x_0; den_forward(clf, x_t, t, NULL, ...); nn_softmax_xent.");
    Rng after = c.rng;
    for (int i = 0; i < B; i++) rng_int(&after, T);
    for (int k = 0; k < 2 * B; k++) rng_normal(&after);
    ck_assert_msg(memcmp(after.s, r.s, sizeof r.s) == 0 && after.has_spare == r.has_spare,
                  "clf_loss drew a different number of random numbers than B timesteps and B·D normals");
    /* the parameter gradient against central differences of ref_clf_loss */
    const int N = clf->net->n_params;
    float *g = ckx_alloc(sizeof(float) * N);
    double *num = ckx_alloc(sizeof(double) * N);
    memcpy(g, clf->net->grads, sizeof(float) * N);
    for (int i = 0; i < N; i++) {
        float *p = &clf->net->params[i], keep = *p, h = 1e-3f * fmaxf(1, fabsf(keep));
        *p = keep + h;
        const double up = *p, lp = ref_clf_loss(&c, NULL);
        *p = keep - h;
        const double dn = *p, lm = ref_clf_loss(&c, NULL);
        *p = keep;
        num[i] = (lp - lm) / (up - dn);
    }
    ckx_check_grad("∂L/∂θ of the classifier's loss", g, num, N, 2e-2, 1e-2,
                   "after nn_softmax_xent (which writes (softmax − onehot)/B into w->dlogits), call "
                   "den_backward(clf, w->dlogits); the gradients are ADDED (zeroing is the caller's).");
    free(g); free(num);
    clf_work_free(w);
    den_free(clf);
    sched_free(s);
}
END_TEST

/* ================================================================== clf_grad_log_prob */

START_TEST(grad_log_prob_central_differences)
{
    const float scales[2] = { 0, 2 };
    for (int sc = 0; sc < 2; sc++) {
        Denoiser *clf = small_clf(scales[sc], 350 + sc);
        enum { B = 4, D = 2, K = 3 };
        Rng r;
        rng_seed(&r, 352);
        float x[B * D], grad[B * D], dlogits[B * K];
        const int t[B] = { 3, 17, 60, 99 }, cls[B] = { 0, 2, 1, 2 };
        for (int i = 0; i < B * D; i++) { x[i] = (float)rng_normal(&r); grad[i] = NAN; }
        mlp_zero_grad(clf->net);
        clf_grad_log_prob(clf, grad, dlogits, x, t, cls, B);
        ck_assert_msg(mlp_grad_norm(clf->net) == 0.0f, "clf_grad_log_prob changed the classifier's parameter gradients: "
                      "use den_input_grad (the input's gradient only), not den_backward");
        double num[B * D];
        for (int k = 0; k < B * D; k++) {
            const int i = k / D;
            const float keep = x[k], h = 1e-3f;
            double lp[2], at[2];
            for (int sgn = 0; sgn < 2; sgn++) {
                x[k] = keep + (sgn ? -h : h);
                at[sgn] = x[k];
                const float *logits = den_forward(clf, x, t, NULL, B, NN_EVAL);
                lp[sgn] = log_softmax_at(logits + i * K, K, cls[i]);
            }
            x[k] = keep;
            num[k] = (lp[0] - lp[1]) / (at[0] - at[1]);
        }
        char what[96];
        snprintf(what, sizeof what, "∇ₓ log p(c | x_t, t), 4 rows, %s", sc ? "x raw + embedded (scale 2)" : "x raw");
        ckx_check_grad(what, grad, num, B * D, 2e-2, 5e-2,
                       "the derivative of log softmax(ℓ)[c] with respect to ℓ_k is [k = c] − p_k (onehot − softmax, "
                       "not softmax − onehot, not onehot alone); pass it to den_input_grad after a den_forward in "
                       "NN_EVAL mode.");
        den_free(clf);
    }
}
END_TEST

/* ================================================================== cg_guided_eps */

START_TEST(cg_eps_by_hand)
{
    /* ᾱ = 0.64: √(1 − ᾱ) = 0.6; s = 3: out = ε − 1.8·grad */
    const float eps[3] = { 0.5f, -1, 2 }, grad[3] = { 2, 1, -0.5f };
    float out[3] = { NAN, NAN, NAN };
    const float want[3] = { 0.5f - 3.6f, -1 - 1.8f, 2 + 0.9f };
    cg_guided_eps(out, eps, grad, 3, 0.64, 3);
    ckx_close_arrayf(out, want, 3, 1e-5, "ε − s·√(1 − ᾱ)·∇ log p, s = 3, ᾱ = 0.64",
                     "subtract (ε points away from the data: it is MINUS the scaled score) s·√(1 − ᾱ)·grad: the root "
                     "of 1 − ᾱ (0.6 here), not of ᾱ (0.8), and not 1 − ᾱ itself (0.36).");
    float in[3];
    memcpy(in, eps, sizeof in);
    cg_guided_eps(in, in, grad, 3, 0.64, 3);
    ckx_close_arrayf(in, want, 3, 1e-5, "in place (out == eps)", NULL);
    /* s = 0 leaves ε alone */
    cg_guided_eps(out, eps, grad, 0, 0.64, 3);
    ckx_close_arrayf(out, eps, 3, 1e-6, "s = 0", "s = 0 is no guidance: out = ε.");
}
END_TEST

/* With exact scores, ε*_∅ − 1·√(1 − ᾱ)·∇ log p(c | x_t) is ε*_c; and the
 * conditional ε*_c with s = g − 1 is classifier-free guidance with weight g. */
START_TEST(cg_eps_exact_classifier)
{
    Schedule *s = linear_schedule(1000, 1);
    TwoClass e = { s, { -0.5, 1.5 }, 0.25 };
    const int ts[4] = { 1, 50, 400, 1000 };
    const double xs[3] = { -1.0, 0.3, 2.0 };
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 3; b++) {
            const int t = ts[a];
            double ec[2], en, p1;
            exact_at(&e, t, xs[b], ec, &en, &p1);
            const double bt = sqrt(1 - s->alpha_bar[t]);
            for (int c = 0; c < 2; c++) {
                const float fn = (float)en, fc = (float)ec[c], grad = (float)((en - ec[c]) / bt);
                float out = NAN;
                cg_guided_eps(&out, &fn, &grad, 1, s->alpha_bar[t], 1);
                char what[128];
                snprintf(what, sizeof what, "exact ε*_∅ guided by the exact classifier, s = 1, t = %d, x = %g, class %d", t,
                         xs[b], c);
                ckx_close(out, ec[c], 2e-5 * fmax(1, fabs(ec[c])), what,
                          "with the exact classifier, ε(∅) − √(1 − ᾱ_t)·∇ log p(c | x_t) is ε(c) (Bayes).");
                cg_guided_eps(&out, &fc, &grad, 2, s->alpha_bar[t], 1);
                snprintf(what, sizeof what, "exact ε*_c guided with s = 2 = g − 1, t = %d, x = %g, class %d", t, xs[b], c);
                ckx_close(out, en + 3 * (ec[c] - en), 2e-5 * fmax(1, fabs(ec[c])), what,
                          "classifier guidance of ε(c) with s = g − 1 is classifier-free guidance with g.");
            }
        }
    /* and through the sampler: class 1's exact moments */
    enum { N = 20000 };
    GuidedExact ge = { .e = e, .cls = 1, .use_cg = 1, .scale = 1 };
    double em, ev, m, v, pc;
    class_moments(s, e.mu[1], e.s2, &em, &ev);
    sample_exact(&ge, N, 360, &m, &v, &pc);
    ckx_close(m, em, MC_SE * sqrt(ev / N), "mean of ε*_∅ guided with s = 1 (class 1's exact propagation)",
              "ε − s·√(1 − ᾱ_t)·∇ log p(c | x_t), with the cumulative ᾱ_t of the step.");
    ckx_close(v, ev, MC_SE * ev * sqrt(2.0 / N), "variance of ε*_∅ guided with s = 1 (class 1's exact propagation)",
              "ε − s·√(1 − ᾱ_t)·∇ log p(c | x_t), with the cumulative ᾱ_t of the step.");
    sched_free(s);
}
END_TEST

/* ================================================================== given code */

/* The classifier's Denoiser: n_out logits, no class input. */
START_TEST(clf_network_shape)
{
    Denoiser *clf = small_clf(2, 370);
    ck_assert_int_eq(clf->net->spec.sizes[clf->net->spec.n_layers], 3);
    ck_assert_int_eq(clf->n_feat, 2 + 12 + 6);
    char buf[160];
    den_describe(&clf->spec, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "→ 3") != NULL, "den_describe should name 3 outputs: %s", buf);
    DenSpec bad = clf->spec;
    bad.n_out = -1;
    ck_assert_ptr_nonnull(den_spec_error(&bad));
    den_free(clf);
}
END_TEST

/* ================================================================== the suite */

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("12_guidance");
    TCase *tc;
    tc = ckx_tcase(s, "cfg_drop_labels", 5);
    tcase_add_test(tc, drop_labels_replayed);
    tc = ckx_tcase(s, "cfg_guided_eps", 30);
    tcase_add_test(tc, guided_eps_by_hand);
    tcase_add_test(tc, guided_eps_g1_exact_class_moments);
    tcase_add_test(tc, guided_eps_exact_scores_sharpen);
    tc = ckx_tcase(s, "clf_loss", 10);
    tcase_add_test(tc, clf_loss_replayed_and_gradient);
    tc = ckx_tcase(s, "clf_grad_log_prob", 10);
    tcase_add_test(tc, grad_log_prob_central_differences);
    tc = ckx_tcase(s, "cg_guided_eps", 30);
    tcase_add_test(tc, cg_eps_by_hand);
    tcase_add_test(tc, cg_eps_exact_classifier);
    tc = ckx_tcase(s, "clf_network", 5);
    tcase_add_test(tc, clf_network_shape);
    return s;
}
