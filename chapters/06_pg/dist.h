/* dist — the action distribution of a stochastic policy: sample an action,
 * and the log-probability of an action with its gradient with respect to the
 * distribution's parameters (chapter 06).
 *
 * This is the piece every policy-gradient method needs, whatever the policy:
 *   chapter 06  REINFORCE on CartPole: a categorical distribution over K = 2
 *               actions, parameterised by the K logits a network outputs;
 *   chapter 07  actor-critic and PPO on CartPole: the same, plus the ratio
 *               π_new/π_old = exp(logp_new − logp_old) and the entropy;
 *   chapter 13  DDPO: the diffusion sampler's step x_{t−1} ~ N(μ_θ(x_t, t), σ_t² I),
 *               a Gaussian over a D-dimensional action whose mean comes from
 *               the network and whose std σ_t comes from the noise schedule.
 * So one small interface covers both families. The network outputs params;
 * the chain rule does the rest: the policy-gradient loss of one sample is
 * L = −A·log π(a | params), and ∂L/∂params = −A·dlogp is what the network's
 * backward pass receives (pg.h: pg_surrogate_grad).
 *
 * Families and their parameters (P = pg_dist_n_params):
 *   PG_CATEGORICAL   dim = K actions. params = K logits z (unnormalised log-
 *                    probabilities), π(a) = softmax(z)_a = e^{z_a} / Σ_b e^{z_b}.
 *                    The action is an index 0..K−1, STORED AS ONE FLOAT
 *                    (exact for any K < 2^24), so that categorical and Gaussian
 *                    actions fit the same float rollout buffers. P = K.
 *   PG_GAUSSIAN      dim = D. A diagonal Gaussian N(μ, diag(σ²)) over x ∈ R^D.
 *                    std > 0: σ_j = std for every j, FIXED (not a parameter;
 *                      DDPO's σ_t, which the caller sets per call); params =
 *                      the D means μ. P = D.
 *                    std = 0: the stds are learned: params = D means μ, then
 *                      D log-stds ℓ_j = log σ_j (log so that any real value
 *                      is a valid std). P = 2D.
 *                    The action is the D floats of x.
 *
 * Log-probabilities are natural logs, SUMMED over the D dimensions of a
 * Gaussian action (the log-density of the joint). ddpo-pytorch AVERAGES them
 * over dimensions instead (a mean over pixels): a caller who wants that
 * divides logp and dlogp by D. It only rescales the gradient (and, in PPO,
 * changes what a given clip range means).
 *
 * Layout: float in and out like the network (common/linalg.h); sums are done
 * in double and logp is returned as double. Gradients dlogp are WRITTEN (=),
 * not accumulated: dlogp is the gradient of one scalar, log π(a), with respect
 * to params, and the caller scales it (by −A/n) before handing it to a
 * backward pass, which is where accumulation happens. Every dlogp may be NULL
 * to skip the gradient. Nothing here allocates; nothing fails for finite
 * inputs (the categorical functions subtract the largest logit first).
 *
 * The exercises (solutions/06_pg/dist.c; your copy exercises/06_pg/dist.c)
 * are the three typed functions pg_categorical_sample, pg_categorical_logprob
 * and pg_gaussian_logprob; the PgDist functions below dispatch to them.
 */
#ifndef PG_DIST_H
#define PG_DIST_H
#include "rng.h"

/* ---------------------------------------------------------------- exercises */

/* Draw an action a ∈ {0..K−1} with probability softmax(logits)_a, using ONE
 * rng_uniform(rng) draw (inverse CDF). Stable for any finite logits. */
int pg_categorical_sample(const float *logits, int K, Rng *rng);

/* log π(a) = z_a − log Σ_b e^{z_b} of action a under softmax(logits), computed
 * stably (log-sum-exp with the largest logit subtracted). If dlogits (K) is not
 * NULL it is written with the gradient ∂log π(a)/∂z_k = 1[k = a] − π(k). */
double pg_categorical_logprob(const float *logits, int K, int a, float *dlogits);

/* log N(x; μ, σ² I) = −½ Σ_j ((x_j − μ_j)/σ)² − D·log σ − (D/2)·log(2π), for
 * x, μ (D) and one std σ > 0 shared by the D dimensions. If dmean (D) is not
 * NULL it gets ∂logp/∂μ_j = (x_j − μ_j)/σ²; if dlog_std is not NULL, *dlog_std
 * gets ∂logp/∂(log σ) = Σ_j ((x_j − μ_j)/σ)² − D. */
double pg_gaussian_logprob(const float *mean, double std, int D, const float *x, float *dmean,
                           double *dlog_std);

/* ---------------------------------------------------------------- given: Gaussian sampling */

/* x_j = μ_j + σ z_j with z_j ~ N(0, 1) from rng_normal, for j = 0..D−1. */
void pg_gaussian_sample(const float *mean, double std, int D, Rng *rng, float *x);

/* ---------------------------------------------------------------- given: the common interface */

typedef enum { PG_CATEGORICAL, PG_GAUSSIAN } PgDistKind;

/* One distribution family with its sizes; a small value, made per call when
 * σ changes (DDPO: pg_gaussian(D, sigma_t) at each sampler step). */
typedef struct {
    PgDistKind kind;  /* PG_CATEGORICAL or PG_GAUSSIAN */
    int dim;          /* categorical: K actions; Gaussian: D, the action's dimension */
    double std;       /* Gaussian: > 0 fixed std of every dimension; 0 = learned log-stds in params */
} PgDist;

PgDist pg_categorical(int K);           /* softmax over K >= 1 logits */
PgDist pg_gaussian(int D, double std);  /* D >= 1; std > 0 fixed, std = 0 learned (params: μ, then log σ) */

int pg_dist_n_params(const PgDist *d);    /* P: K, D (fixed std) or 2D (learned log-std) */
int pg_dist_action_dim(const PgDist *d);  /* floats per action: 1 (the index) or D */
const char *pg_dist_name(const PgDist *d);  /* "categorical", "gaussian (fixed std)", "gaussian (learned log-std)" */

/* Sample one action from the distribution with parameters params (P) into
 * action (pg_dist_action_dim floats). */
void pg_dist_sample(const PgDist *d, const float *params, Rng *rng, float *action);

/* log π(action | params); dlogp (P) written with ∂logp/∂params unless NULL.
 * A categorical action must hold an integer 0..K−1 (asserted). For learned
 * log-stds the gradient is (∂/∂μ_j, then ∂/∂ℓ_j = ((x_j − μ_j)/σ_j)² − 1). */
double pg_dist_logprob(const PgDist *d, const float *params, const float *action, float *dlogp);

/* The same for n rows: params (n, P), actions (n, action_dim); logp (n) is
 * written; dlogp (n, P) too unless NULL. */
void pg_dist_logprob_batch(const PgDist *d, const float *params, const float *actions, int n, float *logp,
                           float *dlogp);

/* Entropy H = −E[log π] (nats): categorical −Σ_k π_k log π_k, Gaussian
 * Σ_j (½ log(2πe) + log σ_j). dent (P) gets ∂H/∂params unless NULL:
 * categorical −π_k (log π_k + H); Gaussian 0 for the means and for a fixed σ,
 * 1 for each learned log-std. (PPO's entropy bonus, chapter 07.) */
double pg_dist_entropy(const PgDist *d, const float *params, float *dent);

/* The most probable action (argmax of the logits, first on ties; the mean of
 * a Gaussian): for evaluating a policy without exploration noise. */
void pg_dist_mode(const PgDist *d, const float *params, float *action);

#endif
