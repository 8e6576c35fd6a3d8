/* guidance.c — classifier-free and classifier guidance (chapter 12).
 *
 * Each function marked EXERCISE is yours to write in
 * exercises/12_guidance/guidance.c. Check your work with `make check CH=12`
 * (one test case per function, e.g. CK_RUN_CASE=cfg_guided_eps make check
 * CH=12); `make run CH=12 IMPL=exercises` trains and samples the chapter's
 * models with your functions.
 *
 * Notation (guidance.h and the README): ε(x_t, c) the denoiser with class c,
 * ε(x_t, ∅) with the null class DEN_NO_CLASS; p_φ(c | x_t, t) the
 * noise-conditional classifier, a Denoiser whose K outputs are logits.
 * H&S = Ho & Salimans, "Classifier-Free Diffusion Guidance" (2022); D&N =
 * Dhariwal & Nichol, "Diffusion Models Beat GANs on Image Synthesis" (2021).
 */
#include "guidance.h"
#include "nn.h"

#include <math.h>

/* ======================================================================== */
/* EXERCISE 1: label dropout (H&S Algorithm 1, "c ← ∅ with probability p_uncond")
 *
 *   for i = 0..B−1:  u = rng_uniform(rng);  if u < p_drop: cls[i] = DEN_NO_CLASS
 *
 * One draw for EVERY row, dropped or not, in order (the tests replay the
 * generator). The kept labels stay as they are. One network then learns
 * both ε(x_t, c) and ε(x_t, ∅): the null class is just another input.
 */
void cfg_drop_labels(int *cls, int B, double p_drop, Rng *rng)
{
    /* TODO: your code here (see the comment above the function). */
    (void)cls; (void)B; (void)p_drop; (void)rng;
}

/* ======================================================================== */
/* EXERCISE 2: the classifier-free guided ε (H&S §3.2 and Algorithm 2, in this course's g)
 *
 *   out = eps_null + g·(eps_cls − eps_null)
 *
 * g = 0 gives ε(x, ∅), g = 1 gives ε(x, c), g > 1 moves past ε(x, c), away
 * from the unconditional estimate. H&S write (1 + w)·ε(c) − w·ε(∅): the same
 * line with g = 1 + w. out may be the same array as either input: read
 * both values of element i before writing out[i].
 */
void cfg_guided_eps(float *out, const float *eps_null, const float *eps_cls, float g, int n)
{
    /* TODO: your code here (see the comment above the function). */
    (void)out; (void)eps_null; (void)eps_cls; (void)g; (void)n;
}

/* ======================================================================== */
/* EXERCISE 3: the noise-conditional classifier's loss (D&N §4.1)
 *
 *   t_i ~ U{1..T},  ε_i ~ N(0, I),  x_t,i = √ᾱ_{t_i}·x0_i + √(1 − ᾱ_{t_i})·ε_i
 *   L = −(1/B) Σ_i log softmax(clf(x_t,i, t_i))[cls_i]
 *
 * The same noising as ddpm_loss (chapter 10): all B timesteps first
 * (w->t[i] = 1 + rng_int(rng, s->T)), then B·D normals into w->eps, then
 * ddpm_q_sample into w->xt. The classifier is a Denoiser without a class
 * input: den_forward(clf, w->xt, w->t, NULL, B, NN_TRAIN) gives (B, K)
 * logits, K = w->classes. nn_softmax_xent (chapter 04) returns L and writes
 * ∂L/∂logits = (softmax − onehot)/B into w->dlogits; den_backward adds ∂L/∂θ.
 */
float clf_loss(Denoiser *clf, const float *x0, const int *cls, int B, const Schedule *s, ClfWork *w, Rng *rng)
{
    /* TODO: your code here (see the comment above the function). */
    (void)clf; (void)x0; (void)cls; (void)B; (void)s; (void)w; (void)rng;
    return 0.0f;
}

/* ======================================================================== */
/* EXERCISE 4: ∇ₓ log p_φ(c | x_t) through the classifier (D&N Algorithms 1–2)
 *
 *   ℓ = clf(x, t)   (K logits),   p = softmax(ℓ)
 *   ∂ log p_c / ∂ℓ_k = [k = c] − p_k                (the log-softmax's derivative)
 *   grad = (∂ℓ/∂x)ᵀ·(onehot(c) − p)                 (den_input_grad)
 *
 * Run the classifier in NN_EVAL mode, write onehot(c) − p into dlogits
 * (nn_softmax gives p), and let den_input_grad carry it back through the
 * MLP and the input embeddings to x. This is the gradient of the LOG
 * probability (not of p_c, and not of the logit ℓ_c alone).
 */
void clf_grad_log_prob(Denoiser *clf, float *grad, float *dlogits, const float *x, const int *t, const int *cls, int B)
{
    /* TODO: your code here (see the comment above the function). */
    (void)clf; (void)grad; (void)dlogits; (void)x; (void)t; (void)cls; (void)B;
}

/* ======================================================================== */
/* EXERCISE 5: classifier guidance of ε (D&N §4.2, Algorithm 2)
 *
 *   out = eps − scale·√(1 − ᾱ)·grad,    grad = ∇ₓ log p_φ(c | x_t)
 *
 * ε is −√(1 − ᾱ_t) times the score ∇ log p(x_t), so adding s·∇ log p(c | x_t)
 * to the score subtracts s·√(1 − ᾱ_t)·∇ log p(c | x_t) from ε. The root is
 * of 1 − ᾱ (the noise's share), with the CUMULATIVE ᾱ of the step. out may
 * alias eps.
 */
void cg_guided_eps(float *out, const float *eps, const float *grad, float scale, double alpha_bar, int n)
{
    /* TODO: your code here (see the comment above the function). */
    (void)out; (void)eps; (void)grad; (void)scale; (void)alpha_bar; (void)n;
}
