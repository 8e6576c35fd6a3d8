/* 16_arch — the architectures appendix: convolution, recurrent cells and
 * attention, each forward and backward by hand, each shown doing something.
 *
 * What it shows (sections in main.h):
 *   1. Convolution arithmetic: output sizes and receptive fields.
 *   2. A small CNN against the course's MLP on generated 16×16 digits (and
 *      Fashion-MNIST when installed): held-out accuracy against parameters
 *      and training time (figure cnn_vs_mlp); the learned first-layer
 *      filters (filters); the receptive field, predicted and measured
 *      (receptive_field).
 *   3. Vanishing gradients: an RNN and an LSTM on a copy task at increasing
 *      delays (delay_curves), and ‖∂L/∂h_0‖ against the sequence length
 *      (grad_norm).
 *   4. Attention: a one-layer attention model learns to reverse sequences;
 *      its attention maps (attention_maps); the same without positions and
 *      with a causal mask (attention_accuracy); what 1/√d does to the
 *      softmax (softmax_scaling).
 * Every network runs on this chapter's layers (your code with
 * IMPL=exercises). All data and initialisations come from --seed.
 */
#include "cli.h"
#include "imageset.h"
#include "main.h"
#include "progress.h"
#include "util.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    Setup s = { .train_images = 6000, .epochs = 3, .fashion = 1, .fashion_images = 4000, .rnn_steps = 800,
                .hidden = 24, .max_delay = 48, .attn_steps = 600 };
    CliOption opts[] = {
        { "--train-images", CLI_INT, &s.train_images, 100, 60000, "generated digits to train on (a quarter more are held out)" },
        { "--epochs", CLI_INT, &s.epochs, 1, 100, "passes over the training images (section 2)" },
        { "--fashion", CLI_INT, &s.fashion, 0, 1, "1: also Fashion-MNIST, when installed (section 2)" },
        { "--fashion-images", CLI_INT, &s.fashion_images, 100, 60000, "Fashion-MNIST training images used" },
        { "--rnn-steps", CLI_INT, &s.rnn_steps, 10, 1000000, "training steps per recurrent run (section 3)" },
        { "--hidden", CLI_INT, &s.hidden, 2, 512, "hidden units of the RNN and the LSTM" },
        { "--max-delay", CLI_INT, &s.max_delay, 5, 200, "the longest delay of the copy task" },
        { "--attn-steps", CLI_INT, &s.attn_steps, 10, 1000000, "training steps of each attention model (section 4)" },
    };
    CliCommon cl = cli_defaults("16_arch", 16);
    cli_parse(argc, argv, "architectures: convolution, recurrent cells, attention", opts, ARRAY_LEN(opts), &cl);
    if (cl.quick) {   /* a small run: cap the sizes (explicit smaller values still win) */
        if (s.train_images > 1000) s.train_images = 1000;
        if (s.epochs > 2) s.epochs = 2;
        s.fashion = 0;
        if (s.rnn_steps > 100) s.rnn_steps = 100;
        if (s.max_delay > 8) s.max_delay = 8;
        if (s.attn_steps > 200) s.attn_steps = 200;
    }
    s.po = cli_plot_opts(&cl);
    s.quiet = cl.quiet;
    s.quick = cl.quick;
    const double t0 = progress_now();
    printf("Chapter 16: architectures — convolution, recurrent cells, attention (seed %llu%s)\n",
           (unsigned long long)cl.seed, cl.quick ? ", quick" : "");
    Rng root;
    rng_seed(&root, cl.seed);
    Rng r2 = rng_split(&root), r3 = rng_split(&root), r4 = rng_split(&root), r5 = rng_split(&root);
    double cpu[3], c0 = progress_thread_cpu();
    int failures = section_conv_arithmetic(&s);
    failures += section_cnn_vs_mlp(&s, &r2);
    cpu[0] = progress_thread_cpu() - c0;
    failures += section_recurrent(&s, &r3);
    cpu[1] = progress_thread_cpu() - c0 - cpu[0];
    failures += section_attention(&s, &r4);
    failures += section_softmax_scaling(&s, &r5);
    cpu[2] = progress_thread_cpu() - c0 - cpu[0] - cpu[1];
    printf("\nTotal time %.1f s (CPU: convolution %.1f s, recurrent %.1f s, attention %.1f s)\n", progress_now() - t0,
           cpu[0], cpu[1], cpu[2]);
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
