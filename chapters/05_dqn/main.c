/* 05_dqn — deep Q-networks on CartPole-v1: experience replay, a target
 * network, and Double DQN.
 *
 * What it shows:
 *   1. Learning curves of DQN and Double DQN on the course's CartPole axes
 *      (mean return of the last 100 TRAINING episodes, which act ε-greedily,
 *      against environment steps; mean over seeds with the min–max band), and
 *      the same zoomed to this chapter's budget.
 *   2. For each method and seed: solved or not, the environment steps and the
 *      wall time it took. Solved = the first EVALUATION block (100 greedy
 *      episodes, run every --eval-every training steps) with mean return >=
 *      475; see the README for why DQN is judged on greedy episodes.
 *   3. Every seed's evaluation blocks: how DQN's greedy policy reaches 500
 *      and how unstable it stays afterwards.
 *   4. Overestimation: the network's mean max_a Q(s,a) at the states its
 *      greedy policy visits, against the discounted return actually obtained
 *      from those states, over training, for DQN and for Double DQN; and
 *      how often Double DQN's target differs from DQN's at all.
 *   5. Why that difference is small: the bias of a max over noisy estimates
 *      for the single and the double estimator, with correlated errors.
 * Seed s of both methods is --seed + s (the two methods start from the same
 * network); runs are spread over --threads threads, one run per thread, with
 * the same results on any number.
 */
#include "cli.h"
#include "dqn.h"
#include "parallel.h"
#include "plot.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X_MAX   500000.0   /* the course's CartPole x axis (chapters 05, 06, 07) */
#define N_GRID  251        /* learning-curve points */
#define WINDOW  100        /* the curves: mean of the last 100 episodes */

/* One training run: a method and a seed, and what came out. */
typedef struct {
    DqnConfig cfg;
    uint64_t seed;
    EpisodeLog log;     /* training episodes */
    DqnStats st;        /* evaluation blocks, counters */
    long solved;        /* training step of the first solved evaluation block, -1 if none */
    double cpu;         /* CPU time of the run's thread (less than wall when the machine is busy) */
} Job;

/* What a training job needs besides its Job. */
typedef struct {
    Job *jobs;
    int quiet;
} Runs;

/* The best mean of 100 consecutive training episodes (for the summary). */
static double best_window(const EpisodeLog *l)
{
    double best = 0;
    for (int i = WINDOW - 1; i < l->n; i++) best = fmax(best, eplog_window_mean(l, i, WINDOW));
    return best;
}

/* One job's line(s), written with a single printf so parallel jobs never mix. */
static void print_job(const Job *j)
{
    const DqnStats *st = &j->st;
    char solved[64], train[64], diverged[160] = "";
    long train_step;
    if (j->solved >= 0) snprintf(solved, sizeof solved, "solved at %6ld steps", j->solved);
    else snprintf(solved, sizeof solved, "NOT SOLVED in %ld steps", j->cfg.budget);
    if (eplog_solved(&j->log, WINDOW, 475.0, &train_step) >= 0)
        snprintf(train, sizeof train, "475 reached at %ld steps", train_step);
    else snprintf(train, sizeof train, "475 not reached (best %.0f)", best_window(&j->log));
    if (st->diverged)
        snprintf(diverged, sizeof diverged, "  *** the loss became %g at step %ld: the run stopped. Lower --lr or "
                 "--delta. ***\n", st->last_loss, st->steps);
    printf("  %-10s seed %-3llu %s   wall %5.2f s (cpu %5.2f s)   training episodes: %s   last block %.1f\n%s",
           dqn_method_name(j->cfg.method), (unsigned long long)j->seed, solved, st->seconds, j->cpu, train,
           st->n_evals ? st->evals[st->n_evals - 1].mean_return : NAN, diverged);
    fflush(stdout);
}

/* One job; its lines are printed in one go, so lines of parallel jobs never mix. */
static void run_job(void *ctx, int i)
{
    Runs *r = ctx;
    Job *j = &r->jobs[i];
    double c0 = progress_thread_cpu();
    j->solved = dqn_train_cartpole(&j->cfg, j->seed, &j->log, &j->st);
    j->cpu = progress_thread_cpu() - c0;
    if (!r->quiet) print_job(j);
}

/* ------------------------------------------------------------------ figures */

