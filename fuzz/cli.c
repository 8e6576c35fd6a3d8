/* fuzz/cli.c — libFuzzer harness: the flag parser (common/cli.c) on any
 * command line.
 *
 * Input: the first byte picks the size of the error buffer (0, 1, 2, 3, 64
 * or 4096 bytes: cli_parse_args once dereferenced a NULL buffer of length 0);
 * the rest is argv[1..], the arguments separated by NUL bytes.
 *
 * Beyond what ASan and UBSan catch, every input must satisfy the contract of
 * cli.h, or the harness aborts (a finding):
 *   - the status is 0 (parsed), 1 (--help) or 2 (refused);
 *   - the message stays inside its buffer and is terminated;
 *   - a refusal says something (when the buffer has room for it);
 *   - after status 0 every value is in its range or is its default, and the
 *     output folder is a non-empty string.
 */
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t ERR_SIZES[] = { 0, 1, 2, 3, 64, 4096 };
    if (size < 1) return 0;
    size_t err_len = ERR_SIZES[data[0] % 6];
    data++, size--;

    /* argv: the bytes, NUL-separated, copied so the parser sees real strings */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = "prog";
    for (size_t i = 0; i <= size && argc <= MAX_ARGS; i += strlen(text + i) + 1) argv[argc++] = text + i;
    argv[argc] = NULL;

    /* one option of each kind, one with a sentinel default outside its range */
    int episodes = 500, flag = 0;
    double alpha = 0.5, lambda = -1;
    const char *method = "both";
    const CliOption opts[] = {
        { "--episodes", CLI_INT, &episodes, 1, 100000, "episodes per run" },
        { "--alpha", CLI_DOUBLE, &alpha, 0, 1, "step size" },
        { "--lambda", CLI_DOUBLE, &lambda, 0, 1, "GAE lambda (-1: the method's own)" },
        { "--method", CLI_STRING, &method, 0, 0, "both, dqn or double" },
        { "--expected", CLI_FLAG, &flag, 0, 1, "a flag" },
    };
    CliCommon c = cli_defaults("02_td", 1);

    /* the error buffer, with a guard byte after it */
    char *err = err_len ? malloc(err_len + 1) : NULL;
    if (err_len && !err) { free(text); return 0; }
    if (err) { memset(err, 'x', err_len); err[err_len] = 'G'; }

    int rc = cli_parse_args(argc, argv, "fuzz", opts, 5, &c, err, err_len);

    if (rc != 0 && rc != 1 && rc != 2) abort();
    if (err) {
        if (err[err_len] != 'G') abort();                        /* wrote past the buffer */
        if (!memchr(err, '\0', err_len)) abort();                /* not terminated */
        if (rc == 2 && err_len > 1 && err[0] == '\0') abort();   /* refused without a word */
    }
    if (rc == 0) {
        if (episodes != 500 && (episodes < 1 || episodes > 100000)) abort();
        if (alpha != 0.5 && !(alpha >= 0 && alpha <= 1)) abort();
        if (lambda != -1 && !(lambda >= 0 && lambda <= 1)) abort();
        if (flag != 0 && flag != 1) abort();
        if (!method || !c.out || !*c.out) abort();
    }
    free(err);
    free(text);
    return 0;
}
