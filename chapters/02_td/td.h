/* td — tabular temporal-difference control: Q-learning, SARSA and Expected
 * SARSA with ε-greedy exploration (chapter 02).
 *
 * Notation (Sutton & Barto 2nd ed., ch. 6; seed 003 §1.2 in corrected form):
 *   S states, A actions of an Mdp (gridworld.h), used here ONLY through
 *   mdp_step(): the agent samples transitions, it never reads P or R.
 *   Q   (S, A)  action values, Q[s*A + a], row-major like chapter 01
 *   q   (A)     one row of Q, q = Q + s*A: the values of the actions in s
 *   α step size, γ discount (m->gamma), ε exploration probability.
 *   done        1 when s' is terminal: the episode ends and nothing is
 *               bootstrapped from s' (its value is 0 by definition).
 *
 * Every random draw comes from the Rng passed in. The exercises are the
 * functions marked EXERCISE in solutions/02_td/td.c (your copy:
 * exercises/02_td/td.c); the rest of that file is given.
 */
#ifndef TD_H
#define TD_H
#include "gridworld.h"
#include "rng.h"

/* ---- exercises ---------------------------------------------------------- */

/* ε-greedy action selection (S&B §2.2, §6.5): with probability ε an action
 * drawn uniformly from all A actions, otherwise a greedy one, argmax_a q[a],
 * with ties (exactly equal values) broken uniformly at random. So each greedy
 * action has probability (1−ε)/k + ε/A (k tied greedy actions), every other
 * ε/A. Returns an action in 0..A−1. */
int td_epsilon_greedy(const double *q, int A, double epsilon, Rng *rng);

/* The Q-learning update of one transition (s, a, r, s') (S&B eq. 6.8):
 *   Q(s,a) <- Q(s,a) + α [ r + γ max_a' Q(s',a') − Q(s,a) ],
 * with the max term left out (taken as 0) when done. Changes only Q(s,a). */
void td_qlearning_update(double *Q, int A, int s, int a, double r, int s2, int done, double alpha, double gamma);

/* The SARSA update of one transition (s, a, r, s', a') (S&B eq. 6.7):
 *   Q(s,a) <- Q(s,a) + α [ r + γ Q(s',a') − Q(s,a) ],
 * a' the action the agent WILL take in s'; when done, no bootstrap and a2 is
 * ignored. Changes only Q(s,a). */
void td_sarsa_update(double *Q, int A, int s, int a, double r, int s2, int a2, int done, double alpha, double gamma);

/* The Expected SARSA update (S&B eq. 6.9):
 *   Q(s,a) <- Q(s,a) + α [ r + γ Σ_a' π(a'|s') Q(s',a') − Q(s,a) ],
 * π the ε-greedy policy of Q with ties shared as in td_epsilon_greedy; no
 * bootstrap when done. Changes only Q(s,a). */
void td_expected_sarsa_update(double *Q, int A, int s, int a, double r, int s2, int done, double alpha,
                              double gamma, double epsilon);

/* One episode of Q-learning (S&B §6.5, the boxed algorithm) from m->start,
 * acting ε-greedily and updating Q after every step with γ = m->gamma. Stops
 * when a terminal state is reached or after max_steps steps. Returns the sum
 * of the rewards; *steps_out (if not NULL) gets the number of steps. */
double td_qlearning_episode(const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng, int max_steps,
                            int *steps_out);

/* One episode of SARSA (S&B §6.4, the boxed algorithm): like Q-learning, but
 * the next action a' is chosen ε-greedily BEFORE the update, used in it, and
 * then taken. Same contract as td_qlearning_episode. */
double td_sarsa_episode(const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng, int max_steps,
                        int *steps_out);

/* One episode of Expected SARSA: act ε-greedily, update with
 * td_expected_sarsa_update. Same contract as td_qlearning_episode. */
double td_expected_sarsa_episode(const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng,
                                 int max_steps, int *steps_out);

/* ---- given -------------------------------------------------------------- */

typedef enum { TD_SARSA, TD_QLEARNING, TD_EXPECTED_SARSA, TD_NUM_METHODS } TdMethod;

/* "SARSA", "Q-learning", "Expected SARSA". */
const char *td_method_name(TdMethod method);

/* One episode of the given method (dispatches to the three functions above). */
double td_episode(TdMethod method, const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng,
                  int max_steps, int *steps_out);

/* One independent run: Q set to 0, then `episodes` episodes of `method`.
 * returns[e] (if not NULL) gets the sum of rewards of episode e; Q (S, A)
 * holds the learned values. Returns the number of episodes cut off at
 * max_steps (0 in a healthy run). */
int td_run(TdMethod method, const Mdp *m, double *Q, int episodes, double alpha, double epsilon, Rng *rng,
           int max_steps, double *returns);

/* The greedy action argmax_a q[a], the FIRST one on ties (deterministic; for
 * drawing the learned policy, not for acting). */
int td_greedy_action(const double *q, int A);

/* Follow the greedy policy of Q from m->start on a deterministic MDP (the
 * most probable successor of each step), writing the states visited, start
 * included, to path (max_len + 1 entries). Returns the number of steps to the
 * terminal state, or -1 if it is not reached within max_len steps (the
 * greedy policy walks in a loop). *len_out (if not NULL) gets the number of
 * states written. */
int td_greedy_path(const Mdp *m, const double *Q, int max_len, int *path, int *len_out);

#endif
