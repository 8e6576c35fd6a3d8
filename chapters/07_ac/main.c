/* 07_ac — actor-critic methods on CartPole-v1: online actor-critic, A2C with
 * GAE, and PPO with the clipped surrogate.
 *
 * What it shows:
 *   1. Learning curves of the three methods on the course's CartPole axes
 *      (mean return of the last 100 training episodes against environment
 *      steps; mean over seeds with the min–max band).
 *   2. For each method and seed: solved or not (the first 100 consecutive
 *      TRAINING episodes with mean return >= 475), the environment steps and
 *      wall time it took, and the final level.
 *   3. PPO's diagnostics per update: the clip fraction, the approximate KL
 *      between the policy before and after the update (Schulman's k3
 *      estimator over the rollout), and the policy's entropy.
 * Seed s of every method is --seed + s; runs are spread over --threads
 * threads, one run per thread, and give the same results on any number.
 */
#include "ac.h"
#include "cli.h"
#include "exercise.h"
#include "parallel.h"
#include "plot.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_GRID   251        /* learning-curve points */

/* One training run: a method and a seed, and what came out. */
typedef struct {
    AcConfig cfg;
    uint64_t seed;
    EpisodeLog log;
    AcTrace trace;
    long solved;        /* env step of solving (eplog_cartpole_solved), -1 if not */
    double seconds;     /* wall time of the run */
    double cpu;         /* CPU time of the run's thread (less than wall when the machine is busy) */
} Job;

/* What a training job needs besides its Job. */
typedef struct {
    Job *jobs;
    int quiet;
} Runs;

static void print_job(const Job *j)
{
    double last = j->log.n ? eplog_window_mean(&j->log, j->log.n - 1, EPLOG_SOLVE_WINDOW) : NAN;
    if (j->solved >= 0)
        printf("  %-9s seed %-3llu solved at %7ld steps   wall %5.2f s (cpu %5.2f s)   %5d episodes, last 100: %5.1f\n",
               ac_method_name(j->cfg.method), (unsigned long long)j->seed, j->solved, j->seconds, j->cpu, j->log.n,
               last);
    else
        printf("  %-9s seed %-3llu NOT SOLVED in %ld steps   wall %5.2f s (cpu %5.2f s)   %5d episodes, last 100: "
               "%5.1f\n", ac_method_name(j->cfg.method), (unsigned long long)j->seed, j->cfg.budget, j->seconds,
               j->cpu, j->log.n, last);
    fflush(stdout);
}

/* One job; its line is one printf, so lines of parallel jobs never mix. */
static void run_job(void *ctx, int i)
{
    Runs *r = ctx;
    Job *j = &r->jobs[i];
    double t0 = progress_now(), c0 = progress_thread_cpu();
    ac_train_cartpole(&j->cfg, j->seed, &j->log, j->cfg.method == AC_ONLINE ? NULL : &j->trace, 1);
    j->solved = eplog_cartpole_solved(&j->log, j->cfg.budget);   /* the course's rule (eplog.h) */
    j->seconds = progress_now() - t0;
    j->cpu = progress_thread_cpu() - c0;
    if (!r->quiet) print_job(j);
}

/* Before training: stop, naming the exercise, if one is still its stub (one
 * call each on a hand-made case; exercise.h). */
