/* test_01_dp.c — chapter 01: dynamic programming.
 *
 * One test case per exercise, named after the function it grades. References:
 * Sutton & Barto (2nd ed.) Figures 3.2, 3.5 and 4.1 (values printed to one
 * decimal, hence TOL_BOOK), hand-computed single sweeps (exact), and a value
 * iteration written independently below (ref_optimal_values).
 */
#include "ckx.h"
#include "dp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sutton & Barto Figure 3.2: the equiprobable random policy on Example 3.5. */
static const double FIG_3_2[25] = {
    3.3, 8.8, 4.4, 5.3, 1.5,   1.5, 3.0, 2.3, 1.9, 0.5,   0.1, 0.7, 0.7, 0.4, -0.4,
    -1.0, -0.4, -0.4, -0.6, -1.2,   -1.9, -1.3, -1.2, -1.4, -2.0,
};
/* ... its first row to three places. */
static const double FIG_3_2_ROW0[5] = { 3.309, 8.789, 4.428, 5.322, 1.492 };
/* Figure 3.5: v* on Example 3.5. */
static const double FIG_3_5[25] = {
    22.0, 24.4, 22.0, 19.4, 17.5,   19.8, 22.0, 19.8, 17.8, 16.0,   17.8, 19.8, 17.8, 16.0, 14.4,
    16.0, 17.8, 16.0, 14.4, 13.0,   14.4, 16.0, 14.4, 13.0, 11.7,
};
/* Figure 4.1 (k = ∞): the random policy on Example 4.1. */
static const double FIG_4_1[16] = { 0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0 };
/* Tolerance for book figures printed to one decimal: half a unit in the last
 * place plus a little for the book's rounding. */
#define TOL_FIG (TOL_BOOK + 1e-9)

/* Value iteration written independently of the exercises (Gauss–Seidel, run to
 * machine precision), so tests do not trust the code under test for v*. */
static void ref_optimal_values(const Mdp *m, double *V)
{
    const int S = m->n_states, A = m->n_actions;
    memset(V, 0, (size_t)S * sizeof *V);
    for (int it = 0; it < 5000; it++) {
        for (int s = 0; s < S; s++) {
            double best = -INFINITY;
            for (int a = 0; a < A; a++) {
                double q = 0;
                for (int s2 = 0; s2 < S; s2++) {
                    double p = m->P[(s * A + a) * S + s2];
                    q += p * (m->R[(s * A + a) * S + s2] + m->gamma * V[s2]);
                }
                best = q > best ? q : best;
            }
            V[s] = best;
        }
    }
}

/* v* of Example 4.1: minus the number of steps to the nearest terminal corner
 * (Manhattan distance). */
static void example_4_1_v_star(double V[16])
{
    for (int s = 0; s < 16; s++) {
        int r = s / 4, c = s % 4, d0 = r + c, d1 = (3 - r) + (3 - c);
        V[s] = -(d0 < d1 ? d0 : d1);
    }
}

/* A 2-state MDP with a stochastic transition: from s0, action 0 goes to s0
 * with probability 0.3 (reward 1) and to s1 with 0.7 (reward 2); γ = 0.5. */
static Mdp *two_state_mdp(void)
{
    Mdp *m = mdp_alloc(2, 2);
    ck_assert_ptr_nonnull(m);
    m->gamma = 0.5;
    for (int s = 0; s < 2; s++)
        for (int a = 0; a < 2; a++) m->P[mdp_idx(m, s, a, s)] = 1.0;   /* default: stay, reward 0 */
    m->P[mdp_idx(m, 0, 0, 0)] = 0.3; m->R[mdp_idx(m, 0, 0, 0)] = 1.0;
    m->P[mdp_idx(m, 0, 0, 1)] = 0.7; m->R[mdp_idx(m, 0, 0, 1)] = 2.0;
    return m;
}

/* ------------------------------------------------------------------------ */
/* dp_q_from_v */

