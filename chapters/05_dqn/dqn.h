/* dqn — deep Q-networks on CartPole-v1: experience replay, a target network,
 * Double DQN (chapter 05).
 *
 * Notation (Mnih et al. 2015, "Human-level control through deep reinforcement
 * learning", Methods; van Hasselt, Guez & Silver 2016, "Deep Reinforcement
 * Learning with Double Q-learning"; seed 003 §1.3 in corrected form):
 *   B   batch size (rows of a minibatch), A = 2 actions, 4 state variables
 *   Q(s,·;θ)    the ONLINE network (chapter 04's Mlp), trained every step
 *   Q(s,·;θ⁻)   the TARGET network: a copy of θ refreshed every C updates
 *   (s, a, r, s′, terminated)   one transition; terminated = 1 when s′ is a
 *               terminal state (the pole fell or the cart left the track):
 *               nothing is bootstrapped from it. An episode cut off by the
 *               500-step limit (truncated) is NOT terminal: its last
 *               transition bootstraps like any other.
 *   y   (B)     the regression target of each row
 *   γ discount, δ Huber threshold, ε exploration probability.
 * Shapes: q (B, A) row-major, q[i*A + a] = Q(s_i, a); s (B, 4) likewise.
 *
 * The exercises are the functions marked EXERCISE in solutions/05_dqn/dqn.c
 * (your copy: exercises/05_dqn/dqn.c). Everything under "given" lives in
 * chapters/05_dqn/dqn_train.c: the agent, the training loop and the
 * evaluation, which call your functions. Every random draw comes from the Rng
 * passed in. Nothing here prints.
 */
#ifndef DQN_H
#define DQN_H
#include <stdint.h>

#include "cartpole.h"
#include "eplog.h"
#include "mlp.h"
#include "rng.h"

#define DQN_OBS     CARTPOLE_OBS_DIM   /* 4 state variables */
#define DQN_ACTIONS CARTPOLE_ACTIONS   /* 2 actions: push left, push right */

/* ---- the replay buffer ---------------------------------------------------- */

/* One step of experience. */
typedef struct {
    float s[DQN_OBS];          /* state the action was taken in */
    int a;                     /* action, 0..DQN_ACTIONS-1 */
    float r;                   /* reward received (+1 on CartPole) */
    float s2[DQN_OBS];         /* next state s′ */
    unsigned char terminated;  /* 1: s′ is terminal, the target does not bootstrap */
    unsigned char truncated;   /* 1: the time limit ended the episode at s′ (bookkeeping
                                  only: the target still bootstraps from s′) */
} DqnTransition;

/* A ring buffer of the last `capacity` transitions (Lin 1992; Mnih et al.
 * 2015). Slots 0..size−1 hold data; head is the slot the next push writes,
 * which once the buffer is full is also the oldest transition. */
typedef struct {
    DqnTransition *data;  /* (capacity) the slots */
    int capacity;         /* slots, >= 1 */
    int size;             /* filled slots, 0..capacity */
    int head;             /* next slot to write, 0..capacity−1 */
    long pushed;          /* transitions pushed so far (may exceed capacity) */
} DqnBuffer;

/* A minibatch: n rows gathered from the buffer. Owns its arrays. */
typedef struct {
    int n;                       /* rows */
    int *idx;                    /* (n) buffer slot each row was copied from */
    float *s;                    /* (n, DQN_OBS) states */
    int *a;                      /* (n) actions */
    float *r;                    /* (n) rewards */
    float *s2;                   /* (n, DQN_OBS) next states */
    unsigned char *terminated;   /* (n) terminal flags */
} DqnBatch;

/* ---- exercises -------------------------------------------------------------- */

/* Append one transition (copied) to the ring buffer: write slot head, advance
 * head by one (back to 0 after capacity − 1), grow size up to capacity, count
 * it in pushed. Once full, each push overwrites the oldest transition. */
void dqn_buffer_push(DqnBuffer *b, const DqnTransition *t);

/* Fill all batch->n rows with transitions drawn uniformly, with replacement,
 * from the FILLED slots of b (size >= 1): every filled slot has probability
 * 1/size per row, whether or not the buffer has wrapped around. Row i gets the
 * slot number in batch->idx[i] and a copy of that slot's s, a, r, s2 and
 * terminated. Draw the slot of row i with one rng_int(rng, ...) call, rows in
 * order 0..n−1. */
void dqn_buffer_sample(const DqnBuffer *b, Rng *rng, DqnBatch *batch);

/* The ε schedule: ε decays linearly from eps_start at step 0 to eps_end at
 * step decay_steps, and stays at eps_end after that:
 *     ε(t) = eps_start + (eps_end − eps_start)·min(1, t / decay_steps).
 * decay_steps <= 0 means no decay: eps_end from the start. */
