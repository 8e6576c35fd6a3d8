/* test_imageset.c — the generated digits are drawn where their strokes say,
 * reproducible, varied and tell their classes apart; the IDX loader reads
 * what small files written here hold and refuses every broken one whole.
 *
 * References: pixel values computed by hand from the drawing rule (distance
 * to a stroke) for hand-set styles; IDX files built byte by byte from the
 * format's description (big-endian header, then bytes), gzipped with zlib. */
#include "ckx.h"
#include "imageset.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define S IMS_DIGIT_SIDE

/* ---------------------------------------------------------------- digits */

/* The style that draws a glyph as designed: no jitter, stroke width w. */
static DigitStyle plain_style(double w)
{
    DigitStyle st = { .rotate = 0, .scale = 1, .aspect = 1, .shear = 0, .dx = 0, .dy = 0, .width = w };
    return st;
}

/* Digit 1's stem runs from glyph (0.03, −0.45) to (0.03, 0.45): in pixels the
 * vertical line x = 8 + 11·0.03 = 8.33, y in 8 ± 4.95. With width 1, R = 1,
 * and a pixel at centre distance d has value clamp(1 − d, 0, 1). */
START_TEST(digit_one_stem_by_hand)
{
    float img[S * S];
    DigitStyle st = plain_style(1.0);
    ims_digit_draw(img, 1, &st);
    const double x = 8.0 + 11.0 * 0.03;
    /* row 10 (centre y = 10.5) is below the flag: only the stem inks it */
    for (int c = 0; c < S; c++) {
        double want = fmax(0.0, 1.0 - fabs(c + 0.5 - x));
        ckx_close(img[10 * S + c], want, 1e-6, "digit 1, row 10: value = clamp(R - distance to the stem, 0, 1)",
                  "pixel centres are at c + 1/2; the glyph's origin maps to pixel (8, 8)");
    }
    /* the stem ends at y = 12.95: row 13 (centre 13.5) is 0.55 from its end point */
    double d = hypot(8.5 - x, 13.5 - 12.95);
    ckx_close(img[13 * S + 8], fmax(0.0, 1.0 - d), 1e-6, "digit 1 below the end of its stem", NULL);
    ckx_close(img[15 * S + 8], 0.0, 0.0, "digit 1 far below its stem", NULL);
}
END_TEST

/* Turned 90° counter-clockwise the stem lies along y = 8 − 0.33 = 7.67. */
START_TEST(digit_rotation_by_hand)
{
    float img[S * S];
    DigitStyle st = plain_style(1.0);
    st.rotate = M_PI / 2;
    ims_digit_draw(img, 1, &st);
    const double y = 8.0 - 11.0 * 0.03;
    for (int r = 0; r < S; r++) {
        double want = fmax(0.0, 1.0 - fabs(r + 0.5 - y));
        ckx_close(img[r * S + 10], want, 1e-6, "digit 1 turned 90°, column 10", "a positive angle turns counter-clockwise on screen (y points down)");
    }
}
END_TEST

/* An untilted 0 is an ellipse centred on the image: mirror-symmetric about
 * the vertical and horizontal middle lines. A one-pixel shift moves the
 * drawing by exactly one column. */
START_TEST(digit_symmetry_and_shift)
{
    float a[S * S], b[S * S];
    DigitStyle st = plain_style(1.5);
    ims_digit_draw(a, 0, &st);
    for (int r = 0; r < S; r++)
        for (int c = 0; c < S; c++) {
            ckx_close(a[r * S + c], a[r * S + (S - 1 - c)], 1e-6, "0 mirrored left-right", NULL);
            ckx_close(a[r * S + c], a[(S - 1 - r) * S + c], 1e-6, "0 mirrored top-bottom", NULL);
        }
    ckx_close(a[8 * S + 8], 0.0, 0.0, "the hole of the 0", NULL);
    st.dx = 1.0;
    ims_digit_draw(b, 0, &st);
    for (int r = 0; r < S; r++)
        for (int c = 1; c < S; c++)
            ckx_close(b[r * S + c], a[r * S + c - 1], 1e-6, "0 shifted one pixel right", NULL);
}
END_TEST

static double ink(const float *img) { double s = 0; for (int i = 0; i < S * S; i++) s += img[i]; return s; }

