# gradient_variance.gp — written by common/plot.c; the data is in gradient_variance.dat beside it.
# Re-render from any folder: gnuplot path/to/gradient_variance.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file gradient_variance.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'gradient_variance.dat'

if (format eq 'svg') {
    set terminal svg size 1400,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 14.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1400,600 enhanced font 'Sans,11'
} }
set output 'gradient_variance'.'.'.format
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
set multiplot layout 1,2 title 'Variance of the REINFORCE gradient estimate at frozen parameters, along a run of the main method (seed 1; 40 estimates of 5 episodes each)' font ',13'

# ---------------------------------------------------------------- panel 1: Monte Carlo returns (cut at the 500-step limit)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'Monte Carlo returns (cut at the 500-step limit)'
set xlabel 'environment steps of training'
set ylabel 'total variance tr Cov(ĝ)  (log scale)'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set xrange [-10039.76:501988]
set yrange [1e-05:100000000]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set label 'average baseline: exactly 0 (not drawn) once' at 311232.56,9.17154463368 center front
set label 'every episode is cut at 500 steps:' at 311232.56,2.29288615842 center front
set label 'then G_t depends on t only' at 311232.56,0.573221539605 center front
set key inside bottom left
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'no baseline', \
     data index 1 using 1:2 with points pt 7 ps 0.8 lc 1 notitle, \
     data index 2 using 1:2 with lines lw 2 lc 2 title 'average baseline (other episodes, same time step)', \
     data index 3 using 1:2 with points pt 7 ps 0.8 lc 2 notitle, \
     data index 4 using 1:2 with lines lw 2 lc 3 title 'learned V(s) baseline', \
     data index 5 using 1:2 with points pt 7 ps 0.8 lc 3 notitle, \
     data index 6 using 1:2 with lines lw 2 lc rgb '#000000' dt 2 title '‖E ĝ‖², the squared gradient itself (where above its noise)', \
     data index 7 using 1:2 with points pt 7 ps 0.8 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 2: returns bootstrapped with V at the 500-step limit (as the main method trains)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'returns bootstrapped with V at the 500-step limit (as the main method trains)'
set xlabel 'environment steps of training'
set ylabel 'total variance tr Cov(ĝ)  (log scale)'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set xrange [-10039.76:501988]
set yrange [1e-05:100000000]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside bottom left
plot data index 8 using 1:2 with lines lw 2 lc 1 title 'no baseline', \
     data index 9 using 1:2 with points pt 7 ps 0.8 lc 1 notitle, \
     data index 10 using 1:2 with lines lw 2 lc 2 title 'average baseline (other episodes, same time step)', \
     data index 11 using 1:2 with points pt 7 ps 0.8 lc 2 notitle, \
     data index 12 using 1:2 with lines lw 2 lc 3 title 'learned V(s) baseline', \
     data index 13 using 1:2 with points pt 7 ps 0.8 lc 3 notitle, \
     data index 14 using 1:2 with lines lw 2 lc rgb '#000000' dt 2 title '‖E ĝ‖², the squared gradient itself (where above its noise)', \
     data index 15 using 1:2 with points pt 7 ps 0.8 lc rgb '#000000' notitle
unset multiplot
unset output
