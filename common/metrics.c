/* metrics.c — see metrics.h. */
#include "metrics.h"
#include "linalg.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ two-sample distances */

/* The pair statistics the estimators average: the distance ‖p − q‖ (energy)
 * or the RBF kernel exp(−‖p − q‖² / (2h²)) (MMD). */
typedef struct {
    int rbf;          /* 0: distance, 1: kernel */
    double inv_2h2;   /* 1 / (2h²) for the kernel */
} PairFn;

static double pair_value(const float *p, const float *q, int d, const PairFn *f)
{
    double s = 0;
    for (int k = 0; k < d; k++) { double t = (double)p[k] - q[k]; s += t * t; }
    return f->rbf ? exp(-s * f->inv_2h2) : sqrt(s);
}

/* mean over i ≠ i' of f(x_i, x_i') = mean over i < i' (f is symmetric); n >= 2 */
static double mean_within(const float *X, int n, int d, const PairFn *f)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) s += pair_value(X + (size_t)i * d, X + (size_t)j * d, d, f);
    return 2.0 * s / ((double)n * (n - 1));
}

/* mean over all (i, j) of f(x_i, y_j) */
static double mean_between(const float *X, int n, const float *Y, int m, int d, const PairFn *f)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) s += pair_value(X + (size_t)i * d, Y + (size_t)j * d, d, f);
    return s / ((double)n * m);
}

double met_energy(const float *X, int n, const float *Y, int m, int d)
{
    if (n < 2 || m < 2 || d < 1) return NAN;
    const PairFn dist = { 0, 0 };
    /* E = 2 E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖, each expectation by its U-statistic */
    return 2.0 * mean_between(X, n, Y, m, d, &dist) - mean_within(X, n, d, &dist) - mean_within(Y, m, d, &dist);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define MEDIAN_POINTS 500   /* per set, for the median heuristic */

double met_median_bandwidth(const float *X, int n, const float *Y, int m, int d)
{
    if (n < 0 || m < 0 || d < 1) return NAN;
    int sx = n > MEDIAN_POINTS ? (n + MEDIAN_POINTS - 1) / MEDIAN_POINTS : 1;
    int sy = m > MEDIAN_POINTS ? (m + MEDIAN_POINTS - 1) / MEDIAN_POINTS : 1;
    int nx = n > 0 ? (n + sx - 1) / sx : 0, ny = m > 0 ? (m + sy - 1) / sy : 0, N = nx + ny;
    if (N < 2) return NAN;
    /* pooled points: the strided subsets of X, then of Y */
    const float **pts = xmalloc(sizeof *pts * (size_t)N, "median heuristic points");
    for (int i = 0; i < nx; i++) pts[i] = X + (size_t)i * sx * d;
    for (int j = 0; j < ny; j++) pts[nx + j] = Y + (size_t)j * sy * d;
    size_t P = (size_t)N * (N - 1) / 2, p = 0;
    double *dist = xmalloc(sizeof *dist * P, "median heuristic distances");
    const PairFn f = { 0, 0 };
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) dist[p++] = pair_value(pts[i], pts[j], d, &f);
    qsort(dist, P, sizeof *dist, cmp_double);
    double med = P % 2 ? dist[P / 2] : 0.5 * (dist[P / 2 - 1] + dist[P / 2]);
    free(dist);
    free(pts);
    return med;
}

double met_mmd2(const float *X, int n, const float *Y, int m, int d, double h)
{
    if (n < 2 || m < 2 || d < 1) return NAN;
    if (!(h > 0)) h = met_median_bandwidth(X, n, Y, m, d);
    if (!(h > 0)) return NAN;   /* every pooled point the same: no scale to measure with */
    const PairFn k = { 1, 1.0 / (2.0 * h * h) };
    /* MMD²_u = E k(X, X') + E k(Y, Y') − 2 E k(X, Y)   (Gretton et al. 2012, Eq. 3) */
    return mean_within(X, n, d, &k) + mean_within(Y, m, d, &k) - 2.0 * mean_between(X, n, Y, m, d, &k);
}

/* ================================================================ Fréchet distance */

/* C(d, d) = A(d, d)·B(d, d), or Aᵀ·B if trans_a, in double (i-k-j order). */
static void mul_dd(double *C, const double *A, const double *B, int d, int trans_a)
{
    memset(C, 0, sizeof *C * (size_t)d * d);
    for (int i = 0; i < d; i++)
        for (int k = 0; k < d; k++) {
            double a = trans_a ? A[(size_t)k * d + i] : A[(size_t)i * d + k];
            if (a != 0.0) vec_axpyd(C + (size_t)i * d, a, B + (size_t)k * d, d);
        }
}

