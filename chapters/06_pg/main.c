/* 06_pg — REINFORCE on CartPole-v1, with and without a baseline.
 *
 * What it shows:
 *   1. Learning curves of three REINFORCE variants on the course's CartPole
 *      axes (mean return of the last 100 training episodes against
 *      environment steps; mean over seeds with the min–max band):
 *        - no baseline (A_t = G_t, reward-to-go),
 *        - the average baseline (the mean G at the same time index over the
 *          batch's other episodes),
 *        - the chapter's main method: a learned value network V(s) as the
 *          baseline, normalised advantages, bootstrapping at truncation.
 *   2. For each variant and seed: solved or not (the first 100 consecutive
 *      TRAINING episodes with mean return >= 475), the environment steps and
 *      wall time it took, and the level at the end of the budget.
 *   3. The variance of the gradient estimate with each baseline, measured at
 *      checkpoints along one run of the main method: at frozen parameters,
 *      --var-batches independent batches of N episodes, one estimate ĝ of
 *      each kind per batch (the same episodes for all three), and the total
 *      variance tr Cov(ĝ) of each kind.
 * Seed s of every variant is --seed + s; runs are spread over --threads
 * threads, one run per thread, with the same results on any number.
 */
#include "cartpole.h"
#include "cli.h"
#include "exercise.h"
#include "main.h"
#include "parallel.h"
#include "pg.h"
#include "plot.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_GRID  251        /* learning-curve points */

/* ------------------------------------------------------------------ the variants */

const Variant VARIANTS[N_VARIANTS] = {
    { "no baseline", "no baseline", PG_BASELINE_NONE, 0, 0 },
    { "average baseline", "average baseline (other episodes, same time step)", PG_BASELINE_AVERAGE, 0, 0 },
    { "learned V(s) baseline, normalised (main)", "learned V(s) baseline", PG_BASELINE_VALUE, 1, 1 },
};

/* ------------------------------------------------------------------ runs */

typedef struct {
    int variant;
    PgConfig cfg;
    uint64_t seed;
    Probe *probe;       /* NULL except for the one run that measures variance */
    EpisodeLog log;
    long solved;        /* env step of solving (eplog_cartpole_solved), -1 if not */
    double seconds;     /* wall time of the run (the probe's time excluded) */
} Job;

/* The jobs in the order they are started: the probed run first (it takes longest). */
typedef struct {
    Job *jobs;
    const int *order;
} Runs;

static void run_job(void *ctx, int i)
{
    Runs *r = ctx;
    Job *j = &r->jobs[r->order[i]];
    double t0 = progress_now();
    pg_train_cartpole(&j->cfg, j->seed, &j->log, j->probe ? probe_checkpoint : NULL, j->probe);
    j->solved = eplog_cartpole_solved(&j->log, j->cfg.max_steps);   /* the course's rule (eplog.h) */
    j->seconds = progress_now() - t0 - (j->probe ? j->probe->seconds : 0.0);
}

/* Before training: stop, naming the exercise, if one the runs use is still
 * its stub (one call each on a hand-made case; exercise.h). */
static void require_written(const PgConfig *cfg)
{
    const char *ch = "06_pg";
    Rng rng;
    rng_seed(&rng, 1);
    const float logits[2] = { -20, 20 };
    if (pg_categorical_sample(logits, 2, &rng) != 1)
        ex_unfinished(ch, "pg_categorical_sample", "with logits (-20, 20) it chose action 0");
    float dl[2] = { 0, 0 };
    const float zero[2] = { 0, 0 };
    if (pg_categorical_logprob(zero, 2, 0, dl) == 0 && ex_all_zerof(dl, 2))
        ex_unfinished(ch, "pg_categorical_logprob", "log pi(0) = 0 for logits (0, 0), not -log 2");
    const float rewards[2] = { 1, 1 };
    const int ends[2] = { PG_CONTINUES, PG_TERMINATED };
    float rtg[2] = { 0, 0 }, adv[2] = { 0, 0 };
    pg_reward_to_go(rewards, ends, NULL, 2, 0.5, rtg);
    if (ex_all_zerof(rtg, 2)) ex_unfinished(ch, "pg_reward_to_go", "every G_t is 0 for rewards (1, 1)");
    pg_advantages(PG_BASELINE_NONE, rtg, ends, NULL, 2, adv);
    if (ex_all_zerof(adv, 2)) ex_unfinished(ch, "pg_advantages", "every advantage is 0 with no baseline");
    float a3[3] = { 1, 2, 3 };
    pg_normalize_advantages(a3, 3, 1e-8);
    if (a3[0] == 1 && a3[2] == 3) ex_unfinished(ch, "pg_normalize_advantages", "(1, 2, 3) came back unchanged");
    const PgDist d = pg_categorical(2);
    const float action = 1, one = 1;
    float dp[2] = { 0, 0 };
    if (pg_surrogate_grad(&d, zero, &action, &one, 1, 1.0, dp) == 0 && ex_all_zerof(dp, 2))
        ex_unfinished(ch, "pg_surrogate_grad", "loss 0 and gradient 0 for advantage 1");
    MlpSpec spec = { .n_layers = 2, .sizes = { 4, cfg->hidden, 2 }, .act = cfg->act };
    Mlp *policy = mlp_create(&spec, 1, &rng);
    const float obs[4] = { 0.1f, -0.2f, 0.3f, -0.4f };
    mlp_zero_grad(policy);
    pg_policy_gradient(policy, &d, obs, &action, &one, 1, 1.0);
    if (ex_all_zerof(policy->grads, (size_t)policy->n_params))
        ex_unfinished(ch, "pg_policy_gradient", "every gradient of the policy network is 0 for advantage 1");
    mlp_free(policy);
}

