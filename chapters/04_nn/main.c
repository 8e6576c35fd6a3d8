/* 04_nn — neural networks from scratch: a multilayer perceptron with
 * hand-written backpropagation, on generated 2-D data.
 *
 * What it shows:
 *   1. Gradient check: backpropagation against central differences, for
 *      every activation, with layer norm and with dropout.
 *   2. Classification: an MLP learns two moons and 3-arm spirals; accuracy on
 *      held-out points; the decision regions with the training points.
 *   3. Optimisers: SGD, momentum and Adam from the same initialisation, on the
 *      same mini-batches, for the same number of steps, each at its best
 *      learning rate from the same grid (the sweep is drawn too).
 *   4. Dropout: a wide network on 60 noisy points overfits; dropout narrows
 *      the gap between training and held-out loss (mean over several data sets).
 *   5. Layer norm: a deep tanh network under plain SGD, with and without it.
 * Every network is mlp.h's, built on your layers with IMPL=exercises. All
 * data come from --seed; the same seed gives the same numbers and figures.
 */
#include "cli.h"
#include "main.h"
#include "nn.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "util.h"

#include <stdio.h>

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    Setup s = { .hidden = 64, .batch = 64, .steps = 3000, .sweep_steps = 2000, .drop_steps = 1500, .drop_sets = 5,
                .grid = 120, .points = 100, .lr = 0.01, .dropout = 0.5 };
    const char *act = "relu";
    CliOption opts[] = {
        { "--hidden", CLI_INT, &s.hidden, 2, 1024, "width of the two hidden layers (sections 2, 3)" },
        { "--act", CLI_STRING, &act, 0, 0, "hidden activation of sections 2, 3: relu, tanh, sigmoid, gelu or gelu-erf" },
        { "--lr", CLI_DOUBLE, &s.lr, 1e-6, 10, "Adam's learning rate in section 2" },
        { "--batch", CLI_INT, &s.batch, 1, 4096, "mini-batch size (sections 2, 3, 5)" },
        { "--steps", CLI_INT, &s.steps, 1, 1000000, "training steps in section 2" },
        { "--sweep-steps", CLI_INT, &s.sweep_steps, 10, 1000000, "steps per run in sections 3 and 5" },
        { "--dropout", CLI_DOUBLE, &s.dropout, 0.0, 0.95, "drop probability in section 4" },
        { "--drop-steps", CLI_INT, &s.drop_steps, 10, 1000000, "training steps per run in section 4" },
        { "--drop-sets", CLI_INT, &s.drop_sets, 1, 100, "data sets averaged in section 4" },
        { "--grid", CLI_INT, &s.grid, 10, 1000, "cells across a decision map" },
    };
    CliCommon cl = cli_defaults("04_nn", 4);
    cli_parse(argc, argv, "neural networks from scratch: an MLP with hand-written backprop", opts, ARRAY_LEN(opts),
              &cl);
    if (nn_act_parse(act, &s.act) != 0) {
        fprintf(stderr, "error: --act %s: must be one of relu, tanh, sigmoid, gelu, gelu-erf\n", act);
        return 2;
    }
    if (cl.quick) {   /* a small run: cap the sizes (explicit smaller values still win) */
        if (s.steps > 800) s.steps = 800;
        if (s.sweep_steps > 300) s.sweep_steps = 300;
        if (s.drop_steps > 300) s.drop_steps = 300;
        s.points = 50;
        if (s.drop_sets > 1) s.drop_sets = 1;
        if (s.grid > 80) s.grid = 80;
    }
    s.po = cli_plot_opts(&cl);
    s.quiet = cl.quiet;
    const double t_start = progress_now();
    printf("Chapter 04: neural networks from scratch (seed %llu%s)\n", (unsigned long long)cl.seed,
           cl.quick ? ", quick" : "");
    /* one independent stream per section, so changing one section's sizes leaves the others alone */
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r1 = rng_split(&root), r2 = rng_split(&root), r3 = rng_split(&root), r4 = rng_split(&root),
        r5 = rng_split(&root);

    int failures = 0;
    double t[6];
    t[0] = progress_now();
    failures += section_gradient_check(&r1);
    t[1] = progress_now();
    failures += section_classify(&s, &r2);
    t[2] = progress_now();
    failures += section_optimisers(&s, &r3);
    t[3] = progress_now();
    failures += section_dropout(&s, &r4);
    t[4] = progress_now();
    failures += section_layernorm(&s, &r5);
    t[5] = progress_now();

    printf("\nTotal time %.2f s (sections 1-5: %.2f, %.2f, %.2f, %.2f, %.2f s, figures included)\n",
           t[5] - t_start, t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4]);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
