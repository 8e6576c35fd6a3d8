/* bench — speed figures for the kernels the course lives on (`make bench`).
 *
 *   make bench                     every section, full timing (~1 min)
 *   make bench ARGS=--quick        short timing and smaller sizes (a smoke test)
 *   make bench ARGS="--only matmul"
 *   make bench ARGS="--only mlp"
 *   make bench-torch               the MLP workloads here and in PyTorch, side by side
 *
 * The program is a list of sections (see `sections` at the bottom); each is one
 * function that prints its own lines of the table. To add a figure, write a
 * section function and add it to the list. All timing goes through
 * time_per_call(): run the code in a loop until a round lasts long enough,
 * then several rounds, and report the median and the range of the seconds
 * per call. Time is the CPU time of the thread, not the wall clock: on a
 * machine shared with other work, the moments another process holds the core
 * do not count (its effect on the caches still does, hence the range).
 * Input data come from a fixed seed. A section that finds a wrong result
 * (e.g. the matmul check column) calls bench_fail(), and the program then
 * exits 1 after printing everything.
 *
 * Every GFLOP/s figure is also given as a share of the measured single-core
 * peak (the first section): what fraction of the arithmetic the core could do
 * in that time the code actually did.
 *
 * For `make bench-torch` (bench/torch/), the MLP workloads are also a
 * registry: `--list-workloads` prints each one's definition (the PyTorch twin
 * builds exactly that), `--workload NAME` times one and prints one line of
 * key=value pairs, `--peak` prints the peak alone; `--write-data FILE` writes
 * the diffusion workloads' data set for the PyTorch twin to read.
 */
#include "ac.h"
#include "blas.h"
#include "cartpole.h"
#include "conv.h"
#include "ddim.h"
#include "dp.h"
#include "denoiser.h"
#include "dqn.h"
#include "eplog.h"
#include "gridworld.h"
#include "linalg.h"
#include "metrics.h"
#include "mlp.h"
#include "pg.h"
#include "progress.h"
#include "rng.h"
#include "vmath.h"
#include "zoo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_SEED 1

typedef struct {
    int quick;            /* --quick: short rounds, smaller sizes */
    int rounds;           /* timing rounds per figure (median and range over them) */
    double round_s;       /* minimum length of one timing round, CPU seconds */
    double once_s;        /* a single call longer than this is timed once, not in rounds */
} BenchOpts;

/* ---------------------------------------------------------------- timing */

/* Seconds per call: the median, fastest and slowest of the timing rounds. */
typedef struct {
    double med, lo, hi;
} Timing;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Seconds per call of fn(ctx), in CPU time of this thread: o->rounds rounds
 * of `calls` calls each, a round lasting at least o->round_s. The number of
 * calls comes from the warm-up call's time, rescaled from the last round's
 * while a round is still too short (such a round is not counted). A warm-up
 * call that already takes o->once_s is the answer by itself. */
static Timing time_per_call(void (*fn)(void *), void *ctx, const BenchOpts *o)
{
    double t0 = progress_thread_cpu();
    fn(ctx);                                      /* warm-up: caches, page faults */
    double first = progress_thread_cpu() - t0;
    if (first >= o->once_s) return (Timing){ first, first, first };

    double guess = o->round_s / (first > 1e-9 ? first : 1e-9);
    long calls = guess < 1 ? 1 : guess > 1e9 ? 1000000000L : (long)guess;
    double per[16];
    int n = 0;
    while (n < o->rounds && n < 16) {
        t0 = progress_thread_cpu();
        for (long c = 0; c < calls; c++) fn(ctx);
        double dt = progress_thread_cpu() - t0;
        if (dt >= o->round_s) { per[n++] = dt / (double)calls; continue; }
        double scale = dt > 0 ? 1.2 * o->round_s / dt : 2.0;   /* aim a little past round_s */
        double next = (double)calls * scale + 1;
        calls = next > 1e9 ? 1000000000L : (long)next;
    }
    qsort(per, (size_t)n, sizeof per[0], cmp_double);
    return (Timing){ n % 2 ? per[n / 2] : 0.5 * (per[n / 2 - 1] + per[n / 2]), per[0], per[n - 1] };
}

static int failures;   /* wrong results seen by any section */

/* Record a wrong result: the run goes on, the exit status becomes 1. */
static void bench_fail(void) { failures++; }

static void *xmalloc(size_t bytes, const char *what)
{
    void *p = malloc(bytes);
    if (!p) {
        fprintf(stderr, "bench: out of memory allocating %zu bytes for %s\n", bytes, what);
        exit(1);
    }
    return p;
}

/* ---------------------------------------------------------------- section: the peak
 *
 * The single-core FP32 peak: a loop of independent fused multiply-adds on
 * registers only, at the vector width the library's kernels use (linalg.h,
 * mat_vector_floats). 12 accumulators: enough to cover the FMA latency (4
 * cycles) on two FMA units, and they fit the 16 registers of AVX2. The loop
 * body is acc = acc·m + a, which stays near 1 forever (no overflow, no
 * denormals). GCC fuses a·b + c into one FMA only with fp-contract=fast, set
 * for this one function; Clang fuses within an expression by default. */

#if defined(__AVX512F__) && !defined(LINALG_PORTABLE)
#define PEAK_VL 16
#elif defined(__AVX__) && !defined(LINALG_PORTABLE)
#define PEAK_VL 8
#else
#define PEAK_VL 4
#endif
#define PEAK_ACC 12

static double peak_gflops;    /* measured once, before the first section */

#if defined(__GNUC__)
typedef float peak_vf __attribute__((vector_size(PEAK_VL * 4)));

typedef struct {
    long iters;
    float sink;
} PeakCtx;

#if !defined(__clang__)
__attribute__((optimize("fp-contract=fast")))
#endif
static void run_fma_loop(void *ctx)
{
    PeakCtx *c = ctx;
    volatile float seed = 1.0f;
    peak_vf acc[PEAK_ACC];
    const peak_vf m = (peak_vf){ 0 } + 0.999999f, a = (peak_vf){ 0 } + 1e-6f;
    for (int q = 0; q < PEAK_ACC; q++) acc[q] = (peak_vf){ 0 } + seed * (float)q;
    for (long i = 0; i < c->iters; i++)
        for (int q = 0; q < PEAK_ACC; q++) acc[q] = acc[q] * m + a;
    float s = 0;
    for (int q = 0; q < PEAK_ACC; q++) s += acc[q][0];
    c->sink = s;
}

/* GFLOP/s of the FMA loop: median, and the range, over the timing rounds. */
static Timing measure_peak(const BenchOpts *o)
{
    PeakCtx c = { 100000, 0 };
    Timing t = time_per_call(run_fma_loop, &c, o);
    double flops = 2.0 * PEAK_VL * PEAK_ACC * (double)c.iters;
    return (Timing){ flops / t.med * 1e-9, flops / t.hi * 1e-9, flops / t.lo * 1e-9 };
}
#else
static Timing measure_peak(const BenchOpts *o)
{
    (void)o;
    return (Timing){ NAN, NAN, NAN };
}
#endif

/* "87%" of the peak, or "-" when it is unknown. */
static const char *of_peak(double gflops, char buf[16])
{
    if (!(peak_gflops > 0) || !isfinite(gflops)) return "-";
    snprintf(buf, 16, "%.0f%%", 100.0 * gflops / peak_gflops);
    return buf;
}

static void bench_peak(const BenchOpts *o)
{
    Timing p = measure_peak(o);
    peak_gflops = p.med;
    printf("== single-core FP32 peak: %d-float (%d-bit) fused multiply-adds on registers, one thread\n",
           PEAK_VL, 32 * PEAK_VL);
    printf("  %.1f GFLOP/s (median of %d rounds; range %.1f-%.1f); every GFLOP/s below is also given as a share of it\n",
           p.med, o->rounds, p.lo, p.hi);
    printf("  library kernel path: %s (%d floats per vector)\n\n", mat_kernel_path(), mat_vector_floats());
    if (mat_vector_floats() != PEAK_VL)
        printf("  note: the peak loop uses %d-float vectors, the library %d: the shares below are against another width\n\n",
               PEAK_VL, mat_vector_floats());
}

/* ---------------------------------------------------------------- section: matrix products */

typedef void (*MatMulFn)(float *restrict, const float *restrict, const float *restrict,
                         int, int, int, int);

typedef struct {
    const char *name;     /* as printed */
    MatMulFn fast, naive;
} MatMulVariant;

