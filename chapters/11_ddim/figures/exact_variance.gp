# exact_variance.gp — written by common/plot.c; the data is in exact_variance.dat beside it.
# Re-render from any folder: gnuplot path/to/exact_variance.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file exact_variance.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'exact_variance.dat'

if (format eq 'svg') {
    set terminal svg size 900,560 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 9.00in,5.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 900,560 enhanced font 'Sans,11'
} }
set output 'exact_variance'.'.'.format
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
set title 'The exact-score chain: output variance for data N(1.5, 0.25)'
set xlabel 'sampling steps S'
set ylabel 'variance of the samples'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set xrange [4:1250]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 0.25 to graph 1, first 0.25 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'the data: s² = 0.25' at graph 0.5, first 0.25 center offset 0,-0.7 front
set key bottom right
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'DDIM η = 0', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'DDIM η = 0.2', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'DDIM η = 0.5', \
     data index 3 using 1:2 with lines lw 2 lc 4 title 'DDIM η = 1', \
     data index 4 using 1:2 with lines lw 2 lc 5 dt 2 title 'σ̂: DDPM on β′'
unset output
