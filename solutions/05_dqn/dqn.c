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
    // BEGIN SOLUTION
    b->data[b->head] = *t;
    b->head = (b->head + 1) % b->capacity;
    if (b->size < b->capacity) b->size++;
    b->pushed++;
    // END SOLUTION
    // STUB (void)b; (void)t;
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
    // BEGIN SOLUTION
    for (int i = 0; i < batch->n; i++) {
        int k = rng_int(rng, b->size);
        const DqnTransition *t = &b->data[k];
        batch->idx[i] = k;
        memcpy(batch->s + (size_t)i * DQN_OBS, t->s, sizeof t->s);
        memcpy(batch->s2 + (size_t)i * DQN_OBS, t->s2, sizeof t->s2);
        batch->a[i] = t->a;
        batch->r[i] = t->r;
        batch->terminated[i] = t->terminated;
    }
    // END SOLUTION
    // STUB (void)b; (void)rng; (void)batch;
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
    // BEGIN SOLUTION
    if (decay_steps <= 0) return eps_end;
    double frac = (double)step / (double)decay_steps;
    if (frac > 1.0) frac = 1.0;
    if (frac < 0.0) frac = 0.0;
    return eps_start + (eps_end - eps_start) * frac;
    // END SOLUTION
    // STUB (void)step; (void)eps_start; (void)eps_end; (void)decay_steps;
    // STUB return 0.0;
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
    // BEGIN SOLUTION
    for (int i = 0; i < B; i++) {
        const float *q = q_next + (size_t)i * A;
        float best = q[0];
        for (int a = 1; a < A; a++) best = fmaxf(best, q[a]);
        y[i] = terminated[i] ? r[i] : r[i] + gamma * best;
    }
    // END SOLUTION
    // STUB (void)y; (void)r; (void)terminated; (void)q_next; (void)B; (void)A; (void)gamma;
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
    // BEGIN SOLUTION
    for (int i = 0; i < B; i++) {
        const float *qo = q_next_online + (size_t)i * A;
        int best = 0;
        for (int a = 1; a < A; a++)
            if (qo[a] > qo[best]) best = a;
        y[i] = terminated[i] ? r[i] : r[i] + gamma * q_next_target[(size_t)i * A + best];
    }
    // END SOLUTION
    // STUB (void)y; (void)r; (void)terminated; (void)q_next_online; (void)q_next_target; (void)B; (void)A;
    // STUB (void)gamma;
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
    // BEGIN SOLUTION
    double loss = 0.0;
    for (int i = 0; i < B; i++) {
        float *d = dq + (size_t)i * A;
        for (int b = 0; b < A; b++) d[b] = 0.0f;
        float x = q[(size_t)i * A + a[i]] - y[i];
        float ax = fabsf(x);
        if (ax <= delta) {
            loss += 0.5 * (double)x * x;
            d[a[i]] = x / B;
        } else {
            loss += (double)delta * (ax - 0.5 * (double)delta);
            d[a[i]] = (x > 0 ? delta : -delta) / B;
        }
    }
    return (float)(loss / B);
    // END SOLUTION
    // STUB (void)dq; (void)q; (void)a; (void)y; (void)B; (void)A; (void)delta;
    // STUB return 0.0f;
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
    // BEGIN SOLUTION
    if (period <= 0 || updates % period != 0) return 0;
    memcpy(target, online, (size_t)n * sizeof *target);
    return 1;
    // END SOLUTION
    // STUB (void)target; (void)online; (void)n; (void)updates; (void)period;
    // STUB return 0;
}
