/* cli.c — see cli.h. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

CliCommon cli_defaults(const char *chapter, uint64_t seed)
{
    CliCommon c;
    memset(&c, 0, sizeof c);
    c.chapter = chapter;
    c.seed = seed;
    c.plot = PLOT_PNG;
    snprintf(c.out_default, sizeof c.out_default, "plots/%s%s", chapter, cli_out_suffix);
    c.out = NULL;   /* resolved to out_default by cli_parse_args: c is copied on return */
    return c;
}

PlotOpts cli_plot_opts(const CliCommon *c)
{
    PlotOpts o = { c->plot, c->out, c->quiet };
    return o;
}

/* Append formatted text to the error/usage buffer. */
static void put(char *buf, size_t len, const char *fmt, ...)
{
    if (!buf || !len) return;
    size_t used = strnlen(buf, len);
    if (used + 1 >= len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

static void usage(const char *prog, const char *about, const CliOption *opts, int n, const CliCommon *c,
                  char *buf, size_t len)
{
    put(buf, len, "%s — %s\n\nusage: %s [options]\n\n", prog, about, prog);
    put(buf, len, "  --seed N          random seed (default %llu)\n", (unsigned long long)c->seed);
    put(buf, len, "  --quick           a small, fast run (for tests)\n");
    put(buf, len, "  --plot FORMAT     png (default), svg, pdf, dumb, window or none\n");
    put(buf, len, "  --out DIR         folder for the figures (default %s)\n", c->out);
    put(buf, len, "  --quiet           no progress display\n");
    put(buf, len, "  --help            this text\n");
    for (int i = 0; i < n; i++) {
        const CliOption *o = &opts[i];
        char flag[48];
        snprintf(flag, sizeof flag, "%s%s", o->name,
                 o->type == CLI_FLAG ? "" : o->type == CLI_STRING ? " S" : o->type == CLI_INT ? " N" : " X");
        put(buf, len, "  %-17s %s", flag, o->help);
        if (o->type == CLI_INT || o->type == CLI_DOUBLE) {
            double d = o->type == CLI_INT ? *(int *)o->dest : *(double *)o->dest;
            char def[32];
            if (o->type == CLI_INT) snprintf(def, sizeof def, "%d", *(int *)o->dest);
            else snprintf(def, sizeof def, "%g", d);
            if (d < o->min || d > o->max) put(buf, len, " (%g..%g, or %s: default %s)", o->min, o->max, def, def);
            else put(buf, len, " (%g..%g, default %s)", o->min, o->max, def);
        }
        if (o->type == CLI_STRING && *(const char **)o->dest) put(buf, len, " (default %s)", *(const char **)o->dest);
        put(buf, len, "\n");
    }
}

/* Strict number parsing: the whole string is the number, in plain decimal
 * (strtod alone would also take " 5", "0x10", "1e1" for an integer, "inf"). */
static int parse_double(const char *s, double *out)
{
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s)) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* An integer: an optional '-' then decimal digits only. */
static int parse_integer(const char *s, double *out)
{
    const char *digits = s[0] == '-' ? s + 1 : s;
    if (!*digits || strspn(digits, "0123456789") != strlen(digits)) return -1;
    return parse_double(s, out);
}

/* The value of option o; `initial` is the value it held before parsing (its
 * default), which is accepted even outside min..max: a sentinel default such
 * as -1 ("the method's own") can be given explicitly, and nothing else
 * outside the range can. */
static int parse_value(const CliOption *o, const char *val, double initial, char *err, size_t len)
{
    double v;
    switch (o->type) {
    case CLI_STRING:
        *(const char **)o->dest = val;
        return 0;
    case CLI_INT:
        if (parse_integer(val, &v) || v < INT_MIN || v > INT_MAX || ((v < o->min || v > o->max) && v != initial)) {
            put(err, len, "%s: '%s' is not valid: expected an integer in %g..%g", o->name, val, o->min, o->max);
            if (initial < o->min || initial > o->max) put(err, len, " (or %g for the default)", initial);
            put(err, len, "\n");
            return 2;
        }
        *(int *)o->dest = (int)v;
        return 0;
    case CLI_DOUBLE:
        if (parse_double(val, &v) || ((v < o->min || v > o->max) && v != initial)) {
            put(err, len, "%s: '%s' is not valid: expected a number in %g..%g", o->name, val, o->min, o->max);
            if (initial < o->min || initial > o->max) put(err, len, " (or %g for the default)", initial);
            put(err, len, "\n");
            return 2;
        }
        *(double *)o->dest = v;
        return 0;
    case CLI_FLAG:
        break;
    }
    return 0;
}

static int parse_all(int argc, char **argv, const char *prog, const char *about, const CliOption *opts,
                     int n_opts, const double *initial, CliCommon *c, char *err, size_t err_len);

int cli_parse_args(int argc, char **argv, const char *about, const CliOption *opts, int n_opts,
                   CliCommon *c, char *err, size_t err_len)
{
    const char *prog = argc > 0 ? argv[0] : "program";
    if (err && err_len) err[0] = '\0';
    if (!c->out) c->out = c->out_default;
    /* Each option's default, before any flag changes it (parse_value). */
    double *initial = malloc(((size_t)(n_opts > 0 ? n_opts : 0) + 1) * sizeof *initial);
    if (!initial) {
        put(err, err_len, "out of memory parsing the command line\n");
        return 2;
    }
    for (int k = 0; k < n_opts; k++)
        initial[k] = opts[k].type == CLI_INT ? *(int *)opts[k].dest
                   : opts[k].type == CLI_DOUBLE ? *(double *)opts[k].dest : 0;
    int rc = parse_all(argc, argv, prog, about, opts, n_opts, initial, c, err, err_len);
    free(initial);
    return rc;
}

static int parse_all(int argc, char **argv, const char *prog, const char *about, const CliOption *opts,
                     int n_opts, const double *initial, CliCommon *c, char *err, size_t err_len)
{
    for (int i = 1; i < argc; i++) {
        char name[64];
        const char *arg = argv[i], *val = NULL, *eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (strncmp(arg, "--", 2) != 0) {
            put(err, err_len, "unexpected argument '%s' (flags start with --; try --help)\n", arg);
            return 2;
        }
        if (name_len >= sizeof name) {   /* longer than any flag; the value may be long */
            put(err, err_len, "unknown flag '%.40s...' (try --help)\n", arg);
            return 2;
        }
        if (eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
            val = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", arg);
        }
        /* flags without a value */
        int is_flag = !strcmp(name, "--quick") || !strcmp(name, "--quiet") || !strcmp(name, "--help");
        const CliOption *o = NULL;
        int which = -1;
        for (int k = 0; k < n_opts; k++)
            if (!strcmp(opts[k].name, name)) { o = &opts[k]; which = k; }
        if (o && o->type == CLI_FLAG) is_flag = 1;
        int known = is_flag || o || !strcmp(name, "--seed") || !strcmp(name, "--plot") || !strcmp(name, "--out");
        if (!known) {
            put(err, err_len, "unknown flag '%s' (try --help)\n", name);
            return 2;
        }
        if (is_flag && val) {
            put(err, err_len, "%s takes no value\n", name);
            return 2;
        }
        if (!is_flag && !val) {
            if (i + 1 >= argc) {
                put(err, err_len, "%s needs a value (try --help)\n", name);
                return 2;
            }
            val = argv[++i];
        }
        if (!strcmp(name, "--help")) {
            usage(prog, about, opts, n_opts, c, err, err_len);
            return 1;
        } else if (!strcmp(name, "--quick")) {
            c->quick = 1;
        } else if (!strcmp(name, "--quiet")) {
            c->quiet = 1;
        } else if (!strcmp(name, "--seed")) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(val, &end, 10);
            /* digits only: strtoull would skip white space and wrap " -1" around */
            if (errno || end == val || *end || strspn(val, "0123456789") != strlen(val)) {
                put(err, err_len, "--seed: '%s' is not valid: expected an integer in 0..%llu\n", val,
                    (unsigned long long)UINT64_MAX);
                return 2;
            }
            c->seed = (uint64_t)s;
        } else if (!strcmp(name, "--plot")) {
            if (plot_format_parse(val, &c->plot)) {
                put(err, err_len, "--plot: '%s' is not valid: expected png, svg, pdf, dumb, window or none\n", val);
                return 2;
            }
        } else if (!strcmp(name, "--out")) {
            if (!*val) {
                put(err, err_len, "--out: expected a folder name, got an empty string\n");
                return 2;
            }
            c->out = val;
        } else if (o->type == CLI_FLAG) {
            *(int *)o->dest = 1;
        } else if (parse_value(o, val, initial[which], err, err_len)) {
            return 2;
        }
    }
    return 0;
}

/* At exit: everything printed must have reached standard output. A full
 * disk or a closed terminal (`> /dev/full`) otherwise goes unnoticed with
 * exit status 0. */
static void check_stdout(void)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return;
    fprintf(stderr, "error: writing the output failed: %s\n", errno ? strerror(errno) : "write error");
    _exit(1);
}

void cli_parse(int argc, char **argv, const char *about, const CliOption *opts, int n_opts, CliCommon *c)
{
    char msg[4096];
    const char *prog = argc > 0 ? argv[0] : "program";
    int rc = cli_parse_args(argc, argv, about, opts, n_opts, c, msg, sizeof msg);
    if (rc == 1) {
        fputs(msg, stdout);
        exit(0);
    }
    if (rc == 2) {
        fprintf(stderr, "%s: %s", prog, msg);
        exit(2);
    }
    /* The output folder, before any computation: a bad --out is one message now,
     * not one per figure after minutes of training. */
    if (plot_check_outdir(c->out, msg, sizeof msg) != 0) {
        fprintf(stderr, "%s: --out %s: %s\n", prog, c->out, msg);
        exit(2);
    }
    static int registered;
    if (!registered && atexit(check_stdout) == 0) registered = 1;
}
