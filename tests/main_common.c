/* main_common.c — the runner of common/'s suites, one per module (tests/test_<module>.c). */
#include "runner.h"

Suite *make_rng_suite(void);
Suite *make_linalg_suite(void);
Suite *make_cli_suite(void);
Suite *make_progress_suite(void);
Suite *make_plot_suite(void);
Suite *make_image_suite(void);
Suite *make_gridworld_suite(void);
Suite *make_cartpole_suite(void);
Suite *make_datasets_suite(void);
Suite *make_eplog_suite(void);
Suite *make_parallel_suite(void);
Suite *make_exercise_suite(void);

int main(int argc, char **argv)
{
    Suite *s[] = {
        make_rng_suite(), make_linalg_suite(), make_cli_suite(), make_progress_suite(),
        make_plot_suite(), make_image_suite(), make_gridworld_suite(), make_cartpole_suite(), make_datasets_suite(), make_eplog_suite(), make_parallel_suite(),
        make_exercise_suite(),
    };
    return run_suites(s, (int)(sizeof s / sizeof s[0]), argc, argv);
}