static const MatMulVariant variants[] = {
    { "A*B",   mat_mul_ab,  mat_mul_ab_naive },
    { "A*B^T", mat_mul_abt, mat_mul_abt_naive },
    { "A^T*B", mat_mul_atb, mat_mul_atb_naive },
};

typedef struct {
    MatMulFn fn;          /* NULL: OpenBLAS */
    int variant;          /* 0, 1, 2 as variants[] */
    float *C;             /* (M, N) */
    const float *A, *B;   /* as stored: (M, K) or (K, M); (K, N) or (N, K) */
    int M, K, N;
} MatMulCall;

static void run_matmul(void *ctx)
{
    MatMulCall *c = ctx;
    if (c->fn) c->fn(c->C, c->A, c->B, c->M, c->K, c->N, 0);
    else blas_sgemm(c->variant, c->C, c->A, c->B, c->M, c->K, c->N);
}

/* max |C − exact| over a sample of entries (all of them for a small C), the
 * exact value summed in double from the stored operands as variant v reads them. */
static double check_product(int v, const float *C, const float *A, const float *B, int M, int K, int N, Rng *rng)
{
    long total = (long)M * N, n = total < 4096 ? total : 4096;
    double worst = 0;
    for (long s = 0; s < n; s++) {
        long e = total < 4096 ? s : (long)(rng_u64(rng) % (uint64_t)total);
        int i = (int)(e / N), j = (int)(e % N);
        double want = 0;
        for (int k = 0; k < K; k++) {
            double a = v == 2 ? A[(size_t)k * M + i] : A[(size_t)i * K + k];
            double b = v == 1 ? B[(size_t)j * K + k] : B[(size_t)k * N + j];
            want += a * b;
        }
        double d = fabs((double)C[e] - want);
        worst = isnan(d) ? INFINITY : fmax(worst, d);
    }
    return worst;
}

/* GFLOP/s from seconds per call: median, and the range (fastest round first). */
static Timing rate(double flops, Timing t)
{
    return (Timing){ flops / t.med * 1e-9, flops / t.hi * 1e-9, flops / t.lo * 1e-9 };
}

/* The library against OpenBLAS: it should reach this share of OpenBLAS's
 * GFLOP/s at one thread on the shapes marked (issue 8). */
#define TARGET_OF_BLAS 0.90

static void bench_matmul(const BenchOpts *o)
{
    /* M x K x N: an MLP layer at batch 256; a big square; the layers of a
     * CartPole-sized MLP (4 -> 64 -> 64 -> 2) at batch 64, and a one-sample
     * forward (a matrix-vector product). The first two carry the target. */
    int big = o->quick ? 256 : 1024;
    const int shapes[][3] = {
        { 256, 128, 128 }, { big, big, big }, { 64, 4, 64 }, { 64, 64, 64 },
        { 64, 64, 2 }, { 1, 64, 64 },
    };
    const int nshapes = (int)(sizeof shapes / sizeof shapes[0]);
    const char *blas = blas_name();
    char pct[16];

    printf("== matrix products: GFLOP/s = 2*M*K*N / time, one thread, median of %d rounds (range); %%: of the peak\n",
           o->rounds);
    printf("   library = mat_mul_* (%s path); OpenBLAS = cblas_sgemm (%s);\n", mat_kernel_path(),
           blas ? blas : "not built in: install libopenblas-dev to compare");
    printf("   naive = mat_mul_*_naive (shapes up to 64^3); check = max |library - exact| on up to 4096 entries\n\n");
    printf("  %-18s %-6s %20s %5s %9s %8s %8s %9s  %s\n", "M x K x N", "C =", "library (range)", "%",
           "OpenBLAS", "lib/BLAS", "naive", "check", "target");

    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    for (int s = 0; s < nshapes; s++) {
        int M = shapes[s][0], K = shapes[s][1], N = shapes[s][2];
        size_t na = (size_t)M * K, nb = (size_t)K * N, nc = (size_t)M * N;
        float *A = xmalloc(na * sizeof *A, "A");
        float *B = xmalloc(nb * sizeof *B, "B");
        float *C = xmalloc(nc * sizeof *C, "C");
        float *R = xmalloc(nc * sizeof *R, "the reference results");
        for (size_t i = 0; i < na; i++) A[i] = (float)rng_normal(&rng);
        for (size_t i = 0; i < nb; i++) B[i] = (float)rng_normal(&rng);
        double flops = 2.0 * M * K * N;
        const int targeted = s < 2 && !o->quick;
        char shape[32];
        snprintf(shape, sizeof shape, "%d x %d x %d", M, K, N);

        for (int v = 0; v < (int)(sizeof variants / sizeof variants[0]); v++) {
            MatMulCall fast = { variants[v].fast, v, C, A, B, M, K, N };
            Timing g = rate(flops, time_per_call(run_matmul, &fast, o));
            double diff = check_product(v, C, A, B, M, K, N, &rng);
            int wrong = !(diff <= 1e-4 * sqrt(K));   /* the test suite's tolerance */
            if (wrong) bench_fail();

            char blas_col[16] = "-", ratio_col[16] = "-", naive_col[16] = "-", target[40] = "";
            if (blas) {
                MatMulCall ref = { NULL, v, R, A, B, M, K, N };
                Timing b = rate(flops, time_per_call(run_matmul, &ref, o));
                snprintf(blas_col, sizeof blas_col, "%.1f", b.med);
                snprintf(ratio_col, sizeof ratio_col, "%.2f", g.med / b.med);
                if (targeted)
                    snprintf(target, sizeof target, ">= %.2f x OpenBLAS %s", TARGET_OF_BLAS,
                             g.med >= TARGET_OF_BLAS * b.med ? "met" : "MISSED");
            }
            if (flops <= 2.0 * 64 * 64 * 64) {
                MatMulCall naive = { variants[v].naive, v, R, A, B, M, K, N };
                snprintf(naive_col, sizeof naive_col, "%.2f", rate(flops, time_per_call(run_matmul, &naive, o)).med);
            }
            char lib_col[32];
            snprintf(lib_col, sizeof lib_col, "%.1f (%.0f-%.0f)", g.med, g.lo, g.hi);
            printf("  %-18s %-6s %20s %5s %9s %8s %8s %9.1e  %s%s\n", v == 0 ? shape : "", variants[v].name, lib_col,
                   of_peak(g.med, pct), blas_col, ratio_col, naive_col, diff, target, wrong ? "  MISMATCH" : "");
        }
        free(A); free(B); free(C); free(R);
    }
    printf("\n");
}

/* ---------------------------------------------------------------- section: vmath
 *
 * The vectorisable transcendental functions of common/vmath.h, as arrays
 * (vm_exp_n, ...) of 4096 floats (in L1), against a loop over the C
 * library's float function. The diffusion chapters' tiny-diffusion job makes
 * about 8e8 erf (exact GELU), 8e8 exp and 2e8 sin/cos evaluations (COURSE.md);
 * the last line is what those cost at these rates. Accuracy is tested, not
 * benchmarked: tests/test_vmath.c. */

typedef struct {
    const char *name;
    void (*vm)(float *, const float *, int);
    float (*libm)(float);
    float lo, hi;          /* the arguments: evenly spaced in [lo, hi] */
} VmathRow;

typedef struct {
    const VmathRow *row;
    int use_libm;
    float *y;
    const float *x;
    int n;
} VmathCtx;

static void run_vmath(void *ctx)
{
    VmathCtx *c = ctx;
    if (!c->use_libm) { c->row->vm(c->y, c->x, c->n); return; }
    for (int i = 0; i < c->n; i++) c->y[i] = c->row->libm(c->x[i]);
}

