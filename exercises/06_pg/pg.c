/* pg.c — REINFORCE: reward-to-go, baselines, advantage normalisation, the
 * surrogate loss and its gradient through the policy network (chapter 06).
 *
 * Each function marked EXERCISE is yours to write in exercises/06_pg/pg.c.
 * Check your work with `make check CH=06`; the chapter program runs on your
 * code with `make run CH=06 IMPL=exercises`. Notation: see pg.h and the
 * chapter README. The training loop at the end of this file is given: it
 * calls your functions in the order of the README's algorithm box.
 */
#include "pg.h"

#include "cartpole.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 4: discounted reward-to-go over a batch buffer
 *
 *   G_t = r_t + γ G_{t+1}                       (the episode goes on)
 *   G_t = r_t                                   (ends[t] = PG_TERMINATED)
 *   G_t = r_t + γ boot[t]   or   r_t            (ends[t] = PG_TRUNCATED; boot NULL)
 *
 * Walk the buffer BACKWARDS, t = T−1 down to 0, carrying G_{t+1}: one pass,
 * O(T). Where an episode ends, the carried value must NOT leak into the
 * previous episode: the row before a new episode is that episode's last row,
 * and its own end flag says what follows it. The last row (t = T−1) has no
 * next row: if ends[T−1] is PG_CONTINUES, treat it as PG_TRUNCATED.
 * Reward-to-go, not the whole return r(τ): an action cannot change the
 * rewards that came before it (causality), so leaving them out removes noise
 * without changing the expected gradient (README, "Reward-to-go").
 */
void pg_reward_to_go(const float *rewards, const int *ends, const float *boot, int T, double gamma, float *rtg)
{
    /* TODO: your code here (see the comment above the function). */
    (void)rewards; (void)ends; (void)boot; (void)T; (void)gamma; (void)rtg;
}

/* ======================================================================== */
/* EXERCISE 5: advantages, with no baseline, the average baseline, or V(s)
 *
 *   A_t = G_t − b_t
 *
 * Any b_t that does not depend on the action a_t leaves the expected gradient
 * unchanged, because E_a[∇ log π(a|s)] = Σ_a ∇π(a|s) = ∇ 1 = 0.
 *   PG_BASELINE_NONE:     b_t = 0.
 *   PG_BASELINE_VALUE:    b_t = values[t] (V(s_t), computed by the caller).
 *   PG_BASELINE_AVERAGE:  b_t = mean of G at the same time index k in the
 *     OTHER episodes of the buffer ("leave one out", Kool et al. 2019). First
 *     give every row its time index k (0 at the first row and after every
 *     nonzero ends[]), then per k the sum S_k and count n_k of G over all
 *     episodes, then b_t = (S_k − G_t)/(n_k − 1), or 0 when n_k = 1. In
 *     CartPole G_t shrinks along an episode (fewer steps left), so a baseline
 *     per time index follows it; one mean over the batch would not.
 *     Including G_t itself in its own baseline would make b_t depend on a_t.
 * Scratch for S_k and n_k: xcalloc (util.h) and free. adv may alias rtg.
 */
void pg_advantages(PgBaseline kind, const float *rtg, const int *ends, const float *values, int T, float *adv)
{
    /* TODO: your code here (see the comment above the function). */
    (void)kind; (void)rtg; (void)ends; (void)values; (void)T; (void)adv;
}

/* ======================================================================== */
/* EXERCISE 6: advantage normalisation
 *
 *   μ = (1/n) Σ a_i,   σ = √((1/n) Σ (a_i − μ)²),   a_i ← (a_i − μ) / (σ + ε)
 *
 * Subtracting μ is one more (batch-wide, constant) baseline; dividing by σ
 * rescales the step so that its size no longer follows the size of the
 * returns (which grow from ~20 to ~100 as CartPole is learned). Strictly, μ
 * and σ depend on every sample, the own one included, so this is a slightly
 * biased but much tamer estimator (README). Sums in double. With all entries
 * equal the result is 0, never NaN (that is what ε is for).
 */
void pg_normalize_advantages(float *adv, int n, double eps)
{
    /* TODO: your code here (see the comment above the function). */
    (void)adv; (void)n; (void)eps;
}

