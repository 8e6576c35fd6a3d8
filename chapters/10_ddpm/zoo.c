/* zoo.c — data sets, recipes and trained models of the diffusion chapters
 * (chapter 10; see zoo.h).
 */
#include "zoo.h"
#include "datasets.h"
#include "util.h"

#include <math.h>
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
        return NULL;
    }
    return net;
}
