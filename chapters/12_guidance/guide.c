/* guide.c — guided sampling, the chapter's recipes and the noise-conditional
 * classifier's training (chapter 12; see guidance.h). Nothing here is an
 * exercise: it calls the exercises of guidance.c, so with IMPL=exercises the
 * chapter trains and samples with your functions.
 *
 * Parts: scratch space, guided sampling, models (recipes, the fingerprint,
 * the classifier).
 */
#include "guidance.h"
#include "linalg.h"
#include "nn.h"
#include "mlp.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ scratch space */

ClfWork *clf_work_create(int max_batch, int dim, int classes)
{
    ClfWork *w = xcalloc(1, sizeof *w, "classifier scratch");
    w->max_batch = max_batch;
    w->dim = dim;
    w->classes = classes;
    w->t = xcalloc((size_t)max_batch, sizeof *w->t, "timesteps");
    w->eps = xcalloc((size_t)max_batch * dim, sizeof *w->eps, "noise");
    w->xt = xcalloc((size_t)max_batch * dim, sizeof *w->xt, "noised data");
    w->dlogits = xcalloc((size_t)max_batch * classes, sizeof *w->dlogits, "logit gradients");
    return w;
}

void clf_work_free(ClfWork *w)
{
    if (!w) return;
    free(w->t); free(w->eps); free(w->xt); free(w->dlogits);
    free(w);
}

/* ================================================================ guided sampling */

static int clf_classes(const Denoiser *clf) { return clf->net->spec.sizes[clf->net->spec.n_layers]; }

void guide_eps(void *ctx, float *eps, const float *x, int t, int n)
{
    GuideEps *ge = ctx;
    const Guide *gd = &ge->gd;
    const int D = gd->net->spec.dim, tn = ge->taus ? ge->taus[t - 1] : t;
    const size_t N = (size_t)n * D;
    /* the branches on the network's clock; the clip comes after guiding */
    DenEps e = { .net = gd->net, .train = gd->train, .pred = gd->pred, .taus = ge->taus };
    const int has_cls = gd->net->spec.n_classes > 0;
    if (!gd->clf) {
        /* classifier-free: ε∅ + g(εc − ε∅); g = 0 and g = 1 need one branch only */
        if (gd->g == 1.0f || gd->g == 0.0f) {
            e.cls = gd->g == 1.0f && has_cls ? ge->cls : NULL;
            den_eps(&e, eps, x, t, n);
        } else {
            e.cls = NULL;
            den_eps(&e, ge->e_null, x, t, n);
            e.cls = ge->cls;
            den_eps(&e, ge->e_cls, x, t, n);
            cfg_guided_eps(eps, ge->e_null, ge->e_cls, gd->g, (int)N);
        }
    } else {
        /* classifier guidance: ε − s·√(1 − ᾱ_t)·∇ₓ log p_φ(c | x_t, t) */
        e.cls = gd->cond && has_cls ? ge->cls : NULL;
        den_eps(&e, eps, x, t, n);
        Denoiser *clf = gd->clf;
        for (int i = 0; i < clf->max_batch; i++) ge->tt[i] = tn;
        for (int i0 = 0; i0 < n; i0 += clf->max_batch) {
            const int B = n - i0 < clf->max_batch ? n - i0 : clf->max_batch;
            clf_grad_log_prob(clf, ge->grad + (size_t)i0 * D, ge->dlogits, x + (size_t)i0 * D, ge->tt, ge->cls + i0, B);
        }
        cg_guided_eps(eps, eps, ge->grad, gd->scale, gd->train->alpha_bar[tn], (int)N);
    }
    if (gd->clip > 0) {
        /* x̂_0 = (x_t − √(1 − ᾱ) ε̃)/√ᾱ clipped to [−clip, clip], ε̃ = (x_t − √ᾱ x̂_0)/√(1 − ᾱ) */
        const double ab = gd->train->alpha_bar[tn];
        const float sa = (float)sqrt(ab), sb = (float)sqrt(1.0 - ab), c = gd->clip;
        for (size_t k = 0; k < N; k++) {
            float x0 = (x[k] - sb * eps[k]) / sa;
            x0 = x0 > c ? c : x0 < -c ? -c : x0;
            eps[k] = (x[k] - sa * x0) / sb;
        }
    }
}

