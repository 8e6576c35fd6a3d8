/* pg — policy gradients: REINFORCE with reward-to-go, baselines and
 * advantage normalisation (chapter 06).
 *
 * Notation (Williams 1992; Sutton & Barto 2nd ed. ch. 13; Spinning Up "Vanilla
 * Policy Gradient"; seed 003 §1.4 in corrected form):
 *   π_θ(a|s)   the policy: a network with parameters θ maps the observation s
 *              to the parameters of an action distribution (dist.h): here 2
 *              logits over CartPole's actions {left, right}
 *   τ          a trajectory s_0, a_0, r_0, s_1, ..., s_{T−1}, a_{T−1}, r_{T−1}
 *   J(θ)       E_τ~π_θ[ Σ_t γ^t r_t ], the objective (gradient ASCENT on J)
 *   G_t        reward-to-go Σ_{k≥t} γ^{k−t} r_k of one episode (the rest of it)
 *   b(s_t)     a baseline: anything that does not depend on the action a_t
 *   A_t        the advantage estimate G_t − b(s_t) that weights ∇log π(a_t|s_t)
 *   V_φ(s)     a learned value network (the "learned baseline"), fit to G_t
 * The gradient estimate of a batch of N episodes (the REINFORCE estimator):
 *   ĝ = (1/N) Σ_i Σ_t ∇_θ log π_θ(a_t^i | s_t^i) · A_t^i.
 *
 * A BATCH BUFFER holds several episodes back to back, one row per step t =
 * 0..T−1: rewards (T), ends (T) and so on. ends[t] says how the episode goes on
 * after step t, with the values of CartPoleStatus (cartpole.h):
 *   PG_CONTINUES  (0) the next row is the next step of the same episode
 *   PG_TERMINATED (1) the episode ended in a terminal state: nothing follows
 *   PG_TRUNCATED  (2) the episode was cut (CartPole's 500-step limit): the
 *                     state s_{t+1} had a future, which only a value estimate
 *                     V(s_{t+1}) can stand for (boot[t]; see pg_reward_to_go).
 * The row after an end starts a new episode. The last row is always the end of
 * something: if ends[T−1] is PG_CONTINUES the buffer cut an episode short, and
 * it is treated as truncated there.
 *
 * The exercises are the functions marked EXERCISE in solutions/06_pg/pg.c
 * (your copy: exercises/06_pg/pg.c) and in dist.c (dist.h).
 */
#ifndef PG_H
#define PG_H
#include <stdint.h>
#include "dist.h"
#include "eplog.h"
#include "mlp.h"
#include "rng.h"

enum { PG_CONTINUES = 0, PG_TERMINATED = 1, PG_TRUNCATED = 2 };   /* ends[t]; = CartPoleStatus */

typedef enum {
    PG_BASELINE_NONE,     /* A_t = G_t (plain REINFORCE with reward-to-go) */
    PG_BASELINE_AVERAGE,  /* A_t = G_t − the mean G at the same time index in the batch's OTHER episodes */
    PG_BASELINE_VALUE,    /* A_t = G_t − V_φ(s_t), V_φ a learned value network */
    PG_N_BASELINES
} PgBaseline;

/* ---------------------------------------------------------------- exercises */

/* Discounted reward-to-go of every step of a batch buffer (see above):
 *   G_t = r_t + γ·G_{t+1}   while the episode continues,
 *   G_t = r_t               at a terminated end,
 *   G_t = r_t + γ·boot[t]   at a truncated end (boot[t] = V(s_{t+1})), or
 *                           G_t = r_t when boot is NULL (the return is cut).
 * rewards, ends, boot, rtg (T); boot may be NULL. rtg must not alias rewards. */
void pg_reward_to_go(const float *rewards, const int *ends, const float *boot, int T, double gamma, float *rtg);

/* Advantages of a batch buffer: adv[t] = rtg[t] − b_t with
 *   PG_BASELINE_NONE     b_t = 0
 *   PG_BASELINE_AVERAGE  b_t = the mean of rtg over the OTHER episodes of the
 *                        buffer that reached the same time index k (step k of
 *                        its episode, counted from 0 after each end); 0 if no
 *                        other episode reached k. Leaving the episode's own
 *                        return out keeps the estimator unbiased.
 *   PG_BASELINE_VALUE    b_t = values[t] = V_φ(s_t)
 * values (T) is read only for PG_BASELINE_VALUE (may be NULL otherwise).
 * adv may alias rtg. */
void pg_advantages(PgBaseline kind, const float *rtg, const int *ends, const float *values, int T, float *adv);

/* Advantage normalisation, in place: a ← (a − mean) / (std + eps), mean and
 * (population) std over the n entries. */
void pg_normalize_advantages(float *adv, int n, double eps);

/* The REINFORCE surrogate loss of n samples and its gradient with respect to
 * the distribution parameters:
 *   L = −scale · Σ_i adv[i] · log π(actions_i | params_i)
 *   dparams_i = ∂L/∂params_i = −scale · adv[i] · ∇ log π(actions_i | params_i)
 * params (n, P), actions (n, action_dim), adv (n), dparams (n, P) WRITTEN
 * (P = pg_dist_n_params(d)). Returns L. −dparams, pushed through the network,
 * is the estimate of ∇J: scale = 1/N (episodes) gives the estimator ĝ above,
 * scale = 1/n (steps) the per-step mean that training uses. */
