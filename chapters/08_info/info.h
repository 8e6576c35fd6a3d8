/* info — entropy, cross-entropy, KL and Jensen–Shannon divergences, mutual
 * information, and their Monte Carlo estimators (chapter 08; used by
 * chapters 09–15).
 *
 * Units: natural logarithms throughout, so every quantity is in nats
 * (divide by log 2 for bits). A discrete distribution is an array p (n) of
 * probabilities p_i >= 0 summing to 1; the functions do not renormalise.
 * Conventions for zeros, as in Cover & Thomas §2.1–2.3:
 *     0·log 0 = 0,   0·log(0/q) = 0,   p·log(p/0) = +inf for p > 0,
 * so KL(p ‖ q) and H(p, q) are +inf when q misses an outcome p can produce.
 * Gaussians are given by their mean and standard deviation σ (univariate) or
 * by means and LOG-VARIANCES log σ² (diagonal multivariate: the form a VAE's
 * encoder outputs, chapter 09).
 *
 * Monte Carlo. r(x) = p(x)/q(x) is a density ratio and log r = log p − log q.
 * With x ~ q, the estimators k1, k2, k3 (Schulman 2020, "Approximating KL
 * divergence") are per-sample terms whose average estimates KL(q ‖ p).
 *
 * Nothing here allocates or fails: arguments must be valid (probabilities,
 * σ > 0, sizes >= 1). Exercises are marked EXERCISE in solutions/08_info/info.c
 * (your copy: exercises/08_info/info.c); grade them with `make check CH=08`.
 */
#ifndef INFO_H
#define INFO_H
#include "rng.h"

/* ---------------------------------------------------------------- exercises: discrete */

/* Entropy H(p) = −Σ_i p_i log p_i (0 log 0 = 0). */
double info_entropy(const double *p, int n);

/* Cross-entropy H(p, q) = −Σ_i p_i log q_i = −E_p[log q(X)]; +inf if some
 * q_i = 0 < p_i; terms with p_i = 0 contribute 0. */
double info_cross_entropy(const double *p, const double *q, int n);

/* Kullback–Leibler divergence KL(p ‖ q) = Σ_i p_i log(p_i / q_i), with the
 * conventions above. KL >= 0, = 0 iff p = q, and KL(p ‖ q) ≠ KL(q ‖ p). */
double info_kl(const double *p, const double *q, int n);

/* Jensen–Shannon divergence JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = ½(p + q).
 * Symmetric, 0 <= JS <= log 2, = log 2 iff p and q have disjoint supports. */
double info_js(const double *p, const double *q, int n);

/* Mutual information of a joint table P (nx, ny), row-major, P[x·ny + y] =
 * P(X = x, Y = y), summing to 1:
 *     I(X; Y) = Σ_{x,y} P(x, y) log( P(x, y) / (P(x) P(y)) ) = KL(P ‖ P_X ⊗ P_Y). */
double info_mutual_information(const double *P, int nx, int ny);

/* ---------------------------------------------------------------- exercises: Gaussian */

/* KL( N(μ_p, σ_p²) ‖ N(μ_q, σ_q²) ) = log(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) − ½,
 * σ_p, σ_q > 0. */
double info_kl_gauss(double mu_p, double sigma_p, double mu_q, double sigma_q);

/* KL between diagonal Gaussians in D dimensions, each given by means and
 * log-variances (D each):
 *     KL( N(μ_p, diag e^{v_p}) ‖ N(μ_q, diag e^{v_q}) )
 *       = ½ Σ_j [ v_q,j − v_p,j + (e^{v_p,j} + (μ_p,j − μ_q,j)²) / e^{v_q,j} − 1 ]
 * mu_q == NULL means μ_q = 0 and logvar_q == NULL means v_q = 0, so
 * (mu_p, logvar_p, NULL, NULL) is the KL to the standard normal N(0, I) (the
 * VAE's prior, chapter 09). */
double info_kl_diag_gauss(const double *mu_p, const double *logvar_p, const double *mu_q, const double *logvar_q,
                          int D);

/* Mutual information of a bivariate Gaussian (X, Y) with covariance
 * cov = [Σ_xx, Σ_xy, Σ_yx, Σ_yy] (row-major 2×2, positive definite):
 *     I(X; Y) = h(X) + h(Y) − h(X, Y) = ½ log( Σ_xx Σ_yy / det Σ ) = −½ log(1 − ρ²),
 * h the differential entropy ½ log((2πe)^d det Σ), ρ the correlation. */
