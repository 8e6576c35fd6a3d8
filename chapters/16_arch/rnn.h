/* rnn — a vanilla recurrent network and an LSTM over whole sequences,
 * forward and backward through time (chapter 16, part 2).
 *
 * Dimension key:  T = time steps, B = batch (sequences), I = input features
 *                 per step, H = hidden units.
 * Layout: time-major. Inputs xs (T, B, I): x_t for t = 1..T is the block
 * xs + (t − 1)·B·I. States hs (T + 1, B, H): block t holds h_t, and block 0
 * is h_0, which the CALLER sets before the forward pass (zeros, usually);
 * the LSTM's cell states cs (T + 1, B, H) likewise. Weights follow nn.h:
 * a matrix (O, I) holds the weights INTO output unit o in row o, so a step
 * computes rows z = x·Wxᵀ + h·Whᵀ + b (mat_mul_abt).
 *
 *   RNN (Elman 1990):   h_t = tanh(x_t·Wxᵀ + h_{t−1}·Whᵀ + b)        Wx (H, I), Wh (H, H), b (H)
 *   LSTM (Hochreiter & Schmidhuber 1997, with the forget gate of Gers,
 *   Schmidhuber & Cummins 2000), the gate pre-activations in four blocks of H:
 *       z_t = x_t·Wxᵀ + h_{t−1}·Whᵀ + b = [z_i | z_f | z_g | z_o]      Wx (4H, I), Wh (4H, H), b (4H)
 *       i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
 *       c_t = f ⊙ c_{t−1} + i ⊙ g,      h_t = o ⊙ tanh(c_t)
 *
 * Backward through time: the loss may depend on every h_t (dhs, given by the
 * caller: ∂L/∂h_t through the readout only, (T, B, H), block t − 1 for h_t).
 * The backward passes walk t = T..1 carrying the gradient that reaches h_t
 * from the future, and return ∂L/∂h_0 (and ∂L/∂c_0): the quantity whose
 * shrinking with T is the vanishing gradient (Bengio, Simard & Frasconi
 * 1994; Pascanu, Mikolov & Bengio 2013).
 *
 * Gradient conventions as in nn.h: parameter gradients ADDED INTO (+=), input
 * gradients (dxs, dh0, dc0) WRITTEN (=); dxs may be NULL. Nothing allocates:
 * work is the caller's scratch (sizes below). The exercises are marked
 * EXERCISE in solutions/16_arch/rnn.c; grade them with `make check CH=16`.
 */
#ifndef RNN_H
#define RNN_H

/* The weights of a cell: views into one parameter block (or into the same
 * layout of gradients). G = H for the RNN, 4H for the LSTM. */
typedef struct {
    float *Wx;   /* (G, I) */
    float *Wh;   /* (G, H) */
    float *b;    /* (G) */
} CellParams;

/* ---------------------------------------------------------------- exercises: vanilla RNN */

/* Forward over T steps: hs blocks 1..T from hs block 0 (h_0, set by the caller). */
void rnn_forward(float *hs, const float *xs, const CellParams *p, int T, int B, int I, int H);

/* Backward through time. Given dhs (T, B, H) and the forward's hs:
 *     grad->Wx += Σ_t dz_tᵀ·x_t,  grad->Wh += Σ_t dz_tᵀ·h_{t−1},  grad->b += Σ_t Σ_rows dz_t
 * with dz_t = (dhs_t + dz_{t+1}·Wh) ⊙ (1 − h_t²) the gradient at step t's
 * pre-activation; dxs (T, B, I) = dz_t·Wx if not NULL; dh0 (B, H) = dz_1·Wh.
 * work: 2·B·H floats. */
void rnn_backward(float *dxs, float *dh0, CellParams *grad, const float *dhs, const float *hs, const float *xs,
                  const CellParams *p, float *work, int T, int B, int I, int H);

/* ---------------------------------------------------------------- exercises: LSTM */

/* Forward over T steps from hs and cs block 0 (h_0, c_0, set by the caller).
 * gates (T, B, 4H) receives the activated gates [i | f | g | o] of every step
 * for the backward pass. */
void lstm_forward(float *hs, float *cs, float *gates, const float *xs, const CellParams *p, int T, int B, int I,
                  int H);

/* Backward through time, given dhs (T, B, H) and the forward's hs, cs, gates.
 * Writes dh0 and dc0 (B, H) = ∂L/∂h_0, ∂L/∂c_0 and dxs (if not NULL); adds
 * into grad. work: 6·B·H floats. */
void lstm_backward(float *dxs, float *dh0, float *dc0, CellParams *grad, const float *dhs, const float *hs,
                   const float *cs, const float *gates, const float *xs, const CellParams *p, float *work, int T,
                   int B, int I, int H);

#endif
