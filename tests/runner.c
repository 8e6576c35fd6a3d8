/* runner.c — see runner.h. */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line per test case: the first failure's message, or PASS. */
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
        const char *msg = NULL;
        for (int j = i; j < n && !msg; j++)
            if (strcmp(tr_tcname(res[j]), tc) == 0 && tr_rtype(res[j]) != CK_PASS) msg = tr_msg(res[j]);
        printf("%s\t%s\t%s\t", name, tc, msg ? "FAIL" : "PASS");
        for (const char *c = msg ? msg : ""; *c; c++) putchar(*c == '\t' || *c == '\n' ? ' ' : *c);
        putchar('\n');
    }
    free(res);
    free(cases);
}

int run_suites(Suite **suites, int n, int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *table = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--table") == 0 && i + 1 < argc) table = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--table NAME]   (Check's CK_* environment variables apply)\n", argv[0]);
            return 2;
        }
    }
    SRunner *sr = srunner_create(suites[0]);
    for (int i = 1; i < n; i++) srunner_add_suite(sr, suites[i]);
    srunner_run_all(sr, table ? CK_SILENT : CK_ENV);
    int run = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
    if (table) print_table(sr, table);
    else printf("%d passed, %d failed\n", run - failed, failed);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
