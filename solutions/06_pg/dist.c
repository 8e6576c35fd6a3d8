/* dist.c — a policy's action distribution: categorical over logits, diagonal
 * Gaussian over a vector (chapter 06; reused by chapters 07 and 13).
 *
 * Each function marked EXERCISE is yours to write in exercises/06_pg/dist.c.
 * Check your work with `make check CH=06`. Notation: see dist.h and the
 * chapter README ("The policy and its log-probability").
 */
#include "dist.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>

#define PG_LOG_2PI 1.8378770664093454836   /* log(2π) */

/* ======================================================================== */
/* EXERCISE 1: sample from softmax(logits) (the policy acting)
 *
 *   π(a) = e^{z_a − m} / Σ_b e^{z_b − m},   m = max_b z_b
 *
 * Subtracting m changes nothing mathematically and keeps exp() from
 * overflowing: logits of 1000 and 1001 are fine, e^{1000} is not. Draw with
 * the inverse CDF, one uniform u = rng_uniform(rng) in [0, 1): return the
 * first a with u < π(0) + ... + π(a). (Compare u·S with the running sum of
 * the unnormalised e^{z_b − m}, S their total, and no division is needed.)
 * Guard against rounding: if the loop falls through, return the last action
 * with nonzero probability. rng_categorical (rng.h) does the same with
 * weights; here the weights must first come out of the softmax.
 */
int pg_categorical_sample(const float *logits, int K, Rng *rng)
{
    // BEGIN SOLUTION
    double m = logits[0];
    for (int k = 1; k < K; k++) m = fmax(m, logits[k]);
    double S = 0.0;
    for (int k = 0; k < K; k++) S += exp((double)logits[k] - m);
    double u = rng_uniform(rng) * S, cum = 0.0;
    int last = 0;
    for (int k = 0; k < K; k++) {
        double w = exp((double)logits[k] - m);
        cum += w;
        if (w > 0.0) last = k;
        if (u < cum) return k;
    }
    return last;
    // END SOLUTION
    // STUB (void)logits; (void)K; (void)rng;
    // STUB return 0;
}

/* ======================================================================== */
/* EXERCISE 2: the log-probability of an action and its gradient (the score)
 *
 *   log π(a) = z_a − log Σ_b e^{z_b} = (z_a − m) − log Σ_b e^{z_b − m}
 *   ∂ log π(a) / ∂z_k = 1[k = a] − π(k)
 *
 * The gradient ("score function") is the direction in logit space that makes
 * a more likely: up on z_a, down on every logit in proportion to its
 * probability. It sums to zero over k (adding a constant to every logit
 * changes nothing). It is the same vector as softmax regression's
 * (chapter 03) with the sign flipped: there the loss is −log p[y].
 * Write dlogits only if it is not NULL. Compute in double.
 */
