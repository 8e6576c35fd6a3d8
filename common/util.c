/* util.c — see util.h. */
#include "util.h"

#include <stdarg.h>
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