static void require_written(void)
{
    const char *ch = "07_ac";
    if (ac_td_error(1, 0, 0, 0, 0.9) == 0) ex_unfinished(ch, "ac_td_error", "delta = 0 for r = 1, V(s) = V(s') = 0");
    const PgDist d = pg_categorical(2);
    const float params[2] = { 0, 0 }, action = 1;
    float dp[2] = { 0, 0 };
    double dv = 0;
    if (ac_online_grads(&d, params, &action, 1, 0, 0, 0, 0.9, 0, dp, &dv) == 0 && dv == 0 && ex_all_zerof(dp, 2))
        ex_unfinished(ch, "ac_online_grads", "delta and every gradient 0 for r = 1");
    const double r[2] = { 1, 1 }, v[2] = { 0, 0 };
    const int ends[2] = { CP_RUNNING, CP_TERMINATED };
    double adv[2] = { 0, 0 }, ret[2] = { 0, 0 }, dvv[2] = { 0, 0 };
    ac_gae(2, r, v, v, ends, 0.9, 0.95, adv, ret);
    if (ex_all_zero(adv, 2) && ex_all_zero(ret, 2)) ex_unfinished(ch, "ac_gae", "every advantage and return is 0");
    if (ac_value_loss(2, v, NULL, r, 0, dvv) == 0 && ex_all_zero(dvv, 2))
        ex_unfinished(ch, "ac_value_loss", "loss 0 and gradient 0 for V = 0, R = 1");
    const double lp_new[1] = { -0.5 }, lp_old[1] = { -0.7 }, a1[1] = { 1 };
    double dlogp[1] = { 0 };
    if (ppo_clip_objective(1, lp_new, lp_old, a1, 0.2, dlogp) == 0 && dlogp[0] == 0)
        ex_unfinished(ch, "ppo_clip_objective", "J = 0 and dJ/dlogp = 0 for advantage 1");
    const double old[1] = { -0.6931 };
    const PpoBatch b = { .n = 1, .action = &action, .logp_old = old, .adv = a1, .v_old = v, .ret = r };
    const PpoCoefs c = { .clip_eps = 0.2, .value_coef = 0.5, .entropy_coef = 0.0, .value_clip = 0 };
    const float vf[1] = { 0 };
    float dvf[1] = { 0 };
    if (ppo_loss_grads(&b, &d, params, vf, &c, dp, dvf, NULL) == 0 && ex_all_zerof(dp, 2) && dvf[0] == 0)
        ex_unfinished(ch, "ppo_loss_grads", "loss 0 and every gradient 0 for advantage 1");
}

/* ------------------------------------------------------------------ figures */

static int plot_learning_curves(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds,
                                double x_max)
{
    double grid[N_GRID];
    for (int g = 0; g < N_GRID; g++) grid[g] = x_max * g / (N_GRID - 1);
    double *mean = xmalloc(3 * (size_t)n_methods * N_GRID * sizeof *mean, "bands");
    double *lo = mean + (size_t)n_methods * N_GRID, *hi = lo + (size_t)n_methods * N_GRID;
    const char *labels[AC_NUM_METHODS];
    char text[AC_NUM_METHODS][96];
    const EpisodeLog **logs = xmalloc((size_t)seeds * sizeof *logs, "logs");
    long *budgets = xmalloc((size_t)seeds * sizeof *budgets, "budgets");
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        int solved = 0;
        for (int s = 0; s < seeds; s++) {
            logs[s] = &js[s].log;
            budgets[s] = js[s].cfg.budget;   /* a run stops at its budget: the curve is blank after it */
            solved += js[s].solved >= 0;
        }
        eplog_runs_band(logs, budgets, seeds, grid, N_GRID, EPLOG_SOLVE_WINDOW, mean + (size_t)m * N_GRID, lo + (size_t)m * N_GRID,
                        hi + (size_t)m * N_GRID);
        snprintf(text[m], sizeof text[m], "%s (solved %d/%d)", ac_method_name((AcMethod)methods[m]), solved, seeds);
        labels[m] = text[m];
    }
    free(budgets);
    free(logs);
    char title[160];
    snprintf(title, sizeof title, "CartPole-v1: actor-critic methods, mean over %d seeds, min–max band", seeds);
    int rc = eplog_plot_cartpole(po, "learning_curves", title, n_methods, labels, grid, N_GRID, mean, lo, hi, x_max);
    free(mean);
    return rc;
}

/* What ppo_diagnostics shows, in numbers: the clip fraction, KL and entropy
 * (means over seeds) at the first update, at the update nearest the mean
 * solving step, and at the last; the mean KL over all updates and the
 * largest single one. */
