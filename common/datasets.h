/* datasets — small generated data sets, reproducible from an Rng.
 *
 * Every generator fills caller-owned arrays: X (n, 2) row-major, one point per
 * row, and labels y (n) in 0..k-1. Classes are balanced as far as n allows
 * (point i belongs to class i % k), so a caller can shuffle if it needs to.
 * Noise is Gaussian with the given standard deviation.
 *
 *     double X[2 * 400]; int y[400];
 *     ds_two_moons(&rng, X, y, 400, 0.1);
 */
#ifndef DATASETS_H
#define DATASETS_H
#include "rng.h"

/* Two interleaving half circles (class 0: upper moon centred at (0,0), radius
 * 1; class 1: lower moon centred at (1, 0.5)), plus N(0, noise²) per coordinate. */
void ds_two_moons(Rng *r, double *X, int *y, int n, double noise);

/* k interleaved spiral arms through the origin, each turning `turns` times,
 * radius growing from 0 to 1; noise is added to the angle's point. */
void ds_spirals(Rng *r, double *X, int *y, int n, int k, double turns, double noise);

/* k isotropic Gaussian blobs with the given centres (k, 2) and std. */
void ds_blobs(Rng *r, double *X, int *y, int n, int k, const double *centres, double std);

/* Regression data: x_i ~ U(lo, hi), y_i = f(x_i) + N(0, noise²) with f given. */
void ds_regression_1d(Rng *r, double *x, double *y, int n, double lo, double hi, double (*f)(double), double noise);

/* ---- mode-coverage benchmarks (GAN mode collapse; chapter 09) ----
 * Mixtures of equal-weight isotropic Gaussians whose modes are far apart
 * compared with their std, so a generator's samples can be counted per mode.
 * Point i is drawn from mode i % k and y[i] is that mode's index. */

/* k Gaussians evenly on a circle: mode j centred at radius·(cos 2πj/k, sin 2πj/k).
 * The ring of 8 of Metz et al. 2016 (unrolled GANs): k = 8, radius 2, std 0.02.
 * (PacGAN describes VEEGAN's ring as radius 1, std 0.01: the same shape scaled.) */
void ds_ring(Rng *r, double *X, int *y, int n, int k, double radius, double std);

/* side×side Gaussians on a grid symmetric about 0: mode j = row·side + col is
 * centred at ((col − (side−1)/2)·spacing, (row − (side−1)/2)·spacing).
 * The 5×5 grid of VEEGAN (Srivastava et al. 2017) and PacGAN: side 5,
 * spacing 2 (centres −4, −2, 0, 2, 4 on each axis), std 0.05. */
void ds_grid(Rng *r, double *X, int *y, int n, int side, double spacing, double std);

/* The mode centres of those two sets, C (k, 2) resp. (side², 2), in mode order. */
void ds_ring_centres(double *C, int k, double radius);
void ds_grid_centres(double *C, int side, double spacing);

/* ---------------------------------------------------------------- diffusion toys (chapters 10–16) */

/* A 2-D swiss roll: t ~ U(1.5π, 4.5π) (uniform in angle, as scikit-learn's
 * make_swiss_roll), point (t cos t, t sin t) / (3π), so the radius r = t/(3π)
 * runs from 0.5 to 1.5 over one and a half turns; plus N(0, noise²) per
 * coordinate. Class 0 is the inner half (t < 3π, r < 1), class 1 the outer. */
void ds_swiss_roll(Rng *r, double *X, int *y, int n, double noise);

/* The outline of a five-pointed star centred at the origin, one tip straight
 * up, tips at distance `radius` and inner corners at radius·0.381966 (a
 * regular pentagram's), points uniform along its ten equal edges, plus
 * N(0, noise²) per coordinate. Class c (0..4) is the two edges meeting at tip
 * c, counted counter-clockwise from the top. With radius 4 it is the course's
 * large-extent set with sharp corners: at T = 50 the linear schedule leaves
 * ᾱ_T ≈ 0.6, so x_T still shows the star (chapter 10). */
void ds_star(Rng *r, double *X, int *y, int n, double radius, double noise);

#endif