static void bench_vmath(const BenchOpts *o)
{
    static const VmathRow rows[] = {
        { "exp", vm_exp_n, expf, -10, 10 },  { "erf", vm_erf_n, erff, -4, 4 },
        { "sin", vm_sin_n, sinf, -100, 100 }, { "cos", vm_cos_n, cosf, -100, 100 },
        { "log", vm_log_n, logf, 1e-3f, 100 },
    };
    enum { N = 4096 };
    float *x = xmalloc(N * sizeof *x, "arguments"), *y = xmalloc(N * sizeof *y, "results");
    double ns[5][2];
    printf("== vmath (common/vmath.h): ns per element over arrays of %d, one thread, median of %d rounds\n", N, o->rounds);
    printf("  %-6s %16s %14s %10s %14s\n", "f(x)", "x in", "vm_*_n ns", "libm ns", "speed-up");
    for (int r = 0; r < 5; r++) {
        for (int i = 0; i < N; i++) x[i] = rows[r].lo + (rows[r].hi - rows[r].lo) * (float)i / (N - 1);
        for (int lib = 0; lib < 2; lib++) {
            VmathCtx c = { &rows[r], lib, y, x, N };
            ns[r][lib] = 1e9 * time_per_call(run_vmath, &c, o).med / N;
        }
        char range[32];
        snprintf(range, sizeof range, "[%g, %g]", rows[r].lo, rows[r].hi);
        printf("  %-6s %16s %14.3f %10.3f %13.1fx\n", rows[r].name, range, ns[r][0], ns[r][1], ns[r][1] / ns[r][0]);
    }
    /* 8e8 erf, 8e8 exp, 2e8 sin/cos (half of each) */
    double job[2];
    for (int lib = 0; lib < 2; lib++) job[lib] = 1e-9 * (8e8 * ns[1][lib] + 8e8 * ns[0][lib] + 1e8 * (ns[2][lib] + ns[3][lib]));
    printf("  tiny-diffusion's 8e8 erf + 8e8 exp + 2e8 sin/cos: %.2f s with vmath, %.2f s with the C library\n\n", job[0],
           job[1]);
    free(x); free(y);
}

/* ------------------------------------------------------ value iteration
 *
 * Chapter 01's synchronous value-iteration sweep on the book's grid worlds:
 * one sweep is S*A*S' multiply-adds over the dense model. */

typedef struct {
    const Mdp *m;
    double *V, *W;
} SweepCtx;

static void run_sweep(void *ctx)
{
    SweepCtx *c = ctx;
    dp_value_iteration_sweep(c->m, c->V, c->W);
    double *t = c->V; c->V = c->W; c->W = t;
}

static void bench_value_iteration(const BenchOpts *o)
{
    printf("== gridworld value iteration (chapter 01, dp_value_iteration_sweep)\n");
    printf("  %-28s %8s %14s %12s\n", "MDP", "states", "sweeps/s", "us/sweep");
    Mdp *(*make[2])(void) = { gw_example_3_5, gw_cliff };
    for (int i = 0; i < 2; i++) {
        Mdp *m = make[i]();
        double *V = m ? calloc(2 * (size_t)m->n_states, sizeof *V) : NULL;
        if (!V) { fprintf(stderr, "bench: out of memory\n"); exit(1); }
        SweepCtx c = { m, V, V + m->n_states };
        double t = time_per_call(run_sweep, &c, o).med;
        printf("  %-28s %8d %14.0f %12.2f\n", m->name, m->n_states, 1.0 / t, 1e6 * t);
        free(V);
        mdp_free(m);
    }
    printf("\n");
}

/* ---------------------------------------------------------------- MLP training
 *
 * Chapter 04's network (mlp.h), as chapters 05–15 use it. One training step
 * is what a training loop does: forward (NN_TRAIN), the loss gradient (MSE
 * against fixed random targets), zero the gradients, backward (no input
 * gradient), one Adam step (lr 1e-4, β 0.9, 0.999, ε 1e-8) over the flat
 * parameter block. The shapes: a DQN Q-network for CartPole (4 inputs, 2
 * actions) and a 2-D diffusion denoiser (a point and a 32-dimensional time
 * embedding in, the predicted noise out); and the Q-network's forward pass on
 * one observation (acting). Effective GFLOP/s counts the matrix products
 * only: 2·B·in·out per layer forward, as much again for dW, and once more for
 * the input gradient of every layer but the first. Check: the loss after the
 * timed steps is finite and below its starting value (Adam on a fixed batch
 * must make progress).
 *
 * These rows are the registry `make bench-torch` reads (--list-workloads):
 * its PyTorch twin builds each network from the printed definition, and the
 * target is the speed-up over PyTorch it should reach (issue 8). */

#define BENCH_LR 1e-4f

typedef struct {
    const char *name;     /* --workload NAME, and bench/torch/'s key */
    const char *role;     /* as printed */
    MlpSpec spec;
    int batch;            /* B */
    int step;             /* 1: a training step; 0: one forward pass (NN_EVAL) */
    double torch_ratio;   /* target: at least this many times PyTorch's rate; 0: none */
    double peak_share;    /* ... or at least this share of the peak; 0: none */
} MlpWorkload;

#define DQN_NET { .n_layers = 3, .sizes = { 4, 64, 64, 2 }, .act = NN_RELU }
#define DENOISER_NET(a) { .n_layers = 4, .sizes = { 34, 128, 128, 128, 2 }, .act = (a) }

static const MlpWorkload workloads[] = {
    { "dqn-step", "DQN", DQN_NET, 64, 1, 10, 0 },
    { "denoiser-step", "denoiser", DENOISER_NET(NN_RELU), 256, 1, 3, 0.70 },
    { "denoiser-step-gelu", "denoiser", DENOISER_NET(NN_GELU), 256, 1, 0, 0 },
    { "denoiser-step-tanh", "denoiser", DENOISER_NET(NN_TANH), 256, 1, 0, 0 },
    { "dqn-act", "DQN act()", DQN_NET, 1, 0, 30, 0 },
};
static const int nworkloads = (int)(sizeof workloads / sizeof workloads[0]);

/* Floating-point operations of the matrix products of one call (see above). */
static double workload_flops(const MlpWorkload *w)
{
    double fwd = 0, dx = 0;
    for (int l = 0; l < w->spec.n_layers; l++) {
        double layer = 2.0 * w->batch * w->spec.sizes[l] * w->spec.sizes[l + 1];
        fwd += layer;
        if (l > 0) dx += layer;
    }
    return w->step ? 2 * fwd + dx : fwd;
}

typedef struct {
    Mlp *net;
    Optim *opt;
    const float *x, *target;   /* (B, in), (B, out) */
    float *dout;               /* (B, out) */
    int B;
    float loss;
} MlpStepCtx;

static void run_mlp_step(void *ctx)
{
    MlpStepCtx *c = ctx;
    const int out = c->net->spec.sizes[c->net->spec.n_layers];
    const float *y = mlp_forward(c->net, c->x, c->B, NN_TRAIN);
    c->loss = nn_mse(c->dout, y, c->target, c->B, out);
    mlp_zero_grad(c->net);
    mlp_backward(c->net, c->dout, NULL);
    optim_step(c->opt, c->net->params, c->net->grads);
}

static void run_mlp_forward(void *ctx)
{
    MlpStepCtx *c = ctx;
    c->loss = mlp_forward(c->net, c->x, c->B, NN_EVAL)[0];
}

/* Time workload w: calls per second (median, range) into *per_s; 1 if its
 * check failed. */
static int time_workload(const BenchOpts *o, const MlpWorkload *w, Timing *per_s)
{
    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    const int B = w->batch, in = w->spec.sizes[0], out = w->spec.sizes[w->spec.n_layers];
    Mlp *net = mlp_create(&w->spec, B, &rng);
    if (!net) { fprintf(stderr, "bench: bad MLP spec for %s\n", w->name); exit(1); }
    float *x = xmalloc((size_t)B * in * sizeof *x, "inputs"), *t = xmalloc((size_t)B * out * sizeof *t, "targets");
    float *d = xmalloc((size_t)B * out * sizeof *d, "output gradient");
    for (int i = 0; i < B * in; i++) x[i] = (float)rng_normal(&rng);
    for (int i = 0; i < B * out; i++) t[i] = (float)rng_normal(&rng);
    Optim *opt = optim_create(OPTIM_ADAM, net->n_params, BENCH_LR);
    MlpStepCtx c = { net, opt, x, t, d, B, 0 };
    Timing per;
    int wrong = 0;
    if (w->step) {
        float first = nn_mse(NULL, mlp_forward(net, x, B, NN_EVAL), t, B, out);
        per = time_per_call(run_mlp_step, &c, o);
        float last = nn_mse(NULL, mlp_forward(net, x, B, NN_EVAL), t, B, out);
        wrong = !(isfinite(last) && last < first);
    } else {
        per = time_per_call(run_mlp_forward, &c, o);
        wrong = !isfinite(c.loss);
    }
    *per_s = (Timing){ 1.0 / per.med, 1.0 / per.hi, 1.0 / per.lo };
    optim_free(opt);
    mlp_free(net);
    free(x); free(t); free(d);
    return wrong;
}

