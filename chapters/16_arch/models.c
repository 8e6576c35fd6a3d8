/* models.c — given: the chapter's three networks (see models.h). Each is a
 * short chain of exercise layers; reading its forward and backward side by
 * side shows the chain rule wiring the layers together. */
#include "models.h"
#include "linalg.h"
#include "nn.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void model_zero_grad(float *grads, int n_params) { memset(grads, 0, (size_t)n_params * sizeof *grads); }

static float *falloc(size_t n, const char *what) { return xcalloc(n ? n : 1, sizeof(float), what); }

/* n draws of N(0, std²). */
static void fill_gauss(float *x, size_t n, double std, Rng *r)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)(std * rng_normal(r));
}

static void check_batch(const char *who, int B, int max_batch)
{
    if (B < 1 || B > max_batch) die(1, "%s: batch of %d; this network holds 1..%d", who, B, max_batch);
}

/* ================================================================ Cnn */

/* The views into a block laid out as cw1, cb1, cw2, cb2, W3, b3. */
static float *cnn_views(const Cnn *m, float *block, float **cw1, float **cb1, float **cw2, float **cb2, float **W3,
                        float **b3)
{
    const CnnSpec *s = &m->spec;
    float *p = block;
    *cw1 = p; p += (size_t)s->c1 * 25;
    *cb1 = p; p += s->c1;
    *cw2 = p; p += (size_t)s->c2 * s->c1 * 9;
    *cb2 = p; p += s->c2;
    *W3 = p;  p += (size_t)s->classes * m->flat;
    *b3 = p;  p += s->classes;
    return p;
}

int cnn_param_count(const CnnSpec *s)
{
    const int flat = s->c2 * (s->H / 4) * (s->W / 4);
    return s->c1 * 25 + s->c1 + s->c2 * s->c1 * 9 + s->c2 + s->classes * flat + s->classes;
}

Cnn *cnn_create(const CnnSpec *s, int max_batch, Rng *rng)
{
    if (s->H < 4 || s->W < 4 || s->H % 4 || s->W % 4 || s->c1 < 1 || s->c2 < 1 || s->classes < 1 || max_batch < 1)
        return NULL;
    Cnn *m = xcalloc(1, sizeof *m, "the CNN");
    m->spec = *s;
    m->max_batch = max_batch;
    m->l1 = conv_shape(1, s->H, s->W, s->c1, 5, 1, 2);
    m->h1 = s->H / 2;
    m->w1 = s->W / 2;
    m->l2 = conv_shape(s->c1, m->h1, m->w1, s->c2, 3, 1, 1);
    m->h2 = m->h1 / 2;
    m->w2 = m->w1 / 2;
    m->flat = s->c2 * m->h2 * m->w2;
    if (m->l1.OH != s->H || m->l1.OW != s->W || m->l2.OH != m->h1 || m->l2.OW != m->w1) {
        free(m);   /* "same" padding keeps the size: conv_out_size is not right */
        return NULL;
    }
    m->n_params = cnn_param_count(s);
    m->params = falloc((size_t)m->n_params, "CNN parameters");
    m->grads = falloc((size_t)m->n_params, "CNN gradients");
    cnn_views(m, m->params, &m->cw1, &m->cb1, &m->cw2, &m->cb2, &m->W3, &m->b3);
    cnn_views(m, m->grads, &m->dcw1, &m->dcb1, &m->dcw2, &m->dcb2, &m->dW3, &m->db3);
    fill_gauss(m->cw1, (size_t)s->c1 * 25, sqrt(2.0 / 25), rng);
    fill_gauss(m->cw2, (size_t)s->c2 * s->c1 * 9, sqrt(2.0 / (s->c1 * 9)), rng);
    fill_gauss(m->W3, (size_t)s->classes * m->flat, sqrt(1.0 / m->flat), rng);
    const size_t B = (size_t)max_batch, HW = (size_t)s->H * s->W, hw1 = (size_t)m->h1 * m->w1;
    m->cols1 = falloc(B * 25 * HW, "CNN activations");
    m->a1 = falloc(B * s->c1 * HW, "CNN activations");
    m->p1 = falloc(B * s->c1 * hw1, "CNN activations");
    m->am1 = xcalloc(B * s->c1 * hw1, sizeof(int), "CNN activations");
    m->cols2 = falloc(B * s->c1 * 9 * hw1, "CNN activations");
    m->a2 = falloc(B * s->c2 * hw1, "CNN activations");
    m->p2 = falloc(B * m->flat, "CNN activations");
    m->am2 = xcalloc(B * m->flat, sizeof(int), "CNN activations");
    m->logits = falloc(B * s->classes, "CNN activations");
    const size_t d1 = B * (s->c1 * HW > s->c2 * hw1 ? s->c1 * HW : s->c2 * hw1);
    const size_t d2 = B * ((size_t)s->c1 * hw1 > (size_t)m->flat ? s->c1 * hw1 : (size_t)m->flat);
    m->dbuf1 = falloc(d1, "CNN backward scratch");
    m->dbuf2 = falloc(d2, "CNN backward scratch");
    m->dcols = falloc(25 * HW > s->c1 * 9 * hw1 ? 25 * HW : s->c1 * 9 * hw1, "CNN backward scratch");
    return m;
}