static void print_ppo_diagnostics(const Job *js, int seeds)
{
    int U = js[0].trace.n;
    for (int s = 1; s < seeds; s++) U = js[s].trace.n < U ? js[s].trace.n : U;
    if (U == 0) return;
    double solved_sum = 0, kl_sum = 0, kl_max = 0;
    int solved = 0;
    long kl_max_step = 0;
    for (int s = 0; s < seeds; s++) {
        if (js[s].solved >= 0) { solved_sum += js[s].solved; solved++; }
        for (int u = 0; u < U; u++) {
            kl_sum += js[s].trace.approx_kl[u];
            if (js[s].trace.approx_kl[u] > kl_max) {
                kl_max = js[s].trace.approx_kl[u];
                kl_max_step = js[s].trace.step[u];
            }
        }
    }
    int at[3] = { 0, -1, U - 1 };   /* the first update, the one nearest the mean solving step, the last */
    const char *what[3] = { "first update", "near solving", "last update" };
    if (solved) {
        at[1] = 0;
        for (int u = 1; u < U; u++)
            if (fabs(js[0].trace.step[u] - solved_sum / solved) < fabs(js[0].trace.step[at[1]] - solved_sum / solved))
                at[1] = u;
    }
    printf("  PPO per update, means over seeds:       step   clip fraction   approx. KL   entropy\n");
    for (int k = 0; k < 3; k++) {
        if (at[k] < 0) continue;
        double c = 0, kl = 0, h = 0;
        for (int s = 0; s < seeds; s++) {
            c += js[s].trace.clip_frac[at[k]] / seeds;
            kl += js[s].trace.approx_kl[at[k]] / seeds;
            h += js[s].trace.entropy[at[k]] / seeds;
        }
        printf("    %-34s %8ld %15.3f %12.4f %9.3f\n", what[k], js[0].trace.step[at[k]], c, kl, h);
    }
    printf("    approx. KL over all updates and seeds: mean %.4f, largest %.4f (at step %ld)\n",
           kl_sum / ((double)U * seeds), kl_max, kl_max_step);
}

/* PPO's clip fraction, approximate KL and entropy per update: mean over seeds
 * (every seed updates at the same environment steps) with the min–max band. */
static int plot_ppo_diagnostics(const PlotOpts *po, Job *js, int seeds)
{
    double solved_sum = 0;
    int solved = 0;
    for (int s = 0; s < seeds; s++)
        if (js[s].solved >= 0) { solved_sum += js[s].solved; solved++; }
    int U = js[0].trace.n;
    for (int s = 1; s < seeds; s++) U = js[s].trace.n < U ? js[s].trace.n : U;
    if (U == 0) return 0;
    double *x = xmalloc(4 * (size_t)U * sizeof *x, "diagnostics");
    double *mean = x + U, *lo = mean + U, *hi = lo + U;
    double *vals = xmalloc((size_t)seeds * U * sizeof *vals, "diagnostics");
    for (int u = 0; u < U; u++) x[u] = js[0].trace.step[u];
    Plot *p = plot_begin_multi(po, "ppo_diagnostics",
                               "PPO on CartPole-v1: per update, mean over seeds with min–max band", 3, 1);
    if (!p) { free(x); free(vals); return -1; }
    plot_size(p, 900, 1000);
    const char *titles[3] = { "clip fraction: share of samples with |ρ − 1| > ε (mean over the update's minibatches)",
                              "approximate KL(π_{old} ‖ π_{new}) after the update: mean of (ρ − 1) − log ρ over the rollout (k3)",
                              "policy entropy (nats; log 2 = 0.693 is uniform)" };
    const char *ylabels[3] = { "clip fraction", "approx. KL (nats)", "entropy (nats)" };
    for (int k = 0; k < 3; k++) {
        for (int s = 0; s < seeds; s++)
            for (int u = 0; u < U; u++) {
                const AcTrace *t = &js[s].trace;
                vals[(size_t)s * U + u] = k == 0 ? t->clip_frac[u] : k == 1 ? t->approx_kl[u] : t->entropy[u];
            }
        eplog_band(vals, seeds, U, mean, lo, hi);
        plot_panel(p, titles[k]);
        plot_labels(p, "environment steps", ylabels[k]);
        plot_xrange(p, 0, x[U - 1]);
        if (k == 2) plot_yrange(p, 0, 0.75);
        else plot_yrange(p, 0, NAN);
        if (solved) plot_vline(p, solved_sum / solved, "solved (mean step)");
        char legend[64];
        snprintf(legend, sizeof legend, "mean of %d seeds, min–max band", seeds);
        plot_band(p, x, lo, hi, U, NULL);
        plot_line(p, x, mean, U, legend);
    }
    free(vals);
    free(x);
    return plot_end(p);
}

/* ------------------------------------------------------------------ main */

/* The options that override a method's configuration (0 or -1: keep). */
typedef struct {
    int budget, n_envs, n_steps, epochs, minibatch, anneal, norm_adv;
    double lr, ent, lambda;
} Overrides;

