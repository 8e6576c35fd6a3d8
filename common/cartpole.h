/* cartpole — the classic cart-pole balancing task (Barto, Sutton & Anderson
 * 1983), with the constants and integration of the classic-control benchmark
 * CartPole-v1.
 *
 * State (x, x_dot, theta, theta_dot). Action 0 pushes left, 1 pushes right with
 * |F| = 10 N. Dynamics (explicit Euler, positions first with the old
 * velocities, tau = 0.02 s):
 *   temp      = (F + m_p l theta_dot^2 sin(theta)) / M            (M = m_c + m_p)
 *   theta_acc = (g sin(theta) - cos(theta) temp) / (l (4/3 - m_p cos^2(theta) / M))
 *   x_acc     = temp - m_p l theta_acc cos(theta) / M
 *   x += tau x_dot;  x_dot += tau x_acc;  theta += tau theta_dot;  theta_dot += tau theta_acc
 * g = 9.8, m_c = 1.0, m_p = 0.1, l = 0.5 (half the pole's length).
 *
 * Every step gives reward +1, the last one included. After the step the
 * episode TERMINATES if |theta| > 12 degrees (0.20944 rad) or |x| > 2.4, and is
 * otherwise TRUNCATED when it reaches 500 steps. The difference matters: a
 * value target bootstraps from a truncated state, never from a terminated one.
 * Reset draws each state variable from U(-0.05, 0.05).
 */
#ifndef CARTPOLE_H
#define CARTPOLE_H
#include "rng.h"

#define CARTPOLE_GRAVITY    9.8
#define CARTPOLE_MASS_CART  1.0
#define CARTPOLE_MASS_POLE  0.1
#define CARTPOLE_HALF_LEN   0.5
#define CARTPOLE_FORCE      10.0
#define CARTPOLE_TAU        0.02
#define CARTPOLE_THETA_MAX  (12.0 * 2.0 * 3.14159265358979323846 / 360.0)   /* 0.20944 rad */
#define CARTPOLE_X_MAX      2.4
#define CARTPOLE_MAX_STEPS  500
#define CARTPOLE_OBS_DIM    4
#define CARTPOLE_ACTIONS    2

typedef enum { CP_RUNNING = 0, CP_TERMINATED = 1, CP_TRUNCATED = 2 } CartPoleStatus;

typedef struct {
    double x, x_dot, theta, theta_dot;  /* state */
    int steps;                          /* steps taken in this episode */
} CartPole;

void cartpole_reset(CartPole *c, Rng *rng);                 /* new episode */
/* One step with action 0 (left) or 1 (right); *reward = 1. Returns the status
 * after the step. Stepping a finished episode (state out of bounds, or 500
 * steps taken) is a caller error (asserted); cartpole_reset() starts anew. */
CartPoleStatus cartpole_step(CartPole *c, int action, double *reward);
void cartpole_obs(const CartPole *c, float obs[CARTPOLE_OBS_DIM]);  /* (x, x_dot, theta, theta_dot) */

#endif
