/* test_metrics.c — every metric against a computation made without it.
 *
 * References: hand-computed values on sets of two or three points; closed
 * forms for Gaussians (the folded-normal mean for the energy distance, the
 * Gaussian integral of the RBF kernel for MMD², the Fréchet distance of
 * commuting covariances and the 2×2 formula Tr √M = √(Tr M + 2√det M));
 * unbiasedness as a mean over many independent pairs of samples; a
 * brute-force double-precision precision/recall on random data. */
#include "ckx.h"
#include "linalg.h"
#include "metrics.h"
#include "rng.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *fnormal(Rng *r, int n, int d, double mean0, double sd)
{
    float *p = malloc(sizeof *p * (size_t)n * d);
    ck_assert(p != NULL);
    for (int i = 0; i < n * d; i++) p[i] = (float)((i % d == 0 ? mean0 : 0.0) + sd * rng_normal(r));
    return p;
}

/* The two-sample metrics with one signature; MMD² at the fixed bandwidth h = 1. */
typedef double (*TwoSample)(const float *X, int n, const float *Y, int m, int d);
static double mmd2_h1(const float *X, int n, const float *Y, int m, int d) { return met_mmd2(X, n, Y, m, d, 1.0); }

/* Mean of `metric` over reps independent pairs X ~ N(0, s²I), Y ~ N(shift·e_1, s²I), n points each. */
static double mean_over_pairs(TwoSample metric, Rng *r, int reps, int n, int d, double shift, double s)
{
    double sum = 0;
    for (int t = 0; t < reps; t++) {
        float *X = fnormal(r, n, d, 0, s), *Y = fnormal(r, n, d, shift, s);
        sum += metric(X, n, Y, n, d);
        free(X); free(Y);
    }
    return sum / reps;
}

/* ---------------------------------------------------------------- energy and MMD */

/* 1-D X = {0, 1}, Y = {3, 5}: cross mean (3 + 5 + 2 + 4)/4 = 3.5, within X 1,
 * within Y 2, so E = 2·3.5 − 1 − 2 = 4. 2-D X = {(0,0), (3,4)}, Y = {(0,0), (0,1)}:
 * cross (0 + 1 + 5 + √18)/4, within X 5, within Y 1. */
START_TEST(energy_by_hand)
{
    const float x1[] = { 0, 1 }, y1[] = { 3, 5 };
    ckx_close(met_energy(x1, 2, y1, 2, 1), 4.0, 1e-12, "energy distance of {0,1} and {3,5}",
              "E = 2·mean|x - y| - mean_{i≠j}|x_i - x_j| - mean_{i≠j}|y_i - y_j|");
    const float x2[] = { 0, 0, 3, 4 }, y2[] = { 0, 0, 0, 1 };
    double cross = (0 + 1 + 5 + sqrt(18.0)) / 4;
    ckx_close(met_energy(x2, 2, y2, 2, 2), 2 * cross - 5 - 1, 1e-12, "energy distance of two 2-D pairs", NULL);
    ckx_close(met_energy(y2, 2, x2, 2, 2), 2 * cross - 5 - 1, 1e-12, "energy distance, sets swapped", NULL);
    ck_assert(isnan(met_energy(x1, 1, y1, 2, 1)));
}
END_TEST

/* X ~ N(0, 1), Y ~ N(μ, 1): X − Y ~ N(−μ, 2) and E|N(μ, σ²)| = σ√(2/π)·e^{−μ²/2σ²} + μ·erf(μ/(σ√2)),
 * so E = 2(2/√π·e^{−μ²/4} + μ·erf(μ/2)) − 2·2/√π. */
START_TEST(energy_shifted_gaussians_closed_form)
{
    Rng r; rng_seed(&r, 31);
    double mu = 1.0, mean = mean_over_pairs(met_energy, &r, 5, 3000, 1, mu, 1.0);
    double want = 2 * (2 / sqrt(M_PI) * exp(-mu * mu / 4) + mu * erf(mu / 2)) - 4 / sqrt(M_PI);
    /* one estimate at N = 3000 has sd ≈ 0.026 (measured): 5 of them ≈ 0.012 */
    ckx_close(mean, want, 0.045, "energy distance of N(0,1) and N(1,1) (closed form 0.5418)", NULL);
}
END_TEST