double pg_categorical_logprob(const float *logits, int K, int a, float *dlogits)
{
    // BEGIN SOLUTION
    double m = logits[0];
    for (int k = 1; k < K; k++) m = fmax(m, logits[k]);
    double S = 0.0;
    for (int k = 0; k < K; k++) S += exp((double)logits[k] - m);
    double logS = log(S);
    if (dlogits)
        for (int k = 0; k < K; k++) dlogits[k] = (float)((k == a) - exp((double)logits[k] - m - logS));
    return (double)logits[a] - m - logS;
    // END SOLUTION
    // STUB (void)logits; (void)K; (void)a; (void)dlogits;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 3: the log-density of an isotropic Gaussian and its gradients
 *
 *   log N(x; μ, σ² I) = −½ Σ_j u_j² − D log σ − (D/2) log 2π,   u_j = (x_j − μ_j)/σ
 *   ∂/∂μ_j     = (x_j − μ_j)/σ² = u_j/σ
 *   ∂/∂(log σ) = Σ_j u_j² − D
 *
 * This is the policy of chapter 13 (DDPO): the diffusion sampler's step
 * x_{t−1} ~ N(μ_θ(x_t, t), σ_t² I) is an action, and this is its
 * log-probability. Moving μ towards x makes x more likely; a larger σ
 * makes x more likely only when x is far out (u² > 1 on average).
 * The gradient with respect to log σ, not σ: the derivative by σ is this
 * one divided by σ. Write dmean and *dlog_std only if not NULL. log(2π) is
 * PG_LOG_2PI above.
 */
double pg_gaussian_logprob(const float *mean, double std, int D, const float *x, float *dmean,
                           double *dlog_std)
{
    // BEGIN SOLUTION
    double sq = 0.0;
    for (int j = 0; j < D; j++) {
        double u = ((double)x[j] - mean[j]) / std;
        sq += u * u;
        if (dmean) dmean[j] = (float)(u / std);
    }
    if (dlog_std) *dlog_std = sq - D;
    return -0.5 * sq - D * log(std) - 0.5 * D * PG_LOG_2PI;
    // END SOLUTION
    // STUB (void)mean; (void)std; (void)D; (void)x; (void)dmean; (void)dlog_std;
    // STUB return 0.0;
}

/* ======================================================================== */
/* Given: sampling a Gaussian, and the common PgDist interface. */

void pg_gaussian_sample(const float *mean, double std, int D, Rng *rng, float *x)
{
    for (int j = 0; j < D; j++) x[j] = (float)(mean[j] + std * rng_normal(rng));
}

PgDist pg_categorical(int K)
{
    assert(K >= 1);
    return (PgDist){ .kind = PG_CATEGORICAL, .dim = K, .std = 0.0 };
}

PgDist pg_gaussian(int D, double std)
{
    assert(D >= 1 && std >= 0.0);
    return (PgDist){ .kind = PG_GAUSSIAN, .dim = D, .std = std };
}

int pg_dist_n_params(const PgDist *d)
{
    if (d->kind == PG_CATEGORICAL) return d->dim;
    return d->std > 0.0 ? d->dim : 2 * d->dim;
}

int pg_dist_action_dim(const PgDist *d)
{
    return d->kind == PG_CATEGORICAL ? 1 : d->dim;
}

const char *pg_dist_name(const PgDist *d)
{
    if (d->kind == PG_CATEGORICAL) return "categorical";
    return d->std > 0.0 ? "gaussian (fixed std)" : "gaussian (learned log-std)";
}

/* The index a categorical action holds, checked. */
static int pg__action_index(const PgDist *d, const float *action)
{
    int a = (int)action[0];
    assert((float)a == action[0] && a >= 0 && a < d->dim);
    return a;
}

void pg_dist_sample(const PgDist *d, const float *params, Rng *rng, float *action)
{
    const int D = d->dim;
    if (d->kind == PG_CATEGORICAL) {
        action[0] = (float)pg_categorical_sample(params, D, rng);
    } else if (d->std > 0.0) {
        pg_gaussian_sample(params, d->std, D, rng, action);
    } else {
        for (int j = 0; j < D; j++) pg_gaussian_sample(params + j, exp((double)params[D + j]), 1, rng, action + j);
    }
}

double pg_dist_logprob(const PgDist *d, const float *params, const float *action, float *dlogp)
{
    const int D = d->dim;
    if (d->kind == PG_CATEGORICAL) return pg_categorical_logprob(params, D, pg__action_index(d, action), dlogp);
    if (d->std > 0.0) return pg_gaussian_logprob(params, d->std, D, action, dlogp, NULL);
    /* learned log-stds: a diagonal Gaussian is a product of D one-dimensional ones */
    double logp = 0.0;
    for (int j = 0; j < D; j++) {
        double dls = 0.0;
        logp += pg_gaussian_logprob(params + j, exp((double)params[D + j]), 1, action + j, dlogp ? dlogp + j : NULL,
                                    &dls);
        if (dlogp) dlogp[D + j] = (float)dls;
    }
    return logp;
}

void pg_dist_logprob_batch(const PgDist *d, const float *params, const float *actions, int n, float *logp,
                           float *dlogp)
{
    const int P = pg_dist_n_params(d), Ad = pg_dist_action_dim(d);
    for (int i = 0; i < n; i++)
        logp[i] = (float)pg_dist_logprob(d, params + (size_t)i * P, actions + (size_t)i * Ad,
                                         dlogp ? dlogp + (size_t)i * P : NULL);
}

double pg_dist_entropy(const PgDist *d, const float *params, float *dent)
{
    const int D = d->dim;
    if (d->kind == PG_CATEGORICAL) {
        double m = params[0], S = 0.0, H = 0.0;
        for (int k = 1; k < D; k++) m = fmax(m, params[k]);
        for (int k = 0; k < D; k++) S += exp((double)params[k] - m);
        double logS = log(S);
        for (int k = 0; k < D; k++) {
            double lp = params[k] - m - logS;
            H -= exp(lp) * lp;
        }
        if (dent)
            for (int k = 0; k < D; k++) {
                double lp = params[k] - m - logS;
                dent[k] = (float)(-exp(lp) * (lp + H));
            }
        return H;
    }
    const double per_dim = 0.5 * (PG_LOG_2PI + 1.0);   /* ½ log(2πe) */
    if (d->std > 0.0) {
        if (dent)
            for (int j = 0; j < D; j++) dent[j] = 0.0f;
        return D * (per_dim + log(d->std));
    }
    double H = 0.0;
    for (int j = 0; j < D; j++) {
        H += per_dim + params[D + j];
        if (dent) { dent[j] = 0.0f; dent[D + j] = 1.0f; }
    }
    return H;
}

void pg_dist_mode(const PgDist *d, const float *params, float *action)
{
    if (d->kind == PG_CATEGORICAL) {
        int best = 0;
        for (int k = 1; k < d->dim; k++)
            if (params[k] > params[best]) best = k;
        action[0] = (float)best;
    } else {
        for (int j = 0; j < d->dim; j++) action[j] = params[j];
    }
}
