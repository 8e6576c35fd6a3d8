/* models — the three small networks chapter 16 trains, assembled from the
 * exercises (conv.h, rnn.h, self_attention.h) and chapter 04's layers (nn.h). Given
 * code: nothing here is an exercise, so with IMPL=exercises they run on
 * your layers.
 *
 * Each model keeps every parameter in one block `params` (n_params floats)
 * and its gradients in `grads`, same layout, so chapter 04's optimisers
 * (Optim, optim_step) train it in one flat loop. forward keeps what backward
 * needs; backward ADDS into grads (zero them first: model_zero_grad); as in
 * mlp.h, nothing is allocated after create, and a batch larger than
 * max_batch is a programming error (the program stops with a message).
 *
 *   Cnn      image classifier (Simard et al. 2003; LeCun et al. 1998 in
 *            spirit): conv 5×5 (pad 2) → ReLU → 2×2 max pool → conv 3×3
 *            (pad 1) → ReLU → 2×2 max pool → linear → logits.
 *   SeqNet   sequence classifier: an RNN (tanh) or LSTM cell over the whole
 *            sequence, a linear readout of the last state h_T.
 *   AttnNet  token sequence to token sequence: x_t = E[token_t] (+ P[t],
 *            learned positions, if use_pos), y = x + MultiHead(x), logits_t =
 *            y_t·Woutᵀ + bout. One attention layer, no MLP block.
 */
#ifndef MODELS_H
#define MODELS_H
#include "self_attention.h"
#include "conv.h"
#include "rng.h"
#include "rnn.h"

/* Zero a model's gradient block. */
void model_zero_grad(float *grads, int n_params);

/* ---------------------------------------------------------------- Cnn */

typedef struct {
    int H, W;       /* input image (one channel) */
    int c1, c2;     /* channels of the two convolutions */
    int classes;    /* outputs */
} CnnSpec;

typedef struct {
    CnnSpec spec;
    int max_batch, n_params;
    ConvShape l1, l2;            /* 1 → c1, K 5, P 2; c1 → c2, K 3, P 1 (stride 1, sizes kept) */
    int h1, w1, h2, w2;          /* after the first and second pooling */
    int flat;                    /* c2·h2·w2: the input of the linear layer */
    float *params, *grads;       /* (n_params) each */
    float *cw1, *cb1, *cw2, *cb2, *W3, *b3;        /* views into params: (c1,1,5,5) (c1) (c2,c1,3,3) (c2) (K,flat) (K) */
    float *dcw1, *dcb1, *dcw2, *dcb2, *dW3, *db3;  /* the same views into grads */
    /* activations of the last forward pass (max_batch rows each) */
    const float *x;              /* the input it was given (not copied) */
    float *cols1, *a1, *p1, *cols2, *a2, *p2, *logits;
    int *am1, *am2;              /* pooling winners */
    float *dbuf1, *dbuf2, *dcols;   /* backward scratch */
    int batch;
} Cnn;

int   cnn_param_count(const CnnSpec *s);
/* He-normal convolutions (fan-in C·K·K), LeCun-normal output layer, zero
 * biases. NULL if a size is < 1 or H, W are not multiples of 4. */
Cnn  *cnn_create(const CnnSpec *s, int max_batch, Rng *rng);
void  cnn_free(Cnn *m);                                    /* accepts NULL */
const float *cnn_forward(Cnn *m, const float *x, int B);   /* x (B, H, W) -> logits (B, classes) */
void  cnn_backward(Cnn *m, const float *dlogits);          /* grads += ∂L/∂params of the last forward */

/* ---------------------------------------------------------------- SeqNet */

typedef struct {
    int lstm;                    /* 0: RNN (tanh), 1: LSTM */
    int I, H, classes, max_T, max_batch, n_params;
    CellParams cell, dcell;      /* views into params and grads */
    float *Wo, *bo, *dWo, *dbo;  /* readout (classes, H), (classes) */
    float *params, *grads;
    float *hs, *cs, *gates;      /* (max_T + 1, B, H), (max_T + 1, B, H), (max_T, B, 4H) */
    float *dhs, *dh0, *dc0, *work, *logits;
    const float *xs;             /* the last forward's input (not copied) */
    int T, batch;
} SeqNet;

/* RNN: Wx ~ N(0, 1/I), Wh ~ N(0, 1/H) (spectral radius about 1); LSTM: the
 * same per gate, forget-gate bias SEQ_FORGET_BIAS; readout N(0, 1/H); other
 * biases 0. NULL on a size < 1. A positive forget bias starts the cell
 * remembering (Gers et al. 2000; Jozefowicz et al. 2015 use 1): σ(3) = 0.95
 * keeps a memory of about 1/(1 − 0.95) = 20 steps, the order of the delays
 * the chapter asks for (Tallec & Ollivier 2018, "chrono initialisation",
 * derive b_f ≈ log T for dependencies over T steps). */
#define SEQ_FORGET_BIAS 3.0f
SeqNet *seqnet_create(int lstm, int I, int H, int classes, int max_T, int max_batch, Rng *rng);
void    seqnet_free(SeqNet *m);
/* xs (T, B, I), h_0 = c_0 = 0 -> logits (B, classes) from h_T. */
const float *seqnet_forward(SeqNet *m, const float *xs, int T, int B);
/* grads += ∂L/∂params given dlogits (B, classes); m->dh0 (B, H) receives ∂L/∂h_0. */
void seqnet_backward(SeqNet *m, const float *dlogits);

/* ---------------------------------------------------------------- AttnNet */

typedef struct {
    int vocab, T, D, heads, use_pos, max_batch, n_params;
    float *params, *grads;
    float *E, *P, *Wout, *bout;          /* (vocab, D), (T, D), (vocab, D), (vocab) */
    float *dE, *dP, *dWout, *dbout;
    MhaParams mha, dmha;                 /* views */
    MhaCache *cache;
    float *x, *att, *y, *logits, *dy, *dx;   /* (B, T, D) each; logits (B, T, vocab) */
    const int *tokens;                   /* the last forward's input (not copied) */
    int batch;
} AttnNet;

/* Embeddings and positions N(0, 1), attention weights N(0, 1/D), readout
 * N(0, 1/D), biases 0. NULL on a bad size (heads must divide D). */
AttnNet *attnnet_create(int vocab, int T, int D, int heads, int use_pos, int max_batch, Rng *rng);
void     attnnet_free(AttnNet *m);
/* tokens (B, T) in 0..vocab−1 -> logits (B, T, vocab); causal masks the future. */
const float *attnnet_forward(AttnNet *m, const int *tokens, int B, int causal);
/* grads += ∂L/∂params given dlogits (B, T, vocab). */
void attnnet_backward(AttnNet *m, const float *dlogits);

#endif
