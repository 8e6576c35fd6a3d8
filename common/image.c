/* image.c — see image.h. */
#include "image.h"
#include "afile.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image_write.h>   /* declarations only; the code is in libstb */

#define BORDER_GRAY 128        /* grid border: visible on black and on white images */

/* ---------------------------------------------------------------- checks */

/* Are the sizes and range valid for an image of w x h x channels bytes?
 * what/path name the call in the message. */
static int check_args(const char *what, const char *path, int w, int h, int channels, float lo, float hi)
{
    const char *why = NULL;
    if (w < 1 || h < 1) why = "width and height must be >= 1";
    else if (channels != 1 && channels != 3) why = "channels must be 1 (gray) or 3 (RGB)";
    else if (!isfinite(lo) || !isfinite(hi) || !(lo < hi)) why = "the value range needs finite lo < hi";
    else if ((long long)w * h * channels > INT_MAX) why = "the image is larger than 2^31 bytes";
    if (!why) return 0;
    fprintf(stderr, "image: %s %s: %s (got w=%d h=%d channels=%d lo=%g hi=%g)\n",
            what, path ? path : "", why, w, h, channels, (double)lo, (double)hi);
    return -1;
}

/* ---------------------------------------------------------------- quantising */

void img_to_u8(unsigned char *out, const float *pix, int n, float lo, float hi)
{
    int valid = lo < hi && isfinite(lo) && isfinite(hi);
    double scale = valid ? 255.0 / ((double)hi - lo) : 0.0;
    for (int i = 0; i < n; i++) {
        double v = pix[i];
        /* u8 = round(255 (clamp(v, lo, hi) - lo) / (hi - lo)); NaN fails both tests and gives 0 */
        double t = v > lo ? (v < hi ? (v - lo) * scale : 255.0) : 0.0;
        out[i] = valid ? (unsigned char)(t + 0.5) : 0;
    }
}

/* The bytes of pix (n floats), or NULL after a message. */
static unsigned char *quantise(const char *what, const char *path, const float *pix, size_t n, float lo, float hi)
{
    if (!pix) {
        fprintf(stderr, "image: %s %s: the pixel pointer is NULL\n", what, path ? path : "");
        return NULL;
    }
    unsigned char *u = malloc(n ? n : 1);
    if (!u) {
        fprintf(stderr, "image: %s %s: out of memory for %zu bytes\n", what, path ? path : "", n);
        return NULL;
    }
    img_to_u8(u, pix, (int)n, lo, hi);
    return u;
}

/* ---------------------------------------------------------------- writing */

/* A growing buffer that stbi_write_png_to_func fills, piece by piece. */
typedef struct {
    unsigned char *bytes;
    size_t len, cap;
    int failed;          /* 1: out of memory */
} PngBuffer;

static void append_bytes(void *context, void *data, int size)
{
    PngBuffer *b = context;
    if (b->failed || size <= 0) return;
    if (b->len + (size_t)size > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + (size_t)size) cap *= 2;
        unsigned char *grown = realloc(b->bytes, cap);
        if (!grown) { b->failed = 1; return; }
        b->bytes = grown;
        b->cap = cap;
    }
    memcpy(b->bytes + b->len, data, (size_t)size);
    b->len += (size_t)size;
}

/* Encode in memory, then write the bytes ourselves (stb's own file writer
 * ignores fwrite and fclose errors) into a temporary file renamed over path
 * only when complete (afile.h): a full disk or Ctrl-C never leaves a
 * truncated PNG, and an earlier file of that name stays as it was. */
static int write_png(const char *what, const char *path, const unsigned char *u, int w, int h, int channels)
{
    if (!path) {
        fprintf(stderr, "image: %s: the path is NULL\n", what);
        return -1;
    }
    PngBuffer b = { 0 };
    if (!stbi_write_png_to_func(append_bytes, &b, w, h, channels, u, w * channels) || b.failed) {
        fprintf(stderr, "image: cannot write %s: the PNG encoder ran out of memory\n", path);
        free(b.bytes);
        return -1;
    }
    char why[512];
    AFile a;
    FILE *f = afile_open(&a, path, why, sizeof why);
    int rc = 0;
    if (!f) rc = -1;
    else {
        fwrite(b.bytes, 1, b.len, f);
        rc = afile_commit(&a, AFILE_PNG, why, sizeof why);
    }
    if (rc != 0) fprintf(stderr, "image: %s\n", why);
    free(b.bytes);
    return rc;
}

