/* rng — seeded, reproducible random numbers.
 *
 * Every random draw in the course comes from an Rng passed explicitly; there is
 * no global state, no rand(), no time-based seed. The generator is xoshiro256**
 * (Blackman & Vigna 2018), seeded through splitmix64, so a seed gives the same
 * integer stream on every machine and compiler. Floating-point draws are built
 * from those integers with the C library's log/sqrt/cos (Box–Muller), which
 * agree across glibc versions to the last bit or nearly so.
 *
 * An Rng is a small value: copy it to replay a stream, or rng_split() to give a
 * sub-task (one run of many) its own independent stream.
 */
#ifndef RNG_H
#define RNG_H
#include <stdint.h>

typedef struct {
    uint64_t s[4];       /* xoshiro256** state; never all zero */
    double spare;        /* second normal of the last Box–Muller pair */
    int has_spare;       /* 1 if spare holds an unused normal */
} Rng;

void     rng_seed(Rng *r, uint64_t seed);                 /* same seed, same stream */
Rng      rng_split(Rng *r);                               /* independent child stream; advances r */
uint64_t rng_u64(Rng *r);                                 /* 64 uniform random bits */
double   rng_uniform(Rng *r);                             /* U[0, 1), 53-bit resolution */
double   rng_uniform_range(Rng *r, double lo, double hi); /* U[lo, hi) */
double   rng_normal(Rng *r);                              /* N(0, 1) */
int      rng_int(Rng *r, int n);                          /* uniform on {0..n-1}, unbiased; n >= 1 */
int      rng_categorical(Rng *r, const double *p, int n); /* i with probability p[i] / sum(p) */
int      rng_categoricalf(Rng *r, const float *p, int n); /* the same for float weights */
void     rng_shuffle(Rng *r, int *a, int n);              /* uniform random permutation in place */

#endif