/* k(p, q) = exp(−‖p − q‖²/(2h²)). X = {0, 1}, Y = {3} ∪ {3}: within X k(1),
 * within Y k(0) = 1, cross (k(3) + k(3) + k(2) + k(2))/4. */
START_TEST(mmd_by_hand)
{
    const float x[] = { 0, 1 }, y[] = { 3, 3 };
    double h = 1.5, k1 = exp(-1 / (2 * h * h)), k2 = exp(-4 / (2 * h * h)), k3 = exp(-9 / (2 * h * h));
    ckx_close(met_mmd2(x, 2, y, 2, 1, h), k1 + 1 - 2 * (k3 + k2) / 2, 1e-12, "MMD² of {0,1} and {3,3}, h = 1.5",
              "MMD²_u = mean_{i≠j} k(x_i,x_j) + mean_{i≠j} k(y_i,y_j) - 2 mean k(x_i,y_j)");
    /* the median heuristic on {0, 1} ∪ {3, 5}: pooled distances 1, 3, 5, 2, 4, 2 →
     * sorted 1 2 2 3 4 5 → an even count: median (2 + 3)/2; on {0, 1, 3} alone: 1 2 3 → 2 */
    const float y2[] = { 3, 5 };
    ckx_close(met_median_bandwidth(x, 2, y2, 2, 1), 2.5, 0, "median pooled distance of {0,1,3,5}", "an even count of pairs: the mean of the middle two");
    const float x3[] = { 0, 1, 3 };
    ckx_close(met_median_bandwidth(x3, 3, NULL, 0, 1), 2.0, 0, "median pairwise distance of {0,1,3}", NULL);
    ckx_close(met_mmd2(x, 2, y2, 2, 1, 0), met_mmd2(x, 2, y2, 2, 1, 2.5), 1e-15, "h <= 0 uses the median heuristic", NULL);
}
END_TEST

/* For X ~ N(a, s²I), Y ~ N(b, s²I) in d dimensions, E k(P, Q) over P − Q ~ N(Δ, 2s²I) is
 * (h²/(h² + 2s²))^{d/2}·exp(−‖Δ‖²/(2(h² + 2s²))), so
 * MMD² = 2(h²/(h² + 2s²))^{d/2}·(1 − exp(−‖Δ‖²/(2(h² + 2s²)))). */
START_TEST(mmd_shifted_gaussians_closed_form)
{
    Rng r; rng_seed(&r, 32);
    double s = 0.5, h = 1.0, mean = mean_over_pairs(mmd2_h1, &r, 4, 2000, 2, 1.0, s);
    double c = h * h + 2 * s * s, want = 2 * (h * h / c) * (1 - exp(-1.0 / (2 * c)));
    /* sd of one estimate ≈ 0.012 (measured): 4 of them ≈ 0.006 */
    ckx_close(mean, want, 0.02, "MMD² of N(0, s²I) and N((1,0), s²I), s = 0.5, h = 1 (closed form 0.3780)", NULL);
}
END_TEST

/* Unbiased: over many pairs of independent samples from one distribution,
 * both estimates average 0 — the biased V-statistics would average about
 * +2(1 − E k)/n (MMD²) and +2·E‖X − X'‖/n (energy), 0.02 and 0.07 here.
 * Identical sets give exactly −(2/n)(1 − mean_{i≠j} k_ij) for MMD²_u. */
