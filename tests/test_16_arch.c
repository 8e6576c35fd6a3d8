/* test_16_arch.c — chapter 16: convolution, recurrent cells, attention.
 *
 * One test case per exercise, named after the function it grades, then the
 * given models (cases named cnn_model, seqnet_model, attnnet_model). References never trust
 * the code under test:
 *   - values worked by hand (output sizes, AlexNet's receptive field, im2col
 *     of a 3×3 image, pooling of a 4×4 one);
 *   - the direct-loop convolution in double (conv_forward_ref, given, itself
 *     checked here against a hand value and central differences);
 *   - every backward pass against central differences of an INDEPENDENT
 *     double-precision forward (the conv reference, or one written in this
 *     file: ref_rnn, ref_lstm, ref_attn), with the shared guard that an
 *     all-zero gradient never passes (ckx_check_grad);
 *   - structural facts: col2im is the adjoint of im2col; an LSTM with its
 *     forget gate open and its input gate shut keeps its cell state exactly;
 *     attention without positions is permutation-equivariant; the causal
 *     mask makes every output independent of later inputs, exactly.
 * Output buffers are filled with NaN before a call, so a function that adds
 * into what it should overwrite (or leaves it) fails.
 */
#include "ckx.h"
#include "conv.h"
#include "mlp.h"
#include "models.h"
#include "nn.h"
#include "rng.h"
#include "rnn.h"
#include "self_attention.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tolerances. */
#define TOL_GRAD   1e-3   /* a float gradient against an exact (double) reference, relative */
#define GRAD_FLOOR 1e-2   /* below this magnitude the error is measured absolutely */
#define FD_STEP    1e-6   /* central-difference step of the double references */

/* ------------------------------------------------------------------ helpers */

static float *fvec(size_t n) { float *p = calloc(n ? n : 1, sizeof *p); ck_assert_ptr_nonnull(p); return p; }

/* An invariance test (equivariance, causality) holds trivially for an output
 * that is all zeros, as an unfinished exercise leaves it: refuse that first. */
static void require_nonzero(const float *x, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0.0f) return;
    ck_abort_msg("%s is all zeros for random q, k, v: not computed yet? (this test checks a property of the "
                 "output, and zeros have every property)", what);
}
static double *dvec(size_t n) { double *p = calloc(n ? n : 1, sizeof *p); ck_assert_ptr_nonnull(p); return p; }
static int *ivec(size_t n) { int *p = calloc(n ? n : 1, sizeof *p); ck_assert_ptr_nonnull(p); return p; }

