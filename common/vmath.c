/* vmath.c — see vmath.h. The array forms are plain loops over the inline
 * functions: the compiler turns each into vector code (check with
 * -fopt-info-vec: "loop vectorized").
 */
#include "vmath.h"

#include <math.h>

void vm_exp_n(float *y, const float *x, int n)
{
    for (int i = 0; i < n; i++) y[i] = vm_expf(x[i]);
}

void vm_erf_n(float *y, const float *x, int n)
{
    for (int i = 0; i < n; i++) y[i] = vm_erff(x[i]);
}

void vm_sin_n(float *y, const float *x, int n)
{
    for (int i = 0; i < n; i++) y[i] = vm_sinf(x[i]);
}

void vm_cos_n(float *y, const float *x, int n)
{
    for (int i = 0; i < n; i++) y[i] = vm_cosf(x[i]);
}

/* vm_sinf and vm_cosf inline side by side: the compiler computes their
 * common argument reduction once. The rare argument beyond VM_TRIG_MAX is
 * redone by the C library in a second pass, which keeps the first branch-free. */
void vm_sincos_n(float *restrict s, float *restrict c, const float *restrict x, int n)
{
    for (int i = 0; i < n; i++) {
        s[i] = vm_sinf(x[i]);
        c[i] = vm_cosf(x[i]);
    }
    for (int i = 0; i < n; i++)
        if (!(fabsf(x[i]) <= VM_TRIG_MAX)) {
            s[i] = sinf(x[i]);
            c[i] = cosf(x[i]);
        }
}

void vm_log_n(float *y, const float *x, int n)
{
    for (int i = 0; i < n; i++) y[i] = vm_logf(x[i]);
}

/* The spacing of floats at |exact| rounded to float: 2^(e − 23) for a
 * normal float in [2^e, 2^(e+1)), 2^−149 below the smallest normal. */
double vm_ulp_error(float got, double exact)
{
    if (isnan(exact) || isnan(got)) return isnan(exact) && isnan(got) ? 0.0 : INFINITY;
    float e = (float)exact;
    if (isinf(got) || isinf(e)) return (double)got == (double)e ? 0.0 : INFINITY;
    int ex;
    frexp(fabs((double)e), &ex);                         /* |e| in [2^(ex−1), 2^ex) */
    double ulp = e == 0.0f ? 0x1p-149 : ldexp(1.0, ex - 24);
    if (ulp < 0x1p-149) ulp = 0x1p-149;
    return fabs((double)got - exact) / ulp;
}