static int plot_learning_curves(const PlotOpts *po, const char *name, Job *jobs, const int *methods, int n_methods,
                                int seeds, double x_max)
{
    double grid[N_GRID];
    for (int g = 0; g < N_GRID; g++) grid[g] = x_max * g / (N_GRID - 1);
    double *mean = xmalloc(3 * (size_t)n_methods * N_GRID * sizeof *mean, "bands");
    double *lo = mean + (size_t)n_methods * N_GRID, *hi = lo + (size_t)n_methods * N_GRID;
    const char *labels[DQN_N_METHODS];
    char text[DQN_N_METHODS][96];
    const EpisodeLog **logs = xmalloc((size_t)seeds * sizeof *logs, "logs");
    long *steps = xmalloc((size_t)seeds * sizeof *steps, "run lengths");
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        int solved = 0;
        for (int s = 0; s < seeds; s++) {
            logs[s] = &js[s].log;
            steps[s] = js[s].st.steps;   /* a run stops at its budget (or when solved): blank after it */
            solved += js[s].solved >= 0;
        }
        eplog_runs_band(logs, steps, seeds, grid, N_GRID, WINDOW, mean + (size_t)m * N_GRID, lo + (size_t)m * N_GRID,
                        hi + (size_t)m * N_GRID);
        snprintf(text[m], sizeof text[m], "%s (greedy blocks solved %d/%d)", dqn_method_name((DqnMethod)methods[m]),
                 solved, seeds);
        labels[m] = text[m];
    }
    free(steps);
    free(logs);
    char title[200];
    snprintf(title, sizeof title, "CartPole-v1: DQN and Double DQN, training episodes (ε-greedy), mean over %d seeds, "
             "min–max band", seeds);
    int rc = eplog_plot_cartpole(po, name, title, n_methods, labels, grid, N_GRID, mean, lo, hi, x_max);
    free(mean);
    return rc;
}

/* Each seed's evaluation blocks (mean return of 100 greedy episodes). */
static int plot_eval_returns(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds)
{
    char title[160];
    snprintf(title, sizeof title, "CartPole-v1: greedy evaluation blocks (mean return of %d episodes), every seed",
             jobs[0].cfg.eval_episodes);
    Plot *p = plot_begin_multi(po, "eval_returns", title, n_methods, 1);
    if (!p) return -1;
    plot_size(p, 1000, 380 * n_methods + 40);
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        plot_panel(p, dqn_method_name((DqnMethod)methods[m]));
        plot_labels(p, "environment steps (training)", "mean return, greedy policy");
        plot_xrange(p, 0, (double)js[0].cfg.budget);
        plot_yrange(p, 0, 520);
        plot_hline(p, 475, "solved (475)");
        plot_raw(p, "set key outside right top vertical");
        for (int s = 0; s < seeds; s++) {
            const DqnStats *st = &js[s].st;
            double *x = xmalloc(2 * (size_t)(st->n_evals + 1) * sizeof *x, "evaluation curve");
            double *y = x + st->n_evals + 1;
            for (int e = 0; e < st->n_evals; e++) {
                x[e] = (double)st->evals[e].step;
                y[e] = st->evals[e].mean_return;
            }
            char legend[80];
            if (js[s].solved >= 0)
                snprintf(legend, sizeof legend, "seed %llu: solved at %ld", (unsigned long long)js[s].seed,
                         js[s].solved);
            else snprintf(legend, sizeof legend, "seed %llu: not solved", (unsigned long long)js[s].seed);
            plot_line(p, x, y, st->n_evals, legend);
            free(x);
        }
    }
    return plot_end(p);
}

/* Overestimation: mean over seeds (min–max band) of the mean max_a Q(s,a) at
 * the states the greedy policy visits, and of the discounted return obtained
 * from them, per evaluation block. Every seed evaluates at the same steps. */
