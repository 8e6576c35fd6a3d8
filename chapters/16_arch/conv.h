/* conv — convolution arithmetic, a 2-D convolution layer and max pooling,
 * forward and backward (chapter 16, part 1).
 *
 * Dimension key:  B = batch (images), C = input channels, H, W = input height
 *                 and width, F = output channels (filters), K = kernel side
 *                 (square kernels), S = stride, P = zero padding on every
 *                 side, OH, OW = output height and width, N = OH·OW output
 *                 positions, CKK = C·K·K values in one receptive field.
 * Layout: every tensor is float, row-major, NCHW: image b's channel c,
 * row y, column x of a batch (B, C, H, W) is at [((b·C + c)·H + y)·W + x].
 * Filters w (F, C, K, K) are a (F, CKK) matrix, one filter per row, bias b (F).
 *
 * The layer is a cross-correlation, as in every deep-learning library
 * (Goodfellow, Bengio & Courville, "Deep Learning", §9.1):
 *     out[b][f][oy][ox] = b[f] + Σ_{c, ky, kx} w[f][c][ky][kx] · in[b][c][oy·S − P + ky][ox·S − P + kx]
 * with in = 0 outside the image (the padding). It is computed as one matrix
 * product per image (Chellapilla, Puri & Simard 2006): im2col copies every
 * receptive field of the image into a column of a (CKK, N) matrix, then
 *     out_b (F, N) = w (F, CKK) · cols_b (CKK, N) + b·1ᵀ
 * with the library's mat_mul_ab. The backward pass is two more products and
 * col2im, the adjoint of im2col. conv_forward_ref and conv_backward_ref, given
 * below, are the direct loops in double: the reference the tests compare with.
 *
 * Gradient conventions as in nn.h (chapter 04): parameter gradients (dw, db)
 * are ADDED INTO (+=); input gradients (din) are WRITTEN (=). Nothing here
 * allocates: the caller passes the buffers (conv_forward saves the columns
 * for the backward pass). Sizes must be >= 1 and consistent (conv_shape).
 *
 * The exercises are marked EXERCISE in solutions/16_arch/conv.c (your copy:
 * exercises/16_arch/conv.c); grade them with `make check CH=16`.
 */
#ifndef CONV_H
#define CONV_H

/* One convolution layer's sizes. conv_shape fills OH, OW from the others. */
typedef struct {
    int C, H, W;   /* input channels, height, width */
    int F;         /* output channels (number of filters) */
    int K, S, P;   /* kernel side, stride, zero padding */
    int OH, OW;    /* output height, width */
} ConvShape;

/* ---------------------------------------------------------------- exercises: arithmetic */

/* Output size along one axis: floor((in − k + 2p) / s) + 1 (CS231n's
 * (W − F + 2P)/S + 1 when it divides; otherwise the last positions that do
 * not fit are dropped, as in PyTorch). 0 when the padded input is smaller
 * than the kernel (in + 2p < k). in, k, s >= 1, p >= 0. */
int conv_out_size(int in, int k, int s, int p);

/* Receptive field of a stack of L layers (convolutions or poolings), each
 * with kernel k[l] and stride s[l], l = 0..L−1. Writes rf (L + 1) and jump
 * (L + 1): entry 0 is the input itself (rf 1 pixel, jump 1), entry l + 1 the
 * output of layer l:
 *     jump_{l+1} = jump_l · s_l               (input pixels between neighbouring units)
 *     rf_{l+1}   = rf_l + (k_l − 1) · jump_l  (input pixels one unit sees, per side)
 * Padding does not change either. */
void conv_receptive_field(int *rf, int *jump, const int *k, const int *s, int L);

/* ---------------------------------------------------------------- exercises: the layer */

/* im2col of one image (C, H, W) into cols (CKK, N): row r = (c·K + ky)·K + kx,
 * column n = oy·OW + ox holds img[c][oy·S − P + ky][ox·S − P + kx], or 0
 * where that falls in the padding. */
void conv_im2col(float *cols, const float *img, const ConvShape *cs);

/* col2im, the adjoint of im2col: img (C, H, W) = Σ over every entry of cols
 * (CKK, N) of that entry added into the pixel im2col copied it from (padding
 * entries are dropped). Overlapping receptive fields ADD into the same pixel.
 * img is written (zeroed first). */
void conv_col2im(float *img, const float *cols, const ConvShape *cs);

/* Forward pass of a batch in (B, C, H, W) into out (B, F, OH, OW), one
 * matrix product per image: cols_b = im2col(in_b), out_b = w·cols_b + b.
 * cols (B, CKK, N) keeps every image's columns for conv_backward. */
void conv_forward(float *out, float *cols, const float *in, const float *w, const float *bias,
                  const ConvShape *cs, int B);

/* Backward pass, given dout = ∂L/∂out (B, F, OH, OW) and the forward's cols:
 *     dw (F, CKK) += Σ_b dout_b · cols_bᵀ      db (F) += Σ_{b, n} dout_b[f][n]
 *     din_b (C, H, W) = col2im(wᵀ · dout_b)
 * dcols (CKK, N) is scratch for one image's wᵀ·dout_b. din == NULL skips the
 * input gradient (a first layer needs none). */
void conv_backward(float *din, float *dw, float *db, float *dcols, const float *dout, const float *cols,
                   const float *w, const ConvShape *cs, int B);

/* ---------------------------------------------------------------- exercises: max pooling */

/* Max pooling with a K×K window and stride S, no padding, of in (B, C, H, W)
 * into out (B, C, OH, OW), OH = (H − K)/S + 1, OW = (W − K)/S + 1. argmax
 * (B, C, OH, OW) receives the index into in of each window's maximum (the
 * first one on a tie, scanning rows then columns). */
void pool_max_forward(float *out, int *argmax, const float *in, int B, int C, int H, int W, int K, int S);

/* Max pooling, backward: din (B, C, H, W) is written: 0 everywhere except
 * that every output's gradient goes to the input that was its maximum,
 * din[argmax[o]] += dout[o] (overlapping windows, S < K, can send several). */
void pool_max_backward(float *din, const float *dout, const int *argmax, int B, int C, int H, int W, int K, int S);

/* ---------------------------------------------------------------- given */

/* The sizes of a layer: OH = conv_out_size(H, K, S, P), OW likewise. */
ConvShape conv_shape(int C, int H, int W, int F, int K, int S, int P);

/* The direct loops, in double: out (B, F, OH, OW) by the formula at the top,
 * and its exact backward pass (dw, db added into; din written, may be NULL).
 * Slow and obvious on purpose: the tests compare conv_forward and
 * conv_backward with them. */
void conv_forward_ref(double *out, const double *in, const double *w, const double *bias, const ConvShape *cs,
                      int B);
void conv_backward_ref(double *din, double *dw, double *db, const double *dout, const double *in, const double *w,
                       const ConvShape *cs, int B);

#endif
