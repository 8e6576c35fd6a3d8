/* test_plot.c — figures write a .gp and .dat that hold what was plotted,
 * gnuplot draws them, the .gp re-renders from any folder, and every failure
 * (no gnuplot, gnuplot failing or dying, unwritable folder) is reported the
 * way plot.h promises.
 *
 * Tests that need a real gnuplot say "skipped" on stderr and pass when it is
 * not installed (`make deps` installs it). Each test works in its own folder
 * from mkdtemp and removes it at the end. */
#include "ckx.h"
#include "plot.h"

#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stb_image.h>   /* to look at the pixels gnuplot drew */

/* ---------------------------------------------------------------- helpers */

typedef struct {
    char dir[64];        /* the scratch folder */
    char cwd[1024];      /* the working directory to return to */
} Scratch;

static Scratch scratch_begin(void)
{
    Scratch s;
    strcpy(s.dir, "/tmp/test_plot_XXXXXX");
    ck_assert_msg(mkdtemp(s.dir) != NULL, "mkdtemp failed: cannot create a scratch folder under /tmp");
    ck_assert_msg(getcwd(s.cwd, sizeof s.cwd) != NULL, "getcwd failed");
    return s;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st; (void)type; (void)ftw;
    return remove(path);
}

static void scratch_end(const Scratch *s)
{
    ck_assert_msg(chdir(s->cwd) == 0, "cannot return to %s", s->cwd);
    unsetenv("PLOT_GNUPLOT");
    nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/rel in a static buffer (one of four, so a few can be live at once;
 * copy a path that must outlive more calls). */
static const char *in(const char *dir, const char *rel)
{
    static char buf[4][512];
    static int next;
    char *b = buf[next++ % 4];
    int n = snprintf(b, sizeof buf[0], "%s/%s", dir, rel);
    ck_assert_msg(n > 0 && n < (int)sizeof buf[0], "path %s/%s too long for the test", dir, rel);
    return b;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The whole file as a string (caller frees), failing the test if unreadable. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not written", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_msg(s != NULL, "out of memory reading %s", path);
    size_t got = fread(s, 1, (size_t)n, f);
    fclose(f);
    s[got] = '\0';
    return s;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static int have_gnuplot(void)
{
    if (system("command -v gnuplot >/dev/null 2>&1") == 0) return 1;
    fprintf(stderr, "skipped: gnuplot is not installed (make deps)\n");
    return 0;
}

static void check_png(const char *path, unsigned want_w, unsigned want_h)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    unsigned char b[24];
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s was not drawn", path);
    size_t got = fread(b, 1, sizeof b, f);
    fclose(f);
    ck_assert_msg(got == sizeof b && memcmp(b, sig, 8) == 0, "%s is not a PNG", path);
    unsigned w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    unsigned h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    if (want_w)
        ck_assert_msg(w == want_w && h == want_h, "%s is %ux%u, expected %ux%u", path, w, h, want_w, want_h);
}

/* One index block of a .dat file, parsed back. */
enum { MAX_ROWS = 4096, MAX_COLS = 4 };
typedef struct {
    int rows;                     /* data lines */
    int ncol;                     /* numbers on the first line */
    double v[MAX_ROWS][MAX_COLS]; /* the numbers */
    char text[MAX_ROWS][32];      /* a "quoted" last column, if any */
    char comment[256];            /* the block's first comment line */
} Block;

/* Block `index` of dat: blocks are separated by two (or more) blank lines;
 * a single blank line inside a block (heatmap rows) is skipped. */
static Block *read_block(const char *dat, int index)
{
    Block *b = calloc(1, sizeof *b);
    ck_assert(b != NULL);
    int block = 0, blanks = 0, started = 0;
    for (const char *line = dat; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        line = end ? end + 1 : line + len;
        if (buf[0] == '\0') { blanks++; continue; }
        if (started && blanks >= 2) block++;
        started = 1;
        blanks = 0;
        if (block != index) continue;
        if (buf[0] == '#') {
            if (!b->comment[0] && strncmp(buf, "# index", 7) == 0) snprintf(b->comment, sizeof b->comment, "%.255s", buf);
            continue;
        }
        ck_assert_msg(b->rows < MAX_ROWS, "block %d has too many rows for the test", index);
        char *p = buf;
        int c = 0;
        for (;;) {
            while (*p == ' ') p++;
            if (!*p) break;
            if (*p == '"') {
                char *q = strchr(p + 1, '"');
                ck_assert_msg(q != NULL, "unterminated string in .dat: %s", buf);
                snprintf(b->text[b->rows], sizeof b->text[0], "%.*s", (int)(q - p - 1), p + 1);
                p = q + 1;
                continue;
            }
            char *e;
            double v = strtod(p, &e);
            ck_assert_msg(e != p, "not a number in .dat line '%s'", buf);
            ck_assert_msg(c < MAX_COLS, "more than %d numbers on .dat line '%s'", MAX_COLS, buf);
            b->v[b->rows][c++] = v;
            p = e;
        }
        if (b->rows == 0) b->ncol = c;
        ck_assert_msg(c == b->ncol, "block %d: line '%s' has %d numbers, the first line %d", index, buf, c, b->ncol);
        b->rows++;
    }
    return b;
}

static int same(double got, double want)
{
    return isnan(want) ? isnan(got) : fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));
}

/* ---------------------------------------------------------------- tests */

START_TEST(format_names_parse)
{
    const char *names[] = { "png", "svg", "pdf", "dumb", "window", "none" };
    const PlotFormat want[] = { PLOT_PNG, PLOT_SVG, PLOT_PDF, PLOT_DUMB, PLOT_WINDOW, PLOT_NONE };
    for (int i = 0; i < 6; i++) {
        PlotFormat f = PLOT_NONE == want[i] ? PLOT_PNG : PLOT_NONE;
        ck_assert_msg(plot_format_parse(names[i], &f) == 0, "plot_format_parse(\"%s\") refused", names[i]);
        ck_assert_msg(f == want[i], "\"%s\" parsed to %d, expected %d", names[i], f, want[i]);
        ck_assert_str_eq(plot_format_name(f), names[i]);
    }
    const char *bad[] = { "PNG", "", "jpeg", "png ", "pn", "windows" };
    for (int i = 0; i < 6; i++) {
        PlotFormat f = PLOT_SVG;
        ck_assert_msg(plot_format_parse(bad[i], &f) == -1, "plot_format_parse(\"%s\") accepted", bad[i]);
        ck_assert_msg(f == PLOT_SVG, "a refused name changed *f");
    }
    PlotFormat f;
    ck_assert_int_eq(plot_format_parse(NULL, &f), -1);
}
END_TEST

/* PLOT_NONE: the .gp and .dat exist, nothing is drawn, and every series is
 * its own index block holding exactly the numbers given (x = 0..n-1 when NULL). */
