/* gridworld.c — see gridworld.h.
 *
 * The three grid worlds are built the same way: for every state s and action
 * a, work out the one successor s' and reward r by the book's rules, and store
 * P(s'|s,a) = 1, r(s,a,s') = r. All three are deterministic; the dense (S, A, S)
 * layout is there so that stochastic MDPs (built with mdp_alloc) fit too.
 */
#include "gridworld.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ the model */

Mdp *mdp_alloc(int n_states, int n_actions)
{
    if (n_states < 1 || n_actions < 1) return NULL;
    size_t S = (size_t)n_states, A = (size_t)n_actions;
    if (S > SIZE_MAX / sizeof(double) / A / S) return NULL;   /* S*A*S doubles would overflow */
    if (S * A * S > (size_t)INT_MAX) return NULL;              /* mdp_idx() computes in int */

    Mdp *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->n_states = n_states;
    m->n_actions = n_actions;
    m->rows = 1;
    m->cols = n_states;
    m->P = calloc(S * A * S, sizeof *m->P);
    m->R = calloc(S * A * S, sizeof *m->R);
    m->terminal = calloc(S, sizeof *m->terminal);
    if (!m->P || !m->R || !m->terminal) { mdp_free(m); return NULL; }
    m->start = -1;
    m->gamma = 1.0;
    m->name = "hand-built MDP";
    return m;
}

void mdp_free(Mdp *m)
{
    if (!m) return;
    free(m->P);
    free(m->R);
    free(m->terminal);
    free(m);
}

/* r(s,a) = sum_s' P(s'|s,a) r(s,a,s')   (S&B eq. 3.5) */
double mdp_expected_reward(const Mdp *m, int s, int a)
{
    assert(s >= 0 && s < m->n_states && a >= 0 && a < m->n_actions);
    const double *p = m->P + mdp_idx(m, s, a, 0);
    const double *r = m->R + mdp_idx(m, s, a, 0);
    double sum = 0.0;
    for (int s2 = 0; s2 < m->n_states; s2++) sum += p[s2] * r[s2];
    return sum;
}

/* s' ~ P(.|s,a) by inverse CDF over the row (rng_categorical). One uniform draw
 * per step, deterministic rows included, so a run's stream does not depend on
 * which transitions happen to be stochastic. */
int mdp_step(const Mdp *m, int s, int a, Rng *rng, double *reward, int *done)
{
    assert(s >= 0 && s < m->n_states && a >= 0 && a < m->n_actions);
    int s2 = rng_categorical(rng, m->P + mdp_idx(m, s, a, 0), m->n_states);
    *reward = m->R[mdp_idx(m, s, a, s2)];
    *done = m->terminal[s2];
    return s2;
}

/* ------------------------------------------------------------------ actions */

const char *gw_action_name(int a)
{
    static const char *const names[GW_NUM_ACTIONS] = { "up", "right", "down", "left" };
    return a >= 0 && a < GW_NUM_ACTIONS ? names[a] : "?";
}

void gw_action_delta(int a, int *drow, int *dcol)
{
    static const int dr[GW_NUM_ACTIONS] = { -1, 0, 1, 0 };
    static const int dc[GW_NUM_ACTIONS] = { 0, 1, 0, -1 };
    assert(a >= 0 && a < GW_NUM_ACTIONS);
    *drow = dr[a];
    *dcol = dc[a];
}

/* ------------------------------------------------------------------ grid worlds */

/* An empty rows x cols grid with the four compass actions. */
static Mdp *grid_alloc(int rows, int cols, double gamma, const char *name)
{
    Mdp *m = mdp_alloc(rows * cols, GW_NUM_ACTIONS);
    if (!m) return NULL;
    m->rows = rows;
    m->cols = cols;
    m->gamma = gamma;
    m->name = name;
    return m;
}

/* The cell an action leads to; *bumped = 1 (and s itself) if it would leave
 * the grid. */
static int grid_move(const Mdp *m, int s, int a, int *bumped)
{
    int dr, dc;
    gw_action_delta(a, &dr, &dc);
    int row = s / m->cols + dr, col = s % m->cols + dc;
    *bumped = row < 0 || row >= m->rows || col < 0 || col >= m->cols;
    return *bumped ? s : row * m->cols + col;
}

/* Deterministic transition: P(s2|s,a) = 1 with reward r. */
static void set_transition(Mdp *m, int s, int a, int s2, double r)
{
    m->P[mdp_idx(m, s, a, s2)] = 1.0;
    m->R[mdp_idx(m, s, a, s2)] = r;
}

/* Absorbing terminal: every action stays, reward 0. */
static void set_terminal(Mdp *m, int s)
{
    m->terminal[s] = 1;
    for (int a = 0; a < m->n_actions; a++) set_transition(m, s, a, s, 0.0);
}

Mdp *gw_example_3_5(void)
{
    Mdp *m = grid_alloc(5, 5, 0.9, "Example 3.5 gridworld");
    if (!m) return NULL;
    for (int s = 0; s < m->n_states; s++)
        for (int a = 0; a < GW_NUM_ACTIONS; a++) {
            int bumped;
            int s2 = grid_move(m, s, a, &bumped);
            if (s == GW35_A)      set_transition(m, s, a, GW35_A_PRIME, 10.0);  /* any action */
            else if (s == GW35_B) set_transition(m, s, a, GW35_B_PRIME, 5.0);
            else                  set_transition(m, s, a, s2, bumped ? -1.0 : 0.0);
        }
    return m;
}

Mdp *gw_example_4_1(void)
{
    Mdp *m = grid_alloc(4, 4, 1.0, "Example 4.1 gridworld");
    if (!m) return NULL;
    for (int s = 1; s < m->n_states - 1; s++)
        for (int a = 0; a < GW_NUM_ACTIONS; a++) {
            int bumped;
            set_transition(m, s, a, grid_move(m, s, a, &bumped), -1.0);   /* a bump costs -1 too */
        }
    set_terminal(m, 0);
    set_terminal(m, m->n_states - 1);
    return m;
}

/* The cliff is the bottom row between start and goal. */
static int is_cliff(int s) { return s > CLIFF_START && s < CLIFF_GOAL; }

Mdp *gw_cliff(void)
{
    Mdp *m = grid_alloc(CLIFF_ROWS, CLIFF_COLS, 1.0, "Example 6.6 cliff walking");
    if (!m) return NULL;
    m->start = CLIFF_START;
    for (int s = 0; s < m->n_states; s++) {
        if (s == CLIFF_GOAL) continue;
        /* Cliff cells are never occupied, but they get ordinary rows too so
         * that every P(.|s,a) sums to 1 and sweeps need no special case. */
        for (int a = 0; a < GW_NUM_ACTIONS; a++) {
            int bumped;
            int s2 = grid_move(m, s, a, &bumped);
            if (is_cliff(s2)) set_transition(m, s, a, CLIFF_START, -100.0);  /* back to start, not done */
            else              set_transition(m, s, a, s2, -1.0);
        }
    }
    set_terminal(m, CLIFF_GOAL);
    return m;
}
