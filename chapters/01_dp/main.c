/* 01_dp — MDPs and dynamic programming on Sutton & Barto's grid worlds.
 *
 * What it shows:
 *   1. Example 3.5 under the random policy: iterative policy evaluation
 *      reproduces Figure 3.2.
 *   2. Example 3.5 solved by value iteration, by policy iteration and by
 *      Q-value iteration: all give v* of Figure 3.5 and its greedy policy;
 *      the Bellman residual per sweep shows how differently they get there.
 *   3. Example 4.1 (the small grid world): Figure 4.1 as the book draws it,
 *      V_k of the random policy for k = 0, 1, 2, 3, 10, ∞ with the greedy
 *      policy of each (optimal from k = 3 on), and synchronous vs in-place
 *      evaluation sweeps.
 * Everything here is exact arithmetic on a known model: no randomness, so the
 * seed is printed but changes nothing.
 */
#include "cli.h"
#include "dp.h"
#include "exercise.h"
#include "plot.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRACE 20000

/* ------------------------------------------------------------------ output */

static void print_grid(const char *title, const Mdp *m, const double *V)
{
    printf("\n%s\n", title);
    for (int r = 0; r < m->rows; r++) {
        for (int c = 0; c < m->cols; c++) printf("%7.1f", V[r * m->cols + c]);
        printf("\n");
    }
}

/* One arrow per action with pi(a|s) > 0, from the cell centre; none at terminals. */
static void draw_policy_arrows(Plot *p, const Mdp *m, const double *pi)
{
    int cap = m->n_states * m->n_actions, n = 0;
    double *x = xcalloc(4 * (size_t)cap, sizeof *x, "arrows");
    double *y = x + cap, *dx = y + cap, *dy = dx + cap;
    for (int s = 0; s < m->n_states; s++) {
        if (m->terminal[s]) continue;
        for (int a = 0; a < m->n_actions; a++) {
            if (pi[s * m->n_actions + a] <= 0) continue;
            int drow, dcol;
            gw_action_delta(a, &drow, &dcol);
            x[n] = s % m->cols; y[n] = s / m->cols;
            dx[n] = 0.38 * dcol; dy[n] = 0.38 * drow;
            n++;
        }
    }
    plot_arrows(p, x, y, dx, dy, n, NULL);
    free(x);
}

/* A small label on a white box at (x, y) in cell coordinates: readable on any colour. */
static void boxed_label(Plot *p, double x, double y, const char *text)
{
    char cmd[160];
    plot_raw(p, "set style textbox opaque fc rgb '#ffffff' noborder margins 1,1");
    snprintf(cmd, sizeof cmd, "set label '%s' at %g,%g center front boxed font ',9'", text, x, y);
    plot_raw(p, cmd);
}

/* Terminal cells shaded grey (as in the book); labelled where cells are large. */
static void mark_terminals(Plot *p, const Mdp *m, int labelled)
{
    for (int s = 0; s < m->n_states; s++) {
        if (!m->terminal[s]) continue;
        double c = s % m->cols, r = s / m->cols;
        char cmd[200];
        snprintf(cmd, sizeof cmd, "set object rect from %g,%g to %g,%g front fc rgb '#8c8c8c' "
                 "fs transparent solid 0.75 noborder", c - 0.5, r - 0.5, c + 0.5, r + 0.5);
        plot_raw(p, cmd);
        if (labelled) boxed_label(p, c, r + 0.3, "terminal");
    }
}

/* A value table: the heatmap with the value printed in each cell, colour bar
 * labelled (cblabel) or left out (NULL). Axis labels only when `axes`. */
static void value_panel(Plot *p, const Mdp *m, const double *V, const char *cblabel, int axes)
{
    char cmd[96];
    if (axes) plot_labels(p, "column", "row");
    if (cblabel) {
        snprintf(cmd, sizeof cmd, "set cblabel '%s' offset 1,0", cblabel);
        plot_raw(p, cmd);
    }
    plot_heatmap(p, V, m->rows, m->cols, "%.1f");
    if (!cblabel) plot_raw(p, "unset colorbox");
    mark_terminals(p, m, axes);
}

/* The policy as arrows over the values' colours; colour bar as in value_panel. */
static void policy_panel(Plot *p, const Mdp *m, const double *V, const double *pi, const char *cblabel, int axes)
{
    char cmd[96];
    if (axes) plot_labels(p, "column", "row");
    if (cblabel) {
        snprintf(cmd, sizeof cmd, "set cblabel '%s' offset 1,0", cblabel);
        plot_raw(p, cmd);
    }
    plot_heatmap(p, V, m->rows, m->cols, NULL);
    if (!cblabel) plot_raw(p, "unset colorbox");
    draw_policy_arrows(p, m, pi);
    mark_terminals(p, m, axes);
}

