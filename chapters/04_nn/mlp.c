/* mlp.c — the multilayer perceptron, its optimisers and its file format
 * (chapter 04; see mlp.h). Nothing in this file is an exercise: it calls the
 * layer functions of nn.c, so with `IMPL=exercises` every network of the
 * chapter runs on your layers.
 *
 * Parts: the architecture, creation and initialisation, forward and backward,
 * parameter utilities, the file format, the optimisers.
 */
#include "mlp.h"
#include "afile.h"
#include "linalg.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MLP_MAX_WIDTH 65536   /* largest layer width a spec may ask for */

/* ================================================================ the architecture */

const char *mlp_spec_error(const MlpSpec *s)
{
    if (!s) return "no spec";
    if (s->n_layers < 1 || s->n_layers > MLP_MAX_LAYERS) return "n_layers must be 1..MLP_MAX_LAYERS (8)";
    for (int l = 0; l <= s->n_layers; l++)
        if (s->sizes[l] < 1 || s->sizes[l] > MLP_MAX_WIDTH) return "every size must be 1..65536";
    if ((int)s->act < 0 || (int)s->act >= NN_N_ACTS) return "unknown activation";
    if (s->layernorm != 0 && s->layernorm != 1) return "layernorm must be 0 or 1";
    if (!(s->dropout >= 0.0f && s->dropout < 1.0f)) return "dropout must be in [0, 1)";
    if (s->residual != 0 && s->residual != 1) return "residual must be 0 or 1";
    if (s->init != MLP_INIT_HE && s->init != MLP_INIT_TORCH) return "unknown initialisation";
    if (s->residual) {
        int any = 0;
        for (int l = 0; l < s->n_layers; l++) any |= mlp_residual_at(s, l);
        if (!any) return "residual: no hidden layer after the first has equal input and output widths";
    }
    double n = 0;
    for (int l = 0; l < s->n_layers; l++) n += (double)s->sizes[l + 1] * (s->sizes[l] + 1 + 2 * s->layernorm);
    if (n > 1 << 30) return "more than 2^30 parameters";
    return NULL;
}

int mlp_residual_at(const MlpSpec *s, int l)
{
    return s->residual && l >= 1 && l < s->n_layers - 1 && s->sizes[l] == s->sizes[l + 1];
}

int mlp_param_count(const MlpSpec *s)
{
    int n = 0;
    for (int l = 0; l < s->n_layers; l++) {
        n += s->sizes[l + 1] * (s->sizes[l] + 1);                      /* W and b */
        if (s->layernorm && l < s->n_layers - 1) n += 2 * s->sizes[l + 1];   /* γ and β */
    }
    return n;
}

char *mlp_describe(const MlpSpec *s, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int l = 0; l <= s->n_layers && k < len; l++)
        k += (size_t)snprintf(buf + k, len - k, "%s%d", l ? "-" : "", s->sizes[l]);
    if (k < len) k += (size_t)snprintf(buf + k, len - k, " %s", nn_act_name(s->act));
    if (k < len && s->layernorm) k += (size_t)snprintf(buf + k, len - k, " +layernorm");
    if (k < len && s->residual) k += (size_t)snprintf(buf + k, len - k, " +residual");
    if (k < len && s->dropout > 0) snprintf(buf + k, len - k, " +dropout %g", s->dropout);
    return buf;
}

static int same_architecture(const MlpSpec *a, const MlpSpec *b)
{
    if (a->n_layers != b->n_layers || a->act != b->act || a->layernorm != b->layernorm || a->residual != b->residual)
        return 0;
    for (int l = 0; l <= a->n_layers; l++)
        if (a->sizes[l] != b->sizes[l]) return 0;
    return 1;
}

/* ================================================================ creation */

