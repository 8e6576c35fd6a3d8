/* bench — speed figures for the kernels the course lives on (`make bench`).
 *
 *   make bench                     every section, full timing (~30 s)
 *   make bench ARGS=--quick        short timing and smaller sizes (a smoke test)
 *   make bench ARGS="--only matmul"
 *   make bench ARGS="--only mlp"
 *
 * The program is a list of sections (see `sections` at the bottom); each is one
 * function that prints its own lines of the table. To add a figure, write a
 * section function and add it to the list. All timing goes through
 * time_per_call(): run the code in a loop until a round lasts long enough,
 * take the best of three rounds (the least disturbed by the rest of the
 * machine), report seconds per call. Input data come from a fixed seed. A
 * section that finds a wrong result (e.g. the matmul check column) calls
 * bench_fail(), and the program then exits 1 after printing everything.
 */
#include "ac.h"
#include "cartpole.h"
#include "conv.h"
#include "dp.h"
#include "dqn.h"
#include "eplog.h"
#include "gridworld.h"
#include "linalg.h"
#include "mlp.h"
#include "pg.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_SEED 1

typedef struct {
    int quick;            /* --quick: short rounds, smaller sizes */
    double round_s;       /* minimum length of one timing round, seconds */
    double once_s;        /* a single call longer than this is timed once, not in rounds */
} BenchOpts;

/* ---------------------------------------------------------------- timing */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Seconds per call of fn(ctx): the best of three rounds of `calls` calls each,
 * a round lasting at least o->round_s. The number of calls comes from the
 * warm-up call's time, rescaled from the last round's while a round is still
 * too short (such a round is not counted). A warm-up call that already takes
 * o->once_s (a naive product at 1024³) is the answer by itself. */
static double time_per_call(void (*fn)(void *), void *ctx, const BenchOpts *o)
{
    double t0 = now_s();
    fn(ctx);                                      /* warm-up: caches, page faults */
    double first = now_s() - t0;
    if (first >= o->once_s) return first;

    double guess = o->round_s / (first > 1e-9 ? first : 1e-9);
    long calls = guess < 1 ? 1 : guess > 1e9 ? 1000000000L : (long)guess;
    double best;
    for (;;) {
        t0 = now_s();
        for (long c = 0; c < calls; c++) fn(ctx);
        double dt = now_s() - t0;
        if (dt >= o->round_s) { best = dt / (double)calls; break; }
        double scale = dt > 0 ? 1.2 * o->round_s / dt : 2.0;   /* aim a little past round_s */
        double next = (double)calls * scale + 1;
        calls = next > 1e9 ? 1000000000L : (long)next;
    }
    for (int round = 1; round < 3; round++) {
        t0 = now_s();
        for (long c = 0; c < calls; c++) fn(ctx);
        double per = (now_s() - t0) / (double)calls;
        if (per < best) best = per;
    }
    return best;
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
    MatMulFn fn;
    float *C;             /* (M, N) */
    const float *A, *B;   /* as stored: (M, K) or (K, M); (K, N) or (N, K) */
    int M, K, N;
} MatMulCall;

static void run_matmul(void *ctx)
{
    MatMulCall *c = ctx;
    c->fn(c->C, c->A, c->B, c->M, c->K, c->N, 0);
}

