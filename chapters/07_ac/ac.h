/* ac — actor-critic methods on CartPole-v1: online (one-step) actor-critic,
 * A2C with generalised advantage estimation, and PPO with the clipped
 * surrogate (chapter 07).
 *
 * Notation (Sutton & Barto 2nd ed. §13.5; Schulman et al. 2016 "GAE" and
 * 2017 "PPO"; seed 003 §1.5, seed 000 "PPO Adaptation to Diffusion"):
 *   n            samples in a buffer or minibatch
 *   P            parameters of the action distribution per state (CartPole:
 *                K = 2 logits z); chapter 06's PgDist (dist.h) knows them
 *   π(a|s)       the actor, softmax(z(s)) for CartPole; log π from pg_dist_logprob
 *   V(s)         the critic, a separate network with one output
 *   δ            the TD error r + γ(1 − terminated)V(s') − V(s)
 *   Â            an advantage estimate (δ itself, or GAE with parameter λ)
 *   R            the critic's target, Â + V(s) (the λ-return)
 *   ρ            the probability ratio π_new(a|s) / π_old(a|s)
 *   ε            PPO's clip range; c_v, c_e the value and entropy coefficients
 *   terminated   the episode reached a terminal state: V(s') = 0, no bootstrap
 *   ended        the episode ended at this step, terminated OR truncated (the
 *                500-step limit): the next buffer entry starts a new episode
 *
 * Conventions: log-probabilities, advantages, values and targets in the math
 * functions are double (a ratio exp(logp_new − logp_old) of two large
 * log-densities, as in chapter 13, loses digits in float); network outputs
 * (params, V) and their gradients are float like the network (mlp.h).
 * A loss returns the MEAN over its n samples and writes the gradient of that
 * mean (the 1/n is already in it), as in nn.h. Gradient arrays are WRITTEN
 * (=), not accumulated; the network's backward pass accumulates.
 *
 * The exercises are in solutions/07_ac/ac.c (your copy: exercises/07_ac/ac.c).
 * The training loops are given, in chapters/07_ac/ac_train.c.
 */
#ifndef AC_H
#define AC_H
#include <stdint.h>

#include "cartpole.h"
#include "dist.h"
#include "eplog.h"

/* ---- exercises ---------------------------------------------------------- */

/* The one-step TD error δ = r + γ (1 − terminated) V(s') − V(s) (S&B eq. 6.5).
 * A truncated s' is bootstrapped: pass terminated = 0 for it. */
double ac_td_error(double r, double v, double v_next, int terminated, double gamma);

/* The output gradients of one online actor-critic step (S&B §13.5) on the
 * transition (s, a, r, s'): with δ from ac_td_error,
 *   dparams (P) = −δ ∂log π(a|s)/∂params − c_e ∂H(π(·|s))/∂params   (actor)
 *   *dv         = −δ                      (critic, semi-gradient of ½δ²)
 * params (P) are the actor's outputs at s, action (pg_dist_action_dim floats)
 * the action taken, v = V(s), v_next = V(s'). Returns δ. */
double ac_online_grads(const PgDist *dist, const float *params, const float *action, double r, double v,
                       double v_next, int terminated, double gamma, double entropy_coef, float *dparams, double *dv);

/* Generalised advantage estimation over a buffer of n steps of ONE
 * environment, in the order collected (Schulman et al. 2016, eq. 16):
 *   δ_t = r_t + γ (1 − terminated_t) next_value_t − value_t
 *   Â_t = δ_t + γλ (1 − ended_t) Â_{t+1},   Â_n = 0;   R_t = Â_t + value_t.
 * ends (n) holds CartPoleStatus values (cartpole.h; the same as pg.h's
 * PG_CONTINUES/PG_TERMINATED/PG_TRUNCATED): terminated_t = (ends[t] ==
 * CP_TERMINATED), ended_t = (ends[t] != CP_RUNNING). value_t = V(s_t);
 * next_value_t = V(s'_t) of the state the step led to (for a truncated step
 * the last state of its episode, not the reset state). Writes adv (n) and
 * ret (n). */
void ac_gae(int n, const double *reward, const double *value, const double *next_value, const int *ends,
            double gamma, double lambda, double *adv, double *ret);

/* The value loss L = (1/n) Σ ½ (V_i − R_i)² (clip ≤ 0) or, with clip c > 0,
 * (1/n) Σ ½ max((V_i − R_i)², (V_old,i + clip(V_i − V_old,i, −c, c) − R_i)²)
 * (the PPO2 code's clipped value loss). Returns L; dv (n) = ∂L/∂V_i. v_old
 * may be NULL when clip ≤ 0. */
double ac_value_loss(int n, const double *v, const double *v_old, const double *target, double clip, double *dv);

/* PPO's clipped surrogate (Schulman et al. 2017, eq. 7), to be maximised:
 *   J = (1/n) Σ min(ρ_i Â_i, clip(ρ_i, 1−ε, 1+ε) Â_i),   ρ_i = exp(logp_new,i − logp_old,i).
 * Returns J; dlogp (n, may be NULL) = ∂J/∂logp_new,i: ρ_i Â_i / n, or 0 where
 * the min picks the clipped term (ρ > 1+ε with Â > 0, ρ < 1−ε with Â < 0).
 * Independent of the distribution: works for any policy that gives log π. */
double ppo_clip_objective(int n, const double *logp_new, const double *logp_old, const double *adv, double eps,
                          double *dlogp);

