/* main_util.c — what the sections of chapter 16's program share (main.h). */
#include "main.h"

#include <stdio.h>
#include <stdlib.h>

void ch16_unfinished(const char *name, const char *seen)
{
    fflush(stdout);
    fprintf(stderr, "\nUnfinished exercise: %s (%s).\n"
                    "The program stops here rather than draw figures from it. Grade your code with\n"
                    "`make check CH=16`, or run the reference solutions with `make run CH=16`.\n",
            name, seen);
    exit(3);
}
