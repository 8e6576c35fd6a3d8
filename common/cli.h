/* cli — the command line of every chapter program.
 *
 * Common flags, the same in every chapter:
 *   --seed N          random seed (an unsigned integer), printed by the program
 *   --quick           a small run for tests (seconds, not minutes)
 *   --plot FORMAT     png (default), svg, pdf, dumb (in the terminal), window, none
 *   --out DIR         folder for figures (default plots/NN_topic, or
 *                     plots/NN_topic-exercises in a program built on exercises/)
 *   --quiet           no progress display and no "wrote ..." lines
 *   --help            usage, then exit 0
 * plus the chapter's own options, given as a table of CliOption. Every value is
 * validated: a bad one prints a message naming the flag and its valid range and
 * exits with status 2 (cli_parse) or returns 2 with the message (cli_parse_args,
 * for tests). Options take their value as "--flag value" or "--flag=value".
 * Numbers are plain decimal, the whole argument: an integer is digits with an
 * optional '-' ("1e1", "0x10", " 5" are refused), a number may have a
 * fraction and an exponent. A value must lie in min..max, with one exception:
 * the option's default (its value on entry) is always accepted, so a sentinel
 * default outside the range ("-1: the method's own") can be typed, and no
 * other value outside the range slips through.
 *
 * cli_parse also, before the chapter computes anything, creates the --out
 * folder and checks it is writable (exit 2 with one message if not:
 * plot_check_outdir), and at exit checks that standard output was written
 * (`> /dev/full`: exit 1 with a message).
 *
 *     int episodes = 500;
 *     CliOption opts[] = {
 *         { "--episodes", CLI_INT, &episodes, 1, 1e6, "episodes per run" },
 *     };
 *     CliCommon c = cli_defaults("02_td", 1);
 *     cli_parse(argc, argv, "Tabular TD control on cliff walking", opts, 1, &c);
 */
#ifndef CLI_H
#define CLI_H
#include <stddef.h>
#include <stdint.h>
#include "plot.h"

typedef enum { CLI_INT, CLI_DOUBLE, CLI_FLAG, CLI_STRING } CliType;

typedef struct {
    const char *name;  /* "--episodes" */
    CliType type;      /* what dest points to: int, double, int (set to 1), const char * */
    void *dest;        /* holds the default on entry, the parsed value on return */
    double min, max;   /* inclusive valid range for CLI_INT and CLI_DOUBLE */
    const char *help;  /* one line for --help */
} CliOption;

typedef struct {
    const char *chapter;  /* "01_dp": names the default output folder */
    uint64_t seed;        /* --seed */
    int quick;            /* --quick */
    int quiet;            /* --quiet */
    PlotFormat plot;      /* --plot */
    const char *out;      /* --out; NULL until parsed, then "plots/<chapter>" by default */
    char out_default[64]; /* storage for the default out path */
} CliCommon;

/* "" in the reference programs, "-exercises" in those built on the student's
 * exercises/ (common/cli_suffix.c): the default out folder's suffix. */
extern const char cli_out_suffix[];

/* Defaults: the given seed, png, out = plots/<chapter><cli_out_suffix>, not
 * quick, not quiet. */
CliCommon cli_defaults(const char *chapter, uint64_t seed);

/* Parse argv. Returns 0 on success, 1 if --help was given (usage written to
 * err), 2 on a bad flag or value (message written to err). */
int cli_parse_args(int argc, char **argv, const char *about, const CliOption *opts, int n_opts,
                   CliCommon *c, char *err, size_t err_len);

/* Parse argv, or print usage / the error and exit(0) / exit(2); then check
 * the --out folder (exit 2) and arrange the standard output check at exit. */
void cli_parse(int argc, char **argv, const char *about, const CliOption *opts, int n_opts, CliCommon *c);

/* PlotOpts for this command line (format, out folder, quiet). */
PlotOpts cli_plot_opts(const CliCommon *c);

#endif
