/* gen_train.c — a VAE and a GAN from chapter 04's MLP, trained with the
 * exercises of gen.c (chapter 09; see gen_train.h). Nothing in this file is
 * an exercise.
 */
#include "gen_train.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An MLP spec: in → hidden × layers (ReLU) → out. */
static MlpSpec spec_of(int in, int hidden, int layers, int out)
{
    MlpSpec s = { .n_layers = layers + 1, .act = NN_RELU };
    s.sizes[0] = in;
    for (int l = 1; l <= layers; l++) s.sizes[l] = hidden;
    s.sizes[layers + 1] = out;
    return s;
}

const char *gen_config_error(int D, int Z, int hidden, int layers, int batch)
{
    if (D < 1 || D > 65536) return "the data dimension must be 1..65536";
    if (Z < 1 || Z > 4096) return "the latent dimension must be 1..4096";
    if (hidden < 1 || hidden > 65536) return "the hidden width must be 1..65536";
    if (layers < 1 || layers > MLP_MAX_LAYERS - 1) return "hidden layers must be 1..7";
    if (batch < 1 || batch > 1 << 20) return "the batch must be 1..2^20";
    return NULL;
}

static float *falloc(size_t n, const char *what) { return xcalloc(n ? n : 1, sizeof(float), what); }

/* Forward n rows through m in chunks of its max batch; out (n, out width). */
static void forward_chunked(Mlp *m, const float *x, int n, float *out)
{
    const int in_w = m->spec.sizes[0], out_w = m->spec.sizes[m->spec.n_layers];
    for (int i = 0; i < n; i += m->max_batch) {
        int b = n - i < m->max_batch ? n - i : m->max_batch;
        const float *y = mlp_forward(m, x + (size_t)i * in_w, b, NN_EVAL);
        memcpy(out + (size_t)i * out_w, y, (size_t)b * out_w * sizeof *y);
    }
}

static void fill_normal(float *x, size_t n, Rng *rng)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)rng_normal(rng);
}

/* ================================================================ the VAE */

VaeConfig vae_default_config(int D, int Z)
{
    return (VaeConfig){ .D = D, .Z = Z, .hidden = 128, .layers = 2, .sigma_x = 0.1, .beta = 1.0, .lr = 1e-3f,
                        .batch = 256 };
}

Vae *vae_create(const VaeConfig *c, Rng *rng)
{
    if (gen_config_error(c->D, c->Z, c->hidden, c->layers, c->batch) || !(c->sigma_x > 0) || !(c->beta >= 0))
        return NULL;
    Vae *v = xcalloc(1, sizeof *v, "the VAE");
    v->cfg = *c;
    const int B = c->batch, D = c->D, Z = c->Z;
    MlpSpec se = spec_of(D, c->hidden, c->layers, 2 * Z), sd = spec_of(Z, c->hidden, c->layers, D);
    v->enc = mlp_create(&se, B, rng);
    v->dec = mlp_create(&sd, B, rng);
    if (!v->enc || !v->dec) die(1, "vae_create: %s", mlp_spec_error(v->enc ? &sd : &se));
    v->oe = optim_create(OPTIM_ADAM, v->enc->n_params, c->lr);
    v->od = optim_create(OPTIM_ADAM, v->dec->n_params, c->lr);
    const size_t bz = (size_t)B * Z;
    v->mu = falloc(bz, "mu");
    v->logvar = falloc(bz, "logvar");
    v->eps = falloc(bz, "eps");
    v->z = falloc(bz, "z");
    v->dz = falloc(bz, "dz");
    v->dmu = falloc(bz, "dmu");
    v->dlogvar = falloc(bz, "dlogvar");
    v->denc = falloc(2 * bz, "denc");
    v->dxhat = falloc((size_t)B * D, "dxhat");
    return v;
}

