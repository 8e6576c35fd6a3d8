/* mlp — the multilayer perceptron of the course, its optimisers, and its file
 * format (chapter 04; used by chapters 05–15).
 *
 * A network is L linear layers with L − 1 hidden layers between them. Each
 * hidden layer is
 *     linear → [layer norm] → activation g → [dropout]
 * and the output layer is linear (logits, Q-values, predicted noise: the
 * caller applies the loss). The layer functions are those of nn.h.
 *
 * Residual option (spec.residual = 1; He et al. 2016, the blocks of
 * tiny-diffusion's denoiser): every hidden layer l >= 1 whose input and output
 * widths are equal adds its input to its output,
 *     h_l = h_{l−1} + dropout(g(LN(W_l h_{l−1} + b_l)))
 * so the gradient reaches early layers through the identity as well as
 * through the branch. The first layer (it reads the raw input, another space)
 * and the output layer never are residual; mlp_residual_at() says which are.
 *
 *     MlpSpec spec = { .n_layers = 3, .sizes = { 4, 64, 64, 2 }, .act = NN_RELU };
 *     Mlp *net = mlp_create(&spec, 64, &rng);            // max batch 64
 *     Optim *opt = optim_create(OPTIM_ADAM, net->n_params, 1e-3f);
 *     for (...) {
 *         const float *q = mlp_forward(net, x, B, NN_TRAIN);   // (B, 2)
 *         float loss = nn_mse(dq, q, target, B, 2);            // dq = ∂L/∂q (B, 2)
 *         mlp_zero_grad(net);
 *         mlp_backward(net, dq, NULL);                         // grads += ∂L/∂θ
 *         optim_step(opt, net->params, net->grads);
 *     }
 *
 * Memory. One allocation holds every parameter (params, N floats), one the
 * gradients in the same layout (grads), one all activations for max_batch
 * rows. W[l], b[l], ln_gamma[l], ln_beta[l] (and dW[l], ...) are named views
 * into them, layer by layer in this order:
 *     W[0] (sizes[1], sizes[0]), b[0] (sizes[1]), [ln_gamma[0], ln_beta[0] (sizes[1])],
 *     W[1] ..., ..., W[L−1] (sizes[L], sizes[L−1]), b[L−1] (sizes[L])
 * so an optimiser, a copy or a Polyak average is one flat loop over N floats.
 * Nothing is allocated after mlp_create: forward and backward run in the
 * buffers it made.
 *
 * Initialisation (mlp_init; mlp_create calls it when given an Rng), by
 * spec.init:
 *   MLP_INIT_HE (the default, 0):
 *     weights into a relu or gelu layer: He normal, N(0, 2/fan_in) (He et al. 2015);
 *     weights into a tanh or sigmoid layer: Glorot normal, N(0, 2/(fan_in + fan_out))
 *       (Glorot & Bengio 2010);
 *     weights of the linear output layer: LeCun normal, N(0, 1/fan_in);
 *     every bias 0;
 *   MLP_INIT_TORCH (PyTorch's nn.Linear default, to reproduce a PyTorch recipe):
 *     every weight and bias U(−1/√fan_in, 1/√fan_in) (kaiming_uniform_ with
 *     a = √5 gives the weight bound √(6/((1 + a²)·fan_in)) = 1/√fan_in);
 *   either way, layer norm gain γ = 1, shift β = 0.
 *
 * Modes. mlp_forward takes NN_TRAIN or NN_EVAL. They differ only in dropout
 * (train: random masks; eval: identity). Layer norm uses each row's own
 * statistics, so it is the same in both. mlp_backward differentiates the
 * function the last forward computed, in whichever mode it ran.
 *
 * Errors. mlp_create returns NULL for an invalid spec (mlp_spec_error says
 * why); out-of-memory exits (util.h). Calling forward with B > max_batch,
 * backward before forward, or copying between differently shaped networks is
 * a programming error: the program stops with a message. mlp_save and mlp_load
 * return MLP_OK (0) or a negative MlpStatus, with a sentence in err.
 */
#ifndef MLP_H
#define MLP_H
#include <stddef.h>
#include "nn.h"
#include "rng.h"