static void bench_mlp(const BenchOpts *o)
{
    char pct[16];
    printf("== MLP (chapter 04, mlp.h): training steps/s = forward + backward + Adam; forwards/s = one sample\n");
    printf("   (one thread, median of %d rounds and range; GFLOP/s of the matrix products; PyTorch: make bench-torch)\n\n",
           o->rounds);
    printf("  %-24s %-10s %7s %6s %26s %9s %8s %6s\n", "network", "role", "params", "batch", "per second (range)",
           "us each", "GFLOP/s", "%");
    for (int i = 0; i < nworkloads; i++) {
        const MlpWorkload *w = &workloads[i];
        if (i == 0) printf("  training steps/s\n");
        if (i > 0 && w->step != workloads[i - 1].step) printf("  forward passes/s, batch of %d\n", w->batch);
        Timing r;
        int wrong = time_workload(o, w, &r);
        if (wrong) bench_fail();
        char shape[64], rates[40];
        mlp_describe(&w->spec, shape, sizeof shape);
        snprintf(rates, sizeof rates, "%.0f (%.0f-%.0f)", r.med, r.lo, r.hi);
        double gflops = workload_flops(w) * r.med * 1e-9;
        printf("  %-24s %-10s %7d %6d %26s %9.2f %8.1f %6s%s\n", shape, w->role, mlp_param_count(&w->spec), w->batch,
               rates, 1e6 / r.med, gflops, of_peak(gflops, pct), wrong ? "  MISMATCH (no progress)" : "");
    }
    printf("\n");
}

static void list_diffusion_workloads(void);
static int run_diffusion_workload(const BenchOpts *o, const char *name, int *wrong);

/* --list-workloads: one line per workload, key=value, for bench/torch/. */
static void list_workloads(void)
{
    for (int i = 0; i < nworkloads; i++) {
        const MlpWorkload *w = &workloads[i];
        printf("name=%s kind=%s sizes=", w->name, w->step ? "step" : "forward");
        for (int l = 0; l <= w->spec.n_layers; l++) printf("%s%d", l ? "," : "", w->spec.sizes[l]);
        printf(" act=%s batch=%d lr=%g optimizer=adam loss=mse flops=%.0f target_ratio=%g target_peak=%g\n",
               nn_act_name(w->spec.act), w->batch, (double)BENCH_LR, workload_flops(w), w->torch_ratio, w->peak_share);
    }
    list_diffusion_workloads();
}

/* --workload NAME: time it, print one line of key=value; 2 if unknown. */
static int run_one_workload(const BenchOpts *o, const char *name)
{
    for (int i = 0; i < nworkloads; i++) {
        const MlpWorkload *w = &workloads[i];
        if (strcmp(w->name, name) != 0) continue;
        Timing r;
        int wrong = time_workload(o, w, &r);
        double gflops = workload_flops(w) * r.med * 1e-9;
        printf("name=%s per_s=%.6g per_s_lo=%.6g per_s_hi=%.6g gflops=%.4g ok=%d\n", w->name, r.med, r.lo, r.hi, gflops,
               !wrong);
        return wrong;
    }
    int wrong = 0;
    if (run_diffusion_workload(o, name, &wrong)) return wrong;
    fprintf(stderr, "bench: --workload %s: no such workload (--list-workloads lists them)\n", name);
    return 2;
}

/* ------------------------------------------------------------- CartPole
 *
 * The environment alone (uniformly random actions, resets included), then the
 * wall time each CartPole chapter needs to solve it: every seed trains with
 * the chapter's default configuration until the first 100 consecutive
 * training episodes average >= 475, and the table gives the median over
 * seeds (one thread; the chapters' own runs spread seeds over two). */

typedef struct {
    CartPole env;
    Rng rng;
    long steps;
} EnvCtx;

static void run_env_steps(void *ctx)
{
    EnvCtx *c = ctx;
    for (int i = 0; i < 1000; i++) {
        double r;
        if (cartpole_step(&c->env, (int)(rng_u64(&c->rng) & 1), &r) != CP_RUNNING) cartpole_reset(&c->env, &c->rng);
    }
    c->steps += 1000;
}

/* CPU seconds used by the whole process (all its threads). */
static double process_cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One chapter's method: train seed s, return the step it solved at or -1. */
typedef long (*SolveFn)(const void *cfg, uint64_t seed, EpisodeLog *log);

static long solve_dqn(const void *cfg, uint64_t seed, EpisodeLog *log)
{
    return dqn_train_cartpole(cfg, seed, log, NULL);
}

static long solve_pg(const void *cfg, uint64_t seed, EpisodeLog *log)
{
    return pg_train_cartpole(cfg, seed, log, NULL, NULL);
}

static long solve_ac(const void *cfg, uint64_t seed, EpisodeLog *log)
{
    return ac_train_cartpole(cfg, seed, log, NULL, 1);
}

static void solve_row(const char *chapter, const char *method, SolveFn fn, const void *cfg, long budget, int n_seeds)
{
    double secs[16], steps[16];
    int solved = 0;
    for (int k = 0; k < n_seeds; k++) {
        EpisodeLog log;
        eplog_init(&log);
        double t0 = process_cpu_s();
        long at = fn(cfg, (uint64_t)(k + 1), &log);
        secs[k] = process_cpu_s() - t0;
        steps[k] = at >= 0 ? (double)at : NAN;
        solved += at >= 0;
        eplog_free(&log);
    }
    qsort(secs, (size_t)n_seeds, sizeof secs[0], cmp_double);
    qsort(steps, (size_t)n_seeds, sizeof steps[0], cmp_double);   /* NaN (unsolved) compare as equal: median is approximate then */
    printf("  %-14s %-22s %8ld %7d/%-3d %12.0f %14.3f\n", chapter, method, budget, solved, n_seeds,
           steps[n_seeds / 2], secs[n_seeds / 2]);
}

static void bench_cartpole(const BenchOpts *o)
{
    printf("== CartPole-v1 (common/cartpole.h)\n");
    EnvCtx e = { .steps = 0 };
    rng_seed(&e.rng, BENCH_SEED);
    cartpole_reset(&e.env, &e.rng);
    double t = time_per_call(run_env_steps, &e, o).med;
    printf("  environment steps/s (random actions, resets included): %.3g  (%.1f ns/step)\n\n", 1000.0 / t, 1e6 * t);

    const int n_seeds = o->quick ? 1 : 5;
    printf("== time to solve CartPole-v1 (100 consecutive training episodes >= 475), seeds 1..%d, one thread, CPU seconds\n", n_seeds);
    printf("  %-14s %-22s %8s %11s %12s %14s\n", "chapter", "method", "budget", "solved", "median steps", "median CPU s");
    const DqnMethod dqn_methods[2] = { DQN_VANILLA, DQN_DOUBLE };
    for (int m = 0; m < 2; m++) {
        DqnConfig dqn = dqn_default_config(0);
        dqn.method = dqn_methods[m];
        dqn.stop_when_solved = 1;
        solve_row("05 DQN", m ? "Double DQN" : "DQN", solve_dqn, &dqn, dqn.budget, n_seeds);
    }
    PgConfig pg = pg_default_config(0);
    pg.stop_when_solved = 1;
    solve_row("06 REINFORCE", "learned baseline", solve_pg, &pg, pg.max_steps, n_seeds);
    const AcMethod methods[3] = { AC_PPO, AC_A2C, AC_ONLINE };
    for (int m = 0; m < 3; m++) {
        AcConfig ac = ac_default_config(methods[m], 0);
        ac.stop_when_solved = 1;
        solve_row("07 actor-critic", ac_method_name(methods[m]), solve_ac, &ac, ac.budget, n_seeds);
    }
    printf("\n");
}

/* ------------------------------------------------------------- convolution (chapter 16)
 *
 * The conv layer of chapter 16 (im2col + mat_mul per image, conv.h) on its
 * first layer's shape at batch 128: 16×16×1 → 32 channels, 5×5, padding 2.
 * Forward = the product w·cols (2·F·CKK·N flops per image); backward = two
 * more of the same size (dw and dcols). Beside it, the same three products
 * alone through the library (what im2col, col2im and the bias cost is the
 * difference), and the direct double loop the tests compare with. */

typedef struct {
    ConvShape cs;
    int B;
    float *x, *w, *b, *out, *cols, *dout, *dx, *dw, *db, *dcols;
    double *xd, *wd, *bd, *od;
} ConvCtx;