static void bench_matmul(const BenchOpts *o)
{
    /* M x K x N: an MLP layer at batch 256; a big square; the layers of a
     * CartPole-sized MLP (4 -> 64 -> 64 -> 2) at batch 64, and a one-sample
     * forward (a matrix-vector product). */
    int big = o->quick ? 256 : 1024;
    const int shapes[][3] = {
        { 256, 128, 128 }, { big, big, big }, { 64, 4, 64 }, { 64, 64, 64 },
        { 64, 64, 2 }, { 1, 64, 64 },
    };
    const int nshapes = (int)(sizeof shapes / sizeof shapes[0]);

    printf("== matrix products: GFLOP/s = 2*M*K*N / time, one thread, best of 3 rounds\n");
    printf("   (library = mat_mul_*, naive = mat_mul_*_naive; check = max |library - naive|)\n\n");
    printf("  %-18s %-6s %10s %10s %10s %9s %9s\n",
           "M x K x N", "C =", "library", "us/call", "naive", "speed-up", "check");

    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    for (int s = 0; s < nshapes; s++) {
        int M = shapes[s][0], K = shapes[s][1], N = shapes[s][2];
        size_t na = (size_t)M * K, nb = (size_t)K * N, nc = (size_t)M * N;
        float *A = xmalloc(na * sizeof *A, "A");
        float *B = xmalloc(nb * sizeof *B, "B");
        float *C = xmalloc(nc * sizeof *C, "C");
        float *R = xmalloc(nc * sizeof *R, "the naive result");
        for (size_t i = 0; i < na; i++) A[i] = (float)rng_normal(&rng);
        for (size_t i = 0; i < nb; i++) B[i] = (float)rng_normal(&rng);
        double flops = 2.0 * M * K * N;
        char shape[32];
        snprintf(shape, sizeof shape, "%d x %d x %d", M, K, N);

        for (int v = 0; v < (int)(sizeof variants / sizeof variants[0]); v++) {
            MatMulCall fast = { variants[v].fast, C, A, B, M, K, N };
            MatMulCall naive = { variants[v].naive, R, A, B, M, K, N };
            double tf = time_per_call(run_matmul, &fast, o);
            double tn = time_per_call(run_matmul, &naive, o);
            double diff = 0;
            for (size_t i = 0; i < nc; i++)
                diff = isnan(C[i]) ? INFINITY : fmax(diff, fabs((double)C[i] - R[i]));
            int wrong = !(diff <= 1e-4 * sqrt(K));   /* the test suite's tolerance */
            if (wrong) bench_fail();
            printf("  %-18s %-6s %10.1f %10.2f %10.2f %8.0fx %9.1e%s%s\n",
                   v == 0 ? shape : "", variants[v].name, flops / tf * 1e-9, tf * 1e6,
                   flops / tn * 1e-9, tn / tf, diff, wrong ? "  MISMATCH" : "",
                   M == 256 && K == 128 && N == 128 ? "   target >= 40 GFLOP/s" : "");
        }
        free(A); free(B); free(C); free(R);
    }
    printf("\n");
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
        double t = time_per_call(run_sweep, &c, o);
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
 * gradient), one Adam step over the flat parameter block. The shapes: a DQN
 * Q-network for CartPole (4 inputs, 2 actions) and a 2-D diffusion denoiser
 * (a point and a 32-dimensional time embedding in, the predicted noise out).
 * The PyTorch column is PyTorch 1.13 (CPU, torch.set_num_threads(1)) on the
 * course's 2-core reference machine, as given in the issue, for the same
 * shapes; the targets are 10x PyTorch on the DQN network and 1.5x on the
 * denoiser. Check: the loss after the timed steps is finite and below its
 * starting value (Adam on a fixed batch must make progress). */

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

/* One row of the table: time `steps` (1) or single forwards (0). */
static void bench_mlp_row(const BenchOpts *o, const char *name, MlpSpec spec, int B, int steps, double target,
                          const char *pytorch)
{
    Rng rng;
    rng_seed(&rng, BENCH_SEED);
    Mlp *net = mlp_create(&spec, B, &rng);
    if (!net) { fprintf(stderr, "bench: bad MLP spec for %s\n", name); exit(1); }
    const int in = spec.sizes[0], out = spec.sizes[spec.n_layers];
    float *x = xmalloc((size_t)B * in * sizeof *x, "inputs"), *t = xmalloc((size_t)B * out * sizeof *t, "targets");
    float *d = xmalloc((size_t)B * out * sizeof *d, "output gradient");
    for (int i = 0; i < B * in; i++) x[i] = (float)rng_normal(&rng);
    for (int i = 0; i < B * out; i++) t[i] = (float)rng_normal(&rng);
    Optim *opt = optim_create(OPTIM_ADAM, net->n_params, 1e-4f);
    MlpStepCtx c = { net, opt, x, t, d, B, 0 };
    double per;
    int wrong = 0;
    if (steps) {
        float first = nn_mse(NULL, mlp_forward(net, x, B, NN_EVAL), t, B, out);
        per = time_per_call(run_mlp_step, &c, o);
        float last = nn_mse(NULL, mlp_forward(net, x, B, NN_EVAL), t, B, out);
        wrong = !(isfinite(last) && last < first);
    } else {
        per = time_per_call(run_mlp_forward, &c, o);
        wrong = !isfinite(c.loss);
    }
    if (wrong) bench_fail();
    char shape[64];
    mlp_describe(&spec, shape, sizeof shape);
    char tgt[24] = "-";
    if (target > 0) snprintf(tgt, sizeof tgt, ">= %.0f", target);
    printf("  %-30s %-12s %7d %6d %12.0f %10.2f %11s %-6s %13s%s\n", shape, name, net->n_params, B, 1.0 / per,
           1e6 * per, tgt, target <= 0 ? "" : 1.0 / per >= target ? "met" : "MISSED", pytorch,
           wrong ? "  MISMATCH (no progress)" : "");
    optim_free(opt);
    mlp_free(net);
    free(x); free(t); free(d);
}

