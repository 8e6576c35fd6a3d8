/* main_figures.c — chapter 05's figures: learning curves, the greedy
 * evaluation blocks, overestimation, and the bias of a max. See main.h. */
#include "dqn.h"
#include "eplog.h"
#include "main.h"
#include "plot.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The course's CartPole figure (eplog_plot_cartpole) on 0..x_max, the budget. */
int plot_learning_curves(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds, double x_max)
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
        eplog_runs_band(logs, steps, seeds, grid, N_GRID, EPLOG_SOLVE_WINDOW, mean + (size_t)m * N_GRID, lo + (size_t)m * N_GRID,
                        hi + (size_t)m * N_GRID);
        snprintf(text[m], sizeof text[m], "%s (solved %d/%d)", dqn_method_name((DqnMethod)methods[m]), solved, seeds);
        labels[m] = text[m];
    }
    free(steps);
    free(logs);
    char title[200];
    snprintf(title, sizeof title, "CartPole-v1: DQN and Double DQN, training episodes (ε-greedy), mean over %d seeds, "
             "min–max band", seeds);
    int rc = eplog_plot_cartpole(po, "learning_curves", title, n_methods, labels, grid, N_GRID, mean, lo, hi, x_max);
    free(mean);
    return rc;
}

/* Each seed's evaluation blocks (mean return of 100 greedy episodes). */
int plot_eval_returns(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds)
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
        plot_labels(p, "environment steps (training)", "mean return, greedy policy (dashed: 475)");
        plot_xrange(p, 0, (double)js[0].cfg.budget);
        plot_yrange(p, 0, 520);
        plot_hline(p, 475, NULL);
        plot_raw(p, "set key outside right top vertical Left reverse");
        for (int s = 0; s < seeds; s++) {
            const DqnStats *st = &js[s].st;
            double *x = xmalloc(2 * (size_t)(st->n_evals + 1) * sizeof *x, "evaluation curve");
            double *y = x + st->n_evals + 1;
            for (int e = 0; e < st->n_evals; e++) {
                x[e] = (double)st->evals[e].step;
                y[e] = st->evals[e].mean_return;
            }
            char legend[80];
            if (js[s].solved_greedy >= 0)
                snprintf(legend, sizeof legend, "seed %llu: first >= 475 at %ld", (unsigned long long)js[s].seed,
                         js[s].solved_greedy);
            else snprintf(legend, sizeof legend, "seed %llu: never >= 475", (unsigned long long)js[s].seed);
            plot_line(p, x, y, st->n_evals, legend);
            free(x);
        }
    }
    return plot_end(p);
}

/* Overestimation: mean over seeds (min–max band) of the mean max_a Q(s,a) at
 * the states the greedy policy visits, and of the discounted return obtained
 * from them, per evaluation block. Every seed evaluates at the same steps. */
int plot_overestimation(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds)
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
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        char panel[128];
        snprintf(panel, sizeof panel, "%s (dashed: 1/(1−γ) = %g, the largest possible value)",
                 dqn_method_name((DqnMethod)methods[m]), vmax);
        plot_panel(p, panel);
        plot_labels(p, "environment steps (training)", "value");
        plot_raw(p, "set rmargin 6");
        plot_raw(p, "set key top left Left reverse opaque box");
        plot_xrange(p, 0, (double)js[0].cfg.budget);
        plot_yrange(p, 0, ymax);
        plot_hline(p, vmax, NULL);
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
    plot_raw(p, "set key bottom right Left reverse opaque box");
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
int plot_max_bias(const PlotOpts *po, uint64_t seed, int quick)
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
