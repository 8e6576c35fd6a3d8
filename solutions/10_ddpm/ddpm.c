/* ddpm.c — noise schedules, the forward process, the training loss and one
 * step of the ancestral sampler (chapter 10).
 *
 * Each function marked EXERCISE is yours to write in exercises/10_ddpm/ddpm.c.
 * Check your work with `make check CH=10` (one test case per function, e.g.
 * CK_RUN_CASE=ddpm_step make check CH=10); `make run CH=10 IMPL=exercises`
 * trains and samples the chapter's models with your functions.
 *
 * Notation (ddpm.h and the README): β_t the schedule, α_t = 1 − β_t,
 * ᾱ_t = Π_{s≤t} α_s, arrays indexed by t = 0..T. Ho et al. = "Denoising
 * Diffusion Probabilistic Models" (2020); N&D = Nichol & Dhariwal, "Improved
 * Denoising Diffusion Probabilistic Models" (2021).
 */
#include "ddpm.h"
#include "denoiser.h"
#include "nn.h"
#include "vmath.h"

#include <math.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 1: the linear schedule (Ho et al. §4: β from 10⁻⁴ to 0.02)
 *
 *   β_t = β_1 + (t − 1)/(T − 1)·(β_T − β_1),   t = 1..T,      beta[0] = 0
 *
 * β_1 when T = 1 (no division by T − 1 = 0). The arrays are indexed by t
 * itself: beta[1] is β_1, beta[T] is β_T.
 */
void ddpm_linear_betas(double *beta, int T, double beta_1, double beta_T)
{
    // BEGIN SOLUTION
    beta[0] = 0.0;
    for (int t = 1; t <= T; t++) beta[t] = T == 1 ? beta_1 : beta_1 + (double)(t - 1) / (T - 1) * (beta_T - beta_1);
    // END SOLUTION
    // STUB (void)beta; (void)T; (void)beta_1; (void)beta_T;
}

/* ======================================================================== */
/* EXERCISE 2: the cosine schedule (N&D eq. 17)
 *
 *   ᾱ(t) = f(t)/f(0),   f(t) = cos²( (t/T + s)/(1 + s) · π/2 )
 *   β_t = min(1 − ᾱ(t)/ᾱ(t − 1), max_beta),   t = 1..T,   beta[0] = 0
 *
 * N&D define ᾱ directly (so that it falls like a cosine, slowly at both
 * ends) and derive β from it. The small offset s = 0.008 keeps β_1 from being
 * tiny; the cap max_beta = 0.999 keeps β_T < 1, since f(T) = cos²(π/2) = 0
 * would make ᾱ_T = 0 and β_T = 1. Compute in double (M_PI).
 */
void ddpm_cosine_betas(double *beta, int T, double s, double max_beta)
{
    // BEGIN SOLUTION
    beta[0] = 0.0;
    const double f0 = cos(s / (1.0 + s) * M_PI / 2);
    double prev = 1.0;   /* ᾱ(0) = f(0)/f(0) */
    for (int t = 1; t <= T; t++) {
        const double c = cos(((double)t / T + s) / (1.0 + s) * M_PI / 2), abar = c * c / (f0 * f0);
        const double b = 1.0 - abar / prev;
        beta[t] = b < max_beta ? b : max_beta;
        prev = abar;
    }
    // END SOLUTION
    // STUB (void)beta; (void)T; (void)s; (void)max_beta;
}

/* ======================================================================== */
/* EXERCISE 3: everything else the sampler needs, from β
 *
 *   α_t = 1 − β_t
 *   ᾱ_t = α_1·α_2·…·α_t  = ᾱ_{t−1}·α_t          (ᾱ_0 = 1)
 *   β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t        (β̃_0 = 0; note β̃_1 = 0)
 *
 * for t = 0..T, with beta[0] = 0, alpha[0] = alpha_bar[0] = 1. ᾱ_t is the
 * CUMULATIVE product: the forward process jumps from x_0 to x_t in one go
 * with it (seed 003 §12 writes α_t there, an erratum). β̃_t is the variance
 * of q(x_{t−1} | x_t, x_0), the true posterior (Ho et al. eq. 7).
 */
