/* denoiser.c — the denoising network, its training loop and the sampler's
 * loop (chapter 10; see denoiser.h). Nothing here is an exercise: it calls
 * ddpm_sinusoidal_embedding, ddpm_loss and ddpm_step of ddpm.c, so with
 * IMPL=exercises the network trains and samples with your functions.
 *
 * Parts: the spec, the network (features, forward, backward), training,
 * sampling.
 */
#include "denoiser.h"
#include "linalg.h"
#include "parallel.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ the spec */

const char *den_spec_error(const DenSpec *s)
{
    if (!s) return "no spec";
    if (s->dim < 1 || s->dim > 65536) return "dim must be 1..65536";
    if (s->hidden < 1 || s->hidden > 65536) return "hidden must be 1..65536";
    if (s->depth < 1 || s->depth > MLP_MAX_LAYERS - 1) return "depth must be 1..7 hidden layers";
    if (s->freqs < 2 || s->freqs > 1024) return "freqs must be 2..1024";
    if (!(s->t_scale > 0) || !isfinite(s->t_scale)) return "t_scale must be > 0";
    if (!(s->x_scale >= 0) || !isfinite(s->x_scale)) return "x_scale must be >= 0 (0: no coordinate embedding)";
    if (s->x_embed_only != 0 && s->x_embed_only != 1) return "x_embed_only must be 0 or 1";
    if (s->x_embed_only && !(s->x_scale > 0)) return "x_embed_only needs x_scale > 0 (else x does not enter)";
    if (s->n_classes < 0 || s->n_classes > 10000) return "n_classes must be 0..10000";
    if (s->n_out < 0 || s->n_out > 65536) return "n_out must be 0..65536 (0: dim)";
    MlpSpec m = den_mlp_spec(s);
    return mlp_spec_error(&m);
}

int den_features(const DenSpec *s)
{
    const int raw = s->x_embed_only ? 0 : s->dim, emb = s->x_scale > 0 ? 2 * s->freqs * s->dim : 0;
    return raw + emb + 2 * s->freqs + (s->n_classes > 0 ? s->n_classes + 1 : 0);
}

MlpSpec den_mlp_spec(const DenSpec *s)
{
    MlpSpec m = { .n_layers = s->depth + 1, .act = s->act, .init = s->init, .residual = s->depth >= 2 };
    m.sizes[0] = den_features(s);
    for (int l = 1; l <= s->depth; l++) m.sizes[l] = s->hidden;
    m.sizes[s->depth + 1] = s->n_out > 0 ? s->n_out : s->dim;
    return m;
}

char *den_describe(const DenSpec *s, char *buf, size_t len)
{
    char x[64] = "x raw", c[32] = "";
    if (s->x_scale > 0)
        snprintf(x, sizeof x, "%sx·%g emb %d", s->x_embed_only ? "" : "x raw + ", s->x_scale, 2 * s->freqs);
    if (s->n_classes > 0) snprintf(c, sizeof c, ", %d classes + null", s->n_classes);
    snprintf(buf, len, "%d-D, %s, t emb %d%s; %d features → %d×%d %s%s → %d", s->dim, x, 2 * s->freqs, c,
             den_features(s), s->depth, s->hidden, nn_act_name(s->act), s->depth >= 2 ? " residual" : "",
             s->n_out > 0 ? s->n_out : s->dim);
    return buf;
}

/* ================================================================ the network */

Denoiser *den_create(const DenSpec *s, int max_batch, Rng *rng)
{
    if (den_spec_error(s) || max_batch < 1) return NULL;
    MlpSpec ms = den_mlp_spec(s);
    Mlp *net = mlp_create(&ms, max_batch, rng);
    if (!net) return NULL;
    Denoiser *d = xcalloc(1, sizeof *d, "the denoiser");
    d->spec = *s;
    d->net = net;
    d->n_feat = ms.sizes[0];
    d->max_batch = max_batch;
    const size_t mb = (size_t)max_batch;
    d->feat = net->x;   /* built in place: mlp_forward then copies nothing */
    d->dfeat = xmalloc(mb * (size_t)d->n_feat * sizeof *d->dfeat, "the feature gradients");
    d->scalar = xmalloc(mb * sizeof *d->scalar, "an embedded column");
    d->emb = xmalloc(mb * 2 * (size_t)s->freqs * sizeof *d->emb, "an embedding");
    return d;
}

Denoiser *den_clone(const Denoiser *d, int max_batch)
{
    Denoiser *c = den_create(&d->spec, max_batch, NULL);
    if (c) mlp_copy_params(c->net, d->net);
    return c;
}

