/* test_parallel.c — every job runs exactly once, on any number of threads. */
#include "ckx.h"
#include "parallel.h"

#include <stdatomic.h>

typedef struct {
    atomic_int runs[100];
    atomic_int total;
} Counts;

static void count(void *ctx, int i)
{
    Counts *c = ctx;
    atomic_fetch_add(&c->runs[i], 1);
    atomic_fetch_add(&c->total, 1);
}

START_TEST(each_job_once)
{
    const int threads[4] = { 0, 1, 2, 7 };
    for (int k = 0; k < 4; k++) {
        Counts c;
        for (int i = 0; i < 100; i++) atomic_init(&c.runs[i], 0);
        atomic_init(&c.total, 0);
        par_for(100, threads[k], count, &c, NULL);
        ck_assert_int_eq(atomic_load(&c.total), 100);
        for (int i = 0; i < 100; i++)
            ck_assert_msg(atomic_load(&c.runs[i]) == 1, "job %d ran %d times with %d threads", i,
                          atomic_load(&c.runs[i]), threads[k]);
    }
    par_for(0, 2, count, NULL, NULL);   /* no jobs: returns at once */
    ck_assert(par_threads() >= 1);
}
END_TEST

Suite *make_parallel_suite(void)
{
    Suite *s = suite_create("parallel");
    TCase *tc = ckx_tcase(s, "parallel", 5);
    tcase_add_test(tc, each_job_once);
    return s;
}
