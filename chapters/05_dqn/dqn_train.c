/* dqn_train.c — the DQN agent, its training loop on CartPole-v1 and its
 * evaluation (chapter 05). GIVEN code: nothing to write here. It calls the
 * exercise functions of dqn.c (buffer, ε schedule, targets, loss, sync) and
 * chapter 04's network (mlp.h): read dqn_update() to see how they fit.
 *
 * The algorithm is Mnih et al. 2015, Algorithm 1 ("deep Q-learning with
 * experience replay"), with the Double DQN target of van Hasselt et al. 2016
 * as an option, and two departures that the README explains: the Huber
 * threshold δ and a gradient-norm clip, tuned for CartPole's returns of up to
 * 500 rather than Atari's clipped rewards.
 */
#include "dqn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"
#include "progress.h"
#include "util.h"

/* ======================================================================== */
/* Storage */

DqnBuffer *dqn_buffer_create(int capacity)
{
    if (capacity < 1) return NULL;
    DqnBuffer *b = xcalloc(1, sizeof *b, "the replay buffer");
    b->data = xcalloc((size_t)capacity, sizeof *b->data, "the replay buffer's slots");
    b->capacity = capacity;
    return b;
}

void dqn_buffer_free(DqnBuffer *b)
{
    if (!b) return;
    free(b->data);
    free(b);
}

DqnBatch *dqn_batch_create(int n)
{
    if (n < 1) return NULL;
    DqnBatch *bt = xcalloc(1, sizeof *bt, "a minibatch");
    bt->n = n;
    bt->idx = xcalloc((size_t)n, sizeof *bt->idx, "minibatch slots");
    bt->s = xcalloc((size_t)n * DQN_OBS, sizeof *bt->s, "minibatch states");
    bt->a = xcalloc((size_t)n, sizeof *bt->a, "minibatch actions");
    bt->r = xcalloc((size_t)n, sizeof *bt->r, "minibatch rewards");
    bt->s2 = xcalloc((size_t)n * DQN_OBS, sizeof *bt->s2, "minibatch next states");
    bt->terminated = xcalloc((size_t)n, sizeof *bt->terminated, "minibatch terminal flags");
    return bt;
}

void dqn_batch_free(DqnBatch *bt)
{
    if (!bt) return;
    free(bt->idx); free(bt->s); free(bt->a); free(bt->r); free(bt->s2); free(bt->terminated);
    free(bt);
}

void dqn_stats_free(DqnStats *st)
{
    if (!st) return;
    free(st->evals);
    st->evals = NULL;
    st->n_evals = 0;
}

/* ======================================================================== */
/* Configuration */

const char *dqn_method_name(DqnMethod m)
{
    return m == DQN_DOUBLE ? "Double DQN" : "DQN";
}

/* The values the README's results were measured with. Tuning notes there. */
DqnConfig dqn_default_config(int quick)
{
    DqnConfig c = {
        .method = DQN_VANILLA,
        .hidden = 64,
        .lr = 1e-3f,
        .lr_end = 1e-5f,          /* late updates small: the greedy policy stops oscillating */
        .gamma = 0.99f,
        .buffer_capacity = 50000,
        .batch = 64,
        .learning_starts = 1000,
        .train_every = 2,
        .target_period = 250,     /* 100 overestimates and oscillates; 500 learns too slowly */
        .eps_start = 1.0,
        .eps_end = 0.0,           /* "solved" counts training episodes: no random pushes late */
        .eps_decay_steps = 10000,
        .huber_delta = 10.0f,
        .grad_clip = 10.0f,
        .budget = 200000,         /* the 100 episodes >= 475 alone take 50 000 steps */
        .eval_every = 2500,
        .eval_episodes = 100,
        .q_episodes = 10,
        .q_horizon = 500,
        .stop_when_solved = 0,
    };
    if (quick) {
        c.budget = 20000;
        c.eval_every = 5000;
    }
    return c;
}