/* ------------------------------------------------------------------ output */

static int print_results(const Job *jobs, int seeds, long budget)
{
    int main_failures = 0;
    long *steps = xcalloc((size_t)seeds, sizeof *steps, "solved steps");
    for (int v = 0; v < N_VARIANTS; v++) {
        const Job *js = jobs + (size_t)v * seeds;
        printf("\n%s%s:\n", VARIANTS[v].label, v == MAIN_VARIANT ? " — the method that must solve every seed" : "");
        printf("  %-6s %-12s %15s %9s %16s %8s\n", "seed", "solved", "steps to solve", "episodes", "last 100 at end",
               "wall s");
        for (int s = 0; s < seeds; s++) {
            const Job *j = &js[s];
            double last = j->log.n ? eplog_window_mean(&j->log, j->log.n - 1, EPLOG_SOLVE_WINDOW) : NAN;
            char at[24] = "-";
            if (j->solved >= 0) snprintf(at, sizeof at, "%ld", j->solved);
            printf("  %-6llu %-12s %15s %9d %16.1f %8.2f\n", (unsigned long long)j->seed,
                   j->solved >= 0 ? "yes" : "NOT SOLVED", at, j->log.n, last, j->seconds);
            steps[s] = j->solved;
        }
        char line[160];
        int solved = eplog_solved_summary(steps, seeds, line, sizeof line);
        printf("  %s\n", line);
        if (v == MAIN_VARIANT && solved < seeds) {
            main_failures = seeds - solved;
            printf("  *** NOT SOLVED: the main method missed %d of %d seeds within %ld steps ***\n", seeds - solved,
                   seeds, budget);
        }
    }
    free(steps);
    return main_failures;
}

/* ------------------------------------------------------------------ figures */

