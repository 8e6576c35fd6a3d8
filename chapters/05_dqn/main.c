/* 05_dqn — deep Q-networks on CartPole-v1: experience replay, a target
 * network, and Double DQN.
 *
 * What it shows:
 *   1. Learning curves of DQN and Double DQN on the course's CartPole axes
 *      (mean return of the last 100 TRAINING episodes, which act ε-greedily,
 *      against environment steps; mean over seeds with the min–max band), and
 *      the same zoomed to this chapter's budget.
 *   2. For each method and seed: solved or not, the environment steps and the
 *      wall time it took. Solved = the course's rule: the first 100
 *      consecutive TRAINING episodes with mean return >= 475. Second number:
 *      the first greedy EVALUATION block (100 episodes with ε = 0, every
 *      --eval-every training steps) with mean return >= 475.
 *   3. Every seed's evaluation blocks: how DQN's greedy policy reaches 500
 *      and how unstable it stays afterwards.
 *   4. Overestimation: the network's mean max_a Q(s,a) at the states its
 *      greedy policy visits, against the discounted return actually obtained
 *      from those states, over training, for DQN and for Double DQN; and
 *      how often Double DQN's target differs from DQN's at all.
 *   5. Why that difference is small: the bias of a max over noisy estimates
 *      for the single and the double estimator, with correlated errors.
 * Seed s of both methods is --seed + s (the two methods start from the same
 * network); runs are spread over --threads threads, one run per thread, with
 * the same results on any number.
 */
#include "cli.h"
#include "dqn.h"
#include "exercise.h"
#include "main.h"
#include "parallel.h"
#include "plot.h"
#include "progress.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a training job needs besides its Job. */
typedef struct {
    Job *jobs;
    int quiet;
} Runs;

/* The best mean of 100 consecutive training episodes (for the summary). */
static double best_window(const EpisodeLog *l)
{
    double best = 0;
    for (int i = EPLOG_SOLVE_WINDOW - 1; i < l->n; i++) best = fmax(best, eplog_window_mean(l, i, EPLOG_SOLVE_WINDOW));
    return best;
}

/* One job's line(s), written with a single printf so parallel jobs never mix. */
static void print_job(const Job *j)
{
    const DqnStats *st = &j->st;
    char solved[64], greedy[64], diverged[160] = "";
    if (j->solved >= 0) snprintf(solved, sizeof solved, "solved at %6ld steps", j->solved);
    else snprintf(solved, sizeof solved, "NOT SOLVED (best 100: %3.0f)", best_window(&j->log));
    if (j->solved_greedy >= 0) snprintf(greedy, sizeof greedy, "first >= 475 at %6ld", j->solved_greedy);
    else snprintf(greedy, sizeof greedy, "never >= 475");
    if (st->diverged)
        snprintf(diverged, sizeof diverged, "  *** the loss became %g at step %ld: the run stopped. Lower --lr or "
                 "--delta. ***\n", st->last_loss, st->steps);
    printf("  %-10s seed %-3llu %s   wall %5.2f s (cpu %5.2f s)   greedy blocks: %s, last %.1f\n%s",
           dqn_method_name(j->cfg.method), (unsigned long long)j->seed, solved, st->seconds, j->cpu, greedy,
           st->n_evals ? st->evals[st->n_evals - 1].mean_return : NAN, diverged);
    fflush(stdout);
}

/* One job; its lines are printed in one go, so lines of parallel jobs never mix. */
static void run_job(void *ctx, int i)
{
    Runs *r = ctx;
    Job *j = &r->jobs[i];
    double c0 = progress_thread_cpu();
    j->solved = dqn_train_cartpole(&j->cfg, j->seed, &j->log, &j->st);   /* = eplog_cartpole_solved */
    j->solved_greedy = j->st.solved_step;
    j->cpu = progress_thread_cpu() - c0;
    if (!r->quiet) print_job(j);
}

/* Before training: stop, naming the exercise, if one is still its stub (one
 * call each on a hand-made case; exercise.h). */
