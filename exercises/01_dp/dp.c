/* dp.c — dynamic programming on a known MDP (chapter 01).
 *
 * Each function marked EXERCISE is yours to write in exercises/01_dp/dp.c.
 * Check your work with `make check CH=01`; the chapter program runs on your
 * code with `make run CH=01 IMPL=exercises`. Notation: see dp.h and the
 * chapter README.
 */
#include "dp.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 1: the one-step lookahead (S&B eq. 4.6 inside the brackets)
 *
 *   q(s,a) = Σ_s' P(s'|s,a) [ r(s,a,s') + γ V(s') ]
 *
 * The model is dense: P(s'|s,a) is m->P[mdp_idx(m, s, a, s2)], the reward
 * r(s,a,s') is m->R[mdp_idx(m, s, a, s2)], γ is m->gamma. Everything else in
 * this chapter is built on this function.
 */
double dp_q_from_v(const Mdp *m, const double *V, int s, int a)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)V; (void)s; (void)a;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 2: a synchronous sweep of policy evaluation (S&B eq. 4.5)
 *
 *   V_new(s) = Σ_a π(a|s) q(s,a),   q computed from the OLD V
 *
 * Read only V, write only V_new. Return max_s |V_new(s) − V(s)|, which the
 * given loop dp_evaluate_policy compares with its tolerance θ.
 */
double dp_policy_evaluation_sweep(const Mdp *m, const double *pi, const double *V, double *V_new)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)pi; (void)V; (void)V_new;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 3: an in-place sweep of policy evaluation (S&B §4.1, the
 * "in-place" variant of the box on p. 75)
 *
 *   for s = 0 .. S−1:   V(s) <- Σ_a π(a|s) q(s,a)
 *
 * The same update as exercise 2, but V(s) is overwritten immediately, so a
 * state later in the sweep already uses its neighbours' new values. It
 * usually converges in fewer sweeps. Return the largest |change| of the sweep.
 */
double dp_policy_evaluation_sweep_inplace(const Mdp *m, const double *pi, double *V)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)pi; (void)V;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 4: a sweep of value iteration (S&B eq. 4.10)
 *
 *   V_new(s) = max_a q(s,a),   q computed from the OLD V
 *
 * It is the Bellman optimality operator T* applied once. Return
 * max_s |V_new(s) − V(s)|.
 */
double dp_value_iteration_sweep(const Mdp *m, const double *V, double *V_new)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)V; (void)V_new;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 5: the greedy policy (S&B eq. 4.9)
 *
 *   π'(s) = argmax_a q(s,a)
 *
 * Ties are common in grid worlds (at A every action is equally good), and the
 * book's figures draw every tied action. So spread π(·|s) evenly over all
 * actions with q(s,a) >= max_a q(s,a) − DP_TIE_TOL, and set the rest to 0.
 */
void dp_greedy_policy(const Mdp *m, const double *V, double *pi)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)V; (void)pi;
}

/* ======================================================================== */
/* EXERCISE 6: policy iteration (S&B §4.3, the box on p. 80)
 *
 *   repeat:  V <- V^π            dp_evaluate_policy(m, pi, theta, ..., V, trace)
 *            π' <- greedy(V)     dp_greedy_policy
 *            stop if π' == π (compare the arrays), else π <- π'
 *
 * Evaluate with synchronous sweeps (inplace = 0) and give each evaluation at
 * most 100000 sweeps. Stop after max_iters evaluations at the latest. Return
 * the number of evaluations done. You need a scratch policy of S*A doubles
 * (xmalloc from util.h allocates or exits with a message).
 */
int dp_policy_iteration(const Mdp *m, double theta, int max_iters, double *pi, double *V, DpTrace *trace)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)theta; (void)max_iters; (void)pi; (void)V; (void)trace;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 7: a sweep of Q-value iteration (seed 003 §1.1b)
 *
 *   Q_new(s,a) = r(s,a) + γ Σ_s' P(s'|s,a) max_a' Q(s',a')
 *   r(s,a)     = Σ_s' P(s'|s,a) r(s,a,s')        (mdp_expected_reward)
 *
 * Return the seed's stopping quantity max_s |max_a Q_new(s,a) − max_a Q(s,a)|.
 * Hint: compute max_a' Q(s',a') once per s' before the main loop.
 */
double dp_q_value_iteration_sweep(const Mdp *m, const double *Q, double *Q_new)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)Q; (void)Q_new;
    return 0.0;
}

/* ======================================================================== */
/* Given: the loops around the sweeps. */

double dp_bellman_residual(const Mdp *m, const double *V)
{
    double r = 0.0;
    for (int s = 0; s < m->n_states; s++) {
        double best = -INFINITY;
        for (int a = 0; a < m->n_actions; a++) best = fmax(best, dp_q_from_v(m, V, s, a));
        r = fmax(r, fabs(best - V[s]));
    }
    return r;
}

void dp_uniform_policy(const Mdp *m, double *pi)
{
    for (int i = 0; i < m->n_states * m->n_actions; i++) pi[i] = 1.0 / m->n_actions;
}

static void trace_push(DpTrace *t, const Mdp *m, const double *V)
{
    if (t && t->len < t->cap) t->residual[t->len++] = dp_bellman_residual(m, V);
}

int dp_evaluate_policy(const Mdp *m, const double *pi, double theta, int max_sweeps, int inplace,
                       double *V, DpTrace *trace)
{
    double *V_new = xcalloc((size_t)m->n_states, sizeof *V_new, "V_new");
    int sweeps = 0;
    double delta = INFINITY;
    while (delta >= theta && sweeps < max_sweeps) {
        if (inplace) {
            delta = dp_policy_evaluation_sweep_inplace(m, pi, V);
        } else {
            delta = dp_policy_evaluation_sweep(m, pi, V, V_new);
            memcpy(V, V_new, (size_t)m->n_states * sizeof *V);
        }
        sweeps++;
        trace_push(trace, m, V);
    }
    free(V_new);
    return sweeps;
}

int dp_value_iteration(const Mdp *m, double theta, int max_sweeps, double *V, DpTrace *trace)
{
    double *V_new = xcalloc((size_t)m->n_states, sizeof *V_new, "V_new");
    int sweeps = 0;
    double delta = INFINITY;
    while (delta >= theta && sweeps < max_sweeps) {
        delta = dp_value_iteration_sweep(m, V, V_new);
        memcpy(V, V_new, (size_t)m->n_states * sizeof *V);
        sweeps++;
        trace_push(trace, m, V);
    }
    free(V_new);
    return sweeps;
}

int dp_q_value_iteration(const Mdp *m, double theta, int max_sweeps, double *Q)
{
    const size_t n = (size_t)m->n_states * (size_t)m->n_actions;
    double *Q_new = xcalloc(n, sizeof *Q_new, "Q_new");
    int sweeps = 0;
    double delta = INFINITY;
    while (delta >= theta && sweeps < max_sweeps) {
        delta = dp_q_value_iteration_sweep(m, Q, Q_new);
        memcpy(Q, Q_new, n * sizeof *Q);
        sweeps++;
    }
    free(Q_new);
    return sweeps;
}
