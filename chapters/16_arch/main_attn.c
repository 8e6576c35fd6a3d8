/* main_attn.c — sections 5 and 6 of chapter 16's program: a one-layer
 * attention model that reverses sequences, and what the 1/√d scaling does
 * to the softmax (main.h). */
#include "self_attention.h"
#include "linalg.h"
#include "exercise.h"
#include "main.h"
#include "mlp.h"
#include "models.h"
#include "nn.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================== 5. reversal */

/* Sequences of SEQ_T tokens from a vocabulary of VOCAB; the target at
 * position t is the input token at position SEQ_T − 1 − t. */
enum { VOCAB = 10, SEQ_T = 8, WIDTH = 32, HEADS = 2, ABATCH = 32, AEVAL = 512, N_VARIANTS = 3 };

static void reversal_batch(int *tok, int *target, int B, Rng *r)
{
    for (int b = 0; b < B; b++) {
        for (int t = 0; t < SEQ_T; t++) tok[b * SEQ_T + t] = rng_int(r, VOCAB);
        for (int t = 0; t < SEQ_T; t++) target[b * SEQ_T + t] = tok[b * SEQ_T + SEQ_T - 1 - t];
    }
}

/* Held-out accuracy (%) over all positions, and per position into per_pos (may be NULL). */
static double reversal_accuracy(AttnNet *m, const int *tok, const int *target, int B, int causal, double *per_pos)
{
    const float *logits = attnnet_forward(m, tok, B, causal);
    long right[SEQ_T] = { 0 }, all = 0;
    for (int b = 0; b < B; b++)
        for (int t = 0; t < SEQ_T; t++) {
            const int ok = vec_argmax(logits + ((size_t)b * SEQ_T + t) * VOCAB, VOCAB) == target[b * SEQ_T + t];
            right[t] += ok;
            all += ok;
        }
    if (per_pos)
        for (int t = 0; t < SEQ_T; t++) per_pos[t] = 100.0 * right[t] / B;
    return 100.0 * all / ((double)B * SEQ_T);
}

typedef struct {
    const char *name;
    int use_pos, causal;
} Variant;

static const Variant VARIANTS[N_VARIANTS] = {
    { "with positions", 1, 0 },
    { "without positions", 0, 0 },
    { "with positions, causal mask", 1, 1 },
};

/* After the first forward and backward pass: what a stub leaves is 0. */
static void probe(const AttnNet *m)
{
    const size_t n = (size_t)ABATCH * HEADS * SEQ_T * SEQ_T, nw = 4 * (size_t)WIDTH * WIDTH;
    double sa = 0, sg = 0;
    for (size_t i = 0; i < n; i++) sa += fabs(m->cache->probs[i]);
    for (size_t i = 0; i < nw; i++) sg += fabs(m->dmha.Wq[i]);   /* dWq, dWk, dWv, dWo are contiguous */
    if (!(sa > 0)) ex_unfinished("16_arch", "attn_forward / mha_forward", "the attention weights are all 0");
    if (!(sg > 0)) ex_unfinished("16_arch", "attn_backward / mha_backward", "the attention layer's weights get no gradient");
}