START_TEST(mmd_energy_unbiased_and_identical_sets)
{
    Rng r; rng_seed(&r, 33);
    enum { N = 50 };
    ckx_close(mean_over_pairs(met_energy, &r, 400, N, 2, 0, 1), 0, 0.01, "mean energy distance of two samples of N(0, I), n = 50", "within-set means must skip i = j");
    ckx_close(mean_over_pairs(mmd2_h1, &r, 400, N, 2, 0, 1), 0, 0.004, "mean MMD² of two samples of N(0, I), n = 50", "within-set means must skip i = j");

    float *X = fnormal(&r, N, 2, 0, 1);
    double kmean = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (i != j) kmean += exp(-(pow((double)X[2 * i] - X[2 * j], 2) + pow((double)X[2 * i + 1] - X[2 * j + 1], 2)) / 2) / (N * (N - 1.0));
    ckx_close(met_mmd2(X, N, X, N, 2, 1.0), -2.0 / N * (1 - kmean), 1e-12, "MMD²_u of a set with itself", NULL);
    ck_assert(fabs(met_energy(X, N, X, N, 2)) < 0.1);
    free(X);
}
END_TEST

/* ---------------------------------------------------------------- Fréchet distance */

/* Commuting covariances U·diag(a)·Uᵀ and U·diag(b)·Uᵀ: FD = ‖Δμ‖² + Σ(√aᵢ − √bᵢ)².
 * A rank-deficient Σ₁ (zeros in a, run 1) must work too; there the zero
 * eigenvalues come out as ±ε‖Σ‖ and their square roots as ~√ε each, hence
 * the looser tolerance. */
START_TEST(frechet_commuting_closed_form)
{
    const int zeros = _i ? 4 : 0;
    const double tol = _i ? 1e-6 : 1e-10;
    enum { D = 30 };
    static double U[D * D], S1[D * D], S2[D * D], mu1[D], mu2[D], a[D], b[D];
    Rng r; rng_seed(&r, 34);
    /* a random orthogonal U from Gram–Schmidt */
    for (int i = 0; i < D; i++) {
        double *u = U + i * D;
        for (int k = 0; k < D; k++) u[k] = rng_normal(&r);
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < i; j++) vec_axpyd(u, -vec_dotd(u, U + j * D, D), U + j * D, D);
        double nrm = sqrt(vec_dotd(u, u, D));
        for (int k = 0; k < D; k++) u[k] /= nrm;
    }
    double want = 0;
    for (int i = 0; i < D; i++) {
        a[i] = i < zeros ? 0.0 : rng_uniform_range(&r, 0.1, 3);
        b[i] = rng_uniform_range(&r, 0.1, 3);
        mu1[i] = rng_normal(&r);
        mu2[i] = mu1[i] + (i < 3 ? 0.5 : 0.0);
        want += pow(sqrt(a[i]) - sqrt(b[i]), 2);
    }
    want += 3 * 0.25;
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++) {
            double s1 = 0, s2 = 0;
            for (int k = 0; k < D; k++) { s1 += U[k * D + i] * a[k] * U[k * D + j]; s2 += U[k * D + i] * b[k] * U[k * D + j]; }
            S1[i * D + j] = s1; S2[i * D + j] = s2;
        }
    ckx_close(met_frechet_gaussian(mu1, S1, mu2, S2, D), want, tol, "Fréchet distance, commuting covariances",
              "FD = |mu1 - mu2|² + Tr S1 + Tr S2 - 2 Σ sqrt(eig(S1^½ S2 S1^½))");
    ckx_close(met_frechet_gaussian(mu2, S2, mu1, S1, D), want, tol, "Fréchet distance, arguments swapped", NULL);
    ckx_close(met_frechet_gaussian(mu1, S1, mu1, S1, D), 0, tol, "Fréchet distance of a Gaussian to itself", NULL);
}
END_TEST

/* Non-commuting 2×2: Tr √(Σ₁Σ₂) = √(Tr(Σ₁Σ₂) + 2√det(Σ₁Σ₂)) (the eigenvalues of
 * Σ₁Σ₂ are those of Σ₁^½Σ₂Σ₁^½, and for a 2×2 M ≥ 0, (√λ₁ + √λ₂)² = Tr M + 2√det M). */
