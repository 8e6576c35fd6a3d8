# learning_curves.gp — written by common/plot.c; the data is in learning_curves.dat beside it.
# Re-render from any folder: gnuplot path/to/learning_curves.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file learning_curves.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'learning_curves.dat'

if (format eq 'svg') {
    set terminal svg size 800,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 8.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 800,600 enhanced font 'Sans,11'
} }
set output 'learning_curves'.'.'.format
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

# ---------------------------------------------------------------- panel 1
set title 'CartPole-v1: REINFORCE with and without a baseline, mean over 10 seeds, min–max band'
set xlabel 'environment steps'
set ylabel 'return (mean of the last 100 episodes)'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:500000]
set yrange [0:520]
set key center bottom opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 475 to graph 1, first 475 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'solved (475)' at graph 0.02, first 475 left offset 0,-0.7 front
set rmargin 5
plot data index 0 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'no baseline (solved 10/10)', \
     data index 2 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 3 using 1:2 with lines lw 2 lc 2 title 'average baseline (solved 10/10)', \
     data index 4 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 3 notitle, \
     data index 5 using 1:2 with lines lw 2 lc 3 title 'learned V(s) baseline, normalised (main) (solved 10/10)'
unset output
