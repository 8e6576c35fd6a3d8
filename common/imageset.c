/* imageset.c — see imageset.h. */
#include "imageset.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

void ims_alloc(ImageSet *s, int n, int h, int w)
{
    if (n < 1 || h < 1 || w < 1) die(1, "ims_alloc: bad shape (%d, %d, %d)", n, h, w);
    s->n = n; s->h = h; s->w = w;
    s->pix = xcalloc((size_t)n * (size_t)h * (size_t)w, sizeof *s->pix, "image pixels");
    s->label = xcalloc((size_t)n, sizeof *s->label, "image labels");
}

void ims_free(ImageSet *s)
{
    if (!s) return;
    free(s->pix);
    free(s->label);
    memset(s, 0, sizeof *s);
}

/* ================================================================ generated digits
 *
 * Each glyph is up to three strokes in glyph coordinates: x right, y down,
 * the glyph about 0.55 wide and 0.9 tall around the origin. A line runs from
 * (x0, y0) to (x1, y1); an arc is the part of the ellipse
 *     (cx + rx·cos θ, cy + ry·sin θ),  θ from deg0 to deg1 (degrees; y is down,
 * so 90° is the bottom, 270° the top), in either direction. */

typedef struct {
    char kind;     /* 'L' line, 'A' arc, 0 no stroke */
    double a[6];   /* L: x0 y0 x1 y1;  A: cx cy rx ry deg0 deg1 */
} Stroke;

static const Stroke GLYPHS[10][3] = {
    /* 0: an upright ellipse */
    { { 'A', { 0, 0, 0.27, 0.45, 0, 360 } } },
    /* 1: a stem and a flag */
    { { 'L', { 0.03, -0.45, 0.03, 0.45 } }, { 'L', { -0.15, -0.27, 0.03, -0.45 } } },
    /* 2: a hook over the top, a diagonal down to the left, a base */
    { { 'A', { 0, -0.2, 0.25, 0.25, 200, 390 } }, { 'L', { 0.2165, -0.075, -0.27, 0.45 } },
      { 'L', { -0.27, 0.45, 0.28, 0.45 } } },
    /* 3: two bowls open to the left, meeting in the middle */
    { { 'A', { 0, -0.225, 0.24, 0.225, 200, 450 } }, { 'A', { 0, 0.225, 0.27, 0.225, 270, 520 } } },
    /* 4: a diagonal, a crossbar, a stem */
    { { 'L', { 0.12, -0.45, -0.28, 0.18 } }, { 'L', { -0.28, 0.18, 0.3, 0.18 } },
      { 'L', { 0.12, -0.45, 0.12, 0.45 } } },
    /* 5: top bar, a short stem, a bowl open to the left */
    { { 'L', { 0.27, -0.45, -0.2, -0.45 } }, { 'L', { -0.2, -0.45, -0.221, 0.025 } },
      { 'A', { 0, 0.18, 0.27, 0.27, 215, 500 } } },
    /* 6: a curved stem from the top right into a loop at the bottom */
    { { 'A', { 0.3, 0.2, 0.55, 0.65, 250, 180 } }, { 'A', { 0, 0.2, 0.25, 0.25, 0, 360 } } },
    /* 7: top bar and a diagonal */
    { { 'L', { -0.27, -0.45, 0.28, -0.45 } }, { 'L', { 0.28, -0.45, -0.05, 0.45 } } },
    /* 8: a small loop on a larger one */
    { { 'A', { 0, -0.23, 0.21, 0.22, 0, 360 } }, { 'A', { 0, 0.22, 0.26, 0.23, 0, 360 } } },
    /* 9: a loop at the top and a curved stem (a 6 turned half a turn) */
    { { 'A', { 0, -0.2, 0.25, 0.25, 0, 360 } }, { 'A', { -0.3, -0.2, 0.55, 0.65, 0, 70 } } },
};

#define GLYPH_PX 11.0           /* glyph height 1 = 11 pixels at scale 1 */
#define ARC_STEP_DEG 15.0       /* arcs are drawn as chords of at most 15° */
#define MAX_POINTS 32           /* a 360° arc: 24 chords, 25 points */

static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

void ims_digit_style(DigitStyle *st, Rng *r)
{
    const double deg = M_PI / 180.0;
    st->rotate = clampd(8.0 * deg * rng_normal(r), -16.0 * deg, 16.0 * deg);
    st->scale = rng_uniform_range(r, 0.85, 1.1);
    st->aspect = rng_uniform_range(r, 0.8, 1.15);
    st->shear = rng_uniform_range(r, -0.25, 0.25);
    st->dx = rng_uniform_range(r, -1.0, 1.0);
    st->dy = rng_uniform_range(r, -1.0, 1.0);
    st->width = rng_uniform_range(r, 1.1, 2.1);
    for (int k = 0; k < 6; k++) st->warp[k] = 0.3 * rng_normal(r);
}