#define MLP_MAX_LAYERS 8   /* linear layers */

typedef enum { NN_EVAL = 0, NN_TRAIN = 1 } NnMode;

/* How mlp_init draws the parameters (see above). */
typedef enum { MLP_INIT_HE = 0, MLP_INIT_TORCH = 1 } MlpInit;

/* The architecture: everything a saved file must agree on, plus the training
 * settings dropout and init (not stored). Zero-initialised fields are the
 * defaults: no layer norm, no dropout, no residual connections, He init. */
typedef struct {
    int n_layers;                    /* L linear layers, 1..MLP_MAX_LAYERS */
    int sizes[MLP_MAX_LAYERS + 1];   /* widths: sizes[0] input, sizes[1..L−1] hidden, sizes[L] output */
    NnAct act;                       /* hidden activation g */
    int layernorm;                   /* 1: layer norm between each hidden linear and g */
    float dropout;                   /* drop probability after each hidden g, in [0, 1); 0 = none */
    int residual;                    /* 1: h_l = h_{l−1} + branch for hidden layers l >= 1 of equal widths */
    MlpInit init;                    /* initialisation of mlp_init */
} MlpSpec;

typedef struct {
    MlpSpec spec;     /* the architecture */
    int max_batch;    /* rows the activation buffers hold */
    int n_params;     /* N: parameters (and gradients) */
    float *params;    /* (N) every parameter, in the layout above */
    float *grads;     /* (N) ∂L/∂params, same layout; accumulated by mlp_backward */
    float *W[MLP_MAX_LAYERS], *b[MLP_MAX_LAYERS];        /* views into params */
    float *ln_gamma[MLP_MAX_LAYERS], *ln_beta[MLP_MAX_LAYERS];   /* hidden layers, if layernorm; else NULL */
    float *dW[MLP_MAX_LAYERS], *db[MLP_MAX_LAYERS];      /* the same views into grads */
    float *dln_gamma[MLP_MAX_LAYERS], *dln_beta[MLP_MAX_LAYERS];
    /* activations of the last forward pass, (max_batch, width) each; per hidden layer l < L−1: */
    float *x;                         /* (max_batch, sizes[0]) a copy of the input */
    float *z[MLP_MAX_LAYERS];         /* (B, sizes[l+1]) linear output; for l = L−1 this is `out` */
    float *zn[MLP_MAX_LAYERS];        /* layer norm output, or NULL */
    float *ln_mean[MLP_MAX_LAYERS], *ln_rstd[MLP_MAX_LAYERS];   /* (B) saved statistics, or NULL */
    float *a[MLP_MAX_LAYERS];         /* activation output g(zn or z) */
    float *mask[MLP_MAX_LAYERS];      /* dropout mask, or NULL */
    float *h[MLP_MAX_LAYERS];         /* the branch's output (a, or a·mask) */
    float *res[MLP_MAX_LAYERS];       /* residual layers: h_{l−1} + branch, the layer's output; else NULL */
    float *out;                       /* (B, sizes[L]) the network's output */
    float *dbuf[3];                   /* (max_batch, widest) backward scratch */
    float *acts;                      /* the one activation allocation */
    int batch;                        /* B of the last forward, 0 before any */
    NnMode mode;                      /* mode of the last forward */
    Rng rng;                          /* dropout masks */
} Mlp;

/* ---------------------------------------------------------------- the network */

const char *mlp_spec_error(const MlpSpec *s);   /* NULL if s is valid, else why not */
int   mlp_param_count(const MlpSpec *s);        /* N for this architecture (s must be valid) */
/* "4-64-64-2 relu" (+ " +layernorm", " +residual", " +dropout 0.5") into buf; returns buf. */
char *mlp_describe(const MlpSpec *s, char *buf, size_t len);
/* 1 if hidden layer l of a network with spec s adds its input to its output. */
int   mlp_residual_at(const MlpSpec *s, int l);

/* A network for batches of up to max_batch rows. rng seeds the dropout masks
 * and, if not NULL, initialises the parameters (mlp_init); with NULL they are 0
 * (e.g. before mlp_load). NULL if the spec is invalid or max_batch < 1. */
