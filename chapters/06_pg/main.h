/* main.h — chapter 06's program: the REINFORCE variants it compares and the
 * gradient-variance probe.
 *
 * main.c sets up and trains the runs (a variant and a seed each), prints the
 * results and draws the learning curves; main_probe.c measures the variance
 * of the gradient estimate along one run of the main method, prints it and
 * draws it. Only this chapter's program links these files.
 */
#ifndef PG_MAIN_H
#define PG_MAIN_H
#include "mlp.h"
#include "pg.h"
#include "plot.h"
#include "rng.h"

#include <stdint.h>

typedef struct {
    const char *label;     /* legend and table */
    const char *baseline_label;   /* the baseline alone (variance figure) */
    PgBaseline baseline;
    int normalize, bootstrap;
} Variant;

#define N_VARIANTS 3
#define MAIN_VARIANT 2
extern const Variant VARIANTS[N_VARIANTS];   /* main.c */

/* ---- the variance probe (main_probe.c) */

/* Checkpoints (environment steps) at which the gradient variance is measured. */
static const long CHECKPOINTS[] = { 0, 10000, 20000, 40000, 60000, 80000, 100000, 150000, 200000, 300000, 400000,
                                    500000 };
#define MAX_CP ((int)(sizeof CHECKPOINTS / sizeof CHECKPOINTS[0]))

/* The two kinds of returns-to-go the estimators are built on. */
enum { RET_MC, RET_BOOT, N_RET };

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

/* A PgCheckpointFn (pg.h) with ctx = the Probe: measures at each checkpoint the run passes. */
void probe_checkpoint(void *ctx, long step, Mlp *policy, Mlp *value);
void print_probe(const Probe *pr, uint64_t seed);
int plot_variance(const PlotOpts *po, const Probe *pr, uint64_t seed);   /* plot_end's status */

#endif
