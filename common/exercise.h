/* exercise — how a chapter program notices an exercise that is not written yet.
 *
 * Built on your code (make run CH=NN IMPL=exercises), a chapter program calls
 * exercise functions whose stubs return 0, leave their outputs as they were
 * (zeros: every allocation of the course is zeroed), or produce NaN. Drawing
 * that gives an empty or meaningless figure with no word of why. So after
 * calling an exercise the driver looks at what came back with one of the
 * tests below; if it is what a stub leaves, it calls ex_unfinished, which
 * names the exercise, says what it saw, points to `make check CH=NN`, and
 * exits with status EX_UNFINISHED. The figures drawn before that stay.
 *
 *     dp_evaluate_policy(g, pi, theta, 100000, 0, V, NULL);
 *     if (ex_all_zero(V, S))
 *         ex_unfinished("01_dp", "dp_policy_evaluation_sweep", "v_random is 0 in every state");
 *
 * The tests are deliberately coarse: they catch a stub, not a subtle bug.
 * Grading an exercise is the test suite's job.
 */
#ifndef EXERCISE_H
#define EXERCISE_H
#include <stddef.h>

#define EX_UNFINISHED 3  /* exit status of a program stopped by an unfinished exercise */

int ex_all_zero(const double *x, size_t n);      /* every x[i] == 0 (true for n = 0) */
int ex_all_zerof(const float *x, size_t n);      /* the same for a float array */
int ex_all_equal(const double *x, size_t n);     /* every x[i] == x[0]: a curve that never moves */
int ex_any_nonfinite(const double *x, size_t n); /* some x[i] is NaN or infinite */

/* Print, on stderr, that `chapter` ("01_dp") stops because `exercise` (a
 * function name, or several joined by " / ") looks unfinished, with what was
 * seen (printf-style), and how to go on; then exit(EX_UNFINISHED). */
void ex_unfinished(const char *chapter, const char *exercise, const char *seen_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4), noreturn))
#endif
    ;

#endif