START_TEST(frechet_2x2_closed_form)
{
    double S1[4] = { 2, 0.8, 0.8, 1 }, S2[4] = { 0.5, -0.3, -0.3, 3 }, m1[2] = { 0, 1 }, m2[2] = { 2, -1 };
    double tr12 = S1[0] * S2[0] + S1[1] * S2[2] + S1[2] * S2[1] + S1[3] * S2[3];
    double det12 = (S1[0] * S1[3] - S1[1] * S1[2]) * (S2[0] * S2[3] - S2[1] * S2[2]);
    double want = 8 + 3 + 3.5 - 2 * sqrt(tr12 + 2 * sqrt(det12));
    ckx_close(met_frechet_gaussian(m1, S1, m2, S2, 2), want, 1e-12, "Fréchet distance of two 2-D Gaussians", NULL);
}
END_TEST

/* From samples: the fitted Gaussians' distance approaches the true one
 * (bias O(d/n)); a set against itself gives 0; a constant feature (a
 * singular covariance) gives no NaN. The covariance is the unbiased one. */
START_TEST(frechet_from_samples)
{
    enum { N = 20000, D = 3 };
    Rng r; rng_seed(&r, 35);
    static float F1[N * D], F2[N * D];
    /* F1 ~ N(0, diag(1, 4, 0)): a constant third feature; F2 ~ N((1, 0, 0), diag(1, 1, 0.25)) */
    for (int i = 0; i < N; i++) {
        F1[i * D] = (float)rng_normal(&r); F1[i * D + 1] = (float)(2 * rng_normal(&r)); F1[i * D + 2] = 3.0f;
        F2[i * D] = (float)(1 + rng_normal(&r)); F2[i * D + 1] = (float)rng_normal(&r); F2[i * D + 2] = (float)(3 + 0.5 * rng_normal(&r));
    }
    double want = 1 + 0 + 1 + 0.25;   /* ‖Δμ‖² + (1−1)² + (2−1)² + (0−0.5)² */
    double got = met_frechet(F1, N, F2, N, D);
    ckx_close(got, want, 0.06, "Fréchet distance from 20,000 samples (closed form 2.25)", NULL);
    ckx_close(met_frechet(F1, N, F1, N, D), 0, 1e-6, "Fréchet distance of a feature set to itself", NULL);

    const float tiny[6] = { 1, 2, 3, 4, 5, 9 };   /* 3 points in 2-D */
    double mu[2], S[4];
    met_mean_cov(tiny, 3, 2, mu, S);
    ckx_close(mu[0], 3, 1e-12, "mean x of (1,2), (3,4), (5,9)", NULL);
    ckx_close(mu[1], 5, 1e-12, "mean y", NULL);
    ckx_close(S[0], 4, 1e-6, "var x, divided by n - 1", NULL);
    ckx_close(S[1], 7, 1e-6, "cov xy", NULL);
    ckx_close(S[3], 13, 1e-6, "var y", NULL);
    ck_assert(isnan(met_frechet(F1, 1, F2, N, D)));
}
END_TEST

/* ---------------------------------------------------------------- precision and recall */

/* Real points on a line at 0, 1, 2, 3, 10 (1-D), k = 1: radii 1, 1, 1, 1, 7.
 * Generated at 0.5, 2.2, 5.5, 30: 0.5 and 2.2 lie in a real ball, 5.5 too
 * (|5.5 − 10| = 4.5 <= 7: the outlier's large ball), 30 in none: precision 3/4.
 * Generated radii (k = 1): 1.7, 1.7, 3.3, 24.5; real 0, 1, 2, 3 are within 1.7
 * of 0.5 or 2.2, and 10 is within 24.5 of 30: recall 1 (outliers inflate
 * the balls: the paper's known weakness, kept). */
/* Fewer samples than features, as in a chapter's 50 images in 128 classifier
 * features: both covariances are rank-deficient (ReLU features of a 16-dim
 * code), so Σ₁^½Σ₂Σ₁^½ has ~112 eigenvalues that are 0 up to rounding. The
 * distance must be finite and symmetric in its arguments (before the
 * eigen-solver's deflation test looked at ‖T‖, 71 of 100 such pairs gave NaN
 * in one order or both). */
