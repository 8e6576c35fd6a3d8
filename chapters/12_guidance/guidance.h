/* guidance — steering a diffusion model towards a class c (chapter 12):
 * classifier-free guidance (Ho & Salimans 2022, "Classifier-Free Diffusion
 * Guidance") and classifier guidance (Dhariwal & Nichol 2021, "Diffusion
 * Models Beat GANs on Image Synthesis", §4).
 *
 * Notation as in ddpm.h (chapter 10): a schedule of T steps, ᾱ_t, x_t =
 * √ᾱ_t x_0 + √(1 − ᾱ_t) ε. The network ε_θ(x_t, t, c) has a class input
 * (denoiser.h: n_classes = K) with a null class ∅ = DEN_NO_CLASS, so one
 * network is both ε(x_t, c) (conditional) and ε(x_t, ∅) (unconditional).
 * Why guidance works: ε predicts the scaled score,
 *     ε(x_t) ≈ −√(1 − ᾱ_t)·∇ₓ log p(x_t),   ε(x_t, c) ≈ −√(1 − ᾱ_t)·∇ₓ log p(x_t | c),
 * and by Bayes ∇ log p(x_t | c) = ∇ log p(x_t) + ∇ log p(c | x_t): a step
 * towards the class is a step up the classifier's log-probability.
 *
 * Classifier-free guidance. Train one network with each label dropped to ∅
 * with probability p (cfg_drop_labels); sample with
 *     ε̃ = ε(x_t, ∅) + g·(ε(x_t, c) − ε(x_t, ∅))          (cfg_guided_eps)
 * g = 0: unconditional; g = 1: conditional; g > 1: guided. THE CONVENTION:
 * this course writes g; Ho & Salimans write ε̃ = (1 + w)·ε(c) − w·ε(∅), the
 * same line with g = 1 + w, so their w = 0 is the plain conditional model
 * and their best FID (w = 0.1–0.3) is g = 1.1–1.3. The program prints both.
 * The difference ε(c) − ε(∅) = −√(1 − ᾱ_t)·∇ log p(c | x_t) is an implicit
 * classifier, and ε̃ is the scaled score of p(x_t)·p(c | x_t)^g.
 *
 * Classifier guidance. A classifier p_φ(c | x_t, t) trained on noised data
 * (clf_loss; a clean-image classifier knows nothing of x_t at large t), then
 *     ε̃ = ε(x_t) − s·√(1 − ᾱ_t)·∇ₓ log p_φ(c | x_t)        (cg_guided_eps)
 * (Dhariwal & Nichol §4.2 and Algorithm 2), with ∇ₓ log p_φ computed by
 * backpropagating to the input (clf_grad_log_prob; chapter 04's
 * mlp_input_grad). ε may be conditional (their "conditional + guidance")
 * or unconditional; with exact scores s = 1 on the unconditional ε gives
 * exactly ε(x_t, c), and classifier-free guidance with weight g is
 * classifier guidance of the conditional ε with s = g − 1.
 *
 * The classifier is a Denoiser (denoiser.h) with n_out = K logits and no
 * class input: the same features [x | emb(x) | emb(t)] and MLP as the
 * denoiser, so den_forward, den_backward and den_input_grad serve it too.
 *
 * Layout: n rows of D values, (n, D) row-major; logits (B, K). Float data,
 * double schedules. The exercises are the functions marked EXERCISE in
 * solutions/12_guidance/guidance.c (your copy: exercises/12_guidance/
 * guidance.c); grade them with `make check CH=12`. The rest of this header
 * is given code in chapters/12_guidance/guide.c.
 */
#ifndef GUIDANCE_H
#define GUIDANCE_H
#include <stddef.h>
#include "ddpm.h"
#include "denoiser.h"
#include "rng.h"
#include "zoo.h"

/* ---------------------------------------------------------------- exercises: classifier-free guidance */

/* Label dropout for classifier-free training (Ho & Salimans Algorithm 1):
 * for i = 0..B−1 in order, draw u = rng_uniform(rng) (one draw per row,
 * dropped or not) and set cls[i] = DEN_NO_CLASS when u < p_drop; leave
 * the other labels as they are. p_drop in [0, 1]. */
void cfg_drop_labels(int *cls, int B, double p_drop, Rng *rng);

/* The guided noise estimate of n values:
 *     out = eps_null + g·(eps_cls − eps_null)
 * (g = 1 + w in Ho & Salimans' w). out may alias either input. */
void cfg_guided_eps(float *out, const float *eps_null, const float *eps_cls, float g, int n);

/* ---------------------------------------------------------------- exercises: classifier guidance */

/* Scratch arrays of one classifier batch, for up to max_batch rows of D. */
typedef struct {
    int max_batch, dim, classes;
    int *t;            /* (max_batch) timesteps */
    float *eps;        /* (max_batch, D) the noise */
    float *xt;         /* (max_batch, D) the noised data */
    float *dlogits;    /* (max_batch, K) ∂L/∂logits */
} ClfWork;

ClfWork *clf_work_create(int max_batch, int dim, int classes);
void clf_work_free(ClfWork *w);   /* accepts NULL */