void ddpm_schedule_from_betas(Schedule *s)
{
    // BEGIN SOLUTION
    s->beta[0] = 0.0;
    s->alpha[0] = 1.0;
    s->alpha_bar[0] = 1.0;
    s->beta_tilde[0] = 0.0;
    for (int t = 1; t <= s->T; t++) {
        s->alpha[t] = 1.0 - s->beta[t];
        s->alpha_bar[t] = s->alpha_bar[t - 1] * s->alpha[t];
        s->beta_tilde[t] = (1.0 - s->alpha_bar[t - 1]) / (1.0 - s->alpha_bar[t]) * s->beta[t];
    }
    // END SOLUTION
    // STUB (void)s;
}

/* ======================================================================== */
/* EXERCISE 4: the forward process in one jump (Ho et al. eq. 4)
 *
 *   q(x_t | x_0) = N(√ᾱ_t·x_0, (1 − ᾱ_t)·I),  so  x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε
 *
 * for each row i, with t = t[i] and the given noise eps (B, D). Every row
 * has its own t: a training batch mixes all noise levels. At t = 0 the data
 * come back unchanged; at ᾱ_t ≈ 0 only the noise is left.
 */
void ddpm_q_sample(float *xt, const float *x0, const float *eps, const int *t, const Schedule *s, int B, int D)
{
    // BEGIN SOLUTION
    for (int i = 0; i < B; i++) {
        const float a = (float)sqrt(s->alpha_bar[t[i]]), b = (float)sqrt(1.0 - s->alpha_bar[t[i]]);
        for (int d = 0; d < D; d++) {
            const size_t k = (size_t)i * D + d;
            xt[k] = a * x0[k] + b * eps[k];
        }
    }
    // END SOLUTION
    // STUB (void)xt; (void)x0; (void)eps; (void)t; (void)s; (void)B; (void)D;
}

/* ======================================================================== */
/* EXERCISE 5: the sinusoidal embedding (Vaswani et al. 2017 §3.5, the form
 * of tiny-diffusion's SinusoidalEmbedding)
 *
 *   ω_k = exp(−ln(10⁴)·k/(F − 1)),   k = 0..F−1       (1, …, 10⁻⁴: geometric)
 *   out[i][k]     = sin(scale·v_i·ω_k)
 *   out[i][F + k] = cos(scale·v_i·ω_k)
 *
 * The fast frequencies tell nearby values apart, the slow ones far apart
 * values, and every feature is bounded: a network reads t = 7 and t = 700
 * equally well. (The sines first, then the cosines, as torch.cat((sin, cos)).)
 * Use sinf/cosf on the float product, or vm_sincos_n of vmath.h on a row's
 * products (the same values within 2 ulp, vectorised); compute the ω_k once
 * per call.
 */
void ddpm_sinusoidal_embedding(float *out, const float *v, int B, int F, float scale)
{
    // BEGIN SOLUTION
    float omega[F], arg[F];
    for (int k = 0; k < F; k++) omega[k] = expf(-logf(10000.0f) * (float)k / (float)(F - 1));
    for (int i = 0; i < B; i++) {
        float *o = out + (size_t)i * 2 * F;
        const float x = scale * v[i];
        for (int k = 0; k < F; k++) arg[k] = x * omega[k];
        vm_sincos_n(o, o + F, arg, F);   /* sinf(arg[k]), cosf(arg[k]) */
    }
    // END SOLUTION
    // STUB (void)out; (void)v; (void)B; (void)F; (void)scale;
}

/* ======================================================================== */
/* EXERCISE 6: the training loss, L_simple (Ho et al. Algorithm 1, eq. 14)
 *
 *   t ~ U{1..T},  ε ~ N(0, I),  x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
 *   L = mean over the batch and the coordinates of (target − net(x_t, t))²,
 *       target = ε  (DDPM_PRED_EPS)  or  x_0  (DDPM_PRED_X0)
 *   ∂L/∂net = 2(net − target)/(B·D)
 *
 * Steps:
 *   1. the draws, in this order (the tests replay them): w->t[i] = 1 +
 *      rng_int(rng, s->T) for i = 0..B−1; then w->eps[k] = rng_normal(rng)
 *      for k = 0..B·D−1;
 *   2. w->xt from ddpm_q_sample;
 *   3. out = den_forward(net, w->xt, w->t, cls, B, NN_TRAIN) (denoiser.h);
 *   4. the loss and its gradient into w->dpred: chapter 04's nn_mse does both;
 *   5. den_backward(net, w->dpred) adds ∂L/∂θ into the network's gradients.
 * Return L. (Seed 003 §12 writes "∇_ε" for this step: the gradient is with
 * respect to the network's parameters θ, not the noise.)
 */
