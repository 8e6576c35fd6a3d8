# exact_guidance.gp — written by common/plot.c; the data is in exact_guidance.dat beside it.
# Re-render from any folder: gnuplot path/to/exact_guidance.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file exact_guidance.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'exact_guidance.dat'

if (format eq 'svg') {
    set terminal svg size 800,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 8.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 800,560 enhanced font 'Sans,11'
} }
set output 'exact_guidance'.'.'.format
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
set title 'Two Gaussian classes, exact scores: samples of class 1 by guidance weight g'
set xlabel 'x_0'
set ylabel 'density'
set grid back lc rgb '#dddddd' lw 1
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lc rgb '#999999' lw 2 dt 2 title 'class 0: N(−0.5, 0.25)', \
     data index 1 using 1:2 with lines lc rgb '#000000' lw 2 dt 2 title 'class 1: N(0.5, 0.25)', \
     data index 2 using 1:2 with lines lw 2 lc 1 title 'guided samples, g = 0 (w = -1)', \
     data index 3 using 1:2 with lines lw 2 lc 2 title 'guided samples, g = 1 (w = 0)', \
     data index 4 using 1:2 with lines lw 2 lc 3 title 'guided samples, g = 2 (w = 1)', \
     data index 5 using 1:2 with lines lw 2 lc 4 title 'guided samples, g = 4 (w = 3)', \
     data index 6 using 1:2 with lines lw 2 lc 5 title 'guided samples, g = 8 (w = 7)', \
     data index 7 using 1:2 with lines lc rgb '#000000' lw 1 dt 3 title 'p(x | 1)·p(1 | x)^7 (g = 8)'
unset output