/* Train one variant; the held-out accuracy every `every` steps into curve. */
static AttnNet *train_reversal(const Variant *v, int steps, int every, double *curve, const int *etok,
                               const int *etarget, Rng *init, Rng *rng, int quiet)
{
    AttnNet *m = attnnet_create(VOCAB, SEQ_T, WIDTH, HEADS, v->use_pos, AEVAL, init);
    Optim *opt = optim_create(OPTIM_ADAM, m->n_params, 3e-3f);
    int tok[ABATCH * SEQ_T], target[ABATCH * SEQ_T];
    float *dl = xmalloc((size_t)ABATCH * SEQ_T * VOCAB * sizeof *dl, "logit gradients");
    Progress pr;
    progress_start(&pr, v->name, steps, quiet);
    curve[0] = reversal_accuracy(m, etok, etarget, AEVAL, v->causal, NULL);
    for (int k = 1; k <= steps; k++) {
        reversal_batch(tok, target, ABATCH, rng);
        const float loss = nn_softmax_xent(dl, attnnet_forward(m, tok, ABATCH, v->causal), target, ABATCH * SEQ_T,
                                           VOCAB);
        if (!isfinite(loss)) die(1, "attention model (%s): the loss is %g at step %d; with IMPL=exercises check "
                                    "attn_backward and mha_backward (make check CH=16)", v->name, loss, k);
        model_zero_grad(m->grads, m->n_params);
        attnnet_backward(m, dl);
        if (k == 1) probe(m);
        optim_step(opt, m->params, m->grads);
        if (k % every == 0) curve[k / every] = reversal_accuracy(m, etok, etarget, AEVAL, v->causal, NULL);
        progress_update(&pr, k, "loss %.3f", loss);
    }
    progress_finish(&pr);
    optim_free(opt);
    free(dl);
    return m;
}

/* The attention weights of sequence 0 (heads of (T, T)) after a forward pass. */
static void attention_map(const AttnNet *m, int head, double *z)
{
    const float *A = m->cache->probs + (size_t)head * SEQ_T * SEQ_T;   /* sequence 0, head `head` */
    for (int i = 0; i < SEQ_T * SEQ_T; i++) z[i] = A[i];
}

