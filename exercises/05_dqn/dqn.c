/* dqn.c — the pieces of DQN that are yours to write (chapter 05).
 *
 * Each function marked EXERCISE is yours to write in exercises/05_dqn/dqn.c.
 * Check your work with `make check CH=05`; the chapter program runs on your
 * code with `make run CH=05 IMPL=exercises`. Notation: see dqn.h and the
 * chapter README. The agent and the training loop that call these functions
 * are given, in dqn_train.c beside this file: read dqn_update() there to see
 * where each piece goes.
 */
#include "dqn.h"

#include <math.h>
#include <string.h>

/* ======================================================================== */
/* EXERCISE 1: push into the ring buffer (Lin 1992; Mnih et al. 2015, Methods)
 *
 *   data[head] <- *t;   head <- (head + 1) mod capacity
 *   size <- min(size + 1, capacity);   pushed <- pushed + 1
 *
 * A ring buffer keeps the LAST capacity transitions without moving memory:
 * once it is full, head points at the oldest transition, and the next push
 * overwrites it. Copy the transition (the caller reuses its variable).
 */
void dqn_buffer_push(DqnBuffer *b, const DqnTransition *t)
{
    /* TODO: your code here (see the comment above the function). */
    (void)b; (void)t;
}

/* ======================================================================== */
/* EXERCISE 2: a uniform minibatch from the buffer
 *
 *   for i = 0..n−1:   k ~ Uniform{filled slots};   row i <- data[k],  idx[i] = k
 *
 * Which slots are filled? The buffer fills slots 0, 1, 2, ... in order, and
 * once it is full every slot holds data. So the filled slots are always
 * 0..size−1, wherever head is: draw k = rng_int(rng, size), which is exactly
 * uniform (rng.h). Drawing over capacity picks empty slots before the buffer
 * is full; arithmetic relative to head invites an off-by-one at the
 * wrap-around (slot capacity−1 or the newest transition never drawn).
 */
void dqn_buffer_sample(const DqnBuffer *b, Rng *rng, DqnBatch *batch)
{
    /* TODO: your code here (see the comment above the function). */
    (void)b; (void)rng; (void)batch;
}

/* ======================================================================== */
/* EXERCISE 3: the ε schedule (Mnih et al. 2015: "annealed linearly from 1.0
 * to 0.1 over the first million frames, and fixed at 0.1 thereafter")
 *
 *   ε(t) = eps_start + (eps_end − eps_start)·min(1, t / decay_steps)
 *
 * With decay_steps <= 0 there is no decay: return eps_end. Compute t /
 * decay_steps in floating point (both are long: integer division gives 0).
 */
double dqn_epsilon(long step, double eps_start, double eps_end, long decay_steps)
{
    /* TODO: your code here (see the comment above the function). */
    (void)step; (void)eps_start; (void)eps_end; (void)decay_steps;
    return 0.0;
}

/* ======================================================================== */
/* EXERCISE 4: the DQN target (Mnih et al. 2015, Algorithm 1; seed 003 §1.3a
 * corrected: the max is taken over the TARGET network θ⁻)
 *
 *   y_i = r_i + γ·(1 − terminated_i)·max_a′ Q(s′_i, a′; θ⁻)
 *
 * q_next + i*A is the row Q(s′_i, ·; θ⁻). Terminated: s′ is terminal, its
 * value is 0 by definition, y_i = r_i. Truncated (cut at 500 steps) is not
 * terminal: the pole was still up, the future was only cut off by the clock,
 * and the target bootstraps. Start the max at the row's first entry, not at
 * 0: Q values can all be negative.
 */
void dqn_td_targets(float *y, const float *r, const unsigned char *terminated, const float *q_next, int B, int A,
                    float gamma)
{
    /* TODO: your code here (see the comment above the function). */
    (void)y; (void)r; (void)terminated; (void)q_next; (void)B; (void)A; (void)gamma;
}

/* ======================================================================== */
/* EXERCISE 5: the Double DQN target (van Hasselt et al. 2016, eq. 4; seed 003
 * §1.3c)
 *
 *   a*_i = argmax_a′ Q(s′_i, a′; θ)       chosen by the ONLINE network
 *   y_i  = r_i + γ·(1 − terminated_i)·Q(s′_i, a*_i; θ⁻)   valued by the TARGET
 *
 * Why: max_a′ Q(s′,a′;θ⁻) uses the same noisy estimates to pick the action
 * and to value it, so noise that happens to be positive is picked; E[max] >=
 * max E: DQN overestimates. Decoupling the choice from the evaluation removes
 * most of that bias. Ties in the argmax: the first index.
 */
void dqn_double_targets(float *y, const float *r, const unsigned char *terminated, const float *q_next_online,
                        const float *q_next_target, int B, int A, float gamma)
{
    /* TODO: your code here (see the comment above the function). */
    (void)y; (void)r; (void)terminated; (void)q_next_online; (void)q_next_target; (void)B; (void)A;
    (void)gamma;
}

/* ======================================================================== */
/* EXERCISE 6: the Huber loss and its gradient (Huber 1964; Mnih et al. 2015:
 * "clip the error term from the update ... to be between −1 and 1")
 *
 *   x_i = q[i, a_i] − y_i
 *   h_δ(x) = ½x²  (|x| <= δ),   δ(|x| − ½δ)  (|x| > δ)        L = (1/B) Σ_i h_δ(x_i)
 *   ∂L/∂q[i, a_i] = clamp(x_i, −δ, δ) / B,   ∂L/∂q[i, a] = 0 for a ≠ a_i
 *
 * Only the value of the action actually taken has a target; the other
 * outputs get zero gradient (write the zeros: dq is not cleared for you).
 * h_δ and h′_δ are continuous at |x| = δ: both pieces give ½δ² and ±δ there.
 * delta = INFINITY is the squared error ½x² (|x| <= ∞ always holds).
 */
float dqn_huber_loss(float *dq, const float *q, const int *a, const float *y, int B, int A, float delta)
{
    /* TODO: your code here (see the comment above the function). */
    (void)dq; (void)q; (void)a; (void)y; (void)B; (void)A; (void)delta;
    return 0.0f;
}

/* ======================================================================== */
/* EXERCISE 7: the target network's periodic sync (Mnih et al. 2015: "every C
 * updates we clone the network Q to obtain a target network Q̂")
 *
 *   if updates mod period == 0:  target <- online (n floats);  return 1
 *   else:                        return 0
 *
 * Between syncs the targets y come from a network that stands still, so the
 * regression has a fixed target for C steps instead of chasing itself.
 */
int dqn_sync_target(float *target, const float *online, int n, long updates, long period)
{
    /* TODO: your code here (see the comment above the function). */
    (void)target; (void)online; (void)n; (void)updates; (void)period;
    return 0;
}
