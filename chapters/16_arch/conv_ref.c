/* conv_ref.c — given: conv_shape and the direct-loop convolution in double,
 * the reference conv_forward and conv_backward are tested against (conv.h). */
#include "conv.h"

#include <stddef.h>
#include <string.h>

ConvShape conv_shape(int C, int H, int W, int F, int K, int S, int P)
{
    ConvShape cs = { .C = C, .H = H, .W = W, .F = F, .K = K, .S = S, .P = P };
    cs.OH = conv_out_size(H, K, S, P);
    cs.OW = conv_out_size(W, K, S, P);
    return cs;
}

/* The input pixel under kernel tap (ky, kx) of output (oy, ox), or -1 in the padding. */
static ptrdiff_t tap(const ConvShape *cs, int b, int c, int oy, int ox, int ky, int kx)
{
    const int y = oy * cs->S - cs->P + ky, x = ox * cs->S - cs->P + kx;
    if (y < 0 || y >= cs->H || x < 0 || x >= cs->W) return -1;
    return (((ptrdiff_t)b * cs->C + c) * cs->H + y) * cs->W + x;
}

/* out[b][f][oy][ox] = bias[f] + Σ_{c, ky, kx} w[f][c][ky][kx] · in[b][c][oy·S − P + ky][ox·S − P + kx] */
void conv_forward_ref(double *out, const double *in, const double *w, const double *bias, const ConvShape *cs,
                      int B)
{
    const int K = cs->K;
    for (int b = 0; b < B; b++)
        for (int f = 0; f < cs->F; f++)
            for (int oy = 0; oy < cs->OH; oy++)
                for (int ox = 0; ox < cs->OW; ox++) {
                    double s = bias[f];
                    for (int c = 0; c < cs->C; c++)
                        for (int ky = 0; ky < K; ky++)
                            for (int kx = 0; kx < K; kx++) {
                                const ptrdiff_t i = tap(cs, b, c, oy, ox, ky, kx);
                                if (i >= 0) s += w[((f * cs->C + c) * K + ky) * K + kx] * in[i];
                            }
                    out[(((size_t)b * cs->F + f) * cs->OH + oy) * cs->OW + ox] = s;
                }
}

/* The same sum read backwards: each term w·in sends dout·in to dw and dout·w to din. */
void conv_backward_ref(double *din, double *dw, double *db, const double *dout, const double *in, const double *w,
                       const ConvShape *cs, int B)
{
    const int K = cs->K;
    if (din) memset(din, 0, (size_t)B * cs->C * cs->H * cs->W * sizeof *din);
    for (int b = 0; b < B; b++)
        for (int f = 0; f < cs->F; f++)
            for (int oy = 0; oy < cs->OH; oy++)
                for (int ox = 0; ox < cs->OW; ox++) {
                    const double g = dout[(((size_t)b * cs->F + f) * cs->OH + oy) * cs->OW + ox];
                    db[f] += g;
                    for (int c = 0; c < cs->C; c++)
                        for (int ky = 0; ky < K; ky++)
                            for (int kx = 0; kx < K; kx++) {
                                const ptrdiff_t i = tap(cs, b, c, oy, ox, ky, kx);
                                if (i < 0) continue;
                                const int wi = ((f * cs->C + c) * K + ky) * K + kx;
                                dw[wi] += g * in[i];
                                if (din) din[i] += g * w[wi];
                            }
                }
}
