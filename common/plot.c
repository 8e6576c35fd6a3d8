/* plot.c — see plot.h.
 *
 * A Plot holds panels; a panel holds its settings and a list of series, each a
 * private copy of the caller's arrays. Nothing touches the disk until
 * plot_end(), which writes NAME.dat (every series one gnuplot index block, in
 * the order added), NAME.gp (one script that reads it), and then feeds the
 * same script to gnuplot through a pipe.
 *
 * The builders (plot_line, plot_labels, ...) return void, so an allocation
 * failure inside one is printed at once and remembered in Plot.failed;
 * plot_end() then writes nothing and returns -1.
 */
#include "plot.h"
#include "afile.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------------------- figure model */

typedef enum { S_LINE, S_POINTS, S_BAND, S_CLASSES, S_HEATMAP, S_ARROWS, S_MAP, S_CLASS_MAP } SeriesKind;

typedef struct {
    SeriesKind kind;
    char *legend;        /* key entry, or NULL for none */
    int n;               /* rows of data (heatmap, maps: rows * cols cells) */
    int ncol;            /* columns per row of data */
    double *data;        /* (n, ncol): line/points x y; band x lo hi; classes x y class;
                            heatmap and maps z (or class) only (ncol 1, cell (r, c) at r * cols + c);
                            arrows x y dx dy */
    int rows, cols;      /* heatmap and maps shape (maps: rows = ny, cols = nx) */
    double x0, x1, y0, y1; /* maps: the rectangle the cells tile; row 0 at y0 */
    char *value_fmt;     /* heatmap: printf format of the value printed in each cell, or NULL */
    int nclass;          /* classes, class map: largest class + 1 */
    char *style;         /* line, points, band: gnuplot options from plot_next_style, or NULL */
} Series;

typedef struct {
    double x, y;         /* position in data coordinates */
    char *text;          /* enhanced text */
} Label;

typedef struct {
    char axis;           /* 'x': a vertical line at x = at; 'y': a horizontal one at y = at */
    double at;
    char *label;         /* enhanced text beside it, or NULL */
} RefLine;

typedef struct {
    char *title;                 /* panel title (single plot: the figure's title), or NULL */
    char *xlabel, *ylabel;       /* axis labels, or NULL */
    int logx, logy;              /* 1: logarithmic axis */
    int has_xrange, has_yrange;  /* 1: xr / yr were set */
    double xr[2], yr[2];         /* [lo, hi] */
    char **raw;                  /* verbatim gnuplot commands, issued after ours */
    int nraw;
    Series *series;              /* in drawing order */
    int nseries;
    Label *labels;
    int nlabels;
    RefLine *refs;               /* plot_vline / plot_hline, in order */
    int nrefs;
    int equal_axes;              /* 1: set size ratio -1 */
    int has_cbrange;             /* 1: cbr was set */
    double cbr[2];               /* colour range [lo, hi] */
    PlotPalette palette;         /* heatmap and map colours */
    char *cblabel;               /* colour-box label of a map, or NULL */
} Panel;

struct Plot {
    PlotFormat format;   /* terminal of the live run */
    char *outdir;        /* output folder, "." by default */
    int quiet;           /* 1: no "wrote ..." line */
    char *name;          /* file stem */
    char *title;         /* figure title, or NULL */
    int multi;           /* 1: made by plot_begin_multi */
    int rows, cols;      /* multiplot layout (1, 1 for a single plot) */
    int width, height;   /* pixels (svg: the same; pdf: hundredths of an inch) */
    Panel *panels;       /* panels[0 .. npanels-1]; the last one is current */
    int npanels;
    char *next_style;    /* plot_next_style, waiting for the next series; or NULL */
    int failed;          /* 1: something failed while building; plot_end writes nothing */
};

/* Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct
 * under the common colour-vision deficiencies. Yellow is last: faint on white. */
static const char *const PALETTE[] = {
    "#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
};
#define NPALETTE ((int)(sizeof PALETTE / sizeof PALETTE[0]))

/* Viridis (van der Walt & Smith, matplotlib 2015) through five of its stops:
 * perceptually uniform, readable in grey, dark for low values. */
static const char *const HEATMAP_PALETTE =
    "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')";

/* A class's background tint is this much of its colour on white: light enough
 * that points of the same colour stand out on it, dark enough to tell apart. */
#define TINT_STRENGTH 0.25

/* Reference lines: dashed, mid grey, thin. */
#define REFLINE_STYLE "nohead front dt 2 lw 1.5 lc rgb '#555555'"

/* Cell values above this fraction of the colour range sit on light viridis
 * colours and are printed in black; below it, in white. */
#define LIGHT_FRACTION 0.6

/* ---------------------------------------------------------------- small helpers */

static void *plot_alloc(Plot *p, size_t bytes, const char *what)
{
    void *m = malloc(bytes ? bytes : 1);
    if (!m) {
        fprintf(stderr, "plot: out of memory allocating %zu bytes for %s of figure '%s'\n",
                bytes, what, p && p->name ? p->name : "?");
        if (p) p->failed = 1;
    }
    return m;
}

/* The array arr of n elements of size elem, grown to n + 1 with the new last
 * element zeroed; NULL (arr untouched, p->failed set) when out of memory. */
static void *grow(Plot *p, void *arr, int n, size_t elem, const char *what)
{
    char *grown = realloc(arr, ((size_t)n + 1) * elem);
    if (!grown) {
        fprintf(stderr, "plot: out of memory adding %s to figure '%s'\n", what, p->name);
        p->failed = 1;
        return NULL;
    }
    memset(grown + (size_t)n * elem, 0, elem);
    return grown;
}

/* A new, zeroed panel at the end of p->panels; NULL when out of memory. */
static Panel *new_panel(Plot *p)
{
    Panel *grown = grow(p, p->panels, p->npanels, sizeof *grown, "a panel");
    if (!grown) return NULL;
    p->panels = grown;
    return &p->panels[p->npanels++];
}

/* A copy of s, or NULL for NULL s (and on failure, which sets p->failed). */
static char *plot_strdup(Plot *p, const char *s, const char *what)
{
    if (!s) return NULL;
    size_t len = strlen(s) + 1;
    char *d = plot_alloc(p, len, what);
    if (d) memcpy(d, s, len);
    return d;
}

/* Replace *dst by a copy of s. */
static void plot_setstr(Plot *p, char **dst, const char *s, const char *what)
{
    char *d = plot_strdup(p, s, what);
    if (s && !d) return;
    free(*dst);
    *dst = d;
}

/* "DIR/NAME.EXT" in a fresh buffer, or NULL (message printed). */
static char *path_of(const Plot *p, const char *ext)
{
    size_t len = strlen(p->outdir) + strlen(p->name) + strlen(ext) + 3;
    char *s = malloc(len);
    if (!s) {
        fprintf(stderr, "plot: out of memory building the path of %s.%s\n", p->name, ext);
        return NULL;
    }
    size_t d = strlen(p->outdir);
    const char *sep = d > 0 && p->outdir[d - 1] == '/' ? "" : "/";
    snprintf(s, len, "%s%s%s.%s", p->outdir, sep, p->name, ext);
    return s;
}

/* A gnuplot single-quoted string: inside one, '' is a quote and nothing else is
 * special (a backslash is literal). A newline would end the command, so it
 * becomes a space. */
static void put_str_body(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\'') fputs("''", f);
        else if (*s == '\n' || *s == '\r') fputc(' ', f);
        else fputc(*s, f);
    }
}

/* The quoted string s followed by suffix. */
static void put_str2(FILE *f, const char *s, const char *suffix)
{
    fputc('\'', f);
    put_str_body(f, s);
    put_str_body(f, suffix);
    fputc('\'', f);
}

static void put_str(FILE *f, const char *s) { put_str2(f, s, ""); }

/* s inside a # comment line: a newline would end the comment early. */
static void put_comment(FILE *f, const char *s)
{
    for (; *s; s++) fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* Text for the reader (titles, labels, legends) as a single-quoted string.
 * It stays gnuplot enhanced text (V_k, x^2, {/Symbol p}), except that &, @
 * and ~, which enhanced mode would take as spacing and overprint commands
 * ("S&B" would lose its B), are printed as themselves: they get the
 * backslash gnuplot wants, unless the caller already wrote one. */
static void put_text(FILE *f, const char *s)
{
    fputc('\'', f);
    for (const char *c = s; *c; c++) {
        if ((*c == '&' || *c == '@' || *c == '~') && (c == s || c[-1] != '\\')) fputc('\\', f);
        if (*c == '\'') fputs("''", f);
        else if (*c == '\n' || *c == '\r') fputc(' ', f);
        else fputc(*c, f);
    }
    fputc('\'', f);
}

/* A number for the data file: gnuplot reads "NaN" as undefined and skips it. */
static void put_num(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, "%.12g", v);
    else fputs("NaN", f);
}

/* The background tint of class k (0xRRGGBB): TINT_STRENGTH of the colour
 * plot_classes gives it (lc k+1, the palette cycling) on white. */
static unsigned class_tint(int k)
{
    unsigned c = (unsigned)strtoul(PALETTE[k % NPALETTE] + 1, NULL, 16), t = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double ch = (c >> shift) & 0xff;
        t |= (unsigned)lround(255 - TINT_STRENGTH * (255 - ch)) << shift;
    }
    return t;
}

/* mkdir -p: create every missing folder of path; -1 with the reason in err. */
static int make_dirs(const char *path, char *err, size_t err_len)
{
    size_t len = strlen(path);
    char *buf = malloc(len + 1);
    if (!buf) {
        snprintf(err, err_len, "out of memory creating folder %s", path);
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char saved = buf[i];
        buf[i] = '\0';
        struct stat st;
        if (mkdir(buf, 0777) != 0) {
            int e = errno;
            if (e != EEXIST || stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
                snprintf(err, err_len, "cannot create folder %s: %s (check --out and its permissions)",
                         buf, e == EEXIST ? "a file of that name is in the way" : strerror(e));
                free(buf);
                return -1;
            }
        }
        buf[i] = saved;
    }
    free(buf);
    return 0;
}