START_TEST(none_writes_script_and_data)
{
    Scratch s = scratch_begin();
    char out[512];                                    /* created like mkdir -p */
    snprintf(out, sizeof out, "%s", in(s.dir, "a/b/c"));
    PlotOpts o = { PLOT_NONE, out, 1 };
    const double y1[] = { 1.5, 2.25, -3e-7, 1e10 };
    const double x2[] = { -1, 0.125, 7 }, y2[] = { 3, 1e-12, -2.5 };
    const double lo[] = { 0, 1, 2 }, hi[] = { 1, 3, 5 };
    Plot *p = plot_begin(&o, "fig", "Figure");
    ck_assert(p != NULL);
    plot_labels(p, "x", "y");
    plot_line(p, NULL, y1, 4, "first");
    plot_points(p, x2, y2, 3, NULL);
    plot_band(p, x2, lo, hi, 3, "band");
    ck_assert_int_eq(plot_end(p), 0);

    ck_assert_msg(exists(in(out, "fig.gp")) && exists(in(out, "fig.dat")), "fig.gp or fig.dat missing in %s", out);
    ck_assert_msg(!exists(in(out, "fig.png")), "PLOT_NONE drew fig.png");
    char *dat = slurp(in(out, "fig.dat"));
    Block *b = read_block(dat, 0);
    ck_assert_msg(b->rows == 4 && b->ncol == 2, "line block: %d rows x %d cols, expected 4 x 2", b->rows, b->ncol);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(same(b->v[i][0], i) && same(b->v[i][1], y1[i]), "line row %d: (%g, %g), expected (%d, %g)",
                      i, b->v[i][0], b->v[i][1], i, y1[i]);
    ck_assert_msg(strstr(b->comment, "first") != NULL, "block 0 comment '%s' does not name the series", b->comment);
    free(b);
    b = read_block(dat, 1);
    ck_assert_msg(b->rows == 3 && b->ncol == 2, "points block: %d x %d, expected 3 x 2", b->rows, b->ncol);
    for (int i = 0; i < 3; i++)
        ck_assert_msg(same(b->v[i][0], x2[i]) && same(b->v[i][1], y2[i]), "points row %d: (%g, %g)", i,
                      b->v[i][0], b->v[i][1]);
    free(b);
    b = read_block(dat, 2);
    ck_assert_msg(b->rows == 3 && b->ncol == 3, "band block: %d x %d, expected 3 x 3 (x lo hi)", b->rows, b->ncol);
    for (int i = 0; i < 3; i++)
        ck_assert_msg(same(b->v[i][1], lo[i]) && same(b->v[i][2], hi[i]), "band row %d", i);
    free(b);
    b = read_block(dat, 3);
    ck_assert_msg(b->rows == 0, "a 4th block exists: only 3 series were added");
    free(b);

    char *gp = slurp(in(out, "fig.gp"));
    ck_assert_msg(strstr(gp, "'fig.dat'") && strstr(gp, "index 2"), "fig.gp does not read fig.dat index 2");
    ck_assert_msg(strstr(gp, "format = 'png'") && strstr(gp, "set output 'fig'.'.'.format") && strstr(gp, "pngcairo"),
                  "PLOT_NONE's fig.gp must render to fig.png:\n%s", gp);
    ck_assert_msg(strstr(gp, "ARG0"), "fig.gp does not locate its own folder (ARG0)");
    ck_assert_msg(strstr(gp, "set key"), "series with legends but no key");
    free(gp);
    free(dat);
    scratch_end(&s);
}
END_TEST

/* Rows x cols values, (col, row, value) in row-major order, the formatted
 * value beside each, and row 0 at the top (reversed y range). */
START_TEST(heatmap_data_has_every_cell)
{
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_NONE, s.dir, 1 };
    enum { R = 3, C = 4 };
    double z[R * C];
    for (int r = 0; r < R; r++) for (int c = 0; c < C; c++) z[r * C + c] = 10 * r + c + 0.5;
    z[5] = NAN;
    Plot *p = plot_begin(&o, "heat", NULL);
    plot_heatmap(p, z, R, C, "%.2f");
    ck_assert_int_eq(plot_end(p), 0);
    char *dat = slurp(in(s.dir, "heat.dat"));
    Block *b = read_block(dat, 0);
    ck_assert_msg(b->rows == R * C && b->ncol == 3, "heatmap block: %d rows x %d numbers, expected %d x 3",
                  b->rows, b->ncol, R * C);
    for (int i = 0; i < R * C; i++) {
        int r = i / C, c = i % C;
        ck_assert_msg(same(b->v[i][0], c) && same(b->v[i][1], r) && same(b->v[i][2], z[i]),
                      "cell %d: (%g, %g, %g), expected (col %d, row %d, %g)", i, b->v[i][0], b->v[i][1],
                      b->v[i][2], c, r, z[i]);
        char want[32] = "";
        if (!isnan(z[i])) snprintf(want, sizeof want, "%.2f", z[i]);
        ck_assert_msg(strcmp(b->text[i], want) == 0, "cell %d label '%s', expected '%s'", i, b->text[i], want);
    }
    free(b);
    char *gp = slurp(in(s.dir, "heat.gp"));
    ck_assert_msg(strstr(gp, "set yrange [2.5:-0.5]"), "heat.gp does not put row 0 at the top");
    ck_assert_msg(strstr(gp, "unset key"), "no legend was given, yet the key is not unset");
    free(gp);
    free(dat);
    scratch_end(&s);
}
END_TEST

START_TEST(classes_arrows_columns)
{
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_NONE, s.dir, 1 };
    const double x[] = { 0, 1, 2, 3 }, y[] = { 1, 0, 1, 0 }, d[] = { 0.5, -0.5, 0, 0.25 };
    const int cls[] = { 0, 2, 1, 2 };
    Plot *p = plot_begin(&o, "cls", "classes");
    plot_classes(p, x, y, cls, 4, "class");
    plot_arrows(p, x, y, d, d, 4, NULL);
    plot_label(p, 1, 2, "it's here");
    plot_label(p, 2, 2, "S&B");
    ck_assert_int_eq(plot_end(p), 0);
    char *dat = slurp(in(s.dir, "cls.dat"));
    Block *b = read_block(dat, 0);
    ck_assert_msg(b->rows == 4 && b->ncol == 3, "classes block %d x %d, expected 4 x 3 (x y class)", b->rows, b->ncol);
    for (int i = 0; i < 4; i++) ck_assert_msg(same(b->v[i][2], cls[i]), "class of point %d", i);
    free(b);
    b = read_block(dat, 1);
    ck_assert_msg(b->rows == 4 && b->ncol == 4, "arrows block %d x %d, expected 4 x 4 (x y dx dy)", b->rows, b->ncol);
    for (int i = 0; i < 4; i++) ck_assert_msg(same(b->v[i][2], d[i]) && same(b->v[i][3], d[i]), "arrow %d", i);
    free(b);
    char *gp = slurp(in(s.dir, "cls.gp"));
    ck_assert_msg(strstr(gp, "for [k=0:2]"), "3 classes (0..2) should give 3 plot elements");
    ck_assert_msg(strstr(gp, "'it''s here'"), "a quote in a label is not doubled for gnuplot");
    ck_assert_msg(strstr(gp, "'S\\&B'"), "& in a label must be escaped (\\&): enhanced text would eat it");
    free(gp);
    free(dat);
    scratch_end(&s);
}
END_TEST

/* NaN and Inf are written as NaN (gnuplot skips them); gnuplot still draws. */
START_TEST(nan_and_inf_are_skipped)
{
    Scratch s = scratch_begin();
    PlotOpts o = { have_gnuplot() ? PLOT_PNG : PLOT_NONE, s.dir, 1 };
    const double y[] = { 1, NAN, INFINITY, -INFINITY, 2 };
    const double all_nan[] = { NAN, NAN };
    Plot *p = plot_begin(&o, "nan", "NaN");
    plot_log(p, "y");
    plot_line(p, NULL, y, 5, "y");
    ck_assert_int_eq(plot_end(p), 0);
    char *dat = slurp(in(s.dir, "nan.dat"));
    ck_assert_msg(count_of(dat, "NaN") == 3, "expected 3 NaN in nan.dat (NaN, Inf, -Inf):\n%s", dat);
    Block *b = read_block(dat, 0);
    ck_assert(b->rows == 5 && same(b->v[4][1], 2) && isnan(b->v[2][1]));
    free(b);
    free(dat);
    /* nothing drawable at all: an empty frame, not a gnuplot error */
    p = plot_begin(&o, "empty", "nothing");
    plot_log(p, "y");
    plot_line(p, NULL, all_nan, 2, "nan");
    ck_assert_int_eq(plot_end(p), 0);
    p = plot_begin(&o, "blank", "no series");
    ck_assert_int_eq(plot_end(p), 0);
    /* a series with nothing to draw between two that have: the others still draw */
    p = plot_begin(&o, "middle", "the middle series is all NaN");
    plot_line(p, NULL, y, 5, "first");
    plot_line(p, NULL, all_nan, 2, "nan");
    plot_line(p, NULL, y, 5, "third");
    ck_assert_msg(plot_end(p) == 0, "a figure whose middle series has no drawable point failed (see middle.gp)");
    scratch_end(&s);
}
END_TEST