void den_free(Denoiser *d)
{
    if (!d) return;
    mlp_free(d->net);
    free(d->dfeat); free(d->scalar); free(d->emb);
    free(d);
}

/* Embed column d->scalar (B values, already scaled by nothing: the scale is
 * passed) and copy its 2F features into columns [col, col + 2F) of feat. */
static void embed_into(Denoiser *d, int B, float scale, int col)
{
    const int F = d->spec.freqs, W = d->n_feat;
    ddpm_sinusoidal_embedding(d->emb, d->scalar, B, F, scale);
    for (int i = 0; i < B; i++)
        memcpy(d->feat + (size_t)i * W + col, d->emb + (size_t)i * 2 * F, 2 * (size_t)F * sizeof *d->feat);
}

const float *den_forward(Denoiser *d, const float *x, const int *t, const int *cls, int B, NnMode mode)
{
    const DenSpec *s = &d->spec;
    if (B < 1 || B > d->max_batch) die(1, "den_forward: batch of %d rows; this denoiser holds 1..%d", B, d->max_batch);
    const int D = s->dim, F = s->freqs, W = d->n_feat;
    int col = 0;
    /* x raw, then each coordinate embedded */
    if (!s->x_embed_only) {
        for (int i = 0; i < B; i++) memcpy(d->feat + (size_t)i * W, x + (size_t)i * D, (size_t)D * sizeof *x);
        col = D;
    }
    if (s->x_scale > 0)
        for (int j = 0; j < D; j++, col += 2 * F) {
            for (int i = 0; i < B; i++) d->scalar[i] = x[(size_t)i * D + j];
            embed_into(d, B, s->x_scale, col);
        }
    /* emb(t); in a sampler's batch every row has the same t: embed it once, copy it */
    int one_t = 1;
    for (int i = 0; i < B; i++) {
        d->scalar[i] = (float)t[i];
        one_t &= t[i] == t[0];
    }
    embed_into(d, one_t ? 1 : B, s->t_scale, col);
    for (int i = 1; one_t && i < B; i++)
        memcpy(d->feat + (size_t)i * W + col, d->feat + col, 2 * (size_t)F * sizeof *d->feat);
    col += 2 * F;
    /* one-hot(c), K + 1 columns, the last for "no class" */
    if (s->n_classes > 0) {
        const int K = s->n_classes;
        for (int i = 0; i < B; i++) {
            float *f = d->feat + (size_t)i * W + col;
            memset(f, 0, (size_t)(K + 1) * sizeof *f);
            const int c = cls ? cls[i] : DEN_NO_CLASS;
            if (c != DEN_NO_CLASS && (c < 0 || c >= K)) die(1, "den_forward: class %d of row %d is not in 0..%d", c, i, K - 1);
            f[c == DEN_NO_CLASS ? K : c] = 1.0f;
        }
        col += K + 1;
    }
    if (col != W) die(1, "den_forward: filled %d feature columns of %d", col, W);
    return mlp_forward(d->net, d->feat, B, mode);
}

void den_backward(Denoiser *d, const float *dout) { mlp_backward(d->net, dout, NULL); }

/* ∂L/∂x: the raw x columns of ∂L/∂features, plus, through each coordinate's
 * embedding, d sin(a x ω)/dx = a ω cos(a x ω) and d cos(a x ω)/dx = −a ω sin(a x ω),
 * with the sines and cosines read back from the saved features. */
void den_input_grad(Denoiser *d, const float *dout, float *dx)
{
    const DenSpec *s = &d->spec;
    const int B = d->net->batch, D = s->dim, F = s->freqs, W = d->n_feat, raw = s->x_embed_only ? 0 : D;
    mlp_input_grad(d->net, dout, d->dfeat);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < D; j++) dx[(size_t)i * D + j] = raw ? d->dfeat[(size_t)i * W + j] : 0.0f;
    if (!(s->x_scale > 0)) return;
    float omega[F];   /* the frequencies of ddpm_sinusoidal_embedding */
    for (int k = 0; k < F; k++) omega[k] = expf(-logf(10000.0f) * (float)k / (float)(F - 1));
    for (int i = 0; i < B; i++)
        for (int j = 0; j < D; j++) {
            const size_t off = (size_t)i * W + raw + 2 * (size_t)F * j;
            const float *f = d->feat + off, *g = d->dfeat + off;
            float sum = 0.0f;
            for (int k = 0; k < F; k++) sum += omega[k] * (g[k] * f[F + k] - g[F + k] * f[k]);
            dx[(size_t)i * D + j] += s->x_scale * sum;
        }
}

/* ================================================================ training */

