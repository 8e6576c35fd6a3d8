/* conv.c — convolution arithmetic, the convolution layer as im2col + a
 * matrix product, and max pooling (chapter 16; see conv.h and the README).
 *
 * Each function marked EXERCISE is yours to write in exercises/16_arch/conv.c.
 * Check your work with `make check CH=16`.
 */
#include "conv.h"
#include "linalg.h"

#include <stddef.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 1: output size (CS231n "Convolutional networks"; Dumoulin & Visin,
 * "A guide to convolution arithmetic for deep learning", 2016, relation 6)
 *
 *   out = floor((in − k + 2p) / s) + 1
 *
 * The padded input has in + 2p pixels; the kernel's first position covers
 * pixels 0..k−1, and each further position moves s pixels, as long as it
 * still fits. Careful: C's integer division truncates toward zero, so a
 * negative numerator (kernel larger than the padded input) would give 1,
 * not 0: handle it first.
 */
int conv_out_size(int in, int k, int s, int p)
{
    // BEGIN SOLUTION
    const int span = in + 2 * p - k;
    return span < 0 ? 0 : span / s + 1;
    // END SOLUTION
    // STUB (void)in; (void)k; (void)s; (void)p;
    // STUB return 0;
}

/* ======================================================================== */
/* EXERCISE 2: receptive field of a stack (Dumoulin & Visin 2016; Araujo et
 * al., "Computing receptive fields of convolutional neural networks",
 * Distill 2019, eq. 2)
 *
 *   jump_0 = 1, rf_0 = 1
 *   rf_{l+1}   = rf_l + (k_l − 1)·jump_l
 *   jump_{l+1} = jump_l·s_l
 *
 * jump_l is the distance, in input pixels, between two neighbouring units of
 * layer l; a kernel of k_l units then widens the field by k_l − 1 such
 * steps. Strides multiply, so after a few stride-2 layers every further
 * kernel widens the field a lot.
 */
void conv_receptive_field(int *rf, int *jump, const int *k, const int *s, int L)
{
    // BEGIN SOLUTION
    rf[0] = 1;
    jump[0] = 1;
    for (int l = 0; l < L; l++) {
        rf[l + 1] = rf[l] + (k[l] - 1) * jump[l];
        jump[l + 1] = jump[l] * s[l];
    }
    // END SOLUTION
    // STUB (void)rf; (void)jump; (void)k; (void)s; (void)L;
}

/* ======================================================================== */
/* EXERCISE 3: im2col (Chellapilla, Puri & Simard 2006)
 *
 *   cols[(c·K + ky)·K + kx][oy·OW + ox] = img[c][oy·S − P + ky][ox·S − P + kx]   (0 outside)
 *
 * Column n of cols is the receptive field of output position n, unrolled in
 * the same order as a filter's weights w[f][c][ky][kx], so that one row of w
 * times one column of cols is one output value. Each input pixel appears in
 * up to K·K columns: im2col trades memory for one large matrix product.
 */
void conv_im2col(float *cols, const float *img, const ConvShape *cs)
{
    // BEGIN SOLUTION
    const int K = cs->K, S = cs->S, P = cs->P, H = cs->H, W = cs->W, OH = cs->OH, OW = cs->OW;
    for (int c = 0; c < cs->C; c++)
        for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++) {
                float *row = cols + ((size_t)(c * K + ky) * K + kx) * OH * OW;
                for (int oy = 0; oy < OH; oy++) {
                    const int y = oy * S - P + ky;
                    for (int ox = 0; ox < OW; ox++) {
                        const int x = ox * S - P + kx;
                        row[oy * OW + ox] = (y >= 0 && y < H && x >= 0 && x < W) ? img[((size_t)c * H + y) * W + x] : 0.0f;
                    }
                }
            }
    // END SOLUTION
    // STUB (void)cols; (void)img; (void)cs;
}

/* ======================================================================== */
/* EXERCISE 4: col2im, the adjoint (transpose) of im2col
 *
 *   img[c][y][x] = Σ_{(ky, kx, oy, ox): oy·S − P + ky = y, ox·S − P + kx = x} cols[(c·K + ky)·K + kx][oy·OW + ox]
 *
 * im2col is a linear map A from images to column matrices; the backward pass
 * needs Aᵀ: every column entry goes back to the pixel it was copied from,
 * and a pixel copied into several columns (overlapping fields, S < K)
 * receives the SUM of their gradients. Zero img first, then add; entries
 * that came from the padding go nowhere.
 */
void conv_col2im(float *img, const float *cols, const ConvShape *cs)
{
    // BEGIN SOLUTION
    const int K = cs->K, S = cs->S, P = cs->P, H = cs->H, W = cs->W, OH = cs->OH, OW = cs->OW;
    memset(img, 0, (size_t)cs->C * H * W * sizeof *img);
    for (int c = 0; c < cs->C; c++)
        for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++) {
                const float *row = cols + ((size_t)(c * K + ky) * K + kx) * OH * OW;
                for (int oy = 0; oy < OH; oy++) {
                    const int y = oy * S - P + ky;
                    if (y < 0 || y >= H) continue;
                    for (int ox = 0; ox < OW; ox++) {
                        const int x = ox * S - P + kx;
                        if (x >= 0 && x < W) img[((size_t)c * H + y) * W + x] += row[oy * OW + ox];
                    }
                }
            }
    // END SOLUTION
    // STUB (void)img; (void)cols; (void)cs;
}