Mlp *mlp_create(const MlpSpec *s, int max_batch, Rng *rng)
{
    if (mlp_spec_error(s) || max_batch < 1) return NULL;
    Mlp *m = xcalloc(1, sizeof *m, "the network");
    m->spec = *s;
    m->max_batch = max_batch;
    m->n_params = mlp_param_count(s);
    m->params = xcalloc((size_t)m->n_params, sizeof(float), "the parameters");
    m->grads = xcalloc((size_t)m->n_params, sizeof(float), "the gradients");
    const int L = s->n_layers;

    /* Named views, in the file layout: W, b, [γ, β] per layer. */
    size_t off = 0;
    for (int l = 0; l < L; l++) {
        const size_t in = (size_t)s->sizes[l], out = (size_t)s->sizes[l + 1];
        m->W[l] = m->params + off;  m->dW[l] = m->grads + off;  off += out * in;
        m->b[l] = m->params + off;  m->db[l] = m->grads + off;  off += out;
        if (s->layernorm && l < L - 1) {
            m->ln_gamma[l] = m->params + off;  m->dln_gamma[l] = m->grads + off;  off += out;
            m->ln_beta[l] = m->params + off;   m->dln_beta[l] = m->grads + off;   off += out;
        }
    }
    if (off != (size_t)m->n_params) die(1, "mlp_create: laid out %zu parameters, counted %d", off, m->n_params);

    /* Activations: count first, then carve one block. */
    const size_t mb = (size_t)max_batch;
    int widest = 0;
    for (int l = 0; l <= L; l++) widest = s->sizes[l] > widest ? s->sizes[l] : widest;
    size_t total = mb * (size_t)s->sizes[0] + (s->residual ? 3 : 2) * mb * (size_t)widest;
    for (int l = 0; l < L; l++) {
        const size_t w = (size_t)s->sizes[l + 1];
        total += mb * w;                                          /* z */
        if (l == L - 1) break;
        total += mb * w;                                          /* a */
        if (s->layernorm) total += mb * w + 2 * mb;               /* zn, mean, rstd */
        if (s->dropout > 0) total += 2 * mb * w;                  /* mask, h */
        if (mlp_residual_at(s, l)) total += mb * w;               /* res */
    }
    m->acts = xcalloc(total, sizeof(float), "the activations");   /* zeroed: a stub layer may not write its output */
    float *p = m->acts;
#define CARVE(ptr, count) do { (ptr) = p; p += (count); } while (0)
    CARVE(m->x, mb * (size_t)s->sizes[0]);
    CARVE(m->dbuf[0], mb * (size_t)widest);
    CARVE(m->dbuf[1], mb * (size_t)widest);
    if (s->residual) CARVE(m->dbuf[2], mb * (size_t)widest);
    for (int l = 0; l < L; l++) {
        const size_t w = (size_t)s->sizes[l + 1];
        CARVE(m->z[l], mb * w);
        if (l == L - 1) break;
        CARVE(m->a[l], mb * w);
        if (s->layernorm) {
            CARVE(m->zn[l], mb * w);
            CARVE(m->ln_mean[l], mb);
            CARVE(m->ln_rstd[l], mb);
        }
        if (s->dropout > 0) {
            CARVE(m->mask[l], mb * w);
            CARVE(m->h[l], mb * w);
        } else {
            m->h[l] = m->a[l];
        }
        if (mlp_residual_at(s, l)) CARVE(m->res[l], mb * w);
    }
#undef CARVE
    if ((size_t)(p - m->acts) != total) die(1, "mlp_create: carved %zu activation floats of %zu", (size_t)(p - m->acts), total);
    m->out = m->z[L - 1];

    if (rng) {
        Rng init = rng_split(rng);
        m->rng = rng_split(rng);
        mlp_init(m, &init);
    } else {
        rng_seed(&m->rng, 0x4d4c50);
    }
    return m;
}

void mlp_free(Mlp *m)
{
    if (!m) return;
    free(m->acts);
    free(m->grads);
    free(m->params);
    free(m);
}

