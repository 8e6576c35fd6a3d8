/* test_eplog.c — solved detection, curves on a step grid, bands over runs. */
#include "ckx.h"
#include "eplog.h"

#include <math.h>

START_TEST(solved_at_first_full_window)
{
    EpisodeLog l; eplog_init(&l);
    long step = 0;
    /* 150 episodes of 10, then 200 of 500: the window of 100 first reaches a
     * mean of 475 when 95 of its episodes are 500s: (5*10 + 95*500)/100 = 475.5 */
    for (int i = 0; i < 150; i++) { step += 10; eplog_push(&l, step, 10); }
    for (int i = 0; i < 200; i++) { step += 500; eplog_push(&l, step, 500); }
    long at = -1;
    int i = eplog_solved(&l, 100, 475, &at);
    ck_assert_int_eq(i, 150 + 95 - 1);
    ck_assert_int_eq(at, 1500 + 95 * 500);
    ckx_close(eplog_window_mean(&l, i, 100), 475.5, 1e-12, "window mean at the solved episode", NULL);
    ck_assert_int_eq(eplog_solved(&l, 100, 501, NULL), -1);
    /* a window never counts before it is full */
    EpisodeLog s; eplog_init(&s);
    for (int k = 0; k < 50; k++) eplog_push(&s, k + 1, 500);
    ck_assert_int_eq(eplog_solved(&s, 100, 475, NULL), -1);
    eplog_free(&l); eplog_free(&s);
}
END_TEST

START_TEST(cartpole_rule_and_summary)
{
    EpisodeLog l; eplog_init(&l);
    long step = 0;   /* as above: solved when its 244th episode ends, at step 49000 */
    for (int i = 0; i < 150; i++) { step += 10; eplog_push(&l, step, 10); }
    for (int i = 0; i < 200; i++) { step += 500; eplog_push(&l, step, 500); }
    ck_assert_int_eq(eplog_cartpole_solved(&l, 0), 49000);
    ck_assert_int_eq(eplog_cartpole_solved(&l, 49000), 49000);
    ck_assert_int_eq(eplog_cartpole_solved(&l, 48999), -1);   /* past the budget: not solved */
    char buf[128];
    const long runs[5] = { 70000, -1, 42500, 52000, -1 };
    ck_assert_int_eq(eplog_solved_summary(runs, 5, buf, sizeof buf), 3);
    ck_assert_str_eq(buf, "solved 3/5 seeds, steps to solve: median 52000 (42500 to 70000)");
    const long two[2] = { 30, 10 };
    eplog_solved_summary(two, 2, buf, sizeof buf);
    ck_assert_str_eq(buf, "solved 2/2 seeds, steps to solve: median 20 (10 to 30)");
    const long none[1] = { -1 };
    ck_assert_int_eq(eplog_solved_summary(none, 1, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "solved 0/1 seeds");
    eplog_free(&l);
}
END_TEST

START_TEST(curve_on_grid)
{
    EpisodeLog l; eplog_init(&l);
    eplog_push(&l, 10, 1);
    eplog_push(&l, 20, 3);
    eplog_push(&l, 40, 5);
    const double grid[5] = { 5, 10, 25, 40, 100 };
    double out[5];
    eplog_curve(&l, grid, 5, 2, out);
    ck_assert(isnan(out[0]));
    ckx_close(out[1], 1, 1e-12, "curve at step 10", NULL);
    ckx_close(out[2], 2, 1e-12, "curve at step 25 (mean of 1 and 3)", NULL);
    ckx_close(out[3], 4, 1e-12, "curve at step 40 (mean of 3 and 5)", NULL);
    ckx_close(out[4], 4, 1e-12, "curve after the last episode", NULL);
    eplog_free(&l);
}
END_TEST

START_TEST(band_skips_nan)
{
    const double c[6] = { NAN, 1, 4, NAN, 3, NAN };   /* 2 runs x 3 points */
    double mean[3], lo[3], hi[3];
    eplog_band(c, 2, 3, mean, lo, hi);
    ck_assert(isnan(mean[0]) && isnan(lo[0]) && isnan(hi[0]));
    ckx_close(mean[1], 2, 1e-12, "mean", NULL);
    ckx_close(lo[1], 1, 1e-12, "min", NULL);
    ckx_close(hi[1], 3, 1e-12, "max", NULL);
    ckx_close(mean[2], 4, 1e-12, "mean with one run NaN", NULL);
}
END_TEST

START_TEST(runs_band_blanks_past_budget)
{
    EpisodeLog a, b;
    eplog_init(&a); eplog_init(&b);
    eplog_push(&a, 10, 2); eplog_push(&a, 30, 4);
    eplog_push(&b, 10, 6); eplog_push(&b, 30, 8);
    const EpisodeLog *logs[2] = { &a, &b };
    const long budget[2] = { 100, 20 };
    const double grid[3] = { 10, 20, 30 };
    double mean[3], lo[3], hi[3];
    eplog_runs_band(logs, budget, 2, grid, 3, 1, mean, lo, hi);
    ckx_close(mean[0], 4, 1e-12, "mean of both runs at step 10", NULL);
    ckx_close(mean[1], 4, 1e-12, "mean at step 20 (run b's budget)", NULL);
    ckx_close(mean[2], 4, 1e-12, "mean at step 30: run b is past its budget, only run a's 4 counts", NULL);
    ckx_close(lo[2], 4, 1e-12, "min at step 30", NULL);
    eplog_runs_band(logs, NULL, 2, grid, 3, 1, mean, lo, hi);
    ckx_close(mean[2], 6, 1e-12, "mean at step 30 without budgets", NULL);
    eplog_free(&a); eplog_free(&b);
}
END_TEST

Suite *make_eplog_suite(void)
{
    Suite *s = suite_create("eplog");
    TCase *tc = ckx_tcase(s, "eplog", 5);
    tcase_add_test(tc, solved_at_first_full_window);
    tcase_add_test(tc, cartpole_rule_and_summary);
    tcase_add_test(tc, curve_on_grid);
    tcase_add_test(tc, band_skips_nan);
    tcase_add_test(tc, runs_band_blanks_past_budget);
    return s;
}
