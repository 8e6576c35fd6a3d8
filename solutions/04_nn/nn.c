/* nn.c — layers, losses, dropout, layer norm and optimiser steps, forward and
 * backward (chapter 04).
 *
 * Each function marked EXERCISE is yours to write in exercises/04_nn/nn.c.
 * Check your work with `make check CH=04` (one test case per function, e.g.
 * CK_RUN_CASE=nn_linear_backward make check CH=04); the chapter program runs
 * its networks on your layers with `make run CH=04 IMPL=exercises`.
 *
 * Notation (see nn.h and the chapter README): a batch is a (B, features)
 * array, one example per row. For a loss L and any array X of the forward
 * pass, dX means ∂L/∂X, an array of X's shape. The chain rule, one layer at a
 * time: if Y = f(X), then dX = (∂Y/∂X)ᵀ dY, and a backward function computes
 * exactly that product without ever forming the Jacobian ∂Y/∂X.
 */
#include "nn.h"
#include "linalg.h"
#include "vmath.h"

#include <math.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 1: the linear layer, forward (seed 003 §6a, z = W a + b, for a
 * batch of rows)
 *
 *   out (B, O) = in (B, I) · Wᵀ + 1·bᵀ,   out[i][o] = b[o] + Σ_j in[i][j]·W[o][j]
 *
 * Use the fast product of linalg.h, mat_mul_abt(C, A, B, M, K, N, accumulate):
 * C(M, N) (+)= A(M, K)·B(N, K)ᵀ. One way: first fill every row of out with b,
 * then add in·Wᵀ with accumulate = 1.
 */
void nn_linear_forward(float *out, const float *in, const float *W, const float *b, int B, int I, int O)
{
    // BEGIN SOLUTION
    for (int i = 0; i < B; i++) memcpy(out + (size_t)i * O, b, (size_t)O * sizeof *out);
    mat_mul_abt(out, in, W, B, I, O, 1);
    // END SOLUTION
    // STUB (void)out; (void)in; (void)W; (void)b; (void)B; (void)I; (void)O;
}

/* ======================================================================== */
/* EXERCISE 2: the linear layer, backward
 *
 * From out[i][o] = b[o] + Σ_j in[i][j]·W[o][j], with dout = ∂L/∂out:
 *
 *   ∂L/∂W[o][j] = Σ_i dout[i][o]·in[i][j]     dW (O, I) += doutᵀ · in    mat_mul_atb
 *   ∂L/∂b[o]    = Σ_i dout[i][o]              db (O)    += column sums of dout
 *   ∂L/∂in[i][j] = Σ_o dout[i][o]·W[o][j]     din (B, I) = dout · W      mat_mul_ab
 *
 * The bias and the weights get the SUM over the batch (every example used
 * the same W), and they are ADDED INTO dW and db (accumulate = 1); din is
 * overwritten (accumulate = 0). Skip din when it is NULL, and dW and db when
 * they are NULL. Check the shapes in linalg.h: C(M, N) (+)= A(K, M)ᵀ·B(K, N)
 * for mat_mul_atb, C(M, N) (+)= A(M, K)·B(K, N) for mat_mul_ab.
 */
void nn_linear_backward(float *din, float *dW, float *db, const float *dout, const float *in, const float *W,
                        int B, int I, int O)
{
    // BEGIN SOLUTION
    if (dW) mat_mul_atb(dW, dout, in, O, B, I, 1);
    if (db)
        for (int i = 0; i < B; i++) {
            const float *d = dout + (size_t)i * O;
            for (int o = 0; o < O; o++) db[o] += d[o];
        }
    if (din) mat_mul_ab(din, dout, W, B, O, I, 0);
    // END SOLUTION
    // STUB (void)din; (void)dW; (void)db; (void)dout; (void)in; (void)W; (void)B; (void)I; (void)O;
}

/* ======================================================================== */
/* EXERCISE 3: the activations, forward (seed 003 §6a)
 *
 *   relu     g(x) = max(0, x)
 *   tanh     g(x) = tanh x                  (tanhf, or the faster nn_tanhf of nn.h)
 *   sigmoid  σ(x) = 1 / (1 + e^(−x))                        (expf, or vm_expf of
 *            vmath.h, which vectorises: the loop then runs 16 at a time)
 *   gelu     g(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
 *            (Hendrycks & Gimpel 2016, the tanh form: ≈ x·Φ(x), Φ the normal CDF;
 *            the constants are NN_GELU_C and NN_GELU_A in nn.h)
 *   gelu-erf g(x) = x·Φ(x) = ½·x·(1 + erf(x/√2))      (erff, or vm_erff of vmath.h,
 *            which vectorises; 1/√2 is NN_SQRT1_2)
 *
 * Switch on act once, outside the loop, not once per element. Large inputs
 * must not give NaN: check that your sigmoid gives 0 at x = −100 (e^100
 * overflows to inf in float, and 1/(1 + inf) = 0 is fine; inf/inf is not).
 */
