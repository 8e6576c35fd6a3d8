/* test_exercise.c — the checks a chapter program makes on an exercise's result,
 * and the exit that names an unfinished exercise; xmalloc's memory is zeroed. */
#include "ckx.h"
#include "exercise.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(recognises_what_a_stub_leaves)
{
    double zeros[4] = { 0, 0, 0, 0 }, flat[3] = { -2, -2, -2 }, moving[3] = { -2, -2, -1.5 };
    float zf[2] = { 0, 0 }, nzf[2] = { 0, 1e-30f };
    ck_assert(ex_all_zero(zeros, 4));
    ck_assert(!ex_all_zero(moving, 3));
    ck_assert(ex_all_zero(NULL, 0));
    ck_assert(ex_all_zerof(zf, 2));
    ck_assert(!ex_all_zerof(nzf, 2));
    ck_assert(ex_all_equal(flat, 3));
    ck_assert(!ex_all_equal(moving, 3));
    double bad[3] = { 1, NAN, 2 }, inf[2] = { 1, -INFINITY };
    ck_assert(ex_any_nonfinite(bad, 3));
    ck_assert(ex_any_nonfinite(inf, 2));
    ck_assert(!ex_any_nonfinite(moving, 3));
}
END_TEST

START_TEST(xmalloc_memory_is_zeroed)
{
    for (int k = 0; k < 8; k++) {   /* reuse freed blocks: they must come back zeroed too */
        size_t n = 1000 + 37 * (size_t)k;
        double *x = xmalloc(n * sizeof *x, "test");
        for (size_t i = 0; i < n; i++) ck_assert_msg(x[i] == 0, "xmalloc: x[%zu] = %g, expected 0", i, x[i]);
        for (size_t i = 0; i < n; i++) x[i] = 1e300;
        free(x);
    }
}
END_TEST

static void unfinished(void *ctx)
{
    (void)ctx;
    ex_unfinished("01_dp", "dp_q_from_v", "q = %g everywhere", 0.0);
}

START_TEST(unfinished_exits_with_its_status)
{
    char *err;
    int st = ckx_run_child(unfinished, NULL, &err);   /* the message is for students: captured, checked */
    ck_assert_msg(st == EX_UNFINISHED, "ex_unfinished: exit status %d, expected %d", st, EX_UNFINISHED);
    ck_assert_msg(strstr(err, "dp_q_from_v"), "the message does not name the exercise: %s", err);
    free(err);
}
END_TEST

Suite *make_exercise_suite(void)
{
    Suite *s = suite_create("exercise");
    TCase *tc = ckx_tcase(s, "exercise", 5);
    tcase_add_test(tc, recognises_what_a_stub_leaves);
    tcase_add_test(tc, xmalloc_memory_is_zeroed);
    tcase_add_test(tc, unfinished_exits_with_its_status);
    return s;
}
