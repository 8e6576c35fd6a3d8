/* test_02_td.c — chapter 02: tabular TD control.
 *
 * One test case per exercise, named after the function it grades. References:
 * single updates computed by hand (exact), ε-greedy frequencies against the
 * probabilities 1−ε+ε/|A| and ε/|A| (within 5 binomial standard deviations),
 * episodes on hand-checkable walks (exact), Q-learning against Q* from chapter
 * 01's Q-value iteration, and the levels of Sutton & Barto Example 6.6 /
 * Figure 6.4 (COURSE.md: −26.9 for SARSA, −50.1 for Q-learning, mean of
 * episodes 400–499 over 200 runs; held to ±3).
 */
#include "ckx.h"
#include "dp.h"
#include "td.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_DRAWS     100000  /* draws per ε-greedy frequency check */
#define SIGMAS      5.0     /* a frequency may stray this many binomial std devs */
#define TOL_QSTAR   1e-6    /* Q-learning on a deterministic MDP, fixed α, many visits */
#define TOL_LEVEL   3.0     /* Example 6.6 levels: the ±3 band around the reference */
#define LEVEL_SARSA (-26.9)
#define LEVEL_QL    (-50.1)

/* ------------------------------------------------------------------ helpers */

static Mdp *checked(Mdp *m, const char *what)
{
    ck_assert_msg(m != NULL, "%s returned NULL", what);
    return m;
}

/* Draw N_DRAWS actions and compare each action's frequency with want[a]. */
static void check_frequencies(const double *q, int A, double epsilon, const double *want, uint64_t seed,
                              const char *what, const char *hint)
{
    Rng rng;
    rng_seed(&rng, seed);
    long count[8] = { 0 };
    for (int i = 0; i < N_DRAWS; i++) {
        int a = td_epsilon_greedy(q, A, epsilon, &rng);
        ck_assert_msg(a >= 0 && a < A, "%s: td_epsilon_greedy returned action %d, outside 0..%d", what, a, A - 1);
        count[a]++;
    }
    for (int a = 0; a < A; a++) {
        double f = (double)count[a] / N_DRAWS;
        double sd = sqrt(want[a] * (1 - want[a]) / N_DRAWS);
        char where[200];
        snprintf(where, sizeof where, "%s: frequency of action %d (q = %g, epsilon = %g, %d draws)", what, a,
                 q[a], epsilon, N_DRAWS);
        ckx_close(f, want[a], SIGMAS * sd + 1e-12, where, hint);
    }
}

/* A Q table of S*A zeros with row s2 set to the given four values. */
static void q_with_row(double *Q, int S, int s2, const double row[4])
{
    memset(Q, 0, (size_t)S * 4 * sizeof *Q);
    for (int a = 0; a < 4; a++) Q[s2 * 4 + a] = row[a];
}

/* Every entry of Q except (s, a) must equal before. */
static void only_changed(const double *Q, const double *before, int n, int A, int s, int a, const char *fn)
{
    for (int i = 0; i < n; i++) {
        if (i == s * A + a) continue;
        ck_assert_msg(Q[i] == before[i],
                      "%s changed Q(%d,%d) from %g to %g: an update touches only Q(s,a) = Q(%d,%d)", fn, i / A,
                      i % A, before[i], Q[i], s, a);
    }
}

/* A forced walk 0 -> 1 -> 2 (terminal): both actions lead to the next state
 * with reward −1, so the path does not depend on the actions chosen, but the
 * values of the actions at state 1 differ: Q(1,·) = {4, 0}. */
static Mdp *forced_chain(double *Q)
{
    Mdp *m = checked(mdp_alloc(3, 2), "mdp_alloc");
    for (int a = 0; a < 2; a++) {
        m->P[mdp_idx(m, 0, a, 1)] = 1; m->R[mdp_idx(m, 0, a, 1)] = -1;
        m->P[mdp_idx(m, 1, a, 2)] = 1; m->R[mdp_idx(m, 1, a, 2)] = -1;
        m->P[mdp_idx(m, 2, a, 2)] = 1;
    }
    m->terminal[2] = 1;
    m->start = 0;
    m->gamma = 1.0;
    memset(Q, 0, 6 * sizeof *Q);
    Q[1 * 2 + 0] = 4.0;
    return m;
}

