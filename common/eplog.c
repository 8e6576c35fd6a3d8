/* eplog.c — see eplog.h. */
#include "eplog.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

void eplog_init(EpisodeLog *l)
{
    l->n = l->cap = 0;
    l->step = NULL;
    l->ret = NULL;
}

void eplog_push(EpisodeLog *l, long step, double ret)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 256;
        long *s = realloc(l->step, (size_t)cap * sizeof *s);
        if (s) l->step = s;
        double *r = s ? realloc(l->ret, (size_t)cap * sizeof *r) : NULL;
        if (!s || !r) die(1, "out of memory growing an episode log to %d episodes", cap);
        l->ret = r;
        l->cap = cap;
    }
    l->step[l->n] = step;
    l->ret[l->n] = ret;
    l->n++;
}

void eplog_free(EpisodeLog *l)
{
    free(l->step);
    free(l->ret);
    eplog_init(l);
}

double eplog_window_mean(const EpisodeLog *l, int i, int window)
{
    int first = i - window + 1 < 0 ? 0 : i - window + 1;
    double sum = 0;
    for (int k = first; k <= i; k++) sum += l->ret[k];
    return sum / (i - first + 1);
}

int eplog_solved(const EpisodeLog *l, int window, double threshold, long *step_out)
{
    double sum = 0;
    for (int i = 0; i < l->n; i++) {
        sum += l->ret[i];
        if (i >= window) sum -= l->ret[i - window];
        if (i >= window - 1 && sum / window >= threshold) {
            if (step_out) *step_out = l->step[i];
            return i;
        }
    }
    return -1;
}

long eplog_cartpole_solved(const EpisodeLog *l, long budget)
{
    long step;
    if (eplog_solved(l, EPLOG_SOLVE_WINDOW, EPLOG_SOLVE_THRESHOLD, &step) < 0) return -1;
    return budget <= 0 || step <= budget ? step : -1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int eplog_solved_summary(const long *solved, int n, char *buf, size_t len)
{
    long *s = xcalloc((size_t)n, sizeof *s, "solved steps");
    int k = 0;
    for (int i = 0; i < n; i++)
        if (solved[i] >= 0) s[k++] = solved[i];
    qsort(s, (size_t)k, sizeof *s, cmp_long);
    if (k == 0) snprintf(buf, len, "solved 0/%d seeds", n);
    else
        snprintf(buf, len, "solved %d/%d seeds, steps to solve: median %ld (%ld to %ld)", k, n,
                 k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2, s[0], s[k - 1]);
    free(s);
    return k;
}

void eplog_curve(const EpisodeLog *l, const double *grid, int n_grid, int window, double *out)
{
    int i = -1;   /* last episode finished by grid[g] */
    for (int g = 0; g < n_grid; g++) {
        while (i + 1 < l->n && (double)l->step[i + 1] <= grid[g]) i++;
        out[g] = i < 0 ? NAN : eplog_window_mean(l, i, window);
    }
}

void eplog_band(const double *curves, int n_runs, int n_grid, double *mean, double *lo, double *hi)
{
    for (int g = 0; g < n_grid; g++) {
        double sum = 0, mn = INFINITY, mx = -INFINITY;
        int k = 0;
        for (int r = 0; r < n_runs; r++) {
            double v = curves[(size_t)r * n_grid + g];
            if (isnan(v)) continue;
            sum += v; k++;
            mn = fmin(mn, v); mx = fmax(mx, v);
        }
        mean[g] = k ? sum / k : NAN;
        lo[g] = k ? mn : NAN;
        hi[g] = k ? mx : NAN;
    }
}

void eplog_runs_band(const EpisodeLog *const *logs, const long *budget, int n_runs, const double *grid, int n_grid,
                     int window, double *mean, double *lo, double *hi)
{
    double *curves = xmalloc((size_t)n_runs * (size_t)n_grid * sizeof *curves, "learning curves");
    for (int r = 0; r < n_runs; r++) {
        double *c = curves + (size_t)r * n_grid;
        eplog_curve(logs[r], grid, n_grid, window, c);
        if (budget)
            for (int g = 0; g < n_grid; g++)
                if (grid[g] > (double)budget[r]) c[g] = NAN;
    }
    eplog_band(curves, n_runs, n_grid, mean, lo, hi);
    free(curves);
}

int eplog_plot_cartpole(const PlotOpts *po, const char *name, const char *title, int n_methods,
                        const char *const *labels, const double *grid, int n_grid, const double *mean,
                        const double *lo, const double *hi, double x_max)
{
    Plot *p = plot_begin(po, name, title);
    if (!p) return -1;
    plot_labels(p, "environment steps", "return (mean of the last 100 episodes)");
    plot_xrange(p, 0, x_max);
    plot_yrange(p, 0, 520);
    plot_raw(p, "set rmargin 5");   /* room for the last x tick label */
    plot_hline(p, 475, "solved (475)");
    for (int m = 0; m < n_methods; m++) {
        char band[96];
        snprintf(band, sizeof band, "%s: min–max over seeds", labels[m]);
        plot_band(p, grid, lo + (size_t)m * n_grid, hi + (size_t)m * n_grid, n_grid, NULL);
        plot_line(p, grid, mean + (size_t)m * n_grid, n_grid, labels[m]);
    }
    return plot_end(p);
}
