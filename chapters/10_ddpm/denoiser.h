/* denoiser — the network ε_θ(x_t, t, c) of chapters 10–15, its training loop
 * and the sampler's loop (given code, chapter 10).
 *
 * The network is the course's one MLP (chapter 04, mlp.h) behind an input
 * stage that turns (x, t, c) into one row of features:
 *
 *     [ x | emb(x) | emb(t) | one-hot(c) ]
 *     x           x itself, D values (left out with x_embed_only);
 *     emb(x)      with x_scale > 0, every coordinate as
 *                 ddpm_sinusoidal_embedding(x_scale·x_j): 2F values each.
 *                 tiny-diffusion embeds 25·x (and nothing raw) so that the
 *                 network resolves fine detail in 2-D. Keep x raw beside
 *                 it for T = 1000: the embedding is bounded, so a network
 *                 that sees only it cannot keep growing ε ≈ x_t/√(1 − ᾱ_t)
 *                 for a point far out, and the chain's 1/√α_t per step then
 *                 carries such a point away (the README shows it). Images
 *                 enter raw;
 *     emb(t)      ddpm_sinusoidal_embedding of t_scale·t: 2F values;
 *     one-hot(c)  with n_classes = K > 0: K + 1 values, a 1 at c in 0..K−1
 *                 or at K for "no class" (DEN_NO_CLASS; classifier-free
 *                 guidance, chapter 12, trains with labels dropped to it).
 *                 The first layer's weights on these columns are a learned
 *                 class embedding added to its pre-activation.
 *
 * then features → hidden → … → hidden → D: `depth` hidden layers of `hidden`
 * units, those after the first residual blocks h ← h + g(W h + b)
 * (tiny-diffusion's architecture), a linear output. The embeddings are the
 * exercise ddpm_sinusoidal_embedding: with IMPL=exercises the network runs on
 * yours. The input gradient (den_input_grad) goes back through them.
 *
 * Memory: a Denoiser owns its MLP and its feature buffers for max_batch rows;
 * like the MLP it keeps the activations of its last forward pass only.
 * Errors: den_create returns NULL for an invalid spec (den_spec_error says
 * why); out-of-memory exits (util.h); B > max_batch is a programming error.
 */
#ifndef DENOISER_H
#define DENOISER_H
#include <stddef.h>
#include "ddpm.h"
#include "mlp.h"
#include "rng.h"

#define DEN_NO_CLASS (-1)   /* the "null" label of a class-conditional network */

typedef struct {
    int dim;          /* D: coordinates of a point (2) or pixels of an image (h·w) */
    int hidden;       /* width of the hidden layers */
    int depth;        /* hidden layers, >= 1 (the first maps features to hidden; the rest are residual) */
    NnAct act;        /* hidden activation */
    MlpInit init;     /* initialisation (MLP_INIT_TORCH for tiny-diffusion) */
    int freqs;        /* F: frequencies of each sinusoidal embedding (2F features per embedded scalar) */
    float t_scale;    /* the time embedding embeds t_scale·t */
    float x_scale;    /* > 0: coordinates also embedded as sinusoids of x_scale·x; 0: not */
    int x_embed_only; /* 1 (with x_scale > 0): the embedding only, no raw x (tiny-diffusion) */
    int n_classes;    /* K > 0: a class input (K + 1 one-hot columns); 0: none */
    int n_out;        /* outputs per row: 0 = dim (a denoiser); > 0 another width, e.g. the K logits of
                         chapter 12's noise-conditional classifier p(c | x_t, t) on the same features */
} DenSpec;

struct Denoiser {
    DenSpec spec;
    Mlp *net;         /* the MLP: n_feat inputs, D outputs */
    int n_feat;       /* features per row (the MLP's input width) */
    int max_batch;
    float *feat;      /* (max_batch, n_feat) the last forward's features: the MLP's input buffer net->x */
    float *dfeat;     /* (max_batch, n_feat) ∂L/∂features (den_input_grad) */
    float *scalar;    /* (max_batch) one embedded column (t or x_j), as float */
    float *emb;       /* (max_batch, 2F) its embedding */
};

const char *den_spec_error(const DenSpec *s);   /* NULL if valid, else why not */
int   den_features(const DenSpec *s);            /* n_feat of this spec */
MlpSpec den_mlp_spec(const DenSpec *s);          /* the MLP behind it */
/* "2-D, x·25 emb 64, t emb 64, 4×128 gelu-erf residual" into buf; returns buf. */
char *den_describe(const DenSpec *s, char *buf, size_t len);

/* A denoiser for batches of up to max_batch rows; rng initialises the MLP
 * (NULL: zeros, before a load). NULL if the spec is invalid. */
Denoiser *den_create(const DenSpec *s, int max_batch, Rng *rng);
/* A copy of d's network with its own buffers (another thread's sampler). */
Denoiser *den_clone(const Denoiser *d, int max_batch);
void den_free(Denoiser *d);                     /* accepts NULL */

