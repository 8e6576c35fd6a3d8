/* plot — figures through gnuplot.
 *
 * A figure is built in memory (settings and data series), then plot_end()
 * writes two files beside the output, NAME.gp (the gnuplot script) and NAME.dat
 * (the data, one gnuplot index block per series), and pipes the script to
 * gnuplot (popen). Anyone can re-render a figure later with `gnuplot NAME.gp`
 * from any directory: the script cd's to its own folder first.
 *
 *     Plot *p = plot_begin(&opts, "values", "Optimal state values");
 *     plot_labels(p, "sweep", "max |V_{k+1} - V_k|");
 *     plot_log(p, "y");
 *     plot_line(p, NULL, resid, n, "value iteration");
 *     plot_end(p);                       // values.png, values.gp, values.dat
 *
 * Output format (PlotOpts.format, from --plot): PLOT_PNG (default, pngcairo),
 * PLOT_SVG, PLOT_PDF (pdfcairo), PLOT_DUMB (drawn in the terminal; no image
 * file), PLOT_WINDOW (an interactive window, if this gnuplot has one), PLOT_NONE
 * (only the .gp and .dat files). The .gp script always names a file terminal
 * (png for dumb/window/none), so re-rendering gives a file.
 *
 * Multiplot: plot_begin_multi(..., rows, cols) makes a grid of panels; call
 * plot_panel(p, title) before each panel's settings and series (the first
 * panel included). Settings (labels, ranges, log axes, raw commands) apply to
 * the current panel.
 *
 * Errors: if gnuplot is not installed, the first figure prints one warning
 * (later ones stay quiet), the .gp and .dat are still written, and plot_end
 * returns 0: a chapter still succeeds. If gnuplot fails or dies mid-plot
 * (SIGPIPE is ignored while writing), plot_end prints an error naming the
 * script and returns -1. A file that cannot be written is an error (-1).
 * The environment variable PLOT_GNUPLOT names the gnuplot program to run
 * (default "gnuplot", looked up in PATH); tests set it to a missing program
 * or to `false`.
 * Titles, labels and legends are gnuplot enhanced text: "V_k", "{/Symbol g}"
 * work; a literal underscore needs "\\_". &, @ and ~ print as themselves
 * ("S&B"). Prefer UTF-8 ("π") to {/Symbol p}: svg viewers may lack Symbol.
 *
 * Layout: the key goes where it hides the least data (below the plot in a
 * heatmap or map panel); plot_raw("set key ...") overrides it. A multiplot
 * defaults to about 450 x 420 px per panel. In a heatmap panel that also has
 * arrows, the printed values move to the top of each cell, clear of the arrows.
 *
 * Two kinds of grid, two coordinate systems:
 *   plot_heatmap  a table (a grid world, a confusion matrix): cell (r, c) at
 *                 x = c, y = r, row 0 at the TOP, axes count cells.
 *   plot_map      a field over the plane (a probability, a density, a value
 *   plot_class_map  function): cells tile [x0, x1] x [y0, y1], row 0 at the
 *                 BOTTOM (y = y0), axes show data values, so points, lines
 *                 and arrows of the same panel are drawn in data coordinates:
 *
 *     double z[NY * NX];                 // (ny, nx), z[j * NX + i] at cell (i, j)
 *     for (int j = 0; j < NY; j++)       // cell centre x0 + (i + 1/2)(x1 - x0)/nx,
 *         for (int i = 0; i < NX; i++)   //             y0 + (j + 1/2)(y1 - y0)/ny
 *             z[j * NX + i] = model(x0 + (i + 0.5) * (x1 - x0) / NX, y0 + (j + 0.5) * (y1 - y0) / NY);
 *     plot_equal_axes(p);                // the plane keeps its shape
 *     plot_palette(p, PLOT_PALETTE_DIVERGING);
 *     plot_cbrange(p, 0, 1);
 *     plot_map(p, z, NX, NY, x0, x1, y0, y1, "P(y = 1 | x)");
 *     plot_classes(p, px, py, cls, n, "class");   // on top, same coordinates
 *
 * Add a map first: series are drawn in the order added.
 */
#ifndef PLOT_H
#define PLOT_H
#include <stddef.h>

typedef enum { PLOT_PNG, PLOT_SVG, PLOT_PDF, PLOT_DUMB, PLOT_WINDOW, PLOT_NONE } PlotFormat;

typedef struct {
    PlotFormat format;   /* output terminal */
    const char *outdir;  /* folder for NAME.{png,svg,pdf,gp,dat}; created if missing */
    int quiet;           /* 1: do not print "wrote ..." lines */
} PlotOpts;

typedef struct Plot Plot;  /* one figure under construction (opaque) */

/* Colour scales of heatmaps and maps. */
typedef enum {
    PLOT_PALETTE_VIRIDIS,    /* default: dark (low) to yellow (high), perceptually uniform */
    PLOT_PALETTE_DIVERGING,  /* class-0 tint, white in the middle, class-1 tint (light blue to
                                light orange): P(class 1 | x) under plot_classes points, or a
                                signed quantity with 0 in the middle of the colour range */
} PlotPalette;