/* He (relu, gelu), Glorot (tanh, sigmoid), LeCun (the linear output layer):
 * each keeps the variance of the signal about constant from layer to layer
 * at initialisation (see the README). MLP_INIT_TORCH instead draws what
 * PyTorch's nn.Linear does, so that a PyTorch recipe is reproduced exactly. */
void mlp_init(Mlp *m, Rng *rng)
{
    const MlpSpec *s = &m->spec;
    const int L = s->n_layers;
    for (int l = 0; l < L; l++) {
        const int fan_in = s->sizes[l], fan_out = s->sizes[l + 1];
        if (s->init == MLP_INIT_TORCH) {
            /* W, b ~ U(−1/√fan_in, 1/√fan_in): kaiming_uniform_(a = √5) and nn.Linear's bias */
            const double bound = 1.0 / sqrt((double)fan_in);
            for (int i = 0; i < fan_out * fan_in; i++) m->W[l][i] = (float)rng_uniform_range(rng, -bound, bound);
            for (int o = 0; o < fan_out; o++) m->b[l][o] = (float)rng_uniform_range(rng, -bound, bound);
        } else {
            double var;
            if (l == L - 1) var = 1.0 / fan_in;
            else if (s->act == NN_RELU || s->act == NN_GELU || s->act == NN_GELU_ERF) var = 2.0 / fan_in;
            else var = 2.0 / (fan_in + fan_out);
            const double std = sqrt(var);
            for (int i = 0; i < fan_out * fan_in; i++) m->W[l][i] = (float)(std * rng_normal(rng));
            vec_zero(m->b[l], fan_out);
        }
        if (m->ln_gamma[l]) {
            vec_fill(m->ln_gamma[l], 1.0f, fan_out);
            vec_zero(m->ln_beta[l], fan_out);
        }
    }
}

/* ================================================================ forward and backward */

/* Dropout is active in this forward pass. */
static int dropping(const Mlp *m) { return m->mode == NN_TRAIN && m->spec.dropout > 0; }

/* The input that layer l saw in the last forward pass: the output of hidden
 * layer l − 1 (its residual sum, or its branch: a, or a·mask when dropping). */
static const float *layer_input(const Mlp *m, int l)
{
    if (l == 0) return m->x;
    if (m->res[l - 1]) return m->res[l - 1];
    return dropping(m) ? m->h[l - 1] : m->a[l - 1];
}

const float *mlp_forward(Mlp *m, const float *x, int B, NnMode mode)
{
    const MlpSpec *s = &m->spec;
    if (B < 1 || B > m->max_batch) die(1, "mlp_forward: batch of %d rows; this network holds 1..%d", B, m->max_batch);
    const int L = s->n_layers;
    m->batch = B;
    m->mode = mode;
    if (x != m->x) memcpy(m->x, x, (size_t)B * (size_t)s->sizes[0] * sizeof *x);
    const float *in = m->x;
    for (int l = 0; l < L; l++) {
        const int w = s->sizes[l + 1];
        nn_linear_forward(m->z[l], in, m->W[l], m->b[l], B, s->sizes[l], w);
        if (l == L - 1) break;
        const float *pre = m->z[l];
        if (s->layernorm) {
            nn_layernorm_forward(m->zn[l], m->ln_mean[l], m->ln_rstd[l], m->z[l], m->ln_gamma[l], m->ln_beta[l], B, w);
            pre = m->zn[l];
        }
        nn_act_forward(m->a[l], pre, B * w, s->act);
        const float *branch = m->a[l];
        if (dropping(m)) {
            nn_dropout_forward(m->h[l], m->mask[l], m->a[l], B * w, s->dropout, 1, &m->rng);
            branch = m->h[l];
        }
        if (m->res[l]) {
            /* h_l = h_{l−1} + branch: the residual connection */
            float *restrict r = m->res[l];
            for (int i = 0; i < B * w; i++) r[i] = in[i] + branch[i];
            branch = r;
        }
        in = branch;
    }
    return m->out;
}

