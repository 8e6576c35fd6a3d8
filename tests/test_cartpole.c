/* test_cartpole.c — the cart-pole follows the CartPole-v1 equations and
 * integration order, ends episodes at the right step, and tells termination
 * from truncation.
 *
 * The reference here is a separate transcription of the equations in
 * COURSE.md ("Reference facts", CartPole), computed in long double, so that an
 * error in the module's formula, constants or update order shows up as a
 * trajectory that drifts away from it.
 */
#include "ckx.h"
#include "cartpole.h"

#include <math.h>
#include <stdio.h>

#define TOL_TRAJ 1e-9   /* double vs long double along 200 steps of an unstable system (measured 6e-11) */

/* ------------------------------------------------------------------ reference */

typedef struct { long double x, v, th, w; } Ref;   /* x, x_dot, theta, theta_dot */

/* g 9.8, cart 1.0, pole 0.1, half-length 0.5, force +-10 N (1 = right), tau 0.02 */
static Ref ref_step(Ref s, int action)
{
    const long double g = 9.8L, mc = 1.0L, mp = 0.1L, l = 0.5L, tau = 0.02L;
    const long double M = mc + mp;
    long double F = action == 1 ? 10.0L : -10.0L;
    long double sn = sinl(s.th), cs = cosl(s.th);
    long double temp = (F + mp * l * s.w * s.w * sn) / M;
    long double th_acc = (g * sn - cs * temp) / (l * (4.0L / 3.0L - mp * cs * cs / M));
    long double x_acc = temp - mp * l * th_acc * cs / M;
    Ref n;
    n.x = s.x + tau * s.v;     /* positions first, with the old velocities */
    n.v = s.v + tau * x_acc;
    n.th = s.th + tau * s.w;
    n.w = s.w + tau * th_acc;
    return n;
}

/* 12 degrees, and the track half-width */
static int ref_done(Ref s)
{
    const long double theta_max = 12.0L * 3.14159265358979323846264338L / 180.0L;
    return fabsl(s.th) > theta_max || fabsl(s.x) > 2.4L;
}

/* A balancing controller: push towards where the pole is falling, with a weak
 * pull of the cart back to the centre (without the x terms the cart drifts to
 * |x| ~ 2.1 for some starts). Kept 200 seeded resets up for 500 steps. */
static int balance(double x, double v, double th, double w)
{
    return 0.05 * x + 0.1 * v + th + 0.5 * w > 0;
}

static CartPole at(double x, double v, double th, double w, int steps)
{
    CartPole c = { .x = x, .x_dot = v, .theta = th, .theta_dot = w, .steps = steps };
    return c;
}

static void expect_state(const CartPole *c, Ref r, double tol, int step, const char *hint)
{
    char what[96];
    snprintf(what, sizeof what, "x after step %d", step);
    ckx_close(c->x, (double)r.x, tol, what, hint);
    snprintf(what, sizeof what, "x_dot after step %d", step);
    ckx_close(c->x_dot, (double)r.v, tol, what, hint);
    snprintf(what, sizeof what, "theta after step %d", step);
    ckx_close(c->theta, (double)r.th, tol, what, hint);
    snprintf(what, sizeof what, "theta_dot after step %d", step);
    ckx_close(c->theta_dot, (double)r.w, tol, what, hint);
}

/* ------------------------------------------------------------------ tests */

/* From rest, action 1 (F = +10): sin 0 = 0, cos 0 = 1, M = 1.1, so
 *   temp      = 10 / 1.1 = 100/11
 *   theta_acc = -(100/11) / (0.5 (4/3 - 0.1/1.1)) = -(100/11) / (41/66) = -600/41
 *   x_acc     = 100/11 + 0.05 (600/41) / 1.1 = 400/41
 * and one Euler step leaves the positions at 0 (old velocities are 0):
 *   x = 0, x_dot = 0.02 * 400/41 = 8/41, theta = 0, theta_dot = -0.02 * 600/41 = -12/41. */
START_TEST(one_step_from_rest_by_hand)
{
    const char *hint = "positions move with the OLD velocities (x += tau x_dot before x_dot += tau x_acc)";
    for (int action = 0; action <= 1; action++) {
        double sign = action == 1 ? 1.0 : -1.0;
        CartPole c = at(0, 0, 0, 0, 0);
        double r = 0;
        CartPoleStatus st = cartpole_step(&c, action, &r);
        ck_assert_msg(st == CP_RUNNING, "one step from rest returned status %d", st);
        ckx_close(r, 1.0, TOL_EXACT, "reward", "every step gives +1");
        ck_assert_int_eq(c.steps, 1);
        ckx_close(c.x, 0.0, TOL_EXACT, "x after one step from rest", hint);
        ckx_close(c.x_dot, sign * 8.0 / 41.0, TOL_EXACT, "x_dot after one step from rest (8/41)",
                  "x_acc = temp - m_p l theta_acc cos(theta) / M, with temp = F / M");
        ckx_close(c.theta, 0.0, TOL_EXACT, "theta after one step from rest", hint);
        ckx_close(c.theta_dot, -sign * 12.0 / 41.0, TOL_EXACT, "theta_dot after one step from rest (-12/41)",
                  "theta_acc = (g sin - cos temp) / (l (4/3 - m_p cos^2 / M)); pushing right tips the pole left");
    }
}
END_TEST

