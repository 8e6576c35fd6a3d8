/* rnn.c — a vanilla RNN and an LSTM over whole sequences, forward and
 * backward through time (chapter 16; see rnn.h and the README).
 *
 * Each function marked EXERCISE is yours to write in exercises/16_arch/rnn.c.
 * Check your work with `make check CH=16`.
 */
#include "rnn.h"
#include "linalg.h"
#include "nn.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* σ(x) = 1/(1 + e^(−x)), given. For x far below 0 expf(−x) overflows to inf and σ is 0;
 * far above, 1 exactly: no NaN either way. */
static inline float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

/* ======================================================================== */
/* EXERCISE 9: vanilla RNN, forward (Elman 1990; Goodfellow et al. §10.2)
 *
 *   h_t = tanh(x_t·Wxᵀ + h_{t−1}·Whᵀ + b),   t = 1..T
 *
 * The same weights at every step. Block t of hs (offset t·B·H) is h_t; block
 * 0 is h_0, already set. Compute the pre-activation straight into block t:
 * mat_mul_abt(h_t, x_t, Wx, B, I, H, 0), then add h_{t−1}·Whᵀ
 * (accumulate = 1) and b, then tanh in place (nn_tanhf or tanhf).
 */
void rnn_forward(float *hs, const float *xs, const CellParams *p, int T, int B, int I, int H)
{
    // BEGIN SOLUTION
    for (int t = 1; t <= T; t++) {
        float *h = hs + (size_t)t * B * H;
        const float *hprev = h - (size_t)B * H, *x = xs + (size_t)(t - 1) * B * I;
        mat_mul_abt(h, x, p->Wx, B, I, H, 0);
        mat_mul_abt(h, hprev, p->Wh, B, H, H, 1);
        for (int r = 0; r < B; r++)
            for (int j = 0; j < H; j++) h[r * H + j] = nn_tanhf(h[r * H + j] + p->b[j]);
    }
    // END SOLUTION
    // STUB (void)hs; (void)xs; (void)p; (void)T; (void)B; (void)I; (void)H;
}

/* ======================================================================== */
/* EXERCISE 10: vanilla RNN, backward through time (Werbos 1990)
 *
 * Walk t = T..1 with g = ∂L/∂h_t, the gradient reaching h_t both from the
 * readout (dhs_t) and from the future through h_{t+1}:
 *   g    ← g + dhs_t                  (g = 0 before step T)
 *   dz   = g ⊙ (1 − h_t²)              tanh′ from the saved output
 *   Wx  += dzᵀ·x_t,  Wh += dzᵀ·h_{t−1},  b += Σ_rows dz     (mat_mul_atb, accumulate = 1)
 *   dx_t = dz·Wx                       (mat_mul_ab, if dxs is not NULL)
 *   g    ← dz·Wh                       the gradient for h_{t−1}
 * and after step 1, dh0 = g. Every step multiplies g by Whᵀ·diag(1 − h²):
 * over many steps that product shrinks (or blows up) geometrically.
 * work = [g (B, H) | dz (B, H)].
 */
void rnn_backward(float *dxs, float *dh0, CellParams *grad, const float *dhs, const float *hs, const float *xs,
                  const CellParams *p, float *work, int T, int B, int I, int H)
{
    // BEGIN SOLUTION
    const size_t BH = (size_t)B * H;
    float *g = work, *dz = work + BH;
    memset(g, 0, BH * sizeof *g);
    for (int t = T; t >= 1; t--) {
        const float *h = hs + (size_t)t * BH, *hprev = h - BH, *x = xs + (size_t)(t - 1) * B * I;
        const float *dh_out = dhs + (size_t)(t - 1) * BH;
        for (size_t k = 0; k < BH; k++) dz[k] = (g[k] + dh_out[k]) * (1.0f - h[k] * h[k]);
        mat_mul_atb(grad->Wx, dz, x, H, B, I, 1);
        mat_mul_atb(grad->Wh, dz, hprev, H, B, H, 1);
        for (int r = 0; r < B; r++)
            for (int j = 0; j < H; j++) grad->b[j] += dz[r * H + j];
        if (dxs) mat_mul_ab(dxs + (size_t)(t - 1) * B * I, dz, p->Wx, B, H, I, 0);
        mat_mul_ab(g, dz, p->Wh, B, H, H, 0);
    }
    memcpy(dh0, g, BH * sizeof *dh0);
    // END SOLUTION
    // STUB (void)dxs; (void)dh0; (void)grad; (void)dhs; (void)hs; (void)xs; (void)p; (void)work;
    // STUB (void)T; (void)B; (void)I; (void)H;
}

/* ======================================================================== */
/* EXERCISE 11: LSTM, forward (Hochreiter & Schmidhuber 1997; forget gate:
 * Gers et al. 2000; Goodfellow et al. §10.10.1)
 *
 *   z_t = x_t·Wxᵀ + h_{t−1}·Whᵀ + b           (B, 4H), blocks [i | f | g | o]
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 *
 * Compute z into block t − 1 of gates (offset (t − 1)·B·4H) and activate it
 * in place: row r's unit j has i at [r·4H + j], f at [r·4H + H + j], g at
 * [r·4H + 2H + j], o at [r·4H + 3H + j]. The cell state is a running sum
 * that the forget gate scales and the input gate adds to; only o and tanh
 * stand between it and h.
 */
