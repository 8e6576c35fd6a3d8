/* 01_dp — MDPs and dynamic programming on Sutton & Barto's grid worlds.
 *
 * What it shows:
 *   1. Example 3.5 under the random policy: iterative policy evaluation
 *      reproduces Figure 3.2.
 *   2. Example 3.5 solved by value iteration and by policy iteration: both give
 *      v* of Figure 3.5 and its greedy policy; their Bellman residual per sweep
 *      shows how differently they get there.
 *   3. Example 4.1 (the small grid world): the random policy's values of
 *      Figure 4.1, the greedy policy they imply, and synchronous vs in-place
 *      evaluation sweeps.
 * Everything here is exact arithmetic on a known model: no randomness, so the
 * seed is printed but changes nothing.
 */
#include "cli.h"
#include "dp.h"
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
    double *x = xmalloc(4 * (size_t)cap * sizeof *x, "arrows");
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

/* Values with numbers (left) and the greedy policy as arrows (right). */
static int plot_values_and_policy(const PlotOpts *po, const char *name, const char *title, const Mdp *m,
                                  const double *V, const double *pi, const char *left, const char *right)
{
    Plot *p = plot_begin_multi(po, name, title, 1, 2);
    if (!p) return -1;
    plot_size(p, 1100, 520);
    plot_panel(p, left);
    plot_labels(p, "column", "row");
    plot_heatmap(p, V, m->rows, m->cols, "%.1f");
    plot_panel(p, right);
    plot_labels(p, "column", "row");
    plot_heatmap(p, V, m->rows, m->cols, NULL);
    draw_policy_arrows(p, m, pi);
    return plot_end(p);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
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

    /* ---- 1. Example 3.5, the random policy (Figure 3.2) ---- */
    Mdp *g = gw_example_3_5();
    if (!g) die(1, "out of memory building the Example 3.5 grid world");
    const int S = g->n_states, A = g->n_actions;
    double *pi_rand = xmalloc((size_t)(S * A) * sizeof(double), "random policy");
    double *V_rand = xcalloc((size_t)S, sizeof(double), "V_random");
    dp_uniform_policy(g, pi_rand);
    int n_eval = dp_evaluate_policy(g, pi_rand, theta, 100000, 0, V_rand, NULL);
    printf("\n[Example 3.5] random policy evaluated in %d synchronous sweeps", n_eval);
    print_grid("v_random (S&B Figure 3.2):", g, V_rand);

    Plot *p = plot_begin(&po, "fig3_2_random_policy_values", "Example 3.5: v_π of the random policy (S&B Fig. 3.2)");
    if (p) {
        plot_labels(p, "column", "row");
        plot_heatmap(p, V_rand, g->rows, g->cols, "%.1f");
        plot_label(p, 1, 0.3, "A");
        plot_label(p, 3, 0.3, "B");
    }
    failures += plot_end(p) != 0;

    /* ---- 2. Example 3.5 solved two ways (Figure 3.5) ---- */
    double *V_vi = xcalloc((size_t)S, sizeof(double), "V value iteration");
    double *V_pi = xcalloc((size_t)S, sizeof(double), "V policy iteration");
    double *pi_opt = xmalloc((size_t)(S * A) * sizeof(double), "policy");
    double *pi_vi = xmalloc((size_t)(S * A) * sizeof(double), "greedy policy of V_vi");
    double *res_vi = xmalloc(2 * MAX_TRACE * sizeof(double), "residual traces");
    DpTrace tr_vi = { res_vi, MAX_TRACE, 0 }, tr_pi = { res_vi + MAX_TRACE, MAX_TRACE, 0 };

    int n_vi = dp_value_iteration(g, theta, MAX_TRACE, V_vi, &tr_vi);
    dp_uniform_policy(g, pi_opt);
    int n_improve = dp_policy_iteration(g, theta, 100, pi_opt, V_pi, &tr_pi);
    dp_greedy_policy(g, V_vi, pi_vi);
    double diff = 0;
    for (int s = 0; s < S; s++) diff = fmax(diff, fabs(V_vi[s] - V_pi[s]));
    int same_policy = memcmp(pi_vi, pi_opt, (size_t)(S * A) * sizeof(double)) == 0;
    printf("\n[Example 3.5] value iteration: %d sweeps; policy iteration: %d evaluations, %d sweeps in all\n", n_vi,
           n_improve, tr_pi.len);
    printf("  max |V_vi - V_pi| = %.2e; same greedy policy: %s\n", diff, same_policy ? "yes" : "NO");
    print_grid("v* (S&B Figure 3.5):", g, V_vi);
    printf("  pi*(A) = {");
    for (int a = 0; a < A; a++) printf(" %s %.2f", gw_action_name(a), pi_opt[GW35_A * A + a]);
    printf(" }: every action at A is optimal (all jump to A')\n");

    failures += plot_values_and_policy(&po, "fig3_5_optimal_values_policy",
                                       "Example 3.5 solved (S&B Fig. 3.5)", g, V_vi, pi_opt, "v*", "π* (all optimal actions)") != 0;

    p = plot_begin(&po, "convergence_vi_vs_pi", "Example 3.5: Bellman optimality residual per sweep");
    if (p) {
        plot_labels(p, "sweep (policy-evaluation sweeps for policy iteration)", "‖T*V − V‖_∞");
        plot_log(p, "y");
        plot_line(p, NULL, tr_vi.residual, tr_vi.len, "value iteration");
        plot_line(p, NULL, tr_pi.residual, tr_pi.len, "policy iteration (exact evaluation)");
    }
    failures += plot_end(p) != 0;

    /* ---- 3. Example 4.1 (Figure 4.1) ---- */
    Mdp *small = gw_example_4_1();
    if (!small) die(1, "out of memory building the Example 4.1 grid world");
    const int S4 = small->n_states;
    double *pi4 = xmalloc((size_t)(S4 * A) * sizeof(double), "policy 4.1");
    double *greedy4 = xmalloc((size_t)(S4 * A) * sizeof(double), "greedy policy 4.1");
    double *V_sync = xcalloc((size_t)S4, sizeof(double), "V sync");
    double *V_inpl = xcalloc((size_t)S4, sizeof(double), "V in-place");
    double *res_ev = xmalloc(2 * MAX_TRACE * sizeof(double), "evaluation traces");
    dp_uniform_policy(small, pi4);
    /* per-sweep changes, recorded here by running the sweeps one at a time */
    int n_sync = 0, n_inpl = 0;
    double *W = xmalloc((size_t)S4 * sizeof(double), "scratch");
    for (double d = INFINITY; d >= theta && n_sync < MAX_TRACE;) {
        d = dp_policy_evaluation_sweep(small, pi4, V_sync, W);
        memcpy(V_sync, W, (size_t)S4 * sizeof(double));
        res_ev[n_sync++] = d;
    }
    for (double d = INFINITY; d >= theta && n_inpl < MAX_TRACE;) {
        d = dp_policy_evaluation_sweep_inplace(small, pi4, V_inpl);
        res_ev[MAX_TRACE + n_inpl++] = d;
    }
    dp_greedy_policy(small, V_sync, greedy4);
    printf("\n[Example 4.1] random policy: %d synchronous sweeps, %d in-place sweeps to theta %g\n", n_sync, n_inpl,
           theta);
    print_grid("v_random (S&B Figure 4.1, k = infinity):", small, V_sync);

    failures += plot_values_and_policy(&po, "fig4_1_random_values_greedy_policy",
                                       "Example 4.1: random policy values and their greedy policy (S&B Fig. 4.1)",
                                       small, V_sync, greedy4, "v_{random}", "greedy policy w.r.t. v_{random}") != 0;

    p = plot_begin(&po, "evaluation_sync_vs_inplace", "Example 4.1: policy evaluation, largest change per sweep");
    if (p) {
        plot_labels(p, "sweep", "max_s |V_{k+1}(s) - V_k(s)|");
        plot_log(p, "y");
        plot_line(p, NULL, res_ev, n_sync, "synchronous (two arrays)");
        plot_line(p, NULL, res_ev + MAX_TRACE, n_inpl, "in place (one array)");
    }
    failures += plot_end(p) != 0;

    free(W); free(res_ev); free(V_inpl); free(V_sync); free(greedy4); free(pi4); mdp_free(small);
    free(res_vi); free(pi_vi); free(pi_opt); free(V_pi); free(V_vi); free(V_rand); free(pi_rand); mdp_free(g);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