/* The backward pass, from the output layer down. The gradient travels in the
 * two scratch buffers: each step reads one and writes the other (or works in
 * place where the layer allows it), so nothing is allocated or zeroed. A
 * residual layer's output gradient is also kept in a third buffer (`skip`):
 * it reaches the layer's input directly, through the identity, and is added
 * to what comes back through the branch. */
static void backward(Mlp *m, const float *dout, float *dx, int param_grads)
{
    const MlpSpec *s = &m->spec;
    if (m->batch < 1) die(1, "mlp_backward: no forward pass to differentiate");
    const int L = s->n_layers, B = m->batch;
    const float *g = dout;      /* ∂L/∂z_l, the gradient at layer l's linear output */
    const float *skip = NULL;   /* ∂L/∂h_l when layer l is residual, else NULL */
    for (int l = L - 1; l >= 0; l--) {
        const int in_w = s->sizes[l], out_w = s->sizes[l + 1];
        float *din = l == 0 ? dx : (g == m->dbuf[0] ? m->dbuf[1] : m->dbuf[0]);
        if (l == 0 && !din && !param_grads) return;
        nn_linear_backward(din, param_grads ? m->dW[l] : NULL, param_grads ? m->db[l] : NULL, g,
                           layer_input(m, l), m->W[l], B, in_w, out_w);
        if (skip) vec_axpy(din, 1.0f, skip, B * in_w);   /* h_l = h_{l−1} + branch: ∂L/∂h_{l−1} += ∂L/∂h_l */
        if (l == 0) return;
        /* back through hidden layer l−1: [residual], dropout, activation, layer norm */
        const int k = l - 1, n = B * in_w;
        skip = NULL;
        if (m->res[k]) {
            memcpy(m->dbuf[2], din, (size_t)n * sizeof *din);
            skip = m->dbuf[2];
        }
        if (dropping(m)) nn_dropout_backward(din, din, m->mask[k], n);
        nn_act_backward(din, din, s->layernorm ? m->zn[k] : m->z[k], m->a[k], n, s->act);
        g = din;
        if (s->layernorm) {
            float *other = din == m->dbuf[0] ? m->dbuf[1] : m->dbuf[0];
            nn_layernorm_backward(other, param_grads ? m->dln_gamma[k] : NULL, param_grads ? m->dln_beta[k] : NULL,
                                  din, m->z[k], m->ln_mean[k], m->ln_rstd[k], m->ln_gamma[k], B, in_w);
            g = other;
        }
    }
}

void mlp_backward(Mlp *m, const float *dout, float *dx) { backward(m, dout, dx, 1); }

void mlp_input_grad(Mlp *m, const float *dout, float *dx)
{
    if (dx) backward(m, dout, dx, 0);
}

void mlp_zero_grad(Mlp *m) { memset(m->grads, 0, (size_t)m->n_params * sizeof *m->grads); }

/* ================================================================ parameter utilities */

static void need_same(const Mlp *a, const Mlp *b, const char *who)
{
    if (!same_architecture(&a->spec, &b->spec)) {
        char da[128], db[128];
        die(1, "%s: networks differ (%s vs %s)", who, mlp_describe(&a->spec, da, sizeof da),
            mlp_describe(&b->spec, db, sizeof db));
    }
}

void mlp_copy_params(Mlp *dst, const Mlp *src)
{
    need_same(dst, src, "mlp_copy_params");
    memcpy(dst->params, src->params, (size_t)dst->n_params * sizeof *dst->params);
}

void mlp_polyak_update(Mlp *dst, const Mlp *src, float tau)
{
    need_same(dst, src, "mlp_polyak_update");
    float *restrict d = dst->params;
    const float *restrict s = src->params;
    for (int i = 0; i < dst->n_params; i++) d[i] += tau * (s[i] - d[i]);
}

