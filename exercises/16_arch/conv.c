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
    /* TODO: your code here (see the comment above the function). */
    (void)in; (void)k; (void)s; (void)p;
    return 0;
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
    /* TODO: your code here (see the comment above the function). */
    (void)rf; (void)jump; (void)k; (void)s; (void)L;
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
    /* TODO: your code here (see the comment above the function). */
    (void)cols; (void)img; (void)cs;
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
    /* TODO: your code here (see the comment above the function). */
    (void)img; (void)cols; (void)cs;
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
    /* TODO: your code here (see the comment above the function). */
    (void)out; (void)cols; (void)in; (void)w; (void)bias; (void)cs; (void)B;
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
    /* TODO: your code here (see the comment above the function). */
    (void)din; (void)dw; (void)db; (void)dcols; (void)dout; (void)cols; (void)w; (void)cs; (void)B;
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
    /* TODO: your code here (see the comment above the function). */
    (void)out; (void)argmax; (void)in; (void)B; (void)C; (void)H; (void)W; (void)K; (void)S;
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
    /* TODO: your code here (see the comment above the function). */
    (void)din; (void)dout; (void)argmax; (void)B; (void)C; (void)H; (void)W; (void)K; (void)S;
}