START_TEST(png_drawn_with_signature_and_size)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    const double y[] = { 3, 1, 2 };
    Plot *p = plot_begin(&o, "fig", "Bellman's equation: V_{k+1}");   /* a quote to escape */
    plot_line(p, NULL, y, 3, "it's a line");
    ck_assert_int_eq(plot_end(p), 0);
    check_png(in(s.dir, "fig.png"), 800, 600);
    char *gp = slurp(in(s.dir, "fig.gp"));
    ck_assert_msg(strstr(gp, "'Bellman''s equation: V_{k+1}'"), "the title is not escaped for gnuplot");
    free(gp);
    p = plot_begin(&o, "small", "small");
    plot_size(p, 320, 200);
    plot_line(p, NULL, y, 3, NULL);
    ck_assert_int_eq(plot_end(p), 0);
    check_png(in(s.dir, "small.png"), 320, 200);
    scratch_end(&s);
}
END_TEST

/* The .gp re-renders with `gnuplot path/NAME.gp` from any folder: absolute
 * from /, relative from the parent, bare from its own folder. */
START_TEST(gp_rerenders_from_any_folder)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    ck_assert_int_eq(chdir(s.dir), 0);
    PlotOpts o = { PLOT_PNG, "out/sub", 1 };          /* relative: the live run must cd too */
    const double y[] = { 1, 4, 9, 16 };
    Plot *p = plot_begin(&o, "fig", "re-render me");
    plot_line(p, NULL, y, 4, "squares");
    ck_assert_int_eq(plot_end(p), 0);
    char png[512];
    snprintf(png, sizeof png, "%s", in(s.dir, "out/sub/fig.png"));
    check_png(png, 800, 600);

    struct { const char *cwd, *cmd; } runs[] = {
        { "/", NULL },                                /* absolute path, filled below */
        { s.dir, "gnuplot out/sub/fig.gp" },
        { in(s.dir, "out/sub"), "gnuplot fig.gp" },
    };
    char abs_cmd[600];
    snprintf(abs_cmd, sizeof abs_cmd, "gnuplot '%s/out/sub/fig.gp'", s.dir);
    runs[0].cmd = abs_cmd;
    char cwd0[600];
    snprintf(cwd0, sizeof cwd0, "%s", runs[2].cwd);
    runs[2].cwd = cwd0;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(remove(png), 0);
        ck_assert_msg(chdir(runs[i].cwd) == 0, "chdir %s", runs[i].cwd);
        int st = system(runs[i].cmd);
        ck_assert_msg(st == 0, "`%s` in %s exited with %d", runs[i].cmd, runs[i].cwd, st);
        ck_assert_msg(exists(png), "`%s` in %s did not regenerate %s", runs[i].cmd, runs[i].cwd, png);
        check_png(png, 800, 600);
    }
    scratch_end(&s);
}
END_TEST

/* Brightness (R + G + B) of pixel (x, y) of an RGB PNG. */
static int brightness(const char *path, double fx, double fy)
{
    int w, h, c;
    unsigned char *px = stbi_load(path, &w, &h, &c, 3);
    ck_assert_msg(px != NULL, "cannot decode %s", path);
    const unsigned char *q = px + ((size_t)(fy * h) * w + (size_t)(fx * w)) * 3;
    int sum = q[0] + q[1] + q[2];
    stbi_image_free(px);
    return sum;
}

/* Row 0 is drawn at the top: a heatmap filling the canvas (no margins, the
 * canvas in the grid's proportions) has the dark end of the palette (low
 * values) where row 0 is. Viridis runs from #440154 (sum 153) to #fde725 (521).
 * A single row or column must draw too (gnuplot's "with image" refuses one). */
START_TEST(heatmap_row0_is_on_top)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    const struct { int rows, cols; double z[4]; } cases[] = {
        { 2, 2, { 0, 0, 1, 1 } },                     /* row 0 dark, row 1 light */
        { 2, 1, { 0, 1 } },                           /* one column */
    };
    for (int i = 0; i < 2; i++) {
        Plot *p = plot_begin(&o, "orient", NULL);
        plot_size(p, 200 * cases[i].cols, 200 * cases[i].rows);
        plot_heatmap(p, cases[i].z, cases[i].rows, cases[i].cols, NULL);
        plot_raw(p, "set margins 0,0,0,0");
        plot_raw(p, "unset colorbox");
        ck_assert_int_eq(plot_end(p), 0);
        int top = brightness(in(s.dir, "orient.png"), 0.5, 0.25);
        int bottom = brightness(in(s.dir, "orient.png"), 0.5, 0.75);
        ck_assert_msg(top < 300 && bottom > 400, "%dx%d heatmap: upper half brightness %d, lower %d; expected "
                      "row 0 (value 0, dark) on top and row 1 (value 1, light) below",
                      cases[i].rows, cases[i].cols, top, bottom);
    }
    /* one row: dark on the left, light on the right */
    const double row[] = { 0, 0.5, 1 };
    Plot *p = plot_begin(&o, "row", NULL);
    plot_size(p, 600, 200);
    plot_heatmap(p, row, 1, 3, NULL);
    plot_raw(p, "set margins 0,0,0,0");
    plot_raw(p, "unset colorbox");
    ck_assert_int_eq(plot_end(p), 0);
    int left = brightness(in(s.dir, "row.png"), 1.0 / 6, 0.5), right = brightness(in(s.dir, "row.png"), 5.0 / 6, 0.5);
    ck_assert_msg(left < 300 && right > 400, "1x3 heatmap: left brightness %d, right %d; expected column 0 "
                  "dark, column 2 light", left, right);
    scratch_end(&s);
}
END_TEST

/* Multiplot: each panel starts from reset, so a log axis does not leak. */
START_TEST(multiplot_panels_are_independent)
{
    Scratch s = scratch_begin();
    int real = have_gnuplot();
    PlotOpts o = { real ? PLOT_PNG : PLOT_NONE, s.dir, 1 };
    const double y[] = { 1, 10, 100 }, z[] = { 1, 2, 3, 4, 5, 6 };
    Plot *p = plot_begin_multi(&o, "multi", "Two panels", 1, 2);
    plot_panel(p, "log");
    plot_log(p, "y");
    plot_labels(p, "k", "residual");
    plot_line(p, NULL, y, 3, "r");
    plot_panel(p, "heat");
    plot_heatmap(p, z, 2, 3, "%.0f");
    ck_assert_int_eq(plot_end(p), 0);
    char *gp = slurp(in(s.dir, "multi.gp"));
    ck_assert_msg(strstr(gp, "set multiplot layout 1,2"), "no 1x2 multiplot layout in multi.gp");
    const char *second = strstr(gp, "panel 2");
    ck_assert_msg(second != NULL, "multi.gp has no panel 2");
    ck_assert_msg(strstr(second, "reset") && !strstr(second, "logscale") && !strstr(second, "residual"),
                  "panel 1's settings leak into panel 2:\n%s", second);
    free(gp);
    char *dat = slurp(in(s.dir, "multi.dat"));
    Block *b = read_block(dat, 1);
    ck_assert_msg(b->rows == 6, "the heatmap of panel 2 is not block 1");
    free(b);
    free(dat);
    if (real) check_png(in(s.dir, "multi.png"), 0, 0);

    /* a third panel does not fit a 1x2 layout */
    p = plot_begin_multi(&o, "over", "too many", 1, 2);
    plot_panel(p, "a"); plot_line(p, NULL, y, 3, NULL);
    plot_panel(p, "b"); plot_line(p, NULL, y, 3, NULL);
    CkxCapture c = ckx_capture_begin(2);
    plot_panel(p, "c"); plot_line(p, NULL, y, 3, NULL);
    int rc = plot_end(p);
    char *err = ckx_capture_end(c);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "1 x 2 layout") && strstr(err, "'over' not written"), "the refusal says:\n%s", err);
    free(err);
    scratch_end(&s);
}
END_TEST

