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
    /* TODO: your code here (see the comment above the function). */
    (void)hs; (void)xs; (void)p; (void)T; (void)B; (void)I; (void)H;
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
    /* TODO: your code here (see the comment above the function). */
    (void)dxs; (void)dh0; (void)grad; (void)dhs; (void)hs; (void)xs; (void)p; (void)work;
    (void)T; (void)B; (void)I; (void)H;
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
    /* TODO: your code here (see the comment above the function). */
    (void)hs; (void)cs; (void)gates; (void)xs; (void)p; (void)T; (void)B; (void)I; (void)H;
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
    /* TODO: your code here (see the comment above the function). */
    (void)dxs; (void)dh0; (void)dc0; (void)grad; (void)dhs; (void)hs; (void)cs; (void)gates; (void)xs;
    (void)p; (void)work; (void)T; (void)B; (void)I; (void)H;
}