/* ======================================================================== */
/* EXERCISE 7: the REINFORCE surrogate loss and its gradient
 *
 *   L = −scale · Σ_i A_i log π(a_i | params_i)
 *   ∂L/∂params_i = −scale · A_i · ∇_params log π(a_i | params_i)
 *
 * L is not a loss in the usual sense (its value says little); its GRADIENT is
 * the policy gradient estimate with the sign flipped, so that a descent step
 * on L is an ascent step on J. The advantages are constants here: no gradient
 * flows into them (they come from the rewards and from the value network).
 * Row i of params is at params + i·P (P = pg_dist_n_params(d)), of actions at
 * actions + i·pg_dist_action_dim(d). pg_dist_logprob (dist.h) writes the
 * gradient of log π into a row of dparams; scale it in place.
 */
double pg_surrogate_grad(const PgDist *d, const float *params, const float *actions, const float *adv, int n,
                         double scale, float *dparams)
{
    /* TODO: your code here (see the comment above the function). */
    (void)d; (void)params; (void)actions; (void)adv; (void)n; (void)scale;
    for (int i = 0; i < n * pg_dist_n_params(d); i++) dparams[i] = 0.0f;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 8: the policy gradient through the network
 *
 *   for each chunk of at most B = policy->max_batch rows:
 *       params = mlp_forward(policy, obs of the chunk, rows, NN_TRAIN)    (rows, P)
 *       L += pg_surrogate_grad(d, params, actions, adv of the chunk, rows, scale, dparams)
 *       mlp_backward(policy, dparams, NULL)                               grads += ∂L/∂θ
 *
 * mlp_backward ADDS into policy->grads, so the chunks' gradients sum to the
 * gradient of the whole L. That is right because scale is the same for every
 * chunk (1/N or 1/n of the WHOLE batch, not of the chunk): the loss is one
 * sum over all n samples. The observation width is policy->spec.sizes[0].
 * dparams needs (min(n, B), P) floats of scratch: xmalloc and free.
 */
double pg_policy_gradient(Mlp *policy, const PgDist *d, const float *obs, const float *actions,
                          const float *adv, int n, double scale)
{
    /* TODO: your code here (see the comment above the function). */
    (void)policy; (void)d; (void)obs; (void)actions; (void)adv; (void)n; (void)scale;
    return 0.0;
}

/* ======================================================================== */
/* Given: batches of CartPole episodes. */

void pg_batch_init(PgBatch *b)
{
    memset(b, 0, sizeof *b);
}

void pg_batch_clear(PgBatch *b)
{
    b->T = 0;
    b->episodes = 0;
}

void pg_batch_free(PgBatch *b)
{
    free(b->obs); free(b->actions); free(b->rewards); free(b->ends); free(b->final_obs); free(b->ep_return);
    pg_batch_init(b);
}

static void *pg__grow(void *p, size_t bytes, const char *what)
{
    void *q = realloc(p, bytes);
    if (!q) die(1, "out of memory growing the batch buffer (%s, %zu bytes)", what, bytes);
    return q;
}

/* Room for one more step (and one more episode). */
static void pg__reserve(PgBatch *b)
{
    if (b->T < b->cap) return;
    int cap = b->cap ? 2 * b->cap : 1024;
    const size_t O = CARTPOLE_OBS_DIM;
    b->obs = pg__grow(b->obs, (size_t)cap * O * sizeof *b->obs, "observations");
    b->actions = pg__grow(b->actions, (size_t)cap * sizeof *b->actions, "actions");
    b->rewards = pg__grow(b->rewards, (size_t)cap * sizeof *b->rewards, "rewards");
    b->ends = pg__grow(b->ends, (size_t)cap * sizeof *b->ends, "ends");
    b->final_obs = pg__grow(b->final_obs, (size_t)cap * O * sizeof *b->final_obs, "final observations");
    b->ep_return = pg__grow(b->ep_return, (size_t)cap * sizeof *b->ep_return, "episode returns");
    b->cap = cap;
}

long pg_collect_episodes(PgBatch *b, Mlp *policy, int episodes, Rng *rng, Rng *env_rng)
{
    const int O = CARTPOLE_OBS_DIM;
    long steps = 0;
    for (int e = 0; e < episodes; e++) {
        CartPole env;
        cartpole_reset(&env, env_rng);
        double ret = 0.0;
        CartPoleStatus st = CP_RUNNING;
        while (st == CP_RUNNING) {
            pg__reserve(b);
            float *s = b->obs + (size_t)b->T * O;
            cartpole_obs(&env, s);
            const float *logits = mlp_forward(policy, s, 1, NN_EVAL);
            int a = pg_categorical_sample(logits, CARTPOLE_ACTIONS, rng);
            double r;
            st = cartpole_step(&env, a, &r);
            b->actions[b->T] = (float)a;
            b->rewards[b->T] = (float)r;
            b->ends[b->T] = (int)st;
            if (st == CP_TRUNCATED) cartpole_obs(&env, b->final_obs + (size_t)b->T * O);
            b->T++;
            ret += r;
            steps++;
        }
        b->ep_return[b->episodes++] = ret;
    }
    return steps;
}

/* ======================================================================== */
/* Given: training on CartPole. */

#define PG_CHUNK 512   /* rows per forward/backward pass of a batch */

const char *pg_baseline_name(PgBaseline kind)
{
    switch (kind) {
    case PG_BASELINE_NONE: return "none";
    case PG_BASELINE_AVERAGE: return "average";
    case PG_BASELINE_VALUE: return "value";
    default: return "?";
    }
}

PgConfig pg_default_config(int quick)
{
    PgConfig c = {
        .baseline = PG_BASELINE_VALUE,
        .normalize = 1,
        .bootstrap = 1,
        .hidden = 64,
        .act = NN_TANH,
        .gamma = 0.99,
        .lr_policy = 1e-2f,
        .lr_value = 1e-2f,
        .episodes_per_batch = 5,
        .value_epochs = 2,
        .value_minibatch = 256,
        .max_steps = 500000,
        .stop_when_solved = 0,
        .solve_window = 100,
        .solve_threshold = 475.0,
    };
    if (quick) c.max_steps = 100000;
    return c;
}

void pg_values(Mlp *value, const float *obs, int n, float *out)
{
    const int I = value->spec.sizes[0];
    for (int off = 0; off < n; off += value->max_batch) {
        int rows = n - off < value->max_batch ? n - off : value->max_batch;
        const float *v = mlp_forward(value, obs + (size_t)off * I, rows, NN_EVAL);
        memcpy(out + off, v, (size_t)rows * sizeof *out);
    }
}

/* value_epochs passes of MSE regression of V(s_t) on targets, minibatches in a
 * random order. Returns the mean loss of the last pass. */
static double pg__fit_value(Mlp *value, Optim *opt, const float *obs, const float *target, int n, int epochs,
                            int minibatch, Rng *rng, int *perm, float *xb, float *yb, float *dv)
{
    double loss = 0.0;
    for (int ep = 0; ep < epochs; ep++) {
        for (int i = 0; i < n; i++) perm[i] = i;
        rng_shuffle(rng, perm, n);
        loss = 0.0;
        for (int off = 0; off < n; off += minibatch) {
            int rows = n - off < minibatch ? n - off : minibatch;
            for (int i = 0; i < rows; i++) {
                memcpy(xb + (size_t)i * CARTPOLE_OBS_DIM, obs + (size_t)perm[off + i] * CARTPOLE_OBS_DIM,
                       CARTPOLE_OBS_DIM * sizeof *xb);
                yb[i] = target[perm[off + i]];
            }
            const float *v = mlp_forward(value, xb, rows, NN_TRAIN);
            loss += (double)nn_mse(dv, v, yb, rows, 1) * rows;
            mlp_zero_grad(value);
            mlp_backward(value, dv, NULL);
            optim_step(opt, value->params, value->grads);
        }
        loss /= n;
    }
    return loss;
}

long pg_train_cartpole(const PgConfig *cfg, uint64_t seed, EpisodeLog *log, PgCheckpointFn fn, void *ctx)
{
    const int O = CARTPOLE_OBS_DIM;
    const int use_value = cfg->baseline == PG_BASELINE_VALUE;
    const PgDist dist = pg_categorical(CARTPOLE_ACTIONS);
    Rng root, init_rng, act_rng, env_rng, fit_rng;
    rng_seed(&root, seed);
    init_rng = rng_split(&root);
    act_rng = rng_split(&root);
    env_rng = rng_split(&root);
    fit_rng = rng_split(&root);

    MlpSpec ps = { .n_layers = 2, .sizes = { O, cfg->hidden, CARTPOLE_ACTIONS }, .act = cfg->act };
    MlpSpec vs = { .n_layers = 2, .sizes = { O, cfg->hidden, 1 }, .act = cfg->act };
    int vmb = cfg->value_minibatch > PG_CHUNK ? cfg->value_minibatch : PG_CHUNK;
    Mlp *policy = mlp_create(&ps, PG_CHUNK, &init_rng);
    Mlp *value = use_value ? mlp_create(&vs, vmb, &init_rng) : NULL;
    if (!policy || (use_value && !value)) die(1, "pg_train_cartpole: invalid network spec (hidden %d)", cfg->hidden);
    Optim *popt = optim_create(OPTIM_ADAM, policy->n_params, cfg->lr_policy);
    Optim *vopt = use_value ? optim_create(OPTIM_ADAM, value->n_params, cfg->lr_value) : NULL;

    PgBatch b;
    pg_batch_init(&b);
    int cap = 0;
    float *rtg = NULL, *adv = NULL, *vals = NULL, *boot = NULL, *yb = NULL, *dv = NULL, *xb = NULL;
    int *perm = NULL;
    xb = xmalloc((size_t)vmb * O * sizeof *xb, "value minibatch");
    yb = xmalloc((size_t)vmb * sizeof *yb, "value targets");
    dv = xmalloc((size_t)vmb * sizeof *dv, "value gradient");

    if (fn) fn(ctx, 0, policy, value);
    long steps = 0, solved = -1;
    while (steps < cfg->max_steps) {
        /* ---- collect N episodes with the current policy ---- */
        pg_batch_clear(&b);
        long before = steps;
        pg_collect_episodes(&b, policy, cfg->episodes_per_batch, &act_rng, &env_rng);
        for (int t = 0, e = 0; t < b.T; t++) {
            if (b.ends[t] == PG_CONTINUES) continue;
            eplog_push(log, before + t + 1, b.ep_return[e++]);
        }
        steps += b.T;
        if (solved < 0) {
            long at;
            if (eplog_solved(log, cfg->solve_window, cfg->solve_threshold, &at) >= 0 && at <= cfg->max_steps)
                solved = at;
        }
        if (solved >= 0 && cfg->stop_when_solved) break;
        if (b.cap > cap) {
            cap = b.cap;
            rtg = pg__grow(rtg, (size_t)cap * sizeof *rtg, "returns-to-go");
            adv = pg__grow(adv, (size_t)cap * sizeof *adv, "advantages");
            vals = pg__grow(vals, (size_t)cap * sizeof *vals, "values");
            boot = pg__grow(boot, (size_t)cap * sizeof *boot, "bootstrap values");
            perm = pg__grow(perm, (size_t)cap * sizeof *perm, "permutation");
        }

        /* ---- returns-to-go and advantages ---- */
        const int T = b.T;
        if (use_value) {
            pg_values(value, b.obs, T, vals);
            for (int t = 0; t < T; t++) {
                boot[t] = 0.0f;
                if (b.ends[t] == PG_TRUNCATED)
                    boot[t] = mlp_forward(value, b.final_obs + (size_t)t * O, 1, NN_EVAL)[0];
            }
        }
        pg_reward_to_go(b.rewards, b.ends, use_value && cfg->bootstrap ? boot : NULL, T, cfg->gamma, rtg);
        pg_advantages(cfg->baseline, rtg, b.ends, vals, T, adv);
        if (cfg->normalize) pg_normalize_advantages(adv, T, 1e-8);

        /* ---- one policy step: descent on L = −(1/T) Σ_t A_t log π(a_t|s_t) ---- */
        mlp_zero_grad(policy);
        double L = pg_policy_gradient(policy, &dist, b.obs, b.actions, adv, T, 1.0 / T);
        optim_step(popt, policy->params, policy->grads);

        /* ---- fit the value network to the returns-to-go ---- */
        double vloss = 0.0;
        if (use_value)
            vloss = pg__fit_value(value, vopt, b.obs, rtg, T, cfg->value_epochs, cfg->value_minibatch, &fit_rng,
                                  perm, xb, yb, dv);
        if (!isfinite(L) || !isfinite(vloss) || !isfinite(mlp_grad_norm(policy)))
            die(1, "REINFORCE (baseline %s, seed %llu) at step %ld: the loss became %g (value loss %g); lower the "
                   "learning rates (--lr, --lr-value)", pg_baseline_name(cfg->baseline), (unsigned long long)seed,
                steps, L, vloss);
        if (fn) fn(ctx, steps, policy, value);
    }

    free(rtg); free(adv); free(vals); free(boot); free(perm); free(xb); free(yb); free(dv);
    pg_batch_free(&b);
    optim_free(popt); optim_free(vopt);
    mlp_free(policy); mlp_free(value);
    return solved;
}

double pg_total_variance(const float *g, int M, int P, double *mean_sq)
{
    double total = 0.0, msq = 0.0;
    for (int j = 0; j < P; j++) {
        double mean = 0.0, ss = 0.0;
        for (int m = 0; m < M; m++) mean += g[(size_t)m * P + j];
        mean /= M;
        for (int m = 0; m < M; m++) {
            double dlt = g[(size_t)m * P + j] - mean;
            ss += dlt * dlt;
        }
        total += M > 1 ? ss / (M - 1) : 0.0;
        msq += mean * mean;
    }
    if (mean_sq) *mean_sq = msq;
    return total;
}
