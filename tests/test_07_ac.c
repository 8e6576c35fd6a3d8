/* test_07_ac.c — chapter 07: actor-critic, A2C with GAE, PPO.
 *
 * One test case per exercise, named after the function it grades. References
 * are independent of the code under test: numbers computed by hand (in the
 * comments), GAE against the forward-view sum Σ_k (γλ)^k δ_{t+k} and the
 * discounted returns (two computations the backward recursion does not
 * share), and gradients against central differences of the loss. Every
 * gradient check also asserts that the gradient is not all zero where it must
 * not be, so a stub that writes zeros cannot pass it.
 */
#include "ac.h"
#include "ckx.h"
#include "dist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_HAND   1e-9    /* hand-computed decimals, double arithmetic */
#define TOL_FD     1e-6    /* central differences, h = 1e-5, smooth functions (relative, floor 1e-3) */
#define FD_H       1e-5    /* central-difference step */

/* ------------------------------------------------------------------------ */
/* ac_td_error */

START_TEST(td_error_by_hand)
{
    /* r = 1, V(s) = 2, V(s') = 3, γ = 0.9: δ = 1 + 2.7 − 2 = 1.7 */
    ckx_close(ac_td_error(1.0, 2.0, 3.0, 0, 0.9), 1.7, TOL_HAND, "δ for r = 1, V(s) = 2, V(s') = 3, γ = 0.9",
              "δ = r + γ V(s') − V(s).");
    /* a negative reward and γ = 0.5: δ = −1 + 1.5·0.5 − 0.25 = −0.5 */
    ckx_close(ac_td_error(-1.0, 0.25, 1.5, 0, 0.5), -0.5, TOL_HAND, "δ for r = −1, V(s) = 0.25, V(s') = 1.5, γ = 0.5",
              "δ = r + γ V(s') − V(s): subtract V(s), discount only V(s').");
}
END_TEST