int plot_check_outdir(const char *dir, char *err, size_t err_len)
{
    char why[512];
    if (!dir || !*dir) dir = ".";
    if (make_dirs(dir, why, sizeof why) != 0) {
        snprintf(err, err_len, "%s", why);
        return -1;
    }
    /* a file can be created there: the one the first figure would need */
    size_t len = strlen(dir) + 16;
    char *probe = malloc(len);
    if (!probe) {
        snprintf(err, err_len, "out of memory checking folder %s", dir);
        return -1;
    }
    snprintf(probe, len, "%s/.plot-check", dir);
    AFile a;
    int rc = afile_reserve(&a, probe, why, sizeof why), e = errno;
    free(probe);
    if (rc != 0) {
        snprintf(err, err_len, "cannot write in folder %s: %s", dir, strerror(e));
        return -1;
    }
    afile_abort(&a);
    return 0;
}

/* ---------------------------------------------------------------- building */

int plot_format_parse(const char *s, PlotFormat *f)
{
    static const PlotFormat all[] = { PLOT_PNG, PLOT_SVG, PLOT_PDF, PLOT_DUMB, PLOT_WINDOW, PLOT_NONE };
    if (!s || !f) return -1;
    for (int i = 0; i < (int)(sizeof all / sizeof all[0]); i++)
        if (strcmp(s, plot_format_name(all[i])) == 0) { *f = all[i]; return 0; }
    return -1;
}

const char *plot_format_name(PlotFormat f)
{
    switch (f) {
    case PLOT_PNG: return "png";
    case PLOT_SVG: return "svg";
    case PLOT_PDF: return "pdf";
    case PLOT_DUMB: return "dumb";
    case PLOT_WINDOW: return "window";
    case PLOT_NONE: return "none";
    }
    return "?";
}

static void free_panel(Panel *q)
{
    free(q->title); free(q->xlabel); free(q->ylabel);
    for (int i = 0; i < q->nraw; i++) free(q->raw[i]);
    free(q->raw);
    for (int i = 0; i < q->nseries; i++) {
        free(q->series[i].legend);
        free(q->series[i].data);
        free(q->series[i].value_fmt);
        free(q->series[i].style);
    }
    free(q->series);
    for (int i = 0; i < q->nlabels; i++) free(q->labels[i].text);
    free(q->labels);
    for (int i = 0; i < q->nrefs; i++) free(q->refs[i].label);
    free(q->refs);
    free(q->cblabel);
}

static void plot_free(Plot *p)
{
    if (!p) return;
    for (int i = 0; i < p->npanels; i++) free_panel(&p->panels[i]);
    free(p->panels);
    free(p->outdir); free(p->name); free(p->title); free(p->next_style);
    free(p);
}

static Plot *begin(const PlotOpts *o, const char *name, const char *title, int multi, int rows, int cols)
{
    if (!name || !*name || strchr(name, '/')) {
        fprintf(stderr, "plot: figure name '%s' must be a non-empty file stem without '/' "
                        "(the folder goes in PlotOpts.outdir)\n", name ? name : "(null)");
        return NULL;
    }
    if (rows < 1 || cols < 1) {
        fprintf(stderr, "plot: multiplot '%s' needs rows >= 1 and cols >= 1, got %d x %d\n", name, rows, cols);
        return NULL;
    }
    Plot *p = calloc(1, sizeof *p);
    if (!p) {
        fprintf(stderr, "plot: out of memory starting figure '%s'\n", name);
        return NULL;
    }
    p->format = o ? o->format : PLOT_PNG;
    p->quiet = o ? o->quiet : 0;
    p->name = plot_strdup(p, name, "the name");
    p->outdir = plot_strdup(p, o && o->outdir && *o->outdir ? o->outdir : ".", "the folder");
    p->title = plot_strdup(p, title, "the title");
    p->multi = multi;
    p->rows = rows;
    p->cols = cols;
    /* A single plot is 800x600; a multiplot gives each panel about 450x420. */
    p->width = multi ? (cols * 450 > 600 ? cols * 450 : 600) : 800;
    p->height = multi ? rows * 420 + 30 : 600;
    if (!multi) new_panel(p);
    if (p->failed) { plot_free(p); return NULL; }
    return p;
}

Plot *plot_begin(const PlotOpts *o, const char *name, const char *title)
{
    return begin(o, name, title, 0, 1, 1);
}

Plot *plot_begin_multi(const PlotOpts *o, const char *name, const char *title, int rows, int cols)
{
    return begin(o, name, title, 1, rows, cols);
}

void plot_size(Plot *p, int width_px, int height_px)
{
    if (!p) return;
    if (width_px < 1 || height_px < 1) {
        fprintf(stderr, "plot: size %dx%d of '%s' ignored (both must be >= 1 pixel)\n", width_px, height_px, p->name);
        return;
    }
    p->width = width_px;
    p->height = height_px;
}

/* A plot_next_style that no series took is the caller's slip: say so, forget it. */
static void drop_next_style(Plot *p, const char *reason)
{
    if (!p->next_style) return;
    fprintf(stderr, "plot: plot_next_style(\"%s\") on '%s' was not used (%s came first; it styles the next "
                    "plot_line, plot_points or plot_band)\n", p->next_style, p->name, reason);
    free(p->next_style);
    p->next_style = NULL;
}

void plot_panel(Plot *p, const char *title)
{
    if (!p) return;
    if (!p->multi) {
        fprintf(stderr, "plot: plot_panel on '%s', which is not a multiplot (start it with plot_begin_multi)\n", p->name);
        p->failed = 1;
        return;
    }
    if (p->npanels >= p->rows * p->cols) {
        fprintf(stderr, "plot: '%s' has a %d x %d layout: no room for panel %d\n",
                p->name, p->rows, p->cols, p->npanels + 1);
        p->failed = 1;
        return;
    }
    drop_next_style(p, "a new panel");
    Panel *q = new_panel(p);
    if (q) q->title = plot_strdup(p, title, "a panel title");
}

/* The panel settings and series go to; a multiplot whose first plot_panel call
 * was forgotten gets an untitled first panel. */
static Panel *current(Plot *p)
{
    if (p->npanels == 0) plot_panel(p, NULL);
    return p->npanels ? &p->panels[p->npanels - 1] : NULL;
}

void plot_labels(Plot *p, const char *xlabel, const char *ylabel)
{
    Panel *q = p ? current(p) : NULL;
    if (!q) return;
    plot_setstr(p, &q->xlabel, xlabel, "an axis label");
    plot_setstr(p, &q->ylabel, ylabel, "an axis label");
}

void plot_log(Plot *p, const char *axes)
{
    Panel *q = p ? current(p) : NULL;
    if (!q || !axes) return;
    if (strspn(axes, "xy") != strlen(axes) || !*axes) {
        fprintf(stderr, "plot: plot_log(\"%s\") on '%s': axes must be \"x\", \"y\" or \"xy\"\n", axes, p->name);
        return;
    }
    if (strchr(axes, 'x')) q->logx = 1;
    if (strchr(axes, 'y')) q->logy = 1;
}

void plot_xrange(Plot *p, double lo, double hi)
{
    Panel *q = p ? current(p) : NULL;
    if (!q) return;
    q->has_xrange = 1; q->xr[0] = lo; q->xr[1] = hi;
}

void plot_yrange(Plot *p, double lo, double hi)
{
    Panel *q = p ? current(p) : NULL;
    if (!q) return;
    q->has_yrange = 1; q->yr[0] = lo; q->yr[1] = hi;
}

void plot_raw(Plot *p, const char *gnuplot_command)
{
    Panel *q = p ? current(p) : NULL;
    if (!q || !gnuplot_command) return;
    char *s = plot_strdup(p, gnuplot_command, "a raw command");
    if (!s) return;
    char **grown = grow(p, q->raw, q->nraw, sizeof *grown, "a raw command");
    if (!grown) { free(s); return; }
    q->raw = grown;
    q->raw[q->nraw++] = s;
}

void plot_equal_axes(Plot *p)
{
    Panel *q = p ? current(p) : NULL;
    if (q) q->equal_axes = 1;
}

void plot_cbrange(Plot *p, double lo, double hi)
{
    Panel *q = p ? current(p) : NULL;
    if (!q) return;
    if (!(isfinite(lo) && isfinite(hi) && lo < hi)) {
        fprintf(stderr, "plot: plot_cbrange(%g, %g) on '%s' ignored: need finite lo < hi\n", lo, hi, p->name);
        return;
    }
    q->has_cbrange = 1; q->cbr[0] = lo; q->cbr[1] = hi;
}

void plot_palette(Plot *p, PlotPalette palette)
{
    Panel *q = p ? current(p) : NULL;
    if (!q) return;
    if (palette != PLOT_PALETTE_VIRIDIS && palette != PLOT_PALETTE_DIVERGING) {
        fprintf(stderr, "plot: plot_palette(%d) on '%s' ignored: not a PlotPalette\n", (int)palette, p->name);
        return;
    }
    q->palette = palette;
}

static void add_ref(Plot *p, char axis, double at, const char *label, const char *fn)
{
    Panel *q = p ? current(p) : NULL;
    if (!q) return;
    if (!isfinite(at)) {
        fprintf(stderr, "plot: %s(%g) on '%s' ignored: the position must be finite\n", fn, at, p->name);
        return;
    }
    char *l = plot_strdup(p, label, "a reference line label");
    if (label && !l) return;
    RefLine *grown = grow(p, q->refs, q->nrefs, sizeof *grown, "a reference line");
    if (!grown) { free(l); return; }
    q->refs = grown;
    q->refs[q->nrefs++] = (RefLine){ axis, at, l };
}

