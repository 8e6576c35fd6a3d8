/* blas.c — see blas.h. */
#include "blas.h"

#ifdef BENCH_OPENBLAS
#include <cblas.h>
#include <stdio.h>

const char *blas_name(void)
{
    static char name[96];
    if (!name[0]) {
        openblas_set_num_threads(1);
        snprintf(name, sizeof name, "OpenBLAS, %s kernels", openblas_get_corename());
    }
    return name;
}

/* Row-major C = op(A)·op(B) with α = 1, β = 0; the leading dimensions are
 * the stored row lengths (linalg.h's shapes). */
void blas_sgemm(int variant, float *C, const float *A, const float *B, int M, int K, int N)
{
    switch (variant) {
    case 0: cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, A, K, B, N, 0.0f, C, N); break;
    case 1: cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, A, K, B, K, 0.0f, C, N); break;
    case 2: cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, M, N, K, 1.0f, A, M, B, N, 0.0f, C, N); break;
    default: break;
    }
}
#else
const char *blas_name(void) { return 0; }

void blas_sgemm(int variant, float *C, const float *A, const float *B, int M, int K, int N)
{
    (void)variant; (void)C; (void)A; (void)B; (void)M; (void)K; (void)N;
}
#endif
