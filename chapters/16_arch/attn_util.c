/* attn_util.c — given: multi-head attention's parameter views, its cache,
 * and the head split and merge (self_attention.h). */
#include "self_attention.h"
#include "util.h"

#include <stdlib.h>

void mha_params_view(MhaParams *p, float *block, int D)
{
    const size_t DD = (size_t)D * D;
    p->Wq = block;
    p->Wk = block + DD;
    p->Wv = block + 2 * DD;
    p->Wo = block + 3 * DD;
    p->bq = block + 4 * DD;
    p->bk = p->bq + D;
    p->bv = p->bk + D;
    p->bo = p->bv + D;
}

MhaCache *mha_cache_create(int max_batch, int T, int D, int heads)
{
    if (max_batch < 1 || T < 1 || D < 1 || heads < 1 || D % heads) return NULL;
    MhaCache *c = xcalloc(1, sizeof *c, "attention cache");
    *c = (MhaCache){ .max_batch = max_batch, .T = T, .D = D, .heads = heads };
    const size_t n = (size_t)max_batch * T * D, np = (size_t)max_batch * heads * T * T;
    float **bufs[] = { &c->Q, &c->K, &c->V, &c->q, &c->k, &c->v, &c->o, &c->ctx, &c->dctx, &c->dtmp,
                       &c->dO, &c->dq, &c->dk, &c->dv, &c->dQ, &c->dK, &c->dV };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) *bufs[i] = xcalloc(n, sizeof(float), "attention cache");
    c->probs = xcalloc(np, sizeof(float), "attention weights");
    c->work = xcalloc((size_t)T * T, sizeof(float), "attention scratch");
    return c;
}

void mha_cache_free(MhaCache *c)
{
    if (!c) return;
    float *bufs[] = { c->Q, c->K, c->V, c->q, c->k, c->v, c->o, c->ctx, c->dctx, c->dtmp,
                      c->dO, c->dq, c->dk, c->dv, c->dQ, c->dK, c->dV, c->probs, c->work };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) free(bufs[i]);
    free(c);
}

/* h[b][j][t][i] = x[b][t][j·Dh + i] */
void attn_split_heads(float *h, const float *x, int B, int T, int heads, int Dh)
{
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++)
            for (int j = 0; j < heads; j++)
                for (int i = 0; i < Dh; i++)
                    h[(((size_t)b * heads + j) * T + t) * Dh + i] = x[((size_t)b * T + t) * heads * Dh + j * Dh + i];
}

/* x[b][t][j·Dh + i] = h[b][j][t][i] */
void attn_merge_heads(float *x, const float *h, int B, int T, int heads, int Dh)
{
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++)
            for (int j = 0; j < heads; j++)
                for (int i = 0; i < Dh; i++)
                    x[((size_t)b * T + t) * heads * Dh + j * Dh + i] = h[(((size_t)b * heads + j) * T + t) * Dh + i];
}