float ddpm_loss(Denoiser *net, const float *x0, const int *cls, int B, const Schedule *s, DdpmPred pred,
                DdpmWork *w, Rng *rng)
{
    // BEGIN SOLUTION
    const int D = w->dim;
    for (int i = 0; i < B; i++) w->t[i] = 1 + rng_int(rng, s->T);
    for (int k = 0; k < B * D; k++) w->eps[k] = (float)rng_normal(rng);
    ddpm_q_sample(w->xt, x0, w->eps, w->t, s, B, D);
    const float *out = den_forward(net, w->xt, w->t, cls, B, NN_TRAIN);
    float loss = nn_mse(w->dpred, out, pred == DDPM_PRED_EPS ? w->eps : x0, B, D);
    den_backward(net, w->dpred);
    return loss;
    // END SOLUTION
    // STUB (void)net; (void)x0; (void)cls; (void)B; (void)s; (void)pred; (void)w; (void)rng;
    // STUB return 0.0f;
}

/* ======================================================================== */
/* EXERCISE 7: one ancestral sampling step (Ho et al. Algorithm 2, eq. 11)
 *
 *   μ_θ(x_t, t) = ( x_t − β_t/√(1 − ᾱ_t) · ε_θ(x_t, t) ) / √α_t
 *   x_{t−1} = μ_θ + σ_t·z,     σ_t² = β_t  or  β̃_t,
 *   and at t = 1 no noise: x_0 = μ_θ(x_1, 1).
 *
 * The fraction has √(1 − ᾱ_t), the CUMULATIVE ᾱ, in its denominator, and
 * β_t = 1 − α_t in its numerator (seed 003 §12 writes (1 − α_t)/√(1 − α_t),
 * an erratum). Where this comes from: μ̃ of q(x_{t−1} | x_t, x_0) with x_0
 * replaced by its estimate from ε (the README). Compute the coefficients
 * once, in double, then run the loop in float.
 */
void ddpm_step(float *x_prev, const float *xt, const float *eps, const float *z, int t, const Schedule *s,
               DdpmVar var, int n)
{
    // BEGIN SOLUTION
    const float c0 = (float)(1.0 / sqrt(s->alpha[t]));
    const float c1 = (float)(s->beta[t] / sqrt(1.0 - s->alpha_bar[t]));
    const float sigma = t > 1 ? (float)sqrt(var == DDPM_VAR_BETA ? s->beta[t] : s->beta_tilde[t]) : 0.0f;
    for (int i = 0; i < n; i++) {
        const float mu = c0 * (xt[i] - c1 * eps[i]);
        x_prev[i] = t > 1 ? mu + sigma * z[i] : mu;
    }
    // END SOLUTION
    // STUB (void)x_prev; (void)xt; (void)eps; (void)z; (void)t; (void)s; (void)var; (void)n;
}

/* ======================================================================== */
/* EXERCISE 8: the clean data the network believes in (Ho et al. eq. 15)
 *
 *   x̂_0 = ( x_t − √(1 − ᾱ_t)·ε_θ ) / √ᾱ_t
 *
 * ddpm_q_sample solved for x_0, with the noise estimated. Along the chain it
 * shows what the sampler is heading for: a blur of the data early (large t),
 * sharp detail late.
 */
void ddpm_x0_from_eps(float *x0, const float *xt, const float *eps, int t, const Schedule *s, int n)
{
    // BEGIN SOLUTION
    const float a = (float)(1.0 / sqrt(s->alpha_bar[t])), b = (float)sqrt(1.0 - s->alpha_bar[t]);
    for (int i = 0; i < n; i++) x0[i] = a * (xt[i] - b * eps[i]);
    // END SOLUTION
    // STUB (void)x0; (void)xt; (void)eps; (void)t; (void)s; (void)n;
}
