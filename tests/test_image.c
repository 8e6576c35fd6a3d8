/* test_image.c — PNGs have the right header and pixels, grids the right
 * geometry, and img_png_size is the deterministic size of the real file.
 *
 * Files are read back with stb_image (a decoder written independently of the
 * encoder under test) and their headers parsed by hand from the PNG spec. */
#include "ckx.h"
#include "image.h"
#include "rng.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb_image.h>   /* declarations only; the decoder is in libstb */

/* ---------------------------------------------------------------- helpers */

/* A fresh folder /tmp/test_image_XXXXXX in dir (size >= 64). */
static void temp_dir(char *dir)
{
    strcpy(dir, "/tmp/test_image_XXXXXX");
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp failed: cannot create a scratch folder under /tmp");
}

/* dir/name into path (size 256). */
static void path_in(char *path, const char *dir, const char *name)
{
    snprintf(path, 256, "%s/%s", dir, name);
}

static void remove_dir(const char *dir, const char *const *names, int n)
{
    char path[256];
    for (int i = 0; i < n; i++) { path_in(path, dir, names[i]); remove(path); }
    rmdir(dir);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

typedef struct {
    unsigned width, height;   /* IHDR fields, big-endian on disk */
    int bit_depth, colour_type;
} PngHeader;

/* The PNG signature and IHDR chunk (PNG spec, sections 5.2 and 11.2.2):
 * bytes 0..7 signature, 8..11 chunk length 13, 12..15 "IHDR", 16..19 width,
 * 20..23 height, 24 bit depth, 25 colour type (0 gray, 2 RGB). */
static PngHeader read_png_header(const char *path)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    unsigned char b[26];
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not written", path);
    size_t got = fread(b, 1, sizeof b, f);
    fclose(f);
    ck_assert_msg(got == sizeof b, "%s is only %zu bytes: not a PNG", path, got);
    ck_assert_msg(memcmp(b, sig, 8) == 0, "%s does not start with the PNG signature", path);
    ck_assert_msg(memcmp(b + 12, "IHDR", 4) == 0, "%s: the first chunk is not IHDR", path);
    PngHeader h;
    h.width = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    h.height = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    h.bit_depth = b[24];
    h.colour_type = b[25];
    return h;
}

/* The decoded pixels (h, w, channels) of a PNG; the caller frees with stbi_image_free. */
static unsigned char *decode(const char *path, int *w, int *h, int *channels)
{
    unsigned char *px = stbi_load(path, w, h, channels, 0);
    ck_assert_msg(px != NULL, "stb_image cannot decode %s: %s", path, stbi_failure_reason());
    return px;
}

/* The byte a value should become, computed independently of img_to_u8. */
static int expected_byte(double v, double lo, double hi)
{
    double t = (v - lo) / (hi - lo);
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    return (int)floor(255 * t + 0.5);
}

/* ---------------------------------------------------------------- tests */

START_TEST(gray_png_header_and_pixels)
{
    char dir[64], path[256];
    temp_dir(dir);
    path_in(path, dir, "gray.png");
    enum { W = 7, H = 3 };
    float pix[H * W];                                 /* (H, W): a ramp, distinct per pixel */
    for (int i = 0; i < H * W; i++) pix[i] = -1.0f + 2.0f * i / (H * W - 1);
    ck_assert_int_eq(img_write_gray(path, pix, W, H, -1.0f, 1.0f), 0);

    PngHeader hd = read_png_header(path);
    ck_assert_msg(hd.width == W && hd.height == H, "IHDR says %ux%u, expected %dx%d (w and h swapped?)",
                  hd.width, hd.height, W, H);
    ck_assert_int_eq(hd.bit_depth, 8);
    ck_assert_msg(hd.colour_type == 0, "colour type %d, expected 0 (gray)", hd.colour_type);

    int w, h, c;
    unsigned char *px = decode(path, &w, &h, &c);
    ck_assert_int_eq(c, 1);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int want = expected_byte(pix[y * W + x], -1, 1), got = px[y * W + x];
            ck_assert_msg(got == want, "pixel (row %d, col %d): expected %d, got %d (row-major (h, w) layout?)",
                          y, x, want, got);
        }
    stbi_image_free(px);
    const char *names[] = { "gray.png" };
    remove_dir(dir, names, 1);
}
END_TEST