static int plot_overestimation(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds)
{
    int E = jobs[0].st.n_evals;
    for (int i = 1; i < n_methods * seeds; i++) E = jobs[i].st.n_evals < E ? jobs[i].st.n_evals : E;
    if (E == 0 || jobs[0].cfg.q_episodes == 0) return 0;
    const double gamma = jobs[0].cfg.gamma, vmax = 1.0 / (1.0 - gamma);
    double *x = xmalloc(4 * (size_t)E * sizeof *x, "overestimation");
    double *mean = x + E, *lo = mean + E, *hi = lo + E;
    double *vals = xmalloc((size_t)seeds * E * sizeof *vals, "overestimation");
    for (int e = 0; e < E; e++) x[e] = (double)jobs[0].st.evals[e].step;
    char title[200];
    snprintf(title, sizeof title, "Overestimation: max_a Q(s,a) vs the return obtained (γ = %g); mean of %d seeds, "
             "min–max band", gamma, seeds);
    Plot *p = plot_begin_multi(po, "overestimation", title, n_methods + 1, 1);
    if (!p) { free(x); free(vals); return -1; }
    plot_size(p, 900, 360 * (n_methods + 1) + 40);
    double ymax = vmax;
    for (int i = 0; i < n_methods * seeds; i++)
        for (int e = 0; e < E; e++) ymax = fmax(ymax, jobs[i].st.evals[e].mean_q);
    ymax = ceil(ymax * 1.1 / 10) * 10;
    char vlabel[64];
    snprintf(vlabel, sizeof vlabel, "1/(1−γ) = %g, the largest possible value", vmax);
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        plot_panel(p, dqn_method_name((DqnMethod)methods[m]));
        plot_labels(p, "environment steps (training)", "value");
        plot_raw(p, "set rmargin 6");
        plot_xrange(p, 0, (double)js[0].cfg.budget);
        plot_yrange(p, 0, ymax);
        plot_hline(p, vmax, vlabel);
        for (int k = 0; k < 2; k++) {
            for (int s = 0; s < seeds; s++)
                for (int e = 0; e < E; e++)
                    vals[(size_t)s * E + e] = k == 0 ? js[s].st.evals[e].mean_q : js[s].st.evals[e].mean_g;
            eplog_band(vals, seeds, E, mean, lo, hi);
            plot_band(p, x, lo, hi, E, NULL);
            plot_line(p, x, mean, E, k == 0 ? "estimate: mean max_a Q(s_t, a)" : "obtained: mean discounted return G_t");
        }
    }
    /* the bias itself, both methods on one axis */
    plot_panel(p, "estimate − obtained: mean over seeds of (mean max_a Q − mean G_t)");
    plot_labels(p, "environment steps (training)", "overestimation");
    plot_raw(p, "set rmargin 6");
    plot_xrange(p, 0, (double)jobs[0].cfg.budget);
    plot_hline(p, 0, NULL);
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        for (int s = 0; s < seeds; s++)
            for (int e = 0; e < E; e++)
                vals[(size_t)s * E + e] = js[s].st.evals[e].mean_q - js[s].st.evals[e].mean_g;
        eplog_band(vals, seeds, E, mean, lo, hi);
        plot_band(p, x, lo, hi, E, NULL);
        plot_line(p, x, mean, E, dqn_method_name((DqnMethod)methods[m]));
    }
    free(vals);
    free(x);
    return plot_end(p);
}

/* Why Double DQN helps, and when it cannot (van Hasselt 2010; van Hasselt et
 * al. 2016, Fig. 1 in spirit). All m actions are truly worth 0; an estimate
 * Q1(a) = noise ~ N(0, 1) per action. The single estimator max_a Q1(a) is
 * biased upwards: E[max] > max E = 0. The double estimator picks a* with Q1
 * and reads its value from a second estimate Q2, whose noise has correlation
 * ρ with Q1's: Q2 = ρ·Q1 + √(1 − ρ²)·Z. Then E[Q2(a*)] = ρ·E[max_a Q1(a)]:
 * independent estimates (ρ = 0) remove the bias, identical ones (ρ = 1) keep
 * all of it. A target network synced every C updates is close to the online
 * one, so its errors are strongly correlated with the online network's. */
