/* zoo.c — data sets, recipes and trained models of the diffusion chapters
 * (chapter 10; see zoo.h).
 */
#include "zoo.h"
#include "datasets.h"
#include "imageset.h"
#include "linalg.h"
#include "progress.h"
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

/* 2-D sets from datasets.h, as floats; scale multiplies every coordinate. */
static void points(ZooData *d, const char *name, int n, int k, const double *X, const int *y, double scale)
{
    alloc_data(d, name, n, 2, k);
    for (int i = 0; i < 2 * n; i++) d->x[i] = (float)(scale * X[i]);
    memcpy(d->y, y, (size_t)n * sizeof *y);
}

/* A swiss roll with noise 0.02 (radius 0.5 to 1.5, already of unit scale). */
static void swissroll(ZooData *d, int n, Rng *r)
{
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "points");
    int *y = xmalloc((size_t)n * sizeof *y, "labels");
    ds_swiss_roll(r, X, y, n, 0.02);
    points(d, "swissroll", n, 2, X, y, 1);
    free(X); free(y);
}

/* The star outline of radius 4, noise 0.02: left at its large extent ON
 * PURPOSE (chapter 10: with T = 50 and the linear range x_T still shows it). */
static void star(ZooData *d, int n, Rng *r)
{
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "points");
    int *y = xmalloc((size_t)n * sizeof *y, "labels");
    ds_star(r, X, y, n, 4.0, 0.02);
    points(d, "star", n, 5, X, y, 1);
    free(X); free(y);
}

/* 8 Gaussians on a circle of radius 2, std 0.05 (Metz et al.'s ring, a little wider). */
static void ring(ZooData *d, int n, Rng *r)
{
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "points");
    int *y = xmalloc((size_t)n * sizeof *y, "labels");
    ds_ring(r, X, y, n, 8, 2.0, 0.05);
    points(d, "ring", n, 8, X, y, 1);
    free(X); free(y);
}

/* The 5×5 grid of Gaussians, spacing 1 (centres −2..2), std 0.05. */
static void grid(ZooData *d, int n, Rng *r)
{
    double *X = xmalloc(2 * (size_t)n * sizeof *X, "points");
    int *y = xmalloc((size_t)n * sizeof *y, "labels");
    ds_grid(r, X, y, n, 5, 1.0, 0.05);
    points(d, "grid", n, 25, X, y, 1);
    free(X); free(y);
}

/* Images: pixels p in [0, 1] become 2p − 1 in [−1, 1] (Ho et al. scale
 * images so). */
static void from_images(ZooData *d, const char *name, const ImageSet *s, int n)
{
    alloc_data(d, name, n, s->h * s->w, IMS_CLASSES);
    d->h = s->h;
    d->w = s->w;
    for (size_t k = 0; k < (size_t)n * d->dim; k++) d->x[k] = 2.0f * s->pix[k] - 1.0f;
    memcpy(d->y, s->label, (size_t)n * sizeof *d->y);
}

static void digits(ZooData *d, int n, Rng *r)
{
    ImageSet s;
    ims_digits(&s, r, n);
    from_images(d, "digits", &s, n);
    ims_free(&s);
}

typedef struct {
    const char *name;
    void (*make)(ZooData *d, int n, Rng *r);
} DataEntry;

static const DataEntry DATA[] = {
    { "moons", moons }, { "swissroll", swissroll }, { "star", star }, { "ring", ring }, { "grid", grid },
    { "digits", digits },
};

const char *zoo_data_names(void) { return "moons swissroll star ring grid digits fashion fashion-test"; }

/* Fashion-MNIST: n of the 60,000 training images ("fashion") or of the
 * 10,000 test images ("fashion-test", the held-out sets of the metrics), a
 * random subset drawn with the seed. */
