/* ac_train.c — training loops of online actor-critic, A2C and PPO on
 * CartPole-v1 (chapter 07; given, not an exercise).
 *
 * The exercises (ac.c) turn network outputs into losses and output
 * gradients; this file owns everything around them: the two networks (chapter
 * 04's Mlp and Adam), the environments, the rollout buffer, minibatching, step
 * sizes, gradient clipping and the episode log. Read it top to bottom:
 *
 *   networks      actor 4-H-H-2 and critic 4-H-H-1, tanh, Adam each
 *   online AC     one environment; after EVERY step one update of both
 *                 networks from the TD error of that transition (S&B §13.5)
 *   A2C / PPO     n_envs environments stepped together for n_steps steps
 *                 (a rollout of n_envs·n_steps transitions), GAE, then
 *                 A2C: one gradient step on the whole rollout;
 *                 PPO: `epochs` passes over it in shuffled minibatches.
 *
 * Random streams, all derived from the seed: network initialisation,
 * environment resets, action sampling and minibatch shuffling each get their
 * own (rng_split), so changing e.g. the minibatch size does not change the
 * initial weights. Nothing here depends on the thread a run is on.
 */
#include "ac.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cartpole.h"
#include "mlp.h"
#include "pg.h"
#include "progress.h"
#include "util.h"

#define SOLVE_WINDOW    100     /* CartPole-v1: mean return over 100 consecutive episodes ... */
#define SOLVE_THRESHOLD 475.0   /* ... of at least 475 */
#define ACTOR_OUT_SCALE 0.01f   /* the actor's last layer starts 100x smaller: a near-uniform first policy */
#define ADV_EPS         1e-8    /* advantage normalisation: (A − mean) / (std + eps) */

/* ------------------------------------------------------------------ config */

const char *ac_method_name(AcMethod m)
{
    switch (m) {
    case AC_ONLINE: return "online AC";
    case AC_A2C: return "A2C";
    case AC_PPO: return "PPO";
    default: return "?";
    }
}

/* The chapter's settings (the README's Results measure them). PPO follows
 * CleanRL's ppo.py for CartPole (Huang et al. 2022, "The 37 implementation
 * details of PPO": 4 envs x 128 steps, 4 epochs of 4 minibatches, ε = 0.2,
 * annealed Adam, gradient norm 0.5) with a 10x larger step size, no entropy
 * bonus and no value clipping. A2C is the same machinery with one gradient
 * step per rollout of 8 x 32 steps and no advantage normalisation; online AC
 * updates after every step from the TD error (λ plays no part). */
AcConfig ac_default_config(AcMethod method, int quick)
{
    AcConfig c = {
        .method = method,
        .hidden = 64,
        .gamma = 0.99,
        .lambda = 0.95,
        .norm_adv = 1,
        .max_grad_norm = 0.5,
        .anneal_lr = 1,
        .coefs = { .clip_eps = 0.2, .value_coef = 0.5, .entropy_coef = 0.0, .value_clip = 0.0 },
    };
    switch (method) {
    case AC_PPO:
        c.budget = 200000;
        c.n_envs = 4; c.n_steps = 128;
        c.epochs = 4; c.minibatch = 128;
        c.lr_actor = c.lr_critic = 2.5e-3;
        break;
    case AC_A2C:
        c.budget = 500000;
        c.n_envs = 8; c.n_steps = 32;
        c.epochs = 1; c.minibatch = 8 * 32;
        c.lr_actor = c.lr_critic = 2e-3;
        c.norm_adv = 0;   /* see the README: normalising pure noise once solved makes A2C collapse */
        break;
    case AC_ONLINE:
    default:
        c.budget = 150000;
        c.n_envs = 1; c.n_steps = 1;
        c.epochs = 1; c.minibatch = 1;
        c.lr_actor = 2e-4; c.lr_critic = 1e-3;
        c.norm_adv = 0;
        c.max_grad_norm = 0.0;
        c.lambda = 0.0;
        break;
    }
    if (quick) c.budget = method == AC_ONLINE ? 10000 : 20000;
    return c;
}

AcConfig ppo_default_config(int quick) { return ac_default_config(AC_PPO, quick); }