int section_attention(const Setup *s, Rng *rng)
{
    const int max_points = s->quick ? 10 : 30, steps = s->attn_steps, points = max_points < steps ? max_points : steps;
    const int every = steps / points;
    const int npts = steps / every + 1;
    int *etok = xmalloc((size_t)AEVAL * SEQ_T * sizeof *etok, "held-out sequences");
    int *etarget = xmalloc((size_t)AEVAL * SEQ_T * sizeof *etarget, "held-out targets");
    Rng held = rng_split(rng), init = rng_split(rng), train = rng_split(rng);
    reversal_batch(etok, etarget, AEVAL, &held);
    printf("\n[5] Attention: reverse sequences of %d tokens (vocabulary %d). One multi-head attention layer (%d heads,\n"
           "    width %d) with a residual connection and a linear readout; %d steps of Adam (lr 0.003, batch %d).\n"
           "    Held-out token accuracy (chance %.0f%%), overall and by output position:\n",
           SEQ_T, VOCAB, HEADS, WIDTH, steps, ABATCH, 100.0 / VOCAB);
    double *curves[N_VARIANTS], per_pos[N_VARIANTS][SEQ_T], final[N_VARIANTS];
    double *steps_x = xcalloc((size_t)npts, sizeof *steps_x, "steps");
    for (int i = 0; i < npts; i++) steps_x[i] = (double)i * every;
    AttnNet *nets[N_VARIANTS];
    for (int v = 0; v < N_VARIANTS; v++) {
        Rng ri = init;   /* the same initial draws for every variant */
        curves[v] = xcalloc((size_t)npts, sizeof(double), "a learning curve");
        nets[v] = train_reversal(&VARIANTS[v], steps, every, curves[v], etok, etarget, &ri, &train, s->quiet);
        final[v] = reversal_accuracy(nets[v], etok, etarget, AEVAL, VARIANTS[v].causal, per_pos[v]);
    }
    printf("    %-30s %8s   by position 0..%d\n", "model", "overall", SEQ_T - 1);
    for (int v = 0; v < N_VARIANTS; v++) {
        printf("    %-30s %7.1f%%  ", VARIANTS[v].name, final[v]);
        for (int t = 0; t < SEQ_T; t++) printf(" %5.1f", per_pos[v][t]);
        printf("\n");
    }
    /* the maps of held-out sequence 0, for the first and the causal model */
    double maps[2][HEADS][SEQ_T * SEQ_T];
    for (int k = 0; k < 2; k++) {
        AttnNet *m = nets[k ? 2 : 0];
        attnnet_forward(m, etok, 1, k ? 1 : 0);
        for (int h = 0; h < HEADS; h++) attention_map(m, h, maps[k][h]);
    }
    /* how much of each query's weight the model with positions puts on the mirror position T − 1 − t */
    double mirror = 0;
    for (int t = 0; t < SEQ_T; t++) {
        double best = 0;
        for (int h = 0; h < HEADS; h++) best = fmax(best, maps[0][h][t * SEQ_T + SEQ_T - 1 - t]);
        mirror += best / SEQ_T;
    }
    printf("    The model with positions puts on average %.2f of a query's attention (its more decisive head) on\n"
           "    the mirror position T − 1 − t, in the held-out sequence drawn in attention_maps.\n", mirror);

    int failures = 0;
    Plot *p = plot_begin_multi(&s->po, "attention_maps", "Attention weights A_{ij} for one held-out sequence", 2, HEADS);
    if (p) {
        plot_size(p, 1100, 1000);
        char tics[256], title[128];
        int k = 0;
        for (int t = 0; t < SEQ_T; t++)
            k += snprintf(tics + k, sizeof tics - (size_t)k, "%s'%d' %d", t ? ", " : "", etok[t], t);
        for (int r = 0; r < 2; r++)
            for (int h = 0; h < HEADS; h++) {
                snprintf(title, sizeof title, "%s, head %d", r ? "causal mask" : "full attention", h + 1);
                plot_panel(p, title);
                plot_labels(p, "key: input token at position j", "query: output position i");
                char cmd[300];
                snprintf(cmd, sizeof cmd, "set xtics (%s)", tics);
                plot_raw(p, cmd);
                plot_cbrange(p, 0, 1);
                plot_heatmap(p, maps[r][h], SEQ_T, SEQ_T, "%.2f");
            }
    }
    failures += plot_end(p) != 0;
    p = plot_begin_multi(&s->po, "attention_accuracy", "Reversing sequences with one attention layer", 1, 2);
    if (p) {
        plot_size(p, 1300, 500);
        plot_panel(p, "held-out token accuracy during training");
        plot_labels(p, "training step", "accuracy (%)");
        plot_yrange(p, 0, 135);   /* room for the key above the curves */
        plot_raw(p, "set key inside top right vertical opaque box");
        for (int v = 0; v < N_VARIANTS; v++) plot_line(p, steps_x, curves[v], npts, VARIANTS[v].name);
        plot_hline(p, 100.0 / VOCAB, "chance");
        plot_panel(p, "after training, by output position i (the target is the input at T - 1 - i)");
        plot_labels(p, "output position i", "accuracy (%)");
        plot_yrange(p, 0, 135);
        plot_xrange(p, -0.5, SEQ_T - 0.5);
        plot_raw(p, "set key inside top right vertical opaque box");
        double pos[SEQ_T];
        for (int t = 0; t < SEQ_T; t++) pos[t] = t;
        for (int v = 0; v < N_VARIANTS; v++) {
            plot_next_style(p, "pt 7 ps 1.2");
            plot_points(p, pos, per_pos[v], SEQ_T, VARIANTS[v].name);
        }
        plot_hline(p, 100.0 / VOCAB, "chance");
        plot_vline(p, (SEQ_T - 1) / 2.0, NULL);   /* i = T − 1 − i: the causal model sees its target from here on */
    }
    failures += plot_end(p) != 0;
    for (int v = 0; v < N_VARIANTS; v++) { attnnet_free(nets[v]); free(curves[v]); }
    free(etok); free(etarget); free(steps_x);
    return failures;
}

/* ================================================================== 6. scaling */

