/* zoo.c — data sets, recipes and trained models of the diffusion chapters
 * (chapter 10; see zoo.h).
 */
#include "zoo.h"
#include "datasets.h"
#include "nn.h"
#include "plot.h"
#include "util.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ data */

static int fail(char *err, size_t len, const char *fmt, ...)
{
    if (err && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void alloc_data(ZooData *d, const char *name, int n, int dim, int n_classes)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    d->n = n;
    d->dim = dim;
    d->n_classes = n_classes;
    d->x = xmalloc((size_t)n * dim * sizeof *d->x, "data");
    d->y = n_classes ? xmalloc((size_t)n * sizeof *d->y, "labels") : NULL;
}

/* Two moons with noise 0.05, moved and scaled to mean 0 and about unit
 * variance per coordinate (the moons' own mean is (0.5, 0.25), their
 * standard deviations about (0.87, 0.50)): diffusion assumes data of the
 * scale of its N(0, I) noise. */
static void moons(ZooData *d, int n, Rng *r)
{
    alloc_data(d, "moons", n, 2, 2);
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "moons");
    ds_two_moons(r, X, d->y, n, 0.05);
    for (int i = 0; i < n; i++) {
        d->x[2 * i] = (float)((X[2 * i] - 0.5) / 0.87);
        d->x[2 * i + 1] = (float)((X[2 * i + 1] - 0.25) / 0.50);
    }
    free(X);
}

typedef struct {
    const char *name;
    void (*make)(ZooData *d, int n, Rng *r);
} DataEntry;

static const DataEntry DATA[] = {
    { "moons", moons },
};

const char *zoo_data_names(void) { return "moons"; }

int zoo_data(ZooData *d, const char *name, int n, uint64_t seed, char *err, size_t err_len)
{
    memset(d, 0, sizeof *d);
    if (n < 1) return fail(err, err_len, "zoo_data: %d rows requested", n);
    for (int k = 0; k < ARRAY_LEN(DATA); k++)
        if (strcmp(name, DATA[k].name) == 0) {
            Rng r;
            rng_seed(&r, seed);
            DATA[k].make(d, n, &r);
            return 0;
        }
    return fail(err, err_len, "unknown data set '%s' (known: %s)", name, zoo_data_names());
}

void zoo_data_free(ZooData *d)
{
    free(d->x);
    free(d->y);
    d->x = NULL;
    d->y = NULL;
}

/* ================================================================ recipes */

ZooRecipe zoo_recipe_2d(const char *data, int quick)
{
    ZooRecipe r = { .n_data = 8000, .data_seed = 1, .seed = 10 };
    snprintf(r.data, sizeof r.data, "%s", data);
    snprintf(r.name, sizeof r.name, "%s-eps-T1000%s", data, quick ? "-quick" : "");
    /* x raw and embedded (scale 8), t embedded; 1 + 2 residual layers of 128 */
    r.net = (DenSpec){ .dim = 2, .hidden = 128, .depth = 3, .act = NN_GELU, .freqs = 16, .t_scale = 1,
                       .x_scale = 8 };
    r.sched = sched_linear_spec(1000, 1);
    r.train = (DenTrain){ .steps = quick ? 600 : 4000, .batch = 128, .lr = 2e-3f, .optim = OPTIM_ADAM, .lr_cosine = 1,
                          .ema = 0.99f, .pred = DDPM_PRED_EPS };
    return r;
}

ZooRecipe zoo_recipe_image(const char *data, int quick)
{
    ZooRecipe r = zoo_recipe_2d(data, quick);
    (void)r;
    die(1, "zoo_recipe_image: not written yet");
    return r;
}

