/* main_common.c — the runner of common/'s suites, one per module
 * (tests/test_<module>.c, which defines make_<module>_suite). The build
 * generates common_suites.h, one SUITE(module) line per such file. */
#include "runner.h"

#define SUITE(m) Suite *make_##m##_suite(void);
#include "common_suites.h"
#undef SUITE

int main(int argc, char **argv)
{
#define SUITE(m) make_##m##_suite(),
    Suite *s[] = {
#include "common_suites.h"
    };
#undef SUITE
    return run_suites(s, (int)(sizeof s / sizeof s[0]), argc, argv);
}
