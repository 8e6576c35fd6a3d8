/* ac.c — the math of actor-critic and PPO (chapter 07): the TD error, the
 * online actor-critic step, GAE, the value loss, the PPO clipped surrogate,
 * and the minibatch loss that chains them into the networks.
 *
 * Each function marked EXERCISE is yours to write in exercises/07_ac/ac.c.
 * Check your work with `make check CH=07`; the chapter program runs on your
 * code with `make run CH=07 IMPL=exercises`. Notation: see ac.h and the
 * chapter README. Nothing here touches a network: the driver (ac_train.c,
 * given) runs the actor and the critic forward, these functions return the
 * loss and its gradient with respect to the network OUTPUTS (the policy's
 * distribution parameters, e.g. CartPole's two logits, and the value V), and
 * the driver backpropagates those.
 *
 * Write them in order: ac_online_grads calls ac_td_error, ac_gae too, and
 * ppo_loss_grads calls ac_value_loss and ppo_clip_objective. The policy's
 * log-probability, its gradient and its entropy come from chapter 06
 * (dist.h): pg_dist_logprob and pg_dist_entropy.
 */
#include "ac.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ======================================================================== */
/* EXERCISE 1: the one-step TD error (S&B eq. 6.5 and §13.5; seed 003 §1.5b)
 *
 *   δ = r + γ (1 − terminated) V(s') − V(s)
 *
 * δ is the critic's error on the transition AND, as an estimate of
 * Q(s,a) − V(s), the advantage the actor uses. Only a TERMINATED s' has value
 * 0 by definition: an episode TRUNCATED by the time limit stopped for a
 * reason the state does not show, so its s' is bootstrapped like any other.
 */