static AcConfig configure(AcMethod m, int quick, const Overrides *o)
{
    AcConfig c = ac_default_config(m, quick);
    if (o->budget > 0) c.budget = o->budget;
    if (o->lr > 0) c.lr_actor = c.lr_critic = o->lr;
    if (o->ent >= 0) c.coefs.entropy_coef = o->ent;
    if (o->anneal >= 0) c.anneal_lr = o->anneal;
    if (o->norm_adv >= 0 && m != AC_ONLINE) c.norm_adv = o->norm_adv;
    if (m != AC_ONLINE) {
        if (o->n_envs > 0) c.n_envs = o->n_envs;
        if (o->n_steps > 0) c.n_steps = o->n_steps;
        if (o->lambda >= 0) c.lambda = o->lambda;
    }
    if (m == AC_PPO) {
        if (o->epochs > 0) c.epochs = o->epochs;
        if (o->minibatch > 0) c.minibatch = o->minibatch;
    }
    if (m == AC_A2C) c.minibatch = c.n_envs * c.n_steps;
    const char *err = ac_config_error(&c);
    if (err) {
        fprintf(stderr, "error: %s: %s (check --envs, --steps, --minibatch)\n", ac_method_name(m), err);
        exit(2);
    }
    return c;
}

int main(int argc, char **argv)
{
    int seeds = 5, threads = 2, budget = 0, n_envs = 0, n_steps = 0, epochs = 0, minibatch = 0, anneal = -1,
        norm_adv = -1;
    double lr = 0, ent = -1, lambda = -1;
    const char *method = "all";
    CliOption opts[] = {
        { "--seeds", CLI_INT, &seeds, 1, 100, "seeds per method (seed s is --seed + s)" },
        { "--method", CLI_STRING, &method, 0, 0, "all, online, a2c or ppo" },
        { "--threads", CLI_INT, &threads, 1, 64, "runs trained at the same time (one per thread)" },
        { "--budget", CLI_INT, &budget, 0, 1e8, "environment steps per run (0: each method's own)" },
        { "--lr", CLI_DOUBLE, &lr, 0, 1, "Adam step size of actor and critic (0: each method's own)" },
        { "--envs", CLI_INT, &n_envs, 0, 1024, "A2C/PPO: parallel environments (0: the method's own)" },
        { "--steps", CLI_INT, &n_steps, 0, 100000, "A2C/PPO: rollout steps per environment (0: the method's own)" },
        { "--epochs", CLI_INT, &epochs, 0, 100, "PPO: epochs per rollout (0: the method's own)" },
        { "--minibatch", CLI_INT, &minibatch, 0, 1000000, "PPO: minibatch size (0: the method's own; A2C: whole rollout)" },
        { "--ent-coef", CLI_DOUBLE, &ent, 0, 1, "entropy coefficient c_e (-1: the method's own)" },
        { "--lambda", CLI_DOUBLE, &lambda, 0, 1, "GAE lambda for A2C/PPO (-1: the method's own)" },
        { "--anneal", CLI_INT, &anneal, -1, 1, "1: step sizes annealed linearly to 0, 0: constant (-1: the method's own)" },
        { "--norm-adv", CLI_INT, &norm_adv, -1, 1, "A2C/PPO: 1 normalise advantages per minibatch, 0 not (-1: the method's own)" },
    };
    CliCommon cl = cli_defaults("07_ac", 1);
    cli_parse(argc, argv, "actor-critic methods on CartPole-v1: online AC, A2C with GAE, PPO", opts, ARRAY_LEN(opts),
              &cl);
    int methods[AC_NUM_METHODS], n_methods = 0;
    if (!strcmp(method, "all")) {
        methods[n_methods++] = AC_ONLINE; methods[n_methods++] = AC_A2C; methods[n_methods++] = AC_PPO;
    } else if (!strcmp(method, "online")) methods[n_methods++] = AC_ONLINE;
    else if (!strcmp(method, "a2c")) methods[n_methods++] = AC_A2C;
    else if (!strcmp(method, "ppo")) methods[n_methods++] = AC_PPO;
    else {
        fprintf(stderr, "error: --method: '%s' is not one of all, online, a2c, ppo\n", method);
        return 2;
    }
    if (cl.quick && seeds == 5) seeds = 2;
    const Overrides ov = { budget, n_envs, n_steps, epochs, minibatch, anneal, norm_adv, lr, ent, lambda };
    PlotOpts po = cli_plot_opts(&cl);

    printf("Chapter 07: actor-critic methods on CartPole-v1 (online AC, A2C with GAE, PPO)\n");
    printf("%d seeds per method (seeds %llu..%llu), %d thread(s)%s\n", seeds, (unsigned long long)cl.seed,
           (unsigned long long)(cl.seed + (uint64_t)seeds - 1), threads, cl.quick ? ", --quick" : "");
    printf("Solved = the first 100 consecutive TRAINING episodes (stochastic policy) with mean return >= 475.\n");
    for (int m = 0; m < n_methods; m++) {
        AcConfig c = configure((AcMethod)methods[m], cl.quick, &ov);
        printf("  %-9s budget %ld steps; %d env(s) x %d steps per update, %d epoch(s) of minibatches of %d; "
               "Adam %g/%g%s; gamma %g, lambda %g, c_e %g\n",
               ac_method_name(c.method), c.budget, c.n_envs, c.n_steps, c.epochs, c.minibatch, c.lr_actor,
               c.lr_critic, c.anneal_lr ? " annealed to 0" : "", c.gamma, c.lambda, c.coefs.entropy_coef);
    }

    /* ---- train ---- */
    require_written();
    Job *jobs = xcalloc((size_t)n_methods * seeds, sizeof *jobs, "jobs");
    for (int m = 0; m < n_methods; m++)
        for (int s = 0; s < seeds; s++) {
            Job *j = &jobs[m * seeds + s];
            j->cfg = configure((AcMethod)methods[m], cl.quick, &ov);
            j->seed = cl.seed + (uint64_t)s;
            eplog_init(&j->log);
            ac_trace_init(&j->trace);
        }
    Runs runs = { jobs, cl.quiet };
    const int n_jobs = n_methods * seeds;
    double t0 = progress_now();
    if (!cl.quiet) printf("\nTraining %d runs:\n", n_jobs);
    par_for(n_jobs, threads, run_job, &runs, NULL);
    double wall = progress_now() - t0;

    /* ---- evaluate ---- */
    printf("\nSummary (solved: the first 100 training episodes with mean >= 475; steps are environment steps):\n");
    int all_main_solved = 1;
    long *steps = xcalloc((size_t)seeds, sizeof *steps, "solved steps");
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        double secs = 0, cpu = 0;
        for (int s = 0; s < seeds; s++) {
            secs += js[s].seconds;
            cpu += js[s].cpu;
            steps[s] = js[s].solved;
        }
        char line[160];
        int solved = eplog_solved_summary(steps, seeds, line, sizeof line);
        printf("  %-9s %s; per run on average %.2f s wall, %.2f s cpu\n", ac_method_name(js[0].cfg.method), line,
               secs / seeds, cpu / seeds);
        printf("  %-9s mean of the last 100 episodes at the end of the budget, per seed:", "");
        for (int s = 0; s < seeds; s++)
            printf(" %.1f", js[s].log.n ? eplog_window_mean(&js[s].log, js[s].log.n - 1, EPLOG_SOLVE_WINDOW) : NAN);
        printf("\n");
        if (solved < seeds) {
            printf("  *** %s: NOT SOLVED in %d of %d seeds within %ld steps ***\n", ac_method_name(js[0].cfg.method),
                   seeds - solved, seeds, js[0].cfg.budget);
            if (js[0].cfg.method == AC_PPO) all_main_solved = 0;
        }
    }
    free(steps);
    for (int m = 0; m < n_methods; m++)
        if (methods[m] == AC_PPO) print_ppo_diagnostics(jobs + (size_t)m * seeds, seeds);
    printf("Total wall time of the training: %.1f s\n", wall);
    if (cl.quick) printf("(--quick is a smoke run with small budgets: it is not expected to solve CartPole)\n");
    if (!all_main_solved && !cl.quick) printf("*** PPO, the chapter's main method, did NOT solve every seed ***\n");

    /* ---- plot ---- */
    int failures = 0;
    double x_max = 0;   /* the axis ends at the largest budget */
    for (int i = 0; i < n_jobs; i++) x_max = fmax(x_max, (double)jobs[i].cfg.budget);
    failures += plot_learning_curves(&po, jobs, methods, n_methods, seeds, x_max) != 0;
    for (int m = 0; m < n_methods; m++)
        if (methods[m] == AC_PPO) failures += plot_ppo_diagnostics(&po, jobs + (size_t)m * seeds, seeds) != 0;

    /* ---- cleanup ---- */
    for (int i = 0; i < n_jobs; i++) {
        eplog_free(&jobs[i].log);
        ac_trace_free(&jobs[i].trace);
    }
    free(jobs);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
