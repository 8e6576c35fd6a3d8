/* gen_train — a VAE and a GAN built from chapter 04's MLP and trained with
 * the exercises of gen.h (chapter 09). Given code: nothing here is an
 * exercise, so with IMPL=exercises every model of the chapter trains on
 * your losses.
 *
 *     VaeConfig vc = vae_default_config(2, 2);            // D = 2 data dims, Z = 2 latent dims
 *     Vae *v = vae_create(&vc, &rng);
 *     for (...) { VaeStats st = vae_step(v, xbatch, B, &rng); }   // one Adam step each
 *     vae_sample(v, n, &rng, xs);                         // decoder means at z ~ N(0, I)
 *
 *     GanConfig gc = gan_default_config(2);
 *     Gan *g = gan_create(&gc, &rng);
 *     for (...) { GanStats st = gan_step(g, xbatch, B, &rng); }   // a D step, then a G step
 *     gan_sample(g, n, &rng, xs);
 *
 * Networks. The VAE's encoder maps x (D) to 2Z numbers, the first Z the means
 * μ and the last Z the log-variances log σ² of q(z | x) = N(μ, diag σ²); its
 * decoder maps z (Z) to x̂ (D), the mean of p(x | z) = N(x̂, σ_x² I). The GAN's
 * generator maps z ~ N(0, I_Z) to x (D); its discriminator maps x to one logit.
 * Every hidden layer is `hidden` wide with ReLU (chapter 04's MlpSpec).
 *
 * Batches are float (B, D) rows; B <= cfg.batch. Sampling and evaluation run
 * in chunks, so n is unlimited. All random draws come from the Rng passed.
 * Errors: the create functions return NULL for an invalid configuration
 * (gen_config_error says why); everything else cannot fail.
 */
#ifndef GEN_TRAIN_H
#define GEN_TRAIN_H
#include "gen.h"
#include "mlp.h"
#include "rng.h"

/* ---------------------------------------------------------------- the VAE */

typedef struct {
    int D, Z;          /* data and latent dimensions */
    int hidden;        /* width of every hidden layer */
    int layers;        /* hidden layers per network (1..MLP_MAX_LAYERS − 1) */
    double sigma_x;    /* the decoder's fixed std σ_x */
    double beta;       /* weight of the KL term (1: the ELBO) */
    float lr;          /* Adam's step size, both networks */
    int batch;         /* largest batch a step takes */
} VaeConfig;

typedef struct {
    VaeConfig cfg;
    Mlp *enc, *dec;            /* encoder D → 2Z, decoder Z → D */
    Optim *oe, *od;            /* Adam on each */
    float *mu, *logvar;        /* (batch, Z) q's parameters */
    float *eps, *z;            /* (batch, Z) the noise and the reparameterised sample */
    float *dxhat;              /* (batch, D) ∂L/∂x̂ */
    float *dz, *dmu, *dlogvar; /* (batch, Z) */
    float *denc;               /* (batch, 2Z) ∂L/∂(encoder output) */
} Vae;

typedef struct {
    double loss;   /* −ELBO (β = 1) or the β-weighted loss, batch mean, nats */
    double rec;    /* reconstruction term −log p(x | z), batch mean */
    double kl;     /* KL(q(z | x) ‖ N(0, I)), batch mean */
} VaeStats;

VaeConfig vae_default_config(int D, int Z);   /* 2 hidden layers of 128, σ_x 0.1, β 1, lr 1e-3, batch 256 */
Vae  *vae_create(const VaeConfig *c, Rng *rng);
void  vae_free(Vae *v);                        /* accepts NULL */
/* One training step on x (B, D): encode, reparameterise, decode, vae_loss,
 * backward through both networks, one Adam step each. Returns the batch's
 * loss terms before the step. */
VaeStats vae_step(Vae *v, const float *x, int B, Rng *rng);
/* The gradients of one batch with the given noise eps (B, Z), without a
 * step: the encoder's and decoder's grads are zeroed, then hold ∂L/∂θ
 * (vae_step is vae_grad with fresh noise, then Adam). For gradient checks. */
VaeStats vae_grad(Vae *v, const float *x, const float *eps, int B);
/* The same loss terms on n examples without updating (one z per example). */
VaeStats vae_evaluate(Vae *v, const float *x, int n, Rng *rng);
/* n samples of the model: decoder means x̂(z) at z ~ N(0, I) into x (n, D). */
void vae_sample(Vae *v, int n, Rng *rng, float *x);
/* The encoder's means μ(x) (n, Z) of n examples x (n, D). */
void vae_encode_mean(Vae *v, const float *x, int n, float *mu);
/* Reconstructions x̂(μ(x)) (n, D): decode the encoder's means. */
void vae_reconstruct(Vae *v, const float *x, int n, float *xhat);

/* ---------------------------------------------------------------- the GAN */

typedef struct {
    int D, Z;          /* data and noise dimensions */
    int hidden;        /* width of every hidden layer, both networks */
    int layers;        /* hidden layers per network */
    GanLoss loss;      /* the generator's loss: GAN_NONSATURATING or GAN_MINIMAX */
    float lr_g, lr_d;  /* Adam's step sizes */
    float beta1;       /* Adam's β₁ (0.5 is the usual GAN choice, Radford et al. 2016) */
    int batch;         /* largest batch a step takes */
} GanConfig;

typedef struct {
    GanConfig cfg;
    Mlp *G, *Dn;               /* generator Z → D, discriminator D → 1 */
    Optim *og, *od;
    float *z;                  /* (batch, Z) noise */
    float *xboth;              /* (2·batch, D) real rows, then generated rows */
    float *dlogit;             /* (2·batch) ∂L/∂logits */
    float *dx;                 /* (batch, D) ∂L_G/∂x through the discriminator */
} Gan;

typedef struct {
    double d_loss, g_loss;     /* the two losses of the step */
    double d_real, d_fake;     /* mean D(x) on the real and on the generated rows (D step) */
} GanStats;

GanConfig gan_default_config(int D);   /* Z 16, 2 hidden layers of 128, non-saturating, lr 2e-4 / 2e-4, β₁ 0.5, batch 256 */
Gan  *gan_create(const GanConfig *c, Rng *rng);
void  gan_free(Gan *g);
/* One discriminator step on x_real (B, D) and B fresh samples, then one
 * generator step on B fresh samples, the generator's gradient taken through
 * the discriminator's input gradient (mlp_input_grad). */
GanStats gan_step(Gan *g, const float *x_real, int B, Rng *rng);
/* The two halves of a step, without the optimiser, for the noise z (B, Z):
 * the discriminator's grads of L_D on x_real and G(z) (st may be NULL), and
 * the generator's grads of L_G on G(z); each zeroes its network's grads
 * first and returns its loss. */
double gan_discriminator_grad(Gan *g, const float *x_real, const float *z, int B, GanStats *st);
double gan_generator_grad(Gan *g, const float *z, int B);
void gan_sample(Gan *g, int n, Rng *rng, float *x);          /* x (n, D) = G(z), z ~ N(0, I) */
void gan_discriminate(Gan *g, const float *x, int n, float *prob);   /* prob (n) = D(x) = σ(logit) */

/* NULL if the configuration is valid, else why not (for either model: the
 * fields of a VaeConfig or a GanConfig mapped onto these). */
const char *gen_config_error(int D, int Z, int hidden, int layers, int batch);

#endif