char *zoo_describe(const ZooRecipe *r, char *buf, size_t len)
{
    char net[160], sch[80];
    den_describe(&r->net, net, sizeof net);
    sched_describe(&r->sched, sch, sizeof sch);
    const DenTrain *t = &r->train;
    char ema[24] = "";
    if (t->ema > 0) snprintf(ema, sizeof ema, ", EMA %g", t->ema);
    snprintf(buf, len, "%s: %d rows (seed %llu); %s; %s; %d steps of %d, %s lr %g%s%s, %s-prediction (seed %llu)",
             r->data, r->n_data, (unsigned long long)r->data_seed, net, sch, t->steps, t->batch, optim_name(t->optim),
             t->lr, t->lr_cosine ? " cosine-decayed" : "", ema, t->pred == DDPM_PRED_EPS ? "ε" : "x_0",
             (unsigned long long)r->seed);
    return buf;
}

/* ================================================================ the cache */

uint64_t zoo_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) { h ^= b[i]; h *= 1099511628211ull; }
    return h;
}

/* A small training run through the code every real one uses: the schedule
 * exercises (both kinds), the embedding, ddpm_loss, the MLP, Adam with
 * clipping, cosine decay and the average (den_train), and a classifier step
 * (chapter 04's layers, cross-entropy, AdamW). What it computes, hashed. */
static char fingerprint[17];
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;

static void compute_fingerprint(void)
{
    uint64_t h = zoo_hash(ZOO_HASH_INIT, ZOO_CODE_VERSION, strlen(ZOO_CODE_VERSION));
    Rng r;
    rng_seed(&r, 20231);
    enum { N = 256, D = 3 };
    float x[N * D];
    int y[N];
    for (int i = 0; i < N * D; i++) x[i] = (float)rng_normal(&r);
    for (int i = 0; i < N; i++) y[i] = i % 2;
    SchedSpec specs[2] = { sched_linear_spec(100, 1), sched_cosine_spec(100) };
    Schedule *sch[2];
    for (int k = 0; k < 2; k++) {
        sch[k] = sched_create(&specs[k]);
        h = zoo_hash(h, sch[k]->beta, 4 * (size_t)(sch[k]->T + 1) * sizeof(double));   /* the one block */
    }
    const DenSpec ds = { .dim = D, .hidden = 64, .depth = 3, .act = NN_GELU, .freqs = 8, .t_scale = 1, .x_scale = 2,
                         .n_classes = 2 };
    Denoiser *d = den_create(&ds, 64, &r);
    for (int pred = 0; pred < 2; pred++) {
        const DenTrain tr = { .steps = 3, .batch = 64, .lr = 1e-3f, .optim = OPTIM_ADAM, .clip = 1, .lr_cosine = 1,
                              .ema = 0.9f, .pred = (DdpmPred)pred, .quiet = 1 };
        den_train(d, x, y, N, sch[pred], &tr, &r);
    }
    h = zoo_hash(h, d->net->params, (size_t)d->net->n_params * sizeof(float));
    den_free(d);
    MlpSpec cs = { .n_layers = 3, .sizes = { D, 64, 64, 2 }, .act = NN_RELU };
    Mlp *c = mlp_create(&cs, 64, &r);
    Optim *o = optim_create(OPTIM_ADAMW, c->n_params, 1e-3f);
    float dl[64 * 2];
    for (int step = 0; step < 2; step++) {
        float loss = nn_softmax_xent(dl, mlp_forward(c, x + step * 64 * D, 64, NN_TRAIN), y, 64, 2);
        h = zoo_hash(h, &loss, sizeof loss);
        mlp_zero_grad(c);
        mlp_backward(c, dl, NULL);
        optim_step(o, c->params, c->grads);
    }
    h = zoo_hash(h, c->params, (size_t)c->n_params * sizeof(float));
    optim_free(o);
    mlp_free(c);
    sched_free(sch[0]);
    sched_free(sch[1]);
    snprintf(fingerprint, sizeof fingerprint, "%016llx", (unsigned long long)h);
}

const char *zoo_fingerprint(void)
{
    pthread_once(&fingerprint_once, compute_fingerprint);
    return fingerprint;
}

static const char *cache_dir(const ZooOpts *o)
{
    if (o && o->dir) return o->dir;
    const char *env = getenv("BDDPO_CACHE");
    return env && *env ? env : "build/cache";
}

