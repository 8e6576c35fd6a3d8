/* main_output.c — chapter 02: the printouts and the figures of the runs'
 * results. See main.h. */
#include "gridworld.h"
#include "main.h"
#include "plot.h"
#include "td.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ output */

/* Mean and standard error over the runs of the per-run levels. */
void level_stats(const Result *res, int runs, double *mean, double *se)
{
    double s = 0, ss = 0;
    for (int r = 0; r < runs; r++) s += res->run_level[r];
    *mean = s / runs;
    for (int r = 0; r < runs; r++) ss += (res->run_level[r] - *mean) * (res->run_level[r] - *mean);
    *se = runs > 1 ? sqrt(ss / (runs - 1) / runs) : 0.0;
}

/* "13 steps: 197 runs, 15 steps: 3 runs", most frequent first. */
void print_path_lengths(const Result *res, int runs)
{
    int count[MAX_PATH + 2] = { 0 };   /* index len + 1, so -1 (a loop) is 0 */
    for (int r = 0; r < runs; r++) count[res->path_len[r] + 1]++;
    printf("  %-15s greedy path length over %d runs:", td_method_name(res->method), runs);
    for (int shown = 0; shown < 6; shown++) {
        int best = -1;
        for (int i = 0; i < MAX_PATH + 2; i++)
            if (count[i] && (best < 0 || count[i] > count[best])) best = i;
        if (best < 0) break;
        if (best == 0) printf("%s no path (loops) in %d", shown ? "," : "", count[best]);
        else printf("%s %d steps in %d", shown ? "," : "", best - 1, count[best]);
        count[best] = 0;
    }
    printf("\n");
}

/* The grid with the greedy path of Q: S start, G goal, C cliff, * path. */
void print_path_grid(const Mdp *m, const Result *res, int runs)
{
    int path[MAX_PATH + 1], len;
    int steps = td_greedy_path(m, res->Qshown, MAX_PATH, path, &len);
    char grid[CLIFF_ROWS][CLIFF_COLS + 1];
    for (int r = 0; r < CLIFF_ROWS; r++) {
        for (int c = 0; c < CLIFF_COLS; c++) grid[r][c] = '.';
        grid[r][CLIFF_COLS] = '\0';
    }
    for (int c = 1; c < CLIFF_COLS - 1; c++) grid[CLIFF_ROWS - 1][c] = 'C';
    for (int i = 0; i < len; i++) grid[path[i] / m->cols][path[i] % m->cols] = '*';
    grid[CLIFF_ROWS - 1][0] = 'S';
    grid[CLIFF_ROWS - 1][CLIFF_COLS - 1] = 'G';
    if (steps >= 0)
        printf("\n%s, run %d: greedy path of %d steps (as in %d of %d runs)\n", td_method_name(res->method),
               res->shown, steps, res->shown_count, runs);
    else
        printf("\n%s, run %d: the greedy policy loops (as in %d of %d runs)\n", td_method_name(res->method),
               res->shown, res->shown_count, runs);
    for (int r = 0; r < CLIFF_ROWS; r++) printf("    %s\n", grid[r]);
}

/* The learned values as a table, for --plot dumb (a heatmap of 48 cells is
 * unreadable in a terminal): max_a Q(s,a) rounded, and the greedy action as
 * ^ > v <; C is the cliff, G the goal. */
void print_q_table(const Mdp *m, const Result *res)
{
    const int A = m->n_actions;
    printf("\n%s, run %d: max_a Q(s,a) and the greedy action (^ > v <); C cliff, G goal\n",
           td_method_name(res->method), res->shown);
    for (int r = 0; r < m->rows; r++) {
        printf("   ");
        for (int c = 0; c < m->cols; c++) {
            int s = r * m->cols + c;
            if (s > CLIFF_START && s < CLIFF_GOAL) { printf("     C"); continue; }
            if (m->terminal[s]) { printf("     G"); continue; }
            const double *q = res->Qshown + s * A;
            int a = td_greedy_action(q, A), drow, dcol;
            gw_action_delta(a, &drow, &dcol);
            printf(" %4.0f%c", q[a], drow < 0 ? '^' : drow > 0 ? 'v' : dcol > 0 ? '>' : '<');
        }
        printf("\n");
    }
}

/* Centred moving average of width w (shorter at the ends). */
void smooth(const double *y, int n, int w, double *out)
{
    for (int i = 0; i < n; i++) {
        int a = i - w / 2, b = a + w;
        if (a < 0) a = 0;
        if (b > n) b = n;
        double s = 0;
        for (int j = a; j < b; j++) s += y[j];
        out[i] = s / (b - a);
    }
}

/* ------------------------------------------------------------------ figures */

int plot_curves(const PlotOpts *po, Result *res, int nres, int runs, int episodes)
{
    char title[160];
    snprintf(title, sizeof title,
             "Cliff walking (S&B Example 6.6, Fig. 6.4): mean over %d runs, %d-episode moving average", runs, SMOOTH);
    Plot *p = plot_begin(po, "fig6_4_sum_of_rewards", title);
    if (!p) return -1;
    double *x = xcalloc(2 * (size_t)episodes, sizeof *x, "episode axis");
    double *y = x + episodes;
    for (int e = 0; e < episodes; e++) x[e] = e + 1;
    plot_labels(p, "episode", "sum of rewards during episode");
    plot_xrange(p, 0, episodes);
    plot_yrange(p, -100, 0);
    for (int i = 0; i < nres; i++) {
        smooth(res[i].mean, episodes, SMOOTH, y);
        plot_line(p, x, y, episodes, td_method_name(res[i].method));
    }
    free(x);
    return plot_end(p);
}