const char *ac_config_error(const AcConfig *c)
{
    if (c->method < 0 || c->method >= AC_NUM_METHODS) return "unknown method";
    if (c->budget < 1) return "the budget must be at least 1 environment step";
    if (c->hidden < 1) return "hidden must be at least 1";
    if (c->n_envs < 1 || c->n_steps < 1) return "n_envs and n_steps must be at least 1";
    if (c->method == AC_ONLINE && (c->n_envs != 1 || c->n_steps != 1)) return "online AC steps one environment";
    if (c->epochs < 1) return "epochs must be at least 1";
    if (c->minibatch < 1 || c->minibatch > c->n_envs * c->n_steps) return "minibatch must be in 1..n_envs*n_steps";
    if (!(c->lr_actor > 0) || !(c->lr_critic > 0)) return "step sizes must be positive";
    if (!(c->gamma >= 0 && c->gamma <= 1) || !(c->lambda >= 0 && c->lambda <= 1)) return "gamma, lambda in [0, 1]";
    if (!(c->coefs.clip_eps > 0)) return "the clip range must be positive";
    return NULL;
}

/* ------------------------------------------------------------------ trace */

void ac_trace_init(AcTrace *t) { memset(t, 0, sizeof *t); }

void ac_trace_free(AcTrace *t)
{
    free(t->step); free(t->clip_frac); free(t->approx_kl); free(t->entropy); free(t->value_loss);
    ac_trace_init(t);
}

static void trace_push(AcTrace *t, long step, double clip_frac, double kl, double entropy, double value_loss)
{
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 256;
        t->step = xrealloc(t->step, (size_t)cap, sizeof *t->step, "the PPO trace's steps");
        t->clip_frac = xrealloc(t->clip_frac, (size_t)cap, sizeof *t->clip_frac, "the PPO trace's clip fractions");
        t->approx_kl = xrealloc(t->approx_kl, (size_t)cap, sizeof *t->approx_kl, "the PPO trace's KL estimates");
        t->entropy = xrealloc(t->entropy, (size_t)cap, sizeof *t->entropy, "the PPO trace's entropies");
        t->value_loss = xrealloc(t->value_loss, (size_t)cap, sizeof *t->value_loss, "the PPO trace's value losses");
        t->cap = cap;
    }
    t->step[t->n] = step;
    t->clip_frac[t->n] = clip_frac;
    t->approx_kl[t->n] = kl;
    t->entropy[t->n] = entropy;
    t->value_loss[t->n] = value_loss;
    t->n++;
}

/* ------------------------------------------------------------------ networks */

typedef struct {
    Mlp *actor, *critic;          /* π: 4-H-H-2 logits; V: 4-H-H-1 */
    Optim *opt_actor, *opt_critic;
    PgDist dist;                  /* categorical over CartPole's 2 actions */
} Nets;

static void nets_create(Nets *n, const AcConfig *c, int max_batch, Rng *rng)
{
    MlpSpec a = { .n_layers = 3, .sizes = { CARTPOLE_OBS_DIM, c->hidden, c->hidden, CARTPOLE_ACTIONS }, .act = NN_TANH };
    MlpSpec v = { .n_layers = 3, .sizes = { CARTPOLE_OBS_DIM, c->hidden, c->hidden, 1 }, .act = NN_TANH };
    n->actor = mlp_create(&a, max_batch, rng);
    n->critic = mlp_create(&v, max_batch, rng);
    if (!n->actor || !n->critic) die(1, "cannot create the actor-critic networks: %s", mlp_spec_error(&a));
    /* Small initial logits: the first policy is close to uniform, so early
     * updates are not spent undoing a random preference (CleanRL initialises
     * this layer orthogonally with gain 0.01 for the same reason). */
    const int L = a.n_layers - 1;
    for (int i = 0; i < a.sizes[L + 1] * a.sizes[L]; i++) n->actor->W[L][i] *= ACTOR_OUT_SCALE;
    n->opt_actor = optim_create(OPTIM_ADAM, n->actor->n_params, (float)c->lr_actor);
    n->opt_critic = optim_create(OPTIM_ADAM, n->critic->n_params, (float)c->lr_critic);
    n->opt_actor->eps = n->opt_critic->eps = 1e-5f;   /* as in CleanRL and the PPO2 code */
    n->dist = pg_categorical(CARTPOLE_ACTIONS);
}

