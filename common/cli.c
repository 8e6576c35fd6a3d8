/* cli.c — see cli.h. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    size_t used = strlen(buf);
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
        if (o->type == CLI_INT) put(buf, len, " (%g..%g, default %d)", o->min, o->max, *(int *)o->dest);
        if (o->type == CLI_DOUBLE) put(buf, len, " (%g..%g, default %g)", o->min, o->max, *(double *)o->dest);
        if (o->type == CLI_STRING && *(const char **)o->dest) put(buf, len, " (default %s)", *(const char **)o->dest);
        put(buf, len, "\n");
    }
}

/* Strict number parsing: the whole string, finite, in range. */
static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static int parse_value(const CliOption *o, const char *val, char *err, size_t len)
{
    double v;
    switch (o->type) {
    case CLI_STRING:
        *(const char **)o->dest = val;
        return 0;
    case CLI_INT:
        if (parse_double(val, &v) || v != floor(v) || v < o->min || v > o->max) {
            put(err, len, "%s: '%s' is not valid: expected an integer in %g..%g\n", o->name, val, o->min, o->max);
            return 2;
        }
        *(int *)o->dest = (int)v;
        return 0;
    case CLI_DOUBLE:
        if (parse_double(val, &v) || v < o->min || v > o->max) {
            put(err, len, "%s: '%s' is not valid: expected a number in %g..%g\n", o->name, val, o->min, o->max);
            return 2;
        }
        *(double *)o->dest = v;
        return 0;
    case CLI_FLAG:
        break;
    }
    return 0;
}

int cli_parse_args(int argc, char **argv, const char *about, const CliOption *opts, int n_opts,
                   CliCommon *c, char *err, size_t err_len)
{
    const char *prog = argc > 0 ? argv[0] : "program";
    if (err_len) err[0] = '\0';
    if (!c->out) c->out = c->out_default;
    for (int i = 1; i < argc; i++) {
        char name[64];
        const char *arg = argv[i], *val = NULL, *eq = strchr(arg, '=');
        if (strncmp(arg, "--", 2) != 0 || strlen(arg) >= sizeof name) {
            put(err, err_len, "unexpected argument '%s' (flags start with --; try --help)\n", arg);
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
        for (int k = 0; k < n_opts; k++)
            if (!strcmp(opts[k].name, name)) o = &opts[k];
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
            if (errno || end == val || *end || val[0] == '-' || val[0] == '+') {
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
        } else if (parse_value(o, val, err, err_len)) {
            return 2;
        }
    }
    return 0;
}

void cli_parse(int argc, char **argv, const char *about, const CliOption *opts, int n_opts, CliCommon *c)
{
    char msg[4096];
    int rc = cli_parse_args(argc, argv, about, opts, n_opts, c, msg, sizeof msg);
    if (rc == 1) {
        fputs(msg, stdout);
        exit(0);
    }
    if (rc == 2) {
        fprintf(stderr, "%s: %s", argc > 0 ? argv[0] : "program", msg);
        exit(2);
    }
}
