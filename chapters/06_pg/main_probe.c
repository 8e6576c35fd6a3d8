/* main_probe.c — chapter 06: the variance of the REINFORCE gradient
 * estimate with each baseline, measured at checkpoints along one run of the
 * main method, printed and drawn. See main.h. */
#include "cartpole.h"
#include "main.h"
#include "pg.h"
#include "plot.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const RET_NAME[N_RET] = {
    "Monte Carlo returns (cut at the 500-step limit)",
    "returns bootstrapped with V at the 500-step limit (as the main method trains)",
};

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

void probe_checkpoint(void *ctx, long step, Mlp *policy, Mlp *value)
{
    Probe *pr = ctx;
    if (pr->next >= MAX_CP || step < CHECKPOINTS[pr->next]) return;
    probe_measure(pr, step, policy, value);
    while (pr->next < MAX_CP && step >= CHECKPOINTS[pr->next]) pr->next++;   /* one batch may pass two */
}

void print_probe(const Probe *pr, uint64_t seed)
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

/* Two panels (Monte Carlo and bootstrapped returns), log y on a common range.
 * A value <= 0 or NaN (an estimate that is exactly 0; a signal lost in the
 * noise) is written as NaN: gnuplot leaves a gap there. */
int plot_variance(const PlotOpts *po, const Probe *pr, uint64_t seed)
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
    const double x_max = pr->n_cp && x[pr->n_cp - 1] > 0 ? x[pr->n_cp - 1] : 1;   /* the last checkpoint reached */
    for (int r = 0; r < N_RET; r++) {
        plot_panel(p, RET_NAME[r]);
        plot_labels(p, "environment steps of training", "total variance tr Cov(ĝ)  (log scale)");
        plot_log(p, "y");
        plot_xrange(p, -0.02 * x_max, x_max);   /* the points at step 0 in full */
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
            plot_label(p, 0.62 * x_max, ylab, "average baseline: exactly 0 (not drawn) once");
            plot_label(p, 0.62 * x_max, ylab / 4, "every episode is cut at 500 steps:");
            plot_label(p, 0.62 * x_max, ylab / 16, "then G_t depends on t only");
        }
    }
    return plot_end(p);
}
