# logreg_gd_vs_newton.gp — written by common/plot.c; the data is in logreg_gd_vs_newton.dat beside it.
# Re-render from any folder: gnuplot path/to/logreg_gd_vs_newton.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file logreg_gd_vs_newton.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'logreg_gd_vs_newton.dat'

if (format eq 'svg') {
    set terminal svg size 1200,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 12.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1200,520 enhanced font 'Sans,11'
} }
set output 'logreg_gd_vs_newton'.'.'.format
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
set multiplot layout 1,2 title 'Logistic regression: gradient descent vs Newton''s method' font ',13'

# ---------------------------------------------------------------- panel 1: loss gap, all iterations (log-log)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'loss gap, all iterations (log-log)'
set xlabel 'iteration t + 1'
set ylabel 'J(w_t) − J*'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set xrange [1:280]
set key bottom left opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'gradient descent (step 1/L)', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'Newton'

# ---------------------------------------------------------------- panel 2: gradient norm, first 30 iterations
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'gradient norm, first 30 iterations'
set xlabel 'iteration t'
set ylabel '‖∇J(w_t)‖'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set xrange [0:29]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 2 using 1:2 with lines lw 2 lc 1 title 'gradient descent (step 1/L)', \
     data index 3 using 1:2 with lines lw 2 lc 2 title 'Newton'
unset multiplot
unset output