/* ======================================================================== */
/* EXERCISE 5: convolution, forward, as im2col + one matrix product per image
 *
 *   cols_b = im2col(in_b)                          (CKK, N)
 *   out_b (F, N) = w (F, CKK) · cols_b + b·1ᵀ      mat_mul_ab(out_b, w, cols_b, F, CKK, N, 0)
 *
 * Image b starts at in + b·C·H·W, its columns at cols + b·CKK·N, its output
 * at out + b·F·N. The bias adds b[f] to every position of output channel f.
 */
void conv_forward(float *out, float *cols, const float *in, const float *w, const float *bias,
                  const ConvShape *cs, int B)
{
    // BEGIN SOLUTION
    const int CKK = cs->C * cs->K * cs->K, N = cs->OH * cs->OW, F = cs->F;
    for (int b = 0; b < B; b++) {
        float *cb = cols + (size_t)b * CKK * N, *ob = out + (size_t)b * F * N;
        conv_im2col(cb, in + (size_t)b * cs->C * cs->H * cs->W, cs);
        mat_mul_ab(ob, w, cb, F, CKK, N, 0);
        for (int f = 0; f < F; f++)
            for (int n = 0; n < N; n++) ob[f * N + n] += bias[f];
    }
    // END SOLUTION
    // STUB (void)out; (void)cols; (void)in; (void)w; (void)bias; (void)cs; (void)B;
}

/* ======================================================================== */
/* EXERCISE 6: convolution, backward
 *
 * With out_b = w·cols_b + b·1ᵀ (the linear layer of chapter 04 with the
 * N positions as its rows, transposed):
 *   dw (F, CKK) += dout_b (F, N) · cols_b (CKK, N)ᵀ     mat_mul_abt(dw, dout_b, cols_b, F, N, CKK, 1)
 *   db[f]       += Σ_n dout_b[f][n]
 *   dcols (CKK, N) = w (F, CKK)ᵀ · dout_b (F, N)       mat_mul_atb(dcols, w, dout_b, CKK, F, N, 0)
 *   din_b = col2im(dcols)
 * The weights are shared by every position and every image: their gradient
 * is the SUM over all of them (accumulate = 1). Skip din when it is NULL.
 */
void conv_backward(float *din, float *dw, float *db, float *dcols, const float *dout, const float *cols,
                   const float *w, const ConvShape *cs, int B)
{
    // BEGIN SOLUTION
    const int CKK = cs->C * cs->K * cs->K, N = cs->OH * cs->OW, F = cs->F;
    for (int b = 0; b < B; b++) {
        const float *db_out = dout + (size_t)b * F * N, *cb = cols + (size_t)b * CKK * N;
        mat_mul_abt(dw, db_out, cb, F, N, CKK, 1);
        for (int f = 0; f < F; f++) {
            float s = 0.0f;
            for (int n = 0; n < N; n++) s += db_out[f * N + n];
            db[f] += s;
        }
        if (din) {
            mat_mul_atb(dcols, w, db_out, CKK, F, N, 0);
            conv_col2im(din + (size_t)b * cs->C * cs->H * cs->W, dcols, cs);
        }
    }
    // END SOLUTION
    // STUB (void)din; (void)dw; (void)db; (void)dcols; (void)dout; (void)cols; (void)w; (void)cs; (void)B;
}

/* ======================================================================== */
/* EXERCISE 7: max pooling, forward
 *
 *   out[b][c][oy][ox] = max_{0 <= ky, kx < K} in[b][c][oy·S + ky][ox·S + kx]
 *
 * and argmax[o] = the index into in of that maximum (the first one on a
 * tie). Start each maximum at the window's first element, never at 0: after
 * a layer with negative outputs a max started at 0 returns 0.
 */
void pool_max_forward(float *out, int *argmax, const float *in, int B, int C, int H, int W, int K, int S)
{
    // BEGIN SOLUTION
    const int OH = (H - K) / S + 1, OW = (W - K) / S + 1;
    for (int bc = 0; bc < B * C; bc++) {
        const size_t base = (size_t)bc * H * W;
        for (int oy = 0; oy < OH; oy++)
            for (int ox = 0; ox < OW; ox++) {
                size_t best = base + (size_t)(oy * S) * W + ox * S;
                for (int ky = 0; ky < K; ky++)
                    for (int kx = 0; kx < K; kx++) {
                        const size_t i = base + (size_t)(oy * S + ky) * W + ox * S + kx;
                        if (in[i] > in[best]) best = i;
                    }
                const size_t o = ((size_t)bc * OH + oy) * OW + ox;
                out[o] = in[best];
                argmax[o] = (int)best;
            }
    }
    // END SOLUTION
    // STUB (void)out; (void)argmax; (void)in; (void)B; (void)C; (void)H; (void)W; (void)K; (void)S;
}

/* ======================================================================== */
/* EXERCISE 8: max pooling, backward
 *
 *   din[i] = Σ_{o: argmax[o] = i} dout[o]
 *
 * The maximum is locally the identity of the winning input and ignores the
 * others: the gradient goes to the winner only. Zero din first; ADD, since
 * overlapping windows (S < K) can pick the same winner.
 */
void pool_max_backward(float *din, const float *dout, const int *argmax, int B, int C, int H, int W, int K, int S)
{
    // BEGIN SOLUTION
    const int OH = (H - K) / S + 1, OW = (W - K) / S + 1;
    const size_t n_out = (size_t)B * C * OH * OW;
    memset(din, 0, (size_t)B * C * H * W * sizeof *din);
    for (size_t o = 0; o < n_out; o++) din[argmax[o]] += dout[o];
    // END SOLUTION
    // STUB (void)din; (void)dout; (void)argmax; (void)B; (void)C; (void)H; (void)W; (void)K; (void)S;
}