/* 200 steps of a fixed action sequence (the controller's choices along the
 * reference trajectory, then replayed open-loop) from a fixed tilted start. */
START_TEST(trajectory_matches_independent_euler)
{
    enum { N = 200 };
    int actions[N];
    Ref ref[N + 1];
    ref[0] = (Ref){ 0.01, -0.02, 0.03, -0.04 };   /* the doubles the module starts from */
    for (int t = 0; t < N; t++) {
        actions[t] = balance((double)ref[t].x, (double)ref[t].v, (double)ref[t].th, (double)ref[t].w);
        ref[t + 1] = ref_step(ref[t], actions[t]);
        ck_assert_msg(!ref_done(ref[t + 1]), "reference fell at step %d: the test's controller is broken", t + 1);
    }
    CartPole c = at(0.01, -0.02, 0.03, -0.04, 0);
    for (int t = 0; t < N; t++) {
        double r;
        CartPoleStatus st = cartpole_step(&c, actions[t], &r);
        ck_assert_msg(st == CP_RUNNING, "status %d at step %d; the reference is still running", st, t + 1);
        expect_state(&c, ref[t + 1], TOL_TRAJ, t + 1,
                     "compare the equations and the Euler order with the header, and the constants");
    }
    ck_assert_int_eq(c.steps, N);
}
END_TEST

/* Constant right push from rest: the pole falls left. The episode terminates
 * at the first step where |theta| > 12 degrees (step 9), and that step is
 * still rewarded. */
START_TEST(constant_push_terminates_on_the_right_step)
{
    Ref s = { 0, 0, 0, 0 };
    int k = 0;
    do { s = ref_step(s, 1); k++; } while (!ref_done(s) && k < 1000);
    ck_assert_msg(k == 9, "reference: constant right push from rest should fall at step 9, fell at %d", k);

    CartPole c = at(0, 0, 0, 0, 0);
    s = (Ref){ 0, 0, 0, 0 };
    for (int t = 1; t <= k; t++) {
        double r = 0;
        CartPoleStatus st = cartpole_step(&c, 1, &r);
        s = ref_step(s, 1);
        ckx_close(r, 1.0, TOL_EXACT, "reward", "every step gives +1, the terminating one included");
        if (t < k)
            ck_assert_msg(st == CP_RUNNING, "status %d at step %d, |theta| = %.5f: too early (12 deg = 0.20944 rad)",
                          st, t, fabs(c.theta));
        else
            ck_assert_msg(st == CP_TERMINATED, "status %d at step %d, |theta| = %.5f > 0.20944: should terminate",
                          st, t, fabs(c.theta));
        expect_state(&c, s, TOL_TRAJ, t, "compare the equations and the Euler order with the header");
    }
    ck_assert_int_eq(c.steps, k);
}
END_TEST

/* theta_max is 12 degrees = 0.20944 rad: one step of theta_dot moves theta by
 * 0.02 theta_dot (positions use the old velocity). */
START_TEST(pole_angle_threshold_is_12_degrees)
{
    double r;
    CartPole c = at(0, 0, 0.2, 0.45, 0);            /* theta -> 0.2090 */
    ck_assert_msg(cartpole_step(&c, 1, &r) == CP_RUNNING, "theta = %.4f < 12 deg terminated", c.theta);
    c = at(0, 0, 0.2, 0.5, 0);                      /* theta -> 0.2100 */
    ck_assert_msg(cartpole_step(&c, 1, &r) == CP_TERMINATED, "theta = %.4f > 12 deg did not terminate", c.theta);
    c = at(0, 0, -0.2, -0.5, 0);
    ck_assert_msg(cartpole_step(&c, 0, &r) == CP_TERMINATED, "theta = %.4f < -12 deg did not terminate", c.theta);
    ckx_close(r, 1.0, TOL_EXACT, "reward of the terminating step", "the last step is rewarded too");
}
END_TEST

START_TEST(cart_leaving_the_track_terminates)
{
    double r;
    CartPole c = at(2.39, 1.0, 0, 0, 0);             /* x -> 2.41 */
    ck_assert_msg(cartpole_step(&c, 1, &r) == CP_TERMINATED, "x = %.4f > 2.4 did not terminate", c.x);
    c = at(-2.39, -1.0, 0, 0, 0);                    /* x -> -2.41 */
    ck_assert_msg(cartpole_step(&c, 0, &r) == CP_TERMINATED, "x = %.4f < -2.4 did not terminate", c.x);
    c = at(2.3, 1.0, 0, 0, 0);                       /* x -> 2.32 */
    ck_assert_msg(cartpole_step(&c, 1, &r) == CP_RUNNING, "x = %.4f inside the track terminated", c.x);
}
END_TEST