Mlp  *mlp_create(const MlpSpec *s, int max_batch, Rng *rng);
void  mlp_free(Mlp *m);                         /* accepts NULL */
void  mlp_init(Mlp *m, Rng *rng);               /* the initialisation above; grads untouched */

/* Forward pass of x (B, sizes[0]), 1 <= B <= max_batch. Returns the output
 * (B, sizes[L]), which stays valid until the next forward. The activations
 * are kept for mlp_backward, the input as a copy in m->x; a caller that
 * builds its rows in m->x itself passes x = m->x and saves the copy. */
const float *mlp_forward(Mlp *m, const float *x, int B, NnMode mode);

/* Backward pass of the last forward, given dout = ∂L/∂out (B, sizes[L]):
 * grads += ∂L/∂params, and dx (B, sizes[0]) = ∂L/∂x if dx is not NULL (it
 * costs one more matrix product). dout may be any caller's array, m->out
 * included (overwritten with the gradient); dx must not overlap dout. */
void  mlp_backward(Mlp *m, const float *dout, float *dx);
/* Only dx = ∂L/∂x (B, sizes[0]); grads are not touched (chapter 12's
 * guidance, chapter 15's backprop through the sampler). */
void  mlp_input_grad(Mlp *m, const float *dout, float *dx);
void  mlp_zero_grad(Mlp *m);                    /* grads = 0 */

/* dst's parameters = src's (same spec): target networks. */
void  mlp_copy_params(Mlp *dst, const Mlp *src);
/* Polyak averaging, dst ← (1 − τ)·dst + τ·src (same spec), τ in [0, 1]. */
void  mlp_polyak_update(Mlp *dst, const Mlp *src, float tau);
float mlp_grad_norm(const Mlp *m);              /* ‖grads‖₂ */
/* Scale grads so that ‖grads‖₂ <= max_norm; returns the norm before scaling. */
float mlp_clip_grad_norm(Mlp *m, float max_norm);
/* The factor mlp_clip_grad_norm scales by, min(1, max_norm/(‖grads‖₂ + 1e-6)),
 * without scaling; *norm = ‖grads‖₂ if norm is not NULL. With
 * optim_step_scaled it clips and steps in one pass over the parameters. */
float mlp_clip_factor(const Mlp *m, float max_norm, float *norm);

/* ---------------------------------------------------------------- the file format
 *
 * Little-endian, whatever the machine (version 2; the fields marked * are
 * new in it):
 *   offset  bytes        field
 *   0       8            magic "BDDPOMLP"
 *   8       4            version (u32) = MLP_FILE_VERSION
 *   12      4            n_layers L (u32)
 *   16      4            activation (u32, NnAct)
 *   20      4            layernorm (u32, 0 or 1)
 *   24      4          * residual (u32, 0 or 1)
 *   28      4          * K, the length of the note (u32, 0..MLP_NOTE_MAX)
 *   32      4·(L + 1)    sizes (u32 each)
 *   ..      4            N, the parameter count (u32)
 *   ..      K          * the note: K bytes of text, no terminating 0 (what the
 *                        caller wants kept with the weights: chapter 10's
 *                        cache stores what the model was trained from)
 *   ..      4·N          the parameters (IEEE-754 binary32), in the layout above
 *   ..      4            FNV-1a 32-bit checksum of every byte before it
 * Version 1 files (written before residual networks existed: no residual
 * field, no note, the sizes at offset 24) still load, as networks without
 * residual connections. Dropout and init are training settings, not part of
 * the function: they are not stored.
 * mlp_load reads the header first, then the payload, and checks, in this
 * order: it opens, the magic, the version, the header is complete, the
 * architecture equals m's, the length is exactly right, the checksum, every
 * parameter is finite. On any failure m is unchanged. mlp_save writes a
 * temporary file beside path and renames it over path only when complete
 * (afile.h): a failed or interrupted save leaves the old file as it was.
 */
#define MLP_FILE_VERSION 2u
#define MLP_NOTE_MAX 65536   /* bytes */

