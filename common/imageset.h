/* imageset — labelled grayscale image sets: generated digits and Fashion-MNIST.
 *
 * Two sources fill the same struct:
 *
 *   ims_digits        16×16 digits 0–9, drawn from stroke descriptions with a
 *                     random affine jitter and stroke width, reproducible from
 *                     an Rng. No file, no package: every test can use them.
 *   ims_load_fashion  the real Fashion-MNIST, 28×28 (Xiao et al. 2017), from
 *                     Debian's dataset-fashion-mnist package (gzipped IDX files
 *                     under /usr/share/datasets/fashion-mnist/).
 *
 * Layout. An ImageSet owns two arrays: pix (n, h, w), row-major, image i's
 * pixel (row r, column c) at pix[(i * h + r) * w + c], row 0 the top, values
 * in [0, 1] with 0 the background (black) and 1 full ink; and label (n), a
 * class 0..9 for each image. A set is what img_write_grid draws as is:
 *
 *     ImageSet d;
 *     ims_digits(&d, &rng, 100);                      // 10 of each class
 *     img_write_grid("digits.png", d.pix, d.n, 1, d.w, d.h, 10, 4, 0.0f, 1.0f);
 *     ims_free(&d);
 *
 *     char err[512];
 *     if (ims_load_fashion(&f, NULL, IMS_TRAIN, err, sizeof err) != 0) die(2, "%s", err);
 *
 * Cost, measured on the course machine: ims_digits draws about 80,000
 * digits per CPU second (60,000 in 0.75 s); ims_load_fashion reads the
 * 60,000 + 10,000 images in about 1.5 s of CPU (3–5 s of wall time on a busy
 * machine; a third of it is decompression, most of the rest the kernel
 * mapping the 220 MB of float pixels). A --quick run should use digits.
 *
 * The IDX format (LeCun et al., the MNIST page): big-endian; a 4-byte magic
 * 0x00 0x00 <type> <ndims> with type 0x08 (unsigned byte), then ndims 32-bit
 * sizes, then the bytes. Images: ndims 3, sizes (n, h, w); labels: ndims 1,
 * size (n). A pixel byte v becomes v / 255.
 *
 * Errors. The loaders check everything a file can get wrong — magic, data
 * type, dimensions (each in 1..IMS_MAX_SIDE for rows and columns, the total
 * within IMS_MAX_BYTES), the length (neither truncated nor longer than its
 * header says), labels in 0..9, and that both files count the same images —
 * and on any failure return -1 with one sentence in err (if err is not NULL)
 * naming the file and the problem, and leave *out untouched: a set is loaded
 * whole or not at all. They never exit; only an out-of-memory does (util.h),
 * and allocation is bounded by the bytes actually read. On success they
 * return 0 and *out owns new arrays (free them with ims_free).
 */
#ifndef IMAGESET_H
#define IMAGESET_H
#include <stddef.h>
#include "rng.h"

#define IMS_CLASSES   10                  /* labels are 0..9 */
#define IMS_DIGIT_SIDE 16                 /* ims_digits images are 16×16 */
#define IMS_MAX_SIDE  4096                /* largest rows or columns an IDX file may declare */
#define IMS_MAX_BYTES ((size_t)1 << 28)   /* largest IDX file (decompressed) the loaders read */
#define IMS_FASHION_DIR "/usr/share/datasets/fashion-mnist"
#define IMS_FASHION_PACKAGE "dataset-fashion-mnist"

typedef struct {
    int n, h, w;     /* images, rows, columns */
    float *pix;      /* (n, h, w) row-major, in [0, 1], 0 = background */
    int *label;      /* (n) classes 0..IMS_CLASSES−1 */
} ImageSet;

typedef enum { IMS_TRAIN = 0, IMS_TEST = 1 } ImsSplit;

/* Allocate an (n, h, w) set with pixels and labels 0 (n, h, w >= 1). */
void ims_alloc(ImageSet *s, int n, int h, int w);
/* Free a set's arrays and zero it; accepts a zeroed set, and a NULL s. */
void ims_free(ImageSet *s);

/* ---------------------------------------------------------------- generated digits */

/* The random parameters of one drawn digit: glyph units are the glyph's height
 * (1), pixel units those of the 16×16 image. */
typedef struct {
    double rotate;       /* rotation in radians, positive = counter-clockwise */
    double scale;        /* overall size; 1 = the glyph is 11 pixels tall */
    double aspect;       /* width multiplier (1 = as designed) */
    double shear;        /* horizontal shear: x += shear · (−y), top leans right for > 0 */
    double dx, dy;       /* translation in pixels (dy > 0 moves down) */
    double width;        /* stroke width in pixels */
    double warp[6];      /* a quadratic bend, glyph units: x += w0·x² + w1·x·y + w2·y², y += w3·x² + w4·x·y + w5·y² */
} DigitStyle;

/* A random style: rotation N(0, 8°) clipped to ±16°, scale U(0.85, 1.1),
 * aspect U(0.8, 1.15), shear U(−0.25, 0.25), translation U(−1, 1) pixels each
 * way, stroke width U(1.1, 2.1) pixels, warp coefficients N(0, 0.3²). */
void ims_digit_style(DigitStyle *st, Rng *r);
/* Draw digit d (0..9) in style st into img (16, 16), overwriting it. A glyph
 * is 1 to 3 strokes (line segments and elliptic arcs) in glyph coordinates
 * (x right, y down, the glyph spanning y in [−0.5, 0.5] around the origin);
 * each point is bent by the warp, then mapped to pixels by
 *     p = (8 + dx, 8 + dy) + Rot(rotate)·Shear(shear)·diag(aspect, 1)·(11·scale)·(x, y),
 * and strokes are anti-aliased: each pixel = clamp(width/2 + 1/2 − dist, 0, 1), where
 * dist is the distance from the pixel's centre to the nearest stroke. */
void ims_digit_draw(float *img, int d, const DigitStyle *st);
/* n digits into *out (allocated here): image i shows class i % 10, each in
 * its own random style. Same Rng state, same images. n >= 1. */
void ims_digits(ImageSet *out, Rng *r, int n);

/* ---------------------------------------------------------------- IDX files */

/* Parse an images IDX file and a labels IDX file held in memory (the bytes
 * after decompression). Messages call them "images" and "labels". This is
 * the loaders' whole validation, and safe on any bytes (it is fuzzed). */
int ims_parse_idx(ImageSet *out, const unsigned char *images, size_t images_len,
                  const unsigned char *labels, size_t labels_len, char *err, size_t err_len);
/* Read two IDX files, gzipped or plain (zlib reads both), and parse them. */
int ims_load_idx(ImageSet *out, const char *images_path, const char *labels_path,
                 char *err, size_t err_len);
/* Fashion-MNIST's training (60,000) or test (10,000) images, 28×28, from dir
 * (NULL: IMS_FASHION_DIR), files {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz.
 * A missing file's message says to install IMS_FASHION_PACKAGE. */
int ims_load_fashion(ImageSet *out, const char *dir, ImsSplit split, char *err, size_t err_len);
/* Fashion-MNIST's class names: "T-shirt/top", "Trouser", ..., "Ankle boot". */
extern const char *const ims_fashion_names[IMS_CLASSES];

#endif