static void nets_free(Nets *n)
{
    mlp_free(n->actor); mlp_free(n->critic);
    optim_free(n->opt_actor); optim_free(n->opt_critic);
}

/* Linear annealing: the step sizes at a fraction `done` of the budget. */
static void set_step_sizes(Nets *n, const AcConfig *c, double done)
{
    double f = c->anneal_lr ? fmax(1.0 - done, 0.0) : 1.0;
    n->opt_actor->lr = (float)(c->lr_actor * f);
    n->opt_critic->lr = (float)(c->lr_critic * f);
}

/* Clip each network's gradient, then take one Adam step on each. */
static void step_both(Nets *n, const AcConfig *c)
{
    if (c->max_grad_norm > 0) {
        mlp_clip_grad_norm(n->actor, (float)c->max_grad_norm);
        mlp_clip_grad_norm(n->critic, (float)c->max_grad_norm);
    }
    optim_step(n->opt_actor, n->actor->params, n->actor->grads);
    optim_step(n->opt_critic, n->critic->params, n->critic->grads);
}

static void check_finite(double x, const char *what, long step, const AcConfig *c)
{
    if (!isfinite(x))
        die(1, "%s: the %s became %g at environment step %ld; lower the step sizes (now actor %g, critic %g)",
            ac_method_name(c->method), what, x, step, c->lr_actor, c->lr_critic);
}

/* ------------------------------------------------------------------ episodes */

/* One CartPole with its running episode return. */
typedef struct {
    CartPole env;
    double ret;
} Env;

/* Step env e with action a; log a finished episode and reset. Returns the
 * status; final_obs gets the observation the step led to (before any reset). */
static CartPoleStatus env_step(Env *e, int a, EpisodeLog *log, long step, Rng *env_rng, float final_obs[4])
{
    double r;
    CartPoleStatus st = cartpole_step(&e->env, a, &r);
    e->ret += r;
    cartpole_obs(&e->env, final_obs);
    if (st != CP_RUNNING) {
        eplog_push(log, step, e->ret);
        e->ret = 0.0;
        cartpole_reset(&e->env, env_rng);
    }
    return st;
}

/* Solved as of the last logged episode: the mean of the last SOLVE_WINDOW
 * returns reaches SOLVE_THRESHOLD (what eplog_solved finds, checked at the end). */
static int solved_now(const EpisodeLog *log)
{
    return log->n >= SOLVE_WINDOW && eplog_window_mean(log, log->n - 1, SOLVE_WINDOW) >= SOLVE_THRESHOLD;
}

/* ------------------------------------------------------------------ online actor-critic */

/* S&B §13.5, One-step Actor–Critic (without the γ^t factor I, like every
 * practical implementation): after each step, δ from the transition, then one
 * Adam step of the critic on ½δ² and one of the actor on −δ log π(a|s). */
static void train_online(const AcConfig *c, Nets *n, EpisodeLog *log, Rng *act_rng, Rng *env_rng, Progress *pr)
{
    Env e = { 0 };
    cartpole_reset(&e.env, env_rng);
    float s[CARTPOLE_OBS_DIM], s2[CARTPOLE_OBS_DIM], logits[CARTPOLE_ACTIONS], dlogits[CARTPOLE_ACTIONS], action;
    cartpole_obs(&e.env, s);
    for (long t = 1; t <= c->budget; t++) {
        set_step_sizes(n, c, (double)(t - 1) / c->budget);
        memcpy(logits, mlp_forward(n->actor, s, 1, NN_TRAIN), sizeof logits);
        pg_dist_sample(&n->dist, logits, act_rng, &action);
        CartPoleStatus st = env_step(&e, (int)action, log, t, env_rng, s2);
        if (st != CP_RUNNING && c->stop_when_solved && solved_now(log)) break;
        double v_next = st == CP_TERMINATED ? 0.0 : mlp_forward(n->critic, s2, 1, NN_EVAL)[0];
        double v = mlp_forward(n->critic, s, 1, NN_TRAIN)[0];   /* last forward: backward goes through V(s) */
        double dv;
        double delta = ac_online_grads(&n->dist, logits, &action, 1.0, v, v_next, st == CP_TERMINATED, c->gamma,
                                       c->coefs.entropy_coef, dlogits, &dv);
        check_finite(delta, "TD error", t, c);
        float dvf = (float)dv;
        mlp_zero_grad(n->actor);
        mlp_zero_grad(n->critic);
        mlp_backward(n->actor, dlogits, NULL);
        mlp_backward(n->critic, &dvf, NULL);
        step_both(n, c);
        if (st == CP_RUNNING) memcpy(s, s2, sizeof s);
        else cartpole_obs(&e.env, s);   /* the reset state */
        if (t % 1000 == 0) progress_update(pr, t, "episodes %d", log->n);
    }
}

