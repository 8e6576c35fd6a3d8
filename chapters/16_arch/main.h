/* main.h — chapter 16's program, section by section.
 *
 * main.c reads the command line into a Setup and runs the sections in order,
 * each part in a file of its own:
 *   main_conv.c   1. convolution arithmetic: output sizes, receptive fields
 *                 2. a CNN against the course's MLP on the 16×16 digits (and
 *                    Fashion-MNIST when installed); first-layer filters; the
 *                    measured receptive field of a unit
 *   main_rnn.c    3. the copy task at increasing delays: RNN vs LSTM
 *                 4. vanishing gradients: ‖∂L/∂h_0‖ against sequence length
 *   main_attn.c   5. a one-layer attention model reverses sequences; its
 *                    attention maps; without positions; with a causal mask
 *                 6. the 1/√d scaling and the softmax's saturation
 * A section returns the number of figures it could not draw (0 on success),
 * and stops the program with a message when a run diverges or an exercise
 * is clearly unfinished (exercise.h). Only this chapter's program links
 * these files (not the tests, nor the benchmark).
 */
#ifndef ARCH_MAIN_H
#define ARCH_MAIN_H
#include "plot.h"
#include "rng.h"

typedef struct {
    PlotOpts po;
    int quiet, quick;
    int train_images;   /* generated digits to train on (the test set is a quarter of it) */
    int epochs;         /* passes over the training images */
    int fashion;        /* 1: also Fashion-MNIST, when installed */
    int fashion_images; /* Fashion-MNIST training images used */
    int rnn_steps;      /* training steps per recurrent run */
    int hidden;         /* recurrent hidden units */
    int max_delay;      /* the longest delay of the copy task */
    int attn_steps;     /* training steps of each attention model */
} Setup;

int section_conv_arithmetic(const Setup *s);
int section_cnn_vs_mlp(const Setup *s, Rng *rng);
int section_recurrent(const Setup *s, Rng *rng);
int section_attention(const Setup *s, Rng *rng);
int section_softmax_scaling(const Setup *s, Rng *rng);

#endif
