/* main_rnn.c — section 3 of chapter 16's program: an RNN and an LSTM on a
 * task that needs memory, and the gradient that reaches the start of the
 * sequence (main.h). */
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

/* The copy task: step 1 shows one of SIGNALS symbols, marked by a flag
 * input; the next `delay` steps show random symbols of the SAME alphabet,
 * unmarked; after the last step the network must name the marked symbol.
 * Inputs are one-hot plus the flag, I = SIGNALS + 1; chance is 1/SIGNALS.
 * The distractors cannot be ignored by their input channel: the network has
 * to hold the first symbol against everything that follows. */
enum { SIGNALS = 4, IN = SIGNALS + 1, RBATCH = 32, EVAL_N = 256, N_DELAYS = 4, GRAD_MAX_T = 100 };

/* A batch of B sequences of T = delay + 1 steps into xs (T, B, IN), labels y (B). */
static void copy_batch(float *xs, int *y, int T, int B, Rng *r)
{
    memset(xs, 0, (size_t)T * B * IN * sizeof *xs);
    for (int b = 0; b < B; b++) {
        y[b] = rng_int(r, SIGNALS);
        xs[(size_t)b * IN + y[b]] = 1;
        xs[(size_t)b * IN + SIGNALS] = 1;   /* the flag */
        for (int t = 1; t < T; t++) xs[((size_t)t * B + b) * IN + rng_int(r, SIGNALS)] = 1;
    }
}

static double mean_of(const double *x, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++) m += x[i] / n;
    return m;
}

/* Accuracy (%) on a fixed held-out batch. */
static double seq_accuracy(SeqNet *m, const float *xs, const int *y, int T, int B)
{
    return 100.0 * nn_accuracy(seqnet_forward(m, xs, T, B), y, B, SIGNALS);
}

/* Mean over the B sequences of the last backward pass of ‖∂L_b/∂h_0‖, the
 * gradient of sequence b's own loss. The backward pass was of the batch
 * MEAN, whose row b is (1/B)·∂L_b/∂h_0, so the mean is the plain sum. */
static double mean_dh0_norm(const SeqNet *m)
{
    double s = 0;
    for (int b = 0; b < m->batch; b++) s += sqrt(vec_dot(m->dh0 + (size_t)b * m->H, m->dh0 + (size_t)b * m->H, m->H));
    return s;
}

/* The same for the sequences xs (length T) with labels y, without training. */
static double grad_h0_norm(SeqNet *m, const float *xs, const int *y, int T, int B)
{
    float *dl = xmalloc((size_t)B * SIGNALS * sizeof *dl, "gradients");
    nn_softmax_xent(dl, seqnet_forward(m, xs, T, B), y, B, SIGNALS);
    seqnet_backward(m, dl);
    model_zero_grad(m->grads, m->n_params);
    free(dl);
    return mean_dh0_norm(m);
}

/* Train on the copy task at one delay; every `every` steps the held-out
 * accuracy into curve and the training batch's mean ‖∂L/∂h_0‖ into gcurve
 * (steps / every + 1 points each). */
static void train_copy(SeqNet *m, int delay, int steps, int every, double *curve, double *gcurve, Rng *rng,
                       int quiet, const char *label)
{
    const int T = delay + 1;
    float *xs = xmalloc((size_t)T * RBATCH * IN * sizeof *xs, "sequences");
    float *ex = xmalloc((size_t)T * EVAL_N * IN * sizeof *ex, "held-out sequences");
    float dl[RBATCH * SIGNALS];
    int y[RBATCH], ey[EVAL_N];
    Rng held = rng_split(rng);
    copy_batch(ex, ey, T, EVAL_N, &held);
    Optim *opt = optim_create(OPTIM_ADAM, m->n_params, 3e-3f);
    Progress pr;
    progress_start(&pr, label, steps, quiet);
    curve[0] = seq_accuracy(m, ex, ey, T, EVAL_N);
    gcurve[0] = NAN;
    for (int k = 1; k <= steps; k++) {
        copy_batch(xs, y, T, RBATCH, rng);
        const float loss = nn_softmax_xent(dl, seqnet_forward(m, xs, T, RBATCH), y, RBATCH, SIGNALS);
        if (!isfinite(loss)) die(1, "%s: the loss is %g at step %d; with IMPL=exercises check rnn_backward and "
                                    "lstm_backward (make check CH=16)", label, loss, k);
        model_zero_grad(m->grads, m->n_params);
        seqnet_backward(m, dl);
        if (k % every == 0) gcurve[k / every] = mean_dh0_norm(m);
        const float norm = sqrtf(vec_dot(m->grads, m->grads, m->n_params));   /* clip ‖g‖ at 1 (Pascanu et al. 2013) */
        if (norm > 1.0f) vec_scale(m->grads, 1.0f / norm, m->n_params);
        optim_step(opt, m->params, m->grads);
        if (k % every == 0) curve[k / every] = seq_accuracy(m, ex, ey, T, EVAL_N);
        progress_update(&pr, k, "acc %.0f%%", curve[k / every]);
    }
    progress_finish(&pr);
    optim_free(opt);
    free(xs); free(ex);
}