void cnn_free(Cnn *m)
{
    if (!m) return;
    free(m->params); free(m->grads); free(m->cols1); free(m->a1); free(m->p1); free(m->am1); free(m->cols2);
    free(m->a2); free(m->p2); free(m->am2); free(m->logits); free(m->dbuf1); free(m->dbuf2); free(m->dcols);
    free(m);
}

const float *cnn_forward(Cnn *m, const float *x, int B)
{
    check_batch("cnn_forward", B, m->max_batch);
    const CnnSpec *s = &m->spec;
    m->x = x;
    m->batch = B;
    conv_forward(m->a1, m->cols1, x, m->cw1, m->cb1, &m->l1, B);             /* (B, c1, H, W) */
    nn_act_forward(m->a1, m->a1, B * s->c1 * s->H * s->W, NN_RELU);
    pool_max_forward(m->p1, m->am1, m->a1, B, s->c1, s->H, s->W, 2, 2);      /* (B, c1, H/2, W/2) */
    conv_forward(m->a2, m->cols2, m->p1, m->cw2, m->cb2, &m->l2, B);         /* (B, c2, H/2, W/2) */
    nn_act_forward(m->a2, m->a2, B * s->c2 * m->h1 * m->w1, NN_RELU);
    pool_max_forward(m->p2, m->am2, m->a2, B, s->c2, m->h1, m->w1, 2, 2);    /* (B, c2, H/4, W/4) = (B, flat) */
    nn_linear_forward(m->logits, m->p2, m->W3, m->b3, B, m->flat, s->classes);
    return m->logits;
}

/* The forward chain backwards. ReLU ran in place, so its backward reads the
 * output a > 0, which is the same test as the input > 0. */
void cnn_backward(Cnn *m, const float *dlogits)
{
    const CnnSpec *s = &m->spec;
    const int B = m->batch;
    float *dp2 = m->dbuf2, *da2 = m->dbuf1, *dp1 = m->dbuf2, *da1 = m->dbuf1;
    nn_linear_backward(dp2, m->dW3, m->db3, dlogits, m->p2, m->W3, B, m->flat, s->classes);
    pool_max_backward(da2, dp2, m->am2, B, s->c2, m->h1, m->w1, 2, 2);
    nn_act_backward(da2, da2, m->a2, m->a2, B * s->c2 * m->h1 * m->w1, NN_RELU);
    conv_backward(dp1, m->dcw2, m->dcb2, m->dcols, da2, m->cols2, m->cw2, &m->l2, B);
    pool_max_backward(da1, dp1, m->am1, B, s->c1, s->H, s->W, 2, 2);
    nn_act_backward(da1, da1, m->a1, m->a1, B * s->c1 * s->H * s->W, NN_RELU);
    conv_backward(NULL, m->dcw1, m->dcb1, m->dcols, da1, m->cols1, m->cw1, &m->l1, B);
}

/* ================================================================ SeqNet */

