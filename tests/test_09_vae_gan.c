/* test_09_vae_gan.c — chapter 09: VAE and GAN.
 *
 * One test case per exercise, named after the function it grades. The
 * references never trust the code under test:
 *   - values worked by hand (the arithmetic is in the comments);
 *   - the losses written again here in double (ref_*), and central
 *     differences of them for every gradient;
 *   - chapter 08's closed forms: the KL term against info_kl_diag_gauss, and
 *     the Monte Carlo ELBO of a linear-Gaussian model against its closed form
 *     log p(x) − KL(q ‖ posterior);
 *   - central differences of the whole VAE and GAN losses through chapter
 *     04's networks (gen_train.c), so a gradient that is right alone but
 *     wired wrong (overwritten instead of added) still fails;
 *   - hand-made point sets for the mode counter.
 */
#include "ckx.h"
#include "datasets.h"
#include "gen.h"
#include "gen_train.h"
#include "info.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_HAND  1e-5    /* float results against values worked by hand */
#define TOL_FD    2e-3    /* analytic vs central difference, relative (float inputs, double references) */
#define TOL_NET   3e-2    /* the same through float networks */
#define SE_MC     4.0     /* a Monte Carlo mean may stray this many standard errors */

/* ------------------------------------------------------------------------ */
/* References */

static double ref_softplus(double u) { return u > 0 ? u + log1p(exp(-u)) : log1p(exp(u)); }
static double ref_sigmoid(double u) { return 1.0 / (1.0 + exp(-u)); }

/* −ELBO of one batch, as gen.h defines it, in double. */
static double ref_vae_loss(const float *x, const float *xhat, const float *mu, const float *lv, int B, int D, int Z,
                           double sx, double beta)
{
    double L = 0.0;
    for (int i = 0; i < B; i++) {
        double rec = 0.5 * D * log(2 * M_PI * sx * sx);
        for (int d = 0; d < D; d++) rec += pow((double)x[i * D + d] - xhat[i * D + d], 2) / (2 * sx * sx);
        double kl = 0.0;
        for (int j = 0; j < Z; j++) {
            double m = mu[i * Z + j], v = lv[i * Z + j];
            kl += 0.5 * (exp(v) + m * m - 1.0 - v);
        }
        L += rec + beta * kl;
    }
    return L / B;
}

/* Central difference of f along float v[i], dividing by the step the float took. */
typedef double (*Fn)(void *ctx);
static double central(float *v, int i, float h, Fn f, void *ctx)
{
    float keep = v[i];
    v[i] = keep + h;
    float a = v[i];
    double hi = f(ctx);
    v[i] = keep - h;
    float b = v[i];
    double lo = f(ctx);
    v[i] = keep;
    return (hi - lo) / ((double)a - b);
}

/* ------------------------------------------------------------------------ */
/* vae_reparam */

START_TEST(reparam_by_hand)
{
    /* μ = 0.5, log σ² = log 4 (σ = 2), ε = −1.5: z = 0.5 − 3 = −2.5
     * μ = −1, log σ² = 0 (σ = 1), ε = 0.7: z = −0.3;  μ = 2, log σ² = −2 (σ = e^{−1}), ε = 1: z = 2.3678794 */
    const float mu[3] = { 0.5f, -1.0f, 2.0f }, lv[3] = { (float)log(4.0), 0.0f, -2.0f }, eps[3] = { -1.5f, 0.7f, 1.0f };
    float z[3] = { NAN, NAN, NAN };
    vae_reparam(z, mu, lv, eps, 3);
    const float want[3] = { -2.5f, -0.3f, (float)(2.0 + exp(-1.0)) };
    for (int i = 0; i < 3; i++)
        ckx_close(z[i], want[i], TOL_HAND, "z = μ + exp(½ logvar)·ε",
                  "σ = exp(½ logvar) (logvar = log σ²): not exp(logvar), which is the variance.");
}
END_TEST