void vae_free(Vae *v)
{
    if (!v) return;
    mlp_free(v->enc); mlp_free(v->dec);
    optim_free(v->oe); optim_free(v->od);
    free(v->mu); free(v->logvar); free(v->eps); free(v->z); free(v->dz); free(v->dmu); free(v->dlogvar);
    free(v->denc); free(v->dxhat);
    free(v);
}

/* Encode x (B rows), split the output into μ and log σ², and reparameterise
 * with the noise eps (B, Z): z = μ + σ ε (v->eps keeps a copy for backward). */
static void vae_encode_sample(Vae *v, const float *x, const float *eps, int B, NnMode mode)
{
    const int Z = v->cfg.Z;
    const float *h = mlp_forward(v->enc, x, B, mode);   /* (B, 2Z): [μ | log σ²] per row */
    for (int i = 0; i < B; i++) {
        memcpy(v->mu + (size_t)i * Z, h + (size_t)i * 2 * Z, (size_t)Z * sizeof *h);
        memcpy(v->logvar + (size_t)i * Z, h + (size_t)i * 2 * Z + Z, (size_t)Z * sizeof *h);
    }
    if (eps != v->eps) memcpy(v->eps, eps, (size_t)B * Z * sizeof *eps);
    vae_reparam(v->z, v->mu, v->logvar, v->eps, B * Z);
}

VaeStats vae_grad(Vae *v, const float *x, const float *eps, int B)
{
    const VaeConfig *c = &v->cfg;
    const int Z = c->Z;
    if (B < 1 || B > c->batch) die(1, "vae_grad: batch of %d rows; this VAE takes 1..%d", B, c->batch);
    VaeStats st;
    /* forward: x → (μ, log σ²) → z = μ + σε → x̂ */
    vae_encode_sample(v, x, eps, B, NN_TRAIN);
    const float *xhat = mlp_forward(v->dec, v->z, B, NN_TRAIN);
    /* loss: −ELBO = rec + β·KL; writes ∂L/∂x̂ and the KL's ∂L/∂μ, ∂L/∂log σ² */
    st.loss = vae_loss(v->dxhat, v->dmu, v->dlogvar, x, xhat, v->mu, v->logvar, B, c->D, Z, c->sigma_x, c->beta,
                       &st.rec, &st.kl);
    /* backward: decoder (grads and ∂L/∂z), then z's path into μ and log σ², then the encoder */
    mlp_zero_grad(v->dec);
    mlp_backward(v->dec, v->dxhat, v->dz);
    vae_reparam_backward(v->dmu, v->dlogvar, v->dz, v->logvar, v->eps, B * Z);
    for (int i = 0; i < B; i++) {
        memcpy(v->denc + (size_t)i * 2 * Z, v->dmu + (size_t)i * Z, (size_t)Z * sizeof *v->denc);
        memcpy(v->denc + (size_t)i * 2 * Z + Z, v->dlogvar + (size_t)i * Z, (size_t)Z * sizeof *v->denc);
    }
    mlp_zero_grad(v->enc);
    mlp_backward(v->enc, v->denc, NULL);
    return st;
}

VaeStats vae_step(Vae *v, const float *x, int B, Rng *rng)
{
    if (B < 1 || B > v->cfg.batch) die(1, "vae_step: batch of %d rows; this VAE takes 1..%d", B, v->cfg.batch);
    fill_normal(v->eps, (size_t)B * v->cfg.Z, rng);
    VaeStats st = vae_grad(v, x, v->eps, B);
    optim_step(v->oe, v->enc->params, v->enc->grads);
    optim_step(v->od, v->dec->params, v->dec->grads);
    return st;
}

VaeStats vae_evaluate(Vae *v, const float *x, int n, Rng *rng)
{
    const VaeConfig *c = &v->cfg;
    VaeStats sum = { 0, 0, 0 };
    for (int i = 0; i < n; i += c->batch) {
        int b = n - i < c->batch ? n - i : c->batch;
        const float *xb = x + (size_t)i * c->D;
        fill_normal(v->eps, (size_t)b * c->Z, rng);
        vae_encode_sample(v, xb, v->eps, b, NN_EVAL);
        const float *xhat = mlp_forward(v->dec, v->z, b, NN_EVAL);
        double rec, kl, loss = vae_loss(v->dxhat, v->dmu, v->dlogvar, xb, xhat, v->mu, v->logvar, b, c->D, c->Z,
                                        c->sigma_x, c->beta, &rec, &kl);
        sum.loss += loss * b / n;
        sum.rec += rec * b / n;
        sum.kl += kl * b / n;
    }
    return sum;
}

