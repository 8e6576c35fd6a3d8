/* runner — the main() of every test binary.
 *
 * run_suites() runs the given suites in Check's fork mode (a crash or a timeout
 * in student code is one failed test, not a dead run) and returns the process
 * exit status: 0 when every test passed.
 *
 * Options: --table NAME prints one tab-separated line per test case instead of
 * Check's report: NAME, test case, PASS or FAIL, first failure message (this is
 * what `make progress` reads). Check's own environment variables apply:
 * CK_RUN_SUITE, CK_RUN_CASE, CK_FORK=no (for gdb/valgrind), CK_VERBOSITY,
 * CK_DEFAULT_TIMEOUT, CK_TIMEOUT_MULTIPLIER, CK_TAP_LOG_FILE_NAME.
 */
#ifndef RUNNER_H
#define RUNNER_H
#include <check.h>

int run_suites(Suite **suites, int n, int argc, char **argv);

#endif
