/* gridworld — finite MDPs with a known model, and the grid worlds of Sutton &
 * Barto (2nd ed.) used by the tabular chapters.
 *
 * An Mdp stores the full model densely: P(s'|s,a) and r(s,a,s') for every
 * triple, so dynamic programming (chapter 01) can sweep it and a model-free
 * agent (chapter 02) can sample from it with mdp_step(). Grid worlds number
 * their states row-major, s = row * cols + col, row 0 at the top; actions are
 * GW_UP, GW_RIGHT, GW_DOWN, GW_LEFT (0..3).
 *
 * Terminal states are absorbing with zero reward (P(s|s,a) = 1, r = 0), so
 * dynamic programming needs no special case and V(terminal) = 0 follows from
 * the Bellman equation. mdp_step() reports reaching one through *done.
 *
 * Memory: an Mdp owns its arrays; mdp_free() releases them. Constructors
 * return NULL when out of memory.
 */
#ifndef GRIDWORLD_H
#define GRIDWORLD_H
#include "rng.h"

enum { GW_UP = 0, GW_RIGHT = 1, GW_DOWN = 2, GW_LEFT = 3, GW_NUM_ACTIONS = 4 };

typedef struct {
    int n_states;            /* S */
    int n_actions;           /* A */
    int rows, cols;          /* grid shape (rows * cols == S for grid worlds) */
    double *P;               /* (S, A, S): P[(s*A + a)*S + s'] = P(s'|s,a) */
    double *R;               /* (S, A, S): reward r(s,a,s') */
    unsigned char *terminal; /* (S): 1 for absorbing terminal states */
    int start;               /* start state of episodic tasks, -1 if none */
    double gamma;            /* the discount the book uses with this MDP */
    const char *name;        /* e.g. "Example 3.5 gridworld" */
} Mdp;

/* An empty model with S states and A actions, for tests and hand-built MDPs:
 * P, R and terminal all zero, start -1, gamma 1, shape 1 x S. NULL when out
 * of memory or when S < 1, A < 1 or S*A*S does not fit in an int. */
Mdp *mdp_alloc(int n_states, int n_actions);
void mdp_free(Mdp *m);

/* Index helpers for the (S, A, S) arrays. */
static inline int mdp_idx(const Mdp *m, int s, int a, int s2) { return (s * m->n_actions + a) * m->n_states + s2; }

/* Expected immediate reward r(s,a) = sum_s' P(s'|s,a) r(s,a,s'). */
double mdp_expected_reward(const Mdp *m, int s, int a);

/* Sample s' ~ P(.|s,a); sets *reward = r(s,a,s') and *done = terminal[s'].
 * Returns s'. */
int mdp_step(const Mdp *m, int s, int a, Rng *rng, double *reward, int *done);

/* Example 3.5 (Fig. 3.2, 3.5): 5x5, gamma 0.9. From A = (0,1) every action
 * moves to A' = (4,1) with +10; from B = (0,3) to B' = (2,3) with +5; a move off
 * the grid leaves the state unchanged with -1; all other moves 0. No terminal. */
Mdp *gw_example_3_5(void);
enum { GW35_A = 1, GW35_A_PRIME = 21, GW35_B = 3, GW35_B_PRIME = 13 };

/* Example 4.1 (Fig. 4.1): 4x4, gamma 1, reward -1 on every move, terminal
 * states 0 and 15 (two opposite corners); a move off the grid stays put. */
Mdp *gw_example_4_1(void);

/* Example 6.6 cliff walking: 4x12, gamma 1, start (3,0), goal (3,11) terminal,
 * the cliff is (3,1)..(3,10). Each move -1; a move into the cliff gives -100
 * and sends the agent back to the start WITHOUT ending the episode, so no
 * transition ever lands on a cliff cell (their own rows exist only so that
 * every P(.|s,a) is a distribution). */
Mdp *gw_cliff(void);
enum { CLIFF_ROWS = 4, CLIFF_COLS = 12, CLIFF_START = 36, CLIFF_GOAL = 47 };

/* Arrow name of an action: "up", "right", "down", "left". */
const char *gw_action_name(int a);
/* Row/column offset of an action: up is (-1, 0). */
void gw_action_delta(int a, int *drow, int *dcol);

#endif
