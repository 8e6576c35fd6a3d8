/* main.h — what the sections of chapter 12's program share (main.c,
 * main_images.c): the run's settings and small helpers. */
#ifndef MAIN_12_H
#define MAIN_12_H
#include <stdint.h>
#include "guidance.h"
#include "plot.h"
#include "rng.h"
#include "zoo.h"

typedef struct {
    PlotOpts po;
    int quiet, quick;
    uint64_t seed;
    int samples;        /* 2-D samples per setting (half per class) */
    int img_samples;    /* image samples per setting (a tenth per class) */
    int steps;          /* digits: sampler steps S, DDPM on the respaced schedule τ_i = ⌊i·T/S⌋ */
    int steps_2d;       /* moons: the same */
    ZooOpts zoo;
} Setup;

/* n rows of a data set, or exit 2 with the reason. */
ZooData get_data(const char *name, int n, uint64_t seed);
/* A trained model of recipe r (cache or training), or exit 1. */
Denoiser *get_model(const Setup *S, const ZooRecipe *r);

/* A respaced sampler: S steps of the training schedule. */
typedef struct {
    int S, *taus;
    Schedule *s;
} Respaced;
void respaced_init(Respaced *r, const Schedule *train, int S);
void respaced_free(Respaced *r);

/* Classes in blocks: cls[i] = i / (n / K), n a multiple of K. */
void block_classes(int *cls, int n, int K);

/* A PNG of images in [−1, 1] into the output folder (not with --plot none
 * or dumb, where figures are not files). 1 on failure. */
int write_grid(const Setup *S, const char *name, const float *imgs, int n, int h, int w, int cols);

/* Axis with categorical ticks: x = 0..n−1 labelled with labels[i]. */
void categorical_xtics(Plot *p, const char *const *labels, int n, const char *title);

int section_exact(const Setup *S, Rng *rng);    /* main.c: two Gaussian classes, exact scores */
int section_moons(const Setup *S, Rng *rng);    /* main.c: 2-D, classes in colour */
int section_images(const Setup *S, Rng *rng);   /* main_images.c: digits, the sweeps */

#endif
