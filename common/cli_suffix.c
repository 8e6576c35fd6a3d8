/* cli_suffix.c — the suffix of the default figure folder (see cli.h).
 *
 * libcommon.a holds it as "": the reference programs write plots/NN_topic/.
 * The Makefile also compiles this file with -DCLI_OUT_SUFFIX='"-exercises"'
 * and links that object into the programs built on exercises/, before the
 * library, so a student's run writes plots/NN_topic-exercises/ and never over
 * the reference figures the chapter README compares with. (A linker takes an
 * archive member only for a symbol still undefined: the object wins.)
 */
#ifndef CLI_OUT_SUFFIX
#define CLI_OUT_SUFFIX ""
#endif

const char cli_out_suffix[] = CLI_OUT_SUFFIX;
