/* test_vmath.c — vmath's functions against the correctly rounded value, on
 * dense samples of every float range they cover; special values; the array
 * forms against the inline ones.
 *
 * Reference: the C library's exp, erf, sin, cos and log in DOUBLE (glibc's
 * are within 1 ulp of double, 2⁻²⁹ of a float ulp, so rounding them to float
 * gives the correctly rounded float but for rare ties). A sweep visits every
 * stride-th float bit pattern between two bounds, so the samples are dense in
 * every binade at once (small and large arguments alike), and reports the
 * worst error in ulps (vm_ulp_error). Each case prints what it measured, and
 * fails above the bound vmath.h states.
 */
#include "ckx.h"
#include "vmath.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define VM_MAX_ULP 2.0     /* the bound vmath.h states for every function */
#define SPARSE 997         /* stride of a sweep over a whole range: ~2 million samples */

typedef float (*VmFn)(float);
typedef double (*RefFn)(double);

static float vexp(float x) { return vm_expf(x); }
static float verf(float x) { return vm_erff(x); }
static float vsin(float x) { return vm_sinf(x); }
static float vcos(float x) { return vm_cosf(x); }
static float vlog(float x) { return vm_logf(x); }

static uint32_t bits_of(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float float_of(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

typedef struct {
    double worst;     /* largest error, ulps */
    float at;         /* where */
    long samples;
} Sweep;

/* Every stride-th float from lo to hi (lo <= hi, either sign): the worst
 * error of f against ref. Negative floats are visited from -0 down to lo,
 * positive ones from +0 (or lo) up to hi, by their bit patterns. */
static Sweep sweep(VmFn f, RefFn ref, float lo, float hi, uint32_t stride)
{
    Sweep s = { 0, 0, 0 };
    for (int neg = 1; neg >= 0; neg--) {
        if (neg ? !(lo < 0) : hi < 0) continue;
        float from = neg ? -0.0f : (lo > 0 ? lo : 0.0f), to = neg ? lo : hi;
        if (neg && hi < 0) from = hi;
        for (uint64_t u = bits_of(from); u <= bits_of(to); u += stride) {
            float x = float_of((uint32_t)u);
            double e = vm_ulp_error(f(x), ref((double)x));
            if (!(e <= s.worst)) { s.worst = e; s.at = x; }
            s.samples++;
        }
    }
    return s;
}

/* Sweep and fail above VM_MAX_ULP, with what was measured. */
static void check_sweep(const char *name, VmFn f, RefFn ref, float lo, float hi, uint32_t stride,
                        const char *hint)
{
    Sweep s = sweep(f, ref, lo, hi, stride);
    printf("vmath: %s on [%g, %g], %ld samples: max error %.3f ulp (at %.9g)\n", name, lo, hi, s.samples,
           s.worst, s.at);
    ck_assert_msg(s.worst <= VM_MAX_ULP,
                  "%s: error %.3g ulp at x = %.9g (%s = %.9g, correctly rounded %.9g); vmath.h promises <= %.0f "
                  "ulp. Hint: %s", name, s.worst, s.at, name, f(s.at), ref(s.at), VM_MAX_ULP, hint);
}

/* got must be exactly want (NaN: any NaN; zeros: the same sign if signed). */
static void check_exact(const char *what, float got, float want, int signed_zero)
{
    int same = isnan(want) ? isnan(got) : got == want && (!signed_zero || signbit(got) == signbit(want));
    ck_assert_msg(same, "%s: expected %g, got %g", what, want, got);
}

START_TEST(vmath_ulp_error)
{
    ckx_close(vm_ulp_error(1.0f, 1.0), 0, TOL_EXACT, "ulp error of 1 against 1", NULL);
    ckx_close(vm_ulp_error(nextafterf(1.0f, 2.0f), 1.0), 1, TOL_EXACT, "next float above 1 against 1", NULL);
    ckx_close(vm_ulp_error(1.0f, 1.0 + 0x1p-24), 0.5, TOL_EXACT, "1 against 1 + half an ulp", NULL);
    ckx_close(vm_ulp_error(0x1p-149f, 0.0), 1, TOL_EXACT, "smallest subnormal against 0", NULL);
    ckx_close(vm_ulp_error(NAN, NAN), 0, TOL_EXACT, "NaN against NaN", NULL);
    ck_assert(isinf(vm_ulp_error(1.0f, NAN)) && isinf(vm_ulp_error(INFINITY, 1.0)));
    ckx_close(vm_ulp_error(INFINITY, 1e300), 0, TOL_EXACT, "inf against a double beyond FLT_MAX", NULL);
}
END_TEST

START_TEST(vmath_exp)
{
    check_sweep("vm_expf", vexp, exp, -104.0f, 89.0f, SPARSE,
                "check the reduction x = n ln2 + r (both parts of ln2) and the scaling by 2^n");
    check_sweep("vm_expf", vexp, exp, -1.0f, 1.0f, 601, "check the polynomial for e^r");
    check_exact("exp 0", vm_expf(0.0f), 1.0f, 0);
    check_exact("exp -inf", vm_expf(-INFINITY), 0.0f, 0);
    check_exact("exp +inf", vm_expf(INFINITY), INFINITY, 0);
    check_exact("exp 89 (overflows)", vm_expf(89.0f), INFINITY, 0);
    check_exact("exp -104 (underflows)", vm_expf(-104.0f), 0.0f, 0);
    check_exact("exp NaN", vm_expf(NAN), NAN, 0);
    check_exact("exp(-100), a subnormal", vm_expf(-100.0f), (float)exp(-100.0), 0);
}
END_TEST

START_TEST(vmath_erf)
{
    check_sweep("vm_erff", verf, erf, -4.5f, 4.5f, SPARSE, "check both pieces, x + x T(x^2) and 1 - exp(Q(|x|))");
    check_sweep("vm_erff", verf, erf, 0.8f, 1.0f, 7, "check the switch between the two pieces at 0.9");
    check_exact("erf 0", vm_erff(0.0f), 0.0f, 1);
    check_exact("erf -0", vm_erff(-0.0f), -0.0f, 1);
    check_exact("erf 10", vm_erff(10.0f), 1.0f, 0);
    check_exact("erf -inf", vm_erff(-INFINITY), -1.0f, 0);
    check_exact("erf NaN", vm_erff(NAN), NAN, 0);
    for (float x = 0.05f; x < 5.0f; x += 0.37f)
        ck_assert_msg(vm_erff(-x) == -vm_erff(x), "erf must be odd: erf(-%g) = %g, erf(%g) = %g", x, vm_erff(-x), x,
                      vm_erff(x));
}
END_TEST

START_TEST(vmath_sin_cos)
{
    const char *hint = "check the reduction x = j pi/2 + r and the quadrant's choice and sign";
    check_sweep("vm_sinf", vsin, sin, -VM_TRIG_MAX, VM_TRIG_MAX, SPARSE, hint);
    check_sweep("vm_cosf", vcos, cos, -VM_TRIG_MAX, VM_TRIG_MAX, SPARSE, hint);
    check_sweep("vm_sinf", vsin, sin, -3.5f, 3.5f, 1009, hint);
    check_sweep("vm_cosf", vcos, cos, -3.5f, 3.5f, 1009, hint);
    check_exact("sin 0", vm_sinf(0.0f), 0.0f, 0);
    check_exact("cos 0", vm_cosf(0.0f), 1.0f, 0);
    check_exact("sin inf", vm_sinf(INFINITY), NAN, 0);
    check_exact("cos -inf", vm_cosf(-INFINITY), NAN, 0);
    check_exact("sin NaN", vm_sinf(NAN), NAN, 0);
    check_exact("sin beyond VM_TRIG_MAX", vm_sinf(nextafterf(VM_TRIG_MAX, INFINITY)), NAN, 0);
    check_exact("cos beyond -VM_TRIG_MAX", vm_cosf(-2 * VM_TRIG_MAX), NAN, 0);
}
END_TEST

START_TEST(vmath_log)
{
    check_sweep("vm_logf", vlog, log, 0.0f, 3.4028235e38f, SPARSE,
                "check x = 2^k m (subnormals scaled first), both parts of ln2 and the polynomial");
    check_sweep("vm_logf", vlog, log, 0.5f, 2.0f, 17, "check log(1 + f) near f = 0");
    check_exact("log 1", vm_logf(1.0f), 0.0f, 0);
    check_exact("log 0", vm_logf(0.0f), -INFINITY, 0);
    check_exact("log -0", vm_logf(-0.0f), -INFINITY, 0);
    check_exact("log -1", vm_logf(-1.0f), NAN, 0);
    check_exact("log inf", vm_logf(INFINITY), INFINITY, 0);
    check_exact("log NaN", vm_logf(NAN), NAN, 0);
}
END_TEST

/* vm_*_n, compiled in vmath.c (vectorised), give the inline functions' bits,
 * in place too. */
START_TEST(vmath_arrays)
{
    enum { N = 1000 };
    float x[N], y[N], z[N];
    void (*arr[5])(float *, const float *, int) = { vm_exp_n, vm_erf_n, vm_sin_n, vm_cos_n, vm_log_n };
    VmFn one[5] = { vexp, verf, vsin, vcos, vlog };
    const char *name[5] = { "vm_exp_n", "vm_erf_n", "vm_sin_n", "vm_cos_n", "vm_log_n" };
    for (int f = 0; f < 5; f++) {
        for (int i = 0; i < N; i++) x[i] = (f == 4 ? 0.0f : -50.0f) + 0.1003f * (float)i;
        arr[f](y, x, N);
        memcpy(z, x, sizeof z);
        arr[f](z, z, N);
        for (int i = 0; i < N; i++) {
            float want = one[f](x[i]);
            ck_assert_msg(bits_of(y[i]) == bits_of(want) && bits_of(z[i]) == bits_of(want),
                          "%s at x = %.9g: %.9g (in place %.9g), the inline function gives %.9g", name[f], x[i],
                          y[i], z[i], want);
        }
    }
}
END_TEST

/* vm_sincos_n: vm_sinf's and vm_cosf's bits within VM_TRIG_MAX, the C
 * library's beyond (a number for every finite x), NaN for NaN and ±inf. */
START_TEST(vmath_sincos_array)
{
    enum { N = 1003 };
    static float x[N], s[N], c[N];
    for (int i = 0; i < N; i++) x[i] = -40000.0f + 80.0f * (float)i;
    x[0] = NAN; x[1] = INFINITY; x[2] = VM_TRIG_MAX; x[3] = -nextafterf(VM_TRIG_MAX, INFINITY);
    vm_sincos_n(s, c, x, N);
    for (int i = 0; i < N; i++) {
        const int in = fabsf(x[i]) <= VM_TRIG_MAX;
        const float ws = in ? vm_sinf(x[i]) : sinf(x[i]), wc = in ? vm_cosf(x[i]) : cosf(x[i]);
        ck_assert_msg(bits_of(s[i]) == bits_of(ws) && bits_of(c[i]) == bits_of(wc),
                      "vm_sincos_n at x = %.9g: (%.9g, %.9g), want (%.9g, %.9g)%s", x[i], s[i], c[i], ws, wc,
                      in ? " (vm_sinf, vm_cosf)" : " (beyond VM_TRIG_MAX: sinf, cosf)");
        if (isfinite(x[i])) ck_assert_msg(isfinite(s[i]) && isfinite(c[i]), "vm_sincos_n(%.9g) not finite", x[i]);
    }
}
END_TEST

Suite *make_vmath_suite(void)
{
    Suite *s = suite_create("vmath");
    TCase *tc = ckx_tcase(s, "vmath", 30);
    tcase_add_test(tc, vmath_ulp_error);
    tcase_add_test(tc, vmath_exp);
    tcase_add_test(tc, vmath_erf);
    tcase_add_test(tc, vmath_sin_cos);
    tcase_add_test(tc, vmath_log);
    tcase_add_test(tc, vmath_arrays);
    tcase_add_test(tc, vmath_sincos_array);
    return s;
}
