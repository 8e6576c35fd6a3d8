/* parallel — run independent jobs (one seed each, say) on a few threads.
 *
 *     static void train_seed(void *ctx, int i) { Job *jobs = ctx; ...jobs[i]... }
 *     par_for(n_jobs, threads, train_seed, jobs, &progress);   // progress may be NULL
 *
 * Jobs are handed out in index order to whichever thread is free, so results
 * must not depend on which thread ran a job: give each job its own Rng (seeded
 * from the job's seed) and its own output slot. With threads <= 1, or if a
 * thread cannot be started, jobs run on the calling thread, in order. A
 * Progress (already started) is advanced by one after each finished job.
 * par_threads() is the default: the number of online CPUs, at most 64.
 */
#ifndef PARALLEL_H
#define PARALLEL_H
#include "progress.h"

typedef void (*ParBody)(void *ctx, int i);

/* Run body(ctx, i) for i = 0..n_jobs-1; returns when every job is done. */
void par_for(int n_jobs, int threads, ParBody body, void *ctx, Progress *progress);
int par_threads(void);                                            /* online CPUs, 1..64 */

#endif
