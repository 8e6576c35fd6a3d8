/* self_attention.c — scaled dot-product attention and multi-head attention,
 * forward and backward (chapter 16; see self_attention.h and the README).
 *
 * Each function marked EXERCISE is yours to write in exercises/16_arch/self_attention.c.
 * Check your work with `make check CH=16`.
 */
#include "self_attention.h"
#include "linalg.h"
#include "nn.h"

#include <math.h>
#include <stddef.h>

/* ======================================================================== */
/* EXERCISE 13: scaled dot-product attention, forward (Vaswani et al. 2017, eq. 1)
 *
 * For each block b (q_b = q + b·T·Dk, k_b likewise, v_b = v + b·T·Dv):
 *   S = scale · q_b·k_bᵀ          (T, T): mat_mul_abt(S, q_b, k_b, T, Dk, T, 0)
 *   causal: S_ij = −INFINITY for j > i
 *   A = row-wise softmax of S     nn_softmax (chapter 04; in place is fine)
 *   out_b = A·v_b                 (T, Dv): mat_mul_ab
 * Build S directly in probs_b (probs + b·T·T) and turn it into A there.
 * Why the scale: with entries of unit variance, q·k has variance Dk, and a
 * softmax of logits that large puts almost all weight on one key, where its
 * gradient vanishes. 1/√Dk brings the variance back to 1.
 */
void attn_forward(float *out, float *probs, const float *q, const float *k, const float *v, int B, int T, int Dk,
                  int Dv, float scale, int causal)
{
    /* TODO: your code here (see the comment above the function). */
    (void)out; (void)probs; (void)q; (void)k; (void)v; (void)B; (void)T; (void)Dk; (void)Dv; (void)scale;
    (void)causal;
}

/* ======================================================================== */
/* EXERCISE 14: scaled dot-product attention, backward
 *
 * With out = A·V, A = softmax(S), S = scale·Q·Kᵀ, for each block:
 *   dV = Aᵀ·dout                              mat_mul_atb(dv_b, A, dout_b, T, T, Dv, 0)
 *   dA = dout·Vᵀ                              (T, T), into work: mat_mul_abt
 *   dS_ij = A_ij · (dA_ij − Σ_l A_il dA_il)   the softmax's Jacobian, row by row
 *   dQ = scale · dS·K,   dK = scale · dSᵀ·Q   mat_mul_ab and mat_mul_atb
 * Masked entries have A_ij = 0, so their dS_ij is 0 by itself.
 */
void attn_backward(float *dq, float *dk, float *dv, float *work, const float *dout, const float *probs,
                   const float *q, const float *k, const float *v, int B, int T, int Dk, int Dv, float scale)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dq; (void)dk; (void)dv; (void)work; (void)dout; (void)probs; (void)q; (void)k; (void)v;
    (void)B; (void)T; (void)Dk; (void)Dv; (void)scale;
}

/* ======================================================================== */
/* EXERCISE 15: multi-head attention, forward (Vaswani et al. 2017, §3.2.2)
 *
 *   Q = x·Wqᵀ + bq, K = x·Wkᵀ + bk, V = x·Wvᵀ + bv    nn_linear_forward on B·T rows
 *   q, k, v = the heads of Q, K, V                      attn_split_heads
 *   o = attention of each of the B·heads blocks, scale 1/√Dh
 *   ctx = the heads of o merged                         attn_merge_heads
 *   out = ctx·Woᵀ + bo
 * Sizes come from the cache: T = c->T, D = c->D, heads = c->heads, Dh =
 * D/heads. Keep every intermediate in its field of c: the backward pass
 * reads them.
 */
void mha_forward(float *out, MhaCache *c, const float *x, const MhaParams *p, int B, int causal)
{
    /* TODO: your code here (see the comment above the function). */
    (void)out; (void)c; (void)x; (void)p; (void)B; (void)causal;
}

/* ======================================================================== */
/* EXERCISE 16: multi-head attention, backward
 *
 * The forward pass read backwards, with the scratch buffers of c:
 *   dctx = ∂L/∂ctx and Wo's, bo's gradients      nn_linear_backward
 *   dO = dctx split into heads                  (the split is the merge's transpose)
 *   dq, dk, dv = attn_backward of the heads     work = c->work
 *   dQ, dK, dV = merged
 *   dx = dQ·Wq + dK·Wk + dV·Wv and the three projections' gradients
 * nn_linear_backward WRITES din: x feeds three projections, so collect the
 * second and third into c->dtmp and ADD them to dx (skip all of dx when it
 * is NULL, but never the parameter gradients).
 */
void mha_backward(float *dx, MhaParams *grad, const float *dout, MhaCache *c, const float *x, const MhaParams *p,
                  int B)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dx; (void)grad; (void)dout; (void)c; (void)x; (void)p; (void)B;
}
