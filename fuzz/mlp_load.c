/* fuzz/mlp_load.c — libFuzzer harness: the checkpoint loader
 * (chapters/04_nn/mlp.c, mlp_load_note, which mlp_load calls) on any file.
 *
 * Input: the bytes of a file. It is written to a scratch file and loaded into
 * three networks: 3-5-4-2 relu with layer norm, 3-5-5-2 residual gelu (the
 * seed corpus holds their files, versions 1 and 2, whole and damaged) and
 * 1-1 tanh (so that a whole file of a deeper network meets a tiny one), with
 * a 16-byte buffer for the note.
 *
 * Beyond what ASan and UBSan catch, every input must satisfy the contract of
 * mlp.h, or the harness aborts (a finding):
 *   - the status is MLP_OK or one of the MlpStatus errors;
 *   - a failure says something, names the file, and leaves the parameters
 *     exactly as they were;
 *   - a success leaves only finite parameters and a terminated note that
 *     stays inside its buffer.
 */
#include "mlp.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
#define NETS 3
static Mlp *nets[NETS];
static float *before;

static void remove_scratch(void) { remove(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    /* in memory if the system has a tmpfs at /dev/shm: the disk is the bottleneck */
    snprintf(path, sizeof path, "%s/fuzz_mlp_load_%ld.bin", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
             (long)getpid());
    const MlpSpec specs[NETS] = {
        { .n_layers = 3, .sizes = { 3, 5, 4, 2 }, .act = NN_RELU, .layernorm = 1 },
        { .n_layers = 3, .sizes = { 3, 5, 5, 2 }, .act = NN_GELU, .residual = 1 },
        { .n_layers = 1, .sizes = { 1, 1 }, .act = NN_TANH },
    };
    Rng r;
    rng_seed(&r, 1);
    int most = 0;
    for (int k = 0; k < NETS; k++) {
        nets[k] = mlp_create(&specs[k], 1, &r);
        if (!nets[k]) abort();
        if (nets[k]->n_params > most) most = nets[k]->n_params;
    }
    before = malloc((size_t)most * sizeof *before);
    if (!before) abort();
    atexit(remove_scratch);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();
    for (int k = 0; k < NETS; k++) {
        Mlp *m = nets[k];
        size_t bytes = (size_t)m->n_params * sizeof(float);
        memcpy(before, m->params, bytes);
        char err[256] = "", note[17];
        note[16] = 'G';   /* guard: the note gets 16 bytes */
        int st = mlp_load_note(m, path, note, 16, err, sizeof err);
        if (note[16] != 'G') abort();
        if (st > MLP_OK || st < MLP_ERR_CORRUPT) abort();
        if (st != MLP_OK) {
            if (!strstr(err, path)) abort();
            if (memcmp(before, m->params, bytes) != 0) abort();
        } else {
            if (!memchr(note, '\0', 16)) abort();   /* the note is terminated inside its buffer */
            for (int i = 0; i < m->n_params; i++)
                if (!isfinite(m->params[i])) abort();
            memcpy(m->params, before, bytes);   /* the next input starts from the same weights */
        }
    }
    return 0;
}