/* The sum of squares in double, in 32 lanes (lane l: the terms i ≡ l mod 32)
 * added in a fixed tree: one chain of 10⁵ dependent additions would take
 * ~4 cycles each (tiny-diffusion's step spent 15% of its time here); 32
 * chains are four independent vectors of 8 doubles. Each square is exact in
 * double; rounded to float, the result is the sequential sum's except in the
 * rare case that the two double sums straddle a float rounding boundary. */
float mlp_grad_norm(const Mlp *m)
{
    enum { LANES = 32 };
    double s[LANES] = { 0 };
    const float *g = m->grads;
    const int n = m->n_params, nl = n - n % LANES;
    for (int i = 0; i < nl; i += LANES)
        for (int l = 0; l < LANES; l++) s[l] += (double)g[i + l] * g[i + l];
    for (int i = nl; i < n; i++) s[i - nl] += (double)g[i] * g[i];
    for (int w = LANES / 2; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) s[l] += s[l + w];
    return (float)sqrt(s[0]);
}

/* As torch.nn.utils.clip_grad_norm_: max_norm/(norm + 1e-6) if that is < 1. */
float mlp_clip_factor(const Mlp *m, float max_norm, float *norm)
{
    const float nrm = mlp_grad_norm(m), scale = max_norm / (nrm + 1e-6f);
    if (norm) *norm = nrm;
    return scale < 1.0f ? scale : 1.0f;
}

float mlp_clip_grad_norm(Mlp *m, float max_norm)
{
    float norm;
    const float scale = mlp_clip_factor(m, max_norm, &norm);
    if (scale < 1.0f) vec_scale(m->grads, scale, m->n_params);
    return norm;
}

/* ================================================================ the file format */

static const unsigned char MAGIC[8] = { 'B', 'D', 'D', 'P', 'O', 'M', 'L', 'P' };
#define FIXED_V1 24   /* magic, version, n_layers, act, layernorm */
#define FIXED_V2 32   /* ... and residual, the note's length */

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}
static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint32_t fnv1a(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; }
    return h;
}
/* Bytes of a file of format version `fixed` (its fixed header's length)
 * holding L layers, a note of K bytes and N parameters. */
static size_t file_size(size_t fixed, int n_layers, size_t note_len, size_t n_params)
{
    return fixed + 4 * ((size_t)n_layers + 1) + 4 + note_len + 4 * n_params + 4;
}

static int fail(char *err, size_t len, int status, const char *fmt, ...)
{
    if (err && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, len, fmt, ap);
        va_end(ap);
    }
    return status;
}

const char *mlp_strerror(int status)
{
    switch (status) {
    case MLP_OK: return "ok";
    case MLP_ERR_IO: return "cannot read or write the file";
    case MLP_ERR_MAGIC: return "not a network file of this course (bad magic number)";
    case MLP_ERR_VERSION: return "unsupported file format version";
    case MLP_ERR_SHAPE: return "the file holds another architecture";
    case MLP_ERR_TRUNCATED: return "the file is truncated";
    case MLP_ERR_CORRUPT: return "the file is corrupt (checksum or length)";
    default: return "unknown status";
    }
}

int mlp_save(const Mlp *m, const char *path, char *err, size_t err_len) { return mlp_save_note(m, path, NULL, err, err_len); }

