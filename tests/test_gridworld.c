/* test_gridworld.c — the grid worlds are the book's: their transitions follow
 * the rules of Examples 3.5, 4.1 and 6.6, and their values under the random
 * policy, computed here by an independent method (a direct linear solve of the
 * Bellman equation, not iterative policy evaluation), match Figures 3.2 and 4.1.
 */
#include "ckx.h"
#include "gridworld.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define TOL_PROB    1e-12   /* a probability row summing to 1 */
#define TOL_SOLVE   1e-9    /* a direct linear solve of a small well-conditioned system */
#define TOL_FIG     0.051   /* a book figure printed to one decimal (0.05 + rounding) */
#define TOL_FIG3    0.001   /* the same figure's first row printed to three places */

/* ------------------------------------------------------------------ helpers */

static Mdp *checked(Mdp *m, const char *what)
{
    ck_assert_msg(m != NULL, "%s returned NULL", what);
    return m;
}

/* Solve A x = b in place (A is n x n row-major, b becomes x) by Gaussian
 * elimination with partial pivoting. Returns 0 if A is singular. */
static int gauss_solve(double *A, double *b, int n)
{
    for (int k = 0; k < n; k++) {
        int piv = k;
        for (int i = k + 1; i < n; i++)
            if (fabs(A[i * n + k]) > fabs(A[piv * n + k])) piv = i;
        if (fabs(A[piv * n + k]) < 1e-14) return 0;
        if (piv != k) {
            for (int j = 0; j < n; j++) {
                double t = A[k * n + j]; A[k * n + j] = A[piv * n + j]; A[piv * n + j] = t;
            }
            double t = b[k]; b[k] = b[piv]; b[piv] = t;
        }
        for (int i = k + 1; i < n; i++) {
            double f = A[i * n + k] / A[k * n + k];
            for (int j = k; j < n; j++) A[i * n + j] -= f * A[k * n + j];
            b[i] -= f * b[k];
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        double sum = b[i];
        for (int j = i + 1; j < n; j++) sum -= A[i * n + j] * b[j];
        b[i] = sum / A[i * n + i];
    }
    return 1;
}

/* v_pi of the equiprobable random policy, by solving the Bellman equation
 *   v(s) = sum_a 1/|A| sum_s' P(s'|s,a) [ r(s,a,s') + gamma v(s') ]
 * as the linear system (I - gamma P_pi) v = r_pi over the non-terminal states
 * (terminal states have v = 0). Reads only m->P, m->R, m->terminal, m->gamma. */
static void random_policy_values(const Mdp *m, double *v)
{
    int S = m->n_states, A = m->n_actions, n = 0;
    int *row = malloc(sizeof *row * (size_t)S);             /* (S) state -> unknown index, -1 if terminal */
    double *M = calloc((size_t)S * S, sizeof *M);           /* (n, n) I - gamma P_pi */
    double *b = calloc((size_t)S, sizeof *b);               /* (n) r_pi, then v */
    ck_assert(row && M && b);
    for (int s = 0; s < S; s++) row[s] = m->terminal[s] ? -1 : n++;
    for (int s = 0; s < S; s++) {
        if (row[s] < 0) continue;
        int i = row[s];
        M[i * n + i] += 1.0;
        for (int a = 0; a < A; a++)
            for (int s2 = 0; s2 < S; s2++) {
                double p = m->P[(s * A + a) * S + s2] / A;
                b[i] += p * m->R[(s * A + a) * S + s2];
                if (row[s2] >= 0) M[i * n + row[s2]] -= m->gamma * p;
            }
    }
    ck_assert_msg(gauss_solve(M, b, n), "I - gamma P_pi is singular: is some non-terminal state absorbing?");
    for (int s = 0; s < S; s++) v[s] = row[s] < 0 ? 0.0 : b[row[s]];
    free(row); free(M); free(b);
}

/* Check one deterministic transition through both the arrays and mdp_step. */
static void expect_move(const Mdp *m, int s, int a, int want_s2, double want_r, int want_done,
                        const char *hint)
{
    char what[160];
    snprintf(what, sizeof what, "%s: P(s'=%d | s=%d, %s)", m->name, want_s2, s, gw_action_name(a));
    ckx_close(m->P[mdp_idx(m, s, a, want_s2)], 1.0, TOL_PROB, what, hint);
    snprintf(what, sizeof what, "%s: r(s=%d, %s, s'=%d)", m->name, s, gw_action_name(a), want_s2);
    ckx_close(m->R[mdp_idx(m, s, a, want_s2)], want_r, TOL_EXACT, what, hint);

    Rng rng; rng_seed(&rng, 11);
    double r; int done;
    int s2 = mdp_step(m, s, a, &rng, &r, &done);
    ck_assert_msg(s2 == want_s2 && r == want_r && done == want_done,
                  "%s: mdp_step(s=%d, %s) gave s'=%d, r=%g, done=%d; expected s'=%d, r=%g, done=%d. Hint: %s",
                  m->name, s, gw_action_name(a), s2, r, done, want_s2, want_r, want_done, hint);
}

/* ------------------------------------------------------------------ all models */

START_TEST(rows_are_distributions)
{
    Mdp *ms[3] = { checked(gw_example_3_5(), "gw_example_3_5"), checked(gw_example_4_1(), "gw_example_4_1"),
                   checked(gw_cliff(), "gw_cliff") };
    for (int k = 0; k < 3; k++) {
        const Mdp *m = ms[k];
        ck_assert_msg(m->n_actions == GW_NUM_ACTIONS && m->rows * m->cols == m->n_states,
                      "%s: %d actions on a %dx%d grid of %d states", m->name, m->n_actions, m->rows,
                      m->cols, m->n_states);
        for (int s = 0; s < m->n_states; s++)
            for (int a = 0; a < m->n_actions; a++) {
                double sum = 0;
                for (int s2 = 0; s2 < m->n_states; s2++) {
                    double p = m->P[mdp_idx(m, s, a, s2)];
                    ck_assert_msg(p >= 0 && p <= 1, "%s: P(%d|%d,%d) = %g", m->name, s2, s, a, p);
                    ck_assert_msg(isfinite(m->R[mdp_idx(m, s, a, s2)]), "%s: r(%d,%d,%d) not finite", m->name, s, a, s2);
                    sum += p;
                }
                char what[128];
                snprintf(what, sizeof what, "%s: sum_s' P(s'|s=%d, a=%d)", m->name, s, a);
                ckx_close(sum, 1.0, TOL_PROB, what, "every (s, a) row must be a probability distribution");
            }
        mdp_free(ms[k]);
    }
}
END_TEST

START_TEST(terminals_absorbing_and_metadata)
{
    Mdp *g35 = checked(gw_example_3_5(), "gw_example_3_5");
    Mdp *g41 = checked(gw_example_4_1(), "gw_example_4_1");
    Mdp *cl = checked(gw_cliff(), "gw_cliff");

    ck_assert_int_eq(g35->rows, 5); ck_assert_int_eq(g35->cols, 5);
    ck_assert_int_eq(g41->rows, 4); ck_assert_int_eq(g41->cols, 4);
    ck_assert_int_eq(cl->rows, CLIFF_ROWS); ck_assert_int_eq(cl->cols, CLIFF_COLS);
    ckx_close(g35->gamma, 0.9, TOL_EXACT, "Example 3.5 gamma", NULL);
    ckx_close(g41->gamma, 1.0, TOL_EXACT, "Example 4.1 gamma", NULL);
    ckx_close(cl->gamma, 1.0, TOL_EXACT, "cliff gamma", NULL);
    ck_assert_int_eq(g35->start, -1);
    ck_assert_int_eq(g41->start, -1);
    ck_assert_int_eq(cl->start, 36);   /* row 3, col 0 */
    ck_assert(g35->name && *g35->name && g41->name && *g41->name && cl->name && *cl->name);

    for (int s = 0; s < 25; s++) ck_assert_msg(!g35->terminal[s], "Example 3.5 has no terminal, but %d is", s);
    for (int s = 0; s < 16; s++)
        ck_assert_msg(g41->terminal[s] == (s == 0 || s == 15), "Example 4.1 terminal[%d] = %d", s, g41->terminal[s]);
    for (int s = 0; s < 48; s++)
        ck_assert_msg(cl->terminal[s] == (s == 47), "cliff terminal[%d] = %d (only the goal 47 is)", s, cl->terminal[s]);

    const Mdp *ms[2] = { g41, cl };
    for (int k = 0; k < 2; k++)
        for (int s = 0; s < ms[k]->n_states; s++) {
            if (!ms[k]->terminal[s]) continue;
            for (int a = 0; a < GW_NUM_ACTIONS; a++)
                expect_move(ms[k], s, a, s, 0.0, 1, "a terminal state is absorbing with reward 0");
        }
    mdp_free(g35); mdp_free(g41); mdp_free(cl);
}
END_TEST

START_TEST(actions_names_and_deltas)
{
    const char *names[4] = { "up", "right", "down", "left" };
    const int dr[4] = { -1, 0, 1, 0 }, dc[4] = { 0, 1, 0, -1 };
    for (int a = 0; a < 4; a++) {
        ck_assert_str_eq(gw_action_name(a), names[a]);
        int r, c;
        gw_action_delta(a, &r, &c);
        ck_assert_msg(r == dr[a] && c == dc[a], "delta of %s: (%d, %d), expected (%d, %d)", names[a], r, c, dr[a], dc[a]);
    }
}
END_TEST

/* ------------------------------------------------------------------ Example 3.5 */

START_TEST(example_3_5_transitions)
{
    Mdp *m = checked(gw_example_3_5(), "gw_example_3_5");
    ck_assert(GW35_A == 0 * 5 + 1 && GW35_A_PRIME == 4 * 5 + 1 && GW35_B == 0 * 5 + 3 && GW35_B_PRIME == 2 * 5 + 3);
    for (int a = 0; a < 4; a++) {
        expect_move(m, 1, a, 21, 10.0, 0, "from A = (0,1) EVERY action jumps to A' = (4,1) with +10");
        expect_move(m, 3, a, 13, 5.0, 0, "from B = (0,3) EVERY action jumps to B' = (2,3) with +5");
    }
    const char *bump = "a move off the grid leaves the state unchanged with reward -1";
    expect_move(m, 0, GW_UP, 0, -1.0, 0, bump);
    expect_move(m, 0, GW_LEFT, 0, -1.0, 0, bump);
    expect_move(m, 24, GW_DOWN, 24, -1.0, 0, bump);
    expect_move(m, 24, GW_RIGHT, 24, -1.0, 0, bump);
    expect_move(m, 10, GW_LEFT, 10, -1.0, 0, bump);
    const char *move = "an ordinary move lands on the neighbour with reward 0 (rows numbered from the top)";
    expect_move(m, 12, GW_RIGHT, 13, 0.0, 0, move);
    expect_move(m, 12, GW_UP, 7, 0.0, 0, move);
    expect_move(m, 12, GW_DOWN, 17, 0.0, 0, move);
    expect_move(m, 12, GW_LEFT, 11, 0.0, 0, move);
    expect_move(m, 0, GW_RIGHT, 1, 0.0, 0, "moving INTO A earns nothing; the +10 comes on leaving it");
    mdp_free(m);
}
END_TEST

/* Fig. 3.2 (right): v_pi of the equiprobable random policy, gamma = 0.9. */
START_TEST(example_3_5_random_policy_matches_fig_3_2)
{
    static const double fig[25] = {
         3.3,  8.8,  4.4,  5.3,  1.5,
         1.5,  3.0,  2.3,  1.9,  0.5,
         0.1,  0.7,  0.7,  0.4, -0.4,
        -1.0, -0.4, -0.4, -0.6, -1.2,
        -1.9, -1.3, -1.2, -1.4, -2.0,
    };
    static const double row0[5] = { 3.309, 8.789, 4.428, 5.322, 1.492 };
    Mdp *m = checked(gw_example_3_5(), "gw_example_3_5");
    double v[25];
    random_policy_values(m, v);
    ckx_close_array(v, row0, 5, TOL_FIG3, "Example 3.5 v_pi, first row (Fig. 3.2, three places)",
                    "check A -> A' (+10), B -> B' (+5) for every action, and -1 for bumps");
    ckx_close_grid(v, fig, 5, 5, TOL_FIG, "Example 3.5 v_pi (Fig. 3.2)",
                   "check A -> A' (+10), B -> B' (+5) for every action, and -1 for bumps");
    mdp_free(m);
}
END_TEST

/* Fig. 3.5: v_* by value iteration, v(s) <- max_a sum_s' P [r + gamma v(s')],
 * iterated until the change is below 1e-12 (a contraction with modulus 0.9). */
START_TEST(example_3_5_optimal_matches_fig_3_5)
{
    static const double fig[25] = {
        22.0, 24.4, 22.0, 19.4, 17.5,
        19.8, 22.0, 19.8, 17.8, 16.0,
        17.8, 19.8, 17.8, 16.0, 14.4,
        16.0, 17.8, 16.0, 14.4, 13.0,
        14.4, 16.0, 14.4, 13.0, 11.7,
    };
    Mdp *m = checked(gw_example_3_5(), "gw_example_3_5");
    double v[25] = { 0 }, nv[25];
    for (int sweep = 0; sweep < 10000; sweep++) {
        double delta = 0;
        for (int s = 0; s < 25; s++) {
            double best = -INFINITY;
            for (int a = 0; a < 4; a++) {
                double q = 0;
                for (int s2 = 0; s2 < 25; s2++) {
                    double p = m->P[(s * 4 + a) * 25 + s2];
                    q += p * (m->R[(s * 4 + a) * 25 + s2] + 0.9 * v[s2]);
                }
                best = fmax(best, q);
            }
            nv[s] = best;
            delta = fmax(delta, fabs(nv[s] - v[s]));
        }
        for (int s = 0; s < 25; s++) v[s] = nv[s];
        if (delta < 1e-12) break;
    }
    ckx_close_grid(v, fig, 5, 5, TOL_FIG, "Example 3.5 v_* (Fig. 3.5)", "the optimal values depend on the same A/B rules");
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------ Example 4.1 */

START_TEST(example_4_1_transitions)
{
    Mdp *m = checked(gw_example_4_1(), "gw_example_4_1");
    expect_move(m, 1, GW_LEFT, 0, -1.0, 1, "the move into a terminal costs -1 like any other and ends the episode");
    expect_move(m, 14, GW_RIGHT, 15, -1.0, 1, "the move into a terminal costs -1 like any other and ends the episode");
    expect_move(m, 1, GW_UP, 1, -1.0, 0, "a bump stays put and still costs -1");
    expect_move(m, 7, GW_RIGHT, 7, -1.0, 0, "a bump stays put and still costs -1");
    expect_move(m, 5, GW_DOWN, 9, -1.0, 0, "every move costs -1");
    mdp_free(m);
}
END_TEST

/* Fig. 4.1 (k = infinity): the random policy's values are exact integers,
 * so the direct solve must hit them to solver precision. */
START_TEST(example_4_1_random_policy_matches_fig_4_1)
{
    static const double fig[16] = {
          0, -14, -20, -22,
        -14, -18, -20, -20,
        -20, -20, -18, -14,
        -22, -20, -14,   0,
    };
    Mdp *m = checked(gw_example_4_1(), "gw_example_4_1");
    double v[16];
    random_policy_values(m, v);
    ckx_close_grid(v, fig, 4, 4, TOL_SOLVE, "Example 4.1 v_pi (Fig. 4.1)",
                   "-1 per move including bumps; terminals 0 and 15 absorbing with reward 0");
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------ cliff walking */

START_TEST(cliff_transitions)
{
    Mdp *m = checked(gw_cliff(), "gw_cliff");
    const char *cliff = "a step into the cliff gives -100 and returns to the start WITHOUT ending the episode";
    expect_move(m, 36, GW_RIGHT, 36, -100.0, 0, cliff);
    expect_move(m, 2 * 12 + 1, GW_DOWN, 36, -100.0, 0, cliff);
    expect_move(m, 2 * 12 + 10, GW_DOWN, 36, -100.0, 0, cliff);
    expect_move(m, 2 * 12 + 11, GW_DOWN, 47, -1.0, 1, "the step into the goal costs -1 and ends the episode");
    expect_move(m, 36, GW_UP, 24, -1.0, 0, "up from the start (3,0) is (2,0), -1");
    expect_move(m, 36, GW_LEFT, 36, -1.0, 0, "a bump against the wall stays put with -1");
    expect_move(m, 36, GW_DOWN, 36, -1.0, 0, "a bump against the wall stays put with -1");
    expect_move(m, 0, GW_UP, 0, -1.0, 0, "a bump against the wall stays put with -1");
    expect_move(m, 2 * 12 + 5, GW_RIGHT, 2 * 12 + 6, -1.0, 0, "an ordinary move costs -1");
    mdp_free(m);
}
END_TEST

START_TEST(cliff_cells_never_entered)
{
    Mdp *m = checked(gw_cliff(), "gw_cliff");
    for (int s = 0; s < 48; s++)
        for (int a = 0; a < 4; a++)
            for (int c = 37; c <= 46; c++)
                ck_assert_msg(m->P[mdp_idx(m, s, a, c)] == 0.0,
                              "P(s'=%d | s=%d, %s) = %g: the agent must never occupy a cliff cell (37..46)",
                              c, s, gw_action_name(a), m->P[mdp_idx(m, s, a, c)]);
    mdp_free(m);
}
END_TEST

/* Q-learning's greedy path (Example 6.6): up, 11 x right, down: 13 steps, -13. */
START_TEST(cliff_safe_edge_path)
{
    Mdp *m = checked(gw_cliff(), "gw_cliff");
    Rng rng; rng_seed(&rng, 5);
    int path[13], s = m->start, done = 0;
    path[0] = GW_UP;
    for (int i = 1; i <= 11; i++) path[i] = GW_RIGHT;
    path[12] = GW_DOWN;
    double ret = 0;
    for (int i = 0; i < 13; i++) {
        ck_assert_msg(!done, "episode ended early, after step %d of 13", i);
        double r;
        s = mdp_step(m, s, path[i], &rng, &r, &done);
        ret += r;
    }
    ck_assert_msg(done && s == CLIFF_GOAL, "after the 13-step edge path: s = %d, done = %d (expected %d, 1)",
                  s, done, CLIFF_GOAL);
    ckx_close(ret, -13.0, TOL_EXACT, "return of the 13-step cliff-edge path", "-1 per step, including the last");
    mdp_free(m);
}
END_TEST

/* ------------------------------------------------------------------ hand-built MDPs */

START_TEST(alloc_is_empty)
{
    Mdp *m = checked(mdp_alloc(3, 2), "mdp_alloc(3, 2)");
    ck_assert_int_eq(m->n_states, 3);
    ck_assert_int_eq(m->n_actions, 2);
    ck_assert_int_eq(m->start, -1);
    for (int i = 0; i < 3 * 2 * 3; i++) ck_assert(m->P[i] == 0.0 && m->R[i] == 0.0);
    for (int s = 0; s < 3; s++) ck_assert(m->terminal[s] == 0);
    ck_assert_int_eq(mdp_idx(m, 2, 1, 0), 15);
    mdp_free(m);
    ck_assert_ptr_null(mdp_alloc(0, 2));
    ck_assert_ptr_null(mdp_alloc(2, 0));
    mdp_free(NULL);
}
END_TEST

START_TEST(expected_reward_by_hand)
{
    Mdp *m = checked(mdp_alloc(3, 2), "mdp_alloc(3, 2)");
    /* (s=1, a=1): 0.2 -> 0 with r=5, 0.5 -> 1 with r=-2, 0.3 -> 2 with r=10:
     * r(s,a) = 1 - 1 + 3 = 3 */
    m->P[mdp_idx(m, 1, 1, 0)] = 0.2; m->R[mdp_idx(m, 1, 1, 0)] = 5;
    m->P[mdp_idx(m, 1, 1, 1)] = 0.5; m->R[mdp_idx(m, 1, 1, 1)] = -2;
    m->P[mdp_idx(m, 1, 1, 2)] = 0.3; m->R[mdp_idx(m, 1, 1, 2)] = 10;
    m->R[mdp_idx(m, 1, 0, 2)] = 99;   /* a reward on a zero-probability transition counts for nothing */
    ckx_close(mdp_expected_reward(m, 1, 1), 3.0, TOL_EXACT, "r(1,1)", "sum_s' P(s'|s,a) r(s,a,s')");
    ckx_close(mdp_expected_reward(m, 1, 0), 0.0, TOL_EXACT, "r(1,0)", "weight each reward by its probability");
    mdp_free(m);
}
END_TEST

/* Pearson chi-square with 2 degrees of freedom: 99.9% quantile 13.82. */
START_TEST(step_samples_with_the_model_probabilities)
{
    Mdp *m = checked(mdp_alloc(3, 2), "mdp_alloc(3, 2)");
    const double p[3] = { 0.3, 0.6, 0.1 }, r[3] = { 1, 2, 3 };
    for (int s2 = 0; s2 < 3; s2++) {
        m->P[mdp_idx(m, 0, 1, s2)] = p[s2];
        m->R[mdp_idx(m, 0, 1, s2)] = r[s2];
    }
    m->P[mdp_idx(m, 0, 0, 2)] = 1.0;   /* the other action must not be used */
    m->terminal[2] = 1;
    Rng rng; rng_seed(&rng, 21);
    const int n = 60000;
    int count[3] = { 0 };
    for (int i = 0; i < n; i++) {
        double rew; int done;
        int s2 = mdp_step(m, 0, 1, &rng, &rew, &done);
        ck_assert_msg(s2 >= 0 && s2 < 3, "mdp_step returned state %d", s2);
        ck_assert_msg(rew == r[s2] && done == (s2 == 2),
                      "s' = %d came with reward %g, done %d (expected %g, %d)", s2, rew, done, r[s2], s2 == 2);
        count[s2]++;
    }
    double chi = 0;
    for (int k = 0; k < 3; k++) chi += (count[k] - n * p[k]) * (count[k] - n * p[k]) / (n * p[k]);
    ck_assert_msg(chi < 13.82, "s' counts %d %d %d for P = (0.3, 0.6, 0.1): chi-square %.2f >= 13.82. "
                  "Hint: sample from row P(.|s,a) at index (s*A + a)*S", count[0], count[1], count[2], chi);
    mdp_free(m);
}
END_TEST

Suite *make_gridworld_suite(void)
{
    Suite *s = suite_create("gridworld");
    TCase *tc = ckx_tcase(s, "gridworld", 10);
    tcase_add_test(tc, rows_are_distributions);
    tcase_add_test(tc, terminals_absorbing_and_metadata);
    tcase_add_test(tc, actions_names_and_deltas);
    tcase_add_test(tc, example_3_5_transitions);
    tcase_add_test(tc, example_3_5_random_policy_matches_fig_3_2);
    tcase_add_test(tc, example_3_5_optimal_matches_fig_3_5);
    tcase_add_test(tc, example_4_1_transitions);
    tcase_add_test(tc, example_4_1_random_policy_matches_fig_4_1);
    tcase_add_test(tc, cliff_transitions);
    tcase_add_test(tc, cliff_cells_never_entered);
    tcase_add_test(tc, cliff_safe_edge_path);
    tcase_add_test(tc, alloc_is_empty);
    tcase_add_test(tc, expected_reward_by_hand);
    tcase_add_test(tc, step_samples_with_the_model_probabilities);
    return s;
}
