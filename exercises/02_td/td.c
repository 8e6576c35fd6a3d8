/* td.c — tabular TD control: Q-learning, SARSA, Expected SARSA (chapter 02).
 *
 * Each function marked EXERCISE is yours to write in exercises/02_td/td.c.
 * Check your work with `make check CH=02`; the chapter program runs on your
 * code with `make run CH=02 IMPL=exercises`. Notation: see td.h and the
 * chapter README. Write them in order: the episodes call the updates, and
 * everything calls td_epsilon_greedy.
 */
#include "td.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 1: ε-greedy action selection (S&B §2.2 and §6.5)
 *
 *   with probability ε:   a uniformly from {0, ..., A−1}   (explore)
 *   otherwise:            a uniformly from argmax_a q[a]    (exploit)
 *
 * The random action may be the greedy one too, so a greedy action is chosen
 * with probability 1 − ε + ε/A (one greedy action), every other with ε/A.
 * Break ties at random, never "the first maximum": Q starts at 0, so at first
 * every action ties, and always picking action 0 (up) would walk the agent
 * into the top wall for a long time. Ties are exact equality (q[a] == max).
 * Draws: rng_uniform(rng) in [0,1) and rng_int(rng, n) in {0..n−1} (rng.h).
 */
int td_epsilon_greedy(const double *q, int A, double epsilon, Rng *rng)
{
    /* TODO: your code here (see the comment above the function). */
    (void)q; (void)A; (void)epsilon; (void)rng;
    return 0;
}

/* ======================================================================== */
/* EXERCISE 2: the Q-learning update (S&B eq. 6.8; seed 003 §1.2a)
 *
 *   δ = r + γ max_a' Q(s',a') − Q(s,a)      the TD error
 *   Q(s,a) <- Q(s,a) + α δ
 *
 * When done (s' is terminal) the episode is over and there is no future:
 * δ = r − Q(s,a). Read the max over the row Q + s2*A before writing Q(s,a):
 * s' may equal s (a bump into a wall, or the cliff sending you back to the
 * start), and then Q(s,a) itself is one of the values maximised over.
 */
void td_qlearning_update(double *Q, int A, int s, int a, double r, int s2, int done, double alpha, double gamma)
{
    /* TODO: your code here (see the comment above the function). */
    (void)Q; (void)A; (void)s; (void)a; (void)r; (void)s2; (void)done; (void)alpha; (void)gamma;
}

/* ======================================================================== */
/* EXERCISE 3: the SARSA update (S&B eq. 6.7; seed 003 §1.2b)
 *
 *   δ = r + γ Q(s',a') − Q(s,a),   Q(s,a) <- Q(s,a) + α δ
 *
 * a' is the action the agent has already chosen for s' and will take next:
 * SARSA learns the value of the policy it follows, exploration included.
 * When done: δ = r − Q(s,a), and a2 means nothing.
 */
void td_sarsa_update(double *Q, int A, int s, int a, double r, int s2, int a2, int done, double alpha, double gamma)
{
    /* TODO: your code here (see the comment above the function). */
    (void)Q; (void)A; (void)s; (void)a; (void)r; (void)s2; (void)a2; (void)done; (void)alpha; (void)gamma;
}

/* ======================================================================== */
/* EXERCISE 4 (stretch): the Expected SARSA update (S&B eq. 6.9)
 *
 *   δ = r + γ Σ_a' π(a'|s') Q(s',a') − Q(s,a),   Q(s,a) <- Q(s,a) + α δ
 *
 * π is the ε-greedy policy of exercise 1, written as probabilities: with k
 * actions tied for the maximum of Q(s',·),
 *   π(a'|s') = (1 − ε)/k + ε/A   for each of the k greedy actions,
 *   π(a'|s') = ε/A               for every other action.
 * It replaces SARSA's sampled a' by its expectation: same mean target, less
 * variance. With ε = 0 it is exactly Q-learning. No bootstrap when done.
 */
void td_expected_sarsa_update(double *Q, int A, int s, int a, double r, int s2, int done, double alpha,
                              double gamma, double epsilon)
{
    /* TODO: your code here (see the comment above the function). */
    (void)Q; (void)A; (void)s; (void)a; (void)r; (void)s2; (void)done; (void)alpha; (void)gamma;
    (void)epsilon;
}

