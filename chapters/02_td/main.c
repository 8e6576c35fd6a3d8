/* 02_td — tabular TD control on Sutton & Barto's cliff walking (Example 6.6).
 *
 * What it shows:
 *   1. Figure 6.4: the sum of rewards per episode of SARSA and Q-learning
 *      (and Expected SARSA), ε-greedy with ε = 0.1, α = 0.5, averaged over
 *      many independent seeded runs. SARSA ends up near −25, Q-learning near
 *      −50: Q-learning learns the better policy but performs worse online.
 *   2. The greedy path each method has learned: Q-learning's along the cliff
 *      edge (13 steps, optimal), SARSA's further away (the safer route), and
 *      how often each path length occurs over the runs.
 *   3. The learned values max_a Q(s,a) and greedy actions on the grid.
 * Run r of every method uses the seed --seed + r, so a run can be replayed.
 * This file trains and evaluates; main_output.c prints and draws (main.h).
 */
#include "cli.h"
#include "exercise.h"
#include "main.h"
#include "plot.h"
#include "progress.h"
#include "td.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ training */

/* The exercise functions of each method, by TdMethod, for messages. */
static const char *const EPISODE_FN[TD_NUM_METHODS] = { "td_sarsa_episode", "td_qlearning_episode",
                                                         "td_expected_sarsa_episode" };

/* Before training: stop, naming the exercise, if ε-greedy or an update is
 * still its stub (one call each on a hand-made case). */
static void require_written(void)
{
    Rng rng;
    rng_seed(&rng, 1);
    const double q[4] = { 0, 0, 1, 0 };
    int a = td_epsilon_greedy(q, 4, 0.0, &rng);
    if (a != 2) ex_unfinished("02_td", "td_epsilon_greedy", "with epsilon 0 it chose action %d, not the greedy 2", a);
    double Q[3][8] = { { 0 } };   /* 2 states x 4 actions, one table per update rule */
    td_sarsa_update(Q[0], 4, 0, 0, -1, 1, 0, 0, 0.5, 1.0);
    td_qlearning_update(Q[1], 4, 0, 0, -1, 1, 0, 0.5, 1.0);
    td_expected_sarsa_update(Q[2], 4, 0, 0, -1, 1, 0, 0.5, 1.0, 0.1);
    static const char *const fn[3] = { "td_sarsa_update", "td_qlearning_update", "td_expected_sarsa_update" };
    for (int i = 0; i < 3; i++)
        if (ex_all_zero(Q[i], 8))
            ex_unfinished("02_td", fn[i], "a reward of -1 with alpha 0.5 left Q(s,a) at 0");
}

static void train(Result *res, const Mdp *m, int runs, int episodes, double alpha, double epsilon, uint64_t seed,
                  int lo, int quiet)
{
    double *Q = xcalloc((size_t)m->n_states * (size_t)m->n_actions, sizeof *Q, "Q");
    double *ret = xcalloc((size_t)episodes, sizeof *ret, "returns");
    int path[MAX_PATH + 1];
    char label[48];
    snprintf(label, sizeof label, "%s runs", td_method_name(res->method));
    Progress pr;
    progress_start(&pr, label, runs, quiet);
    double t0 = progress_now(), level_sum = 0;
    for (int r = 0; r < runs; r++) {
        Rng rng;
        rng_seed(&rng, seed + (uint64_t)r);
        res->cut += td_run(res->method, m, Q, episodes, alpha, epsilon, &rng, MAX_STEPS, ret);
        if (ex_all_zero(ret, (size_t)episodes))   /* every step costs -1: 0 is what the stub returns */
            ex_unfinished("02_td", EPISODE_FN[res->method], "every episode's sum of rewards is 0");
        double level = 0;
        for (int e = 0; e < episodes; e++) {
            if (!isfinite(ret[e]))
                die(1, "%s run %d episode %d: the sum of rewards is %g; lower --alpha", td_method_name(res->method),
                    r, e, ret[e]);
            res->mean[e] += ret[e] / runs;
            if (e >= lo) level += ret[e] / (episodes - lo);
        }
        res->run_level[r] = level;
        level_sum += level;
        res->path_len[r] = td_greedy_path(m, Q, MAX_PATH, path, NULL);
        progress_update(&pr, r + 1, "level %.1f", level_sum / (r + 1));
    }
    progress_finish(&pr);
    res->seconds = progress_now() - t0;
    free(ret);
    free(Q);
}

/* The run to draw: the first whose greedy path has the most common length
 * over all runs (one run's Q, not an average, so the arrows are a policy some
 * agent really learned). Its Q is recomputed by replaying the run from its
 * seed, which also checks that a run is reproducible. */
