# eval_returns.gp — written by common/plot.c; the data is in eval_returns.dat beside it.
# Re-render from any folder: gnuplot path/to/eval_returns.gp   (edit freely: it is plain gnuplot)
format = 'svg'   # png, svg or pdf: picks the terminal and the output file eval_returns.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'eval_returns.dat'

if (format eq 'svg') {
    set terminal svg size 1000,800 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 10.00in,8.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1000,800 enhanced font 'Sans,11'
} }
set output 'eval_returns'.'.'.format
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
set multiplot layout 2,1 title 'CartPole-v1: greedy evaluation blocks (mean return of 100 episodes), every seed' font ',13'

# ---------------------------------------------------------------- panel 1: DQN
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'DQN'
set xlabel 'environment steps (training)'
set ylabel 'mean return, greedy policy (dashed: 475)'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:200000]
set yrange [0:520]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 475 to graph 1, first 475 nohead front dt 2 lw 1.5 lc rgb '#555555'
set key outside right top vertical Left reverse
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'seed 1: first >= 475 at 60000', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'seed 2: first >= 475 at 92500', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'seed 3: first >= 475 at 67500', \
     data index 3 using 1:2 with lines lw 2 lc 4 title 'seed 4: first >= 475 at 80000', \
     data index 4 using 1:2 with lines lw 2 lc 5 title 'seed 5: first >= 475 at 77500'

# ---------------------------------------------------------------- panel 2: Double DQN
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'Double DQN'
set xlabel 'environment steps (training)'
set ylabel 'mean return, greedy policy (dashed: 475)'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:200000]
set yrange [0:520]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 475 to graph 1, first 475 nohead front dt 2 lw 1.5 lc rgb '#555555'
set key outside right top vertical Left reverse
plot data index 5 using 1:2 with lines lw 2 lc 1 title 'seed 1: first >= 475 at 67500', \
     data index 6 using 1:2 with lines lw 2 lc 2 title 'seed 2: first >= 475 at 62500', \
     data index 7 using 1:2 with lines lw 2 lc 3 title 'seed 3: first >= 475 at 80000', \
     data index 8 using 1:2 with lines lw 2 lc 4 title 'seed 4: first >= 475 at 57500', \
     data index 9 using 1:2 with lines lw 2 lc 5 title 'seed 5: first >= 475 at 62500'
unset multiplot
unset output