/* ------------------------------------------------------------------ A2C and PPO */

/* A rollout of N = n_envs·n_steps transitions, ENV-MAJOR: transition t of
 * environment e is row e·n_steps + t, so each environment's steps are
 * contiguous for ac_gae. */
typedef struct {
    int N;
    float *obs;            /* (N, 4) s_t */
    float *action;         /* (N) a_t (the index as a float) */
    double *logp;          /* (N) log π_old(a_t|s_t) */
    double *value;         /* (N) V_old(s_t) */
    double *next_value;    /* (N) V_old(s'_t); for a truncated step, of the episode's last state */
    double *reward;        /* (N) r_t */
    int *ends;             /* (N) CartPoleStatus after step t */
    double *adv, *ret;     /* (N) GAE advantages and λ-return targets */
    float *cur_obs;        /* (n_envs, 4) the environments' observations at one step */
} Rollout;

static void rollout_alloc(Rollout *r, int N, int n_envs)
{
    r->N = N;
    r->cur_obs = xmalloc((size_t)n_envs * CARTPOLE_OBS_DIM * sizeof *r->cur_obs, "observations");
    r->obs = xmalloc((size_t)N * CARTPOLE_OBS_DIM * sizeof *r->obs, "rollout observations");
    r->action = xmalloc((size_t)N * sizeof *r->action, "rollout actions");
    r->logp = xmalloc((size_t)N * 6 * sizeof(double), "rollout buffers");
    r->value = r->logp + N;
    r->next_value = r->value + N;
    r->reward = r->next_value + N;
    r->adv = r->reward + N;
    r->ret = r->adv + N;
    r->ends = xmalloc((size_t)N * sizeof *r->ends, "rollout ends");
}

static void rollout_free(Rollout *r)
{
    free(r->obs); free(r->action); free(r->logp); free(r->ends); free(r->cur_obs);
}

/* Step the n_envs environments n_steps times with the current policy. */
static void collect(const AcConfig *c, Nets *n, Env *envs, Rollout *ro, EpisodeLog *log, long *step, Rng *act_rng,
                    Rng *env_rng)
{
    const int E = c->n_envs, T = c->n_steps, D = CARTPOLE_OBS_DIM, K = CARTPOLE_ACTIONS;
    float *obs = ro->cur_obs, final_obs[CARTPOLE_OBS_DIM];
    for (int t = 0; t < T; t++) {
        for (int e = 0; e < E; e++) cartpole_obs(&envs[e].env, obs + e * D);
        const float *logits = mlp_forward(n->actor, obs, E, NN_EVAL);
        for (int e = 0; e < E; e++) {
            int i = e * T + t;
            memcpy(ro->obs + (size_t)i * D, obs + e * D, (size_t)D * sizeof *obs);
            pg_dist_sample(&n->dist, logits + e * K, act_rng, &ro->action[i]);
            ro->logp[i] = pg_dist_logprob(&n->dist, logits + e * K, &ro->action[i], NULL);
        }
        const float *v = mlp_forward(n->critic, obs, E, NN_EVAL);
        for (int e = 0; e < E; e++) {
            int i = e * T + t;
            ro->value[i] = v[e];
            if (t > 0 && ro->ends[i - 1] == CP_RUNNING) ro->next_value[i - 1] = v[e];
        }
        for (int e = 0; e < E; e++) {
            int i = e * T + t;
            (*step)++;
            CartPoleStatus st = env_step(&envs[e], (int)ro->action[i], log, *step, env_rng, final_obs);
            ro->reward[i] = 1.0;
            ro->ends[i] = st;
            ro->next_value[i] = 0.0;
            if (st == CP_TRUNCATED)   /* bootstrap from the episode's last state, not the reset state */
                ro->next_value[i] = mlp_forward(n->critic, final_obs, 1, NN_EVAL)[0];
        }
    }
    /* the rollout cuts every running episode: bootstrap from V(s_T) */
    for (int e = 0; e < E; e++) cartpole_obs(&envs[e].env, obs + e * D);
    const float *v = mlp_forward(n->critic, obs, E, NN_EVAL);
    for (int e = 0; e < E; e++)
        if (ro->ends[e * T + T - 1] == CP_RUNNING) ro->next_value[e * T + T - 1] = v[e];
}