static int fashion(ZooData *d, int n, Rng *r, ImsSplit split, char *err, size_t err_len)
{
    ImageSet all;
    const char *dir = getenv("BDDPO_FASHION_DIR");   /* default: IMS_FASHION_DIR, the Debian package's */
    if (ims_load_fashion(&all, dir && *dir ? dir : NULL, split, err, err_len) != 0) return -1;
    if (n > all.n) {
        ims_free(&all);
        return fail(err, err_len, "fashion: %d images requested, the %s split has %d", n,
                    split == IMS_TRAIN ? "training" : "test", all.n);
    }
    int *idx = xmalloc((size_t)all.n * sizeof *idx, "an index");
    for (int i = 0; i < all.n; i++) idx[i] = i;
    rng_shuffle(r, idx, all.n);
    ImageSet pick;
    ims_alloc(&pick, n, all.h, all.w);
    const size_t px = (size_t)all.h * all.w;
    for (int i = 0; i < n; i++) {
        memcpy(pick.pix + i * px, all.pix + (size_t)idx[i] * px, px * sizeof *pick.pix);
        pick.label[i] = all.label[idx[i]];
    }
    from_images(d, "fashion", &pick, n);
    ims_free(&pick);
    ims_free(&all);
    free(idx);
    return 0;
}

