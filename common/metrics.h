/* metrics — how close a set of samples is to the data: two-sample distances
 * for points, and the Fréchet distance, precision and recall for features.
 *
 *   met_energy, met_mmd2      between two point sets (2-D data; any small d)
 *   met_frechet               between Gaussians fitted to two feature sets
 *                             (FID's formula, in the features of a classifier
 *                             the course trains itself, or in pixel space)
 *   met_precision_recall      k-nearest-neighbour manifolds (Kynkäänniemi et
 *                             al. 2019): fidelity and coverage separately
 *
 * Layout. A set of n points (or feature vectors) of dimension d is a float
 * array (n, d), row-major: point i is P[i*d .. i*d + d−1]. Images (n, h, w)
 * are such a set with d = h·w. Sums run in double unless stated.
 *
 * Calibrate every value. A number such as "energy 0.013" means nothing alone:
 * print it beside its noise floor — the metric between two independent
 * samples of real data of the same sizes — and its ceiling — the metric
 * between real data and what the sampler starts from (x_T ~ N(0, I), no
 * denoising). A good model sits near the floor. For precision and recall
 * the roles flip: real against real gives the best attainable values (not 1:
 * the k-NN balls miss some points). Noise drives precision to ~0 but not
 * recall: widely spread samples have wide k-NN balls that swallow the data
 * (measured: recall 0.98 for N(0, I) against moons, 0.96–1.0 for noise
 * against digits or Fashion-MNIST in pixel space). Recall compares the
 * diversity of samplers that are all reasonably precise.
 *
 *     double e = met_energy(samples, n, test, n, 2);
 *     double floor = met_energy(real_a, n, real_b, n, 2);    // two independent draws
 *     double ceil = met_energy(noise, n, test, n, 2);         // x_T, undenoised
 *     met_print_calibrated(stdout, "energy distance", e, floor, ceil);
 *
 * Errors. Functions returning double give NAN for arguments they cannot use
 * (a set smaller than the estimator needs, d < 1, a failed eigen solve);
 * met_precision_recall returns -1. Out of memory exits (util.h). Nothing
 * else fails; no function keeps state, all are reentrant.
 */
#ifndef METRICS_H
#define METRICS_H
#include <stdio.h>

/* ---------------------------------------------------------------- two-sample distances (points) */

/* Squared energy distance (Székely & Rizzo 2013), the unbiased estimate
 *     E = 2·mean_{i,j} ‖x_i − y_j‖ − mean_{i≠i'} ‖x_i − x_i'‖ − mean_{j≠j'} ‖y_j − y_j'‖
 * between X (n, d) and Y (m, d); n, m >= 2. Zero in expectation when X and
 * Y come from one distribution (a single estimate can then be slightly
 * negative), positive otherwise; in the units of the data. O((n + m)²·d). */
double met_energy(const float *X, int n, const float *Y, int m, int d);

/* The median heuristic: the median of the pairwise distances ‖p − q‖ within
 * the pooled points of X (n, d) and Y (m, d), using every ⌈n/500⌉-th point
 * of X and every ⌈m/500⌉-th of Y (so at most ~500k pairs); with an even
 * number of pairs, the mean of the two middle ones. NAN if fewer than 2 points. */
double met_median_bandwidth(const float *X, int n, const float *Y, int m, int d);

/* Squared maximum mean discrepancy with the Gaussian (RBF) kernel
 * k(p, q) = exp(−‖p − q‖² / (2h²)), the unbiased estimate of Gretton et al.
 * (2012, Eq. 3):
 *     MMD²_u = mean_{i≠i'} k(x_i, x_i') + mean_{j≠j'} k(y_j, y_j') − 2·mean_{i,j} k(x_i, y_j)
 * n, m >= 2. h <= 0 means the median heuristic (met_median_bandwidth of X
 * and Y). Zero in expectation when X and Y share a distribution; at most 2. */
double met_mmd2(const float *X, int n, const float *Y, int m, int d, double h);

/* ---------------------------------------------------------------- feature-space metrics */

/* The Fréchet (2-Wasserstein) distance, squared, between Gaussians with means
 * mu1, mu2 (d) and covariances S1, S2 (d, d, symmetric positive semidefinite):
 *     FD = ‖μ₁ − μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2·Tr((Σ₁^½ Σ₂ Σ₁^½)^½)
 * (Dowson & Landau 1982; Heusel et al. 2017 for FID), the last trace being
 * Σᵢ √λᵢ over the eigenvalues of the symmetric Σ₁^½ Σ₂ Σ₁^½, with Σ₁^½ from
 * Σ₁'s eigendecomposition (la_sym_eigen); eigenvalues that rounding makes
 * slightly negative count as 0, so singular covariances (a pixel that is
 * always black) are fine. Clamped at 0. O(d³): d = 784 takes about a second. */
double met_frechet_gaussian(const double *mu1, const double *S1, const double *mu2,
                            const double *S2, int d);

/* Mean (d) and unbiased covariance (d, d), Σ = Σᵢ (fᵢ − μ)(fᵢ − μ)ᵀ / (n − 1),
 * of the features F (n, d); n >= 2. The products run in float (mat_mul_atb)
 * on centred data, so Σ agrees with a double computation to ~1e-6 relative. */
void met_mean_cov(const float *F, int n, int d, double *mu, double *S);

/* met_frechet_gaussian of the Gaussians fitted (met_mean_cov) to feature
 * sets F1 (n1, d) and F2 (n2, d); n1, n2 >= 2. Like FID it is biased upwards
 * by O(d/n) for finite samples: compare values at equal sample sizes. */
double met_frechet(const float *F1, int n1, const float *F2, int n2, int d);

/* Improved precision and recall (Kynkäänniemi et al. 2019). Each point's
 * k-NN radius is the distance to its k-th nearest neighbour in its own set
 * (itself excluded); a point p is "in the manifold" of a set when
 * ‖p − q‖ <= radius(q) for some q of that set. Then
 *     precision = share of generated points G (m, d) in the manifold of the real R (n, d),
 *     recall    = share of real points in the manifold of the generated.
 * 1 <= k < n and k < m; the paper's default is k = 3. Distances are
 * computed as ‖p‖² + ‖q‖² − 2·p·q in float (mat_mul_abt) after subtracting
 * R's mean from both sets; O((n + m)²·d). 0 on success, -1 on bad arguments. */
int met_precision_recall(const float *R, int n, const float *G, int m, int d, int k,
                         double *precision, double *recall);

/* ---------------------------------------------------------------- calibration */

/* (value − floor) / (ceiling − floor): 0 as good as real data, 1 as bad as
 * noise, whichever way the metric runs (it holds for precision and recall
 * too, whose floor is the larger). NAN if floor == ceiling. */
double met_position(double value, double floor, double ceiling);
/* One line "name  value  (floor F, ceiling C: P% of the way)". */
void met_print_calibrated(FILE *f, const char *name, double value, double floor, double ceiling);
/* The mean of v (n) and its sample standard deviation (n − 1 in the
 * denominator; two passes), e.g. of a metric's floor over independent draws
 * of the data. Either output may be NULL; sd is NAN for n < 2. */
void met_mean_sd(const double *v, int n, double *mean, double *sd);

#endif
