/* vmath — exp, erf, sin, cos and log in float, for loops the compiler
 * vectorises.
 *
 * The C library's expf, erff, sinf, ... are calls, one element at a time;
 * a loop that calls them runs at ~5–20 ns per element. The functions here are
 * `static inline`, free of branches and calls (only multiply-adds, compares
 * that become lane selects, and bit operations on the float's encoding), so a
 * loop over an array of them compiles to vector code: with AVX-512, 16
 * elements per instruction. The diffusion chapters evaluate ~10⁹ of them per
 * training run (GELU's erf, softmax's exp, sinusoidal embeddings).
 *
 *     for (int i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + vm_erff(x[i] * 0.70710678f));   // exact GELU
 *
 * or the array forms vm_exp_n, ... of vmath.c.
 *
 * Method: reduce the argument to a small interval, evaluate a polynomial
 * there, undo the reduction. The coefficients are minimax fits of the
 * relative error, rounded to float (tools/vmath_fit.py derives them). The
 * multiply-adds are fused (fmaf) where the target has FMA, so results may
 * differ in the last bit between such builds and others.
 *
 * Accuracy, measured against the correctly rounded value (the C library's
 * double function, rounded) by tests/test_vmath.c, which fails above these
 * bounds (the test prints the measured maxima; the C library's own float
 * functions are within 1 ulp):
 *   vm_expf   <= 2 ulp for every x (subnormal results: 1 ulp of the smallest
 *             subnormal); 0 below −103.98, +inf above 88.72
 *   vm_erff   <= 2 ulp for every x; ±1 for |x| >= 3.92
 *   vm_sinf,
 *   vm_cosf   <= 2 ulp for |x| <= VM_TRIG_MAX (2¹⁵); NaN beyond: the
 *             argument reduction (Cody & Waite) would lose the result there,
 *             so a misuse shows instead of giving a wrong number
 *   vm_logf   <= 2 ulp for every x > 0, subnormals included
 * Special values: NaN in, NaN out; exp(±inf) = +inf / 0, erf(±inf) = ±1,
 * log 0 = −inf, log of a negative number NaN, log(+inf) = +inf, sin and cos
 * of ±inf NaN.
 *
 * Nothing here fails, allocates or sets errno.
 */
#ifndef VMATH_H
#define VMATH_H
#include <math.h>
#include <stdint.h>
#include <string.h>

/* sin and cos are computed for |x| <= VM_TRIG_MAX (NaN beyond). */
#define VM_TRIG_MAX 32768.0f

/* Array forms (vmath.c): y[i] = f(x[i]) for i < n; y may equal x. */
void vm_exp_n(float *y, const float *x, int n);
void vm_erf_n(float *y, const float *x, int n);
void vm_sin_n(float *y, const float *x, int n);
void vm_cos_n(float *y, const float *x, int n);
void vm_log_n(float *y, const float *x, int n);
/* s[i] = sin x[i], c[i] = cos x[i], one argument reduction for both; for
 * |x[i]| > VM_TRIG_MAX the C library's sinf and cosf (so every finite x gives
 * a number). s and c must not overlap x. */
void vm_sincos_n(float *s, float *c, const float *x, int n);

/* |got − exact| in units of the last place of `exact` rounded to float (the
 * spacing of floats at that magnitude; for subnormal results, the smallest
 * subnormal). 0 when both are the same NaN or infinity, +inf if only one is. */
double vm_ulp_error(float got, double exact);

/* ---------------------------------------------------------------- inline implementation */

/* a·b + c, fused where the target has FMA. */
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
#define VM_FMA(a, b, c) fmaf((a), (b), (c))
#else
#define VM_FMA(a, b, c) ((a) * (b) + (c))
#endif