void zoo_cache_path(char *path, size_t len, const char *name, const char *key, const ZooOpts *o)
{
    const uint64_t h = zoo_hash(ZOO_HASH_INIT, key, strlen(key));
    snprintf(path, len, "%s/%s-%08llx.mlp", cache_dir(o), name, (unsigned long long)(h >> 32));
}

/* The note of a cache file: the key, then "curve =" and the loss values. */
#define CURVE_TAG "\ncurve ="

/* The first line where two keys differ, for the message. */
static void first_difference(const char *a, const char *b, char *out, size_t len)
{
    while (*a && *b) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        if (la != lb || memcmp(a, b, la) != 0) {
            snprintf(out, len, "'%.*s' where this run wants '%.*s'", (int)(la < 120 ? la : 120), a,
                     (int)(lb < 120 ? lb : 120), b);
            return;
        }
        a += la + (ea != NULL);
        b += lb + (eb != NULL);
    }
    snprintf(out, len, "one key ends before the other");
}

int zoo_cache_load(Mlp *m, const char *name, const char *key, const ZooOpts *o, double *curve, int curve_points)
{
    if (!o || !o->use_cache) return 0;
    char path[512], err[512];
    zoo_cache_path(path, sizeof path, name, key, o);
    FILE *probe = fopen(path, "rb");
    if (!probe) return 0;   /* not there: train */
    fclose(probe);
    char *note = xmalloc(MLP_NOTE_MAX + 1, "a cache note");
    /* load into a copy: a stale file must not change m */
    Mlp *tmp = mlp_create(&m->spec, 1, NULL);
    int st = mlp_load_note(tmp, path, note, MLP_NOTE_MAX + 1, err, sizeof err), ok = 0;
    if (st != MLP_OK) {
        fflush(stdout);
        fprintf(stderr, "cache: %s; retraining\n", err);   /* err names the file */
    } else {
        const size_t klen = strlen(key);
        if (strncmp(note, key, klen) != 0 || (note[klen] != '\0' && note[klen] != '\n')) {
            char diff[300];
            first_difference(note, key, diff, sizeof diff);
            fflush(stdout);
            fprintf(stderr, "cache: %s is stale: it was trained from %s; retraining\n", path, diff);
        } else {
            mlp_copy_params(m, tmp);
            ok = 1;
            for (int i = 0; curve && i < curve_points; i++) curve[i] = NAN;
            const char *c = strstr(note + klen, CURVE_TAG);
            if (curve && c) {
                c += strlen(CURVE_TAG);
                for (int i = 0; i < curve_points; i++) {
                    char *end;
                    double v = strtod(c, &end);
                    if (end == c) break;
                    curve[i] = v;
                    c = end;
                }
            }
            if (!o->quiet) printf("    (loaded from the cache: %s)\n", path);
        }
    }
    mlp_free(tmp);
    free(note);
    return ok;
}

void zoo_cache_save(const Mlp *m, const char *name, const char *key, const ZooOpts *o, const double *curve,
                    int curve_points)
{
    if (!o || !o->use_cache) return;
    char path[512], err[512];
    if (plot_check_outdir(cache_dir(o), err, sizeof err) != 0) {
        fflush(stdout);
        fprintf(stderr, "cache: not saved: %s\n", err);
        return;
    }
    zoo_cache_path(path, sizeof path, name, key, o);
    const size_t klen = strlen(key), cap = klen + strlen(CURVE_TAG) + 24 * (size_t)(curve ? curve_points : 0) + 1;
    char *note = xmalloc(cap, "a cache note");
    size_t k = (size_t)snprintf(note, cap, "%s", key);
    if (curve && curve_points > 0) {
        k += (size_t)snprintf(note + k, cap - k, "%s", CURVE_TAG);
        for (int i = 0; i < curve_points && k < cap; i++) k += (size_t)snprintf(note + k, cap - k, " %.9g", curve[i]);
    }
    if (mlp_save_note(m, path, note, err, sizeof err) != MLP_OK) {
        fflush(stdout);
        fprintf(stderr, "cache: not saved: %s\n", err);
    }
    free(note);
}

