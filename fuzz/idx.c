/* fuzz/idx.c — libFuzzer harness: the IDX loader of the image chapters
 * (common/imageset.c: ims_parse_idx, and ims_load_idx with its gzip reader).
 *
 * Input: byte 0 picks the path (even: the bytes are parsed in memory by
 * ims_parse_idx; odd: they are written to two files and read back by
 * ims_load_idx, which takes gzip or plain files); bytes 1-2 are the length
 * of the images file (little-endian, cut to what is left); the rest is the
 * images file, then the labels file.
 *
 * Beyond what ASan and UBSan catch, every input must satisfy the contract of
 * imageset.h, or the harness aborts (a finding):
 *   - the status is 0 or -1;
 *   - a failure says something and leaves the output set untouched;
 *   - a success gives n, h, w >= 1, pixels in [0, 1] and labels 0..9.
 */
#include "imageset.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char images_path[64], labels_path[64];

static void remove_scratch(void)
{
    remove(images_path);
    remove(labels_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    /* in memory if the system has a tmpfs at /dev/shm */
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(images_path, sizeof images_path, "%s/fuzz_idx_%ld.images", dir, (long)getpid());
    snprintf(labels_path, sizeof labels_path, "%s/fuzz_idx_%ld.labels", dir, (long)getpid());
    atexit(remove_scratch);
    return 0;
}

static void put(const char *path, const uint8_t *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n && fwrite(bytes, 1, n, f) != n) abort();
    if (fclose(f) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    int from_files = data[0] & 1;
    size_t ilen = (size_t)data[1] | (size_t)data[2] << 8;
    data += 3, size -= 3;
    if (ilen > size) ilen = size;
    const uint8_t *images = data, *labels = data + ilen;
    size_t llen = size - ilen;

    ImageSet s, untouched;
    memset(&s, 0xA5, sizeof s);
    untouched = s;
    char err[512] = "";
    int rc;
    if (from_files) {
        put(images_path, images, ilen);
        put(labels_path, labels, llen);
        rc = ims_load_idx(&s, images_path, labels_path, err, sizeof err);
    } else {
        rc = ims_parse_idx(&s, images, ilen, labels, llen, err, sizeof err);
    }

    if (rc != 0 && rc != -1) abort();
    if (rc == -1) {
        if (!err[0]) abort();                                   /* refused without a word */
        if (memcmp(&s, &untouched, sizeof s) != 0) abort();    /* a failed load changed the output */
        return 0;
    }
    if (s.n < 1 || s.h < 1 || s.w < 1 || !s.pix || !s.label) abort();
    size_t npix = (size_t)s.n * (size_t)s.h * (size_t)s.w;
    for (size_t i = 0; i < npix; i++)
        if (!(s.pix[i] >= 0.0f && s.pix[i] <= 1.0f)) abort();
    for (int i = 0; i < s.n; i++)
        if (s.label[i] < 0 || s.label[i] >= IMS_CLASSES) abort();
    ims_free(&s);
    return 0;
}
