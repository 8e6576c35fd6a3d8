/* runner.c — see runner.h. */
#include "runner.h"
#include "ckx.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The timeout Check applied to a test of this case: the case's own (ckx_tcase)
 * or CK_DEFAULT_TIMEOUT (4 s if unset), times CK_TIMEOUT_MULTIPLIER. */
static double timeout_of(const char *tcase)
{
    const char *def = getenv("CK_DEFAULT_TIMEOUT"), *mul = getenv("CK_TIMEOUT_MULTIPLIER");
    double t = ckx_tcase_timeout(tcase);
    if (t <= 0) t = def ? atof(def) : 4.0;
    return t * (mul && atof(mul) > 0 ? atof(mul) : 1.0);
}

/* What a test killed by signal `sig` most likely did. */
static const char *signal_words(int sig)
{
    switch (sig) {
    case SIGSEGV: return "crashed with a segmentation fault (SIGSEGV): an index out of range or a NULL pointer?";
    case SIGBUS:  return "crashed with a bus error (SIGBUS): a pointer past the end of an array?";
    case SIGFPE:  return "crashed with an arithmetic error (SIGFPE): an integer division by zero?";
    case SIGABRT: return "aborted (SIGABRT): a failed assert(), or free() of a pointer that malloc did not "
                         "return or that was already freed (often a write past the end of an array)?";
    case SIGILL:  return "crashed on an illegal instruction (SIGILL): undefined behaviour the compiler trapped?";
    case SIGKILL: return "was killed (SIGKILL): out of memory, e.g. an allocation far too large?";
    default:      return NULL;
    }
}

/* Check's words for a test that did not finish ("Received signal 11 ...",
 * "Test timeout expired", "Early exit with return value 1") in plain words,
 * with the likely cause. Failed assertions keep their own message. */
static void explain(TestResult *tr, char *buf, size_t n)
{
    const char *msg = tr_msg(tr);
    int v;
    if (tr_rtype(tr) != CK_ERROR) snprintf(buf, n, "%s", msg);
    else if (strcmp(msg, "Test timeout expired") == 0)
        snprintf(buf, n, "did not return within %g s: an endless loop? (a loop whose exit "
                 "condition never becomes true, e.g. a counter that is never advanced)", timeout_of(tr_tcname(tr)));
    else if (sscanf(msg, "Received signal %d", &v) == 1 && signal_words(v))
        snprintf(buf, n, "%s", signal_words(v));
    else if (sscanf(msg, "Received signal %d", &v) == 1)
        snprintf(buf, n, "crashed: %s", msg + strlen("Received "));
    else if (sscanf(msg, "Early exit with return value %d", &v) == 1)
        snprintf(buf, n, "stopped the whole test by exiting with status %d: a call to exit(), "
                 "or an error report printed above (e.g. by the sanitizers)?", v);
    else snprintf(buf, n, "%s", msg);
    for (char *c = buf; *c; c++) if (*c == '\t' || *c == '\n') *c = ' ';
}

/* A failure's location: the failed check, or for a test that did not finish,
 * the last check that passed before it stopped. */
static const char *where_words(TestResult *tr)
{
    return tr_rtype(tr) == CK_ERROR ? " (after the last check that passed, at this line)" : "";
}

/* --table NAME: one line per test case, its first failure or PASS. */
static void print_table(SRunner *sr, const char *name)
{
    int n = srunner_ntests_run(sr);
    TestResult **res = srunner_results(sr);
    const char **cases = calloc((size_t)n + 1, sizeof *cases);
    if (!cases) { perror("runner: calloc"); exit(2); }
    int ncases = 0;
    for (int i = 0; i < n; i++) {
        const char *tc = tr_tcname(res[i]);
        int seen = 0;
        for (int k = 0; k < ncases; k++) seen |= strcmp(cases[k], tc) == 0;
        if (seen) continue;
        cases[ncases++] = tc;
        TestResult *bad = NULL;
        for (int j = i; j < n && !bad; j++)
            if (strcmp(tr_tcname(res[j]), tc) == 0 && tr_rtype(res[j]) != CK_PASS) bad = res[j];
        char msg[1024] = "";
        if (bad) explain(bad, msg, sizeof msg);
        printf("%s\t%s\t%s\t%s\n", name, tc, bad ? "FAIL" : "PASS", msg);
    }
    free(res);
    free(cases);
}

/* --tsv FILE: one line per test, in run order, into FILE (so that the tests'
 * own output cannot mix with it): test case, PASS/FAIL/ERROR, file, line,
 * message (ERROR: the test did not finish; file:line is then the last check
 * that passed). */
static void print_tsv(SRunner *sr, FILE *f)
{
    int n = srunner_ntests_run(sr);
    TestResult **res = srunner_results(sr);
    for (int i = 0; i < n; i++) {
        int t = tr_rtype(res[i]);
        char msg[1024];
        explain(res[i], msg, sizeof msg);
        fprintf(f, "%s\t%s\t%s\t%d\t%s\n", tr_tcname(res[i]), t == CK_PASS ? "PASS" : t == CK_FAILURE ? "FAIL" : "ERROR",
               tr_lfile(res[i]), tr_lno(res[i]), t == CK_PASS ? "" : msg);
    }
    free(res);
}

/* The default report: every failure as "file:line: test case: message". */
static void print_failures(SRunner *sr)
{
    int n = srunner_ntests_failed(sr);
    TestResult **res = srunner_failures(sr);
    for (int i = 0; i < n; i++) {
        char msg[1024];
        explain(res[i], msg, sizeof msg);
        printf("%s:%d: %s: %s%s\n", tr_lfile(res[i]), tr_lno(res[i]), tr_tcname(res[i]), msg, where_words(res[i]));
    }
    free(res);
}

int run_suites(Suite **suites, int n, int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *table = NULL;
    const char *tsv = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--table") == 0 && i + 1 < argc) table = argv[++i];
        else if (strcmp(argv[i], "--tsv") == 0 && i + 1 < argc) tsv = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--table NAME | --tsv FILE]   (Check's CK_* environment variables apply)\n", argv[0]);
            return 2;
        }
    }
    /* CK_VERBOSITY given: Check's own report, unchanged (tools/bite.sh reads it). */
    int own = getenv("CK_VERBOSITY") != NULL && !table && !tsv;
    SRunner *sr = srunner_create(suites[0]);
    for (int i = 1; i < n; i++) srunner_add_suite(sr, suites[i]);
    srunner_run_all(sr, own ? CK_ENV : CK_SILENT);
    int run = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
    if (table) print_table(sr, table);
    else if (tsv) {
        FILE *f = fopen(tsv, "w");
        if (!f) { perror(tsv); srunner_free(sr); return 2; }
        print_tsv(sr, f);
        if (fclose(f) != 0) { perror(tsv); srunner_free(sr); return 2; }
    } else {
        if (!own) print_failures(sr);
        printf("%d passed, %d failed\n", run - failed, failed);
    }
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