/* A jump of Example 3.5 (every action in `from` leads to `to`): an arrow
 * beside the printed values, black on a white halo, with its reward. */
static void jump_arrow(Plot *p, int from, int to, const char *reward)
{
    double c = from % 5 + 0.3, r0 = from / 5 - 0.2, r1 = to / 5 - 0.35;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "set arrow from %g,%g to %g,%g nohead front lw 5 lc rgb '#ffffff'", c, r0, c, r1);
    plot_raw(p, cmd);
    snprintf(cmd, sizeof cmd, "set arrow from %g,%g to %g,%g head filled size screen 0.015,25 front lw 2 "
             "lc rgb '#000000'", c, r0, c, r1);
    plot_raw(p, cmd);
    boxed_label(p, c + 0.2, (r0 + r1) / 2, reward);
}

/* Every action pi takes (pi(a|s) > 0) is one the optimal policy pi_opt takes. */
static int takes_only_optimal_actions(const Mdp *m, const double *pi, const double *pi_opt)
{
    for (int i = 0; i < m->n_states * m->n_actions; i++)
        if (!m->terminal[i / m->n_actions] && pi[i] > 0 && pi_opt[i] <= 0) return 0;
    return 1;
}

/* The program stops, naming the exercise, when a result is what its stub leaves. */
static void need(int ok, const char *exercise, const char *seen)
{
    if (!ok) ex_unfinished("01_dp", exercise, "%s", seen);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    /* ---- setup */
    double theta = 1e-10;
    CliOption opts[] = {
        { "--theta", CLI_DOUBLE, &theta, 1e-14, 1.0, "stop a loop when a sweep changes no value by this much" },
    };
    CliCommon cl = cli_defaults("01_dp", 1);
    cli_parse(argc, argv, "dynamic programming on Sutton & Barto's grid worlds", opts, ARRAY_LEN(opts), &cl);
    PlotOpts po = cli_plot_opts(&cl);
    printf("Chapter 01: MDPs and dynamic programming (theta %g; seed %llu, unused: all exact)\n", theta,
           (unsigned long long)cl.seed);
    int failures = 0;

    /* ---- 1. Example 3.5, the random policy (Figure 3.2) */
    Mdp *g = gw_example_3_5();
    if (!g) die(1, "out of memory building the Example 3.5 grid world");
    const int S = g->n_states, A = g->n_actions;
    double *pi_rand = xcalloc((size_t)(S * A), sizeof(double), "random policy");
    double *V_rand = xcalloc((size_t)S, sizeof(double), "V_random");
    dp_uniform_policy(g, pi_rand);
    need(dp_q_from_v(g, V_rand, GW35_A, 0) != 0, "dp_q_from_v", "q(A, up) = 0 with V = 0, where the jump to A' pays +10");
    int n_eval = dp_evaluate_policy(g, pi_rand, theta, 100000, 0, V_rand, NULL);
    need(!ex_all_zero(V_rand, (size_t)S), "dp_policy_evaluation_sweep", "v_random is 0 in every state");
    printf("\n[Example 3.5] random policy evaluated in %d synchronous sweeps", n_eval);
    print_grid("v_random (S&B Figure 3.2):", g, V_rand);

    Plot *p = plot_begin(&po, "fig3_2_random_policy_values", "Example 3.5: v_π of the random policy (S&B Fig. 3.2)");
    if (p) {
        plot_size(p, 760, 620);
        value_panel(p, g, V_rand, "v_π(s)", 1);
        boxed_label(p, 1, 0.3, "A");
        boxed_label(p, 1, 4.3, "A′");
        boxed_label(p, 3, 0.3, "B");
        boxed_label(p, 3, 2.3, "B′");
        jump_arrow(p, GW35_A, GW35_A_PRIME, "+10");
        jump_arrow(p, GW35_B, GW35_B_PRIME, "+5");
    }
    failures += plot_end(p) != 0;

    /* ---- 2. Example 3.5 solved three ways (Figure 3.5) */
    double *V_vi = xcalloc((size_t)S, sizeof(double), "V value iteration");
    double *V_pi = xcalloc((size_t)S, sizeof(double), "V policy iteration");
    double *Q = xcalloc((size_t)(S * A), sizeof(double), "Q");
    double *pi_opt = xcalloc((size_t)(S * A), sizeof(double), "policy");
    double *pi_vi = xcalloc((size_t)(S * A), sizeof(double), "greedy policy of V_vi");
    double *res_vi = xcalloc(2 * MAX_TRACE, sizeof(double), "residual traces");
    DpTrace tr_vi = { res_vi, MAX_TRACE, 0 }, tr_pi = { res_vi + MAX_TRACE, MAX_TRACE, 0 };

    int n_vi = dp_value_iteration(g, theta, MAX_TRACE, V_vi, &tr_vi);
    need(!ex_all_zero(V_vi, (size_t)S), "dp_value_iteration_sweep", "v* from value iteration is 0 in every state");
    dp_greedy_policy(g, V_vi, pi_vi);
    need(!ex_all_zero(pi_vi, (size_t)(S * A)), "dp_greedy_policy", "the greedy policy is 0 for every action");
    dp_uniform_policy(g, pi_opt);
    int n_improve = dp_policy_iteration(g, theta, 100, pi_opt, V_pi, &tr_pi);
    need(n_improve > 0 && !ex_all_zero(V_pi, (size_t)S), "dp_policy_iteration",
         "0 evaluations, v from policy iteration 0 in every state");
    int n_qvi = dp_q_value_iteration(g, theta, MAX_TRACE, Q);
    need(!ex_all_zero(Q, (size_t)(S * A)), "dp_q_value_iteration_sweep", "Q* is 0 for every state and action");
    double diff = 0, diff_q = 0;
    for (int s = 0; s < S; s++) {
        double vq = -INFINITY;
        for (int a = 0; a < A; a++) vq = fmax(vq, Q[s * A + a]);
        diff = fmax(diff, fabs(V_vi[s] - V_pi[s]));
        diff_q = fmax(diff_q, fabs(V_vi[s] - vq));
    }
    int same_policy = memcmp(pi_vi, pi_opt, (size_t)(S * A) * sizeof(double)) == 0;
    printf("\n[Example 3.5] value iteration: %d sweeps; policy iteration: %d evaluations (%d improvements), %d sweeps "
           "in all; Q-value iteration: %d sweeps\n", n_vi, n_improve, n_improve - 1, tr_pi.len, n_qvi);
    printf("  max |V_vi - V_pi| = %.2e; max |V_vi - max_a Q| = %.2e; same greedy policy: %s\n", diff, diff_q,
           same_policy ? "yes" : "NO");
    print_grid("v* (S&B Figure 3.5):", g, V_vi);
    printf("  pi*(A) = {");
    for (int a = 0; a < A; a++) printf(" %s %.2f", gw_action_name(a), pi_opt[GW35_A * A + a]);
    printf(" }: every action at A is optimal (all jump to A')\n");

    p = plot_begin_multi(&po, "fig3_5_optimal_values_policy", "Example 3.5 solved (S&B Fig. 3.5)", 1, 2);
    if (p) {
        plot_size(p, 1100, 520);
        plot_panel(p, "v*");
        value_panel(p, g, V_vi, "v*(s)", 1);
        plot_panel(p, "π* (all optimal actions)");
        policy_panel(p, g, V_vi, pi_opt, "v*(s)", 1);
    }
    failures += plot_end(p) != 0;

    p = plot_begin(&po, "convergence_vi_vs_pi", "Example 3.5: Bellman optimality residual per sweep");
    if (p) {
        plot_labels(p, "sweep (policy-evaluation sweeps for policy iteration)", "‖T*V − V‖_∞");
        plot_log(p, "y");
        plot_line(p, NULL, tr_vi.residual, tr_vi.len, "value iteration");
        plot_line(p, NULL, tr_pi.residual, tr_pi.len, "policy iteration (exact evaluation)");
    }
    failures += plot_end(p) != 0;

    /* ---- 3. Example 4.1 (Figure 4.1): V_k and its greedy policy for k = 0, 1, 2, 3, 10, ∞ */
    Mdp *small = gw_example_4_1();
    if (!small) die(1, "out of memory building the Example 4.1 grid world");
    const int S4 = small->n_states;
    enum { NSNAP = 6 };
    static const int snap_k[NSNAP] = { 0, 1, 2, 3, 10, -1 };   /* -1: converged (k = ∞) */
    double *pi4 = xcalloc((size_t)(S4 * A), sizeof(double), "policy 4.1");
    double *V_star4 = xcalloc((size_t)S4, sizeof(double), "v* 4.1");
    double *pi_star4 = xcalloc((size_t)(S4 * A), sizeof(double), "optimal policy 4.1");
    double *V_snap = xcalloc((size_t)(NSNAP * S4), sizeof(double), "V_k snapshots");
    double *pi_snap = xcalloc((size_t)(NSNAP * S4 * A), sizeof(double), "greedy policies of V_k");
    double *V_sync = xcalloc((size_t)S4, sizeof(double), "V sync");
    double *V_inpl = xcalloc((size_t)S4, sizeof(double), "V in-place");
    double *W = xcalloc((size_t)S4, sizeof(double), "scratch");
    double *res_ev = xcalloc(2 * MAX_TRACE, sizeof(double), "evaluation traces");
    dp_uniform_policy(small, pi4);
    dp_value_iteration(small, theta, MAX_TRACE, V_star4, NULL);
    dp_greedy_policy(small, V_star4, pi_star4);
    /* sweeps one at a time, to record each sweep's change and the snapshots V_k */
    int n_sync = 0, n_inpl = 0, next_snap = 0;
    for (double d = INFINITY; d >= theta && n_sync < MAX_TRACE;) {
        if (next_snap < NSNAP - 1 && snap_k[next_snap] == n_sync)
            memcpy(V_snap + (size_t)next_snap++ * S4, V_sync, (size_t)S4 * sizeof(double));
        d = dp_policy_evaluation_sweep(small, pi4, V_sync, W);
        memcpy(V_sync, W, (size_t)S4 * sizeof(double));
        res_ev[n_sync++] = d;
    }
    while (next_snap < NSNAP) memcpy(V_snap + (size_t)next_snap++ * S4, V_sync, (size_t)S4 * sizeof(double));
    for (double d = INFINITY; d >= theta && n_inpl < MAX_TRACE;) {
        d = dp_policy_evaluation_sweep_inplace(small, pi4, V_inpl);
        res_ev[MAX_TRACE + n_inpl++] = d;
    }
    need(!ex_all_zero(V_inpl, (size_t)S4), "dp_policy_evaluation_sweep_inplace", "V is 0 in every state after it");
    printf("\n[Example 4.1] random policy: %d synchronous sweeps, %d in-place sweeps to theta %g\n", n_sync, n_inpl,
           theta);
    printf("  V_k of the random policy and whether its greedy policy is optimal (S&B Figure 4.1):\n");
    for (int i = 0; i < NSNAP; i++) {
        dp_greedy_policy(small, V_snap + (size_t)i * S4, pi_snap + (size_t)i * S4 * A);
        char k[16];
        snprintf(k, sizeof k, snap_k[i] < 0 ? "inf" : "%d", snap_k[i]);
        printf("  k = %-3s", k);
        for (int s = 0; s < S4; s++) printf("%s%6.1f", s % small->cols ? "" : " |", V_snap[(size_t)i * S4 + s]);
        printf(" | greedy policy optimal: %s\n",
               takes_only_optimal_actions(small, pi_snap + (size_t)i * S4 * A, pi_star4) ? "yes" : "no");
    }

    p = plot_begin_multi(&po, "fig4_1_random_values_greedy_policy",
                         "S&B Fig. 4.1: V_k of the random policy, greedy policy w.r.t. V_k",
                         NSNAP, 2);
    if (p) {
        plot_size(p, 680, 1560);
        for (int i = 0; i < NSNAP; i++) {
            char title[64];
            const double *V = V_snap + (size_t)i * S4;
            if (snap_k[i] < 0) snprintf(title, sizeof title, "V_k, k = ∞");
            else snprintf(title, sizeof title, "V_k, k = %d%s", snap_k[i], i == 0 ? " (grey: terminal)" : "");
            plot_panel(p, title);
            value_panel(p, small, V, "V_k(s)", 0);
            plot_cbrange(p, -22, 0);
            plot_panel(p, takes_only_optimal_actions(small, pi_snap + (size_t)i * S4 * A, pi_star4)
                              ? "greedy policy (optimal)" : "greedy policy");
            policy_panel(p, small, V, pi_snap + (size_t)i * S4 * A, NULL, 0);
            plot_cbrange(p, -22, 0);
        }
    }
    failures += plot_end(p) != 0;

    p = plot_begin(&po, "evaluation_sync_vs_inplace", "Example 4.1: policy evaluation, largest change per sweep");
    if (p) {
        plot_labels(p, "sweep", "max_s |V_{k+1}(s) - V_k(s)|");
        plot_log(p, "y");
        plot_line(p, NULL, res_ev, n_sync, "synchronous (two arrays)");
        plot_line(p, NULL, res_ev + MAX_TRACE, n_inpl, "in place (one array)");
    }
    failures += plot_end(p) != 0;

    /* ---- cleanup */
    free(res_ev); free(W); free(V_inpl); free(V_sync); free(pi_snap); free(V_snap); free(pi_star4); free(V_star4);
    free(pi4); mdp_free(small);
    free(res_vi); free(pi_vi); free(pi_opt); free(Q); free(V_pi); free(V_vi); free(V_rand); free(pi_rand);
    mdp_free(g);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