START_TEST(frechet_rank_deficient_symmetric)
{
    enum { D = 128, Z = 16, N = 50 };
    static double W[D * Z];
    static float a[N * D], b[N * D];
    for (int trial = 0; trial < 10; trial++) {
        Rng r; rng_seed(&r, (uint64_t)trial);
        for (int i = 0; i < D * Z; i++) W[i] = rng_normal(&r);
        for (int set = 0; set < 2; set++) {
            float *x = set ? b : a;
            for (int i = 0; i < N; i++) {
                double z[Z];
                for (int k = 0; k < Z; k++) z[k] = rng_normal(&r) + 0.5 * set;
                for (int j = 0; j < D; j++) {
                    double v = 0;
                    for (int k = 0; k < Z; k++) v += W[j * Z + k] * z[k];
                    x[i * D + j] = (float)fmax(0.0, v);
                }
            }
        }
        double ab = met_frechet(a, N, b, N, D), ba = met_frechet(b, N, a, N, D);
        ck_assert_msg(isfinite(ab) && isfinite(ba), "trial %d: Frechet distance %g (a, b) and %g (b, a)", trial, ab, ba);
        ckx_close(ab, ba, 1e-6 * ab, "Frechet distance (a, b) vs (b, a), rank-deficient covariances", NULL);
    }
}
END_TEST

START_TEST(precision_recall_by_hand)
{
    const float R[] = { 0, 1, 2, 3, 10 }, G[] = { 0.5f, 2.2f, 5.5f, 30 };
    double p, rc;
    ck_assert_int_eq(met_precision_recall(R, 5, G, 4, 1, 1, &p, &rc), 0);
    ckx_close(p, 0.75, 0, "precision, k = 1", "a generated point counts if it is within the k-NN radius of some real point");
    ckx_close(rc, 1.0, 0, "recall, k = 1", NULL);
    /* without the real outlier, 5.5 falls outside every real ball */
    ck_assert_int_eq(met_precision_recall(R, 4, G, 4, 1, 1, &p, &rc), 0);
    ckx_close(p, 0.5, 0, "precision, k = 1, no outlier", NULL);
    /* recall is the mirror image: swap the sets */
    double p2, rc2;
    ck_assert_int_eq(met_precision_recall(G, 4, R, 4, 1, 1, &p2, &rc2), 0);
    ckx_close(rc2, p, 0, "recall(G, R) = precision(R, G)", NULL);
    ckx_close(p2, rc, 0, "precision(G, R) = recall(R, G)", NULL);
    /* 2-D: real square corners (0,0), (2,0), (0,2), (2,2), k = 1, radius 2 each;
     * generated (1,1) (√2 from every corner: in), (5,5) (√18 from (2,2): out), (4, 0.5) */
    const float R2[] = { 0, 0, 2, 0, 0, 2, 2, 2 }, G2[] = { 1, 1, 5, 5, 4, 0.5f };
    ck_assert_int_eq(met_precision_recall(R2, 4, G2, 3, 2, 1, &p, &rc), 0);
    ckx_close(p, 1.0 / 3, 1e-12, "precision on a square, k = 1 ((4, 0.5) is 2.06 from (2,0): outside)", NULL);
    ck_assert_int_eq(met_precision_recall(R, 5, G, 4, 1, 4, &p, &rc), -1);   /* k >= m */
    ck_assert_int_eq(met_precision_recall(R, 5, G, 4, 1, 0, &p, &rc), -1);
}
END_TEST

/* Random 5-D data, several k: the same counts as a brute-force computation
 * in double (distances taken directly, the k-th neighbour by sorting). */
static double brute_coverage(const float *Q, int nq, const float *P, int np, int d, int k)
{
    double *rad = malloc(sizeof *rad * np), *dist = malloc(sizeof *dist * np);
    for (int i = 0; i < np; i++) {
        int c = 0;
        for (int j = 0; j < np; j++) {
            if (j == i) continue;
            double s = 0;
            for (int t = 0; t < d; t++) s += pow((double)P[i * d + t] - P[j * d + t], 2);
            dist[c++] = s;
        }
        for (int a = 0; a < k; a++)   /* partial selection sort: the k smallest first */
            for (int b = a + 1; b < c; b++) if (dist[b] < dist[a]) { double t = dist[a]; dist[a] = dist[b]; dist[b] = t; }
        rad[i] = dist[k - 1];
    }
    int in = 0;
    for (int q = 0; q < nq; q++) {
        int hit = 0;
        for (int j = 0; j < np && !hit; j++) {
            double s = 0;
            for (int t = 0; t < d; t++) s += pow((double)Q[q * d + t] - P[j * d + t], 2);
            hit = s <= rad[j];
        }
        in += hit;
    }
    free(rad); free(dist);
    return (double)in / nq;
}