void vae_sample(Vae *v, int n, Rng *rng, float *x)
{
    const int Z = v->cfg.Z, D = v->cfg.D;
    for (int i = 0; i < n; i += v->cfg.batch) {
        int b = n - i < v->cfg.batch ? n - i : v->cfg.batch;
        fill_normal(v->z, (size_t)b * Z, rng);
        const float *y = mlp_forward(v->dec, v->z, b, NN_EVAL);
        memcpy(x + (size_t)i * D, y, (size_t)b * D * sizeof *y);
    }
}

void vae_encode_mean(Vae *v, const float *x, int n, float *mu)
{
    const int Z = v->cfg.Z, D = v->cfg.D;
    for (int i = 0; i < n; i += v->cfg.batch) {
        int b = n - i < v->cfg.batch ? n - i : v->cfg.batch;
        const float *h = mlp_forward(v->enc, x + (size_t)i * D, b, NN_EVAL);
        for (int r = 0; r < b; r++) memcpy(mu + (size_t)(i + r) * Z, h + (size_t)r * 2 * Z, (size_t)Z * sizeof *h);
    }
}

void vae_reconstruct(Vae *v, const float *x, int n, float *xhat)
{
    const int Z = v->cfg.Z, D = v->cfg.D;
    for (int i = 0; i < n; i += v->cfg.batch) {
        int b = n - i < v->cfg.batch ? n - i : v->cfg.batch;
        const float *h = mlp_forward(v->enc, x + (size_t)i * D, b, NN_EVAL);
        for (int r = 0; r < b; r++) memcpy(v->z + (size_t)r * Z, h + (size_t)r * 2 * Z, (size_t)Z * sizeof *h);
        const float *y = mlp_forward(v->dec, v->z, b, NN_EVAL);
        memcpy(xhat + (size_t)i * D, y, (size_t)b * D * sizeof *y);
    }
}

/* ================================================================ the GAN */

GanConfig gan_default_config(int D)
{
    return (GanConfig){ .D = D, .Z = 16, .hidden = 128, .layers = 2, .loss = GAN_NONSATURATING, .lr_g = 2e-4f,
                        .lr_d = 2e-4f, .beta1 = 0.5f, .batch = 256 };
}

Gan *gan_create(const GanConfig *c, Rng *rng)
{
    if (gen_config_error(c->D, c->Z, c->hidden, c->layers, c->batch)) return NULL;
    Gan *g = xcalloc(1, sizeof *g, "the GAN");
    g->cfg = *c;
    const int B = c->batch;
    MlpSpec sg = spec_of(c->Z, c->hidden, c->layers, c->D), sd = spec_of(c->D, c->hidden, c->layers, 1);
    g->G = mlp_create(&sg, B, rng);
    g->Dn = mlp_create(&sd, 2 * B, rng);   /* the discriminator sees real and generated rows in one batch */
    if (!g->G || !g->Dn) die(1, "gan_create: %s", mlp_spec_error(g->G ? &sd : &sg));
    g->og = optim_create(OPTIM_ADAM, g->G->n_params, c->lr_g);
    g->od = optim_create(OPTIM_ADAM, g->Dn->n_params, c->lr_d);
    g->og->beta1 = g->od->beta1 = c->beta1;
    g->z = falloc((size_t)B * c->Z, "z");
    g->xboth = falloc((size_t)2 * B * c->D, "x");
    g->dlogit = falloc((size_t)2 * B, "dlogit");
    g->dx = falloc((size_t)B * c->D, "dx");
    return g;
}

