/* main.h — chapter 04's program, section by section.
 *
 * main.c reads the command line into a Setup and runs the five sections in
 * order, each in a file of its own:
 *   main_gradcheck.c  1. gradient check of every layer against central differences
 *   main_classify.c   2. two moons and spirals: decision regions
 *                     4. dropout on a small noisy data set
 *   main_training.c   3. SGD vs momentum vs Adam over a learning-rate grid
 *                     5. layer norm in a deep tanh network
 *   main_train.c      what they share: the data sets, the training loop and
 *                     the decision-map panels
 * A section returns the number of figures it could not draw (0 on success).
 * It exits with a message when an exercise is unfinished (exercise.h) or a
 * run diverges. Only this chapter's program links these files (not the
 * tests, nor the chapters that use mlp.c).
 */
#ifndef NN_MAIN_H
#define NN_MAIN_H
#include "mlp.h"
#include "nn.h"
#include "plot.h"
#include "rng.h"

/* The command line, shared by every section. */
typedef struct {
    PlotOpts po;
    int quiet;
    int hidden, batch, steps, sweep_steps, drop_steps, drop_sets, grid;
    int points;            /* evaluations along a loss curve */
    NnAct act;
    double lr, dropout;
} Setup;

MlpSpec two_hidden(int in, int hidden, int out, NnAct act);   /* in-hidden-hidden-out, activation act */

int section_gradient_check(Rng *rng);
int section_classify(const Setup *s, Rng *rng);
int section_optimisers(const Setup *s, Rng *rng);
int section_dropout(const Setup *s, Rng *rng);
int section_layernorm(const Setup *s, Rng *rng);

/* ---- data (main_train.c) */

/* A labelled 2-D data set in float, as the network reads it. */
typedef struct {
    int n;       /* points */
    int k;       /* classes */
    float *x;    /* (n, 2) */
    int *y;      /* (n) labels 0..k-1 */
} Data;

Data data_alloc(int n, int k);          /* n points of k classes, zeroed */
void data_free(Data *d);
Data moons(Rng *r, int n, double noise);  /* ds_two_moons in float */
/* The spirals of this chapter: 3 arms, 1.5 turns, noise 0.02. */
#define SPIRAL_ARMS 3
#define SPIRAL_TURNS 1.5
#define SPIRAL_NOISE 0.02
Data spirals(Rng *r, int n);

/* ---- training (main_train.c) */

/* Mean cross-entropy and accuracy of the network on a whole data set, in
 * evaluation mode, in chunks of the network's max batch (either may be NULL). */
void evaluate(Mlp *m, const Data *d, double *loss, double *acc);

/* One training run: mini-batches of `batch` points drawn with replacement
 * (the whole set, in order, if batch >= n), softmax cross-entropy, one
 * optimiser step each. Every eval_every steps the loss on the whole training
 * set (and on `test`, if given) is recorded in evaluation mode, at
 * curve[0], curve[1], ... (the starting point first). Returns the number of
 * points recorded, or −(step + 1) if the mini-batch loss stopped being finite
 * at that step (the caller decides whether that is an error). */
typedef struct {
    int steps, batch, eval_every;
    const char *label;   /* progress label; NULL: no progress display */
    int quiet;
} TrainSpec;

int train(Mlp *m, Optim *o, const Data *tr, const Data *test, const TrainSpec *t, Rng *r, double *curve,
          double *test_curve);

/* What a section needs written before it runs. require_written(needs) calls
 * each exercise it names once on a hand-made case and, if the result is what
 * the stub leaves (zeros, parameters unchanged), stops the program naming it
 * (exercise.h). */
enum {
    NEED_LAYERS = 1,       /* nn_linear_forward/backward, nn_act_forward/backward */
    NEED_XENT = 2,         /* nn_softmax_xent */
    NEED_DROPOUT = 4,      /* nn_dropout_forward/backward */
    NEED_LAYERNORM = 8,    /* nn_layernorm_forward/backward */
    NEED_SGD = 16,         /* nn_sgd_step */
    NEED_MOMENTUM = 32,    /* nn_momentum_step */
    NEED_ADAM = 64,        /* nn_adam_step */
};
void require_written(unsigned needs);

/* A run the user configured must not silently produce garbage: exit with a
 * message if train returned a divergence (rec < 0). */
void require_trained(int rec, const char *what, float lr);

/* One decision-map panel: P(class 1 | x) for two classes, the predicted class
 * for more, over the data's bounding box in `cells` cells across; the points on top. */
void draw_decision_panel(Plot *p, Mlp *m, const Data *d, int cells);

#endif
