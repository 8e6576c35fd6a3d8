# table1_moons.gp — written by common/plot.c; the data is in table1_moons.dat beside it.
# Re-render from any folder: gnuplot path/to/table1_moons.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file table1_moons.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'table1_moons.dat'

if (format eq 'svg') {
    set terminal svg size 1400,560 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 14.00in,5.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1400,560 enhanced font 'Sans,11'
} }
set output 'table1_moons'.'.'.format
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
set multiplot layout 1,2 title 'DDIM Table 1 in miniature, moons: 1500 samples per cell, models trained with T = 1000' font ',13'

# ---------------------------------------------------------------- panel 1: energy distance (ceiling, x_T: 0.0443)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'energy distance (ceiling, x_T: 0.0443)'
set xlabel 'sampling steps S'
set ylabel 'energy distance'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set xrange [4:1250]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 0.0442942290598 to graph 1, first 0.0442942290598 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'ceiling (x_T) 0.0443' at graph 0.98, first 0.0442942290598 right offset 0,0.6 front
plot data index 0 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 title 'data vs data, ± 2 sd', \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'η = 0', \
     data index 2 using 1:2 with lines lw 2 lc 2 title 'η = 0.2', \
     data index 3 using 1:2 with lines lw 2 lc 3 title 'η = 0.5', \
     data index 4 using 1:2 with lines lw 2 lc 4 title 'η = 1', \
     data index 5 using 1:2 with lines lw 2 lc 5 dt 2 title 'σ̂: DDPM on β′'

# ---------------------------------------------------------------- panel 2: recall (solid) and precision (dashed), k = 3
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'recall (solid) and precision (dashed), k = 3'
set xlabel 'sampling steps S'
set ylabel 'share'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set xrange [4:1250]
set yrange [0:1.05]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 0.959166666667 to graph 1, first 0.959166666667 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'recall of data vs data 0.959' at graph 0.02, first 0.959166666667 left offset 0,0.6 front
plot data index 6 using 1:2 with lines lc 1 lw 2 title 'recall, η = 0', \
     data index 7 using 1:2 with lines lc 4 lw 2 title 'recall, η = 1', \
     data index 8 using 1:2 with lines lc 5 lw 2 title 'recall, σ̂', \
     data index 9 using 1:2 with lines lw 2 lc 1 dt 2 title 'precision, η = 0', \
     data index 10 using 1:2 with lines lw 2 lc 4 dt 2 title 'precision, η = 1', \
     data index 11 using 1:2 with lines lw 2 lc 5 dt 2 title 'precision, σ̂'
unset multiplot
unset output