void plot_vline(Plot *p, double x, const char *label) { add_ref(p, 'x', x, label, "plot_vline"); }
void plot_hline(Plot *p, double y, const char *label) { add_ref(p, 'y', y, label, "plot_hline"); }

void plot_next_style(Plot *p, const char *gnuplot_style)
{
    if (!p || !gnuplot_style) return;
    drop_next_style(p, "another plot_next_style");
    p->next_style = plot_strdup(p, gnuplot_style, "a series style");
}

/* A new series of n rows and ncol columns on the current panel; its data is
 * left for the caller to fill. NULL (nothing added) when n <= 0 or on failure.
 * A line, point set or band takes the pending plot_next_style (even when
 * empty); any other series leaves it unused, which is reported. */
static Series *add_series(Plot *p, SeriesKind kind, int n, int ncol, const char *legend, const char *what)
{
    Panel *q = p ? current(p) : NULL;
    if (!q) return NULL;
    char *style = NULL;
    if (kind == S_LINE || kind == S_POINTS || kind == S_BAND) {
        style = p->next_style;
        p->next_style = NULL;
    } else {
        drop_next_style(p, what);
    }
    if (n <= 0) { free(style); return NULL; }
    double *data = plot_alloc(p, (size_t)n * (size_t)ncol * sizeof(double), what);
    char *leg = plot_strdup(p, legend, "a legend");
    if (!data || (legend && !leg)) { free(data); free(leg); free(style); return NULL; }
    Series *grown = grow(p, q->series, q->nseries, sizeof *grown, what);
    if (!grown) { free(data); free(leg); free(style); return NULL; }
    q->series = grown;
    Series *s = &q->series[q->nseries++];
    s->kind = kind; s->n = n; s->ncol = ncol; s->data = data; s->legend = leg; s->style = style;
    return s;
}

/* A NULL array where data is required is a bug in the caller: say which. */
static int need(Plot *p, const void *a, const char *fn, const char *arg)
{
    if (a) return 1;
    fprintf(stderr, "plot: %s on '%s' got NULL %s\n", fn, p->name, arg);
    p->failed = 1;
    return 0;
}

static void add_xy(Plot *p, SeriesKind kind, const double *x, const double *y, int n, const char *legend,
                   const char *fn)
{
    if (!p || !need(p, y, fn, "y")) return;
    Series *s = add_series(p, kind, n, 2, legend, fn);
    if (!s) return;
    for (int i = 0; i < n; i++) {
        s->data[2 * i] = x ? x[i] : i;
        s->data[2 * i + 1] = y[i];
    }
}

void plot_line(Plot *p, const double *x, const double *y, int n, const char *legend)
{
    add_xy(p, S_LINE, x, y, n, legend, "plot_line");
}

void plot_points(Plot *p, const double *x, const double *y, int n, const char *legend)
{
    add_xy(p, S_POINTS, x, y, n, legend, "plot_points");
}

void plot_band(Plot *p, const double *x, const double *lo, const double *hi, int n, const char *legend)
{
    if (!p || !need(p, lo, "plot_band", "lo") || !need(p, hi, "plot_band", "hi")) return;
    Series *s = add_series(p, S_BAND, n, 3, legend, "plot_band");
    if (!s) return;
    for (int i = 0; i < n; i++) {
        s->data[3 * i] = x ? x[i] : i;
        s->data[3 * i + 1] = lo[i];
        s->data[3 * i + 2] = hi[i];
    }
}

void plot_classes(Plot *p, const double *x, const double *y, const int *cls, int n, const char *legend)
{
    if (!p || !need(p, x, "plot_classes", "x") || !need(p, y, "plot_classes", "y")
        || !need(p, cls, "plot_classes", "cls")) return;
    Series *s = add_series(p, S_CLASSES, n, 3, legend, "plot_classes");
    if (!s) return;
    for (int i = 0; i < n; i++) {
        s->data[3 * i] = x[i];
        s->data[3 * i + 1] = y[i];
        s->data[3 * i + 2] = cls[i];
        if (cls[i] + 1 > s->nclass) s->nclass = cls[i] + 1;
    }
}

/* A heatmap (cell indices, row 0 on top) and a map (data coordinates, row 0
 * at the bottom) cannot share axes: refuse the second kind in a panel. */
static int grid_kind_fits(Plot *p, int want_map, const char *fn)
{
    const Panel *q = current(p);
    if (!q) return 0;
    for (int i = 0; i < q->nseries; i++) {
        SeriesKind k = q->series[i].kind;
        int is_map = k == S_MAP || k == S_CLASS_MAP;
        if (k == S_HEATMAP || is_map) {
            if (is_map == want_map) continue;
            fprintf(stderr, "plot: %s on '%s': this panel already has a %s; a heatmap (cell indices, row 0 on "
                            "top) and a map (data coordinates) need panels of their own\n",
                    fn, p->name, is_map ? "map" : "heatmap");
            p->failed = 1;
            return 0;
        }
    }
    return 1;
}

void plot_heatmap(Plot *p, const double *z, int rows, int cols, const char *value_fmt)
{
    if (!p || !need(p, z, "plot_heatmap", "z")) return;
    if (rows < 1 || cols < 1) {
        fprintf(stderr, "plot: plot_heatmap on '%s' got %d x %d cells; both must be >= 1\n", p->name, rows, cols);
        p->failed = 1;
        return;
    }
    if (!grid_kind_fits(p, 0, "plot_heatmap")) return;
    char *fmt = plot_strdup(p, value_fmt, "a value format");
    if (value_fmt && !fmt) return;
    Series *s = add_series(p, S_HEATMAP, rows * cols, 1, NULL, "plot_heatmap");
    if (!s) { free(fmt); return; }
    memcpy(s->data, z, (size_t)rows * (size_t)cols * sizeof(double));
    s->rows = rows; s->cols = cols; s->value_fmt = fmt;
}

/* The grid of a map or class map, checked; NULL (p->failed set) when it is not one. */
static Series *add_map(Plot *p, SeriesKind kind, const void *z, int nx, int ny, double x0, double x1,
                       double y0, double y1, const char *fn)
{
    if (!p || !need(p, z, fn, kind == S_MAP ? "z" : "cls")) return NULL;
    if (nx < 1 || ny < 1 || nx > 100000 || ny > 100000 || (long)nx * ny > 50000000L) {
        fprintf(stderr, "plot: %s on '%s' got %d x %d cells; each side must be 1..100000, at most 5e7 cells\n",
                fn, p->name, nx, ny);
        p->failed = 1;
        return NULL;
    }
    if (!(isfinite(x0) && isfinite(x1) && isfinite(y0) && isfinite(y1) && x0 < x1 && y0 < y1)) {
        fprintf(stderr, "plot: %s on '%s' got the rectangle [%g, %g] x [%g, %g]; it needs finite x0 < x1 and "
                        "y0 < y1\n", fn, p->name, x0, x1, y0, y1);
        p->failed = 1;
        return NULL;
    }
    if (!grid_kind_fits(p, 1, fn)) return NULL;
    Series *s = add_series(p, kind, nx * ny, 1, NULL, fn);
    if (!s) return NULL;
    s->rows = ny; s->cols = nx;
    s->x0 = x0; s->x1 = x1; s->y0 = y0; s->y1 = y1;
    return s;
}

void plot_map(Plot *p, const double *z, int nx, int ny, double x0, double x1, double y0, double y1,
              const char *cblabel)
{
    Series *s = add_map(p, S_MAP, z, nx, ny, x0, x1, y0, y1, "plot_map");
    if (!s) return;
    memcpy(s->data, z, (size_t)nx * (size_t)ny * sizeof(double));
    if (cblabel) plot_setstr(p, &current(p)->cblabel, cblabel, "a colour-box label");
}

void plot_class_map(Plot *p, const int *cls, int nx, int ny, double x0, double x1, double y0, double y1)
{
    Series *s = add_map(p, S_CLASS_MAP, cls, nx, ny, x0, x1, y0, y1, "plot_class_map");
    if (!s) return;
    for (int i = 0; i < s->n; i++) {
        s->data[i] = cls[i] < 0 ? -1 : cls[i];
        if (cls[i] + 1 > s->nclass) s->nclass = cls[i] + 1;
    }
}

void plot_arrows(Plot *p, const double *x, const double *y, const double *dx, const double *dy,
                 int n, const char *legend)
{
    if (!p || !need(p, x, "plot_arrows", "x") || !need(p, y, "plot_arrows", "y")
        || !need(p, dx, "plot_arrows", "dx") || !need(p, dy, "plot_arrows", "dy")) return;
    Series *s = add_series(p, S_ARROWS, n, 4, legend, "plot_arrows");
    if (!s) return;
    for (int i = 0; i < n; i++) {
        s->data[4 * i] = x[i]; s->data[4 * i + 1] = y[i];
        s->data[4 * i + 2] = dx[i]; s->data[4 * i + 3] = dy[i];
    }
}

void plot_label(Plot *p, double x, double y, const char *text)
{
    Panel *q = p ? current(p) : NULL;
    if (!q || !text) return;
    char *t = plot_strdup(p, text, "a label");
    if (!t) return;
    Label *grown = grow(p, q->labels, q->nlabels, sizeof *grown, "a label");
    if (!grown) { free(t); return; }
    q->labels = grown;
    Label *l = &q->labels[q->nlabels++];
    l->x = x; l->y = y; l->text = t;
}

/* ---------------------------------------------------------------- data file */

/* Can point (x, y) be drawn on this panel's axes? */
static int drawable(const Panel *q, double x, double y)
{
    return isfinite(x) && isfinite(y) && (!q->logx || x > 0) && (!q->logy || y > 0);
}