static int plot_learning_curves(const PlotOpts *po, const Job *jobs, int seeds, long budget)
{
    double grid[N_GRID];
    for (int g = 0; g < N_GRID; g++) grid[g] = (double)budget * g / (N_GRID - 1);   /* the axis ends at the budget */
    double *mean = xmalloc(3 * (size_t)N_VARIANTS * N_GRID * sizeof *mean, "bands");
    double *lo = mean + N_VARIANTS * N_GRID, *hi = lo + N_VARIANTS * N_GRID;
    char text[N_VARIANTS][96];
    const char *labels[N_VARIANTS];
    const EpisodeLog **logs = xmalloc((size_t)seeds * sizeof *logs, "logs");
    long *budgets = xmalloc((size_t)seeds * sizeof *budgets, "budgets");
    for (int v = 0; v < N_VARIANTS; v++) {
        const Job *js = jobs + (size_t)v * seeds;
        int solved = 0;
        for (int s = 0; s < seeds; s++) {
            logs[s] = &js[s].log;
            budgets[s] = budget + 2500;   /* nothing beyond the budget (the last batch may pass it) */
            solved += js[s].solved >= 0;
        }
        eplog_runs_band(logs, budgets, seeds, grid, N_GRID, EPLOG_SOLVE_WINDOW, mean + (size_t)v * N_GRID,
                        lo + (size_t)v * N_GRID, hi + (size_t)v * N_GRID);
        snprintf(text[v], sizeof text[v], "%s (solved %d/%d)", VARIANTS[v].label, solved, seeds);
        labels[v] = text[v];
    }
    free(budgets);
    free(logs);
    char title[160];
    snprintf(title, sizeof title, "CartPole-v1: REINFORCE with and without a baseline, mean over %d seeds, min–max band",
             seeds);
    int rc = eplog_plot_cartpole(po, "learning_curves", title, N_VARIANTS, labels, grid, N_GRID, mean, lo, hi, (double)budget);
    free(mean);
    return rc;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    PgConfig base = pg_default_config(0);
    int seeds = 10, threads = 2, var_batches = 40, budget = (int)base.max_steps;
    double lr = base.lr_policy, lr_value = base.lr_value;
    int batch = base.episodes_per_batch, hidden = base.hidden;
    CliOption opts[] = {
        { "--seeds", CLI_INT, &seeds, 1, 256, "independent runs per variant (run s uses seed + s)" },
        { "--steps", CLI_INT, &budget, 1000, 5e6, "budget: environment steps per run" },
        { "--batch", CLI_INT, &batch, 1, 1000, "N: episodes per policy update" },
        { "--lr", CLI_DOUBLE, &lr, 1e-6, 1.0, "Adam step size of the policy" },
        { "--lr-value", CLI_DOUBLE, &lr_value, 1e-6, 1.0, "Adam step size of the value network" },
        { "--hidden", CLI_INT, &hidden, 1, 1024, "hidden units of the policy and value networks" },
        { "--var-batches", CLI_INT, &var_batches, 2, 10000, "M: gradient estimates per variance checkpoint" },
        { "--threads", CLI_INT, &threads, 1, 64, "worker threads (one run each)" },
    };
    CliCommon cl = cli_defaults("06_pg", 1);
    cli_parse(argc, argv, "REINFORCE on CartPole-v1 with and without a baseline", opts, ARRAY_LEN(opts), &cl);
    if (cl.quick) {   /* a smoke run, unless sizes were given explicitly */
        if (seeds == 10) seeds = 2;
        if (budget == base.max_steps) budget = (int)pg_default_config(1).max_steps;
        if (var_batches == 40) var_batches = 8;
    }
    PlotOpts po = cli_plot_opts(&cl);
    printf("Chapter 06: REINFORCE on CartPole-v1 (policy 4-%d-2 %s, Adam lr %g, N = %d episodes per update, "
           "gamma %g)\n", hidden, nn_act_name(base.act), lr, batch, base.gamma);
    printf("%d seeds per variant (seed %llu + s), budget %d environment steps per run, %d thread(s).\n", seeds,
           (unsigned long long)cl.seed, budget, threads);
    printf("Solved = the first 100 consecutive TRAINING episodes (sampled actions) with mean return >= 475.\n");

    /* ---- setup ---- */
    Job *jobs = xcalloc((size_t)N_VARIANTS * seeds, sizeof *jobs, "runs");
    Probe *probe = xcalloc(1, sizeof *probe, "variance probe");
    probe->M = var_batches;
    probe->N = batch;
    probe->gamma = base.gamma;
    rng_seed(&probe->rng, cl.seed ^ 0x9e3779b97f4a7c15ULL);
    probe->env_rng = rng_split(&probe->rng);
    for (int v = 0; v < N_VARIANTS; v++)
        for (int s = 0; s < seeds; s++) {
            Job *j = &jobs[(size_t)v * seeds + s];
            j->variant = v;
            j->cfg = base;
            j->cfg.baseline = VARIANTS[v].baseline;
            j->cfg.normalize = VARIANTS[v].normalize;
            j->cfg.bootstrap = VARIANTS[v].bootstrap;
            j->cfg.max_steps = budget;
            j->cfg.lr_policy = (float)lr;
            j->cfg.lr_value = (float)lr_value;
            j->cfg.episodes_per_batch = batch;
            j->cfg.hidden = hidden;
            j->seed = cl.seed + (uint64_t)s;
            j->probe = v == MAIN_VARIANT && s == 0 ? probe : NULL;
            eplog_init(&j->log);
        }

    require_written(&base);

    /* ---- train: the probed run first (it takes longest), then the rest in order ---- */
    const int n_jobs = N_VARIANTS * seeds;
    int *order = xmalloc((size_t)n_jobs * sizeof *order, "job order");
    order[0] = MAIN_VARIANT * seeds;
    for (int i = 0, k = 1; i < n_jobs; i++)
        if (i != MAIN_VARIANT * seeds) order[k++] = i;
    Runs runs = { jobs, order };
    Progress progress;
    progress_start(&progress, "REINFORCE runs", n_jobs, cl.quiet);
    double t0 = progress_now();
    if (threads > n_jobs) threads = n_jobs;
    par_for(n_jobs, threads, run_job, &runs, &progress);
    progress_finish(&progress);
    double wall = progress_now() - t0;
    free(order);

    /* ---- evaluate ---- */
    int failures = print_results(jobs, seeds, budget);
    print_probe(probe, cl.seed);
    printf("\nAll runs: %.1f s wall on %d thread(s).\n", wall, threads);
    if (failures) printf("*** NOT SOLVED in %d seed(s) of the main method: see the table above. ***\n", failures);

    /* ---- plot ---- */
    int plot_failures = 0;
    plot_failures += plot_learning_curves(&po, jobs, seeds, budget) != 0;
    plot_failures += plot_variance(&po, probe, cl.seed) != 0;

    /* ---- cleanup ---- */
    for (int i = 0; i < N_VARIANTS * seeds; i++) eplog_free(&jobs[i].log);
    free(jobs);
    free(probe);
    if (plot_failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", plot_failures);
        return 1;
    }
    return 0;
}
