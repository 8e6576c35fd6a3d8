/* test_cli.c — flags parse, and every bad value is refused with a message naming the flag. */
#include "ckx.h"
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Values strtod/strtoull would take but a person did not mean: leading
 * white space, hexadecimal and exponents for an integer, a wrapped-around
 * negative seed. Long --flag=value arguments are fine; long names are not. */
START_TEST(strict_numbers_and_long_arguments)
{
    struct { char *argv[4]; const char *must_say; } bad[] = {
        { { "prog", "--seed", " -1", NULL }, "--seed" },
        { { "prog", "--seed", " 5", NULL }, "--seed" },
        { { "prog", "--seed", "+5", NULL }, "--seed" },
        { { "prog", "--episodes", "1e1", NULL }, "--episodes" },
        { { "prog", "--episodes", "0x10", NULL }, "--episodes" },
        { { "prog", "--episodes", " 5", NULL }, "--episodes" },
        { { "prog", "--episodes", "5 ", NULL }, "--episodes" },
        { { "prog", "--episodes", "99999999999999999999", NULL }, "--episodes" },
        { { "prog", "--alpha", "0x1p-2", NULL }, "--alpha" },
        { { "prog", "--alpha", " 0.5", NULL }, "--alpha" },
        { { "prog", "--alpha", "inf", NULL }, "--alpha" },
        { { "prog", "--a-flag-name-far-longer-than-any-flag-a-chapter-could-ever-define=1", NULL }, "unknown flag" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[4096]; CliCommon c; int e, f; double a;
        int rc = parse(bad[i].argv, &c, &e, &a, &f, err);
        ck_assert_msg(rc == 2, "'%s %s' was accepted (status %d); expected status 2", bad[i].argv[1],
                      bad[i].argv[2] ? bad[i].argv[2] : "", rc);
        ck_assert_msg(strstr(err, bad[i].must_say), "'%s': message '%s' does not mention '%s'", bad[i].argv[1], err,
                      bad[i].must_say);
    }
    char err[4096]; CliCommon c; int e, f; double a;
    char *good[] = { "prog", "--alpha", "1e-1", "--episodes", "007", "--seed", "18446744073709551615",
                     "--out=/tmp/a-folder-name-long-enough-that-the-whole-argument-is-over-64-characters", NULL };
    ck_assert_msg(parse(good, &c, &e, &a, &f, err) == 0, "valid flags refused: %s", err);
    ckx_close(a, 0.1, TOL_EXACT, "--alpha 1e-1", NULL);
    ck_assert_uint_eq(c.seed, UINT64_MAX);
    ck_assert_int_eq(e, 7);
    ck_assert_str_eq(c.out, good[7] + 6);
}
END_TEST

/* A default outside the range is a sentinel ("-1: the method's own"): that
 * exact value is accepted and nothing else outside the range is. */
START_TEST(only_the_sentinel_default_leaves_the_range)
{
    double lambda = -1;
    CliOption opts[] = { { "--lambda", CLI_DOUBLE, &lambda, 0, 1, "GAE lambda (-1: the method's own)" } };
    const char *bad[] = { "-0.5", "-0.999", "-1.5", "1.01" };
    for (int i = 0; i < 4; i++) {
        char err[4096];
        CliCommon c = cli_defaults("07_ac", 1);
        char *argv[] = { "prog", "--lambda", (char *)bad[i], NULL };
        ck_assert_msg(cli_parse_args(3, argv, "t", opts, 1, &c, err, sizeof err) == 2,
                      "--lambda %s was accepted: only -1 (the default) may leave 0..1", bad[i]);
        ck_assert_msg(strstr(err, "0..1") && strstr(err, "or -1 for the default"), "message: %s", err);
        ck_assert_msg(lambda == -1, "a refused value changed the option");
    }
    char err[4096];
    CliCommon c = cli_defaults("07_ac", 1);
    char *argv[] = { "prog", "--lambda", "0.9", "--lambda=-1", NULL };
    ck_assert_msg(cli_parse_args(4, argv, "t", opts, 1, &c, err, sizeof err) == 0, "-1 refused: %s", err);
    ck_assert_msg(lambda == -1, "--lambda -1 gave %g", lambda);
    char *help[] = { "prog", "--help", NULL };
    ck_assert_int_eq(cli_parse_args(2, help, "t", opts, 1, &c, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "0..1, or -1: default -1"), "--help does not show the sentinel:\n%s", err);
}
END_TEST

/* No error buffer, or a tiny one: the status is still right and nothing is
 * written past it (the fuzzer found a NULL dereference here). */
START_TEST(small_error_buffers)
{
    CliCommon c; int e, f; double a;
    CliOption opts[] = { { "--episodes", CLI_INT, &e, 1, 10, "episodes" } };
    char *argv[] = { "prog", "--episodes", "0", NULL };
    (void)f; (void)a;
    c = cli_defaults("01_dp", 1);
    e = 5;
    ck_assert_int_eq(cli_parse_args(3, argv, "t", opts, 1, &c, NULL, 0), 2);
    char tiny[4] = { 'x', 'x', 'x', 'x' };
    ck_assert_int_eq(cli_parse_args(3, argv, "t", opts, 1, &c, tiny, 1), 2);
    ck_assert_msg(tiny[0] == '\0' && tiny[1] == 'x', "a 1-byte buffer must hold only the terminator");
    char *help[] = { "prog", "--help", NULL };
    ck_assert_int_eq(cli_parse_args(2, help, "t", opts, 1, &c, tiny, 3), 1);
    ck_assert_msg(tiny[2] == '\0' && tiny[3] == 'x', "the usage overran a 3-byte buffer");
}
END_TEST

/* cli_parse prints the message and exits with status 2 (in a child process:
 * ckx_run_child, so that this also runs with CK_FORK=no). */
static void parse_bad_episodes(void *ctx)
{
    (void)ctx;
    int e = 1;
    CliOption opts[] = { { "--episodes", CLI_INT, &e, 1, 10, "episodes" } };
    CliCommon c = cli_defaults("01_dp", 1);
    char *argv[] = { "prog", "--episodes", "0", NULL };
    cli_parse(3, argv, "test", opts, 1, &c);
}

START_TEST(exits_with_status_2)
{
    char *err;
    int st = ckx_run_child(parse_bad_episodes, NULL, &err);
    ck_assert_msg(st == 2, "cli_parse on a bad value: status %d, expected exit(2)", st);
    ck_assert_msg(strstr(err, "prog: --episodes: '0' is not valid"), "stderr was: %s", err);
    free(err);
}
END_TEST

Suite *make_cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = ckx_tcase(s, "cli", 5);
    tcase_add_test(tc, defaults_and_common_flags);
    tcase_add_test(tc, bad_values_name_the_flag);
    tcase_add_test(tc, help_lists_every_flag);
    tcase_add_test(tc, strict_numbers_and_long_arguments);
    tcase_add_test(tc, only_the_sentinel_default_leaves_the_range);
    tcase_add_test(tc, small_error_buffers);
    tcase_add_test(tc, exits_with_status_2);
    return s;
}
