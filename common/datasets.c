/* datasets.c — see datasets.h. */
#include "datasets.h"

#include "util.h"

#include <math.h>

void ds_two_moons(Rng *r, double *X, int *y, int n, double noise)
{
    for (int i = 0; i < n; i++) {
        int c = i % 2;
        double t = M_PI * rng_uniform(r);
        double px = c == 0 ? cos(t) : 1.0 - cos(t);
        double py = c == 0 ? sin(t) : 0.5 - sin(t);
        X[2 * i] = px + noise * rng_normal(r);
        X[2 * i + 1] = py + noise * rng_normal(r);
        y[i] = c;
    }
}

void ds_spirals(Rng *r, double *X, int *y, int n, int k, double turns, double noise)
{
    for (int i = 0; i < n; i++) {
        int c = i % k;
        double t = rng_uniform(r);                       /* position along the arm */
        double angle = 2.0 * M_PI * (turns * t + (double)c / k);
        X[2 * i] = t * cos(angle) + noise * rng_normal(r);
        X[2 * i + 1] = t * sin(angle) + noise * rng_normal(r);
        y[i] = c;
    }
}

void ds_blobs(Rng *r, double *X, int *y, int n, int k, const double *centres, double std)
{
    for (int i = 0; i < n; i++) {
        int c = i % k;
        X[2 * i] = centres[2 * c] + std * rng_normal(r);
        X[2 * i + 1] = centres[2 * c + 1] + std * rng_normal(r);
        y[i] = c;
    }
}

void ds_regression_1d(Rng *r, double *x, double *y, int n, double lo, double hi, double (*f)(double), double noise)
{
    for (int i = 0; i < n; i++) {
        x[i] = rng_uniform_range(r, lo, hi);
        y[i] = f(x[i]) + noise * rng_normal(r);
    }
}

void ds_ring_centres(double *C, int k, double radius)
{
    for (int j = 0; j < k; j++) {
        double angle = 2.0 * M_PI * j / k;
        C[2 * j] = radius * cos(angle);
        C[2 * j + 1] = radius * sin(angle);
    }
}

void ds_grid_centres(double *C, int side, double spacing)
{
    double half = 0.5 * (side - 1);
    for (int row = 0; row < side; row++)
        for (int col = 0; col < side; col++) {
            int j = row * side + col;
            C[2 * j] = (col - half) * spacing;
            C[2 * j + 1] = (row - half) * spacing;
        }
}

/* Both mixtures are blobs at known centres; the centres fit on the stack for
 * any set a figure can show (k ≤ 1024 modes). */
enum { DS_MAX_MODES = 1024 };

void ds_ring(Rng *r, double *X, int *y, int n, int k, double radius, double std)
{
    double C[2 * DS_MAX_MODES];
    if (k < 1 || k > DS_MAX_MODES) die(2, "ds_ring: k = %d modes, expected 1..%d", k, DS_MAX_MODES);
    ds_ring_centres(C, k, radius);
    ds_blobs(r, X, y, n, k, C, std);
}

void ds_grid(Rng *r, double *X, int *y, int n, int side, double spacing, double std)
{
    double C[2 * DS_MAX_MODES];
    if (side < 1 || side > 32) die(2, "ds_grid: side = %d, expected 1..32", side);
    ds_grid_centres(C, side, spacing);
    ds_blobs(r, X, y, n, side * side, C, std);
}

/* ---------------------------------------------------------------- diffusion toys */

void ds_swiss_roll(Rng *r, double *X, int *y, int n, double noise)
{
    for (int i = 0; i < n; i++) {
        int c = i % 2;
        double t = 1.5 * M_PI * (1.0 + rng_uniform(r) + c);   /* class 0: [1.5π, 3π), class 1: [3π, 4.5π) */
        X[2 * i] = t * cos(t) / (3.0 * M_PI) + noise * rng_normal(r);
        X[2 * i + 1] = t * sin(t) / (3.0 * M_PI) + noise * rng_normal(r);
        y[i] = c;
    }
}

/* Inner radius of a regular pentagram over its outer radius: sin 18° / sin 126°. */
#define STAR_INNER_RATIO 0.381966011250105

void ds_star(Rng *r, double *X, int *y, int n, double radius, double noise)
{
    for (int i = 0; i < n; i++) {
        int c = i % 5;
        /* tip c at angle 90° + 72°·c; its edges run to the inner corners at ±36° */
        double tip = M_PI / 2 + 2 * M_PI * c / 5;
        double side = rng_uniform(r) < 0.5 ? -1.0 : 1.0, u = rng_uniform(r);
        double inner = tip + side * M_PI / 5, ri = radius * STAR_INNER_RATIO;
        double px = (1 - u) * radius * cos(tip) + u * ri * cos(inner);
        double py = (1 - u) * radius * sin(tip) + u * ri * sin(inner);
        X[2 * i] = px + noise * rng_normal(r);
        X[2 * i + 1] = py + noise * rng_normal(r);
        y[i] = c;
    }
}
