/* progress — what a long loop is doing.
 *
 * On a terminal: one line redrawn in place at most 10 times a second,
 *   label [########------------]  42%  420/1000  1234 it/s  ETA 0:03  return -25.1
 * Elsewhere (a pipe, a log, CI): a plain line at 0, 25, 50, 75 and 100%.
 * With quiet set: nothing at all.
 *
 *     Progress pr;
 *     progress_start(&pr, "SARSA runs", n_runs, c.quiet);
 *     for (int i = 0; i < n_runs; i++) { ...; progress_update(&pr, i + 1, "return %.1f", ret); }
 *     progress_finish(&pr);
 *
 * Output goes to stdout (so it interleaves with the program's other lines).
 * Nothing here allocates; a Progress lives on the caller's stack.
 */
#ifndef PROGRESS_H
#define PROGRESS_H
#include <stdio.h>

typedef struct {
    char label[48];    /* what is being done */
    long total;        /* number of units of work */
    long done;         /* units done so far */
    int quiet;         /* 1: print nothing */
    int tty;           /* 1: redraw one line in place */
    FILE *out;         /* where to print (stdout unless progress_start_to) */
    double t_start;    /* monotonic seconds at start */
    double t_drawn;    /* when the line was last drawn */
    int quarter;       /* plain mode: last quarter printed (0..4), -1 before start */
    char metric[64];   /* the live metric, e.g. "loss 0.031" */
} Progress;

void progress_start(Progress *p, const char *label, long total, int quiet);
/* The same, to a given stream, with tty mode chosen by the caller (for tests). */
void progress_start_to(Progress *p, FILE *out, int tty, const char *label, long total, int quiet);
/* Units done so far, and an optional printf-style live metric (NULL for none). */
void progress_update(Progress *p, long done, const char *metric_fmt, ...);
/* The final line (total reached, elapsed time). */
void progress_finish(Progress *p);

double progress_now(void);          /* monotonic clock in seconds */
double progress_thread_cpu(void);   /* CPU seconds used by the calling thread (NaN if unknown) */

#endif