/* Cliff walking with a Q table that, acted on greedily (ε = 0), first steps
 * RIGHT from the start into the cliff, then (once that value has dropped)
 * goes UP, right along row 2 and DOWN into the goal. */
static void cliff_rigged_q(double *Q)
{
    for (int i = 0; i < 48 * 4; i++) Q[i] = 0.0;
    Q[CLIFF_START * 4 + GW_UP] = -10; Q[CLIFF_START * 4 + GW_RIGHT] = 0;
    Q[CLIFF_START * 4 + GW_DOWN] = -20; Q[CLIFF_START * 4 + GW_LEFT] = -20;
    for (int c = 0; c < 12; c++) {
        int s = 2 * 12 + c;
        for (int a = 0; a < 4; a++) Q[s * 4 + a] = -20;
        Q[s * 4 + (c < 11 ? GW_RIGHT : GW_DOWN)] = 0;
    }
}

/* Mean sum of rewards over episodes [lo, hi) of `runs` runs, run r seeded with
 * base + r, as the chapter program does. */
static double cliff_level(TdMethod method, int runs, int episodes, int lo, int hi, uint64_t base)
{
    Mdp *m = checked(gw_cliff(), "gw_cliff");
    double *Q = malloc(48 * 4 * sizeof *Q), *ret = malloc((size_t)episodes * sizeof *ret);
    ck_assert_ptr_nonnull(Q);
    ck_assert_ptr_nonnull(ret);
    double sum = 0;
    for (int r = 0; r < runs; r++) {
        Rng rng;
        rng_seed(&rng, base + (uint64_t)r);
        td_run(method, m, Q, episodes, 0.5, 0.1, &rng, 100000, ret);
        for (int e = lo; e < hi; e++) sum += ret[e];
    }
    free(ret); free(Q); mdp_free(m);
    return sum / ((double)runs * (hi - lo));
}

/* ------------------------------------------------------------------------ */
/* td_epsilon_greedy */

START_TEST(epsilon_greedy_frequencies)
{
    const double q[4] = { 0.0, 1.0, 0.5, -1.0 };
    const double e = 0.1, want[4] = { e / 4, 1 - e + e / 4, e / 4, e / 4 };
    check_frequencies(q, 4, e, want, 1, "one greedy action, epsilon 0.1",
                      "the random action (probability epsilon) is drawn from ALL |A| actions, the greedy one "
                      "included: greedy gets 1 - eps + eps/|A| = 0.925, each other eps/|A| = 0.025.");
    const double e3 = 0.3, want3[4] = { e3 / 4, 1 - e3 + e3 / 4, e3 / 4, e3 / 4 };
    check_frequencies(q, 4, e3, want3, 2, "one greedy action, epsilon 0.3", NULL);
    const double one[4] = { 0.25, 0.25, 0.25, 0.25 };
    check_frequencies(q, 4, 1.0, one, 3, "epsilon 1 (always explore)", "with epsilon = 1 every action is uniform.");
}
END_TEST

START_TEST(epsilon_greedy_greedy_when_epsilon_zero)
{
    const double q[4] = { -5.0, -3.0, -4.0, -9.0 };
    Rng rng;
    rng_seed(&rng, 4);
    for (int i = 0; i < 1000; i++) {
        int a = td_epsilon_greedy(q, 4, 0.0, &rng);
        ck_assert_msg(a == 1, "epsilon 0, q = {-5, -3, -4, -9}: returned action %d, expected the argmax 1. "
                              "Hint: start the maximum from q[0], not from 0: action values may all be negative.", a);
    }
}
END_TEST