static void run_conv(void *ctx)
{
    ConvCtx *c = ctx;
    conv_forward(c->out, c->cols, c->x, c->w, c->b, &c->cs, c->B);
    conv_backward(c->dx, c->dw, c->db, c->dcols, c->dout, c->cols, c->w, &c->cs, c->B);
}

/* The products of conv_forward and conv_backward, per image, nothing else:
 * which = 0 all three, 1 w·cols, 2 dout·colsᵀ (dw), 3 wᵀ·dout (dcols). */
static void conv_products(ConvCtx *c, int which)
{
    const int F = c->cs.F, CKK = c->cs.C * c->cs.K * c->cs.K, N = c->cs.OH * c->cs.OW;
    for (int b = 0; b < c->B; b++) {
        const float *cb = c->cols + (size_t)b * CKK * N;
        float *ob = c->out + (size_t)b * F * N, *gb = c->dout + (size_t)b * F * N;
        if (which == 0 || which == 1) mat_mul_ab(ob, c->w, cb, F, CKK, N, 0);
        if (which == 0 || which == 2) mat_mul_abt(c->dw, gb, cb, F, N, CKK, 1);
        if (which == 0 || which == 3) mat_mul_atb(c->dcols, c->w, gb, CKK, F, N, 0);
    }
}
static void run_conv_products(void *ctx) { conv_products(ctx, 0); }
static void run_conv_fwd_product(void *ctx) { conv_products(ctx, 1); }
static void run_conv_dw_product(void *ctx) { conv_products(ctx, 2); }
static void run_conv_dcols_product(void *ctx) { conv_products(ctx, 3); }

static void run_conv_direct(void *ctx)
{
    ConvCtx *c = ctx;
    conv_forward_ref(c->od, c->xd, c->wd, c->bd, &c->cs, c->B);
}

static void bench_conv(const BenchOpts *o)
{
    ConvCtx c = { .cs = conv_shape(1, 16, 16, 32, 5, 1, 2), .B = o->quick ? 16 : 128 };
    const int F = c.cs.F, CKK = c.cs.C * c.cs.K * c.cs.K, N = c.cs.OH * c.cs.OW, B = c.B;
    const size_t nx = (size_t)B * 256, nw = (size_t)F * CKK, no = (size_t)B * F * N, nc = (size_t)B * CKK * N;
    c.x = xmalloc(nx * sizeof *c.x, "images"); c.w = xmalloc(nw * sizeof *c.w, "filters");
    c.b = xmalloc((size_t)F * sizeof *c.b, "biases"); c.out = xmalloc(no * sizeof *c.out, "outputs");
    c.cols = xmalloc(nc * sizeof *c.cols, "columns"); c.dout = xmalloc(no * sizeof *c.dout, "output gradients");
    c.dx = xmalloc(nx * sizeof *c.dx, "input gradients"); c.dw = xmalloc(nw * sizeof *c.dw, "filter gradients");
    c.db = xmalloc((size_t)F * sizeof *c.db, "bias gradients");
    c.dcols = xmalloc((size_t)CKK * N * sizeof *c.dcols, "column gradients");
    c.xd = xmalloc(nx * sizeof *c.xd, "images"); c.wd = xmalloc(nw * sizeof *c.wd, "filters");
    c.bd = xmalloc((size_t)F * sizeof *c.bd, "biases"); c.od = xmalloc(no * sizeof *c.od, "outputs");
    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    for (size_t i = 0; i < nx; i++) c.xd[i] = c.x[i] = (float)rng_normal(&rng);
    for (size_t i = 0; i < nw; i++) c.wd[i] = c.w[i] = (float)rng_normal(&rng);
    for (int i = 0; i < F; i++) c.bd[i] = c.b[i] = (float)rng_normal(&rng);
    for (size_t i = 0; i < no; i++) c.dout[i] = (float)rng_normal(&rng);
    memset(c.dw, 0, nw * sizeof *c.dw);
    memset(c.db, 0, (size_t)F * sizeof *c.db);
    const double fwd = 2.0 * F * CKK * N * B;   /* one product; the backward is two more */
    printf("== convolution (chapter 16, conv.h): %d×%d×%d -> %d channels, %d×%d kernel, padding %d, batch %d\n",
           c.cs.H, c.cs.W, c.cs.C, F, c.cs.K, c.cs.K, c.cs.P, B);
    printf("   forward + backward = 3 products of 2·F·CKK·N per image, %.0f MFLOP; one thread, median of %d rounds\n"
           "   (range); %%: of the peak. The layer is one product per image (conv.h), so its shapes are small.\n\n",
           3 * fwd * 1e-6, o->rounds);
    printf("  %-50s %20s %5s %9s\n", "", "GFLOP/s (range)", "%", "ms/call");
    char col[32], pct[16];
    const Timing t_layer = time_per_call(run_conv, &c, o), g_layer = rate(3 * fwd, t_layer);
    conv_forward_ref(c.od, c.xd, c.wd, c.bd, &c.cs, B);   /* check the timed layer's output */
    double diff = 0;
    for (size_t i = 0; i < no; i++) diff = isnan(c.out[i]) ? INFINITY : fmax(diff, fabs(c.out[i] - c.od[i]));
    const int wrong = !(diff <= 1e-4 * sqrt(CKK));
    if (wrong) bench_fail();
    snprintf(col, sizeof col, "%.1f (%.0f-%.0f)", g_layer.med, g_layer.lo, g_layer.hi);
    printf("  %-50s %20s %5s %9.2f   check %.1e%s\n", "conv_forward + conv_backward (im2col + mat_mul)", col,
           of_peak(g_layer.med, pct), t_layer.med * 1e3, diff, wrong ? "  MISMATCH" : "");
    const Timing t_mm = time_per_call(run_conv_products, &c, o), g_mm = rate(3 * fwd, t_mm);
    snprintf(col, sizeof col, "%.1f (%.0f-%.0f)", g_mm.med, g_mm.lo, g_mm.hi);
    printf("  %-50s %20s %5s %9.2f   (%.0f%% of the layer's time)\n", "the same 3 products alone (mat_mul_*)", col,
           of_peak(g_mm.med, pct), t_mm.med * 1e3, 100 * t_mm.med / t_layer.med);
    void (*one[3])(void *) = { run_conv_fwd_product, run_conv_dw_product, run_conv_dcols_product };
    char what[3][64];
    snprintf(what[0], sizeof what[0], "  forward  w*cols      %d x %d x %d, A*B", F, CKK, N);
    snprintf(what[1], sizeof what[1], "  backward dout*cols^T %d x %d x %d, A*B^T", F, N, CKK);
    snprintf(what[2], sizeof what[2], "  backward w^T*dout    %d x %d x %d, A^T*B", CKK, F, N);
    for (int k = 0; k < 3; k++) {
        const Timing t = time_per_call(one[k], &c, o), g = rate(fwd, t);
        snprintf(col, sizeof col, "%.1f (%.0f-%.0f)", g.med, g.lo, g.hi);
        printf("  %-50s %20s %5s %9.2f\n", what[k], col, of_peak(g.med, pct), t.med * 1e3);
    }
    const Timing t_direct = time_per_call(run_conv_direct, &c, o), g_direct = rate(fwd, t_direct);
    snprintf(col, sizeof col, "%.2f", g_direct.med);
    printf("  %-50s %20s %5s %9.2f\n", "forward only, the direct loop in double (reference)", col,
           of_peak(g_direct.med, pct), t_direct.med * 1e3);
    printf("\n");
    free(c.x); free(c.w); free(c.b); free(c.out); free(c.cols); free(c.dout); free(c.dx); free(c.dw); free(c.db);
    free(c.dcols); free(c.xd); free(c.wd); free(c.bd); free(c.od);
}

/* ---------------------------------------------------------------- diffusion (chapter 10)
 *
 * tiny-diffusion's job (COURSE.md "tiny-diffusion"): its denoiser (sinusoidal
 * embeddings of 25·x, 25·y and t, 64 frequencies each: 384 inputs; Linear
 * 384→128 + exact GELU; 3 residual blocks; Linear 128→2; PyTorch's default
 * initialisation; 99,074 parameters), ε-prediction, AdamW lr 1e-3 (weight
 * decay 0.01) with gradient-norm clip 1, batch 32, T = 50, linear β, on 8,000
 * moons points. Rows: its training steps per second (den_train: shuffled
 * epochs, the loss, the clip, AdamW) and the time to sample 1,000 points with
 * T = 1000 (ancestral, σ² = β̃_t, one thread). Check: the loss falls over the
 * timed steps, and the samples are finite. Both are workloads of
 * `make bench-torch` too (tiny-diffusion-train, tiny-diffusion-sample), whose
 * PyTorch twin reads the same points (--write-data).
 *
 * Beside them, chapter 10's image denoiser (zoo_recipe_image("digits"):
 * 16×16 pixels + t embedding → 512 → 512 residual → 256, tanh-GELU, batch 128,
 * Adam): its training steps per second and GFLOP/s of the matrix products. */