double met_frechet_gaussian(const double *mu1, const double *S1, const double *mu2,
                            const double *S2, int d)
{
    if (d < 1) return NAN;
    size_t dd = (size_t)d * d;
    double *V = xmalloc(sizeof *V * dd, "Fréchet: eigenvectors"), *W = xmalloc(sizeof *W * dd, "Fréchet: scratch");
    double *R = xmalloc(sizeof *R * dd, "Fréchet: Σ₁^½"), *lam = xmalloc(sizeof *lam * (size_t)d, "Fréchet: eigenvalues");
    double fd = NAN;
    /* Σ₁^½ = Σᵢ √λᵢ vᵢvᵢᵀ = Vᵀ·diag(√λ)·V, V holding the eigenvectors as rows */
    memcpy(V, S1, sizeof *V * dd);
    if (la_sym_eigen(V, lam, d, 1) != 0) goto done;
    for (int i = 0; i < d; i++) {
        double r = sqrt(fmax(lam[i], 0.0));
        for (int j = 0; j < d; j++) W[(size_t)i * d + j] = r * V[(size_t)i * d + j];
    }
    mul_dd(R, V, W, d, 1);
    /* M = Σ₁^½·Σ₂·Σ₁^½ (symmetric PSD); Tr((Σ₁Σ₂)^½) = Tr(M^½) = Σᵢ √λᵢ(M) */
    mul_dd(W, S2, R, d, 0);
    mul_dd(V, R, W, d, 0);
    if (la_sym_eigen(V, lam, d, 0) != 0) goto done;
    double tr_sqrt = 0, tr1 = 0, tr2 = 0, diff = 0;
    for (int i = 0; i < d; i++) {
        tr_sqrt += sqrt(fmax(lam[i], 0.0));
        tr1 += S1[(size_t)i * d + i];
        tr2 += S2[(size_t)i * d + i];
        diff += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
    }
    /* FD = ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr((Σ₁Σ₂)^½), ≥ 0 up to rounding */
    fd = fmax(diff + tr1 + tr2 - 2.0 * tr_sqrt, 0.0);
done:
    free(V); free(W); free(R); free(lam);
    return fd;
}

void met_mean_cov(const float *F, int n, int d, double *mu, double *S)
{
    if (n < 2 || d < 1) die(1, "met_mean_cov: need n >= 2 points of d >= 1 dimensions (got n = %d, d = %d)", n, d);
    for (int k = 0; k < d; k++) mu[k] = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < d; k++) mu[k] += F[(size_t)i * d + k];
    for (int k = 0; k < d; k++) mu[k] /= n;
    /* Σ = Cᵀ·C / (n − 1) with C = F − μ (centred first: no cancellation) */
    float *C = xmalloc(sizeof *C * (size_t)n * d, "covariance: centred features");
    float *Sf = xmalloc(sizeof *Sf * (size_t)d * d, "covariance");
    for (int i = 0; i < n; i++)
        for (int k = 0; k < d; k++) C[(size_t)i * d + k] = (float)(F[(size_t)i * d + k] - mu[k]);
    mat_mul_atb(Sf, C, C, d, n, d, 0);
    /* symmetrise: the float product need not be exactly symmetric */
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++)
            S[(size_t)i * d + j] = 0.5 * ((double)Sf[(size_t)i * d + j] + Sf[(size_t)j * d + i]) / (n - 1);
    free(C);
    free(Sf);
}

double met_frechet(const float *F1, int n1, const float *F2, int n2, int d)
{
    if (n1 < 2 || n2 < 2 || d < 1) return NAN;
    double *mu1 = xmalloc(sizeof(double) * (size_t)d, "Fréchet: mean"), *mu2 = xmalloc(sizeof(double) * (size_t)d, "Fréchet: mean");
    double *S1 = xmalloc(sizeof(double) * (size_t)d * d, "Fréchet: covariance"), *S2 = xmalloc(sizeof(double) * (size_t)d * d, "Fréchet: covariance");
    met_mean_cov(F1, n1, d, mu1, S1);
    met_mean_cov(F2, n2, d, mu2, S2);
    double fd = met_frechet_gaussian(mu1, S1, mu2, S2, d);
    free(mu1); free(mu2); free(S1); free(S2);
    return fd;
}

/* ================================================================ precision and recall */

#define PR_BLOCK 128   /* rows of the distance block computed per matrix product */

/* ‖p‖² of each row of P (n, d). */
static void row_norms(const float *P, int n, int d, double *out)
{
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < d; k++) s += (double)P[(size_t)i * d + k] * P[(size_t)i * d + k];
        out[i] = s;
    }
}

/* Squared distances from rows i0..i0+b−1 of Q to every row of P (np of them):
 * D (b, np) = ‖q‖² + ‖p‖² − 2·q·p, clamped at 0. */
static void block_distances(float *D, const float *Q, const double *qn, int i0, int b,
                            const float *P, const double *pn, int np, int d)
{
    mat_mul_abt(D, Q + (size_t)i0 * d, P, b, d, np, 0);
    for (int i = 0; i < b; i++)
        for (int j = 0; j < np; j++) {
            double s = qn[i0 + i] + pn[j] - 2.0 * D[(size_t)i * np + j];
            D[(size_t)i * np + j] = (float)(s > 0 ? s : 0);
        }
}

