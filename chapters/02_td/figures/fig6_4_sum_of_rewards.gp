# fig6_4_sum_of_rewards.gp — written by common/plot.c; the data is in fig6_4_sum_of_rewards.dat beside it.
# Re-render from any folder: gnuplot path/to/fig6_4_sum_of_rewards.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file fig6_4_sum_of_rewards.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'fig6_4_sum_of_rewards.dat'

if (format eq 'svg') {
    set terminal svg size 800,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 8.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 800,600 enhanced font 'Sans,11'
} }
set output 'fig6_4_sum_of_rewards'.'.'.format
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
set title 'Cliff walking (S\&B Example 6.6, Fig. 6.4): mean over 200 runs, 10-episode moving average'
set xlabel 'episode'
set ylabel 'sum of rewards during episode'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:500]
set yrange [-100:0]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'SARSA', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'Q-learning', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'Expected SARSA'
unset output