/* Work space of one minibatch (B rows at most). */
typedef struct {
    float *obs, *action, *adv_f, *dlogits, *dv, *vals;
    double *logp_old, *adv, *v_old, *ret;
} Minibatch;

static void mb_alloc(Minibatch *m, int B)
{
    m->obs = xmalloc((size_t)B * (CARTPOLE_OBS_DIM + 1 + 1 + CARTPOLE_ACTIONS + 1 + 1) * sizeof(float), "minibatch");
    m->action = m->obs + (size_t)B * CARTPOLE_OBS_DIM;
    m->adv_f = m->action + B;
    m->dlogits = m->adv_f + B;
    m->dv = m->dlogits + (size_t)B * CARTPOLE_ACTIONS;
    m->vals = m->dv + B;
    m->logp_old = xmalloc((size_t)B * 4 * sizeof(double), "minibatch");
    m->adv = m->logp_old + B;
    m->v_old = m->adv + B;
    m->ret = m->v_old + B;
}

static void mb_free(Minibatch *m) { free(m->obs); free(m->logp_old); }

/* The update of one rollout: `epochs` passes of shuffled minibatches (A2C:
 * one pass, one minibatch = the whole rollout). Returns the mean PpoInfo over
 * the minibatches in *mean. */
static void update(const AcConfig *c, Nets *n, const Rollout *ro, int *perm, Minibatch *m, Rng *shuffle_rng,
                   long step, PpoInfo *mean)
{
    const int N = ro->N, B = c->minibatch, D = CARTPOLE_OBS_DIM;
    memset(mean, 0, sizeof *mean);
    int count = 0;
    for (int epoch = 0; epoch < c->epochs; epoch++) {
        rng_shuffle(shuffle_rng, perm, N);
        for (int start = 0; start + B <= N; start += B) {
            for (int j = 0; j < B; j++) {
                int i = perm[start + j];
                memcpy(m->obs + (size_t)j * D, ro->obs + (size_t)i * D, (size_t)D * sizeof(float));
                m->action[j] = ro->action[i];
                m->logp_old[j] = ro->logp[i];
                m->adv_f[j] = (float)ro->adv[i];
                m->v_old[j] = ro->value[i];
                m->ret[j] = ro->ret[i];
            }
            if (c->norm_adv) pg_normalize_advantages(m->adv_f, B, ADV_EPS);   /* chapter 06 */
            for (int j = 0; j < B; j++) m->adv[j] = m->adv_f[j];
            const float *logits = mlp_forward(n->actor, m->obs, B, NN_TRAIN);
            const float *v = mlp_forward(n->critic, m->obs, B, NN_TRAIN);
            memcpy(m->vals, v, (size_t)B * sizeof(float));
            PpoBatch b = { .n = B, .action = m->action, .logp_old = m->logp_old, .adv = m->adv, .v_old = m->v_old,
                           .ret = m->ret };
            PpoInfo info;
            double loss = ppo_loss_grads(&b, &n->dist, logits, m->vals, &c->coefs, m->dlogits, m->dv, &info);
            check_finite(loss, "loss", step, c);
            mlp_zero_grad(n->actor);
            mlp_zero_grad(n->critic);
            mlp_backward(n->actor, m->dlogits, NULL);
            mlp_backward(n->critic, m->dv, NULL);
            step_both(n, c);
            mean->policy += info.policy; mean->value += info.value; mean->entropy += info.entropy;
            mean->clip_frac += info.clip_frac;
            count++;
        }
    }
    if (count) {
        mean->policy /= count; mean->value /= count; mean->entropy /= count; mean->clip_frac /= count;
    }
}

