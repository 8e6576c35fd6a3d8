# eps_vs_x0.gp — written by common/plot.c; the data is in eps_vs_x0.dat beside it.
# Re-render from any folder: gnuplot path/to/eps_vs_x0.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file eps_vs_x0.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'eps_vs_x0.dat'

if (format eq 'svg') {
    set terminal svg size 1100,540 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 11.00in,5.40in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 900,440 enhanced font 'Sans,11'
} }
set output 'eps_vs_x0'.'.'.format
set encoding utf8
# Okabe-Ito colours, distinct under colour-vision deficiency (lc 1..8)
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 dt solid
set linetype 2 lc rgb '#D55E00' lw 2 pt 7 dt solid
set linetype 3 lc rgb '#009E73' lw 2 pt 7 dt solid
set linetype 4 lc rgb '#E69F00' lw 2 pt 7 dt solid
set linetype 5 lc rgb '#CC79A7' lw 2 pt 7 dt solid
set linetype 6 lc rgb '#56B4E9' lw 2 pt 7 dt solid
set linetype 7 lc rgb '#000000' lw 2 pt 7 dt solid
set linetype 8 lc rgb '#F0E442' lw 2 pt 7 dt solid
set linetype cycle 8
set multiplot layout 1,2 title 'ε- vs x_0-prediction at equal training budget (σ² = β̃_t)' font ',13'

# ---------------------------------------------------------------- panel 1: ε-prediction: 0.0007
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'ε-prediction: 0.0007'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 0 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 2: x_0-prediction: 0.0174
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_0-prediction: 0.0174'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 1 using 1:2 with points pt 7 ps 0.25 lc 2 notitle
unset multiplot
unset output