START_TEST(digit_width_adds_ink)
{
    float img[S * S];
    for (int d = 0; d < 10; d++) {
        double prev = 0;
        for (double w = 0.8; w <= 2.41; w += 0.4) {
            DigitStyle st = plain_style(w);
            ims_digit_draw(img, d, &st);
            double now = ink(img);
            ck_assert_msg(now > prev, "digit %d: ink %.2f at width %.1f is not more than %.2f at the width before", d, now, w, prev);
            prev = now;
        }
    }
}
END_TEST

START_TEST(digits_shape_labels_range)
{
    Rng r; rng_seed(&r, 7);
    ImageSet d;
    ims_digits(&d, &r, 1000);
    ck_assert_int_eq(d.n, 1000);
    ck_assert_int_eq(d.h, S);
    ck_assert_int_eq(d.w, S);
    for (int i = 0; i < d.n; i++) {
        ck_assert_int_eq(d.label[i], i % 10);
        const float *img = d.pix + (size_t)i * S * S;
        for (int k = 0; k < S * S; k++) ck_assert_msg(img[k] >= 0.0f && img[k] <= 1.0f, "image %d pixel %d = %g", i, k, img[k]);
        /* a digit covers some of the square and far from all of it */
        double frac = ink(img) / (S * S);
        ck_assert_msg(frac > 0.04 && frac < 0.5, "image %d (a %d) has ink fraction %.3f", i, d.label[i], frac);
    }
    ims_free(&d);
    ck_assert_ptr_null(d.pix);
}
END_TEST

START_TEST(digits_reproducible)
{
    Rng r1, r2, r3;
    rng_seed(&r1, 11); rng_seed(&r2, 11); rng_seed(&r3, 12);
    ImageSet a, b, c;
    ims_digits(&a, &r1, 50);
    ims_digits(&b, &r2, 50);
    ims_digits(&c, &r3, 50);
    ck_assert_msg(memcmp(a.pix, b.pix, sizeof(float) * 50 * S * S) == 0, "same seed, different digits");
    ck_assert_msg(memcmp(a.pix, c.pix, sizeof(float) * 50 * S * S) != 0, "another seed, the same digits");
    ims_free(&a); ims_free(&b); ims_free(&c);
}
END_TEST

/* Classes are distinct and each is varied: a nearest-class-mean classifier
 * fitted on 2,000 digits labels 1,000 fresh ones mostly right, while two
 * digits of one class are never the same picture. */
START_TEST(digits_classes_distinct_and_varied)
{
    Rng r; rng_seed(&r, 3);
    ImageSet tr, te;
    ims_digits(&tr, &r, 2000);
    ims_digits(&te, &r, 1000);
    static double mean[10][S * S];
    memset(mean, 0, sizeof mean);
    for (int i = 0; i < tr.n; i++)
        for (int k = 0; k < S * S; k++) mean[tr.label[i]][k] += tr.pix[(size_t)i * S * S + k] / 200.0;
    int right = 0;
    for (int i = 0; i < te.n; i++) {
        int best = -1;
        double bd = INFINITY;
        for (int c = 0; c < 10; c++) {
            double dist = 0;
            for (int k = 0; k < S * S; k++) dist += pow(te.pix[(size_t)i * S * S + k] - mean[c][k], 2);
            if (dist < bd) { bd = dist; best = c; }
        }
        right += best == te.label[i];
    }
    ck_assert_msg(right >= 700, "nearest class mean labels only %d of 1000 digits right: the glyphs look too alike", right);
    ck_assert_msg(right <= 990, "nearest class mean labels %d of 1000 digits right: the jitter is too small to need a network", right);
    for (int i = 0; i < 100; i++)
        for (int j = i + 10; j < 100; j += 10)
            ck_assert_msg(memcmp(tr.pix + (size_t)i * S * S, tr.pix + (size_t)j * S * S, sizeof(float) * S * S) != 0,
                          "digits %d and %d (both %d) are the same picture", i, j, i % 10);
    ims_free(&tr); ims_free(&te);
}
END_TEST

/* ---------------------------------------------------------------- IDX files */

static size_t put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16); p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
    return 4;
}

/* An images IDX file (n, h, w) in buf (size >= 16 + n·h·w): pixel k of the
 * file is (7·k) mod 256. Returns its length. */
static size_t make_images(unsigned char *buf, uint32_t n, uint32_t h, uint32_t w)
{
    size_t p = 0;
    buf[p++] = 0; buf[p++] = 0; buf[p++] = 0x08; buf[p++] = 3;
    p += put_be32(buf + p, n);
    p += put_be32(buf + p, h);
    p += put_be32(buf + p, w);
    for (size_t k = 0; k < (size_t)n * h * w; k++) buf[p++] = (unsigned char)(7 * k);
    return p;
}