/* One minibatch of collected experience, as PPO trains on it. */
typedef struct {
    int n;                    /* samples */
    const float *action;      /* (n, pg_dist_action_dim) the actions taken (an index stored as a float) */
    const double *logp_old;   /* (n) log π_old(a_i|s_i), at collection time */
    const double *adv;        /* (n) advantages Â_i (already normalised, if wanted) */
    const double *v_old;      /* (n) V_old(s_i) at collection time (for the clipped value loss) */
    const double *ret;        /* (n) the critic's targets R_i */
} PpoBatch;

/* The coefficients of PPO's loss. */
typedef struct {
    double clip_eps;          /* ε of the ratio clip, e.g. 0.2 */
    double value_coef;        /* c_v, e.g. 0.5 */
    double entropy_coef;      /* c_e, e.g. 0.01 (0: no entropy bonus) */
    double value_clip;        /* clip range of the value loss; <= 0: unclipped */
} PpoCoefs;

/* What one loss evaluation saw. */
typedef struct {
    double policy;            /* −J^CLIP */
    double value;             /* L^V (unscaled) */
    double entropy;           /* mean entropy of π(·|s_i), nats */
    double clip_frac;         /* fraction of samples with |ρ − 1| > ε */
    double approx_kl;         /* KL(π_old ‖ π_new) estimate, (1/n) Σ (ρ − 1) − log ρ */
} PpoInfo;

/* PPO's loss of a minibatch (Schulman et al. 2017, eq. 9, as a loss):
 *   L = −J^CLIP + c_v L^V − c_e (1/n) Σ_i H(π(·|s_i)),
 * and its gradient with respect to the network outputs: dparams (n, P) for
 * the actor's outputs params (n, P), dv (n) for the critic's values v (n).
 * v and dv may both be NULL (no critic: the value term is left out). info
 * (may be NULL) gets the terms. Returns L. With logp_old = log π of the same
 * parameters (every ρ = 1) the gradient is A2C's. */
double ppo_loss_grads(const PpoBatch *b, const PgDist *dist, const float *params, const float *v, const PpoCoefs *c,
                      float *dparams, float *dv, PpoInfo *info);

/* ---- given -------------------------------------------------------------- */

/* PPO's diagnostics of the update so far: *clip_frac = fraction of samples
 * with |ρ − 1| > ε; *approx_kl = (1/n) Σ ((ρ_i − 1) − log ρ_i), Schulman's
 * "k3" estimator of KL(π_old ‖ π_new) (unbiased, never negative). */
void ppo_diagnostics(int n, const double *logp_new, const double *logp_old, double eps, double *clip_frac,
                     double *approx_kl);

typedef enum { AC_ONLINE, AC_A2C, AC_PPO, AC_NUM_METHODS } AcMethod;

const char *ac_method_name(AcMethod m);   /* "online AC", "A2C", "PPO" */

/* Everything a training run needs; ac_default_config gives the chapter's. */
typedef struct {
    AcMethod method;
    long budget;              /* environment steps per seed (all environments together) */
    int hidden;               /* width of the two tanh hidden layers of actor and critic */
    int n_envs;               /* CartPoles stepped side by side (online AC: 1) */
    int n_steps;              /* rollout length per environment (online AC: 1, an update every step) */
    int epochs;               /* passes over each rollout (A2C, online AC: 1) */
    int minibatch;            /* samples per gradient step (A2C: the whole rollout) */
    double lr_actor;          /* Adam step size of the actor */
    double lr_critic;         /* Adam step size of the critic */
    int anneal_lr;            /* 1: step sizes fall linearly to 0 over the budget */
    double gamma;             /* discount */
    double lambda;            /* GAE λ (online AC: unused, δ is the advantage) */
    int norm_adv;             /* 1: advantages normalised to mean 0, std 1 per minibatch */
    double max_grad_norm;     /* clip each network's gradient to this 2-norm; <= 0: no clipping */
    PpoCoefs coefs;           /* ε, c_v, c_e, value clip (A2C and online AC use c_v, c_e) */
    int stop_when_solved;     /* 1: stop once solved (after the episode / rollout that solves); for `make bench` */
} AcConfig;

/* The chapter's configuration of `method` (--quick: a smaller budget). */
AcConfig ac_default_config(AcMethod method, int quick);
/* The same for PPO, the chapter's main method (for `make bench`). */
AcConfig ppo_default_config(int quick);
/* NULL if cfg is valid, else a sentence saying what is wrong. */
const char *ac_config_error(const AcConfig *cfg);

/* PPO's (and A2C's) diagnostics, one row per update (rollout). */
typedef struct {
    int n, cap;               /* updates logged, capacity */
    long *step;               /* (cap) environment steps when the update was made */
    double *clip_frac;        /* (cap) clip fraction, mean over the update's minibatches */
    double *approx_kl;        /* (cap) KL(π_old ‖ π_new) estimate at the END of the update (last epoch) */
    double *entropy;          /* (cap) mean policy entropy of the rollout */
    double *value_loss;       /* (cap) mean value loss over the update's minibatches */
} AcTrace;

void ac_trace_init(AcTrace *t);
void ac_trace_free(AcTrace *t);

/* Train one seed of cfg->method on CartPole-v1 for cfg->budget environment
 * steps. Every finished TRAINING episode is appended to log (which the caller
 * initialised) with its return; trace (may be NULL) gets one row per update.
 * Returns the environment step at which the stream of training episodes
 * first had a mean return >= 475 over 100 consecutive episodes, or -1.
 * quiet = 1 prints nothing (no progress line). A NaN loss stops the program
 * with a message. Deterministic per seed. */
long ac_train_cartpole(const AcConfig *cfg, uint64_t seed, EpisodeLog *log, AcTrace *trace, int quiet);

#endif