/* Does series s have at least one point gnuplot can draw? A series with none
 * is left out of the plot command: gnuplot would stop with "all points
 * undefined" if it were the only one. */
static int plottable(const Panel *q, const Series *s)
{
    for (int i = 0; i < s->n; i++) {
        const double *r = s->data + (size_t)i * s->ncol;
        switch (s->kind) {
        case S_LINE: case S_POINTS: case S_ARROWS:
            if (drawable(q, r[0], r[1])) return 1;
            break;
        case S_BAND:
            if (drawable(q, r[0], r[1]) && drawable(q, r[0], r[2])) return 1;
            break;
        case S_CLASSES:
            if (r[2] >= 0 && drawable(q, r[0], r[1])) return 1;
            break;
        case S_HEATMAP: case S_MAP:
            if (isfinite(r[0])) return 1;
            break;
        case S_CLASS_MAP:
            return 1;                 /* a negative class is still a (white) cell */
        }
    }
    return 0;
}

static const char *kind_name(SeriesKind k)
{
    static const char *const names[] = { "line", "points", "band", "classes", "heatmap", "arrows", "map",
                                          "class map" };
    return names[k];
}

static const char *kind_columns(SeriesKind k)
{
    static const char *const cols[] = {
        "x y", "x y", "x lo hi", "x y class", "col row value [text]", "x y dx dy",
        "x y value (cell centres)", "x y class (cell centres)",
    };
    return cols[k];
}

/* Smallest and largest finite value of a heatmap; 0, 0 if none. */
static void finite_range(const Series *s, double *lo, double *hi)
{
    *lo = INFINITY; *hi = -INFINITY;
    for (int i = 0; i < s->n; i++) {
        if (!isfinite(s->data[i])) continue;
        if (s->data[i] < *lo) *lo = s->data[i];
        if (s->data[i] > *hi) *hi = s->data[i];
    }
    if (*lo > *hi) *lo = *hi = 0;
}

/* Centre of cell i of n that tile [lo, hi]. */
static double cell_centre(double lo, double hi, int n, int i)
{
    return lo + (i + 0.5) * (hi - lo) / n;
}

/* One index block per series. A heatmap is written as (col, row, value)
 * triples, a blank line after each row (gnuplot's grid format), plus the value
 * printed with value_fmt in a fourth, quoted column. A map or class map is
 * written as (x, y, value) at the cell centres, row 0 (the bottom) first,
 * a blank line after each row. */
static void write_series_data(FILE *f, const Series *s, int index, int panel)
{
    fprintf(f, "# index %d: %s", index, kind_name(s->kind));
    if (s->legend) { fputs(" \"", f); put_comment(f, s->legend); fputc('"', f); }
    if (s->kind == S_HEATMAP) fprintf(f, " %d rows x %d cols", s->rows, s->cols);
    if (s->kind == S_MAP || s->kind == S_CLASS_MAP)
        fprintf(f, " %d x %d cells tiling [%.12g, %.12g] x [%.12g, %.12g], row 0 at the bottom", s->cols, s->rows,
                s->x0, s->x1, s->y0, s->y1);
    fprintf(f, " (panel %d); columns: %s\n", panel + 1, kind_columns(s->kind));
    if (s->kind == S_MAP || s->kind == S_CLASS_MAP) {
        for (int r = 0; r < s->rows; r++) {
            double y = cell_centre(s->y0, s->y1, s->rows, r);
            for (int c = 0; c < s->cols; c++) {
                fprintf(f, "%.12g %.12g ", cell_centre(s->x0, s->x1, s->cols, c), y);
                put_num(f, s->data[(size_t)r * s->cols + c]);
                fputc('\n', f);
            }
            fputc('\n', f);
        }
        return;
    }
    if (s->kind != S_HEATMAP) {
        for (int i = 0; i < s->n; i++) {
            for (int c = 0; c < s->ncol; c++) {
                if (c) fputc(' ', f);
                put_num(f, s->data[(size_t)i * s->ncol + c]);
            }
            fputc('\n', f);
        }
        return;
    }
    for (int r = 0; r < s->rows; r++) {
        for (int c = 0; c < s->cols; c++) {
            double z = s->data[(size_t)r * s->cols + c];
            fprintf(f, "%d %d ", c, r);
            put_num(f, z);
            if (s->value_fmt) {
                char text[64] = "";
                if (isfinite(z)) snprintf(text, sizeof text, s->value_fmt, z);
                for (char *t = text; *t; t++) if (*t == '"') *t = '\'';
                fprintf(f, " \"%s\"", text);
            }
            fputc('\n', f);
        }
        fputc('\n', f);
    }
}

/* Every series of p as one gnuplot index block, in the order added. */
static void write_data(FILE *f, const Plot *p)
{
    fprintf(f, "# %s.dat — data of %s.gp (gnuplot index blocks, two blank lines apart)\n", p->name, p->name);
    int index = 0;
    for (int k = 0; k < p->npanels; k++) {
        const Panel *q = &p->panels[k];
        for (int i = 0; i < q->nseries; i++, index++) {
            if (index) fputs("\n\n", f);
            write_series_data(f, &q->series[i], index, k);
        }
    }
}

/* ---------------------------------------------------------------- script */

/* Calls visit(x, y, ctx) on samples of the panel's drawn area: every point,
 * 8 points along each line segment, 5 levels across a band. */
static void sample_panel(const Panel *q, void (*visit)(double x, double y, void *ctx), void *ctx)
{
    for (int i = 0; i < q->nseries; i++) {
        const Series *s = &q->series[i];
        if (s->kind == S_HEATMAP || s->kind == S_MAP || s->kind == S_CLASS_MAP) continue;
        for (int j = 0; j < s->n; j++) {
            const double *r = s->data + (size_t)j * s->ncol;
            if (s->kind == S_BAND) {
                for (int l = 0; l <= 4; l++) visit(r[0], r[1] + l * (r[2] - r[1]) / 4, ctx);
            } else if (s->kind == S_LINE && j + 1 < s->n) {
                const double *nx = r + s->ncol;
                for (int t = 0; t < 8; t++) visit(r[0] + t * (nx[0] - r[0]) / 8, r[1] + t * (nx[1] - r[1]) / 8, ctx);
            } else {
                visit(r[0], r[1], ctx);
            }
        }
    }
}

/* Candidate key positions, in order of preference: gnuplot's words, and where
 * the key's box sits along x and y (0 low end, 1 high end, 0.5 centre). */
static const struct { const char *where; double ax, ay; } KEY_SPOTS[] = {
    { "top right", 1, 1 }, { "top left", 0, 1 }, { "bottom right", 1, 0 }, { "bottom left", 0, 0 },
    { "right center", 1, 0.5 }, { "left center", 0, 0.5 }, { "center top", 0.5, 1 }, { "center bottom", 0.5, 0 },
};
#define NSPOTS ((int)(sizeof KEY_SPOTS / sizeof KEY_SPOTS[0]))

typedef struct {
    const Panel *q;
    double lo[2], hi[2];   /* extent of the axes (log10 of it on a log axis) */
    int fixed[2];          /* 1: that extent is a range the caller set */
    double kw, kh;         /* key size, as fractions of the plot area */
    long count[NSPOTS];    /* samples under the key at each spot */
    long total;            /* samples in all */
} KeyFit;

static void extent_visit(double x, double y, void *ctx)
{
    KeyFit *k = ctx;
    if (!drawable(k->q, x, y)) return;
    double v[2] = { k->q->logx ? log10(x) : x, k->q->logy ? log10(y) : y };
    for (int a = 0; a < 2; a++) {
        if (k->fixed[a]) continue;
        k->lo[a] = fmin(k->lo[a], v[a]);
        k->hi[a] = fmax(k->hi[a], v[a]);
    }
}

/* Is u (0..1 across the plot) inside a box of width w aligned at a (0, 0.5, 1)? */
static int in_box(double u, double w, double a)
{
    double start = a * (1 - w);
    return u >= start && u <= start + w;
}

/* Count a sample at u (0..1 across the plot on each axis). */
static void count_unit(KeyFit *k, const double u[2])
{
    k->total++;
    for (int i = 0; i < NSPOTS; i++)
        k->count[i] += in_box(u[0], k->kw, KEY_SPOTS[i].ax) && in_box(u[1], k->kh, KEY_SPOTS[i].ay);
}

/* (x, y) as 0..1 across the plot of extent k (log10 on a log axis). */
static void to_unit(const KeyFit *k, double x, double y, double u[2])
{
    const double v[2] = { k->q->logx ? log10(x) : x, k->q->logy ? log10(y) : y };
    for (int a = 0; a < 2; a++) u[a] = (v[a] - k->lo[a]) / (k->hi[a] - k->lo[a]);
}

static void count_visit(double x, double y, void *ctx)
{
    KeyFit *k = ctx;
    if (!drawable(k->q, x, y)) return;
    double u[2];
    to_unit(k, x, y, u);
    count_unit(k, u);
}

/* Reference lines are data too: 16 samples along each one inside the plot. */
static void count_refs(KeyFit *k)
{
    for (int i = 0; i < k->q->nrefs; i++) {
        const RefLine *r = &k->q->refs[i];
        int a = r->axis == 'x' ? 0 : 1, log = a == 0 ? k->q->logx : k->q->logy;
        if (log && !(r->at > 0)) continue;
        double u[2];
        u[a] = ((log ? log10(r->at) : r->at) - k->lo[a]) / (k->hi[a] - k->lo[a]);
        if (!(u[a] >= 0 && u[a] <= 1)) continue;
        for (int t = 0; t < 16; t++) {
            u[1 - a] = (t + 0.5) / 16;
            count_unit(k, u);
        }
    }
}

/* The panel's extent: its ranges where set, else the span of its data (log10
 * of either on a log axis). No data: lo = +inf, hi = -inf. */
