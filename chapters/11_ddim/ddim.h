/* ddim — denoising diffusion implicit models (Song, Meng & Ermon 2021,
 * "DDIM"): the η family of samplers, sampling on a sub-sequence of the
 * training steps, deterministic inversion, and spherical interpolation of
 * x_T (chapter 11; used by chapters 13–15).
 *
 * Notation as in ddpm.h (chapter 10): a schedule s of T steps, ᾱ_t =
 * s->alpha_bar[t] (the paper writes α_t for it), ᾱ_0 = 1; ε_θ(x_t, t) the
 * network trained on s. DDIM samples on a sub-sequence of the training steps
 *
 *     0 = τ_0 < τ_1 < … < τ_S = T        (here τ_i = ⌊i·T/S⌋, sched_even_taus)
 *
 * and runs the network at the kept steps only: S steps instead of T, with
 * the model trained once at T = 1000. One step goes from t = τ_i to
 * t_prev = τ_{i−1} (paper Eq. 12):
 *
 *     x̂_0 = (x_t − √(1 − ᾱ_t)·ε_θ(x_t, t)) / √ᾱ_t
 *     x_{t_prev} = √ᾱ_{t_prev}·x̂_0 + √(1 − ᾱ_{t_prev} − σ²)·ε_θ(x_t, t) + σ·z,   z ~ N(0, I),
 *     σ = σ_t(η) = η·√((1 − ᾱ_{t_prev})/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_{t_prev})   (Eq. 16).
 *
 * η = 1 is DDPM's posterior q(x_{t_prev} | x_t, x̂_0); η = 0 is deterministic
 * (x_T fixes the sample), an Euler step of an ODE, which can be run forward
 * too (inversion: data → x_T → the same data, up to the step error).
 *
 * Layout: n rows of D values, (n, D) row-major, as in ddpm.h. Schedules are
 * double; data float. The exercises are the functions marked EXERCISE in
 * solutions/11_ddim/ddim.c (your copy: exercises/11_ddim/ddim.c); grade them
 * with `make check CH=11`. The samplers below them (ddim_sample,
 * ddim_encode) are given code in chapters/11_ddim/sampler.c.
 */
#ifndef DDIM_H
#define DDIM_H
#include "ddpm.h"
#include "denoiser.h"
#include "progress.h"
#include "rng.h"

/* ---------------------------------------------------------------- exercises */

/* σ_t(η) of Eq. 16 for the step t → t_prev (0 <= t_prev < t <= T) of
 * schedule s, 0 <= η <= 1:
 *     σ = η·√((1 − ᾱ_{t_prev})/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_{t_prev}).
 * On the full sequence (t_prev = t − 1) and η = 1, σ² = β̃_t (DDPM's posterior
 * variance); at t_prev = 0, σ = 0. Not η²(1 − ᾱ_t): see the README. */
double ddim_sigma(const Schedule *s, int t, int t_prev, double eta);

/* One DDIM update (Eq. 12) of n values from step t to t_prev < t, with the
 * network's ε at (x_t, t), the noise z ~ N(0, 1) drawn by the caller and the
 * step's σ (ddim_sigma, or any σ with σ² <= 1 − ᾱ_{t_prev}):
 *     x_prev = √ᾱ_{t_prev}·x̂_0 + √(1 − ᾱ_{t_prev} − σ²)·ε + σ·z,
 *     x̂_0 = (x_t − √(1 − ᾱ_t)·ε)/√ᾱ_t.
 * z is not read when σ = 0 (it may be NULL then). x_prev may alias xt. */
void ddim_step(float *x_prev, const float *xt, const float *eps, const float *z, const Schedule *s, int t, int t_prev,
               double sigma, int n);

/* Deterministic inversion (η = 0 run forward, paper §4.3 and Eq. 13): x (n,
 * D) holds x_0 on entry and x_{τ_S} on return, after S steps τ_{i−1} → τ_i,
 * i = 1..S (τ_0 = 0; taus (S) lists τ_1..τ_S), each
 *     x ← √ᾱ_{τ_i}·x̂_0 + √(1 − ᾱ_{τ_i})·ε,   x̂_0 = (x − √(1 − ᾱ_{τ_{i−1}})·ε)/√ᾱ_{τ_{i−1}},
 * with ε = eps_fn(eps_ctx, ε, x, τ_{i−1}, n): the network at the step it
 * starts from, the one whose x is known (at τ_0 = 0 that is t = 0). */
void ddim_invert(float *x, int n, int D, DenEpsFn eps_fn, void *eps_ctx, const Schedule *s, const int *taus, int S);

/* Spherical linear interpolation between x0 and x1 (D values each), as the
 * paper interpolates x_T (Appendix D.5, after White 2016):
 *     θ = arccos( x0·x1 / (‖x0‖‖x1‖) ),
 *     out = sin((1 − α)θ)/sin θ · x0 + sin(αθ)/sin θ · x1,
 * α in [0, 1]; out = x0 at α = 0 and x1 at α = 1. For (nearly) parallel x0
 * and x1 (sin θ < 1e-6) the straight line (1 − α)·x0 + α·x1. out may alias
 * neither input. */
void ddim_slerp(float *out, const float *x0, const float *x1, double alpha, int D);

/* ---------------------------------------------------------------- samplers (given) */

/* DDIM sampling: x (n, D) holds x_T on entry (the caller draws it, so the
 * same x_T can be sampled with several S and η) and the sample x_0 on
 * return, after the steps τ_S → τ_{S−1} → … → τ_0 = 0 (taus (S) lists
 * τ_1..τ_S, τ_S = T usually) with σ = ddim_sigma(s, τ_i, τ_{i−1}, eta) and
 * ε = eps_fn(ctx, ε, x, τ_i, rows): the network on its own clock (a DenEps
 * with taus = NULL). Fresh z ~ N(0, I) for every step whose σ > 0.
 * The rows are split into `parts` contiguous parts on parallel threads, part
 * p with eps_ctx[p] and its own generator split from rng in order (results
 * depend on parts, not on cores). pr (started by the caller, may be NULL)
 * advances by one per step, so one bar can follow several runs. */
void ddim_sample(float *x, int n, int D, DenEpsFn eps_fn, void *const *eps_ctx, int parts, const Schedule *s,
                 const int *taus, int S, double eta, Rng *rng, Progress *pr);

/* Inversion of n rows (x (n, D): x_0 in, x_T out) by ddim_invert, the rows
 * split into parts as in ddim_sample; pr as there. */
void ddim_encode(float *x, int n, int D, DenEpsFn eps_fn, void *const *eps_ctx, int parts, const Schedule *s,
                 const int *taus, int S, Progress *pr);

/* ε of a network for the samplers above: den_eps (ctx is a DenEps with taus =
 * NULL) at t = 1..T, and 0 at t = 0, where the inversion's first step asks
 * for it. The network never saw t = 0 in training (t is 1..T), and an
 * x_0-predicting one cannot give ε there (ε = (x − √ᾱ_0·x̂_0)/√(1 − ᾱ_0) is
 * 0/0); 0 is the exact ε* of any smooth data density at t = 0, and the
 * step does not depend on it through x̂_0, which is x itself at t = 0. */
void ddim_net_eps(void *ctx, float *eps, const float *x, int t, int n);

/* The coefficient of ε in a step t → t_prev with this σ, squared:
 * 1 − ᾱ_{t_prev} − σ² (negative: the update has no real coefficient). */
double ddim_direction_sq(const Schedule *s, int t_prev, double sigma);

#endif