START_TEST(q_from_v_zero_values_is_the_reward)
{
    Mdp *m = gw_example_3_5();
    double V[25] = { 0 };
    for (int a = 0; a < 4; a++) {
        ckx_close(dp_q_from_v(m, V, GW35_A, a), 10.0, TOL_EXACT, "q(A, a) with V = 0",
                  "every action from A jumps to A' with reward +10.");
        ckx_close(dp_q_from_v(m, V, GW35_B, a), 5.0, TOL_EXACT, "q(B, a) with V = 0", NULL);
    }
    ckx_close(dp_q_from_v(m, V, 0, GW_UP), -1.0, TOL_EXACT, "q((0,0), up) with V = 0",
              "a move off the grid costs -1: read the reward from m->R.");
    ckx_close(dp_q_from_v(m, V, 0, GW_RIGHT), 0.0, TOL_EXACT, "q((0,0), right) with V = 0", NULL);
    mdp_free(m);
}
END_TEST

START_TEST(q_from_v_discounts_the_next_value)
{
    Mdp *m = gw_example_3_5();
    double V[25];
    for (int s = 0; s < 25; s++) V[s] = s;                     /* V(s) = s */
    ckx_close(dp_q_from_v(m, V, GW35_A, GW_UP), 10.0 + 0.9 * 21, TOL_EXACT, "q(A, up) with V(s) = s",
              "q = r + gamma * V(s'), s' the NEXT state (A' = 21 here, so 10 + 0.9 * 21): discount by gamma "
              "(0.9), and read V at s2, not at s.");
    ckx_close(dp_q_from_v(m, V, 0, GW_UP), -1.0 + 0.9 * 0, TOL_EXACT, "q((0,0), up)", NULL);
    ckx_close(dp_q_from_v(m, V, 0, GW_DOWN), 0.9 * 5, TOL_EXACT, "q((0,0), down)",
              "the next state of 'down' from (0,0) is (1,0) = state 5.");
    ckx_close(dp_q_from_v(m, V, 12, GW_LEFT), 0.9 * 11, TOL_EXACT, "q((2,2), left)", NULL);
    mdp_free(m);
}
END_TEST

