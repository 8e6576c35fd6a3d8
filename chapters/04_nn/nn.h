/* nn — the building blocks of a neural network, with hand-written backward
 * passes (chapter 04). mlp.h assembles them into the network that chapters
 * 05–15 train.
 *
 * Dimension key:  B = batch (rows), I = input features of a layer, O = output
 *                 features, C = features of a normalised row, K = classes,
 *                 D = regression targets per example, n = elements, N = params.
 * Layout: every tensor is float, row-major, batch-major, no padding. A batch
 * X (B, I) holds feature j of example i at X[i*I + j]. A weight matrix W (O, I)
 * holds the weights INTO output unit o in row o, so a layer computes
 *     Y (B, O) = X (B, I) · Wᵀ + 1·bᵀ          (Y[i][o] = b[o] + Σ_j X[i][j]·W[o][j])
 *
 * Argument order (llm.c): outputs, saved activations, inputs, parameters,
 * sizes. Gradient conventions, the same in every backward pass here:
 *   - PARAMETER gradients (dW, db, dgamma, dbeta) are ADDED INTO (+=): the
 *     caller zeroes them explicitly before a step (mlp_zero_grad), so a
 *     gradient can be accumulated over several backward passes;
 *   - the INPUT gradient (din) is WRITTEN (=): in a chain of layers every
 *     activation has exactly one consumer, so overwriting saves a memset per
 *     layer. din may alias dout where a comment says so (elementwise layers).
 * A loss returns the batch MEAN and writes the gradient of that mean (the 1/B
 * is already in it). Nothing here allocates or fails; sizes must be >= 1.
 *
 * The exercises are the functions marked EXERCISE in solutions/04_nn/nn.c
 * (your copy: exercises/04_nn/nn.c). Grade them with `make check CH=04`.
 */
#ifndef NN_H
#define NN_H
#include "rng.h"

/* ---------------------------------------------------------------- activations */

/* The elementwise nonlinearities g. GELU x·Φ(x) (Hendrycks & Gimpel 2016)
 * comes in two forms: NN_GELU is the tanh approximation (GPT-2, llm.c,
 * PyTorch's nn.GELU(approximate='tanh')), NN_GELU_ERF the exact erf form
 * (PyTorch's default nn.GELU(); chapter 10's tiny-diffusion recipe). The two
 * differ by at most 5e-4 (near |x| = 2). */
typedef enum { NN_RELU, NN_TANH, NN_SIGMOID, NN_GELU, NN_GELU_ERF } NnAct;
#define NN_N_ACTS 5
#define NN_GELU_C 0.7978845608028654f   /* √(2/π) */
#define NN_GELU_A 0.044715f
#define NN_SQRT1_2 0.7071067811865476f  /* 1/√2 */
#define NN_INV_SQRT_2PI 0.3989422804014327f   /* 1/√(2π) */

const char *nn_act_name(NnAct act);               /* "relu", "tanh", "sigmoid", "gelu", "gelu-erf" */

/* tanh x in float, within 4e-7 of the exact value (3-4 ulp near ±1; the C
 * library's tanhf is within 1.1e-7), about 30 times faster than tanhf in a
 * loop because it is only multiply-adds, one division and two comparisons,
 * which the compiler turns into vector instructions; tanhf is a library call
 * per element. A rational minimax approximation p(x)/q(x) on [−7.905, 7.905]
 * (beyond, tanh x is ±1 in float), with the coefficients of Eigen's
 * generic_fast_tanh_float. NaN stays NaN. The reference layers use it for
 * tanh and GELU; tanhf is just as correct for the exercises. */
static inline float nn_tanhf(float x)
{
    const float clamp = 7.90531110763549805f;
    const float xc = x > clamp ? clamp : x < -clamp ? -clamp : x, x2 = xc * xc;
    float p = -2.76076847742355e-16f;               /* odd numerator: x·(α₁ + α₃x² + ... + α₁₃x¹²) */
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    float q = 1.19825839466702e-06f;                /* even denominator: β₀ + β₂x² + β₄x⁴ + β₆x⁶ */
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return (x < 4e-4f && x > -4e-4f) ? x : xc * p / q;   /* tiny |x|: tanh x = x in float */
}
int nn_act_parse(const char *s, NnAct *act);      /* 0 and *act set, or -1 for an unknown name */

/* ---------------------------------------------------------------- exercises: layers */

/* Linear (fully connected) layer, forward: out (B, O) = in (B, I)·Wᵀ + b,
 * W (O, I), b (O). out must not overlap in. */
void nn_linear_forward(float *out, const float *in, const float *W, const float *b, int B, int I, int O);

/* Linear layer, backward, given dout = ∂L/∂out (B, O):
 *     dW (O, I) += doutᵀ·in       db (O) += Σ_rows dout       din (B, I) = dout·W
 * din == NULL skips the input gradient (the first layer of a network needs
 * none); dW == NULL and db == NULL (both) skip the parameter gradients (only
 * ∂L/∂in is wanted, e.g. guidance in chapter 12). No argument may overlap. */
void nn_linear_backward(float *din, float *dW, float *db, const float *dout, const float *in, const float *W,
                        int B, int I, int O);

