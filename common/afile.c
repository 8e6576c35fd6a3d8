/* afile.c — see afile.h. */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(char *err, size_t len, const char *fmt, ...)
{
    if (!err || !len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- the interrupt registry */

/* Names of the temporary files that exist now. A slot is taken with a
 * compare-and-swap from NULL and released by storing NULL before the name is
 * freed, so the handler only ever sees a whole, live string. */
#define AFILE_SLOTS 64
static _Atomic(char *) pending[AFILE_SLOTS];

static const int CLEANUP_SIGNALS[] = { SIGINT, SIGTERM, SIGHUP };

static void remove_pending_and_die(int sig)
{
    for (int i = 0; i < AFILE_SLOTS; i++) {
        char *name = atomic_load(&pending[i]);
        if (name) unlink(name);          /* async-signal-safe */
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    for (size_t i = 0; i < sizeof CLEANUP_SIGNALS / sizeof CLEANUP_SIGNALS[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(CLEANUP_SIGNALS[i], NULL, &old) != 0) continue;
        if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;   /* the program's own, or ignored */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = remove_pending_and_die;
        sigemptyset(&sa.sa_mask);
        sigaction(CLEANUP_SIGNALS[i], &sa, NULL);
    }
}

static int register_tmp(char *name)
{
    install_handlers();   /* each time: a child may have reset them, and it costs three system calls */
    for (int i = 0; i < AFILE_SLOTS; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&pending[i], &expected, name)) return i;
    }
    return -1;   /* all taken: still atomic, only not cleaned up on Ctrl-C */
}

static void unregister_tmp(AFile *a)
{
    if (a->slot >= 0) atomic_store(&pending[a->slot], NULL);
    a->slot = -1;
}

/* ---------------------------------------------------------------- creating */

/* DIR/.BASE.tmp-PID-K for path DIR/BASE, created empty with O_EXCL; fd or -1. */
static int create_tmp(AFile *a, const char *path, char *err, size_t err_len)
{
    static atomic_uint counter;
    memset(a, 0, sizeof *a);
    a->slot = -1;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dirlen = (size_t)(base - path);
    if (!*base) {
        say(err, err_len, "%s: not a file name (it ends with '/')", path);
        return -1;
    }
    size_t len = strlen(path) + 48;
    a->path = malloc(strlen(path) + 1);
    a->tmp = malloc(len);
    if (!a->path || !a->tmp) {
        say(err, err_len, "%s: out of memory", path);
        free(a->path); free(a->tmp); a->path = a->tmp = NULL;
        return -1;
    }
    strcpy(a->path, path);
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(a->tmp, len, "%.*s.%s.tmp-%ld-%u", (int)dirlen, path, base, (long)getpid(),
                 atomic_fetch_add(&counter, 1u));
        int fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0) {
            a->slot = register_tmp(a->tmp);
            return fd;
        }
        if (errno != EEXIST) {
            say(err, err_len, "cannot write %s: %s", path, strerror(errno));
            break;
        }
    }
    if (errno == EEXIST) say(err, err_len, "cannot write %s: no free temporary name beside it", path);
    free(a->path); free(a->tmp); a->path = a->tmp = NULL;
    return -1;
}

FILE *afile_open(AFile *a, const char *path, char *err, size_t err_len)
{
    int fd = create_tmp(a, path, err, err_len);
    if (fd < 0) return NULL;
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        say(err, err_len, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        afile_abort(a);
        return NULL;
    }
    return a->f;
}

int afile_reserve(AFile *a, const char *path, char *err, size_t err_len)
{
    int fd = create_tmp(a, path, err, err_len);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

/* ---------------------------------------------------------------- checking */

AFileKind afile_kind_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/')) return AFILE_ANY;
    if (!strcmp(dot, ".png")) return AFILE_PNG;
    if (!strcmp(dot, ".pdf")) return AFILE_PDF;
    if (!strcmp(dot, ".svg")) return AFILE_SVG;
    return AFILE_ANY;
}