void gan_free(Gan *g)
{
    if (!g) return;
    mlp_free(g->G); mlp_free(g->Dn);
    optim_free(g->og); optim_free(g->od);
    free(g->z); free(g->xboth); free(g->dlogit); free(g->dx);
    free(g);
}

static double mean_sigmoid(const float *logit, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += 1.0 / (1.0 + exp(-(double)logit[i]));
    return s / n;
}

double gan_discriminator_grad(Gan *g, const float *x_real, const float *z, int B, GanStats *st)
{
    const GanConfig *c = &g->cfg;
    const int D = c->D;
    if (B < 1 || B > c->batch) die(1, "gan_discriminator_grad: batch of %d rows; this GAN takes 1..%d", B, c->batch);
    /* rows 0..B−1 real, B..2B−1 generated (a constant here: no gradient into G) */
    memcpy(g->xboth, x_real, (size_t)B * D * sizeof *x_real);
    const float *xf = mlp_forward(g->G, z, B, NN_TRAIN);
    memcpy(g->xboth + (size_t)B * D, xf, (size_t)B * D * sizeof *xf);
    const float *logit = mlp_forward(g->Dn, g->xboth, 2 * B, NN_TRAIN);
    double loss = gan_d_loss(g->dlogit, g->dlogit + B, logit, logit + B, B);
    if (st) {
        st->d_real = mean_sigmoid(logit, B);
        st->d_fake = mean_sigmoid(logit + B, B);
        st->d_loss = loss;
    }
    mlp_zero_grad(g->Dn);
    mlp_backward(g->Dn, g->dlogit, NULL);
    return loss;
}

double gan_generator_grad(Gan *g, const float *z, int B)
{
    if (B < 1 || B > g->cfg.batch) die(1, "gan_generator_grad: batch of %d rows; this GAN takes 1..%d", B, g->cfg.batch);
    /* z → G(z) → D's logit; ∂L_G/∂logit → (through D's input) ∂L_G/∂x → G's parameters */
    const float *xf = mlp_forward(g->G, z, B, NN_TRAIN);
    const float *logit = mlp_forward(g->Dn, xf, B, NN_TRAIN);
    double loss = gan_g_loss(g->dlogit, logit, B, g->cfg.loss);
    mlp_input_grad(g->Dn, g->dlogit, g->dx);   /* D's parameters get no gradient from the G step */
    mlp_zero_grad(g->G);
    mlp_backward(g->G, g->dx, NULL);
    return loss;
}

GanStats gan_step(Gan *g, const float *x_real, int B, Rng *rng)
{
    const GanConfig *c = &g->cfg;
    if (B < 1 || B > c->batch) die(1, "gan_step: batch of %d rows; this GAN takes 1..%d", B, c->batch);
    GanStats st;
    fill_normal(g->z, (size_t)B * c->Z, rng);
    gan_discriminator_grad(g, x_real, g->z, B, &st);
    optim_step(g->od, g->Dn->params, g->Dn->grads);
    fill_normal(g->z, (size_t)B * c->Z, rng);
    st.g_loss = gan_generator_grad(g, g->z, B);
    optim_step(g->og, g->G->params, g->G->grads);
    return st;
}

void gan_sample(Gan *g, int n, Rng *rng, float *x)
{
    const int Z = g->cfg.Z, D = g->cfg.D;
    for (int i = 0; i < n; i += g->cfg.batch) {
        int b = n - i < g->cfg.batch ? n - i : g->cfg.batch;
        fill_normal(g->z, (size_t)b * Z, rng);
        const float *y = mlp_forward(g->G, g->z, b, NN_EVAL);
        memcpy(x + (size_t)i * D, y, (size_t)b * D * sizeof *y);
    }
}

void gan_discriminate(Gan *g, const float *x, int n, float *prob)
{
    forward_chunked(g->Dn, x, n, prob);
    for (int i = 0; i < n; i++) prob[i] = (float)(1.0 / (1.0 + exp(-(double)prob[i])));
}
