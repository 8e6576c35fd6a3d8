/* gen.c — the VAE's reparameterisation and loss, the GAN's losses, and the
 * mode counter (chapter 09; see gen.h and the chapter README).
 *
 * Each function marked EXERCISE is yours to write in exercises/09_vae_gan/gen.c.
 * Check your work with `make check CH=09`.
 */
#include "gen.h"
#include "info.h"

#include <math.h>
#include <stddef.h>

/* ======================================================================== */
/* EXERCISE 1: the reparameterisation step
 *
 *   z = μ + σ ⊙ ε,   σ = exp(½ logvar),   ε ~ N(0, I)
 *
 * Sampling z ~ N(μ, σ²) directly is not a differentiable operation of μ and
 * σ; drawing ε first and transforming it is. (S003 §11b's
 * aN(μ, σ²) + b = N(aμ + b, a²σ²) with a = σ, b = μ applied to N(0, 1).)
 * The encoder outputs logvar = log σ², so that any real number is a valid
 * variance: σ = exp(½ logvar), not exp(logvar) and not sqrt(logvar).
 */
void vae_reparam(float *z, const float *mu, const float *logvar, const float *eps, int n)
{
    /* TODO: your code here (see the comment above the function). */
    (void)z; (void)mu; (void)logvar; (void)eps; (void)n;
}

/* ======================================================================== */
/* EXERCISE 2: its gradient (the pathwise derivative)
 *
 *   ∂z/∂μ = 1,   ∂z/∂logvar = ε · d/dlogvar exp(½ logvar) = ε · ½ σ
 *   dμ += dz,    dlogvar += dz · ε · ½σ
 *
 * ADD (+=): dmu and dlogvar already hold the KL term's gradient (vae_loss),
 * and the two paths from μ to the loss (through the KL and through z) sum.
 * The ½ comes from the chain rule through ½ logvar: a common slip.
 */
void vae_reparam_backward(float *dmu, float *dlogvar, const float *dz, const float *logvar, const float *eps, int n)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dmu; (void)dlogvar; (void)dz; (void)logvar; (void)eps; (void)n;
}

/* ======================================================================== */
/* EXERCISE 3: the negative ELBO and its gradients
 *
 *   ELBO(x) = E_q(z|x)[log p(x | z)] − KL(q(z | x) ‖ p(z))  <=  log p(x)     (Jensen, chapter 08)
 *   one sample z of q:  −ELBO ≈ rec + KL,
 *   rec = Σ_d (x_d − x̂_d)²/(2σ_x²) + (D/2) log(2πσ_x²)           (Gaussian decoder N(x̂, σ_x² I))
 *   KL  = Σ_j KL(N(μ_j, e^{logvar_j}) ‖ N(0, 1)) = ½ Σ_j (e^{logvar_j} + μ_j² − 1 − logvar_j)
 *   L = (1/B) Σ_i (rec_i + β kl_i)
 *   ∂L/∂x̂_d = (x̂_d − x_d)/(σ_x² B),   ∂L/∂μ_j = β μ_j / B,   ∂L/∂logvar_j = β ½(e^{logvar_j} − 1)/B
 *
 * Use chapter 08's Gaussian KL for the KL term (info_kl_gauss(μ, σ, 0, 1)
 * per coordinate, σ = exp(½ logvar); info.h is included above). Keep the
 * constant (D/2) log(2πσ_x²): without it the loss is not −ELBO and cannot be
 * compared with a log-likelihood (it has no gradient, so training is the same).
 * Write all three gradients (=) and *rec, *kl if not NULL.
 */
double vae_loss(float *dxhat, float *dmu, float *dlogvar, const float *x, const float *xhat, const float *mu,
                const float *logvar, int B, int D, int Z, double sigma_x, double beta, double *rec, double *kl)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dxhat; (void)dmu; (void)dlogvar; (void)x; (void)xhat; (void)mu; (void)logvar; (void)B; (void)D;
    (void)Z; (void)sigma_x; (void)beta; (void)rec; (void)kl;
    return 0.0;
}

