/* diffusion.c — schedules (creation, respacing) and training scratch space
 * (chapter 10; see ddpm.h). Nothing here is an exercise: it calls the
 * schedule exercises of ddpm.c, so with IMPL=exercises every schedule of the
 * chapter is yours.
 */
#include "ddpm.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ================================================================ schedules */

SchedSpec sched_linear_spec(int T, double beta_scale)
{
    SchedSpec s = { .kind = SCHED_LINEAR, .T = T, .beta_1 = 1e-4 * beta_scale, .beta_T = 0.02 * beta_scale };
    return s;
}

SchedSpec sched_cosine_spec(int T)
{
    SchedSpec s = { .kind = SCHED_COSINE, .T = T, .s = 0.008, .max_beta = 0.999 };
    return s;
}

const char *sched_spec_error(const SchedSpec *s)
{
    if (!s) return "no schedule";
    if (s->T < 1 || s->T > 100000) return "T must be 1..100000";
    if (s->kind == SCHED_LINEAR) {
        if (!(s->beta_1 > 0 && s->beta_T > 0 && s->beta_1 < 1 && s->beta_T < 1))
            return "linear schedule: β_1 and β_T must be in (0, 1) (with --beta-scale, 0.02·scale < 1)";
    } else if (s->kind == SCHED_COSINE) {
        if (!(s->s >= 0 && s->s < 1)) return "cosine schedule: s must be in [0, 1)";
        if (!(s->max_beta > 0 && s->max_beta < 1)) return "cosine schedule: the cap on β must be in (0, 1)";
    } else {
        return "unknown schedule kind";
    }
    return NULL;
}

char *sched_describe(const SchedSpec *s, char *buf, int len)
{
    if (s->kind == SCHED_LINEAR) snprintf(buf, (size_t)len, "linear β %g..%g, T = %d", s->beta_1, s->beta_T, s->T);
    else snprintf(buf, (size_t)len, "cosine s = %g, cap %g, T = %d", s->s, s->max_beta, s->T);
    return buf;
}

static Schedule *sched_alloc(int T)
{
    Schedule *s = xcalloc(1, sizeof *s, "a schedule");
    s->T = T;
    double *block = xcalloc(4 * ((size_t)T + 1), sizeof *block, "the schedule's arrays");
    s->beta = block;
    s->alpha = block + (T + 1);
    s->alpha_bar = block + 2 * ((size_t)T + 1);
    s->beta_tilde = block + 3 * ((size_t)T + 1);
    return s;
}

void sched_free(Schedule *s)
{
    if (!s) return;
    free(s->beta);   /* the one block */
    free(s);
}

Schedule *sched_create(const SchedSpec *spec)
{
    if (sched_spec_error(spec)) return NULL;
    Schedule *s = sched_alloc(spec->T);
    if (spec->kind == SCHED_LINEAR) ddpm_linear_betas(s->beta, spec->T, spec->beta_1, spec->beta_T);
    else ddpm_cosine_betas(s->beta, spec->T, spec->s, spec->max_beta);
    ddpm_schedule_from_betas(s);
    return s;
}

int sched_check(const Schedule *s, char *why, int len)
{
#define BAD(...) do { snprintf(why, (size_t)len, __VA_ARGS__); return -1; } while (0)
    if (s->beta[0] != 0 || s->alpha[0] != 1 || s->alpha_bar[0] != 1 || s->beta_tilde[0] != 0)
        BAD("the t = 0 entries are β_0 = %g, α_0 = %g, ᾱ_0 = %g, β̃_0 = %g (want 0, 1, 1, 0)", s->beta[0], s->alpha[0],
            s->alpha_bar[0], s->beta_tilde[0]);
    for (int t = 1; t <= s->T; t++) {
        const double b = s->beta[t];
        if (!(b > 0 && b < 1)) BAD("β_%d = %g is not in (0, 1)", t, b);
        if (!(fabs(s->alpha[t] - (1 - b)) <= 1e-12)) BAD("α_%d = %g, but 1 − β_%d = %g", t, s->alpha[t], t, 1 - b);
        const double want = s->alpha_bar[t - 1] * s->alpha[t];
        if (!(fabs(s->alpha_bar[t] - want) <= 1e-9 * want)) BAD("ᾱ_%d = %g, but ᾱ_%d·α_%d = %g", t, s->alpha_bar[t], t - 1, t, want);
        if (!(s->beta_tilde[t] >= 0 && s->beta_tilde[t] <= b * (1 + 1e-12)))
            BAD("β̃_%d = %g is not in [0, β_%d = %g]", t, s->beta_tilde[t], t, b);
    }
    return 0;
#undef BAD
}

/* ᾱ′_i = ᾱ_{τ_i} on the kept steps; β′_i = 1 − ᾱ′_i/ᾱ′_{i−1} is the one
 * variance that takes the chain from τ_{i−1} to τ_i in one step (N&D §4). */
Schedule *sched_respace(const Schedule *s, const int *taus, int S)
{
    if (S < 1) return NULL;
    for (int i = 0; i < S; i++)
        if (taus[i] < 1 || taus[i] > s->T || (i > 0 && taus[i] <= taus[i - 1])) return NULL;
    Schedule *r = sched_alloc(S);
    double prev = 1.0;   /* ᾱ_{τ_0} = ᾱ_0 */
    for (int i = 1; i <= S; i++) {
        const double abar = s->alpha_bar[taus[i - 1]];
        r->beta[i] = 1.0 - abar / prev;
        prev = abar;
    }
    ddpm_schedule_from_betas(r);
    return r;
}

void sched_even_taus(int *taus, int T, int S)
{
    for (int i = 1; i <= S; i++) taus[i - 1] = (int)((long long)i * T / S);
}

/* ================================================================ training scratch */

DdpmWork *ddpm_work_create(int max_batch, int dim)
{
    DdpmWork *w = xcalloc(1, sizeof *w, "training scratch");
    const size_t n = (size_t)max_batch * (size_t)dim;
    w->max_batch = max_batch;
    w->dim = dim;
    w->t = xcalloc((size_t)max_batch, sizeof *w->t, "timesteps");
    w->eps = xcalloc(n, sizeof *w->eps, "noise");
    w->xt = xcalloc(n, sizeof *w->xt, "noised data");
    w->dpred = xcalloc(n, sizeof *w->dpred, "the loss gradient");
    return w;
}

void ddpm_work_free(DdpmWork *w)
{
    if (!w) return;
    free(w->t); free(w->eps); free(w->xt); free(w->dpred);
    free(w);
}