SeqNet *seqnet_create(int lstm, int I, int H, int classes, int max_T, int max_batch, Rng *rng)
{
    if (I < 1 || H < 1 || classes < 1 || max_T < 1 || max_batch < 1) return NULL;
    SeqNet *m = xcalloc(1, sizeof *m, "the recurrent network");
    *m = (SeqNet){ .lstm = lstm != 0, .I = I, .H = H, .classes = classes, .max_T = max_T, .max_batch = max_batch };
    const int G = lstm ? 4 * H : H;
    m->n_params = G * I + G * H + G + classes * H + classes;
    m->params = falloc((size_t)m->n_params, "recurrent parameters");
    m->grads = falloc((size_t)m->n_params, "recurrent gradients");
    float *blocks[2] = { m->params, m->grads };
    CellParams *cells[2] = { &m->cell, &m->dcell };
    float **wo[2] = { &m->Wo, &m->dWo }, **bo[2] = { &m->bo, &m->dbo };
    for (int k = 0; k < 2; k++) {
        float *p = blocks[k];
        cells[k]->Wx = p; p += (size_t)G * I;
        cells[k]->Wh = p; p += (size_t)G * H;
        cells[k]->b = p;  p += G;
        *wo[k] = p;       p += (size_t)classes * H;
        *bo[k] = p;
    }
    fill_gauss(m->cell.Wx, (size_t)G * I, sqrt(1.0 / I), rng);
    fill_gauss(m->cell.Wh, (size_t)G * H, sqrt(1.0 / H), rng);
    if (lstm)
        for (int j = 0; j < H; j++) m->cell.b[H + j] = SEQ_FORGET_BIAS;   /* the forget gate starts mostly open */
    fill_gauss(m->Wo, (size_t)classes * H, sqrt(1.0 / H), rng);
    const size_t BH = (size_t)max_batch * H;
    m->hs = falloc((size_t)(max_T + 1) * BH, "recurrent states");
    m->cs = falloc((size_t)(max_T + 1) * BH, "recurrent states");
    m->gates = falloc((size_t)max_T * 4 * BH, "recurrent states");
    m->dhs = falloc((size_t)max_T * BH, "recurrent scratch");
    m->dh0 = falloc(BH, "recurrent scratch");
    m->dc0 = falloc(BH, "recurrent scratch");
    m->work = falloc(6 * BH, "recurrent scratch");
    m->logits = falloc((size_t)max_batch * classes, "recurrent outputs");
    return m;
}

void seqnet_free(SeqNet *m)
{
    if (!m) return;
    free(m->params); free(m->grads); free(m->hs); free(m->cs); free(m->gates); free(m->dhs); free(m->dh0);
    free(m->dc0); free(m->work); free(m->logits);
    free(m);
}

const float *seqnet_forward(SeqNet *m, const float *xs, int T, int B)
{
    check_batch("seqnet_forward", B, m->max_batch);
    if (T < 1 || T > m->max_T) die(1, "seqnet_forward: %d steps; this network holds 1..%d", T, m->max_T);
    const size_t BH = (size_t)B * m->H;
    m->xs = xs;
    m->T = T;
    m->batch = B;
    memset(m->hs, 0, BH * sizeof *m->hs);   /* h_0 = 0, c_0 = 0 */
    memset(m->cs, 0, BH * sizeof *m->cs);
    if (m->lstm) lstm_forward(m->hs, m->cs, m->gates, xs, &m->cell, T, B, m->I, m->H);
    else rnn_forward(m->hs, xs, &m->cell, T, B, m->I, m->H);
    nn_linear_forward(m->logits, m->hs + (size_t)T * BH, m->Wo, m->bo, B, m->H, m->classes);
    return m->logits;
}

/* Only h_T feeds the readout: dhs is 0 except at step T. */
void seqnet_backward(SeqNet *m, const float *dlogits)
{
    const int T = m->T, B = m->batch;
    const size_t BH = (size_t)B * m->H;
    memset(m->dhs, 0, (size_t)(T - 1) * BH * sizeof *m->dhs);
    nn_linear_backward(m->dhs + (size_t)(T - 1) * BH, m->dWo, m->dbo, dlogits, m->hs + (size_t)T * BH, m->Wo, B, m->H,
                       m->classes);
    if (m->lstm)
        lstm_backward(NULL, m->dh0, m->dc0, &m->dcell, m->dhs, m->hs, m->cs, m->gates, m->xs, &m->cell, m->work, T, B,
                      m->I, m->H);
    else
        rnn_backward(NULL, m->dh0, &m->dcell, m->dhs, m->hs, m->xs, &m->cell, m->work, T, B, m->I, m->H);
}

/* ================================================================ AttnNet */