/* The learned greedy paths on the grid: cell kinds as a background, one line
 * per method. Lines are nudged apart so that shared stretches stay visible. */
int plot_paths(const PlotOpts *po, const Mdp *m, Result *res, int nres, int runs, int episodes)
{
    char title[160];
    snprintf(title, sizeof title, "Cliff walking: greedy paths after %d episodes (per method, a run with the most "
             "common path)", episodes);
    Plot *p = plot_begin(po, "greedy_paths", title);
    if (!p) return -1;
    plot_size(p, 1000, 460);
    plot_labels(p, "column", "row");
    double kind[CLIFF_ROWS * CLIFF_COLS] = { 0 };
    for (int c = 1; c < CLIFF_COLS - 1; c++) kind[CLIFF_START + c] = 2;   /* the cliff */
    kind[CLIFF_START] = kind[CLIFF_GOAL] = 1;
    plot_heatmap(p, kind, CLIFF_ROWS, CLIFF_COLS, NULL);
    plot_raw(p, "set palette defined (0 '#ffffff', 1 '#b8e186', 2 '#8c8c8c')   # free, start/goal, cliff");
    plot_raw(p, "set cbrange [0:2]");
    plot_raw(p, "unset colorbox");
    /* cell borders: grid lines at the half-integers of the secondary axes */
    plot_raw(p, "set x2range [-0.5:11.5]");
    plot_raw(p, "set y2range [3.5:-0.5]");
    plot_raw(p, "set x2tics -0.5,1,11.5 format '' scale 0");
    plot_raw(p, "set y2tics -0.5,1,3.5 format '' scale 0");
    plot_raw(p, "set grid x2tics y2tics front lt 1 dt solid lc rgb '#c8c8c8' lw 1");
    plot_label(p, 0, 3.3, "S");
    plot_label(p, 11, 3.3, "G");
    plot_label(p, 5.5, 3, "the cliff (-100, back to S)");
    int path[MAX_PATH + 1], len;
    double x[MAX_PATH + 1], y[MAX_PATH + 1];
    for (int i = 0; i < nres; i++) {
        int steps = td_greedy_path(m, res[i].Qshown, MAX_PATH, path, &len);
        double off = 0.12 * (i - (nres - 1) / 2.0);
        for (int k = 0; k < len; k++) {
            x[k] = path[k] % m->cols + off;
            y[k] = path[k] / m->cols + off;
        }
        char legend[96], what[32];
        if (steps >= 0) snprintf(what, sizeof what, "%d steps", steps);
        else snprintf(what, sizeof what, "loops");
        snprintf(legend, sizeof legend, "%s, run %d: %s (%d of %d runs)", td_method_name(res[i].method),
                 res[i].shown, what, res[i].shown_count, runs);
        plot_line(p, x, y, len, legend);
    }
    return plot_end(p);
}

/* max_a Q(s,a) per cell with the greedy action as an arrow; cliff cells (never
 * occupied) are left blank. */
int plot_q_values(const PlotOpts *po, const Mdp *m, Result *res, int nres)
{
    Plot *p = plot_begin_multi(po, "q_values", "Cliff walking: max_a Q(s,a) and the greedy action in the runs drawn in "
                               "greedy\\_paths", nres, 1);
    if (!p) return -1;
    plot_size(p, 900, 330 * nres + 40);
    const int S = m->n_states, A = m->n_actions;
    double v[CLIFF_ROWS * CLIFF_COLS], x[CLIFF_ROWS * CLIFF_COLS], y[CLIFF_ROWS * CLIFF_COLS];
    double dx[CLIFF_ROWS * CLIFF_COLS], dy[CLIFF_ROWS * CLIFF_COLS];
    for (int i = 0; i < nres; i++) {
        int n = 0;
        for (int s = 0; s < S; s++) {
            const double *q = res[i].Qshown + s * A;
            int a = td_greedy_action(q, A);
            int cliff = s > CLIFF_START && s < CLIFF_GOAL;
            v[s] = cliff ? NAN : q[a];
            if (cliff || m->terminal[s]) continue;
            int drow, dcol;
            gw_action_delta(a, &drow, &dcol);
            x[n] = s % m->cols; y[n] = s / m->cols;
            dx[n] = 0.3 * dcol; dy[n] = 0.3 * drow;
            n++;
        }
        char panel[64];
        snprintf(panel, sizeof panel, "%s, run %d", td_method_name(res[i].method), res[i].shown);
        plot_panel(p, panel);
        plot_labels(p, "column", "row");
        plot_raw(p, "set cblabel 'max_a Q(s,a)' offset 1,0");
        plot_heatmap(p, v, m->rows, m->cols, "%.0f");
        plot_arrows(p, x, y, dx, dy, n, NULL);
        plot_label(p, 5.5, 3, "the cliff");
    }
    return plot_end(p);
}