/* Does s (n bytes) end with word, ignoring trailing white space? */
static int ends_with(const unsigned char *s, size_t n, const char *word)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    size_t w = strlen(word);
    return n >= w && memcmp(s + n - w, word, w) == 0;
}

/* 0 if the file at path ends like a complete file of this kind, else -1
 * with the reason (without the path) in why. */
static int check_content(const char *path, AFileKind kind, char *why_out, size_t why_len)
{
    /* PNG: the 8-byte signature, and last the IEND chunk: length 0, "IEND", its CRC */
    static const unsigned char PNG_HEAD[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    static const unsigned char PNG_TAIL[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
    FILE *f = fopen(path, "rb");
    if (!f) {
        say(why_out, why_len, "%s", strerror(errno));
        return -1;
    }
    unsigned char head[8] = { 0 }, tail[64];
    size_t nhead = fread(head, 1, sizeof head, f);
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    size_t ntail = 0;
    if (size >= 0) {
        long from = size > (long)sizeof tail ? size - (long)sizeof tail : 0;
        if (fseek(f, from, SEEK_SET) == 0) ntail = fread(tail, 1, sizeof tail, f);
    }
    int read_error = ferror(f) || size < 0;
    fclose(f);
    const char *why = NULL;
    if (read_error) why = "cannot read it back";
    else if (kind == AFILE_PNG && (nhead < 8 || memcmp(head, PNG_HEAD, 8) != 0)) why = "not a PNG";
    else if (kind == AFILE_PNG && (ntail < 12 || memcmp(tail + ntail - 12, PNG_TAIL, 12) != 0)) why = "no IEND chunk at the end";
    else if (kind == AFILE_PDF && !ends_with(tail, ntail, "%%EOF")) why = "no %%EOF at the end";
    else if (kind == AFILE_SVG && !ends_with(tail, ntail, "</svg>")) why = "no </svg> at the end";
    if (!why) return 0;
    say(why_out, why_len, "%s (%ld bytes)", why, size);
    return -1;
}

int afile_verify(const char *path, AFileKind kind, char *err, size_t err_len)
{
    char why[160];
    if (check_content(path, kind, why, sizeof why) == 0) return 0;
    say(err, err_len, "%s: %s", path, why);
    return -1;
}

/* ---------------------------------------------------------------- finishing */

static void release(AFile *a)
{
    unregister_tmp(a);
    free(a->path); free(a->tmp);
    a->path = a->tmp = NULL;
    a->f = NULL;
}

void afile_abort(AFile *a)
{
    if (!a || !a->tmp) return;
    if (a->f) fclose(a->f);
    unlink(a->tmp);
    release(a);
}

int afile_commit(AFile *a, AFileKind kind, char *err, size_t err_len)
{
    if (!a || !a->tmp) {
        say(err, err_len, "afile_commit: no file in progress");
        return -1;
    }
    if (a->f) {
        errno = 0;
        int bad = ferror(a->f) | (fflush(a->f) != 0);
        int saved = errno;
        if (fclose(a->f) != 0 && !bad) { bad = 1; saved = errno; }
        a->f = NULL;
        if (bad) {
            say(err, err_len, "error writing %s: %s (disk full?)", a->path, saved ? strerror(saved) : "write failed");
            afile_abort(a);
            return -1;
        }
    }
    char why[160];
    if (check_content(a->tmp, kind, why, sizeof why) != 0) {
        say(err, err_len, "%s is incomplete: %s (disk full, or the writer stopped early?)", a->path, why);
        afile_abort(a);
        return -1;
    }
    if (rename(a->tmp, a->path) != 0) {
        say(err, err_len, "cannot write %s: renaming %s into place: %s", a->path, a->tmp, strerror(errno));
        afile_abort(a);
        return -1;
    }
    release(a);
    return 0;
}
