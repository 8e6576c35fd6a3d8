/* 16_arch — the architectures appendix (under construction). */
#include "cli.h"
#include "conv.h"
#include "util.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    CliCommon cl = cli_defaults("16_arch", 16);
    cli_parse(argc, argv, "architectures: convolution, recurrent cells, attention", NULL, 0, &cl);
    const int k[4] = { 5, 2, 3, 2 }, s[4] = { 1, 2, 1, 2 };
    int rf[5], jump[5];
    conv_receptive_field(rf, jump, k, s, 4);
    printf("Chapter 16 (seed %llu): receptive field of conv5-pool2-conv3-pool2: %d\n", (unsigned long long)cl.seed,
           rf[4]);
    return 0;
}