START_TEST(rgb_png_header_and_channel_order)
{
    char dir[64], path[256];
    temp_dir(dir);
    path_in(path, dir, "rgb.png");
    enum { W = 5, H = 4 };
    float pix[H * W * 3];                             /* (H, W, 3) interleaved */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            float *p = pix + (y * W + x) * 3;
            p[0] = (float)x / (W - 1);                /* red grows to the right */
            p[1] = (float)y / (H - 1);                /* green grows downwards */
            p[2] = 0.25f;                             /* blue constant */
        }
    ck_assert_int_eq(img_write_rgb(path, pix, W, H, 0.0f, 1.0f), 0);
    PngHeader hd = read_png_header(path);
    ck_assert_msg(hd.width == W && hd.height == H, "IHDR says %ux%u, expected %dx%d", hd.width, hd.height, W, H);
    ck_assert_msg(hd.colour_type == 2, "colour type %d, expected 2 (RGB)", hd.colour_type);

    int w, h, c;
    unsigned char *px = decode(path, &w, &h, &c);
    ck_assert_int_eq(c, 3);
    for (int i = 0; i < W * H * 3; i++)
        ck_assert_msg(px[i] == expected_byte(pix[i], 0, 1), "byte %d (row %d, col %d, channel %d): expected %d, got %d",
                      i, i / 3 / W, i / 3 % W, i % 3, expected_byte(pix[i], 0, 1), px[i]);
    stbi_image_free(px);
    const char *names[] = { "rgb.png" };
    remove_dir(dir, names, 1);
}
END_TEST

/* 5 RGB images of 4x2 in 3 columns at scale 3: 2 rows of cells,
 * width (3 (4+1) + 1) 3 = 48, height (2 (2+1) + 1) 3 = 21. */
START_TEST(grid_geometry_and_layout)
{
    char dir[64], path[256];
    temp_dir(dir);
    path_in(path, dir, "grid.png");
    enum { N = 5, C = 3, W = 4, H = 2, COLS = 3, S = 3 };
    float imgs[N * H * W * C];                        /* (N, H, W, C) */
    for (int k = 0; k < N; k++)
        for (int i = 0; i < H * W * C; i++)
            imgs[k * H * W * C + i] = (float)((k * 37 + i * 11) % 256) / 255.0f;
    ck_assert_int_eq(img_write_grid(path, imgs, N, C, W, H, COLS, S, 0.0f, 1.0f), 0);

    const int rows = (N + COLS - 1) / COLS;
    const unsigned gw = (COLS * (W + 1) + 1) * S, gh = (rows * (H + 1) + 1) * S;
    PngHeader hd = read_png_header(path);
    ck_assert_msg(hd.width == gw && hd.height == gh, "grid is %ux%u, expected %ux%u", hd.width, hd.height, gw, gh);
    ck_assert_int_eq(hd.colour_type, 2);

    int w, h, c;
    unsigned char *px = decode(path, &w, &h, &c);
    /* every pixel of the grid: border gray, or the image pixel it blows up */
    for (int gy = 0; gy < h; gy++)
        for (int gx = 0; gx < w; gx++) {
            int cy = gy / S, cx = gx / S;             /* coordinates in unscaled grid units */
            int cell_r = cy / (H + 1), cell_c = cx / (W + 1);
            int y = cy % (H + 1) - 1, x = cx % (W + 1) - 1;
            int k = cell_r * COLS + cell_c;
            for (int ch = 0; ch < C; ch++) {
                int want = (y < 0 || x < 0 || k >= N || cell_c >= COLS) ? 128
                         : expected_byte(imgs[((k * H + y) * W + x) * C + ch], 0, 1);
                int got = px[(gy * w + gx) * C + ch];
                ck_assert_msg(got == want, "grid pixel (row %d, col %d, channel %d): expected %d, got %d "
                              "(image %d, its pixel (%d, %d); -1 = border)", gy, gx, ch, want, got, k, y, x);
            }
        }
    stbi_image_free(px);

    /* gray grid of 1 image, scale 1: (w+2) x (h+2) */
    ck_assert_int_eq(img_write_grid(path, imgs, 1, 1, 6, 3, 4, 1, 0.0f, 1.0f), 0);
    hd = read_png_header(path);
    ck_assert_msg(hd.width == 4 * 7 + 1 && hd.height == 3 + 2 && hd.colour_type == 0,
                  "1 gray image in 4 columns: got %ux%u type %d, expected 29x5 type 0",
                  hd.width, hd.height, hd.colour_type);
    const char *names[] = { "grid.png" };
    remove_dir(dir, names, 1);
}
END_TEST