START_TEST(svg_pdf_and_dumb)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    const double y[] = { 1, 3, 2 };
    PlotFormat fmts[] = { PLOT_SVG, PLOT_PDF };
    const char *files[] = { "f.svg", "f.pdf" }, *magic[] = { "<?xml", "%PDF" };
    for (int i = 0; i < 2; i++) {
        PlotOpts o = { fmts[i], s.dir, 1 };
        Plot *p = plot_begin(&o, "f", "vector");
        plot_line(p, NULL, y, 3, "y");
        ck_assert_int_eq(plot_end(p), 0);
        char *text = slurp(in(s.dir, files[i]));
        ck_assert_msg(strncmp(text, magic[i], strlen(magic[i])) == 0, "%s does not start with %s", files[i], magic[i]);
        free(text);
    }
    /* dumb: the picture goes to standard output, no image file, the .gp still targets png */
    PlotOpts o = { PLOT_DUMB, s.dir, 1 };
    Plot *p = plot_begin(&o, "d", "TERMINALPICTURE");
    plot_line(p, NULL, y, 3, "y");
    CkxCapture c = ckx_capture_begin(1);
    int rc = plot_end(p);
    char *shown = ckx_capture_end(c);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strstr(shown, "TERMINALPICTURE") && strstr(shown, "+---"),
                  "dumb did not draw in the terminal:\n%s", shown);
    free(shown);
    ck_assert_msg(!exists(in(s.dir, "d.png")), "dumb wrote d.png");
    char *gp = slurp(in(s.dir, "d.gp"));
    ck_assert_msg(strstr(gp, "pngcairo") && strstr(gp, "format = 'png'"), "d.gp does not re-render to d.png");
    free(gp);
    scratch_end(&s);
}
END_TEST

/* No gnuplot: files written, plot_end returns 0, one warning per process. */
START_TEST(gnuplot_missing_warns_once)
{
    Scratch s = scratch_begin();
    setenv("PLOT_GNUPLOT", "/nonexistent/gnuplot", 1);
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    const double y[] = { 1, 2 };
    CkxCapture c = ckx_capture_begin(2);
    Plot *p = plot_begin(&o, "one", "one");
    plot_line(p, NULL, y, 2, NULL);
    int rc1 = plot_end(p);
    p = plot_begin(&o, "two", "two");
    plot_line(p, NULL, y, 2, NULL);
    int rc2 = plot_end(p);
    char *err = ckx_capture_end(c);
    ck_assert_msg(rc1 == 0 && rc2 == 0, "plot_end returned %d, %d without gnuplot; expected 0 (a chapter "
                  "must still succeed)", rc1, rc2);
    const char *files[] = { "one.gp", "one.dat", "two.gp", "two.dat" };
    for (int i = 0; i < 4; i++) ck_assert_msg(exists(in(s.dir, files[i])), "%s not written", files[i]);
    ck_assert_msg(count_of(err, "gnuplot not found") == 1, "expected one warning, stderr was:\n%s", err);
    ck_assert_msg(strstr(err, "one.gp"), "the warning does not name the script:\n%s", err);
    free(err);
    scratch_end(&s);
}
END_TEST

static void on_sigpipe(int sig) { (void)sig; }

/* A figure whose script is far beyond the 64 KiB pipe buffer, so writing it to
 * a gnuplot that reads nothing must hit a broken pipe. */
static Plot *long_figure(const PlotOpts *o, const char *name)
{
    const double y[] = { 1, 2 };
    Plot *p = plot_begin(o, name, name);
    plot_line(p, NULL, y, 2, NULL);
    for (int i = 0; i < 3000; i++) plot_label(p, i, i, "a label to make the script long enough");
    return p;
}

/* gnuplot fails (`false`: reads nothing, exits 1) or dies (kills itself):
 * plot_end returns -1, names the script, and survives the broken pipe (with
 * SIGPIPE at its default action, an unignored one would kill this test); the
 * caller's SIGPIPE handler is restored afterwards. */
START_TEST(gnuplot_failing_returns_error)
{
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    setenv("PLOT_GNUPLOT", "false", 1);

    struct sigaction dfl, mine, now;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ck_assert_int_eq(sigaction(SIGPIPE, &dfl, NULL), 0);
    Plot *p = long_figure(&o, "fails");
    CkxCapture c = ckx_capture_begin(2);
    int rc = plot_end(p);
    char *err = ckx_capture_end(c);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "fails.gp"), "the error does not name fails.gp:\n%s", err);
    free(err);
    ck_assert_msg(exists(in(s.dir, "fails.gp")), "fails.gp must be written before gnuplot runs");

    mine = dfl;
    mine.sa_handler = on_sigpipe;
    ck_assert_int_eq(sigaction(SIGPIPE, &mine, NULL), 0);
    c = ckx_capture_begin(2);
    rc = plot_end(long_figure(&o, "fails2"));
    err = ckx_capture_end(c);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "false failed on") && strstr(err, "fails2.gp"), "the error says:\n%s", err);
    free(err);
    ck_assert_int_eq(sigaction(SIGPIPE, NULL, &now), 0);
    ck_assert_msg(now.sa_handler == on_sigpipe, "plot_end did not restore the caller's SIGPIPE handler");

    const double y[] = { 1, 2 };
    char fake[512];
    snprintf(fake, sizeof fake, "%s", in(s.dir, "dying_gnuplot"));
    FILE *f = fopen(fake, "w");
    ck_assert(f != NULL);
    fputs("#!/bin/sh\nkill -KILL $$\n", f);
    fclose(f);
    ck_assert_int_eq(chmod(fake, 0755), 0);
    setenv("PLOT_GNUPLOT", fake, 1);
    p = plot_begin(&o, "dies", "dies");
    plot_line(p, NULL, y, 2, NULL);
    c = ckx_capture_begin(2);
    rc = plot_end(p);
    err = ckx_capture_end(c);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "died") && strstr(err, "dies.gp"), "the error does not say gnuplot died on "
                  "dies.gp:\n%s", err);
    free(err);
    scratch_end(&s);
}
END_TEST

START_TEST(unwritable_and_bad_arguments)
{
    Scratch s = scratch_begin();
    const double y[] = { 1, 2 };
    CkxCapture c = ckx_capture_begin(2);
    PlotOpts o = { PLOT_NONE, "/proc/plot_test_no_such_dir/out", 1 };
    Plot *p = plot_begin(&o, "x", "x");
    plot_line(p, NULL, y, 2, NULL);
    int rc_proc = plot_end(p);

    /* a file where the folder should be */
    FILE *f = fopen(in(s.dir, "afile"), "w");
    ck_assert(f != NULL);
    fclose(f);
    PlotOpts o2 = { PLOT_NONE, in(s.dir, "afile"), 1 };
    p = plot_begin(&o2, "x", "x");
    plot_line(p, NULL, y, 2, NULL);
    int rc_file = plot_end(p);

    int rc_null = plot_end(NULL);
    PlotOpts o3 = { PLOT_NONE, s.dir, 1 };
    Plot *slash = plot_begin(&o3, "sub/x", "x"), *empty = plot_begin(&o3, "", "x");
    Plot *layout = plot_begin_multi(&o3, "m", "x", 0, 2);
    p = plot_begin(&o3, "nully", "x");
    plot_line(p, NULL, NULL, 2, NULL);              /* a NULL y is the caller's bug: reported */
    int rc_nully = plot_end(p);
    char *err = ckx_capture_end(c);
    ck_assert_msg(rc_proc == -1 && rc_file == -1 && rc_null == -1 && rc_nully == -1,
                  "plot_end returned %d (folder under /proc), %d (a file in the way), %d (NULL), %d (NULL y); "
                  "expected -1", rc_proc, rc_file, rc_null, rc_nully);
    ck_assert_msg(!slash && !empty && !layout, "a name with '/', an empty name or a 0 x 2 layout was accepted");
    const char *says[] = { "cannot create folder /proc/plot_test_no_such_dir", "a file of that name is in the way",
                           "'sub/x' must be a non-empty file stem", "0 x 2", "got NULL y" };
    for (int i = 0; i < 5; i++) ck_assert_msg(strstr(err, says[i]), "no \"%s\" among the errors:\n%s", says[i], err);
    free(err);
    scratch_end(&s);
}
END_TEST

/* The key goes where it hides no data: a rising diagonal leaves the top left
 * and bottom right free (top left comes first); no legend, no key. */