START_TEST(reparam_distribution)
{
    /* z over many ε ~ N(0, 1) must have mean μ and std σ. */
    enum { N = 100000 };
    static float mu[N], lv[N], eps[N], z[N];
    Rng r; rng_seed(&r, 91);
    for (int i = 0; i < N; i++) { mu[i] = 1.5f; lv[i] = (float)log(0.09); eps[i] = (float)rng_normal(&r); }
    vae_reparam(z, mu, lv, eps, N);
    double m = 0, v = 0;
    for (int i = 0; i < N; i++) m += z[i] / N;
    for (int i = 0; i < N; i++) v += (z[i] - m) * (z[i] - m) / (N - 1);
    ckx_close(m, 1.5, SE_MC * 0.3 / sqrt(N), "mean of z for μ = 1.5, σ = 0.3", "z = μ + σε.");
    ckx_close(sqrt(v), 0.3, 0.005, "std of z for μ = 1.5, σ² = 0.09", "σ = exp(½ logvar) = √0.09 = 0.3.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* vae_reparam_backward */

typedef struct { float *mu, *lv, *eps; const double *w; int n; } ReCtx;
static double reparam_objective(void *ctx)   /* Σ w_i z_i */
{
    ReCtx *c = ctx;
    double s = 0;
    for (int i = 0; i < c->n; i++) s += c->w[i] * (c->mu[i] + exp(0.5 * c->lv[i]) * c->eps[i]);
    return s;
}

START_TEST(reparam_backward_central_differences)
{
    enum { N = 6 };
    float mu[N], lv[N], eps[N], dz[N], dmu[N], dlv[N];
    double w[N];
    Rng r; rng_seed(&r, 92);
    for (int i = 0; i < N; i++) {
        mu[i] = (float)rng_normal(&r); lv[i] = (float)rng_uniform_range(&r, -2, 1); eps[i] = (float)rng_normal(&r);
        w[i] = rng_normal(&r); dz[i] = (float)w[i];
        dmu[i] = 0.25f; dlv[i] = -0.5f;   /* already holds something: the backward pass must ADD */
    }
    vae_reparam_backward(dmu, dlv, dz, lv, eps, N);
    ReCtx c = { mu, lv, eps, w, N };
    for (int i = 0; i < N; i++) {
        ckx_rel_close(dmu[i] - 0.25, central(mu, i, 1e-3f, reparam_objective, &c), TOL_FD, 1e-2,
                      "∂L/∂μ added by vae_reparam_backward",
                      "dμ += dz (∂z/∂μ = 1). ADD into dmu: it already holds the KL's gradient.");
        ckx_rel_close(dlv[i] + 0.5, central(lv, i, 1e-3f, reparam_objective, &c), TOL_FD, 1e-2,
                      "∂L/∂logvar added by vae_reparam_backward",
                      "dlogvar += dz·ε·½σ with σ = exp(½ logvar): the ½ is the chain rule through ½ logvar. ADD, do "
                      "not overwrite.");
    }
}
END_TEST

/* The whole VAE: its loss as a function of one parameter, the noise fixed. */
typedef struct { Vae *v; const float *x, *eps; int B; } VaeCtx;
static double vae_objective(void *ctx)
{
    VaeCtx *c = ctx;
    return vae_grad(c->v, c->x, c->eps, c->B).loss;
}

START_TEST(reparam_backward_whole_vae_gradient)
{
    /* every parameter gradient of a small VAE (both networks, through the
     * reparameterised z) against central differences of its loss */
    VaeConfig cfg = vae_default_config(2, 2);
    cfg.hidden = 6; cfg.batch = 5; cfg.sigma_x = 0.5; cfg.beta = 1.0;
    Rng r; rng_seed(&r, 93);
    Vae *v = vae_create(&cfg, &r);
    ck_assert_ptr_nonnull(v);
    float x[10], eps[10];
    for (int i = 0; i < 10; i++) { x[i] = (float)rng_normal(&r); eps[i] = (float)rng_normal(&r); }
    VaeCtx c = { v, x, eps, 5 };
    Mlp *nets[2] = { v->enc, v->dec };
    const char *name[2] = { "encoder", "decoder" };
    for (int k = 0; k < 2; k++) {
        vae_grad(v, x, eps, 5);
        float *g = malloc((size_t)nets[k]->n_params * sizeof *g);
        ck_assert_ptr_nonnull(g);
        memcpy(g, nets[k]->grads, (size_t)nets[k]->n_params * sizeof *g);
        double worst = 0, norm = 0;
        int at = -1;
        for (int i = 0; i < nets[k]->n_params; i++) {
            double fd = central(nets[k]->params, i, 1e-3f, vae_objective, &c);
            double err = fabs(g[i] - fd) / fmax(fmax(fabs(g[i]), fabs(fd)), 0.05);
            norm += (double)g[i] * g[i];
            if (err > worst) { worst = err; at = i; }
        }
        ck_assert_msg(norm > 0, "the %s's gradient is all zero", name[k]);
        ck_assert_msg(worst <= TOL_NET, "VAE %s parameter %d: backprop and central difference differ by %.3g "
                      "(relative). Hint: first make vae_loss and vae_reparam_backward pass their own tests; then, "
                      "vae_reparam_backward must ADD dz's path into dmu and dlogvar (vae_loss wrote the KL's part "
                      "there first).", name[k], at, worst);
        free(g);
    }
    vae_free(v);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* vae_loss */

START_TEST(vae_loss_by_hand)
{
    /* one example, D = 2, Z = 1: x = (1, −1), x̂ = (0.5, −0.5), σ_x = 0.5, μ = 0.3, log σ² = log 0.5, β = 1:
     *   rec = 2·0.25/(2·0.25) + (2/2)·log(2π·0.25) = 1 + log(π/2) = 1.4515827053
     *   kl  = ½(0.5 + 0.09 − 1 − log 0.5) = 0.1415735903
     *   L   = 1.5931562956 */
    const float x[2] = { 1.0f, -1.0f }, xh[2] = { 0.5f, -0.5f }, mu[1] = { 0.3f }, lv[1] = { (float)log(0.5) };
    float dxh[2], dmu[1], dlv[1];
    double rec = NAN, kl = NAN;
    double L = vae_loss(dxh, dmu, dlv, x, xh, mu, lv, 1, 2, 1, 0.5, 1.0, &rec, &kl);
    ckx_close(rec, 1.0 + log(M_PI / 2), TOL_HAND, "reconstruction term −log p(x|z)",
              "Σ_d (x − x̂)²/(2σ_x²) + (D/2) log(2πσ_x²): σ_x is a standard deviation, and keep the constant.");
    ckx_close(kl, 0.5 * (0.5 + 0.09 - 1 - log(0.5)), TOL_HAND, "KL(N(0.3, 0.5) ‖ N(0, 1))",
              "½(e^logvar + μ² − 1 − logvar) per latent dimension (chapter 08's closed form).");
    ckx_close(L, 1.0 + log(M_PI / 2) + 0.5 * (0.5 + 0.09 - 1 - log(0.5)), TOL_HAND, "−ELBO = rec + KL", NULL);
    /* ∂/∂x̂ = (x̂ − x)/σ_x² = (−0.5, 0.5)/0.25 = (−2, 2); ∂/∂μ = μ = 0.3; ∂/∂logvar = ½(0.5 − 1) = −0.25 */
    ckx_close(dxh[0], -2.0, TOL_HAND, "∂L/∂x̂_0", "(x̂ − x)/(σ_x² B): the sign points from x towards x̂.");
    ckx_close(dxh[1], 2.0, TOL_HAND, "∂L/∂x̂_1", NULL);
    ckx_close(dmu[0], 0.3, TOL_HAND, "∂L/∂μ (the KL's part)", "β μ / B.");
    ckx_close(dlv[0], -0.25, TOL_HAND, "∂L/∂logvar (the KL's part)", "β ½(e^logvar − 1)/B.");
}
END_TEST

START_TEST(vae_loss_kl_term_is_chapter_08s)
{
    enum { B = 3, Z = 4, D = 2 };
    float mu[B * Z], lv[B * Z], x[B * D], dxh[B * D], dmu[B * Z], dlv[B * Z];
    Rng r; rng_seed(&r, 94);
    for (int i = 0; i < B * Z; i++) { mu[i] = (float)rng_normal(&r); lv[i] = (float)rng_uniform_range(&r, -3, 1.5); }
    for (int i = 0; i < B * D; i++) x[i] = (float)rng_normal(&r);
    double rec, kl;
    vae_loss(dxh, dmu, dlv, x, x, mu, lv, B, D, Z, 1.0, 1.0, &rec, &kl);
    double want = 0;
    for (int i = 0; i < B; i++) {
        double m[Z], v[Z];
        for (int j = 0; j < Z; j++) { m[j] = mu[i * Z + j]; v[j] = lv[i * Z + j]; }
        want += info_kl_diag_gauss(m, v, NULL, NULL, Z) / B;
    }
    ckx_close(kl, want, 1e-6, "batch-mean KL against chapter 08's info_kl_diag_gauss",
              "sum the KL over the Z latent dimensions of each row, average over the B rows.");
    ckx_close(rec, D * 0.5 * log(2 * M_PI), 1e-6, "reconstruction term with x̂ = x, σ_x = 1",
              "with a perfect reconstruction only the normaliser (D/2) log(2πσ_x²) remains.");
}
END_TEST

typedef struct { float *x, *xh, *mu, *lv; int B, D, Z; double sx, beta; } LossCtx;
static double loss_objective(void *ctx)
{
    LossCtx *c = ctx;
    return ref_vae_loss(c->x, c->xh, c->mu, c->lv, c->B, c->D, c->Z, c->sx, c->beta);
}

START_TEST(vae_loss_gradients)
{
    enum { B = 3, D = 2, Z = 2 };
    float x[B * D], xh[B * D], mu[B * Z], lv[B * Z], dxh[B * D], dmu[B * Z], dlv[B * Z];
    Rng r; rng_seed(&r, 95);
    for (int i = 0; i < B * D; i++) { x[i] = (float)rng_normal(&r); xh[i] = (float)rng_normal(&r); }
    for (int i = 0; i < B * Z; i++) { mu[i] = (float)rng_normal(&r); lv[i] = (float)rng_uniform_range(&r, -2, 1); }
    const double sx = 0.7, beta = 2.5;
    double L = vae_loss(dxh, dmu, dlv, x, xh, mu, lv, B, D, Z, sx, beta, NULL, NULL);
    ckx_rel_close(L, ref_vae_loss(x, xh, mu, lv, B, D, Z, sx, beta), 1e-6, 1e-6, "L with β = 2.5, batch of 3",
                  "L = (1/B) Σ_i (rec_i + β kl_i): β weights only the KL, and the result is a batch MEAN.");
    LossCtx c = { x, xh, mu, lv, B, D, Z, sx, beta };
    for (int i = 0; i < B * D; i++)
        ckx_rel_close(dxh[i], central(xh, i, 1e-3f, loss_objective, &c), TOL_FD, 1e-2, "∂L/∂x̂ against a central difference",
                      "(x̂ − x)/(σ_x² B): divide by the batch size too.");
    for (int i = 0; i < B * Z; i++) {
        ckx_rel_close(dmu[i], central(mu, i, 1e-3f, loss_objective, &c), TOL_FD, 1e-2, "∂L/∂μ against a central difference",
                      "β μ / B: the KL term's gradient, weighted by β.");
        ckx_rel_close(dlv[i], central(lv, i, 1e-3f, loss_objective, &c), TOL_FD, 1e-2,
                      "∂L/∂logvar against a central difference", "β ½(e^logvar − 1)/B.");
    }
}
END_TEST

START_TEST(vae_loss_elbo_of_a_linear_gaussian_model)
{
    /* z ~ N(0, 1), x | z ~ N(z, 1): a decoder x̂ = z with σ_x = 1 and D = Z = 1.
     * For q(z) = N(m, s²) the ELBO is log p(x) − KL(q ‖ N(x/2, ½)), p(x) = N(x; 0, 2)
     * (chapter 08, section 5). The mean of −vae_loss over z ~ q must match it. */
    enum { N = 200000 };
    const double x0 = 1.5, m = 0.2, s = 0.9;
    const double want = info_log_normal(x0, 0, sqrt(2.0)) - info_kl_gauss(m, s, x0 / 2, sqrt(0.5));
    Rng r; rng_seed(&r, 96);
    const float x[1] = { (float)x0 }, mu[1] = { (float)m }, lv[1] = { (float)log(s * s) };
    double sum = 0, sq = 0;
    for (int i = 0; i < N; i++) {
        float z[1] = { (float)(m + s * rng_normal(&r)) }, dxh[1], dmu[1], dlv[1];
        double e = -vae_loss(dxh, dmu, dlv, x, z, mu, lv, 1, 1, 1, 1.0, 1.0, NULL, NULL);
        sum += e; sq += e * e;
    }
    double mean = sum / N, se = sqrt((sq / N - mean * mean) / N);
    ckx_close(mean, want, SE_MC * se + 1e-6, "Monte Carlo ELBO of z ~ N(0,1), x|z ~ N(z,1) at x = 1.5, q = N(0.2, 0.81)",
              "−vae_loss is a one-sample ELBO: −(x − x̂)²/(2σ_x²) − ½ log(2πσ_x²) − KL(q ‖ N(0, 1)).");
    ck_assert_msg(want < info_log_normal(x0, 0, sqrt(2.0)), "(the ELBO is below log p(x): Jensen)");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* gan_d_loss */

typedef struct { float *lr, *lf; int B; } DCtx;
static double d_objective(void *ctx)
{
    DCtx *c = ctx;
    double L = 0;
    for (int i = 0; i < c->B; i++) L += ref_softplus(-(double)c->lr[i]) + ref_softplus(c->lf[i]);
    return L / c->B;
}

START_TEST(d_loss_by_hand_and_gradients)
{
    /* logits 0: D = ½ on both sides: L = log 2 + log 2; dreal = −½/B, dfake = ½/B */
    float lr[2] = { 0, 0 }, lf[2] = { 0, 0 }, dr[2], df[2];
    ckx_close(gan_d_loss(dr, df, lr, lf, 2), 2 * log(2.0), TOL_HAND, "L_D at D = ½ everywhere",
              "−log σ(ℓ_real) − log(1 − σ(ℓ_fake)) averaged over the batch: 2 log 2 when D cannot tell.");
    ckx_close(dr[0], -0.25, TOL_HAND, "∂L_D/∂ℓ_real at ℓ = 0, B = 2", "(σ(ℓ_real) − 1)/B: negative, push real logits up.");
    ckx_close(df[0], 0.25, TOL_HAND, "∂L_D/∂ℓ_fake at ℓ = 0, B = 2", "σ(ℓ_fake)/B: positive, push fake logits down.");
    enum { B = 5 };
    float a[B], b[B], ga[B], gb[B];
    Rng r; rng_seed(&r, 97);
    for (int i = 0; i < B; i++) { a[i] = (float)(2 * rng_normal(&r)); b[i] = (float)(2 * rng_normal(&r)); }
    DCtx c = { a, b, B };
    ckx_rel_close(gan_d_loss(ga, gb, a, b, B), d_objective(&c), 1e-6, 1e-6, "L_D on random logits",
                  "real rows have label 1: softplus(−ℓ_real) = −log D(x); generated rows label 0: softplus(ℓ_fake).");
    for (int i = 0; i < B; i++) {
        ckx_rel_close(ga[i], central(a, i, 1e-3f, d_objective, &c), TOL_FD, 1e-2, "∂L_D/∂ℓ_real against a central difference",
                      "(σ(ℓ) − 1)/B.");
        ckx_rel_close(gb[i], central(b, i, 1e-3f, d_objective, &c), TOL_FD, 1e-2, "∂L_D/∂ℓ_fake against a central difference",
                      "σ(ℓ)/B.");
    }
}
END_TEST

START_TEST(d_loss_extreme_logits)
{
    /* a confident, wrong discriminator: ℓ_real = −100, ℓ_fake = 800: L = (100 + 800)/1 exactly */
    float lr[1] = { -100.0f }, lf[1] = { 800.0f }, dr[1], df[1];
    double L = gan_d_loss(dr, df, lr, lf, 1);
    ckx_close(L, 900.0, 1e-6, "L_D at ℓ_real = −100, ℓ_fake = 800",
              "−log σ(−100) = softplus(100) = 100; log(1 + e^800) overflows unless written as u + log1p(e^{−u}).");
    ckx_close(dr[0], -1.0, 1e-6, "∂L_D/∂ℓ_real at ℓ = −100", NULL);
    ckx_close(df[0], 1.0, 1e-6, "∂L_D/∂ℓ_fake at ℓ = 800", "σ(800) = 1; e^800 is inf: use the stable sigmoid.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* gan_g_loss */

typedef struct { float *l; int B; GanLoss kind; } GCtx;
static double g_objective(void *ctx)
{
    GCtx *c = ctx;
    double L = 0;
    for (int i = 0; i < c->B; i++)
        L += c->kind == GAN_MINIMAX ? -ref_softplus(c->l[i]) : ref_softplus(-(double)c->l[i]);
    return L / c->B;
}

START_TEST(g_loss_by_hand_and_gradients)
{
    float l0[1] = { 0.0f }, g[1];
    ckx_close(gan_g_loss(g, l0, 1, GAN_MINIMAX), -log(2.0), TOL_HAND, "minimax L_G at D = ½",
              "L_G = log(1 − D(G(z))) = −softplus(ℓ): negative.");
    ckx_close(g[0], -0.5, TOL_HAND, "minimax ∂L_G/∂ℓ at D = ½", "−σ(ℓ) = −D.");
    ckx_close(gan_g_loss(g, l0, 1, GAN_NONSATURATING), log(2.0), TOL_HAND, "non-saturating L_G at D = ½",
              "L_G = −log D(G(z)) = softplus(−ℓ).");
    ckx_close(g[0], -0.5, TOL_HAND, "non-saturating ∂L_G/∂ℓ at D = ½", "−(1 − σ(ℓ)) = −(1 − D).");
    enum { B = 4 };
    float l[B], gl[B];
    Rng r; rng_seed(&r, 98);
    for (int i = 0; i < B; i++) l[i] = (float)(2 * rng_normal(&r));
    for (int k = 0; k < 2; k++) {
        GanLoss kind = k ? GAN_NONSATURATING : GAN_MINIMAX;
        GCtx c = { l, B, kind };
        ckx_rel_close(gan_g_loss(gl, l, B, kind), g_objective(&c), 1e-6, 1e-6, k ? "non-saturating L_G" : "minimax L_G",
                      "the batch MEAN.");
        for (int i = 0; i < B; i++)
            ckx_rel_close(gl[i], central(l, i, 1e-3f, g_objective, &c), TOL_FD, 1e-2,
                          k ? "non-saturating ∂L_G/∂ℓ against a central difference"
                            : "minimax ∂L_G/∂ℓ against a central difference",
                          k ? "−(1 − σ(ℓ))/B for L_G = (1/B) Σ softplus(−ℓ)." : "−σ(ℓ)/B for L_G = −(1/B) Σ softplus(ℓ).");
    }
}
END_TEST

START_TEST(g_loss_saturation)
{
    /* The discriminator rejects the sample: ℓ = −10, D = σ(−10) = 4.54e-5. */
    float l[1] = { -10.0f }, g[1];
    const double D = ref_sigmoid(-10.0);
    gan_g_loss(g, l, 1, GAN_MINIMAX);
    ckx_close(g[0], -D, 1e-9, "minimax ∂L_G/∂ℓ where D(G(z)) = 4.5e-5", "−D: it vanishes as D → 0 (saturation).");
    gan_g_loss(g, l, 1, GAN_NONSATURATING);
    ckx_close(g[0], -(1 - D), 1e-6, "non-saturating ∂L_G/∂ℓ where D(G(z)) = 4.5e-5",
              "−(1 − D) → −1: the generator still gets a full-size signal. Did you swap the two losses?");
    /* and at ℓ = −100 nothing overflows */
    l[0] = -100.0f;
    double L = gan_g_loss(g, l, 1, GAN_NONSATURATING);
    ckx_close(L, 100.0, 1e-6, "non-saturating L_G at ℓ = −100", "−log σ(−100) = softplus(100) = 100 (not log 0).");
}
END_TEST

/* The whole GAN: L_G as a function of one generator parameter, z fixed. */
typedef struct { Gan *g; const float *z; int B; } GanCtx;
static double gan_objective(void *ctx)
{
    GanCtx *c = ctx;
    return gan_generator_grad(c->g, c->z, c->B);
}

START_TEST(g_loss_gradient_through_the_discriminator)
{
    for (int k = 0; k < 2; k++) {
        GanConfig cfg = gan_default_config(2);
        cfg.Z = 3; cfg.hidden = 6; cfg.batch = 4; cfg.loss = k ? GAN_NONSATURATING : GAN_MINIMAX;
        Rng r; rng_seed(&r, 99);
        Gan *g = gan_create(&cfg, &r);
        ck_assert_ptr_nonnull(g);
        float z[12];
        for (int i = 0; i < 12; i++) z[i] = (float)rng_normal(&r);
        gan_generator_grad(g, z, 4);
        float *grad = malloc((size_t)g->G->n_params * sizeof *grad);
        ck_assert_ptr_nonnull(grad);
        memcpy(grad, g->G->grads, (size_t)g->G->n_params * sizeof *grad);
        GanCtx c = { g, z, 4 };
        double worst = 0, norm = 0;
        int at = -1;
        for (int i = 0; i < g->G->n_params; i++) {
            double fd = central(g->G->params, i, 1e-2f, gan_objective, &c);
            double err = fabs(grad[i] - fd) / fmax(fmax(fabs(grad[i]), fabs(fd)), 0.02);
            norm += (double)grad[i] * grad[i];
            if (err > worst) { worst = err; at = i; }
        }
        ck_assert_msg(norm > 0, "the generator's gradient is all zero (%s loss). Hint: gan_g_loss must write dfake.",
                      k ? "non-saturating" : "minimax");
        ck_assert_msg(worst <= TOL_NET, "%s generator parameter %d: backprop through the discriminator and central "
                      "difference differ by %.3g (relative). Hint: dfake is ∂L_G/∂ℓ of the batch MEAN.",
                      k ? "non-saturating" : "minimax", at, worst);
        free(grad);
        gan_free(g);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* gen_mode_coverage */

START_TEST(mode_coverage_hand_made_sets)
{
    double C[16];
    for (int j = 0; j < 8; j++) { C[2 * j] = 2 * cos(2 * M_PI * j / 8); C[2 * j + 1] = 2 * sin(2 * M_PI * j / 8); }
    const double sd = 0.02, r3 = 3 * sd;
    /* at mode 0, at mode 3, 2.99σ from mode 5, 3.01σ from mode 6, (2.5σ, 2.5σ) off mode 1 (3.54σ), the origin */
    double X[12] = {
        C[0], C[1],
        C[6], C[7],
        C[10] + 0.99666 * r3, C[11],
        C[12], C[13] + 1.00333 * r3,
        C[2] + 2.5 * sd, C[3] + 2.5 * sd,
        0.0, 0.0,
    };
    int per[8];
    double hq = NAN;
    int m = gen_mode_coverage(X, 6, C, 8, sd, &hq, per);
    ck_assert_msg(m == 3, "covered modes = %d, expected 3 (modes 0, 3 and 5). Hint: a sample counts if its Euclidean "
                  "distance to its nearest centre is <= 3σ; (2.5σ, 2.5σ) off is 3.54σ away (not a box test), 3.01σ is "
                  "out, 2.99σ in.", m);
    ckx_close(hq, 3.0 / 6.0, 1e-12, "high-quality share of the 6 points",
              "share = high-quality samples / ALL samples (the point at the origin counts in the denominator).");
    const int want[8] = { 1, 0, 0, 1, 0, 1, 0, 0 };
    for (int j = 0; j < 8; j++)
        ck_assert_msg(per[j] == want[j], "per_mode[%d] = %d, expected %d", j, per[j], want[j]);
    /* no samples */
    hq = NAN;
    ck_assert_int_eq(gen_mode_coverage(X, 0, C, 8, sd, &hq, NULL), 0);
    ckx_close(hq, 0.0, 0.0, "high-quality share of no samples", "n = 0: return 0, do not divide by 0.");
}
END_TEST

START_TEST(mode_coverage_nearest_mode_only)
{
    /* Two modes 2 apart with a large std 0.5 (3σ = 1.5 > 1): a point at x = 0.9
     * is within 3σ of both, but counts once, for its nearest mode (0, 0). */
    const double C[4] = { 0, 0, 2, 0 }, X[6] = { 0.9, 0, 0.2, 0.1, -0.3, 0 };
    int per[2];
    double hq;
    int m = gen_mode_coverage(X, 3, C, 2, 0.5, &hq, per);
    ck_assert_msg(m == 1 && per[0] == 3 && per[1] == 0, "modes %d, per_mode (%d, %d); expected 1 mode, (3, 0). Hint: "
                  "assign each sample to its NEAREST centre only, then test that distance.", m, per[0], per[1]);
    ckx_close(hq, 1.0, 0, "high-quality share", NULL);
    /* a real sample of the ring: about 1 − e^{−4.5} = 98.9% high quality, all 8 modes */
    enum { N = 8000 };
    static double R[2 * N];
    static int y[N];
    double Cr[16];
    Rng r; rng_seed(&r, 100);
    ds_ring(&r, R, y, N, 8, 2.0, 0.02);
    ds_ring_centres(Cr, 8, 2.0);
    m = gen_mode_coverage(R, N, Cr, 8, 0.02, &hq, NULL);
    ck_assert_int_eq(m, 8);
    ckx_close(hq, 1 - exp(-4.5), 4 * sqrt(0.011 * 0.989 / N), "high-quality share of real ring data",
              "in 2-D, P(‖x − μ‖ <= 3σ) = 1 − e^{−9/2} = 0.989 (Rayleigh), not 0.997.");
}
END_TEST

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("09_vae_gan");
    TCase *tc;
    tc = ckx_tcase(s, "vae_reparam", 5);
    tcase_add_test(tc, reparam_by_hand);
    tcase_add_test(tc, reparam_distribution);
    tc = ckx_tcase(s, "vae_reparam_backward", 10);
    tcase_add_test(tc, reparam_backward_central_differences);
    tcase_add_test(tc, reparam_backward_whole_vae_gradient);
    tc = ckx_tcase(s, "vae_loss", 10);
    tcase_add_test(tc, vae_loss_by_hand);
    tcase_add_test(tc, vae_loss_kl_term_is_chapter_08s);
    tcase_add_test(tc, vae_loss_gradients);
    tcase_add_test(tc, vae_loss_elbo_of_a_linear_gaussian_model);
    tc = ckx_tcase(s, "gan_d_loss", 5);
    tcase_add_test(tc, d_loss_by_hand_and_gradients);
    tcase_add_test(tc, d_loss_extreme_logits);
    tc = ckx_tcase(s, "gan_g_loss", 10);
    tcase_add_test(tc, g_loss_by_hand_and_gradients);
    tcase_add_test(tc, g_loss_saturation);
    tcase_add_test(tc, g_loss_gradient_through_the_discriminator);
    tc = ckx_tcase(s, "gen_mode_coverage", 5);
    tcase_add_test(tc, mode_coverage_hand_made_sets);
    tcase_add_test(tc, mode_coverage_nearest_mode_only);
    return s;
}