static KeyFit panel_extent(const Panel *q)
{
    KeyFit k = { .q = q, .lo = { INFINITY, INFINITY }, .hi = { -INFINITY, -INFINITY } };
    const int logs[2] = { q->logx, q->logy }, set[2] = { q->has_xrange, q->has_yrange };
    const double *ranges[2] = { q->xr, q->yr };
    for (int a = 0; a < 2; a++) {
        double r0 = fmin(ranges[a][0], ranges[a][1]), r1 = fmax(ranges[a][0], ranges[a][1]);
        if (!set[a] || !isfinite(r0) || !isfinite(r1) || (logs[a] && !(r0 > 0))) continue;
        k.fixed[a] = 1;
        k.lo[a] = logs[a] ? log10(r0) : r0;
        k.hi[a] = logs[a] ? log10(r1) : r1;
    }
    sample_panel(q, extent_visit, &k);
    return k;
}

/* The box of a key of size kw x kh aligned at (ax, ay), 0..1 across the plot. */
static void key_box(double box[4], double ax, double ay, double kw, double kh)
{
    box[0] = ax * (1 - kw);
    box[1] = box[0] + kw;
    box[2] = ay * (1 - kh);
    box[3] = box[2] + kh;
}

/* Where the key covers the least data: of eight spots inside the plot (the
 * corners first, then the middles of the sides), the one whose box (about as
 * wide as the longest entry, a line per entry high) holds the fewest samples
 * of the panel's points, lines, bands and reference lines; the first such
 * spot on ties. If even that one would hide more than 1% of them, the key
 * goes below the plot.
 * A plot_raw("set key ...") still overrides it. */
static const char *key_spot(const Plot *p, const Panel *q, int entries, int longest, double box[4], double size[2])
{
    /* The key's size in pixels is about fixed, so as a fraction of the plot
     * area it grows as the panel shrinks. The fractions below fit the plot
     * area of an 800 x 600 figure, about 690 x 500 px (margins ~110 x 100 px). */
    double panel_w = (double)p->width / p->cols, panel_h = (double)(p->height - (p->multi ? 30 : 0)) / p->rows;
    double sx = 690 / fmax(panel_w - 110, 100), sy = 500 / fmax(panel_h - 100, 100);
    KeyFit k = panel_extent(q);
    k.kw = fmin(0.9, (0.12 + 0.011 * longest) * sx);
    k.kh = fmin(0.9, (0.05 + 0.055 * entries) * sy);
    size[0] = k.kw;
    size[1] = k.kh;
    if (!(k.lo[0] < k.hi[0]) || !(k.lo[1] < k.hi[1])) return KEY_SPOTS[0].where;
    sample_panel(q, count_visit, &k);
    count_refs(&k);
    int best = 0;
    for (int i = 1; i < NSPOTS; i++) if (k.count[i] < k.count[best]) best = i;
    if (k.count[best] * 100 > k.total) return "below";
    key_box(box, KEY_SPOTS[best].ax, KEY_SPOTS[best].ay, k.kw, k.kh);
    return KEY_SPOTS[best].where;
}

/* ---------------------------------------------------------------- labels of horizontal lines */

/* Spots for the label of a horizontal reference line, in order of
 * preference: at the line's right end, its left end or its middle (x across
 * the plot, and the text's alignment there), above the line or below it. */
static const struct { double x; const char *align; int below; } LABEL_SPOTS[] = {
    { 0.98, "right", 0 }, { 0.02, "left", 0 }, { 0.5, "center", 0 },
    { 0.98, "right", 1 }, { 0.02, "left", 1 }, { 0.5, "center", 1 },
};
#define NLABEL_SPOTS ((int)(sizeof LABEL_SPOTS / sizeof LABEL_SPOTS[0]))

typedef struct {
    const KeyFit *ext;   /* the panel and its extent */
    double box[4];   /* the candidate label's box: x0, x1, y0, y1, 0..1 across the plot */
    long count;      /* samples inside it */
} LabelFit;

static int in_unit_box(const double b[4], double ux, double uy) { return ux >= b[0] && ux <= b[1] && uy >= b[2] && uy <= b[3]; }

static void label_visit(double x, double y, void *ctx)
{
    LabelFit *l = ctx;
    if (!drawable(l->ext->q, x, y)) return;
    double u[2];
    to_unit(l->ext, x, y, u);
    l->count += in_unit_box(l->box, u[0], u[1]);
}

/* Characters of an enhanced-text label as printed (UTF-8 sequences count
 * once; the markup characters _ ^ { } not at all). */
static int printed_chars(const char *s)
{
    int n = 0;
    for (; *s; s++) n += (*s & 0xc0) != 0x80 && !strchr("_^{}", *s);
    return n;
}

/* A plot_raw("set key ...") moves the key: its box then, from the words
 * top/bottom and left/right (else the middle), at key_spot's size; none when
 * the key goes outside the plot or away. */
static void raw_key_box(const Panel *q, double box[4], const double size[2])
{
    const char *set = NULL;
    for (int i = 0; i < q->nraw; i++)
        if (strncmp(q->raw[i], "set key", 7) == 0 || strncmp(q->raw[i], "unset key", 9) == 0) set = q->raw[i];
    if (!set) return;
    const double kw = size[0], kh = size[1];
    if (set[0] == 'u' || strstr(set, "below") || strstr(set, "outside") || strstr(set, " off") || !(kw > 0)) {
        box[0] = box[1] = 0;
        return;
    }
    key_box(box, strstr(set, "left") ? 0 : strstr(set, "right") ? 1 : 0.5, strstr(set, "bottom") ? 0 : strstr(set, "top") ? 1 : 0.5, kw, kh);
}

/* Where the label of horizontal line `self` goes: the first spot whose box
 * covers none of the panel's data, other reference lines or key and stays
 * inside the plot; if every spot covers something, the one covering least.
 * The boxes are estimates (the font's average character, the data's extent
 * where gnuplot would round the range out to its tics), as for the key. */
static int label_spot(const Plot *p, const Panel *q, int self, const double keybox[4])
{
    const RefLine *r = &q->refs[self];
    KeyFit ext = panel_extent(q);
    if (!(ext.lo[0] < ext.hi[0]) || !(ext.lo[1] < ext.hi[1]) || (q->logy && !(r->at > 0))) return 0;
    double panel_w = (double)p->width / p->cols, panel_h = (double)(p->height - (p->multi ? 30 : 0)) / p->rows;
    /* in pixels: a character (about 16 high, 7.6 wide), and a margin of about a point's size; a
     * fifth more for a copy drawn smaller (the README's figures), where the text takes more room */
    const double px = 1.25 / fmax(panel_w - 110, 100), py = 1.25 / fmax(panel_h - 100, 100), ch = 16 * py;
    const double w = 7.6 * px * printed_chars(r->label), mx = 6 * px, my = 6 * py;
    const double u = ((q->logy ? log10(r->at) : r->at) - ext.lo[1]) / (ext.hi[1] - ext.lo[1]);
    int best = 0;
    long best_count = LONG_MAX;
    for (int i = 0; i < NLABEL_SPOTS; i++) {
        /* the text: centred 0.6 characters above the line (offset 0,0.6) or 0.7 below */
        const char al = LABEL_SPOTS[i].align[0];
        const double x0 = LABEL_SPOTS[i].x - (al == 'r' ? w : al == 'c' ? w / 2 : 0);
        const double y0 = LABEL_SPOTS[i].below ? u - 1.2 * ch : u + 0.1 * ch;
        LabelFit l = { .ext = &ext, .box = { x0 - mx, x0 + w + mx, y0 - my, y0 + ch + my } };
        sample_panel(q, label_visit, &l);
        for (int j = 0; j < q->nrefs; j++) {   /* other lines, 32 samples along each */
            const RefLine *o = &q->refs[j];
            const int a = o->axis == 'x' ? 0 : 1, log = a == 0 ? q->logx : q->logy;
            if (j == self || (log && !(o->at > 0))) continue;
            const double at = ((log ? log10(o->at) : o->at) - ext.lo[a]) / (ext.hi[a] - ext.lo[a]);
            for (int t = 0; t < 32; t++) l.count += in_unit_box(l.box, a == 0 ? at : (t + 0.5) / 32, a == 0 ? (t + 0.5) / 32 : at);
        }
        /* across the key or the plot's border: worse than any data */
        if (keybox[1] > keybox[0] && l.box[0] < keybox[1] && keybox[0] < l.box[1] && l.box[2] < keybox[3] && keybox[2] < l.box[3])
            l.count += 1000;
        if (y0 < 0 || y0 + ch > 1) l.count += 1000;
        if (l.count < best_count) { best = i; best_count = l.count; }
        if (l.count == 0) break;
    }
    return best;
}

static void put_range(FILE *f, const char *axis, double lo, double hi)
{
    fprintf(f, "set %srange [", axis);
    if (isfinite(lo)) fprintf(f, "%.12g", lo); else fputc('*', f);
    fputc(':', f);
    if (isfinite(hi)) fprintf(f, "%.12g", hi); else fputc('*', f);
    fputs("]\n", f);
}

static void put_title(FILE *f, const char *legend)
{
    if (legend) { fputs(" title ", f); put_text(f, legend); }
    else fputs(" notitle", f);
}

/* Does a plot_next_style string set a property under one of its gnuplot
 * spellings (names, NULL-terminated)? */
static int style_sets(const char *style, const char *const *names)
{
    if (!style) return 0;
    for (const char *t = style; *t;) {
        size_t len = strcspn(t, " \t\n");
        for (int i = 0; names[i]; i++)
            if (len == strlen(names[i]) && strncmp(t, names[i], len) == 0) return 1;
        t += len;
        t += strspn(t, " \t\n");
    }
    return 0;
}