/* A labels IDX file of n labels (i·3) mod 10. */
static size_t make_labels(unsigned char *buf, uint32_t n)
{
    size_t p = 0;
    buf[p++] = 0; buf[p++] = 0; buf[p++] = 0x08; buf[p++] = 1;
    p += put_be32(buf + p, n);
    for (uint32_t i = 0; i < n; i++) buf[p++] = (unsigned char)(i * 3 % 10);
    return p;
}

static char tmp_dir[64];

static void tmp_setup(void)
{
    strcpy(tmp_dir, "/tmp/test_imageset_XXXXXX");
    if (!mkdtemp(tmp_dir)) tmp_dir[0] = 0;
}

static const char *const tmp_names[] = {
    "img", "lab", "img.gz", "lab.gz", "bad", "bad.gz",
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
};

static void tmp_teardown(void)
{
    char path[256];
    for (size_t i = 0; i < sizeof tmp_names / sizeof tmp_names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp_dir, tmp_names[i]);
        remove(path);
    }
    rmdir(tmp_dir);
}

/* tmp_dir/name into a static path (two live at a time). */
static const char *tmp(const char *name)
{
    static char paths[2][256];
    static int k;
    k ^= 1;
    ck_assert_msg(tmp_dir[0], "mkdtemp failed: cannot create a scratch folder under /tmp");
    snprintf(paths[k], sizeof paths[k], "%s/%s", tmp_dir, name);
    return paths[k];
}

static void write_plain(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert(fwrite(b, 1, n, f) == n);
    ck_assert(fclose(f) == 0);
}

static void write_gz(const char *path, const unsigned char *b, size_t n)
{
    gzFile g = gzopen(path, "wb");
    ck_assert_msg(g != NULL, "cannot create %s", path);
    ck_assert(n == 0 || gzwrite(g, b, (unsigned)n) == (int)n);
    ck_assert(gzclose(g) == Z_OK);
}

/* A set filled with a recognisable pattern, to see that a failed load leaves it alone. */
static ImageSet sentinel(void)
{
    ImageSet s = { .n = -5, .h = -6, .w = -7, .pix = (float *)0x1, .label = (int *)0x2 };
    return s;
}

static void assert_untouched(const ImageSet *s)
{
    ck_assert_msg(s->n == -5 && s->h == -6 && s->w == -7 && s->pix == (float *)0x1 && s->label == (int *)0x2,
                  "a failed load changed the output set");
}

/* err contains every one of the given words (NULL-terminated). */
static void assert_says(const char *err, ...)
{
    va_list ap;
    va_start(ap, err);
    for (const char *w; (w = va_arg(ap, const char *)) != NULL;)
        ck_assert_msg(strstr(err, w) != NULL, "the message \"%s\" does not mention \"%s\"", err, w);
    va_end(ap);
}

static unsigned char ibuf[16 + 5 * 3 * 4 + 64], lbuf[8 + 5 + 64];

START_TEST(idx_parse_by_hand)
{
    size_t il = make_images(ibuf, 5, 3, 4), ll = make_labels(lbuf, 5);
    ck_assert_int_eq(il, 16 + 60);
    ImageSet s;
    char err[256] = "";
    ck_assert_msg(ims_parse_idx(&s, ibuf, il, lbuf, ll, err, sizeof err) == 0, "a valid pair refused: %s", err);
    ck_assert_int_eq(s.n, 5); ck_assert_int_eq(s.h, 3); ck_assert_int_eq(s.w, 4);
    for (int k = 0; k < 60; k++) ckx_close(s.pix[k], (7 * k % 256) / 255.0, 1e-7, "pixel = byte / 255", NULL);
    for (int i = 0; i < 5; i++) ck_assert_int_eq(s.label[i], i * 3 % 10);
    ims_free(&s);
}
END_TEST

