/* afile — output files that appear whole or not at all.
 *
 * A run that is interrupted (Ctrl-C), fills the disk or fails half way must
 * never leave a file that looks valid but is not: an empty PNG, a truncated
 * checkpoint, a .dat that stops mid-row. afile writes to a temporary file in
 * the same folder (".NAME.tmp-PID-K", hidden), and only afile_commit, once
 * every byte is written and flushed and the content checked, renames it over
 * NAME. rename() inside one folder is atomic: a reader sees the whole old file
 * or the whole new one, never a mix. (There is no fsync: this guards against
 * the program, not against a power cut.)
 *
 *     AFile a;
 *     char err[256];
 *     FILE *f = afile_open(&a, "plots/01_dp/values.dat", err, sizeof err);
 *     if (!f) { fprintf(stderr, "%s\n", err); return -1; }
 *     fprintf(f, "...");
 *     if (afile_commit(&a, AFILE_ANY, err, sizeof err) != 0) { fprintf(stderr, "%s\n", err); return -1; }
 *
 * Another program can fill the temporary file: afile_reserve creates it and
 * returns its name (gnuplot's `set output`), afile_commit checks what that
 * program left there (a PNG must end with its IEND chunk, a PDF with %%EOF, an
 * SVG with </svg>: gnuplot exits 0 even when the disk filled) and renames it.
 * afile_abort removes the temporary file and leaves NAME as it was.
 *
 * Interrupts: while a temporary file exists its name is registered.
 * afile_open and afile_reserve install handlers for SIGINT, SIGTERM and SIGHUP
 * (only where the action is still the default) that remove every
 * registered temporary file and then die of the same signal, so Ctrl-C leaves
 * neither a half-written NAME nor litter. Registration is lock-free: files may
 * be written from several threads.
 *
 * Errors: the functions returning int give 0 on success and -1 on failure
 * with a sentence naming the file and the reason in err (err may be NULL,
 * err_len may be 0). Nothing here prints or exits.
 */
#ifndef AFILE_H
#define AFILE_H
#include <stddef.h>
#include <stdio.h>

typedef struct {
    char *path;   /* the final name */
    char *tmp;    /* the temporary file beside it */
    FILE *f;      /* open on tmp (afile_open), or NULL (afile_reserve) */
    int slot;     /* its entry in the interrupt registry, or -1 */
} AFile;

/* What afile_commit checks before renaming. */
typedef enum {
    AFILE_ANY,    /* only that every write succeeded */
    AFILE_PNG,    /* ... and the file ends with a PNG IEND chunk */
    AFILE_PDF,    /* ... and ends with %%EOF (and a newline or two) */
    AFILE_SVG,    /* ... and ends with </svg> (and white space) */
} AFileKind;

/* Create the temporary file for path and open it for writing ("wb"); NULL on
 * failure (message in err). The folder must exist. */
FILE *afile_open(AFile *a, const char *path, char *err, size_t err_len);
/* Create the temporary file for path, closed, for another program to fill;
 * its name is a->tmp. 0 or -1. */
int afile_reserve(AFile *a, const char *path, char *err, size_t err_len);
/* Flush and close the stream (if any), check the content is kind, and rename
 * the temporary file to the final name. On failure the temporary file is
 * removed and the final name keeps its old content. Either way a is done. */
int afile_commit(AFile *a, AFileKind kind, char *err, size_t err_len);
/* Close and remove the temporary file; the final name is untouched. */
void afile_abort(AFile *a);

/* Does the file at path end the way a complete file of this kind ends?
 * 0 if so, -1 if not or unreadable (reason in err). AFILE_ANY: it exists. */
int afile_verify(const char *path, AFileKind kind, char *err, size_t err_len);

/* The kind of a file name's extension: .png, .pdf, .svg, else AFILE_ANY. */
AFileKind afile_kind_of(const char *path);

#endif