/* Glyph point (x, y) to pixel coordinates (px, py) under style st. */
static void to_pixels(const DigitStyle *st, double x, double y, double *px, double *py)
{
    const double *w = st->warp;
    /* the bend: a smooth displacement, so strokes that meet still meet */
    double bx = x + w[0] * x * x + w[1] * x * y + w[2] * y * y;
    double by = y + w[3] * x * x + w[4] * x * y + w[5] * y * y;
    /* p = centre + Rot·Shear·diag(aspect, 1)·(GLYPH_PX·scale)·b, with y down:
     * Shear moves x by −shear·y (the top leans right), Rot turns counter-clockwise on screen. */
    double sx = GLYPH_PX * st->scale * st->aspect * bx, sy = GLYPH_PX * st->scale * by;
    double hx = sx - st->shear * sy;
    double c = cos(st->rotate), s = sin(st->rotate);
    *px = 0.5 * IMS_DIGIT_SIDE + st->dx + c * hx + s * sy;
    *py = 0.5 * IMS_DIGIT_SIDE + st->dy - s * hx + c * sy;
}

/* Squared distance from (x, y) to the segment from (ax, ay) to (bx, by). */
static double segment_distance2(double x, double y, double ax, double ay, double bx, double by)
{
    double ux = bx - ax, uy = by - ay, len2 = ux * ux + uy * uy;
    double t = len2 > 0 ? clampd(((x - ax) * ux + (y - ay) * uy) / len2, 0.0, 1.0) : 0.0;
    double ex = x - ax - t * ux, ey = y - ay - t * uy;
    return ex * ex + ey * ey;
}

/* Ink one segment (pixel coordinates): each pixel within reach gets
 * max(its value, clamp(R − dist, 0, 1)), R = width/2 + 1/2, dist measured
 * from the pixel's centre (c + 1/2, r + 1/2). Taking the max over segments
 * makes the result clamp(R − distance to the nearest stroke, 0, 1). */
static void ink_segment(float *img, double ax, double ay, double bx, double by, double width)
{
    const int S = IMS_DIGIT_SIDE;
    double R = 0.5 * width + 0.5;
    int c0 = (int)floor(fmin(ax, bx) - R), c1 = (int)ceil(fmax(ax, bx) + R);
    int r0 = (int)floor(fmin(ay, by) - R), r1 = (int)ceil(fmax(ay, by) + R);
    if (c0 < 0) c0 = 0;
    if (r0 < 0) r0 = 0;
    if (c1 > S - 1) c1 = S - 1;
    if (r1 > S - 1) r1 = S - 1;
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++) {
            double d2 = segment_distance2(c + 0.5, r + 0.5, ax, ay, bx, by);
            if (d2 >= R * R) continue;
            float v = (float)fmin(R - sqrt(d2), 1.0);
            if (v > img[r * S + c]) img[r * S + c] = v;
        }
}

void ims_digit_draw(float *img, int d, const DigitStyle *st)
{
    if (d < 0 || d > 9) die(1, "ims_digit_draw: digit %d is not 0..9", d);
    memset(img, 0, sizeof(float) * IMS_DIGIT_SIDE * IMS_DIGIT_SIDE);
    for (int k = 0; k < 3 && GLYPHS[d][k].kind; k++) {
        const Stroke *s = &GLYPHS[d][k];
        double px[MAX_POINTS], py[MAX_POINTS];
        int np;
        if (s->kind == 'L') {
            to_pixels(st, s->a[0], s->a[1], &px[0], &py[0]);
            to_pixels(st, s->a[2], s->a[3], &px[1], &py[1]);
            np = 2;
        } else {
            double span = s->a[5] - s->a[4];
            int chords = (int)ceil(fabs(span) / ARC_STEP_DEG);
            if (chords < 1) chords = 1;
            np = chords + 1;
            for (int i = 0; i < np; i++) {
                double th = (s->a[4] + span * i / chords) * M_PI / 180.0;
                to_pixels(st, s->a[0] + s->a[2] * cos(th), s->a[1] + s->a[3] * sin(th), &px[i], &py[i]);
            }
        }
        for (int i = 0; i + 1 < np; i++) ink_segment(img, px[i], py[i], px[i + 1], py[i + 1], st->width);
    }
}