void guide_sample(float *x, int n, const int *cls, const Guide *gd, const Schedule *s, const int *taus, Rng *rng,
                  const char *label, int quiet)
{
    const int parts = n < GUIDE_PARTS ? 1 : GUIDE_PARTS, D = gd->net->spec.dim;
    GuideEps ge[GUIDE_PARTS];
    void *ctx[GUIDE_PARTS];
    for (int p = 0; p < parts; p++) {
        /* den_sample's split: part p holds rows [n·p/parts, n·(p + 1)/parts) */
        const int r0 = (int)((long long)n * p / parts), r1 = (int)((long long)n * (p + 1) / parts), rows = r1 - r0;
        ge[p] = (GuideEps){ .gd = *gd, .taus = taus, .cls = cls + r0 };
        if (p > 0) ge[p].gd.net = den_clone(gd->net, gd->net->max_batch);
        if (p > 0 && gd->clf) ge[p].gd.clf = den_clone(gd->clf, gd->clf->max_batch);
        ge[p].e_null = xmalloc((size_t)rows * D * sizeof(float), "ε(x, ∅)");
        ge[p].e_cls = xmalloc((size_t)rows * D * sizeof(float), "ε(x, c)");
        ge[p].grad = xmalloc((size_t)rows * D * sizeof(float), "∇ log p(c | x)");
        if (gd->clf) {
            ge[p].dlogits = xmalloc((size_t)gd->clf->max_batch * clf_classes(gd->clf) * sizeof(float), "logit gradients");
            ge[p].tt = xmalloc((size_t)gd->clf->max_batch * sizeof(int), "timesteps");
        }
        ctx[p] = &ge[p];
    }
    den_sample(x, n, D, guide_eps, ctx, parts, s, DDPM_VAR_BETA_TILDE, rng, NULL, NULL, label, quiet);
    for (int p = 0; p < parts; p++) {
        if (p > 0) { den_free(ge[p].gd.net); den_free(ge[p].gd.clf); }
        free(ge[p].e_null); free(ge[p].e_cls); free(ge[p].grad); free(ge[p].dlogits); free(ge[p].tt);
    }
}

/* ================================================================ models */

void cfg_on_batch(void *ctx, int *cls, int B, Rng *rng) { cfg_drop_labels(cls, B, *(const double *)ctx, rng); }

/* The training exercises on a fixed small input, hashed: label dropout on 64
 * labels, two classifier steps (losses and parameters). */
static char fingerprint[9];
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;

static void compute_fingerprint(void)
{
    Rng r;
    rng_seed(&r, 1212);
    enum { N = 64, D = 3, K = 2 };
    int y[N];
    float x[N * D];
    for (int i = 0; i < N; i++) y[i] = i % K;
    for (int i = 0; i < N * D; i++) x[i] = (float)rng_normal(&r);
    int dropped[N];
    memcpy(dropped, y, sizeof y);
    cfg_drop_labels(dropped, N, 0.3, &r);
    uint64_t h = zoo_hash(ZOO_HASH_INIT, dropped, sizeof dropped);
    SchedSpec sp = sched_linear_spec(50, 20);
    Schedule *s = sched_create(&sp);
    const DenSpec cs = { .dim = D, .hidden = 16, .depth = 2, .act = NN_GELU, .freqs = 4, .t_scale = 1, .x_scale = 2,
                         .n_out = K };
    Denoiser *clf = den_create(&cs, N, &r);
    ClfWork *w = clf_work_create(N, D, K);
    Optim *o = optim_create(OPTIM_ADAM, clf->net->n_params, 1e-2f);
    for (int step = 0; step < 2; step++) {
        mlp_zero_grad(clf->net);
        const float L = clf_loss(clf, x, y, N, s, w, &r);
        h = zoo_hash(h, &L, sizeof L);
        optim_step(o, clf->net->params, clf->net->grads);
    }
    h = zoo_hash(h, clf->net->params, (size_t)clf->net->n_params * sizeof(float));
    optim_free(o);
    clf_work_free(w);
    den_free(clf);
    sched_free(s);
    snprintf(fingerprint, sizeof fingerprint, "%08llx", (unsigned long long)(h >> 32));
}