double ac_td_error(double r, double v, double v_next, int terminated, double gamma)
{
    /* TODO: your code here (see the comment above the function). */
    (void)r; (void)v; (void)v_next; (void)terminated; (void)gamma;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 2: the gradients of one online actor-critic step (S&B §13.5,
 * "One-step Actor–Critic"; seed 003 §1.5b, "Online AC")
 *
 *   δ = r + γ (1 − terminated) V(s') − V(s)            (ac_td_error)
 *   critic loss  ½ δ²,  the target r + γV(s') held fixed (a SEMI-gradient):
 *                dv = ∂/∂V(s) = −δ
 *   actor loss   −δ · log π(a|s) − c_e · H(π(·|s)),  δ held fixed:
 *                dparams = −δ · ∂log π(a|s)/∂params − c_e · ∂H/∂params
 *
 * Descending these moves V(s) towards the target and makes a more likely when
 * it turned out better than expected (δ > 0). Use chapter 06's
 * pg_dist_logprob(dist, params, action, dlogp) for the score ∂log π/∂params
 * and pg_dist_entropy(dist, params, dent) for the entropy's gradient; both
 * WRITE their gradient into a buffer of P = pg_dist_n_params(dist) floats, so
 * you need one scratch buffer of P floats for the second (xmalloc, util.h).
 * Skip the entropy when c_e = 0. Returns δ.
 */
double ac_online_grads(const PgDist *dist, const float *params, const float *action, double r, double v,
                       double v_next, int terminated, double gamma, double entropy_coef, float *dparams, double *dv)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dist; (void)params; (void)action; (void)r; (void)v; (void)v_next; (void)terminated;
    (void)gamma; (void)entropy_coef;
    for (int j = 0; j < pg_dist_n_params(dist); j++) dparams[j] = 0.0f;
    *dv = 0.0;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 3: generalised advantage estimation (Schulman et al. 2016, eq. 16)
 *
 *   δ_t = r_t + γ (1 − terminated_t) V(s'_t) − V(s_t)      (ac_td_error)
 *   Â_t = δ_t + γλ (1 − ended_t) Â_{t+1},        Â_n = 0 (past the buffer)
 *   R_t = Â_t + V(s_t)                           (the critic's target)
 *
 * Walk the buffer BACKWARDS from t = n−1. ends[t] (CartPoleStatus values)
 * carries two different facts:
 *   terminated_t = (ends[t] == CP_TERMINATED): s'_t has value 0, no bootstrap
 *                  in δ_t;
 *   ended_t      = (ends[t] != CP_RUNNING): the episode ended at t, terminated
 *                  OR truncated, so step t+1 of the buffer belongs to the NEXT
 *                  episode and its advantage must not leak into Â_t.
 * A truncated step (CP_TRUNCATED) still bootstraps (δ_t uses next_value[t],
 * the value of the last state of that episode) but cuts the recursion. The
 * end of the buffer cuts it too (Â_n = 0): there δ_{n−1} alone carries the
 * bootstrap. λ = 0 gives Â_t = δ_t; λ = 1 gives the discounted return
 * (bootstrapped at the cut) minus V(s_t).
 */
void ac_gae(int n, const double *reward, const double *value, const double *next_value, const int *ends,
            double gamma, double lambda, double *adv, double *ret)
{
    /* TODO: your code here (see the comment above the function). */
    (void)reward; (void)value; (void)next_value; (void)ends; (void)gamma; (void)lambda;
    for (int t = 0; t < n; t++) adv[t] = ret[t] = 0.0;
}

/* ======================================================================== */
/* EXERCISE 4: the value loss and its gradient (optionally clipped)
 *
 *   u_i = V_i − R_i,                ℓ_i = ½ u_i²                (clip ≤ 0)
 *   w_i = V_old,i + clip(V_i − V_old,i, −c, c) − R_i
 *   ℓ_i = ½ max(u_i², w_i²)                                     (clip c > 0)
 *   L   = (1/n) Σ_i ℓ_i,   returned;   dv[i] = ∂L/∂V_i
 *
 * Like every loss of the course (nn.h) it returns the MEAN and writes the
 * gradient of the mean: unclipped, dv[i] = u_i / n. Clipped (the PPO2 code of
 * OpenAI baselines; not in the PPO paper): where the max picks w_i and the clip
 * is active, w_i does not depend on V_i and dv[i] = 0; otherwise dv[i] =
 * u_i / n (when the clip is inactive w_i = u_i anyway). On ties (u² = w²)
 * take u_i. v_old may be NULL when clip ≤ 0.
 */
double ac_value_loss(int n, const double *v, const double *v_old, const double *target, double clip, double *dv)
{
    /* TODO: your code here (see the comment above the function). */
    (void)v; (void)v_old; (void)target; (void)clip;
    for (int i = 0; i < n; i++) dv[i] = 0.0;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 5: the PPO clipped surrogate and its gradient (Schulman et al.
 * 2017, eq. 7; seed 000, "PPO Adaptation to Diffusion")
 *
 *   ρ_i = exp(logp_new,i − logp_old,i)                 the probability ratio
 *   ℓ_i = min(ρ_i Â_i, clip(ρ_i, 1−ε, 1+ε) Â_i)
 *   J   = (1/n) Σ_i ℓ_i,   returned (to be MAXIMISED);   dlogp[i] = ∂J/∂logp_new,i
 *
 * Since ∂ρ/∂logp_new = ρ, the gradient of one term is
 *   ∂ℓ_i/∂logp_new,i = ρ_i Â_i   where the min picks the unclipped term,
 *                    = 0         where it picks the clipped one, which happens
 *                                exactly when ρ_i > 1+ε with Â_i > 0, or
 *                                ρ_i < 1−ε with Â_i < 0: the update has already
 *                                moved this action's probability far enough in
 *                                the direction Â asks for;
 * and dlogp[i] is that divided by n (the gradient of the mean, like a loss in
 * nn.h). On ties (equal terms) take the unclipped one. dlogp may be NULL.
 * Nothing here knows the distribution: a categorical (CartPole) or a Gaussian
 * (chapter 13's sampler) gives logp, and the caller chains dlogp into
 * ∂logp/∂params.
 */
double ppo_clip_objective(int n, const double *logp_new, const double *logp_old, const double *adv, double eps,
                          double *dlogp)
{
    /* TODO: your code here (see the comment above the function). */
    (void)logp_new; (void)logp_old; (void)adv; (void)eps;
    if (dlogp) for (int i = 0; i < n; i++) dlogp[i] = 0.0;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 6: the PPO loss of a minibatch and its gradient with respect to
 * the networks' outputs (Schulman et al. 2017, eq. 9)
 *
 *   L = −J^CLIP + c_v · L^V − c_e · (1/n) Σ_i H(π(·|s_i))
 *
 * with J^CLIP from ppo_clip_objective (logp_new,i = log π(a_i|params_i) by
 * pg_dist_logprob) and L^V from ac_value_loss (targets b->ret, clip
 * c->value_clip, V_old = b->v_old). The gradient chains per sample i:
 *
 *   dparams_i = −(∂J/∂logp_i) · ∂log π(a_i)/∂params_i − (c_e/n) · ∂H_i/∂params_i
 *   dv_i      = c_v · ∂L^V/∂V_i
 *
 * where ∂J/∂logp_i is dlogp[i] of ppo_clip_objective and the other two come
 * from chapter 06 (pg_dist_logprob and pg_dist_entropy write them; you need
 * a scratch buffer of P floats). Fill `info` (if not NULL) with the three
 * terms: info->policy = −J^CLIP, info->value = L^V, info->entropy = mean H,
 * and with ppo_diagnostics (given below) for clip_frac and approx_kl. Returns L.
 *
 * A2C is the special case of ONE gradient step on a fresh rollout: then
 * logp_new = logp_old, every ρ = 1, nothing is clipped, and dparams_i =
 * −(Â_i/n) ∂log π/∂params: the actor-critic policy gradient. v and dv may be
 * NULL (no critic: chapter 13), and then c_v is ignored.
 */
double ppo_loss_grads(const PpoBatch *b, const PgDist *dist, const float *params, const float *v, const PpoCoefs *c,
                      float *dparams, float *dv, PpoInfo *info)
{
    /* TODO: your code here (see the comment above the function). */
    (void)b; (void)dist; (void)params; (void)v; (void)c;
    for (int i = 0; i < b->n * pg_dist_n_params(dist); i++) dparams[i] = 0.0f;
    if (dv) for (int i = 0; i < b->n; i++) dv[i] = 0.0f;
    if (info) memset(info, 0, sizeof *info);
    return 0.0;
}

/* ======================================================================== */
/* Given: PPO's diagnostics (not an exercise)
 *
 *   clip fraction  = (1/n) #{ i : |ρ_i − 1| > ε }
 *   approximate KL = (1/n) Σ_i ((ρ_i − 1) − log ρ_i)
 *
 * The KL estimator is Schulman's "k3" (http://joschu.net/blog/kl-approx.html):
 * the samples a_i were drawn from π_old, and E_{π_old}[(ρ − 1) − log ρ] =
 * KL(π_old ‖ π_new) exactly (E[ρ] = 1), with every term ≥ 0, so it has far
 * less variance than the plain (1/n) Σ (logp_old − logp_new) and is never
 * negative. Both are what CleanRL logs as clipfrac and approx_kl.
 */
void ppo_diagnostics(int n, const double *logp_new, const double *logp_old, double eps, double *clip_frac,
                     double *approx_kl)
{
    double clipped = 0.0, kl = 0.0;
    for (int i = 0; i < n; i++) {
        double log_ratio = logp_new[i] - logp_old[i], ratio = exp(log_ratio);
        clipped += fabs(ratio - 1.0) > eps;
        kl += (ratio - 1.0) - log_ratio;
    }
    *clip_frac = n > 0 ? clipped / n : 0.0;
    *approx_kl = n > 0 ? kl / n : 0.0;
}