const char *dqn_config_error(const DqnConfig *c)
{
    if (c->method != DQN_VANILLA && c->method != DQN_DOUBLE) return "method must be DQN_VANILLA or DQN_DOUBLE";
    if (c->hidden < 1 || c->hidden > 4096) return "hidden must be in 1..4096";
    if (!(c->lr > 0) || !isfinite(c->lr)) return "lr must be a positive number";
    if (!(c->lr_end >= 0) || !isfinite(c->lr_end)) return "lr_end must be a number >= 0";
    if (!(c->gamma >= 0 && c->gamma <= 1)) return "gamma must be in [0, 1]";
    if (c->buffer_capacity < 1) return "buffer_capacity must be >= 1";
    if (c->batch < 1) return "batch must be >= 1";
    if (c->learning_starts < 1) return "learning_starts must be >= 1";
    if (c->train_every < 1) return "train_every must be >= 1";
    if (c->target_period < 1) return "target_period must be >= 1";
    if (!(c->eps_start >= 0 && c->eps_start <= 1 && c->eps_end >= 0 && c->eps_end <= 1))
        return "eps_start and eps_end must be in [0, 1]";
    if (!(c->huber_delta > 0)) return "huber_delta must be > 0 (INFINITY for the squared error)";
    if (!(c->grad_clip >= 0)) return "grad_clip must be >= 0 (0: no clipping)";
    if (c->budget < 1) return "budget must be >= 1";
    if (c->eval_every < 1) return "eval_every must be >= 1";
    if (c->eval_episodes < 1 || c->eval_episodes > 10000) return "eval_episodes must be in 1..10000";
    if (c->q_episodes < 0 || c->q_episodes > c->eval_episodes) return "q_episodes must be in 0..eval_episodes";
    if (c->q_horizon < 0 || c->q_horizon > 100000) return "q_horizon must be in 0..100000";
    return NULL;
}

/* ======================================================================== */
/* The agent */

DqnAgent *dqn_agent_create(const DqnConfig *cfg, Rng *rng)
{
    if (dqn_config_error(cfg)) return NULL;
    DqnAgent *ag = xcalloc(1, sizeof *ag, "the DQN agent");
    ag->cfg = *cfg;
    MlpSpec spec = { .n_layers = 3, .sizes = { DQN_OBS, cfg->hidden, cfg->hidden, DQN_ACTIONS }, .act = NN_RELU };
    /* the online network also runs the evaluation episodes side by side */
    int max_batch = cfg->batch > cfg->eval_episodes ? cfg->batch : cfg->eval_episodes;
    ag->online = mlp_create(&spec, max_batch, rng);
    ag->target = mlp_create(&spec, cfg->batch, NULL);
    if (!ag->online || !ag->target) die(1, "dqn_agent_create: cannot build the %d-%d-%d-%d network", DQN_OBS,
                                        cfg->hidden, cfg->hidden, DQN_ACTIONS);
    mlp_copy_params(ag->target, ag->online);   /* θ⁻ = θ at the start */
    ag->opt = optim_create(OPTIM_ADAM, ag->online->n_params, cfg->lr);
    ag->buf = dqn_buffer_create(cfg->buffer_capacity);
    ag->batch = dqn_batch_create(cfg->batch);
    ag->q_next_on = xcalloc((size_t)cfg->batch * DQN_ACTIONS, sizeof(float), "Q(s', .) of the online network");
    ag->y = xcalloc((size_t)cfg->batch, sizeof(float), "the targets");
    ag->dq = xcalloc((size_t)cfg->batch * DQN_ACTIONS, sizeof(float), "dL/dq");
    return ag;
}

void dqn_agent_free(DqnAgent *ag)
{
    if (!ag) return;
    mlp_free(ag->online);
    mlp_free(ag->target);
    optim_free(ag->opt);
    dqn_buffer_free(ag->buf);
    dqn_batch_free(ag->batch);
    free(ag->q_next_on);
    free(ag->y);
    free(ag->dq);
    free(ag);
}

int dqn_act(DqnAgent *ag, const float *s, double epsilon, Rng *rng)
{
    if (rng_uniform(rng) < epsilon) return rng_int(rng, DQN_ACTIONS);
    const float *q = mlp_forward(ag->online, s, 1, NN_EVAL);
    return vec_argmax(q, DQN_ACTIONS);
}

/* One step of minibatch semi-gradient descent on
 *     L(θ) = (1/B) Σ_i h_δ(Q(s_i, a_i; θ) − y_i),
 * y_i computed from the target network and held constant. */
