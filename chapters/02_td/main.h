/* main.h — chapter 02's program: what a method's runs produced, and the
 * printouts and figures of main_output.c. Only this chapter's program links
 * these files. */
#ifndef TD_MAIN_H
#define TD_MAIN_H
#include "gridworld.h"
#include "plot.h"
#include "td.h"

#define MAX_STEPS 100000   /* per episode; cuts off a policy that walks in circles */
#define MAX_PATH  200      /* longest greedy path followed before calling it a loop */
#define LEVEL_LEN 100      /* the level is the mean of the last 100 episodes (400–499 of 500) */
#define SMOOTH    10       /* width of the moving average drawn over the mean curves */

/* What one method produced over all runs. */
typedef struct {
    TdMethod method;
    double *mean;       /* (episodes) sum of rewards per episode, mean over runs */
    double *run_level;  /* (runs) each run's mean over the level window */
    int *path_len;      /* (runs) greedy path length at the end of each run, -1 = loops */
    int shown;          /* the run drawn: the first with the most common path length */
    int shown_count;    /* how many runs share that length */
    double *Qshown;     /* (S, A) its Q table, replayed from seed + shown */
    int cut;            /* episodes cut off at MAX_STEPS, all runs together */
    double seconds;     /* wall-clock time of the runs */
} Result;

/* ---- printouts (main_output.c) */
void level_stats(const Result *res, int runs, double *mean, double *se);   /* mean and s.e. over runs */
void print_path_lengths(const Result *res, int runs);   /* "13 steps in 197, ..." */
void print_path_grid(const Mdp *m, const Result *res, int runs);   /* the grid with the greedy path */
void print_q_table(const Mdp *m, const Result *res);   /* max_a Q and the greedy action, as text */
void smooth(const double *y, int n, int w, double *out);   /* centred moving average of width w */

/* ---- figures (main_output.c); each returns plot_end's status */
int plot_curves(const PlotOpts *po, Result *res, int nres, int runs, int episodes);
int plot_paths(const PlotOpts *po, const Mdp *m, Result *res, int nres, int runs, int episodes);
int plot_q_values(const PlotOpts *po, const Mdp *m, Result *res, int nres);

#endif