static const char *const LC_WORDS[] = { "lc", "linecolor", "lt", "linetype", NULL };
static const char *const LW_WORDS[] = { "lw", "linewidth", NULL };
static const char *const PT_WORDS[] = { "pt", "pointtype", NULL };
static const char *const PS_WORDS[] = { "ps", "pointsize", NULL };
static const char *const FS_WORDS[] = { "fs", "fillstyle", NULL };

/* Our default text, unless the series' style sets that property itself. */
static void put_default(FILE *f, const Series *s, const char *const *names, const char *text)
{
    if (!style_sets(s->style, names)) fputs(text, f);
}

/* The palette colour lc (" lc N"), unless the style gives a colour: then 0
 * (the colour was not used), else 1. */
static int put_colour(FILE *f, const Series *s, int lc)
{
    if (style_sets(s->style, LC_WORDS)) return 0;
    fprintf(f, " lc %d", lc);
    return 1;
}

static void put_style(FILE *f, const Series *s)
{
    if (s->style) { fputc(' ', f); put_comment(f, s->style); }
}

/* The colour scale of a heatmap or map. */
static void put_palette(FILE *f, PlotPalette pal)
{
    if (pal == PLOT_PALETTE_DIVERGING)
        fprintf(f, "set palette defined (0 '#%06x', 1 '#ffffff', 2 '#%06x')   # class-0 tint, white, class-1 tint\n",
                class_tint(0), class_tint(1));
    else
        fprintf(f, "%s\n", HEATMAP_PALETTE);
}

/* The settings and plot command of panel k; *index is the data index of its
 * first series and advances past its last. */
static void write_panel(FILE *f, const Plot *p, int k, int *index)
{
    const Panel *q = &p->panels[k];
    const Series *heat = NULL;         /* the last heatmap sets the axes */
    const Series *map = NULL;          /* or the last map or class map */
    int entries = 0, longest = 0, has_arrows = 0, has_zmap = 0, has_class_map = 0;
    for (int i = 0; i < q->nseries; i++) {
        const Series *s = &q->series[i];
        if (s->kind == S_HEATMAP) heat = s;
        if (s->kind == S_MAP || s->kind == S_CLASS_MAP) map = s;
        if (s->kind == S_MAP) has_zmap = 1;
        if (s->kind == S_CLASS_MAP) has_class_map = 1;
        if (s->kind == S_ARROWS) has_arrows = 1;
        if (s->legend) {
            int len = (int)strlen(s->legend) + (s->kind == S_CLASSES ? 3 : 0);
            entries += s->kind == S_CLASSES ? s->nclass : 1;
            if (len > longest) longest = len;
        }
    }

    fprintf(f, "\n# ---------------------------------------------------------------- panel %d", k + 1);
    if (q->title) { fputs(": ", f); put_comment(f, q->title); }
    fputc('\n', f);
    if (p->multi) fputs("reset   # nothing leaks from the previous panel (terminal and linetypes stay)\n", f);

    const char *title = p->multi ? q->title : p->title;
    if (title) { fputs("set title ", f); put_text(f, title); fputc('\n', f); }
    if (q->xlabel) { fputs("set xlabel ", f); put_text(f, q->xlabel); fputc('\n', f); }
    if (q->ylabel) { fputs("set ylabel ", f); put_text(f, q->ylabel); fputc('\n', f); }

    if (heat) {
        /* Cell (r, c) is centred on x = c, y = r; the reversed y range puts
         * row 0 at the top, like the grid world's printout. */
        fputs("unset grid\n", f);
        fputs("set size ratio -1   # square cells\n", f);
        fprintf(f, "set xrange [-0.5:%.1f]\n", heat->cols - 0.5);
        fprintf(f, "set yrange [%.1f:-0.5]   # row 0 at the top\n", heat->rows - 0.5);
        fprintf(f, "set xtics 0,%d out nomirror\n", (heat->cols + 14) / 15);
        fprintf(f, "set ytics 0,%d out nomirror\n", (heat->rows + 14) / 15);
        fputs("set mxtics 1\nset mytics 1\n", f);
        put_palette(f, q->palette);
        fputs("set colorbox\n", f);
        if (heat->rows < 3 && !q->has_cbrange) {
            /* a strip's colour box is too short for more than its two ends */
            double lo, hi;
            finite_range(heat, &lo, &hi);
            if (lo < hi)
                fprintf(f, "set cbrange [%.12g:%.12g]\nset cbtics (%.12g, %.12g)\nset format cb '%%.3g'\n",
                        lo, hi, lo, hi);
        }
    } else if (map) {
        /* Data coordinates: the axes span exactly the cells, row 0 at the bottom. */
        fputs("unset grid\n", f);
        if (!q->has_xrange) fprintf(f, "set xrange [%.12g:%.12g]\n", map->x0, map->x1);
        if (!q->has_yrange) fprintf(f, "set yrange [%.12g:%.12g]   # row 0 at the bottom\n", map->y0, map->y1);
        fputs("set tics out nomirror\n", f);
        if (has_zmap) {
            put_palette(f, q->palette);
            fputs("set colorbox\n", f);
            if (q->cblabel) { fputs("set cblabel ", f); put_text(f, q->cblabel); fputc('\n', f); }
        }
    } else {
        fputs("set grid back lc rgb '#dddddd' lw 1\n", f);
    }
    if (q->has_cbrange) fprintf(f, "set cbrange [%.12g:%.12g]\n", q->cbr[0], q->cbr[1]);
    if (q->equal_axes && !heat) fputs("set size ratio -1   # one unit of x as long as one of y\n", f);
    /* Log axes: powers of ten when the data spans two decades or more, else plain numbers. */
    if (q->logx || q->logy) {
        KeyFit ext = panel_extent(q);
        const char *axis[2] = { "x", "y" };
        const int logs[2] = { q->logx, q->logy };
        for (int a = 0; a < 2; a++) {
            if (!logs[a]) continue;
            fprintf(f, "set logscale %s\n", axis[a]);
            fprintf(f, "set format %s '%s'\n", axis[a], ext.hi[a] - ext.lo[a] >= 2 ? "10^{%L}" : "%g");
        }
    }
    if (q->has_xrange) put_range(f, "x", q->xr[0], q->xr[1]);
    if (q->has_yrange) put_range(f, "y", q->yr[0], q->yr[1]);
    double keybox[4] = { 0, 0, 0, 0 }, keysize[2] = { 0, 0 };   /* where the key is, 0..1 across the plot (empty: not inside) */
    if (entries == 0) fputs("unset key\n", f);
    else if (heat || map) fputs("set key below\n", f);
    else fprintf(f, "set key %s opaque box lc rgb '#bbbbbb' samplen 2.5\n", key_spot(p, q, entries, longest, keybox, keysize));
    raw_key_box(q, keybox, keysize);
    for (int i = 0; i < q->nlabels; i++) {
        fputs("set label ", f);
        put_text(f, q->labels[i].text);
        fprintf(f, " at %.12g,%.12g center front\n", q->labels[i].x, q->labels[i].y);
    }
    /* Reference lines span the panel whatever its range (graph 0 to graph 1);
     * gnuplot leaves out one whose position is outside the range. */
    for (int i = 0; i < q->nrefs; i++) {
        const RefLine *r = &q->refs[i];
        int vertical = r->axis == 'x';
        if (vertical ? q->logx && !(r->at > 0) : q->logy && !(r->at > 0)) {
            fprintf(f, "# plot_%cline at %.12g left out: not on the log axis\n", vertical ? 'v' : 'h', r->at);
            continue;
        }
        if (vertical)
            fprintf(f, "set arrow from first %.12g, graph 0 to first %.12g, graph 1 %s\n", r->at, r->at, REFLINE_STYLE);
        else
            fprintf(f, "set arrow from graph 0, first %.12g to graph 1, first %.12g %s\n", r->at, r->at, REFLINE_STYLE);
        if (!r->label) continue;
        fputs("set label ", f);
        put_text(f, r->label);
        if (vertical) fprintf(f, " at first %.12g, graph 0.96 left offset 0.5,0 front\n", r->at);
        else {
            const int at = label_spot(p, q, i, keybox);
            fprintf(f, " at graph %g, first %.12g %s offset 0,%s front\n", LABEL_SPOTS[at].x, r->at, LABEL_SPOTS[at].align,
                    LABEL_SPOTS[at].below ? "-0.7" : "0.6");
        }
    }
    if (has_class_map) {
        fputs("# background tints of the class colours (a quarter of each on white); a negative class: white\n", f);
        fputs("tint(k) = k < 0 ? 0xffffff", f);
        for (int c = 0; c < NPALETTE - 1; c++) fprintf(f, " : int(k) %% %d == %d ? 0x%06x", NPALETTE, c, class_tint(c));
        fprintf(f, " : 0x%06x\n", class_tint(NPALETTE - 1));
    }
    for (int i = 0; i < q->nraw; i++) fprintf(f, "%s\n", q->raw[i]);

    /* Colours: each line, point set or arrow set takes the next palette colour
     * (unless its style gives one); a band takes the colour of the series
     * after it, its mean line. In svg and pdf, images become one rectangle per
     * cell ("pixels"): viewers blur an embedded bitmap when they enlarge it.
     * "with image" needs a grid of at least 2 x 2: a single row or column is
     * drawn as one filled box per cell instead. */
    const char *pixels = p->format == PLOT_SVG || p->format == PLOT_PDF ? " pixels" : "";
    int colour = 0, elements = 0;
    /* the series left out are named before the plot command: a comment inside
     * its continued lines would end it there */
    for (int i = 0; i < q->nseries; i++)
        if (!plottable(q, &q->series[i]))
            fprintf(f, "# index %d (%s) has no drawable point: left out\n", *index + i, kind_name(q->series[i].kind));
    for (int i = 0; i < q->nseries; i++, (*index)++) {
        const Series *s = &q->series[i];
        if (!plottable(q, s)) continue;
        fputs(elements++ ? ", \\\n     " : "plot ", f);
        if (s->kind == S_CLASSES) fprintf(f, "for [k=0:%d] ", s->nclass - 1);   /* one key entry per class */
        fprintf(f, "data index %d ", *index);
        int lc = colour % NPALETTE + 1;
        int strip = s->rows < 2 || s->cols < 2;
        double hx = (s->x1 - s->x0) / (2.0 * (s->cols ? s->cols : 1));   /* maps: half a cell */
        double hy = (s->y1 - s->y0) / (2.0 * (s->rows ? s->rows : 1));
        switch (s->kind) {
        case S_LINE:
            fputs("using 1:2 with lines", f);
            put_default(f, s, LW_WORDS, " lw 2");
            colour += put_colour(f, s, lc);
            put_style(f, s);
            put_title(f, s->legend);
            break;
        case S_POINTS:
            fputs("using 1:2 with points", f);
            put_default(f, s, PT_WORDS, " pt 7");
            put_default(f, s, PS_WORDS, " ps 0.8");
            colour += put_colour(f, s, lc);
            put_style(f, s);
            put_title(f, s->legend);
            break;
        case S_BAND:
            fputs("using 1:2:3 with filledcurves", f);
            put_default(f, s, FS_WORDS, " fs transparent solid 0.25 noborder");
            put_colour(f, s, lc);
            put_style(f, s);
            put_title(f, s->legend);
            break;
        case S_CLASSES:
            fprintf(f, "using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1");
            if (s->legend) { fputs(" title sprintf('%s %d', ", f); put_text(f, s->legend); fputs(", k)", f); }
            else fputs(" notitle", f);
            break;
        case S_HEATMAP:
            if (strip)
                fputs("using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder lc palette notitle", f);
            else
                fprintf(f, "using 1:2:3 with image%s notitle", pixels);
            if (s->value_fmt) {
                double lo, hi;
                finite_range(s, &lo, &hi);
                if (q->has_cbrange) { lo = q->cbr[0]; hi = q->cbr[1]; }
                /* With arrows in the cell centres, the value moves to the top of the cell;
                 * on the light diverging palette every value is black. */
                char text_colour[64] = "0x000000";
                if (q->palette != PLOT_PALETTE_DIVERGING)
                    snprintf(text_colour, sizeof text_colour, "$3 > %.12g ? 0x000000 : 0xffffff",
                             lo + LIGHT_FRACTION * (hi - lo));
                fprintf(f, ", \\\n     data index %d using 1:($2%s):4:(%s) "
                           "with labels tc rgb variable font ',%d' notitle",
                        *index, has_arrows ? " - 0.32" : "", text_colour, has_arrows ? 8 : 10);
            }
            break;
        case S_MAP:
            if (strip)
                fprintf(f, "using 1:2:(%.12g):(%.12g):3 with boxxyerror fs solid 1.0 noborder lc palette notitle",
                        hx, hy);
            else
                fprintf(f, "using 1:2:3 with image%s notitle", pixels);
            break;
        case S_CLASS_MAP:
            if (strip)
                fprintf(f, "using 1:2:(%.12g):(%.12g):(tint($3)) with boxxyerror fs solid 1.0 noborder "
                           "lc rgb variable notitle", hx, hy);
            else
                fprintf(f, "using 1:2:(tint($3) >> 16):((tint($3) >> 8) & 255):(tint($3) & 255) "
                           "with rgbimage%s notitle", pixels);
            break;
        case S_ARROWS:
            if (heat || map) {
                /* black arrows with a white halo: readable on every palette colour */
                fprintf(f, "using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \\\n"
                           "     data index %d using 1:2:3:4 with vectors head filled size screen 0.012,25 "
                           "lw 2.5 lc rgb '#000000'", *index);
            } else {
                fprintf(f, "using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 1.5 lc %d", lc);
                colour++;
            }
            put_title(f, s->legend);
            break;
        }
    }
    if (!elements) {
        /* Nothing to draw (no series, or all NaN): an empty frame, not a gnuplot error. */
        fputs("unset logscale\nplot [0:1] [0:1] NaN notitle", f);
    }
    fputc('\n', f);
}

