/* parallel.c — see parallel.h. */
#include "parallel.h"

#include <pthread.h>
#include <unistd.h>

typedef struct {
    int n_jobs, next, done;
    ParBody body;
    void *ctx;
    Progress *progress;
    pthread_mutex_t lock;
} Pool;

static void *worker(void *arg)
{
    Pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        int i = p->next < p->n_jobs ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (i < 0) return NULL;
        p->body(p->ctx, i);
        pthread_mutex_lock(&p->lock);
        p->done++;
        if (p->progress) progress_update(p->progress, p->done, NULL);
        pthread_mutex_unlock(&p->lock);
    }
}

int par_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

void par_for(int n_jobs, int threads, ParBody body, void *ctx, Progress *progress)
{
    Pool p = { .n_jobs = n_jobs, .body = body, .ctx = ctx, .progress = progress };
    pthread_mutex_init(&p.lock, NULL);
    if (threads > n_jobs) threads = n_jobs;
    if (threads > 64) threads = 64;
    pthread_t tid[64];
    int started = 0;
    for (int t = 1; t < threads; t++)   /* the calling thread is worker 0 */
        if (pthread_create(&tid[started], NULL, worker, &p) == 0) started++;
    worker(&p);
    for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&p.lock);
}
