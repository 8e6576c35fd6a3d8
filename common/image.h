/* image — float images to PNG files, and the size of their PNG encoding.
 *
 * Pixels are floats in row-major order: a gray image is (h, w), an RGB image
 * (h, w, 3) with the channels interleaved (pix[(y * w + x) * 3 + c]); row 0 is
 * the top of the picture. Every writer maps [lo, hi] linearly onto 0..255:
 *
 *     u8 = round(255 * (clamp(v, lo, hi) - lo) / (hi - lo))
 *
 * so values outside the range saturate and NaN becomes 0 (black).
 *
 * The encoder is stb_image_write (Debian's libstb: build with
 * `pkg-config --cflags --libs stb`, link -lstb). Its output depends only on
 * the pixels and on stb's settings stbi_write_png_compression_level and
 * stbi_write_force_png_filter, which this module leaves at their defaults;
 * so img_png_size() is a deterministic compressibility measure (later
 * chapters use it as a black-box reward: smaller PNG = simpler image).
 *
 *     float img[28 * 28];                         // (h, w), values in [0, 1]
 *     img_write_gray("out/digit.png", img, 28, 28, 0.0f, 1.0f);
 *     long bytes = img_png_size(img, 28, 28, 1, 0.0f, 1.0f);
 *
 * Errors: every function that returns int gives 0 on success and -1 on
 * failure (bad arguments, allocation, the file) after printing what failed
 * and the path to stderr. Arguments must satisfy w, h, n, scale, grid_cols >= 1,
 * channels 1 or 3, lo < hi (both finite), and no image over 2^31 bytes.
 * Nothing here calls exit().
 */
#ifndef IMAGE_H
#define IMAGE_H

/* Quantise n floats to bytes: lo -> 0, hi -> 255, linear and rounded between,
 * clamped outside, NaN -> 0. If !(lo < hi) every byte is 0. */
void img_to_u8(unsigned char *out, const float *pix, int n, float lo, float hi);

/* A gray PNG of pix (h, w). */
int img_write_gray(const char *path, const float *pix, int w, int h, float lo, float hi);

/* An RGB PNG of pix (h, w, 3), channels interleaved. */
int img_write_rgb(const char *path, const float *pix, int w, int h, float lo, float hi);

/* n images of (h, w, channels) each, stored one after another in imgs
 * (n, h, w, channels), drawn as a grid of grid_cols columns and
 * ceil(n / grid_cols) rows, each pixel blown up to a scale x scale block
 * (nearest neighbour). Images are separated and framed by a mid-gray (128)
 * border `scale` pixels wide; unused cells of the last row are gray too. The
 * PNG is (grid_cols * (w + 1) + 1) * scale wide and
 * (rows * (h + 1) + 1) * scale high, gray for channels 1, RGB for 3. */
int img_write_grid(const char *path, const float *imgs, int n, int channels, int w, int h,
                   int grid_cols, int scale, float lo, float hi);

/* Bytes of the PNG that img_write_gray (channels 1) or img_write_rgb
 * (channels 3) would write for pix, computed in memory; -1 on error. */
long img_png_size(const float *pix, int w, int h, int channels, float lo, float hi);

#endif
