/* info.c — entropy, divergences, mutual information and Monte Carlo KL
 * estimators (chapter 08; see info.h and the chapter README).
 *
 * Each function marked EXERCISE is yours to write in exercises/08_info/info.c.
 * Check your work with `make check CH=08`. Logs are natural (nats).
 */
#include "info.h"

#include <math.h>
#include <stddef.h>

/* ======================================================================== */
/* EXERCISE 1: entropy (Cover & Thomas §2.1)
 *
 *   H(p) = −Σ_i p_i log p_i,   with 0·log 0 = 0
 *
 * H is the expected surprise −log p(X). It is 0 for a certain outcome and
 * log n for the uniform distribution on n outcomes, its maximum. In C,
 * 0.0 * log(0.0) is 0 * (−inf) = NaN: skip the zero terms explicitly.
 */
double info_entropy(const double *p, int n)
{
    // BEGIN SOLUTION
    double h = 0.0;
    for (int i = 0; i < n; i++)
        if (p[i] > 0.0) h -= p[i] * log(p[i]);
    return h;
    // END SOLUTION
    // STUB (void)p; (void)n;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 2: cross-entropy
 *
 *   H(p, q) = −Σ_i p_i log q_i = −E_p[log q(X)]
 *
 * The expected surprise when outcomes come from p but you believe q: the
 * mean code length of a code built for q. Minimising it over q is maximum
 * likelihood (the loss of every classifier in chapters 03–04). Terms with
 * p_i = 0 contribute 0 even where q_i = 0; a q_i = 0 < p_i makes it +inf
 * (log 0 = −inf in C, so −p_i·log q_i is +inf by itself: just skip p_i = 0).
 */
double info_cross_entropy(const double *p, const double *q, int n)
{
    // BEGIN SOLUTION
    double h = 0.0;
    for (int i = 0; i < n; i++)
        if (p[i] > 0.0) h -= p[i] * log(q[i]);
    return h;
    // END SOLUTION
    // STUB (void)p; (void)q; (void)n;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 3: KL divergence
 *
 *   KL(p ‖ q) = Σ_i p_i log(p_i / q_i) = H(p, q) − H(p)
 *
 * The extra nats paid for believing q when the truth is p. Gibbs'
 * inequality: KL >= 0 with equality iff p = q (Jensen on the concave log,
 * see the README). Not symmetric. Skip p_i = 0 (0·log(0/q) = 0); a
 * q_i = 0 < p_i gives +inf.
 */
double info_kl(const double *p, const double *q, int n)
{
    // BEGIN SOLUTION
    double kl = 0.0;
    for (int i = 0; i < n; i++)
        if (p[i] > 0.0) kl += p[i] * log(p[i] / q[i]);
    return kl;
    // END SOLUTION
    // STUB (void)p; (void)q; (void)n;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 4: Jensen–Shannon divergence
 *
 *   m = ½(p + q),   JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m)
 *
 * Both KLs are finite (m_i >= ½p_i), so JS is bounded: 0 <= JS <= log 2,
 * reached when p and q never overlap. It is what a GAN's minimax game
 * minimises at the optimal discriminator (chapter 09): V(D*, G) = 2·JS − log 4.
 * Compute m_i term by term; no allocation is needed (a term with p_i = 0
 * contributes 0, as in KL).
 */
double info_js(const double *p, const double *q, int n)
{
    // BEGIN SOLUTION
    double js = 0.0;
    for (int i = 0; i < n; i++) {
        double m = 0.5 * (p[i] + q[i]);
        if (p[i] > 0.0) js += 0.5 * p[i] * log(p[i] / m);
        if (q[i] > 0.0) js += 0.5 * q[i] * log(q[i] / m);
    }
    return js;
    // END SOLUTION
    // STUB (void)p; (void)q; (void)n;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 5: mutual information of a discrete joint table
 *
 *   P(x) = Σ_y P(x, y),   P(y) = Σ_x P(x, y)
 *   I(X; Y) = Σ_{x,y} P(x, y) log( P(x, y) / (P(x) P(y)) )
 *           = KL(P_XY ‖ P_X ⊗ P_Y) = H(X) − H(X | Y) = H(X) + H(Y) − H(X, Y)
 *
 * How far the joint is from the product of its marginals: 0 iff X and Y are
 * independent, H(X) when Y = X. P is (nx, ny) row-major: P[x·ny + y]. The
 * marginals need nx + ny numbers: sum them on the fly (two loops) or in a
 * small local array. Skip cells with P(x, y) = 0.
 */
double info_mutual_information(const double *P, int nx, int ny)
{
    // BEGIN SOLUTION
    double mi = 0.0;
    for (int x = 0; x < nx; x++) {
        double px = 0.0;
        for (int y = 0; y < ny; y++) px += P[x * ny + y];
        for (int y = 0; y < ny; y++) {
            double pxy = P[x * ny + y];
            if (pxy <= 0.0) continue;
            double py = 0.0;
            for (int x2 = 0; x2 < nx; x2++) py += P[x2 * ny + y];
            mi += pxy * log(pxy / (px * py));
        }
    }
    return mi;
    // END SOLUTION
    // STUB (void)P; (void)nx; (void)ny;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 6: KL between two univariate Gaussians (closed form)
 *
 *   KL( N(μ_p, σ_p²) ‖ N(μ_q, σ_q²) ) = E_p[log p(X) − log q(X)]
 *     = log(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − ½
 *
 * Derivation: log p − log q = log(σ_q/σ_p) − (x−μ_p)²/(2σ_p²) + (x−μ_q)²/(2σ_q²);
 * under p, E[(x−μ_p)²] = σ_p² and E[(x−μ_q)²] = σ_p² + (μ_p − μ_q)².
 * Note which variance divides: σ_q², the second argument's. Chapter 14's
 * per-step KL of two sampler steps is a sum of these (info_kl_gauss_iso).
 */
double info_kl_gauss(double mu_p, double sigma_p, double mu_q, double sigma_q)
{
    // BEGIN SOLUTION
    double d = mu_p - mu_q;
    return log(sigma_q / sigma_p) + (sigma_p * sigma_p + d * d) / (2.0 * sigma_q * sigma_q) - 0.5;
    // END SOLUTION
    // STUB (void)mu_p; (void)sigma_p; (void)mu_q; (void)sigma_q;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 7: KL between diagonal Gaussians, with log-variances
 *
 *   KL = ½ Σ_j [ v_q − v_p + (e^{v_p} + (μ_p − μ_q)²) e^{−v_q} − 1 ]    (v = log σ²)
 *
 * A diagonal Gaussian is a product of independent coordinates, and the KL of
 * products is the sum of the coordinates' KLs: this is exercise 6 summed over
 * j, written with v = log σ² (log(σ_q/σ_p) = ½(v_q − v_p)). A NULL mu_q
 * stands for μ_q = 0 and a NULL logvar_q for v_q = 0; with both NULL it is the
 * VAE's KL to N(0, I):  ½ Σ_j (e^{v_p} + μ_p² − 1 − v_p).
 */
double info_kl_diag_gauss(const double *mu_p, const double *logvar_p, const double *mu_q, const double *logvar_q,
                          int D)
{
    // BEGIN SOLUTION
    double kl = 0.0;
    for (int j = 0; j < D; j++) {
        double mq = mu_q ? mu_q[j] : 0.0, vq = logvar_q ? logvar_q[j] : 0.0;
        double d = mu_p[j] - mq;
        kl += vq - logvar_p[j] + (exp(logvar_p[j]) + d * d) * exp(-vq) - 1.0;
    }
    return 0.5 * kl;
    // END SOLUTION
    // STUB (void)mu_p; (void)logvar_p; (void)mu_q; (void)logvar_q; (void)D;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 8: mutual information of a bivariate Gaussian
 *
 *   h(Z) = ½ log( (2πe)^d det Σ_Z )                   (differential entropy)
 *   I(X; Y) = h(X) + h(Y) − h(X, Y) = ½ log( Σ_xx Σ_yy / det Σ ),  det Σ = Σ_xx Σ_yy − Σ_xy²
 *           = −½ log(1 − ρ²),   ρ = Σ_xy / √(Σ_xx Σ_yy)
 *
 * The (2πe) factors cancel, and so do the scales: I depends on ρ alone
 * (rescaling X or Y changes no information). cov is row-major
 * [Σ_xx, Σ_xy, Σ_yx, Σ_yy].
 */
double info_mi_gauss2(const double cov[4])
{
    // BEGIN SOLUTION
    double det = cov[0] * cov[3] - cov[1] * cov[2];
    return 0.5 * log(cov[0] * cov[3] / det);
    // END SOLUTION
    // STUB (void)cov;
    // STUB return 0.0;
}

/* ======================================================================== */
/* EXERCISE 9: the three Monte Carlo KL estimators (Schulman 2020)
 *
 * With x ~ q and r = p(x)/q(x):
 *   k1 = −log r          E_q[k1] = KL(q ‖ p)                 (unbiased; half the samples can be < 0)
 *   k2 = ½ (log r)²      E_q[k2] = KL + O(KL^{3/2})          (biased; a second-order expansion)
 *   k3 = (r − 1) − log r E_q[k3] = E_q[r] − 1 + KL = KL      (unbiased, since E_q[r] = ∫ p = 1)
 * k3 >= 0 for every x because log r <= r − 1 (the log lies below its
 * tangent at 1): each sample is a "distance", which is why it has lower
 * variance. Numerically, r − 1 − log r for tiny log r is the difference of
 * two nearly equal numbers: write r − 1 as expm1(log r), which is exact
 * there; exp(log r) − 1 loses every digit below 1e-16 and can go negative.
 */
void info_kl_estimators(double log_r, double k[3])
{
    // BEGIN SOLUTION
    k[0] = -log_r;
    k[1] = 0.5 * log_r * log_r;
    k[2] = expm1(log_r) - log_r;
    // END SOLUTION
    // STUB (void)log_r;
    // STUB k[0] = k[1] = k[2] = 0.0;
}

/* ======================================================================== */
/* EXERCISE 10: the forward KL's gradient (mass-covering)
 *
 *   KL(p ‖ q_θ) = E_p[log p(X)] − E_p[log q_θ(X)]
 *   ∇_θ KL = −E_p[∇_θ log q_θ(X)] ≈ −(1/n) Σ_i ∇_θ log q_θ(x_i),   x_i ~ p
 *   q_θ = N(μ, σ²), ℓ = log σ:
 *     ∂ log q_θ(x)/∂μ = (x − μ)/σ²,   ∂ log q_θ(x)/∂ℓ = ((x − μ)/σ)² − 1
 *
 * The first term does not depend on θ: minimising the forward KL is maximum
 * likelihood on samples of p. Wherever p has mass and q_θ has little, log q_θ
 * is very negative, so the fit stretches to cover every mode.
 * Differentiate by ℓ = log σ, not by σ: log σ can take any real value, so
 * gradient descent never produces a negative σ.
 */
void info_forward_kl_grad(const double *x, int n, double mu, double log_sigma, double grad[2])
{
    // BEGIN SOLUTION
    double sigma = exp(log_sigma), gm = 0.0, gl = 0.0;
    for (int i = 0; i < n; i++) {
        double u = (x[i] - mu) / sigma;
        gm += u / sigma;
        gl += u * u - 1.0;
    }
    grad[0] = -gm / n;
    grad[1] = -gl / n;
    // END SOLUTION
    // STUB (void)x; (void)n; (void)mu; (void)log_sigma;
    // STUB grad[0] = grad[1] = 0.0;
}

/* ======================================================================== */
/* EXERCISE 11: the reverse KL's gradient (mode-seeking), by reparameterisation
 *
 *   x = μ + σ ε,  ε ~ N(0, 1)       (the same trick as the VAE's, chapter 09)
 *   KL(q_θ ‖ p) = E_ε[ log q_θ(x) − log p(x) ],   log q_θ(μ + σε) = −ℓ − ½ε² − ½ log 2π
 *   ∂/∂μ  = E[ −s(x) ]            (∂x/∂μ = 1)
 *   ∂/∂ℓ  = −1 + E[ −s(x)·σε ]    (∂x/∂ℓ = σε; the −1 is ∂(−ℓ)/∂ℓ, the entropy of q_θ)
 *   s(x) = d log p(x)/dx          (info_mix_logpdf(p, x, &s))
 *
 * Here the expectation is over q_θ's own samples: where p is ~0, log p is
 * very negative, so q_θ is pushed out of every gap and settles on one mode.
 * The ε are fixed by the caller, so the estimate is a smooth function of
 * (μ, ℓ) and its exact derivative is what you compute. Return the estimate
 * (1/n) Σ_i [log q_θ(x_i) − log p(x_i)] (log(2π) is INFO_LOG_2PI).
 */
double info_reverse_kl_grad(const double *eps, int n, double mu, double log_sigma, const InfoMix *p,
                            double grad[2])
{
    // BEGIN SOLUTION
    double sigma = exp(log_sigma), kl = 0.0, gm = 0.0, gl = 0.0;
    for (int i = 0; i < n; i++) {
        double x = mu + sigma * eps[i], s;
        double logp = info_mix_logpdf(p, x, &s);
        double logq = -log_sigma - 0.5 * eps[i] * eps[i] - 0.5 * INFO_LOG_2PI;
        kl += logq - logp;
        gm -= s;
        gl -= s * sigma * eps[i];
    }
    grad[0] = gm / n;
    grad[1] = -1.0 + gl / n;
    return kl / n;
    // END SOLUTION
    // STUB (void)eps; (void)n; (void)mu; (void)log_sigma; (void)p;
    // STUB grad[0] = grad[1] = 0.0;
    // STUB return 0.0;
}

/* ======================================================================== */
/* Given: Gaussian and mixture densities, sampling, and chapter 14's step KL. */

double info_log_normal(double x, double mu, double sigma)
{
    double u = (x - mu) / sigma;
    return -0.5 * u * u - log(sigma) - 0.5 * INFO_LOG_2PI;
}

/* log Σ_c w_c N(x; μ_c, σ_c²) = m + log Σ_c e^{a_c − m}, a_c = log w_c + log N_c(x),
 * m = max a_c; the score is Σ_c γ_c·(μ_c − x)/σ_c², γ_c = e^{a_c − m}/Σ e^{a − m}
 * (the components' responsibilities). */
double info_mix_logpdf(const InfoMix *m, double x, double *dlogp_dx)
{
    double a[INFO_MIX_MAX], amax = -INFINITY;
    for (int c = 0; c < m->k; c++) {
        a[c] = log(m->w[c]) + info_log_normal(x, m->mu[c], m->sigma[c]);
        if (a[c] > amax) amax = a[c];
    }
    double S = 0.0, score = 0.0;
    for (int c = 0; c < m->k; c++) {
        double e = exp(a[c] - amax);
        S += e;
        score += e * (m->mu[c] - x) / (m->sigma[c] * m->sigma[c]);
    }
    if (dlogp_dx) *dlogp_dx = score / S;
    return amax + log(S);
}

double info_mix_sample(const InfoMix *m, Rng *r)
{
    int c = rng_categorical(r, m->w, m->k);
    return m->mu[c] + m->sigma[c] * rng_normal(r);
}

double info_kl_gauss_iso(const float *mu_p, double sigma_p, const float *mu_q, double sigma_q, int D,
                         float *dmu_p)
{
    double kl = 0.0;
    for (int j = 0; j < D; j++) {
        kl += info_kl_gauss(mu_p[j], sigma_p, mu_q[j], sigma_q);
        if (dmu_p) dmu_p[j] = (float)(((double)mu_p[j] - mu_q[j]) / (sigma_q * sigma_q));
    }
    return kl;
}