START_TEST(precision_recall_brute_force)
{
    enum { N = 300, M = 250, D = 5 };
    Rng r; rng_seed(&r, 36);
    float *R = fnormal(&r, N, D, 0, 1), *G = fnormal(&r, M, D, 0.7, 1.3);
    for (int k = 1; k <= 5; k += 2) {
        double p, rc;
        ck_assert_int_eq(met_precision_recall(R, N, G, M, D, k, &p, &rc), 0);
        ckx_close(p, brute_coverage(G, M, R, N, D, k), 1.5 / M, "precision vs brute force", NULL);
        ckx_close(rc, brute_coverage(R, N, G, M, D, k), 1.5 / N, "recall vs brute force", NULL);
    }
    double p, rc;
    ck_assert_int_eq(met_precision_recall(R, N, R, N, D, 3, &p, &rc), 0);
    ck_assert_msg(p == 1 && rc == 1, "a set against itself: precision %g, recall %g, expected 1 and 1", p, rc);
    free(R); free(G);
}
END_TEST

START_TEST(calibration_position)
{
    ckx_close(met_position(0.3, 0.1, 2.1), 0.1, 1e-15, "position between floor and ceiling", NULL);
    ckx_close(met_position(0.6, 0.8, 0.0), 0.25, 1e-15, "position for a metric that falls (recall)", NULL);
    ck_assert(isnan(met_position(1, 2, 2)));
}
END_TEST

/* {1, 2, 3, 4}: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5,
 * sample sd √(5/3) (n − 1, not n: √(5/4) would be the population's). A large
 * offset (1e8 + the same) keeps the sd: a one-pass Σv² − n·mean² would lose it. */
START_TEST(mean_sd_by_hand)
{
    const double v[] = { 1, 2, 3, 4 }, w[] = { 1e8 + 1, 1e8 + 2, 1e8 + 3, 1e8 + 4 };
    double m, sd;
    met_mean_sd(v, 4, &m, &sd);
    ckx_close(m, 2.5, 1e-15, "mean of {1, 2, 3, 4}", NULL);
    ckx_close(sd, sqrt(5.0 / 3.0), 1e-15, "sample sd of {1, 2, 3, 4}", "divide the squared deviations by n − 1");
    met_mean_sd(w, 4, &m, &sd);
    ckx_close(sd, sqrt(5.0 / 3.0), 1e-9, "sample sd of {1e8 + 1, ..., 1e8 + 4}", "subtract the mean first (two passes)");
    met_mean_sd(v, 1, &m, &sd);
    ckx_close(m, 1.0, 0, "mean of one value", NULL);
    ck_assert(isnan(sd));
    met_mean_sd(v, 4, NULL, NULL);   /* both outputs optional */
}
END_TEST

Suite *make_metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = ckx_tcase(s, "metrics", 30);
    tcase_add_test(tc, energy_by_hand);
    tcase_add_test(tc, energy_shifted_gaussians_closed_form);
    tcase_add_test(tc, mmd_by_hand);
    tcase_add_test(tc, mmd_shifted_gaussians_closed_form);
    tcase_add_test(tc, mmd_energy_unbiased_and_identical_sets);
    tcase_add_loop_test(tc, frechet_commuting_closed_form, 0, 2);
    tcase_add_test(tc, frechet_2x2_closed_form);
    tcase_add_test(tc, frechet_from_samples);
    tcase_add_test(tc, frechet_rank_deficient_symmetric);
    tcase_add_test(tc, precision_recall_by_hand);
    tcase_add_test(tc, precision_recall_brute_force);
    tcase_add_test(tc, calibration_position);
    tcase_add_test(tc, mean_sd_by_hand);
    return s;
}