START_TEST(key_avoids_the_data)
{
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_NONE, s.dir, 1 };
    double x[101], up[101];
    for (int i = 0; i <= 100; i++) { x[i] = i; up[i] = i; }
    Plot *p = plot_begin(&o, "rising", "rising");
    plot_line(p, x, up, 101, "y = x");
    ck_assert_int_eq(plot_end(p), 0);
    char *gp = slurp(in(s.dir, "rising.gp"));
    ck_assert_msg(strstr(gp, "set key top left"), "key over a rising diagonal is not top left:\n%s", gp);
    free(gp);
    p = plot_begin(&o, "nokey", "nokey");
    plot_line(p, x, up, 101, NULL);
    ck_assert_int_eq(plot_end(p), 0);
    gp = slurp(in(s.dir, "nokey.gp"));
    ck_assert_msg(strstr(gp, "unset key") && !strstr(gp, "\nset key"), "a key without any legend:\n%s", gp);
    free(gp);
    scratch_end(&s);
}
END_TEST

/* ---------------------------------------------------------------- maps in data coordinates */

/* 0xRRGGBB of pixel (fx, fy) of a PNG, as fractions of its width and height
 * from the top left. */
static unsigned pixel(const char *path, double fx, double fy)
{
    int w, h, c;
    unsigned char *px = stbi_load(path, &w, &h, &c, 3);
    ck_assert_msg(px != NULL, "cannot decode %s", path);
    const unsigned char *q = px + ((size_t)(fy * h) * w + (size_t)(fx * w)) * 3;
    unsigned rgb = (unsigned)q[0] << 16 | (unsigned)q[1] << 8 | q[2];
    stbi_image_free(px);
    return rgb;
}

/* Is every channel of got within tol of want? */
static int rgb_near(unsigned got, unsigned want, int tol)
{
    for (int shift = 0; shift <= 16; shift += 8) {
        int g = (int)(got >> shift & 0xff), w = (int)(want >> shift & 0xff);
        if (abs(g - w) > tol) return 0;
    }
    return 1;
}

/* The tint plot.h promises for a class: a quarter of its colour on white,
 * computed here from the Okabe-Ito colours plot_classes uses. */
static unsigned expected_tint(unsigned colour)
{
    unsigned t = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double ch = colour >> shift & 0xff;
        t |= (unsigned)lround(255 - 0.25 * (255 - ch)) << shift;
    }
    return t;
}

static const unsigned OKABE_ITO[3] = { 0x0072B2, 0xD55E00, 0x009E73 };   /* classes 0, 1, 2 */

/* The .dat of a map holds every cell's value at its centre in data
 * coordinates, row 0 (y = y0, the bottom) first; the script sets the axes to
 * the rectangle, bottom to top, and the panel settings asked for. */
START_TEST(map_data_in_data_coordinates)
{
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_NONE, s.dir, 1 };
    enum { NX = 3, NY = 2 };
    double z[NX * NY];
    for (int j = 0; j < NY; j++) for (int i = 0; i < NX; i++) z[j * NX + i] = 10 * j + i;
    z[4] = NAN;
    const int cls[NX * NY] = { 0, 1, 2, -1, 1, 0 };
    Plot *p = plot_begin_multi(&o, "map", "maps", 1, 2);
    plot_panel(p, "field");
    plot_equal_axes(p);
    plot_cbrange(p, 0, 20);
    plot_palette(p, PLOT_PALETTE_DIVERGING);
    plot_map(p, z, NX, NY, -1.5, 1.5, 10, 12, "P(y = 1 | x)");
    plot_panel(p, "classes");
    plot_class_map(p, cls, NX, NY, 0, 3, -2, 0);
    ck_assert_int_eq(plot_end(p), 0);

    char *dat = slurp(in(s.dir, "map.dat"));
    for (int blk = 0; blk < 2; blk++) {
        Block *b = read_block(dat, blk);
        ck_assert_msg(b->rows == NX * NY && b->ncol == 3, "%s block: %d rows x %d numbers, expected %d x 3 (x y value)",
                      blk ? "class map" : "map", b->rows, b->ncol, NX * NY);
        double x0 = blk ? 0 : -1.5, y0 = blk ? -2 : 10, hx = 1, hy = 1;   /* both grids have unit cells */
        for (int k = 0; k < NX * NY; k++) {
            int i = k % NX, j = k / NX;
            double want = blk ? cls[k] : z[k];
            ck_assert_msg(same(b->v[k][0], x0 + (i + 0.5) * hx) && same(b->v[k][1], y0 + (j + 0.5) * hy)
                              && same(b->v[k][2], want),
                          "%s line %d: (%g, %g, %g), expected cell (%d, %d) at its centre (%g, %g) with %g; "
                          "row 0 must be the bottom row (y = y0), written first",
                          blk ? "class map" : "map", k, b->v[k][0], b->v[k][1], b->v[k][2], i, j,
                          x0 + (i + 0.5) * hx, y0 + (j + 0.5) * hy, want);
        }
        free(b);
    }
    free(dat);

    char *gp = slurp(in(s.dir, "map.gp"));
    const char *second = strstr(gp, "panel 2");
    ck_assert_msg(second != NULL, "map.gp has no panel 2");
    const char *want1[] = { "set xrange [-1.5:1.5]", "set yrange [10:12]", "with image", "set colorbox",
                            "set cblabel 'P(y = 1 | x)'", "set cbrange [0:20]", "set size ratio -1",
                            "'#ffffff'" /* the white middle of the diverging palette */ };
    for (int i = 0; i < (int)(sizeof want1 / sizeof want1[0]); i++) {
        const char *at = strstr(gp, want1[i]);
        ck_assert_msg(at && at < second, "panel 1 of map.gp lacks \"%s\":\n%s", want1[i], gp);
    }
    ck_assert_msg(!strstr(gp, "reverse") && !strstr(gp, "[12:10]"), "a map's y axis must run bottom to top");
    ck_assert_msg(strstr(second, "set xrange [0:3]") && strstr(second, "set yrange [-2:0]") && strstr(second, "rgbimage"),
                  "panel 2 (class map) does not span [0, 3] x [-2, 0] or is not an rgbimage:\n%s", second);
    ck_assert_msg(!strstr(second, "colorbox") && !strstr(second, "cblabel") && !strstr(second, "size ratio")
                      && !strstr(second, "cbrange") && !strstr(second, "palette"),
                  "panel 1's colour settings leak into the class map of panel 2:\n%s", second);
    free(gp);

    /* a heatmap (cell indices) and a map (data coordinates) cannot share a panel; bad rectangles are refused */
    CkxCapture c = ckx_capture_begin(2);
    p = plot_begin(&o, "mixed", NULL);
    plot_heatmap(p, z, NY, NX, NULL);
    plot_map(p, z, NX, NY, 0, 1, 0, 1, NULL);
    int rc_mixed = plot_end(p);
    p = plot_begin(&o, "flat", NULL);
    plot_map(p, z, NX, NY, 1, 1, 0, 1, NULL);
    int rc_flat = plot_end(p);
    p = plot_begin(&o, "empty", NULL);
    plot_class_map(p, cls, 0, NY, 0, 1, 0, 1);
    int rc_empty = plot_end(p);
    char *err = ckx_capture_end(c);
    ck_assert_msg(rc_mixed == -1 && rc_flat == -1 && rc_empty == -1,
                  "plot_end returned %d (heatmap + map), %d (x0 == x1), %d (nx = 0); expected -1 for each",
                  rc_mixed, rc_flat, rc_empty);
    ck_assert_msg(strstr(err, "heatmap") && strstr(err, "x0 < x1") && strstr(err, "cells"),
                  "the refusals do not say what is wrong:\n%s", err);
    free(err);
    scratch_end(&s);
}
END_TEST

/* Row 0 is the BOTTOM: a 2 x 2 map filling the canvas with z = 0, 1/3 (row 0)
 * and 2/3, 1 (row 1) is darkest at the bottom left, then bottom right, top
 * left, top right (viridis gets lighter as the value grows: #440154 at 0 has
 * channel sum 153, #fde725 at 1 has 521). A single row draws too. */