void nn_act_forward(float *out, const float *in, int n, NnAct act)
{
    // BEGIN SOLUTION
    switch (act) {
    case NN_RELU:
        for (int i = 0; i < n; i++) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
        break;
    case NN_TANH:
        for (int i = 0; i < n; i++) out[i] = nn_tanhf(in[i]);
        break;
    case NN_SIGMOID:
        for (int i = 0; i < n; i++) out[i] = 1.0f / (1.0f + vm_expf(-in[i]));
        break;
    case NN_GELU:
        for (int i = 0; i < n; i++) {
            float x = in[i];
            out[i] = 0.5f * x * (1.0f + nn_tanhf(NN_GELU_C * (x + NN_GELU_A * x * x * x)));
        }
        break;
    case NN_GELU_ERF:
        for (int i = 0; i < n; i++) out[i] = 0.5f * in[i] * (1.0f + vm_erff(in[i] * NN_SQRT1_2));
        break;
    }
    // END SOLUTION
    // STUB (void)out; (void)in; (void)n; (void)act;
}

/* ======================================================================== */
/* EXERCISE 4: the activations, backward (seed 003 §6a)
 *
 * An elementwise layer has a diagonal Jacobian, so the chain rule is a
 * product per element:  din[i] = dout[i]·g′(x_i), x = in, y = out. Use the
 * saved output where that is cheapest:
 *
 *   relu     g′(x) = 1 if x > 0, else 0   (0 at the kink x = 0, as PyTorch)
 *   tanh     g′(x) = 1 − tanh²x = 1 − y²
 *   sigmoid  σ′(x) = σ(x)(1 − σ(x)) = y(1 − y)
 *   gelu     with u = √(2/π)(x + 0.044715x³), t = tanh u:
 *            g′(x) = ½(1 + t) + ½·x·(1 − t²)·√(2/π)(1 + 3·0.044715·x²)
 *   gelu-erf g′(x) = Φ(x) + x·φ(x),  Φ(x) = ½(1 + erf(x/√2)),  φ(x) = e^(−x²/2)/√(2π)
 *            (the product rule; Φ′ = φ, the normal density; 1/√(2π) is NN_INV_SQRT_2PI;
 *            erff and expf, or vm_erff and vm_expf, which vectorise; Φ(x) is also
 *            y/x, from the saved output, for x ≠ 0)
 *
 * din may be the same array as dout: read dout[i] before writing din[i].
 */
void nn_act_backward(float *din, const float *dout, const float *in, const float *out, int n, NnAct act)
{
    // BEGIN SOLUTION
    switch (act) {
    case NN_RELU:
        for (int i = 0; i < n; i++) din[i] = in[i] > 0.0f ? dout[i] : 0.0f;
        break;
    case NN_TANH:
        for (int i = 0; i < n; i++) din[i] = dout[i] * (1.0f - out[i] * out[i]);
        break;
    case NN_SIGMOID:
        for (int i = 0; i < n; i++) din[i] = dout[i] * out[i] * (1.0f - out[i]);
        break;
    case NN_GELU:
        for (int i = 0; i < n; i++) {
            float x = in[i];
            float t = nn_tanhf(NN_GELU_C * (x + NN_GELU_A * x * x * x));
            float du = NN_GELU_C * (1.0f + 3.0f * NN_GELU_A * x * x);
            din[i] = dout[i] * (0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du);
        }
        break;
    case NN_GELU_ERF:
        for (int i = 0; i < n; i++) {
            float x = in[i];
            /* Φ(x) = y/x, from the saved output: no second erf; for |x| < 1e-30
             * (where y may be subnormal) Φ(x) = ½ to float precision */
            float cdf = fabsf(x) < 1e-30f ? 0.5f : out[i] / x, pdf = NN_INV_SQRT_2PI * vm_expf(-0.5f * x * x);
            din[i] = dout[i] * (cdf + x * pdf);
        }
        break;
    }
    // END SOLUTION
    // STUB (void)din; (void)dout; (void)in; (void)out; (void)n; (void)act;
}