/* Fonts of the SVG terminal: an SVG names its font for the viewer, which may
 * lack the "Sans" alias of fontconfig; the first it has is used. */
#define SVG_FONTS "DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif"

/* The file terminals, chosen by the script's `format` variable. */
static void put_file_terminals(FILE *f, const Plot *p)
{
    fprintf(f, "if (format eq 'svg') {\n    set terminal svg size %d,%d enhanced dynamic font '" SVG_FONTS ",11'\n",
            p->width, p->height);
    fprintf(f, "} else { if (format eq 'pdf') {\n    set terminal pdfcairo size %.2fin,%.2fin enhanced font 'Sans,11'\n",
            p->width / 100.0, p->height / 100.0);
    fprintf(f, "} else {\n    format = 'png'\n    set terminal pngcairo size %d,%d enhanced font 'Sans,11'\n} }\n",
            p->width, p->height);
}

/* How a script runs: the .gp on disk, or a live run piped to gnuplot. */
typedef struct {
    int live;               /* 1: piped; the first line cds into the output folder */
    const char *format;     /* "png", "svg" or "pdf": the file format the script makes */
    const char *term_line;  /* NULL: the file terminal of `format`; else this line (dumb, a window) */
    const char *output;     /* NULL: NAME.<format>; "": standard output; else this file (a temporary one) */
} ScriptRun;

/* The whole script. The .gp holds the format in one variable at the top,
 * which picks both the terminal and the output file. */
static void write_script(FILE *f, const Plot *p, const ScriptRun *r)
{
    if (r->live) {
        fputs("cd ", f); put_str(f, p->outdir); fputs("   # live run: paths below are relative to it\n", f);
    } else {
        fprintf(f, "# %s.gp — written by common/plot.c; the data is in %s.dat beside it.\n", p->name, p->name);
    }
    fprintf(f, "# Re-render from any folder: gnuplot path/to/%s.gp   (edit freely: it is plain gnuplot)\n", p->name);
    fprintf(f, "format = '%s'   # png, svg or pdf: picks the terminal and the output file %s.<format>\n",
            r->format, p->name);
    fputs("here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere\n", f);
    fputs("do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }\n", f);
    fputs("if (strlen(here) > 0) { cd here }\n", f);
    fputs("data = ", f); put_str2(f, p->name, ".dat"); fputc('\n', f);
    fputc('\n', f);
    if (r->term_line) fprintf(f, "%s\n", r->term_line);
    else put_file_terminals(f, p);
    if (!r->output) { fputs("set output ", f); put_str(f, p->name); fputs(".'.'.format\n", f); }
    else if (!*r->output) fputs("set output   # standard output\n", f);
    else { fputs("set output ", f); put_str(f, r->output); fputc('\n', f); }
    fputs("set encoding utf8\n", f);
    fputs("# Okabe-Ito colours, distinct under colour-vision deficiency (lc 1..8)\n", f);
    for (int i = 0; i < NPALETTE; i++)
        fprintf(f, "set linetype %d lc rgb '%s' lw 2 pt 7 dt solid\n", i + 1, PALETTE[i]);
    fprintf(f, "set linetype cycle %d\n", NPALETTE);
    if (p->multi) {
        fprintf(f, "set multiplot layout %d,%d", p->rows, p->cols);
        if (p->title) { fputs(" title ", f); put_text(f, p->title); fputs(" font ',13'", f); }
        fputc('\n', f);
    }
    int index = 0;
    for (int k = 0; k < p->npanels; k++) write_panel(f, p, k, &index);
    if (p->multi) fputs("unset multiplot\n", f);
    fputs("unset output\n", f);
}

/* ---------------------------------------------------------------- running gnuplot */

/* The gnuplot to run: $PLOT_GNUPLOT if set (tests point it at a missing
 * program or at `false`), else "gnuplot". */
static const char *gnuplot_name(void)
{
    const char *g = getenv("PLOT_GNUPLOT");
    return g && *g ? g : "gnuplot";
}

static int is_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Is the program `name` runnable: a path to an executable, or found along
 * $PATH like the shell would? */
static int find_program(const char *name)
{
    if (strchr(name, '/')) return is_executable(name);
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    size_t nlen = strlen(name);
    while (*path) {
        size_t dlen = strcspn(path, ":");
        char *full = malloc(dlen + nlen + 3);
        if (!full) return 0;
        snprintf(full, dlen + nlen + 3, "%.*s/%s", (int)(dlen ? dlen : 1), dlen ? path : ".", name);
        int ok = is_executable(full);
        free(full);
        if (ok) return 1;
        path += dlen;
        if (*path == ':') path++;
    }
    return 0;
}

/* Whether gnuplot is installed, looked up once per process (again only if
 * $PLOT_GNUPLOT changes). */
static int have_gnuplot(const char *name)
{
    static char checked[256];
    static int found;
    if (strlen(name) < sizeof checked && strcmp(checked, name) == 0) return found;
    found = find_program(name);
    snprintf(checked, sizeof checked, "%s", name);
    return found;
}

/* "'name'" quoted for /bin/sh, with " -persist" for a window. NULL on failure. */
static char *shell_command(const char *name, const char *args)
{
    size_t len = 3 + 4 * strlen(name) + strlen(args) + 1;
    char *cmd = malloc(len), *c = cmd;
    if (!cmd) {
        fprintf(stderr, "plot: out of memory building the gnuplot command\n");
        return NULL;
    }
    *c++ = '\'';
    for (const char *s = name; *s; s++) {
        if (*s == '\'') { memcpy(c, "'\\''", 4); c += 4; }
        else *c++ = *s;
    }
    *c++ = '\'';
    strcpy(c, args);
    return cmd;
}

/* The first interactive terminal this gnuplot knows (qt, wxt, x11), or NULL.
 * "gnuplot -e 'set terminal qt'" fails on a gnuplot built without it
 * (Debian's gnuplot-nox). Looked up once per process. */