const char *guide_fingerprint(void)
{
    pthread_once(&fingerprint_once, compute_fingerprint);
    return fingerprint;
}

ZooRecipe guide_recipe(const char *data, const double *p_drop, int quick)
{
    ZooRecipe r;
    const int images = strcmp(data, "moons") != 0;
    if (!images) {
        /* chapter 10's 2-D recipe (zoo_recipe_2d) with the class input; quick: half its steps */
        r = (ZooRecipe){ .n_data = 8000, .data_seed = 1, .seed = 10 };
        r.net = (DenSpec){ .dim = 2, .hidden = 128, .depth = 3, .act = NN_GELU, .freqs = 16, .t_scale = 1, .x_scale = 8,
                           .n_classes = 2 };
        r.train = (DenTrain){ .steps = quick ? 300 : 4000, .batch = 128, .lr = 2e-3f, .optim = OPTIM_ADAM,
                              .lr_cosine = 1, .ema = 0.99f, .pred = DDPM_PRED_EPS };
    } else {
        /* pixels raw, t embedded, the class one-hot; 2 hidden layers of 512 (quick: 128); x_0-prediction
         * (chapter 10 compares it with ε-prediction) */
        r = (ZooRecipe){ .n_data = quick ? 4000 : 20000, .data_seed = 1, .seed = 12 };
        r.net = (DenSpec){ .dim = 16 * 16, .hidden = quick ? 128 : 512, .depth = 2, .act = NN_GELU, .freqs = 32,
                           .t_scale = 1, .n_classes = 10 };
        r.train = (DenTrain){ .steps = quick ? 200 : 3000, .batch = 128, .lr = 1e-3f, .optim = OPTIM_ADAM,
                              .lr_cosine = 1, .ema = 0.995f, .pred = DDPM_PRED_X0 };
    }
    snprintf(r.data, sizeof r.data, "%s", data);
    r.sched = sched_linear_spec(1000, 1);
    snprintf(r.name, sizeof r.name, "%s-cfg-p%.2f%s", data, *p_drop, quick ? "-quick" : "");
    /* the hook is not in the recipe's numbers: say what it does, and with which code (part of the key) */
    snprintf(r.extra, sizeof r.extra, "labels dropped with p = %.9g by cfg_drop_labels; chapter 12 code %s", *p_drop,
             guide_fingerprint());
    r.train.on_batch = cfg_on_batch;
    r.train.on_batch_ctx = (void *)p_drop;
    return r;
}

