/* test_progress.c — plain mode prints a line per quarter, quiet prints nothing, tty redraws. */
#include "ckx.h"
#include "progress.h"

#include <string.h>

static int count_lines(const char *s) { int n = 0; for (; *s; s++) n += *s == '\n'; return n; }

static void run(Progress *p, FILE *f, int tty, int quiet, long total)
{
    progress_start_to(p, f, tty, "work", total, quiet);
    for (long i = 1; i <= total; i++) progress_update(p, i, "metric %ld", i);
    progress_finish(p);
}

static char *slurp(FILE *f, char *buf, size_t n)
{
    rewind(f);
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = '\0';
    return buf;
}

START_TEST(plain_mode_prints_quarters)
{
    FILE *f = tmpfile(); ck_assert_ptr_nonnull(f);
    Progress p; char buf[8192];
    run(&p, f, 0, 0, 1000);
    slurp(f, buf, sizeof buf);
    ck_assert_msg(count_lines(buf) == 5, "expected 5 lines (0, 25, 50, 75%% and the final), got:\n%s", buf);
    ck_assert_ptr_nonnull(strstr(buf, " 50%"));
    ck_assert_ptr_nonnull(strstr(buf, "1000/1000"));
    ck_assert_ptr_nonnull(strstr(buf, "metric 1000"));
    ck_assert_ptr_null(strchr(buf, '\r'));
    fclose(f);
}
END_TEST

START_TEST(quiet_prints_nothing)
{
    FILE *f = tmpfile(); ck_assert_ptr_nonnull(f);
    Progress p;
    run(&p, f, 0, 1, 100);
    run(&p, f, 1, 1, 100);
    ck_assert_int_eq(ftell(f), 0);
    fclose(f);
}
END_TEST

START_TEST(tty_mode_redraws_one_line)
{
    FILE *f = tmpfile(); ck_assert_ptr_nonnull(f);
    Progress p; char buf[8192];
    run(&p, f, 1, 0, 100000);
    slurp(f, buf, sizeof buf);
    ck_assert_int_eq(count_lines(buf), 1);          /* only the final newline */
    ck_assert_ptr_nonnull(strchr(buf, '\r'));
    ck_assert_ptr_nonnull(strstr(buf, "100%"));
    ck_assert_ptr_nonnull(strstr(buf, "it/s"));
    fclose(f);
}
END_TEST

Suite *make_progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = ckx_tcase(s, "progress", 5);
    tcase_add_test(tc, plain_mode_prints_quarters);
    tcase_add_test(tc, quiet_prints_nothing);
    tcase_add_test(tc, tty_mode_redraws_one_line);
    return s;
}