START_TEST(idx_load_plain_and_gzip)
{
    size_t il = make_images(ibuf, 5, 3, 4), ll = make_labels(lbuf, 5);
    write_plain(tmp("img"), ibuf, il);
    write_plain(tmp("lab"), lbuf, ll);
    write_gz(tmp("img.gz"), ibuf, il);
    write_gz(tmp("lab.gz"), lbuf, ll);
    ImageSet a, b;
    char err[512] = "";
    ck_assert_msg(ims_load_idx(&a, tmp("img"), tmp("lab"), err, sizeof err) == 0, "plain files refused: %s", err);
    ck_assert_msg(ims_load_idx(&b, tmp("img.gz"), tmp("lab.gz"), err, sizeof err) == 0, "gzipped files refused: %s", err);
    ck_assert(a.n == 5 && b.n == 5 && a.h == 3 && b.w == 4);
    ck_assert(memcmp(a.pix, b.pix, 60 * sizeof(float)) == 0 && memcmp(a.label, b.label, 5 * sizeof(int)) == 0);
    ims_free(&a); ims_free(&b);
}
END_TEST

/* Each broken variant of a valid pair: where to break it and what the message must say. */
typedef struct {
    const char *what;       /* the breakage */
    int in_labels;          /* 0: the images file is broken, 1: the labels file */
    long cut;               /* truncate the file to this many bytes (-1: keep its length) */
    int at; int byte;       /* set byte `at` to `byte` (at < 0: no change) */
    int grow;               /* append this many bytes */
    const char *word;       /* the message must contain this */
} Breakage;

static const Breakage breakages[] = {
    { "empty file",               0, 0,  -1, 0, 0, "too short" },
    { "cut inside the magic",     0, 3,  -1, 0, 0, "too short" },
    { "cut inside the header",    0, 10, -1, 0, 0, "header" },
    { "one pixel short",          0, 75, -1, 0, 0, "truncated" },
    { "one label short",          1, 12, -1, 0, 0, "truncated" },
    { "a byte too many",          0, -1, -1, 0, 1, "after" },
    { "wrong magic",              0, -1, 0, 0x1f, 0, "magic" },
    { "labels with image magic",  1, -1, 3, 3, 0, "dimensions" },
    { "images with label magic",  0, -1, 3, 1, 0, "dimensions" },
    { "data type not bytes",      0, -1, 2, 0x0d, 0, "data type" },
    { "image count 6",            0, -1, 7, 6, 0, "truncated" },
    { "label count 4",            1, -1, 7, 4, 0, "after" },
    { "zero rows",                0, -1, 11, 0, 0, "rows" },
    { "label 10",                 1, -1, 10, 10, 0, "label 10" },
    { "label 255",                1, -1, 12, 255, 0, "label 255" },
};

START_TEST(idx_refuses_broken_files)
{
    for (size_t k = 0; k < sizeof breakages / sizeof breakages[0]; k++) {
        const Breakage *b = &breakages[k];
        for (int gz = 0; gz < 2; gz++) {
            size_t il = make_images(ibuf, 5, 3, 4), ll = make_labels(lbuf, 5);
            unsigned char *buf = b->in_labels ? lbuf : ibuf;
            size_t *len = b->in_labels ? &ll : &il;
            if (b->at >= 0) buf[b->at] = (unsigned char)b->byte;
            if (b->grow) buf[(*len)++] = 0;
            if (b->cut >= 0) *len = (size_t)b->cut;
            const char *ip = gz ? tmp("img.gz") : tmp("img"), *lp = gz ? tmp("lab.gz") : tmp("lab");
            (gz ? write_gz : write_plain)(ip, ibuf, il);
            (gz ? write_gz : write_plain)(lp, lbuf, ll);
            ImageSet s = sentinel();
            char err[512] = "";
            ck_assert_msg(ims_load_idx(&s, ip, lp, err, sizeof err) == -1, "%s (%s) was accepted", b->what, gz ? "gzipped" : "plain");
            assert_untouched(&s);
            assert_says(err, b->in_labels ? lp : ip, b->word, (char *)NULL);
            /* the in-memory parser says the same about the same bytes */
            ck_assert(ims_parse_idx(&s, ibuf, il, lbuf, ll, err, sizeof err) == -1);
            assert_untouched(&s);
            assert_says(err, b->in_labels ? "labels" : "images", b->word, (char *)NULL);
        }
    }
}
END_TEST

START_TEST(idx_refuses_count_mismatch)
{
    size_t il = make_images(ibuf, 5, 3, 4), ll = make_labels(lbuf, 4);
    write_gz(tmp("img.gz"), ibuf, il);
    write_gz(tmp("lab.gz"), lbuf, ll);
    ImageSet s = sentinel();
    char err[512] = "";
    ck_assert(ims_load_idx(&s, tmp("img.gz"), tmp("lab.gz"), err, sizeof err) == -1);
    assert_untouched(&s);
    assert_says(err, "5 images", "4 labels", tmp("img.gz"), (char *)NULL);
}
END_TEST