Denoiser *guide_classifier(const char *data, const SchedSpec *sched, int quick, int max_batch, const ZooOpts *o)
{
    const int images = strcmp(data, "moons") != 0;
    const int n = images && quick ? 4000 : images ? 20000 : 8000, B = 128;
    const int steps = images ? (quick ? 200 : 3000) : (quick ? 200 : 2000);
    const float lr = 1e-3f;
    const uint64_t data_seed = 1, seed = 13;
    char err[512];
    ZooData d;
    if (zoo_data(&d, data, n, data_seed, err, sizeof err) != 0) {
        fprintf(stderr, "error: %s\n", err);
        return NULL;
    }
    /* the denoiser's features and an MLP of the same kind, K logits out */
    DenSpec cs = images ? (DenSpec){ .dim = d.dim, .hidden = quick ? 128 : 256, .depth = 2, .act = NN_GELU, .freqs = 32,
                                     .t_scale = 1, .n_out = d.n_classes }
                        : (DenSpec){ .dim = 2, .hidden = 64, .depth = 2, .act = NN_GELU, .freqs = 16, .t_scale = 1,
                                     .x_scale = 8, .n_out = d.n_classes };
    Rng rng;
    rng_seed(&rng, seed);
    Denoiser *clf = den_create(&cs, max_batch > B ? max_batch : B, &rng);
    if (!clf) die(1, "guide_classifier: %s", den_spec_error(&cs));
    char name[48], key[1536], net[200], arch[160], sch[96];
    snprintf(name, sizeof name, "noisy-classifier-%s%s", data, quick ? "-quick" : "");
    uint64_t h = zoo_hash(ZOO_HASH_INIT, d.x, (size_t)d.n * d.dim * sizeof *d.x);
    h = zoo_hash(h, d.y, (size_t)d.n * sizeof *d.y);
    MlpSpec ms = den_mlp_spec(&cs);
    snprintf(key, sizeof key, "bddpo model cache\nrecipe = %s\ndata = %s, %d rows, seed %llu, values %016llx\n"
             "network = %s\nmlp = %s\nschedule = %s\ntraining = %d steps of %d, Adam lr %.9g cosine, cross-entropy on "
             "x_t, t uniform\nseed = %llu\ncode = %s %s %s", name, data, n, (unsigned long long)data_seed,
             (unsigned long long)h, den_describe(&cs, net, sizeof net), mlp_describe(&ms, arch, sizeof arch),
             sched_describe(sched, sch, sizeof sch), steps, B, lr, (unsigned long long)seed, ZOO_CODE_VERSION,
             zoo_fingerprint(), guide_fingerprint());
    if (!zoo_cache_load(clf->net, name, key, o, NULL, 0)) {
        Schedule *s = sched_create(sched);
        if (!s) die(1, "guide_classifier: %s", sched_spec_error(sched));
        ClfWork *w = clf_work_create(B, d.dim, d.n_classes);
        Optim *opt = optim_create(OPTIM_ADAM, clf->net->n_params, lr);
        float *xb = xmalloc((size_t)B * d.dim * sizeof *xb, "a batch");
        int *yb = xmalloc((size_t)B * sizeof *yb, "labels");
        Progress pr;
        char label[80];
        snprintf(label, sizeof label, "training %s", name);
        progress_start(&pr, label, steps, o ? o->quiet : 0);
        int bad = 0;
        for (int step = 0; step < steps && !bad; step++) {
            for (int i = 0; i < B; i++) {
                const int j = rng_int(&rng, n);
                memcpy(xb + (size_t)i * d.dim, d.x + (size_t)j * d.dim, (size_t)d.dim * sizeof *xb);
                yb[i] = d.y[j];
            }
            mlp_zero_grad(clf->net);
            const float L = clf_loss(clf, xb, yb, B, s, w, &rng);
            if (!isfinite(L)) { bad = step + 1; break; }
            /* half-cosine decay: lr_k = lr·½(1 + cos(π k/steps)) */
            opt->lr = lr * 0.5f * (1.0f + cosf((float)M_PI * (float)step / (float)steps));
            optim_step(opt, clf->net->params, clf->net->grads);
            progress_update(&pr, step + 1, "loss %.4f", L);
        }
        progress_finish(&pr);
        free(xb); free(yb);
        optim_free(opt);
        clf_work_free(w);
        sched_free(s);
        if (bad) {
            fflush(stdout);
            fprintf(stderr, "error: training %s: the loss became NaN or infinite at step %d. With IMPL=exercises, "
                            "check clf_loss: make check CH=12.\n", name, bad);
            den_free(clf);
            zoo_data_free(&d);
            return NULL;
        }
        zoo_cache_save(clf->net, name, key, o, NULL, 0);
    }
    zoo_data_free(&d);
    return clf;
}

double clf_accuracy_at(Denoiser *clf, const float *x, const int *y, int n, const Schedule *s, int t, Rng *rng)
{
    const int D = clf->spec.dim, K = clf_classes(clf), M = clf->max_batch;
    float *xt = xmalloc((size_t)M * D * sizeof *xt, "x_t"), *eps = xmalloc((size_t)M * D * sizeof *eps, "noise");
    int *tt = xmalloc((size_t)M * sizeof *tt, "timesteps"), right = 0;
    for (int i = 0; i < M; i++) tt[i] = t;
    for (int i0 = 0; i0 < n; i0 += M) {
        const int B = n - i0 < M ? n - i0 : M;
        for (size_t k = 0; k < (size_t)B * D; k++) eps[k] = (float)rng_normal(rng);
        ddpm_q_sample(xt, x + (size_t)i0 * D, eps, tt, s, B, D);
        const float *logits = den_forward(clf, xt, tt, NULL, B, NN_EVAL);
        for (int i = 0; i < B; i++) right += vec_argmax(logits + (size_t)i * K, K) == y[i0 + i];
    }
    free(xt); free(eps); free(tt);
    return (double)right / n;
}