/* ======================================================================== */
/* EXERCISE 5: one episode of Q-learning (S&B §6.5, the boxed algorithm)
 *
 *   s <- m->start
 *   loop until s' is terminal or max_steps steps are done:
 *       a <- ε-greedy(Q(s,·))                     td_epsilon_greedy(Q + s*A, ...)
 *       take a: s', r, done                        mdp_step(m, s, a, rng, &r, &done)
 *       Q-learning update of (s, a, r, s', done)   with γ = m->gamma
 *       G <- G + r;  s <- s'
 *
 * Return G, the sum of rewards (undiscounted: it is what Figure 6.4 plots),
 * and put the number of steps in *steps_out unless it is NULL. Only done ends
 * the episode: on the cliff, mdp_step returns r = −100 and s' = start with
 * done = 0, and the walk goes on from the start.
 */
double td_qlearning_episode(const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng, int max_steps,
                            int *steps_out)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)Q; (void)alpha; (void)epsilon; (void)rng; (void)max_steps;
    if (steps_out) *steps_out = 0;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 6: one episode of SARSA (S&B §6.4, the boxed algorithm)
 *
 *   s <- m->start;  a <- ε-greedy(Q(s,·))
 *   loop until done or max_steps steps:
 *       take a: s', r, done
 *       if done:  SARSA update with no bootstrap; stop
 *       a' <- ε-greedy(Q(s',·))          chosen BEFORE the update ...
 *       SARSA update of (s, a, r, s', a')
 *       s <- s';  a <- a'                ... and the action actually taken next
 *
 * The order matters when s' = s (the cliff sends you back to the start): a'
 * is picked from the values before this step's update, then taken, even if
 * the update has just made it look bad. Return the sum of rewards; the number
 * of steps in *steps_out unless it is NULL.
 */
double td_sarsa_episode(const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng, int max_steps,
                        int *steps_out)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)Q; (void)alpha; (void)epsilon; (void)rng; (void)max_steps;
    if (steps_out) *steps_out = 0;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 7 (stretch): one episode of Expected SARSA
 *
 * The loop of exercise 5, with td_expected_sarsa_update (same ε) in place of
 * the Q-learning update. Same return value and *steps_out.
 */
double td_expected_sarsa_episode(const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng,
                                 int max_steps, int *steps_out)
{
    /* TODO: your code here (see the comment above the function). */
    (void)m; (void)Q; (void)alpha; (void)epsilon; (void)rng; (void)max_steps;
    if (steps_out) *steps_out = 0;
    return 0.0;
}

/* ======================================================================== */
/* Given: runs, and reading the learned policy back. */

const char *td_method_name(TdMethod method)
{
    switch (method) {
    case TD_SARSA: return "SARSA";
    case TD_QLEARNING: return "Q-learning";
    case TD_EXPECTED_SARSA: return "Expected SARSA";
    default: return "?";
    }
}

double td_episode(TdMethod method, const Mdp *m, double *Q, double alpha, double epsilon, Rng *rng,
                  int max_steps, int *steps_out)
{
    switch (method) {
    case TD_SARSA: return td_sarsa_episode(m, Q, alpha, epsilon, rng, max_steps, steps_out);
    case TD_QLEARNING: return td_qlearning_episode(m, Q, alpha, epsilon, rng, max_steps, steps_out);
    default: return td_expected_sarsa_episode(m, Q, alpha, epsilon, rng, max_steps, steps_out);
    }
}

int td_run(TdMethod method, const Mdp *m, double *Q, int episodes, double alpha, double epsilon, Rng *rng,
           int max_steps, double *returns)
{
    memset(Q, 0, (size_t)m->n_states * (size_t)m->n_actions * sizeof *Q);
    int cut = 0;
    for (int e = 0; e < episodes; e++) {
        int steps = 0;
        double G = td_episode(method, m, Q, alpha, epsilon, rng, max_steps, &steps);
        if (returns) returns[e] = G;
        cut += steps >= max_steps;
    }
    return cut;
}

int td_greedy_action(const double *q, int A)
{
    int best = 0;
    for (int a = 1; a < A; a++)
        if (q[a] > q[best]) best = a;
    return best;
}

int td_greedy_path(const Mdp *m, const double *Q, int max_len, int *path, int *len_out)
{
    const int S = m->n_states, A = m->n_actions;
    int s = m->start, n = 0, steps = -1;
    path[n++] = s;
    for (int t = 0; t < max_len; t++) {
        int a = td_greedy_action(Q + s * A, A);
        const double *p = m->P + mdp_idx(m, s, a, 0);
        int s2 = 0;
        for (int k = 1; k < S; k++)
            if (p[k] > p[s2]) s2 = k;
        path[n++] = s = s2;
        if (m->terminal[s]) { steps = t + 1; break; }
    }
    if (len_out) *len_out = n;
    return steps;
}
