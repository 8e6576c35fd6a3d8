/* blas — OpenBLAS's sgemm for the benchmark's comparison column.
 *
 * Only build/bin/bench links OpenBLAS, and only when the Makefile finds
 * Debian's libopenblas-dev (pkg-config openblas; it then defines
 * BENCH_OPENBLAS): the course itself never depends on it. Without it,
 * blas_name() is NULL and the benchmark prints "-" in that column.
 */
#ifndef BENCH_BLAS_H
#define BENCH_BLAS_H

/* "OpenBLAS 0.3.21, SkylakeX kernels", or NULL when the bench was built
 * without OpenBLAS. The first call also sets OpenBLAS to one thread. */
const char *blas_name(void);

/* C (M, N) = the product `variant` computes, as mat_mul_ab (0), mat_mul_abt (1)
 * or mat_mul_atb (2) of linalg.h with accumulate = 0, through cblas_sgemm.
 * Does nothing when blas_name() is NULL. */
void blas_sgemm(int variant, float *C, const float *A, const float *B, int M, int K, int N);

#endif