void ims_digits(ImageSet *out, Rng *r, int n)
{
    ims_alloc(out, n, IMS_DIGIT_SIDE, IMS_DIGIT_SIDE);
    for (int i = 0; i < n; i++) {
        DigitStyle st;
        ims_digit_style(&st, r);
        out->label[i] = i % IMS_CLASSES;
        ims_digit_draw(out->pix + (size_t)i * IMS_DIGIT_SIDE * IMS_DIGIT_SIDE, out->label[i], &st);
    }
}

/* ================================================================ IDX files */

const char *const ims_fashion_names[IMS_CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

static int fail(char *err, size_t len, const char *fmt, ...)
{
    if (err && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Check the header of an IDX file of unsigned bytes with ndims dimensions
 * (1 or 3) against the buffer's length: dims[] gets the sizes. The names of
 * the dimensions go into messages. */
static int idx_header(const unsigned char *b, size_t len, int ndims, const char *name,
                      uint32_t dims[3], char *err, size_t err_len)
{
    static const char *const what[3] = { "count", "rows", "columns" };
    const size_t hdr = 4 + 4 * (size_t)ndims;
    if (len < 4) return fail(err, err_len, "%s: %zu bytes, too short for an IDX file (the 4-byte magic number is missing)", name, len);
    if (b[0] != 0 || b[1] != 0)
        return fail(err, err_len, "%s: not an IDX file (magic number %02x %02x %02x %02x; IDX starts with 00 00)",
                    name, b[0], b[1], b[2], b[3]);
    if (b[2] != 0x08)
        return fail(err, err_len, "%s: IDX data type 0x%02x; expected 0x08 (unsigned bytes)", name, b[2]);
    if (b[3] != ndims)
        return fail(err, err_len, "%s: %d dimensions; expected %d (%s)", name, b[3], ndims,
                    ndims == 3 ? "an images file: count, rows, columns" : "a labels file: count");
    if (len < hdr) return fail(err, err_len, "%s: truncated inside the header (%zu of %zu bytes)", name, len, hdr);
    uint64_t total = 1;
    for (int k = 0; k < ndims; k++) {
        dims[k] = get_be32(b + 4 + 4 * k);
        if (dims[k] == 0) return fail(err, err_len, "%s: the %s in the header is 0", name, what[k]);
        if (k > 0 && dims[k] > IMS_MAX_SIDE)
            return fail(err, err_len, "%s: %u %s in the header; this loader takes at most %d", name, dims[k], what[k], IMS_MAX_SIDE);
        total *= dims[k];   /* < 2^32 · 2^12 · 2^12: no overflow */
    }
    if (total > IMS_MAX_BYTES - hdr)
        return fail(err, err_len, "%s: the header declares %llu bytes of data; this loader reads at most %zu",
                    name, (unsigned long long)total, IMS_MAX_BYTES - hdr);
    if (len < hdr + total)
        return fail(err, err_len, "%s: truncated: the header declares %llu bytes of data, the file holds %zu",
                    name, (unsigned long long)total, len - hdr);
    if (len > hdr + total)
        return fail(err, err_len, "%s: %zu bytes after the %llu bytes of data the header declares",
                    name, len - hdr - (size_t)total, (unsigned long long)total);
    return 0;
}

static int parse_named(ImageSet *out, const unsigned char *images, size_t images_len, const char *iname,
                       const unsigned char *labels, size_t labels_len, const char *lname,
                       char *err, size_t err_len)
{
    uint32_t idims[3] = { 0 }, ldims[3] = { 0 };
    if (idx_header(images, images_len, 3, iname, idims, err, err_len) ||
        idx_header(labels, labels_len, 1, lname, ldims, err, err_len))
        return -1;
    if (idims[0] != ldims[0])
        return fail(err, err_len, "%s holds %u images but %s holds %u labels", iname, idims[0], lname, ldims[0]);
    const unsigned char *lab = labels + 8, *pix = images + 16;
    for (uint32_t i = 0; i < ldims[0]; i++)
        if (lab[i] >= IMS_CLASSES)
            return fail(err, err_len, "%s: label %d of image %u is not a class 0..%d", lname, lab[i], i, IMS_CLASSES - 1);

    /* Valid: n·h·w <= IMS_MAX_BYTES, so every size below fits an int. */
    ImageSet s;
    ims_alloc(&s, (int)idims[0], (int)idims[1], (int)idims[2]);
    size_t npix = (size_t)s.n * (size_t)s.h * (size_t)s.w;
    for (size_t i = 0; i < npix; i++) s.pix[i] = pix[i] / 255.0f;
    for (int i = 0; i < s.n; i++) s.label[i] = lab[i];
    *out = s;
    return 0;
}

int ims_parse_idx(ImageSet *out, const unsigned char *images, size_t images_len,
                  const unsigned char *labels, size_t labels_len, char *err, size_t err_len)
{
    return parse_named(out, images, images_len, "images", labels, labels_len, "labels", err, err_len);
}

/* The whole (decompressed) content of a gzipped or plain file, at most
 * IMS_MAX_BYTES; NULL with a message on failure. */
static unsigned char *read_gz(const char *path, size_t *len, char *err, size_t err_len)
{
    errno = 0;
    gzFile g = gzopen(path, "rb");
    if (!g) {
        fail(err, err_len, "%s: cannot open: %s", path, errno ? strerror(errno) : "out of memory");
        return NULL;
    }
    /* Read at most IMS_MAX_BYTES + 1 bytes: one more than allowed shows a file too large. */
    const size_t limit = IMS_MAX_BYTES + 1;
    size_t have = 0, cap = 1 << 16;
    char zmsg[256];
    unsigned char *buf = malloc(cap);
    const char *problem = buf ? NULL : "out of memory";
    while (!problem && have < limit) {
        if (have == cap) {
            size_t bigger_cap = 2 * cap < limit ? 2 * cap : limit;
            unsigned char *bigger = realloc(buf, bigger_cap);
            if (!bigger) { problem = "out of memory"; break; }
            buf = bigger;
            cap = bigger_cap;
        }
        int got = gzread(g, buf + have, (unsigned)(cap - have));
        if (got < 0) {   /* zlib's message lives in g: copy it before gzclose_r */
            int code;
            snprintf(zmsg, sizeof zmsg, "corrupt or unreadable: %s", gzerror(g, &code));
            problem = zmsg;
            break;
        }
        if (got == 0) break;
        have += (size_t)got;
    }
    /* gzclose_r reports a gzip stream cut short (Z_BUF_ERROR) that gzread let pass. */
    int closed = gzclose_r(g);
    if (!problem && closed == Z_BUF_ERROR) problem = "truncated gzip stream (unexpected end of file)";
    else if (!problem && closed != Z_OK) problem = "read error";
    if (problem || have == limit) {
        if (problem) fail(err, err_len, "%s: %s", path, problem);
        else fail(err, err_len, "%s: more than %zu bytes (decompressed), larger than this loader reads", path, IMS_MAX_BYTES);
        free(buf);
        return NULL;
    }
    *len = have;
    return buf;
}

int ims_load_idx(ImageSet *out, const char *images_path, const char *labels_path, char *err, size_t err_len)
{
    size_t ilen = 0, llen = 0;
    unsigned char *ib = read_gz(images_path, &ilen, err, err_len);
    if (!ib) return -1;
    unsigned char *lb = read_gz(labels_path, &llen, err, err_len);
    if (!lb) { free(ib); return -1; }
    int status = parse_named(out, ib, ilen, images_path, lb, llen, labels_path, err, err_len);
    free(ib);
    free(lb);
    return status;
}

int ims_load_fashion(ImageSet *out, const char *dir, ImsSplit split, char *err, size_t err_len)
{
    const char *prefix = split == IMS_TEST ? "t10k" : "train";
    char ipath[1024], lpath[1024];
    if (!dir) dir = IMS_FASHION_DIR;
    snprintf(ipath, sizeof ipath, "%s/%s-images-idx3-ubyte.gz", dir, prefix);
    snprintf(lpath, sizeof lpath, "%s/%s-labels-idx1-ubyte.gz", dir, prefix);
    const char *paths[2] = { ipath, lpath };
    for (int k = 0; k < 2; k++)
        if (access(paths[k], F_OK) != 0)
            return fail(err, err_len, "%s: %s. Fashion-MNIST comes with Debian's package %s: "
                        "sudo apt-get install %s", paths[k], strerror(errno), IMS_FASHION_PACKAGE, IMS_FASHION_PACKAGE);
    ImageSet s;
    if (ims_load_idx(&s, ipath, lpath, err, err_len)) return -1;
    if (s.h != 28 || s.w != 28) {
        fail(err, err_len, "%s: images are %d×%d; Fashion-MNIST's are 28×28", ipath, s.h, s.w);
        ims_free(&s);
        return -1;
    }
    *out = s;
    return 0;
}
