/* ckx.c — see ckx.h. */
#include "ckx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int close_enough(double g, double w, double tol)
{
    return !isnan(g) && !isnan(w) && fabs(g - w) <= tol;
}

static void fail_at(const char *file, int line, const char *where, double got, double want,
                    double tol, const char *hint)
{
    _ck_assert_failed(file, line, "ckx", "%s: expected %.6g, got %.6g (|diff| %.3g > tol %.3g).%s%s",
                      where, want, got, fabs(got - want), tol, hint ? " Hint: " : "", hint ? hint : "");
}

void ckx_close_(const char *file, int line, double got, double want, double tol,
                const char *what, const char *hint)
{
    if (!close_enough(got, want, tol)) fail_at(file, line, what, got, want, tol, hint);
}

/* Index of the worst element, or -1 if every element is within tol. */
static int worst_index(const double *got, const double *want, int n, double tol)
{
    int worst = -1;
    double wdiff = -1;
    for (int i = 0; i < n; i++) {
        double d = isnan(got[i]) || isnan(want[i]) ? INFINITY : fabs(got[i] - want[i]);
        if (d > tol && d > wdiff) { wdiff = d; worst = i; }
    }
    return worst;
}

void ckx_close_array_(const char *file, int line, const double *got, const double *want,
                      int n, double tol, const char *what, const char *hint)
{
    int i = worst_index(got, want, n, tol);
    if (i < 0) return;
    char where[160];
    snprintf(where, sizeof where, "%s[%d] (worst of %d elements)", what, i, n);
    fail_at(file, line, where, got[i], want[i], tol, hint);
}

void ckx_close_arrayf_(const char *file, int line, const float *got, const float *want,
                       int n, double tol, const char *what, const char *hint)
{
    int worst = -1;
    double wdiff = -1;
    for (int i = 0; i < n; i++) {
        double d = isnan(got[i]) || isnan(want[i]) ? INFINITY : fabs((double)got[i] - want[i]);
        if (d > tol && d > wdiff) { wdiff = d; worst = i; }
    }
    if (worst < 0) return;
    char where[160];
    snprintf(where, sizeof where, "%s[%d] (worst of %d elements)", what, worst, n);
    fail_at(file, line, where, got[worst], want[worst], tol, hint);
}

void ckx_close_grid_(const char *file, int line, const double *got, const double *want,
                     int rows, int cols, double tol, const char *what, const char *hint)
{
    int i = worst_index(got, want, rows * cols, tol);
    if (i < 0) return;
    char where[160];
    snprintf(where, sizeof where, "%s at (row %d, col %d) (worst cell)", what, i / cols, i % cols);
    fail_at(file, line, where, got[i], want[i], tol, hint);
}

void ckx_rel_close_(const char *file, int line, double got, double want, double rel_tol,
                    double floor, const char *what, const char *hint)
{
    double scale = fmax(fmax(fabs(got), fabs(want)), floor);
    double rel = fabs(got - want) / scale;
    if (isnan(rel) || rel > rel_tol)
        _ck_assert_failed(file, line, "ckx", "%s: expected %.6g, got %.6g (relative error %.3g > %.3g).%s%s",
                          what, want, got, rel, rel_tol, hint ? " Hint: " : "", hint ? hint : "");
}

