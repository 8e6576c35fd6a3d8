/* zoo — the course's trained diffusion models: data, recipes, and a model
 * trained once and kept (given code, chapter 10; chapters 11–15 use the same
 * recipes, so they load the models chapter 10 trained).
 *
 * A recipe (ZooRecipe) is everything that determines a trained model: the
 * data set (name, size, seed), the network (DenSpec), the schedule
 * (SchedSpec), the training (DenTrain's numbers) and the training seed.
 * zoo_train() trains it, or loads it from the cache (build/cache/, see
 * zoo_cache_key) when a file made by the same recipe and the same code is
 * there; a missing, corrupt or stale file is reported and the model retrained.
 * So every chapter runs on its own, and a second run skips the training.
 *
 * Data sets (zoo_data): points in 2-D ("moons", ...) and images (flattened
 * h×w rows with values in [−1, 1]); each is reproducible from its seed.
 * Errors: zoo_data returns -1 with a message for an unknown name or missing
 * data; zoo_train returns NULL when training blew up (message printed).
 */
#ifndef ZOO_H
#define ZOO_H
#include <stddef.h>
#include <stdint.h>
#include "ddpm.h"
#include "denoiser.h"

/* ---------------------------------------------------------------- data */

typedef struct {
    char name[32];     /* "moons", "digits", ... */
    int n, dim;        /* rows, values per row */
    int h, w;          /* images: height and width (h·w = dim); points: 0, 0 */
    int n_classes;     /* labels in 0..n_classes−1; 0: unlabelled */
    float *x;          /* (n, dim) */
    int *y;            /* (n) labels, or NULL */
} ZooData;

/* The names zoo_data knows, space-separated (for messages). */
const char *zoo_data_names(void);
/* n rows of data set `name` drawn with `seed`. 0, or -1 with a sentence in
 * err (unknown name, a data package not installed, a bad file). The same
 * (name, n, seed) gives the same rows. Fashion-MNIST is read from
 * $BDDPO_FASHION_DIR if set, else from Debian's dataset-fashion-mnist. */
int  zoo_data(ZooData *d, const char *name, int n, uint64_t seed, char *err, size_t err_len);
void zoo_data_free(ZooData *d);   /* frees the arrays; accepts a zeroed ZooData */

/* ---------------------------------------------------------------- recipes */

typedef struct {
    char name[48];       /* names the cache file, e.g. "moons-eps-T1000" */
    char data[32];       /* zoo_data name */
    int n_data;          /* training rows */
    uint64_t data_seed;  /* seed of the training rows */
    DenSpec net;
    SchedSpec sched;
    DenTrain train;      /* steps, batch, lr, optimiser, clip, decay, EMA, prediction, on_batch (the rest unused) */
    uint64_t seed;       /* initialisation and training draws */
    char extra[96];      /* anything else that determines the model and is not above, in words: what an
                            on_batch hook does, e.g. "labels dropped with p = 0.1" (chapter 12); part of the key */
} ZooRecipe;

/* The chapter's standard recipes. quick: a smaller, faster one (the tests
 * and --quick), which is a different model with a different cache entry. */
ZooRecipe zoo_recipe_2d(const char *data, int quick);      /* T = 1000 linear, ε-prediction */
ZooRecipe zoo_recipe_image(const char *data, int quick);   /* digits or fashion, T = 1000 linear, x_0-prediction */

/* "moons: 8000 rows (seed 1); 2-D, x raw…; linear β…; 4000 steps of 128, Adam 2e-3 cosine, EMA 0.99, ε" */
char *zoo_describe(const ZooRecipe *r, char *buf, size_t len);

/* ---------------------------------------------------------------- the cache
 *
 * A trained network is kept as DIR/NAME-HHHHHHHH.mlp, in the MLP file format
 * (mlp.h, with its checksum), where DIR is ZooOpts.dir, else $BDDPO_CACHE,
 * else build/cache (relative to where the program runs, the repository's
 * root under make), NAME the recipe's name and HHHHHHHH a hash of its KEY.
 * The key is text, one "field = value" line each, of everything that
 * determines the trained weights: the recipe's name, the data (name, rows,
 * seed, and a hash of the very values), the network, the schedule, the
 * training numbers, the seed, and the code: ZOO_CODE_VERSION and a
 * fingerprint of what the training code computes (zoo_fingerprint). The file
 * stores its key in its note; a file is used only if its key is exactly the
 * wanted one. A corrupt file (bad checksum, truncated, NaN weights) or a
 * stale one (another key: a hash collision, or a file copied by hand) is
 * reported on stderr, retrained and replaced, never used.
 * Consequences: changing the code that trains (your exercises, with
 * IMPL=exercises, or the course's) or any number of a recipe gives a new
 * key, hence a fresh training; old files stay until `make clean` (or rm -rf
 * build/cache). The SAN=1 build computes other bits, so it keeps its own
 * files. */
