/* self_attention — scaled dot-product attention and multi-head attention,
 * forward and backward (chapter 16, part 3).
 *
 * Dimension key:  B = batch (sequences), T = sequence length (queries and
 *                 keys alike: self-attention), Dk = query/key size, Dv =
 *                 value size, D = model width, heads = number of heads,
 *                 Dh = D / heads, the size of one head.
 * Layout: row-major, batch first. A (B, T, D) tensor holds position t of
 * sequence b at [(b·T + t)·D ...]. Heads are split to (B, heads, T, Dh), so
 * that each (sequence, head) pair is one contiguous (T, Dh) block and
 * attention runs over B·heads independent blocks.
 *
 * Scaled dot-product attention (Vaswani et al. 2017, "Attention is all you
 * need", eq. 1), for one (T, Dk) block of queries Q and keys K and a (T, Dv)
 * block of values V:
 *     S = scale · Q·Kᵀ (T, T),   scale = 1/√Dk,
 *     A = softmax of each row of S (row i: how much query i takes from each key),
 *     out = A·V (T, Dv).
 * Causal: S_ij = −∞ for j > i (position i sees only positions <= i), so
 * A_ij = 0 exactly there: what a language model needs to predict the next
 * token without seeing it.
 *
 * Multi-head attention (the same paper, §3.2.2), on x (B, T, D):
 *     Q = x·Wqᵀ + bq, K = x·Wkᵀ + bk, V = x·Wvᵀ + bv          (B, T, D) each
 *     split each into heads (B, heads, T, Dh); attention per head with 1/√Dh
 *     merge the heads back to ctx (B, T, D);  out = ctx·Woᵀ + bo.
 * Weights as in nn.h: W (D, D) holds the weights into output unit o in row o.
 * Nothing here knows positions: without positional information added to x,
 * permuting the positions of x permutes the rows of out the same way.
 *
 * Gradient conventions as in nn.h: parameter gradients ADDED INTO (+=),
 * input gradients WRITTEN (=). The exercises are marked EXERCISE in
 * solutions/16_arch/self_attention.c; grade them with `make check CH=16`.
 */
#ifndef SELF_ATTENTION_H
#define SELF_ATTENTION_H

/* ---------------------------------------------------------------- exercises: attention */

/* Forward over B independent blocks: q, k (B, T, Dk), v (B, T, Dv) ->
 * out (B, T, Dv); probs (B, T, T) receives A for the backward pass (and the
 * attention-map figures). causal = 1 masks the future. */
void attn_forward(float *out, float *probs, const float *q, const float *k, const float *v, int B, int T, int Dk,
                  int Dv, float scale, int causal);

/* Backward, given dout (B, T, Dv) and the forward's probs: writes dq, dk
 * (B, T, Dk) and dv (B, T, Dv). work: T·T floats. A causal forward needs
 * nothing more: its masked A_ij are 0 and pass no gradient. */
void attn_backward(float *dq, float *dk, float *dv, float *work, const float *dout, const float *probs,
                   const float *q, const float *k, const float *v, int B, int T, int Dk, int Dv, float scale);

/* ---------------------------------------------------------------- multi-head attention */

/* The parameters: views into one block of MHA_N_PARAMS(D) floats (or into
 * the same layout of gradients), in the order below (mha_params_view). */
typedef struct {
    float *Wq, *Wk, *Wv, *Wo;   /* (D, D) each */
    float *bq, *bk, *bv, *bo;   /* (D) each */
} MhaParams;
#define MHA_N_PARAMS(D) (4 * (D) * (D) + 4 * (D))

/* What mha_forward keeps for mha_backward, and the backward's scratch, for
 * up to max_batch sequences of length T (mha_cache_create). */
typedef struct {
    int max_batch, T, D, heads;
    float *Q, *K, *V;          /* (B, T, D) projections */
    float *q, *k, *v;          /* (B, heads, T, Dh) the same, split into heads */
    float *probs;              /* (B, heads, T, T) attention weights A of every head */
    float *o;                  /* (B, heads, T, Dh) attention output of every head */
    float *ctx;                /* (B, T, D) heads merged: the input of the output projection */
    /* backward scratch */
    float *dctx, *dtmp;        /* (B, T, D) */
    float *dO, *dq, *dk, *dv;  /* (B, heads, T, Dh) */
    float *dQ, *dK, *dV;       /* (B, T, D) */
    float *work;               /* (T, T) attn_backward's scratch */
} MhaCache;

/* Forward of x (B, T, D), B <= c->max_batch, into out (B, T, D), keeping
 * every intermediate in c. The split/merge helpers below do the reshaping. */
void mha_forward(float *out, MhaCache *c, const float *x, const MhaParams *p, int B, int causal);

/* Backward of the last mha_forward given dout (B, T, D): grad += ∂L/∂params;
 * dx (B, T, D) = ∂L/∂x, written, if not NULL. x flows into Q, K and V: its
 * gradient is the SUM of the three paths. */
void mha_backward(float *dx, MhaParams *grad, const float *dout, MhaCache *c, const float *x, const MhaParams *p,
                  int B);

/* ---------------------------------------------------------------- given */

/* Named views into a block of MHA_N_PARAMS(D) floats. */
void mha_params_view(MhaParams *p, float *block, int D);
/* A cache for batches of up to max_batch sequences of length T, width D,
 * heads dividing D. NULL if heads does not divide D or a size is < 1;
 * out-of-memory exits (util.h). */
MhaCache *mha_cache_create(int max_batch, int T, int D, int heads);
void mha_cache_free(MhaCache *c);   /* accepts NULL */

/* Heads split: x (B, T, heads·Dh) -> h (B, heads, T, Dh), h[b][j][t][i] = x[b][t][j·Dh + i]. */
void attn_split_heads(float *h, const float *x, int B, int T, int heads, int Dh);
/* Heads merged, the inverse (and the transpose) of the split: x[b][t][j·Dh + i] = h[b][j][t][i]. */
void attn_merge_heads(float *x, const float *h, int B, int T, int heads, int Dh);

#endif