START_TEST(map_row0_is_at_the_bottom)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    const double z[4] = { 0, 1.0 / 3, 2.0 / 3, 1 };
    Plot *p = plot_begin(&o, "orient", NULL);
    plot_size(p, 400, 400);
    plot_map(p, z, 2, 2, -3, 5, 100, 108, NULL);
    plot_raw(p, "set margins 0,0,0,0");
    plot_raw(p, "unset colorbox");
    ck_assert_int_eq(plot_end(p), 0);
    const char *png = in(s.dir, "orient.png");
    int bl = brightness(png, 0.25, 0.75), br = brightness(png, 0.75, 0.75);
    int tl = brightness(png, 0.25, 0.25), tr = brightness(png, 0.75, 0.25);
    ck_assert_msg(bl < 200 && bl + 40 < br && br + 40 < tl && tl + 40 < tr && tr > 470,
                  "2x2 map brightness: bottom left %d, bottom right %d, top left %d, top right %d; expected "
                  "rising in that order from ~153 (z = 0, cell (0, 0), row 0 at the BOTTOM) to ~521 (z = 1)",
                  bl, br, tl, tr);

    const double row[3] = { 0, 0.5, 1 };
    p = plot_begin(&o, "row", NULL);
    plot_size(p, 600, 200);
    plot_map(p, row, 3, 1, 0, 3, 0, 1, NULL);
    plot_raw(p, "set margins 0,0,0,0");
    plot_raw(p, "unset colorbox");
    ck_assert_int_eq(plot_end(p), 0);
    int left = brightness(in(s.dir, "row.png"), 1.0 / 6, 0.5), right = brightness(in(s.dir, "row.png"), 5.0 / 6, 0.5);
    ck_assert_msg(left < 250 && right > 450, "3x1 map: left brightness %d, right %d; expected column 0 dark, "
                  "column 2 light", left, right);
    scratch_end(&s);
}
END_TEST

/* A class map paints each cell in the tint of its class's colour (negative:
 * white), row 0 at the bottom; a point drawn with plot_points on it lands at
 * its data coordinates. A single-row class map draws too. */
START_TEST(class_map_tints_and_points)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    const int cls[4] = { 0, 1, 2, -1 };            /* row 0: classes 0, 1; row 1: class 2, none */
    const double px[1] = { 10.5 }, py[1] = { -1.5 };   /* inside cell (0, 0), a quarter of the way in */
    Plot *p = plot_begin(&o, "classes", NULL);
    plot_size(p, 400, 400);
    plot_class_map(p, cls, 2, 2, 10, 14, -2, 2);
    plot_points(p, px, py, 1, NULL);
    plot_raw(p, "set margins 0,0,0,0");
    ck_assert_int_eq(plot_end(p), 0);
    const char *png = in(s.dir, "classes.png");
    const struct { double fx, fy; unsigned want; const char *where; } cells[] = {
        { 0.40, 0.60, expected_tint(OKABE_ITO[0]), "bottom left (class 0)" },
        { 0.75, 0.75, expected_tint(OKABE_ITO[1]), "bottom right (class 1)" },
        { 0.25, 0.25, expected_tint(OKABE_ITO[2]), "top left (class 2)" },
        { 0.75, 0.25, 0xffffff, "top right (class -1: white)" },
        { 0.125, 0.875, OKABE_ITO[0], "the point at (10.5, -1.5), palette colour 1" },
    };
    for (int i = 0; i < 5; i++) {
        unsigned got = pixel(png, cells[i].fx, cells[i].fy);
        ck_assert_msg(rgb_near(got, cells[i].want, 3), "%s is #%06x, expected #%06x", cells[i].where, got,
                      cells[i].want);
    }
    char *gp = slurp(in(s.dir, "classes.gp"));
    ck_assert_msg(!strstr(gp, "set colorbox") && !strstr(gp, "palette"), "a class map must not have a colour box");
    free(gp);

    const int strip[3] = { 2, 0, 1 };
    p = plot_begin(&o, "strip", NULL);
    plot_size(p, 600, 200);
    plot_class_map(p, strip, 3, 1, 0, 3, 0, 1);
    plot_raw(p, "set margins 0,0,0,0");
    ck_assert_int_eq(plot_end(p), 0);
    for (int i = 0; i < 3; i++) {
        unsigned got = pixel(in(s.dir, "strip.png"), (i + 0.5) / 3, 0.5), want = expected_tint(OKABE_ITO[strip[i]]);
        ck_assert_msg(rgb_near(got, want, 3), "3x1 class map, cell %d (class %d) is #%06x, expected #%06x", i,
                      strip[i], got, want);
    }
    scratch_end(&s);
}
END_TEST

/* svg and pdf draw maps as one rectangle per cell ("pixels"), png as a bitmap. */
START_TEST(map_pixels_in_vector_formats)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    const double z[4] = { 0, 1, 2, 3 };
    const int cls[4] = { 0, 1, 1, 0 };
    const PlotFormat fmts[] = { PLOT_PNG, PLOT_SVG, PLOT_PDF };
    for (int f = 0; f < 3; f++) {
        PlotOpts o = { fmts[f], s.dir, 1 };
        Plot *p = plot_begin_multi(&o, "vec", NULL, 1, 2);
        plot_panel(p, "map");
        plot_map(p, z, 2, 2, 0, 1, 0, 1, "z");
        plot_panel(p, "classes");
        plot_class_map(p, cls, 2, 2, 0, 1, 0, 1);
        ck_assert_msg(plot_end(p) == 0, "gnuplot failed on maps in %s", plot_format_name(fmts[f]));
        char *gp = slurp(in(s.dir, "vec.gp"));
        int vector = fmts[f] != PLOT_PNG;
        ck_assert_msg((strstr(gp, "with image pixels") != NULL) == vector
                          && (strstr(gp, "with rgbimage pixels") != NULL) == vector,
                      "%s: maps should%s be drawn as pixels:\n%s", plot_format_name(fmts[f]), vector ? "" : " not", gp);
        free(gp);
    }
    scratch_end(&s);
}
END_TEST

/* A map panel (equal axes, colour range, palette, points, a reference line)
 * leaks nothing into the next panel of a multiplot, draws, and its .gp
 * re-renders from another folder. */
START_TEST(map_panel_does_not_leak)
{
    Scratch s = scratch_begin();
    int real = have_gnuplot();
    PlotOpts o = { real ? PLOT_PNG : PLOT_NONE, s.dir, 1 };
    double z[6 * 4];
    for (int k = 0; k < 24; k++) z[k] = k / 23.0;
    const double x[3] = { -1, 0, 1 }, y[3] = { 0.5, 1, 0.25 };
    const int c[3] = { 0, 1, 0 };
    Plot *p = plot_begin_multi(&o, "leak", "map then line", 1, 2);
    plot_panel(p, "map");
    plot_equal_axes(p);
    plot_palette(p, PLOT_PALETTE_DIVERGING);
    plot_cbrange(p, 0, 1);
    plot_map(p, z, 6, 4, -1.5, 1.5, -0.5, 1.5, "P");
    plot_classes(p, x, y, c, 3, "class");
    plot_vline(p, 0, "x = 0");
    plot_panel(p, "line");
    plot_line(p, NULL, y, 3, "y");
    ck_assert_int_eq(plot_end(p), 0);
    char *gp = slurp(in(s.dir, "leak.gp"));
    const char *second = strstr(gp, "panel 2");
    ck_assert_msg(second && strstr(second, "reset"), "panel 2 of leak.gp does not start from reset");
    const char *leaks[] = { "size ratio", "palette", "cbrange", "cblabel", "colorbox", "set arrow", "image",
                            "set xrange", "set yrange", "x = 0" };
    for (int i = 0; i < (int)(sizeof leaks / sizeof leaks[0]); i++)
        ck_assert_msg(!strstr(second, leaks[i]), "panel 1's \"%s\" leaks into panel 2:\n%s", leaks[i], second);
    ck_assert_msg(strstr(second, "set grid"), "panel 2 (a line) lost its grid");
    free(gp);
    if (real) {
        const char *png = in(s.dir, "leak.png");
        check_png(png, 0, 0);
        ck_assert_int_eq(remove(png), 0);
        ck_assert_int_eq(chdir("/"), 0);
        char cmd[600];
        snprintf(cmd, sizeof cmd, "gnuplot '%s/leak.gp'", s.dir);
        ck_assert_msg(system(cmd) == 0, "`%s` from / failed", cmd);
        check_png(in(s.dir, "leak.png"), 0, 0);
    }
    scratch_end(&s);
}
END_TEST