START_TEST(png_size_is_compressibility)
{
    enum { W = 64, H = 64 };
    static float flat[H * W], noise[H * W];
    Rng r; rng_seed(&r, 1);
    for (int i = 0; i < H * W; i++) { flat[i] = 0.5f; noise[i] = (float)rng_uniform(&r); }
    long sflat = img_png_size(flat, W, H, 1, 0.0f, 1.0f);
    long snoise = img_png_size(noise, W, H, 1, 0.0f, 1.0f);
    ck_assert_msg(sflat > 0 && snoise > 0, "sizes %ld and %ld: img_png_size failed", sflat, snoise);
    /* uniform noise is incompressible: about W*H = 4096 bytes; a flat image is ~100 */
    ck_assert_msg(snoise > 3500, "noise PNG is %ld bytes, expected about %d (incompressible)", snoise, W * H);
    ck_assert_msg(sflat * 10 < snoise, "flat image %ld bytes vs noise %ld: a constant image must compress "
                  "far better", sflat, snoise);
    ck_assert_msg(img_png_size(noise, W, H, 1, 0.0f, 1.0f) == snoise, "img_png_size is not deterministic");
}
END_TEST

START_TEST(png_size_equals_file_size)
{
    char dir[64], path[256];
    temp_dir(dir);
    enum { W = 33, H = 17 };
    static float gray[H * W], rgb[H * W * 3];
    Rng r; rng_seed(&r, 2);
    for (int i = 0; i < H * W; i++) gray[i] = (float)(i % 7) + (float)rng_uniform(&r);
    for (int i = 0; i < H * W * 3; i++) rgb[i] = (float)rng_normal(&r);

    path_in(path, dir, "g.png");
    ck_assert_int_eq(img_write_gray(path, gray, W, H, 0.0f, 8.0f), 0);
    long want = file_size(path), got = img_png_size(gray, W, H, 1, 0.0f, 8.0f);
    ck_assert_msg(got == want, "gray: img_png_size %ld, file %ld bytes", got, want);

    path_in(path, dir, "c.png");
    ck_assert_int_eq(img_write_rgb(path, rgb, W, H, -2.0f, 2.0f), 0);
    want = file_size(path); got = img_png_size(rgb, W, H, 3, -2.0f, 2.0f);
    ck_assert_msg(got == want, "rgb: img_png_size %ld, file %ld bytes", got, want);
    const char *names[] = { "g.png", "c.png" };
    remove_dir(dir, names, 2);
}
END_TEST

START_TEST(to_u8_clamps_and_maps)
{
    const float lo = -2.0f, hi = 6.0f;
    float in[] = { lo, hi, -100.0f, 100.0f, 2.0f, 0.0f, NAN, INFINITY, -INFINITY, 5.99f };
    const int want[] = { 0, 255, 0, 255, 128, 64, 0, 255, 0, 255 };
    enum { N = sizeof in / sizeof in[0] };
    unsigned char out[N + 1];
    out[N] = 77;                                      /* guard: must stay untouched */
    img_to_u8(out, in, N, lo, hi);
    for (int i = 0; i < N; i++)
        ck_assert_msg(out[i] == want[i], "img_to_u8(%g) on [%g, %g]: expected %d, got %d",
                      (double)in[i], (double)lo, (double)hi, want[i], out[i]);
    ck_assert_msg(out[N] == 77, "img_to_u8 wrote past n");
    /* (2 - (-2)) / 8 * 255 = 127.5 rounds to 128; 0 -> 63.75 -> 64: rounding, not truncation */
}
END_TEST

