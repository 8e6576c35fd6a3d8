/* test_16_arch.c — chapter 16: convolution, recurrent cells, attention.
 *
 * One test case per exercise, named after the function it grades, then the
 * given models (cases named cnn_*, seq_*, attnnet_*). References never trust
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
#include "rng.h"

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
        ck_assert_msg(am[i] == want_am[i], "argmax[%d]: expected %d (the index into in of the maximum), got %d", i,
                      want_am[i], am[i]);
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
    tc = ckx_tcase(s, "conv_forward", 10);
    tcase_add_test(tc, conv_ref_by_hand);
    tcase_add_test(tc, conv_forward_matches_direct_loop);
    tc = ckx_tcase(s, "conv_backward", 20);
    tcase_add_test(tc, conv_backward_matches_central_differences);
    tc = ckx_tcase(s, "pool_max_forward", 5);
    tcase_add_test(tc, pool_max_forward_by_hand);
    tc = ckx_tcase(s, "pool_max_backward", 5);
    tcase_add_test(tc, pool_max_backward_routes_to_winners);
    tcase_add_test(tc, pool_max_backward_matches_central_differences);
    return s;
}