typedef enum {
    MLP_OK = 0,
    MLP_ERR_IO = -1,         /* cannot open, read or write the file */
    MLP_ERR_MAGIC = -2,      /* not an MLP file of this course */
    MLP_ERR_VERSION = -3,    /* a format version this code does not read */
    MLP_ERR_SHAPE = -4,      /* another architecture (sizes, activation, layer norm, residual) */
    MLP_ERR_TRUNCATED = -5,  /* the file ends early */
    MLP_ERR_CORRUPT = -6,    /* bad checksum, or bytes after the end */
} MlpStatus;

const char *mlp_strerror(int status);           /* one phrase per MlpStatus */
/* Write m's parameters to path. MLP_OK, or MLP_ERR_IO with the reason in err
 * (err may be NULL). */
int mlp_save(const Mlp *m, const char *path, char *err, size_t err_len);
/* Read parameters saved by mlp_save into m, whose spec must match the file's.
 * MLP_OK, or a negative MlpStatus with a sentence in err (may be NULL), e.g.
 * "net.bin: architecture 2-16-2 tanh, this network is 2-8-2 tanh". */
int mlp_load(Mlp *m, const char *path, char *err, size_t err_len);
/* The same with a note: mlp_save_note stores the text note (NULL or "" for
 * none; at most MLP_NOTE_MAX bytes, else MLP_ERR_IO); mlp_load_note copies
 * the file's note into note (note_len bytes, NUL-terminated, cut if longer;
 * "" for a version 1 file; note may be NULL) when it returns MLP_OK. */
int mlp_save_note(const Mlp *m, const char *path, const char *note, char *err, size_t err_len);
int mlp_load_note(Mlp *m, const char *path, char *note, size_t note_len, char *err, size_t err_len);

/* ---------------------------------------------------------------- optimisers
 *
 * One optimiser per flat parameter block; its state (velocity, Adam's m and
 * v) is two more blocks of the same length. optim_step calls the exercise
 * functions of nn.h. Change lr, beta1, ... in the struct at any time.
 *
 * AdamW (Loshchilov & Hutter 2019, Algorithm 2; PyTorch's torch.optim.AdamW)
 * is Adam with DECOUPLED weight decay λ: every step first shrinks every
 * parameter, θ ← θ − lr·λ·θ, then takes the Adam step on the loss gradient
 * alone. (Adding λθ to the gradient instead, "L2 regularisation", lets Adam's
 * per-parameter scaling undo the decay.) Default λ = 0.01, PyTorch's. It
 * decays every parameter of the block, biases included, as PyTorch does when
 * given model.parameters(). Clip the gradient norm (mlp_clip_grad_norm)
 * before optim_step, as torch.nn.utils.clip_grad_norm_ before optimizer.step(). */
typedef enum { OPTIM_SGD, OPTIM_MOMENTUM, OPTIM_ADAM, OPTIM_ADAMW } OptimKind;

typedef struct {
    OptimKind kind;
    float lr;       /* step size */
    float beta1;    /* momentum μ (OPTIM_MOMENTUM) or Adam's β₁; default 0.9 */
    float beta2;    /* Adam's β₂; default 0.999 */
    float eps;      /* Adam's ε; default 1e-8 */
    float weight_decay;   /* AdamW's λ; default 0.01 (other kinds ignore it) */
    int t;          /* steps taken */
    int n;          /* parameters */
    float *m;       /* (n) velocity (momentum) or first moment (Adam); NULL for SGD */
    float *v;       /* (n) second moment (Adam, AdamW), else NULL */
} Optim;

const char *optim_name(OptimKind k);            /* "SGD", "momentum", "Adam", "AdamW" */
Optim *optim_create(OptimKind kind, int n, float lr);   /* zero state, the defaults above */
void   optim_step(Optim *o, float *params, const float *grads);   /* one update, t += 1 */
/* The same update with the gradient scale·grads (grads unchanged): with
 * scale = mlp_clip_factor(...), mlp_clip_grad_norm and optim_step in one
 * pass over the parameters, the same bits. */
void   optim_step_scaled(Optim *o, float *params, const float *grads, float scale);
void   optim_reset(Optim *o);                   /* state and t back to 0 */
void   optim_free(Optim *o);                    /* accepts NULL */

#endif