/* rad2[i] = squared distance from P's row i to its k-th nearest other row. */
static void knn_radii2(const float *P, const double *pn, int n, int d, int k, float *D, double *rad2)
{
    double best[64];   /* the k smallest so far, ascending (k <= 64 checked by the caller) */
    for (int i0 = 0; i0 < n; i0 += PR_BLOCK) {
        int b = n - i0 < PR_BLOCK ? n - i0 : PR_BLOCK;
        block_distances(D, P, pn, i0, b, P, pn, n, d);
        for (int i = 0; i < b; i++) {
            int have = 0;
            for (int j = 0; j < n; j++) {
                if (j == i0 + i) continue;   /* not itself */
                double v = D[(size_t)i * n + j];
                if (have == k && v >= best[k - 1]) continue;
                int pos = have < k ? have++ : k - 1;   /* insert v, dropping the largest if full */
                while (pos > 0 && best[pos - 1] > v) { best[pos] = best[pos - 1]; pos--; }
                best[pos] = v;
            }
            rad2[i0 + i] = best[k - 1];
        }
    }
}

/* Share of the rows of Q (nq) within radius of some row of P (np): ‖q − p‖² <= rad2[p]. */
static double coverage(const float *Q, const double *qn, int nq, const float *P, const double *pn,
                       const double *rad2, int np, int d, float *D)
{
    long inside = 0;
    for (int i0 = 0; i0 < nq; i0 += PR_BLOCK) {
        int b = nq - i0 < PR_BLOCK ? nq - i0 : PR_BLOCK;
        block_distances(D, Q, qn, i0, b, P, pn, np, d);
        for (int i = 0; i < b; i++) {
            const float *row = D + (size_t)i * np;
            int j = 0;
            while (j < np && !(row[j] <= rad2[j])) j++;
            inside += j < np;
        }
    }
    return (double)inside / nq;
}

int met_precision_recall(const float *R, int n, const float *G, int m, int d, int k,
                         double *precision, double *recall)
{
    if (d < 1 || k < 1 || k > 64 || k >= n || k >= m) return -1;
    /* centre both sets on R's mean: smaller norms, less cancellation in ‖q‖² + ‖p‖² − 2 q·p */
    double *mu = xcalloc((size_t)d, sizeof *mu, "precision/recall: mean");
    for (int i = 0; i < n; i++)
        for (int c = 0; c < d; c++) mu[c] += R[(size_t)i * d + c] / n;
    float *Rc = xmalloc(sizeof *Rc * (size_t)n * d, "precision/recall: real"), *Gc = xmalloc(sizeof *Gc * (size_t)m * d, "precision/recall: generated");
    for (int i = 0; i < n; i++)
        for (int c = 0; c < d; c++) Rc[(size_t)i * d + c] = (float)(R[(size_t)i * d + c] - mu[c]);
    for (int i = 0; i < m; i++)
        for (int c = 0; c < d; c++) Gc[(size_t)i * d + c] = (float)(G[(size_t)i * d + c] - mu[c]);
    double *rn = xmalloc(sizeof *rn * (size_t)n, "norms"), *gn = xmalloc(sizeof *gn * (size_t)m, "norms");
    double *rr = xmalloc(sizeof *rr * (size_t)n, "radii"), *gr = xmalloc(sizeof *gr * (size_t)m, "radii");
    float *D = xmalloc(sizeof *D * (size_t)PR_BLOCK * (size_t)(n > m ? n : m), "distance block");
    row_norms(Rc, n, d, rn);
    row_norms(Gc, m, d, gn);
    knn_radii2(Rc, rn, n, d, k, D, rr);
    knn_radii2(Gc, gn, m, d, k, D, gr);
    *precision = coverage(Gc, gn, m, Rc, rn, rr, n, d, D);   /* generated inside the real manifold */
    *recall = coverage(Rc, rn, n, Gc, gn, gr, m, d, D);      /* real inside the generated manifold */
    free(mu); free(Rc); free(Gc); free(rn); free(gn); free(rr); free(gr); free(D);
    return 0;
}

/* ================================================================ calibration */

double met_position(double value, double floor, double ceiling)
{
    return ceiling == floor ? NAN : (value - floor) / (ceiling - floor);
}

void met_mean_sd(const double *v, int n, double *mean, double *sd)
{
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++) m += v[i];
    m = n > 0 ? m / n : NAN;
    for (int i = 0; i < n; i++) ss += (v[i] - m) * (v[i] - m);
    if (mean) *mean = m;
    if (sd) *sd = n >= 2 ? sqrt(ss / (n - 1)) : NAN;
}

void met_print_calibrated(FILE *f, const char *name, double value, double floor, double ceiling)
{
    fprintf(f, "%-22s %10.4g   (floor %.4g, ceiling %.4g: %.1f%% of the way)\n",
            name, value, floor, ceiling, 100.0 * met_position(value, floor, ceiling));
}