double info_mi_gauss2(const double cov[4]);

/* ---------------------------------------------------------------- exercises: Monte Carlo */

/* The three per-sample KL estimators at one sample x ~ q, given log r =
 * log p(x) − log q(x):
 *     k[0] = k1 = −log r                  unbiased for KL(q ‖ p), high variance, can be < 0
 *     k[1] = k2 = ½ (log r)²              biased, low variance when p ≈ q
 *     k[2] = k3 = (r − 1) − log r         unbiased (E_q[r] = 1), low variance, always >= 0
 * k3 must stay >= 0 and accurate for |log r| down to 1e-8 (use expm1). */
void info_kl_estimators(double log_r, double k[3]);

/* Gradient of the FORWARD KL(p ‖ q_θ) in θ = (μ, ℓ = log σ) of q_θ = N(μ, σ²),
 * estimated from samples x (n) of p (the score-function form):
 *     ∇_θ KL(p ‖ q_θ) = −E_p[∇_θ log q_θ(X)] ≈ −(1/n) Σ_i ∇_θ log q_θ(x_i)
 *     ∂ log q_θ(x)/∂μ = (x − μ)/σ²,   ∂ log q_θ(x)/∂ℓ = ((x − μ)/σ)² − 1
 * grad[0] = ∂/∂μ, grad[1] = ∂/∂ℓ (written). It is exactly zero where μ and σ²
 * are the sample mean and the (1/n) sample variance: moment matching. */
void info_forward_kl_grad(const double *x, int n, double mu, double log_sigma, double grad[2]);

/* A one-dimensional Gaussian mixture p(x) = Σ_c w_c N(x; μ_c, σ_c²) (the target
 * of the asymmetry experiment). */
#define INFO_MIX_MAX 4
typedef struct {
    int k;                      /* components, 1..INFO_MIX_MAX */
    double w[INFO_MIX_MAX];     /* weights, summing to 1 */
    double mu[INFO_MIX_MAX];    /* means */
    double sigma[INFO_MIX_MAX]; /* standard deviations > 0 */
} InfoMix;

/* Gradient of the REVERSE KL(q_θ ‖ p) in θ = (μ, ℓ = log σ), by
 * reparameterisation: x_i = μ + σ ε_i with the given ε (n) ~ N(0, 1), and
 *     KL(q_θ ‖ p) = E_ε[ log q_θ(x) − log p(x) ],  log q_θ(μ + σε) = −ℓ − ½ε² − ½ log 2π
 *     ∂/∂μ ≈ −(1/n) Σ_i s(x_i),   ∂/∂ℓ ≈ −1 − (1/n) Σ_i s(x_i)·σ ε_i,   s(x) = d log p(x)/dx
 * (info_mix_logpdf gives s). grad (2) written as above; returns the estimate
 * (1/n) Σ_i [log q_θ(x_i) − log p(x_i)] of KL(q_θ ‖ p). */
double info_reverse_kl_grad(const double *eps, int n, double mu, double log_sigma, const InfoMix *p,
                            double grad[2]);

/* ---------------------------------------------------------------- given */

#define INFO_LOG_2PI 1.8378770664093454836   /* log(2π) */

/* log N(x; μ, σ²). */
double info_log_normal(double x, double mu, double sigma);

/* log p(x) of the mixture, computed stably (log-sum-exp over components); if
 * dlogp_dx is not NULL it gets the score d log p(x)/dx. */
double info_mix_logpdf(const InfoMix *m, double x, double *dlogp_dx);

/* One draw from the mixture: a component by its weight, then its Gaussian. */
double info_mix_sample(const InfoMix *m, Rng *r);

/* The per-step KL of two sampler steps (chapter 14): the two isotropic
 * Gaussians N(μ_p, σ_p² I) and N(μ_q, σ_q² I) in D dimensions, means as a
 * network outputs them (float), KL( p ‖ q ) = Σ_j info_kl_gauss(μ_p,j, σ_p, μ_q,j, σ_q).
 * With equal σ it is ‖μ_p − μ_q‖² / (2σ²). If dmu_p (D) is not NULL it is
 * written with ∂KL/∂μ_p = (μ_p − μ_q)/σ_q² (the gradient of a KL penalty). */
double info_kl_gauss_iso(const float *mu_p, double sigma_p, const float *mu_q, double sigma_q, int D,
                         float *dmu_p);

#endif
