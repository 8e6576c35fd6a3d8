/* progress.c — see progress.h. */
#include "progress.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double progress_thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return NAN;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_start_to(Progress *p, FILE *out, int tty, const char *label, long total, int quiet)
{
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->total = total > 0 ? total : 1;
    p->quiet = quiet;
    p->tty = tty;
    p->out = out;
    p->t_start = progress_now();
    p->t_drawn = -1.0;
    p->quarter = -1;
    progress_update(p, 0, NULL);
}

void progress_start(Progress *p, const char *label, long total, int quiet)
{
    progress_start_to(p, stdout, isatty(fileno(stdout)), label, total, quiet);
}

static void fmt_time(char *buf, size_t n, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void draw(Progress *p, double now, int final)
{
    double elapsed = now - p->t_start;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0.0;
    double frac = (double)p->done / (double)p->total;
    char eta[32];
    if (final) fmt_time(eta, sizeof eta, elapsed);
    else if (rate > 0) fmt_time(eta, sizeof eta, (double)(p->total - p->done) / rate);
    else snprintf(eta, sizeof eta, "?");
    if (p->tty) {
        char bar[21];
        int filled = (int)(frac * 20);
        for (int i = 0; i < 20; i++) bar[i] = i < filled ? '#' : '-';
        bar[20] = '\0';
        fprintf(p->out, "\r%s [%s] %3d%%  %ld/%ld  %.4g it/s  %s %s  %s\033[K", p->label, bar,
                (int)(frac * 100), p->done, p->total, rate, final ? "took" : "ETA", eta, p->metric);
        if (final) fputc('\n', p->out);
    } else {
        fprintf(p->out, "%s: %3d%%  %ld/%ld  %s %s%s%s\n", p->label, (int)(frac * 100), p->done, p->total,
                final ? "took" : "ETA", eta, p->metric[0] ? "  " : "", p->metric);
    }
    fflush(p->out);
    p->t_drawn = now;
}

void progress_update(Progress *p, long done, const char *metric_fmt, ...)
{
    p->done = done < p->total ? done : p->total;
    if (metric_fmt) {
        va_list ap;
        va_start(ap, metric_fmt);
        vsnprintf(p->metric, sizeof p->metric, metric_fmt, ap);
        va_end(ap);
    }
    if (p->quiet) return;
    double now = progress_now();
    if (p->tty) {
        if (p->t_drawn < 0 || now - p->t_drawn >= 0.1) draw(p, now, 0);
    } else {
        int quarter = (int)(4 * p->done / p->total);
        if (quarter > p->quarter && quarter < 4) {   /* 100% is progress_finish's line */
            p->quarter = quarter;
            draw(p, now, 0);
        }
    }
}

void progress_finish(Progress *p)
{
    p->done = p->total;
    if (!p->quiet) draw(p, progress_now(), 1);
}
