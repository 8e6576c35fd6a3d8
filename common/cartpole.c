/* cartpole.c — see cartpole.h.
 *
 * The arithmetic follows the classic-control CartPole-v1 source term for term
 * (the frictionless equations of Barto, Sutton & Anderson 1983), so a policy
 * trained here sees the same dynamics as one trained there.
 */
#include "cartpole.h"

#include <assert.h>
#include <math.h>

void cartpole_reset(CartPole *c, Rng *rng)
{
    /* each state variable ~ U(-0.05, 0.05), drawn in the order x, x_dot, theta, theta_dot */
    c->x         = rng_uniform_range(rng, -0.05, 0.05);
    c->x_dot     = rng_uniform_range(rng, -0.05, 0.05);
    c->theta     = rng_uniform_range(rng, -0.05, 0.05);
    c->theta_dot = rng_uniform_range(rng, -0.05, 0.05);
    c->steps = 0;
}

/* Terminated: the pole has fallen past 12 degrees or the cart left the track. */
static int out_of_bounds(const CartPole *c)
{
    return fabs(c->theta) > CARTPOLE_THETA_MAX || fabs(c->x) > CARTPOLE_X_MAX;
}

CartPoleStatus cartpole_step(CartPole *c, int action, double *reward)
{
    assert(action == 0 || action == 1);
    /* A finished episode is recognised from the state itself: it either left
     * the bounds (terminated) or used up its 500 steps (truncated). */
    assert(!out_of_bounds(c) && c->steps < CARTPOLE_MAX_STEPS);

    const double total_mass = CARTPOLE_MASS_CART + CARTPOLE_MASS_POLE;        /* M */
    const double polemass_length = CARTPOLE_MASS_POLE * CARTPOLE_HALF_LEN;    /* m_p l */
    double force = action == 1 ? CARTPOLE_FORCE : -CARTPOLE_FORCE;
    double cos_t = cos(c->theta), sin_t = sin(c->theta);

    /* accelerations from the state before the step:
     *   temp      = (F + m_p l theta_dot^2 sin(theta)) / M
     *   theta_acc = (g sin(theta) - cos(theta) temp) / (l (4/3 - m_p cos^2(theta) / M))
     *   x_acc     = temp - m_p l theta_acc cos(theta) / M                          */
    double temp = (force + polemass_length * c->theta_dot * c->theta_dot * sin_t) / total_mass;
    double theta_acc = (CARTPOLE_GRAVITY * sin_t - cos_t * temp)
                     / (CARTPOLE_HALF_LEN * (4.0 / 3.0 - CARTPOLE_MASS_POLE * cos_t * cos_t / total_mass));
    double x_acc = temp - polemass_length * theta_acc * cos_t / total_mass;

    /* explicit Euler, positions first with the old velocities */
    c->x         += CARTPOLE_TAU * c->x_dot;
    c->x_dot     += CARTPOLE_TAU * x_acc;
    c->theta     += CARTPOLE_TAU * c->theta_dot;
    c->theta_dot += CARTPOLE_TAU * theta_acc;
    c->steps++;

    *reward = 1.0;   /* the terminating step is rewarded too */
    if (out_of_bounds(c)) return CP_TERMINATED;                /* termination wins over truncation */
    if (c->steps >= CARTPOLE_MAX_STEPS) return CP_TRUNCATED;
    return CP_RUNNING;
}

void cartpole_obs(const CartPole *c, float obs[CARTPOLE_OBS_DIM])
{
    obs[0] = (float)c->x;
    obs[1] = (float)c->x_dot;
    obs[2] = (float)c->theta;
    obs[3] = (float)c->theta_dot;
}