static inline uint32_t vm__bits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static inline float vm__float(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

/* Adding and subtracting 1.5·2²³ rounds a float of magnitude < 2²² to the
 * nearest integer (the sum has no bits below 1). */
#define VM_ROUND_SHIFT 12582912.0f

/* Coefficients (tools/vmath_fit.py). */
#define VM_EXP_P0 0.49999994f      /* e^r = 1 + r + r²·P(r), |r| <= ln2/2 */
#define VM_EXP_P1 0.166665211f
#define VM_EXP_P2 0.041668389f
#define VM_EXP_P3 0.00836870726f
#define VM_EXP_P4 0.00138146011f
#define VM_ERF_T0 0.128379151f     /* erf x = x + x·T(x²), |x| < 0.9 */
#define VM_ERF_T1 -0.376125246f
#define VM_ERF_T2 0.112821408f
#define VM_ERF_T3 -0.0267789103f
#define VM_ERF_T4 0.00501196459f
#define VM_ERF_T5 -0.000609036884f
#define VM_ERF_Q0 0.000169201114f  /* erf t = 1 − e^{Q(t)}, 0.9 <= t <= 3.92 */
#define VM_ERF_Q1 -1.12948835f
#define VM_ERF_Q2 -0.633400917f
#define VM_ERF_Q3 -0.108220339f
#define VM_ERF_Q4 0.0250805859f
#define VM_ERF_Q5 -0.00415624259f
#define VM_ERF_Q6 0.000431390974f
#define VM_ERF_Q7 -2.08283873e-05f
#define VM_SIN_S0 -0.166666672f    /* sin r = r + r³·S(r²), |r| <= π/4 */
#define VM_SIN_S1 0.00833332911f
#define VM_SIN_S2 -0.000198393129f
#define VM_SIN_S3 2.71812155e-06f
#define VM_COS_C0 0.0416666679f    /* cos r = 1 − r²/2 + r⁴·C(r²), |r| <= π/4 */
#define VM_COS_C1 -0.00138888834f
#define VM_COS_C2 2.47994594e-05f
#define VM_COS_C3 -2.72057633e-07f
#define VM_LOG_L0 0.333333313f     /* log(1 + f) = f − f²/2 + f³·L(f), √½ − 1 <= f < √2 − 1 */
#define VM_LOG_L1 -0.250008196f
#define VM_LOG_L2 0.200012267f
#define VM_LOG_L3 -0.166233599f
#define VM_LOG_L4 0.142017677f
#define VM_LOG_L5 -0.131601617f
#define VM_LOG_L6 0.127614915f
#define VM_LOG_L7 -0.0763444379f

/* e^r for the reduced argument, and n = round(x·log2 e): e^x = 2^n·e^r. */
static inline float vm__exp_reduced(float x, float *nf)
{
    *nf = (x * 1.44269502f + VM_ROUND_SHIFT) - VM_ROUND_SHIFT;   /* round(x·log2 e) */
    float r = VM_FMA(*nf, -0.693359375f, x);
    r = VM_FMA(*nf, 2.12194440e-4f, r);                  /* ln2 = 0.693359375 − 2.12194440e−4 */
    float p = VM_FMA(VM_EXP_P4, r, VM_EXP_P3);
    p = VM_FMA(p, r, VM_EXP_P2);
    p = VM_FMA(p, r, VM_EXP_P1);
    p = VM_FMA(p, r, VM_EXP_P0);
    return VM_FMA(r * r, p, r) + 1.0f;                   /* e^r */
}

/* e^x = 2^n·e^r with n = round(x/ln2), r = x − n·ln2, |r| <= ln2/2. ln2 is
 * split in two (Cody & Waite 1980): n·0.693359375 is exact for the n that
 * occur (9 + 8 bits), so r loses nothing to cancellation. 2^n is built from
 * its exponent bits, in two halves so that n down to −150 (a subnormal
 * result) stays within float's exponent range; the last multiplication
 * rounds once. Arguments beyond the range that gives a finite nonzero float
 * are clamped first, so n stays small; NaN is restored at the end. */
static inline float vm_expf(float x)
{
    float xc = x < 88.8f ? x : 88.8f;                    /* NaN becomes 88.8 here */
    xc = xc > -104.0f ? xc : -104.0f;
    float nf, er = vm__exp_reduced(xc, &nf);
    int32_t n = (int32_t)nf, n1 = n >> 1, n2 = n - n1;   /* arithmetic shift (GCC, Clang): n1, n2 >= −75 */
    float y = er * vm__float((uint32_t)(n1 + 127) << 23) * vm__float((uint32_t)(n2 + 127) << 23);
    return x == x ? y : x;
}

/* erf is odd: erf x = sign(x)·erf|x|. Near 0 it is x times a polynomial in
 * x²; from 0.9 on, 1 − erf t = erfc t falls like e^{−t²}, so its logarithm
 * Q(t) is smooth and a polynomial fits it, and erf t = 1 − e^{Q(t)}. Both
 * are computed, and a select keeps one (a vector computes all lanes anyway). */
static inline float vm_erff(float x)
{
    float t = fabsf(x), s = x * x;
    float p = VM_FMA(VM_ERF_T5, s, VM_ERF_T4);
    p = VM_FMA(p, s, VM_ERF_T3);
    p = VM_FMA(p, s, VM_ERF_T2);
    p = VM_FMA(p, s, VM_ERF_T1);
    p = VM_FMA(p, s, VM_ERF_T0);
    float small = VM_FMA(x, p, x);
    float tc = t < 3.92f ? t : 3.92f;                    /* NaN becomes 3.92 */
    float q = VM_FMA(VM_ERF_Q7, tc, VM_ERF_Q6);
    q = VM_FMA(q, tc, VM_ERF_Q5);
    q = VM_FMA(q, tc, VM_ERF_Q4);
    q = VM_FMA(q, tc, VM_ERF_Q3);
    q = VM_FMA(q, tc, VM_ERF_Q2);
    q = VM_FMA(q, tc, VM_ERF_Q1);
    q = VM_FMA(q, tc, VM_ERF_Q0);
    /* e^q: q is in [−17.4, 0.0002] here (tc <= 3.92), so 2^n is a normal float
     * and one multiplication scales (the same bits as vm_expf, without its
     * clamps) */
    float nf, eq = vm__exp_reduced(q, &nf);
    eq *= vm__float((uint32_t)((int32_t)nf + 127) << 23);
    float large = t < 3.92f ? 1.0f - eq : 1.0f;
    large = vm__float(vm__bits(large) | (vm__bits(x) & 0x80000000u));   /* the sign of x */
    float y = t < 0.9f ? small : large;
    return x == x ? y : x;
}

/* sin r and cos r for |r| <= π/4. */
static inline float vm__sin_poly(float r)
{
    float s = r * r, p = VM_FMA(VM_SIN_S3, s, VM_SIN_S2);
    p = VM_FMA(p, s, VM_SIN_S1);
    p = VM_FMA(p, s, VM_SIN_S0);
    return VM_FMA(r * s, p, r);
}
static inline float vm__cos_poly(float r)
{
    float s = r * r, p = VM_FMA(VM_COS_C3, s, VM_COS_C2);
    p = VM_FMA(p, s, VM_COS_C1);
    p = VM_FMA(p, s, VM_COS_C0);
    return VM_FMA(s * s, p, VM_FMA(-0.5f, s, 1.0f));
}

/* sin x and cos x: x = j·π/2 + r, |r| <= π/4 (plus rounding), then
 * sin(j·π/2 + r) is, by quadrant j mod 4: 0 sin r, 1 cos r, 2 −sin r,
 * 3 −cos r; cos x is sin(x + π/2), one quadrant on (shift = 1).
 * Near a multiple of π/2, x and j·π/2 cancel to a small r, so r is computed
 * in double, with π/2 in two parts (Cody & Waite): the first has 33
 * significant bits, so j·part is exact for |j| < 2²⁰, and r is accurate to
 * ~1e-16 before it is rounded to float. Arguments beyond VM_TRIG_MAX (and
 * NaN, ±inf) are reduced as 0 and give NaN: `ok` is all ones for the others.
 * (Masks, not `?:` on ok: GCC 12 does not vectorise such selects in a loop
 * that also computes in double.) */
static inline float vm__sincos(float x, uint32_t shift)
{
    uint32_t ok = -(uint32_t)(fabsf(x) <= VM_TRIG_MAX);
    float xc = vm__float(vm__bits(x) & ok);
    float jf = (xc * 0.636619747f + VM_ROUND_SHIFT) - VM_ROUND_SHIFT;   /* round(x·2/π) */
    double jd = (double)jf;
    float r = (float)(((double)xc - jd * 1.5707963267341256) - jd * 6.077100506506192e-11);
    uint32_t q = ((uint32_t)(int32_t)jf + shift) & 3u;
    float sr = vm__sin_poly(r), cr = vm__cos_poly(r);   /* both: a vector computes every lane anyway */
    float y = (q & 1u) ? cr : sr;
    y = vm__float(vm__bits(y) ^ ((q & 2u) << 30));       /* quadrants 2, 3: negate */
    return vm__float(vm__bits(y) | ~ok);                 /* all ones: a NaN */
}
static inline float vm_sinf(float x) { return vm__sincos(x, 0); }
static inline float vm_cosf(float x) { return vm__sincos(x, 1); }

/* x = 2^k·m with m in [√½, √2) (read off the encoding: subtracting the bits of
 * √½ makes the exponent field k), log x = k·ln2 + log(1 + f), f = m − 1, ln2
 * in two parts. Subnormal x is first scaled by 2²³. */
static inline float vm_logf(float x)
{
    int sub = x < 1.17549435e-38f;                       /* below the smallest normal (or <= 0) */
    float xs = sub ? x * 8388608.0f : x;
    uint32_t u = vm__bits(xs), d = u - 0x3f3504f3u;      /* 0x3f3504f3 = √½ */
    int32_t k = (int32_t)d >> 23;                        /* arithmetic shift (GCC, Clang) */
    float f = vm__float(u - (d & 0xff800000u)) - 1.0f;
    float p = VM_FMA(VM_LOG_L7, f, VM_LOG_L6);
    p = VM_FMA(p, f, VM_LOG_L5);
    p = VM_FMA(p, f, VM_LOG_L4);
    p = VM_FMA(p, f, VM_LOG_L3);
    p = VM_FMA(p, f, VM_LOG_L2);
    p = VM_FMA(p, f, VM_LOG_L1);
    p = VM_FMA(p, f, VM_LOG_L0);
    float f2 = f * f, kf = (float)k - (sub ? 23.0f : 0.0f);
    float y = VM_FMA(f2 * f, p, VM_FMA(-0.5f, f2, f));  /* log(1 + f) */
    y = VM_FMA(kf, 0.693359375f, VM_FMA(kf, -2.12194440e-4f, y));
    float edge = x == 0.0f ? -INFINITY : NAN;            /* log ±0, log of x < 0 */
    y = x > 0.0f ? y : edge;
    return x < INFINITY ? y : x;                         /* +inf and NaN pass through */
}

#endif