/* The network's output (B, D) (with n_out > 0: (B, n_out)) for x (B, D) at timesteps t (B) with classes
 * cls (B; NULL = DEN_NO_CLASS everywhere; ignored without a class input).
 * Valid until the next forward. */
const float *den_forward(Denoiser *d, const float *x, const int *t, const int *cls, int B, NnMode mode);
/* grads += ∂L/∂θ for dout = ∂L/∂output (B, D or n_out) of the last forward. */
void den_backward(Denoiser *d, const float *dout);
/* dx (B, D) = ∂L/∂x of the last forward, through the embeddings; grads untouched. */
void den_input_grad(Denoiser *d, const float *dout, float *dx);

/* ---------------------------------------------------------------- training */

typedef struct {
    int steps;           /* optimiser steps */
    int batch;           /* rows per step: epochs of shuffled data, the last partial batch dropped
                            (PyTorch's DataLoader(shuffle=True, drop_last=True)) */
    float lr;            /* learning rate */
    OptimKind optim;     /* OPTIM_ADAM or OPTIM_ADAMW */
    float weight_decay;  /* AdamW's λ */
    Optim *optimizer;    /* NULL: a new optimiser (optim, lr, weight_decay) for this call; else this
                            one, for the network's parameters, continued across calls with its own
                            settings (lr_cosine still sets its lr from lr) */
    float clip;          /* gradient-norm clip (torch.nn.utils.clip_grad_norm_); 0: none */
    int lr_cosine;       /* 1: the learning rate falls from lr to 0 along a half cosine; 0: constant */
    float ema;           /* > 0: keep an exponential moving average of the parameters with this decay
                            (e.g. 0.999; Ho et al. use 0.9999) and leave it in the network at the end */
    DdpmPred pred;       /* ε- or x_0-prediction */
    int curve_points;    /* loss curve: the mean loss over each of this many equal stretches */
    double *curve;       /* (curve_points) out, or NULL */
    const char *label;   /* progress label; NULL: no progress display */
    int quiet;
    /* Called on each batch's labels before the loss (chapter 12's label
     * dropout), or NULL. */
    void (*on_batch)(void *ctx, int *cls, int B, Rng *rng);
    void *on_batch_ctx;
} DenTrain;

/* Train d on n rows of data (n, D) with labels cls (n; NULL for none) under
 * schedule s: tr->steps calls of ddpm_loss, each followed by the clip and an
 * optimiser step. Returns 0, or the step (>= 1) at which the loss stopped
 * being finite (training stops there). Needs n >= tr->batch. */
int den_train(Denoiser *d, const float *data, const int *cls, int n, const Schedule *s, const DenTrain *tr,
              Rng *rng);

/* ---------------------------------------------------------------- sampling */

/* Where the sampler gets ε for n rows of x (n, D) at its step t: a network
 * (den_eps), or a formula (the exact score of Gaussian data in the tests). */
typedef void (*DenEpsFn)(void *ctx, float *eps, const float *x, int t, int n);

/* The context of den_eps: the network, what it predicts, and where the
 * sampler's steps sit on the network's clock. */
typedef struct {
    Denoiser *net;
    const Schedule *train;   /* the schedule the network was trained on */
    DdpmPred pred;           /* x_0-predictions are turned into ε = (x_t − √ᾱ_t x̂_0)/√(1 − ᾱ_t) */
    const int *taus;         /* sampler step i runs the network at t = taus[i − 1]; NULL: t = i */
    const int *cls;          /* (n) class labels of this part's rows, or NULL (DEN_NO_CLASS) */
    float clip;              /* > 0: x̂_0 clipped to [−clip, clip] and ε recomputed from it (images: 1, as
                                Ho et al.'s code); 0: the network's ε as it is */
} DenEps;
void den_eps(void *ctx, float *eps, const float *x, int t, int n);   /* a DenEpsFn; ctx is a DenEps */

/* Called at every step t = T..1 with rows [row0, row0 + n) of x_t and the ε
 * the step uses (before the step), for figures of the chain; NULL for none.
 * With several parts it is called from several threads, on disjoint rows. */
typedef void (*DenObserve)(void *ctx, int t, int row0, const float *xt, const float *eps, int n);

/* DDPM ancestral sampling (Ho et al. Algorithm 2): x (n, D) = x_T ~ N(0, I),
 * then x ← ddpm_step(x, ε(x, t), z, t) for t = T..1, with z ~ N(0, I) drawn
 * fresh for every step but the last.
 * The rows are split into `parts` contiguous parts that run on parallel
 * threads, part p with eps_ctx[p] (a DenEps with its own den_clone, say) and
 * its own generator split from rng in order; the result depends on parts,
 * not on the number of cores. A progress bar if label is not NULL. */
void den_sample(float *x, int n, int D, DenEpsFn eps, void *const *eps_ctx, int parts, const Schedule *s,
                DdpmVar var, Rng *rng, DenObserve obs, void *obs_ctx, const char *label, int quiet);

#endif