AttnNet *attnnet_create(int vocab, int T, int D, int heads, int use_pos, int max_batch, Rng *rng)
{
    if (vocab < 1 || T < 1 || D < 1 || heads < 1 || D % heads || max_batch < 1) return NULL;
    AttnNet *m = xcalloc(1, sizeof *m, "the attention network");
    *m = (AttnNet){ .vocab = vocab, .T = T, .D = D, .heads = heads, .use_pos = use_pos != 0, .max_batch = max_batch };
    const size_t VD = (size_t)vocab * D, TD = (size_t)T * D;
    m->n_params = (int)(2 * VD + TD + MHA_N_PARAMS((size_t)D) + vocab);
    m->params = falloc((size_t)m->n_params, "attention parameters");
    m->grads = falloc((size_t)m->n_params, "attention gradients");
    float *blocks[2] = { m->params, m->grads };
    float **E[2] = { &m->E, &m->dE }, **P[2] = { &m->P, &m->dP }, **Wout[2] = { &m->Wout, &m->dWout };
    float **bout[2] = { &m->bout, &m->dbout };
    MhaParams *mha[2] = { &m->mha, &m->dmha };
    for (int k = 0; k < 2; k++) {
        float *p = blocks[k];
        *E[k] = p;    p += VD;
        *P[k] = p;    p += TD;
        mha_params_view(mha[k], p, D);
        p += MHA_N_PARAMS((size_t)D);
        *Wout[k] = p; p += VD;
        *bout[k] = p;
    }
    fill_gauss(m->E, VD, 1.0, rng);
    if (use_pos) fill_gauss(m->P, TD, 1.0, rng);
    fill_gauss(m->mha.Wq, 4 * (size_t)D * D, sqrt(1.0 / D), rng);   /* Wq, Wk, Wv, Wo are contiguous */
    fill_gauss(m->Wout, VD, sqrt(1.0 / D), rng);
    m->cache = mha_cache_create(max_batch, T, D, heads);
    const size_t n = (size_t)max_batch * TD;
    m->x = falloc(n, "attention activations");
    m->att = falloc(n, "attention activations");
    m->y = falloc(n, "attention activations");
    m->dy = falloc(n, "attention activations");
    m->dx = falloc(n, "attention activations");
    m->logits = falloc((size_t)max_batch * T * vocab, "attention outputs");
    return m;
}

void attnnet_free(AttnNet *m)
{
    if (!m) return;
    mha_cache_free(m->cache);
    free(m->params); free(m->grads); free(m->x); free(m->att); free(m->y); free(m->dy); free(m->dx); free(m->logits);
    free(m);
}

const float *attnnet_forward(AttnNet *m, const int *tokens, int B, int causal)
{
    check_batch("attnnet_forward", B, m->max_batch);
    const int T = m->T, D = m->D;
    m->tokens = tokens;
    m->batch = B;
    /* x_t = E[token_t] + P[t] */
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            float *x = m->x + ((size_t)b * T + t) * D;
            const float *e = m->E + (size_t)tokens[b * T + t] * D;
            for (int i = 0; i < D; i++) x[i] = e[i] + (m->use_pos ? m->P[(size_t)t * D + i] : 0.0f);
        }
    /* y = x + MultiHead(x), logits = y·Woutᵀ + bout */
    mha_forward(m->att, m->cache, m->x, &m->mha, B, causal);
    const size_t n = (size_t)B * T * D;
    for (size_t i = 0; i < n; i++) m->y[i] = m->x[i] + m->att[i];
    nn_linear_forward(m->logits, m->y, m->Wout, m->bout, B * T, D, m->vocab);
    return m->logits;
}

void attnnet_backward(AttnNet *m, const float *dlogits)
{
    const int B = m->batch, T = m->T, D = m->D;
    const size_t n = (size_t)B * T * D;
    nn_linear_backward(m->dy, m->dWout, m->dbout, dlogits, m->y, m->Wout, B * T, D, m->vocab);
    /* the residual: ∂L/∂x = ∂L/∂y + (the attention's backward of ∂L/∂y) */
    mha_backward(m->dx, &m->dmha, m->dy, m->cache, m->x, &m->mha, B);
    for (size_t i = 0; i < n; i++) m->dx[i] += m->dy[i];
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            const float *dx = m->dx + ((size_t)b * T + t) * D;
            vec_axpy(m->dE + (size_t)m->tokens[b * T + t] * D, 1.0f, dx, D);
            if (m->use_pos) vec_axpy(m->dP + (size_t)t * D, 1.0f, dx, D);
        }
}