static void replay_typical(Result *res, const Mdp *m, int runs, int episodes, double alpha, double epsilon,
                           uint64_t seed)
{
    int count[MAX_PATH + 2] = { 0 };   /* index len + 1, so -1 (a loop) is 0 */
    for (int r = 0; r < runs; r++) count[res->path_len[r] + 1]++;
    int mode = 0;
    for (int i = 1; i < MAX_PATH + 2; i++)
        if (count[i] > count[mode]) mode = i;
    res->shown_count = count[mode];
    res->shown = 0;
    while (res->path_len[res->shown] + 1 != mode) res->shown++;
    Rng rng;
    rng_seed(&rng, seed + (uint64_t)res->shown);
    td_run(res->method, m, res->Qshown, episodes, alpha, epsilon, &rng, MAX_STEPS, NULL);
    int path[MAX_PATH + 1];
    if (td_greedy_path(m, res->Qshown, MAX_PATH, path, NULL) != res->path_len[res->shown])
        die(1, "%s: replaying run %d from seed %llu gave another result: a run is not reproducible",
            td_method_name(res->method), res->shown, (unsigned long long)(seed + (uint64_t)res->shown));
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    int runs = 200, episodes = 500;
    double alpha = 0.5, epsilon = 0.1;
    CliOption opts[] = {
        { "--runs", CLI_INT, &runs, 1, 100000, "independent runs averaged (run r uses seed + r)" },
        { "--episodes", CLI_INT, &episodes, 1, 100000, "episodes per run" },
        { "--alpha", CLI_DOUBLE, &alpha, 1e-6, 1.0, "step size α" },
        { "--epsilon", CLI_DOUBLE, &epsilon, 0.0, 1.0, "exploration probability ε of the ε-greedy policy" },
    };
    CliCommon cl = cli_defaults("02_td", 1);
    cli_parse(argc, argv, "tabular TD control (SARSA, Q-learning, Expected SARSA) on cliff walking", opts,
              ARRAY_LEN(opts), &cl);
    if (cl.quick) {   /* a small run, unless sizes were given explicitly */
        if (runs == 200) runs = 20;
        if (episodes == 500) episodes = 200;
    }
    PlotOpts po = cli_plot_opts(&cl);
    const int lo = episodes > LEVEL_LEN ? episodes - LEVEL_LEN : 0;
    printf("Chapter 02: tabular TD control on cliff walking (S&B Example 6.6)\n");
    printf("%d runs x %d episodes, alpha %g, epsilon %g, gamma 1; seed %llu (run r uses seed + r)\n", runs, episodes,
           alpha, epsilon, (unsigned long long)cl.seed);

    /* ---- setup ---- */
    Mdp *m = gw_cliff();
    if (!m) die(1, "out of memory building the cliff-walking grid");
    const int SA = m->n_states * m->n_actions;
    Result res[TD_NUM_METHODS];
    for (int i = 0; i < TD_NUM_METHODS; i++) {
        res[i] = (Result){ .method = (TdMethod)i };
        res[i].mean = xcalloc((size_t)episodes, sizeof(double), "mean curve");
        res[i].run_level = xcalloc((size_t)runs, sizeof(double), "levels");
        res[i].path_len = xcalloc((size_t)runs, sizeof(int), "path lengths");
        res[i].Qshown = xcalloc((size_t)SA, sizeof(double), "Q of the run drawn");
    }

    /* ---- train ---- */
    require_written();
    for (int i = 0; i < TD_NUM_METHODS; i++) train(&res[i], m, runs, episodes, alpha, epsilon, cl.seed, lo, cl.quiet);

    /* ---- evaluate ---- */
    printf("\nSum of rewards per episode, mean of episodes %d-%d over %d runs (± standard error over runs):\n", lo,
           episodes - 1, runs);
    for (int i = 0; i < TD_NUM_METHODS; i++) {
        double mean, se;
        level_stats(&res[i], runs, &mean, &se);
        printf("  %-15s %7.2f ± %.2f   (%.2f s", td_method_name(res[i].method), mean, se, res[i].seconds);
        if (res[i].cut) printf("; %d episodes cut off at %d steps", res[i].cut, MAX_STEPS);
        printf(")\n");
    }
    printf("  Reference (S&B Fig. 6.4; COURSE.md, 200 runs, episodes 400-499): SARSA -26.9, Q-learning -50.1\n");
    /* the figure draws a moving average: its first points mix the first episodes */
    const int e100 = episodes >= 100 ? 99 : episodes - 1;
    double *sm = xcalloc((size_t)episodes, sizeof *sm, "moving average");
    printf("  Mean over runs, episode 1 / episode %d (%d-episode moving average, as drawn):", e100 + 1, SMOOTH);
    for (int i = 0; i < TD_NUM_METHODS; i++) {
        smooth(res[i].mean, episodes, SMOOTH, sm);
        printf("%s %s %.1f / %.1f", i ? "," : "", td_method_name(res[i].method), res[i].mean[0], sm[e100]);
    }
    printf("\n\n");
    free(sm);
    for (int i = 0; i < TD_NUM_METHODS; i++) print_path_lengths(&res[i], runs);
    printf("  (the shortest path, along the cliff edge, has 13 steps)\n");
    for (int i = 0; i < TD_NUM_METHODS; i++) {
        replay_typical(&res[i], m, runs, episodes, alpha, epsilon, cl.seed);
        print_path_grid(m, &res[i], runs);
    }

    /* ---- plot ---- */
    int failures = 0;
    failures += plot_curves(&po, res, TD_NUM_METHODS, runs, episodes) != 0;
    if (po.format == PLOT_DUMB) {   /* grids as text: the paths are printed above */
        for (int i = 0; i < TD_NUM_METHODS; i++) print_q_table(m, &res[i]);
        printf("(--plot dumb: greedy_paths and q_values are the text grids above)\n");
    } else {
        failures += plot_paths(&po, m, res, TD_NUM_METHODS, runs, episodes) != 0;
        failures += plot_q_values(&po, m, res, TD_NUM_METHODS) != 0;
    }

    /* ---- cleanup ---- */
    for (int i = 0; i < TD_NUM_METHODS; i++) {
        free(res[i].mean); free(res[i].run_level); free(res[i].path_len); free(res[i].Qshown);
    }
    mdp_free(m);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