void ckx_check_grad_(const char *file, int line, const char *what, const float *got, const double *want, int n,
                     double rel_tol, double floor, const char *hint)
{
    double gmax = 0, wmax = 0, werr = -1;
    int worst = 0, bad = -1;
    for (int i = 0; i < n; i++) {
        if (!isfinite(got[i]) && bad < 0) bad = i;
        gmax = fmax(gmax, fabs(got[i]));
        wmax = fmax(wmax, fabs(want[i]));
        double e = isfinite(got[i]) ? fabs(got[i] - want[i]) / fmax(fmax(fabs(got[i]), fabs(want[i])), floor)
                                    : INFINITY;
        if (e > werr) { werr = e; worst = i; }
    }
    if (!(wmax > 0))
        _ck_assert_failed(file, line, "grad", "%s: the central difference is all zero: the output does not depend on "
                          "what is being varied, so nothing is checked. Is the forward pass written?%s%s", what,
                          hint ? " Hint: " : "", hint ? hint : "");
    if (bad >= 0)
        _ck_assert_failed(file, line, "grad", "%s[%d]: your gradient is %g (the central difference is %.6g). Was it "
                          "written? (the test fills outputs with NaN before the call)%s%s", what, bad, got[bad],
                          want[bad], hint ? " Hint: " : "", hint ? hint : "");
    if (gmax == 0)
        _ck_assert_failed(file, line, "grad", "%s: your gradient is all zero, the central difference is not (largest "
                          "|reference| %.3g).%s%s", what, wmax, hint ? " Hint: " : "", hint ? hint : "");
    if (!(werr <= rel_tol))
        _ck_assert_failed(file, line, "grad", "%s[%d] (worst of %d): central difference %.6g, yours %.6g (relative "
                          "error %.2g > %.2g).%s%s", what, worst, n, want[worst], got[worst], werr, rel_tol,
                          hint ? " Hint: " : "", hint ? hint : "");
}

/* The timeouts given to ckx_tcase, by case name (names are string literals). */
typedef struct { const char *name; double seconds; } CkxTimeout;
static CkxTimeout timeouts[256];
static int n_timeouts;

double ckx_tcase_timeout(const char *name)
{
    for (int i = 0; i < n_timeouts; i++)
        if (strcmp(timeouts[i].name, name) == 0) return timeouts[i].seconds;
    return 0;
}

TCase *ckx_tcase(Suite *s, const char *name, double timeout_s)
{
    if (n_timeouts < (int)(sizeof timeouts / sizeof timeouts[0]))
        timeouts[n_timeouts++] = (CkxTimeout){ name, timeout_s };
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, timeout_s);
    suite_add_tcase(s, tc);
    return tc;
}

CkxCapture ckx_capture_begin(int fd)
{
    fflush(NULL);
    CkxCapture c = { fd, dup(fd), tmpfile() };
    ck_assert_msg(c.saved >= 0 && c.tmp, "cannot capture file descriptor %d", fd);
    ck_assert_msg(dup2(fileno(c.tmp), fd) >= 0, "cannot redirect file descriptor %d", fd);
    return c;
}

char *ckx_capture_end(CkxCapture c)
{
    fflush(NULL);
    dup2(c.saved, c.fd);
    close(c.saved);
    long n = ftell(c.tmp) >= 0 && fseek(c.tmp, 0, SEEK_END) == 0 ? ftell(c.tmp) : 0;
    char *text = malloc((size_t)(n > 0 ? n : 0) + 1);
    ck_assert_msg(text != NULL, "out of memory reading captured output");
    rewind(c.tmp);
    size_t got = fread(text, 1, (size_t)(n > 0 ? n : 0), c.tmp);
    text[got] = '\0';
    fclose(c.tmp);
    return text;
}

int ckx_run_child(void (*fn)(void *ctx), void *ctx, char **err)
{
    CkxCapture c = ckx_capture_begin(2);
    pid_t pid = fork();
    if (pid == 0) {
        fn(ctx);
        fflush(NULL);
        _exit(0);
    }
    int st = 0;
    pid_t got = pid > 0 ? waitpid(pid, &st, 0) : -1;
    char *text = ckx_capture_end(c);
    if (err) *err = text;
    else free(text);
    ck_assert_msg(pid > 0 && got == pid, "ckx_run_child: cannot start or wait for the child process");
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

void *ckx_alloc(size_t bytes)
{
    void *p = calloc(1, bytes ? bytes : 1);
    ck_assert_msg(p != NULL, "out of memory (%zu bytes)", bytes);
    return p;
}