/* The noise-conditional classifier's loss (Dhariwal & Nichol §4.1: "a
 * classifier trained on noisy images"): for a batch x0 (B, D) with labels
 * cls (B) in 0..K−1, draw
 *     t_i uniform on 1..T (1 + rng_int(rng, T), for i = 0..B−1, first), then
 *     ε_i ~ N(0, I) (rng_normal, row by row, B·D draws),
 * noise x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (ddpm_q_sample), run the classifier on
 * (x_t, t) (den_forward, NN_TRAIN, no class input) and return the mean
 * cross-entropy
 *     L = −(1/B) Σ_i log softmax(logits_i)[cls_i]      (nn_softmax_xent)
 * after backpropagating it: the classifier's parameter gradients += ∂L/∂θ
 * (den_backward; the caller zeroes them). B <= w->max_batch. */
float clf_loss(Denoiser *clf, const float *x0, const int *cls, int B, const Schedule *s, ClfWork *w, Rng *rng);

/* The gradient of the classifier's log-probability of class cls_i with
 * respect to its input, row by row:
 *     grad_i = ∇ₓ log p_φ(cls_i | x_i, t_i)
 * for x (B, D) at timesteps t (B). Run the classifier (den_forward, NN_EVAL),
 * write into dlogits (B, K) the derivative of log softmax(logits)[c] with
 * respect to the logits, onehot(c) − softmax(logits), and backpropagate it to
 * the input with den_input_grad (the parameters' gradients are not touched).
 * grad (B, D); dlogits (B, K) scratch. */
void clf_grad_log_prob(Denoiser *clf, float *grad, float *dlogits, const float *x, const int *t, const int *cls, int B);

/* Classifier guidance of n values at a step whose ᾱ is alpha_bar:
 *     out = eps − scale·√(1 − ᾱ)·grad,    grad = ∇ₓ log p_φ(c | x_t)
 * out may alias eps. */
void cg_guided_eps(float *out, const float *eps, const float *grad, float scale, double alpha_bar, int n);

/* ---------------------------------------------------------------- given: guided sampling */

/* What steers a sampler: classifier-free guidance (clf == NULL) with weight
 * g, or classifier guidance with scale s on ε(x, c) (cond = 1) or ε(x, ∅)
 * (cond = 0; a network without a class input is always unconditional). */
typedef struct {
    Denoiser *net;           /* the denoiser */
    DdpmPred pred;           /* what it predicts */
    const Schedule *train;   /* the schedule it was trained on */
    float clip;              /* > 0: the GUIDED x̂_0 is clipped to [−clip, clip] (images: 1); 0: not */
    float g;                 /* classifier-free: ε∅ + g(εc − ε∅); g = 1 conditional, 0 unconditional */
    Denoiser *clf;           /* classifier guidance: the noise-conditional classifier; NULL: classifier-free */
    float scale;             /* classifier guidance's s */
    int cond;                /* classifier guidance on ε(x, c) (1) or on ε(x, ∅) (0) */
} Guide;

/* The context of guide_eps, one per sampler part (its own network copies). */
typedef struct {
    Guide gd;                /* net and clf: this part's copies */
    const int *taus;         /* sampler step i runs the networks at t = taus[i − 1]; NULL: t = i */
    const int *cls;          /* (rows of the part) the wanted classes */
    float *e_null, *e_cls;   /* (rows, D) scratch: the two branches */
    float *grad, *dlogits;   /* (rows, D) and (clf batch, K) scratch */
    int *tt;                 /* (clf batch) timesteps */
} GuideEps;

/* A DenEpsFn (denoiser.h): the guided ε at sampler step t for n rows. */
void guide_eps(void *ctx, float *eps, const float *x, int t, int n);

#define GUIDE_PARTS 2   /* sampler parts on parallel threads (results depend on it, not on cores) */

/* n guided samples x (n, D) of classes cls (n) on schedule s (the training
 * schedule, or respaced with taus: sched_respace), σ² = β̃_t, from x_T drawn
 * with rng. label: a progress bar, or NULL. */
void guide_sample(float *x, int n, const int *cls, const Guide *gd, const Schedule *s, const int *taus, Rng *rng,
                  const char *label, int quiet);

/* ---------------------------------------------------------------- given: models */

/* A DenTrain.on_batch hook (denoiser.h) applying cfg_drop_labels; ctx points
 * to the double p_drop. */
void cfg_on_batch(void *ctx, int *cls, int B, Rng *rng);

/* 8 hex digits: a hash of what the chapter's training exercises compute
 * (cfg_drop_labels, clf_loss) on a fixed small input. Part of every cache
 * key below (a recipe's `extra`, the classifier's key), so that models
 * trained on your exercises (IMPL=exercises) and on the solutions never
 * share a cache file unless the two compute alike. */
const char *guide_fingerprint(void);

/* The class-conditional denoiser recipe of data set `data` ("moons" or
 * "digits") with labels dropped with probability *p_drop during training
 * (p_drop must outlive the training: the hook reads it). p = 1 is an
 * unconditional model (the class input always ∅). quick: a smaller, faster
 * one. */
ZooRecipe guide_recipe(const char *data, const double *p_drop, int quick);

/* The noise-conditional classifier p_φ(c | x_t, t) of data set `data` on
 * schedule sched: trained with clf_loss (progress bar) or loaded from the
 * cache (zoo.h), for batches of up to max_batch rows. NULL (message printed)
 * if the data cannot be made or training diverged. */
Denoiser *guide_classifier(const char *data, const SchedSpec *sched, int quick, int max_batch, const ZooOpts *o);

/* The share of n rows x (n, D) with labels y whose noised version at step t
 * (fresh noise from rng) the classifier labels correctly. */
double clf_accuracy_at(Denoiser *clf, const float *x, const int *y, int n, const Schedule *s, int t, Rng *rng);

#endif
