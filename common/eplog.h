/* eplog — episode returns over training: learning curves and "solved" checks.
 *
 * An RL run appends one entry per finished episode: the total number of
 * environment steps taken so far and the episode's return. From that log:
 *   - eplog_solved(): where the mean of `window` consecutive returns first
 *     reaches a threshold (CartPole-v1 is "solved" at 475 over 100 episodes);
 *   - eplog_curve(): a learning curve on a common grid of environment steps
 *     (the mean of the last `window` returns finished by each grid step), so
 *     runs of different lengths and seeds can be averaged point by point;
 *   - eplog_band(): the mean, min and max of several such curves;
 *   - eplog_plot_cartpole(): the CartPole figure every chapter draws the same
 *     way (x: environment steps, y: 0..520 with the 475 line), so students can
 *     compare DQN, REINFORCE, actor-critic and PPO at a glance.
 *
 * An EpisodeLog owns its arrays (eplog_free). Grid points before the first
 * finished episode are NaN, which the plot skips.
 */
#ifndef EPLOG_H
#define EPLOG_H
#include "plot.h"

#include <stddef.h>

typedef struct {
    int n;          /* episodes logged */
    int cap;        /* capacity of the arrays */
    long *step;     /* (cap) environment steps taken when the episode ended */
    double *ret;    /* (cap) the episode's return */
} EpisodeLog;

void eplog_init(EpisodeLog *l);                          /* empty log */
void eplog_push(EpisodeLog *l, long step, double ret);   /* append (exits on out of memory) */
void eplog_free(EpisodeLog *l);

/* Mean of the returns of episodes [i - window + 1, i] (fewer at the start). */
double eplog_window_mean(const EpisodeLog *l, int i, int window);

/* The first episode i (0-based) that completes `window` consecutive episodes
 * with mean return >= threshold; -1 if none. *step_out (may be NULL) gets the
 * environment step at which episode i ended. */
int eplog_solved(const EpisodeLog *l, int window, double threshold, long *step_out);

/* The course's one "solved" rule for CartPole-v1 (chapters 05, 06, 07): the
 * first EPLOG_SOLVE_WINDOW consecutive TRAINING episodes with mean return >=
 * EPLOG_SOLVE_THRESHOLD, the last of them ending within `budget` environment
 * steps (budget <= 0: any). Returns that environment step, or -1. */
#define EPLOG_SOLVE_WINDOW 100
#define EPLOG_SOLVE_THRESHOLD 475.0
long eplog_cartpole_solved(const EpisodeLog *l, long budget);

/* The headline of n runs into buf, from each run's eplog_cartpole_solved
 * (-1: not solved): "solved 3/5 seeds, steps to solve: median 52000 (42500 to
 * 70000)", or "solved 0/5 seeds". Returns the number solved. */
int eplog_solved_summary(const long *solved, int n, char *buf, size_t len);

/* out[g] = mean return of the last `window` episodes finished at or before
 * grid[g] (grid increasing); NaN before the first episode. */
void eplog_curve(const EpisodeLog *l, const double *grid, int n_grid, int window, double *out);

/* Point-wise mean, min and max over n_runs curves stored (n_runs, n_grid);
 * a point where every run is NaN stays NaN, NaN runs are skipped otherwise. */
void eplog_band(const double *curves, int n_runs, int n_grid, double *mean, double *lo, double *hi);

/* The learning curves of n_runs runs (seeds) of one method, and their
 * point-wise mean, min and max: eplog_curve for each log, blanked (NaN) past
 * that run's budget[r] environment steps (budget may be NULL: no blanking),
 * then eplog_band. mean/lo/hi are (n_grid). */
void eplog_runs_band(const EpisodeLog *const *logs, const long *budget, int n_runs, const double *grid, int n_grid,
                     int window, double *mean, double *lo, double *hi);

/* The course's CartPole learning-curve figure: for each method a min–max band
 * and its mean line over seeds, x = environment steps 0..x_max, y = 0..520,
 * a dashed line at 475 ("solved"). mean/lo/hi are (n_methods, n_grid).
 * Returns plot_end()'s status. */
int eplog_plot_cartpole(const PlotOpts *po, const char *name, const char *title, int n_methods,
                        const char *const *labels, const double *grid, int n_grid, const double *mean,
                        const double *lo, const double *hi, double x_max);

#endif
