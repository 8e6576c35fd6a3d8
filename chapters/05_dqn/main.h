/* main.h — chapter 05's program: the runs it trains and the figures it draws.
 *
 * main.c sets up and trains the runs (a method and a seed each), prints the
 * summary and calls the figures of main_figures.c. Only this chapter's
 * program links these files.
 */
#ifndef DQN_MAIN_H
#define DQN_MAIN_H
#include "dqn.h"
#include "eplog.h"
#include "plot.h"

#include <stdint.h>

#define N_GRID  251        /* learning-curve points */

/* One training run: a method and a seed, and what came out. */
typedef struct {
    DqnConfig cfg;
    uint64_t seed;
    EpisodeLog log;     /* training episodes */
    DqnStats st;        /* evaluation blocks, counters */
    long solved;        /* the course's rule (eplog_cartpole_solved: 100 training episodes with mean >= 475):
                           the environment step, -1 if not solved */
    long solved_greedy; /* training step of the first greedy evaluation block with mean >= 475, -1 if none */
    double cpu;         /* CPU time of the run's thread (less than wall when the machine is busy) */
} Job;

/* The figures; jobs are (n_methods, seeds), methods[m] the DqnMethod of row m.
 * Each returns plot_end's status (0 on success). */
int plot_learning_curves(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds, double x_max);
int plot_eval_returns(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds);
int plot_overestimation(const PlotOpts *po, Job *jobs, const int *methods, int n_methods, int seeds);
int plot_max_bias(const PlotOpts *po, uint64_t seed, int quick);

#endif