static void require_written(void)
{
    const char *ch = "05_dqn";
    DqnBuffer *b = dqn_buffer_create(4);
    DqnBatch *batch = dqn_batch_create(2);
    if (!b || !batch) die(1, "out of memory");
    DqnTransition t = { .s = { 1, 2, 3, 4 }, .a = 1, .r = 1, .s2 = { 5, 6, 7, 8 } };
    dqn_buffer_push(b, &t);
    if (b->size == 0 && b->pushed == 0) ex_unfinished(ch, "dqn_buffer_push", "a push left the buffer empty");
    Rng rng;
    rng_seed(&rng, 1);
    batch->r[0] = batch->r[1] = 0;
    dqn_buffer_sample(b, &rng, batch);
    if (batch->r[0] == 0 && batch->r[1] == 0)
        ex_unfinished(ch, "dqn_buffer_sample", "a batch drawn from a buffer of rewards 1 has rewards 0");
    dqn_batch_free(batch);
    dqn_buffer_free(b);
    if (dqn_epsilon(0, 1, 0.05, 100) == 0) ex_unfinished(ch, "dqn_epsilon", "epsilon = 0 at step 0, not 1");
    const float r[1] = { 1 }, q[2] = { 2, 3 }, qt[2] = { 4, 5 };
    const unsigned char term[1] = { 0 };
    const int a[1] = { 0 };
    float y[1] = { 0 }, dq[2] = { 0, 0 };
    dqn_td_targets(y, r, term, q, 1, 2, 0.5f);
    if (y[0] == 0) ex_unfinished(ch, "dqn_td_targets", "y = 0 for r = 1, gamma 0.5, max Q' = 3");
    y[0] = 0;
    dqn_double_targets(y, r, term, q, qt, 1, 2, 0.5f);
    if (y[0] == 0) ex_unfinished(ch, "dqn_double_targets", "y = 0 for r = 1, gamma 0.5");
    y[0] = 0;
    if (dqn_huber_loss(dq, q, a, y, 1, 2, 10) == 0 && dq[0] == 0)
        ex_unfinished(ch, "dqn_huber_loss", "loss 0 and gradient 0 for q = 2, y = 0");
    float target[2] = { 0, 0 };
    const float online[2] = { 1, 2 };
    if (!dqn_sync_target(target, online, 2, 100, 100) && target[0] == 0)
        ex_unfinished(ch, "dqn_sync_target", "update 100 with period 100 did not copy the network");
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    DqnConfig base = dqn_default_config(0);
    int seeds = 5, threads = 2, budget = 0, target_period = 0, eval_every = 0, batch = 0, train_every = 0, hidden = 0;
    int buffer = 0;
    double lr = 0, lr_end = -1, delta = -1, eps_end = -1, clip = -1;
    int eps_decay = 0, stop = 0;
    const char *method = "both";
    CliOption opts[] = {
        { "--seeds", CLI_INT, &seeds, 1, 100, "seeds per method (seed s is --seed + s)" },
        { "--method", CLI_STRING, &method, 0, 0, "both, dqn or double" },
        { "--threads", CLI_INT, &threads, 1, 64, "runs trained at the same time (one per thread)" },
        { "--budget", CLI_INT, &budget, 0, 1e8, "training environment steps per run (0: 200000; --quick 20000)" },
        { "--lr", CLI_DOUBLE, &lr, 0, 1, "constant Adam step size, unless --lr-end is given (0: 1e-3 decaying to 1e-5)" },
        { "--lr-end", CLI_DOUBLE, &lr_end, 0, 1, "Adam step size at the end of a linear decay from --lr (-1: 1e-5)" },
        { "--batch", CLI_INT, &batch, 0, 4096, "minibatch size (0: 64)" },
        { "--buffer", CLI_INT, &buffer, 0, 1e7, "replay buffer capacity in transitions (0: 50000)" },
        { "--train-every", CLI_INT, &train_every, 0, 1000, "environment steps per gradient update (0: 2)" },
        { "--hidden", CLI_INT, &hidden, 0, 1024, "units in each of the two hidden layers (0: 64)" },
        { "--eps-end", CLI_DOUBLE, &eps_end, 0, 1, "final exploration probability epsilon (-1: 0)" },
        { "--eps-decay", CLI_INT, &eps_decay, 0, 1e8, "environment steps of the linear epsilon decay from 1 (0: 10000)" },
        { "--stop-when-solved", CLI_FLAG, &stop, 0, 1, "end each run once solved (100 training episodes >= 475; as make bench does)" },
        { "--delta", CLI_DOUBLE, &delta, 0, 1e6, "Huber threshold delta; 0 for the squared error (-1: 10)" },
        { "--grad-clip", CLI_DOUBLE, &clip, 0, 1e6, "clip the gradient's norm at X; 0: no clipping (-1: 10)" },
        { "--target-period", CLI_INT, &target_period, 0, 1e7, "C, gradient updates between target syncs (0: 250)" },
        { "--eval-every", CLI_INT, &eval_every, 0, 1e8, "training steps between evaluation blocks (0: 2500; --quick 5000)" },
    };
    CliCommon cl = cli_defaults("05_dqn", 1);
    cli_parse(argc, argv, "DQN and Double DQN on CartPole-v1 (experience replay, target network)", opts,
              ARRAY_LEN(opts), &cl);
    int methods[DQN_N_METHODS], n_methods = 0;
    if (!strcmp(method, "both")) {
        methods[n_methods++] = DQN_VANILLA; methods[n_methods++] = DQN_DOUBLE;
    } else if (!strcmp(method, "dqn")) methods[n_methods++] = DQN_VANILLA;
    else if (!strcmp(method, "double")) methods[n_methods++] = DQN_DOUBLE;
    else {
        fprintf(stderr, "error: --method: '%s' is not one of both, dqn, double\n", method);
        return 2;
    }
    if (cl.quick && seeds == 5) seeds = 1;
    base = dqn_default_config(cl.quick);
    if (budget > 0) base.budget = budget;
    if (lr > 0) base.lr = base.lr_end = (float)lr;
    if (lr_end >= 0) base.lr_end = (float)lr_end;
    if (batch > 0) base.batch = batch;
    if (buffer > 0) base.buffer_capacity = buffer;
    if (train_every > 0) base.train_every = train_every;
    if (hidden > 0) base.hidden = hidden;
    if (eps_end >= 0) base.eps_end = eps_end;
    if (eps_decay > 0) base.eps_decay_steps = eps_decay;
    base.stop_when_solved = stop;
    if (delta >= 0) base.huber_delta = delta == 0 ? INFINITY : (float)delta;
    if (clip >= 0) base.grad_clip = (float)clip;
    if (target_period > 0) base.target_period = target_period;
    if (eval_every > 0) base.eval_every = eval_every;
    const char *err = dqn_config_error(&base);
    if (err) {
        fprintf(stderr, "error: %s\n", err);
        return 2;
    }
    PlotOpts po = cli_plot_opts(&cl);

    printf("Chapter 05: DQN and Double DQN on CartPole-v1\n");
    printf("%d seed(s) per method (seeds %llu..%llu), %d thread(s)%s\n", seeds, (unsigned long long)cl.seed,
           (unsigned long long)(cl.seed + (uint64_t)seeds - 1), threads, cl.quick ? ", --quick" : "");
    char huber[48];
    if (isinf(base.huber_delta)) snprintf(huber, sizeof huber, "squared error");
    else snprintf(huber, sizeof huber, "Huber delta %g", base.huber_delta);
    printf("Budget %ld training steps; MLP 4-%d-%d-2 relu, Adam %g -> %g (linear), gamma %g, batch %d, buffer %d, "
           "learning starts %ld,\n  an update every %d steps, target sync every %ld updates, epsilon %g -> %g over %ld "
           "steps, %s, gradient norm clipped at %g\n", base.budget, base.hidden, base.hidden, base.lr, base.lr_end,
           base.gamma, base.batch,
           base.buffer_capacity, base.learning_starts, base.train_every, base.target_period, base.eps_start,
           base.eps_end, base.eps_decay_steps, huber, base.grad_clip);
    printf("Solved = the first 100 consecutive TRAINING episodes (epsilon-greedy) with mean return >= 475. Also: greedy\n"
           "  evaluation blocks of %d episodes (epsilon 0) every %ld training steps, not counted in the budget.\n",
           base.eval_episodes, base.eval_every);

    /* ---- train ---- */
    require_written();
    Job *jobs = xcalloc((size_t)n_methods * seeds, sizeof *jobs, "jobs");
    for (int m = 0; m < n_methods; m++)
        for (int s = 0; s < seeds; s++) {
            Job *j = &jobs[m * seeds + s];
            j->cfg = base;
            j->cfg.method = (DqnMethod)methods[m];
            j->seed = cl.seed + (uint64_t)s;
            eplog_init(&j->log);
        }
    const int n_jobs = n_methods * seeds;
    Runs runs = { .jobs = jobs, .quiet = cl.quiet };
    if (!cl.quiet) printf("\nTraining %d runs:\n", n_jobs);
    double t0 = progress_now();
    par_for(n_jobs, threads, run_job, &runs, NULL);
    double wall = progress_now() - t0;

    /* ---- evaluate ---- */
    int diverged = 0;
    printf("\nSummary. Solved = the first 100 consecutive TRAINING episodes (epsilon-greedy) with mean return >= 475,\n"
           "  as in chapters 06 and 07; steps are training environment steps. Greedy evaluation blocks (100 episodes\n"
           "  with epsilon 0, every %ld steps, not counted in the budget) are the second figure.\n", base.eval_every);
    long *steps = xcalloc((size_t)seeds, sizeof *steps, "solved steps");
    for (int m = 0; m < n_methods; m++) {
        Job *js = jobs + (size_t)m * seeds;
        double secs = 0, cpu = 0, last_sum = 0, over_sum = 0, late_sum = 0, all_over = 0, dis = 0;
        int late_n = 0, all_n = 0, dis_n = 0;
        char line[160];
        for (int s = 0; s < seeds; s++) steps[s] = js[s].solved;
        int solved = eplog_solved_summary(steps, seeds, line, sizeof line);
        for (int s = 0; s < seeds; s++) steps[s] = js[s].solved_greedy;
        printf("  %-10s %s\n", dqn_method_name((DqnMethod)methods[m]), line);
        eplog_solved_summary(steps, seeds, line, sizeof line);
        printf("  %-10s greedy evaluation blocks with mean >= 475: %s\n", "", line + strlen("solved "));
        for (int s = 0; s < seeds; s++) {
            const DqnStats *st = &js[s].st;
            secs += st->seconds;
            cpu += js[s].cpu;
            diverged += st->diverged;
            for (int e = 0; e < st->n_evals; e++) {
                if (4 * st->evals[e].step > 3 * st->steps) { late_sum += st->evals[e].mean_return; late_n++; }
                if (st->evals[e].n_states) { all_over += st->evals[e].mean_q - st->evals[e].mean_g; all_n++; }
                if (!isnan(st->evals[e].disagree)) { dis += st->evals[e].disagree; dis_n++; }
            }
            if (st->n_evals) {
                last_sum += st->evals[st->n_evals - 1].mean_return;
                over_sum += st->evals[st->n_evals - 1].mean_q - st->evals[st->n_evals - 1].mean_g;
            }
        }
        printf("  %-10s greedy blocks: the last %.1f, those in the last quarter of training %.1f (means over "
               "seeds)\n", "", last_sum / seeds, late_n ? late_sum / late_n : NAN);
        printf("  %-10s best 100-episode means of the training episodes:", "");
        for (int s = 0; s < seeds; s++) printf(" %.0f", best_window(&js[s].log));
        printf("\n  %-10s overestimation max_a Q - G: %+.1f at the end, %+.1f over all blocks (means over seeds)\n",
               "", over_sum / seeds, all_n ? all_over / all_n : NAN);
        if (dis_n)
            printf("  %-10s online and target networks pick different a' in %.1f%% of the minibatch rows (elsewhere "
                   "the target is DQN's)\n", "", 100 * dis / dis_n);
        printf("  %-10s per run %.2f s wall, %.2f s cpu\n", "", secs / seeds, cpu / seeds);
        if (solved < seeds)
            printf("  *** %s: NOT SOLVED in %d of %d seeds within %ld steps%s ***\n",
                   dqn_method_name((DqnMethod)methods[m]), seeds - solved, seeds, js[0].cfg.budget,
                   base.stop_when_solved ? " (--stop-when-solved ended the solved runs early)" : "");
    }
    free(steps);
    printf("Total wall time of the training: %.1f s\n", wall);
    if (cl.quick) printf("(--quick is a smoke run with a small budget: it is not expected to solve CartPole)\n");

    /* ---- plot ---- */
    int failures = 0;
    failures += plot_max_bias(&po, cl.seed, cl.quick) != 0;
    failures += plot_learning_curves(&po, jobs, methods, n_methods, seeds, (double)base.budget) != 0;
    failures += plot_eval_returns(&po, jobs, methods, n_methods, seeds) != 0;
    failures += plot_overestimation(&po, jobs, methods, n_methods, seeds) != 0;

    /* ---- cleanup ---- */
    for (int i = 0; i < n_jobs; i++) {
        eplog_free(&jobs[i].log);
        dqn_stats_free(&jobs[i].st);
    }
    free(jobs);
    if (diverged) {
        fprintf(stderr, "error: %d run(s) diverged (NaN or infinite loss); see the messages above\n", diverged);
        return 1;
    }
    if (failures) {
        fprintf(stderr, "error: %d figure(s) could not be drawn (see the messages above)\n", failures);
        return 1;
    }
    return 0;
}
