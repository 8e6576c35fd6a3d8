/* dp — dynamic programming on a known MDP (chapter 01).
 *
 * Notation (Sutton & Barto 2nd ed., ch. 3–4; seed 003 §1.1 in corrected form):
 *   S states, A actions, model P(s'|s,a) and r(s,a,s') in an Mdp (gridworld.h),
 *   discount γ = m->gamma.
 *   V   (S)    state values            Q  (S, A)  action values, Q[s*A + a]
 *   pi  (S, A) a stochastic policy, pi[s*A + a] = π(a|s), each row sums to 1
 *
 * The exercises are the functions marked EXERCISE in solutions/01_dp/dp.c (your
 * copy: exercises/01_dp/dp.c). The loops that repeat a sweep until it converges
 * are given; they call your sweeps.
 */
#ifndef DP_H
#define DP_H
#include "gridworld.h"

/* A record of how an iterative method converged: after every sweep the loops
 * append the Bellman optimality residual ‖T*V − V‖∞ of the current V, so value
 * iteration and policy iteration can be compared sweep for sweep. */
typedef struct {
    double *residual;  /* (cap) one entry per sweep */
    int cap;           /* capacity of residual */
    int len;           /* entries written */
} DpTrace;

/* ---- exercises ---------------------------------------------------------- */

/* One-step lookahead: q(s,a) = Σ_s' P(s'|s,a) [r(s,a,s') + γ V(s')]. */
double dp_q_from_v(const Mdp *m, const double *V, int s, int a);

/* One synchronous sweep of iterative policy evaluation: for every s,
 * V_new(s) = Σ_a π(a|s) q(s,a) computed from the OLD values V.
 * Returns max_s |V_new(s) − V(s)|. */
double dp_policy_evaluation_sweep(const Mdp *m, const double *pi, const double *V, double *V_new);

/* One in-place sweep (states in index order): V(s) is overwritten at once, so
 * later states in the same sweep already see it. Returns the largest change. */
double dp_policy_evaluation_sweep_inplace(const Mdp *m, const double *pi, double *V);

/* One synchronous sweep of value iteration: V_new(s) = max_a q(s,a) from V.
 * Returns max_s |V_new(s) − V(s)|. */
double dp_value_iteration_sweep(const Mdp *m, const double *V, double *V_new);

/* The greedy policy of V: π(a|s) = 1/k for the k actions whose q(s,a) is within
 * DP_TIE_TOL of the maximum, 0 for the others. Writes pi (S, A). */
void dp_greedy_policy(const Mdp *m, const double *V, double *pi);
#define DP_TIE_TOL 1e-9

/* Policy iteration (S&B §4.3): starting from pi and V, repeat
 * (1) evaluate pi with dp_evaluate_policy (warm-started from V),
 * (2) improve: pi <- greedy(V),
 * until the policy no longer changes. Returns the number of improvement steps
 * (evaluations) done; pi and V hold the result. trace may be NULL. */
int dp_policy_iteration(const Mdp *m, double theta, int max_iters, double *pi, double *V, DpTrace *trace);

/* One sweep of Q-value iteration (seed 003 §1.1b):
 * Q_new(s,a) = r(s,a) + γ Σ_s' P(s'|s,a) max_a' Q(s',a'), with r(s,a) the
 * expected immediate reward. Returns the seed's stopping quantity
 * max_s |max_a Q_new(s,a) − max_a Q(s,a)|. */
double dp_q_value_iteration_sweep(const Mdp *m, const double *Q, double *Q_new);

/* ---- given loops -------------------------------------------------------- */

/* Repeat synchronous (inplace = 0) or in-place sweeps of policy evaluation from
 * V until a sweep changes no value by theta or more, at most max_sweeps.
 * Returns the number of sweeps; V holds the result. */
int dp_evaluate_policy(const Mdp *m, const double *pi, double theta, int max_sweeps, int inplace,
                       double *V, DpTrace *trace);

/* Value iteration from V until a sweep changes no value by theta or more.
 * Returns the number of sweeps. */
int dp_value_iteration(const Mdp *m, double theta, int max_sweeps, double *V, DpTrace *trace);

/* Q-value iteration from Q until the seed's stopping quantity is below theta.
 * Returns the number of sweeps. */
int dp_q_value_iteration(const Mdp *m, double theta, int max_sweeps, double *Q);

/* The Bellman optimality residual ‖T*V − V‖∞ = max_s |max_a q(s,a) − V(s)|. */
double dp_bellman_residual(const Mdp *m, const double *V);

/* The equiprobable random policy: π(a|s) = 1/A. */
void dp_uniform_policy(const Mdp *m, double *pi);

#endif
