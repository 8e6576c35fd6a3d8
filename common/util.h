/* util — the few helpers every program needs.
 *
 * xmalloc/xcalloc/xrealloc never return NULL: when memory runs out they print what was
 * being allocated and exit(1), so callers stay short and a failure still
 * names its cause. xmalloc and xcalloc return zeroed memory: a value read before it is
 * written is 0, never leftovers (an unfinished exercise then shows as zeros,
 * which the chapter programs recognise; see exercise.h). die() prints a
 * message and exits with the given status.
 */
#ifndef UTIL_H
#define UTIL_H
#include <stddef.h>

void *xmalloc(size_t bytes, const char *what);              /* zeroed memory or exit(1) naming `what` */
void *xcalloc(size_t count, size_t size, const char *what); /* calloc (zeroed) or exit(1) */
/* p resized to count x size bytes (p may be NULL), or exit(1) naming `what`;
 * like realloc, the bytes past the old size are NOT zeroed */
void *xrealloc(void *p, size_t count, size_t size, const char *what);
void die(int status, const char *fmt, ...);                 /* print "error: ..." to stderr, exit(status) */

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
