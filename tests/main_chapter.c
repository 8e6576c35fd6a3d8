/* main_chapter.c — the runner of a chapter's suite (tests/test_NN_topic.c). */
#include "runner.h"

Suite *make_chapter_suite(void);   /* defined by the chapter's test file */

int main(int argc, char **argv)
{
    Suite *s[] = { make_chapter_suite() };
    return run_suites(s, 1, argc, argv);
}
