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
#include "parallel.h"
#include "pg.h"
#include "plot.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X_MAX   500000.0   /* the course's CartPole x axis (chapters 05, 06, 07) */
#define N_GRID  251        /* learning-curve points, every 2000 steps */
#define WINDOW  100        /* "solved" and the curves: the last 100 episodes */

/* ------------------------------------------------------------------ the variants */

typedef struct {
    const char *label;     /* legend and table */
    const char *baseline_label;   /* the baseline alone (variance figure) */
    PgBaseline baseline;
    int normalize, bootstrap;
} Variant;

static const Variant VARIANTS[] = {
    { "no baseline", "no baseline", PG_BASELINE_NONE, 0, 0 },
    { "average baseline", "average baseline (other episodes, same time step)", PG_BASELINE_AVERAGE, 0, 0 },
    { "learned V(s) baseline, normalised (main)", "learned V(s) baseline", PG_BASELINE_VALUE, 1, 1 },
};
#define N_VARIANTS 3
#define MAIN_VARIANT 2

/* ------------------------------------------------------------------ variance probe */

/* Checkpoints (environment steps) at which the gradient variance is measured. */
static const long CHECKPOINTS[] = { 0, 10000, 20000, 40000, 60000, 80000, 100000, 150000, 200000, 300000, 400000,
                                    500000 };
#define MAX_CP ((int)(sizeof CHECKPOINTS / sizeof CHECKPOINTS[0]))

/* The two kinds of returns-to-go the estimators are built on. */
enum { RET_MC, RET_BOOT, N_RET };
static const char *const RET_NAME[N_RET] = {
    "Monte Carlo returns (cut at the 500-step limit)",
    "returns bootstrapped with V at the 500-step limit (as the main method trains)",
};

typedef struct {
    int n_cp;                   /* measurements taken (points of the figure) */
    int next;                   /* the next entry of CHECKPOINTS to reach */
    int M, N;                   /* batches per checkpoint, episodes per batch */
    double gamma;
    Rng rng, env_rng;           /* the probe's own streams: training is not disturbed */
    long step[MAX_CP];          /* the step at which each was measured */
    double trace[MAX_CP][N_RET][N_VARIANTS];   /* tr Cov(ĝ) per kind of return and baseline */
    double signal[MAX_CP][N_RET];  /* ‖E ĝ‖², estimated without bias from the least noisy estimator */
    double mean_return[MAX_CP]; /* mean return of the probe's episodes */
    double seconds;             /* time spent measuring */
} Probe;

/* At frozen parameters: M batches of N episodes; per batch one estimate
 * ĝ = (1/N) Σ_i Σ_t ∇log π(a_t|s_t) A_t for each kind of return and each
 * baseline, all from the same episodes. The advantages are not normalised,
 * so for one kind of return the three baselines estimate the same vector. */
static void probe_measure(Probe *pr, long step, Mlp *policy, Mlp *value)
{
    double t0 = progress_now();
    const PgDist dist = pg_categorical(CARTPOLE_ACTIONS);
    const int P = policy->n_params, E = N_RET * N_VARIANTS;
    float *g = xmalloc((size_t)E * pr->M * P * sizeof *g, "gradient estimates");
    PgBatch b;
    pg_batch_init(&b);
    double ret = 0.0;
    for (int m = 0; m < pr->M; m++) {
        pg_batch_clear(&b);
        pg_collect_episodes(&b, policy, pr->N, &pr->rng, &pr->env_rng);
        for (int e = 0; e < b.episodes; e++) ret += b.ep_return[e];
        float *buf = xmalloc((size_t)b.T * 4 * sizeof *buf, "probe buffers");
        float *rtg = buf, *adv = buf + b.T, *vals = adv + b.T, *boot = vals + b.T;
        pg_values(value, b.obs, b.T, vals);
        for (int t = 0; t < b.T; t++)
            boot[t] = b.ends[t] == PG_TRUNCATED
                          ? mlp_forward(value, b.final_obs + (size_t)t * CARTPOLE_OBS_DIM, 1, NN_EVAL)[0] : 0.0f;
        for (int r = 0; r < N_RET; r++) {
            pg_reward_to_go(b.rewards, b.ends, r == RET_BOOT ? boot : NULL, b.T, pr->gamma, rtg);
            for (int v = 0; v < N_VARIANTS; v++) {
                pg_advantages(VARIANTS[v].baseline, rtg, b.ends, vals, b.T, adv);
                mlp_zero_grad(policy);
                pg_policy_gradient(policy, &dist, b.obs, b.actions, adv, b.T, 1.0 / pr->N);
                float *row = g + ((size_t)(r * N_VARIANTS + v) * pr->M + m) * P;
                for (int j = 0; j < P; j++) row[j] = -policy->grads[j];   /* ĝ = −∂L/∂θ */
            }
        }
        free(buf);
    }
    int k = pr->n_cp++;
    pr->step[k] = step;
    pr->mean_return[k] = ret / ((double)pr->M * pr->N);
    for (int r = 0; r < N_RET; r++) {
        double best = INFINITY;
        for (int v = 0; v < N_VARIANTS; v++) {
            double msq;
            double tr = pg_total_variance(g + (size_t)(r * N_VARIANTS + v) * pr->M * P, pr->M, P, &msq);
            pr->trace[k][r][v] = tr;
            if (tr < best) {   /* E‖ḡ‖² = ‖E ĝ‖² + tr/M */
                best = tr;
                pr->signal[k][r] = msq - tr / pr->M;
            }
        }
        /* a signal no larger than the noise of its own estimate is not measured: NaN */
        if (!(pr->signal[k][r] > best / pr->M)) pr->signal[k][r] = NAN;
    }
    mlp_zero_grad(policy);
    pg_batch_free(&b);
    free(g);
    pr->seconds += progress_now() - t0;
}