#define TINY_N 8000   /* tiny-diffusion's data set size */

static DenSpec tiny_diffusion_net(void)
{
    return (DenSpec){ .dim = 2, .hidden = 128, .depth = 4, .act = NN_GELU_ERF, .init = MLP_INIT_TORCH, .freqs = 64,
                      .t_scale = 1, .x_scale = 25, .x_embed_only = 1 };
}

static void moons(ZooData *d)
{
    char err[256];
    if (zoo_data(d, "moons", TINY_N, BENCH_SEED, err, sizeof err) != 0) { fprintf(stderr, "bench: %s\n", err); exit(1); }
}

/* Matrix-product FLOPs of sampling 1,000 points with T steps: T forward
 * passes of 1,000 rows, 2 per weight and row. */
static double tiny_sample_flops(const MlpSpec *m, int T)
{
    double weights = 0;
    for (int l = 0; l < m->n_layers; l++) weights += (double)m->sizes[l] * m->sizes[l + 1];
    return 2.0 * 1000 * weights * T;
}

/* Matrix-product FLOPs of one training step of a network (the MLP rows' count). */
static double step_flops(const MlpSpec *s, int B)
{
    const MlpWorkload w = { .spec = *s, .batch = B, .step = 1 };
    return workload_flops(&w);
}

typedef struct {
    Denoiser *net;
    const float *data;
    int n;
    const Schedule *s;
    DenTrain tr;
    Rng rng;
} DiffTrainCtx;

static void run_diff_train(void *ctx)
{
    DiffTrainCtx *c = ctx;
    if (den_train(c->net, c->data, NULL, c->n, c->s, &c->tr, &c->rng) != 0) bench_fail();
}

/* Time den_train on c, tr.steps steps a call: seconds per STEP; *wrong: the
 * loss (mean of the first call vs of the last) did not fall. */
static Timing time_train_steps(const BenchOpts *o, DiffTrainCtx *c, int *wrong)
{
    double curve[2];
    c->tr.curve = curve;
    c->tr.curve_points = 2;
    run_diff_train(c);
    const double first = curve[0];
    const Timing t = time_per_call(run_diff_train, c, o);
    *wrong = !(isfinite(curve[1]) && curve[1] < first);
    c->tr.curve = NULL;
    const double k = 1.0 / c->tr.steps;
    return (Timing){ t.med * k, t.lo * k, t.hi * k };
}

/* tiny-diffusion's training, one epoch (250 steps; quick: 25) a call. */
static Timing time_tiny_train(const BenchOpts *o, Denoiser *net, const ZooData *d, int *wrong)
{
    SchedSpec s50 = sched_linear_spec(50, 1);
    Schedule *sch = sched_create(&s50);
    Rng rng;
    rng_seed(&rng, BENCH_SEED + 1);
    /* one AdamW across the calls, as the PyTorch twin's (a new one a call
     * would add its allocation and first-touch page faults to every epoch) */
    Optim *opt = optim_create(OPTIM_ADAMW, net->net->n_params, 1e-3f);
    opt->weight_decay = 0.01f;
    DiffTrainCtx c = { net, d->x, d->n, sch,
                       { .steps = o->quick ? 25 : 250, .batch = 32, .lr = 1e-3f, .optim = OPTIM_ADAMW,
                         .weight_decay = 0.01f, .optimizer = opt, .clip = 1.0f, .pred = DDPM_PRED_EPS, .quiet = 1 },
                       rng };
    const Timing t = time_train_steps(o, &c, wrong);
    optim_free(opt);
    sched_free(sch);
    return t;
}

typedef struct {
    float *x;
    int n;
    void *eps_ctx[1];
    const Schedule *s;
    Rng rng;
} DiffSampleCtx;

static void run_diff_sample(void *ctx)
{
    DiffSampleCtx *c = ctx;
    den_sample(c->x, c->n, 2, den_eps, c->eps_ctx, 1, c->s, DDPM_VAR_BETA_TILDE, &c->rng, NULL, NULL, NULL, 1);
}

/* Sampling 1,000 points at T = 1000 (quick: T = 100) with net: seconds a
 * call; *wrong: a sample is not finite. */
static Timing time_tiny_sample(const BenchOpts *o, Denoiser *net, int *wrong)
{
    SchedSpec st = sched_linear_spec(o->quick ? 100 : 1000, 1);
    Schedule *sch = sched_create(&st);
    DenEps e = { .net = net, .train = sch, .pred = DDPM_PRED_EPS };
    DiffSampleCtx c = { .x = xmalloc(2000 * sizeof(float), "samples"), .n = 1000, .eps_ctx = { &e }, .s = sch };
    rng_seed(&c.rng, BENCH_SEED + 2);
    const Timing t = time_per_call(run_diff_sample, &c, o);
    int bad = 0;
    for (int i = 0; i < 2000; i++) bad += !isfinite(c.x[i]);
    *wrong = bad > 0;
    free(c.x);
    sched_free(sch);
    return t;
}

/* The tiny-diffusion rows of --list-workloads (for bench/torch/). */
static void list_diffusion_workloads(void)
{
    const DenSpec spec = tiny_diffusion_net();
    const MlpSpec m = den_mlp_spec(&spec);
    char sizes[64];
    int k = 0;
    for (int l = 0; l <= m.n_layers; l++) k += snprintf(sizes + k, sizeof sizes - (size_t)k, "%s%d", l ? "," : "", m.sizes[l]);
    const char *common = "act=gelu-erf init=torch freqs=64 x_scale=25 t_scale=1 n_data=8000 beta=1e-4,0.02";
    printf("name=tiny-diffusion-train kind=diffusion-train sizes=%s %s batch=32 T=50 lr=0.001 optimizer=adamw "
           "weight_decay=0.01 clip=1 loss=mse flops=%.0f target_ratio=10 target_peak=0\n",
           sizes, common, step_flops(&m, 32));
    /* per call: 1,000 forward passes of 1,000 rows */
    printf("name=tiny-diffusion-sample kind=diffusion-sample sizes=%s %s batch=1000 T=1000 var=beta_tilde "
           "flops=%.0f target_ratio=3 target_peak=0\n",
           sizes, common, tiny_sample_flops(&m, 1000));
}

/* --workload for the tiny-diffusion rows: 1 if name is one (its line
 * printed, *wrong set), 0 if not. */
static int run_diffusion_workload(const BenchOpts *o, const char *name, int *wrong)
{
    const int train = strcmp(name, "tiny-diffusion-train") == 0;
    if (!train && strcmp(name, "tiny-diffusion-sample") != 0) return 0;
    const DenSpec spec = tiny_diffusion_net();
    const MlpSpec m = den_mlp_spec(&spec);
    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    Denoiser *net = den_create(&spec, 1000, &rng);
    ZooData d;
    moons(&d);
    Timing t;
    double flops;
    if (train) {
        t = time_tiny_train(o, net, &d, wrong);
        flops = step_flops(&m, 32);
    } else {
        t = time_tiny_sample(o, net, wrong);
        flops = tiny_sample_flops(&m, o->quick ? 100 : 1000);
    }
    printf("name=%s per_s=%.6g per_s_lo=%.6g per_s_hi=%.6g gflops=%.4g ok=%d\n", name, 1.0 / t.med, 1.0 / t.hi,
           1.0 / t.lo, flops / t.med * 1e-9, !*wrong);
    den_free(net);
    zoo_data_free(&d);
    return 1;
}

/* --write-data FILE: the tiny-diffusion workloads' 8,000 moons points, as
 * (8000, 2) float32 in this machine's byte order, for bench/torch/. */
static int write_data(const char *path)
{
    ZooData d;
    moons(&d);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(d.x, sizeof *d.x, (size_t)d.n * 2, f) == (size_t)d.n * 2;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok) fprintf(stderr, "bench: --write-data %s: cannot write it\n", path);
    else printf("rows=%d dim=2 dtype=float32\n", d.n);
    zoo_data_free(&d);
    return ok ? 0 : 1;
}

