/* exercise.c — see exercise.h. */
#include "exercise.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int ex_all_zero(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0) return 0;
    return 1;
}

int ex_all_zerof(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0) return 0;
    return 1;
}

int ex_all_equal(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0]) return 0;
    return 1;
}

int ex_any_nonfinite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 1;
    return 0;
}

void ex_unfinished(const char *chapter, const char *exercise, const char *seen_fmt, ...)
{
    fflush(stdout);   /* what the program printed so far comes first */
    fprintf(stderr, "\nUnfinished exercise: %s (in exercises/%s/)\n  ", exercise, chapter);
    va_list ap;
    va_start(ap, seen_fmt);
    vfprintf(stderr, seen_fmt, ap);
    va_end(ap);
    fprintf(stderr, ": what the untouched stub does.\n"
                    "  The program stops here instead of drawing figures from it.\n"
                    "  `make check CH=%.2s` shows what it should return; `make run CH=%.2s` runs the reference solutions.\n",
            chapter, chapter);
    exit(EX_UNFINISHED);
}
