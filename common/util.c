/* util.c — see util.h. */
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void *xmalloc(size_t bytes, const char *what)
{
    void *p = calloc(1, bytes ? bytes : 1);   /* zeroed: see util.h */
    if (!p) die(1, "out of memory allocating %zu bytes for %s", bytes, what);
    return p;
}

void *xcalloc(size_t count, size_t size, const char *what)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) die(1, "out of memory allocating %zu x %zu bytes for %s", count, size, what);
    return p;
}

void *xrealloc(void *p, size_t count, size_t size, const char *what)
{
    if (size && count > SIZE_MAX / size) die(1, "%zu x %zu bytes for %s overflow size_t", count, size, what);
    void *q = realloc(p, count && size ? count * size : 1);
    if (!q) die(1, "out of memory growing %s to %zu x %zu bytes", what, count, size);
    return q;
}

void die(int status, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);   /* what the program printed so far comes first */
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}
