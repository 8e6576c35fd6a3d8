/* main_gradcheck.c — chapter 04, section 1: backpropagation against central
 * differences, for every activation, with layer norm and with dropout. See main.h. */
#include "datasets.h"
#include "exercise.h"
#include "linalg.h"
#include "main.h"
#include "mlp.h"
#include "nn.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================== 1. gradient check */

/* Central difference of L = Σ c ⊙ mlp(x) in one float, with the same dropout
 * masks in every evaluation; the step is the exact difference of the floats. */
static double gc_loss(Mlp *m, const float *x, int B, const float *c, const Rng *masks)
{
    m->rng = *masks;
    const float *y = mlp_forward(m, x, B, NN_TRAIN);
    double s = 0;
    for (int i = 0; i < B * m->spec.sizes[m->spec.n_layers]; i++) s += (double)c[i] * y[i];
    return s;
}
static double gc_numeric(Mlp *m, float *p, const float *x, int B, const float *c, const Rng *masks)
{
    const float keep = *p, h = 1e-3f * fmaxf(1.0f, fabsf(keep));
    *p = keep + h;
    double up = *p, lp = gc_loss(m, x, B, c, masks);
    *p = keep - h;
    double down = *p, lm = gc_loss(m, x, B, c, masks);
    *p = keep;
    return (lp - lm) / (up - down);
}
static double rel_err(double a, double n) { return fabs(a - n) / fmax(fmax(fabs(a), fabs(n)), 5e-2); }

int section_gradient_check(Rng *rng)
{
    require_written(NEED_LAYERS);
    printf("\n[1] Gradient check: backprop vs central differences of the float forward pass (step 1e-3),\n"
           "    worst relative error |a - n| / max(|a|, |n|, 0.05) over each group; 4 rows, network 3-6-5-4\n");
    printf("    %-36s %10s %10s %10s %10s\n", "hidden layers", "weights", "biases", "LN γ, β", "input x");
    int bad = 0;
    const struct { NnAct act; int ln; float p; } cases[] = {
        { NN_RELU, 0, 0 }, { NN_TANH, 0, 0 }, { NN_SIGMOID, 0, 0 }, { NN_GELU, 0, 0 }, { NN_GELU_ERF, 0, 0 },
        { NN_TANH, 1, 0 }, { NN_RELU, 0, 0.5f }, { NN_GELU, 1, 0.3f },
    };
    for (int k = 0; k < (int)(sizeof cases / sizeof cases[0]); k++) {
        MlpSpec s = { .n_layers = 3, .sizes = { 3, 6, 5, 4 }, .act = cases[k].act, .layernorm = cases[k].ln,
                      .dropout = cases[k].p };
        Mlp *m = mlp_create(&s, 4, rng);
        for (int l = 0; l < 3; l++)
            for (int o = 0; o < s.sizes[l + 1]; o++) m->b[l][o] = (float)(0.3 * rng_normal(rng));
        float x[12], c[16], dx[12];
        for (int i = 0; i < 12; i++) x[i] = (float)rng_normal(rng);
        for (int i = 0; i < 16; i++) c[i] = (float)rng_normal(rng);
        const Rng masks = m->rng;
        gc_loss(m, x, 4, c, &masks);
        mlp_zero_grad(m);
        mlp_backward(m, c, dx);
        double worst[4] = { 0, 0, 0, 0 };   /* W, b, γβ, x */
        double amax = 0, nmax = 0;          /* the guard: all-zero gradients prove nothing */
        for (int l = 0; l < 3; l++) {
            float *groups[4] = { m->W[l], m->b[l], m->ln_gamma[l], m->ln_beta[l] };
            float *grads[4] = { m->dW[l], m->db[l], m->dln_gamma[l], m->dln_beta[l] };
            int len[4] = { s.sizes[l + 1] * s.sizes[l], s.sizes[l + 1], s.sizes[l + 1], s.sizes[l + 1] };
            for (int g = 0; g < 4; g++) {
                if (!groups[g]) continue;
                for (int i = 0; i < len[g]; i++) {
                    double num = gc_numeric(m, &groups[g][i], x, 4, c, &masks), e = rel_err(grads[g][i], num);
                    int slot = g < 2 ? g : 2;
                    worst[slot] = isnan(e) ? INFINITY : fmax(worst[slot], e);
                    amax = fmax(amax, fabs(grads[g][i]));
                    nmax = fmax(nmax, fabs(num));
                }
            }
        }
        for (int i = 0; i < 12; i++) {
            double e = rel_err(dx[i], gc_numeric(m, &x[i], x, 4, c, &masks));
            worst[3] = isnan(e) ? INFINITY : fmax(worst[3], e);
        }
        char desc[96];
        mlp_describe(&s, desc, sizeof desc);
        char ln[16] = "-";
        if (s.layernorm) snprintf(ln, sizeof ln, "%.1e", worst[2]);
        int ok = worst[0] < 2e-2 && worst[1] < 2e-2 && worst[3] < 2e-2 && (!s.layernorm || worst[2] < 2e-2);
        const char *verdict = "   <- WRONG (make check CH=04)";
        if (!(nmax > 0)) { ok = 0; verdict = "   <- the output does not depend on the weights (forward passes?)"; }
        else if (!(amax > 0)) { ok = 0; verdict = "   <- backprop gives all zeros (backward passes?)"; }
        bad += !ok;
        printf("    %-36s %10.1e %10.1e %10s %10.1e%s\n", desc, worst[0], worst[1], ln, worst[3], ok ? "" : verdict);
        mlp_free(m);
    }
    if (bad) printf("    %d network(s) fail the check: a forward or backward pass is wrong.\n", bad);
    else printf("    all within 2e-2 (float rounding of the loss / step ≈ 1e-3 relative; a wrong backward gives ~1)\n");
    return 0;
}