char *zoo_recipe_key(const ZooRecipe *r, const ZooData *d, char *buf, size_t len)
{
    uint64_t h = zoo_hash(ZOO_HASH_INIT, d->x, (size_t)d->n * d->dim * sizeof *d->x);
    if (d->y) h = zoo_hash(h, d->y, (size_t)d->n * sizeof *d->y);
    char net[200], arch[160], sch[96];
    const DenTrain *t = &r->train;
    MlpSpec ms = den_mlp_spec(&r->net);
    snprintf(buf, len,
             "bddpo model cache\nrecipe = %s\ndata = %s, %d rows, seed %llu, values %016llx\nnetwork = %s\nmlp = %s, "
             "init %d\nschedule = %s\ntraining = %d steps of %d, %s lr %.9g wd %.9g clip %.9g cosine %d ema %.9g, %s\n"
             "seed = %llu\ncode = %s %s",
             r->name, r->data, r->n_data, (unsigned long long)r->data_seed, (unsigned long long)h,
             den_describe(&r->net, net, sizeof net), mlp_describe(&ms, arch, sizeof arch), (int)r->net.init,
             sched_describe(&r->sched, sch, sizeof sch), t->steps, t->batch, optim_name(t->optim), t->lr,
             t->weight_decay, t->clip, t->lr_cosine, t->ema, t->pred == DDPM_PRED_EPS ? "eps" : "x0",
             (unsigned long long)r->seed, ZOO_CODE_VERSION, zoo_fingerprint());
    return buf;
}

/* ================================================================ training */

Denoiser *zoo_train(const ZooRecipe *r, int max_batch, const ZooOpts *o, double *curve, int curve_points,
                    int *from_cache)
{
    char err[256];
    ZooData d;
    if (zoo_data(&d, r->data, r->n_data, r->data_seed, err, sizeof err) != 0) {
        fprintf(stderr, "error: %s\n", err);
        return NULL;
    }
    Rng rng;
    rng_seed(&rng, r->seed);
    Denoiser *net = den_create(&r->net, max_batch > r->train.batch ? max_batch : r->train.batch, &rng);
    if (!net) die(1, "zoo_train: recipe %s: %s", r->name, den_spec_error(&r->net));
    char *key = xmalloc(4096, "a cache key");
    zoo_recipe_key(r, &d, key, 4096);
    if (zoo_cache_load(net->net, r->name, key, o, curve, curve_points)) {
        if (from_cache) *from_cache = 1;
        free(key);
        zoo_data_free(&d);
        return net;
    }
    Schedule *s = sched_create(&r->sched);
    if (!s) die(1, "zoo_train: recipe %s: %s", r->name, sched_spec_error(&r->sched));
    if (sched_check(s, err, sizeof err) != 0)
        die(1, "training %s: its schedule is not valid: %s (make check CH=10)", r->name, err);
    DenTrain t = r->train;
    t.curve = curve;
    t.curve_points = curve_points;
    char label[64];
    snprintf(label, sizeof label, "training %s", r->name);
    t.label = label;
    t.quiet = o ? o->quiet : 0;
    int bad = den_train(net, d.x, d.y && r->net.n_classes ? d.y : NULL, d.n, s, &t, &rng);
    sched_free(s);
    zoo_data_free(&d);
    if (from_cache) *from_cache = 0;
    if (bad) {
        fflush(stdout);
        fprintf(stderr, "error: training %s: the loss became NaN or infinite at step %d. Lower the learning rate, or "
                        "with IMPL=exercises check ddpm_loss and the schedule: make check CH=10.\n", r->name, bad);
        den_free(net);
        free(key);
        return NULL;
    }
    zoo_cache_save(net->net, r->name, key, o, curve, curve_points);
    free(key);
    return net;
}