static void probe_checkpoint(void *ctx, long step, Mlp *policy, Mlp *value)
{
    Probe *pr = ctx;
    if (pr->next >= MAX_CP || step < CHECKPOINTS[pr->next]) return;
    probe_measure(pr, step, policy, value);
    while (pr->next < MAX_CP && step >= CHECKPOINTS[pr->next]) pr->next++;   /* one batch may pass two */
}

/* ------------------------------------------------------------------ runs */

typedef struct {
    int variant;
    PgConfig cfg;
    uint64_t seed;
    Probe *probe;       /* NULL except for the one run that measures variance */
    EpisodeLog log;
    long solved;        /* env step of solving, -1 if not */
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
    j->solved = pg_train_cartpole(&j->cfg, j->seed, &j->log, j->probe ? probe_checkpoint : NULL, j->probe);
    j->seconds = progress_now() - t0 - (j->probe ? j->probe->seconds : 0.0);
}

/* ------------------------------------------------------------------ output */

static int print_results(const Job *jobs, int seeds, long budget)
{
    int main_failures = 0;
    for (int v = 0; v < N_VARIANTS; v++) {
        const Job *js = jobs + (size_t)v * seeds;
        printf("\n%s%s:\n", VARIANTS[v].label, v == MAIN_VARIANT ? " — the method that must solve every seed" : "");
        printf("  %-6s %-12s %15s %9s %16s %8s\n", "seed", "solved", "steps to solve", "episodes", "last 100 at end",
               "wall s");
        int solved = 0;
        long steps[256];
        for (int s = 0; s < seeds; s++) {
            const Job *j = &js[s];
            double last = j->log.n ? eplog_window_mean(&j->log, j->log.n - 1, WINDOW) : NAN;
            if (j->solved >= 0) {
                steps[solved++] = j->solved;
                printf("  %-6llu %-12s %15ld %9d %16.1f %8.2f\n", (unsigned long long)j->seed, "yes", j->solved,
                       j->log.n, last, j->seconds);
            } else {
                printf("  %-6llu %-12s %15s %9d %16.1f %8.2f\n", (unsigned long long)j->seed, "NOT SOLVED", "-",
                       j->log.n, last, j->seconds);
            }
        }
        for (int a = 1; a < solved; a++)   /* insertion sort for the median */
            for (int b = a; b > 0 && steps[b] < steps[b - 1]; b--) { long t = steps[b]; steps[b] = steps[b - 1]; steps[b - 1] = t; }
        if (solved)
            printf("  solved %d of %d seeds; steps to solve: median %ld, min %ld, max %ld\n", solved, seeds,
                   solved % 2 ? steps[solved / 2] : (steps[solved / 2 - 1] + steps[solved / 2]) / 2, steps[0],
                   steps[solved - 1]);
        else
            printf("  solved 0 of %d seeds\n", seeds);
        if (v == MAIN_VARIANT && solved < seeds) {
            main_failures = seeds - solved;
            printf("  *** NOT SOLVED: the main method missed %d of %d seeds within %ld steps ***\n", seeds - solved,
                   seeds, budget);
        }
    }
    return main_failures;
}

static void print_probe(const Probe *pr, uint64_t seed)
{
    printf("\nGradient variance along the main run (seed %llu): at frozen parameters, %d estimates from %d episodes "
           "each\n", (unsigned long long)seed, pr->M, pr->N);
    printf("(total variance tr Cov of ghat = (1/N) sum_i sum_t grad log pi(a_t|s_t) A_t; the same episodes for every "
           "column)\n");
    for (int r = 0; r < N_RET; r++) {
        printf("  %s:\n", RET_NAME[r]);
        printf("  %8s %9s %12s %12s %12s %11s %12s\n", "step", "mean ret", "no baseline", "average", "value V(s)",
               "none/value", "|E ghat|^2");
        for (int k = 0; k < pr->n_cp; k++) {
            char sig[24] = "-";
            if (!isnan(pr->signal[k][r])) snprintf(sig, sizeof sig, "%.4g", pr->signal[k][r]);
            printf("  %8ld %9.1f %12.4g %12.4g %12.4g %11.1f %12s\n", pr->step[k], pr->mean_return[k],
                   pr->trace[k][r][0], pr->trace[k][r][1], pr->trace[k][r][2],
                   pr->trace[k][r][0] / pr->trace[k][r][2], sig);
        }
    }
    printf("  (|E ghat|^2 = |mean|^2 - tr/M of the least noisy column, an unbiased estimate of the squared gradient;\n"
           "   '-' where it is not larger than its own noise tr/M: there the gradient itself is ~0.)\n");
    printf("  (%.1f s of measuring, not counted in the run's wall time)\n", pr->seconds);
}