void lstm_forward(float *hs, float *cs, float *gates, const float *xs, const CellParams *p, int T, int B, int I,
                  int H)
{
    // BEGIN SOLUTION
    const size_t BH = (size_t)B * H;
    const int G = 4 * H;
    for (int t = 1; t <= T; t++) {
        float *z = gates + (size_t)(t - 1) * B * G, *h = hs + (size_t)t * BH, *c = cs + (size_t)t * BH;
        const float *hprev = h - BH, *cprev = c - BH, *x = xs + (size_t)(t - 1) * B * I;
        mat_mul_abt(z, x, p->Wx, B, I, G, 0);
        mat_mul_abt(z, hprev, p->Wh, B, H, G, 1);
        for (int r = 0; r < B; r++) {
            float *zr = z + (size_t)r * G;
            for (int j = 0; j < G; j++) {
                const float a = zr[j] + p->b[j];
                zr[j] = (j >= 2 * H && j < 3 * H) ? nn_tanhf(a) : sigmoidf(a);
            }
            for (int j = 0; j < H; j++) {
                const float ig = zr[j], fg = zr[H + j], gg = zr[2 * H + j], og = zr[3 * H + j];
                const size_t k = (size_t)r * H + j;
                c[k] = fg * cprev[k] + ig * gg;
                h[k] = og * nn_tanhf(c[k]);
            }
        }
    }
    // END SOLUTION
    // STUB (void)hs; (void)cs; (void)gates; (void)xs; (void)p; (void)T; (void)B; (void)I; (void)H;
}

/* ======================================================================== */
/* EXERCISE 12: LSTM, backward through time
 *
 * Walk t = T..1 carrying dh = ∂L/∂h_t and dc = ∂L/∂c_t from the future
 * (both 0 before step T). At step t, with the saved gates and τ = tanh(c_t):
 *   dh  ← dh + dhs_t
 *   do  = dh ⊙ τ                        dc ← dc + dh ⊙ o ⊙ (1 − τ²)
 *   di  = dc ⊙ g,   dg = dc ⊙ i,   df = dc ⊙ c_{t−1}
 *   dz  = [di ⊙ i(1 − i) | df ⊙ f(1 − f) | dg ⊙ (1 − g²) | do ⊙ o(1 − o)]
 *   Wx += dzᵀ·x_t,  Wh += dzᵀ·h_{t−1},  b += Σ_rows dz
 *   dx_t = dz·Wx (if dxs),   dh ← dz·Wh,   dc ← dc ⊙ f
 * and after step 1, dh0 = dh, dc0 = dc. The cell path multiplies dc by f
 * alone at each step, no weight matrix and no squashing derivative: with
 * f ≈ 1 the gradient survives any number of steps (the "constant error
 * carousel"). work = [dz (B, 4H) | dh (B, H) | dc (B, H)].
 */
void lstm_backward(float *dxs, float *dh0, float *dc0, CellParams *grad, const float *dhs, const float *hs,
                   const float *cs, const float *gates, const float *xs, const CellParams *p, float *work, int T,
                   int B, int I, int H)
{
    // BEGIN SOLUTION
    const size_t BH = (size_t)B * H;
    const int G = 4 * H;
    float *dz = work, *dh = work + (size_t)B * G, *dc = dh + BH;
    memset(dh, 0, 2 * BH * sizeof *dh);
    for (int t = T; t >= 1; t--) {
        const float *a = gates + (size_t)(t - 1) * B * G, *c = cs + (size_t)t * BH, *cprev = c - BH;
        const float *hprev = hs + (size_t)(t - 1) * BH, *x = xs + (size_t)(t - 1) * B * I;
        const float *dh_out = dhs + (size_t)(t - 1) * BH;
        for (int r = 0; r < B; r++)
            for (int j = 0; j < H; j++) {
                const size_t k = (size_t)r * H + j;
                const float *ar = a + (size_t)r * G;
                const float ig = ar[j], fg = ar[H + j], gg = ar[2 * H + j], og = ar[3 * H + j];
                const float tau = nn_tanhf(c[k]), d_h = dh[k] + dh_out[k];
                const float d_c = dc[k] + d_h * og * (1.0f - tau * tau);
                float *dzr = dz + (size_t)r * G;
                dzr[j] = d_c * gg * ig * (1.0f - ig);
                dzr[H + j] = d_c * cprev[k] * fg * (1.0f - fg);
                dzr[2 * H + j] = d_c * ig * (1.0f - gg * gg);
                dzr[3 * H + j] = d_h * tau * og * (1.0f - og);
                dc[k] = d_c * fg;
            }
        mat_mul_atb(grad->Wx, dz, x, G, B, I, 1);
        mat_mul_atb(grad->Wh, dz, hprev, G, B, H, 1);
        for (int r = 0; r < B; r++)
            for (int j = 0; j < G; j++) grad->b[j] += dz[(size_t)r * G + j];
        if (dxs) mat_mul_ab(dxs + (size_t)(t - 1) * B * I, dz, p->Wx, B, G, I, 0);
        mat_mul_ab(dh, dz, p->Wh, B, G, H, 0);
    }
    memcpy(dh0, dh, BH * sizeof *dh0);
    memcpy(dc0, dc, BH * sizeof *dc0);
    // END SOLUTION
    // STUB (void)dxs; (void)dh0; (void)dc0; (void)grad; (void)dhs; (void)hs; (void)cs; (void)gates; (void)xs;
    // STUB (void)p; (void)work; (void)T; (void)B; (void)I; (void)H;
}