int den_train(Denoiser *d, const float *data, const int *cls, int n, const Schedule *s, const DenTrain *tr, Rng *rng)
{
    const int D = d->spec.dim, B = tr->batch;
    if (B < 1 || B > d->max_batch || B > n) die(1, "den_train: batch %d with %d rows (max batch %d)", B, n, d->max_batch);
    if (tr->optimizer && tr->optimizer->n != d->net->n_params)
        die(1, "den_train: the optimiser holds %d parameters, the network %d", tr->optimizer->n, d->net->n_params);
    Optim *o = tr->optimizer;
    if (!o) {
        o = optim_create(tr->optim, d->net->n_params, tr->lr);
        o->weight_decay = tr->weight_decay;
    }
    DdpmWork *w = ddpm_work_create(B, D);
    int *order = xmalloc((size_t)n * sizeof *order, "the epoch order");
    float *xb = xmalloc((size_t)B * D * sizeof *xb, "a batch");
    int *cb = cls ? xmalloc((size_t)B * sizeof *cb, "a batch's labels") : NULL;
    float *avg = NULL;   /* the moving average of the parameters */
    if (tr->ema > 0) {
        avg = xmalloc((size_t)d->net->n_params * sizeof *avg, "the parameter average");
        memcpy(avg, d->net->params, (size_t)d->net->n_params * sizeof *avg);
    }
    for (int i = 0; i < n; i++) order[i] = i;
    const int per_epoch = n / B;   /* drop_last */
    Progress pr;
    if (tr->label) progress_start(&pr, tr->label, tr->steps, tr->quiet);
    double seg_sum = 0;
    int seg_n = 0, seg = 0, bad = 0;
    for (int step = 0; step < tr->steps; step++) {
        const int b = step % per_epoch;
        if (b == 0) rng_shuffle(rng, order, n);
        for (int i = 0; i < B; i++) {
            const int j = order[b * B + i];
            memcpy(xb + (size_t)i * D, data + (size_t)j * D, (size_t)D * sizeof *xb);
            if (cb) cb[i] = cls[j];
        }
        if (tr->on_batch) tr->on_batch(tr->on_batch_ctx, cb, B, rng);
        mlp_zero_grad(d->net);
        const float loss = ddpm_loss(d, xb, cb, B, s, tr->pred, w, rng);
        if (!isfinite(loss)) { bad = step + 1; break; }
        if (step == 0 && loss == 0.0f && mlp_grad_norm(d->net) == 0.0f) {
            fflush(stdout);
            fprintf(stderr, "warning: ddpm_loss returned exactly 0 and no gradient: is it written? (make check CH=10) "
                            "The model below learns nothing until it is.\n");
        }
        /* the clip (scale by min(1, clip/‖g‖)) inside the step: one pass over the parameters */
        const float gscale = tr->clip > 0 ? mlp_clip_factor(d->net, tr->clip, NULL) : 1.0f;
        /* half-cosine decay: lr_k = lr·½(1 + cos(π k/steps)) */
        if (tr->lr_cosine) o->lr = tr->lr * 0.5f * (1.0f + cosf((float)M_PI * (float)step / (float)tr->steps));
        optim_step_scaled(o, d->net->params, d->net->grads, gscale);
        /* the average: θ̄ ← ema·θ̄ + (1 − ema)·θ */
        if (avg) {
            const float e = tr->ema;
            float *restrict a = avg;
            const float *restrict p = d->net->params;
            for (int i = 0; i < d->net->n_params; i++) a[i] = e * a[i] + (1.0f - e) * p[i];
        }
        /* the curve: mean loss over each of curve_points equal stretches */
        seg_sum += loss;
        seg_n++;
        if (tr->curve && tr->curve_points > 0 && (long long)(step + 1) * tr->curve_points >= (long long)(seg + 1) * tr->steps) {
            tr->curve[seg++] = seg_sum / seg_n;
            seg_sum = 0;
            seg_n = 0;
        }
        if (tr->label) progress_update(&pr, step + 1, "loss %.4f", loss);
    }
    if (tr->label) progress_finish(&pr);
    for (; tr->curve && seg < tr->curve_points; seg++) tr->curve[seg] = NAN;
    if (avg && !bad) memcpy(d->net->params, avg, (size_t)d->net->n_params * sizeof *avg);
    free(avg);
    free(order); free(xb); free(cb);
    ddpm_work_free(w);
    if (o != tr->optimizer) optim_free(o);
    return bad;
}

/* ================================================================ sampling */

/* Rows per forward pass of den_eps: 256 rows of tiny-diffusion's features
 * and activations stay in a 1 MiB L2 cache with the weights; in one batch of
 * 1,000 rows, sampling 1,000 points at T = 1000 ran ~10% slower. Each row's
 * result is the same either way. */
