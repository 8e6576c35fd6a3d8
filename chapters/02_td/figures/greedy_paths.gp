# greedy_paths.gp — written by common/plot.c; the data is in greedy_paths.dat beside it.
# Re-render from any folder: gnuplot path/to/greedy_paths.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file greedy_paths.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'greedy_paths.dat'

if (format eq 'svg') {
    set terminal svg size 1000,460 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 10.00in,4.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1000,460 enhanced font 'Sans,11'
} }
set output 'greedy_paths'.'.'.format
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
set title 'Cliff walking: greedy paths after 500 episodes (per method, a run with the most common path)'
set xlabel 'column'
set ylabel 'row'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:11.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set key below
set label 'S' at 0,3.3 center front
set label 'G' at 11,3.3 center front
set label 'the cliff (-100, back to S)' at 5.5,3 center front
set palette defined (0 '#ffffff', 1 '#b8e186', 2 '#8c8c8c')   # free, start/goal, cliff
set cbrange [0:2]
unset colorbox
set x2range [-0.5:11.5]
set y2range [3.5:-0.5]
set x2tics -0.5,1,11.5 format '' scale 0
set y2tics -0.5,1,3.5 format '' scale 0
set grid x2tics y2tics front lt 1 dt solid lc rgb '#c8c8c8' lw 1
plot data index 0 using 1:2:3 with image notitle, \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'SARSA, run 1: 17 steps (165 of 200 runs)', \
     data index 2 using 1:2 with lines lw 2 lc 2 title 'Q-learning, run 0: 13 steps (200 of 200 runs)', \
     data index 3 using 1:2 with lines lw 2 lc 3 title 'Expected SARSA, run 0: 15 steps (200 of 200 runs)'
unset output