/* Create the folder dir (like mkdir -p) and check a file can be written in
 * it: 0, or -1 with the reason in err. cli_parse calls it on --out before a
 * chapter starts computing, so a bad folder is reported once, at once. */
int plot_check_outdir(const char *dir, char *err, size_t err_len);

/* Parse "png|svg|pdf|dumb|window|none"; returns 0 and sets *f, or -1. */
int plot_format_parse(const char *s, PlotFormat *f);
const char *plot_format_name(PlotFormat f);   /* "png", ... */

/* Start a figure NAME (file stem, no extension) with a title; NULL on
 * allocation failure. width/height default to 800x600 px (png) or the same
 * proportions for svg/pdf; plot_size() changes them. */
Plot *plot_begin(const PlotOpts *o, const char *name, const char *title);
Plot *plot_begin_multi(const PlotOpts *o, const char *name, const char *title, int rows, int cols);
void  plot_size(Plot *p, int width_px, int height_px);
void  plot_panel(Plot *p, const char *title);            /* next panel of a multiplot */

/* Settings of the current panel. */
void plot_labels(Plot *p, const char *xlabel, const char *ylabel);
void plot_log(Plot *p, const char *axes);                 /* "x", "y" or "xy" */
void plot_xrange(Plot *p, double lo, double hi);
void plot_yrange(Plot *p, double lo, double hi);
void plot_raw(Plot *p, const char *gnuplot_command);      /* any "set ..." line, verbatim */
void plot_equal_axes(Plot *p);                            /* one unit of x as long as one of y */
void plot_cbrange(Plot *p, double lo, double hi);         /* fixed colour range (default: the data's) */
void plot_palette(Plot *p, PlotPalette palette);          /* colour scale of a heatmap or map */
/* Dashed grey reference lines across the whole panel at x (vertical) or y
 * (horizontal), in front of the data; label (may be NULL) is written beside
 * the line, at its top or its right end. Outside the axis range: not drawn. */
void plot_vline(Plot *p, double x, const char *label);
void plot_hline(Plot *p, double y, const char *label);

/* Series of the current panel. x may be NULL (then x = 0, 1, ..., n-1).
 * legend may be NULL (no key entry). Each line, point set and arrow set takes
 * the next colour of the palette (Okabe-Ito), unless plot_next_style gives it one. */
void plot_line(Plot *p, const double *x, const double *y, int n, const char *legend);
void plot_points(Plot *p, const double *x, const double *y, int n, const char *legend);
/* A filled band between lo and hi (e.g. min–max or ±1 std over seeds); draw it
 * before the mean line so the line sits on top. */
void plot_band(Plot *p, const double *x, const double *lo, const double *hi, int n, const char *legend);
/* Points coloured by an integer class (0..k-1), for decision-boundary figures. */
void plot_classes(Plot *p, const double *x, const double *y, const int *cls, int n, const char *legend);
/* gnuplot plot options for the next plot_line, plot_points or plot_band of this
 * panel, e.g. "lc rgb '#000000'" (a black reference curve) or "lw 1 dt 2". The
 * properties it names (lc, lw, dt, pt, ps, fs) replace the defaults; a series
 * given its own lc takes no palette colour. */
void plot_next_style(Plot *p, const char *gnuplot_style);
/* A field in DATA coordinates: z is (ny, nx) row-major, z[j * nx + i] fills
 * cell (i, j) of an nx x ny grid that tiles [x0, x1] x [y0, y1] (x0 < x1,
 * y0 < y1), row j = 0 at the BOTTOM (y = y0). The axes span exactly the grid;
 * a colour box on the right, labelled cblabel (may be NULL). NaN cells are
 * left blank. Linear axes only. */
void plot_map(Plot *p, const double *z, int nx, int ny, double x0, double x1, double y0, double y1,
              const char *cblabel);
/* A class map on the same grid as plot_map: cell (i, j) of class cls[j * nx + i]
 * is a light tint (a quarter of the colour on white) of the colour plot_classes
 * gives that class, so points sit on their own class's tint; a negative class
 * leaves the cell white. No colour box. */
void plot_class_map(Plot *p, const int *cls, int nx, int ny, double x0, double x1, double y0, double y1);
/* Heatmap of z (rows x cols, row-major, row 0 drawn at the TOP like a grid
 * world). value_fmt, e.g. "%.1f", prints each value in its cell; NULL prints
 * none. Axes run over column index (x) and row index (y). */
void plot_heatmap(Plot *p, const double *z, int rows, int cols, const char *value_fmt);
/* Arrows from (x, y) to (x+dx, y+dy); in the same coordinates as a heatmap
 * drawn in the same panel (cell centres are at integer x = col, y = row), or
 * as a map (data coordinates). Over either they are black with a white halo. */
void plot_arrows(Plot *p, const double *x, const double *y, const double *dx, const double *dy,
                 int n, const char *legend);
/* A text label centred at (x, y) in data coordinates, drawn in front of the data. */
void plot_label(Plot *p, double x, double y, const char *text);

/* Write NAME.gp and NAME.dat, run gnuplot, free p. 0 on success (also when
 * gnuplot is missing), -1 on error. Accepts NULL (returns -1). */
int plot_end(Plot *p);

#endif