/* plot_vline / plot_hline: dashed grey, in front, label beside the line; one
 * at x <= 0 on a log x axis is left out (gnuplot would refuse it). */
START_TEST(reference_lines_in_script)
{
    Scratch s = scratch_begin();
    int real = have_gnuplot();
    PlotOpts o = { real ? PLOT_PNG : PLOT_NONE, s.dir, 1 };
    const double x[3] = { 0.1, 1, 10 }, y[3] = { 3, 1, 2 };
    Plot *p = plot_begin(&o, "refs", "reference lines");
    plot_log(p, "x");
    plot_line(p, x, y, 3, "y");
    plot_vline(p, 2.5, "λ_{max}");
    plot_hline(p, 1.5, NULL);
    plot_vline(p, -1, "not on a log axis");
    ck_assert_int_eq(plot_end(p), 0);
    char *gp = slurp(in(s.dir, "refs.gp"));
    ck_assert_msg(strstr(gp, "set arrow from first 2.5, graph 0 to first 2.5, graph 1 nohead front dt 2"),
                  "no dashed vertical line at x = 2.5 in front:\n%s", gp);
    ck_assert_msg(strstr(gp, "set label 'λ_{max}' at first 2.5, graph 0.96"), "the vline's label is missing:\n%s", gp);
    ck_assert_msg(strstr(gp, "set arrow from graph 0, first 1.5 to graph 1, first 1.5 nohead front dt 2"),
                  "no dashed horizontal line at y = 1.5 in front:\n%s", gp);
    ck_assert_msg(count_of(gp, "set arrow") == 2 && !strstr(gp, "set label 'not on"),
                  "the line at x = -1 on a log axis should be left out:\n%s", gp);
    ck_assert_msg(count_of(gp, "set label") == 1, "an unlabelled line got a label:\n%s", gp);
    free(gp);
    if (real) check_png(in(s.dir, "refs.png"), 800, 600);
    scratch_end(&s);
}
END_TEST

/* A horizontal line's label goes beside its right end, above it, unless it
 * would cover data there, or cross the plot's top border or the key: then
 * the next free spot (left end, middle; above, then below). */
START_TEST(hline_label_avoids_data)
{
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_NONE, s.dir, 1 };
    const double rising[5] = { 0, 0.25, 0.5, 0.75, 1 }, flat[5] = { 0.3, 0.3, 0.3, 0.3, 0.3 };
    Plot *p = plot_begin_multi(&o, "labels", "label spots", 1, 4);
    plot_panel(p, "free");          /* nothing above the line's right end */
    plot_yrange(p, 0, 1);
    plot_line(p, NULL, flat, 5, NULL);
    plot_hline(p, 0.6, "free");
    plot_panel(p, "data right");    /* a rising line reaches the right end above the line */
    plot_yrange(p, 0, 1.05);
    plot_line(p, NULL, rising, 5, NULL);
    plot_hline(p, 0.9, "data right");
    plot_panel(p, "top");           /* at the top of the range: above would cross the border */
    plot_yrange(p, 0, 1);
    plot_line(p, NULL, flat, 5, NULL);
    plot_hline(p, 0.99, "top");
    plot_panel(p, "key");           /* the key (top right) is where the label would go */
    plot_yrange(p, 0, 1);
    plot_line(p, NULL, flat, 5, "key");
    plot_raw(p, "set key top right");
    plot_hline(p, 0.85, "under the key");
    ck_assert_int_eq(plot_end(p), 0);
    char *gp = slurp(in(s.dir, "labels.gp"));
    const struct { const char *label, *spot, *why; } want[] = {
        { "'free' at graph 0.98, first 0.6 right offset 0,0.6", "right end, above", "nothing is there" },
        { "'data right' at graph 0.02, first 0.9 left offset 0,0.6", "left end, above",
          "the data reach the right end above the line" },
        { "'top' at graph 0.98, first 0.99 right offset 0,-0.7", "right end, below", "above would cross the top border" },
        { "'under the key' at graph 0.02, first 0.85 left offset 0,0.6", "left end, above", "the key is at the top right" },
    };
    for (int i = 0; i < 4; i++)
        ck_assert_msg(strstr(gp, want[i].label), "expected the label %s (%s: %s):\n%s", want[i].label, want[i].spot,
                      want[i].why, gp);
    free(gp);
    scratch_end(&s);
}
END_TEST

/* plot_next_style styles exactly the next line or point set: its own colour
 * takes no palette colour, the properties it names replace the defaults, and
 * gnuplot accepts the result. A style no series takes is reported. */
START_TEST(next_style_for_one_series)
{
    Scratch s = scratch_begin();
    int real = have_gnuplot();
    PlotOpts o = { real ? PLOT_PNG : PLOT_NONE, s.dir, 1 };
    const double y[3] = { 1, 2, 3 };
    Plot *p = plot_begin(&o, "style", "styles");
    plot_line(p, NULL, y, 3, "first");
    plot_next_style(p, "lc rgb '#000000' lw 1 dt 2");
    plot_line(p, NULL, y, 3, "reference");
    plot_line(p, NULL, y, 3, "second");
    plot_next_style(p, "ps 2");
    plot_points(p, NULL, y, 3, "big points");
    ck_assert_int_eq(plot_end(p), 0);
    char *gp = slurp(in(s.dir, "style.gp"));
    ck_assert_msg(strstr(gp, "using 1:2 with lines lw 2 lc 1 title 'first'"), "first line not in colour 1:\n%s", gp);
    ck_assert_msg(strstr(gp, "using 1:2 with lines lc rgb '#000000' lw 1 dt 2 title 'reference'"),
                  "the styled line must carry the style instead of lw 2 and a palette colour:\n%s", gp);
    ck_assert_msg(strstr(gp, "using 1:2 with lines lw 2 lc 2 title 'second'"),
                  "the line after the styled one should take palette colour 2 (a styled colour takes none):\n%s", gp);
    ck_assert_msg(strstr(gp, "with points pt 7 lc 3 ps 2 title 'big points'") && !strstr(gp, "ps 0.8"),
                  "the point size of the style should replace ps 0.8:\n%s", gp);
    free(gp);
    if (real) check_png(in(s.dir, "style.png"), 800, 600);

    /* a style followed by a heatmap is unused: reported, not fatal */
    const double z[4] = { 0, 1, 2, 3 };
    CkxCapture c = ckx_capture_begin(2);
    p = plot_begin(&o, "unused", NULL);
    plot_next_style(p, "lc rgb '#ff0000'");
    plot_heatmap(p, z, 2, 2, NULL);
    int rc = plot_end(p);
    char *err = ckx_capture_end(c);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strstr(err, "plot_next_style") && strstr(err, "not used"), "an unused style is not reported:\n%s", err);
    free(err);
    gp = slurp(in(s.dir, "unused.gp"));
    ck_assert_msg(!strstr(gp, "#ff0000"), "an unused style reached the script");
    free(gp);
    scratch_end(&s);
}
END_TEST

/* ---------------------------------------------------------------- consistency and atomic output */

/* The .gp's one format line picks both the terminal and the output file:
 * changing it to pdf or svg re-renders a real PDF or SVG beside the PNG (the
 * README's recipe). The SVG names a list of fonts, not only "Sans". */
START_TEST(format_line_rerenders_other_formats)
{
    if (!have_gnuplot()) return;
    Scratch s = scratch_begin();
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    const double y[] = { 1, 3, 2 };
    Plot *p = plot_begin(&o, "fig", "formats");
    plot_line(p, NULL, y, 3, "y");
    ck_assert_int_eq(plot_end(p), 0);
    check_png(in(s.dir, "fig.png"), 800, 600);
    const char *fmts[] = { "pdf", "svg" }, *magic[] = { "%PDF", "<?xml" };
    for (int i = 0; i < 2; i++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "sed -i \"s/^format = 'png'/format = '%s'/\" '%s/fig.gp' && gnuplot '%s/fig.gp'",
                 fmts[i], s.dir, s.dir);
        ck_assert_msg(system(cmd) == 0, "`%s` failed", cmd);
        char name[16];
        snprintf(name, sizeof name, "fig.%s", fmts[i]);
        char *text = slurp(in(s.dir, name));
        ck_assert_msg(strncmp(text, magic[i], strlen(magic[i])) == 0, "format = '%s' did not make a %s file", fmts[i], fmts[i]);
        if (i == 1) {
            ck_assert_msg(strstr(text, "font-family=\"DejaVu Sans,Liberation Sans,") && !strstr(text, "font-family=\"Sans\""),
                          "the SVG does not name a list of fonts");
        }
        free(text);
        snprintf(cmd, sizeof cmd, "sed -i \"s/^format = '%s'/format = 'png'/\" '%s/fig.gp'", fmts[i], s.dir);
        ck_assert_int_eq(system(cmd), 0);
    }
    check_png(in(s.dir, "fig.png"), 800, 600);   /* still the PNG */
    scratch_end(&s);
}
END_TEST