/* ======================================================================== */
/* EXERCISE 5: softmax cross-entropy, loss and gradient
 *
 * For one row z (K logits) with label y:
 *   p_k = e^{z_k} / Σ_j e^{z_j},   ℓ = −log p_y = log Σ_j e^{z_j} − z_y,
 *   ∂ℓ/∂z_k = p_k − [k = y]
 * (the softmax Jacobian diag(p) − ppᵀ times −1/p_y·e_y collapses to p − e_y;
 * the README derives it). Return the MEAN over the B rows, and write
 * dlogits = (p − onehot(y)) / B when dlogits is not NULL.
 *
 * Overflow: e^{1000} is inf in float. Subtract the row maximum m first:
 * softmax(z) = softmax(z − m), and log Σ e^{z_j} = m + log Σ e^{z_j − m}.
 */
float nn_softmax_xent(float *dlogits, const float *logits, const int *labels, int B, int K)
{
    // BEGIN SOLUTION
    double total = 0.0;
    for (int i = 0; i < B; i++) {
        const float *z = logits + (size_t)i * K;
        float mx = z[0];
        for (int k = 1; k < K; k++) mx = z[k] > mx ? z[k] : mx;
        float sum = 0.0f;
        for (int k = 0; k < K; k++) sum += expf(z[k] - mx);
        float lse = mx + logf(sum);
        total += lse - z[labels[i]];
        if (dlogits) {
            float *d = dlogits + (size_t)i * K;
            for (int k = 0; k < K; k++) d[k] = expf(z[k] - lse) / B;
            d[labels[i]] -= 1.0f / B;
        }
    }
    return (float)(total / B);
    // END SOLUTION
    // STUB (void)dlogits; (void)logits; (void)labels; (void)B; (void)K;
    // STUB return 0.0f;
}

/* ======================================================================== */
/* EXERCISE 6: mean squared error, loss and gradient
 *
 *   L = (1/(B·D)) Σ_{i,d} (pred[i][d] − target[i][d])²,
 *   ∂L/∂pred[i][d] = 2·(pred[i][d] − target[i][d]) / (B·D)
 *
 * The mean is over ALL B·D elements (PyTorch's mse_loss). Write dpred only
 * when it is not NULL.
 */
float nn_mse(float *dpred, const float *pred, const float *target, int B, int D)
{
    // BEGIN SOLUTION
    const int n = B * D;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        float r = pred[i] - target[i];
        total += (double)r * r;
        if (dpred) dpred[i] = 2.0f * r / n;
    }
    return (float)(total / n);
    // END SOLUTION
    // STUB (void)dpred; (void)pred; (void)target; (void)B; (void)D;
    // STUB return 0.0f;
}

/* ======================================================================== */
/* EXERCISE 7: inverted dropout, forward (Srivastava et al. 2014, §10 for
 * the scaling)
 *
 * Training: keep each unit with probability 1 − p and scale the kept ones by
 * 1/(1 − p), so that the expectation is unchanged:
 *     mask[i] = 0 if u_i < p else 1/(1 − p),   u_i = rng_uniform(rng)
 *     out[i]  = in[i]·mask[i]                  E[out[i]] = in[i]
 * Evaluation (train = 0): out = in, and neither mask nor rng is touched.
 * Draw exactly one u_i per element, in order i = 0, 1, ... (the tests replay
 * the stream). out may be the same array as in.
 */
void nn_dropout_forward(float *out, float *mask, const float *in, int n, float p, int train, Rng *rng)
{
    // BEGIN SOLUTION
    if (!train) {
        if (out != in) memcpy(out, in, (size_t)n * sizeof *out);
        return;
    }
    const float scale = 1.0f / (1.0f - p);
    for (int i = 0; i < n; i++) {
        mask[i] = rng_uniform(rng) < p ? 0.0f : scale;
        out[i] = in[i] * mask[i];
    }
    // END SOLUTION
    // STUB (void)out; (void)mask; (void)in; (void)n; (void)p; (void)train; (void)rng;
}

/* ======================================================================== */
/* EXERCISE 8: dropout, backward
 *
 * out[i] = in[i]·mask[i] with a fixed mask, so din[i] = dout[i]·mask[i]:
 * a dropped unit passes no gradient, a kept one passes it scaled by 1/(1 − p).
 */