START_TEST(epsilon_greedy_breaks_ties_at_random)
{
    const double all[4] = { 2.0, 2.0, 2.0, 2.0 }, one[4] = { 0.25, 0.25, 0.25, 0.25 };
    check_frequencies(all, 4, 0.0, one, 5, "four tied actions, epsilon 0",
                      "break ties uniformly at random among the maximal actions, not by taking the first: "
                      "Q starts at 0, where every action ties.");
    const double two[4] = { -1.0, 3.0, 3.0, 0.0 }, e = 0.2;
    const double want[4] = { e / 4, (1 - e) / 2 + e / 4, (1 - e) / 2 + e / 4, e / 4 };
    check_frequencies(two, 4, e, want, 6, "two tied greedy actions, epsilon 0.2",
                      "each of the k tied greedy actions gets (1 - eps)/k + eps/|A|.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* td_qlearning_update */

START_TEST(qlearning_update_by_hand)
{
    double Q[3 * 4], before[3 * 4];
    const double row[4] = { 1.0, 3.0, -2.0, 0.0 };
    q_with_row(Q, 3, 2, row);
    memcpy(before, Q, sizeof Q);
    td_qlearning_update(Q, 4, 0, 1, -1.0, 2, 0, 0.5, 0.9);
    ckx_close(Q[0 * 4 + 1], 0.5 * (-1.0 + 0.9 * 3.0), TOL_EXACT, "Q(0,1) after r = -1, s' = 2, alpha 0.5, gamma 0.9",
              "Q(s,a) += alpha (r + gamma max_a' Q(s',a') - Q(s,a)); max_a' Q(2,a') = 3.");
    only_changed(Q, before, 12, 4, 0, 1, "td_qlearning_update");

    Q[0 * 4 + 1] = 2.0;
    td_qlearning_update(Q, 4, 0, 1, -1.0, 2, 0, 0.5, 0.9);
    ckx_close(Q[0 * 4 + 1], 2.0 + 0.5 * (-1.0 + 0.9 * 3.0 - 2.0), TOL_EXACT, "Q(0,1) from 2",
              "the TD error subtracts the current estimate Q(s,a) before scaling by alpha.");

    /* every Q(s',.) negative: max_a' Q(2,a') = -1 */
    const double neg[4] = { -3.0, -1.0, -2.0, -4.0 };
    q_with_row(Q, 3, 2, neg);
    td_qlearning_update(Q, 4, 0, 3, 0.0, 2, 0, 0.5, 0.9);
    ckx_close(Q[0 * 4 + 3], 0.5 * (0.9 * -1.0), TOL_EXACT, "Q(0,3) after r = 0, s' = 2 with Q(2,.) = (-3, -1, -2, -4)",
              "max_a' Q(2,a') is -1: start the maximum at the row's first entry (or -INFINITY), not at 0.");
}
END_TEST

START_TEST(qlearning_update_terminal_no_bootstrap)
{
    double Q[3 * 4];
    const double row[4] = { 5.0, 5.0, 5.0, 5.0 };
    q_with_row(Q, 3, 2, row);
    td_qlearning_update(Q, 4, 0, 2, -1.0, 2, 1, 0.5, 0.9);
    ckx_close(Q[0 * 4 + 2], 0.5 * -1.0, TOL_EXACT, "Q(0,2) after a step into a terminal s' (done = 1)",
              "when done, the target is r alone: nothing follows a terminal state, whatever Q(s',.) holds.");
}
END_TEST

/* The cliff's reset: from the start, RIGHT gives -100 and s' = start, done = 0. */
START_TEST(qlearning_update_cliff_reset)
{
    double Q[48 * 4] = { 0 };
    const double start[4] = { -5.0, -2.0, -8.0, -7.0 };   /* up, right, down, left */
    for (int a = 0; a < 4; a++) Q[CLIFF_START * 4 + a] = start[a];
    td_qlearning_update(Q, 4, CLIFF_START, GW_RIGHT, -100.0, CLIFF_START, 0, 0.5, 1.0);
    ckx_close(Q[CLIFF_START * 4 + GW_RIGHT], -2.0 + 0.5 * (-100.0 + -2.0 - -2.0), TOL_EXACT,
              "Q(start, right) after falling off the cliff",
              "the cliff sends you back to the start WITHOUT ending the episode (done = 0): bootstrap from "
              "max_a Q(start, a) = -2, read BEFORE Q(start, right) is overwritten.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* td_sarsa_update */

START_TEST(sarsa_update_uses_next_action)
{
    double Q[3 * 4], before[3 * 4];
    const double row[4] = { 1.0, 3.0, -2.0, 0.0 };
    q_with_row(Q, 3, 2, row);
    memcpy(before, Q, sizeof Q);
    td_sarsa_update(Q, 4, 0, 1, -1.0, 2, 2, 0, 0.5, 0.9);
    ckx_close(Q[0 * 4 + 1], 0.5 * (-1.0 + 0.9 * -2.0), TOL_EXACT, "Q(0,1) after (s=0, a=1, r=-1, s'=2, a'=2)",
              "SARSA's target is r + gamma * Q(s',a') with a' the action it will take (here -1 + 0.9 * Q(2,2) = "
              "-1 + 0.9 * -2), not the max over a'.");
    only_changed(Q, before, 12, 4, 0, 1, "td_sarsa_update");
    Q[0 * 4 + 1] = 2.0;
    td_sarsa_update(Q, 4, 0, 1, -1.0, 2, 0, 0, 0.25, 0.9);
    ckx_close(Q[0 * 4 + 1], 2.0 + 0.25 * (-1.0 + 0.9 * 1.0 - 2.0), TOL_EXACT, "Q(0,1) from 2 with a' = 0, alpha 0.25",
              NULL);
}
END_TEST

START_TEST(sarsa_update_terminal_no_bootstrap)
{
    double Q[3 * 4];
    const double row[4] = { 5.0, 5.0, 5.0, 5.0 };
    q_with_row(Q, 3, 2, row);
    Q[0 * 4 + 3] = 1.0;
    td_sarsa_update(Q, 4, 0, 3, -1.0, 2, 1, 1, 0.5, 0.9);
    ckx_close(Q[0 * 4 + 3], 1.0 + 0.5 * (-1.0 - 1.0), TOL_EXACT, "Q(0,3) after a step into a terminal s'",
              "when done, the target is r alone (a' means nothing).");
}
END_TEST

START_TEST(sarsa_update_cliff_reset)
{
    double Q[48 * 4] = { 0 };
    const double start[4] = { -5.0, -2.0, -8.0, -7.0 };
    for (int a = 0; a < 4; a++) Q[CLIFF_START * 4 + a] = start[a];
    td_sarsa_update(Q, 4, CLIFF_START, GW_RIGHT, -100.0, CLIFF_START, GW_UP, 0, 0.5, 1.0);
    ckx_close(Q[CLIFF_START * 4 + GW_RIGHT], -2.0 + 0.5 * (-100.0 + -5.0 - -2.0), TOL_EXACT,
              "Q(start, right) after falling off the cliff, a' = up",
              "the fall does not end the episode: bootstrap from Q(start, up) = -5, the next action's value.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* td_expected_sarsa_update */

START_TEST(expected_sarsa_update_by_hand)
{
    double Q[3 * 4], before[3 * 4];
    const double row[4] = { 1.0, 3.0, -2.0, 0.0 };
    q_with_row(Q, 3, 2, row);
    memcpy(before, Q, sizeof Q);
    /* pi(.|2) = {0.05, 0.85, 0.05, 0.05}: E = 0.05 + 2.55 - 0.1 + 0 = 2.5 */
    td_expected_sarsa_update(Q, 4, 0, 1, -1.0, 2, 0, 0.5, 0.9, 0.2);
    ckx_close(Q[0 * 4 + 1], 0.5 * (-1.0 + 0.9 * 2.5), TOL_EXACT, "Q(0,1), epsilon 0.2",
              "the target is r + gamma sum_a' pi(a'|s') Q(s',a') with pi(greedy) = 1 - eps + eps/|A| = 0.85 "
              "and eps/|A| = 0.05 for the others: the expectation is 2.5.");
    only_changed(Q, before, 12, 4, 0, 1, "td_expected_sarsa_update");

    Q[0 * 4 + 1] = 0.0;
    td_expected_sarsa_update(Q, 4, 0, 1, -1.0, 2, 0, 0.5, 0.9, 0.0);
    ckx_close(Q[0 * 4 + 1], 0.5 * (-1.0 + 0.9 * 3.0), TOL_EXACT, "Q(0,1), epsilon 0",
              "with epsilon = 0 the policy is greedy and Expected SARSA is Q-learning.");
}
END_TEST

START_TEST(expected_sarsa_update_shares_ties)
{
    double Q[3 * 4];
    const double row[4] = { 3.0, 3.0, -2.0, 0.0 };
    q_with_row(Q, 3, 2, row);
    /* pi(.|2) = {0.45, 0.45, 0.05, 0.05}: E = 1.35 + 1.35 - 0.1 + 0 = 2.6 */
    td_expected_sarsa_update(Q, 4, 0, 3, -1.0, 2, 0, 0.5, 0.9, 0.2);
    ckx_close(Q[0 * 4 + 3], 0.5 * (-1.0 + 0.9 * 2.6), TOL_EXACT, "Q(0,3), two tied greedy actions, epsilon 0.2",
              "the policy is td_epsilon_greedy's: k tied greedy actions each get (1 - eps)/k + eps/|A|.");
    /* every Q(s',.) negative: greedy action 1 (-1): E = 0.05·(-3) + 0.85·(-1) + 0.05·(-2) + 0.05·(-4) = -1.3 */
    const double neg[4] = { -3.0, -1.0, -2.0, -4.0 };
    q_with_row(Q, 3, 2, neg);
    td_expected_sarsa_update(Q, 4, 0, 1, -1.0, 2, 0, 0.5, 0.9, 0.2);
    ckx_close(Q[0 * 4 + 1], 0.5 * (-1.0 + 0.9 * -1.3), TOL_EXACT, "Q(0,1) with Q(2,.) = (-3, -1, -2, -4), epsilon 0.2",
              "every Q(s',.) is negative: the greedy action is 1 (value -1); start the maximum at q[0], not at 0, "
              "or no action is greedy.");
    const double five[4] = { 5.0, 5.0, 5.0, 5.0 };
    q_with_row(Q, 3, 2, five);
    td_expected_sarsa_update(Q, 4, 0, 0, -1.0, 2, 1, 0.5, 0.9, 0.2);
    ckx_close(Q[0], -0.5, TOL_EXACT, "Q(0,0) after a step into a terminal s'", "when done, the target is r alone.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* td_qlearning_episode */

START_TEST(qlearning_episode_forced_walk)
{
    double Q[6];
    Mdp *m = forced_chain(Q);
    Rng rng;
    rng_seed(&rng, 7);
    int steps = -1;
    double G = td_qlearning_episode(m, Q, 0.5, 0.5, &rng, 100, &steps);
    ck_assert_msg(steps == 2, "forced walk 0 -> 1 -> 2 (terminal): %d steps reported, expected 2. Hint: count one "
                              "step per mdp_step and stop when done.", steps);
    ckx_close(G, -2.0, TOL_EXACT, "sum of rewards of the walk 0 -> 1 -> 2", "add up r of every step (-1 each).");
    ckx_close(Q[0] + Q[1], 0.5 * (-1.0 + 4.0), TOL_EXACT, "Q(0, a) of the action taken at state 0",
              "after the first step: Q(0,a) = 0 + 0.5 (-1 + max_a' Q(1,a') = 4 - 0) = 1.5; update after every step.");
    ck_assert_msg(Q[0] == 0.0 || Q[1] == 0.0, "both actions of state 0 changed: only the one taken is updated");
    mdp_free(m);

    /* the same walk with gamma = 0.5: the update discounts, the returned sum does not */
    m = forced_chain(Q);
    m->gamma = 0.5;
    G = td_qlearning_episode(m, Q, 0.5, 0.5, &rng, 100, &steps);
    ckx_close(G, -2.0, TOL_EXACT, "sum of rewards of the walk 0 -> 1 -> 2 with gamma 0.5",
              "return the plain sum of rewards (what Figure 6.4 plots), not the discounted return: gamma "
              "belongs in the update only.");
    ckx_close(Q[0] + Q[1], 0.5 * (-1.0 + 0.5 * 4.0), TOL_EXACT, "Q(0, a) of the action taken, gamma 0.5",
              "pass m->gamma to the update.");
    mdp_free(m);
}
END_TEST

/* ε = 0 with a rigged Q: RIGHT into the cliff (-100, back to the start, NOT
 * the end), then up, 11 x right, down: 14 steps, -113. */
START_TEST(qlearning_episode_cliff_reset_continues)
{
    Mdp *m = checked(gw_cliff(), "gw_cliff");
    double Q[48 * 4];
    cliff_rigged_q(Q);
    Rng rng;
    rng_seed(&rng, 8);
    int steps = -1;
    double G = td_qlearning_episode(m, Q, 0.5, 0.0, &rng, 1000, &steps);
    ck_assert_msg(steps == 14, "greedy walk with a rigged Q: %d steps, expected 14 (a fall into the cliff, then "
                               "up, 11 x right, down). Hint: the cliff sends the agent back to the start WITHOUT "
                               "ending the episode: only done stops the loop.", steps);
    ckx_close(G, -113.0, TOL_EXACT, "sum of rewards of that walk", "-100 for the fall plus -1 for each of 13 steps.");
    ckx_close(Q[CLIFF_START * 4 + GW_RIGHT], -50.0, TOL_EXACT, "Q(start, right) after the fall",
              "0 + 0.5 (-100 + max_a Q(start, a) - 0) with the max (0) read before the update.");

    cliff_rigged_q(Q);
    G = td_qlearning_episode(m, Q, 0.5, 0.0, &rng, 5, &steps);
    ck_assert_msg(steps == 5, "max_steps = 5: the episode ran %d steps. Hint: stop after max_steps steps.", steps);
    ckx_close(G, -104.0, TOL_EXACT, "sum of rewards of the first 5 steps", NULL);
    mdp_free(m);
}
END_TEST

/* A 5-state chain, 4 -> terminal, γ = 0.9: right from 3 into 4 gives +10,
 * every other move −1 (left at 0 bumps and stays). Q* from chapter 01. */
START_TEST(qlearning_converges_to_q_star)
{
    Mdp *m = checked(mdp_alloc(5, 2), "mdp_alloc");
    m->gamma = 0.9;
    for (int s = 0; s < 4; s++) {
        int left = s > 0 ? s - 1 : 0;
        m->P[mdp_idx(m, s, 0, left)] = 1; m->R[mdp_idx(m, s, 0, left)] = -1;
        m->P[mdp_idx(m, s, 1, s + 1)] = 1; m->R[mdp_idx(m, s, 1, s + 1)] = s == 3 ? 10 : -1;
    }
    for (int a = 0; a < 2; a++) m->P[mdp_idx(m, 4, a, 4)] = 1;
    m->terminal[4] = 1;
    double Qstar[10] = { 0 }, Q[10] = { 0 };
    dp_q_value_iteration(m, 1e-13, 100000, Qstar);

    Rng rng;
    rng_seed(&rng, 9);
    for (int e = 0; e < 4000; e++) {
        m->start = e % 4;             /* every start state in turn, so every (s, a) is tried often */
        td_qlearning_episode(m, Q, 0.5, 0.5, &rng, 200, NULL);
    }
    ckx_close_array(Q, Qstar, 10, TOL_QSTAR, "Q after 4000 episodes vs Q* (index s*2 + a)",
                    "Q-learning with a fixed alpha on a deterministic MDP converges to Q* when every (s,a) keeps "
                    "being tried: check the discount (m->gamma) and the max over a' in the target.");
    mdp_free(m);
}
END_TEST

START_TEST(qlearning_example_6_6_level)
{
    double level = cliff_level(TD_QLEARNING, 200, 500, 400, 500, 1000);
    ckx_close(level, LEVEL_QL, TOL_LEVEL, "Q-learning on the cliff: mean sum of rewards, episodes 400-499, 200 runs",
              "S&B Figure 6.4 shows about -50: Q-learning learns the edge path but its epsilon-greedy moves "
              "there fall off the cliff. Check epsilon = 0.1 exploration and the cliff reset (done = 0).");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* td_sarsa_episode */

START_TEST(sarsa_episode_forced_walk)
{
    for (uint64_t seed = 10; seed < 30; seed++) {
        double Q[6];
        Mdp *m = forced_chain(Q);
        Rng rng;
        rng_seed(&rng, seed);
        int steps = -1;
        double G = td_sarsa_episode(m, Q, 0.5, 0.5, &rng, 100, &steps);
        ck_assert_msg(steps == 2, "forced walk 0 -> 1 -> 2 (terminal): %d steps reported, expected 2. Hint: "
                                  "count one step per mdp_step and stop when done.", steps);
        ckx_close(G, -2.0, TOL_EXACT, "sum of rewards of the walk 0 -> 1 -> 2", "add up r of every step (-1 each).");
        /* which action was taken at state 1: the entry of Q(1,.) that moved */
        int a1 = Q[2] != 4.0 ? 0 : 1;
        double q1_old = a1 == 0 ? 4.0 : 0.0;
        ckx_close(Q[2 + a1], q1_old + 0.5 * (-1.0 - q1_old), TOL_EXACT, "Q(1, a') after the terminal step",
                  "the last step ends the episode: target r alone.");
        ckx_close(Q[0] + Q[1], 0.5 * (-1.0 + q1_old), TOL_EXACT, "Q(0, a) of the action taken at state 0",
                  "SARSA's target uses Q(1, a') of the action a' actually taken next (before a' is updated), "
                  "not max_a' Q(1, a').");
        mdp_free(m);
    }
    double Q[6];
    Mdp *m = forced_chain(Q);
    m->gamma = 0.5;
    Rng rng;
    rng_seed(&rng, 30);
    double G = td_sarsa_episode(m, Q, 0.5, 0.5, &rng, 100, NULL);
    ckx_close(G, -2.0, TOL_EXACT, "sum of rewards of the walk 0 -> 1 -> 2 with gamma 0.5",
              "return the plain sum of rewards (what Figure 6.4 plots), not the discounted return: gamma "
              "belongs in the update only.");
    mdp_free(m);
}
END_TEST

/* The rigged walk again, with SARSA: a' is chosen before the update, so the
 * agent, back at the start, takes RIGHT a second time (its value was still 0
 * when a' was picked): two falls, 15 steps, -213. */
START_TEST(sarsa_episode_cliff_reset_continues)
{
    Mdp *m = checked(gw_cliff(), "gw_cliff");
    double Q[48 * 4];
    cliff_rigged_q(Q);
    Rng rng;
    rng_seed(&rng, 31);
    int steps = -1;
    double G = td_sarsa_episode(m, Q, 0.5, 0.0, &rng, 1000, &steps);
    ck_assert_msg(steps == 15 && G == -213.0,
                  "SARSA, greedy walk with a rigged Q: %d steps and sum %g, expected 15 steps and -213 (two falls, "
                  "then up, 11 x right, down). Hint: only done ends an episode (the cliff does not); and a' is "
                  "chosen from Q(s',.) BEFORE updating Q(s,a), then taken: after the first fall a' = right "
                  "again.", steps, G);
    ckx_close(Q[CLIFF_START * 4 + GW_RIGHT], -80.0, TOL_EXACT, "Q(start, right) after two falls",
              "-50 after the first (target -100 + Q(start,right) = 0), then -50 + 0.5 (-100 + Q(start,up) = -10 + 50).");
    cliff_rigged_q(Q);
    G = td_sarsa_episode(m, Q, 0.5, 0.0, &rng, 1, &steps);
    ck_assert_msg(steps == 1 && G == -100.0, "max_steps = 1: %d steps, sum %g; expected 1 step, -100. Hint: stop after max_steps "
                  "steps (steps < max_steps).", steps, G);
    mdp_free(m);
}
END_TEST

START_TEST(sarsa_example_6_6_level)
{
    double level = cliff_level(TD_SARSA, 200, 500, 400, 500, 1000);
    ckx_close(level, LEVEL_SARSA, TOL_LEVEL, "SARSA on the cliff: mean sum of rewards, episodes 400-499, 200 runs",
              "S&B Figure 6.4 shows about -25: SARSA learns the safer path away from the edge. Check that the "
              "update uses the next action a' that is then actually taken.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* td_expected_sarsa_episode */

START_TEST(expected_sarsa_episode_forced_walk)
{
    double Q[6];
    Mdp *m = forced_chain(Q);
    Rng rng;
    rng_seed(&rng, 40);
    int steps = -1;
    double G = td_expected_sarsa_episode(m, Q, 0.5, 0.5, &rng, 100, &steps);
    ck_assert_msg(steps == 2, "forced walk 0 -> 1 -> 2 (terminal): %d steps reported, expected 2. Hint: count one "
                              "step per mdp_step and stop when done.", steps);
    ckx_close(G, -2.0, TOL_EXACT, "sum of rewards of the walk 0 -> 1 -> 2", "add up r of every step (-1 each).");
    ckx_close(Q[0] + Q[1], 0.5 * (-1.0 + 0.75 * 4.0 + 0.25 * 0.0), TOL_EXACT, "Q(0, a) of the action taken at state 0",
              "the target is r + E_pi Q(1, .) with epsilon 0.5: pi(1|1) = 0.75, the other 0.25; pass epsilon on.");
    mdp_free(m);
    m = forced_chain(Q);
    m->gamma = 0.5;
    G = td_expected_sarsa_episode(m, Q, 0.5, 0.5, &rng, 100, NULL);
    ckx_close(G, -2.0, TOL_EXACT, "sum of rewards of the walk 0 -> 1 -> 2 with gamma 0.5",
              "return the plain sum of rewards, not the discounted return.");
    mdp_free(m);
}
END_TEST

START_TEST(expected_sarsa_episode_cliff_reset_continues)
{
    Mdp *m = checked(gw_cliff(), "gw_cliff");
    double Q[48 * 4];
    cliff_rigged_q(Q);
    Rng rng;
    rng_seed(&rng, 41);
    int steps = -1;
    double G = td_expected_sarsa_episode(m, Q, 0.5, 0.0, &rng, 1000, &steps);
    ck_assert_msg(steps == 14 && G == -113.0,
                  "Expected SARSA with epsilon 0, rigged Q: %d steps and sum %g, expected 14 and -113 (one fall, "
                  "then up, 11 x right, down; with epsilon 0 it acts and learns like Q-learning). Hint: only "
                  "done ends an episode.", steps, G);
    cliff_rigged_q(Q);
    G = td_expected_sarsa_episode(m, Q, 0.5, 0.0, &rng, 5, &steps);
    ck_assert_msg(steps == 5 && G == -104.0, "max_steps = 5: the episode ran %d steps with sum %g; expected 5 steps "
                  "and -104. Hint: stop after max_steps steps (steps < max_steps).", steps, G);
    mdp_free(m);
}
END_TEST

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("02_td");
    TCase *tc;
    tc = ckx_tcase(s, "td_epsilon_greedy", 10);
    tcase_add_test(tc, epsilon_greedy_frequencies);
    tcase_add_test(tc, epsilon_greedy_greedy_when_epsilon_zero);
    tcase_add_test(tc, epsilon_greedy_breaks_ties_at_random);
    tc = ckx_tcase(s, "td_qlearning_update", 5);
    tcase_add_test(tc, qlearning_update_by_hand);
    tcase_add_test(tc, qlearning_update_terminal_no_bootstrap);
    tcase_add_test(tc, qlearning_update_cliff_reset);
    tc = ckx_tcase(s, "td_sarsa_update", 5);
    tcase_add_test(tc, sarsa_update_uses_next_action);
    tcase_add_test(tc, sarsa_update_terminal_no_bootstrap);
    tcase_add_test(tc, sarsa_update_cliff_reset);
    tc = ckx_tcase(s, "td_expected_sarsa_update", 5);
    tcase_add_test(tc, expected_sarsa_update_by_hand);
    tcase_add_test(tc, expected_sarsa_update_shares_ties);
    tc = ckx_tcase(s, "td_qlearning_episode", 30);
    tcase_add_test(tc, qlearning_episode_forced_walk);
    tcase_add_test(tc, qlearning_episode_cliff_reset_continues);
    tcase_add_test(tc, qlearning_converges_to_q_star);
    tcase_add_test(tc, qlearning_example_6_6_level);
    tc = ckx_tcase(s, "td_sarsa_episode", 30);
    tcase_add_test(tc, sarsa_episode_forced_walk);
    tcase_add_test(tc, sarsa_episode_cliff_reset_continues);
    tcase_add_test(tc, sarsa_example_6_6_level);
    tc = ckx_tcase(s, "td_expected_sarsa_episode", 10);
    tcase_add_test(tc, expected_sarsa_episode_forced_walk);
    tcase_add_test(tc, expected_sarsa_episode_cliff_reset_continues);
    return s;
}
