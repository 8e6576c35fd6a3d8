# variance_vs_steps.gp — written by common/plot.c; the data is in variance_vs_steps.dat beside it.
# Re-render from any folder: gnuplot path/to/variance_vs_steps.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file variance_vs_steps.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'variance_vs_steps.dat'

if (format eq 'svg') {
    set terminal svg size 1700,540 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 17.00in,5.40in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1400,440 enhanced font 'Sans,11'
} }
set output 'variance_vs_steps'.'.'.format
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
set multiplot layout 1,3 title 'Reverse variance β_t vs β̃_t on respaced chains' font ',13'

# ---------------------------------------------------------------- panel 1: the metric against the number of steps
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'the metric against the number of steps'
set xlabel 'sampling steps S'
set ylabel 'energy distance to held-out data'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 title 'floor ± 2 sd (data vs data)', \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'σ² = β_t', \
     data index 2 using 1:2 with lines lw 2 lc 2 title 'σ² = β̃_t'

# ---------------------------------------------------------------- panel 2: S = 10 steps, σ² = β_t: 0.0223
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'S = 10 steps, σ² = β_t: 0.0223'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 3 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 3: S = 10 steps, σ² = β̃_t: 0.0384
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'S = 10 steps, σ² = β̃_t: 0.0384'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 4 using 1:2 with points pt 7 ps 0.25 lc 2 notitle
unset multiplot
unset output