int zoo_data(ZooData *d, const char *name, int n, uint64_t seed, char *err, size_t err_len)
{
    memset(d, 0, sizeof *d);
    if (n < 1) return fail(err, err_len, "zoo_data: %d rows requested", n);
    Rng r;
    rng_seed(&r, seed);
    if (strcmp(name, "fashion") == 0) return fashion(d, n, &r, IMS_TRAIN, err, err_len);
    if (strcmp(name, "fashion-test") == 0) return fashion(d, n, &r, IMS_TEST, err, err_len);
    for (int k = 0; k < ARRAY_LEN(DATA); k++)
        if (strcmp(name, DATA[k].name) == 0) {
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
    r.net = (DenSpec){ .dim = 2, .hidden = quick ? 64 : 128, .depth = 3, .act = NN_GELU, .freqs = 16, .t_scale = 1,
                       .x_scale = 8 };
    r.sched = sched_linear_spec(1000, 1);
    r.train = (DenTrain){ .steps = quick ? 400 : 4000, .batch = 128, .lr = 2e-3f, .optim = OPTIM_ADAM, .lr_cosine = 1,
                          .ema = 0.99f, .pred = DDPM_PRED_EPS };
    return r;
}

ZooRecipe zoo_recipe_image(const char *data, int quick)
{
    const int fashion = strcmp(data, "fashion") == 0;
    ZooRecipe r = { .n_data = quick ? 2000 : 20000, .data_seed = 1, .seed = 11 };
    snprintf(r.data, sizeof r.data, "%s", data);
    snprintf(r.name, sizeof r.name, "%s-x0-T1000%s", data, quick ? "-quick" : "");
    /* pixels raw, t embedded; a wide MLP: 2 hidden layers of 512 (quick: 128). It predicts x_0: an MLP on
     * pixels predicting ε cannot remove the last, small noise (chapter 10 shows both) */
    r.net = (DenSpec){ .dim = fashion ? 28 * 28 : IMS_DIGIT_SIDE * IMS_DIGIT_SIDE, .hidden = quick ? 64 : 512, .depth = 2,
                       .act = NN_GELU, .freqs = 32, .t_scale = 1 };
    r.sched = sched_linear_spec(1000, 1);
    r.train = (DenTrain){ .steps = quick ? 200 : 2500, .batch = 128, .lr = 1e-3f, .optim = OPTIM_ADAM, .lr_cosine = 1,
                          .ema = 0.995f, .pred = DDPM_PRED_X0 };
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
             "seed = %llu\nextra = %s\ncode = %s %s",
             r->name, r->data, r->n_data, (unsigned long long)r->data_seed, (unsigned long long)h,
             den_describe(&r->net, net, sizeof net), mlp_describe(&ms, arch, sizeof arch), (int)r->net.init,
             sched_describe(&r->sched, sch, sizeof sch), t->steps, t->batch, optim_name(t->optim), t->lr,
             t->weight_decay, t->clip, t->lr_cosine, t->ema, t->pred == DDPM_PRED_EPS ? "eps" : "x0",
             (unsigned long long)r->seed, r->extra, ZOO_CODE_VERSION, zoo_fingerprint());
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

/* ================================================================ image features */

/* The classifier's training: 20,000 images (quick: 2,000), 3,000 steps of 128
 * (quick: 200), Adam lr 1e-3, seed 7. */
Mlp *zoo_classifier(const char *data, int quick, const ZooOpts *o, double *accuracy)
{
    const int n = quick ? 2000 : 20000, steps = quick ? 200 : 3000, B = 128;
    const uint64_t data_seed = 5, seed = 7;
    char err[512];
    ZooData d, test;
    if (zoo_data(&d, data, n, data_seed, err, sizeof err) != 0) {
        fprintf(stderr, "error: %s\n", err);
        return NULL;
    }
    const char *test_name = strcmp(data, "fashion") == 0 ? "fashion-test" : data;
    if (zoo_data(&test, test_name, 2000, data_seed + 1, err, sizeof err) != 0) {
        fprintf(stderr, "error: %s\n", err);
        zoo_data_free(&d);
        return NULL;
    }
    MlpSpec spec = { .n_layers = 3, .sizes = { d.dim, 256, ZOO_FEATURES, d.n_classes }, .act = NN_RELU };
    Rng rng;
    rng_seed(&rng, seed);
    Mlp *m = mlp_create(&spec, 1024, &rng);
    char name[48], key[1024], arch[128];
    snprintf(name, sizeof name, "classifier-%s%s", data, quick ? "-quick" : "");
    uint64_t h = zoo_hash(ZOO_HASH_INIT, d.x, (size_t)d.n * d.dim * sizeof *d.x);
    h = zoo_hash(h, d.y, (size_t)d.n * sizeof *d.y);
    snprintf(key, sizeof key, "bddpo model cache\nrecipe = %s\ndata = %s, %d rows, seed %llu, values %016llx\n"
             "mlp = %s\ntraining = %d steps of %d, Adam lr 0.001, cross-entropy\nseed = %llu\ncode = %s %s",
             name, data, n, (unsigned long long)data_seed, (unsigned long long)h,
             mlp_describe(&spec, arch, sizeof arch), steps, B, (unsigned long long)seed, ZOO_CODE_VERSION,
             zoo_fingerprint());
    if (!zoo_cache_load(m, name, key, o, NULL, 0)) {
        Optim *opt = optim_create(OPTIM_ADAM, m->n_params, 1e-3f);
        float *xb = xmalloc((size_t)B * d.dim * sizeof *xb, "a batch"), *dl = xmalloc((size_t)B * d.n_classes * sizeof *dl, "dL");
        int *yb = xmalloc((size_t)B * sizeof *yb, "labels");
        Progress pr;
        char label[64];
        snprintf(label, sizeof label, "training %s", name);
        progress_start(&pr, label, steps, o ? o->quiet : 0);
        for (int step = 0; step < steps; step++) {
            for (int i = 0; i < B; i++) {
                const int j = rng_int(&rng, n);
                memcpy(xb + (size_t)i * d.dim, d.x + (size_t)j * d.dim, (size_t)d.dim * sizeof *xb);
                yb[i] = d.y[j];
            }
            const float loss = nn_softmax_xent(dl, mlp_forward(m, xb, B, NN_TRAIN), yb, B, d.n_classes);
            mlp_zero_grad(m);
            mlp_backward(m, dl, NULL);
            optim_step(opt, m->params, m->grads);
            progress_update(&pr, step + 1, "loss %.4f", loss);
        }
        progress_finish(&pr);
        free(xb); free(dl); free(yb);
        optim_free(opt);
        zoo_cache_save(m, name, key, o, NULL, 0);
    }
    if (accuracy) {
        int *pred = xmalloc((size_t)test.n * sizeof *pred, "predictions"), ok = 0;
        float *f = xmalloc((size_t)test.n * ZOO_FEATURES * sizeof *f, "features");
        zoo_features(m, test.x, test.n, f, pred);
        for (int i = 0; i < test.n; i++) ok += pred[i] == test.y[i];
        *accuracy = (double)ok / test.n;
        free(pred); free(f);
    }
    zoo_data_free(&d);
    zoo_data_free(&test);
    return m;
}

void zoo_features(Mlp *clf, const float *x, int n, float *feat, int *pred)
{
    const int D = clf->spec.sizes[0], K = clf->spec.sizes[3];
    for (int i0 = 0; i0 < n; i0 += clf->max_batch) {
        const int B = n - i0 < clf->max_batch ? n - i0 : clf->max_batch;
        const float *out = mlp_forward(clf, x + (size_t)i0 * D, B, NN_EVAL);
        /* the last hidden layer's activations: a[1], (B, ZOO_FEATURES) */
        memcpy(feat + (size_t)i0 * ZOO_FEATURES, clf->a[1], (size_t)B * ZOO_FEATURES * sizeof *feat);
        for (int i = 0; pred && i < B; i++) pred[i0 + i] = vec_argmax(out + (size_t)i * K, K);
    }
}

/* ================================================================ held-out draws */

int zoo_data_independent(ZooData *d, const char *name, int n, uint64_t seed, char *err, size_t err_len)
{
    ZooData pool;
    memset(d, 0, sizeof *d);
    if (n < 1) return fail(err, err_len, "zoo_data: %d rows requested", n);
    if (strncmp(name, "fashion", 7) == 0) return zoo_data(d, name, n, seed, err, err_len);   /* random subsets already */
    if (zoo_data(&pool, name, 8 * n, seed, err, err_len) != 0) return -1;
    *d = pool;
    d->n = n;
    d->x = xmalloc((size_t)n * pool.dim * sizeof *d->x, "data");
    d->y = pool.y ? xmalloc((size_t)n * sizeof *d->y, "labels") : NULL;
    Rng r;
    rng_seed(&r, seed ^ 0x5eed);
    int *idx = xmalloc((size_t)pool.n * sizeof *idx, "an index");
    for (int i = 0; i < pool.n; i++) idx[i] = i;
    for (int i = 0; i < n; i++) {   /* a partial Fisher–Yates shuffle: n distinct rows */
        const int j = i + rng_int(&r, pool.n - i), t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        memcpy(d->x + (size_t)i * d->dim, pool.x + (size_t)idx[i] * d->dim, (size_t)d->dim * sizeof *d->x);
        if (d->y) d->y[i] = pool.y[idx[i]];
    }
    free(idx);
    zoo_data_free(&pool);
    return 0;
}

ZooData zoo_held_out(const char *name, int n, uint64_t seed)
{
    ZooData d;
    char err[512];
    if (zoo_data_independent(&d, name, n, seed, err, sizeof err) != 0) die(2, "%s", err);
    return d;
}

Schedule *zoo_sched(const SchedSpec *sp)
{
    Schedule *s = sched_create(sp);
    if (!s) die(1, "schedule: %s", sched_spec_error(sp));
    char why[160];
    if (sched_check(s, why, sizeof why) != 0) die(1, "chapter 10's schedule is not valid: %s", why);
    return s;
}

int zoo_check_sets(const char *data2d, const char *images, char *err, size_t err_len)
{
    ZooData probe;
    char why[400];
    if (zoo_data(&probe, data2d, 1, 1, why, sizeof why) != 0 || probe.dim != 2) {
        if (probe.x) snprintf(why, sizeof why, "not a 2-D set");
        zoo_data_free(&probe);
        return fail(err, err_len, "--data2d %s: %s (2-D sets: moons swissroll star ring grid)", data2d, why);
    }
    zoo_data_free(&probe);
    if (strcmp(images, "digits") != 0 && strcmp(images, "fashion") != 0 && strcmp(images, "none") != 0)
        return fail(err, err_len, "--data '%s': digits, fashion or none", images);
    if (strcmp(images, "fashion") == 0) {   /* a Debian package: say which, before any work */
        if (zoo_data(&probe, "fashion-test", 1, 1, why, sizeof why) != 0)
            return fail(err, err_len, "--data fashion: %s", why);
        zoo_data_free(&probe);
    }
    return 0;
}