static const char *window_terminal(const char *name)
{
    static const char *const terms[] = { "qt", "wxt", "x11" };
    static int checked;
    static const char *found;
    if (checked) return found;
    checked = 1;
    for (int i = 0; i < 3 && !found; i++) {
        char args[96];
        snprintf(args, sizeof args, " -e 'set terminal %s' </dev/null >/dev/null 2>&1", terms[i]);
        char *cmd = shell_command(name, args);
        if (!cmd) return NULL;
        fflush(NULL);
        int st = system(cmd);
        free(cmd);
        if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0) found = terms[i];
    }
    return found;
}

/* Pipe the script to gnuplot; 0 if gnuplot read it all and exited with 0.
 * SIGPIPE is ignored meanwhile (a gnuplot that dies early makes our writes
 * fail with EPIPE instead of killing us), then restored. */
static int run_gnuplot(const Plot *p, const char *name, const ScriptRun *r, int persist, const char *gp_path)
{
    char *cmd = shell_command(name, persist ? " -persist" : "");
    if (!cmd) return -1;
    struct sigaction ignore, previous;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    if (sigaction(SIGPIPE, &ignore, &previous) != 0) {
        fprintf(stderr, "plot: sigaction(SIGPIPE): %s\n", strerror(errno));
        free(cmd);
        return -1;
    }
    fflush(NULL);                     /* our output first, then gnuplot's */
    FILE *g = popen(cmd, "w");
    int rc = 0;
    if (!g) {
        fprintf(stderr, "plot: cannot start %s: %s\n", name, strerror(errno));
        rc = -1;
    } else {
        write_script(g, p, r);
        int write_failed = ferror(g) || fflush(g) != 0;
        int st = pclose(g);
        if (st == -1) {
            fprintf(stderr, "plot: waiting for %s failed: %s\n", name, strerror(errno));
            rc = -1;
        } else if (WIFSIGNALED(st) || (WEXITSTATUS(st) > 128 && WEXITSTATUS(st) <= 128 + 64)) {
            /* the shell of popen reports a killed child as exit status 128 + signal */
            fprintf(stderr, "plot: %s died (signal %d) while drawing %s\n", name,
                    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st) - 128, gp_path);
            rc = -1;
        } else if (WEXITSTATUS(st) != 0 || write_failed) {
            fprintf(stderr, "plot: %s failed on %s (exit status %d%s); its message is above, "
                            "run `gnuplot %s` to see it again\n", name, gp_path, WEXITSTATUS(st),
                    write_failed ? ", it stopped reading the script" : "", gp_path);
            rc = -1;
        }
    }
    sigaction(SIGPIPE, &previous, NULL);
    free(cmd);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The file format the .gp renders: the live one for png/svg/pdf, else png. */
static const char *file_format(PlotFormat f)
{
    return f == PLOT_SVG ? "svg" : f == PLOT_PDF ? "pdf" : "png";
}

/* Remove the images NAME.png/.svg/.pdf of an earlier run; their names, ", "
 * separated, go to list. 0, or -1 if one could not be removed. */
static int remove_old_images(const Plot *p, char *list, size_t len)
{
    static const char *const exts[] = { "png", "svg", "pdf" };
    int rc = 0;
    list[0] = '\0';
    for (int i = 0; i < 3; i++) {
        char *img = path_of(p, exts[i]);
        if (!img) return -1;
        struct stat st;
        if (stat(img, &st) == 0) {
            if (remove(img) != 0) {
                fprintf(stderr, "plot: cannot remove %s, an image of an earlier run: %s\n", img, strerror(errno));
                rc = -1;
            } else {
                size_t used = strlen(list);
                snprintf(list + used, len - used, "%s%s.%s", used ? ", " : "", p->name, exts[i]);
            }
        }
        free(img);
    }
    return rc;
}

/* Write the temporary file a to the end and check it; -1 after a message. */
static int flushed(AFile *a)
{
    if (fflush(a->f) == 0 && !ferror(a->f)) return 0;
    fprintf(stderr, "plot: error writing %s: %s (disk full?)\n", a->path, strerror(errno));
    return -1;
}

/* ---------------------------------------------------------------- plot_end
 *
 * What a folder holds after plot_end, whatever happens (a failure, a full
 * disk, Ctrl-C): NAME.gp and NAME.dat of one run, and at most one image,
 * NAME.<format>, drawn by that .gp from that .dat. The steps:
 *   1. write the .dat and .gp to temporary files (afile.h) and check them;
 *   2. remove the images of an earlier run of this figure (every format);
 *   3. rename the .dat and .gp into place;
 *   4. gnuplot draws into a temporary image, which is renamed into place only
 *      when complete (a PNG ends with IEND, a PDF with %%EOF, an SVG with
 *      </svg>: gnuplot exits 0 even when the disk filled).
 * A format that draws no file (none, dumb, window), a missing gnuplot or a
 * failing one leaves the .gp and .dat without an image: `gnuplot NAME.gp`
 * draws it. If the .gp or .dat cannot be written, the folder is unchanged. */

static int finish(Plot *p)
{
    if (p->failed) {
        fprintf(stderr, "plot: figure '%s' not written (see the error above)\n", p->name);
        return -1;
    }
    char why[512];
    if (make_dirs(p->outdir, why, sizeof why) != 0) {
        fprintf(stderr, "plot: %s\n", why);
        return -1;
    }

    const char *fmt = file_format(p->format);
    char *gp = path_of(p, "gp"), *dat = path_of(p, "dat"), *img = path_of(p, fmt);
    AFile adat = { 0 }, agp = { 0 }, aimg = { 0 };
    char removed[64];
    int rc = -1;
    if (!gp || !dat || !img) goto done;

    /* 1. */
    FILE *f = afile_open(&adat, dat, why, sizeof why);
    if (!f) { fprintf(stderr, "plot: %s\n", why); goto done; }
    write_data(f, p);
    if (flushed(&adat) != 0) goto done;
    f = afile_open(&agp, gp, why, sizeof why);
    if (!f) { fprintf(stderr, "plot: %s\n", why); goto done; }
    const ScriptRun on_disk = { 0, fmt, NULL, NULL };
    write_script(f, p, &on_disk);
    if (flushed(&agp) != 0) goto done;
    /* 2., 3. */
    if (remove_old_images(p, removed, sizeof removed) != 0) goto done;
    if (afile_commit(&adat, AFILE_ANY, why, sizeof why) != 0 || afile_commit(&agp, AFILE_ANY, why, sizeof why) != 0) {
        fprintf(stderr, "plot: %s\n", why);
        goto done;
    }

    /* 4. */
    const char *name = gnuplot_name();
    PlotFormat live = p->format;
    if (live == PLOT_NONE) {
        if (!p->quiet) printf("wrote %s and %s.dat%s%s%s\n", gp, p->name, *removed ? " (removed " : "", removed,
                              *removed ? ", drawn by an earlier run)" : "");
        rc = 0;
        goto done;
    }
    if (!have_gnuplot(name)) {
        static int warned;
        if (!warned)
            fprintf(stderr, "plot: gnuplot not found: wrote %s and %s.dat; install gnuplot-nox (see README) "
                            "and run gnuplot %s to draw it\n", gp, p->name, gp);
        else if (!p->quiet)
            printf("wrote %s and %s.dat (not drawn: no gnuplot)\n", gp, p->name);
        warned = 1;
        rc = 0;
        goto done;
    }

    const char *wterm = NULL;
    if (live == PLOT_WINDOW && !(wterm = window_terminal(name))) {
        static int told;
        if (!told)
            fprintf(stderr, "plot: this gnuplot has no window terminal (qt, wxt or x11; Debian's gnuplot-nox "
                            "has none): drawing files instead, e.g. %s\n", img);
        told = 1;
        live = PLOT_PNG;
    } else if (live == PLOT_WINDOW && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        static int told;
        if (!told)
            fprintf(stderr, "plot: --plot window needs a display ($DISPLAY is not set): drawing files instead, e.g. %s\n", img);
        told = 1;
        live = PLOT_PNG;
    }

    if (live == PLOT_DUMB || live == PLOT_WINDOW) {
        char wline[64];
        snprintf(wline, sizeof wline, "set terminal %s enhanced font 'Sans,11'", wterm ? wterm : "");
        const ScriptRun screen = { 1, fmt, live == PLOT_DUMB ? "set terminal dumb size 100,30 enhanced" : wline, "" };
        rc = run_gnuplot(p, name, &screen, live == PLOT_WINDOW, gp);
        if (rc == 0 && !p->quiet) printf("wrote %s and %s.dat%s%s%s\n", gp, p->name, *removed ? " (removed " : "",
                                         removed, *removed ? ", drawn by an earlier run)" : "");
    } else {
        /* the live run draws exactly what the .gp draws, into a temporary file */
        if (afile_reserve(&aimg, img, why, sizeof why) != 0) {
            fprintf(stderr, "plot: %s\n", why);
            goto done;
        }
        const ScriptRun to_file = { 1, fmt, NULL, base_name(aimg.tmp) };
        if (run_gnuplot(p, name, &to_file, 0, gp) != 0) goto done;
        if (afile_commit(&aimg, afile_kind_of(img), why, sizeof why) != 0) {
            fprintf(stderr, "plot: gnuplot ran %s, but %s\n", gp, why);
            goto done;
        }
        rc = 0;
        if (!p->quiet) printf("wrote %s\n", img);
    }

done:
    afile_abort(&adat);    /* each does nothing if committed */
    afile_abort(&agp);
    afile_abort(&aimg);
    free(gp); free(dat); free(img);
    return rc;
}

int plot_end(Plot *p)
{
    if (!p) return -1;
    int rc = finish(p);
    plot_free(p);
    return rc;
}