static void fill_normal(float *x, size_t n, Rng *r, double scale)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)(scale * rng_normal(r));
}
static void fill_nan(float *x, size_t n) { for (size_t i = 0; i < n; i++) x[i] = NAN; }
static void to_double(double *d, const float *f, size_t n) { for (size_t i = 0; i < n; i++) d[i] = f[i]; }
static double vdot_f(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (double)a[i] * b[i];
    return s;
}
static double dot_d(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* A float array against a double reference, with an absolute tolerance. */
static void close_fd(const char *file, int line, const float *got, const double *want, size_t n, double tol,
                     const char *what, const char *hint)
{
    float *w = fvec(n);
    for (size_t i = 0; i < n; i++) w[i] = (float)want[i];
    ckx_close_arrayf_(file, line, got, w, (int)n, tol, what, hint);
    free(w);
}
#define close_fd(g, w, n, tol, what, hint) close_fd(__FILE__, __LINE__, (g), (w), (n), (tol), (what), (hint))

#define check_grad(what, got, want, n, hint) ckx_check_grad(what, got, want, (int)(n), TOL_GRAD, GRAD_FLOOR, hint)

/* A layer's sizes computed here, independently of conv_out_size. */
static ConvShape shape(int C, int H, int W, int F, int K, int S, int P)
{
    ConvShape cs = { .C = C, .H = H, .W = W, .F = F, .K = K, .S = S, .P = P };
    cs.OH = (H + 2 * P - K) / S + 1;
    cs.OW = (W + 2 * P - K) / S + 1;
    return cs;
}
static size_t in_size(const ConvShape *cs, int B) { return (size_t)B * cs->C * cs->H * cs->W; }
static size_t out_size(const ConvShape *cs, int B) { return (size_t)B * cs->F * cs->OH * cs->OW; }
static size_t w_size(const ConvShape *cs) { return (size_t)cs->F * cs->C * cs->K * cs->K; }
static size_t cols_size(const ConvShape *cs, int B) { return (size_t)B * cs->C * cs->K * cs->K * cs->OH * cs->OW; }
static const char *shape_name(const ConvShape *cs, char *buf, size_t len)
{
    snprintf(buf, len, "C %d, %d×%d, F %d, K %d, S %d, P %d", cs->C, cs->H, cs->W, cs->F, cs->K, cs->S, cs->P);
    return buf;
}

/* im2col by its definition, written here: cols (CKK, N) of one image. */
static void ref_im2col(float *cols, const float *img, const ConvShape *cs)
{
    const size_t N = (size_t)cs->OH * cs->OW;
    for (int c = 0; c < cs->C; c++)
        for (int ky = 0; ky < cs->K; ky++)
            for (int kx = 0; kx < cs->K; kx++)
                for (int oy = 0; oy < cs->OH; oy++)
                    for (int ox = 0; ox < cs->OW; ox++) {
                        const int y = oy * cs->S - cs->P + ky, x = ox * cs->S - cs->P + kx;
                        const int inside = y >= 0 && y < cs->H && x >= 0 && x < cs->W;
                        cols[((size_t)(c * cs->K + ky) * cs->K + kx) * N + oy * cs->OW + ox] =
                            inside ? img[((size_t)c * cs->H + y) * cs->W + x] : 0.0f;
                    }
}

/* The shapes the conv tests run over: overlapping fields with padding, a
 * stride that does not divide, several channels, the chapter's first layer. */
static const int CONV_SHAPES[][7] = {
    /* C, H, W, F, K, S, P */
    { 3, 7, 6, 4, 3, 1, 1 },
    { 2, 9, 8, 3, 3, 2, 0 },
    { 2, 6, 7, 2, 4, 3, 2 },
    { 1, 16, 16, 8, 5, 1, 2 },
};
#define N_CONV_SHAPES 4

/* ================================================================== conv_out_size */

START_TEST(out_size_by_hand)
{
    /* in, k, s, p, expected */
    const int cases[][5] = {
        { 16, 5, 1, 2, 16 },   /* "same" padding: p = (k − 1)/2 keeps the size */
        { 32, 3, 1, 0, 30 },   /* "valid": loses k − 1 */
        { 7, 3, 2, 1, 4 },     /* (7 − 3 + 2)/2 + 1 */
        { 227, 11, 4, 0, 55 }, /* AlexNet's first layer (CS231n) */
        { 6, 3, 2, 0, 2 },     /* 3/2 is not whole: floor, the last column is dropped */
        { 5, 5, 1, 0, 1 },     /* the kernel fits exactly once */
        { 2, 5, 2, 1, 0 },     /* padded input 4 < kernel 5: no output (C truncates −1/2 to 0, not −1) */
        { 16, 2, 2, 0, 8 },    /* 2×2 pooling halves */
    };
    for (int i = 0; i < 8; i++) {
        char what[96];
        snprintf(what, sizeof what, "conv_out_size(in %d, k %d, s %d, p %d)", cases[i][0], cases[i][1], cases[i][2],
                 cases[i][3]);
        ckx_close(conv_out_size(cases[i][0], cases[i][1], cases[i][2], cases[i][3]), cases[i][4], 0, what,
                  i == 6 ? "when in + 2p < k there is no output position at all: return 0. (C's integer division "
                           "truncates toward zero, so (in + 2p − k)/s + 1 alone gives 1 here.)"
                         : "out = floor((in − k + 2p)/s) + 1: padding is added on BOTH sides (2p), and the "
                           "stride divides the span, not the whole size.");
    }
}
END_TEST

/* ================================================================== conv_receptive_field */

START_TEST(receptive_field_by_hand)
{
    int rf[9], jump[9];
    /* three 3×3 stride-1 convolutions: 3, 5, 7 (two 3×3 see as much as one 5×5) */
    const int k3[3] = { 3, 3, 3 }, s1[3] = { 1, 1, 1 };
    conv_receptive_field(rf, jump, k3, s1, 3);
    const double want3[4] = { 1, 3, 5, 7 };
    double got[9];
    for (int l = 0; l < 4; l++) got[l] = rf[l];
    ckx_close_array(got, want3, 4, 0, "rf of three 3×3 stride-1 layers (entry 0: the input)",
                    "rf_0 = 1 (one pixel sees itself); rf_{l+1} = rf_l + (k_l − 1)·jump_l.");
    /* AlexNet (Krizhevsky et al. 2012): conv 11/4, pool 3/2, conv 5/1, pool 3/2, conv 3/1 ×3, pool 3/2:
     * the classic 195-pixel receptive field of its last pooling layer. */
    const int ka[8] = { 11, 3, 5, 3, 3, 3, 3, 3 }, sa[8] = { 4, 2, 1, 2, 1, 1, 1, 2 };
    conv_receptive_field(rf, jump, ka, sa, 8);
    const double want_rf[9] = { 1, 11, 19, 51, 67, 99, 131, 163, 195 };
    const double want_jump[9] = { 1, 4, 8, 8, 16, 16, 16, 16, 32 };
    for (int l = 0; l < 9; l++) got[l] = jump[l];
    ckx_close_array(got, want_jump, 9, 0, "jump (input pixels between neighbouring units) through AlexNet",
                    "jump_{l+1} = jump_l·s_l: strides multiply.");
    for (int l = 0; l < 9; l++) got[l] = rf[l];
    ckx_close_array(got, want_rf, 9, 0, "receptive field through AlexNet (195 at the last pooling)",
                    "each kernel widens the field by (k − 1) steps of the PREVIOUS layer's jump (jump_l, not "
                    "jump_{l+1}).");
}
END_TEST

/* ================================================================== conv_im2col */

START_TEST(im2col_by_hand)
{
    const float img[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };   /* one channel, 3×3 */
    /* K 2, S 1, P 0: four 2×2 windows; row (ky, kx) lists that tap over the windows */
    ConvShape a = shape(1, 3, 3, 1, 2, 1, 0);
    float cols[16];
    fill_nan(cols, 16);
    conv_im2col(cols, img, &a);
    const float want_a[16] = { 1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9 };
    ckx_close_arrayf(cols, want_a, 16, 0, "im2col of [1..9] (3×3), K 2, S 1, P 0",
                     "cols is (C·K·K, OH·OW): ROW (c·K + ky)·K + kx, COLUMN oy·OW + ox holds "
                     "img[c][oy·S − P + ky][ox·S − P + kx].");
    /* K 2, S 2, P 1: windows start at −1 and 1; taps in the padding are 0 */
    ConvShape b = shape(1, 3, 3, 1, 2, 2, 1);
    fill_nan(cols, 16);
    conv_im2col(cols, img, &b);
    const float want_b[16] = { 0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 8, 1, 3, 7, 9 };
    ckx_close_arrayf(cols, want_b, 16, 0, "im2col of [1..9] (3×3), K 2, S 2, P 1",
                     "the window of output (oy, ox) starts at (oy·S − P, ox·S − P); a tap outside the image "
                     "must be WRITTEN as 0 (the buffer held NaN).");
}
END_TEST

/* Several channels, every shape: against the definition, indexed here. */
START_TEST(im2col_matches_definition)
{
    Rng r;
    rng_seed(&r, 1601);
    for (int s = 0; s < N_CONV_SHAPES; s++) {
        const int *d = CONV_SHAPES[s];
        ConvShape cs = shape(d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
        const size_t nc = cols_size(&cs, 1);
        float *img = fvec(in_size(&cs, 1)), *cols = fvec(nc), *want = fvec(nc);
        fill_normal(img, in_size(&cs, 1), &r, 1);
        ref_im2col(want, img, &cs);
        fill_nan(cols, nc);
        conv_im2col(cols, img, &cs);
        char what[128], nm[64];
        snprintf(what, sizeof what, "im2col (%s)", shape_name(&cs, nm, sizeof nm));
        ckx_close_arrayf(cols, want, (int)nc, 0, what,
                         "channel c's taps are rows c·K·K ... (c + 1)·K·K − 1; the row index is (c·K + ky)·K + kx "
                         "and the image index (c·H + y)·W + x.");
        free(img); free(cols); free(want);
    }
}
END_TEST

/* ================================================================== conv_col2im */

START_TEST(col2im_by_hand)
{
    /* all-ones columns of a 3×3 image, K 2, S 1: each pixel gets the number of windows it is in */
    ConvShape a = shape(1, 3, 3, 1, 2, 1, 0);
    float cols[16], img[9];
    for (int i = 0; i < 16; i++) cols[i] = 1;
    fill_nan(img, 9);
    conv_col2im(img, cols, &a);
    const float want[9] = { 1, 2, 1, 2, 4, 2, 1, 2, 1 };
    ckx_close_arrayf(img, want, 9, 0, "col2im of all-ones columns (3×3, K 2, S 1): windows covering each pixel",
                     "col2im ADDS every column entry into the pixel it came from (the centre is in all 4 windows); "
                     "zero img first (it held NaN).");
}
END_TEST

/* ⟨im2col(x), Y⟩ = ⟨x, col2im(Y)⟩ for random x and Y: col2im is im2col's transpose. */
START_TEST(col2im_is_adjoint_of_im2col)
{
    Rng r;
    rng_seed(&r, 1602);
    for (int s = 0; s < N_CONV_SHAPES; s++) {
        const int *d = CONV_SHAPES[s];
        ConvShape cs = shape(d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
        const size_t ni = in_size(&cs, 1), nc = cols_size(&cs, 1);
        float *x = fvec(ni), *Y = fvec(nc), *cols = fvec(nc), *back = fvec(ni);
        fill_normal(x, ni, &r, 1);
        fill_normal(Y, nc, &r, 1);
        /* im2col here, so that only col2im is under test */
        ref_im2col(cols, x, &cs);
        const double lhs = vdot_f(cols, Y, nc);
        fill_nan(back, ni);
        conv_col2im(back, Y, &cs);
        const double rhs = vdot_f(x, back, ni);
        char what[160], nm[64];
        snprintf(what, sizeof what, "⟨x, col2im(Y)⟩ against ⟨im2col(x), Y⟩ (%s)", shape_name(&cs, nm, sizeof nm));
        ckx_close(rhs, lhs, 1e-4 * sqrt((double)nc), what,
                  "col2im must undo im2col's indexing exactly (same row and column formulas), ADD where windows "
                  "overlap, and drop the entries that came from the padding.");
        free(x); free(Y); free(cols); free(back);
    }
}
END_TEST

/* ================================================================== conv_forward */

/* The given reference against values by hand: a 3×3 image, one 2×2 filter. */
START_TEST(conv_ref_by_hand)
{
    ConvShape cs = shape(1, 3, 3, 1, 2, 1, 0);
    const double img[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, w[4] = { 1, 0, 0, -1 }, b = 0.5;
    double out[4];
    conv_forward_ref(out, img, w, &b, &cs, 1);
    /* x[y][x] − x[y+1][x+1] + 0.5 = −4 + 0.5 everywhere */
    for (int i = 0; i < 4; i++) ckx_close(out[i], -3.5, 1e-12, "conv_forward_ref by hand", NULL);
}
END_TEST

START_TEST(conv_forward_matches_direct_loop)
{
    Rng r;
    rng_seed(&r, 1603);
    const int B = 3;
    for (int s = 0; s < N_CONV_SHAPES; s++) {
        const int *d = CONV_SHAPES[s];
        ConvShape cs = shape(d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
        const size_t ni = in_size(&cs, B), no = out_size(&cs, B), nw = w_size(&cs);
        float *x = fvec(ni), *w = fvec(nw), *b = fvec(cs.F), *out = fvec(no), *cols = fvec(cols_size(&cs, B));
        double *xd = dvec(ni), *wd = dvec(nw), *bd = dvec(cs.F), *want = dvec(no);
        fill_normal(x, ni, &r, 1);
        fill_normal(w, nw, &r, 1);
        fill_normal(b, cs.F, &r, 1);
        to_double(xd, x, ni); to_double(wd, w, nw); to_double(bd, b, cs.F);
        conv_forward_ref(want, xd, wd, bd, &cs, B);
        fill_nan(out, no);
        conv_forward(out, cols, x, w, b, &cs, B);
        char what[128], nm[64];
        snprintf(what, sizeof what, "out, batch %d (%s), against the direct loop", B, shape_name(&cs, nm, sizeof nm));
        close_fd(out, want, no, 1e-5 * sqrt((double)cs.C * cs.K * cs.K) * 4, what,
                 "per image b: im2col into cols + b·CKK·N, then out_b (F, N) = w (F, CKK)·cols_b with "
                 "mat_mul_ab(out_b, w, cols_b, F, CKK, N, 0), then b[f] added to all N positions of channel f. "
                 "Image b's input starts at b·C·H·W, its output at b·F·N.");
        /* the columns of every image stay in cols for the backward pass */
        float *wc = fvec(cols_size(&cs, B));
        for (int i = 0; i < B; i++) ref_im2col(wc + (size_t)i * cols_size(&cs, 1), x + (size_t)i * in_size(&cs, 1), &cs);
        snprintf(what, sizeof what, "cols after the forward pass, batch %d (%s)", B, nm);
        ckx_close_arrayf(cols, wc, (int)cols_size(&cs, B), 0, what,
                         "keep image b's columns at cols + b·CKK·N (conv_backward reads them): one shared buffer "
                         "for all images gives the right output but the wrong gradients.");
        free(wc);
        free(x); free(w); free(b); free(out); free(cols); free(xd); free(wd); free(bd); free(want);
    }
}
END_TEST

/* ================================================================== conv_backward */

/* The reference backward against central differences of the reference forward
 * of L = Σ c ⊙ out (so that conv_backward_ref may serve as a reference). */
typedef struct {
    ConvShape cs;
    int B;
    double *x, *w, *b, *c, *out;
} ConvCase;

static double conv_loss(ConvCase *t)
{
    conv_forward_ref(t->out, t->x, t->w, t->b, &t->cs, t->B);
    return dot_d(t->c, t->out, out_size(&t->cs, t->B));
}
static double conv_numeric(ConvCase *t, double *p, size_t i)
{
    const double keep = p[i];
    p[i] = keep + FD_STEP;
    double lp = conv_loss(t);
    p[i] = keep - FD_STEP;
    double lm = conv_loss(t);
    p[i] = keep;
    return (lp - lm) / (2 * FD_STEP);
}

START_TEST(conv_backward_matches_central_differences)
{
    Rng r;
    rng_seed(&r, 1604);
    const int B = 2;
    for (int s = 0; s < N_CONV_SHAPES; s++) {
        const int *d = CONV_SHAPES[s];
        ConvCase t = { shape(d[0], d[1], d[2], d[3], d[4], d[5], d[6]), B, 0, 0, 0, 0, 0 };
        const ConvShape *cs = &t.cs;
        const size_t ni = in_size(cs, B), no = out_size(cs, B), nw = w_size(cs);
        t.x = dvec(ni); t.w = dvec(nw); t.b = dvec(cs->F); t.c = dvec(no); t.out = dvec(no);
        float *x = fvec(ni), *w = fvec(nw), *b = fvec(cs->F), *c = fvec(no);
        float *cols = fvec(cols_size(cs, B)), *dcols = fvec(cols_size(cs, 1));
        float *dx = fvec(ni), *dw = fvec(nw), *db = fvec(cs->F);
        fill_normal(x, ni, &r, 1); fill_normal(w, nw, &r, 1); fill_normal(b, cs->F, &r, 1); fill_normal(c, no, &r, 1);
        to_double(t.x, x, ni); to_double(t.w, w, nw); to_double(t.b, b, cs->F); to_double(t.c, c, no);
        /* the reference: central differences */
        double *nx = dvec(ni), *nw_ = dvec(nw), *nb = dvec(cs->F);
        for (size_t i = 0; i < ni; i++) nx[i] = conv_numeric(&t, t.x, i);
        for (size_t i = 0; i < nw; i++) nw_[i] = conv_numeric(&t, t.w, i);
        for (int i = 0; i < cs->F; i++) nb[i] = conv_numeric(&t, t.b, (size_t)i);
        /* the reference backward agrees with them */
        double *rx = dvec(ni), *rw = dvec(nw), *rb = dvec(cs->F);
        conv_backward_ref(rx, rw, rb, t.c, t.x, t.w, cs, B);
        for (size_t i = 0; i < nw; i++) ck_assert_msg(fabs(rw[i] - nw_[i]) < 1e-6, "conv_backward_ref dw[%zu]", i);
        for (size_t i = 0; i < ni; i++) ck_assert_msg(fabs(rx[i] - nx[i]) < 1e-6, "conv_backward_ref din[%zu]", i);
        /* the code under test, on columns made here; dw and db start at 1 and −1: they must be added into */
        for (int i = 0; i < B; i++) ref_im2col(cols + (size_t)i * cols_size(cs, 1), x + (size_t)i * in_size(cs, 1), cs);
        for (size_t i = 0; i < nw; i++) dw[i] = 1;
        for (int i = 0; i < cs->F; i++) db[i] = -1;
        fill_nan(dx, ni);
        conv_backward(dx, dw, db, dcols, c, cols, w, cs, B);
        for (size_t i = 0; i < nw; i++) dw[i] -= 1;
        for (int i = 0; i < cs->F; i++) db[i] += 1;
        char what[128], nm[64];
        shape_name(cs, nm, sizeof nm);
        snprintf(what, sizeof what, "dw (%s, batch %d)", nm, B);
        check_grad(what, dw, nw_, nw,
                   "dw += dout_b·cols_bᵀ for EVERY image b (mat_mul_abt(dw, dout_b, cols_b, F, N, CKK, 1)): the "
                   "filter is shared by all positions and images, so its gradient is their sum; ADD into dw.");
        snprintf(what, sizeof what, "db (%s)", nm);
        check_grad(what, db, nb, cs->F, "db[f] += Σ over images and positions of dout[b][f]; ADD into db.");
        snprintf(what, sizeof what, "din (%s)", nm);
        check_grad(what, dx, nx, ni,
                   "din_b = col2im(wᵀ·dout_b): mat_mul_atb(dcols, w, dout_b, CKK, F, N, 0), then conv_col2im "
                   "into din + b·C·H·W.");
        /* din = NULL: parameter gradients only */
        memset(dw, 0, nw * sizeof *dw);
        memset(db, 0, (size_t)cs->F * sizeof *db);
        conv_backward(NULL, dw, db, dcols, c, cols, w, cs, B);
        check_grad("dw with din = NULL", dw, nw_, nw, "skip only the input gradient when din is NULL.");
        free(x); free(w); free(b); free(c); free(cols); free(dcols); free(dx); free(dw); free(db);
        free(t.x); free(t.w); free(t.b); free(t.c); free(t.out); free(nx); free(nw_); free(nb);
        free(rx); free(rw); free(rb);
    }
}
END_TEST

/* ================================================================== pool_max_forward */

START_TEST(pool_max_forward_by_hand)
{
    /* one 4×4 channel, 2×2 windows, stride 2 */
    const float x[16] = { 1, 3, -2, 0, 4, 2, -1, -5, 0, 0, 7, 1, -3, 6, 2, 8 };
    float out[4];
    int am[4];
    fill_nan(out, 4);
    pool_max_forward(out, am, x, 1, 1, 4, 4, 2, 2);
    const float want[4] = { 4, 0, 6, 8 };
    ckx_close_arrayf(out, want, 4, 0, "2×2 max pooling of a 4×4 image",
                     "out[oy][ox] = max over in[oy·S + ky][ox·S + kx], 0 <= ky, kx < K.");
    const int want_am[4] = { 4, 3, 13, 15 };
    for (int i = 0; i < 4; i++)
        ck_assert_msg(am[i] == want_am[i], "argmax[%d]: expected %d (the index into in of the window's maximum), got %d. "
                      "Hint: start the search at the window's first element and keep the index of the largest; a "
                      "search started at the value 0 never moves in a window whose maximum is <= 0.", i, want_am[i],
                      am[i]);
    /* all negative, two channels and two images: a max started at 0 returns 0 */
    float neg[32], o2[8];
    for (int i = 0; i < 32; i++) neg[i] = -1.0f - (float)((i * 7) % 11);
    int am2[8];
    pool_max_forward(o2, am2, neg, 2, 2, 2, 4, 2, 2);
    for (int o = 0; o < 8; o++) {
        const int base = (o / 2) * 8 + (o % 2) * 2;
        float m = fmaxf(fmaxf(neg[base], neg[base + 1]), fmaxf(neg[base + 4], neg[base + 5]));
        ckx_close(o2[o], m, 0, "max of a window of negative values (2 images × 2 channels of 2×4)",
                  "start each maximum at the window's first element, not at 0; channel bc's plane starts at "
                  "bc·H·W.");
        ck_assert_msg(neg[am2[o]] == m, "argmax[%d] = %d points at %g, not at the maximum %g", o, am2[o],
                      neg[am2[o]], m);
    }
    /* overlapping windows (3×3, stride 2) on 5×5, two channels: against the definition */
    float big[50], o3[8];
    int am3[8];
    for (int i = 0; i < 50; i++) big[i] = (float)((i * 37) % 23) - 11.0f;
    pool_max_forward(o3, am3, big, 1, 2, 5, 5, 3, 2);
    for (int c = 0; c < 2; c++)
        for (int oy = 0; oy < 2; oy++)
            for (int ox = 0; ox < 2; ox++) {
                float m = -INFINITY;
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++) m = fmaxf(m, big[c * 25 + (oy * 2 + ky) * 5 + ox * 2 + kx]);
                ckx_close(o3[(c * 2 + oy) * 2 + ox], m, 0, "3×3 windows with stride 2 on a 5×5 image (2 channels)",
                          "window (oy, ox) starts at row oy·S, column ox·S (the stride S, not the window size K); "
                          "OH = (H − K)/S + 1.");
            }
    /* ties: the first in scanning order */
    const float tie[4] = { 2, 2, 2, 2 };
    pool_max_forward(out, am, tie, 1, 1, 2, 2, 2, 2);
    ck_assert_msg(am[0] == 0, "a window of equal values: argmax should be the first (0), got %d (use >, not >=)",
                  am[0]);
}
END_TEST

/* ================================================================== pool_max_backward */

START_TEST(pool_max_backward_routes_to_winners)
{
    /* a 5×5 image with 3×3 windows and stride 2: the four windows overlap, and
     * the centre pixel (index 12), the largest, wins all four of them */
    float dout[4] = { 1, 2, 3, 4 }, din[25];
    const int am[4] = { 12, 12, 12, 12 };   /* what pool_max_forward finds */
    fill_nan(din, 25);
    pool_max_backward(din, dout, am, 1, 1, 5, 5, 3, 2);
    float want[25] = { 0 };
    want[12] = 10;
    ckx_close_arrayf(din, want, 25, 0, "din of overlapping 3×3 windows (stride 2) that share one winner",
                     "din = 0 everywhere (it held NaN), then din[argmax[o]] += dout[o]: ADD, the centre wins all four "
                     "windows and gets 1 + 2 + 3 + 4.");
}
END_TEST

/* Against central differences of a max pooling written here (distinct values, so it is differentiable). */
START_TEST(pool_max_backward_matches_central_differences)
{
    Rng r;
    rng_seed(&r, 1605);
    const int B = 2, C = 3, H = 6, W = 6, K = 2, S = 2, OH = 3, OW = 3;
    const int ni = B * C * H * W, no = B * C * OH * OW;
    float *x = fvec(ni), *c = fvec(no), *din = fvec(ni);
    int *am = ivec(no);
    fill_normal(x, ni, &r, 1);
    fill_normal(c, no, &r, 1);
    double *xd = dvec(ni), *num = dvec(ni);
    to_double(xd, x, ni);
    for (int i = 0; i < ni; i++) {
        double l[2];
        for (int side = 0; side < 2; side++) {
            const double keep = xd[i];
            xd[i] = keep + (side ? -FD_STEP : FD_STEP);
            double s = 0;
            for (int bc = 0; bc < B * C; bc++)
                for (int oy = 0; oy < OH; oy++)
                    for (int ox = 0; ox < OW; ox++) {
                        double m = -INFINITY;
                        for (int ky = 0; ky < K; ky++)
                            for (int kx = 0; kx < K; kx++)
                                m = fmax(m, xd[(bc * H + oy * S + ky) * W + ox * S + kx]);
                        s += c[(bc * OH + oy) * OW + ox] * m;
                    }
            l[side] = s;
            xd[i] = keep;
        }
        num[i] = (l[0] - l[1]) / (2 * FD_STEP);
    }
    for (int bc = 0; bc < B * C; bc++)   /* the winners, found here */
        for (int o = 0; o < OH * OW; o++) {
            int best = (bc * H + (o / OW) * S) * W + (o % OW) * S;
            for (int ky = 0; ky < K; ky++)
                for (int kx = 0; kx < K; kx++) {
                    int i = (bc * H + (o / OW) * S + ky) * W + (o % OW) * S + kx;
                    if (x[i] > x[best]) best = i;
                }
            am[bc * OH * OW + o] = best;
        }
    fill_nan(din, ni);
    pool_max_backward(din, c, am, B, C, H, W, K, S);
    check_grad("din of 2×2 max pooling", din, num, ni,
               "only the winner of each window gets its gradient; every other input gets 0.");
    free(x); free(c); free(din); free(am); free(xd); free(num);
}
END_TEST

/* ================================================================== recurrent cells: references */

/* A recurrent case in double: the sequence, the weights, h_0 and c_0, and the
 * loss L = Σ_t Σ coef_t ⊙ h_t with fixed random coef (so dhs = coef). G = H or 4H. */
typedef struct {
    int T, B, I, H, G, lstm;
    double *xs, *Wx, *Wh, *b, *h0, *c0, *coef;   /* (T,B,I) (G,I) (G,H) (G) (B,H) (B,H) (T,B,H) */
    double *hs, *cs;                              /* (T+1,B,H) each */
} SeqCase;

static double sig_d(double x) { return 1 / (1 + exp(-x)); }

/* h_t = tanh(x_t·Wxᵀ + h_{t−1}·Whᵀ + b), or the LSTM step; in double. */
static void ref_seq_forward(SeqCase *q)
{
    const int B = q->B, I = q->I, H = q->H, G = q->G;
    double *z = dvec((size_t)G);
    memcpy(q->hs, q->h0, (size_t)B * H * sizeof(double));
    memcpy(q->cs, q->c0, (size_t)B * H * sizeof(double));
    for (int t = 1; t <= q->T; t++)
        for (int r = 0; r < B; r++) {
            const double *x = q->xs + ((size_t)(t - 1) * B + r) * I, *hp = q->hs + ((size_t)(t - 1) * B + r) * H;
            const double *cp = q->cs + ((size_t)(t - 1) * B + r) * H;
            double *h = q->hs + ((size_t)t * B + r) * H, *c = q->cs + ((size_t)t * B + r) * H;
            for (int j = 0; j < G; j++) {
                z[j] = q->b[j];
                for (int k = 0; k < I; k++) z[j] += q->Wx[j * I + k] * x[k];
                for (int k = 0; k < H; k++) z[j] += q->Wh[j * H + k] * hp[k];
            }
            for (int j = 0; j < H; j++) {
                if (!q->lstm) { h[j] = tanh(z[j]); continue; }
                c[j] = sig_d(z[H + j]) * cp[j] + sig_d(z[j]) * tanh(z[2 * H + j]);
                h[j] = sig_d(z[3 * H + j]) * tanh(c[j]);
            }
        }
    free(z);
}

static double seq_loss(SeqCase *q)
{
    ref_seq_forward(q);
    const size_t BH = (size_t)q->B * q->H;
    return dot_d(q->coef, q->hs + BH, (size_t)q->T * BH);
}
static double seq_numeric(SeqCase *q, double *p, size_t i)
{
    const double keep = p[i];
    p[i] = keep + FD_STEP;
    double lp = seq_loss(q);
    p[i] = keep - FD_STEP;
    double lm = seq_loss(q);
    p[i] = keep;
    return (lp - lm) / (2 * FD_STEP);
}

/* The float arrays of a case (what the code under test gets). */
typedef struct {
    float *xs, *Wx, *Wh, *b, *h0, *c0, *coef;
} SeqFloats;

/* Random weights (scale 0.5, so that tanh and σ are not saturated), inputs,
 * h_0, c_0 and loss coefficients, in float and their double copies. */
static SeqCase seq_case(int lstm, int T, int B, int I, int H, Rng *r, SeqFloats *f)
{
    SeqCase q = { T, B, I, H, lstm ? 4 * H : H, lstm, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    const size_t nx = (size_t)T * B * I, nwx = (size_t)q.G * I, nwh = (size_t)q.G * H, BH = (size_t)B * H;
    f->xs = fvec(nx); f->Wx = fvec(nwx); f->Wh = fvec(nwh); f->b = fvec(q.G);
    f->h0 = fvec(BH); f->c0 = fvec(BH); f->coef = fvec((size_t)T * BH);
    fill_normal(f->xs, nx, r, 1); fill_normal(f->Wx, nwx, r, 0.5); fill_normal(f->Wh, nwh, r, 0.5);
    fill_normal(f->b, q.G, r, 0.5); fill_normal(f->h0, BH, r, 0.5); fill_normal(f->c0, BH, r, 0.5);
    fill_normal(f->coef, (size_t)T * BH, r, 1);
    q.xs = dvec(nx); q.Wx = dvec(nwx); q.Wh = dvec(nwh); q.b = dvec(q.G); q.h0 = dvec(BH); q.c0 = dvec(BH);
    q.coef = dvec((size_t)T * BH); q.hs = dvec((size_t)(T + 1) * BH); q.cs = dvec((size_t)(T + 1) * BH);
    to_double(q.xs, f->xs, nx); to_double(q.Wx, f->Wx, nwx); to_double(q.Wh, f->Wh, nwh); to_double(q.b, f->b, q.G);
    to_double(q.h0, f->h0, BH); to_double(q.c0, f->c0, BH); to_double(q.coef, f->coef, (size_t)T * BH);
    return q;
}

static void seq_case_free(SeqCase *q, SeqFloats *f)
{
    free(q->xs); free(q->Wx); free(q->Wh); free(q->b); free(q->h0); free(q->c0); free(q->coef); free(q->hs);
    free(q->cs);
    free(f->xs); free(f->Wx); free(f->Wh); free(f->b); free(f->h0); free(f->c0); free(f->coef);
}

/* The sizes the recurrent tests run over: T, B, I, H. */
static const int SEQ_SHAPES[][4] = { { 1, 2, 3, 4 }, { 6, 3, 2, 5 }, { 12, 2, 4, 3 } };
#define N_SEQ_SHAPES 3

/* Run the float forward (rnn or lstm) of the code under test into hs (and cs, gates). */
static void run_forward(int lstm, float *hs, float *cs, float *gates, const SeqFloats *f, const CellParams *p, int T,
                        int B, int I, int H)
{
    const size_t BH = (size_t)B * H;
    fill_nan(hs + BH, (size_t)T * BH);
    memcpy(hs, f->h0, BH * sizeof *hs);
    if (lstm) {
        fill_nan(cs + BH, (size_t)T * BH);
        memcpy(cs, f->c0, BH * sizeof *cs);
        fill_nan(gates, (size_t)T * B * 4 * H);
        lstm_forward(hs, cs, gates, f->xs, p, T, B, I, H);
    } else {
        rnn_forward(hs, f->xs, p, T, B, I, H);
    }
}

static void forward_matches_reference(int lstm)
{
    Rng r;
    rng_seed(&r, lstm ? 1611 : 1610);
    for (int s = 0; s < N_SEQ_SHAPES; s++) {
        const int T = SEQ_SHAPES[s][0], B = SEQ_SHAPES[s][1], I = SEQ_SHAPES[s][2], H = SEQ_SHAPES[s][3];
        SeqFloats f;
        SeqCase q = seq_case(lstm, T, B, I, H, &r, &f);
        const size_t BH = (size_t)B * H, n = (size_t)(T + 1) * BH;
        float *hs = fvec(n), *cs = fvec(n), *gates = fvec((size_t)T * B * 4 * H);
        CellParams p = { f.Wx, f.Wh, f.b };
        run_forward(lstm, hs, cs, gates, &f, &p, T, B, I, H);
        ref_seq_forward(&q);
        char what[96];
        snprintf(what, sizeof what, "h_1..h_T (T %d, B %d, I %d, H %d)", T, B, I, H);
        close_fd(hs + BH, q.hs + BH, (size_t)T * BH, 1e-5, what,
                 lstm ? "z = x_t·Wxᵀ + h_{t−1}·Whᵀ + b in blocks [i | f | g | o] of H; i, f, o through σ, g through "
                        "tanh; c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙tanh(c_t). Block t of hs is h_t (block 0 is h_0)."
                      : "h_t = tanh(x_t·Wxᵀ + h_{t−1}·Whᵀ + b): block t of hs (offset t·B·H) is h_t, block 0 the "
                        "given h_0; x_t is block t − 1 of xs.");
        if (lstm) {
            snprintf(what, sizeof what, "c_1..c_T (T %d, B %d, I %d, H %d)", T, B, I, H);
            close_fd(cs + BH, q.cs + BH, (size_t)T * BH, 1e-5, what, "c_t = f⊙c_{t−1} + i⊙g.");
        }
        free(hs); free(cs); free(gates);
        seq_case_free(&q, &f);
    }
}

static void backward_matches_central_differences(int lstm)
{
    Rng r;
    rng_seed(&r, lstm ? 1613 : 1612);
    for (int s = 0; s < N_SEQ_SHAPES; s++) {
        const int T = SEQ_SHAPES[s][0], B = SEQ_SHAPES[s][1], I = SEQ_SHAPES[s][2], H = SEQ_SHAPES[s][3];
        SeqFloats f;
        SeqCase q = seq_case(lstm, T, B, I, H, &r, &f);
        const int G = q.G;
        const size_t BH = (size_t)B * H, n = (size_t)(T + 1) * BH, nx = (size_t)T * B * I;
        const size_t nwx = (size_t)G * I, nwh = (size_t)G * H;
        /* central differences of the double reference */
        double *nWx = dvec(nwx), *nWh = dvec(nwh), *nb = dvec(G), *nxs = dvec(nx), *nh0 = dvec(BH), *nc0 = dvec(BH);
        for (size_t i = 0; i < nwx; i++) nWx[i] = seq_numeric(&q, q.Wx, i);
        for (size_t i = 0; i < nwh; i++) nWh[i] = seq_numeric(&q, q.Wh, i);
        for (int i = 0; i < G; i++) nb[i] = seq_numeric(&q, q.b, (size_t)i);
        for (size_t i = 0; i < nx; i++) nxs[i] = seq_numeric(&q, q.xs, i);
        for (size_t i = 0; i < BH; i++) nh0[i] = seq_numeric(&q, q.h0, i);
        for (size_t i = 0; i < BH; i++) nc0[i] = seq_numeric(&q, q.c0, i);
        /* the code under test; gradients start at 1 (they must be added into) */
        float *hs = fvec(n), *cs = fvec(n), *gates = fvec((size_t)T * B * 4 * H), *work = fvec(6 * BH);
        float *dWx = fvec(nwx), *dWh = fvec(nwh), *db = fvec(G), *dxs = fvec(nx), *dh0 = fvec(BH), *dc0 = fvec(BH);
        CellParams p = { f.Wx, f.Wh, f.b }, g = { dWx, dWh, db };
        run_forward(lstm, hs, cs, gates, &f, &p, T, B, I, H);
        for (size_t i = 0; i < nwx; i++) dWx[i] = 1;
        for (size_t i = 0; i < nwh; i++) dWh[i] = 1;
        for (int i = 0; i < G; i++) db[i] = 1;
        fill_nan(dxs, nx); fill_nan(dh0, BH); fill_nan(dc0, BH); fill_nan(work, 6 * BH);
        if (lstm) lstm_backward(dxs, dh0, dc0, &g, f.coef, hs, cs, gates, f.xs, &p, work, T, B, I, H);
        else rnn_backward(dxs, dh0, &g, f.coef, hs, f.xs, &p, work, T, B, I, H);
        for (size_t i = 0; i < nwx; i++) dWx[i] -= 1;
        for (size_t i = 0; i < nwh; i++) dWh[i] -= 1;
        for (int i = 0; i < G; i++) db[i] -= 1;
        char what[96], dims[48];
        snprintf(dims, sizeof dims, "T %d, B %d, I %d, H %d", T, B, I, H);
        const char *carry = lstm ? "walk t = T..1 carrying dh AND dc from the future (both 0 at first; work holds "
                                   "garbage, zero them); at each step dh ← dh + dhs_t, dc ← dc + dh⊙o⊙(1 − tanh²c_t)."
                                 : "walk t = T..1 carrying g = ∂L/∂h_t: g ← g + dhs_t, dz = g⊙(1 − h_t²), then "
                                   "g ← dz·Wh for the step before (work holds garbage: zero g first).";
        snprintf(what, sizeof what, "dh0 (%s)", dims);
        check_grad(what, dh0, nh0, BH, carry);
        snprintf(what, sizeof what, "dWh (%s)", dims);
        check_grad(what, dWh, nWh, nwh, "Wh += dzᵀ·h_{t−1} (the PREVIOUS state), summed over every step; ADD.");
        snprintf(what, sizeof what, "dWx (%s)", dims);
        check_grad(what, dWx, nWx, nwx, "Wx += dzᵀ·x_t at every step (mat_mul_atb(Wx, dz, x_t, G, B, I, 1)); ADD.");
        snprintf(what, sizeof what, "db (%s)", dims);
        check_grad(what, db, nb, G, "b += Σ_rows dz at every step; ADD.");
        snprintf(what, sizeof what, "dxs (%s)", dims);
        check_grad(what, dxs, nxs, nx, "dx_t = dz_t·Wx, written into block t − 1 of dxs.");
        if (lstm) {
            snprintf(what, sizeof what, "dc0 (%s)", dims);
            check_grad(what, dc0, nc0, BH,
                       "the cell path: dc_{t−1} = dc_t⊙f_t; after step 1, dc0 = dc. The gates' derivatives: "
                       "di = dc⊙g, df = dc⊙c_{t−1}, dg = dc⊙i, do = dh⊙tanh(c_t).");
        }
        /* dxs = NULL: the rest unchanged */
        memset(dWx, 0, nwx * sizeof *dWx);
        if (lstm) lstm_backward(NULL, dh0, dc0, &g, f.coef, hs, cs, gates, f.xs, &p, work, T, B, I, H);
        else rnn_backward(NULL, dh0, &g, f.coef, hs, f.xs, &p, work, T, B, I, H);
        check_grad("dWx with dxs = NULL", dWx, nWx, nwx, "skip only dx_t when dxs is NULL.");
        free(hs); free(cs); free(gates); free(work); free(dWx); free(dWh); free(db); free(dxs); free(dh0); free(dc0);
        free(nWx); free(nWh); free(nb); free(nxs); free(nh0); free(nc0);
        seq_case_free(&q, &f);
    }
}

/* ================================================================== rnn_forward, rnn_backward */

START_TEST(rnn_forward_matches_reference) { forward_matches_reference(0); }
END_TEST

START_TEST(rnn_backward_matches_central_differences) { backward_matches_central_differences(0); }
END_TEST

/* ================================================================== lstm_forward, lstm_backward */

START_TEST(lstm_forward_matches_reference) { forward_matches_reference(1); }
END_TEST

/* Forget gate forced open (bias +100: σ = 1 exactly in float) and input gate
 * shut (bias −100: σ ≈ 4e-44): c_t = 1·c_{t−1} + 0·g, whatever the inputs, for
 * any length. The LSTM's memory in its purest form. */
static void open_cell(SeqFloats *f, int I, int H)
{
    for (int j = 0; j < H; j++) {
        f->b[j] = -100;        /* input gate */
        f->b[H + j] = 100;     /* forget gate */
        for (int k = 0; k < I; k++) f->Wx[j * I + k] = f->Wx[(H + j) * I + k] = 0;
        for (int k = 0; k < H; k++) f->Wh[j * H + k] = f->Wh[(H + j) * H + k] = 0;
    }
}

START_TEST(lstm_forward_open_forget_gate_keeps_cell)
{
    Rng r;
    rng_seed(&r, 1614);
    const int T = 1000, B = 2, I = 3, H = 4;
    SeqFloats f;
    SeqCase q = seq_case(1, T, B, I, H, &r, &f);
    open_cell(&f, I, H);
    const size_t BH = (size_t)B * H, n = (size_t)(T + 1) * BH;
    float *hs = fvec(n), *cs = fvec(n), *gates = fvec((size_t)T * B * 4 * H);
    CellParams p = { f.Wx, f.Wh, f.b };
    run_forward(1, hs, cs, gates, &f, &p, T, B, I, H);
    for (int t = 1; t <= T; t += (t < 10 ? 1 : 99))
        for (size_t k = 0; k < BH; k++)
            ck_assert_msg(cs[(size_t)t * BH + k] == f.c0[k],
                          "forget gate open (f = 1), input gate shut (i = 0): c_%d[%zu] should equal c_0 = %.9g "
                          "exactly, got %.9g. Hint: c_t = f⊙c_{t−1} + i⊙g, with f the SECOND block of the gates "
                          "[i | f | g | o] and i the first, both through σ.",
                          t, k, (double)f.c0[k], (double)cs[(size_t)t * BH + k]);
    free(hs); free(cs); free(gates);
    seq_case_free(&q, &f);
}
END_TEST

START_TEST(lstm_backward_matches_central_differences) { backward_matches_central_differences(1); }
END_TEST

/* The same open cell, with Wh = 0 and the loss on h_T only: ∂L/∂c_0 =
 * ∂L/∂c_T = dhs_T ⊙ o_T ⊙ (1 − tanh² c_T), carried through 1000 steps
 * without any loss (the constant error carousel). */
START_TEST(lstm_backward_carries_gradient_through_open_cell)
{
    Rng r;
    rng_seed(&r, 1615);
    const int T = 1000, B = 2, I = 3, H = 4;
    SeqFloats f;
    SeqCase q = seq_case(1, T, B, I, H, &r, &f);
    open_cell(&f, I, H);
    for (int i = 0; i < 4 * H * H; i++) f.Wh[i] = 0;
    const size_t BH = (size_t)B * H, n = (size_t)(T + 1) * BH;
    for (size_t i = 0; i < (size_t)(T - 1) * BH; i++) f.coef[i] = 0;
    float *hs = fvec(n), *cs = fvec(n), *gates = fvec((size_t)T * B * 4 * H), *work = fvec(6 * BH);
    float *dWx = fvec((size_t)4 * H * I), *dWh = fvec((size_t)4 * H * H), *db = fvec(4 * H);
    float *dh0 = fvec(BH), *dc0 = fvec(BH);
    CellParams p = { f.Wx, f.Wh, f.b }, g = { dWx, dWh, db };
    run_forward(1, hs, cs, gates, &f, &p, T, B, I, H);
    fill_nan(work, 6 * BH);
    lstm_backward(NULL, dh0, dc0, &g, f.coef, hs, cs, gates, f.xs, &p, work, T, B, I, H);
    double want[8];
    for (int row = 0; row < B; row++)
        for (int j = 0; j < H; j++) {
            const size_t k = (size_t)row * H + j;
            const double zo = f.b[3 * H + j] + vdot_f(f.Wx + (3 * H + j) * I, f.xs + ((size_t)(T - 1) * B + row) * I, I);
            const double o = sig_d(zo), tc = tanh((double)f.c0[k]);
            want[k] = f.coef[(size_t)(T - 1) * BH + k] * o * (1 - tc * tc);
        }
    check_grad("dc0 through 1000 steps of an open cell (Wh = 0, loss on h_T only)", dc0, want, BH,
               "on the cell path dc_{t−1} = dc_t ⊙ f, and f = 1 here: nothing may shrink it. Is dc carried between "
               "steps, and multiplied by f (the second gate block), not by i?");
    free(hs); free(cs); free(gates); free(work); free(dWx); free(dWh); free(db); free(dh0); free(dc0);
    seq_case_free(&q, &f);
}
END_TEST

/* ================================================================== attention: references */

/* One (T, Dk) block, in double: A = softmax(scale·q·kᵀ, masked), out = A·v. */
static void ref_attn(double *out, double *A, const double *q, const double *k, const double *v, int T, int Dk, int Dv,
                     double scale, int causal)
{
    for (int i = 0; i < T; i++) {
        double mx = -INFINITY, sum = 0;
        for (int j = 0; j < T; j++) {
            A[i * T + j] = (causal && j > i) ? -INFINITY : scale * dot_d(q + i * Dk, k + j * Dk, (size_t)Dk);
            mx = fmax(mx, A[i * T + j]);
        }
        for (int j = 0; j < T; j++) sum += A[i * T + j] = exp(A[i * T + j] - mx);
        for (int j = 0; j < T; j++) A[i * T + j] /= sum;
        for (int e = 0; e < Dv; e++) {
            double s = 0;
            for (int j = 0; j < T; j++) s += A[i * T + j] * v[j * Dv + e];
            out[i * Dv + e] = s;
        }
    }
}

/* Multi-head attention in double on x (B, T, D) with the parameter block of
 * self_attention.h's layout: projections, heads by index arithmetic, ref_attn per head. */
static void ref_mha(double *out, const double *x, const double *prm, int B, int T, int D, int heads, int causal)
{
    const int Dh = D / heads;
    const size_t DD = (size_t)D * D;
    const double *W[4] = { prm, prm + DD, prm + 2 * DD, prm + 3 * DD }, *bias = prm + 4 * DD;
    double *proj = dvec((size_t)3 * T * D), *ctx = dvec((size_t)T * D);
    double *q = dvec((size_t)T * Dh), *k = dvec((size_t)T * Dh), *v = dvec((size_t)T * Dh), *o = dvec((size_t)T * Dh);
    double *A = dvec((size_t)T * T);
    for (int b = 0; b < B; b++) {
        const double *xb = x + (size_t)b * T * D;
        for (int m = 0; m < 3; m++)   /* Q, K, V */
            for (int t = 0; t < T; t++)
                for (int o_ = 0; o_ < D; o_++)
                    proj[((size_t)m * T + t) * D + o_] = bias[m * D + o_] + dot_d(W[m] + (size_t)o_ * D, xb + t * D, (size_t)D);
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < T; t++)
                for (int i = 0; i < Dh; i++) {
                    q[t * Dh + i] = proj[((size_t)0 * T + t) * D + h * Dh + i];
                    k[t * Dh + i] = proj[((size_t)1 * T + t) * D + h * Dh + i];
                    v[t * Dh + i] = proj[((size_t)2 * T + t) * D + h * Dh + i];
                }
            ref_attn(o, A, q, k, v, T, Dh, Dh, 1 / sqrt((double)Dh), causal);
            for (int t = 0; t < T; t++)
                for (int i = 0; i < Dh; i++) ctx[t * D + h * Dh + i] = o[t * Dh + i];
        }
        for (int t = 0; t < T; t++)
            for (int o_ = 0; o_ < D; o_++)
                out[((size_t)b * T + t) * D + o_] = bias[3 * D + o_] + dot_d(W[3] + (size_t)o_ * D, ctx + t * D, (size_t)D);
    }
    free(proj); free(ctx); free(q); free(k); free(v); free(o); free(A);
}

/* A random permutation of 0..n−1. */
static void random_perm(int *p, int n, Rng *r)
{
    for (int i = 0; i < n; i++) p[i] = i;
    rng_shuffle(r, p, n);
}
/* dst row perm[t] = src row t, for B sequences of T rows of width w. */
static void permute_rows(float *dst, const float *src, const int *perm, int B, int T, int w)
{
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++)
            memcpy(dst + ((size_t)b * T + perm[t]) * w, src + ((size_t)b * T + t) * w, (size_t)w * sizeof *dst);
}

/* ================================================================== attn_forward */

START_TEST(attn_forward_by_hand)
{
    /* T 2, Dk = Dv = 1, scale 1: row 0's logits (ln 3, 0) give weights (3/4, 1/4),
     * row 1's (0, 0) give (1/2, 1/2); values 4 and 8 */
    const float q[2] = { logf(3.0f), 0 }, k[2] = { 1, 0 }, v[2] = { 4, 8 };
    float out[2], probs[4];
    fill_nan(out, 2);
    fill_nan(probs, 4);
    attn_forward(out, probs, q, k, v, 1, 2, 1, 1, 1.0f, 0);
    const float want_p[4] = { 0.75f, 0.25f, 0.5f, 0.5f }, want_o[2] = { 5, 6 };
    ckx_close_arrayf(probs, want_p, 4, 1e-6, "A = softmax(q·kᵀ) by hand",
                     "S_ij = scale·q_i·k_j, then a softmax over j in each row i (rows sum to 1).");
    ckx_close_arrayf(out, want_o, 2, 1e-5, "out = A·v by hand", "out_i = Σ_j A_ij v_j.");
    /* causal: row 0 sees only key 0 */
    attn_forward(out, probs, q, k, v, 1, 2, 1, 1, 1.0f, 1);
    const float want_pc[4] = { 1, 0, 0.5f, 0.5f }, want_oc[2] = { 4, 6 };
    ckx_close_arrayf(probs, want_pc, 4, 1e-6, "causal A by hand",
                     "causal: S_ij = −INFINITY for j > i before the softmax, so A_ij = 0 exactly there.");
    ckx_close_arrayf(out, want_oc, 2, 1e-5, "causal out by hand", NULL);
}
END_TEST

START_TEST(attn_forward_matches_reference)
{
    Rng r;
    rng_seed(&r, 1620);
    const int B = 3, T = 5, Dk = 4, Dv = 3;
    const size_t nq = (size_t)B * T * Dk, nv = (size_t)B * T * Dv, nA = (size_t)B * T * T;
    float *q = fvec(nq), *k = fvec(nq), *v = fvec(nv), *out = fvec(nv), *probs = fvec(nA);
    double *qd = dvec(nq), *kd = dvec(nq), *vd = dvec(nv), *od = dvec(nv), *Ad = dvec(nA);
    fill_normal(q, nq, &r, 1); fill_normal(k, nq, &r, 1); fill_normal(v, nv, &r, 1);
    to_double(qd, q, nq); to_double(kd, k, nq); to_double(vd, v, nv);
    for (int causal = 0; causal < 2; causal++) {
        const double scale = 0.5;
        for (int b = 0; b < B; b++)
            ref_attn(od + (size_t)b * T * Dv, Ad + (size_t)b * T * T, qd + (size_t)b * T * Dk, kd + (size_t)b * T * Dk,
                     vd + (size_t)b * T * Dv, T, Dk, Dv, scale, causal);
        fill_nan(out, nv);
        fill_nan(probs, nA);
        attn_forward(out, probs, q, k, v, B, T, Dk, Dv, (float)scale, causal);
        close_fd(probs, Ad, nA, 1e-6, causal ? "causal probs (B 3, T 5, Dk 4)" : "probs (B 3, T 5, Dk 4)",
                 "A = softmax(scale·Q·Kᵀ) row by row, for each of the B blocks (block b of q starts at b·T·Dk); "
                 "multiply by scale (it is not always 1/√Dk: the caller chooses).");
        close_fd(out, od, nv, 1e-5, causal ? "causal out (B 3, T 5, Dv 3)" : "out (B 3, T 5, Dv 3)",
                 "out_b = A_b·v_b (T, Dv); block b of v and out starts at b·T·Dv.");
    }
    free(q); free(k); free(v); free(out); free(probs); free(qd); free(kd); free(vd); free(od); free(Ad);
}
END_TEST

/* Changing the queries, keys and values at positions >= m changes nothing at
 * positions < m, bit for bit, and every masked weight is exactly 0. */
START_TEST(attn_forward_causal_mask_blocks_future)
{
    Rng r;
    rng_seed(&r, 1621);
    const int B = 2, T = 7, D = 4, m = 3;
    const size_t n = (size_t)B * T * D, nA = (size_t)B * T * T;
    float *q = fvec(n), *k = fvec(n), *v = fvec(n), *out1 = fvec(n), *out2 = fvec(n), *probs = fvec(nA);
    fill_normal(q, n, &r, 1); fill_normal(k, n, &r, 1); fill_normal(v, n, &r, 1);
    attn_forward(out1, probs, q, k, v, B, T, D, D, 0.5f, 1);
    require_nonzero(out1, n, "causal attention's out");
    for (int b = 0; b < B; b++)
        for (int i = 0; i < T; i++)
            for (int j = i + 1; j < T; j++)
                ck_assert_msg(probs[((size_t)b * T + i) * T + j] == 0.0f,
                              "causal: A[%d][%d] = %g in block %d, should be exactly 0 (query %d must not see key %d). "
                              "Hint: set S_ij = −INFINITY for j > i BEFORE the softmax (a large negative number is "
                              "not exactly 0 after it; masking after the softmax leaves rows not summing to 1).",
                              i, j, (double)probs[((size_t)b * T + i) * T + j], b, i, j);
    for (int b = 0; b < B; b++)
        for (int t = m; t < T; t++)
            for (int e = 0; e < D; e++) {
                const size_t i = ((size_t)b * T + t) * D + e;
                q[i] += 3; k[i] -= 2; v[i] = 100;
            }
    attn_forward(out2, probs, q, k, v, B, T, D, D, 0.5f, 1);
    for (int b = 0; b < B; b++)
        for (int t = 0; t < m; t++)
            for (int e = 0; e < D; e++) {
                const size_t i = ((size_t)b * T + t) * D + e;
                ck_assert_msg(out1[i] == out2[i],
                              "causal: out at position %d (block %d) changed from %.9g to %.9g when only positions "
                              ">= %d changed: the mask lets the future in.", t, b, (double)out1[i], (double)out2[i], m);
            }
    free(q); free(k); free(v); free(out1); free(out2); free(probs);
}
END_TEST

/* Without positions, attention is permutation-equivariant: permuting the
 * positions of q, k and v permutes the rows of out (and A's rows and columns). */
START_TEST(attn_forward_permutation_equivariant)
{
    Rng r;
    rng_seed(&r, 1622);
    const int B = 2, T = 6, Dk = 3, Dv = 5;
    const size_t nq = (size_t)B * T * Dk, nv = (size_t)B * T * Dv, nA = (size_t)B * T * T;
    float *q = fvec(nq), *k = fvec(nq), *v = fvec(nv), *pq = fvec(nq), *pk = fvec(nq), *pv = fvec(nv);
    float *out = fvec(nv), *pout = fvec(nv), *want = fvec(nv), *probs = fvec(nA);
    int perm[6];
    fill_normal(q, nq, &r, 1); fill_normal(k, nq, &r, 1); fill_normal(v, nv, &r, 1);
    random_perm(perm, T, &r);
    permute_rows(pq, q, perm, B, T, Dk); permute_rows(pk, k, perm, B, T, Dk); permute_rows(pv, v, perm, B, T, Dv);
    attn_forward(out, probs, q, k, v, B, T, Dk, Dv, 0.6f, 0);
    require_nonzero(out, nv, "attention's out");
    attn_forward(pout, probs, pq, pk, pv, B, T, Dk, Dv, 0.6f, 0);
    permute_rows(want, out, perm, B, T, Dv);
    ckx_close_arrayf(pout, want, (int)nv, 1e-5, "out of the permuted sequence against the permuted out",
                     "attention treats the keys as a set: each output depends on its own query and on ALL key-value "
                     "pairs, with nothing tied to a position. A mismatch means rows and blocks are mixed up.");
    free(q); free(k); free(v); free(pq); free(pk); free(pv); free(out); free(pout); free(want); free(probs);
}
END_TEST

/* ================================================================== attn_backward */

typedef struct {
    int B, T, Dk, Dv, causal;
    double scale, *q, *k, *v, *c, *out, *A;
} AttnCase;

static double attn_loss(AttnCase *t)
{
    for (int b = 0; b < t->B; b++)
        ref_attn(t->out + (size_t)b * t->T * t->Dv, t->A, t->q + (size_t)b * t->T * t->Dk, t->k + (size_t)b * t->T * t->Dk,
                 t->v + (size_t)b * t->T * t->Dv, t->T, t->Dk, t->Dv, t->scale, t->causal);
    return dot_d(t->c, t->out, (size_t)t->B * t->T * t->Dv);
}
static double attn_numeric(AttnCase *t, double *p, size_t i)
{
    const double keep = p[i];
    p[i] = keep + FD_STEP;
    double lp = attn_loss(t);
    p[i] = keep - FD_STEP;
    double lm = attn_loss(t);
    p[i] = keep;
    return (lp - lm) / (2 * FD_STEP);
}

START_TEST(attn_backward_matches_central_differences)
{
    Rng r;
    rng_seed(&r, 1623);
    const int B = 2, T = 5, Dk = 3, Dv = 4;
    const size_t nq = (size_t)B * T * Dk, nv = (size_t)B * T * Dv, nA = (size_t)B * T * T;
    for (int causal = 0; causal < 2; causal++) {
        AttnCase t = { B, T, Dk, Dv, causal, 0.7, dvec(nq), dvec(nq), dvec(nv), dvec(nv), dvec(nv), dvec((size_t)T * T) };
        float *q = fvec(nq), *k = fvec(nq), *v = fvec(nv), *c = fvec(nv), *out = fvec(nv), *probs = fvec(nA);
        float *dq = fvec(nq), *dk = fvec(nq), *dv = fvec(nv), *work = fvec((size_t)T * T);
        fill_normal(q, nq, &r, 1); fill_normal(k, nq, &r, 1); fill_normal(v, nv, &r, 1); fill_normal(c, nv, &r, 1);
        to_double(t.q, q, nq); to_double(t.k, k, nq); to_double(t.v, v, nv); to_double(t.c, c, nv);
        double *nqd = dvec(nq), *nkd = dvec(nq), *nvd = dvec(nv), *Ad = dvec(nA);
        for (size_t i = 0; i < nq; i++) nqd[i] = attn_numeric(&t, t.q, i);
        for (size_t i = 0; i < nq; i++) nkd[i] = attn_numeric(&t, t.k, i);
        for (size_t i = 0; i < nv; i++) nvd[i] = attn_numeric(&t, t.v, i);
        /* the forward's probs, computed here, so that only the backward is under test */
        for (int b = 0; b < B; b++)
            ref_attn(t.out, Ad + (size_t)b * T * T, t.q + (size_t)b * T * Dk, t.k + (size_t)b * T * Dk,
                     t.v + (size_t)b * T * Dv, T, Dk, Dv, t.scale, causal);
        for (size_t i = 0; i < nA; i++) probs[i] = (float)Ad[i];
        fill_nan(dq, nq); fill_nan(dk, nq); fill_nan(dv, nv); fill_nan(work, (size_t)T * T);
        attn_backward(dq, dk, dv, work, c, probs, q, k, v, B, T, Dk, Dv, (float)t.scale);
        const char *tag = causal ? " (causal)" : "";
        char what[64];
        snprintf(what, sizeof what, "dv%s", tag);
        check_grad(what, dv, nvd, nv, "dV = Aᵀ·dout: mat_mul_atb(dv_b, A_b, dout_b, T, T, Dv, 0).");
        snprintf(what, sizeof what, "dq%s", tag);
        check_grad(what, dq, nqd, nq,
                   "dA = dout·Vᵀ, then the softmax's backward row by row: dS_ij = A_ij·(dA_ij − Σ_l A_il·dA_il); "
                   "then dQ = scale·dS·K. Did you forget the scale, or the Σ_l term?");
        snprintf(what, sizeof what, "dk%s", tag);
        check_grad(what, dk, nkd, nq, "dK = scale·dSᵀ·Q (the TRANSPOSE of dS: key j collects from every query i).");
        free(q); free(k); free(v); free(c); free(out); free(probs); free(dq); free(dk); free(dv); free(work);
        free(t.q); free(t.k); free(t.v); free(t.c); free(t.out); free(t.A); free(nqd); free(nkd); free(nvd); free(Ad);
    }
}
END_TEST

/* ================================================================== mha_forward, mha_backward */

/* A random MHA case: parameters (scale 1/√D) and x, float and double. */
typedef struct {
    int B, T, D, heads, causal;
    float *prm, *x;
    double *prmd, *xd, *c, *out;
    MhaParams p;
} MhaCase;

static MhaCase mha_case(int B, int T, int D, int heads, int causal, Rng *r)
{
    MhaCase m = { B, T, D, heads, causal, 0, 0, 0, 0, 0, 0, { 0 } };
    const size_t np = MHA_N_PARAMS(D), nx = (size_t)B * T * D;
    m.prm = fvec(np); m.x = fvec(nx); m.prmd = dvec(np); m.xd = dvec(nx); m.c = dvec(nx); m.out = dvec(nx);
    fill_normal(m.prm, np, r, 1 / sqrt((double)D));
    fill_normal(m.x, nx, r, 1);
    to_double(m.prmd, m.prm, np);
    to_double(m.xd, m.x, nx);
    for (size_t i = 0; i < nx; i++) m.c[i] = rng_normal(r);
    mha_params_view(&m.p, m.prm, D);
    return m;
}
static void mha_case_free(MhaCase *m)
{
    free(m->prm); free(m->x); free(m->prmd); free(m->xd); free(m->c); free(m->out);
}
static double mha_loss(MhaCase *m)
{
    ref_mha(m->out, m->xd, m->prmd, m->B, m->T, m->D, m->heads, m->causal);
    return dot_d(m->c, m->out, (size_t)m->B * m->T * m->D);
}
static double mha_numeric(MhaCase *m, double *p, size_t i)
{
    const double keep = p[i];
    p[i] = keep + FD_STEP;
    double lp = mha_loss(m);
    p[i] = keep - FD_STEP;
    double lm = mha_loss(m);
    p[i] = keep;
    return (lp - lm) / (2 * FD_STEP);
}

START_TEST(mha_forward_matches_reference)
{
    Rng r;
    rng_seed(&r, 1624);
    /* B, T, D, heads, causal */
    const int cases[][5] = { { 2, 5, 8, 2, 0 }, { 1, 4, 6, 1, 0 }, { 2, 6, 8, 4, 1 } };
    for (int s = 0; s < 3; s++) {
        MhaCase m = mha_case(cases[s][0], cases[s][1], cases[s][2], cases[s][3], cases[s][4], &r);
        const size_t nx = (size_t)m.B * m.T * m.D;
        MhaCache *c = mha_cache_create(m.B, m.T, m.D, m.heads);
        float *out = fvec(nx);
        ref_mha(m.out, m.xd, m.prmd, m.B, m.T, m.D, m.heads, m.causal);
        fill_nan(out, nx);
        mha_forward(out, c, m.x, &m.p, m.B, m.causal);
        char what[96];
        snprintf(what, sizeof what, "out (B %d, T %d, D %d, %d heads%s)", m.B, m.T, m.D, m.heads,
                 m.causal ? ", causal" : "");
        close_fd(out, m.out, nx, 1e-5, what,
                 "Q, K, V = nn_linear_forward of x on B·T rows; attn_split_heads each; attn_forward on B·heads "
                 "blocks with Dk = Dv = Dh = D/heads and scale 1/√Dh (not 1/√D); attn_merge_heads; then the "
                 "output projection Wo, bo.");
        free(out);
        mha_cache_free(c);
        mha_case_free(&m);
    }
}
END_TEST

/* Without positional information the whole block is permutation-equivariant;
 * causal, the first positions do not see the last. */
START_TEST(mha_forward_equivariant_and_causal)
{
    Rng r;
    rng_seed(&r, 1625);
    const int B = 2, T = 6, D = 8, heads = 2;
    MhaCase m = mha_case(B, T, D, heads, 0, &r);
    const size_t nx = (size_t)B * T * D;
    MhaCache *c = mha_cache_create(B, T, D, heads);
    float *px = fvec(nx), *out = fvec(nx), *pout = fvec(nx), *want = fvec(nx), *out2 = fvec(nx);
    int perm[6];
    random_perm(perm, T, &r);
    permute_rows(px, m.x, perm, B, T, D);
    mha_forward(out, c, m.x, &m.p, B, 0);
    require_nonzero(out, nx, "multi-head attention's out");
    mha_forward(pout, c, px, &m.p, B, 0);
    permute_rows(want, out, perm, B, T, D);
    ckx_close_arrayf(pout, want, (int)nx, 1e-5, "multi-head attention of the permuted sequence against the permuted out",
                     "with no positions in x, nothing in Q, K, V or the heads depends on where a row sits: each "
                     "projection must act on every row alike (B·T rows), and each head on its own (T, Dh) block.");
    /* causal: change positions >= 4; positions 0..3 must not move */
    mha_forward(out, c, m.x, &m.p, B, 1);
    for (int b = 0; b < B; b++)
        for (int t = 4; t < T; t++)
            for (int e = 0; e < D; e++) m.x[((size_t)b * T + t) * D + e] += 1.5f;
    mha_forward(out2, c, m.x, &m.p, B, 1);
    for (int b = 0; b < B; b++)
        for (int t = 0; t < 4; t++)
            for (int e = 0; e < D; e++) {
                const size_t i = ((size_t)b * T + t) * D + e;
                ck_assert_msg(out[i] == out2[i], "causal multi-head attention: out at position %d (sequence %d) "
                              "changed from %.9g to %.9g when only positions >= 4 changed. Hint: pass causal on to "
                              "attn_forward.", t, b, (double)out[i], (double)out2[i]);
            }
    free(px); free(out); free(pout); free(want); free(out2);
    mha_cache_free(c);
    mha_case_free(&m);
}
END_TEST

START_TEST(mha_backward_matches_central_differences)
{
    Rng r;
    rng_seed(&r, 1626);
    const int cases[][5] = { { 2, 4, 8, 2, 0 }, { 1, 5, 6, 3, 1 } };
    for (int s = 0; s < 2; s++) {
        MhaCase m = mha_case(cases[s][0], cases[s][1], cases[s][2], cases[s][3], cases[s][4], &r);
        const size_t nx = (size_t)m.B * m.T * m.D, np = MHA_N_PARAMS(m.D);
        double *nprm = dvec(np), *nxd = dvec(nx);
        for (size_t i = 0; i < np; i++) nprm[i] = mha_numeric(&m, m.prmd, i);
        const size_t bk = 4 * (size_t)m.D * m.D + (size_t)m.D;   /* no effect: keep it out of the overall check */
        for (int i = 0; i < m.D; i++) nprm[bk + (size_t)i] = 0;
        for (size_t i = 0; i < nx; i++) nxd[i] = mha_numeric(&m, m.xd, i);
        MhaCache *c = mha_cache_create(m.B, m.T, m.D, m.heads);
        float *out = fvec(nx), *dout = fvec(nx), *dx = fvec(nx), *gblock = fvec(np);
        for (size_t i = 0; i < nx; i++) dout[i] = (float)m.c[i];
        for (size_t i = 0; i < np; i++) gblock[i] = 1;   /* must be added into */
        MhaParams g;
        mha_params_view(&g, gblock, m.D);
        mha_forward(out, c, m.x, &m.p, m.B, m.causal);
        fill_nan(dx, nx);
        mha_backward(dx, &g, dout, c, m.x, &m.p, m.B);
        for (size_t i = 0; i < np; i++) gblock[i] -= 1;
        char what[96];
        snprintf(what, sizeof what, "dx (B %d, T %d, D %d, %d heads%s)", m.B, m.T, m.D, m.heads, m.causal ? ", causal" : "");
        check_grad(what, dx, nxd, nx,
                   "x feeds Q, K AND V: dx = dQ·Wq + dK·Wk + dV·Wv. nn_linear_backward WRITES din, so the second and "
                   "third must go to c->dtmp and be added to dx.");
        const char *names[8] = { "dWq", "dWk", "dWv", "dWo", "dbq", "dbk", "dbv", "dbo" };
        const size_t DD = (size_t)m.D * m.D;
        for (int j = 0; j < 8; j++) {
            const size_t off = j < 4 ? j * DD : 4 * DD + (size_t)(j - 4) * m.D, len = j < 4 ? DD : (size_t)m.D;
            snprintf(what, sizeof what, "%s (%d heads%s)", names[j], m.heads, m.causal ? ", causal" : "");
            if (j == 5) {   /* bk adds q·bk to every logit of a row: the softmax does not change */
                float zero[16] = { 0 };
                ckx_close_arrayf(gblock + off, zero, (int)len, 1e-5, what,
                                 "the key bias shifts every logit of a row by the same q_i·bk, which the softmax "
                                 "ignores: its gradient is exactly 0 (up to rounding). Is dK right?");
                continue;
            }
            check_grad(what, gblock + off, nprm + off, len,
                       j == 3 || j == 7 ? "the output projection's gradients come first: nn_linear_backward of dout "
                                          "with ctx as its input."
                                        : "dq, dk, dv from attn_backward on the heads (scale 1/√Dh), merged back, "
                                          "then nn_linear_backward with x as the input; ADD into the gradients.");
        }
        /* dx = NULL: the parameter gradients alone */
        memset(gblock, 0, np * sizeof *gblock);
        mha_backward(NULL, &g, dout, c, m.x, &m.p, m.B);
        check_grad("all parameter gradients with dx = NULL", gblock, nprm, np,
                   "with dx NULL skip only the input gradients, never the parameters'.");
        free(nprm); free(nxd); free(out); free(dout); free(dx); free(gblock);
        mha_cache_free(c);
        mha_case_free(&m);
    }
}
END_TEST

/* ================================================================== the given models */

/* L = Σ c ⊙ logits through a model's own float forward; central difference in
 * float element *p, the step being the exact difference of the perturbed
 * floats (as chapter 04's whole-network check). */
typedef double (*ModelLoss)(void *model, const void *input, const float *c);

static double model_numeric(ModelLoss loss, void *model, const void *input, const float *c, float *p)
{
    const float keep = *p, h = 1e-3f * fmaxf(1.0f, fabsf(keep));
    *p = keep + h;
    const double up = *p, lp = loss(model, input, c);
    *p = keep - h;
    const double down = *p, lm = loss(model, input, c);
    *p = keep;
    return (lp - lm) / (up - down);
}

static double weighted_f(const float *c, const float *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (double)c[i] * y[i];
    return s;
}

enum { MB = 3 };   /* the models' test batch */

static double seqnet_loss(void *model, const void *input, const float *c)
{
    SeqNet *m = model;
    return weighted_f(c, seqnet_forward(m, input, m->T, MB), (size_t)MB * m->classes);
}
static double attnnet_loss(void *model, const void *input, const float *c)
{
    AttnNet *m = model;
    return weighted_f(c, attnnet_forward(m, input, MB, 0), (size_t)MB * m->T * m->vocab);
}

/* Every parameter of a model against central differences of its own forward,
 * group by group: parameters [split[g], split[g + 1]) are group g, named
 * names[g], so a layer whose parameters get no gradient at all (a stub in
 * the chain) fails on its own instead of hiding among the others. */
static void check_model(const char *what, ModelLoss loss, void *model, const void *input, const float *c,
                        float *params, const float *grads, const int *split, const char *const *names, int groups)
{
    const int n = split[groups];
    double *num = dvec((size_t)n);
    for (int i = 0; i < n; i++) num[i] = model_numeric(loss, model, input, c, &params[i]);
    for (int g = 0; g < groups; g++) {
        char label[160];
        snprintf(label, sizeof label, "%s: %s", what, names[g]);
        /* floor 0.1: a float forward's central difference carries ~1e-3 of
         * rounding noise here (seen on a parameter whose gradient is ~0, on
         * the sanitizer build's 128-bit kernels), so an absolute 2e-3 is the
         * smallest error this check can resolve. */
        ckx_check_grad(label, grads + split[g], num + split[g], split[g + 1] - split[g], 2e-2, 1e-1,
                       "the model chains your layers: run their own test cases first (make check CH=16).");
    }
    free(num);
}

/* The CNN in double, from a double copy of its parameter block (same layout):
 * conv_forward_ref, ReLU, 2×2 max pooling and the linear layer written here.
 * Kinks (ReLU at 0, ties in a max) are crossed by a step of 1e-6 only with
 * negligible probability, unlike the float forward's 1e-3. */
static double ref_cnn_loss(const Cnn *m, const double *prm, const double *x, const float *c)
{
    const CnnSpec *sp = &m->spec;
    const double *cw1 = prm, *cb1 = cw1 + sp->c1 * 25, *cw2 = cb1 + sp->c1, *cb2 = cw2 + sp->c2 * sp->c1 * 9;
    const double *W3 = cb2 + sp->c2, *b3 = W3 + sp->classes * m->flat;
    double *a1 = dvec((size_t)MB * sp->c1 * sp->H * sp->W), *p1 = dvec((size_t)MB * sp->c1 * m->h1 * m->w1);
    double *a2 = dvec((size_t)MB * sp->c2 * m->h1 * m->w1), *p2 = dvec((size_t)MB * m->flat);
    const ConvShape l1 = shape(1, sp->H, sp->W, sp->c1, 5, 1, 2), l2 = shape(sp->c1, m->h1, m->w1, sp->c2, 3, 1, 1);
    double *layers[2][2] = { { a1, p1 }, { a2, p2 } };
    for (int l = 0; l < 2; l++) {
        const ConvShape *cs = l ? &l2 : &l1;
        conv_forward_ref(layers[l][0], l ? p1 : x, l ? cw2 : cw1, l ? cb2 : cb1, cs, MB);
        const size_t n = (size_t)MB * cs->F * cs->OH * cs->OW;
        for (size_t i = 0; i < n; i++) layers[l][0][i] = fmax(layers[l][0][i], 0.0);
        const int H = cs->OH, W = cs->OW;
        for (int bc = 0; bc < MB * cs->F; bc++)
            for (int y = 0; y < H / 2; y++)
                for (int xx = 0; xx < W / 2; xx++) {
                    const double *a = layers[l][0] + ((size_t)bc * H + 2 * y) * W + 2 * xx;
                    layers[l][1][((size_t)bc * (H / 2) + y) * (W / 2) + xx] = fmax(fmax(a[0], a[1]), fmax(a[W], a[W + 1]));
                }
    }
    double L = 0;
    for (int b = 0; b < MB; b++)
        for (int k = 0; k < sp->classes; k++)
            L += c[b * sp->classes + k] * (b3[k] + dot_d(W3 + (size_t)k * m->flat, p2 + (size_t)b * m->flat, (size_t)m->flat));
    free(a1); free(p1); free(a2); free(p2);
    return L;
}

START_TEST(cnn_gradients)
{
    Rng r;
    rng_seed(&r, 1630);
    const CnnSpec sp = { 8, 8, 3, 4, 5 };
    Cnn *m = cnn_create(&sp, MB, &r);
    ck_assert_msg(m != NULL, "cnn_create returned NULL on an 8×8 spec: its \"same\" convolutions must keep the size "
                  "(conv_out_size; run its test case first).");
    ck_assert_int_eq(m->n_params, cnn_param_count(&sp));
    for (int i = 0; i < m->n_params; i++) m->params[i] += (float)(0.1 * rng_normal(&r));   /* non-zero biases too */
    float x[MB * 64], c[MB * 5];
    fill_normal(x, MB * 64, &r, 1);
    fill_normal(c, MB * 5, &r, 1);
    cnn_forward(m, x, MB);
    model_zero_grad(m->grads, m->n_params);
    cnn_backward(m, c);
    double *prm = dvec((size_t)m->n_params), *xd = dvec(MB * 64), *num = dvec((size_t)m->n_params);
    to_double(prm, m->params, (size_t)m->n_params);
    to_double(xd, x, MB * 64);
    for (int i = 0; i < m->n_params; i++) {
        const double keep = prm[i];
        prm[i] = keep + FD_STEP;
        const double lp = ref_cnn_loss(m, prm, xd, c);
        prm[i] = keep - FD_STEP;
        const double lm = ref_cnn_loss(m, prm, xd, c);
        prm[i] = keep;
        num[i] = (lp - lm) / (2 * FD_STEP);
    }
    check_grad("dL/dparams of the CNN (8×8, 3 and 4 channels)", m->grads, num, m->n_params,
               "the model chains your layers: run their own test cases first (make check CH=16).");
    free(prm); free(xd); free(num);
    cnn_free(m);
}
END_TEST

START_TEST(seqnet_gradients)
{
    for (int lstm = 0; lstm < 2; lstm++) {
        Rng r;
        rng_seed(&r, 1631 + (uint64_t)lstm);
        const int T = 7, I = 3, H = 5, K = 4;
        SeqNet *m = seqnet_create(lstm, I, H, K, T, MB, &r);
        ck_assert_msg(m != NULL, "seqnet_create failed");
        float xs[7 * MB * 3], c[MB * 4];
        fill_normal(xs, (size_t)T * MB * I, &r, 1);
        fill_normal(c, MB * K, &r, 1);
        seqnet_forward(m, xs, T, MB);
        model_zero_grad(m->grads, m->n_params);
        seqnet_backward(m, c);
        float *g = fvec((size_t)m->n_params);
        memcpy(g, m->grads, (size_t)m->n_params * sizeof *g);
        const int split[3] = { 0, (int)(m->Wo - m->params), m->n_params };
        const char *const names[2] = { "the cell's weights", "the readout" };
        check_model(lstm ? "dL/dparams of the LSTM classifier" : "dL/dparams of the RNN classifier", seqnet_loss, m, xs,
                    c, m->params, g, split, names, 2);
        free(g);
        seqnet_free(m);
    }
}
END_TEST

START_TEST(attnnet_gradients)
{
    Rng r;
    rng_seed(&r, 1633);
    const int V = 5, T = 4, D = 6;
    AttnNet *m = attnnet_create(V, T, D, 2, 1, MB, &r);
    ck_assert_msg(m != NULL, "attnnet_create failed");
    int tok[MB * 4];
    float c[MB * 4 * 5];
    for (int i = 0; i < MB * T; i++) tok[i] = rng_int(&r, V);
    fill_normal(c, (size_t)MB * T * V, &r, 1);
    attnnet_forward(m, tok, MB, 0);
    model_zero_grad(m->grads, m->n_params);
    attnnet_backward(m, c);
    float *g = fvec((size_t)m->n_params);
    memcpy(g, m->grads, (size_t)m->n_params * sizeof *g);
    /* the key bias has no effect (see mha_backward's test): leave it out of the comparison */
    const size_t bk = (size_t)(m->mha.bk - m->params);
    for (int i = 0; i < D; i++) ck_assert_msg(fabsf(g[bk + (size_t)i]) < 1e-5f, "dbk[%d] = %g, should be 0", i, g[bk + (size_t)i]);
    const int split[4] = { 0, (int)(m->mha.Wq - m->params), (int)(m->Wout - m->params), m->n_params };
    const char *const names[3] = { "the embeddings", "the attention layer", "the readout" };
    check_model("dL/dparams of the attention model", attnnet_loss, m, tok, c, m->params, g, split, names, 3);
    free(g);
    attnnet_free(m);
}
END_TEST

/* The chapter's attention model learns to reverse sequences of 6 tokens
 * (vocabulary 8) in 300 steps: held-out token accuracy above 90%. */
START_TEST(attnnet_learns_reversal)
{
    Rng r;
    rng_seed(&r, 1634);
    enum { V = 8, T = 6, B = 32, N_EVAL = 256 };
    AttnNet *m = attnnet_create(V, T, 24, 2, 1, N_EVAL, &r);
    Optim *opt = optim_create(OPTIM_ADAM, m->n_params, 3e-3f);
    int tok[N_EVAL * T], tgt[N_EVAL * T];
    float *dl = fvec((size_t)B * T * V);
    for (int step = 0; step < 300; step++) {
        for (int i = 0; i < B * T; i++) tok[i] = rng_int(&r, V);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++) tgt[b * T + t] = tok[b * T + T - 1 - t];
        nn_softmax_xent(dl, attnnet_forward(m, tok, B, 0), tgt, B * T, V);
        model_zero_grad(m->grads, m->n_params);
        attnnet_backward(m, dl);
        optim_step(opt, m->params, m->grads);
    }
    for (int i = 0; i < N_EVAL * T; i++) tok[i] = rng_int(&r, V);
    for (int b = 0; b < N_EVAL; b++)
        for (int t = 0; t < T; t++) tgt[b * T + t] = tok[b * T + T - 1 - t];
    const double acc = nn_accuracy(attnnet_forward(m, tok, N_EVAL, 0), tgt, N_EVAL * T, V);
    ck_assert_msg(acc > 0.9, "held-out reversal accuracy %.3f after 300 steps, expected > 0.9", acc);
    free(dl);
    optim_free(opt);
    attnnet_free(m);
}
END_TEST

/* ================================================================== the suite */

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("16_arch");
    TCase *tc;
    tc = ckx_tcase(s, "conv_out_size", 5);
    tcase_add_test(tc, out_size_by_hand);
    tc = ckx_tcase(s, "conv_receptive_field", 5);
    tcase_add_test(tc, receptive_field_by_hand);
    tc = ckx_tcase(s, "conv_im2col", 5);
    tcase_add_test(tc, im2col_by_hand);
    tcase_add_test(tc, im2col_matches_definition);
    tc = ckx_tcase(s, "conv_col2im", 5);
    tcase_add_test(tc, col2im_by_hand);
    tcase_add_test(tc, col2im_is_adjoint_of_im2col);
    tc = ckx_tcase(s, "conv_forward_ref", 5);   /* given code: the reference the exercise is graded against */
    tcase_add_test(tc, conv_ref_by_hand);
    tc = ckx_tcase(s, "conv_forward", 10);
    tcase_add_test(tc, conv_forward_matches_direct_loop);
    tc = ckx_tcase(s, "conv_backward", 20);
    tcase_add_test(tc, conv_backward_matches_central_differences);
    tc = ckx_tcase(s, "pool_max_forward", 5);
    tcase_add_test(tc, pool_max_forward_by_hand);
    tc = ckx_tcase(s, "pool_max_backward", 5);
    tcase_add_test(tc, pool_max_backward_routes_to_winners);
    tcase_add_test(tc, pool_max_backward_matches_central_differences);
    tc = ckx_tcase(s, "rnn_forward", 5);
    tcase_add_test(tc, rnn_forward_matches_reference);
    tc = ckx_tcase(s, "rnn_backward", 10);
    tcase_add_test(tc, rnn_backward_matches_central_differences);
    tc = ckx_tcase(s, "lstm_forward", 5);
    tcase_add_test(tc, lstm_forward_matches_reference);
    tcase_add_test(tc, lstm_forward_open_forget_gate_keeps_cell);
    tc = ckx_tcase(s, "lstm_backward", 10);
    tcase_add_test(tc, lstm_backward_matches_central_differences);
    tcase_add_test(tc, lstm_backward_carries_gradient_through_open_cell);
    tc = ckx_tcase(s, "attn_forward", 5);
    tcase_add_test(tc, attn_forward_by_hand);
    tcase_add_test(tc, attn_forward_matches_reference);
    tcase_add_test(tc, attn_forward_causal_mask_blocks_future);
    tcase_add_test(tc, attn_forward_permutation_equivariant);
    tc = ckx_tcase(s, "attn_backward", 5);
    tcase_add_test(tc, attn_backward_matches_central_differences);
    tc = ckx_tcase(s, "mha_forward", 5);
    tcase_add_test(tc, mha_forward_matches_reference);
    tcase_add_test(tc, mha_forward_equivariant_and_causal);
    tc = ckx_tcase(s, "mha_backward", 10);
    tcase_add_test(tc, mha_backward_matches_central_differences);
    tc = ckx_tcase(s, "cnn_model", 10);
    tcase_add_test(tc, cnn_gradients);
    tc = ckx_tcase(s, "seqnet_model", 10);
    tcase_add_test(tc, seqnet_gradients);
    tc = ckx_tcase(s, "attnnet_model", 20);
    tcase_add_test(tc, attnnet_gradients);
    tcase_add_test(tc, attnnet_learns_reversal);
    return s;
}