int section_recurrent(const Setup *s, Rng *rng)
{
    const int maxT = (s->max_delay > GRAD_MAX_T ? s->max_delay : GRAD_MAX_T) + 1;
    int delays[N_DELAYS];
    for (int d = 0; d < N_DELAYS; d++) {
        delays[d] = s->max_delay >> (N_DELAYS - 1 - d);
        if (delays[d] < 1) delays[d] = 1;
    }
    const int max_points = s->quick ? 10 : 30, points = max_points < s->rnn_steps ? max_points : s->rnn_steps;
    const int every = s->rnn_steps / points, n_grad = s->quick ? 64 : EVAL_N;   /* sequences per gradient norm */
    const int npts = s->rnn_steps / every + 1;
    printf("\n[3] The copy task: one marked symbol of %d, then `delay` random unmarked ones; name the marked one\n"
           "    (chance %.0f%%). RNN (tanh) and LSTM (forget bias %g), %d hidden units, %d steps of Adam (lr 0.003,\n"
           "    batch %d, gradient norm clipped at 1) per delay. Held-out accuracy on %d sequences at the end:\n",
           SIGNALS, 100.0 / SIGNALS, SEQ_FORGET_BIAS, s->hidden, s->rnn_steps, RBATCH, EVAL_N);
    double *curves[2][N_DELAYS], *gcurves[2][N_DELAYS], *steps_x = xcalloc((size_t)npts, sizeof *steps_x, "steps");
    for (int i = 0; i < npts; i++) steps_x[i] = (double)i * every;
    Rng init_rng = rng_split(rng), train_rng = rng_split(rng);
    for (int lstm = 0; lstm < 2; lstm++)
        for (int d = 0; d < N_DELAYS; d++) {
            Rng ri = init_rng;   /* the same initial draws at every delay */
            SeqNet *m = seqnet_create(lstm, IN, s->hidden, SIGNALS, maxT, EVAL_N, &ri);
            curves[lstm][d] = xcalloc((size_t)npts, sizeof(double), "a learning curve");
            gcurves[lstm][d] = xcalloc((size_t)npts, sizeof(double), "a gradient curve");
            char label[48];
            snprintf(label, sizeof label, "%s, delay %d", lstm ? "LSTM" : "RNN", delays[d]);
            train_copy(m, delays[d], s->rnn_steps, every, curves[lstm][d], gcurves[lstm][d], &train_rng, s->quiet,
                       label);
            seqnet_free(m);
        }
    printf("    %-6s", "delay");
    for (int d = 0; d < N_DELAYS; d++) printf(" %8d", delays[d]);
    printf("\n");
    for (int lstm = 0; lstm < 2; lstm++) {
        printf("    %-6s", lstm ? "LSTM" : "RNN");
        for (int d = 0; d < N_DELAYS; d++) printf(" %7.1f%%", curves[lstm][d][npts - 1]);
        printf("\n");
    }

    /* ‖∂L/∂h_0‖ against the length at initialisation: the RNN with its
     * recurrent weights scaled by a gain, the LSTM with three forget biases */
    const int lens[] = { 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 70, 100 };
    enum { NL = ARRAY_LEN(lens), NV = 6 };
    const double gains[3] = { 0.5, 1.0, 2.0 }, fbias[3] = { 0.0, 1.0, SEQ_FORGET_BIAS };
    double gx[NL], gn[NV][NL];
    char names[NV][48];
    Rng gr = rng_split(rng);
    float *xs = xmalloc((size_t)GRAD_MAX_T * EVAL_N * IN * sizeof *xs, "sequences");
    int y[EVAL_N];
    SeqNet *nets[NV];
    for (int v = 0; v < NV; v++) {
        Rng ri = init_rng;
        nets[v] = seqnet_create(v >= 3, IN, s->hidden, SIGNALS, maxT, EVAL_N, &ri);
        if (v < 3) {
            vec_scale(nets[v]->cell.Wh, (float)gains[v], s->hidden * s->hidden);
            snprintf(names[v], sizeof names[v], "RNN, W_h gain %g", gains[v]);
        } else {
            vec_fill(nets[v]->cell.b + s->hidden, (float)fbias[v - 3], s->hidden);
            snprintf(names[v], sizeof names[v], "LSTM, forget bias %g", fbias[v - 3]);
        }
    }
    for (int i = 0; i < NL; i++) {
        gx[i] = lens[i];
        copy_batch(xs, y, lens[i], n_grad, &gr);
        for (int v = 0; v < NV; v++) gn[v][i] = grad_h0_norm(nets[v], xs, y, lens[i], n_grad);
    }
    for (int v = 0; v < NV; v++) seqnet_free(nets[v]);
    free(xs);
    printf("\n[4] Vanishing gradients: mean ‖∂L/∂h_0‖ over %d copy sequences of length T, at initialisation\n"
           "    (W_h ~ N(0, gain²/H); the chapter trains gain 1 and forget bias %g):\n    %-20s", n_grad,
           SEQ_FORGET_BIAS, "T");
    for (int i = 0; i < NL; i++) printf(" %7d", lens[i]);
    printf("\n");
    for (int v = 0; v < NV; v++) {
        printf("    %-20s", names[v]);
        for (int i = 0; i < NL; i++) printf(" %7.0e", gn[v][i]);
        printf("\n");
    }
    if (!(gn[1][0] > 0)) ex_unfinished("16_arch", "rnn_forward / rnn_backward", "‖∂L/∂h_0‖ is 0 even at T = 1");
    if (!(gn[4][0] > 0)) ex_unfinished("16_arch", "lstm_forward / lstm_backward", "‖∂L/∂h_0‖ is 0 even at T = 1");
    const int dg = N_DELAYS - 2;
    printf("    During training at delay %d (mean over the run): RNN %.1e, LSTM %.1e.\n", delays[dg],
           mean_of(gcurves[0][dg] + 1, npts - 1), mean_of(gcurves[1][dg] + 1, npts - 1));

    int failures = 0;
    Plot *p = plot_begin_multi(&s->po, "delay_curves", "The copy task at increasing delays: held-out accuracy", 1, 2);
    if (p) {
        plot_size(p, 1300, 500);
        for (int lstm = 0; lstm < 2; lstm++) {
            plot_panel(p, lstm ? "LSTM" : "RNN (tanh)");
            plot_labels(p, "training step", "held-out accuracy (%)");
            plot_yrange(p, 0, 102);
            for (int d = 0; d < N_DELAYS; d++) {
                char leg[32];
                snprintf(leg, sizeof leg, "delay %d", delays[d]);
                plot_line(p, steps_x, curves[lstm][d], npts, leg);
            }
            plot_hline(p, 100.0 / SIGNALS, "chance");
        }
    }
    failures += plot_end(p) != 0;
    p = plot_begin_multi(&s->po, "grad_norm", "Vanishing gradients: the gradient that reaches the start of a sequence",
                         1, 2);
    if (p) {
        plot_size(p, 1300, 520);
        plot_panel(p, "at initialisation, against the sequence length");
        plot_labels(p, "sequence length T", "mean ||∂L/∂h_0||");
        plot_log(p, "y");
        plot_yrange(p, 1e-18, 1e12);   /* room for the key above the curves */
        plot_raw(p, "set key inside top left horizontal maxrows 3");
        const char *styles[NV] = { "lc 1 dt 3", "lc 1", "lc 1 dt 2", "lc 2 dt 3", "lc 2 dt 2", "lc 2" };
        for (int v = 0; v < NV; v++) {
            plot_next_style(p, styles[v]);
            plot_line(p, gx, gn[v], NL, names[v]);
        }
        char title[96];
        snprintf(title, sizeof title, "during training at delay %d", delays[dg]);
        plot_panel(p, title);
        plot_labels(p, "training step", "mean ||∂L/∂h_0|| of the training batch");
        plot_log(p, "y");
        plot_next_style(p, "lc 1");
        plot_line(p, steps_x + 1, gcurves[0][dg] + 1, npts - 1, "RNN");
        plot_next_style(p, "lc 2");
        plot_line(p, steps_x + 1, gcurves[1][dg] + 1, npts - 1, "LSTM");
    }
    failures += plot_end(p) != 0;
    for (int lstm = 0; lstm < 2; lstm++)
        for (int d = 0; d < N_DELAYS; d++) { free(curves[lstm][d]); free(gcurves[lstm][d]); }
    free(steps_x);
    return failures;
}
