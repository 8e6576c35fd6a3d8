/* rng.c — see rng.h. */
#include "rng.h"

#include <math.h>

/* splitmix64 turns any seed (0 included) into well-mixed state words. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void rng_seed(Rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
    r->has_spare = 0;
    r->spare = 0.0;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_u64(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

Rng rng_split(Rng *r)
{
    Rng child;
    rng_seed(&child, rng_u64(r));
    return child;
}

double rng_uniform(Rng *r) { return (double)(rng_u64(r) >> 11) * 0x1.0p-53; }

double rng_uniform_range(Rng *r, double lo, double hi) { return lo + (hi - lo) * rng_uniform(r); }

/* Box–Muller: two uniforms give two independent normals; keep the second. */
double rng_normal(Rng *r)
{
    if (r->has_spare) { r->has_spare = 0; return r->spare; }
    double u1 = 1.0 - rng_uniform(r);   /* (0, 1]: log is finite */
    double u2 = rng_uniform(r);
    double rad = sqrt(-2.0 * log(u1));
    r->spare = rad * sin(2.0 * M_PI * u2);
    r->has_spare = 1;
    return rad * cos(2.0 * M_PI * u2);
}

/* Rejection on the top of the 64-bit range removes modulo bias. */
int rng_int(Rng *r, int n)
{
    uint64_t un = (uint64_t)(n > 0 ? n : 1);
    uint64_t limit = UINT64_MAX - UINT64_MAX % un;
    uint64_t x;
    do x = rng_u64(r); while (x >= limit);
    return (int)(x % un);
}

int rng_categorical(Rng *r, const double *p, int n)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) total += p[i];
    double u = rng_uniform(r) * total, acc = 0.0;
    for (int i = 0; i < n; i++) {
        acc += p[i];
        if (u < acc) return i;
    }
    for (int i = n - 1; i > 0; i--) if (p[i] > 0) return i;   /* rounding at the top end */
    return 0;
}

int rng_categoricalf(Rng *r, const float *p, int n)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) total += p[i];
    double u = rng_uniform(r) * total, acc = 0.0;
    for (int i = 0; i < n; i++) {
        acc += p[i];
        if (u < acc) return i;
    }
    for (int i = n - 1; i > 0; i--) if (p[i] > 0) return i;
    return 0;
}

/* Fisher–Yates. */
void rng_shuffle(Rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(r, i + 1);
        int t = a[i]; a[i] = a[j]; a[j] = t;
    }
}