/* ------------------------------------------------------------------ figures */

static int plot_learning_curves(const PlotOpts *po, const Job *jobs, int seeds, long budget)
{
    double grid[N_GRID];
    for (int g = 0; g < N_GRID; g++) grid[g] = X_MAX * g / (N_GRID - 1);
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
        eplog_runs_band(logs, budgets, seeds, grid, N_GRID, WINDOW, mean + (size_t)v * N_GRID, lo + (size_t)v * N_GRID,
                        hi + (size_t)v * N_GRID);
        snprintf(text[v], sizeof text[v], "%s (solved %d/%d)", VARIANTS[v].label, solved, seeds);
        labels[v] = text[v];
    }
    free(budgets);
    free(logs);
    char title[160];
    snprintf(title, sizeof title, "CartPole-v1: REINFORCE with and without a baseline, mean over %d seeds, min–max band",
             seeds);
    int rc = eplog_plot_cartpole(po, "learning_curves", title, N_VARIANTS, labels, grid, N_GRID, mean, lo, hi, X_MAX);
    free(mean);
    return rc;
}

/* Two panels (Monte Carlo and bootstrapped returns), log y on a common range.
 * A value <= 0 or NaN (an estimate that is exactly 0; a signal lost in the
 * noise) is written as NaN: gnuplot leaves a gap there. */
static int plot_variance(const PlotOpts *po, const Probe *pr, uint64_t seed)
{
    char title[200];
    snprintf(title, sizeof title, "Variance of the REINFORCE gradient estimate at frozen parameters, along a run of "
             "the main method (seed %llu; %d estimates of %d episodes each)", (unsigned long long)seed, pr->M, pr->N);
    Plot *p = plot_begin_multi(po, "gradient_variance", title, 1, N_RET);
    if (!p) return -1;
    plot_size(p, 1400, 600);
    double lo = INFINITY, hi = 0;
    for (int k = 0; k < pr->n_cp; k++)
        for (int r = 0; r < N_RET; r++) {
            for (int v = 0; v < N_VARIANTS; v++)
                if (pr->trace[k][r][v] > 0) { lo = fmin(lo, pr->trace[k][r][v]); hi = fmax(hi, pr->trace[k][r][v]); }
            if (pr->signal[k][r] > 0) { lo = fmin(lo, pr->signal[k][r]); hi = fmax(hi, pr->signal[k][r]); }
        }
    double x[MAX_CP], y[MAX_CP];
    for (int k = 0; k < pr->n_cp; k++) x[k] = (double)pr->step[k];
    for (int r = 0; r < N_RET; r++) {
        plot_panel(p, RET_NAME[r]);
        plot_labels(p, "environment steps of training", "total variance tr Cov(ĝ)  (log scale)");
        plot_log(p, "y");
        plot_xrange(p, -0.02 * X_MAX, X_MAX);   /* the points at step 0 in full */
        if (hi > 0) plot_yrange(p, pow(10, floor(log10(lo)) - 3), pow(10, ceil(log10(hi)) + 1));   /* room for the key */
        plot_raw(p, "set key inside bottom left");
        for (int v = 0; v <= N_VARIANTS; v++) {
            for (int k = 0; k < pr->n_cp; k++) {
                double val = v < N_VARIANTS ? pr->trace[k][r][v] : pr->signal[k][r];
                y[k] = val > 0 ? val : NAN;
            }
            char style[48];   /* line and points in one colour; the gradient itself dashed black */
            snprintf(style, sizeof style, v < N_VARIANTS ? "lc %d" : "lc rgb '#000000' dt 2", v + 1);
            plot_next_style(p, style);
            plot_line(p, x, y, pr->n_cp, v < N_VARIANTS ? VARIANTS[v].baseline_label
                                                        : "‖E ĝ‖², the squared gradient itself (where above its noise)");
            snprintf(style, sizeof style, v < N_VARIANTS ? "lc %d" : "lc rgb '#000000'", v + 1);
            plot_next_style(p, style);
            plot_points(p, x, y, pr->n_cp, NULL);
        }
        if (r == RET_MC) {
            double ylab = pow(10, 0.5 * (log10(lo) + log10(hi)) - 1.5);
            plot_label(p, 0.62 * X_MAX, ylab, "average baseline: exactly 0 (not drawn) once");
            plot_label(p, 0.62 * X_MAX, ylab / 4, "every episode is cut at 500 steps:");
            plot_label(p, 0.62 * X_MAX, ylab / 16, "then G_t depends on t only");
        }
    }
    return plot_end(p);
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