/* A balanced episode runs 499 steps and is TRUNCATED by the 500th. */
START_TEST(truncated_at_step_500)
{
    Rng rng; rng_seed(&rng, 2024);
    CartPole c;
    cartpole_reset(&c, &rng);
    for (int t = 1; t <= 500; t++) {
        double r = 0;
        CartPoleStatus st = cartpole_step(&c, balance(c.x, c.x_dot, c.theta, c.theta_dot), &r);
        ckx_close(r, 1.0, TOL_EXACT, "reward", "every step gives +1");
        if (t < 500)
            ck_assert_msg(st == CP_RUNNING, "status %d at step %d (x = %.3f, theta = %.3f); expected running until 500",
                          st, t, c.x, c.theta);
        else
            ck_assert_msg(st == CP_TRUNCATED, "status %d at step 500; expected CP_TRUNCATED (%d): "
                          "the time limit truncates, it does not terminate", st, CP_TRUNCATED);
    }
    ck_assert_int_eq(c.steps, 500);
}
END_TEST

/* Falling on the 500th step is a termination: the pole really fell. */
START_TEST(termination_wins_over_truncation)
{
    double r;
    CartPole c = at(2.39, 1.0, 0, 0, 499);
    CartPoleStatus st = cartpole_step(&c, 1, &r);
    ck_assert_msg(st == CP_TERMINATED, "leaving the track on step 500 gave status %d, expected CP_TERMINATED", st);
    c = at(0, 0, 0, 0, 499);
    st = cartpole_step(&c, 1, &r);
    ck_assert_msg(st == CP_TRUNCATED, "step 500 inside the bounds gave status %d, expected CP_TRUNCATED", st);
}
END_TEST

START_TEST(reset_draws_small_uniform_state)
{
    Rng rng;
    double lo = 1, hi = -1, sum = 0;
    CartPole first = { 0 };
    int n = 0, differ = 0;
    for (uint64_t seed = 0; seed < 500; seed++) {
        rng_seed(&rng, seed);
        CartPole c = at(9, 9, 9, 9, 77);
        cartpole_reset(&c, &rng);
        ck_assert_int_eq(c.steps, 0);
        double v[4] = { c.x, c.x_dot, c.theta, c.theta_dot };
        for (int i = 0; i < 4; i++) {
            ck_assert_msg(v[i] >= -0.05 && v[i] < 0.05, "reset variable %d = %g outside U(-0.05, 0.05)", i, v[i]);
            lo = fmin(lo, v[i]); hi = fmax(hi, v[i]); sum += v[i]; n++;
        }
        if (seed == 0) first = c;
        else differ += c.x != first.x && c.theta != first.theta;

        Rng again; rng_seed(&again, seed);
        CartPole d;
        cartpole_reset(&d, &again);
        ck_assert_msg(d.x == c.x && d.x_dot == c.x_dot && d.theta == c.theta && d.theta_dot == c.theta_dot,
                      "seed %d gave two different reset states", (int)seed);
    }
    ck_assert_msg(differ == 499, "only %d of 499 seeds gave a reset different from seed 0", differ);
    ck_assert_msg(lo < -0.049 && hi > 0.049, "reset range [%g, %g]: should fill (-0.05, 0.05)", lo, hi);
    /* mean of 2000 U(-0.05, 0.05): sd 0.1/sqrt(12 * 2000) = 6.5e-4; 5 sigma */
    ckx_close(sum / n, 0.0, 5 * 0.1 / sqrt(12.0 * n), "mean of reset variables", "draw from U(-0.05, 0.05)");
}
END_TEST

START_TEST(obs_is_the_state_as_float)
{
    CartPole c = at(0.1, -0.2, 0.03, -0.4, 5);
    float obs[CARTPOLE_OBS_DIM];
    cartpole_obs(&c, obs);
    const float want[4] = { 0.1f, -0.2f, 0.03f, -0.4f };
    ckx_close_arrayf(obs, want, 4, 0.0, "cartpole_obs", "the order is (x, x_dot, theta, theta_dot)");
}
END_TEST

Suite *make_cartpole_suite(void)
{
    Suite *s = suite_create("cartpole");
    TCase *tc = ckx_tcase(s, "cartpole", 10);
    tcase_add_test(tc, one_step_from_rest_by_hand);
    tcase_add_test(tc, trajectory_matches_independent_euler);
    tcase_add_test(tc, constant_push_terminates_on_the_right_step);
    tcase_add_test(tc, pole_angle_threshold_is_12_degrees);
    tcase_add_test(tc, cart_leaving_the_track_terminates);
    tcase_add_test(tc, truncated_at_step_500);
    tcase_add_test(tc, termination_wins_over_truncation);
    tcase_add_test(tc, reset_draws_small_uniform_state);
    tcase_add_test(tc, obs_is_the_state_as_float);
    return s;
}
