/* runner — the main() of every test binary.
 *
 * run_suites() runs the given suites in Check's fork mode (a crash or a timeout
 * in student code is one failed test, not a dead run) and returns the process
 * exit status: 0 when every test passed.
 *
 * A test that does not finish is reported in plain words with its likely
 * cause, for every chapter alike: "did not return within 5 s: an endless
 * loop?", "crashed with a segmentation fault (SIGSEGV): an index out of range
 * or a NULL pointer?", instead of Check's "Received signal 11". Its file:line
 * is then the last check that passed (Check's "after this point").
 *
 * Output: each failure as "file:line: test case: message", then "N passed, M
 * failed". Options, for the tools that read the results:
 *   --tsv FILE    one line per test into FILE: test case, PASS/FAIL/ERROR
 *                 (ERROR: crashed or timed out), file, line, message
 *                 (tools/grading.sh reads it for make check/next/progress);
 *   --table NAME  one line per test case on stdout: NAME, test case, PASS or
 *                 FAIL, its first failure's message.
 * Check's own environment variables apply: CK_RUN_SUITE, CK_RUN_CASE,
 * CK_FORK=no (for gdb/valgrind), CK_DEFAULT_TIMEOUT, CK_TIMEOUT_MULTIPLIER,
 * CK_TAP_LOG_FILE_NAME; with CK_VERBOSITY set, Check prints its own report.
 */
#ifndef RUNNER_H
#define RUNNER_H
#include <check.h>

int run_suites(Suite **suites, int n, int argc, char **argv);

#endif