int mlp_save_note(const Mlp *m, const char *path, const char *note, char *err, size_t err_len)
{
    const MlpSpec *s = &m->spec;
    const size_t K = note ? strlen(note) : 0;
    if (K > MLP_NOTE_MAX)
        return fail(err, err_len, MLP_ERR_IO, "%s: a note of %zu bytes; the format holds at most %d", path, K, MLP_NOTE_MAX);
    const size_t size = file_size(FIXED_V2, s->n_layers, K, (size_t)m->n_params);
    unsigned char *buf = xmalloc(size, "the file image"), *p = buf;
    memcpy(p, MAGIC, 8); p += 8;
    put_u32(p, MLP_FILE_VERSION); p += 4;
    put_u32(p, (uint32_t)s->n_layers); p += 4;
    put_u32(p, (uint32_t)s->act); p += 4;
    put_u32(p, (uint32_t)s->layernorm); p += 4;
    put_u32(p, (uint32_t)s->residual); p += 4;
    put_u32(p, (uint32_t)K); p += 4;
    for (int l = 0; l <= s->n_layers; l++) { put_u32(p, (uint32_t)s->sizes[l]); p += 4; }
    put_u32(p, (uint32_t)m->n_params); p += 4;
    if (K) { memcpy(p, note, K); p += K; }
    for (int i = 0; i < m->n_params; i++) {
        uint32_t bits;
        memcpy(&bits, &m->params[i], 4);
        put_u32(p, bits); p += 4;
    }
    put_u32(p, fnv1a(buf, (size_t)(p - buf))); p += 4;
    if ((size_t)(p - buf) != size) die(1, "mlp_save: wrote %zu bytes of %zu", (size_t)(p - buf), size);

    /* Into a temporary file renamed over path when complete (afile.h): an
     * interrupted or failed save leaves the previous checkpoint as it was. */
    char why[512];
    int status = MLP_OK;
    AFile a;
    FILE *f = afile_open(&a, path, why, sizeof why);
    if (!f) {
        status = fail(err, err_len, MLP_ERR_IO, "%s", why);
    } else {
        fwrite(buf, 1, size, f);
        if (afile_commit(&a, AFILE_ANY, why, sizeof why) != 0) status = fail(err, err_len, MLP_ERR_IO, "%s", why);
    }
    free(buf);
    return status;
}

/* Read up to n bytes (fewer only at the end of the file); *error set on a read error. */
static size_t read_some(FILE *f, unsigned char *buf, size_t n, int *error)
{
    size_t got = fread(buf, 1, n, f);
    if (ferror(f)) *error = 1;
    return got;
}

int mlp_load(Mlp *m, const char *path, char *err, size_t err_len) { return mlp_load_note(m, path, NULL, 0, err, err_len); }