START_TEST(invalid_arguments_fail)
{
    char dir[64], path[256];
    temp_dir(dir);
    path_in(path, dir, "x.png");
    float pix[12] = { 0 };
    CkxCapture c = ckx_capture_begin(2);
    ck_assert_int_eq(img_write_gray(path, pix, 0, 3, 0, 1), -1);
    ck_assert_int_eq(img_write_gray(path, pix, 3, -1, 0, 1), -1);
    ck_assert_int_eq(img_write_gray(path, pix, 3, 4, 1, 1), -1);          /* lo == hi */
    ck_assert_int_eq(img_write_gray(path, pix, 3, 4, 1, 0), -1);          /* lo > hi */
    ck_assert_int_eq(img_write_gray(path, pix, 3, 4, 0, NAN), -1);
    ck_assert_int_eq(img_write_gray(path, NULL, 3, 4, 0, 1), -1);
    ck_assert_int_eq(img_write_gray(NULL, pix, 3, 4, 0, 1), -1);
    ck_assert_int_eq(img_write_rgb(path, pix, 2, 0, 0, 1), -1);
    ck_assert_int_eq(img_write_grid(path, pix, 0, 1, 2, 2, 1, 1, 0, 1), -1);   /* n */
    ck_assert_int_eq(img_write_grid(path, pix, 1, 2, 2, 2, 1, 1, 0, 1), -1);   /* channels */
    ck_assert_int_eq(img_write_grid(path, pix, 1, 1, 2, 2, 0, 1, 0, 1), -1);   /* grid_cols */
    ck_assert_int_eq(img_write_grid(path, pix, 1, 1, 2, 2, 1, 0, 0, 1), -1);   /* scale */
    ck_assert_int_eq(img_png_size(pix, 2, 2, 4, 0, 1), -1);
    ck_assert_int_eq(img_png_size(pix, -2, 2, 1, 0, 1), -1);
    ck_assert_int_eq(img_png_size(pix, 2, 2, 1, 0, 0), -1);
    ck_assert_msg(file_size(path) == -1, "a call with invalid arguments still wrote %s", path);
    /* an unwritable path: the error is the file's */
    ck_assert_int_eq(img_write_gray("/proc/no_such_dir/x.png", pix, 3, 4, 0, 1), -1);
    ck_assert_int_eq(img_write_grid("/proc/no_such_dir/x.png", pix, 1, 1, 3, 4, 1, 2, 0, 1), -1);
    char *err = ckx_capture_end(c);
    const char *says[] = { "width and height must be >= 1", "finite lo < hi", "pixel pointer is NULL",
                           "the path is NULL", "n, grid_cols and scale must be >= 1", "channels must be 1",
                           "cannot write /proc/no_such_dir/x.png" };
    for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
        ck_assert_msg(strstr(err, says[i]), "no \"%s\" among the errors:\n%s", says[i], err);
    free(err);
    const char *names[] = { "x.png" };
    remove_dir(dir, names, 1);
}
END_TEST

/* A write that fails half way (a file-size limit, as a full disk) returns -1
 * and leaves the earlier file whole: stb's own writer would return success. */
START_TEST(failed_write_is_reported_and_keeps_the_old_file)
{
    char dir[64], path[256];
    temp_dir(dir);
    path_in(path, dir, "big.png");
    enum { W = 64, H = 64 };
    static float small[4], noise[W * H];
    Rng r;
    rng_seed(&r, 5);
    for (int i = 0; i < W * H; i++) noise[i] = (float)rng_uniform(&r);   /* about W * H bytes of PNG */
    ck_assert_int_eq(img_write_gray(path, small, 2, 2, 0, 1), 0);
    long before = file_size(path);
    struct rlimit saved, limit;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
    limit.rlim_cur = 1024;
    limit.rlim_max = saved.rlim_max;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
    CkxCapture c = ckx_capture_begin(2);
    int rc = img_write_gray(path, noise, W, H, 0, 1);
    char *err = ckx_capture_end(c);
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, prev);
    ck_assert_msg(rc == -1, "img_write_gray returned %d after a failed write, expected -1", rc);
    ck_assert_msg(strstr(err, path), "the error does not name the file:\n%s", err);
    free(err);
    ck_assert_msg(file_size(path) == before, "the failed write changed %s (%ld bytes, was %ld)", path,
                  file_size(path), before);
    const char *names[] = { "big.png" };
    remove_dir(dir, names, 1);
}
END_TEST

Suite *make_image_suite(void)
{
    Suite *s = suite_create("image");
    TCase *tc = ckx_tcase(s, "image", 30);
    tcase_add_test(tc, gray_png_header_and_pixels);
    tcase_add_test(tc, rgb_png_header_and_channel_order);
    tcase_add_test(tc, grid_geometry_and_layout);
    tcase_add_test(tc, png_size_is_compressibility);
    tcase_add_test(tc, png_size_equals_file_size);
    tcase_add_test(tc, to_u8_clamps_and_maps);
    tcase_add_test(tc, invalid_arguments_fail);
    tcase_add_test(tc, failed_write_is_reported_and_keeps_the_old_file);
    return s;
}