#define ZOO_CODE_VERSION "10.1"   /* bump when training changes in a way the fingerprint cannot see */

typedef struct {
    int use_cache;       /* 1: load from / save to the cache directory */
    const char *dir;     /* cache directory; NULL: $BDDPO_CACHE or "build/cache" */
    int quiet;           /* no progress bar, no "loaded" line (problems are still reported) */
} ZooOpts;

/* 16 hex digits: FNV-1a 64 of the parameters, schedules and losses of a
 * small training run (a denoiser and a classifier, a few steps each) through
 * the same code as every real one: any change to what that code computes
 * changes it. Computed once (thread-safe). */
const char *zoo_fingerprint(void);
/* FNV-1a 64 of n bytes, continuing from h (start with ZOO_HASH_INIT). */
#define ZOO_HASH_INIT 14695981039346656037ull
uint64_t zoo_hash(uint64_t h, const void *p, size_t n);

/* The file of (name, key) in o's cache directory, into path (len bytes). */
void zoo_cache_path(char *path, size_t len, const char *name, const char *key, const ZooOpts *o);
/* Load m from the cache entry (name, key): 1 if loaded (and curve, if not
 * NULL, filled with the stored loss curve of curve_points values, NaN where
 * none was stored), 0 if there is none or it is stale or corrupt (reported
 * on stderr). o->use_cache = 0: always 0. */
int  zoo_cache_load(Mlp *m, const char *name, const char *key, const ZooOpts *o, double *curve, int curve_points);
/* Store m (and its loss curve, if not NULL) as the entry (name, key);
 * a failure is reported on stderr and otherwise ignored. */
void zoo_cache_save(const Mlp *m, const char *name, const char *key, const ZooOpts *o, const double *curve,
                    int curve_points);

/* The key of recipe r trained on data d (its rows hashed), into buf. */
char *zoo_recipe_key(const ZooRecipe *r, const ZooData *d, char *buf, size_t len);

/* ---------------------------------------------------------------- training */

/* The trained model of recipe r, with a network for batches of max_batch
 * rows: loaded from the cache if a valid file is there, else trained on
 * zoo_data(r) (progress bar) and saved. curve (curve_points, may be NULL):
 * the training loss curve (NaN if the model came from the cache and the file
 * has none). *from_cache (may be NULL) says which. NULL if the data cannot
 * be made or training diverged (message printed). */
Denoiser *zoo_train(const ZooRecipe *r, int max_batch, const ZooOpts *o, double *curve, int curve_points,
                    int *from_cache);

/* ---------------------------------------------------------------- image features
 *
 * The Fréchet distance, precision and recall of images are computed in the
 * features of a classifier the course trains itself (FID uses Inception-v3;
 * here chapter 04's MLP on the same images): a network dim → 256 → 128 → 10
 * (relu) trained with cross-entropy on the labelled training images; the
 * features of an image are the 128 activations of its last hidden layer.
 * Trained once and cached like the denoisers. */
#define ZOO_FEATURES 128

/* The classifier of image set `data` ("digits" or "fashion"); quick: a
 * smaller training. *accuracy (may be NULL): its accuracy on held-out
 * images. NULL if the data cannot be made (message printed). */
Mlp *zoo_classifier(const char *data, int quick, const ZooOpts *o, double *accuracy);
/* feat (n, ZOO_FEATURES) = the features of images x (n, dim); pred (n, may
 * be NULL) = the predicted classes. */
void zoo_features(Mlp *clf, const float *x, int n, float *feat, int *pred);

/* ---------------------------------------------------------------- held-out draws (chapter 11) */

/* n rows of data set `name` as independent draws, for held-out sets and
 * metric floors. zoo_data gives row i the class i % k, so a set is exactly
 * balanced and its within-set distances are not those of independent draws
 * (the energy distance between two such sets of 1000 moons points sits near
 * −0.0017, not 0). This draws 8n rows and keeps n picked at random;
 * Fashion-MNIST, a random subset already, is
 * drawn as it is. 0, or -1 with a sentence in err. */
int zoo_data_independent(ZooData *d, const char *name, int n, uint64_t seed, char *err, size_t err_len);
/* The same for the programs: the set, or exit 2 with the reason. */
ZooData zoo_held_out(const char *name, int n, uint64_t seed);

/* sched_create + sched_check for the chapters built on chapter 10 (its
 * solutions): an invalid spec or schedule exits 1 naming the problem. */
Schedule *zoo_sched(const SchedSpec *sp);

/* A program's --data2d and --data choices, checked before any work: data2d
 * must be a 2-D set, images "digits", "fashion" (the Debian package must be
 * there: the message names it) or "none". 0, or -1 with a sentence naming
 * the flag in err. */
int zoo_check_sets(const char *data2d, const char *images, char *err, size_t err_len);

#endif