int mlp_load_note(Mlp *m, const char *path, char *note, size_t note_len, char *err, size_t err_len)
{
    const MlpSpec *s = &m->spec;
    FILE *f = fopen(path, "rb");
    if (!f) return fail(err, err_len, MLP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    /* The header first, and the architecture it describes compared with m's,
     * before the payload: a whole file of another network is "another
     * architecture", whatever its length. hdr holds the header of any valid
     * file (at most MLP_MAX_LAYERS + 1 sizes). */
    unsigned char hdr[FIXED_V2 + 4 * (MLP_MAX_LAYERS + 1) + 4], *buf = NULL;
    int read_error = 0, status = MLP_OK;
    size_t have = read_some(f, hdr, 12, &read_error);
    char da[128], db[128];

#define FAIL(st, ...) do { status = fail(err, err_len, (st), __VA_ARGS__); goto done; } while (0)
    if (read_error) FAIL(MLP_ERR_IO, "%s: read error", path);
    if (memcmp(hdr, MAGIC, have < 8 ? have : 8) != 0)
        FAIL(MLP_ERR_MAGIC, "%s: not a network file of this course (it does not start with \"BDDPOMLP\")", path);
    if (have < 12) FAIL(MLP_ERR_TRUNCATED, "%s: truncated after %zu bytes, inside the header", path, have);
    uint32_t version = get_u32(hdr + 8);
    if (version != 1 && version != MLP_FILE_VERSION)
        FAIL(MLP_ERR_VERSION, "%s: format version %u; this code reads versions 1 and %u", path, version, MLP_FILE_VERSION);
    /* version 1: no residual field (0) and no note */
    const size_t fixed = version == 1 ? FIXED_V1 : FIXED_V2;
    have += read_some(f, hdr + 12, fixed - 12, &read_error);
    if (read_error) FAIL(MLP_ERR_IO, "%s: read error", path);
    if (have < fixed) FAIL(MLP_ERR_TRUNCATED, "%s: truncated after %zu bytes, inside the header", path, have);
    MlpSpec fs = { 0 };
    uint32_t nl = get_u32(hdr + 12), act = get_u32(hdr + 16), ln = get_u32(hdr + 20);
    uint32_t res = version == 1 ? 0 : get_u32(hdr + 24), K = version == 1 ? 0 : get_u32(hdr + 28);
    if (nl < 1 || nl > MLP_MAX_LAYERS || act >= NN_N_ACTS || ln > 1 || res > 1)
        FAIL(MLP_ERR_SHAPE, "%s: unsupported architecture (%u layers, activation %u, layernorm %u, residual %u)", path,
             nl, act, ln, res);
    if (K > MLP_NOTE_MAX) FAIL(MLP_ERR_CORRUPT, "%s: its note would be %u bytes, more than the format's %d", path, K, MLP_NOTE_MAX);
    fs.n_layers = (int)nl;
    fs.act = (NnAct)act;
    fs.layernorm = (int)ln;
    fs.residual = (int)res;
    const size_t hdr_len = fixed + 4 * ((size_t)nl + 1) + 4;
    have += read_some(f, hdr + fixed, hdr_len - fixed, &read_error);
    if (read_error) FAIL(MLP_ERR_IO, "%s: read error", path);
    if (have < hdr_len) FAIL(MLP_ERR_TRUNCATED, "%s: truncated after %zu bytes, inside the header", path, have);
    for (uint32_t l = 0; l <= nl; l++) {
        uint32_t w = get_u32(hdr + fixed + 4 * l);
        fs.sizes[l] = w > MLP_MAX_WIDTH ? 0 : (int)w;   /* 0 never matches a valid spec */
    }
    if (!same_architecture(&fs, s))
        FAIL(MLP_ERR_SHAPE, "%s: architecture %s, this network is %s", path, mlp_describe(&fs, da, sizeof da),
             mlp_describe(s, db, sizeof db));
    uint32_t n = get_u32(hdr + hdr_len - 4);
    if (n != (uint32_t)m->n_params)
        FAIL(MLP_ERR_CORRUPT, "%s: header says %u parameters, the architecture has %d", path, n, m->n_params);

    /* The payload: the note, N parameters and the checksum; one byte more shows a longer file. */
    const size_t want = file_size(fixed, s->n_layers, K, (size_t)m->n_params), params_at = hdr_len + K;
    buf = xmalloc(want + 1, "the file image");
    memcpy(buf, hdr, hdr_len);
    have += read_some(f, buf + hdr_len, want + 1 - hdr_len, &read_error);
    if (read_error) FAIL(MLP_ERR_IO, "%s: read error", path);
    if (have < want)
        FAIL(MLP_ERR_TRUNCATED, "%s: truncated: %zu bytes of the %zu its header describes", path, have, want);
    if (have > want) FAIL(MLP_ERR_CORRUPT, "%s: longer than the %zu bytes its header describes", path, want);
    if (fnv1a(buf, want - 4) != get_u32(buf + want - 4))
        FAIL(MLP_ERR_CORRUPT, "%s: checksum mismatch: the parameters were changed or damaged", path);
    /* A diverged network saves NaN or infinite weights with a valid checksum:
     * refuse them rather than hand the caller a network that outputs NaN. */
    for (int i = 0; i < m->n_params; i++) {
        uint32_t bits = get_u32(buf + params_at + 4 * (size_t)i);
        float v;
        memcpy(&v, &bits, 4);
        if (!isfinite(v))
            FAIL(MLP_ERR_CORRUPT, "%s: parameter %d of %d is %s: the network had diverged when it was saved "
                 "(retrain with a lower learning rate)", path, i, m->n_params, isnan(v) ? "NaN" : "infinite");
    }
    for (int i = 0; i < m->n_params; i++) {
        uint32_t bits = get_u32(buf + params_at + 4 * (size_t)i);
        memcpy(&m->params[i], &bits, 4);
    }
    if (note && note_len) {
        const size_t c = K < note_len - 1 ? K : note_len - 1;
        memcpy(note, buf + hdr_len, c);
        note[c] = '\0';
    }
#undef FAIL
done:
    fclose(f);
    free(buf);
    return status;
}

/* ================================================================ optimisers */

const char *optim_name(OptimKind k)
{
    return k == OPTIM_SGD ? "SGD" : k == OPTIM_MOMENTUM ? "momentum" : k == OPTIM_ADAM ? "Adam"
         : k == OPTIM_ADAMW ? "AdamW" : "?";
}

Optim *optim_create(OptimKind kind, int n, float lr)
{
    Optim *o = xcalloc(1, sizeof *o, "the optimiser");
    o->kind = kind;
    o->lr = lr;
    o->beta1 = 0.9f;
    o->beta2 = 0.999f;
    o->eps = 1e-8f;
    o->weight_decay = 0.01f;
    o->n = n;
    if (kind != OPTIM_SGD) o->m = xcalloc((size_t)n, sizeof(float), "the optimiser's first moment");
    if (kind == OPTIM_ADAM || kind == OPTIM_ADAMW)
        o->v = xcalloc((size_t)n, sizeof(float), "the optimiser's second moment");
    return o;
}

/* In chunks of OPTIM_CHUNK parameters: a chunk's passes (the scaled
 * gradient, AdamW's decay, the exercise's step) run while it is in L1 cache,
 * instead of each pass streaming the whole block (tiny-diffusion's 99,074
 * parameters, their gradients and Adam's m and v, 1.6 MB, do not fit in L2).
 * Every update is elementwise, so the result is the same bits as one pass
 * each over the whole block. */
#define OPTIM_CHUNK 4096

void optim_step_scaled(Optim *o, float *params, const float *grads, float scale)
{
    o->t++;
    float buf[OPTIM_CHUNK];
    for (int i0 = 0; i0 < o->n; i0 += OPTIM_CHUNK) {
        const int k = o->n - i0 < OPTIM_CHUNK ? o->n - i0 : OPTIM_CHUNK;
        float *p = params + i0, *m = o->m ? o->m + i0 : NULL, *v = o->v ? o->v + i0 : NULL;
        const float *g = grads + i0;
        if (scale != 1.0f) {
            for (int j = 0; j < k; j++) buf[j] = g[j] * scale;
            g = buf;
        }
        switch (o->kind) {
        case OPTIM_SGD: nn_sgd_step(p, g, k, o->lr); break;
        case OPTIM_MOMENTUM: nn_momentum_step(p, m, g, k, o->lr, o->beta1); break;
        case OPTIM_ADAM: nn_adam_step(p, m, v, g, k, o->lr, o->beta1, o->beta2, o->eps, o->t); break;
        case OPTIM_ADAMW:
            /* decoupled weight decay first, θ ← (1 − lr·λ)·θ (torch.optim.AdamW), then Adam on g alone */
            vec_scale(p, 1.0f - o->lr * o->weight_decay, k);
            nn_adam_step(p, m, v, g, k, o->lr, o->beta1, o->beta2, o->eps, o->t);
            break;
        }
    }
}

void optim_step(Optim *o, float *params, const float *grads) { optim_step_scaled(o, params, grads, 1.0f); }

void optim_reset(Optim *o)
{
    o->t = 0;
    if (o->m) vec_zero(o->m, o->n);
    if (o->v) vec_zero(o->v, o->n);
}

void optim_free(Optim *o)
{
    if (!o) return;
    free(o->m);
    free(o->v);
    free(o);
}