int section_softmax_scaling(const Setup *s, Rng *rng)
{
    enum { TK = 16, ND = 10 };
    const int trials = s->quick ? 50 : 200;
    double dims[ND], maxw[2][ND], jac[2][ND];
    const int maxd = 1 << (ND - 1);
    float *q = xmalloc((size_t)trials * TK * maxd * sizeof *q, "queries");
    float *k = xmalloc((size_t)trials * TK * maxd * sizeof *k, "keys");
    float *v = xcalloc((size_t)trials * TK, sizeof *v, "values"), *out = xmalloc((size_t)trials * TK * sizeof *out, "out");
    float *A = xmalloc((size_t)trials * TK * TK * sizeof *A, "weights");
    for (int i = 0; i < ND; i++) {
        const int d = 1 << i;
        dims[i] = d;
        for (size_t j = 0; j < (size_t)trials * TK * d; j++) { q[j] = (float)rng_normal(rng); k[j] = (float)rng_normal(rng); }
        for (int scaled = 0; scaled < 2; scaled++) {
            attn_forward(out, A, q, k, v, trials, TK, d, 1, scaled ? 1.0f / sqrtf((float)d) : 1.0f, 0);
            /* per query row a: its largest weight, and ‖J‖_F of the softmax Jacobian J = diag(a) − a·aᵀ */
            double mw = 0, jn = 0;
            for (int r = 0; r < trials * TK; r++) {
                const float *a = A + (size_t)r * TK;
                double m = 0, f2 = 0;
                for (int x = 0; x < TK; x++) {
                    m = fmax(m, a[x]);
                    for (int y = 0; y < TK; y++) {
                        const double jxy = (x == y ? a[x] : 0.0) - (double)a[x] * a[y];
                        f2 += jxy * jxy;
                    }
                }
                mw += m / (trials * TK);
                jn += sqrt(f2) / (trials * TK);
            }
            maxw[scaled][i] = mw;
            jac[scaled][i] = jn;
        }
    }
    printf("\n[6] The 1/√d scaling: q, k ~ N(0, I_d), %d keys, %d draws. With entries of variance 1, q·k has variance\n"
           "    d; unscaled, the softmax saturates on one key and its Jacobian (the gradient it passes) vanishes:\n",
           TK, trials);
    printf("    %-26s", "d");
    for (int i = 0; i < ND; i++) printf(" %6.0f", dims[i]);
    printf("\n");
    const char *rows[4] = { "largest weight, q·k/√d", "largest weight, q·k", "‖J‖_F, q·k/√d", "‖J‖_F, q·k" };
    for (int r = 0; r < 4; r++) {
        printf("    ");
        const double *vals = r < 2 ? maxw[r == 0] : jac[r == 2];
        /* pad by characters, not bytes: the labels hold multi-byte symbols */
        int chars = 0;
        for (const char *c = rows[r]; *c; c++) chars += ((unsigned char)*c & 0xC0) != 0x80;
        fputs(rows[r], stdout);
        for (; chars < 26; chars++) putchar(' ');
        for (int i = 0; i < ND; i++) printf(" %6.3f", vals[i]);
        printf("\n");
    }
    printf("    (uniform weights would be 1/%d = %.4f; one-hot gives a largest weight of 1 and ‖J‖_F = 0)\n", TK, 1.0 / TK);
    if (!(maxw[1][0] > 0)) ex_unfinished("16_arch", "attn_forward", "the attention weights are all 0");
    free(q); free(k); free(v); free(out); free(A);

    Plot *p = plot_begin_multi(&s->po, "softmax_scaling", "Why attention divides by √d: softmax saturation", 1, 2);
    if (!p) return 1;
    plot_size(p, 1300, 500);
    plot_panel(p, "the largest attention weight of a query (mean)");
    plot_labels(p, "key size d", "largest weight");
    plot_log(p, "x");
    plot_yrange(p, 0, 1.02);
    plot_line(p, dims, maxw[1], ND, "softmax(q·k/√d)");
    plot_line(p, dims, maxw[0], ND, "softmax(q·k)");
    plot_hline(p, 1.0 / TK, "uniform");
    plot_panel(p, "the softmax's Jacobian: the gradient it passes back");
    plot_labels(p, "key size d", "mean ||diag(a) - a·a^T||_F");
    plot_log(p, "xy");
    plot_line(p, dims, jac[1], ND, "softmax(q·k/√d)");
    plot_line(p, dims, jac[0], ND, "softmax(q·k)");
    return plot_end(p) != 0;
}