float dqn_update(DqnAgent *ag, Rng *rng)
{
    const DqnConfig *c = &ag->cfg;
    DqnBatch *bt = ag->batch;
    const int B = bt->n, A = DQN_ACTIONS;
    if (ag->buf->size < 1)
        die(1, "dqn_update: the replay buffer is empty after %ld pushes (size %d). Is dqn_buffer_push written?",
            ag->buf->pushed, ag->buf->size);

    /* 1. a minibatch of past transitions */
    dqn_buffer_sample(ag->buf, rng, bt);
    for (int i = 0; i < B; i++)
        if (bt->a[i] < 0 || bt->a[i] >= A)
            die(1, "dqn_update: minibatch row %d has action %d (slot %d). Check dqn_buffer_sample.", i, bt->a[i],
                bt->idx[i]);

    /* 2. targets y (B) from the target network θ⁻ */
    const float *q_next = mlp_forward(ag->target, bt->s2, B, NN_EVAL);       /* Q(s′,·;θ⁻) (B, A) */
    if (c->method == DQN_DOUBLE) {
        const float *qo = mlp_forward(ag->online, bt->s2, B, NN_EVAL);      /* Q(s′,·;θ) (B, A) */
        memcpy(ag->q_next_on, qo, (size_t)B * A * sizeof *qo);             /* the next forward reuses qo's buffer */
        dqn_double_targets(ag->y, bt->r, bt->terminated, ag->q_next_on, q_next, B, A, c->gamma);
        for (int i = 0; i < B; i++)   /* where the two argmaxes agree, the target is DQN's */
            ag->disagree += vec_argmax(ag->q_next_on + (size_t)i * A, A) != vec_argmax(q_next + (size_t)i * A, A);
        ag->rows += B;
    } else {
        dqn_td_targets(ag->y, bt->r, bt->terminated, q_next, B, A, c->gamma);
    }

    /* 3. the loss of Q(s, a; θ) against y, and its gradient */
    const float *q = mlp_forward(ag->online, bt->s, B, NN_TRAIN);             /* Q(s,·;θ) (B, A) */
    float loss = dqn_huber_loss(ag->dq, q, bt->a, ag->y, B, A, c->huber_delta);

    /* 4. backward, clip, Adam */
    mlp_zero_grad(ag->online);
    mlp_backward(ag->online, ag->dq, NULL);
    if (c->grad_clip > 0) mlp_clip_grad_norm(ag->online, c->grad_clip);
    optim_step(ag->opt, ag->online->params, ag->online->grads);
    ag->updates++;

    /* 5. θ⁻ ← θ every C updates */
    ag->syncs += dqn_sync_target(ag->target->params, ag->online->params, ag->online->n_params, ag->updates,
                                 c->target_period);
    return loss;
}

/* ======================================================================== */
/* Evaluation: greedy episodes, all stepped side by side so that each step is
 * one batched forward pass. The first q_episodes also measure overestimation:
 * they record max_a Q(s_t, a) at every state before the 500-step limit and
 * keep going past the limit (the cart-pole's step counter is restarted: the
 * same physical state, a fresh clock) for q_horizon more steps, so that the
 * discounted return from s_t is not cut short by the clock. The rest of that
 * return, past 500 + q_horizon steps, is at most γ^(q_horizon)/(1 − γ)
 * (0.66 for γ = 0.99 and 500 steps). */
void dqn_evaluate(DqnAgent *ag, Rng *rng, DqnEval *ev)
{
    const DqnConfig *c = &ag->cfg;
    const int n = c->eval_episodes, nq = c->q_episodes, A = DQN_ACTIONS;
    const int limit = CARTPOLE_MAX_STEPS, horizon = CARTPOLE_MAX_STEPS + c->q_horizon;
    CartPole *env = xmalloc((size_t)n * sizeof *env, "evaluation episodes");
    int *len = xcalloc((size_t)n, sizeof *len, "evaluation lengths");
    unsigned char *alive = xmalloc((size_t)n, "evaluation flags");
    double *ret = xcalloc((size_t)n, sizeof *ret, "evaluation returns");
    float *X = xmalloc((size_t)n * DQN_OBS * sizeof *X, "evaluation states");
    int *who = xmalloc((size_t)n * sizeof *who, "evaluation rows");
    float *qmax = xmalloc(((size_t)nq * limit + 1) * sizeof *qmax, "measured max Q");
    float *rew = xmalloc(((size_t)nq * horizon + 1) * sizeof *rew, "measured rewards");
    for (int e = 0; e < n; e++) {
        cartpole_reset(&env[e], rng);
        alive[e] = 1;
    }
    int k = n;
    while (k > 0) {
        k = 0;
        for (int e = 0; e < n; e++)
            if (alive[e]) {
                cartpole_obs(&env[e], X + (size_t)k * DQN_OBS);
                who[k++] = e;
            }
        if (k == 0) break;
        const float *q = mlp_forward(ag->online, X, k, NN_EVAL);
        for (int j = 0; j < k; j++) {
            const int e = who[j];
            const float *qrow = q + (size_t)j * A;
            int a = vec_argmax(qrow, A);
            if (e < nq && len[e] < limit) qmax[(size_t)e * limit + len[e]] = qrow[a];
            double r;
            CartPoleStatus status = cartpole_step(&env[e], a, &r);
            if (e < nq) rew[(size_t)e * horizon + len[e]] = (float)r;
            len[e]++;
            if (len[e] <= limit) ret[e] += r;   /* the CartPole-v1 return stops at the limit */
            if (status == CP_TERMINATED || len[e] >= (e < nq ? horizon : limit)) alive[e] = 0;
            else if (status == CP_TRUNCATED) env[e].steps = 0;   /* measuring episode: lift the clock */
        }
    }
    double sum = 0, worst = INFINITY, sum_q = 0, sum_g = 0;
    long states = 0;
    for (int e = 0; e < n; e++) {
        sum += ret[e];
        worst = fmin(worst, ret[e]);
    }
    for (int e = 0; e < nq; e++) {
        /* G_t = r_t + γ G_{t+1}, backwards over the whole (extended) rollout */
        double G = 0;
        const int acted = len[e] < limit ? len[e] : limit;
        for (int t = len[e] - 1; t >= 0; t--) {
            G = rew[(size_t)e * horizon + t] + c->gamma * G;
            if (t < acted) {
                sum_g += G;
                sum_q += qmax[(size_t)e * limit + t];
                states++;
            }
        }
    }
    ev->mean_return = sum / n;
    ev->min_return = worst;
    ev->mean_q = states ? sum_q / states : NAN;
    ev->mean_g = states ? sum_g / states : NAN;
    ev->n_states = states;
    free(env); free(len); free(alive); free(ret); free(X); free(who); free(qmax); free(rew);
}

