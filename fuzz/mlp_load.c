/* fuzz/mlp_load.c — libFuzzer harness: the checkpoint loader
 * (chapters/04_nn/mlp.c, mlp_load) on any file.
 *
 * Input: the bytes of a file. It is written to a scratch file and loaded into
 * two networks: 3-5-4-2 relu with layer norm (the seed corpus holds its
 * files, whole and damaged) and 1-1 tanh (so that a whole file of a deeper
 * network meets a tiny one).
 *
 * Beyond what ASan and UBSan catch, every input must satisfy the contract of
 * mlp.h, or the harness aborts (a finding):
 *   - the status is MLP_OK or one of the MlpStatus errors;
 *   - a failure says something, names the file, and leaves the parameters
 *     exactly as they were;
 *   - a success leaves only finite parameters.
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
static Mlp *nets[2];
static float *before;

static void remove_scratch(void) { remove(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    /* in memory if the system has a tmpfs at /dev/shm: the disk is the bottleneck */
    snprintf(path, sizeof path, "%s/fuzz_mlp_load_%ld.bin", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
             (long)getpid());
    const MlpSpec specs[2] = {
        { .n_layers = 3, .sizes = { 3, 5, 4, 2 }, .act = NN_RELU, .layernorm = 1 },
        { .n_layers = 1, .sizes = { 1, 1 }, .act = NN_TANH },
    };
    Rng r;
    rng_seed(&r, 1);
    for (int k = 0; k < 2; k++) nets[k] = mlp_create(&specs[k], 1, &r);
    before = malloc((size_t)nets[0]->n_params * sizeof *before);
    if (!nets[0] || !nets[1] || !before) abort();
    atexit(remove_scratch);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();
    for (int k = 0; k < 2; k++) {
        Mlp *m = nets[k];
        size_t bytes = (size_t)m->n_params * sizeof(float);
        memcpy(before, m->params, bytes);
        char err[256] = "";
        int st = mlp_load(m, path, err, sizeof err);
        if (st > MLP_OK || st < MLP_ERR_CORRUPT) abort();
        if (st != MLP_OK) {
            if (!strstr(err, path)) abort();
            if (memcmp(before, m->params, bytes) != 0) abort();
        } else {
            for (int i = 0; i < m->n_params; i++)
                if (!isfinite(m->params[i])) abort();
            memcpy(m->params, before, bytes);   /* the next input starts from the same weights */
        }
    }
    return 0;
}