static void put_text_file(const char *path, const char *text, int mode)
{
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(chmod(path, (mode_t)mode), 0);
}

/* Fails if the folder holds a temporary file (a hidden name). */
static void no_temporary_files(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -q '^\\.'", dir);
    ck_assert_msg(system(cmd) != 0, "a temporary file was left in %s", dir);
}

/* A run that draws no image (none, dumb) leaves no image of an earlier run
 * beside its new .gp and .dat: every image in the folder is what its .gp draws. */
START_TEST(no_image_run_removes_the_old_image)
{
    Scratch s = scratch_begin();
    const double y[] = { 1, 3, 2 };
    put_text_file(in(s.dir, "fig.png"), "an earlier run", 0644);
    put_text_file(in(s.dir, "fig.svg"), "an earlier run", 0644);
    PlotOpts o = { PLOT_NONE, s.dir, 0 };
    Plot *p = plot_begin(&o, "fig", "none");
    plot_line(p, NULL, y, 3, "y");
    CkxCapture c = ckx_capture_begin(1);
    int rc = plot_end(p);
    char *said = ckx_capture_end(c);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(!exists(in(s.dir, "fig.png")) && !exists(in(s.dir, "fig.svg")),
                  "--plot none left the images of an earlier run beside its new fig.gp");
    ck_assert_msg(strstr(said, "removed fig.png, fig.svg"), "the removal is not reported:\n%s", said);
    free(said);
    ck_assert_msg(exists(in(s.dir, "fig.gp")) && exists(in(s.dir, "fig.dat")), "fig.gp or fig.dat missing");
    if (have_gnuplot()) {
        put_text_file(in(s.dir, "fig.png"), "an earlier run", 0644);
        PlotOpts d = { PLOT_DUMB, s.dir, 1 };
        p = plot_begin(&d, "fig", "dumb");
        plot_line(p, NULL, y, 3, "y");
        c = ckx_capture_begin(1);
        rc = plot_end(p);
        free(ckx_capture_end(c));
        ck_assert_int_eq(rc, 0);
        ck_assert_msg(!exists(in(s.dir, "fig.png")), "--plot dumb left the image of an earlier run");
    }
    no_temporary_files(s.dir);
    scratch_end(&s);
}
END_TEST

/* A fake gnuplot that writes the first bytes of a PNG to its output and then
 * `rest` (a shell command); it cds where the live script says. */
static void fake_gnuplot(const char *path, const char *rest)
{
    char text[1024];
    snprintf(text, sizeof text,
             "#!/bin/sh\n"
             "script=$(cat)\n"
             "dir=$(printf '%%s\\n' \"$script\" | sed -n \"1s/^cd '\\(.*\\)'  .*/\\1/p\")\n"
             "out=$(printf '%%s\\n' \"$script\" | sed -n \"s/^set output '\\(.*\\)'$/\\1/p\")\n"
             "cd \"$dir\" && printf '\\211PNG\\r\\n\\032\\nhalf a picture' > \"$out\"\n"
             "%s\n", rest);
    put_text_file(path, text, 0755);
}

/* gnuplot exits 0 after writing half a PNG (as when the disk fills): the
 * error names the figure, and no half PNG (nor the earlier run's) is left. */
START_TEST(incomplete_image_is_not_kept)
{
    Scratch s = scratch_begin();
    char fake[512];
    snprintf(fake, sizeof fake, "%s", in(s.dir, "fake_gnuplot"));
    fake_gnuplot(fake, "exit 0");
    setenv("PLOT_GNUPLOT", fake, 1);
    put_text_file(in(s.dir, "fig.png"), "an earlier run", 0644);
    PlotOpts o = { PLOT_PNG, s.dir, 1 };
    const double y[] = { 1, 3, 2 };
    Plot *p = plot_begin(&o, "fig", "half");
    plot_line(p, NULL, y, 3, "y");
    CkxCapture c = ckx_capture_begin(2);
    int rc = plot_end(p);
    char *err = ckx_capture_end(c);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "fig.png is incomplete") && strstr(err, "IEND"), "the error says:\n%s", err);
    free(err);
    ck_assert_msg(!exists(in(s.dir, "fig.png")), "a half-written or stale fig.png is left");
    ck_assert_msg(exists(in(s.dir, "fig.gp")) && exists(in(s.dir, "fig.dat")), "fig.gp and fig.dat are kept for `gnuplot fig.gp`");
    no_temporary_files(s.dir);
    scratch_end(&s);
}
END_TEST

/* Ctrl-C while gnuplot draws: the program dies of SIGINT and leaves neither a
 * partial image nor a temporary file. */
START_TEST(interrupt_while_drawing_leaves_no_partial_file)
{
    Scratch s = scratch_begin();
    char fake[512];
    snprintf(fake, sizeof fake, "%s", in(s.dir, "fake_gnuplot"));
    fake_gnuplot(fake, "kill -INT $PLOT_TEST_PARENT; sleep 1; exit 0");
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);   /* as in a chapter program (Check's runner has its own handler) */
        char me[32];
        snprintf(me, sizeof me, "%ld", (long)getpid());
        setenv("PLOT_TEST_PARENT", me, 1);
        setenv("PLOT_GNUPLOT", fake, 1);
        PlotOpts o = { PLOT_PNG, s.dir, 1 };
        const double y[] = { 1, 3, 2 };
        Plot *p = plot_begin(&o, "fig", "interrupted");
        plot_line(p, NULL, y, 3, "y");
        plot_end(p);
        sleep(5);    /* the signal may arrive just after plot_end */
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "the program should die of SIGINT (status %d)", st);
    ck_assert_msg(!exists(in(s.dir, "fig.png")), "an interrupted run left fig.png");
    no_temporary_files(s.dir);
    scratch_end(&s);
}
END_TEST

Suite *make_plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = ckx_tcase(s, "plot", 30);
    tcase_add_test(tc, format_names_parse);
    tcase_add_test(tc, none_writes_script_and_data);
    tcase_add_test(tc, heatmap_data_has_every_cell);
    tcase_add_test(tc, classes_arrows_columns);
    tcase_add_test(tc, nan_and_inf_are_skipped);
    tcase_add_test(tc, png_drawn_with_signature_and_size);
    tcase_add_test(tc, gp_rerenders_from_any_folder);
    tcase_add_test(tc, heatmap_row0_is_on_top);
    tcase_add_test(tc, multiplot_panels_are_independent);
    tcase_add_test(tc, svg_pdf_and_dumb);
    tcase_add_test(tc, gnuplot_missing_warns_once);
    tcase_add_test(tc, gnuplot_failing_returns_error);
    tcase_add_test(tc, unwritable_and_bad_arguments);
    tcase_add_test(tc, key_avoids_the_data);
    tcase_add_test(tc, map_data_in_data_coordinates);
    tcase_add_test(tc, map_row0_is_at_the_bottom);
    tcase_add_test(tc, class_map_tints_and_points);
    tcase_add_test(tc, map_pixels_in_vector_formats);
    tcase_add_test(tc, map_panel_does_not_leak);
    tcase_add_test(tc, reference_lines_in_script);
    tcase_add_test(tc, hline_label_avoids_data);
    tcase_add_test(tc, next_style_for_one_series);
    tcase_add_test(tc, format_line_rerenders_other_formats);
    tcase_add_test(tc, no_image_run_removes_the_old_image);
    tcase_add_test(tc, incomplete_image_is_not_kept);
    tcase_add_test(tc, interrupt_while_drawing_leaves_no_partial_file);
    return s;
}