/* --quality FILE: "at equal sample quality". FILE holds K sets of
 * QUALITY_N points ((K·QUALITY_N, 2) float32): the PyTorch twin's samples
 * from K models, each trained with tiny-diffusion's whole job from its own
 * seed (bench/torch/ writes them). Here: K models trained the same way
 * (50,000 steps, quick: 500; seeds BENCH_SEED + k) on the --write-data
 * points, QUALITY_N points sampled from each with the T = 50 chain
 * (σ² = β̃_t), and every set of both sides scored by the energy distance to
 * QUALITY_N held-out moons points, beside the metric's floor (10 independent
 * draws of the data: mean and sd) and ceiling (N(0, I)). Prints
 * train_s=... (CPU seconds of one model's training, the mean) first, then
 * the table. Exit status 2 if FILE is not whole sets of finite points. */
#define QUALITY_N 4000
#define QUALITY_MAX_K 20

static int run_quality(const BenchOpts *o, const char *path)
{
    const size_t set = (size_t)QUALITY_N * 2;
    float *theirs = xmalloc(set * (QUALITY_MAX_K + 1) * sizeof *theirs, "the PyTorch samples");
    FILE *f = fopen(path, "rb");
    const size_t got = f ? fread(theirs, sizeof *theirs, set * (QUALITY_MAX_K + 1), f) : 0;
    if (f) fclose(f);
    int finite = 1;
    for (size_t i = 0; i < got; i++) finite &= isfinite(theirs[i]) != 0;
    const int K = (int)(got / set);
    if (!f || got % set != 0 || K < 1 || K > QUALITY_MAX_K || !finite) {
        fprintf(stderr, "bench: --quality %s: %s (want 1 to %d sets of %d points, float32 pairs)\n", path,
                !f ? "cannot read it" : !finite ? "a value is not finite" : "wrong length", QUALITY_MAX_K, QUALITY_N);
        free(theirs);
        return 2;
    }
    ZooData d, ref = zoo_held_out("moons", QUALITY_N, BENCH_SEED + 100);
    moons(&d);
    double floors[10], floor, fsd;
    for (int k = 0; k < 10; k++) {
        ZooData more = zoo_held_out("moons", QUALITY_N, BENCH_SEED + 101 + (uint64_t)k);
        floors[k] = met_energy(more.x, QUALITY_N, ref.x, QUALITY_N, 2);
        zoo_data_free(&more);
    }
    met_mean_sd(floors, 10, &floor, &fsd);
    Rng rng;
    rng_seed(&rng, BENCH_SEED + 99);
    float *ours = xmalloc(set * sizeof *ours, "samples");
    for (size_t i = 0; i < set; i++) ours[i] = (float)rng_normal(&rng);
    const double ceil = met_energy(ours, QUALITY_N, ref.x, QUALITY_N, 2);

    const DenSpec spec = tiny_diffusion_net();
    SchedSpec s50 = sched_linear_spec(50, 1);
    Schedule *sch = sched_create(&s50);
    const DenTrain tr = { .steps = o->quick ? 500 : 50000, .batch = 32, .lr = 1e-3f, .optim = OPTIM_ADAMW,
                          .weight_decay = 0.01f, .clip = 1.0f, .pred = DDPM_PRED_EPS, .label = "course: training" };
    double train_s = 0, e_ours[QUALITY_MAX_K], e_theirs[QUALITY_MAX_K];
    for (int k = 0; k < K; k++) {
        rng_seed(&rng, BENCH_SEED + (uint64_t)k);
        Denoiser *net = den_create(&spec, 256, &rng);
        const double t0 = progress_thread_cpu();
        if (den_train(net, d.x, NULL, d.n, sch, &tr, &rng) != 0) bench_fail();
        train_s += progress_thread_cpu() - t0;
        DenEps e = { .net = net, .train = sch, .pred = DDPM_PRED_EPS };
        void *ctx[1] = { &e };
        den_sample(ours, QUALITY_N, 2, den_eps, ctx, 1, sch, DDPM_VAR_BETA_TILDE, &rng, NULL, NULL, NULL, 1);
        e_ours[k] = met_energy(ours, QUALITY_N, ref.x, QUALITY_N, 2);
        e_theirs[k] = met_energy(theirs + (size_t)k * set, QUALITY_N, ref.x, QUALITY_N, 2);
        den_free(net);
    }
    printf("train_s=%.3f steps=%d models=%d\n", train_s / K, tr.steps, K);
    printf("energy distance of %d samples to %d held-out moons points (floor: independent draws of the data, "
           "%.5f ± %.5f over 10; ceiling: N(0, I)), T = 50, σ² = β̃_t; %d model(s) a side:\n",
           QUALITY_N, QUALITY_N, floor, fsd, K);
    for (int k = 0; k < K; k++) {
        char name[48];
        snprintf(name, sizeof name, "course, model %d", k + 1);
        met_print_calibrated(stdout, name, e_ours[k], floor, ceil);
        snprintf(name, sizeof name, "PyTorch, model %d", k + 1);
        met_print_calibrated(stdout, name, e_theirs[k], floor, ceil);
    }
    if (K > 1) {
        double mo = 0, mt = 0;
        for (int k = 0; k < K; k++) { mo += e_ours[k] / K; mt += e_theirs[k] / K; }
        met_print_calibrated(stdout, "course, mean", mo, floor, ceil);
        met_print_calibrated(stdout, "PyTorch, mean", mt, floor, ceil);
    }
    free(ours); free(theirs);
    zoo_data_free(&ref);
    zoo_data_free(&d);
    sched_free(sch);
    return 0;
}

/* DDIM (chapter 11) beside the ancestral row: the same trained network and
 * the same 1,000 points, sampled by ddim_sample on the trailing sub-sequence
 * of S of the T = 1000 steps: S = 50 with η = 0, and S = 1000 with η = 1
 * (DDPM's posterior: the ancestral row's work, through chapter 11's loop).
 * One thread. Check: the samples are finite. */

typedef struct {
    float *x, *xT;
    int n, S;
    double eta;
    void *eps_ctx[1];
    const Schedule *s;
    const int *taus;
    Rng rng;
} DdimSampleCtx;

static void run_ddim_sample(void *ctx)
{
    DdimSampleCtx *c = ctx;
    memcpy(c->x, c->xT, (size_t)c->n * 2 * sizeof *c->x);
    ddim_sample(c->x, c->n, 2, ddim_net_eps, c->eps_ctx, 1, c->s, c->taus, c->S, c->eta, &c->rng, NULL);
}

static void bench_ddim_rows(const BenchOpts *o, DenEps *e, Rng rng)
{
    int taus[1000];
    float *xT = xmalloc(2000 * sizeof *xT, "x_T"), *x = xmalloc(2000 * sizeof *x, "samples");
    for (int i = 0; i < 2000; i++) xT[i] = (float)rng_normal(&rng);
    const struct { int S; double eta; const char *what; } rows[] = {
        { 50, 0.0, "sampling 1,000 points, DDIM S = 50, η = 0" },
        { o->quick ? 100 : 1000, 1.0,
          o->quick ? "sampling 1,000 points, DDIM S = 100, η = 1" : "sampling 1,000 points, DDIM S = 1000, η = 1" },
    };
    for (int r = 0; r < 2; r++) {
        sched_even_taus(taus, 1000, rows[r].S);
        DdimSampleCtx c = { x, xT, 1000, rows[r].S, rows[r].eta, { e }, e->train, taus, rng };
        const Timing ts = time_per_call(run_ddim_sample, &c, o);
        int bad = 0;
        for (int i = 0; i < 2000; i++) bad += !isfinite(x[i]);
        if (bad) bench_fail();
        printf("  %-46s %6.2f s (%.2f-%.2f)   chapter 11's sampler%s\n", rows[r].what, ts.med, ts.lo, ts.hi,
               bad ? "  MISMATCH (NaN)" : "");
    }
    free(x); free(xT);
}