double dqn_epsilon(long step, double eps_start, double eps_end, long decay_steps);

/* DQN targets (Mnih et al. 2015, Algorithm 1):
 *     y_i = r_i + γ·(1 − terminated_i)·max_a′ Q(s′_i, a′; θ⁻)
 * q_next (B, A) holds Q(s′_i, ·; θ⁻) from the TARGET network. A truncated
 * transition has terminated_i = 0 and bootstraps. Writes y (B). */
void dqn_td_targets(float *y, const float *r, const unsigned char *terminated, const float *q_next, int B, int A,
                    float gamma);

/* Double DQN targets (van Hasselt et al. 2016, eq. 4): the ONLINE network
 * picks the next action, the TARGET network evaluates it:
 *     a*_i = argmax_a′ Q(s′_i, a′; θ)          (q_next_online; first index on ties)
 *     y_i  = r_i + γ·(1 − terminated_i)·Q(s′_i, a*_i; θ⁻)   (q_next_target)
 * Both arrays are (B, A). Writes y (B). */
void dqn_double_targets(float *y, const float *r, const unsigned char *terminated, const float *q_next_online,
                        const float *q_next_target, int B, int A, float gamma);

/* The Huber loss of the taken actions' values against the targets, averaged
 * over the batch (Huber 1964; the "error clipping" of Mnih et al. 2015):
 *     x_i = q[i, a_i] − y_i
 *     h_δ(x) = ½x²              if |x| <= δ
 *            = δ·(|x| − ½δ)     otherwise
 *     L = (1/B) Σ_i h_δ(x_i)                                      (returned)
 * and its gradient with respect to the network's outputs, written to dq (B, A):
 *     dq[i, a_i] = h′_δ(x_i)/B = clamp(x_i, −δ, δ)/B,   every other entry 0.
 * delta = INFINITY gives the mean of ½x², the squared error ("MSE"). The
 * targets y are constants: no gradient flows into them (semi-gradient). */
float dqn_huber_loss(float *dq, const float *q, const int *a, const float *y, int B, int A, float delta);

/* The target network's periodic refresh θ⁻ ← θ (Mnih et al. 2015: "every C
 * updates"). Called after gradient update number `updates` (1, 2, 3, ...):
 * when updates is a multiple of period, copy the n floats of online into
 * target and return 1; otherwise leave target alone and return 0. */
int dqn_sync_target(float *target, const float *online, int n, long updates, long period);

/* ---- given: buffer and batch storage ---------------------------------------- */

DqnBuffer *dqn_buffer_create(int capacity);   /* empty; NULL if capacity < 1; exits on out of memory */
void dqn_buffer_free(DqnBuffer *b);           /* accepts NULL */
DqnBatch *dqn_batch_create(int n);            /* n rows; NULL if n < 1; exits on out of memory */
void dqn_batch_free(DqnBatch *batch);         /* accepts NULL */

/* ---- given: the agent, training and evaluation ------------------------------ */

typedef enum { DQN_VANILLA = 0, DQN_DOUBLE = 1, DQN_N_METHODS = 2 } DqnMethod;
const char *dqn_method_name(DqnMethod m);     /* "DQN", "Double DQN" */

/* Everything a run depends on; dqn_default_config() gives the tuned values
 * that the chapter README reports. */
typedef struct {
    DqnMethod method;       /* which target: dqn_td_targets or dqn_double_targets */
    int hidden;             /* units in each of the two hidden layers (ReLU) */
    float lr;               /* Adam step size at the start */
    float lr_end;           /* Adam step size at the end of the budget (linear in between; = lr: constant) */
    float gamma;            /* discount γ */
    int buffer_capacity;    /* replay buffer slots */
    int batch;              /* minibatch rows B */
    long learning_starts;   /* environment steps before the first update */
    int train_every;        /* one gradient update every this many environment steps */
    long target_period;     /* C: gradient updates between target syncs */
    double eps_start;       /* ε at step 0 */
    double eps_end;         /* ε after the decay */
    long eps_decay_steps;   /* environment steps of the linear decay */
    float huber_delta;      /* δ of the Huber loss; INFINITY = squared error */
    float grad_clip;        /* largest gradient norm ‖∇θ L‖₂ before the Adam step; 0 = no clipping */
    long budget;            /* environment steps of training */
    long eval_every;        /* environment steps between evaluation blocks */
    int eval_episodes;      /* greedy episodes per evaluation block (100 for "solved") */
    int q_episodes;         /* of those, how many also measure Q against the return (first ones) */
    int q_horizon;          /* steps the measuring episodes run past the 500-step limit */
    int stop_when_solved;   /* 1: end the run once solved by the course's rule (benchmarks) */
} DqnConfig;