static int write_plain(const char *what, const char *path, const float *pix, int w, int h, int channels,
                       float lo, float hi)
{
    if (check_args(what, path, w, h, channels, lo, hi) != 0) return -1;
    unsigned char *u = quantise(what, path, pix, (size_t)w * h * channels, lo, hi);
    if (!u) return -1;
    int rc = write_png(what, path, u, w, h, channels);
    free(u);
    return rc;
}

int img_write_gray(const char *path, const float *pix, int w, int h, float lo, float hi)
{
    return write_plain("img_write_gray", path, pix, w, h, 1, lo, hi);
}

int img_write_rgb(const char *path, const float *pix, int w, int h, float lo, float hi)
{
    return write_plain("img_write_rgb", path, pix, w, h, 3, lo, hi);
}

int img_write_grid(const char *path, const float *imgs, int n, int channels, int w, int h,
                   int grid_cols, int scale, float lo, float hi)
{
    const char *what = "img_write_grid";
    if (n < 1 || grid_cols < 1 || scale < 1) {
        fprintf(stderr, "image: %s %s: n, grid_cols and scale must be >= 1 (got %d, %d, %d)\n",
                what, path ? path : "", n, grid_cols, scale);
        return -1;
    }
    if (check_args(what, path, w, h, channels, lo, hi) != 0) return -1;
    int rows = (n + grid_cols - 1) / grid_cols;
    long long gw = ((long long)grid_cols * (w + 1) + 1) * scale;
    long long gh = ((long long)rows * (h + 1) + 1) * scale;
    if (gw * gh * channels > INT_MAX || (long long)n * w * h * channels > INT_MAX) {
        fprintf(stderr, "image: %s %s: a %lld x %lld grid is larger than 2^31 bytes\n", what, path ? path : "", gw, gh);
        return -1;
    }
    size_t per = (size_t)w * h * channels;            /* bytes of one image */
    unsigned char *u = quantise(what, path, imgs, (size_t)n * per, lo, hi);
    if (!u) return -1;
    unsigned char *grid = malloc((size_t)(gw * gh * channels));
    if (!grid) {
        fprintf(stderr, "image: %s %s: out of memory for a %lld x %lld grid\n", what, path ? path : "", gw, gh);
        free(u);
        return -1;
    }
    memset(grid, BORDER_GRAY, (size_t)(gw * gh * channels));
    /* image k sits at grid cell (k / grid_cols, k % grid_cols); its pixel
     * (y, x) fills the block starting at ((cell_row (h+1) + 1 + y) scale,
     * (cell_col (w+1) + 1 + x) scale) */
    for (int k = 0; k < n; k++) {
        const unsigned char *img = u + (size_t)k * per;
        long long oy = ((long long)(k / grid_cols) * (h + 1) + 1) * scale;
        long long ox = ((long long)(k % grid_cols) * (w + 1) + 1) * scale;
        for (int y = 0; y < h * scale; y++) {
            unsigned char *row = grid + ((size_t)(oy + y) * gw + ox) * channels;
            const unsigned char *src = img + (size_t)(y / scale) * w * channels;
            for (int x = 0; x < w * scale; x++)
                memcpy(row + (size_t)x * channels, src + (size_t)(x / scale) * channels, (size_t)channels);
        }
    }
    int rc = write_png(what, path, grid, (int)gw, (int)gh, channels);
    free(grid);
    free(u);
    return rc;
}

/* ---------------------------------------------------------------- size */

/* stbi_write_png_to_func hands the finished PNG to this callback (in one or
 * more pieces); it only counts. */
static void count_bytes(void *context, void *data, int size)
{
    (void)data;
    *(long *)context += size;
}

long img_png_size(const float *pix, int w, int h, int channels, float lo, float hi)
{
    const char *what = "img_png_size";
    if (check_args(what, NULL, w, h, channels, lo, hi) != 0) return -1;
    unsigned char *u = quantise(what, NULL, pix, (size_t)w * h * channels, lo, hi);
    if (!u) return -1;
    long bytes = 0;
    int ok = stbi_write_png_to_func(count_bytes, &bytes, w, h, channels, u, w * channels);
    free(u);
    if (!ok) {
        fprintf(stderr, "image: %s: the PNG encoder failed on a %d x %d x %d image (out of memory?)\n",
                what, w, h, channels);
        return -1;
    }
    return bytes;
}