void nn_dropout_backward(float *din, const float *dout, const float *mask, int n)
{
    // BEGIN SOLUTION
    for (int i = 0; i < n; i++) din[i] = dout[i] * mask[i];
    // END SOLUTION
    // STUB (void)din; (void)dout; (void)mask; (void)n;
}

/* ======================================================================== */
/* EXERCISE 9: layer normalisation, forward (Ba, Kiros & Hinton 2016, eq. 4)
 *
 * For each row x (C features):
 *   μ = (1/C) Σ_c x_c,   σ² = (1/C) Σ_c (x_c − μ)²    (divide by C, not C − 1)
 *   r = 1/√(σ² + ε),     x̂_c = (x_c − μ)·r,   out_c = γ_c·x̂_c + β_c
 * Save μ in mean[row] and r in rstd[row]: the backward pass needs them.
 * Compute σ² from the deviations (two passes), not as E[x²] − μ², which
 * cancels catastrophically when |μ| ≫ σ.
 */
void nn_layernorm_forward(float *out, float *mean, float *rstd, const float *in, const float *gamma,
                          const float *beta, int B, int C)
{
    // BEGIN SOLUTION
    for (int i = 0; i < B; i++) {
        const float *x = in + (size_t)i * C;
        float *y = out + (size_t)i * C;
        float mu = 0.0f;
        for (int c = 0; c < C; c++) mu += x[c];
        mu /= C;
        float var = 0.0f;
        for (int c = 0; c < C; c++) var += (x[c] - mu) * (x[c] - mu);
        var /= C;
        float r = 1.0f / sqrtf(var + NN_LN_EPS);
        for (int c = 0; c < C; c++) y[c] = gamma[c] * ((x[c] - mu) * r) + beta[c];
        mean[i] = mu;
        rstd[i] = r;
    }
    // END SOLUTION
    // STUB (void)out; (void)mean; (void)rstd; (void)in; (void)gamma; (void)beta; (void)B; (void)C;
}

/* ======================================================================== */
/* EXERCISE 10: layer normalisation, backward
 *
 * Per row, with x̂ and r from the forward pass and g_c = γ_c·dout_c = ∂L/∂x̂_c:
 *   dγ_c += dout_c·x̂_c,   dβ_c += dout_c          (summed over rows, ADDED)
 *   din_c = r·( g_c − (1/C)Σ_c′ g_c′ − x̂_c·(1/C)Σ_c′ g_c′·x̂_c′ )
 * The two means are there because μ and σ depend on every x_c: moving one
 * input moves the whole row's statistics (the README derives the formula).
 * Recompute x̂_c = (x_c − mean)·rstd from the saved statistics. dgamma and
 * dbeta may be NULL (both): then skip them.
 */
void nn_layernorm_backward(float *din, float *dgamma, float *dbeta, const float *dout, const float *in,
                           const float *mean, const float *rstd, const float *gamma, int B, int C)
{
    // BEGIN SOLUTION
    for (int i = 0; i < B; i++) {
        const float *x = in + (size_t)i * C, *dy = dout + (size_t)i * C;
        float *dx = din + (size_t)i * C;
        const float mu = mean[i], r = rstd[i];
        float mean_g = 0.0f, mean_gx = 0.0f;
        for (int c = 0; c < C; c++) {
            float xhat = (x[c] - mu) * r, g = gamma[c] * dy[c];
            mean_g += g;
            mean_gx += g * xhat;
        }
        mean_g /= C;
        mean_gx /= C;
        for (int c = 0; c < C; c++) {
            float xhat = (x[c] - mu) * r;
            dx[c] = r * (gamma[c] * dy[c] - mean_g - xhat * mean_gx);
            if (dgamma) {
                dgamma[c] += dy[c] * xhat;
                dbeta[c] += dy[c];
            }
        }
    }
    // END SOLUTION
    // STUB (void)din; (void)dgamma; (void)dbeta; (void)dout; (void)in; (void)mean; (void)rstd; (void)gamma;
    // STUB (void)B; (void)C;
}

/* ======================================================================== */
/* EXERCISE 11: stochastic gradient descent
 *
 *   θ ← θ − lr·g
 *
 * The gradient is of a mini-batch's mean loss, a noisy estimate of the full
 * gradient; the same loop is plain gradient descent when the batch is the
 * whole data set.
 */
