/* sampler.c — the DDIM sampler's loop and the parallel inversion (chapter
 * 11; see ddim.h). Nothing here is an exercise: it calls ddim_sigma,
 * ddim_step and ddim_invert of ddim.c, so with IMPL=exercises the chapter
 * samples and inverts with your functions.
 */
#include "ddim.h"
#include "parallel.h"
#include "progress.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

double ddim_direction_sq(const Schedule *s, int t_prev, double sigma)
{
    return 1.0 - s->alpha_bar[t_prev] - sigma * sigma;
}

void ddim_net_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    const DenEps *e = ctx;
    if (t == 0) memset(eps, 0, (size_t)n * e->net->spec.dim * sizeof *eps);
    else den_eps(ctx, eps, x, t, n);
}

/* One part of ddim_sample or ddim_encode: its rows, its ε, its generator. */
typedef struct {
    float *x;
    int n, D;
    DenEpsFn eps_fn;
    void *eps_ctx;
    const Schedule *s;
    const int *taus;
    int S;
    double eta;
    Rng rng;
    Progress *pr;   /* part 0 only */
} Part;

/* Split n rows into parts; part p gets rows [n·p/parts, n·(p+1)/parts). */
static Part *split(float *x, int n, int D, DenEpsFn eps_fn, void *const *eps_ctx, int parts, const Schedule *s,
                   const int *taus, int S, double eta, Rng *rng, Progress *pr)
{
    if (parts < 1 || parts > n) die(1, "ddim: %d parts for %d rows", parts, n);
    Part *pt = xcalloc((size_t)parts, sizeof *pt, "sampler parts");
    for (int p = 0; p < parts; p++) {
        const int r0 = (int)((long long)n * p / parts), r1 = (int)((long long)n * (p + 1) / parts);
        pt[p] = (Part){ .x = x + (size_t)r0 * D, .n = r1 - r0, .D = D, .eps_fn = eps_fn, .eps_ctx = eps_ctx[p], .s = s,
                        .taus = taus, .S = S, .eta = eta, .pr = p == 0 ? pr : NULL };
        if (rng) pt[p].rng = rng_split(rng);
    }
    return pt;
}

/* ---------------------------------------------------------------- sampling */

static void sample_part(void *ctx, int p)
{
    Part *pt = (Part *)ctx + p;
    const size_t N = (size_t)pt->n * pt->D;
    float *x = pt->x, *eps = xmalloc(N * sizeof *eps, "ε"), *z = xmalloc(N * sizeof *z, "the step noise");
    /* i = S..1: x_{τ_{i−1}} from x_{τ_i}, τ_0 = 0 */
    for (int i = pt->S; i >= 1; i--) {
        const int t = pt->taus[i - 1], t_prev = i > 1 ? pt->taus[i - 2] : 0;
        const double sigma = ddim_sigma(pt->s, t, t_prev, pt->eta);
        pt->eps_fn(pt->eps_ctx, eps, x, t, pt->n);
        if (sigma > 0)
            for (size_t k = 0; k < N; k++) z[k] = (float)rng_normal(&pt->rng);
        ddim_step(x, x, eps, sigma > 0 ? z : NULL, pt->s, t, t_prev, sigma, (int)N);
        if (pt->pr) progress_update(pt->pr, pt->pr->done + 1, NULL);
    }
    free(eps); free(z);
}

void ddim_sample(float *x, int n, int D, DenEpsFn eps_fn, void *const *eps_ctx, int parts, const Schedule *s,
                 const int *taus, int S, double eta, Rng *rng, Progress *pr)
{
    Part *pt = split(x, n, D, eps_fn, eps_ctx, parts, s, taus, S, eta, rng, pr);
    par_for(parts, par_threads(), sample_part, pt, NULL);
    free(pt);
}

/* ---------------------------------------------------------------- inversion */

/* ddim_invert calls ε once per step: this wrapper counts the calls for the
 * progress bar, then asks the part's own ε. */
static void counting_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    Part *pt = ctx;
    pt->eps_fn(pt->eps_ctx, eps, x, t, n);
    if (pt->pr) progress_update(pt->pr, pt->pr->done + 1, NULL);
}

static void encode_part(void *ctx, int p)
{
    Part *pt = (Part *)ctx + p;
    ddim_invert(pt->x, pt->n, pt->D, counting_eps, pt, pt->s, pt->taus, pt->S);
}

void ddim_encode(float *x, int n, int D, DenEpsFn eps_fn, void *const *eps_ctx, int parts, const Schedule *s,
                 const int *taus, int S, Progress *pr)
{
    Part *pt = split(x, n, D, eps_fn, eps_ctx, parts, s, taus, S, 0, NULL, pr);
    par_for(parts, par_threads(), encode_part, pt, NULL);
    free(pt);
}
