/* ckx — assertions that teach, on top of Check.
 *
 * Check's ck_assert_* say *that* a value is wrong. A student also needs *where*
 * (which state, which index), *by how much*, and *what the likely mistake is*.
 * These helpers compare a value or a whole array against a reference with a
 * named tolerance, report the worst element, and append a hint.
 *
 *   ckx_close(got, want, tol, "V(A)", "did you discount by gamma?");
 *   ckx_close_array(V, ref, 25, 0.05, "V", "...");        // worst index reported
 *   ckx_close_grid(V, ref, 5, 5, 0.05, "V", "...");       // worst (row, col)
 *
 * A failure stops the test (Check's longjmp/exit), like ck_assert. Messages are
 * "what: expected W, got G (|diff| D > tol T). Hint: ...". NaN never passes.
 * Tolerances are absolute unless the name says rel.
 */
#ifndef CKX_H
#define CKX_H
#include <check.h>
#include <stdio.h>

/* Named tolerances used across the suites. */
#define TOL_EXACT   1e-12   /* the same arithmetic done two ways */
#define TOL_FLOAT   1e-5    /* float32 arithmetic done two ways */
#define TOL_BOOK    0.05    /* values printed to one decimal in a textbook figure */

void ckx_close_(const char *file, int line, double got, double want, double tol,
                const char *what, const char *hint);
void ckx_close_array_(const char *file, int line, const double *got, const double *want,
                      int n, double tol, const char *what, const char *hint);
void ckx_close_arrayf_(const char *file, int line, const float *got, const float *want,
                       int n, double tol, const char *what, const char *hint);
void ckx_close_grid_(const char *file, int line, const double *got, const double *want,
                     int rows, int cols, double tol, const char *what, const char *hint);
/* Relative error |g-w| / max(|g|, |w|, floor) for gradient checks. */
void ckx_rel_close_(const char *file, int line, double got, double want, double rel_tol,
                    double floor, const char *what, const char *hint);

/* A gradient under test against a reference (central differences), element
 * by element, by the relative error |got − want| / max(|got|, |want|, floor);
 * the worst element is reported. A NaN or infinity is reported as such
 * (first index). Guards: an all-zero gradient never passes,
 * whatever the tolerance, and neither does an all-zero reference (a forward
 * pass that ignores what is varied makes every central difference 0, and the
 * check would grade nothing). */
void ckx_check_grad_(const char *file, int line, const char *what, const float *got, const double *want, int n,
                     double rel_tol, double floor, const char *hint);

#define ckx_close(g, w, tol, what, hint) ckx_close_(__FILE__, __LINE__, (g), (w), (tol), (what), (hint))
#define ckx_close_array(g, w, n, tol, what, hint) ckx_close_array_(__FILE__, __LINE__, (g), (w), (n), (tol), (what), (hint))
#define ckx_close_arrayf(g, w, n, tol, what, hint) ckx_close_arrayf_(__FILE__, __LINE__, (g), (w), (n), (tol), (what), (hint))
#define ckx_close_grid(g, w, r, c, tol, what, hint) ckx_close_grid_(__FILE__, __LINE__, (g), (w), (r), (c), (tol), (what), (hint))
#define ckx_rel_close(g, w, tol, fl, what, hint) ckx_rel_close_(__FILE__, __LINE__, (g), (w), (tol), (fl), (what), (hint))
#define ckx_check_grad(what, got, want, n, tol, fl, hint) \
    ckx_check_grad_(__FILE__, __LINE__, (what), (got), (want), (n), (tol), (fl), (hint))

/* A test case named after the exercise it grades (the name make progress shows),
 * with a timeout in seconds so an infinite loop in student code is a failure. */
TCase *ckx_tcase(Suite *s, const char *name, double timeout_s);
/* bytes of zeroed memory (at least 1), or the test fails "out of memory" */
void *ckx_alloc(size_t bytes);
/* The timeout given to ckx_tcase for this case name, or 0 if none (the runner
 * quotes it when a test does not return). */
double ckx_tcase_timeout(const char *name);

/* What the code under test prints on purpose (an error message a test
 * provokes) is captured, so a passing run stays quiet, and checked:
 *
 *   CkxCapture c = ckx_capture_begin(2);      // 2: stderr, 1: stdout
 *   int rc = plot_end(p);                      // fails, and says why
 *   char *err = ckx_capture_end(c);            // everything it printed; free it
 *   ck_assert_msg(strstr(err, "fails.gp"), "the error does not name the script:\n%s", err);
 */
typedef struct { int fd, saved; FILE *tmp; } CkxCapture;
CkxCapture ckx_capture_begin(int fd);
char *ckx_capture_end(CkxCapture c);

/* Code that ends the process (exit(2) on a bad flag, a driver naming an
 * unfinished exercise) runs in a child process of the test's own:
 *
 *   static void bad_flag(void *ctx) { ...; cli_parse(3, argv, "t", opts, 1, &c); }
 *   char *err;
 *   int st = ckx_run_child(bad_flag, NULL, &err);   // its exit status, or 128 + signal
 *   ck_assert_int_eq(st, 2);
 *   ck_assert_msg(strstr(err, "--episodes"), "stderr was: %s", err);
 *   free(err);
 *
 * Not Check's tcase_add_exit_test: with CK_FORK=no (gdb, valgrind) that runs
 * in the runner's own process, whose exit stops every suite after it.
 * err (may be NULL) gets what the child wrote on stderr; free it. */
int ckx_run_child(void (*fn)(void *ctx), void *ctx, char **err);

#endif