static int plot_max_bias(const PlotOpts *po, uint64_t seed, int quick)
{
    enum { M_MAX = 10, N_RHO = 3 };
    const double rho[N_RHO] = { 0.0, 0.5, 0.9 };
    const long draws = quick ? 20000 : 200000;
    double m_axis[M_MAX - 1], single[M_MAX - 1], dbl[N_RHO][M_MAX - 1];
    Rng rng;
    rng_seed(&rng, seed);
    double q1[M_MAX], q2[M_MAX];
    for (int m = 2; m <= M_MAX; m++) {
        double s_sum = 0, d_sum[N_RHO] = { 0 };
        for (long n = 0; n < draws; n++) {
            for (int a = 0; a < m; a++) q1[a] = rng_normal(&rng);
            int best = 0;
            for (int a = 1; a < m; a++)
                if (q1[a] > q1[best]) best = a;
            s_sum += q1[best];
            for (int k = 0; k < N_RHO; k++) {
                for (int a = 0; a < m; a++) q2[a] = rho[k] * q1[a] + sqrt(1 - rho[k] * rho[k]) * rng_normal(&rng);
                d_sum[k] += q2[best];
            }
        }
        m_axis[m - 2] = m;
        single[m - 2] = s_sum / draws;
        for (int k = 0; k < N_RHO; k++) dbl[k][m - 2] = d_sum[k] / draws;
    }
    printf("\nBias of the max over m noisy estimates (true values 0, noise N(0,1), %ld draws): m = 2 (CartPole): "
           "single %.3f, double %.3f / %.3f / %.3f for rho = 0 / 0.5 / 0.9\n", draws, single[0], dbl[0][0], dbl[1][0],
           dbl[2][0]);
    Plot *p = plot_begin(po, "max_bias", "Bias of a max over noisy estimates: single vs double estimator "
                         "(true values 0, noise N(0,1))");
    if (!p) return -1;
    plot_labels(p, "number of actions m", "bias of the estimated value of the best action");
    plot_xrange(p, 1.5, M_MAX + 0.5);
    plot_yrange(p, -0.2, 2.4);
    plot_hline(p, 0, NULL);
    plot_raw(p, "set key inside right top");
    plot_line(p, m_axis, single, M_MAX - 1, "single estimator (DQN): E[max_a Q_1(a)]");
    for (int k = 0; k < N_RHO; k++) {
        char legend[96];
        snprintf(legend, sizeof legend, "double estimator (Double DQN), corr(Q_1, Q_2) = %g", rho[k]);
        plot_line(p, m_axis, dbl[k], M_MAX - 1, legend);
    }
    plot_vline(p, 2, "CartPole: m = 2");
    return plot_end(p);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    DqnConfig base = dqn_default_config(0);
    int seeds = 5, threads = 2, budget = 0, target_period = 0, eval_every = 0, batch = 0, train_every = 0, hidden = 0;
    double lr = 0, lr_end = -1, delta = -1, eps_end = -1;
    int eps_decay = 0, stop = 0;
    const char *method = "both";
    CliOption opts[] = {
        { "--seeds", CLI_INT, &seeds, 1, 100, "seeds per method (seed s is --seed + s)" },
        { "--method", CLI_STRING, &method, 0, 0, "both, dqn or double" },
        { "--threads", CLI_INT, &threads, 1, 64, "runs trained at the same time (one per thread)" },
        { "--budget", CLI_INT, &budget, 0, 1e8, "training environment steps per run (0: 100000; --quick 20000)" },
        { "--lr", CLI_DOUBLE, &lr, 0, 1, "constant Adam step size, unless --lr-end is given (0: 1e-3 decaying to 1e-4)" },
        { "--lr-end", CLI_DOUBLE, &lr_end, 0, 1, "Adam step size at the end of a linear decay from --lr (-1: 1e-4)" },
        { "--batch", CLI_INT, &batch, 0, 4096, "minibatch size (0: 64)" },
        { "--train-every", CLI_INT, &train_every, 0, 1000, "environment steps per gradient update (0: 2)" },
        { "--hidden", CLI_INT, &hidden, 0, 1024, "units in each of the two hidden layers (0: 64)" },
        { "--eps-end", CLI_DOUBLE, &eps_end, 0, 1, "final exploration probability epsilon (-1: 0.05)" },
        { "--eps-decay", CLI_INT, &eps_decay, 0, 1e8, "environment steps of the linear epsilon decay from 1 (0: 10000)" },
        { "--stop-when-solved", CLI_FLAG, &stop, 0, 1, "end each run at its first solved block (as make bench does)" },
        { "--delta", CLI_DOUBLE, &delta, 0, 1e6, "Huber threshold delta; 0 for the squared error (-1: 10)" },
        { "--target-period", CLI_INT, &target_period, 0, 1e7, "C, gradient updates between target syncs (0: 100)" },
        { "--eval-every", CLI_INT, &eval_every, 0, 1e8, "training steps between evaluation blocks (0: 2500; --quick 5000)" },
    };
    CliCommon cl = cli_defaults("05_dqn", 1);
    cli_parse(argc, argv, "DQN and Double DQN on CartPole-v1 (experience replay, target network)", opts,
              ARRAY_LEN(opts), &cl);
    int methods[DQN_N_METHODS], n_methods = 0;
    if (!strcmp(method, "both")) {
        methods[n_methods++] = DQN_VANILLA; methods[n_methods++] = DQN_DOUBLE;
    } else if (!strcmp(method, "dqn")) methods[n_methods++] = DQN_VANILLA;
    else if (!strcmp(method, "double")) methods[n_methods++] = DQN_DOUBLE;
    else {
        fprintf(stderr, "error: --method: '%s' is not one of both, dqn, double\n", method);
        return 2;
    }
    if (cl.quick && seeds == 5) seeds = 1;
    base = dqn_default_config(cl.quick);
    if (budget > 0) base.budget = budget;
    if (lr > 0) base.lr = base.lr_end = (float)lr;
    if (lr_end >= 0) base.lr_end = (float)lr_end;
    if (batch > 0) base.batch = batch;
    if (train_every > 0) base.train_every = train_every;
    if (hidden > 0) base.hidden = hidden;
    if (eps_end >= 0) base.eps_end = eps_end;
    if (eps_decay > 0) base.eps_decay_steps = eps_decay;
    base.stop_when_solved = stop;
    if (delta >= 0) base.huber_delta = delta == 0 ? INFINITY : (float)delta;
    if (target_period > 0) base.target_period = target_period;
    if (eval_every > 0) base.eval_every = eval_every;
    const char *err = dqn_config_error(&base);
    if (err) {
        fprintf(stderr, "error: %s\n", err);
        return 2;
    }
    PlotOpts po = cli_plot_opts(&cl);

    printf("Chapter 05: DQN and Double DQN on CartPole-v1\n");
    printf("%d seed(s) per method (seeds %llu..%llu), %d thread(s)%s\n", seeds, (unsigned long long)cl.seed,
           (unsigned long long)(cl.seed + (uint64_t)seeds - 1), threads, cl.quick ? ", --quick" : "");
    char huber[48];
    if (isinf(base.huber_delta)) snprintf(huber, sizeof huber, "squared error");
    else snprintf(huber, sizeof huber, "Huber delta %g", base.huber_delta);
    printf("Budget %ld training steps; MLP 4-%d-%d-2 relu, Adam %g -> %g (linear), gamma %g, batch %d, buffer %d, "
           "learning starts %ld,\n  an update every %d steps, target sync every %ld updates, epsilon %g -> %g over %ld "
           "steps, %s, gradient norm clipped at %g\n", base.budget, base.hidden, base.hidden, base.lr, base.lr_end,
           base.gamma, base.batch,
           base.buffer_capacity, base.learning_starts, base.train_every, base.target_period, base.eps_start,
           base.eps_end, base.eps_decay_steps, huber, base.grad_clip);
    printf("Solved = the first EVALUATION block with mean return >= 475: %d greedy episodes (epsilon 0) every %ld "
           "training steps;\n  their environment steps are not counted in the budget. (Training episodes act "
           "epsilon-greedily; they are reported too.)\n", base.eval_episodes, base.eval_every);

    /* ---- train ---- */
    Job *jobs = xcalloc((size_t)n_methods * seeds, sizeof *jobs, "jobs");
    for (int m = 0; m < n_methods; m++)
        for (int s = 0; s < seeds; s++) {
            Job *j = &jobs[m * seeds + s];
            j->cfg = base;
            j->cfg.method = (DqnMethod)methods[m];
            j->seed = cl.seed + (uint64_t)s;
            eplog_init(&j->log);
        }
    const int n_jobs = n_methods * seeds;
    Runs runs = { .jobs = jobs, .quiet = cl.quiet };
    if (!cl.quiet) printf("\nTraining %d runs:\n", n_jobs);
    double t0 = progress_now();
    par_for(n_jobs, threads, run_job, &runs, NULL);
    double wall = progress_now() - t0;

    /* ---- evaluate ---- */
    int diverged = 0;
    printf("\nSummary (solved = first greedy evaluation block with mean >= 475; steps are training steps):\n");
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        int solved = 0, train_solved = 0;
        double steps_sum = 0, secs = 0, cpu = 0, last_sum = 0, over_sum = 0, late_sum = 0, all_over = 0, dis = 0;
        int late_n = 0, all_n = 0, dis_n = 0;
        for (int s = 0; s < seeds; s++) {
            const DqnStats *st = &js[s].st;
            secs += st->seconds;
            cpu += js[s].cpu;
            diverged += st->diverged;
            if (js[s].solved >= 0) { solved++; steps_sum += js[s].solved; }
            train_solved += eplog_solved(&js[s].log, WINDOW, 475.0, NULL) >= 0;
            for (int e = 0; e < st->n_evals; e++) {
                if (4 * st->evals[e].step > 3 * st->steps) { late_sum += st->evals[e].mean_return; late_n++; }
                if (st->evals[e].n_states) { all_over += st->evals[e].mean_q - st->evals[e].mean_g; all_n++; }
                if (!isnan(st->evals[e].disagree)) { dis += st->evals[e].disagree; dis_n++; }
            }
            if (st->n_evals) {
                last_sum += st->evals[st->n_evals - 1].mean_return;
                over_sum += st->evals[st->n_evals - 1].mean_q - st->evals[st->n_evals - 1].mean_g;
            }
        }
        printf("  %-10s solved %d/%d seeds", dqn_method_name((DqnMethod)methods[m]), solved, seeds);
        if (solved) printf(", mean %.0f steps to solve", steps_sum / solved);
        printf("; per run %.2f s wall, %.2f s cpu\n", secs / seeds, cpu / seeds);
        printf("  %-10s evaluation blocks: the last %.1f, those in the last quarter of training %.1f (means over "
               "seeds)\n", "", last_sum / seeds, late_n ? late_sum / late_n : NAN);
        printf("  %-10s overestimation max_a Q - G: %+.1f at the end, %+.1f over all blocks (means over seeds)\n", "",
               over_sum / seeds, all_n ? all_over / all_n : NAN);
        if (dis_n)
            printf("  %-10s online and target networks pick different a' in %.1f%% of the minibatch rows (elsewhere "
                   "the target is DQN's)\n", "", 100 * dis / dis_n);
        printf("  %-10s training episodes (epsilon-greedy) with a 100-episode mean >= 475: %d/%d seeds; best "
               "100-episode means:", "", train_solved, seeds);
        for (int s = 0; s < seeds; s++) printf(" %.0f", best_window(&js[s].log));
        printf("\n");
        if (solved < seeds)
            printf("  *** %s: NOT SOLVED in %d of %d seeds within %ld steps ***\n",
                   dqn_method_name((DqnMethod)methods[m]), seeds - solved, seeds, js[0].cfg.budget);
    }
    printf("Total wall time of the training: %.1f s\n", wall);
    if (cl.quick) printf("(--quick is a smoke run with a small budget: it is not expected to solve CartPole)\n");

    /* ---- plot ---- */
    int failures = 0;
    failures += plot_max_bias(&po, cl.seed, cl.quick) != 0;
    double x_max = cl.quick || base.budget > X_MAX ? (double)base.budget : X_MAX;
    failures += plot_learning_curves(&po, "learning_curves", jobs, methods, n_methods, seeds, x_max) != 0;
    if (x_max > base.budget)
        failures += plot_learning_curves(&po, "learning_curves_zoom", jobs, methods, n_methods, seeds,
                                         (double)base.budget) != 0;
    failures += plot_eval_returns(&po, jobs, methods, n_methods, seeds) != 0;
    failures += plot_overestimation(&po, jobs, methods, n_methods, seeds) != 0;

    /* ---- cleanup ---- */
    for (int i = 0; i < n_jobs; i++) {
        eplog_free(&jobs[i].log);
        dqn_stats_free(&jobs[i].st);
    }
    free(jobs);
    if (diverged) {
        fprintf(stderr, "error: %d run(s) diverged (NaN or infinite loss); see the messages above\n", diverged);
        return 1;
    }
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