void nn_sgd_step(float *params, const float *grads, int n, float lr)
{
    // BEGIN SOLUTION
    for (int i = 0; i < n; i++) params[i] -= lr * grads[i];
    // END SOLUTION
    // STUB (void)params; (void)grads; (void)n; (void)lr;
}

/* ======================================================================== */
/* EXERCISE 12: SGD with momentum (Polyak's heavy ball, in PyTorch's form)
 *
 *   v ← μ·v + g,   θ ← θ − lr·v
 *
 * v is a decaying sum of past gradients: along a direction where they agree
 * the step grows towards lr/(1 − μ)·g (10× for μ = 0.9); where they flip sign
 * (across a narrow valley) they cancel.
 */
void nn_momentum_step(float *params, float *velocity, const float *grads, int n, float lr, float mu)
{
    // BEGIN SOLUTION
    for (int i = 0; i < n; i++) {
        velocity[i] = mu * velocity[i] + grads[i];
        params[i] -= lr * velocity[i];
    }
    // END SOLUTION
    // STUB (void)params; (void)velocity; (void)grads; (void)n; (void)lr; (void)mu;
}

/* ======================================================================== */
/* EXERCISE 13: Adam (Kingma & Ba 2015, Algorithm 1)
 *
 *   m ← β₁·m + (1 − β₁)·g           running mean of g        (first moment)
 *   v ← β₂·v + (1 − β₂)·g²          running mean of g²       (second moment)
 *   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)                    (bias correction)
 *   θ ← θ − lr·m̂ / (√v̂ + ε)
 *
 * t is the number of this step, starting at 1. m and v start at 0, so
 * without the correction they would be too small by the factors 1 − βᵗ in the
 * first steps. With it, step 1 moves every parameter by lr·g/(|g| + ε), i.e.
 * by lr in the direction −sign(g), whatever the gradient's scale. Compute
 * 1 − βᵗ once, outside the loop (powf), and keep the loop in float: it runs
 * over every parameter of the network at every step.
 */
void nn_adam_step(float *params, float *m, float *v, const float *grads, int n, float lr, float beta1,
                  float beta2, float eps, int t)
{
    // BEGIN SOLUTION
    /* m̂/(√v̂ + ε) = (m/bc1)/(√v/√bc2 + ε): the corrections are two scalars. */
    const float bc1 = 1.0f - powf(beta1, (float)t), bc2 = 1.0f - powf(beta2, (float)t);
    const float step = lr / bc1, inv_sqrt_bc2 = 1.0f / sqrtf(bc2);
    for (int i = 0; i < n; i++) {
        const float g = grads[i];
        const float mi = beta1 * m[i] + (1.0f - beta1) * g;
        const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] -= step * mi / (sqrtf(vi) * inv_sqrt_bc2 + eps);
    }
    // END SOLUTION
    // STUB (void)params; (void)m; (void)v; (void)grads; (void)n; (void)lr; (void)beta1; (void)beta2; (void)eps;
    // STUB (void)t;
}

/* ======================================================================== */
/* Given: names and small helpers. */

static const char *const ACT_NAMES[NN_N_ACTS] = { "relu", "tanh", "sigmoid", "gelu", "gelu-erf" };

const char *nn_act_name(NnAct act)
{
    return (int)act >= 0 && (int)act < NN_N_ACTS ? ACT_NAMES[act] : "?";
}

int nn_act_parse(const char *s, NnAct *act)
{
    for (int a = 0; a < NN_N_ACTS; a++)
        if (strcmp(s, ACT_NAMES[a]) == 0) {
            *act = (NnAct)a;
            return 0;
        }
    return -1;
}

void nn_softmax(float *probs, const float *logits, int B, int K)
{
    for (int i = 0; i < B; i++) {
        const float *z = logits + (size_t)i * K;
        float *p = probs + (size_t)i * K;
        float mx = z[0], sum = 0.0f;
        for (int k = 1; k < K; k++) mx = z[k] > mx ? z[k] : mx;
        for (int k = 0; k < K; k++) sum += p[k] = expf(z[k] - mx);
        for (int k = 0; k < K; k++) p[k] /= sum;
    }
}

double nn_accuracy(const float *logits, const int *labels, int B, int K)
{
    int correct = 0;
    for (int i = 0; i < B; i++) correct += vec_argmax(logits + (size_t)i * K, K) == labels[i];
    return (double)correct / B;
}