START_TEST(td_error_terminated)
{
    /* terminated: δ = r − V(s) = 1 − 2 = −1, whatever V(s') says */
    ckx_close(ac_td_error(1.0, 2.0, 100.0, 1, 0.9), -1.0, TOL_HAND, "δ when s' is terminal (terminated = 1)",
              "a terminated episode has no future: δ = r − V(s); V(s') is whatever the critic outputs for a state "
              "it never needs to value, so it must be ignored.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ac_gae */

/* Independent reference: the forward view Â_t = Σ_{k≥0} (γλ)^k δ_{t+k},
 * summed only while t+k stays in t's episode (stop after an ended step) and
 * in the buffer. */
static void gae_forward_view(int n, const double *r, const double *v, const double *vn, const int *ends,
                             double gamma, double lambda, double *adv)
{
    for (int t = 0; t < n; t++) {
        double sum = 0.0, w = 1.0;
        for (int k = t; k < n; k++) {
            double delta = r[k] + (ends[k] == CP_TERMINATED ? 0.0 : gamma * vn[k]) - v[k];
            sum += w * delta;
            w *= gamma * lambda;
            if (ends[k] != CP_RUNNING) break;
        }
        adv[t] = sum;
    }
}

/* Run ac_gae and compare adv and ret = adv + V with want_adv. */
static void check_gae(int n, const double *r, const double *v, const double *vn, const int *ends, double gamma, double lambda, const double *want_adv, const char *what, const char *hint)
{
    double adv[16], ret[16], want_ret[16];
    for (int t = 0; t < n; t++) adv[t] = ret[t] = 0.0;
    ac_gae(n, r, v, vn, ends, gamma, lambda, adv, ret);
    char w[200];
    snprintf(w, sizeof w, "%s: advantage Â_t (γ = %g, λ = %g)", what, gamma, lambda);
    ckx_close_array(adv, want_adv, n, TOL_HAND, w, hint);
    for (int t = 0; t < n; t++) want_ret[t] = want_adv[t] + v[t];
    snprintf(w, sizeof w, "%s: critic target R_t (γ = %g, λ = %g)", what, gamma, lambda);
    ckx_close_array(ret, want_ret, n, TOL_HAND, w, "R_t = Â_t + V(s_t): the λ-return the critic regresses on.");
}

/* One episode of 3 steps that TERMINATES: r = 1, V = (0.5, 0.4, 0.3),
 * V(s') = (0.4, 0.3, [ignored]), γ = 0.9. δ = (0.86, 0.87, 0.7). */
static const double E_R[3] = { 1, 1, 1 }, E_V[3] = { 0.5, 0.4, 0.3 }, E_VN[3] = { 0.4, 0.3, 0.7 };
static const int E_ENDS[3] = { CP_RUNNING, CP_RUNNING, CP_TERMINATED };

START_TEST(gae_lambda_zero_is_td_error)
{
    const double want[3] = { 0.86, 0.87, 0.7 };
    check_gae(3, E_R, E_V, E_VN, E_ENDS, 0.9, 0.0, want, "terminated episode, λ = 0",
              "with λ = 0, Â_t = δ_t = r_t + γ V(s'_t) − V(s_t) (no bootstrap at the terminal step: δ_2 = 1 − 0.3).");
}
END_TEST

START_TEST(gae_lambda_one_is_monte_carlo)
{
    /* discounted returns G = (2.71, 1.9, 1), minus V: (2.21, 1.5, 0.7) */
    const double want[3] = { 2.71 - 0.5, 1.9 - 0.4, 1.0 - 0.3 };
    check_gae(3, E_R, E_V, E_VN, E_ENDS, 0.9, 1.0, want, "terminated episode, λ = 1",
              "with λ = 1 the δ's telescope: Â_t = G_t − V(s_t), G_t the discounted return. Check the factor "
              "γλ on Â_{t+1} and that you walk the buffer backwards.");
}
END_TEST

START_TEST(gae_general_lambda)
{
    /* γλ = 0.72: Â_2 = 0.7, Â_1 = 0.87 + 0.72·0.7 = 1.374, Â_0 = 0.86 + 0.72·1.374 = 1.84928 */
    const double want[3] = { 1.84928, 1.374, 0.7 };
    check_gae(3, E_R, E_V, E_VN, E_ENDS, 0.9, 0.8, want, "terminated episode, λ = 0.8",
              "Â_t = δ_t + γλ Â_{t+1}, walked from t = n−1 down to 0.");
    /* the same against the forward view, on random data with no episode end */
    double r[12], v[12], vn[12], ref[12];
    int ends[12] = { 0 };   /* CP_RUNNING everywhere */
    for (int t = 0; t < 12; t++) { r[t] = sin(1.0 + t); v[t] = cos(0.3 * t); }
    for (int t = 0; t < 12; t++) vn[t] = t + 1 < 12 ? v[t + 1] : 0.45;
    gae_forward_view(12, r, v, vn, ends, 0.97, 0.9, ref);
    check_gae(12, r, v, vn, ends, 0.97, 0.9, ref, "12 steps, no episode end (the buffer end bootstraps)",
              "Â_t = Σ_k (γλ)^k δ_{t+k}; at the last step of the buffer Â_{n−1} = δ_{n−1}, which bootstraps "
              "from V(s'_{n−1}).");
}
END_TEST

START_TEST(gae_truncated_bootstraps)
{
    /* The same episode TRUNCATED at step 2 (time limit): δ_2 = 1 + 0.9·0.7 − 0.3 = 1.33.
     * λ = 1: G_2 = 1 + 0.9·0.7 = 1.63, G_1 = 1 + 0.9·1.63 = 2.467, G_0 = 1 + 0.9·2.467 = 3.2203. */
    const int ends[3] = { CP_RUNNING, CP_RUNNING, CP_TRUNCATED };
    const double want1[3] = { 3.2203 - 0.5, 2.467 - 0.4, 1.63 - 0.3 };
    check_gae(3, E_R, E_V, E_VN, ends, 0.9, 1.0, want1, "truncated episode, λ = 1",
              "a TRUNCATED episode did not reach a terminal state: its last δ bootstraps from V(s'), here 0.7. "
              "Only CP_TERMINATED removes the bootstrap; CP_TRUNCATED only stops the recursion.");
    /* λ = 0.8: Â_2 = 1.33, Â_1 = 0.87 + 0.72·1.33 = 1.8276, Â_0 = 0.86 + 0.72·1.8276 = 2.175872 */
    const double want8[3] = { 2.175872, 1.8276, 1.33 };
    check_gae(3, E_R, E_V, E_VN, ends, 0.9, 0.8, want8, "truncated episode, λ = 0.8",
              "truncation bootstraps in δ: δ_2 = r + γ V(s'_2) − V(s_2) = 1.33.");
}
END_TEST

START_TEST(gae_episode_boundary)
{
    /* Two episodes in one buffer: steps 0–1 (terminated at 1), steps 2–4
     * (still running when the buffer ends). γ = 0.9, λ = 0.8 (γλ = 0.72).
     *   δ = (1 + 0.36 − 0.5, 1 − 0.4, 1 + 0.9 − 2, 1 + 0.54 − 1, 1 + 0.72 − 0.6)
     *     = (0.86, 0.6, −0.1, 0.54, 1.12)
     *   Â_4 = 1.12, Â_3 = 0.54 + 0.72·1.12 = 1.3464, Â_2 = −0.1 + 0.72·1.3464 = 0.869408,
     *   Â_1 = 0.6 (the episode ends: nothing from step 2 leaks in), Â_0 = 0.86 + 0.72·0.6 = 1.292 */
    const double r[5] = { 1, 1, 1, 1, 1 }, v[5] = { 0.5, 0.4, 2.0, 1.0, 0.6 }, vn[5] = { 0.4, 9.0, 1.0, 0.6, 0.8 };
    const int ends[5] = { CP_RUNNING, CP_TERMINATED, CP_RUNNING, CP_RUNNING, CP_RUNNING };
    const double want[5] = { 1.292, 0.6, 0.869408, 1.3464, 1.12 };
    check_gae(5, r, v, vn, ends, 0.9, 0.8, want, "two episodes in one buffer",
              "at an episode end (ends[t] != CP_RUNNING) reset the running advantage: Â_{t+1} belongs to the next "
              "episode. Â_1 = δ_1 = 0.6, not 0.6 + 0.72·Â_2.");
    /* the same boundary after a TRUNCATION, against the forward view */
    const int ends2[5] = { CP_RUNNING, CP_TRUNCATED, CP_RUNNING, CP_RUNNING, CP_RUNNING };
    double ref[5];
    gae_forward_view(5, r, v, vn, ends2, 0.9, 0.8, ref);
    /* by hand: δ_1 = 1 + 0.9·9 − 0.4 = 8.7, Â_0 = 0.86 + 0.72·8.7 = 7.124 */
    ckx_close(ref[1], 8.7, TOL_HAND, "test reference (forward view)", NULL);
    check_gae(5, r, v, vn, ends2, 0.9, 0.8, ref, "two episodes in one buffer, the first truncated",
              "truncated at step 1: δ_1 = 1 + 0.9·V(s'_1) − V(s_1) bootstraps from the last state of episode 1 "
              "(next_value[1] = 9), not from V(s_2), the first state of episode 2; and Â_1 = δ_1.");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ac_value_loss */

START_TEST(value_loss_unclipped)
{
    /* u = V − R = (1 − 3, 0.5 − 0, −1 − (−1.5)) = (−2, 0.5, 0.5); ℓ = ½u² = (2, 0.125, 0.125), mean 0.75 */
    const double v[3] = { 1.0, 0.5, -1.0 }, R[3] = { 3.0, 0.0, -1.5 };
    double dv[3] = { 0, 0, 0 };
    double L = ac_value_loss(3, v, NULL, R, 0.0, dv);
    ckx_close(L, 0.75, TOL_HAND, "value loss ½·mean (V − R)², no clipping",
              "ℓ_i = ½ (V_i − R_i)², and the function returns the MEAN over the n samples.");
    const double want[3] = { -2.0 / 3, 0.5 / 3, 0.5 / 3 };
    ckx_close_array(dv, want, 3, TOL_HAND, "∂L/∂V_i of the mean loss",
                    "the derivative of ½ (V_i − R_i)² is V_i − R_i, and L is the MEAN over n = 3 samples: "
                    "dv[i] = (V_i − R_i)/n, as for every loss of the course (nn.h).");
}
END_TEST

START_TEST(value_loss_clipped)
{
    /* V_old = 1, R = 2, clip c = 0.2.
     *  V = 1.5: step 0.5 → clipped to 0.2, w = 1.2 − 2 = −0.8, u = −0.5: max picks w (0.64 > 0.25):
     *           ℓ = 0.32, gradient 0 (the clipped term does not move with V).
     *  V = 0.5: step −0.5 → −0.2, w = 0.8 − 2 = −1.2, u = −1.5: max picks u (2.25 > 1.44): ℓ = 1.125, grad −1.5.
     *  V = 1.1: inside the clip range: w = u = −0.9: ℓ = 0.405, grad −0.9.
     *  V = 2.5 with V_old = 1, R = 2: step 1.5 → 0.2, w = −0.8, u = 0.5: max picks w: ℓ = 0.32, grad 0. */
    const double v[4] = { 1.5, 0.5, 1.1, 2.5 }, vold[4] = { 1, 1, 1, 1 }, R[4] = { 2, 2, 2, 2 };
    const double want_l[4] = { 0.32, 1.125, 0.405, 0.32 }, want_d[4] = { 0.0, -1.5, -0.9, 0.0 };
    for (int i = 0; i < 4; i++) {
        double dv = 0;
        double L = ac_value_loss(1, v + i, vold + i, R + i, 0.2, &dv);
        char w[160];
        snprintf(w, sizeof w, "clipped value loss at V = %g, V_old = 1, R = 2, c = 0.2", v[i]);
        ckx_close(L, want_l[i], TOL_HAND, w,
                  "ℓ = ½ max((V − R)², (V_old + clip(V − V_old, −c, c) − R)²): the clip is on the CHANGE of V "
                  "since the rollout, and the max (not min) makes it pessimistic.");
        snprintf(w, sizeof w, "dℓ/dV of the clipped value loss at V = %g, V_old = 1, R = 2, c = 0.2", v[i]);
        ckx_close(dv, want_d[i], TOL_HAND, w,
                  "where the max picks the clipped term and the clip is active, that term is constant in V: "
                  "gradient 0; otherwise V − R.");
    }
    /* clip ≤ 0 means no clipping, and V_old may then be NULL */
    double dv = 0;
    ckx_close(ac_value_loss(1, v, NULL, R, 0.0, &dv), 0.125, TOL_HAND, "value loss with clip = 0 (off)",
              "clip ≤ 0 turns clipping off: ½ (1.5 − 2)² = 0.125.");
}
END_TEST

START_TEST(value_loss_gradient_central_differences)
{
    double v[6], vold[6], R[6], dv[6];
    for (int i = 0; i < 6; i++) { v[i] = 0.3 * i - 0.7; vold[i] = v[i] + 0.15 * (i % 3) - 0.15; R[i] = cos(i); }
    for (int clipped = 0; clipped < 2; clipped++) {
        double c = clipped ? 0.1 : 0.0;
        ac_value_loss(6, v, vold, R, c, dv);
        int nonzero = 0;
        for (int i = 0; i < 6; i++) {
            double vp[6], vm[6], d[6];
            memcpy(vp, v, sizeof v); memcpy(vm, v, sizeof v);
            vp[i] += FD_H; vm[i] -= FD_H;
            double fd = (ac_value_loss(6, vp, vold, R, c, d) - ac_value_loss(6, vm, vold, R, c, d)) / (2 * FD_H);
            char w[128];
            snprintf(w, sizeof w, "∂L/∂V_%d (clip %g) vs central difference of the mean loss", i, c);
            ckx_rel_close(dv[i], fd, TOL_FD, 1e-4, w, "dv[i] = ∂L/∂V_i of the mean L, the 1/n included.");
            nonzero += fabs(dv[i]) > 1e-6;
        }
        ck_assert_msg(nonzero >= 3, "value loss: only %d of 6 gradients are non-zero (clip %g)", nonzero, c);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ppo_clip_objective */

/* logp_old = −0.7 for every sample; logp_new = logp_old + log ρ. */
static void ppo_case(double ratio, double adv, double eps, double want_l, double want_d, const char *hint)
{
    double lo = -0.7, ln = lo + log(ratio), d = 0;
    double L = ppo_clip_objective(1, &ln, &lo, &adv, eps, &d);
    char w[160];
    snprintf(w, sizeof w, "PPO objective ℓ at ratio ρ = %g, Â = %g, ε = %g", ratio, adv, eps);
    ckx_close(L, want_l, TOL_HAND, w, hint);
    snprintf(w, sizeof w, "∂ℓ/∂logp_new at ratio ρ = %g, Â = %g, ε = %g", ratio, adv, eps);
    ckx_close(d, want_d, TOL_HAND, w, hint);
}

START_TEST(ppo_inside_clip_range)
{
    /* |ρ − 1| ≤ ε: ℓ = ρÂ, ∂ℓ/∂logp = ρÂ (∂ρ/∂logp_new = ρ) */
    ppo_case(1.1, 2.0, 0.2, 2.2, 2.2,
             "inside the clip range the objective is ρÂ with ρ = exp(logp_new − logp_old), and "
             "∂(ρÂ)/∂logp_new = ρÂ (not Â: the chain rule through exp).");
    ppo_case(1.1, -2.0, 0.2, -2.2, -2.2, "inside the clip range: ℓ = ρÂ, gradient ρÂ, also for Â < 0.");
    ppo_case(0.9, 3.0, 0.2, 2.7, 2.7, "inside the clip range: ℓ = ρÂ, gradient ρÂ.");
    ppo_case(1.0, 0.5, 0.2, 0.5, 0.5, "at ρ = 1 (the first epoch) ℓ = Â and the gradient is Â: the A2C gradient.");
}
END_TEST

START_TEST(ppo_outside_clip_range)
{
    /* ρ > 1+ε, Â > 0: min(3, 2.4) picks the clipped term: ℓ = 2.4, gradient 0 */
    ppo_case(1.5, 2.0, 0.2, 2.4, 0.0,
             "ρ > 1+ε with Â > 0: min(ρÂ, (1+ε)Â) = (1+ε)Â, a constant: the gradient is 0 (this action's "
             "probability has already grown enough).");
    /* ρ > 1+ε, Â < 0: min(−3, −2.4) = −3 picks the UNclipped term: gradient ρÂ = −3 */
    ppo_case(1.5, -2.0, 0.2, -3.0, -3.0,
             "ρ > 1+ε with Â < 0: min(ρÂ, (1+ε)Â) = ρÂ (more negative): the unclipped term, gradient ρÂ. "
             "The clip only stops moves in the direction Â asks for; it never hides a worse objective. "
             "Use min(ρÂ, clip(ρ)Â), not clip(ρ)Â alone.");
    /* ρ < 1−ε, Â > 0: min(1, 1.6) = 1, unclipped: gradient 1 */
    ppo_case(0.5, 2.0, 0.2, 1.0, 1.0,
             "ρ < 1−ε with Â > 0: min(ρÂ, (1−ε)Â) = ρÂ: unclipped, gradient ρÂ.");
    /* ρ < 1−ε, Â < 0: min(−1, −1.6) = −1.6, clipped: gradient 0 */
    ppo_case(0.5, -2.0, 0.2, -1.6, 0.0,
             "ρ < 1−ε with Â < 0: min(ρÂ, (1−ε)Â) = (1−ε)Â, a constant: gradient 0.");
    /* a wider clip range keeps ρ = 1.5 inside */
    ppo_case(1.5, 2.0, 0.6, 3.0, 3.0, "with ε = 0.6, ρ = 1.5 is inside [0.4, 1.6]: ℓ = ρÂ, use the ε passed in.");
}
END_TEST

START_TEST(ppo_mean_and_central_differences)
{
    /* 8 samples, ratios and advantages on both sides of the clip range */
    const double ratio[8] = { 0.5, 0.7, 0.95, 1.0, 1.05, 1.3, 1.6, 0.75 };
    const double adv[8] = { 1.0, -1.5, 0.4, 2.0, -0.3, 0.8, -1.2, -0.6 };
    double lo[8], ln[8], d[8], want = 0;
    for (int i = 0; i < 8; i++) {
        lo[i] = -0.2 * i - 0.1;
        ln[i] = lo[i] + log(ratio[i]);
        double c = fmin(fmax(ratio[i], 0.8), 1.2);
        want += fmin(ratio[i] * adv[i], c * adv[i]) / 8;
    }
    double L = ppo_clip_objective(8, ln, lo, adv, 0.2, d);
    ckx_close(L, want, TOL_HAND, "PPO objective, mean over 8 samples",
              "return the MEAN of ℓ_i = min(ρ_i Â_i, clip(ρ_i, 1−ε, 1+ε) Â_i).");
    int nonzero = 0;
    for (int i = 0; i < 8; i++) {
        double p[8], m[8];
        memcpy(p, ln, sizeof p); memcpy(m, ln, sizeof m);
        p[i] += FD_H; m[i] -= FD_H;
        double fd = (ppo_clip_objective(8, p, lo, adv, 0.2, NULL) - ppo_clip_objective(8, m, lo, adv, 0.2, NULL)) /
                    (2 * FD_H);
        char w[128];
        snprintf(w, sizeof w, "∂J/∂logp_new_%d (ρ = %g, Â = %g) vs central difference of the mean", i, ratio[i], adv[i]);
        ckx_rel_close(d[i], fd, TOL_FD, 1e-4, w, "dlogp[i] = ∂J/∂logp_new_i of the MEAN J: ρ_i Â_i / n or 0.");
        nonzero += fabs(d[i]) > 1e-6;
    }
    ck_assert_msg(nonzero == 5, "PPO gradient: %d of 8 samples have a non-zero gradient, expected 5 (samples 1, 5 "
                                "and 7 are clipped: ρ = 0.7 and 0.75 with Â < 0, ρ = 1.3 with Â > 0)", nonzero);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ac_online_grads */

/* Independent references for a categorical over K logits (double). */
static void softmax_ref(const double *z, int K, double *p)
{
    double m = z[0], s = 0;
    for (int k = 1; k < K; k++) m = fmax(m, z[k]);
    for (int k = 0; k < K; k++) s += (p[k] = exp(z[k] - m));
    for (int k = 0; k < K; k++) p[k] /= s;
}

static double entropy_ref(const double *z, int K)
{
    double p[8], H = 0;
    softmax_ref(z, K, p);
    for (int k = 0; k < K; k++) H -= p[k] > 0 ? p[k] * log(p[k]) : 0.0;
    return H;
}

START_TEST(online_grads_by_hand)
{
    /* logits (0, 0): π = (0.5, 0.5); action 1; r = 1, V(s) = 0.5, V(s') = 1, γ = 0.9:
     * δ = 1 + 0.9 − 0.5 = 1.4; ∂log π(1)/∂z = (0 − 0.5, 1 − 0.5) = (−0.5, 0.5);
     * dparams = −δ (−0.5, 0.5) = (0.7, −0.7); dv = −δ = −1.4. */
    PgDist cat = pg_categorical(2);
    const float z[2] = { 0.0f, 0.0f }, a = 1.0f;
    float dz[2] = { 0, 0 };
    double dv = 0;
    double delta = ac_online_grads(&cat, z, &a, 1.0, 0.5, 1.0, 0, 0.9, 0.0, dz, &dv);
    ckx_close(delta, 1.4, TOL_FLOAT, "δ returned by ac_online_grads (r = 1, V(s) = 0.5, V(s') = 1, γ = 0.9)",
              "return the TD error δ = r + γ V(s') − V(s) (ac_td_error).");
    ckx_close(dz[0], 0.7, TOL_FLOAT, "∂loss/∂z_0 (the action not taken)",
              "actor loss −δ log π(a|s): its gradient is −δ (onehot(a) − π); use pg_dist_logprob's dlogp and "
              "scale it by −δ (minus: the driver DESCENDS the loss).");
    ckx_close(dz[1], -0.7, TOL_FLOAT, "∂loss/∂z_1 (the action taken)",
              "δ > 0: the action was better than expected, so descending the loss must RAISE its logit: "
              "the gradient on z_a is negative.");
    ckx_close(dv, -1.4, TOL_FLOAT, "∂(½δ²)/∂V(s), the critic's output gradient",
              "the critic's loss ½ (target − V(s))² with the target r + γV(s') held fixed: ∂/∂V(s) = −δ.");
}
END_TEST

START_TEST(online_grads_terminated_and_truncated)
{
    PgDist cat = pg_categorical(2);
    const float z[2] = { 1.0f, -1.0f }, a = 0.0f;
    float dz[2];
    double dv = 0;
    /* terminated: δ = 1 − 3 = −2 */
    double delta = ac_online_grads(&cat, z, &a, 1.0, 3.0, 50.0, 1, 0.99, 0.0, dz, &dv);
    ckx_close(delta, -2.0, TOL_FLOAT, "δ at a terminated step (r = 1, V(s) = 3, V(s') = 50 ignored)",
              "terminated = 1: δ = r − V(s), no bootstrap.");
    ckx_close(dv, 2.0, TOL_FLOAT, "dv at a terminated step", "dv = −δ.");
    /* truncated (terminated = 0): δ = 1 + 0.99·50 − 3 = 47.5 */
    delta = ac_online_grads(&cat, z, &a, 1.0, 3.0, 50.0, 0, 0.99, 0.0, dz, &dv);
    ckx_close(delta, 47.5, 1e-9, "δ at a truncated step (terminated = 0: bootstrap)",
              "a step cut by the time limit still bootstraps from V(s').");
    /* π(0) = e/(e + e^−1); ∂log π(0)/∂z_0 = 1 − π(0) */
    double p0 = exp(1.0) / (exp(1.0) + exp(-1.0));
    ckx_close(dz[0], -47.5 * (1 - p0), 1e-4, "∂loss/∂z_0 at a truncated step", "−δ (1 − π(0)) for the action taken.");
    ckx_close(dz[1], -47.5 * (0 - (1 - p0)), 1e-4, "∂loss/∂z_1 at a truncated step", "−δ (0 − π(1)).");
}
END_TEST

START_TEST(online_grads_entropy_bonus)
{
    /* K = 3, δ = 0 (r = 0, V(s) = γV(s')): only the entropy term −c_e H is left */
    PgDist cat = pg_categorical(3);
    const float z[3] = { 0.5f, -0.25f, 1.0f }, a = 2.0f;
    const double zd[3] = { 0.5, -0.25, 1.0 }, ce = 0.3;
    float dz[3] = { 0 };
    double dv = 0;
    double delta = ac_online_grads(&cat, z, &a, 0.0, 0.5, 1.0, 0, 0.5, ce, dz, &dv);
    ckx_close(delta, 0.0, TOL_FLOAT, "δ with r = 0, V(s) = 0.5, V(s') = 1, γ = 0.5", NULL);
    int nonzero = 0;
    for (int j = 0; j < 3; j++) {
        double zp[3], zm[3];
        memcpy(zp, zd, sizeof zp); memcpy(zm, zd, sizeof zm);
        zp[j] += FD_H; zm[j] -= FD_H;
        double fd = -ce * (entropy_ref(zp, 3) - entropy_ref(zm, 3)) / (2 * FD_H);
        char w[128];
        snprintf(w, sizeof w, "∂(−c_e H)/∂z_%d with c_e = 0.3 vs central difference", j);
        ckx_rel_close(dz[j], fd, 1e-4, 1e-3, w,
                      "the entropy BONUS enters the loss as −c_e H; add −c_e ∂H/∂z (pg_dist_entropy's gradient).");
        nonzero += fabs(dz[j]) > 1e-4;
    }
    ck_assert_msg(nonzero == 3, "entropy bonus: the gradient is zero in %d of 3 logits", 3 - nonzero);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ppo_loss_grads */

/* A minibatch of n = 5 states with K = 3 actions: logits, actions, old
 * log-probabilities (the new ones shifted so that samples 1 and 3 are
 * clipped: ρ > 1+ε with Â > 0, ρ < 1−ε with Â < 0), advantages, values. */
#define MB_N 5
#define MB_K 3
typedef struct {
    float z[MB_N * MB_K], act[MB_N], v[MB_N];
    double logp_old[MB_N], adv[MB_N], v_old[MB_N], ret[MB_N];
} Minibatch;

static const double MB_SHIFT[MB_N] = { 0.1, 0.4, -0.05, -0.5, 0.15 };   /* log ρ, about */

static void mb_make(Minibatch *m)
{
    const double adv[MB_N] = { 1.2, 0.8, -0.6, -1.5, -0.3 };
    for (int i = 0; i < MB_N; i++) {
        for (int k = 0; k < MB_K; k++) m->z[i * MB_K + k] = (float)(0.4 * sin(1.7 * i + 2.3 * k) + 0.1 * k);
        m->act[i] = (float)((i * 2) % MB_K);
        double zd[MB_K], p[MB_K];
        for (int k = 0; k < MB_K; k++) zd[k] = m->z[i * MB_K + k];
        softmax_ref(zd, MB_K, p);
        m->logp_old[i] = log(p[(int)m->act[i]]) - MB_SHIFT[i];
        m->adv[i] = adv[i];
        m->v[i] = (float)(0.5 * i - 0.8);
        m->v_old[i] = m->v[i] - 0.05 * (i - 2);
        m->ret[i] = cos(0.9 * i);
    }
}

static PpoBatch mb_batch(const Minibatch *m)
{
    return (PpoBatch){ .n = MB_N, .action = m->act, .logp_old = m->logp_old, .adv = m->adv, .v_old = m->v_old,
                       .ret = m->ret };
}

/* The loss computed independently in double: −J + c_v L^V − c_e mean H. */
static double loss_ref(const Minibatch *m, const double *z, const double *v, const PpoCoefs *c, double *parts)
{
    double J = 0, LV = 0, H = 0;
    for (int i = 0; i < MB_N; i++) {
        double p[MB_K];
        softmax_ref(z + i * MB_K, MB_K, p);
        double ratio = exp(log(p[(int)m->act[i]]) - m->logp_old[i]);
        double cl = fmin(fmax(ratio, 1 - c->clip_eps), 1 + c->clip_eps);
        J += fmin(ratio * m->adv[i], cl * m->adv[i]) / MB_N;
        double u = v[i] - m->ret[i];
        LV += 0.5 * u * u / MB_N;   /* the tests use value_clip = 0 */
        H += entropy_ref(z + i * MB_K, MB_K) / MB_N;
    }
    if (parts) { parts[0] = -J; parts[1] = LV; parts[2] = H; }
    return -J + c->value_coef * LV - c->entropy_coef * H;
}

START_TEST(loss_grads_value_and_terms)
{
    Minibatch m;
    mb_make(&m);
    PpoBatch b = mb_batch(&m);
    PgDist cat = pg_categorical(MB_K);
    PpoCoefs c = { .clip_eps = 0.2, .value_coef = 0.5, .entropy_coef = 0.01, .value_clip = 0.0 };
    float dz[MB_N * MB_K], dv[MB_N];
    PpoInfo info;
    memset(&info, 0, sizeof info);
    double L = ppo_loss_grads(&b, &cat, m.z, m.v, &c, dz, dv, &info);
    double zd[MB_N * MB_K], vd[MB_N], parts[3];
    for (int i = 0; i < MB_N * MB_K; i++) zd[i] = m.z[i];
    for (int i = 0; i < MB_N; i++) vd[i] = m.v[i];
    double want = loss_ref(&m, zd, vd, &c, parts);
    ckx_close(L, want, 1e-6, "PPO loss −J^CLIP + c_v L^V − c_e mean H (5 samples, 3 actions)",
              "the LOSS is minimised: the clipped objective J enters with a minus sign, the entropy bonus too; "
              "log π_new(a_i|s_i) comes from pg_dist_logprob on row i of params.");
    ckx_close(info.policy, parts[0], 1e-6, "info.policy (= −J^CLIP)", "info.policy is the policy term of the loss, −J.");
    ckx_close(info.value, parts[1], 1e-6, "info.value (= L^V, without c_v)", NULL);
    ckx_close(info.entropy, parts[2], 1e-6, "info.entropy (mean H over the minibatch)", NULL);
    ckx_close(info.clip_frac, 0.4, 1e-12, "info.clip_frac (samples 1 and 3 of 5 have |ρ − 1| > 0.2)",
              "fill clip_frac and approx_kl with ppo_diagnostics (given).");
    ck_assert_msg(info.approx_kl > 0.01, "info.approx_kl = %g: expected a positive KL estimate", info.approx_kl);
}
END_TEST

START_TEST(loss_grads_central_differences)
{
    Minibatch m;
    mb_make(&m);
    PpoBatch b = mb_batch(&m);
    PgDist cat = pg_categorical(MB_K);
    PpoCoefs c = { .clip_eps = 0.2, .value_coef = 0.5, .entropy_coef = 0.05, .value_clip = 0.0 };
    float dz[MB_N * MB_K], dv[MB_N];
    ppo_loss_grads(&b, &cat, m.z, m.v, &c, dz, dv, NULL);
    double zd[MB_N * MB_K], vd[MB_N];
    for (int i = 0; i < MB_N * MB_K; i++) zd[i] = m.z[i];
    for (int i = 0; i < MB_N; i++) vd[i] = m.v[i];
    int nonzero = 0;
    for (int i = 0; i < MB_N * MB_K; i++) {
        double keep = zd[i];
        zd[i] = keep + FD_H;
        double lp = loss_ref(&m, zd, vd, &c, NULL);
        zd[i] = keep - FD_H;
        double lm = loss_ref(&m, zd, vd, &c, NULL);
        zd[i] = keep;
        char w[128];
        snprintf(w, sizeof w, "∂L/∂z of sample %d, action %d vs central difference", i / MB_K, i % MB_K);
        ckx_rel_close(dz[i], (lp - lm) / (2 * FD_H), 1e-4, 1e-3, w,
                      "dparams_i = −dlogp[i]·∂log π(a_i)/∂z_i − (c_e/n)·∂H_i/∂z_i, with dlogp from "
                      "ppo_clip_objective (0 for clipped samples) and the 1/n of the means.");
        nonzero += fabs(dz[i]) > 1e-4;
    }
    ck_assert_msg(nonzero >= 12, "PPO loss gradient: only %d of %d logit gradients are non-zero", nonzero,
                  MB_N * MB_K);
    for (int i = 0; i < MB_N; i++) {
        double keep = vd[i];
        vd[i] = keep + FD_H;
        double lp = loss_ref(&m, zd, vd, &c, NULL);
        vd[i] = keep - FD_H;
        double lm = loss_ref(&m, zd, vd, &c, NULL);
        vd[i] = keep;
        char w[128];
        snprintf(w, sizeof w, "∂L/∂V of sample %d vs central difference", i);
        ckx_rel_close(dv[i], (lp - lm) / (2 * FD_H), 1e-4, 1e-3, w,
                      "dv_i = c_v · ∂L^V/∂V_i (ac_value_loss writes the gradient of the mean; multiply by c_v).");
    }
}
END_TEST

/* The value clip, which the default config leaves at 0: c_v = 0.5, clip c = 0.2, samples
 * (V, V_old, R) = (1.5, 1, 2), (0.5, 1, 2), (1.1, 1, 2), (2.5, 1, 2), (0, 0, 1). By hand
 * (ℓ = ½ max(u², w²), u = V − R, w = V_old + clip(V − V_old, ±c) − R):
 *   ℓ = 0.32 (clipped, gradient 0), 1.125 (u), 0.405 (inside), 0.32 (clipped, 0), 0.5 (inside)
 *   L^V = 2.67/5 = 0.534; dℓ/dV = (0, −1.5, −0.9, 0, −1), dv = c_v·dℓ/dV/5.
 * Unclipped it would be L^V = (0.125 + 1.125 + 0.405 + 0.125 + 0.5)/5 = 0.456. */
START_TEST(loss_grads_value_clip)
{
    Minibatch m;
    mb_make(&m);
    const float v[MB_N] = { 1.5f, 0.5f, 1.1f, 2.5f, 0.0f };
    const double vold[MB_N] = { 1, 1, 1, 1, 0 }, R[MB_N] = { 2, 2, 2, 2, 1 };
    for (int i = 0; i < MB_N; i++) { m.v[i] = v[i]; m.v_old[i] = vold[i]; m.ret[i] = R[i]; }
    PpoBatch b = mb_batch(&m);
    PgDist cat = pg_categorical(MB_K);
    PpoCoefs c = { .clip_eps = 0.2, .value_coef = 0.5, .entropy_coef = 0.0, .value_clip = 0.2 };
    float dz[MB_N * MB_K] = { 0 }, dv[MB_N] = { 0 };
    PpoInfo info;
    memset(&info, 0, sizeof info);
    ppo_loss_grads(&b, &cat, m.z, m.v, &c, dz, dv, &info);
    ckx_close(info.value, 0.534, 1e-6, "info.value with value_clip 0.2 (unclipped it would be 0.456)",
              "pass c->value_clip (and b->v_old) on to ac_value_loss: the default config leaves the clip at 0, "
              "so only a test with a clip shows it is ignored.");
    const float want[MB_N] = { 0, (float)(0.5 * -1.5 / 5), (float)(0.5 * -0.9 / 5), 0, (float)(0.5 * -1.0 / 5) };
    ckx_close_arrayf(dv, want, MB_N, 1e-6, "dv with value_clip 0.2",
                     "dv_i = c_v · ∂L^V/∂V_i of the CLIPPED value loss: 0 where the clipped term is picked.");
}
END_TEST

START_TEST(loss_grads_entropy_bonus)
{
    /* Only the entropy bonus: Â = 0, c_v = 0, c_e = 1: L = −mean H, and its
     * gradient is −(1/n) ∂H_i/∂z_i: the entropy of a categorical against
     * central differences. */
    Minibatch m;
    mb_make(&m);
    for (int i = 0; i < MB_N; i++) m.adv[i] = 0.0;
    PpoBatch b = mb_batch(&m);
    PgDist cat = pg_categorical(MB_K);
    PpoCoefs c = { .clip_eps = 0.2, .value_coef = 0.0, .entropy_coef = 1.0, .value_clip = 0.0 };
    float dz[MB_N * MB_K];
    double L = ppo_loss_grads(&b, &cat, m.z, NULL, &c, dz, NULL, NULL);
    double zd[MB_N * MB_K], H = 0;
    for (int i = 0; i < MB_N * MB_K; i++) zd[i] = m.z[i];
    for (int i = 0; i < MB_N; i++) H += entropy_ref(zd + i * MB_K, MB_K) / MB_N;
    ckx_close(L, -H, 1e-6, "loss with only the entropy bonus (c_e = 1, Â = 0, no critic)",
              "the entropy bonus is SUBTRACTED from the loss: L = −c_e (1/n) Σ H_i, H = −Σ π log π.");
    for (int i = 0; i < MB_N * MB_K; i++) {
        double zp[MB_K], zm[MB_K];
        int row = i / MB_K, k = i % MB_K;
        memcpy(zp, zd + row * MB_K, sizeof zp); memcpy(zm, zd + row * MB_K, sizeof zm);
        zp[k] += FD_H; zm[k] -= FD_H;
        double fd = -(entropy_ref(zp, MB_K) - entropy_ref(zm, MB_K)) / (2 * FD_H) / MB_N;
        char w[128];
        snprintf(w, sizeof w, "∂(−mean H)/∂z of sample %d, logit %d vs central difference", row, k);
        ckx_rel_close(dz[i], fd, 1e-4, 1e-3, w,
                      "∂H/∂z_k = −π_k (log π_k + H) (pg_dist_entropy writes it); the loss has −c_e/n times it.");
    }
}
END_TEST

START_TEST(loss_grads_a2c_limit)
{
    /* Fresh rollout: logp_old = log π of the same logits, so every ρ = 1:
     * dparams_i = −(Â_i/n)(onehot(a_i) − π_i) when c_e = 0. */
    Minibatch m;
    mb_make(&m);
    double zd[MB_N * MB_K];
    for (int i = 0; i < MB_N * MB_K; i++) zd[i] = m.z[i];
    for (int i = 0; i < MB_N; i++) m.logp_old[i] += MB_SHIFT[i];   /* now exactly log π */
    PpoBatch b = mb_batch(&m);
    PgDist cat = pg_categorical(MB_K);
    PpoCoefs c = { .clip_eps = 0.2, .value_coef = 0.5, .entropy_coef = 0.0, .value_clip = 0.0 };
    float dz[MB_N * MB_K], dv[MB_N];
    PpoInfo info;
    ppo_loss_grads(&b, &cat, m.z, m.v, &c, dz, dv, &info);
    double want[MB_N * MB_K];
    for (int i = 0; i < MB_N; i++) {
        double p[MB_K];
        softmax_ref(zd + i * MB_K, MB_K, p);
        for (int k = 0; k < MB_K; k++) want[i * MB_K + k] = -(m.adv[i] / MB_N) * ((k == (int)m.act[i]) - p[k]);
    }
    float wantf[MB_N * MB_K];
    for (int i = 0; i < MB_N * MB_K; i++) wantf[i] = (float)want[i];
    ckx_close_arrayf(dz, wantf, MB_N * MB_K, 1e-6, "∂L/∂z at ρ = 1 (the A2C gradient)",
                     "on a fresh rollout every ratio is 1, nothing is clipped, and the gradient is the "
                     "actor-critic policy gradient −(Â_i/n) ∇log π(a_i|s_i).");
    ckx_close(info.clip_frac, 0.0, 1e-12, "clip fraction at ρ = 1", NULL);
    ckx_close(info.approx_kl, 0.0, 1e-9, "approx KL at ρ = 1", NULL);
}
END_TEST

/* End to end: 20 000 steps of PPO (the --quick budget, about 0.1 s) with the
 * given training loop, which calls ppo_loss_grads -> ppo_clip_objective,
 * ac_value_loss and ac_gae. A random policy lasts about 22 steps; the
 * reference solution reaches a mean of 170-190 over the last 50 episodes
 * (seeds 1 and 2). */
START_TEST(loss_grads_ppo_learns_cartpole)
{
    AcConfig c = ppo_default_config(1);
    EpisodeLog log;
    eplog_init(&log);
    ac_train_cartpole(&c, 1, &log, NULL, 1);
    ck_assert_msg(log.n >= 50, "PPO logged only %d episodes in %ld steps", log.n, c.budget);
    double last = eplog_window_mean(&log, log.n - 1, 50);
    eplog_free(&log);
    ck_assert_msg(last >= 100.0,
                  "PPO on CartPole, 20000 steps, seed 1: mean return of the last 50 episodes %.1f, expected >= 100 "
                  "(the reference reaches about 180; a random policy about 22). The unit tests above check each "
                  "piece; if they pass, look for a sign error (the loss is MINIMISED) or a gradient written for "
                  "the wrong row.", last);
}
END_TEST

/* ------------------------------------------------------------------------ */

Suite *make_chapter_suite(void)
{
    Suite *s = suite_create("07_ac");
    TCase *tc;
    tc = ckx_tcase(s, "ac_td_error", 5);
    tcase_add_test(tc, td_error_by_hand);
    tcase_add_test(tc, td_error_terminated);
    tc = ckx_tcase(s, "ac_online_grads", 5);
    tcase_add_test(tc, online_grads_by_hand);
    tcase_add_test(tc, online_grads_terminated_and_truncated);
    tcase_add_test(tc, online_grads_entropy_bonus);
    tc = ckx_tcase(s, "ac_gae", 5);
    tcase_add_test(tc, gae_lambda_zero_is_td_error);
    tcase_add_test(tc, gae_lambda_one_is_monte_carlo);
    tcase_add_test(tc, gae_general_lambda);
    tcase_add_test(tc, gae_truncated_bootstraps);
    tcase_add_test(tc, gae_episode_boundary);
    tc = ckx_tcase(s, "ac_value_loss", 5);
    tcase_add_test(tc, value_loss_unclipped);
    tcase_add_test(tc, value_loss_clipped);
    tcase_add_test(tc, value_loss_gradient_central_differences);
    tc = ckx_tcase(s, "ppo_clip_objective", 5);
    tcase_add_test(tc, ppo_inside_clip_range);
    tcase_add_test(tc, ppo_outside_clip_range);
    tcase_add_test(tc, ppo_mean_and_central_differences);
    tc = ckx_tcase(s, "ppo_loss_grads", 30);
    tcase_add_test(tc, loss_grads_value_and_terms);
    tcase_add_test(tc, loss_grads_central_differences);
    tcase_add_test(tc, loss_grads_value_clip);
    tcase_add_test(tc, loss_grads_entropy_bonus);
    tcase_add_test(tc, loss_grads_a2c_limit);
    tcase_add_test(tc, loss_grads_ppo_learns_cartpole);
    return s;
}