START_TEST(q_from_v_weights_by_transition_probability)
{
    Mdp *m = two_state_mdp();
    double V[2] = { 10, 20 };
    ckx_close(dp_q_from_v(m, V, 0, 0), 0.3 * (1 + 0.5 * 10) + 0.7 * (2 + 0.5 * 20), TOL_EXACT,
              "q(s0, a0) in a stochastic MDP",
              "sum over s' of P(s'|s,a) * (r(s,a,s') + gamma V(s')): weight every next state by its probability.");
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* dp_policy_evaluation_sweep */

/* Figure 4.1, left column: k = 1, 2, 3 of synchronous evaluation, exact. */
START_TEST(sync_sweeps_match_figure_4_1)
{
    Mdp *m = gw_example_4_1();
    double pi[64], V[16] = { 0 }, W[16] = { 0 }, keep[16];
    dp_uniform_policy(m, pi);
    memcpy(keep, V, sizeof V);
    double d = dp_policy_evaluation_sweep(m, pi, V, W);
    ck_assert_msg(memcmp(V, keep, sizeof V) == 0, "the sweep changed its input V: write only into V_new");
    double k1[16];
    for (int s = 0; s < 16; s++) k1[s] = (s == 0 || s == 15) ? 0 : -1;
    ckx_close_grid(W, k1, 4, 4, TOL_EXACT, "V_1",
                   "from V = 0 every non-terminal state gets -1 after one sweep. A state that already sees a "
                   "neighbour's new -1 read V_new: compute q from the OLD V only (synchronous), write only V_new.");
    ckx_close(d, 1.0, TOL_EXACT, "returned max |V_new - V|",
              "return the largest ABSOLUTE change of the sweep (the values fall here: 0 -> -1).");
    double k2[16] = { 0 };
    dp_policy_evaluation_sweep(m, pi, W, k2);
    ckx_close(k2[1], -1.75, TOL_EXACT, "V_2 at (0,1)", "Figure 4.1 shows -1.7 (exactly -1.75) at k = 2.");
    ckx_close(k2[5], -2.0, TOL_EXACT, "V_2 at (1,1)", NULL);
    double k3[16] = { 0 };
    dp_policy_evaluation_sweep(m, pi, k2, k3);
    ckx_close(k3[1], -2.4375, TOL_EXACT, "V_3 at (0,1)",
              "Figure 4.1 shows -2.4 at k = 3; -2.4375 exactly. Use only the OLD values (synchronous).");
    ckx_close(k3[2], -2.9375, TOL_EXACT, "V_3 at (0,2)", NULL);
    ckx_close(k3[3], -3.0, TOL_EXACT, "V_3 at (0,3)", NULL);
    mdp_free(m);
}
END_TEST

START_TEST(sync_evaluation_converges_to_figures_3_2_and_4_1)
{
    Mdp *m = gw_example_3_5();
    double pi[100], V[25] = { 0 };
    dp_uniform_policy(m, pi);
    dp_evaluate_policy(m, pi, 1e-10, 100000, 0, V, NULL);
    ckx_close_grid(V, FIG_3_2, 5, 5, TOL_FIG, "V_random on Example 3.5 (Fig. 3.2)",
                   "average q(s,a) over the four actions with weights pi(a|s).");
    ckx_close_array(V, FIG_3_2_ROW0, 5, 5e-4, "V_random first row (three places)", NULL);
    mdp_free(m);

    m = gw_example_4_1();
    double pi4[64], V4[16] = { 0 };
    dp_uniform_policy(m, pi4);
    dp_evaluate_policy(m, pi4, 1e-10, 100000, 0, V4, NULL);
    ckx_close_grid(V4, FIG_4_1, 4, 4, TOL_FIG, "V_random on Example 4.1 (Fig. 4.1)", NULL);
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* dp_policy_evaluation_sweep_inplace */

START_TEST(inplace_sweep_uses_new_values)
{
    Mdp *m = gw_example_4_1();
    double pi[64], V[16] = { 0 };
    dp_uniform_policy(m, pi);
    double d = dp_policy_evaluation_sweep_inplace(m, pi, V);
    /* hand computation in index order: s1 sees V(s0) = 0 (terminal), s2 sees
     * the new V(s1) = -1, s3 the new V(s2), s5 the new V(s1) and V(s4) */
    ckx_close(V[1], -1.0, TOL_EXACT, "V(0,1) after one in-place sweep", NULL);
    ckx_close(V[2], -1.25, TOL_EXACT, "V(0,2) after one in-place sweep",
              "in place, state (0,2) already sees the new V(0,1) = -1: (-1 -1 -1 -2)/4.");
    ckx_close(V[3], -1.3125, TOL_EXACT, "V(0,3) after one in-place sweep", NULL);
    ckx_close(V[5], -1.5, TOL_EXACT, "V(1,1) after one in-place sweep", NULL);
    ckx_close(V[0], 0.0, TOL_EXACT, "V(terminal)", NULL);
    double biggest = 0;
    for (int s = 0; s < 16; s++) biggest = fmax(biggest, fabs(V[s]));
    ckx_close(d, biggest, TOL_EXACT, "returned largest change",
              "return max |new - old| over the sweep: measure |v - V(s)| BEFORE overwriting V(s).");
    mdp_free(m);
}
END_TEST

START_TEST(inplace_converges_faster_to_figure_4_1)
{
    Mdp *m = gw_example_4_1();
    double pi[64], Vs[16] = { 0 }, Vi[16] = { 0 };
    dp_uniform_policy(m, pi);
    int n_sync = dp_evaluate_policy(m, pi, 1e-6, 100000, 0, Vs, NULL);
    int n_inpl = dp_evaluate_policy(m, pi, 1e-6, 100000, 1, Vi, NULL);
    ckx_close_grid(Vi, FIG_4_1, 4, 4, TOL_FIG, "V_random by in-place sweeps (Fig. 4.1)", NULL);
    ck_assert_msg(n_inpl < n_sync, "in-place took %d sweeps, synchronous %d: in place should need fewer", n_inpl,
                  n_sync);
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* dp_value_iteration_sweep */

START_TEST(value_sweep_from_zero)
{
    Mdp *m = gw_example_3_5();
    double V[25] = { 0 }, W[25] = { 0 };
    double d = dp_value_iteration_sweep(m, V, W);
    for (int s = 0; s < 25; s++) {
        double want = s == GW35_A ? 10 : s == GW35_B ? 5 : 0;
        ckx_close(W[s], want, TOL_EXACT, "V_1 after one value-iteration sweep from 0",
                  "V_new(s) = max over actions of q(s,a) computed from the OLD V: at an edge, moving inward (0) "
                  "beats bumping (-1); a state next to A that gets 9 read A's new value from V_new.");
    }
    ckx_close(d, 10.0, TOL_EXACT, "returned max |V_new - V|", NULL);
    for (int s = 0; s < 25; s++) ck_assert_msg(V[s] == 0, "the sweep changed its input V at state %d", s);
    mdp_free(m);
}
END_TEST

/* Example 4.1 (−1 per step, γ = 1): every q(s,a) is negative. From V = 0 one
 * sweep gives −1 at every non-terminal state (max of four −1's), and the
 * fixed point is minus the number of steps to the nearest terminal corner. */
START_TEST(value_sweep_all_negative_rewards)
{
    Mdp *m = gw_example_4_1();
    double V[16] = { 0 }, W[16] = { 0 }, k1[16], want[16];
    double d = dp_value_iteration_sweep(m, V, W);
    for (int s = 0; s < 16; s++) k1[s] = (s == 0 || s == 15) ? 0 : -1;
    ckx_close_grid(W, k1, 4, 4, TOL_EXACT, "V_1 on Example 4.1 (every reward -1) after one sweep from 0",
                   "every q(s,a) is -1 here: a maximum that starts at 0 stays 0. Start it at -INFINITY (or at "
                   "the first action's q).");
    ckx_close(d, 1.0, TOL_EXACT, "returned max |V_new - V| on Example 4.1",
              "the values FALL here (0 -> -1): return the largest ABSOLUTE change, fabs(V_new(s) - V(s)).");
    example_4_1_v_star(want);
    memset(V, 0, sizeof V);
    int n = dp_value_iteration(m, 1e-10, 1000, V, NULL);
    ckx_close_grid(V, want, 4, 4, 1e-9, "v* on Example 4.1 by value iteration (minus the distance to a corner)",
                   NULL);
    ck_assert_msg(n == 4, "value iteration on Example 4.1 stopped after %d sweeps; expected 4 (the farthest state "
                  "is 3 steps from a corner: 3 sweeps to get there, 1 more that changes nothing). Hint: return "
                  "max |V_new - V| with fabs: a signed maximum is 0 when every value falls.", n);
    mdp_free(m);
}
END_TEST

START_TEST(value_iteration_matches_figure_3_5)
{
    Mdp *m = gw_example_3_5();
    double V[25] = { 0 };
    dp_value_iteration(m, 1e-10, 100000, V, NULL);
    ckx_close_grid(V, FIG_3_5, 5, 5, TOL_FIG, "v* on Example 3.5 (Fig. 3.5)", "take the MAX over actions, not the mean.");
    double ref[25];
    ref_optimal_values(m, ref);
    ckx_close_grid(V, ref, 5, 5, 1e-8, "v* against an independent solver", NULL);
    mdp_free(m);
}
END_TEST

/* The loop stops at the first sweep whose change is below theta, and then
 * ‖V − v*‖∞ <= θγ/(1−γ) (a γ-contraction). */
START_TEST(value_iteration_honours_tolerance)
{
    Mdp *m = gw_example_3_5();
    double ref[25];
    ref_optimal_values(m, ref);
    const double thetas[3] = { 1e-1, 1e-3, 1e-6 };
    int prev_sweeps = 0;
    for (int k = 0; k < 3; k++) {
        double V[25] = { 0 }, W[25] = { 0 }, X[25];
        int n = dp_value_iteration(m, thetas[k], 100000, V, NULL);
        /* replay: the first sweep with change < theta is sweep n */
        int first = 0;
        for (int i = 1; i <= n && !first; i++) {
            double d = dp_value_iteration_sweep(m, W, X);
            memcpy(W, X, sizeof W);
            if (d < thetas[k]) first = i;
        }
        ck_assert_msg(first == n, "theta %g: stopped after %d sweeps, but the first sweep below theta was %d",
                      thetas[k], n, first);
        double err = 0;
        for (int s = 0; s < 25; s++) err = fmax(err, fabs(V[s] - ref[s]));
        ck_assert_msg(err <= thetas[k] * 0.9 / 0.1, "theta %g: |V - v*| = %g exceeds the bound theta*g/(1-g)",
                      thetas[k], err);
        ck_assert_msg(n > prev_sweeps, "a smaller theta (%g) should take more sweeps (%d, before %d)", thetas[k], n,
                      prev_sweeps);
        prev_sweeps = n;
    }
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* dp_greedy_policy */

START_TEST(greedy_policy_of_v_star)
{
    Mdp *m = gw_example_3_5();
    double V[25], pi[100];
    ref_optimal_values(m, V);
    for (int i = 0; i < 100; i++) pi[i] = 0;
    dp_greedy_policy(m, V, pi);
    for (int a = 0; a < 4; a++) {
        ckx_close(pi[GW35_A * 4 + a], 0.25, TOL_EXACT, "pi(a|A)",
                  "at A every action leads to A' with +10: all four are optimal, so each gets 1/4.");
        ckx_close(pi[GW35_B * 4 + a], 0.25, TOL_EXACT, "pi(a|B)", "at B all four actions tie.");
    }
    /* Figure 3.5's arrows where a single action is optimal */
    const struct { int s, a; const char *where; } only[] = {
        { 0, GW_RIGHT, "(0,0): right, towards A" }, { 2, GW_LEFT, "(0,2): left, into A" },
        { 4, GW_LEFT, "(0,4): left, towards B" }, { 21, GW_UP, "(4,1): up" },
    };
    for (int i = 0; i < 4; i++)
        for (int a = 0; a < 4; a++)
            ckx_close(pi[only[i].s * 4 + a], a == only[i].a ? 1.0 : 0.0, TOL_EXACT, only[i].where,
                      "pi(a|s) = 1 for the argmax of q(s,a) = sum_s' P (r + gamma V(s')), 0 elsewhere.");
    for (int s = 0; s < 25; s++) {
        double sum = 0;
        for (int a = 0; a < 4; a++) sum += pi[s * 4 + a];
        ckx_close(sum, 1.0, TOL_EXACT, "sum_a pi(a|s)", "each row of pi is a distribution.");
    }
    mdp_free(m);
}
END_TEST

/* Example 4.1 with v* = −(steps to the nearest corner): every q(s,a) < 0. */
START_TEST(greedy_policy_all_negative_values)
{
    Mdp *m = gw_example_4_1();
    double V[16], pi[64];
    example_4_1_v_star(V);
    for (int i = 0; i < 64; i++) pi[i] = 0;
    dp_greedy_policy(m, V, pi);
    /* (0,1): left into the corner has q = -1 + 0; up bumps (-1 + V(0,1) = -2); right and down -3 */
    const double at01[4] = { [GW_LEFT] = 1.0 };
    ckx_close_array(pi + 1 * 4, at01, 4, TOL_EXACT, "pi(.|(0,1)) on Example 4.1, V = v*",
                    "every q(s,a) is negative here (-1 per step): a maximum that starts at 0 finds no best action. "
                    "Start it at -INFINITY.");
    /* (1,1): up and left both lead 1 step from the corner */
    const double at11[4] = { [GW_UP] = 0.5, [GW_LEFT] = 0.5 };
    ckx_close_array(pi + 5 * 4, at11, 4, TOL_EXACT, "pi(.|(1,1)) on Example 4.1, V = v*", NULL);
    /* (1,2): every move leads to a state 2 steps from a corner: a four-way tie */
    const double at12[4] = { 0.25, 0.25, 0.25, 0.25 };
    ckx_close_array(pi + 6 * 4, at12, 4, TOL_EXACT, "pi(.|(1,2)) on Example 4.1, V = v* (four-way tie)", NULL);
    /* pi is not cleared for the function: every entry must be written, zeros included */
    double again[64];
    for (int i = 0; i < 64; i++) again[i] = 0.5;
    dp_greedy_policy(m, V, again);
    ckx_close_array(again, pi, 64, TOL_EXACT, "pi written over an array that held 0.5 everywhere",
                    "write pi(a|s) for EVERY action: 1/k for the k best, and 0 for the others.");
    mdp_free(m);
}
END_TEST

START_TEST(greedy_policy_splits_ties)
{
    Mdp *m = mdp_alloc(1, 3);
    ck_assert_ptr_nonnull(m);
    m->gamma = 0.0;
    for (int a = 0; a < 3; a++) m->P[mdp_idx(m, 0, a, 0)] = 1.0;
    m->R[mdp_idx(m, 0, 0, 0)] = 1.0;
    m->R[mdp_idx(m, 0, 1, 0)] = 1.0;
    m->R[mdp_idx(m, 0, 2, 0)] = 0.5;
    double V[1] = { 0 }, pi[3] = { 0 };
    dp_greedy_policy(m, V, pi);
    const double want[3] = { 0.5, 0.5, 0.0 };
    ckx_close_array(pi, want, 3, TOL_EXACT, "pi(.|s) with two tied best actions",
                    "spread the probability evenly over every action within DP_TIE_TOL of the maximum.");
    mdp_free(m);

    /* a tie up to rounding: q(0) = 0.1 + 1·V(1) = 0.1 + 0.2 = 0.30000000000000004, q(1) = 0.3 + V(2) = 0.3 */
    m = mdp_alloc(3, 2);
    ck_assert_ptr_nonnull(m);
    m->gamma = 1.0;
    m->P[mdp_idx(m, 0, 0, 1)] = 1.0; m->R[mdp_idx(m, 0, 0, 1)] = 0.1;
    m->P[mdp_idx(m, 0, 1, 2)] = 1.0; m->R[mdp_idx(m, 0, 1, 2)] = 0.3;
    for (int s = 1; s < 3; s++)
        for (int a = 0; a < 2; a++) m->P[mdp_idx(m, s, a, s)] = 1.0;
    double V3[3] = { 0, 0.2, 0 }, pi3[6] = { 0 };
    dp_greedy_policy(m, V3, pi3);
    const double half[2] = { 0.5, 0.5 };
    ckx_close_array(pi3, half, 2, TOL_EXACT, "pi(.|s) for q = 0.1 + 0.2 and 0.3 (equal up to rounding)",
                    "0.1 + 0.2 != 0.3 in floating point: compare q(s,a) >= max - DP_TIE_TOL, not ==.");
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* dp_policy_iteration */

START_TEST(policy_iteration_agrees_with_value_iteration)
{
    Mdp *m = gw_example_3_5();
    double pi[100], V[25] = { 0 }, ref[25], pi_ref[100];
    dp_uniform_policy(m, pi);
    int iters = dp_policy_iteration(m, 1e-10, 100, pi, V, NULL);
    ck_assert_msg(iters >= 2, "policy iteration from the random policy on Example 3.5 returned after %d "
                  "evaluation(s): the random policy is not optimal, so at least 2 are needed. Hint: compare "
                  "greedy(V) with the pi it was evaluated from BEFORE copying it into pi.", iters);
    ckx_close_grid(V, FIG_3_5, 5, 5, TOL_FIG, "V after policy iteration (Fig. 3.5)",
                   "loop: evaluate pi, then pi <- greedy(V), until pi stops changing.");
    ref_optimal_values(m, ref);
    ckx_close_grid(V, ref, 5, 5, 1e-6, "V after policy iteration vs value iteration", NULL);
    dp_greedy_policy(m, ref, pi_ref);
    ckx_close_array(pi, pi_ref, 100, TOL_EXACT, "pi after policy iteration vs greedy(v*)", NULL);
    ck_assert_msg(iters >= 2 && iters <= 10, "policy iteration took %d evaluations; expected 2..10", iters);
    mdp_free(m);
}
END_TEST

/* Example 4.1: the optimal value is minus the number of steps to the nearest
 * terminal corner (Manhattan distance). */
START_TEST(policy_iteration_solves_example_4_1)
{
    Mdp *m = gw_example_4_1();
    double pi[64], V[16] = { 0 }, want[16];
    example_4_1_v_star(want);
    dp_uniform_policy(m, pi);
    int iters = dp_policy_iteration(m, 1e-10, 100, pi, V, NULL);
    ckx_close_grid(V, want, 4, 4, 1e-6, "v* on Example 4.1 (minus the distance to a corner)", NULL);
    /* Evaluation 1 (random policy, Fig. 4.1): its greedy policy is already optimal but breaks fewer ties
     * than greedy(v*) (at (1,2) it picks down and left; all four moves are optimal). Evaluation 2 gives v*,
     * whose greedy policy differs in those ties; evaluation 3 confirms it is stable: 3 evaluations. */
    ck_assert_msg(iters == 3, "policy iteration on Example 4.1 from the random policy returned %d; expected 3 "
                  "evaluations (random -> greedy(V_random) -> greedy(v*), stable). Hint: count every call of "
                  "dp_evaluate_policy, the last one (that finds the policy stable) included.", iters);
    mdp_free(m);
}
END_TEST

/* max_iters = 1: one evaluation of the random policy (Fig. 4.1), one
 * improvement, and the return value 1. */
START_TEST(policy_iteration_stops_at_max_iters)
{
    Mdp *m = gw_example_4_1();
    double pi[64], V[16] = { 0 };
    dp_uniform_policy(m, pi);
    int iters = dp_policy_iteration(m, 1e-10, 1, pi, V, NULL);
    ck_assert_msg(iters == 1, "dp_policy_iteration with max_iters = 1 returned %d; expected 1. Hint: stop after "
                  "max_iters evaluations (while (iters < max_iters)) and return how many were done.", iters);
    ckx_close_grid(V, FIG_4_1, 4, 4, TOL_FIG, "V after one evaluation of the random policy (Fig. 4.1)",
                   "with max_iters = 1 the single evaluation is of the starting (random) policy.");
    const double at12[4] = { [GW_DOWN] = 0.5, [GW_LEFT] = 0.5 };
    ckx_close_array(pi + 6 * 4, at12, 4, TOL_EXACT, "pi(.|(1,2)) after one improvement (greedy of Fig. 4.1)",
                    "after the evaluation, improve once: pi <- greedy(V); neighbours (1,1) and (2,2) tie at -18.");
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* dp_q_value_iteration_sweep */

START_TEST(q_sweep_from_zero)
{
    Mdp *m = gw_example_3_5();
    double Q[100] = { 0 }, Qn[100] = { 0 };
    double d = dp_q_value_iteration_sweep(m, Q, Qn);
    for (int a = 0; a < 4; a++) {
        ckx_close(Qn[GW35_A * 4 + a], 10.0, TOL_EXACT, "Q_1(A, a)", "Q_new(s,a) = r(s,a) + gamma sum P max Q.");
        ckx_close(Qn[GW35_B * 4 + a], 5.0, TOL_EXACT, "Q_1(B, a)", NULL);
    }
    ckx_close(Qn[0 * 4 + GW_UP], -1.0, TOL_EXACT, "Q_1((0,0), up)", NULL);
    ckx_close(Qn[0 * 4 + GW_RIGHT], 0.0, TOL_EXACT, "Q_1((0,0), right)", NULL);
    ckx_close(d, 10.0, TOL_EXACT, "returned max_s |max_a Q_new - max_a Q|", NULL);
    mdp_free(m);
}
END_TEST

/* One state, two actions that stay in it, r = (1, 0), γ = 0.5: Q_new(a) = r(a) + 0.5·max_a' Q(a'). */
START_TEST(q_sweep_by_hand)
{
    Mdp *m = mdp_alloc(1, 2);
    ck_assert_ptr_nonnull(m);
    m->gamma = 0.5;
    for (int a = 0; a < 2; a++) m->P[mdp_idx(m, 0, a, 0)] = 1.0;
    m->R[mdp_idx(m, 0, 0, 0)] = 1.0;
    /* Q = (0, 10): max 10, Q_new = (1 + 5, 0 + 5) = (6, 5); the stopping quantity is |6 − 10| = 4
     * (max |Q_new − Q| over the entries would be 6: not the seed's quantity) */
    double Q[2] = { 0, 10 }, Qn[2] = { 0, 0 };
    double d = dp_q_value_iteration_sweep(m, Q, Qn);
    const double want[2] = { 6, 5 };
    ckx_close_array(Qn, want, 2, TOL_EXACT, "Q_new for Q = (0, 10), r = (1, 0), gamma 0.5",
                    "Q_new(s,a) = r(s,a) + gamma * sum_s' P(s'|s,a) max_a' Q(s',a') = r + 0.5 * 10: did you "
                    "discount by gamma?");
    ckx_close(d, 4.0, TOL_EXACT, "returned stopping quantity for Q = (0, 10) -> (6, 5)",
              "return the seed's max_s |max_a Q_new(s,a) - max_a Q(s,a)| = |6 - 10| = 4, not the largest "
              "change of a single entry (6).");
    /* Q = (−4, −2): max −2, Q_new = (1 − 1, 0 − 1) = (0, −1); quantity |0 − (−2)| = 2 */
    double Qneg[2] = { -4, -2 };
    d = dp_q_value_iteration_sweep(m, Qneg, Qn);
    const double wneg[2] = { 0, -1 };
    ckx_close_array(Qn, wneg, 2, TOL_EXACT, "Q_new for Q = (-4, -2), r = (1, 0), gamma 0.5",
                    "max_a' Q(s',a') of (-4, -2) is -2: start that maximum at -INFINITY, not at 0 (Q values can "
                    "all be negative).");
    ckx_close(d, 2.0, TOL_EXACT, "returned stopping quantity for Q = (-4, -2) -> (0, -1)",
              "|max_a Q_new - max_a Q| = |0 - (-2)| = 2: both maxima start at -INFINITY.");
    mdp_free(m);
}
END_TEST

START_TEST(q_value_iteration_converges_to_q_star)
{
    Mdp *m = gw_example_3_5();
    double Q[100] = { 0 }, V[25], ref[25];
    dp_q_value_iteration(m, 1e-10, 100000, Q);
    ref_optimal_values(m, ref);
    for (int s = 0; s < 25; s++) {
        V[s] = -INFINITY;
        for (int a = 0; a < 4; a++) V[s] = fmax(V[s], Q[s * 4 + a]);
    }
    ckx_close_grid(V, FIG_3_5, 5, 5, TOL_FIG, "max_a Q*(s,a) (Fig. 3.5)",
                   "Q(s,a) is stored at Q[s*A + a] (row s holds the A actions of state s).");
    ckx_close_grid(V, ref, 5, 5, 1e-8, "max_a Q*(s,a) vs an independent v*", NULL);
    /* Bellman consistency, computed here from the model: Q*(s,a) = sum_s' P (r + gamma v*(s')) */
    for (int s = 0; s < 25; s++)
        for (int a = 0; a < 4; a++) {
            double q = 0;
            for (int s2 = 0; s2 < 25; s2++)
                q += m->P[mdp_idx(m, s, a, s2)] * (m->R[mdp_idx(m, s, a, s2)] + 0.9 * ref[s2]);
            ckx_close(Q[s * 4 + a], q, 1e-7, "Q*(s,a) vs r + gamma sum P v*", NULL);
        }
    mdp_free(m);
}
END_TEST

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("01_dp");
    TCase *tc;
    tc = ckx_tcase(s, "dp_q_from_v", 5);
    tcase_add_test(tc, q_from_v_zero_values_is_the_reward);
    tcase_add_test(tc, q_from_v_discounts_the_next_value);
    tcase_add_test(tc, q_from_v_weights_by_transition_probability);
    tc = ckx_tcase(s, "dp_policy_evaluation_sweep", 5);
    tcase_add_test(tc, sync_sweeps_match_figure_4_1);
    tcase_add_test(tc, sync_evaluation_converges_to_figures_3_2_and_4_1);
    tc = ckx_tcase(s, "dp_policy_evaluation_sweep_inplace", 5);
    tcase_add_test(tc, inplace_sweep_uses_new_values);
    tcase_add_test(tc, inplace_converges_faster_to_figure_4_1);
    tc = ckx_tcase(s, "dp_value_iteration_sweep", 5);
    tcase_add_test(tc, value_sweep_from_zero);
    tcase_add_test(tc, value_sweep_all_negative_rewards);
    tcase_add_test(tc, value_iteration_matches_figure_3_5);
    tcase_add_test(tc, value_iteration_honours_tolerance);
    tc = ckx_tcase(s, "dp_greedy_policy", 5);
    tcase_add_test(tc, greedy_policy_of_v_star);
    tcase_add_test(tc, greedy_policy_all_negative_values);
    tcase_add_test(tc, greedy_policy_splits_ties);
    tc = ckx_tcase(s, "dp_policy_iteration", 10);
    tcase_add_test(tc, policy_iteration_agrees_with_value_iteration);
    tcase_add_test(tc, policy_iteration_solves_example_4_1);
    tcase_add_test(tc, policy_iteration_stops_at_max_iters);
    tc = ckx_tcase(s, "dp_q_value_iteration_sweep", 5);
    tcase_add_test(tc, q_sweep_from_zero);
    tcase_add_test(tc, q_sweep_by_hand);
    tcase_add_test(tc, q_value_iteration_converges_to_q_star);
    return s;
}