/* The chapter's defaults (quick = 1: a small run that need not solve). */
DqnConfig dqn_default_config(int quick);
/* NULL if cfg is usable, else a sentence saying which field is out of range. */
const char *dqn_config_error(const DqnConfig *cfg);

/* One evaluation block: cfg.eval_episodes greedy episodes (ε = 0) with the
 * 500-step limit of CartPole-v1. Their first cfg.q_episodes episodes also
 * measure the overestimation (see the README, "Measuring overestimation"): at
 * every state s_t they act in before the limit, max_a Q(s_t, a; θ) and the
 * discounted return actually obtained from s_t, G_t = Σ_k γ^k r_{t+k}, the
 * episode continuing past the limit for cfg.q_horizon more steps so that G_t
 * is not cut short by it. */
typedef struct {
    long step;           /* training environment steps done when the block ran */
    double mean_return;  /* mean return of the block's episodes (CartPole-v1 rules) */
    double min_return;   /* the worst of them */
    double mean_q;       /* mean of max_a Q(s_t, a; θ) over the measured states */
    double mean_g;       /* mean of G_t over the same states */
    long n_states;       /* states measured */
    double disagree;     /* Double DQN: share of the minibatch rows since the last block where the online and
                            the target network pick different a′ (elsewhere its target equals DQN's); NaN for DQN */
} DqnEval;

/* What a run produced besides its episode log. */
typedef struct {
    DqnEval *evals;        /* (n_evals) evaluation blocks in order (owned: dqn_stats_free) */
    int n_evals;
    long solved_step;      /* first block with mean return >= 475 (training steps), or -1 */
    long steps;            /* training environment steps taken */
    long updates;          /* gradient updates */
    long syncs;            /* target-network syncs */
    double seconds;        /* wall-clock time of the run */
    double last_loss;      /* loss of the last update */
    int diverged;          /* 1: the loss became NaN or infinite and the run stopped */
} DqnStats;

void dqn_stats_free(DqnStats *st);   /* frees evals; accepts a zeroed struct */

/* The agent: online and target networks, optimiser, buffer, scratch. */
typedef struct {
    DqnConfig cfg;
    Mlp *online;         /* Q(·,·;θ), 4-hidden-hidden-2 ReLU */
    Mlp *target;         /* Q(·,·;θ⁻), same shape; equal to online right after a sync */
    Optim *opt;          /* Adam on online->params */
    DqnBuffer *buf;      /* replay memory */
    DqnBatch *batch;     /* the current minibatch */
    float *q_next_on;    /* (B, A) Q(s′, ·; θ) for Double DQN */
    float *y;            /* (B) targets */
    float *dq;           /* (B, A) ∂L/∂q */
    long updates;        /* gradient updates done */
    long syncs;          /* target syncs done */
    long rows, disagree; /* Double DQN: minibatch rows, and rows whose online and target argmax differ */
} DqnAgent;

/* A new agent: networks initialised from rng (chapter 04's initialisation),
 * the target a copy of the online network. NULL if cfg is invalid. */
DqnAgent *dqn_agent_create(const DqnConfig *cfg, Rng *rng);
void dqn_agent_free(DqnAgent *ag);   /* accepts NULL */

/* ε-greedy action for state s (DQN_OBS floats): with probability ε uniform
 * over the actions, otherwise argmax_a Q(s, a; θ) (first on ties). */
int dqn_act(DqnAgent *ag, const float *s, double epsilon, Rng *rng);

/* One gradient update (the inner loop of Mnih et al. 2015, Algorithm 1):
 * sample a minibatch, compute targets with the target network (Double DQN:
 * choose a* with the online one), Huber loss, backward, clip the gradient
 * norm, Adam step, then sync the target every target_period updates. Returns
 * the loss before the step. The buffer must hold at least one transition. */
float dqn_update(DqnAgent *ag, Rng *rng);

/* One evaluation block of the agent's greedy policy (fills *ev except step). */
void dqn_evaluate(DqnAgent *ag, Rng *rng, DqnEval *ev);

/* Train one seed on CartPole-v1: cfg->budget environment steps, ε-greedy with
 * dqn_epsilon, an update every cfg->train_every steps once learning_starts
 * steps are done, an evaluation block every cfg->eval_every steps (and at the
 * end). log (initialised by the caller) gets one entry per finished training
 * episode; stats (may be NULL; zero it first) gets the evaluations and
 * counters. Same cfg and seed, same result, whatever the thread. Returns the
 * step at which the course's rule is met (the first 100 consecutive training
 * episodes with mean return >= 475, as eplog_cartpole_solved), or -1; the
 * first greedy evaluation block with mean >= 475 is stats->solved_step.
 * Prints nothing. */
long dqn_train_cartpole(const DqnConfig *cfg, uint64_t seed, EpisodeLog *log, DqnStats *stats);

#endif
