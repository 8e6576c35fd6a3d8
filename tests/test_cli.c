/* test_cli.c — flags parse, and every bad value is refused with a message naming the flag. */
#include "ckx.h"
#include "cli.h"

#include <string.h>

static int n_args(char **v) { int n = 0; while (v[n]) n++; return n; }

/* Parse a NULL-terminated argv with one int, one double and one flag option. */
static int parse(char **argv, CliCommon *c, int *episodes, double *alpha, int *flag, char *err)
{
    *episodes = 500; *alpha = 0.5; *flag = 0;
    CliOption opts[] = {
        { "--episodes", CLI_INT, episodes, 1, 100000, "episodes per run" },
        { "--alpha", CLI_DOUBLE, alpha, 0, 1, "step size" },
        { "--expected", CLI_FLAG, flag, 0, 0, "use Expected SARSA" },
    };
    *c = cli_defaults("02_td", 1);
    return cli_parse_args(n_args(argv), argv, "test", opts, 3, c, err, 4096);
}

START_TEST(defaults_and_common_flags)
{
    char err[4096]; CliCommon c; int e, f; double a;
    char *argv[] = { "prog", NULL };
    ck_assert_int_eq(parse(argv, &c, &e, &a, &f, err), 0);
    ck_assert_str_eq(c.out, "plots/02_td");
    ck_assert_int_eq(c.plot, PLOT_PNG);
    ck_assert_uint_eq(c.seed, 1);
    char *argv2[] = { "prog", "--seed", "7", "--quick", "--plot", "svg", "--out=/tmp/x", "--quiet",
                      "--episodes=20", "--alpha", "0.25", "--expected", NULL };
    ck_assert_int_eq(parse(argv2, &c, &e, &a, &f, err), 0);
    ck_assert_uint_eq(c.seed, 7);
    ck_assert(c.quick && c.quiet && f);
    ck_assert_int_eq(c.plot, PLOT_SVG);
    ck_assert_str_eq(c.out, "/tmp/x");
    ck_assert_int_eq(e, 20);
    ckx_close(a, 0.25, TOL_EXACT, "--alpha", NULL);
}
END_TEST

/* Each bad command line returns 2 and names the offending flag in its message. */
START_TEST(bad_values_name_the_flag)
{
    struct { char *argv[4]; const char *must_say; } bad[] = {
        { { "prog", "--episodes", "-5", NULL }, "--episodes" },
        { { "prog", "--episodes", "2.5", NULL }, "1..100000" },
        { { "prog", "--episodes", "abc", NULL }, "--episodes" },
        { { "prog", "--alpha", "1.5", NULL }, "0..1" },
        { { "prog", "--alpha", "nan", NULL }, "--alpha" },
        { { "prog", "--seed", "-1", NULL }, "--seed" },
        { { "prog", "--seed", "12x", NULL }, "--seed" },
        { { "prog", "--plot", "jpeg", NULL }, "--plot" },
        { { "prog", "--frobnicate", NULL }, "unknown flag '--frobnicate'" },
        { { "prog", "--frobnicate", "3", NULL }, "unknown flag" },
        { { "prog", "--episodes", NULL }, "needs a value" },
        { { "prog", "--quick=1", NULL }, "takes no value" },
        { { "prog", "stray", NULL }, "stray" },
        { { "prog", "--out", "", NULL }, "--out" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[4096]; CliCommon c; int e, f; double a;
        int rc = parse(bad[i].argv, &c, &e, &a, &f, err);
        ck_assert_msg(rc == 2, "case %zu (%s %s): expected status 2, got %d", i, bad[i].argv[1],
                      bad[i].argv[2] ? bad[i].argv[2] : "", rc);
        ck_assert_msg(strstr(err, bad[i].must_say), "case %zu: message '%s' does not mention '%s'", i, err,
                      bad[i].must_say);
    }
}
END_TEST

START_TEST(help_lists_every_flag)
{
    char err[4096]; CliCommon c; int e, f; double a;
    char *argv[] = { "prog", "--help", NULL };
    ck_assert_int_eq(parse(argv, &c, &e, &a, &f, err), 1);
    const char *must[] = { "--seed", "--quick", "--plot", "--out", "--quiet", "--episodes", "--alpha",
                           "--expected", "default 500" };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        ck_assert_msg(strstr(err, must[i]), "--help does not mention %s:\n%s", must[i], err);
}
END_TEST

START_TEST(exits_with_status_2)
{
    int e = 1;
    CliOption opts[] = { { "--episodes", CLI_INT, &e, 1, 10, "episodes" } };
    CliCommon c = cli_defaults("01_dp", 1);
    char *argv[] = { "prog", "--episodes", "0", NULL };
    cli_parse(3, argv, "test", opts, 1, &c);
}
END_TEST

Suite *make_cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = ckx_tcase(s, "cli", 5);
    tcase_add_test(tc, defaults_and_common_flags);
    tcase_add_test(tc, bad_values_name_the_flag);
    tcase_add_test(tc, help_lists_every_flag);
    tcase_add_exit_test(tc, exits_with_status_2, 2);
    return s;
}