/* KL(π_old ‖ π_new) over the whole rollout after an update (k3 estimator on
 * the rollout's actions; ppo_diagnostics). */
static double rollout_kl(Nets *n, const Rollout *ro, double eps, double *logp_new, int max_batch)
{
    for (int start = 0; start < ro->N; start += max_batch) {
        int B = ro->N - start < max_batch ? ro->N - start : max_batch;
        const float *logits = mlp_forward(n->actor, ro->obs + (size_t)start * CARTPOLE_OBS_DIM, B, NN_EVAL);
        for (int j = 0; j < B; j++)
            logp_new[start + j] = pg_dist_logprob(&n->dist, logits + j * CARTPOLE_ACTIONS, &ro->action[start + j], NULL);
    }
    double clip_frac, kl;
    ppo_diagnostics(ro->N, logp_new, ro->logp, eps, &clip_frac, &kl);
    return kl;
}

static void train_batch(const AcConfig *c, Nets *n, EpisodeLog *log, AcTrace *trace, Rng *act_rng, Rng *env_rng,
                        Rng *shuffle_rng, Progress *pr)
{
    const int E = c->n_envs, T = c->n_steps, N = E * T;
    Env *envs = xcalloc((size_t)E, sizeof *envs, "environments");
    for (int e = 0; e < E; e++) cartpole_reset(&envs[e].env, env_rng);
    Rollout ro;
    rollout_alloc(&ro, N, E);
    Minibatch m;
    mb_alloc(&m, c->minibatch);
    int *perm = xmalloc((size_t)N * sizeof *perm, "permutation");
    for (int i = 0; i < N; i++) perm[i] = i;
    double *logp_new = xmalloc((size_t)N * sizeof *logp_new, "log-probabilities");
    long step = 0;
    const long updates = c->budget / N;
    for (long u = 0; u < updates; u++) {
        set_step_sizes(n, c, (double)u / updates);
        collect(c, n, envs, &ro, log, &step, act_rng, env_rng);
        if (c->stop_when_solved && solved_now(log)) break;
        for (int e = 0; e < E; e++)
            ac_gae(T, ro.reward + e * T, ro.value + e * T, ro.next_value + e * T, ro.ends + e * T, c->gamma,
                   c->lambda, ro.adv + e * T, ro.ret + e * T);
        PpoInfo mean;
        update(c, n, &ro, perm, &m, shuffle_rng, step, &mean);
        if (trace) {
            double kl = rollout_kl(n, &ro, c->coefs.clip_eps, logp_new, n->actor->max_batch);
            trace_push(trace, step, mean.clip_frac, kl, mean.entropy, mean.value);
        }
        progress_update(pr, step, "episodes %d", log->n);
    }
    free(logp_new); free(perm);
    mb_free(&m);
    rollout_free(&ro);
    free(envs);
}

/* ------------------------------------------------------------------ entry point */

long ac_train_cartpole(const AcConfig *c, uint64_t seed, EpisodeLog *log, AcTrace *trace, int quiet)
{
    const char *err = ac_config_error(c);
    if (err) die(2, "ac_train_cartpole: invalid configuration: %s", err);
    Rng root, init_rng, env_rng, act_rng, shuffle_rng;
    rng_seed(&root, seed);
    init_rng = rng_split(&root);
    env_rng = rng_split(&root);
    act_rng = rng_split(&root);
    shuffle_rng = rng_split(&root);
    int max_batch = c->n_envs * c->n_steps;
    if (max_batch < c->n_envs) max_batch = c->n_envs;
    Nets n;
    nets_create(&n, c, max_batch, &init_rng);
    char label[48];
    snprintf(label, sizeof label, "%s seed %llu", ac_method_name(c->method), (unsigned long long)seed);
    Progress pr;
    progress_start(&pr, label, c->budget, quiet);
    if (c->method == AC_ONLINE) train_online(c, &n, log, &act_rng, &env_rng, &pr);
    else train_batch(c, &n, log, trace, &act_rng, &env_rng, &shuffle_rng, &pr);
    progress_finish(&pr);
    nets_free(&n);
    long solved_step;
    return eplog_solved(log, SOLVE_WINDOW, SOLVE_THRESHOLD, &solved_step) >= 0 ? solved_step : -1;
}
