/* ddpm — denoising diffusion probabilistic models: noise schedules, the
 * forward process, the ε-prediction loss and the ancestral sampler (chapter
 * 10; used by chapters 11–15).
 *
 * Notation (Ho, Jain & Abbeel 2020, "DDPM"; Nichol & Dhariwal 2021; seed 003
 * §12 with its α/ᾱ errata corrected, see the README). Time runs t = 0..T;
 * x_0 is data, x_T is (nearly) pure noise.
 *   β_t         the variance added at step t (the schedule), t = 1..T
 *   α_t = 1 − β_t,   ᾱ_t = α_1·α_2·…·α_t   (ᾱ_0 = 1)
 *   q(x_t | x_0) = N(√ᾱ_t·x_0, (1 − ᾱ_t)·I)          the forward process, closed form
 *   β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t            the variance of q(x_{t−1} | x_t, x_0)
 *   ε_θ(x_t, t)  the network's estimate of the noise ε in x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
 * Every array of the schedule is indexed by t itself, 0..T (length T + 1),
 * so beta[t] is β_t exactly as in the paper; index 0 holds the t = 0 values
 * (β_0 = 0, α_0 = ᾱ_0 = 1, β̃_0 = 0). Schedules are double: ᾱ_t reaches
 * 1e-9 (cosine) and 1 − ᾱ_t must not round to 1. The data and the network
 * are float.
 *
 * Layout: a batch of B points of D coordinates is (B, D) row-major, as in
 * nn.h; an image of h×w pixels is one row of D = h·w values in [−1, 1].
 *
 * The exercises are the functions marked EXERCISE in solutions/10_ddpm/ddpm.c
 * (your copy: exercises/10_ddpm/ddpm.c). Grade them with `make check CH=10`.
 * The rest of this header (sched_*) is given code in chapters/10_ddpm/
 * diffusion.c; the network, training and the sampler's loop are in
 * denoiser.h.
 */
#ifndef DDPM_H
#define DDPM_H
#include "rng.h"

typedef struct Denoiser Denoiser;   /* denoiser.h */

/* ---------------------------------------------------------------- schedules */

typedef enum { SCHED_LINEAR, SCHED_COSINE } SchedKind;

/* What determines a schedule (the key of a trained model includes it). */
typedef struct {
    SchedKind kind;
    int T;              /* steps, 1..100000 */
    double beta_1;      /* linear: β_1 (Ho et al.: 1e-4) */
    double beta_T;      /* linear: β_T (Ho et al.: 0.02) */
    double s;           /* cosine: the offset s (Nichol & Dhariwal: 0.008) */
    double max_beta;    /* cosine: the cap on β_t (Nichol & Dhariwal: 0.999) */
} SchedSpec;

typedef struct {
    int T;               /* steps */
    double *beta;        /* (T + 1) β_t */
    double *alpha;       /* (T + 1) α_t = 1 − β_t */
    double *alpha_bar;   /* (T + 1) ᾱ_t = Π_{s=1..t} α_s */
    double *beta_tilde;  /* (T + 1) β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t)·β_t */
} Schedule;

/* Ho et al.'s linear schedule for T steps: β from 1e-4 to 0.02, times
 * beta_scale (1 for the paper's range; 1000/T keeps ᾱ_T near the T = 1000
 * value when T is small). */
SchedSpec sched_linear_spec(int T, double beta_scale);
SchedSpec sched_cosine_spec(int T);      /* Nichol & Dhariwal's: s = 0.008, cap 0.999 */
/* NULL if the spec is invalid (sched_spec_error says why). Calls the
 * exercises: check the result with sched_check. */
Schedule *sched_create(const SchedSpec *spec);
/* 0 if s is a consistent schedule (0 < β_t < 1, α_t = 1 − β_t, ᾱ_t the
 * running product, 0 <= β̃_t <= β_t, the t = 0 entries), else -1 with the
 * first problem in why (e.g. "β_1 = 0 is not in (0, 1)"). */
int sched_check(const Schedule *s, char *why, int len);
const char *sched_spec_error(const SchedSpec *spec);
void sched_free(Schedule *s);            /* accepts NULL */
/* "linear 1e-4..0.02, T = 1000" into buf; returns buf. */
char *sched_describe(const SchedSpec *spec, char *buf, int len);
/* The schedule of a sub-sequence of steps 0 = τ_0 < τ_1 < … < τ_S <= T of s
 * (Nichol & Dhariwal 2021 §4, "respacing"): a schedule of S steps with
 * ᾱ′_i = ᾱ_{τ_i} and β′_i = 1 − ᾱ_{τ_i}/ᾱ_{τ_{i−1}}, so that its forward
 * marginals are those of s at the kept steps. taus (S) lists τ_1..τ_S.
 * NULL if taus is not increasing within 1..T. */
Schedule *sched_respace(const Schedule *s, const int *taus, int S);
/* The evenly spaced "trailing" sub-sequence τ_i = ⌊i·T/S⌋, i = 1..S, into
 * taus (S); it always ends at τ_S = T. 1 <= S <= T. */
void sched_even_taus(int *taus, int T, int S);

/* ---------------------------------------------------------------- exercises: schedules */