static void bench_mlp(const BenchOpts *o)
{
    const MlpSpec dqn = { .n_layers = 3, .sizes = { 4, 64, 64, 2 }, .act = NN_RELU };
    MlpSpec den = { .n_layers = 4, .sizes = { 34, 128, 128, 128, 2 }, .act = NN_RELU };
    printf("== MLP (chapter 04, mlp.h): training steps/s = forward + backward + Adam; forwards/s = one sample\n");
    printf("   (one thread, best of 3 rounds; PyTorch 1.13, one thread, on the same machine per the issue)\n\n");
    printf("  %-30s %-12s %7s %6s %12s %10s %11s %-6s %13s\n", "network", "role", "params", "batch", "per second",
           "us each", "target", "", "PyTorch 1.13");
    printf("  training steps/s\n");
    bench_mlp_row(o, "DQN", dqn, 64, 1, 20000, "~2,000");
    bench_mlp_row(o, "denoiser", den, 256, 1, 930, "~620");
    den.act = NN_GELU;
    bench_mlp_row(o, "denoiser", den, 256, 1, 0, "");
    den.act = NN_TANH;
    bench_mlp_row(o, "denoiser", den, 256, 1, 0, "");
    printf("  forward passes/s, batch of one\n");
    bench_mlp_row(o, "DQN act()", dqn, 1, 0, 400000, "~40,000");
    printf("\n");
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
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
        double t0 = now_s();
        long at = fn(cfg, (uint64_t)(k + 1), &log);
        secs[k] = now_s() - t0;
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
    double t = time_per_call(run_env_steps, &e, o);
    printf("  environment steps/s (random actions, resets included): %.3g  (%.1f ns/step)\n\n", 1000.0 / t, 1e6 * t);

    const int n_seeds = o->quick ? 1 : 5;
    printf("== wall time to solve CartPole-v1 (100 consecutive training episodes >= 475), seeds 1..%d, one thread\n", n_seeds);
    printf("  %-14s %-22s %8s %11s %12s %14s\n", "chapter", "method", "budget", "solved", "median steps", "median wall s");
    const DqnMethod dqn_methods[2] = { DQN_VANILLA, DQN_DOUBLE };
    for (int m = 0; m < 2; m++) {
        DqnConfig dqn = dqn_default_config(0);
        dqn.method = dqn_methods[m];
        dqn.stop_when_solved = 1;
        solve_row("05 DQN *", m ? "Double DQN" : "DQN", solve_dqn, &dqn, dqn.budget, n_seeds);
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
    printf("  * DQN counts greedy evaluation blocks of 100 episodes (every 2500 training steps, not in the\n"
           "    budget) instead of its epsilon-greedy training episodes: see chapters/05_dqn/README.md.\n\n");
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
    printf("   GFLOP/s = 3 products of 2·F·CKK·N·B = %.0f MFLOP per forward + backward; one thread\n\n", 3 * fwd * 1e-6);
    const double t_layer = time_per_call(run_conv, &c, o);
    conv_forward_ref(c.od, c.xd, c.wd, c.bd, &c.cs, B);   /* check the timed layer's output */
    double diff = 0;
    for (size_t i = 0; i < no; i++) diff = isnan(c.out[i]) ? INFINITY : fmax(diff, fabs(c.out[i] - c.od[i]));
    const int wrong = !(diff <= 1e-4 * sqrt(CKK));
    if (wrong) bench_fail();
    const double t_mm = time_per_call(run_conv_products, &c, o);
    const double t_direct = time_per_call(run_conv_direct, &c, o);
    printf("  %-48s %10s %10s\n", "", "GFLOP/s", "ms/call");
    printf("  %-48s %10.1f %10.2f   check %.1e%s\n", "conv_forward + conv_backward (im2col + mat_mul)",
           3 * fwd / t_layer * 1e-9, t_layer * 1e3, diff, wrong ? "  MISMATCH" : "");
    printf("  %-48s %10.1f %10.2f   (%.0f%% of the layer's time)\n", "the same 3 products alone (mat_mul_*)",
           3 * fwd / t_mm * 1e-9, t_mm * 1e3, 100 * t_mm / t_layer);
    void (*one[3])(void *) = { run_conv_fwd_product, run_conv_dw_product, run_conv_dcols_product };
    char what[3][64];
    snprintf(what[0], sizeof what[0], "  forward  w*cols      %d x %d x %d, A*B", F, CKK, N);
    snprintf(what[1], sizeof what[1], "  backward dout*cols^T %d x %d x %d, A*B^T", F, N, CKK);
    snprintf(what[2], sizeof what[2], "  backward w^T*dout    %d x %d x %d, A^T*B", CKK, F, N);
    for (int k = 0; k < 3; k++) {
        const double t = time_per_call(one[k], &c, o);
        printf("  %-50s %8.1f %10.2f\n", what[k], fwd / t * 1e-9, t * 1e3);
    }
    printf("  %-48s %10.1f %10.2f\n", "forward only, direct loop in double (the reference)", fwd / t_direct * 1e-9,
           t_direct * 1e3);
    printf("\n");
    free(c.x); free(c.w); free(c.b); free(c.out); free(c.cols); free(c.dout); free(c.dx); free(c.dw); free(c.db);
    free(c.dcols); free(c.xd); free(c.wd); free(c.bd); free(c.od);
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
    { "matmul", bench_matmul },
    { "value_iteration", bench_value_iteration },
    { "mlp", bench_mlp },
    { "cartpole", bench_cartpole },
    { "conv", bench_conv },
};
static const int nsections = (int)(sizeof sections / sizeof sections[0]);

static void usage(FILE *f, const char *prog)
{
    fprintf(f, "usage: %s [--quick] [--only SECTION]\n  sections:", prog);
    for (int i = 0; i < nsections; i++) fprintf(f, " %s", sections[i].name);
    fprintf(f, "\n");
}

int main(int argc, char **argv)
{
    BenchOpts o = { .quick = 0, .round_s = 0.1, .once_s = 0.5 };
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            o.quick = 1;
        } else if (strcmp(argv[i], "--only") == 0) {
            if (i + 1 == argc) {
                fprintf(stderr, "bench: --only needs a section name\n");
                usage(stderr, argv[0]);
                return 2;
            }
            only = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout, argv[0]);
            return 0;
        } else {
            fprintf(stderr, "bench: unknown argument '%s'\n", argv[i]);
            usage(stderr, argv[0]);
            return 2;
        }
    }
    if (o.quick) { o.round_s = 0.01; o.once_s = 0.05; }

    int known = !only;
    for (int i = 0; i < nsections && !known; i++) known = strcmp(only, sections[i].name) == 0;
    if (!known) {
        fprintf(stderr, "bench: --only %s: no such section\n", only);
        usage(stderr, argv[0]);
        return 2;
    }

    printf("bench%s: seed %d\n\n", o.quick ? " --quick" : "", BENCH_SEED);
    for (int i = 0; i < nsections; i++)
        if (!only || strcmp(only, sections[i].name) == 0) sections[i].run(&o);
    if (failures) fprintf(stderr, "bench: %d wrong result(s), marked MISMATCH above\n", failures);
    return failures ? 1 : 0;
}