/* Elementwise activation, forward: out[i] = g(in[i]) for n elements.
 *   relu  g(x) = max(0, x)            tanh  g(x) = tanh x
 *   sigmoid σ(x) = 1/(1 + e^(−x))     gelu  g(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
 *   gelu-erf  g(x) = x·Φ(x) = ½x(1 + erf(x/√2))
 * out may equal in (in place). Large |x| must give 0/1 or ±1, never NaN. */
void nn_act_forward(float *out, const float *in, int n, NnAct act);

/* Elementwise activation, backward: din[i] = dout[i]·g′(in[i]), where in is
 * the forward's input and out its output (saved by the caller), so g′ can use
 * whichever is cheaper: relu 1[in > 0] (0 at the kink), tanh 1 − out²,
 * sigmoid out(1 − out), gelu and gelu-erf from in (gelu-erf: Φ(x) + x·φ(x)).
 * din may equal dout (in place). */
void nn_act_backward(float *din, const float *dout, const float *in, const float *out, int n, NnAct act);

/* ---------------------------------------------------------------- exercises: losses */

/* Softmax cross-entropy of logits (B, K) against labels (B) in 0..K−1:
 *     L = −(1/B) Σ_i log p_i[y_i],   p_i = softmax(logits_i)
 * returned; if dlogits (B, K) is not NULL it is written with ∂L/∂logits =
 * (p − onehot(y))/B. Stable for any finite logits (subtract the row max). */
float nn_softmax_xent(float *dlogits, const float *logits, const int *labels, int B, int K);

/* Mean squared error over all B·D elements (PyTorch's mse_loss):
 *     L = (1/(B·D)) Σ (pred − target)²
 * returned; if dpred (B, D) is not NULL it is written with 2(pred − target)/(B·D). */
float nn_mse(float *dpred, const float *pred, const float *target, int B, int D);

/* ---------------------------------------------------------------- exercises: regularisation */

/* Inverted dropout (Srivastava et al. 2014; the scaling as in PyTorch), n
 * elements, drop probability p in [0, 1).
 * train = 1: mask[i] = 0 with probability p (draw u = rng_uniform(rng), drop
 *            when u < p), else 1/(1 − p); out[i] = in[i]·mask[i]. So
 *            E[out[i]] = in[i]: the next layer sees the same expected input
 *            as at evaluation.
 * train = 0: out[i] = in[i]; mask and rng are not touched (may be NULL).
 * out may equal in. */
void nn_dropout_forward(float *out, float *mask, const float *in, int n, float p, int train, Rng *rng);

/* Dropout, backward (training mode): din[i] = dout[i]·mask[i], with the mask
 * of the forward pass. din may equal dout. */
void nn_dropout_backward(float *din, const float *dout, const float *mask, int n);

/* Layer normalisation (Ba, Kiros & Hinton 2016) of each row of in (B, C):
 *     μ = (1/C) Σ_c x_c,  σ² = (1/C) Σ_c (x_c − μ)²,  r = 1/√(σ² + ε)
 *     x̂_c = (x_c − μ)·r,   out_c = γ_c x̂_c + β_c
 * with ε = NN_LN_EPS. Writes out (B, C) and saves mean (B) and rstd (B) = r for
 * the backward pass. gamma, beta (C). out must not overlap in. */
void nn_layernorm_forward(float *out, float *mean, float *rstd, const float *in, const float *gamma,
                          const float *beta, int B, int C);
#define NN_LN_EPS 1e-5f

/* Layer normalisation, backward, given dout (B, C) and the forward's saved
 * mean and rstd:  dgamma += Σ_rows dout·x̂,  dbeta += Σ_rows dout,
 *     din_c = r·( g_c − mean_c'(g) − x̂_c·mean_c'(g·x̂) ),   g = γ ⊙ dout
 * din (B, C) is written; it must not overlap dout. */
void nn_layernorm_backward(float *din, float *dgamma, float *dbeta, const float *dout, const float *in,
                           const float *mean, const float *rstd, const float *gamma, int B, int C);

/* ---------------------------------------------------------------- exercises: optimiser steps
 * Each updates n parameters in place from their gradients; state arrays (n)
 * start at zero. Step counts t start at 1. */

/* Stochastic gradient descent: θ ← θ − lr·g. */
void nn_sgd_step(float *params, const float *grads, int n, float lr);

/* SGD with (heavy-ball) momentum, in PyTorch's form (Sutskever et al. 2013
 * write the same method with the lr inside v):
 *     v ← μ·v + g,   θ ← θ − lr·v */
void nn_momentum_step(float *params, float *velocity, const float *grads, int n, float lr, float mu);

/* Adam (Kingma & Ba 2015, Algorithm 1), step t = 1, 2, ...:
 *     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
 *     m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ),   θ ← θ − lr·m̂/(√v̂ + ε) */
void nn_adam_step(float *params, float *m, float *v, const float *grads, int n, float lr, float beta1,
                  float beta2, float eps, int t);

/* ---------------------------------------------------------------- given helpers */

/* Row-wise softmax: probs (B, K) = softmax(logits (B, K)), stable. */
void nn_softmax(float *probs, const float *logits, int B, int K);

/* Fraction of rows whose largest logit is the label's (ties: the first wins). */
double nn_accuracy(const float *logits, const int *labels, int B, int K);

#endif