/* Linear schedule (Ho et al. 2020 §4): β_t = β_1 + (t − 1)/(T − 1)·(β_T − β_1)
 * for t = 1..T (β_1 when T = 1), and beta[0] = 0. beta (T + 1). */
void ddpm_linear_betas(double *beta, int T, double beta_1, double beta_T);

/* Cosine schedule (Nichol & Dhariwal 2021, eq. 17):
 *     ᾱ(t) = f(t)/f(0),   f(t) = cos²( (t/T + s)/(1 + s) · π/2 ),
 *     β_t = min(1 − ᾱ(t)/ᾱ(t − 1), max_beta)   for t = 1..T,  beta[0] = 0.
 * The cap keeps the last β below 1 (at t = T, f(T) = cos²(π/2) = 0). */
void ddpm_cosine_betas(double *beta, int T, double s, double max_beta);

/* From s->beta[1..T] (and s->T), fill s->alpha, s->alpha_bar and
 * s->beta_tilde for t = 0..T, and set beta[0] = 0 (see the notation above). */
void ddpm_schedule_from_betas(Schedule *s);

/* ---------------------------------------------------------------- exercises: the forward process */

/* Forward noising in closed form (Ho et al. eq. 4), row by row:
 *     xt[i] = √ᾱ_{t_i}·x0[i] + √(1 − ᾱ_{t_i})·eps[i]
 * x0, eps, xt (B, D); t (B), each in 0..T. xt may alias x0 or eps. */
void ddpm_q_sample(float *xt, const float *x0, const float *eps, const int *t, const Schedule *s, int B, int D);

/* Sinusoidal embedding (Vaswani et al. 2017 §3.5; Ho et al. Appendix B; the
 * tiny-diffusion form) of B scalars v with F >= 2 frequencies:
 *     ω_k = exp(−ln(10⁴)·k/(F − 1)),  k = 0..F−1  (from 1 down to 10⁻⁴)
 *     out[i][k] = sin(scale·v_i·ω_k),  out[i][F + k] = cos(scale·v_i·ω_k)
 * out (B, 2F). The network sees t (and, optionally, each coordinate) this
 * way: a plain number t would enter the first layer only linearly. */
void ddpm_sinusoidal_embedding(float *out, const float *v, int B, int F, float scale);

/* ---------------------------------------------------------------- exercises: training */

/* What the network predicts: the noise ε (Ho et al.'s choice) or x_0. */
typedef enum { DDPM_PRED_EPS, DDPM_PRED_X0 } DdpmPred;

/* Scratch arrays of one training batch, for up to max_batch rows of D. */
typedef struct {
    int max_batch, dim;
    int *t;         /* (max_batch) timesteps */
    float *eps;     /* (max_batch, D) the noise */
    float *xt;      /* (max_batch, D) the noised data */
    float *dpred;   /* (max_batch, D) ∂L/∂(the network's output) */
} DdpmWork;

DdpmWork *ddpm_work_create(int max_batch, int dim);
void ddpm_work_free(DdpmWork *w);        /* accepts NULL */

/* One training batch of Ho et al.'s Algorithm 1 with L_simple: draw
 *     t_i uniform on 1..T (1 + rng_int(rng, T), for i = 0..B−1, first), then
 *     ε_i ~ N(0, I) (rng_normal, row by row, B·D draws),
 * noise x0 with ddpm_q_sample, run the network on (x_t, t, cls) and return
 *     L = (1/(B·D)) Σ_i ‖target_i − net(x_t,i, t_i, cls_i)‖²,
 * target = ε (DDPM_PRED_EPS) or x_0 (DDPM_PRED_X0); then backpropagate it:
 * the network's parameter gradients += ∂L/∂θ (den_backward; the caller zeroes
 * them). x0 (B, D); cls (B) class labels for a class-conditional network, or
 * NULL; B <= w->max_batch. */
float ddpm_loss(Denoiser *net, const float *x0, const int *cls, int B, const Schedule *s, DdpmPred pred,
                DdpmWork *w, Rng *rng);

/* ---------------------------------------------------------------- exercises: sampling */

/* The reverse variance σ_t²: β_t (Ho et al.'s upper bound; best at full T)
 * or β̃_t (the true posterior's; the lower bound). */
typedef enum { DDPM_VAR_BETA, DDPM_VAR_BETA_TILDE } DdpmVar;

/* One ancestral sampling step (Ho et al. Algorithm 2, eq. 11) at step t,
 * for n values that all sit at step t:
 *     μ = (x_t − β_t/√(1 − ᾱ_t)·ε) / √α_t
 *     x_{t−1} = μ + σ_t·z,   σ_t² = β_t or β̃_t (var),
 * and x_0 = μ at t = 1: no noise at the last step. xt, eps, z, x_prev (n);
 * z is standard normal noise drawn by the caller (not read at t = 1).
 * x_prev may alias xt. */
void ddpm_step(float *x_prev, const float *xt, const float *eps, const float *z, int t, const Schedule *s,
               DdpmVar var, int n);

/* The model's guess of the clean data (inverting ddpm_q_sample with ε
 * estimated): x̂_0 = (x_t − √(1 − ᾱ_t)·ε) / √ᾱ_t, for n values at step t
 * (1..T). x0 may alias xt. */
void ddpm_x0_from_eps(float *x0, const float *xt, const float *eps, int t, const Schedule *s, int n);

#endif