double pg_surrogate_grad(const PgDist *d, const float *params, const float *actions, const float *adv, int n,
                         double scale, float *dparams);

/* The policy gradient through the network: for the n samples (obs (n, obs_dim),
 * actions, adv (n)), forward the policy in chunks of at most policy->max_batch
 * rows, get ∂L/∂params from pg_surrogate_grad with the given scale, and
 * backward, so that policy->grads += ∂L/∂θ of the WHOLE surrogate loss L
 * (the caller zeroes the gradients first). Returns L. */
double pg_policy_gradient(Mlp *policy, const PgDist *d, const float *obs, const float *actions,
                          const float *adv, int n, double scale);

/* ---------------------------------------------------------------- given: batches of episodes */

/* A batch buffer of CartPole steps; arrays grow as needed. */
typedef struct {
    int T;              /* steps stored */
    int cap;            /* capacity in steps */
    int episodes;       /* episodes stored (each ends with a nonzero ends[]) */
    float *obs;         /* (cap, 4) s_t */
    float *actions;     /* (cap, 1) a_t, the index as a float (dist.h) */
    float *rewards;     /* (cap) r_t */
    int *ends;          /* (cap) PG_CONTINUES / PG_TERMINATED / PG_TRUNCATED after step t */
    float *final_obs;   /* (cap, 4) s_{t+1} where ends[t] = PG_TRUNCATED (only those rows are set) */
    double *ep_return;  /* (cap) undiscounted return of each episode, in order */
} PgBatch;

void pg_batch_init(PgBatch *b);
void pg_batch_clear(PgBatch *b);
void pg_batch_free(PgBatch *b);

/* Run `episodes` whole CartPole episodes with the policy (sampling actions
 * from its categorical distribution with rng) into b (appended). The env's
 * resets use env_rng. Returns the number of steps taken. */
long pg_collect_episodes(PgBatch *b, Mlp *policy, int episodes, Rng *rng, Rng *env_rng);

/* ---------------------------------------------------------------- given: training on CartPole */

typedef struct {
    PgBaseline baseline;     /* the baseline of the advantages */
    int normalize;           /* 1: normalise the advantages of each batch */
    int bootstrap;           /* 1: at truncated ends G_t = r + γ V(s_{t+1}) (needs PG_BASELINE_VALUE) */
    int hidden;              /* width of the hidden layer of both networks (4-hidden-2, 4-hidden-1) */
    NnAct act;               /* hidden activation */
    double gamma;            /* discount γ */
    float lr_policy;         /* Adam step size of the policy */
    float lr_value;          /* Adam step size of the value network */
    int episodes_per_batch;  /* N: episodes per policy update */
    int value_epochs;        /* passes of the value regression over each batch */
    int value_minibatch;     /* rows per value-network step */
    long max_steps;          /* budget: environment steps */
    int stop_when_solved;    /* 1: return as soon as the run is solved */
    int solve_window;        /* 100 episodes ... */
    double solve_threshold;  /* ... with mean return >= 475 */
} PgConfig;

/* The chapter's main method (learned value baseline, normalised advantages,
 * bootstrapping at truncation; 4-64-2 tanh, Adam lr 1e-2, N = 5, γ = 0.99)
 * with the budget of the default run, 500 000 steps; quick = 1 shrinks the
 * budget to 100 000 for a smoke run. stop_when_solved is 0: set it for a
 * benchmark of the time to solve. */
PgConfig pg_default_config(int quick);
const char *pg_baseline_name(PgBaseline kind);   /* "none", "average", "value" */

/* Called before the first update (step 0) and after each update (if set),
 * for measurements at frozen parameters: step = environment steps so far.
 * value is NULL without a value baseline. It must not change the networks'
 * parameters; it may use their activation and gradient buffers (training
 * zeroes the gradients before each use). */
typedef void (*PgCheckpointFn)(void *ctx, long step, Mlp *policy, Mlp *value);

/* Train one run on CartPole-v1 with seed `seed` (networks, actions and env
 * resets all derive from it): batches of cfg->episodes_per_batch episodes,
 * one policy step per batch. Every finished training episode is appended to
 * log (initialised by the caller). "Solved" = the first window of
 * cfg->solve_window consecutive TRAINING episodes with mean return >=
 * cfg->solve_threshold (eplog_solved). Returns the environment step at which
 * it was solved, or -1 if not within cfg->max_steps; with stop_when_solved the
 * run stops there, else it continues to the budget. Prints nothing. Stops the
 * program with a message if a loss becomes NaN. */
long pg_train_cartpole(const PgConfig *cfg, uint64_t seed, EpisodeLog *log, PgCheckpointFn fn, void *ctx);

/* V(s) of n observations obs (n, sizes[0]) into out (n): the value network's
 * forward pass in chunks of its max_batch rows. */
void pg_values(Mlp *value, const float *obs, int n, float *out);

/* The total variance of M gradient estimates g (M, P): the trace of their
 * sample covariance, Σ_j Var(g_·j) (with 1/(M−1)). *mean_sq (may be NULL)
 * gets ‖mean g‖². */
double pg_total_variance(const float *g, int M, int P, double *mean_sq);

#endif