/* softplus(u) = log(1 + e^u), computed without overflow: for u > 0 it is
 * u + log(1 + e^{−u}). Given. */
static double softplus(double u) { return u > 0 ? u + log1p(exp(-u)) : log1p(exp(u)); }
static double sigmoid(double u) { return u >= 0 ? 1.0 / (1.0 + exp(-u)) : exp(u) / (1.0 + exp(u)); }

/* ======================================================================== */
/* EXERCISE 4: the discriminator's loss and its gradient with respect to the logits
 *
 *   L_D = −(1/B) Σ log σ(ℓ_r) − (1/B) Σ log(1 − σ(ℓ_f))
 *       =  (1/B) Σ softplus(−ℓ_r) + (1/B) Σ softplus(ℓ_f)       (−log σ(u) = softplus(−u), −log(1−σ(u)) = softplus(u))
 *   ∂L_D/∂ℓ_r = (σ(ℓ_r) − 1)/B,   ∂L_D/∂ℓ_f = σ(ℓ_f)/B
 *
 * The same binary cross-entropy as logistic regression (chapter 03) with
 * labels 1 (real) and 0 (fake). Work with logits, not probabilities:
 * log(σ(ℓ)) for ℓ = −800 is log(0) = −inf, softplus(800) is 800. The helpers
 * softplus() and sigmoid() above are stable; use them.
 */
double gan_d_loss(float *dreal, float *dfake, const float *lreal, const float *lfake, int B)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dreal; (void)dfake; (void)lreal; (void)lfake; (void)B; (void)softplus; (void)sigmoid;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 5: the generator's loss, minimax or non-saturating
 *
 *   minimax (the game's own value):  L_G = (1/B) Σ log(1 − D(G(z))) = −(1/B) Σ softplus(ℓ),   ∂/∂ℓ = −σ(ℓ)/B
 *   non-saturating (Goodfellow 2014 §3): L_G = −(1/B) Σ log D(G(z)) = (1/B) Σ softplus(−ℓ),  ∂/∂ℓ = −(1 − σ(ℓ))/B
 *
 * Both push ℓ up (make the samples look real). Early in training the
 * discriminator rejects the generator's samples easily: ℓ ≪ 0, D ≈ 0. The
 * minimax gradient −D is then ≈ 0 (the generator learns nothing), while the
 * non-saturating one is ≈ −1: same fixed point, far stronger signal. The
 * generator's network receives dfake through the discriminator (mlp_input_grad).
 */
double gan_g_loss(float *dfake, const float *lfake, int B, GanLoss kind)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dfake; (void)lfake; (void)B; (void)kind;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 6: the mode counter (VEEGAN's mode-collapse measure)
 *
 *   nearest centre c(x) = argmin_c ‖x − centre_c‖;   x is high quality if ‖x − centre_c(x)‖ <= 3σ
 *   covered modes = #{c : at least one high-quality sample has c(x) = c}
 *   hq_share = (number of high-quality samples) / n
 *
 * Distance is Euclidean in 2-D, not per coordinate: a point 2.5σ off in x and
 * in y is 3.54σ away. (For an exact sample of one mode, P(‖x − μ‖ <= 3σ) =
 * 1 − e^{−9/2} = 98.9% in 2-D, not the 99.7% of one dimension.) Compare squared
 * distances with (3σ)² to avoid the square roots. n = 0 gives 0 modes and share 0.
 */
int gen_mode_coverage(const double *X, int n, const double *centres, int k, double std, double *hq_share,
                      int *per_mode)
{
    /* TODO: your code here (see the comment above the function). */
    (void)X; (void)n; (void)centres; (void)k; (void)std; (void)hq_share; (void)per_mode;
    return 0;
}