/* Headers declaring huge sizes are refused from the header alone, before any allocation. */
START_TEST(idx_refuses_oversized_dimensions)
{
    static const struct { uint32_t n, h, w; const char *word; } cases[] = {
        { 1, 100000, 28, "rows" },
        { 1, 28, IMS_MAX_SIDE + 1, "columns" },
        { 0xffffffffu, 28, 28, "at most" },
        { 0x80000000u, IMS_MAX_SIDE, IMS_MAX_SIDE, "at most" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t il = make_images(ibuf, 1, 1, 1), ll = make_labels(lbuf, 1);
        put_be32(ibuf + 4, cases[k].n);
        put_be32(ibuf + 8, cases[k].h);
        put_be32(ibuf + 12, cases[k].w);
        ImageSet s = sentinel();
        char err[512] = "";
        ck_assert(ims_parse_idx(&s, ibuf, il, lbuf, ll, err, sizeof err) == -1);
        assert_untouched(&s);
        assert_says(err, "images", cases[k].word, (char *)NULL);
    }
}
END_TEST

/* A gzip file cut short, or one with garbage inside the stream, is refused. */
START_TEST(idx_refuses_broken_gzip)
{
    size_t il = make_images(ibuf, 5, 3, 4), ll = make_labels(lbuf, 5);
    write_gz(tmp("lab.gz"), lbuf, ll);
    write_gz(tmp("bad.gz"), ibuf, il);
    FILE *f = fopen(tmp("bad.gz"), "rb");
    unsigned char gzb[512];
    size_t gl = fread(gzb, 1, sizeof gzb, f);
    fclose(f);
    ck_assert(gl > 20 && gl < sizeof gzb);
    const size_t cuts[] = { gl - 4, gl - 9, gl / 2, 12 };
    for (size_t k = 0; k < 4; k++) {
        write_plain(tmp("bad.gz"), gzb, cuts[k]);
        ImageSet s = sentinel();
        char err[512] = "";
        ck_assert_msg(ims_load_idx(&s, tmp("bad.gz"), tmp("lab.gz"), err, sizeof err) == -1,
                      "a gzip file cut to %zu of %zu bytes was accepted", cuts[k], gl);
        assert_untouched(&s);
        assert_says(err, tmp("bad.gz"), (char *)NULL);
    }
    unsigned char bad[512];
    memcpy(bad, gzb, gl);
    for (size_t i = 10; i < gl - 8; i++) bad[i] ^= 0x5a;   /* scramble the deflate data, keep the header */
    write_plain(tmp("bad.gz"), bad, gl);
    ImageSet s = sentinel();
    char err[512] = "";
    ck_assert(ims_load_idx(&s, tmp("bad.gz"), tmp("lab.gz"), err, sizeof err) == -1);
    assert_untouched(&s);
    assert_says(err, tmp("bad.gz"), (char *)NULL);
}
END_TEST

/* Every prefix of a valid pair and every single-byte change in its headers
 * either parses to a consistent set or is refused with a message. */
START_TEST(idx_parse_any_prefix_or_header_byte)
{
    size_t il = make_images(ibuf, 5, 3, 4), ll = make_labels(lbuf, 5);
    char err[256];
    for (size_t cut = 0; cut < il; cut++) {
        ImageSet s = sentinel();
        err[0] = 0;
        ck_assert_msg(ims_parse_idx(&s, ibuf, cut, lbuf, ll, err, sizeof err) == -1, "images cut to %zu bytes accepted", cut);
        ck_assert_msg(strlen(err) > 10, "no message for images cut to %zu bytes", cut);
        assert_untouched(&s);
    }
    for (int at = 0; at < 16; at++)
        for (int v = 0; v < 256; v += 17) {
            size_t l2 = make_images(ibuf, 5, 3, 4);
            ibuf[at] = (unsigned char)v;
            ImageSet s = sentinel();
            if (ims_parse_idx(&s, ibuf, l2, lbuf, ll, err, sizeof err) == 0) {
                ck_assert(s.n == 5 && (size_t)s.n * s.h * s.w == 60);
                ims_free(&s);
            } else {
                assert_untouched(&s);
            }
        }
}
END_TEST

START_TEST(idx_missing_file)
{
    ImageSet s = sentinel();
    char err[512] = "";
    ck_assert(ims_load_idx(&s, tmp("nothing-here"), tmp("lab"), err, sizeof err) == -1);
    assert_untouched(&s);
    assert_says(err, tmp("nothing-here"), "cannot open", (char *)NULL);
    ck_assert(ims_load_fashion(&s, tmp_dir, IMS_TRAIN, err, sizeof err) == -1);
    assert_untouched(&s);
    assert_says(err, "train-images-idx3-ubyte.gz", "apt-get install dataset-fashion-mnist", (char *)NULL);
}
END_TEST

/* ims_load_fashion reads its file names from a folder, and only takes 28×28. */
START_TEST(fashion_names_and_shape)
{
    static unsigned char big[16 + 2 * 28 * 28];
    size_t ll = make_labels(lbuf, 2);
    write_gz(tmp("train-labels-idx1-ubyte.gz"), lbuf, ll);
    write_gz(tmp("train-images-idx3-ubyte.gz"), big, make_images(big, 2, 28, 28));
    ImageSet s;
    char err[512] = "";
    ck_assert_msg(ims_load_fashion(&s, tmp_dir, IMS_TRAIN, err, sizeof err) == 0, "refused: %s", err);
    ck_assert(s.n == 2 && s.h == 28 && s.w == 28);
    ims_free(&s);
    write_gz(tmp("train-images-idx3-ubyte.gz"), ibuf, make_images(ibuf, 2, 3, 4));
    s = sentinel();
    ck_assert(ims_load_fashion(&s, tmp_dir, IMS_TRAIN, err, sizeof err) == -1);
    assert_untouched(&s);
    assert_says(err, "28×28", (char *)NULL);
    ck_assert_str_eq(ims_fashion_names[9], "Ankle boot");
}
END_TEST

/* The installed package's test split: 10,000 images, 1,000 per class
 * (Xiao et al. 2017). Skipped, with a note, when the package is absent. */
START_TEST(fashion_installed_test_split)
{
    if (access(IMS_FASHION_DIR "/t10k-images-idx3-ubyte.gz", F_OK) != 0) {
        fprintf(stderr, "note: %s not installed; the real Fashion-MNIST test is skipped\n", IMS_FASHION_PACKAGE);
        return;
    }
    ImageSet s;
    char err[512] = "";
    ck_assert_msg(ims_load_fashion(&s, NULL, IMS_TEST, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(s.n, 10000);
    int count[10] = { 0 };
    for (int i = 0; i < s.n; i++) count[s.label[i]]++;
    for (int c = 0; c < 10; c++) ck_assert_msg(count[c] == 1000, "class %d has %d test images, not 1000", c, count[c]);
    double lo = 1, hi = 0;
    for (size_t k = 0; k < (size_t)s.n * 784; k++) { lo = fmin(lo, s.pix[k]); hi = fmax(hi, s.pix[k]); }
    ck_assert(lo == 0.0 && hi == 1.0);
    ims_free(&s);
}
END_TEST

Suite *make_imageset_suite(void)
{
    Suite *s = suite_create("imageset");
    TCase *tc = ckx_tcase(s, "digits", 10);
    tcase_add_test(tc, digit_one_stem_by_hand);
    tcase_add_test(tc, digit_rotation_by_hand);
    tcase_add_test(tc, digit_symmetry_and_shift);
    tcase_add_test(tc, digit_width_adds_ink);
    tcase_add_test(tc, digits_shape_labels_range);
    tcase_add_test(tc, digits_reproducible);
    tcase_add_test(tc, digits_classes_distinct_and_varied);
    tc = ckx_tcase(s, "idx", 10);
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, idx_parse_by_hand);
    tcase_add_test(tc, idx_load_plain_and_gzip);
    tcase_add_test(tc, idx_refuses_broken_files);
    tcase_add_test(tc, idx_refuses_count_mismatch);
    tcase_add_test(tc, idx_refuses_oversized_dimensions);
    tcase_add_test(tc, idx_refuses_broken_gzip);
    tcase_add_test(tc, idx_parse_any_prefix_or_header_byte);
    tcase_add_test(tc, idx_missing_file);
    tcase_add_test(tc, fashion_names_and_shape);
    tcase_add_test(tc, fashion_installed_test_split);
    return s;
}