/* ======================================================================== */
/* Training (Mnih et al. 2015, Algorithm 1) */

long dqn_train_cartpole(const DqnConfig *cfg, uint64_t seed, EpisodeLog *log, DqnStats *stats)
{
    DqnStats local;
    memset(&local, 0, sizeof local);
    DqnStats *st = stats ? stats : &local;
    st->solved_step = -1;
    const double t0 = progress_now();
    Rng rng;
    rng_seed(&rng, seed);
    /* evaluation draws its own stream, so how often it runs changes nothing in training */
    Rng eval_rng = rng_split(&rng);
    DqnAgent *ag = dqn_agent_create(cfg, &rng);
    if (!ag) return -1;
    const int max_evals = (int)(cfg->budget / cfg->eval_every) + 2;
    st->evals = xcalloc((size_t)max_evals, sizeof *st->evals, "evaluation blocks");

    CartPole env;
    cartpole_reset(&env, &rng);
    DqnTransition tr;
    memset(&tr, 0, sizeof tr);
    cartpole_obs(&env, tr.s);
    double ep_return = 0;
    long solved = -1;   /* the course's rule: the first 100 training episodes with mean return >= 475 */
    for (long t = 1; t <= cfg->budget; t++) {
        /* act ε-greedily and store the transition */
        double eps = dqn_epsilon(t - 1, cfg->eps_start, cfg->eps_end, cfg->eps_decay_steps);
        tr.a = dqn_act(ag, tr.s, eps, &rng);
        double r;
        CartPoleStatus status = cartpole_step(&env, tr.a, &r);
        tr.r = (float)r;
        cartpole_obs(&env, tr.s2);
        tr.terminated = status == CP_TERMINATED;   /* the pole fell or the cart left: no bootstrap */
        tr.truncated = status == CP_TRUNCATED;     /* 500 steps: bootstraps all the same */
        dqn_buffer_push(ag->buf, &tr);
        ep_return += r;
        if (status != CP_RUNNING) {
            eplog_push(log, t, ep_return);
            ep_return = 0;
            if (solved < 0 && log->n >= EPLOG_SOLVE_WINDOW &&
                eplog_window_mean(log, log->n - 1, EPLOG_SOLVE_WINDOW) >= EPLOG_SOLVE_THRESHOLD) {
                solved = t;
                if (cfg->stop_when_solved) break;
            }
            cartpole_reset(&env, &rng);
            cartpole_obs(&env, tr.s);
        } else {
            memcpy(tr.s, tr.s2, sizeof tr.s);
        }
        st->steps = t;

        /* learn */
        if (t >= cfg->learning_starts && t % cfg->train_every == 0) {
            ag->opt->lr = cfg->lr + (cfg->lr_end - cfg->lr) * (float)((double)t / (double)cfg->budget);
            float loss = dqn_update(ag, &rng);
            st->last_loss = loss;
            if (!isfinite(loss)) {
                st->diverged = 1;
                break;
            }
        }

        /* evaluate the greedy policy */
        if (t % cfg->eval_every == 0 || t == cfg->budget) {
            DqnEval *ev = &st->evals[st->n_evals++];
            dqn_evaluate(ag, &eval_rng, ev);
            ev->step = t;
            ev->disagree = ag->rows ? (double)ag->disagree / (double)ag->rows : NAN;
            ag->rows = ag->disagree = 0;
            if (st->solved_step < 0 && ev->mean_return >= 475.0) st->solved_step = t;
        }
    }
    st->updates = ag->updates;
    st->syncs = ag->syncs;
    st->seconds = progress_now() - t0;
    dqn_agent_free(ag);
    if (!stats) dqn_stats_free(&local);
    return solved;
}
