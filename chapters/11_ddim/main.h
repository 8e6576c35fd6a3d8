/* main.h — what the sections of chapter 11's program share (main.c,
 * main_table.c, main_inversion.c): the run's settings, a trained model with
 * its samplers, and figure helpers. */
#ifndef MAIN_11_H
#define MAIN_11_H
#include <stdint.h>
#include "ddim.h"
#include "denoiser.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "zoo.h"

#define PARTS 2          /* the sampler's rows run as 2 parts on parallel threads (results do not depend on cores) */
#define N_ETA 4          /* η = 0, 0.2, 0.5, 1 (Song et al. Table 1) */
#define MAX_S 8          /* entries of the S lists */

extern const double ETAS[N_ETA];

typedef struct {
    PlotOpts po;
    int quiet, quick;
    uint64_t seed;
    const char *data2d;      /* the 2-D data set */
    const char *images;      /* the image set, or "none" */
    int samples;             /* 2-D samples per cell of Table 1 */
    int img_samples;         /* image samples per cell */
    int inv_points;          /* points (2-D) inverted per S */
    int inv_images;          /* images inverted per S */
    int Ss[MAX_S], nS;       /* Table 1's steps S */
    int inv_Ss[MAX_S], n_inv_S;   /* Table 2's */
    ZooOpts zoo;
} Setup;

/* A trained denoiser (chapter 10's recipe and cache) with one ε context per
 * sampler part. */
typedef struct {
    ZooRecipe rec;
    Denoiser *net;
    Schedule *s;             /* the training schedule, T = 1000 */
    int dim;
    int h, w;                /* images: height and width; points: 0 */
    DenEps e[PARTS];
    Denoiser *clone[PARTS];
    void *ctx[PARTS];
} Model;

/* 0, or -1 if the model could not be made (message printed). */
int  model_load(Model *m, const ZooRecipe *rec, const Setup *S);
void model_free(Model *m);
/* x (n, D): x_T in, the DDIM sample with S steps and η out. pr (may be
 * NULL) advances by one per step, here and below. */
void model_ddim(Model *m, float *x, int n, int S, double eta, Rng *rng, Progress *pr);
/* x (n, D) out: DDPM ancestral steps on the schedule respaced to S steps
 * (β′_i = 1 − ᾱ_{τ_i}/ᾱ_{τ_{i−1}}, variance β′: the paper's σ̂ row). */
void model_sigma_hat(Model *m, float *x, int n, int S, Rng *rng, Progress *pr);
/* x (n, D): x_0 in, the DDIM inversion x_T with S steps out. */
void model_invert(Model *m, float *x, int n, int S, Progress *pr);


/* The exact score of data N(μ, s²) (one coordinate; chapter 10's README):
 * ε*(x, t) = √(1 − ᾱ_t)(x − √ᾱ_t μ)/(ᾱ_t s² + 1 − ᾱ_t), a DenEpsFn. With
 * taus, step i of a respaced chain is step τ_i of s. */
typedef struct {
    const Schedule *s;
    const int *taus;   /* NULL: t is s's own step */
    double mu, s2;
} ExactScore;
void exact_eps(void *ctx, float *eps, const float *x, int t, int n);

/* ---------------------------------------------------------------- the sections */

int section_sigma(const Setup *S);
int section_exact(const Setup *S, Rng *rng);
/* m2d: the 2-D model; img: the image model, or NULL (--images none). */
int section_table_2d(const Setup *S, Model *m2d, Rng *rng);
int section_table_images(const Setup *S, Model *img, Rng *rng);
int section_inversion(const Setup *S, Model *m2d, Model *img, Rng *rng);
int section_slerp(const Setup *S, Model *m2d, Model *img, Rng *rng);

/* ---------------------------------------------------------------- figures */

/* A scatter panel of n 2-D points in the square [−r, r]². */
void scatter_panel(Plot *p, const char *title, const float *pts, int n, double r, const char *style);
/* A panel showing rows × cols images (h × w, values in [−1, 1], row-major
 * (rows·cols, h·w)) as one gray mosaic with 1-pixel white gaps; row_labels
 * (rows strings, or NULL) are written left of the rows. */
void mosaic_panel(Plot *p, const char *title, const float *imgs, int rows, int cols, int h, int w,
                  const char *const *row_labels);

#endif
