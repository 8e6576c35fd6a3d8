/* ddim.c — the η family of DDIM samplers, inversion and spherical
 * interpolation (chapter 11).
 *
 * Each function marked EXERCISE is yours to write in exercises/11_ddim/ddim.c.
 * Check your work with `make check CH=11` (one test case per function, e.g.
 * CK_RUN_CASE=ddim_step make check CH=11); `make run CH=11 IMPL=exercises`
 * samples chapter 10's models with your functions.
 *
 * Notation (ddim.h and the README): ᾱ_t = s->alpha_bar[t] (the DDIM paper's
 * α_t), ᾱ_0 = 1; a step runs from t to t_prev on a sub-sequence
 * 0 = τ_0 < τ_1 < … < τ_S = T. "Song et al." = Song, Meng & Ermon,
 * "Denoising Diffusion Implicit Models", ICLR 2021.
 */
#include "ddim.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

/* ======================================================================== */
/* EXERCISE 1: the noise of a step, σ_t(η) (Song et al. Eq. 16)
 *
 *   σ = η · √( (1 − ᾱ_{t_prev}) / (1 − ᾱ_t) ) · √( 1 − ᾱ_t/ᾱ_{t_prev} )
 *
 * The second root is the step's own β′ = 1 − ᾱ_t/ᾱ_{t_prev} (for t_prev =
 * t − 1 it is β_t); the first shrinks it to the posterior's β̃′. So η = 1
 * gives σ² = β̃_t, DDPM's q(x_{t−1} | x_t, x_0), and η = 0 no noise at all.
 * It is NOT σ² = η²·(1 − ᾱ_t): that σ exceeds √(1 − ᾱ_{t_prev}) and leaves
 * the update's direction term without a real coefficient (the README).
 * At t_prev = 0 (ᾱ_0 = 1) the formula gives 0: the last step adds no noise.
 */
double ddim_sigma(const Schedule *s, int t, int t_prev, double eta)
{
    /* TODO: your code here (see the comment above the function). */
    (void)s; (void)t; (void)t_prev; (void)eta;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 2: one DDIM update, from t to t_prev (Song et al. Eq. 12)
 *
 *   x̂_0    = ( x_t − √(1 − ᾱ_t)·ε ) / √ᾱ_t                    "predicted x_0"
 *   x_prev = √ᾱ_{t_prev}·x̂_0  +  √(1 − ᾱ_{t_prev} − σ²)·ε  +  σ·z
 *                               "direction pointing to x_t"   "random noise"
 *
 * Read it as: guess the clean data, then noise it back to the level of
 * t_prev, re-using the network's ε for part of that noise (the direction)
 * and fresh noise z for the rest (σ² of it). t_prev need not be t − 1: the
 * same line jumps any stride along the sub-sequence τ. Everything uses ᾱ
 * (the cumulative product) of the two steps; no β_t, no α_t.
 *
 * Compute the three coefficients once, in double; clamp the direction's
 * 1 − ᾱ_{t_prev} − σ² at 0 before the root (rounding can leave −1e-17 where
 * the exact value is 0, at η = 1 on the last step). Do not read z when
 * σ = 0 (0·z is NaN if z is, and z may be NULL): a deterministic sampler
 * passes no noise.
 */
void ddim_step(float *x_prev, const float *xt, const float *eps, const float *z, const Schedule *s, int t, int t_prev,
               double sigma, int n)
{
    /* TODO: your code here (see the comment above the function). */
    (void)x_prev; (void)xt; (void)eps; (void)z; (void)s; (void)t; (void)t_prev; (void)sigma; (void)n;
}

/* ======================================================================== */
/* EXERCISE 3: deterministic inversion, data → x_T (Song et al. §4.3, §5.4)
 *
 * With σ = 0 the update is x_{t'} = √ᾱ_{t'}·x̂_0 + √(1 − ᾱ_{t'})·ε for any
 * pair of steps, and nothing stops t' from being LARGER than t: run it
 * up the sub-sequence, i = 1..S,
 *
 *   t = τ_{i−1}, t' = τ_i   (τ_0 = 0, taus[i − 1] = τ_i)
 *   ε   = eps_fn(eps_ctx, ε, x, t, n)       ε at the step you START from
 *   x̂_0 = ( x − √(1 − ᾱ_t)·ε ) / √ᾱ_t
 *   x   ← √ᾱ_{t'}·x̂_0 + √(1 − ᾱ_{t'})·ε
 *
 * It is Euler's method on the DDIM ODE (Eq. 13), forward in time. Only x_t
 * is known, so ε is evaluated there, at t = τ_{i−1} (the first step at
 * t = 0, where x̂_0 = x whatever ε is). Evaluating it at the target τ_i with
 * the old x ("the next timestep's noise") is a common variant; it moves the
 * round trip's mean for data that are not centred (the README, the tests).
 * x (n, D) in place; allocate the ε buffer (n·D floats) yourself (xmalloc,
 * util.h) and free it.
 */
void ddim_invert(float *x, int n, int D, DenEpsFn eps_fn, void *eps_ctx, const Schedule *s, const int *taus, int S)
{
    /* TODO: your code here (see the comment above the function). */
    (void)x; (void)n; (void)D; (void)eps_fn; (void)eps_ctx; (void)s; (void)taus; (void)S;
}

/* ======================================================================== */
/* EXERCISE 4: spherical interpolation of x_T (Song et al. Appendix D.5)
 *
 *   θ   = arccos( x0·x1 / (‖x0‖·‖x1‖) )
 *   out = sin((1 − α)θ)/sin θ · x0  +  sin(αθ)/sin θ · x1
 *
 * Two draws of N(0, I) in D dimensions are nearly orthogonal and both of
 * norm ≈ √D. The straight line between them passes at norm ≈ √(D/2) in the
 * middle: a point the network never saw as x_T. The great circle keeps the
 * norm. Sums in double; clamp the cosine to [−1, 1] before arccos (rounding
 * can push it past 1 for parallel inputs); when sin θ < 1e-6 fall back to
 * (1 − α)·x0 + α·x1.
 */
void ddim_slerp(float *out, const float *x0, const float *x1, double alpha, int D)
{
    /* TODO: your code here (see the comment above the function). */
    (void)out; (void)x0; (void)x1; (void)alpha; (void)D;
}