#define DEN_EPS_ROWS 256

void den_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    DenEps *e = ctx;
    Denoiser *d = e->net;
    const int D = d->spec.dim, tn = e->taus ? e->taus[t - 1] : t;
    int *tt = xmalloc((size_t)d->max_batch * sizeof *tt, "timesteps");
    for (int i = 0; i < d->max_batch; i++) tt[i] = tn;
    /* on the network's clock: x̂_0 = (x_t − √(1 − ᾱ) ε)/√ᾱ and ε = (x_t − √ᾱ x̂_0)/√(1 − ᾱ) */
    const double ab = e->train->alpha_bar[tn];
    const float sa = (float)sqrt(ab), sb = (float)sqrt(1.0 - ab), c = e->clip;
    /* in chunks of at most DEN_EPS_ROWS rows, all of nearly equal size (so
     * that none is thin enough to take another product route, linalg.h) */
    const int most = d->max_batch < DEN_EPS_ROWS ? d->max_batch : DEN_EPS_ROWS, chunks = (n + most - 1) / most;
    for (int c0 = 0; c0 < chunks; c0++) {
        const int i0 = (int)((long long)n * c0 / chunks), B = (int)((long long)n * (c0 + 1) / chunks) - i0;
        const size_t off = (size_t)i0 * D;
        const float *out = den_forward(d, x + off, tt, e->cls ? e->cls + i0 : NULL, B, NN_EVAL);
        for (size_t k = 0; k < (size_t)B * D; k++) {
            const float xt = x[off + k];
            if (e->pred == DDPM_PRED_EPS && !(c > 0)) {
                eps[off + k] = out[k];
                continue;
            }
            float x0 = e->pred == DDPM_PRED_X0 ? out[k] : (xt - sb * out[k]) / sa;
            if (c > 0) x0 = x0 > c ? c : x0 < -c ? -c : x0;
            eps[off + k] = (xt - sa * x0) / sb;
        }
    }
    free(tt);
}

/* One part of den_sample: its rows, its ε, its generator. */
typedef struct {
    float *x;
    int n, D, row0;
    DenEpsFn eps_fn;
    void *eps_ctx;
    const Schedule *s;
    DdpmVar var;
    Rng rng;
    DenObserve obs;
    void *obs_ctx;
    Progress *pr;   /* part 0 only */
} SamplePart;

static void sample_part(void *ctx, int p)
{
    SamplePart *sp = (SamplePart *)ctx + p;
    const size_t N = (size_t)sp->n * sp->D;
    float *x = sp->x, *eps = xmalloc(N * sizeof *eps, "ε"), *z = xmalloc(N * sizeof *z, "the step noise");
    for (size_t k = 0; k < N; k++) x[k] = (float)rng_normal(&sp->rng);   /* x_T ~ N(0, I) */
    const int T = sp->s->T;
    for (int t = T; t >= 1; t--) {
        sp->eps_fn(sp->eps_ctx, eps, x, t, sp->n);
        if (sp->obs) sp->obs(sp->obs_ctx, t, sp->row0, x, eps, sp->n);
        if (t > 1)
            for (size_t k = 0; k < N; k++) z[k] = (float)rng_normal(&sp->rng);
        ddpm_step(x, x, eps, z, t, sp->s, sp->var, (int)N);
        if (sp->pr) progress_update(sp->pr, T - t + 1, NULL);
    }
    free(eps); free(z);
}

void den_sample(float *x, int n, int D, DenEpsFn eps_fn, void *const *eps_ctx, int parts, const Schedule *s,
                DdpmVar var, Rng *rng, DenObserve obs, void *obs_ctx, const char *label, int quiet)
{
    if (parts < 1 || parts > n) die(1, "den_sample: %d parts for %d rows", parts, n);
    SamplePart *sp = xcalloc((size_t)parts, sizeof *sp, "sampler parts");
    Progress pr;
    if (label) progress_start(&pr, label, s->T, quiet);
    for (int p = 0; p < parts; p++) {
        const int r0 = (int)((long long)n * p / parts), r1 = (int)((long long)n * (p + 1) / parts);
        sp[p] = (SamplePart){ x + (size_t)r0 * D, r1 - r0, D, r0, eps_fn, eps_ctx[p], s, var, rng_split(rng), obs, obs_ctx,
                              p == 0 && label ? &pr : NULL };
    }
    par_for(parts, par_threads(), sample_part, sp, NULL);
    if (label) progress_finish(&pr);
    free(sp);
}