/* Chapter 10's image denoiser, 100 steps of its recipe a call (quick: 4). */
static void bench_image_train(const BenchOpts *o)
{
    const ZooRecipe r = zoo_recipe_image("digits", 0);
    const MlpSpec m = den_mlp_spec(&r.net);
    ZooData d;
    char err[256], desc[200];
    if (zoo_data(&d, "digits", 2000, r.data_seed, err, sizeof err) != 0) { fprintf(stderr, "bench: %s\n", err); exit(1); }
    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    Denoiser *net = den_create(&r.net, r.train.batch, &rng);
    SchedSpec ss = r.sched;
    Schedule *sch = sched_create(&ss);
    /* the steady state of a long run: one optimiser across the calls, and
     * 100 steps a call (the per-call set-up, the moving average's copy of
     * the 558,336 parameters and its first-touch page faults, is then ~2%) */
    Optim *opt = optim_create(r.train.optim, net->net->n_params, r.train.lr);
    opt->weight_decay = r.train.weight_decay;
    DiffTrainCtx c = { net, d.x, d.n, sch, r.train, rng };
    c.tr.optimizer = opt;
    c.tr.steps = o->quick ? 4 : 100;
    c.tr.label = NULL;
    c.tr.quiet = 1;
    int wrong;
    const Timing t = time_train_steps(o, &c, &wrong);
    if (wrong) bench_fail();
    char pct[16];
    const double g = step_flops(&m, r.train.batch) / t.med * 1e-9;
    printf("  image denoiser: %s\n", den_describe(&r.net, desc, sizeof desc));
    printf("  %-46s %6.0f steps/s (%.0f-%.0f)  %.1f GFLOP/s, %s of peak (%.0f MFLOP a step)%s\n",
           "training step (batch 128, Adam, digits 16×16)", 1.0 / t.med, 1.0 / t.hi, 1.0 / t.lo, g, of_peak(g, pct),
           step_flops(&m, r.train.batch) * 1e-6, wrong ? "  MISMATCH (no progress)" : "");
    optim_free(opt);
    den_free(net);
    sched_free(sch);
    zoo_data_free(&d);
}

static void bench_diffusion(const BenchOpts *o)
{
    printf("== Diffusion (chapter 10): tiny-diffusion's denoiser and training recipe, one thread, CPU time,\n"
           "   median of %d rounds (range); PyTorch on the same jobs: make bench-torch\n\n", o->rounds);
    const DenSpec spec = tiny_diffusion_net();
    const MlpSpec m = den_mlp_spec(&spec);
    char desc[200], pct[16];
    printf("  network: %s, %s\n", den_describe(&spec, desc, sizeof desc), "PyTorch-default init");
    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    ZooData d;
    moons(&d);
    Denoiser *net = den_create(&spec, 1000, &rng);
    printf("  parameters: %d (tiny-diffusion: 99,074)\n", net->net->n_params);
    if (net->net->n_params != 99074) bench_fail();
    int wrong;
    const Timing tt = time_tiny_train(o, net, &d, &wrong);
    if (wrong) bench_fail();
    double g = step_flops(&m, 32) / tt.med * 1e-9;
    printf("  %-46s %6.0f steps/s (%.0f-%.0f)  50,000 steps: %.0f s; %.1f GFLOP/s, %s of peak%s\n",
           "training step (batch 32, T = 50, AdamW, clip)", 1.0 / tt.med, 1.0 / tt.hi, 1.0 / tt.lo, 50000 * tt.med, g,
           of_peak(g, pct), wrong ? "  MISMATCH (no progress)" : "");
    const Timing ts = time_tiny_sample(o, net, &wrong);
    if (wrong) bench_fail();
    g = tiny_sample_flops(&m, o->quick ? 100 : 1000) / ts.med * 1e-9;
    printf("  %-46s %6.2f s (%.2f-%.2f)   %.1f GFLOP/s, %s of peak%s\n",
           o->quick ? "sampling 1,000 points, T = 100 (σ² = β̃_t)" : "sampling 1,000 points, T = 1000 (σ² = β̃_t)",
           ts.med, ts.lo, ts.hi, g, of_peak(g, pct), wrong ? "  MISMATCH (NaN)" : "");
    SchedSpec s1000 = sched_linear_spec(1000, 1);
    Schedule *sch1000 = sched_create(&s1000);
    DenEps e = { .net = net, .train = sch1000, .pred = DDPM_PRED_EPS };
    bench_ddim_rows(o, &e, rng);
    bench_image_train(o);
    printf("\n");
    sched_free(sch1000);
    den_free(net);
    zoo_data_free(&d);
}

/* ---------------------------------------------------------------- sections
 *
 * One entry per section, run in this order. A section prints a "== title"
 * line, its table, and a blank line.
 */

typedef struct {
    const char *name;                  /* for --only */
    void (*run)(const BenchOpts *);
} BenchSection;

static const BenchSection sections[] = {
    { "peak", bench_peak },
    { "matmul", bench_matmul },
    { "vmath", bench_vmath },
    { "value_iteration", bench_value_iteration },
    { "mlp", bench_mlp },
    { "cartpole", bench_cartpole },
    { "conv", bench_conv },
    { "diffusion", bench_diffusion },
};
static const int nsections = (int)(sizeof sections / sizeof sections[0]);

static void usage(FILE *f, const char *prog)
{
    fprintf(f, "usage: %s [--quick] [--rounds N] [--only SECTION]\n"
               "       %s [--quick] [--rounds N] --workload NAME | --list-workloads | --peak | --write-data FILE\n"
               "       %s [--quick] --quality FILE\n"
               "  sections:", prog, prog, prog);
    for (int i = 0; i < nsections; i++) fprintf(f, " %s", sections[i].name);
    fprintf(f, "\n  workloads:");
    for (int i = 0; i < nworkloads; i++) fprintf(f, " %s", workloads[i].name);
    fprintf(f, " tiny-diffusion-train tiny-diffusion-sample");
    fprintf(f, "\n");
}

int main(int argc, char **argv)
{
    BenchOpts o = { .quick = 0, .rounds = 5, .round_s = 0.1, .once_s = 0.5 };
    const char *only = NULL, *workload = NULL, *data_out = NULL, *quality = NULL;
    int list = 0, peak_only = 0, rounds = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--quick") == 0) {
            o.quick = 1;
        } else if (strcmp(a, "--only") == 0 || strcmp(a, "--workload") == 0 || strcmp(a, "--rounds") == 0 ||
                   strcmp(a, "--write-data") == 0 || strcmp(a, "--quality") == 0) {
            if (!has_value) {
                fprintf(stderr, "bench: %s needs a value\n", a);
                usage(stderr, argv[0]);
                return 2;
            }
            const char *v = argv[++i];
            if (a[2] == 'o') only = v;
            else if (a[2] == 'q') quality = v;
            else if (a[3] == 'r') data_out = v;
            else if (a[2] == 'w') workload = v;
            else {
                char *end;
                long r = strtol(v, &end, 10);
                if (*end || r < 1 || r > 15) {
                    fprintf(stderr, "bench: --rounds %s: give a whole number from 1 to 15\n", v);
                    return 2;
                }
                rounds = (int)r;
            }
        } else if (strcmp(a, "--list-workloads") == 0) {
            list = 1;
        } else if (strcmp(a, "--peak") == 0) {
            peak_only = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, argv[0]);
            return 0;
        } else {
            fprintf(stderr, "bench: unknown argument '%s'\n", a);
            usage(stderr, argv[0]);
            return 2;
        }
    }
    if (o.quick) { o.rounds = 3; o.round_s = 0.01; o.once_s = 0.05; }
    if (rounds) o.rounds = rounds;

    if (list) { list_workloads(); return 0; }
    if (data_out) return write_data(data_out);
    if (quality) return run_quality(&o, quality);
    int known = !only;
    for (int i = 0; i < nsections && !known; i++) known = strcmp(only, sections[i].name) == 0;
    if (!known) {
        fprintf(stderr, "bench: --only %s: no such section\n", only);
        usage(stderr, argv[0]);
        return 2;
    }

    if (workload) return run_one_workload(&o, workload);
    peak_gflops = measure_peak(&o).med;
    if (peak_only) { printf("peak=%.4g vector_floats=%d path=%s\n", peak_gflops, PEAK_VL, mat_kernel_path()); return 0; }

    printf("bench%s: seed %d, CPU time of one thread\n\n", o.quick ? " --quick" : "", BENCH_SEED);
    for (int i = 0; i < nsections; i++)
        if (!only || strcmp(only, sections[i].name) == 0 || strcmp(sections[i].name, "peak") == 0) sections[i].run(&o);
    if (failures) fprintf(stderr, "bench: %d wrong result(s), marked MISMATCH above\n", failures);
    return failures ? 1 : 0;
}
