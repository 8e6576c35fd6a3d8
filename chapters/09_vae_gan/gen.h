/* gen — the pieces of a VAE and a GAN that are not the network: the
 * reparameterised sample, the VAE's loss (the negative ELBO), the GAN's two
 * losses, and the mode counter that measures mode collapse (chapter 09).
 *
 * Dimension key: B = batch (rows), D = data dimension (2 here), Z = latent
 * dimension, n = elements. Layout as chapter 04's network: float, row-major,
 * batch-major; mu and logvar are (B, Z), x and xhat are (B, D), logits (B).
 * Gradient conventions (chapter 04): a LOSS writes (=) the gradient of the
 * batch MEAN with respect to its inputs (the 1/B is inside); a BACKWARD pass
 * adds (+=) into its input gradients, so the caller zeroes them first. Sums
 * are done in double.
 *
 * The networks are chapter 04's MLP (mlp.h): the encoder maps x to the 2Z
 * numbers (μ, log σ²), the decoder and the generator map z to x, the
 * discriminator maps x to one logit ℓ with D(x) = σ(ℓ) = 1/(1 + e^{−ℓ}) the
 * probability that x is real. gen_train.h trains them with these functions.
 *
 * Exercises: the functions below, in solutions/09_vae_gan/gen.c (your copy:
 * exercises/09_vae_gan/gen.c). Grade them with `make check CH=09`.
 */
#ifndef GEN_H
#define GEN_H

/* ---------------------------------------------------------------- the VAE */

/* The reparameterisation trick (Kingma & Welling 2014, §2.4): a sample of
 * N(μ, σ²) written as a differentiable function of (μ, log σ²) and noise:
 *     z_i = μ_i + σ_i ε_i,   σ_i = exp(½ logvar_i),   ε_i ~ N(0, 1) given,
 * for n elements. z must not overlap the inputs. */
void vae_reparam(float *z, const float *mu, const float *logvar, const float *eps, int n);

/* Its backward pass, given dz = ∂L/∂z (n):
 *     dmu_i     += dz_i
 *     dlogvar_i += dz_i · ε_i · ½ σ_i       (∂z/∂logvar = ε · ½ exp(½ logvar))
 * ADDED into dmu and dlogvar, which already hold the KL term's gradient. */
void vae_reparam_backward(float *dmu, float *dlogvar, const float *dz, const float *logvar, const float *eps, int n);

/* The VAE's loss, the negative ELBO averaged over the batch, with a Gaussian
 * decoder p(x | z) = N(x̂, σ_x² I) of fixed std sigma_x and the prior N(0, I):
 *     rec_i = −log p(x_i | z_i) = Σ_d (x_id − x̂_id)²/(2σ_x²) + (D/2) log(2π σ_x²)
 *     kl_i  = KL( N(μ_i, diag e^{logvar_i}) ‖ N(0, I) )          (chapter 08, info_kl_diag_gauss)
 *     L = (1/B) Σ_i (rec_i + β·kl_i)        (β = 1: the ELBO; β ≠ 1: a β-VAE)
 * Returns L; writes dxhat (B, D) = ∂L/∂x̂, dmu (B, Z) = ∂(β·KL/B)/∂μ = β·μ/B and
 * dlogvar (B, Z) = β·½(e^{logvar} − 1)/B (=, the KL term's part: the path
 * through z is added by vae_reparam_backward). *rec and *kl, if not NULL,
 * get the batch means of rec_i and kl_i. */
double vae_loss(float *dxhat, float *dmu, float *dlogvar, const float *x, const float *xhat, const float *mu,
                const float *logvar, int B, int D, int Z, double sigma_x, double beta, double *rec, double *kl);

/* ---------------------------------------------------------------- the GAN */

/* The discriminator's loss (Goodfellow et al. 2014): binary cross-entropy with
 * label 1 for real and 0 for generated samples, on logits (D = σ(ℓ)):
 *     L_D = (1/B) Σ_i −log σ(ℓ_real,i) + (1/B) Σ_i −log(1 − σ(ℓ_fake,i))
 *         = (1/B) Σ_i softplus(−ℓ_real,i) + (1/B) Σ_i softplus(ℓ_fake,i),   softplus(u) = log(1 + e^u)
 * Returns L_D; writes dreal (B) = (σ(ℓ_real) − 1)/B and dfake (B) = σ(ℓ_fake)/B.
 * Finite for any finite logits (e^{100} must not be computed as such). */
double gan_d_loss(float *dreal, float *dfake, const float *lreal, const float *lfake, int B);

/* The generator's loss on the logits of its samples:
 *   GAN_MINIMAX         L_G = (1/B) Σ log(1 − σ(ℓ)) = −(1/B) Σ softplus(ℓ);  dℓ = −σ(ℓ)/B = −D/B
 *   GAN_NONSATURATING   L_G = −(1/B) Σ log σ(ℓ) = (1/B) Σ softplus(−ℓ);     dℓ = −(1 − σ(ℓ))/B = −(1 − D)/B
 * Returns L_G; writes dfake (B). Where the discriminator rejects a sample
 * (D → 0), the minimax gradient vanishes and the non-saturating one does not. */
typedef enum { GAN_MINIMAX, GAN_NONSATURATING } GanLoss;
double gan_g_loss(float *dfake, const float *lfake, int B, GanLoss kind);

/* ---------------------------------------------------------------- mode coverage */

/* Mode coverage of samples X (n, 2) of a mixture with k <= GEN_MAX_MODES equal isotropic modes
 * at centres (k, 2) of standard deviation std (VEEGAN, Srivastava et al. 2017):
 *   a sample is HIGH QUALITY if its Euclidean distance to its nearest centre is
 *   at most GEN_HQ_SIGMAS·std; it then counts for that mode;
 *   a mode is COVERED if at least one high-quality sample counts for it.
 * Returns the number of covered modes (0..k); *hq_share (if not NULL) gets the
 * share of high-quality samples (0 when n = 0); per_mode (k, if not NULL) gets
 * each mode's count of high-quality samples. */
#define GEN_HQ_SIGMAS 3.0
#define GEN_MAX_MODES 1024
int gen_mode_coverage(const double *X, int n, const double *centres, int k, double std, double *hq_share,
                      int *per_mode);

#endif
